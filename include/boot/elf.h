/* SPDX-License-Identifier: MIT */
/*
 * ELF definitions for 32-bit x86 objects (System V ABI, "Tool Interface
 * Standard ELF Specification" 1.2, and its i386 supplement), named as the
 * specification names them: executables for the UEFI loader, relocatable
 * objects (section headers, symbols, REL relocations) for the module
 * loader (kernel/module_elf.c). Only the ELF64 identification constants
 * are here: both recognise an ELF64 file only to reject it.
 */
#ifndef BOOT_ELF_H
#define BOOT_ELF_H

#include <stdint.h>

typedef uint32_t Elf32_Addr;
typedef uint16_t Elf32_Half;
typedef uint32_t Elf32_Off;
typedef int32_t  Elf32_Sword;
typedef uint32_t Elf32_Word;

/* e_ident[] */
#define EI_MAG0		0
#define EI_MAG1		1
#define EI_MAG2		2
#define EI_MAG3		3
#define EI_CLASS	4
#define EI_DATA		5
#define EI_VERSION	6
#define EI_OSABI	7
#define EI_ABIVERSION	8
#define EI_PAD		9
#define EI_NIDENT	16

#define ELFMAG0		0x7f
#define ELFMAG1		'E'
#define ELFMAG2		'L'
#define ELFMAG3		'F'
#define ELFMAG		"\177ELF"
#define SELFMAG		4

#define ELFCLASSNONE	0
#define ELFCLASS32	1
#define ELFCLASS64	2

#define ELFDATANONE	0
#define ELFDATA2LSB	1
#define ELFDATA2MSB	2

#define EV_NONE		0
#define EV_CURRENT	1

/* e_type */
#define ET_NONE		0
#define ET_REL		1
#define ET_EXEC		2
#define ET_DYN		3
#define ET_CORE		4

/* e_machine */
#define EM_NONE		0
#define EM_386		3
#define EM_X86_64	62

typedef struct {
	unsigned char e_ident[EI_NIDENT];
	Elf32_Half e_type;
	Elf32_Half e_machine;
	Elf32_Word e_version;
	Elf32_Addr e_entry;
	Elf32_Off  e_phoff;
	Elf32_Off  e_shoff;
	Elf32_Word e_flags;
	Elf32_Half e_ehsize;
	Elf32_Half e_phentsize;
	Elf32_Half e_phnum;
	Elf32_Half e_shentsize;
	Elf32_Half e_shnum;
	Elf32_Half e_shstrndx;
} Elf32_Ehdr;

/* Program headers: p_type */
#define PT_NULL		0
#define PT_LOAD		1
#define PT_DYNAMIC	2
#define PT_INTERP	3
#define PT_NOTE		4
#define PT_SHLIB	5
#define PT_PHDR		6
#define PT_TLS		7
#define PT_GNU_STACK	0x6474e551

/* p_flags */
#define PF_X		0x1
#define PF_W		0x2
#define PF_R		0x4

typedef struct {
	Elf32_Word p_type;
	Elf32_Off  p_offset;
	Elf32_Addr p_vaddr;
	Elf32_Addr p_paddr;
	Elf32_Word p_filesz;
	Elf32_Word p_memsz;
	Elf32_Word p_flags;
	Elf32_Word p_align;
} Elf32_Phdr;

/* Sections: sh_type */
#define SHT_NULL	0
#define SHT_PROGBITS	1
#define SHT_SYMTAB	2
#define SHT_STRTAB	3
#define SHT_RELA	4
#define SHT_HASH	5
#define SHT_DYNAMIC	6
#define SHT_NOTE	7
#define SHT_NOBITS	8
#define SHT_REL		9
#define SHT_DYNSYM	11
#define SHT_INIT_ARRAY	14
#define SHT_FINI_ARRAY	15
#define SHT_PREINIT_ARRAY 16
#define SHT_GROUP	17
#define SHT_SYMTAB_SHNDX 18

/* sh_flags */
#define SHF_WRITE	0x1
#define SHF_ALLOC	0x2
#define SHF_EXECINSTR	0x4
#define SHF_MERGE	0x10
#define SHF_STRINGS	0x20
#define SHF_INFO_LINK	0x40
#define SHF_GROUP	0x200
#define SHF_TLS		0x400

/* Special section indexes */
#define SHN_UNDEF	0
#define SHN_LORESERVE	0xff00
#define SHN_ABS		0xfff1
#define SHN_COMMON	0xfff2
#define SHN_XINDEX	0xffff	/* the real index is elsewhere (unsupported) */
#define SHN_HIRESERVE	0xffff

typedef struct {
	Elf32_Word sh_name;
	Elf32_Word sh_type;
	Elf32_Word sh_flags;
	Elf32_Addr sh_addr;
	Elf32_Off  sh_offset;
	Elf32_Word sh_size;
	Elf32_Word sh_link;
	Elf32_Word sh_info;
	Elf32_Word sh_addralign;
	Elf32_Word sh_entsize;
} Elf32_Shdr;

/* Symbols */
#define STB_LOCAL	0
#define STB_GLOBAL	1
#define STB_WEAK	2

#define STT_NOTYPE	0
#define STT_OBJECT	1
#define STT_FUNC	2
#define STT_SECTION	3
#define STT_FILE	4
#define STT_COMMON	5
#define STT_TLS		6

#define STN_UNDEF	0	/* symbol index 0: no symbol, value 0 */

#define ELF32_ST_BIND(i)	((i) >> 4)
#define ELF32_ST_TYPE(i)	((i) & 0xf)
#define ELF32_ST_INFO(b, t)	(((b) << 4) + ((t) & 0xf))

typedef struct {
	Elf32_Word    st_name;
	Elf32_Addr    st_value;
	Elf32_Word    st_size;
	unsigned char st_info;
	unsigned char st_other;
	Elf32_Half    st_shndx;
} Elf32_Sym;

/* Relocations (i386 psABI) */
#define ELF32_R_SYM(i)		((i) >> 8)
#define ELF32_R_TYPE(i)		((unsigned char)(i))
#define ELF32_R_INFO(s, t)	(((s) << 8) + (unsigned char)(t))

#define R_386_NONE	0
#define R_386_32	1
#define R_386_PC32	2
#define R_386_GOT32	3	/* the GOT/PIC types are named in messages only */
#define R_386_PLT32	4
#define R_386_GOTOFF	9
#define R_386_GOTPC	10

typedef struct {
	Elf32_Addr r_offset;
	Elf32_Word r_info;
} Elf32_Rel;

typedef struct {
	Elf32_Addr  r_offset;
	Elf32_Word  r_info;
	Elf32_Sword r_addend;
} Elf32_Rela;

_Static_assert(sizeof(Elf32_Ehdr) == 52, "Elf32_Ehdr layout");
_Static_assert(sizeof(Elf32_Phdr) == 32, "Elf32_Phdr layout");
_Static_assert(sizeof(Elf32_Shdr) == 40, "Elf32_Shdr layout");
_Static_assert(sizeof(Elf32_Sym) == 16, "Elf32_Sym layout");
_Static_assert(sizeof(Elf32_Rel) == 8, "Elf32_Rel layout");

/*
 * Little-endian field reads and writes: ELF headers and tables may sit at
 * any file offset, so they are read byte by byte, never cast in place.
 * Shared by the kernel checker (efi/elf_kernel.c) and the module loader
 * (kernel/module_elf.c).
 */
static inline uint16_t elf_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static inline uint32_t elf_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 |
	       (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline void elf_put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* The ELF header at p, which holds at least sizeof(Elf32_Ehdr) bytes. */
static inline void elf32_read_ehdr(const uint8_t *p, Elf32_Ehdr *eh)
{
	for (int i = 0; i < EI_NIDENT; i++)
		eh->e_ident[i] = p[i];
	eh->e_type = elf_le16(p + 16);
	eh->e_machine = elf_le16(p + 18);
	eh->e_version = elf_le32(p + 20);
	eh->e_entry = elf_le32(p + 24);
	eh->e_phoff = elf_le32(p + 28);
	eh->e_shoff = elf_le32(p + 32);
	eh->e_flags = elf_le32(p + 36);
	eh->e_ehsize = elf_le16(p + 40);
	eh->e_phentsize = elf_le16(p + 42);
	eh->e_phnum = elf_le16(p + 44);
	eh->e_shentsize = elf_le16(p + 46);
	eh->e_shnum = elf_le16(p + 48);
	eh->e_shstrndx = elf_le16(p + 50);
}

/* The section header at p, which holds at least sizeof(Elf32_Shdr) bytes. */
static inline void elf32_read_shdr(const uint8_t *p, Elf32_Shdr *sh)
{
	sh->sh_name = elf_le32(p + 0);
	sh->sh_type = elf_le32(p + 4);
	sh->sh_flags = elf_le32(p + 8);
	sh->sh_addr = elf_le32(p + 12);
	sh->sh_offset = elf_le32(p + 16);
	sh->sh_size = elf_le32(p + 20);
	sh->sh_link = elf_le32(p + 24);
	sh->sh_info = elf_le32(p + 28);
	sh->sh_addralign = elf_le32(p + 32);
	sh->sh_entsize = elf_le32(p + 36);
}

#endif /* BOOT_ELF_H */
