/* SPDX-License-Identifier: MIT */
/*
 * Host tests for efi/checks.c: \boot\cmdline.txt as editors write it
 * (TAB, CR LF, a lone CR, NUL and other controls, UTF-8 and UTF-16 byte-
 * order marks and text as Unicode 15 §3.9-3.10 encode it, Latin-1 bytes,
 * lines at, above and far above the 4095-byte limit) becomes one clean
 * line, with random inputs held to the same rules; \boot\modules names
 * as the File Protocol (UEFI 2.x §13.5) returns them; the CPUID check.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "boot/loader_checks.h"

#define LIMIT	(BOOT_CMDLINE_MAX - 1)

static char line[BOOT_CMDLINE_MAX + 64];
static struct cmdline_report rep;

static void clean(const void *in, size_t n)
{
	memset(line, 'Z', sizeof(line));
	memset(&rep, 0xcc, sizeof(rep));
	cmdline_clean(in, n, line, &rep);
}

static void clean_str(const char *s)
{
	clean(s, strlen(s));
}

/* ASCII s as UTF-16 (be: big-endian), with bom: the byte-order mark. */
static size_t utf16(uint8_t *dst, const char *s, bool be, bool bom)
{
	size_t n = 0;

	if (bom) {
		dst[n++] = be ? 0xfe : 0xff;
		dst[n++] = be ? 0xff : 0xfe;
	}
	for (; *s; s++) {
		dst[n++] = be ? 0 : (uint8_t)*s;
		dst[n++] = be ? (uint8_t)*s : 0;
	}
	return n;
}

/* Nothing reported but the encoding; the line is its own length. */
#define CHECK_QUIET(enc) do { \
	CHECK_EQ(rep.encoding, (enc)); \
	CHECK_EQ(rep.controls, 0); \
	CHECK_EQ(rep.non_ascii, 0); \
	CHECK(!rep.cut); \
	CHECK(!rep.odd_byte); \
	CHECK_EQ(rep.len, strlen(line)); \
	CHECK_EQ(rep.full_len, rep.len); \
} while (0)

static void test_plain_line_and_final_newline(void)
{
	clean_str("ktest hz=250\n");
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_ASCII);
	clean_str("");
	CHECK_STR(line, "");
	CHECK_QUIET(CMDLINE_ASCII);
	clean_str(" \t\r\n \n");
	CHECK_STR(line, "");
	CHECK_QUIET(CMDLINE_ASCII);
}

static void test_tab_crlf_and_lone_cr_separate_words(void)
{
	clean_str("ktest\thz=250");
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_ASCII);
	clean_str("ktest\r\nhz=250\r\n\r\nloader.debug\r\n");
	CHECK_STR(line, "ktest hz=250 loader.debug");
	CHECK_QUIET(CMDLINE_ASCII);
	clean_str("ktest\rhz=250\r");
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_ASCII);
	clean_str("  \t ktest \v\f  hz=250  \t");
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_ASCII);
}

static void test_nul_and_controls_are_blanks_and_counted(void)
{
	static const char nul[] = "ktest\0hz=250\n";

	clean(nul, sizeof(nul) - 1);
	CHECK_STR(line, "ktest hz=250");
	CHECK_EQ(rep.controls, 1);
	CHECK_EQ(rep.first_control, 0);
	CHECK_EQ(rep.first_control_off, 5);
	CHECK_EQ(rep.non_ascii, 0);

	clean_str("a\tb\x1b[0mc\x7f" "d\x01");
	CHECK_STR(line, "a b [0mc d");
	CHECK_EQ(rep.controls, 3);
	CHECK_EQ(rep.first_control, 0x1b);
	CHECK_EQ(rep.first_control_off, 3);
}

static void test_quotes_keep_their_blanks(void)
{
	clean_str("a=\"x\t\ty\"   b \"c  d\"\r\n");
	CHECK_STR(line, "a=\"x  y\" b \"c  d\"");
	CHECK_QUIET(CMDLINE_ASCII);
	/* A quote that never closes: its trailing blanks go too. */
	clean_str("a \"b  \n");
	CHECK_STR(line, "a \"b");
}

static void test_utf8_bom_dropped(void)
{
	clean_str("\xef\xbb\xbfktest hz=250\r\n");
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_UTF8_BOM);
	clean_str("\xef\xbb\xbf");
	CHECK_STR(line, "");
	CHECK_QUIET(CMDLINE_UTF8_BOM);
	/* A BOM anywhere else is a character like any other. */
	clean_str("a \xef\xbb\xbf b");
	CHECK_STR(line, "a ? b");
	CHECK_EQ(rep.non_ascii, 1);
	CHECK_EQ(rep.first_non_ascii_off, 2);
}

static void test_utf16_with_and_without_bom(void)
{
	uint8_t buf[256];
	size_t n;

	n = utf16(buf, "ktest hz=250\r\n", false, true);
	clean(buf, n);
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_UTF16LE_BOM);

	n = utf16(buf, "ktest hz=250\r\n", true, true);
	clean(buf, n);
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_UTF16BE_BOM);

	n = utf16(buf, "ktest hz=250", false, false);
	clean(buf, n);
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_UTF16LE);

	n = utf16(buf, "ktest hz=250", true, false);
	clean(buf, n);
	CHECK_STR(line, "ktest hz=250");
	CHECK_QUIET(CMDLINE_UTF16BE);

	/* Notepad's "Unicode": é (U+00E9) and an emoji (a surrogate pair,
	 * one character), and a lone surrogate. */
	n = utf16(buf, "ktest caf", false, true);
	buf[n++] = 0xe9;
	buf[n++] = 0x00;
	n += utf16(buf + n, "=1 x", false, false);
	buf[n++] = 0x3d;
	buf[n++] = 0xd8;
	buf[n++] = 0x00;
	buf[n++] = 0xde;
	n += utf16(buf + n, "y", false, false);
	buf[n++] = 0x00;
	buf[n++] = 0xdc;
	n += utf16(buf + n, "\r\n", false, false);
	clean(buf, n);
	CHECK_STR(line, "ktest caf?=1 x?y?");
	CHECK_EQ(rep.encoding, CMDLINE_UTF16LE_BOM);
	CHECK_EQ(rep.non_ascii, 3);
	CHECK_EQ(rep.first_non_ascii_off, 2 + 2 * 9);
	CHECK_EQ(rep.controls, 0);

	/* An odd length: the last byte is not half of a character. */
	n = utf16(buf, "ktest", false, true);
	buf[n++] = 'x';
	clean(buf, n);
	CHECK_STR(line, "ktest");
	CHECK(rep.odd_byte);
	CHECK_EQ(rep.non_ascii, 0);

	/* A NUL inside ASCII text does not make it UTF-16. */
	clean("k\0t\0e\0", 5);
	CHECK_EQ(rep.encoding, CMDLINE_ASCII);
	CHECK_STR(line, "k t e");
}

static void test_non_ascii_bytes_become_one_question_mark_each(void)
{
	/* Latin-1 é: no UTF-8 sequence starts there. */
	clean_str("ktest caf\xe9 hz=250");
	CHECK_STR(line, "ktest caf? hz=250");
	CHECK_EQ(rep.non_ascii, 1);
	CHECK_EQ(rep.first_non_ascii_off, 9);
	CHECK_EQ(rep.encoding, CMDLINE_ASCII);

	/* UTF-8 é, €, an emoji: one character each. */
	clean_str("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80!");
	CHECK_STR(line, "caf? ? ?!");
	CHECK_EQ(rep.non_ascii, 3);
	CHECK_EQ(rep.first_non_ascii_off, 3);

	/* Broken sequences: a stray continuation, a lead cut short by an
	 * ASCII byte, a lead at the very end, bytes UTF-8 never uses. */
	clean_str("\x80 a\xe2\x82z \xc0\xff\xe2");
	CHECK_STR(line, "? a??z ???");
	CHECK_EQ(rep.non_ascii, 6);
	CHECK_EQ(rep.first_non_ascii_off, 0);
}

/* n bytes of words "wwwwwww" separated by single spaces, then a space
 * and tail; returns n. */
static size_t words(char *buf, size_t n, const char *tail)
{
	size_t t = strlen(tail), i;

	for (i = 0; i + t + 1 < n; i++)
		buf[i] = (i % 8 == 7) ? ' ' : 'w';
	if (i && buf[i - 1] == ' ')
		buf[i - 1] = 'w';
	buf[i++] = ' ';
	memcpy(buf + i, tail, t);
	buf[n] = '\0';
	return n;
}

static void test_limit_4095_kept_4096_cut_after_a_whole_word(void)
{
	static char buf[6000];

	words(buf, LIMIT, "hz=250");
	clean_str(buf);
	CHECK_EQ(rep.len, LIMIT);
	CHECK(!rep.cut);
	CHECK_STR(line, buf);

	/* One byte more: "hz=250" would become "hz=25" if cut mid-word. */
	words(buf, LIMIT + 1, "hz=250");
	clean_str(buf);
	CHECK(rep.cut);
	CHECK(rep.cut_at_blank);
	CHECK_EQ(rep.full_len, LIMIT + 1);
	CHECK_EQ(rep.len, LIMIT + 1 - 7);
	CHECK_EQ(strlen(line), rep.len);
	CHECK(strncmp(line, buf, rep.len) == 0);
	CHECK(line[rep.len - 1] != ' ');

	/* A blank right at the limit: the line up to it stays whole. */
	memset(buf, 'a', LIMIT);
	strcpy(buf + LIMIT, " b");
	clean_str(buf);
	CHECK(rep.cut);
	CHECK(rep.cut_at_blank);
	CHECK_EQ(rep.len, LIMIT);
	CHECK_EQ(rep.full_len, LIMIT + 2);

	/* One 5000-byte word: cut in the middle, as it has no blank. */
	memset(buf, 'x', 5000);
	buf[5000] = '\0';
	clean_str(buf);
	CHECK(rep.cut);
	CHECK(!rep.cut_at_blank);
	CHECK_EQ(rep.len, LIMIT);
	CHECK_EQ(rep.full_len, 5000);

	/* Counted after cleaning: 5000 bytes of CR LF and a few words fit. */
	memset(buf, '\n', 5000);
	memcpy(buf + 100, "ktest", 5);
	memcpy(buf + 4900, "hz=250", 6);
	clean(buf, 5000);
	CHECK(!rep.cut);
	CHECK_STR(line, "ktest hz=250");
}

/* The reference for ASCII text without quotes: the words, one space
 * between each. */
static void reference_words(const uint8_t *in, size_t n, char *out)
{
	size_t len = 0;
	bool gap = false;

	for (size_t i = 0; i < n; i++) {
		if (in[i] <= 0x20 || in[i] == 0x7f) {
			gap = len > 0;
			continue;
		}
		if (gap)
			out[len++] = ' ';
		gap = false;
		out[len++] = (char)in[i];
	}
	out[len] = '\0';
}

static void test_random_inputs_keep_the_rules(void)
{
	static uint8_t in[9000];
	static char want[9000];

	srand(14);
	for (int round = 0; round < 4000; round++) {
		size_t n = (size_t)rand() % (round % 4 ? 300 : 9000);
		int alphabet = rand() % 3;
		bool blank_before = true;

		for (size_t i = 0; i < n; i++) {
			static const char ascii[] = "ab= \t\r\n\0\x1b\x7f";

			in[i] = alphabet == 0 ? (uint8_t)ascii[rand() % (sizeof(ascii) - 1)] :
				(uint8_t)rand();
		}
		clean(in, n);
		CHECK_EQ(strlen(line), rep.len);
		CHECK(rep.len <= LIMIT);
		CHECK(rep.cut == (rep.full_len > LIMIT));
		CHECK(rep.cut || rep.full_len == rep.len);
		for (size_t i = 0; i < rep.len; i++) {
			CHECK(line[i] >= 0x20 && line[i] < 0x7f);
			if (line[i] == ' ' && !strchr(line, '"'))
				CHECK(!blank_before);
			blank_before = line[i] == ' ';
		}
		CHECK(rep.len == 0 || (line[0] != ' ' && line[rep.len - 1] != ' '));
		if (alphabet == 0 && rep.encoding == CMDLINE_ASCII) {
			reference_words(in, n, want);
			if (strlen(want) <= LIMIT)
				CHECK_STR(line, want);
		}
		if (ht_failures_in_test)
			break;
	}
}

/* name as UCS-2 into buf; returns the length. */
static size_t ucs2(uint16_t *buf, const char *name)
{
	size_t n = 0;

	for (; *name; name++)
		buf[n++] = (uint8_t)*name;
	return n;
}

static char mname[BOOT_MODULE_NAME_MAX + 8];
static unsigned int changed;

static bool modname(const uint16_t *name, size_t len)
{
	memset(mname, 'Z', sizeof(mname));
	changed = 0xdead;
	return module_file_name(name, len, mname, &changed);
}

static void test_module_names_ko_only(void)
{
	uint16_t n[300];

	CHECK(modname(n, ucs2(n, "hello.ko")));
	CHECK_STR(mname, "hello.ko");
	CHECK_EQ(changed, 0);
	CHECK(modname(n, ucs2(n, "HELLO.KO")));
	CHECK_STR(mname, "HELLO.KO");
	CHECK(modname(n, ucs2(n, "a.kO")));
	CHECK_STR(mname, "a.kO");
	CHECK(!modname(n, ucs2(n, ".ko")));
	CHECK(!modname(n, ucs2(n, "ko")));
	CHECK(!modname(n, 0));
	CHECK(!modname(n, ucs2(n, "readme.txt")));
	CHECK(!modname(n, ucs2(n, "hello.ko.bak")));
	CHECK(!modname(n, ucs2(n, "hello_ko")));
}

static void test_module_names_blanks_and_non_ascii_replaced(void)
{
	uint16_t n[300];
	size_t len;

	CHECK(modname(n, ucs2(n, "my mod.ko")));
	CHECK_STR(mname, "my_mod.ko");
	CHECK_EQ(changed, MODNAME_REPLACED);

	/* é as a long name gives it (U+00E9); OVMF gives U+FF90 for the
	 * OEM byte 0x82 of a short name. */
	len = ucs2(n, "caf?.ko");
	n[3] = 0x00e9;
	CHECK(modname(n, len));
	CHECK_STR(mname, "caf_.ko");
	CHECK_EQ(changed, MODNAME_REPLACED);
	n[3] = 0xff90;
	CHECK(modname(n, len));
	CHECK_STR(mname, "caf_.ko");

	/* A surrogate pair is one character; a control is replaced too. */
	len = ucs2(n, "a??b\x01.ko");
	n[1] = 0xd83d;
	n[2] = 0xde00;
	CHECK(modname(n, len));
	CHECK_STR(mname, "a_b_.ko");
	CHECK_EQ(changed, MODNAME_REPLACED);
}

static void test_module_names_longer_than_55_shortened(void)
{
	uint16_t n[300];
	char want[300];

	for (size_t total = 54; total <= 255; total++) {
		memset(want, 'm', total - 3);
		strcpy(want + total - 3, ".ko");
		CHECK(modname(n, ucs2(n, want)));
		if (total <= BOOT_MODULE_NAME_MAX - 1) {
			CHECK_STR(mname, want);
			CHECK_EQ(changed, 0);
		} else {
			CHECK_EQ(strlen(mname), BOOT_MODULE_NAME_MAX - 1);
			CHECK(strncmp(mname, want, BOOT_MODULE_NAME_MAX - 4) == 0);
			CHECK_STR(mname + BOOT_MODULE_NAME_MAX - 4, ".ko");
			CHECK_EQ(changed, MODNAME_SHORTENED);
		}
		CHECK_EQ(mname[BOOT_MODULE_NAME_MAX], 'Z');
	}
	/* Both at once: 60 characters with a space. */
	memset(want, 'q', 57);
	want[10] = ' ';
	strcpy(want + 57, ".ko");
	CHECK(modname(n, ucs2(n, want)));
	CHECK_EQ(changed, MODNAME_REPLACED | MODNAME_SHORTENED);
	CHECK_EQ(mname[10], '_');
	CHECK_EQ(strlen(mname), BOOT_MODULE_NAME_MAX - 1);
}

static void test_cpu_check_needs_cpuid_leaf1_and_pae(void)
{
	const char *why;

	CHECK(cpu_check(true, 1, 1u << 6) == NULL);
	CHECK(cpu_check(true, 0x16, 0xffffffffu) == NULL);
	why = cpu_check(true, 0x16, ~(1u << 6));
	CHECK(why && strstr(why, "no PAE") && strstr(why, "EDX bit 6"));
	why = cpu_check(true, 1, 0);
	CHECK(why && strstr(why, "no PAE"));
	why = cpu_check(true, 0, 0xffffffffu);
	CHECK(why && strstr(why, "leaf 1"));
	why = cpu_check(false, 0x16, 0xffffffffu);
	CHECK(why && strstr(why, "no CPUID"));
}

int main(void)
{
	RUN(test_plain_line_and_final_newline);
	RUN(test_tab_crlf_and_lone_cr_separate_words);
	RUN(test_nul_and_controls_are_blanks_and_counted);
	RUN(test_quotes_keep_their_blanks);
	RUN(test_utf8_bom_dropped);
	RUN(test_utf16_with_and_without_bom);
	RUN(test_non_ascii_bytes_become_one_question_mark_each);
	RUN(test_limit_4095_kept_4096_cut_after_a_whole_word);
	RUN(test_random_inputs_keep_the_rules);
	RUN(test_module_names_ko_only);
	RUN(test_module_names_blanks_and_non_ascii_replaced);
	RUN(test_module_names_longer_than_55_shortened);
	RUN(test_cpu_check_needs_cpuid_leaf1_and_pae);
	return HT_DONE();
}
