/* SPDX-License-Identifier: MIT */
/*
 * The vsnprintf family (lib/vsprintf.c): pure C, shared by the kernel, the
 * UEFI loader and the host tests, so this header depends on nothing else.
 */
#ifndef KERNEL_SPRINTF_H
#define KERNEL_SPRINTF_H

#include <stdarg.h>
#include <stddef.h>

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

/*
 * C11 semantics (§7.21.6.1) for %d %i %u %o %x %X %c %s %p %% with the
 * flags - 0 + space #, a width and a precision (either may be *), and the
 * length modifiers hh h l ll j z t. %p prints "0x" and at least 8 hex
 * digits; a NULL %s prints "(null)"; %n is not supported.
 * vsnprintf returns the length the whole output would have (excluding the
 * NUL), whatever size is; the output is NUL-terminated when size > 0.
 */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* As above, but return what was really stored (excluding the NUL). */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
	__attribute__((format(printf, 3, 0)));
int scnprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* KERNEL_SPRINTF_H */
