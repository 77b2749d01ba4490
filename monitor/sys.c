/* SPDX-License-Identifier: MIT */
/*
 * The monitor's system commands: cpus, interrupts, lsmod, insmod, rmmod,
 * ktest, bench and trace, thin callers of the kernel's own code, printed
 * in the format of Linux's /proc/cpuinfo, /proc/interrupts and
 * /proc/modules where there is one (docs/console.md lists the commands).
 */
#include "asm/apic.h"
#include "asm/irq_vectors.h"
#include "asm/percpu.h"
#include "asm/processor.h"
#include "asm/processor-flags.h"
#include "asm/smp.h"
#include "kernel/bench.h"
#include "kernel/bootinfo.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/irq.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/module.h"
#include "kernel/monitor.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "kernel/time.h"
#include "mm/pgtrace.h"

static int no_arguments(int argc, const char *cmd)
{
	if (argc == 1)
		return 0;
	mon_printf("%s: usage: %s (no arguments)\n", cmd, cmd);
	return -EINVAL;
}

/* ------------------------------------------------------------ cpus */

/* cpus: what /proc/cpuinfo says that applies here, then a line per CPU. */
static int cmd_cpus(int argc, char **argv)
{
	const struct cpuinfo_x86 *c = &boot_cpu_data;
	const char *model = c->model_id;
	unsigned int cpu;

	if (no_arguments(argc, "cpus"))
		return -EINVAL;
	while (*model == ' ')
		model++;
	mon_printf("vendor_id     : %s\n", c->vendor);
	mon_printf("cpu family    : %u\nmodel         : %u\nstepping      : %u\n",
		   c->family, c->model, c->stepping);
	mon_printf("model name    : %s\n", *model ? model : "(no brand string)");
	mon_printf("flags         :%s%s%s%s%s%s\n",
		   (c->edx1 & X86_FEATURE_TSC_EDX) ? " tsc" : "",
		   (c->edx1 & X86_FEATURE_PAE_EDX) ? " pae" : "",
		   (c->edx1 & X86_FEATURE_PGE_EDX) ? " pge" : "",
		   (c->edx1 & X86_FEATURE_PSE_EDX) ? " pse" : "",
		   (c->edx1 & X86_FEATURE_APIC_EDX) ? " apic" : "",
		   (c->ext_edx1 & X86_FEATURE_NX_EDX) ? " nx" : "");
	mon_printf("address sizes : %u bits physical, 32 bits virtual\n", c->x86_phys_bits);
	mon_printf("TSC           : %u.%03u MHz, calibrated against %s\n", tsc_khz / 1000,
		   tsc_khz % 1000, ref_clock_name(ref_clock_used));
	mon_printf("local APIC    : %s\n", !lapic_present ? "none (the 8259 pair and one CPU)" :
		   x2apic_mode ? "x2APIC mode" : "xAPIC mode");
	if (tick_source == TICK_LAPIC)
		mon_printf("timer         : local APIC, periodic at %u Hz, %u.%03u MHz after divide-by-16\n",
			   HZ, apic_timer_khz / 1000, apic_timer_khz % 1000);
	else
		mon_printf("timer         : %s on IRQ %u through the 8259, %u Hz, HZ %u\n",
			   tick_source == TICK_HPET ? "HPET timer 0" :
			   tick_source == TICK_RTC ? "the RTC's periodic interrupt" : "PIT channel 0",
			   tick_irq, tick_irq_hz, HZ);
	mon_printf("CPUs online   : %u\n", num_online_cpus());
	mon_printf("CPU  APIC id  ticks       interrupts  running\n");
	for_each_online_cpu(cpu) {
		const struct percpu *pc = per_cpu(cpu);
		const struct task_struct *task = pc->current_task;
		unsigned long irqs = 0;

		for (unsigned int v = FIRST_EXTERNAL_VECTOR; v < NR_VECTORS; v++)
			irqs += irq_count(cpu, v);
		if (lapic_present)
			mon_printf("%3u  %7u  ", cpu, pc->apic_id);
		else
			mon_printf("%3u  %7s  ", cpu, "-");
		mon_printf("%-10lu  %-10lu  %s\n", cpu_ticks(cpu), irqs,
			   task && task->comm[0] ? task->comm : "-");
	}
	return 0;
}
MONITOR_CMD(cpus, "", "the CPUs online: model, TSC and timer rates, APIC ids, ticks", cmd_cpus);

/* ------------------------------------------------------------ interrupts */

/* The local APIC's own vectors, as Linux's /proc/interrupts names them. */
static const struct {
	const char *label;
	unsigned int vector;
	const char *what;
} local_vectors[] = {
	{ "LOC", LOCAL_TIMER_VECTOR, "Local timer interrupts" },
	{ "SPU", SPURIOUS_APIC_VECTOR, "Spurious interrupts" },
	{ "RES", RESCHEDULE_VECTOR, "Rescheduling interrupts" },
	{ "CAL", CALL_FUNCTION_VECTOR, "Function call interrupts" },
	{ "TLB", INVALIDATE_TLB_VECTOR, "TLB shootdowns" },
};

static void counts_row(unsigned int vector)
{
	unsigned int cpu;

	for_each_online_cpu(cpu)
		mon_printf("%10lu ", irq_count(cpu, vector));
}

/* interrupts: /proc/interrupts, a column per CPU online. */
static int cmd_interrupts(int argc, char **argv)
{
	struct irq_info info;
	unsigned int cpu;

	if (no_arguments(argc, "interrupts"))
		return -EINVAL;
	mon_printf("%11s", "");
	for_each_online_cpu(cpu)
		mon_printf("CPU%-8u", cpu);
	mon_printf("\n");
	for (unsigned int gsi = 0; gsi < NR_IRQ_VECTORS; gsi++) {
		if (!irq_get_info(gsi, &info))
			continue;
		mon_printf("%3u: ", info.isa_irq);
		counts_row(info.vector);
		mon_printf(" %-7s %3u-%-8s %s\n", info.chip, info.pin,
			   info.level ? "fasteoi" : "edge", info.name);
	}
	for (unsigned int i = 0; i < ARRAY_SIZE(local_vectors); i++) {
		mon_printf("%s: ", local_vectors[i].label);
		counts_row(local_vectors[i].vector);
		mon_printf(" %s\n", local_vectors[i].what);
	}
	mon_printf("ERR: %10lu\n", irq_count_all(ERROR_APIC_VECTOR));
	return 0;
}
MONITOR_CMD(interrupts, "", "interrupt counts per CPU, as /proc/interrupts", cmd_interrupts);

/* ------------------------------------------------------------ modules */

/* lsmod: /proc/modules, "name size refcount deps state address". */
static int cmd_lsmod(int argc, char **argv)
{
	if (no_arguments(argc, "lsmod"))
		return -EINVAL;
	for (const struct module *mod = next_module(NULL); mod; mod = next_module(mod))
		mon_printf("%s %u 0 - %s 0x%08lx\n", mod->name, mod->layout.total_size,
			   module_state_name(mod->state), (unsigned long)mod->base);
	return 0;
}
MONITOR_CMD(lsmod, "", "the loaded modules, as /proc/modules", cmd_lsmod);

/* The boot module named name ("hello" or "hello.ko"), or NULL. */
static const struct boot_module *find_boot_module(const char *name)
{
	size_t n = strlen(name);

	for (unsigned int i = 0; i < nr_boot_modules; i++) {
		const char *file = boot_modules[i].name;

		if (strcmp(file, name) == 0 ||
		    (strncmp(file, name, n) == 0 && strcmp(file + n, ".ko") == 0))
			return &boot_modules[i];
	}
	return NULL;
}

/* insmod NAME: load one of the modules the loader brought. */
static int cmd_insmod(int argc, char **argv)
{
	const struct boot_module *bm;
	char name[MODULE_NAME_LEN];
	struct module *mod;
	int err = 0;

	if (argc != 2) {
		mon_printf("insmod: usage: insmod NAME (one of the boot modules)\n");
		return -EINVAL;
	}
	bm = find_boot_module(argv[1]);
	if (!bm) {
		mon_printf("insmod: %s: not among the %u modules the loader brought\n",
			   argv[1], nr_boot_modules);
		return -ENOENT;
	}
	boot_module_name(name, bm->name);
	if (find_module(name)) {
		mon_printf("insmod: %s: already loaded\n", name);
		return -EEXIST;
	}
	mod = load_module(__va(bm->phys), bm->size, name, &err);
	if (!mod) {
		mon_printf("insmod: %s: not loaded (%d; the kernel log says why)\n", name, err);
		return err;
	}
	mon_printf("insmod: %s loaded at 0x%08lx (%u bytes)\n", name,
		   (unsigned long)mod->base, mod->layout.total_size);
	return 0;
}
MONITOR_CMD(insmod, "NAME", "load a module the loader brought (lsmod lists the loaded ones)",
	    cmd_insmod);

/* rmmod NAME: unload a module. */
static int cmd_rmmod(int argc, char **argv)
{
	struct module *mod;
	int err;

	if (argc != 2) {
		mon_printf("rmmod: usage: rmmod NAME\n");
		return -EINVAL;
	}
	mod = find_module(argv[1]);
	if (!mod) {
		mon_printf("rmmod: %s: not loaded\n", argv[1]);
		return -ENOENT;
	}
	if (mod->state != MODULE_STATE_LIVE) {
		mon_printf("rmmod: %s: %s, cannot be unloaded\n", argv[1],
			   mod->state == MODULE_STATE_FAILED ? "its init failed (it stays)" :
							       "its init is still running");
		return -EBUSY;
	}
	if (!mod->exit) {
		mon_printf("rmmod: %s: no cleanup_module, cannot be unloaded\n", argv[1]);
		return -EBUSY;
	}
	if (ktest_cases_busy(mod->base, mod->layout.total_size)) {
		mon_printf("rmmod: %s: its test cases are part of the run in progress\n", argv[1]);
		return -EBUSY;
	}
	err = unload_module(mod);
	if (err) {
		mon_printf("rmmod: %s: not unloaded (%d)\n", argv[1], err);
		return err;
	}
	mon_printf("rmmod: %s unloaded\n", argv[1]);
	return 0;
}
MONITOR_CMD(rmmod, "NAME", "unload a module", cmd_rmmod);

/* ------------------------------------------------------------ ktest, bench */

/*
 * ktest [GLOB]: the in-kernel tests, KTAP on the consoles as a boot with
 * "ktest=GLOB" prints it, then the totals. Run by a test case, the run is
 * nested in that case's (kernel/ktest.c).
 */
static int cmd_ktest(int argc, char **argv)
{
	const char *glob = argc == 2 ? argv[1] : NULL;
	struct ktest_totals tot;
	int failed;

	if (argc > 2) {
		mon_printf("ktest: usage: ktest [GLOB[,GLOB...]]\n");
		return -EINVAL;
	}
	if (mon_kmaps_held()) {
		mon_printf("ktest: %u kmaps held by kmap hold (kunmap all first): the highmem tests need every PKMap slot\n",
			   mon_kmaps_held());
		return -EBUSY;
	}
	failed = ktest_run(glob, &tot);
	if (failed < 0) {
		mon_printf("ktest: a run inside a run inside a run: refused\n");
		return failed;
	}
	if (!tot.pass && !tot.fail && !tot.skip) {
		mon_printf("ktest: no test matches \"%s\"\n", glob ? glob : "*");
		return -ENOENT;
	}
	mon_printf("ktest: %u passed, %u failed, %u skipped\n", tot.pass, tot.fail, tot.skip);
	return tot.fail ? -EIO : 0;
}
MONITOR_CMD(ktest, "[GLOB]", "run the in-kernel tests (all, or the suite.case names GLOB matches)",
	    cmd_ktest);

static int cmd_bench(int argc, char **argv)
{
	if (no_arguments(argc, "bench"))
		return -EINVAL;
	bench_run();
	mon_printf("bench: done (the figures are in the kernel log, dmesg)\n");
	return 0;
}
MONITOR_CMD(bench, "", "run the benchmarks (minutes under QEMU without KVM)", cmd_bench);

/* ------------------------------------------------------------ trace */

static void trace_where(void)
{
	if (!pgtrace_enabled)
		mon_printf("trace: paging trace off\n");
	else if (console_trace_carried())
		mon_printf("trace: paging trace on, its lines on port 0xE9 only (not COM1, not the screen)\n");
	else
		mon_printf("trace: paging trace on, its lines on every console (no port 0xE9 here)\n");
}

/*
 * trace [on|off]: the paging trace (trace=paging) at run time. Its lines
 * go where trace_printk's go: port 0xE9 in QEMU and Bochs; on a PC, where
 * no console carries them, to every console instead.
 */
static int cmd_trace(int argc, char **argv)
{
	if (argc > 2) {
		mon_printf("trace: usage: trace [on|off]\n");
		return -EINVAL;
	}
	if (argc == 2) {
		if (strcmp(argv[1], "on") == 0) {
			console_trace_all(!console_trace_carried());
			pgtrace_enabled = true;
		} else if (strcmp(argv[1], "off") == 0) {
			pgtrace_enabled = false;
			console_trace_all(false);
		} else {
			mon_printf("trace: %s: not on or off\n", argv[1]);
			return -EINVAL;
		}
	}
	trace_where();
	return 0;
}
MONITOR_CMD(trace, "[on|off]", "the paging trace (trace=paging) on or off; where its lines go",
	    cmd_trace);
