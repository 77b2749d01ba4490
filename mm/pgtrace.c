/* SPDX-License-Identifier: MIT */
/*
 * The paging trace ("trace=paging") and the checkpoints where emulators
 * check the page tables (issue: Bochs with a paging trace; seed 004 on the
 * page-table entries, seed 003 on the global TLB flush). Each line is
 * written to port 0xE9 only (trace_printk); tests/pagecheck.py replays the
 * lines into a model of the tables and compares it with Bochs's `page`
 * and QEMU's `info tlb` at each checkpoint. docs/paging-trace.md has the
 * line formats.
 */
#include "asm/fixmap.h"
#include "asm/memlayout.h"
#include "asm/page.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/fw_cfg.h"
#include "kernel/nmi.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/sprintf.h"
#include "kernel/string.h"
#include "mm/pgtrace.h"

bool pgtrace_enabled;

/* "trace=paging"; a list ("trace=paging,x") names one trace each. */
static int trace_setup(char *val)
{
	bool paging = false;

	if (!val || !*val)
		return -EINVAL;
	/* The whole list is checked before anything is turned on: a bad
	 * word leaves every trace as it was. */
	while (*val) {
		size_t n = strcspn(val, ",");

		if (n == 6 && memcmp(val, "paging", 6) == 0) {
			paging = true;
		} else {
			pr_err("trace=%.*s: no such trace (known: paging)\n",
			       (int)n, val);
			return -EINVAL;
		}
		val += n;
		val += *val == ',';
	}
	pgtrace_enabled = paging;
	return 0;
}
__setup("trace", trace_setup);

static unsigned int trace_cpu(void)
{
	return percpu_ready ? smp_processor_id() : 0;
}

static const char *const level_name[] = {
	[PGTRACE_PGD] = "pgd",
	[PGTRACE_PMD] = "pmd",
	[PGTRACE_PTE] = "pte",
};

/*
 * The physical address of a page-table entry or table. Most tables are
 * in the direct map; a user PTE page in highmem (HIGHPTE) is reached
 * through a kmap_atomic or kmap slot, whose own PTE gives the frame.
 */
static unsigned long long pgtrace_phys(const volatile void *p)
{
	unsigned long va = (unsigned long)p;
	pmd_t *large;
	pte_t *pte;

	if (va < PKMAP_BASE)
		return __pa(va);
	pte = lookup_address(va, &large);
	if (!pte || !pte_present(*pte))
		return ~0ULL;		/* the checker reports an unknown table */
	return (pte->pte & PTE_PFN_MASK) | (va & ~PAGE_MASK);
}

/* "pgtrace: pte c0801000 [0105a004] 0000000000000000 -> 8000000001234163 cpu0":
 * level, virtual address covered, physical address of the entry, old and
 * new value. */
void pgtrace_entry(enum pgtrace_level level, unsigned long va,
		   const volatile void *entry, uint64_t old, uint64_t new)
{
	trace_printk("pgtrace: %s %08lx [%08llx] %016llx -> %016llx cpu%u\n",
		     level_name[level], va, pgtrace_phys(entry),
		     (unsigned long long)old, (unsigned long long)new,
		     trace_cpu());
}

/* "pgtrace: table [0186a000] zeroed cpu0". */
void pgtrace_table(const void *table)
{
	trace_printk("pgtrace: table [%08llx] zeroed cpu%u\n",
		     pgtrace_phys(table), trace_cpu());
}

/* "pgtrace: flush one c0801000 local cpu0", "flush range fe000000-fe200000
 * ipi cpu1", "flush all local cpu0". A range flush wider than
 * FLUSH_RANGE_PAGES_MAX is done as a full one, and written as such. */
void pgtrace_flush(unsigned long start, unsigned long end, bool by_ipi)
{
	const char *how = by_ipi ? "ipi" : "local";

	if (flush_range_is_full(start, end))
		trace_printk("pgtrace: flush all %s cpu%u\n", how, trace_cpu());
	else if (end - start == PAGE_SIZE)
		trace_printk("pgtrace: flush one %08lx %s cpu%u\n", start, how,
			     trace_cpu());
	else
		trace_printk("pgtrace: flush range %08lx-%08lx %s cpu%u\n",
			     start, end, how, trace_cpu());
}

/* "pgtrace: cr3 0105b000 pge=1 cpu0". */
void pgtrace_cr3(unsigned long phys)
{
	trace_printk("pgtrace: cr3 %08lx pge=%d cpu%u\n", phys,
		     (read_cr4() & X86_CR4_PGE) ? 1 : 0, trace_cpu());
}

/* ------------------------------------------------------------ checkpoints */

/* The harness's list of checkpoint names to pause at under QEMU ("all",
 * or names separated by commas or blanks); empty when not armed. */
#define CHECKPOINTS_FILE	"opt/pae32/checkpoints"
static char armed[256];

void paging_checkpoints_init(void)
{
	int n = fw_cfg_read_file(CHECKPOINTS_FILE, armed, sizeof(armed) - 1);

	if (n < 0) {
		armed[0] = '\0';
		return;
	}
	if (n > (int)sizeof(armed) - 1) {
		pr_err("checkpoint: fw_cfg %s is %d bytes, more than %zu: ignored\n",
		       CHECKPOINTS_FILE, n, sizeof(armed) - 1);
		armed[0] = '\0';
		return;
	}
	armed[n] = '\0';
	pr_info("checkpoint: the host pauses the kernel at \"%s\"\n", armed);
}

bool paging_checkpoint_armed(const char *name)
{
	size_t len = strlen(name);
	const char *p = armed;

	while (*p) {
		size_t n = strcspn(p, ", \n");

		if ((n == 3 && memcmp(p, "all", 3) == 0) ||
		    (n == len && memcmp(p, name, len) == 0))
			return true;
		p += n;
		p += strspn(p, ", \n");
	}
	return false;
}

/* "pgtrace: regions lowmem c0000000-f8000000 vmalloc ... pkmap ... fixmap
 * ...": the regions of the address map, once, before the first checkpoint
 * (the layout lines of mem_init come later), so that a debugger driver
 * can ask about the first and last page of each. */
static void pgtrace_regions(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	trace_printk("pgtrace: regions lowmem %08lx-%08lx vmalloc %08lx-%08lx pkmap %08lx-%08lx fixmap %08lx-%08lx kmap_atomic %08lx-%08lx\n",
		     PAGE_OFFSET, (unsigned long)high_memory, VMALLOC_START,
		     VMALLOC_END, PKMAP_BASE, PKMAP_END, FIXADDR_START,
		     FIXADDR_TOP, __fix_to_virt(FIX_KMAP_END),
		     __fix_to_virt(FIX_KMAP_BEGIN) + PAGE_SIZE);
}

/*
 * The names paging_checkpoint_once has passed, claimed slot by slot with
 * a compare-and-swap: callers may race on several CPUs, under their own
 * locks and with interrupts off.
 */
#define CHECKPOINT_ONCE_MAX	8
static const char *passed_once[CHECKPOINT_ONCE_MAX];

void paging_checkpoint_once(const char *name)
{
	for (int i = 0; i < CHECKPOINT_ONCE_MAX; i++) {
		const char *seen = __atomic_load_n(&passed_once[i], __ATOMIC_ACQUIRE);

		if (!seen && __atomic_compare_exchange_n(&passed_once[i], &seen, name,
							 false, __ATOMIC_ACQ_REL,
							 __ATOMIC_ACQUIRE)) {
			paging_checkpoint(name);
			return;
		}
		/* Taken, by this name or another (seen holds it either way). */
		if (strcmp(seen, name) == 0)
			return;
	}
	pr_err("checkpoint %s: more than %d run-once checkpoints; skipped\n",
	       name, CHECKPOINT_ONCE_MAX);
}

void paging_checkpoint(const char *name)
{
	if (pgtrace_enabled) {
		pgtrace_regions();
		trace_printk("pgtrace: checkpoint %s cpu%u\n", name, trace_cpu());
		/* Bochs stops here and its debugger walks the tables; a
		 * no-op on every other CPU. */
		bochs_magic_break();
	}
	if (paging_checkpoint_armed(name)) {
		char why[64];

		snprintf(why, sizeof(why), "checkpoint %s", name);
		wait_for_nmi(why);
		pr_info("checkpoint %s: resumed\n", name);
	}
}
