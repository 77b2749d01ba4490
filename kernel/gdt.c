/*
 * The kernel's flat GDT, replacing the one pm32 left in loader memory
 * (Intel SDM vol. 3A §3.4.5 segment descriptors, §3.5.1 GDT).
 */
#include "asm/desc.h"
#include "asm/segment.h"
#include "asm/x86.h"

/* Base 0, limit 4 GiB, granularity 4 KiB, 32-bit: code execute/read and
 * data read/write, both DPL 0. The accessed bit is preset: the CPU would
 * otherwise write it on the first segment load, and the table lives in
 * read-only memory. */
static const uint64_t gdt_table[GDT_ENTRIES] __attribute__((aligned(8))) = {
	[0] = 0,
	[GDT_ENTRY_KERNEL_CS] = 0x00cf9b000000ffffULL,
	[GDT_ENTRY_KERNEL_DS] = 0x00cf93000000ffffULL,
};

void gdt_init(void)
{
	struct desc_ptr p = {
		.size = sizeof(gdt_table) - 1,
		.address = (uint32_t)gdt_table,
	};

	load_gdt(&p);
	load_segments(__KERNEL_CS, __KERNEL_DS);
}
