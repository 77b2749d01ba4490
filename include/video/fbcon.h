/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console's core (drivers/video/fbcon.c): a text screen
 * of cells kept in a shadow buffer, fed the console byte stream (printable
 * Latin-1, CR, LF, BS, TAB and a subset of ECMA-48 / VT100 CSI sequences,
 * docs/console.md "The screen"), and drawn on a linear framebuffer with a
 * PSF font when flushed, redrawing only the cells that changed. It knows
 * nothing of the kernel around it (the host test builds it as it is);
 * drivers/video/efifb.c makes it a console.
 */
#ifndef VIDEO_FBCON_H
#define VIDEO_FBCON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include "video/font.h"

/* Where a colour channel sits in a pixel (at most 8 bits wide). */
struct fb_bitfield {
	uint8_t offset, length;
};

/* A linear framebuffer as the console draws on it. */
struct fb_info {
	uint8_t *screen_base;		/* pitch * height bytes, mapped */
	uint32_t width, height;		/* visible pixels */
	uint32_t pitch;			/* bytes a scan line, a multiple of 4 */
	uint32_t bpp;			/* 16, 24 or 32, little-endian pixels */
	struct fb_bitfield red, green, blue;
};

/* A cell: its Latin-1 character, and the colours it is drawn in (the
 * palette indices after bold and reverse) in the high byte. */
#define FBCON_CELL(ch, fg, bg)	((uint16_t)((ch) | (fg) << 8 | (bg) << 12))
#define FBCON_CELL_CH(c)	((c) & 0xff)
#define FBCON_CELL_FG(c)	(((c) >> 8) & 0xf)
#define FBCON_CELL_BG(c)	(((c) >> 12) & 0xf)
#define FBCON_DEFAULT_FG	7
#define FBCON_DEFAULT_BG	0
#define FBCON_BLANK		FBCON_CELL(' ', FBCON_DEFAULT_FG, FBCON_DEFAULT_BG)

#define FBCON_PARAMS_MAX	8	/* CSI parameters kept; more are ignored */
#define FBCON_PARAM_MAX		9999	/* a larger parameter counts as this */

/* The 16 colours of the Linux/VGA console, 0xRRGGBB by SGR index. */
extern const uint32_t fbcon_palette[16];

struct fbcon {
	struct fb_info fb;
	const struct font_desc *font;
	unsigned int cols, rows;	/* the grid, anchored at pixel (0,0) */
	unsigned int cursor_lines;	/* pixel rows of the cursor */
	uint32_t pixel[16];		/* the palette in the framebuffer's format */

	/* The shadow: rows of cols cells, a ring whose screen row 0 is
	 * ring row 'top' (a scroll moves top, not the cells). */
	uint16_t *text;
	unsigned int top;
	/* What the framebuffer shows, by screen row, and where it shows the
	 * cursor (cols means nowhere). */
	uint16_t *drawn;
	unsigned int drawn_x, drawn_y;
	uint8_t *dirty;			/* screen rows changed since the flush */
	bool all_dirty, redraw_all;	/* every row; every cell, whatever drawn says */

	/* The cursor and the SGR state. */
	unsigned int x, y;
	bool wrap_pending;		/* a character went into the last column */
	uint8_t fg, bg;
	bool bold, reverse;

	/* The escape-sequence parser. */
	uint8_t state;
	uint8_t nparams;		/* parameters begun, at most FBCON_PARAMS_MAX */
	uint16_t params[FBCON_PARAMS_MAX];

	/* The words of 4 pixels per 4-bit glyph pattern, in the colours of
	 * the cell drawn last (drivers/video/fbcon.c, build_nibbles). */
	uint32_t nibble[16][4];
	uint8_t nibble_colours;
	bool nibble_valid;

	/* Counts since fbcon_init. */
	unsigned long scrolled;		/* rows scrolled since the last flush */
	unsigned long flushes, cells_drawn, scrolls;
};

/* The font for a framebuffer width: 16x32 from 2560 pixels, else 8x16. */
const struct font_desc *fbcon_font_for(uint32_t width);

/* Bytes of memory fbcon_init needs for this framebuffer and font. */
size_t fbcon_buffer_size(const struct fb_info *fb, const struct font_desc *font);

/*
 * fbcon_init - take over fb with font: paint every scan line black, the
 * cursor at (0,0) with the default colours, every cell blank. buf holds
 * fbcon_buffer_size() bytes, aligned for uint16_t, for as long as vc lives.
 */
void fbcon_init(struct fbcon *vc, const struct fb_info *fb,
		const struct font_desc *font, void *buf);

/* fbcon_write - n bytes of the stream into the shadow (nothing drawn). */
void fbcon_write(struct fbcon *vc, const char *s, size_t n);

/* fbcon_flush - draw the cells (and the cursor) that differ from what the
 * framebuffer shows. */
void fbcon_flush(struct fbcon *vc);

/* Whether fbcon_flush has anything to draw. */
bool fbcon_dirty(const struct fbcon *vc);

/*
 * fbcon_recover - after a fault inside the console: forget a half-read
 * escape sequence, bring the cursor and the ring back into the grid, and
 * have the next flush redraw every cell from the shadow.
 */
void fbcon_recover(struct fbcon *vc);

/* The cell at screen row, column of the shadow. */
uint16_t fbcon_cell(const struct fbcon *vc, unsigned int row, unsigned int col);

/* A colour (0xRRGGBB) in the framebuffer's pixel format, and back (each
 * channel widened to 8 bits by repeating its bits). */
uint32_t fb_pixel_of_rgb(const struct fb_info *fb, uint32_t rgb);
uint32_t fb_rgb_of_pixel(const struct fb_info *fb, uint32_t pixel);

/* The pixel value at (x, y). */
uint32_t fb_read_pixel(const struct fb_info *fb, uint32_t x, uint32_t y);

#endif /* VIDEO_FBCON_H */
