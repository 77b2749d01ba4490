// SPDX-License-Identifier: MIT
/*
 * User page tables and the page-fault path that fills them (seed 004:
 * pages are allocated on fault; "user page tables will directly map high
 * pages"; Linux's mm/memory.c and arch/x86/mm/fault.c for the names).
 * PTE pages come from ZONE_HIGHMEM (HIGHPTE) and are only touched through
 * pte_offset_map/pte_unmap, which are kmap_atomic/kunmap_atomic; PMD
 * pages are lowmem, preallocated with the PDPT (mm/mmap.c). Every entry
 * is written with set_*_at/pte_clear (include/asm/pgtable.h). The mm's
 * page_table_lock covers the VMAs and the tables.
 */
#include "asm/tlbflush.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/fs.h"
#include "kernel/kernel.h"
#include "kernel/params.h"
#include "kernel/preempt.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/highmem.h"
#include "internal.h"

bool highpte_enabled = true;

/* highpte=off: user PTE pages from lowmem, for comparison. */
static int highpte_setup(char *val)
{
	if (val && strcmp(val, "off") == 0)
		highpte_enabled = false;
	else if (val && strcmp(val, "on") == 0)
		highpte_enabled = true;
	else
		return -EINVAL;
	return 0;
}
__setup("highpte", highpte_setup);

pte_t *pte_offset_map(pmd_t *pmd, unsigned long address)
{
	struct page *table = pfn_to_page(pmd_pfn_phys(*pmd) >> PAGE_SHIFT);

	return (pte_t *)kmap_atomic(table) + pte_index(address);
}

void pte_unmap(pte_t *pte)
{
	kunmap_atomic(pte);
}

/* The PDPT entries of user space always hold a PMD page (mm_alloc). */
static pmd_t *user_pmd(struct mm_struct *mm, unsigned long address)
{
	return pmd_offset(pgd_offset_pgd(mm->pgd, address), address);
}

static unsigned long pmd_addr_end(unsigned long addr, unsigned long end)
{
	unsigned long boundary = (addr + PMD_SIZE) & PMD_MASK;

	return boundary - 1 < end - 1 ? boundary : end;
}

/* A zeroed PTE page behind *pmd; 0 or -ENOMEM. */
static int pte_alloc(pmd_t *pmd, unsigned long address)
{
	struct page *page = alloc_page(highpte_enabled ? GFP_HIGHUSER : GFP_KERNEL);
	void *table;

	if (!page)
		return -ENOMEM;
	table = kmap_atomic(page);
	memset(table, 0, PAGE_SIZE);
	pgtable_page_zeroed(table);
	kunmap_atomic(table);
	set_pmd_at(address & PMD_MASK, pmd,
		   (pmd_t){ page_to_phys(page) | _KERNPG_TABLE | _PAGE_USER });
	mm_stat_add(nr_pte_pages, 1);
	if (PageHighMem(page))
		mm_stat_add(nr_highpte, 1);
	return 0;
}

static void pte_free(struct page *table)
{
	mm_stat_sub(nr_pte_pages, 1);
	if (PageHighMem(table))
		mm_stat_sub(nr_highpte, 1);
	__free_page(table);
}

void get_user_page(struct page *page)
{
	__atomic_add_fetch(&page->_refcount, 1, __ATOMIC_SEQ_CST);
}

void put_user_page(struct page *page)
{
	if (__atomic_sub_fetch(&page->_refcount, 1, __ATOMIC_SEQ_CST))
		return;
	page->_refcount = 1;	/* the last reference: __free_page drops it */
	mm_stat_sub(anon_pages, 1);
	__free_page(page);
}

/* A page for user space, highmem first; zeroed through kmap_atomic. */
static struct page *alloc_user_page(bool zero)
{
	struct page *page = alloc_page(GFP_HIGHUSER);
	void *p;

	if (!page)
		return NULL;
	if (zero) {
		p = kmap_atomic(page);
		memset(p, 0, PAGE_SIZE);
		kunmap_atomic(p);
	}
	mm_stat_add(anon_pages, 1);
	return page;
}

pgprot_t vm_get_page_prot(unsigned long vm_flags)
{
	uint64_t prot = _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED;

	if (!(vm_flags & (VM_READ | VM_WRITE | VM_EXEC)))
		return (pgprot_t){ _PAGE_PROTNONE };
	if ((vm_flags & (VM_WRITE | VM_SHARED)) == (VM_WRITE | VM_SHARED))
		prot |= _PAGE_RW | _PAGE_DIRTY;
	if (!(vm_flags & VM_EXEC))
		prot |= _PAGE_NX & __supported_pte_mask;
	return (pgprot_t){ prot };
}

/* The PTE mapping page in vma; writable adds RW where vma allows it. */
static pte_t mk_user_pte(struct page *page, struct vm_area_struct *vma, bool writable)
{
	uint64_t v = page_to_phys(page) | vma->vm_page_prot.pgprot;

	if (writable && (vma->vm_flags & VM_WRITE) && (v & _PAGE_PRESENT))
		v |= _PAGE_RW | _PAGE_DIRTY;
	return (pte_t){ v };
}

/* ------------------------------------------------------------ mmu_gather */

void tlb_gather_mmu(struct mmu_gather *tlb, struct mm_struct *mm)
{
	tlb->mm = mm;
	tlb->start = TASK_SIZE;
	tlb->end = 0;
	tlb->nr_pages = tlb->nr_tables = 0;
}

static void tlb_flush_mmu(struct mmu_gather *tlb)
{
	if (tlb->end > tlb->start)
		flush_tlb_mm_range(tlb->mm, tlb->start, tlb->end);
	for (unsigned int i = 0; i < tlb->nr_pages; i++)
		put_user_page(tlb->pages[i]);
	for (unsigned int i = 0; i < tlb->nr_tables; i++)
		pte_free(tlb->tables[i]);
	tlb->nr_pages = tlb->nr_tables = 0;
}

void tlb_finish_mmu(struct mmu_gather *tlb)
{
	tlb_flush_mmu(tlb);
}

static void tlb_note_range(struct mmu_gather *tlb, unsigned long start, unsigned long end)
{
	tlb->start = min(tlb->start, start);
	tlb->end = max(tlb->end, end);
}

static void tlb_remove_page(struct mmu_gather *tlb, struct page *page)
{
	tlb->pages[tlb->nr_pages++] = page;
	if (tlb->nr_pages == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

static void tlb_remove_table(struct mmu_gather *tlb, struct page *table)
{
	tlb->tables[tlb->nr_tables++] = table;
	if (tlb->nr_tables == MMU_GATHER_BATCH)
		tlb_flush_mmu(tlb);
}

/* ------------------------------------------------------------ range walks */

static void zap_pte_range(struct mmu_gather *tlb, pmd_t *pmd,
			  unsigned long addr, unsigned long end)
{
	pte_t *base = pte_offset_map(pmd, addr), *pte = base;

	for (; addr < end; addr += PAGE_SIZE, pte++) {
		pte_t entry = *pte;

		if (pte_none(entry))
			continue;
		pte_clear(addr, pte);
		tlb->mm->rss--;
		tlb_note_range(tlb, addr, addr + PAGE_SIZE);
		tlb_remove_page(tlb, pfn_to_page(pte_pfn(entry)));
	}
	pte_unmap(base);
}

void zap_page_range(struct mmu_gather *tlb, struct vm_area_struct *vma,
		    unsigned long start, unsigned long end)
{
	unsigned long next;

	for (unsigned long addr = start; addr < end; addr = next) {
		pmd_t *pmd = user_pmd(vma->vm_mm, addr);

		next = pmd_addr_end(addr, end);
		if (pmd_present(*pmd))
			zap_pte_range(tlb, pmd, addr, next);
	}
}

static bool pte_page_empty(pmd_t *pmd, unsigned long addr)
{
	pte_t *base = pte_offset_map(pmd, addr & PMD_MASK);
	bool empty = true;

	for (unsigned int i = 0; i < PTRS_PER_PTE && empty; i++)
		empty = pte_none(base[i]);
	pte_unmap(base);
	return empty;
}

void free_pgtables(struct mmu_gather *tlb, unsigned long start, unsigned long end)
{
	for (unsigned long addr = start & PMD_MASK; addr < end; addr += PMD_SIZE) {
		pmd_t *pmd = user_pmd(tlb->mm, addr);
		struct page *table;

		if (!pmd_present(*pmd) || !pte_page_empty(pmd, addr))
			continue;
		table = pfn_to_page(pmd_pfn_phys(*pmd) >> PAGE_SHIFT);
		pmd_clear(addr, pmd);
		tlb->mm->nr_ptes--;
		tlb_note_range(tlb, addr, addr + PAGE_SIZE);
		tlb_remove_table(tlb, table);
	}
}

void change_protection(struct vm_area_struct *vma, unsigned long start, unsigned long end)
{
	bool changed = false;
	unsigned long next;

	for (unsigned long addr = start; addr < end; addr = next) {
		pmd_t *pmd = user_pmd(vma->vm_mm, addr);
		pte_t *base, *pte;

		next = pmd_addr_end(addr, end);
		if (!pmd_present(*pmd))
			continue;
		base = pte = pte_offset_map(pmd, addr);
		for (unsigned long a = addr; a < next; a += PAGE_SIZE, pte++) {
			pte_t old = *pte;

			if (!pte_has_page(old))
				continue;
			set_pte_at(a, pte, mk_user_pte(pfn_to_page(pte_pfn(old)), vma,
						       old.pte & _PAGE_RW));
			changed = true;
		}
		pte_unmap(base);
	}
	if (changed)
		flush_tlb_mm_range(vma->vm_mm, start, end);
}

/* One 2 MiB stretch of copy_page_range; -ENOMEM, else whether it
 * write-protected a parent PTE. */
static int copy_pte_range(struct mm_struct *dst, pmd_t *spmd, struct vm_area_struct *vma,
			  unsigned long addr, unsigned long end)
{
	pmd_t *dpmd = user_pmd(dst, addr);
	bool cow = (vma->vm_flags & (VM_SHARED | VM_MAYWRITE)) == VM_MAYWRITE;
	pte_t *sbase, *dbase, *spte, *dpte;
	int wp = 0;

	if (!pmd_present(*dpmd)) {
		if (pte_alloc(dpmd, addr))
			return -ENOMEM;
		dst->nr_ptes++;
	}
	sbase = spte = pte_offset_map(spmd, addr);
	dbase = dpte = pte_offset_map(dpmd, addr);
	for (; addr < end; addr += PAGE_SIZE, spte++, dpte++) {
		pte_t e = *spte;

		if (!pte_has_page(e))
			continue;
		get_user_page(pfn_to_page(pte_pfn(e)));
		if (cow && (e.pte & _PAGE_RW)) {
			e.pte &= ~(uint64_t)_PAGE_RW;
			set_pte_at(addr, spte, e);
			wp = 1;
		}
		set_pte_at(addr, dpte, e);
		dst->rss++;
	}
	pte_unmap(dbase);
	pte_unmap(sbase);
	return wp;
}

int copy_page_range(struct mm_struct *dst, struct mm_struct *src,
		    struct vm_area_struct *vma)
{
	unsigned long next;
	int wp = 0;

	for (unsigned long addr = vma->vm_start; addr < vma->vm_end; addr = next) {
		pmd_t *spmd = user_pmd(src, addr);
		int r;

		next = pmd_addr_end(addr, vma->vm_end);
		if (!pmd_present(*spmd))
			continue;
		r = copy_pte_range(dst, spmd, vma, addr, next);
		if (r < 0)
			return r;
		wp |= r;
	}
	return wp;
}

/* ------------------------------------------------------------ faults */

/* Whether vma refuses the access of error_code (arch/x86/mm/fault.c). */
static bool access_error(unsigned int error_code, const struct vm_area_struct *vma)
{
	if (error_code & X86_PF_WRITE)
		return !(vma->vm_flags & VM_WRITE);
	if (error_code & X86_PF_INSTR)
		return !(vma->vm_flags & VM_EXEC);
	if (error_code & X86_PF_PROT)
		return true;	/* a read of a present page: not ours to fix */
	return !(vma->vm_flags & (VM_READ | VM_WRITE | VM_EXEC));
}

/* A new page for address in vma: zeroed, or filled from the file image
 * (the rest of the page past the file's end zeroed). */
static struct page *fault_new_page(struct vm_area_struct *vma, unsigned long address)
{
	struct page *page = alloc_user_page(true);
	loff_t pos;
	void *p;

	if (!page || !vma->vm_file)
		return page;
	pos = ((loff_t)vma->vm_pgoff << PAGE_SHIFT) + (address - vma->vm_start);
	p = kmap_atomic(page);
	kernel_read(vma->vm_file, p, PAGE_SIZE, &pos);	/* short at the end */
	kunmap_atomic(p);
	return page;
}

static int do_new_page(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address)
{
	struct page *page = fault_new_page(vma, address);
	pte_t *pte;

	if (!page)
		return VM_FAULT_OOM;
	pte = pte_offset_map(pmd, address);
	set_pte_at(address, pte, mk_user_pte(page, vma, true));
	pte_unmap(pte);
	vma->vm_mm->rss++;
	return VM_FAULT_OK;
}

/* Copy on write: the page is copied unless this mm is its only user. */
static int do_wp_page(struct vm_area_struct *vma, pmd_t *pmd, unsigned long address,
		      pte_t entry)
{
	struct page *old = pfn_to_page(pte_pfn(entry)), *new;
	void *src, *dst;
	pte_t *pte;

	if (__atomic_load_n(&old->_refcount, __ATOMIC_SEQ_CST) == 1) {
		new = old;
	} else {
		new = alloc_user_page(false);
		if (!new)
			return VM_FAULT_OOM;
		src = kmap_atomic(old);
		dst = kmap_atomic(new);
		memcpy(dst, src, PAGE_SIZE);
		kunmap_atomic(dst);
		kunmap_atomic(src);
		mm_stat_add(cow_copies, 1);
	}
	pte = pte_offset_map(pmd, address);
	if (new != old) {
		/* Break before make, as Linux's ptep_clear_flush: no CPU may
		 * hold the old frame's translation once the new one is in. */
		pte_clear(address, pte);
		flush_tlb_mm_range(vma->vm_mm, address, address + PAGE_SIZE);
	}
	set_pte_at(address, pte, mk_user_pte(new, vma, true));
	pte_unmap(pte);
	if (new != old)
		put_user_page(old);
	return VM_FAULT_OK;
}

int populate_page(struct vm_area_struct *vma, unsigned long address)
{
	pmd_t *pmd = user_pmd(vma->vm_mm, address);
	pte_t *pte;
	bool none;

	if (!pmd_present(*pmd)) {
		if (pte_alloc(pmd, address))
			return VM_FAULT_OOM;
		vma->vm_mm->nr_ptes++;
	}
	pte = pte_offset_map(pmd, address);
	none = pte_none(*pte);
	pte_unmap(pte);
	return none ? do_new_page(vma, pmd, address) : VM_FAULT_OK;
}

int __handle_mm_fault(struct mm_struct *mm, unsigned long address, unsigned int error_code)
{
	struct vm_area_struct *vma = find_vma(mm, address);
	pmd_t *pmd;
	pte_t *pte, entry;

	if (!vma || address >= TASK_SIZE)
		return VM_FAULT_SIGSEGV;
	if (vma->vm_start > address &&
	    (!(vma->vm_flags & VM_GROWSDOWN) || expand_stack(vma, address)))
		return VM_FAULT_SIGSEGV;
	if (access_error(error_code, vma))
		return VM_FAULT_SIGSEGV;
	address &= PAGE_MASK;
	pmd = user_pmd(mm, address);
	if (!pmd_present(*pmd)) {
		if (pte_alloc(pmd, address))
			return VM_FAULT_OOM;
		mm->nr_ptes++;
	}
	pte = pte_offset_map(pmd, address);
	entry = *pte;
	pte_unmap(pte);
	if (pte_none(entry))
		return do_new_page(vma, pmd, address);
	if ((error_code & X86_PF_WRITE) && !(entry.pte & _PAGE_RW))
		return do_wp_page(vma, pmd, address, entry);
	/* Another CPU filled or widened it since this one looked. */
	__flush_tlb_one(address);
	return VM_FAULT_OK;
}

int handle_mm_fault(struct mm_struct *mm, unsigned long address, unsigned int error_code)
{
	int ret;

	spin_lock(&mm->page_table_lock);
	ret = __handle_mm_fault(mm, address, error_code);
	spin_unlock(&mm->page_table_lock);
	if (ret == VM_FAULT_OK)
		mm_stat_add(faults, 1);
	return ret;
}

/* The page holding addr in mm, faulted in for the access (as a user
 * access of that kind would be) with a reference taken; NULL when the
 * access is refused or memory is out. */
static struct page *get_user_page_at(struct mm_struct *mm, unsigned long addr, bool write)
{
	unsigned int err = write ? X86_PF_WRITE : 0;
	struct page *page = NULL;
	pte_t *pte, entry;
	pmd_t *pmd;

	spin_lock(&mm->page_table_lock);
	for (int tries = 0; tries < 2 && !page; tries++) {
		pmd = user_pmd(mm, addr);
		entry.pte = 0;
		if (pmd_present(*pmd)) {
			pte = pte_offset_map(pmd, addr);
			entry = *pte;
			pte_unmap(pte);
		}
		if ((entry.pte & _PAGE_PRESENT) && (!write || (entry.pte & _PAGE_RW))) {
			page = pfn_to_page(pte_pfn(entry));
			get_user_page(page);
		} else if (tries || __handle_mm_fault(mm, addr, err) != VM_FAULT_OK) {
			break;
		}
	}
	spin_unlock(&mm->page_table_lock);
	return page;
}

int access_remote_vm(struct mm_struct *mm, unsigned long addr, void *buf, int len,
		     unsigned int gup_flags)
{
	bool write = gup_flags & FOLL_WRITE;
	int done = 0;

	while (done < len && addr < TASK_SIZE) {
		unsigned int off = addr & ~PAGE_MASK;
		int n = min_t(int, len - done, (int)(PAGE_SIZE - off));
		struct page *page = get_user_page_at(mm, addr, write);
		char *p;

		if (!page)
			break;
		p = kmap_atomic(page);
		if (write)
			memcpy(p + off, (char *)buf + done, n);
		else
			memcpy((char *)buf + done, p + off, n);
		kunmap_atomic(p);
		put_user_page(page);
		done += n;
		addr += n;
	}
	return done;
}

size_t segfault_report(char *buf, size_t size, const char *comm, int pid,
		       const struct pt_regs *regs, struct mm_struct *mm,
		       unsigned long address, unsigned int err)
{
	struct vm_area_struct *vma = NULL;
	char name[64], where[96];
	const char *nm;

	if (mm) {
		spin_lock(&mm->page_table_lock);
		vma = address < TASK_SIZE ? find_vma_containing(mm, address) : NULL;
		if (vma) {
			nm = vma_name(vma, name, sizeof(name));
			snprintf(where, sizeof(where), "in %s[%08lx+%lx]", nm ? nm : "[anon]",
				 vma->vm_start, vma->vm_end - vma->vm_start);
		}
		spin_unlock(&mm->page_table_lock);
	}
	if (!vma)
		strscpy(where, "(no VMA)", sizeof(where));
	return scnprintf(buf, size,
			 "%s[%d]: segfault at %08lx ip %08lx sp %08lx error %x (%s %s, %s%s) %s",
			 comm, pid, address, (unsigned long)regs->eip, (unsigned long)regs->esp,
			 err, (err & X86_PF_USER) ? "user" : "kernel",
			 (err & X86_PF_INSTR) ? "instruction fetch" :
			 (err & X86_PF_WRITE) ? "write" : "read",
			 (err & X86_PF_PROT) ? "protection violation" : "not present",
			 (err & X86_PF_RSVD) ? ", reserved bit" : "", where);
}

/* The report of a user fault, then the signal that ends the process. */
static void bad_area(struct pt_regs *regs, struct mm_struct *mm, unsigned long address,
		     unsigned int err)
{
	char line[256];

	segfault_report(line, sizeof(line), current->comm, current->pid, regs, mm, address, err);
	printk("%s\n", line);
	force_sig_fault(SIGSEGV, address, regs);
}

bool do_user_addr_fault(struct pt_regs *regs, unsigned long address, unsigned int error_code)
{
	bool user = (error_code & X86_PF_USER) != 0;
	bool irqs = (regs->eflags & X86_EFLAGS_IF) != 0;
	int fault = VM_FAULT_SIGSEGV;
	struct mm_struct *mm;

	if (!percpu_ready || !current)
		return false;	/* too early for any process */
	mm = current->mm;

	/* A kernel access with faults disabled (a kmap_atomic, a lock) or
	 * interrupts off must not sleep or shoot down: the fixup or oops. */
	if (!user && (faulthandler_disabled() || !irqs))
		return false;
	/* On for the handling and the report when they were on at the
	 * fault: a CPU spinning for page_table_lock must take shootdowns. */
	if (irqs)
		local_irq_enable();
	if (mm && address < TASK_SIZE && !(error_code & X86_PF_RSVD))
		fault = handle_mm_fault(mm, address, error_code);
	if (fault != VM_FAULT_OK && user)
		bad_area(regs, mm, address, error_code);
	local_irq_disable();
	return fault == VM_FAULT_OK;
}
