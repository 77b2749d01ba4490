/* SPDX-License-Identifier: MIT */
/*
 * The monitor's core (monitor/monitor.c): lines split into words as the
 * prompt promises, unknown and malformed lines reported in one line, the
 * output captured for the tests and kept out of the kernel log.
 */
#include "kernel/errno.h"
#include "kernel/ktest.h"
#include "kernel/monitor.h"
#include "kernel/printk.h"
#include "kernel/string.h"

static int echo_argc;
static char echo_words[4][32];

/* A command for the tests: records its words, prints them in brackets. */
static int cmd_ktest_echo(int argc, char **argv)
{
	echo_argc = argc;
	for (int i = 0; i < argc && i < 4; i++)
		strscpy(echo_words[i], argv[i], sizeof(echo_words[i]));
	for (int i = 1; i < argc; i++)
		mon_printf("[%s]", argv[i]);
	mon_printf("\n");
	return argc == 2 && strcmp(argv[1], "fail") == 0 ? -EIO : 0;
}
MONITOR_CMD(ktest_echo, "WORDS...", "the monitor tests' echo (prints its words)", cmd_ktest_echo);

KTEST(monitor, words_blanks_and_quotes)
{
	char out[128];
	int ret;

	monitor_capture("  ktest_echo  a\tb  \"c d\" e\"f g\"h ", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_STREQ(t, out, "[a][b][c d][ef gh]\n");
	KT_EXPECT_EQ(t, echo_argc, 5);
	KT_EXPECT_STREQ(t, echo_words[0], "ktest_echo");
	monitor_capture("ktest_echo fail", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EIO);
	monitor_capture("   ", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_STREQ(t, out, "");
}

KTEST(monitor, bad_lines_get_one_message)
{
	char out[256], many[MONITOR_LINE_MAX];
	int ret;

	echo_argc = 0;
	monitor_capture("no_such_thing 1 2", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -ENOENT);
	KT_EXPECT_STREQ(t, out, "no_such_thing: no such command (help lists them)\n");
	monitor_capture("ktest_echo \"open", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "ktest_echo: a '\"' is not closed\n");
	strscpy(many, "ktest_echo", sizeof(many));
	for (int i = 0; i < MONITOR_ARGS_MAX; i++)
		memcpy(many + strlen(many), " w", 3);
	monitor_capture(many, out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "ktest_echo: more than 15 words\n");
	KT_EXPECT_EQ(t, echo_argc, 0);		/* never ran */
}

/* A command for the tests: its one argument through mon_parse_ulong. */
static unsigned long parsed;

static int cmd_ktest_number(int argc, char **argv)
{
	return argc == 3 ? mon_parse_ulong(argv[0], argv[1], argv[2][0] == 's', &parsed) : -EINVAL;
}
MONITOR_CMD(ktest_number, "N s|p", "the monitor tests' number parser (s: with a K/M/G suffix)",
	    cmd_ktest_number);

KTEST(monitor, numbers)
{
	char out[128];
	int ret;

	monitor_capture("ktest_number 0xc1000000 p", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, parsed, 0xc1000000UL);
	monitor_capture("ktest_number 64K s", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_EXPECT_EQ(t, parsed, 65536);
	/* A suffix only where the command takes sizes. */
	monitor_capture("ktest_number 64K p", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "ktest_number: 64K: not a number\n");
	monitor_capture("ktest_number 0xzz p", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_STREQ(t, out, "ktest_number: 0xzz: not a number\n");
	monitor_capture("ktest_number 99999999999 p", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -EINVAL);
	KT_EXPECT_EQ(t, parsed, 65536);		/* kept */
}

KTEST(monitor, help_lists_every_command_and_output_stays_out_of_the_log)
{
	static char out[4096];
	size_t before = log_buf_len_now(), n;
	int ret, count = 0;

	n = monitor_capture("help", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, 0);
	KT_ASSERT(t, n < sizeof(out));
	for (const struct monitor_cmd *c = __monitor_cmds_start; c < __monitor_cmds_end; c++) {
		count++;
		KT_EXPECT(t, strstr(out, c->name) != NULL);
	}
	KT_EXPECT(t, count >= 2);
	KT_EXPECT(t, strstr(out, "ktest_echo WORDS...") != NULL);
	KT_EXPECT(t, strstr(out, "help [COMMAND]") != NULL);
	monitor_capture("help nosuch", out, sizeof(out), &ret);
	KT_EXPECT_EQ(t, ret, -ENOENT);
	KT_EXPECT_STREQ(t, out, "help: nosuch: no such command\n");
	KT_EXPECT_EQ(t, log_buf_len_now(), before);
}
