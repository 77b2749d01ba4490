/* SPDX-License-Identifier: MIT */
/*
 * Boot parameters: handlers registered with __setup()/early_param() in the
 * .init.setup section and the parsers that call them (kernel/params.c).
 */
#ifndef KERNEL_PARAMS_H
#define KERNEL_PARAMS_H

#include "kernel/errno.h"
#include "boot/bootinfo.h"
#include "kernel/kernel.h"

/*
 * The longest command line kept, NUL included: the boot protocol's limit
 * (kernel/bootinfo.h defines it the same way). A longer one is cut, with
 * a warning.
 */
#ifndef COMMAND_LINE_SIZE
#define COMMAND_LINE_SIZE	BOOT_CMDLINE_MAX
#endif

/*
 * The last instance of a parameter its handler accepted during one pass
 * over a command line (kernel/params.c), as written there: a later bad
 * value names it as the value kept.
 */
struct setup_kept {
	const char *param;
	const char *val;	/* NULL: none was given */
};

/*
 * One handler. str is the parameter name ("ktest"; a trailing '=' is
 * allowed and ignored), matched exactly except that '-' and '_' are the
 * same, as in Linux. setup_func gets the text after '=' or NULL when there
 * was none, and returns 0, or a negative errno for a bad value, which the
 * parser reports; a bad value must change nothing. val points into a
 * buffer that lives for ever, so the handler may keep it. kept is the
 * parser's note of this handler's last good value. Four words, no
 * padding: the section is an array.
 */
struct obs_kernel_param {
	const char *str;
	int (*setup_func)(char *val);
	int early;
	struct setup_kept *kept;
};
BUILD_BUG_ON(sizeof(struct obs_kernel_param) != 4 * sizeof(void *));

/* The linker script puts these around KEEP(*(.init.setup)). */
extern const struct obs_kernel_param __setup_start[], __setup_end[];

#define __setup_param(name_str, unique_id, fn, is_early)			\
	static struct setup_kept __setup_kept_##unique_id;		\
	static const struct obs_kernel_param __setup_##unique_id	\
		__used __section(".init.setup")				\
		__aligned(__alignof__(struct obs_kernel_param)) = {	\
		.str = name_str,					\
		.setup_func = fn,					\
		.early = is_early,					\
		.kept = &__setup_kept_##unique_id,			\
	}

/* __setup("name", fn): fn(val) handles "name" or "name=val". */
#define __setup(str, fn)	__setup_param(str, fn, fn, 0)

/*
 * A parameter that is a plain flag ("bench"): present sets the bool var;
 * "name=value" is a bad value (reported, var left false).
 */
#define __setup_flag(str, var)						\
	static int __setup_flag_##var(char *val)			\
	{								\
		if (val)						\
			return -EINVAL;					\
		var = true;						\
		return 0;						\
	}								\
	__setup(str, __setup_flag_##var)

/*
 * parse_uint_param - val as a decimal in [min, max] into *res: 0, -EINVAL
 * when it is not a number, -ERANGE (reported as "name=val: outside
 * min..max") when it is out of range; *res changes only on success.
 */
int parse_uint_param(const char *name, const char *val, unsigned int min,
		     unsigned int max, unsigned int *res);

/* A parameter "name=N" setting the unsigned int var, N in [min, max]. */
#define __setup_uint(str, var, min, max)				\
	static int __setup_uint_##var(char *val)			\
	{								\
		return parse_uint_param(str, val, min, max, &var);	\
	}								\
	__setup(str, __setup_uint_##var)

/* The same, but run by parse_early_params() before the rest. */
#define early_param(str, fn)	__setup_param(str, fn, fn, 1)

/*
 * The command line as the loader gave it (cut to COMMAND_LINE_SIZE - 1),
 * set by parse_kernel_params(); "" before that.
 */
extern const char *saved_command_line;

/*
 * The text after the first " -- " of the command line, not parsed as
 * parameters: the further arguments of init= (split_init_args); NULL
 * when there was none. Set by parse_kernel_params().
 */
extern char *cmdline_after_dashes;

/*
 * parse_early_params - run the early_param() handlers for the parameters
 * in cmdline_copy, which is split in place (pass a copy). Returns the
 * number of bad values.
 */
int parse_early_params(char *cmdline_copy);

/*
 * parse_kernel_params - keep a copy of cmdline as saved_command_line and
 * run the __setup() handlers for its parameters; early ones are skipped
 * (parse_early_params ran them). A handler's error is reported as
 *   cmdline: bad value for 'NAME': 'VAL' (reason), using the default
 * or, when an earlier instance of the parameter on the same line was
 * accepted (and so is still in force), as
 *   cmdline: bad value for 'NAME': 'VAL' (reason), keeping the earlier 'NAME=VAL0'
 * and the parameters nobody registered are reported once as
 *   Unknown kernel command line parameters "a b=c", will be ignored
 * Returns the number of bad values. Call it once.
 */
int parse_kernel_params(const char *cmdline);

#endif /* KERNEL_PARAMS_H */
