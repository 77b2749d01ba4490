#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The paging-trace checker: replays the kernel's "pgtrace:" lines
(trace=paging, mm/pgtrace.c) into a model of the PAE page tables and, at
every checkpoint, compares the model with an emulator's own walk (Bochs's
`page`, QEMU's `info tlb` and `info mem`) and with the permissions the
design gives each region of the address map (docs/memory-layout.md,
seed 000 §5.1; Intel SDM vol. 3A §4.4 for the PAE walk).

    python3 tests/pagecheck.py bochs  build/bochs          # a ./build.sh bochs run
    python3 tests/pagecheck.py qemu   build/test/run-NAME  # a harness oracle boot

Exit status 0 when every checkpoint agrees; the problems are printed.
"""
import os
import re
import sys

import qemu  # tests/, beside this file

PAGE = 0x1000
P, RW, US, PWT, PCD, ACC, DIRTY, PS, G = (
    0x1, 0x2, 0x4, 0x8, 0x10, 0x20, 0x40, 0x80, 0x100)
NX = 1 << 63
PFN = 0x000FFFFFFFFFF000
AD = ACC | DIRTY                  # set by the CPU as it walks: never compared
PAGE_OFFSET = 0xC0000000
SIZE = {"pgd": 1 << 30, "pmd": 1 << 21, "pte": PAGE}

ENTRY_RE = re.compile(r"^pgtrace: (pgd|pmd|pte) ([0-9a-f]{8}) \[([0-9a-f]{8,})\] "
                      r"([0-9a-f]{16}) -> ([0-9a-f]{16}) cpu(\d+)$")
FLUSH_RE = re.compile(r"^pgtrace: flush (?:one ([0-9a-f]{8})|range ([0-9a-f]{8})-([0-9a-f]{8})|(all)) "
                      r"(local|ipi) cpu(\d+)$")
CR3_RE = re.compile(r"^pgtrace: cr3 ([0-9a-f]{8}) pge=([01]) cpu(\d+)$")
TABLE_RE = re.compile(r"^pgtrace: table \[([0-9a-f]{8,})\] zeroed cpu(\d+)$")
CHECKPOINT_RE = re.compile(r"^pgtrace: checkpoint (\S+) cpu(\d+)$")
REGIONS_RE = re.compile(r"^pgtrace: regions lowmem ([0-9a-f]{8})-([0-9a-f]{8}) vmalloc ([0-9a-f]{8})-([0-9a-f]{8}) "
                        r"pkmap ([0-9a-f]{8})-([0-9a-f]{8}) fixmap ([0-9a-f]{8})-([0-9a-f]{8}) "
                        r"kmap_atomic ([0-9a-f]{8})-([0-9a-f]{8})$", re.M)
LAYOUT_RE = re.compile(r"^\s+(fixmap|pkmap|vmalloc|lowmem|\.init|\.text|\.rodata|\.data|\.bss)\s*: "
                       r"0x([0-9a-f]{8}) - 0x([0-9a-f]{8})", re.M)
VMALLOCINFO_RE = re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8}) ", re.M)
# Bochs `page`: " PDE: 0x80000000000001e3 XD PS G ...", then the verdict.
BOCHS_ENTRY_RE = re.compile(r"^\s*(PDPE|PDE|PTE): 0x([0-9a-f]{16})", re.M)
BOCHS_MAPS_RE = re.compile(r"linear page 0x([0-9a-f]+) maps to physical page 0x([0-9a-f]+)")
BOCHS_NONE_RE = re.compile(r"physical address not available for linear 0x([0-9a-f]+)")
# QEMU `info tlb`: address, entry less its low flags, then X G P D A C T U W.
INFO_TLB_RE = re.compile(r"^([0-9a-f]{8,16}): ([0-9a-f]{8,16}) ([-XGPDACTUW]{9})\s*$", re.M)
INFO_MEM_RE = re.compile(r"^([0-9a-f]{8,16})-([0-9a-f]{8,16}) [0-9a-f]{8,16} ([-urw]{3})\s*$", re.M)


def present(v):
    return bool(v & P)


# ------------------------------------------------------------ the model

# The memory type of each PAT index (PAT*4 + PCD*2 + PWT) as the kernel
# programs IA32_PAT (asm/processor-flags.h, Linux's choice; Intel SDM vol.
# 3A §11.12). A CPU without PAT has the power-on types, the same for the
# indices the kernel uses (0 and 3); PWT alone is then write-through.
PAT_TYPES = ("WB", "WC", "UC-", "UC", "WB", "WP", "UC-", "WT")
PTE_PAT, PDE_PAT = 0x80, 0x1000


class Leaf:
    """One translation as the MMU would make it: the frame of the page at
    va, its size, the effective rights of the whole walk and the PAT bit
    of its last entry."""

    def __init__(self, va, frame, size, w, u, nx, pcd, pwt, g, pde, pte):
        self.va, self.frame, self.size = va, frame, size
        self.w, self.u, self.nx, self.pcd, self.pwt, self.g = w, u, nx, pcd, pwt, g
        self.pde, self.pte = pde, pte          # raw entries (pte None: 2 MiB)
        self.pat = bool(pte & PTE_PAT) if pte is not None else bool(pde & PDE_PAT)

    def rights(self):
        return (self.w, self.u, self.nx, self.pcd, self.pwt, self.g, self.pat)

    def cache(self):
        """The memory type: WB, WC, UC-, UC, WP or WT."""
        return PAT_TYPES[self.pat * 4 + self.pcd * 2 + self.pwt]

    def describe(self):
        return "%08x -> %09x %s%s%s %s%s" % (
            self.va, self.frame, "W" if self.w else "r", "U" if self.u else "s",
            " NX" if self.nx else " X", self.cache(), " G" if self.g else "")


class Model:
    """The page tables as the trace wrote them: physical address of each
    entry -> value, each CPU's CR3, and each CPU's possibly stale TLB
    entries (changed since that CPU last flushed them)."""

    def __init__(self):
        self.mem = {}
        self.cr3 = {}
        self.stale = {}                 # cpu -> list of (start, end, old frame, global)
        self.regions = []               # start, end of lowmem, vmalloc, pkmap, fixmap
        self.zero_pages = set()         # page tables the kernel said it zeroed
        self.problems = []
        # VA ranges that only the writing CPU ever uses (the fixmap's
        # per-CPU kmap_atomic slots, set and flushed locally).
        self.per_cpu_ranges = []

    def read(self, phys):
        return self.mem.get(phys, 0)

    # -------------------------------------------------------- replay

    def apply(self, line, where=""):
        """One trace line; returns the checkpoint name for a checkpoint."""
        m = ENTRY_RE.match(line)
        if m:
            self.entry(m.group(1), int(m.group(2), 16), int(m.group(3), 16),
                       int(m.group(4), 16), int(m.group(5), 16), int(m.group(6)), where)
            return None
        m = FLUSH_RE.match(line)
        if m:
            cpu = int(m.group(6))
            if m.group(4):
                self.flush(cpu, 0, 1 << 32, everything=True)
            elif m.group(1):
                va = int(m.group(1), 16)
                self.flush(cpu, va, va + PAGE)
            else:
                self.flush(cpu, int(m.group(2), 16), int(m.group(3), 16))
            return None
        m = CR3_RE.match(line)
        if m:
            cpu = int(m.group(3))
            self.cr3[cpu] = int(m.group(1), 16)
            self.stale.setdefault(cpu, [])
            # A CR3 load drops the non-global translations, all of them
            # while CR4.PGE is clear. A replaced page table (frame None)
            # may have held global entries: it survives a load with PGE.
            self.stale[cpu] = [s for s in self.stale[cpu]
                               if m.group(2) == "1" and (s[3] or s[2] is None)]
            return None
        m = CHECKPOINT_RE.match(line)
        if m:
            return m.group(1), int(m.group(2))
        m = TABLE_RE.match(line)
        if m:
            # A fresh page table: what the trace wrote there before is gone.
            page = int(m.group(1), 16)
            for at in [a for a in self.mem if page <= a < page + PAGE]:
                del self.mem[at]
            self.zero_pages.add(page)
            return None
        m = REGIONS_RE.match(line)
        if m:
            v = [int(x, 16) for x in m.groups()]
            self.regions = v[:8]
            # The per-CPU kmap_atomic slots are set and flushed locally.
            self.per_cpu_ranges = [(v[8], v[9])]
            return None
        if line.startswith("pgtrace:"):
            self.problems.append("%sunreadable trace line: %s" % (where, line))
        return None

    def entry(self, level, va, at, old, new, cpu, where):
        known = self.mem.get(at)
        if known is None:
            # First sight: zero in a table said to be zeroed, else what
            # the kernel read there.
            known = 0 if (at & ~(PAGE - 1)) in self.zero_pages else old
        if (known & ~AD) != (old & ~AD):
            self.problems.append(
                "%s%s %08x [%08x]: the kernel replaced %016x, the trace had written %016x "
                "(a write that bypassed the helpers?)" % (where, level, va, at, old, known))
        self.mem[at] = new
        size = SIZE[level]
        leaf = level == "pte" or (level == "pmd" and new & PS) or (level == "pmd" and old & PS)
        if present(old) and (old & ~AD) != (new & ~AD):
            cpus = [cpu] if self.per_cpu(va) else list(self.stale)
            for c in cpus:
                self.stale.setdefault(c, []).append(
                    (va, va + size, (old & PFN) if leaf else None, bool(old & G)))
        if present(new) and leaf:
            frame = new & PFN
            for c, ranges in self.stale.items():
                if self.per_cpu(va) and c != cpu:
                    continue
                for s, e, f, _ in ranges:
                    if s < va + size and va < e and f != frame:
                        self.problems.append(
                            "%s%s %08x now maps %09x while CPU %d may still translate it to %s: "
                            "no flush on that CPU since the old entry went" % (
                                where, level, va, frame, c,
                                "%09x" % f if f is not None else "an old page table"))
                        break

    def per_cpu(self, va):
        return any(s <= va < e for s, e in self.per_cpu_ranges)

    def flush(self, cpu, start, end, everything=False):
        ranges = self.stale.setdefault(cpu, [])
        if everything:
            ranges.clear()
            return
        # invlpg anywhere in a 2 MiB page drops the whole translation.
        self.stale[cpu] = [s for s in ranges if not (s[0] < end and start < s[1])]

    # -------------------------------------------------------- the walk

    def walk(self, cr3, va):
        """The PAE walk from cr3 for va: a Leaf, or None when not mapped."""
        pdpte = self.read(cr3 + 8 * (va >> 30))
        if not present(pdpte):
            return None
        pde = self.read((pdpte & PFN) + 8 * ((va >> 21) & 511))
        if not present(pde):
            return None
        if pde & PS:
            return Leaf(va & ~0x1FFFFF, (pde & PFN) & ~0x1FFFFF, 1 << 21,
                        bool(pde & RW), bool(pde & US), bool(pde & NX),
                        bool(pde & PCD), bool(pde & PWT), bool(pde & G), pde, None)
        pte = self.read((pde & PFN) + 8 * ((va >> 12) & 511))
        if not present(pte):
            return None
        return Leaf(va & ~0xFFF, pte & PFN, PAGE,
                    bool(pde & RW and pte & RW), bool(pde & US and pte & US),
                    bool(pde & NX or pte & NX), bool(pte & PCD), bool(pte & PWT),
                    bool(pte & G), pde, pte)

    def leaves(self, cr3):
        """Every mapped page (2 MiB pages once), in address order."""
        out = []
        for i in range(4):
            pdpte = self.read(cr3 + 8 * i)
            if not present(pdpte):
                continue
            for j in range(512):
                pde = self.read((pdpte & PFN) + 8 * j)
                if not present(pde):
                    continue
                va = (i << 30) | (j << 21)
                if pde & PS:
                    out.append(self.walk(cr3, va))
                    continue
                for k in range(512):
                    if present(self.read((pde & PFN) + 8 * k)):
                        out.append(self.walk(cr3, va | (k << 12)))
        return out

    def runs(self, cr3):
        """Mapped stretches with contiguous frames and equal rights:
        [start, end, first frame, a Leaf of the stretch]."""
        out = []
        for leaf in self.leaves(cr3):
            last = out[-1] if out else None
            if (last and last[1] == leaf.va and
                    last[2] + (leaf.va - last[0]) == leaf.frame and
                    last[3].rights() == leaf.rights()):
                last[1] = leaf.va + leaf.size
            else:
                out.append([leaf.va, leaf.va + leaf.size, leaf.frame, leaf])
        return out


def probe_addresses(model, cr3):
    """What to ask the emulator about at a checkpoint: the first and last
    page of every region (pgtrace: regions) and of every mapped stretch,
    the pages just outside each stretch (gaps and guard pages), and the
    edges of user space."""
    vas = {0, PAGE_OFFSET - PAGE, 0xFFFFF000}
    for start, end in zip(model.regions[0::2], model.regions[1::2]):
        vas.update((start, end - PAGE))
    for start, end, _, _ in model.runs(cr3):
        vas.update((start, end - PAGE, (start - PAGE) & 0xFFFFFFFF, end & 0xFFFFFFFF))
    return sorted(v & ~0xFFF for v in vas)


# ------------------------------------------------------------ the design

class Layout:
    """The regions of the address map as the kernel printed them."""

    def __init__(self, log):
        regions = {name: (int(a, 16), int(b, 16)) for name, a, b in LAYOUT_RE.findall(log)}
        missing = {"fixmap", "pkmap", "vmalloc", "lowmem", ".text", ".rodata", ".data"} - set(regions)
        if missing:
            raise ValueError("no layout line for %s in the log" % ", ".join(sorted(missing)))
        self.r = regions
        self.nx = "no NX" not in log
        self.pge = bool(re.search(r"^paging: .*, global$", log, re.M))

    def region(self, va):
        r = self.r
        for name in ("lowmem", "vmalloc", "pkmap", "fixmap"):
            if r[name][0] <= va < r[name][1]:
                return name
        return "user" if va < PAGE_OFFSET else "hole"


def page_up(v):
    return (v + PAGE - 1) & ~(PAGE - 1)


# A /proc/PID/maps line: "08048000-0804a000 r-xp 00000000 00:00 0    /bin/t".
MAPS_LINE_RE = re.compile(r"^\s*([0-9a-f]{8})-([0-9a-f]{8}) ([-r][-w][-x][ps]) ", re.M)
# The kernel's header before a checkpoint taken while a process runs
# (kernel/exit.c: PID 1's address space just before exit tears it down).
USER_MAPS_RE = r"^checkpoint %s: maps of PID \d+ .*:\n((?:\s+[0-9a-f]{8}-.*\n)*)"


def user_vmas(log_upto_checkpoint, name):
    """The VMAs the kernel listed for the process live at checkpoint name
    (the last such list before it): [(start, end, perms)], empty when
    none."""
    found = list(re.finditer(USER_MAPS_RE % re.escape(name), log_upto_checkpoint, re.M))
    if not found:
        return []
    return [(int(a, 16), int(b, 16), perms) for a, b, perms in MAPS_LINE_RE.findall(found[-1].group(1))]


def user_problems(leaf, layout, vmas):
    """A page mapped below PAGE_OFFSET must lie in one of the process's
    VMAs, with the user bit, writable only where the VMA is, NX where the
    VMA is not executable (when the CPU has NX)."""
    vma = next((v for v in vmas if v[0] <= leaf.va < v[1]), None)
    say = lambda what: "%s (user): %s" % (leaf.describe(), what)
    if vma is None:
        return [say("mapped outside every VMA the kernel listed")]
    out, perms = [], vma[2]
    if leaf.size != PAGE:
        out.append(say("a 2 MiB page in user space"))
    if not leaf.u:
        out.append(say("no user bit in VMA %08x-%08x %s" % vma))
    if leaf.w and perms[1] != "w":
        out.append(say("writable in a VMA without write (%08x-%08x %s)" % vma))
    if layout.nx and leaf.nx != (perms[2] != "x"):
        out.append(say("NX %s in VMA %08x-%08x %s" % ((leaf.nx,) + vma)))
    if layout.pge and leaf.g:
        out.append(say("global: a user page must leave the TLB at the next switch"))
    return out


def design_problems(leaf, layout, expect=None, vmas=None):
    """What the design says about one mapped page, violated: a list.
    vmas: the live process's VMAs at this checkpoint (user_vmas)."""
    expect = expect or DESIGN
    region, out, va = layout.region(leaf.va), [], leaf.va
    say = lambda what: out.append("%s (%s): %s" % (leaf.describe(), region, what))
    if region == "user" and vmas:
        return user_problems(leaf, layout, vmas)
    if region in ("user", "hole"):
        say("mapped where nothing may be (user space or a gap between regions)")
        return out
    if leaf.u != expect["user"]:
        say("user bit %s" % leaf.u)
    if layout.pge and leaf.g != expect["global"]:
        say("global bit %s" % leaf.g)
    if layout.nx and leaf.w and not leaf.nx:
        say("writable and executable")
    if region == "lowmem":
        r = layout.r
        if leaf.frame != va - PAGE_OFFSET:
            say("the direct map must map frame %09x" % (va - PAGE_OFFSET))
        text = r[".text"][0] <= va < r[".rodata"][0]
        rodata = r[".rodata"][0] <= va < page_up(r[".rodata"][1])
        want_w = expect["text_writable"] if text else (not rodata)
        want_nx = layout.nx and not text
        if leaf.w != want_w:
            say("writable %s, the design says %s" % (leaf.w, want_w))
        if leaf.nx != want_nx:
            say("NX %s, the design says %s" % (leaf.nx, want_nx))
        if leaf.cache() != "WB":
            say("memory type %s; the direct map is write-back" % leaf.cache())
    elif region in ("pkmap", "fixmap"):
        mmio = 0xFEC00000 <= leaf.frame < 0xFEF00000      # IO-APIC, local APIC
        if leaf.size != PAGE or not leaf.w or (layout.nx and not leaf.nx):
            say("a %s slot is one writable NX page" % region)
        if leaf.cache() != ("UC" if mmio else "WB"):
            say("memory type %s; APIC registers uncached, RAM write-back" % leaf.cache())
    elif region == "vmalloc":
        if leaf.size != PAGE:
            say("a 2 MiB page in the vmalloc area")
        # vmalloc WB, ioremap UC, ioremap_cache WB, ioremap_wc WC.
        if leaf.cache() not in ("WB", "WC", "UC"):
            say("memory type %s, which no mapper of the vmalloc area makes" % leaf.cache())
    return out


# The design's answers; the checker's self-test changes one and expects a
# failure.
DESIGN = {"user": False, "global": True, "text_writable": False}


def vmalloc_guard_problems(log_upto_checkpoint, model, cr3):
    """The last vmallocinfo list before the checkpoint: each area's pages
    mapped, its guard page (the last of its size) not."""
    found = list(re.finditer(r"^vmallocinfo:\n((?:0x.*\n)*)", log_upto_checkpoint, re.M))
    if not found:
        return []
    out = []
    for a, b in VMALLOCINFO_RE.findall(found[-1].group(1)):
        start, end = int(a, 16), int(b, 16)
        for va in range(start, end - PAGE, PAGE):
            if model.walk(cr3, va) is None:
                out.append("vmalloc area %08x-%08x: page %08x not mapped" % (start, end, va))
                break
        if model.walk(cr3, end - PAGE) is not None:
            out.append("vmalloc area %08x-%08x: guard page %08x mapped" % (start, end, end - PAGE))
    return out


# ------------------------------------------------------------ the oracles

def parse_bochs_pages(text):
    """Bochs `page ADDR` answers: va -> (PDE, PTE or None, frame or None)."""
    out = {}
    for block in re.split(r"<bochs:\d+> ", text):
        m = re.match(r"page 0x([0-9a-f]+)\n", block)
        if not m:
            continue
        va = int(m.group(1), 16)
        entries = dict((k, int(v, 16)) for k, v in BOCHS_ENTRY_RE.findall(block))
        maps = BOCHS_MAPS_RE.search(block)
        out[va] = (entries.get("PDE"), entries.get("PTE"),
                   int(maps.group(2), 16) if maps else None)
    return out


def compare_bochs(model, cr3, pages):
    """Bochs's walk against the model, address by address: the same
    entries (less accessed/dirty) and the same frame."""
    out = []
    for va, (pde, pte, frame) in sorted(pages.items()):
        leaf = model.walk(cr3, va)
        if leaf is None:
            if frame is not None:
                out.append("%08x: Bochs maps it to %09x, the trace left it unmapped" % (va, frame))
            continue
        if frame is None:
            out.append("%08x: the trace maps it (%s), Bochs does not" % (va, leaf.describe()))
            continue
        want = leaf.frame + (va - leaf.va)
        if frame != want:
            out.append("%08x: Bochs maps frame %09x, the trace %09x" % (va, frame, want))
        if pde is not None and (pde & ~AD) != (leaf.pde & ~AD):
            out.append("%08x: Bochs's PDE %016x, the trace's %016x" % (va, pde, leaf.pde))
        if leaf.pte is not None and (pte is None or (pte & ~AD) != (leaf.pte & ~AD)):
            out.append("%08x: Bochs's PTE %s, the trace's %016x" % (
                va, "none" if pte is None else "%016x" % pte, leaf.pte))
    return out


def compare_qemu(model, cr3, info_tlb, info_mem):
    """QEMU's info tlb (every mapped page) and info mem (merged rights)
    against the model: the same pages, frames, NX/W/U/cache bits; the
    same ranges and rights."""
    out = []
    qemu = {}
    for a, entry, flags in INFO_TLB_RE.findall(info_tlb):
        qemu[int(a, 16)] = (int(entry, 16), flags)
    mine = {leaf.va: leaf for leaf in model.leaves(cr3)}
    for va in sorted(set(qemu) | set(mine)):
        leaf, q = mine.get(va), qemu.get(va)
        if q is None:
            out.append("%08x: the trace maps it (%s), QEMU does not" % (va, leaf.describe()))
            continue
        entry, flags = q
        if leaf is None:
            out.append("%08x: QEMU maps it (%s), the trace does not" % (va, flags))
            continue
        # The P column is PS in a 2 MiB entry, the PAT bit in a 4 KiB one.
        got = (entry & PFN, flags[0] == "X", flags[-1] == "W", flags[-2] == "U",
               flags[5] == "C", flags[6] == "T", flags[2] == "P")
        want = (leaf.frame, leaf.nx, leaf.w, leaf.u, leaf.pcd, leaf.pwt,
                leaf.size > PAGE or leaf.pat)
        if got != want:
            out.append("%08x: QEMU %09x %s, the trace %s" % (va, entry & PFN, flags, leaf.describe()))
    ranges = []
    for leaf in model.leaves(cr3):
        perm = ("u" if leaf.u else "-") + "r" + ("w" if leaf.w else "-")
        if ranges and ranges[-1][1] == leaf.va and ranges[-1][2] == perm:
            ranges[-1][1] = leaf.va + leaf.size
        else:
            ranges.append([leaf.va, leaf.va + leaf.size, perm])
    got = [[int(a, 16), int(b, 16), p] for a, b, p in INFO_MEM_RE.findall(info_mem)]
    if got != ranges:
        out.append("info mem: QEMU %d ranges, the trace %d; first difference %s" % (
            len(got), len(ranges),
            next(("QEMU %08x-%08x %s / trace %08x-%08x %s" % (*g, *r)
                  for g, r in zip(got, ranges) if g != r), "in the count")))
    return out


# ------------------------------------------------------------ a whole run

def split_trace(text):
    """The checkpoints and every trace line: ([(name, cpu, number of trace
    lines before it, its offset in text)], lines)."""
    out, lines = [], []
    for m in re.finditer(r"^pgtrace:.*$", text, re.M):
        cp = CHECKPOINT_RE.match(m.group(0))
        if cp:
            out.append((cp.group(1), int(cp.group(2)), len(lines), m.start()))
        lines.append(m.group(0))
    return out, lines


def check_run(log, oracle, expect=None):
    """Every checkpoint of one traced run. log: the port 0xE9 text (trace
    and printk); oracle(name, index) -> ("bochs", text) or
    ("qemu", (info_tlb, info_mem)), or None when that checkpoint has no
    emulator output. Returns (results, problems over the whole trace):
    results = [(checkpoint name, problems)]."""
    layout = Layout(log)
    model = Model()
    checkpoints, lines = split_trace(log)
    if not checkpoints:
        raise ValueError("no 'pgtrace: checkpoint' line: was the kernel booted with trace=paging?")
    results, done = [], 0
    for index, (name, cpu, upto, offset) in enumerate(checkpoints):
        where = "before checkpoint %s: " % name
        for line in lines[done:upto]:
            model.apply(line, where)
        done = upto
        problems = []
        cr3 = model.cr3.get(cpu)
        if cr3 is None:
            results.append((name, ["no CR3 load traced on CPU %d" % cpu]))
            continue
        got = oracle(name, index)
        if got is None:
            problems.append("no emulator output for this checkpoint")
        elif got[0] == "bochs":
            pages = parse_bochs_pages(got[1])
            unasked = [va for va in probe_addresses(model, cr3) if va not in pages]
            if unasked:
                problems.append("Bochs was not asked about %s, an edge of a mapping in the trace"
                                % ", ".join("%08x" % va for va in unasked[:8]))
            problems += compare_bochs(model, cr3, pages)
        else:
            problems += compare_qemu(model, cr3, *got[1])
        vmas = user_vmas(log[:offset], name)
        for leaf in model.leaves(cr3):
            problems += design_problems(leaf, layout, expect, vmas)
        problems += vmalloc_guard_problems(log[:offset], model, cr3)
        results.append((name, problems))
    for line in lines[done:]:
        model.apply(line, "after the last checkpoint: ")
    return results, model.problems


def verdicts(log, oracle):
    """check_run as test results: [(name, ok, detail)], one per
    checkpoint and one for the trace as a whole."""
    results, trace_problems = check_run(log, oracle)
    out = [("checkpoint " + name, not problems,
            "agrees with the trace and the design" if not problems else
            "; ".join(problems[:5]) + (" (%d in all)" % len(problems) if len(problems) > 5 else ""))
           for name, problems in results]
    out.append(("trace", not trace_problems,
                "%d checkpoint(s), every reuse after a flush" % len(results) if not trace_problems
                else "; ".join(trace_problems[:5])))
    return out


def self_test(log, oracle, emulator):
    """The checker fed wrong expectations must fail, each in its own way:
    a traced entry with a wrong frame (the emulator disagrees), a design
    that wants kernel text writable, the TLB flushes left out of the trace
    (a slot or range reused while a CPU may hold the old translation).
    [(name, ok, detail)]; ok means the checker failed as it should."""
    lines = log.split("\n")
    out = []
    # The PTE of a vmalloc page mapped at the last checkpoint: its frame
    # moved by 1 MiB where the trace last wrote it.
    i = None
    checkpoints, trace = split_trace(log)
    if checkpoints:
        name, cpu, upto, offset = checkpoints[-1]
        model = Model()
        for line in trace[:upto]:
            model.apply(line)
        starts = [r[0] for r in model.runs(model.cr3.get(cpu, 0))
                  if 0xF8000000 <= r[0] < 0xFE000000]
        if starts:
            tag = "pgtrace: pte %08x " % starts[0]
            end = log.count("\n", 0, offset)        # the checkpoint's line
            i = next((k for k in range(end, -1, -1) if lines[k].startswith(tag)), None)
    if i is None:
        out.append(("self-test: wrong frame", False, "no live vmalloc PTE in the trace to alter"))
    else:
        m = ENTRY_RE.match(lines[i])
        wrong = list(lines)
        wrong[i] = lines[i].replace("-> " + m.group(5), "-> %016x" % (int(m.group(5), 16) ^ 0x100000))
        results, _ = check_run("\n".join(wrong), oracle)
        hits = [p for _, ps in results for p in ps if emulator in p]
        out.append(("self-test: wrong frame", bool(hits),
                    "refused: " + hits[0] if hits else "a frame altered at %s went unnoticed" % m.group(2)))
    results, _ = check_run(log, oracle, expect=dict(DESIGN, text_writable=True))
    hits = [p for _, ps in results for p in ps if "the design says True" in p]
    out.append(("self-test: wrong design", bool(hits),
                "refused: " + hits[0] if hits else "writable kernel text was accepted"))
    _, trace_problems = check_run("\n".join(l for l in lines if not FLUSH_RE.match(l)), oracle)
    hits = [p for p in trace_problems if "no flush" in p]
    out.append(("self-test: flushes left out", bool(hits),
                "refused: " + hits[0] if hits else "reuse without a flush was accepted"))
    return out


def bochs_oracle(directory):
    """The files ./build.sh bochs keeps: checkpoint-NN-NAME.txt."""
    files = sorted(f for f in os.listdir(directory) if f.startswith("checkpoint-"))

    def oracle(name, index):
        for f in files:
            m = re.match(r"checkpoint-(\d+)-(.*)\.txt$", f)
            if m and int(m.group(1)) == index and m.group(2) == name:
                with open(os.path.join(directory, f)) as fh:
                    return "bochs", fh.read()
        return None
    return oracle


def qemu_oracle(directory):
    """The files the harness keeps at each pause: checkpoint-NN-NAME.tlb/.mem."""
    def oracle(name, index):
        base = os.path.join(directory, "checkpoint-%02d-%s" % (index, name))
        if not os.path.exists(base + ".tlb"):
            return None
        with open(base + ".tlb") as t, open(base + ".mem") as m:
            return "qemu", (t.read(), m.read())
    return oracle


def read_log(path):
    return qemu.read_text(path)


def main(argv):
    if len(argv) != 3 or argv[1] not in ("bochs", "qemu"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    kind, directory = argv[1], argv[2]
    log = read_log(os.path.join(directory, "bochs.out" if kind == "bochs" else "e9.log"))
    oracle = bochs_oracle(directory) if kind == "bochs" else qemu_oracle(directory)
    results, trace_problems = check_run(log, oracle)
    bad = 0
    for name, problems in results:
        print("%-22s %s" % (name, "agrees" if not problems else "%d problem(s)" % len(problems)))
        for p in problems[:20]:
            print("    " + p)
        bad += bool(problems)
    for p in trace_problems[:20]:
        print("trace: " + p)
    return 1 if bad or trace_problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
