#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Debian's static i386 busybox (tools/busybox/fetch.sh) under the kernel:
each line of tools/busybox/applets.txt is one boot with
`ktest ktest=boot.* init=/bin/busybox -- LINE` and an initramfs of
rootfs/, build/user/ as /bin and busybox as /bin/busybox; what busybox
prints between "Run /bin/busybox as init process" and "init: PID 1
(/bin/busybox) exited with status N" (the kernel's own lines, such as
"syscall: ... unimplemented system call N", left out and listed) and N
must equal what it printed and returned under qemu-i386, recorded in
tools/busybox/expected.json (docs/userspace.md, "User tests").

    ./build.sh busybox                   # build, fetch, every applet (never part of ./build.sh test)
    python3 tools/busybox/run.py -k cat  # the lines containing "cat"
    python3 tools/busybox/run.py --record   # expected.json afresh from qemu-i386

The reference runs busybox in a chroot of the same tree (a user and mount
namespace of its own, unshare(1), the host's /usr bound in for
qemu-i386 and its libraries) with the kernel's init environment. Prints
"ok N LINE" / "not ok N LINE" and a closing "N passed, N failed"; exit
status 1 on a failure, 2 on bad arguments.
"""

import argparse
import concurrent.futures
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, "tests"))
import images  # noqa: E402
import qemu    # noqa: E402

BUILD = os.path.join(ROOT, "build")
BUSYBOX = os.path.join(BUILD, "busybox", "busybox")
APPLETS = os.path.join(HERE, "applets.txt")
EXPECTED = os.path.join(HERE, "expected.json")
WORK = os.path.join(BUILD, "busybox", "runs")
# PID 1's environment (issue 16's SPEC.md, init=).
INIT_ENV = ["HOME=/", "TERM=linux", "PATH=/bin:/sbin:/usr/bin"]
KERNEL_LINE_RE = re.compile(r"^(syscall: \S+\[\d+\] called unimplemented system call \d+"
                            r"|\S+\[\d+\]: (segfault at|general protection|invalid opcode|divide error) .*)$")


def applets():
    with open(APPLETS) as fh:
        return [line.strip() for line in fh if line.strip() and not line.startswith("#")]


def split_words(line):
    """The kernel's split of the words after "--": blanks separate,
    double quotes group (and go)."""
    words, cur, quoted, any_ = [], [], False, False
    for c in line:
        if c == '"':
            quoted, any_ = not quoted, True
        elif c in " \t" and not quoted:
            if cur or any_:
                words.append("".join(cur))
            cur, any_ = [], False
        else:
            cur.append(c)
    if cur or any_:
        words.append("".join(cur))
    return words


def stage(dest):
    """The initramfs's tree in dest: rootfs/, build/user as /bin, busybox."""
    shutil.copytree(os.path.join(ROOT, "rootfs"), dest, symlinks=True)
    os.makedirs(os.path.join(dest, "bin"), exist_ok=True)
    user = os.path.join(BUILD, "user")
    if os.path.isdir(user):
        for name in os.listdir(user):
            shutil.copy2(os.path.join(user, name), os.path.join(dest, "bin", name))
    shutil.copy2(BUSYBOX, os.path.join(dest, "bin", "busybox"))


def reference(line, tree):
    """(stdout, status) of busybox under qemu-i386 in a chroot of tree, on
    a terminal of 80x25 as PID 1's console is one (script(1); its CR LF
    read as LF, as the harness reads COM1). qemu-i386 hands the
    environment over reversed: given reversed here."""
    env = ["/usr/bin/env", "-i"] + INIT_ENV[::-1]
    inner = 'mount --rbind /usr "$1/usr" && shift && exec chroot "$@"'
    argv = ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", inner, "sh", tree, tree] + \
        env + ["/usr/bin/qemu-i386", "/bin/busybox"] + split_words(line)
    cmd = "stty cols 80 rows 25 && exec " + " ".join(shlex.quote(a) for a in argv)
    p = subprocess.run(["script", "-qec", cmd, "/dev/null"], stdin=subprocess.DEVNULL,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=60)
    return p.stdout.decode("latin-1").replace("\r\n", "\n"), p.returncode


def record():
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        stage(tree)
        os.makedirs(os.path.join(tree, "usr"), exist_ok=True)
        for lib in ("lib", "lib64"):
            os.symlink("usr/" + lib, os.path.join(tree, lib))
        out = {}
        for line in applets():
            stdout, status = reference(line, tree)
            out[line] = {"stdout": stdout, "status": status}
            print("%-40s status %d, %d bytes" % (line, status, len(stdout)))
    with open(EXPECTED, "w") as fh:
        json.dump(out, fh, indent=1, sort_keys=False)
        fh.write("\n")
    print("run.py: %s written (busybox: %s)" % (os.path.relpath(EXPECTED, ROOT), version()))
    return 0


def version():
    try:
        with open(os.path.join(BUILD, "busybox", "fetched")) as fh:
            return fh.read().strip()
    except OSError:
        return "unknown"


def initrd(path):
    """build/busybox/initrd.cpio: the tree in the newc format (cpio(1))."""
    with tempfile.TemporaryDirectory() as tmp:
        tree = os.path.join(tmp, "root")
        stage(tree)
        names = subprocess.run(["find", ".", "-mindepth", "1"], cwd=tree, check=True,
                               stdout=subprocess.PIPE).stdout
        with open(path, "wb") as fh:
            subprocess.run(["cpio", "--quiet", "-o", "-H", "newc", "-R", "0:0"], cwd=tree,
                           input=names, stdout=fh, check=True)


def boot(n, line, cpio):
    """The console's lines from busybox and its exit status, the kernel's
    lines left out, and a problem or None."""
    name = "busybox-%02d" % n
    workdir = os.path.join(WORK, name)
    shutil.rmtree(workdir, ignore_errors=True)
    os.makedirs(workdir)
    with open(cpio, "rb") as fh:
        data = fh.read()
    img = images.image_variant(name, cmdline="ktest ktest=boot.* init=/bin/busybox -- " + line,
                               esp=(("write", "/boot/initrd.cpio", data),), directory=workdir)
    com1 = os.path.join(workdir, "com1.log")
    argv = qemu.command("x64", "q35", "1G", 1, None, img,
                        qemu.fresh_vars("x64", os.path.join(workdir, "vars.fd")),
                        extra=["-serial", "file:" + com1, "-no-reboot"])
    rc, secs = qemu.run(argv, qemu.hang_timeout("1G"), os.path.join(workdir, "qemu.err"))
    text = qemu.read_text(com1)
    start = re.search(r"^Run /bin/busybox as init process$", text, re.M)
    end = re.search(r"^init: PID 1 \(/bin/busybox\) (exited with status (\d+)|killed by .*)$", text, re.M)
    if not start or not end or end.start() < start.end():
        return None, None, [], "no Run/init lines (QEMU %s after %.0f s); see %s" % (
            rc, secs, os.path.relpath(com1, ROOT))
    body = text[start.end() + 1:end.start()]
    out, kernel = [], []
    for l in body.splitlines(keepends=True):
        (kernel if KERNEL_LINE_RE.match(l.rstrip("\n")) else out).append(l)
    status = int(end.group(2)) if end.group(2) else end.group(1)
    return "".join(out), status, [l.rstrip("\n") for l in kernel], None


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--record", action="store_true", help="write expected.json from qemu-i386")
    ap.add_argument("-k", dest="patterns", action="append", default=[], help="lines containing this")
    ap.add_argument("-j", type=int, default=2, help="boots at a time")
    args = ap.parse_args()
    if not os.path.exists(BUSYBOX):
        print("run.py: no %s: run tools/busybox/fetch.sh first" % BUSYBOX, file=sys.stderr)
        return 2
    if args.record:
        return record()
    with open(EXPECTED) as fh:
        expected = json.load(fh)
    todo = [(i + 1, l) for i, l in enumerate(applets())
            if not args.patterns or any(p in l for p in args.patterns)]
    if not todo:
        print("run.py: -k %s matches no line of %s" % (" -k ".join(args.patterns), APPLETS),
              file=sys.stderr)
        return 2
    os.makedirs(WORK, exist_ok=True)
    cpio = os.path.join(BUILD, "busybox", "initrd.cpio")
    initrd(cpio)
    passed = failed = 0
    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        for (n, line), (out, status, kernel, problem) in zip(
                todo, pool.map(lambda t: boot(t[0], t[1], cpio), todo)):
            want = expected.get(line)
            if problem is None and want is None:
                problem = "not in expected.json (run.py --record)"
            if problem is None and (out, status) != (want["stdout"], want["status"]):
                problem = "printed %r and exited %s; qemu-i386: %r, %s" % (
                    out, status, want["stdout"], want["status"])
            print("%s %d %s" % ("ok" if problem is None else "not ok", n, line))
            if problem:
                print("# " + problem)
            for k in kernel:
                print("#   kernel: " + k)
            passed += problem is None
            failed += problem is not None
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
