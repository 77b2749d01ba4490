/* SPDX-License-Identifier: MIT */
/*
 * The monitor's highmem and system commands (monitor/highmem.c,
 * monitor/sys.c; docs/console.md), each run through monitor_capture and
 * its output checked against the kernel's own state: pkmap against
 * pkmap_count[] and kmap_stats, `kmap 600` against a model of the wrap
 * rule, hold/kunmap and their limits, fixmap against IA32_APIC_BASE,
 * interrupts against the tick, lsmod/insmod/rmmod against the module
 * list, `ktest` nested in this run, and a line for each bad argument.
 */
#include "asm/apic.h"
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/smp.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/gfp.h"
#include "mm/highmem.h"
#include "mm/mm.h"
#include "mm/pgtrace.h"
#include "mm/vmalloc.h"

/* Room for `pkmap all` (512 lines) and the rest. */
static char out[32768];

static int run(const char *line)
{
	int ret;

	monitor_capture(line, out, sizeof(out), &ret);
	return ret;
}

/* The output, as KTAP diagnostics, for a failure to show. */
static void show_output(void)
{
	for (const char *p = out; *p; ) {
		size_t n = strcspn(p, "\n");

		printk("    # > %.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
}

/* The output holds want (a whole line, or a part of one); else a failure
 * that quotes it, and the output. */
#define EXPECT_OUTPUT_HAS(t, want) do {					\
	const char *__want = (want);					\
	if (!strstr(out, __want)) {					\
		__kt_fail(t, false, __FILE__, __LINE__,			\
			  "the output lacks \"%s\"", __want);		\
		show_output();						\
	}								\
} while (0)

static unsigned int lines_of(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* The number after the first occurrence of key in out, or ~0UL. */
static unsigned long number_after(const char *key)
{
	const char *p = strstr(out, key);

	return p ? (unsigned long)simple_strtoull(p + strlen(key), NULL, 0) : ~0UL;
}

static bool have_highmem(unsigned long pages)
{
	return zones[ZONE_HIGHMEM].present_pages && zones[ZONE_HIGHMEM].free_pages >= pages;
}

/* ------------------------------------------------------------ pkmap */

static char count_char(int c)
{
	return c <= 0 ? '.' : c <= 9 ? (char)('0' + c) : '+';
}

KTEST(monitor_sys, pkmap_counts_agree_with_pkmap_count_and_the_flush_counter)
{
	unsigned int zero = 0, one = 0, mapped = 0;
	char want[160];

	/* Slots at 2 and at 1 besides the free ones, where there is highmem. */
	if (have_highmem(16)) {
		KT_ASSERT_EQ(t, run("kmap hold 3"), 0);
		KT_ASSERT_EQ(t, run("kmap 5"), 0);
	}
	KT_ASSERT_EQ(t, run("pkmap"), 0);
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		zero += pkmap_count[i] == 0;
		one += pkmap_count[i] == 1;
		mapped += pkmap_count[i] >= 2;
	}
	snprintf(want, sizeof(want), "last_pkmap_nr %u\n", last_pkmap_nr);
	EXPECT_OUTPUT_HAS(t, want);
	snprintf(want, sizeof(want),
		 "counts: %u free (0), %u unused until the next wrap (1), %u mapped (2+)\n",
		 zero, one, mapped);
	EXPECT_OUTPUT_HAS(t, want);
	snprintf(want, sizeof(want), "since boot: %lu wraps, %lu global flushes,",
		 kmap_stats.pkmap_wraps, kmap_stats.global_flushes);
	EXPECT_OUTPUT_HAS(t, want);
	for (unsigned int row = 0; row < LAST_PKMAP; row += 64) {
		int n = snprintf(want, sizeof(want), "%5u ", row);

		for (unsigned int i = 0; i < 64; i++)
			want[n + i] = count_char(pkmap_count[row + i]);
		want[n + 64] = '\n';
		want[n + 65] = '\0';
		EXPECT_OUTPUT_HAS(t, want);
	}
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i] < 2)
			continue;
		snprintf(want, sizeof(want), "%5u  0x%08lx  %5d  0x", i, PKMAP_ADDR(i), pkmap_count[i]);
		EXPECT_OUTPUT_HAS(t, want);
	}

	/* Every slot, a line each, the page it maps where it maps one. */
	KT_ASSERT_EQ(t, run("pkmap all"), 0);
	KT_EXPECT_EQ(t, lines_of(out), 4 + LAST_PKMAP);
	for (unsigned int i = 0; i < LAST_PKMAP; i++) {
		if (pkmap_count[i])
			snprintf(want, sizeof(want), "\n%5u  0x%08lx  %5d  0x%-7lx  0x%llx\n", i,
				 PKMAP_ADDR(i), pkmap_count[i], pte_pfn(pkmap_page_table[i]),
				 (unsigned long long)pte_pfn(pkmap_page_table[i]) << PAGE_SHIFT);
		else
			snprintf(want, sizeof(want), "\n%5u  0x%08lx  %5d  -\n", i, PKMAP_ADDR(i), 0);
		EXPECT_OUTPUT_HAS(t, want);
	}
	KT_EXPECT_EQ(t, run("kunmap all"), 0);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 0);
}

/*
 * The wrap rule, modelled: each kmap of a page no slot maps scans on from
 * last_pkmap_nr for a slot at 0; reaching slot 0 is a wrap, which frees
 * every slot at 1 with one global flush if there is any; kunmap leaves
 * the slot at 1.
 */
static int model[LAST_PKMAP];

KTEST(monitor_sys, kmap_600_makes_the_flushes_the_wrap_rule_predicts)
{
	unsigned long wraps, flushes, f0, w0;
	unsigned int nr, freed, first_freed;
	char want[128];

	if (!have_highmem(600 + LAST_PKMAP))
		kt_skip(t, "fewer than 1112 free highmem pages");
	/* Twice: the second starts where the first left its slots at 1. */
	for (int round = 0; round < 2; round++) {
		memcpy(model, pkmap_count, sizeof(model));
		nr = last_pkmap_nr;
		wraps = flushes = 0;
		first_freed = 0;
		for (int i = 0; i < 600; i++) {
			do {
				nr = (nr + 1) & LAST_PKMAP_MASK;
				if (nr)
					continue;
				wraps++;
				freed = 0;
				for (int s = 0; s < LAST_PKMAP; s++) {
					freed += model[s] == 1;
					model[s] = model[s] == 1 ? 0 : model[s];
				}
				flushes += freed > 0;
				if (freed && !first_freed)
					first_freed = freed;
			} while (model[nr]);
			model[nr] = 1;
		}
		f0 = kmap_stats.global_flushes;
		w0 = kmap_stats.pkmap_wraps;
		KT_ASSERT_EQ(t, run("kmap 600"), 0);
		KT_EXPECT_EQ(t, kmap_stats.global_flushes - f0, flushes);
		KT_EXPECT_EQ(t, kmap_stats.pkmap_wraps - w0, wraps);
		KT_EXPECT_EQ(t, last_pkmap_nr, nr);
		KT_EXPECT_EQ(t, memcmp(model, pkmap_count, sizeof(model)), 0);
		snprintf(want, sizeof(want), "kmap: 600 pairs, %lu wrap%s, %lu global flush",
			 wraps, wraps == 1 ? "" : "s", flushes);
		EXPECT_OUTPUT_HAS(t, want);
		if (first_freed) {
			snprintf(want, sizeof(want),
				 "  wrap to slot 0: %u slots at count 1 freed, global flush #%lu\n",
				 first_freed, f0 + 1);
			EXPECT_OUTPUT_HAS(t, want);
		}
		/* And pkmap shows the new total. */
		KT_ASSERT_EQ(t, run("pkmap"), 0);
		snprintf(want, sizeof(want), " wraps, %lu global flushes,", f0 + flushes);
		EXPECT_OUTPUT_HAS(t, want);
	}
}

KTEST(monitor_sys, kmap_hold_and_kunmap_round_trip)
{
	unsigned long va[2], slot;
	const char *p;
	char line[64];

	if (!have_highmem(2))
		kt_skip(t, "fewer than 2 free highmem pages");
	KT_ASSERT_EQ(t, mon_kmaps_held(), 0);
	KT_ASSERT_EQ(t, run("kmap hold 2"), 0);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 2);
	p = out;
	for (int i = 0; i < 2; i++) {
		p = strstr(p, " at 0x");
		KT_ASSERT(t, p != NULL);
		va[i] = (unsigned long)simple_strtoull(p + 4, NULL, 16);
		p++;
		KT_EXPECT(t, va[i] >= PKMAP_BASE && va[i] < PKMAP_ADDR(LAST_PKMAP));
		KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va[i])], 2);
	}
	KT_EXPECT(t, strstr(out, "kmap: 2 held") != NULL);

	/* Any address inside the page names it. */
	snprintf(line, sizeof(line), "kunmap 0x%lx", va[0] + 0x123);
	KT_EXPECT_EQ(t, run(line), 0);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 1);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va[0])], 1);
	KT_EXPECT_EQ(t, lines_of(out), 1);
	/* Released once: not held any more, and nothing changes. */
	slot = PKMAP_NR(va[0]);
	KT_EXPECT_EQ(t, run(line), -EINVAL);
	snprintf(line, sizeof(line), "kunmap: 0x%lx: not a mapping that kmap hold made (1 held)\n",
		 va[0] + 0x123);
	KT_EXPECT_STREQ(t, out, line);
	KT_EXPECT_EQ(t, pkmap_count[slot], 1);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 1);

	KT_EXPECT_EQ(t, run("kunmap all"), 0);
	KT_EXPECT_STREQ(t, out, "kunmap: 1 released (their slots at count 1 until the next wrap)\n");
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va[1])], 1);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 0);
}

static unsigned int mapped_slots(void)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < LAST_PKMAP; i++)
		n += pkmap_count[i] >= 2;
	return n;
}

/* More than LAST_PKMAP - 1 mapped slots in all is refused: with every
 * slot mapped, the next kmap at the prompt would never return. */
KTEST(monitor_sys, kmap_hold_stops_at_last_pkmap_minus_one)
{
	unsigned int room = LAST_PKMAP - 1 - mapped_slots();
	char line[64], want[160];

	if (!have_highmem(LAST_PKMAP + 8))
		kt_skip(t, "fewer than 520 free highmem pages");
	memcpy(model, pkmap_count, sizeof(model));
	snprintf(line, sizeof(line), "kmap hold %u", room + 1);
	KT_EXPECT_EQ(t, run(line), -ENOSPC);
	snprintf(want, sizeof(want),
		 "kmap: hold %u: %u + %u mapped slots > %u: the next kmap would sleep forever at the prompt\n",
		 room + 1, LAST_PKMAP - 1 - room, room + 1, LAST_PKMAP - 1);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 0);
	KT_EXPECT_EQ(t, memcmp(model, pkmap_count, sizeof(model)), 0);

	/* Up to the limit it holds; one more is refused; kmap still works in
	 * the one slot left, and ktest waits for the slots. */
	snprintf(line, sizeof(line), "kmap hold %u", room);
	KT_ASSERT_EQ(t, run(line), 0);
	KT_EXPECT_EQ(t, mon_kmaps_held(), room);
	KT_EXPECT_EQ(t, mapped_slots(), LAST_PKMAP - 1);
	KT_EXPECT_EQ(t, run("kmap hold 1"), -ENOSPC);
	KT_EXPECT_EQ(t, mon_kmaps_held(), room);
	KT_EXPECT_EQ(t, run("kmap 3"), 0);
	KT_EXPECT_EQ(t, run("ktest monitor.numbers"), -EBUSY);
	KT_EXPECT(t, strstr(out, "kunmap all first") != NULL);
	KT_EXPECT_EQ(t, run("kunmap all"), 0);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 0);
	KT_EXPECT_EQ(t, mapped_slots(), LAST_PKMAP - 1 - room);
}

/* A kunmap of what kmap hold did not map is refused, whoever mapped it. */
KTEST(monitor_sys, kunmap_of_an_address_not_held_is_refused)
{
	struct page *page;
	char line[64], want[128];
	void *va;
	int count;

	KT_EXPECT_EQ(t, run("kunmap 0xfe000000"), -EINVAL);
	snprintf(want, sizeof(want), "kunmap: 0xfe000000: not a mapping that kmap hold made (%u held)\n",
		 mon_kmaps_held());
	KT_EXPECT_STREQ(t, out, want);
	if (!have_highmem(1))
		kt_skip(t, "no free highmem page");
	KT_ASSERT_EQ(t, alloc_highmem_pages(&page, 1), 1);
	va = kmap(page);
	count = pkmap_count[PKMAP_NR(va)];
	snprintf(line, sizeof(line), "kunmap 0x%lx", (unsigned long)va);
	KT_EXPECT_EQ(t, run(line), -EINVAL);
	KT_EXPECT_EQ(t, pkmap_count[PKMAP_NR(va)], count);
	KT_EXPECT(t, page_address_highmem(page) == va);
	KT_EXPECT_EQ(t, kunmap(page), 0);
	kmap_flush_unused();
	__free_page(page);
}

KTEST(monitor_sys, kmap_atomic_shows_its_slot_and_pte)
{
	unsigned int cpu = smp_processor_id();
	unsigned long va, pfn, want_va;
	uint64_t pte;
	const char *p;

	if (!have_highmem(1)) {
		KT_EXPECT_EQ(t, run("kmap_atomic"), -ENODEV);
		KT_EXPECT_STREQ(t, out, "kmap_atomic: no highmem here: ZONE_HIGHMEM is empty, all RAM is in the direct map\n");
		kt_skip(t, "no highmem: only the refusal checked");
	}
	KT_ASSERT_EQ(t, run("kmap_atomic"), 0);
	want_va = __fix_to_virt(FIX_KMAP_BEGIN + KM_TYPE_NR * cpu + kmap_atomic_depth());
	pfn = number_after("kmap_atomic: pfn ");
	va = number_after(" at ");
	KT_EXPECT_EQ(t, va, want_va);
	p = strstr(out, "PTE 0x");
	KT_ASSERT(t, p != NULL);
	pte = simple_strtoull(p + 4, NULL, 16);
	KT_EXPECT_EQ(t, (unsigned long)((pte & PTE_PFN_MASK) >> PAGE_SHIFT), pfn);
	KT_EXPECT(t, pte & _PAGE_PRESENT);
	KT_EXPECT(t, pfn >= zones[ZONE_HIGHMEM].zone_start_pfn);
	/* Unmapped again: the PTE is clear, the stack as it was. */
	KT_EXPECT_EQ(t, fixmap_pte(__virt_to_fix(va))->pte, 0);
	KT_EXPECT(t, strstr(out, "PTE now 0x0000000000000000") != NULL);
	KT_EXPECT_EQ(t, kmap_atomic_depth(), 0);
}

KTEST(monitor_sys, without_highmem_kmap_says_so)
{
	if (zones[ZONE_HIGHMEM].present_pages)
		kt_skip(t, "this machine has highmem");
	KT_EXPECT_EQ(t, run("kmap 600"), -ENODEV);
	KT_EXPECT_STREQ(t, out, "kmap: no highmem here: ZONE_HIGHMEM is empty, all RAM is in the direct map\n");
	KT_EXPECT_EQ(t, run("kmap hold 1"), -ENODEV);
	KT_EXPECT_EQ(t, mon_kmaps_held(), 0);
}

/* ------------------------------------------------------------ fixmap */

#define MSR_IA32_APICBASE	0x1b

KTEST(monitor_sys, fixmap_lists_the_apic_slot_with_its_physical_address)
{
	char want[160];

	KT_ASSERT_EQ(t, run("fixmap"), 0);
	if (!pte_present(*fixmap_pte(FIX_APIC_BASE)))
		kt_skip(t, "no local APIC mapped");
	/* The physical address from the CPU, not from the PTE. */
	snprintf(want, sizeof(want), "%5u  %-32s  0x%08lx  0x%08llx  P RW PWT PCD A D",
		 FIX_APIC_BASE, "FIX_APIC_BASE", __fix_to_virt(FIX_APIC_BASE),
		 rdmsr(MSR_IA32_APICBASE) & 0xffffff000ULL);
	EXPECT_OUTPUT_HAS(t, want);
	EXPECT_OUTPUT_HAS(t, "(UC)\n");
	for (unsigned int i = 0; i < acpi_info.madt.nr_ioapics && i < MAX_IO_APICS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "FIX_IO_APIC_BASE_%u", i);
		snprintf(want, sizeof(want), "%5u  %-32s  0x%08lx  0x%08llx  ", FIX_IO_APIC_BASE_0 + i,
			 name, __fix_to_virt(FIX_IO_APIC_BASE_0 + i),
			 (unsigned long long)acpi_info.madt.ioapics[i].address);
		EXPECT_OUTPUT_HAS(t, want);
	}
	/* The hole at the top is never mapped. */
	KT_EXPECT(t, strstr(out, "FIX_HOLE") == NULL);
}

/* ------------------------------------------------------------ interrupts */

/* The count in column cpu of the row labelled label ("LOC:"), or ~0UL. */
static unsigned long column(const char *label, unsigned int col)
{
	const char *p = strstr(out, label);
	char *end;
	unsigned long v = ~0UL;

	if (!p)
		return v;
	p += strlen(label);
	for (unsigned int i = 0; i <= col; i++) {
		p = skip_spaces(p);
		v = (unsigned long)simple_strtoull(p, &end, 10);
		if (end == p)
			return ~0UL;
		p = end;
	}
	return v;
}

static void noop_irq(unsigned int irq, void *dev)
{
}

/* ISA IRQ 5 is edge triggered unless the MADT overrides it (QEMU makes
 * it level triggered, as the PCI interrupts it may carry). */
static bool irq5_level(void)
{
	for (unsigned int i = 0; i < acpi_info.madt.nr_overrides; i++) {
		const struct acpi_override *o = &acpi_info.madt.overrides[i];

		if (o->bus == 0 && o->source_irq == 5)
			return (o->flags & ACPI_MADT_TRIGGER_MASK) == ACPI_MADT_TRIGGER_LEVEL;
	}
	return false;
}

/* The tick's row: LOC: with a local APIC, else IRQ 0's (the PIT or the
 * HPET through the 8259), as Linux's /proc/interrupts has them. */
KTEST(monitor_sys, interrupts_counts_grow_with_the_timer)
{
	unsigned int cpu = smp_processor_id(), col = 0, c;
	unsigned int tick_vector = lapic_present ? LOCAL_TIMER_VECTOR : PIC_MASTER_VECTOR + tick_irq;
	char tick_row[8];
	unsigned long before, after, first, second, t0;
	static int dev;
	char want[128];

	for_each_online_cpu(c) {
		if (c == cpu)
			break;
		col++;
	}
	before = irq_count(cpu, tick_vector);
	KT_ASSERT_EQ(t, run("interrupts"), 0);
	after = irq_count(cpu, tick_vector);
	snprintf(want, sizeof(want), "CPU%-8u", cpu);
	EXPECT_OUTPUT_HAS(t, want);
	if (lapic_present) {
		strscpy(tick_row, "LOC:", sizeof(tick_row));
	} else {
		snprintf(tick_row, sizeof(tick_row), "\n%3u:", tick_irq);
		snprintf(want, sizeof(want), " XT-PIC  %3u-edge     %s\n", tick_irq,
			 tick_irq ? "rtc" : "timer");
		EXPECT_OUTPUT_HAS(t, want);
	}
	first = column(tick_row, col);
	KT_EXPECT(t, first >= before && first <= after);
	KT_EXPECT(t, strstr(out, "Local timer interrupts\n") != NULL);
	KT_EXPECT(t, strstr(out, "TLB shootdowns\n") != NULL);
	KT_EXPECT(t, strstr(out, "\nERR: ") != NULL);

	/* Two ticks later the LOC count is higher. */
	t0 = cpu_ticks(cpu);
	while (cpu_ticks(cpu) < t0 + 2)
		msleep(10);
	KT_ASSERT_EQ(t, run("interrupts"), 0);
	second = column(tick_row, col);
	KT_EXPECT(t, second != ~0UL);
	KT_EXPECT(t, second >= first + 2);

	/* A requested IRQ gets its row: IRQ 5, which nothing here uses. */
	if (!device_irqs_available())
		kt_skip(t, "no IO-APIC: no requested IRQ rows");
	KT_ASSERT_EQ(t, request_irq(5, noop_irq, &dev, "ktest-irq5"), 0);
	run("interrupts");
	free_irq(5, &dev);
	if (lapic_present)
		snprintf(want, sizeof(want), " IO-APIC %3u-%s ktest-irq5\n", isa_irq_to_gsi(5),
			 irq5_level() ? "fasteoi " : "edge    ");
	else
		snprintf(want, sizeof(want), " XT-PIC    5-edge     ktest-irq5\n");
	EXPECT_OUTPUT_HAS(t, want);
	KT_EXPECT_EQ(t, column("  5:", col), irq_count(cpu, isa_irq_vector(5)));
	run("interrupts");
	KT_EXPECT(t, strstr(out, "ktest-irq5") == NULL);
}

KTEST(monitor_sys, cpus_lists_every_online_cpu)
{
	unsigned int cpu;
	char want[64];

	KT_ASSERT_EQ(t, run("cpus"), 0);
	for_each_online_cpu(cpu) {
		if (lapic_present)
			snprintf(want, sizeof(want), "\n%3u  %7u  ", cpu, per_cpu(cpu)->apic_id);
		else
			snprintf(want, sizeof(want), "\n%3u  %7s  ", cpu, "-");
		EXPECT_OUTPUT_HAS(t, want);
	}
	snprintf(want, sizeof(want), "CPUs online   : %u\n", num_online_cpus());
	EXPECT_OUTPUT_HAS(t, want);
	snprintf(want, sizeof(want), "TSC           : %u.%03u MHz, calibrated against %s\n",
		 tsc_khz / 1000, tsc_khz % 1000, ref_clock_name(ref_clock_used));
	EXPECT_OUTPUT_HAS(t, want);
	EXPECT_OUTPUT_HAS(t, !lapic_present ? "local APIC    : none" :
			  x2apic_mode ? "local APIC    : x2APIC mode\n" :
			  "local APIC    : xAPIC mode\n");
	EXPECT_OUTPUT_HAS(t, tick_source == TICK_LAPIC ? "timer         : local APIC, periodic at " :
			  tick_source == TICK_PIT ? "timer         : PIT channel 0 on IRQ 0 through the 8259" :
			  tick_source == TICK_HPET ? "timer         : HPET timer 0 on IRQ 0 through the 8259" :
			  "timer         : the RTC's periodic interrupt on IRQ 8 through the 8259");
}

/* ------------------------------------------------------------ modules */

KTEST(monitor_sys, lsmod_lists_what_was_loaded)
{
	unsigned int n = 0;
	char want[96];

	KT_ASSERT_EQ(t, run("lsmod"), 0);
	for (const struct module *mod = next_module(NULL); mod; mod = next_module(mod)) {
		snprintf(want, sizeof(want), "%s %u 0 - %s 0x%08lx\n", mod->name,
			 mod->layout.total_size, module_state_name(mod->state),
			 (unsigned long)mod->base);
		EXPECT_OUTPUT_HAS(t, want);
		n++;
	}
	KT_EXPECT_EQ(t, lines_of(out), n);
	/* What the boot loaded is there (unless unloaded since). */
	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		char name[MODULE_NAME_LEN], *dot;

		strscpy(name, boot_modules[i].name, sizeof(name));
		dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		if (find_module(name)) {
			snprintf(want, sizeof(want), "%s ", name);
			KT_EXPECT(t, strncmp(out, want, strlen(want)) == 0 || strstr(out, want));
		}
	}
}

/* Whether the boot failed to load the module of file ("03-x.ko"). */
static bool failed_at_boot(const char *file)
{
	const struct module_load_record *r;
	unsigned int n;

	r = boot_module_records(&n);
	for (unsigned int i = 0; i < n; i++)
		if (strncmp(file, r[i].name, strlen(r[i].name)) == 0 &&
		    strcmp(file + strlen(r[i].name), ".ko") == 0)
			return true;
	return false;
}

/* The boot modules' blobs stay where insmod can read them: reserved
 * frames (never handed to the allocator), the good ones still ELF files
 * (the bad-modules boot brings some that never were). */
KTEST(monitor_sys, boot_module_blobs_stay_available)
{
	if (!nr_boot_modules)
		kt_skip(t, "the image has no modules");
	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		const struct boot_module *bm = &boot_modules[i];

		for (uint64_t a = bm->phys & PAGE_MASK; a < bm->phys + bm->size; a += PAGE_SIZE)
			KT_EXPECT(t, PageReserved(pfn_to_page((unsigned long)(a >> PAGE_SHIFT))));
		if (!failed_at_boot(bm->name))
			KT_EXPECT_EQ(t, memcmp(__va(bm->phys), "\177ELF", 4), 0);
	}
}

static bool boot_module_named(const char *file)
{
	for (unsigned int i = 0; i < nr_boot_modules; i++)
		if (strcmp(boot_modules[i].name, file) == 0)
			return true;
	return false;
}

KTEST(monitor_sys, rmmod_insmod_round_trip_of_a_boot_module)
{
	unsigned long areas = vmalloc_stats.nr_areas;
	bool loaded = find_module("hello") != NULL;
	char want[96];

	if (!boot_module_named("hello.ko"))
		kt_skip(t, "the image has no hello.ko");
	if (!loaded) {
		KT_ASSERT_EQ(t, run("insmod hello.ko"), 0);
		areas++;
	}
	KT_EXPECT_EQ(t, run("insmod hello"), -EEXIST);
	KT_EXPECT_STREQ(t, out, "insmod: hello: already loaded\n");

	KT_ASSERT_EQ(t, run("rmmod hello"), 0);
	KT_EXPECT_STREQ(t, out, "rmmod: hello unloaded\n");
	KT_EXPECT(t, find_module("hello") == NULL);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas - 1);
	run("lsmod");
	KT_EXPECT(t, strncmp(out, "hello ", 6) != 0 && !strstr(out, "\nhello "));
	KT_EXPECT_EQ(t, run("rmmod hello"), -ENOENT);
	KT_EXPECT_STREQ(t, out, "rmmod: hello: not loaded\n");

	KT_ASSERT_EQ(t, run("insmod hello"), 0);
	KT_ASSERT(t, find_module("hello") != NULL);
	snprintf(want, sizeof(want), "insmod: hello loaded at 0x%08lx (%u bytes)\n",
		 (unsigned long)find_module("hello")->base, find_module("hello")->layout.total_size);
	KT_EXPECT_STREQ(t, out, want);
	KT_EXPECT_EQ(t, vmalloc_stats.nr_areas, areas);
	run("lsmod");
	KT_EXPECT(t, strncmp(out, "hello ", 6) == 0 || strstr(out, "\nhello "));
	if (!loaded)
		KT_EXPECT_EQ(t, run("rmmod hello"), 0);

	/* ktest_mod's cases are part of this run: it stays. */
	if (find_module("ktest_mod")) {
		KT_EXPECT_EQ(t, run("rmmod ktest_mod"), -EBUSY);
		KT_EXPECT_STREQ(t, out, "rmmod: ktest_mod: its test cases are part of the run in progress\n");
		KT_EXPECT(t, find_module("ktest_mod") != NULL);
	}
	KT_EXPECT_EQ(t, run("insmod nosuch"), -ENOENT);
	snprintf(want, sizeof(want), "insmod: nosuch: not among the %u modules the loader brought\n",
		 nr_boot_modules);
	KT_EXPECT_STREQ(t, out, want);
}

/* ------------------------------------------------------------ ktest */

static unsigned int probe_runs;
static bool probe_fail, probe_recurse;
static int probe_recurse_ret;

/* Passes in an ordinary run; the case below makes it fail, or start a
 * third level, when it runs it nested. */
KTEST(monitor_sys, nested_probe)
{
	static char probe_out[256];

	probe_runs++;
	if (probe_recurse)
		monitor_capture("ktest monitor.numbers", probe_out, sizeof(probe_out),
				&probe_recurse_ret);
	KT_EXPECT(t, !probe_fail);
}

KTEST(monitor_sys, ktest_glob_runs_nested_in_this_run)
{
	size_t log = log_buf_len_now();
	unsigned int runs = probe_runs;
	static char logged[2048];

	KT_ASSERT(t, ktest_running());
	KT_EXPECT_EQ(t, run("ktest monitor_sys.nested_probe,monitor.numbers"), 0);
	KT_EXPECT_STREQ(t, out, "ktest: 2 passed, 0 failed, 0 skipped\n");
	KT_EXPECT_EQ(t, probe_runs, runs + 1);
	/* Its KTAP is this case's subtests: four columns deeper. */
	log_buf_copy_text(logged, sizeof(logged), log);
	KT_EXPECT(t, strstr(logged, "        KTAP version 1\n        1..2\n") != NULL);
	KT_EXPECT(t, strstr(logged, "            ok 1 nested_probe\n") != NULL);
	KT_EXPECT(t, strstr(logged, "        # Totals: pass:2 fail:0 skip:0\n") != NULL);

	/* A failure in the nested run is its own, not this case's. */
	probe_fail = true;
	KT_EXPECT_EQ(t, run("ktest monitor_sys.nested_probe"), -EIO);
	probe_fail = false;
	KT_EXPECT_STREQ(t, out, "ktest: 0 passed, 1 failed, 0 skipped\n");

	/* A third level is refused; this case itself is never run again. */
	probe_recurse = true;
	KT_EXPECT_EQ(t, run("ktest monitor_sys.nested_probe"), 0);
	probe_recurse = false;
	KT_EXPECT_EQ(t, probe_recurse_ret, -EBUSY);
	KT_EXPECT_EQ(t, run("ktest monitor_sys.ktest_glob_runs_nested_in_this_run"), -ENOENT);
	KT_EXPECT_STREQ(t, out, "ktest: no test matches \"monitor_sys.ktest_glob_runs_nested_in_this_run\"\n");
	KT_EXPECT(t, ktest_running());
}

/* ------------------------------------------------------------ trace */

static char seen[256];
static size_t seen_len;

static void seen_write(struct console *con, const char *s, size_t n)
{
	for (size_t i = 0; i < n && seen_len < sizeof(seen) - 1; i++)
		seen[seen_len++] = s[i];
	seen[seen_len] = '\0';
}

static struct console seen_console = { .name = "ktest-seen", .write = seen_write };

KTEST(monitor_sys, trace_on_and_off_and_where_its_lines_go)
{
	bool was = pgtrace_enabled;

	KT_ASSERT_EQ(t, run("trace on"), 0);
	KT_EXPECT(t, pgtrace_enabled);
	if (console_trace_carried())
		KT_EXPECT_STREQ(t, out, "trace: paging trace on, its lines on port 0xE9 only (not COM1, not the screen)\n");
	else
		KT_EXPECT_STREQ(t, out, "trace: paging trace on, its lines on every console (no port 0xE9 here)\n");
	KT_ASSERT_EQ(t, run("trace off"), 0);
	KT_EXPECT(t, !pgtrace_enabled);
	KT_EXPECT_STREQ(t, out, "trace: paging trace off\n");
	KT_ASSERT_EQ(t, run("trace"), 0);
	KT_EXPECT_STREQ(t, out, "trace: paging trace off\n");

	/* A console without CON_TRACE gets trace lines only when told to. */
	KT_ASSERT_EQ(t, register_console(&seen_console), 0);
	seen_len = 0;
	trace_printk("pgtrace: ktest one\n");
	console_trace_all(true);
	trace_printk("pgtrace: ktest two\n");
	console_trace_all(false);
	trace_printk("pgtrace: ktest three\n");
	KT_EXPECT_EQ(t, unregister_console(&seen_console), 0);
	KT_EXPECT(t, strstr(seen, "ktest one") == NULL);
	KT_EXPECT(t, strstr(seen, "pgtrace: ktest two\n") != NULL);
	KT_EXPECT(t, strstr(seen, "ktest three") == NULL);
	if (was)
		run("trace on");
}

/* ------------------------------------------------------------ bad input */

/* Each bad line: one line of output naming the fault, a negative errno. */
static const struct {
	const char *line;
	int ret;
	const char *said;
} bad[] = {
	{ "pkmap x", -EINVAL, "pkmap: usage: pkmap [all]\n" },
	{ "fixmap 1", -EINVAL, "fixmap: usage: fixmap (no arguments)\n" },
	{ "kmap 0", -EINVAL, "kmap: 0: not between 1 and 8192\n" },
	{ "kmap 8193", -EINVAL, "kmap: 8193: not between 1 and 8192\n" },
	{ "kmap 0xzz", -EINVAL, "kmap: 0xzz: not a number\n" },
	{ "kmap hold", -EINVAL, "kmap: usage: kmap [N] | kmap hold N\n" },
	{ "kmap hold 0", -EINVAL, "kmap: 0: not between 1 and 511\n" },
	{ "kmap 1 2", -EINVAL, "kmap: usage: kmap [N] | kmap hold N\n" },
	{ "kunmap", -EINVAL, "kunmap: usage: kunmap ADDR | kunmap all\n" },
	{ "kunmap 0xfe00zz00", -EINVAL, "kunmap: 0xfe00zz00: not a number\n" },
	{ "kmap_atomic 1", -EINVAL, "kmap_atomic: usage: kmap_atomic (no arguments)\n" },
	{ "cpus all", -EINVAL, "cpus: usage: cpus (no arguments)\n" },
	{ "interrupts 0", -EINVAL, "interrupts: usage: interrupts (no arguments)\n" },
	{ "lsmod -v", -EINVAL, "lsmod: usage: lsmod (no arguments)\n" },
	{ "insmod", -EINVAL, "insmod: usage: insmod NAME (one of the boot modules)\n" },
	{ "rmmod a b", -EINVAL, "rmmod: usage: rmmod NAME\n" },
	{ "rmmod nosuch", -ENOENT, "rmmod: nosuch: not loaded\n" },
	{ "ktest a b", -EINVAL, "ktest: usage: ktest [GLOB[,GLOB...]]\n" },
	{ "ktest nosuch.*", -ENOENT, "ktest: no test matches \"nosuch.*\"\n" },
	{ "bench now", -EINVAL, "bench: usage: bench (no arguments)\n" },
	{ "trace maybe", -EINVAL, "trace: maybe: not on or off\n" },
	{ "trace on off", -EINVAL, "trace: usage: trace [on|off]\n" },
};

KTEST(monitor_sys, bad_arguments_get_one_line_and_change_nothing)
{
	bool trace = pgtrace_enabled;
	unsigned int held = mon_kmaps_held();

	memcpy(model, pkmap_count, sizeof(model));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		int ret = run(bad[i].line);

		if (ret != bad[i].ret || strcmp(out, bad[i].said) != 0)
			__kt_fail(t, false, __FILE__, __LINE__, "\"%s\" gave %d, \"%s\"",
				  bad[i].line, ret, out);
	}
	KT_EXPECT_EQ(t, pgtrace_enabled, trace);
	KT_EXPECT_EQ(t, mon_kmaps_held(), held);
	KT_EXPECT_EQ(t, memcmp(model, pkmap_count, sizeof(model)), 0);
}
