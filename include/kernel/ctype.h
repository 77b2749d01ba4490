/* SPDX-License-Identifier: MIT */
/* ASCII character classes for the kernel and its pure library code. */
#ifndef KERNEL_CTYPE_H
#define KERNEL_CTYPE_H

#include <stdbool.h>

/* Space, tab, newline, vertical tab, form feed, carriage return. */
static inline bool isspace(int c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool isdigit(int c)
{
	return c >= '0' && c <= '9';
}

static inline bool isxdigit(int c)
{
	return isdigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static inline bool isupper(int c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool islower(int c)
{
	return c >= 'a' && c <= 'z';
}

static inline bool isalpha(int c)
{
	return isupper(c) || islower(c);
}

static inline bool isalnum(int c)
{
	return isalpha(c) || isdigit(c);
}

static inline int tolower(int c)
{
	return isupper(c) ? c - 'A' + 'a' : c;
}

static inline int toupper(int c)
{
	return islower(c) ? c - 'a' + 'A' : c;
}

#endif /* KERNEL_CTYPE_H */
