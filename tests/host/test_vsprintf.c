/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/vsprintf.c: a table of formats and a generated sweep of
 * flag/width/precision/conversion combinations checked against the host C
 * library, plus the kernel-only behaviour (%p, "(null)", truncation) and
 * the defences against bad input: "(efault)" for %s pointers that cannot
 * be read (against a model of readable pages over real mappings, so a
 * read of a page the model refuses would crash the test), bounded widths
 * and precisions, counts that never wrap, absurd sizes and formats.
 */
#include "hosttest.h"
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/mman.h>
#include <unistd.h>

/*
 * The C library's vsnprintf, captured before kernel/printk.h renames the
 * kernel's functions to k* (and the plain names to them) for host builds.
 */
static int host_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	return vsnprintf(buf, size, fmt, ap);
}

#include "kernel/printk.h"

static int mismatches;

/*
 * Formats the arguments with both implementations, once into a roomy
 * buffer and once into a 6-byte one, and checks that text and return
 * value agree. A mismatch names the format and both results.
 */
static void vcompare(int line, const char *fmt, va_list ap)
{
	char want[256], got[256], want_small[6], got_small[6];
	va_list a1, a2, a3, a4;
	int rw, rg, rws, rgs;

	va_copy(a1, ap);
	va_copy(a2, ap);
	va_copy(a3, ap);
	va_copy(a4, ap);
	rw = host_vsnprintf(want, sizeof(want), fmt, a1);
	rg = vsnprintf(got, sizeof(got), fmt, a2);
	rws = host_vsnprintf(want_small, sizeof(want_small), fmt, a3);
	rgs = vsnprintf(got_small, sizeof(got_small), fmt, a4);
	va_end(a1);
	va_end(a2);
	va_end(a3);
	va_end(a4);

	if (rw != rg || strcmp(want, got) != 0 || rws != rgs ||
	    strcmp(want_small, got_small) != 0) {
		printf("    line %d: format \"%s\": libc \"%s\" (%d), ours \"%s\" (%d);"
		       " small: libc \"%s\" (%d), ours \"%s\" (%d)\n",
		       line, fmt, want, rw, got, rg, want_small, rws,
		       got_small, rgs);
		ht_failures_in_test++;
		mismatches++;
	}
}

static void __attribute__((format(printf, 2, 3)))
compare(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(line, fmt, ap);
	va_end(ap);
}

/* For formats built at run time (no compile-time format check). */
static void compare_dyn(int line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vcompare(line, fmt, ap);
	va_end(ap);
}

#define CMP(...) compare(__LINE__, __VA_ARGS__)
/* Unchecked: combinations the compiler rightly flags but C defines. */
#define CMP_RAW(...) compare_dyn(__LINE__, __VA_ARGS__)

static void test_table_integers(void)
{
	CMP("%d", 0);
	CMP("%d", 1);
	CMP("%d", -1);
	CMP("%d", INT_MAX);
	CMP("%d", INT_MIN);
	CMP("%i", -12345);
	CMP("%5d|", 42);
	CMP("%-5d|", 42);
	CMP("%05d", 42);
	CMP("%05d", -42);
	CMP("%+d %+d %+d", 5, -5, 0);
	CMP("% d % d", 5, -5);
	CMP_RAW("% +d", 5);			/* '+' wins over ' ' */
	CMP_RAW("%-05d|", 7);		/* '-' wins over '0' */
	CMP("%+05d", 3);
	CMP("%.3d", 7);
	CMP("%.3d", -7);
	CMP("%8.3d|", -7);
	CMP("%-8.3d|", 7);
	CMP("%08.3d|", 7);		/* a precision turns '0' off */
	CMP("[%.0d]", 0);
	CMP("[%5.0d]", 0);
	CMP("[%.0d]", 3);
	CMP("%u", 0u);
	CMP("%u", UINT_MAX);
	CMP("%x %X", 0xdeadbeefu, 0xdeadbeefu);
	CMP("%#x %#X", 255u, 255u);
	CMP("%#x", 0u);
	CMP("%#08x", 255u);
	CMP("%#.4x", 10u);
	CMP("%#10.4x|", 10u);
	CMP("%#-10x|", 10u);
	CMP("[%#.0x]", 0u);
	CMP("%o %o", 0u, 8u);
	CMP("%#o %#o", 0u, 8u);
	CMP("[%#.0o]", 0u);
	CMP("%#5o|", 8u);
	CMP("%#.3o", 8u);
	CMP("%#.2o", 8u);
	CMP("%o", UINT_MAX);
	CMP_RAW("%hhd %hhd", 300, -129);
	CMP_RAW("%hhu %hhx", -1, 0x1ff);
	CMP_RAW("%hd %hu", 70000, 70000);
	CMP_RAW("%hd", -32768);
	CMP("%ld %lu %lx", LONG_MIN, ULONG_MAX, (unsigned long)LONG_MAX);
	CMP("%lld", LLONG_MIN);
	CMP("%lld", LLONG_MAX);
	CMP("%llu", ULLONG_MAX);
	CMP("%llx %llX", 0x123456789abcdefULL, 0xfedcba9876543210ULL);
	CMP("%llo", ULLONG_MAX);
	CMP("%#llo", 1ULL << 63);
	CMP("%zu %zd %zx", SIZE_MAX, (ssize_t)-3, (size_t)4096);
	CMP("%td %tx", (ptrdiff_t)-99, (ptrdiff_t)99);
	CMP("%jd %ju", INTMAX_MIN, UINTMAX_MAX);
	CMP("%020lld|", -1234567890123LL);
	CMP("%-20llu|", 10000000000000000000ULL);
}

static void test_table_strings(void)
{
	CMP("%c%c%c", 'a', 'b', 'c');
	CMP("%3c|%-3c|", 'x', 'y');
	CMP("%c", 0x141);		/* converted to unsigned char */
	CMP("%s", "hello");
	CMP("%s", "");
	CMP("%10s|", "hello");
	CMP("%-10s|", "hello");
	CMP("%.2s", "hello");
	CMP("%10.2s|", "hello");
	CMP("%-10.2s|", "hello");
	CMP("[%.0s]", "hello");
	CMP("%.10s", "hi");
	CMP("%%");
	CMP("100%% sure");
	CMP("a%sb%dc%xd%ce", "S", -1, 0xabu, 'Z');
	CMP("plain text with no directives");
	CMP("");
}

static void test_table_star(void)
{
	CMP("%*d|", 5, 42);
	CMP("%*d|", -5, 42);		/* negative width: left-justify */
	CMP("%-*d|", 5, 42);
	CMP("%.*d", 4, 42);
	CMP("%.*d", -1, 42);		/* negative precision: as if omitted */
	CMP("%*.*d|", 8, 4, -42);
	CMP("%.*s", 3, "abcdef");
	CMP("%*s|", 6, "ab");
	CMP("%0*d", 6, -42);
	CMP("%.*s|%*c|", 2, "xyz", 3, 'q');
}

/*
 * Every combination of the flags, some widths and precisions, each integer
 * conversion and a few values, skipping the combinations C leaves
 * undefined ('#' on d/i/u, '+' and ' ' on unsigned conversions).
 */
static void test_sweep_integers(void)
{
	static const char flag_chars[] = "-+ #0";
	static const char *const widths[] = { "", "1", "6", "13" };
	static const char *const precisions[] = { "", ".0", ".1", ".4", ".11" };
	static const char convs[] = "diuxXo";
	static const long long values[] = {
		0, 1, -1, 7, -7, 8, 255, 4096, -65536, INT_MAX, INT_MIN,
		LLONG_MAX, LLONG_MIN,
	};
	static const char *const lengths[] = { "", "ll", "hh", "h", "l", "z" };
	char fmt[32];
	int count = 0;

	for (unsigned flags = 0; flags < 32; flags++)
	for (size_t w = 0; w < sizeof(widths) / sizeof(widths[0]); w++)
	for (size_t p = 0; p < sizeof(precisions) / sizeof(precisions[0]); p++)
	for (size_t c = 0; c < sizeof(convs) - 1; c++)
	for (size_t l = 0; l < sizeof(lengths) / sizeof(lengths[0]); l++) {
		char conv = convs[c];
		bool is_signed = conv == 'd' || conv == 'i';
		int n = 0;

		if (is_signed && (flags & (1u << 3)))
			continue;
		if ((conv == 'u' || conv == 'x' || conv == 'X' || conv == 'o') &&
		    (flags & (1u << 1 | 1u << 2)))
			continue;
		fmt[n++] = '[';
		fmt[n++] = '%';
		for (int f = 0; f < 5; f++)
			if (flags & (1u << f))
				fmt[n++] = flag_chars[f];
		n += sprintf(fmt + n, "%s%s%s%c]", widths[w], precisions[p],
			     lengths[l], conv);

		for (size_t v = 0; v < sizeof(values) / sizeof(values[0]); v++) {
			long long x = values[v];

			/* Pass the argument in the type the length names. */
			if (lengths[l][0] == 'l' && lengths[l][1] == 'l')
				compare_dyn(__LINE__, fmt, x);
			else if (lengths[l][0] == 'l')
				compare_dyn(__LINE__, fmt, (long)x);
			else if (lengths[l][0] == 'z')
				compare_dyn(__LINE__, fmt, (size_t)x);
			else
				compare_dyn(__LINE__, fmt, (int)x);
			count++;
		}
	}
	CHECK(count > 10000);
	CHECK_EQ(mismatches, 0);
}

static void test_sweep_strings(void)
{
	static const char *const specs[] = {
		"%s", "%1s", "%8s", "%-8s", "%.0s", "%.3s", "%8.3s", "%-8.3s",
		"%.20s", "%-1s",
	};
	static const char *const strs[] = { "", "a", "abc", "abcdefghij" };

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		for (size_t j = 0; j < sizeof(strs) / sizeof(strs[0]); j++)
			compare_dyn(__LINE__, specs[i], strs[j]);
		compare_dyn(__LINE__, specs[i][1] == '-' ? "%-5c|" : "%5c|", 'x');
	}
}

/* %p is the kernel's own format: "0x" and at least 8 hex digits. */
static void test_pointer(void)
{
	char buf[64];

	CHECK_EQ(snprintf(buf, sizeof(buf), "%p", (void *)0x1234), 10);
	CHECK_STR(buf, "0x00001234");
	snprintf(buf, sizeof(buf), "%p", (void *)0);
	CHECK_STR(buf, "0x00000000");
	snprintf(buf, sizeof(buf), "%p", (void *)0xc0100000u);
	CHECK_STR(buf, "0xc0100000");
	snprintf(buf, sizeof(buf), "[%14p]", (void *)0xabcu);
	CHECK_STR(buf, "[    0x00000abc]");
	snprintf(buf, sizeof(buf), "[%-14p]", (void *)0xabcu);
	CHECK_STR(buf, "[0x00000abc    ]");
	snprintf(buf, sizeof(buf), "[%4p]", (void *)0x1u);
	CHECK_STR(buf, "[0x00000001]");
}

static void test_null_string(void)
{
	char buf[32];

	CHECK_EQ(snprintf(buf, sizeof(buf), "%s", (const char *)NULL), 6);
	CHECK_STR(buf, "(null)");
	snprintf(buf, sizeof(buf), "[%8s]", (const char *)NULL);
	CHECK_STR(buf, "[  (null)]");
}

static void test_truncation(void)
{
	char buf[16];

	/* size 0: nothing is written, not even through a NULL buffer. */
	CHECK_EQ(snprintf(NULL, 0, "hello %d", 12345), 11);
	memset(buf, 'X', sizeof(buf));
	CHECK_EQ(snprintf(buf, 0, "abc"), 3);
	CHECK_EQ(buf[0], 'X');

	/* size 1: only the NUL. */
	CHECK_EQ(snprintf(buf, 1, "abc"), 3);
	CHECK_EQ(buf[0], '\0');
	CHECK_EQ(buf[1], 'X');

	/* The cut falls inside a number and inside padding. */
	memset(buf, 'X', sizeof(buf));
	CHECK_EQ(snprintf(buf, 4, "%d", 123456), 6);
	CHECK_STR(buf, "123");
	CHECK_EQ(buf[4], 'X');
	CHECK_EQ(snprintf(buf, 5, "%10s", "ab"), 10);
	CHECK_STR(buf, "    ");

	/* Exactly fitting, and one short. */
	CHECK_EQ(snprintf(buf, 6, "hello"), 5);
	CHECK_STR(buf, "hello");
	CHECK_EQ(snprintf(buf, 5, "hello"), 5);
	CHECK_STR(buf, "hell");
}

static void test_scnprintf(void)
{
	char buf[8];

	CHECK_EQ(scnprintf(buf, sizeof(buf), "abc"), 3);
	CHECK_EQ(scnprintf(buf, sizeof(buf), "abcdefghijk"), 7);
	CHECK_STR(buf, "abcdefg");
	CHECK_EQ(scnprintf(buf, 1, "abc"), 0);
	CHECK_STR(buf, "");
	CHECK_EQ(scnprintf(buf, 0, "abc"), 0);

	/* The usual pattern: appending until the buffer is full. */
	{
		char line[10];
		int n = 0;

		for (int i = 0; i < 10; i++)
			n += scnprintf(line + n, sizeof(line) - n, "%d,", i);
		CHECK_EQ(n, 9);
		CHECK_STR(line, "0,1,2,3,4");
	}
}

/* Directives the standard does not define are printed as written. */
static void test_unknown_directive(void)
{
	char buf[32];
	const char *f1 = "a%yb", *f2 = "end%", *f3 = "%-5qz";

	CHECK_EQ(snprintf(buf, sizeof(buf), f1, 0), 4);
	CHECK_STR(buf, "a%yb");
	CHECK_EQ(snprintf(buf, sizeof(buf), f2, 0), 4);
	CHECK_STR(buf, "end%");
	snprintf(buf, sizeof(buf), f3, 0);
	CHECK_STR(buf, "%-5qz");
}

/* ------------------------------------------------------------ bad input */

/* Two pages: the first readable, the second mapped with no access, as a
 * vmalloc area and its guard page are. The model says only the first
 * can be read. */
static char *region;
static long page_size;

static bool model_readable(uintptr_t addr)
{
	return addr >= (uintptr_t)region && addr < (uintptr_t)region + page_size;
}

static bool map_region(void)
{
	page_size = sysconf(_SC_PAGESIZE);
	if (page_size != 4096)
		return false;		/* the model's pages are lib/vsprintf.c's */
	region = mmap(NULL, 2 * page_size, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (region == MAP_FAILED)
		return false;
	if (mprotect(region + page_size, page_size, PROT_NONE))
		return false;
	memset(region, 'a', page_size);	/* no NUL anywhere */
	return true;
}

/* The first and the last page of the address space are never a string,
 * whatever the model (here none: every other page counts as readable). */
static void test_first_and_last_page_are_efault(void)
{
	static const uintptr_t bad[] = {
		1, 0x10, 4095, UINTPTR_MAX, UINTPTR_MAX - 4095, (uintptr_t)-22,
	};
	char buf[64];

	vsprintf_page_readable = NULL;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		memset(buf, 'X', sizeof(buf));
		CHECK_EQ(snprintf(buf, sizeof(buf), "[%s]", (const char *)bad[i]), 10);
		CHECK_STR(buf, "[(efault)]");
	}
	/* NULL stays "(null)", and both words are strings to the flags. */
	snprintf(buf, sizeof(buf), "%s|%.3s|%10s|%-9s|%.0s|", (const char *)NULL,
		 (const char *)NULL, (const char *)1, (const char *)2, (const char *)3);
	CHECK_STR(buf, "(null)|(nu|  (efault)|(efault) ||");
	CHECK_EQ(snprintf(buf, 4, "%s", (const char *)4095), 8);
	CHECK_STR(buf, "(ef");
}

/* Through the model over real pages: a page it refuses is never read. */
static void test_unreadable_pages_are_efault(void)
{
	char *end = region + page_size, buf[64];

	vsprintf_page_readable = model_readable;
	/* The guard page itself, and a string running into it. */
	CHECK_EQ(snprintf(buf, sizeof(buf), "[%s]", end), 10);
	CHECK_STR(buf, "[(efault)]");
	CHECK_EQ(snprintf(buf, sizeof(buf), "[%s]", end - 3), 10);
	CHECK_STR(buf, "[(efault)]");
	/* A precision that stops before it reads nothing there. */
	CHECK_EQ(snprintf(buf, sizeof(buf), "[%.3s]", end - 3), 5);
	CHECK_STR(buf, "[aaa]");
	CHECK_EQ(snprintf(buf, sizeof(buf), "[%.4s]", end - 3), 6);
	CHECK_STR(buf, "[(efa]");		/* the word, cut by the precision */
	/* A string ending on the page's last byte is fine. */
	end[-1] = '\0';
	CHECK_EQ(snprintf(buf, sizeof(buf), "[%s]", end - 4), 5);
	CHECK_STR(buf, "[aaa]");
	end[-1] = 'a';
	/* Memory the model does not know, and the first page. */
	CHECK_EQ(snprintf(buf, sizeof(buf), "%s", "literal"), 8);
	CHECK_STR(buf, "(efault)");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%s|%s", (const char *)NULL, region + 7), 6 + 1 + 8);
	CHECK_STR(buf, "(null)|(efault)");
	vsprintf_page_readable = NULL;
}

/* A width or precision of INT_MAX (or far more) counts as
 * PRINTF_FIELD_MAX: written out, through '*', negative through '*'. */
static void test_huge_fields_are_bounded(void)
{
	const char *digits = "[%99999999999999999999999d]";
	char buf[16];

	CHECK_EQ(snprintf(NULL, 0, "%2147483647d", 1), PRINTF_FIELD_MAX);
	CHECK_EQ(snprintf(buf, sizeof(buf), "%*d", INT_MAX, 1), PRINTF_FIELD_MAX);
	CHECK_STR(buf, "               ");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%*d|", INT_MIN, 1), PRINTF_FIELD_MAX + 1);
	CHECK_STR(buf, "1              ");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%.2147483647d", 7), PRINTF_FIELD_MAX);
	CHECK_STR(buf, "000000000000000");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%-.*x", INT_MAX, 7u), PRINTF_FIELD_MAX);
	CHECK_EQ(snprintf(buf, sizeof(buf), "%#*.*o", INT_MAX, INT_MAX, 8u), PRINTF_FIELD_MAX);
	CHECK_EQ(snprintf(buf, sizeof(buf), "%+*.*lld", INT_MAX, INT_MAX, LLONG_MIN),
		 PRINTF_FIELD_MAX + 1);
	CHECK_EQ(snprintf(buf, sizeof(buf), digits, 5), PRINTF_FIELD_MAX + 2);
	/* The precision of a string bounds what is read, never more. */
	CHECK_EQ(snprintf(buf, sizeof(buf), "%.*s", INT_MAX, "abc"), 3);
	CHECK_STR(buf, "abc");
	CHECK_EQ(snprintf(buf, sizeof(buf), "%*c", INT_MAX, 'x'), PRINTF_FIELD_MAX);
	CHECK_EQ(snprintf(buf, sizeof(buf), "%*p", INT_MAX, (void *)0), PRINTF_FIELD_MAX);
	/* Below the bound, C's rules (against the host's printf above). */
	CHECK_EQ(snprintf(NULL, 0, "%65535d", 1), 65535);
	CHECK_EQ(snprintf(NULL, 0, "%65536d", 1), PRINTF_FIELD_MAX);
}

/* Many bounded fields still add up without wrapping: 64 of them. */
static void test_counts_add_up(void)
{
	int m = INT_MAX;
	char buf[8];

	CHECK_EQ(snprintf(buf, sizeof(buf),
		 "%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d"
		 "%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d%*d",
		 m, 0, m, 1, m, 2, m, 3, m, 4, m, 5, m, 6, m, 7, m, 8, m, 9, m, 10,
		 m, 11, m, 12, m, 13, m, 14, m, 15, m, 16, m, 17, m, 18, m, 19, m, 20,
		 m, 21, m, 22, m, 23, m, 24, m, 25, m, 26, m, 27, m, 28, m, 29, m, 30,
		 m, 31), 32 * PRINTF_FIELD_MAX);
	CHECK_STR(buf, "       ");
}

/* A size no buffer has writes nothing; a NULL format prints "(null)". */
static void test_absurd_size_and_format(void)
{
	const char *no_format = NULL;
	char buf[16];

	memset(buf, 'X', sizeof(buf));
	CHECK_EQ(snprintf(buf, (size_t)INT_MAX + 1, "abc"), 0);
	CHECK_EQ(snprintf(buf, SIZE_MAX, "abc"), 0);
	CHECK_EQ(buf[0], 'X');
	CHECK_EQ(scnprintf(buf, SIZE_MAX, "abc"), 0);
	CHECK_EQ(buf[0], 'X');
	CHECK_EQ(snprintf(buf, sizeof(buf), no_format, 0), 6);
	CHECK_STR(buf, "(null)");
}

int main(void)
{
	RUN(test_table_integers);
	RUN(test_table_strings);
	RUN(test_table_star);
	RUN(test_sweep_integers);
	RUN(test_sweep_strings);
	RUN(test_pointer);
	RUN(test_null_string);
	RUN(test_truncation);
	RUN(test_scnprintf);
	RUN(test_unknown_directive);
	RUN(test_first_and_last_page_are_efault);
	if (map_region()) {
		RUN(test_unreadable_pages_are_efault);
	} else {
		printf("not ok test_unreadable_pages_are_efault (no 4 KiB pages to map)\n");
		ht_failed++;
	}
	RUN(test_huge_fields_are_bounded);
	RUN(test_counts_add_up);
	RUN(test_absurd_size_and_format);
	return HT_DONE();
}
