/* SPDX-License-Identifier: MIT */
/*
 * Host tests for efi/elf_kernel.c: a synthetic ELF32 i386 kernel built
 * here is accepted with the expected placement, and each fault the loader
 * must catch before loading (header, program headers, segment data,
 * overlap, entry, placement against a memory map as UEFI 2.x §7.2 reports
 * it) yields its own error code and a message naming it.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "boot/elf.h"
#include "boot/elf_kernel.h"
#include "boot/memmap.h"

#define IMG_SIZE	0x3800
#define TEXT_OFF	0x1000
#define DATA_OFF	0x3000
#define LOAD		0x1000000u

static uint8_t img[0x10000] __attribute__((aligned(8)));
static size_t img_size;
static struct elf_kernel_info info;
static char msg[ELF_KERNEL_MSG_MAX];

/* A memory map like OVMF's: RAM from 1 MiB to 256 MiB with an ACPI NVS
 * page at 0x3000000, a hole, then flash. */
static const struct boot_e820_entry e820[] = {
	{ 0x0,        0x9f000,    E820_TYPE_USABLE, 0 },
	{ 0x100000,   0xf00000,   E820_TYPE_USABLE, 0 },
	{ 0x1000000,  0x20000,    E820_TYPE_LOADER, 0 },
	{ 0x1020000,  0x1fe0000,  E820_TYPE_USABLE, 0 },
	{ 0x3000000,  0x1000,     E820_TYPE_NVS, 0 },
	{ 0x3001000,  0xcfff000,  E820_TYPE_USABLE, 0 },
	{ 0xffc00000, 0x400000,   E820_TYPE_RESERVED, 0 },
};
#define NR_E820 (sizeof(e820) / sizeof(e820[0]))

static Elf32_Ehdr *eh(void)
{
	return (Elf32_Ehdr *)img;
}

static Elf32_Phdr *ph(int i)
{
	return (Elf32_Phdr *)(img + sizeof(Elf32_Ehdr)) + i;
}

/* Text [LOAD, LOAD + 0x2000) R-X from the file, data [LOAD + 0x2000,
 * LOAD + 0x5000) RW- with 0x800 file bytes and bss, and a PT_GNU_STACK. */
static void make_valid(void)
{
	memset(img, 0, sizeof(img));
	memcpy(eh()->e_ident, ELFMAG, SELFMAG);
	eh()->e_ident[EI_CLASS] = ELFCLASS32;
	eh()->e_ident[EI_DATA] = ELFDATA2LSB;
	eh()->e_ident[EI_VERSION] = EV_CURRENT;
	eh()->e_type = ET_EXEC;
	eh()->e_machine = EM_386;
	eh()->e_version = EV_CURRENT;
	eh()->e_entry = LOAD + 0x10;
	eh()->e_phoff = sizeof(Elf32_Ehdr);
	eh()->e_ehsize = sizeof(Elf32_Ehdr);
	eh()->e_phentsize = sizeof(Elf32_Phdr);
	eh()->e_phnum = 3;

	*ph(0) = (Elf32_Phdr){ PT_LOAD, TEXT_OFF, LOAD, LOAD, 0x2000, 0x2000,
			       PF_R | PF_X, 0x1000 };
	*ph(1) = (Elf32_Phdr){ PT_LOAD, DATA_OFF, LOAD + 0x2000, LOAD + 0x2000,
			       0x800, 0x3000, PF_R | PF_W, 0x1000 };
	*ph(2) = (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };

	for (int i = TEXT_OFF; i < IMG_SIZE; i++)
		img[i] = (uint8_t)(i * 7);
	img_size = IMG_SIZE;
}

static int validate(void)
{
	memset(&info, 0xcc, sizeof(info));
	memset(msg, 'X', sizeof(msg));
	return elf_kernel_validate(img, img_size, e820, NR_E820, &info, msg, sizeof(msg));
}

/* The error code, a message naming the fault, and no unterminated text. */
#define CHECK_FAULT(code, text) do { \
	CHECK_EQ(validate(), (code)); \
	CHECK(memchr(msg, '\0', sizeof(msg)) != NULL); \
	if (!strstr(msg, (text))) { \
		printf("    message: \"%s\"\n", msg); \
		CHECK(strstr(msg, (text)) != NULL); \
	} \
} while (0)

static void test_valid(void)
{
	make_valid();
	CHECK_EQ(validate(), ELFK_OK);
	CHECK_STR(msg, "");
	CHECK_EQ(info.entry, LOAD + 0x10);
	CHECK_EQ(info.phys_start, LOAD);
	CHECK_EQ(info.phys_end, LOAD + 0x5000);
	CHECK_EQ(info.nr_segments, 2);
	CHECK_EQ(info.seg[0].index, 0);
	CHECK_EQ(info.seg[0].paddr, LOAD);
	CHECK_EQ(info.seg[0].offset, TEXT_OFF);
	CHECK_EQ(info.seg[0].filesz, 0x2000);
	CHECK_EQ(info.seg[0].memsz, 0x2000);
	CHECK_EQ(info.seg[0].flags, PF_R | PF_X);
	CHECK_EQ(info.seg[1].index, 1);
	CHECK_EQ(info.seg[1].paddr, LOAD + 0x2000);
	CHECK_EQ(info.seg[1].filesz, 0x800);
	CHECK_EQ(info.seg[1].memsz, 0x3000);

	/* No message buffer, and no memory map (placement unchecked). */
	CHECK_EQ(elf_kernel_validate(img, img_size, e820, NR_E820, &info, NULL, 0), ELFK_OK);
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = 0xf0000000;
	eh()->e_entry = 0xf0000010;
	CHECK_EQ(elf_kernel_validate(img, img_size, NULL, 0, &info, msg, sizeof(msg)), ELFK_OK);
}

static void test_valid_variants(void)
{
	/* Program headers in reverse paddr order: sorted in the output. */
	make_valid();
	Elf32_Phdr t = *ph(0);
	*ph(0) = *ph(1);
	*ph(1) = t;
	CHECK_EQ(validate(), ELFK_OK);
	CHECK_EQ(info.seg[0].index, 1);
	CHECK_EQ(info.seg[0].paddr, LOAD);
	CHECK_EQ(info.seg[1].index, 0);
	CHECK_EQ(info.phys_end, LOAD + 0x5000);

	/* A virtual kernel (vaddr = paddr + 3 GiB), the entry physical; an
	 * empty PT_LOAD is ignored; program headers at an odd offset. */
	make_valid();
	ph(0)->p_vaddr += 0xc0000000;
	ph(1)->p_vaddr += 0xc0000000;
	ph(2)->p_type = PT_LOAD;
	memmove(img + 0x101, img + sizeof(Elf32_Ehdr), 3 * sizeof(Elf32_Phdr));
	eh()->e_phoff = 0x101;
	CHECK_EQ(validate(), ELFK_OK);
	CHECK_EQ(info.nr_segments, 2);

	/* bss-only segment with no file bytes at an offset past EOF. */
	make_valid();
	ph(1)->p_filesz = 0;
	ph(1)->p_offset = 0x7000;
	CHECK_EQ(validate(), ELFK_OK);
}

static void test_not_elf(void)
{
	make_valid();
	memcpy(img, "console=ttyS0 hello, this is a text file\n", 41);
	CHECK_FAULT(ELFK_ERR_NOT_ELF, "not an ELF file");
	CHECK(strstr(msg, "63 6f 6e 73") != NULL);	/* "cons" */
	img_size = 41;
	CHECK_FAULT(ELFK_ERR_NOT_ELF, "not an ELF file");
	img_size = 4;
	CHECK_FAULT(ELFK_ERR_NOT_ELF, "not an ELF file");
}

static void test_short(void)
{
	make_valid();
	img_size = 40;
	CHECK_FAULT(ELFK_ERR_SHORT, "file is 40 bytes, shorter than the 52-byte ELF32 header");
	img_size = 3;
	CHECK_FAULT(ELFK_ERR_SHORT, "file is 3 bytes");
	img_size = 0;
	CHECK_FAULT(ELFK_ERR_SHORT, "file is 0 bytes");
	img_size = 51;
	CHECK_FAULT(ELFK_ERR_SHORT, "file is 51 bytes");
}

static void test_elf64(void)
{
	make_valid();
	img[EI_CLASS] = ELFCLASS64;
	CHECK_FAULT(ELFK_ERR_ELF64, "ELF64");
	img_size = 20;	/* even truncated, the class is what is reported */
	CHECK_FAULT(ELFK_ERR_ELF64, "ELF64");
	make_valid();
	img[EI_CLASS] = 7;
	CHECK_FAULT(ELFK_ERR_CLASS, "unknown ELF class 7");
}

static void test_big_endian(void)
{
	make_valid();
	img[EI_DATA] = ELFDATA2MSB;
	CHECK_FAULT(ELFK_ERR_ENDIAN, "big-endian");
	img[EI_DATA] = 0;
	CHECK_FAULT(ELFK_ERR_ENDIAN, "ELF data encoding 0");
}

static void test_version(void)
{
	make_valid();
	img[EI_VERSION] = 2;
	CHECK_FAULT(ELFK_ERR_VERSION, "identification version 2");
	make_valid();
	eh()->e_version = 0;
	CHECK_FAULT(ELFK_ERR_VERSION, "e_version 0");
}

static void test_wrong_machine(void)
{
	make_valid();
	eh()->e_machine = EM_X86_64;
	CHECK_FAULT(ELFK_ERR_MACHINE, "e_machine 62 (x86-64), expected 3 (EM_386)");
	eh()->e_machine = 40;
	CHECK_FAULT(ELFK_ERR_MACHINE, "e_machine 40 (ARM)");
}

static void test_wrong_type(void)
{
	make_valid();
	eh()->e_type = ET_REL;
	CHECK_FAULT(ELFK_ERR_TYPE, "e_type 1 (ET_REL, a relocatable object)");
	eh()->e_type = ET_DYN;
	CHECK_FAULT(ELFK_ERR_TYPE, "e_type 3 (ET_DYN");
	eh()->e_type = ET_CORE;
	CHECK_FAULT(ELFK_ERR_TYPE, "e_type 4 (ET_CORE");
}

static void test_phentsize(void)
{
	make_valid();
	eh()->e_phentsize = 56;
	CHECK_FAULT(ELFK_ERR_PHENTSIZE, "e_phentsize 56, expected 32");
}

static void test_phdrs_out_of_file(void)
{
	make_valid();
	eh()->e_phoff = IMG_SIZE - 64;	/* 3 headers need 96 bytes */
	CHECK_FAULT(ELFK_ERR_PHDRS_OUT_OF_FILE, "program header table [0x37c0-0x3820) lies outside the file");
	make_valid();
	eh()->e_phoff = 0xffffffe0;	/* would wrap in 32 bits */
	CHECK_FAULT(ELFK_ERR_PHDRS_OUT_OF_FILE, "lies outside the file");
	make_valid();
	eh()->e_phnum = 0xffff;
	CHECK_FAULT(ELFK_ERR_PHDRS_OUT_OF_FILE, "lies outside the file");
}

static void test_segment_out_of_file(void)
{
	make_valid();
	img_size = 0x3400;	/* truncated inside the data segment */
	CHECK_FAULT(ELFK_ERR_SEGMENT_OUT_OF_FILE,
		    "segment 1 file bytes [0x3000-0x3800) extend past the end of the file (0x3400 bytes)");
	CHECK(strstr(msg, "truncated") != NULL);
	make_valid();
	ph(0)->p_offset = 0xfffff000;	/* 32-bit wrap must not hide it */
	CHECK_FAULT(ELFK_ERR_SEGMENT_OUT_OF_FILE, "segment 0 file bytes [0xfffff000-0x100001000)");
}

static void test_memsz_lt_filesz(void)
{
	make_valid();
	ph(1)->p_memsz = 0x400;
	CHECK_FAULT(ELFK_ERR_MEMSZ, "segment 1 p_memsz 0x400 is smaller than its p_filesz 0x800");
}

static void test_addr_overflow(void)
{
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0xffffe000;
	CHECK_FAULT(ELFK_ERR_ADDR_OVERFLOW, "segment 1 [0xffffe000-0x100001000) runs past 4 GiB");
}

static void test_alignment(void)
{
	make_valid();
	ph(0)->p_align = 0x1800;
	CHECK_FAULT(ELFK_ERR_ALIGN, "segment 0 p_align 0x1800 is not a power of two");
	make_valid();
	ph(1)->p_offset = 0x2f00;
	CHECK_FAULT(ELFK_ERR_ALIGN, "segment 1 p_vaddr 0x1002000 and p_offset 0x2f00 are not congruent");
	make_valid();
	ph(1)->p_paddr += 0x100;
	CHECK_FAULT(ELFK_ERR_ALIGN, "segment 1 p_vaddr 0x1002000 and p_paddr 0x1002100 differ within a 4 KiB page");
}

static void test_overlap(void)
{
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = LOAD + 0x1000;
	CHECK_FAULT(ELFK_ERR_OVERLAP,
		    "segments 0 [0x1000000-0x1002000) and 1 [0x1001000-0x1004000) overlap");
	/* Containment, listed in the other order. */
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = LOAD + 0x2000;
	ph(0)->p_memsz = ph(0)->p_filesz = 0x1000;
	ph(1)->p_paddr = ph(1)->p_vaddr = LOAD;
	ph(1)->p_memsz = 0x8000;
	eh()->e_entry = LOAD + 0x2000;
	CHECK_FAULT(ELFK_ERR_OVERLAP,
		    "segments 1 [0x1000000-0x1008000) and 0 [0x1002000-0x1003000) overlap");
	/* Touching is fine. */
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = LOAD + 0x2000;
	CHECK_EQ(validate(), ELFK_OK);
}

/* One segment moved physically but not virtually: its bytes would land
 * where the kernel never looks for them. */
static void test_offset(void)
{
	make_valid();
	ph(1)->p_paddr += 0x800000;
	CHECK_FAULT(ELFK_ERR_OFFSET,
		    "segment 1 is linked at 0x1002000 for physical 0x1802000, segment 0 at "
		    "0x1000000 for 0x1000000: the kernel needs one virtual-minus-physical "
		    "offset for all its segments");
	/* Moved over firmware memory as well: the placement is named first. */
	make_valid();
	ph(1)->p_paddr += 0x3000000;
	CHECK_EQ(validate(), ELFK_ERR_SPAN);
	/* The virtual kernel's offset, 3 GiB, kept by both: fine. */
	make_valid();
	ph(0)->p_vaddr += 0xc0000000;
	ph(1)->p_vaddr += 0xc0000000;
	CHECK_EQ(validate(), ELFK_OK);
	ph(1)->p_vaddr += 0x1000;
	CHECK_EQ(validate(), ELFK_ERR_OFFSET);
}

static void test_no_load(void)
{
	make_valid();
	ph(0)->p_type = PT_NOTE;
	ph(1)->p_type = PT_DYNAMIC;
	CHECK_FAULT(ELFK_ERR_NO_LOAD, "no non-empty PT_LOAD segment among 3 program headers");
	make_valid();
	ph(0)->p_memsz = ph(0)->p_filesz = 0;
	ph(1)->p_memsz = ph(1)->p_filesz = 0;
	CHECK_FAULT(ELFK_ERR_NO_LOAD, "no non-empty PT_LOAD");
	make_valid();
	eh()->e_phnum = 0;
	CHECK_FAULT(ELFK_ERR_NO_LOAD, "e_phnum 0");
}

static void test_too_many_segments(void)
{
	make_valid();
	eh()->e_phoff = 0x4000;
	eh()->e_phnum = ELF_KERNEL_MAX_SEGMENTS + 1;
	for (int i = 0; i <= ELF_KERNEL_MAX_SEGMENTS; i++) {
		Elf32_Phdr *p = (Elf32_Phdr *)(img + 0x4000) + i;

		*p = (Elf32_Phdr){ PT_LOAD, TEXT_OFF, LOAD + i * 0x1000u,
				   LOAD + i * 0x1000u, 0x100, 0x1000, PF_R | PF_X, 0x1000 };
	}
	img_size = 0x4000 + (ELF_KERNEL_MAX_SEGMENTS + 1) * sizeof(Elf32_Phdr);
	CHECK_FAULT(ELFK_ERR_TOO_MANY_SEGMENTS, "more than 16 non-empty PT_LOAD segments (segment 16");
	eh()->e_phnum = ELF_KERNEL_MAX_SEGMENTS;
	CHECK_EQ(validate(), ELFK_OK);
	CHECK_EQ(info.nr_segments, ELF_KERNEL_MAX_SEGMENTS);
}

static void test_entry_outside(void)
{
	make_valid();
	eh()->e_entry = 0x2000000;		/* no segment there */
	CHECK_FAULT(ELFK_ERR_ENTRY, "entry point 0x2000000 is not inside");
	eh()->e_entry = LOAD + 0x2000;		/* data: not executable */
	CHECK_FAULT(ELFK_ERR_ENTRY, "entry point 0x1002000");
	eh()->e_entry = LOAD - 1;		/* just below */
	CHECK_FAULT(ELFK_ERR_ENTRY, "entry point 0xffffff");
	eh()->e_entry = 0xc1000010;		/* a virtual address */
	CHECK_FAULT(ELFK_ERR_ENTRY, "entry point 0xc1000010");
	eh()->e_entry = LOAD + 0x1fff;		/* last text byte: fine */
	CHECK_EQ(validate(), ELFK_OK);
	/* In an executable segment's bss: nothing to execute there. */
	make_valid();
	ph(1)->p_flags |= PF_X;
	eh()->e_entry = LOAD + 0x2800;
	CHECK_FAULT(ELFK_ERR_ENTRY, "entry point 0x1002800");
}

static void test_outside_ram(void)
{
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0xf0000000;
	ph(1)->p_memsz = 0x123000;
	CHECK_FAULT(ELFK_ERR_OUTSIDE_RAM, "segment 1 [0xf0000000-0xf0123000) is outside RAM");
	/* Starting in RAM, running off its end at 256 MiB. */
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0xfffe000;
	CHECK_FAULT(ELFK_ERR_OUTSIDE_RAM, "segment 1 [0xfffe000-0x10001000) is outside RAM");
	CHECK(strstr(msg, "at 0x10000000") != NULL);
	/* The legacy VGA hole below 1 MiB. */
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = 0xa0000;
	eh()->e_entry = 0xa0000;
	CHECK_FAULT(ELFK_ERR_OUTSIDE_RAM, "segment 0 [0xa0000-0xa2000) is outside RAM");
	/* An empty memory map. */
	make_valid();
	CHECK_EQ(elf_kernel_validate(img, img_size, e820, 0, &info, msg, sizeof(msg)),
		 ELFK_ERR_OUTSIDE_RAM);
	CHECK(strstr(msg, "segment 0 [0x1000000-0x1002000) is outside RAM") != NULL);
}

static void test_reserved(void)
{
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0x2fff000;	/* bss runs over NVS */
	CHECK_FAULT(ELFK_ERR_RESERVED,
		    "segment 1 [0x2fff000-0x3002000) overlaps firmware-reserved memory at 0x3000000 (ACPI NVS)");
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0xffc00000;
	CHECK_FAULT(ELFK_ERR_RESERVED, "segment 1 [0xffc00000-0xffc03000) overlaps firmware-reserved memory at 0xffc00000 (reserved)");
}

static void test_span_gap(void)
{
	/* Text below the NVS page, data above it: each segment is RAM but
	 * the block a staged kernel moves is not. */
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = 0x2ffe000;
	eh()->e_entry = 0x2ffe000;
	ph(1)->p_paddr = ph(1)->p_vaddr = 0x3001000;
	CHECK_FAULT(ELFK_ERR_SPAN,
		    "span [0x2ffe000-0x3004000) between its segments covers firmware-reserved memory at 0x3000000 (ACPI NVS)");
	/* A gap over a hole: RAM ends at 256 MiB, flash at 0xffc00000. */
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = 0xffc00000 - 0x1000;
	ph(0)->p_memsz = ph(0)->p_filesz = 0x1000;
	eh()->e_entry = 0xffbff000;
	CHECK_FAULT(ELFK_ERR_OUTSIDE_RAM, "segment 0 [0xffbff000-0xffc00000) is outside RAM");
	/* Text below the legacy hole at 0x9f000-0x100000, data above it. */
	make_valid();
	ph(0)->p_paddr = ph(0)->p_vaddr = 0x90000;
	eh()->e_entry = 0x90000;
	ph(1)->p_paddr = ph(1)->p_vaddr = 0x100000;
	CHECK_FAULT(ELFK_ERR_SPAN,
		    "span [0x90000-0x103000) between its segments is outside RAM at 0x9f000 (no entry)");
	/* A gap over usable and loader memory is fine. */
	make_valid();
	ph(1)->p_paddr = ph(1)->p_vaddr = 0x1100000;
	CHECK_EQ(validate(), ELFK_OK);
	CHECK_EQ(info.phys_end, 0x1103000);
}

static void test_message_truncation(void)
{
	char small[16];

	make_valid();
	eh()->e_machine = EM_X86_64;
	memset(small, 'X', sizeof(small));
	CHECK_EQ(elf_kernel_validate(img, img_size, e820, NR_E820, &info, small, sizeof(small)),
		 ELFK_ERR_MACHINE);
	CHECK_STR(small, "e_machine 62 (x");
	CHECK_EQ(elf_kernel_validate(NULL, 0, e820, NR_E820, &info, msg, sizeof(msg)), ELFK_ERR_ARG);
	CHECK_EQ(elf_kernel_validate(img, img_size, e820, NR_E820, NULL, msg, sizeof(msg)), ELFK_ERR_ARG);
}

static void test_strerror(void)
{
	CHECK_STR(elf_kernel_strerror(ELFK_ERR_OUTSIDE_RAM), "segment outside RAM");
	CHECK_STR(elf_kernel_strerror(ELFK_ERR_ELF64), "ELF64 file");
	CHECK_STR(elf_kernel_strerror(-999), "unknown error");
	/* Every code has its own name. */
	for (int a = ELFK_ERR_OFFSET; a <= ELFK_OK; a++)
		for (int b = a + 1; b <= ELFK_OK; b++)
			CHECK(strcmp(elf_kernel_strerror(a), elf_kernel_strerror(b)) != 0);
}

/* Random corruption of a valid image must never crash or read out of
 * bounds (ASan watches), and whatever passes keeps its invariants. */
static void test_fuzz(void)
{
	uint32_t seed = 42;
	uint8_t *copy;

	for (int iter = 0; iter < 20000; iter++) {
		int flips;

		make_valid();
		seed = seed * 1103515245 + 12345;
		flips = (seed >> 16) % 4 + 1;
		for (int f = 0; f < flips; f++) {
			seed = seed * 1103515245 + 12345;
			img[(seed >> 8) % 0x200] ^= (uint8_t)(1u << ((seed >> 4) & 7));
		}
		seed = seed * 1103515245 + 12345;
		img_size = (seed >> 16) % 8 ? IMG_SIZE : (seed >> 8) % IMG_SIZE;
		/* An exact-size heap copy so ASan catches any overread. */
		copy = malloc(img_size ? img_size : 1);
		memcpy(copy, img, img_size);
		memset(&info, 0, sizeof(info));
		if (elf_kernel_validate(copy, img_size, e820, NR_E820, &info, msg,
					sizeof(msg)) == ELFK_OK) {
			CHECK(info.nr_segments >= 1);
			CHECK(info.phys_start < info.phys_end);
			CHECK(info.phys_end <= 0x100000000ULL);
			for (uint32_t i = 0; i < info.nr_segments; i++)
				CHECK((uint64_t)info.seg[i].offset + info.seg[i].filesz <= img_size ||
				      info.seg[i].filesz == 0);
		} else {
			CHECK(msg[0] != '\0');
		}
		free(copy);
	}
}

int main(void)
{
	RUN(test_valid);
	RUN(test_valid_variants);
	RUN(test_not_elf);
	RUN(test_short);
	RUN(test_elf64);
	RUN(test_big_endian);
	RUN(test_version);
	RUN(test_wrong_machine);
	RUN(test_wrong_type);
	RUN(test_phentsize);
	RUN(test_phdrs_out_of_file);
	RUN(test_segment_out_of_file);
	RUN(test_memsz_lt_filesz);
	RUN(test_addr_overflow);
	RUN(test_alignment);
	RUN(test_overlap);
	RUN(test_offset);
	RUN(test_no_load);
	RUN(test_too_many_segments);
	RUN(test_entry_outside);
	RUN(test_outside_ram);
	RUN(test_reserved);
	RUN(test_span_gap);
	RUN(test_message_truncation);
	RUN(test_strerror);
	RUN(test_fuzz);
	return HT_DONE();
}
