#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tools/bench_table.py, the side-by-side table of ./build.sh bench
linux, on lines in the formats kernel/bench.c, tools/linuxbench and
test_vmalloc print: the shared rows and only those, the ratio, the flush
count compared for equality, the closing line's rows above 0.5, the
first pae32 file winning, and bad arguments refused with one line and
nothing written.

    python3 tests/test_bench_table.py      # one line per check, exit 1 on a failure
"""

import io
import os
import sys
import tempfile
from contextlib import redirect_stderr, redirect_stdout

from checklist import Checklist, eq, expect

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
import bench_table  # noqa: E402  (tools/)

CHECKS = Checklist()
check = CHECKS.check


def line(fig, n, ops=20000):
    return "bench: %-48s %6d cycles/op (%d ops)" % (fig, n, ops)


FLUSH = "bench: global flushes per 1000000 kmap/kunmap pairs, lazy: %d (bound 1953+1)"
SUMMARY = "Summary: %s passed: 1 failed: %d repeat: 1 loops: %d avg: %d usec"

LINUX = "\n".join([
    "[    4.69] " + line("alloc+free pair, Normal, order 0", 680),  # a timestamp is not a line start
    line("alloc+free pair, Normal, order 0", 680),
    line("kmalloc+kfree pair, 32 bytes", 200),
    line("kmap+kunmap pair, lowmem page", 76),
    line("linux only", 10),
    FLUSH % 1953,
    SUMMARY % ("fix_size_alloc_test", 0, 1000, 3000),
    SUMMARY % ("full_fit_alloc_test", 0, 1000, 90000),
    SUMMARY % ("long_busy_list_alloc_test", 0, 1000, 120000),
])
PAE32 = "\n".join([
    "bench: 123 cycles from kernel entry to memory ready",
    line("alloc+free pair, Normal, order 0", 340),           # exactly 0.5
    line("kmalloc+kfree pair, 32 bytes", 101),               # 0.505
    line("kmap+kunmap pair, lowmem page", 26),
    line("kmap+kunmap pair, 1024 pages, flush each kunmap", 900, 1000000),
    FLUSH % 1953,
    SUMMARY % ("fix_size_alloc_test", 0, 1000, 1000),
    SUMMARY % ("full_fit_alloc_test", 0, 500, 10000),
])


def make(linux=LINUX, pae32=PAE32):
    return bench_table.table("1G", bench_table.parse(linux), bench_table.parse(pae32))


def rows(lines):
    return [l for l in lines if l.startswith("| ") and not l.startswith("| figure")]


@check
def shared_rows_only():
    lines, _ = make()
    figs = [r.split(" | ")[0][2:] for r in rows(lines)]
    eq(figs, ["alloc+free pair, Normal, order 0", "kmalloc+kfree pair, 32 bytes",
              "kmap+kunmap pair, lowmem page",
              "global flushes per 1000000 kmap/kunmap pairs, lazy (count)",
              "test_vmalloc fix_size_alloc_test, avg usec (1000 loops)",
              "test_vmalloc full_fit_alloc_test, avg usec"], "rows")


@check
def ratio_is_pae32_over_linux():
    lines, _ = make()
    eq(rows(lines)[0], "| alloc+free pair, Normal, order 0 | 680 | 340 | 0.50 |", "row")
    eq(rows(lines)[2], "| kmap+kunmap pair, lowmem page | 76 | 26 | 0.34 |", "row")


@check
def closing_line_names_rows_above_half():
    lines, above = make()
    eq(above, ["kmalloc+kfree pair, 32 bytes"], "above 0.5 (exactly 0.5 is not)")
    expect(lines[-2].startswith("Above 0.5 at 1G (1 of 6 rows): kmalloc+kfree pair, 32 bytes"),
           "closing line: %r" % lines[-2])
    lines, above = make(pae32=PAE32.replace(line("kmalloc+kfree pair, 32 bytes", 101),
                                            line("kmalloc+kfree pair, 32 bytes", 100)))
    eq(above, [], "nothing above 0.5")
    eq(lines[-2], "Every row at 1G at most 0.5 (6 rows).", "closing line")


@check
def flush_count_must_be_equal():
    lines, above = make()
    expect("| global flushes per 1000000 kmap/kunmap pairs, lazy (count) | 1953 | 1953 | equal |"
           in lines, "equal count row")
    lines, above = make(pae32=PAE32.replace(FLUSH % 1953, FLUSH % 977))
    expect("| global flushes per 1000000 kmap/kunmap pairs, lazy (count) | 1953 | 977 | DIFFERENT |"
           in lines, "a smaller count is not a good ratio: %r" % rows(lines))
    expect(any("count differs" in a for a in above), "named in the closing line")


@check
def test_vmalloc_rows_need_the_same_loops():
    lines, above = make()
    expect("| test_vmalloc fix_size_alloc_test, avg usec (1000 loops) | 3000 | 1000 | 0.33 |"
           in lines, "avg row")
    expect("| test_vmalloc full_fit_alloc_test, avg usec | 90000 (1000 loops) | 10000 (500 loops)"
           " | loops differ |" in lines, "no ratio over different loops")
    lines, _ = make(pae32=PAE32.replace(SUMMARY % ("fix_size_alloc_test", 0, 1000, 1000),
                                        SUMMARY % ("fix_size_alloc_test", 1, 1000, 1000)))
    expect(any("fix_size_alloc_test" in r and "(pae32 failed)" in r for r in rows(lines)),
           "a failure is shown")


@check
def first_pae32_file_wins():
    one = bench_table.parse(PAE32)
    other = bench_table.parse(line("alloc+free pair, Normal, order 0", 5) + "\n"
                              + SUMMARY % ("long_busy_list_alloc_test", 0, 1000, 60000))
    merged = bench_table.merge([one, other])
    eq(merged[0]["alloc+free pair, Normal, order 0"], 340, "the first file's figure")
    eq(merged[2]["long_busy_list_alloc_test"], (60000, 1000, 0), "the second file's extra row")


def run_main(argv):
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        rc = bench_table.main(argv)
    return rc, out.getvalue(), err.getvalue()


@check
def main_writes_terminal_and_file():
    with tempfile.TemporaryDirectory() as d:
        lp, pp, md = (os.path.join(d, n) for n in ("l.txt", "p.txt", "t.md"))
        for path, text in ((lp, LINUX), (pp, PAE32)):
            with open(path, "w") as f:
                f.write(text)
        rc, out, err = run_main(["-o", md, "1G=%s:%s" % (lp, pp), "4G=%s:%s" % (lp, pp)])
        eq((rc, err), (0, ""), "exit status, stderr")
        with open(md) as f:
            eq(f.read(), out, "the file holds what the terminal got")
        expect("### 1G," in out and "### 4G," in out, "one table per memory size")


@check
def bad_arguments_refused():
    with tempfile.TemporaryDirectory() as d:
        lp, empty, md = (os.path.join(d, n) for n in ("l.txt", "e.txt", "t.md"))
        with open(lp, "w") as f:
            f.write(LINUX)
        open(empty, "w").close()
        for argv, word in ((["-o", md, "1G=%s" % lp], "is not MEM="),
                           (["-o", md, "1G=%s:%s" % (lp, os.path.join(d, "none"))], "none"),
                           (["-o", md, "1G=%s:%s" % (lp, empty)], "no 'bench:")):
            rc, out, err = run_main(argv)
            eq(rc, 2, "exit status of %s" % argv[-1])
            expect(word in err and len(err.splitlines()) == 1, "one line naming it: %r" % err)
            expect(not os.path.exists(md), "nothing written")


if __name__ == "__main__":
    sys.exit(CHECKS.main())
