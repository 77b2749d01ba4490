/* SPDX-License-Identifier: MIT */
/*
 * The vsnprintf family (lib/vsprintf.c): pure C, shared by the kernel, the
 * UEFI loader and the host tests, so this header depends on nothing else.
 */
#ifndef KERNEL_SPRINTF_H
#define KERNEL_SPRINTF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * The host tests link lib/vsprintf.c next to the host C library, whose
 * snprintf family has the same names; in HOST_TEST builds the kernel's
 * functions are renamed k*, so a test that includes this header calls
 * ours and reaches the C library's through a wrapper defined before it.
 */
#ifdef HOST_TEST
#define vsnprintf	kvsnprintf
#define snprintf	ksnprintf
#define vscnprintf	kvscnprintf
#define scnprintf	kscnprintf
#endif

/* The largest field width and precision; a larger one counts as this. */
#define PRINTF_FIELD_MAX	65535

/*
 * C11 semantics (§7.21.6.1) for %d %i %u %o %x %X %c %s %p %% with the
 * flags - 0 + space #, a width and a precision (either may be *), and the
 * length modifiers hh h l ll j z t. %p prints "0x" and at least 8 hex
 * digits; %n is not supported; any other directive is printed as written.
 * Bad input is defended against rather than undefined:
 *  - a NULL %s prints "(null)"; a %s pointer into the first or the last
 *    page of the address space, or (in the kernel) below PAGE_OFFSET, or
 *    into a page that cannot be read, prints "(efault)" (lib/vsprintf.c
 *    says how each build checks); either word is cut by the precision and
 *    padded to the width like a string;
 *  - a width or precision above PRINTF_FIELD_MAX (written out or given
 *    by '*') counts as PRINTF_FIELD_MAX; padding beyond the buffer is
 *    counted, not stepped through;
 *  - a NULL format prints "(null)"; a size above INT_MAX writes nothing
 *    and returns 0.
 * vsnprintf returns the length the whole output would have (excluding the
 * NUL), whatever size is, up to INT_MAX; the output is NUL-terminated
 * when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
#ifdef HOST_TEST
/*
 * The host tests' model of the memory a %s string may be read from:
 * vsnprintf asks it for the first byte of every page a string touches
 * (NULL, the default: every page but the first and the last).
 */
extern bool (*vsprintf_page_readable)(uintptr_t addr);
#endif
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As above, but return what was really stored (excluding the NUL). */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KERNEL_SPRINTF_H */
