/* SPDX-License-Identifier: MIT */
/*
 * The monitor's line editor: the keys a VT100 terminal sends (ECMA-48
 * control sequences; xterm's ctlseqs for the variants of Home, End and
 * Delete) edit one line with a history, and the echo uses only what every
 * console of this kernel renders alike (include/kernel/line_edit.h;
 * docs/console.md gives the keys and the exact echo). Pure code, built
 * into the kernel and into tests/host/test_line_edit.c.
 *
 * The echo assumes the prompt and the line fit the terminal's width:
 * the cursor moves never cross a row.
 */
#include "kernel/line_edit.h"
#include "kernel/string.h"

static void put(struct line_edit *le, const char *s, size_t n)
{
	if (n)
		le->write(le->ctx, s, n);
}

static void puts_le(struct line_edit *le, const char *s)
{
	put(le, s, strlen(s));
}

/* ESC [ n final, for the cursor moves ('C' right, 'D' left); nothing for 0. */
static void move(struct line_edit *le, unsigned int n, char final)
{
	char buf[16], digits[10];
	unsigned int len = 0, nd = 0;

	if (!n)
		return;
	buf[len++] = '\033';
	buf[len++] = '[';
	do {
		digits[nd++] = (char)('0' + n % 10);
		n /= 10;
	} while (n);
	while (nd)
		buf[len++] = digits[--nd];
	buf[len++] = final;
	put(le, buf, len);
}

static void left(struct line_edit *le, unsigned int n)
{
	move(le, n, 'D');
}

static void right(struct line_edit *le, unsigned int n)
{
	move(le, n, 'C');
}

/* The line from the cursor on, then the rest of the row erased, then
 * the cursor back where it was. */
static void redraw_tail(struct line_edit *le)
{
	put(le, le->line + le->pos, le->len - le->pos);
	puts_le(le, "\033[K");
	left(le, le->len - le->pos);
}

static void insert(struct line_edit *le, char c)
{
	if (le->len >= LINE_EDIT_MAX - 1)
		return;			/* full: the key is ignored */
	memmove(le->line + le->pos + 1, le->line + le->pos, le->len - le->pos);
	le->line[le->pos] = c;
	le->line[++le->len] = '\0';
	put(le, le->line + le->pos, le->len - le->pos);
	le->pos++;
	left(le, le->len - le->pos);
}

static void backspace(struct line_edit *le)
{
	if (!le->pos)
		return;
	memmove(le->line + le->pos - 1, le->line + le->pos, le->len - le->pos);
	le->pos--;
	le->line[--le->len] = '\0';
	puts_le(le, "\b");
	redraw_tail(le);
}

static void delete(struct line_edit *le)
{
	if (le->pos == le->len)
		return;
	memmove(le->line + le->pos, le->line + le->pos + 1, le->len - le->pos - 1);
	le->line[--le->len] = '\0';
	redraw_tail(le);
}

static void home(struct line_edit *le)
{
	left(le, le->pos);
	le->pos = 0;
}

static void end(struct line_edit *le)
{
	right(le, le->len - le->pos);
	le->pos = le->len;
}

/* The whole line replaced by s (a history entry, or the line put aside). */
static void replace(struct line_edit *le, const char *s)
{
	home(le);
	le->len = le->pos = strlen(s);		/* s is a line: below LINE_EDIT_MAX */
	memmove(le->line, s, le->len + 1);
	put(le, le->line, le->len);
	puts_le(le, "\033[K");
}

static void history_up(struct line_edit *le)
{
	if (!le->nr_history || le->browse == 0)
		return;
	if (le->browse < 0) {
		memcpy(le->saved, le->line, sizeof(le->saved));
		le->browse = le->nr_history - 1;
	} else {
		le->browse--;
	}
	replace(le, le->history[le->browse]);
}

static void history_down(struct line_edit *le)
{
	if (le->browse < 0)
		return;
	if (++le->browse == (int)le->nr_history) {
		le->browse = -1;
		replace(le, le->saved);
	} else {
		replace(le, le->history[le->browse]);
	}
}

/* Empty lines and a repeat of the newest entry are not kept. */
static void history_add(struct line_edit *le)
{
	if (!le->len || (le->nr_history &&
			 strcmp(le->history[le->nr_history - 1], le->line) == 0))
		return;
	if (le->nr_history == LINE_EDIT_HISTORY) {
		memmove(le->history[0], le->history[1],
			sizeof(le->history[0]) * (LINE_EDIT_HISTORY - 1));
		le->nr_history--;
	}
	memcpy(le->history[le->nr_history++], le->line, sizeof(le->line));
}

static void clear(struct line_edit *le)
{
	le->len = le->pos = 0;
	le->line[0] = '\0';
	le->browse = -1;
}

void line_edit_init(struct line_edit *le, const char *prompt,
		    void (*write)(void *ctx, const char *s, size_t n), void *ctx)
{
	memset(le, 0, sizeof(*le));
	le->prompt = prompt;
	le->write = write;
	le->ctx = ctx;
	le->browse = -1;
}

void line_edit_start(struct line_edit *le)
{
	clear(le);
	le->esc = LE_ESC_NONE;
	puts_le(le, le->prompt);
}

/* The final byte of ESC [ params final: the cursor and editing keys. */
static void csi_key(struct line_edit *le, char final)
{
	unsigned int n = 0;

	for (const char *p = le->seq; *p >= '0' && *p <= '9'; p++)
		n = n * 10 + (*p - '0');
	switch (final) {
	case 'A':	history_up(le);		break;
	case 'B':	history_down(le);	break;
	case 'C':
		if (le->pos < le->len) {
			le->pos++;
			right(le, 1);
		}
		break;
	case 'D':
		if (le->pos) {
			le->pos--;
			left(le, 1);
		}
		break;
	case 'H':	home(le);		break;
	case 'F':	end(le);		break;
	case '~':
		if (n == 1 || n == 7)		/* Home as VT220 and rxvt send it */
			home(le);
		else if (n == 4 || n == 8)	/* End */
			end(le);
		else if (n == 3)		/* Delete */
			delete(le);
		break;			/* Insert, Page Up/Down: nothing */
	}
}

/* A byte of an escape sequence; false when it ended the sequence
 * without being part of it (a control byte: handled as a key). */
static bool escape_byte(struct line_edit *le, unsigned char c)
{
	if (c == 0x1b) {		/* a new sequence */
		le->esc = LE_ESC;
		return true;
	}
	if (c < 0x20) {
		le->esc = LE_ESC_NONE;
		return false;
	}
	switch (le->esc) {
	case LE_ESC:
		le->seq_len = 0;
		le->seq[0] = '\0';
		/* ESC [ and ESC O (SS3, the application-mode cursor keys);
		 * ESC followed by anything else: both ignored. */
		le->esc = c == '[' ? LE_CSI : c == 'O' ? LE_SS3 : LE_ESC_NONE;
		return true;
	case LE_CSI:
		if (c >= 0x30 && c <= 0x3f) {		/* parameter bytes */
			if (le->seq_len < LINE_EDIT_SEQ_MAX) {
				le->seq[le->seq_len++] = (char)c;
				le->seq[le->seq_len] = '\0';
			}
			return true;
		}
		if (c >= 0x20 && c <= 0x2f)		/* intermediates */
			return true;
		le->esc = LE_ESC_NONE;
		if (c >= 0x40 && c <= 0x7e)
			csi_key(le, (char)c);
		return true;
	case LE_SS3:
		le->esc = LE_ESC_NONE;
		le->seq[0] = '\0';
		if (c == 'A' || c == 'B' || c == 'C' || c == 'D' || c == 'H' || c == 'F')
			csi_key(le, (char)c);
		return true;
	default:
		return false;
	}
}

int line_edit_feed(struct line_edit *le, unsigned char c)
{
	bool after_cr = le->after_cr;

	if (le->esc != LE_ESC_NONE && escape_byte(le, c))
		return LINE_EDIT_MORE;
	le->after_cr = c == '\r';
	switch (c) {
	case 0x1b:
		le->esc = LE_ESC;
		break;
	case '\n':
		if (after_cr)		/* the '\n' of a terminal's "\r\n" */
			break;
		/* fall through */
	case '\r':
		put(le, "\n", 1);
		history_add(le);
		le->browse = -1;
		return LINE_EDIT_DONE;
	case 0x7f:			/* Backspace as a VT100 sends it */
	case '\b':
		backspace(le);
		break;
	case 0x01:			/* Ctrl-A */
		home(le);
		break;
	case 0x05:			/* Ctrl-E */
		end(le);
		break;
	case 0x15:			/* Ctrl-U */
		if (le->len) {
			home(le);
			puts_le(le, "\033[K");
		}
		clear(le);
		break;
	case 0x03:			/* Ctrl-C */
		end(le);
		puts_le(le, "^C\n");
		clear(le);
		puts_le(le, le->prompt);
		break;
	default:
		if (c >= 0x20 && c < 0x7f)
			insert(le, (char)c);
		break;			/* other control bytes, and 0x80-0xff */
	}
	return LINE_EDIT_MORE;
}
