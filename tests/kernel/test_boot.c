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
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/monitor.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"

extern char _text[], _etext[], __init_begin[], __init_end[], _end[];
extern char __start_rodata[], __end_rodata[];
extern const struct exception_table_entry __start___ex_table[], __stop___ex_table[];

/* Where the loader put the image, _text is: PAGE_OFFSET + its base, a
 * multiple of 2 MiB from 16 MiB up (include/boot/relocs.h). */
KTEST(boot, kernel_runs_at_page_offset_plus_its_physical_base)
{
	unsigned long base = __pa(_text);

	KT_EXPECT_EQ(t, (unsigned long)_text, PAGE_OFFSET + base);
	KT_EXPECT_EQ(t, base % KERNEL_PHYS_ALIGN, 0);
	KT_EXPECT(t, base >= KERNEL_PHYS_LOAD);
	KT_EXPECT(t, __pa(_end) <= BOOT_DATA_LIMIT);
	KT_EXPECT_EQ(t, boot_info.kernel_phys_start, base);
	KT_EXPECT(t, boot_info.kernel_phys_end >= __pa(_end));
}

static bool in_text(unsigned long a)
{
	return (a >= (unsigned long)_text && a < (unsigned long)_etext) ||
	       (a >= (unsigned long)__init_begin && a < (unsigned long)__init_end);
}

static bool in_rodata(const void *p)
{
	return (const char *)p >= __start_rodata && (const char *)p < __end_rodata;
}

/*
 * Every table of absolute addresses the linker script gathers points into
 * the image where it runs: a table the loader's relocation records missed
 * would still point where the kernel is linked.
 */
KTEST(boot, tables_of_addresses_point_into_the_image_where_it_runs)
{
	const struct exception_table_entry *e;
	const struct ktest_case *c;
	const struct monitor_cmd *m;
	const struct obs_kernel_param *p;
	const struct kernel_symbol *k;

	KT_EXPECT(t, __stop___ex_table > __start___ex_table);
	for (e = __start___ex_table; e < __stop___ex_table; e++) {
		KT_EXPECT(t, in_text(e->insn));
		KT_EXPECT(t, in_text(e->fixup));
	}
	KT_EXPECT(t, __ktest_cases_end > __ktest_cases_start);
	for (c = __ktest_cases_start; c < __ktest_cases_end; c++) {
		KT_EXPECT(t, in_rodata(c->suite) && in_rodata(c->name));
		KT_EXPECT(t, in_text((unsigned long)c->run));
	}
	KT_EXPECT(t, __monitor_cmds_end > __monitor_cmds_start);
	for (m = __monitor_cmds_start; m < __monitor_cmds_end; m++) {
		KT_EXPECT(t, in_rodata(m->name) && in_rodata(m->args) && in_rodata(m->help));
		KT_EXPECT(t, in_text((unsigned long)m->fn));
	}
	KT_EXPECT(t, __setup_end > __setup_start);
	for (p = __setup_start; p < __setup_end; p++) {
		KT_EXPECT(t, in_rodata(p->str));
		KT_EXPECT(t, in_text((unsigned long)p->setup_func));
	}
	KT_EXPECT(t, __stop___ksymtab > __start___ksymtab);
	for (k = __start___ksymtab; k < __stop___ksymtab; k++) {
		KT_EXPECT(t, in_rodata(k->name));
		KT_EXPECT(t, k->value >= (unsigned long)_text && k->value < (unsigned long)_end);
	}
	/* What a module gets for a name is the symbol where it runs. */
	KT_EXPECT_EQ(t, find_kernel_symbol("printk"), (unsigned long)printk);
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
	uint64_t kend = __pa(_end), covered = __pa(_text);

	KT_ASSERT(t, t820->nr_entries > 0);
	for (uint32_t i = 0; i < t820->nr_entries; i++) {
		const struct e820_entry *e = &t820->entries[i];

		KT_EXPECT(t, e->size > 0);
		if (i > 0)
			KT_EXPECT(t, e->addr >= t820->entries[i - 1].addr +
					      t820->entries[i - 1].size);
		/* RAM from the image's start on, in one entry or several: a
		 * staged image's range may be part boot-services memory
		 * (usable) and part runs the loader held (loader). */
		if ((e->type == E820_TYPE_USABLE || e->type == E820_TYPE_LOADER) &&
		    e->addr <= covered && covered < e->addr + e->size)
			covered = e->addr + e->size;
	}
	KT_EXPECT(t, covered >= kend);
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
