/* SPDX-License-Identifier: MIT */
/*
 * Host tests for kernel/acpi_tables.c and kernel/acpi_aml.c (ACPI 6.5
 * ch. 5, §7.4.2, ch. 20): an RSDP (v0 and v2), RSDT, XSDT, MADT and FADT
 * built in a fake physical memory, parsed and checked field by field; then
 * one broken copy per fault, each refused with its code and a message
 * naming it, the output left untouched. The power facts: QEMU's real FADTs
 * and DSDTs (tests/host/data/acpi/, ACPI_DATA_DIR), cut at every length;
 * synthetic AML for each shape of \_S5 and each malformation.
 *
 * Every map hands out a fresh heap copy of the bytes asked for and unmap
 * frees it, so AddressSanitizer catches a read past a mapping or after
 * its unmap, and the live-map count catches a leak.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include "hosttest.h"
#include "kernel/acpi_tables.h"
#include "kernel/printk.h"	/* renames vsnprintf to lib/vsprintf.c's */
#include "printk_capture.h"

#define CHECK_LOG(needle) do { \
	if (!sim_log_has(needle)) { \
		printf("    %s:%d: log lacks \"%s\"; log:\n%s", __FILE__, __LINE__, \
		       needle, sim_log()); \
		ht_failures_in_test++; \
	} \
} while (0)

/* ------------------------------------------------------------ memory */

#define LOW_BASE	0x7fb70000ULL		/* the tables */
#define LOW_SIZE	0x8000
#define HIGH_BASE	0x123450000ULL		/* above 4 GiB, for the XSDT */
#define HIGH_SIZE	0x1000

static uint8_t low[LOW_SIZE], high[HIGH_SIZE];

#define MAX_MAPS	16
static struct { const void *p; uint32_t size; } maps[MAX_MAPS];
static int live_maps, total_maps, bad_unmaps;

static uint8_t *phys_ptr(uint64_t phys, uint64_t size)
{
	if (phys >= LOW_BASE && phys - LOW_BASE <= LOW_SIZE &&
	    size <= LOW_SIZE - (phys - LOW_BASE))
		return low + (phys - LOW_BASE);
	if (phys >= HIGH_BASE && phys - HIGH_BASE <= HIGH_SIZE &&
	    size <= HIGH_SIZE - (phys - HIGH_BASE))
		return high + (phys - HIGH_BASE);
	return NULL;
}

static const void *fake_map(void *ctx, acpi_physical_address phys,
			    uint32_t size)
{
	uint8_t *src = phys_ptr(phys, size), *copy;

	(void)ctx;
	if (!src || !size)
		return NULL;
	for (int i = 0; i < MAX_MAPS; i++) {
		if (maps[i].p)
			continue;
		copy = malloc(size);
		memcpy(copy, src, size);
		maps[i].p = copy;
		maps[i].size = size;
		live_maps++;
		total_maps++;
		return copy;
	}
	return NULL;
}

static void fake_unmap(void *ctx, const void *virt, uint32_t size)
{
	(void)ctx;
	for (int i = 0; i < MAX_MAPS; i++) {
		if (maps[i].p != virt)
			continue;
		if (maps[i].size != size)
			bad_unmaps++;
		free((void *)maps[i].p);
		maps[i].p = NULL;
		live_maps--;
		return;
	}
	bad_unmaps++;
}

static const struct acpi_mem_ops ops = { fake_map, fake_unmap, NULL };

/* ------------------------------------------------------------ tables */

#define RSDP_OFF	0x000
#define XSDT_OFF	0x100
#define RSDT_OFF	0x200
#define MADT_OFF	0x400
#define FADT_OFF	0x800
#define HPET_OFF	0xc00
#define GARBAGE_OFF	0x1000
#define REAL_FADT_OFF	0x1800		/* a real FADT, pointing at: */
#define REAL_DSDT_OFF	0x2000		/* a real DSDT (up to 24 KiB) */
#define FADT_HIGH_OFF	0x100		/* the FADT's copy above 4 GiB */
#define P(off)		(LOW_BASE + (off))

static uint8_t sum8(const void *p, size_t n)
{
	const uint8_t *b = p;
	uint8_t s = 0;

	while (n--)
		s += *b++;
	return s;
}

static void put16(uint8_t *p, uint16_t v) { memcpy(p, &v, 2); }
static void put32(uint8_t *p, uint32_t v) { memcpy(p, &v, 4); }
static void put64(uint8_t *p, uint64_t v) { memcpy(p, &v, 8); }

static void fix_table(uint8_t *t)
{
	uint32_t len;

	memcpy(&len, t + 4, 4);
	t[9] = 0;
	t[9] = (uint8_t)-sum8(t, len);
}

static void header(uint8_t *t, const char *sig, uint32_t len, uint8_t rev)
{
	memset(t, 0, len);
	memcpy(t, sig, 4);
	put32(t + 4, len);
	t[8] = rev;
	memcpy(t + 10, "PAE32 ", 6);
	memcpy(t + 16, "TESTTABL", 8);
	put32(t + 24, 1);
	memcpy(t + 28, "HOST", 4);
	put32(t + 32, 0x20250101);
}

static void fix_rsdp(uint8_t *r)
{
	r[8] = 0;
	r[8] = (uint8_t)-sum8(r, 20);
	if (r[15] >= 2) {
		r[32] = 0;
		r[32] = (uint8_t)-sum8(r, 36);
	}
}

static void build_rsdp(uint8_t *r, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(r, 0, 36);
	memcpy(r, "RSD PTR ", 8);
	memcpy(r + 9, "PAE32 ", 6);
	r[15] = rev;
	put32(r + 16, rsdt);
	if (rev >= 2) {
		put32(r + 20, 36);
		put64(r + 24, xsdt);
	}
	fix_rsdp(r);
}

static unsigned int madt_len;

/* Appends one MADT entry; returns its offset in the table. */
static unsigned int madt_add(const uint8_t *e, unsigned int len)
{
	unsigned int off = madt_len;

	memcpy(low + MADT_OFF + off, e, len);
	madt_len += len;
	return off;
}

static void madt_cpu(uint8_t acpi_id, uint8_t apic_id, uint32_t flags)
{
	uint8_t e[8] = { 0, 8, acpi_id, apic_id };

	put32(e + 4, flags);
	madt_add(e, sizeof(e));
}

static void madt_override(uint8_t irq, uint32_t gsi, uint16_t flags)
{
	uint8_t e[10] = { 2, 10, 0, irq };

	put32(e + 4, gsi);
	put16(e + 8, flags);
	madt_add(e, sizeof(e));
}

static void madt_finish(void)
{
	put32(low + MADT_OFF + 4, madt_len);
	fix_table(low + MADT_OFF);
}

/* The standard MADT: 4 CPUs (2 enabled, 1 disabled, 1 online-capable),
 * one IO-APIC, overrides IRQ0->GSI2 and IRQ9 level/low, an NMI entry,
 * the 64-bit LAPIC address override, and two entries to skip. */
static void build_madt(void)
{
	uint8_t *m = low + MADT_OFF;
	uint8_t ioapic[12] = { 1, 12, 4, 0 };
	uint8_t nmi[6] = { 4, 6, 0xff, 0x05, 0x00, 1 };
	uint8_t lapic_ovr[12] = { 5, 12 };
	uint8_t nmi_src[8] = { 3, 8 };
	uint8_t unknown[4] = { 0x7f, 4, 0xaa, 0xbb };

	header(m, "APIC", 44, 5);
	put32(m + 36, 0xfee00000);
	put32(m + 40, 1);
	madt_len = 44;
	madt_cpu(0, 0, 1);
	madt_cpu(1, 2, 1);
	madt_cpu(2, 4, 0);
	madt_cpu(3, 6, 2);
	put32(ioapic + 4, 0xfec00000);
	put32(ioapic + 8, 0);
	madt_add(ioapic, sizeof(ioapic));
	madt_override(0, 2, 0);
	madt_override(9, 9, ACPI_MADT_POLARITY_ACTIVE_LOW | ACPI_MADT_TRIGGER_LEVEL);
	madt_add(nmi, sizeof(nmi));
	madt_add(nmi_src, sizeof(nmi_src));
	madt_add(unknown, sizeof(unknown));
	put64(lapic_ovr + 4, 0x1fee10000ULL);
	madt_add(lapic_ovr, sizeof(lapic_ovr));
	madt_finish();
}

/* A 276-byte (ACPI 6) FADT: PM_TMR_BLK and X_PM_TMR_BLK 0x608, 24-bit;
 * IAPC_BOOT_ARCH 0x0003 (legacy devices and an 8042, as a PC's). */
static void build_fadt(uint8_t *f)
{
	header(f, "FACP", 276, 6);
	put32(f + ACPI_FADT_PM_TMR_BLK, 0x608);
	f[ACPI_FADT_PM_TMR_LEN] = 4;
	f[ACPI_FADT_IAPC_BOOT_ARCH] = 0x03;
	put32(f + ACPI_FADT_FLAGS, 0);
	f[ACPI_FADT_X_PM_TMR_BLK] = ACPI_ADR_SPACE_SYSTEM_IO;
	f[ACPI_FADT_X_PM_TMR_BLK + 1] = 32;
	put64(f + ACPI_FADT_X_PM_TMR_BLK + 4, 0x608);
	fix_table(f);
}

/* XSDT: MADT, FADT (above 4 GiB), HPET. RSDT: MADT, FADT (low), HPET. */
static void build_all(void)
{
	uint8_t *x = low + XSDT_OFF, *r = low + RSDT_OFF, *hp = low + HPET_OFF;

	memset(low, 0, sizeof(low));
	memset(high, 0, sizeof(high));
	build_madt();
	build_fadt(low + FADT_OFF);
	build_fadt(high + FADT_HIGH_OFF);
	/* QEMU's: the block at 0xfed00000 in system memory, HPET number 0. */
	header(hp, "HPET", 56, 1);
	put32(hp + 36, 0x8086a201);
	hp[40] = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	hp[41] = 64;
	put64(hp + 44, 0xfed00000);
	hp[52] = 0;
	put16(hp + 53, 0x80);
	fix_table(hp);

	header(x, "XSDT", 36 + 3 * 8, 1);
	put64(x + 36, P(MADT_OFF));
	put64(x + 44, HIGH_BASE + FADT_HIGH_OFF);
	put64(x + 52, P(HPET_OFF));
	fix_table(x);
	header(r, "RSDT", 36 + 3 * 4, 1);
	put32(r + 36, (uint32_t)P(MADT_OFF));
	put32(r + 40, (uint32_t)P(FADT_OFF));
	put32(r + 44, (uint32_t)P(HPET_OFF));
	fix_table(r);
	for (int i = 0; i < 0x400; i++)
		low[GARBAGE_OFF + i] = 0xa5;
	build_rsdp(low + RSDP_OFF, 2, (uint32_t)P(RSDT_OFF), P(XSDT_OFF));
}

/* ------------------------------------------------------------ helpers */

static struct acpi_info info, sentinel;
static struct acpi_tables tables;

static void reset(void)
{
	sim_log_clear();
	memset(&info, 0x5a, sizeof(info));
	sentinel = info;
	memset(&tables, 0, sizeof(tables));
	total_maps = bad_unmaps = 0;
}

static int load(void)
{
	return acpi_tables_load(low + RSDP_OFF, 36, P(RSDP_OFF), &ops, &info,
				&tables);
}

#define CHECK_NO_LEAK() do { CHECK_EQ(live_maps, 0); CHECK_EQ(bad_unmaps, 0); } while (0)
#define CHECK_MADT_UNTOUCHED() do { \
	CHECK(memcmp(&info.madt, &sentinel.madt, sizeof(info.madt)) == 0); \
	CHECK(memcmp(&info.have_madt, &sentinel.have_madt, 1) == 0); \
} while (0)
#define CHECK_INFO_UNTOUCHED() CHECK(memcmp(&info, &sentinel, sizeof(info)) == 0)

static void check_standard_madt(const struct acpi_madt_info *m)
{
	CHECK_EQ(m->lapic_address, 0x1fee10000ULL);
	CHECK(m->pcat_compat);
	CHECK_EQ(m->nr_cpus, 4);
	CHECK_EQ(m->nr_cpus_ignored, 0);
	CHECK_EQ(m->cpus[0].acpi_id, 0);
	CHECK_EQ(m->cpus[0].apic_id, 0);
	CHECK(m->cpus[0].enabled && !m->cpus[0].online_capable);
	CHECK_EQ(m->cpus[1].acpi_id, 1);
	CHECK_EQ(m->cpus[1].apic_id, 2);
	CHECK(m->cpus[1].enabled);
	CHECK_EQ(m->cpus[2].apic_id, 4);
	CHECK(!m->cpus[2].enabled && !m->cpus[2].online_capable);
	CHECK_EQ(m->cpus[3].apic_id, 6);
	CHECK(!m->cpus[3].enabled && m->cpus[3].online_capable);
	CHECK_EQ(m->nr_ioapics, 1);
	CHECK_EQ(m->ioapics[0].id, 4);
	CHECK_EQ(m->ioapics[0].address, 0xfec00000);
	CHECK_EQ(m->ioapics[0].gsi_base, 0);
	CHECK_EQ(m->nr_overrides, 2);
	CHECK_EQ(m->overrides[0].bus, 0);
	CHECK_EQ(m->overrides[0].source_irq, 0);
	CHECK_EQ(m->overrides[0].gsi, 2);
	CHECK_EQ(m->overrides[0].flags, 0);
	CHECK_EQ(m->overrides[1].source_irq, 9);
	CHECK_EQ(m->overrides[1].gsi, 9);
	CHECK_EQ(m->overrides[1].flags & ACPI_MADT_POLARITY_MASK,
		 ACPI_MADT_POLARITY_ACTIVE_LOW);
	CHECK_EQ(m->overrides[1].flags & ACPI_MADT_TRIGGER_MASK,
		 ACPI_MADT_TRIGGER_LEVEL);
	CHECK_EQ(m->nr_nmis, 1);
	CHECK_EQ(m->nmis[0].acpi_id, ACPI_ID_ALL);	/* 0xff: every CPU */
	CHECK_EQ(m->nmis[0].flags, 0x0005);
	CHECK_EQ(m->nmis[0].lint, 1);
	CHECK(!m->nmis[0].x2apic);
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		CHECK(!m->cpus[i].x2apic);
	CHECK_EQ(m->nr_cpus_duplicate, 0);
}

static int parse_madt(struct acpi_madt_info *out)
{
	return acpi_parse_madt((const void *)(low + MADT_OFF), madt_len,
			       P(MADT_OFF), out);
}

/* ------------------------------------------------------------ good */

static void test_rsdp_revisions(void)
{
	struct acpi_root root;

	build_all();
	reset();
	CHECK_EQ(acpi_rsdp_check(low + RSDP_OFF, 36, P(RSDP_OFF), &root), ACPI_OK);
	CHECK(root.xsdt);
	CHECK_EQ(root.phys, P(XSDT_OFF));
	CHECK_EQ(root.revision, 2);

	build_rsdp(low + RSDP_OFF, 0, (uint32_t)P(RSDT_OFF), 0);
	CHECK_EQ(acpi_rsdp_check(low + RSDP_OFF, 20, P(RSDP_OFF), &root), ACPI_OK);
	CHECK(!root.xsdt);
	CHECK_EQ(root.phys, P(RSDT_OFF));
	CHECK_EQ(root.revision, 0);

	/* Revision 2 with no XSDT: the RSDT. */
	build_rsdp(low + RSDP_OFF, 2, (uint32_t)P(RSDT_OFF), 0);
	CHECK_EQ(acpi_rsdp_check(low + RSDP_OFF, 36, P(RSDP_OFF), &root), ACPI_OK);
	CHECK(!root.xsdt);
	CHECK_EQ(root.phys, P(RSDT_OFF));
	CHECK_STR(sim_log(), "");
}

static void test_load_xsdt(void)
{
	build_all();
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK(total_maps > 0);
	CHECK(info.have_madt);
	check_standard_madt(&info.madt);
	CHECK(info.have_pm_timer);
	CHECK_EQ(info.pm_timer_port, 0x608);
	CHECK(!info.pm_timer_32bit);
	CHECK(info.have_boot_arch);
	CHECK_EQ(info.boot_arch, ACPI_FADT_LEGACY_DEVICES | ACPI_FADT_8042);
	CHECK(tables.have_madt && tables.have_fadt && tables.have_hpet);
	CHECK_EQ(tables.madt_phys, P(MADT_OFF));
	CHECK_EQ(tables.fadt_phys, HIGH_BASE + FADT_HIGH_OFF);
	CHECK_EQ(tables.hpet_phys, P(HPET_OFF));
	CHECK(info.have_hpet);
	CHECK_EQ(info.hpet_address, 0xfed00000);
	CHECK_EQ(info.hpet_number, 0);
	CHECK_EQ(tables.nr_tables, 3);
	CHECK_EQ(tables.nr_bad, 0);
	CHECK_LOG("ACPI: XSDT 0x000000007fb70100 00003c (v01 PAE32  TESTTABL 00000001 HOST 20250101)\n");
	CHECK_LOG("ACPI: APIC 0x000000007fb70400 ");
	CHECK_LOG("ACPI: FACP 0x0000000123450100 000114 (v06 ");
	CHECK_LOG("ACPI: HPET 0x000000007fb70c00 000038 (v01 ");
	CHECK(!sim_log_has("ignored"));
}

static void test_load_rsdt(void)
{
	build_all();
	build_rsdp(low + RSDP_OFF, 0, (uint32_t)P(RSDT_OFF), 0);
	/* The RSDT's FADT (not the XSDT's) says: no 8042. */
	low[FADT_OFF + ACPI_FADT_IAPC_BOOT_ARCH] = ACPI_FADT_LEGACY_DEVICES;
	fix_table(low + FADT_OFF);
	reset();
	CHECK_EQ(acpi_tables_load(low + RSDP_OFF, 20, P(RSDP_OFF), &ops, &info,
				  &tables), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK(info.have_madt);
	check_standard_madt(&info.madt);
	CHECK(info.have_pm_timer);
	CHECK_EQ(info.pm_timer_port, 0x608);
	CHECK(info.have_boot_arch);
	CHECK_EQ(info.boot_arch, ACPI_FADT_LEGACY_DEVICES);
	CHECK_EQ(tables.fadt_phys, P(FADT_OFF));
	CHECK_EQ(tables.nr_tables, 3);
	CHECK_LOG("ACPI: RSDT 0x000000007fb70200 000030 (v01 ");
}

static void test_madt_direct(void)
{
	struct acpi_madt_info m;

	build_all();
	reset();
	memset(&m, 0x77, sizeof(m));
	CHECK_EQ(parse_madt(&m), ACPI_OK);
	check_standard_madt(&m);
	CHECK_STR(sim_log(), "");
}

static void test_fadt_variants(void)
{
	uint8_t *f = low + FADT_OFF;
	struct acpi_fadt_info fi;

	/* X_PM_TMR_BLK wins over PM_TMR_BLK; TMR_VAL_EXT: 32 bits. */
	build_all();
	reset();
	put64(f + ACPI_FADT_X_PM_TMR_BLK + 4, 0xb008);
	put32(f + ACPI_FADT_FLAGS, ACPI_FADT_TMR_VAL_EXT);
	fix_table(f);
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	CHECK(fi.have_pm_timer);
	CHECK_EQ(fi.pm_timer_port, 0xb008);
	CHECK(fi.pm_timer_32bit);

	/* X_PM_TMR_BLK in memory space: not used, PM_TMR_BLK is. */
	f[ACPI_FADT_X_PM_TMR_BLK] = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	fix_table(f);
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	CHECK_EQ(fi.pm_timer_port, 0x608);

	/* An ACPI 1.0 FADT (116 bytes): no X_PM_TMR_BLK to read. */
	build_fadt(f);
	put32(f + 4, 116);
	fix_table(f);
	CHECK_EQ(acpi_parse_fadt((void *)f, 116, P(FADT_OFF), &fi), ACPI_OK);
	CHECK_EQ(fi.pm_timer_port, 0x608);
	CHECK(!fi.pm_timer_32bit);

	/* No PM timer at all: valid, have_pm_timer false. */
	build_fadt(f);
	put32(f + ACPI_FADT_PM_TMR_BLK, 0);
	f[ACPI_FADT_PM_TMR_LEN] = 0;
	put64(f + ACPI_FADT_X_PM_TMR_BLK + 4, 0);
	fix_table(f);
	memset(&fi, 0x33, sizeof(fi));
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	CHECK(!fi.have_pm_timer);
	CHECK_STR(sim_log(), "");
}

/*
 * IAPC_BOOT_ARCH (§5.2.9.3) is read from revision 3 on, both bytes;
 * before that the same bytes are reserved and must not be believed.
 */
static void test_fadt_boot_arch(void)
{
	uint8_t *f = low + FADT_OFF;
	struct acpi_fadt_info fi;

	build_all();
	reset();
	f[ACPI_FADT_IAPC_BOOT_ARCH] = 0x3c;		/* every other bit, */
	f[ACPI_FADT_IAPC_BOOT_ARCH + 1] = 0x81;		/* the high byte too */
	fix_table(f);
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	CHECK(fi.have_boot_arch);
	CHECK_EQ(fi.boot_arch, 0x813c);
	CHECK(!(fi.boot_arch & ACPI_FADT_8042));

	/* Revision 3, the first with the field: read. */
	f[8] = ACPI_FADT2_REVISION;
	f[ACPI_FADT_IAPC_BOOT_ARCH] = ACPI_FADT_8042;
	f[ACPI_FADT_IAPC_BOOT_ARCH + 1] = 0;
	fix_table(f);
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	CHECK(fi.have_boot_arch);
	CHECK_EQ(fi.boot_arch, ACPI_FADT_8042);

	/* Revisions 1 and 2 (ACPI 1.0): reserved bytes, whatever they hold. */
	for (uint8_t rev = 1; rev < ACPI_FADT2_REVISION; rev++) {
		f[8] = rev;
		f[ACPI_FADT_IAPC_BOOT_ARCH] = 0xff;
		fix_table(f);
		memset(&fi, 0x33, sizeof(fi));
		CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
		CHECK(!fi.have_boot_arch);
		CHECK_EQ(fi.boot_arch, 0);
		CHECK(fi.have_pm_timer);
	}
	CHECK_STR(sim_log(), "");
}

static void test_rsdp_scan(void)
{
	uint8_t area[4096];
	acpi_physical_address found = 0;

	build_all();
	reset();
	memset(area, 0, sizeof(area));
	memcpy(area + 0x18, low + RSDP_OFF, 36);	/* not 16-aligned */
	memcpy(area + 0x40, low + RSDP_OFF, 36);
	area[0x40 + 10] ^= 1;				/* bad checksum */
	memcpy(area + 0x80, low + RSDP_OFF, 36);	/* the good one */
	CHECK_EQ(acpi_scan_rsdp(area, sizeof(area), 0xe0000, &found), ACPI_OK);
	CHECK_EQ(found, 0xe0080);
	CHECK_LOG("RSDP at 0xe0040: bad checksum");
	memset(area + 0x80, 0, 36);
	CHECK_EQ(acpi_scan_rsdp(area, sizeof(area), 0xe0000, &found),
		 ACPI_ERR_NOT_FOUND);
	/* One at the very end, too short for its revision: not read past. */
	memcpy(area + sizeof(area) - 32, low + RSDP_OFF, 32);
	CHECK_EQ(acpi_scan_rsdp(area, sizeof(area), 0xe0000, &found),
		 ACPI_ERR_NOT_FOUND);
}

/* ------------------------------------------------------------ faults */

static void test_bad_rsdp_checksum(void)
{
	build_all();
	low[RSDP_OFF + 9] ^= 0x40;	/* OEM id, inside the 20 bytes */
	reset();
	CHECK_EQ(load(), ACPI_ERR_CHECKSUM);
	CHECK_LOG("ACPI: RSDP at 0x7fb70000: bad checksum");
	CHECK_INFO_UNTOUCHED();
	CHECK_NO_LEAK();
}

static void test_bad_rsdp_xchecksum(void)
{
	build_all();
	low[RSDP_OFF + 33] ^= 1;	/* reserved, past the 20 bytes */
	reset();
	CHECK_EQ(load(), ACPI_ERR_XCHECKSUM);
	CHECK_LOG("ACPI: RSDP at 0x7fb70000: bad extended checksum");
	CHECK_INFO_UNTOUCHED();
	CHECK_NO_LEAK();
}

static void test_bad_rsdp_length(void)
{
	build_all();
	put32(low + RSDP_OFF + 20, 24);
	fix_rsdp(low + RSDP_OFF);
	reset();
	CHECK_EQ(load(), ACPI_ERR_SHORT);
	CHECK_LOG("RSDP at 0x7fb70000: length 24 shorter than");
	CHECK_INFO_UNTOUCHED();

	/* Longer than the copy: the whole RSDP is mapped and checked. */
	build_all();
	put32(low + RSDP_OFF + 20, 40);
	low[RSDP_OFF + 36] = 0x11;
	low[RSDP_OFF + 32] = 0;
	low[RSDP_OFF + 32] = (uint8_t)-sum8(low + RSDP_OFF, 40);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK(info.have_madt);
	CHECK_NO_LEAK();
	low[RSDP_OFF + 36] = 0x12;	/* the byte only the long form covers */
	reset();
	CHECK_EQ(load(), ACPI_ERR_XCHECKSUM);
	CHECK_INFO_UNTOUCHED();
	CHECK_NO_LEAK();
}

static void test_bad_table_checksum(void)
{
	struct acpi_madt_info m;

	build_all();
	low[MADT_OFF + 50] ^= 0x20;
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_LOG("ACPI: MADT at 0x7fb70400: bad checksum (sum 0x20), table ignored");
	CHECK_LOG("XSDT entry 0 (0x7fb70400) refused: bad checksum");
	CHECK_EQ(tables.nr_bad, 1);
	CHECK_EQ(tables.first_err, ACPI_ERR_CHECKSUM);
	CHECK(!tables.have_madt);
	CHECK_MADT_UNTOUCHED();
	CHECK(info.have_pm_timer);		/* the FADT still counts */
	CHECK_NO_LEAK();

	memset(&m, 0x66, sizeof(m));
	CHECK_EQ(parse_madt(&m), ACPI_ERR_CHECKSUM);
	for (size_t i = 0; i < sizeof(m); i++)
		CHECK(((uint8_t *)&m)[i] == 0x66);
}

static void test_wrong_signature(void)
{
	uint8_t *m = low + MADT_OFF;

	build_all();
	memcpy(m, "APIX", 4);
	fix_table(m);
	reset();
	memcpy(&info.madt, &sentinel.madt, sizeof(info.madt));
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SIGNATURE);
	CHECK_LOG("ACPI: MADT at 0x7fb70400: signature \"APIX\", expected \"APIC\", table ignored");
	CHECK_MADT_UNTOUCHED();

	/* The RSDP's XSDT address naming the RSDT: the root is refused. */
	build_all();
	build_rsdp(low + RSDP_OFF, 2, (uint32_t)P(RSDT_OFF), P(RSDT_OFF));
	reset();
	CHECK_EQ(load(), ACPI_ERR_SIGNATURE);
	CHECK_LOG("XSDT at 0x7fb70200: signature \"RSDT\", expected \"XSDT\"");
	CHECK_INFO_UNTOUCHED();
	CHECK_NO_LEAK();
}

static void test_length_shorter_than_header(void)
{
	uint8_t *m = low + MADT_OFF;

	build_all();
	put32(m + 4, 20);
	reset();
	CHECK_EQ(acpi_parse_madt((void *)m, 44, P(MADT_OFF), &info.madt),
		 ACPI_ERR_SHORT);
	CHECK_LOG("ACPI: MADT at 0x7fb70400: length 20 shorter than its header (36), table ignored");
	CHECK_MADT_UNTOUCHED();

	/* Through the walk: refused before its bytes are mapped. */
	sim_log_clear();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_LOG("length 20 shorter than its header");
	CHECK_EQ(tables.first_err, ACPI_ERR_SHORT);
	CHECK_MADT_UNTOUCHED();
	CHECK_NO_LEAK();

	/* A header but not the MADT's 44 bytes. */
	build_all();
	put32(m + 4, 40);
	fix_table(m);
	reset();
	CHECK_EQ(acpi_parse_madt((void *)m, 40, P(MADT_OFF), &info.madt),
		 ACPI_ERR_SHORT);
	CHECK_LOG("MADT at 0x7fb70400: length 40 shorter than its 44-byte header");
	CHECK_MADT_UNTOUCHED();

	/* Length beyond what the caller has. */
	build_all();
	reset();
	CHECK_EQ(acpi_parse_madt((void *)m, madt_len - 1, P(MADT_OFF), &info.madt),
		 ACPI_ERR_SHORT);
	CHECK_LOG("beyond the");
	CHECK_MADT_UNTOUCHED();

	/* Absurd length. */
	put32(m + 4, 0x7fffffff);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_EQ(tables.first_err, ACPI_ERR_LONG);
	CHECK_LOG("MADT at 0x7fb70400: length 2147483647 absurd");
	CHECK_MADT_UNTOUCHED();
	CHECK_NO_LEAK();
}

static void test_subtable_overrun(void)
{
	uint8_t *m = low + MADT_OFF;
	uint8_t ioapic[12] = { 1, 12, 7, 0 };
	unsigned int off;

	/* The last entry says 12 bytes but the table ends after 6. */
	build_all();
	off = madt_add(ioapic, 6);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SUBTABLE_OVERRUN);
	char want[128];
	snprintf(want, sizeof(want),
		 "MADT at 0x7fb70400: entry at offset %u (type 1, length 12) overruns the table (length %u), table ignored",
		 off, madt_len);
	CHECK_LOG(want);
	CHECK_MADT_UNTOUCHED();

	/* Through the load too. */
	sim_log_clear();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_EQ(tables.nr_bad, 1);
	CHECK_EQ(tables.first_err, ACPI_ERR_SUBTABLE_OVERRUN);
	CHECK_MADT_UNTOUCHED();
	CHECK(info.have_pm_timer);
	CHECK_NO_LEAK();

	/* A lone byte after the last entry: not even its length fits. */
	build_all();
	m[madt_len++] = 0;
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SUBTABLE_OVERRUN);
	CHECK_LOG("overruns the table");
	CHECK_MADT_UNTOUCHED();
}

static void test_subtable_length_zero(void)
{
	uint8_t zero[2] = { 0, 0 };
	uint8_t short_ioapic[8] = { 1, 8 };
	unsigned int off;

	build_all();
	off = madt_add(zero, 2);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SUBTABLE_LEN);
	char want[128];
	snprintf(want, sizeof(want),
		 "MADT at 0x7fb70400: entry at offset %u (type 0) has length 0, less than 8, table ignored",
		 off);
	CHECK_LOG(want);
	CHECK_MADT_UNTOUCHED();

	/* An unknown type with length 0: still refused, not looped on. */
	build_all();
	zero[0] = 0x42;
	madt_add(zero, 2);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SUBTABLE_LEN);
	CHECK_LOG("(type 66) has length 0, less than 2");

	/* A known type shorter than its structure. */
	build_all();
	madt_add(short_ioapic, sizeof(short_ioapic));
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_ERR_SUBTABLE_LEN);
	CHECK_LOG("(type 1) has length 8, less than 12");
	CHECK_MADT_UNTOUCHED();
}

static void test_too_many_cpus(void)
{
	build_all();
	for (int i = 0; i < NR_CPUS - 4 + 3; i++)
		madt_cpu(10 + i, 10 + i, 1);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_OK);
	CHECK_EQ(info.madt.nr_cpus, NR_CPUS);
	CHECK_EQ(info.madt.nr_cpus_ignored, 3);
	CHECK_EQ(info.madt.cpus[NR_CPUS - 1].apic_id, 10 + NR_CPUS - 5);
	CHECK_EQ(info.madt.nr_ioapics, 1);	/* the rest still parsed */
	CHECK_LOG("3 processor entries beyond NR_CPUS (8) ignored");

	/* Too many IO-APICs and overrides: the extra ones dropped. */
	build_all();
	for (int i = 0; i < MAX_IO_APICS; i++) {
		uint8_t e[12] = { 1, 12, (uint8_t)(10 + i), 0 };

		put32(e + 4, 0xfec01000 + i * 0x1000);
		put32(e + 8, 24 * (i + 1));
		madt_add(e, sizeof(e));
	}
	for (int i = 0; i < ACPI_MAX_OVERRIDES; i++)
		madt_override(10, 10, 0);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(&info.madt), ACPI_OK);
	CHECK_EQ(info.madt.nr_ioapics, MAX_IO_APICS);
	CHECK_EQ(info.madt.nr_overrides, ACPI_MAX_OVERRIDES);
	CHECK_LOG("beyond MAX_IO_APICS (8); ignored");
	CHECK_LOG("override of IRQ 10 (entry at offset");
}

static void test_xsdt_entry_garbage(void)
{
	uint8_t *x = low + XSDT_OFF;

	build_all();
	/* Entries: MADT, FADT, garbage (0xa5 bytes), outside memory, 0. */
	header(x, "XSDT", 36 + 5 * 8, 1);
	put64(x + 36, P(MADT_OFF));
	put64(x + 44, HIGH_BASE + FADT_HIGH_OFF);
	put64(x + 52, P(GARBAGE_OFF));
	put64(x + 60, 0x4000000000ULL);
	put64(x + 68, 0);
	fix_table(x);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK_EQ(tables.nr_tables, 2);
	CHECK_EQ(tables.nr_bad, 3);
	CHECK_EQ(tables.first_err, ACPI_ERR_LONG);
	CHECK_LOG("ACPI: ???? at 0x7fb71000: length 2779096485 absurd (over 1048576), table ignored");
	CHECK_LOG("ACPI: XSDT entry 2 (0x7fb71000) refused: length absurd");
	CHECK_LOG("ACPI: table at 0x4000000000: cannot map it, table ignored");
	CHECK_LOG("ACPI: XSDT entry 4 is 0; skipped");
	CHECK(info.have_madt);
	check_standard_madt(&info.madt);
	CHECK(info.have_pm_timer);

	/* Garbage with a plausible length: the checksum catches it. */
	put32(low + GARBAGE_OFF + 4, 0x80);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_EQ(tables.first_err, ACPI_ERR_CHECKSUM);
	CHECK_LOG("at 0x7fb71000: bad checksum");
	CHECK_NO_LEAK();
}

static void test_bad_fadt(void)
{
	uint8_t *f = high + FADT_HIGH_OFF;
	struct acpi_fadt_info fi;

	build_all();
	f[ACPI_FADT_PM_TMR_LEN] = 3;
	fix_table(f);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_EQ(tables.first_err, ACPI_ERR_PM_TIMER);
	CHECK_LOG("FADT at 0x123450100: PM_TMR_LEN 3, want 4; PM timer ignored");
	CHECK(info.have_madt);
	CHECK(memcmp(&info.have_pm_timer, &sentinel.have_pm_timer, 1) == 0);
	CHECK_EQ(info.pm_timer_port, sentinel.pm_timer_port);
	CHECK(memcmp(&info.have_boot_arch, &sentinel.have_boot_arch, 1) == 0);
	CHECK_EQ(info.boot_arch, sentinel.boot_arch);
	CHECK_NO_LEAK();

	build_all();
	put32(f + 4, 100);
	fix_table(f);
	reset();
	memset(&fi, 0x44, sizeof(fi));
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, HIGH_BASE + FADT_HIGH_OFF, &fi),
		 ACPI_ERR_SHORT);
	CHECK_LOG("FADT at 0x123450100: length 100 shorter than the 116 bytes");
	CHECK_EQ(fi.pm_timer_port, 0x4444);

	build_all();
	put64(f + ACPI_FADT_X_PM_TMR_BLK + 4, 0x12345);
	fix_table(f);
	reset();
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, HIGH_BASE + FADT_HIGH_OFF, &fi),
		 ACPI_ERR_PM_TIMER);
	CHECK_LOG("PM timer port 0x12345 is not an I/O port");
}

static void test_strerror(void)
{
	for (int e = 0; e >= ACPI_ERR_LAST; e--)
		CHECK(strcmp(acpi_strerror(e), "unknown error") != 0);
	CHECK_STR(acpi_strerror(-99), "unknown error");
}

/* ------------------------------------------------------------ x2APIC */

static void madt_x2apic(uint32_t uid, uint32_t apic_id, uint32_t flags)
{
	uint8_t e[16] = { ACPI_MADT_TYPE_LOCAL_X2APIC, 16 };

	put32(e + 4, apic_id);
	put32(e + 8, flags);
	put32(e + 12, uid);
	madt_add(e, sizeof(e));
}

static void madt_x2apic_nmi(uint32_t uid, uint16_t flags, uint8_t lint)
{
	uint8_t e[12] = { ACPI_MADT_TYPE_LOCAL_X2APIC_NMI, 12 };

	put16(e + 2, flags);
	put32(e + 4, uid);
	e[8] = lint;
	madt_add(e, sizeof(e));
}

/*
 * Processor Local x2APIC entries (type 9: 32-bit ids, as firmware lists
 * CPUs whose id is 255 or more) join the type 0 ones in table order; a
 * Local x2APIC NMI entry (type 10) joins the NMIs, UID 0xffffffff being
 * every CPU. An x2APIC entry repeating an id already listed is reported
 * and dropped; a type 9 or 10 entry shorter than its size refuses the
 * table, the output untouched.
 */
static void test_madt_x2apic(void)
{
	struct acpi_madt_info *m = &info.madt;
	unsigned int off;

	build_all();
	madt_x2apic(300, 0x100, 1);
	madt_x2apic(301, 0xfffffffe, 2);
	madt_x2apic(302, 2, 1);			/* the type 0 entry's id again */
	madt_x2apic_nmi(0xffffffff, 0x000d, 1);
	madt_x2apic_nmi(300, 0, 0);
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(m), ACPI_OK);
	CHECK_EQ(m->nr_cpus, 6);
	CHECK_EQ(m->nr_cpus_duplicate, 1);
	CHECK_EQ(m->cpus[3].apic_id, 6);
	CHECK(!m->cpus[3].x2apic);
	CHECK_EQ(m->cpus[4].apic_id, 0x100);
	CHECK_EQ(m->cpus[4].acpi_id, 300);
	CHECK(m->cpus[4].enabled && m->cpus[4].x2apic);
	CHECK_EQ(m->cpus[5].apic_id, 0xfffffffe);
	CHECK_EQ(m->cpus[5].acpi_id, 301);
	CHECK(!m->cpus[5].enabled && m->cpus[5].online_capable);
	CHECK_EQ(m->nr_nmis, 3);
	CHECK_EQ(m->nmis[1].acpi_id, ACPI_ID_ALL);
	CHECK_EQ(m->nmis[1].flags, 0x000d);
	CHECK_EQ(m->nmis[1].lint, 1);
	CHECK(m->nmis[1].x2apic);
	CHECK_EQ(m->nmis[2].acpi_id, 300);
	CHECK_EQ(m->nmis[2].lint, 0);
	CHECK_EQ(m->nr_ioapics, 1);
	CHECK_LOG("(type 9) repeats APIC id 2; ignored");

	/* Short type 9 and type 10 entries refuse the table. */
	build_all();
	{
		uint8_t e[12] = { ACPI_MADT_TYPE_LOCAL_X2APIC, 12 };

		off = madt_add(e, sizeof(e));
	}
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(m), ACPI_ERR_SUBTABLE_LEN);
	CHECK_MADT_UNTOUCHED();
	{
		char want[96];

		snprintf(want, sizeof(want), "entry at offset %u (type 9) has length 12, less than 16",
			 off);
		CHECK_LOG(want);
	}
	build_all();
	{
		uint8_t e[8] = { ACPI_MADT_TYPE_LOCAL_X2APIC_NMI, 8 };

		madt_add(e, sizeof(e));
	}
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(m), ACPI_ERR_SUBTABLE_LEN);
	CHECK_MADT_UNTOUCHED();
	CHECK_LOG("(type 10) has length 8, less than 12");

	/* Cut inside a type 9 entry: an overrun, refused. */
	build_all();
	madt_x2apic(300, 0x100, 1);
	madt_len -= 4;
	madt_finish();
	reset();
	CHECK_EQ(parse_madt(m), ACPI_ERR_SUBTABLE_OVERRUN);
	CHECK_MADT_UNTOUCHED();
	CHECK_NO_LEAK();
}

/* ------------------------------------------------------------ HPET */

/*
 * The HPET table (IA-PC HPET 1.0a §3.2.4): its event timer block, in
 * system memory, 1 KiB aligned and not 0, and its number; a table that
 * says otherwise, or is shorter than its 56 bytes, is refused with its
 * reason and leaves info's HPET fields as they were, the rest loaded.
 */
static void test_hpet(void)
{
	uint8_t *hp = low + HPET_OFF;
	uint64_t addr = 0x1234;
	uint8_t seq = 0x99;

	build_all();
	hp[52] = 2;
	put64(hp + 44, 0xfed01000);
	fix_table(hp);
	reset();
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 56, P(HPET_OFF), &addr, &seq), ACPI_OK);
	CHECK_EQ(addr, 0xfed01000);
	CHECK_EQ(seq, 2);
	CHECK_STR(sim_log(), "");

	/* In system I/O: refused by parse and by load alike. */
	hp[40] = ACPI_ADR_SPACE_SYSTEM_IO;
	fix_table(hp);
	reset();
	addr = 0x1234;
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 56, P(HPET_OFF), &addr, &seq), ACPI_ERR_HPET);
	CHECK_EQ(addr, 0x1234);
	CHECK_LOG("ACPI: HPET at 0x7fb70c00: event timer block in system I/O (1), not memory; HPET ignored");
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK(info.have_madt);
	CHECK(memcmp(&info.have_hpet, &sentinel.have_hpet, 1) == 0);
	CHECK_EQ(info.hpet_address, sentinel.hpet_address);
	CHECK_EQ(tables.nr_bad, 1);
	CHECK_EQ(tables.first_err, ACPI_ERR_HPET);

	/* At 0, and not 1 KiB aligned. */
	build_all();
	put64(hp + 44, 0);
	fix_table(hp);
	reset();
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 56, P(HPET_OFF), &addr, &seq), ACPI_ERR_HPET);
	CHECK_LOG("event timer block at 0x0, not a 1 KiB-aligned address; HPET ignored");
	put64(hp + 44, 0xfed00010);
	fix_table(hp);
	reset();
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 56, P(HPET_OFF), &addr, &seq), ACPI_ERR_HPET);
	CHECK_LOG("event timer block at 0xfed00010, not a 1 KiB-aligned address");

	/* Shorter than its 56 bytes (but a valid header). */
	build_all();
	put32(hp + 4, 48);
	fix_table(hp);
	reset();
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 48, P(HPET_OFF), &addr, &seq), ACPI_ERR_SHORT);
	CHECK_LOG("HPET at 0x7fb70c00: length 48 shorter than its 56 bytes, table ignored");
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK(memcmp(&info.have_hpet, &sentinel.have_hpet, 1) == 0);
	CHECK_NO_LEAK();

	/* A bad checksum: the generic check's refusal. */
	build_all();
	hp[52] ^= 1;
	reset();
	CHECK_EQ(acpi_parse_hpet((const void *)hp, 56, P(HPET_OFF), &addr, &seq), ACPI_ERR_CHECKSUM);
	CHECK_LOG("ACPI: HPET at 0x7fb70c00: bad checksum");
}

/* ------------------------------------------------------------ power */

#ifndef ACPI_DATA_DIR
#error "the Makefile passes ACPI_DATA_DIR (tests/host/data/acpi)"
#endif

/* A refused FADT: the PM timer and power facts as they were. */
#define CHECK_INFO_UNTOUCHED_BUT_MADT() do { \
	CHECK(memcmp(&info.have_fadt, &sentinel.have_fadt, 1) == 0); \
	CHECK(memcmp(&info.power, &sentinel.power, sizeof(info.power)) == 0); \
	CHECK_EQ(info.pm_timer_port, sentinel.pm_timer_port); \
} while (0)

/* QEMU's tables (tests/host/data/acpi/README.md) and what they hold. */
static const struct real_machine {
	const char *name;
	bool reset_reg;			/* q35: I/O 0xcf9, value 0xf */
	uint64_t pm1a_cnt;
	uint8_t acpi_enable;
	uint32_t s5_offset;		/* of the NameOp in the DSDT */
} real_machines[] = {
	{ "x64-q35", true, 0x604, 0x02, 0x1e54 },
	{ "x64-pc", false, 0xb004, 0xf1, 0xb4a },
	{ "ia32-q35", true, 0x604, 0x02, 0x1ed1 },
};

/* A heap buffer of exactly the file's bytes (AddressSanitizer sees any
 * read past them). */
static uint8_t *load_data(const char *machine, const char *what, uint32_t *len)
{
	char path[256];
	uint8_t *buf;
	long n;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s-%s", ACPI_DATA_DIR, machine, what);
	f = fopen(path, "rb");
	if (!f) {
		printf("    cannot open %s\n", path);
		ht_failures_in_test++;
		return NULL;
	}
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n)
		n = 0;
	fclose(f);
	*len = (uint32_t)n;
	return buf;
}

static int parse_real_fadt(const struct real_machine *m, struct acpi_fadt_info *fi)
{
	uint32_t len = 0;
	uint8_t *f = load_data(m->name, "facp.bin", &len);
	int err;

	if (!f)
		return ACPI_ERR_ARG;
	err = acpi_parse_fadt((void *)f, len, 0x3f778000, fi);
	free(f);
	return err;
}

static void test_real_fadts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(real_machines); i++) {
		const struct real_machine *m = &real_machines[i];
		struct acpi_fadt_info fi;
		const struct acpi_power *pw = &fi.power;

		reset();
		CHECK_EQ(parse_real_fadt(m, &fi), ACPI_OK);
		CHECK_EQ(pw->have_reset_reg, m->reset_reg);
		if (m->reset_reg) {
			CHECK_EQ(pw->fadt_revision, 3);
			CHECK_EQ(pw->reset_reg.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
			CHECK_EQ(pw->reset_reg.bit_width, 8);
			CHECK_EQ(pw->reset_reg.address, 0xcf9);
			CHECK_EQ(pw->reset_value, 0x0f);
			CHECK_STR(pw->reset_why, "");
		} else {
			CHECK_EQ(pw->fadt_revision, 1);
			CHECK_STR(pw->reset_why, "FADT revision 1 has no RESET_REG (ACPI 1.0)");
		}
		CHECK_EQ(pw->pm1a_cnt.space_id, ACPI_ADR_SPACE_SYSTEM_IO);
		CHECK_EQ(pw->pm1a_cnt.address, m->pm1a_cnt);
		CHECK_EQ(pw->pm1a_cnt.bit_width, 16);
		CHECK_EQ(pw->pm1b_cnt.address, 0);
		CHECK_EQ(pw->smi_cmd, 0xb2);
		CHECK_EQ(pw->acpi_enable, m->acpi_enable);
		CHECK(pw->dsdt_phys != 0);
		CHECK_STR(pw->s5_why, "");	/* only the DSDT is missing */
		CHECK(!pw->have_s5);
		CHECK(fi.have_pm_timer);
		CHECK_EQ(fi.pm_timer_port, m->pm1a_cnt + 4);
		CHECK_STR(sim_log(), "");
	}
}

/* The real DSDT of m, parsed after its FADT. */
static int parse_real_dsdt(const struct real_machine *m, struct acpi_power *pw)
{
	struct acpi_fadt_info fi;
	uint32_t len = 0;
	uint8_t *d;
	int err;

	if (parse_real_fadt(m, &fi) != ACPI_OK)
		return ACPI_ERR_ARG;
	*pw = fi.power;
	d = load_data(m->name, "dsdt.aml", &len);
	if (!d)
		return ACPI_ERR_ARG;
	err = acpi_parse_dsdt((void *)d, len, pw->dsdt_phys, pw);
	free(d);
	return err;
}

static void test_real_dsdts(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(real_machines); i++) {
		const struct real_machine *m = &real_machines[i];
		struct acpi_power pw;

		reset();
		CHECK_EQ(parse_real_dsdt(m, &pw), ACPI_OK);
		CHECK(pw.have_s5);
		CHECK_EQ(pw.slp_typa, 0);
		CHECK_EQ(pw.slp_typb, 0);
		CHECK_EQ(pw.s5_offset, m->s5_offset);
		CHECK_STR(pw.s5_why, "");
		CHECK_STR(sim_log(), "");
	}
}

/* The real q35 FADT and DSDT through acpi_tables_load: the XSDT lists the
 * FADT, whose X_DSDT names the DSDT; printed as Linux lists them. */
static void test_real_tables_loaded(void)
{
	uint32_t flen = 0, dlen = 0;
	uint8_t *f = load_data("x64-q35", "facp.bin", &flen);
	uint8_t *d = load_data("x64-q35", "dsdt.aml", &dlen);
	uint8_t *x = low + XSDT_OFF;

	if (!f || !d || dlen > LOW_SIZE - REAL_DSDT_OFF)
		goto out;
	build_all();
	memcpy(low + REAL_FADT_OFF, f, flen);
	memcpy(low + REAL_DSDT_OFF, d, dlen);
	put32(low + REAL_FADT_OFF + ACPI_FADT_DSDT, 0);
	put64(low + REAL_FADT_OFF + ACPI_FADT_X_DSDT, P(REAL_DSDT_OFF));
	fix_table(low + REAL_FADT_OFF);
	put64(x + 44, P(REAL_FADT_OFF));
	fix_table(x);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK(info.have_fadt);
	CHECK(info.power.have_reset_reg);
	CHECK_EQ(info.power.reset_reg.address, 0xcf9);
	CHECK_EQ(info.power.dsdt_phys, P(REAL_DSDT_OFF));
	CHECK(info.power.have_s5);
	CHECK_EQ(info.power.slp_typa, 0);
	CHECK_EQ(info.power.s5_offset, 0x1e54);
	CHECK_EQ(info.pm_timer_port, 0x608);
	CHECK_LOG("ACPI: DSDT 0x000000007fb72000 002088 (v01 BOCHS  BXPC     00000001 BXPC 00000001)\n");

	/* The DSDT's checksum broken: the FADT's facts stay, no S5, why said. */
	low[REAL_DSDT_OFF + 100] ^= 1;
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_NO_LEAK();
	CHECK(info.have_fadt && info.power.have_reset_reg);
	CHECK(!info.power.have_s5);
	CHECK_STR(info.power.s5_why, "the DSDT at 0x7fb72000 was refused: bad checksum");
	CHECK_LOG("ACPI: DSDT at 0x7fb72000: bad checksum");

	/* A refused FADT leaves the power facts as they were. */
	low[REAL_DSDT_OFF + 100] ^= 1;
	low[REAL_FADT_OFF + ACPI_FADT_PM_TMR_LEN] = 3;
	fix_table(low + REAL_FADT_OFF);
	reset();
	CHECK_EQ(load(), ACPI_OK);
	CHECK_INFO_UNTOUCHED_BUT_MADT();
	CHECK_NO_LEAK();
out:
	free(f);
	free(d);
}

/*
 * The real FADTs cut at every length (the header's length and checksum
 * made to agree, the copy exactly that long): below 116 bytes refused,
 * then each fact appears once the table reaches it, never read past.
 */
static void test_real_fadt_cut_at_every_length(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(real_machines); i++) {
		const struct real_machine *m = &real_machines[i];
		uint32_t len = 0;
		uint8_t *full = load_data(m->name, "facp.bin", &len);

		if (!full)
			continue;
		for (uint32_t n = 0; n <= len; n++) {
			uint8_t *f = malloc(n ? n : 1);
			struct acpi_fadt_info fi;
			int err;

			memcpy(f, full, n);
			if (n >= 36) {
				put32(f + 4, n);
				fix_table(f);
			}
			memset(&fi, 0x77, sizeof(fi));
			sim_log_clear();
			err = acpi_parse_fadt((void *)f, n, 0x1000, &fi);
			if (n < ACPI_FADT_V1_SIZE) {
				CHECK_EQ(err, ACPI_ERR_SHORT);
				CHECK_EQ(fi.pm_timer_port, 0x7777);
			} else {
				CHECK_EQ(err, ACPI_OK);
				CHECK_EQ(fi.power.have_reset_reg,
					 m->reset_reg && n > ACPI_FADT_RESET_VALUE);
				CHECK_EQ(fi.power.pm1a_cnt.address, m->pm1a_cnt);
				CHECK(fi.power.dsdt_phys != 0);
				if (m->reset_reg && n <= ACPI_FADT_RESET_VALUE)
					CHECK(strstr(fi.power.reset_why, "end before RESET_VALUE"));
			}
			free(f);
		}
		free(full);
	}
}

/*
 * The real DSDTs' AML cut at every length: before the "_S5_" name is
 * whole, no \_S5; from there until the package's last byte, refused with
 * a reason; then found, with the same values.
 */
static void test_real_dsdt_cut_at_every_length(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(real_machines); i++) {
		const struct real_machine *m = &real_machines[i];
		uint32_t len = 0, name_end = m->s5_offset + 5 - 36;
		uint8_t *d = load_data(m->name, "dsdt.aml", &len);
		struct acpi_s5 s5, whole;
		char why[ACPI_WHY_LEN];
		unsigned int bad = 0;

		if (!d)
			continue;
		CHECK_EQ(acpi_aml_find_s5(d + 36, len - 36, 36, &whole, why, sizeof(why)), ACPI_OK);
		CHECK_EQ(whole.offset, m->s5_offset);
		CHECK_EQ(whole.end, m->s5_offset + 12);	/* 08 _S5_ 12 06 04 00 00 00 00 */
		CHECK_EQ(whole.nr_refused, 0);
		for (uint32_t n = 0; n <= len - 36; n++) {
			uint8_t *aml = malloc(n ? n : 1);
			int err, want;

			memcpy(aml, d + 36, n);
			why[0] = '\0';
			err = acpi_aml_find_s5(aml, n, 36, &s5, why, sizeof(why));
			want = n < name_end ? ACPI_ERR_NO_S5 :
			       n + 36 < whole.end ? ACPI_ERR_AML : ACPI_OK;
			if (err != want || (err && !why[0]) ||
			    (!err && (s5.slp_typa || s5.slp_typb || s5.offset != whole.offset)))
				bad++;
			free(aml);
		}
		CHECK_EQ(bad, 0);
		/* The table itself, cut: refused before the scan. */
		reset();
		struct acpi_power pw;
		memset(&pw, 0, sizeof(pw));
		CHECK_EQ(acpi_parse_dsdt((void *)d, len - 1, 0x1000, &pw), ACPI_ERR_SHORT);
		CHECK(!pw.have_s5);
		CHECK(strstr(pw.s5_why, "was refused: too short"));
		free(d);
	}
}

/* Every byte of the real q35 \_S5 (name, package, elements) set to every
 * value: found with values that fit, or refused with a reason; never read
 * past the AML, never a value over 7. */
static void test_real_s5_every_byte_changed(void)
{
	uint32_t len = 0;
	uint8_t *d = load_data("x64-q35", "dsdt.aml", &len);
	unsigned int found = 0, refused = 0, bad = 0;

	if (!d)
		return;
	for (uint32_t off = 0x1e54; off < 0x1e54 + 12; off++) {
		for (unsigned int v = 0; v < 256; v++) {
			uint8_t *aml = malloc(len - 36);
			struct acpi_s5 s5;
			char why[ACPI_WHY_LEN] = "";
			int err;

			memcpy(aml, d + 36, len - 36);
			aml[off - 36] = (uint8_t)v;
			err = acpi_aml_find_s5(aml, len - 36, 36, &s5, why, sizeof(why));
			if (err == ACPI_OK && s5.slp_typa <= 7 && s5.slp_typb <= 7)
				found++;
			else if ((err == ACPI_ERR_AML || err == ACPI_ERR_NO_S5) && why[0])
				refused++;
			else
				bad++;
			free(aml);
		}
	}
	CHECK_EQ(bad, 0);
	CHECK(found > 0 && refused > 0);
	free(d);
}

/* A FADT for the variants: the standard one with its revision set. */
static uint8_t *variant_fadt(uint8_t rev)
{
	uint8_t *f = low + FADT_OFF;

	build_all();
	reset();
	f[8] = rev;
	put32(f + ACPI_FADT_DSDT, 0x7fb72000);
	put32(f + ACPI_FADT_PM1A_CNT_BLK, 0x604);
	f[ACPI_FADT_PM1_CNT_LEN] = 2;
	put32(f + ACPI_FADT_SMI_CMD, 0xb2);
	f[ACPI_FADT_ACPI_ENABLE] = 2;
	f[ACPI_FADT_RESET_REG] = ACPI_ADR_SPACE_SYSTEM_IO;
	f[ACPI_FADT_RESET_REG + 1] = 8;
	put64(f + ACPI_FADT_RESET_REG + 4, 0xcf9);
	f[ACPI_FADT_RESET_VALUE] = 6;
	put32(f + ACPI_FADT_FLAGS, ACPI_FADT_RESET_REG_SUP);
	fix_table(f);
	return f;
}

static struct acpi_power variant_power(uint8_t *f)
{
	struct acpi_fadt_info fi;

	fix_table(f);
	memset(&fi, 0, sizeof(fi));
	CHECK_EQ(acpi_parse_fadt((void *)f, 276, P(FADT_OFF), &fi), ACPI_OK);
	return fi.power;
}

static void test_fadt_reset_register_variants(void)
{
	uint8_t *f = variant_fadt(6);
	struct acpi_power pw = variant_power(f);
	char name[48];

	CHECK(pw.have_reset_reg);
	CHECK_EQ(pw.reset_value, 6);
	CHECK_STR(acpi_reg_name(&pw.reset_reg, name, sizeof(name)), "I/O port 0xcf9");

	/* PCI configuration space: device 0x1f, function 0, offset 0xac. */
	f[ACPI_FADT_RESET_REG] = ACPI_ADR_SPACE_PCI_CONFIG;
	put64(f + ACPI_FADT_RESET_REG + 4, 0x1f000000acULL);
	pw = variant_power(f);
	CHECK(pw.have_reset_reg);
	CHECK_STR(acpi_reg_name(&pw.reset_reg, name, sizeof(name)), "PCI 00:1f.0 offset 0xac");
	put64(f + ACPI_FADT_RESET_REG + 4, 0x20000000acULL);	/* device 32 */
	pw = variant_power(f);
	CHECK(!pw.have_reset_reg);
	CHECK_STR(pw.reset_why, "RESET_REG PCI address 0x20000000ac is not a register of bus 0");
	put64(f + ACPI_FADT_RESET_REG + 4, 0x1000001f000000acULL);	/* segment bits */
	CHECK(!variant_power(f).have_reset_reg);

	/* System memory. */
	f[ACPI_FADT_RESET_REG] = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	put64(f + ACPI_FADT_RESET_REG + 4, 0xfed00040ULL);
	pw = variant_power(f);
	CHECK(pw.have_reset_reg);
	CHECK_STR(acpi_reg_name(&pw.reset_reg, name, sizeof(name)), "memory at 0xfed00040");

	/* Each reason there is none. */
	f[ACPI_FADT_RESET_REG] = 0x7f;
	CHECK_STR(variant_power(f).reset_why,
		  "RESET_REG is in address space 127, not I/O, memory or PCI configuration");
	f[ACPI_FADT_RESET_REG] = ACPI_ADR_SPACE_SYSTEM_IO;
	put64(f + ACPI_FADT_RESET_REG + 4, 0x10000);
	CHECK_STR(variant_power(f).reset_why, "RESET_REG I/O port 0x10000 is beyond 0xffff");
	put64(f + ACPI_FADT_RESET_REG + 4, 0);
	CHECK_STR(variant_power(f).reset_why, "RESET_REG_SUP is set but RESET_REG's address is 0");
	put64(f + ACPI_FADT_RESET_REG + 4, 0xcf9);
	put32(f + ACPI_FADT_FLAGS, 0);
	CHECK_STR(variant_power(f).reset_why, "RESET_REG_SUP is clear in the FADT flags (0x00000000)");
	put32(f + ACPI_FADT_FLAGS, ACPI_FADT_RESET_REG_SUP);
	f[8] = 1;
	CHECK_STR(variant_power(f).reset_why, "FADT revision 1 has no RESET_REG (ACPI 1.0)");
	f[8] = 2;
	CHECK(variant_power(f).have_reset_reg);
	CHECK_STR(sim_log(), "");
}

static void test_fadt_pm1_and_dsdt_variants(void)
{
	uint8_t *f = variant_fadt(6);
	struct acpi_power pw = variant_power(f);
	char name[48];

	CHECK_EQ(pw.pm1a_cnt.address, 0x604);
	CHECK_EQ(pw.pm1a_cnt.bit_width, 16);
	CHECK_EQ(pw.pm1b_cnt.address, 0);
	CHECK_EQ(pw.dsdt_phys, 0x7fb72000);
	CHECK_STR(pw.s5_why, "");

	/* X_ forms win over the 32-bit fields. */
	put64(f + ACPI_FADT_X_DSDT, 0x123456000ULL);
	f[ACPI_FADT_X_PM1A_CNT_BLK] = ACPI_ADR_SPACE_SYSTEM_MEMORY;
	f[ACPI_FADT_X_PM1A_CNT_BLK + 1] = 16;
	put64(f + ACPI_FADT_X_PM1A_CNT_BLK + 4, 0xfed80004ULL);
	put32(f + ACPI_FADT_PM1B_CNT_BLK, 0x704);
	pw = variant_power(f);
	CHECK_EQ(pw.dsdt_phys, 0x123456000ULL);
	CHECK_STR(acpi_reg_name(&pw.pm1a_cnt, name, sizeof(name)), "memory at 0xfed80004");
	CHECK_EQ(pw.pm1b_cnt.address, 0x704);
	CHECK_STR(pw.s5_why, "");

	/* PM1a in PCI configuration space, too narrow, or beyond the ports. */
	f[ACPI_FADT_X_PM1A_CNT_BLK] = ACPI_ADR_SPACE_PCI_CONFIG;
	CHECK_STR(variant_power(f).s5_why,
		  "PM1a_CNT_BLK is in PCI configuration space (2), not system I/O or memory");
	f[ACPI_FADT_X_PM1A_CNT_BLK] = ACPI_ADR_SPACE_SYSTEM_IO;
	f[ACPI_FADT_X_PM1A_CNT_BLK + 1] = 8;
	put64(f + ACPI_FADT_X_PM1A_CNT_BLK + 4, 0x604);
	CHECK_STR(variant_power(f).s5_why, "PM1a_CNT_BLK is 8 bits wide, less than its 16");
	f[ACPI_FADT_X_PM1A_CNT_BLK + 1] = 16;
	put64(f + ACPI_FADT_X_PM1A_CNT_BLK + 4, 0xffff);
	CHECK_STR(variant_power(f).s5_why, "PM1a_CNT_BLK I/O port 0xffff is beyond 0xfffe");
	put64(f + ACPI_FADT_X_PM1A_CNT_BLK + 4, 0x604);
	put32(f + ACPI_FADT_PM1B_CNT_BLK, 0x1ffff);	/* PM1b too */
	CHECK_STR(variant_power(f).s5_why, "PM1b_CNT_BLK I/O port 0x1ffff is beyond 0xfffe");
	put32(f + ACPI_FADT_PM1B_CNT_BLK, 0);

	/* None at all; hardware-reduced says so. */
	memset(f + ACPI_FADT_X_PM1A_CNT_BLK, 0, 12);
	put32(f + ACPI_FADT_PM1A_CNT_BLK, 0);
	CHECK_STR(variant_power(f).s5_why, "the FADT has no PM1a_CNT_BLK");
	put32(f + ACPI_FADT_FLAGS, ACPI_FADT_HW_REDUCED_ACPI);
	CHECK(strstr(variant_power(f).s5_why, "hardware-reduced ACPI"));

	/* No DSDT named. */
	f = variant_fadt(6);
	put32(f + ACPI_FADT_DSDT, 0);
	CHECK_STR(variant_power(f).s5_why, "the FADT names no DSDT");
	/* SMI_CMD beyond the ports: no SMI_CMD. */
	put32(f + ACPI_FADT_SMI_CMD, 0x12345);
	CHECK_EQ(variant_power(f).smi_cmd, 0);
	CHECK_STR(sim_log(), "");
}

/* The AML of one synthetic case, its expected result and values. */
struct s5_case {
	const char *what;
	const uint8_t *aml;
	uint32_t len;
	int err;
	uint8_t a, b;
	const char *why;		/* a part of the reason */
};

#define AML(...) (const uint8_t[]){ __VA_ARGS__ }, sizeof((const uint8_t[]){ __VA_ARGS__ })
#define S5	0x5f, 0x53, 0x35, 0x5f	/* "_S5_" */

static void check_s5_cases(const struct s5_case *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		uint8_t *aml = malloc(c[i].len);	/* exactly: ASan sees overreads */
		struct acpi_s5 s5 = { 0x55, 0x55, 0, 0, 0 };
		char why[ACPI_WHY_LEN] = "";
		int err;

		memcpy(aml, c[i].aml, c[i].len);
		err = acpi_aml_find_s5(aml, c[i].len, 36, &s5, why, sizeof(why));
		if (err != c[i].err || (!err && (s5.slp_typa != c[i].a || s5.slp_typb != c[i].b)) ||
		    (c[i].why && !strstr(why, c[i].why))) {
			printf("    %s: got %d (%u, %u) \"%s\"; want %d (%u, %u) \"%s\"\n",
			       c[i].what, err, s5.slp_typa, s5.slp_typb, why, c[i].err,
			       c[i].a, c[i].b, c[i].why ? c[i].why : "");
			ht_failures_in_test++;
		}
		free(aml);
	}
}

static void test_s5_shapes(void)
{
	const struct s5_case cases[] = {
		{ "QEMU's: Package(4){Zero x4}",
		  AML(0x08, S5, 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00), ACPI_OK, 0, 0, NULL },
		{ "a root prefix: Name(\\_S5, ...), BytePrefix values",
		  AML(0x10, 0x08, 0x08, 0x5c, S5, 0x12, 0x08, 0x04, 0x0a, 0x07, 0x0a, 0x05, 0x00, 0x00),
		  ACPI_OK, 7, 5, NULL },
		{ "a parent prefix twice: Name(^^_S5, ...)",
		  AML(0x08, 0x5e, 0x5e, S5, 0x12, 0x04, 0x02, 0x01, 0x01), ACPI_OK, 1, 1, NULL },
		{ "WordPrefix, then DWordPrefix",
		  AML(0x08, S5, 0x12, 0x0c, 0x04, 0x0b, 0x06, 0x00, 0x0c, 0x03, 0x00, 0x00, 0x00,
		      0x00, 0x01),
		  ACPI_OK, 6, 3, NULL },
		{ "WordPrefix and QWordPrefix",
		  AML(0x08, S5, 0x12, 0x0f, 0x04, 0x0b, 0x06, 0x00, 0x0e, 0x03, 0, 0, 0, 0, 0, 0, 0,
		      0x00, 0x00),
		  ACPI_OK, 6, 3, NULL },
		{ "DWordPrefix",
		  AML(0x08, S5, 0x12, 0x0c, 0x02, 0x0c, 0x05, 0, 0, 0, 0x0c, 0x04, 0, 0, 0),
		  ACPI_OK, 5, 4, NULL },
		{ "one DWORD element: SLP_TYPa in byte 0, SLP_TYPb in byte 1",
		  AML(0x08, S5, 0x12, 0x07, 0x01, 0x0c, 0x07, 0x05, 0x00, 0x00), ACPI_OK, 7, 5, NULL },
		{ "two elements only",
		  AML(0x08, S5, 0x12, 0x05, 0x02, 0x0a, 0x03, 0x01), ACPI_OK, 3, 1, NULL },
		{ "a 2-byte PkgLength (0x46 0x00 = 6)",
		  AML(0x08, S5, 0x12, 0x46, 0x00, 0x04, 0x0a, 0x02, 0x00, 0x00, 0x00), ACPI_OK, 2, 0, NULL },
		{ "a reference before the definition is not a definition",
		  AML(0xa0, 0x5c, S5, 0x08, 0x5c, S5, 0x12, 0x04, 0x02, 0x00, 0x01), ACPI_OK, 0, 1, NULL },
		{ "a refused name, then a good one: the good one",
		  AML(0x08, S5, 0x0a, 0x05, 0x08, S5, 0x12, 0x04, 0x02, 0x01, 0x00), ACPI_OK, 1, 0, NULL },
		{ "no NameOp before _S5_ anywhere",
		  AML(0x70, S5, 0x12, 0x04, 0x02, 0x00, 0x00, 0x5c, S5), ACPI_ERR_NO_S5, 0, 0,
		  "no Name(_S5, ...) in the DSDT's 15 bytes of AML" },
		{ "empty AML", AML(0x00), ACPI_ERR_NO_S5, 0, 0, NULL },
	};

	check_s5_cases(cases, ARRAY_SIZE(cases));
	/* The refused name in the "good one" case is counted. */
	{
		const uint8_t aml[] = { 0x08, S5, 0x0a, 0x05, 0x08, S5, 0x12, 0x04, 0x02, 0x01, 0x00 };
		struct acpi_s5 s5;
		char why[ACPI_WHY_LEN];

		CHECK_EQ(acpi_aml_find_s5(aml, sizeof(aml), 0, &s5, why, sizeof(why)), ACPI_OK);
		CHECK_EQ(s5.nr_refused, 1);
		CHECK_EQ(s5.offset, 7);
		CHECK_EQ(s5.end, sizeof(aml));
	}
}

static void test_s5_malformations(void)
{
	sim_log_clear();
	const struct s5_case cases[] = {
		{ "the value is an integer, not a Package",
		  AML(0x08, S5, 0x0a, 0x05), ACPI_ERR_AML, 0, 0,
		  "\\_S5 at offset 0x24: its value is opcode 0x0a, not a Package" },
		{ "a VarPackage",
		  AML(0x08, S5, 0x13, 0x04, 0x0a, 0x02, 0x00), ACPI_ERR_AML, 0, 0,
		  "its value is a VarPackage, opcode 0x13" },
		{ "the AML ends after the name",
		  AML(0x08, S5), ACPI_ERR_AML, 0, 0, "the AML ends after its name" },
		{ "the AML ends at the PackageOp",
		  AML(0x08, S5, 0x12), ACPI_ERR_AML, 0, 0, "the AML ends at its PackageOp" },
		{ "the AML ends inside a 3-byte PkgLength",
		  AML(0x08, S5, 0x12, 0x80, 0x01), ACPI_ERR_AML, 0, 0, "the AML ends inside its PkgLength" },
		{ "PkgLength past the end",
		  AML(0x08, S5, 0x12, 0x3f, 0x04, 0x00, 0x00, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "\\_S5 at offset 0x24: PkgLength 0x3f runs past the end of the AML (0x30)" },
		{ "a multi-byte PkgLength with bits 5:4 set",
		  AML(0x08, S5, 0x12, 0x56, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "PkgLength lead byte 0x56 has reserved bits 5:4 set" },
		{ "PkgLength 1: no room for NumElements",
		  AML(0x08, S5, 0x12, 0x01, 0x04, 0x00), ACPI_ERR_AML, 0, 0,
		  "PkgLength 1 leaves no room for NumElements" },
		{ "no elements",
		  AML(0x08, S5, 0x12, 0x02, 0x00), ACPI_ERR_AML, 0, 0, "the package is empty" },
		{ "4 elements said, none inside the package",
		  AML(0x08, S5, 0x12, 0x02, 0x04, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "element 0 lies past the package's end" },
		{ "4 elements said, one inside the package",
		  AML(0x08, S5, 0x12, 0x03, 0x04, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "element 1 lies past the package's end" },
		{ "a string element",
		  AML(0x08, S5, 0x12, 0x05, 0x02, 0x0d, 0x41, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "element 0 (opcode 0x0d at 0x2c): not an integer constant" },
		{ "a name as element",
		  AML(0x08, S5, 0x12, 0x07, 0x02, 0x00, 0x53, 0x4c, 0x50, 0x42), ACPI_ERR_AML, 0, 0,
		  "element 1 (opcode 0x53" },
		{ "a BytePrefix at the package's last byte",
		  AML(0x08, S5, 0x12, 0x04, 0x02, 0x00, 0x0a, 0x07), ACPI_ERR_AML, 0, 0,
		  "element 1 (opcode 0x0a at 0x2d): its data runs past the package" },
		{ "SLP_TYPa 8",
		  AML(0x08, S5, 0x12, 0x05, 0x02, 0x0a, 0x08, 0x00), ACPI_ERR_AML, 0, 0,
		  "SLP_TYPa 0x8 does not fit the 3-bit SLP_TYP field" },
		{ "OnesOp",
		  AML(0x08, S5, 0x12, 0x04, 0x02, 0x00, 0xff), ACPI_ERR_AML, 0, 0,
		  "SLP_TYPb 0xffffffffffffffff does not fit" },
		{ "one DWORD with SLP_TYPb 9",
		  AML(0x08, S5, 0x12, 0x07, 0x01, 0x0c, 0x07, 0x09, 0x00, 0x00), ACPI_ERR_AML, 0, 0,
		  "SLP_TYPb 0x9 does not fit" },
		{ "two bad names: the first one's fault",
		  AML(0x08, S5, 0x0a, 0x05, 0x08, S5, 0x12, 0x02, 0x00), ACPI_ERR_AML, 0, 0,
		  "\\_S5 at offset 0x24: its value is opcode 0x0a" },
	};

	check_s5_cases(cases, ARRAY_SIZE(cases));
	CHECK_STR(sim_log(), "");
}

/* The DSDT as a table: refused, or without \_S5, said in s5_why and the
 * log; a FADT's reason is kept. */
static void test_dsdt_refused(void)
{
	uint8_t t[64];
	struct acpi_power pw;
	const uint8_t body[] = { 0x08, S5, 0x12, 0x06, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00 };

	header(t, "DSDT", 36 + sizeof(body), 2);
	memcpy(t + 36, body, sizeof(body));
	fix_table(t);
	reset();
	memset(&pw, 0, sizeof(pw));
	CHECK_EQ(acpi_parse_dsdt((void *)t, sizeof(t), 0x1000, &pw), ACPI_OK);
	CHECK(pw.have_s5);
	CHECK_EQ(pw.slp_typa, 5);
	CHECK_EQ(pw.s5_offset, 36);

	/* A reason from the FADT: the values are read, have_s5 stays false. */
	snprintf(pw.s5_why, sizeof(pw.s5_why), "the FADT has no PM1a_CNT_BLK");
	CHECK_EQ(acpi_parse_dsdt((void *)t, sizeof(t), 0x1000, &pw), ACPI_OK);
	CHECK(!pw.have_s5);
	CHECK_STR(pw.s5_why, "the FADT has no PM1a_CNT_BLK");

	memset(&pw, 0, sizeof(pw));
	t[36 + 5] = 0x0a;		/* PackageOp -> BytePrefix */
	fix_table(t);
	CHECK_EQ(acpi_parse_dsdt((void *)t, sizeof(t), 0x1000, &pw), ACPI_ERR_AML);
	CHECK(!pw.have_s5);
	CHECK_STR(pw.s5_why, "\\_S5 at offset 0x24: its value is opcode 0x0a, not a Package");
	CHECK_LOG("ACPI: DSDT at 0x1000: \\_S5 at offset 0x24: its value is opcode 0x0a, not a Package; power-off cannot use ACPI S5\n");

	memcpy(t, "SSDT", 4);
	fix_table(t);
	CHECK_EQ(acpi_parse_dsdt((void *)t, sizeof(t), 0x1000, &pw), ACPI_ERR_SIGNATURE);
	CHECK_STR(pw.s5_why, "the DSDT at 0x1000 was refused: wrong signature");
}

int main(void)
{
	RUN(test_rsdp_revisions);
	RUN(test_load_xsdt);
	RUN(test_load_rsdt);
	RUN(test_madt_direct);
	RUN(test_fadt_variants);
	RUN(test_fadt_boot_arch);
	RUN(test_rsdp_scan);
	RUN(test_bad_rsdp_checksum);
	RUN(test_bad_rsdp_xchecksum);
	RUN(test_bad_rsdp_length);
	RUN(test_bad_table_checksum);
	RUN(test_wrong_signature);
	RUN(test_length_shorter_than_header);
	RUN(test_subtable_overrun);
	RUN(test_subtable_length_zero);
	RUN(test_too_many_cpus);
	RUN(test_xsdt_entry_garbage);
	RUN(test_bad_fadt);
	RUN(test_strerror);
	RUN(test_madt_x2apic);
	RUN(test_hpet);
	RUN(test_real_fadts);
	RUN(test_real_dsdts);
	RUN(test_real_tables_loaded);
	RUN(test_real_fadt_cut_at_every_length);
	RUN(test_real_dsdt_cut_at_every_length);
	RUN(test_real_s5_every_byte_changed);
	RUN(test_fadt_reset_register_variants);
	RUN(test_fadt_pm1_and_dsdt_variants);
	RUN(test_s5_shapes);
	RUN(test_s5_malformations);
	RUN(test_dsdt_refused);
	return HT_DONE();
}
