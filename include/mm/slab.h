/* SPDX-License-Identifier: MIT */
/*
 * kmalloc/kfree (mm/slab.c): power-of-two size classes from 8 to 2048
 * bytes served from one-page slabs of lowmem, each CPU from a slab of its
 * own, larger requests straight from the page allocator. Objects are
 * aligned to their size class.
 */
#ifndef MM_SLAB_H
#define MM_SLAB_H

#include <stddef.h>
#include "asm/page.h"
#include "mm/gfp.h"

#define KMALLOC_MIN_SIZE	8
/* Larger requests take whole pages: a 4096-byte class would hold one
 * object per slab and gain nothing over the page allocator. */
#define KMALLOC_MAX_CACHE_SIZE	(PAGE_SIZE / 2)

/* kmalloc and kfree take their arguments in registers, as every function
 * of Linux's i386 build (-mregparm=3) does; modules see the same
 * declarations. (mm/highmem.h has the same definition.) */
#ifndef __regparm
#ifndef HOST_TEST
#define __regparm	__attribute__((regparm(3)))
#else
#define __regparm
#endif
#endif

/* NULL for size 0, for a size no zone can serve, or when memory is out. */
void __regparm *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);

/* kfree(NULL) does nothing. A pointer kmalloc did not return, or one
 * already freed, is reported and ignored: -EINVAL; otherwise 0. */
int __regparm kfree(const void *ptr);

/* The usable size of a kmalloc'd object (its size class). */
size_t ksize(const void *ptr);

/* Sets up the caches, empty. kmalloc calls it if nobody has; the host
 * tests call it again to start afresh. */
void kmem_cache_init(void);

/* Returns every cached empty slab to the page allocator (each cache keeps
 * one), this CPU's own slabs put back on their caches first (other CPUs
 * keep theirs, at most a page per cache each); returns the pages freed. */
unsigned long kmalloc_shrink(void);

/* Pages kmalloc holds: its caches' slabs and the blocks too big for a
 * cache (meminfo's Slab, which Linux also charges with both). */
unsigned long kmalloc_slab_pages(void);

/* Bad kfrees reported and refused, since boot. */
extern unsigned long kmalloc_bad_frees;

#endif /* MM_SLAB_H */
