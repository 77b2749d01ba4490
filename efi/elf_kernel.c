/* SPDX-License-Identifier: MIT */
/*
 * Kernel ELF32 validation for the UEFI loader (see include/boot/elf_kernel.h):
 * the ELF header, the program header table and each PT_LOAD are checked
 * against the file, then each segment's physical range against the e820
 * table derived from the firmware memory map (UEFI 2.x §7.2), before the
 * loader allocates or copies anything. Pure code: the host tests link it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include "boot/elf.h"
#include "boot/elf_kernel.h"
#include "boot/memmap.h"
#include "kernel/sprintf.h"

/* ---------------------------------------------------------------- messages */

struct msgbuf {
	char *buf;
	size_t size;
};

static void __attribute__((format(printf, 2, 3)))
set_msg(struct msgbuf *m, const char *fmt, ...)
{
	va_list ap;

	if (!m->buf || !m->size)
		return;
	va_start(ap, fmt);
	vsnprintf(m->buf, m->size, fmt, ap);
	va_end(ap);
}

const char *elf_kernel_strerror(int err)
{
	switch (err) {
	case ELFK_OK:			return "ok";
	case ELFK_ERR_ARG:		return "invalid argument";
	case ELFK_ERR_SHORT:		return "file too short";
	case ELFK_ERR_NOT_ELF:		return "not an ELF file";
	case ELFK_ERR_ELF64:		return "ELF64 file";
	case ELFK_ERR_CLASS:		return "bad ELF class";
	case ELFK_ERR_ENDIAN:		return "not little-endian";
	case ELFK_ERR_VERSION:		return "bad ELF version";
	case ELFK_ERR_TYPE:		return "not an executable";
	case ELFK_ERR_MACHINE:		return "not an i386 file";
	case ELFK_ERR_PHENTSIZE:	return "bad program header size";
	case ELFK_ERR_PHDRS_OUT_OF_FILE: return "program headers outside the file";
	case ELFK_ERR_NO_LOAD:		return "no loadable segment";
	case ELFK_ERR_TOO_MANY_SEGMENTS: return "too many segments";
	case ELFK_ERR_MEMSZ:		return "segment memsz below filesz";
	case ELFK_ERR_SEGMENT_OUT_OF_FILE: return "segment data outside the file";
	case ELFK_ERR_ADDR_OVERFLOW:	return "segment past 4 GiB";
	case ELFK_ERR_ALIGN:		return "segment misaligned";
	case ELFK_ERR_OVERLAP:		return "segments overlap";
	case ELFK_ERR_ENTRY:		return "entry point outside the code";
	case ELFK_ERR_OUTSIDE_RAM:	return "segment outside RAM";
	case ELFK_ERR_RESERVED:		return "segment over reserved memory";
	case ELFK_ERR_SPAN:		return "gap between segments not RAM";
	case ELFK_ERR_OFFSET:		return "segments at different virtual offsets";
	default:			return "unknown error";
	}
}

/* ---------------------------------------------------------------- parsing */

static void read_phdr(const uint8_t *p, Elf32_Phdr *ph)
{
	ph->p_type = elf_le32(p + 0);
	ph->p_offset = elf_le32(p + 4);
	ph->p_vaddr = elf_le32(p + 8);
	ph->p_paddr = elf_le32(p + 12);
	ph->p_filesz = elf_le32(p + 16);
	ph->p_memsz = elf_le32(p + 20);
	ph->p_flags = elf_le32(p + 24);
	ph->p_align = elf_le32(p + 28);
}

static const char *type_name(unsigned t)
{
	switch (t) {
	case ET_NONE:	return "ET_NONE, no file type";
	case ET_REL:	return "ET_REL, a relocatable object";
	case ET_DYN:	return "ET_DYN, a shared object or PIE";
	case ET_CORE:	return "ET_CORE, a core dump";
	default:	return "unknown";
	}
}

static const char *machine_name(unsigned m)
{
	switch (m) {
	case EM_X86_64:	return "x86-64";
	case 40:	return "ARM";
	case 183:	return "AArch64";
	case 243:	return "RISC-V";
	default:	return "not i386";
	}
}

/* The e820 type name at addr, for messages. */
static const char *e820_name_at(const struct boot_e820_entry *tab, size_t n,
				uint64_t addr)
{
	for (size_t i = 0; i < n; i++) {
		if (addr < tab[i].addr || addr - tab[i].addr >= tab[i].size)
			continue;
		switch (tab[i].type) {
		case E820_TYPE_RESERVED:	return "reserved";
		case E820_TYPE_ACPI:		return "ACPI data";
		case E820_TYPE_NVS:		return "ACPI NVS";
		case E820_TYPE_UNUSABLE:	return "unusable";
		default:			return "RAM";
		}
	}
	return "no entry";
}

static uint64_t seg_end(const struct elf_kernel_segment *s)
{
	return (uint64_t)s->paddr + s->memsz;
}

/* Checks one PT_LOAD against the file; returns ELFK_OK or the fault. */
static int check_segment(unsigned idx, const Elf32_Phdr *ph, size_t size,
			 struct msgbuf *m)
{
	uint64_t file_end = (uint64_t)ph->p_offset + ph->p_filesz;
	uint32_t align = ph->p_align;

	if (ph->p_memsz < ph->p_filesz) {
		set_msg(m, "segment %u p_memsz 0x%x is smaller than its p_filesz 0x%x",
			idx, ph->p_memsz, ph->p_filesz);
		return ELFK_ERR_MEMSZ;
	}
	if (ph->p_filesz && file_end > size) {
		set_msg(m, "segment %u file bytes [0x%x-0x%llx) extend past the end "
			"of the file (0x%llx bytes): truncated file",
			idx, ph->p_offset, (unsigned long long)file_end,
			(unsigned long long)size);
		return ELFK_ERR_SEGMENT_OUT_OF_FILE;
	}
	if ((uint64_t)ph->p_paddr + ph->p_memsz > 0x100000000ULL) {
		set_msg(m, "segment %u [0x%x-0x%llx) runs past 4 GiB",
			idx, ph->p_paddr,
			(unsigned long long)ph->p_paddr + ph->p_memsz);
		return ELFK_ERR_ADDR_OVERFLOW;
	}
	if (align > 1 && (align & (align - 1))) {
		set_msg(m, "segment %u p_align 0x%x is not a power of two",
			idx, align);
		return ELFK_ERR_ALIGN;
	}
	if (align > 1 && ((ph->p_vaddr - ph->p_offset) & (align - 1))) {
		set_msg(m, "segment %u p_vaddr 0x%x and p_offset 0x%x are not "
			"congruent modulo p_align 0x%x",
			idx, ph->p_vaddr, ph->p_offset, align);
		return ELFK_ERR_ALIGN;
	}
	/* The kernel maps each virtual page onto its physical page. */
	if ((ph->p_vaddr ^ ph->p_paddr) & (ELF_KERNEL_PAGE_SIZE - 1)) {
		set_msg(m, "segment %u p_vaddr 0x%x and p_paddr 0x%x differ within "
			"a 4 KiB page", idx, ph->p_vaddr, ph->p_paddr);
		return ELFK_ERR_ALIGN;
	}
	return ELFK_OK;
}

int elf_kernel_check_placement(const struct elf_kernel_info *info, uint64_t delta,
			       const struct boot_e820_entry *e820, size_t nr_e820,
			       char *msg, size_t msg_size)
{
	struct msgbuf m = { msg, msg_size };
	unsigned n = info->nr_segments;

	if (msg && msg_size)
		msg[0] = '\0';
	/* Only memory that is RAM and free after ExitBootServices will do. */
	for (unsigned i = 0; i < n; i++) {
		const struct elf_kernel_segment *s = &info->seg[i];
		uint64_t start = s->paddr + delta, end = seg_end(s) + delta;
		uint64_t bad = 0;

		if (end > 0x100000000ULL) {
			set_msg(&m, "segment %u [0x%llx-0x%llx) runs past 4 GiB", s->index,
				(unsigned long long)start, (unsigned long long)end);
			return ELFK_ERR_ADDR_OVERFLOW;
		}
		switch (memmap_classify_range(e820, nr_e820, start, s->memsz, &bad)) {
		case MEMMAP_RANGE_LOADABLE:
			break;
		case MEMMAP_RANGE_OUTSIDE_RAM:
			set_msg(&m, "segment %u [0x%llx-0x%llx) is outside RAM (no memory "
				"map entry at 0x%llx)", s->index, (unsigned long long)start,
				(unsigned long long)end, (unsigned long long)bad);
			return ELFK_ERR_OUTSIDE_RAM;
		default:
			set_msg(&m, "segment %u [0x%llx-0x%llx) overlaps firmware-reserved "
				"memory at 0x%llx (%s)", s->index, (unsigned long long)start,
				(unsigned long long)end, (unsigned long long)bad,
				e820_name_at(e820, nr_e820, bad));
			return ELFK_ERR_RESERVED;
		}
	}

	/* A staged kernel moves into place as one page-rounded block, gaps
	 * included: they must be free RAM as well. */
	{
		uint64_t lo = (info->phys_start + delta) & ~(uint64_t)(ELF_KERNEL_PAGE_SIZE - 1);
		uint64_t hi = (info->phys_end + delta + ELF_KERNEL_PAGE_SIZE - 1) &
			      ~(uint64_t)(ELF_KERNEL_PAGE_SIZE - 1);
		uint64_t bad = 0;
		int cls = memmap_classify_range(e820, nr_e820, lo, hi - lo, &bad);

		if (cls != MEMMAP_RANGE_LOADABLE) {
			set_msg(&m, "the kernel's page-rounded span [0x%llx-0x%llx) "
				"between its segments %s at 0x%llx (%s)",
				(unsigned long long)lo, (unsigned long long)hi,
				cls == MEMMAP_RANGE_OUTSIDE_RAM ? "is outside RAM" :
				"covers firmware-reserved memory",
				(unsigned long long)bad, e820_name_at(e820, nr_e820, bad));
			return ELFK_ERR_SPAN;
		}
	}
	return ELFK_OK;
}

int elf_kernel_validate(const void *image, size_t size,
			const struct boot_e820_entry *e820, size_t nr_e820,
			struct elf_kernel_info *info,
			char *msg, size_t msg_size)
{
	const uint8_t *img = image;
	struct msgbuf m = { msg, msg_size };
	Elf32_Ehdr eh;
	uint64_t ph_end;
	unsigned n = 0;

	if (msg && msg_size)
		msg[0] = '\0';
	if (!img || !info) {
		set_msg(&m, "no image");
		return ELFK_ERR_ARG;
	}

	/* Identification first, so that a short text file is reported as
	 * what it is, not merely as short. */
	if (size >= SELFMAG && (img[EI_MAG0] != ELFMAG0 || img[EI_MAG1] != ELFMAG1 ||
				img[EI_MAG2] != ELFMAG2 || img[EI_MAG3] != ELFMAG3)) {
		set_msg(&m, "not an ELF file (starts %02x %02x %02x %02x, "
			"expected 7f 45 4c 46)", img[0], img[1], img[2], img[3]);
		return ELFK_ERR_NOT_ELF;
	}
	if (size >= EI_NIDENT) {
		if (img[EI_CLASS] == ELFCLASS64) {
			set_msg(&m, "ELF64 (64-bit) file; the kernel must be an ELF32 "
				"i386 executable");
			return ELFK_ERR_ELF64;
		}
		if (img[EI_CLASS] != ELFCLASS32) {
			set_msg(&m, "unknown ELF class %u (EI_CLASS), expected 1 "
				"(ELFCLASS32)", img[EI_CLASS]);
			return ELFK_ERR_CLASS;
		}
		if (img[EI_DATA] != ELFDATA2LSB) {
			set_msg(&m, "ELF data encoding %u (%s), expected 1 "
				"(ELFDATA2LSB, little-endian)", img[EI_DATA],
				img[EI_DATA] == ELFDATA2MSB ? "big-endian" : "unknown");
			return ELFK_ERR_ENDIAN;
		}
		if (img[EI_VERSION] != EV_CURRENT) {
			set_msg(&m, "ELF identification version %u, expected 1 "
				"(EV_CURRENT)", img[EI_VERSION]);
			return ELFK_ERR_VERSION;
		}
	}
	if (size < sizeof(Elf32_Ehdr)) {
		set_msg(&m, "file is %llu bytes, shorter than the %u-byte ELF32 header",
			(unsigned long long)size, (unsigned)sizeof(Elf32_Ehdr));
		return ELFK_ERR_SHORT;
	}

	elf32_read_ehdr(img, &eh);
	if (eh.e_type != ET_EXEC) {
		set_msg(&m, "e_type %u (%s), expected 2 (ET_EXEC, an executable)",
			eh.e_type, type_name(eh.e_type));
		return ELFK_ERR_TYPE;
	}
	if (eh.e_machine != EM_386) {
		set_msg(&m, "e_machine %u (%s), expected 3 (EM_386)",
			eh.e_machine, machine_name(eh.e_machine));
		return ELFK_ERR_MACHINE;
	}
	if (eh.e_version != EV_CURRENT) {
		set_msg(&m, "e_version %u, expected 1 (EV_CURRENT)", eh.e_version);
		return ELFK_ERR_VERSION;
	}
	if (eh.e_phentsize != sizeof(Elf32_Phdr)) {
		set_msg(&m, "e_phentsize %u, expected %u", eh.e_phentsize,
			(unsigned)sizeof(Elf32_Phdr));
		return ELFK_ERR_PHENTSIZE;
	}
	if (eh.e_phnum == 0) {
		set_msg(&m, "no program headers (e_phnum 0), so no PT_LOAD segment");
		return ELFK_ERR_NO_LOAD;
	}
	ph_end = (uint64_t)eh.e_phoff + (uint64_t)eh.e_phnum * sizeof(Elf32_Phdr);
	if (ph_end > size) {
		set_msg(&m, "program header table [0x%x-0x%llx) lies outside the "
			"file (0x%llx bytes)", eh.e_phoff,
			(unsigned long long)ph_end, (unsigned long long)size);
		return ELFK_ERR_PHDRS_OUT_OF_FILE;
	}

	/* Each PT_LOAD against the file, collected sorted by paddr. */
	for (unsigned i = 0; i < eh.e_phnum; i++) {
		Elf32_Phdr ph;
		struct elf_kernel_segment s;
		unsigned j;
		int err;

		read_phdr(img + eh.e_phoff + (size_t)i * sizeof(Elf32_Phdr), &ph);
		if (ph.p_type != PT_LOAD)
			continue;
		err = check_segment(i, &ph, size, &m);
		if (err)
			return err;
		if (ph.p_memsz == 0)
			continue;	/* occupies nothing */
		if (n == ELF_KERNEL_MAX_SEGMENTS) {
			set_msg(&m, "more than %u non-empty PT_LOAD segments "
				"(segment %u is one too many)",
				ELF_KERNEL_MAX_SEGMENTS, i);
			return ELFK_ERR_TOO_MANY_SEGMENTS;
		}
		s.index = i;
		s.paddr = ph.p_paddr;
		s.vaddr = ph.p_vaddr;
		s.offset = ph.p_offset;
		s.filesz = ph.p_filesz;
		s.memsz = ph.p_memsz;
		s.flags = ph.p_flags;
		for (j = n; j > 0 && info->seg[j - 1].paddr > s.paddr; j--)
			info->seg[j] = info->seg[j - 1];
		info->seg[j] = s;
		n++;
	}
	if (n == 0) {
		set_msg(&m, "no non-empty PT_LOAD segment among %u program headers",
			eh.e_phnum);
		return ELFK_ERR_NO_LOAD;
	}

	/* Sorted by paddr, an overlap shows between neighbours. */
	for (unsigned i = 1; i < n; i++) {
		const struct elf_kernel_segment *a = &info->seg[i - 1], *b = &info->seg[i];

		if (seg_end(a) > b->paddr) {
			set_msg(&m, "segments %u [0x%x-0x%llx) and %u [0x%x-0x%llx) "
				"overlap", a->index, a->paddr,
				(unsigned long long)seg_end(a), b->index, b->paddr,
				(unsigned long long)seg_end(b));
			return ELFK_ERR_OVERLAP;
		}
	}

	/* pm32 jumps to e_entry with paging off: it must be a physical
	 * address inside file-backed bytes of an executable segment. */
	{
		bool found = false;

		for (unsigned i = 0; i < n && !found; i++) {
			const struct elf_kernel_segment *s = &info->seg[i];

			found = (s->flags & PF_X) && eh.e_entry >= s->paddr &&
				eh.e_entry - s->paddr < s->filesz;
		}
		if (!found) {
			set_msg(&m, "entry point 0x%x is not inside the file bytes of "
				"an executable PT_LOAD's physical range [p_paddr, "
				"p_paddr + p_filesz)", eh.e_entry);
			return ELFK_ERR_ENTRY;
		}
	}

	info->entry = eh.e_entry;
	info->nr_segments = n;
	info->phys_start = info->seg[0].paddr;
	info->phys_end = 0;
	for (unsigned i = 0; i < n; i++)
		if (seg_end(&info->seg[i]) > info->phys_end)
			info->phys_end = seg_end(&info->seg[i]);

	if (e820) {
		int err = elf_kernel_check_placement(info, 0, e820, nr_e820, msg, msg_size);

		if (err != ELFK_OK)
			return err;
		return elf_kernel_check_offsets(info, msg, msg_size);
	}
	return ELFK_OK;
}

/* The kernel finds a virtual address's physical page by one subtraction
 * (__pa): every segment must keep the same p_vaddr - p_paddr. Checked after
 * the placement, so that a segment moved outside RAM is named as that. */
int elf_kernel_check_offsets(const struct elf_kernel_info *info, char *msg,
			     size_t msg_size)
{
	struct msgbuf m = { msg, msg_size };

	for (unsigned i = 1; i < info->nr_segments; i++) {
		const struct elf_kernel_segment *a = &info->seg[0], *b = &info->seg[i];

		if (b->vaddr - b->paddr != a->vaddr - a->paddr) {
			set_msg(&m, "segment %u is linked at 0x%x for physical 0x%x, segment "
				"%u at 0x%x for 0x%x: the kernel needs one virtual-minus-"
				"physical offset for all its segments", b->index, b->vaddr,
				b->paddr, a->index, a->vaddr, a->paddr);
			return ELFK_ERR_OFFSET;
		}
	}
	return ELFK_OK;
}
