/* SPDX-License-Identifier: MIT */
/*
 * Exception fixups: instructions that may fault on purpose (the probe_*
 * accessors) are listed in section __ex_table with the address to resume
 * at, as in Linux's exception tables.
 */
#ifndef KERNEL_EXTABLE_H
#define KERNEL_EXTABLE_H

#include <stdint.h>

struct exception_table_entry {
	uint32_t insn;
	uint32_t fixup;
};

/* The most recent fault that a fixup absorbed, for tests. */
struct fault_info {
	uint32_t vector;
	uint32_t error_code;
	uint32_t address;	/* CR2 for a page fault */
	uint32_t eip;		/* the faulting instruction */
	uint32_t count;		/* faults absorbed since boot */
};
extern struct fault_info last_fixup_fault;

/* Page-fault error code bits (Intel SDM vol. 3A §4.7). */
#define X86_PF_PROT	(1u << 0)	/* 0: not present, 1: protection */
#define X86_PF_WRITE	(1u << 1)
#define X86_PF_USER	(1u << 2)
#define X86_PF_RSVD	(1u << 3)
#define X86_PF_INSTR	(1u << 4)
#define X86_PF_PK	(1u << 5)

const struct exception_table_entry *search_exception_tables(uint32_t eip);

/* 0, or -EFAULT when the access faulted (kernel/entry.asm). */
int probe_read_u32(uint32_t *dst, const uint32_t *src);
int probe_read_u8(uint8_t *dst, const uint8_t *src);
int probe_write_u32(uint32_t *dst, uint32_t val);
/* Calls addr (which must hold a RET): 0, or -EFAULT on a fetch fault. */
int probe_exec(void *addr);

/* kernel/entry.asm's state for probe_exec, read by do_trap. */
extern uint32_t probe_exec_target;
extern const char probe_exec_fixup[];

#endif /* KERNEL_EXTABLE_H */
