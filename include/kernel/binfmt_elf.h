/* SPDX-License-Identifier: MIT */
/*
 * The pure half of exec (kernel/binfmt_elf.c, also host-tested): the
 * checks of an ELF32 executable for i386 (System V gABI and the i386
 * psABI; Linux's fs/binfmt_elf.c for what a loader refuses) and the
 * initial process stack of Linux's create_elf_tables: argc, the argv
 * pointers, NULL, the envp pointers, NULL, the auxiliary vector, and the
 * strings at the top. No allocation, no printk, no user memory access.
 */
#ifndef KERNEL_BINFMT_ELF_H
#define KERNEL_BINFMT_ELF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "boot/elf.h"

#define ELF_MAX_PHNUM		128	/* the table fits a page, as Linux needs */
#define ELF_PAGE_SIZE		4096u
#define ELF_TASK_SIZE		0xc0000000u	/* user space ends here */
#define ELF_MIN_ADDR		0x10000u	/* mmap_min_addr: nothing maps below */
/* Where an ET_DYN (static-pie) executable is loaded: Linux's
 * ELF_ET_DYN_BASE for ia32 tasks, fixed (no randomization). */
#define ELF_ET_DYN_BASE		0x00400000u
#define ELF_MSG_MAX		128

/* Auxiliary vector types (Linux's uapi/linux/auxvec.h). */
#define AT_NULL		0
#define AT_PHDR		3
#define AT_PHENT	4
#define AT_PHNUM	5
#define AT_PAGESZ	6
#define AT_BASE		7
#define AT_FLAGS	8
#define AT_ENTRY	9
#define AT_UID		11
#define AT_EUID		12
#define AT_GID		13
#define AT_EGID		14
#define AT_PLATFORM	15
#define AT_HWCAP	16
#define AT_CLKTCK	17
#define AT_SECURE	23
#define AT_RANDOM	25
#define AT_EXECFN	31
#define ELF_AUXV_WORDS	(2 * 20)	/* the pairs create_elf_tables writes, AT_NULL included */

/* What elf_check_exec learnt of a good executable. */
struct elf_exec_info {
	uint32_t load_bias;		/* 0 for ET_EXEC, ELF_ET_DYN_BASE for ET_DYN */
	uint32_t entry;			/* e_entry + load_bias */
	uint32_t phdr_addr;		/* where the program headers are mapped (AT_PHDR) */
	uint32_t phnum;
	uint32_t start_code, end_code;	/* the executable PT_LOAD (+ bias) */
	uint32_t start_data, end_data;	/* end of file data of the last PT_LOAD */
	uint32_t brk;			/* end of the highest segment (bss included) */
	bool exec_stack;		/* PT_GNU_STACK with PF_X */
};

/*
 * elf_check_exec - whether the file of file_size bytes whose header is
 * ehdr and whose program headers are phdrs (ehdr->e_phnum of them, read
 * from e_phoff; NULL to check the header alone) can be loaded: ET_EXEC or
 * ET_DYN, EM_386, ELFCLASS32, ELFDATA2LSB, EV_CURRENT, e_phentsize 32,
 * 1..ELF_MAX_PHNUM headers within the file, a PT_LOAD at least; each
 * PT_LOAD within [ELF_MIN_ADDR, ELF_TASK_SIZE) after the bias, p_filesz
 * <= p_memsz, its bytes within the file, p_align a power of two (or 0),
 * p_vaddr and p_offset congruent modulo the page size; no PT_INTERP (no
 * dynamic loader). 0 and *info filled, or -ENOEXEC with one line naming
 * the fault in msg.
 */
int elf_check_exec(const Elf32_Ehdr *ehdr, const Elf32_Phdr *phdrs, uint64_t file_size,
		   struct elf_exec_info *info, char *msg, size_t msg_size);

/* The auxv values that are not addresses on the new stack. */
struct elf_auxv_in {
	uint32_t phdr, phent, phnum, base, flags, entry;
	uint32_t uid, euid, gid, egid, secure;
	uint32_t hwcap, clktck;
	uint8_t random[16];		/* AT_RANDOM's bytes */
	const char *platform;		/* AT_PLATFORM's string ("i686") */
};

/* Where create_elf_tables put things (user addresses). */
struct elf_stack_layout {
	uint32_t sp;			/* the initial esp: argc there, 16-byte aligned */
	uint32_t arg_start, arg_end, env_start, env_end;
	uint32_t execfn;		/* AT_EXECFN's string */
	uint32_t auxv[ELF_AUXV_WORDS];	/* the pairs written (mm->saved_auxv) */
	uint32_t auxv_words;		/* of them, AT_NULL's pair included */
};

/*
 * create_elf_tables - the initial stack below top (a user address, page
 * aligned): buf holds the bytes of [top - buf_size, top), as the new
 * stack will; the bytes from layout->sp to top are written, the rest of
 * buf is left. From the top down: a zero word, the execfn string, the
 * envp strings, the argv strings (in order, each NUL-ended), the platform
 * string, the 16 random bytes; then, 16-byte aligned, argc, argv[],
 * NULL, envp[], NULL and the auxv pairs, ending with AT_NULL. 0, or
 * -E2BIG when buf_size is too small.
 */
int create_elf_tables(uint8_t *buf, size_t buf_size, uint32_t top,
		      const char *const argv[], int argc,
		      const char *const envp[], int envc, const char *execfn,
		      const struct elf_auxv_in *aux, struct elf_stack_layout *layout);

#endif /* KERNEL_BINFMT_ELF_H */
