/* SPDX-License-Identifier: MIT */
/*
 * The monitor's core: the command table, the splitting of a line into
 * words, the output that goes to every console (or to a test's capture
 * buffer), `help`, and the interactive loop a boot ends in (lines from the
 * input queue through the line editor). The command groups live in the
 * other files of monitor/ (docs/console.md).
 */
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/ctype.h"
#include "kernel/errno.h"
#include "kernel/kernel.h"
#include "kernel/line_edit.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "kernel/tty.h"

/* Where the output goes while monitor_capture runs; NULL: the consoles. */
static char *capture_buf;
static size_t capture_len, capture_used;

const struct monitor_cmd *monitor_find(const char *name)
{
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++)
		if (strcmp(c->name, name) == 0)
			return c;
	return NULL;
}

void mon_write(const char *s, size_t n)
{
	if (!capture_buf) {
		console_write(s, n);
		return;
	}
	for (size_t i = 0; i < n; i++, capture_used++)
		if (capture_used < capture_len - 1)
			capture_buf[capture_used] = s[i];
	capture_buf[min(capture_used, capture_len - 1)] = '\0';
}

int mon_printf(const char *fmt, ...)
{
	char line[PRINTK_LINE_MAX];
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(line, sizeof(line), fmt, args);
	va_end(args);
	if (n >= (int)sizeof(line))
		n = sizeof(line) - 1;
	mon_write(line, n);
	return n;
}

int mon_parse_ulong(const char *cmd, const char *arg, bool suffix,
		    unsigned long *v)
{
	unsigned long long x;
	char *end;

	if (suffix && *arg && isdigit(*arg)) {
		x = memparse(arg, &end);
		if (!*end && x <= ~0UL) {
			*v = (unsigned long)x;
			return 0;
		}
	} else if (!kstrtoull(arg, 0, &x) && x <= ~0UL) {
		*v = (unsigned long)x;
		return 0;
	}
	mon_printf("%s: %s: not a number\n", cmd, arg);
	return -EINVAL;
}

/*
 * Splits buf in place into at most MONITOR_ARGS_MAX words; returns their
 * number, or a negative errno after a message.
 */
static int split_words(char *buf, char **argv)
{
	int argc = 0;
	char *p = buf;

	for (;;) {
		char *out;

		while (isspace(*p))
			p++;
		if (!*p)
			return argc;
		if (argc == MONITOR_ARGS_MAX) {
			mon_printf("%s: more than %d words\n", argv[0], MONITOR_ARGS_MAX - 1);
			return -EINVAL;
		}
		argv[argc++] = out = p;
		while (*p && !isspace(*p)) {
			if (*p != '"') {
				*out++ = *p++;
				continue;
			}
			/* A quoted part: blanks in it belong to the word. */
			for (p++; *p && *p != '"'; )
				*out++ = *p++;
			if (!*p) {
				mon_printf("%s: a '\"' is not closed\n", argc > 1 ? argv[0] : "monitor");
				return -EINVAL;
			}
			p++;
		}
		if (*p)
			p++;
		*out = '\0';
	}
}

int monitor_exec(const char *line)
{
	char buf[MONITOR_LINE_MAX], *argv[MONITOR_ARGS_MAX + 1];
	const struct monitor_cmd *cmd;
	int argc;

	if (strscpy(buf, line, sizeof(buf)) < 0) {
		mon_printf("monitor: a line of more than %d characters\n", MONITOR_LINE_MAX - 1);
		return -EINVAL;
	}
	argc = split_words(buf, argv);
	if (argc <= 0)
		return argc;
	argv[argc] = NULL;
	cmd = monitor_find(argv[0]);
	if (!cmd) {
		mon_printf("%s: no such command (help lists them)\n", argv[0]);
		return -ENOENT;
	}
	return cmd->fn(argc, argv);
}

size_t monitor_capture(const char *line, char *buf, size_t len, int *ret)
{
	/* A command may capture another (`ktest` running the monitor's own
	 * tests): the outer capture goes on afterwards. */
	char *outer_buf = capture_buf;
	size_t outer_len = capture_len, outer_used = capture_used, used;

	if (!len)
		return 0;
	capture_buf = buf;
	capture_len = len;
	capture_used = 0;
	buf[0] = '\0';
	*ret = monitor_exec(line);
	used = capture_used;
	capture_buf = outer_buf;
	capture_len = outer_len;
	capture_used = outer_used;
	return used;
}

/* help [COMMAND]: every command with its usage and help, in name order. */
static int cmd_help(int argc, char **argv)
{
	const struct monitor_cmd *last = NULL;
	char usage[64];

	if (argc > 2) {
		mon_printf("help: usage: help [COMMAND]\n");
		return -EINVAL;
	}
	if (argc == 2) {
		const struct monitor_cmd *c = monitor_find(argv[1]);

		if (!c) {
			mon_printf("help: %s: no such command\n", argv[1]);
			return -ENOENT;
		}
		mon_printf("%s %s\n    %s\n", c->name, c->args, c->help);
		return 0;
	}
	for (;;) {
		const struct monitor_cmd *next = NULL;

		for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++)
			if ((!last || strcmp(c->name, last->name) > 0) &&
			    (!next || strcmp(c->name, next->name) < 0))
				next = c;
		if (!next)
			return 0;
		snprintf(usage, sizeof(usage), "%s%s%s", next->name,
			 next->args[0] ? " " : "", next->args);
		mon_printf("  %-28s %s\n", usage, next->help);
		last = next;
	}
}
MONITOR_CMD(help, "[COMMAND]", "list the commands, or show one", cmd_help);

/* ------------------------------------------------------------ the loop */

/* The editor's echo and prompt: every console, not the kernel log. */
static void monitor_echo(void *ctx, const char *s, size_t n)
{
	console_write(s, n);
}

const char *monitor_read_line(struct line_edit *le)
{
	while (line_edit_feed(le, (unsigned char)tty_getc()) != LINE_EDIT_DONE)
		;
	return le->line;
}

/* Static: the editor holds its history (16 lines of MONITOR_LINE_MAX). */
static struct line_edit monitor_le;

void monitor_run(void)
{
	line_edit_init(&monitor_le, MONITOR_PROMPT, monitor_echo, NULL);
	for (;;) {
		line_edit_start(&monitor_le);
		monitor_exec(monitor_read_line(&monitor_le));
	}
}
