/* SPDX-License-Identifier: MIT */
/*
 * A process's address space: mm_struct and one vm_area_struct per region
 * of the lower 3 GiB (seed 004 on the process address space; Linux's
 * include/linux/mm_types.h for the names). mm/mmap.c keeps the regions,
 * mm/memory.c fills them on page faults.
 */
#ifndef MM_MM_TYPES_H
#define MM_MM_TYPES_H

#include <stdbool.h>
#include <stdint.h>
#include "asm/pgtable.h"
#include "kernel/list.h"
#include "kernel/spinlock.h"
#include "mm/vmap_tree.h"

struct file;

/* vm_area_struct.vm_flags (Linux's values). */
#define VM_READ		0x00000001
#define VM_WRITE	0x00000002
#define VM_EXEC		0x00000004
#define VM_SHARED	0x00000008
#define VM_MAYREAD	0x00000010
#define VM_MAYWRITE	0x00000020
#define VM_MAYEXEC	0x00000040
#define VM_GROWSDOWN	0x00000100	/* the stack: grows down on faults */

/*
 * One region [vm_start, vm_end) of a process's address space. Anonymous
 * when vm_file is NULL; otherwise a private mapping of vm_file from byte
 * vm_pgoff << PAGE_SHIFT, whose pages are copied from the file on the
 * first touch (the in-memory file system has no page cache to share).
 */
struct vm_area_struct {
	unsigned long vm_start;
	unsigned long vm_end;		/* one past the last byte */
	struct mm_struct *vm_mm;
	unsigned long vm_flags;		/* VM_* */
	pgprot_t vm_page_prot;		/* what its PTEs get */
	struct file *vm_file;		/* NULL: anonymous */
	unsigned long vm_pgoff;		/* in pages, within vm_file */
	/* mm/mmap.c's ordered tree of the mm's VMAs (the AVL tree of
	 * mm/vmap_tree.c, its range kept equal to [vm_start, vm_end)), and
	 * their address-order list */
	struct vmap_node vm_rb;
	struct list_head vm_list;
};

/*
 * A process's address space: its own PDPT (pgd, below 4 GiB and 32-byte
 * aligned as CR3 needs in PAE mode), whose three user entries point at
 * PMD pages of its own and whose fourth is swapper_pg_dir's kernel PMD,
 * shared by every process. mm_users counts the tasks using it as their
 * mm; mm_count the references to the struct (one for all of mm_users,
 * plus one per kernel thread borrowing it as active_mm).
 */
struct mm_struct {
	pgd_t *pgd;
	int mm_users;
	int mm_count;
	spinlock_t page_table_lock;	/* the VMA tree and the page tables */
	struct vmap_tree mm_rb;		/* the VMA tree, keyed by vm_start */
	struct list_head mmap;		/* VMAs in address order */
	int map_count;			/* VMAs */
	struct vm_area_struct *mmap_cache;	/* last find_vma result */
	unsigned long mmap_base;	/* get_unmapped_area searches down from here */
	unsigned long free_area_cache;	/* where its last search ended (Linux 2.6) */
	unsigned long task_size;	/* TASK_SIZE */
	unsigned long start_code, end_code, start_data, end_data;
	unsigned long start_brk, brk, start_stack;
	unsigned long arg_start, arg_end, env_start, env_end;
	unsigned long total_vm;		/* pages in VMAs */
	unsigned long stack_vm;
	unsigned long nr_ptes;		/* PTE pages */
	unsigned long rss;		/* pages mapped */
	uint32_t cpu_vm_mask;		/* CPUs that may hold its translations */
	unsigned long saved_auxv[2 * 24];
};

#endif /* MM_MM_TYPES_H */
