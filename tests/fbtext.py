#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The text a screendump shows, read back cell by cell against the PSF
font the framebuffer console draws with (docs/console.md "The screen"):
each cell of the grid anchored at (0,0) must be exactly one glyph of the
font in two colours, or a single colour (a blank). A targeted reading for
the boots that check a few rows (the panic on the screen), not a model
that predicts a whole screen from the stream.

    python3 tests/fbtext.py SCREENDUMP.ppm      # prints the rows it reads
"""

import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import psf2c  # noqa: E402  the PSF reader of the build

FONT_DIR = "/usr/share/consolefonts"
FONTS = {False: "Lat15-VGA16.psf.gz", True: "Lat15-Terminus32x16.psf.gz"}
WIDE_FROM = 2560                # pixels: the 16x32 font from here


def read_ppm(path):
    """(width, height, RGB bytes) of a binary PPM (QEMU's screendump)."""
    with open(path, "rb") as fh:
        data = fh.read()
    fields, pos = [], 0
    while len(fields) < 4:
        while data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            pos = data.index(b"\n", pos)
            continue
        end = pos
        while not data[end:end + 1].isspace():
            end += 1
        fields.append(data[pos:end])
        pos = end
    if fields[0] != b"P6" or fields[3] != b"255":
        raise ValueError("%s: not a binary 8-bit PPM" % path)
    width, height = int(fields[1]), int(fields[2])
    return width, height, data[pos + 1:pos + 1 + width * height * 3]


class Font:
    """Glyph bitmaps (tuples of row bit strings) to Latin-1 characters."""

    def __init__(self, wide):
        width, height, glyphs, table = psf2c.read_font(os.path.join(FONT_DIR, FONTS[wide]))
        self.width, self.height = width, height
        self.chars = {}
        # Printable ASCII first, so that a glyph shared with a Latin-1
        # character reads as the ASCII one.
        order = list(range(0x20, 0x7f)) + list(range(0xa0, 0x100))
        for cp in order:
            if cp in table:
                self.chars.setdefault(self.bitmap(glyphs[table[cp]]), chr(cp))

    def bitmap(self, glyph):
        bytes_per_row = (self.width + 7) // 8
        rows = []
        for y in range(self.height):
            bits = int.from_bytes(glyph[y * bytes_per_row:(y + 1) * bytes_per_row], "big")
            rows.append(bits >> (bytes_per_row * 8 - self.width))
        return tuple(rows)


def read_cells(path):
    """The screen as rows of (char, fg, bg): char None where the cell is
    no glyph of the font in two colours (the cursor's cell, or damage);
    colours as 0xRRGGBB, fg None for a blank. Also the grid's size."""
    width, height, px = read_ppm(path)
    font = Font(width >= WIDE_FROM)
    fw, fh = font.width, font.height
    rows = []
    for r in range(height // fh):
        row = []
        for c in range(width // fw):
            pixels = []
            for y in range(fh):
                base = ((r * fh + y) * width + c * fw) * 3
                line = px[base:base + fw * 3]
                pixels.append([int.from_bytes(line[i:i + 3], "big") for i in range(0, fw * 3, 3)])
            colours = {p for line in pixels for p in line}
            if len(colours) == 1:
                row.append((" ", None, colours.pop()))
                continue
            found = (None, None, None)
            if len(colours) == 2:
                for fg in colours:
                    bg = (colours - {fg}).pop()
                    bitmap = tuple(sum(1 << (fw - 1 - x) for x in range(fw) if line[x] == fg)
                                   for line in pixels)
                    if bitmap in font.chars:
                        found = (font.chars[bitmap], fg, bg)
                        break
            row.append(found)
        rows.append(row)
    return rows


def row_text(row):
    """A row as text, '\\0' where a cell is no glyph, trailing blanks off."""
    return "".join(ch if ch is not None else "\0" for ch, _, _ in row).rstrip(" ")


def main(argv):
    if len(argv) != 1:
        print(__doc__.strip(), file=sys.stderr)
        return 2
    for row in read_cells(argv[0]):
        print(row_text(row).replace("\0", "?"))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
