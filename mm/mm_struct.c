// SPDX-License-Identifier: MIT
/*
 * The life of an address space (seed 004's mm_struct; Linux's
 * kernel/fork.c mm_alloc/dup_mm/mmput/mmdrop and kthread_use_mm, and
 * Linux's fs/proc/task_mmu.c for the maps format). Each mm has its own PDPT, a
 * 32-byte kmalloc object in lowmem (below 4 GiB, as PAE's CR3 needs),
 * whose three user entries get their PMD pages at once, as Linux's PAE
 * pgd_alloc does: the CPU reads the four PDPTEs only when CR3 is loaded,
 * so an entry filled later would stay unseen by CPUs running the mm. The
 * fourth entry is swapper_pg_dir's kernel PMD, shared by every mm.
 */
#include "asm/tlbflush.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/printk.h"
#include "kernel/sched.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/pgtrace.h"
#include "mm/slab.h"
#include "internal.h"

struct mm_user_stats mm_stats;

void mm_user_get_stats(struct mm_user_stats *st)
{
	*st = mm_stats;
	st->tlb_shootdowns = __atomic_load_n(&mm_stats.tlb_shootdowns, __ATOMIC_RELAXED);
}

static void free_pmds(pgd_t *pgd)
{
	for (unsigned int i = 0; i < pgd_index(TASK_SIZE); i++) {
		pmd_t *pmd;

		if (!pgd_present(pgd[i]))
			continue;
		pmd = (pmd_t *)__va(pgd_pfn_phys(pgd[i]));
		for (unsigned int j = 0; j < PTRS_PER_PMD; j++)
			if (pmd[j].pmd)
				panic("mmdrop: PMD entry %u of user PDPT slot %u still set (%016llx)",
				      j, i, (unsigned long long)pmd[j].pmd);
		pgd_clear((unsigned long)i << PGDIR_SHIFT, &pgd[i]);
		free_page((unsigned long)pmd);
		mm_stat_sub(nr_pmd_pages, 1);
	}
}

/* The PDPT: three private PMD pages and the shared kernel PMD. */
static pgd_t *pgd_alloc(void)
{
	pgd_t *pgd = kzalloc(PTRS_PER_PGD * sizeof(pgd_t), GFP_KERNEL);

	if (!pgd)
		return NULL;
	BUG_ON((unsigned long)pgd & 31);	/* lowmem: below 4 GiB too */
	for (unsigned int i = 0; i < pgd_index(TASK_SIZE); i++) {
		unsigned long pmd = get_zeroed_page(GFP_KERNEL);

		if (!pmd) {
			free_pmds(pgd);
			kfree(pgd);
			return NULL;
		}
		pgtable_page_zeroed((void *)pmd);
		set_pgd_at((unsigned long)i << PGDIR_SHIFT, &pgd[i], __pgd_table(__pa(pmd)));
		mm_stat_add(nr_pmd_pages, 1);
	}
	set_pgd_at(TASK_SIZE, &pgd[pgd_index(TASK_SIZE)], swapper_pg_dir[pgd_index(TASK_SIZE)]);
	return pgd;
}

struct mm_struct *mm_alloc(void)
{
	struct mm_struct *mm = kzalloc(sizeof(*mm), GFP_KERNEL);

	if (!mm)
		return NULL;
	mm->pgd = pgd_alloc();
	if (!mm->pgd) {
		kfree(mm);
		return NULL;
	}
	mm->mm_users = mm->mm_count = 1;
	spin_lock_init(&mm->page_table_lock);
	vmap_tree_init_plain(&mm->mm_rb, PAGE_SIZE);
	INIT_LIST_HEAD(&mm->mmap);
	mm->task_size = TASK_SIZE;
	mm->mmap_base = mm->free_area_cache = TASK_UNMAPPED_BASE;
	mm_stat_add(nr_mms, 1);
	return mm;
}

void mmdrop(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_count, 1, __ATOMIC_SEQ_CST))
		return;
	if (mm->cpu_vm_mask)
		panic("mmdrop: mm %p freed while CPUs 0x%x have it loaded", mm, mm->cpu_vm_mask);
	free_pmds(mm->pgd);
	/* All four entries cleared through the helpers: the paging trace
	 * then knows the object kmalloc will hand out again holds zeros. */
	pgd_clear(TASK_SIZE, &mm->pgd[pgd_index(TASK_SIZE)]);
	kfree(mm->pgd);
	kfree(mm);
	mm_stat_sub(nr_mms, 1);
}

void mmput(struct mm_struct *mm)
{
	if (__atomic_sub_fetch(&mm->mm_users, 1, __ATOMIC_SEQ_CST))
		return;
	exit_mmap(mm);
	mmdrop(mm);
}

struct mm_struct *dup_mm(struct mm_struct *oldmm)
{
	struct mm_struct *mm = mm_alloc();

	if (!mm)
		return NULL;
	mm->mmap_base = oldmm->mmap_base;
	mm->free_area_cache = oldmm->free_area_cache;
	mm->start_code = oldmm->start_code, mm->end_code = oldmm->end_code;
	mm->start_data = oldmm->start_data, mm->end_data = oldmm->end_data;
	mm->start_brk = oldmm->start_brk, mm->brk = oldmm->brk;
	mm->start_stack = oldmm->start_stack;
	mm->arg_start = oldmm->arg_start, mm->arg_end = oldmm->arg_end;
	mm->env_start = oldmm->env_start, mm->env_end = oldmm->env_end;
	memcpy(mm->saved_auxv, oldmm->saved_auxv, sizeof(mm->saved_auxv));
	if (dup_mmap(mm, oldmm)) {
		mmput(mm);
		return NULL;
	}
	return mm;
}

void kthread_use_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	struct mm_struct *active;
	unsigned long flags;

	mmgrab(mm);
	local_irq_save(flags);
	active = tsk->active_mm;
	tsk->active_mm = tsk->mm = mm;
	switch_mm(active, mm);
	local_irq_restore(flags);
	if (active)
		mmdrop(active);		/* the lazy-TLB borrow */
}

void kthread_unuse_mm(struct mm_struct *mm)
{
	struct task_struct *tsk = current;
	unsigned long flags;

	local_irq_save(flags);
	tsk->mm = tsk->active_mm = NULL;
	switch_mm(mm, NULL);
	local_irq_restore(flags);
	mmdrop(mm);
}

/* ------------------------------------------------------------ /proc/PID/maps */


const char *vma_name(struct vm_area_struct *vma, char *buf, size_t size)
{
	struct mm_struct *mm = vma->vm_mm;

	if (vma->vm_file && vma->vm_file->f_inode)
		return inode_path(vma->vm_file->f_inode, buf, size);
	if (vma->vm_start <= mm->brk && vma->vm_end >= mm->start_brk)
		return "[heap]";
	if ((vma->vm_start <= mm->start_stack && vma->vm_end >= mm->start_stack) ||
	    (vma->vm_flags & VM_GROWSDOWN))
		return "[stack]";
	return NULL;
}

/* One line, as Linux's show_map_vma: the name from column 49. */
static size_t format_vma(struct vm_area_struct *vma, char *buf, size_t size)
{
	struct file *f = vma->vm_file;
	char name[96];
	const char *nm = vma_name(vma, name, sizeof(name));
	unsigned long flags = vma->vm_flags;
	size_t n;

	n = scnprintf(buf, size, "%08lx-%08lx %c%c%c%c %08llx 00:00 %lu ",
		      vma->vm_start, vma->vm_end, flags & VM_READ ? 'r' : '-',
		      flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-',
		      flags & VM_SHARED ? 's' : 'p',
		      f ? (unsigned long long)vma->vm_pgoff << PAGE_SHIFT : 0ULL,
		      f && f->f_inode ? f->f_inode->i_ino : 0UL);
	if (nm)
		n += scnprintf(buf + n, size - n, "%*s%s", n < 49 ? (int)(49 - n) : 0, "", nm);
	n += scnprintf(buf + n, size - n, "\n");
	return n;
}

size_t mm_format_maps(struct mm_struct *mm, char *buf, size_t size)
{
	struct vm_area_struct *vma;
	size_t n = 0;

	if (!size)
		return 0;
	buf[0] = '\0';
	spin_lock(&mm->page_table_lock);
	list_for_each_entry(vma, &mm->mmap, vm_list)
		n += format_vma(vma, buf + n, size - n);
	spin_unlock(&mm->page_table_lock);
	return n;
}

/*
 * mm_checkpoint - the paging checkpoint name, taken in mm (which must be
 * the one loaded), after listing its VMAs and resident pages in the lines
 * tests/pagecheck.py and tools/layout_svg.py read: "checkpoint maps: PID
 * n (who)", one "checkpoint maps: START-END rwxp NAME" per VMA, "checkpoint
 * maps: rss N". The checker then holds every user page to those VMAs.
 */
void mm_checkpoint(struct mm_struct *mm, const char *name, const char *who, int pid)
{
	struct vm_area_struct *vma;
	char buf[96];

	if (!pgtrace_enabled && !paging_checkpoint_armed(name))
		return;
	printk("checkpoint maps: PID %d (%s)\n", pid, who);
	list_for_each_entry(vma, &mm->mmap, vm_list) {
		const char *nm = vma_name(vma, buf, sizeof(buf));

		printk("checkpoint maps: %08lx-%08lx %c%c%c%c %s\n", vma->vm_start, vma->vm_end,
		       vma->vm_flags & VM_READ ? 'r' : '-', vma->vm_flags & VM_WRITE ? 'w' : '-',
		       vma->vm_flags & VM_EXEC ? 'x' : '-', vma->vm_flags & VM_SHARED ? 's' : 'p',
		       nm ? nm : "");
	}
	printk("checkpoint maps: rss %lu\n", mm->rss);
	paging_checkpoint(name);
}
