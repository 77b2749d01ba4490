/* SPDX-License-Identifier: MIT */
/*
 * The monitor's process commands: run (a program from the initramfs,
 * waited for), ps (the process list, as Linux's ps -o pid,ppid,stat,psr,comm)
 * and maps (a process's VMAs in /proc/PID/maps format); thin callers of
 * kernel/fork.c and mm/mmap.c (docs/console.md lists the commands).
 */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/monitor.h"
#include "kernel/process.h"
#include "kernel/sched.h"
#include "kernel/string.h"
#include "mm/mmap.h"
#include "mm/vmalloc.h"

extern spinlock_t tasklist_lock;

/* run PATH [ARGS]: argv[0] is PATH, as a shell would pass it. */
static int cmd_run(int argc, char **argv)
{
	const char *args[MONITOR_ARGS_MAX + 1];
	int status, i;

	if (argc < 2) {
		mon_printf("run: usage: run PATH [ARGS]\n");
		return -EINVAL;
	}
	for (i = 1; i < argc; i++)
		args[i - 1] = argv[i];
	args[i - 1] = NULL;
	status = run_user_program(argv[1], args);
	if (status < 0) {
		mon_printf("run: %s: %s\n", argv[1], err_str(status));
		return status;
	}
	if (status & 0x7f)
		mon_printf("run: %s killed by signal %d (%s)\n", argv[1], status & 0x7f,
			   signal_name(status & 0x7f));
	else
		mon_printf("run: %s exited with status %d\n", argv[1], (status >> 8) & 0xff);
	return 0;
}
MONITOR_CMD(run, "PATH [ARGS]", "run a program from the initramfs and wait for it", cmd_run);

/* ps's STAT letter, as Linux's: R runnable, S interruptible sleep, D
 * uninterruptible sleep, Z zombie, X dead. */
static char task_state_char(const struct task_struct *t)
{
	if (t->exit_state == EXIT_ZOMBIE)
		return 'Z';
	if (t->exit_state || t->state == TASK_DEAD)
		return 'X';
	if (t->state == TASK_RUNNING)
		return 'R';
	return t->state == TASK_INTERRUPTIBLE ? 'S' : 'D';
}

static int ps_line(struct task_struct *t, void *arg)
{
	mon_printf("%5d %5d %c %3u %s\n", t->pid, t->parent ? t->parent->pid : 0,
		   task_state_char(t), t->cpu, t->comm);
	return 0;
}

static int cmd_ps(int argc, char **argv)
{
	if (argc != 1) {
		mon_printf("ps: usage: ps (no arguments)\n");
		return -EINVAL;
	}
	mon_printf("  PID  PPID S CPU COMMAND\n");
	for_each_process(ps_line, NULL);
	return 0;
}
MONITOR_CMD(ps, "", "the processes: PID, parent, state, CPU, name", cmd_ps);

#define MAPS_BUF_SIZE	(64 * 1024)

static int cmd_maps(int argc, char **argv)
{
	struct mm_struct *mm = NULL;
	struct task_struct *t;
	unsigned long flags;
	char *buf;
	int pid;

	if (argc != 2) {
		mon_printf("maps: usage: maps PID\n");
		return -EINVAL;
	}
	if (kstrtoint(argv[1], 10, &pid) || pid <= 0) {
		mon_printf("maps: %s: not a PID\n", argv[1]);
		return -EINVAL;
	}
	spin_lock_irqsave(&tasklist_lock, flags);
	t = find_task_by_pid(pid);
	if (t && t->mm) {
		mm = t->mm;
		mmget(mm);
	}
	spin_unlock_irqrestore(&tasklist_lock, flags);
	if (!t) {
		mon_printf("maps: %d: no such process\n", pid);
		return -ESRCH;
	}
	if (!mm)
		return 0;	/* no address space (exited, or not yet exec'd) */
	buf = vmalloc(MAPS_BUF_SIZE);
	if (!buf) {
		mmput(mm);
		mon_printf("maps: no memory for the listing\n");
		return -ENOMEM;
	}
	mm_format_maps(mm, buf, MAPS_BUF_SIZE);
	mmput(mm);
	/* Line by line: mon_printf's buffer holds one. */
	for (const char *p = buf; *p; ) {
		size_t n = strcspn(p, "\n");

		mon_printf("%.*s\n", (int)n, p);
		p += n + (p[n] == '\n');
	}
	vfree(buf);
	return 0;
}
MONITOR_CMD(maps, "PID", "a process's memory areas, as /proc/PID/maps", cmd_maps);
