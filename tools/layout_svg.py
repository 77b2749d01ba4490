#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Draws the virtual kernel memory layout of a boot log as an SVG of the
4 GiB address space, in the manner of the kernel address space figure of
the reference texts (seed 000 §5.1, Figure 5.1).

usage: tools/layout_svg.py [LOG] [-o OUT.svg]

LOG (default: stdin) is the kernel's console output. The "virtual kernel
memory layout" lines (mm/init.c, print_layout) are required; the last such
block is drawn. The vmallocinfo dump (mm/vmalloc.c) and the pkmap and fixmap
slot lines (mm/highmem.c, mm/fixmap.c) printed after it, up to the ktest
checkpoint ("checkpoint ktest: paused for the host") if there is one, are drawn when
present. A log without a complete, consistent layout is refused: a message
on stderr, exit status 1, no SVG.
"""

import argparse
import html
import os
import re
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import qemu  # noqa: E402  strip_escapes: OVMF's screen clearing, the kernel's colours

FOUR_GIB = 1 << 32
PAGE_SIZE = 4096

LAYOUT_HEAD_RE = re.compile(r"virtual kernel memory layout:$")
# print_region: "    %-9s: 0x%08lx - 0x%08lx   (%4lu MB)" (or kB)
LAYOUT_RE = re.compile(r"^\s+(\.?\w+)\s*: 0x([0-9a-f]{8}) - 0x([0-9a-f]{8})"
                       r"\s+\(\s*(\d+) (kB|MB)\)$")
LAYOUT_NAMES = ("fixmap", "pkmap", "vmalloc", "lowmem",
                ".init", ".text", ".rodata", ".data", ".bss")
SECTIONS = LAYOUT_NAMES[4:]
# vmallocinfo_boot_dump prefixes its header with "vmalloc: ", the
# checkpoint's dump does not.
VMALLOCINFO_HEAD_RE = re.compile(r"^(?:vmalloc: )?vmallocinfo:$")
# show_area: "0x%08lx-0x%08lx %7lu 0x%08lx pages=N vmalloc module", or
# "... phys=0x%llx ioremap"
AREA_RE = re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8})\s+(\d+) 0x[0-9a-f]{8} (.*)$")
# pkmap_show and fixmap_show
SLOT_RE = re.compile(r"\b(pkmap|fixmap): slot (\d+) 0x([0-9a-f]{8}) -> 0x([0-9a-f]+)(.*)$")
PAUSED_RE = re.compile(r"^checkpoint ktest: paused for the host")
# An address space listed before a checkpoint taken in it (mm_checkpoint,
# mm/mm_struct.c): "checkpoint maps: PID 1 (/bin/t_mm)", then one line per
# VMA, "checkpoint maps: 08048000-0804a000 r-xp /bin/t_mm", then its rss.
USER_MAPS_HEAD_RE = re.compile(r"^checkpoint maps: PID (\d+) \((.*)\)$")
MAPS_RE = re.compile(r"^checkpoint maps: ([0-9a-f]{8})-([0-9a-f]{8}) ([-r][-w][-x][ps])\s*(.*)$")
BANNER_RE = re.compile(r"^pae32 kernel ")

# Drawing: one text line, the smallest box, the bar's height at least.
LINE = 13
MIN_H = 16
BAR_H = 1000
BAR_X, BAR_W = 240, 150
LABEL_X = BAR_X + BAR_W + 12
PARENT_X = 760
WIDTH = 1020
TOP = 70

STYLE = {
    "user": "#e8e8e8", "direct": "#cfe2f3", "section": "#6fa8dc",
    "gap": "#ffffff", "free": "#e2f0d9", "area": "#93c47d",
    "pkmap": "#f9cb9c", "fixmap": "#d5a6bd", "top": "#bdbdbd",
}


class LayoutError(Exception):
    pass


def size_text(nbytes):
    """A size as print_region prints it: kB, or MB from 10240 kB, rounded down."""
    kib = nbytes >> 10
    return "%d MB" % (kib >> 10) if kib >= 10240 else "%d kB" % kib


def addr_text(a):
    return "4 GiB" if a == FOUR_GIB else "0x%08x" % a


def range_text(start, end):
    return "%s - %s (%s)" % (addr_text(start), addr_text(end), size_text(end - start))


# ------------------------------------------------------------ parsing

def parse(text):
    """{'layout': {name: (start, end)}, 'areas': [...] or None, 'slots':
    [...], 'banner': str or None, 'checkpoint': bool} from a boot log."""
    lines = [l.rstrip() for l in qemu.strip_escapes(text).split("\n")]
    heads = [i for i, l in enumerate(lines) if LAYOUT_HEAD_RE.search(l)]
    if not heads:
        raise LayoutError("no 'virtual kernel memory layout:' block "
                          "(mm/init.c, print_layout) in the log")
    layout = {}
    i = heads[-1] + 1
    while i < len(lines) and (m := LAYOUT_RE.match(lines[i])):
        name, start, end = m.group(1), int(m.group(2), 16), int(m.group(3), 16)
        printed = "%s %s" % (m.group(4), m.group(5))
        if name not in LAYOUT_NAMES:
            raise LayoutError("unknown layout line '%s'" % name)
        if name in layout:
            raise LayoutError("two '%s' lines in the layout block" % name)
        if end < start or size_text(end - start) != printed:
            raise LayoutError("layout line '%s': 0x%08x - 0x%08x is %s, the line says %s"
                              % (name, start, end, size_text(max(end - start, 0)), printed))
        layout[name] = (start, end)
        i += 1
    missing = [n for n in LAYOUT_NAMES if n not in layout]
    if missing:
        raise LayoutError("the layout block has no line for %s"
                          % ", ".join("'%s'" % n for n in missing))
    check_order(layout)
    end = next((j for j in range(i, len(lines)) if PAUSED_RE.match(lines[j])), None)
    window = lines[i:end]
    return {"layout": layout,
            "areas": parse_areas(window, layout["vmalloc"]),
            "slots": parse_slots(window, layout),
            "process": parse_process(lines),
            "banner": next((l for l in reversed(lines[:heads[-1]])
                            if BANNER_RE.match(l)), None),
            "checkpoint": end is not None}


def check_order(layout):
    """The regions follow each other as seed 000 §5.1 orders them."""
    chain = [("PAGE_OFFSET", layout["lowmem"][0]), ("high_memory", layout["lowmem"][1]),
             ("VMALLOC_START", layout["vmalloc"][0]), ("VMALLOC_END", layout["vmalloc"][1]),
             ("PKMAP_BASE", layout["pkmap"][0]), ("PKMAP_END", layout["pkmap"][1]),
             ("FIXADDR_START", layout["fixmap"][0]), ("FIXADDR_TOP", layout["fixmap"][1])]
    for (a, va), (b, vb) in zip(chain, chain[1:]):
        if va > vb:
            raise LayoutError("%s 0x%08x lies above %s 0x%08x" % (a, va, b, vb))
    below = layout["lowmem"][0]
    for name in sorted(SECTIONS, key=lambda n: layout[n]):
        start, end = layout[name]
        if start < below or end > layout["lowmem"][1]:
            raise LayoutError("section %s 0x%08x - 0x%08x overlaps another or lies "
                              "outside lowmem" % (name, start, end))
        below = end


def parse_areas(window, vmalloc):
    """The last vmallocinfo dump in window: [(start, end, words)], the end
    including the guard page; None without a dump."""
    heads = [i for i, l in enumerate(window) if VMALLOCINFO_HEAD_RE.match(l)]
    if not heads:
        return None
    areas = []
    below = vmalloc[0]
    for l in window[heads[-1] + 1:]:
        m = AREA_RE.match(l)
        if not m:
            break
        start, end, size = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3))
        if size != end - start or start < below or end > vmalloc[1] or size < PAGE_SIZE:
            raise LayoutError("vmallocinfo line '%s' does not fit the vmalloc area "
                              "or the lines before it" % l)
        areas.append((start, end, m.group(4).strip()))
        below = end
    return areas


def parse_process(lines):
    """The last process address space listed in the log: {'pid', 'path',
    'vmas': [(start, end, perms, name)]}, or None."""
    heads = [i for i, l in enumerate(lines) if USER_MAPS_HEAD_RE.match(l)]
    if not heads:
        return None
    m = USER_MAPS_HEAD_RE.match(lines[heads[-1]])
    vmas, below = [], 0
    for l in lines[heads[-1] + 1:]:
        v = MAPS_RE.match(l)
        if not v:
            break
        start, end = int(v.group(1), 16), int(v.group(2), 16)
        if start < below or end <= start or end > 0xC0000000:
            raise LayoutError("maps line '%s' does not fit user space or the lines before it"
                              % l.strip())
        vmas.append((start, end, v.group(3), v.group(4).strip()))
        below = end
    return {"pid": int(m.group(1)), "path": m.group(2), "vmas": vmas}


def parse_slots(window, layout):
    """Every mapped pkmap and fixmap slot printed in window:
    [(kind, index, va, phys, rest of the line)]."""
    slots = {}
    for l in window:
        m = SLOT_RE.search(l)
        if not m:
            continue
        kind, idx, va = m.group(1), int(m.group(2)), int(m.group(3), 16)
        # PKMAP_ADDR(i) and __fix_to_virt(i)
        want = (layout["pkmap"][0] + idx * PAGE_SIZE if kind == "pkmap"
                else layout["fixmap"][1] - idx * PAGE_SIZE)
        start, end = layout[kind]
        if va != want or not start <= va < end:
            raise LayoutError("'%s' is not a %s slot of the layout" % (l.strip(), kind))
        slots[kind, idx] = (kind, idx, va, int(m.group(4), 16), m.group(5).strip())
    return [slots[k] for k in sorted(slots)]


# ------------------------------------------------------------ regions

class Box:
    """A range of the address space; a leaf is drawn as a box in the bar,
    a parent as a bracket beside the leaves it is made of."""

    def __init__(self, ident, title, start, end, style, notes=()):
        self.ident, self.title, self.start, self.end = ident, title, start, end
        self.style, self.notes = style, list(notes)
        self.children = []
        self.y = self.h = 0.0
        self.scaled = True

    def label(self):
        return [range_text(self.start, self.end)] + self.notes

    def min_h(self):
        return max(MIN_H, LINE * len(self.label()) + 4)


def regions(info):
    """The top-level boxes from address 0 up to 4 GiB."""
    lay = info["layout"]
    po, high = lay["lowmem"]
    vs, ve = lay["vmalloc"]
    pb, pe = lay["pkmap"]
    fs, ft = lay["fixmap"]

    lowmem = Box("lowmem", "lowmem", po, high, "direct",
                 ["PAGE_OFFSET to high_memory,", "the direct map:",
                  "virt = phys + PAGE_OFFSET"])
    sections = sorted(SECTIONS, key=lambda n: lay[n])
    first, last = lay[sections[0]][0], lay[sections[-1]][1]
    if first > po:
        lowmem.children.append(Box("lowmem-below-image", "direct map", po, first, "direct",
                                   ["phys 0x%08x - 0x%08x" % (0, first - po)]))
    for name in sections:
        lowmem.children.append(Box("section-" + name[1:], name, *lay[name], "section"))
    if last < high:
        lowmem.children.append(Box("lowmem-above-image", "direct map", last, high, "direct",
                                   ["phys 0x%08x - 0x%08x" % (last - po, high - po)]))

    vmalloc = Box("vmalloc", "vmalloc", vs, ve, "free",
                  ["VMALLOC_START to VMALLOC_END"])
    below = vs
    for start, end, words in info["areas"] or []:
        if start > below:
            vmalloc.children.append(Box("vmalloc-free-%x" % below, "free", below, start, "free"))
        kind = next((w for w in ("module", "ioremap", "vmap") if w in words.split()), "vmalloc")
        vmalloc.children.append(Box("vmalloc-area-%x" % start, kind, start, end, "area",
                                    [words + ", last page the guard"]))
        below = end
    if below < ve:
        vmalloc.children.append(Box("vmalloc-free-%x" % below, "free", below, ve, "free"))
    if info["areas"] is None:
        vmalloc.notes.append("(no vmallocinfo in the log: areas not drawn)")

    def slot_notes(kind):
        mapped = ["slot %d 0x%08x -> 0x%x %s" % (i, va, phys, rest)
                  for k, i, va, phys, rest in info["slots"] if k == kind]
        return ["mapped:"] + mapped if mapped else []

    user = Box("user", "user space", 0, po, "user",
               ["0 to PAGE_OFFSET: the process's part, changes",
                "with every context switch"])
    proc = info.get("process")
    if proc:
        user.notes.append("PID %d (%s), its VMAs:" % (proc["pid"], proc["path"]))
        below = 0
        for start, end, perms, name in proc["vmas"]:
            if start > below:
                user.children.append(Box("user-free-%x" % below, "unmapped", below, start, "gap"))
            user.children.append(Box("user-vma-%x" % start, name or "[anon]", start, end, "area",
                                     ["%s %s" % (perms, name or "anonymous")]))
            below = end
        if below < po:
            user.children.append(Box("user-free-%x" % below, "unmapped", below, po, "gap"))
    boxes = [user,
             lowmem,
             Box("vmalloc-offset", "VMALLOC_OFFSET gap", high, vs, "gap",
                 ["high_memory to VMALLOC_START: guards against",
                  "out-of-bounds access"]),
             vmalloc,
             Box("two-page-gap", "2-page gap", ve, pb, "gap",
                 ["VMALLOC_END to PKMAP_BASE"]),
             Box("pkmap", "pkmap", pb, pe, "pkmap",
                 ["PKMAP_BASE: LAST_PKMAP = %d kmap() slots" % ((pe - pb) // PAGE_SIZE)] + slot_notes("pkmap"))]
    if fs > pe:
        boxes.append(Box("pkmap-unused", "unused", pe, fs, "gap",
                         ["PKMAP_END to FIXADDR_START"]))
    boxes += [Box("fixmap", "fixmap", fs, ft, "fixmap",
                  ["FIXADDR_START to FIXADDR_TOP, slot i at",
                   "FIXADDR_TOP - i pages"] + slot_notes("fixmap")),
              Box("top", "top", ft, FOUR_GIB, "top",
                  ["FIXADDR_TOP up: slot 0 (FIX_HOLE) and the",
                   "last page, never mapped"])]
    return boxes


def leaves(boxes):
    return [c for b in boxes for c in (b.children or [b])]


def place(boxes):
    """Heights in proportion to size where that leaves room for the label,
    else the label's height (such a box is not to scale). Returns the
    bar's height and the scale in pixels per byte."""
    flat = leaves(boxes)
    bar_h = max(BAR_H, sum(l.min_h() for l in flat) + 400)
    lo, hi = 0.0, bar_h / FOUR_GIB
    for _ in range(60):
        s = (lo + hi) / 2
        if sum(max(l.min_h(), s * (l.end - l.start)) for l in flat) > bar_h:
            hi = s
        else:
            lo = s
    # Each box's top is rounded to the SVG's 0.1 px before the next box
    # is placed on it, so that the printed boxes tile without a gap or an
    # overlap of a rounding's worth.
    y = TOP + bar_h
    for l in flat:
        h = max(l.min_h(), lo * (l.end - l.start))
        l.scaled = h == lo * (l.end - l.start)
        l.y = round(y - h, 1)
        l.h = y - l.y
        y = l.y
    for b in boxes:
        if b.children:
            b.y = min(c.y for c in b.children)
            b.h = sum(c.h for c in b.children)
            b.scaled = all(c.scaled for c in b.children)
    return bar_h, lo


# ------------------------------------------------------------ SVG

def text(x, y, s, anchor="start", cls="label"):
    return '<text x="%.1f" y="%.1f" text-anchor="%s" class="%s">%s</text>' % (
        x, y, anchor, cls, html.escape(s))


def text_block(x, mid, lines, cls="label"):
    y = mid - (len(lines) - 1) * LINE / 2 + 4
    return [text(x, y + k * LINE, s, cls=cls) for k, s in enumerate(lines)]


def group(box, parent, body):
    return (['<g id="region-%s" class="region"%s data-start="0x%08x" data-end="0x%08x">'
             % (box.ident, ' data-parent="%s"' % parent if parent else "",
                box.start, box.end)] + body + ["</g>"])


def render(info, source):
    boxes = regions(info)
    bar_h, scale = place(boxes)
    lay = info["layout"]
    names = {0: "0x00000000", lay["lowmem"][0]: "PAGE_OFFSET", lay["lowmem"][1]: "high_memory",
             lay["vmalloc"][0]: "VMALLOC_START", lay["vmalloc"][1]: "VMALLOC_END",
             lay["pkmap"][0]: "PKMAP_BASE", lay["pkmap"][1]: "PKMAP_END",
             lay["fixmap"][0]: "FIXADDR_START", lay["fixmap"][1]: "FIXADDR_TOP"}
    out = ['<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (WIDTH, 0)]
    out += [text(BAR_X, 24, "The 4 GiB virtual address space (after seed 000, Figure 5.1)",
                 cls="title"),
            text(BAR_X, 42, info["banner"] or "", cls="note")]
    for b in boxes:
        for leaf in b.children or [b]:
            star = "" if leaf.scaled else " *"
            body = ['<rect class="box" x="%d" y="%.1f" width="%d" height="%.1f" fill="%s"%s/>'
                    % (BAR_X, leaf.y, BAR_W, leaf.h, STYLE[leaf.style],
                       "" if leaf.scaled else ' stroke-dasharray="4 2"')]
            if leaf.style == "area":
                # the guard page: the area's last page, unmapped
                body.append('<rect x="%d" y="%.1f" width="%d" height="4" fill="url(#guard)"/>'
                            % (BAR_X, leaf.y, BAR_W))
            body.append(text(BAR_X + BAR_W / 2, leaf.y + leaf.h / 2 + 4, leaf.title + star,
                             "middle", "name"))
            body += text_block(LABEL_X, leaf.y + leaf.h / 2, leaf.label())
            out += group(leaf, b.ident if b.children else None, body)
        if b.children:
            star = "" if b.scaled else " *"
            body = ['<path class="bracket" d="M%d %.1f h8 V%.1f h-8"/>'
                    % (PARENT_X - 12, b.y + 1, b.y + b.h - 1)]
            body += text_block(PARENT_X, b.y + b.h / 2, [b.title + star] + b.label(), "plabel")
            out += group(b, None, body)
        # the boundary below b, named as in seed 000 §5.1
        y = b.y + b.h
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" class="tick"/>'
                   % (BAR_X - 8, y, BAR_X, y))
        out.append(text(BAR_X - 12, y + 4, "%s %s" % (names.get(b.start, ""),
                   "" if b.start == 0 else addr_text(b.start)), "end", "bound"))
    out.append(text(BAR_X - 12, TOP + 4, "4 GiB", "end", "bound"))

    y = TOP + bar_h + 30
    notes = ["* not to scale: drawn taller than its size so that it and its label stay "
             "visible; the boxes",
             "  without * are to scale with each other (1 px = %.1f MiB)." % (1 / scale / (1 << 20)),
             "Addresses as the kernel prints them (end exclusive); sizes rounded down, "
             "kB below 10 MB.",
             "Hatched top of a vmalloc area: its last page, the unmapped guard page "
             "between areas.",
             "From %s: the 'virtual kernel memory layout' lines%s." % (
                 source, "" if info["areas"] is None and not info["slots"] else
                 ", the vmallocinfo dump and the mapped pkmap/fixmap slots"
                 + (" at the ktest checkpoint" if info["checkpoint"] else ""))]
    out += [text(20, y + k * LINE * 1.3, s, cls="note") for k, s in enumerate(notes)]
    height = int(y + len(notes) * LINE * 1.3 + 10)
    out[0] = '<rect x="0" y="0" width="%d" height="%d" fill="#ffffff"/>' % (WIDTH, height)
    head = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
            'viewBox="0 0 %d %d" font-family="DejaVu Sans Mono, monospace">'
            % (WIDTH, height, WIDTH, height),
            "<defs>",
            '<pattern id="guard" width="4" height="4" patternUnits="userSpaceOnUse">'
            '<rect width="4" height="4" fill="#ffffff"/>'
            '<path d="M0 4 L4 0" stroke="#cc0000" stroke-width="1"/></pattern>',
            "<style>",
            ".box { stroke: #333333; stroke-width: 1 }",
            ".tick, .bracket { stroke: #333333; fill: none }",
            ".title { font-size: 16px; font-weight: bold }",
            ".name { font-size: 11px; font-weight: bold }",
            ".label, .plabel, .bound, .note { font-size: 11px }",
            ".plabel { font-weight: normal }",
            "</style>", "</defs>"]
    return "\n".join(head + out + ["</svg>", ""])


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("log", nargs="?", default="-", help="boot log (default: stdin)")
    ap.add_argument("-o", "--output", help="SVG file to write (default: stdout)")
    args = ap.parse_args()
    try:
        if args.log == "-":
            source, data = "stdin", sys.stdin.buffer.read()
        else:
            source = args.log
            with open(args.log, "rb") as fh:
                data = fh.read()
        svg = render(parse(data.decode("latin-1")), os.path.basename(source))
    except (LayoutError, OSError) as e:
        print("layout_svg: %s: %s" % ("stdin" if args.log == "-" else args.log, e),
              file=sys.stderr)
        return 1
    if not args.output:
        sys.stdout.write(svg)
        return 0
    # Written whole or not at all.
    fd, tmp = tempfile.mkstemp(dir=os.path.dirname(os.path.abspath(args.output)),
                               suffix=".svg")
    umask = os.umask(0)
    os.umask(umask)
    os.fchmod(fd, 0o666 & ~umask)
    with os.fdopen(fd, "w") as fh:
        fh.write(svg)
    os.replace(tmp, args.output)
    return 0


if __name__ == "__main__":
    sys.exit(main())
