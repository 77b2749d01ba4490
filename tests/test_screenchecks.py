#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The readers and judges of tests/screenchecks.py (docs/testing.md,
"Screens and sessions") on the monitor's real output, transcripts of two
sessions kept in tests/data/monitor/, and on broken copies of it: each
parse_* must take the real format and refuse another, and each
*_problems must pass the real output and catch a wrong flag, a wrong
frame, a missing flush, a slot left at the wrong count, a command not
listed, and an answer of two lines.

    python3 tests/test_screenchecks.py     # one line per check, exit 1 on a failure
    run_checks() -> [(name, ok, detail)]
"""

import os
import re
import sys

import screenchecks as sc
import session
from checklist import Checklist, eq, expect

CHECKS = Checklist()
check = CHECKS.check

# ------------------------------------------------------------ real output

# Transcripts of two sessions at 1 GiB (q35, x64 firmware) from the
# first prompt on, COM1 with its escape sequences stripped; QEMU's info
# tlb lines for the pages walked there; the monitor's section of that
# kernel's symbol map (build/kernel.sym).
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "monitor")


def read(name):
    with open(os.path.join(DATA, name)) as fh:
        return fh.read()


def outputs(name, commands):
    """The outputs of the commands of a transcript in DATA, each as
    screenchecks.output_of cuts it from the echoed line to the next
    prompt; the transcript must run exactly these commands."""
    segments = re.split(r"(?m)^(?=%s)" % re.escape(session.PROMPT), read(name))[1:]
    got = [seg[len(session.PROMPT):].split("\n", 1)[0] for seg in segments[:-1]]
    if got != list(commands) or segments[-1] != session.PROMPT:
        raise ValueError("%s runs %s, not %s" % (name, got, list(commands)))
    return [sc.output_of(seg[len(session.PROMPT):] + session.PROMPT) for seg in segments[:-1]]


# A data file that cannot be read fails the first check (and the rest),
# not the harness that imports this file.
LOAD_ERROR = None
try:
    (PKMAP_BOOT, HELP, WALK_4K, KMAP_600, PKMAP_600, TYPO_ANSWER, BAD_NUMBER_ANSWER,
     PEEK_0_ANSWER, KMAP_3, PKMAP_3) = outputs("session-1G.txt", (
         "pkmap", "help", "walk 0xc1000000", "kmap 600", "pkmap", sc.TYPO, sc.BAD_NUMBER,
         sc.PEEK_0, "kmap 3", "pkmap"))
    (WALK_2M, WALK_STOP, _, PKMAP_HELD, KMAP_600_HELD, PKMAP_600_HELD) = outputs(
        "session-1G-held.txt", ("walk 0xc0100000", "walk 0x00400000", "kmap hold 2", "pkmap",
                                "kmap 600", "pkmap"))
    INFO_TLB = read("info-tlb.txt")
    SYM = read("kernel-sym.txt")
except (OSError, ValueError) as e:
    LOAD_ERROR = e


def swap(text, old, new):
    """text with its one occurrence of old replaced by new."""
    expect(text.count(old) == 1, "%r occurs %d times in the sample" % (old, text.count(old)))
    return text.replace(old, new)


def refused(parse, text, what):
    """parse(text) must raise FormatError."""
    try:
        parse(text)
    except sc.FormatError:
        return
    raise AssertionError("%s: parsed without a FormatError" % what)


def caught(problems, what, word):
    """problems must be non-empty, and one of them must name word."""
    expect(problems, "%s: not caught" % what)
    expect(any(word in p for p in problems), "%s: caught, but no problem names %r: %s" % (
        what, word, problems))


# ------------------------------------------------------------ help

@check
def samples_read():
    expect(LOAD_ERROR is None, "tests/data/monitor: %s" % LOAD_ERROR)


NAMES = sc.monitor_command_names(SYM) if LOAD_ERROR is None else []


@check
def symbol_map_gives_every_registered_command():
    eq(len(NAMES), 29, "commands in the sample's symbol map")
    expect("walk" in NAMES and "ktest_echo" in NAMES, "walk and the tests' ktest_echo listed")
    refused(sc.monitor_command_names, swap(SYM, "c105ea00 r __monitor_cmd_walk\n", ""),
            "a symbol map without walk (the section still 29 entries long)")


@check
def help_lists_exactly_the_symbol_maps_commands():
    eq(sc.help_problems(HELP, NAMES), [], "the real help")
    eq([n for n, _, _ in sc.parse_help(HELP)][:3], ["bench", "buddyinfo", "cpus"], "first names")
    caught(sc.help_problems(swap(HELP, "  walk ADDR [PDPT]             the page-table walk of "
                                 "ADDR, entry by entry\n", ""), NAMES), "help without walk", "walk")
    caught(sc.help_problems(HELP, NAMES + ["zap"]), "a command help does not list", "zap")
    caught(sc.help_problems(HELP, [n for n in NAMES if n != "cpus"]), "a command not in the map",
           "cpus")
    lines = HELP.split("\n")
    caught(sc.help_problems("\n".join([lines[1], lines[0]] + lines[2:]), NAMES), "out of order",
           "order")


@check
def help_in_another_format_is_refused():
    refused(sc.parse_help, swap(HELP, "  walk ADDR [PDPT]             the",
                                "  walk ADDR [PDPT]   the"), "help text in another column")
    refused(sc.parse_help, swap(HELP, "  walk ADDR", "walk ADDR"), "a line not indented")
    refused(sc.parse_help, swap(HELP, "  walk ADDR [PDPT]     ", "  walk: ADDR [PDPT]    "),
            "a name with a colon")
    refused(sc.parse_help, "", "no output")


# ------------------------------------------------------------ walk

@check
def walk_of_the_kernels_first_page_agrees_with_info_tlb():
    eq(sc.walk_problems(WALK_4K, INFO_TLB, 0xC1000000, 0x1000000), [], "walk 0xc1000000")
    w = sc.parse_walk(WALK_4K)
    eq((w.phys, w.size, w.tlb_line), (0x1000000, 4096, "00000000c1000000: 0000000001000000 "
                                      "-G--A----"), "what walk reached")
    eq([e[4] for e in w.entries], [["P", "A"], ["P", "RW", "A"], ["P", "A", "G"]], "flag words")


@check
def walk_of_a_2mib_page_agrees_with_info_tlb():
    eq(sc.walk_problems(WALK_2M, INFO_TLB, 0xC0100000, 0x100000), [], "walk 0xc0100000")
    eq(sc.pae_flags(0x80000000000001E3, "PMD2M"), ["P", "RW", "A", "D", "PS", "G", "NX"],
       "a 2 MiB entry's bits")


@check
def walk_with_a_wrong_flag_is_caught():
    # A flag word the value does not have, the value unchanged.
    caught(sc.walk_problems(swap(WALK_4K, "0x0000000001000121  P A G", "0x0000000001000121  P RW A G"),
                            INFO_TLB, 0xC1000000, 0x1000000), "RW named, bit 1 clear", "flags")
    # The value and its words agree, QEMU's entry differs (D).
    caught(sc.walk_problems(WALK_4K, swap(INFO_TLB, "0000000001000000 -G--A----",
                                          "0000000001000000 -G-DA----"), 0xC1000000, 0x1000000),
           "QEMU has D, walk has not", "columns")
    # walk's own info tlb line disagrees with its PTE (no G), QEMU's agrees.
    caught(sc.walk_problems(swap(WALK_4K, "0000000001000000 -G--A----", "0000000001000000 ----A----"),
                            INFO_TLB, 0xC1000000, 0x1000000), "walk's info tlb line", "info tlb")
    # A value whose bits say NX where the words and QEMU do not.
    caught(sc.walk_problems(swap(WALK_2M, "0x80000000000001e3  P RW A D PS G NX",
                                 "0x80000000000001e3  P RW A D PS G"), INFO_TLB, 0xC0100000,
                            0x100000), "NX left out", "flags")


@check
def walk_to_another_frame_or_a_broken_chain_is_caught():
    bad = swap(swap(swap(WALK_4K, "0x0000000001000121", "0x0000000001001121"),
                    "phys 0x01000000", "phys 0x01001000"), ": 0000000001000000", ": 0000000001001000")
    caught(sc.walk_problems(bad, INFO_TLB, 0xC1000000, 0x1000000), "the next frame", "reached")
    caught(sc.walk_problems(swap(WALK_4K, "at 0x00005040", "at 0x00005048"), INFO_TLB,
                            0xC1000000, 0x1000000), "a PMD read at the wrong index", "entry 1")
    caught(sc.walk_problems(swap(WALK_4K, "read-only", "writable"), INFO_TLB, 0xC1000000,
                            0x1000000), "writable where the PTE is read-only", "rights")
    caught(sc.walk_problems(swap(WALK_4K, "global, WB", "global, WC"), INFO_TLB, 0xC1000000,
                            0x1000000), "WC where PAT index 0 is WB", "memory type")
    caught(sc.walk_problems(WALK_STOP, INFO_TLB, 0x400000, 0), "a walk that stops", "stops")
    caught(sc.walk_problems(WALK_4K, INFO_TLB.replace("00000000c1000000", "00000000c1100000"),
                            0xC1000000, 0x1000000), "a page QEMU does not list", "no line")


@check
def walk_in_another_format_is_refused():
    eq(sc.parse_walk(WALK_STOP).stop, "PDPT", "where the walk stops")
    refused(sc.parse_walk, swap(WALK_4K, "PTE [  0]", "PTE[0]"), "an entry without the padding")
    refused(sc.parse_walk, swap(WALK_4K, "4 KiB page", "4K page"), "another page size word")
    refused(sc.parse_walk, swap(WALK_4K, "  info tlb: 00000000c1000000: 0000000001000000 -G--A----\n",
                                ""), "no info tlb line")
    refused(sc.parse_walk, swap(WALK_4K, "-G--A----", "-G--A---"), "eight columns")
    refused(sc.parse_walk, WALK_4K + "  something more\n", "a line after the end")


# ------------------------------------------------------------ kmap and pkmap

@check
def kmap_600_after_boot_flushes_once_and_pkmap_agrees():
    problems, _ = sc.kmap_problems(PKMAP_BOOT, KMAP_600, PKMAP_600, 600)
    eq(problems, [], "pkmap, kmap 600, pkmap")
    eq(sorted(sc.parse_pkmap(PKMAP_600).ones()), list(range(93)), "count 1 after")


@check
def kmap_600_past_held_slots_flushes_once_and_pkmap_agrees():
    problems, _ = sc.kmap_problems(PKMAP_HELD, KMAP_600_HELD, PKMAP_600_HELD, 600)
    eq(problems, [], "kmap hold 2, pkmap, kmap 600, pkmap")
    eq(sc.parse_pkmap(PKMAP_HELD).detail, [(4, 0xFE004000, 2, 0x3EBA4, 0x3EBA4000),
                                           (5, 0xFE005000, 2, 0x3EBA5, 0x3EBA5000)], "the detail")


@check
def kmap_3_without_a_wrap_leaves_three_more_slots():
    problems, _ = sc.kmap_problems(PKMAP_600, KMAP_3, PKMAP_3, 3, more_flushes=0)
    eq(problems, [], "kmap 3 (no wrap)")
    caught(sc.kmap_problems(PKMAP_600, KMAP_3, PKMAP_3, 3)[0], "kmap 3 held to the rule of 600",
           "want 1 more")


@check
def missing_flush_is_caught():
    # The kernel counted no flush: pkmap's counter and kmap's lines say so.
    after = swap(PKMAP_600, "1 global flushes", "0 global flushes")
    caught(sc.kmap_problems(PKMAP_BOOT, KMAP_600, after, 600)[0], "pkmap's counter", "want 1 more")
    kmap = swap(swap(KMAP_600, "  wrap to slot 0: 511 slots at count 1 freed, global flush #1",
                     "  wrap to slot 0: no slot at count 1, no flush"),
                "1 global flush (1 since boot)", "0 global flushes (0 since boot)")
    caught(sc.kmap_problems(PKMAP_BOOT, kmap, after, 600)[0], "a wrap without a flush", "want 1 more")
    # kmap's summary claims the flush its lines do not show.
    kmap = swap(KMAP_600, "  wrap to slot 0: 511 slots at count 1 freed, global flush #1",
                "  wrap to slot 0: no slot at count 1, no flush")
    caught(sc.kmap_problems(PKMAP_BOOT, kmap, PKMAP_600, 600)[0], "a summary with a flush the "
           "lines lack", "wrap lines")


@check
def slots_at_the_wrong_count_are_caught():
    # One slot more at count 1 after (the counts line kept consistent).
    after = swap(swap(PKMAP_600, "   64 11111111111111111111111111111....",
                      "   64 111111111111111111111111111111..."), "419 free (0), 93 unused",
                 "418 free (0), 94 unused")
    caught(sc.kmap_problems(PKMAP_BOOT, KMAP_600, after, 600)[0], "slot 93 at count 1", "count 1")
    # kmap's runs name other slots than the scan takes.
    kmap = swap(KMAP_600, "  slots 0-92 (93 pages)", "  slots 1-93 (93 pages)")
    caught(sc.kmap_problems(PKMAP_BOOT, kmap, PKMAP_600, 600)[0], "a run from slot 1",
           "Linux's scan")
    # A wrap that freed fewer slots than were at count 1.
    kmap = swap(KMAP_600, "511 slots at count 1 freed", "507 slots at count 1 freed")
    caught(sc.kmap_problems(PKMAP_BOOT, kmap, PKMAP_600, 600)[0], "507 freed", "freed")
    # A held slot released behind kmap's back.
    after = swap(swap(swap(PKMAP_600_HELD, "    0 1111221111", "    0 1111211111"),
                      "416 free (0), 94 unused until the next wrap (1), 2 mapped",
                      "416 free (0), 95 unused until the next wrap (1), 1 mapped"),
                 "    5  0xfe005000      2  0x3eba5    0x3eba5000\n", "")
    caught(sc.kmap_problems(PKMAP_HELD, KMAP_600_HELD, after, 600)[0], "slot 5 at count 1",
           "count 2")


@check
def pkmap_and_kmap_in_another_format_are_refused():
    refused(sc.parse_pkmap, swap(PKMAP_600, "1 wraps, 1 global flushes", "1 wrap, 1 global flush"),
            "singular counters")
    refused(sc.parse_pkmap, swap(PKMAP_600, "419 free (0)", "418 free (0)"),
            "a counts line that does not count the map")
    refused(sc.parse_pkmap, swap(PKMAP_600, "  448 ", "  447 "), "a map row numbered wrong")
    refused(sc.parse_pkmap, swap(PKMAP_HELD, "    5  0xfe005000      2  0x3eba5    0x3eba5000\n",
                                 "    5  0xfe005000 2 0x3eba5\n"), "a detail line cut short")
    refused(sc.parse_kmap, swap(KMAP_600, "1 wrap, 1 global flush (", "1 wraps, 1 global flushes ("),
            "plurals")
    refused(sc.parse_kmap, swap(KMAP_600, "(93 pages)", "(92 pages)"), "a run that does not count")
    refused(sc.parse_kmap, swap(KMAP_3, "-> slot 94 at 0xfe05e000", "-> slot 94 at 0xfe05f000"),
            "a page line whose address is another slot's")
    refused(sc.parse_kmap, KMAP_600.replace("\n", "\r\n"), "CR LF line ends")


@check
def pkmap_scan_wraps_twice_from_past_slot_423():
    empty = sc.parse_pkmap(PKMAP_BOOT)
    for start, flushes in ((423, 1), (424, 2)):
        empty.last_nr, empty.slots = start, "." * 512
        events, slots, last = sc.pkmap_scan(empty, 600)
        eq(sum(e[0] == "wrap" and e[2] is not None for e in events), flushes,
           "flushes from last_pkmap_nr %d" % start)
    eq((last, slots.count("1")), (0, 1), "from 424: 425-511, 0-511, then slot 0 again")


# ------------------------------------------------------------ one-line answers

@check
def one_line_answers_and_what_is_not_one():
    for answer, want in ((TYPO_ANSWER, sc.TYPO_LINE), (BAD_NUMBER_ANSWER, sc.BAD_NUMBER_LINE),
                         (PEEK_0_ANSWER, sc.PEEK_0_LINE)):
        eq(sc.one_line_problems(answer, want), [], want)
    caught(sc.one_line_problems(PEEK_0_ANSWER + "#PF: at 0x00000000\n", sc.PEEK_0_LINE),
           "two lines", "2 lines")
    caught(sc.one_line_problems(PEEK_0_ANSWER.rstrip("\n"), sc.PEEK_0_LINE), "no line break",
           "lines")
    caught(sc.one_line_problems("peek: 0x00000000: exception 13 (error 0x0)\n", sc.PEEK_0_LINE),
           "another fault", "is not")
    caught(sc.one_line_problems(TYPO_ANSWER, sc.BAD_NUMBER_LINE), "the typo's line for walk 0xzz",
           "is not")
    eq(sc.output_of("walk 0xzz\nwalk: 0xzz: not a number\npae32> "), "walk: 0xzz: not a number\n",
       "the answer between the echo and the prompt")


def run_checks():
    return CHECKS.run()


if __name__ == "__main__":
    sys.exit(CHECKS.main())
