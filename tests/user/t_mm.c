// SPDX-License-Identifier: MIT
/*
 * t_mm: a process's memory through the Linux i386 system calls (man 2
 * brk, mmap2, munmap, mprotect): the heap's limits, anonymous and
 * private file mappings, what an access after munmap or mprotect does
 * (in a child, which must die of SIGSEGV), the errors, the stack's
 * growth and its limit; and on our kernel, demand paging counted in
 * /proc/meminfo: N pages touched cost exactly N free pages (plus the
 * page tables and slab the counts show), untouched ones none, highmem
 * first, HIGHPTE page tables from highmem.
 */
#include "user.h"

#define LINES_SIZE	10000
#define TOUCH		256		/* pages touched in the exact counts */

static char status_buf[32];

/* The child's wait4 status must be death by sig (0: a normal exit 0). */
static bool child_ends(int (*fn)(long), long arg, int sig, const char *what)
{
	int st = run_child(fn, arg);

	ktap_diag("%s: %s", what, status_str(st, status_buf, sizeof(status_buf)));
	if (sig)
		return CHECK(st >= 0 && WIFSIGNALED(st)) && CHECK_EQ(WTERMSIG(st), sig);
	return CHECK_EQ(st, 0);
}

static int read_at(long addr)
{
	return *(volatile unsigned char *)addr == 0x5a ? 0 : 3;
}

static int write_at(long addr)
{
	*(volatile unsigned char *)addr = 0x5a;
	return 0;
}

static int brk_grow_shrink(void)
{
	unsigned long b0 = (unsigned long)sys_brk(NULL);
	unsigned char *p = (unsigned char *)b0;

	ktap_diag("brk starts at %p", p);
	if (!CHECK_EQ(sys_brk(p + 3 * PAGE_SIZE), b0 + 3 * PAGE_SIZE))
		return FAIL;
	for (unsigned long i = 0; i < 3 * PAGE_SIZE; i++)
		if (p[i])
			return CHECK(!"the new heap is zeroed");
	memset(p, 0x5a, 3 * PAGE_SIZE);
	if (!CHECK_EQ(sys_brk(p + PAGE_SIZE), b0 + PAGE_SIZE) || !CHECK_EQ(p[100], 0x5a) ||
	    !child_ends(read_at, (long)p, 0, "read below the new break"))
		return FAIL;
	/* qemu-i386 7.2 keeps the pages of a shrunk break (Linux unmaps them). */
	if (on_our_kernel() &&
	    !child_ends(write_at, (long)(p + 2 * PAGE_SIZE), SIGSEGV, "write above the shrunk break"))
		return FAIL;
	/* Grown again: the pages given back come back zeroed. */
	return CHECK_EQ(sys_brk(p + 3 * PAGE_SIZE), b0 + 3 * PAGE_SIZE) &&
		CHECK_EQ(p[2 * PAGE_SIZE], 0) && CHECK_EQ(sys_brk(p), b0);
}

static int brk_limits(void)
{
	unsigned long b0 = (unsigned long)sys_brk(NULL);
	unsigned long wall = b0 + (16 << 20);
	long r = sys_mmap2((void *)wall, PAGE_SIZE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	bool ok;

	/* A refused break returns the current one (man 2 brk, "C library/kernel
	 * differences"): below the start, into the kernel's quarter, and
	 * across a mapping above the heap. */
	ok = CHECK_EQ(r, (long)wall) &&
		CHECK_EQ(sys_brk((void *)(b0 - 16 * PAGE_SIZE)), b0) &&
		CHECK_EQ(sys_brk((void *)0x1000), b0) &&
		CHECK_EQ(sys_brk((void *)0xc0000000), b0) &&
		CHECK_EQ(sys_brk((void *)0xfffff000), b0) &&
		CHECK_EQ(sys_brk((void *)(wall + PAGE_SIZE)), b0) &&
		CHECK_EQ(sys_brk((void *)(wall + (16 << 20))), b0) &&
		CHECK_EQ(sys_brk((void *)(wall - PAGE_SIZE)), wall - PAGE_SIZE) &&
		CHECK_EQ(sys_brk((void *)b0), b0) &&
		CHECK_EQ(sys_brk(NULL), b0);
	sys_munmap((void *)wall, PAGE_SIZE);
	return ok;
}

static int mmap_anon_zeroed_rw(void)
{
	unsigned int *p = map_anon(16 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	int ok = 1;

	if (!CHECK(p != NULL))
		return FAIL;
	for (unsigned int i = 0; i < 16 * PAGE_SIZE / 4; i++)
		ok &= p[i] == 0;
	if (!CHECK(ok))
		return FAIL;
	for (unsigned int i = 0; i < 16 * PAGE_SIZE / 4; i++)
		p[i] = i * 2654435761u;
	for (unsigned int i = 0; i < 16 * PAGE_SIZE / 4; i++)
		ok &= p[i] == i * 2654435761u;
	return CHECK(ok) && CHECK_EQ(sys_munmap(p, 16 * PAGE_SIZE), 0);
}

static int mmap_file_private(void)
{
	char buf[16];
	long fd = sys_open(root_path("/test/lines.txt"), O_RDONLY, 0), r, r2;
	char *p, *q;
	int ok;

	if (!CHECK(fd >= 0))
		return FAIL;
	r = sys_mmap2(NULL, 3 * PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_PRIVATE, (int)fd, 0);
	r2 = sys_mmap2(NULL, 2 * PAGE_SIZE, PROT_READ, MAP_PRIVATE, (int)fd, 1);
	if (!CHECK(!mmap_failed(r)) || !CHECK(!mmap_failed(r2)))
		return FAIL;
	p = (char *)r;
	q = (char *)r2;
	ok = CHECK_EQ(memcmp(p, "line 0000\n", 10), 0) &&
		CHECK_EQ(memcmp(p + 9990, "line 0999\n", 10), 0) &&
		/* the rest of the last page reads as zeros */
		CHECK_EQ(p[LINES_SIZE], 0) && CHECK_EQ(p[3 * PAGE_SIZE - 1], 0) &&
		CHECK_EQ(memcmp(q, p + PAGE_SIZE, 2 * PAGE_SIZE), 0);
	if (!ok)
		return FAIL;
	/* A write stays in this mapping: the file and another mapping keep their bytes. */
	memcpy(p + PAGE_SIZE, "EDITED", 6);
	ok = CHECK_EQ(memcmp(p + PAGE_SIZE, "EDITED", 6), 0) &&
		CHECK(memcmp(q, "EDITED", 6) != 0) &&
		CHECK_EQ(sys_lseek((int)fd, PAGE_SIZE, SEEK_SET), PAGE_SIZE) &&
		CHECK_EQ(sys_read((int)fd, buf, 6), 6) && CHECK(memcmp(buf, "EDITED", 6) != 0) &&
		/* a read-only file mapping refuses writes */
		child_ends(write_at, (long)q, SIGSEGV, "write to a PROT_READ file mapping");
	sys_munmap(p, 3 * PAGE_SIZE);
	sys_munmap(q, 2 * PAGE_SIZE);
	sys_close((int)fd);
	return ok;
}

static int munmap_then_access(void)
{
	unsigned char *p = map_anon(3 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	if (!CHECK(p != NULL))
		return FAIL;
	memset(p, 0x5a, 3 * PAGE_SIZE);
	if (!CHECK_EQ(sys_munmap(p + PAGE_SIZE, PAGE_SIZE), 0))
		return FAIL;
	return child_ends(read_at, (long)p, 0, "read of the first page") &&
		child_ends(read_at, (long)(p + 2 * PAGE_SIZE), 0, "read of the third page") &&
		child_ends(read_at, (long)(p + PAGE_SIZE), SIGSEGV, "read of the unmapped middle") &&
		child_ends(write_at, (long)(p + PAGE_SIZE + 8), SIGSEGV, "write to the unmapped middle") &&
		CHECK_EQ(sys_munmap(p, 3 * PAGE_SIZE), 0) &&
		child_ends(read_at, (long)p, SIGSEGV, "read after the whole munmap");
}

static int mprotect_changes_access(void)
{
	unsigned char *p = map_anon(2 * PAGE_SIZE, PROT_READ | PROT_WRITE);

	if (!CHECK(p != NULL))
		return FAIL;
	memset(p, 0x5a, 2 * PAGE_SIZE);
	return CHECK_EQ(sys_mprotect(p, PAGE_SIZE, PROT_READ), 0) &&
		child_ends(read_at, (long)p, 0, "read of the read-only page") &&
		child_ends(write_at, (long)p, SIGSEGV, "write to the read-only page") &&
		child_ends(write_at, (long)(p + PAGE_SIZE), 0, "write to the page after it") &&
		CHECK_EQ(sys_mprotect(p + PAGE_SIZE, PAGE_SIZE, PROT_NONE), 0) &&
		child_ends(read_at, (long)(p + PAGE_SIZE), SIGSEGV, "read of the PROT_NONE page") &&
		CHECK_EQ(sys_mprotect(p, 2 * PAGE_SIZE, PROT_READ | PROT_WRITE), 0) &&
		child_ends(write_at, (long)p, 0, "write after PROT_READ|PROT_WRITE again") &&
		CHECK_EQ(p[PAGE_SIZE + 1], 0x5a) &&
		CHECK_EQ(sys_munmap(p, 2 * PAGE_SIZE), 0);
}

static int mmap_errors(void)
{
	long fd = sys_open(root_path("/test/hello.txt"), O_RDONLY, 0);
	int ok;

	ok = CHECK(fd >= 0) &&
		CHECK_EQ(sys_mmap2(NULL, 0, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -EINVAL) &&
		CHECK_EQ(sys_mmap2((void *)0x10000123, PAGE_SIZE, PROT_READ,
				   MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -EINVAL) &&
		CHECK_EQ(sys_mmap2(NULL, PAGE_SIZE, PROT_READ, MAP_ANONYMOUS, -1, 0), -EINVAL) &&
		CHECK_EQ(sys_mmap2(NULL, PAGE_SIZE, PROT_READ, MAP_PRIVATE, 99, 0), -EBADF) &&
		CHECK_EQ(sys_mmap2(NULL, 0xf0000000, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0), -ENOMEM) &&
		/* the kernel's quarter: only i386 Linux's 3 GiB split refuses it
		 * (qemu-i386, like x86-64 Linux, gives a 32-bit process 4 GiB) */
		(!on_our_kernel() ||
		 CHECK_EQ(sys_mmap2((void *)0xc0000000, PAGE_SIZE, PROT_READ,
				    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0), -ENOMEM)) &&
		/* a file opened read-only cannot back a shared writable mapping */
		CHECK_EQ(sys_mmap2(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, (int)fd, 0), -EACCES);
	sys_close((int)fd);
	return ok;
}

static int munmap_mprotect_errors(void)
{
	unsigned char *p = map_anon(PAGE_SIZE, PROT_READ);
	int ok;

	ok = CHECK(p != NULL) &&
		CHECK_EQ(sys_munmap(p + 1, PAGE_SIZE), -EINVAL) &&
		CHECK_EQ(sys_munmap(p, 0), -EINVAL) &&
		(!on_our_kernel() || CHECK_EQ(sys_munmap((void *)0xc0000000, PAGE_SIZE), -EINVAL)) &&
		CHECK_EQ(sys_mprotect(p + 1, PAGE_SIZE, PROT_READ), -EINVAL) &&
		CHECK_EQ(sys_mprotect(p, PAGE_SIZE, 0x100), -EINVAL) &&
		CHECK_EQ(sys_munmap(p, PAGE_SIZE), 0) &&
		/* nothing mapped there now (qemu-i386 7.2 says 0) */
		(!on_our_kernel() || CHECK_EQ(sys_mprotect(p, PAGE_SIZE, PROT_READ), -ENOMEM)) &&
		CHECK_EQ(sys_munmap(p, PAGE_SIZE), 0);
	return ok;
}

/* Recursion with a 1 KiB frame, touched: depth n costs n KiB of stack. */
static int __attribute__((noinline)) recurse(int n)
{
	volatile char frame[1024];

	frame[0] = (char)n;
	frame[1023] = (char)n;
	if (n == 0)
		return 0;
	return recurse(n - 1) + frame[0] - (char)n;
}

static int deep_recursion(long kib)
{
	return recurse((int)kib);
}

static int stack_grows(void)
{
	return child_ends(deep_recursion, 2048, 0, "2 MiB of recursion");
}

static int endless_recursion(long unused)
{
	(void)unused;
	return recurse(1 << 30);
}

static int stack_limit_segfaults(void)
{
	return child_ends(endless_recursion, 0, SIGSEGV, "endless recursion");
}

/* ---- exact counts: our kernel's /proc/meminfo only */

static bool read_mi(struct meminfo *mi)
{
	return CHECK_EQ(meminfo_read(mi), 0);
}

static void show(const char *what, const struct meminfo *a, const struct meminfo *b)
{
	ktap_diag("%s: MemFree %ld, HighFree %ld, PageTables %ld, Slab %ld kB fewer; VmaCount %ld -> %ld",
		  what, a->mem_free - b->mem_free, a->high_free - b->high_free,
		  b->page_tables - a->page_tables, b->slab - a->slab, a->vma_count, b->vma_count);
}

/* A 4 MiB anonymous mapping and the 2 MiB-aligned window in it that one
 * page table covers (PAE: 512 entries of 4 KiB). */
static unsigned char *window(unsigned char **map)
{
	*map = map_anon(4 << 20, PROT_READ | PROT_WRITE);
	if (!*map)
		return NULL;
	return (unsigned char *)(((unsigned long)*map + (2 << 20) - 1) & ~((2UL << 20) - 1));
}

static int exact_skip(void)
{
	return skip("not our kernel: /proc/meminfo has no VmaCount:/MmCount: lines");
}

/* Counts a, b around touching TOUCH more pages of a window whose page
 * table exists; false when the mapping or a read fails. */
static bool touch_in_window(struct meminfo *a, struct meminfo *b)
{
	unsigned char *map, *w = window(&map);

	if (!CHECK(w != NULL))
		return false;
	stack_prefault(64 << 10);
	w[0] = 1;		/* the window's page table exists from here on */
	if (!read_mi(a) || !read_mi(a))
		return false;
	for (int i = 1; i <= TOUCH; i++)
		w[i * PAGE_SIZE] = 1;
	if (!read_mi(b))
		return false;
	sys_munmap(map, 4 << 20);
	show("256 pages touched", a, b);
	return true;
}

static int touched_pages_cost_exactly_n(void)
{
	struct meminfo a, b;

	if (!on_our_kernel())
		return exact_skip();
	return touch_in_window(&a, &b) && CHECK_EQ(b.page_tables, a.page_tables) &&
		CHECK_EQ(a.mem_free - b.mem_free, TOUCH * 4 + (b.slab - a.slab));
}

static int untouched_pages_cost_nothing(void)
{
	struct meminfo a, b, c;
	unsigned char *p;

	if (!on_our_kernel())
		return exact_skip();
	stack_prefault(64 << 10);
	if (!read_mi(&a) || !read_mi(&a))
		return FAIL;
	p = map_anon(1000 * PAGE_SIZE, PROT_READ | PROT_WRITE);
	if (!CHECK(p != NULL) || !read_mi(&b))
		return FAIL;
	show("1000 pages mapped, none touched", &a, &b);
	if (!CHECK_EQ(b.page_tables, a.page_tables) ||
	    !CHECK_EQ(a.mem_free - b.mem_free, b.slab - a.slab) ||
	    !CHECK_EQ(b.vma_count, a.vma_count + 1))
		return FAIL;
	/* and munmap gives back what touching took */
	for (int i = 0; i < 1000; i++)
		p[i * PAGE_SIZE] = 1;
	if (!CHECK_EQ(sys_munmap(p, 1000 * PAGE_SIZE), 0) || !read_mi(&c))
		return FAIL;
	show("1000 pages touched and unmapped", &a, &c);
	return CHECK_EQ(c.vma_count, a.vma_count) &&
		CHECK_EQ(a.mem_free - c.mem_free, (c.slab - a.slab) + (c.page_tables - a.page_tables));
}

static int highmem_pages_first(void)
{
	struct meminfo a, b;

	if (!on_our_kernel())
		return exact_skip();
	if (!read_mi(&a))
		return FAIL;
	if (a.high_total <= 0 || a.high_free < 8 * TOUCH)
		return skip("no highmem (HighTotal 0)");
	return touch_in_window(&a, &b) && CHECK_EQ(a.high_free - b.high_free, TOUCH * 4);
}

static int highpte_tables_in_highmem(void)
{
	struct meminfo a, b;
	unsigned char *map, *w;

	if (!on_our_kernel())
		return exact_skip();
	if (!read_mi(&a))
		return FAIL;
	if (a.high_total <= 0)
		return skip("no highmem (HighTotal 0)");
	w = window(&map);
	if (!CHECK(w != NULL))
		return FAIL;
	stack_prefault(64 << 10);
	map[0] = 1;		/* the window before w: its own table */
	if (!read_mi(&a) || !read_mi(&a))
		return FAIL;
	w[0] = 1;		/* a new page table and one page */
	if (!read_mi(&b))
		return FAIL;
	show("first page of a fresh 2 MiB window", &a, &b);
	sys_munmap(map, 4 << 20);
	return CHECK_EQ(b.page_tables - a.page_tables, 4) &&
		CHECK_EQ(a.high_free - b.high_free, 8);
}

static const struct ktap_case cases[] = {
	{ "brk_grow_shrink", brk_grow_shrink },
	{ "brk_limits_refused", brk_limits },
	{ "mmap_anon_zeroed_rw", mmap_anon_zeroed_rw },
	{ "mmap_file_private", mmap_file_private },
	{ "munmap_then_access_segfaults", munmap_then_access },
	{ "mprotect_changes_access", mprotect_changes_access },
	{ "mmap_einval_ebadf_enomem_eacces", mmap_errors },
	{ "munmap_mprotect_einval_enomem", munmap_mprotect_errors },
	{ "stack_grows_2M", stack_grows },
	{ "stack_limit_segfaults", stack_limit_segfaults },
	{ "touched_pages_cost_exactly_n", touched_pages_cost_exactly_n },
	{ "untouched_pages_cost_nothing", untouched_pages_cost_nothing },
	{ "highmem_pages_first", highmem_pages_first },
	{ "highpte_tables_in_highmem", highpte_tables_in_highmem },
};

KTAP_MAIN(cases)
