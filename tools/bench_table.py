#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The side-by-side table of ./build.sh bench linux: for each memory size,
every figure that Linux (tools/linuxbench/pae32_bench.c, Linux's own
lib/test_vmalloc.c) and pae32 (kernel/bench.c, kernel/test_vmalloc.c)
both print, in Markdown: figure, Linux, pae32, ratio (pae32/Linux). The
rows are the `bench: NAME N cycles/op (M ops)` lines of both (the
figure is NAME), the lazy PKMap flush count as a count row (pae32 must
equal Linux, docs/performance.md), and the avg of each test_vmalloc
`Summary:` line; a closing line names the rows above 0.5.

usage: tools/bench_table.py [-o OUT.md] MEM=LINUX.txt:PAE32.txt[,PAE32-2.txt...] ...

Each MEM gives its Linux lines and pae32's (the first file that has a
figure gives it: pass the one-CPU run first). A file that cannot be read
or holds no bench line gets one line naming it and exit status 2; a
ratio above 0.5 is a finding, not an error (exit 0).
"""

import re
import sys

BOUND = 0.5
CYCLES_RE = re.compile(r"^bench: (.*?) +(\d+) cycles/op \((\d+) ops\)$")
FLUSH_RE = re.compile(r"^bench: (global flushes per \d+ kmap/kunmap pairs, lazy): (\d+)")
SUMMARY_RE = re.compile(r"^Summary: (\S+) passed: (\d+) failed: (\d+) repeat: (\d+) "
                        r"loops: (\d+) avg: (\d+) usec$")


def parse(text):
    """(cycles, flushes, summaries) of one kernel's lines: {figure: n},
    {figure: count}, {test: (avg, loops, failed)}; the first line of a
    figure counts (a log read twice gives the same)."""
    cycles, flushes, summaries = {}, {}, {}
    for line in text.splitlines():
        line = line.rstrip("\r")
        m = CYCLES_RE.match(line)
        if m:
            cycles.setdefault(m.group(1), int(m.group(2)))
            continue
        m = FLUSH_RE.match(line)
        if m:
            flushes.setdefault(m.group(1), int(m.group(2)))
            continue
        m = SUMMARY_RE.match(line)
        if m:
            summaries.setdefault(m.group(1), (int(m.group(6)), int(m.group(5)), int(m.group(3))))
    return cycles, flushes, summaries


def merge(parsed):
    """The union of several parses, the first giving a figure winning."""
    out = ({}, {}, {})
    for part in parsed:
        for mine, theirs in zip(out, part):
            for k, v in theirs.items():
                mine.setdefault(k, v)
    return out


def ratio(pae32, linux):
    return "%.2f" % (pae32 / linux) if linux else "-"


def table(mem, linux, pae32):
    """(Markdown lines, names of rows above BOUND) for one memory size."""
    lc, lf, ls = linux
    pc, pf, ps = pae32
    rows, above = [], []
    for fig in lc:                      # Linux's order, kernel/bench.c's order
        if fig in pc:
            r = pc[fig] / lc[fig] if lc[fig] else None
            rows.append("| %s | %d | %d | %s |" % (fig, lc[fig], pc[fig], ratio(pc[fig], lc[fig])))
            if r is None or r > BOUND:
                above.append(fig)
    for fig in lf:
        if fig in pf:
            verdict = "equal" if pf[fig] == lf[fig] else "DIFFERENT"
            rows.append("| %s (count) | %d | %d | %s |" % (fig, lf[fig], pf[fig], verdict))
            if pf[fig] != lf[fig]:
                above.append(fig + " (count differs)")
    for test in ls:
        if test not in ps:
            continue
        (lavg, lloops, lfail), (pavg, ploops, pfail) = ls[test], ps[test]
        name = "test_vmalloc %s, avg usec" % test
        fails = "".join(" (%s failed)" % who for who, f in (("Linux", lfail), ("pae32", pfail)) if f)
        if lloops != ploops:
            rows.append("| %s%s | %d (%d loops) | %d (%d loops) | loops differ |"
                        % (name, fails, lavg, lloops, pavg, ploops))
            continue
        name += " (%d loops)%s" % (lloops, fails)
        rows.append("| %s | %d | %d | %s |" % (name, lavg, pavg, ratio(pavg, lavg)))
        if not lavg or pavg / lavg > BOUND:
            above.append(name)
    head = ["### %s, q35, -cpu qemu64, 1 CPU, -icount shift=0,sleep=off" % mem, "",
            "| figure | Linux | pae32 | ratio |", "|---|---:|---:|---:|"]
    if above:
        close = "Above %.1f at %s (%d of %d rows): %s." % (BOUND, mem, len(above), len(rows),
                                                       "; ".join(above))
    else:
        close = "Every row at %s at most %.1f (%d rows)." % (mem, BOUND, len(rows))
    return head + rows + ["", close, ""], above


def read(path):
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            text = f.read()
    except OSError as e:
        raise ValueError("%s: %s" % (path, e.strerror))
    parsed = parse(text)
    if not parsed[0] and not parsed[2]:
        raise ValueError("%s: no 'bench: ... cycles/op' line and no 'Summary:' line" % path)
    return parsed


def main(argv):
    out = None
    if argv[:1] == ["-o"] and len(argv) > 1:
        out, argv = argv[1], argv[2:]
    if not argv:
        print("usage: tools/bench_table.py [-o OUT.md] MEM=LINUX.txt:PAE32.txt[,PAE32.txt...] ...",
              file=sys.stderr)
        return 2
    lines = []
    try:
        for arg in argv:
            mem, eq, files = arg.partition("=")
            lpath, colon, ppaths = files.partition(":")
            if not (mem and eq and lpath and colon and ppaths):
                raise ValueError("'%s' is not MEM=LINUX.txt:PAE32.txt" % arg)
            linux = read(lpath)
            pae32 = merge(read(p) for p in ppaths.split(","))
            lines += table(mem, linux, pae32)[0]
    except ValueError as e:
        print("bench_table.py: %s" % e, file=sys.stderr)
        return 2
    text = "\n".join(lines)
    sys.stdout.write(text)
    if out:
        with open(out, "w") as f:
            f.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
