/* SPDX-License-Identifier: MIT */
/*
 * Host tests of lib/line_edit.c: every key with the exact bytes it
 * echoes, the history (16 entries, no repeats of the newest, no empty
 * lines, the new line kept while browsing), the length limit, "\r\n" as
 * one Enter, keys that must do nothing; and random key runs replayed on
 * a model terminal of this file's own that knows only the bytes the
 * editor may use (printable characters, '\b', '\r', '\n', ESC [ K,
 * ESC [ n C, ESC [ n D), which after every key must show the prompt and
 * the line with the cursor where the editor says it is.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "kernel/line_edit.h"

#define PROMPT	"pae32> "

static struct line_edit le;
static char out[1 << 16];
static size_t out_len;

static void capture(void *ctx, const char *s, size_t n)
{
	CHECK(ctx == &le);
	CHECK(n > 0);
	if (out_len + n < sizeof(out)) {
		memcpy(out + out_len, s, n);
		out_len += n;
		out[out_len] = '\0';
	}
}

static void reset_out(void)
{
	out_len = 0;
	out[0] = '\0';
}

static void start(void)
{
	line_edit_init(&le, PROMPT, capture, &le);
	reset_out();
	line_edit_start(&le);
}

/* Feeds the bytes of s; the result of the last one. */
static int feed(const char *s)
{
	int r = LINE_EDIT_MORE;

	for (; *s; s++)
		r = line_edit_feed(&le, (unsigned char)*s);
	return r;
}

/* Feeds s and returns what it echoed. */
static const char *echo(const char *s)
{
	reset_out();
	feed(s);
	return out;
}

#define UP	"\033[A"
#define DOWN	"\033[B"
#define RIGHT	"\033[C"
#define LEFT	"\033[D"
#define HOME	"\033[H"
#define END	"\033[F"
#define DEL	"\033[3~"

static void test_prompt_typing_enter(void)
{
	start();
	CHECK_STR(out, PROMPT);
	CHECK_STR(echo("help"), "help");
	CHECK_EQ(le.len, 4);
	CHECK_EQ(le.pos, 4);
	reset_out();
	CHECK_EQ(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	CHECK_STR(out, "\n");
	CHECK_STR(le.line, "help");
	/* The next line starts with the prompt, empty. */
	reset_out();
	line_edit_start(&le);
	CHECK_STR(out, PROMPT);
	CHECK_EQ(le.len, 0);
	CHECK_STR(le.line, "");
}

static void test_cursor_moves_and_insert(void)
{
	start();
	feed("hlp");
	CHECK_STR(echo(LEFT), "\033[1D");
	CHECK_STR(echo(LEFT), "\033[1D");
	CHECK_EQ(le.pos, 1);
	CHECK_STR(echo("e"), "elp\033[2D");		/* the tail redrawn */
	CHECK_STR(le.line, "help");
	CHECK_STR(echo(RIGHT), "\033[1C");
	CHECK_STR(echo(RIGHT RIGHT), "\033[1C");	/* stops at the end */
	CHECK_EQ(le.pos, 4);
	CHECK_STR(echo(LEFT LEFT LEFT LEFT LEFT), "\033[1D\033[1D\033[1D\033[1D");
	CHECK_EQ(le.pos, 0);
	CHECK_STR(echo(END), "\033[4C");
	CHECK_STR(echo(END), "");
	CHECK_STR(echo(HOME), "\033[4D");
	CHECK_STR(echo(HOME), "");
	/* The other spellings of Home and End, and Ctrl-A / Ctrl-E. */
	CHECK_STR(echo("\x05"), "\033[4C");
	CHECK_STR(echo("\x01"), "\033[4D");
	CHECK_STR(echo("\033[4~"), "\033[4C");
	CHECK_STR(echo("\033[1~"), "\033[4D");
	CHECK_STR(echo("\033[8~"), "\033[4C");
	CHECK_STR(echo("\033[7~"), "\033[4D");
	CHECK_STR(echo("\033OF"), "\033[4C");
	CHECK_STR(echo("\033OH"), "\033[4D");
	CHECK_STR(echo("\033OC"), "\033[1C");
	CHECK_STR(echo("\033OD"), "\033[1D");
	/* Ctrl-Right as xterm sends it: a Right. */
	CHECK_STR(echo("\033[1;5C"), "\033[1C");
	CHECK_STR(echo("X"), "Xelp\033[3D");
	CHECK_STR(le.line, "hXelp");
}

static void test_backspace_and_delete(void)
{
	start();
	feed("helpp");
	CHECK_STR(echo("\x7f"), "\b\033[K");
	CHECK_STR(le.line, "help");
	CHECK_STR(echo("\b"), "\b\033[K");		/* 0x08 too */
	CHECK_STR(le.line, "hel");
	feed(LEFT LEFT);
	CHECK_STR(echo("\x7f"), "\bel\033[K\033[2D");	/* in the middle */
	CHECK_STR(le.line, "el");
	CHECK_EQ(le.pos, 0);
	CHECK_STR(echo("\x7f"), "");			/* at the start: nothing */
	CHECK_STR(echo(DEL), "l\033[K\033[1D");
	CHECK_STR(le.line, "l");
	CHECK_STR(echo(DEL), "\033[K");
	CHECK_STR(le.line, "");
	CHECK_STR(echo(DEL), "");			/* at the end: nothing */
	CHECK_EQ(le.len, 0);
}

static void test_ctrl_u_and_ctrl_c(void)
{
	start();
	feed("walk 0xc1000000" LEFT LEFT);
	CHECK_STR(echo("\x15"), "\033[13D\033[K");
	CHECK_STR(le.line, "");
	CHECK_EQ(le.pos, 0);
	CHECK_STR(echo("\x15"), "");			/* empty: nothing */
	CHECK_STR(echo("ab"), "ab");

	feed(LEFT);
	CHECK_STR(echo("\x03"), "\033[1C^C\n" PROMPT);
	CHECK_STR(le.line, "");
	CHECK_EQ(le.len, 0);
	CHECK_STR(echo("x\r"), "x\n");
	CHECK_STR(le.line, "x");
	/* A line ended by Ctrl-C is not in the history. */
	CHECK_EQ(le.nr_history, 1);
	CHECK_STR(le.history[0], "x");
}

static void enter_line(const char *s)
{
	line_edit_start(&le);
	CHECK_EQ(feed(s), LINE_EDIT_MORE);
	CHECK_EQ(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	CHECK_STR(le.line, s);
}

static void test_history(void)
{
	start();
	CHECK_STR(echo(UP), "");			/* nothing to recall */
	CHECK_STR(echo(DOWN), "");
	enter_line("help");
	enter_line("");					/* not kept */
	enter_line("walk 0x0");
	enter_line("walk 0x0");				/* a repeat: not kept */
	enter_line("help");				/* not a repeat of the newest */
	CHECK_EQ(le.nr_history, 3);

	line_edit_start(&le);
	feed("pk");					/* the new line, put aside */
	CHECK_STR(echo(UP), "\033[2Dhelp\033[K");
	CHECK_STR(echo(UP), "\033[4Dwalk 0x0\033[K");
	CHECK_STR(echo(UP), "\033[8Dhelp\033[K");
	CHECK_STR(echo(UP), "");			/* the oldest: stays */
	CHECK_STR(echo(DOWN), "\033[4Dwalk 0x0\033[K");
	CHECK_STR(echo(DOWN), "\033[8Dhelp\033[K");
	CHECK_STR(echo(DOWN), "\033[4Dpk\033[K");	/* back to the new line */
	CHECK_STR(echo(DOWN), "");
	CHECK_STR(le.line, "pk");

	/* A recalled line is edited and entered as a new one; the entry it
	 * came from stays as it was. */
	feed(UP UP "\x7f" "1\r");
	CHECK_STR(le.line, "walk 0x1");
	CHECK_EQ(le.nr_history, 4);
	CHECK_STR(le.history[1], "walk 0x0");
	CHECK_STR(le.history[3], "walk 0x1");

	/* Sixteen kept: the oldest goes first. */
	start();
	for (int i = 0; i < 20; i++) {
		char l[8];

		snprintf(l, sizeof(l), "c%d", i);
		enter_line(l);
	}
	CHECK_EQ(le.nr_history, LINE_EDIT_HISTORY);
	CHECK_STR(le.history[0], "c4");
	CHECK_STR(le.history[15], "c19");
	line_edit_start(&le);
	for (int i = 0; i < 20; i++)
		feed(UP);
	CHECK_STR(le.line, "c4");
}

static void test_length_limit(void)
{
	char want[LINE_EDIT_MAX];

	start();
	for (int i = 0; i < LINE_EDIT_MAX - 1; i++) {
		want[i] = (char)('a' + i % 26);
		line_edit_feed(&le, (unsigned char)want[i]);
	}
	want[LINE_EDIT_MAX - 1] = '\0';
	CHECK_EQ(le.len, LINE_EDIT_MAX - 1);
	CHECK_STR(echo("xyz"), "");			/* full: keys ignored */
	CHECK_STR(echo(HOME "x"), "\033[255D");		/* in the middle too */
	CHECK_EQ(line_edit_feed(&le, '\r'), LINE_EDIT_DONE);
	CHECK_STR(le.line, want);
	CHECK_EQ(strlen(le.line), MONITOR_LINE_MAX - 1);
}

static void test_line_ends(void)
{
	start();
	CHECK_EQ(feed("a\r"), LINE_EDIT_DONE);
	line_edit_start(&le);
	CHECK_EQ(line_edit_feed(&le, '\n'), LINE_EDIT_MORE);	/* of "\r\n" */
	CHECK_EQ(feed("b\n"), LINE_EDIT_DONE);		/* '\n' alone: Enter */
	CHECK_STR(le.line, "b");
	line_edit_start(&le);
	CHECK_EQ(feed("\n"), LINE_EDIT_DONE);		/* after '\n', '\n' is Enter */
	CHECK_STR(le.line, "");
	line_edit_start(&le);
	CHECK_EQ(feed("\r"), LINE_EDIT_DONE);
	line_edit_start(&le);
	CHECK_EQ(feed("\r"), LINE_EDIT_DONE);		/* "\r\r": two lines */
}

static void test_keys_that_do_nothing(void)
{
	static const char *const nothing[] = {
		"\033[2~", "\033[5~", "\033[6~", "\033[15~", "\033[Z",
		"\033OP", "\033x", "\t", "\x02", "\x04", "\x06", "\x07",
		"\x0b", "\x0c", "\x0e", "\x1a", "\x1c", "\x1f",
		"\x80", "\x9b", "\xa0", "\xe9", "\xff",
		"\033[123456789012345~",		/* a long parameter */
	};

	start();
	feed("ab" LEFT);
	for (size_t i = 0; i < sizeof(nothing) / sizeof(nothing[0]); i++) {
		CHECK_STR(echo(nothing[i]), "");
		CHECK_STR(le.line, "ab");
		CHECK_EQ(le.pos, 1);
	}
	/* A control byte ends a sequence and acts; ESC ESC [ C is a Right. */
	CHECK_STR(echo("\033[\b"), "\bb\033[K\033[1D");
	CHECK_STR(le.line, "b");
	CHECK_STR(echo("\033\033[C"), "\033[1C");
	CHECK_EQ(feed("\033\r"), LINE_EDIT_DONE);
	CHECK_STR(le.line, "b");
}

/* ------------------------------------------------------------ the model */

#define MODEL_COLS	512
#define MODEL_ROWS	4096

static char screen[MODEL_ROWS][MODEL_COLS + 1];
static int row, col;
static int bad_bytes;

static void model_reset(void)
{
	memset(screen, ' ', sizeof(screen));
	for (int r = 0; r < MODEL_ROWS; r++)
		screen[r][MODEL_COLS] = '\0';
	row = col = 0;
	bad_bytes = 0;
}

/* Applies out[] to the model; anything the editor may not send counts. */
static void model_apply(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c >= 0x20 && c < 0x7f) {
			if (col < MODEL_COLS)
				screen[row][col++] = (char)c;
		} else if (c == '\b') {
			if (col)
				col--;
		} else if (c == '\r') {
			col = 0;
		} else if (c == '\n') {
			if (row < MODEL_ROWS - 1)
				row++;
			col = 0;
		} else if (c == 0x1b && i + 1 < n && s[i + 1] == '[') {
			unsigned int v = 0;
			bool digits = false;

			for (i += 2; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
				v = v * 10 + (s[i] - '0');
				digits = true;
			}
			if (i == n) {
				bad_bytes++;
			} else if (s[i] == 'K' && !digits) {
				memset(&screen[row][col], ' ', MODEL_COLS - col);
			} else if (s[i] == 'C' && digits && v) {
				col = col + (int)v < MODEL_COLS ? col + (int)v : MODEL_COLS - 1;
			} else if (s[i] == 'D' && digits && v) {
				col = col > (int)v ? col - (int)v : 0;
			} else {
				bad_bytes++;
			}
		} else {
			bad_bytes++;
		}
	}
}

/* A row of the model, trailing blanks cut. */
static const char *model_row_at(int r)
{
	static char text[MODEL_COLS + 1];
	int end = MODEL_COLS;

	memcpy(text, screen[r], MODEL_COLS + 1);
	while (end && text[end - 1] == ' ')
		end--;
	text[end] = '\0';
	return text;
}

static const char *model_row(void)
{
	return model_row_at(row);
}

/* What the row should show: the prompt and the line, trailing blanks cut. */
static const char *want_row(void)
{
	static char text[MODEL_COLS + 16];
	size_t end;

	snprintf(text, sizeof(text), PROMPT "%s", le.line);
	for (end = strlen(text); end && text[end - 1] == ' '; end--)
		;
	text[end] = '\0';
	return text;
}

static unsigned int rng = 12345;

static unsigned int rnd(unsigned int n)
{
	rng = rng * 1103515245u + 12345u;
	return (rng >> 16) % n;
}

static void test_model_random_keys(void)
{
	static const char *const keys[] = {
		"a", "b", "z", " ", "0", "~", "\x7f", "\b", DEL, LEFT, RIGHT,
		HOME, END, "\x01", "\x05", UP, DOWN, "\x15", "\x03", "\r",
		"\033[2~", "\t", "\x99",
	};
	int lines = 0;

	start();
	model_reset();
	model_apply(out, out_len);
	for (int step = 0; step < 20000; step++) {
		const char *k = keys[rnd(sizeof(keys) / sizeof(keys[0]))];
		int r;

		/* Mostly characters, so lines grow long enough to matter. */
		if (rnd(3))
			k = keys[rnd(4)];
		reset_out();
		r = feed(k);
		model_apply(out, out_len);
		if (r == LINE_EDIT_DONE) {
			lines++;
			/* The entered line stays on the row above. */
			CHECK_STR(model_row_at(row - 1), want_row());
			reset_out();
			line_edit_start(&le);
			model_apply(out, out_len);
		}
		if (strcmp(model_row(), want_row()) != 0 ||
		    col != (int)(strlen(PROMPT) + le.pos) || bad_bytes) {
			printf("    step %d key %02x: screen \"%s\" col %d, want \"%s\" col %zu, %d bad bytes\n",
			       step, (unsigned char)k[0], model_row(), col, want_row(),
			       strlen(PROMPT) + le.pos, bad_bytes);
			ht_failures_in_test++;
			return;
		}
		CHECK_EQ(le.len, strlen(le.line));
		CHECK(le.pos <= le.len);
	}
	CHECK(lines > 100);
}

int main(void)
{
	RUN(test_prompt_typing_enter);
	RUN(test_cursor_moves_and_insert);
	RUN(test_backspace_and_delete);
	RUN(test_ctrl_u_and_ctrl_c);
	RUN(test_history);
	RUN(test_length_limit);
	RUN(test_line_ends);
	RUN(test_keys_that_do_nothing);
	RUN(test_model_random_keys);
	return HT_DONE();
}
