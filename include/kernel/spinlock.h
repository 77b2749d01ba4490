/* SPDX-License-Identifier: MIT */
/*
 * Spinlocks: test-and-test-and-set on the compiler's atomic builtins,
 * which emit the lock-prefixed exchange. spin_lock disables preemption;
 * the _irqsave forms also disable interrupts on this CPU. The raw_ forms
 * touch neither and are for the scheduler's run queues and printk.
 * Host-test builds (HOST_TEST) have one thread and no interrupts: the
 * calls only check their arguments.
 *
 * Not ticket locks: their strict hand-over order collapses when virtual
 * CPUs outnumber host CPUs (the next ticket's vCPU is often descheduled,
 * and everyone waits for the host to run it). The lazy-flush stress test
 * with 4 vCPUs on 2 host cores made 1085 kmap rounds a second with ticket
 * locks and 189023 with this one (docs/smp.md).
 *
 * Rule (mm/tlb.c): a lock taken with interrupts disabled must never be
 * held while waiting for another CPU to answer an IPI.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdbool.h>
#include <stdint.h>

typedef struct {
	volatile uint32_t slock;	/* 0 free, 1 held */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->slock = 0;
}

#ifdef HOST_TEST
#define spin_lock_irqsave(lock, flags)		do { (void)(lock); (flags) = 0; } while (0)
#define spin_unlock_irqrestore(lock, flags)	do { (void)(lock); (void)(flags); } while (0)
#define spin_lock(lock)				do { (void)(lock); } while (0)
#define spin_unlock(lock)			do { (void)(lock); } while (0)
#else
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "kernel/preempt.h"

static inline bool raw_spin_trylock(spinlock_t *lock)
{
	return __atomic_exchange_n(&lock->slock, 1, __ATOMIC_ACQUIRE) == 0;
}

/* Spin on a plain read (the cache line stays shared) until the lock
 * looks free, then try the exchange. */
static inline void raw_spin_lock(spinlock_t *lock)
{
	while (!raw_spin_trylock(lock))
		while (lock->slock)
			cpu_relax();
}

static inline void raw_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->slock, 0, __ATOMIC_RELEASE);
}

/*
 * The kernel's own spinlocks are counted per CPU (percpu.kernel_locks; the
 * holder cannot be preempted, so the count is the holder's): an oops
 * taken with one held cannot end only the faulting thread, as the next
 * taker would wait for ever (kernel/traps.c). A module's locks (code
 * built with -DMODULE) are not counted: they are its own business.
 */
#ifdef MODULE
static inline void kernel_lock_taken(void) { }
static inline void kernel_lock_released(void) { }
#else
static inline void kernel_lock_taken(void)
{
	this_cpu()->kernel_locks++;
}

static inline void kernel_lock_released(void)
{
	this_cpu()->kernel_locks--;
}
#endif

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	raw_spin_lock(lock);
	kernel_lock_taken();
}

static inline void spin_unlock(spinlock_t *lock)
{
	kernel_lock_released();
	raw_spin_unlock(lock);
	preempt_enable();
}

static inline unsigned long __spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	preempt_disable();
	raw_spin_lock(lock);
	kernel_lock_taken();
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
	kernel_lock_released();
	raw_spin_unlock(lock);
	preempt_enable_no_resched();
	if (flags & X86_EFLAGS_IF) {
		local_irq_enable();
		preempt_check_resched();
	}
}

#define spin_lock_irqsave(lock, flags)	((flags) = __spin_lock_irqsave(lock))

static inline unsigned long arch_local_irq_save(void)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	return flags;
}

static inline void arch_local_irq_restore(unsigned long flags)
{
	if (flags & X86_EFLAGS_IF)
		local_irq_enable();
}

#define local_irq_save(flags)		((flags) = arch_local_irq_save())
#define local_irq_restore(flags)	arch_local_irq_restore(flags)

static inline bool irqs_disabled(void)
{
	return !(native_save_fl() & X86_EFLAGS_IF);
}
#endif

#endif /* KERNEL_SPINLOCK_H */
