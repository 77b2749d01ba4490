/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing helpers with the names and semantics of Linux's
 * lib/cmdline.c, lib/kstrtox.c and lib/glob.c; pure C, host-tested.
 */
#include "kernel/cmdline.h"
#include "kernel/ctype.h"
#include "kernel/errno.h"
#include "kernel/math64.h"
#include "kernel/string.h"

#define ULLONG_MAX_ (~0ULL)

char *skip_spaces(const char *s)
{
	while (isspace(*s))
		s++;
	return (char *)s;
}

char *next_arg(char *args, char **param, char **val)
{
	bool in_quote = false, quoted = false;
	int equals = -1;
	int i;
	char *next;

	args = skip_spaces(args);
	if (*args == '"') {
		args++;
		in_quote = quoted = true;
	}

	/* Find the end: white space outside quotes, or the NUL. */
	for (i = 0; args[i]; i++) {
		if (isspace(args[i]) && !in_quote)
			break;
		if (equals < 0 && args[i] == '=')
			equals = i;
		if (args[i] == '"')
			in_quote = !in_quote;
	}

	*param = args;
	if (equals < 0) {
		*val = NULL;
	} else {
		args[equals] = '\0';
		*val = args + equals + 1;
		/* a="b c": drop the opening quote; the closing one goes below. */
		if (**val == '"') {
			(*val)++;
			quoted = true;
		}
	}
	/* The closing quote, when the parameter ends in one. */
	if (quoted && i > 0 && args[i - 1] == '"')
		args[i - 1] = '\0';

	if (args[i]) {
		args[i] = '\0';
		next = args + i + 1;
	} else {
		next = args + i;
	}
	return skip_spaces(next);
}

int split_init_args(char *args, char **argv, int max)
{
	int n = 0;

	args = skip_spaces(args);
	while (*args) {
		char *param, *val;

		args = next_arg(args, &param, &val);
		/* param=val or param="val": the '=' back (repair_env_string) */
		if (val) {
			char *p = param;

			while (*p)
				p++;
			*p = '=';
			if (val == p + 2) {	/* the opening quote goes */
				do {
					p[1] = p[2];
					p++;
				} while (*p);
			}
		}
		if (n < max)
			argv[n] = param;
		n++;
	}
	return n;
}

static unsigned int digit_value(char c)
{
	if (isdigit(c))
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 36;	/* no digit in any base we accept */
}

/* The base for base 0 or 16, and s past an "0x" prefix it implies. */
static const char *parse_base(const char *s, unsigned int *base)
{
	bool hex_prefix = s[0] == '0' && tolower(s[1]) == 'x' && isxdigit(s[2]);

	if (*base == 0) {
		if (hex_prefix)
			*base = 16;
		else if (s[0] == '0')
			*base = 8;
		else
			*base = 10;
	}
	if (*base == 16 && hex_prefix)
		s += 2;
	return s;
}

/*
 * Reads digits of base from s into *res; returns how many were read.
 * *overflow is set when the value does not fit 64 bits (*res then holds
 * ULLONG_MAX).
 */
static unsigned int parse_digits(const char *s, unsigned int base,
				 unsigned long long *res, bool *overflow)
{
	unsigned long long v = 0;
	unsigned int n = 0, d;

	*overflow = false;
	for (; (d = digit_value(s[n])) < base; n++) {
		/* v * base + d > max  <=>  v > (max - d) / base */
		if (*overflow || v > div_u64(ULLONG_MAX_ - d, base)) {
			*overflow = true;
			v = ULLONG_MAX_;
			continue;
		}
		v = v * base + d;
	}
	*res = v;
	return n;
}

unsigned long long simple_strtoull(const char *cp, char **endp,
				   unsigned int base)
{
	unsigned long long v;
	bool overflow;

	if (base > 36)
		base = 10;
	cp = parse_base(cp, &base);
	cp += parse_digits(cp, base, &v, &overflow);
	if (endp)
		*endp = (char *)cp;
	return v;
}

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *end;
	unsigned long long v = simple_strtoull(ptr, &end, 0);
	unsigned int shift = 0;

	switch (tolower(*end)) {
	case 'e': shift = 60; break;
	case 'p': shift = 50; break;
	case 't': shift = 40; break;
	case 'g': shift = 30; break;
	case 'm': shift = 20; break;
	case 'k': shift = 10; break;
	}
	if (shift) {
		end++;
		v = (v > (ULLONG_MAX_ >> shift)) ? ULLONG_MAX_ : v << shift;
	}
	if (retptr)
		*retptr = end;
	return v;
}

/* The strict core of the kstrto* family; s has no sign. */
static int parse_strict(const char *s, unsigned int base,
			unsigned long long *res)
{
	unsigned long long v;
	unsigned int n;
	bool overflow;

	if (base == 1 || base > 16)
		return -EINVAL;
	s = parse_base(s, &base);
	n = parse_digits(s, base, &v, &overflow);
	if (n == 0)
		return -EINVAL;
	s += n;
	if (*s == '\n')
		s++;
	if (*s)
		return -EINVAL;
	if (overflow)
		return -ERANGE;
	*res = v;
	return 0;
}

int kstrtoull(const char *s, unsigned int base, unsigned long long *res)
{
	if (!s)
		return -EINVAL;
	if (*s == '+')
		s++;
	return parse_strict(s, base, res);
}

int kstrtoll(const char *s, unsigned int base, long long *res)
{
	unsigned long long v;
	int ret;

	if (!s)
		return -EINVAL;
	if (*s == '-') {
		ret = parse_strict(s + 1, base, &v);
		if (ret)
			return ret;
		/* The magnitude of LLONG_MIN is one more than LLONG_MAX. */
		if (v > (ULLONG_MAX_ >> 1) + 1)
			return -ERANGE;
		*res = (long long)(0 - v);
		return 0;
	}
	ret = kstrtoull(s, base, &v);
	if (ret)
		return ret;
	if (v > (ULLONG_MAX_ >> 1))
		return -ERANGE;
	*res = (long long)v;
	return 0;
}

int kstrtoul(const char *s, unsigned int base, unsigned long *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v != (unsigned long)v)
		return -ERANGE;
	*res = (unsigned long)v;
	return 0;
}

int kstrtouint(const char *s, unsigned int base, unsigned int *res)
{
	unsigned long long v;
	int ret = kstrtoull(s, base, &v);

	if (ret)
		return ret;
	if (v != (unsigned int)v)
		return -ERANGE;
	*res = (unsigned int)v;
	return 0;
}

int kstrtoint(const char *s, unsigned int base, int *res)
{
	long long v;
	int ret = kstrtoll(s, base, &v);

	if (ret)
		return ret;
	if (v != (int)v)
		return -ERANGE;
	*res = (int)v;
	return 0;
}

/* Case-insensitive: is s exactly word, maybe followed by one '\n'? */
static bool word_is(const char *s, const char *word)
{
	while (*word && tolower(*s) == *word) {
		s++;
		word++;
	}
	if (*word)
		return false;
	if (*s == '\n')
		s++;
	return *s == '\0';
}

int kstrtobool(const char *s, bool *res)
{
	static const char *const yes[] = { "y", "yes", "1", "on", "true" };
	static const char *const no[] = { "n", "no", "0", "off", "false" };
	unsigned int i;

	if (!s)
		return -EINVAL;
	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		if (word_is(s, yes[i])) {
			*res = true;
			return 0;
		}
		if (word_is(s, no[i])) {
			*res = false;
			return 0;
		}
	}
	return -EINVAL;
}

/*
 * The classic single-backtrack matcher: remember the last '*' and the
 * place in str it was tried at; on a mismatch let that '*' swallow one
 * more character and retry. Later stars never need earlier ones to
 * backtrack, so one saved position suffices.
 */
bool glob_match(const char *pat, const char *str)
{
	const char *star_pat = NULL, *star_str = NULL;

	for (;;) {
		if (*pat == '*') {
			star_pat = ++pat;
			star_str = str;
			continue;
		}
		if (*str == '\0')
			break;
		if (*pat == '?' || *pat == *str) {
			pat++;
			str++;
			continue;
		}
		if (!star_pat)
			return false;
		pat = star_pat;
		str = ++star_str;
	}
	/* str is used up: the rest of the pattern must be stars. */
	while (*pat == '*')
		pat++;
	return *pat == '\0';
}
