/* SPDX-License-Identifier: MIT */
/*
 * The pure half of exec: checking an ELF32 i386 executable and laying out
 * its initial stack as Linux's fs/binfmt_elf.c (load_elf_binary's checks,
 * create_elf_tables) does, on the System V gABI and i386 psABI's terms.
 * Built into the kernel (kernel/exec.c) and into tests/host/test_binfmt_elf.c.
 */
#include <stdarg.h>
#include "kernel/binfmt_elf.h"
#include "kernel/errno.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"

static int refuse(char *msg, size_t msg_size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, msg_size, fmt, ap);
	va_end(ap);
	return -ENOEXEC;
}

static int check_header(const Elf32_Ehdr *e, uint64_t file_size, char *msg, size_t n)
{
	uint64_t table_end;

	if (file_size < sizeof(*e))
		return refuse(msg, n, "shorter than an ELF header (%llu bytes)",
			      (unsigned long long)file_size);
	if (memcmp(e->e_ident, ELFMAG, SELFMAG))
		return refuse(msg, n, "not an ELF file (no \\177ELF magic)");
	if (e->e_ident[EI_CLASS] != ELFCLASS32)
		return refuse(msg, n, "ELF class %u, not ELFCLASS32", e->e_ident[EI_CLASS]);
	if (e->e_ident[EI_DATA] != ELFDATA2LSB)
		return refuse(msg, n, "ELF data encoding %u, not little-endian",
			      e->e_ident[EI_DATA]);
	if (e->e_ident[EI_VERSION] != EV_CURRENT || e->e_version != EV_CURRENT)
		return refuse(msg, n, "ELF version %u/%u, not EV_CURRENT",
			      e->e_ident[EI_VERSION], e->e_version);
	if (e->e_type != ET_EXEC && e->e_type != ET_DYN)
		return refuse(msg, n, "e_type %u, not ET_EXEC or ET_DYN", e->e_type);
	if (e->e_machine != EM_386)
		return refuse(msg, n, "e_machine %u, not EM_386", e->e_machine);
	if (e->e_phentsize != sizeof(Elf32_Phdr))
		return refuse(msg, n, "e_phentsize %u, not %u", e->e_phentsize,
			      (unsigned int)sizeof(Elf32_Phdr));
	if (e->e_phnum == 0 || e->e_phnum > ELF_MAX_PHNUM)
		return refuse(msg, n, "%u program headers, not 1..%u", e->e_phnum,
			      ELF_MAX_PHNUM);
	table_end = (uint64_t)e->e_phoff + (uint64_t)e->e_phnum * sizeof(Elf32_Phdr);
	if (table_end > file_size)
		return refuse(msg, n, "program headers at %u..%llu past the end of the file (%llu bytes)",
			      e->e_phoff, (unsigned long long)table_end,
			      (unsigned long long)file_size);
	return 0;
}

static bool is_power_of_2(uint32_t x)
{
	return x && !(x & (x - 1));
}

/* One PT_LOAD (index i), biased: in user space, in the file, aligned. */
static int check_load(const Elf32_Phdr *ph, unsigned int i, uint32_t bias,
		      uint64_t file_size, char *msg, size_t n)
{
	uint64_t start = (uint64_t)ph->p_vaddr + bias;
	uint64_t end = start + ph->p_memsz;

	if (ph->p_filesz > ph->p_memsz)
		return refuse(msg, n, "PT_LOAD %u: p_filesz 0x%x above p_memsz 0x%x", i,
			      ph->p_filesz, ph->p_memsz);
	if ((uint64_t)ph->p_offset + ph->p_filesz > file_size)
		return refuse(msg, n, "PT_LOAD %u: file bytes 0x%x+0x%x past the end of the file (%llu bytes)",
			      i, ph->p_offset, ph->p_filesz, (unsigned long long)file_size);
	if (ph->p_align > 1 && !is_power_of_2(ph->p_align))
		return refuse(msg, n, "PT_LOAD %u: p_align 0x%x not a power of two", i,
			      ph->p_align);
	if ((ph->p_vaddr - ph->p_offset) % ELF_PAGE_SIZE)
		return refuse(msg, n, "PT_LOAD %u: p_vaddr 0x%x and p_offset 0x%x differ modulo the page size",
			      i, ph->p_vaddr, ph->p_offset);
	if (start < ELF_MIN_ADDR)
		return refuse(msg, n, "PT_LOAD %u: at 0x%llx, below the lowest user address 0x%x",
			      i, (unsigned long long)start, ELF_MIN_ADDR);
	if (end > ELF_TASK_SIZE)
		return refuse(msg, n, "PT_LOAD %u: 0x%llx..0x%llx reaches the kernel's space (0x%x up)",
			      i, (unsigned long long)start, (unsigned long long)end, ELF_TASK_SIZE);
	return 0;
}

int elf_check_exec(const Elf32_Ehdr *ehdr, const Elf32_Phdr *phdrs, uint64_t file_size,
		   struct elf_exec_info *info, char *msg, size_t msg_size)
{
	struct elf_exec_info in = { 0 };
	uint32_t first_vaddr = 0, first_offset = 0, phdr_vaddr = 0;
	bool have_load = false, have_phdr = false;
	int err = check_header(ehdr, file_size, msg, msg_size);

	if (err || !phdrs)
		return err;
	in.load_bias = ehdr->e_type == ET_DYN ? ELF_ET_DYN_BASE : 0;
	in.phnum = ehdr->e_phnum;
	in.start_code = ~0u;
	for (unsigned int i = 0; i < ehdr->e_phnum; i++) {
		const Elf32_Phdr *ph = &phdrs[i];
		uint32_t start = ph->p_vaddr + in.load_bias;

		switch (ph->p_type) {
		case PT_INTERP:
			return refuse(msg, msg_size,
				      "PT_INTERP: a dynamically linked program, and there is no dynamic loader");
		case PT_PHDR:
			have_phdr = true;
			phdr_vaddr = ph->p_vaddr;
			break;
		case PT_GNU_STACK:
			in.exec_stack = ph->p_flags & PF_X;
			break;
		case PT_LOAD:
			err = check_load(ph, i, in.load_bias, file_size, msg, msg_size);
			if (err)
				return err;
			if (!have_load) {
				first_vaddr = ph->p_vaddr;
				first_offset = ph->p_offset;
				have_load = true;
			}
			if ((ph->p_flags & PF_X) && start < in.start_code) {
				in.start_code = start;
				in.end_code = start + ph->p_filesz;
			}
			if (start + ph->p_filesz > in.end_data) {
				in.start_data = start;
				in.end_data = start + ph->p_filesz;
			}
			if (start + ph->p_memsz > in.brk)
				in.brk = start + ph->p_memsz;
			break;
		}
	}
	if (!have_load)
		return refuse(msg, msg_size, "no PT_LOAD segment");
	if ((uint64_t)ehdr->e_entry + in.load_bias >= ELF_TASK_SIZE)
		return refuse(msg, msg_size, "entry point 0x%x not in user space", ehdr->e_entry);
	if (in.start_code == ~0u)
		in.start_code = in.end_code = first_vaddr + in.load_bias;
	in.entry = ehdr->e_entry + in.load_bias;
	/* AT_PHDR: PT_PHDR's address, else where the first PT_LOAD maps the
	 * file offset e_phoff (Linux's load_elf_binary). */
	in.phdr_addr = (have_phdr ? phdr_vaddr : first_vaddr - first_offset + ehdr->e_phoff) +
		       in.load_bias;
	*info = in;
	return 0;
}

/* ------------------------------------------------------------ the stack */

/* Place a string of len bytes (NUL included) below *p within buf. */
static bool push_bytes(uint8_t *buf, uint32_t base, uint32_t *p, const void *src, size_t len)
{
	if (*p - base < len)
		return false;
	*p -= len;
	memcpy(buf + (*p - base), src, len);
	return true;
}

static void put_word(uint8_t *buf, uint32_t base, uint32_t addr, uint32_t val)
{
	memcpy(buf + (addr - base), &val, 4);
}

int create_elf_tables(uint8_t *buf, size_t buf_size, uint32_t top,
		      const char *const argv[], int argc,
		      const char *const envp[], int envc, const char *execfn,
		      const struct elf_auxv_in *aux, struct elf_stack_layout *layout)
{
	uint32_t base = top - buf_size, p = top, sp, items, zero = 0;
	uint32_t platform, random, a, *v = layout->auxv;
	int i, n = 0;

	if (buf_size > top || buf_size < 4)
		return -E2BIG;
	/* The strings, top down: a NUL word, execfn, envp, argv (Linux's
	 * bprm->p order: filename first, then envp, then argv). */
	if (!push_bytes(buf, base, &p, &zero, 4) ||
	    !push_bytes(buf, base, &p, execfn, strlen(execfn) + 1))
		return -E2BIG;
	layout->execfn = p;
	layout->env_end = p;
	for (i = envc - 1; i >= 0; i--)
		if (!push_bytes(buf, base, &p, envp[i], strlen(envp[i]) + 1))
			return -E2BIG;
	layout->env_start = p;
	layout->arg_end = p;
	for (i = argc - 1; i >= 0; i--)
		if (!push_bytes(buf, base, &p, argv[i], strlen(argv[i]) + 1))
			return -E2BIG;
	layout->arg_start = p;
	p &= ~15u;
	if (p < base || !push_bytes(buf, base, &p, aux->platform, strlen(aux->platform) + 1))
		return -E2BIG;
	platform = p;
	if (!push_bytes(buf, base, &p, aux->random, sizeof(aux->random)))
		return -E2BIG;
	random = p;

	/* The auxv pairs, in Linux's order. */
#define NEW_AUX_ENT(id, val) do { v[n++] = (id); v[n++] = (val); } while (0)
	NEW_AUX_ENT(AT_HWCAP, aux->hwcap);
	NEW_AUX_ENT(AT_PAGESZ, ELF_PAGE_SIZE);
	NEW_AUX_ENT(AT_CLKTCK, aux->clktck);
	NEW_AUX_ENT(AT_PHDR, aux->phdr);
	NEW_AUX_ENT(AT_PHENT, aux->phent);
	NEW_AUX_ENT(AT_PHNUM, aux->phnum);
	NEW_AUX_ENT(AT_BASE, aux->base);
	NEW_AUX_ENT(AT_FLAGS, aux->flags);
	NEW_AUX_ENT(AT_ENTRY, aux->entry);
	NEW_AUX_ENT(AT_UID, aux->uid);
	NEW_AUX_ENT(AT_EUID, aux->euid);
	NEW_AUX_ENT(AT_GID, aux->gid);
	NEW_AUX_ENT(AT_EGID, aux->egid);
	NEW_AUX_ENT(AT_SECURE, aux->secure);
	NEW_AUX_ENT(AT_RANDOM, random);
	NEW_AUX_ENT(AT_EXECFN, layout->execfn);
	NEW_AUX_ENT(AT_PLATFORM, platform);
	NEW_AUX_ENT(AT_NULL, 0);
#undef NEW_AUX_ENT
	layout->auxv_words = n;

	/* argc, argv[], NULL, envp[], NULL, auxv: sp 16-byte aligned. */
	items = 1 + (argc + 1) + (envc + 1) + n;
	if (p - base < items * 4 + 15)
		return -E2BIG;
	sp = (p - items * 4) & ~15u;
	layout->sp = sp;
	a = sp;
	put_word(buf, base, a, argc);
	a += 4;
	p = layout->arg_start;
	for (i = 0; i < argc; i++, a += 4) {
		put_word(buf, base, a, p);
		p += strlen(argv[i]) + 1;
	}
	put_word(buf, base, a, 0);
	a += 4;
	for (i = 0; i < envc; i++, a += 4) {
		put_word(buf, base, a, p);
		p += strlen(envp[i]) + 1;
	}
	put_word(buf, base, a, 0);
	a += 4;
	for (i = 0; i < n; i++, a += 4)
		put_word(buf, base, a, v[i]);
	/* What lies between the tables and the random bytes: zeroes. */
	memset(buf + (a - base), 0, random - a);
	return 0;
}
