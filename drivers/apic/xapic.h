/* SPDX-License-Identifier: MIT */
/*
 * Local APIC (xAPIC mode) registers, as offsets from its 4 KiB MMIO page,
 * in address order with their bits beneath (Intel SDM vol. 3A §10.4.1
 * table 10-1, §10.5 LVT, §10.6 ICR, §10.5.4 timer, §10.9 spurious vector).
 * Every register is 32 bits at a 16-byte-aligned offset. In x2APIC mode
 * (§10.12) the same registers are MSRs X2APIC_MSR_BASE + offset / 16,
 * the ICR one 64-bit MSR; DFR and ICR2 do not exist there.
 */
#ifndef DRIVERS_APIC_XAPIC_H
#define DRIVERS_APIC_XAPIC_H

#define MSR_IA32_APICBASE	0x1b
#define  APICBASE_BSP		(1u << 8)
#define  APICBASE_X2APIC	(1u << 10)	/* EXTD */
#define  APICBASE_ENABLE	(1u << 11)
#define  APICBASE_ADDR_MASK	0xffffff000ULL

/* CPUID leaf 1, ECX: the x2APIC architecture (§10.12.1). */
#define X86_FEATURE_X2APIC_ECX	(1u << 21)

/* x2APIC mode (§10.12.1.2 table 10-6): the MSR of an xAPIC offset. */
#define X2APIC_MSR_BASE		0x800
#define  X2APIC_MSR(reg)	(X2APIC_MSR_BASE + ((reg) >> 4))
#define X2APIC_ICR		X2APIC_MSR(APIC_ICR)	/* 0x830, 64 bits: destination 63:32 */
#define X2APIC_SELF_IPI		0x83f			/* write-only: the vector */

#define APIC_ID			0x020
#define  GET_APIC_ID(x)		(((x) >> 24) & 0xff)	/* xAPIC; x2APIC: all 32 bits */
#define APIC_LVR		0x030
#define  GET_APIC_VERSION(x)	((x) & 0xff)
#define  GET_APIC_MAXLVT(x)	(((x) >> 16) & 0xff)
#define APIC_TASKPRI		0x080
#define  APIC_TPRI_MASK		0xff
#define APIC_EOI		0x0b0
#define APIC_LDR		0x0d0
#define APIC_DFR		0x0e0
#define APIC_SPIV		0x0f0
#define  APIC_SPIV_APIC_ENABLED	(1u << 8)
#define  APIC_SPIV_FOCUS_DISABLED (1u << 9)
#define APIC_ISR		0x100	/* 8 registers, 0x100-0x170 */
#define APIC_TMR		0x180
#define APIC_IRR		0x200
#define APIC_ESR		0x280
#define  APIC_ESR_SEND_CS	(1u << 0)
#define  APIC_ESR_RECV_CS	(1u << 1)
#define  APIC_ESR_SEND_ACC	(1u << 2)
#define  APIC_ESR_RECV_ACC	(1u << 3)
#define  APIC_ESR_REDIR_IPI	(1u << 4)
#define  APIC_ESR_SEND_ILL	(1u << 5)
#define  APIC_ESR_RECV_ILL	(1u << 6)
#define  APIC_ESR_ILL_REG	(1u << 7)
#define APIC_LVTCMCI		0x2f0
#define APIC_ICR		0x300	/* low half; writing it sends */
#define  APIC_VECTOR_MASK	0xff
#define  APIC_DM_FIXED		(0u << 8)
#define  APIC_DM_NMI		(4u << 8)
#define  APIC_DM_INIT		(5u << 8)
#define  APIC_DM_STARTUP	(6u << 8)
#define  APIC_DM_EXTINT		(7u << 8)
#define  APIC_DEST_LOGICAL	(1u << 11)
#define  APIC_ICR_BUSY		(1u << 12)	/* delivery status: pending */
#define  APIC_INT_ASSERT	(1u << 14)
#define  APIC_INT_LEVELTRIG	(1u << 15)
#define  APIC_DEST_SELF		(1u << 18)
#define  APIC_DEST_ALLINC	(2u << 18)
#define  APIC_DEST_ALLBUT	(3u << 18)
#define APIC_ICR2		0x310	/* high half: destination */
#define  SET_APIC_DEST_FIELD(x)	((uint32_t)(x) << 24)
#define APIC_LVTT		0x320
#define  APIC_LVT_TIMER_PERIODIC (1u << 17)
#define APIC_LVTTHMR		0x330
#define APIC_LVTPC		0x340
#define APIC_LVT0		0x350
#define APIC_LVT1		0x360
#define APIC_LVTERR		0x370
/* LVT bits common to the entries above. */
#define  APIC_LVT_DELIVERY_PENDING (1u << 12)
#define  APIC_LVT_ACTIVE_LOW	(1u << 13)
#define  APIC_LVT_LEVEL_TRIGGER	(1u << 15)
#define  APIC_LVT_MASKED	(1u << 16)
#define APIC_TMICT		0x380	/* timer initial count */
#define APIC_TMCCT		0x390	/* timer current count */
#define APIC_TDCR		0x3e0	/* timer divide configuration */
#define  APIC_TDR_DIV_1		0xb
#define  APIC_TDR_DIV_2		0x0
#define  APIC_TDR_DIV_4		0x1
#define  APIC_TDR_DIV_8		0x2
#define  APIC_TDR_DIV_16	0x3

#endif /* DRIVERS_APIC_XAPIC_H */
