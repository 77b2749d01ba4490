/* SPDX-License-Identifier: MIT */
/*
 * What the kernel takes from the ACPI tables (ACPI 6.5 ch. 5: RSDP, RSDT/
 * XSDT, MADT §5.2.12, FADT §5.2.9, the DSDT's \_S5 §7.4.2): the interrupt
 * controllers, the CPUs, the ISA interrupt overrides, the PM timer,
 * whether there is an 8042, and what restarting and switching off need.
 * kernel/acpi_tables.c and kernel/acpi_aml.c parse (pure, host-tested);
 * kernel/acpi.c finds and maps the tables at boot; kernel/reboot.c uses
 * the power facts.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "asm/fixmap.h"		/* NR_CPUS, MAX_IO_APICS */

#define ACPI_MAX_OVERRIDES	16
#define ACPI_MAX_NMIS		(2 * NR_CPUS)

/* MPS INTI flags (MADT §5.2.12.5 table 5.50): polarity bits 1:0, trigger
 * mode bits 3:2; 0 means "conforms to the bus" (ISA: high, edge). */
#define ACPI_MADT_POLARITY_MASK		0x3
#define ACPI_MADT_POLARITY_CONFORMS	0x0
#define ACPI_MADT_POLARITY_ACTIVE_HIGH	0x1
#define ACPI_MADT_POLARITY_ACTIVE_LOW	0x3
#define ACPI_MADT_TRIGGER_MASK		0xc
#define ACPI_MADT_TRIGGER_CONFORMS	0x0
#define ACPI_MADT_TRIGGER_EDGE		0x4
#define ACPI_MADT_TRIGGER_LEVEL		0xc

/* A processor UID that matches every CPU (a LAPIC_NMI or LOCAL_X2APIC_NMI
 * entry for all), and one that matches none. */
#define ACPI_ID_ALL		0xffffffffu
#define ACPI_ID_NONE		0xfffffffeu

struct acpi_cpu {
	uint32_t apic_id;	/* 8 bits from a type 0 entry, 32 from type 9 */
	uint32_t acpi_id;	/* ACPI processor UID */
	bool enabled;		/* flags bit 0 */
	bool online_capable;	/* flags bit 1 (not enabled, may be hot-added) */
	bool x2apic;		/* from a Processor Local x2APIC entry (type 9) */
};

struct acpi_ioapic {
	uint8_t id;
	uint32_t address;	/* physical, 4 KiB page of registers */
	uint32_t gsi_base;
};

struct acpi_override {		/* ISA IRQ source_irq arrives as gsi */
	uint8_t bus, source_irq;
	uint32_t gsi;
	uint16_t flags;		/* ACPI_MADT_POLARITY_* | ACPI_MADT_TRIGGER_* */
};

struct acpi_lapic_nmi {
	uint32_t acpi_id;	/* ACPI_ID_ALL: every processor */
	uint16_t flags;
	uint8_t lint;		/* LINT0 or LINT1 */
	bool x2apic;		/* from a Local x2APIC NMI entry (type 10) */
};

struct acpi_madt_info {
	uint64_t lapic_address;		/* after the 64-bit override, if any */
	bool pcat_compat;		/* flags bit 0: an 8259 pair is present */
	unsigned int nr_cpus;		/* entries in cpus[] (enabled or not) */
	struct acpi_cpu cpus[NR_CPUS];
	unsigned int nr_cpus_ignored;	/* beyond NR_CPUS */
	unsigned int nr_cpus_duplicate;	/* an APIC id listed twice: the first kept */
	unsigned int nr_ioapics;
	struct acpi_ioapic ioapics[MAX_IO_APICS];
	unsigned int nr_overrides;
	struct acpi_override overrides[ACPI_MAX_OVERRIDES];
	unsigned int nr_nmis;
	struct acpi_lapic_nmi nmis[ACPI_MAX_NMIS];
};

/* Address spaces of a Generic Address Structure (§5.2.3.2). */
#define ACPI_ADR_SPACE_SYSTEM_MEMORY	0
#define ACPI_ADR_SPACE_SYSTEM_IO	1
#define ACPI_ADR_SPACE_PCI_CONFIG	2

/* A register the FADT names, as the power paths use it. */
struct acpi_reg {
	uint8_t space_id;		/* ACPI_ADR_SPACE_* */
	uint8_t bit_width;
	uint64_t address;		/* 0: no register */
};

#define ACPI_WHY_LEN	112		/* a reason, with its NUL */

/*
 * What reboot and power-off take from the FADT and the DSDT
 * (kernel/reboot.c, docs/acpi.md). Each "why" says, in one line, why the
 * fact beside it is missing.
 */
struct acpi_power {
	uint8_t fadt_revision;
	bool have_reset_reg;		/* revision >= 2, RESET_REG_SUP, usable */
	struct acpi_reg reset_reg;	/* RESET_REG */
	uint8_t reset_value;		/* RESET_VALUE */
	char reset_why[ACPI_WHY_LEN];
	struct acpi_reg pm1a_cnt;	/* X_PM1a_CNT_BLK, else PM1a_CNT_BLK */
	struct acpi_reg pm1b_cnt;	/* address 0: there is none */
	uint16_t smi_cmd;		/* 0: no SMI_CMD, ACPI mode is fixed */
	uint8_t acpi_enable;		/* ACPI_ENABLE, written to SMI_CMD */
	uint64_t dsdt_phys;		/* X_DSDT, else DSDT; 0: none */
	bool have_s5;			/* \_S5 found and PM1a_CNT usable */
	uint8_t slp_typa, slp_typb;	/* from \_S5, 3 bits each */
	uint32_t s5_offset;		/* of \_S5's NameOp in the DSDT */
	char s5_why[ACPI_WHY_LEN];
};

/* "I/O port 0xcf9", "memory at 0x...", "PCI 00:1f.0 offset 0xac" in buf. */
const char *acpi_reg_name(const struct acpi_reg *r, char *buf, size_t len);

struct acpi_info {
	bool have_madt;			/* false: one CPU, no IO-APIC */
	struct acpi_madt_info madt;
	bool have_pm_timer;
	uint16_t pm_timer_port;		/* FADT PM_TMR_BLK (system I/O) */
	bool pm_timer_32bit;		/* FADT flags TMR_VAL_EXT */
	bool have_boot_arch;		/* the FADT has IAPC_BOOT_ARCH (revision >= 3) */
	uint16_t boot_arch;		/* IAPC_BOOT_ARCH: ACPI_FADT_8042, ... */
	bool have_fadt;			/* false: power is all zero */
	struct acpi_power power;
	bool have_hpet;			/* an HPET table with a usable address */
	uint64_t hpet_address;		/* its event timer block, system memory */
	uint8_t hpet_number;		/* HPET sequence number */
};

extern struct acpi_info acpi_info;

/* Find, validate and parse the tables (kernel/acpi.c); on any refusal the
 * message names the table and the fault, and acpi_info keeps only what
 * was valid. Needs the vmalloc area (tables are mapped with ioremap). */
void acpi_boot_init(void);

/* Set by "acpi=off": acpi_boot_init leaves acpi_info empty (the fallback:
 * one CPU, no IO-APIC, no PM timer; docs/acpi.md). */
extern bool acpi_disabled;

/* The work of acpi_boot_init without its summary: find the RSDP, map,
 * check and parse the tables into *info (each part written only when its
 * table was valid) and unmap them. 0, or a negative enum acpi_err
 * (include/kernel/acpi_tables.h) when there is no usable RSDP or root
 * table. Tests call it again to compare with acpi_info. */
int acpi_load_tables(struct acpi_info *info);

/*
 * The ACPI PM timer: 3.579545 MHz, 24 or 32 bits wide. pm_timer is the
 * one in use: the FADT's (acpi_boot_init), or without one the chipset's
 * (drivers/timer/acpi_pm.c, pm_timer_probe: the PIIX4's PMBA, an ICH's
 * PMBASE), whose every reading is checked to count first.
 */
#define ACPI_PM_TIMER_HZ	3579545u
struct pm_timer {
	bool present;
	uint16_t port;
	bool bits32;
	char source[48];		/* "the FADT", "PIIX4 PMBA at PCI 00:01.3" */
};
extern struct pm_timer pm_timer;
uint32_t acpi_pm_read(void);	/* 0 when there is no PM timer */
/* Without the FADT's: look for the chipset's, and say what was found. */
void pm_timer_probe(void);

/* Ticks from one reading to a later one, across at most one wrap. */
static inline uint32_t acpi_pm_ticks(uint32_t from, uint32_t to, bool bits32)
{
	return (to - from) & (bits32 ? 0xffffffffu : 0xffffffu);
}

#endif /* KERNEL_ACPI_H */
