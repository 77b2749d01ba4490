#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""psf2c: PC Screen Font files (PSF1 or PSF2, gzip'd or not, with their
Unicode table; the formats of the kbd project's psffontfile) to the C
glyph tables of the framebuffer console (include/video/font.h).

    python3 tools/psf2c.py OUT.c SYMBOL=FONTFILE [SYMBOL=FONTFILE ...]

Each font becomes `const struct font_desc SYMBOL`: 256 glyphs indexed by
Latin-1 code point. A printable code point (0x20-0x7E, 0xA0-0xFF) gets the
glyph the font's Unicode table maps it to, or the glyph of '?' when the
table has none (counted in .missing); the other code points are never
drawn and stay blank. Rows are MSB-first, ceil(width / 8) bytes each, as
in the file. A file that is not a PSF, or a font without a Unicode table
or without '?', is refused with one line naming the file and the fault.
"""

import gzip
import os
import struct
import sys

PSF1_MAGIC = b"\x36\x04"
PSF1_MODE512, PSF1_MODEHASTAB, PSF1_MODESEQ = 0x01, 0x02, 0x04
PSF1_SEPARATOR, PSF1_STARTSEQ = 0xFFFF, 0xFFFE
PSF2_MAGIC = b"\x72\xb5\x4a\x86"
PSF2_HAS_UNICODE_TABLE = 0x01
PSF2_SEPARATOR, PSF2_STARTSEQ = 0xFF, 0xFE


class FontError(Exception):
    pass


def printable(cp):
    return 0x20 <= cp <= 0x7E or 0xA0 <= cp <= 0xFF


def parse_psf1(data):
    """(width, height, glyphs, {code point: glyph index})."""
    mode, charsize = data[2], data[3]
    count = 512 if mode & PSF1_MODE512 else 256
    if not mode & (PSF1_MODEHASTAB | PSF1_MODESEQ):
        raise FontError("PSF1 font without a Unicode table")
    end = 4 + count * charsize
    if len(data) < end:
        raise FontError("PSF1 glyphs cut short (%d bytes, want %d)" % (len(data), end))
    glyphs = [data[4 + i * charsize:4 + (i + 1) * charsize] for i in range(count)]
    table, pos = {}, end
    for index in range(count):
        in_seq = False
        while True:
            if pos + 2 > len(data):
                raise FontError("PSF1 Unicode table cut short at glyph %d" % index)
            (u,) = struct.unpack_from("<H", data, pos)
            pos += 2
            if u == PSF1_SEPARATOR:
                break
            if u == PSF1_STARTSEQ:
                in_seq = True       # sequences (combining forms) are not used
            elif not in_seq:
                table.setdefault(u, index)
    return 8, charsize, glyphs, table


def utf8_chars(b):
    """The code points of a UTF-8 byte string."""
    try:
        return [ord(c) for c in b.decode("utf-8")]
    except UnicodeDecodeError as e:
        raise FontError("PSF2 Unicode table: bad UTF-8 (%s)" % e)


def parse_psf2(data):
    if len(data) < 32:
        raise FontError("PSF2 header cut short")
    _, version, headersize, flags, count, charsize, height, width = \
        struct.unpack_from("<8I", data, 0)
    if version != 0:
        raise FontError("PSF2 version %d (only 0 is defined)" % version)
    if charsize != height * ((width + 7) // 8):
        raise FontError("PSF2 charsize %d is not height %d x %d bytes" % (
            charsize, height, (width + 7) // 8))
    if not flags & PSF2_HAS_UNICODE_TABLE:
        raise FontError("PSF2 font without a Unicode table")
    end = headersize + count * charsize
    if len(data) < end:
        raise FontError("PSF2 glyphs cut short (%d bytes, want %d)" % (len(data), end))
    glyphs = [data[headersize + i * charsize:headersize + (i + 1) * charsize]
              for i in range(count)]
    table, pos = {}, end
    for index in range(count):
        stop = data.find(bytes([PSF2_SEPARATOR]), pos)
        if stop < 0:
            raise FontError("PSF2 Unicode table cut short at glyph %d" % index)
        entry = data[pos:stop]
        pos = stop + 1
        singles = entry.split(bytes([PSF2_STARTSEQ]))[0]   # sequences follow 0xFE
        for cp in utf8_chars(singles):
            table.setdefault(cp, index)
    return width, height, glyphs, table


def read_font(path):
    with open(path, "rb") as fh:
        data = fh.read()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if data[:2] == PSF1_MAGIC:
        return parse_psf1(data)
    if data[:4] == PSF2_MAGIC:
        return parse_psf2(data)
    raise FontError("not a PSF1 or PSF2 font")


def latin1_table(width, height, glyphs, table):
    """256 glyphs by code point, and how many printable ones fell back to '?'."""
    if ord("?") not in table:
        raise FontError("the font has no glyph for '?'")
    blank = bytes(len(glyphs[0]))
    out, missing = [], []
    for cp in range(256):
        if not printable(cp):
            out.append(blank)
        elif cp in table:
            out.append(glyphs[table[cp]])
        else:
            out.append(glyphs[table[ord("?")]])
            missing.append(cp)
    return out, missing


def c_font(symbol, path, width, height, glyphs, missing):
    name = os.path.basename(path)
    for suffix in (".gz", ".psfu", ".psf"):
        if name.endswith(suffix):
            name = name[:-len(suffix)]
    charsize = len(glyphs[0])
    lines = ["/* %s: %dx%d, %d bytes a glyph; %d printable Latin-1 code point(s) "
             "drawn as '?'%s */" % (os.path.basename(path), width, height, charsize,
                                    len(missing), (": " + " ".join("U+%04X" % c for c in missing))
                                    if missing else ""),
             "static const uint8_t %s_data[256 * %d] = {" % (symbol, charsize)]
    for cp, g in enumerate(glyphs):
        if not printable(cp):
            continue
        lines.append("\t[0x%02x * %d] = /* U+%04X */" % (cp, charsize, cp))
        for i in range(0, charsize, 16):
            lines.append("\t\t" + " ".join("0x%02x," % b for b in g[i:i + 16]))
    lines += ["};", "",
              "const struct font_desc %s = {" % symbol,
              "\t.name = \"%s\"," % name,
              "\t.width = %d," % width,
              "\t.height = %d," % height,
              "\t.charsize = %d," % charsize,
              "\t.missing = %d," % len(missing),
              "\t.data = %s_data," % symbol,
              "};", ""]
    return "\n".join(lines)


def main(argv):
    if len(argv) < 2 or any("=" not in a for a in argv[1:]):
        print("usage: psf2c.py OUT.c SYMBOL=FONTFILE [SYMBOL=FONTFILE ...]", file=sys.stderr)
        return 2
    out = argv[0]
    parts = ["/* SPDX-License-Identifier: MIT */",
             "/*",
             " * Generated by tools/psf2c.py from the console-setup-linux fonts: the",
             " * glyph tables of the framebuffer console by Latin-1 code point",
             " * (include/video/font.h). Do not edit.",
             " */",
             "#include \"video/font.h\"", ""]
    for arg in argv[1:]:
        symbol, path = arg.split("=", 1)
        try:
            width, height, glyphs, table = read_font(path)
            if width > 32:
                raise FontError("glyphs %d pixels wide (at most 32)" % width)
            latin, missing = latin1_table(width, height, glyphs, table)
        except (OSError, FontError) as e:
            print("psf2c.py: %s: %s" % (path, e), file=sys.stderr)
            return 1
        parts.append(c_font(symbol, path, width, height, latin, missing))
    with open(out + ".tmp", "w") as fh:
        fh.write("\n".join(parts))
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
