/* SPDX-License-Identifier: MIT */
/*
 * A libFuzzer harness for lib/vsprintf.c (C11 §7.21.6.1 plus the defences
 * of include/kernel/sprintf.h): the format string, the arguments and the
 * output buffer's size all come from the input. Findings are crashes and
 * sanitizer reports (a byte written past the buffer, which is malloc'd to
 * exactly its size; a read of memory the model says cannot be read, which
 * is mapped with no access so that the read crashes), plus the contract:
 * the count is between 0 and what the bounded fields allow, the output is
 * NUL-terminated where it ends, and the same call into a buffer large
 * enough, or into none, gives the same count and the same bytes.
 *
 * The input:
 *	2 bytes		the buffer's size (little-endian, modulo 600; 0: no buffer)
 *	NARGS x 9 bytes	the arguments: a kind byte and an 8-byte value
 *	the rest	the format, up to its first NUL; after it, the contents
 *			of the readable page strings may point into
 *
 * An argument's kind picks what the value means: a number; an offset into
 * the readable page (its bytes are the input's, then no NUL up to its end,
 * where the no-access page follows: a string may run into it); an index
 * into a table of bad pointers (NULL, page 0, the last page, error codes,
 * the no-access pages, user space); an index into a page of good strings.
 * Every argument is passed as 64 bits, which the x86-64 calling convention
 * lets va_arg read as int, long or a pointer alike; a format that could
 * take more than NARGS arguments (more '%' and '*' than that) is skipped.
 *
 *	./build.sh fuzz vsnprintf		run open-ended
 *	tests/fuzz/run_short.sh fuzz_vsnprintf	20 s with a fixed seed (./build.sh test)
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include "kernel/sprintf.h"

#define NARGS		24
#define HEADER		(2 + NARGS * 9)
#define PAGE		4096
#define SIZE_MOD	600

/* Four pages: fuzzed strings, no access, good strings, no access. */
static char *pages;

static bool model_readable(uintptr_t addr)
{
	uintptr_t base = (uintptr_t)pages;

	return (addr >= base && addr < base + PAGE) ||
	       (addr >= base + 2 * PAGE && addr < base + 3 * PAGE);
}

static const char *const good[] = {
	"", "a", "hello", "(null)", "%s%n%d", "0123456789abcdef",
	"a string with spaces and a tab\t", "\xff\xfe high bytes",
};

static void setup(void)
{
	char *p;

	if (sysconf(_SC_PAGESIZE) != PAGE)
		abort();		/* the model's pages are lib/vsprintf.c's */
	pages = mmap(NULL, 4 * PAGE, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (pages == MAP_FAILED ||
	    mprotect(pages + PAGE, PAGE, PROT_NONE) ||
	    mprotect(pages + 3 * PAGE, PAGE, PROT_NONE))
		abort();
	p = pages + 2 * PAGE;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		strcpy(p, good[i]);
		p += strlen(good[i]) + 1;
	}
	vsprintf_page_readable = model_readable;
}

/* The value of argument slot i of the input. */
static uint64_t argument(const uint8_t *slot)
{
	const char *good_page = pages + 2 * PAGE;
	uint64_t v;
	uintptr_t bad[] = {
		0, 1, 0xfff, PAGE, UINTPTR_MAX, UINTPTR_MAX - PAGE + 1, (uintptr_t)-22,
		(uintptr_t)(pages + PAGE), (uintptr_t)(pages + PAGE + 100),
		(uintptr_t)(pages + 3 * PAGE), (uintptr_t)(pages + 4 * PAGE - 1),
		0x08048000, 0xc0000000, (uintptr_t)(pages + PAGE - 1),
	};

	memcpy(&v, slot + 1, sizeof(v));
	switch (slot[0] % 4) {
	case 0:
		return v;
	case 1:
		return (uintptr_t)(pages + v % PAGE);
	case 2:
		return bad[v % (sizeof(bad) / sizeof(bad[0]))];
	default:
		v %= sizeof(good) / sizeof(good[0]);
		while (v--)
			good_page += strlen(good_page) + 1;
		return (uintptr_t)good_page;
	}
}

#define A(i)	a[i]
#define ARGS	A(0), A(1), A(2), A(3), A(4), A(5), A(6), A(7), A(8), A(9), \
		A(10), A(11), A(12), A(13), A(14), A(15), A(16), A(17), A(18), \
		A(19), A(20), A(21), A(22), A(23)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t head[HEADER] = { 0 };
	uint64_t a[NARGS];
	const uint8_t *rest = data + (size < HEADER ? size : HEADER);
	size_t rest_len = size - (size_t)(rest - data), fmt_len, bufsize;
	size_t conversions = 0, stored;
	char *fmt, *buf, *big;
	const char *nul;
	int n, n_big, n_none;

	if (!pages)
		setup();
	memcpy(head, data, size < HEADER ? size : HEADER);
	bufsize = (head[0] | head[1] << 8) % SIZE_MOD;
	for (size_t i = 0; i < NARGS; i++)
		a[i] = argument(head + 2 + 9 * i);

	nul = memchr(rest, '\0', rest_len);
	fmt_len = nul ? (size_t)(nul - (const char *)rest) : rest_len;
	for (size_t i = 0; i < fmt_len; i++)
		conversions += rest[i] == '%' || rest[i] == '*';
	if (conversions > NARGS)
		return 0;
	fmt = malloc(fmt_len + 1);
	if (!fmt)
		return 0;
	memcpy(fmt, rest, fmt_len);
	fmt[fmt_len] = '\0';
	/* The readable page: the input's bytes after the format, then 'p'
	 * to its end, with no NUL, so a string may run into the guard. */
	memset(pages, 'p', PAGE);
	if (nul)
		memcpy(pages, nul + 1, rest_len - fmt_len - 1 < PAGE ?
		       rest_len - fmt_len - 1 : PAGE);

	buf = bufsize ? malloc(bufsize) : NULL;
	if (bufsize && !buf)
		abort();
	n = snprintf(buf, bufsize, fmt, ARGS);
	/* Every conversion adds at most a bounded field, a string from a
	 * page, or a number's digits, sign and prefix. */
	if (n < 0 || (size_t)n > fmt_len + conversions * (PRINTF_FIELD_MAX + PAGE + 32))
		abort();
	stored = bufsize ? ((size_t)n < bufsize - 1 ? (size_t)n : bufsize - 1) : 0;
	if (bufsize && buf[stored] != '\0')
		abort();

	n_none = snprintf(NULL, 0, fmt, ARGS);
	big = malloc((size_t)n + 1);
	if (!big)
		abort();
	n_big = snprintf(big, (size_t)n + 1, fmt, ARGS);
	if (n_none != n || n_big != n || big[n] != '\0' ||
	    (stored && memcmp(buf, big, stored) != 0))
		abort();
	/* scnprintf stores the same bytes and says how many. */
	if (bufsize && scnprintf(buf, bufsize, fmt, ARGS) != (int)stored)
		abort();

	free(big);
	free(buf);
	free(fmt);
	return 0;
}
