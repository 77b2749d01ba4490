#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""The plumbing of tests/session.py against QEMU and OVMF (docs/testing.md,
"Screens and sessions"), independent of what the kernel does at the end
of its boot:

  - keymap: every key name the session sends is a QKeyCode of this QEMU
    (its QMP schema), every printable ASCII character has its own key;
  - com1-socket: a kernel boot's COM1 through the socket, from the
    banner to `boot complete` and on, is what port 0xE9 received, byte
    for byte (CR LF there, LF here);
  - screendump: at a chosen resolution (the VGA's preferred mode) the
    loader reports that framebuffer and the screendump has its size;
  - sendkey-*: at the firmware's shell (an image without a loader), keys
    typed with sendkey arrive as typed: all of printable ASCII, the
    editing keys (Left, Backspace, Delete, Home, End) and Up (history),
    judged on the model's picture of the shell's COM1 output, and the
    screen changes with them;
  - serial-input: a command typed into the COM1 socket runs.

    python3 tests/test_session.py     # exit status 1 on a failure
    run_checks(workdir) -> [(name, ok, detail)]
"""

import json
import os
import re
import subprocess
import sys
import threading

import fbmodel
import images
import qemu
import session

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SHELL_PROMPT = r"Shell> "
BOOT_MANAGER = r"Press any key to enter the Boot Manager Menu"
FB_RE = r"^loader: framebuffer (\d+)x(\d+),"
RESOLUTION = (1024, 768)                # not OVMF's default (1280x800)
STEP = 120              # seconds for the shell to answer once it runs (a hang)


def qkeycodes():
    """The key names QEMU accepts (QAPI enum QKeyCode), from its QMP schema.
    QEMU is stopped once the schema has come: a "quit" sent with it could
    end QEMU before the 100 KB reply left its pipe."""
    p = subprocess.Popen([qemu.QEMU, "-machine", "none", "-display", "none", "-nodefaults",
                          "-qmp", "stdio"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL, text=True)
    hang = threading.Timer(qemu.HMP_TIMEOUT, p.kill)     # a hang only
    hang.start()
    try:
        p.stdin.write('{"execute":"qmp_capabilities"}\n{"execute":"query-qmp-schema"}\n')
        p.stdin.flush()
        for line in p.stdout:
            try:
                reply = json.loads(line).get("return")
            except ValueError:
                continue
            if not isinstance(reply, list):
                continue
            for t in reply:
                names = [m["name"] for m in t.get("members", ())] if t.get("meta-type") == "enum" else []
                if "bracket_left" in names and "kp_enter" in names:
                    return set(names)
            break
    finally:
        hang.cancel()
        p.kill()
        p.wait()
    raise RuntimeError("no QKeyCode enum in QEMU's QMP schema")


def check_keymap():
    valid = qkeycodes()
    bad = [n for n in session.key_names() if n not in valid]
    printable = [chr(c) for c in range(0x20, 0x7F)]
    missing = [c for c in printable if c not in session.KEYS]
    combos = [session.KEYS[c] for c in printable if c in session.KEYS]
    shared = sorted({c for c in combos if combos.count(c) > 1})
    ok = not bad and not missing and not shared
    return ok, "; ".join(filter(None, [
        "not QEMU key names: " + " ".join(bad) if bad else "",
        "no key for " + repr("".join(missing)) if missing else "",
        "keys typing two characters: " + " ".join(shared) if shared else ""])) or \
        "%d key names, all QKeyCodes; 95 printable characters, 95 keys" % len(session.key_names())


def model(s):
    """The shell's COM1 screen through the model (OVMF's terminal: 80x25)."""
    return fbmodel.Terminal(80, 25).feed(s.raw())


def prompt_state(s):
    """(the last prompt row of the shell's screen, the cursor's column)."""
    t = model(s)
    rows = [r for r, l in enumerate(t.lines()) if l.startswith("Shell>")]
    return (t.lines()[rows[-1]].rstrip(), t.col) if rows else (None, None)


def key_until(s, key, line, col):
    """A named key, then until the prompt row reads line with the cursor
    at col (7 + the line's position): the shell took that key."""
    s.press_keys(key)
    s.wait_until(lambda: prompt_state(s) == (line, col),
                 "%s: prompt row %r, cursor at %d (it is %r)" % (key, line, col, prompt_state(s)), STEP)


def attempt(out, name, steps, detail):
    """A check made of session steps: ok with detail when steps() runs
    through, else failed with the step's complaint."""
    try:
        steps()
        out.append((name, True, detail))
    except session.SessionError as e:
        out.append((name, False, str(e)))


def kernel_checks(workdir, scale):
    out = []
    with session.Session(workdir, resolution=RESOLUTION, scale=scale) as s:
        m = s.wait_for(FB_RE)
        fb = (int(m.group(1)), int(m.group(2)))
        s.hmp_quiet("stop")
        img = s.screendump()
        colours = len(set(bytes(img.data[i:i + 3]) for i in range(0, len(img.data), 3 * 97)))
        out.append(("screendump", fb == RESOLUTION and (img.width, img.height) == fb and colours > 1,
                    "asked %dx%d, loader's framebuffer %dx%d, screendump %dx%d, %d colours sampled"
                    % (RESOLUTION + fb + (img.width, img.height, colours))))
        # The firmware's screen is no picture of the model: wait_screen
        # must say so, with the cells and the pictures (the machine is
        # stopped, so one second is no verdict on speed).
        pic = fbmodel.Picture(b"pae32 kernel", *fb)
        problems = s.wait_screen(pic, timeout=1)
        pngs = os.path.join(workdir, "screen-1")
        try:
            shown = fbmodel.parse_png(open(os.path.join(pngs, "actual.png"), "rb").read())
            expected_png = fbmodel.parse_png(open(os.path.join(pngs, "expected.png"), "rb").read())
        except (OSError, ValueError) as e:
            shown = expected_png = None
            problems.append("pictures: %s" % e)
        ok = (len(problems) >= 3 and re.match(r"\d+ of 128x48 cells differ", problems[1] or "")
              and problems[2].startswith("row 0 col 0: expected 'p'") and shown == img
              and expected_png == pic.image)
        out.append(("screen-mismatch", bool(ok), " | ".join(problems[:3])))
        s.hmp_quiet("cont")
        s.wait_for(r"^pae32 kernel ")
        s.wait_for(r"^boot complete$")
        rc = s.close()
        stream = fbmodel.kernel_stream(s.raw()) or b""
    # Port 0xE9 got the same bytes from the banner on, with \n line ends
    # (and maybe a few more: COM1 is slower, and QEMU quits when told).
    with open(os.path.join(workdir, "e9.log"), "rb") as fh:
        e9 = fh.read()
    com1 = stream.replace(b"\r\n", b"\n")
    com1 = com1[:-1] if com1.endswith(b"\r") else com1
    same = e9.startswith(com1)
    out.append(("com1-socket", same and b"\nboot complete\n" in com1,
                "%d bytes from the banner on through the socket, %s the %d on port 0xE9; "
                "QEMU status %s" % (len(com1), "the first of" if same else "NOT the first of",
                                    len(e9), rc)))
    return out


def shell_checks(workdir, scale):
    out = []
    # No loader on the stick: the firmware goes on to its shell.
    image = images.image_variant("no-loader", directory=workdir)
    images.mdel(image, "::/EFI/BOOT/BOOTX64.EFI")
    with session.Session(workdir, image=image, mem="256M", scale=scale) as s:
        if s.wait_for(SHELL_PROMPT + "|" + BOOT_MANAGER).group(0) != SHELL_PROMPT:
            raise session.SessionError("the firmware did not start its shell: %s" % BOOT_MANAGER)
        s.wait_until(lambda: prompt_state(s) == ("Shell>", 7), "the first prompt", STEP)
        before = s.screendump()
        printable = "".join(chr(c) for c in range(0x20, 0x7F))
        got = []
        for part in (printable[:48], printable[48:]):
            s.type_keys(part, echo=True)
            want = ("Shell> " + part, 7 + len(part))
            try:
                s.wait_until(lambda: prompt_state(s) == want, "typed %r" % part, STEP)
            except session.SessionError:
                pass
            got.append(prompt_state(s)[0])
            key_until(s, "esc", "Shell>", 7)             # the shell clears the line
        want = ["Shell> " + printable[:48], "Shell> " + printable[48:]]
        out.append(("sendkey-printable", got == want, "prompt rows %r%s" % (
            got, "" if got == want else ", want %r" % want)))
        s.type_keys("abcd", echo=True)
        after = s.screendump()
        out.append(("sendkey-screen", after != before and (after.width, after.height) ==
                    (before.width, before.height),
                    "the screen %s with the keys (%dx%d)" % (
                        "changed" if after != before else "did NOT change", after.width,
                        after.height)))
        def editing():
            s.wait_until(lambda: prompt_state(s) == ("Shell> abcd", 11), "typed abcd", STEP)
            for key, line, col in [("left", "Shell> abcd", 10), ("left", "Shell> abcd", 9),
                                   ("backspace", "Shell> acd", 8), ("delete", "Shell> ad", 8),
                                   ("home", "Shell> ad", 7)]:
                key_until(s, key, line, col)
            s.type_keys("x", echo=True)
            key_until(s, "end", "Shell> xad", 10)
            s.type_keys("y", echo=True)
            s.wait_until(lambda: prompt_state(s) == ("Shell> xady", 11), "typed y", STEP)

        attempt(out, "sendkey-editing", editing,
                "abcd Left Left Backspace Delete Home x End y: 'Shell> xady'")
        key_until(s, "esc", "Shell>", 7)
        s.mark_now()
        s.type_keys("ver\n", echo=True)
        s.wait_for(r"^UEFI Interactive Shell v", STEP)
        s.wait_until(lambda: prompt_state(s) == ("Shell>", 7), "the prompt after ver", STEP)
        attempt(out, "sendkey-history", lambda: key_until(s, "up", "Shell> ver", 10),
                "ver Enter, then Up: 'Shell> ver'")
        key_until(s, "esc", "Shell>", 7)
        s.mark_now()
        s.type_serial("ver\r")
        m = s.wait_for(r"^UEFI Interactive Shell v[\d.]+$", STEP)
        out.append(("serial-input", bool(m), "'ver' typed into the COM1 socket: %r" % m.group(0)))
    return out


def run_checks(workdir=None, scale=1):
    """Every check's (name, ok, detail); a session that breaks down is a
    failure of the checks it had not reached."""
    workdir = workdir or os.path.join(images.TESTDIR, "run-session-x64")
    results = []
    for name, fn in (("keymap", None), ("kernel", kernel_checks), ("shell", shell_checks)):
        try:
            if fn is None:
                ok, detail = check_keymap()
                results.append((name, ok, detail))
            else:
                results += fn(os.path.join(workdir, name), scale)
        except (session.SessionError, RuntimeError, OSError, ValueError) as e:
            results.append((name, False, "%s: %s" % (type(e).__name__, e)))
    return results


def main():
    results = run_checks()
    for name, ok, detail in results:
        print("%-4s %-18s %s" % ("ok" if ok else "FAIL", name, detail))
    failed = sum(not ok for _, ok, _ in results)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
