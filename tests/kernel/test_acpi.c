/* SPDX-License-Identifier: MIT */
/*
 * ACPI in the running kernel (ACPI 6.5 ch. 5; kernel/acpi.c,
 * kernel/acpi_tables.c, kernel/acpi_aml.c) and ioremap (mm/vmalloc.c):
 * the firmware's real tables as QEMU's q35 and pc machines build them
 * (the power facts as the host test's copies of them say), broken copies
 * of the real MADT and DSDT refused with acpi_info untouched,
 * ioremap/iounmap leaving the vmalloc area as it was, and the PM timer.
 */
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/acpi_tables.h"
#include "kernel/bootinfo.h"
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/mm.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

static const void *kt_map(void *ctx, acpi_physical_address phys, uint32_t size)
{
	return ioremap_cache(phys, size);
}

static void kt_unmap(void *ctx, const void *virt, uint32_t size)
{
	iounmap(virt);
}

static const struct acpi_mem_ops kt_ops = { kt_map, kt_unmap, NULL };

/* A kmalloc copy of the firmware's MADT, its length and address. */
static uint8_t *copy_real_madt(uint32_t *len, acpi_physical_address *phys)
{
	const struct acpi_table_header *h;
	struct acpi_tables tables;
	struct acpi_root root;
	uint8_t *copy;
	int err;

	if (!(boot_info.flags & BOOT_INFO_RSDP) ||
	    acpi_rsdp_check(boot_info.rsdp, ACPI_RSDP_V2_SIZE,
			    boot_info.rsdp_phys, &root) ||
	    acpi_walk_root(&kt_ops, &root, &tables) || !tables.have_madt)
		return NULL;
	h = acpi_map_table(&kt_ops, tables.madt_phys, ACPI_SIG_MADT, &err);
	if (!h)
		return NULL;
	*len = h->length;
	*phys = tables.madt_phys;
	copy = kmalloc(*len, GFP_KERNEL);
	if (copy)
		memcpy(copy, h, *len);
	acpi_unmap_table(&kt_ops, h);
	return copy;
}

/*
 * Why the tables QEMU builds cannot be there, or NULL when they should
 * be: acpi=off, no RSDP from the firmware, or a root table that lists
 * neither a MADT nor a FADT and nothing refused but empty entries (QEMU's
 * -no-acpi: OVMF then publishes its own BGRT and a 0 entry). A root or
 * table the kernel refused is no reason: the test goes on and fails.
 */
static const char *no_qemu_tables(void)
{
	struct acpi_tables tables;
	struct acpi_root root;

	if (acpi_disabled)
		return "acpi=off";
	if (!(boot_info.flags & BOOT_INFO_RSDP))
		return "the firmware gave no ACPI tables (no RSDP)";
	if (acpi_rsdp_check(boot_info.rsdp, ACPI_RSDP_V2_SIZE,
			    boot_info.rsdp_phys, &root) ||
	    acpi_walk_root(&kt_ops, &root, &tables))
		return NULL;
	if (!tables.have_madt && !tables.have_fadt && tables.nr_bad == tables.nr_null)
		return "the firmware's ACPI tables have no MADT and no FADT (QEMU -no-acpi)";
	return NULL;
}

KTEST(acpi, qemu_tables_parsed)
{
	const struct acpi_madt_info *m = &acpi_info.madt;
	unsigned int enabled = 0;
	bool irq0_to_gsi2 = false;
	const char *why = no_qemu_tables();

	if (why)
		kt_skip(t, why);
	KT_ASSERT(t, acpi_info.have_madt);
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		enabled += m->cpus[i].enabled;
	KT_EXPECT(t, enabled >= 1);
	KT_EXPECT(t, m->nr_cpus <= NR_CPUS);
	KT_EXPECT_EQ(t, m->lapic_address, 0xfee00000);
	KT_ASSERT(t, m->nr_ioapics >= 1);
	KT_EXPECT_EQ(t, m->ioapics[0].address, 0xfec00000);
	KT_EXPECT_EQ(t, m->ioapics[0].gsi_base, 0);
	for (unsigned int i = 0; i < m->nr_overrides; i++)
		irq0_to_gsi2 |= m->overrides[i].bus == 0 &&
				m->overrides[i].source_irq == 0 &&
				m->overrides[i].gsi == 2;
	KT_EXPECT(t, irq0_to_gsi2);
	/* q35 (ICH9) puts the PM block at 0x600, pc (PIIX4) at 0xb000. */
	KT_ASSERT(t, acpi_info.have_pm_timer);
	KT_EXPECT(t, acpi_info.pm_timer_port == 0x608 ||
		     acpi_info.pm_timer_port == 0xb008);
}

/* Loading again gives the same result and leaves no mapping behind. */
KTEST(acpi, reload_same_result_nothing_leaked)
{
	unsigned long areas, failed;
	struct acpi_info *again;

	if (acpi_disabled)
		kt_skip(t, "acpi=off");
	if (!(boot_info.flags & BOOT_INFO_RSDP))
		kt_skip(t, "the firmware gave no ACPI tables (no RSDP)");
	again = kzalloc(sizeof(*again), GFP_KERNEL);
	KT_ASSERT(t, again != NULL);
	vm_purge_lazy();
	areas = vmalloc_stats.nr_areas;
	failed = vmalloc_stats.failed;
	KT_EXPECT_EQ(t, acpi_load_tables(again), 0);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	KT_EXPECT_EQ(t, vmalloc_stats.failed, failed);
	KT_EXPECT(t, memcmp(again, &acpi_info, sizeof(*again)) == 0);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	kfree(again);
}

KTEST(acpi, broken_madt_copy_refused_info_unchanged)
{
	struct acpi_madt_info *m;
	struct acpi_info *before;
	acpi_physical_address phys;
	uint8_t *copy;
	uint32_t len;
	const char *why = no_qemu_tables();

	if (why)
		kt_skip(t, why);
	copy = copy_real_madt(&len, &phys);
	KT_ASSERT(t, copy != NULL);
	before = kmalloc(sizeof(*before), GFP_KERNEL);
	m = kzalloc(sizeof(*m), GFP_KERNEL);
	if (!before || !m) {
		kfree(copy);
		kfree(before);
		kfree(m);
		KT_ASSERT(t, false);
	}
	memcpy(before, &acpi_info, sizeof(*before));

	/* The copy as it is parses to what the boot found. */
	KT_EXPECT_EQ(t, acpi_parse_madt((void *)copy, len, phys, m), ACPI_OK);
	KT_EXPECT(t, memcmp(m, &acpi_info.madt, sizeof(*m)) == 0);

	/* One byte flipped: the checksum. */
	copy[len / 2] ^= 0x01;
	KT_EXPECT_EQ(t, acpi_parse_madt((void *)copy, len, phys, &acpi_info.madt),
		     ACPI_ERR_CHECKSUM);
	KT_EXPECT(t, memcmp(before, &acpi_info, sizeof(*before)) == 0);
	copy[len / 2] ^= 0x01;

	/* The first entry's length 0, checksum mended: refused, no loop. */
	if (len > sizeof(struct acpi_table_madt) + 2) {
		struct acpi_table_header *h = (void *)copy;
		uint8_t *elen = copy + sizeof(struct acpi_table_madt) + 1;

		h->checksum += *elen;
		*elen = 0;
		KT_EXPECT_EQ(t, acpi_parse_madt((void *)copy, len, phys,
						&acpi_info.madt),
			     ACPI_ERR_SUBTABLE_LEN);
		KT_EXPECT(t, memcmp(before, &acpi_info, sizeof(*before)) == 0);
	}
	kfree(copy);
	kfree(before);
	kfree(m);
}

/*
 * QEMU's FADT and \_S5 as tests/host/data/acpi/ has them: SLP_TYPa and
 * SLP_TYPb 0, PM1a_CNT in system I/O 4 bytes below the PM timer (0x604 on
 * q35, 0xb004 on pc), no PM1b, SMI_CMD 0xb2; q35's revision 3 FADT has
 * the reset register (I/O 0xcf9, value 0xf), pc's revision 1 FADT none.
 */
KTEST(acpi, qemu_power_facts_as_in_the_host_data)
{
	const struct acpi_power *pw = &acpi_info.power;
	const char *why = no_qemu_tables();

	if (why)
		kt_skip(t, why);
	KT_ASSERT(t, acpi_info.have_fadt && acpi_info.have_pm_timer);
	KT_EXPECT(t, pw->have_s5);
	KT_EXPECT_STREQ(t, pw->s5_why, "");
	KT_EXPECT_EQ(t, pw->slp_typa, 0);
	KT_EXPECT_EQ(t, pw->slp_typb, 0);
	KT_EXPECT_EQ(t, pw->pm1a_cnt.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
	KT_EXPECT_EQ(t, pw->pm1a_cnt.address, acpi_info.pm_timer_port - 4u);
	KT_EXPECT_EQ(t, pw->pm1b_cnt.address, 0);
	KT_EXPECT_EQ(t, pw->smi_cmd, 0xb2);
	KT_EXPECT(t, pw->dsdt_phys != 0);
	if (acpi_info.pm_timer_port == 0x608) {		/* q35 */
		KT_EXPECT_EQ(t, pw->fadt_revision, 3);
		KT_EXPECT(t, pw->have_reset_reg);
		KT_EXPECT_EQ(t, pw->reset_reg.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
		KT_EXPECT_EQ(t, pw->reset_reg.address, 0xcf9);
		KT_EXPECT_EQ(t, pw->reset_value, 0x0f);
		KT_EXPECT_EQ(t, pw->acpi_enable, 0x02);
	} else {					/* pc */
		KT_EXPECT_EQ(t, acpi_info.pm_timer_port, 0xb008);
		KT_EXPECT_EQ(t, pw->fadt_revision, 1);
		KT_EXPECT(t, !pw->have_reset_reg);
		KT_EXPECT_STREQ(t, pw->reset_why, "FADT revision 1 has no RESET_REG (ACPI 1.0)");
		KT_EXPECT_EQ(t, pw->acpi_enable, 0xf1);
	}
}

/*
 * A copy of the real DSDT with its \_S5 damaged (NumElements 0, then a
 * string where the first value is), checksum mended: refused with the
 * reason, the power facts of the boot unchanged; the copy as it was
 * gives what the boot found.
 */
KTEST(acpi, broken_s5_copy_refused_power_unchanged)
{
	const struct acpi_power *pw = &acpi_info.power;
	const struct acpi_table_header *h;
	struct acpi_power *scratch, *before;
	uint8_t *copy = NULL;
	uint32_t len = 0, nelem;
	const char *why = no_qemu_tables();
	int err;

	if (why)
		kt_skip(t, why);
	KT_ASSERT(t, acpi_info.have_fadt && pw->have_s5);
	h = acpi_map_table(&kt_ops, pw->dsdt_phys, ACPI_SIG_DSDT, &err);
	KT_ASSERT(t, h != NULL);
	len = h->length;
	copy = kmalloc(len, GFP_KERNEL);
	if (copy)
		memcpy(copy, h, len);
	acpi_unmap_table(&kt_ops, h);
	scratch = kmalloc(sizeof(*scratch), GFP_KERNEL);
	before = kmalloc(sizeof(*before), GFP_KERNEL);
	if (!copy || !scratch || !before) {
		kfree(copy);
		kfree(scratch);
		kfree(before);
		KT_ASSERT(t, false);
	}
	memcpy(before, pw, sizeof(*before));

	*scratch = *pw;
	scratch->have_s5 = false;
	KT_EXPECT_EQ(t, acpi_parse_dsdt((void *)copy, len, pw->dsdt_phys, scratch), ACPI_OK);
	KT_EXPECT(t, memcmp(scratch, pw, sizeof(*pw)) == 0);

	/* NameOp "_S5_" PackageOp PkgLength NumElements: the count at +7. */
	nelem = pw->s5_offset + 7;
	KT_ASSERT(t, nelem < len && copy[pw->s5_offset] == 0x08);
	((struct acpi_table_header *)copy)->checksum += copy[nelem];
	copy[nelem] = 0;
	KT_EXPECT_EQ(t, acpi_parse_dsdt((void *)copy, len, pw->dsdt_phys, scratch), ACPI_ERR_AML);
	KT_EXPECT(t, !scratch->have_s5);
	KT_EXPECT(t, strstr(scratch->s5_why, "the package is empty") != NULL);
	KT_EXPECT(t, memcmp(before, pw, sizeof(*before)) == 0);

	/* Four elements again, the first a StringPrefix. */
	copy[nelem] = 4;
	((struct acpi_table_header *)copy)->checksum -= 4 + 0x0d - copy[nelem + 1];
	copy[nelem + 1] = 0x0d;
	*scratch = *pw;
	KT_EXPECT_EQ(t, acpi_parse_dsdt((void *)copy, len, pw->dsdt_phys, scratch), ACPI_ERR_AML);
	KT_EXPECT(t, strstr(scratch->s5_why, "element 0 (opcode 0x0d") != NULL);
	KT_EXPECT(t, memcmp(before, pw, sizeof(*before)) == 0);
	kfree(copy);
	kfree(scratch);
	kfree(before);
}

/* The frame and cache bits of the PTE mapping va. */
static uint64_t pte_of(const void *va)
{
	pmd_t *large;
	pte_t *pte = lookup_address((unsigned long)va, &large);

	return pte && pte_present(*pte) ? pte->pte : 0;
}

KTEST(acpi, ioremap_iounmap_balanced)
{
	unsigned long areas, bad = vmalloc_stats.bad_frees;
	uint8_t *p, *q, *hi;
	void *v;

	vm_purge_lazy();
	areas = vmalloc_stats.nr_areas;

	/* The RSDP through a cached mapping reads as the loader's copy. */
	if (boot_info.flags & BOOT_INFO_RSDP) {
		p = ioremap_cache(boot_info.rsdp_phys, ACPI_RSDP_V1_SIZE);
		KT_ASSERT(t, p != NULL);
		KT_EXPECT_EQ(t, (unsigned long)p & ~PAGE_MASK,
			     boot_info.rsdp_phys & ~PAGE_MASK);
		KT_EXPECT(t, memcmp(p, boot_info.rsdp, ACPI_RSDP_V1_SIZE) == 0);
		KT_EXPECT_EQ(t, pte_of(p) & (_PAGE_PCD | _PAGE_PWT), 0);
		KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas + 1);
		iounmap(p);
		KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	}

	/* Uncached, page offset kept, spanning a page boundary. */
	q = ioremap(0xfec00ff8ULL, 16);
	KT_ASSERT(t, q != NULL);
	KT_EXPECT_EQ(t, (unsigned long)q & ~PAGE_MASK, 0xff8);
	KT_EXPECT_EQ(t, pte_of(q) & PTE_PFN_MASK, 0xfec00000ULL);
	KT_EXPECT_EQ(t, pte_of(q + 8) & PTE_PFN_MASK, 0xfec01000ULL);
	KT_EXPECT_EQ(t, pte_of(q) & (_PAGE_PCD | _PAGE_PWT), _PAGE_PCD | _PAGE_PWT);
	KT_ASSERT(t, find_vm_area((void *)((unsigned long)q & PAGE_MASK)) != NULL);
	KT_EXPECT_EQ(t, find_vm_area((void *)((unsigned long)q & PAGE_MASK))->flags,
		     VM_IOREMAP);
	KT_EXPECT_EQ(t, find_vm_area((void *)((unsigned long)q & PAGE_MASK))->nr_pages, 2);

	/* Above 4 GiB (mapped, never touched), where the CPU's physical
	 * addresses reach; else refused. */
	hi = ioremap(0x100000000ULL + 0x123, 4);
	if (boot_cpu_data.x86_phys_bits > 32) {
		KT_ASSERT(t, hi != NULL);
		KT_EXPECT_EQ(t, pte_of(hi) & PTE_PFN_MASK, 0x100000000ULL);
		KT_EXPECT(t, vmalloc_to_page(hi) == NULL || max_pfn > 0x100000);
		KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas + 2);
	} else {
		KT_EXPECT(t, hi == NULL);
		KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas + 1);
	}
	KT_EXPECT(t, ioremap(1ULL << boot_cpu_data.x86_phys_bits, PAGE_SIZE) == NULL);

	/* Misuse: refused, reported, nothing changed. */
	KT_EXPECT(t, ioremap(0xfec00000ULL, 0) == NULL);
	KT_EXPECT(t, ioremap_cache(0xfec00000ULL, 0) == NULL);
	KT_EXPECT(t, ioremap(~0ULL - 10, 100) == NULL);
	KT_EXPECT(t, ioremap(1ULL << 50, PAGE_SIZE) == NULL);
	v = vmalloc(PAGE_SIZE);
	KT_ASSERT(t, v != NULL);
	iounmap(v);				/* not an ioremap area */
	KT_EXPECT_EQ(t, vfree(q), -EINVAL);	/* not a vmalloc one */
	iounmap((void *)VMALLOC_END);
	KT_EXPECT_EQ(t, vmalloc_stats.bad_frees, bad + 3);
	KT_EXPECT_EQ(t, vfree(v), 0);

	iounmap(q);
	iounmap(hi);
	iounmap(NULL);
	KT_EXPECT_EQ(t, pte_of(q), 0);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
	vm_purge_lazy();
	KT_EXPECT_EQ(t, vmalloc_check(), 0);
}

/* The PM timer and the TSC as one instant. */
static void pm_tsc_sample(uint32_t *pm, uint64_t *tsc)
{
	unsigned long flags;

	local_irq_save(flags);
	*pm = acpi_pm_read();
	*tsc = rdtsc();
	local_irq_restore(flags);
}

/* Whether a PM step of step counts (modulo range, a power of two) is what
 * the TSC's dtsc cycles allow: step + k * range for some k >= 0, within
 * range / 8. tsc_to_pm32 is PM counts per TSC cycle times 2^32. */
static bool pm_step_matches_tsc(uint32_t step, uint64_t dtsc, uint64_t tsc_to_pm32,
				uint64_t range)
{
	int64_t d = (int64_t)((dtsc * tsc_to_pm32) >> 32) - (int64_t)step;
	uint64_t off;

	if (d < -(int64_t)(range / 8))
		return false;
	if (d < 0)
		return true;
	off = (uint64_t)d & (range - 1);	/* range is a power of two */
	return off <= range / 8 || range - off <= range / 8;
}

KTEST(acpi, pm_timer_advances_and_wraps)
{
	uint32_t mask, a, b, prev, max_step = 0, bad_bits = 0, disagree = 0;
	uint64_t prev_tsc, tsc_to_pm32, range;
	unsigned long spins = 0;

	/* The wrap arithmetic holds whatever the machine. */
	KT_EXPECT_EQ(t, acpi_pm_ticks(0xfffff0, 0x10, false), 0x20);
	KT_EXPECT_EQ(t, acpi_pm_ticks(0xfffffff0, 0x10, true), 0x20);
	KT_EXPECT_EQ(t, acpi_pm_ticks(0x10, 0x10, false), 0);
	KT_EXPECT_EQ(t, acpi_pm_ticks(0x12, 0x10, false), 0xfffffe);

	/* The timer in use: the FADT's, or without one the chipset's. */
	if (!pm_timer.present)
		kt_skip(t, "no PM timer");
	mask = pm_timer.bits32 ? 0xffffffffu : 0xffffffu;
	a = acpi_pm_read();
	do {
		b = acpi_pm_read();
	} while (b == a && ++spins < 10000000);
	KT_EXPECT_NE(t, a, b);
	KT_EXPECT_EQ(t, a & ~mask, 0);
	KT_EXPECT_EQ(t, b & ~mask, 0);

	/*
	 * Many readings: each within the mask, and no step backwards. A step
	 * back shows as a step of almost the whole range, and so does a
	 * pause of the virtual CPU that long (4.7 s for 24 bits), which a
	 * loaded host can cause: each step is judged against the TSC read
	 * at the same instant, another guest clock. The PM step plus some
	 * whole number of wraps must match the TSC's time within an eighth
	 * of the range (the TSC rate is calibrated to 0.1%, so that holds for
	 * pauses of minutes); a step back would need fewer than none.
	 */
	range = (uint64_t)mask + 1;
	tsc_to_pm32 = div_u64(div_u64((uint64_t)ACPI_PM_TIMER_HZ << 32, 1000), tsc_khz);
	pm_tsc_sample(&prev, &prev_tsc);
	for (int i = 0; i < 20000; i++) {
		uint32_t now, step;
		uint64_t now_tsc;

		pm_tsc_sample(&now, &now_tsc);
		bad_bits += (now & ~mask) != 0;
		step = acpi_pm_ticks(prev, now, pm_timer.bits32);
		if (step > max_step)
			max_step = step;
		disagree += !pm_step_matches_tsc(step, now_tsc - prev_tsc,
						 tsc_to_pm32, range);
		prev = now;
		prev_tsc = now_tsc;
	}
	pr_info("acpi: PM timer (from %s): largest of 20000 steps %u counts, %u disagreeing with the TSC\n",
		pm_timer.source, max_step, disagree);
	KT_EXPECT_EQ(t, bad_bits, 0);
	KT_EXPECT_EQ(t, disagree, 0);
}
