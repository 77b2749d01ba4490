/*
 * Spinlocks: ticket locks (FIFO, so no CPU starves under the stress test)
 * on the compiler's atomic builtins, which emit the lock-prefixed
 * instructions. spin_lock disables preemption; the _irqsave forms also
 * disable interrupts on this CPU. The raw_ forms touch neither and are
 * for the scheduler's own run queues. Host-test builds (HOST_TEST) have
 * one thread and no interrupts: the calls only check their arguments.
 *
 * Rule (kernel/smp.c): a lock taken with interrupts disabled must never
 * be held while waiting for another CPU to answer an IPI.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <stdint.h>

typedef struct {
	volatile uint16_t owner;	/* the ticket being served */
	volatile uint16_t next;		/* the next ticket to hand out */
} spinlock_t;

#define __SPIN_LOCK_UNLOCKED	{ 0, 0 }
#define DEFINE_SPINLOCK(x)	spinlock_t x = __SPIN_LOCK_UNLOCKED

static inline void spin_lock_init(spinlock_t *lock)
{
	lock->owner = 0;
	lock->next = 0;
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

static inline void raw_spin_lock(spinlock_t *lock)
{
	uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline bool raw_spin_trylock(spinlock_t *lock)
{
	uint16_t owner = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	uint16_t expect = owner;

	return __atomic_compare_exchange_n(&lock->next, &expect,
					   (uint16_t)(owner + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void raw_spin_unlock(spinlock_t *lock)
{
	__atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1),
			 __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(const spinlock_t *lock)
{
	return lock->owner != lock->next;
}

static inline void spin_lock(spinlock_t *lock)
{
	preempt_disable();
	raw_spin_lock(lock);
}

static inline void spin_unlock(spinlock_t *lock)
{
	raw_spin_unlock(lock);
	preempt_enable();
}

static inline unsigned long __spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = native_save_fl();

	local_irq_disable();
	preempt_disable();
	raw_spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock, unsigned long flags)
{
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
#define irqs_disabled()			(!(native_save_fl() & X86_EFLAGS_IF))
#endif

#endif /* KERNEL_SPINLOCK_H */
