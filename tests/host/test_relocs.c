/* SPDX-License-Identifier: MIT */
/*
 * Host tests for efi/relocs.c, the kernel's relocation records
 * (include/boot/relocs.h): a synthetic ELF32 kernel with a table found
 * through its section headers, each record kind applied, every malformed
 * table and every record out of range refused with its message before a
 * word changes, the choice of a base against an e820 table (UEFI 2.x §7.2
 * as memmap.c converts it), loader.kernel_base= read from a command line,
 * and the kernel the build made (KERNEL_ELF): its records found and, moved
 * by 2 MiB, exactly its records' words changed.
 */
#include <stdbool.h>
#include <stdlib.h>
#include "hosttest.h"
#include "boot/elf.h"
#include "boot/elf_kernel.h"
#include "boot/relocs.h"

#define LOAD		0x1000000u
#define VIRT		0xc1000000u
#define TEXT_OFF	0x1000
#define DATA_OFF	0x3000
#define TABLE_OFF	0x4000
#define NAMES_OFF	0x5000
#define SHDR_OFF	0x5100
#define MIB		0x100000ull

static uint8_t img[0x6000] __attribute__((aligned(8)));
static size_t img_size;
static struct elf_kernel_info info;
static struct relocs_table tab;
static size_t table_size;
static char msg[ELF_KERNEL_MSG_MAX];

static const char names[] = "\0.shstrtab\0" RELOCS_SECTION;
#define NAME_SHSTRTAB	1
#define NAME_RELOCS	11

/* A memory map with ACPI NVS over [8 MiB, 23 MiB), as IA32 OVMF with S3
 * keeps it, RAM up to 256 MiB, and a reserved hole at [40, 42) MiB. */
static const struct boot_e820_entry e820[] = {
	{ 0x0,        0x9f000,    E820_TYPE_USABLE, 0 },
	{ 0x100000,   0x700000,   E820_TYPE_USABLE, 0 },
	{ 0x800000,   0xf00000,   E820_TYPE_NVS, 0 },
	{ 0x1700000,  0x1100000,  E820_TYPE_USABLE, 0 },
	{ 0x2800000,  0x200000,   E820_TYPE_RESERVED, 0 },
	{ 0x2a00000,  0xd600000,  E820_TYPE_USABLE, 0 },
};
#define NR_E820 (sizeof(e820) / sizeof(e820[0]))

static void put_shdr(int i, uint32_t name, uint32_t type, uint32_t off, uint32_t size)
{
	uint8_t *p = img + SHDR_OFF + i * sizeof(Elf32_Shdr);

	elf_put_le32(p + 0, name);
	elf_put_le32(p + 4, type);
	elf_put_le32(p + 16, off);
	elf_put_le32(p + 20, size);
}

/* Text [VIRT, VIRT + 0x2000) at LOAD and data [VIRT + 0x2000, + 0x5000)
 * with 0x800 file bytes, three section headers (none, names, the table). */
static void make_kernel(void)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr *)img;
	Elf32_Phdr *ph = (Elf32_Phdr *)(img + sizeof(Elf32_Ehdr));

	memset(img, 0, sizeof(img));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS32;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_386;
	eh->e_version = EV_CURRENT;
	eh->e_entry = LOAD + 0x10;
	eh->e_phoff = sizeof(Elf32_Ehdr);
	eh->e_ehsize = sizeof(Elf32_Ehdr);
	eh->e_phentsize = sizeof(Elf32_Phdr);
	eh->e_phnum = 2;
	eh->e_shoff = SHDR_OFF;
	eh->e_shentsize = sizeof(Elf32_Shdr);
	eh->e_shnum = 3;
	eh->e_shstrndx = 1;
	ph[0] = (Elf32_Phdr){ PT_LOAD, TEXT_OFF, VIRT, LOAD, 0x2000, 0x2000, PF_R | PF_X, 0x1000 };
	ph[1] = (Elf32_Phdr){ PT_LOAD, DATA_OFF, VIRT + 0x2000, LOAD + 0x2000, 0x800, 0x3000,
			      PF_R | PF_W, 0x1000 };
	for (int i = TEXT_OFF; i < DATA_OFF + 0x800; i++)
		img[i] = (uint8_t)(i * 7);
	memcpy(img + NAMES_OFF, names, sizeof(names));
	put_shdr(1, NAME_SHSTRTAB, SHT_STRTAB, NAMES_OFF, sizeof(names));
	img_size = SHDR_OFF + 3 * sizeof(Elf32_Shdr);
	if (elf_kernel_validate(img, img_size, NULL, 0, &info, msg, sizeof(msg)))
		printf("    the synthetic kernel is invalid: %s\n", msg);
}

/* The table at TABLE_OFF, with both CRCs right; the section header after. */
static void make_table(const uint32_t *abs32, uint32_t nabs, const uint32_t *inv32,
		       uint32_t ninv)
{
	uint8_t *t = img + TABLE_OFF;
	uint8_t *r = t + sizeof(struct relocs_header);
	uint32_t n = nabs + ninv;

	for (uint32_t i = 0; i < n; i++)
		elf_put_le32(r + 4 * i, i < nabs ? abs32[i] : inv32[i - nabs]);
	elf_put_le32(t + 0, RELOCS_MAGIC);
	elf_put_le32(t + 4, RELOCS_VERSION);
	elf_put_le32(t + 8, sizeof(struct relocs_header));
	elf_put_le32(t + 12, LOAD);
	elf_put_le32(t + 16, KERNEL_PHYS_ALIGN);
	elf_put_le32(t + 20, nabs);
	elf_put_le32(t + 24, ninv);
	elf_put_le32(t + 28, relocs_image_crc(img, &info));
	elf_put_le32(t + 32, relocs_crc32(0, r, 4 * n));
	table_size = sizeof(struct relocs_header) + 4 * n;
	put_shdr(2, NAME_RELOCS, SHT_PROGBITS, TABLE_OFF, (uint32_t)table_size);
}

/* Fixes the records' CRC after a test changed them. */
static void fix_records_crc(void)
{
	uint8_t *t = img + TABLE_OFF;

	elf_put_le32(t + 32, relocs_crc32(0, t + sizeof(struct relocs_header),
					  table_size - sizeof(struct relocs_header)));
}

static const uint32_t ABS[] = { VIRT + 0x10, VIRT + 0x100, VIRT + 0x2000, VIRT + 0x27fc };
static const uint32_t INV[] = { VIRT + 0x20 };

static void make_good(void)
{
	make_kernel();
	/* The words: pointers into the kernel, and a call's displacement. */
	elf_put_le32(img + TEXT_OFF + 0x10, VIRT + 0x400);
	elf_put_le32(img + TEXT_OFF + 0x100, LOAD + 0x2010);	/* a physical address */
	elf_put_le32(img + DATA_OFF, VIRT + 0x2004);
	elf_put_le32(img + DATA_OFF + 0x7fc, VIRT + 0x4000);
	elf_put_le32(img + TEXT_OFF + 0x20, 0xfec00000u - (VIRT + 0x24));
	make_table(ABS, 4, INV, 1);
}

static int find(void)
{
	memset(&tab, 0xcc, sizeof(tab));
	memset(msg, 'X', sizeof(msg));
	return relocs_find(img, img_size, &info, &tab, msg, sizeof(msg));
}

#define CHECK_MSG(text) do { \
	CHECK(memchr(msg, '\0', sizeof(msg)) != NULL); \
	if (!strstr(msg, (text))) { \
		printf("    message: \"%s\"\n", msg); \
		CHECK(strstr(msg, (text)) != NULL); \
	} \
} while (0)

#define CHECK_FIND(code, text) do { \
	CHECK_EQ(find(), (code)); \
	CHECK_MSG(text); \
} while (0)

static void test_crc32(void)
{
	CHECK_EQ(relocs_crc32(0, "123456789", 9), 0xcbf43926u);
	CHECK_EQ(relocs_crc32(relocs_crc32(0, "1234", 4), "56789", 5), 0xcbf43926u);
	CHECK_EQ(relocs_crc32(0, "", 0), 0);
}

static void test_table_found_and_checked(void)
{
	make_good();
	CHECK_EQ(find(), RELOCS_OK);
	CHECK_STR(msg, "");
	CHECK_EQ(tab.nr_abs32, 4);
	CHECK_EQ(tab.nr_inv32, 1);
	CHECK_EQ(tab.link_base, LOAD);
	CHECK_EQ(tab.align, KERNEL_PHYS_ALIGN);
	CHECK(tab.abs32 == img + TABLE_OFF + sizeof(struct relocs_header));
	CHECK_EQ(elf_le32(tab.inv32), VIRT + 0x20);
}

/* Builds the image as the loader does (segments at their offsets from
 * the first page, bss zero) into buf. */
static uint8_t buf[0x5000];

static void build_image(void)
{
	memset(buf, 0, sizeof(buf));
	memcpy(buf, img + TEXT_OFF, 0x2000);
	memcpy(buf + 0x2000, img + DATA_OFF, 0x800);
}

static void test_each_record_kind_applied(void)
{
	static uint8_t before[sizeof(buf)];
	uint32_t delta = 0x2000000;

	make_good();
	CHECK_EQ(find(), RELOCS_OK);
	build_image();
	memcpy(before, buf, sizeof(buf));
	CHECK_EQ(relocs_apply(&tab, &info, buf, sizeof(buf), delta, msg, sizeof(msg)), 5);
	CHECK_STR(msg, "");
	/* abs32: + delta, virtual and physical alike; inv32: - delta. */
	CHECK_EQ(elf_le32(buf + 0x10), VIRT + 0x400 + delta);
	CHECK_EQ(elf_le32(buf + 0x100), LOAD + 0x2010 + delta);
	CHECK_EQ(elf_le32(buf + 0x2000), VIRT + 0x2004 + delta);
	CHECK_EQ(elf_le32(buf + 0x27fc), VIRT + 0x4000 + delta);
	CHECK_EQ(elf_le32(buf + 0x20), 0xfec00000u - (VIRT + 0x24) - delta);
	/* Nothing else. */
	for (size_t i = 0; i < sizeof(buf); i++) {
		bool word = (i >= 0x10 && i < 0x14) || (i >= 0x100 && i < 0x104) ||
			    (i >= 0x2000 && i < 0x2004) || (i >= 0x27fc && i < 0x2800) ||
			    (i >= 0x20 && i < 0x24);

		if (!word && buf[i] != before[i]) {
			CHECK_EQ(i, ~0ull);
			break;
		}
	}
	/* Once moved, the info still places the records (only paddr moved). */
	relocs_shift(&info, &tab, LOAD + delta);
	CHECK_EQ(relocs_apply(&tab, &info, buf, sizeof(buf), 0u - delta, msg, sizeof(msg)), 5);
	CHECK(memcmp(buf, before, sizeof(buf)) == 0);
}

static void test_record_out_of_range_changes_nothing(void)
{
	static uint8_t before[sizeof(buf)];

	make_good();
	CHECK_EQ(find(), RELOCS_OK);
	build_image();
	memcpy(before, buf, sizeof(buf));
	/* The image buffer ends before the last data record. */
	CHECK_EQ(relocs_apply(&tab, &info, buf, 0x27fe, 0x200000, msg, sizeof(msg)),
		 RELOCS_ERR_RECORD);
	CHECK_MSG("relocation record 3 (abs32) names 0xc10027fc, outside the 10238-byte image");
	CHECK(memcmp(buf, before, sizeof(buf)) == 0);
	/* A table changed after the check: an inv32 record past every segment. */
	elf_put_le32((uint8_t *)tab.inv32, VIRT + 0x4000);
	CHECK_EQ(relocs_apply(&tab, &info, buf, sizeof(buf), 0x200000, msg, sizeof(msg)),
		 RELOCS_ERR_RECORD);
	CHECK_MSG("relocation record 0 (inv32) names 0xc1004000");
	CHECK(memcmp(buf, before, sizeof(buf)) == 0);
}

static void test_bad_records_refused(void)
{
	uint8_t *r;

	/* In the bss (no file bytes), past the end, in the text's last 3
	 * bytes, below the kernel. */
	static const uint32_t outside[] = { VIRT + 0x2800, VIRT + 0x5000, VIRT + 0x1ffd, VIRT - 4 };
	for (unsigned i = 0; i < 4; i++) {
		uint32_t one[1] = { outside[i] };

		make_good();
		make_table(one, 1, NULL, 0);
		CHECK_FIND(RELOCS_ERR_RECORD, "outside the file bytes of every segment");
	}
	make_good();
	r = img + TABLE_OFF + sizeof(struct relocs_header);
	elf_put_le32(r + 4, VIRT + 0x12);		/* shares bytes with the first */
	fix_records_crc();
	CHECK_FIND(RELOCS_ERR_RECORD, "relocation record 1 (abs32) at 0xc1000012 does not "
		   "follow record 0 at 0xc1000010");
	make_good();
	elf_put_le32(r + 4, VIRT + 0x8);		/* out of order */
	fix_records_crc();
	CHECK_FIND(RELOCS_ERR_RECORD, "record 1 (abs32) at 0xc1000008");
}

static void test_bad_tables_refused(void)
{
	uint8_t *t = img + TABLE_OFF;

	make_good();
	elf_put_le32(t, 0x12345678);
	CHECK_FIND(RELOCS_ERR_FORMAT, "magic 0x12345678 version 1");
	make_good();
	elf_put_le32(t + 4, 2);
	CHECK_FIND(RELOCS_ERR_FORMAT, "version 2");
	make_good();
	elf_put_le32(t + 20, 5);			/* one more record than the bytes */
	CHECK_FIND(RELOCS_ERR_FORMAT, "relocation table of 60 bytes, but 5 + 1 records need 64");
	make_good();
	put_shdr(2, NAME_RELOCS, SHT_PROGBITS, TABLE_OFF, 12);
	CHECK_FIND(RELOCS_ERR_FORMAT, "shorter than its 40-byte header");
	make_good();
	elf_put_le32(t + 16, 0x300000);
	CHECK_FIND(RELOCS_ERR_FORMAT, "alignment 0x300000");
	make_good();
	elf_put_le32(t + 16, 0x1000);
	CHECK_FIND(RELOCS_ERR_FORMAT, "alignment 0x1000");
	/* One bit of one record flipped. */
	make_good();
	t[sizeof(struct relocs_header) + 5] ^= 0x10;
	CHECK_FIND(RELOCS_ERR_DAMAGED, "relocation records damaged: CRC-32 0x");
	/* The table of another build: another link base, other bytes. */
	make_good();
	elf_put_le32(t + 12, 0x2000000);
	CHECK_FIND(RELOCS_ERR_MISMATCH, "made for a kernel linked at 0x2000000, this one "
		   "starts at 0x1000000");
	make_good();
	img[TEXT_OFF + 0x1234] ^= 1;
	CHECK_FIND(RELOCS_ERR_MISMATCH, "relocation records made for another kernel");
}

static void test_sections_searched(void)
{
	Elf32_Ehdr *eh = (Elf32_Ehdr *)img;

	make_good();
	img[NAMES_OFF + NAME_RELOCS + 1] = 'q';		/* ".qae32.relocs" */
	CHECK_FIND(RELOCS_ERR_MISSING, "no relocation records (no .pae32.relocs section)");
	make_good();
	put_shdr(2, NAME_RELOCS, SHT_NOBITS, TABLE_OFF, (uint32_t)table_size);
	CHECK_FIND(RELOCS_ERR_MISSING, "no relocation records");
	make_good();
	put_shdr(2, sizeof(names) - 3, SHT_PROGBITS, TABLE_OFF, (uint32_t)table_size);
	CHECK_FIND(RELOCS_ERR_MISSING, "no relocation records");	/* "cs", a suffix */
	make_good();
	put_shdr(2, sizeof(names) + 40, SHT_PROGBITS, TABLE_OFF, (uint32_t)table_size);
	CHECK_FIND(RELOCS_ERR_MISSING, "no relocation records");	/* name past the table */
	make_good();
	eh->e_shnum = 0;
	CHECK_FIND(RELOCS_ERR_MISSING, "no section headers");
	make_good();
	eh->e_shoff = (uint32_t)img_size - 40;
	CHECK_FIND(RELOCS_ERR_SECTIONS, "section headers (3 of 40 bytes at 0x5150");
	make_good();
	eh->e_shstrndx = 3;
	CHECK_FIND(RELOCS_ERR_SECTIONS, "names in 3");
	make_good();
	put_shdr(1, NAME_SHSTRTAB, SHT_STRTAB, NAMES_OFF, 0x10000);
	CHECK_FIND(RELOCS_ERR_SECTIONS, "section name table [0x5000-0x15000) lies outside");
	make_good();
	put_shdr(2, NAME_RELOCS, SHT_PROGBITS, 0x5f00, 0x200);
	CHECK_FIND(RELOCS_ERR_SECTIONS, ".pae32.relocs [0x5f00-0x6100) lies outside the file");
	CHECK_EQ(relocs_find(img, 20, &info, &tab, msg, sizeof(msg)), RELOCS_ERR_SECTIONS);
}

static void test_base_chosen_against_the_memory_map(void)
{
	uint64_t base = 0;

	make_good();
	CHECK_EQ(find(), RELOCS_OK);
	/* 16 MiB is under the NVS: the link base is refused with the
	 * placement's own message, and 24 MiB is the first free base. */
	CHECK_EQ(relocs_base_ok(&info, &tab, LOAD, e820, NR_E820, BOOT_DATA_LIMIT, msg,
				sizeof(msg)), ELFK_ERR_RESERVED);
	CHECK_MSG("segment 0 [0x1000000-0x1002000) overlaps firmware-reserved memory at "
		  "0x1000000 (ACPI NVS)");
	CHECK_EQ(relocs_first_base(&info, &tab, e820, NR_E820, BOOT_DATA_LIMIT, &base),
		 RELOCS_OK);
	CHECK_EQ(base, 24 * MIB);
	CHECK_EQ(relocs_base_ok(&info, &tab, 48 * MIB, e820, NR_E820, BOOT_DATA_LIMIT, msg,
				sizeof(msg)), RELOCS_OK);
	CHECK_STR(msg, "");
	/* Messages with the moved addresses. */
	CHECK_EQ(relocs_base_ok(&info, &tab, 40 * MIB, e820, NR_E820, BOOT_DATA_LIMIT, msg,
				sizeof(msg)), ELFK_ERR_RESERVED);
	CHECK_MSG("segment 0 [0x2800000-0x2802000) overlaps firmware-reserved memory at "
		  "0x2800000 (reserved)");
	CHECK_EQ(relocs_base_ok(&info, &tab, 256 * MIB, e820, NR_E820, BOOT_DATA_LIMIT, msg,
				sizeof(msg)), ELFK_ERR_OUTSIDE_RAM);
	CHECK_MSG("segment 0 [0x10000000-0x10002000) is outside RAM");
	/* Bases the kernel cannot have. */
	CHECK_EQ(relocs_base_ok(&info, &tab, 48 * MIB + 0x1000, e820, NR_E820,
				BOOT_DATA_LIMIT, msg, sizeof(msg)), RELOCS_ERR_BASE);
	CHECK_MSG("0x3001000 is not a multiple of 2 MiB");
	CHECK_EQ(relocs_base_ok(&info, &tab, 2 * MIB, e820, NR_E820, BOOT_DATA_LIMIT, msg,
				sizeof(msg)), RELOCS_ERR_BASE);
	CHECK_MSG("0x200000 is below the 0x1000000 the kernel is linked for");
	CHECK_EQ(relocs_base_ok(&info, &tab, BOOT_DATA_LIMIT - 2 * MIB + 0x0, e820, NR_E820,
				BOOT_DATA_LIMIT, msg, sizeof(msg)), ELFK_ERR_OUTSIDE_RAM);
	CHECK_EQ(relocs_base_ok(&info, &tab, BOOT_DATA_LIMIT, e820, NR_E820,
				BOOT_DATA_LIMIT, msg, sizeof(msg)), RELOCS_ERR_BASE);
	CHECK_MSG("[0x38000000-0x38005000) does not end by 0x38000000");
	CHECK_EQ(relocs_base_ok(&info, &tab, 1ull << 40, e820, NR_E820,
				BOOT_DATA_LIMIT, msg, sizeof(msg)), RELOCS_ERR_BASE);
	/* No room at all: a map whose RAM above 16 MiB is all reserved. */
	{
		static const struct boot_e820_entry full[] = {
			{ 0x100000, 0xf00000, E820_TYPE_USABLE, 0 },
			{ 0x1000000, 0x37000000, E820_TYPE_RESERVED, 0 },
		};

		base = 0x1234;
		CHECK_EQ(relocs_first_base(&info, &tab, full, 2, BOOT_DATA_LIMIT, &base),
			 RELOCS_ERR_NO_BASE);
		CHECK_EQ(base, 0x1234);
	}
}

static void test_shift_moves_the_physical_side_only(void)
{
	make_good();
	CHECK_EQ(find(), RELOCS_OK);
	relocs_shift(&info, &tab, 24 * MIB);
	CHECK_EQ(info.entry, 24 * MIB + 0x10);
	CHECK_EQ(info.phys_start, 24 * MIB);
	CHECK_EQ(info.phys_end, 24 * MIB + 0x5000);
	CHECK_EQ(info.seg[0].paddr, 24 * MIB);
	CHECK_EQ(info.seg[1].paddr, 24 * MIB + 0x2000);
	CHECK_EQ(info.seg[0].vaddr, VIRT);
	CHECK_EQ(info.seg[1].vaddr, VIRT + 0x2000);
}

static int cmdline(const char *line, uint64_t *base, char *val)
{
	*base = 0x5555;
	return relocs_cmdline_base(line, base, val, 16);
}

static void test_cmdline_base(void)
{
	uint64_t b;
	char val[16];

	CHECK_EQ(cmdline("", &b, val), 0);
	CHECK_EQ(cmdline("ktest loader.debug", &b, val), 0);
	CHECK_EQ(b, 0x5555);
	CHECK_EQ(cmdline("loader.kernel_base=0x3000000", &b, val), 1);
	CHECK_EQ(b, 0x3000000);
	CHECK_STR(val, "0x3000000");
	CHECK_EQ(cmdline("ktest loader.kernel_base=48M hz=250", &b, val), 1);
	CHECK_EQ(b, 48 * MIB);
	CHECK_EQ(cmdline("loader.kernel_base=1g", &b, val), 1);
	CHECK_EQ(b, 1ull << 30);
	CHECK_EQ(cmdline("loader.kernel_base=50331648\tktest", &b, val), 1);
	CHECK_EQ(b, 48 * MIB);
	CHECK_EQ(cmdline("loader.kernel_base=0X3E00000", &b, val), 1);
	CHECK_EQ(b, 0x3e00000);
	/* The last one counts, as for the kernel's parameters. */
	CHECK_EQ(cmdline("loader.kernel_base=0x2000000 loader.kernel_base=0x4000000", &b, val), 1);
	CHECK_EQ(b, 0x4000000);
	CHECK_EQ(cmdline("loader.kernel_base=0x2000000 loader.kernel_base=nope", &b, val), -1);
	CHECK_STR(val, "nope");
	/* Not numbers. */
	static const char *const bad[] = {
		"loader.kernel_base=", "loader.kernel_base=0x", "loader.kernel_base=12Q",
		"loader.kernel_base=0x10000000000G", "loader.kernel_base=-1",
		"loader.kernel_base=99999999999999999999", "loader.kernel_base=0x12345678901234567",
		"loader.kernel_base=16MB", "loader.kernel_base=0x10000000000000000",
		"loader.kernel_base=\"0x3000000\"",
	};
	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (cmdline(bad[i], &b, val) != -1) {
			printf("    accepted: %s\n", bad[i]);
			CHECK(0);
		}
		CHECK_EQ(b, 0x5555);
	}
	CHECK_STR(val, "\"0x3000000\"");
	CHECK_EQ(cmdline("loader.kernel_base=0x123456789abcdef0123", &b, val), -1);
	CHECK_STR(val, "0x123456789abcd");	/* cut to fit */
	/* Only a whole word's start. */
	CHECK_EQ(cmdline("xloader.kernel_base=1 loader.kernel_basex=2", &b, val), 0);
}

/* The kernel the build made: its table found; moved by 2 MiB, exactly
 * the words its records name change, each by the delta. */
static void test_built_kernel(void)
{
	FILE *fp = fopen(KERNEL_ELF, "rb");
	uint8_t *file, *moved, *orig;
	struct elf_kernel_info k;
	struct relocs_table t;
	size_t size, span;
	long n, changed = 0;

	CHECK(fp != NULL);
	if (!fp)
		return;
	fseek(fp, 0, SEEK_END);
	size = (size_t)ftell(fp);
	fseek(fp, 0, SEEK_SET);
	file = malloc(size);
	CHECK(fread(file, 1, size, fp) == size);
	fclose(fp);
	CHECK_EQ(elf_kernel_validate(file, size, NULL, 0, &k, msg, sizeof(msg)), ELFK_OK);
	CHECK_EQ(relocs_find(file, size, &k, &t, msg, sizeof(msg)), RELOCS_OK);
	CHECK_STR(msg, "");
	CHECK_EQ(t.link_base, KERNEL_PHYS_LOAD);
	CHECK(t.nr_abs32 > 1000);

	span = (size_t)(((k.phys_end + 0xfff) & ~0xfffull) - k.phys_start);
	orig = calloc(1, span);
	moved = calloc(1, span);
	for (uint32_t i = 0; i < k.nr_segments; i++)
		memcpy(orig + (k.seg[i].paddr - k.phys_start), file + k.seg[i].offset,
		       k.seg[i].filesz);
	memcpy(moved, orig, span);
	n = relocs_apply(&t, &k, moved, span, 2 * MIB, msg, sizeof(msg));
	CHECK_EQ(n, t.nr_abs32 + t.nr_inv32);
	for (uint32_t i = 0; i < t.nr_abs32 + t.nr_inv32; i++) {
		bool inv = i >= t.nr_abs32;
		uint32_t va = elf_le32((inv ? t.inv32 - 4 * t.nr_abs32 : t.abs32) + 4 * i);
		size_t off = va - k.seg[0].vaddr;

		CHECK_EQ(elf_le32(moved + off) - elf_le32(orig + off),
			 inv ? 0u - 2 * MIB : 2 * MIB);
		elf_put_le32(moved + off, elf_le32(orig + off));
	}
	for (size_t i = 0; i < span; i++)
		changed += moved[i] != orig[i];
	CHECK_EQ(changed, 0);
	free(orig);
	free(moved);
	free(file);
}

int main(void)
{
	RUN(test_crc32);
	RUN(test_table_found_and_checked);
	RUN(test_each_record_kind_applied);
	RUN(test_record_out_of_range_changes_nothing);
	RUN(test_bad_records_refused);
	RUN(test_bad_tables_refused);
	RUN(test_sections_searched);
	RUN(test_base_chosen_against_the_memory_map);
	RUN(test_shift_moves_the_physical_side_only);
	RUN(test_cmdline_base);
	RUN(test_built_kernel);
	return HT_DONE();
}
