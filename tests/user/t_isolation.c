// SPDX-License-Identifier: MIT
/*
 * t_isolation: what a process may not touch. Each probe runs in a child
 * that must end by the signal Linux sends (SIGSEGV for a page fault or a
 * general protection fault, SIGILL for an invalid opcode; man 7 signal)
 * while this process goes on: a read of the kernel's 0xc0000000, a write
 * to 0xc1000000 (the kernel's text), a read of page 0, a jump into the
 * stack (NX), a write to its own text, a jump into the kernel, a
 * privileged instruction (#GP) and ud2 (#UD). The kernel's report of
 * each (the segfault lines) is checked by the harness row, not here.
 */
#include "user.h"

static char sbuf[32];

static int read_kernel(long unused)
{
	(void)unused;
	return *(volatile unsigned char *)0xc0000000;
}

static int write_kernel_text(long unused)
{
	(void)unused;
	*(volatile unsigned int *)0xc1000000 = 0xdeadbeef;
	return 0;
}

static int read_page_0(long unused)
{
	(void)unused;
	return *(volatile unsigned int *)0;
}

static int exec_stack(long unused)
{
	unsigned char code[16] = { 0xb8, 0x05, 0, 0, 0, 0xc3 };	/* mov $5, %eax; ret */
	int (*fn)(void) = (int (*)(void))(void *)code;

	(void)unused;
	__asm__ volatile("" : : "r"(code) : "memory");
	return fn() == 5 ? 0 : 1;	/* 0: the stack ran code */
}

static int write_own_text(long unused)
{
	(void)unused;
	*(volatile unsigned char *)(void *)read_kernel = 0xc3;
	return 0;
}

static int jump_to_kernel(long unused)
{
	void (*fn)(void) = (void (*)(void))0xc1000000;

	(void)unused;
	fn();
	return 0;
}

static int privileged_instruction(long unused)
{
	(void)unused;
	__asm__ volatile("cli; sti");
	return 0;
}

static int invalid_opcode(long unused)
{
	(void)unused;
	__asm__ volatile("ud2");
	return 0;
}

static bool killed_by(int (*fn)(long), int sig, const char *what)
{
	int st = run_child(fn, 0);

	ktap_diag("%s: %s", what, status_str(st, sbuf, sizeof(sbuf)));
	return CHECK(st >= 0 && WIFSIGNALED(st)) && CHECK_EQ(WTERMSIG(st), sig);
}

static int t_read_kernel(void) { return killed_by(read_kernel, SIGSEGV, "read 0xc0000000"); }
static int t_write_kernel(void) { return killed_by(write_kernel_text, SIGSEGV, "write 0xc1000000"); }
static int t_page_0(void) { return killed_by(read_page_0, SIGSEGV, "read 0x00000000"); }
static int t_exec_stack(void) { return killed_by(exec_stack, SIGSEGV, "call into the stack"); }
static int t_write_text(void) { return killed_by(write_own_text, SIGSEGV, "write own text"); }
static int t_jump_kernel(void) { return killed_by(jump_to_kernel, SIGSEGV, "call 0xc1000000"); }
static int t_gp(void) { return killed_by(privileged_instruction, SIGSEGV, "cli (#GP)"); }
static int t_ud(void) { return killed_by(invalid_opcode, SIGILL, "ud2 (#UD)"); }

static int ok_child(long unused)
{
	(void)unused;
	return 0;
}

static int parent_goes_on(void)
{
	return CHECK_EQ(run_child(ok_child, 0), 0);
}

static const struct ktap_case cases[] = {
	{ "read_0xc0000000_segv", t_read_kernel },
	{ "write_0xc1000000_segv", t_write_kernel },
	{ "read_page_0_segv", t_page_0 },
	{ "execute_stack_nx_segv", t_exec_stack },
	{ "write_own_text_segv", t_write_text },
	{ "call_kernel_text_segv", t_jump_kernel },
	{ "privileged_instruction_gp_segv", t_gp },
	{ "ud2_sigill", t_ud },
	{ "parent_goes_on", parent_goes_on },
};

KTAP_MAIN(cases)
