/* SPDX-License-Identifier: MIT */
/*
 * The loader's pure checks (include/boot/loader_checks.h): the kernel
 * command line made from \boot\cmdline.txt whatever its encoding (UTF-8
 * and UTF-16 as Unicode 15 §3.9-3.10 define them, byte-order marks as
 * §23.8), module file names from the File Protocol (UEFI 2.x §13.5), and
 * the CPUID facts the kernel needs (Intel SDM vol. 2A, CPUID).
 */
#include "asm/processor-flags.h"
#include "boot/loader_checks.h"

#define LINE_MAX_LEN	(BOOT_CMDLINE_MAX - 1)
#define NAME_MAX_LEN	(BOOT_MODULE_NAME_MAX - 1)
#define KO_LEN		3		/* ".ko" */

/* ---------------------------------------------------------- command line */

struct cleaner {
	char *out;
	struct cmdline_report *r;
	bool in_quote;
	bool pending_blank;		/* blanks seen since the last character */
	uint32_t last_sep;		/* the line's length at its last word end */
};

/* Appends ch to the line; sep: ch is a blank between two words. Once the
 * line is full it is cut after its last whole word and only counted on. */
static void emit(struct cleaner *c, char ch, bool sep)
{
	struct cmdline_report *r = c->r;

	r->full_len++;
	if (r->cut)
		return;
	if (r->len == LINE_MAX_LEN) {
		r->cut = true;
		r->cut_at_blank = sep || c->last_sep;
		if (!sep && c->last_sep)
			r->len = c->last_sep;
		return;
	}
	if (sep)
		c->last_sep = r->len;
	c->out[r->len++] = ch;
}

static bool is_line_space(uint32_t ch)
{
	return ch == '\t' || ch == '\n' || ch == '\v' || ch == '\f' || ch == '\r';
}

/* One decoded character at byte offset off of the file. */
static void put_char(struct cleaner *c, uint32_t ch, uint32_t off)
{
	struct cmdline_report *r = c->r;

	if (ch < 0x20 || ch == 0x7f) {
		if (!is_line_space(ch) && r->controls++ == 0) {
			r->first_control = ch;
			r->first_control_off = off;
		}
		ch = ' ';
	}
	if (ch == ' ') {
		if (c->in_quote)
			emit(c, ' ', false);
		else if (r->full_len)
			c->pending_blank = true;
		return;
	}
	if (ch >= 0x80) {
		if (r->non_ascii++ == 0)
			r->first_non_ascii_off = off;
		ch = '?';
	}
	if (c->pending_blank) {
		emit(c, ' ', true);
		c->pending_blank = false;
	}
	emit(c, (char)ch, false);
	if (ch == '"')
		c->in_quote = !c->in_quote;
}

/* The number of continuation bytes a UTF-8 lead byte announces, or -1. */
static int utf8_tail(uint8_t b)
{
	if (b >= 0xc2 && b <= 0xdf)
		return 1;
	if (b >= 0xe0 && b <= 0xef)
		return 2;
	if (b >= 0xf0 && b <= 0xf4)
		return 3;
	return -1;
}

/* Bytes as ASCII, and UTF-8 sequences as one character each; a byte that
 * starts no complete sequence is a character of its own. */
static void decode_utf8(struct cleaner *c, const uint8_t *in, size_t n, size_t i)
{
	while (i < n) {
		int tail = in[i] < 0x80 ? 0 : utf8_tail(in[i]);
		size_t len = 1;

		if (tail > 0 && i + (size_t)tail < n) {
			int k = 1;

			while (k <= tail && (in[i + k] & 0xc0) == 0x80)
				k++;
			if (k > tail)
				len += (size_t)tail;
		}
		put_char(c, in[i] < 0x80 ? in[i] : 0x80, (uint32_t)i);
		i += len;
	}
}

static uint16_t unit16(const uint8_t *p, bool be)
{
	return be ? (uint16_t)(p[0] << 8 | p[1]) : (uint16_t)(p[1] << 8 | p[0]);
}

/* UTF-16 code units; a surrogate pair is one character. */
static void decode_utf16(struct cleaner *c, const uint8_t *in, size_t n, size_t i,
			 bool be)
{
	for (; i + 1 < n; i += 2) {
		uint16_t u = unit16(in + i, be);
		size_t at = i;

		if (u >= 0xd800 && u <= 0xdbff && i + 3 < n) {
			uint16_t lo = unit16(in + i + 2, be);

			if (lo >= 0xdc00 && lo <= 0xdfff)
				i += 2;
		}
		put_char(c, u, (uint32_t)at);
	}
	c->r->odd_byte = i < n;
}

/* No BOM, but every byte at an odd (be: even) offset is 0 and every other
 * one is not: UTF-16 text without its mark. */
static bool looks_utf16(const uint8_t *in, size_t n, bool be)
{
	if (n < 2 || n % 2)
		return false;
	for (size_t i = 0; i < n; i += 2)
		if (in[i + !be] != 0 || in[i + be] == 0)
			return false;
	return true;
}

void cmdline_clean(const uint8_t *in, size_t n, char *out,
		   struct cmdline_report *r)
{
	struct cleaner c = { .out = out, .r = r };

	*r = (struct cmdline_report){ .encoding = CMDLINE_ASCII };
	if (n >= 3 && in[0] == 0xef && in[1] == 0xbb && in[2] == 0xbf) {
		r->encoding = CMDLINE_UTF8_BOM;
		decode_utf8(&c, in, n, 3);
	} else if (n >= 2 && in[0] == 0xff && in[1] == 0xfe) {
		r->encoding = CMDLINE_UTF16LE_BOM;
		decode_utf16(&c, in, n, 2, false);
	} else if (n >= 2 && in[0] == 0xfe && in[1] == 0xff) {
		r->encoding = CMDLINE_UTF16BE_BOM;
		decode_utf16(&c, in, n, 2, true);
	} else if (looks_utf16(in, n, false)) {
		r->encoding = CMDLINE_UTF16LE;
		decode_utf16(&c, in, n, 0, false);
	} else if (looks_utf16(in, n, true)) {
		r->encoding = CMDLINE_UTF16BE;
		decode_utf16(&c, in, n, 0, true);
	} else {
		decode_utf8(&c, in, n, 0);
	}
	/* Blanks inside a quote that never closed. */
	while (r->len && out[r->len - 1] == ' ') {
		r->full_len -= !r->cut;
		r->len--;
	}
	out[r->len] = '\0';
}

/* ---------------------------------------------------------- module names */

static bool is_surrogate_pair(const uint16_t *s, size_t i, size_t len)
{
	return s[i] >= 0xd800 && s[i] <= 0xdbff && i + 1 < len &&
	       s[i + 1] >= 0xdc00 && s[i + 1] <= 0xdfff;
}

bool module_file_name(const uint16_t *name, size_t len, char *out,
		      unsigned int *changed)
{
	size_t stem = len - KO_LEN, chars = 0, n = 0;

	*changed = 0;
	if (len <= KO_LEN || name[stem] != '.' || (name[stem + 1] | 0x20) != 'k' ||
	    (name[stem + 2] | 0x20) != 'o')
		return false;
	for (size_t i = 0; i < stem; i += 1 + is_surrogate_pair(name, i, stem))
		chars++;
	if (chars > NAME_MAX_LEN - KO_LEN)
		*changed |= MODNAME_SHORTENED;
	for (size_t i = 0; i < stem && n < NAME_MAX_LEN - KO_LEN;
	     i += 1 + is_surrogate_pair(name, i, stem)) {
		bool ok = name[i] > 0x20 && name[i] < 0x7f;

		if (!ok)
			*changed |= MODNAME_REPLACED;
		out[n++] = ok ? (char)name[i] : '_';
	}
	for (size_t i = stem; i < len; i++)
		out[n++] = (char)name[i];
	out[n] = '\0';
	return true;
}

/* ------------------------------------------------------------------- CPU */

const char *cpu_check(bool has_cpuid, uint32_t max_leaf, uint32_t edx1)
{
	if (!has_cpuid)
		return "no CPUID instruction (EFLAGS.ID does not change)";
	if (max_leaf < 1)
		return "no CPUID leaf 1 (leaf 0 reports a maximum of 0)";
	if (!(edx1 & X86_FEATURE_PAE_EDX))
		return "no PAE (CPUID leaf 1 EDX bit 6 is clear)";
	return NULL;
}
