#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Writes an initramfs for Linux: a cpio archive in the "newc" format of
Linux's Documentation/driver-api/early-userspace/buffer-format.rst, made
without root (the /dev/console node is a header, not a mknod), with every
mtime 0 so that the same inputs give the same bytes.

usage: tools/linuxbench/mkinitramfs.py OUT.cpio DEST=SRC[:MODE] ...

Each DEST=SRC puts the host file SRC at DEST (mode 0755 unless given in
octal); the directories on the way, /dev/console, /proc and /sys are added.
A missing SRC or a malformed argument gets one line and exit status 2.
"""

import os
import sys

S_IFDIR, S_IFREG, S_IFCHR = 0o040000, 0o100000, 0o020000


def entry(ino, name, mode, data=b"", rdev=(0, 0)):
    """One newc header, name and data, each padded to 4 bytes."""
    name_b = name.encode() + b"\0"
    fields = (ino, mode, 0, 0, 1, 0, len(data), 0, 0, rdev[0], rdev[1],
              len(name_b), 0)
    head = b"070701" + b"".join(b"%08X" % f for f in fields) + name_b
    head += b"\0" * (-len(head) % 4)
    return head + data + b"\0" * (-len(data) % 4)


def build(files):
    """The archive of files ({dest: (data, mode)})."""
    dirs = {"dev", "proc", "sys"}
    for dest in files:
        parts = dest.split("/")[:-1]
        for i in range(1, len(parts) + 1):
            dirs.add("/".join(parts[:i]))
    out, ino = [], 1
    for d in sorted(dirs):
        out.append(entry(ino, d, S_IFDIR | 0o755))
        ino += 1
    out.append(entry(ino, "dev/console", S_IFCHR | 0o600, rdev=(5, 1)))
    ino += 1
    for dest in sorted(files):
        data, mode = files[dest]
        out.append(entry(ino, dest, S_IFREG | mode, data))
        ino += 1
    out.append(entry(0, "TRAILER!!!", 0))
    blob = b"".join(out)
    return blob + b"\0" * (-len(blob) % 512)


def main(argv):
    if len(argv) < 2:
        print(__doc__.strip().splitlines()[4], file=sys.stderr)
        return 2
    files = {}
    for arg in argv[1:]:
        dest, sep, src = arg.partition("=")
        mode = 0o755
        if ":" in src:
            src, _, m = src.rpartition(":")
            try:
                mode = int(m, 8)
            except ValueError:
                print("mkinitramfs.py: mode '%s' of %s is not octal" % (m, dest), file=sys.stderr)
                return 2
        dest = dest.strip("/")
        if not sep or not dest or not src:
            print("mkinitramfs.py: '%s' is not DEST=SRC" % arg, file=sys.stderr)
            return 2
        try:
            with open(src, "rb") as f:
                files[dest] = (f.read(), mode)
        except OSError as e:
            print("mkinitramfs.py: %s: %s" % (src, e.strerror), file=sys.stderr)
            return 2
    with open(argv[0], "wb") as f:
        f.write(build(files))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
