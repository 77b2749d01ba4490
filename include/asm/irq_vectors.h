/* SPDX-License-Identifier: MIT */
/*
 * The IDT's vectors above the 32 exceptions (Intel SDM vol. 3A §6.2,
 * §10.8.3 for the priority classes: vector >> 4). Device interrupts take
 * the low classes, the local APIC's own interrupts and IPIs the top ones.
 */
#ifndef ASM_IRQ_VECTORS_H
#define ASM_IRQ_VECTORS_H

#define FIRST_EXTERNAL_VECTOR	0x20
#define NR_VECTORS		256

/* The 8259 pair, remapped here and masked: only spurious IRQ 7/15 land. */
#define PIC_MASTER_VECTOR	0x20
#define PIC_SLAVE_VECTOR	0x28

/* IO-APIC inputs: GSI n raises vector IRQ_VECTOR_BASE + n. */
#define IRQ_VECTOR_BASE		0x30
#define NR_IRQ_VECTORS		64	/* GSIs 0..63 */
#define IRQ_TO_VECTOR(gsi)	(IRQ_VECTOR_BASE + (gsi))

#define LOCAL_TIMER_VECTOR	0xef
#define BENCH_PING_VECTOR	0xf0	/* kernel/bench_smp.c */
#define CALL_FUNCTION_VECTOR	0xfb
#define RESCHEDULE_VECTOR	0xfc
#define INVALIDATE_TLB_VECTOR	0xfd
#define ERROR_APIC_VECTOR	0xfe
#define SPURIOUS_APIC_VECTOR	0xff	/* low 4 bits must be 1s on P6 */

#endif /* ASM_IRQ_VECTORS_H */
