# SPDX-License-Identifier: MIT
"""The framebuffer console's picture computed on the host, independently
of the kernel's C code: the console byte stream (docs/console.md, "The
console byte stream") through a terminal model, drawn with the same PSF
font file into an RGB image, and compared pixel for pixel with QEMU's
`screendump` (docs/testing.md, "Screens and sessions").

Formats: PSF1 and PSF2 as kbd's psffontdump reads them (gzip, Unicode
table); PPM P6 (netpbm's ppm(5)) in, PNG (the W3C PNG specification,
8-bit truecolour, no interlace) out, with the standard library only.

    python3 tests/fbmodel.py render COM1-LOG WIDTHxHEIGHT OUT.png
    python3 tests/fbmodel.py compare COM1-LOG SCREEN.ppm OUTDIR
"""

import gzip
import os
import re
import struct
import sys
import zlib

FONT_DIR = "/usr/share/consolefonts"          # Debian's console-setup-linux
FONT_NARROW = os.path.join(FONT_DIR, "Lat15-VGA16.psf.gz")            # 8x16
FONT_WIDE = os.path.join(FONT_DIR, "Lat15-Terminus32x16.psf.gz")      # 16x32
WIDE_FROM = 2560        # framebuffers this wide or wider get the 16x32 font

# The Linux/VGA console palette by SGR colour index.
PALETTE = [
    (0x00, 0x00, 0x00), (0xaa, 0x00, 0x00), (0x00, 0xaa, 0x00), (0xaa, 0x55, 0x00),
    (0x00, 0x00, 0xaa), (0xaa, 0x00, 0xaa), (0x00, 0xaa, 0xaa), (0xaa, 0xaa, 0xaa),
    (0x55, 0x55, 0x55), (0xff, 0x55, 0x55), (0x55, 0xff, 0x55), (0xff, 0xff, 0x55),
    (0x55, 0x55, 0xff), (0xff, 0x55, 0xff), (0x55, 0xff, 0xff), (0xff, 0xff, 0xff),
]
DEFAULT_FG, DEFAULT_BG = 7, 0
BLANK = (0x20, DEFAULT_FG, DEFAULT_BG)          # a cell: code point, drawn fg, drawn bg

# The kernel banner: the transcript's part the screen shows starts at
# the first line beginning with it (the log buffer's first byte).
BANNER = b"pae32 kernel "


# ------------------------------------------------------------ PSF fonts

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512, PSF1_MODEHASTAB, PSF1_MODEHASSEQ = 0x01, 0x02, 0x04
PSF1_SEPARATOR, PSF1_STARTSEQ = 0xFFFF, 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR, PSF2_STARTSEQ = 0xFF, 0xFE


class Font:
    """A console font: width x height glyphs as rows of MSB-first bits,
    and the code point -> glyph map of its Unicode table (single code
    points; the table's combining sequences are not used)."""

    def __init__(self, width, height, glyphs, unicode, path=None):
        self.width, self.height = width, height
        self.glyphs = glyphs            # per glyph: list of height ints, bit width-1-x is pixel x
        self.unicode = unicode          # code point -> glyph index (the first glyph naming it)
        self.path = path
        self.rowbytes = (width + 7) // 8

    def glyph_index(self, cp):
        """The glyph of code point cp; a code point the font lacks gets
        the glyph of '?'."""
        if self.unicode:
            if cp in self.unicode:
                return self.unicode[cp]
            return self.unicode.get(ord("?"), 0)
        return cp if cp < len(self.glyphs) else ord("?")

    def pixel(self, index, x, y):
        """Whether pixel (x, y) of glyph index is set."""
        return bool(self.glyphs[index][y] >> (self.width - 1 - x) & 1)


def _glyph_rows(data, width, height, rowbytes):
    """A glyph's bytes as height row ints of width bits (padding dropped)."""
    pad = rowbytes * 8 - width
    return [int.from_bytes(data[y * rowbytes:(y + 1) * rowbytes], "big") >> pad
            for y in range(height)]


def parse_psf(data, path=None):
    """A Font from PSF1 or PSF2 bytes (gzip or not); ValueError naming
    the fault for anything else or a short file."""
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        if len(data) < 4:
            raise ValueError("PSF1 header cut short")
        mode, charsize = data[2], data[3]
        count = 512 if mode & PSF1_MODE512 else 256
        width, height, rowbytes, hdr = 8, charsize, 1, 4
        size = charsize
        table = mode & (PSF1_MODEHASTAB | PSF1_MODEHASSEQ)
    elif data[:4] == PSF2_MAGIC:
        if len(data) < 32:
            raise ValueError("PSF2 header cut short")
        _, version, hdr, flags, count, size, height, width = struct.unpack_from("<8I", data)
        rowbytes = (width + 7) // 8
        if version != 0 or size != rowbytes * height or hdr < 32:
            raise ValueError("PSF2 header: version %d, %d bytes per %dx%d glyph, header %d bytes"
                             % (version, size, width, height, hdr))
        table = flags & PSF2_HAS_UNICODE_TABLE
    else:
        raise ValueError("not a PSF1 or PSF2 font (magic %s)" % data[:4].hex())
    end = hdr + count * size
    if len(data) < end:
        raise ValueError("%d glyphs of %d bytes need %d bytes, the file has %d"
                         % (count, size, end, len(data)))
    glyphs = [_glyph_rows(data[hdr + i * size:hdr + (i + 1) * size], width, height, rowbytes)
              for i in range(count)]
    unicode = {}
    if table:
        rest = data[end:]
        if data[:2] == PSF1_MAGIC:
            entries = _psf1_table(rest, count)
        else:
            entries = _psf2_table(rest, count)
        for index, cps in enumerate(entries):
            for cp in cps:
                unicode.setdefault(cp, index)
    return Font(width, height, glyphs, unicode, path)


def _psf1_table(rest, count):
    """Per glyph, the single code points of a PSF1 Unicode table (UCS-2
    little-endian, 0xFFFE starts the sequences, 0xFFFF ends the glyph)."""
    values = struct.unpack("<%dH" % (len(rest) // 2), rest[:len(rest) // 2 * 2])
    entries, cur, in_seq = [], [], False
    for v in values:
        if v == PSF1_SEPARATOR:
            entries.append(cur)
            cur, in_seq = [], False
            if len(entries) == count:
                break
        elif v == PSF1_STARTSEQ:
            in_seq = True
        elif not in_seq:
            cur.append(v)
    if len(entries) != count:
        raise ValueError("PSF1 Unicode table: %d of %d glyph entries" % (len(entries), count))
    return entries


def _psf2_table(rest, count):
    """Per glyph, the single code points of a PSF2 Unicode table (UTF-8,
    0xFE starts the sequences, 0xFF ends the glyph)."""
    entries = []
    pos = 0
    for _ in range(count):
        end = rest.find(bytes([PSF2_SEPARATOR]), pos)
        if end < 0:
            raise ValueError("PSF2 Unicode table: %d of %d glyph entries" % (len(entries), count))
        single = rest[pos:end].split(bytes([PSF2_STARTSEQ]))[0]
        entries.append([ord(c) for c in single.decode("utf-8")])
        pos = end + 1
    return entries


_FONTS = {}


def read_font(path):
    """The Font in the PSF file at path (cached)."""
    if path not in _FONTS:
        with open(path, "rb") as fh:
            _FONTS[path] = parse_psf(fh.read(), path)
    return _FONTS[path]


def font_for(width):
    """The console's font for a framebuffer width pixels wide."""
    return read_font(FONT_WIDE if width >= WIDE_FROM else FONT_NARROW)


# ------------------------------------------------------------ the terminal

TEXT, ESC, CSI = range(3)
MAX_PARAMS = 8
PARAM_MAX = 65535       # a longer number stays at this (no overflow)


class Terminal:
    """The console byte stream on a cols x rows grid of cells (code
    point, drawn foreground, drawn background), with the cursor, its
    pending wrap and the SGR state. feed() takes bytes."""

    def __init__(self, cols, rows):
        if cols < 1 or rows < 1:
            raise ValueError("a %dx%d grid has no cell" % (cols, rows))
        self.cols, self.rows = cols, rows
        self.cells = [[BLANK] * cols for _ in range(rows)]
        self.row = self.col = 0
        self.wrap_pending = False
        self.scrolls = 0                # rows scrolled off the top so far
        self.sgr_reset()
        self.state = TEXT
        self.params = []

    # --- state

    def sgr_reset(self):
        self.fg, self.bg, self.bold, self.reverse = DEFAULT_FG, DEFAULT_BG, False, False

    def drawn_colours(self):
        """(fg, bg) a character written now is drawn in: bold brightens
        0-7, then reverse swaps."""
        fg = self.fg + 8 if self.bold and self.fg < 8 else self.fg
        bg = self.bg
        return (bg, fg) if self.reverse else (fg, bg)

    def cursor(self):
        """(row, col) where the cursor is drawn."""
        return self.row, self.col

    def lines(self):
        """The grid's text, one string per row (Latin-1), trailing blanks kept."""
        return ["".join(chr(c[0]) for c in row) for row in self.cells]

    # --- input

    def feed(self, data):
        for b in data:
            self.byte(b)
        return self

    def byte(self, b):
        if self.state == ESC:
            # ESC [ starts a CSI; ESC and any other byte are both ignored.
            self.state = TEXT
            if b == 0x5B:
                self.state, self.params = CSI, [None]
            return
        if self.state == CSI:
            if b == 0x1B:
                self.state = ESC        # a new sequence replaces this one (as xterm)
            elif b < 0x20:
                self.control(b)         # executed; the sequence goes on
            elif 0x30 <= b <= 0x39:
                if len(self.params) <= MAX_PARAMS:
                    cur = self.params[-1] or 0
                    self.params[-1] = min(PARAM_MAX, cur * 10 + b - 0x30)
            elif b == 0x3B:
                if len(self.params) <= MAX_PARAMS:
                    self.params.append(None)
            elif 0x40 <= b <= 0x7E:
                self.state = TEXT
                self.csi(chr(b), self.params[:MAX_PARAMS])
            # 0x3A, 0x3C-0x3F (private markers), 0x20-0x2F (intermediates),
            # 0x7F and 0x80-0xFF: ignored, the sequence goes on.
            return
        if b == 0x1B:
            self.state = ESC
        elif b < 0x20:
            self.control(b)
        elif b <= 0x7E or b >= 0xA0:
            self.printable(b)
        # 0x7F and 0x80-0x9F: ignored

    def control(self, b):
        if b == 0x0A:
            self.col = 0
            self.line_feed()
        elif b == 0x0D:
            self.col = 0
        elif b == 0x08:
            self.col = max(0, self.col - 1)
        elif b == 0x09:
            self.col = min(self.cols - 1, (self.col // 8 + 1) * 8)
        else:
            return                      # other C0 controls: ignored
        self.wrap_pending = False

    def line_feed(self):
        if self.row == self.rows - 1:
            self.scroll()
        else:
            self.row += 1

    def scroll(self):
        del self.cells[0]
        self.cells.append([BLANK] * self.cols)
        self.scrolls += 1

    def printable(self, b):
        if self.wrap_pending:
            self.col = 0
            self.line_feed()
            self.wrap_pending = False
        fg, bg = self.drawn_colours()
        self.cells[self.row][self.col] = (b, fg, bg)
        if self.col == self.cols - 1:
            self.wrap_pending = True
        else:
            self.col += 1

    def erase(self, row, start, end):
        """Cells [start, end) of row blank, in the default colours."""
        self.cells[row][start:end] = [BLANK] * (end - start)

    def csi(self, final, params):
        self.wrap_pending = False

        def arg(i, default):
            v = params[i] if i < len(params) else None
            return default if v is None else v

        if final == "m":
            for p in params:
                self.sgr(0 if p is None else p)
        elif final == "K":
            mode = arg(0, 0)
            if mode == 0:
                self.erase(self.row, self.col, self.cols)
            elif mode == 1:
                self.erase(self.row, 0, self.col + 1)
            elif mode == 2:
                self.erase(self.row, 0, self.cols)
        elif final == "J":
            mode = arg(0, 0)
            if mode == 0:
                self.erase(self.row, self.col, self.cols)
                for r in range(self.row + 1, self.rows):
                    self.erase(r, 0, self.cols)
            elif mode == 1:
                for r in range(self.row):
                    self.erase(r, 0, self.cols)
                self.erase(self.row, 0, self.col + 1)
            elif mode == 2:
                for r in range(self.rows):
                    self.erase(r, 0, self.cols)
        elif final in "Hf":
            self.row = min(max(arg(0, 1), 1), self.rows) - 1
            self.col = min(max(arg(1, 1), 1), self.cols) - 1
        elif final in "ABCD":
            n = arg(0, 1) or 1
            if final == "A":
                self.row = max(0, self.row - n)
            elif final == "B":
                self.row = min(self.rows - 1, self.row + n)
            elif final == "C":
                self.col = min(self.cols - 1, self.col + n)
            else:
                self.col = max(0, self.col - n)
        # any other final: the sequence is ignored

    def sgr(self, p):
        if p == 0:
            self.sgr_reset()
        elif p == 1:
            self.bold = True
        elif p == 22:
            self.bold = False
        elif p == 7:
            self.reverse = True
        elif p == 27:
            self.reverse = False
        elif 30 <= p <= 37:
            self.fg = p - 30
        elif p == 39:
            self.fg = DEFAULT_FG
        elif 40 <= p <= 47:
            self.bg = p - 40
        elif p == 49:
            self.bg = DEFAULT_BG
        elif 90 <= p <= 97:
            self.fg = p - 90 + 8
        elif 100 <= p <= 107:
            self.bg = p - 100 + 8
        # other values: ignored


# ------------------------------------------------------------ images

class Image:
    """width x height RGB pixels, rows top to bottom, 3 bytes each."""

    def __init__(self, width, height, data=None):
        self.width, self.height = width, height
        self.data = bytearray(width * height * 3) if data is None else bytearray(data)
        if len(self.data) != width * height * 3:
            raise ValueError("%dx%d RGB needs %d bytes, got %d"
                             % (width, height, width * height * 3, len(self.data)))

    def pixel(self, x, y):
        i = (y * self.width + x) * 3
        return tuple(self.data[i:i + 3])

    def set_pixel(self, x, y, rgb):
        i = (y * self.width + x) * 3
        self.data[i:i + 3] = bytes(rgb)

    def region(self, x, y, w, h):
        """The pixels of a w x h box as a list of row bytes."""
        return [bytes(self.data[((y + j) * self.width + x) * 3:((y + j) * self.width + x + w) * 3])
                for j in range(h)]

    def __eq__(self, other):
        return (isinstance(other, Image) and (self.width, self.height) == (other.width, other.height)
                and self.data == other.data)


def cursor_rows(font):
    """The cursor's height: the bottom max(1, height / 8) pixel rows."""
    return max(1, font.height // 8)


def grid(width, height, font):
    """(cols, rows) of the console on a width x height framebuffer."""
    return width // font.width, height // font.height


def render(term, width, height, font=None, cursor=True):
    """The framebuffer picture of term: the grid at (0, 0), each cell its
    glyph in its drawn colours, the cursor's bottom rows in the cursor
    cell's foreground (when cursor), black outside the grid."""
    font = font or font_for(width)
    cols, rows = grid(width, height, font)
    if (cols, rows) != (term.cols, term.rows):
        raise ValueError("a %dx%d terminal on a %dx%d grid" % (term.cols, term.rows, cols, rows))
    fw, fh = font.width, font.height
    rgb = [bytes(c) for c in PALETTE]
    cache = {}

    def segment(index, y, fg, bg):
        key = (index, y, fg, bg)
        seg = cache.get(key)
        if seg is None:
            bits = font.glyphs[index][y]
            seg = b"".join(rgb[fg] if bits >> (fw - 1 - x) & 1 else rgb[bg] for x in range(fw))
            cache[key] = seg
        return seg

    right = bytes((width - cols * fw) * 3)
    out = bytearray()
    crow, ccol = term.cursor()
    ch = cursor_rows(font)
    for r in range(rows):
        cells = [(font.glyph_index(cp), fg, bg) for cp, fg, bg in term.cells[r]]
        for y in range(fh):
            line = [segment(i, y, fg, bg) for i, fg, bg in cells]
            if cursor and r == crow and y >= fh - ch:
                line[ccol] = rgb[cells[ccol][1]] * fw
            out += b"".join(line) + right
    out += bytes((height - rows * fh) * width * 3)
    return Image(width, height, out)


# ------------------------------------------------------------ PPM and PNG

def parse_ppm(data):
    """An Image from PPM P6 bytes (maxval 255, as QEMU's screendump
    writes); ValueError naming the fault otherwise."""
    pos, fields = 0, []
    while len(fields) < 4:
        while pos < len(data) and data[pos:pos + 1].isspace():
            pos += 1
        if data[pos:pos + 1] == b"#":
            end = data.find(b"\n", pos)
            pos = len(data) if end < 0 else end + 1
            continue
        m = re.compile(rb"\S+").match(data, pos)
        if not m:
            raise ValueError("PPM header cut short")
        fields.append(m.group(0))
        pos = m.end()
    if fields[0] != b"P6":
        raise ValueError("not a binary PPM (magic %r)" % fields[0])
    try:
        width, height, maxval = (int(f) for f in fields[1:])
    except ValueError:
        raise ValueError("PPM header %r: not numbers" % b" ".join(fields[1:]))
    if maxval != 255:
        raise ValueError("PPM maxval %d (only 255 is read)" % maxval)
    pos += 1                            # the one whitespace byte after maxval
    body = data[pos:pos + width * height * 3]
    if len(body) != width * height * 3:
        raise ValueError("PPM %dx%d: %d of %d pixel bytes" % (width, height, len(body),
                                                              width * height * 3))
    return Image(width, height, body)


def read_ppm(path):
    with open(path, "rb") as fh:
        return parse_ppm(fh.read())


def ppm_bytes(img):
    return b"P6\n%d %d\n255\n" % (img.width, img.height) + bytes(img.data)


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(kind, body):
    return struct.pack(">I", len(body)) + kind + body + \
        struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_bytes(img, level=6):
    """img as a PNG: 8-bit RGB, no interlace, filter 0 on every row,
    deflated at zlib's level (9: smallest)."""
    stride = img.width * 3
    raw = b"".join(b"\0" + bytes(img.data[y * stride:(y + 1) * stride]) for y in range(img.height))
    return (PNG_SIGNATURE +
            _chunk(b"IHDR", struct.pack(">IIBBBBB", img.width, img.height, 8, 2, 0, 0, 0)) +
            _chunk(b"IDAT", zlib.compress(raw, level)) + _chunk(b"IEND", b""))


def write_png(path, img, level=6):
    with open(path, "wb") as fh:
        fh.write(png_bytes(img, level))


def parse_png(data):
    """An Image from a PNG of the kind png_bytes writes (8-bit RGB, no
    interlace, filter 0), every chunk's CRC checked; ValueError else."""
    if data[:8] != PNG_SIGNATURE:
        raise ValueError("not a PNG (signature %s)" % data[:8].hex())
    pos, idat, hdr = 8, b"", None
    while pos < len(data):
        if pos + 8 > len(data):
            raise ValueError("PNG chunk header cut short at %d" % pos)
        length, kind = struct.unpack_from(">I4s", data, pos)
        body = data[pos + 8:pos + 8 + length]
        crc, = struct.unpack_from(">I", data, pos + 8 + length)
        if zlib.crc32(kind + body) & 0xFFFFFFFF != crc:
            raise ValueError("PNG chunk %r: bad CRC" % kind)
        if kind == b"IHDR":
            hdr = struct.unpack(">IIBBBBB", body)
        elif kind == b"IDAT":
            idat += body
        elif kind == b"IEND":
            break
        pos += 12 + length
    if hdr is None or hdr[2:] != (8, 2, 0, 0, 0):
        raise ValueError("PNG header %r: only 8-bit RGB, no interlace is read" % (hdr,))
    width, height = hdr[:2]
    raw = zlib.decompress(idat)
    stride = width * 3 + 1
    if len(raw) != stride * height:
        raise ValueError("PNG data: %d bytes, want %d" % (len(raw), stride * height))
    out = bytearray()
    for y in range(height):
        if raw[y * stride] != 0:
            raise ValueError("PNG row %d: filter %d (only 0 is read)" % (y, raw[y * stride]))
        out += raw[y * stride + 1:(y + 1) * stride]
    return Image(width, height, out)


# ------------------------------------------------------------ expectations

def kernel_stream(transcript):
    """The part of a COM1 transcript (bytes) the screen shows: from the
    first byte of the first line that starts with the kernel banner;
    None when there is no banner yet."""
    if transcript.startswith(BANNER):
        return transcript
    pos = transcript.find(b"\n" + BANNER)
    return None if pos < 0 else transcript[pos + 1:]


class Picture:
    """The expected screen: the terminal model fed with a stream, on a
    width x height framebuffer, and its image (drawn on first use)."""

    def __init__(self, stream, width, height, cursor=True):
        self.width, self.height, self.cursor = width, height, cursor
        self.font = font_for(width)
        cols, rows = grid(width, height, self.font)
        self.term = Terminal(cols, rows).feed(stream)
        self._image = None

    @property
    def image(self):
        if self._image is None:
            self._image = render(self.term, self.width, self.height, self.font, self.cursor)
        return self._image


def expected_screen(transcript, width, height):
    """The Picture a COM1 transcript gives for a width x height screen
    once the kernel is idle; ValueError when it has no kernel banner."""
    stream = kernel_stream(transcript)
    if stream is None:
        raise ValueError("no line starting with %r in the transcript" % BANNER.decode())
    return Picture(stream, width, height)


# ------------------------------------------------------------ comparison

def colour_name(rgb):
    """A palette colour as "7 aaaaaa", anything else as its hex."""
    hexrgb = "%02x%02x%02x" % tuple(rgb)
    return "%d %s" % (PALETTE.index(tuple(rgb)), hexrgb) if tuple(rgb) in PALETTE else hexrgb


def char_name(cp):
    return "%r" % chr(cp) if 0x20 <= cp <= 0x7E else "U+%04X" % cp


class GlyphIndex:
    """Glyph bitmaps -> a code point drawn with them, to name what a
    cell of a screendump shows: whole cells and cells whose bottom rows
    are covered by the cursor."""

    def __init__(self, font):
        self.font = font
        self.ch = cursor_rows(font)
        first = {}
        for cp in sorted(font.unicode):
            first.setdefault(font.unicode[cp], cp)
        if not font.unicode:
            first = {i: i for i in range(len(font.glyphs))}
        self.whole, self.top = {}, {}
        for index, cp in sorted(first.items(), key=lambda kv: kv[1]):
            rows = tuple(font.glyphs[index])
            self.whole.setdefault(rows, cp)
            self.top.setdefault(rows[:font.height - self.ch], cp)

    def read(self, img, col, row):
        """What cell (row, col) of img shows: (code point, fg, bg, cursor)
        for a glyph of the font in two colours (cursor: with the cursor's
        rows over its bottom), (0x20, None, colour, False) for a cell of
        one colour, else {colour: pixels}. Colours as 3 bytes."""
        f = self.font
        lines = img.region(col * f.width, row * f.height, f.width, f.height)
        pix = [[line[i:i + 3] for i in range(0, len(line), 3)] for line in lines]
        colours = {}
        for line in pix:
            for p in line:
                colours[p] = colours.get(p, 0) + 1
        if len(colours) == 1:
            return 0x20, None, next(iter(colours)), False
        if len(colours) == 2:
            for fg, bg in (list(colours), list(colours)[::-1]):
                bits = tuple(sum(1 << (f.width - 1 - x) for x in range(f.width) if line[x] == fg)
                             for line in pix)
                if bits in self.whole:
                    return self.whole[bits], fg, bg, False
                cursor = all(b == (1 << f.width) - 1 for b in bits[f.height - self.ch:])
                if cursor and bits[:f.height - self.ch] in self.top:
                    return self.top[bits[:f.height - self.ch]], fg, bg, True
        return colours

    def describe(self, img, col, row):
        """What the pixels of cell (row, col) look like: a character in
        two colours (with or without the cursor), one colour, or a count
        of colours."""
        got = self.read(img, col, row)
        if isinstance(got, dict):
            top = sorted(got.items(), key=lambda kv: -kv[1])[:3]
            return "no glyph of the font: %d colours (%s)" % (
                len(got), ", ".join("%s x%d" % (colour_name(c), n) for c, n in top))
        cp, fg, bg, cursor = got
        if fg is None:
            return "blank, all %s" % colour_name(bg)
        return "%s fg %s bg %s%s" % (char_name(cp), colour_name(fg), colour_name(bg),
                                     " with the cursor" if cursor else "")


def diff_image(expected, actual):
    """actual with every pixel that differs from expected in magenta and
    the rest dimmed to a third."""
    out = bytearray(len(actual.data))
    e, a = expected.data, actual.data
    for i in range(0, len(a), 3):
        if e[i:i + 3] != a[i:i + 3]:
            out[i:i + 3] = b"\xff\x00\xff"
        else:
            out[i:i + 3] = bytes(v // 3 for v in a[i:i + 3])
    return Image(actual.width, actual.height, out)


def compare(picture, actual, outdir=None, limit=5):
    """Problems (strings; none: equal) of a screendump against the
    expected Picture: the size, then the first `limit` differing cells
    in reading order as (row, col, the expected character and colours,
    what the pixels show) and the differing pixels outside the grid.
    On a difference, expected.png, actual.png and diff.png go to outdir
    (when given) and the last problem names them."""
    exp = picture.image
    if (actual.width, actual.height) != (exp.width, exp.height):
        problems = ["screen is %dx%d, the model expects %dx%d" % (
            actual.width, actual.height, exp.width, exp.height)]
        if outdir:
            write_png(os.path.join(outdir, "actual.png"), actual)
            write_png(os.path.join(outdir, "expected.png"), exp)
            problems.append("pictures: %s/{expected,actual}.png" % outdir)
        return problems
    if exp.data == actual.data:
        return []
    font, term = picture.font, picture.term
    fw, fh = font.width, font.height
    index = GlyphIndex(font)
    crow, ccol = term.cursor()
    bad, first = 0, []
    for r in range(term.rows):
        if exp.region(0, r * fh, term.cols * fw, fh) == actual.region(0, r * fh, term.cols * fw, fh):
            continue
        for c in range(term.cols):
            if exp.region(c * fw, r * fh, fw, fh) != actual.region(c * fw, r * fh, fw, fh):
                bad += 1
                if len(first) < limit:
                    cp, fg, bg = term.cells[r][c]
                    want = "%s fg %s bg %s%s" % (char_name(cp), colour_name(PALETTE[fg]),
                                                 colour_name(PALETTE[bg]),
                                                 " with the cursor" if picture.cursor and
                                                 (r, c) == (crow, ccol) else "")
                    first.append("row %d col %d: expected %s; the screen shows %s" % (
                        r, c, want, index.describe(actual, c, r)))
    problems = ["%d of %dx%d cells differ%s" % (bad, term.cols, term.rows,
                                                "; first: " if first else "")] + first
    outside = _outside_grid_diffs(exp, actual, term.cols * fw, term.rows * fh)
    if outside:
        problems.append("%d pixels outside the %dx%d grid differ (want black)" % (
            outside, term.cols, term.rows))
    if outdir:
        os.makedirs(outdir, exist_ok=True)
        write_png(os.path.join(outdir, "expected.png"), exp)
        write_png(os.path.join(outdir, "actual.png"), actual)
        write_png(os.path.join(outdir, "diff.png"), diff_image(exp, actual))
        problems.append("pictures: %s/{expected,actual,diff}.png" % outdir)
    return problems


def _outside_grid_diffs(exp, actual, gw, gh):
    n = 0
    for y in range(exp.height):
        x0 = 0 if y >= gh else gw
        if x0 >= exp.width:
            continue
        a, b = exp.region(x0, y, exp.width - x0, 1)[0], actual.region(x0, y, exp.width - x0, 1)[0]
        if a != b:
            n += sum(a[i:i + 3] != b[i:i + 3] for i in range(0, len(a), 3))
    return n


# ------------------------------------------------------------ the command

def main(argv):
    usage = __doc__[__doc__.index("    python3"):].rstrip()
    if len(argv) == 4 and argv[0] == "render":
        m = re.fullmatch(r"([1-9]\d*)x([1-9]\d*)", argv[2])
        if not m:
            print("fbmodel.py: %s: not WIDTHxHEIGHT" % argv[2], file=sys.stderr)
            return 2
        with open(argv[1], "rb") as fh:
            pic = expected_screen(fh.read(), int(m.group(1)), int(m.group(2)))
        write_png(argv[3], pic.image)
        print("fbmodel.py: %dx%d cells, %d scrolls, wrote %s" % (
            pic.term.cols, pic.term.rows, pic.term.scrolls, argv[3]))
        return 0
    if len(argv) == 4 and argv[0] == "compare":
        actual = read_ppm(argv[2])
        with open(argv[1], "rb") as fh:
            pic = expected_screen(fh.read(), actual.width, actual.height)
        problems = compare(pic, actual, argv[3])
        print("\n".join(problems) or "fbmodel.py: the screen equals the model's picture")
        return 1 if problems else 0
    print("usage:\n" + usage, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
