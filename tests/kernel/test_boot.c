/* SPDX-License-Identifier: MIT */
/*
 * The state the boot chain promises at start_kernel (docs/boot-protocol.md):
 * paging mode, where the kernel runs, and a sane memory map.
 */
#include "asm/e820.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/x86.h"
#include "kernel/bootinfo.h"
#include "kernel/ktest.h"
#include "kernel/string.h"

extern char _text[], _end[];

KTEST(boot, kernel_runs_at_page_offset_plus_16m)
{
	KT_EXPECT_EQ(t, (unsigned long)_text, 0xc1000000);
	KT_EXPECT_EQ(t, boot_info.kernel_phys_start, __pa(_text));
	KT_EXPECT(t, boot_info.kernel_phys_end >= __pa(_end));
}

KTEST(boot, paging_mode_is_pae_with_write_protect)
{
	unsigned long cr0 = read_cr0(), cr4 = read_cr4();
	uint64_t efer = boot_cpu_has_nx() ? rdmsr(MSR_EFER) : 0;

	KT_EXPECT(t, cr0 & X86_CR0_PG);
	KT_EXPECT(t, cr0 & X86_CR0_WP);
	KT_EXPECT(t, cr4 & X86_CR4_PAE);
	KT_EXPECT_EQ(t, read_cr3(), __pa(swapper_pg_dir));
	KT_EXPECT_EQ(t, !!(efer & EFER_NX), boot_cpu_has_nx());
}

KTEST(boot, pdpt_has_no_user_slots_and_no_reserved_bits)
{
	KT_EXPECT(t, !pgd_present(initial_pg_dir[0]));
	for (int i = 0; i < PTRS_PER_PGD; i++) {
		KT_EXPECT_EQ(t, pgd_present(swapper_pg_dir[i]), i == 3);
		/* Only P, PWT, PCD and the address may be set in a PDPTE
		 * (bits 1-2 and 5-8 are reserved; QEMU sets 5 anyway). */
		KT_EXPECT_EQ(t, swapper_pg_dir[i].pgd & 0x1c6, 0);
	}
}

KTEST(boot, e820_table_sorted_disjoint_and_covers_the_kernel)
{
	const struct e820_table *t820 = &e820_table;
	uint64_t kstart = __pa(_text), kend = __pa(_end);
	bool kernel_covered = false;

	KT_ASSERT(t, t820->nr_entries > 0);
	for (uint32_t i = 0; i < t820->nr_entries; i++) {
		const struct e820_entry *e = &t820->entries[i];

		KT_EXPECT(t, e->size > 0);
		if (i > 0)
			KT_EXPECT(t, e->addr >= t820->entries[i - 1].addr +
					      t820->entries[i - 1].size);
		if ((e->type == E820_TYPE_USABLE || e->type == E820_TYPE_LOADER) &&
		    e->addr <= kstart && kend <= e->addr + e->size)
			kernel_covered = true;
	}
	KT_EXPECT(t, kernel_covered);
	KT_EXPECT(t, e820__total(E820_TYPE_USABLE) >= 32ULL << 20);
}

KTEST(boot, boot_info_and_command_line_arrived)
{
	KT_EXPECT_EQ(t, boot_info.magic, BOOT_INFO_MAGIC);
	KT_EXPECT_EQ(t, boot_info.version, BOOT_INFO_VERSION);
	KT_EXPECT(t, boot_info.firmware_bits == 32 || boot_info.firmware_bits == 64);
	/* A test boot's command line asks for them; a run from the
	 * monitor's prompt follows a boot whose line did not. */
	if (ktest_requested())
		KT_EXPECT(t, strstr(boot_command_line, "ktest") != NULL);
}
