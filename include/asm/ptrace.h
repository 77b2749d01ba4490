/* SPDX-License-Identifier: MIT */
/*
 * The register frame that kernel/entry.asm builds for every exception, in
 * the order it pushes them (lowest address first). entry.asm checks its
 * push order against the offsets tools/asm-offsets.c derives from this.
 */
#ifndef ASM_PTRACE_H
#define ASM_PTRACE_H

#include <stdint.h>

struct pt_regs {
	uint32_t gs, fs, es, ds;
	uint32_t edi, esi, ebp, esp_at_pusha, ebx, edx, ecx, eax;
	uint32_t vector;
	uint32_t error_code;	/* 0 for exceptions without one */
	uint32_t eip, cs, eflags;
	/* Only on a privilege change (from user mode): the CPU pushes them
	 * then; a frame from kernel mode ends at eflags. */
	uint32_t esp, ss;
};

#endif /* ASM_PTRACE_H */
