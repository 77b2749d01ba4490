/* SPDX-License-Identifier: MIT */
/* Fixed-width integer types with the kernel's short names, and phys_addr_t. */
#ifndef KERNEL_TYPES_H
#define KERNEL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

/* The signed partner of size_t (int on i686, long on a 64-bit host). */
typedef __PTRDIFF_TYPE__ ssize_t;
#ifdef HOST_TEST
#include <sys/types.h>	/* the C library's loff_t: 64 bits too */
#else
typedef long long loff_t;
#endif

/* PAE reaches physical addresses above 4 GiB, so they need 64 bits. */
typedef u64 phys_addr_t;

#endif /* KERNEL_TYPES_H */
