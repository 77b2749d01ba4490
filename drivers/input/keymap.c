/* SPDX-License-Identifier: MIT */
/*
 * Scan codes to the bytes of a VT100 terminal, US layout (Microsoft's
 * "Keyboard Scan Code Specification" rev. 1.3a for sets 1 and 2 and the
 * 8042's translation between them; the VT100 User Guide ch. 3 and xterm's
 * ctlseqs for the cursor and editing keys). Pure code and data, built into
 * the kernel and into tests/host/test_keymap.c.
 *
 * Set 2 codes are first turned into set 1 codes by the table the 8042's
 * translation uses, so one keymap, indexed by set 1 code, serves both.
 */
#include "kernel/keyboard.h"
#include "kernel/kernel.h"
#include "kernel/string.h"

/* What a key does besides sending a character (values above ASCII). */
enum {
	K_NONE = 0,
	K_LSHIFT = 0x80, K_RSHIFT, K_LCTRL, K_RCTRL, K_CAPS, K_NUM,
	K_UP, K_DOWN, K_RIGHT, K_LEFT, K_HOME, K_END,
	K_INSERT, K_DELETE, K_PGUP, K_PGDN,
};

/* The bytes each cursor and editing key sends, from K_UP on. */
static const char *const special_seq[] = {
	[K_UP - K_UP]		= "\033[A",
	[K_DOWN - K_UP]		= "\033[B",
	[K_RIGHT - K_UP]	= "\033[C",
	[K_LEFT - K_UP]		= "\033[D",
	[K_HOME - K_UP]		= "\033[H",
	[K_END - K_UP]		= "\033[F",
	[K_INSERT - K_UP]	= "\033[2~",
	[K_DELETE - K_UP]	= "\033[3~",
	[K_PGUP - K_UP]		= "\033[5~",
	[K_PGDN - K_UP]		= "\033[6~",
};

/* A key: the byte it sends alone and with Shift, or a K_ value in both. */
struct kbd_key {
	uint8_t plain, shift;
};
#define K(v)	{ (v), (v) }

/* Set 1 make codes without prefix (release: the same | 0x80). */
static const struct kbd_key keymap[0x80] = {
	[0x01] = K(0x1b),					/* Esc */
	[0x02] = { '1', '!' }, [0x03] = { '2', '@' }, [0x04] = { '3', '#' },
	[0x05] = { '4', '$' }, [0x06] = { '5', '%' }, [0x07] = { '6', '^' },
	[0x08] = { '7', '&' }, [0x09] = { '8', '*' }, [0x0a] = { '9', '(' },
	[0x0b] = { '0', ')' }, [0x0c] = { '-', '_' }, [0x0d] = { '=', '+' },
	[0x0e] = K(0x7f),					/* Backspace */
	[0x0f] = K('\t'),
	[0x10] = { 'q', 'Q' }, [0x11] = { 'w', 'W' }, [0x12] = { 'e', 'E' },
	[0x13] = { 'r', 'R' }, [0x14] = { 't', 'T' }, [0x15] = { 'y', 'Y' },
	[0x16] = { 'u', 'U' }, [0x17] = { 'i', 'I' }, [0x18] = { 'o', 'O' },
	[0x19] = { 'p', 'P' }, [0x1a] = { '[', '{' }, [0x1b] = { ']', '}' },
	[0x1c] = K('\r'),					/* Enter */
	[0x1d] = K(K_LCTRL),
	[0x1e] = { 'a', 'A' }, [0x1f] = { 's', 'S' }, [0x20] = { 'd', 'D' },
	[0x21] = { 'f', 'F' }, [0x22] = { 'g', 'G' }, [0x23] = { 'h', 'H' },
	[0x24] = { 'j', 'J' }, [0x25] = { 'k', 'K' }, [0x26] = { 'l', 'L' },
	[0x27] = { ';', ':' }, [0x28] = { '\'', '"' }, [0x29] = { '`', '~' },
	[0x2a] = K(K_LSHIFT),
	[0x2b] = { '\\', '|' },
	[0x2c] = { 'z', 'Z' }, [0x2d] = { 'x', 'X' }, [0x2e] = { 'c', 'C' },
	[0x2f] = { 'v', 'V' }, [0x30] = { 'b', 'B' }, [0x31] = { 'n', 'N' },
	[0x32] = { 'm', 'M' }, [0x33] = { ',', '<' }, [0x34] = { '.', '>' },
	[0x35] = { '/', '?' },
	[0x36] = K(K_RSHIFT),
	[0x37] = K('*'),					/* keypad * */
	[0x39] = K(' '),
	[0x3a] = K(K_CAPS),
	[0x45] = K(K_NUM),
	/* The keypad with Num Lock on; kp_nav below with it off. */
	[0x47] = K('7'), [0x48] = K('8'), [0x49] = K('9'), [0x4a] = K('-'),
	[0x4b] = K('4'), [0x4c] = K('5'), [0x4d] = K('6'), [0x4e] = K('+'),
	[0x4f] = K('1'), [0x50] = K('2'), [0x51] = K('3'),
	[0x52] = K('0'), [0x53] = K('.'),
	[0x56] = { '<', '>' },			/* the 102nd key, as Linux's us map */
	/* 0x38 Alt, 0x3b-0x44 and 0x57-0x58 F1-F12, 0x46 Scroll Lock: nothing. */
};

/* Set 1 codes after an 0xE0 prefix. The "fake shifts" around Print
 * Screen and the cursor keys (E0 2A, E0 36) are not here: ignored. */
static const struct kbd_key keymap_e0[0x80] = {
	[0x1c] = K('\r'),					/* keypad Enter */
	[0x1d] = K(K_RCTRL),
	[0x35] = K('/'),					/* keypad / */
	[0x47] = K(K_HOME), [0x48] = K(K_UP), [0x49] = K(K_PGUP),
	[0x4b] = K(K_LEFT), [0x4d] = K(K_RIGHT),
	[0x4f] = K(K_END), [0x50] = K(K_DOWN), [0x51] = K(K_PGDN),
	[0x52] = K(K_INSERT), [0x53] = K(K_DELETE),
};

/* The keypad (codes 0x47-0x53) with Num Lock off: 5 sends nothing. */
#define KP_FIRST	0x47
#define KP_LAST		0x53
static const uint8_t kp_nav[KP_LAST - KP_FIRST + 1] = {
	[0x47 - KP_FIRST] = K_HOME, [0x48 - KP_FIRST] = K_UP,
	[0x49 - KP_FIRST] = K_PGUP, [0x4a - KP_FIRST] = '-',
	[0x4b - KP_FIRST] = K_LEFT, [0x4c - KP_FIRST] = K_NONE,
	[0x4d - KP_FIRST] = K_RIGHT, [0x4e - KP_FIRST] = '+',
	[0x4f - KP_FIRST] = K_END, [0x50 - KP_FIRST] = K_DOWN,
	[0x51 - KP_FIRST] = K_PGDN, [0x52 - KP_FIRST] = K_INSERT,
	[0x53 - KP_FIRST] = K_DELETE,
};

/*
 * The 8042's translation of set 2 codes to set 1, for every code a key
 * sends (with or without 0xE0); 0 for the rest, which includes the
 * keyboard's answers (0xAA, 0xFA, 0xFE, ...).
 */
static const uint8_t set2_to_set1[0x84] = {
	[0x01] = 0x43, [0x03] = 0x3f, [0x04] = 0x3d, [0x05] = 0x3b,
	[0x06] = 0x3c, [0x07] = 0x58, [0x09] = 0x44, [0x0a] = 0x42,
	[0x0b] = 0x40, [0x0c] = 0x3e, [0x0d] = 0x0f, [0x0e] = 0x29,
	[0x11] = 0x38, [0x12] = 0x2a, [0x14] = 0x1d, [0x15] = 0x10,
	[0x16] = 0x02, [0x1a] = 0x2c, [0x1b] = 0x1f, [0x1c] = 0x1e,
	[0x1d] = 0x11, [0x1e] = 0x03, [0x1f] = 0x5b, [0x21] = 0x2e,
	[0x22] = 0x2d, [0x23] = 0x20, [0x24] = 0x12, [0x25] = 0x05,
	[0x26] = 0x04, [0x27] = 0x5c, [0x29] = 0x39, [0x2a] = 0x2f,
	[0x2b] = 0x21, [0x2c] = 0x14, [0x2d] = 0x13, [0x2e] = 0x06,
	[0x2f] = 0x5d, [0x31] = 0x31, [0x32] = 0x30, [0x33] = 0x23,
	[0x34] = 0x22, [0x35] = 0x15, [0x36] = 0x07, [0x3a] = 0x32,
	[0x3b] = 0x24, [0x3c] = 0x16, [0x3d] = 0x08, [0x3e] = 0x09,
	[0x41] = 0x33, [0x42] = 0x25, [0x43] = 0x17, [0x44] = 0x18,
	[0x45] = 0x0b, [0x46] = 0x0a, [0x49] = 0x34, [0x4a] = 0x35,
	[0x4b] = 0x26, [0x4c] = 0x27, [0x4d] = 0x19, [0x4e] = 0x0c,
	[0x52] = 0x28, [0x54] = 0x1a, [0x55] = 0x0d, [0x58] = 0x3a,
	[0x59] = 0x36, [0x5a] = 0x1c, [0x5b] = 0x1b, [0x5d] = 0x2b,
	[0x61] = 0x56, [0x66] = 0x0e, [0x69] = 0x4f, [0x6b] = 0x4b,
	[0x6c] = 0x47, [0x70] = 0x52, [0x71] = 0x53, [0x72] = 0x50,
	[0x73] = 0x4c, [0x74] = 0x4d, [0x75] = 0x48, [0x76] = 0x01,
	[0x77] = 0x45, [0x78] = 0x57, [0x79] = 0x4e, [0x7a] = 0x51,
	[0x7b] = 0x4a, [0x7c] = 0x37, [0x7d] = 0x49, [0x7e] = 0x46,
	[0x83] = 0x41,
};

void kbd_init(struct kbd_state *kbd, bool set2)
{
	memset(kbd, 0, sizeof(*kbd));
	kbd->set2 = set2;
	kbd->num_lock = true;
}

/* A lock key toggles on its first make code only: a held key repeats. */
static void lock_key(bool *lock, bool *down, bool release)
{
	if (!release && !*down)
		*lock = !*lock;
	*down = !release;
}

/* The key with set 1 code key (0x01-0x7f) went down or up. */
static unsigned int kbd_key(struct kbd_state *kbd, uint8_t key, bool e0,
			    bool release, char *out)
{
	const struct kbd_key *k = e0 ? &keymap_e0[key] : &keymap[key];
	bool shift = kbd->lshift || kbd->rshift;
	bool ctrl = kbd->lctrl || kbd->rctrl;
	uint8_t v = k->plain;

	switch (v) {
	case K_LSHIFT:	kbd->lshift = !release;	return 0;
	case K_RSHIFT:	kbd->rshift = !release;	return 0;
	case K_LCTRL:	kbd->lctrl = !release;	return 0;
	case K_RCTRL:	kbd->rctrl = !release;	return 0;
	case K_CAPS:	lock_key(&kbd->caps_lock, &kbd->caps_down, release); return 0;
	case K_NUM:	lock_key(&kbd->num_lock, &kbd->num_down, release); return 0;
	}
	if (!e0 && !kbd->num_lock && key >= KP_FIRST && key <= KP_LAST)
		v = kp_nav[key - KP_FIRST];
	if (release || v == K_NONE)
		return 0;
	if (v >= K_UP) {
		const char *seq = special_seq[v - K_UP];
		unsigned int n = strlen(seq);

		memcpy(out, seq, n);
		return n;
	}
	if (v >= 'a' && v <= 'z') {
		if (ctrl) {
			out[0] = v - 'a' + 1;		/* Ctrl-A 0x01 .. Ctrl-Z 0x1a */
			return 1;
		}
		if (shift != kbd->caps_lock)
			v = k->shift;
	} else if (v >= 0x20 && v < 0x7f) {
		if (ctrl)
			return 0;			/* Ctrl with a digit or sign */
		if (shift)
			v = k->shift;
	}
	out[0] = (char)v;
	return 1;
}

unsigned int kbd_scancode(struct kbd_state *kbd, uint8_t code, char *out)
{
	bool release, e0;
	uint8_t key;

	if (code == 0xe0) {
		kbd->e0 = true;
		return 0;
	}
	if (code == 0xe1) {
		/* Pause: E1 and two codes, made and released at once. */
		kbd->skip = 2;
		kbd->e0 = false;
		return 0;
	}
	if (kbd->set2) {
		if (code == 0xf0) {
			kbd->f0 = true;
			return 0;
		}
		release = kbd->f0;
		kbd->f0 = false;
		key = code < ARRAY_SIZE(set2_to_set1) ? set2_to_set1[code] : 0;
	} else {
		release = code & 0x80;
		key = code & 0x7f;
	}
	e0 = kbd->e0;
	kbd->e0 = false;
	if (kbd->skip) {
		kbd->skip--;
		return 0;
	}
	if (!key)
		return 0;
	return kbd_key(kbd, key, e0, release, out);
}
