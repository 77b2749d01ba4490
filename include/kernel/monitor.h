/* SPDX-License-Identifier: MIT */
/*
 * The kernel monitor (monitor/): the prompt a boot ends at, "pae32> ",
 * on every console at once, and the commands it runs. Each command is a
 * thin caller of existing kernel code, registered with MONITOR_CMD() in
 * the .monitor_cmds section; docs/console.md lists them.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include "kernel/kernel.h"
#include "kernel/types.h"

#define MONITOR_PROMPT		"pae32> "
#define MONITOR_LINE_MAX	256	/* a command line, NUL included */
#define MONITOR_ARGS_MAX	16	/* words of one line, the name included */

/*
 * One command: "name args", one line of help. fn gets the words of the
 * line (argv[0] is the name) and returns 0, or a negative errno after it
 * has printed one line naming the problem ("walk: 0xzz: not a number").
 * Four pointers and nothing else, so the section reads as an array.
 */
struct monitor_cmd {
	const char *name;
	const char *args;	/* usage after the name, "" for none */
	const char *help;
	int (*fn)(int argc, char **argv);
};
BUILD_BUG_ON(sizeof(struct monitor_cmd) != 4 * sizeof(void *));

/* The linker script puts these around KEEP(*(.monitor_cmds)). */
extern const struct monitor_cmd __monitor_cmds_start[], __monitor_cmds_end[];

/*
 * MONITOR_CMD(name, args, help, fn): register command name (an
 * identifier, also the word typed at the prompt).
 */
#define MONITOR_CMD(name_id, args_str, help_str, fn_)			\
	static const struct monitor_cmd __monitor_cmd_##name_id		\
		__used __section(".monitor_cmds")			\
		__aligned(__alignof__(struct monitor_cmd)) = {		\
		.name = #name_id,					\
		.args = args_str,					\
		.help = help_str,					\
		.fn = fn_,						\
	}

/* The command registered as name, or NULL. */
const struct monitor_cmd *monitor_find(const char *name);

/*
 * monitor_exec - split line into words (blanks separate them, double
 * quotes group them) and run the command the first word names. Returns
 * its result; an empty line gives 0; an unknown name, too many words or
 * an unclosed quote is reported in one line and gives -EINVAL or -ENOENT.
 */
int monitor_exec(const char *line);

/*
 * monitor_capture - monitor_exec with the monitor's output going to buf
 * (at most len - 1 bytes, then a NUL) instead of the consoles; the
 * command's result in *ret. Returns the bytes the output had, which may
 * exceed what buf kept. For tests; a command run under a capture may
 * capture another line (its own buffer), after which the first goes on.
 */
size_t monitor_capture(const char *line, char *buf, size_t len, int *ret);

struct line_edit;

/*
 * monitor_read_line - bytes from the input queue (kernel/tty.c, sleeping
 * while it is empty) through the line editor le until Enter; the line.
 */
const char *monitor_read_line(struct line_edit *le);

/*
 * monitor_run - the interactive loop a boot ends in: the prompt on every
 * console, a line read, monitor_exec, again. Never returns.
 */
__noreturn void monitor_run(void);

/*
 * The monitor's output: to every console (not to the kernel log, which
 * `dmesg` shows), or to the capture buffer while monitor_capture runs.
 */
int mon_printf(const char *fmt, ...) __printf(1, 2);
void mon_write(const char *s, size_t n);

/*
 * mon_parse_ulong - arg as a number (decimal, 0x hex, 0 octal, with an
 * optional K/M/G suffix when suffix is set) into *v; 0, or -EINVAL after
 * printing "cmd: arg: not a number".
 */
int mon_parse_ulong(const char *cmd, const char *arg, bool suffix,
		    unsigned long *v);

/* How many mappings `kmap hold` keeps (monitor/highmem.c); `ktest`
 * refuses to run while there are any. */
unsigned int mon_kmaps_held(void);

/*
 * mon_pae_flags - the flags of a PAE entry that mean something at its
 * level, named as `walk` names them ("P RW US PWT PCD A D PS G PAT NX";
 * bit 7 is PS in a PMD entry and PAT in a PTE), blank-separated into buf;
 * returns the length. (monitor/memory.c)
 */
enum pae_level { PAE_PDPTE, PAE_PMD_TABLE, PAE_PMD_LARGE, PAE_PTE };
size_t mon_pae_flags(char *buf, size_t len, uint64_t entry, enum pae_level level);

#endif /* KERNEL_MONITOR_H */
