// SPDX-License-Identifier: MIT
/*
 * The C side of crt0.S: argc, argv, envp and the auxiliary vector found
 * on the initial stack as Linux lays it out (System V i386 psABI,
 * "Process Stack and Registers"; Linux fs/binfmt_elf.c create_elf_tables),
 * main called, exit_group with its result.
 */
#include "user.h"

int __argc;
char **__argv, **__envp;
unsigned long *__auxv;

__attribute__((noreturn)) void sys_exit_group(int code)
{
	for (;;)
		SC(__NR_exit_group, code, 0, 0, 0, 0, 0);
}

__attribute__((noreturn)) void sys_exit(int code)
{
	for (;;)
		SC(__NR_exit, code, 0, 0, 0, 0, 0);
}

unsigned long getauxval(unsigned long type)
{
	for (unsigned long *a = __auxv; a && a[0] != AT_NULL; a += 2)
		if (a[0] == type)
			return a[1];
	return 0;
}

const char *root_path(const char *p)
{
	static char bufs[8][256];
	static unsigned int next;
	static const char *root;
	char *b = bufs[next++ % 8];

	if (!root) {
		root = "";
		for (char **e = __envp; *e; e++)
			if (!strncmp(*e, "TEST_ROOT=", 10))
				root = *e + 10;
	}
	snprintf(b, sizeof(bufs[0]), "%s%s", root, p);
	return b;
}

__attribute__((noreturn, used)) void __start_main(unsigned long *sp);
__attribute__((noreturn, used)) void __start_main(unsigned long *sp)
{
	char **p;

	__argc = (int)sp[0];
	__argv = (char **)(sp + 1);
	__envp = __argv + __argc + 1;
	for (p = __envp; *p; p++)
		;
	__auxv = (unsigned long *)(p + 1);
	sys_exit_group(main(__argc, __argv, __envp));
}
