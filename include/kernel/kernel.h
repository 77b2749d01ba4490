/* SPDX-License-Identifier: MIT */
/*
 * The small helpers every kernel file uses: compiler attributes, array and
 * alignment arithmetic, min/max, and panic/BUG/WARN.
 */
#ifndef KERNEL_KERNEL_H
#define KERNEL_KERNEL_H

#include <stdarg.h>
#include "kernel/types.h"

/* ---------------------------------------------------------- attributes */

#define __used			__attribute__((used))
#define __maybe_unused		__attribute__((unused))
#define __section(s)		__attribute__((section(s)))
#define __aligned(n)		__attribute__((aligned(n)))
#define __packed		__attribute__((packed))
#define __noreturn		__attribute__((noreturn))
#define __printf(a, b)		__attribute__((format(printf, a, b)))
#ifndef __always_inline		/* glibc's sys/cdefs.h has one too (host tests) */
#define __always_inline		inline __attribute__((always_inline))
#endif
#define __noinline		__attribute__((noinline))
/* Boot-only code, gathered in .init.text (kernel/kernel.ld). */
#define __init			__section(".init.text")

#define likely(x)		__builtin_expect(!!(x), 1)
#define unlikely(x)		__builtin_expect(!!(x), 0)

/* Glue two tokens after expanding them; a name unique in this file. */
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

/* ---------------------------------------------------------- arithmetic */

/* The element count of a true array (not of a pointer). */
#define __stringify_1(x)	#x
#define __stringify(x)		__stringify_1(x)

#define ARRAY_SIZE(arr)		(sizeof(arr) / sizeof((arr)[0]))

/* The structure that holds *ptr as its member 'member'. */
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - __builtin_offsetof(type, member)))

/* Alignment to a power of two 'a'; the result has the type of x. */
#define ALIGN(x, a)		(((x) + ((__typeof__(x))(a) - 1)) & ~((__typeof__(x))(a) - 1))
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)

#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))

/*
 * min/max evaluate each argument once; comparing the addresses of the two
 * temporaries makes the compiler reject arguments of different types
 * ("comparison of distinct pointer types"), so a signed/unsigned mix cannot
 * slip through. Use min_t/max_t to compare in a chosen type.
 */
#define __cmp_once(op, x, y, ux, uy) ({			\
	__typeof__(x) ux = (x);					\
	__typeof__(y) uy = (y);					\
	(void)(&ux == &uy);					\
	ux op uy ? ux : uy; })

#define min(x, y)	__cmp_once(<, x, y, __UNIQUE_ID(min_x), __UNIQUE_ID(min_y))
#define max(x, y)	__cmp_once(>, x, y, __UNIQUE_ID(max_x), __UNIQUE_ID(max_y))
#define min_t(type, x, y)	min((type)(x), (type)(y))
#define max_t(type, x, y)	max((type)(x), (type)(y))

/* val limited to [lo, hi]; all three of one type. */
#define clamp(val, lo, hi)	min(max(val, lo), hi)

/* ------------------------------------------------------------ checks */

/* Fails the build when cond is true; usable wherever a declaration is. */
#define BUILD_BUG_ON(cond)	_Static_assert(!(cond), "BUILD_BUG_ON(" #cond ")")

/*
 * panic - print "Kernel panic - not syncing: <message>", end a running
 * ktest run with a failure, and halt this CPU for good. kernel/panic.c.
 */
__noreturn void panic(const char *fmt, ...) __printf(1, 2);

/* machine_halt - print "System halted.", leave QEMU cleanly, else halt. */
__noreturn void machine_halt(void);

/*
 * emulator_exit - end an emulator run: QEMU's isa-debug-exit exits with
 * status (status << 1) | 1; Bochs (port 0xE9 echoes, no isa-debug-exit)
 * powers off through its shutdown port. Returns on a real machine.
 */
void emulator_exit(unsigned int status);

/* Bochs's shutdown port: "Shutdown" written there byte by byte powers
 * Bochs off (kernel/panic.c; nothing else answers it). */
#define BOCHS_SHUTDOWN_PORT	0x8900
void bochs_shutdown(void);

/* halt_forever - interrupts off and hlt, for ever, with no message. */
__noreturn void halt_forever(void);

/* __warn - the printing half of WARN_ON (kernel/panic.c). */
void __warn(const char *file, int line, const char *cond);

#define BUG()		panic("kernel BUG at %s:%d!", __FILE__, __LINE__)
#define BUG_ON(cond)	do { if (unlikely(cond)) BUG(); } while (0)

/* Prints a warning with the place when cond holds; evaluates to cond. */
#define WARN_ON(cond) ({						\
	bool __warn_on = !!(cond);					\
	if (unlikely(__warn_on))					\
		__warn(__FILE__, __LINE__, #cond);			\
	unlikely(__warn_on); })

/* The same, but prints only the first time this line fires. */
#define WARN_ON_ONCE(cond) ({						\
	static bool __warned;						\
	bool __warn_on = !!(cond);					\
	if (unlikely(__warn_on) && !__warned) {				\
		__warned = true;					\
		__warn(__FILE__, __LINE__, #cond);			\
	}								\
	unlikely(__warn_on); })

#endif /* KERNEL_KERNEL_H */
