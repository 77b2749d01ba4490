/* SPDX-License-Identifier: MIT */
/*
 * The High Precision Event Timer's registers, as byte offsets into its
 * 1 KiB event timer block (IA-PC HPET Specification 1.0a §2.3, table 2;
 * Linux's names from arch/x86/include/asm/hpet.h).
 */
#ifndef DRIVERS_TIMER_HPET_H
#define DRIVERS_TIMER_HPET_H

#define HPET_MMAP_SIZE		1024
#define HPET_DEFAULT_ADDRESS	0xfed00000u	/* where PC chipsets decode it */

#define HPET_ID			0x000	/* General Capabilities and ID, low half */
#define  HPET_ID_REV		0x000000ffu
#define  HPET_ID_NUMBER		0x00001f00u	/* timers - 1 */
#define  HPET_ID_NUMBER_SHIFT	8
#define  HPET_ID_64BIT		(1u << 13)
#define  HPET_ID_LEGSUP		(1u << 15)	/* legacy replacement route */
#define  HPET_ID_VENDOR_SHIFT	16
#define HPET_PERIOD		0x004	/* the high half: femtoseconds per count */
#define  HPET_MAX_PERIOD	100000000u	/* 100 ns: the specification's bound */
#define HPET_CFG		0x010	/* General Configuration */
#define  HPET_CFG_ENABLE	(1u << 0)	/* the main counter runs */
#define  HPET_CFG_LEGACY	(1u << 1)	/* timer 0 to IRQ 0, timer 1 to IRQ 8 */
#define HPET_STATUS		0x020
#define HPET_COUNTER		0x0f0	/* main counter, low half */
#define HPET_Tn_CFG(n)		(0x100 + 0x20 * (n))
#define  HPET_TN_INT_ENB	(1u << 2)
#define  HPET_TN_PERIODIC	(1u << 3)
#define  HPET_TN_PERIODIC_CAP	(1u << 4)
#define  HPET_TN_64BIT_CAP	(1u << 5)
#define  HPET_TN_SETVAL		(1u << 6)	/* the next comparator write sets the period */
#define  HPET_TN_32BIT		(1u << 8)
#define HPET_Tn_CMP(n)		(0x108 + 0x20 * (n))

#endif /* DRIVERS_TIMER_HPET_H */
