/* SPDX-License-Identifier: MIT */
/*
 * Host tests of drivers/input/keymap.c: keys typed as scan code set 1 and
 * set 2 sequences, from a key table of this file's own (the codes of
 * Microsoft's "Keyboard Scan Code Specification" rev. 1.3a, written out
 * again here, so a wrong entry in either table shows), must come out as
 * the bytes a VT100 terminal sends: every printable character with and
 * without Shift, Caps Lock, Ctrl-letters, the cursor and editing keys,
 * the keypad with Num Lock on and off, and the codes that send nothing
 * (releases, prefixes, fake shifts, Pause, the keyboard's answers).
 */
#include "hosttest.h"
#include "kernel/keyboard.h"

/* A key as this test knows it: set 1 and set 2 make codes, 0xE0 or not. */
struct tkey {
	const char *name;
	uint8_t s1, s2;
	bool e0;
	char plain, shift;	/* printable keys only */
};

static const struct tkey keys[] = {
	{ "`", 0x29, 0x0e, 0, '`', '~' },
	{ "1", 0x02, 0x16, 0, '1', '!' }, { "2", 0x03, 0x1e, 0, '2', '@' },
	{ "3", 0x04, 0x26, 0, '3', '#' }, { "4", 0x05, 0x25, 0, '4', '$' },
	{ "5", 0x06, 0x2e, 0, '5', '%' }, { "6", 0x07, 0x36, 0, '6', '^' },
	{ "7", 0x08, 0x3d, 0, '7', '&' }, { "8", 0x09, 0x3e, 0, '8', '*' },
	{ "9", 0x0a, 0x46, 0, '9', '(' }, { "0", 0x0b, 0x45, 0, '0', ')' },
	{ "-", 0x0c, 0x4e, 0, '-', '_' }, { "=", 0x0d, 0x55, 0, '=', '+' },
	{ "q", 0x10, 0x15, 0, 'q', 'Q' }, { "w", 0x11, 0x1d, 0, 'w', 'W' },
	{ "e", 0x12, 0x24, 0, 'e', 'E' }, { "r", 0x13, 0x2d, 0, 'r', 'R' },
	{ "t", 0x14, 0x2c, 0, 't', 'T' }, { "y", 0x15, 0x35, 0, 'y', 'Y' },
	{ "u", 0x16, 0x3c, 0, 'u', 'U' }, { "i", 0x17, 0x43, 0, 'i', 'I' },
	{ "o", 0x18, 0x44, 0, 'o', 'O' }, { "p", 0x19, 0x4d, 0, 'p', 'P' },
	{ "[", 0x1a, 0x54, 0, '[', '{' }, { "]", 0x1b, 0x5b, 0, ']', '}' },
	{ "\\", 0x2b, 0x5d, 0, '\\', '|' },
	{ "a", 0x1e, 0x1c, 0, 'a', 'A' }, { "s", 0x1f, 0x1b, 0, 's', 'S' },
	{ "d", 0x20, 0x23, 0, 'd', 'D' }, { "f", 0x21, 0x2b, 0, 'f', 'F' },
	{ "g", 0x22, 0x34, 0, 'g', 'G' }, { "h", 0x23, 0x33, 0, 'h', 'H' },
	{ "j", 0x24, 0x3b, 0, 'j', 'J' }, { "k", 0x25, 0x42, 0, 'k', 'K' },
	{ "l", 0x26, 0x4b, 0, 'l', 'L' }, { ";", 0x27, 0x4c, 0, ';', ':' },
	{ "'", 0x28, 0x52, 0, '\'', '"' },
	{ "z", 0x2c, 0x1a, 0, 'z', 'Z' }, { "x", 0x2d, 0x22, 0, 'x', 'X' },
	{ "c", 0x2e, 0x21, 0, 'c', 'C' }, { "v", 0x2f, 0x2a, 0, 'v', 'V' },
	{ "b", 0x30, 0x32, 0, 'b', 'B' }, { "n", 0x31, 0x31, 0, 'n', 'N' },
	{ "m", 0x32, 0x3a, 0, 'm', 'M' }, { ",", 0x33, 0x41, 0, ',', '<' },
	{ ".", 0x34, 0x49, 0, '.', '>' }, { "/", 0x35, 0x4a, 0, '/', '?' },
	{ "space", 0x39, 0x29, 0, ' ', ' ' },
	/* Keys that are not characters, or not only. */
	{ "esc", 0x01, 0x76, 0, 0, 0 }, { "backspace", 0x0e, 0x66, 0, 0, 0 },
	{ "tab", 0x0f, 0x0d, 0, 0, 0 }, { "enter", 0x1c, 0x5a, 0, 0, 0 },
	{ "lctrl", 0x1d, 0x14, 0, 0, 0 }, { "rctrl", 0x1d, 0x14, 1, 0, 0 },
	{ "lshift", 0x2a, 0x12, 0, 0, 0 }, { "rshift", 0x36, 0x59, 0, 0, 0 },
	{ "lalt", 0x38, 0x11, 0, 0, 0 }, { "ralt", 0x38, 0x11, 1, 0, 0 },
	{ "caps", 0x3a, 0x58, 0, 0, 0 }, { "num", 0x45, 0x77, 0, 0, 0 },
	{ "scroll", 0x46, 0x7e, 0, 0, 0 },
	{ "f1", 0x3b, 0x05, 0, 0, 0 }, { "f2", 0x3c, 0x06, 0, 0, 0 },
	{ "f3", 0x3d, 0x04, 0, 0, 0 }, { "f4", 0x3e, 0x0c, 0, 0, 0 },
	{ "f5", 0x3f, 0x03, 0, 0, 0 }, { "f6", 0x40, 0x0b, 0, 0, 0 },
	{ "f7", 0x41, 0x83, 0, 0, 0 }, { "f8", 0x42, 0x0a, 0, 0, 0 },
	{ "f9", 0x43, 0x01, 0, 0, 0 }, { "f10", 0x44, 0x09, 0, 0, 0 },
	{ "f11", 0x57, 0x78, 0, 0, 0 }, { "f12", 0x58, 0x07, 0, 0, 0 },
	{ "up", 0x48, 0x75, 1, 0, 0 }, { "down", 0x50, 0x72, 1, 0, 0 },
	{ "left", 0x4b, 0x6b, 1, 0, 0 }, { "right", 0x4d, 0x74, 1, 0, 0 },
	{ "home", 0x47, 0x6c, 1, 0, 0 }, { "end", 0x4f, 0x69, 1, 0, 0 },
	{ "insert", 0x52, 0x70, 1, 0, 0 }, { "delete", 0x53, 0x71, 1, 0, 0 },
	{ "pgup", 0x49, 0x7d, 1, 0, 0 }, { "pgdn", 0x51, 0x7a, 1, 0, 0 },
	{ "lwin", 0x5b, 0x1f, 1, 0, 0 }, { "rwin", 0x5c, 0x27, 1, 0, 0 },
	{ "menu", 0x5d, 0x2f, 1, 0, 0 },
	{ "kp7", 0x47, 0x6c, 0, 0, 0 }, { "kp8", 0x48, 0x75, 0, 0, 0 },
	{ "kp9", 0x49, 0x7d, 0, 0, 0 }, { "kp-", 0x4a, 0x7b, 0, 0, 0 },
	{ "kp4", 0x4b, 0x6b, 0, 0, 0 }, { "kp5", 0x4c, 0x73, 0, 0, 0 },
	{ "kp6", 0x4d, 0x74, 0, 0, 0 }, { "kp+", 0x4e, 0x79, 0, 0, 0 },
	{ "kp1", 0x4f, 0x69, 0, 0, 0 }, { "kp2", 0x50, 0x72, 0, 0, 0 },
	{ "kp3", 0x51, 0x7a, 0, 0, 0 }, { "kp0", 0x52, 0x70, 0, 0, 0 },
	{ "kp.", 0x53, 0x71, 0, 0, 0 }, { "kp*", 0x37, 0x7c, 0, 0, 0 },
	{ "kp/", 0x35, 0x4a, 1, 0, 0 }, { "kpenter", 0x1c, 0x5a, 1, 0, 0 },
};

static const struct tkey *key(const char *name)
{
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (strcmp(keys[i].name, name) == 0)
			return &keys[i];
	printf("    no key %s in the test's table\n", name);
	return NULL;
}

/* What the keyboard sent so far, and what the decoder made of it. */
static struct kbd_state kbd;
static char out[1024];
static size_t out_len;

static void start(bool set2)
{
	kbd_init(&kbd, set2);
	out_len = 0;
	out[0] = '\0';
}

static void send(uint8_t code)
{
	char seq[KBD_SEQ_MAX + 8];
	unsigned int n;

	memset(seq, 0x5a, sizeof(seq));
	n = kbd_scancode(&kbd, code, seq);
	CHECK(n <= KBD_SEQ_MAX);
	CHECK_EQ((unsigned char)seq[KBD_SEQ_MAX], 0x5a);	/* nothing past the room */
	if (n > KBD_SEQ_MAX || out_len + n >= sizeof(out))
		return;
	memcpy(out + out_len, seq, n);
	out_len += n;
	out[out_len] = '\0';
}

static void make(const char *name)
{
	const struct tkey *k = key(name);

	if (!k)
		return;
	if (k->e0)
		send(0xe0);
	send(kbd.set2 ? k->s2 : k->s1);
}

static void brk(const char *name)
{
	const struct tkey *k = key(name);

	if (!k)
		return;
	if (k->e0)
		send(0xe0);
	if (kbd.set2) {
		send(0xf0);
		send(k->s2);
	} else {
		send(k->s1 | 0x80);
	}
}

static void press(const char *name)
{
	make(name);
	brk(name);
}

/* Types text with the keys of the table, Shift where a character needs it. */
static void type(const char *text)
{
	for (; *text; text++) {
		const struct tkey *k = NULL;
		bool shifted = false;

		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]) && !k; i++) {
			if (keys[i].plain == *text)
				k = &keys[i];
			else if (keys[i].shift == *text && *text != ' ')
				k = &keys[i], shifted = true;
		}
		if (!k) {
			printf("    no key types '%c'\n", *text);
			ht_failures_in_test++;
			continue;
		}
		if (shifted)
			make("lshift");
		press(k->name);
		if (shifted)
			brk("lshift");
	}
}

static const char printable[] =
	"`1234567890-=qwertyuiop[]\\asdfghjkl;'zxcvbnm,./ "
	"~!@#$%^&*()_+QWERTYUIOP{}|ASDFGHJKL:\"ZXCVBNM<>?";

static void test_every_printable_character(void)
{
	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);
		type(printable);
		CHECK_STR(out, printable);
		CHECK(!kbd.lshift && !kbd.rshift);
	}
}

/* The same keys through the right Shift, held over several keys. */
static void test_right_shift_held(void)
{
	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);
		make("rshift");
		type("a1/");
		brk("rshift");
		type("a");
		CHECK_STR(out, "A!?a");
	}
}

static void test_caps_lock(void)
{
	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);
		press("caps");
		type("ab1;");
		make("lshift");
		press("a");
		press("1");
		brk("lshift");
		/* Held: the keyboard repeats the make code; one toggle only. */
		for (int i = 0; i < 4; i++)
			make("caps");
		brk("caps");
		type("a");
		CHECK_STR(out, "AB1;a!a");
		CHECK(!kbd.caps_lock);
	}
}

static void test_ctrl_letters(void)
{
	for (int set2 = 0; set2 <= 1; set2++) {
		char want[27];

		start(set2);
		for (int i = 0; i < 26; i++) {
			char name[2] = { (char)('a' + i), 0 };

			make(i % 2 ? "rctrl" : "lctrl");
			press(name);
			brk(i % 2 ? "rctrl" : "lctrl");
			want[i] = (char)(i + 1);
		}
		want[26] = '\0';
		CHECK_STR(out, want);

		/* Ctrl with a digit or a sign sends nothing; Enter stays Enter;
		 * Caps Lock and Shift change nothing about Ctrl-letters. */
		start(set2);
		make("lctrl");
		press("1");
		press("/");
		press("enter");
		press("caps");
		press("c");
		make("lshift");
		press("u");
		brk("lshift");
		brk("lctrl");
		press("c");
		CHECK_STR(out, "\r\x03\x15" "C");
	}
}

static void test_cursor_and_editing_keys(void)
{
	static const struct { const char *key, *bytes; } want[] = {
		{ "up", "\033[A" }, { "down", "\033[B" }, { "right", "\033[C" },
		{ "left", "\033[D" }, { "home", "\033[H" }, { "end", "\033[F" },
		{ "insert", "\033[2~" }, { "delete", "\033[3~" },
		{ "pgup", "\033[5~" }, { "pgdn", "\033[6~" },
		{ "enter", "\r" }, { "kpenter", "\r" }, { "backspace", "\x7f" },
		{ "tab", "\t" }, { "esc", "\033" }, { "kp/", "/" }, { "kp*", "*" },
	};

	for (int set2 = 0; set2 <= 1; set2++) {
		for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
			start(set2);
			press(want[i].key);
			CHECK_STR(out, want[i].bytes);
			/* With Shift held: the same bytes; with Ctrl too,
			 * for the keys that are not characters. */
			start(set2);
			make("lshift");
			press(want[i].key);
			make("rctrl");
			press(want[i].key);
			if (want[i].bytes[0] >= 0x20 && want[i].bytes[0] < 0x7f)
				CHECK_STR(out, want[i].bytes);
			else
				CHECK(strlen(out) == 2 * strlen(want[i].bytes) &&
				      strncmp(out, want[i].bytes, strlen(want[i].bytes)) == 0 &&
				      strcmp(out + strlen(want[i].bytes), want[i].bytes) == 0);
		}
	}
}

static void test_keypad_num_lock(void)
{
	static const char *const pad[] = {
		"kp7", "kp8", "kp9", "kp-", "kp4", "kp5", "kp6", "kp+",
		"kp1", "kp2", "kp3", "kp0", "kp.",
	};

	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);		/* Num Lock starts on */
		for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++)
			press(pad[i]);
		CHECK_STR(out, "789-456+1230.");

		start(set2);
		press("num");
		CHECK(!kbd.num_lock);
		for (size_t i = 0; i < sizeof(pad) / sizeof(pad[0]); i++)
			press(pad[i]);
		CHECK_STR(out, "\033[H\033[A\033[5~-\033[D\033[C+\033[F\033[B\033[6~"
			       "\033[2~\033[3~");
		press("num");
		press("kp5");
		CHECK_STR(out + strlen(out) - 1, "5");
	}
}

/* Codes that must send nothing, and must leave no state behind. */
static void test_what_sends_nothing(void)
{
	static const char *const silent[] = {
		"lalt", "ralt", "scroll", "f1", "f2", "f3", "f4", "f5", "f6",
		"f7", "f8", "f9", "f10", "f11", "f12", "lwin", "rwin", "menu",
	};

	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);
		for (size_t i = 0; i < sizeof(silent) / sizeof(silent[0]); i++)
			press(silent[i]);
		CHECK_STR(out, "");
		/* Alt held changes nothing about the keys. */
		make("lalt");
		type("x");
		brk("lalt");
		CHECK_STR(out, "x");
	}

	/* Set 1: the keyboard's answers, Print Screen with its fake
	 * shifts, an arrow wrapped in fake shifts (Num Lock on), Pause. */
	start(false);
	send(0xfa);		/* ACK */
	send(0xfe);		/* resend */
	send(0xee);		/* echo */
	send(0x00);		/* overrun */
	send(0xff);
	send(0xe0); send(0x2a); send(0xe0); send(0x37);		/* Print Screen */
	send(0xe0); send(0xb7); send(0xe0); send(0xaa);
	send(0xe0); send(0x2a); send(0xe0); send(0x48);		/* Up */
	send(0xe0); send(0xc8); send(0xe0); send(0xaa);
	send(0xe1); send(0x1d); send(0x45);			/* Pause */
	send(0xe1); send(0x9d); send(0xc5);
	type("q");
	CHECK_STR(out, "\033[Aq");
	CHECK(!kbd.lshift && !kbd.e0 && !kbd.skip);

	/* Set 2: the same, and the self-test's 0xAA. */
	start(true);
	send(0xaa);		/* basic assurance test passed */
	send(0xfa);
	send(0xfe);
	send(0xfc);
	send(0x00);
	send(0xe0); send(0x12); send(0xe0); send(0x7c);		/* Print Screen */
	send(0xe0); send(0xf0); send(0x7c); send(0xe0); send(0xf0); send(0x12);
	send(0xe1); send(0x14); send(0x77);			/* Pause */
	send(0xe1); send(0xf0); send(0x14); send(0xf0); send(0x77);
	type("q");
	CHECK_STR(out, "q");
	CHECK(!kbd.lshift && !kbd.e0 && !kbd.f0 && !kbd.skip);
}

/* Releases send nothing; a key repeated while held sends each time. */
static void test_releases_and_repeat(void)
{
	for (int set2 = 0; set2 <= 1; set2++) {
		start(set2);
		make("k");
		make("k");
		make("k");
		brk("k");
		brk("k");
		make("left");
		make("left");
		brk("left");
		CHECK_STR(out, "kkk\033[D\033[D");
	}
}

int main(void)
{
	RUN(test_every_printable_character);
	RUN(test_right_shift_held);
	RUN(test_caps_lock);
	RUN(test_ctrl_letters);
	RUN(test_cursor_and_editing_keys);
	RUN(test_keypad_num_lock);
	RUN(test_what_sends_nothing);
	RUN(test_releases_and_repeat);
	return HT_DONE();
}
