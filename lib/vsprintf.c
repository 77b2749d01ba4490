/* SPDX-License-Identifier: MIT */
/*
 * vsnprintf and friends with C11 semantics (§7.21.6.1); pure C, so the host
 * tests compile this same file and compare it against the C library, and
 * the loader links it too. Bad input is defended against as Linux's
 * lib/vsprintf.c does: a %s pointer that cannot be read prints "(efault)",
 * widths and precisions are bounded, the count never wraps.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/math64.h"
#include "kernel/sprintf.h"
#ifdef __KERNEL__
#include "asm/page.h"
#include "kernel/extable.h"
#endif

/* Conversion flags. */
#define F_LEFT		0x01	/* '-': pad on the right */
#define F_PLUS		0x02	/* '+': sign every signed number */
#define F_SPACE		0x04	/* ' ': a space where a '+' would go */
#define F_SPECIAL	0x08	/* '#': 0x prefix, leading octal 0 */
#define F_ZEROPAD	0x10	/* '0': pad numbers with zeros */
#define F_UPPER		0x20	/* %X: upper-case digits and prefix */
#define F_POINTER	0x40	/* %p: the 0x prefix even for zero */

struct spec {
	unsigned int flags;
	int width;		/* -1 when not given */
	int precision;		/* -1 when not given */
};

/*
 * The output cursor: pos counts every character the whole output needs, up
 * to INT_MAX (where it stays); only those below cap (size - 1) are stored,
 * leaving room for the NUL.
 */
struct out {
	char *buf;
	size_t cap;
	size_t pos;
};

static void put(struct out *o, char c)
{
	if (o->pos < o->cap)
		o->buf[o->pos] = c;
	if (o->pos < INT_MAX)
		o->pos++;
}

/* n copies of c: those that fit are stored, the rest only counted. */
static void put_n(struct out *o, char c, size_t n)
{
	while (n && o->pos < o->cap) {
		o->buf[o->pos++] = c;
		n--;
	}
	o->pos = n > INT_MAX - o->pos ? INT_MAX : o->pos + n;
}

/* s, len bytes: as put_n. */
static void put_mem(struct out *o, const char *s, size_t len)
{
	while (len && o->pos < o->cap) {
		o->buf[o->pos++] = *s++;
		len--;
	}
	o->pos = len > INT_MAX - o->pos ? INT_MAX : o->pos + len;
}

/* Emits s (len bytes) padded with spaces to the field width. */
static void put_str(struct out *o, const char *s, size_t len,
		    const struct spec *sp)
{
	size_t pad = sp->width > 0 && (size_t)sp->width > len ? sp->width - len : 0;

	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	put_mem(o, s, len);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/*
 * Whether a %s string may be read. The first and the last page of the
 * address space never hold one (NULL plus a small offset, or an error
 * code cast to a pointer, as Linux's check_pointer says). Beyond that:
 *
 *  - the kernel reads only its own half, from PAGE_OFFSET up, and probes
 *    the first byte of every page a string touches through the exception
 *    table (probe_read_u8), so an unmapped page, a vmalloc guard page
 *    among them, gives "(efault)" and not an oops;
 *  - the loader has no exception table and runs on the firmware's
 *    identity map, where any other address may be memory: it trusts the
 *    pointer, which only ever comes from the loader itself;
 *  - the host tests may install a model of the readable pages
 *    (vsprintf_page_readable in include/kernel/sprintf.h), and otherwise
 *    trust the pointer as the loader does.
 */
#define BAD_PTR_PAGE	4096u

#if defined(__KERNEL__)
static bool page_readable(uintptr_t addr)
{
	uint8_t byte;

	return addr >= PAGE_OFFSET && probe_read_u8(&byte, (const uint8_t *)addr) == 0;
}
#elif defined(HOST_TEST)
bool (*vsprintf_page_readable)(uintptr_t addr);

static bool page_readable(uintptr_t addr)
{
	return !vsprintf_page_readable || vsprintf_page_readable(addr);
}
#else
static bool page_readable(uintptr_t addr)
{
	return true;
}
#endif

/*
 * The length of the string at s up to max bytes, each page checked with
 * page_readable before the first byte read from it; NULL for "(null)" or
 * "(efault)" in *bad. A string that runs into a page that cannot be read,
 * or off the top of the address space, is "(efault)" as a whole.
 */
static bool string_length(const char *s, size_t max, size_t *len, const char **bad)
{
	uintptr_t start = (uintptr_t)s;
	size_t n;

	if (!s) {
		*bad = "(null)";
		return false;
	}
	*bad = "(efault)";
	if (start < BAD_PTR_PAGE || start > UINTPTR_MAX - BAD_PTR_PAGE)
		return false;
	for (n = 0; n < max; n++) {
		uintptr_t addr = start + n;

		if (addr < start)
			return false;			/* wrapped past the top */
		if ((n == 0 || addr % BAD_PTR_PAGE == 0) && !page_readable(addr))
			return false;
		if (!s[n])
			break;
	}
	*len = n;
	return true;
}

/*
 * Emits one integer: [spaces] [sign or 0x] [zeros] digits [spaces].
 * 'negative' says num is the magnitude of a negative value.
 */
static void put_number(struct out *o, uint64_t num, bool negative,
		       bool is_signed, unsigned int base,
		       const struct spec *sp)
{
	const char *digits = (sp->flags & F_UPPER) ? "0123456789ABCDEF"
						   : "0123456789abcdef";
	char tmp[24];			/* 22 octal digits fill a u64 */
	char prefix[2];
	int ndigits = 0, nprefix = 0, zeros, pad;
	int precision = sp->precision;
	bool nonzero = num != 0;

	/* An explicit zero precision prints no digits for a zero value. */
	if (!(num == 0 && precision == 0)) {
		do {
			uint32_t rem;

			num = div_u64_rem(num, base, &rem);
			tmp[ndigits++] = digits[rem];
		} while (num);
	}

	if (is_signed) {
		if (negative)
			prefix[nprefix++] = '-';
		else if (sp->flags & F_PLUS)
			prefix[nprefix++] = '+';
		else if (sp->flags & F_SPACE)
			prefix[nprefix++] = ' ';
	}
	if (sp->flags & F_SPECIAL) {
		if (base == 16 && (nonzero || (sp->flags & F_POINTER))) {
			prefix[nprefix++] = '0';
			prefix[nprefix++] = (sp->flags & F_UPPER) ? 'X' : 'x';
		} else if (base == 8 && (ndigits == 0 || tmp[ndigits - 1] != '0')) {
			/* '#' makes the first octal digit a zero. */
			if (precision <= ndigits)
				precision = ndigits + 1;
		}
	}

	/* width and precision are at most PRINTF_FIELD_MAX: no int overflows. */
	zeros = precision > ndigits ? precision - ndigits : 0;
	pad = sp->width - (nprefix + zeros + ndigits);
	if (pad < 0)
		pad = 0;
	/* '0' pads with zeros unless '-' or a precision was given. */
	if ((sp->flags & F_ZEROPAD) && !(sp->flags & F_LEFT) &&
	    sp->precision < 0) {
		zeros += pad;
		pad = 0;
	}

	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	put_mem(o, prefix, nprefix);
	put_n(o, '0', zeros);
	while (ndigits)
		put(o, tmp[--ndigits]);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/* A width or precision, from the format or from '*', bounded. */
static int clamp_field(long long n)
{
	return n > PRINTF_FIELD_MAX ? PRINTF_FIELD_MAX : (int)n;
}

/* Reads a decimal field (width or precision), saturating at PRINTF_FIELD_MAX. */
static int read_decimal(const char **fmtp)
{
	const char *fmt = *fmtp;
	int n = 0;

	while (*fmt >= '0' && *fmt <= '9') {
		n = clamp_field(n * 10LL + (*fmt - '0'));
		fmt++;
	}
	*fmtp = fmt;
	return n;
}

/* The length modifiers: hh h (none) l ll j z t. */
enum length { LEN_HH, LEN_H, LEN_NONE, LEN_L, LEN_LL, LEN_J, LEN_Z, LEN_T };

static enum length read_length(const char **fmtp)
{
	const char *fmt = *fmtp;
	enum length len = LEN_NONE;

	switch (*fmt) {
	case 'h':
		len = LEN_H;
		if (*++fmt == 'h') {
			len = LEN_HH;
			fmt++;
		}
		break;
	case 'l':
		len = LEN_L;
		if (*++fmt == 'l') {
			len = LEN_LL;
			fmt++;
		}
		break;
	case 'j':
		len = LEN_J;
		fmt++;
		break;
	case 'z':
		len = LEN_Z;
		fmt++;
		break;
	case 't':
		len = LEN_T;
		fmt++;
		break;
	}
	*fmtp = fmt;
	return len;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct out o = { .buf = buf, .cap = size ? size - 1 : 0, .pos = 0 };

	/* A size past INT_MAX is a negative length gone unsigned: no buffer
	 * is that large, so nothing is written (Linux does the same). */
	if (size > INT_MAX)
		return 0;
	if (!fmt)
		fmt = "(null)";
	/* Once the count is at INT_MAX nothing more can be stored or counted. */
	while (*fmt && o.pos < INT_MAX) {
		struct spec sp = { .flags = 0, .width = -1, .precision = -1 };
		const char *start = fmt;
		enum length len;
		unsigned int base = 10;
		bool is_signed = false;
		uint64_t num;
		bool negative = false;

		if (*fmt != '%') {
			put(&o, *fmt++);
			continue;
		}
		fmt++;

		/* Flags, in any order. */
		for (;; fmt++) {
			if (*fmt == '-')
				sp.flags |= F_LEFT;
			else if (*fmt == '+')
				sp.flags |= F_PLUS;
			else if (*fmt == ' ')
				sp.flags |= F_SPACE;
			else if (*fmt == '#')
				sp.flags |= F_SPECIAL;
			else if (*fmt == '0')
				sp.flags |= F_ZEROPAD;
			else
				break;
		}

		/* Width: digits or '*' (a negative '*' means '-' flag). */
		if (*fmt == '*') {
			long long w = va_arg(args, int);

			if (w < 0) {
				sp.flags |= F_LEFT;
				w = -w;
			}
			sp.width = clamp_field(w);
			fmt++;
		} else if (*fmt >= '1' && *fmt <= '9') {
			sp.width = read_decimal(&fmt);
		}

		/* Precision: '.' then digits or '*' (negative = not given). */
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.precision = va_arg(args, int);
				sp.precision = sp.precision < 0 ? -1 : clamp_field(sp.precision);
				fmt++;
			} else {
				sp.precision = read_decimal(&fmt);
			}
		}

		len = read_length(&fmt);

		switch (*fmt) {
		case 'c': {
			char c = (char)va_arg(args, int);

			put_str(&o, &c, 1, &sp);
			fmt++;
			continue;
		}
		case 's': {
			const char *s = va_arg(args, const char *), *bad;
			size_t max = sp.precision < 0 ? SIZE_MAX : (size_t)sp.precision;
			size_t len;

			/* A bad pointer prints its word, cut by the precision
			 * and padded to the width like a string (as Linux). */
			if (!string_length(s, max, &len, &bad)) {
				s = bad;
				for (len = 0; len < max && s[len]; len++)
					;
			}
			put_str(&o, s, len, &sp);
			fmt++;
			continue;
		}
		case 'p':
			/* "0x" and at least 8 digits, padded with spaces only. */
			sp.flags &= ~(F_PLUS | F_SPACE | F_ZEROPAD);
			sp.flags |= F_SPECIAL | F_POINTER;
			sp.precision = 8;
			put_number(&o, (uintptr_t)va_arg(args, void *), false,
				   false, 16, &sp);
			fmt++;
			continue;
		case '%':
			put(&o, '%');
			fmt++;
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'o':
			base = 8;
			break;
		case 'X':
			sp.flags |= F_UPPER;
			/* fall through */
		case 'x':
			base = 16;
			break;
		default:
			/* Unknown or cut short: print the directive as written. */
			while (start < fmt)
				put(&o, *start++);
			if (*fmt)
				put(&o, *fmt++);
			continue;
		}
		fmt++;

		if (is_signed) {
			int64_t v;

			switch (len) {
			case LEN_HH:	v = (signed char)va_arg(args, int); break;
			case LEN_H:	v = (short)va_arg(args, int); break;
			case LEN_L:	v = va_arg(args, long); break;
			case LEN_LL:	v = va_arg(args, long long); break;
			case LEN_J:	v = va_arg(args, intmax_t); break;
			case LEN_Z:	v = va_arg(args, ptrdiff_t); break;
			case LEN_T:	v = va_arg(args, ptrdiff_t); break;
			default:	v = va_arg(args, int); break;
			}
			negative = v < 0;
			/* Negate in unsigned arithmetic so INT64_MIN stays defined. */
			num = negative ? 0 - (uint64_t)v : (uint64_t)v;
		} else {
			switch (len) {
			case LEN_HH:	num = (unsigned char)va_arg(args, unsigned int); break;
			case LEN_H:	num = (unsigned short)va_arg(args, unsigned int); break;
			case LEN_L:	num = va_arg(args, unsigned long); break;
			case LEN_LL:	num = va_arg(args, unsigned long long); break;
			case LEN_J:	num = va_arg(args, uintmax_t); break;
			case LEN_Z:	num = va_arg(args, size_t); break;
			case LEN_T:	num = (uint64_t)va_arg(args, ptrdiff_t); break;
			default:	num = va_arg(args, unsigned int); break;
			}
		}
		put_number(&o, num, negative, is_signed, base, &sp);
	}

	if (size)
		buf[o.pos < o.cap ? o.pos : o.cap] = '\0';
	return (int)o.pos;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vsnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}

int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int n = vsnprintf(buf, size, fmt, args);

	if (size == 0)
		return 0;
	return (size_t)n < size ? n : (int)(size - 1);
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int n;

	va_start(args, fmt);
	n = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return n;
}
