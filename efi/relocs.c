/* SPDX-License-Identifier: MIT */
/*
 * The kernel's relocation records (include/boot/relocs.h): found through
 * the ELF section headers (System V ABI, ELF 1.2 "Sections"), checked
 * against the kernel file, applied to the image the loader builds, and
 * the choice of a physical base against the e820 table of the firmware's
 * memory map (UEFI 2.x §7.2). Linux's arch/x86/boot/compressed/misc.c
 * handle_relocations does the same for a bzImage. Pure code: the loader,
 * tools/relocs.c and the host tests link it.
 */
#include <stdarg.h>
#include <stdbool.h>
#include "boot/elf.h"
#include "boot/memmap.h"
#include "boot/relocs.h"
#include "kernel/sprintf.h"

#define RELOC_SIZE	4u	/* every record names one 32-bit word */

static void __attribute__((format(printf, 3, 4)))
set_msg(char *msg, size_t size, const char *fmt, ...)
{
	va_list ap;

	if (!msg || !size)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, size, fmt, ap);
	va_end(ap);
}

const char *relocs_strerror(int err)
{
	switch (err) {
	case RELOCS_OK:			return "ok";
	case RELOCS_ERR_MISSING:	return "no relocation records";
	case RELOCS_ERR_SECTIONS:	return "section headers broken";
	case RELOCS_ERR_FORMAT:		return "relocation table malformed";
	case RELOCS_ERR_DAMAGED:	return "relocation records damaged";
	case RELOCS_ERR_MISMATCH:	return "records of another kernel";
	case RELOCS_ERR_RECORD:		return "relocation record out of range";
	case RELOCS_ERR_BASE:		return "base not possible";
	case RELOCS_ERR_NO_BASE:	return "no free base";
	default:			return elf_kernel_strerror(err);
	}
}

/* ---------------------------------------------------------------- CRC-32 */

uint32_t relocs_crc32(uint32_t crc, const void *buf, size_t len)
{
	static uint32_t table[256];
	const uint8_t *p = buf;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t c = i;

			for (int k = 0; k < 8; k++)
				c = (c & 1) ? 0xedb88320u ^ (c >> 1) : c >> 1;
			table[i] = c;
		}
	}
	crc = ~crc;
	while (len--)
		crc = table[(crc ^ *p++) & 0xff] ^ (crc >> 8);
	return ~crc;
}

uint32_t relocs_image_crc(const void *image, const struct elf_kernel_info *info)
{
	uint32_t crc = 0;

	for (uint32_t i = 0; i < info->nr_segments; i++)
		crc = relocs_crc32(crc, (const uint8_t *)image + info->seg[i].offset,
				   info->seg[i].filesz);
	return crc;
}

/* ---------------------------------------------------------------- records */

/* The segment whose file bytes hold the word at link address va, or NULL. */
static const struct elf_kernel_segment *segment_of(const struct elf_kernel_info *info,
						   uint32_t va)
{
	for (uint32_t i = 0; i < info->nr_segments; i++) {
		const struct elf_kernel_segment *s = &info->seg[i];

		if (va >= s->vaddr && s->filesz >= RELOC_SIZE &&
		    va - s->vaddr <= s->filesz - RELOC_SIZE)
			return s;
	}
	return NULL;
}

/* One kind's records: each inside a segment's file bytes, ascending, no
 * two sharing a byte. */
static int check_records(const uint8_t *r, uint32_t nr, const char *kind,
			 const struct elf_kernel_info *info, char *msg, size_t msg_size)
{
	uint32_t prev = 0;

	for (uint32_t i = 0; i < nr; i++) {
		uint32_t va = elf_le32(r + (size_t)i * RELOC_SIZE);

		if (!segment_of(info, va)) {
			set_msg(msg, msg_size, "relocation record %u (%s) names 0x%x, "
				"outside the file bytes of every segment", i, kind, va);
			return RELOCS_ERR_RECORD;
		}
		if (i && va < prev + RELOC_SIZE) {
			set_msg(msg, msg_size, "relocation record %u (%s) at 0x%x does not "
				"follow record %u at 0x%x by 4 bytes or more", i, kind, va,
				i - 1, prev);
			return RELOCS_ERR_RECORD;
		}
		prev = va;
	}
	return RELOCS_OK;
}

int relocs_check(const void *sec, size_t size, const void *image,
		 const struct elf_kernel_info *info, struct relocs_table *t,
		 char *msg, size_t msg_size)
{
	const uint8_t *p = sec;
	struct relocs_header h;
	uint64_t want;
	uint32_t crc;
	int err;

	if (msg && msg_size)
		msg[0] = '\0';
	if (size < sizeof(h)) {
		set_msg(msg, msg_size, "relocation table of %llu bytes, shorter than "
			"its %u-byte header", (unsigned long long)size, (unsigned)sizeof(h));
		return RELOCS_ERR_FORMAT;
	}
	h.magic = elf_le32(p + 0);
	h.version = elf_le32(p + 4);
	h.header_size = elf_le32(p + 8);
	h.link_base = elf_le32(p + 12);
	h.align = elf_le32(p + 16);
	h.nr_abs32 = elf_le32(p + 20);
	h.nr_inv32 = elf_le32(p + 24);
	h.image_crc = elf_le32(p + 28);
	h.records_crc = elf_le32(p + 32);
	if (h.magic != RELOCS_MAGIC || h.version != RELOCS_VERSION ||
	    h.header_size != sizeof(h)) {
		set_msg(msg, msg_size, "relocation table magic 0x%x version %u header "
			"%u bytes, want 0x%x, %u and %u", h.magic, h.version,
			h.header_size, RELOCS_MAGIC, RELOCS_VERSION, (unsigned)sizeof(h));
		return RELOCS_ERR_FORMAT;
	}
	want = sizeof(h) + ((uint64_t)h.nr_abs32 + h.nr_inv32) * RELOC_SIZE;
	if (want != size) {
		set_msg(msg, msg_size, "relocation table of %llu bytes, but %u + %u "
			"records need %llu", (unsigned long long)size, h.nr_abs32,
			h.nr_inv32, (unsigned long long)want);
		return RELOCS_ERR_FORMAT;
	}
	if (h.align < KERNEL_PHYS_ALIGN || (h.align & (h.align - 1)) ||
	    h.link_base % h.align) {
		set_msg(msg, msg_size, "relocation table alignment 0x%x: not a power "
			"of two from 0x%x, or the link base 0x%x is not a multiple",
			h.align, KERNEL_PHYS_ALIGN, h.link_base);
		return RELOCS_ERR_FORMAT;
	}
	crc = relocs_crc32(0, p + sizeof(h), size - sizeof(h));
	if (crc != h.records_crc) {
		set_msg(msg, msg_size, "relocation records damaged: CRC-32 0x%08x, the "
			"table says 0x%08x", crc, h.records_crc);
		return RELOCS_ERR_DAMAGED;
	}
	if (h.link_base != info->phys_start) {
		set_msg(msg, msg_size, "relocation records made for a kernel linked at "
			"0x%x, this one starts at 0x%llx", h.link_base,
			(unsigned long long)info->phys_start);
		return RELOCS_ERR_MISMATCH;
	}
	crc = relocs_image_crc(image, info);
	if (crc != h.image_crc) {
		set_msg(msg, msg_size, "relocation records made for another kernel: "
			"its segments' CRC-32 is 0x%08x, the records are for 0x%08x",
			crc, h.image_crc);
		return RELOCS_ERR_MISMATCH;
	}
	t->abs32 = p + sizeof(h);
	t->inv32 = t->abs32 + (size_t)h.nr_abs32 * RELOC_SIZE;
	t->nr_abs32 = h.nr_abs32;
	t->nr_inv32 = h.nr_inv32;
	t->link_base = h.link_base;
	t->align = h.align;
	err = check_records(t->abs32, t->nr_abs32, "abs32", info, msg, msg_size);
	if (!err)
		err = check_records(t->inv32, t->nr_inv32, "inv32", info, msg, msg_size);
	return err;
}

int relocs_find(const void *image, size_t size, const struct elf_kernel_info *info,
		struct relocs_table *t, char *msg, size_t msg_size)
{
	const uint8_t *img = image;
	Elf32_Ehdr eh;
	Elf32_Shdr sh;
	uint64_t sh_end, names, names_size;

	if (msg && msg_size)
		msg[0] = '\0';
	if (size < sizeof(Elf32_Ehdr)) {
		set_msg(msg, msg_size, "no ELF header, so no section headers");
		return RELOCS_ERR_SECTIONS;
	}
	elf32_read_ehdr(img, &eh);
	sh_end = eh.e_shoff + (uint64_t)eh.e_shnum * sizeof(Elf32_Shdr);
	if (eh.e_shnum == 0) {
		set_msg(msg, msg_size, "no relocation records: the file has no section "
			"headers, so no %s section", RELOCS_SECTION);
		return RELOCS_ERR_MISSING;
	}
	if (eh.e_shentsize != sizeof(Elf32_Shdr) || sh_end > size ||
	    eh.e_shstrndx >= eh.e_shnum) {
		set_msg(msg, msg_size, "section headers (%u of %u bytes at 0x%x, names "
			"in %u) do not fit the file", eh.e_shnum, eh.e_shentsize,
			eh.e_shoff, eh.e_shstrndx);
		return RELOCS_ERR_SECTIONS;
	}
	elf32_read_shdr(img + eh.e_shoff + (size_t)eh.e_shstrndx * sizeof(Elf32_Shdr), &sh);
	names = sh.sh_offset;
	names_size = sh.sh_size;
	if (names + names_size > size) {
		set_msg(msg, msg_size, "section name table [0x%llx-0x%llx) lies outside "
			"the file", (unsigned long long)names,
			(unsigned long long)(names + names_size));
		return RELOCS_ERR_SECTIONS;
	}
	for (unsigned i = 0; i < eh.e_shnum; i++) {
		const char *want = RELOCS_SECTION;
		uint32_t name, off, len;
		uint64_t j = 0;

		elf32_read_shdr(img + eh.e_shoff + (size_t)i * sizeof(Elf32_Shdr), &sh);
		name = sh.sh_name;
		off = sh.sh_offset;
		len = sh.sh_size;
		if (sh.sh_type != SHT_PROGBITS || name >= names_size)
			continue;
		/* The name, bounded by the table's end. */
		while (name + j < names_size && want[j] &&
		       img[names + name + j] == (uint8_t)want[j])
			j++;
		if (want[j] || name + j >= names_size || img[names + name + j])
			continue;
		if ((uint64_t)off + len > size) {
			set_msg(msg, msg_size, "%s [0x%x-0x%llx) lies outside the file",
				RELOCS_SECTION, off, (unsigned long long)off + len);
			return RELOCS_ERR_SECTIONS;
		}
		return relocs_check(img + off, len, image, info, t, msg, msg_size);
	}
	set_msg(msg, msg_size, "no relocation records (no %s section): the kernel "
		"cannot be moved; the Makefile adds them (tools/relocs.c)", RELOCS_SECTION);
	return RELOCS_ERR_MISSING;
}

/* buf's offset of the word at link address va, or -1 outside buf. */
static int64_t word_offset(const struct elf_kernel_info *info, size_t buf_size,
			   uint32_t va)
{
	const struct elf_kernel_segment *s = segment_of(info, va);
	uint64_t base = info->phys_start & ~(uint64_t)(ELF_KERNEL_PAGE_SIZE - 1);
	uint64_t off;

	if (!s)
		return -1;
	off = s->paddr - base + (va - s->vaddr);
	return off + RELOC_SIZE <= buf_size ? (int64_t)off : -1;
}

/* Checks (apply false) or changes (apply true) one kind's words. */
static int each_word(const uint8_t *r, uint32_t nr, const char *kind,
		     const struct elf_kernel_info *info, uint8_t *buf, size_t buf_size,
		     uint32_t add, bool apply, char *msg, size_t msg_size)
{
	for (uint32_t i = 0; i < nr; i++) {
		uint32_t va = elf_le32(r + (size_t)i * RELOC_SIZE);
		int64_t off = word_offset(info, buf_size, va);

		if (off < 0) {
			set_msg(msg, msg_size, "relocation record %u (%s) names 0x%x, "
				"outside the %llu-byte image", i, kind, va,
				(unsigned long long)buf_size);
			return RELOCS_ERR_RECORD;
		}
		if (apply)
			elf_put_le32(buf + off, elf_le32(buf + off) + add);
	}
	return RELOCS_OK;
}

long relocs_apply(const struct relocs_table *t, const struct elf_kernel_info *info,
		  void *buf, size_t buf_size, uint32_t delta, char *msg, size_t msg_size)
{
	int err;

	if (msg && msg_size)
		msg[0] = '\0';
	for (int apply = 0; apply < 2; apply++) {
		err = each_word(t->abs32, t->nr_abs32, "abs32", info, buf, buf_size,
				delta, apply, msg, msg_size);
		if (!err)
			err = each_word(t->inv32, t->nr_inv32, "inv32", info, buf,
					buf_size, 0u - delta, apply, msg, msg_size);
		if (err)
			return err;
	}
	return (long)t->nr_abs32 + t->nr_inv32;
}

/* ---------------------------------------------------------------- the base */

int relocs_base_ok(const struct elf_kernel_info *info, const struct relocs_table *t,
		   uint64_t base, const struct boot_e820_entry *e820, size_t nr_e820,
		   uint64_t limit, char *msg, size_t msg_size)
{
	uint64_t span = ((info->phys_end + ELF_KERNEL_PAGE_SIZE - 1) &
			 ~(uint64_t)(ELF_KERNEL_PAGE_SIZE - 1)) - t->link_base;

	if (msg && msg_size)
		msg[0] = '\0';
	if (base & (t->align - 1)) {
		set_msg(msg, msg_size, "0x%llx is not a multiple of %u MiB",
			(unsigned long long)base, t->align >> 20);
		return RELOCS_ERR_BASE;
	}
	if (base < t->link_base) {
		set_msg(msg, msg_size, "0x%llx is below the 0x%x the kernel is linked "
			"for", (unsigned long long)base, t->link_base);
		return RELOCS_ERR_BASE;
	}
	if (base > limit || span > limit - base) {
		set_msg(msg, msg_size, "[0x%llx-0x%llx) does not end by 0x%llx, the "
			"limit of boot data", (unsigned long long)base,
			(unsigned long long)(base + span), (unsigned long long)limit);
		return RELOCS_ERR_BASE;
	}
	return elf_kernel_check_placement(info, base - t->link_base, e820, nr_e820,
					  msg, msg_size);
}

int relocs_first_base(const struct elf_kernel_info *info, const struct relocs_table *t,
		      const struct boot_e820_entry *e820, size_t nr_e820,
		      uint64_t limit, uint64_t *base)
{
	for (uint64_t b = t->link_base; b < limit; b += t->align) {
		if (relocs_base_ok(info, t, b, e820, nr_e820, limit, NULL, 0) == RELOCS_OK) {
			*base = b;
			return RELOCS_OK;
		}
	}
	return RELOCS_ERR_NO_BASE;
}

void relocs_shift(struct elf_kernel_info *info, const struct relocs_table *t,
		  uint64_t base)
{
	uint32_t delta = (uint32_t)(base - t->link_base);

	info->entry += delta;
	info->phys_start += delta;
	info->phys_end += delta;
	for (uint32_t i = 0; i < info->nr_segments; i++)
		info->seg[i].paddr += delta;
}

/* ---------------------------------------------------------------- cmdline */

int relocs_cmdline_base(const char *cmdline, uint64_t *base, char *val, size_t val_size)
{
	static const char key[] = "loader.kernel_base=";
	const char *found = NULL, *p = cmdline;
	uint64_t v = 0;
	size_t n = 0;
	int digits = 0;

	/* The last word that starts with the key. */
	while (p && *p) {
		size_t k = 0;

		while (*p == ' ' || *p == '\t')
			p++;
		while (*p && key[k] && p[k] == key[k])
			k++;
		if (!key[k])
			found = p + k;
		while (*p && *p != ' ' && *p != '\t')
			p++;
	}
	if (!found)
		return 0;
	while (found[n] && found[n] != ' ' && found[n] != '\t')
		n++;
	if (val && val_size) {
		size_t c = n < val_size - 1 ? n : val_size - 1;

		for (size_t i = 0; i < c; i++)
			val[i] = found[i];
		val[c] = '\0';
	}

	p = found;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		for (p += 2; p < found + n; p++, digits++) {
			int d = *p >= '0' && *p <= '9' ? *p - '0' :
				(*p | 0x20) >= 'a' && (*p | 0x20) <= 'f' ? (*p | 0x20) - 'a' + 10 : -1;

			if (d < 0 || v >> 60)
				break;
			v = v << 4 | (uint64_t)d;
		}
	} else {
		for (; p < found + n && *p >= '0' && *p <= '9'; p++, digits++) {
			if (v > (UINT64_MAX - 9) / 10)
				break;
			v = v * 10 + (uint64_t)(*p - '0');
		}
	}
	if (p < found + n && p + 1 == found + n) {
		int shift = (*p | 0x20) == 'k' ? 10 : (*p | 0x20) == 'm' ? 20 :
			    (*p | 0x20) == 'g' ? 30 : -1;

		if (shift > 0 && !(v >> (64 - shift))) {
			v <<= shift;
			p++;
		}
	}
	if (!digits || p != found + n)
		return -1;
	*base = v;
	return 1;
}
