/* SPDX-License-Identifier: MIT */
/*
 * The monitor's line editor (lib/line_edit.c): pure code that takes the
 * bytes a terminal or the keyboard sends (VT100 keys: docs/console.md)
 * one at a time, keeps the line and a history, and echoes through a
 * write function using only printable characters, '\b', '\r', '\n',
 * ESC [ K and ESC [ n C / ESC [ n D, which every console renders alike.
 * Host-tested by tests/host/test_line_edit.c.
 */
#ifndef KERNEL_LINE_EDIT_H
#define KERNEL_LINE_EDIT_H

#include "kernel/monitor.h"
#include "kernel/types.h"

#define LINE_EDIT_MAX		MONITOR_LINE_MAX	/* a line, NUL included */
#define LINE_EDIT_HISTORY	16			/* lines Up can recall */
#define LINE_EDIT_SEQ_MAX	8			/* parameter bytes of a key's CSI */

struct line_edit {
	const char *prompt;
	void (*write)(void *ctx, const char *s, size_t n);
	void *ctx;

	char line[LINE_EDIT_MAX];	/* the line so far, NUL-terminated */
	unsigned int len, pos;		/* its length; the cursor, 0..len */

	char history[LINE_EDIT_HISTORY][LINE_EDIT_MAX];	/* oldest first */
	unsigned int nr_history;
	int browse;			/* the entry shown, or -1: the new line */
	char saved[LINE_EDIT_MAX];	/* the new line while browsing */

	/* A key's escape sequence in progress. */
	enum { LE_ESC_NONE, LE_ESC, LE_CSI, LE_SS3 } esc;
	char seq[LINE_EDIT_SEQ_MAX + 1];
	unsigned int seq_len;
	bool after_cr;			/* the last byte was '\r' (a '\n' may follow) */
};

/* line_edit_feed's results. */
#define LINE_EDIT_MORE	0	/* the line goes on */
#define LINE_EDIT_DONE	1	/* Enter: le->line holds the line */

/*
 * line_edit_init - an editor with an empty history, writing its echo
 * and prompt with write(ctx, bytes, n).
 */
void line_edit_init(struct line_edit *le, const char *prompt,
		    void (*write)(void *ctx, const char *s, size_t n), void *ctx);

/* line_edit_start - an empty line; writes the prompt. */
void line_edit_start(struct line_edit *le);

/*
 * line_edit_feed - one byte of input: edits the line and echoes. Returns
 * LINE_EDIT_DONE when Enter ended the line (then le->line is the line,
 * already in the history unless empty or the same as the newest entry),
 * else LINE_EDIT_MORE.
 */
int line_edit_feed(struct line_edit *le, unsigned char c);

#endif /* KERNEL_LINE_EDIT_H */
