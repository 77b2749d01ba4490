/* SPDX-License-Identifier: MIT */
/*
 * UEFI memory map (UEFI 2.x §7.2, GetMemoryMap and EFI_MEMORY_DESCRIPTOR)
 * to e820 table conversion and range classification; pure code shared by
 * the loader and the host tests (see include/boot/memmap.h).
 *
 * The conversion is a boundary sweep: every descriptor contributes a start
 * event and an end event; after sorting the events, the type of each span
 * between two neighbouring events is the most restrictive type among the
 * descriptors open there, which resolves overlaps, and spans no descriptor
 * covers become holes. Ranges are kept as inclusive [first, last] byte
 * addresses so that a range ending exactly at 2^64 stays representable.
 */
#include <stdbool.h>
#include "boot/memmap.h"

/* Restrictiveness classes, least restrictive first: on overlap the higher
 * class wins. */
enum {
	CLASS_USABLE,
	CLASS_LOADER,
	CLASS_ACPI,
	CLASS_NVS,
	CLASS_UNUSABLE,
	CLASS_RESERVED,
	NR_CLASSES
};

static const uint32_t class_e820[NR_CLASSES] = {
	[CLASS_USABLE] = E820_TYPE_USABLE,
	[CLASS_LOADER] = E820_TYPE_LOADER,
	[CLASS_ACPI] = E820_TYPE_ACPI,
	[CLASS_NVS] = E820_TYPE_NVS,
	[CLASS_UNUSABLE] = E820_TYPE_UNUSABLE,
	[CLASS_RESERVED] = E820_TYPE_RESERVED,
};

/* One range boundary. A start event sits just before byte pos, an end
 * event just after byte pos, so at equal pos starts sort first. */
struct event {
	uint64_t pos;
	uint8_t is_end;
	uint8_t cls;
	uint8_t pad[6];
};

_Static_assert(sizeof(struct event) * 2 <= MEMMAP_SCRATCH_SIZE(1),
	       "MEMMAP_SCRATCH_SIZE too small for two events");

static uint64_t rd64(const uint8_t *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = (v << 8) | p[i];
	return v;
}

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static int efi_type_class(uint32_t efi_type)
{
	switch (efi_type) {
	case UEFI_MT_CONVENTIONAL:
	case UEFI_MT_BOOT_SERVICES_CODE:
	case UEFI_MT_BOOT_SERVICES_DATA:
	case UEFI_MT_LOADER_CODE:
		return CLASS_USABLE;
	case UEFI_MT_LOADER_DATA:
		return CLASS_LOADER;
	case UEFI_MT_ACPI_RECLAIM:
		return CLASS_ACPI;
	case UEFI_MT_ACPI_NVS:
		return CLASS_NVS;
	case UEFI_MT_UNUSABLE:
		return CLASS_UNUSABLE;
	default:
		/* Reserved, runtime services, MMIO, PAL, persistent,
		 * unaccepted and anything newer than this code. */
		return CLASS_RESERVED;
	}
}

uint32_t memmap_e820_type(uint32_t efi_type)
{
	return class_e820[efi_type_class(efi_type)];
}

static bool event_before(const struct event *a, const struct event *b)
{
	if (a->pos != b->pos)
		return a->pos < b->pos;
	return a->is_end < b->is_end;
}

/* Heap sort: O(n log n), no recursion, no extra memory. */
static void sift_down(struct event *ev, size_t root, size_t n)
{
	for (;;) {
		size_t child = 2 * root + 1;
		struct event tmp;

		if (child >= n)
			return;
		if (child + 1 < n && event_before(&ev[child], &ev[child + 1]))
			child++;
		if (!event_before(&ev[root], &ev[child]))
			return;
		tmp = ev[root];
		ev[root] = ev[child];
		ev[child] = tmp;
		root = child;
	}
}

static void sort_events(struct event *ev, size_t n)
{
	if (n < 2)
		return;
	for (size_t i = n / 2; i-- > 0;)
		sift_down(ev, i, n);
	for (size_t end = n - 1; end > 0; end--) {
		struct event tmp = ev[0];

		ev[0] = ev[end];
		ev[end] = tmp;
		sift_down(ev, 0, end);
	}
}

/* Appends [first, last] of e820 type to out, merging with the previous
 * entry when contiguous and of the same type. Returns 0 or MEMMAP_ERR_FULL. */
static int emit(struct boot_e820_entry *out, size_t out_max, size_t *count,
		uint64_t first, uint64_t last, uint32_t type)
{
	/* last - first + 1 wraps to 0 only for the whole 64-bit space. */
	uint64_t size = last - first + 1;

	if (size == 0)
		size = UINT64_MAX;
	if (*count > 0) {
		struct boot_e820_entry *prev = &out[*count - 1];

		if (prev->type == type && prev->addr + prev->size == first) {
			prev->size = (prev->size > UINT64_MAX - size) ?
				     UINT64_MAX : prev->size + size;
			return 0;
		}
	}
	if (*count >= out_max)
		return MEMMAP_ERR_FULL;
	out[*count].addr = first;
	out[*count].size = size;
	out[*count].type = type;
	out[*count].pad = 0;
	(*count)++;
	return 0;
}

int memmap_from_efi(const void *map, size_t map_size, size_t desc_size,
		    void *scratch, size_t scratch_size,
		    struct boot_e820_entry *out, size_t out_max)
{
	const uint8_t *md = map;
	struct event *ev = scratch;
	size_t n, nev = 0, count = 0;
	unsigned open[NR_CLASSES] = { 0 };

	if ((!map && map_size) || !out || (!scratch && map_size))
		return MEMMAP_ERR_ARG;
	if (desc_size < UEFI_MD_MIN_SIZE)
		return MEMMAP_ERR_DESC_SIZE;
	if (map_size % desc_size)
		return MEMMAP_ERR_MAP_SIZE;
	n = map_size / desc_size;
	if (n && (scratch_size < MEMMAP_SCRATCH_SIZE(n) ||
		  ((uintptr_t)scratch & 7)))
		return MEMMAP_ERR_SCRATCH;

	for (size_t i = 0; i < n; i++, md += desc_size) {
		uint64_t start = rd64(md + UEFI_MD_PHYS_START_OFF);
		uint64_t pages = rd64(md + UEFI_MD_NUM_PAGES_OFF);
		uint64_t room = UINT64_MAX - start;	/* bytes after start */
		uint64_t last;

		if (pages == 0)
			continue;
		/* Clamp at 2^64: pages << 12 - 1 > room means past the top. */
		if (pages > (UINT64_MAX >> UEFI_PAGE_SHIFT) + 1 ||
		    (pages << UEFI_PAGE_SHIFT) - 1 > room)
			last = UINT64_MAX;
		else
			last = start + (pages << UEFI_PAGE_SHIFT) - 1;

		ev[nev].pos = start;
		ev[nev].is_end = 0;
		ev[nev].cls = (uint8_t)efi_type_class(rd32(md + UEFI_MD_TYPE_OFF));
		nev++;
		ev[nev] = ev[nev - 1];
		ev[nev].pos = last;
		ev[nev].is_end = 1;
		nev++;
	}
	sort_events(ev, nev);

	for (size_t i = 0; i < nev; i++) {
		uint64_t first, last;
		int top = -1, err;

		if (ev[i].is_end)
			open[ev[i].cls]--;
		else
			open[ev[i].cls]++;
		if (i + 1 == nev)
			break;

		/* The bytes strictly between event i and event i + 1. */
		if (ev[i].is_end) {
			if (ev[i].pos == UINT64_MAX)
				break;	/* nothing lies above 2^64 - 1 */
			first = ev[i].pos + 1;
		} else {
			first = ev[i].pos;
		}
		if (ev[i + 1].is_end) {
			last = ev[i + 1].pos;
		} else {
			if (ev[i + 1].pos == 0)
				continue;
			last = ev[i + 1].pos - 1;
		}
		if (first > last)
			continue;

		for (int c = NR_CLASSES - 1; c >= 0; c--) {
			if (open[c]) {
				top = c;
				break;
			}
		}
		if (top < 0)
			continue;	/* a hole: no descriptor covers it */
		err = emit(out, out_max, &count, first, last, class_e820[top]);
		if (err)
			return err;
	}
	return (int)count;
}

static bool is_ram_type(uint32_t type)
{
	return type == E820_TYPE_USABLE || type == E820_TYPE_LOADER;
}

/* Whether an entry has a last byte (size 0 entries have none), and that
 * inclusive last byte in *last. */
static bool entry_last(const struct boot_e820_entry *e, uint64_t *last)
{
	if (e->size == 0)
		return false;
	*last = (e->size - 1 > UINT64_MAX - e->addr) ?
		UINT64_MAX : e->addr + e->size - 1;
	return true;
}

int memmap_classify_range(const struct boot_e820_entry *tab, size_t n,
			  uint64_t start, uint64_t len, uint64_t *bad_addr)
{
	uint64_t last, cur, bad = UINT64_MAX;
	bool reserved = false;

	if (len == 0)
		return MEMMAP_RANGE_LOADABLE;
	if (len - 1 > UINT64_MAX - start) {
		if (bad_addr)
			*bad_addr = 0;	/* the part past 2^64 wrapped to 0 */
		return MEMMAP_RANGE_OUTSIDE_RAM;
	}
	last = start + len - 1;

	/* Any overlap with a firmware-owned type wins: it is the more
	 * specific diagnosis and the more dangerous one. */
	for (size_t i = 0; i < n; i++) {
		uint64_t el;

		if (is_ram_type(tab[i].type) || !entry_last(&tab[i], &el))
			continue;
		if (tab[i].addr <= last && el >= start) {
			uint64_t at = tab[i].addr > start ? tab[i].addr : start;

			if (!reserved || at < bad)
				bad = at;
			reserved = true;
		}
	}
	if (reserved) {
		if (bad_addr)
			*bad_addr = bad;
		return MEMMAP_RANGE_RESERVED;
	}

	/* Walk forward through RAM entries until the range is covered; the
	 * table need not be sorted for this. */
	cur = start;
	for (;;) {
		bool found = false;
		uint64_t el = 0;

		for (size_t i = 0; i < n; i++) {
			if (!is_ram_type(tab[i].type) || !entry_last(&tab[i], &el))
				continue;
			if (tab[i].addr <= cur && el >= cur) {
				found = true;
				break;
			}
		}
		if (!found) {
			if (bad_addr)
				*bad_addr = cur;
			return MEMMAP_RANGE_OUTSIDE_RAM;
		}
		if (el >= last)
			return MEMMAP_RANGE_LOADABLE;
		cur = el + 1;
	}
}
