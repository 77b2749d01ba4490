/* SPDX-License-Identifier: MIT */
/*
 * Validation of the kernel's ELF32 image before the loader places it: every
 * header field and PT_LOAD segment is checked against the file and against
 * the e820 table of the firmware's current memory map (UEFI 2.x §7.2
 * GetMemoryMap, converted by memmap.h), so that nothing is
 * copied anywhere unless the whole image is loadable. Pure code (no firmware
 * headers, no allocation), shared by the loader and the host tests.
 */
#ifndef BOOT_ELF_KERNEL_H
#define BOOT_ELF_KERNEL_H

#include <stddef.h>
#include <stdint.h>
#include "boot/bootinfo.h"

#define ELF_KERNEL_MAX_SEGMENTS	16
#define ELF_KERNEL_MSG_MAX	192	/* message buffer, NUL included */
#define ELF_KERNEL_PAGE_SIZE	4096u

/* Error codes, all negative; elf_kernel_strerror() names each one. */
enum elf_kernel_err {
	ELFK_OK = 0,
	ELFK_ERR_ARG = -1,		/* NULL image or info */
	ELFK_ERR_SHORT = -2,		/* shorter than the ELF header */
	ELFK_ERR_NOT_ELF = -3,		/* no \177ELF magic */
	ELFK_ERR_ELF64 = -4,		/* ELFCLASS64 */
	ELFK_ERR_CLASS = -5,		/* neither ELFCLASS32 nor ELFCLASS64 */
	ELFK_ERR_ENDIAN = -6,		/* not ELFDATA2LSB */
	ELFK_ERR_VERSION = -7,		/* EI_VERSION or e_version not EV_CURRENT */
	ELFK_ERR_TYPE = -8,		/* e_type not ET_EXEC */
	ELFK_ERR_MACHINE = -9,		/* e_machine not EM_386 */
	ELFK_ERR_PHENTSIZE = -10,	/* e_phentsize not sizeof(Elf32_Phdr) */
	ELFK_ERR_PHDRS_OUT_OF_FILE = -11, /* program header table past EOF */
	ELFK_ERR_NO_LOAD = -12,		/* no non-empty PT_LOAD */
	ELFK_ERR_TOO_MANY_SEGMENTS = -13, /* over ELF_KERNEL_MAX_SEGMENTS */
	ELFK_ERR_MEMSZ = -14,		/* p_memsz < p_filesz */
	ELFK_ERR_SEGMENT_OUT_OF_FILE = -15, /* file bytes past EOF (truncated) */
	ELFK_ERR_ADDR_OVERFLOW = -16,	/* p_paddr + p_memsz past 4 GiB */
	ELFK_ERR_ALIGN = -17,		/* p_align / page congruence broken */
	ELFK_ERR_OVERLAP = -18,		/* two segments share physical bytes */
	ELFK_ERR_ENTRY = -19,		/* e_entry not in an executable segment */
	ELFK_ERR_OUTSIDE_RAM = -20,	/* segment over a hole in the memory map */
	ELFK_ERR_RESERVED = -21,	/* segment over firmware-owned memory */
	ELFK_ERR_SPAN = -22,		/* gap between segments not free RAM */
	ELFK_ERR_OFFSET = -23,		/* segments differ in p_vaddr - p_paddr */
};

/* One PT_LOAD segment as the loader places it. */
struct elf_kernel_segment {
	uint32_t index;		/* program header index in the file */
	uint32_t paddr;		/* physical load address */
	uint32_t vaddr;		/* virtual address, as linked */
	uint32_t offset;	/* file offset of the filesz bytes */
	uint32_t filesz;	/* bytes copied from the file */
	uint32_t memsz;		/* filesz plus zeroed bytes (bss) */
	uint32_t flags;		/* PF_* */
};

struct elf_kernel_info {
	uint32_t entry;		/* e_entry: physical, inside an executable segment */
	uint64_t phys_start;	/* lowest p_paddr */
	uint64_t phys_end;	/* highest p_paddr + p_memsz (may be 2^32) */
	uint32_t nr_segments;	/* non-empty PT_LOADs, sorted by paddr */
	struct elf_kernel_segment seg[ELF_KERNEL_MAX_SEGMENTS];
};

/*
 * Validates the ELF image of size bytes at image. Each non-empty PT_LOAD's
 * physical range is classified against the e820 table, and so is the whole
 * page-rounded span from the lowest to the highest segment, since a staged
 * kernel is moved into place as one block (e820 NULL: the memory checks
 * are skipped). On success fills *info and returns ELFK_OK;
 * on a fault returns its ELFK_ERR_* code and, when msg is given, writes a
 * one-line message naming the fault with its numbers (no file name, no
 * trailing newline) into msg[msg_size].
 */
int elf_kernel_validate(const void *image, size_t size,
			const struct boot_e820_entry *e820, size_t nr_e820,
			struct elf_kernel_info *info,
			char *msg, size_t msg_size);

/*
 * elf_kernel_check_offsets - every segment of info at the same p_vaddr -
 * p_paddr (the kernel's __pa is one subtraction): ELFK_OK, or
 * ELFK_ERR_OFFSET with a message naming two segments. elf_kernel_validate
 * runs it after its memory checks; the loader after choosing the base.
 */
int elf_kernel_check_offsets(const struct elf_kernel_info *info, char *msg,
			     size_t msg_size);

/*
 * The memory checks of elf_kernel_validate for a kernel whose segments
 * (info, filled by it) are moved up by delta bytes: each segment's physical
 * range and the page-rounded span must be free RAM in e820 and end by
 * 4 GiB. ELFK_OK, or the code and message elf_kernel_validate would give,
 * with the moved addresses.
 */
int elf_kernel_check_placement(const struct elf_kernel_info *info, uint64_t delta,
			       const struct boot_e820_entry *e820, size_t nr_e820,
			       char *msg, size_t msg_size);

/* A short fixed name for an error code ("segment outside RAM", ...). */
const char *elf_kernel_strerror(int err);

#endif /* BOOT_ELF_KERNEL_H */
