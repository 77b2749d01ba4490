/* SPDX-License-Identifier: MIT */
/*
 * The HPET (IA-PC HPET Specification 1.0a): its main counter as a clock
 * to calibrate against when the PIT does not count, and its timer 0 in
 * legacy replacement mode (IRQ 0) as the tick of a CPU without a local
 * APIC when there is no PIT either. Found through the ACPI HPET table;
 * with no ACPI tables at all, looked for at 0xFED00000, where PC chipsets
 * decode it. Mapped with ioremap (uncached) only when used; taken only
 * when its capabilities hold a period the specification allows (0 < P <=
 * 100 ns) and its counter is seen to count.
 */
#define pr_fmt(fmt) "HPET: " fmt

#include "hpet.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/math64.h"
#include "kernel/printk.h"
#include "kernel/time.h"
#include "mm/vmalloc.h"

static volatile uint8_t *hpet_virt;
uint64_t hpet_address;
uint32_t hpet_hz;

/* A counter at up to 100 MHz changes within a few reads; unclaimed
 * memory never does. A count of reads bounds the look. */
#define HPET_COUNT_TRIES	100000

static uint32_t hpet_readl(unsigned int reg)
{
	return *(volatile uint32_t *)(hpet_virt + reg);
}

static void hpet_writel(unsigned int reg, uint32_t v)
{
	*(volatile uint32_t *)(hpet_virt + reg) = v;
}

uint32_t hpet_read_counter(void)
{
	return hpet_readl(HPET_COUNTER);
}

bool hpet_present(void)
{
	return hpet_virt != NULL;
}

static bool hpet_counts(void)
{
	uint32_t first = hpet_read_counter();

	for (int i = 0; i < HPET_COUNT_TRIES; i++)
		if (hpet_read_counter() != first)
			return true;
	return false;
}

int hpet_init(void)
{
	const char *from;
	uint32_t id, period, cfg;

	if (hpet_virt)
		return 0;
	if (acpi_info.have_hpet) {
		hpet_address = acpi_info.hpet_address;
		from = "the ACPI HPET table";
	} else if (!acpi_info.have_fadt) {
		hpet_address = HPET_DEFAULT_ADDRESS;
		from = "no ACPI tables: looked for at its usual address";
	} else {
		pr_info("none: the ACPI tables list no HPET\n");
		return -ENODEV;
	}
	hpet_virt = ioremap(hpet_address, HPET_MMAP_SIZE);
	if (!hpet_virt) {
		pr_err("cannot map 0x%llx (%s)\n", (unsigned long long)hpet_address, from);
		return -ENOMEM;
	}
	id = hpet_readl(HPET_ID);
	period = hpet_readl(HPET_PERIOD);
	if (id == 0xffffffffu || !(id >> HPET_ID_VENDOR_SHIFT) || !(id & HPET_ID_REV) ||
	    !period || period > HPET_MAX_PERIOD) {
		pr_info("none at 0x%llx (%s): capabilities 0x%08x, period %u fs: not an HPET\n",
			(unsigned long long)hpet_address, from, id, period);
		goto fail;
	}
	cfg = hpet_readl(HPET_CFG);
	if (!(cfg & HPET_CFG_ENABLE))
		hpet_writel(HPET_CFG, cfg | HPET_CFG_ENABLE);
	if (!hpet_counts()) {
		pr_info("at 0x%llx (%s): its counter does not count; not used\n",
			(unsigned long long)hpet_address, from);
		goto fail;
	}
	hpet_hz = (uint32_t)div_u64(1000000000000000ULL, period);
	pr_info("at 0x%llx (%s): vendor 0x%04x, %u timers, %u-bit counter at %u.%06u MHz (period %u fs)\n",
		(unsigned long long)hpet_address, from, id >> HPET_ID_VENDOR_SHIFT,
		((id & HPET_ID_NUMBER) >> HPET_ID_NUMBER_SHIFT) + 1,
		id & HPET_ID_64BIT ? 64 : 32, hpet_hz / 1000000, hpet_hz % 1000000, period);
	return 0;
fail:
	iounmap((const void *)hpet_virt);
	hpet_virt = NULL;
	return -ENODEV;
}

/*
 * Timer 0 periodic at hz, routed to IRQ 0 by the legacy replacement
 * mode (specification §2.3.9.2.1), 32 bits wide: the main counter stopped
 * while the comparator and then, with SETVAL, the period are written
 * (as Linux's hpet_set_periodic does), then started again. 0, or
 * -ENODEV when the HPET has no legacy route or timer 0 is not periodic.
 */
int hpet_legacy_tick_start(unsigned int hz)
{
	uint32_t id, cfg, tcfg, delta;

	if (!hpet_virt)
		return -ENODEV;
	id = hpet_readl(HPET_ID);
	tcfg = hpet_readl(HPET_Tn_CFG(0));
	if (!(id & HPET_ID_LEGSUP) || !(tcfg & HPET_TN_PERIODIC_CAP))
		return -ENODEV;
	delta = hpet_hz / hz;
	cfg = hpet_readl(HPET_CFG);
	hpet_writel(HPET_CFG, cfg & ~HPET_CFG_ENABLE);
	tcfg |= HPET_TN_INT_ENB | HPET_TN_PERIODIC | HPET_TN_SETVAL | HPET_TN_32BIT;
	hpet_writel(HPET_Tn_CFG(0), tcfg);
	hpet_writel(HPET_Tn_CMP(0), hpet_read_counter() + delta);
	hpet_writel(HPET_Tn_CMP(0), delta);
	hpet_writel(HPET_CFG, cfg | HPET_CFG_ENABLE | HPET_CFG_LEGACY);
	return 0;
}

uint32_t hpet_tick_comparator(void)
{
	return hpet_readl(HPET_Tn_CMP(0));
}
