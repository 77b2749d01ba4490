/* SPDX-License-Identifier: MIT */
/*
 * relocs LINKED.elf OUT - the kernel's relocation records
 * (include/boot/relocs.h) from a link with --emit-relocs, as Linux's
 * arch/x86/tools/relocs.c makes them for a relocatable i386 kernel (i386
 * psABI relocation types): every R_386_32 in a loaded section that refers
 * to a symbol inside the kernel is a word to add the load delta to (abs32);
 * an R_386_PC32 or R_386_PLT32 to an absolute address is one to subtract
 * it from (inv32); PC-relative references inside the kernel move with it
 * and need nothing. Any other type in a loaded section, and an R_386_32 to
 * an absolute symbol whose value lies inside the kernel (an address the
 * linker could not tell apart from a number), stop the build. The table
 * is checked with the loader's own code (efi/relocs.c) before it is
 * written; the Makefile adds it to the kernel file as RELOCS_SECTION.
 * Built with the host compiler.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "boot/elf.h"
#include "boot/elf_kernel.h"
#include "boot/relocs.h"

static const char *in_path;

static void __attribute__((noreturn, format(printf, 1, 2))) die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "relocs: %s: ", in_path);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(1);
}

struct records {
	uint32_t *va;
	size_t n, cap;
};

static void add(struct records *r, uint32_t va)
{
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 1024;
		r->va = realloc(r->va, r->cap * sizeof(*r->va));
		if (!r->va)
			die("out of memory");
	}
	r->va[r->n++] = va;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void sort_unique(struct records *r, const char *kind)
{
	qsort(r->va, r->n, sizeof(*r->va), cmp_u32);
	for (size_t i = 1; i < r->n; i++)
		if (r->va[i] < r->va[i - 1] + 4)
			die("%s words at 0x%x and 0x%x overlap", kind, r->va[i - 1], r->va[i]);
}

static uint8_t *read_file(const char *path, size_t *size)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!fp || fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET))
		die("%s", strerror(errno));
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n)
		die("cannot read it");
	fclose(fp);
	*size = (size_t)n;
	return buf;
}

static Elf32_Shdr section(const uint8_t *img, size_t size, const Elf32_Ehdr *eh, unsigned i)
{
	Elf32_Shdr sh;

	elf32_read_shdr(img + eh->e_shoff + (size_t)i * sizeof(Elf32_Shdr), &sh);
	if (sh.sh_type != SHT_NOBITS && (uint64_t)sh.sh_offset + sh.sh_size > size)
		die("section %u lies outside the file", i);
	return sh;
}

static const char *name_at(const uint8_t *img, const Elf32_Shdr *strtab, uint32_t off)
{
	if (off >= strtab->sh_size || !memchr(img + strtab->sh_offset + off, 0,
					      strtab->sh_size - off))
		return "?";
	return (const char *)img + strtab->sh_offset + off;
}

int main(int argc, char **argv)
{
	struct elf_kernel_info info;
	struct records abs32 = { 0 }, inv32 = { 0 };
	struct relocs_header h = { 0 };
	struct relocs_table t;
	Elf32_Ehdr eh;
	Elf32_Shdr symtab = { 0 }, symstr, shstr;
	uint64_t vstart, vend;
	uint8_t *img, *out;
	size_t size, out_size;
	char msg[ELF_KERNEL_MSG_MAX];
	FILE *fp;

	if (argc != 3) {
		fprintf(stderr, "usage: relocs LINKED.elf OUT\n");
		return 2;
	}
	in_path = argv[1];
	img = read_file(in_path, &size);
	if (elf_kernel_validate(img, size, NULL, 0, &info, msg, sizeof(msg)))
		die("%s", msg);
	elf32_read_ehdr(img, &eh);
	if (eh.e_shentsize != sizeof(Elf32_Shdr) || eh.e_shstrndx >= eh.e_shnum ||
	    eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf32_Shdr) > size)
		die("no usable section headers");
	shstr = section(img, size, &eh, eh.e_shstrndx);
	vstart = info.seg[0].vaddr;
	vend = info.seg[info.nr_segments - 1].vaddr +
	       (uint64_t)info.seg[info.nr_segments - 1].memsz;

	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf32_Shdr sh = section(img, size, &eh, i);

		if (sh.sh_type == SHT_SYMTAB)
			symtab = sh;
	}
	if (!symtab.sh_size || symtab.sh_link >= eh.e_shnum)
		die("no symbol table: link with --emit-relocs and without -s");
	symstr = section(img, size, &eh, symtab.sh_link);

	for (unsigned i = 0; i < eh.e_shnum; i++) {
		Elf32_Shdr sh = section(img, size, &eh, i), target;
		const char *name = name_at(img, &shstr, sh.sh_name);

		if (sh.sh_type != SHT_REL && sh.sh_type != SHT_RELA)
			continue;
		if (sh.sh_info >= eh.e_shnum)
			die("%s: target section %u does not exist", name, sh.sh_info);
		target = section(img, size, &eh, sh.sh_info);
		if (!(target.sh_flags & SHF_ALLOC))
			continue;		/* debug information: not loaded */
		if (sh.sh_type == SHT_RELA || target.sh_type == SHT_NOBITS)
			die("%s: RELA, or relocations in a section without file bytes", name);
		for (uint32_t off = 0; off + sizeof(Elf32_Rel) <= sh.sh_size; off += sizeof(Elf32_Rel)) {
			const uint8_t *r = img + sh.sh_offset + off;
			uint32_t where = elf_le32(r), rinfo = elf_le32(r + 4);
			uint32_t symi = ELF32_R_SYM(rinfo), type = ELF32_R_TYPE(rinfo);
			const uint8_t *s = img + symtab.sh_offset + (size_t)symi * sizeof(Elf32_Sym);
			uint32_t value;
			uint16_t shndx;
			int fixed;

			if ((uint64_t)(symi + 1) * sizeof(Elf32_Sym) > symtab.sh_size)
				die("%s: relocation at 0x%x names symbol %u of %u", name, where,
				    symi, symtab.sh_size / (unsigned)sizeof(Elf32_Sym));
			value = elf_le32(s + 4);
			shndx = elf_le16(s + 14);
			/* A fixed address: absolute, or undefined (weak, 0). */
			fixed = shndx == SHN_ABS || shndx == SHN_UNDEF;
			switch (type) {
			case R_386_NONE:
				break;
			case R_386_32:
				if (!fixed) {
					add(&abs32, where);
					break;
				}
				if ((value >= vstart && value < vend) ||
				    (value >= info.phys_start && value < info.phys_end))
					die("%s: R_386_32 at 0x%x to the absolute symbol %s = 0x%x, "
					    "inside the kernel: an address or a number? Define it "
					    "inside a section", name, where,
					    name_at(img, &symstr, elf_le32(s)), value);
				break;
			case R_386_PC32:
			case R_386_PLT32:
				if (fixed)
					add(&inv32, where);
				break;
			default:
				die("%s: relocation type %u at 0x%x cannot be moved (only "
				    "R_386_32, R_386_PC32 and R_386_PLT32)", name, type, where);
			}
		}
	}
	sort_unique(&abs32, "abs32");
	sort_unique(&inv32, "inv32");

	if (info.phys_start != KERNEL_PHYS_LOAD)
		die("linked for physical 0x%llx, but include/boot/bootinfo.h says "
		    "KERNEL_PHYS_LOAD 0x%x", (unsigned long long)info.phys_start,
		    KERNEL_PHYS_LOAD);
	out_size = sizeof(h) + (abs32.n + inv32.n) * 4;
	out = calloc(1, out_size);
	if (!out)
		die("out of memory");
	for (size_t i = 0; i < abs32.n; i++)
		elf_put_le32(out + sizeof(h) + i * 4, abs32.va[i]);
	for (size_t i = 0; i < inv32.n; i++)
		elf_put_le32(out + sizeof(h) + (abs32.n + i) * 4, inv32.va[i]);
	h.magic = RELOCS_MAGIC;
	h.version = RELOCS_VERSION;
	h.header_size = sizeof(h);
	h.link_base = (uint32_t)info.phys_start;
	h.align = KERNEL_PHYS_ALIGN;
	h.nr_abs32 = (uint32_t)abs32.n;
	h.nr_inv32 = (uint32_t)inv32.n;
	h.image_crc = relocs_image_crc(img, &info);
	h.records_crc = relocs_crc32(0, out + sizeof(h), out_size - sizeof(h));
	for (size_t i = 0; i < sizeof(h) / 4; i++)
		elf_put_le32(out + i * 4, ((const uint32_t *)&h)[i]);

	/* What the loader will check, checked now. */
	if (relocs_check(out, out_size, img, &info, &t, msg, sizeof(msg)))
		die("the table fails the loader's check: %s", msg);

	fp = fopen(argv[2], "wb");
	if (!fp || fwrite(out, 1, out_size, fp) != out_size || fclose(fp))
		die("%s: %s", argv[2], strerror(errno));
	printf("relocs: %zu abs32 and %zu inv32 records for a kernel linked at 0x%x\n",
	       abs32.n, inv32.n, h.link_base);
	return 0;
}
