#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The scripted screen and keyboard sessions (docs/testing.md, "Screens
and sessions"): QEMU sessions (tests/session.py) whose screendumps must
equal the console model's picture of COM1 (tests/fbmodel.py) and whose
monitor commands must agree with what QEMU sees of the kernel.

PENDING: each session needs a part of the kernel this tree may not have
yet, "fbcon" (the framebuffer console) or "monitor" (the keyboard, the
line editor and the monitor's commands); tests/harness.py runs the
sessions whose need is not in PENDING. The commands' output formats are
not fixed yet either: each is read by one small parse_* function below,
the only place to adapt.

    python3 tests/screenchecks.py [--image IMG] [NAME...]   # by hand, pending or not
    SESSIONS: {name: (need, fn(workdir, scale, image, out))}, fn appending
        (name, ok, detail) to out
    run_session(name, workdir, scale, image=None) -> [(name, ok, detail)]
"""

import os
import re
import sys

import images
import oracles
import session

PENDING = set()

# An 8x16 grid with a 10-pixel strip below it, and the 16x32 font.
RESOLUTIONS = ((1400, 1050), (2560, 1440))
KEYBOARD_RESOLUTION = (1024, 768)
WALK_ADDR, WALK_PHYS = 0xC1000000, 0x1000000     # the kernel's first page
STEP = 300              # seconds for one command at the prompt (a hang)
COLOUR_SUITE = "string.*"   # a quick ktest run: its ok words are green


# ------------------------------------------------------------ the commands' output

def parse_help(out):
    """The command names `help` lists: each line's first word."""
    return set(re.findall(r"^\s*([a-z_][\w-]*)", out, re.M))


WALK_FLAGS = ("P", "RW", "US", "PWT", "PCD", "A", "D", "PS", "G", "NX")


def parse_walk(out):
    """`walk ADDR`: (the physical address reached, the flags of the last
    entry, the one that maps the page). The address: the last hex number
    after "phys"; the flags: the flag words on the last PTE/PMD line.
    None for what is not there."""
    phys = re.findall(r"phys\w*(?:\s+addr\w*)?\s*[:=]?\s*(0x[0-9a-fA-F]+)", out)
    entries = [l for l in out.splitlines() if re.search(r"\b(PTE|PMD|pte|pmd)\b", l)]
    flags = None
    if entries:
        flags = {w for w in re.findall(r"\b[A-Z]{1,3}\b", entries[-1]) if w in WALK_FLAGS}
    return (int(phys[-1], 16) if phys else None), flags


def parse_pkmap_flushes(out):
    """`pkmap`: the global flushes so far ("since boot: 1 wraps, 1 global
    flushes, ...")."""
    m = re.search(r"\bflush(?:es)?\s*[:=]?\s*(\d+)|(\d+)\s+(?:global\s+)?flush(?:es)?\b", out)
    return int(m.group(1) or m.group(2)) if m else None


def parse_kmap_flushes(out):
    """`kmap N`: the global flushes its summary line counts ("kmap: 600
    pairs, 1 wrap, 1 global flush (1 since boot), ...")."""
    m = re.search(r"^kmap: .*?\b(\d+) global flush", out, re.M)
    return int(m.group(1)) if m else None


# QEMU's info tlb flag letters (oracles.INFO_TLB_RE) as walk's words.
TLB_FLAGS = {"X": "NX", "G": "G", "P": "PS", "D": "D", "A": "A", "C": "PCD", "T": "PWT",
             "U": "US", "W": "RW"}


def tlb_entry(info_tlb, va):
    """(the physical address of va, the leaf entry's flags as walk's
    words but P) from QEMU's info tlb; None when va is not mapped."""
    for addr, frame, letters in oracles.INFO_TLB_RE.findall(info_tlb):
        a = int(addr, 16)
        size = 2 << 20 if letters[2] == "P" else 4096
        if a <= va < a + size:
            flags = {TLB_FLAGS[c] for c in letters if c != "-"}
            return (int(frame, 16) & 0x000FFFFFFFFFF000 & ~(size - 1)) + va - a, flags
    return None


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
        text = self.s.text()[start:]
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
    """The monitor driven through the keyboard (sendkey) or COM1: help,
    walk against QEMU's info tlb, kmap 600 against pkmap's flush count,
    a typo, the editing keys and history recall; the screen is the
    model's picture of COM1 after each step."""

    def run(workdir, scale, image, out):
        w, h = KEYBOARD_RESOLUTION
        with session.Session(workdir, image=image, resolution=KEYBOARD_RESOLUTION,
                             scale=scale) as s:
            s.wait_idle()
            t = Typist(s, via)

            def screen(step):
                problems = s.wait_screen()
                out.append(("screen after " + step, not problems, "; ".join(problems) or
                            "the model's picture"))

            def check(name, ok, detail):
                out.append((name, bool(ok), detail))

            before = parse_pkmap_flushes(t.command("pkmap"))
            names = parse_help(t.command("help"))
            missing = {"help", "walk", "kmap", "pkmap"} - names
            check("help", not missing, "missing: %s" % " ".join(sorted(missing)) if missing
                  else "%d commands listed" % len(names))
            screen("help")

            phys, flags = parse_walk(t.command("walk %#x" % WALK_ADDR))
            tlb = tlb_entry(s.info_tlb(), WALK_ADDR)
            check("walk", phys == WALK_PHYS and tlb is not None and phys == tlb[0] and
                  flags is not None and flags - {"P"} == tlb[1],
                  "walk %#x: phys %s flags %s; info tlb: %s" % (
                      WALK_ADDR, hex(phys) if phys is not None else None,
                      " ".join(sorted(flags)) if flags is not None else None,
                      "%#x %s" % (tlb[0], " ".join(sorted(tlb[1]))) if tlb else "not mapped"))
            screen("walk")

            shown = parse_kmap_flushes(t.command("kmap 600"))
            after = parse_pkmap_flushes(t.command("pkmap"))
            check("kmap-flushes", before is not None and after == before + 1 and shown == 1,
                  "pkmap flushes %s before kmap 600, %s after; kmap counted %s" % (
                      before, after, shown))
            screen("kmap and pkmap")

            typo = t.command("hepl").strip().splitlines()
            check("typo", len(typo) == 1 and "hepl" in typo[0], "hepl: %r" % typo)

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
            check("editing", True, "Backspace, Ctrl-U, Ctrl-C")
            screen("editing")

            # Up recalls the last lines: hepl, then pkmap; Enter runs it again.
            t.press("up")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> hepl", 11), "Up once", STEP)
            t.press("up")
            s.wait_until(lambda: prompt_line(s, w, h) == ("pae32> pkmap", 12), "Up twice", STEP)
            s.mark_now()
            start = s.mark
            t.press("ret")
            s.wait_for(session.PROMPT_RE, STEP)
            again = parse_pkmap_flushes(s.text()[start:])
            check("history", again == after, "Up Up Enter ran pkmap: flushes %s (want %s)" % (
                again, after))
            screen("history")
    return run


SESSIONS = {}
for r in RESOLUTIONS:
    SESSIONS["screen-x64-%dx%d" % r] = ("fbcon", screen_session(r))
for r in RESOLUTIONS:
    SESSIONS["prompt-x64-%dx%d" % r] = ("monitor", prompt_session(r))
SESSIONS["keyboard-x64-sendkey"] = ("monitor", keyboard_session("keys"))
SESSIONS["keyboard-x64-serial"] = ("monitor", keyboard_session("serial"))


def ready():
    """The sessions whose need the tree has (not in PENDING)."""
    return [n for n, (need, _) in SESSIONS.items() if need not in PENDING]


def run_session(name, workdir, scale=1, image=None):
    """SESSIONS[name] in workdir (on image, build/usb.img by default): its
    checks, a session that broke down being one failure after the checks
    it reached."""
    out = []
    try:
        SESSIONS[name][1](workdir, scale, image, out)
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
