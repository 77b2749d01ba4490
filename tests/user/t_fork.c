// SPDX-License-Identifier: MIT
/*
 * t_fork: processes through the Linux i386 system calls (man 2 fork,
 * vfork, clone, wait4, kill): the status words of exits and signals,
 * WNOHANG, ECHILD, waiting for one pid, SIGKILL and SIGTERM of a
 * sleeping child; copy on write (each side keeps its own writes; on our
 * kernel, a child's write to one page copies exactly one page); and
 * 1000 fork/exit/wait rounds after which /proc/meminfo's MemFree,
 * PageTables, Slab, VmaCount and MmCount are exactly at their baseline.
 */
#include "user.h"

#define KERNEL_PTR	((void *)0xc0000000)
#define ROUNDS		1000

static char sbuf[32];

static bool status_is(int st, int want, const char *what)
{
	ktap_diag("%s: %s", what, status_str(st, sbuf, sizeof(sbuf)));
	return CHECK_EQ(st, want);
}

/* pid waited for: wait4 returns it, with status want. */
static bool reaped(long pid, int want, const char *what)
{
	int st = 0;

	return CHECK(pid > 0) && CHECK_EQ(sys_wait4((int)pid, &st, 0, NULL), pid) &&
		status_is(st, want, what);
}

static int fork_exit_code(void)
{
	long pid = sys_fork();

	if (pid == 0)
		sys_exit_group(42);
	return reaped(pid, 42 << 8, "fork, exit 42");
}

static int vfork_exit_code(void)
{
	long pid = sys_vfork();

	if (pid == 0)
		sys_exit(7);
	return reaped(pid, 7 << 8, "vfork, exit 7");
}

static int clone_sigchld(void)
{
	long pid = sys_clone(SIGCHLD, NULL);

	if (pid == 0)
		sys_exit_group(9);
	return reaped(pid, 9 << 8, "clone(SIGCHLD), exit 9");
}

static int exit_code_low_byte(void)
{
	long pid = sys_fork();

	if (pid == 0)
		sys_exit_group(256 + 5);
	return reaped(pid, 5 << 8, "exit 261");
}

static void sleep_ms(long ms)
{
	struct timespec32 t = { ms / 1000, (ms % 1000) * 1000000 };

	sys_nanosleep(&t, NULL);
}

static int wait4_wnohang(void)
{
	int st = -1;
	long pid = sys_fork(), r;

	if (pid == 0) {
		sleep_ms(300);
		sys_exit_group(3);
	}
	r = sys_wait4((int)pid, &st, WNOHANG, NULL);
	return CHECK(pid > 0) && CHECK_EQ(r, 0) &&
		CHECK_EQ(sys_wait4((int)pid, &st, 0, NULL), pid) && status_is(st, 3 << 8, "after WNOHANG");
}

static int wait4_specific_pid(void)
{
	long pid[3];
	int st, seen = 0;

	for (int i = 0; i < 3; i++) {
		pid[i] = sys_fork();
		if (pid[i] == 0)
			sys_exit_group(i + 1);
		if (!CHECK(pid[i] > 0))
			return FAIL;
	}
	if (!CHECK_EQ(sys_wait4((int)pid[1], &st, 0, NULL), pid[1]) || !status_is(st, 2 << 8, "the middle one"))
		return FAIL;
	for (int i = 0; i < 2; i++) {
		long r = sys_wait4(-1, &st, 0, NULL);

		if (r == pid[0])
			seen |= 1, CHECK_EQ(st, 1 << 8);
		else if (r == pid[2])
			seen |= 4, CHECK_EQ(st, 3 << 8);
		else
			ktap_diag("wait4(-1) returned %ld", r);
	}
	return CHECK_EQ(seen, 5) && CHECK_EQ(sys_wait4(-1, &st, 0, NULL), -ECHILD);
}

static int wait4_echild_efault(void)
{
	int st;
	long pid;
	bool ok;

	ok = CHECK_EQ(sys_wait4(-1, &st, 0, NULL), -ECHILD) &&
		CHECK_EQ(sys_wait4(-1, &st, WNOHANG, NULL), -ECHILD) &&
		CHECK_EQ(sys_wait4(99999, &st, 0, NULL), -ECHILD) &&
		CHECK_EQ(sys_wait4((int)sys_getpid(), &st, 0, NULL), -ECHILD);
	pid = sys_fork();
	if (pid == 0)
		sys_exit_group(0);
	ok = ok && CHECK(pid > 0) && CHECK_EQ(sys_wait4((int)pid, KERNEL_PTR, 0, NULL), -EFAULT);
	/* Linux reaps the child all the same; reap it here if not. */
	sys_wait4(-1, NULL, 0, NULL);
	return ok;
}

static int kill_sleeping(int sig)
{
	int st = 0;
	long pid = sys_fork();

	if (pid == 0) {
		sleep_ms(20000);
		sys_exit_group(0);
	}
	sleep_ms(50);
	return CHECK(pid > 0) && CHECK_EQ(sys_kill((int)pid, sig), 0) &&
		CHECK_EQ(sys_wait4((int)pid, &st, 0, NULL), pid) &&
		status_is(st, sig, sig == SIGKILL ? "SIGKILL" : "SIGTERM");
}

static int kill_sigkill(void)
{
	return kill_sleeping(SIGKILL);
}

static int kill_sigterm(void)
{
	return kill_sleeping(SIGTERM);
}

static int kill_errors(void)
{
	int st;
	long pid = sys_fork();
	bool ok;

	if (pid == 0) {
		sleep_ms(100);
		sys_exit_group(0);
	}
	ok = CHECK(pid > 0) && CHECK_EQ(sys_kill(99999, SIGTERM), -ESRCH) &&
		CHECK_EQ(sys_kill((int)pid, 1000), -EINVAL);
	return CHECK_EQ(sys_wait4((int)pid, &st, 0, NULL), pid) && ok &&
		status_is(st, 0, "after the refused kills");
}

static volatile int global = 1;

static int cow_own_writes(void)
{
	unsigned char *p = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	int st;
	long pid;

	if (!CHECK(p != NULL))
		return FAIL;
	memset(p, 'P', 4 * PAGE_SIZE);
	global = 1;
	pid = sys_fork();
	if (pid == 0) {
		int bad = 0;

		p[0] = 'C';
		global = 2;
		bad |= p[0] != 'C';
		bad |= (p[PAGE_SIZE] != 'P') << 1;
		sleep_ms(50);		/* the parent's write comes meanwhile */
		bad |= (p[3 * PAGE_SIZE] != 'P') << 2;
		bad |= (global != 2) << 3;
		sys_exit_group(bad);
	}
	p[3 * PAGE_SIZE] = 'Q';
	st = wait_status((int)pid);
	return status_is(st, 0, "child's view") && CHECK_EQ(p[0], 'P') && CHECK_EQ(global, 1) &&
		CHECK_EQ(p[3 * PAGE_SIZE], 'Q') && CHECK_EQ(sys_munmap(p, 4 * PAGE_SIZE), 0);
}

/* The child counts its own copy: MemFree around one write to a shared page. */
static int cow_one_page_child(long addr)
{
	struct meminfo a, b;
	unsigned char *p = (unsigned char *)addr;

	if (meminfo_read(&a) || meminfo_read(&a))
		return 10;
	p[0] = 'C';		/* the one copy */
	if (meminfo_read(&b))
		return 10;
	if (a.mem_free - b.mem_free == 4 + (b.slab - a.slab) + (b.page_tables - a.page_tables))
		return 0;
	ktap_diag("child: MemFree %ld, Slab %ld, PageTables %ld kB fewer after one write",
		  a.mem_free - b.mem_free, b.slab - a.slab, b.page_tables - a.page_tables);
	return 1;
}

static int cow_copies_one_page(void)
{
	unsigned char *p;
	int st;

	if (!on_our_kernel())
		return skip("not our kernel: /proc/meminfo has no VmaCount:/MmCount: lines");
	p = map_anon(16 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (!CHECK(p != NULL))
		return FAIL;
	memset(p, 'P', 16 * PAGE_SIZE);
	stack_prefault(64 << 10);
	st = run_child(cow_one_page_child, (long)p);
	sys_munmap(p, 16 * PAGE_SIZE);
	return status_is(st, 0, "one page copied");
}

static int fork_rounds_back_to_baseline(void)
{
	struct meminfo a, b;
	bool exact = on_our_kernel();

	stack_prefault(64 << 10);
	if (exact && !CHECK_EQ(meminfo_read(&a), 0))
		return FAIL;
	for (int i = 0; i < ROUNDS; i++) {
		int st;
		long pid = sys_fork();

		if (pid == 0)
			sys_exit_group(i & 0x7f);
		st = wait_status((int)pid);
		if (pid < 0 || st != (i & 0x7f) << 8) {
			ktap_diag("round %d: fork %ld, %s", i, pid, status_str(st, sbuf, sizeof(sbuf)));
			return FAIL;
		}
	}
	if (!exact)
		return skip("1000 rounds ran; not our kernel: no exact baseline");
	if (!CHECK_EQ(meminfo_read(&b), 0))
		return FAIL;
	ktap_diag("after %d rounds: MemFree %ld -> %ld, PageTables %ld -> %ld, Slab %ld -> %ld, "
		  "VmaCount %ld -> %ld, MmCount %ld -> %ld", ROUNDS, a.mem_free, b.mem_free,
		  a.page_tables, b.page_tables, a.slab, b.slab, a.vma_count, b.vma_count,
		  a.mm_count, b.mm_count);
	return CHECK_EQ(b.mem_free, a.mem_free) && CHECK_EQ(b.page_tables, a.page_tables) &&
		CHECK_EQ(b.slab, a.slab) && CHECK_EQ(b.vma_count, a.vma_count) &&
		CHECK_EQ(b.mm_count, a.mm_count);
}

static const struct ktap_case cases[] = {
	{ "fork_exit_code", fork_exit_code },
	{ "vfork_exit_code", vfork_exit_code },
	{ "clone_sigchld_exit_code", clone_sigchld },
	{ "exit_code_low_byte", exit_code_low_byte },
	{ "wait4_wnohang", wait4_wnohang },
	{ "wait4_specific_pid", wait4_specific_pid },
	{ "wait4_echild_efault", wait4_echild_efault },
	{ "kill_sigkill_sleeping_child", kill_sigkill },
	{ "kill_sigterm_sleeping_child", kill_sigterm },
	{ "kill_esrch_einval", kill_errors },
	{ "cow_each_side_keeps_its_writes", cow_own_writes },
	{ "cow_write_copies_one_page", cow_copies_one_page },
	{ "fork_1000_rounds_back_to_baseline", fork_rounds_back_to_baseline },
};

KTAP_MAIN(cases)
