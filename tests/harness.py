#!/usr/bin/env python3
"""The test harness behind `./build.sh test` (docs/testing.md).

Runs the host unit tests, then boots build/usb.img variants under QEMU with
OVMF: the in-kernel KTAP tests across firmware, machine and memory sizes,
and the loader's bad-input cases. Boots run in parallel, one line per
configuration; the last line is "N passed, N failed" and the exit status is
non-zero on any failure.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import socket
import struct
import subprocess
import sys
import tempfile
import time

import pagecheck  # tests/, beside this file
import test_gdb
import test_layout_svg

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
TESTDIR = os.path.join(BUILD, "test")

OVMF = {
    "x64": ("/usr/share/OVMF/OVMF_CODE_4M.fd",
            "/usr/share/OVMF/OVMF_VARS_4M.fd"),
    "ia32": ("/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd",
             "/usr/share/OVMF/OVMF32_VARS_4M.fd"),
}

# The kernel's first line: the banner (kernel/main.c).
BANNER_RE = re.compile(r"^pae32 kernel .*$", re.M)
RAM_RE = re.compile(r"e820: (\d+) KiB RAM \(")
E820_RE = re.compile(r"e820: \[mem 0x([0-9a-f]{16})-0x([0-9a-f]{16})\] (\w[\w ]*)")
TOTALS_RE = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) skip:(\d+)", re.M)
KTAP_CASE_RE = re.compile(r"^    (not ok|ok) (\d+) (\S+)(.*)$", re.M)
SUBTEST_RE = re.compile(r"^    # Subtest: (\S+)", re.M)

# Firmware keeps part of RAM for itself (reserved, ACPI, NVS, its own
# runtime regions): the kernel's e820 RAM total must lie within this much
# below the configured size, and never above it.
RAM_TOLERANCE_KIB = 32 * 1024
# Time from QEMU's start to the kernel's first line (issue 2: under 6 s).
FIRST_LINE_LIMIT = 6.0
# OVMF starts and parks every AP during POST: SMP boots get half as much again.

MIB = 1024 * 1024


def log(msg):
    print(msg, flush=True)


# ------------------------------------------------------------ host tests

def run_host_tests():
    """Run each build/host/test_* binary; one result per test case."""
    results = []
    hostdir = os.path.join(BUILD, "host")
    for name in sorted(os.listdir(hostdir)):
        path = os.path.join(hostdir, name)
        if not (name.startswith("test_") and os.access(path, os.X_OK)):
            continue
        p = subprocess.run([path], capture_output=True, text=True,
                           timeout=300)
        cases = re.findall(r"^(not ok|ok) (\S+)", p.stdout, re.M)
        npass = sum(1 for v, _ in cases if v == "ok")
        nfail = len(cases) - npass
        ok = p.returncode == 0 and nfail == 0 and cases
        if not ok:
            log(p.stdout + p.stderr)
        log("%-4s host %-28s %d passed, %d failed%s" % (
            "ok" if ok else "FAIL", name, npass, nfail,
            "" if p.returncode == 0 else " (exit %d)" % p.returncode))
        results.append((npass, nfail + (0 if p.returncode == 0 or nfail
                                          else 1)))
    return results


def run_short_fuzz(seconds=20):
    """The module validator's libFuzzer harness for a fixed time from the
    checked-in corpus (tests/fuzz/run_short.sh); ./build.sh fuzz runs it
    open-ended."""
    p = subprocess.run(["sh", os.path.join(ROOT, "tests/fuzz/run_short.sh"),
                        str(seconds)], capture_output=True, text=True,
                       timeout=seconds + 120)
    ok = p.returncode == 0 and "\nok fuzz_module_elf" in "\n" + p.stdout
    if not ok:
        log(p.stdout + p.stderr)
    first = p.stdout.strip().splitlines()[0] if p.stdout.strip() else ""
    log("%-4s host %-28s %s" % ("ok" if ok else "FAIL", "fuzz_module_elf", first))
    return ok, first


# ------------------------------------------------------------ images

def mcopy(img, src, dst):
    subprocess.run(["mcopy", "-o", "-i", img + "@@1M", src, dst], check=True)


def mdel(img, path):
    subprocess.run(["mdel", "-i", img + "@@1M", path], check=True)


def image_variant(name, cmdline=None, kernel_bytes=None, no_kernel=False,
                  extra_modules=()):
    """A copy of build/usb.img with another command line or kernel file,
    and extra_modules (paths) added to \\boot\\modules."""
    img = os.path.join(TESTDIR, name + ".img")
    shutil.copyfile(os.path.join(BUILD, "usb.img"), img)
    for path in extra_modules:
        mcopy(img, path, "::/boot/modules/" + os.path.basename(path))
    with tempfile.TemporaryDirectory(dir=TESTDIR) as tmp:
        if cmdline is not None:
            f = os.path.join(tmp, "cmdline.txt")
            with open(f, "w") as fh:
                fh.write(cmdline + "\n")
            mcopy(img, f, "::/boot/cmdline.txt")
        if kernel_bytes is not None:
            f = os.path.join(tmp, "kernel.elf")
            with open(f, "wb") as fh:
                fh.write(kernel_bytes)
            mcopy(img, f, "::/boot/kernel.elf")
        if no_kernel:
            mdel(img, "::/boot/kernel.elf")
    return img


def elf64_kernel():
    """A well-formed x86_64 ELF64 executable: the wrong class for us."""
    ehdr = struct.pack("<16sHHIQQQIHHHHHH",
                       b"\x7fELF\x02\x01\x01" + b"\0" * 9,
                       2, 62, 1, 0x1000000, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x1000000, 0x1000000,
                       0x1000, 0x1000, 0x1000)
    body = ehdr + phdr
    return body + b"\xf4" * (0x1000 - len(body))


def load_segments(kernel):
    """(offset of the program header, p_offset, p_filesz) per PT_LOAD."""
    phoff, = struct.unpack_from("<I", kernel, 28)
    phentsize, phnum = struct.unpack_from("<HH", kernel, 42)
    segs = []
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, p_offset = struct.unpack_from("<II", kernel, off)
        p_filesz, = struct.unpack_from("<I", kernel, off + 16)
        if p_type == 1:
            segs.append((off, p_offset, p_filesz))
    if not segs:
        raise RuntimeError("kernel has no PT_LOAD")
    return segs


def kernel_with_segment_at(kernel, paddr):
    """The real kernel with its last PT_LOAD (data, not the entry's) moved
    to paddr."""
    data = bytearray(kernel)
    ph, _, _ = load_segments(kernel)[-1]
    struct.pack_into("<I", data, ph + 12, paddr)    # p_paddr
    return bytes(data)


def kernel_truncated(kernel):
    """The real kernel cut in the middle of its first segment's bytes."""
    _, offset, filesz = load_segments(kernel)[0]
    return kernel[:offset + filesz // 2]


# ------------------------------------------------------------ QEMU

class Boot:
    """One QEMU run: a configuration and what to expect of it."""

    def __init__(self, name, image, fw="x64", machine="q35", mem="1G",
                 expect="ktest", error_re=None, timeout=120, smp=1,
                 cmdline="", effective=None, expect_lines=(), cpu=None,
                 checkpoints="ktest"):
        self.name, self.image, self.fw, self.machine = name, image, fw, machine
        self.mem, self.expect, self.error_re = mem, expect, error_re
        self.timeout, self.smp, self.cpu = timeout, smp, cpu
        # Extra kernel parameters on the image besides "ktest".
        self.cmdline = cmdline
        # The parameters the kernel should end up using (None: all of
        # cmdline), and lines it must print (regular expressions).
        self.effective, self.expect_lines = effective, expect_lines
        # A KTAP boot pauses at the checkpoints named in the fw_cfg file
        # opt/pae32/checkpoints (mm/pgtrace.c): "ktest", before the first
        # test, or "all" for a traced boot. The harness reads QEMU's
        # page-table view meanwhile, then resumes the kernel with an NMI.
        self.oracle = expect == "ktest"
        self.checkpoints = checkpoints
        self.info_mem = self.info_tlb = None
        self.pauses = []               # checkpoint names, in order
        # Results besides the boot's own verdict: [(name, ok, detail)].
        self.extra = []

    def mem_kib(self):
        n, unit = int(self.mem[:-1]), self.mem[-1]
        return n * {"M": 1024, "G": 1024 * 1024}[unit]

    def command(self, workdir):
        code, vars_template = OVMF[self.fw]
        vars_file = os.path.join(workdir, "vars.fd")
        shutil.copyfile(vars_template, vars_file)
        machine = ["-machine", self.machine]
        if self.fw == "ia32":
            # IA32 OVMF runs only with SMM and the secure flash
            # (docs/emulators.md). With S3 enabled, that build keeps
            # [0x810000, 0x1710000) as ACPI NVS, over the kernel's 16 MiB;
            # without S3 it is boot-services data that the loader may use.
            machine = ["-machine", "q35,smm=on",
                       "-global", "driver=cfi.pflash01,property=secure,value=on",
                       "-global", "ICH9-LPC.disable_s3=1"]
        return ["qemu-system-x86_64", "-accel", "tcg", *machine,
                *(["-cpu", self.cpu] if self.cpu else []),
                "-m", self.mem, "-smp", str(self.smp), "-nic", "none",
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + code,
                "-drive", "if=pflash,format=raw,unit=1,file=" + vars_file,
                "-drive", "if=none,id=usb,format=raw,snapshot=on,file=" + self.image,
                "-device", "ide-hd,drive=usb,bootindex=0",
                "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
                "-serial", "file:" + os.path.join(workdir, "com1.log"),
                "-chardev", "file,id=e9,path=" + os.path.join(workdir, "e9.log"),
                "-device", "isa-debugcon,iobase=0xe9,chardev=e9",
                "-display", "none", "-no-reboot",
                *(["-monitor", "unix:%s,server,nowait" % self.monitor_path(workdir),
                   "-fw_cfg", "name=opt/pae32/checkpoints,string=" + self.checkpoints]
                  if self.oracle else [])]

    @staticmethod
    def monitor_path(workdir):
        return os.path.join(workdir, "monitor.sock")

    def run(self):
        workdir = os.path.join(TESTDIR, "run-" + self.name)
        shutil.rmtree(workdir, ignore_errors=True)
        os.makedirs(workdir)
        com1 = self.com1 = os.path.join(workdir, "com1.log")
        self.workdir = workdir
        start = time.monotonic()
        proc = subprocess.Popen(self.command(workdir),
                                stdout=subprocess.DEVNULL,
                                stderr=open(os.path.join(workdir, "qemu.err"), "w"),
                                stdin=subprocess.DEVNULL)
        first_line_at = None
        done_at = None
        text = ""
        while True:
            rc = proc.poll()
            text = read_text(com1)
            now = time.monotonic() - start
            if first_line_at is None and BANNER_RE.search(text):
                first_line_at = now
            if self.oracle:
                self.answer_pauses(text, workdir)
            if rc is not None:
                break
            if self.expect == "error" and self.firmware_back(text):
                # The firmware has control again: stop the machine soon.
                done_at = done_at or now
                if now - done_at > 1.0:
                    proc.kill()
                    proc.wait()
                    rc = "killed"
                    break
            if now > self.timeout:
                proc.kill()
                proc.wait()
                rc = "timeout"
                break
            time.sleep(0.05)
        text = read_text(com1)
        elapsed = time.monotonic() - start
        if self.expect == "ktest":
            verdict, detail = self.judge_ktest(rc, text, first_line_at)
        else:
            verdict, detail = self.judge_error(rc, text)
        return self, verdict, detail, elapsed, workdir

    def answer_pauses(self, text, workdir):
        """Each new "checkpoint NAME: paused" line: QEMU's info mem and
        info tlb kept as checkpoint-NN-NAME.mem/.tlb, then the NMI that
        resumes the kernel."""
        for m in list(PAUSED_RE.finditer(text))[len(self.pauses):]:
            name = m.group(1)
            # Every CPU stopped while QEMU walks the tables, then the
            # NMI that the paused one waits for.
            _, info_mem, info_tlb, _, _ = hmp(self.monitor_path(workdir),
                                              ["stop", "info mem", "info tlb", "cont", "nmi"])
            base = os.path.join(workdir, "checkpoint-%02d-%s" % (len(self.pauses), name))
            for ext, out in ((".mem", info_mem), (".tlb", info_tlb)):
                with open(base + ext, "w") as fh:
                    fh.write(out)
            if name == "ktest":
                self.info_mem, self.info_tlb = info_mem, info_tlb
            self.pauses.append(name)

    # ---------------------------------------------------------- verdicts

    @staticmethod
    def firmware_back(text):
        return bool(FIRMWARE_BACK_RE.search(text))

    def judge_error(self, rc, text):
        m = self.error_re.search(text)
        if not m:
            return False, "expected loader error /%s/ not printed (rc %s)" % (
                self.error_re.pattern, rc)
        if BANNER_RE.search(text):
            return False, "the kernel started despite the bad input"
        if not FIRMWARE_BACK_RE.search(text, m.end()):
            return False, "firmware did not regain control (rc %s)" % rc
        return True, "'%s', firmware regained control" % m.group(0).strip()

    def judge_ktest(self, rc, text, first_line_at):
        problems = []
        if rc != 1:
            problems.append("QEMU exit status %s (want 1: tests passed)" % rc)
        totals = TOTALS_RE.search(text)
        cases = KTAP_CASE_RE.findall(text)
        failed = [n for v, _, n, _ in cases if v == "not ok"]
        if not totals:
            problems.append("no KTAP totals line")
        elif int(totals.group(2)) or failed:
            problems.append("KTAP failures: " + ", ".join(failed))
        if not cases:
            problems.append("no KTAP test cases ran")
        if first_line_at is None:
            problems.append("no kernel banner")
        elif first_line_at > FIRST_LINE_LIMIT * (1 if self.smp == 1 else 1.5):
            problems.append("first kernel line after %.1f s (limit %.0f s)" % (
                first_line_at, FIRST_LINE_LIMIT * (1 if self.smp == 1 else 1.5)))
        problems += self.check_ram(text)
        problems += ["no line /%s/" % r for r in self.expect_lines
                     if not re.search(r, text, re.M)]
        high, layout_problems = self.check_high_memory(text)
        problems += layout_problems
        problems += ["%s: %s" % (name, detail) for name, ok, detail
                     in test_layout_svg.run_checks(self.com1) if not ok]
        if self.oracle and high and "ktest" in self.pauses:
            problems += self.check_page_tables(high, "+NX" in text)
        elif self.oracle:
            problems.append("the kernel never paused at the ktest checkpoint")
        if self.checkpoints == "all":
            problems += self.check_trace()
        detail = "%d KTAP cases, first line %.1f s" % (
            len(cases), first_line_at or -1)
        if problems:
            return False, "; ".join(problems) + " [" + detail + "]"
        return True, detail

    def check_trace(self):
        """A traced boot paused at every checkpoint: the trace replayed
        against QEMU's info tlb and info mem at each (tests/pagecheck.py),
        and the checker's self-test; results of their own."""
        text = read_text(os.path.join(self.workdir, "e9.log"))
        oracle = pagecheck.qemu_oracle(self.workdir)
        try:
            self.extra = pagecheck.verdicts(text, oracle) + \
                pagecheck.self_test(text, oracle, "QEMU")
        except ValueError as e:
            return ["paging trace: %s" % e]
        return []

    def params(self):
        line = self.cmdline if self.effective is None else self.effective
        return dict(tok.partition("=")[::2] for tok in line.split())

    def check_high_memory(self, text):
        """high_memory as the kernel printed it ("lowmem" in the layout)
        against the formulas, from the e820 lines and the parameters:
        min(top of RAM below mem=, MAXMEM = 1 GiB - vmalloc reserve), pulled
        down by highmem= (seed 000 §5.1)."""
        m = LOWMEM_RE.search(text)
        if not m:
            return None, ["no 'lowmem' line in the memory layout"]
        high = int(m.group(2), 16)
        p = self.params()
        limit = memparse(p["mem"]) if "mem" in p else 1 << 64
        top = 0
        for s, e, t in E820_RE.findall(text):
            start, end = int(s, 16), int(e, 16) + 1
            if t in ("usable", "loader") and start < limit:
                top = max(top, min(end, limit) & ~0xfff)
        reserve = memparse(p.get("vmalloc", "128M"))
        low = min(top, (1 << 30) - reserve)
        if "highmem" in p:
            low = min(low, top - memparse(p["highmem"]))
        want = PAGE_OFFSET + low
        if high != want:
            return high, ["high_memory 0x%x, the formulas give 0x%x" % (high, want)]
        return high, []

    def check_page_tables(self, high, nx):
        """QEMU's own walk of the page tables at the first test: exactly the
        direct map [PAGE_OFFSET, high_memory), kernel text not writable,
        data not executable (info tlb's X flag), nothing below PAGE_OFFSET."""
        if self.info_mem is None:
            return ["the kernel never paused for the monitor"]
        ranges = sorted((int(a, 16), int(b, 16), perm)
                        for a, b, perm in INFO_MEM_RE.findall(self.info_mem))
        # Above the direct map only the checkpoint's pkmap and fixmap
        # slots and the live vmalloc areas may be mapped; check_slots and
        # check_vmalloc compare those.
        vm_ranges = [r for r in ranges if high <= r[0] and r[1] <= PKMAP_BASE]
        ranges = [r for r in ranges
                  if not (PKMAP_BASE <= r[0] and r[1] <= PKMAP_END or
                          FIXMAP_LOW <= r[0] and r[1] <= FIXADDR_TOP or
                          high <= r[0] and r[1] <= PKMAP_BASE)]
        out = self.check_vmalloc(vm_ranges)
        covered = PAGE_OFFSET
        for a, b, _ in ranges:
            if a != covered:
                out.append("QEMU maps %x-%x; the direct map is %x-%x" % (
                    a, b, PAGE_OFFSET, high))
                break
            covered = b
        if covered != high and not out:
            out.append("QEMU's direct map ends at %x, high_memory is %x" % (covered, high))
        text = [p for a, b, p in ranges if a <= KERNEL_VIRT < b]
        if text != ["-r-"]:
            out.append("kernel text at %x has rights %s in QEMU's view" % (KERNEL_VIRT, text))
        tlb = [(int(a, 16), flags) for a, flags in INFO_TLB_RE.findall(self.info_tlb or "")]

        def leaf(va):
            """The flags of the 4 KiB or 2 MiB ('P') mapping covering va."""
            for a, flags in tlb:
                size = 0x200000 if flags[2] == "P" else 0x1000
                if a <= va < a + size:
                    return flags
            return None

        last = high - 0x1000
        want = {KERNEL_VIRT: ("-", "-"), last: ("X" if nx else "-", "W")}
        for va, (x, w) in want.items():
            flags = leaf(va)
            if flags is None or flags[0] != x or flags[-1] != w:
                out.append("info tlb %x: %s, want NX '%s' and W '%s'" % (va, flags, x, w))
        return out + self.check_slots()

    def check_vmalloc(self, qemu_ranges):
        """QEMU maps exactly the pages of the vmalloc areas the kernel
        listed at the checkpoint (vmallocinfo), never a guard page."""
        text = read_text(self.com1)
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
            covered = sum(min(b, e) - max(a, s) for a, b, _ in qemu_ranges
                          if a < e and b > s)
            if covered != e - s:
                out.append("vmalloc area %x-%x: QEMU maps %d of its %d bytes" % (
                    s, e, covered, e - s))
        return out

    def check_slots(self):
        """The pkmap and fixmap slots the kernel printed at the checkpoint
        map exactly those frames in QEMU's walk (info tlb), uncached where
        the kernel says so, and no other slot is mapped."""
        text = read_text(self.com1)
        text = text[:[m for m in PAUSED_RE.finditer(text) if m.group(1) == "ktest"][0].start()]
        printed = {int(va, 16): (int(frame, 16), bool(nc))
                   for va, frame, nc in SLOT_RE.findall(text)}
        tlb = {}
        for a, frame, flags in INFO_TLB_FRAME_RE.findall(self.info_tlb or ""):
            va = int(a, 16)
            if PKMAP_BASE <= va < PKMAP_END or FIXMAP_LOW <= va < FIXADDR_TOP:
                # QEMU prints the entry less its low flags: NX (bit 63) stays.
                tlb[va] = (int(frame, 16) & 0x000FFFFFFFFFF000,
                           flags[5] == "C" and flags[6] == "T")
        out = []
        if self.mem_kib() > 1024 * 1024 and not any(
                PKMAP_BASE <= va < PKMAP_END for va in printed):
            out.append("no pkmap slot printed at the checkpoint")
        if tlb != printed:
            out.append("pkmap/fixmap slots: kernel printed %s, QEMU walks %s" % (
                {hex(k): (hex(f), nc) for k, (f, nc) in printed.items()},
                {hex(k): (hex(f), nc) for k, (f, nc) in tlb.items()}))
        return out

    def check_ram(self, text):
        m = RAM_RE.search(text)
        if not m:
            return ["no e820 RAM total printed"]
        ram, want = int(m.group(1)), self.mem_kib()
        out = []
        if not (want - RAM_TOLERANCE_KIB <= ram <= want):
            out.append("e820 RAM %d KiB, configured %d KiB (tolerance %d KiB)"
                       % (ram, want, RAM_TOLERANCE_KIB))
        above4g = sum(int(e, 16) - int(s, 16) + 1
                      for s, e, t in E820_RE.findall(text)
                      if t in ("usable", "loader") and int(s, 16) >= 1 << 32)
        if want > 4 * 1024 * 1024 and above4g == 0:
            out.append("no RAM listed above 4 GiB with %s configured" % self.mem)
        return out


# What OVMF prints when our boot option returned an error and it moves on
# to the next one (the suffix names the status the loader returned).
FIRMWARE_BACK_RE = re.compile(
    r"BdsDxe: failed to start Boot\d+ .*: (Load Error|Not Found|Unsupported|"
    r"Out of Resources)")


PAUSED_RE = re.compile(r"^checkpoint (\S+): paused for the host", re.M)
LOWMEM_RE = re.compile(r"lowmem\s*: 0x([0-9a-f]{8}) - 0x([0-9a-f]{8})")
# QEMU's "info tlb": address, frame, then X G P D A C T U W (NX ... RW).
INFO_TLB_RE = re.compile(r"^([0-9a-f]{8,16}): [0-9a-f]{8,16} ([-XGPDACTUW]{9})\s*$", re.M)
INFO_MEM_RE = re.compile(r"^([0-9a-f]{8,16})-([0-9a-f]{8,16}) [0-9a-f]{8,16} ([-urw]{3})\s*$", re.M)
ANSI_RE = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")
PAGE_OFFSET = 0xC0000000
KERNEL_VIRT = 0xC1000000
PKMAP_BASE, PKMAP_END = 0xFE000000, 0xFE200000
FIXMAP_LOW, FIXADDR_TOP = 0xFFE00000, 0xFFFFE000
# "highmem: pkmap: slot 1 0xfe001000 -> 0x7f7fe000 count 2",
# "fixmap: slot 1 0xffffd000 -> 0xfee00000 uncached"
SLOT_RE = re.compile(r"(?:pkmap|fixmap): slot \d+ 0x([0-9a-f]{8}) -> 0x([0-9a-f]+)( uncached)?")
VMALLOCINFO_RE = re.compile(r"^0x([0-9a-f]{8})-0x([0-9a-f]{8}) ", re.M)
INFO_TLB_FRAME_RE = re.compile(r"^([0-9a-f]{8,16}): ([0-9a-f]{8,16}) ([-XGPDACTUW]{9})\s*$", re.M)


def hmp(path, commands, timeout=20):
    """Run HMP commands on QEMU's monitor socket; their outputs in order.
    Each command waits for the "(qemu) " prompt, or QEMU drops it."""
    deadline = time.monotonic() + timeout
    while not os.path.exists(path) and time.monotonic() < deadline:
        time.sleep(0.05)
    sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    sock.settimeout(timeout)
    sock.connect(path)
    buf = b""

    def until_prompt():
        nonlocal buf
        while b"(qemu) " not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                raise RuntimeError("monitor closed")
            buf += chunk
        head, _, buf = buf.partition(b"(qemu) ")
        return ANSI_RE.sub("", head.decode("latin-1")).replace("\r", "")

    outputs = []
    until_prompt()                       # the banner
    for cmd in commands:
        sock.sendall(cmd.encode() + b"\n")
        outputs.append(until_prompt())
    sock.close()
    return outputs


def memparse(v):
    """Linux's memparse: a number with an optional K/M/G suffix."""
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    if v and v[-1].upper() in units:
        return int(v[:-1], 0) * units[v[-1].upper()]
    return int(v, 0)


def read_text(path):
    try:
        with open(path, "rb") as fh:
            return fh.read().decode("latin-1").replace("\r", "")
    except FileNotFoundError:
        return ""


class BochsRun:
    """The Bochs run (tools/bochs.py): a traced boot of the KTAP cases
    that wrap the pkmap slots and purge the vmalloc area (the first purge,
    the checkpoint, comes during boot already), Bochs's debugger
    walking the page tables at each checkpoint; each checkpoint, the trace
    and the checker's self-test are results of their own."""

    name = "bochs-1G-trace"
    expect = "bochs"
    CMDLINE = ("trace=paging ktest=highmem.wraps_and_global_flushes_counted,"
               "vmalloc.lazy_threshold_purges")
    TIMEOUT = 300       # the limit for the run; it takes ~20 s

    def __init__(self):
        self.image = image_variant("bochs-trace", cmdline=self.CMDLINE)
        self.extra = []

    def run(self):
        workdir = os.path.join(TESTDIR, "run-" + self.name)
        start = time.monotonic()
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bochs.py"),
                            "--image", self.image, "--out", workdir, "--quiet",
                            "--timeout", str(self.TIMEOUT)],
                           capture_output=True, text=True, timeout=self.TIMEOUT + 60)
        elapsed = time.monotonic() - start
        with open(os.path.join(workdir, "bochs.py.txt"), "w") as fh:
            fh.write(p.stdout + p.stderr)
        text = read_text(os.path.join(workdir, "bochs.out"))
        problems = []
        if "Shutdown port: shutdown requested" not in text:
            problems.append("the guest did not shut Bochs down (%s)" % (
                p.stdout.strip().splitlines() or ["no output"])[0])
        totals = TOTALS_RE.search(text)
        cases = KTAP_CASE_RE.findall(text)
        if not totals or int(totals.group(2)) or len(cases) != 2:
            problems.append("KTAP: %s, %d cases" % (
                totals.group(0) if totals else "no totals", len(cases)))
        try:
            oracle = pagecheck.bochs_oracle(workdir)
            self.extra = pagecheck.verdicts(text, oracle) + \
                pagecheck.self_test(text, oracle, "Bochs")
        except (ValueError, OSError) as e:
            problems.append("paging trace: %s" % e)
        detail = "%d checkpoints, %d trace lines" % (
            len(re.findall(r"^pgtrace: checkpoint", text, re.M)),
            len(re.findall(r"^pgtrace:", text, re.M)))
        if problems:
            return self, False, "; ".join(problems) + " [" + detail + "]", elapsed, workdir
        return self, True, detail, elapsed, workdir


class GdbRun:
    """./build.sh debug's gdb set-up (tools/gdb/pae32.py) against a QEMU
    stopped at reset (tests/test_gdb.py): each check a result."""

    name = "gdb-x64"
    expect = "gdb"

    def __init__(self):
        self.extra = []

    def run(self):
        start = time.monotonic()
        try:
            self.extra = test_gdb.run_checks(("x64",))
        except Exception as e:          # a harness problem is a failure too
            return self, False, "gdb session: %s" % e, time.monotonic() - start, TESTDIR
        bad = [n for n, ok, _ in self.extra if not ok]
        return (self, not bad, "%d checks%s" % (len(self.extra), ", failing: " + ", ".join(bad)
                                                  if bad else ""),
                time.monotonic() - start, TESTDIR)


def ktest_matrix():
    """Firmware x memory, then the limits of low memory and the parameters
    that move them (x64 q35)."""
    images = {}

    def boot(name, fw, machine, mem, cmdline="", **kw):
        if cmdline not in images:
            tag = "ktest" + "".join("-" + t for t in cmdline.split())
            images[cmdline] = image_variant(
                re.sub(r"[^\w.-]", "", tag), cmdline=("ktest " + cmdline).strip())
        return Boot(name, images[cmdline], fw, machine, mem, cmdline=cmdline, **kw)

    boots = []
    for mem in ("128M", "1G", "4G", "6G"):
        boots.append(boot("x64-q35-" + mem, "x64", "q35", mem))
        boots.append(boot("x64-pc-" + mem, "x64", "pc", mem))
        boots.append(boot("ia32-q35-" + mem, "ia32", "q35", mem))
    for mem in ("64M", "895M", "896M", "897M", "3G"):
        boots.append(boot("x64-q35-" + mem, "x64", "q35", mem))
    for cmdline in ("mem=512M", "vmalloc=256M", "highmem=256M"):
        boots.append(boot("x64-q35-1G-" + cmdline.replace("=", ""), "x64", "q35",
                          "1G", cmdline))
    # A CPU without NX and without PSE: data stays executable (the NX test
    # skips) and the direct map is built of 4 KiB pages only.
    boots.append(boot("ia32-q35-1G-no-nx-no-pse", "ia32", "q35", "1G",
                      cpu="qemu32,-pse",
                      expect_lines=[r"^CPU: features: \+PAE -NX \+PGE -PSE",
                                    r"with 4 KiB pages, no NX"]))
    # Bad values: each reported, and the defaults kept.
    boots.append(boot("x64-q35-1G-bad-params", "x64", "q35", "1G",
                      "mem=12Q vmalloc=1M highmem=0 acpi=on maxcpus=0 hz=5", effective="",
                      expect_lines=[r"^cmdline: bad value for 'mem': '12Q'",
                                    r"^cmdline: bad value for 'vmalloc': '1M'",
                                    r"^vmalloc=1M: outside 32M\.\.768M",
                                    r"^cmdline: bad value for 'highmem': '0'",
                                    r"^cmdline: bad value for 'acpi': 'on'",
                                    r"^maxcpus=0: outside 1\.\.8",
                                    r"^hz=5: outside 10\.\.1000",
                                    r"^ACPI: PM timer at port 0x608 \(24-bit\)"]))
    # acpi=off: no tables read, the fallback reported (docs/acpi.md).
    boots.append(boot("x64-q35-1G-acpi-off", "x64", "q35", "1G", "acpi=off",
                      expect_lines=[r"^ACPI: disabled by acpi=off",
                                    r"^ACPI: no MADT: one CPU",
                                    r"^ACPI: no PM timer: calibration uses the PIT"]))
    # SMP: every test on 2 and 4 CPUs (the lazy-flush stress longer on 4),
    # IA32 firmware starting an AP too, and the limits on CPUs.
    boots.append(boot("x64-q35-1G-smp2", "x64", "q35", "1G", smp=2,
                      expect_lines=[r"^smp: 2 CPU\(s\) online \(APIC ids 0 1\)"]))
    boots.append(boot("x64-q35-1G-smp4", "x64", "q35", "1G", "lazyflush.ms=3000",
                      smp=4, timeout=240,
                      expect_lines=[r"^smp: 4 CPU\(s\) online \(APIC ids 0 1 2 3\)",
                                    r"^lazyflush: stress: 4 CPU\(s\), 8 threads, 1024 pages, 3\d\d\d ms"]))
    boots.append(boot("ia32-q35-1G-smp2", "ia32", "q35", "1G", smp=2,
                      expect_lines=[r"^smp: 2 CPU\(s\) online"]))
    boots.append(boot("x64-q35-1G-smp4-maxcpus2", "x64", "q35", "1G", "maxcpus=2",
                      smp=4, expect_lines=[r"^smp: 2 CPU\(s\) online \(APIC ids 0 1\)"]))
    boots.append(boot("x64-q35-1G-smp2-nosmp-hz250", "x64", "q35", "1G", "nosmp hz=250",
                      smp=2, expect_lines=[r"^smp: 2 CPU\(s\) enabled in the MADT, maxcpus 1: running on the boot CPU only",
                                           r"^APIC: timer: periodic at 250 Hz",
                                           r"^apic: CPU 0: timer at 2(3[89]|[45]\d|6[0-2])\.\d{3} Hz"]))
    # The paging trace under QEMU: paused at every checkpoint, QEMU's walk
    # compared with the trace (the same workload as the Bochs run, on two
    # CPUs so that flushes reach the other one by IPI).
    boots.append(boot("x64-q35-1G-smp2-trace", "x64", "q35", "1G", BochsRun.CMDLINE,
                      smp=2, checkpoints="all",
                      expect_lines=[r"^checkpoint pkmap_wrap: paused for the host",
                                    r"^checkpoint vmalloc_purge: paused for the host"]))
    # Malformed modules next to the good ones: each refused, nothing left.
    boots.append(bad_modules_boot())
    return boots


BADMODS = os.path.join(BUILD, "badmods")


def bad_modules_boot():
    """The good modules plus one broken module per fault
    (build/badmods, tools/mkbadmods.c): each refused with the message its
    manifest line gives, after "module NAME: ", the good ones still
    loaded, and the KTAP run (module.boot_failures_left_nothing: no page
    but a kept vmalloc page table, no vmalloc area left behind by any
    failed attempt) passing."""
    expect = []
    with open(os.path.join(BADMODS, "expected.txt")) as fh:
        for line in fh:
            name, _, text = line.rstrip("\n").partition(" ")
            expect.append(r"^module %s: %s" % (re.escape(name), re.escape(text)))
    files = sorted(os.path.join(BADMODS, f) for f in os.listdir(BADMODS)
                   if f.endswith(".ko"))
    if len(files) != len(expect):
        raise RuntimeError("build/badmods: %d modules, %d expected lines" % (
            len(files), len(expect)))
    img = image_variant("ktest-bad-modules", cmdline="ktest",
                        extra_modules=files)
    # the good modules still load, and boot_failures_left_nothing ran
    # (rather than skipped: "ok N name # SKIP ..." does not match)
    expect += [r"^module hello: at 0x", r"^module highmem_check: at 0x",
               r"^module ktest_mod: at 0x",
               r"^    ok \d+ boot_failures_left_nothing$"]
    return Boot("x64-q35-1G-bad-modules", img, "x64", "q35", "1G",
                expect_lines=expect)


def bad_input_matrix():
    with open(os.path.join(BUILD, "kernel.elf"), "rb") as fh:
        kernel = fh.read()
    cases = [
        ("missing", dict(no_kernel=True), r"kernel\.elf.*not found"),
        ("truncated", dict(kernel_bytes=kernel_truncated(kernel)),
         r"kernel\.elf.*truncated"),
        ("not-elf", dict(kernel_bytes=b"this is not an ELF file\n" * 40),
         r"kernel\.elf.*not an ELF"),
        ("elf64", dict(kernel_bytes=elf64_kernel()), r"kernel\.elf.*ELF64"),
        ("outside-ram", dict(kernel_bytes=kernel_with_segment_at(kernel, 0xf0000000)),
         r"kernel\.elf.*outside RAM"),
    ]
    boots = []
    for name, kw, pattern in cases:
        img = image_variant("bad-" + name, **kw)
        boots.append(Boot("loader-bad-" + name, img, "x64", "q35", "256M",
                          expect="error", error_re=re.compile(pattern, re.I),
                          timeout=60))
    img = os.path.join(TESTDIR, "bad-not-elf.img")
    boots.append(Boot("loader-bad-not-elf-ia32", img, "ia32", "q35", "256M",
                      expect="error",
                      error_re=re.compile(r"kernel\.elf.*not an ELF", re.I),
                      timeout=60))
    return boots


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2)
    ap.add_argument("-k", "--filter", default="",
                    help="run only boots whose name contains this")
    ap.add_argument("--no-host", action="store_true")
    args = ap.parse_args()

    os.makedirs(TESTDIR, exist_ok=True)
    passed = failed = 0
    if not args.no_host:
        for p, f in run_host_tests():
            passed += p
            failed += f

    if not args.no_host:
        ok, line = run_short_fuzz()
        passed += ok
        failed += not ok

    boots = [BochsRun(), GdbRun()]
    boots += ktest_matrix()
    boots += bad_input_matrix()
    boots = [b for b in boots if args.filter in b.name]

    banners = {}
    with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
        for boot, ok, detail, secs, workdir in pool.map(lambda b: b.run(), boots):
            log("%-4s boot %-28s %5.1fs  %s" % ("ok" if ok else "FAIL",
                                               boot.name, secs, detail))
            if not ok:
                log("     logs: " + os.path.relpath(workdir, ROOT))
            for name, xok, xdetail in boot.extra:
                log("%-4s      %-28s %s" % ("ok" if xok else "FAIL",
                                            "%s: %s" % (boot.name, name), xdetail))
                passed += xok
                failed += not xok
            if boot.expect == "ktest":
                m = BANNER_RE.search(read_text(os.path.join(workdir, "com1.log")))
                if m:
                    banners.setdefault(m.group(0), []).append(boot.name)
            passed += ok
            failed += not ok

    # The same image prints the same banner under every firmware.
    same = len(banners) <= 1
    log("%-4s boot %-28s %s" % ("ok" if same else "FAIL", "same-banner",
                               "%d distinct banner(s)" % len(banners)))
    passed += same
    failed += not same

    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
