/* SPDX-License-Identifier: MIT */
/* Pointers that carry an errno (Linux's include/linux/err.h): the top
 * 4095 addresses are never valid kernel objects. */
#ifndef KERNEL_ERR_H
#define KERNEL_ERR_H

#include <stdbool.h>

#define MAX_ERRNO	4095
#define IS_ERR_VALUE(x)	((unsigned long)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *ERR_PTR(long error) { return (void *)error; }
static inline long PTR_ERR(const void *ptr) { return (long)ptr; }
static inline bool IS_ERR(const void *ptr) { return IS_ERR_VALUE((unsigned long)ptr); }
static inline bool IS_ERR_OR_NULL(const void *ptr) { return !ptr || IS_ERR(ptr); }

#endif /* KERNEL_ERR_H */
