#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The test harness behind `./build.sh test` (docs/testing.md).

Runs the host tests (tests/hostchecks.py), then the boots of the matrix
(tests/matrix.py) under QEMU with OVMF (tests/qemu.py), the Bochs run and
the gdb session, in parallel, one line per test; each KTAP boot is judged
by its KTAP output (tests/ktap.py) and by the oracles (tests/oracles.py),
each panic boot by its report on COM1 and on the screen (tests/fbtext.py).
Times are figures, printed and never judged; timeouts only catch hangs.
The last line is "N passed, N failed"; the exit status is 1 on any
failure, 2 on bad arguments or when -k selects nothing.
"""

import argparse
import concurrent.futures
import fnmatch
import functools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import time

import fbtext
import hostchecks
import images
import ktap
import matrix
import oracles
import pagecheck
import qemu
import screenchecks
import test_bench_table
import test_docs
import test_fbmodel
import test_gdb
import test_layout_svg
import test_screenchecks
import test_session
import test_userktap

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TESTDIR = images.TESTDIR
STRESS_FACTOR = 2       # busy processes per host core under --stress

# The kernel's first line: the banner (kernel/main.c).
BANNER_RE = re.compile(r"^pae32 kernel .*$", re.M)
# The monitor's prompt (include/kernel/monitor.h).
PROMPT = "pae32> "
# kernel/reboot.c's last line when no step worked.
GAVE_UP_RE = re.compile(r"^(reboot: the machine did not restart|poweroff: the machine is still on).*$",
                        re.M)
# What OVMF prints when our boot option returned an error and it moves on
# to the next one (the suffix names the status the loader returned).
FIRMWARE_BACK_RE = re.compile(
    r"BdsDxe: failed to start Boot\d+ .*: (Load Error|Not Found|Unsupported|"
    r"Out of Resources)")

# The loader rows' broken kernel files (matrix.Loader.fault).
KERNEL_FAULTS = {
    "missing": lambda: dict(no_kernel=True),
    "truncated": lambda: dict(kernel_bytes=images.kernel_truncated()),
    "not-elf": lambda: dict(kernel_bytes=b"this is not an ELF file\n" * 40),
    "elf64": lambda: dict(kernel_bytes=images.elf64_kernel()),
    "outside-ram": lambda: dict(kernel_bytes=images.kernel_with_segment_at(0xf0000000)),
}


def log(msg):
    print(msg, flush=True)


class Result:
    """A test's verdict and figures; extra: [(name, ok, detail)] of its own."""

    def __init__(self, name, ok, detail, secs, workdir=None, extra=(), first_line=None):
        self.name, self.ok, self.detail, self.secs = name, ok, detail, secs
        self.workdir, self.extra, self.first_line = workdir, list(extra), first_line
        self.banner = None
        self.cases = None               # KTAP case names run, for a full ktest run


def fresh_workdir(name):
    workdir = os.path.join(TESTDIR, "run-" + name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    return workdir


class KtapBoot:
    """One matrix.Ktap row: QEMU paused at the checkpoints for its
    page-table view, the KTAP run judged, the oracles applied."""

    def __init__(self, row, scale):
        self.row, self.name, self.scale = row, row.name, scale

    def prepare(self, cache):
        """The row's image, one per command line, module set and ESP edits
        (a row with edits has an image of its own, named after it)."""
        row = self.row
        key = (row.cmdline, row.bad_modules, row.esp, row.disk_mib)
        files, manifest = images.bad_modules() if row.bad_modules else ([], [])
        if key not in cache:
            tag = "ktest" + "".join("-" + t for t in row.cmdline.split()) + \
                ("-bad-modules" if row.bad_modules else "") + \
                ("-esp-" + row.name if row.esp else "")
            cache[key] = images.image_variant(re.sub(r"[^\w.-]", "", tag)[:120],
                                              cmdline=("ktest " + row.cmdline).strip(),
                                              extra_modules=files, esp=row.esp,
                                              disk_mib=row.disk_mib)
        self.image = cache[key]
        self.expect = list(row.expect) + [r"^module %s: %s" % (re.escape(n), re.escape(t))
                                          for n, t in manifest]

    def run(self):
        row = self.row
        workdir = self.workdir = fresh_workdir(self.name)
        self.com1 = os.path.join(workdir, "com1.log")
        self.monitor = os.path.join(workdir, "monitor.sock")
        self.pauses, self.info_mem, self.info_tlb = [], None, None
        argv = qemu.command(row.fw, row.machine, row.mem, row.smp, row.cpu, self.image,
                            qemu.fresh_vars(row.fw, os.path.join(workdir, "vars.fd")),
                            debugcon=os.path.join(workdir, "e9.log"), monitor=self.monitor,
                            extra=["-serial", "file:" + self.com1, "-no-reboot",
                                   "-fw_cfg", "name=opt/pae32/checkpoints,string=" + row.checkpoints,
                                   *row.qemu_args])
        first, back = [], []

        def poll(now):
            text = qemu.read_text(self.com1)
            if not first and BANNER_RE.search(text):
                first.append(now)
            self.answer_pauses(text)
            # The loader gave up and the firmware has control again: no
            # kernel will come (the firmware would sit in its shell until
            # the hang timeout).
            if not first and not back and FIRMWARE_BACK_RE.search(text):
                back.append(now)
            return bool(back) and now - back[0] > 1.0

        timeout = qemu.hang_timeout(row.mem, row.smp, row.fw, self.scale)
        rc, secs = qemu.run(argv, timeout, os.path.join(workdir, "qemu.err"), poll)
        text = qemu.read_text(self.com1)
        result = Result(self.name, False, "", secs, workdir, first_line=first[0] if first else None)
        problems = self.judge(rc, timeout, text, result)
        if back:
            problems.insert(0, "the loader gave up and the firmware took over (%s)"
                            % FIRMWARE_BACK_RE.search(text).group(0))
        report = ktap.parse(text)
        # A full run that passed (one that failed or was cut off by a
        # panic is a failure of its own already).
        if "ktest=" not in row.cmdline and report.totals is not None and not report.totals[1]:
            result.cases = [c.full_name for c in report.cases]
        m = BANNER_RE.search(text)
        result.banner = m.group(0) if m else None
        skipped = len(report.skipped())
        detail = "%d KTAP cases%s, first line %s" % (
            len(report.cases), " (%d skipped)" % skipped if skipped else "",
            "%.1f s" % result.first_line if result.first_line is not None else "never")
        result.ok = not problems
        result.detail = "; ".join(problems) + " [" + detail + "]" if problems else detail
        return result

    def answer_pauses(self, text):
        """Each new "checkpoint NAME: paused" line: QEMU's info mem and
        info tlb kept as checkpoint-NN-NAME.mem/.tlb, then the NMI that
        resumes the kernel."""
        for m in list(oracles.PAUSED_RE.finditer(text))[len(self.pauses):]:
            name = m.group(1)
            # Every CPU stopped while QEMU walks the tables, then the
            # NMI that the paused one waits for.
            _, info_mem, info_tlb, _, _ = qemu.hmp(self.monitor, ["stop", "info mem", "info tlb",
                                                                  "cont", "nmi"])
            base = os.path.join(self.workdir, "checkpoint-%02d-%s" % (len(self.pauses), name))
            for ext, out in ((".mem", info_mem), (".tlb", info_tlb)):
                with open(base + ext, "w") as fh:
                    fh.write(out)
            if name == "ktest":
                self.info_mem, self.info_tlb = info_mem, info_tlb
            self.pauses.append(name)

    def judge(self, rc, timeout, text, result):
        row = self.row
        problems = []
        if rc == "timeout":
            problems.append("still running after %d s: hung (the timeout only catches hangs)" % timeout)
        elif rc != 1:
            problems.append("QEMU exit status %s (want 1: tests passed)" % rc)
        problems += ktap.problems(ktap.parse(text), row.skip)
        if result.first_line is None:
            problems.append("no kernel banner")
        size = qemu.mem_bytes(row.mem)
        problems += oracles.ram_problems(text, size, row.machine, row.phys_bits)
        problems += ["no line /%s/" % r for r in self.expect if not re.search(r, text, re.M)]
        problems += ["/%s/: %d lines, want exactly 1" % (r, n) for r, n in
                     ((r, len(re.findall(r, text, re.M))) for r in row.once) if n != 1]
        line = row.cmdline if row.effective is None else row.effective
        params = dict(tok.partition("=")[::2] for tok in line.split())
        high, layout_problems = oracles.high_memory_problems(text, params)
        problems += layout_problems
        problems += ["%s: %s" % (name, detail) for name, ok, detail
                     in test_layout_svg.run_checks(self.com1) if not ok]
        if "ktest" not in self.pauses:
            problems.append("the kernel never paused at the ktest checkpoint")
        elif high:
            problems += oracles.page_table_problems(text, high, self.info_mem, self.info_tlb, size)
        if row.checkpoints == "all":
            problems += self.check_trace(result)
        return problems

    def check_trace(self, result):
        """A traced boot paused at every checkpoint: the trace replayed
        against QEMU's info tlb and info mem at each (tests/pagecheck.py),
        and the checker's self-test; results of their own."""
        text = qemu.read_text(os.path.join(self.workdir, "e9.log"))
        try:
            oracle = pagecheck.qemu_oracle(self.workdir)
            result.extra = pagecheck.verdicts(text, oracle) + \
                pagecheck.self_test(text, oracle, "QEMU")
        except (ValueError, OSError) as e:
            return ["paging trace: %s" % e]
        return []


class UserBoot(KtapBoot):
    """One matrix.UserProg row: `ktest init=/bin/PROG -- ARGS`, judged as
    a KTAP row (the kernel's suites, run after PID 1 ended, pass: the
    kernel survived the program) and by the program's own KTAP document
    (ktap.parse_user): every case passed or skipped, its exit status 0,
    the row's lines printed. Each case of the program is a result of its
    own (PROG.CASE) in the totals."""

    def __init__(self, row, scale):
        self.user = row
        cmdline = ("init=/bin/%s %s" % (row.prog, row.cmdline)).strip()
        if row.args:
            cmdline += " -- " + row.args
        super().__init__(matrix.Ktap(row.name, row.fw, row.machine, row.mem, smp=row.smp,
                                     cmdline=cmdline, expect=row.expect,
                                     checkpoints=row.checkpoints), scale)

    def run(self):
        result = super().run()
        report = ktap.parse_user(qemu.read_text(self.com1), "/bin/" + self.user.prog)
        problems = ktap.user_problems(report, self.user.skip)
        result.extra += [("%s.%s" % (report.name, c.name), c.ok,
                          "skipped: " + c.skip if c.skip is not None else "ok" if c.ok else "failed")
                         for c in report.cases]
        result.detail = "%d %s cases%s; %s" % (
            len(report.cases), report.name,
            ", exit status %d" % report.status if report.status is not None else "",
            "; ".join(problems) + " | " + result.detail if problems else result.detail)
        result.ok = result.ok and not problems
        return result


class LoaderBoot:
    """One matrix.Loader row: the loader's error printed, no kernel
    started, and the firmware in control again."""

    def __init__(self, row, scale):
        self.row, self.name, self.scale = row, row.name, scale

    def prepare(self, cache):
        row = self.row
        key = ("fault", row.fault, row.esp)
        if key not in cache:
            cache[key] = images.image_variant(
                "bad-" + (row.fault or "esp-" + row.name),
                esp=row.esp, **(KERNEL_FAULTS[row.fault]() if row.fault else {}))
        self.image = cache[key]

    def run(self):
        row = self.row
        workdir = fresh_workdir(self.name)
        com1 = os.path.join(workdir, "com1.log")
        # Port 0xE9 as on the KTAP rows: the loader reads the harness's
        # fw_cfg files only where it echoes.
        argv = qemu.command(row.fw, row.machine, row.mem, 1, row.cpu, self.image,
                            qemu.fresh_vars(row.fw, os.path.join(workdir, "vars.fd")),
                            debugcon=os.path.join(workdir, "e9.log"),
                            extra=["-serial", "file:" + com1, "-no-reboot", *row.qemu_args])
        back = []

        def poll(now):
            # The firmware has control again: stop the machine a second
            # later (it would go on to its shell).
            if not back and FIRMWARE_BACK_RE.search(qemu.read_text(com1)):
                back.append(now)
            return bool(back) and now - back[0] > 1.0

        timeout = qemu.hang_timeout(row.mem, 1, row.fw, self.scale)
        rc, secs = qemu.run(argv, timeout, os.path.join(workdir, "qemu.err"), poll)
        text = qemu.read_text(com1)
        m = re.search(row.error, text, re.I)
        if not m:
            ok, detail = False, "expected loader error /%s/ not printed (%s)" % (
                row.error, "hung: no end after %d s" % timeout if rc == "timeout" else "rc %s" % rc)
        elif BANNER_RE.search(text):
            ok, detail = False, "the kernel started despite the bad input"
        elif not FIRMWARE_BACK_RE.search(text, m.end()):
            ok, detail = False, "firmware did not regain control (rc %s)" % rc
        else:
            ok, detail = True, "'%s', firmware regained control" % m.group(0).strip()
        return Result(self.name, ok, detail, secs, workdir)


class PowerBoot:
    """One matrix.Power row: a boot without ktest to the monitor's prompt
    on COM1 (a socket chardev), the command typed, then judged: poweroff
    by QEMU's exit status 0 with no restart, reboot by the firmware's
    first line coming again; the row's lines printed after the command,
    none of its refused ones. The seconds from the command to the end
    are a figure."""

    def __init__(self, row, scale):
        self.row, self.name, self.scale = row, row.name, scale

    def prepare(self, cache):
        key = ("power", self.row.cmdline)
        if key not in cache:
            tag = "".join("-" + t for t in self.row.cmdline.split())
            cache[key] = images.image_variant(re.sub(r"[^\w.-]", "", "prompt" + tag),
                                              cmdline=self.row.cmdline)
        self.image = cache[key]

    def run(self):
        row = self.row
        workdir = self.workdir = fresh_workdir(self.name)
        com1 = os.path.join(workdir, "com1.log")
        sock = os.path.join(workdir, "com1.sock")
        argv = qemu.command(row.fw, row.machine, row.mem, 1, None, self.image,
                            qemu.fresh_vars(row.fw, os.path.join(workdir, "vars.fd")),
                            debugcon=os.path.join(workdir, "e9.log"),
                            extra=qemu.serial_socket_args(sock))
        serial = qemu.SerialSocket(sock, com1)
        typed, back, first, gave_up = [], [], [], []

        def poll(now):
            text = qemu.read_text(com1)
            if not first and BANNER_RE.search(text):
                first.append(now)
            if not typed:
                m = BANNER_RE.search(text)
                if m and text.find(PROMPT, m.end()) >= 0:
                    serial.send(row.command + "\r")
                    typed.append((now, len(text)))
            elif not back and qemu.FIRMWARE_START_RE.search(text, typed[0][1]):
                back.append(now)
            elif not gave_up and GAVE_UP_RE.search(text, typed[0][1]):
                gave_up.append(now)
            # A restart seen: the firmware's line is all a row waits for;
            # every step failed: nothing more will happen.
            return bool(back) or bool(gave_up) and now - gave_up[0] > 1.0

        timeout = qemu.hang_timeout(row.mem, 1, row.fw, self.scale)
        try:
            rc, secs = qemu.run(argv, timeout, os.path.join(workdir, "qemu.err"), poll)
        finally:
            serial.close()
        text = qemu.read_text(com1)
        result = Result(self.name, False, "", secs, workdir, first_line=first[0] if first else None)
        problems = []
        after = text[typed[0][1]:] if typed else ""
        if serial.error:
            problems.append(serial.error)
        if not typed:
            problems.append("no prompt %r after the kernel banner (%s)" % (
                PROMPT, "hung" if rc == "timeout" else "QEMU ended with status %s" % rc))
        elif gave_up:
            problems.append("every step failed: %s" % GAVE_UP_RE.search(text, typed[0][1]).group(0))
        elif row.command == "poweroff":
            if back:
                problems.append("the machine restarted instead of switching off")
            elif rc != 0:
                problems.append("QEMU exit status %s (want 0: the guest switched it off)" % rc)
        elif not back:
            problems.append("the firmware did not start again (%s)" % (
                "hung" if rc == "timeout" else "QEMU ended with status %s" % rc))
        if typed:
            problems += ["no line /%s/ after %r" % (r, row.command) for r in row.expect
                         if not re.search(r, after, re.M)]
            problems += ["a line /%s/ after %r" % (r, row.command) for r in row.refuse
                         if re.search(r, after, re.M)]
        end = back[0] if back else secs
        detail = "%r typed %s; %s %.1f s later" % (
            row.command, "at %.1f s" % typed[0][0] if typed else "never",
            "firmware again" if back else "QEMU ended (status %s)" % rc,
            end - typed[0][0] if typed else 0.0)
        result.ok = not problems
        result.detail = "; ".join(problems) + " [" + detail + "]" if problems else detail
        return result


class PanicBoot:
    """One matrix.Panic row: a boot brought down on purpose. COM1 must
    carry the row's lines; once the CPU has halted, a screendump read
    back against the font (tests/fbtext.py) must show the report from its
    first line to the end of the panic exactly as COM1 has it, in red,
    with the cursor on the row below and nothing after."""

    RED, BLACK = 0xaa0000, 0x000000

    def __init__(self, row, scale):
        self.row, self.name, self.scale = row, row.name, scale

    def prepare(self, cache):
        key = ("panic", self.row.cmdline)
        if key not in cache:
            cache[key] = images.image_variant(
                "panic-" + re.sub(r"[^\w.-]", "", self.row.cmdline), cmdline=self.row.cmdline)
        self.image = cache[key]

    def run(self):
        row = self.row
        workdir = self.workdir = fresh_workdir(self.name)
        com1 = os.path.join(workdir, "com1.log")
        monitor = os.path.join(workdir, "monitor.sock")
        shot = os.path.join(workdir, "screen.ppm")
        argv = qemu.command(row.fw, row.machine, row.mem, 1, None, self.image,
                            qemu.fresh_vars(row.fw, os.path.join(workdir, "vars.fd")),
                            monitor=monitor,
                            extra=["-serial", "file:" + com1, "-no-reboot", *row.qemu_args])
        first, taken = [], []

        def poll(now):
            text = qemu.read_text(com1)
            if not first and BANNER_RE.search(text):
                first.append(now)
            if not re.search(r"^---\[ end Kernel panic", text, re.M):
                return False
            # The panic's last line is out; the screen is final once the
            # CPU has halted (the flush comes after that line).
            regs, = qemu.hmp(monitor, ["info registers"])
            if "HLT=1" not in regs:
                return False
            qemu.hmp(monitor, ["screendump " + shot])
            taken.append(now)
            return True

        timeout = qemu.hang_timeout(row.mem, 1, row.fw, self.scale)
        rc, secs = qemu.run(argv, timeout, os.path.join(workdir, "qemu.err"), poll)
        text = qemu.read_text(com1)
        problems = []
        if rc == "timeout":
            problems.append("no halted panic after %d s: hung (the timeout only catches hangs)" % timeout)
        elif rc != "stopped":
            problems.append("QEMU exit status %s (want a halted panic)" % rc)
        problems += ["no line /%s/" % r for r in row.expect if not re.search(r, text, re.M)]
        if taken:
            problems += self.screen_problems(text, shot)
        return Result(self.name, not problems, "; ".join(problems) or
                      "the report's lines on COM1 and on the screen", secs, workdir,
                      first_line=first[0] if first else None)

    def screen_problems(self, text, shot):
        lines = text.split("\n")
        if row_first(lines, self.row.first) is None:
            return ["COM1 has no line '%s'" % self.row.first]
        lines = lines[row_first(lines, self.row.first):]
        end = next(i for i, l in enumerate(lines) if l.startswith("---[ end Kernel panic"))
        want = lines[:end + 1]
        try:
            rows = fbtext.read_cells(shot)
        except (OSError, ValueError) as e:
            return ["screendump: %s" % e]
        texts = [fbtext.row_text(r) for r in rows]
        at = row_first(texts, self.row.first)
        if at is None:
            return ["no screen row reads '%s' (the screen's last rows: %s)" % (
                self.row.first, " | ".join(t for t in texts[-4:]))]
        out = []
        for i, line in enumerate(want):
            got = texts[at + i] if at + i < len(texts) else "(below the screen)"
            if got != line:
                out.append("screen row %d reads '%s', COM1 has '%s'" % (at + i, got, line))
            elif any(ch not in (" ", None) and (fg, bg) != (self.RED, self.BLACK)
                     for ch, fg, bg in rows[at + i]):
                out.append("screen row %d is not red on black" % (at + i))
        below = at + len(want)
        if below >= len(rows) or rows[below][0][0] is not None or texts[below] != "\0":
            out.append("the cursor is not alone at the start of the row below the panic")
        if any(texts[below + 1:]):
            out.append("text below the cursor")
        return out[:4]


def row_first(lines, first):
    """The index of the first of lines equal to first, or None."""
    return next((i for i, l in enumerate(lines) if l == first), None)


class BochsRun:
    """The Bochs run (tools/bochs.py): a traced boot of the KTAP cases
    that wrap the pkmap slots and purge the vmalloc area (the first purge,
    the checkpoint, comes during boot already), Bochs's debugger walking
    the page tables at each checkpoint; each checkpoint, the trace and the
    checker's self-test are results of their own."""

    name = "bochs-1G-trace"
    TIMEOUT = 1800      # a hang; the run takes about 30 s on an idle host

    def __init__(self, scale):
        self.timeout = self.TIMEOUT * scale

    def prepare(self, cache):
        self.image = images.image_variant("bochs-trace", cmdline=matrix.TRACE_CMDLINE)

    def run(self):
        workdir = os.path.join(TESTDIR, "run-" + self.name)
        start = time.monotonic()
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bochs.py"),
                            "--image", self.image, "--out", workdir, "--quiet",
                            "--timeout", str(self.timeout)],
                           capture_output=True, text=True, timeout=self.timeout + 600)
        elapsed = time.monotonic() - start
        with open(os.path.join(workdir, "bochs.py.txt"), "w") as fh:
            fh.write(p.stdout + p.stderr)
        text = qemu.read_text(os.path.join(workdir, "bochs.out"))
        problems = []
        if "Shutdown port: shutdown requested" not in text:
            problems.append("the guest did not shut Bochs down (%s)" % (
                p.stdout.strip().splitlines() or p.stderr.strip().splitlines() or ["no output"])[-1])
        report = ktap.parse(text)
        if ktap.problems(report) or len(report.cases) != 2:
            problems.append("KTAP: %s" % "; ".join(ktap.problems(report) +
                                                   ["%d cases, want 2" % len(report.cases)]))
        extra = []
        try:
            oracle = pagecheck.bochs_oracle(workdir)
            extra = pagecheck.verdicts(text, oracle) + pagecheck.self_test(text, oracle, "Bochs")
        except (ValueError, OSError) as e:
            problems.append("paging trace: %s" % e)
        detail = "%d checkpoints, %d trace lines" % (
            len(re.findall(r"^pgtrace: checkpoint", text, re.M)),
            len(re.findall(r"^pgtrace:", text, re.M)))
        if problems:
            detail = "; ".join(problems) + " [" + detail + "]"
        return Result(self.name, not problems, detail, elapsed, workdir, extra)


class BochsPowerRun:
    """Bochs booted to the monitor's prompt, `poweroff` typed on COM1
    (tools/bochs.py --type: COM1 a pseudo-terminal): without ACPI tables
    under Bochs, the PIIX4 found on PCI must switch Bochs off."""

    name = "bochs-1G-poweroff"
    TIMEOUT = 1800      # a hang; the run takes about 35 s on an idle host

    def __init__(self, scale):
        self.timeout = self.TIMEOUT * scale

    def prepare(self, cache):
        key = ("power", "")
        if key not in cache:
            cache[key] = images.image_variant("prompt", cmdline="")
        self.image = cache[key]

    def run(self):
        workdir = os.path.join(TESTDIR, "run-" + self.name)
        start = time.monotonic()
        p = subprocess.run([sys.executable, os.path.join(ROOT, "tools", "bochs.py"),
                            "--image", self.image, "--out", workdir, "--quiet",
                            "--timeout", str(self.timeout), "--type", "poweroff"],
                           capture_output=True, text=True, timeout=self.timeout + 600)
        elapsed = time.monotonic() - start
        with open(os.path.join(workdir, "bochs.py.txt"), "w") as fh:
            fh.write(p.stdout + p.stderr)
        out = qemu.read_text(os.path.join(workdir, "bochs.out"))
        com1 = qemu.read_text(os.path.join(workdir, "com1.log"))
        problems = []
        if PROMPT not in com1:
            problems.append("no prompt %r on COM1" % PROMPT)
        elif "Bochs is exiting with the following message:\n[ACPI  ] ACPI control: soft power off" \
                not in out:
            problems.append("Bochs was not switched off by the PIIX4 (%s)" % (
                p.stdout.strip().splitlines() or ["no output"])[-1])
        if not re.search(r"^poweroff: trying the PIIX4 power management at PCI 00:01\.3: ", com1, re.M):
            problems.append("no line 'poweroff: trying the PIIX4 power management at PCI 00:01.3'")
        detail = "; ".join(problems) if problems else "switched off by the PIIX4's soft off"
        return Result(self.name, not problems, detail, elapsed, workdir)


class BochsKtapRun:
    """One matrix.BochsKtap row: a KTAP run under Bochs (tools/bochs.py,
    with the row's cpuid: line), judged by its KTAP output on port 0xE9
    (every case passed or skipped with a reason, the row's skips skipped),
    the row's lines printed, and the guest ending Bochs through its
    shutdown port."""

    TIMEOUT = 1800      # a hang; bochs-1G-x2apic takes about 25 s on an idle host

    def __init__(self, row, scale):
        self.row, self.name = row, row.name
        self.timeout = self.TIMEOUT * scale

    def prepare(self, cache):
        self.image = images.image_variant("bochs-" + re.sub(r"[^\w.-]", "", self.row.name),
                                          cmdline=("ktest " + self.row.cmdline).strip())

    def run(self):
        row = self.row
        workdir = os.path.join(TESTDIR, "run-" + self.name)
        start = time.monotonic()
        argv = [sys.executable, os.path.join(ROOT, "tools", "bochs.py"), "--image", self.image,
                "--out", workdir, "--quiet", "--timeout", str(self.timeout)]
        if row.cpuid:
            argv += ["--cpuid", row.cpuid]
        p = subprocess.run(argv, capture_output=True, text=True, timeout=self.timeout + 600)
        elapsed = time.monotonic() - start
        with open(os.path.join(workdir, "bochs.py.txt"), "w") as fh:
            fh.write(p.stdout + p.stderr)
        text = qemu.strip_escapes(qemu.read_text(os.path.join(workdir, "bochs.out")))
        problems = []
        if "Shutdown port: shutdown requested" not in text:
            problems.append("the guest did not shut Bochs down (%s)" % (
                p.stdout.strip().splitlines() or p.stderr.strip().splitlines() or ["no output"])[-1])
        report = ktap.parse(text)
        problems += ktap.problems(report, row.skip)
        problems += ["no line /%s/" % r for r in row.expect if not re.search(r, text, re.M)]
        detail = "%d KTAP cases (%d skipped)" % (len(report.cases), len(report.skipped()))
        if problems:
            detail = "; ".join(problems) + " [" + detail + "]"
        return Result(self.name, not problems, detail, elapsed, workdir)


class GdbRun:
    """./build.sh debug's gdb set-up (tools/gdb/pae32.py) against a QEMU
    stopped at reset (tests/test_gdb.py): each check a result."""

    name = "gdb-x64"

    def __init__(self, scale):
        self.scale = scale

    def prepare(self, cache):
        pass

    def run(self):
        start = time.monotonic()
        try:
            extra = test_gdb.run_checks(("x64",), timeout=test_gdb.TIMEOUT * self.scale)
        except Exception as e:          # a harness problem is a failure too
            return Result(self.name, False, "gdb session: %s" % e, time.monotonic() - start)
        bad = [n for n, ok, _ in extra if not ok]
        return Result(self.name, not bad, "%d checks%s" % (
            len(extra), ", failing: " + ", ".join(bad) if bad else ""),
            time.monotonic() - start, extra=extra)


class ChecksRun:
    """A test with QEMU sessions of its own that reports checks: the
    sessions' plumbing (tests/test_session.py) and the scripted sessions
    (tests/screenchecks.py). checks(workdir, scale) -> [(name, ok,
    detail)]; each check a result."""

    def __init__(self, name, checks, scale):
        self.name, self.checks, self.scale = name, checks, scale

    def prepare(self, cache):
        pass

    def run(self):
        start = time.monotonic()
        self.workdir = fresh_workdir(self.name)
        extra = self.checks(self.workdir, self.scale)
        bad = [n for n, ok, _ in extra if not ok]
        return Result(self.name, not bad, "%d checks%s" % (
            len(extra), ", failing: " + ", ".join(bad) if bad else ""),
            time.monotonic() - start, self.workdir, extra=extra)


def boots(scale):
    sessions = [ChecksRun(n, functools.partial(screenchecks.run_session, n), scale)
                for n in screenchecks.SESSIONS]
    return [BochsRun(scale), BochsPowerRun(scale), GdbRun(scale),
            ChecksRun("session-x64", test_session.run_checks, scale)] + sessions + \
        [BochsKtapRun(r, scale) for r in matrix.BOCHS_KTAP_BOOTS] + \
        [KtapBoot(r, scale) for r in matrix.KTAP_BOOTS] + \
        [UserBoot(r, scale) for r in (matrix.USER_BOOTS if matrix.USER_ROWS else ())] + \
        [LoaderBoot(r, scale) for r in matrix.LOADER_BOOTS] + \
        [(KtapBoot if isinstance(r, matrix.Ktap) else LoaderBoot)(r, scale)
         for r in matrix.HOSTILE_BOOTS] + \
        [PowerBoot(r, scale) for r in matrix.POWER_BOOTS] + \
        [PanicBoot(r, scale) for r in matrix.PANIC_BOOTS]


HOST_NAMES = hostchecks.host_programs() + hostchecks.FUZZERS + ["cli", "docs-test-names", "docs",
                                                                 "fbmodel", "screenchecks", "bench-table",
                                                                 "userktap"]


def boot_names():
    return [b.name for b in boots(1)]


def run_host(name):
    """One host test by name: [(name, ok, detail)] and a count of passes
    and failures (a program counts each case)."""
    if name in hostchecks.FUZZERS:
        ok, first, out = hostchecks.run_short_fuzz(name)
        if not ok:
            log(out)
        return [(name, ok, first)], ok, not ok
    if name == "cli":
        results = hostchecks.cli_checks()
    elif name == "docs-test-names":
        results = hostchecks.doc_names_check(HOST_NAMES, boot_names())
    elif name == "docs":
        results = [("docs: " + n, ok, d) for n, ok, d in test_docs.run_checks(ROOT)]
    elif name == "fbmodel":
        results = [("fbmodel: " + n, ok, d) for n, ok, d in test_fbmodel.run_checks()]
    elif name == "screenchecks":
        results = [("screenchecks: " + n, ok, d) for n, ok, d in test_screenchecks.run_checks()]
    elif name == "bench-table":
        results = [("bench-table: " + n, ok, d) for n, ok, d in test_bench_table.CHECKS.run()]
    elif name == "userktap":
        results = [("userktap: " + n, ok, d) for n, ok, d in test_userktap.CHECKS.run()]
    else:
        npass, nfail, detail, out = hostchecks.run_host_program(name)
        if nfail:
            log(out)
        return [(name, not nfail, detail)], npass, nfail
    good = sum(ok for _, ok, _ in results)
    return results, good, len(results) - good


# ------------------------------------------------------------ load

# A busy process that ends by itself once the harness is gone (even if it
# was killed): its parent changes.
BUSY = "import os,sys\np=int(sys.argv[1])\nwhile os.getppid()==p:\n for _ in range(100000): pass\n"


class Load:
    """n busy processes on the host for the length of the run."""

    def __init__(self, n):
        self.procs = [subprocess.Popen([sys.executable, "-c", BUSY, str(os.getpid())],
                                       stdin=subprocess.DEVNULL)
                      for _ in range(n)]

    def stop(self):
        for p in self.procs:
            if p.poll() is None:
                p.kill()
        for p in self.procs:
            p.wait()
        self.procs = []


# ------------------------------------------------------------ main

def selected(name, patterns):
    """-k: a name is selected when it contains a pattern, or matches it as
    a shell glob when the pattern has * ? or [."""
    return not patterns or any(fnmatch.fnmatchcase(name, p) if any(c in p for c in "*?[")
                               else p in name for p in patterns)


def run_one(boot):
    """boot.run(), a problem of the harness itself (the monitor gone, a
    log missing) being that boot's failure rather than the run's end."""
    start = time.monotonic()
    try:
        return boot.run()
    except Exception as e:
        return Result(boot.name, False, "harness error: %s: %s" % (type(e).__name__, e),
                      time.monotonic() - start, getattr(boot, "workdir", None))


def figures(results, started, load):
    """The run's figures: times to the first kernel line and boot
    durations (printed, never judged)."""
    firsts = sorted((r.first_line, r.name) for r in results if r.first_line is not None)
    if firsts:
        log("figures: first kernel line after QEMU's start, %d boots: min %.1f s (%s), "
            "median %.1f s, max %.1f s (%s)" % (
                len(firsts), firsts[0][0], firsts[0][1],
                statistics.median(f for f, _ in firsts), firsts[-1][0], firsts[-1][1]))
    durations = sorted((r.secs, r.name) for r in results)
    if durations:
        log("figures: %d boots, durations min %.1f s, median %.1f s, max %.1f s (%s)" % (
            len(durations), durations[0][0], statistics.median(d for d, _ in durations),
            durations[-1][0], durations[-1][1]))
    log("figures: the run took %.0f s%s" % (
        time.monotonic() - started,
        ", the host loaded with %d busy processes" % len(load.procs) if load else ", no load added"))


def few(names, n=8):
    names = sorted(names)
    return " ".join(names[:n]) + (" and %d more" % (len(names) - n) if len(names) > n else "") or "-"


def summary_checks(results):
    """Checks across boots: every KTAP boot printed the same banner (the
    same image under every firmware), and every full KTAP run ran exactly
    the cases defined in tests/kernel/ and modules/."""
    out = []
    banners = {}
    for r in results:
        if r.banner:
            banners.setdefault(r.banner, []).append(r.name)
    if sum(map(len, banners.values())) >= 2:
        out.append(("same-banner", len(banners) == 1, "%d distinct banner(s)%s" % (
            len(banners), "" if len(banners) == 1 else ": " + "; ".join(
                "%s: %s" % (b, " ".join(n)) for b, n in banners.items()))))
    want = set(hostchecks.ktest_cases())
    full = [r for r in results if r.cases is not None]
    if full:
        bad = []
        for r in full:
            got = set(r.cases)
            if got != want:
                bad.append("%s: not run %s; not in the sources %s" % (
                    r.name, few(want - got), few(got - want)))
        out.append(("every-ktest-ran", not bad, "; ".join(bad) or
                    "%d boots ran all %d cases of tests/kernel/ and modules/" % (len(full), len(want))))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 2,
                    help="boots at a time (the host's cores)")
    ap.add_argument("-k", dest="patterns", action="append", default=[], metavar="PATTERN",
                    help="run only the host tests and boots whose name contains PATTERN "
                    "(a shell glob if it has * ? [); repeatable")
    ap.add_argument("--no-host", action="store_true", help="no host tests")
    ap.add_argument("--stress", action="store_true",
                    help="load the host with %d busy processes per core for the run" % STRESS_FACTOR)
    ap.add_argument("--list", action="store_true",
                    help="print the test names (docs/testing.md's section) and exit")
    args = ap.parse_args()
    if args.list:
        print(hostchecks.names_section(HOST_NAMES, boot_names()), end="")
        return 0

    scale = 2 if args.stress else 1
    hosts = [] if args.no_host else [n for n in HOST_NAMES if selected(n, args.patterns)]
    todo = [b for b in boots(scale) if selected(b.name, args.patterns)]
    if not hosts and not todo:
        print("harness.py: -k %s: no host test or boot name matches%s (--list shows them)" % (
            " -k ".join(args.patterns), " (host tests off: --no-host)" if args.no_host else ""),
            file=sys.stderr)
        return 2

    started = time.monotonic()
    load = None
    if args.stress:
        n = STRESS_FACTOR * (os.cpu_count() or 1)
        log("stress: %d busy processes (%d per core) until the run ends" % (n, STRESS_FACTOR))
        load = Load(n)

    def stop(signum, frame):
        log("harness.py: stopped by signal %d; stopping the boots%s" % (
            signum, " and the load" if load else ""))
        qemu.CANCEL.set()
        if load:
            load.stop()
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    passed = failed = 0
    try:
        for name in hosts:
            results, p, f = run_host(name)
            for rname, ok, detail in results:
                log("%-4s host %-28s %s" % ("ok" if ok else "FAIL", rname, detail))
            passed += p
            failed += f

        os.makedirs(TESTDIR, exist_ok=True)
        cache = {}
        for b in todo:
            b.prepare(cache)
        results = []
        with concurrent.futures.ThreadPoolExecutor(args.jobs) as pool:
            for r in pool.map(run_one, todo):
                log("%-4s boot %-28s %5.1fs  %s" % ("ok" if r.ok else "FAIL", r.name, r.secs, r.detail))
                if not r.ok and r.workdir:
                    log("     logs: " + os.path.relpath(r.workdir, ROOT))
                for name, xok, xdetail in r.extra:
                    log("%-4s      %-28s %s" % ("ok" if xok else "FAIL",
                                                "%s: %s" % (r.name, name), xdetail))
                    passed += xok
                    failed += not xok
                passed += r.ok
                failed += not r.ok
                results.append(r)
        for name, ok, detail in summary_checks(results):
            log("%-4s boot %-28s %s" % ("ok" if ok else "FAIL", name, detail))
            passed += ok
            failed += not ok
        figures(results, started, load)
    finally:
        if load:
            load.stop()
    log("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
