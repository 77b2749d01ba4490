# SPDX-License-Identifier: MIT
"""The harness's tests that boot nothing: the host unit test programs
(build/host/test_*), the short fuzz run, the command-line checks of
build.sh, tests/qemu.py and the harness, and the list of test names in
docs/testing.md against the tree. Each returns [(name, ok, detail)];
a host program counts each of its cases.
"""

import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
HANG = 1800             # seconds before a host program counts as hung


def host_programs():
    """The host test programs, from tests/host/test_*.c."""
    return sorted(f[:-2] for f in os.listdir(os.path.join(ROOT, "tests", "host"))
                  if f.startswith("test_") and f.endswith(".c"))


def run_host_program(name):
    """One build/host program: its cases and exit status. Returns
    (passed, failed, detail, output)."""
    path = os.path.join(BUILD, "host", name)
    if not os.access(path, os.X_OK):
        return 0, 1, "not built (%s)" % os.path.relpath(path, ROOT), ""
    p = subprocess.run([path], capture_output=True, text=True, timeout=HANG)
    cases = re.findall(r"^(not ok|ok) (\S+)", p.stdout, re.M)
    npass = sum(1 for v, _ in cases if v == "ok")
    nfail = len(cases) - npass
    # A program that fails without a failed case (a crash, no case at
    # all) counts one failure more.
    if p.returncode != 0 and not nfail or not cases:
        nfail += 1
    detail = "%d passed, %d failed%s" % (npass, len(cases) - npass,
                                         "" if p.returncode == 0 else " (exit %d)" % p.returncode)
    return npass, nfail, detail, p.stdout + p.stderr


FUZZERS = ["fuzz_module_elf", "fuzz_vsnprintf"]


def run_short_fuzz(name, seconds=20):
    """One libFuzzer harness (FUZZERS: the module validator's, vsnprintf's)
    for a fixed time from its checked-in corpus (tests/fuzz/run_short.sh);
    ./build.sh fuzz runs one open-ended. Returns (ok, first line, output)."""
    p = subprocess.run(["sh", os.path.join(ROOT, "tests/fuzz/run_short.sh"), name, str(seconds)],
                       capture_output=True, text=True, timeout=seconds + HANG)
    ok = p.returncode == 0 and "\nok %s" % name in "\n" + p.stdout
    first = p.stdout.strip().splitlines()[0].strip() if p.stdout.strip() else ""
    return ok, first, p.stdout + p.stderr


# ------------------------------------------------------------ command lines

# (environment, argv, exit status, a word the message must name): each
# bad argument refused before anything is installed, built or booted.
CLI_CASES = [
    ({}, ["./build.sh", "nonsense"], 2, "nonsense"),
    ({}, ["./build.sh", "run", "2Q"], 2, "2Q"),
    ({}, ["./build.sh", "run", "x64", "1G", "extra"], 2, "extra"),
    ({}, ["./build.sh", "run", "1G", "ia32"], 2, "ia32"),
    ({}, ["./build.sh", "debug", "pc"], 2, "pc"),
    ({}, ["./build.sh", "layout", "ia32"], 2, "ia32"),
    ({}, ["./build.sh", "bench", "4G"], 2, "4G"),
    ({}, ["./build.sh", "bench", "linux", "4G"], 2, "4G"),
    ({}, ["./build.sh", "screenshot", "now"], 2, "now"),
    ({}, ["./build.sh", "clean", "all"], 2, "all"),
    ({}, ["./build.sh", "deps", "now"], 2, "now"),
    ({}, ["./build.sh", "busybox", "echo"], 2, "echo"),
    ({}, ["./build.sh", "busybox", "-k", "cat", "-j"], 2, "-j"),
    ({"SMP": "0"}, ["./build.sh", "run"], 2, "SMP"),
    ({"SMP": "two"}, ["./build.sh", "debug"], 2, "two"),
    ({}, [sys.executable, "tests/qemu.py", "--mem", "12Q", "--print"], 2, "12Q"),
    ({}, [sys.executable, "tests/qemu.py", "--fw", "ia32", "--machine", "pc", "--print"], 2, "pc"),
    ({}, [sys.executable, "tests/qemu.py", "--smp", "0", "--print"], 2, "'0'"),
    ({}, [sys.executable, "tests/harness.py", "-k", "no-such-test"], 2, "no-such-test"),
]


def build_sh_commands():
    """The commands build.sh's dispatcher accepts (its case labels)."""
    with open(os.path.join(ROOT, "build.sh")) as fh:
        text = fh.read()
    body = text[text.index('case "$cmd" in'):]
    return re.findall(r"^(\w[\w|-]*)\)", body, re.M)


def cli_checks():
    """Every CLI_CASES line refused with its status and a message naming
    the bad word; `./build.sh help` (exit 0) lists every command of the
    dispatcher at the start of a line."""
    results = []
    for env, argv, status, word in CLI_CASES:
        p = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=HANG,
                           env=dict(os.environ, **env), stdin=subprocess.DEVNULL)
        msg = (p.stderr or p.stdout).strip()
        # The first line is the message (then the usage, which names every word).
        first = msg.splitlines()[0] if msg else ""
        ok = p.returncode == status and word in first
        name = " ".join(["%s=%s" % kv for kv in env.items()] +
                        [os.path.basename(a) if a == sys.executable else a for a in argv])
        results.append(("cli: " + name, ok, "exit %d: %s" % (p.returncode, first or "no message")))
    p = subprocess.run(["./build.sh", "help"], cwd=ROOT, capture_output=True, text=True,
                       timeout=HANG, stdin=subprocess.DEVNULL)
    commands = sorted({c for label in build_sh_commands() for c in label.split("|")})
    missing = [c for c in commands if not re.search(r"^  %s\b" % re.escape(c), p.stdout, re.M)]
    results.append(("cli: build.sh help", p.returncode == 0 and commands and not missing,
                    "exit %d, %d commands%s" % (p.returncode, len(commands),
                                                ", not listed: " + " ".join(missing) if missing else "")))
    return results


# ------------------------------------------------------------ test names

DOC = os.path.join(ROOT, "docs", "testing.md")
DOC_SECTION = "## Test names"
KTEST_RE = re.compile(r"^KTEST\((\w+),\s*(\w+)\)", re.M)
MODULE_CASE_RE = re.compile(r'\{\s*"(\w+)",\s*"(\w+)",\s*\w+\s*\}')


def ktest_cases():
    """"suite.case" of every KTEST() in tests/kernel/ and every case a
    module registers (modules/*.c), in file order."""
    out = []
    for d, rx in (("tests/kernel", KTEST_RE), ("modules", MODULE_CASE_RE)):
        for f in sorted(os.listdir(os.path.join(ROOT, d))):
            if f.endswith(".c"):
                with open(os.path.join(ROOT, d, f)) as fh:
                    out += ["%s.%s" % m for m in rx.findall(fh.read())]
    return out


def wrap(head, names, indent=""):
    """head then `name`, `name`, ... wrapped at 76 columns."""
    lines, line = [], head
    for i, n in enumerate(names):
        word = "`%s`%s" % (n, "," if i < len(names) - 1 else "")
        if len(line) + 1 + len(word) > 76:
            lines.append(line)
            line = indent + word
        else:
            line += " " + word
    return "\n".join(lines + [line])


def names_section(host_names, boot_names):
    """The body of docs/testing.md's "Test names" section, as --list
    prints it."""
    suites = {}
    for full in ktest_cases():
        suite, case = full.split(".")
        suites.setdefault(suite, []).append(case)
    parts = [wrap("Host:", host_names, "  ") + "\n"]
    parts.append("KTAP suites and their cases:\n")
    parts.append("\n".join(wrap("- `%s`:" % s, cases, "  ") for s, cases in suites.items()) + "\n")
    parts.append(wrap("Boots:", boot_names, "  "))
    return "\n".join(parts) + "\n"


def doc_names(text):
    """(host, "suite.case", boots) named in the section of docs/testing.md."""
    start = text.find("\n" + DOC_SECTION + "\n")
    if start < 0:
        return None
    body = text[start + len(DOC_SECTION) + 2:]
    end = re.search(r"^#", body, re.M)
    body = body[:end.start()] if end else body
    host, cases, boots = set(), set(), set()
    # A block is a line at the left margin and its indented continuation.
    for block in re.split(r"\n(?=\S)", body):
        words = re.findall(r"`([^`]+)`", block)
        if block.startswith("Host:"):
            host |= set(words)
        elif block.startswith("Boots:"):
            boots |= set(words)
        elif block.startswith("- ") and words:
            cases |= {"%s.%s" % (words[0], w) for w in words[1:]}
    return host, cases, boots


def doc_names_check(host_names, boot_names):
    """docs/testing.md names exactly the host tests, KTAP cases and boots
    there are: one result."""
    with open(DOC) as fh:
        got = doc_names(fh.read())
    if got is None:
        return [("docs-test-names", False, "docs/testing.md has no '%s' section" % DOC_SECTION)]
    problems = []
    for what, have, want in (("host tests", got[0], set(host_names)),
                             ("KTAP cases", got[1], set(ktest_cases())),
                             ("boots", got[2], set(boot_names))):
        if want - have:
            problems.append("%s missing: %s" % (what, " ".join(sorted(want - have))))
        if have - want:
            problems.append("%s that do not exist: %s" % (what, " ".join(sorted(have - want))))
    if problems:
        problems.append("`python3 tests/harness.py --list` prints the section")
    return [("docs-test-names", not problems, "; ".join(problems) or
             "%d host tests, %d KTAP cases, %d boots" % tuple(map(len, got)))]

