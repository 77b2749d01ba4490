/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/cmdline.c: parameter splitting with quotes and odd
 * spacing, memparse suffixes, the strict kstrto* conversions with their
 * overflow edges, kstrtobool and glob_match.
 */
#include "hosttest.h"
#include "kernel/cmdline.h"
#include "kernel/errno.h"

/* Splits line into at most 16 name/value pairs; returns how many. */
struct arg {
	const char *param;
	const char *val;	/* NULL when there was no '=' */
};

static int split(char *line, struct arg *out, int max)
{
	int n = 0;
	char *p = skip_spaces(line);

	while (*p && n < max) {
		char *param, *val;

		p = next_arg(p, &param, &val);
		out[n].param = param;
		out[n].val = val;
		n++;
	}
	return n;
}

static void test_next_arg_basic(void)
{
	char line[] = "a b=c d=\"x y\" \"e=f g\" last";
	struct arg a[16];

	CHECK_EQ(split(line, a, 16), 5);
	CHECK_STR(a[0].param, "a");
	CHECK(a[0].val == NULL);
	CHECK_STR(a[1].param, "b");
	CHECK_STR(a[1].val, "c");
	CHECK_STR(a[2].param, "d");
	CHECK_STR(a[2].val, "x y");
	CHECK_STR(a[3].param, "e");
	CHECK_STR(a[3].val, "f g");
	CHECK_STR(a[4].param, "last");
	CHECK(a[4].val == NULL);
}

static void test_next_arg_spacing(void)
{
	char line[] = "   lead\t\ttab  \n  trail   ";
	struct arg a[16];

	CHECK_EQ(split(line, a, 16), 3);
	CHECK_STR(a[0].param, "lead");
	CHECK_STR(a[1].param, "tab");
	CHECK_STR(a[2].param, "trail");

	/* Only white space: nothing at all. */
	char blank[] = "  \t ";
	CHECK_EQ(split(blank, a, 16), 0);
	char empty[] = "";
	CHECK_EQ(split(empty, a, 16), 0);
}

static void test_next_arg_values(void)
{
	char line[] = "empty= eq=a=b quoted=\"\" q2=\"\" x=\"unterminated y";
	struct arg a[16];

	CHECK_EQ(split(line, a, 16), 5);
	CHECK_STR(a[0].param, "empty");
	CHECK_STR(a[0].val, "");		/* present but empty */
	CHECK_STR(a[1].param, "eq");
	CHECK_STR(a[1].val, "a=b");		/* split at the first '=' only */
	CHECK_STR(a[2].param, "quoted");
	CHECK_STR(a[2].val, "");
	CHECK_STR(a[3].param, "q2");
	CHECK_STR(a[3].val, "");
	/* An unterminated quote runs to the end of the line. */
	CHECK_STR(a[4].param, "x");
	CHECK_STR(a[4].val, "unterminated y");
}

static void test_next_arg_return(void)
{
	char line[] = "one two";
	char *param, *val;
	char *next = next_arg(line, &param, &val);

	CHECK_STR(param, "one");
	CHECK_STR(next, "two");
	next = next_arg(next, &param, &val);
	CHECK_STR(param, "two");
	CHECK_EQ(*next, '\0');

	/* A quoted name with no value keeps its inner space. */
	char q[] = "\"a b\" c";
	next = next_arg(q, &param, &val);
	CHECK_STR(param, "a b");
	CHECK(val == NULL);
	CHECK_STR(next, "c");
}

static void test_memparse(void)
{
	char *end;

	CHECK_EQ(memparse("0", &end), 0);
	CHECK_EQ(memparse("123", &end), 123);
	CHECK_EQ(*end, '\0');
	CHECK_EQ(memparse("4k", &end), 4096);
	CHECK_EQ(memparse("4K", &end), 4096);
	CHECK_EQ(memparse("512M", &end), 512ULL << 20);
	CHECK_EQ(memparse("512m", &end), 512ULL << 20);
	CHECK_EQ(memparse("3G", &end), 3ULL << 30);
	CHECK_EQ(memparse("2t", &end), 2ULL << 40);
	CHECK_EQ(memparse("1P", &end), 1ULL << 50);
	CHECK_EQ(memparse("1e", &end), 1ULL << 60);
	CHECK_EQ(memparse("0x1000", &end), 0x1000);
	CHECK_EQ(memparse("0x10M", &end), 16ULL << 20);
	CHECK_EQ(memparse("010", &end), 8);		/* octal, as in Linux */

	/* The end pointer stops after the suffix, or at the first non-digit. */
	CHECK_EQ(memparse("64M@16M", &end), 64ULL << 20);
	CHECK_STR(end, "@16M");
	CHECK_EQ(memparse("12x", &end), 12);
	CHECK_STR(end, "x");
	CHECK_EQ(memparse("abc", &end), 0);
	CHECK_STR(end, "abc");
	CHECK_EQ(memparse("7", NULL), 7);

	/* Overflow saturates instead of wrapping. */
	CHECK_EQ(memparse("16E", &end), ~0ULL);
	CHECK_EQ(memparse("18446744073709551616", &end), ~0ULL);
	CHECK_EQ(*end, '\0');
	CHECK_EQ(memparse("15E", &end), 15ULL << 60);
}

static void test_kstrtoull(void)
{
	unsigned long long v = 99;

	CHECK_EQ(kstrtoull("0", 10, &v), 0);
	CHECK_EQ(v, 0);
	CHECK_EQ(kstrtoull("12345", 10, &v), 0);
	CHECK_EQ(v, 12345);
	CHECK_EQ(kstrtoull("+7", 10, &v), 0);
	CHECK_EQ(v, 7);
	CHECK_EQ(kstrtoull("42\n", 10, &v), 0);	/* one trailing newline */
	CHECK_EQ(v, 42);
	CHECK_EQ(kstrtoull("18446744073709551615", 10, &v), 0);
	CHECK_EQ(v, ~0ULL);
	CHECK_EQ(kstrtoull("0xffffffffffffffff", 0, &v), 0);
	CHECK_EQ(v, ~0ULL);

	/* Base detection. */
	CHECK_EQ(kstrtoull("0x1F", 0, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("0X1f", 16, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("1f", 16, &v), 0);
	CHECK_EQ(v, 31);
	CHECK_EQ(kstrtoull("017", 0, &v), 0);
	CHECK_EQ(v, 15);
	CHECK_EQ(kstrtoull("017", 10, &v), 0);
	CHECK_EQ(v, 17);
	CHECK_EQ(kstrtoull("0", 0, &v), 0);
	CHECK_EQ(v, 0);

	/* Junk: v must stay as it was. */
	v = 5;
	CHECK_EQ(kstrtoull("", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("\n", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12a", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull(" 12", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12 ", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12\n\n", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("-1", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("0x", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("0x", 16, &v), -EINVAL);
	CHECK_EQ(kstrtoull("08", 0, &v), -EINVAL);
	CHECK_EQ(kstrtoull("+", 10, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12", 1, &v), -EINVAL);
	CHECK_EQ(kstrtoull("12", 17, &v), -EINVAL);
	CHECK_EQ(kstrtoull(NULL, 10, &v), -EINVAL);
	CHECK_EQ(v, 5);

	/* Overflow by one, and by a lot. */
	CHECK_EQ(kstrtoull("18446744073709551616", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoull("99999999999999999999999", 10, &v), -ERANGE);
	CHECK_EQ(kstrtoull("0x10000000000000000", 0, &v), -ERANGE);
	CHECK_EQ(v, 5);
	/* Junk after an overflowing number is junk first. */
	CHECK_EQ(kstrtoull("99999999999999999999999z", 10, &v), -EINVAL);
}

static void test_kstrto_small(void)
{
	unsigned int u = 1;
	int i = 1;
	long long ll = 1;
	unsigned long ul = 1;

	CHECK_EQ(kstrtouint("4294967295", 10, &u), 0);
	CHECK_EQ(u, 4294967295u);
	CHECK_EQ(kstrtouint("4294967296", 10, &u), -ERANGE);
	CHECK_EQ(kstrtouint("0xffffffff", 0, &u), 0);
	CHECK_EQ(kstrtouint("-1", 0, &u), -EINVAL);

	CHECK_EQ(kstrtoint("2147483647", 10, &i), 0);
	CHECK_EQ(i, 2147483647);
	CHECK_EQ(kstrtoint("-2147483648", 10, &i), 0);
	CHECK_EQ(i, -2147483647 - 1);
	CHECK_EQ(kstrtoint("2147483648", 10, &i), -ERANGE);
	CHECK_EQ(kstrtoint("-2147483649", 10, &i), -ERANGE);
	CHECK_EQ(kstrtoint("-0x10", 0, &i), 0);
	CHECK_EQ(i, -16);
	CHECK_EQ(kstrtoint("--1", 10, &i), -EINVAL);
	CHECK_EQ(kstrtoint("-+1", 10, &i), -EINVAL);
	CHECK_EQ(kstrtoint("-", 10, &i), -EINVAL);
	CHECK_EQ(kstrtoint("+12\n", 10, &i), 0);
	CHECK_EQ(i, 12);

	CHECK_EQ(kstrtoll("-9223372036854775808", 10, &ll), 0);
	CHECK_EQ(ll, (long long)(1ULL << 63));
	CHECK_EQ(kstrtoll("9223372036854775807", 10, &ll), 0);
	CHECK_EQ(ll, 9223372036854775807LL);
	CHECK_EQ(kstrtoll("9223372036854775808", 10, &ll), -ERANGE);
	CHECK_EQ(kstrtoll("-9223372036854775809", 10, &ll), -ERANGE);

	CHECK_EQ(kstrtoul("123", 10, &ul), 0);
	CHECK_EQ(ul, 123);
}

static void test_kstrtobool(void)
{
	static const char *const yes[] = {
		"y", "Y", "yes", "YES", "1", "on", "On", "true", "y\n",
	};
	static const char *const no[] = {
		"n", "N", "no", "0", "off", "OFF", "false", "0\n",
	};
	static const char *const junk[] = {
		"", "2", "o", "onn", "of", "yess", " y", "y ", "nonsense", "\n",
	};
	bool b;

	for (size_t k = 0; k < sizeof(yes) / sizeof(yes[0]); k++) {
		b = false;
		CHECK_EQ(kstrtobool(yes[k], &b), 0);
		CHECK(b == true);
	}
	for (size_t k = 0; k < sizeof(no) / sizeof(no[0]); k++) {
		b = true;
		CHECK_EQ(kstrtobool(no[k], &b), 0);
		CHECK(b == false);
	}
	for (size_t k = 0; k < sizeof(junk) / sizeof(junk[0]); k++) {
		b = true;
		CHECK_EQ(kstrtobool(junk[k], &b), -EINVAL);
		CHECK(b == true);
	}
	CHECK_EQ(kstrtobool(NULL, &b), -EINVAL);
}

static void test_glob_match(void)
{
	CHECK(glob_match("", ""));
	CHECK(!glob_match("", "a"));
	CHECK(!glob_match("a", ""));
	CHECK(glob_match("*", ""));
	CHECK(glob_match("*", "anything"));
	CHECK(glob_match("**", "x"));
	CHECK(glob_match("abc", "abc"));
	CHECK(!glob_match("abc", "abcd"));
	CHECK(!glob_match("abcd", "abc"));
	CHECK(glob_match("a?c", "abc"));
	CHECK(!glob_match("a?c", "ac"));
	CHECK(glob_match("?", "x"));
	CHECK(!glob_match("?", ""));
	CHECK(glob_match("a*", "a"));
	CHECK(glob_match("*c", "abc"));
	CHECK(!glob_match("*c", "abd"));
	CHECK(glob_match("a*c", "ac"));
	CHECK(glob_match("a*c", "abbbc"));
	CHECK(glob_match("a*b*c", "axxbyyc"));
	CHECK(!glob_match("a*b*c", "axxbyy"));
	CHECK(glob_match("*ab*ab", "abxabab"));	/* needs a backtrack */
	CHECK(glob_match("lib.*", "lib.vsnprintf_basic"));
	CHECK(glob_match("*.str*", "lib.strscpy"));
	CHECK(!glob_match("lib.*", "traps.divide_error"));
	CHECK(glob_match("*?", "a"));
	CHECK(!glob_match("*??", "a"));
	CHECK(glob_match("?*?", "ab"));

	/* The pathological case for a naive recursive matcher stays fast. */
	char str[201], pat[64];
	memset(str, 'a', 200);
	str[200] = '\0';
	strcpy(pat, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*b");
	CHECK(!glob_match(pat, str));
	strcpy(pat, "a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a*a");
	CHECK(glob_match(pat, str));
}

/* init's arguments after " -- ": words, quotes grouping, "a=b" whole
 * (Linux's set_init_arg), the count beyond max. */
static void test_split_init_args(void)
{
	char line[] = "echo  hi \"two words\" a=b c=\"d e\" \"f=g h\"";
	char empty[] = "   ";
	char many[] = "1 2 3 4 5";
	char *argv[8];

	CHECK_EQ(split_init_args(line, argv, 8), 6);
	CHECK_STR(argv[0], "echo");
	CHECK_STR(argv[1], "hi");
	CHECK_STR(argv[2], "two words");
	CHECK_STR(argv[3], "a=b");
	CHECK_STR(argv[4], "c=d e");
	CHECK_STR(argv[5], "f=g h");
	CHECK_EQ(split_init_args(empty, argv, 8), 0);
	CHECK_EQ(split_init_args(many, argv, 3), 5);
	CHECK_STR(argv[2], "3");
}

int main(void)
{
	RUN(test_split_init_args);
	RUN(test_next_arg_basic);
	RUN(test_next_arg_spacing);
	RUN(test_next_arg_values);
	RUN(test_next_arg_return);
	RUN(test_memparse);
	RUN(test_kstrtoull);
	RUN(test_kstrto_small);
	RUN(test_kstrtobool);
	RUN(test_glob_match);
	return HT_DONE();
}
