/* SPDX-License-Identifier: MIT */
/*
 * In-kernel tests of the library and the output path: vsnprintf, the
 * string functions, the command-line helpers, printk with its log buffer
 * and consoles, boot-parameter dispatch, and the ktest macros themselves.
 */
#define pr_fmt(fmt) "test_lib: " fmt

#include <limits.h>
#include "asm/memlayout.h"
#include "kernel/bootinfo.h"
#include "kernel/cmdline.h"
#include "kernel/console.h"
#include "kernel/errno.h"
#include "kernel/extable.h"
#include "kernel/kernel.h"
#include "kernel/ktest.h"
#include "kernel/math64.h"
#include "kernel/params.h"
#include "kernel/printk.h"
#include "kernel/string.h"
#include "mm/pgtrace.h"
#include "mm/vmalloc.h"

/* ------------------------------------------------------------ vsnprintf */

KTEST(vsnprintf, integers)
{
	char buf[64];

	KT_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%d %i %u", -42, 7, 3000000000u), 16);
	KT_EXPECT_STREQ(t, buf, "-42 7 3000000000");
	snprintf(buf, sizeof(buf), "%x %X %o", 0xbeefu, 0xbeefu, 8u);
	KT_EXPECT_STREQ(t, buf, "beef BEEF 10");
	snprintf(buf, sizeof(buf), "%#x %#o %#x", 0x1fu, 8u, 0u);
	KT_EXPECT_STREQ(t, buf, "0x1f 010 0");
	snprintf(buf, sizeof(buf), "%hhu %hd", (unsigned char)0xff, (short)-5);
	KT_EXPECT_STREQ(t, buf, "255 -5");
	snprintf(buf, sizeof(buf), "%zu %td", (size_t)4096, (ptrdiff_t)-1);
	KT_EXPECT_STREQ(t, buf, "4096 -1");
}

/* 64-bit values take the div_u64_rem path: no libgcc in this kernel. */
KTEST(vsnprintf, sixty_four_bit)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "%llu", ~0ULL);
	KT_EXPECT_STREQ(t, buf, "18446744073709551615");
	snprintf(buf, sizeof(buf), "%lld", (long long)(1ULL << 63));
	KT_EXPECT_STREQ(t, buf, "-9223372036854775808");
	snprintf(buf, sizeof(buf), "%llx", 0x123456789abcdef0ULL);
	KT_EXPECT_STREQ(t, buf, "123456789abcdef0");
	snprintf(buf, sizeof(buf), "%llo", 1ULL << 63);
	KT_EXPECT_STREQ(t, buf, "1000000000000000000000");
}

KTEST(vsnprintf, width_precision_flags)
{
	char buf[64];

	snprintf(buf, sizeof(buf), "[%5d][%-5d][%05d][%+d][% d]", 42, 42, -42, 3, 3);
	KT_EXPECT_STREQ(t, buf, "[   42][42   ][-0042][+3][ 3]");
	snprintf(buf, sizeof(buf), "[%.3d][%8.3d][%.0d]", 7, -7, 0);
	KT_EXPECT_STREQ(t, buf, "[007][    -007][]");
	snprintf(buf, sizeof(buf), "[%*d][%-*d][%.*s]", 4, 1, 4, 2, 2, "abc");
	KT_EXPECT_STREQ(t, buf, "[   1][2   ][ab]");
	snprintf(buf, sizeof(buf), "[%6s][%-6s][%.1s][%3c]", "ab", "ab", "xyz", 'q');
	KT_EXPECT_STREQ(t, buf, "[    ab][ab    ][x][  q]");
	snprintf(buf, sizeof(buf), "%s|%%|%p", (const char *)NULL, (void *)0xc0001000u);
	KT_EXPECT_STREQ(t, buf, "(null)|%|0xc0001000");
}

KTEST(vsnprintf, truncation)
{
	char buf[8];

	memset(buf, 'X', sizeof(buf));
	KT_EXPECT_EQ(t, snprintf(buf, 0, "hello"), 5);
	KT_EXPECT_EQ(t, buf[0], 'X');
	KT_EXPECT_EQ(t, snprintf(NULL, 0, "%d", 123456), 6);
	KT_EXPECT_EQ(t, snprintf(buf, 1, "hello"), 5);
	KT_EXPECT_EQ(t, buf[0], '\0');
	KT_EXPECT_EQ(t, buf[1], 'X');
	KT_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	KT_EXPECT_STREQ(t, buf, "0123456");
	KT_EXPECT_EQ(t, scnprintf(buf, sizeof(buf), "%s", "0123456789"), 7);
	KT_EXPECT_EQ(t, scnprintf(buf, 0, "abc"), 0);
}

/* Widths and precisions of INT_MAX count as PRINTF_FIELD_MAX, padding
 * beyond the buffer is counted and not written, and the count of many
 * such fields does not wrap (with a 32-bit size_t, three INT_MAX fields
 * used to come to 2^32 - 3 and wrap; each took 7 s of padding). */
KTEST(vsnprintf, huge_fields_are_bounded)
{
	char buf[8];

	KT_EXPECT_EQ(t, snprintf(NULL, 0, "%2147483647d", 1), PRINTF_FIELD_MAX);
	KT_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%*d%*d%*d", INT_MAX, 1,
				 INT_MAX, 2, INT_MIN, 3), 3 * PRINTF_FIELD_MAX);
	KT_EXPECT_STREQ(t, buf, "       ");
	KT_EXPECT_EQ(t, snprintf(buf, sizeof(buf), "%.*d|%.*s", INT_MAX, 5,
				 INT_MAX, "ab"), PRINTF_FIELD_MAX + 3);
	KT_EXPECT_STREQ(t, buf, "0000000");
	KT_EXPECT_EQ(t, snprintf(buf, (size_t)INT_MAX + 1, "abc"), 0);
}

/* --------------------------------------------------------------- string */

KTEST(string, memcpy_memset)
{
	u8 src[40], dst[40];
	size_t i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (u8)(i * 7 + 1);
	/* Every alignment of the two pointers and several lengths. */
	for (size_t so = 0; so < 4; so++) {
		for (size_t d0 = 0; d0 < 4; d0++) {
			memset(dst, 0xEE, sizeof(dst));
			KT_EXPECT(t, memcpy(dst + d0, src + so, 13) == dst + d0);
			KT_EXPECT_EQ(t, memcmp(dst + d0, src + so, 13), 0);
			KT_EXPECT_EQ(t, dst[d0 + 13], 0xEE);
			if (d0)
				KT_EXPECT_EQ(t, dst[d0 - 1], 0xEE);
		}
	}
	memset(dst, 0, sizeof(dst));
	KT_EXPECT(t, memset(dst + 3, 0xAB, 9) == dst + 3);
	KT_EXPECT_EQ(t, dst[2], 0);
	KT_EXPECT_EQ(t, dst[3], 0xAB);
	KT_EXPECT_EQ(t, dst[11], 0xAB);
	KT_EXPECT_EQ(t, dst[12], 0);
	/* The fill is the low byte of c. */
	memset(dst, 0x1234, 8);
	KT_EXPECT_EQ(t, dst[7], 0x34);
}

KTEST(string, memmove_overlap)
{
	char buf[32];

	strscpy(buf, "0123456789abcdef", sizeof(buf));
	memmove(buf + 2, buf, 10);		/* forwards overlap */
	KT_EXPECT_STREQ(t, buf, "010123456789cdef");
	strscpy(buf, "0123456789abcdef", sizeof(buf));
	memmove(buf, buf + 3, 10);		/* backwards overlap */
	KT_EXPECT_STREQ(t, buf, "3456789abcabcdef");
	strscpy(buf, "0123456789abcdefghijklmn", sizeof(buf));
	memmove(buf + 4, buf, 16);		/* word-aligned, overlapping */
	KT_EXPECT_STREQ(t, buf, "01230123456789abcdefklmn");
}

KTEST(string, compare)
{
	KT_EXPECT_EQ(t, strcmp("abc", "abc"), 0);
	KT_EXPECT(t, strcmp("abc", "abd") < 0);
	KT_EXPECT(t, strcmp("abd", "abc") > 0);
	KT_EXPECT(t, strcmp("ab", "abc") < 0);
	KT_EXPECT(t, strcmp("\xff", "a") > 0);	/* compared as unsigned char */
	KT_EXPECT_EQ(t, strncmp("abcX", "abcY", 3), 0);
	KT_EXPECT(t, strncmp("abcX", "abcY", 4) < 0);
	KT_EXPECT(t, memcmp("\x01\x80", "\x01\x7f", 2) > 0);
	KT_EXPECT_EQ(t, memcmp("a", "b", 0), 0);
}

KTEST(string, search)
{
	const char *s = "hello world";

	KT_EXPECT_EQ(t, strlen(s), 11);
	KT_EXPECT_EQ(t, strlen(""), 0);
	KT_EXPECT_EQ(t, strnlen(s, 5), 5);
	KT_EXPECT_EQ(t, strnlen(s, 50), 11);
	KT_EXPECT(t, strchr(s, 'o') == s + 4);
	KT_EXPECT(t, strrchr(s, 'o') == s + 7);
	KT_EXPECT(t, strchr(s, 'z') == NULL);
	KT_EXPECT(t, strchr(s, '\0') == s + 11);
	KT_EXPECT(t, strstr(s, "wor") == s + 6);
	KT_EXPECT(t, strstr(s, "") == s);
	KT_EXPECT(t, strstr(s, "worlds") == NULL);
	KT_EXPECT(t, memchr(s, 'w', 11) == s + 6);
	KT_EXPECT(t, memchr(s, 'w', 6) == NULL);
	KT_EXPECT_EQ(t, strspn("aabbcx", "abc"), 5);
	KT_EXPECT_EQ(t, strcspn("key=val", "=:"), 3);
}

KTEST(string, bounded_copies)
{
	char buf[6];

	KT_EXPECT_EQ(t, strlcpy(buf, "abc", sizeof(buf)), 3);
	KT_EXPECT_STREQ(t, buf, "abc");
	KT_EXPECT_EQ(t, strlcpy(buf, "abcdefgh", sizeof(buf)), 8);
	KT_EXPECT_STREQ(t, buf, "abcde");

	KT_EXPECT_EQ(t, strscpy(buf, "abcde", sizeof(buf)), 5);
	KT_EXPECT_STREQ(t, buf, "abcde");
	KT_EXPECT_EQ(t, strscpy(buf, "abcdef", sizeof(buf)), -E2BIG);
	KT_EXPECT_STREQ(t, buf, "abcde");
	KT_EXPECT_EQ(t, strscpy(buf, "x", 0), -E2BIG);
	KT_EXPECT_STREQ(t, buf, "abcde");		/* untouched */
}

KTEST(string, err_str)
{
	KT_EXPECT_STREQ(t, err_str(-EINVAL), "invalid argument");
	KT_EXPECT_STREQ(t, err_str(ENOMEM), "out of memory");
	KT_EXPECT_STREQ(t, err_str(0), "success");
	KT_EXPECT_STREQ(t, err_str(-4000), "unknown error");
	KT_EXPECT_STREQ(t, err_str((int)0x80000000), "unknown error");
}

/* -------------------------------------------------------------- cmdline */

KTEST(cmdline, next_arg)
{
	char line[] = " a b=c d=\"x y\" \"e=f g\"  ";
	char *p = line, *param, *val;

	p = next_arg(p, &param, &val);
	KT_EXPECT_STREQ(t, param, "a");
	KT_EXPECT(t, val == NULL);
	p = next_arg(p, &param, &val);
	KT_EXPECT_STREQ(t, param, "b");
	KT_EXPECT_STREQ(t, val, "c");
	p = next_arg(p, &param, &val);
	KT_EXPECT_STREQ(t, param, "d");
	KT_EXPECT_STREQ(t, val, "x y");
	p = next_arg(p, &param, &val);
	KT_EXPECT_STREQ(t, param, "e");
	KT_EXPECT_STREQ(t, val, "f g");
	KT_EXPECT_EQ(t, *p, '\0');
}

KTEST(cmdline, memparse)
{
	char *end;

	KT_EXPECT_EQ(t, memparse("512M", &end), 512ULL << 20);
	KT_EXPECT_EQ(t, *end, '\0');
	KT_EXPECT_EQ(t, memparse("4g", NULL), 4ULL << 30);
	KT_EXPECT_EQ(t, memparse("0x2000k", NULL), 0x2000ULL << 10);
	KT_EXPECT_EQ(t, memparse("64M@16M", &end), 64ULL << 20);
	KT_EXPECT_STREQ(t, end, "@16M");
	KT_EXPECT_EQ(t, memparse("20E", NULL), ~0ULL);
}

KTEST(cmdline, kstrto)
{
	unsigned long long ull = 0;
	unsigned int u = 0;
	int i = 0;
	bool b = false;

	KT_EXPECT_EQ(t, kstrtoull("0x10", 0, &ull), 0);
	KT_EXPECT_EQ(t, ull, 16);
	KT_EXPECT_EQ(t, kstrtoull("18446744073709551616", 10, &ull), -ERANGE);
	KT_EXPECT_EQ(t, ull, 16);
	KT_EXPECT_EQ(t, kstrtoull("12z", 10, &ull), -EINVAL);
	KT_EXPECT_EQ(t, kstrtouint("4294967296", 10, &u), -ERANGE);
	KT_EXPECT_EQ(t, kstrtouint("77\n", 10, &u), 0);
	KT_EXPECT_EQ(t, u, 77);
	KT_EXPECT_EQ(t, kstrtoint("-2147483648", 10, &i), 0);
	KT_EXPECT_EQ(t, i, -2147483647 - 1);
	KT_EXPECT_EQ(t, kstrtoint("2147483648", 10, &i), -ERANGE);
	KT_EXPECT_EQ(t, kstrtobool("on", &b), 0);
	KT_EXPECT(t, b);
	KT_EXPECT_EQ(t, kstrtobool("off", &b), 0);
	KT_EXPECT_FALSE(t, b);
	KT_EXPECT_EQ(t, kstrtobool("maybe", &b), -EINVAL);
}

KTEST(cmdline, glob_match)
{
	KT_EXPECT(t, glob_match("*", ""));
	KT_EXPECT(t, glob_match("lib*.str?ng", "lib_x.string"));
	KT_EXPECT(t, glob_match("*.*", "cmdline.glob_match"));
	KT_EXPECT_FALSE(t, glob_match("cmdline.?", "cmdline.ab"));
	KT_EXPECT_FALSE(t, glob_match("a*a*a*a*a*a*a*a*b",
				      "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

/* --------------------------------------------------------------- printk */

/* A console that keeps what it is given, for checking what printk sends. */
struct capture {
	struct console con;
	char buf[256];
	size_t len;		/* bytes kept */
	size_t seen;		/* bytes offered, kept or not */
};

static void capture_write(struct console *con, const char *s, size_t n)
{
	struct capture *cap = container_of(con, struct capture, con);

	cap->seen += n;
	while (n-- && cap->len < sizeof(cap->buf) - 1)
		cap->buf[cap->len++] = *s++;
	cap->buf[cap->len] = '\0';
}

KTEST(printk, reaches_log_buffer)
{
	static int serial;
	char want[64], got[128];
	size_t before = log_buf_len_now();
	int n;

	snprintf(want, sizeof(want), "ktest printk marker %d 0x%08x\n",
		 ++serial, 0xfeedu);
	n = printk("%s", want);
	KT_EXPECT_EQ(t, n, strlen(want));
	KT_EXPECT_EQ(t, log_buf_len_now() - before, strlen(want));
	KT_EXPECT_EQ(t, log_buf_copy(got, sizeof(got), before), strlen(want));
	KT_EXPECT_STREQ(t, got, want);

	/* A short destination is cut and NUL-terminated. */
	KT_EXPECT_EQ(t, log_buf_copy(got, 7, before), 6);
	KT_EXPECT_STREQ(t, got, "ktest ");
	KT_EXPECT_EQ(t, log_buf_copy(got, 0, before), 0);
}

KTEST(printk, pr_fmt_prefix)
{
	char got[128];
	size_t before = log_buf_len_now();

	pr_info("prefixed %s\n", "message");
	log_buf_copy(got, sizeof(got), before);
	KT_EXPECT_STREQ(t, got, "test_lib: prefixed message\n");
}

KTEST(printk, console_replay_and_output)
{
	static struct capture cap = { .con = { .name = "capture" } };
	size_t end = log_buf_len_now();

	cap.con.write = capture_write;
	cap.len = cap.seen = 0;
	KT_ASSERT_EQ(t, register_console(&cap.con), 0);
	/* The replay is everything the ring still holds. */
	KT_EXPECT_EQ(t, cap.seen, end < LOG_BUF_LEN ? end : LOG_BUF_LEN);
	KT_EXPECT(t, cap.con.flags & CON_ENABLED);
	KT_EXPECT_EQ(t, register_console(&cap.con), -EBUSY);

	cap.len = 0;
	printk("to every console: %d\n", 12345);
	KT_EXPECT_STREQ(t, cap.buf, "to every console: 12345\n");

	KT_EXPECT_EQ(t, unregister_console(&cap.con), 0);
	KT_EXPECT_FALSE(t, cap.con.flags & CON_ENABLED);
	cap.len = 0;
	printk("after unregister\n");
	KT_EXPECT_EQ(t, cap.len, 0);
	KT_EXPECT_EQ(t, unregister_console(&cap.con), -ENOENT);
}

/*
 * %s of a pointer that cannot be read prints "(efault)" instead of
 * faulting: page 0 and user space are refused outright (no fault taken),
 * an unmapped kernel page, a vmalloc guard page and a string running into
 * one are found by the exception-table probe, whose absorbed fault the
 * page-fault handler still reports for the vmalloc area.
 */
KTEST(printk, bad_string_pointers_print_efault)
{
	static char got[1024];
	uint32_t faults = last_fixup_fault.count;
	char *p = vmalloc(PAGE_SIZE), line[64];
	const char *guard = p + PAGE_SIZE;
	size_t before;

	KT_ASSERT(t, p != NULL);
	memset(p, 'v', PAGE_SIZE);		/* no NUL: it runs into the guard */
	before = log_buf_len_now();
	printk("efault: [%s] [%s] [%s] [%s] [%.2s]\n", (const char *)0x10, (const char *)NULL,
	       (const char *)0x08048000, (const char *)0xfffff000, (const char *)1);
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults);

	printk("efault: [%s]\n", guard);
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults + 1);
	KT_EXPECT_EQ(t, last_fixup_fault.address, (uint32_t)guard);
	printk("efault: [%s]\n", guard - 3);
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults + 2);
	printk("efault: [%s]\n", (const char *)PKMAP_END);	/* unmapped, no area */
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults + 3);
	KT_EXPECT_EQ(t, last_fixup_fault.address, PKMAP_END);
	p[PAGE_SIZE - 1] = '\0';			/* ends on the page's last byte */
	printk("efault: [%s] [%.3s]\n", guard - 4, guard - 3);
	KT_EXPECT_EQ(t, last_fixup_fault.count, faults + 3);
	KT_EXPECT_EQ(t, snprintf(line, sizeof(line), "%s", guard), 8);
	KT_EXPECT_STREQ(t, line, "(efault)");

	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT(t, strstr(got, "efault: [(efault)] [(null)] [(efault)] [(efault)] [(e]\n"));
	KT_EXPECT(t, strstr(got, "\nefault: [(efault)]\nefault: [(efault)]\n"));
	KT_EXPECT(t, strstr(got, "\nefault: [(efault)]\nefault: [vvv] [vv]\n"));
	snprintf(line, sizeof(line), "#PF: 0x%08lx is in the guard page of vmalloc area 0x%08lx-",
		 (unsigned long)guard, (unsigned long)p);
	KT_EXPECT(t, strstr(got, line));
	vfree(p);
}

KTEST(printk, bad_console)
{
	static struct console no_write = { .name = "broken" };

	KT_EXPECT_EQ(t, register_console(NULL), -EINVAL);
	KT_EXPECT_EQ(t, register_console(&no_write), -EINVAL);
}

KTEST(printk, long_message_is_cut)
{
	static char big[PRINTK_LINE_MAX + 100];
	size_t before = log_buf_len_now();

	memset(big, 'z', sizeof(big) - 1);
	KT_EXPECT_EQ(t, printk("%s\n", big), PRINTK_LINE_MAX - 1);
	KT_EXPECT_EQ(t, log_buf_len_now() - before, PRINTK_LINE_MAX - 1);
	{
		char tail[8];

		log_buf_copy(tail, sizeof(tail), log_buf_len_now() - 5);
		KT_EXPECT_STREQ(t, tail, "z...\n");
	}
}

/* --------------------------------------------------------------- params */

static int early_calls, early_value, late_calls;

static int test_lib_early(char *val)
{
	early_calls++;
	return kstrtoint(val, 0, &early_value);
}
early_param("ktest_lib_early", test_lib_early);

static int test_lib_late(char *val)
{
	late_calls++;
	return 0;
}
__setup("ktest_lib_late", test_lib_late);

KTEST(params, early_dispatch)
{
	char line[] = "foo ktest_lib_early=42 ktest_lib_late=1 bar=\"x y\" "
		      "ktest-lib-early=0x10 ktest_lib_early=junk";
	char got[256];
	size_t before = log_buf_len_now();

	early_calls = late_calls = 0;
	early_value = 0;
	/* Only the early handler runs: twice well, once with a bad value. */
	KT_EXPECT_EQ(t, parse_early_params(line), 1);
	KT_EXPECT_EQ(t, early_calls, 3);
	KT_EXPECT_EQ(t, early_value, 16);	/* '-' matched '_' */
	KT_EXPECT_EQ(t, late_calls, 0);

	/* The value in force is the earlier good one, named as written. */
	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT_STREQ(t, got, "cmdline: bad value for 'ktest_lib_early': "
			"'junk' (invalid argument), keeping the earlier "
			"'ktest-lib-early=0x10'\n");
}

/* A bad value before any good one: the default stays; after one: that
 * one stays, and the message names it. */
KTEST(params, repeated_bad_value_says_which_value_is_kept)
{
	char line[] = "ktest_lib_early=x ktest_lib_early=5 ktest_lib_early=y";
	char got[512];
	size_t before = log_buf_len_now();

	early_value = 0;
	KT_EXPECT_EQ(t, parse_early_params(line), 2);
	KT_EXPECT_EQ(t, early_value, 5);
	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT_STREQ(t, got,
		"cmdline: bad value for 'ktest_lib_early': 'x' (invalid argument), using the default\n"
		"cmdline: bad value for 'ktest_lib_early': 'y' (invalid argument), "
		"keeping the earlier 'ktest_lib_early=5'\n");
}

/* The handler registered for name, as the command line reaches it. */
static int (*setup_handler(const char *name))(char *)
{
	for (const struct obs_kernel_param *p = __setup_start; p < __setup_end; p++)
		if (strcmp(p->str, name) == 0)
			return p->setup_func;
	return NULL;
}

/* trace=: a list with a bad word is refused whole, before any trace is
 * turned on ("trace=paging,x" used to leave paging on after "using the
 * default"). */
KTEST(params, trace_list_with_a_bad_word_changes_nothing)
{
	int (*trace)(char *) = setup_handler("trace");
	bool was = pgtrace_enabled;
	char bad[] = "paging,nosuch", bad_first[] = "nosuch,paging";

	KT_ASSERT(t, trace != NULL);
	pgtrace_enabled = false;
	KT_EXPECT_EQ(t, trace(bad), -EINVAL);
	KT_EXPECT(t, !pgtrace_enabled);
	KT_EXPECT_EQ(t, trace(bad_first), -EINVAL);
	KT_EXPECT(t, !pgtrace_enabled);
	pgtrace_enabled = was;
}

KTEST(params, saved_command_line)
{
	KT_ASSERT(t, saved_command_line != NULL);
	KT_EXPECT_STREQ(t, saved_command_line, boot_command_line);
	/* A run the command line asked for: it names ktest. (A run from
	 * the monitor's prompt follows a boot that did not.) */
	if (ktest_requested())
		KT_EXPECT(t, strstr(saved_command_line, "ktest") != NULL);
}

/* --------------------------------------------------------------- kernel */

KTEST(kernel, helpers)
{
	int arr[7];
	u32 rem;

	KT_EXPECT_EQ(t, ARRAY_SIZE(arr), 7);
	KT_EXPECT_EQ(t, min(3, -4), -4);
	KT_EXPECT_EQ(t, max(3u, 9u), 9);
	KT_EXPECT_EQ(t, min_t(int, 5, 2u), 2);
	KT_EXPECT_EQ(t, clamp(17, 0, 10), 10);
	KT_EXPECT_EQ(t, clamp(-3, 0, 10), 0);
	KT_EXPECT_EQ(t, ALIGN(0x1001u, 0x1000), 0x2000);
	KT_EXPECT_EQ(t, ALIGN(0x1000u, 0x1000), 0x1000);
	KT_EXPECT_EQ(t, ALIGN_DOWN(0x1fffu, 0x1000), 0x1000);
	KT_EXPECT(t, IS_ALIGNED(0x3000u, 0x1000));
	KT_EXPECT_FALSE(t, IS_ALIGNED(0x3004u, 0x1000));
	KT_EXPECT_EQ(t, ALIGN(0x100000001ULL, 0x1000), 0x100001000ULL);

	KT_EXPECT_EQ(t, div_u64_rem(1000000000007ULL, 10, &rem), 100000000000ULL);
	KT_EXPECT_EQ(t, rem, 7);
	KT_EXPECT_EQ(t, div_u64_rem(~0ULL, 0x80000001u, &rem), 0x1fffffffcULL);
	KT_EXPECT_EQ(t, rem, 3);
}

KTEST(kernel, warn_on)
{
	char got[160];
	size_t before = log_buf_len_now();
	int x = 1;

	KT_EXPECT_FALSE(t, WARN_ON(x == 2));
	KT_EXPECT_EQ(t, log_buf_len_now(), before);
	KT_EXPECT(t, WARN_ON(x == 1));
	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT(t, strstr(got, "WARNING: at ") == got);
	KT_EXPECT(t, strstr(got, "test_lib.c:") != NULL);
	KT_EXPECT(t, strstr(got, "WARN_ON(x == 1)") != NULL);
}

/* ---------------------------------------------------------------- ktest */

/* Helpers that fail on purpose, checked against a private struct ktest. */
static void fails_expect(struct ktest *t)
{
	const char *none = NULL;

	KT_EXPECT_EQ(t, 1 + 1, 3);
	KT_EXPECT_STREQ(t, "abc", none);
}

static int reached_after_assert;

static void fails_assert(struct ktest *t)
{
	KT_ASSERT(t, reached_after_assert == 42);
	reached_after_assert = 1;
}

KTEST(ktest, failure_reporting)
{
	struct ktest inner = { .name = "deliberate_failure" };
	char got[400];
	size_t before;

	printk("    # (the next lines report deliberate failures of an inner test)\n");
	before = log_buf_len_now();
	fails_expect(&inner);
	KT_EXPECT(t, inner.failed);
	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT(t, strstr(got, "    # deliberate_failure: EXPECTATION FAILED at ") == got);
	KT_EXPECT(t, strstr(got, "# Expected 1 + 1 == 3, but 1 + 1 == 0x2 (2), 3 == 0x3 (3)\n") != NULL);
	KT_EXPECT(t, strstr(got, "# Expected \"abc\" == none, but \"abc\" == \"abc\", none == (null)\n") != NULL);

	inner.failed = false;
	reached_after_assert = 0;
	before = log_buf_len_now();
	fails_assert(&inner);
	KT_EXPECT(t, inner.failed);
	log_buf_copy_text(got, sizeof(got), before);
	KT_EXPECT(t, strstr(got, "    # deliberate_failure: ASSERTION FAILED at ") == got);
	KT_EXPECT(t, strstr(got, "# Expected reached_after_assert == 42 to be true, but is false\n") != NULL);
	KT_EXPECT_EQ(t, reached_after_assert, 0);
}
