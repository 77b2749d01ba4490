/* SPDX-License-Identifier: MIT */
/*
 * The kernel's C string and memory functions (C11 §7.24 semantics, plus
 * Linux's strlcpy/strscpy), and err_str for error messages.
 */
#include "asm/x86.h"
#include "kernel/string.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/process.h"

/*
 * memcpy and memset move 32-bit words with the string instructions (four
 * bytes per counted step, whatever the alignment: x86 allows unaligned
 * words) and the remaining bytes one by one, as Linux's i386 ones do.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	rep_movsl(dst, src, n >> 2);
	rep_movsb((u8 *)dst + (n & ~3u), (const u8 *)src + (n & ~3u), n & 3);
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d == s || n == 0)
		return dst;
	if (d < s || d >= s + n)
		return memcpy(dst, src, n);	/* forward copy is safe */

	/* dst overlaps the tail of src: copy backwards. */
	d += n;
	s += n;
	if ((((uintptr_t)d | (uintptr_t)s) & 3) == 0) {
		for (; n >= 4; n -= 4) {
			d -= 4;
			s -= 4;
			*(u32 *)d = *(const u32 *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

/* Set by sse_clear_init (kernel/cpu.c) once the CPUs may run SSE. */
bool memset_use_sse;

/*
 * A zero fill of 512 bytes or more goes through SSE stores, 16 bytes an
 * instruction (pages, mem_map, vzalloc'd areas), when the CPU has SSE:
 * as Linux's i386 did with MMX/SSE page clearing for the CPUs that had
 * it. Everything else is rep stosl.
 */
void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;

	if (c == 0 && n >= 512 && memset_use_sse) {
		size_t head = -(uintptr_t)d & 15;

		rep_stosb(d, 0, head);
		d += head;
		n -= head;
		kernel_fpu_begin();	/* a process's %xmm0 is saved first */
		sse_clear_blocks(d, n >> 7);
		kernel_fpu_end();
		d += n & ~(size_t)127;
		n &= 127;
	}
	rep_stosl(d, (u8)c * 0x01010101u, n >> 2);
	rep_stosb(d + (n & ~3u), (u8)c, n & 3);
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *p = a, *q = b;

	for (; n; n--, p++, q++) {
		if (*p != *q)
			return *p < *q ? -1 : 1;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++) {
		if (*p == (u8)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t maxlen)
{
	size_t n = 0;

	while (n < maxlen && s[n])
		n++;
	return n;
}

/* Characters compare as unsigned char, as C requires. */
int strcmp(const char *a, const char *b)
{
	return strncmp(a, b, (size_t)-1);
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		unsigned char ca = *a, cb = *b;

		if (ca != cb)
			return ca < cb ? -1 : 1;
		if (!ca)
			break;
	}
	return 0;
}

/* The terminating NUL counts as part of the string, so strchr(s, 0) works. */
char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	if (n == 0)
		return (char *)haystack;
	for (; *haystack; haystack++) {
		if (*haystack == *needle && strncmp(haystack, needle, n) == 0)
			return (char *)haystack;
	}
	return NULL;
}

size_t strspn(const char *s, const char *accept)
{
	size_t n = 0;

	while (s[n] && strchr(accept, s[n]))
		n++;
	return n;
}

size_t strcspn(const char *s, const char *reject)
{
	size_t n = 0;

	while (s[n] && !strchr(reject, s[n]))
		n++;
	return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n;

	if (size == 0)
		return -E2BIG;
	n = strnlen(src, size);
	if (n == size) {
		/* src has no NUL within size bytes: truncate. */
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return n;
}

/* The messages follow the C library's strerror, shortened and lower-case. */
static const char *const err_text[] = {
	[EPERM]		= "operation not permitted",
	[ENOENT]	= "no such file or directory",
	[EIO]		= "I/O error",
	[ENXIO]		= "no such device or address",
	[E2BIG]		= "argument list too long",
	[ENOEXEC]	= "exec format error",
	[EBADF]		= "bad file number",
	[EAGAIN]	= "try again",
	[ENOMEM]	= "out of memory",
	[EACCES]	= "permission denied",
	[EFAULT]	= "bad address",
	[EBUSY]		= "device or resource busy",
	[EEXIST]	= "already exists",
	[ENODEV]	= "no such device",
	[EINVAL]	= "invalid argument",
	[EFBIG]		= "too large",
	[ENOSPC]	= "no space left",
	[EROFS]		= "read-only",
	[EDOM]		= "argument out of domain",
	[ERANGE]	= "out of range",
	[ENAMETOOLONG]	= "name too long",
	[ENOSYS]	= "not implemented",
	[ENODATA]	= "no data available",
	[EBADMSG]	= "malformed data",
	[EOVERFLOW]	= "value too large",
	[EILSEQ]	= "illegal byte sequence",
	[EOPNOTSUPP]	= "operation not supported",
	[ETIMEDOUT]	= "timed out",
	[EALREADY]	= "already in progress",
	[EINPROGRESS]	= "in progress",
	[EOWNERDEAD]	= "owner died",
};

const char *err_str(int err)
{
	/* Negating in unsigned arithmetic keeps INT_MIN defined. */
	unsigned int e = err < 0 ? 0u - (unsigned int)err : (unsigned int)err;

	if (e == 0)
		return "success";
	if (e < ARRAY_SIZE(err_text) && err_text[e])
		return err_text[e];
	return "unknown error";
}
