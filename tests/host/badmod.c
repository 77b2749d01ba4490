/* SPDX-License-Identifier: MIT */
/*
 * Breaking a real module in memory (tests/host/badmod.h): the accessors,
 * and one patch per fault a loader must refuse.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "badmod.h"
#include "kernel/module_elf.h"

uint8_t *mod;
size_t mod_size;

void badmod_load(const char *path)
{
	FILE *fp;
	long n;

	fp = fopen(path, "rb");
	if (!fp) {
		printf("    cannot open %s (run `make modules` first)\n", path);
		exit(1);
	}
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	free(mod);
	mod = malloc(n + 4096);		/* room to grow a patched copy */
	memset(mod, 0, n + 4096);
	if (fread(mod, 1, n, fp) != (size_t)n) {
		printf("    cannot read %s\n", path);
		exit(1);
	}
	fclose(fp);
	mod_size = n;
}

Elf32_Ehdr *eh(void)
{
	return (Elf32_Ehdr *)mod;
}

Elf32_Shdr *sh(unsigned int i)
{
	return (Elf32_Shdr *)(mod + eh()->e_shoff) + i;
}

const char *secname(unsigned int i)
{
	return (const char *)mod + sh(eh()->e_shstrndx)->sh_offset + sh(i)->sh_name;
}

/* The index of the section called name; exits without one. */
unsigned int sec(const char *name)
{
	for (unsigned int i = 1; i < eh()->e_shnum; i++)
		if (strcmp(secname(i), name) == 0)
			return i;
	printf("    no section %s\n", name);
	exit(1);
}

unsigned int symtab(void)
{
	return sec(".symtab");
}

unsigned int nsyms(void)
{
	return sh(symtab())->sh_size / sizeof(Elf32_Sym);
}

Elf32_Sym *symp(unsigned int i)
{
	return (Elf32_Sym *)(mod + sh(symtab())->sh_offset) + i;
}

const char *symname(const Elf32_Sym *s)
{
	return (const char *)mod + sh(sh(symtab())->sh_link)->sh_offset + s->st_name;
}

char *symname_w(unsigned int i)
{
	return (char *)mod + sh(sh(symtab())->sh_link)->sh_offset + symp(i)->st_name;
}

/* The index of the symbol called name (0 if none). */
unsigned int symidx(const char *name)
{
	for (unsigned int i = 1; i < nsyms(); i++)
		if (strcmp(symname(symp(i)), name) == 0)
			return i;
	return 0;
}

/* The index of the section symbol of section s. */
unsigned int secsym(unsigned int s)
{
	for (unsigned int i = 1; i < nsyms(); i++)
		if (ELF32_ST_TYPE(symp(i)->st_info) == STT_SECTION &&
		    symp(i)->st_shndx == s)
			return i;
	printf("    no section symbol for section %u\n", s);
	exit(1);
}

Elf32_Rel *relp(unsigned int s, unsigned int j)
{
	return (Elf32_Rel *)(mod + sh(s)->sh_offset) + j;
}

uint32_t rd32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return v;
}

/* ------------------------------------------------------------ the faults */

static void truncated(char *want, size_t n)
{
	mod_size = 40;
	snprintf(want, n, "truncated file: 40 bytes, shorter than the 52-byte "
		 "ELF32 header");
}

static void bad_magic(char *want, size_t n)
{
	mod[1] = 'X';
	snprintf(want, n, "not an ELF file (starts 7f 58 4c 46, expected 7f 45 4c 46)");
}

static void bad_class(char *want, size_t n)
{
	mod[EI_CLASS] = ELFCLASS64;
	snprintf(want, n, "ELF class 2 (EI_CLASS), expected 1 (ELFCLASS32): "
		 "a 64-bit object");
}

static void bad_machine(char *want, size_t n)
{
	eh()->e_machine = EM_X86_64;
	snprintf(want, n, "e_machine 62, expected 3 (EM_386)");
}

static void bad_type(char *want, size_t n)
{
	eh()->e_type = ET_EXEC;
	snprintf(want, n, "e_type 2, expected 1 (ET_REL");
}

static void shdrs_out_of_file(char *want, size_t n)
{
	unsigned int shnum = eh()->e_shnum;

	eh()->e_shoff = mod_size - 8;
	snprintf(want, n, "section header table [0x%zx-0x%zx) extends past the end "
		 "of the file (0x%zx bytes)", mod_size - 8,
		 mod_size - 8 + shnum * sizeof(Elf32_Shdr), mod_size);
}

static void section_out_of_file(char *want, size_t n)
{
	unsigned int t = sec(".text");

	sh(t)->sh_offset = mod_size - 8;
	snprintf(want, n, "section %u data [0x%zx-0x%zx) extends past the end of "
		 "the file (0x%zx bytes)", t, mod_size - 8,
		 mod_size - 8 + sh(t)->sh_size, mod_size);
}

static void bad_shstrndx(char *want, size_t n)
{
	eh()->e_shstrndx = 99;
	snprintf(want, n, "e_shstrndx is 99: not a section index (the file has "
		 "%u sections)", eh()->e_shnum);
}

static void rel_wrong_target(char *want, size_t n)
{
	unsigned int rt = sec(".rel.text"), c = sec(".comment");

	sh(rt)->sh_info = c;
	snprintf(want, n, "relocation section %u (.rel.text) targets section %u "
		 "(.comment), which is not SHF_ALLOC", rt, c);
}

static void rel_offset(char *want, size_t n)
{
	unsigned int rt = sec(".rel.text"), t = sec(".text");
	uint32_t size = sh(t)->sh_size;

	relp(rt, 1)->r_offset = size - 2;
	snprintf(want, n, "relocation 1 of section %u (.rel.text) at r_offset 0x%x "
		 "does not fit in its 0x%x-byte target section %u",
		 rt, size - 2, size, t);
}

static void rel_type(char *want, size_t n)
{
	unsigned int rt = sec(".rel.text");

	relp(rt, 2)->r_info = ELF32_R_INFO(ELF32_R_SYM(relp(rt, 2)->r_info), 7);
	snprintf(want, n, "relocation 2 of section %u (.rel.text) has unsupported "
		 "type 7", rt);
}

/* printk renamed printq in the symbol names: no kernel exports that. The
 * file is otherwise fine, so this fails in module_relocate, after the
 * image was allocated. */
static void undefined_symbol(char *want, size_t n)
{
	unsigned int i = symidx("printk");

	symname_w(i)[5] = 'q';
	snprintf(want, n, "undefined symbol printq (symbol %u)", i);
}

static void sym_index(char *want, size_t n)
{
	unsigned int rt = sec(".rel.text");

	relp(rt, 0)->r_info = ELF32_R_INFO(999, R_386_32);
	snprintf(want, n, "relocation 0 of section %u (.rel.text) names symbol 999, "
		 "past the %u symbols", rt, nsyms());
}

/* init_module renamed init_modulf in the symbol names. */
static void no_init(char *want, size_t n)
{
	symname_w(symidx("init_module"))[10] = 'f';
	snprintf(want, n, "no init function: the module defines no global init_module");
}

const struct badmod_fault badmod_faults[] = {
	{ "01-truncated.ko", MOD_ERR_SHORT, "file too short", truncated },
	{ "02-bad-magic.ko", MOD_ERR_NOT_ELF, "not an ELF file", bad_magic },
	{ "03-bad-class.ko", MOD_ERR_CLASS, "not ELF32", bad_class },
	{ "04-bad-machine.ko", MOD_ERR_MACHINE, "not an i386 file", bad_machine },
	{ "05-bad-type.ko", MOD_ERR_TYPE, "not a relocatable object", bad_type },
	{ "06-shdrs-out-of-file.ko", MOD_ERR_SHDRS_OUT_OF_FILE,
	  "section headers outside the file", shdrs_out_of_file },
	{ "07-section-out-of-file.ko", MOD_ERR_SECTION_OUT_OF_FILE,
	  "section data outside the file", section_out_of_file },
	{ "08-bad-shstrndx.ko", MOD_ERR_STRTAB, "bad string table", bad_shstrndx },
	{ "09-rel-wrong-target.ko", MOD_ERR_REL_TARGET,
	  "relocations of a wrong section", rel_wrong_target },
	{ "10-rel-offset.ko", MOD_ERR_REL_OFFSET,
	  "relocation outside its section", rel_offset },
	{ "11-rel-type.ko", MOD_ERR_REL_TYPE, "unsupported relocation type", rel_type },
	{ "12-undefined-symbol.ko", MOD_ERR_UNDEFINED, "undefined symbol",
	  undefined_symbol },
	{ "13-sym-index.ko", MOD_ERR_SYM_INDEX, "symbol index out of range", sym_index },
	{ "14-no-init.ko", MOD_ERR_NO_INIT, "no init function", no_init },
};
const unsigned int badmod_nr_faults = sizeof(badmod_faults) / sizeof(badmod_faults[0]);
