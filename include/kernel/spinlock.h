/*
 * Locks of the uniprocessor kernel: a spinlock_t is a place-holder and the
 * irqsave forms disable interrupts, which on one CPU is the whole of the
 * mutual exclusion the allocators need. The SMP work gives spinlock_t a
 * real lock word behind the same calls. Host-test builds (HOST_TEST) have
 * no interrupts to disable.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

typedef struct {
	int unused;
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED

#ifdef HOST_TEST
#define spin_lock_irqsave(lock, flags)		do { (void)(lock); (flags) = 0; } while (0)
#define spin_unlock_irqrestore(lock, flags)	do { (void)(lock); (void)(flags); } while (0)
#else
#include "asm/processor-flags.h"
#include "asm/x86.h"

#define spin_lock_irqsave(lock, flags) \
	do { (void)(lock); (flags) = native_save_fl(); local_irq_disable(); } while (0)
#define spin_unlock_irqrestore(lock, flags) \
	do { (void)(lock); if ((flags) & X86_EFLAGS_IF) local_irq_enable(); } while (0)
#endif

#endif /* KERNEL_SPINLOCK_H */
