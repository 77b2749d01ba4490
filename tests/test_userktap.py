#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks tests/ktap.py's reader of a user program's KTAP document
(parse_user, user_problems: the verdict of a tests/matrix.py UserProg
row) on a console log: tests/data/user/t_isolation-com1.log, t_isolation's
document as qemu-i386 printed it, with the kernel's lines issue 16's
SPEC.md fixes around it (the Run line, the segfault reports, the init
exit line, the kernel's KTAP run after it), and edits of it: a failed
case, a missing or extra result, numbers out of order, no exit line, a
non-zero status, death by a signal, a kernel oops meanwhile (and none
counted after the exit), a skip the row requires; and
matrix.ISOLATION_REPORTS against its report lines.

    python3 tests/test_userktap.py      # one line per check, exit 1 on a failure
"""

import os
import re
import sys

from checklist import Checklist, eq, expect

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import ktap    # noqa: E402
import matrix  # noqa: E402

CHECKS = Checklist()
check = CHECKS.check
PATH = "/bin/t_isolation"

with open(os.path.join(HERE, "data", "user", "t_isolation-com1.log")) as fh:
    LOG = fh.read()


def verdict(text, must_skip=()):
    return ktap.user_problems(ktap.parse_user(text, PATH), must_skip)


@check
def sample_passes():
    r = ktap.parse_user(LOG, PATH)
    eq(verdict(LOG), [], "problems")
    eq((r.plan, len(r.cases), r.status, r.name), (9, 9, 0, "t_isolation"), "plan, cases, status, name")
    eq(r.cases[0].full_name, "t_isolation.read_0xc0000000_segv", "first case")
    eq(r.cases[-1].name, "parent_goes_on", "last case")


@check
def kernel_ktap_after_exit_not_read():
    # The kernel's own run after PID 1 ("ok 1 boot") is not a user case,
    # and the kernel's parser still finds its own run.
    eq([c.name for c in ktap.parse_user(LOG, PATH).cases].count("boot"), 0, "boot as a user case")
    eq(ktap.problems(ktap.parse(LOG)), [], "the kernel's run")


@check
def lines_before_run_ignored():
    text = "KTAP version 1\n1..1\nnot ok 1 earlier\n" + LOG
    eq(verdict(text), [], "problems")


@check
def failed_case_named():
    text = LOG.replace("ok 3 read_page_0_segv", "not ok 3 read_page_0_segv")
    eq(verdict(text), ["t_isolation failures: read_page_0_segv"], "problems")


@check
def not_ok_with_skip_is_a_failure():
    text = LOG.replace("ok 9 parent_goes_on", "not ok 9 parent_goes_on # SKIP no")
    eq(verdict(text), ["t_isolation failures: parent_goes_on"], "problems")


@check
def missing_result_against_plan():
    text = LOG.replace("ok 9 parent_goes_on\n", "")
    eq(verdict(text), ["t_isolation: 8 results, plan 1..9"], "problems")


@check
def numbers_out_of_order():
    text = LOG.replace("ok 2 write_0xc1000000_segv", "ok 3 write_0xc1000000_segv")
    p = verdict(text)
    expect(len(p) == 1 and "not 1..9 in order" in p[0], "problems %r" % p)


@check
def no_exit_line():
    text = LOG.split("init: PID 1")[0]
    eq(verdict(text), ["t_isolation: no 'init: PID 1' line: it never ended"], "problems")


@check
def cut_off_mid_document():
    text = LOG.split("ok 5 ")[0]
    eq(verdict(text), ["t_isolation: 4 results, plan 1..9",
                       "t_isolation: no 'init: PID 1' line: it never ended"], "problems")


@check
def exit_status_not_zero():
    text = LOG.replace("exited with status 0", "exited with status 1")
    eq(verdict(text), ["t_isolation: exited with status 1"], "problems")


@check
def killed_by_a_signal():
    text = LOG.replace("exited with status 0", "killed by signal 11 (SIGSEGV)")
    eq(verdict(text), ["t_isolation: killed by signal 11 (SIGSEGV)"], "problems")


@check
def other_program_exit_line_ignored():
    text = LOG.replace("init: PID 1 (/bin/t_isolation)", "init: PID 1 (/bin/t_sys)")
    eq(verdict(text), ["t_isolation: no 'init: PID 1' line: it never ended"], "problems")


@check
def never_started():
    eq(verdict(LOG.replace("Run /bin/t_isolation as", "Run /bin/t_other as")),
       ["no 'Run /bin/t_isolation as init process' line"], "problems")


@check
def no_header_no_plan():
    text = LOG.replace("\nKTAP version 1\n1..9\n", "\n", 1)
    eq(verdict(text), ["t_isolation: no 'KTAP version 1' line", "t_isolation: no plan line 1..N"],
       "problems")


@check
def kernel_oops_meanwhile():
    text = LOG.replace("ok 4 execute_stack_nx_segv\n", "ok 4 execute_stack_nx_segv\n"
                       "BUG: unable to handle page fault for address: 0xbffffdf0\n")
    eq(verdict(text), ["t_isolation: the kernel faulted meanwhile: "
                       "BUG: unable to handle page fault for address: 0xbffffdf0"], "problems")


@check
def kernel_oops_after_exit_not_counted():
    # The kernel's own tests provoke oopses on purpose after PID 1.
    eq(verdict(LOG + "BUG: unable to handle page fault for address: 0x00000000\n"), [], "problems")


@check
def skip_required():
    text = LOG.replace("ok 9 parent_goes_on", "ok 9 parent_goes_on # SKIP not here")
    eq(verdict(text, ("parent_goes_on",)), [], "a required skip")
    eq(verdict(LOG, ("parent_goes_on",)), ["t_isolation.parent_goes_on did not skip with a reason"],
       "problems")
    eq(ktap.parse_user(text, PATH).cases[-1].skip, "not here", "the reason")


@check
def isolation_reports_match_the_sample():
    lines = LOG.splitlines()
    for rx in matrix.ISOLATION_REPORTS:
        n = sum(1 for line in lines if re.search(rx, line))
        eq(n, 1, "lines matching /%s/" % rx)


@check
def isolation_reports_refuse_a_kernel_fault():
    # A wrong error code or decoding must not match.
    for bad in ("t_isolation[3]: segfault at c1000000 ip 00401244 sp bffffe10 error 6 "
                "(user write, not present) in (no VMA)",
                "t_isolation[3]: segfault at c1000001 ip 00401244 sp bffffe10 error 7 "
                "(user write, protection violation) in (no VMA)"):
        expect(not any(re.search(rx, bad) for rx in matrix.ISOLATION_REPORTS), "matched %r" % bad)


@check
def user_rows_named_and_off():
    names = [r.name for r in matrix.USER_BOOTS]
    eq(len(names), len(set(names)), "distinct names")
    for r in matrix.USER_BOOTS:
        expect(os.path.exists(os.path.join(HERE, "user", r.prog.replace("_pie", "") + ".c")),
               "%s: tests/user/%s.c" % (r.name, r.prog))
        expect(r.name.endswith("init-" + r.prog), "%s names its program" % r.name)


if __name__ == "__main__":
    sys.exit(CHECKS.main())
