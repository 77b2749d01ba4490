/* SPDX-License-Identifier: MIT */
/*
 * vsnprintf and friends with C11 semantics (§7.21.6.1); pure C, so the host
 * tests compile this same file and compare it against the C library.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "kernel/math64.h"
#include "kernel/sprintf.h"

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
 * The output cursor: pos counts every character the whole output needs;
 * only those below cap (size - 1) are stored, leaving room for the NUL.
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
	o->pos++;
}

static void put_n(struct out *o, char c, int n)
{
	while (n-- > 0)
		put(o, c);
}

static size_t bounded_strlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

/* Emits s (len bytes) padded with spaces to the field width. */
static void put_str(struct out *o, const char *s, size_t len,
		    const struct spec *sp)
{
	int pad = sp->width > (int)len ? sp->width - (int)len : 0;

	if (!(sp->flags & F_LEFT))
		put_n(o, ' ', pad);
	while (len--)
		put(o, *s++);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
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
	for (int i = 0; i < nprefix; i++)
		put(o, prefix[i]);
	put_n(o, '0', zeros);
	while (ndigits)
		put(o, tmp[--ndigits]);
	if (sp->flags & F_LEFT)
		put_n(o, ' ', pad);
}

/* Reads a decimal field (width or precision), saturating at INT_MAX / 10. */
static int read_decimal(const char **fmtp)
{
	const char *fmt = *fmtp;
	int n = 0;

	while (*fmt >= '0' && *fmt <= '9') {
		if (n < 214748364)
			n = n * 10 + (*fmt - '0');
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

	while (*fmt) {
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
			sp.width = va_arg(args, int);
			if (sp.width < 0) {
				sp.flags |= F_LEFT;
				sp.width = sp.width == INT32_MIN ? INT32_MAX
								 : -sp.width;
			}
			fmt++;
		} else if (*fmt >= '1' && *fmt <= '9') {
			sp.width = read_decimal(&fmt);
		}

		/* Precision: '.' then digits or '*' (negative = not given). */
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				sp.precision = va_arg(args, int);
				if (sp.precision < 0)
					sp.precision = -1;
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
			const char *s = va_arg(args, const char *);
			size_t max = sp.precision < 0 ? (size_t)-1 : (size_t)sp.precision;

			if (!s)
				s = "(null)";
			put_str(&o, s, bounded_strlen(s, max), &sp);
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
	return o.pos > INT32_MAX ? INT32_MAX : (int)o.pos;
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
