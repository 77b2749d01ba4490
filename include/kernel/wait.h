/* SPDX-License-Identifier: MIT */
/*
 * Wait queues: a task sleeps on a queue until a waker wakes the queue
 * (Linux's include/linux/wait.h for the names; kernel/wait.c).
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include "kernel/list.h"
#include "kernel/spinlock.h"

struct task_struct;

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

struct wait_queue_entry {
	struct task_struct *task;
	struct list_head entry;
};

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) \
	{ __SPIN_LOCK_UNLOCKED, LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name) \
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)
#define DEFINE_WAIT(name) \
	struct wait_queue_entry name = { current, LIST_HEAD_INIT((name).entry) }

void init_waitqueue_head(struct wait_queue_head *wq);
/* Queue the caller (once) and set its state; the caller then tests its
 * condition and calls schedule() if it still has to wait. */
void prepare_to_wait(struct wait_queue_head *wq, struct wait_queue_entry *w,
		     long state);
void finish_wait(struct wait_queue_head *wq, struct wait_queue_entry *w);
/* Wake every task on the queue; returns how many were asleep. */
int wake_up(struct wait_queue_head *wq);
bool waitqueue_active(struct wait_queue_head *wq);

/* Sleep until cond is true; cond is tested after queueing, so a wake_up
 * between the test and the sleep is not lost. */
#define wait_event(wq, cond)						\
	do {								\
		DEFINE_WAIT(__wait);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE); \
			if (cond)					\
				break;					\
			schedule();					\
		}							\
		finish_wait(&(wq), &__wait);				\
	} while (0)

/*
 * Sleep until cond is true or timeout ticks of this CPU's timer have
 * passed (schedule_timeout, kernel/sched.c): 0 when they passed with cond
 * still false, else the ticks left (at least 1).
 */
#define wait_event_timeout(wq, cond, timeout)				\
	({								\
		long __left = (timeout);				\
		DEFINE_WAIT(__wait);					\
		for (;;) {						\
			prepare_to_wait(&(wq), &__wait, TASK_UNINTERRUPTIBLE); \
			if (cond) {					\
				if (!__left)				\
					__left = 1;			\
				break;					\
			}						\
			if (!__left)					\
				break;					\
			__left = schedule_timeout(__left);		\
		}							\
		finish_wait(&(wq), &__wait);				\
		__left;							\
	})

#endif /* KERNEL_WAIT_H */
