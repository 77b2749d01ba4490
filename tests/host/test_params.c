/* SPDX-License-Identifier: MIT */
/*
 * Host tests of kernel/params.c with handlers of its own: dispatch by
 * name ('-' and '_' alike), the early and late passes, the unknown list,
 * and the message for a bad value, which names the value that stays in
 * force: the default, or the last earlier instance on the line that was
 * accepted (docs/boot-protocol.md). tests/host/setup_section.ld gives
 * the handlers' section the kernel linker script's bounds.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "printk_capture.h"
#include "kernel/errno.h"
#include "kernel/params.h"

/*
 * lib/string.c is the kernel's libc and cannot be linked next to the
 * host's; params.c needs two of its functions, with these contracts
 * (include/kernel/string.h, include/kernel/errno.h).
 */
ssize_t strscpy(char *dst, const char *src, size_t size)
{
	size_t n = strnlen(src, size);

	if (size == 0)
		return -E2BIG;
	if (n == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dst, src, n + 1);
	return (ssize_t)n;
}

const char *err_str(int err)
{
	return err == -EINVAL ? "invalid argument" :
	       err == -ERANGE ? "out of range" : "unknown error";
}

/* ------------------------------------------------------------ handlers */

static unsigned int num = 7;		/* t_num=N, 1..100 (or t-num=N) */
__setup_uint("t_num", num, 1, 100);

static bool flag;			/* t.flag */
__setup_flag("t.flag", flag);

static const char *word = "default";	/* t.word=ANY NON-EMPTY TEXT */
static int word_setup(char *val)
{
	if (!val || !*val)
		return -EINVAL;
	word = val;
	return 0;
}
__setup("t.word", word_setup);

static int early_value, early_calls;	/* t.early=N, any int */
static int early_setup(char *val)
{
	int v;
	char *end;

	early_calls++;
	if (!val || !*val)
		return -EINVAL;
	v = (int)strtol(val, &end, 0);
	if (*end)
		return -EINVAL;
	early_value = v;
	return 0;
}
early_param("t.early", early_setup);

/* The log so far without the level prefixes ("\001" and a digit). */
static const char *log_text(void)
{
	static char buf[4096];
	const char *s = sim_log();
	size_t n = 0;

	while (*s && n < sizeof(buf) - 1) {
		if (s[0] == '\001' && s[1]) {
			s += 2;
			continue;
		}
		buf[n++] = *s++;
	}
	buf[n] = '\0';
	return buf;
}

static void reset(void)
{
	num = 7;
	flag = false;
	word = "default";
	early_value = early_calls = 0;
	sim_log_clear();
}

/* ------------------------------------------------------------ tests */

static void test_good_values_and_names(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t-num=42 t.flag t.word=abc"), 0);
	CHECK_EQ(num, 42);
	CHECK(flag);
	CHECK_STR(word, "abc");
	CHECK_STR(log_text(), "");
	CHECK_STR(saved_command_line, "t-num=42 t.flag t.word=abc");
}

/* " -- ": what follows is init's, parsed by nobody (Linux's rule). */
static void test_after_dashes(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t_num=5 -- t_num=9 \"x y\" z"), 0);
	CHECK_EQ(num, 5);
	CHECK_STR(cmdline_after_dashes, "t_num=9 \"x y\" z");
	CHECK_STR(log_text(), "");
	reset();
	CHECK_EQ(parse_kernel_params("t_num=6 --x t.flag"), 0);
	CHECK(cmdline_after_dashes == NULL);
	CHECK(flag);
	CHECK_STR(log_text(), "Unknown kernel command line parameters \"--x\", will be ignored\n");
}

static void test_bad_value_alone_keeps_the_default(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t_num=0"), 1);
	CHECK_EQ(num, 7);
	CHECK_STR(log_text(), "t_num=0: outside 1..100\n"
		  "cmdline: bad value for 't_num': '0' (out of range), using the default\n");
}

static void test_bad_after_good_keeps_the_good_one(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t_num=5 t_num=200"), 1);
	CHECK_EQ(num, 5);
	CHECK_STR(log_text(), "t_num=200: outside 1..100\n"
		  "cmdline: bad value for 't_num': '200' (out of range), "
		  "keeping the earlier 't_num=5'\n");
}

/* The last good one, as written (the name's spelling, a quoted value). */
static void test_the_last_good_one_is_named(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t_num=x t_num=5 t-num=6 t_num=y"), 2);
	CHECK_EQ(num, 6);
	CHECK_STR(log_text(),
		  "cmdline: bad value for 't_num': 'x' (invalid argument), using the default\n"
		  "cmdline: bad value for 't_num': 'y' (invalid argument), "
		  "keeping the earlier 't-num=6'\n");

	reset();
	CHECK_EQ(parse_kernel_params("t.word=\"a b\" t.word="), 1);
	CHECK_STR(word, "a b");
	CHECK_STR(log_text(), "cmdline: bad value for 't.word': '' (invalid argument), "
		  "keeping the earlier 't.word=a b'\n");
}

/* A flag kept is named without '='; other parameters in between and
 * unknown ones change nothing about it. */
static void test_flag_and_others_in_between(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t.flag foo t_num=3 t.flag=1 bar=2"), 1);
	CHECK(flag);
	CHECK_EQ(num, 3);
	CHECK_STR(log_text(), "cmdline: bad value for 't.flag': '1' (invalid argument), "
		  "keeping the earlier 't.flag'\n"
		  "Unknown kernel command line parameters \"foo bar=2\", will be ignored\n");
}

/* Each parameter has its own note: a good t_num does not make a bad
 * t.word "kept". */
static void test_notes_are_per_parameter(void)
{
	reset();
	CHECK_EQ(parse_kernel_params("t_num=9 t.word="), 1);
	CHECK_STR(word, "default");
	CHECK_STR(log_text(), "cmdline: bad value for 't.word': '' (invalid argument), "
		  "using the default\n");
}

/* The early pass runs only early handlers, and the late pass only the
 * others: each pass names what it accepted itself. */
static void test_early_and_late_passes(void)
{
	char line[] = "t.early=1 t_num=4 t.early=zz t_num=0";

	reset();
	CHECK_EQ(parse_early_params(line), 1);
	CHECK_EQ(early_calls, 2);
	CHECK_EQ(early_value, 1);
	CHECK_EQ(num, 7);
	CHECK_STR(log_text(), "cmdline: bad value for 't.early': 'zz' (invalid argument), "
		  "keeping the earlier 't.early=1'\n");

	sim_log_clear();
	CHECK_EQ(parse_kernel_params("t.early=1 t_num=4 t.early=zz t_num=0"), 1);
	CHECK_EQ(early_calls, 2);
	CHECK_EQ(num, 4);
	CHECK_STR(log_text(), "t_num=0: outside 1..100\n"
		  "cmdline: bad value for 't_num': '0' (out of range), "
		  "keeping the earlier 't_num=4'\n");
}

int main(void)
{
	RUN(test_good_values_and_names);
	RUN(test_after_dashes);
	RUN(test_bad_value_alone_keeps_the_default);
	RUN(test_bad_after_good_keeps_the_good_one);
	RUN(test_the_last_good_one_is_named);
	RUN(test_flag_and_others_in_between);
	RUN(test_notes_are_per_parameter);
	RUN(test_early_and_late_passes);
	return HT_DONE();
}
