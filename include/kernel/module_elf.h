/* SPDX-License-Identifier: MIT */
/*
 * Checking, laying out and relocating a module: an ELF32 relocatable
 * object (ET_REL, EM_386) as the System V gABI and the i386 psABI define
 * it. Pure code (no page tables, no allocation, no printk), built into the
 * kernel (kernel/module.c) and into the host tests and the fuzzer.
 *
 * Two steps, so that the caller can allocate in between:
 *
 *	module_layout(blob, size, &layout, msg, msg_size)
 *		checks the whole file and computes where each SHF_ALLOC
 *		section goes in an image of layout.total_size bytes;
 *	module_relocate(blob, size, &layout, base, image, lookup, ctx,
 *			&result, msg, msg_size)
 *		fills that image (which will run at address base), resolves
 *		the undefined symbols through lookup, applies the relocations
 *		and returns the addresses of the init and exit functions.
 *
 * The image holds three groups, each starting on a page boundary so that
 * each can get its own protection: text (SHF_EXECINSTR: read, execute),
 * rodata (SHF_ALLOC without SHF_WRITE: read only) and data (SHF_WRITE,
 * bss included: read, write). Inside a group the sections follow in
 * section-header order, each aligned to its sh_addralign.
 *
 * Conventions a module follows (include/kernel/module.h has the macros):
 *   - a global function "init_module" (int (void)) is required; a global
 *     "cleanup_module" (void (void)) is optional. module_init(fn) and
 *     module_exit(fn) make them aliases of fn;
 *   - built with -fno-pic (so only R_386_32 and R_386_PC32 / R_386_PLT32
 *     appear), -fno-common (no SHN_COMMON symbols), and without -g (the
 *     relocations of debug sections target sections that are not loaded,
 *     which is refused like any relocation of an unloaded section).
 */
#ifndef KERNEL_MODULE_ELF_H
#define KERNEL_MODULE_ELF_H

#include <stddef.h>
#include <stdint.h>

#define MODULE_MSG_MAX		192	/* message buffer, NUL included */
#define MODULE_MAX_SECTIONS	128	/* e_shnum limit (no extended numbering) */
#define MODULE_MAX_SIZE		(16u << 20)	/* image size limit, bytes */
#define MODULE_PAGE_SIZE	4096u
#define MODULE_NOT_LOADED	0xffffffffu	/* sec_offset of a non-SHF_ALLOC section */

/* Error codes, all negative; module_strerror() names each one. */
enum module_err {
	MOD_OK = 0,
	MOD_ERR_ARG = -1,		/* NULL blob/layout/image, or a layout that
					   does not belong to this blob */
	MOD_ERR_SHORT = -2,		/* shorter than the ELF header */
	MOD_ERR_NOT_ELF = -3,		/* no \177ELF magic */
	MOD_ERR_CLASS = -4,		/* not ELFCLASS32 */
	MOD_ERR_ENDIAN = -5,		/* not ELFDATA2LSB */
	MOD_ERR_VERSION = -6,		/* EI_VERSION or e_version not EV_CURRENT */
	MOD_ERR_TYPE = -7,		/* e_type not ET_REL */
	MOD_ERR_MACHINE = -8,		/* e_machine not EM_386 */
	MOD_ERR_SHENTSIZE = -9,		/* e_shentsize not sizeof(Elf32_Shdr) */
	MOD_ERR_SHNUM = -10,		/* no section headers, or too many */
	MOD_ERR_SHDRS_OUT_OF_FILE = -11, /* section header table past EOF */
	MOD_ERR_SECTION_OUT_OF_FILE = -12, /* a section's bytes past EOF */
	MOD_ERR_STRTAB = -13,		/* e_shstrndx or a sh_link is not a
					   NUL-terminated SHT_STRTAB */
	MOD_ERR_NAME = -14,		/* sh_name/st_name past its string table */
	MOD_ERR_ALIGN = -15,		/* sh_addralign not a power of two, or
					   over a page for a loaded section */
	MOD_ERR_WX = -16,		/* a section both writable and executable */
	MOD_ERR_OVERFLOW = -17,		/* sizes wrap or exceed MODULE_MAX_SIZE */
	MOD_ERR_SYMTAB = -18,		/* no SHT_SYMTAB, two, or a malformed one */
	MOD_ERR_SYM_SHNDX = -19,	/* st_shndx out of range, reserved, or an
					   unloaded section used by a relocation */
	MOD_ERR_SYM_VALUE = -20,	/* st_value past the end of its section */
	MOD_ERR_COMMON = -21,		/* SHN_COMMON symbol (build -fno-common) */
	MOD_ERR_RELA = -22,		/* SHT_RELA (i386 objects use SHT_REL) */
	MOD_ERR_REL_LINK = -23,		/* a SHT_REL's sh_link not the symtab */
	MOD_ERR_REL_ENTSIZE = -24,	/* a SHT_REL's sh_entsize/sh_size wrong */
	MOD_ERR_REL_TARGET = -25,	/* sh_info out of range, or not a loaded
					   PROGBITS-like section */
	MOD_ERR_REL_OFFSET = -26,	/* r_offset outside the target section */
	MOD_ERR_REL_TYPE = -27,		/* relocation type not supported */
	MOD_ERR_SYM_INDEX = -28,	/* ELF32_R_SYM past the symbol table */
	MOD_ERR_UNDEFINED = -29,	/* the lookup does not know a symbol */
	MOD_ERR_NO_INIT = -30,		/* no init_module in a text section */
};

/* The image's three groups, in image order. */
enum module_group {
	MOD_GROUP_TEXT,
	MOD_GROUP_RODATA,
	MOD_GROUP_DATA,
	MOD_NR_GROUPS
};

struct module_layout {
	uint32_t total_size;		/* image bytes, a page multiple */
	struct {
		uint32_t offset;	/* page aligned offset in the image */
		uint32_t size;		/* page multiple; 0 for an empty group */
	} group[MOD_NR_GROUPS];
	uint32_t nr_sections;		/* e_shnum */
	uint32_t symtab_index;		/* the SHT_SYMTAB section */
	uint32_t nr_syms;		/* its entries, the null one included */
	uint32_t nr_relocs;		/* entries over all SHT_REL sections */
	uint32_t nr_undefined;		/* symbols the lookup must resolve */
	uint32_t init_offset;		/* init_module's image offset */
	uint32_t exit_offset;		/* cleanup_module's, or MODULE_NOT_LOADED */
	/* Image offset of each section, MODULE_NOT_LOADED unless SHF_ALLOC. */
	uint32_t sec_offset[MODULE_MAX_SECTIONS];
};

/*
 * The resolver of undefined symbols: stores the address of name in *value
 * and returns 0, or returns non-zero when it does not know the name. It
 * may be called more than once for one name and must answer the same.
 */
typedef int (*module_lookup_t)(void *ctx, const char *name, uint32_t *value);

struct module_result {
	uint32_t init;			/* address of init_module (base + offset) */
	uint32_t exit;			/* address of cleanup_module, or 0 */
	uint32_t nr_relocs;		/* relocations applied */
	uint32_t nr_undefined;		/* undefined symbols resolved */
};

/*
 * Checks the module of size bytes at blob and computes its layout. On
 * success returns MOD_OK; on a fault returns its MOD_ERR_* code and, when
 * msg is given, writes a one-line message naming the fault with its
 * numbers (no trailing newline) into msg[msg_size].
 */
int module_layout(const void *blob, size_t size, struct module_layout *layout,
		  char *msg, size_t msg_size);

/*
 * Builds the module into image (layout->total_size bytes, page aligned,
 * writable here), which will run at address base: zeroes it, copies each
 * loaded section, resolves the undefined symbols (a weak undefined symbol
 * the lookup does not know becomes 0), applies every relocation and fills
 * *result. The blob is checked again, so a layout computed for another
 * blob is refused rather than trusted. Errors as module_layout's; the
 * image is then garbage.
 */
int module_relocate(const void *blob, size_t size,
		    const struct module_layout *layout,
		    uint32_t base, void *image,
		    module_lookup_t lookup, void *lookup_ctx,
		    struct module_result *result, char *msg, size_t msg_size);

/* A short fixed name for an error code ("undefined symbol", ...). */
const char *module_strerror(int err);

#endif /* KERNEL_MODULE_ELF_H */
