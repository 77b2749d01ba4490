/* SPDX-License-Identifier: MIT */
/*
 * Host tests for kernel/acpi_tables.c (ACPI 6.5 ch. 5): an RSDP (v0 and
 * v2), RSDT, XSDT, MADT and FADT built in a fake physical memory, parsed
 * and checked field by field; then one broken copy per fault, each refused
 * with its code and a message naming it, the output left untouched.
 *
 * Every map hands out a fresh heap copy of the bytes asked for and unmap
 * frees it, so AddressSanitizer catches a read past a mapping or after
 * its unmap, and the live-map count catches a leak.
 */
#include <stdarg.h>
#include <stdbool.h>
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
#define LOW_SIZE	0x4000
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
	header(hp, "HPET", 56, 1);
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
	CHECK_EQ(m->nmis[0].acpi_id, 0xff);
	CHECK_EQ(m->nmis[0].flags, 0x0005);
	CHECK_EQ(m->nmis[0].lint, 1);
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
	CHECK(tables.have_madt && tables.have_fadt);
	CHECK_EQ(tables.madt_phys, P(MADT_OFF));
	CHECK_EQ(tables.fadt_phys, HIGH_BASE + FADT_HIGH_OFF);
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
	for (int e = 0; e >= ACPI_ERR_PM_TIMER; e--)
		CHECK(strcmp(acpi_strerror(e), "unknown error") != 0);
	CHECK_STR(acpi_strerror(-99), "unknown error");
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
	return HT_DONE();
}
