/*
 * The tick rate (hz=), per-CPU tick counters and busy-wait delays: on the
 * TSC once the APIC calibration has measured it, on PIT channel 2 before.
 */
#include "asm/percpu.h"
#include "asm/x86.h"
#include "kernel/cmdline.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/time.h"

unsigned int HZ = HZ_DEFAULT;

/* hz=N: 10..1000 ticks per second. */
static int hz_setup(char *val)
{
	unsigned long long v;

	if (!val || kstrtoull(val, 10, &v))
		return -EINVAL;
	if (v < 10 || v > 1000) {
		pr_err("hz=%s: outside 10..1000\n", val);
		return -ERANGE;
	}
	HZ = (unsigned int)v;
	return 0;
}
__setup("hz", hz_setup);

unsigned long cpu_ticks(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu(cpu)->ticks, __ATOMIC_RELAXED);
}

unsigned long jiffies_read(void)
{
	return cpu_ticks(0);
}

void udelay(unsigned long usecs)
{
	if (tsc_khz) {
		uint64_t end = rdtsc() + div_u64((uint64_t)usecs * tsc_khz, 1000);

		while ((int64_t)(rdtsc() - end) < 0)
			cpu_relax();
		return;
	}
	while (usecs) {
		unsigned long step = usecs > 50000 ? 50000 : usecs;

		pit_ch2_start(step);
		while (!pit_ch2_expired())
			cpu_relax();
		usecs -= step;
	}
}

void mdelay(unsigned long msecs)
{
	while (msecs--)
		udelay(1000);
}
