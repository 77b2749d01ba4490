#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""An interactive QEMU session for the tests (docs/testing.md, "Screens
and sessions"): build/usb.img (or a variant with a command line) on the
standard VGA at a chosen resolution, COM1 on a Unix socket for input and
output (its transcript kept raw for the console model, tests/fbmodel.py,
and with escape sequences stripped for matching), and one connection to
QEMU's HMP monitor kept open for sendkey, screendump, info tlb, stop and
cont. QEMU starts stopped (-S) and runs once both sockets are connected,
so the transcript has every byte COM1 sent.

    with Session(workdir, resolution=(1024, 768)) as s:
        s.wait_for(r"^pae32> \\Z")
        s.type_keys("help\\n")
        problems = s.wait_screen()          # [] when the screen is the model's

Timeouts only catch hangs. `./build.sh screenshot` runs

    python3 tests/session.py screenshot [--out PNG]

which writes screenshot.png in docs/ unless told otherwise.
"""

import argparse
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

import fbmodel
import images
import qemu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
WAIT = 600              # seconds before a wait counts as hung (a boot to the prompt fits)
SCREEN_WAIT = 120       # seconds a screen may take to match the model once idle (a hang)
# A CSI sequence (qemu.CSI_RE) cut off at the end of what came so far.
PARTIAL_CSI_RE = re.compile(r"\x1b(\[[\x30-\x3f]*[\x20-\x2f]*)?\Z")
PROMPT = "pae32> "
PROMPT_RE = r"^pae32> \Z"           # the prompt, last in the transcript: idle


class SessionError(RuntimeError):
    pass


# ------------------------------------------------------------ keys

# The US layout as QEMU's sendkey names its keys (QAPI's QKeyCode).
_PUNCT = {"`": "grave_accent", "-": "minus", "=": "equal", "[": "bracket_left",
          "]": "bracket_right", "\\": "backslash", ";": "semicolon", "'": "apostrophe",
          ",": "comma", ".": "dot", "/": "slash"}
_SHIFTED = dict(zip('~!@#$%^&*()_+{}|:"<>?', "`1234567890-=[]\\;',./"))


def _keymap():
    keys = {" ": "spc", "\n": "ret", "\r": "ret", "\b": "backspace", "\x7f": "backspace",
            "\t": "tab", "\x1b": "esc"}
    for c in "abcdefghijklmnopqrstuvwxyz0123456789":
        keys[c] = c
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZ":
        keys[c] = "shift-" + c.lower()
    keys.update(_PUNCT)
    for c, base in _SHIFTED.items():
        keys[c] = "shift-" + keys[base]
    for n in range(1, 27):              # Ctrl-A .. Ctrl-Z, but for the keys above
        keys.setdefault(chr(n), "ctrl-" + chr(ord("a") + n - 1))
    return keys


KEYS = _keymap()
# Keys by name, for press_keys / press_serial, and the bytes a VT100
# terminal sends for each (docs/console.md: what the line editor reads).
SERIAL_KEYS = {"up": "\x1b[A", "down": "\x1b[B", "right": "\x1b[C", "left": "\x1b[D",
               "home": "\x1b[H", "end": "\x1b[F", "delete": "\x1b[3~", "backspace": "\x7f",
               "ret": "\r", "tab": "\t", "esc": "\x1b"}
SERIAL_KEYS.update({"ctrl-" + chr(ord("a") + n - 1): chr(n) for n in range(1, 27)})
NAMED_KEYS = sorted(SERIAL_KEYS)


def key_names():
    """Every QEMU key name the maps use (each must be a QKeyCode)."""
    names = set()
    for combo in list(KEYS.values()) + NAMED_KEYS:
        names.update(combo.split("-"))
    return sorted(names)


# ------------------------------------------------------------ the monitor

class Monitor:
    """One HMP connection on QEMU's monitor socket, kept open; command()
    returns a command's output without QEMU's echo of it. Every command
    and its output go to log_path."""

    def __init__(self, path, alive, log_path, timeout=qemu.HMP_TIMEOUT):
        self.timeout = timeout
        self.sock = _connect(path, alive, timeout)
        self.sock.settimeout(timeout)
        self.buf = b""
        self.log = open(log_path, "w")
        self._until_prompt()                # the banner

    def _until_prompt(self):
        while b"(qemu) " not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise SessionError("QEMU closed its monitor")
            self.buf += chunk
        head, _, self.buf = self.buf.partition(b"(qemu) ")
        return qemu.strip_escapes(head.decode("latin-1"))

    def command(self, line):
        self.sock.sendall(line.encode() + b"\n")
        out = self._until_prompt()
        # The first line is the monitor's echo of what was typed.
        out = out.split("\n", 1)[1] if "\n" in out else ""
        self.log.write("(qemu) %s\n%s" % (line, out))
        self.log.flush()
        return out

    def send_only(self, line):
        """A command whose answer may never come (quit)."""
        self.log.write("(qemu) %s\n" % line)
        self.log.flush()
        self.sock.sendall(line.encode() + b"\n")

    def close(self):
        self.sock.close()
        self.log.close()


def _connect(path, alive, timeout):
    """A connection to the Unix socket QEMU listens on, once it does."""
    deadline = time.monotonic() + timeout
    while True:
        s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        try:
            s.connect(path)
            return s
        except (FileNotFoundError, ConnectionRefusedError):
            s.close()
        if not alive():
            raise SessionError("QEMU exited before it opened %s" % os.path.basename(path))
        if time.monotonic() > deadline:
            raise SessionError("no socket %s after %d s (a hang)" % (path, timeout))
        time.sleep(0.02)


# ------------------------------------------------------------ the session

def vga_args(resolution):
    """The standard VGA; at a resolution, its EDID's preferred mode, with
    the video memory that mode needs (OVMF sets that mode at boot)."""
    if not resolution:
        return ["-vga", "std"]
    w, h = resolution
    mb = 16
    while mb * (1 << 20) < w * h * 4:
        mb *= 2
    return ["-vga", "none", "-device", "VGA,xres=%d,yres=%d%s" % (
        w, h, ",vgamem_mb=%d" % mb if mb > 16 else "")]


class Session:
    """QEMU + OVMF running image (build/usb.img; a copy in workdir when
    cmdline or modules, more files for \\boot\\modules, are given) with
    COM1 on a socket and the monitor open; start() boots, close() (or the
    with block's end) quits QEMU. resolution (width, height) picks the
    VGA's preferred mode and puts video=WxH on the command line (for the
    loader). A guest reset ends QEMU (-no-reboot) unless no_reboot is
    False: then the firmware starts again. Files go to workdir: com1.log (every
    byte the socket brought; QEMU's own logfile= is not used: it logs a
    write again when the socket was full), e9.log, monitor.log (every HMP
    command and its answer), qemu.err, screen.ppm (the last screendump)
    and the PNGs of a failed comparison (screen-N/)."""

    def __init__(self, workdir, image=None, cmdline=None, resolution=None, fw="x64",
                 machine="q35", mem="1G", smp=1, cpu=None, extra=(), modules=(), scale=1,
                 no_reboot=True):
        self.workdir, self.resolution, self.scale = workdir, resolution, scale
        self.no_reboot = no_reboot
        self.fw, self.machine, self.mem, self.smp, self.cpu = fw, machine, mem, smp, cpu
        self.extra = list(extra)
        if resolution:
            cmdline = ("%s video=%dx%d" % (cmdline or "", resolution[0], resolution[1])).strip()
        self.cmdline, self.modules = cmdline, list(modules)
        self.image = image or qemu.IMAGE
        self.proc = self.monitor = self.serial = None
        self._raw = bytearray()
        self._cond = threading.Condition()
        self._eof = False
        self._text, self._text_len = "", 0
        self.mark = 0                   # where the next wait_for starts, in text()
        self.failures = 0               # screen comparisons written out

    # --- start and stop

    def start(self):
        os.makedirs(self.workdir, exist_ok=True)
        if self.cmdline is not None or self.modules:    # a copy of its own
            self.image = images.image_variant("usb", cmdline=self.cmdline, directory=self.workdir,
                                              source=self.image, extra_modules=self.modules)
        # Sockets in a short directory of their own (a Unix socket path
        # has at most 107 bytes).
        self.sockdir = tempfile.mkdtemp(prefix="pae32-session-")
        com1_sock = os.path.join(self.sockdir, "com1")
        mon_sock = os.path.join(self.sockdir, "monitor")
        argv = qemu.command(self.fw, self.machine, self.mem, self.smp, self.cpu, self.image,
                            qemu.fresh_vars(self.fw, os.path.join(self.workdir, "vars.fd")),
                            debugcon=os.path.join(self.workdir, "e9.log"), monitor=mon_sock,
                            extra=["-chardev", "socket,id=com1,path=%s,server=on,wait=off" % com1_sock,
                                   "-serial", "chardev:com1", "-S",
                                   *(["-no-reboot"] if self.no_reboot else []),
                                   *vga_args(self.resolution), *self.extra])
        if shutil.which("setpriv"):     # QEMU dies with the test, even a killed one
            argv = ["setpriv", "--pdeathsig", "KILL", "--"] + argv
        with open(os.path.join(self.workdir, "qemu.err"), "w") as err:
            self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                         stdout=subprocess.DEVNULL, stderr=err)
        try:
            alive = lambda: self.proc.poll() is None
            self.monitor = Monitor(mon_sock, alive, os.path.join(self.workdir, "monitor.log"),
                                   qemu.HMP_TIMEOUT * self.scale)
            self.serial = _connect(com1_sock, alive, qemu.HMP_TIMEOUT * self.scale)
            log = os.path.join(self.workdir, "com1.log")
            open(log, "wb").close()
            self.copier = qemu.copy_socket(self.serial, log)
            self.reader = threading.Thread(target=self._read_serial, args=(log,), daemon=True)
            self.reader.start()
            self.hmp_quiet("cont")
        except BaseException:
            self.close()
            raise
        return self

    def close(self):
        """Quit QEMU (killed if it does not go) and release everything;
        QEMU's exit status."""
        if self.proc and self.proc.poll() is None and self.monitor:
            try:
                self.monitor.send_only("quit")
                self.proc.wait(timeout=60)
            except (OSError, subprocess.TimeoutExpired):
                pass
        if self.proc and self.proc.poll() is None:
            self.proc.kill()
        rc = self.proc.wait() if self.proc else None
        if self.monitor:
            self.monitor.close()
            self.monitor = None
        if self.serial:
            # QEMU is gone: the copier takes what is left, up to the end.
            try:
                self.copier.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.copier.kill()
                self.copier.wait()
            self.reader.join(timeout=60)
            self.serial.close()
            self.serial = None
        if getattr(self, "sockdir", None):
            shutil.rmtree(self.sockdir, ignore_errors=True)
            self.sockdir = None
        return rc

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.close()

    def alive(self):
        return self.proc is not None and self.proc.poll() is None

    def wait_exit(self, timeout=None):
        """QEMU's exit status once it exits by itself; SessionError after
        timeout seconds (a hang)."""
        timeout = (timeout or WAIT) * self.scale
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            raise SessionError("QEMU still running after %d s (a hang)" % timeout)

    # --- COM1

    def _read_serial(self, path):
        """com1.log as the copier writes it, into raw(); the end of file
        once the copier has copied the socket's last byte and ended."""
        with open(path, "rb") as log:
            while True:
                done = self.copier.poll() is not None
                chunk = log.read()
                with self._cond:
                    if chunk:
                        self._raw += chunk
                    elif done:
                        self._eof = True
                    self._cond.notify_all()
                    if self._eof:
                        return
                if not chunk:
                    time.sleep(0.02)

    def _why_ended(self):
        """Why COM1 ended: QEMU's exit (it closes the socket as it goes)."""
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return "COM1 closed, QEMU still running"
        return "QEMU exited (status %d)" % self.proc.returncode

    def raw(self):
        """Every byte COM1 has sent so far (for the model)."""
        with self._cond:
            return bytes(self._raw)

    def text(self):
        """The transcript for matching: Latin-1, CSI sequences and CRs stripped."""
        with self._cond:
            if self._text_len != len(self._raw):
                self._text = qemu.strip_escapes(self._raw.decode("latin-1"))
                self._text_len = len(self._raw)
            return self._text

    def mark_now(self):
        """The next wait_for looks only at what comes after this."""
        self.mark = len(self.text())

    def wait_for(self, regex, timeout=None, since=None):
        """The first match of regex (a string, ^ and $ per line) in text()
        from since (default: the end of the last match, or mark_now());
        the next wait starts at its end. SessionError when QEMU ends
        first or after timeout seconds (a hang)."""
        rx = re.compile(regex, re.M) if isinstance(regex, str) else regex
        timeout = (timeout or WAIT) * self.scale
        deadline = time.monotonic() + timeout
        start = self.mark if since is None else since
        with self._cond:
            while True:
                text = self.text()
                m = rx.search(text, start)
                if m:
                    self.mark = m.end()
                    return m
                # QEMU's exit closes the socket: the end of file comes
                # after the last byte, so nothing it sent is missed.
                if self._eof:
                    why = self._why_ended()
                    break
                if time.monotonic() > deadline:
                    why = "not there after %d s (a hang)" % timeout
                    break
                if qemu.CANCEL.is_set():
                    why = "cancelled"
                    break
                self._cond.wait(0.5)
        tail = [l for l in text[start:].split("\n") if l.strip()][-1:]
        raise SessionError("/%s/: %s; the transcript ends: %s" % (
            rx.pattern, why, repr(tail[0][-120:]) if tail else "(nothing new)"))

    def wait_until(self, predicate, what, timeout=None):
        """Until predicate() holds, asked again whenever COM1 sends more;
        SessionError naming what when QEMU ends first or after timeout
        seconds (a hang)."""
        timeout = (timeout or WAIT) * self.scale
        deadline = time.monotonic() + timeout
        with self._cond:
            while not predicate():
                if self._eof:
                    raise SessionError("%s: %s first" % (what, self._why_ended()))
                if time.monotonic() > deadline:
                    raise SessionError("%s: not after %d s (a hang)" % (what, timeout))
                if qemu.CANCEL.is_set():
                    raise SessionError("%s: cancelled" % what)
                self._cond.wait(0.5)

    def wait_idle(self, timeout=None):
        """Until the prompt is the last thing COM1 sent (the line editor
        waits for a key)."""
        return self.wait_for(PROMPT_RE, timeout, since=0)

    def _wait_echo(self, length, ch, timeout=None):
        """Until COM1 has sent something after its first length bytes:
        ch (outside escape sequences) when ch is printable, else anything.
        A key's own echo shows that the guest took it off QEMU's PS/2
        queue (16 bytes: typed blind, keys would be lost)."""
        timeout = (timeout or qemu.HMP_TIMEOUT) * self.scale
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                if not (ch and " " <= ch <= "~"):
                    if len(self._raw) > length:
                        return
                elif ch in PARTIAL_CSI_RE.sub("", qemu.strip_escapes(
                        self._raw[length:].decode("latin-1"))):
                    return
                if not self.alive() or time.monotonic() > deadline:
                    raise SessionError("no echo of %r on COM1 (%s)" % (
                        ch, "QEMU exited" if not self.alive() else "%d s: a hang" % timeout))
                self._cond.wait(0.5)

    def type_serial(self, text):
        """Bytes into COM1 as a terminal types them (Enter is \\r)."""
        self.serial.sendall(text.encode("latin-1"))

    def press_serial(self, *names):
        """Named keys (NAMED_KEYS) as a VT100 terminal sends them."""
        for n in names:
            if n not in SERIAL_KEYS:
                raise ValueError("no key named %r (%s)" % (n, " ".join(NAMED_KEYS)))
            self.type_serial(SERIAL_KEYS[n])

    # --- the monitor

    def hmp(self, line):
        """One HMP command's output."""
        return self.monitor.command(line)

    def hmp_quiet(self, line):
        """An HMP command that prints nothing when it works."""
        out = self.hmp(line)
        if out.strip():
            raise SessionError("%s: %s" % (line, out.strip().splitlines()[0]))

    def sendkey(self, combo):
        """One key through QEMU's keyboard (PS/2 on q35 and pc)."""
        self.hmp_quiet("sendkey " + combo)

    def type_keys(self, text, echo=False):
        """Each character of text as a key press of the US layout (KEYS),
        one sendkey each; with echo, each waits for the guest's echo of
        it on COM1 (the character itself, or anything for a control key)
        before the next."""
        for ch in text:
            if ch not in KEYS:
                raise ValueError("no key types %r" % ch)
        for ch in text:
            self._key(KEYS[ch], ch, echo)

    def press_keys(self, *names, echo=False):
        """Named keys (NAMED_KEYS: up, ctrl-u, ...) through sendkey; with
        echo, each waits until COM1 sends something back."""
        for n in names:
            if n not in SERIAL_KEYS:
                raise ValueError("no key named %r (%s)" % (n, " ".join(NAMED_KEYS)))
        for n in names:
            self._key(n, None, echo)

    def _key(self, combo, ch, echo):
        length = len(self.raw())
        self.sendkey(combo)
        if echo:
            self._wait_echo(length, ch)

    def screendump(self):
        """The screen now, as an fbmodel.Image (QEMU writes screen.ppm)."""
        path = os.path.join(self.workdir, "screen.ppm")
        if os.path.exists(path):
            os.unlink(path)
        self.hmp_quiet("screendump " + path)
        return fbmodel.read_ppm(path)

    def info_tlb(self):
        """QEMU's info tlb with every CPU stopped."""
        self.hmp_quiet("stop")
        try:
            return self.hmp("info tlb")
        finally:
            self.hmp_quiet("cont")

    # --- the screen

    def expected(self, width=None, height=None):
        """The model's picture of COM1's transcript so far at the session's
        resolution (or width x height)."""
        if width is None:
            width, height = self.resolution
        return fbmodel.expected_screen(self.raw(), width, height)

    def wait_screen(self, expected=None, timeout=None):
        """Screendumps until one equals expected (an fbmodel.Picture;
        default: the model of the transcript so far, at the session's
        resolution or else the screen's size). The console draws lazily,
        so the first screens may lag; the timeout only catches a hang.
        Returns [] or the problems of the last screendump (its pictures
        written to workdir/screen-N/)."""
        timeout = (timeout or SCREEN_WAIT) * self.scale
        deadline = time.monotonic() + timeout
        while True:
            img = self.screendump()
            pic = expected
            if pic is None:
                w, h = self.resolution or (img.width, img.height)
                pic = self.expected(w, h)
            problems = fbmodel.compare(pic, img)
            if not problems:
                return []
            if time.monotonic() > deadline or not self.alive() or qemu.CANCEL.is_set():
                break
            time.sleep(0.5)
        self.failures += 1
        outdir = os.path.join(self.workdir, "screen-%d" % self.failures)
        os.makedirs(outdir, exist_ok=True)
        return ["the screen differs from the model after %d s of screendumps" % timeout] + \
            fbmodel.compare(pic, img, outdir)


# ------------------------------------------------------------ ./build.sh screenshot

def screenshot(out, image, workdir, timeout):
    """Boot image to the prompt, wait until the screen is the model's
    picture of the transcript, write it to out as PNG. Exit status."""
    with Session(workdir, image=image) as s:
        try:
            s.wait_idle(timeout)
        except SessionError as e:
            print("session.py: screenshot: no prompt '%s' (%s); logs in %s" % (
                PROMPT, e, os.path.relpath(workdir, ROOT)), file=sys.stderr)
            return 1
        problems = s.wait_screen()
        img = s.screendump()            # the one written: equal to the model's too
        problems = problems or fbmodel.compare(s.expected(img.width, img.height), img)
    if problems:
        print("session.py: screenshot: the screen is not the model's picture of COM1; "
              "%s not written:\n  %s" % (out, "\n  ".join(problems)), file=sys.stderr)
        return 1
    fbmodel.write_png(out, img, level=9)        # it goes into the repository
    shown = os.path.relpath(out, ROOT) if out.startswith(ROOT + os.sep) else out
    print("session.py: wrote %s (%dx%d)" % (shown, img.width, img.height))
    return 0


def main(argv):
    ap = argparse.ArgumentParser(prog="tests/session.py", description="QEMU sessions for the tests.")
    sub = ap.add_subparsers(dest="cmd", required=True)
    sp = sub.add_parser("screenshot", help="boot to the prompt, write the screen as PNG")
    sp.add_argument("--out", default=os.path.join(ROOT, "docs", "screenshot.png"),
                    help="the PNG to write (screenshot.png in docs/)")
    sp.add_argument("--image", default=qemu.IMAGE)
    sp.add_argument("--workdir", default=os.path.join(ROOT, "build", "screenshot"))
    sp.add_argument("--timeout", type=int, default=WAIT, help="seconds to the prompt (a hang)")
    args = ap.parse_args(argv)
    if not os.path.exists(args.image):
        ap.error("no image %s (./build.sh builds build/usb.img)" % args.image)
    return screenshot(args.out, args.image, args.workdir, args.timeout)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
