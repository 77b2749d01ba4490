/* SPDX-License-Identifier: MIT */
/*
 * Host tests for efi/memmap.c: UEFI memory map (UEFI 2.x §7.2) to e820
 * conversion (ordering, overlap priority, merging, clamping, strides,
 * capacity) and range classification, including a randomised comparison
 * against a page-by-page reference model.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "boot/memmap.h"

#define MAXD	64
#define PG	0x1000ULL

struct desc {
	uint32_t type;
	uint64_t start, pages;
};

static uint8_t mapbuf[MAXD * 64] __attribute__((aligned(8)));
static uint64_t scratch[MEMMAP_SCRATCH_SIZE(MAXD) / 8];
static struct boot_e820_entry out[MAXD * 2];

/* Lays descriptors out stride bytes apart, filling the rest with junk. */
static size_t build(const struct desc *d, size_t n, size_t stride)
{
	memset(mapbuf, 0xa5, sizeof(mapbuf));
	for (size_t i = 0; i < n; i++) {
		uint8_t *p = mapbuf + i * stride;
		uint64_t virt = 0x1234;
		uint64_t attr = 0xf;

		memcpy(p + UEFI_MD_TYPE_OFF, &d[i].type, 4);
		memcpy(p + UEFI_MD_PHYS_START_OFF, &d[i].start, 8);
		memcpy(p + UEFI_MD_VIRT_START_OFF, &virt, 8);
		memcpy(p + UEFI_MD_NUM_PAGES_OFF, &d[i].pages, 8);
		memcpy(p + UEFI_MD_ATTRIBUTE_OFF, &attr, 8);
	}
	return n * stride;
}

static int convert(const struct desc *d, size_t n, size_t stride, size_t out_max)
{
	size_t sz = build(d, n, stride);

	memset(out, 0x5a, sizeof(out));
	return memmap_from_efi(mapbuf, sz, stride, scratch, sizeof(scratch),
			       out, out_max);
}

#define CHECK_ENTRY(i, a, s, t) do { \
	CHECK_EQ(out[i].addr, (a)); \
	CHECK_EQ(out[i].size, (s)); \
	CHECK_EQ(out[i].type, (t)); \
	CHECK_EQ(out[i].pad, 0); \
} while (0)

static void test_type_mapping(void)
{
	static const uint32_t want[16] = {
		E820_TYPE_RESERVED, E820_TYPE_USABLE, E820_TYPE_LOADER,
		E820_TYPE_USABLE, E820_TYPE_USABLE, E820_TYPE_RESERVED,
		E820_TYPE_RESERVED, E820_TYPE_USABLE, E820_TYPE_UNUSABLE,
		E820_TYPE_ACPI, E820_TYPE_NVS, E820_TYPE_RESERVED,
		E820_TYPE_RESERVED, E820_TYPE_RESERVED, E820_TYPE_RESERVED,
		E820_TYPE_RESERVED,
	};
	struct desc d[17];

	for (uint32_t t = 0; t < 16; t++)
		CHECK_EQ(memmap_e820_type(t), want[t]);
	CHECK_EQ(memmap_e820_type(16), E820_TYPE_RESERVED);
	CHECK_EQ(memmap_e820_type(0x70000000), E820_TYPE_RESERVED);
	CHECK_EQ(memmap_e820_type(0xffffffff), E820_TYPE_RESERVED);

	/* One descriptor per type, each followed by a one-page hole. */
	for (uint32_t t = 0; t < 17; t++) {
		d[t].type = t == 16 ? 0x80000001 : t;
		d[t].start = (uint64_t)t * 2 * PG;
		d[t].pages = 1;
	}
	CHECK_EQ(convert(d, 17, 48, 64), 17);
	for (int t = 0; t < 17; t++)
		CHECK_ENTRY(t, (uint64_t)t * 2 * PG, PG,
			    t == 16 ? E820_TYPE_RESERVED : want[t]);
}

static void test_empty(void)
{
	CHECK_EQ(memmap_from_efi(NULL, 0, 48, NULL, 0, out, 4), 0);
	CHECK_EQ(memmap_from_efi(mapbuf, 0, 48, scratch, sizeof(scratch), out, 4), 0);
}

static void test_unsorted(void)
{
	struct desc d[] = {
		{ UEFI_MT_ACPI_NVS,     0x300000, 4 },
		{ UEFI_MT_CONVENTIONAL, 0x100000, 16 },
		{ UEFI_MT_RESERVED,     0xfffc0000, 64 },
		{ UEFI_MT_CONVENTIONAL, 0x0, 0x9f },
		{ UEFI_MT_ACPI_RECLAIM, 0x200000, 2 },
	};

	CHECK_EQ(convert(d, 5, 48, 16), 5);
	CHECK_ENTRY(0, 0x0, 0x9f * PG, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x100000, 16 * PG, E820_TYPE_USABLE);
	CHECK_ENTRY(2, 0x200000, 2 * PG, E820_TYPE_ACPI);
	CHECK_ENTRY(3, 0x300000, 4 * PG, E820_TYPE_NVS);
	CHECK_ENTRY(4, 0xfffc0000, 64 * PG, E820_TYPE_RESERVED);
}

static void test_adjacent_merge(void)
{
	/* Usable made of four UEFI types, then a loader run, then usable. */
	struct desc d[] = {
		{ UEFI_MT_BOOT_SERVICES_DATA, 0x2000, 2 },
		{ UEFI_MT_CONVENTIONAL,       0x0, 2 },
		{ UEFI_MT_LOADER_CODE,        0x4000, 1 },
		{ UEFI_MT_BOOT_SERVICES_CODE, 0x5000, 3 },
		{ UEFI_MT_LOADER_DATA,        0x8000, 2 },
		{ UEFI_MT_LOADER_DATA,        0xa000, 1 },
		{ UEFI_MT_CONVENTIONAL,       0xb000, 5 },
		/* Same type but a one-page gap: not merged. */
		{ UEFI_MT_CONVENTIONAL,       0x11000, 1 },
	};

	CHECK_EQ(convert(d, 8, 48, 16), 4);
	CHECK_ENTRY(0, 0x0, 0x8000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x8000, 0x3000, E820_TYPE_LOADER);
	CHECK_ENTRY(2, 0xb000, 0x5000, E820_TYPE_USABLE);
	CHECK_ENTRY(3, 0x11000, 0x1000, E820_TYPE_USABLE);
}

static void test_overlap_priority(void)
{
	/* A reserved hole punched into usable memory. */
	struct desc a[] = {
		{ UEFI_MT_CONVENTIONAL, 0x0, 16 },
		{ UEFI_MT_RUNTIME_SERVICES_DATA, 0x4000, 2 },
	};
	CHECK_EQ(convert(a, 2, 48, 8), 3);
	CHECK_ENTRY(0, 0x0, 0x4000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x4000, 0x2000, E820_TYPE_RESERVED);
	CHECK_ENTRY(2, 0x6000, 0xa000, E820_TYPE_USABLE);

	/* Each pair, in both orders: the more restrictive type wins. */
	static const struct { uint32_t lo, hi, want_hi; } pairs[] = {
		{ UEFI_MT_CONVENTIONAL, UEFI_MT_LOADER_DATA, E820_TYPE_LOADER },
		{ UEFI_MT_LOADER_DATA, UEFI_MT_ACPI_RECLAIM, E820_TYPE_ACPI },
		{ UEFI_MT_ACPI_RECLAIM, UEFI_MT_ACPI_NVS, E820_TYPE_NVS },
		{ UEFI_MT_ACPI_NVS, UEFI_MT_UNUSABLE, E820_TYPE_UNUSABLE },
		{ UEFI_MT_UNUSABLE, UEFI_MT_RESERVED, E820_TYPE_RESERVED },
		{ UEFI_MT_BOOT_SERVICES_CODE, UEFI_MT_MMIO, E820_TYPE_RESERVED },
	};
	for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct desc d[2] = {
			{ pairs[i].lo, 0x10000, 4 },	/* [0x10000, 0x14000) */
			{ pairs[i].hi, 0x12000, 4 },	/* [0x12000, 0x16000) */
		};
		for (int order = 0; order < 2; order++) {
			if (order) {
				struct desc t = d[0];
				d[0] = d[1];
				d[1] = t;
			}
			CHECK_EQ(convert(d, 2, 48, 8), 2);
			CHECK_ENTRY(0, 0x10000, 0x2000, memmap_e820_type(pairs[i].lo));
			CHECK_ENTRY(1, 0x12000, 0x4000, pairs[i].want_hi);
		}
	}

	/* Three layers and a duplicate: ACPI inside NVS inside usable. */
	struct desc c[] = {
		{ UEFI_MT_CONVENTIONAL, 0x0, 32 },
		{ UEFI_MT_ACPI_NVS, 0x8000, 8 },
		{ UEFI_MT_ACPI_RECLAIM, 0x9000, 2 },
		{ UEFI_MT_CONVENTIONAL, 0x0, 32 },
	};
	CHECK_EQ(convert(c, 4, 48, 8), 3);
	CHECK_ENTRY(0, 0x0, 0x8000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x8000, 0x8000, E820_TYPE_NVS);
	CHECK_ENTRY(2, 0x10000, 0x10000, E820_TYPE_USABLE);

	/* Identical ranges of the same type collapse to one entry. */
	struct desc e[] = {
		{ UEFI_MT_ACPI_RECLAIM, 0x5000, 3 },
		{ UEFI_MT_ACPI_RECLAIM, 0x5000, 3 },
	};
	CHECK_EQ(convert(e, 2, 48, 8), 1);
	CHECK_ENTRY(0, 0x5000, 0x3000, E820_TYPE_ACPI);
}

static void test_zero_length(void)
{
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0x0, 8 },
		{ UEFI_MT_RESERVED, 0x4000, 0 },	/* would split if kept */
		{ UEFI_MT_ACPI_NVS, 0x100000, 0 },	/* would add an entry */
	};

	CHECK_EQ(convert(d, 3, 48, 8), 1);
	CHECK_ENTRY(0, 0x0, 0x8000, E820_TYPE_USABLE);
}

static void test_unknown_type(void)
{
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0x0, 8 },
		{ 0x6fffffff, 0x2000, 1 },	/* unknown: reserved */
		{ 16, 0x8000, 1 },		/* first value past Unaccepted */
		{ UEFI_MT_UNACCEPTED, 0x9000, 1 },
		{ UEFI_MT_PERSISTENT, 0xa000, 1 },
	};

	CHECK_EQ(convert(d, 5, 48, 8), 4);
	CHECK_ENTRY(0, 0x0, 0x2000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x2000, 0x1000, E820_TYPE_RESERVED);
	CHECK_ENTRY(2, 0x3000, 0x5000, E820_TYPE_USABLE);
	CHECK_ENTRY(3, 0x8000, 0x3000, E820_TYPE_RESERVED);
}

static void test_overflow_clamp(void)
{
	/* A page count far past 2^64: the range ends at 2^64. */
	struct desc a[] = {
		{ UEFI_MT_RESERVED, 0xffffffff00000000ULL, 0xffffffffffffffffULL },
		{ UEFI_MT_CONVENTIONAL, 0x0, 16 },
	};
	CHECK_EQ(convert(a, 2, 48, 8), 2);
	CHECK_ENTRY(0, 0x0, 0x10000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0xffffffff00000000ULL, 0x100000000ULL, E820_TYPE_RESERVED);

	/* Exactly up to 2^64 without overflow, next to a clamped one of the
	 * same type: merged, still ending at 2^64. */
	struct desc b[] = {
		{ UEFI_MT_MMIO, 0xfffffffffff00000ULL, 0x100 },
		{ UEFI_MT_RESERVED, 0xffffffffffe00000ULL, 0x100 },
		{ UEFI_MT_RESERVED, 0xfffffffffff80000ULL, 1ULL << 52 },
	};
	CHECK_EQ(convert(b, 3, 48, 8), 1);
	CHECK_ENTRY(0, 0xffffffffffe00000ULL, 0x200000, E820_TYPE_RESERVED);

	/* 2^52 pages from 0 is all of 2^64: size saturates at UINT64_MAX;
	 * a usable range inside it loses to the reserved one. */
	struct desc c[] = {
		{ UEFI_MT_RESERVED, 0x0, 1ULL << 52 },
		{ UEFI_MT_CONVENTIONAL, 0x100000, 4 },
	};
	CHECK_EQ(convert(c, 2, 48, 8), 1);
	CHECK_ENTRY(0, 0x0, UINT64_MAX, E820_TYPE_RESERVED);

	/* 2^52 + 1 pages is past 2^64 even from 0. */
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0x1000, (1ULL << 52) + 1 },
	};
	CHECK_EQ(convert(d, 1, 48, 8), 1);
	CHECK_ENTRY(0, 0x1000, 0ULL - 0x1000, E820_TYPE_USABLE);
}

static void test_strides(void)
{
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0x100000, 0x100 },
		{ UEFI_MT_BOOT_SERVICES_DATA, 0x0, 0x9f },
		{ UEFI_MT_ACPI_NVS, 0x9f000, 1 },
	};
	static const size_t strides[] = { 40, 48, 56, 64, 44 };

	for (size_t i = 0; i < sizeof(strides) / sizeof(strides[0]); i++) {
		CHECK_EQ(convert(d, 3, strides[i], 8), 3);
		CHECK_ENTRY(0, 0x0, 0x9f000, E820_TYPE_USABLE);
		CHECK_ENTRY(1, 0x9f000, 0x1000, E820_TYPE_NVS);
		CHECK_ENTRY(2, 0x100000, 0x100000, E820_TYPE_USABLE);
	}

	/* Too small a stride, and a map that is not whole descriptors. */
	size_t sz = build(d, 3, 48);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 32, scratch, sizeof(scratch), out, 8),
		 MEMMAP_ERR_DESC_SIZE);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 0, scratch, sizeof(scratch), out, 8),
		 MEMMAP_ERR_DESC_SIZE);
	CHECK_EQ(memmap_from_efi(mapbuf, sz - 8, 48, scratch, sizeof(scratch), out, 8),
		 MEMMAP_ERR_MAP_SIZE);
}

static void test_table_full(void)
{
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0x0, 1 },
		{ UEFI_MT_CONVENTIONAL, 0x2000, 1 },
		{ UEFI_MT_CONVENTIONAL, 0x4000, 1 },
		{ UEFI_MT_CONVENTIONAL, 0x5000, 1 },	/* merges into the 3rd */
	};

	CHECK_EQ(convert(d, 4, 48, 2), MEMMAP_ERR_FULL);
	/* Nothing written past out_max. */
	CHECK_EQ(out[2].addr, 0x5a5a5a5a5a5a5a5aULL);
	CHECK_EQ(convert(d, 4, 48, 3), 3);
	CHECK_ENTRY(2, 0x4000, 0x2000, E820_TYPE_USABLE);
	CHECK_EQ(convert(d, 4, 48, 0), MEMMAP_ERR_FULL);
}

static void test_bad_args(void)
{
	struct desc d[] = { { UEFI_MT_CONVENTIONAL, 0x0, 1 } };
	size_t sz = build(d, 1, 48);

	CHECK_EQ(memmap_from_efi(NULL, sz, 48, scratch, sizeof(scratch), out, 8),
		 MEMMAP_ERR_ARG);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 48, scratch, sizeof(scratch), NULL, 8),
		 MEMMAP_ERR_ARG);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 48, NULL, 0, out, 8), MEMMAP_ERR_ARG);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 48, scratch, MEMMAP_SCRATCH_SIZE(1) - 1,
				 out, 8), MEMMAP_ERR_SCRATCH);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 48, (uint8_t *)scratch + 4,
				 sizeof(scratch) - 8, out, 8), MEMMAP_ERR_SCRATCH);
	CHECK_EQ(memmap_from_efi(mapbuf, sz, 48, scratch, MEMMAP_SCRATCH_SIZE(1),
				 out, 8), 1);
}

/* A map shaped like OVMF's (q35, 256 MiB), stride 48, in its own order. */
static void test_ovmf_like(void)
{
	struct desc d[] = {
		{ UEFI_MT_BOOT_SERVICES_CODE, 0x0, 1 },
		{ UEFI_MT_CONVENTIONAL, 0x1000, 0x9f },
		{ UEFI_MT_CONVENTIONAL, 0x100000, 0x700 },
		{ UEFI_MT_ACPI_NVS, 0x800000, 8 },
		{ UEFI_MT_CONVENTIONAL, 0x808000, 3 },
		{ UEFI_MT_ACPI_NVS, 0x80b000, 1 },
		{ UEFI_MT_CONVENTIONAL, 0x80c000, 0x7f4 },
		{ UEFI_MT_BOOT_SERVICES_DATA, 0x1000000, 0x20 },
		{ UEFI_MT_LOADER_DATA, 0x1020000, 0x10 },
		{ UEFI_MT_CONVENTIONAL, 0x1030000, 0xd000 },
		{ UEFI_MT_RUNTIME_SERVICES_DATA, 0xe030000, 0x100 },
		{ UEFI_MT_ACPI_RECLAIM, 0xe130000, 0x10 },
		{ UEFI_MT_BOOT_SERVICES_DATA, 0xe140000, 0x1ec0 },
		{ UEFI_MT_RESERVED, 0xffc00000, 0x400 },
	};

	CHECK_EQ(convert(d, 14, 48, 16), 12);
	CHECK_ENTRY(0, 0x0, 0xa0000, E820_TYPE_USABLE);
	CHECK_ENTRY(1, 0x100000, 0x700000, E820_TYPE_USABLE);
	CHECK_ENTRY(2, 0x800000, 0x8000, E820_TYPE_NVS);
	CHECK_ENTRY(3, 0x808000, 0x3000, E820_TYPE_USABLE);
	CHECK_ENTRY(4, 0x80b000, 0x1000, E820_TYPE_NVS);
	CHECK_ENTRY(5, 0x80c000, 0x1020000 - 0x80c000, E820_TYPE_USABLE);
	CHECK_ENTRY(6, 0x1020000, 0x10000, E820_TYPE_LOADER);
	CHECK_ENTRY(7, 0x1030000, 0xd000000, E820_TYPE_USABLE);
	CHECK_ENTRY(8, 0xe030000, 0x100000, E820_TYPE_RESERVED);
	CHECK_ENTRY(9, 0xe130000, 0x10000, E820_TYPE_ACPI);
	CHECK_ENTRY(10, 0xe140000, 0x1ec0000, E820_TYPE_USABLE);
	CHECK_ENTRY(11, 0xffc00000, 0x400000, E820_TYPE_RESERVED);
}

/* Random maps over 64 pages against a per-page reference. */
static int rank_of(uint32_t e820)
{
	switch (e820) {
	case E820_TYPE_USABLE: return 0;
	case E820_TYPE_LOADER: return 1;
	case E820_TYPE_ACPI: return 2;
	case E820_TYPE_NVS: return 3;
	case E820_TYPE_UNUSABLE: return 4;
	default: return 5;
	}
}

static void test_random_vs_reference(void)
{
	uint32_t seed = 12345;
	int mismatches = 0;

	for (int iter = 0; iter < 2000; iter++) {
		struct desc d[12];
		uint32_t page_type[64];
		struct boot_e820_entry want[64];
		int nd, nw = 0, got;

		seed = seed * 1103515245 + 12345;
		nd = (int)(seed >> 16) % 12 + 1;
		for (int p = 0; p < 64; p++)
			page_type[p] = 0;	/* hole */
		for (int i = 0; i < nd; i++) {
			seed = seed * 1103515245 + 12345;
			d[i].type = (seed >> 8) % 18;
			d[i].start = ((seed >> 16) % 56) * PG;
			d[i].pages = (seed >> 24) % 9;
			for (uint64_t p = d[i].start / PG; p < d[i].start / PG + d[i].pages; p++) {
				uint32_t t = memmap_e820_type(d[i].type);

				if (!page_type[p] || rank_of(t) > rank_of(page_type[p]))
					page_type[p] = t;
			}
		}
		for (int p = 0; p < 64; p++) {
			if (!page_type[p])
				continue;
			if (nw && want[nw - 1].type == page_type[p] &&
			    want[nw - 1].addr + want[nw - 1].size == p * PG) {
				want[nw - 1].size += PG;
				continue;
			}
			want[nw].addr = p * PG;
			want[nw].size = PG;
			want[nw].type = page_type[p];
			nw++;
		}
		got = convert(d, nd, 48, 64);
		if (got != nw) {
			mismatches++;
			continue;
		}
		for (int i = 0; i < nw; i++)
			if (out[i].addr != want[i].addr || out[i].size != want[i].size ||
			    out[i].type != want[i].type)
				mismatches++;
		/* Sorted, non-overlapping, no mergeable neighbours. */
		for (int i = 1; i < got; i++) {
			CHECK(out[i - 1].addr + out[i - 1].size <= out[i].addr);
			CHECK(!(out[i - 1].addr + out[i - 1].size == out[i].addr &&
				out[i - 1].type == out[i].type));
		}
	}
	CHECK_EQ(mismatches, 0);
}

static void test_classify(void)
{
	static const struct boot_e820_entry t[] = {
		{ 0x0,       0x9f000,   E820_TYPE_USABLE, 0 },
		{ 0x9f000,   0x1000,    E820_TYPE_RESERVED, 0 },
		/* hole 0xa0000 - 0x100000 */
		{ 0x100000,  0xf00000,  E820_TYPE_USABLE, 0 },
		{ 0x1000000, 0x100000,  E820_TYPE_LOADER, 0 },
		{ 0x1100000, 0x700000,  E820_TYPE_USABLE, 0 },
		{ 0x1800000, 0x1000,    E820_TYPE_ACPI, 0 },
		{ 0x1801000, 0x1000,    E820_TYPE_NVS, 0 },
		{ 0x1802000, 0x1000,    E820_TYPE_UNUSABLE, 0 },
		{ 0x1803000, 0xe7fd000, E820_TYPE_USABLE, 0 },
		/* hole 0x10000000 - 0xffc00000 */
		{ 0xffc00000, 0x400000, E820_TYPE_RESERVED, 0 },
	};
	const size_t n = sizeof(t) / sizeof(t[0]);
	uint64_t bad = 0;

	/* Inside one entry, across usable/loader/usable, exactly an entry. */
	CHECK_EQ(memmap_classify_range(t, n, 0x200000, 0x1000, &bad), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(t, n, 0xff0000, 0x200000, NULL), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(t, n, 0x1000000, 0x100000, NULL), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(t, n, 0x1803000, 0xe7fd000, NULL), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(t, n, 0x5000, 0, NULL), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(t, n, 0xf0000000, 0, NULL), MEMMAP_RANGE_LOADABLE);

	/* Holes: inside, starting in RAM, ending past the last entry. */
	CHECK_EQ(memmap_classify_range(t, n, 0xf0000000, 0x123000, &bad), MEMMAP_RANGE_OUTSIDE_RAM);
	CHECK_EQ(bad, 0xf0000000);
	CHECK_EQ(memmap_classify_range(t, n, 0xfff0000, 0x20000, &bad), MEMMAP_RANGE_OUTSIDE_RAM);
	CHECK_EQ(bad, 0x10000000);
	CHECK_EQ(memmap_classify_range(t, n, 0x100000000ULL, 0x1000, &bad), MEMMAP_RANGE_OUTSIDE_RAM);
	CHECK_EQ(bad, 0x100000000ULL);
	CHECK_EQ(memmap_classify_range(t, n, 0xfffffffffffff000ULL, 0x2000, &bad),
		 MEMMAP_RANGE_OUTSIDE_RAM);

	/* Firmware types, by their first byte touched; one byte suffices. */
	CHECK_EQ(memmap_classify_range(t, n, 0x9e000, 0x1001, &bad), MEMMAP_RANGE_RESERVED);
	CHECK_EQ(bad, 0x9f000);
	CHECK_EQ(memmap_classify_range(t, n, 0x17ff000, 0x1001, &bad), MEMMAP_RANGE_RESERVED);
	CHECK_EQ(bad, 0x1800000);
	CHECK_EQ(memmap_classify_range(t, n, 0x1801800, 0x10, &bad), MEMMAP_RANGE_RESERVED);
	CHECK_EQ(bad, 0x1801800);
	CHECK_EQ(memmap_classify_range(t, n, 0x1802fff, 1, &bad), MEMMAP_RANGE_RESERVED);
	CHECK_EQ(bad, 0x1802fff);
	/* Both a hole and a reserved entry: reserved is reported. */
	CHECK_EQ(memmap_classify_range(t, n, 0x90000, 0x80000, &bad), MEMMAP_RANGE_RESERVED);
	CHECK_EQ(bad, 0x9f000);
	/* Empty table: nothing is RAM. */
	CHECK_EQ(memmap_classify_range(t, 0, 0x100000, 0x1000, &bad), MEMMAP_RANGE_OUTSIDE_RAM);
	CHECK_EQ(bad, 0x100000);
}

/* The classifier agrees with a table memmap_from_efi() produced, also at
 * the top of the address space. */
static void test_classify_converted(void)
{
	struct desc d[] = {
		{ UEFI_MT_CONVENTIONAL, 0xfffffffffff00000ULL, 0x100 },
		{ UEFI_MT_CONVENTIONAL, 0x0, 0x10 },
	};
	int n = convert(d, 2, 48, 8);

	CHECK_EQ(n, 2);
	CHECK_EQ(memmap_classify_range(out, n, 0xfffffffffff00000ULL, 0x100000, NULL),
		 MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(out, n, 0x0, 0x10000, NULL), MEMMAP_RANGE_LOADABLE);
	CHECK_EQ(memmap_classify_range(out, n, 0x0, 0x10001, NULL), MEMMAP_RANGE_OUTSIDE_RAM);
}

int main(void)
{
	RUN(test_type_mapping);
	RUN(test_empty);
	RUN(test_unsorted);
	RUN(test_adjacent_merge);
	RUN(test_overlap_priority);
	RUN(test_zero_length);
	RUN(test_unknown_type);
	RUN(test_overflow_clamp);
	RUN(test_strides);
	RUN(test_table_full);
	RUN(test_bad_args);
	RUN(test_ovmf_like);
	RUN(test_random_vs_reference);
	RUN(test_classify);
	RUN(test_classify_converted);
	return HT_DONE();
}
