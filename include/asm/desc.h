/* SPDX-License-Identifier: MIT */
/*
 * Segment and gate descriptors (Intel SDM vol. 3A §3.4.5, §6.11) and the
 * kernel's GDT and IDT set-up.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <stdint.h>

#define GATE_INTERRUPT	0x8e	/* present, DPL 0, 32-bit interrupt gate */
#define NR_EXCEPTIONS	32
#define IDT_ENTRIES	256

struct gate_desc {
	uint16_t offset_low;
	uint16_t segment;
	uint8_t zero;
	uint8_t type_attr;
	uint16_t offset_high;
} __attribute__((packed));

void gdt_init(void);
void cpu_gdt_init(unsigned int cpu);
void trap_init(void);
void idt_load(void);
void set_intr_gate(unsigned int n, uint32_t handler);

#endif /* ASM_DESC_H */
