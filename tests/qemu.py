#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""QEMU with OVMF for pae32: the one place that knows the command line
(firmware files, a fresh copy of the variables, what IA32 OVMF needs, the
devices the kernel and the harness rely on; docs/emulators.md), a boot run
with a hang timeout scaled to the machine, and the HMP monitor.

./build.sh (run, debug, layout, bench) uses it as a command that checks
its arguments and execs QEMU; the harness, tests/test_gdb.py and the layout
command use command() from Python.

    python3 tests/qemu.py [--fw x64|ia32] [--machine q35|pc] [--mem SIZE]
        [--smp N] [--cpu MODEL] [--image IMG] [--debugcon FILE]
        [--print | --check] [-- QEMU-ARGS...]

A bad argument gets a message naming it and exit status 2; --print prints
the command line instead of running it, --check only checks the arguments.
"""

import argparse
import os
import re
import shlex
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
IMAGE = os.path.join(ROOT, "build", "usb.img")
QEMU = "qemu-system-x86_64"
OVMF_DIR = "/usr/share/OVMF"

# Per firmware: the code (read-only flash), the variables template (copied
# fresh for every run) and the -machine arguments for each machine it runs
# on. IA32 OVMF (the secboot build, the only one that starts) needs SMM and
# the secure flash, and hangs silently on pc or without SMM; with S3
# enabled it keeps [0x810000, 0x1710000) as ACPI NVS, over the 16 MiB the
# kernel is linked for, so S3 is off and the kernel stays there (the row
# hostile-firmware-ia32-s3 turns it on again and the loader moves the
# kernel; docs/emulators.md).
FIRMWARE = {
    "x64": {
        "code": OVMF_DIR + "/OVMF_CODE_4M.fd",
        "vars": OVMF_DIR + "/OVMF_VARS_4M.fd",
        "machines": {"q35": ["-machine", "q35"], "pc": ["-machine", "pc"]},
    },
    "ia32": {
        "code": OVMF_DIR + "/OVMF32_CODE_4M.secboot.fd",
        "vars": OVMF_DIR + "/OVMF32_VARS_4M.fd",
        "machines": {"q35": ["-machine", "q35,smm=on",
                             "-global", "driver=cfi.pflash01,property=secure,value=on",
                             "-global", "ICH9-LPC.disable_s3=1"]},
    },
}

# What -m takes here: a whole number of MiB (no suffix, as QEMU reads it)
# or of MiB/GiB with M or G.
SIZE_RE = re.compile(r"^([1-9][0-9]*)([MmGg]?)$")
MAX_SMP = 255


def mem_bytes(text):
    """The bytes of a -m size; ValueError naming the text otherwise."""
    m = SIZE_RE.match(text or "")
    if not m:
        raise ValueError("memory size '%s' is not N, NM or NG (N a whole number > 0)" % text)
    return int(m.group(1)) << (30 if m.group(2).upper() == "G" else 20)


def check(fw, machine, mem, smp):
    """ValueError naming the first argument QEMU + OVMF cannot boot."""
    if fw not in FIRMWARE:
        raise ValueError("firmware '%s' is not one of %s" % (fw, ", ".join(FIRMWARE)))
    if machine not in FIRMWARE[fw]["machines"]:
        raise ValueError("%s firmware does not run on machine '%s' (only %s)" % (
            fw, machine, ", ".join(FIRMWARE[fw]["machines"])))
    mem_bytes(mem)
    if not (isinstance(smp, int) and 1 <= smp <= MAX_SMP):
        raise ValueError("CPU count '%s' is not 1..%d" % (smp, MAX_SMP))


def command(fw="x64", machine="q35", mem="1G", smp=1, cpu=None, image=IMAGE,
            vars_file=None, debugcon=None, monitor=None, extra=()):
    """QEMU's argv: firmware fw on machine with mem and smp CPUs (cpu model
    when given), the USB image as a snapshot disk first in boot order,
    isa-debug-exit at 0xF4, no network, no display; the port 0xE9 console
    to the file debugcon and the HMP monitor on the Unix socket monitor
    when given; then extra. vars_file is a fresh copy of the variables
    (fresh_vars)."""
    check(fw, machine, mem, smp)
    fwinfo = FIRMWARE[fw]
    argv = [QEMU, "-accel", "tcg", *fwinfo["machines"][machine],
            *(["-cpu", cpu] if cpu else []),
            "-m", mem, "-smp", str(smp), "-nic", "none",
            "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=" + fwinfo["code"],
            "-drive", "if=pflash,format=raw,unit=1,file=" + vars_file,
            "-drive", "if=none,id=usb,format=raw,snapshot=on,file=" + image,
            "-device", "ide-hd,drive=usb,bootindex=0",
            "-device", "isa-debug-exit,iobase=0xf4,iosize=0x04",
            "-display", "none"]
    if debugcon:
        argv += ["-chardev", "file,id=e9,path=" + debugcon,
                 "-device", "isa-debugcon,iobase=0xe9,chardev=e9"]
    if monitor:
        argv += ["-monitor", "unix:%s,server,nowait" % monitor]
    return argv + list(extra)


def fresh_vars(fw, path):
    """Copy fw's variables template to path (OVMF writes its variables)."""
    with open(FIRMWARE[fw]["vars"], "rb") as src, open(path, "wb") as dst:
        dst.write(src.read())
    return path


def hang_timeout(mem="1G", smp=1, fw="x64", scale=1.0):
    """Seconds after which a boot counts as hung: never a verdict on speed,
    so minutes: 10 minutes, a minute more per GiB (the tests walk every
    frame) and per extra CPU (TCG runs vCPUs on few host cores), half as
    much again on IA32 firmware (slower to start); times scale (the
    harness's --stress)."""
    gib = mem_bytes(mem) / (1 << 30)
    secs = 600 + 60 * gib + 60 * (smp - 1)
    if fw == "ia32":
        secs *= 1.5
    return secs * scale


# ------------------------------------------------------------ a boot run

# An ECMA-48 control sequence: ESC [, parameter bytes, intermediate
# bytes, a final byte. The kernel colours its log with SGR (ESC [ ... m;
# docs/console.md), OVMF clears its screen with others.
CSI_RE = re.compile(r"\x1b\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]")


# OVMF's first line on COM1 as it boots the stick, which a restart prints again.
FIRMWARE_START_RE = re.compile(r"BdsDxe: loading Boot\d+ ")


def strip_escapes(text):
    """text without its control sequences (and CRs): what a reader sees."""
    return CSI_RE.sub("", text).replace("\r", "")


def read_text(path):
    """A console log as text (latin-1, no CRs, no control sequences such
    as the kernel's colours); empty if not there yet."""
    try:
        with open(path, "rb") as fh:
            return strip_escapes(fh.read().decode("latin-1"))
    except FileNotFoundError:
        return ""


HANG_CONNECT = 300      # seconds for QEMU to offer a socket (a hang)

# Set when the harness is told to stop: every run kills its QEMU.
CANCEL = threading.Event()


def run(argv, timeout, stderr_path, poll=None, interval=0.05):
    """Run QEMU until it exits, poll(elapsed) returns True (it is killed:
    the caller has what it waited for), timeout seconds pass or CANCEL is
    set (killed). Returns (exit status, "stopped", "timeout" or
    "cancelled"; seconds)."""
    start = time.monotonic()
    if CANCEL.is_set():
        return "cancelled", 0.0
    # QEMU dies with the harness, even a killed one (a boot paused at a
    # checkpoint would wait for its NMI for ever).
    if shutil.which("setpriv"):
        argv = ["setpriv", "--pdeathsig", "KILL", "--"] + list(argv)
    with open(stderr_path, "w") as err:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=err)
    try:
        while True:
            rc = proc.poll()
            now = time.monotonic() - start
            if poll is not None and poll(now) and rc is None:
                rc = "stopped"
            if rc is None and now > timeout:
                rc = "timeout"
            if rc is None and CANCEL.is_set():
                rc = "cancelled"
            if rc is not None:
                return rc, time.monotonic() - start
            time.sleep(interval)
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


# ------------------------------------------------------------ COM1 as a socket

def serial_socket_args(path):
    """QEMU arguments for COM1 on a Unix socket at path that QEMU serves
    and waits on: the guest starts once SerialSocket has connected, so no
    byte is lost."""
    return ["-chardev", "socket,id=com1,path=%s,server=on,wait=on" % path,
            "-serial", "chardev:com1"]


# The copier of copy_socket, run as python3 -c COPIER FD LOG.
COPIER = """
import os, sys
fd, out = int(sys.argv[1]), os.open(sys.argv[2], os.O_WRONLY | os.O_APPEND)
while True:
    data = os.read(fd, 65536)
    if not data:
        break
    while data:
        data = data[os.write(out, data):]
"""


def copy_socket(sock, log):
    """A process that appends every byte the connected socket sock
    receives to the file log (which must exist) until the peer closes it
    or the socket is shut down; its Popen. A process, not a thread: a
    reader thread in a busy test process (other threads, the GIL, a
    loaded host) can leave QEMU's socket full for long enough that bytes
    are lost, since QEMU's 16550 gives up on a character after a few
    tries and the firmware's and the kernel's waits for the transmitter
    are bounded (drivers/uart/uart16550.c, as Linux's)."""
    fd = sock.fileno()
    return subprocess.Popen([sys.executable, "-c", COPIER, str(fd), log], pass_fds=(fd,),
                            stdin=subprocess.DEVNULL)


class SerialSocket:
    """The client end of serial_socket_args: a thread that connects (for
    up to timeout seconds while QEMU starts) and has copy_socket append
    every byte COM1 sends to the file log (which read_text reads as
    usual), and send() to type."""

    def __init__(self, path, log, timeout=HANG_CONNECT):
        self.path, self.log, self.timeout = path, log, timeout
        self.sock, self.error, self.copier = None, None, None
        self.connected = threading.Event()
        open(log, "wb").close()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self):
        deadline = time.monotonic() + self.timeout
        while not CANCEL.is_set():
            try:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                sock.connect(self.path)
                break
            except OSError as e:
                sock.close()
                if time.monotonic() > deadline:
                    self.error = "cannot connect to %s: %s" % (self.path, e)
                    return
                time.sleep(0.05)
        else:
            return
        self.sock = sock
        self.copier = copy_socket(sock, self.log)
        self.connected.set()
        self.copier.wait()

    def send(self, text):
        self.sock.sendall(text.encode("latin-1"))

    def close(self):
        if self.sock:
            try:
                self.sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            self.sock.close()
        self.thread.join(5)
        if self.thread.is_alive() and self.copier:
            self.copier.kill()
            self.thread.join()


# ------------------------------------------------------------ the monitor

HMP_TIMEOUT = 300       # seconds for one monitor conversation (a hang)


def hmp(path, commands, timeout=HMP_TIMEOUT):
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
        return strip_escapes(head.decode("latin-1"))

    outputs = []
    try:
        until_prompt()                       # the banner
        for cmd in commands:
            sock.sendall(cmd.encode() + b"\n")
            outputs.append(until_prompt())
    finally:
        sock.close()
    return outputs


# ------------------------------------------------------------ the command

class ArgParser(argparse.ArgumentParser):
    def error(self, message):
        print("qemu.py: " + message, file=sys.stderr)
        self.print_usage(sys.stderr)
        sys.exit(2)


def main(argv):
    ap = ArgParser(prog="tests/qemu.py",
                   description="Boot a USB image in QEMU + OVMF (the rest after -- goes to QEMU).")
    ap.add_argument("--fw", default="x64", help="x64 or ia32 firmware (x64)")
    ap.add_argument("--machine", default="q35", help="q35 or pc (q35)")
    ap.add_argument("--mem", default="1G", help="RAM: N (MiB), NM or NG (1G)")
    ap.add_argument("--smp", default="1", help="CPUs (1)")
    ap.add_argument("--cpu", help="QEMU's -cpu model")
    ap.add_argument("--image", default=IMAGE, help="the disk image (build/usb.img)")
    ap.add_argument("--debugcon", help="port 0xE9's output to this file")
    ap.add_argument("--print", action="store_true", help="print the command, do not run it")
    ap.add_argument("--check", action="store_true",
                    help="only check --fw, --machine, --mem and --smp (exit 2 with the fault)")
    ap.add_argument("extra", nargs="*", help="more QEMU arguments, after --")
    args = ap.parse_args(argv)
    try:
        if not re.fullmatch(r"[0-9]+", args.smp):
            raise ValueError("CPU count '%s' is not a number" % args.smp)
        check(args.fw, args.machine, args.mem, int(args.smp))
    except ValueError as e:
        if args.check:
            print(e, file=sys.stderr)
            return 2
        ap.error(str(e))
    if args.check:
        return 0
    if not os.path.exists(args.image):
        ap.error("no image %s (./build.sh builds build/usb.img)" % args.image)
    # The variables: a copy already unlinked, open on a descriptor that
    # QEMU inherits and opens as /dev/fd/N, so nothing is left behind
    # however QEMU ends and exec keeps QEMU at this process id.
    fd, path = tempfile.mkstemp(prefix="ovmf-vars.")
    try:
        fresh_vars(args.fw, path)
    finally:
        os.unlink(path)
    os.set_inheritable(fd, True)
    cmd = command(args.fw, args.machine, args.mem, int(args.smp), args.cpu,
                  args.image, "/dev/fd/%d" % fd, debugcon=args.debugcon,
                  extra=args.extra)
    if args.print:
        print(" ".join(shlex.quote(a) for a in cmd))
        return 0
    os.execvp(cmd[0], cmd)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
