# SPDX-License-Identifier: MIT
"""Variants of build/usb.img for the boots (mtools on the image's FAT
partition at 1 MiB): another kernel command line, extra modules, or a
broken kernel file for the loader's bad-input cases.
"""

import os
import shutil
import struct
import subprocess
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BUILD = os.path.join(ROOT, "build")
TESTDIR = os.path.join(BUILD, "test")


def mcopy(img, src, dst):
    subprocess.run(["mcopy", "-o", "-i", img + "@@1M", src, dst], check=True)


def mdel(img, path):
    subprocess.run(["mdel", "-i", img + "@@1M", path], check=True)


# An edit of the stick's ESP (a matrix row's `esp`), applied after the
# command line and the modules, in order:
#   ("write", PATH, DATA)   the file at PATH gets DATA (made or replaced);
#                           DATA is bytes, or a function returning bytes
#                           (called when the image is made)
#   ("delete", PATH)        the file or directory (with all it holds) at
#                           PATH goes
#   ("mkdir", PATH)         a directory
# PATH is on the ESP, e.g. "/boot/cmdline.txt". A row that writes
# /boot/cmdline.txt gives the whole file, "ktest" included.
def esp_edit(img, edit, tmp):
    op, path = edit[0], "::" + edit[1]
    if op == "write":
        data = edit[2]() if callable(edit[2]) else edit[2]
        f = os.path.join(tmp, "esp-file")
        with open(f, "wb") as fh:
            fh.write(data)
        mcopy(img, f, path)
    elif op == "delete":
        subprocess.run(["mdeltree", "-i", img + "@@1M", path], check=True)
    elif op == "mkdir":
        subprocess.run(["mmd", "-i", img + "@@1M", path], check=True)
    else:
        raise ValueError("ESP edit %r: not write, delete or mkdir" % (edit,))


# A cylinder of tools/mkimage.sh's disks: 16 heads x 63 sectors x 512.
CYLINDER = 516096


def big_stick(img, disk_mib):
    """A stick of at least disk_mib MiB with build/usb.img's files: the
    kernel, an empty command line and build/modules/*.ko (tools/mkimage.sh
    with more cylinders), for a row whose files do not fit on 63 MiB."""
    mods = sorted(os.path.join(BUILD, "modules", f) for f in os.listdir(os.path.join(BUILD, "modules"))
                  if f.endswith(".ko"))
    env = dict(os.environ, DISK_CYLINDERS=str(-(-(disk_mib << 20) // CYLINDER)))
    subprocess.run(["sh", os.path.join(ROOT, "tools", "mkimage.sh"), img,
                    os.path.join(BUILD, "kernel.elf"), ""] + mods, check=True, cwd=ROOT, env=env)


def image_variant(name, cmdline=None, kernel_bytes=None, no_kernel=False,
                  extra_modules=(), directory=TESTDIR, source=None, esp=(), disk_mib=None):
    """build/test/NAME.img (or NAME.img in directory): a copy of
    build/usb.img (or source; or, with disk_mib, a stick of that size made
    afresh with the same files) with another command line or kernel file,
    extra_modules (paths) added to \\boot\\modules, then the ESP edits
    esp (esp_edit)."""
    os.makedirs(directory, exist_ok=True)
    img = os.path.join(directory, name + ".img")
    if disk_mib:
        big_stick(img, disk_mib)
    else:
        shutil.copyfile(source or os.path.join(BUILD, "usb.img"), img)
    for path in extra_modules:
        mcopy(img, path, "::/boot/modules/" + os.path.basename(path))
    with tempfile.TemporaryDirectory(dir=directory) as tmp:
        if cmdline is not None:
            f = os.path.join(tmp, "cmdline.txt")
            with open(f, "w") as fh:
                fh.write(cmdline + "\n")
            mcopy(img, f, "::/boot/cmdline.txt")
        if kernel_bytes is not None:
            f = os.path.join(tmp, "kernel.elf")
            with open(f, "wb") as fh:
                fh.write(kernel_bytes)
            mcopy(img, f, "::/boot/kernel.elf")
        if no_kernel:
            mdel(img, "::/boot/kernel.elf")
        for edit in esp:
            esp_edit(img, edit, tmp)
    return img


def kernel():
    with open(os.path.join(BUILD, "kernel.elf"), "rb") as fh:
        return fh.read()


def elf64_kernel():
    """A well-formed x86_64 ELF64 executable: the wrong class for us."""
    ehdr = struct.pack("<16sHHIQQQIHHHHHH",
                       b"\x7fELF\x02\x01\x01" + b"\0" * 9,
                       2, 62, 1, 0x1000000, 64, 0, 0, 64, 56, 1, 0, 0, 0)
    phdr = struct.pack("<IIQQQQQQ", 1, 5, 0, 0x1000000, 0x1000000,
                       0x1000, 0x1000, 0x1000)
    body = ehdr + phdr
    return body + b"\xf4" * (0x1000 - len(body))


def load_segments(elf):
    """(offset of the program header, p_offset, p_filesz) per PT_LOAD."""
    phoff, = struct.unpack_from("<I", elf, 28)
    phentsize, phnum = struct.unpack_from("<HH", elf, 42)
    segs = []
    for i in range(phnum):
        off = phoff + i * phentsize
        p_type, p_offset = struct.unpack_from("<II", elf, off)
        p_filesz, = struct.unpack_from("<I", elf, off + 16)
        if p_type == 1:
            segs.append((off, p_offset, p_filesz))
    if not segs:
        raise RuntimeError("kernel has no PT_LOAD")
    return segs


def kernel_with_segment_at(paddr):
    """The real kernel with its last PT_LOAD (data, not the entry's) moved
    to paddr, its p_vaddr left where it was linked."""
    elf = kernel()
    data = bytearray(elf)
    ph, _, _ = load_segments(elf)[-1]
    struct.pack_into("<I", data, ph + 12, paddr)    # p_paddr
    return bytes(data)


def kernel_truncated():
    """The real kernel cut in the middle of its first segment's bytes."""
    elf = kernel()
    _, offset, filesz = load_segments(elf)[0]
    return elf[:offset + filesz // 2]


RELOCS_SECTION = ".pae32.relocs"     # include/boot/relocs.h
RELOCS_HEADER = 40


def relocs_section(elf):
    """(file offset, size) of the kernel's relocation records."""
    shoff, = struct.unpack_from("<I", elf, 32)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 46)
    names = struct.unpack_from("<10I", elf, shoff + shstrndx * shentsize)[4]
    for i in range(shnum):
        name, _, _, _, off, size = struct.unpack_from("<6I", elf, shoff + i * shentsize)
        if elf[names + name:].split(b"\0", 1)[0] == RELOCS_SECTION.encode():
            return off, size
    raise RuntimeError("kernel has no %s section" % RELOCS_SECTION)


def kernel_without_relocs():
    """The real kernel with its relocation records removed, as an older
    build made it."""
    with tempfile.TemporaryDirectory() as tmp:
        out = os.path.join(tmp, "kernel.elf")
        subprocess.run(["objcopy", "--remove-section=" + RELOCS_SECTION,
                        os.path.join(BUILD, "kernel.elf"), out], check=True)
        with open(out, "rb") as fh:
            return fh.read()


def kernel_relocs_damaged():
    """The real kernel with one bit of its first relocation record
    flipped (the table's CRC-32 no longer matches)."""
    data = bytearray(kernel())
    off, _ = relocs_section(data)
    data[off + RELOCS_HEADER + 1] ^= 0x10
    return bytes(data)


def kernel_reloc_outside():
    """The real kernel whose last abs32 relocation record names a word of
    its bss (no file bytes there), the CRC-32 made right again: only the
    range check can catch it."""
    data = bytearray(kernel())
    off, size = relocs_section(data)
    nr_abs32, nr_inv32 = struct.unpack_from("<II", data, off + 20)
    ph, _, filesz = max(load_segments(data), key=lambda s: s[1])
    vaddr, = struct.unpack_from("<I", data, ph + 8)
    last = off + RELOCS_HEADER + 4 * (nr_abs32 - 1)
    struct.pack_into("<I", data, last, vaddr + filesz + 0x100)
    struct.pack_into("<I", data, off + 32, zlib.crc32(bytes(data[off + RELOCS_HEADER:off + size])))
    return bytes(data)
TESTMODS = os.path.join(BUILD, "testmods")


def testmod(name):
    """The ESP edit that puts build/testmods/NAME.ko (tests/modules/NAME.c,
    a hostile module) on the stick as \\boot\\modules\\NAME.ko."""
    def data():
        with open(os.path.join(TESTMODS, name + ".ko"), "rb") as fh:
            return fh.read()
    return ("write", "/boot/modules/%s.ko" % name, data)


def big_module(size):
    """A valid module file of size bytes: build/modules/hello.ko with one
    more SHF_ALLOC section (SHT_PROGBITS, writable data, named like its
    .data) holding the bytes that make up the size, the section headers
    moved after it."""
    def data():
        with open(os.path.join(BUILD, "modules", "hello.ko"), "rb") as fh:
            elf = bytearray(fh.read())
        shoff, = struct.unpack_from("<I", elf, 32)
        shentsize, shnum = struct.unpack_from("<HH", elf, 46)
        shdrs = bytes(elf[shoff:shoff + shentsize * shnum])
        body = elf[:shoff]
        names = [struct.unpack_from("<10I", shdrs, i * shentsize) for i in range(shnum)]
        data_name = next(h[0] for h in names if h[1] == 1 and h[2] == 3)     # PROGBITS, WA
        fill = size - len(body) - shentsize * (shnum + 1)
        if fill <= 0:
            raise ValueError("big_module(%d): smaller than hello.ko" % size)
        new = struct.pack("<10I", data_name, 1, 3, 0, len(body), fill, 0, 0, 4, 0)
        out = bytes(body) + bytes((i * 7) & 0xff for i in range(256)) * (fill // 256) + \
            b"\x5a" * (fill % 256)
        struct.pack_into("<I", elf, 32, len(out))
        struct.pack_into("<H", elf, 48, shnum + 1)
        return bytes(elf[:52]) + out[52:] + shdrs + new
    return data


BADMODS = os.path.join(BUILD, "badmods")


def bad_modules():
    """build/badmods (tools/mkbadmods.c): the broken module files and, per
    file, the message its manifest line gives after "module NAME: "."""
    expect = []
    with open(os.path.join(BADMODS, "expected.txt")) as fh:
        for line in fh:
            name, _, text = line.rstrip("\n").partition(" ")
            expect.append((name, text))
    files = sorted(os.path.join(BADMODS, f) for f in os.listdir(BADMODS) if f.endswith(".ko"))
    if len(files) != len(expect):
        raise RuntimeError("build/badmods: %d modules, %d expected lines" % (len(files), len(expect)))
    return files, expect


# ---------------------------------------------------------------- hostile sticks
# DATA for the ESP edits of tests/matrix.py HOSTILE_BOOTS: functions, so
# that nothing is read or made before an image is.

def long_cmdline(length, head, tail="", encoding="ascii", bom="", newline="\n"):
    """A \\boot\\cmdline.txt whose line is exactly length characters: head,
    one long word ktest_lib_late=xxx... (a parameter the kernel accepts
    and ignores), then tail, each after a blank; then newline, all in
    encoding, after bom."""
    fixed = len(head) + 1 + len("ktest_lib_late=") + (len(tail) + 1 if tail else 0)
    line = head + " ktest_lib_late=" + "x" * (length - fixed) + (" " + tail if tail else "")
    assert len(line) == length
    return lambda: (bom + line + newline).encode(encoding)


def hello_ko():
    """The example module build/modules/hello.ko, to copy under other names."""
    with open(os.path.join(BUILD, "modules", "hello.ko"), "rb") as fh:
        return fh.read()


def zeros(n):
    return lambda: bytes(n)


def module_copies(n, fmt="m%02d.ko"):
    """ESP edits writing n copies of hello.ko as \\boot\\modules\\m01.ko ..."""
    return tuple(("write", "/boot/modules/" + fmt % i, hello_ko) for i in range(1, n + 1))


def initrd_size_damaged(member, filesize="FFFFFFF0"):
    """build/initrd.cpio with the newc header of member (its path in the
    archive, e.g. "usr/share/doc/pae32/README") claiming filesize (8 hex
    digits): the archive then ends inside that member's data; the
    members before it are whole (tools/mkinitrd.sh sorts the names)."""
    def make():
        with open(os.path.join(BUILD, "initrd.cpio"), "rb") as fh:
            data = bytearray(fh.read())
        at = data.find(member.encode() + b"\0") - 110
        if at < 0 or data[at:at + 6] != b"070701":
            raise RuntimeError("build/initrd.cpio: no member %s" % member)
        data[at + 6 + 8 * 6:at + 6 + 8 * 7] = filesize.encode()
        return bytes(data)
    return make


def kernel_grown(end, file_size):
    """The real kernel with its last PT_LOAD's p_memsz reaching physical
    end (more bss: a valid kernel that runs), the file padded with zeros
    to file_size bytes (so that the loader's copy of it is that big)."""
    def make():
        elf = bytearray(kernel())
        ph, _, _ = load_segments(bytes(elf))[-1]
        paddr, = struct.unpack_from("<I", elf, ph + 12)
        struct.pack_into("<I", elf, ph + 20, end - paddr)     # p_memsz
        return bytes(elf) + bytes(file_size - len(elf))
    return make
