/* SPDX-License-Identifier: MIT */
/*
 * Module objects (include/kernel/module_elf.h): an ELF32 relocatable file is
 * checked against the System V gABI, its SHF_ALLOC sections are laid out in
 * text/rodata/data groups, and its REL relocations are applied as the i386
 * psABI defines R_386_32 and R_386_PC32 (R_386_PLT32 is PC32 here: a module
 * is linked against the kernel directly, without a PLT). Pure code, linked
 * into the kernel, the host tests and the fuzzer; every field of the file is
 * read through bounds-checked little-endian loads, never cast in place.
 */
#include <stdarg.h>
#include "boot/elf.h"
#include "kernel/module_elf.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"

/* One file being looked at, and where its messages go. */
struct elf_file {
	const uint8_t *blob;
	size_t size;
	Elf32_Ehdr eh;
	unsigned int shnum;
	unsigned int symtab;		/* index of the SHT_SYMTAB section */
	unsigned int strtab;		/* its sh_link: the symbol names */
	unsigned int nsyms;
	char *msg;
	size_t msg_size;
};

static void __attribute__((format(printf, 2, 3)))
set_msg(struct elf_file *f, const char *fmt, ...)
{
	va_list ap;

	if (!f->msg || !f->msg_size)
		return;
	va_start(ap, fmt);
	vsnprintf(f->msg, f->msg_size, fmt, ap);
	va_end(ap);
}

const char *module_strerror(int err)
{
	switch (err) {
	case MOD_OK:			return "ok";
	case MOD_ERR_ARG:		return "invalid argument";
	case MOD_ERR_SHORT:		return "file too short";
	case MOD_ERR_NOT_ELF:		return "not an ELF file";
	case MOD_ERR_CLASS:		return "not ELF32";
	case MOD_ERR_ENDIAN:		return "not little-endian";
	case MOD_ERR_VERSION:		return "bad ELF version";
	case MOD_ERR_TYPE:		return "not a relocatable object";
	case MOD_ERR_MACHINE:		return "not an i386 file";
	case MOD_ERR_SHENTSIZE:		return "bad section header size";
	case MOD_ERR_SHNUM:		return "bad section count";
	case MOD_ERR_SHDRS_OUT_OF_FILE:	return "section headers outside the file";
	case MOD_ERR_SECTION_OUT_OF_FILE: return "section data outside the file";
	case MOD_ERR_STRTAB:		return "bad string table";
	case MOD_ERR_NAME:		return "name outside its string table";
	case MOD_ERR_ALIGN:		return "bad section alignment";
	case MOD_ERR_WX:		return "writable and executable section";
	case MOD_ERR_OVERFLOW:		return "module too large";
	case MOD_ERR_SYMTAB:		return "bad symbol table";
	case MOD_ERR_SYM_SHNDX:		return "bad symbol section index";
	case MOD_ERR_SYM_VALUE:		return "symbol outside its section";
	case MOD_ERR_COMMON:		return "common symbol";
	case MOD_ERR_RELA:		return "RELA relocations";
	case MOD_ERR_REL_LINK:		return "relocations without the symbol table";
	case MOD_ERR_REL_ENTSIZE:	return "bad relocation entry size";
	case MOD_ERR_REL_TARGET:	return "relocations of a wrong section";
	case MOD_ERR_REL_OFFSET:	return "relocation outside its section";
	case MOD_ERR_REL_TYPE:		return "unsupported relocation type";
	case MOD_ERR_SYM_INDEX:		return "symbol index out of range";
	case MOD_ERR_UNDEFINED:		return "undefined symbol";
	case MOD_ERR_NO_INIT:		return "no init function";
	default:			return "unknown error";
	}
}

/* ------------------------------------------------------------ reading */

/* Section header i; the table was checked to lie inside the file. */
static Elf32_Shdr shdr(const struct elf_file *f, unsigned int i)
{
	const uint8_t *p = f->blob + f->eh.e_shoff + (size_t)i * sizeof(Elf32_Shdr);
	Elf32_Shdr sh;

	elf32_read_shdr(p, &sh);
	return sh;
}

/* Symbol i (< f->nsyms) of the symbol table. */
static Elf32_Sym sym(const struct elf_file *f, unsigned int i)
{
	Elf32_Shdr sh = shdr(f, f->symtab);
	const uint8_t *p = f->blob + sh.sh_offset + (size_t)i * sizeof(Elf32_Sym);
	Elf32_Sym st;

	st.st_name = elf_le32(p + 0);
	st.st_value = elf_le32(p + 4);
	st.st_size = elf_le32(p + 8);
	st.st_info = p[12];
	st.st_other = p[13];
	st.st_shndx = elf_le16(p + 14);
	return st;
}

/* A name from string-table section strndx, checked by check_strtab() and
 * against its size by the caller: NUL-terminated inside the file. */
static const char *str_at(const struct elf_file *f, unsigned int strndx,
			  uint32_t off)
{
	return (const char *)f->blob + shdr(f, strndx).sh_offset + off;
}

static const char *sec_name(const struct elf_file *f, unsigned int i)
{
	return str_at(f, f->eh.e_shstrndx, shdr(f, i).sh_name);
}

static const char *sym_name(const struct elf_file *f, const Elf32_Sym *st)
{
	return str_at(f, f->strtab, st->st_name);
}

/* A symbol as messages name it: a section symbol by its section's name. */
static const char *sym_label(const struct elf_file *f, const Elf32_Sym *st)
{
	const char *name = sym_name(f, st);

	if (name[0])
		return name;
	if (ELF32_ST_TYPE(st->st_info) == STT_SECTION &&
	    st->st_shndx != SHN_UNDEF && st->st_shndx < f->shnum)
		return sec_name(f, st->st_shndx);
	return "unnamed";
}

static bool is_pow2(uint32_t x)
{
	return (x & (x - 1)) == 0;
}

static bool is_loaded(const Elf32_Shdr *sh)
{
	return sh->sh_type != SHT_NULL && (sh->sh_flags & SHF_ALLOC);
}

/* ------------------------------------------------------------ checking */

/* Section idx, named by what (e_shstrndx or a sh_link), must be a
 * non-empty SHT_STRTAB ending in a NUL, so that any offset below its
 * size starts a string that ends inside it. */
static int check_strtab(struct elf_file *f, uint32_t idx, const char *what)
{
	Elf32_Shdr sh;

	if (idx == SHN_UNDEF || idx >= f->shnum) {
		set_msg(f, "%s is %u: not a section index (the file has %u "
			"sections)", what, idx, f->shnum);
		return MOD_ERR_STRTAB;
	}
	sh = shdr(f, idx);
	if (sh.sh_type != SHT_STRTAB) {
		set_msg(f, "%s is %u: section %u has type %u, not SHT_STRTAB (3)",
			what, idx, idx, sh.sh_type);
		return MOD_ERR_STRTAB;
	}
	if (sh.sh_size == 0 || f->blob[sh.sh_offset + sh.sh_size - 1] != '\0') {
		set_msg(f, "%s is %u: string table of 0x%x bytes does not end "
			"in a NUL", what, idx, sh.sh_size);
		return MOD_ERR_STRTAB;
	}
	return MOD_OK;
}

/* The ELF header, the section header table, every section's file bytes,
 * the section names and the symbol table. */
static int check_file(struct elf_file *f)
{
	const uint8_t *b = f->blob;
	unsigned int nsymtab = 0;
	Elf32_Shdr sh;
	int err;

	if (f->size >= SELFMAG && (b[EI_MAG0] != ELFMAG0 || b[EI_MAG1] != ELFMAG1 ||
				   b[EI_MAG2] != ELFMAG2 || b[EI_MAG3] != ELFMAG3)) {
		set_msg(f, "not an ELF file (starts %02x %02x %02x %02x, expected "
			"7f 45 4c 46)", b[0], b[1], b[2], b[3]);
		return MOD_ERR_NOT_ELF;
	}
	if (f->size >= EI_NIDENT) {
		if (b[EI_CLASS] != ELFCLASS32) {
			set_msg(f, "ELF class %u (EI_CLASS), expected 1 (ELFCLASS32)%s",
				b[EI_CLASS], b[EI_CLASS] == ELFCLASS64 ?
				": a 64-bit object" : "");
			return MOD_ERR_CLASS;
		}
		if (b[EI_DATA] != ELFDATA2LSB) {
			set_msg(f, "ELF data encoding %u, expected 1 (ELFDATA2LSB, "
				"little-endian)", b[EI_DATA]);
			return MOD_ERR_ENDIAN;
		}
		if (b[EI_VERSION] != EV_CURRENT) {
			set_msg(f, "ELF identification version %u, expected 1 "
				"(EV_CURRENT)", b[EI_VERSION]);
			return MOD_ERR_VERSION;
		}
	}
	if (f->size < sizeof(Elf32_Ehdr)) {
		set_msg(f, "truncated file: %lu bytes, shorter than the %u-byte "
			"ELF32 header", (unsigned long)f->size,
			(unsigned int)sizeof(Elf32_Ehdr));
		return MOD_ERR_SHORT;
	}
	elf32_read_ehdr(b, &f->eh);
	if (f->eh.e_type != ET_REL) {
		set_msg(f, "e_type %u, expected 1 (ET_REL, a relocatable object "
			"such as cc -c makes)", f->eh.e_type);
		return MOD_ERR_TYPE;
	}
	if (f->eh.e_machine != EM_386) {
		set_msg(f, "e_machine %u, expected 3 (EM_386)", f->eh.e_machine);
		return MOD_ERR_MACHINE;
	}
	if (f->eh.e_version != EV_CURRENT) {
		set_msg(f, "e_version %u, expected 1 (EV_CURRENT)", f->eh.e_version);
		return MOD_ERR_VERSION;
	}
	if (f->eh.e_shentsize != sizeof(Elf32_Shdr)) {
		set_msg(f, "e_shentsize %u, expected %u (sizeof(Elf32_Shdr))",
			f->eh.e_shentsize, (unsigned int)sizeof(Elf32_Shdr));
		return MOD_ERR_SHENTSIZE;
	}
	f->shnum = f->eh.e_shnum;
	if (f->shnum == 0 || f->shnum > MODULE_MAX_SECTIONS) {
		set_msg(f, "e_shnum %u: a module has 1 to %u sections (extended "
			"numbering is not supported)", f->shnum, MODULE_MAX_SECTIONS);
		return MOD_ERR_SHNUM;
	}
	if ((uint64_t)f->eh.e_shoff + (uint64_t)f->shnum * sizeof(Elf32_Shdr) >
	    f->size) {
		set_msg(f, "section header table [0x%x-0x%llx) extends past the end "
			"of the file (0x%lx bytes): truncated file?", f->eh.e_shoff,
			(unsigned long long)f->eh.e_shoff + f->shnum * sizeof(Elf32_Shdr),
			(unsigned long)f->size);
		return MOD_ERR_SHDRS_OUT_OF_FILE;
	}

	for (unsigned int i = 1; i < f->shnum; i++) {
		sh = shdr(f, i);
		if (sh.sh_type == SHT_RELA) {
			set_msg(f, "section %u is SHT_RELA: i386 objects carry SHT_REL "
				"relocations", i);
			return MOD_ERR_RELA;
		}
		if (sh.sh_type != SHT_NULL && sh.sh_type != SHT_NOBITS &&
		    (uint64_t)sh.sh_offset + sh.sh_size > f->size) {
			set_msg(f, "section %u data [0x%x-0x%llx) extends past the end "
				"of the file (0x%lx bytes)", i, sh.sh_offset,
				(unsigned long long)sh.sh_offset + sh.sh_size,
				(unsigned long)f->size);
			return MOD_ERR_SECTION_OUT_OF_FILE;
		}
		if (!is_pow2(sh.sh_addralign) ||
		    (is_loaded(&sh) && sh.sh_addralign > MODULE_PAGE_SIZE)) {
			set_msg(f, "section %u sh_addralign 0x%x: not a power of two "
				"up to 0x%x", i, sh.sh_addralign, MODULE_PAGE_SIZE);
			return MOD_ERR_ALIGN;
		}
		if (sh.sh_type == SHT_SYMTAB) {
			nsymtab++;
			f->symtab = i;
		}
	}

	err = check_strtab(f, f->eh.e_shstrndx, "e_shstrndx");
	if (err)
		return err;
	for (unsigned int i = 1; i < f->shnum; i++) {
		uint32_t limit = shdr(f, f->eh.e_shstrndx).sh_size;

		sh = shdr(f, i);
		if (sh.sh_name >= limit) {
			set_msg(f, "section %u sh_name 0x%x is outside the section name "
				"table (0x%x bytes)", i, sh.sh_name, limit);
			return MOD_ERR_NAME;
		}
	}

	if (nsymtab != 1) {
		set_msg(f, "%u SHT_SYMTAB sections, expected exactly 1", nsymtab);
		return MOD_ERR_SYMTAB;
	}
	sh = shdr(f, f->symtab);
	if (sh.sh_entsize != sizeof(Elf32_Sym) || sh.sh_size % sizeof(Elf32_Sym) ||
	    sh.sh_size == 0) {
		set_msg(f, "symbol table (section %u) sh_entsize %u, sh_size 0x%x: "
			"expected a non-empty array of %u-byte entries", f->symtab,
			sh.sh_entsize, sh.sh_size, (unsigned int)sizeof(Elf32_Sym));
		return MOD_ERR_SYMTAB;
	}
	f->nsyms = sh.sh_size / sizeof(Elf32_Sym);
	err = check_strtab(f, sh.sh_link, "the symbol table's sh_link");
	if (err)
		return err;
	f->strtab = sh.sh_link;
	return MOD_OK;
}

static int open_elf(struct elf_file *f, const void *blob, size_t size,
		    char *msg, size_t msg_size)
{
	memset(f, 0, sizeof(*f));
	f->blob = blob;
	f->size = size;
	f->msg = msg;
	f->msg_size = msg_size;
	if (msg && msg_size)
		msg[0] = '\0';
	if (!blob) {
		set_msg(f, "no module");
		return MOD_ERR_ARG;
	}
	return check_file(f);
}

/* ------------------------------------------------------------ layout */

static enum module_group section_group(const Elf32_Shdr *sh)
{
	if (sh->sh_flags & SHF_EXECINSTR)
		return MOD_GROUP_TEXT;
	if (sh->sh_flags & SHF_WRITE)
		return MOD_GROUP_DATA;
	return MOD_GROUP_RODATA;
}

/* Places every SHF_ALLOC section: first at its offset inside its group,
 * then, once the group sizes are known, at its offset in the image. */
static int layout_sections(struct elf_file *f, struct module_layout *l)
{
	uint64_t cur[MOD_NR_GROUPS] = { 0 };
	uint64_t off = 0;

	for (unsigned int i = 0; i < MODULE_MAX_SECTIONS; i++)
		l->sec_offset[i] = MODULE_NOT_LOADED;
	for (unsigned int i = 1; i < f->shnum; i++) {
		Elf32_Shdr sh = shdr(f, i);
		enum module_group g;

		if (!is_loaded(&sh))
			continue;
		if ((sh.sh_flags & SHF_WRITE) && (sh.sh_flags & SHF_EXECINSTR)) {
			set_msg(f, "section %u (%.40s) is both writable and executable "
				"(sh_flags 0x%x)", i, sec_name(f, i), sh.sh_flags);
			return MOD_ERR_WX;
		}
		g = section_group(&sh);
		if (sh.sh_addralign > 1)
			cur[g] = (cur[g] + sh.sh_addralign - 1) &
				 ~(uint64_t)(sh.sh_addralign - 1);
		l->sec_offset[i] = (uint32_t)cur[g];
		cur[g] += sh.sh_size;
		if (cur[g] > MODULE_MAX_SIZE) {
			set_msg(f, "section %u (%.40s) of 0x%x bytes takes the module "
				"past 0x%x bytes", i, sec_name(f, i), sh.sh_size,
				MODULE_MAX_SIZE);
			return MOD_ERR_OVERFLOW;
		}
	}
	for (int g = 0; g < MOD_NR_GROUPS; g++) {
		uint64_t size = (cur[g] + MODULE_PAGE_SIZE - 1) &
				~(uint64_t)(MODULE_PAGE_SIZE - 1);

		l->group[g].offset = (uint32_t)off;
		l->group[g].size = (uint32_t)size;
		off += size;
	}
	if (off > MODULE_MAX_SIZE) {
		set_msg(f, "the module needs 0x%llx bytes, more than 0x%x",
			(unsigned long long)off, MODULE_MAX_SIZE);
		return MOD_ERR_OVERFLOW;
	}
	l->total_size = (uint32_t)off;
	for (unsigned int i = 1; i < f->shnum; i++) {
		Elf32_Shdr sh = shdr(f, i);

		if (is_loaded(&sh))
			l->sec_offset[i] += l->group[section_group(&sh)].offset;
	}
	return MOD_OK;
}

/* ------------------------------------------------------------ symbols */

/* Every symbol's name and section index; counts the undefined ones. */
static int check_symbols(struct elf_file *f, const struct module_layout *l,
			 uint32_t *nr_undefined)
{
	uint32_t names = shdr(f, f->strtab).sh_size;

	*nr_undefined = 0;
	for (unsigned int i = 1; i < f->nsyms; i++) {
		Elf32_Sym st = sym(f, i);
		unsigned int bind = ELF32_ST_BIND(st.st_info);

		if (st.st_name >= names) {
			set_msg(f, "symbol %u st_name 0x%x is outside the symbol name "
				"table (0x%x bytes)", i, st.st_name, names);
			return MOD_ERR_NAME;
		}
		if (st.st_shndx == SHN_UNDEF) {
			if (bind == STB_LOCAL) {
				set_msg(f, "symbol %u (%.40s) is local and undefined", i,
					sym_label(f, &st));
				return MOD_ERR_SYM_SHNDX;
			}
			(*nr_undefined)++;
		} else if (st.st_shndx == SHN_COMMON) {
			set_msg(f, "symbol %u (%.40s) is a common symbol (SHN_COMMON): "
				"build the module with -fno-common", i,
				sym_label(f, &st));
			return MOD_ERR_COMMON;
		} else if (st.st_shndx == SHN_ABS) {
			/* its value is its address */
		} else if (st.st_shndx >= f->shnum) {
			set_msg(f, "symbol %u (%.40s) st_shndx 0x%x is out of range "
				"(the file has %u sections)", i, sym_label(f, &st),
				st.st_shndx, f->shnum);
			return MOD_ERR_SYM_SHNDX;
		} else if (l->sec_offset[st.st_shndx] != MODULE_NOT_LOADED &&
			   st.st_value > shdr(f, st.st_shndx).sh_size) {
			set_msg(f, "symbol %u (%.40s) st_value 0x%x lies past the end "
				"of its section %u (0x%x bytes)", i, sym_label(f, &st),
				st.st_value, st.st_shndx,
				shdr(f, st.st_shndx).sh_size);
			return MOD_ERR_SYM_VALUE;
		}
	}
	return MOD_OK;
}

/*
 * The image offset of the global function called name: MOD_OK and *off,
 * -1 when there is none, or MOD_ERR_NO_INIT when it is not defined in a
 * loaded executable section.
 */
static int find_function(struct elf_file *f, const struct module_layout *l,
			 const char *name, uint32_t *off)
{
	for (unsigned int i = 1; i < f->nsyms; i++) {
		Elf32_Sym st = sym(f, i);
		unsigned int bind = ELF32_ST_BIND(st.st_info);

		if ((bind != STB_GLOBAL && bind != STB_WEAK) ||
		    strcmp(sym_name(f, &st), name) != 0)
			continue;
		if (st.st_shndx == SHN_UNDEF || st.st_shndx >= f->shnum ||
		    l->sec_offset[st.st_shndx] == MODULE_NOT_LOADED ||
		    !(shdr(f, st.st_shndx).sh_flags & SHF_EXECINSTR) ||
		    st.st_value >= shdr(f, st.st_shndx).sh_size) {
			set_msg(f, "%s (symbol %u, st_shndx 0x%x, st_value 0x%x) is "
				"not a function in a loaded text section", name, i,
				st.st_shndx, st.st_value);
			return MOD_ERR_NO_INIT;
		}
		*off = l->sec_offset[st.st_shndx] + st.st_value;
		return MOD_OK;
	}
	return -1;
}

static int find_init_exit(struct elf_file *f, const struct module_layout *l,
			  uint32_t *init, uint32_t *exit)
{
	int err = find_function(f, l, "init_module", init);

	if (err == -1) {
		set_msg(f, "no init function: the module defines no global "
			"init_module (use module_init())");
		return MOD_ERR_NO_INIT;
	}
	if (err)
		return err;
	err = find_function(f, l, "cleanup_module", exit);
	if (err == -1) {
		*exit = MODULE_NOT_LOADED;
		err = MOD_OK;
	}
	return err;
}

/* What the relocation pass needs to write; NULL while only checking. */
struct reloc_target {
	uint8_t *image;
	uint32_t base;
	module_lookup_t lookup;
	void *ctx;
};

/* The run-time value S of symbol st (index i) for a relocation. */
static int symbol_value(struct elf_file *f, const struct module_layout *l,
			const struct reloc_target *t, unsigned int i,
			const Elf32_Sym *st, uint32_t *value)
{
	if (i == STN_UNDEF) {
		*value = 0;
	} else if (st->st_shndx == SHN_UNDEF) {
		if (t->lookup(t->ctx, sym_name(f, st), value) == 0)
			return MOD_OK;
		if (ELF32_ST_BIND(st->st_info) != STB_WEAK) {
			set_msg(f, "undefined symbol %.60s (symbol %u)",
				sym_name(f, st), i);
			return MOD_ERR_UNDEFINED;
		}
		*value = 0;
	} else if (st->st_shndx == SHN_ABS) {
		*value = st->st_value;
	} else {
		*value = t->base + l->sec_offset[st->st_shndx] + st->st_value;
	}
	return MOD_OK;
}

/*
 * simplify_symbols - ask the lookup for every undefined symbol once, so
 * that an unknown one is named before any relocation is applied.
 */
static int simplify_symbols(struct elf_file *f, const struct module_layout *l,
			    const struct reloc_target *t, uint32_t *nr_resolved)
{
	*nr_resolved = 0;
	for (unsigned int i = 1; i < f->nsyms; i++) {
		Elf32_Sym st = sym(f, i);
		uint32_t value;
		int err;

		if (st.st_shndx != SHN_UNDEF)
			continue;
		err = symbol_value(f, l, t, i, &st, &value);
		if (err)
			return err;
		(*nr_resolved)++;
	}
	return MOD_OK;
}

/* ------------------------------------------------------------ relocations */

static const char *rel_type_name(unsigned int type)
{
	switch (type) {
	case R_386_GOT32:	return " (R_386_GOT32: build the module with -fno-pic)";
	case R_386_GOTOFF:	return " (R_386_GOTOFF: build the module with -fno-pic)";
	case R_386_GOTPC:	return " (R_386_GOTPC: build the module with -fno-pic)";
	default:		return "";
	}
}

/* One SHT_REL section's header: its symbol table and its target. */
static int check_rel_section(struct elf_file *f, unsigned int i,
			     const Elf32_Shdr *sh)
{
	Elf32_Shdr target;

	if (sh->sh_link != f->symtab) {
		set_msg(f, "relocation section %u (%.40s) sh_link %u is not the "
			"symbol table (section %u)", i, sec_name(f, i), sh->sh_link,
			f->symtab);
		return MOD_ERR_REL_LINK;
	}
	if (sh->sh_entsize != sizeof(Elf32_Rel) || sh->sh_size % sizeof(Elf32_Rel)) {
		set_msg(f, "relocation section %u (%.40s) sh_entsize %u, sh_size "
			"0x%x: expected an array of %u-byte Elf32_Rel", i,
			sec_name(f, i), sh->sh_entsize, sh->sh_size,
			(unsigned int)sizeof(Elf32_Rel));
		return MOD_ERR_REL_ENTSIZE;
	}
	if (sh->sh_info == SHN_UNDEF || sh->sh_info >= f->shnum) {
		set_msg(f, "relocation section %u (%.40s) sh_info %u is not a "
			"section index (the file has %u sections)", i,
			sec_name(f, i), sh->sh_info, f->shnum);
		return MOD_ERR_REL_TARGET;
	}
	target = shdr(f, sh->sh_info);
	if (!is_loaded(&target) || target.sh_type == SHT_NOBITS) {
		set_msg(f, "relocation section %u (%.40s) targets section %u "
			"(%.40s), which is %s", i, sec_name(f, i), sh->sh_info,
			sec_name(f, sh->sh_info),
			!is_loaded(&target) ? "not SHF_ALLOC (built with -g?)" :
					      "SHT_NOBITS");
		return MOD_ERR_REL_TARGET;
	}
	return MOD_OK;
}

/*
 * apply_relocate - walk every SHT_REL section; with t NULL only check each
 * entry, otherwise also patch the image (i386 psABI, implicit addend A
 * read from the place P):
 *	R_386_32			S + A
 *	R_386_PC32, R_386_PLT32		S + A - P
 */
static int apply_relocate(struct elf_file *f, const struct module_layout *l,
			  const struct reloc_target *t, uint32_t *nr_relocs)
{
	*nr_relocs = 0;
	for (unsigned int i = 1; i < f->shnum; i++) {
		Elf32_Shdr sh = shdr(f, i), target;
		int err;

		if (sh.sh_type != SHT_REL)
			continue;
		err = check_rel_section(f, i, &sh);
		if (err)
			return err;
		target = shdr(f, sh.sh_info);

		for (uint32_t j = 0; j < sh.sh_size / sizeof(Elf32_Rel); j++) {
			const uint8_t *p = f->blob + sh.sh_offset + j * sizeof(Elf32_Rel);
			uint32_t r_offset = elf_le32(p), r_info = elf_le32(p + 4);
			unsigned int type = ELF32_R_TYPE(r_info);
			unsigned int symidx = ELF32_R_SYM(r_info);
			uint32_t s, a, place;
			uint8_t *loc;
			Elf32_Sym st;

			if (type == R_386_NONE)
				continue;
			if (type != R_386_32 && type != R_386_PC32 &&
			    type != R_386_PLT32) {
				set_msg(f, "relocation %u of section %u (%.40s) has "
					"unsupported type %u%s", j, i, sec_name(f, i),
					type, rel_type_name(type));
				return MOD_ERR_REL_TYPE;
			}
			if (target.sh_size < 4 || r_offset > target.sh_size - 4) {
				set_msg(f, "relocation %u of section %u (%.40s) at "
					"r_offset 0x%x does not fit in its 0x%x-byte "
					"target section %u", j, i, sec_name(f, i),
					r_offset, target.sh_size, sh.sh_info);
				return MOD_ERR_REL_OFFSET;
			}
			if (symidx >= f->nsyms) {
				set_msg(f, "relocation %u of section %u (%.40s) names "
					"symbol %u, past the %u symbols", j, i,
					sec_name(f, i), symidx, f->nsyms);
				return MOD_ERR_SYM_INDEX;
			}
			st = sym(f, symidx);
			if (symidx != STN_UNDEF && st.st_shndx != SHN_UNDEF &&
			    st.st_shndx != SHN_ABS &&
			    l->sec_offset[st.st_shndx] == MODULE_NOT_LOADED) {
				set_msg(f, "relocation %u of section %u (%.40s) uses "
					"symbol %u (%.40s) of section %u, which is not "
					"loaded", j, i, sec_name(f, i), symidx,
					sym_label(f, &st), st.st_shndx);
				return MOD_ERR_SYM_SHNDX;
			}
			(*nr_relocs)++;
			if (!t)
				continue;

			err = symbol_value(f, l, t, symidx, &st, &s);
			if (err)
				return err;
			loc = t->image + l->sec_offset[sh.sh_info] + r_offset;
			place = t->base + l->sec_offset[sh.sh_info] + r_offset;
			a = elf_le32(loc);
			if (type == R_386_32)
				elf_put_le32(loc, s + a);
			else
				elf_put_le32(loc, s + a - place);
		}
	}
	return MOD_OK;
}

/* ------------------------------------------------------------ entry points */

int module_layout(const void *blob, size_t size, struct module_layout *layout,
		  char *msg, size_t msg_size)
{
	struct elf_file f;
	int err;

	err = open_elf(&f, blob, size, msg, msg_size);
	if (err)
		return err;
	if (!layout) {
		set_msg(&f, "no layout");
		return MOD_ERR_ARG;
	}
	memset(layout, 0, sizeof(*layout));
	err = layout_sections(&f, layout);
	if (!err)
		err = check_symbols(&f, layout, &layout->nr_undefined);
	if (!err)
		err = apply_relocate(&f, layout, NULL, &layout->nr_relocs);
	if (!err)
		err = find_init_exit(&f, layout, &layout->init_offset,
				     &layout->exit_offset);
	if (err)
		return err;
	layout->nr_sections = f.shnum;
	layout->symtab_index = f.symtab;
	layout->nr_syms = f.nsyms;
	return MOD_OK;
}

/* Whether layout can be this file's: every loaded section inside the
 * image, nothing else placed. It cannot tell a stale but self-consistent
 * layout, which is harmless: the image would be wrong, not overrun. */
static bool layout_fits(struct elf_file *f, const struct module_layout *l)
{
	if (l->nr_sections != f->shnum || l->symtab_index != f->symtab ||
	    l->nr_syms != f->nsyms || l->total_size > MODULE_MAX_SIZE ||
	    l->total_size % MODULE_PAGE_SIZE)
		return false;
	for (unsigned int i = 1; i < f->shnum; i++) {
		Elf32_Shdr sh = shdr(f, i);
		uint32_t off = l->sec_offset[i];

		if (!is_loaded(&sh)) {
			if (off != MODULE_NOT_LOADED)
				return false;
		} else if (off == MODULE_NOT_LOADED ||
			   (uint64_t)off + sh.sh_size > l->total_size) {
			return false;
		}
	}
	return true;
}

int module_relocate(const void *blob, size_t size,
		    const struct module_layout *layout,
		    uint32_t base, void *image,
		    module_lookup_t lookup, void *lookup_ctx,
		    struct module_result *result, char *msg, size_t msg_size)
{
	struct reloc_target t = { image, base, lookup, lookup_ctx };
	struct module_result r = { 0 };
	uint32_t init, exit, nr_undefined;
	struct elf_file f;
	int err;

	err = open_elf(&f, blob, size, msg, msg_size);
	if (err)
		return err;
	if (!layout || !image || !lookup || !result) {
		set_msg(&f, "no layout, image, lookup or result");
		return MOD_ERR_ARG;
	}
	if (!layout_fits(&f, layout)) {
		set_msg(&f, "the layout was not computed for this module");
		return MOD_ERR_ARG;
	}
	err = check_symbols(&f, layout, &nr_undefined);
	if (err)
		return err;

	memset(image, 0, layout->total_size);
	for (unsigned int i = 1; i < f.shnum; i++) {
		Elf32_Shdr sh = shdr(&f, i);

		if (is_loaded(&sh) && sh.sh_type != SHT_NOBITS)
			memcpy((uint8_t *)image + layout->sec_offset[i],
			       f.blob + sh.sh_offset, sh.sh_size);
	}

	err = simplify_symbols(&f, layout, &t, &r.nr_undefined);
	if (!err)
		err = apply_relocate(&f, layout, &t, &r.nr_relocs);
	if (!err)
		err = find_init_exit(&f, layout, &init, &exit);
	if (err)
		return err;
	r.init = base + init;
	r.exit = exit == MODULE_NOT_LOADED ? 0 : base + exit;
	*result = r;
	return MOD_OK;
}
