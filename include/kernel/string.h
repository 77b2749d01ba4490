/* SPDX-License-Identifier: MIT */
/* The kernel's C string and memory functions (lib/string.c). */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include "kernel/types.h"

/*
 * Clang emits calls to memcpy, memmove and memset on its own (structure
 * copies, zeroing), so these four must exist under exactly these names.
 */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
/* memset zeroes large ranges with SSE stores (set by sse_clear_init). */
extern bool memset_use_sse;
void *memchr(const void *s, int c, size_t n);

size_t strlen(const char *s);
size_t strnlen(const char *s, size_t maxlen);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);
size_t strspn(const char *s, const char *accept);
size_t strcspn(const char *s, const char *reject);

/* Copies and NUL-terminates (size > 0); returns strlen(src). */
size_t strlcpy(char *dst, const char *src, size_t size);

/*
 * Copies and NUL-terminates (size > 0); returns the length copied, or
 * -E2BIG when src did not fit (dst then holds the truncated string).
 */
ssize_t strscpy(char *dst, const char *src, size_t size);

#endif /* KERNEL_STRING_H */
