/* SPDX-License-Identifier: MIT */
/*
 * The kernel's relocation records, as Linux's CONFIG_RELOCATABLE keeps them
 * (arch/x86/tools/relocs.c extracts them from a link with --emit-relocs,
 * arch/x86/boot/compressed/misc.c handle_relocations applies them): the
 * link-time virtual address of every 32-bit word that holds a kernel
 * address. The loader moves the whole image by a multiple of
 * KERNEL_PHYS_ALIGN and adds that delta to each word, so the kernel runs
 * at PAGE_OFFSET + its real physical base and __pa(x) = x - PAGE_OFFSET
 * stays true. tools/relocs.c writes the table, which the build puts into
 * the kernel file as the non-loaded section RELOCS_SECTION; efi/relocs.c
 * finds, checks and applies it. Pure code, shared by the loader, the build
 * tool and the host tests.
 */
#ifndef BOOT_RELOCS_H
#define BOOT_RELOCS_H

#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"
#include "boot/elf_kernel.h"

#define RELOCS_SECTION		".pae32.relocs"
#define RELOCS_MAGIC		0x534c4552	/* "RELS" */
#define RELOCS_VERSION		1

/*
 * The section: this header (little-endian words), then nr_abs32 records,
 * then nr_inv32 records, each a 32-bit link-time virtual address, strictly
 * ascending within its kind and never sharing a byte with another record.
 */
struct relocs_header {
	uint32_t magic;		/* RELOCS_MAGIC */
	uint32_t version;	/* RELOCS_VERSION */
	uint32_t header_size;	/* sizeof(struct relocs_header) */
	uint32_t link_base;	/* the lowest p_paddr: KERNEL_PHYS_LOAD */
	uint32_t align;		/* a base must be a multiple of this */
	uint32_t nr_abs32;	/* words that get + delta (R_386_32) */
	uint32_t nr_inv32;	/* words that get - delta (R_386_PC32 to a fixed address) */
	uint32_t image_crc;	/* CRC-32 of the PT_LOADs' file bytes, in p_paddr order */
	uint32_t records_crc;	/* CRC-32 of the records */
	uint32_t pad;
};

_Static_assert(sizeof(struct relocs_header) == 40, "relocs_header layout");

/* Error codes, negative, after elf_kernel.h's; relocs_strerror() names them. */
enum relocs_err {
	RELOCS_OK = 0,
	RELOCS_ERR_MISSING = -40,	/* no RELOCS_SECTION in the file */
	RELOCS_ERR_SECTIONS = -41,	/* section headers or names broken */
	RELOCS_ERR_FORMAT = -42,	/* bad magic, version, sizes, alignment */
	RELOCS_ERR_DAMAGED = -43,	/* records_crc does not match */
	RELOCS_ERR_MISMATCH = -44,	/* made for another kernel */
	RELOCS_ERR_RECORD = -45,	/* a record out of range or out of order */
	RELOCS_ERR_BASE = -46,		/* a base the kernel cannot have */
	RELOCS_ERR_NO_BASE = -47,	/* no free base at all */
};

/* A checked table inside the kernel file. */
struct relocs_table {
	const uint8_t *abs32;	/* nr_abs32 little-endian words */
	const uint8_t *inv32;	/* nr_inv32 little-endian words */
	uint32_t nr_abs32, nr_inv32;
	uint32_t link_base;
	uint32_t align;
};

/* CRC-32 (IEEE 802.3, reflected, as zlib's crc32): crc is 0 to start, or
 * the value returned for the bytes before buf. */
uint32_t relocs_crc32(uint32_t crc, const void *buf, size_t len);

/* CRC-32 of the kernel's segments' file bytes (info from elf_kernel_validate). */
uint32_t relocs_image_crc(const void *image, const struct elf_kernel_info *info);

/*
 * Checks a table of size bytes at sec against the kernel file image (info
 * from elf_kernel_validate, its segments still at their link addresses):
 * the header, both CRCs, the link base, every record inside the file bytes
 * of a segment and in order. Fills *t (pointing into sec) and returns
 * RELOCS_OK, or a code and a one-line message in msg[msg_size].
 */
int relocs_check(const void *sec, size_t size, const void *image,
		 const struct elf_kernel_info *info, struct relocs_table *t,
		 char *msg, size_t msg_size);

/* Finds RELOCS_SECTION through the section headers of image[size], then
 * relocs_check(). */
int relocs_find(const void *image, size_t size, const struct elf_kernel_info *info,
		struct relocs_table *t, char *msg, size_t msg_size);

/*
 * Adds delta to every abs32 word and subtracts it from every inv32 word of
 * buf[buf_size], the image laid out from its first segment's page (link
 * layout: offset = p_paddr - (phys_start & ~0xfff)). Each record is checked
 * against the segments and buf again, all before any word changes: a
 * record out of range changes nothing. Returns the number of words
 * changed, or a negative code with a message.
 */
long relocs_apply(const struct relocs_table *t, const struct elf_kernel_info *info,
		  void *buf, size_t buf_size, uint32_t delta, char *msg, size_t msg_size);

/*
 * Whether the kernel can run at physical base: a multiple of t->align, not
 * below t->link_base, its page-rounded span below limit, and every segment
 * and the span free RAM in e820 (elf_kernel_check_placement). RELOCS_OK,
 * or a code and a message naming the first fault.
 */
int relocs_base_ok(const struct elf_kernel_info *info, const struct relocs_table *t,
		   uint64_t base, const struct boot_e820_entry *e820, size_t nr_e820,
		   uint64_t limit, char *msg, size_t msg_size);

/* The lowest base from t->link_base up for which relocs_base_ok holds
 * (*base), or RELOCS_ERR_NO_BASE. */
int relocs_first_base(const struct elf_kernel_info *info, const struct relocs_table *t,
		      const struct boot_e820_entry *e820, size_t nr_e820,
		      uint64_t limit, uint64_t *base);

/* Moves info to base: entry, phys_start, phys_end and every segment's
 * paddr shift by base - link base; vaddr keeps the link address. */
void relocs_shift(struct elf_kernel_info *info, const struct relocs_table *t,
		  uint64_t base);

/*
 * The value of the last "loader.kernel_base=VALUE" word of cmdline: 0 when
 * there is none, 1 with *base (decimal, or hex with 0x, and an optional
 * K, M or G), -1 when VALUE is not such a number; val[val_size] gets
 * VALUE (cut to fit) for messages either way.
 */
int relocs_cmdline_base(const char *cmdline, uint64_t *base, char *val, size_t val_size);

/* A short fixed name for a RELOCS_ERR_* code. */
const char *relocs_strerror(int err);

#endif /* BOOT_RELOCS_H */
