# SPDX-License-Identifier: MIT
"""The kernel's KTAP output (kernel/ktest.c, KTAP version 1 as Linux's
KUnit prints it): parsed into suites and cases, and the verdict of a test
run.

The kernel prints

    KTAP version 1
    1..S                              one block per suite follows
        KTAP version 1
        # Subtest: SUITE
        1..C                          one line per case follows
        ok N CASE                     or "not ok N CASE", or
        ok N CASE # SKIP REASON
    ok K SUITE                        or "not ok K SUITE"
    # Totals: pass:P fail:F skip:K

with other kernel lines (other CPUs, the tests' own output) in between.
"""

import re

TOTALS_RE = re.compile(r"^# Totals: pass:(\d+) fail:(\d+) skip:(\d+)", re.M)
CASE_RE = re.compile(r"^    (not ok|ok) (\d+) (\S+)(.*)$")
SUBTEST_RE = re.compile(r"^    # Subtest: (\S+)$")
HEADER_RE = re.compile(r"^KTAP version 1$", re.M)
PLAN_RE = re.compile(r"^(    )?1\.\.(\d+)$")
SKIP_RE = re.compile(r"^ # SKIP(?: (.*))?$")


class Case:
    def __init__(self, suite, name, ok, skip):
        self.suite, self.name, self.ok = suite, name, ok
        self.skip = skip            # the reason ("" if none given), or None

    @property
    def full_name(self):
        return "%s.%s" % (self.suite, self.name)


class Report:
    """cases: [Case] in order; plans: {suite: cases announced}; suites_planned:
    the top-level plan (None if absent); totals: (pass, fail, skip) or None."""

    def __init__(self):
        self.cases, self.plans, self.suites_planned, self.totals = [], {}, None, None

    def failed(self):
        return [c.full_name for c in self.cases if not c.ok]

    def skipped(self):
        return {c.full_name: c.skip for c in self.cases if c.ok and c.skip is not None}


def parse(text):
    """The last KTAP run in a console log (a Report)."""
    report = Report()
    heads = list(HEADER_RE.finditer(text))
    if not heads:
        return report
    start = heads[-1].start()
    suite = None
    for line in text[start:].split("\n"):
        m = PLAN_RE.match(line)
        if m:
            if m.group(1) and suite is not None and suite not in report.plans:
                report.plans[suite] = int(m.group(2))
            elif not m.group(1) and report.suites_planned is None:
                report.suites_planned = int(m.group(2))
            continue
        m = SUBTEST_RE.match(line)
        if m:
            suite = m.group(1)
            continue
        m = CASE_RE.match(line)
        if m and suite is not None:
            skip = SKIP_RE.match(m.group(4))
            report.cases.append(Case(suite, m.group(3), m.group(1) == "ok",
                                     (skip.group(1) or "") if skip else None))
    m = TOTALS_RE.search(text, start)
    if m:
        report.totals = tuple(int(g) for g in m.groups())
    return report


def problems(report, must_skip=()):
    """What is wrong with a run that should pass: a failed case, no totals
    or totals with failures, no case at all, a suite with fewer or more
    results than its plan, totals that disagree with the case lines, and
    each case of must_skip ("suite.case") that did not skip with a reason."""
    out = []
    failed = report.failed()
    if report.totals is None:
        out.append("no KTAP totals line")
    elif report.totals[1] or failed:
        out.append("KTAP failures: " + ", ".join(failed))
    if not report.cases:
        out.append("no KTAP test cases ran")
    counts = {}
    for c in report.cases:
        counts[c.suite] = counts.get(c.suite, 0) + 1
    for suite, n in report.plans.items():
        if counts.get(suite, 0) != n:
            out.append("KTAP suite %s: %d results, plan 1..%d" % (suite, counts.get(suite, 0), n))
    if report.suites_planned is not None and len(report.plans) != report.suites_planned:
        out.append("KTAP: %d suites, plan 1..%d" % (len(report.plans), report.suites_planned))
    if report.totals is not None and report.cases:
        skipped = len(report.skipped())
        want = (len(report.cases) - len(failed) - skipped, len(failed), skipped)
        if report.totals != want:
            out.append("KTAP totals pass:%d fail:%d skip:%d, the case lines give %d/%d/%d"
                       % (report.totals + want))
    skipped = report.skipped()
    for name in must_skip:
        if not skipped.get(name):
            out.append("%s did not skip with a reason" % name)
    return out


# ------------------------------------------------------------ user programs

# A user test program run as PID 1 (tests/user/, docs/userspace.md "User
# tests") prints one top-level KTAP document on the console,
#
#     KTAP version 1
#     1..N
#     ok N CASE  /  not ok N CASE  /  ok N CASE # SKIP REASON
#     # diagnostics
#
# between the kernel's "Run PATH as init process" and "init: PID 1 (PATH)
# exited with status S" (or "killed by signal N (NAME)"); kernel lines
# (a segfault report, say) may come in between.
USER_CASE_RE = re.compile(r"^(not ok|ok) (\d+) (\S+)(.*)$")
USER_PLAN_RE = re.compile(r"^1\.\.(\d+)$")
# The kernel's lines of a fault of its own (an oops, a warning, a panic):
# none may come while a user program runs (the kernel's tests that provoke
# them run after it).
KERNEL_FAULT_RE = re.compile(r"^(BUG: |Oops: |Kernel panic|WARNING: |------------\[ cut here)")
USER_EXIT_RE = re.compile(r"^init: PID 1 \((\S+)\) (?:exited with status (\d+)|killed by signal (\d+) \((\w+)\))$")


class UserReport:
    """The document of one user program: started (the Run line seen),
    header, plan (N or None), cases [Case] with suite = the program's
    name, status (the exit status, None when killed or never ended),
    signal ("N (NAME)" when killed), ended (the init line seen),
    kernel_faults (the kernel's oops, warning or panic lines meanwhile)."""

    def __init__(self, name):
        self.name = name
        self.started = self.header = self.ended = False
        self.plan = self.status = self.signal = None
        self.cases, self.numbers, self.kernel_faults = [], [], []


def parse_user(text, path):
    """The KTAP document of PATH (e.g. /bin/t_sys) run as PID 1, from a
    console log: the lines after the last "Run PATH as init process" up to
    its "init: PID 1 (PATH) ..." line."""
    report = UserReport(path.rsplit("/", 1)[-1])
    runs = list(re.finditer(r"^Run %s as init process$" % re.escape(path), text, re.M))
    if not runs:
        return report
    report.started = True
    for line in text[runs[-1].end():].split("\n"):
        line = line.rstrip("\r")
        m = USER_EXIT_RE.match(line)
        if m and m.group(1) == path:
            report.ended = True
            if m.group(2) is not None:
                report.status = int(m.group(2))
            else:
                report.signal = "%s (%s)" % (m.group(3), m.group(4))
            break
        if KERNEL_FAULT_RE.match(line):
            report.kernel_faults.append(line)
            continue
        if line == "KTAP version 1":
            if report.header:
                break           # another document: the kernel's, PID 1 having ended unseen
            report.header = True
            continue
        m = USER_PLAN_RE.match(line)
        if m and report.header and report.plan is None:
            report.plan = int(m.group(1))
            continue
        m = USER_CASE_RE.match(line)
        if m and report.header:
            skip = SKIP_RE.match(m.group(4))
            report.numbers.append(int(m.group(2)))
            report.cases.append(Case(report.name, m.group(3), m.group(1) == "ok",
                                     (skip.group(1) or "") if skip else None))
    return report


def user_problems(report, must_skip=()):
    """What is wrong with a user program's run that should pass: not
    started, no header or plan, a failed case, results that disagree with
    the plan or are numbered out of order, no exit line, an exit status
    other than 0 or a signal, an oops, warning or panic of the kernel
    meanwhile, and each name of must_skip ("case") that did
    not skip with a reason."""
    out = []
    if not report.started:
        return ["no 'Run /bin/%s as init process' line" % report.name]
    if not report.header:
        out.append("%s: no 'KTAP version 1' line" % report.name)
    if report.plan is None:
        out.append("%s: no plan line 1..N" % report.name)
    failed = [c.name for c in report.cases if not c.ok]
    if failed:
        out.append("%s failures: %s" % (report.name, ", ".join(failed)))
    if report.plan is not None and len(report.cases) != report.plan:
        out.append("%s: %d results, plan 1..%d" % (report.name, len(report.cases), report.plan))
    if report.numbers != list(range(1, len(report.numbers) + 1)):
        out.append("%s: cases numbered %s, not 1..%d in order" % (
            report.name, " ".join(map(str, report.numbers[:12])), len(report.numbers)))
    if not report.ended:
        out.append("%s: no 'init: PID 1' line: it never ended" % report.name)
    elif report.signal is not None:
        out.append("%s: killed by signal %s" % (report.name, report.signal))
    elif report.status != 0:
        out.append("%s: exited with status %d" % (report.name, report.status))
    if report.kernel_faults:
        out.append("%s: the kernel faulted meanwhile: %s" % (report.name, report.kernel_faults[0]))
    skipped = {c.name: c.skip for c in report.cases if c.ok and c.skip is not None}
    for name in must_skip:
        if not skipped.get(name):
            out.append("%s.%s did not skip with a reason" % (report.name, name))
    return out
