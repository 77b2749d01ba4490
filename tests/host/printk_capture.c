/* SPDX-License-Identifier: MIT */
/*
 * printk for host tests: every message goes to a growing buffer the test
 * can read and search (printk_capture.h); SIM_VERBOSE=1 in the
 * environment also echoes it to stdout.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "printk_capture.h"
#include "kernel/printk.h"	/* renames vsnprintf to lib/vsprintf.c's */

static char *log_buf;
static size_t log_len, log_cap;

void sim_log_clear(void)
{
	log_len = 0;
	if (log_buf)
		log_buf[0] = '\0';
}

const char *sim_log(void)
{
	return log_buf ? log_buf : "";
}

bool sim_log_has(const char *needle)
{
	return strstr(sim_log(), needle) != NULL;
}

int vprintk(const char *fmt, va_list args)
{
	char line[PRINTK_LINE_MAX];
	int n = vscnprintf(line, sizeof(line), fmt, args);

	if (log_len + n + 1 > log_cap) {
		log_cap = (log_len + n + 1) * 2;
		log_buf = realloc(log_buf, log_cap);
		if (!log_buf)
			abort();
	}
	memcpy(log_buf + log_len, line, n + 1);
	log_len += n;
	if (getenv("SIM_VERBOSE"))
		fputs(line, stdout);
	return n;
}

int printk(const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vprintk(fmt, args);
	va_end(args);
	return n;
}
