/* SPDX-License-Identifier: MIT */
/*
 * Process address spaces: creating, copying and tearing down an
 * mm_struct (mm/mmap.c), its VMAs, and the page-fault path that fills
 * them (mm/memory.c). Names follow Linux's mm/ (seed 004).
 */
#ifndef MM_MMAP_H
#define MM_MMAP_H

#include <stdbool.h>
#include "asm/ptrace.h"
#include "mm/mm_types.h"

#define TASK_SIZE		PAGE_OFFSET		/* user space: 0 .. 3 GiB */
#define STACK_TOP		TASK_SIZE		/* the stack VMA ends here */
#define STACK_LIMIT		(8UL << 20)		/* RLIMIT_STACK: 8 MiB */
#define STACK_GUARD_GAP		(256UL << PAGE_SHIFT)	/* kept free below the stack limit */
#define TASK_UNMAPPED_BASE	(STACK_TOP - STACK_LIMIT - STACK_GUARD_GAP)
#define mmap_min_addr		0x10000UL		/* nothing maps below 64 KiB */

/* mmap2's prot and flags (Linux's uapi values). */
#define PROT_NONE	0x0
#define PROT_READ	0x1
#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define PROT_SEM	0x8		/* accepted, meaningless here (as on x86) */
#define PROT_GROWSDOWN	0x01000000	/* mprotect: down to the start of a stack VMA */
#define PROT_GROWSUP	0x02000000
#define MAP_SHARED	0x01
#define MAP_PRIVATE	0x02
#define MAP_FIXED	0x10
#define MAP_ANONYMOUS	0x20
#define MAP_GROWSDOWN	0x0100
#define MAP_DENYWRITE	0x0800
#define MAP_EXECUTABLE	0x1000
#define MAP_NORESERVE	0x4000
#define MAP_POPULATE	0x8000
#define MAP_FIXED_NOREPLACE 0x100000
#define MAP_FAILED	((unsigned long)-1)

/* handle_mm_fault's answers. */
#define VM_FAULT_OK	0
#define VM_FAULT_OOM	1	/* no memory for the page or a table */
#define VM_FAULT_SIGSEGV 2	/* no VMA, or the access is not allowed */

/* ---- mm/mmap.c: the mm_struct and its VMAs */

/* A new, empty address space (its PDPT with the shared kernel PMD); NULL
 * when no memory. mm_users = mm_count = 1. */
struct mm_struct *mm_alloc(void);
static inline void mmget(struct mm_struct *mm) { __atomic_add_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST); }
static inline void mmgrab(struct mm_struct *mm) { __atomic_add_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST); }
/* Drop a user: the last one unmaps every VMA and frees the page tables
 * (exit_mmap), then drops the user's mm_count reference. */
void mmput(struct mm_struct *mm);
/* Drop an mm_count reference: the last one frees the PDPT and the struct. */
void mmdrop(struct mm_struct *mm);
/* fork: a copy of oldmm whose private writable pages are shared
 * read-only with it until one side writes (copy on write); NULL when no
 * memory (nothing is left allocated). */
struct mm_struct *dup_mm(struct mm_struct *oldmm);

/* The first VMA with vm_end > addr, or NULL. O(log n). */
struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr);
/* A free range of len bytes: addr when given, free and not fixed-only,
 * otherwise searched top-down from mm->mmap_base; -ENOMEM when none. */
unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				unsigned long len, unsigned long flags);
/* Map [addr, addr + len) into mm (MAP_* flags, PROT_* prot); file may be
 * NULL (anonymous). The start address, or -errno. Merges with neighbours
 * that have the same flags and file continuity, as Linux's vma_merge. */
unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff);
/* Unmap [start, start + len): splits VMAs at the edges, frees pages and
 * empty page tables, shoots down the TLBs of CPUs running mm. 0 or -errno. */
int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len);
int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot);
/* Move the break of mm (exec sets start_brk = brk); returns the new
 * break, or the old one when brk is out of range or no memory. */
unsigned long do_brk(struct mm_struct *mm, unsigned long brk);
/* /proc/PID/maps lines for mm into buf (at most size bytes, NUL ended);
 * the length written. */
size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t size);
/* The paging checkpoint name inside mm (loaded), its VMAs listed first for
 * the checker (pid and who name the process); nothing when neither the
 * paging trace nor that checkpoint is on. */
void mm_checkpoint(struct mm_struct *mm, const char *name, const char *who, int pid);

/* ---- mm/memory.c: page tables and faults */

/* Fault at address in mm (X86_PF_* error code): a VMA that allows the
 * access gets its page (zeroed anonymous page, file copy, or a copy on
 * write); stack VMAs grow down within STACK_LIMIT. VM_FAULT_*. */
int handle_mm_fault(struct mm_struct *mm, unsigned long address, unsigned int error_code);
/*
 * do_user_addr_fault - kernel/traps.c's page-fault handler for an address
 * below TASK_SIZE, from user mode or from the kernel touching user memory
 * (copy_from_user and friends, which have an exception-table fixup): true
 * when the fault was handled and the access may be retried. False when it
 * was not: for a user-mode fault the process has been sent SIGSEGV with
 * the report (see force_sig_fault); for a kernel-mode fault the caller
 * applies the fixup or oopses.
 */
bool do_user_addr_fault(struct pt_regs *regs, unsigned long address, unsigned int error_code);
/*
 * access_remote_vm - copy len bytes between buf and mm's user addresses
 * from addr (into mm with FOLL_WRITE), faulting the pages in as the
 * process's own accesses would be, whether or not mm is loaded on this
 * CPU (exec fills a new stack with it, as Linux's get_user_pages users
 * do). The bytes copied: fewer when a page is refused (no VMA, not
 * writable) or memory is out. Not with a kmap_atomic or a lock held.
 */
#define FOLL_WRITE	0x01
int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len,
		     unsigned int gup_flags);
/*
 * The report of a user fault do_user_addr_fault prints (without the
 * newline) into buf: "NAME[PID]: segfault at ADDR ip EIP sp ESP error E
 * (user write, not present) in NAME[START+LEN]", or "(no VMA)" at the
 * end. The length written.
 */
size_t segfault_report(char *buf, size_t size, const char *comm, int pid,
		       const struct pt_regs *regs, struct mm_struct *mm,
		       unsigned long address, unsigned int err);
/* HIGHPTE: PTE pages of user page tables come from ZONE_HIGHMEM and are
 * reached through kmap_atomic (highpte=off turns it off). */
extern bool highpte_enabled;
pte_t *pte_offset_map(pmd_t *pmd, unsigned long address);
void pte_unmap(pte_t *pte);

/* Load next's PDPT on this CPU (CR3) when it differs from prev, and keep
 * cpu_vm_mask; interrupts off. */
void switch_mm(struct mm_struct *prev, struct mm_struct *next);
/* TLB shootdown of a user range of mm on every CPU in cpu_vm_mask. */
void flush_tlb_mm_range(struct mm_struct *mm, unsigned long start, unsigned long end);

/*
 * A kernel thread works in a process's address space (Linux's
 * kthread_use_mm): current->mm and active_mm become mm (an mm_count
 * reference taken) and its PDPT is loaded; the caller holds an mm_users
 * reference for as long. kthread_unuse_mm gives it up and, unlike
 * Linux's lazy one, loads swapper_pg_dir again, so that the mm's last
 * reference goes with its last user (exact counts for tests).
 */
void kthread_use_mm(struct mm_struct *mm);
void kthread_unuse_mm(struct mm_struct *mm);

/* Counters for tests and /proc/meminfo. */
struct mm_user_stats {
	unsigned long nr_mms;		/* live mm_structs */
	unsigned long nr_vmas;		/* live vm_area_structs */
	unsigned long nr_pte_pages;	/* user PTE pages */
	unsigned long nr_pmd_pages;	/* user PMD pages */
	unsigned long nr_highpte;	/* of those PTE pages, in ZONE_HIGHMEM */
	unsigned long anon_pages;	/* user pages mapped (counted once) */
	unsigned long cow_copies;	/* pages copied on write since boot */
	unsigned long faults;		/* user faults handled since boot */
	unsigned long tlb_shootdowns;	/* IPIs sent for user ranges */
};
void mm_user_get_stats(struct mm_user_stats *st);

#endif /* MM_MMAP_H */
