// SPDX-License-Identifier: MIT
/*
 * t_echoargs: what execve handed over, checked from the inside: argv,
 * envp and the auxiliary vector as Linux lays them out (fs/binfmt_elf.c
 * create_elf_tables; the System V i386 psABI's auxv types): AT_PAGESZ,
 * AT_PHDR/AT_PHENT/AT_PHNUM against the program's own ELF header,
 * AT_ENTRY against _start, AT_RANDOM readable. Built twice, as ET_EXEC
 * (t_echoargs) and as static PIE, ET_DYN (t_echoargs_pie).
 *
 *   t_echoargs [ARGS...]         a KTAP document; argv and envc as diagnostics
 *   t_echoargs args one "two words" "" last
 *                                (t_exec) exit 0 when argv and envp are
 *                                exactly t_exec's, else the failed check's number
 *   t_echoargs pid PID           (t_exec) exit 0 when getpid() is PID, 1 if not
 *   t_echoargs memchain N FREE   (t_exec) MemFree at the start must equal FREE
 *                                (or becomes it when FREE is "-"); then a
 *                                1000-page mapping touched and, while N > 0,
 *                                exec of itself with N-1: every exec frees it
 */
#include "user.h"

extern const Elf32_Ehdr __ehdr_start __attribute__((visibility("hidden")));
extern char _start[] __attribute__((visibility("hidden")));

static bool aux_has(unsigned long type)
{
	for (unsigned long *a = __auxv; a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return true;
	return false;
}

static bool random_bytes_readable(void)
{
	const unsigned char *r = (const unsigned char *)getauxval(AT_RANDOM);
	unsigned int any = 0;

	if (!r)
		return false;
	for (int i = 0; i < 16; i++)
		any |= r[i];
	return any != 0;	/* 16 zero bytes: not random (2^-128) */
}

#ifdef __PIE__
#define ELF_TYPE ET_DYN
#else
#define ELF_TYPE ET_EXEC
#endif

/* The auxv checks: 0, or the number of the first that fails. */
static int auxv_problem(void)
{
	unsigned long ehdr = (unsigned long)&__ehdr_start;

	if (!CHECK_EQ(getauxval(AT_PAGESZ), 4096))
		return 1;
	if (!CHECK_EQ(getauxval(AT_PHDR), ehdr + __ehdr_start.e_phoff))
		return 2;
	if (!CHECK_EQ(getauxval(AT_PHENT), __ehdr_start.e_phentsize) ||
	    !CHECK_EQ(getauxval(AT_PHNUM), __ehdr_start.e_phnum))
		return 3;
	if (!CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start))
		return 4;
	if (!CHECK(random_bytes_readable()))
		return 5;
	if (!CHECK(aux_has(AT_UID)))
		return 6;
	if (!CHECK_EQ(__ehdr_start.e_type, ELF_TYPE))
		return 7;
	return 0;
}

/* Strings one after the other, as a table of pointers would need
 * relocations in the PIE build. */
static const char want_argv_tail[] = "args\0one\0two words\0\0last";
static const char want_envp[] = "A=1\0B=two words\0EMPTY=";

/* The i-th string of such a list. */
static const char *nth(const char *list, int i)
{
	while (i--)
		list += strlen(list) + 1;
	return list;
}

static int check_args(int argc, char **argv, char **envp)
{
	int envc = 0;

	if (!CHECK_EQ(argc, 6) || !CHECK(argv[argc] == NULL))
		return 10;
	for (int i = 0; i < 5; i++)
		if (strcmp(argv[i + 1], nth(want_argv_tail, i))) {
			ktap_diag("argv[%d] is \"%s\", want \"%s\"", i + 1, argv[i + 1],
				  nth(want_argv_tail, i));
			return 11 + i;
		}
	/* As a set: qemu-i386, the reference here, hands envp over reversed. */
	for (; envp[envc]; envc++) {
		int i = 0;

		while (i < 3 && strcmp(envp[envc], nth(want_envp, i)))
			i++;
		if (i == 3) {
			ktap_diag("envp[%d] is \"%s\", not one of t_exec's", envc, envp[envc]);
			return 20;
		}
	}
	if (!CHECK_EQ(envc, 3))
		return 23;
	return auxv_problem();
}

static int memchain(int argc, char **argv, char **envp)
{
	struct meminfo mi;
	long left, first;
	char left_s[16], first_s[16], *nargv[5];
	unsigned char *p;

	if (argc != 4 || !parse_long(argv[2], &left))
		return 30;
	stack_prefault(64 << 10);
	if (meminfo_read(&mi))
		return 31;
	if (!strcmp(argv[3], "-"))
		first = mi.mem_free;
	else if (!parse_long(argv[3], &first))
		return 30;
	if (mi.mem_free != first) {
		ktap_diag("t_echoargs memchain %ld: MemFree %ld kB, %ld kB at the chain's first exec",
			  left, mi.mem_free, first);
		return 32;
	}
	p = map_anon(1000 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (!p)
		return 33;
	for (int i = 0; i < 1000; i++)
		p[i * PAGE_SIZE] = 1;
	if (left == 0)
		return 0;
	snprintf(left_s, sizeof(left_s), "%ld", left - 1);
	snprintf(first_s, sizeof(first_s), "%ld", first);
	nargv[0] = argv[0];
	nargv[1] = argv[1];
	nargv[2] = left_s;
	nargv[3] = first_s;
	nargv[4] = NULL;
	ktap_diag("t_echoargs memchain: exec failed: %s", errname(sys_execve(argv[0], nargv, envp)));
	return 34;
}

int main(int argc, char **argv, char **envp)
{
	int envc = 0;

	if (argc > 1 && !strcmp(argv[1], "args"))
		return check_args(argc, argv, envp);
	if (argc == 3 && !strcmp(argv[1], "pid")) {
		long pid;

		return parse_long(argv[2], &pid) && pid == sys_getpid() ? 0 : 1;
	}
	if (argc > 1 && !strcmp(argv[1], "memchain"))
		return memchain(argc, argv, envp);

	ktap_start(8);
	for (int i = 0; i < argc; i++)
		ktap_diag("argv[%d] = %s", i, argv[i]);
	while (envp[envc])
		envc++;
	ktap_diag("envc = %d", envc);
	ktap_result(CHECK(argv[argc] == NULL) && CHECK(argc >= 1), "argv_null_terminated");
	ktap_result(CHECK_EQ(getauxval(AT_PAGESZ), 4096), "auxv_pagesz_4096");
	ktap_result(CHECK_EQ(getauxval(AT_PHDR), (unsigned long)&__ehdr_start + __ehdr_start.e_phoff),
		    "auxv_phdr_is_own_program_headers");
	ktap_result(CHECK_EQ(getauxval(AT_PHENT), 32) &&
		    CHECK_EQ(getauxval(AT_PHNUM), __ehdr_start.e_phnum), "auxv_phent_phnum_match");
	ktap_result(CHECK_EQ(getauxval(AT_ENTRY), (unsigned long)_start), "auxv_entry_is_start");
	ktap_result(CHECK(random_bytes_readable()), "auxv_random_16_bytes_readable");
	ktap_result(CHECK(aux_has(AT_UID)), "auxv_has_uid");
	ktap_result(CHECK_EQ(__ehdr_start.e_type, ELF_TYPE), ELF_TYPE == ET_DYN ? "elf_type_is_et_dyn" :
		    "elf_type_is_et_exec");
	return ktap_finish();
}
