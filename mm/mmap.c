// SPDX-License-Identifier: MIT
/*
 * The VMAs of an address space (seed 004: a vm_area_struct per region,
 * with "tree member pointers for fast searching"): kept in an AVL tree
 * keyed by vm_start (mm/vmap_tree.c, the vmalloc area's tree) and in an
 * address-ordered list, merged with neighbours that continue them as
 * Linux's vma_merge does, split at the edges of munmap and mprotect;
 * mmap, munmap, mprotect and brk and their system calls (Linux's
 * mm/mmap.c and mm/mprotect.c for the names and the errors). Everything
 * here runs under mm->page_table_lock.
 */
#include "kernel/errno.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "mm/slab.h"
#include "internal.h"

#define DEFAULT_MAX_MAP_COUNT	65530	/* Linux's vm.max_map_count */

static inline unsigned long vma_pages(const struct vm_area_struct *vma)
{
	return (vma->vm_end - vma->vm_start) >> PAGE_SHIFT;
}

static inline struct vm_area_struct *rb_vma(struct vmap_node *n)
{
	return n ? container_of(n, struct vm_area_struct, vm_rb) : NULL;
}

static struct vm_area_struct *vma_next(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	return vma->vm_list.next == &mm->mmap ? NULL :
	       list_entry(vma->vm_list.next, struct vm_area_struct, vm_list);
}

static struct vm_area_struct *vma_prev(struct vm_area_struct *vma)
{
	struct mm_struct *mm = vma->vm_mm;

	return vma->vm_list.prev == &mm->mmap ? NULL :
	       list_entry(vma->vm_list.prev, struct vm_area_struct, vm_list);
}

/* The range moves in place, keeping its place in the order (the tree is
 * keyed by vm_start and keeps no augmented sizes). */
static void vma_set_range(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	vma->vm_start = vma->vm_rb.va_start = start;
	vma->vm_end = vma->vm_rb.va_end = end;
}

struct vm_area_struct *find_vma(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = mm->mmap_cache;

	if (vma && vma->vm_start <= addr && addr < vma->vm_end)
		return vma;
	vma = rb_vma(vmap_tree_find_le(&mm->mm_rb, addr));
	if (vma && vma->vm_end <= addr)
		vma = vma_next(vma);
	else if (!vma && !list_empty(&mm->mmap))
		vma = list_entry(mm->mmap.next, struct vm_area_struct, vm_list);
	if (vma)
		mm->mmap_cache = vma;
	return vma;
}

struct vm_area_struct *find_vma_containing(struct mm_struct *mm, unsigned long addr)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return vma && vma->vm_start <= addr ? vma : NULL;
}

/* A new VMA, not linked; NULL when no memory. */
static struct vm_area_struct *vma_alloc(struct mm_struct *mm, unsigned long start,
					unsigned long end, unsigned long flags,
					struct file *file, unsigned long pgoff)
{
	struct vm_area_struct *vma = kzalloc(sizeof(*vma), GFP_KERNEL);

	if (!vma)
		return NULL;
	vma->vm_mm = mm;
	vma_set_range(vma, start, end);
	vma->vm_flags = flags;
	vma->vm_page_prot = vm_get_page_prot(flags);
	vma->vm_file = file;
	vma->vm_pgoff = pgoff;
	if (file)
		get_file(file);
	mm_stat_add(nr_vmas, 1);
	return vma;
}

static void vma_free(struct vm_area_struct *vma)
{
	if (vma->vm_file)
		fput(vma->vm_file);
	mm_stat_sub(nr_vmas, 1);
	kfree(vma);
}

/* Into the tree and the list; the range must be free. */
static void vma_link(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev;

	if (vmap_tree_insert(&mm->mm_rb, &vma->vm_rb))
		panic("vma_link: %08lx-%08lx overlaps a VMA", vma->vm_start, vma->vm_end);
	prev = rb_vma(vmap_tree_find_le(&mm->mm_rb, vma->vm_start - 1));
	if (vma->vm_start == 0 || !prev)
		list_add(&vma->vm_list, &mm->mmap);
	else
		list_add(&vma->vm_list, &prev->vm_list);
	mm->map_count++;
	mm->total_vm += vma_pages(vma);
}

static void vma_unlink(struct mm_struct *mm, struct vm_area_struct *vma)
{
	vmap_tree_erase(&mm->mm_rb, &vma->vm_rb);
	list_del(&vma->vm_list);
	mm->map_count--;
	mm->total_vm -= vma_pages(vma);
	if (mm->mmap_cache == vma)
		mm->mmap_cache = NULL;
}

/* Whether b continues a (adjacent, same flags and file, file offsets in
 * step): Linux's is_mergeable_vma and the pgoff checks of vma_merge. */
static bool vma_mergeable(const struct vm_area_struct *a, const struct vm_area_struct *b)
{
	return a->vm_end == b->vm_start && a->vm_flags == b->vm_flags &&
	       a->vm_file == b->vm_file &&
	       (!a->vm_file || a->vm_pgoff + vma_pages(a) == b->vm_pgoff);
}

/* a absorbs the next VMA when that continues it; returns a. */
static struct vm_area_struct *vma_merge_next(struct mm_struct *mm, struct vm_area_struct *a)
{
	struct vm_area_struct *b = a ? vma_next(a) : NULL;

	if (!b || !vma_mergeable(a, b))
		return a;
	vma_unlink(mm, b);
	mm->total_vm -= vma_pages(a);
	vma_set_range(a, a->vm_start, b->vm_end);
	mm->total_vm += vma_pages(a);
	vma_free(b);
	return a;
}

/* vma merged with both neighbours where they continue each other. */
static void vma_merge_around(struct mm_struct *mm, struct vm_area_struct *vma)
{
	struct vm_area_struct *prev = vma_prev(vma);

	if (prev && vma_mergeable(prev, vma))
		vma = vma_merge_next(mm, prev);
	vma_merge_next(mm, vma);
}

/* vma becomes [vm_start, addr) and a new VMA [addr, vm_end) follows it;
 * 0 or -ENOMEM (nothing changed). */
static int split_vma(struct mm_struct *mm, struct vm_area_struct *vma, unsigned long addr)
{
	struct vm_area_struct *new;

	if (mm->map_count >= DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	new = vma_alloc(mm, addr, vma->vm_end, vma->vm_flags, vma->vm_file,
			vma->vm_pgoff + ((addr - vma->vm_start) >> PAGE_SHIFT));
	if (!new)
		return -ENOMEM;
	mm->total_vm -= vma_pages(vma);
	vma_set_range(vma, vma->vm_start, addr);
	mm->total_vm += vma_pages(vma);
	vma_link(mm, new);
	return 0;
}

/* Split the VMAs across start and end, so that [start, end) is made of
 * whole VMAs; the first VMA ending after start, or NULL. */
static int split_range(struct mm_struct *mm, unsigned long start, unsigned long end,
		       struct vm_area_struct **first)
{
	struct vm_area_struct *vma = find_vma(mm, start), *last;
	int err;

	*first = vma;
	if (!vma || vma->vm_start >= end)
		return 0;
	if (vma->vm_start < start) {
		err = split_vma(mm, vma, start);
		if (err)
			return err;
		*first = vma = vma_next(vma);
	}
	last = find_vma(mm, end - 1);
	if (last && last->vm_start < end && last->vm_end > end)
		return split_vma(mm, last, end);
	return 0;
}

/* ------------------------------------------------------------ placement */

/* Whether [addr, addr + len) meets no VMA. */
static bool range_free(struct mm_struct *mm, unsigned long addr, unsigned long len)
{
	struct vm_area_struct *vma = find_vma(mm, addr);

	return !vma || addr + len <= vma->vm_start;
}

/* Top down from `from`: the highest free range of len ending by from. */
static unsigned long search_down(struct mm_struct *mm, unsigned long from, unsigned long len)
{
	unsigned long addr = from;

	while (addr >= mmap_min_addr + len) {
		struct vm_area_struct *vma = find_vma(mm, addr - len);

		if (!vma || addr <= vma->vm_start)
			return addr - len;
		addr = vma->vm_start;
	}
	return -ENOMEM;
}

unsigned long get_unmapped_area(struct mm_struct *mm, unsigned long addr,
				unsigned long len, unsigned long flags)
{
	unsigned long found;

	if (len > TASK_SIZE - mmap_min_addr)
		return -ENOMEM;
	if (flags & MAP_FIXED)
		return addr <= TASK_SIZE - len ? addr : (unsigned long)-ENOMEM;
	if (addr) {
		addr = PAGE_ALIGN(addr);
		if (addr >= mmap_min_addr && addr <= TASK_SIZE - len && range_free(mm, addr, len))
			return addr;
	}
	/* Linux 2.6's free_area_cache: go on below the last area found,
	 * then once more from the top. */
	found = search_down(mm, min(mm->free_area_cache, mm->mmap_base), len);
	if (IS_ERR_VALUE(found))
		found = search_down(mm, mm->mmap_base, len);
	if (!IS_ERR_VALUE(found))
		mm->free_area_cache = found;
	return found;
}

/* ------------------------------------------------------------ unmapping */

static int __do_munmap(struct mm_struct *mm, unsigned long start, unsigned long end)
{
	struct vm_area_struct *vma, *next;
	struct mmu_gather tlb;
	int err = split_range(mm, start, end, &vma);

	if (err)
		return err;
	tlb_gather_mmu(&tlb, mm);
	for (; vma && vma->vm_start < end; vma = next) {
		next = vma_next(vma);
		zap_page_range(&tlb, vma, vma->vm_start, vma->vm_end);
		if (vma->vm_flags & VM_GROWSDOWN)
			mm->stack_vm -= vma_pages(vma);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	free_pgtables(&tlb, start, end);
	tlb_finish_mmu(&tlb);
	if (end > mm->free_area_cache)
		mm->free_area_cache = min(end, mm->mmap_base);
	return 0;
}

int do_munmap(struct mm_struct *mm, unsigned long start, unsigned long len)
{
	int err;

	if ((start & ~PAGE_MASK) || start > TASK_SIZE || len > TASK_SIZE - start)
		return -EINVAL;
	len = PAGE_ALIGN(len);
	if (!len)
		return -EINVAL;
	spin_lock(&mm->page_table_lock);
	err = __do_munmap(mm, start, start + len);
	spin_unlock(&mm->page_table_lock);
	return err;
}

/* ------------------------------------------------------------ mapping */

static unsigned long calc_vm_flags(unsigned long prot, unsigned long flags, struct file *file)
{
	unsigned long vm = VM_MAYREAD | VM_MAYWRITE | VM_MAYEXEC;

	vm |= (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
	      (prot & PROT_EXEC ? VM_EXEC : 0);
	if (flags & MAP_GROWSDOWN)
		vm |= VM_GROWSDOWN;
	if (flags & MAP_SHARED) {
		vm |= VM_SHARED;
		if (file && (file->f_flags & O_ACCMODE) == O_RDONLY)
			vm &= ~VM_MAYWRITE;
	}
	return vm;
}

/* The checks of Linux's do_mmap on a file; 0 or -errno. */
static int mmap_file_ok(struct file *file, unsigned long prot, unsigned long flags)
{
	unsigned int acc = file->f_flags & O_ACCMODE;

	if (!file->f_inode || (file->f_inode->i_mode & S_IFMT) != S_IFREG)
		return -ENODEV;
	if (acc == O_WRONLY)
		return -EACCES;
	if ((flags & MAP_SHARED) && (prot & PROT_WRITE) && acc == O_RDONLY)
		return -EACCES;
	return 0;
}

/* A shared anonymous mapping gets every page at once, so that fork
 * shares them all (there is no shmem object to find them later). */
static int populate(struct vm_area_struct *vma)
{
	for (unsigned long a = vma->vm_start; a < vma->vm_end; a += PAGE_SIZE)
		if (populate_page(vma, a) != VM_FAULT_OK)
			return -ENOMEM;
	return 0;
}

static unsigned long mmap_region(struct mm_struct *mm, struct file *file, unsigned long addr,
				 unsigned long len, unsigned long vm_flags, unsigned long flags,
				 unsigned long pgoff)
{
	struct vm_area_struct *vma;

	if ((flags & MAP_FIXED_NOREPLACE) && !range_free(mm, addr, len))
		return -EEXIST;
	if ((flags & MAP_FIXED) && __do_munmap(mm, addr, addr + len))
		return -ENOMEM;
	if (mm->map_count >= DEFAULT_MAX_MAP_COUNT)
		return -ENOMEM;
	vma = vma_alloc(mm, addr, addr + len, vm_flags, file, file ? pgoff : addr >> PAGE_SHIFT);
	if (!vma)
		return -ENOMEM;
	vma_link(mm, vma);
	if (vm_flags & VM_GROWSDOWN)
		mm->stack_vm += len >> PAGE_SHIFT;
	if ((vm_flags & VM_SHARED) && !file && populate(vma)) {
		__do_munmap(mm, addr, addr + len);
		return -ENOMEM;
	}
	vma_merge_around(mm, vma);
	return addr;
}

unsigned long do_mmap(struct mm_struct *mm, struct file *file, unsigned long addr,
		      unsigned long len, unsigned long prot, unsigned long flags,
		      unsigned long pgoff)
{
	unsigned long ret;
	int err;

	if (!len || (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC)))
		return -EINVAL;
	if ((flags & (MAP_SHARED | MAP_PRIVATE)) == 0 ||
	    ((flags & (MAP_FIXED | MAP_FIXED_NOREPLACE)) && (addr & ~PAGE_MASK)))
		return -EINVAL;
	if (flags & MAP_FIXED_NOREPLACE)
		flags |= MAP_FIXED;
	len = PAGE_ALIGN(len);
	if (!len || len > TASK_SIZE)
		return -ENOMEM;
	if (pgoff + (len >> PAGE_SHIFT) < pgoff)
		return -EOVERFLOW;
	if (file && (err = mmap_file_ok(file, prot, flags)))
		return err;
	spin_lock(&mm->page_table_lock);
	ret = get_unmapped_area(mm, addr, len, flags);
	if (!IS_ERR_VALUE(ret) && ret < mmap_min_addr)
		ret = -EPERM;
	if (!IS_ERR_VALUE(ret))
		ret = mmap_region(mm, file, ret, len, calc_vm_flags(prot, flags, file), flags, pgoff);
	spin_unlock(&mm->page_table_lock);
	return ret;
}

/* ------------------------------------------------------------ mprotect */

static int mprotect_check(struct mm_struct *mm, unsigned long start, unsigned long end,
			  unsigned long newflags)
{
	unsigned long at = start;

	for (struct vm_area_struct *vma = find_vma(mm, start); at < end; vma = vma_next(vma)) {
		if (!vma || vma->vm_start > at)
			return -ENOMEM;		/* a hole */
		if ((newflags & ~(vma->vm_flags >> 4)) & (VM_READ | VM_WRITE | VM_EXEC))
			return -EACCES;		/* beyond VM_MAY* */
		at = vma->vm_end;
	}
	return 0;
}

static int __do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long end,
			 unsigned long newflags)
{
	struct vm_area_struct *vma, *prev;
	int err = mprotect_check(mm, start, end, newflags);

	if (!err)
		err = split_range(mm, start, end, &vma);
	if (err)
		return err;
	prev = vma_prev(vma);
	for (; vma && vma->vm_start < end; vma = vma_next(vma)) {
		vma->vm_flags = (vma->vm_flags & ~(unsigned long)(VM_READ | VM_WRITE | VM_EXEC)) |
				newflags;
		vma->vm_page_prot = vm_get_page_prot(vma->vm_flags);
		change_protection(vma, vma->vm_start, vma->vm_end);
	}
	/* Merge the changed VMAs with each other and their neighbours. */
	vma = prev ? prev : find_vma(mm, 0);
	while (vma && vma->vm_start <= end) {
		struct vm_area_struct *next = vma_next(vma);

		if (next && vma_mergeable(vma, next))
			vma_merge_next(mm, vma);
		else
			vma = next;
	}
	return 0;
}

/* PROT_GROWSDOWN (glibc's executable stacks): the change reaches down to
 * the start of the stack VMA holding start; -EINVAL on any other VMA. */
static int growsdown_start(struct mm_struct *mm, unsigned long *start)
{
	struct vm_area_struct *vma = find_vma_containing(mm, *start);

	if (!vma)
		return -ENOMEM;
	if (!(vma->vm_flags & VM_GROWSDOWN))
		return -EINVAL;
	*start = vma->vm_start;
	return 0;
}

int do_mprotect(struct mm_struct *mm, unsigned long start, unsigned long len,
		unsigned long prot)
{
	unsigned long newflags, end;
	int err;

	if ((start & ~PAGE_MASK) ||
	    (prot & ~(unsigned long)(PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM |
				     PROT_GROWSDOWN)))
		return -EINVAL;		/* PROT_GROWSUP too: no VMA grows up on x86 */
	if (!len)
		return 0;
	len = PAGE_ALIGN(len);
	end = start + len;
	if (!len || end <= start || end > TASK_SIZE)
		return -ENOMEM;
	newflags = (prot & PROT_READ ? VM_READ : 0) | (prot & PROT_WRITE ? VM_WRITE : 0) |
		   (prot & PROT_EXEC ? VM_EXEC : 0);
	spin_lock(&mm->page_table_lock);
	err = 0;
	if (prot & PROT_GROWSDOWN)
		err = growsdown_start(mm, &start);
	if (!err)
		err = __do_mprotect(mm, start, end, newflags);
	spin_unlock(&mm->page_table_lock);
	return err;
}

/* ------------------------------------------------------------ brk, stack */

unsigned long do_brk(struct mm_struct *mm, unsigned long brk)
{
	unsigned long newbrk = PAGE_ALIGN(brk), oldbrk = PAGE_ALIGN(mm->brk), ret;
	struct vm_area_struct *next;

	spin_lock(&mm->page_table_lock);
	ret = mm->brk;
	if (brk < mm->start_brk || brk > TASK_SIZE)
		goto out;
	if (newbrk <= oldbrk) {
		if (newbrk < oldbrk && __do_munmap(mm, newbrk, oldbrk))
			goto out;
		ret = mm->brk = brk;
		goto out;
	}
	/* Linux keeps a page between the break and the next mapping. */
	next = find_vma(mm, oldbrk);
	if (next && newbrk + PAGE_SIZE > next->vm_start)
		goto out;
	if (IS_ERR_VALUE(mmap_region(mm, NULL, oldbrk, newbrk - oldbrk,
				     calc_vm_flags(PROT_READ | PROT_WRITE, MAP_PRIVATE, NULL),
				     MAP_PRIVATE | MAP_FIXED, 0)))
		goto out;
	ret = mm->brk = brk;
out:
	spin_unlock(&mm->page_table_lock);
	return ret;
}

int expand_stack(struct vm_area_struct *vma, unsigned long address)
{
	struct mm_struct *mm = vma->vm_mm;
	struct vm_area_struct *prev = vma_prev(vma);
	unsigned long start = address & PAGE_MASK;

	if (vma->vm_end - start > STACK_LIMIT || start < mmap_min_addr)
		return -ENOMEM;
	if (prev && !(prev->vm_flags & VM_GROWSDOWN) && start < prev->vm_end + STACK_GUARD_GAP)
		return -ENOMEM;
	mm->total_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	mm->stack_vm += (vma->vm_start - start) >> PAGE_SHIFT;
	vma_set_range(vma, start, vma->vm_end);
	return 0;
}

/* ------------------------------------------------------------ system calls */

long sys_brk(unsigned long brk)
{
	return (long)do_brk(current->mm, brk);
}

long sys_mmap2(unsigned long addr, unsigned long len, unsigned long prot,
	       unsigned long flags, unsigned long fd, unsigned long pgoff)
{
	struct file *file = NULL;

	if (!(flags & MAP_ANONYMOUS)) {
		file = fcheck((unsigned int)fd);
		if (!file)
			return -EBADF;
	}
	return (long)do_mmap(current->mm, file, addr, len, prot, flags, pgoff);
}

long sys_munmap(unsigned long addr, size_t len)
{
	return do_munmap(current->mm, addr, len);
}

long sys_mprotect(unsigned long start, size_t len, unsigned long prot)
{
	return do_mprotect(current->mm, start, len, prot);
}

/* ------------------------------------------------------------ fork, exit */

int dup_mmap(struct mm_struct *mm, struct mm_struct *oldmm)
{
	struct vm_area_struct *vma, *new;
	int wp = 0, r = 0;

	spin_lock(&oldmm->page_table_lock);
	list_for_each_entry(vma, &oldmm->mmap, vm_list) {
		new = vma_alloc(mm, vma->vm_start, vma->vm_end, vma->vm_flags,
				vma->vm_file, vma->vm_pgoff);
		if (!new) {
			r = -ENOMEM;
			break;
		}
		vma_link(mm, new);
		r = copy_page_range(mm, oldmm, vma);
		if (r < 0)
			break;
		wp |= r;
		r = 0;
	}
	mm->stack_vm = oldmm->stack_vm;
	/* The parent's writable PTEs just became read-only: no CPU may go
	 * on writing the now shared pages through an old entry. */
	if (wp)
		flush_tlb_mm_range(oldmm, 0, TASK_SIZE);
	spin_unlock(&oldmm->page_table_lock);
	return r;
}

void exit_mmap(struct mm_struct *mm)
{
	struct vm_area_struct *vma, *next;
	struct mmu_gather tlb;

	spin_lock(&mm->page_table_lock);
	tlb_gather_mmu(&tlb, mm);
	list_for_each_entry_safe(vma, next, &mm->mmap, vm_list) {
		zap_page_range(&tlb, vma, vma->vm_start, vma->vm_end);
		vma_unlink(mm, vma);
		vma_free(vma);
	}
	free_pgtables(&tlb, 0, TASK_SIZE);
	tlb_finish_mmu(&tlb);
	mm->stack_vm = 0;
	spin_unlock(&mm->page_table_lock);
}
