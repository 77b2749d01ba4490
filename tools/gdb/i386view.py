#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""qemu-system-x86_64's gdbstub shown to gdb as a 32-bit i386 target.

    (gdb) target remote | python3 tools/gdb/i386view.py 127.0.0.1:1234

qemu-system-x86_64 always describes its CPU to gdb as x86-64 (QEMU 7.2,
target/i386/gdbstub.c): 16 64-bit general registers, a 64-bit rip, 64-bit
control registers, whatever mode the guest is in. gdb then disassembles the
kernel's 32-bit code as 64-bit code and unwinds 32-bit frames with 8-byte
slots; with `set architecture i386` it refuses the 608-byte register block
("Remote 'g' packet reply is too long"). And QEMU's 'G' (write all
registers) reads the segment bases and control registers back as 4 bytes
each outside 64-bit mode while 'g' sends them as 8: a 'G' in 32-bit mode
writes garbage into CR0/CR3/CR4.

This filter sits between gdb (stdin/stdout, the "target remote | CMD"
pipe) and QEMU's gdbstub (TCP) and gives gdb the register set of
qemu-system-i386: eax..edi, eip, eflags, the segments, the control
registers and EFER as 32-bit registers, st0-7, xmm0-7, mxcsr. It rewrites
the packets that carry registers ('g', 'p', 'P'), answers the target
description (qXfer:features) itself, refuses 'G' (gdb writes registers one
at a time with 'P', which QEMU handles right), and passes everything else
(memory, breakpoints, run control, monitor commands, Ctrl-C) through.

The 32-bit view drops the upper halves: while the CPU runs 64-bit code
(the x64 firmware and loader) connect to QEMU directly with
`set architecture i386:x86-64` instead (tools/gdb/pae32.py: arch-x86-64).
Remote protocol: gdb manual, "Remote Protocol" (packets, acks, qXfer).
"""

import os
import select
import socket
import sys

# QEMU 7.2 qemu-system-x86_64's registers in 'g' order: (name, bytes).
X64_REGS = (
    [(r, 8) for r in ("rax", "rbx", "rcx", "rdx", "rsi", "rdi", "rbp", "rsp")]
    + [("r%d" % i, 8) for i in range(8, 16)]
    + [("rip", 8), ("eflags", 4)]
    + [(s, 4) for s in ("cs", "ss", "ds", "es", "fs", "gs")]
    + [(s, 8) for s in ("fs_base", "gs_base", "k_gs_base")]
    + [(c, 8) for c in ("cr0", "cr2", "cr3", "cr4", "cr8", "efer")]
    + [("st%d" % i, 10) for i in range(8)]
    + [(f, 4) for f in ("fctrl", "fstat", "ftag", "fiseg", "fioff", "foseg",
                        "fooff", "fop")]
    + [("xmm%d" % i, 16) for i in range(16)]
    + [("mxcsr", 4)]
)
X64_INDEX = {name: i for i, (name, _) in enumerate(X64_REGS)}
X64_OFFSET = []
_off = 0
for _, _size in X64_REGS:
    X64_OFFSET.append(_off)
    _off += _size
X64_G_BYTES = _off                      # 608

# The 32-bit view, qemu-system-i386's order: (name, bytes, gdb type, group,
# the x86-64 register it is the low part of).
GPR32 = [("eax", "rax"), ("ecx", "rcx"), ("edx", "rdx"), ("ebx", "rbx"),
         ("esp", "rsp"), ("ebp", "rbp"), ("esi", "rsi"), ("edi", "rdi")]
I386_REGS = (
    [(n, 4, "data_ptr" if n in ("esp", "ebp") else "int32", None, x)
     for n, x in GPR32]
    + [("eip", 4, "code_ptr", None, "rip"),
       ("eflags", 4, "i386_eflags", None, "eflags")]
    + [(s, 4, "int32", None, s) for s in ("cs", "ss", "ds", "es", "fs", "gs")]
    + [(s, 4, "int32", None, s) for s in ("fs_base", "gs_base", "k_gs_base")]
    + [("cr0", 4, "i386_cr0", None, "cr0"), ("cr2", 4, "int32", None, "cr2"),
       ("cr3", 4, "int32", None, "cr3"), ("cr4", 4, "i386_cr4", None, "cr4"),
       ("cr8", 4, "int32", None, "cr8"), ("efer", 4, "i386_efer", None, "efer")]
    + [("st%d" % i, 10, "i387_ext", None, "st%d" % i) for i in range(8)]
    + [(f, 4, "int", "float", f) for f in ("fctrl", "fstat", "ftag", "fiseg",
                                            "fioff", "foseg", "fooff", "fop")]
    + [("xmm%d" % i, 16, "vec128", "vector", "xmm%d" % i) for i in range(8)]
    + [("mxcsr", 4, "i386_mxcsr", "vector", "mxcsr")]
)

# Bit fields gdb shows next to the value (Intel SDM vol. 3 §2.3, §2.2.1).
FLAGS = {
    "i386_eflags": [("CF", 0), ("PF", 2), ("AF", 4), ("ZF", 6), ("SF", 7),
                    ("TF", 8), ("IF", 9), ("DF", 10), ("OF", 11),
                    ("IOPL", 12, 13), ("NT", 14), ("RF", 16), ("VM", 17),
                    ("AC", 18), ("VIF", 19), ("VIP", 20), ("ID", 21)],
    "i386_cr0": [("PE", 0), ("MP", 1), ("EM", 2), ("TS", 3), ("ET", 4),
                 ("NE", 5), ("WP", 16), ("AM", 18), ("NW", 29), ("CD", 30),
                 ("PG", 31)],
    "i386_cr4": [("VME", 0), ("PVI", 1), ("TSD", 2), ("DE", 3), ("PSE", 4),
                 ("PAE", 5), ("MCE", 6), ("PGE", 7), ("PCE", 8),
                 ("OSFXSR", 9), ("OSXMMEXCPT", 10), ("UMIP", 11),
                 ("LA57", 12), ("VMXE", 13), ("SMXE", 14), ("FSGSBASE", 16),
                 ("PCIDE", 17), ("OSXSAVE", 18), ("SMEP", 20), ("SMAP", 21),
                 ("PKE", 22)],
    "i386_efer": [("SCE", 0), ("LME", 8), ("LMA", 10), ("NXE", 11),
                  ("SVME", 12), ("LMSLE", 13), ("FFXSR", 14), ("TCE", 15)],
    "i386_mxcsr": [("IE", 0), ("DE", 1), ("ZE", 2), ("OE", 3), ("UE", 4),
                   ("PE", 5), ("DAZ", 6), ("IM", 7), ("DM", 8), ("ZM", 9),
                   ("OM", 10), ("UM", 11), ("PM", 12), ("FZ", 15)],
}


def target_xml():
    """The target description gdb reads (gdb manual, "Target Descriptions")."""
    out = ['<?xml version="1.0"?>',
           '<!DOCTYPE target SYSTEM "gdb-target.dtd">',
           '<target>', '  <architecture>i386</architecture>',
           '  <feature name="org.gnu.gdb.i386.core">']
    for tid, fields in FLAGS.items():
        out.append('    <flags id="%s" size="4">' % tid)
        for f in fields:
            lo, hi = f[1], f[-1]
            out.append('      <field name="%s" start="%d" end="%d" type="%s"/>'
                       % (f[0], lo, hi, "bool" if lo == hi else "uint32"))
        out.append('    </flags>')
    for vid, t, n in (("v4f", "ieee_single", 4), ("v2d", "ieee_double", 2),
                      ("v16i8", "int8", 16), ("v8i16", "int16", 8),
                      ("v4i32", "int32", 4), ("v2i64", "int64", 2)):
        out.append('    <vector id="%s" type="%s" count="%d"/>' % (vid, t, n))
    out.append('    <union id="vec128">')
    for fname, t in (("v4_float", "v4f"), ("v2_double", "v2d"),
                     ("v16_int8", "v16i8"), ("v8_int16", "v8i16"),
                     ("v4_int32", "v4i32"), ("v2_int64", "v2i64"),
                     ("uint128", "uint128")):
        out.append('      <field name="%s" type="%s"/>' % (fname, t))
    out.append('    </union>')
    for num, (name, size, typ, group, _) in enumerate(I386_REGS):
        out.append('    <reg name="%s" bitsize="%d" type="%s" regnum="%d"%s/>'
                   % (name, size * 8, typ, num,
                      ' group="%s"' % group if group else ''))
    out += ['  </feature>', '</target>', '']
    return "\n".join(out).encode()


XML = target_xml()


def regs_to_i386(hexdata):
    """QEMU's x86-64 'g' reply (hex) as the i386 view's 'g' reply."""
    raw = bytes.fromhex(hexdata.decode())
    out = bytearray()
    for _, size, _, _, x64 in I386_REGS:
        off = X64_OFFSET[X64_INDEX[x64]]
        out += raw[off:off + size]      # little-endian: the low part
    return out.hex().encode()


def widen(i386_num, hexval):
    """A register value from gdb, sized for QEMU's x86-64 register."""
    x64 = X64_INDEX[I386_REGS[i386_num][4]]
    want = X64_REGS[x64][1] * 2
    return hexval + b"0" * max(0, want - len(hexval)), x64


def checksum(data):
    return b"%02x" % (sum(data) & 0xff)


def frame(data):
    return b"$" + data + b"#" + checksum(data)


class Parser:
    """Splits a remote-protocol byte stream into acks, Ctrl-C and packets."""

    def __init__(self):
        self.buf = b""

    def feed(self, data):
        self.buf += data
        events = []
        while self.buf:
            c = self.buf[:1]
            if c == b"$":
                end = self.buf.find(b"#")
                if end < 0 or len(self.buf) < end + 3:
                    break           # the rest of the packet is still coming
                events.append(("pkt", self.buf[1:end]))
                self.buf = self.buf[end + 3:]
            else:
                if c in (b"+", b"-", b"\x03"):
                    events.append((c.decode(), None))
                self.buf = self.buf[1:]
        return events


def main():
    if len(sys.argv) != 2 or ":" not in sys.argv[1]:
        sys.stderr.write("usage: %s HOST:PORT (QEMU's -gdb tcp:HOST:PORT)\n"
                         % sys.argv[0])
        return 2
    host, port = sys.argv[1].rsplit(":", 1)
    try:
        qemu = socket.create_connection((host or "127.0.0.1", int(port)),
                                        timeout=10)
    except OSError as e:
        sys.stderr.write("i386view: cannot reach QEMU's gdbstub at %s: %s\n"
                         % (sys.argv[1], e))
        return 1
    qemu.settimeout(None)
    try:
        return relay(qemu, sys.stdin.fileno(), sys.stdout.fileno())
    except OSError:
        return 0                    # QEMU quit or gdb went away


def relay(qemu, gdb_in, gdb_out):
    """Passes packets both ways until one side closes, rewriting those that
    carry registers."""
    from_gdb, from_qemu = Parser(), Parser()
    gdb_acks = True         # until gdb and we agree on QStartNoAckMode
    pending = None          # what QEMU's next packet answers: 'g', 'p' or None

    def to_gdb(data):
        os.write(gdb_out, frame(data))

    def to_qemu(data):
        qemu.sendall(frame(data))

    # QEMU answers 'p' and 'P' only once the debugger has read its target
    # description (gdb_has_xml, reset per connection): read it once here;
    # gdb gets ours.
    to_qemu(b"qXfer:features:read:target.xml:0,1000")
    while True:
        data = qemu.recv(65536)
        if not data:
            return 0
        if any(kind == "pkt" for kind, _ in from_qemu.feed(data)):
            break
    qemu.sendall(b"+")

    while True:
        ready, _, _ = select.select([gdb_in, qemu], [], [])
        if gdb_in in ready:
            data = os.read(gdb_in, 65536)
            if not data:
                return 0            # gdb disconnected
            for kind, pkt in from_gdb.feed(data):
                if kind == "\x03":
                    qemu.sendall(b"\x03")
                if kind != "pkt":
                    continue        # acks are ours to give on each side
                if gdb_acks:
                    os.write(gdb_out, b"+")
                if pkt == b"QStartNoAckMode":
                    to_gdb(b"OK")
                    gdb_acks = False
                elif pkt.startswith(b"qXfer:features:read:"):
                    annex, rng = pkt[len(b"qXfer:features:read:"):].rsplit(b":", 1)
                    off, length = (int(v, 16) for v in rng.split(b","))
                    if annex != b"target.xml":
                        to_gdb(b"E00")
                    else:
                        chunk = XML[off:off + length]
                        more = off + length < len(XML)
                        to_gdb((b"m" if more else b"l") + chunk)
                elif pkt == b"g":
                    pending = "g"
                    to_qemu(pkt)
                elif pkt[:1] == b"p":
                    n = int(pkt[1:], 16)
                    if n >= len(I386_REGS):
                        to_gdb(b"E00")
                        continue
                    pending = ("p", n)
                    to_qemu(b"p%x" % X64_INDEX[I386_REGS[n][4]])
                elif pkt[:1] == b"P":
                    num, val = pkt[1:].split(b"=", 1)
                    n = int(num, 16)
                    if n >= len(I386_REGS):
                        to_gdb(b"E00")
                        continue
                    val, x64 = widen(n, val)
                    pending = None
                    to_qemu(b"P%x=%s" % (x64, val))
                elif pkt[:1] == b"G":
                    to_gdb(b"E16")      # see the top of this file
                else:
                    pending = None
                    to_qemu(pkt)
        if qemu in ready:
            data = qemu.recv(65536)
            if not data:
                return 0            # QEMU went away
            for kind, pkt in from_qemu.feed(data):
                if kind != "pkt":
                    continue
                qemu.sendall(b"+")
                if pending == "g" and len(pkt) == 2 * X64_G_BYTES:
                    pkt = regs_to_i386(pkt)
                elif pending == "g" and not pkt.startswith(b"E"):
                    sys.stderr.write("i386view: QEMU sent %d bytes of registers, "
                                     "not the %d of qemu-system-x86_64: passed "
                                     "on as they are\n" % (len(pkt) // 2, X64_G_BYTES))
                elif isinstance(pending, tuple) and not pkt.startswith(b"E"):
                    pkt = pkt[:2 * I386_REGS[pending[1]][1]]
                pending = None
                to_gdb(pkt)


if __name__ == "__main__":
    sys.exit(main())
