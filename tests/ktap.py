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
