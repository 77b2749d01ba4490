#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The host-side console model (tests/fbmodel.py) against hand-written
expectations of the console byte stream and the picture
(docs/console.md): every control, each CSI final, SGR combinations, the
pending wrap, TAB, scrolling, blank cells; the PSF reader against the
font files' own header bytes; the renderer against glyph bits read here
from the file; the PPM and PNG round trips; a comparison that must fail
on a one-pixel change.

    python3 tests/test_fbmodel.py      # one line per check, exit 1 on a failure
    run_checks() -> [(name, ok, detail)]
"""

import gzip
import os
import struct
import sys
import tempfile

import fbmodel
from checklist import Checklist, eq, expect
from fbmodel import Terminal

CHECKS = Checklist()
check = CHECKS.check

# The palette as the contract writes it, by SGR index (a copy of the text,
# not of fbmodel.PALETTE).
SPEC_PALETTE = ("000000 aa0000 00aa00 aa5500 0000aa aa00aa 00aaaa aaaaaa "
                "555555 ff5555 55ff55 ffff55 5555ff ff55ff 55ffff ffffff").split()


def term(data, cols=10, rows=4):
    return Terminal(cols, rows).feed(data)


def text(t):
    return [line.rstrip() for line in t.lines()]


def cell(t, r, c):
    return t.cells[r][c]


def rgb(index):
    return bytes.fromhex(SPEC_PALETTE[index])


# ------------------------------------------------------------ controls

@check
def printable_bytes_and_latin1():
    t = term(b"A~ \xa0\xe9\xff")
    eq([cell(t, 0, i)[0] for i in range(6)], [0x41, 0x7E, 0x20, 0xA0, 0xE9, 0xFF],
       "code points of 'A~ ' and Latin-1 0xA0 0xE9 0xFF")
    eq(t.cursor(), (0, 6), "cursor after six characters")
    eq(cell(t, 0, 0)[1:], (7, 0), "default colours of a written cell")


@check
def ignored_bytes():
    t = term(b"a\x00\x07\x0b\x0c\x7f\x80\x85\x9b\x9fb")
    eq(text(t)[0], "ab", "NUL, BEL, VT, FF, DEL and 0x80-0x9F print nothing")
    eq(t.cursor(), (0, 2), "nor move the cursor")


@check
def line_feed_goes_to_column_0_of_the_next_row():
    t = term(b"ab\ncd")
    eq(text(t)[:2], ["ab", "cd"], "rows after LF")
    eq(t.cursor(), (1, 2), "cursor")
    eq(text(term(b"ab\r\ncd"))[:2], ["ab", "cd"], "CR LF takes one row as LF does")


@check
def carriage_return():
    t = term(b"abc\rX")
    eq(text(t)[0], "Xbc", "CR to column 0, nothing erased")
    eq(t.cursor(), (0, 1), "cursor")


@check
def backspace_moves_left_erases_nothing_stops_at_0():
    t = term(b"abc\b\bX")
    eq(text(t)[0], "aXc", "two BS then X")
    t = term(b"ab\b")
    eq((text(t)[0], t.cursor()), ("ab", (0, 1)), "BS erases nothing")
    t = term(b"\b\bX")
    eq((text(t)[0], t.cursor()), ("X", (0, 1)), "BS at column 0 stays there")


@check
def tab_to_multiples_of_8_at_most_the_last_column():
    t = term(b"a\tb", cols=20)
    eq(t.cursor(), (0, 9), "a TAB b: b at column 8")
    eq(cell(t, 0, 8)[0], ord("b"), "b at column 8")
    eq(text(t)[0], "a       b", "TAB writes no blanks over the cells it skips")
    eq(term(b"\t\t", cols=20).cursor(), (0, 16), "two TABs from 0")
    eq(term(b"12345678\t", cols=20).cursor(), (0, 16), "TAB at column 8 goes to 16")
    eq(term(b"\t\t", cols=10).cursor(), (0, 9), "TAB past the last column stops there")


# ------------------------------------------------------------ wrapping

@check
def pending_wrap_at_the_last_column():
    t = term(b"0123456789")
    eq((t.cursor(), t.wrap_pending), ((0, 9), True), "a full row: cursor stays on the last column")
    t = term(b"0123456789X")
    eq(text(t)[:2], ["0123456789", "X"], "the next character goes to the next row")
    t = term(b"0123456789\nX")
    eq(text(t)[:2], ["0123456789", "X"], "a full row and LF take one row")


@check
def controls_and_csi_clear_the_pending_wrap():
    eq(text(term(b"0123456789\rX"))[:2], ["X123456789", ""], "CR")
    eq(text(term(b"0123456789\bX"))[:2], ["01234567X9", ""], "BS from the last column")
    eq(text(term(b"0123456789\tX"))[:2], ["012345678X", ""], "TAB stays on the last column")
    eq(text(term(b"0123456789\x1b[mX"))[:2], ["012345678X", ""], "SGR")
    eq(text(term(b"0123456789\x1b[5zX"))[:2], ["012345678X", ""], "an ignored CSI")
    t = term(b"0123456789\x07X")
    eq(text(t)[:2], ["0123456789", "X"], "BEL (ignored) keeps the pending wrap")


@check
def wrap_on_the_last_row_scrolls():
    t = term(b"a\nb\nc\n0123456789X", rows=4)
    eq(text(t), ["b", "c", "0123456789", "X"], "rows after the wrap on the last row")
    eq(t.scrolls, 1, "one scroll")


# ------------------------------------------------------------ scrolling

@check
def scrolling_after_more_lines_than_the_screen():
    data = b"".join(b"line %d\n" % i for i in range(1, 11)) + b"end"
    t = term(data, cols=12, rows=4)
    eq(text(t), ["line 8", "line 9", "line 10", "end"], "the last four rows")
    eq((t.scrolls, t.cursor()), (7, (3, 3)), "scrolls and cursor")


@check
def new_rows_are_blank_in_the_default_colours():
    t = term(b"\x1b[1;33;44ma\nb\nc\nd\ne", rows=4)
    eq(cell(t, 3, 0), (ord("e"), 11, 4), "a character in bold yellow on blue")
    eq(cell(t, 3, 5), fbmodel.BLANK, "the rest of the scrolled-in row")
    eq(cell(t, 3, 5), (0x20, 7, 0), "BLANK is a space in 7 on 0")


# ------------------------------------------------------------ SGR

def sgr_cell(seq):
    return cell(term(seq + b"X"), 0, 0)[1:]


@check
def sgr_colours():
    for i in range(8):
        eq(sgr_cell(b"\x1b[3%dm" % i), (i, 0), "SGR 3%d" % i)
        eq(sgr_cell(b"\x1b[4%dm" % i), (7, i), "SGR 4%d" % i)
        eq(sgr_cell(b"\x1b[9%dm" % i), (8 + i, 0), "SGR 9%d" % i)
        eq(sgr_cell(b"\x1b[10%dm" % i), (7, 8 + i), "SGR 10%d" % i)


@check
def sgr_bold_brightens_0_to_7():
    eq(sgr_cell(b"\x1b[1;31m"), (9, 0), "1;31")
    eq(sgr_cell(b"\x1b[31;1m"), (9, 0), "31;1")
    eq(sgr_cell(b"\x1b[1m\x1b[31m"), (9, 0), "1 then 31")
    eq(sgr_cell(b"\x1b[1;91m"), (9, 0), "bold on a bright colour")
    eq(sgr_cell(b"\x1b[1m"), (15, 0), "bold default foreground")
    eq(sgr_cell(b"\x1b[1;31;39m"), (15, 0), "39 default foreground, still bold")
    eq(sgr_cell(b"\x1b[1;31;22m"), (1, 0), "22 normal intensity")
    eq(sgr_cell(b"\x1b[1;42m"), (15, 2), "bold leaves the background alone")


@check
def sgr_reverse_after_bold():
    eq(sgr_cell(b"\x1b[7m"), (0, 7), "reverse of the defaults")
    eq(sgr_cell(b"\x1b[1;31;44;7m"), (4, 9), "bold red on blue reversed")
    eq(sgr_cell(b"\x1b[7;27m"), (7, 0), "27 reverse off")


@check
def sgr_resets_and_defaults():
    eq(sgr_cell(b"\x1b[1;7;31;42m\x1b[0m"), (7, 0), "0 resets")
    eq(sgr_cell(b"\x1b[1;7;31;42m\x1b[m"), (7, 0), "ESC [ m resets")
    eq(sgr_cell(b"\x1b[31;42;49m"), (1, 0), "49 default background")
    eq(sgr_cell(b"\x1b[31;42m\x1b[;33m"), (3, 0), "an empty parameter is 0")
    eq(sgr_cell(b"\x1b[31m\x1b[4;5;38;48;53;99;108m"), (1, 0), "other values ignored")


@check
def at_most_eight_parameters():
    eq(sgr_cell(b"\x1b[1;1;1;1;1;1;1;1;31m"), (15, 0), "a ninth parameter (31) ignored")
    eq(sgr_cell(b"\x1b[1;1;1;1;1;1;1;31m"), (9, 0), "the eighth (31) applied")


# ------------------------------------------------------------ CSI

@check
def erase_in_line():
    row = b"abcdefghij\r\x1b[4C\x1b[41m"         # cursor on 'e', red background set
    t = term(row + b"\x1b[K")
    eq((text(t)[0], t.cursor()), ("abcd", (0, 4)), "K: cursor to end, the cursor stays")
    eq(cell(t, 0, 6), fbmodel.BLANK, "erased cells in the default colours")
    eq(text(term(row + b"\x1b[0K"))[0], "abcd", "0K")
    t = term(row + b"\x1b[1K")
    eq((t.lines()[0], t.cursor()), ("     fghij", (0, 4)), "1K: start to the cursor, inclusive")
    t = term(row + b"\x1b[2K")
    eq((text(t)[0], t.cursor()), ("", (0, 4)), "2K: the whole line")
    eq(text(term(row + b"\x1b[3K"))[0], "abcdefghij", "3K: not a mode, ignored")


@check
def erase_in_display():
    screen = b"aaaa\nbbbb\ncccc\ndddd\x1b[2;3H\x1b[44m"    # cursor row 1 col 2
    t = term(screen + b"\x1b[J")
    eq((text(t), t.cursor()), (["aaaa", "bb", "", ""], (1, 2)), "J: cursor to end")
    t = term(screen + b"\x1b[1J")
    eq((t.lines()[:3], t.cursor()), (["          ", "   b      ", "cccc      "], (1, 2)),
       "1J: start to cursor")
    t = term(screen + b"\x1b[2J")
    eq((text(t), t.cursor()), (["", "", "", ""], (1, 2)), "2J: all, the cursor stays")
    expect(all(c == fbmodel.BLANK for r in t.cells for c in r), "2J: all blank, default colours")


@check
def cursor_position():
    eq(term(b"\x1b[2;3H").cursor(), (1, 2), "2;3H")
    eq(term(b"\x1b[2;3f").cursor(), (1, 2), "2;3f")
    eq(term(b"xx\nyy\x1b[H").cursor(), (0, 0), "H alone")
    eq(term(b"\x1b[3H").cursor(), (2, 0), "row only")
    eq(term(b"\x1b[;5H").cursor(), (0, 4), "column only")
    eq(term(b"\x1b[0;0H").cursor(), (0, 0), "0;0 is 1;1")
    eq(term(b"\x1b[99;99H").cursor(), (3, 9), "clamped to the grid")
    eq(text(term(b"\x1b[2;3HX"))[1], "  X", "writes there")


@check
def cursor_moves_stop_at_the_edges():
    eq(term(b"\x1b[3;5H\x1b[A").cursor(), (1, 4), "A")
    eq(term(b"\x1b[3;5H\x1b[2A").cursor(), (0, 4), "2A")
    eq(term(b"\x1b[3;5H\x1b[9A").cursor(), (0, 4), "9A stops at the top")
    eq(term(b"\x1b[3;5H\x1b[B").cursor(), (3, 4), "B")
    t = term(b"top\x1b[3;5H\x1b[9B")
    eq((t.cursor(), t.scrolls, text(t)[0]), ((3, 4), 0, "top"), "9B stops at the bottom, no scroll")
    eq(term(b"\x1b[3;5H\x1b[3C").cursor(), (2, 7), "3C")
    eq(term(b"\x1b[3;5H\x1b[0C").cursor(), (2, 5), "0C is 1")
    eq(term(b"\x1b[3;5H\x1b[99C").cursor(), (2, 9), "99C stops at the last column")
    eq(term(b"\x1b[3;5H\x1b[D").cursor(), (2, 3), "D")
    eq(term(b"\x1b[3;5H\x1b[99D").cursor(), (2, 0), "99D stops at column 0")


@check
def other_sequences_ignored():
    eq(text(term(b"a\x1b[5Xb"))[0], "ab", "unknown final X")
    eq(text(term(b"a\x1b[?25hb"))[0], "ab", "private marker ? and final h")
    eq(text(term(b"a\x1b[1 qb"))[0], "ab", "intermediate byte")
    eq(text(term(b"a\x1b[=3hb"))[0], "ab", "= marker (OVMF sends it)")
    eq(text(term(b"a\x1bcb"))[0], "ab", "ESC c: both ignored")
    eq(text(term(b"a\x1b(Bb"))[0], "aBb", "ESC ( : both ignored, then B printed")
    eq(text(term(b"a\x1b\x1b[31mb"))[0], "a[31mb", "ESC ESC: both ignored, [31mb printed")


@check
def control_inside_a_sequence_is_executed():
    t = term(b"ab\x1b[\n31mX")
    eq(text(t)[:2], ["ab", "X"], "LF inside the CSI")
    eq(cell(t, 1, 0)[1:], (1, 0), "and the sequence went on (31)")
    t = term(b"abc\x1b[3\b1mX")
    eq((text(t)[0], cell(t, 0, 2)[1:]), ("abX", (1, 0)), "BS inside 31")


# ------------------------------------------------------------ fonts

def font_bytes(path):
    with open(path, "rb") as fh:
        return gzip.decompress(fh.read())


@check
def psf1_vga16_header_and_table():
    raw = font_bytes(fbmodel.FONT_NARROW)
    eq(raw[:2], b"\x36\x04", "PSF1 magic")
    mode, charsize = raw[2], raw[3]
    count = 512 if mode & 1 else 256
    f = fbmodel.read_font(fbmodel.FONT_NARROW)
    eq((len(f.glyphs), f.width, f.height), (count, 8, charsize), "glyphs, width, height")
    expect(mode & 2, "the file has a Unicode table (mode %#x)" % mode)
    # The table: UCS-2 after the glyphs, 0xFFFF after each glyph.
    table = raw[4 + count * charsize:]
    eq(table.count(b"\xff\xff"), count, "separators in the table")
    expect(all(c in f.unicode for c in list(range(0x20, 0x7F)) + list(range(0xA0, 0x100))),
           "every Latin-1 printable is mapped")
    first = table[:table.index(b"\xff\xff")]
    eq(f.glyph_index(struct.unpack_from("<H", first)[0]), 0, "glyph 0's first code point")
    a = f.glyph_index(ord("A"))
    eq(f.glyphs[a], list(raw[4 + a * 16:4 + a * 16 + 16]), "glyph rows of 'A'")
    expect(any(f.glyphs[a]) and not any(f.glyphs[f.glyph_index(0x20)]), "'A' has ink, ' ' none")


@check
def psf2_terminus_header_and_table():
    raw = font_bytes(fbmodel.FONT_WIDE)
    magic, version, hdr, flags, count, size, height, width = struct.unpack_from("<8I", raw)
    eq((magic, version, hdr), (0x864AB572, 0, 32), "PSF2 magic, version, header size")
    f = fbmodel.read_font(fbmodel.FONT_WIDE)
    eq((len(f.glyphs), f.width, f.height), (count, width, height), "glyphs, width, height")
    eq((width, height, size), (16, 32, 64), "a 16x32 font, 2 bytes a row")
    expect(flags & 1, "the file has a Unicode table")
    table = raw[hdr + count * size:]
    eq(table.count(b"\xff"), count, "separators in the table")
    expect(all(c in f.unicode for c in list(range(0x20, 0x7F)) + list(range(0xA0, 0x100))),
           "every Latin-1 printable is mapped")
    a = f.glyph_index(ord("A"))
    rows = [int.from_bytes(raw[hdr + a * size + 2 * y:hdr + a * size + 2 * y + 2], "big")
            for y in range(32)]
    eq(f.glyphs[a], rows, "glyph rows of 'A'")


@check
def missing_code_point_gets_the_question_mark():
    for path in (fbmodel.FONT_NARROW, fbmodel.FONT_WIDE):
        f = fbmodel.read_font(path)
        q = f.glyph_index(ord("?"))
        expect(0x4E00 not in f.unicode, "U+4E00 not in %s" % path)
        eq(f.glyph_index(0x4E00), q, "U+4E00 in %s" % os.path.basename(path))
        expect(f.glyph_index(ord("A")) != q, "'A' is not '?'")


def synthetic_psf2(width, height, glyphs, table):
    rowbytes = (width + 7) // 8
    hdr = struct.pack("<8I", 0x864AB572, 0, 32, 1, len(glyphs), rowbytes * height, height, width)
    body = b"".join(b"".join(r.to_bytes(rowbytes, "big") for r in g) for g in glyphs)
    tab = b"".join(t + b"\xff" for t in table)
    return hdr + body + tab


@check
def psf2_rows_msb_first_padding_and_sequences():
    # A 10-wide glyph: 2 bytes a row, the last 6 bits padding.
    g0 = [0b1000000001_000000, 0b0100000000_111111]
    g1 = [0, 0b1111111111_000000]
    data = synthetic_psf2(10, 2, [g0, g1], ["A?".encode(), "B".encode() + b"\xfe" + "e\u0301".encode()])
    f = fbmodel.parse_psf(gzip.compress(data))
    eq((f.width, f.height, f.glyphs[0]), (10, 2, [0b1000000001, 0b0100000000]), "rows, padding dropped")
    expect(f.pixel(0, 0, 0) and f.pixel(0, 9, 0) and not f.pixel(0, 8, 0) and f.pixel(0, 1, 1),
           "pixel(x, y) MSB first")
    eq((f.glyph_index(ord("A")), f.glyph_index(ord("B")), f.glyph_index(ord("e"))), (0, 1, 0),
       "a sequence after 0xFE maps no single code point ('e' gets '?', glyph 0)")


@check
def psf1_512_glyphs_and_sequences():
    # mode 0x05: 512 glyphs, a table with sequences; 2-row glyphs.
    glyphs = bytes([0x81, 0x42]) + bytes(2 * 511)
    table = b"".join(struct.pack("<%dH" % len(e), *e) for e in
                     [[ord("A"), ord("?"), 0xFFFF], [ord("B"), 0xFFFE, ord("e"), 0x301, 0xFFFF]] +
                     [[0xFFFF]] * 510)
    f = fbmodel.parse_psf(b"\x36\x04\x05\x02" + glyphs + table)
    eq((len(f.glyphs), f.width, f.height, f.glyphs[0]), (512, 8, 2, [0x81, 0x42]), "512 8x2 glyphs")
    eq((f.glyph_index(ord("A")), f.glyph_index(ord("B")), f.glyph_index(ord("e"))), (0, 1, 0),
       "a sequence after 0xFFFE maps no single code point ('e' gets '?', glyph 0)")


@check
def broken_fonts_refused():
    good = synthetic_psf2(8, 1, [[1]], [b"A"])
    for name, data in (("bad magic", b"\x00" + good[1:]), ("short header", good[:20]),
                       ("glyphs cut", good[:32]), ("table cut", good[:-1]),
                       ("PSF1 table cut", b"\x36\x04\x02\x01" + bytes(256) + b"A\x00")):
        try:
            fbmodel.parse_psf(data)
        except ValueError:
            continue
        raise AssertionError("%s: accepted" % name)


# ------------------------------------------------------------ renderer

def file_bit(raw, index, x, y):
    """Bit (x, y) of PSF1 glyph index, from the file's bytes."""
    return raw[4 + index * 16 + y] >> (7 - x) & 1


@check
def glyph_bits_in_their_colours():
    raw = font_bytes(fbmodel.FONT_NARROW)
    f = fbmodel.read_font(fbmodel.FONT_NARROW)
    t = Terminal(4, 2).feed(b"\x1b[32;44mA\x1b[m\xe9")
    img = fbmodel.render(t, 32, 32, f, cursor=False)
    for index, (cx, fg, bg) in ((f.glyph_index(ord("A")), (0, 2, 4)),
                                (f.glyph_index(0xE9), (8, 7, 0))):
        for y in range(16):
            for x in range(8):
                want = rgb(fg) if file_bit(raw, index, x, y) else rgb(bg)
                eq(bytes(img.pixel(cx + x, y)), want, "pixel (%d, %d) of glyph %d" % (x, y, index))
    eq(bytes(img.pixel(20, 20)), rgb(0), "a blank cell")


@check
def palette_bold_and_reverse_pixels():
    f = fbmodel.read_font(fbmodel.FONT_NARROW)
    # A reversed space is all its foreground: one cell per colour.
    t = Terminal(16, 1).feed(b"".join(b"\x1b[0;7;%dm " % (30 + i if i < 8 else 82 + i)
                                      for i in range(16)))
    img = fbmodel.render(t, 128, 16, f, cursor=False)
    for i in range(16):
        eq(bytes(img.pixel(i * 8 + 3, 5)), rgb(i), "colour %d" % i)
    t = Terminal(2, 1).feed(b"\x1b[1;7;32;41m ")
    img = fbmodel.render(t, 16, 16, f, cursor=False)
    eq(bytes(img.pixel(3, 5)), rgb(10), "bold green reversed: a space in bright green")


@check
def grid_and_black_margins():
    f = fbmodel.read_font(fbmodel.FONT_NARROW)
    eq(fbmodel.grid(644, 484, f), (80, 30), "644x484 with 8x16")
    t = Terminal(80, 30).feed(b"\x1b[47m" + b"#" * 2400)
    img = fbmodel.render(t, 644, 484, f)
    eq(bytes(img.pixel(639, 479)), rgb(7), "the last cell (grey background)")
    expect(all(img.pixel(x, y) == (0, 0, 0) for y in range(484) for x in range(640, 644)),
           "the right strip stays black")
    expect(all(img.pixel(x, y) == (0, 0, 0) for y in range(480, 484) for x in range(644)),
           "the bottom strip stays black")


@check
def font_by_width():
    eq((fbmodel.font_for(2559).width, fbmodel.font_for(2559).height), (8, 16), "2559 wide")
    eq((fbmodel.font_for(2560).width, fbmodel.font_for(2560).height), (16, 32), "2560 wide")
    eq(fbmodel.Picture(b"", 3840, 2160).term.cols, 240, "3840x2160: 240 columns")
    eq(fbmodel.Picture(b"", 640, 480).term.rows, 30, "640x480: 30 rows")


@check
def cursor_bottom_rows_in_the_cells_foreground():
    for path, rows in ((fbmodel.FONT_NARROW, 2), (fbmodel.FONT_WIDE, 4)):
        f = fbmodel.read_font(path)
        fw, fh = f.width, f.height
        t = Terminal(3, 2).feed(b"\x1b[2;2H")          # a blank cell: default fg
        img = fbmodel.render(t, 3 * fw, 2 * fh, f)
        for y in range(fh):
            want = rgb(7) if y >= fh - rows else rgb(0)
            eq(bytes(img.pixel(fw + 1, fh + y)), want, "%s cursor row %d" % (os.path.basename(path), y))
        eq(bytes(fbmodel.render(t, 3 * fw, 2 * fh, f, cursor=False).pixel(fw + 1, 2 * fh - 1)),
           rgb(0), "no cursor when not asked")
    f = fbmodel.read_font(fbmodel.FONT_NARROW)
    t = Terminal(3, 1).feed(b"ab\x1b[1;31mc")                       # wrap pending on 'c'
    img = fbmodel.render(t, 24, 16, f)
    eq((bytes(img.pixel(16, 15)), bytes(img.pixel(16, 14))), (rgb(9), rgb(9)),
       "on the last column while a wrap is pending, in that cell's colour")
    eq(bytes(img.pixel(0, 15)), bytes(fbmodel.render(t, 24, 16, f, cursor=False).pixel(0, 15)),
       "cell 0 untouched")


# ------------------------------------------------------------ files

def sample_image():
    img = fbmodel.Image(5, 3)
    for y in range(3):
        for x in range(5):
            img.set_pixel(x, y, (x * 50, y * 100, (x * y * 37) & 255))
    return img


@check
def ppm_round_trip_and_refusals():
    img = sample_image()
    eq(fbmodel.parse_ppm(fbmodel.ppm_bytes(img)), img, "P6 round trip")
    data = b"P6\n# QEMU\n5 3\n255\n" + bytes(img.data)
    eq(fbmodel.parse_ppm(data), img, "a header with a comment")
    for name, bad in (("P3", b"P3\n5 3\n255\n" + bytes(img.data)),
                      ("maxval 65535", b"P6\n5 3\n65535\n" + bytes(img.data)),
                      ("short", fbmodel.ppm_bytes(img)[:-1]), ("no header", b"P6\n5")):
        try:
            fbmodel.parse_ppm(bad)
        except ValueError:
            continue
        raise AssertionError("%s: accepted" % name)


@check
def png_round_trip_and_crc():
    img = sample_image()
    data = fbmodel.png_bytes(img)
    eq(data[:8], b"\x89PNG\r\n\x1a\n", "signature")
    eq(struct.unpack(">I4sII", data[8:24]), (13, b"IHDR", 5, 3), "IHDR size")
    eq(fbmodel.parse_png(data), img, "PNG round trip")
    bad = bytearray(data)
    bad[30] ^= 1
    try:
        fbmodel.parse_png(bytes(bad))
    except ValueError:
        return
    raise AssertionError("a flipped bit in IHDR accepted")


# ------------------------------------------------------------ comparison

def small_picture(data=b"hello\nworld"):
    return fbmodel.Picture(data, 80, 48)                       # 10x3 cells


@check
def equal_screens_compare_equal():
    pic = small_picture()
    eq(fbmodel.compare(pic, fbmodel.Image(80, 48, pic.image.data)), [], "the same picture")


@check
def one_pixel_changed_fails_with_the_cell():
    pic = small_picture()
    img = fbmodel.Image(80, 48, pic.image.data)
    img.set_pixel(8 * 4 + 3, 16 + 5, (255, 255, 255))      # in 'd' of world, row 1 col 4
    with tempfile.TemporaryDirectory() as out:
        problems = fbmodel.compare(pic, img, out)
        expect(problems, "a one-pixel change compares equal")
        eq(problems[0], "1 of 10x3 cells differ; first: ", "the count")
        expect(problems[1].startswith("row 1 col 4: expected 'd' fg 7 aaaaaa bg 0 000000;"),
               "the cell named: %r" % problems[1])
        expect("no glyph of the font" in problems[1], "the pixels described: %r" % problems[1])
        diff = fbmodel.parse_png(open(os.path.join(out, "diff.png"), "rb").read())
        magenta = [(x, y) for y in range(48) for x in range(80) if diff.pixel(x, y) == (255, 0, 255)]
        eq(magenta, [(35, 21)], "diff.png marks the pixel")
        eq(fbmodel.parse_png(open(os.path.join(out, "actual.png"), "rb").read()), img, "actual.png")
        eq(fbmodel.parse_png(open(os.path.join(out, "expected.png"), "rb").read()), pic.image,
           "expected.png")


@check
def wrong_character_named():
    pic = small_picture(b"A\x1b[1;32mB")
    img = small_picture(b"A\x1b[1;32mC").image
    problems = fbmodel.compare(pic, img)
    eq(problems, ["1 of 10x3 cells differ; first: ",
                  "row 0 col 1: expected 'B' fg 10 55ff55 bg 0 000000; "
                  "the screen shows 'C' fg 10 55ff55 bg 0 000000"], "another character")
    pic = small_picture(b"AB\x1b[1;32mC\x1b[D")               # the cursor on a green C
    other = small_picture(b"AB\x1b[1;31mC\x1b[D").image
    eq(fbmodel.compare(pic, other)[1],
       "row 0 col 2: expected 'C' fg 10 55ff55 bg 0 000000 with the cursor; "
       "the screen shows 'C' fg 9 ff5555 bg 0 000000 with the cursor", "the cursor cell")


@check
def margin_and_size_differences():
    pic = fbmodel.Picture(b"x", 84, 50)                    # 10x3 cells, margins 4 and 2
    img = fbmodel.Image(84, 50, pic.image.data)
    img.set_pixel(82, 10, (1, 1, 1))
    img.set_pixel(3, 49, (1, 1, 1))
    eq(fbmodel.compare(pic, img), ["0 of 10x3 cells differ",
                                   "2 pixels outside the 10x3 grid differ (want black)"],
       "margin pixels")
    eq(fbmodel.compare(pic, fbmodel.Image(80, 50)), ["screen is 80x50, the model expects 84x50"],
       "size")


# ------------------------------------------------------------ transcripts

@check
def transcript_from_the_banner_line():
    log = (b"\x1b[2JBdsDxe: loading\r\nloader: jumping\r\nnot pae32 kernel here\r\n"
           b"pae32 kernel 1.0\r\nsecond\r\n")
    eq(fbmodel.kernel_stream(log), b"pae32 kernel 1.0\r\nsecond\r\n", "from the banner line")
    eq(fbmodel.kernel_stream(b"pae32 kernel x\n"), b"pae32 kernel x\n", "banner first")
    eq(fbmodel.kernel_stream(b"loader: no kernel\r\n"), None, "no banner")
    pic = fbmodel.expected_screen(log, 80, 48)
    eq(text(pic.term), ["el 1.0", "second", ""], "the screen from the transcript (one scroll)")
    try:
        fbmodel.expected_screen(b"loader only\r\n", 80, 48)
    except ValueError:
        return
    raise AssertionError("a transcript without a banner gave a screen")


# ------------------------------------------------------------ main

def run_checks():
    return CHECKS.run()


if __name__ == "__main__":
    sys.exit(CHECKS.main())
