#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The scripted screen and keyboard sessions (docs/testing.md, "Screens
and sessions"): QEMU sessions (tests/session.py) whose screendumps must
equal the console model's picture of COM1 (tests/fbmodel.py) and whose
monitor commands must agree with what QEMU and the kernel's symbol map
say, each command's output read in the format docs/console.md gives.

Each parse_* reads one command's output line by line and raises
FormatError naming the first line that is not in that format; each
*_problems function judges parsed output against an independent source
(QEMU's info tlb, the PAE bits of Intel SDM vol. 3A §4.4.2, a replay of
Linux's PKMap scan, the symbol map) and returns its problems, [] when it
holds. tests/test_screenchecks.py feeds them real output and broken
copies of it.

    python3 tests/screenchecks.py [--image IMG] [NAME...]   # by hand
    SESSIONS: {name: fn(workdir, scale, image, out)}, fn appending
        (name, ok, detail) to out
    run_session(name, workdir, scale, image=None) -> [(name, ok, detail)]
"""

import os
import re
import sys
import time

import images
import oracles
import qemu
import session

# An 8x16 grid with a 10-pixel strip below it, and the 16x32 font.
RESOLUTIONS = ((1400, 1050), (2560, 1440))
KEYBOARD_RESOLUTION = (1024, 768)
WALK_ADDR, WALK_PHYS = 0xC1000000, 0x1000000     # the kernel's first page
KMAP_PAIRS = 600        # more than the 512 PKMap slots: at least one wrap
STEP = 300              # seconds for one command at the prompt (a hang)
COLOUR_SUITE = "string.*"   # a quick ktest run: its ok words are green


class FormatError(ValueError):
    """A command's output is not in its documented format."""


def _lines(out, what):
    """out's lines (it ends with a line break); FormatError when empty."""
    if not out.endswith("\n") or not out.strip():
        raise FormatError("%s: no output ending in a line break: %r" % (what, out[-80:]))
    return out[:-1].split("\n")


def _match(regex, line, what):
    m = re.fullmatch(regex, line)
    if not m:
        raise FormatError("%s: %r is not /%s/" % (what, line, regex))
    return m


def _plural(n, word, plural=None):
    return "%d %s" % (n, word if n == 1 else plural or word + "s")


# ------------------------------------------------------------ one-line answers

def one_line_problems(out, want):
    """A command that must answer in exactly one line, fullmatching want
    (a regular expression), before the prompt came back."""
    lines = out.split("\n")
    if not out.endswith("\n") or len(lines) != 2:
        return ["%d lines before the prompt, want 1: %r" % (out.count("\n"), out[:200])]
    if not re.fullmatch(want, lines[0]):
        return ["%r is not /%s/" % (lines[0], want)]
    return []


# The documented answers (docs/console.md): an unknown command, a bad
# number, and a read of page 0 (not present).
TYPO, TYPO_LINE = "hepl", r"hepl: no such command \(help lists them\)"
BAD_NUMBER, BAD_NUMBER_LINE = "walk 0xzz", r"walk: 0xzz: not a number"
PEEK_0, PEEK_0_LINE = "peek 0", r"peek: 0x00000000: page fault \(read, not present, error 0x0\)"
POWEROFF_RE = r"^poweroff: switching the machine off.*$"


# ------------------------------------------------------------ help

HELP_RE = r"  ([a-z][a-z0-9_]*)((?: [^ ]+)*) +([^ ].*)"
HELP_COLUMN = 31        # "  %-28s %s": the help text's column after a short usage
SYM_RE = re.compile(r"^([0-9a-f]{8}) [rR] (__monitor_cmds?_\w+)$", re.M)


def parse_help(out):
    """`help`: [(name, usage, help)] in the order listed, each line
    "  NAME ARGS" padded to 28 columns, a blank, the help."""
    out_list = []
    for line in _lines(out, "help"):
        m = _match(HELP_RE, line, "help")
        usage = m.group(1) + m.group(2)
        if m.start(3) != max(HELP_COLUMN, len(usage) + 3):
            raise FormatError("help: %r: the help text starts at column %d, want %d" % (
                line, m.start(3), max(HELP_COLUMN, len(usage) + 3)))
        out_list.append((m.group(1), usage, m.group(3)))
    return out_list


def monitor_command_names(sym_text):
    """The commands the kernel registers, from its symbol map (nm's
    build/kernel.sym): the __monitor_cmd_NAME objects between
    __monitor_cmds_start and __monitor_cmds_end, 16 bytes each
    (struct monitor_cmd); FormatError when the map disagrees with itself."""
    syms = {name: int(addr, 16) for addr, name in SYM_RE.findall(sym_text)}
    try:
        start, end = syms.pop("__monitor_cmds_start"), syms.pop("__monitor_cmds_end")
    except KeyError:
        raise FormatError("no __monitor_cmds_start/__monitor_cmds_end in the symbol map")
    prefix = "__monitor_cmd_"
    names = {n[len(prefix):]: a for n, a in syms.items() if n.startswith(prefix)}
    if any(not start <= a < end for a in names.values()) or len(names) * 16 != end - start:
        raise FormatError("%d __monitor_cmd_ symbols, the section holds %d bytes (16 each)" % (
            len(names), end - start))
    return sorted(names)


def help_problems(out, names):
    """`help` lists exactly names (from the symbol map), in name order."""
    try:
        listed = [n for n, _, _ in parse_help(out)]
    except FormatError as e:
        return [str(e)]
    problems = []
    missing, extra = sorted(set(names) - set(listed)), sorted(set(listed) - set(names))
    if missing:
        problems.append("not listed: %s" % " ".join(missing))
    if extra:
        problems.append("listed but not in the symbol map: %s" % " ".join(extra))
    if not problems and listed != sorted(names):
        problems.append("not in name order: %s" % " ".join(listed))
    return problems


# ------------------------------------------------------------ walk

# The bits walk names at each PAE level, in bit order (Intel SDM vol. 3A
# tables 4-8 to 4-11; bit 5 of a PDPT entry is reserved, but QEMU sets it
# and walk shows it as A: docs/console.md).
PAE_BITS = {
    "PDPT": ((0, "P"), (3, "PWT"), (4, "PCD"), (5, "A")),
    "PMD": ((0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (63, "NX")),
    "PMD2M": ((0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
              (7, "PS"), (8, "G"), (12, "PAT"), (63, "NX")),
    "PTE": ((0, "P"), (1, "RW"), (2, "US"), (3, "PWT"), (4, "PCD"), (5, "A"), (6, "D"),
            (7, "PAT"), (8, "G"), (63, "NX")),
}
PFN_MASK = 0x000FFFFFFFFFF000
# IA32_PAT as Linux programs it (arch/x86/mm/pat/memtype.c, pat_bp_init):
# the memory type of each PAT index (PAT, PCD, PWT).
LINUX_PAT = ("WB", "WC", "UC-", "UC", "WB", "WP", "UC-", "WT")
# QEMU's info tlb columns (target/i386/monitor.c, print_pte) and the
# flag word of walk's for the bit each shows (bits 63, 8, 7, 6, 5, 4, 3,
# 2, 1). QEMU shows a 4 KiB entry with bit 7 (PAT there) dropped: P only
# for a 2 MiB leaf, whose bit 7 is PS.
TLB_COLUMNS = (("X", "NX"), ("G", "G"), ("P", "PS"), ("D", "D"), ("A", "A"), ("C", "PCD"),
               ("T", "PWT"), ("U", "US"), ("W", "RW"))

WALK_HEAD_RE = r"walk 0x([0-9a-f]{8}): PDPT at 0x([0-9a-f]{8}) \((?:CR3 0x([0-9a-f]{8})|given)\)"
WALK_ENTRY_RE = r"  (PDPT|PMD |PTE )\[([ \d]{3})\] at 0x([0-9a-f]{8,}): 0x([0-9a-f]{16})  (.+)"
WALK_PHYS_RE = (r"  -> phys 0x([0-9a-f]{8,}): (4 KiB|2 MiB) page, (read-only|writable), "
                r"(kernel|user), (exec|no-exec)(, global)?, (WB|WC|WT|WP|UC-|UC)")
WALK_STOP_RE = r"  -> stops at the (PDPT|PMD|PTE) entry: (.+)"
WALK_TLB_RE = r"  info tlb: (([0-9a-f]{16}): ([0-9a-f]{16}) ([-XGPDACTUW]{9}))"


class Walk:
    """A parsed `walk ADDR`: va, pdpt, cr3 (None when given), entries
    [(level, index, at, value, flag words or None when not present)],
    and either phys, size, rights (rw, user, nx, global), memtype and
    tlb_line, or stop (the level where the walk stops)."""

    def __init__(self):
        self.entries, self.phys, self.stop, self.tlb_line = [], None, None, None


def parse_walk(out):
    """`walk ADDR`: the head line, one line per entry, then the physical
    address reached and the leaf as QEMU's info tlb line, or the level
    where the walk stops."""
    lines = _lines(out, "walk")
    w = Walk()
    m = _match(WALK_HEAD_RE, lines[0], "walk")
    w.va, w.pdpt = int(m.group(1), 16), int(m.group(2), 16)
    w.cr3 = int(m.group(3), 16) if m.group(3) else None
    i = 1
    while i < len(lines) and lines[i].startswith("  ") and "] at 0x" in lines[i]:
        m = _match(WALK_ENTRY_RE, lines[i], "walk")
        flags = None if m.group(5) == "not present" else m.group(5).split(" ")
        w.entries.append((m.group(1).strip(), int(m.group(2)), int(m.group(3), 16),
                          int(m.group(4), 16), flags))
        i += 1
    if not w.entries:
        raise FormatError("walk: no entry line after %r" % lines[0])
    if i < len(lines) and lines[i].startswith("  -> stops"):
        w.stop = _match(WALK_STOP_RE, lines[i], "walk").group(1)
        i += 1
    else:
        m = _match(WALK_PHYS_RE, lines[i] if i < len(lines) else "", "walk")
        w.phys, w.size = int(m.group(1), 16), 4096 if m.group(2) == "4 KiB" else 2 << 20
        w.rights = (m.group(3) == "writable", m.group(4) == "user", m.group(5) == "no-exec",
                    bool(m.group(6)))
        w.memtype = m.group(7)
        w.tlb_line = _match(WALK_TLB_RE, lines[i + 1] if i + 1 < len(lines) else "",
                            "walk").group(1)
        i += 2
    if i != len(lines):
        raise FormatError("walk: %r after the walk's end" % lines[i])
    return w


def pae_flags(value, kind):
    """The flag words of an entry of kind (PAE_BITS), in bit order."""
    return [name for bit, name in PAE_BITS[kind] if value >> bit & 1]


def tlb_line_of(info_tlb, page):
    """QEMU's info tlb line for the page at page (the address it starts
    with), without its end of line; None when QEMU lists none."""
    for m in oracles.INFO_TLB_RE.finditer(info_tlb):
        if int(m.group(1), 16) == page:
            return "%s: %s %s" % m.groups()
    return None


def walk_problems(out, info_tlb, va, want_phys):
    """`walk va` against the CPU's rules and QEMU: the entries chain from
    the PDPT through the indices of va, each entry's flag words are the
    bits of its value, the page reached is want_phys with the rights and
    memory type its entries give; the leaf as walk prints it in info
    tlb's format is QEMU's line for that page, whole, and the leaf's own
    flag words (and its value less the low bits) give every column of
    QEMU's line."""
    try:
        w = parse_walk(out)
    except FormatError as e:
        return [str(e)]
    problems = []
    if w.va != va:
        problems.append("walked 0x%08x, asked 0x%08x" % (w.va, va))
    if w.cr3 is not None and w.pdpt != w.cr3 & ~0x1F:
        problems.append("PDPT 0x%08x, CR3 0x%08x holds 0x%08x" % (w.pdpt, w.cr3, w.cr3 & ~0x1F))
    table, shifts, pmd = w.pdpt, (30, 21, 12), 0
    for n, (level, index, at, value, flags) in enumerate(w.entries):
        want_level = ("PDPT", "PMD", "PTE")[n] if n < 3 else "?"
        want_index = va >> shifts[n] & (3 if n == 0 else 511) if n < 3 else -1
        if (level, index, at) != (want_level, want_index, table + 8 * want_index):
            problems.append("entry %d: %s[%d] at 0x%x, the walk of 0x%08x reads %s[%d] at 0x%x"
                            % (n, level, index, at, va, want_level, want_index,
                               table + 8 * want_index))
        kind = "PMD2M" if level == "PMD" and value >> 7 & 1 else level
        want_flags = pae_flags(value, kind) if value & 1 else None
        if flags != want_flags:
            problems.append("%s 0x%016x: flags %s, its bits are %s" % (
                level, value, " ".join(flags or ["not present"]),
                " ".join(want_flags or ["not present"])))
        if level == "PMD":
            pmd = value
        table = value & PFN_MASK
    if w.stop:
        return problems + ["the walk stops at the %s entry" % w.stop]
    level, _, _, leaf, flags = w.entries[-1]
    large = level == "PMD"
    size = 2 << 20 if large else 4096
    frame = leaf & PFN_MASK & ~(size - 1)
    if (w.phys, w.size) != (want_phys, size) or w.phys != frame + (va & (size - 1)):
        problems.append("reached 0x%x (%d-byte page), want 0x%x; the leaf's frame gives 0x%x" % (
            w.phys, w.size, want_phys, frame + (va & (size - 1))))
    both = pmd & leaf if not large else leaf
    rights = (bool(both >> 1 & 1), bool(both >> 2 & 1), bool((pmd | leaf) >> 63 & 1),
              bool(leaf >> 8 & 1))
    if w.rights != rights:
        problems.append("rights (writable, user, no-exec, global) %s, the entries give %s" % (
            w.rights, rights))
    pat = (leaf >> (12 if large else 7) & 1) << 2 | (leaf >> 4 & 1) << 1 | (leaf >> 3 & 1)
    if w.memtype != LINUX_PAT[pat]:
        problems.append("memory type %s, PAT index %d is %s" % (w.memtype, pat, LINUX_PAT[pat]))
    qemu_line = tlb_line_of(info_tlb, va & ~(size - 1))
    if qemu_line is None:
        return problems + ["QEMU's info tlb has no line for 0x%08x" % (va & ~(size - 1))]
    if w.tlb_line != qemu_line:
        problems.append("walk's info tlb line '%s', QEMU's '%s'" % (w.tlb_line, qemu_line))
    # The columns from the leaf line's own words.
    words = set(flags or ())
    columns = "".join(c if word in words else "-" for c, word in TLB_COLUMNS)
    qemu_frame, qemu_columns = qemu_line.split(" ")[1:]
    if columns != qemu_columns:
        problems.append("the %s line's flags %s are the columns %s, QEMU's are %s" % (
            level, " ".join(flags or ["not present"]), columns, qemu_columns))
    if "%016x" % (leaf & ~(0xfffff if large else 0xfff)) != qemu_frame:
        problems.append("the %s's value 0x%016x less its low bits is not QEMU's %s" % (
            level, leaf, qemu_frame))
    return problems


# ------------------------------------------------------------ pkmap and kmap

LAST_PKMAP = 512
PKMAP_RES = (
    r"PKMap 0xfe000000-0xfe200000: 512 slots, last_pkmap_nr (\d+)",
    r"counts: (\d+) free \(0\), (\d+) unused until the next wrap \(1\), (\d+) mapped \(2\+\)",
    r"since boot: (\d+) wraps, (\d+) global flushes, (\d+) kmap waits, (\d+) bad kunmaps",
    r"map, 64 slots a row: '\.' count 0, '1' count 1, '2'-'9' count, '\+' 10 or more",
)
PKMAP_ROW_RE = r" *(\d+) ([.1-9+]{64})"
PKMAP_DETAIL_HEAD = " slot  virtual     count  pfn        physical"
PKMAP_DETAIL_RE = r" *(\d+)  0x(fe[0-9a-f]{6}) +(\d+)  0x([0-9a-f]+) +0x([0-9a-f]+)"
PKMAP_MORE_RE = r"\.\.\. and (\d+) more mapped slots \(pkmap all lists every slot\)"


class Pkmap:
    """A parsed `pkmap`: last_nr, free, unused, mapped (the counts line),
    wraps, flushes, waits, bad (since boot), slots (512 characters: '.',
    '1'-'9', '+'), detail [(slot, virtual, count, pfn, physical)]."""

    def ones(self):
        return {i for i, c in enumerate(self.slots) if c == "1"}

    def mapped_slots(self):
        return {i: c for i, c in enumerate(self.slots) if c not in ".1"}


def parse_pkmap(out):
    """`pkmap`: four lines of counters, the 512-slot map (eight rows of
    64), then the mapped slots in detail; the counts line must count the
    map's characters."""
    lines = _lines(out, "pkmap")
    p = Pkmap()
    heads = [_match(r, lines[i] if i < len(lines) else "", "pkmap") for i, r in enumerate(PKMAP_RES)]
    p.last_nr = int(heads[0].group(1))
    p.free, p.unused, p.mapped = (int(g) for g in heads[1].groups())
    p.wraps, p.flushes, p.waits, p.bad = (int(g) for g in heads[2].groups())
    p.slots = ""
    for row in range(LAST_PKMAP // 64):
        line = lines[4 + row] if 4 + row < len(lines) else ""
        m = _match(PKMAP_ROW_RE, line, "pkmap")
        if int(m.group(1)) != 64 * row:
            raise FormatError("pkmap: map row %r, want slot %d first" % (line, 64 * row))
        p.slots += m.group(2)
    rest = lines[4 + LAST_PKMAP // 64:]
    p.detail = []
    if rest:
        if rest[0] != PKMAP_DETAIL_HEAD:
            raise FormatError("pkmap: %r where the detail's head or the end belongs" % rest[0])
        for n, line in enumerate(rest[1:], 2):
            if n == len(rest) and re.fullmatch(PKMAP_MORE_RE, line):
                break
            m = _match(PKMAP_DETAIL_RE, line, "pkmap")
            p.detail.append(tuple(int(g, base) for g, base in zip(m.groups(), (10, 16, 10, 16, 16))))
    counted = (p.slots.count("."), p.slots.count("1"), LAST_PKMAP - p.slots.count(".") -
               p.slots.count("1"))
    if counted != (p.free, p.unused, p.mapped):
        raise FormatError("pkmap: the counts line says %d/%d/%d, the map has %d/%d/%d" % (
            (p.free, p.unused, p.mapped) + counted))
    if p.mapped and not p.detail:
        raise FormatError("pkmap: %d mapped slots, none in detail" % p.mapped)
    return p


KMAP_HEAD_RE = r"kmap: (\d+) distinct highmem pages?, each kmap\(\)ed then kunmap\(\)ed"
KMAP_RUN_RE = r"  slots (\d+)-(\d+) \((\d+) pages\), each left at count 1"
KMAP_SLOT_RE = r"  slot (\d+), left at count 1"
KMAP_PAGE_RE = (r"  pfn 0x([0-9a-f]+) \(0x([0-9a-f]+)\) -> slot (\d+) at 0x([0-9a-f]{8}); "
                r"kunmap: count (\d+)")
KMAP_WRAP_RE = r"  wrap to slot 0: (\d+) slots at count 1 freed, global flush #(\d+)"
KMAP_WRAP_NONE = "  wrap to slot 0: no slot at count 1, no flush"
KMAP_END_RE = (r"kmap: (\d+) pairs?, (\d+) wraps?, (\d+) global flush(?:es)? \((\d+) since boot\), "
               r"last_pkmap_nr (\d+)")


class Kmap:
    """A parsed `kmap N`: n; events in order, ("slots", [slot, ...])
    for the slots kmap()ed and left at count 1, ("wrap", freed, flush
    number) or ("wrap", 0, None) for a wrap that flushed nothing; the
    summary's pairs, wraps, flushes, since_boot, last_nr."""


def parse_kmap(out):
    """`kmap N`: the head line; the pages one a line (N <= 8) or as runs
    of slots, and a line for each wrap to slot 0; the summary line."""
    lines = _lines(out, "kmap")
    k = Kmap()
    k.n = int(_match(KMAP_HEAD_RE, lines[0], "kmap").group(1))
    if (k.n == 1) != lines[0].startswith("kmap: 1 distinct highmem page,"):
        raise FormatError("kmap: %r: the plural is wrong" % lines[0])
    k.events = []
    for line in lines[1:-1]:
        if line == KMAP_WRAP_NONE:
            k.events.append(("wrap", 0, None))
        elif re.fullmatch(KMAP_WRAP_RE, line):
            m = re.fullmatch(KMAP_WRAP_RE, line)
            k.events.append(("wrap", int(m.group(1)), int(m.group(2))))
        elif re.fullmatch(KMAP_RUN_RE, line):
            first, last, count = (int(g) for g in re.fullmatch(KMAP_RUN_RE, line).groups())
            if last <= first or count != last - first + 1:
                raise FormatError("kmap: %r: not a run of slots" % line)
            k.events.append(("slots", list(range(first, last + 1))))
        elif re.fullmatch(KMAP_SLOT_RE, line):
            k.events.append(("slots", [int(re.fullmatch(KMAP_SLOT_RE, line).group(1))]))
        else:
            m = _match(KMAP_PAGE_RE, line, "kmap")
            pfn, phys, slot, virt, count = (int(g, 10 if i in (2, 4) else 16)
                                            for i, g in enumerate(m.groups()))
            if phys != pfn << 12 or virt != 0xFE000000 + slot * 4096 or count != 1:
                raise FormatError("kmap: %r: pfn, address and slot disagree" % line)
            k.events.append(("slots", [slot]))
    m = _match(KMAP_END_RE, lines[-1] if len(lines) > 1 else "", "kmap")
    k.pairs, k.wraps, k.flushes, k.since_boot, k.last_nr = (int(g) for g in m.groups())
    words = (_plural(k.pairs, "pair"), _plural(k.wraps, "wrap"),
             _plural(k.flushes, "global flush", "global flushes"))
    if "kmap: %s, %s, %s (" % words not in lines[-1]:
        raise FormatError("kmap: %r: the plurals are wrong" % lines[-1])
    return k


def pkmap_scan(before, n):
    """Linux's PKMap scan (mm/highmem.c, map_new_virtual and
    flush_all_zero_pkmaps) replayed from a pkmap's state for n pages,
    each kmap()ed then kunmap()ed: the events kmap should print (as
    parse_kmap gives them, one slot an event) and the map and
    last_pkmap_nr after. Slots counted 2 and more stay as they are."""
    slots, last, flushes, events = list(before.slots), before.last_nr, before.flushes, []
    for _ in range(n):
        for _ in range(2 * LAST_PKMAP):
            last = (last + 1) % LAST_PKMAP
            if last == 0:
                freed = slots.count("1")
                if freed:
                    flushes += 1
                    slots = ["." if c == "1" else c for c in slots]
                events.append(("wrap", freed, flushes if freed else None))
            if slots[last] == ".":
                slots[last] = "1"
                events.append(("slots", [last]))
                break
        else:
            raise ValueError("no free PKMap slot: kmap would sleep")
    return events, "".join(slots), last


def _single_slots(events):
    out = []
    for e in events:
        out += [("slots", [s]) for s in e[1]] if e[0] == "slots" else [e]
    return out


def kmap_problems(before_out, kmap_out, after_out, n, more_flushes=1):
    """`pkmap`, `kmap n`, `pkmap`: the issue's rule (more_flushes
    global flushes more: one after kmap 600), kmap's summary against the two pkmaps, the
    slots kmap says it left at count 1 against the map after, and kmap's
    slots, wraps and flushes against a replay of Linux's scan from the
    first pkmap's state. Returns (problems, the counts for the log)."""
    try:
        before, k, after = parse_pkmap(before_out), parse_kmap(kmap_out), parse_pkmap(after_out)
    except FormatError as e:
        return [str(e)], ""
    problems = []
    if after.flushes != before.flushes + more_flushes:
        problems.append("pkmap's global flushes %d before kmap %d, %d after: want %d more" % (
            before.flushes, n, after.flushes, more_flushes))
    summary = (k.pairs, k.flushes, k.wraps, k.since_boot, k.last_nr)
    want = (n, after.flushes - before.flushes, after.wraps - before.wraps, after.flushes,
            after.last_nr)
    if k.n != n or summary != want:
        problems.append("kmap's summary (pairs, flushes, wraps, since boot, last_pkmap_nr) %s; "
                        "the pkmaps give %s" % (summary, want))
    wraps = [e for e in k.events if e[0] == "wrap"]
    if (len(wraps), sum(e[2] is not None for e in wraps)) != (k.wraps, k.flushes):
        problems.append("kmap printed %d wrap lines, %d with a flush; its summary says %d, %d" % (
            len(wraps), sum(e[2] is not None for e in wraps), k.wraps, k.flushes))
    # What kmap's own lines say is at count 1: the slots before, then each
    # slot it left there; every wrap frees them all.
    ones = before.ones()
    for e in k.events:
        if e[0] == "slots":
            ones |= set(e[1])
        else:
            if e[1] != len(ones):
                problems.append("a wrap freed %d slots at count 1, by kmap's lines %d were" % (
                    e[1], len(ones)))
            ones = set()
    if ones != after.ones():
        problems.append("pkmap after shows %d slots at count 1 (%s), kmap's lines leave %d (%s)" % (
            len(after.ones()), _slot_ranges(after.ones()), len(ones), _slot_ranges(ones)))
    if after.mapped_slots() != before.mapped_slots():
        problems.append("the slots at count 2 and more changed: %s -> %s" % (
            before.mapped_slots(), after.mapped_slots()))
    slots_used = sum(len(e[1]) for e in k.events if e[0] == "slots")
    if slots_used != n:
        problems.append("kmap's lines name %d slots for %d pages" % (slots_used, n))
    try:
        events, slots, last = pkmap_scan(before, n)
    except ValueError as e:
        return problems + [str(e)], ""
    if _single_slots(k.events) != events:
        got, want = _single_slots(k.events), events
        at = next((i for i, (a, b) in enumerate(zip(got, want)) if a != b), min(len(got), len(want)))
        problems.append("kmap's slots and wraps differ from Linux's scan from last_pkmap_nr %d "
                        "at event %d: %s, the scan gives %s" % (
                            before.last_nr, at, got[at] if at < len(got) else "(end)",
                            want[at] if at < len(want) else "(end)"))
    if (after.slots, after.last_nr) != (slots, last):
        problems.append("pkmap after (last_pkmap_nr %d, count 1 at %s) is not the scan's "
                        "(last_pkmap_nr %d, count 1 at %s)" % (
                            after.last_nr, _slot_ranges(after.ones()), last,
                            _slot_ranges({i for i, c in enumerate(slots) if c == "1"})))
    return problems, "global flushes %d -> %d, kmap: %d wraps, %d flushes, %d slots left at " \
        "count 1 (%s), last_pkmap_nr %d" % (before.flushes, after.flushes, k.wraps, k.flushes,
                                           len(after.ones()), _slot_ranges(after.ones()),
                                           after.last_nr)


def _slot_ranges(slots):
    out, run = [], []
    for s in sorted(slots):
        if run and s == run[-1] + 1:
            run.append(s)
        else:
            if run:
                out.append(run)
            run = [s]
    if run:
        out.append(run)
    return ",".join("%d-%d" % (r[0], r[-1]) if len(r) > 1 else "%d" % r[0] for r in out) or "none"


# ------------------------------------------------------------ typing

class Typist:
    """Lines and keys into a session through the keyboard (sendkey) or
    COM1 (the socket); command() runs a line and returns its output."""

    def __init__(self, s, via):
        if via not in ("keys", "serial"):
            raise ValueError("via %r: keys or serial" % via)
        self.s, self.via = s, via

    def type(self, text):
        if self.via == "keys":
            self.s.type_keys(text, echo=True)
        else:
            self.s.type_serial(text)

    def press(self, *names):
        if self.via == "keys":
            self.s.press_keys(*names)
        else:
            self.s.press_serial(*names)

    def command(self, line):
        """line, Enter, until the prompt again: the output between the
        echoed line and the prompt."""
        self.s.mark_now()
        start = self.s.mark
        self.type(line)
        self.press("ret")
        self.s.wait_for(session.PROMPT_RE, STEP)
        return output_of(self.s.text()[start:])


def output_of(text):
    """What a command printed: text from its echoed line through the
    next prompt, less both."""
    out = text.split("\n", 1)[1] if "\n" in text else ""
    return out[:-len(session.PROMPT)] if out.endswith(session.PROMPT) else out


def prompt_line(s, width, height):
    """(the model's last row, the cursor's column) at the session's screen."""
    t = s.expected(width, height).term
    return t.lines()[t.row].rstrip(), t.col


# ------------------------------------------------------------ the sessions

def colours_on(pic):
    """{foreground: cells} of the non-blank cells of a picture."""
    out = {}
    for row in pic.term.cells:
        for cp, fg, _ in row:
            if cp != 0x20:
                out[fg] = out.get(fg, 0) + 1
    return out


def screen_session(resolution):
    """A KTAP boot with the broken modules of the bad-modules boot (each
    refusal a red line at the end of the boot), paused at the ktest
    checkpoint: the screen is the model's picture of COM1, scrolled (the
    log is longer than the screen) and with red on it."""
    tag = "%dx%d" % resolution

    def run(workdir, scale, image, out):
        with session.Session(workdir, image=image, cmdline="ktest", resolution=resolution,
                             modules=images.bad_modules()[0], scale=scale,
                             extra=["-fw_cfg", "name=opt/pae32/checkpoints,string=ktest"]) as s:
            s.wait_for(oracles.PAUSED_RE)
            pic = s.expected()
            problems = s.wait_screen()
            if not pic.term.scrolls:
                problems.append("the log fits on the %dx%d grid: nothing scrolled" % (
                    pic.term.cols, pic.term.rows))
            colours = colours_on(pic)
            if not colours.get(1):
                problems.append("no red character on the model's screen (%r)" % colours)
            out.append(("checkpoint-" + tag, not problems, "; ".join(problems) or
                        "%dx%d cells, %d rows scrolled off, characters by colour %r, "
                        "the screen is the model's" % (pic.term.cols, pic.term.rows,
                                                       pic.term.scrolls, colours)))
    return run


def prompt_session(resolution):
    """Boot to the prompt at resolution: the screen is the model's picture
    of COM1, scrolled (the log is longer than the screen); then a ktest
    run's green ok words on screen, the picture still the model's."""
    tag = "%dx%d" % resolution

    def run(workdir, scale, image, out):
        with session.Session(workdir, image=image, resolution=resolution, scale=scale) as s:
            s.wait_idle()
            pic = s.expected()
            problems = s.wait_screen()
            if not pic.term.scrolls:
                problems.append("the log fits on the %dx%d grid: nothing scrolled" % (
                    pic.term.cols, pic.term.rows))
            out.append(("boot-" + tag, not problems, "; ".join(problems) or
                        "%dx%d cells, %d rows scrolled off, the screen is the model's" % (
                            pic.term.cols, pic.term.rows, pic.term.scrolls)))
            Typist(s, "serial").command("ktest " + COLOUR_SUITE)
            pic = s.expected()
            green = colours_on(pic).get(2, 0)
            problems = s.wait_screen()
            if not green:
                problems.append("no green cell on the model's screen after ktest %s" % COLOUR_SUITE)
            out.append(("colours-" + tag, not problems, "; ".join(problems) or
                        "%d green cells, the screen is the model's" % green))
    return run


def keyboard_session(via):
    """The monitor driven through the keyboard (sendkey) or COM1: help
    against the symbol map, walk against QEMU's info tlb, a typo, a bad
    number and peek 0 (one line each), pkmap, kmap 600, pkmap (one global
    flush more, the slots at count 1 as kmap left them), the editing
    keys and history recall; the screen is the model's picture of COM1
    after each step. Through the keyboard, poweroff ends it: QEMU must
    exit with status 0."""

    def run(workdir, scale, image, out):
        w, h = KEYBOARD_RESOLUTION
        sym = os.path.join(os.path.dirname(os.path.abspath(image or qemu.IMAGE)),
                           "kernel.sym")
        with open(sym) as fh:
            names = monitor_command_names(fh.read())
        # Through the keyboard a restart must not end QEMU: poweroff's
        # exit status has to tell switching off from restarting.
        with session.Session(workdir, image=image, resolution=KEYBOARD_RESOLUTION,
                             scale=scale, no_reboot=via != "keys") as s:
            s.wait_idle()
            t = Typist(s, via)

            def screen(step):
                problems = s.wait_screen()
                out.append(("screen after " + step, not problems, "; ".join(problems) or
                            "the model's picture"))

            def check(name, problems, detail):
                out.append((name, not problems, "; ".join(problems) or detail))

            before = t.command("pkmap")
            check("help", help_problems(t.command("help"), names),
                  "the %d commands of %s, in name order" % (len(names), os.path.relpath(sym)))
            screen("help")

            walk = t.command("walk %#x" % WALK_ADDR)
            info_tlb = s.info_tlb()
            check("walk", walk_problems(walk, info_tlb, WALK_ADDR, WALK_PHYS),
                  "walk %#x reaches %#x; %s" % (WALK_ADDR, WALK_PHYS,
                                              tlb_line_of(info_tlb, WALK_ADDR)))
            screen("walk")

            for name, line, want in (("typo", TYPO, TYPO_LINE),
                                     ("bad-number", BAD_NUMBER, BAD_NUMBER_LINE),
                                     ("peek-0", PEEK_0, PEEK_0_LINE)):
                answer = t.command(line)
                check(name, one_line_problems(answer, want), "%s: %s" % (line, answer.strip()))
            screen("typo, bad number, peek 0")

            kmap = t.command("kmap %d" % KMAP_PAIRS)
            after = t.command("pkmap")
            problems, counts = kmap_problems(before, kmap, after, KMAP_PAIRS)
            check("kmap-pkmap", problems, counts)
            screen("kmap and pkmap")

            # Backspace, Ctrl-U, Ctrl-C on the line being edited.
            t.type("helpx")
            t.press("backspace")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> help", 11), "Backspace", STEP)
            t.press("ctrl-u")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32>", 7), "Ctrl-U", STEP)
            t.type("junk")
            s.mark_now()
            t.press("ctrl-c")
            s.wait_for(r"\^C\npae32> \Z", STEP)
            check("editing", [], "Backspace, Ctrl-U, Ctrl-C")
            screen("editing")

            # Up recalls pkmap, then kmap 600; Down pkmap again; Enter runs it.
            t.press("up")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> pkmap", 12), "Up", STEP)
            t.press("up")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> kmap %d" % KMAP_PAIRS, 15),
                         "Up twice", STEP)
            t.press("down")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> pkmap", 12), "Down", STEP)
            s.mark_now()
            start = s.mark
            t.press("ret")
            s.wait_for(session.PROMPT_RE, STEP)
            again = output_of(s.text()[start:])
            check("history", [] if again == after else
                  ["Up Up Down Enter printed %r, the last pkmap %r" % (again[:200], after[:200])],
                  "Up Up Down Enter ran pkmap again, the same output")
            screen("history")

            if via == "keys":
                t.type("poweroff")
                t.press("ret")
                enter = time.monotonic()
                said = s.wait_for(POWEROFF_RE, STEP).group(0)
                try:
                    s.wait_for(qemu.FIRMWARE_START_RE, STEP)
                    problems = ["the machine restarted instead of switching off"]
                except session.SessionError:    # COM1 ended: QEMU is gone
                    rc = s.wait_exit(STEP)
                    problems = [] if rc == 0 else ["QEMU exit status %s, want 0" % rc]
                secs = time.monotonic() - enter
                check("poweroff", problems, "'%s'; QEMU exited with status 0, %.2f s after "
                      "Enter (a figure)" % (said, secs))
    return run


SESSIONS = {}
for r in RESOLUTIONS:
    SESSIONS["screen-x64-%dx%d" % r] = screen_session(r)
for r in RESOLUTIONS:
    SESSIONS["prompt-x64-%dx%d" % r] = prompt_session(r)
SESSIONS["keyboard-x64-sendkey"] = keyboard_session("keys")
SESSIONS["keyboard-x64-serial"] = keyboard_session("serial")


def run_session(name, workdir, scale=1, image=None):
    """SESSIONS[name] in workdir (on image, build/usb.img by default): its
    checks, a session that broke down being one failure after the checks
    it reached."""
    out = []
    try:
        SESSIONS[name](workdir, scale, image, out)
    except (session.SessionError, OSError, ValueError) as e:
        out.append((name, False, "%s: %s" % (type(e).__name__, e)))
    return out


def main(argv):
    image = None
    if argv[:1] == ["--image"] and len(argv) > 1:
        image, argv = os.path.abspath(argv[1]), argv[2:]
    names = argv or list(SESSIONS)
    bad = [n for n in names if n not in SESSIONS]
    if bad or (image and not os.path.exists(image)):
        print("screenchecks.py: %s (sessions: %s)" % (
            "no session " + " ".join(bad) if bad else "no image " + image, " ".join(SESSIONS)),
            file=sys.stderr)
        return 2
    failed = 0
    for name in names:
        for check, ok, detail in run_session(name, os.path.join(images.TESTDIR, "run-" + name),
                                             image=image):
            print("%-4s %s: %s: %s" % ("ok" if ok else "FAIL", name, check, detail))
            failed += not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
