// SPDX-License-Identifier: MIT
/*
 * t_sys: the process-independent system calls of the Linux i386 ABI
 * (syscall_32.tbl; man 2 of each): ids, uname, clocks, nanosleep,
 * getrandom, sched_yield, set_tid_address, set_thread_area with a
 * %gs-relative read, -ENOSYS for an unknown number, the registers int
 * $0x80 keeps, and all six argument registers in one call (mmap2).
 */
#include "user.h"

#define KERNEL_PTR	((void *)0xc0000000)
#define LOW_PTR		((void *)0x1000)	/* page 1: never mapped */

static int ids(void)
{
	long pid = sys_getpid(), ppid = sys_getppid();

	ktap_diag("pid %ld ppid %ld tid %ld", pid, ppid, sys_gettid());
	if (!CHECK(pid > 0) || !CHECK(ppid >= 0) || !CHECK_EQ(sys_gettid(), pid))
		return FAIL;
	/* PID 1 has no parent (Linux: 0). */
	return pid != 1 || CHECK_EQ(ppid, 0);
}

static long parent_pid;

static int child_ids(long unused)
{
	(void)unused;
	return sys_getppid() == parent_pid && sys_getpid() != parent_pid &&
		sys_gettid() == sys_getpid() ? 0 : 1;
}

static int ids_in_a_child(void)
{
	char b[32];
	int st;

	parent_pid = sys_getpid();
	st = run_child(child_ids, 0);
	ktap_diag("child: %s", status_str(st, b, sizeof(b)));
	return CHECK_EQ(st, 0);
}

static bool terminated(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!s[i])
			return true;
	return false;
}

static int uname_fields(void)
{
	struct new_utsname u;

	memset(&u, 0x55, sizeof(u));
	if (!CHECK_EQ(sys_uname(&u), 0))
		return FAIL;
	ktap_diag("%s %s %s %s", u.sysname, u.release, u.version, u.machine);
	return CHECK(terminated(u.sysname, 65) && terminated(u.nodename, 65) &&
		     terminated(u.release, 65) && terminated(u.version, 65) &&
		     terminated(u.machine, 65) && terminated(u.domainname, 65)) &&
		CHECK_EQ(strcmp(u.sysname, "Linux"), 0) && CHECK(u.machine[0] == 'i') &&
		CHECK_EQ(sys_uname(NULL), -EFAULT) && CHECK_EQ(sys_uname(KERNEL_PTR), -EFAULT);
}

static long long ns(const struct timespec32 *t)
{
	return (long long)t->tv_sec * 1000000000 + t->tv_nsec;
}

static int monotonic_never_goes_back(void)
{
	struct timespec32 prev, now;

	if (!CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &prev), 0))
		return FAIL;
	for (int i = 0; i < 2000; i++) {
		if (!CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &now), 0) ||
		    !CHECK(now.tv_nsec >= 0 && now.tv_nsec < 1000000000))
			return FAIL;
		if (ns(&now) < ns(&prev)) {
			ktap_diag("read %d: %ld.%09ld after %ld.%09ld", i, now.tv_sec, now.tv_nsec,
				  prev.tv_sec, prev.tv_nsec);
			return FAIL;
		}
		prev = now;
	}
	return PASS;
}

static int realtime_readable(void)
{
	struct timespec32 t;

	return CHECK_EQ(sys_clock_gettime(CLOCK_REALTIME, &t), 0) &&
		CHECK(t.tv_nsec >= 0 && t.tv_nsec < 1000000000);
}

static int clock_errors(void)
{
	struct timespec32 t;

	return CHECK_EQ(sys_clock_gettime(100, &t), -EINVAL) &&
		CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, NULL), -EFAULT) &&
		CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, LOW_PTR), -EFAULT) &&
		CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, KERNEL_PTR), -EFAULT);
}

static int nanosleep_sleeps(void)
{
	struct timespec32 a, b, req = { 0, 20000000 };

	if (!CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &a), 0) ||
	    !CHECK_EQ(sys_nanosleep(&req, NULL), 0) ||
	    !CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &b), 0))
		return FAIL;
	ktap_diag("20 ms asked, %lld us slept (monotonic clock)", (ns(&b) - ns(&a)) / 1000);
	return CHECK(ns(&b) - ns(&a) >= 20000000);
}

/* clock_nanosleep (267), which glibc's sleep and nanosleep use: relative
 * and absolute (TIMER_ABSTIME = 1) sleeps by the monotonic clock, its
 * errors returned (not in errno); clock_getres (266). */
static int clock_nanosleep_and_getres(void)
{
	struct timespec32 a, b, req = { 0, 10000000 }, res = { 99, 99 }, bad = { 0, -1 };
	int ok;

	if (!CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &a), 0) ||
	    !CHECK_EQ(SC(267, CLOCK_MONOTONIC, 0, &req, 0, 0, 0), 0) ||
	    !CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &b), 0))
		return FAIL;
	ok = CHECK(ns(&b) - ns(&a) >= 10000000);
	/* until 10 ms after b, absolute */
	b.tv_nsec += 10000000;
	if (b.tv_nsec >= 1000000000) {
		b.tv_sec++;
		b.tv_nsec -= 1000000000;
	}
	ok = ok && CHECK_EQ(SC(267, CLOCK_MONOTONIC, 1, &b, 0, 0, 0), 0) &&
	     CHECK_EQ(sys_clock_gettime(CLOCK_MONOTONIC, &a), 0) && CHECK(ns(&a) >= ns(&b));
	return ok && CHECK_EQ(SC(267, CLOCK_MONOTONIC, 1, &b, 0, 0, 0), 0) &&
	       CHECK_EQ(SC(267, 99, 0, &req, 0, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(267, CLOCK_MONOTONIC, 0, &bad, 0, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(267, CLOCK_MONOTONIC, 0, KERNEL_PTR, 0, 0, 0), -EFAULT) &&
	       CHECK_EQ(SC(266, CLOCK_MONOTONIC, &res, 0, 0, 0, 0), 0) &&
	       CHECK(res.tv_sec == 0 && res.tv_nsec > 0 && res.tv_nsec <= 10000000) &&
	       CHECK_EQ(SC(266, 99, &res, 0, 0, 0, 0), -EINVAL);
}

static int nanosleep_errors(void)
{
	struct timespec32 big = { 0, 1000000000 }, neg = { 0, -1 }, negsec = { -1, 0 };

	return CHECK_EQ(sys_nanosleep(&big, NULL), -EINVAL) &&
		CHECK_EQ(sys_nanosleep(&neg, NULL), -EINVAL) &&
		CHECK_EQ(sys_nanosleep(&negsec, NULL), -EINVAL);
}

static int nanosleep_efault(void)
{
	long low = sys_nanosleep(LOW_PTR, NULL), kern = sys_nanosleep(KERNEL_PTR, NULL);

	/* qemu-i386 7.2 ignores target_to_host_timespec's failure and
	 * sleeps on garbage (EINVAL); Linux's get_old_timespec32 fails. */
	if (!on_our_kernel() && low == -EINVAL && kern == -EINVAL)
		return skip("qemu-user's nanosleep does not check the pointer (Linux: EFAULT)");
	return CHECK_EQ(low, -EFAULT) && CHECK_EQ(kern, -EFAULT);
}

static int getrandom_fills(void)
{
	unsigned char a[64], b[64];

	memset(a, 0, sizeof(a));
	memset(b, 0, sizeof(b));
	return CHECK_EQ(sys_getrandom(a, sizeof(a), 0), 64) &&
		CHECK_EQ(sys_getrandom(b, sizeof(b), GRND_NONBLOCK), 64) &&
		CHECK(memcmp(a, b, sizeof(a)) != 0) &&
		CHECK_EQ(sys_getrandom(a, 0, 0), 0);
}

static int getrandom_errors(void)
{
	unsigned char a[8];

	return CHECK_EQ(sys_getrandom(a, sizeof(a), 0x100), -EINVAL) &&
		CHECK_EQ(sys_getrandom(NULL, 8, 0), -EFAULT) &&
		CHECK_EQ(sys_getrandom(KERNEL_PTR, 8, 0), -EFAULT);
}

static int sched_yield_returns_0(void)
{
	for (int i = 0; i < 100; i++)
		if (!CHECK_EQ(sys_sched_yield(), 0))
			return FAIL;
	return PASS;
}

static int tid_word;

static int set_tid_address_returns_tid(void)
{
	return CHECK_EQ(sys_set_tid_address(&tid_word), sys_gettid());
}

static unsigned int tls_block[4] = { 0x11223344, 0x55667788, 0x99aabbcc, 0xddeeff00 };

static int set_thread_area_and_gs(void)
{
	struct user_desc d;
	unsigned int sel, v0, v8;

	memset(&d, 0, sizeof(d));
	d.entry_number = (unsigned int)-1;
	d.base_addr = (unsigned int)tls_block;
	d.limit = 0xfffff;
	d.seg_32bit = 1;
	d.limit_in_pages = 1;
	d.useable = 1;
	if (!CHECK_EQ(sys_set_thread_area(&d), 0))
		return FAIL;
	ktap_diag("TLS entry %u", d.entry_number);
	if (!CHECK(d.entry_number >= 6 && d.entry_number <= 8))
		return FAIL;
	sel = d.entry_number * 8 + 3;
	__asm__ volatile("movl %2, %%gs\n\tmovl %%gs:0, %0\n\tmovl %%gs:8, %1"
			 : "=r"(v0), "=r"(v8) : "r"(sel) : "memory");
	return CHECK_EQ(v0, tls_block[0]) && CHECK_EQ(v8, tls_block[2]);
}

static int set_thread_area_errors(void)
{
	struct user_desc d;

	memset(&d, 0, sizeof(d));
	d.entry_number = 20;	/* not a TLS entry */
	d.limit = 0xfffff;
	d.seg_32bit = 1;
	return CHECK_EQ(sys_set_thread_area(&d), -EINVAL) &&
		CHECK_EQ(sys_set_thread_area(NULL), -EFAULT) &&
		CHECK_EQ(sys_set_thread_area(KERNEL_PTR), -EFAULT);
}

static int unknown_number_enosys(void)
{
	return CHECK_EQ(SC(1000, 0, 0, 0, 0, 0, 0), -ENOSYS) &&
		CHECK_EQ(SC(-1, 0, 0, 0, 0, 0, 0), -ENOSYS) &&
		CHECK_EQ(SC(0x7fffffff, 0, 0, 0, 0, 0, 0), -ENOSYS);
}

/*
 * int $0x80 with a pattern in every register but %eax and %esp: getpid,
 * then each compared. 0 when all kept, else the bit of each changed one
 * (ebx 1, ecx 2, edx 4, esi 8, edi 16, ebp 32).
 */
unsigned int regs_changed_by_int80(void);
__asm__(".text\n"
	".type regs_changed_by_int80, @function\n"
	"regs_changed_by_int80:\n"
	"	pushl %ebp; pushl %edi; pushl %esi; pushl %ebx\n"
	"	movl $0x11111111, %ebx; movl $0x22222222, %ecx; movl $0x33333333, %edx\n"
	"	movl $0x44444444, %esi; movl $0x55555555, %edi; movl $0x66666666, %ebp\n"
	"	movl $20, %eax\n"
	"	int $0x80\n"
	"	xorl %eax, %eax\n"
	"	cmpl $0x11111111, %ebx; je 1f; orl $1, %eax\n"
	"1:	cmpl $0x22222222, %ecx; je 1f; orl $2, %eax\n"
	"1:	cmpl $0x33333333, %edx; je 1f; orl $4, %eax\n"
	"1:	cmpl $0x44444444, %esi; je 1f; orl $8, %eax\n"
	"1:	cmpl $0x55555555, %edi; je 1f; orl $16, %eax\n"
	"1:	cmpl $0x66666666, %ebp; je 1f; orl $32, %eax\n"
	"1:	popl %ebx; popl %esi; popl %edi; popl %ebp\n"
	"	ret\n"
	".size regs_changed_by_int80, . - regs_changed_by_int80\n");

static int registers_kept_across_int80(void)
{
	return CHECK_EQ(regs_changed_by_int80(), 0);
}

/* mmap2 uses all six: a fixed address (ebx), a length (ecx), prot (edx),
 * flags (esi), the program's own file (edi) and page offset 1 (ebp). */
static int six_argument_registers(void)
{
	unsigned char want[PAGE_SIZE];
	struct stat64 st;
	unsigned char *base;
	long fd, r;
	int ok;

	fd = sys_open(__argv[0], O_RDONLY, 0);
	if (!CHECK(fd >= 0) || !CHECK_EQ(sys_fstat64((int)fd, &st), 0))
		return FAIL;
	if (st.st_size < 2 * (long long)PAGE_SIZE) {
		sys_close((int)fd);
		return skip("the program file is under 2 pages");
	}
	base = map_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (!CHECK(base != NULL) || !CHECK_EQ(sys_lseek((int)fd, PAGE_SIZE, SEEK_SET), PAGE_SIZE) ||
	    !CHECK_EQ(sys_read((int)fd, want, PAGE_SIZE), PAGE_SIZE))
		return FAIL;
	r = sys_mmap2(base + PAGE_SIZE, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_FIXED, (int)fd, 1);
	ok = CHECK_EQ(r, (long)(base + PAGE_SIZE)) && CHECK_EQ(memcmp(base + PAGE_SIZE, want, PAGE_SIZE), 0);
	sys_munmap(base, 2 * PAGE_SIZE);
	sys_close((int)fd);
	return ok;
}

/* The calls C libraries and busybox make at start-up: ids, limits,
 * signal actions and masks (syscall_32.tbl numbers). */
static int startup_calls(void)
{
	uint32_t r32[2], set[2] = { 0, 0 }, act[5] = { 0 }, oact[5];
	uint64_t r64[2];

	memset(oact, 0x55, sizeof(oact));
	return CHECK_EQ(SC(199, 0, 0, 0, 0, 0, 0), 0) && CHECK_EQ(SC(201, 0, 0, 0, 0, 0, 0), 0) &&
	       CHECK_EQ(SC(200, 0, 0, 0, 0, 0, 0), 0) && CHECK_EQ(SC(202, 0, 0, 0, 0, 0, 0), 0) &&
	       CHECK_EQ(SC(191, 3, r32, 0, 0, 0, 0), 0) && CHECK(r32[0] >= 8u << 20) &&
	       CHECK_EQ(SC(191, 99, r32, 0, 0, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(191, 3, KERNEL_PTR, 0, 0, 0, 0), -EFAULT) &&
	       CHECK_EQ(SC(340, 0, 7, 0, r64, 0, 0), 0) && CHECK(r64[0] >= 3 && r64[0] <= r64[1]) &&
	       CHECK_EQ(SC(174, 15, act, oact, 8, 0, 0), 0) && CHECK_EQ(oact[0], 0) &&
	       CHECK_EQ(SC(174, 9, act, 0, 8, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(174, 15, act, 0, 4, 0, 0), -EINVAL) &&
	       CHECK_EQ(SC(174, 15, KERNEL_PTR, 0, 8, 0, 0), -EFAULT) &&
	       CHECK_EQ(SC(175, 0, set, set, 8, 0, 0), 0) &&
	       CHECK_EQ(SC(175, 7, set, 0, 8, 0, 0), -EINVAL);
}

static const struct ktap_case cases[] = {
	{ "startup_calls_ids_limits_sigaction", startup_calls },
	{ "getpid_getppid_gettid", ids },
	{ "ids_in_a_child", ids_in_a_child },
	{ "uname_fields_and_efault", uname_fields },
	{ "clock_monotonic_never_goes_back", monotonic_never_goes_back },
	{ "clock_realtime_readable", realtime_readable },
	{ "clock_gettime_einval_efault", clock_errors },
	{ "nanosleep_sleeps_by_the_monotonic_clock", nanosleep_sleeps },
	{ "nanosleep_einval", nanosleep_errors },
	{ "clock_nanosleep_relative_absolute_getres", clock_nanosleep_and_getres },
	{ "nanosleep_efault", nanosleep_efault },
	{ "getrandom_fills", getrandom_fills },
	{ "getrandom_einval_efault", getrandom_errors },
	{ "sched_yield_returns_0", sched_yield_returns_0 },
	{ "set_tid_address_returns_tid", set_tid_address_returns_tid },
	{ "set_thread_area_then_gs_relative_read", set_thread_area_and_gs },
	{ "set_thread_area_einval_efault", set_thread_area_errors },
	{ "unknown_number_enosys", unknown_number_enosys },
	{ "registers_kept_across_int80", registers_kept_across_int80 },
	{ "six_argument_registers_mmap2", six_argument_registers },
};

KTAP_MAIN(cases)
