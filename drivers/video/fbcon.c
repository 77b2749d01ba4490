/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console's core: the console byte stream interpreted as
 * a terminal (the xterm behaviour of ECMA-48's CR, LF, BS, HT and CSI
 * CUU/CUD/CUF/CUB/CUP/ED/EL/SGR, with xterm's pending wrap; docs/console.md
 * "The screen" has the exact rules) into a shadow of cells, and the cells
 * drawn with a PSF font on a linear framebuffer of 16, 24 or 32 bits per
 * pixel (UEFI 2.x §12.9 pixel formats) when flushed. The names follow
 * Linux's vt.c and fbcon.c.
 */
#include "kernel/string.h"
#include "video/fbcon.h"

const uint32_t fbcon_palette[16] = {
	0x000000, 0xaa0000, 0x00aa00, 0xaa5500,
	0x0000aa, 0xaa00aa, 0x00aaaa, 0xaaaaaa,
	0x555555, 0xff5555, 0x55ff55, 0xffff55,
	0x5555ff, 0xff55ff, 0x55ffff, 0xffffff,
};

enum { ST_NORMAL, ST_ESC, ST_CSI };

#define FBCON_WIDE_FONT_FROM	2560	/* pixels: the 16x32 font from here */
#define TAB_STOP		8

const struct font_desc *fbcon_font_for(uint32_t width)
{
	return width >= FBCON_WIDE_FONT_FROM ? &font_ter_16x32 : &font_vga_8x16;
}

/* ------------------------------------------------------------ pixels */

static uint32_t field_of(const struct fb_bitfield *f, uint8_t v)
{
	return f->length ? (uint32_t)(v >> (8 - f->length)) << f->offset : 0;
}

uint32_t fb_pixel_of_rgb(const struct fb_info *fb, uint32_t rgb)
{
	return field_of(&fb->red, rgb >> 16) | field_of(&fb->green, rgb >> 8) |
	       field_of(&fb->blue, rgb);
}

/* A channel of 'length' bits widened to 8 by repeating its bits. */
static uint32_t widen(uint32_t v, unsigned int length)
{
	uint32_t out = 0;
	int shift = 8 - (int)length;

	if (!length)
		return 0;
	for (; shift > -(int)length; shift -= length)
		out |= shift >= 0 ? v << shift : v >> -shift;
	return out & 0xff;
}

static uint32_t channel_of(const struct fb_bitfield *f, uint32_t pixel)
{
	return widen((pixel >> f->offset) & ((1u << f->length) - 1), f->length);
}

uint32_t fb_rgb_of_pixel(const struct fb_info *fb, uint32_t pixel)
{
	return channel_of(&fb->red, pixel) << 16 |
	       channel_of(&fb->green, pixel) << 8 | channel_of(&fb->blue, pixel);
}

uint32_t fb_read_pixel(const struct fb_info *fb, uint32_t x, uint32_t y)
{
	const volatile uint8_t *p = fb->screen_base + y * fb->pitch +
				    x * (fb->bpp / 8);
	uint32_t v = 0;

	for (unsigned int i = 0; i < fb->bpp / 8; i++)
		v |= (uint32_t)p[i] << (8 * i);
	return v;
}

static inline void fb_writel(uint32_t v, uint8_t *addr)
{
	*(volatile uint32_t *)addr = v;
}

/*
 * The words of 4 pixels for each pattern of 4 glyph bits (the leftmost
 * pixel the highest bit), in the colours of one cell: a row of a glyph is
 * drawn by copying words, with no work per pixel. Every store is an
 * aligned 32-bit word: a cell starts at a multiple of 4 bytes (its width
 * is a multiple of 4 pixels, the pitch of 4 bytes), and 4 pixels fill 2,
 * 3 or 4 words at 16, 24 and 32 bits per pixel. Built again only when a
 * cell's colours differ from the last cell's.
 */
static void build_nibbles(struct fbcon *vc, uint8_t colours)
{
	uint32_t fg = vc->pixel[colours & 0xf], bg = vc->pixel[colours >> 4];

	for (unsigned int n = 0; n < 16; n++) {
		uint32_t px[4], *w = vc->nibble[n];

		for (unsigned int j = 0; j < 4; j++)
			px[j] = n & (8 >> j) ? fg : bg;
		switch (vc->fb.bpp) {
		case 32:
			w[0] = px[0];
			w[1] = px[1];
			w[2] = px[2];
			w[3] = px[3];
			break;
		case 24:
			w[0] = px[0] | px[1] << 24;
			w[1] = px[1] >> 8 | px[2] << 16;
			w[2] = px[2] >> 16 | px[3] << 8;
			break;
		default:	/* 16 */
			w[0] = px[0] | px[1] << 16;
			w[1] = px[2] | px[3] << 16;
			break;
		}
	}
	vc->nibble_colours = colours;
	vc->nibble_valid = true;
}

/*
 * The pixel rows of a glyph g at dst, the rows from cursor_from on solid
 * (the cursor). The glyph's width and 'words' (a word per byte of a
 * pixel) are constants at each call, so each row's copy unrolls.
 */
static inline __attribute__((always_inline)) void
draw_glyph(const struct fbcon *vc, uint8_t *dst, const uint8_t *g,
	   unsigned int cursor_from, const unsigned int width,
	   const unsigned int words)
{
	const unsigned int bytes = (width + 7) / 8;
	unsigned int height = vc->font->height, pitch = vc->fb.pitch;

	for (unsigned int y = 0; y < height; y++, dst += pitch, g += bytes) {
		uint32_t bits = g[0];
		uint8_t *p = dst;

		for (unsigned int i = 1; i < bytes; i++)
			bits = bits << 8 | g[i];
		if (y >= cursor_from)
			bits = ~0u;
		for (int shift = bytes * 8 - 4; shift >= (int)(bytes * 8 - width);
		     shift -= 4) {
			const uint32_t *w = vc->nibble[(bits >> shift) & 0xf];

			for (unsigned int i = 0; i < words; i++, p += 4)
				fb_writel(w[i], p);
		}
	}
}

/* draw_glyph for a width known here: 8 and 16 (the two fonts) unrolled,
 * any other multiple of 4 up to 32 in a loop. */
static inline __attribute__((always_inline)) void
draw_glyph_width(const struct fbcon *vc, uint8_t *dst, const uint8_t *g,
		 unsigned int cursor_from, const unsigned int words)
{
	switch (vc->font->width) {
	case 8:
		draw_glyph(vc, dst, g, cursor_from, 8, words);
		break;
	case 16:
		draw_glyph(vc, dst, g, cursor_from, 16, words);
		break;
	default:
		draw_glyph(vc, dst, g, cursor_from, vc->font->width, words);
		break;
	}
}

/* Draws one cell, with the cursor's bottom rows when cursor is set. */
static void draw_cell(struct fbcon *vc, unsigned int row, unsigned int col,
		      uint16_t cell, bool cursor)
{
	const struct font_desc *f = vc->font;
	const uint8_t *g = font_glyph(f, FBCON_CELL_CH(cell));
	unsigned int cursor_from = cursor ? f->height - vc->cursor_lines : f->height;
	uint8_t *dst = vc->fb.screen_base + row * f->height * vc->fb.pitch +
		       col * f->width * (vc->fb.bpp / 8);
	uint8_t colours = cell >> 8;

	if (!vc->nibble_valid || vc->nibble_colours != colours)
		build_nibbles(vc, colours);
	switch (vc->fb.bpp) {
	case 32:
		draw_glyph_width(vc, dst, g, cursor_from, 4);
		break;
	case 24:
		draw_glyph_width(vc, dst, g, cursor_from, 3);
		break;
	default:
		draw_glyph_width(vc, dst, g, cursor_from, 2);
		break;
	}
	vc->cells_drawn++;
}

/* ------------------------------------------------------------ the shadow */

static inline uint16_t *text_row(const struct fbcon *vc, unsigned int row)
{
	unsigned int r = vc->top + row;

	if (r >= vc->rows)
		r -= vc->rows;
	return vc->text + r * vc->cols;
}

uint16_t fbcon_cell(const struct fbcon *vc, unsigned int row, unsigned int col)
{
	return text_row(vc, row)[col];
}

static void fill_blank(uint16_t *p, unsigned int n)
{
	while (n--)
		*p++ = FBCON_BLANK;
}

static void mark_row(struct fbcon *vc, unsigned int row)
{
	vc->dirty[row] = 1;
}

/* Cells [from, to) of screen row 'row' become blank. */
static void erase(struct fbcon *vc, unsigned int row, unsigned int from,
		  unsigned int to)
{
	if (from < to) {
		fill_blank(text_row(vc, row) + from, to - from);
		mark_row(vc, row);
	}
}

static void scroll_up(struct fbcon *vc)
{
	vc->top = vc->top + 1 == vc->rows ? 0 : vc->top + 1;
	fill_blank(text_row(vc, vc->rows - 1), vc->cols);
	vc->all_dirty = true;
	vc->scrolled++;
	vc->scrolls++;
}

static void line_feed(struct fbcon *vc)
{
	vc->x = 0;
	vc->wrap_pending = false;
	if (vc->y + 1 == vc->rows)
		scroll_up(vc);
	else
		vc->y++;
}

static void put_char(struct fbcon *vc, unsigned char c)
{
	uint8_t fg = vc->fg, bg = vc->bg, t;

	if (vc->wrap_pending)
		line_feed(vc);
	if (vc->bold && fg < 8)
		fg += 8;
	if (vc->reverse) {
		t = fg;
		fg = bg;
		bg = t;
	}
	text_row(vc, vc->y)[vc->x] = FBCON_CELL(c, fg, bg);
	mark_row(vc, vc->y);
	if (vc->x + 1 == vc->cols)
		vc->wrap_pending = true;
	else
		vc->x++;
}

/* The C0 controls the console acts on; the others are ignored. */
static void control(struct fbcon *vc, unsigned char c)
{
	switch (c) {
	case '\n':
		line_feed(vc);
		break;
	case '\r':
		vc->x = 0;
		vc->wrap_pending = false;
		break;
	case '\b':
		if (vc->x)
			vc->x--;
		vc->wrap_pending = false;
		break;
	case '\t':
		vc->x = (vc->x / TAB_STOP + 1) * TAB_STOP;
		if (vc->x >= vc->cols)
			vc->x = vc->cols - 1;
		vc->wrap_pending = false;
		break;
	case 0x1b:
		vc->state = ST_ESC;
		break;
	}
}

static void sgr(struct fbcon *vc)
{
	for (unsigned int i = 0; i < vc->nparams; i++) {
		unsigned int p = vc->params[i];

		if (p == 0) {
			vc->fg = FBCON_DEFAULT_FG;
			vc->bg = FBCON_DEFAULT_BG;
			vc->bold = vc->reverse = false;
		} else if (p == 1) {
			vc->bold = true;
		} else if (p == 22) {
			vc->bold = false;
		} else if (p == 7) {
			vc->reverse = true;
		} else if (p == 27) {
			vc->reverse = false;
		} else if (p >= 30 && p <= 37) {
			vc->fg = p - 30;
		} else if (p == 39) {
			vc->fg = FBCON_DEFAULT_FG;
		} else if (p >= 40 && p <= 47) {
			vc->bg = p - 40;
		} else if (p == 49) {
			vc->bg = FBCON_DEFAULT_BG;
		} else if (p >= 90 && p <= 97) {
			vc->fg = p - 90 + 8;
		} else if (p >= 100 && p <= 107) {
			vc->bg = p - 100 + 8;
		}
	}
}

/* n, where 0 (or nothing) means 1: the count of the cursor moves. */
static unsigned int count_param(const struct fbcon *vc)
{
	return vc->params[0] ? vc->params[0] : 1;
}

static unsigned int min_u(unsigned int a, unsigned int b)
{
	return a < b ? a : b;
}

/* The final byte of a CSI sequence: every sequence ends a pending wrap. */
static void csi_final(struct fbcon *vc, unsigned char c)
{
	unsigned int n = count_param(vc), r;

	vc->wrap_pending = false;
	switch (c) {
	case 'm':
		sgr(vc);
		break;
	case 'K':
		if (vc->params[0] == 0)
			erase(vc, vc->y, vc->x, vc->cols);
		else if (vc->params[0] == 1)
			erase(vc, vc->y, 0, vc->x + 1);
		else if (vc->params[0] == 2)
			erase(vc, vc->y, 0, vc->cols);
		break;
	case 'J':
		if (vc->params[0] == 0) {
			erase(vc, vc->y, vc->x, vc->cols);
			for (r = vc->y + 1; r < vc->rows; r++)
				erase(vc, r, 0, vc->cols);
		} else if (vc->params[0] == 1) {
			for (r = 0; r < vc->y; r++)
				erase(vc, r, 0, vc->cols);
			erase(vc, vc->y, 0, vc->x + 1);
		} else if (vc->params[0] == 2) {
			for (r = 0; r < vc->rows; r++)
				erase(vc, r, 0, vc->cols);
		}
		break;
	case 'H':
	case 'f':
		vc->y = min_u(vc->params[0] ? vc->params[0] : 1, vc->rows) - 1;
		vc->x = min_u(vc->nparams > 1 && vc->params[1] ? vc->params[1] : 1,
			      vc->cols) - 1;
		break;
	case 'A':
		vc->y = vc->y > n ? vc->y - n : 0;
		break;
	case 'B':
		vc->y = min_u(vc->y + min_u(n, vc->rows), vc->rows - 1);
		break;
	case 'C':
		vc->x = min_u(vc->x + min_u(n, vc->cols), vc->cols - 1);
		break;
	case 'D':
		vc->x = vc->x > n ? vc->x - n : 0;
		break;
	}
}

static void csi_byte(struct fbcon *vc, unsigned char c)
{
	if (c < 0x20) {
		/* A C0 control is carried out and the sequence goes on; an
		 * ESC abandons it for a new one (xterm). */
		control(vc, c);
		return;
	}
	if (c >= '0' && c <= '9') {
		uint16_t *p;

		if (vc->nparams == 0)
			vc->nparams = 1;
		if (vc->nparams > FBCON_PARAMS_MAX)
			return;
		p = &vc->params[vc->nparams - 1];
		*p = *p * 10 + (c - '0');
		if (*p > FBCON_PARAM_MAX)
			*p = FBCON_PARAM_MAX;
	} else if (c == ';') {
		if (vc->nparams == 0)
			vc->nparams = 1;
		if (vc->nparams <= FBCON_PARAMS_MAX)
			vc->nparams++;
	} else if (c >= 0x40 && c <= 0x7e) {
		if (vc->nparams == 0)
			vc->nparams = 1;
		if (vc->nparams > FBCON_PARAMS_MAX)
			vc->nparams = FBCON_PARAMS_MAX;
		vc->state = ST_NORMAL;
		csi_final(vc, c);
	}
	/* Other parameter bytes (':' '<' '=' '>' '?'), intermediates
	 * (0x20-0x2f), DEL and bytes from 0x80: ignored, the sequence goes on. */
}

static inline bool printable(unsigned char c)
{
	return (c >= 0x20 && c <= 0x7e) || c >= 0xa0;
}

/* A run of printable characters from s (at least one): the cells of one
 * row at a time; returns how many it took. */
static size_t put_run(struct fbcon *vc, const unsigned char *s, size_t n)
{
	size_t done = 0;

	while (done < n && printable(s[done])) {
		uint16_t *row;
		uint16_t colours;

		put_char(vc, s[done++]);	/* wraps, and gives the colours */
		row = text_row(vc, vc->y);
		colours = row[vc->wrap_pending ? vc->x : vc->x - 1] & 0xff00;
		while (done < n && printable(s[done]) && !vc->wrap_pending) {
			row[vc->x] = colours | s[done++];
			if (vc->x + 1 == vc->cols)
				vc->wrap_pending = true;
			else
				vc->x++;
		}
	}
	return done;
}

void fbcon_write(struct fbcon *vc, const char *str, size_t n)
{
	const unsigned char *s = (const unsigned char *)str;

	while (n) {
		unsigned char c = *s;

		if (vc->state == ST_NORMAL && printable(c)) {
			size_t k = put_run(vc, s, n);

			s += k;
			n -= k;
			continue;
		}
		s++;
		n--;
		switch (vc->state) {
		case ST_NORMAL:
			if (c < 0x20)
				control(vc, c);
			break;
		case ST_ESC:
			if (c == '[') {
				vc->state = ST_CSI;
				vc->nparams = 0;
				memset(vc->params, 0, sizeof(vc->params));
			} else {
				vc->state = ST_NORMAL;	/* both bytes ignored */
			}
			break;
		default:
			csi_byte(vc, c);
			break;
		}
	}
}

/* ------------------------------------------------------------ drawing */

bool fbcon_dirty(const struct fbcon *vc)
{
	if (vc->all_dirty || vc->redraw_all || vc->drawn_x != vc->x ||
	    vc->drawn_y != vc->y)
		return true;
	for (unsigned int r = 0; r < vc->rows; r++)
		if (vc->dirty[r])
			return true;
	return false;
}

void fbcon_flush(struct fbcon *vc)
{
	unsigned int old_x = vc->drawn_x, old_y = vc->drawn_y;

	/* The rows the cursor leaves and enters need a look too. */
	if (old_y < vc->rows)
		mark_row(vc, old_y);
	mark_row(vc, vc->y);
	for (unsigned int r = 0; r < vc->rows; r++) {
		const uint16_t *want = text_row(vc, r);
		uint16_t *have = vc->drawn + r * vc->cols;

		if (!vc->all_dirty && !vc->redraw_all && !vc->dirty[r])
			continue;
		vc->dirty[r] = 0;
		for (unsigned int c = 0; c < vc->cols; c++) {
			bool cursor = r == vc->y && c == vc->x;
			bool had_cursor = r == old_y && c == old_x;

			if (want[c] == have[c] && cursor == had_cursor &&
			    !vc->redraw_all)
				continue;
			draw_cell(vc, r, c, want[c], cursor);
			have[c] = want[c];
		}
	}
	vc->drawn_x = vc->x;
	vc->drawn_y = vc->y;
	vc->all_dirty = vc->redraw_all = false;
	vc->scrolled = 0;
	vc->flushes++;
}

void fbcon_recover(struct fbcon *vc)
{
	vc->state = ST_NORMAL;
	vc->nparams = 0;
	if (vc->top >= vc->rows)
		vc->top = 0;
	if (vc->x >= vc->cols)
		vc->x = vc->cols - 1;
	if (vc->y >= vc->rows)
		vc->y = vc->rows - 1;
	vc->redraw_all = true;
}

/* ------------------------------------------------------------ set-up */

size_t fbcon_buffer_size(const struct fb_info *fb, const struct font_desc *font)
{
	size_t cells = (size_t)(fb->width / font->width) * (fb->height / font->height);

	return 2 * cells * sizeof(uint16_t) + fb->height / font->height;
}

void fbcon_init(struct fbcon *vc, const struct fb_info *fb,
		const struct font_desc *font, void *buf)
{
	size_t cells;
	bool blank_space = true;

	memset(vc, 0, sizeof(*vc));
	vc->fb = *fb;
	vc->font = font;
	vc->cols = fb->width / font->width;
	vc->rows = fb->height / font->height;
	vc->cursor_lines = font->height / 8 ? font->height / 8 : 1;
	for (int i = 0; i < 16; i++)
		vc->pixel[i] = fb_pixel_of_rgb(fb, fbcon_palette[i]);
	cells = (size_t)vc->cols * vc->rows;
	vc->text = buf;
	vc->drawn = vc->text + cells;
	vc->dirty = (uint8_t *)(vc->drawn + cells);
	fill_blank(vc->text, cells);
	memset(vc->dirty, 0, vc->rows);
	vc->fg = FBCON_DEFAULT_FG;
	vc->bg = FBCON_DEFAULT_BG;

	/* Black is 0 in every format: the whole framebuffer (the strips
	 * beside and below the grid too) with aligned words. */
	for (uint32_t y = 0; y < fb->height; y++)
		for (uint32_t off = 0; off < fb->pitch; off += 4)
			fb_writel(0, fb->screen_base + y * fb->pitch + off);
	/* That is what blank cells look like when ' ' is an empty glyph, as
	 * in every console font; otherwise the first flush draws them all. */
	for (unsigned int i = 0; i < font->charsize; i++)
		if (font_glyph(font, ' ')[i])
			blank_space = false;
	fill_blank(vc->drawn, cells);
	vc->redraw_all = !blank_space;
	vc->drawn_x = vc->cols;		/* no cursor drawn yet */
	vc->drawn_y = vc->rows;
}
