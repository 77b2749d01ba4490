/* SPDX-License-Identifier: MIT */
/*
 * The IO-APIC (Intel 82093AA data sheet §3): two MMIO registers, a select
 * and a window, through which the indirect registers below are read and
 * written; in address order, with their bits beneath.
 */
#ifndef DRIVERS_APIC_I82093AA_H
#define DRIVERS_APIC_I82093AA_H

/* MMIO, from the IO-APIC's base */
#define IO_APIC_IOREGSEL	0x00
#define IO_APIC_IOWIN		0x10

/* Indirect registers */
#define IO_APIC_ID		0x00
#define  IO_APIC_ID_SHIFT	24
#define IO_APIC_VER		0x01
#define  IO_APIC_VERSION(x)	((x) & 0xff)
#define  IO_APIC_MAX_REDIR(x)	(((x) >> 16) & 0xff)	/* entries - 1 */
#define IO_APIC_ARB		0x02
#define IO_APIC_REDTBL(n)	(0x10 + 2 * (n))	/* low dword; high at +1 */
/* Redirection entry, low dword */
#define  IO_APIC_RTE_VECTOR_MASK	0xff
#define  IO_APIC_RTE_DM_FIXED		(0u << 8)
#define  IO_APIC_RTE_DM_LOWEST		(1u << 8)
#define  IO_APIC_RTE_DEST_LOGICAL	(1u << 11)
#define  IO_APIC_RTE_DELIVERY_PENDING	(1u << 12)
#define  IO_APIC_RTE_ACTIVE_LOW		(1u << 13)
#define  IO_APIC_RTE_REMOTE_IRR		(1u << 14)
#define  IO_APIC_RTE_LEVEL		(1u << 15)
#define  IO_APIC_RTE_MASKED		(1u << 16)
/* Redirection entry, high dword */
#define  IO_APIC_RTE_DEST_SHIFT		24	/* physical APIC id */

#endif /* DRIVERS_APIC_I82093AA_H */
