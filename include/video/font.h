/* SPDX-License-Identifier: MIT */
/*
 * The framebuffer console's fonts: PC Screen Fonts of Debian's
 * console-setup-linux, converted at build time by tools/psf2c.py into
 * tables of 256 glyphs indexed by Latin-1 code point (build/gen/fonts.c).
 */
#ifndef VIDEO_FONT_H
#define VIDEO_FONT_H

#include <stdint.h>

struct font_desc {
	const char *name;		/* the file's name, e.g. "Lat15-VGA16" */
	unsigned int width, height;	/* pixels */
	unsigned int charsize;		/* bytes a glyph: height rows of
					 * ceil(width / 8) bytes, MSB first */
	unsigned int missing;		/* printable code points drawn as '?' */
	const uint8_t *data;		/* 256 glyphs, by code point */
};

/* Lat15-VGA16 (8x16), for framebuffers narrower than 2560 pixels. */
extern const struct font_desc font_vga_8x16;
/* Lat15-Terminus32x16 (16x32), from 2560 pixels wide. */
extern const struct font_desc font_ter_16x32;

static inline const uint8_t *font_glyph(const struct font_desc *f,
					unsigned char c)
{
	return f->data + c * f->charsize;
}

#endif /* VIDEO_FONT_H */
