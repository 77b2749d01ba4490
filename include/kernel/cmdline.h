/* SPDX-License-Identifier: MIT */
/*
 * Command-line parsing helpers: splitting parameters, numbers with size
 * suffixes, strict string-to-integer conversion and glob matching
 * (lib/cmdline.c, pure C, also host-tested).
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include "kernel/types.h"

/* Returns s advanced past any white space. */
char *skip_spaces(const char *s);

/*
 * next_arg - split the first parameter off args, in place.
 * Leading white space is skipped. On return *param is the name and *val
 * the text after the first '=' (NULL when there is none). Double quotes
 * group white space and are removed: a "b c" gives val "b c", and a whole
 * quoted "e=f g" gives param "e", val "f g". Returns the start of the next
 * parameter (past white space); stop when it points at the NUL.
 */
char *next_arg(char *args, char **param, char **val);

/*
 * split_init_args - the words of args (the command line after " -- ")
 * as init's arguments, in place, as Linux's set_init_arg: next_arg's
 * splitting (double quotes group words and are removed) with "a=b" kept
 * whole. At most max words go into argv; returns how many were found
 * (more than max: the rest were dropped).
 */
int split_init_args(char *args, char **argv, int max);

/*
 * memparse - a number with an optional K, M, G, T, P or E suffix (either
 * case, powers of 1024); "0x" makes it hex and a leading 0 octal. *retptr
 * (if not NULL) is set past what was used. Saturates at ULLONG_MAX.
 */
unsigned long long memparse(const char *ptr, char **retptr);

/*
 * simple_strtoull - the number at the start of cp in base (0: by prefix);
 * *endp (if not NULL) is set past the digits. Saturates at ULLONG_MAX.
 */
unsigned long long simple_strtoull(const char *cp, char **endp,
				   unsigned int base);

/*
 * kstrto* - strict conversions: the whole string must be one number (an
 * optional '+', or '-' for the signed ones, then digits, then at most one
 * '\n'). base 0 picks 16 for "0x", 8 for a leading 0, else 10; base 16
 * also accepts "0x". Return 0 and set *res, or -EINVAL for anything else
 * and -ERANGE when the value does not fit; *res is untouched on error.
 */
int kstrtoull(const char *s, unsigned int base, unsigned long long *res);
int kstrtoll(const char *s, unsigned int base, long long *res);
int kstrtoul(const char *s, unsigned int base, unsigned long *res);
int kstrtouint(const char *s, unsigned int base, unsigned int *res);
int kstrtoint(const char *s, unsigned int base, int *res);

/*
 * kstrtobool - "y", "yes", "1", "on", "true" give true; "n", "no", "0",
 * "off", "false" give false (any case, optional trailing '\n'). Stricter
 * than Linux, which looks at the first one or two characters only.
 */
int kstrtobool(const char *s, bool *res);

/*
 * glob_match - whether all of str matches pat, where '*' stands for any
 * run of characters (also none) and '?' for exactly one. Iterative:
 * time O(|pat| * |str|) at worst, no recursion.
 */
bool glob_match(const char *pat, const char *str);

#endif /* KERNEL_CMDLINE_H */
