#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The text a screendump shows, read back cell by cell against the PSF
font the framebuffer console draws with (docs/console.md "The screen"),
for the boots that check a few rows where the console model cannot
follow the kernel (the panic on the screen, drawn by the console's
emergency path). The font, the PPM reader and the glyph lookup are the
model's (tests/fbmodel.py); a cell reads as a character only when it is
exactly one glyph of the font in two colours, as a blank when it has one
colour, and as nothing otherwise (the cursor's cell, or damage).

    python3 tests/fbtext.py SCREENDUMP.ppm      # prints the rows it reads
"""

import sys

import fbmodel


def read_cells(path):
    """The screen as rows of (char, fg, bg): char None where the cell is
    no glyph of the font in two colours (the cursor's cell, or damage);
    colours as 0xRRGGBB, fg None for a blank."""
    img = fbmodel.read_ppm(path)
    index = fbmodel.GlyphIndex(fbmodel.font_for(img.width))
    cols, rows = fbmodel.grid(img.width, img.height, index.font)
    out = []
    for r in range(rows):
        row = []
        for c in range(cols):
            got = index.read(img, c, r)
            if isinstance(got, dict) or got[3]:
                row.append((None, None, None))
            elif got[1] is None:
                row.append((" ", None, int.from_bytes(got[2], "big")))
            else:
                row.append((chr(got[0]), int.from_bytes(got[1], "big"),
                            int.from_bytes(got[2], "big")))
        out.append(row)
    return out


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
