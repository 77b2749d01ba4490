/* SPDX-License-Identifier: MIT */
/*
 * The contract between the UEFI loader and the pm32 shim (pm32/pm32.asm).
 *
 * pm32 is a flat, position-independent binary. The loader copies it to
 * PM32_PAGES pages below 4 GiB, fills struct pm32_params at
 * PM32_PARAMS_OFFSET, and after ExitBootServices calls offset 0 as a
 * function taking no arguments (it never returns). The NASM side reads the
 * same offsets from build/include/asm-offsets.inc, generated from this
 * header by tools/asm-offsets.c.
 */
#ifndef BOOT_PM32_H
#define BOOT_PM32_H

#include <stdint.h>

#define PM32_PARAMS_MAGIC	0x3233504d	/* "MP32": blob and loader agree */
#define PM32_PARAMS_OFFSET	8		/* after a short jump at offset 0 */
#define PM32_PAGES		2		/* code + params + GDT, then stack */

struct pm32_params {
	uint32_t magic;		/* PM32_PARAMS_MAGIC, assembled into the blob */
	uint32_t kernel_entry;	/* physical entry point (ELF e_entry) */
	uint32_t boot_info;	/* physical address of struct boot_info */
	uint32_t stack_top;	/* physical; pm32 switches to it at once */
	/* Optional move of the staged kernel image done with paging off,
	 * memmove semantics (source and destination may overlap). */
	uint32_t copy_dst;
	uint32_t copy_src;
	uint32_t copy_len;	/* 0: nothing to move */
	uint32_t pad;
};

_Static_assert(sizeof(struct pm32_params) == 32, "pm32_params layout");

#endif /* BOOT_PM32_H */
