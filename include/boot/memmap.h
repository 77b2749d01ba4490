/* SPDX-License-Identifier: MIT */
/*
 * Turns a UEFI memory map (UEFI 2.x §7.2, EFI_BOOT_SERVICES.GetMemoryMap)
 * into the sorted, merged, non-overlapping e820-style table of
 * include/boot/bootinfo.h, and classifies physical ranges against such a
 * table. Pure code: no firmware headers, no allocation, so the host tests
 * link it as is.
 */
#ifndef BOOT_MEMMAP_H
#define BOOT_MEMMAP_H

#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"

/* EFI_MEMORY_TYPE values (UEFI 2.x §7.2, GetMemoryMap). Ours, so that this
 * header needs no firmware headers; values above the last are "unknown". */
#define UEFI_MT_RESERVED		0
#define UEFI_MT_LOADER_CODE		1
#define UEFI_MT_LOADER_DATA		2
#define UEFI_MT_BOOT_SERVICES_CODE	3
#define UEFI_MT_BOOT_SERVICES_DATA	4
#define UEFI_MT_RUNTIME_SERVICES_CODE	5
#define UEFI_MT_RUNTIME_SERVICES_DATA	6
#define UEFI_MT_CONVENTIONAL		7
#define UEFI_MT_UNUSABLE		8
#define UEFI_MT_ACPI_RECLAIM		9
#define UEFI_MT_ACPI_NVS		10
#define UEFI_MT_MMIO			11
#define UEFI_MT_MMIO_PORT_SPACE		12
#define UEFI_MT_PAL_CODE		13
#define UEFI_MT_PERSISTENT		14
#define UEFI_MT_UNACCEPTED		15

/* EFI_MEMORY_DESCRIPTOR field offsets. The firmware's descriptor stride
 * (DescriptorSize) may be larger than this (OVMF uses 48). */
#define UEFI_MD_TYPE_OFF		0	/* UINT32 */
#define UEFI_MD_PHYS_START_OFF		8	/* UINT64 */
#define UEFI_MD_VIRT_START_OFF		16	/* UINT64 */
#define UEFI_MD_NUM_PAGES_OFF		24	/* UINT64 */
#define UEFI_MD_ATTRIBUTE_OFF		32	/* UINT64 */
#define UEFI_MD_MIN_SIZE		40
#define UEFI_PAGE_SHIFT			12

/* Errors of memmap_from_efi(); all negative. */
#define MEMMAP_ERR_ARG		(-1)	/* NULL pointer where one is needed */
#define MEMMAP_ERR_DESC_SIZE	(-2)	/* stride below UEFI_MD_MIN_SIZE */
#define MEMMAP_ERR_MAP_SIZE	(-3)	/* map size not a multiple of the stride */
#define MEMMAP_ERR_SCRATCH	(-4)	/* scratch buffer too small or misaligned */
#define MEMMAP_ERR_FULL		(-5)	/* more entries than out_max */

/* Bytes of scratch memory (8-byte aligned) memmap_from_efi() needs for a
 * map of n descriptors: two 16-byte boundary events per descriptor. */
#define MEMMAP_SCRATCH_SIZE(n)	((size_t)(n) * 32u)

/* The e820 type a UEFI memory type becomes (unknown types: reserved). */
uint32_t memmap_e820_type(uint32_t efi_type);

/*
 * Converts map_size bytes of descriptors, desc_size bytes apart, into at
 * most out_max entries at out: sorted by address, adjacent ranges of the
 * same type merged, overlaps resolved in favour of the more restrictive
 * type (reserved > unusable > NVS > ACPI > loader > usable). Zero-length
 * descriptors are dropped; a range running past 2^64 ends at 2^64 (an
 * entry covering all of 0..2^64 gets size UINT64_MAX). Returns the number
 * of entries or a MEMMAP_ERR_* value.
 */
int memmap_from_efi(const void *map, size_t map_size, size_t desc_size,
		    void *scratch, size_t scratch_size,
		    struct boot_e820_entry *out, size_t out_max);

/* How a physical range relates to an e820 table (memmap_classify_range). */
#define MEMMAP_RANGE_LOADABLE	0	/* all inside USABLE or LOADER entries */
#define MEMMAP_RANGE_OUTSIDE_RAM 1	/* touches an address no entry covers */
#define MEMMAP_RANGE_RESERVED	2	/* touches any other type (firmware's) */

/*
 * Classifies [start, start + len) (len 0: empty, always loadable; a range
 * past 2^64 is outside RAM) against a table as memmap_from_efi() makes it.
 * A range touching both a firmware type and a hole is RESERVED. When not
 * loadable, *bad_addr (if given) receives the first offending address.
 */
int memmap_classify_range(const struct boot_e820_entry *tab, size_t n,
			  uint64_t start, uint64_t len, uint64_t *bad_addr);

#endif /* BOOT_MEMMAP_H */
