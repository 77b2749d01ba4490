/* SPDX-License-Identifier: MIT */
/*
 * Host tests for kernel/module_elf.c: the example modules the build makes
 * (build/modules/NAME.ko, real ELF32 relocatables from clang) are laid out and
 * relocated, each R_386_32 / R_386_PC32 result compared with the value the
 * i386 psABI formula gives; then hello.ko is broken one field at a time in
 * memory, and each fault must yield its own error code and a message
 * naming it with its numbers.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include "hosttest.h"
#include "boot/elf.h"
#include "kernel/module_elf.h"
#include "badmod.h"

#ifndef MODULE_DIR
#error "build with -DMODULE_DIR=\"/path/to/build/modules\""
#endif

#define BASE		0xd0800000u	/* where the image "runs" */
#define PRINTK_ADDR	0xc0101234u	/* what the lookup says printk is */

/* The module under test (mod, mod_size: tests/host/badmod.c), a private
 * copy the tests may break. */
static struct module_layout layout;
static struct module_result result;
static uint8_t *image;
static char msg[MODULE_MSG_MAX];

/* ------------------------------------------------------------ helpers */

static void load(const char *name)
{
	char path[512];

	snprintf(path, sizeof(path), "%s/%s", MODULE_DIR, name);
	badmod_load(path);
}

/* The lookup: a fixed table, and a record of every name asked for. */
struct lookup_log {
	const char *names[64];
	unsigned int n;
	bool know_printk;
};
static struct lookup_log lk;

static const struct { const char *name; uint32_t addr; } kernel_syms[] = {
	{ "printk", PRINTK_ADDR },
	{ "alloc_pages", 0xc0102000 }, { "__free_pages", 0xc0102100 },
	{ "kmap", 0xc0103000 }, { "kunmap", 0xc0103100 },
	{ "kmalloc", 0xc0104000 }, { "kfree", 0xc0104100 },
	{ "memset", 0xc0105000 }, { "strlen", 0xc0105100 },
	{ "__kt_fail", 0xc0106000 }, { "__kt_fail_cmp", 0xc0106100 },
	{ "__kt_fail_str", 0xc0106200 }, { "__kt_streq", 0xc0106300 },
	{ "ktest_register_cases", 0xc0107000 },
	{ "ktest_unregister_cases", 0xc0107100 },
};

static uint32_t kernel_addr(const char *name)
{
	for (size_t i = 0; i < sizeof(kernel_syms) / sizeof(kernel_syms[0]); i++)
		if (strcmp(kernel_syms[i].name, name) == 0)
			return kernel_syms[i].addr;
	return 0;
}

static int lookup(void *ctx, const char *name, uint32_t *value)
{
	struct lookup_log *l = ctx;
	bool seen = false;

	for (unsigned int i = 0; i < l->n; i++)
		seen |= strcmp(l->names[i], name) == 0;
	if (!seen && l->n < 64)
		l->names[l->n++] = name;
	if (!l->know_printk && strcmp(name, "printk") == 0)
		return -1;
	*value = kernel_addr(name);
	return *value ? 0 : -1;
}

static int do_layout(void)
{
	memset(&layout, 0xcc, sizeof(layout));
	memset(msg, 'X', sizeof(msg));
	return module_layout(mod, mod_size, &layout, msg, sizeof(msg));
}

static int do_relocate(void)
{
	free(image);
	image = malloc(layout.total_size ? layout.total_size : 1);
	memset(image, 0xee, layout.total_size);
	memset(&lk, 0, sizeof(lk));
	lk.know_printk = true;
	memset(&result, 0, sizeof(result));
	memset(msg, 'X', sizeof(msg));
	return module_relocate(mod, mod_size, &layout, BASE, image, lookup, &lk,
			       &result, msg, sizeof(msg));
}

/* Both steps, stopping at the first error. */
static int load_and_relocate(void)
{
	int err = do_layout();

	return err ? err : do_relocate();
}

static char want[256];

static const char * __attribute__((format(printf, 1, 2))) fmt(const char *f, ...)
{
	va_list ap;

	va_start(ap, f);
	vsnprintf(want, sizeof(want), f, ap);
	va_end(ap);
	return want;
}

/* The call's error code, and the message holding text (a complete line). */
#define CHECK_FAULT(call, code, text) do { \
	const char *_t = (text); \
	CHECK_EQ((call), (code)); \
	CHECK(memchr(msg, '\0', sizeof(msg)) != NULL); \
	if (!strstr(msg, _t)) { \
		printf("    message: \"%s\"\n    wanted:  \"%s\"\n", msg, _t); \
		CHECK(strstr(msg, _t) != NULL); \
	} \
} while (0)

/* ------------------------------------------------------------ valid modules */

/* Every relocation of the original file, recomputed here from the psABI
 * formulas, must be what the image holds. Returns the number checked. */
static unsigned int check_all_relocations(void)
{
	unsigned int checked = 0;

	for (unsigned int s = 1; s < eh()->e_shnum; s++) {
		if (sh(s)->sh_type != SHT_REL)
			continue;
		unsigned int t = sh(s)->sh_info;
		for (unsigned int j = 0; j < sh(s)->sh_size / sizeof(Elf32_Rel); j++) {
			const Elf32_Rel *r = relp(s, j);
			const Elf32_Sym *st = symp(ELF32_R_SYM(r->r_info));
			uint32_t a = rd32(mod + sh(t)->sh_offset + r->r_offset);
			uint32_t p = BASE + layout.sec_offset[t] + r->r_offset;
			uint32_t sv, want_v;

			if (st->st_shndx == SHN_UNDEF)
				sv = kernel_addr(symname(st));
			else
				sv = BASE + layout.sec_offset[st->st_shndx] + st->st_value;
			switch (ELF32_R_TYPE(r->r_info)) {
			case R_386_32:
				want_v = sv + a;
				break;
			case R_386_PC32:
			case R_386_PLT32:
				want_v = sv + a - p;
				break;
			default:
				CHECK(0);
				continue;
			}
			CHECK_EQ(rd32(image + layout.sec_offset[t] + r->r_offset), want_v);
			checked++;
		}
	}
	return checked;
}

/* Layout invariants: groups page aligned and in order, each loaded section
 * aligned, inside its group, its bytes copied, the rest zero. */
static void check_layout_and_copy(void)
{
	static const uint32_t group_flags[MOD_NR_GROUPS] = {
		SHF_EXECINSTR, 0, SHF_WRITE };
	uint32_t off = 0;

	for (int g = 0; g < MOD_NR_GROUPS; g++) {
		CHECK_EQ(layout.group[g].offset, off);
		CHECK_EQ(layout.group[g].size % 4096, 0);
		off += layout.group[g].size;
	}
	CHECK_EQ(layout.total_size, off);
	CHECK_EQ(layout.nr_sections, eh()->e_shnum);

	uint8_t *covered = calloc(layout.total_size, 1);
	for (unsigned int i = 1; i < eh()->e_shnum; i++) {
		const Elf32_Shdr *s = sh(i);
		uint32_t o = layout.sec_offset[i];

		if (!(s->sh_flags & SHF_ALLOC)) {
			CHECK_EQ(o, MODULE_NOT_LOADED);
			continue;
		}
		int g = (s->sh_flags & SHF_EXECINSTR) ? 0 : (s->sh_flags & SHF_WRITE) ? 2 : 1;
		CHECK((s->sh_flags & (SHF_EXECINSTR | SHF_WRITE)) == group_flags[g]);
		CHECK(o >= layout.group[g].offset);
		CHECK(o + s->sh_size <= layout.group[g].offset + layout.group[g].size);
		if (s->sh_addralign > 1)
			CHECK_EQ(o % s->sh_addralign, 0);
		for (uint32_t b = 0; b < s->sh_size; b++) {
			CHECK(!covered[o + b]);		/* no overlap */
			covered[o + b] = 1;
		}
		if (s->sh_type == SHT_NOBITS) {
			for (uint32_t b = 0; b < s->sh_size; b++)
				CHECK_EQ(image[o + b], 0);
		}
	}
	for (uint32_t b = 0; b < layout.total_size; b++)
		if (!covered[b])
			CHECK_EQ(image[b], 0);	/* padding zeroed */
	free(covered);
}

/* Whether names holds exactly the module's undefined symbols. */
static void check_lookups_cover_undefined(void)
{
	unsigned int nund = 0;

	for (unsigned int i = 1; i < nsyms(); i++) {
		if (symp(i)->st_shndx != SHN_UNDEF)
			continue;
		nund++;
		bool found = false;
		for (unsigned int k = 0; k < lk.n; k++)
			found |= strcmp(lk.names[k], symname(symp(i))) == 0;
		if (!found)
			printf("    lookup never asked for %s\n", symname(symp(i)));
		CHECK(found);
	}
	CHECK_EQ(lk.n, nund);
	CHECK_EQ(result.nr_undefined, nund);
	CHECK_EQ(layout.nr_undefined, nund);
}

static void test_hello(void)
{
	load("hello.ko");
	CHECK_EQ(do_layout(), MOD_OK);
	CHECK_STR(msg, "");
	/* text, rodata (.rodata and strings), data (.data and .bss): a page each */
	CHECK_EQ(layout.group[MOD_GROUP_TEXT].size, 0x1000);
	CHECK_EQ(layout.group[MOD_GROUP_RODATA].size, 0x1000);
	CHECK_EQ(layout.group[MOD_GROUP_DATA].size, 0x1000);
	CHECK_EQ(layout.total_size, 0x3000);
	CHECK_EQ(layout.sec_offset[sec(".text")], 0);
	CHECK_EQ(layout.sec_offset[sec(".data")], 0x2000);
	CHECK_EQ(layout.sec_offset[sec(".bss")],
		 0x2000 + ((sh(sec(".data"))->sh_size + 3) & ~3u));

	CHECK_EQ(do_relocate(), MOD_OK);
	CHECK_STR(msg, "");
	check_layout_and_copy();
	CHECK_EQ(check_all_relocations(), result.nr_relocs);
	CHECK_EQ(result.nr_relocs, layout.nr_relocs);
	check_lookups_cover_undefined();
	CHECK_EQ(lk.n, 1);
	CHECK_STR(lk.names[0], "printk");

	/* init and exit: the symbols' values in .text, moved to BASE. */
	CHECK_EQ(result.init, BASE + symp(symidx("init_module"))->st_value);
	CHECK_EQ(result.exit, BASE + symp(symidx("cleanup_module"))->st_value);
	CHECK(result.init != result.exit);

	/* Hand-computed: the first call to printk, a PC32 with A = -4. */
	unsigned int rt = sec(".rel.text"), text = sec(".text");
	bool seen_pc32 = false, seen_abs = false;
	for (unsigned int j = 0; j < sh(rt)->sh_size / 8; j++) {
		Elf32_Rel *r = relp(rt, j);
		if (ELF32_R_TYPE(r->r_info) == R_386_PC32 && !seen_pc32) {
			CHECK_STR(symname(symp(ELF32_R_SYM(r->r_info))), "printk");
			CHECK_EQ(rd32(mod + sh(text)->sh_offset + r->r_offset), 0xfffffffc);
			CHECK_EQ(rd32(image + r->r_offset),
				 PRINTK_ADDR - 4 - (BASE + r->r_offset));
			/* the call's next instruction + the displacement = printk */
			CHECK_EQ(BASE + r->r_offset + 4 + rd32(image + r->r_offset),
				 PRINTK_ADDR);
			seen_pc32 = true;
		}
		if (ELF32_R_TYPE(r->r_info) == R_386_32 &&
		    ELF32_R_SYM(r->r_info) == secsym(sec(".bss")) && !seen_abs) {
			/* the address of 'unloads' in .bss */
			CHECK_EQ(rd32(image + r->r_offset),
				 BASE + layout.sec_offset[sec(".bss")] +
				 rd32(mod + sh(text)->sh_offset + r->r_offset));
			seen_abs = true;
		}
	}
	CHECK(seen_pc32);
	CHECK(seen_abs);

	/* hello_word in .data = &greeting in .rodata: R_386_32, A = 0 */
	CHECK_EQ(rd32(image + layout.sec_offset[sec(".data")] +
		      symp(symidx("hello_word"))->st_value),
		 BASE + layout.sec_offset[sec(".rodata")]);
	CHECK(memcmp(image + layout.sec_offset[sec(".rodata")], "hello", 6) == 0);
	CHECK_EQ(rd32(image + layout.sec_offset[sec(".data")] +
		      symp(symidx("hello_word"))->st_value + 4), 1);	/* loads */
}

static void test_all_modules(void)
{
	static const char *const names[] = {
		"hello.ko", "highmem_check.ko", "ktest_mod.ko" };

	for (size_t m = 0; m < sizeof(names) / sizeof(names[0]); m++) {
		load(names[m]);
		CHECK_EQ(load_and_relocate(), MOD_OK);
		if (msg[0])
			printf("    %s: %s\n", names[m], msg);
		check_layout_and_copy();
		CHECK_EQ(check_all_relocations(), result.nr_relocs);
		CHECK(result.nr_relocs > 0);
		check_lookups_cover_undefined();
		CHECK_EQ(result.init, BASE + layout.init_offset);
	}
	/* highmem_check has no data at all */
	load("highmem_check.ko");
	CHECK_EQ(load_and_relocate(), MOD_OK);
	CHECK_EQ(layout.group[MOD_GROUP_DATA].size, 0);
	/* without cleanup_module the exit is 0 */
	load("hello.ko");
	char *name = (char *)mod + sh(sh(symtab())->sh_link)->sh_offset +
		     symp(symidx("cleanup_module"))->st_name;
	name[0] = 'C';
	CHECK_EQ(load_and_relocate(), MOD_OK);
	CHECK_EQ(result.exit, 0);
	CHECK_EQ(layout.exit_offset, MODULE_NOT_LOADED);
	load("ktest_mod.ko");
	CHECK_EQ(load_and_relocate(), MOD_OK);
	CHECK(result.exit != 0);
	CHECK_EQ(result.nr_undefined, 11);
}

static void test_plt32_is_pc32(void)
{
	load("hello.ko");
	unsigned int rt = sec(".rel.text");
	unsigned int j = 0;
	while (ELF32_R_TYPE(relp(rt, j)->r_info) != R_386_PC32)
		j++;
	uint32_t off = relp(rt, j)->r_offset;
	CHECK_EQ(load_and_relocate(), MOD_OK);
	uint32_t pc32 = rd32(image + off);

	relp(rt, j)->r_info = ELF32_R_INFO(ELF32_R_SYM(relp(rt, j)->r_info), R_386_PLT32);
	CHECK_EQ(load_and_relocate(), MOD_OK);
	CHECK_EQ(rd32(image + off), pc32);
	CHECK_EQ(check_all_relocations(), result.nr_relocs);

	/* R_386_NONE is skipped, the place left as the file has it */
	relp(rt, j)->r_info = ELF32_R_INFO(0, R_386_NONE);
	CHECK_EQ(load_and_relocate(), MOD_OK);
	CHECK_EQ(rd32(image + off), 0xfffffffc);
	CHECK_EQ(result.nr_relocs, layout.nr_relocs);
}

static void test_weak_undefined(void)
{
	/* An unknown weak symbol is 0 (gABI); printk made weak. */
	load("hello.ko");
	Elf32_Sym *p = symp(symidx("printk"));
	p->st_info = ELF32_ST_INFO(STB_WEAK, STT_NOTYPE);
	CHECK_EQ(do_layout(), MOD_OK);
	free(image);
	image = malloc(layout.total_size);
	memset(&lk, 0, sizeof(lk));
	CHECK_EQ(module_relocate(mod, mod_size, &layout, BASE, image, lookup, &lk,
				 &result, msg, sizeof(msg)), MOD_OK);
	unsigned int rt = sec(".rel.text");
	unsigned int j = 0;
	while (ELF32_R_TYPE(relp(rt, j)->r_info) != R_386_PC32)
		j++;
	uint32_t off = relp(rt, j)->r_offset;
	CHECK_EQ(rd32(image + off), 0u - 4 - (BASE + off));
}

static void test_no_msg_buffer(void)
{
	load("hello.ko");
	CHECK_EQ(module_layout(mod, mod_size, &layout, NULL, 0), MOD_OK);
	mod[0] = 0;
	CHECK_EQ(module_layout(mod, mod_size, &layout, NULL, 0), MOD_ERR_NOT_ELF);
	CHECK_EQ(module_layout(NULL, 0, &layout, msg, sizeof(msg)), MOD_ERR_ARG);
	load("hello.ko");
	CHECK_EQ(module_layout(mod, mod_size, NULL, msg, sizeof(msg)), MOD_ERR_ARG);
	/* a tiny buffer is filled and terminated, not overrun */
	char small[8];
	mod[0] = 0;
	CHECK_EQ(module_layout(mod, mod_size, &layout, small, sizeof(small)),
		 MOD_ERR_NOT_ELF);
	CHECK_STR(small, "not an ");
}

/* ------------------------------------------------------------ faults */

static void test_truncated(void)
{
	load("hello.ko");
	size_t full = mod_size;

	mod_size = 40;
	CHECK_FAULT(do_layout(), MOD_ERR_SHORT,
		    "truncated file: 40 bytes, shorter than the 52-byte ELF32 header");
	mod_size = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_SHORT, "truncated file: 0 bytes");
	/* the section header table is last in the file */
	mod_size = full - 10;
	CHECK_FAULT(do_layout(), MOD_ERR_SHDRS_OUT_OF_FILE,
		    fmt("section header table [0x%x-0x%zx) extends past the end of "
			"the file (0x%zx bytes): truncated file?",
			eh()->e_shoff, full, full - 10));
	/* the layout was not written into: relocate refuses a foreign one */
	load("highmem_check.ko");
	CHECK_EQ(do_layout(), MOD_OK);
	load("hello.ko");
	free(image);
	image = malloc(layout.total_size);
	CHECK_FAULT(module_relocate(mod, mod_size, &layout, BASE, image, lookup,
				    &lk, &result, msg, sizeof(msg)),
		    MOD_ERR_ARG, "the layout was not computed for this module");
}

static void test_bad_ident(void)
{
	load("hello.ko");
	mod[1] = 'X';
	CHECK_FAULT(do_layout(), MOD_ERR_NOT_ELF,
		    "not an ELF file (starts 7f 58 4c 46, expected 7f 45 4c 46)");
	load("hello.ko");
	mod[EI_CLASS] = ELFCLASS64;
	CHECK_FAULT(do_layout(), MOD_ERR_CLASS,
		    "ELF class 2 (EI_CLASS), expected 1 (ELFCLASS32): a 64-bit object");
	load("hello.ko");
	mod[EI_DATA] = ELFDATA2MSB;
	CHECK_FAULT(do_layout(), MOD_ERR_ENDIAN, "ELF data encoding 2, expected 1");
	load("hello.ko");
	mod[EI_VERSION] = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_VERSION, "ELF identification version 0");
	load("hello.ko");
	eh()->e_version = 2;
	CHECK_FAULT(do_layout(), MOD_ERR_VERSION, "e_version 2, expected 1");
}

static void test_bad_type_machine(void)
{
	load("hello.ko");
	eh()->e_type = ET_EXEC;
	CHECK_FAULT(do_layout(), MOD_ERR_TYPE, "e_type 2, expected 1 (ET_REL");
	load("hello.ko");
	eh()->e_type = ET_DYN;
	CHECK_FAULT(do_layout(), MOD_ERR_TYPE, "e_type 3, expected 1 (ET_REL");
	load("hello.ko");
	eh()->e_machine = EM_X86_64;
	CHECK_FAULT(do_layout(), MOD_ERR_MACHINE, "e_machine 62, expected 3 (EM_386)");
}

static void test_section_table(void)
{
	load("hello.ko");
	eh()->e_shentsize = 64;
	CHECK_FAULT(do_layout(), MOD_ERR_SHENTSIZE, "e_shentsize 64, expected 40");
	load("hello.ko");
	eh()->e_shnum = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_SHNUM, "e_shnum 0: a module has 1 to 128 sections");
	load("hello.ko");
	eh()->e_shnum = 129;
	CHECK_FAULT(do_layout(), MOD_ERR_SHNUM, "e_shnum 129");
	load("hello.ko");
	eh()->e_shoff = 0xfffffff0;
	CHECK_FAULT(do_layout(), MOD_ERR_SHDRS_OUT_OF_FILE,
		    fmt("section header table [0xfffffff0-0x%llx) extends past the "
			"end of the file (0x%zx bytes)",
			0xfffffff0ull + eh()->e_shnum * 40ull, mod_size));
}

static void test_section_out_of_file(void)
{
	load("hello.ko");
	unsigned int t = sec(".text");
	sh(t)->sh_offset = mod_size - 8;
	CHECK_FAULT(do_layout(), MOD_ERR_SECTION_OUT_OF_FILE,
		    fmt("section %u data [0x%zx-0x%zx) extends past the end of the "
			"file (0x%zx bytes)", t, mod_size - 8,
			mod_size - 8 + sh(t)->sh_size, mod_size));
	/* a huge size must not wrap the check */
	load("hello.ko");
	sh(sec(".comment"))->sh_size = 0xffffffff;
	CHECK_FAULT(do_layout(), MOD_ERR_SECTION_OUT_OF_FILE,
		    fmt("section %u data", sec(".comment")));
	/* NOBITS has no file bytes: its offset does not matter */
	load("hello.ko");
	sh(sec(".bss"))->sh_offset = 0xfffffff0;
	CHECK_EQ(do_layout(), MOD_OK);
}

static void test_bad_strtab(void)
{
	load("hello.ko");
	unsigned int t = sec(".text");
	eh()->e_shstrndx = t;
	CHECK_FAULT(do_layout(), MOD_ERR_STRTAB,
		    fmt("e_shstrndx is %u: section %u has type 1, not SHT_STRTAB (3)", t, t));
	load("hello.ko");
	eh()->e_shstrndx = 99;
	CHECK_FAULT(do_layout(), MOD_ERR_STRTAB,
		    fmt("e_shstrndx is 99: not a section index (the file has %u sections)",
			eh()->e_shnum));
	load("hello.ko");
	eh()->e_shstrndx = SHN_UNDEF;
	CHECK_FAULT(do_layout(), MOD_ERR_STRTAB, "e_shstrndx is 0: not a section index");
	load("hello.ko");
	sh(symtab())->sh_link = t;
	CHECK_FAULT(do_layout(), MOD_ERR_STRTAB,
		    fmt("the symbol table's sh_link is %u: section %u has type 1", t, t));
	load("hello.ko");
	unsigned int st = sh(symtab())->sh_link;
	mod[sh(st)->sh_offset + sh(st)->sh_size - 1] = 'z';
	CHECK_FAULT(do_layout(), MOD_ERR_STRTAB,
		    fmt("string table of 0x%x bytes does not end in a NUL", sh(st)->sh_size));
}

static void test_bad_names(void)
{
	load("hello.ko");
	unsigned int t = sec(".text");
	uint32_t limit = sh(eh()->e_shstrndx)->sh_size;
	sh(t)->sh_name = limit;
	CHECK_FAULT(do_layout(), MOD_ERR_NAME,
		    fmt("section %u sh_name 0x%x is outside the section name table "
			"(0x%x bytes)", t, limit, limit));
	load("hello.ko");
	unsigned int i = symidx("printk");
	uint32_t names = sh(sh(symtab())->sh_link)->sh_size;
	symp(i)->st_name = 0x7fffffff;
	CHECK_FAULT(do_layout(), MOD_ERR_NAME,
		    fmt("symbol %u st_name 0x7fffffff is outside the symbol name table "
			"(0x%x bytes)", i, names));
}

static void test_align_wx_overflow(void)
{
	load("hello.ko");
	unsigned int d = sec(".data");
	sh(d)->sh_addralign = 12;
	CHECK_FAULT(do_layout(), MOD_ERR_ALIGN,
		    fmt("section %u sh_addralign 0xc: not a power of two up to 0x1000", d));
	load("hello.ko");
	sh(d)->sh_addralign = 0x2000;
	CHECK_FAULT(do_layout(), MOD_ERR_ALIGN, fmt("section %u sh_addralign 0x2000", d));
	/* a page-aligned section is fine */
	load("hello.ko");
	sh(d)->sh_addralign = 0x1000;
	CHECK_EQ(do_layout(), MOD_OK);

	load("hello.ko");
	sh(d)->sh_flags |= SHF_EXECINSTR;
	CHECK_FAULT(do_layout(), MOD_ERR_WX,
		    fmt("section %u (.data) is both writable and executable "
			"(sh_flags 0x7)", d));

	load("hello.ko");
	unsigned int b = sec(".bss");
	sh(b)->sh_size = 0xfffff000;
	CHECK_FAULT(do_layout(), MOD_ERR_OVERFLOW,
		    fmt("section %u (.bss) of 0xfffff000 bytes takes the module "
			"past 0x1000000 bytes", b));
	/* under the limit per group, over it in total: text 0x800000, a
	 * page of rodata, data 0xff0008 rounded up to 0xff1000 */
	load("hello.ko");
	sh(b)->sh_size = 0xff0000;
	sh(sec(".text"))->sh_type = SHT_NOBITS;	/* no file bytes needed */
	sh(sec(".text"))->sh_size = 0x800000;
	CHECK_FAULT(do_layout(), MOD_ERR_OVERFLOW,
		    "the module needs 0x17f2000 bytes, more than 0x1000000");
}

static void test_bad_symtab(void)
{
	load("hello.ko");
	sh(symtab())->sh_type = SHT_PROGBITS;
	CHECK_FAULT(do_layout(), MOD_ERR_SYMTAB, "0 SHT_SYMTAB sections, expected exactly 1");
	load("hello.ko");
	sh(sec(".comment"))->sh_type = SHT_SYMTAB;
	CHECK_FAULT(do_layout(), MOD_ERR_SYMTAB, "2 SHT_SYMTAB sections");
	load("hello.ko");
	unsigned int s = symtab();
	sh(s)->sh_entsize = 12;
	CHECK_FAULT(do_layout(), MOD_ERR_SYMTAB,
		    fmt("symbol table (section %u) sh_entsize 12, sh_size 0x%x: "
			"expected a non-empty array of 16-byte entries", s, sh(s)->sh_size));
	load("hello.ko");
	sh(s)->sh_size -= 4;
	CHECK_FAULT(do_layout(), MOD_ERR_SYMTAB, "sh_entsize 16, sh_size");
}

static void test_bad_symbols(void)
{
	load("hello.ko");
	unsigned int i = symidx("hello_word");
	symp(i)->st_shndx = 0x50;
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_SHNDX,
		    fmt("symbol %u (hello_word) st_shndx 0x50 is out of range (the "
			"file has %u sections)", i, eh()->e_shnum));
	load("hello.ko");
	symp(i)->st_shndx = SHN_XINDEX;
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_SHNDX, "st_shndx 0xffff is out of range");
	load("hello.ko");
	symp(i)->st_shndx = SHN_COMMON;
	CHECK_FAULT(do_layout(), MOD_ERR_COMMON,
		    fmt("symbol %u (hello_word) is a common symbol (SHN_COMMON): "
			"build the module with -fno-common", i));
	load("hello.ko");
	unsigned int z = secsym(sec(".bss"));
	symp(z)->st_shndx = SHN_UNDEF;
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_SHNDX,
		    fmt("symbol %u (unnamed) is local and undefined", z));
	load("hello.ko");
	unsigned int d = sec(".data");
	symp(i)->st_value = sh(d)->sh_size + 1;
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_VALUE,
		    fmt("symbol %u (hello_word) st_value 0x%x lies past the end of its "
			"section %u (0x%x bytes)", i, sh(d)->sh_size + 1, d, sh(d)->sh_size));
	/* at the very end is allowed (an end marker) */
	load("hello.ko");
	symp(i)->st_value = sh(d)->sh_size;
	CHECK_EQ(do_layout(), MOD_OK);
	/* an absolute symbol keeps its value */
	load("hello.ko");
	symp(i)->st_shndx = SHN_ABS;
	symp(i)->st_value = 0x12345678;
	CHECK_EQ(load_and_relocate(), MOD_OK);
}

static void test_bad_rel_sections(void)
{
	load("hello.ko");
	unsigned int rt = sec(".rel.text");
	sh(rt)->sh_type = SHT_RELA;
	CHECK_FAULT(do_layout(), MOD_ERR_RELA,
		    fmt("section %u is SHT_RELA: i386 objects carry SHT_REL", rt));
	load("hello.ko");
	sh(rt)->sh_link = 1;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_LINK,
		    fmt("relocation section %u (.rel.text) sh_link 1 is not the symbol "
			"table (section %u)", rt, symtab()));
	load("hello.ko");
	sh(rt)->sh_entsize = 12;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_ENTSIZE,
		    fmt("relocation section %u (.rel.text) sh_entsize 12, sh_size 0x%x",
			rt, sh(rt)->sh_size));
	load("hello.ko");
	sh(rt)->sh_size -= 3;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_ENTSIZE, "sh_entsize 8, sh_size");
}

static void test_bad_rel_target(void)
{
	load("hello.ko");
	unsigned int rt = sec(".rel.text");
	sh(rt)->sh_info = 99;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TARGET,
		    fmt("relocation section %u (.rel.text) sh_info 99 is not a section "
			"index (the file has %u sections)", rt, eh()->e_shnum));
	load("hello.ko");
	sh(rt)->sh_info = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TARGET, "sh_info 0 is not a section index");
	load("hello.ko");
	unsigned int c = sec(".comment");
	sh(rt)->sh_info = c;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TARGET,
		    fmt("relocation section %u (.rel.text) targets section %u (.comment), "
			"which is not SHF_ALLOC", rt, c));
	load("hello.ko");
	unsigned int b = sec(".bss");
	sh(rt)->sh_info = b;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TARGET,
		    fmt("targets section %u (.bss), which is SHT_NOBITS", b));
}

static void test_bad_relocations(void)
{
	load("hello.ko");
	unsigned int rt = sec(".rel.text"), t = sec(".text");
	uint32_t size = sh(t)->sh_size;
	relp(rt, 1)->r_offset = size - 2;
	CHECK_FAULT(do_layout(), MOD_ERR_REL_OFFSET,
		    fmt("relocation 1 of section %u (.rel.text) at r_offset 0x%x does "
			"not fit in its 0x%x-byte target section %u", rt, size - 2, size, t));
	load("hello.ko");
	relp(rt, 1)->r_offset = 0xfffffffe;	/* must not wrap */
	CHECK_FAULT(do_layout(), MOD_ERR_REL_OFFSET, "at r_offset 0xfffffffe");
	load("hello.ko");
	relp(rt, 1)->r_offset = size - 4;	/* the last word: fine */
	CHECK_EQ(do_layout(), MOD_OK);

	load("hello.ko");
	relp(rt, 2)->r_info = ELF32_R_INFO(ELF32_R_SYM(relp(rt, 2)->r_info), 7);
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TYPE,
		    fmt("relocation 2 of section %u (.rel.text) has unsupported type 7", rt));
	load("hello.ko");
	relp(rt, 2)->r_info = ELF32_R_INFO(ELF32_R_SYM(relp(rt, 2)->r_info), R_386_GOTPC);
	CHECK_FAULT(do_layout(), MOD_ERR_REL_TYPE,
		    "unsupported type 10 (R_386_GOTPC: build the module with -fno-pic)");

	load("hello.ko");
	relp(rt, 0)->r_info = ELF32_R_INFO(999, R_386_32);
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_INDEX,
		    fmt("relocation 0 of section %u (.rel.text) names symbol 999, past "
			"the %u symbols", rt, nsyms()));

	/* a symbol of a section that is not loaded */
	load("hello.ko");
	unsigned int r = ELF32_R_SYM(relp(rt, 0)->r_info);
	unsigned int c = sec(".comment");
	symp(r)->st_shndx = c;
	symp(r)->st_value = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_SYM_SHNDX,
		    fmt("relocation 0 of section %u (.rel.text) uses symbol %u (%s) of "
			"section %u, which is not loaded", rt, r,
			symname(symp(r))[0] ? symname(symp(r)) : ".comment", c));
}

static void test_undefined(void)
{
	load("hello.ko");
	CHECK_EQ(do_layout(), MOD_OK);
	free(image);
	image = malloc(layout.total_size);
	memset(&lk, 0, sizeof(lk));		/* printk unknown */
	CHECK_FAULT(module_relocate(mod, mod_size, &layout, BASE, image, lookup, &lk,
				    &result, msg, sizeof(msg)),
		    MOD_ERR_UNDEFINED,
		    fmt("undefined symbol printk (symbol %u)", symidx("printk")));
	CHECK_EQ(lk.n, 1);
	CHECK_EQ(module_strerror(MOD_ERR_UNDEFINED)[0], 'u');
}

static void test_no_init(void)
{
	load("hello.ko");
	unsigned int i = symidx("init_module");
	char *name = (char *)mod + sh(sh(symtab())->sh_link)->sh_offset + symp(i)->st_name;
	name[10] = 'f';		/* init_modulf */
	CHECK_FAULT(do_layout(), MOD_ERR_NO_INIT,
		    "no init function: the module defines no global init_module");
	load("hello.ko");
	symp(i)->st_info = ELF32_ST_INFO(STB_LOCAL, STT_FUNC);
	CHECK_FAULT(do_layout(), MOD_ERR_NO_INIT, "no init function");
	/* init_module in data, or past the end of its text */
	load("hello.ko");
	unsigned int d = sec(".data");
	symp(i)->st_shndx = d;
	symp(i)->st_value = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_NO_INIT,
		    fmt("init_module (symbol %u, st_shndx 0x%x, st_value 0x0) is not a "
			"function in a loaded text section", i, d));
	load("hello.ko");
	unsigned int x = symidx("cleanup_module");
	symp(x)->st_shndx = d;
	symp(x)->st_value = 0;
	CHECK_FAULT(do_layout(), MOD_ERR_NO_INIT, "cleanup_module (symbol");
}

/* The faults tools/mkbadmods writes for the bad-modules boot: each one's
 * code, name and message, as its manifest promises the kernel prints. */
static void test_badmod_faults(void)
{
	char text[256];

	CHECK(badmod_nr_faults >= 14);
	for (unsigned int f = 0; f < badmod_nr_faults; f++) {
		const struct badmod_fault *b = &badmod_faults[f];
		int err;

		load("hello.ko");
		b->patch(text, sizeof(text));
		err = load_and_relocate();
		/* the message starts with text: the manifest line
		 * "<strerror>: <text>" is then a part of the kernel's */
		bool starts = strncmp(msg, text, strlen(text)) == 0;
		if (err != b->code || !starts)
			printf("    %s: code %d, message \"%s\"\n    wanted: %d, \"%s\"\n",
			       b->file, err, msg, b->code, text);
		CHECK_EQ(err, b->code);
		CHECK(starts);
		CHECK_STR(module_strerror(err), b->strerror);
		for (unsigned int g = 0; g < f; g++)	/* one file per fault */
			CHECK(badmod_faults[g].code != b->code);
	}
}

static void test_strerror(void)
{
	for (int e = MOD_OK; e >= MOD_ERR_NO_INIT; e--)
		CHECK(strcmp(module_strerror(e), "unknown error") != 0);
	CHECK_STR(module_strerror(-1000), "unknown error");
	CHECK_STR(module_strerror(MOD_ERR_REL_OFFSET), "relocation outside its section");
}

int main(void)
{
	RUN(test_hello);
	RUN(test_all_modules);
	RUN(test_plt32_is_pc32);
	RUN(test_weak_undefined);
	RUN(test_no_msg_buffer);
	RUN(test_truncated);
	RUN(test_bad_ident);
	RUN(test_bad_type_machine);
	RUN(test_section_table);
	RUN(test_section_out_of_file);
	RUN(test_bad_strtab);
	RUN(test_bad_names);
	RUN(test_align_wx_overflow);
	RUN(test_bad_symtab);
	RUN(test_bad_symbols);
	RUN(test_bad_rel_sections);
	RUN(test_bad_rel_target);
	RUN(test_bad_relocations);
	RUN(test_undefined);
	RUN(test_no_init);
	RUN(test_badmod_faults);
	RUN(test_strerror);
	free(mod);
	free(image);
	return HT_DONE();
}
