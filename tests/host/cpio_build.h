/* SPDX-License-Identifier: MIT */
/*
 * Archives for the host tests of fs/ (test_cpio, test_fs_calls): cpio
 * "newc" members written as GNU cpio writes them (include/kernel/cpio.h).
 */
#ifndef TESTS_HOST_CPIO_BUILD_H
#define TESTS_HOST_CPIO_BUILD_H

#include <stdio.h>
#include <string.h>
#include "kernel/cpio.h"

struct ar {
	unsigned char buf[1 << 16];
	size_t len;
};

static inline void pad4(struct ar *a)
{
	while (a->len & 3)
		a->buf[a->len++] = 0;
}

/* A member with namesize given (0: strlen + 1) and the name bytes as given. */
static inline size_t add_raw(struct ar *a, unsigned int mode, const char *name, size_t namesize,
		      const void *data, size_t size)
{
	size_t at = a->len;
	char hdr[CPIO_HDR_SIZE + 1];

	if (!namesize)
		namesize = strlen(name) + 1;
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X",
		 (unsigned)(at + 1), mode, 0u, 0u, 1u, 1700000000u, (unsigned)size, 0u, 0u,
		 0u, 0u, (unsigned)namesize, 0u);
	memcpy(a->buf + a->len, hdr, CPIO_HDR_SIZE);
	a->len += CPIO_HDR_SIZE;
	memcpy(a->buf + a->len, name, strlen(name) + 1);
	a->len += namesize;
	pad4(a);
	if (size)
		memcpy(a->buf + a->len, data, size);
	a->len += size;
	pad4(a);
	return at;
}

static inline size_t add(struct ar *a, unsigned int mode, const char *name, const char *data)
{
	return add_raw(a, mode, name, 0, data, data ? strlen(data) : 0);
}

static inline size_t trailer(struct ar *a)
{
	return add(a, 0, CPIO_TRAILER, NULL);
}

#endif /* TESTS_HOST_CPIO_BUILD_H */
