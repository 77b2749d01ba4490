/* SPDX-License-Identifier: MIT */
/*
 * Host tests of the framebuffer console's core (drivers/video/fbcon.c)
 * on framebuffers in memory: the stream's rules (docs/console.md "The
 * screen": pending wrap, TAB, BS, CSI K/J/H/A-D, SGR, scrolling, blanks in
 * the default colours), the picture checked pixel by pixel against the
 * font table and the palette written out here, every pixel format against
 * 32 bpp, the geometries from 640x480 to 3840x2160 with their black
 * margins, the cursor, and that a flush draws only what changed.
 */
#include <stdlib.h>
#include "hosttest.h"
#include "video/fbcon.h"

/* The Linux/VGA console palette, as the specification lists it. */
static const uint32_t want_rgb[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500, 0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55, 0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

enum fmt { BGRX32, RGBX32, MASK24, MASK16 };

struct screen {
	struct fbcon vc;
	struct fb_info fb;
	uint8_t *mem;
	void *buf;
};

static void screen_open(struct screen *s, uint32_t w, uint32_t h, enum fmt f)
{
	static const struct fb_bitfield field[][3] = {
		[BGRX32] = { { 16, 8 }, { 8, 8 }, { 0, 8 } },
		[RGBX32] = { { 0, 8 }, { 8, 8 }, { 16, 8 } },
		[MASK24] = { { 16, 8 }, { 8, 8 }, { 0, 8 } },
		[MASK16] = { { 11, 5 }, { 5, 6 }, { 0, 5 } },
	};
	static const uint32_t bpp[] = { 32, 32, 24, 16 };
	const struct font_desc *font;

	memset(s, 0, sizeof(*s));
	s->fb.width = w;
	s->fb.height = h;
	s->fb.bpp = bpp[f];
	/* A pitch wider than the line, as GOP modes may have. */
	s->fb.pitch = (w * bpp[f] / 8 + 64 + 3) & ~3u;
	s->fb.red = field[f][0];
	s->fb.green = field[f][1];
	s->fb.blue = field[f][2];
	s->mem = malloc((size_t)s->fb.pitch * h);
	memset(s->mem, 0x5a, (size_t)s->fb.pitch * h);	/* the firmware's logo */
	s->fb.screen_base = s->mem;
	font = fbcon_font_for(w);
	s->buf = malloc(fbcon_buffer_size(&s->fb, font));
	fbcon_init(&s->vc, &s->fb, font, s->buf);
}

static void screen_close(struct screen *s)
{
	free(s->mem);
	free(s->buf);
}

static void put(struct screen *s, const char *str)
{
	fbcon_write(&s->vc, str, strlen(str));
}

/* The text of a shadow row, trailing blanks dropped. */
static const char *row_text(struct screen *s, unsigned int row)
{
	static char line[512];
	unsigned int n = 0;

	for (unsigned int c = 0; c < s->vc.cols; c++)
		line[c] = (char)FBCON_CELL_CH(fbcon_cell(&s->vc, row, c));
	for (unsigned int c = 0; c < s->vc.cols; c++)
		if (line[c] != ' ')
			n = c + 1;
	line[n] = 0;
	return line;
}

static uint16_t cell(struct screen *s, unsigned int row, unsigned int col)
{
	return fbcon_cell(&s->vc, row, col);
}

/* An RGB colour cut to the framebuffer's channel widths and widened back
 * to 8 bits by repeating the bits: what a 32 bpp reading of it gives. */
static uint32_t cut_and_widen(const struct fb_info *fb, uint32_t rgb)
{
	const struct fb_bitfield *f[3] = { &fb->red, &fb->green, &fb->blue };
	uint32_t out = 0;

	for (int i = 0; i < 3; i++) {
		uint32_t v = rgb >> (16 - 8 * i) & 0xff, n = f[i]->length;
		uint32_t cut = v >> (8 - n), w = 0;

		for (int shift = 8 - (int)n; shift > -(int)n; shift -= n)
			w |= shift >= 0 ? cut << shift : cut >> -shift;
		out |= (w & 0xff) << (16 - 8 * i);
	}
	return out;
}

/* The pixel an RGB colour becomes in this framebuffer, computed here. */
static uint32_t pixel_of(const struct fb_info *fb, uint32_t rgb)
{
	uint32_t r = rgb >> 16 & 0xff, g = rgb >> 8 & 0xff, b = rgb & 0xff;

	return (r >> (8 - fb->red.length)) << fb->red.offset |
	       (g >> (8 - fb->green.length)) << fb->green.offset |
	       (b >> (8 - fb->blue.length)) << fb->blue.offset;
}

static uint32_t read_px(const struct fb_info *fb, uint32_t x, uint32_t y)
{
	const uint8_t *p = fb->screen_base + (size_t)y * fb->pitch + x * (fb->bpp / 8);
	uint32_t v = 0;

	for (unsigned int i = 0; i < fb->bpp / 8; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

/*
 * The whole picture against the shadow: each cell its glyph from the font
 * table in the cell's colours, the cursor's bottom rows in the cell's
 * foreground at (x, y), and black to the right of and below the grid.
 * Returns the number of wrong pixels (the first few printed).
 */
static unsigned long picture_errors(struct screen *s)
{
	const struct fbcon *vc = &s->vc;
	const struct font_desc *f = vc->font;
	unsigned int cursor_lines = f->height / 8 ? f->height / 8 : 1;
	unsigned long bad = 0;

	for (uint32_t y = 0; y < s->fb.height; y++) {
		for (uint32_t x = 0; x < s->fb.width; x++) {
			unsigned int col = x / f->width, row = y / f->height;
			unsigned int gx = x % f->width, gy = y % f->height;
			uint32_t want = 0;

			if (col < vc->cols && row < vc->rows) {
				uint16_t c = fbcon_cell(vc, row, col);
				const uint8_t *g = f->data + FBCON_CELL_CH(c) * f->charsize;
				unsigned int bytes = (f->width + 7) / 8;
				bool on = g[gy * bytes + gx / 8] & (0x80 >> (gx % 8));

				if (row == vc->y && col == vc->x &&
				    gy >= f->height - cursor_lines)
					on = true;
				want = pixel_of(&s->fb, want_rgb[on ? FBCON_CELL_FG(c) :
								  FBCON_CELL_BG(c)]);
			}
			if (read_px(&s->fb, x, y) != want && bad++ < 4)
				printf("    pixel (%u,%u) = %06x, want %06x\n", x, y,
				       read_px(&s->fb, x, y), want);
		}
	}
	return bad;
}

/* ------------------------------------------------------------ the stream */

static void test_init_paints_black_and_cursor_at_origin(void)
{
	struct screen s;

	screen_open(&s, 640, 480, BGRX32);
	CHECK_EQ(s.vc.cols, 80);
	CHECK_EQ(s.vc.rows, 30);
	CHECK_EQ(s.vc.x, 0);
	CHECK_EQ(s.vc.y, 0);
	/* Every byte of every scan line, the pitch's padding too. */
	for (size_t i = 0; i < (size_t)s.fb.pitch * s.fb.height; i++)
		if (s.mem[i]) {
			CHECK_EQ(s.mem[i], 0);
			break;
		}
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	/* The cursor: the bottom 2 pixel rows of cell (0,0) in grey. */
	CHECK_EQ(read_px(&s.fb, 0, 14), 0xaaaaaa);
	CHECK_EQ(read_px(&s.fb, 7, 15), 0xaaaaaa);
	CHECK_EQ(read_px(&s.fb, 0, 13), 0);
	CHECK_EQ(read_px(&s.fb, 8, 15), 0);
	screen_close(&s);
}

static void test_wrap_is_pending_after_the_last_column(void)
{
	struct screen s;
	char line[81];

	screen_open(&s, 640, 480, BGRX32);
	memset(line, 'a', 80);
	line[80] = 0;
	put(&s, line);
	CHECK_EQ(s.vc.y, 0);
	CHECK_EQ(s.vc.x, 79);		/* held at the last column */
	CHECK(s.vc.wrap_pending);
	put(&s, "\n");			/* exactly COLS, then LF: one row */
	CHECK_EQ(s.vc.y, 1);
	CHECK_EQ(s.vc.x, 0);
	CHECK(!s.vc.wrap_pending);
	memset(line, 'b', 80);
	put(&s, line);
	put(&s, "c");			/* the next printable wraps first */
	CHECK_STR(row_text(&s, 2), "c");
	CHECK_EQ(s.vc.y, 2);
	CHECK_EQ(s.vc.x, 1);
	/* CR clears the pending wrap: the character overwrites column 0. */
	put(&s, "\r");
	memset(line, 'd', 80);
	put(&s, line);
	put(&s, "\rX");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 2, 0)), 'X');
	CHECK_EQ(s.vc.y, 2);
	/* A CSI sequence clears it too. */
	put(&s, "\r");
	put(&s, line);
	put(&s, "\033[mY");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 2, 79)), 'Y');
	CHECK_EQ(s.vc.y, 2);
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	screen_close(&s);
}

static void test_tab_backspace_cr(void)
{
	struct screen s;
	char line[81];

	screen_open(&s, 640, 480, BGRX32);
	put(&s, "\tX");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 8)), 'X');
	put(&s, "abcdefg\tY");		/* from column 16 to 24 */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 24)), 'Y');
	put(&s, "\033[1;75H\t\tZ");	/* at most the last column */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 79)), 'Z');
	CHECK(s.vc.wrap_pending);
	put(&s, "\t");			/* TAB clears a pending wrap */
	CHECK(!s.vc.wrap_pending);
	CHECK_EQ(s.vc.x, 79);
	CHECK_EQ(s.vc.y, 0);

	put(&s, "\r\nab\bQ");		/* BS moves, never erases */
	CHECK_STR(row_text(&s, 1), "aQ");
	put(&s, "\r\b\b!");		/* not past column 0 */
	CHECK_STR(row_text(&s, 1), "!Q");
	memset(line, 'w', 80);
	line[80] = 0;
	put(&s, "\r\n");
	put(&s, line);
	put(&s, "\bV");			/* from the pending wrap: column 78 */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 2, 78)), 'V');
	CHECK_EQ(s.vc.y, 2);
	put(&s, "\rR");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 2, 0)), 'R');
	screen_close(&s);
}

static void test_erase_in_line_and_display(void)
{
	struct screen s;
	char line[81];

	screen_open(&s, 640, 480, BGRX32);
	memset(line, '#', 80);
	line[80] = 0;
	for (int i = 0; i < 5; i++) {
		put(&s, line);
		put(&s, "\r\n");
	}
	/* Blanks take the default colours whatever SGR says. */
	put(&s, "\033[41;7;1m");
	put(&s, "\033[1;11H\033[K");		/* row 0 from column 10 */
	CHECK_EQ(strlen(row_text(&s, 0)), 10);
	CHECK_EQ(cell(&s, 0, 10), FBCON_BLANK);
	CHECK_EQ(cell(&s, 0, 79), FBCON_BLANK);
	put(&s, "\033[2;11H\033[1K");		/* row 1 up to column 10 */
	CHECK_EQ(cell(&s, 1, 10), FBCON_BLANK);
	CHECK_EQ(cell(&s, 1, 0), FBCON_BLANK);
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 1, 11)), '#');
	put(&s, "\033[3;11H\033[2K");		/* all of row 2 */
	CHECK_STR(row_text(&s, 2), "");
	CHECK_EQ(s.vc.x, 10);			/* the cursor does not move */
	CHECK_EQ(s.vc.y, 2);
	put(&s, "\033[4;41H\033[0J");		/* from (3,40) to the end */
	CHECK_EQ(strlen(row_text(&s, 3)), 40);
	CHECK_STR(row_text(&s, 4), "");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 9)), '#');
	put(&s, "\033[4;5H\033[1J");		/* from the start to (3,4) */
	CHECK_STR(row_text(&s, 0), "");
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 1, 79)), ' ');
	CHECK_EQ(cell(&s, 3, 4), FBCON_BLANK);
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 3, 5)), '#');
	put(&s, "\033[2J");
	for (unsigned int r = 0; r < s.vc.rows; r++)
		for (unsigned int c = 0; c < s.vc.cols; c++)
			if (cell(&s, r, c) != FBCON_BLANK)
				CHECK_EQ(cell(&s, r, c), FBCON_BLANK);
	CHECK_EQ(s.vc.x, 4);
	CHECK_EQ(s.vc.y, 3);
	put(&s, "\033[5K\033[3J");		/* other values: ignored */
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	screen_close(&s);
}

static void test_cursor_moves_stop_at_the_edges(void)
{
	struct screen s;

	screen_open(&s, 640, 480, BGRX32);
	put(&s, "\033[5;7H");
	CHECK_EQ(s.vc.y, 4);
	CHECK_EQ(s.vc.x, 6);
	put(&s, "\033[H");
	CHECK_EQ(s.vc.y, 0);
	CHECK_EQ(s.vc.x, 0);
	put(&s, "\033[99;999f");		/* clamped */
	CHECK_EQ(s.vc.y, 29);
	CHECK_EQ(s.vc.x, 79);
	put(&s, "\033[0;0H");			/* 0 counts as 1 */
	CHECK_EQ(s.vc.y, 0);
	CHECK_EQ(s.vc.x, 0);
	put(&s, "\033[;5H");			/* an empty row takes its default */
	CHECK_EQ(s.vc.y, 0);
	CHECK_EQ(s.vc.x, 4);
	put(&s, "\033[B\033[0B\033[3B");		/* 1, 1 and 3 down */
	CHECK_EQ(s.vc.y, 5);
	put(&s, "\033[200B");			/* stops at the bottom, no scroll */
	CHECK_EQ(s.vc.y, 29);
	CHECK_EQ(s.vc.scrolls, 0);
	put(&s, "\033[7A");
	CHECK_EQ(s.vc.y, 22);
	put(&s, "\033[99A");
	CHECK_EQ(s.vc.y, 0);
	put(&s, "\033[C\033[10C");
	CHECK_EQ(s.vc.x, 15);
	put(&s, "\033[999C");
	CHECK_EQ(s.vc.x, 79);
	put(&s, "\033[D\033[0D");
	CHECK_EQ(s.vc.x, 77);
	put(&s, "\033[99999D");			/* a huge count */
	CHECK_EQ(s.vc.x, 0);
	screen_close(&s);
}

static void test_sgr_colours(void)
{
	struct screen s;

	screen_open(&s, 640, 480, BGRX32);
	put(&s, "a\033[31mb\033[1mc\033[22md\033[7me\033[27m\033[42mf\033[39;49mg");
	CHECK_EQ(cell(&s, 0, 0), FBCON_CELL('a', 7, 0));
	CHECK_EQ(cell(&s, 0, 1), FBCON_CELL('b', 1, 0));
	CHECK_EQ(cell(&s, 0, 2), FBCON_CELL('c', 9, 0));	/* bold: bright */
	CHECK_EQ(cell(&s, 0, 3), FBCON_CELL('d', 1, 0));
	CHECK_EQ(cell(&s, 0, 4), FBCON_CELL('e', 0, 1));	/* reverse */
	CHECK_EQ(cell(&s, 0, 5), FBCON_CELL('f', 1, 2));
	CHECK_EQ(cell(&s, 0, 6), FBCON_CELL('g', 7, 0));
	put(&s, "\033[93;104mh\033[1;94mi\033[0mj\033[1;7;36;45mk\033[mL");
	CHECK_EQ(cell(&s, 0, 7), FBCON_CELL('h', 11, 12));
	CHECK_EQ(cell(&s, 0, 8), FBCON_CELL('i', 12, 12));	/* bold bright stays */
	CHECK_EQ(cell(&s, 0, 9), FBCON_CELL('j', 7, 0));
	CHECK_EQ(cell(&s, 0, 10), FBCON_CELL('k', 5, 14));	/* bold, then reverse */
	CHECK_EQ(cell(&s, 0, 11), FBCON_CELL('L', 7, 0));	/* ESC [ m resets */
	put(&s, "\033[31m\033[;1mM");			/* empty = 0: reset, then bold */
	CHECK_EQ(cell(&s, 0, 12), FBCON_CELL('M', 15, 0));
	put(&s, "\033[0;38;5;2;99;108mN");		/* unknown values: ignored */
	CHECK_EQ(cell(&s, 0, 13), FBCON_CELL('N', 7, 0));
	/* Only 8 parameters count: the 9th (31) is ignored. */
	put(&s, "\033[0;2;2;2;2;2;2;2;31mO");
	CHECK_EQ(cell(&s, 0, 14), FBCON_CELL('O', 7, 0));
	put(&s, "\033[0;0;0;0;0;0;0;32mP\033[0m");
	CHECK_EQ(cell(&s, 0, 15), FBCON_CELL('P', 2, 0));
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	screen_close(&s);
}

static void test_escape_parser(void)
{
	struct screen s;

	screen_open(&s, 640, 480, BGRX32);
	put(&s, "\033Xa\033\033b");		/* ESC + not '[': both ignored */
	CHECK_STR(row_text(&s, 0), "ab");
	put(&s, "\033[3\r1mc");			/* a C0 control inside is carried out */
	CHECK_EQ(cell(&s, 0, 0), FBCON_CELL('c', 1, 0));
	put(&s, "\033[0m\033[3\033[32md");	/* ESC inside starts over */
	CHECK_EQ(cell(&s, 0, 1), FBCON_CELL('d', 2, 0));
	put(&s, "\033[0m\033[?25l\033[1 qe");	/* '?' and intermediates: ignored */
	CHECK_EQ(cell(&s, 0, 2), FBCON_CELL('e', 7, 0));
	put(&s, "\033[5Zf");			/* unknown final: ignored */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 3)), 'f');
	put(&s, "\x7f\x80\x9b\x1a\x07g");	/* DEL, C1, other C0: ignored */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 4)), 'g');
	put(&s, "\xa0\xe9\xff");		/* Latin-1 is printable */
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 6)), 0xe9);
	CHECK_EQ(FBCON_CELL_CH(cell(&s, 0, 7)), 0xff);
	put(&s, "\033[3");			/* a sequence cut by a fault */
	fbcon_recover(&s.vc);
	put(&s, "1mh");				/* plain text again */
	CHECK_STR(row_text(&s, 0), "cdefg\xa0\xe9\xff" "1mh");
	screen_close(&s);
}

static void test_scrolling_blanks_the_new_row(void)
{
	struct screen s;
	char line[32];

	screen_open(&s, 640, 480, BGRX32);
	put(&s, "\033[44m");			/* a blue background in force */
	for (int i = 0; i < 35; i++) {
		snprintf(line, sizeof(line), "line %d\n", i);
		put(&s, line);
	}
	/* 35 lines and the cursor's row: 6 scrolled away. */
	CHECK_EQ(s.vc.scrolls, 6);
	CHECK_STR(row_text(&s, 0), "line 6");
	CHECK_STR(row_text(&s, 28), "line 34");
	CHECK_STR(row_text(&s, 29), "");
	CHECK_EQ(cell(&s, 29, 0), FBCON_BLANK);
	CHECK_EQ(cell(&s, 28, 0), FBCON_CELL('l', 7, 4));
	CHECK_EQ(cell(&s, 28, 10), FBCON_BLANK);
	CHECK_EQ(s.vc.y, 29);
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	screen_close(&s);
}

/* ------------------------------------------------------------ the picture */

/* A screenful of every colour pair and character, for the pixel tests. */
static void paint_sample(struct screen *s)
{
	char seq[32];
	unsigned int i = 0;

	for (unsigned int r = 0; r + 1 < s->vc.rows; r++) {
		snprintf(seq, sizeof(seq), "\033[%u;1H", r + 1);
		put(s, seq);
		for (unsigned int c = 0; c < s->vc.cols; c++, i++) {
			unsigned char ch = 0x20 + i % 95;

			if (i % 7 == 3)
				ch = 0xa0 + i % 96;
			snprintf(seq, sizeof(seq), "\033[0;%u;%u%sm%c", 30 + i % 8,
				 (i / 8) % 2 ? 40 + (i / 16) % 8 : 100 + (i / 16) % 8,
				 i % 5 == 0 ? ";1" : i % 11 == 0 ? ";7" : "", ch);
			put(s, seq);
		}
	}
	put(s, "\033[0m\033[1;1H");
}

static void test_every_format_agrees_with_32bpp(void)
{
	static const enum fmt fmts[] = { RGBX32, MASK24, MASK16 };
	struct screen ref, s;

	screen_open(&ref, 800, 600, BGRX32);
	paint_sample(&ref);
	fbcon_flush(&ref.vc);
	CHECK_EQ(picture_errors(&ref), 0);
	for (unsigned int k = 0; k < 3; k++) {
		unsigned long bad = 0;

		screen_open(&s, 800, 600, fmts[k]);
		paint_sample(&s);
		fbcon_flush(&s.vc);
		CHECK_EQ(picture_errors(&s), 0);
		/* Each pixel, widened back to RGB, is the 32 bpp pixel with
		 * each channel cut to the format's width. */
		for (uint32_t y = 0; y < 600; y++)
			for (uint32_t x = 0; x < 800; x++) {
				uint32_t want = read_px(&ref.fb, x, y);
				uint32_t got = fb_rgb_of_pixel(&s.fb, read_px(&s.fb, x, y));

				if (got != cut_and_widen(&s.fb, want) && bad++ < 4)
					printf("    %u bpp: (%u,%u) reads %06x, want %06x\n",
					       s.fb.bpp, x, y, got, cut_and_widen(&s.fb, want));
			}
		CHECK_EQ(bad, 0);
		screen_close(&s);
	}
	screen_close(&ref);
}

static void test_geometry_fonts_and_margins(void)
{
	static const struct {
		uint32_t w, h;
		unsigned int fw, fh, cols, rows;
	} g[] = {
		{ 640, 480, 8, 16, 80, 30 },
		{ 1280, 800, 8, 16, 160, 50 },
		{ 1366, 768, 8, 16, 170, 48 },		/* a 6 px strip right */
		{ 2560, 1600, 16, 32, 160, 50 },
		{ 3840, 2160, 16, 32, 240, 67 },	/* a 16 px strip below */
	};
	struct screen s;

	for (unsigned int i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
		screen_open(&s, g[i].w, g[i].h, BGRX32);
		CHECK_EQ(s.vc.font->width, g[i].fw);
		CHECK_EQ(s.vc.font->height, g[i].fh);
		CHECK_EQ(s.vc.cols, g[i].cols);
		CHECK_EQ(s.vc.rows, g[i].rows);
		/* Reverse video everywhere: the margins must stay black. */
		put(&s, "\033[7m");
		for (unsigned int n = 0; n < s.vc.cols * s.vc.rows + 3; n++)
			put(&s, "#");
		fbcon_flush(&s.vc);
		CHECK_EQ(picture_errors(&s), 0);
		screen_close(&s);
	}
}

static void test_cursor_rows_and_colour(void)
{
	struct screen s;
	uint32_t red;

	screen_open(&s, 2560, 1600, BGRX32);		/* 16x32: 4 rows */
	put(&s, "\033[31;47mab\033[0m");
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	/* On the blank cell (0,2): grey, pixel rows 28-31. */
	CHECK_EQ(read_px(&s.fb, 32, 28), 0xaaaaaa);
	CHECK_EQ(read_px(&s.fb, 47, 31), 0xaaaaaa);
	CHECK_EQ(read_px(&s.fb, 32, 27), 0);
	/* Back onto 'b': its drawn foreground, red. */
	put(&s, "\b");
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	red = 0xaa0000;
	CHECK_EQ(read_px(&s.fb, 16, 31), red);
	CHECK_EQ(read_px(&s.fb, 32, 31), 0);		/* gone from (0,2) */
	screen_close(&s);

	screen_open(&s, 640, 480, BGRX32);		/* at the pending wrap */
	for (int i = 0; i < 80; i++)
		put(&s, "\033[32mx");
	fbcon_flush(&s.vc);
	CHECK_EQ(picture_errors(&s), 0);
	CHECK_EQ(read_px(&s.fb, 79 * 8, 15), 0x00aa00);
	screen_close(&s);
}

static void test_flush_draws_only_what_changed(void)
{
	struct screen s;
	unsigned long before;

	screen_open(&s, 640, 480, BGRX32);
	fbcon_flush(&s.vc);
	CHECK_EQ(s.vc.cells_drawn, 1);			/* the cursor */
	before = s.vc.cells_drawn;
	fbcon_flush(&s.vc);
	CHECK_EQ(s.vc.cells_drawn, before);		/* nothing changed */
	put(&s, "hello");
	CHECK(fbcon_dirty(&s.vc));
	fbcon_flush(&s.vc);
	/* Five characters (the cursor left 'h') and the cursor's new cell. */
	CHECK_EQ(s.vc.cells_drawn - before, 6);
	CHECK(!fbcon_dirty(&s.vc));
	before = s.vc.cells_drawn;
	put(&s, "\rhellO");				/* one cell differs */
	fbcon_flush(&s.vc);
	CHECK_EQ(s.vc.cells_drawn - before, 1);
	/* A scroll redraws the cells whose content changed, not the blanks
	 * that stay blanks. */
	put(&s, "\033[30;1Hx");
	fbcon_flush(&s.vc);
	before = s.vc.cells_drawn;
	put(&s, "\n");
	fbcon_flush(&s.vc);
	/* "hellO" leaves row 0 (5 cells), 'x' moves from row 29 to 28 (2),
	 * the cursor leaves (29,1) for (29,0) (1 more). */
	CHECK_EQ(s.vc.cells_drawn - before, 8);
	CHECK_EQ(picture_errors(&s), 0);
	/* After a fault: every cell from the shadow. */
	fbcon_recover(&s.vc);
	before = s.vc.cells_drawn;
	fbcon_flush(&s.vc);
	CHECK_EQ(s.vc.cells_drawn - before, 80 * 30);
	screen_close(&s);
}

int main(void)
{
	RUN(test_init_paints_black_and_cursor_at_origin);
	RUN(test_wrap_is_pending_after_the_last_column);
	RUN(test_tab_backspace_cr);
	RUN(test_erase_in_line_and_display);
	RUN(test_cursor_moves_stop_at_the_edges);
	RUN(test_sgr_colours);
	RUN(test_escape_parser);
	RUN(test_scrolling_blanks_the_new_row);
	RUN(test_every_format_agrees_with_32bpp);
	RUN(test_geometry_fonts_and_margins);
	RUN(test_cursor_rows_and_colour);
	RUN(test_flush_draws_only_what_changed);
	return HT_DONE();
}
