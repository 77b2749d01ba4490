/* SPDX-License-Identifier: MIT */
/*
 * The PS/2 keyboard's scan codes turned into the bytes a VT100 terminal
 * sends for the same keys (drivers/input/keymap.c: pure code and the US
 * keymap as data, host-tested by tests/host/test_keymap.c). Scan code
 * set 1 is what the i8042 delivers with its translation on (as firmware
 * leaves it); set 2 is the keyboard's own, seen with translation off.
 * docs/console.md lists the keys and their bytes.
 */
#ifndef KERNEL_KEYBOARD_H
#define KERNEL_KEYBOARD_H

#include <stdbool.h>
#include <stdint.h>

#define KBD_SEQ_MAX	4	/* the longest key: Delete, ESC [ 3 ~ */

/* One keyboard's decoding state: prefixes seen, modifiers held. */
struct kbd_state {
	bool set2;		/* raw set 2 (translation off), else set 1 */
	bool e0;		/* an 0xE0 prefix: the next code is an extended key */
	bool f0;		/* set 2: an 0xF0 prefix, the next code is a release */
	uint8_t skip;		/* codes of a Pause sequence still to come */
	bool lshift, rshift, lctrl, rctrl;
	bool caps_lock, num_lock;
	bool caps_down, num_down;	/* held: the keyboard repeats the make code */
};

/*
 * kbd_init - a keyboard with nothing held, Caps Lock off and Num Lock on
 * (as PC firmware leaves it; the lights are not driven), decoding set 2
 * when set2, else set 1.
 */
void kbd_init(struct kbd_state *kbd, bool set2);

/*
 * kbd_scancode - one byte from the keyboard: writes the bytes its key
 * sends to out (room for KBD_SEQ_MAX) and returns their number; 0 for
 * prefixes, modifiers, releases, the keyboard's answers to commands
 * (0xFA and the like) and keys that send nothing (F1-F12, the Windows
 * keys, Print Screen, Pause, Alt, Scroll Lock).
 */
unsigned int kbd_scancode(struct kbd_state *kbd, uint8_t code, char *out);

#endif /* KERNEL_KEYBOARD_H */
