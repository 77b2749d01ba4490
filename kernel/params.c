/* SPDX-License-Identifier: MIT */
/*
 * Boot parameters: splits the command line with next_arg() and calls the
 * handlers that __setup() and early_param() placed in .init.setup,
 * reporting bad values and parameters nobody claims.
 */
#include "kernel/cmdline.h"
#include "kernel/errno.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"

const char *saved_command_line = "";
char *cmdline_after_dashes;

static char saved_buf[COMMAND_LINE_SIZE];	/* what saved_command_line shows */
static char param_buf[COMMAND_LINE_SIZE];	/* split in place; handlers keep pointers */
static char unknown_buf[COMMAND_LINE_SIZE];	/* "a b=c" for the one report */

/*
 * Whether command-line name 'name' is the registered 'str': equal, with
 * '-' and '_' the same and a trailing '=' on str ignored.
 */
static bool param_eq(const char *name, const char *str)
{
	for (;; name++, str++) {
		char a = *name, b = *str;

		if (b == '=' && str[1] == '\0')
			b = '\0';
		if (a == '-')
			a = '_';
		if (b == '-')
			b = '_';
		if (a != b)
			return false;
		if (a == '\0')
			return true;
	}
}

/* Adds param[=val] to the unknown list, quoting a value with spaces. */
static size_t note_unknown(size_t len, const char *param, const char *val)
{
	const char *sep = len ? " " : "";
	size_t room = sizeof(unknown_buf) - len;

	if (!val)
		return len + scnprintf(unknown_buf + len, room, "%s%s", sep, param);
	if (strchr(val, ' '))
		return len + scnprintf(unknown_buf + len, room, "%s%s=\"%s\"",
				       sep, param, val);
	return len + scnprintf(unknown_buf + len, room, "%s%s=%s", sep, param, val);
}

int parse_uint_param(const char *name, const char *val, unsigned int min,
		     unsigned int max, unsigned int *res)
{
	unsigned int v;

	if (!val || kstrtouint(val, 10, &v))
		return -EINVAL;
	if (v < min || v > max) {
		pr_err("%s=%s: outside %u..%u\n", name, val, min, max);
		return -ERANGE;
	}
	*res = v;
	return 0;
}

/*
 * One line for a refused value: the default stays in force, or the value
 * of the last earlier instance the handler accepted, named as written.
 */
static void report_bad_value(const struct obs_kernel_param *p, const char *param,
			     const char *val, int err)
{
	const struct setup_kept *k = p->kept;

	if (!k->param)
		pr_err("cmdline: bad value for '%s': '%s' (%s), using the default\n",
		       param, val ? val : "", err_str(err));
	else
		pr_err("cmdline: bad value for '%s': '%s' (%s), keeping the earlier '%s%s%s'\n",
		       param, val ? val : "", err_str(err), k->param,
		       k->val ? "=" : "", k->val ? k->val : "");
}

/*
 * Calls the handlers of the given kind (early or not) for each parameter
 * in args; returns the number of bad values. The late pass also collects
 * and reports the parameters that no handler of either kind claims.
 */
static int parse_args(char *args, bool early)
{
	const struct obs_kernel_param *p;
	size_t unknown_len = 0;
	int bad = 0;

	/* Nothing accepted yet in this pass. */
	for (p = __setup_start; p < __setup_end; p++)
		if ((p->early != 0) == early)
			*p->kept = (struct setup_kept){ NULL, NULL };

	args = skip_spaces(args);
	while (*args) {
		bool claimed = false;
		char *param, *val;

		args = next_arg(args, &param, &val);
		/* " -- ": the rest is init's (Linux's rule), untouched here. */
		if (!val && !strcmp(param, "--")) {
			if (!early)
				cmdline_after_dashes = args;
			break;
		}
		if (!*param && !val)
			continue;		/* a lone "" */

		for (p = __setup_start; p < __setup_end; p++) {
			int ret;

			if (!param_eq(param, p->str))
				continue;
			claimed = true;
			if ((p->early != 0) != early)
				continue;
			ret = p->setup_func(val);
			if (ret < 0) {
				report_bad_value(p, param, val, ret);
				bad++;
			} else {
				*p->kept = (struct setup_kept){ param, val };
			}
		}
		if (!claimed && !early)
			unknown_len = note_unknown(unknown_len, param, val);
	}

	if (unknown_len)
		pr_warn("Unknown kernel command line parameters \"%s\", will be ignored\n",
			unknown_buf);
	return bad;
}

int parse_early_params(char *cmdline_copy)
{
	if (!cmdline_copy)
		return 0;
	return parse_args(cmdline_copy, true);
}

int parse_kernel_params(const char *cmdline)
{
	if (!cmdline)
		cmdline = "";
	if (strscpy(saved_buf, cmdline, sizeof(saved_buf)) < 0)
		pr_warn("cmdline: longer than %d bytes, the rest is ignored\n",
			COMMAND_LINE_SIZE - 1);
	saved_command_line = saved_buf;
	cmdline_after_dashes = NULL;
	memcpy(param_buf, saved_buf, sizeof(param_buf));
	return parse_args(param_buf, false);
}
