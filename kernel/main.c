/* SPDX-License-Identifier: MIT */
/*
 * start_kernel: the C side of the boot, from the provisional page tables
 * of kernel/head.asm to a running kernel (seed 004 on the i386 start-up
 * sequence; docs/boot-protocol.md for what the loader hands over).
 */
#include "asm/apic.h"
#include "asm/desc.h"
#include "asm/e820.h"
#include "asm/page.h"
#include "asm/pgtable.h"
#include "asm/processor.h"
#include "asm/smp.h"
#include "asm/tlbflush.h"
#include "asm/x86.h"
#include "kernel/acpi.h"
#include "kernel/bench.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/fs.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/monitor.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/process.h"
#include "kernel/reboot.h"
#include "kernel/sched.h"
#include "kernel/time.h"
#include "kernel/tty.h"
#include "mm/mm.h"
#include "mm/pgtrace.h"
#include "mm/slab.h"
#include "mm/vmalloc.h"

#ifndef KERNEL_VERSION_STRING
#define KERNEL_VERSION_STRING "unknown"
#endif

extern char _text[];

const char linux_banner[] =
	"pae32 kernel " KERNEL_VERSION_STRING " (clang " __stringify(__clang_major__) "." __stringify(__clang_minor__) "." __stringify(__clang_patchlevel__)
	") i386 PAE, PAGE_OFFSET 0xc0000000\n";

/*
 * Drop the identity half of the provisional map: from here on low virtual
 * addresses fault, as user space must (page 0 above all). The PDPT is
 * reloaded by the CR3 write, which also flushes the stale translations.
 */
static void zap_low_mappings(void)
{
	pgd_clear(0, &initial_pg_dir[0]);
	load_cr3(__pa(initial_pg_dir));
	pr_info("head: identity map of low memory removed; kernel image at 0x%08lx\n",
		(unsigned long)_text);
}

static void __attribute__((noreturn)) rest_init(void);

/* init=PATH: the program run as PID 1 instead of the monitor. */
static char *execute_command;

static int init_setup(char *val)
{
	if (!val || val[0] != '/')
		return -EINVAL;
	execute_command = val;
	return 0;
}
__setup("init=", init_setup);

#define MAX_INIT_ARGS	32

/* PID 1 runs execute_command with the words after " -- " as its further
 * arguments (Linux's argv_init) and this environment (envp_init). */
static void run_init(void)
{
	static const char *const envp_init[] = {
		"HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin", NULL
	};
	static char *argv_init[MAX_INIT_ARGS + 2];
	int n = 0;

	if (cmdline_after_dashes) {
		n = split_init_args(cmdline_after_dashes, argv_init + 1, MAX_INIT_ARGS);
		if (n > MAX_INIT_ARGS) {
			pr_err("init: %d arguments after \"--\", only the first %d are passed\n",
			       n, MAX_INIT_ARGS);
			n = MAX_INIT_ARGS;
		}
	}
	argv_init[0] = execute_command;
	argv_init[n + 1] = NULL;
	run_init_process(execute_command, (const char *const *)argv_init, envp_init);
}

void start_kernel(unsigned long magic, unsigned long bi_phys);
void start_kernel(unsigned long magic, unsigned long bi_phys)
{
	/* Consoles first: printk buffers until one is registered. */
	debugcon_init();
	serial_init();
	gdt_init();
	trap_init();

	pr_info("%s", linux_banner);
	setup_boot_info(magic, bi_phys);
	zap_low_mappings();

	pr_info("Command line: %s\n", boot_command_line);
	parse_kernel_params(boot_command_line);
	paging_checkpoints_init();

	apic_handover_test();
	identify_boot_cpu();
	print_cpu_info();
	pat_init();
	sse_clear_init();
	e820__print_table("UEFI");
	print_boot_info();

	setup_memory();
	paging_init();
	cpu_tss_update_cr3();	/* the #DF task on swapper_pg_dir too */
	init_apic_mappings();
	mem_init();
	kmem_cache_init();
	vmalloc_init();
	memory_ready_tsc = rdtsc();
	pr_info("memory ready: %llu cycles since kernel entry\n",
		memory_ready_tsc - boot_entry_tsc);
	/* The screen as soon as ioremap works (after the rdtsc: the
	 * benchmark figure stays the memory manager's): the log so far
	 * replayed on it. */
	efifb_init();
	/* After the rdtsc, so the "memory ready" benchmark figure is not
	 * charged with the ACPI tables and their console lines. */
	acpi_boot_init();
	reboot_init();

	sched_init();
	/* The boot stack in .bss has no guard below it: the rest of the boot
	 * (and the monitor) runs on a stack of its own that does. */
	sched_move_init_stack(rest_init);
}

/* The boot thread "init" after sched_init, on its vmalloc'd stack. */
static void rest_init(void)
{
	init_IRQ();
	setup_local_APIC();
	init_IO_APIC();
	paging_checkpoint("apic_fixmaps");
	time_init();
	tick_init();
	local_irq_enable();
	smp_boot_cpus();
	paging_checkpoint("smp");
	tty_init();
	/* The files: the loader's initramfs unpacked, /dev and /proc. */
	initramfs_init();

	load_boot_modules();
	modules_loaded_tsc = rdtsc();
	paging_checkpoint("modules");
	vmallocinfo_boot_dump();

	if (bench_requested())
		bench_run_and_exit();
	if (execute_command) {
		run_init();
		if (ktest_requested())
			ktest_run_and_exit();
		monitor_run();
	}
	if (ktest_requested())
		ktest_run_and_exit();
	pr_info("boot complete\n");
	monitor_run();
}
