/* SPDX-License-Identifier: MIT */
/*
 * The power-management function of the Intel 82371AB PIIX4 (PCI function
 * 3 of the PIIX4, 8086:7113; 82371AB datasheet §3.4 for its configuration
 * registers, §7.2 for the I/O registers at PMBA), as QEMU's pc machine and
 * Bochs emulate it. Its soft-off suspend type is 0, known without a DSDT.
 */
#ifndef DRIVERS_PCI_PIIX4_H
#define DRIVERS_PCI_PIIX4_H

#define PIIX4_VENDOR_ID		0x8086
#define PIIX4_PM_DEVICE_ID	0x7113

/* Configuration registers of function 3. */
#define PIIX4_PMBA		0x40	/* 32 bits: the PM I/O base */
#define  PIIX4_PMBA_MASK	0xffc0	/* bits 15:6; bit 0 reads 1 (I/O) */
#define PIIX4_PMREGMISC		0x80	/* 8 bits */
#define  PIIX4_PMIOSE		(1u << 0)	/* the PMBA I/O space is on */

/* I/O registers at PMBA. */
#define PIIX4_PMSTS		0x00	/* 16 bits */
#define PIIX4_PMEN		0x02	/* 16 bits */
#define PIIX4_PMCNTRL		0x04	/* 16 bits */
#define  PIIX4_SCI_EN		(1u << 0)
#define  PIIX4_SUS_TYP_SHIFT	10	/* bits 12:10 */
#define  PIIX4_SUS_TYP		(7u << 10)
#define  PIIX4_SUS_TYP_SOFT_OFF	0
#define  PIIX4_SUS_EN		(1u << 13)	/* write 1: enter SUS_TYP */
#define PIIX4_PMTMR		0x08	/* 32 bits: the ACPI PM timer */

#endif /* DRIVERS_PCI_PIIX4_H */
