/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: sleeping until a condition holds without losing a wake-up
 * (Linux's kernel/sched/wait.c for the names and the protocol: queue,
 * set the state, test, schedule).
 */
#include "kernel/sched.h"
#include "kernel/wait.h"

void init_waitqueue_head(struct wait_queue_head *wq)
{
	spin_lock_init(&wq->lock);
	INIT_LIST_HEAD(&wq->head);
}

void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     long state)
{
	unsigned long flags;

	spin_lock_irqsave(&wq->lock, flags);
	if (list_empty(&w->entry))
		list_add_tail(&w->entry, &wq->head);
	w->task->wait_queue = wq;
	w->task->wait_entry = w;
	set_current_state(state);
	spin_unlock_irqrestore(&wq->lock, flags);
}

void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w)
{
	unsigned long flags;

	set_current_state(TASK_RUNNING);
	spin_lock_irqsave(&wq->lock, flags);
	if (!list_empty(&w->entry))
		list_del_init(&w->entry);
	w->task->wait_queue = NULL;
	w->task->wait_entry = NULL;
	spin_unlock_irqrestore(&wq->lock, flags);
}

void task_leave_wait_queue(struct task_struct *t)
{
	struct wait_queue_head *wq = t->wait_queue;

	if (wq)
		finish_wait(wq, t->wait_entry);
}

int wake_up(struct wait_queue_head *wq)
{
	struct wait_queue_entry *w;
	unsigned long flags;
	int woken = 0;

	spin_lock_irqsave(&wq->lock, flags);
	list_for_each_entry(w, &wq->head, entry)
		woken += wake_up_process(w->task);
	spin_unlock_irqrestore(&wq->lock, flags);
	return woken;
}

bool waitqueue_active(struct wait_queue_head *wq)
{
	return !list_empty(&wq->head);
}
