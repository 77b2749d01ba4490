/* SPDX-License-Identifier: MIT */
/*
 * The consoles' input queue (include/kernel/tty.h): a ring of bytes that
 * interrupt handlers fill and one sleeping reader empties, in the manner
 * of Linux's tty flip buffer and n_tty read wait, much reduced. When it is
 * full, new bytes are dropped and counted (what a terminal's line
 * discipline does too: what was typed first is kept).
 */
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/tty.h"
#include "kernel/wait.h"

BUILD_BUG_ON(TTY_BUF_SIZE & (TTY_BUF_SIZE - 1));	/* a power of two */

static char tty_buf[TTY_BUF_SIZE];
static unsigned int tty_head, tty_tail;	/* bytes taken, bytes put (free-running) */
static unsigned long tty_received, tty_dropped;
static DEFINE_SPINLOCK(tty_lock);
static DECLARE_WAIT_QUEUE_HEAD(tty_wait);

static void (*tty_polls[TTY_MAX_POLL])(void);
static unsigned int nr_tty_polls;

static unsigned int tty_queued(void)
{
	return __atomic_load_n(&tty_tail, __ATOMIC_ACQUIRE) -
	       __atomic_load_n(&tty_head, __ATOMIC_ACQUIRE);
}

void tty_insert(const char *s, size_t n)
{
	unsigned long flags;
	size_t i;

	if (!n)
		return;
	spin_lock_irqsave(&tty_lock, flags);
	for (i = 0; i < n && tty_tail - tty_head < TTY_BUF_SIZE; i++)
		tty_buf[tty_tail++ & (TTY_BUF_SIZE - 1)] = s[i];
	tty_received += i;
	tty_dropped += n - i;
	spin_unlock_irqrestore(&tty_lock, flags);
	wake_up(&tty_wait);
}

size_t tty_read_nowait(char *buf, size_t n)
{
	unsigned long flags;
	size_t i;

	spin_lock_irqsave(&tty_lock, flags);
	for (i = 0; i < n && tty_head != tty_tail; i++)
		buf[i] = tty_buf[tty_head++ & (TTY_BUF_SIZE - 1)];
	spin_unlock_irqrestore(&tty_lock, flags);
	return i;
}

void tty_flush_input(void)
{
	unsigned long flags;

	spin_lock_irqsave(&tty_lock, flags);
	tty_head = tty_tail;
	spin_unlock_irqrestore(&tty_lock, flags);
}

void tty_get_stats(struct tty_stats *st)
{
	unsigned long flags;

	spin_lock_irqsave(&tty_lock, flags);
	st->received = tty_received;
	st->dropped = tty_dropped;
	st->queued = tty_tail - tty_head;
	st->polled = nr_tty_polls;
	spin_unlock_irqrestore(&tty_lock, flags);
}

bool tty_reader_waiting(void)
{
	return waitqueue_active(&tty_wait);
}

int tty_register_poll(void (*poll)(void))
{
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&tty_lock, flags);
	for (unsigned int i = 0; i < nr_tty_polls; i++)
		if (tty_polls[i] == poll)
			ret = -EBUSY;
	if (!ret && nr_tty_polls == TTY_MAX_POLL)
		ret = -ENOSPC;
	if (!ret)
		tty_polls[nr_tty_polls++] = poll;
	spin_unlock_irqrestore(&tty_lock, flags);
	return ret;
}

void tty_unregister_poll(void (*poll)(void))
{
	unsigned long flags;

	spin_lock_irqsave(&tty_lock, flags);
	for (unsigned int i = 0; i < nr_tty_polls; i++) {
		if (tty_polls[i] == poll) {
			tty_polls[i] = tty_polls[--nr_tty_polls];
			break;
		}
	}
	spin_unlock_irqrestore(&tty_lock, flags);
}

void tty_poll(void)
{
	void (*polls[TTY_MAX_POLL])(void);
	unsigned long flags;
	unsigned int n;

	/* A copy: the poll functions take the queue's lock themselves. */
	spin_lock_irqsave(&tty_lock, flags);
	n = nr_tty_polls;
	for (unsigned int i = 0; i < n; i++)
		polls[i] = tty_polls[i];
	spin_unlock_irqrestore(&tty_lock, flags);
	for (unsigned int i = 0; i < n; i++)
		polls[i]();
}

int tty_getc(void)
{
	char c;

	for (;;) {
		if (tty_read_nowait(&c, 1))
			return (unsigned char)c;
		/* A process's read ends when a signal comes (kernel/signal.c). */
		if ((current->flags & PF_USER) && signal_pending(current))
			return -EINTR;
		console_flush();
		if (__atomic_load_n(&nr_tty_polls, __ATOMIC_RELAXED)) {
			/* Some device has no interrupt: look every period
			 * (the others still wake nobody; they are read here). */
			tty_poll();
			if (!tty_queued())
				msleep(TTY_POLL_MS);
		} else if (current->flags & PF_USER) {
			DEFINE_WAIT(wait);

			prepare_to_wait(&tty_wait, &wait, TASK_INTERRUPTIBLE);
			if (!tty_queued() && !signal_pending(current))
				schedule();
			finish_wait(&tty_wait, &wait);
		} else {
			wait_event(tty_wait, tty_queued() != 0);
		}
	}
}

void tty_init(void)
{
	int kbd = i8042_init();
	int com1 = serial_rx_start();

	if (kbd && com1)
		pr_warn("tty: no keyboard and no COM1: nothing can be typed\n");
}
