/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/binfmt_elf.c: a good ET_EXEC and ET_DYN pass with
 * the addresses exec needs (entry, AT_PHDR, code, brk, the static-pie
 * bias); each fault the loader refuses is refused with its own line; the
 * initial stack has Linux's create_elf_tables layout (argc, argv, NULL,
 * envp, NULL, auxv pairs, strings at the top, esp 16-byte aligned).
 */
#include <stdlib.h>
#include "hosttest.h"
#include "kernel/binfmt_elf.h"
#include "kernel/errno.h"

/* A small executable: two PT_LOADs (text R-X at 0x08048000 from offset
 * 0, data RW- with bss), a PT_GNU_STACK, 0x3000 bytes of file. */
struct image {
	Elf32_Ehdr e;
	Elf32_Phdr ph[4];
	uint64_t size;
};

static void make_exec(struct image *im, uint16_t type)
{
	uint32_t base = type == ET_EXEC ? 0x08048000u : 0;

	memset(im, 0, sizeof(*im));
	memcpy(im->e.e_ident, ELFMAG, SELFMAG);
	im->e.e_ident[EI_CLASS] = ELFCLASS32;
	im->e.e_ident[EI_DATA] = ELFDATA2LSB;
	im->e.e_ident[EI_VERSION] = EV_CURRENT;
	im->e.e_type = type;
	im->e.e_machine = EM_386;
	im->e.e_version = EV_CURRENT;
	im->e.e_entry = base + 0x100;
	im->e.e_phoff = sizeof(Elf32_Ehdr);
	im->e.e_ehsize = sizeof(Elf32_Ehdr);
	im->e.e_phentsize = sizeof(Elf32_Phdr);
	im->e.e_phnum = 3;
	im->ph[0] = (Elf32_Phdr){ PT_LOAD, 0, base, base, 0x1800, 0x1800, PF_R | PF_X, 0x1000 };
	im->ph[1] = (Elf32_Phdr){ PT_LOAD, 0x2000, base + 0x2000, base + 0x2000, 0x800, 0x5000,
				  PF_R | PF_W, 0x1000 };
	im->ph[2] = (Elf32_Phdr){ PT_GNU_STACK, 0, 0, 0, 0, 0, PF_R | PF_W, 16 };
	im->size = 0x3000;
}

static int check(struct image *im, struct elf_exec_info *info, char *msg)
{
	msg[0] = '\0';
	return elf_check_exec(&im->e, im->ph, im->size, info, msg, ELF_MSG_MAX);
}

static void test_good_exec(void)
{
	struct image im;
	struct elf_exec_info info;
	char msg[ELF_MSG_MAX];

	make_exec(&im, ET_EXEC);
	CHECK_EQ(check(&im, &info, msg), 0);
	CHECK_EQ(info.load_bias, 0);
	CHECK_EQ(info.entry, 0x08048100);
	CHECK_EQ(info.phdr_addr, 0x08048000 + sizeof(Elf32_Ehdr));
	CHECK_EQ(info.phnum, 3);
	CHECK_EQ(info.start_code, 0x08048000);
	CHECK_EQ(info.end_code, 0x08049800);
	CHECK_EQ(info.end_data, 0x0804a800);
	CHECK_EQ(info.brk, 0x0804f000);
	CHECK(!info.exec_stack);
}

static void test_good_dyn(void)
{
	struct image im;
	struct elf_exec_info info;
	char msg[ELF_MSG_MAX];

	make_exec(&im, ET_DYN);
	im.ph[2].p_flags |= PF_X;
	CHECK_EQ(check(&im, &info, msg), 0);
	CHECK_EQ(info.load_bias, ELF_ET_DYN_BASE);
	CHECK_EQ(info.entry, ELF_ET_DYN_BASE + 0x100);
	CHECK_EQ(info.start_code, ELF_ET_DYN_BASE);
	CHECK_EQ(info.brk, ELF_ET_DYN_BASE + 0x7000);
	CHECK(info.exec_stack);
	/* PT_PHDR, when there is one, gives AT_PHDR. */
	im.ph[2] = (Elf32_Phdr){ PT_PHDR, 0x34, 0x34, 0x34, 0x60, 0x60, PF_R, 4 };
	CHECK_EQ(check(&im, &info, msg), 0);
	CHECK_EQ(info.phdr_addr, ELF_ET_DYN_BASE + 0x34);
}

/* Each fault: refused with -ENOEXEC and a message naming it. */
static void refused(struct image *im, const char *what)
{
	struct elf_exec_info info;
	char msg[ELF_MSG_MAX];

	CHECK_EQ(check(im, &info, msg), -ENOEXEC);
	if (!strstr(msg, what)) {
		printf("    message \"%s\" does not name \"%s\"\n", msg, what);
		ht_failures_in_test++;
	}
}

static void test_refusals(void)
{
	struct image im;

#define BAD(stmt, what) do { make_exec(&im, ET_EXEC); stmt; refused(&im, what); } while (0)
	BAD(im.size = 20, "shorter than an ELF header");
	BAD(im.e.e_ident[1] = 'X', "no \\177ELF magic");
	BAD(im.e.e_ident[EI_CLASS] = ELFCLASS64, "not ELFCLASS32");
	BAD(im.e.e_ident[EI_DATA] = ELFDATA2MSB, "not little-endian");
	BAD(im.e.e_ident[EI_VERSION] = 2, "not EV_CURRENT");
	BAD(im.e.e_version = 0, "not EV_CURRENT");
	BAD(im.e.e_type = ET_REL, "not ET_EXEC or ET_DYN");
	BAD(im.e.e_machine = EM_X86_64, "not EM_386");
	BAD(im.e.e_phentsize = 56, "e_phentsize 56");
	BAD(im.e.e_phnum = 0, "0 program headers");
	BAD(im.e.e_phnum = ELF_MAX_PHNUM + 1, "129 program headers");
	BAD(im.e.e_phoff = 0x2ff0, "past the end of the file");
	BAD(im.e.e_phoff = 0xfffffff0u, "past the end of the file");
	BAD(im.ph[1].p_filesz = 0x6000, "above p_memsz");
	BAD(im.ph[1].p_offset = 0x2100, "differ modulo the page size");
	BAD((im.ph[1].p_offset = 0x3000, im.ph[1].p_vaddr += 0x1000), "past the end of the file");
	BAD(im.ph[1].p_align = 0x3000, "not a power of two");
	BAD((im.ph[0].p_vaddr = 0x1000), "below the lowest user address");
	BAD((im.ph[1].p_vaddr = 0xbfffe000u, im.ph[1].p_paddr = 0), "reaches the kernel's space");
	BAD((im.ph[1].p_vaddr = 0xfffff000u), "reaches the kernel's space");
	BAD(im.ph[2].p_type = PT_INTERP, "no dynamic loader");
	BAD((im.ph[0].p_type = PT_NOTE, im.ph[1].p_type = PT_NOTE), "no PT_LOAD");
	BAD(im.e.e_entry = 0xc0000000u, "entry point");
	/* ET_DYN: the bias counts in the kernel-space check. */
	make_exec(&im, ET_DYN);
	im.ph[1].p_vaddr = 0xbfffe000u - ELF_ET_DYN_BASE + 0x1000;
	refused(&im, "reaches the kernel's space");
#undef BAD
}

/* ------------------------------------------------------------ the stack */

#define TOP	0xc0000000u
#define BUFSZ	8192

static uint32_t word_at(const uint8_t *buf, uint32_t addr)
{
	uint32_t v;

	memcpy(&v, buf + (addr - (TOP - BUFSZ)), 4);
	return v;
}

static const char *str_at(const uint8_t *buf, uint32_t addr)
{
	return (const char *)buf + (addr - (TOP - BUFSZ));
}

static void test_stack_layout(void)
{
	static uint8_t buf[BUFSZ];
	const char *argv[] = { "/bin/busybox", "echo", "hi there" };
	const char *envp[] = { "HOME=/", "TERM=linux" };
	struct elf_auxv_in aux = {
		.phdr = 0x08048034, .phent = 32, .phnum = 3, .entry = 0x08048100,
		.hwcap = 0x178bfbff, .clktck = 100, .platform = "i686",
		.random = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16 },
	};
	struct elf_stack_layout l;
	uint32_t sp, a, at_random = 0, at_execfn = 0, at_platform = 0;
	unsigned int pairs = 0;

	memset(buf, 0xaa, sizeof(buf));
	CHECK_EQ(create_elf_tables(buf, BUFSZ, TOP, argv, 3, envp, 2, "/bin/busybox", &aux, &l), 0);
	sp = l.sp;
	CHECK_EQ(sp % 16, 0);
	CHECK_EQ(word_at(buf, sp), 3);			/* argc */
	CHECK_STR(str_at(buf, word_at(buf, sp + 4)), "/bin/busybox");
	CHECK_STR(str_at(buf, word_at(buf, sp + 8)), "echo");
	CHECK_STR(str_at(buf, word_at(buf, sp + 12)), "hi there");
	CHECK_EQ(word_at(buf, sp + 16), 0);
	CHECK_STR(str_at(buf, word_at(buf, sp + 20)), "HOME=/");
	CHECK_STR(str_at(buf, word_at(buf, sp + 24)), "TERM=linux");
	CHECK_EQ(word_at(buf, sp + 28), 0);
	/* The strings: argv then envp then execfn, contiguous, then a zero
	 * word ending at the top. */
	CHECK_EQ(l.arg_start, word_at(buf, sp + 4));
	CHECK_EQ(l.arg_end, l.env_start);
	CHECK_EQ(l.env_start, word_at(buf, sp + 20));
	CHECK_EQ(l.env_end, l.execfn);
	CHECK_EQ(l.execfn + sizeof("/bin/busybox") + 4, TOP);
	CHECK_EQ(word_at(buf, TOP - 4), 0);
	CHECK_EQ(l.arg_end - l.arg_start, sizeof("/bin/busybox") + sizeof("echo") + sizeof("hi there"));
	/* The auxv: Linux's order, every type once, AT_NULL last. */
	for (a = sp + 32;; a += 8) {
		uint32_t type = word_at(buf, a), val = word_at(buf, a + 4);

		pairs++;
		if (type == AT_NULL)
			break;
		if (pairs > 30)
			break;
		switch (type) {
		case AT_PHDR: CHECK_EQ(val, 0x08048034); break;
		case AT_PHENT: CHECK_EQ(val, 32); break;
		case AT_PHNUM: CHECK_EQ(val, 3); break;
		case AT_PAGESZ: CHECK_EQ(val, 4096); break;
		case AT_ENTRY: CHECK_EQ(val, 0x08048100); break;
		case AT_HWCAP: CHECK_EQ(val, 0x178bfbff); break;
		case AT_CLKTCK: CHECK_EQ(val, 100); break;
		case AT_RANDOM: at_random = val; break;
		case AT_EXECFN: at_execfn = val; break;
		case AT_PLATFORM: at_platform = val; break;
		case AT_BASE: case AT_FLAGS: case AT_UID: case AT_EUID:
		case AT_GID: case AT_EGID: case AT_SECURE: CHECK_EQ(val, 0); break;
		default: CHECK_EQ(type, 0xbad); break;
		}
	}
	CHECK_EQ(pairs, 18);
	CHECK_EQ(word_at(buf, sp + 32), AT_HWCAP);
	CHECK_EQ(l.auxv_words, 36);
	CHECK_EQ(l.auxv[2 * 3], AT_PHDR);
	CHECK_STR(str_at(buf, at_execfn), "/bin/busybox");
	CHECK_STR(str_at(buf, at_platform), "i686");
	CHECK(at_random && !memcmp(str_at(buf, at_random), aux.random, 16));
	CHECK(at_random > a && at_platform > at_random && at_platform < l.arg_start);
}

static void test_stack_too_small(void)
{
	static uint8_t buf[BUFSZ];
	const char *argv[] = { "x" };
	static char big[BUFSZ];
	const char *envp[] = { big };
	struct elf_auxv_in aux = { .platform = "i686" };
	struct elf_stack_layout l;

	memset(big, 'e', sizeof(big) - 1);
	CHECK_EQ(create_elf_tables(buf, BUFSZ, TOP, argv, 1, envp, 1, "/x", &aux, &l), -E2BIG);
	/* Just enough room for the strings but not the tables. */
	big[BUFSZ - 200] = '\0';
	CHECK_EQ(create_elf_tables(buf, BUFSZ, TOP, argv, 1, envp, 1, "/x", &aux, &l), -E2BIG);
	big[BUFSZ - 400] = '\0';
	CHECK_EQ(create_elf_tables(buf, BUFSZ, TOP, argv, 1, envp, 1, "/x", &aux, &l), 0);
	CHECK(l.sp >= TOP - BUFSZ);
}

int main(void)
{
	RUN(test_good_exec);
	RUN(test_good_dyn);
	RUN(test_refusals);
	RUN(test_stack_layout);
	RUN(test_stack_too_small);
	return HT_DONE();
}
