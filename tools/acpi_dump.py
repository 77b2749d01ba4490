#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Copies QEMU's own ACPI tables (ACPI 6.5 ch. 5: the FADT and the DSDT it
names) out of a running guest, for the host test's data
(tests/host/data/acpi/, docs/acpi.md). The tables are read with QEMU's
`pmemsave` while the kernel waits at its ktest checkpoint, and found
without the kernel's parser (the checkpoint needs port 0xE9 and fw_cfg): the FADT at the address of the kernel's
"ACPI: FACP 0x..." line, the DSDT at the FADT's X_DSDT (offset 140) or,
when that is 0, DSDT (offset 40).

    python3 tools/acpi_dump.py [--fw x64|ia32] [--machine q35|pc]
                               [--mem SIZE] --out DIR

Writes DIR/facp.bin and DIR/dsdt.aml, and prints what it did.
"""

import argparse
import os
import re
import struct
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import images  # noqa: E402
import oracles  # noqa: E402
import qemu  # noqa: E402

FACP_RE = re.compile(r"^ACPI: FACP 0x([0-9a-f]+) ([0-9a-f]{6}) ", re.M)
TIMEOUT = 600           # a hang


def save(sock, phys, size, path):
    """size bytes of guest physical memory at phys, through pmemsave."""
    if os.path.exists(path):
        os.unlink(path)
    # A relative name: HMP would read "36 /tmp/x" as a division.
    out, = qemu.hmp(sock, ["pmemsave 0x%x %d %s" % (phys, size, os.path.relpath(path))])
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        raise RuntimeError("pmemsave 0x%x %d: %s" % (phys, size, out.strip()))
    if len(data) != size:
        raise RuntimeError("pmemsave of 0x%x gave %d bytes, not %d" % (phys, len(data), size))
    return data


def table(sock, phys, sig, tmp):
    """The whole table at phys, its signature and checksum checked."""
    head = save(sock, phys, 36, os.path.join(tmp, "head"))
    length, = struct.unpack_from("<I", head, 4)
    if head[:4] != sig or not 36 <= length <= 1 << 20:
        raise RuntimeError("no %s at 0x%x (signature %r, length %d)" % (sig, phys, head[:4], length))
    data = save(sock, phys, length, os.path.join(tmp, "body"))
    if sum(data) & 0xff:
        raise RuntimeError("%s at 0x%x: bad checksum" % (sig, phys))
    return data


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fw", default="x64")
    ap.add_argument("--machine", default="q35")
    ap.add_argument("--mem", default="1G")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    image = images.image_variant("acpi-dump", cmdline="ktest=acpi.qemu_tables_parsed")
    with tempfile.TemporaryDirectory() as tmp:
        com1, sock = os.path.join(tmp, "com1.log"), os.path.join(tmp, "monitor.sock")
        argv = qemu.command(args.fw, args.machine, args.mem, 1, None, image,
                            qemu.fresh_vars(args.fw, os.path.join(tmp, "vars.fd")),
                            debugcon=os.path.join(tmp, "e9.log"), monitor=sock,
                            extra=["-serial", "file:" + com1, "-no-reboot", "-fw_cfg",
                                   "name=opt/pae32/checkpoints,string=ktest"])
        got = {}

        def poll(now):
            text = qemu.read_text(com1)
            if not oracles.PAUSED_RE.search(text):
                return False
            m = FACP_RE.search(text)
            if not m:
                raise RuntimeError("the kernel printed no FACP line")
            facp = table(sock, int(m.group(1), 16), b"FACP", tmp)
            x_dsdt = struct.unpack_from("<Q", facp, 140)[0] if len(facp) >= 148 else 0
            dsdt_phys = x_dsdt or struct.unpack_from("<I", facp, 40)[0]
            got["facp"] = facp
            got["dsdt"] = table(sock, dsdt_phys, b"DSDT", tmp)
            got["where"] = (int(m.group(1), 16), dsdt_phys)
            return True

        rc, secs = qemu.run(argv, TIMEOUT, os.path.join(tmp, "qemu.err"), poll)
        if "dsdt" not in got:
            print("acpi_dump.py: no tables (QEMU ended: %s after %.0f s)" % (rc, secs),
                  file=sys.stderr)
            return 1
    for name, key in (("facp.bin", "facp"), ("dsdt.aml", "dsdt")):
        with open(os.path.join(args.out, name), "wb") as fh:
            fh.write(got[key])
    print("acpi_dump.py: %s %s %s: FACP at 0x%x (%d bytes, revision %d), DSDT at 0x%x "
          "(%d bytes) -> %s" % (args.fw, args.machine, args.mem, got["where"][0], len(got["facp"]),
                                got["facp"][8], got["where"][1], len(got["dsdt"]), args.out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
