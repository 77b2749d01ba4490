/* SPDX-License-Identifier: MIT */
/*
 * efifb (drivers/video/efifb.c): the loader's GOP framebuffer as the
 * framebuffer console, and what tests look at.
 */
#ifndef VIDEO_EFIFB_H
#define VIDEO_EFIFB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"
#include "video/fbcon.h"

/* The framebuffer in use; vc NULL when there is none (serial only). */
struct efifb_state {
	uint64_t phys;			/* boot_info.fb.base */
	unsigned long virt;		/* its mapping */
	unsigned long size;		/* bytes mapped: the visible part, in pages */
	bool wc;			/* write-combining, else uncached */
	struct fbcon *vc;
};
extern struct efifb_state efifb;

/* The console "fbcon" that efifb_probe registers. */
struct console;
extern struct console efifb_console;

/*
 * efifb_check - whether bf describes a framebuffer the console can draw
 * on: bpp 16, 24 or 32; RGBX/BGRX with their own masks or bitmask masks
 * of 1-8 contiguous bits, disjoint and inside bpp; 640x400 to 7680x4320;
 * a pitch of at least width pixels, a multiple of 4; pitch x height
 * inside size, below the CPU's physical address limit and clear of RAM.
 * 0 with *info filled (all but screen_base), or -EINVAL with why (len
 * bytes) naming the first fault.
 */
int efifb_check(const struct boot_framebuffer *bf, struct fb_info *info,
		char *why, size_t len);

/*
 * efifb_probe - check bf (flags: boot_info.flags), map its visible part
 * with ioremap_wc (ioremap without PAT) and register the console, which
 * replays the log onto the black screen. One line says what was mapped,
 * or why there is no console ("serial only"). 0, -ENODEV (no
 * framebuffer), -EINVAL (refused; nothing mapped), -ENOMEM, or -EBUSY
 * (checked, but the console is registered already; nothing mapped).
 */
int efifb_probe(const struct boot_framebuffer *bf, uint32_t flags);

/* efifb_init - efifb_probe of boot_info's framebuffer; needs kmalloc and
 * the vmalloc area. */
int efifb_init(void);

#endif /* VIDEO_EFIFB_H */
