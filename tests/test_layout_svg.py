#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tools/layout_svg.py on a boot log: every address and size of the
kernel's "virtual kernel memory layout" lines (and of the vmallocinfo dump,
when the log has one) is in the SVG's labels of that region, the regions
tile the 4 GiB in address order, drawn bottom to top without overlap, and
a log with a layout line deleted or altered is refused.

usage: python3 tests/test_layout_svg.py LOG...
From Python: check(log_text) -> [problem, ...];
run_checks(boot_log_path) -> [(name, ok, detail), ...].
"""

import os
import re
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

import qemu  # tests/, beside this file

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TOOL = os.path.join(ROOT, "tools", "layout_svg.py")
SVG = "{http://www.w3.org/2000/svg}"
FOUR_GIB = 1 << 32

# The kernel's lines, read here independently of the tool: print_region
# (mm/init.c) and show_area (mm/vmalloc.c).
LAYOUT_RE = re.compile(r"^\s+(\.?\w+)\s*: 0x([0-9a-f]{8}) - 0x([0-9a-f]{8})"
                       r"\s+\(\s*(\d+ [kM]B)\)$")
AREA_RE = re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8}) ")
# The SVG group of each layout line.
REGION = {"fixmap": "fixmap", "pkmap": "pkmap", "vmalloc": "vmalloc",
          "lowmem": "lowmem", ".init": "section-init", ".text": "section-text",
          ".rodata": "section-rodata", ".data": "section-data", ".bss": "section-bss"}


def clean_lines(text):
    return [l.rstrip() for l in qemu.strip_escapes(text).split("\n")]


def printed_layout(lines):
    """The last layout block: [(index of the line, name, start, end, size)]."""
    heads = [i for i, l in enumerate(lines) if l.endswith("virtual kernel memory layout:")]
    out = []
    for i in range(heads[-1] + 1 if heads else len(lines), len(lines)):
        m = LAYOUT_RE.match(lines[i])
        if not m:
            break
        out.append((i, m.group(1), int(m.group(2), 16), int(m.group(3), 16), m.group(4)))
    return out


def printed_areas(lines, after):
    """The last vmallocinfo dump after line `after`, before the ktest
    checkpoint: [(start, end)]."""
    areas = None
    for l in lines[after:]:
        if l.startswith("checkpoint ktest: paused for the host"):
            break
        if re.match(r"^(vmalloc: )?vmallocinfo:$", l):
            areas = []
        elif areas is not None and (m := AREA_RE.match(l)):
            areas.append((int(m.group(1), 16), int(m.group(2), 16)))
    return areas or []


def size_text(nbytes):
    """print_region's size: kB, or MB from 10240 kB, rounded down."""
    kib = nbytes >> 10
    return "%d MB" % (kib >> 10) if kib >= 10240 else "%d kB" % kib


def run_tool(text, svg_path):
    """(exit status, stderr) of the tool on text, writing svg_path."""
    with tempfile.NamedTemporaryFile("w", suffix=".log", encoding="latin-1") as fh:
        fh.write(text)
        fh.flush()
        p = subprocess.run([sys.executable, TOOL, fh.name, "-o", svg_path],
                           capture_output=True, text=True, timeout=60)
    return p.returncode, p.stderr.strip()


def svg_regions(svg_text):
    """{id: dict(start, end, parent, top, bottom, texts)} of the SVG's
    region groups; a parent's extent is that of its children's boxes."""
    regions = {}
    for g in ET.fromstring(svg_text).iter(SVG + "g"):
        if g.get("class") != "region":
            continue
        r = {"start": int(g.get("data-start"), 16), "end": int(g.get("data-end"), 16),
             "parent": g.get("data-parent"), "top": None, "bottom": None,
             "texts": [t.text or "" for t in g.iter(SVG + "text")]}
        box = g.find(SVG + "rect")
        if box is not None:
            r["top"] = float(box.get("y"))
            r["bottom"] = r["top"] + float(box.get("height"))
        regions[g.get("id")[len("region-"):]] = r
    for ident, r in regions.items():
        kids = [k for k in regions.values() if k["parent"] == ident]
        if kids:
            r["top"] = min(k["top"] for k in kids)
            r["bottom"] = max(k["bottom"] for k in kids)
    return regions


def check_labels(regions, want):
    """want: [(region id, start, end)]; each region exists with that range
    and its labels show it with the kernel's size."""
    out = []
    for ident, start, end in want:
        r = regions.get(ident)
        label = "0x%08x - %s (%s)" % (start, "4 GiB" if end == FOUR_GIB else
                                      "0x%08x" % end, size_text(end - start))
        if r is None:
            out.append("no region '%s' in the SVG" % ident)
        elif (r["start"], r["end"]) != (start, end):
            out.append("region '%s' spans 0x%x-0x%x, the log 0x%x-0x%x"
                       % (ident, r["start"], r["end"], start, end))
        elif label not in r["texts"]:
            out.append("region '%s': no label '%s' (has %s)" % (ident, label, r["texts"][:3]))
    return out


def check_order(regions):
    """Top-level regions tile 0 to 4 GiB; every set of siblings is drawn
    bottom to top in address order, without overlap, inside its parent."""
    out = []
    for parent in [None] + [i for i, r in regions.items()
                            if any(k["parent"] == i for k in regions.values())]:
        kids = sorted((r["start"], r["end"], i) for i, r in regions.items()
                      if r["parent"] == parent)
        lo, hi = (0, FOUR_GIB) if parent is None else (regions[parent]["start"],
                                                       regions[parent]["end"])
        prev_end, prev = lo, None
        for start, end, i in kids:
            r = regions[i]
            if start < prev_end or end <= start or end > hi:
                out.append("region '%s' 0x%x-0x%x overlaps '%s' or leaves 0x%x-0x%x"
                           % (i, start, end, prev, lo, hi))
            if parent is None and start != prev_end:
                out.append("0x%x-0x%x is in no region" % (prev_end, start))
            if r["top"] is None or r["bottom"] - r["top"] <= 0:
                out.append("region '%s' has no box" % i)
            elif prev is not None and r["bottom"] > regions[prev]["top"] + 0.05:
                out.append("region '%s' is not drawn above '%s'" % (i, prev))
            prev_end, prev = end, i
        if parent is None and prev_end != FOUR_GIB:
            out.append("0x%x-4 GiB is in no region" % prev_end)
    return out


def check_drawing(text):
    """Problems of the SVG the tool draws from text."""
    lines = clean_lines(text)
    layout = printed_layout(lines)
    names = {name: (start, end) for _, name, start, end, _ in layout}
    if sorted(names) != sorted(REGION):
        return ["the log's layout block has lines for %s, want %s"
                % (sorted(names), sorted(REGION))]
    with tempfile.TemporaryDirectory() as tmp:
        svg_path = os.path.join(tmp, "layout.svg")
        rc, err = run_tool(text, svg_path)
        if rc != 0 or not os.path.exists(svg_path):
            return ["the tool refused the log (exit %d): %s" % (rc, err)]
        with open(svg_path) as fh:
            regions = svg_regions(fh.read())
    out = []
    for _, name, start, end, size in layout:
        if size_text(end - start) != size:
            out.append("the kernel printed %s as (%s), 0x%x bytes" % (name, size, end - start))
    want = [(REGION[n], *r) for n, r in names.items()]
    po, high = names["lowmem"]
    want += [("user", 0, po), ("vmalloc-offset", high, names["vmalloc"][0]),
             ("two-page-gap", names["vmalloc"][1], names["pkmap"][0]),
             ("top", names["fixmap"][1], FOUR_GIB)]
    want += [("vmalloc-area-%x" % s, s, e)
             for s, e in printed_areas(lines, layout[-1][0])]
    return out + check_labels(regions, want) + check_order(regions)


def check_refusals(text):
    """Problems with the tool's refusals: with each layout line deleted,
    and with one size changed, it must exit non-zero with a one-line
    message naming the line, and write no SVG."""
    lines = text.replace("\r", "").split("\n")
    layout = printed_layout(clean_lines(text))
    cases = [(lines[:i] + lines[i + 1:], name, "deleted") for i, name, _, _, _ in layout]
    if layout:
        # the first line's size one unit more
        i, name, _, _, size = layout[0]
        n, unit = size.split()
        altered = re.sub(r"\(\s*%s %s\)" % (n, unit), "(%d %s)" % (int(n) + 1, unit), lines[i])
        cases.append((lines[:i] + [altered] + lines[i + 1:], name, "with another size"))
    if not layout:
        return ["no layout lines to delete or alter"]
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        svg_path = os.path.join(tmp, "layout.svg")
        for variant, name, how in cases:
            rc, err = run_tool("\n".join(variant), svg_path)
            # one line of its own, naming the line: not a traceback
            clear = (err.startswith("layout_svg: ") and "\n" not in err
                     and "'%s'" % name in err)
            if rc == 0 or os.path.exists(svg_path) or not clear:
                out.append("the '%s' line %s: exit %d, SVG %s, message '%s'"
                           % (name, how, rc, "written" if os.path.exists(svg_path)
                              else "not written", err))
            if os.path.exists(svg_path):
                os.remove(svg_path)
    return out


def check(log_text):
    """Every problem found with the tool on this boot log."""
    return check_drawing(log_text) + check_refusals(log_text)


def run_checks(boot_log_path):
    """[(name, ok, detail)] for the harness, on a boot's console log."""
    with open(boot_log_path, "rb") as fh:
        text = fh.read().decode("latin-1")
    lines = clean_lines(text)
    layout = printed_layout(lines)
    results = []
    problems = check_drawing(text)
    results.append(("layout_svg draws the printed layout", not problems,
                    "; ".join(problems) or "%d layout lines, %d vmalloc areas in the SVG"
                    % (len(layout), len(printed_areas(lines, layout[-1][0]) if layout else []))))
    problems = check_refusals(text)
    results.append(("layout_svg refuses altered logs", not problems,
                    "; ".join(problems) or "%d altered logs refused" % (len(layout) + 1)))
    return results


def main(paths):
    if not paths:
        print("usage: python3 tests/test_layout_svg.py LOG...", file=sys.stderr)
        return 2
    failed = 0
    for path in paths:
        for name, ok, detail in run_checks(path):
            print("%-4s %s: %s: %s" % ("ok" if ok else "FAIL", path, name, detail))
            failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
