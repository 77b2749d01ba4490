# SPDX-License-Identifier: MIT
"""What a KTAP boot's console must show, computed independently of the
kernel: the RAM the firmware reported against the configured size (and the
CPU's physical address width), high_memory against the formulas of
docs/memory-layout.md, and QEMU's own walk of the page tables (HMP `info
mem` and `info tlb` at the ktest checkpoint) against the direct map, the
kernel's rights, the pkmap and fixmap slots, the vmalloc areas the
kernel listed and the framebuffer's mapping with its cache type. Each
check returns a list of problems, empty when it holds.
"""

import re

MIB = 1 << 20
GIB = 1 << 30
PAGE_OFFSET = 0xC0000000
KERNEL_LINK_BASE = 0x1000000    # include/boot/bootinfo.h KERNEL_PHYS_LOAD
PKMAP_BASE, PKMAP_END = 0xFE000000, 0xFE200000
FIXMAP_LOW, FIXADDR_TOP = 0xFFE00000, 0xFFFFE000

# Firmware keeps part of RAM for itself (reserved, ACPI, NVS, its own
# runtime regions): the kernel's e820 RAM total must lie within this much
# below the configured size, and never above it, plus the ACPI NVS the
# firmware lists (IA32 OVMF with S3 enabled keeps 15 MiB more there).
RAM_TOLERANCE = 32 * MIB

RAM_RE = re.compile(r"^e820: (\d+) KiB RAM \(.*?\d+ KiB NVS", re.M)
NVS_RE = re.compile(r"(\d+) KiB NVS")
E820_RE = re.compile(r"e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (\w[\w ]*)")
# The kernel's one line when the CPU cannot address all of RAM.
IGNORED_RE = re.compile(r"^e820: RAM above the CPU's (\d+)-bit physical address limit "
                        r"ignored: (\d+) MiB from 0x([0-9a-f]+)", re.M)
LOWMEM_RE = re.compile(r"lowmem\s*: 0x([0-9a-f]{8}) - 0x([0-9a-f]{8})")
# Where the loader put the kernel image (kernel/bootinfo.c), and the
# layout's .text line (mm/init.c).
KERNEL_BASE_RE = re.compile(r"^boot: kernel base 0x([0-9a-f]{8}), "
                            r"(as linked|linked for 0x([0-9a-f]{8}): relocated by the loader)$", re.M)
TEXT_RE = re.compile(r"^\s+\.text\s*: 0x([0-9a-f]{8}) - ", re.M)
PAUSED_RE = re.compile(r"^checkpoint (\S+): paused for the host", re.M)
# QEMU's "info tlb": address, frame, then X G P D A C T U W (NX ... RW).
INFO_TLB_RE = re.compile(r"^([0-9a-f]{8,16}): ([0-9a-f]{8,16}) ([-XGPDACTUW]{9})\s*$", re.M)
INFO_MEM_RE = re.compile(r"^([0-9a-f]{8,16})-([0-9a-f]{8,16}) [0-9a-f]{8,16} ([-urw]{3})\s*$", re.M)
# "highmem: pkmap: slot 1 0xfe001000 -> 0x7f7fe000 count 2",
# "fixmap: slot 1 0xffffd000 -> 0xfee00000 uncached"
SLOT_RE = re.compile(r"(?:pkmap|fixmap): slot \d+ 0x([0-9a-f]{8}) -> 0x([0-9a-f]+)( uncached)?")
VMALLOCINFO_RE = re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8}) ", re.M)
# "efifb: framebuffer 0xc0000000-0xc03e7fff mapped at 0xf8800000, write-combining (PAT)"
FB_RE = re.compile(r"^efifb: framebuffer 0x([0-9a-f]+)-0x([0-9a-f]+) mapped at 0x([0-9a-f]{8}), "
                   r"(write-combining \(PAT\)|uncached)$", re.M)


def memparse(v):
    """Linux's memparse: a number with an optional K/M/G suffix."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if v and v[-1].upper() in units:
        return int(v[:-1], 0) * units[v[-1].upper()]
    return int(v, 0)


def ram_below_4g(machine, size):
    """How much of size bytes QEMU puts below 4 GiB (the rest starts at
    4 GiB): q35 keeps [2 GiB, 4 GiB) for devices once RAM reaches 2.75 GiB,
    pc [3 GiB, 4 GiB) once it reaches 3.5 GiB (QEMU 7.2, hw/i386)."""
    if machine == "q35":
        return min(size, 0x80000000 if size >= 0xB0000000 else size)
    return min(size, 0xC0000000 if size >= 0xE0000000 else size)


def ram_problems(text, size, machine, phys_bits=None):
    """The e820 RAM total against size bytes of configured RAM. With
    phys_bits (the CPU's physical address width) below what the RAM needs,
    the kernel must say once how much it ignores (the configured RAM above
    the limit, less at most the tolerance), a total printed after that line
    counts only the RAM below the limit and no table printed after it lists
    RAM above; otherwise no RAM may be ignored, and with more than 4 GiB
    some must be listed above 4 GiB."""
    low = ram_below_4g(machine, size)
    limit = 1 << phys_bits if phys_bits else 1 << 64
    reachable = low + max(0, min(4 * GIB + size - low, limit) - 4 * GIB)
    ignored = IGNORED_RE.findall(text)
    out = []
    cut = len(text)
    if reachable < size:
        want_mib = (size - reachable) // MIB
        if len(ignored) != 1:
            out.append("%d lines 'RAM above the CPU's %d-bit physical address limit ignored', want 1"
                       % (len(ignored), phys_bits))
        else:
            bits, mib, start = int(ignored[0][0]), int(ignored[0][1]), int(ignored[0][2], 16)
            if bits != phys_bits or start != limit:
                out.append("the kernel ignores RAM above the %d-bit limit from 0x%x, want %d-bit from 0x%x"
                           % (bits, start, phys_bits, limit))
            if not want_mib - RAM_TOLERANCE // MIB <= mib <= want_mib:
                out.append("the kernel ignores %d MiB, the machine has %d MiB above 0x%x"
                           % (mib, want_mib, limit))
            cut = IGNORED_RE.search(text).start()
    elif ignored:
        out.append("the kernel ignores RAM (%s MiB) that the CPU can address" % ignored[0][1])
    totals = [(m.start(), int(m.group(1)) << 10, int(NVS_RE.search(m.group(0)).group(1)) << 10)
              for m in RAM_RE.finditer(text)]
    if not totals:
        return out + ["no e820 RAM total printed"]
    for pos, ram, nvs in totals:
        want = size if pos < cut else reachable
        if not want - RAM_TOLERANCE - nvs <= ram <= want:
            out.append("e820 RAM %d KiB, want %d KiB (tolerance %d KiB and %d KiB NVS)"
                       % (ram >> 10, want >> 10, RAM_TOLERANCE >> 10, nvs >> 10))
    before = [(int(s, 16), int(e, 16) + 1) for s, e, t in E820_RE.findall(text[:cut])
              if t in ("usable", "loader")]
    after = [(int(s, 16), int(e, 16) + 1) for s, e, t in E820_RE.findall(text[cut:])
             if t in ("usable", "loader")]
    # The table as the firmware gave it lists RAM above 4 GiB; one printed
    # only after the cut does where the CPU reaches above 4 GiB.
    listed = before or after
    if size > 4 * GIB and (before or reachable > 4 * GIB) and \
            not any(s >= 4 * GIB for s, _ in listed):
        out.append("no RAM listed above 4 GiB with %d MiB configured" % (size // MIB))
    if any(e > limit for _, e in after):
        out.append("RAM above 0x%x still listed after the kernel ignored it" % limit)
    return out


def high_memory_problems(text, params):
    """high_memory as the kernel printed it ("lowmem" in the layout)
    against the formulas, from the e820 lines and the parameters (a dict):
    min(top of RAM below mem=, MAXMEM = 1 GiB - vmalloc reserve), pulled
    down by highmem= (seed 000 §5.1). Returns (high_memory or None,
    problems)."""
    m = LOWMEM_RE.search(text)
    if not m:
        return None, ["no 'lowmem' line in the memory layout"]
    high = int(m.group(2), 16)
    limit = memparse(params["mem"]) if "mem" in params else 1 << 64
    top = 0
    for s, e, t in E820_RE.findall(text):
        start, end = int(s, 16), int(e, 16) + 1
        if t in ("usable", "loader") and start < limit:
            top = max(top, min(end, limit) & ~0xfff)
    reserve = memparse(params.get("vmalloc", "128M"))
    low = min(top, GIB - reserve)
    if "highmem" in params:
        low = min(low, top - memparse(params["highmem"]))
    want = PAGE_OFFSET + low
    if high != want:
        return high, ["high_memory 0x%x, the formulas give 0x%x" % (high, want)]
    return high, []


def kernel_base(text):
    """The kernel's physical base as it printed it, and the problems: the
    line missing, a base that is not a multiple of 2 MiB from 16 MiB up,
    "as linked" for another base than 16 MiB, or a .text that does not
    start at PAGE_OFFSET + base."""
    m = KERNEL_BASE_RE.search(text)
    if not m:
        return None, ["no 'boot: kernel base' line"]
    base, out = int(m.group(1), 16), []
    if base % 0x200000 or base < KERNEL_LINK_BASE:
        out.append("kernel base 0x%x is not a multiple of 2 MiB from 0x%x up" % (base, KERNEL_LINK_BASE))
    if (m.group(2) == "as linked") != (base == KERNEL_LINK_BASE) or \
            (m.group(3) and int(m.group(3), 16) != KERNEL_LINK_BASE):
        out.append("kernel base line '%s' contradicts itself" % m.group(0))
    t = TEXT_RE.search(text)
    if t and int(t.group(1), 16) != PAGE_OFFSET + base:
        out.append(".text starts at 0x%s, not at PAGE_OFFSET + base 0x%x"
                   % (t.group(1), PAGE_OFFSET + base))
    return base, out


def page_table_problems(text, high, info_mem, info_tlb, size):
    """QEMU's own walk of the page tables at the ktest checkpoint: exactly
    the direct map [PAGE_OFFSET, high_memory), kernel text (at PAGE_OFFSET
    + the base the kernel printed, kernel_base) not writable, the last
    direct-map page writable and not executable where the
    CPU has NX (info tlb's X flag), nothing below PAGE_OFFSET; then the
    vmalloc areas and the slots (vmalloc_problems, slot_problems)."""
    nx = "+NX" in text
    base, out = kernel_base(text)
    if base is None:
        return out
    kernel_virt = PAGE_OFFSET + base
    ranges = sorted((int(a, 16), int(b, 16), perm)
                    for a, b, perm in INFO_MEM_RE.findall(info_mem))
    # Above the direct map only the checkpoint's pkmap and fixmap slots
    # and the live vmalloc areas may be mapped.
    vm_ranges = [r for r in ranges if high <= r[0] and r[1] <= PKMAP_BASE]
    ranges = [r for r in ranges
              if not (PKMAP_BASE <= r[0] and r[1] <= PKMAP_END or
                      FIXMAP_LOW <= r[0] and r[1] <= FIXADDR_TOP or
                      high <= r[0] and r[1] <= PKMAP_BASE)]
    out += vmalloc_problems(text, vm_ranges)
    covered = PAGE_OFFSET
    for a, b, _ in ranges:
        if a != covered:
            out.append("QEMU maps %x-%x; the direct map is %x-%x" % (a, b, PAGE_OFFSET, high))
            break
        covered = b
    if covered != high and not out:
        out.append("QEMU's direct map ends at %x, high_memory is %x" % (covered, high))
    rights = [p for a, b, p in ranges if a <= kernel_virt < b]
    if rights != ["-r-"]:
        out.append("kernel text at %x has rights %s in QEMU's view" % (kernel_virt, rights))
    tlb = [(int(a, 16), flags) for a, _, flags in INFO_TLB_RE.findall(info_tlb)]

    def leaf(va):
        """The flags of the 4 KiB or 2 MiB ('P') mapping covering va."""
        for a, flags in tlb:
            if a <= va < a + (0x200000 if flags[2] == "P" else 0x1000):
                return flags
        return None

    want = {kernel_virt: ("-", "-"), high - 0x1000: ("X" if nx else "-", "W")}
    for va, (x, w) in want.items():
        flags = leaf(va)
        if flags is None or flags[0] != x or flags[-1] != w:
            out.append("info tlb %x: %s, want NX '%s' and W '%s'" % (va, flags, x, w))
    return out + slot_problems(text, info_tlb, size) + framebuffer_problems(text, info_tlb)


def framebuffer_problems(text, info_tlb):
    """The framebuffer the kernel says it mapped: every page of its
    visible part maps the next frame with the cache type the line names,
    as the kernel's PAT (asm/processor-flags.h) makes the PTE bits: PWT
    alone write-combining, PCD|PWT uncached; the PTE's PAT bit (info tlb's
    P column on a 4 KiB entry) never set; the page after it unmapped."""
    m = FB_RE.search(text)
    if not m:
        return []
    phys, last, virt = int(m.group(1), 16), int(m.group(2), 16), int(m.group(3), 16)
    wc = m.group(4).startswith("write")
    tlb = {int(a, 16): (int(e, 16) & 0x000FFFFFFFFFF000, f) for a, e, f in INFO_TLB_RE.findall(info_tlb)}
    first = virt & ~0xFFF
    pages = ((last | 0xFFF) - (phys & ~0xFFF) + 1) >> 12
    out = []
    for i in range(pages):
        va = first + (i << 12)
        want_frame = (phys & ~0xFFF) + (i << 12)
        if va not in tlb:
            out.append("framebuffer page %x not mapped in QEMU's walk" % va)
            break
        frame, flags = tlb[va]
        # info tlb: X G P D A C T U W; C is PCD, T is PWT.
        cache = (flags[5] == "C", flags[6] == "T", flags[2] == "P")
        if frame != want_frame or cache != (not wc, True, False):
            out.append("framebuffer page %x: QEMU %x %s, want frame %x %s" % (
                va, frame, flags, want_frame, "PWT alone (write-combining)" if wc else "PCD|PWT"))
            break
    if first + (pages << 12) in tlb:
        out.append("the page after the framebuffer (%x) is mapped" % (first + (pages << 12)))
    return out


def vmalloc_problems(text, qemu_ranges):
    """QEMU maps exactly the pages of the vmalloc areas the kernel listed
    at the checkpoint (vmallocinfo), never a guard page."""
    m = re.search(r"^vmallocinfo:\n((?:0x.*\n)*)", text, re.M)
    if not m:
        return ["no vmallocinfo at the checkpoint"]
    areas = [(int(a, 16), int(b, 16) - 0x1000)      # the guard page off
             for a, b in VMALLOCINFO_RE.findall(m.group(1))]
    out = []
    for a, b, _ in qemu_ranges:
        if not any(s <= a and b <= e for s, e in areas):
            out.append("QEMU maps %x-%x in the vmalloc area outside every "
                       "listed area (or over a guard page)" % (a, b))
    for s, e in areas:
        covered = sum(min(b, e) - max(a, s) for a, b, _ in qemu_ranges if a < e and b > s)
        if covered != e - s:
            out.append("vmalloc area %x-%x: QEMU maps %d of its %d bytes" % (s, e, covered, e - s))
    return out


def slot_problems(text, info_tlb, size):
    """The pkmap and fixmap slots the kernel printed before the ktest
    checkpoint map exactly those frames in QEMU's walk (info tlb),
    uncached where the kernel says so, and no other slot is mapped; with
    more than 1 GiB of RAM a pkmap slot must be among them."""
    text = text[:[m for m in PAUSED_RE.finditer(text) if m.group(1) == "ktest"][0].start()]
    printed = {int(va, 16): (int(frame, 16), bool(nc)) for va, frame, nc in SLOT_RE.findall(text)}
    tlb = {}
    for a, frame, flags in INFO_TLB_RE.findall(info_tlb):
        va = int(a, 16)
        if PKMAP_BASE <= va < PKMAP_END or FIXMAP_LOW <= va < FIXADDR_TOP:
            # QEMU prints the entry less its low flags: NX (bit 63) stays.
            tlb[va] = (int(frame, 16) & 0x000FFFFFFFFFF000, flags[5] == "C" and flags[6] == "T")
    out = []
    if size > GIB and not any(PKMAP_BASE <= va < PKMAP_END for va in printed):
        out.append("no pkmap slot printed at the checkpoint")
    if tlb != printed:
        out.append("pkmap/fixmap slots: kernel printed %s, QEMU walks %s" % (
            {hex(k): (hex(f), nc) for k, (f, nc) in printed.items()},
            {hex(k): (hex(f), nc) for k, (f, nc) in tlb.items()}))
    return out
