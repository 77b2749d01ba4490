// SPDX-License-Identifier: MIT
/*
 * t_smp: processes at once. Eight children compute and exit with known
 * codes (on a 4-CPU machine our kernel places them round robin on every
 * CPU), each writing its own copy of pages shared copy-on-write; and the
 * user-range TLB shootdown (as Linux's flush_tlb_mm_range): a vfork
 * child, which shares its parent's address space and is placed on
 * another CPU, munmaps or mprotects a region the parent has just used;
 * the parent must then fault on it (SIGSEGV), while the negative
 * control, the same child changing nothing, leaves the parent running.
 * Copy on write too: a vfork child that forks makes the shared pages
 * copy-on-write; the parent's next write must copy, not reach the
 * grandchild's page through a stale writable entry (as PID 1 only, the
 * adopter of that grandchild).
 * Rounds repeat each to catch a stale entry that survives by chance.
 */
#include "user.h"

#define NCHILD	8
#define ROUNDS	20

static char sbuf[32];

/* A known result of some length: the Collatz steps of n, summed over a range. */
static unsigned int work(unsigned int seed)
{
	unsigned int steps = 0;

	for (unsigned int n = seed * 1000 + 1; n <= seed * 1000 + 3000; n++)
		for (unsigned long long x = n; x != 1; steps++)
			x = x & 1 ? 3 * x + 1 : x / 2;
	return steps;
}

static int children_at_once(void)
{
	long pid[NCHILD];
	unsigned int want[NCHILD];
	unsigned char *shared = map_anon(NCHILD * PAGE_SIZE, PROT_READ | PROT_WRITE);
	int done = 0;

	if (!CHECK(shared != NULL))
		return FAIL;
	memset(shared, 0xee, NCHILD * PAGE_SIZE);
	for (int i = 0; i < NCHILD; i++)
		want[i] = work((unsigned int)i) & 0x7f;
	for (int i = 0; i < NCHILD; i++) {
		pid[i] = sys_fork();
		if (pid[i] == 0) {
			unsigned int r = work((unsigned int)i) & 0x7f;

			/* its own copy of every page; the others' unchanged in its view */
			memset(shared + i * PAGE_SIZE, i, PAGE_SIZE);
			sys_sched_yield();
			for (int j = 0; j < NCHILD; j++)
				if (shared[j * PAGE_SIZE + 7] != (j == i ? i : 0xee))
					sys_exit_group(0x80 | j);
			sys_exit_group((int)r);
		}
		if (!CHECK(pid[i] > 0))
			return FAIL;
	}
	for (int n = 0; n < NCHILD; n++) {
		int st = 0;
		long r = sys_wait4(-1, &st, 0, NULL);
		int i = 0;

		while (i < NCHILD && pid[i] != r)
			i++;
		if (i == NCHILD || st != (int)(want[i] << 8)) {
			ktap_diag("wait4: pid %ld, %s (child %d wants exit %u)", r,
				  status_str(st, sbuf, sizeof(sbuf)), i, i < NCHILD ? want[i] : 0);
			return FAIL;
		}
		done++;
	}
	for (int j = 0; j < NCHILD * (int)PAGE_SIZE; j++)
		if (shared[j] != 0xee)
			return CHECK(!"the parent's pages stayed its own");
	sys_munmap(shared, NCHILD * PAGE_SIZE);
	return CHECK_EQ(done, NCHILD);
}

static volatile int vfork_mark;

static bool vfork_shares(void)
{
	long pid;

	vfork_mark = 0;
	pid = sys_vfork();
	if (pid == 0) {
		vfork_mark = 1;
		sys_exit(0);
	}
	wait_status((int)pid);
	return vfork_mark == 1;
}

static int vfork_shares_memory(void)
{
	if (!vfork_shares()) {
		if (!on_our_kernel())
			return skip("qemu-i386 runs vfork as fork");
		return CHECK(!"the vfork child's write is seen by the parent");
	}
	return PASS;
}

enum change { NOTHING, UNMAP, READ_ONLY };

/*
 * The parent side, itself a child of the test: R used (its TLB entries
 * loaded), a vfork child changes R, then R written. Exit 0 when the
 * write went through.
 */
static int use_after_vfork_change(long how)
{
	volatile unsigned char *r = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	long pid;

	if (!r)
		return 100;
	for (int i = 0; i < 4; i++)
		r[i * PAGE_SIZE] = 1;
	pid = sys_vfork();
	if (pid == 0) {
		if (how == UNMAP)
			sys_munmap((void *)r, 4 * PAGE_SIZE);
		else if (how == READ_ONLY)
			sys_mprotect((void *)r, 4 * PAGE_SIZE, PROT_READ);
		sys_exit(0);
	}
	if (pid < 0 || wait_status((int)pid) != 0)
		return 101;
	for (int i = 0; i < 4; i++)
		r[i * PAGE_SIZE + 1] = 2;
	return 0;
}

static bool rounds(enum change how, int sig, const char *what)
{
	for (int i = 0; i < ROUNDS; i++) {
		int st = run_child(use_after_vfork_change, how);
		bool ok = sig ? st >= 0 && WIFSIGNALED(st) && WTERMSIG(st) == sig : st == 0;

		if (!ok) {
			ktap_diag("%s, round %d: %s", what, i, status_str(st, sbuf, sizeof(sbuf)));
			return false;
		}
	}
	return true;
}

static int shootdown_skip(void)
{
	return skip("qemu-i386 runs vfork as fork: no shared address space");
}

static int vfork_munmap_seen(void)
{
	if (!vfork_shares())
		return on_our_kernel() ? FAIL : shootdown_skip();
	return rounds(UNMAP, SIGSEGV, "write after the vfork child's munmap");
}

static int vfork_mprotect_seen(void)
{
	if (!vfork_shares())
		return on_our_kernel() ? FAIL : shootdown_skip();
	return rounds(READ_ONLY, SIGSEGV, "write after the vfork child's mprotect(PROT_READ)");
}

static int vfork_no_change_control(void)
{
	return rounds(NOTHING, 0, "write after a vfork child that changed nothing");
}

/*
 * The parent side of the COW round: R written (writable entries loaded),
 * a vfork child forks a grandchild G (R copy-on-write between them) and
 * exits; then R written again. G, adopted by PID 1, reads R after a
 * while: exit 0 when it still holds what was there at its fork.
 */
static int write_after_vfork_fork(long unused)
{
	volatile unsigned char *r = map_anon(4 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	struct timespec32 t = { 0, 200000000 };
	long pid;

	(void)unused;
	if (!r)
		return 100;
	for (int i = 0; i < 4; i++)
		r[i * PAGE_SIZE] = 1;
	pid = sys_vfork();
	if (pid == 0) {
		if (sys_fork() == 0) {
			sys_nanosleep(&t, NULL);
			for (int i = 0; i < 4; i++)
				if (r[i * PAGE_SIZE] != 1)
					sys_exit_group(50 + i);
			sys_exit_group(0);
		}
		sys_exit(0);
	}
	if (pid < 0 || wait_status((int)pid) != 0)
		return 101;
	for (int i = 0; i < 4; i++)
		r[i * PAGE_SIZE] = 2;
	return r[0] == 2 ? 0 : 102;
}

static int vfork_child_fork_cow_seen(void)
{
	if (!vfork_shares())
		return on_our_kernel() ? FAIL : shootdown_skip();
	if (sys_getpid() != 1)
		return skip("not PID 1: the grandchildren go to another adopter");
	for (int i = 0; i < ROUNDS; i++) {
		long p = sys_fork();

		if (p == 0)
			sys_exit_group(write_after_vfork_fork(0));
		/* The parent side and the adopted grandchild, in either order. */
		for (int n = 0; n < 2; n++) {
			int st = 0;
			long r = sys_wait4(-1, &st, 0, NULL);

			if (r < 0 || st != 0) {
				ktap_diag("round %d: %s %ld: %s", i, r == p ? "parent side" : "grandchild", r,
					  status_str(r < 0 ? (int)r : st, sbuf, sizeof(sbuf)));
				return FAIL;
			}
		}
	}
	return PASS;
}

static const struct ktap_case cases[] = {
	{ "eight_children_at_once", children_at_once },
	{ "vfork_shares_memory", vfork_shares_memory },
	{ "vfork_child_munmap_faults_parent", vfork_munmap_seen },
	{ "vfork_child_mprotect_faults_parent", vfork_mprotect_seen },
	{ "vfork_child_fork_cow_parent_copies", vfork_child_fork_cow_seen },
	{ "vfork_child_no_change_control", vfork_no_change_control },
};

KTAP_MAIN(cases)
