#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""gdb on the kernel and the loader under QEMU, as `./build.sh debug` sets
it up (docs/debugging.md).

Boots build/usb.img stopped (-S) with QEMU's gdbstub on a free local port,
drives gdb in batch mode with tools/gdb/pae32.py and checks what a person
at the gdb prompt relies on:

  - `hbreak *ADDR` at start_kernel's address from build/kernel.sym stops
    with $pc exactly there;
  - `hbreak start_kernel` stops in start_kernel with its arguments right
    (magic is KERNEL_BOOT_MAGIC), a backtrace through head.asm, source
    lines, and 32-bit disassembly equal to objdump's;
  - loader-start resets the machine and stops at efi_main in the loader,
    at the image base the loader printed (in 64-bit code on x64 firmware;
    IA32 OVMF moves the loader once after its first boot, which
    loader-start follows);
  - a kernel the loader moved (loader.kernel_base=0x3000000 on a copy of
    the image): after kernel-symbols, `hbreak start_kernel` stops there
    with the same arguments and backtrace, 32 MiB above the ELF's
    address, and kernel-symbols without a base finds it in the console
    log.

One QEMU at a time, about 10 s under TCG. Needs a built tree (./build.sh).

    python3 tests/test_gdb.py [x64] [ia32]    # exit status 1 on a failure
    run_checks(fws=("x64",)) -> [(name, ok, detail)]
"""

import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time

import images  # tests/, beside this file
import qemu

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
KERNEL = os.path.join(BUILD, "kernel.elf")
GDB_SCRIPT = os.path.join(ROOT, "tools", "gdb", "pae32.py")

KERNEL_BOOT_MAGIC = 0x33454150          # include/boot/bootinfo.h, "PAE3"
MOVED_BASE, LINK_BASE = 0x3000000, 0x1000000    # the moved session's base, KERNEL_PHYS_LOAD
TIMEOUT = 600                           # seconds for the whole gdb session (a hang)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def qemu_command(fw, vars_path, serial_log, port, image=None):
    """./build.sh debug's boot (tests/qemu.py), the console to a file."""
    return qemu.command(fw, "q35", "1G", 1, None, image or os.path.join(BUILD, "usb.img"), vars_path,
                        extra=["-serial", "file:%s" % serial_log, "-monitor", "none",
                               "-gdb", "tcp:127.0.0.1:%d" % port, "-S"])


def wait_listening(port, proc, timeout=60):
    """Until QEMU's gdbstub listens on port (/proc/net/tcp: state 0A), so
    that gdb's connection is not refused while QEMU still starts; False if
    QEMU ended or the time ran out (a hang)."""
    for _ in range(int(timeout * 20)):
        if proc.poll() is not None:
            return False
        with open("/proc/net/tcp") as fh:
            if any(f[1].endswith(":%04X" % port) and f[3] == "0A"
                   for f in (line.split() for line in fh.readlines()[1:])):
                return True
        time.sleep(0.05)
    return False


def symbols(path):
    """name -> address, and the sorted addresses, from `nm -n`."""
    out = subprocess.run(["nm", "-n", path], capture_output=True, text=True,
                         check=True).stdout
    table = {}
    for line in out.splitlines():
        parts = line.split()
        if len(parts) == 3:
            table.setdefault(parts[2], int(parts[0], 16))
    return table, sorted(set(table.values()))


def next_address(addrs, a):
    return next((b for b in addrs if b > a), a + 1)


def normalize_insn(text):
    """An instruction without its address, symbol names and 0x prefixes,
    so that gdb's and objdump's AT&T lines compare."""
    text = re.sub(r"<[^>]*>", "", text)
    text = re.sub(r"#.*", "", text)
    return " ".join(text.replace("0x", "").split())


def objdump_insns(addr, count):
    out = subprocess.run(["objdump", "-d", "--no-show-raw-insn",
                          "--start-address=0x%x" % addr,
                          "--stop-address=0x%x" % (addr + 16 * count), KERNEL],
                         capture_output=True, text=True, check=True).stdout
    insns = re.findall(r"^\s*[0-9a-f]+:\s+(.+)$", out, re.M)
    return [normalize_insn(i) for i in insns[:count]]


def gdb_insns(section, count):
    insns = re.findall(r"^(?:=>)?\s*0x[0-9a-f]+(?: <[^>]*>)?:\s+(.+)$",
                       section, re.M)
    return [normalize_insn(i) for i in insns[:count]]


def sections(out):
    """gdb's output split at the `echo @@NAME` markers."""
    parts = re.split(r"^@@(\S+)$", out, flags=re.M)
    return {parts[i]: parts[i + 1] for i in range(1, len(parts) - 1, 2)}


def hexval(text):
    m = re.search(r"= (0x[0-9a-f]+)", text or "")
    return int(m.group(1), 16) if m else None


# The moved session: the kernel at MOVED_BASE.
MOVED_STEPS = [
    ("syms", "kernel-symbols 0x%x" % MOVED_BASE),
    ("hit", "hbreak start_kernel"), ("", "continue"),
    ("pc", "p/x $pc"),
    ("magic", "p/x magic"),
    ("bt", "bt"),
    ("logged", "kernel-symbols"),
    ("end", "kill"),
]


def run_gdb(fw, workdir, timeout=TIMEOUT, steps=None, image=None):
    """Runs one QEMU + gdb session (the steps, by default the checks of
    the kernel and the loader); returns (gdb output, serial text)."""
    ksyms, _ = symbols(KERNEL)
    port = free_port()
    vars_path = os.path.join(workdir, "vars.fd")
    serial_log = os.path.join(workdir, "serial.log")
    qemu.fresh_vars(fw, vars_path)
    steps = steps or [
        ("entry", "hbreak *0x%x" % ksyms["start_kernel"]), ("", "continue"),
        ("", "p/x $pc"),
        ("entry_sym", "info symbol $pc"),
        ("", "delete"),
        ("hit", "hbreak start_kernel"), ("", "continue"),
        ("magic", "p/x magic"),
        ("bt", "bt"),
        ("line", "info line *$pc"),
        ("list", "list start_kernel"),
        ("insns", "x/8i start_kernel"),
        ("regs", "info registers eip esp cr0 efer"),
        ("", "delete"),
        ("loader", "loader-start efi_main"),
        ("efi_pc", "p/x $pc"),
        ("efi_bt", "bt 1"),
        ("end", "kill"),
    ]
    cmd = ["gdb", "-nx", "-batch", "-x", GDB_SCRIPT]
    for marker, step in steps:
        if marker:
            cmd += ["-ex", "echo @@%s\\n" % marker]
        cmd += ["-ex", step]
    env = dict(os.environ, GDB_PORT=str(port), PAE32_SERIAL_LOG=serial_log)
    proc = subprocess.Popen(qemu_command(fw, vars_path, serial_log, port, image),
                            stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    try:
        try:
            if not wait_listening(port, proc):
                raise RuntimeError("QEMU's gdbstub never listened on port %d" % port)
            p = subprocess.run(cmd, capture_output=True, text=True, env=env,
                               timeout=timeout, stdin=subprocess.DEVNULL)
            out = p.stdout + p.stderr
        except subprocess.TimeoutExpired as e:
            out = ((e.stdout or b"").decode(errors="replace") +
                   "\n(gdb still running after %d s: hung)" % timeout)
    finally:
        proc.kill()
        proc.wait()
    return out, qemu.read_text(serial_log)


def moved_checks(timeout=TIMEOUT):
    """The x64 session on a copy of the image whose kernel the loader
    moves to MOVED_BASE: [(name, ok, detail)]."""
    ksyms, kaddrs = symbols(KERNEL)
    delta = MOVED_BASE - LINK_BASE
    want = ksyms["start_kernel"] + delta
    want_end = next_address(kaddrs, ksyms["start_kernel"]) + delta
    workdir = tempfile.mkdtemp(prefix="gdb-moved-")
    try:
        # A short ktest run, so that a breakpoint never reached ends in
        # QEMU's exit rather than a boot waiting at the prompt.
        image = images.image_variant(
            "moved", cmdline="loader.kernel_base=0x%x ktest=boot.kernel_runs_*" % MOVED_BASE,
            directory=workdir)
        out, _ = run_gdb("x64", workdir, timeout, MOVED_STEPS, image)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    s = sections(out)
    if "hit" not in s:
        s["hit"] = "no stop; gdb said: " + out.strip()[-400:]
    pc, magic = hexval(s.get("pc")), hexval(s.get("magic"))
    bt = s.get("bt", "")
    results = [
        ("hbreak-start_kernel", pc is not None and want <= pc < want_end and
         re.search(r"Breakpoint 1, start_kernel \(", s.get("hit", "")),
         "$pc %s, start_kernel moved to 0x%x-0x%x: %s" % (
             hex(pc) if pc is not None else "not read", want, want_end,
             s.get("hit", "").strip()[:200])),
        ("argument-magic", magic == KERNEL_BOOT_MAGIC,
         "magic %s" % (hex(magic) if magic is not None else "not read")),
        ("backtrace", re.search(r"^#0 .*start_kernel", bt, re.M) and
         re.search(r"^#1 .* in startup_32\S* .*head\.asm", bt, re.M), bt.strip()[:300]),
        ("base-from-the-log", "for physical base 0x%x" % MOVED_BASE in s.get("logged", ""),
         s.get("logged", "").strip()[:200]),
    ]
    return [("gdb moved %s" % n, bool(ok), " | ".join(l.strip() for l in d.splitlines() if l.strip()))
            for n, ok, d in results]


def run_checks(fws=("x64",), timeout=TIMEOUT, moved=True):
    """One gdb session per firmware kind, and with moved one on a kernel
    the loader moved: [(name, ok, detail)]."""
    results = []
    ksyms, kaddrs = symbols(KERNEL)
    sk = ksyms["start_kernel"]
    sk_end = next_address(kaddrs, sk)
    for fw in fws:
        workdir = tempfile.mkdtemp(prefix="gdb-%s-" % fw)
        try:
            out, serial = run_gdb(fw, workdir, timeout)
        finally:
            shutil.rmtree(workdir, ignore_errors=True)
        s = sections(out)

        def check(name, ok, detail):
            detail = " | ".join(l.strip() for l in detail.splitlines()
                                if l.strip())
            results.append(("gdb %s %s" % (fw, name), bool(ok), detail))

        pc = hexval(s.get("entry"))
        check("hbreak-at-symbol-address", pc == sk,
              "$pc %s, start_kernel in kernel.sym 0x%x"
              % (hex(pc) if pc is not None else "not read", sk))
        check("info-symbol", "start_kernel in section .text" in
              s.get("entry_sym", ""), s.get("entry_sym", "").strip()[:200])
        hit = re.search(r"Breakpoint 2, start_kernel \(", s.get("hit", ""))
        check("hbreak-start_kernel", hit, s.get("hit", "").strip()[:300])
        magic = hexval(s.get("magic"))
        check("argument-magic", magic == KERNEL_BOOT_MAGIC,
              "magic %s, want 0x%x" % (hex(magic) if magic is not None
                                       else "not read", KERNEL_BOOT_MAGIC))
        bt = s.get("bt", "")
        check("backtrace", re.search(r"^#0 .*start_kernel", bt, re.M)
              and re.search(r"^#1 .* in startup_32\S* .*head\.asm", bt, re.M),
              bt.strip()[:300])
        line = s.get("line", "")
        check("source-line", re.search(r'^Line \d+ of "kernel/main\.c"', line,
                                       re.M) and
              re.search(r"start_kernel\(", s.get("list", "")), line.strip()[:200])
        want = objdump_insns(sk, 8)
        got = gdb_insns(s.get("insns", ""), 8)
        check("disassembly-32-bit", got == want and len(want) == 8,
              "gdb %s, objdump %s" % (got, want) if got != want else
              "%d instructions as objdump" % len(got))
        regs = s.get("regs", "")
        eip = re.search(r"^eip\s+(0x[0-9a-f]+)", regs, re.M)
        cr0 = re.search(r"^cr0\s+0x[0-9a-f]+\s+\[.*\bPG\b", regs, re.M)
        check("info-registers", eip and sk <= int(eip.group(1), 16) < sk_end
              and cr0 and not re.search(r"^r[a-z]{2}\s", regs, re.M),
              regs.strip()[:300])

        base = re.findall(r"loader: image base 0x([0-9a-f]+)", serial)
        lsyms, laddrs = symbols(os.path.join(BUILD, "efi", fw, "loader.so"))
        if not base:
            check("loader-efi_main", False, "no 'image base' line on the console")
            continue
        em = int(base[-1], 16) + lsyms["efi_main"]
        em_end = int(base[-1], 16) + next_address(laddrs, lsyms["efi_main"])
        efi_pc = hexval(s.get("efi_pc"))
        check("loader-efi_main",
              efi_pc is not None and em <= efi_pc < em_end and
              re.search(r"^#0 .*efi_main \(.*efi/loader\.c", s.get("efi_bt", ""),
                        re.M),
              "$pc %s, efi_main at 0x%x-0x%x (image base 0x%s): %s"
              % (hex(efi_pc) if efi_pc is not None else "not read", em,
                 em_end, base[-1], s.get("efi_bt", "").strip()[:200]))
    if moved:
        results += moved_checks(timeout)
    return results


def main():
    fws = sys.argv[1:] or ["x64"]
    bad = [f for f in fws if f not in qemu.FIRMWARE]
    if bad:
        print("usage: %s [x64] [ia32]" % sys.argv[0], file=sys.stderr)
        return 2
    results = run_checks(fws)
    for name, ok, detail in results:
        print("%-4s %-36s %s" % ("ok" if ok else "FAIL", name, detail))
    failed = sum(1 for _, ok, _ in results if not ok)
    print("%d passed, %d failed" % (len(results) - failed, failed))
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())
