/* SPDX-License-Identifier: MIT */
/*
 * The tick rate (hz=), per-CPU tick counters and busy-wait delays: on the
 * TSC once the APIC calibration has measured it, on PIT channel 2 before.
 */
#include "asm/percpu.h"
#include "asm/x86.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/time.h"

unsigned int HZ = HZ_DEFAULT;

/* hz=N: 10..1000 ticks per second. */
__setup_uint("hz", HZ, 10, 1000);

unsigned long cpu_ticks(unsigned int cpu)
{
	return __atomic_load_n(&per_cpu(cpu)->ticks, __ATOMIC_RELAXED);
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
