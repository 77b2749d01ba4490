/* SPDX-License-Identifier: MIT */
/*
 * Ring 3 and the system-call ABI (kernel/entry.asm, kernel/syscall_32.c,
 * kernel/process.c, kernel/uaccess.c, kernel/tls.c, kernel/sys.c;
 * docs/userspace.md): fixture processes run tests/kernel/user_blob.asm's
 * routines in user mode and store what their system calls returned in a
 * data page, which the cases check once the process ended.
 *
 * A fixture process is a kernel thread that becomes a minimal process:
 * its own PDPT (the kernel's PMD as the fourth entry, as every process
 * has), one PMD and one PTE page mapping the blob's code page, a stack
 * page and a data page with _PAGE_USER, then start_thread and the
 * return to ring 3. It ends with a test-only call (FIX_NR_EXIT, a number
 * past the table: kernel/testhooks.h) or a fatal exception; either way
 * the thread gives its address space back and exits, so the cases need
 * neither the mm nor the process code of the other streams.
 */
#include "asm/desc.h"
#include "asm/ldt.h"
#include "asm/percpu.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/segment.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/uaccess.h"
#include "asm/x86.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/ktest.h"
#include "kernel/math64.h"
#include "kernel/oops.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/spinlock.h"
#include "kernel/string.h"
#include "kernel/syscalls.h"
#include "kernel/testhooks.h"
#include "mm/gfp.h"
#include "mm/mm.h"
#include "mm/mmap.h"
#include "mm/slab.h"

/* tests/kernel/user_blob.asm: its header holds these four addresses. */
#define USER_CODE	0x00400000UL
#define USER_STACK_TOP	0x00402000UL
#define USER_DATA	0x00402000UL
#define USER_UNMAPPED	0x00800000UL
#define USER_DATA_END	(USER_DATA + PAGE_SIZE)

#define FIX_NR_EXIT	0x4000
#define FIX_NR_ECHO	0x4001
#define FIX_NR_MEMSET	0x4002
#define FIX_NR_COPY	0x4003
#define FIX_NR_FORK	0x4004

extern const char user_blob_start[], user_blob_end[];
extern const char u_args[], u_enosys[], u_efault[], u_tls[], u_sse[];
extern const char u_gp[], u_ud[], u_de[], u_null[], u_fork[];

struct fixture {
	const char *name;
	const char *entry;		/* a routine of the blob */
	pgd_t *pdpt;
	pmd_t *pmd;
	pte_t *pte;
	char *code, *stack, *data;	/* the pages, kernel addresses */
	struct mm_struct *mm;
	struct fixture *parent;		/* a child's: the pages are its parent's */
	int child_status;		/* a parent's: its child's status, or -1 */
	struct task_struct *task;
	int status;			/* wait4-style: code << 8, or the signal */
	bool ended;
	unsigned long echo[6];		/* FIX_NR_ECHO's arguments */
	unsigned int memsets;		/* FIX_NR_MEMSET calls */
	unsigned long nvcsw, nivcsw;	/* the task's switches, at its end */
	int copy_failed_line;		/* FIX_NR_COPY's first failed check */
	struct pt_regs fault_regs;	/* the fatal exception's frame */
};

#define MAX_FIXTURES	4
static struct fixture *fixtures[MAX_FIXTURES];
static DEFINE_SPINLOCK(fixtures_lock);

static struct fixture *fixture_of_current(void)
{
	struct fixture *f = NULL;
	unsigned long flags;

	spin_lock_irqsave(&fixtures_lock, flags);
	for (unsigned int i = 0; i < MAX_FIXTURES; i++)
		if (fixtures[i] && fixtures[i]->task == current)
			f = fixtures[i];
	spin_unlock_irqrestore(&fixtures_lock, flags);
	return f;
}

static void fixture_free(struct fixture *f)
{
	if (f->parent) {
		kfree(f);
		return;
	}
	free_page((unsigned long)f->pdpt);
	free_page((unsigned long)f->pmd);
	free_page((unsigned long)f->pte);
	free_page((unsigned long)f->code);
	free_page((unsigned long)f->stack);
	free_page((unsigned long)f->data);
	kfree(f->mm);
	kfree(f);
}

/* The address space: the PDPT, 32-byte aligned and below 4 GiB (a whole
 * lowmem page), user PMD 0 for 0-1 GiB, the kernel's PMD as entry 3. */
static struct fixture *fixture_new(const char *name, const char *entry)
{
	struct fixture *f = kzalloc(sizeof(*f), GFP_KERNEL);
	uint64_t nx = _PAGE_NX & __supported_pte_mask;
	const uint64_t user = _PAGE_PRESENT | _PAGE_USER;

	if (!f)
		return NULL;
	f->name = name;
	f->entry = entry;
	f->child_status = -1;
	f->pdpt = (pgd_t *)get_zeroed_page(GFP_KERNEL);
	f->pmd = (pmd_t *)get_zeroed_page(GFP_KERNEL);
	f->pte = (pte_t *)get_zeroed_page(GFP_KERNEL);
	f->code = (char *)get_zeroed_page(GFP_KERNEL);
	f->stack = (char *)get_zeroed_page(GFP_KERNEL);
	f->data = (char *)get_zeroed_page(GFP_KERNEL);
	f->mm = kzalloc(sizeof(*f->mm), GFP_KERNEL);
	if (!f->pdpt || !f->pmd || !f->pte || !f->code || !f->stack || !f->data || !f->mm) {
		fixture_free(f);
		return NULL;
	}
	memcpy(f->code, user_blob_start, user_blob_end - user_blob_start);
	f->pdpt[0] = (pgd_t){ __pa(f->pmd) | _PAGE_PRESENT };
	f->pdpt[3] = swapper_pg_dir[3];
	f->pmd[USER_CODE >> PMD_SHIFT] = (pmd_t){ __pa(f->pte) | user | _PAGE_RW };
	f->pte[0] = (pte_t){ __pa(f->code) | user };
	f->pte[1] = (pte_t){ __pa(f->stack) | user | _PAGE_RW | nx };
	f->pte[2] = (pte_t){ __pa(f->data) | user | _PAGE_RW | nx };
	f->mm->pgd = f->pdpt;
	f->mm->mm_users = 1;
	f->mm->mm_count = 1;
	spin_lock_init(&f->mm->page_table_lock);
	INIT_LIST_HEAD(&f->mm->mmap);
	f->mm->task_size = TASK_SIZE;
	return f;
}

/* Two fixtures of one routine, or none (false). */
static bool fixture_pair_new(struct fixture *fs[2], const char *a, const char *b,
			     const char *entry)
{
	fs[0] = fixture_new(a, entry);
	fs[1] = fixture_new(b, entry);
	if (fs[0] && fs[1])
		return true;
	if (fs[0])
		fixture_free(fs[0]);
	if (fs[1])
		fixture_free(fs[1]);
	return false;
}

static uint32_t *R(struct fixture *f)
{
	return (uint32_t *)f->data;
}

/* The thread becomes the process: the address space (what it borrowed
 * goes back, as at exec), the user frame, ring 3. */
static int fixture_thread(void *arg)
{
	struct fixture *f = arg;
	struct task_struct *tsk = current;
	struct mm_struct *old;
	struct pt_regs *regs;
	unsigned long flags;

	local_irq_save(flags);
	old = tsk->active_mm;
	tsk->mm = tsk->active_mm = f->mm;
	switch_mm(old, f->mm);
	local_irq_restore(flags);
	if (old)
		mmdrop(old);
	regs = current_pt_regs();
	start_thread(regs, USER_CODE + (f->entry - user_blob_start), USER_STACK_TOP);
	start_user_mode(regs);
}

/* The process ends: swapper_pg_dir again, no mm, no FPU image. */
static void __attribute__((noreturn)) fixture_end(struct fixture *f, int status)
{
	f->status = status;
	f->ended = true;
	f->nvcsw = current->nvcsw;
	f->nivcsw = current->nivcsw;
	if (f->parent)
		f->parent->child_status = status;
	local_irq_disable();
	load_cr3(__pa(swapper_pg_dir));
	current->mm = NULL;
	current->active_mm = NULL;
	local_irq_enable();
	exit_thread(current);
	kthread_exit(0);
}

#define CHECK(f, cond) do {						\
	if (!(cond) && !(f)->copy_failed_line)				\
		(f)->copy_failed_line = __LINE__;			\
} while (0)

/* FIX_NR_COPY: the uaccess functions in a process's context, at the
 * edge of its data page (nothing is mapped above it). */
static long fixture_copy_checks(struct fixture *f)
{
	char buf[100], k[32], *big;
	uint32_t v;

	for (unsigned int i = 0; i < sizeof(buf); i++)
		buf[i] = (char)(i + 1);
	CHECK(f, copy_to_user((void *)(USER_DATA_END - 10), buf, 100) == 90);
	CHECK(f, memcmp(f->data + PAGE_SIZE - 10, buf, 10) == 0);
	memset(k, 0x5a, sizeof(k));
	CHECK(f, copy_from_user(k, (void *)(USER_DATA_END - 7), 20) == 13);
	CHECK(f, memcmp(k, buf + 3, 7) == 0 && k[7] == 0 && k[19] == 0 && k[20] == 0x5a);
	CHECK(f, copy_to_user((void *)0xc0000000, buf, 4) == 4);
	CHECK(f, copy_to_user((void *)0xbffffff0, buf, 0x20) == 0x20);
	memset(k, 0x5a, sizeof(k));
	CHECK(f, copy_from_user(k, (void *)0xc0001000, 8) == 8 && k[0] == 0 && k[7] == 0);
	CHECK(f, copy_from_user(k, (void *)USER_UNMAPPED, 8) == 8);
	CHECK(f, clear_user((void *)(USER_DATA_END - 3), 8) == 5);
	CHECK(f, f->data[PAGE_SIZE - 3] == 0 && f->data[PAGE_SIZE - 1] == 0);
	CHECK(f, clear_user((void *)0xc0000000, 8) == 8);

	strscpy(f->data + 0x500, "hello", 6);
	CHECK(f, strncpy_from_user(k, (void *)(USER_DATA + 0x500), sizeof(k)) == 5);
	CHECK(f, strcmp(k, "hello") == 0);
	CHECK(f, strncpy_from_user(k, (void *)(USER_DATA + 0x500), 3) == 3);
	memset(f->data + PAGE_SIZE - 4, 'x', 4);
	CHECK(f, strncpy_from_user(k, (void *)(USER_DATA_END - 4), sizeof(k)) == -EFAULT);
	CHECK(f, strncpy_from_user(k, (void *)0xc0000000, sizeof(k)) == -EFAULT);
	CHECK(f, strncpy_from_user(k, (void *)(USER_DATA_END - 4), 4) == 4);

	CHECK(f, get_user_u32(&v, (void *)(USER_DATA_END - 2)) == -EFAULT && v == 0);
	CHECK(f, get_user_u32(&v, (void *)(USER_DATA + 0x500)) == 0 && v == 0x6c6c6568);
	CHECK(f, put_user_u32(1, (void *)0xc0000000) == -EFAULT);
	CHECK(f, put_user_u32(0x12345678, (void *)(USER_DATA + 0x600)) == 0);
	CHECK(f, *(uint32_t *)(f->data + 0x600) == 0x12345678);

	/* Whole pages: the code page read back, half the data page written. */
	big = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!big)
		return -ENOMEM;
	CHECK(f, copy_from_user(big, (void *)USER_CODE, PAGE_SIZE) == 0);
	CHECK(f, memcmp(big, f->code, PAGE_SIZE) == 0);
	CHECK(f, copy_to_user((void *)(USER_DATA + 0x800), big, 0x7f0) == 0);
	CHECK(f, memcmp(f->data + 0x800, big, 0x7f0) == 0);
	kfree(big);
	return f->copy_failed_line ? -EIO : 0;
}

/* Register f (a child) so that its calls and its end are the test's;
 * false when the table is full. */
static bool fixture_add(struct fixture *f)
{
	unsigned long flags;
	bool added = false;

	spin_lock_irqsave(&fixtures_lock, flags);
	for (unsigned int i = 0; i < MAX_FIXTURES && !added; i++)
		if (!fixtures[i]) {
			fixtures[i] = f;
			added = true;
		}
	spin_unlock_irqrestore(&fixtures_lock, flags);
	return added;
}

/* FIX_NR_FORK: a child task in the same address space, its stack and
 * first return made by copy_thread (as fork's kernel_clone would). */
static long fixture_fork(struct fixture *f, unsigned long tls, unsigned long newsp)
{
	struct fixture *c = kzalloc(sizeof(*c), GFP_KERNEL);
	struct task_struct *p;
	int err;

	if (!c)
		return -ENOMEM;
	*c = *f;
	c->name = "ufix-child";
	c->parent = f;
	p = kthread_create_on_cpu(fixture_thread, c, smp_processor_id(), c->name);
	if (!p) {
		kfree(c);
		return -ENOMEM;
	}
	c->task = p;
	p->fn = NULL;		/* it starts in ret_from_fork, not a function */
	p->mm = f->mm;
	err = copy_thread(p, newsp, tls);
	if (!err && !fixture_add(c))
		err = -EBUSY;
	if (err) {
		/* The task never runs and is not freed (no way to end a
		 * thread that never started): the case fails anyway. */
		p->mm = NULL;
		exit_thread(p);
		kfree(c);
		return err;
	}
	wake_up_process(p);
	return 1;
}

static long fixture_syscall(unsigned long nr, unsigned long ebx, unsigned long ecx,
			    unsigned long edx, unsigned long esi, unsigned long edi,
			    unsigned long ebp)
{
	struct fixture *f = fixture_of_current();
	void *p;

	if (!f)
		return -ENOSYS;
	switch (nr) {
	case FIX_NR_EXIT:
		fixture_end(f, (int)(ebx & 0xff) << 8);
	case FIX_NR_ECHO:
		f->echo[0] = ebx, f->echo[1] = ecx, f->echo[2] = edx;
		f->echo[3] = esi, f->echo[4] = edi, f->echo[5] = ebp;
		return (long)(ebx + 2 * ecx + 3 * edx + 4 * esi + 5 * edi + 6 * ebp);
	case FIX_NR_MEMSET:
		p = kmalloc(PAGE_SIZE, GFP_KERNEL);	/* page-aligned: SSE stores */
		if (!p)
			return -ENOMEM;
		memset(p, 0, PAGE_SIZE);
		kfree(p);
		f->memsets++;
		/* The way out switches (exit_to_user_mode's schedule). */
		this_cpu()->need_resched = true;
		return 0;
	case FIX_NR_COPY:
		return fixture_copy_checks(f);
	case FIX_NR_FORK:
		return fixture_fork(f, ebx, ecx);
	}
	return -ENOSYS;
}

static void fixture_fault(struct pt_regs *regs, int sig)
{
	struct fixture *f = fixture_of_current();

	if (!f)
		return;
	f->fault_regs = *regs;
	fixture_end(f, sig);
}

/* Run the fixtures as processes, all at once on the last CPU online (an
 * AP's GDT and TSS when there is one), until each ended; false when one
 * could not start. */
static bool fixtures_run(struct fixture **fs, unsigned int n)
{
	unsigned int cpu = 0, c;
	unsigned long flags;
	bool ok = true;

	for_each_online_cpu(c)
		cpu = c;
	for (unsigned int i = 0; i < n; i++) {
		fs[i]->task = kthread_create_on_cpu(fixture_thread, fs[i], cpu, fs[i]->name);
		ok = ok && fs[i]->task;
	}
	spin_lock_irqsave(&fixtures_lock, flags);
	for (unsigned int i = 0; i < n; i++)
		fixtures[i] = fs[i];
	spin_unlock_irqrestore(&fixtures_lock, flags);
	__atomic_store_n(&syscall_test_hook, fixture_syscall, __ATOMIC_RELEASE);
	__atomic_store_n(&user_fault_test_hook, fixture_fault, __ATOMIC_RELEASE);
	for (unsigned int i = 0; i < n; i++)
		if (fs[i]->task)
			wake_up_process(fs[i]->task);
	for (unsigned int i = 0; i < n; i++)
		if (fs[i]->task)
			kthread_join(fs[i]->task);
	/* The children they made (FIX_NR_FORK), registered after them. */
	for (unsigned int i = n; i < MAX_FIXTURES; i++) {
		struct fixture *c = fixtures[i];

		if (c && c->task)
			kthread_join(c->task);
		if (c)
			fixture_free(c);
	}
	__atomic_store_n(&syscall_test_hook, NULL, __ATOMIC_RELEASE);
	__atomic_store_n(&user_fault_test_hook, NULL, __ATOMIC_RELEASE);
	spin_lock_irqsave(&fixtures_lock, flags);
	for (unsigned int i = 0; i < MAX_FIXTURES; i++)
		fixtures[i] = NULL;
	spin_unlock_irqrestore(&fixtures_lock, flags);
	return ok;
}

static bool fixture_run1(struct fixture *f)
{
	return fixtures_run(&f, 1);
}

/* How often needle occurs in the log written since pos. */
static unsigned int log_count_since(size_t pos, const char *needle)
{
	static char text[8192];
	unsigned int n = 0;
	const char *p = text;

	log_buf_copy_text(text, sizeof(text), pos);
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

KTEST(syscall, blob_addresses_match_the_fixture)
{
	const uint32_t *h = (const uint32_t *)user_blob_start;

	KT_EXPECT_EQ(t, h[0], USER_CODE);
	KT_EXPECT_EQ(t, h[1], USER_STACK_TOP);
	KT_EXPECT_EQ(t, h[2], USER_DATA);
	KT_EXPECT_EQ(t, h[3], USER_UNMAPPED);
	KT_EXPECT(t, (size_t)(user_blob_end - user_blob_start) <= PAGE_SIZE);
	KT_EXPECT_EQ(t, __USER_CS, 0x73);
	KT_EXPECT_EQ(t, __USER_DS, 0x7b);
}

/* ebx..ebp reach the call as its six arguments, eax brings the result
 * back, and every other register, esp included, is as it was. */
KTEST(syscall, six_arguments_in_result_out_registers_kept)
{
	struct fixture *f = fixture_new("ufix-args", u_args);
	unsigned long oopses = last_oops.count;

	KT_ASSERT(t, f != NULL);
	KT_ASSERT(t, fixture_run1(f));
	KT_EXPECT(t, f->ended);
	KT_EXPECT_EQ(t, f->status, 0);
	KT_EXPECT_EQ(t, f->echo[0], 0x11111111);
	KT_EXPECT_EQ(t, f->echo[1], 0x22222222);
	KT_EXPECT_EQ(t, f->echo[2], 0x33333333);
	KT_EXPECT_EQ(t, f->echo[3], 0x44444444);
	KT_EXPECT_EQ(t, f->echo[4], 0x55555555);
	KT_EXPECT_EQ(t, f->echo[5], 0x66666666);
	KT_EXPECT_EQ(t, R(f)[0], (uint32_t)(0x11111111u + 2 * 0x22222222u + 3 * 0x33333333u +
					    4 * 0x44444444u + 5 * 0x55555555u +
					    6 * 0x66666666u));
	for (unsigned int i = 1; i <= 6; i++)
		KT_EXPECT_EQ(t, R(f)[i], 0x11111111u * i);
	KT_EXPECT_EQ(t, R(f)[7], USER_STACK_TOP);
	KT_EXPECT_EQ(t, last_oops.count, oopses);
	fixture_free(f);
}

/* -ENOSYS for a number without a call, in the table's range or past it,
 * and one line per number, however often it is called. */
KTEST(syscall, unknown_number_enosys_logged_once)
{
	struct fixture *f = fixture_new("ufix-enosys", u_enosys);
	size_t pos = log_buf_len_now();
	unsigned int first, high;

	KT_ASSERT(t, f != NULL);
	KT_ASSERT(t, fixture_run1(f));
	for (unsigned int i = 0; i < 4; i++)
		KT_EXPECT_EQ(t, (int32_t)R(f)[i], -ENOSYS);
	first = log_count_since(pos, "syscall: ufix-enosys[0] called unimplemented system call 17\n");
	high = log_count_since(pos, "called unimplemented system call 2147422772\n");
	KT_EXPECT_EQ(t, first, 1);
	KT_EXPECT_EQ(t, high, 1);
	fixture_free(f);

	/* A second process calling them: nothing more is said. */
	f = fixture_new("ufix-enosys", u_enosys);
	KT_ASSERT(t, f != NULL);
	pos = log_buf_len_now();
	KT_ASSERT(t, fixture_run1(f));
	KT_EXPECT_EQ(t, (int32_t)R(f)[0], -ENOSYS);
	KT_EXPECT_EQ(t, log_count_since(pos, "called unimplemented system call"), 0);
	fixture_free(f);
}

/* Kernel and unmapped pointers give -EFAULT (no oops), bad arguments
 * -EINVAL; uname, the clocks, nanosleep and getrandom answer; the
 * uaccess functions' exact counts (FIX_NR_COPY) in a process. */
KTEST(syscall, bad_pointers_efault_bad_arguments_einval)
{
	struct fixture *f = fixture_new("ufix-efault", u_efault);
	const struct new_utsname *u;
	const struct timespec32 *before, *after, *real;
	uint64_t slept_ns;
	unsigned long oopses = last_oops.count;

	KT_ASSERT(t, f != NULL);
	KT_ASSERT(t, fixture_run1(f));
	KT_EXPECT_EQ(t, f->status, 0);
	KT_EXPECT_EQ(t, (int32_t)R(f)[0], -EFAULT);
	KT_EXPECT_EQ(t, (int32_t)R(f)[1], -EFAULT);
	KT_EXPECT_EQ(t, (int32_t)R(f)[2], 0);
	u = (const struct new_utsname *)(f->data + 0x100);
	KT_EXPECT_STREQ(t, u->sysname, "Linux");
	KT_EXPECT_STREQ(t, u->release, "6.1.0-pae32");
	KT_EXPECT_STREQ(t, u->machine, "i686");
	KT_EXPECT_EQ(t, (int32_t)R(f)[3], -EFAULT);
	KT_EXPECT_EQ(t, (int32_t)R(f)[4], -EINVAL);
	KT_EXPECT_EQ(t, (int32_t)R(f)[5], 0);
	KT_EXPECT_EQ(t, (int32_t)R(f)[6], -EFAULT);
	KT_EXPECT_EQ(t, (int32_t)R(f)[7], -EINVAL);
	KT_EXPECT_EQ(t, (int32_t)R(f)[8], 0);
	KT_EXPECT_EQ(t, (int32_t)R(f)[9], 0);
	before = (const struct timespec32 *)(f->data + 0x80);
	after = (const struct timespec32 *)(f->data + 0x88);
	slept_ns = ((int64_t)after->tv_sec - before->tv_sec) * 1000000000LL +
		   after->tv_nsec - before->tv_nsec;
	KT_EXPECT(t, before->tv_nsec >= 0 && before->tv_nsec < 1000000000);
	KT_EXPECT(t, slept_ns >= 20000000);
	pr_info("syscall: nanosleep(20 ms) slept %llu us by CLOCK_MONOTONIC\n",
		div_u64(slept_ns, 1000));
	KT_EXPECT_EQ(t, (int32_t)R(f)[10], 64);
	KT_EXPECT(t, memcmp(f->data + 0x300, f->data + 0x320, 32) != 0);
	KT_EXPECT_EQ(t, (int32_t)R(f)[11], -EINVAL);
	KT_EXPECT_EQ(t, (int32_t)R(f)[12], -EFAULT);
	KT_EXPECT_EQ(t, (int32_t)R(f)[13], 4);
	KT_EXPECT_EQ(t, (int32_t)R(f)[14], 0);
	KT_EXPECT_EQ(t, (int32_t)R(f)[15], 0);
	real = (const struct timespec32 *)(f->data + 0xa0);
	KT_EXPECT(t, real->tv_sec > 1577836800);	/* after 2020-01-01 */
	KT_EXPECT_EQ(t, (int32_t)R(f)[16], 0);
	KT_EXPECT_EQ(t, f->copy_failed_line, 0);
	KT_EXPECT_EQ(t, last_oops.count, oopses);
	fixture_free(f);
}

/* set_thread_area(-1) takes slot 6 and says so; %gs = 0x33 reads through
 * the segment's base, and still does after a switch to another process
 * whose slot 6 has another base; bad slots and pointers refused. */
KTEST(syscall, tls_slot_then_gs_load_across_a_switch)
{
	static const uint32_t base_off[2] = { 0x400, 0x800 };
	struct fixture *fs[2];

	KT_ASSERT(t, fixture_pair_new(fs, "ufix-tls-a", "ufix-tls-b", u_tls));
	for (unsigned int i = 0; i < 2; i++) {
		R(fs[i])[0x3f0 / 4] = USER_DATA + base_off[i];
		*(uint32_t *)(fs[i]->data + base_off[i]) = 0xc0ffee00 + i;
		*(uint32_t *)(fs[i]->data + base_off[i] + 4) = 0x5eed0000 + i;
		*(uint32_t *)(fs[i]->data + base_off[!i]) = 0xdecaf;	/* the other's base */
	}
	KT_ASSERT(t, fixtures_run(fs, 2));
	for (unsigned int i = 0; i < 2; i++) {
		uint32_t *r = R(fs[i]);

		KT_EXPECT_EQ(t, fs[i]->status, 0);
		KT_EXPECT_EQ(t, r[0], 0);
		KT_EXPECT_EQ(t, r[1], GDT_ENTRY_TLS_MIN);
		KT_EXPECT_EQ(t, r[2], 0xc0ffee00 + i);
		KT_EXPECT_EQ(t, r[3], 0x5eed0000 + i);
		KT_EXPECT_EQ(t, r[4], GDT_ENTRY_TLS_MIN * 8 + 3);
		KT_EXPECT_EQ(t, r[5], 0);
		KT_EXPECT_EQ(t, r[6], USER_DATA + base_off[i]);
		KT_EXPECT_EQ(t, r[7], 0x51);
		KT_EXPECT_EQ(t, (int32_t)r[8], -EINVAL);
		KT_EXPECT_EQ(t, (int32_t)r[9], -EINVAL);
		KT_EXPECT_EQ(t, (int32_t)r[10], -EFAULT);
		KT_EXPECT_EQ(t, (int32_t)r[11], -EINVAL);
		KT_EXPECT_EQ(t, (int32_t)r[12], -EINVAL);
		fixture_free(fs[i]);
	}
}

/* Two processes on one CPU, each with its own %xmm0-7 and st(0): rounds
 * of a system call whose memset zero-fills with %xmm0 and whose way out
 * switches to the other (need_resched), a yield, and time for the tick
 * to preempt in ring 3; each finds its own values. */
KTEST(syscall, sse_and_x87_state_kept_across_syscalls_and_switches)
{
	const unsigned int rounds = 10;
	struct fixture *fs[2];

	if (!(boot_cpu_data.edx1 & X86_FEATURE_XMM_EDX))
		kt_skip(t, "no SSE on this CPU");
	KT_ASSERT(t, fixture_pair_new(fs, "ufix-sse-a", "ufix-sse-b", u_sse));
	for (unsigned int i = 0; i < 2; i++) {
		for (unsigned int w = 0; w < 32; w++)
			R(fs[i])[0x100 / 4 + w] = 0x01010101u * (w + 1) + 0x80000000u * i;
		R(fs[i])[0x180 / 4] = 1234567 + i;
		R(fs[i])[0x190 / 4] = rounds;
		R(fs[i])[0x194 / 4] = 8000000;	/* tens of ms: ticks in ring 3 */
	}
	KT_ASSERT(t, fixtures_run(fs, 2));
	for (unsigned int i = 0; i < 2; i++) {
		KT_EXPECT_EQ(t, fs[i]->status, 0);
		KT_EXPECT_EQ(t, fs[i]->memsets, rounds);
		KT_EXPECT(t, memcmp(fs[i]->data + 0x200, fs[i]->data + 0x100, 128) == 0);
		KT_EXPECT_EQ(t, R(fs[i])[0x200 / 4], R(fs[i])[0x100 / 4]);
		KT_EXPECT_EQ(t, R(fs[i])[0x280 / 4], 1234567 + i);
		KT_EXPECT(t, fs[i]->nvcsw >= rounds);
		pr_info("syscall: %s: %lu switches away in system calls, %lu preempted\n",
			fs[i]->name, fs[i]->nvcsw, fs[i]->nivcsw);
		fixture_free(fs[i]);
	}
	KT_EXPECT(t, memset_use_sse);
}

/* copy_thread: the child returns from the parent's system call with
 * eax = 0, the parent's other registers, the stack it was given and the
 * TLS slot of CLONE_SETTLS (the parent's own slot stays free); it runs
 * first through ret_from_fork and schedule_tail. */
KTEST(syscall, copy_thread_child_returns_zero_with_its_stack_and_tls)
{
	struct fixture *f = fixture_new("ufix-parent", u_fork);

	KT_ASSERT(t, f != NULL);
	*(uint32_t *)(f->data + 0x400) = 0x7e570007;
	KT_ASSERT(t, fixture_run1(f));
	KT_EXPECT_EQ(t, f->status, 0);
	KT_EXPECT_EQ(t, f->child_status, 7 << 8);
	KT_EXPECT_EQ(t, R(f)[0], 1);
	KT_EXPECT_EQ(t, R(f)[1], 0);
	KT_EXPECT_EQ(t, R(f)[2], 0x28);		/* read_exec_only, seg_not_present */
	KT_EXPECT_EQ(t, R(f)[3], 0);
	KT_EXPECT_EQ(t, R(f)[4], 0xb0b0cafe);
	KT_EXPECT_EQ(t, R(f)[5], USER_STACK_TOP - 0x800);
	KT_EXPECT_EQ(t, R(f)[6], 0x7e570007);
	fixture_free(f);
}

struct user_fault_case {
	const char *name;
	const char *entry;
	int sig;
	const char *what;
};

/* #GP, #UD, #DE in ring 3: one line, the process ended by the signal
 * (the fixture's stand-in for force_sig_fault), no oops, the kernel on. */
KTEST(syscall, user_exceptions_end_only_the_process_with_the_report)
{
	static const struct user_fault_case cases[] = {
		{ "ufix-gp", u_gp, SIGSEGV, "general protection" },
		{ "ufix-ud", u_ud, SIGILL, "invalid opcode" },
		{ "ufix-de", u_de, SIGFPE, "divide error" },
	};
	unsigned long oopses = last_oops.count;

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		struct fixture *f = fixture_new(cases[i].name, cases[i].entry);
		size_t pos = log_buf_len_now();
		unsigned long ip;
		char line[96];

		KT_ASSERT(t, f != NULL);
		KT_ASSERT(t, fixture_run1(f));
		ip = USER_CODE + (cases[i].entry - user_blob_start) + (i == 2 ? 9 : 0);
		KT_EXPECT(t, f->ended);
		KT_EXPECT_EQ(t, f->status, cases[i].sig);
		KT_EXPECT_EQ(t, f->fault_regs.eip, ip);
		KT_EXPECT_EQ(t, f->fault_regs.cs, __USER_CS);
		snprintf(line, sizeof(line), "%s[0]: %s ip %08lx sp %08lx error 0\n",
			 cases[i].name, cases[i].what, ip, USER_STACK_TOP);
		KT_EXPECT_EQ(t, log_count_since(pos, line), 1);
		fixture_free(f);
	}
	KT_EXPECT_EQ(t, last_oops.count, oopses);
	KT_EXPECT(t, !irqs_disabled());
	KT_EXPECT_EQ(t, preempt_count(), 0);
}

/* The cost of a system call that does nothing (clock_gettime with a bad
 * clock id: -EINVAL at once), in TSC cycles: under QEMU's -icount
 * shift=0 a cycle is an instruction. Printed, not judged; the case
 * checks only that every call came back. */
KTEST(syscall, null_syscall_cost)
{
	struct fixture *f = fixture_new("ufix-null", u_null);
	const unsigned int n = 10000;
	uint64_t with, without;

	KT_ASSERT(t, f != NULL);
	R(f)[4] = n;
	KT_ASSERT(t, fixture_run1(f));
	KT_EXPECT_EQ(t, f->status, 0);
	with = (((uint64_t)R(f)[3] << 32) | R(f)[2]) - (((uint64_t)R(f)[1] << 32) | R(f)[0]);
	without = (((uint64_t)R(f)[7] << 32) | R(f)[6]) - (((uint64_t)R(f)[5] << 32) | R(f)[4]);
	KT_EXPECT(t, with > without);
	pr_info("syscall: null system call: %llu TSC cycles each (%u calls; the loop alone %llu per round)\n",
		div_u64(with - without, n), n, div_u64(without, n));
	fixture_free(f);
}
