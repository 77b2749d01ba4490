/* SPDX-License-Identifier: MIT */
/*
 * The kernel's copy of the physical memory map the loader handed over,
 * in the e820 form Linux uses (sorted, merged, no overlaps).
 */
#ifndef ASM_E820_H
#define ASM_E820_H

#include <stdint.h>
#include "boot/bootinfo.h"

#define E820_MAX_ENTRIES	BOOT_E820_MAX

struct e820_entry {
	uint64_t addr;
	uint64_t size;
	uint32_t type;
};

struct e820_table {
	uint32_t nr_entries;
	struct e820_entry entries[E820_MAX_ENTRIES];
};

extern struct e820_table e820_table;

const char *e820_type_name(uint32_t type);
void e820__print_table(const char *who);
uint64_t e820__total(uint32_t type);

#endif /* ASM_E820_H */
