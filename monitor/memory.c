/* SPDX-License-Identifier: MIT */
/*
 * The monitor's look at memory as the CPU sees it: walk (the PAE walk of
 * one address from CR3, Intel SDM vol. 3A §4.4.2 and tables 4-8 to 4-11),
 * peek (a hex dump in the form of Linux's print_hex_dump) and poke, both
 * through the exception table so that a fault is reported, not fatal.
 */
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor-flags.h"
#include "asm/processor.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/kernel.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/highmem.h"
#include "mm/mm.h"

#define BIT64(n)	(1ULL << (n))

/* ------------------------------------------------------------ walk */

struct entry_bit {
	uint64_t mask;
	const char *name;
};

/*
 * The bits that mean something at each level, in bit order; the others
 * are ignored by the CPU or reserved. Bit 5 of a PDPT entry is reserved,
 * but QEMU sets it as it walks (docs/emulators.md): shown as A, not
 * treated as a fault.
 */
static const struct entry_bit pdpte_bits[] = {
	{ BIT64(0), "P" }, { BIT64(3), "PWT" }, { BIT64(4), "PCD" },
	{ BIT64(5), "A" },
};
static const struct entry_bit pde_table_bits[] = {
	{ BIT64(0), "P" }, { BIT64(1), "RW" }, { BIT64(2), "US" },
	{ BIT64(3), "PWT" }, { BIT64(4), "PCD" }, { BIT64(5), "A" },
	{ BIT64(63), "NX" },
};
static const struct entry_bit pde_large_bits[] = {
	{ BIT64(0), "P" }, { BIT64(1), "RW" }, { BIT64(2), "US" },
	{ BIT64(3), "PWT" }, { BIT64(4), "PCD" }, { BIT64(5), "A" },
	{ BIT64(6), "D" }, { BIT64(7), "PS" }, { BIT64(8), "G" },
	{ BIT64(12), "PAT" }, { BIT64(63), "NX" },
};
static const struct entry_bit pte_bits[] = {
	{ BIT64(0), "P" }, { BIT64(1), "RW" }, { BIT64(2), "US" },
	{ BIT64(3), "PWT" }, { BIT64(4), "PCD" }, { BIT64(5), "A" },
	{ BIT64(6), "D" }, { BIT64(7), "PAT" }, { BIT64(8), "G" },
	{ BIT64(63), "NX" },
};

/*
 * The 8-byte entry at physical address at: through the direct map when
 * its frame is lowmem, through kmap_atomic when it is highmem (as user
 * page tables will be). -ERANGE for a frame outside mem_map, -EFAULT when
 * the read faulted.
 */
static int read_entry(uint64_t at, uint64_t *v)
{
	unsigned long pfn = (unsigned long)(at >> PAGE_SHIFT);
	const uint32_t *p;
	uint32_t lo = 0, hi = 0;
	void *map = NULL;
	int err;

	if ((at >> PAGE_SHIFT) >= max_pfn)
		return -ERANGE;
	if (pfn < max_low_pfn) {
		p = __va((unsigned long)at);
	} else {
		map = kmap_atomic(pfn_to_page(pfn));
		if (!map)
			return -EFAULT;
		p = (const uint32_t *)((char *)map + (at & (PAGE_SIZE - 1)));
	}
	err = probe_read_u32(&lo, p);
	if (!err)
		err = probe_read_u32(&hi, p + 1);
	if (map)
		kunmap_atomic(map);
	*v = ((uint64_t)hi << 32) | lo;
	return err;
}

size_t mon_pae_flags(char *buf, size_t len, uint64_t v, enum pae_level level)
{
	static const struct { const struct entry_bit *bits; size_t n; } table[] = {
		[PAE_PDPTE] = { pdpte_bits, ARRAY_SIZE(pdpte_bits) },
		[PAE_PMD_TABLE] = { pde_table_bits, ARRAY_SIZE(pde_table_bits) },
		[PAE_PMD_LARGE] = { pde_large_bits, ARRAY_SIZE(pde_large_bits) },
		[PAE_PTE] = { pte_bits, ARRAY_SIZE(pte_bits) },
	};
	size_t n = 0;

	if (!len)
		return 0;
	buf[0] = '\0';
	for (size_t i = 0; i < table[level].n; i++)
		if (v & table[level].bits[i].mask)
			n += scnprintf(buf + n, len - n, "%s%s", n ? " " : "",
				       table[level].bits[i].name);
	return n;
}

static void show_entry(const char *name, unsigned int idx, uint64_t at,
		       uint64_t v, enum pae_level level)
{
	char flags[64];

	mon_pae_flags(flags, sizeof(flags), v, level);
	mon_printf("  %-4s[%3u] at 0x%08llx: 0x%016llx  %s\n", name, idx, at, v,
		   (v & _PAGE_PRESENT) ? flags : "not present");
}

/* QEMU's "info tlb" line of the leaf: the entry less its low flags, then
 * X G P D A C T U W (target/i386/monitor.c, print_pte). */
static void show_as_info_tlb(unsigned long page, uint64_t leaf, uint64_t mask)
{
	static const struct { uint64_t bit; char c; } cols[] = {
		{ _PAGE_NX, 'X' }, { _PAGE_GLOBAL, 'G' }, { _PAGE_PSE, 'P' },
		{ _PAGE_DIRTY, 'D' }, { _PAGE_ACCESSED, 'A' }, { _PAGE_PCD, 'C' },
		{ _PAGE_PWT, 'T' }, { _PAGE_USER, 'U' }, { _PAGE_RW, 'W' },
	};
	char f[ARRAY_SIZE(cols) + 1];

	for (size_t i = 0; i < ARRAY_SIZE(cols); i++)
		f[i] = (leaf & cols[i].bit) ? cols[i].c : '-';
	f[ARRAY_SIZE(cols)] = '\0';
	mon_printf("  info tlb: %016llx: %016llx %s\n", (uint64_t)page, leaf & mask, f);
}

/*
 * The walk of va from the PDPT at pdpt, one line per entry read, then the
 * physical address reached or where and why the CPU would stop.
 */
static int walk_show(unsigned long va, uint64_t pdpt)
{
	static const char *const level[] = { "PDPT", "PMD", "PTE" };
	static const unsigned int shift[] = { PGDIR_SHIFT, PMD_SHIFT, PAGE_SHIFT };
	/* Bits MAXPHYADDR..62 are reserved at every level, NX without EFER.NXE. */
	uint64_t rsvd = (BIT64(63) - 1) & ~(BIT64(boot_cpu_data.x86_phys_bits) - 1);
	bool nxe = boot_cpu_has_nx() && (rdmsr(MSR_EFER) & EFER_NX);
	uint64_t table = pdpt, v = 0, pmd = 0, at, bad;
	unsigned int lvl, idx;
	bool large = false;

	if (!nxe)
		rsvd |= _PAGE_NX;
	for (lvl = 0; lvl < 3; lvl++) {
		enum pae_level kind;
		int err;

		idx = (va >> shift[lvl]) & (lvl ? PTRS_PER_PMD - 1 : PTRS_PER_PGD - 1);
		at = table + idx * sizeof(uint64_t);
		err = read_entry(at, &v);
		if (err) {
			mon_printf("  -> stops at the %s entry: its table at 0x%08llx %s\n",
				   level[lvl], table, err == -ERANGE ?
				   "is outside the RAM this kernel maps" : "cannot be read");
			return -EFAULT;
		}
		large = lvl == 1 && (v & _PAGE_PSE);
		bad = rsvd;
		if (lvl == 0) {
			kind = PAE_PDPTE;
			bad |= _PAGE_NX | 0x1c6;	/* bits 1, 2, 6-8 */
		} else if (large) {
			kind = PAE_PMD_LARGE;
			bad |= 0x1fe000;		/* bits 13-20 */
		} else {
			kind = lvl == 1 ? PAE_PMD_TABLE : PAE_PTE;
		}
		show_entry(level[lvl], idx, at, v, kind);
		if (!(v & _PAGE_PRESENT)) {
			mon_printf("  -> stops at the %s entry: not present (#PF)\n",
				   level[lvl]);
			return -ENOENT;
		}
		if (v & bad) {
			mon_printf("  -> stops at the %s entry: reserved bits 0x%016llx set (%s)\n",
				   level[lvl], v & bad, lvl ? "#PF, RSVD" : "#GP at CR3 load");
			return -EINVAL;
		}
		if (lvl == 1)
			pmd = v;
		if (large)
			break;
		table = v & PTE_PFN_MASK;
	}

	{
		uint64_t size = large ? PMD_SIZE : PAGE_SIZE;
		uint64_t frame = v & PTE_PFN_MASK & ~(size - 1);
		bool rw = (pmd & _PAGE_RW) && (v & _PAGE_RW);
		bool user = (pmd & _PAGE_USER) && (v & _PAGE_USER);
		bool nx = nxe && ((pmd | v) & _PAGE_NX);
		bool global = (v & _PAGE_GLOBAL) && (read_cr4() & X86_CR4_PGE);

		mon_printf("  -> phys 0x%08llx: %s page, %s, %s, %s%s, %s\n",
			   frame + (va & (size - 1)), large ? "2 MiB" : "4 KiB",
			   rw ? "writable" : "read-only", user ? "user" : "kernel",
			   nx ? "no-exec" : "exec", global ? ", global" : "",
			   pte_memtype(v, large));
		/* QEMU prints a 4 KiB entry with bit 7 (PAT) dropped. */
		show_as_info_tlb(va & ~(unsigned long)(size - 1),
				 large ? v : v & ~(uint64_t)_PAGE_PSE,
				 large ? ~(uint64_t)(BIT64(20) - 1) : ~(uint64_t)0xfff);
	}
	return 0;
}

/* walk ADDR [PDPT]: under the live CR3, or under the PDPT at that
 * physical address (32-byte aligned, as CR3 holds it). */
static int cmd_walk(int argc, char **argv)
{
	unsigned long va, pdpt;

	if (argc < 2 || argc > 3) {
		mon_printf("walk: usage: walk ADDR [PDPT]\n");
		return -EINVAL;
	}
	if (mon_parse_ulong(argv[0], argv[1], false, &va))
		return -EINVAL;
	if (argc == 3) {
		if (mon_parse_ulong(argv[0], argv[2], false, &pdpt))
			return -EINVAL;
		if (!IS_ALIGNED(pdpt, 32)) {
			mon_printf("walk: %s: a PDPT lies on a 32-byte boundary\n", argv[2]);
			return -EINVAL;
		}
		mon_printf("walk 0x%08lx: PDPT at 0x%08lx (given)\n", va, pdpt);
	} else {
		unsigned long cr3 = read_cr3();

		pdpt = cr3 & ~0x1fUL;
		mon_printf("walk 0x%08lx: PDPT at 0x%08lx (CR3 0x%08lx)\n", va, pdpt, cr3);
	}
	return walk_show(va, pdpt);
}
MONITOR_CMD(walk, "ADDR [PDPT]", "the page-table walk of ADDR, entry by entry", cmd_walk);

/* ------------------------------------------------------------ peek, poke */

#define PEEK_MAX	4096
#define PEEK_ROW	16

/* The fault the last probe absorbed, in one line, then what it means. */
static void show_fault(const char *cmd, unsigned long addr, const char *then)
{
	const struct fault_info *f = &last_fixup_fault;
	uint32_t err = f->error_code;

	if (f->vector != 14) {
		mon_printf("%s: 0x%08lx: exception %u (error 0x%x)%s\n", cmd, addr,
			   f->vector, err, then);
		return;
	}
	mon_printf("%s: 0x%08x: page fault (%s, %s%s, error 0x%x)%s\n", cmd,
		   f->address, (err & X86_PF_WRITE) ? "write" : "read",
		   (err & X86_PF_PROT) ? "protection" : "not present",
		   (err & X86_PF_RSVD) ? ", reserved bit" : "", err, then);
}

/* One row as print_hex_dump(DUMP_PREFIX_ADDRESS, 16, 1, ascii) has it. */
static void show_row(unsigned long addr, const uint8_t *b, unsigned int n)
{
	char line[16 + 4 * PEEK_ROW];
	int len = scnprintf(line, sizeof(line), "%08lx:", addr);

	for (unsigned int i = 0; i < PEEK_ROW; i++)
		len += i < n ? scnprintf(line + len, sizeof(line) - len, " %02x", b[i])
			     : scnprintf(line + len, sizeof(line) - len, "   ");
	len += scnprintf(line + len, sizeof(line) - len, "  ");
	for (unsigned int i = 0; i < n; i++)
		line[len++] = b[i] >= 0x20 && b[i] < 0x7f ? b[i] : '.';
	line[len++] = '\n';
	mon_write(line, len);
}

/* peek ADDR [LEN]: LEN bytes (16 by default) read one at a time. */
static int cmd_peek(int argc, char **argv)
{
	unsigned long addr, len = PEEK_ROW;

	if (argc < 2 || argc > 3) {
		mon_printf("peek: usage: peek ADDR [LEN]\n");
		return -EINVAL;
	}
	if (mon_parse_ulong(argv[0], argv[1], false, &addr) ||
	    (argc == 3 && mon_parse_ulong(argv[0], argv[2], true, &len)))
		return -EINVAL;
	if (!len || len > PEEK_MAX) {
		mon_printf("peek: %s: LEN must be 1 to %d\n", argv[2], PEEK_MAX);
		return -EINVAL;
	}
	if (addr + (len - 1) < addr) {
		mon_printf("peek: 0x%08lx + %lu runs past 0xffffffff\n", addr, len);
		return -EINVAL;
	}
	for (unsigned long off = 0; off < len; off += PEEK_ROW) {
		unsigned int n = min(len - off, (unsigned long)PEEK_ROW), i;
		uint8_t row[PEEK_ROW];

		for (i = 0; i < n; i++)
			if (probe_read_u8(&row[i], (const uint8_t *)(addr + off + i)))
				break;
		if (i)
			show_row(addr + off, row, i);
		if (i < n) {
			show_fault("peek", addr + off + i, "");
			return -EFAULT;
		}
	}
	return 0;
}
MONITOR_CMD(peek, "ADDR [LEN]", "hex dump of LEN (16) bytes; faults reported", cmd_peek);

/* poke ADDR VALUE yes: one aligned 32-bit word, only with the word yes. */
static int cmd_poke(int argc, char **argv)
{
	unsigned long addr, val;
	uint32_t old, now;

	if (argc < 3 || argc > 4) {
		mon_printf("poke: usage: poke ADDR VALUE [yes]\n");
		return -EINVAL;
	}
	if (mon_parse_ulong(argv[0], argv[1], false, &addr) ||
	    mon_parse_ulong(argv[0], argv[2], false, &val))
		return -EINVAL;
	if (!IS_ALIGNED(addr, 4)) {
		mon_printf("poke: 0x%08lx: not 4-byte aligned (poke writes a 32-bit word)\n", addr);
		return -EINVAL;
	}
	if (argc == 4 && strcmp(argv[3], "yes")) {
		mon_printf("poke: %s: the confirmation word is 'yes'; nothing written\n", argv[3]);
		return -EINVAL;
	}
	if (probe_read_u32(&old, (const uint32_t *)addr)) {
		show_fault("poke", addr, "; nothing written");
		return -EFAULT;
	}
	if (argc == 3) {
		mon_printf("poke: would write 0x%08lx over 0x%08x at 0x%08lx; add 'yes' to do it\n",
			   val, old, addr);
		return -EPERM;
	}
	if (probe_write_u32((uint32_t *)addr, (uint32_t)val)) {
		show_fault("poke", addr, "; nothing written");
		return -EFAULT;
	}
	if (probe_read_u32(&now, (const uint32_t *)addr)) {
		show_fault("poke", addr, "; written, not read back");
		return -EFAULT;
	}
	mon_printf("0x%08lx: 0x%08x -> 0x%08x\n", addr, old, now);
	return 0;
}
MONITOR_CMD(poke, "ADDR VALUE [yes]", "write a 32-bit word (only with yes)", cmd_poke);
