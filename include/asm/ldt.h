/* SPDX-License-Identifier: MIT */
/*
 * struct user_desc, the argument of set_thread_area/get_thread_area and
 * of clone's CLONE_SETTLS on i386 (Linux's uapi asm/ldt.h layout): one
 * segment descriptor described field by field (kernel/tls.c).
 */
#ifndef ASM_LDT_H
#define ASM_LDT_H

struct user_desc {
	unsigned int entry_number;	/* GDT index; -1: pick a free TLS slot */
	unsigned int base_addr;
	unsigned int limit;
	unsigned int seg_32bit:1;
	unsigned int contents:2;	/* 0 data, 1 data expand-down, 2/3 code */
	unsigned int read_exec_only:1;
	unsigned int limit_in_pages:1;
	unsigned int seg_not_present:1;
	unsigned int useable:1;
};

#endif /* ASM_LDT_H */
