/* SPDX-License-Identifier: MIT */
/*
 * Small system calls about the machine and time (Linux's kernel/sys.c,
 * kernel/time/posix-timers.c, drivers/char/random.c for the contracts):
 * uname, clock_gettime, nanosleep, getrandom, sched_yield.
 */
#include "asm/percpu.h"
#include "asm/processor.h"
#include "asm/uaccess.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "kernel/time.h"
#include "kernel/fs.h"
#include "mm/mmap.h"

#define NSEC_PER_SEC	1000000000u

/*
 * sysname is "Linux", as other kernels that run Linux binaries answer
 * (FreeBSD's linuxulator, gVisor): programs test it to pick the ABI.
 * release is the Linux version whose i386 ABI this kernel follows (C
 * libraries compare it: glibc refuses to start below 3.2) with this
 * kernel's name after it; version names the build.
 */
long sys_newuname(struct new_utsname __user *name)
{
	struct new_utsname u;

	memset(&u, 0, sizeof(u));
	strscpy(u.sysname, "Linux", sizeof(u.sysname));
	strscpy(u.nodename, "pae32", sizeof(u.nodename));
	strscpy(u.release, "6.1.0-pae32", sizeof(u.release));
	strscpy(u.version, "#1 SMP pae32 " KERNEL_VERSION_STRING, sizeof(u.version));
	strscpy(u.machine, "i686", sizeof(u.machine));
	strscpy(u.domainname, "(none)", sizeof(u.domainname));
	return copy_to_user(name, &u, sizeof(u)) ? -EFAULT : 0;
}

/* ------------------------------------------------------------ clocks */

#define CLOCK_REALTIME			0
#define CLOCK_MONOTONIC			1
#define CLOCK_MONOTONIC_RAW		4
#define CLOCK_REALTIME_COARSE		5
#define CLOCK_MONOTONIC_COARSE		6
#define CLOCK_BOOTTIME			7

/* Nanoseconds since the TSC started (power-on), or since the boot CPU's
 * first tick where the TSC is not calibrated. */
static uint64_t monotonic_ns(void)
{
	uint64_t cycles, hz, secs;

	if (!tsc_khz)
		return (uint64_t)cpu_ticks(0) * (NSEC_PER_SEC / HZ);
	cycles = rdtsc();
	hz = (uint64_t)tsc_khz * 1000;
	secs = div64_u64(cycles, hz);
	return secs * NSEC_PER_SEC +
	       div_u64((cycles - secs * hz) * 1000000, tsc_khz);
}

/* The wall clock: the RTC's seconds read once, carried on by the
 * monotonic clock. */
static int64_t realtime_base_ns;
static bool realtime_read;
static DEFINE_SPINLOCK(realtime_lock);

static uint64_t realtime_ns(void)
{
	unsigned long flags;

	spin_lock_irqsave(&realtime_lock, flags);
	if (!realtime_read) {
		realtime_base_ns = rtc_read_seconds() * NSEC_PER_SEC - monotonic_ns();
		realtime_read = true;
	}
	spin_unlock_irqrestore(&realtime_lock, flags);
	return realtime_base_ns + monotonic_ns();
}

/* The clock which reads now, in ns; -EINVAL for a clock there is not. */
static int clock_read_ns(int which, uint64_t *ns)
{
	switch (which) {
	case CLOCK_REALTIME:
	case CLOCK_REALTIME_COARSE:
		*ns = realtime_ns();
		return 0;
	case CLOCK_MONOTONIC:
	case CLOCK_MONOTONIC_RAW:
	case CLOCK_MONOTONIC_COARSE:
	case CLOCK_BOOTTIME:
		*ns = monotonic_ns();
		return 0;
	default:
		return -EINVAL;
	}
}

long sys_clock_gettime(int which, struct timespec32 __user *tp)
{
	struct timespec32 ts;
	uint32_t nsec;
	uint64_t ns;
	int err = clock_read_ns(which, &ns);

	if (err)
		return err;
	ts.tv_sec = (int32_t)div_u64_rem(ns, NSEC_PER_SEC, &nsec);
	ts.tv_nsec = (int32_t)nsec;
	return copy_to_user(tp, &ts, sizeof(ts)) ? -EFAULT : 0;
}

/*
 * Sleep until clock which reads end: whole ticks of this CPU's timer,
 * then again for what is left. A signal that ends the process ends the
 * sleep: -EINTR, with what was left in *rmtp when rmtp is given.
 */
static long sleep_until(int which, uint64_t end, struct timespec32 __user *rmtp)
{
	uint64_t now, ns_per_tick = NSEC_PER_SEC / HZ;

	while (!clock_read_ns(which, &now) && now < end) {
		uint64_t ticks = div64_u64(end - now + ns_per_tick - 1, ns_per_tick);

		set_current_state(TASK_INTERRUPTIBLE);
		if (signal_pending(current)) {
			set_current_state(TASK_RUNNING);
			if (rmtp) {
				uint64_t left = end - now;
				struct timespec32 rem = {
					.tv_sec = (int32_t)div64_u64(left, NSEC_PER_SEC),
					.tv_nsec = (int32_t)(left - div64_u64(left, NSEC_PER_SEC) * NSEC_PER_SEC),
				};

				if (copy_to_user(rmtp, &rem, sizeof(rem)))
					return -EFAULT;
			}
			return -EINTR;
		}
		schedule_timeout(ticks < 0x7fffffff ? (long)ticks : 0x7fffffff);
	}
	return 0;
}

/* A timespec from user space in ns: -EFAULT, or -EINVAL outside Linux's range. */
static int timespec_from_user(const struct timespec32 __user *u, uint64_t *ns)
{
	struct timespec32 ts;

	if (copy_from_user(&ts, u, sizeof(ts)))
		return -EFAULT;
	if (ts.tv_sec < 0 || ts.tv_nsec < 0 || ts.tv_nsec >= (int32_t)NSEC_PER_SEC)
		return -EINVAL;
	*ns = (uint64_t)ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
	return 0;
}

/* Sleeps at least the time asked, as measured by CLOCK_MONOTONIC. */
long sys_nanosleep(struct timespec32 __user *rqtp, struct timespec32 __user *rmtp)
{
	uint64_t ns;
	int err = timespec_from_user(rqtp, &ns);

	if (err)
		return err;
	return sleep_until(CLOCK_MONOTONIC, monotonic_ns() + ns, rmtp);
}

#define TIMER_ABSTIME	0x01

/*
 * clock_nanosleep: glibc's nanosleep and sleep come here (it has no
 * fallback to nanosleep). A relative time as nanosleep on that clock; an
 * absolute one (TIMER_ABSTIME) until the clock reads it, rmtp unused, as
 * Linux. Errors are returned, not set in errno: -EINVAL for a bad clock,
 * flags or time, -EFAULT.
 */
long sys_clock_nanosleep(int which, int flags, struct timespec32 __user *rqtp,
			 struct timespec32 __user *rmtp)
{
	uint64_t ns, now;
	int err;

	if (flags & ~TIMER_ABSTIME)
		return -EINVAL;
	err = clock_read_ns(which, &now);
	if (!err)
		err = timespec_from_user(rqtp, &ns);
	if (err)
		return err;
	if (flags & TIMER_ABSTIME)
		return sleep_until(which, ns, NULL);
	return sleep_until(which, now + ns, rmtp);
}

/* The clocks' resolution: 1 ns for the TSC-based ones, a tick for the
 * coarse ones. */
long sys_clock_getres(int which, struct timespec32 __user *tp)
{
	struct timespec32 ts = { 0, 1 };
	uint64_t now;
	int err = clock_read_ns(which, &now);

	if (err)
		return err;
	if (which == CLOCK_REALTIME_COARSE || which == CLOCK_MONOTONIC_COARSE)
		ts.tv_nsec = NSEC_PER_SEC / HZ;
	if (tp && copy_to_user(tp, &ts, sizeof(ts)))
		return -EFAULT;
	return 0;
}

/* ------------------------------------------------------------ getrandom */

#define GRND_NONBLOCK	0x0001
#define GRND_RANDOM	0x0002
#define GRND_INSECURE	0x0004
#define MAX_RW_COUNT	0x7ffff000u	/* Linux's cap on one read */

/* Without RDRAND: xoshiro128** seeded from the TSC, the RTC and the
 * ticks at first use. Not a cryptographic generator. */
static uint32_t prng_s[4];
static bool prng_seeded;
static DEFINE_SPINLOCK(prng_lock);

static uint32_t rotl(uint32_t x, int k)
{
	return (x << k) | (x >> (32 - k));
}

static uint32_t prng_next(void)
{
	uint32_t r, t;
	unsigned long flags;

	spin_lock_irqsave(&prng_lock, flags);
	if (!prng_seeded) {
		uint64_t tsc = rdtsc(), rtc = (uint64_t)rtc_read_seconds();

		prng_s[0] = (uint32_t)tsc ^ 0x9e3779b9;
		prng_s[1] = (uint32_t)(tsc >> 32) ^ (uint32_t)rtc ^ 0x7f4a7c15;
		prng_s[2] = (uint32_t)cpu_ticks(0) ^ 0xbf58476d;
		prng_s[3] = (uint32_t)(rtc >> 32) ^ 0x94d049bb;
		prng_seeded = true;
	}
	r = rotl(prng_s[1] * 5, 7) * 9;
	t = prng_s[1] << 9;
	prng_s[2] ^= prng_s[0];
	prng_s[3] ^= prng_s[1];
	prng_s[1] ^= prng_s[2];
	prng_s[0] ^= prng_s[3];
	prng_s[2] ^= t;
	prng_s[3] = rotl(prng_s[3], 11);
	spin_unlock_irqrestore(&prng_lock, flags);
	return r;
}

static uint32_t random_u32(void)
{
	static int has_rdrand = -1;
	uint32_t v;

	if (has_rdrand < 0)
		has_rdrand = !!(boot_cpu_data.ecx1 & (1u << 30));
	if (has_rdrand)
		for (int i = 0; i < 10; i++)
			if (rdrand_u32(&v))
				return v;
	return prng_next();
}

/* Linux's name: n bytes from getrandom's source, for the kernel (exec's
 * AT_RANDOM). */
void get_random_bytes(void *buf, size_t n)
{
	uint8_t *p = buf;

	while (n) {
		uint32_t v = random_u32();
		size_t k = n < 4 ? n : 4;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

/* The bytes written, or -EFAULT when not even the first could be. */
long sys_getrandom(char __user *buf, size_t count, unsigned int flags)
{
	uint32_t chunk[16];
	size_t done = 0;

	if (flags & ~(GRND_NONBLOCK | GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if ((flags & (GRND_RANDOM | GRND_INSECURE)) == (GRND_RANDOM | GRND_INSECURE))
		return -EINVAL;
	if (count > MAX_RW_COUNT)
		count = MAX_RW_COUNT;
	while (done < count) {
		size_t n = count - done < sizeof(chunk) ? count - done : sizeof(chunk);
		unsigned long left;

		for (unsigned int i = 0; i < ARRAY_SIZE(chunk); i++)
			chunk[i] = random_u32();
		left = copy_to_user(buf + done, chunk, n);
		done += n - left;
		if (left)
			return done ? (long)done : -EFAULT;
		if (this_cpu()->need_resched)
			schedule();
	}
	memset(chunk, 0, sizeof(chunk));
	return done;
}

long sys_sched_yield(void)
{
	schedule();
	return 0;
}

/* ------------------------------------------------------------ ids, limits */

/* Every process runs as root: one user, no groups (C libraries ask at
 * start-up, and busybox before running an applet). */
long sys_getuid(void)
{
	return 0;
}

/*
 * The resource limits, fixed: RLIMIT_STACK is the stack VMA's limit
 * (STACK_LIMIT), RLIMIT_NOFILE the descriptor table's size, the rest
 * unlimited. Raising or lowering one is -EPERM: nothing here enforces a
 * changed value.
 */
struct rlimit64 {
	uint64_t rlim_cur, rlim_max;
};
struct rlimit32 {
	uint32_t rlim_cur, rlim_max;
};

#define RLIMIT_STACK	3
#define RLIMIT_NOFILE	7
#define RLIM_NLIMITS	16
#define RLIM64_INFINITY	(~0ULL)

static int rlimit_of(unsigned int resource, struct rlimit64 *r)
{
	if (resource >= RLIM_NLIMITS)
		return -EINVAL;
	r->rlim_cur = r->rlim_max = RLIM64_INFINITY;
	if (resource == RLIMIT_STACK)
		r->rlim_cur = STACK_LIMIT;
	if (resource == RLIMIT_NOFILE)
		r->rlim_cur = r->rlim_max = NR_OPEN_DEFAULT;
	return 0;
}

long sys_getrlimit(unsigned int resource, struct rlimit32 __user *rlim)
{
	struct rlimit64 r;
	struct rlimit32 r32;
	int err = rlimit_of(resource, &r);

	if (err)
		return err;
	/* ugetrlimit: RLIM_INFINITY is ~0 in 32 bits too */
	r32.rlim_cur = r.rlim_cur > 0xffffffffULL ? 0xffffffffu : (uint32_t)r.rlim_cur;
	r32.rlim_max = r.rlim_max > 0xffffffffULL ? 0xffffffffu : (uint32_t)r.rlim_max;
	return copy_to_user(rlim, &r32, sizeof(r32)) ? -EFAULT : 0;
}

long sys_prlimit64(int pid, unsigned int resource, const struct rlimit64 __user *new_rlim,
		   struct rlimit64 __user *old_rlim)
{
	struct rlimit64 r;
	int err = rlimit_of(resource, &r);

	if (err)
		return err;
	if (pid && pid != current->pid)
		return find_task_by_pid(pid) ? -EPERM : -ESRCH;
	if (new_rlim)
		return -EPERM;
	if (old_rlim && copy_to_user(old_rlim, &r, sizeof(r)))
		return -EFAULT;
	return 0;
}
