#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
"""Checks that keep the repository's documents true to its code and the
repository standing alone: every boot parameter the kernel registers is in
docs/boot-protocol.md's tables and every name there is registered; no file
points outside the repository; every path a document or a source file
names exists; every source file carries its SPDX line; COM1's port and the
loader's page names are defined once, in one meaning.

usage: python3 tests/test_docs.py [ROOT]
Prints one line per check, then "N passed, N failed"; exit status 1 when a
check fails. From Python: run_checks(root) -> [(name, ok, detail), ...].
"""

import glob
import os
import re
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

# Built from pieces so that this file does not contain what it looks for.
OUTSIDE_REFS = ("../" + "shared", "EMULATORS" + ".md", "ARCHITECTURE" + ".md")
SPDX = "SPDX-License-" + "Identifier: MIT"

SOURCE_EXTS = (".c", ".h", ".asm", ".S", ".py", ".sh", ".ld")
SOURCE_NAMES = ("Makefile", "build.sh")
SOURCE_PATHS = (".ci/run",)
DOC_EXTS = (".md",)

# The registration macros of include/kernel/params.h, with a literal name.
PARAM_RE = re.compile(r'\b(?:__setup|__setup_flag|__setup_uint|early_param)'
                      r'\s*\(\s*"([^"]*)"')
C_COMMENT_RE = re.compile(r"/\*.*?\*/|//[^\n]*", re.S)
# Where the parameter tables are: this section of docs/boot-protocol.md.
PARAM_DOC = "docs/boot-protocol.md"
PARAM_SECTION = "## Kernel command line"
TABLE_ROW_RE = re.compile(r"^\|\s*(`[^|]*)\|", re.M)
BACKTICK_RE = re.compile(r"`([^`]+)`")

# A file name without a directory, as docs write "loader.c".
BARE_NAME_RE = re.compile(r"(?<![\w./\\-])([A-Za-z_][\w-]*\.(?:c|h|asm|S|py|sh|ld|md))(?![\w/-])")
# Paths of other projects are named after them: "Linux's mm/slab.c",
# "QEMU docs/specs/fw_cfg.rst". Such a path is not ours when one of these
# words stands shortly before it with no ';' in between.
FOREIGN_RE = re.compile(r"\b(?:Linux|QEMU|GRUB|GNU-EFI|gnu-efi|edk2|EDK2)\b")
FOREIGN_REACH = 60
# Generated or on the stick, not in the tree.
GENERATED_TOPS = ("build",)
COM1_RE = re.compile(r"\b0x0*3f8\b", re.I)
COM1_HOME = "drivers/uart/uart16550.h"
LOADER_PAGE_DEF_RE = re.compile(r"^\s*#\s*define\s+(PAGE_(?:MASK|SIZE|SHIFT))\b", re.M)
LOADER_CLASH_RE = re.compile(r"(?<![\w.>])(alloc_pages|free_pages)\s*\(")


def repo_files(root):
    """Files in the repository (tracked, or new and not ignored), relative
    to root, that exist on disk; without git, every file outside .git and
    build/."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--cached",
                              "--others", "--exclude-standard"],
                             capture_output=True, check=True).stdout
        names = sorted(set(n for n in out.decode().split("\0") if n))
    except (OSError, subprocess.CalledProcessError):
        names = []
        for d, dirs, files in os.walk(root):
            rel = os.path.relpath(d, root)
            dirs[:] = [x for x in dirs if not (rel == "." and x in (".git",) + GENERATED_TOPS)]
            names += [os.path.normpath(os.path.join(rel, f)) for f in files]
        names.sort()
    return [n for n in names if os.path.isfile(os.path.join(root, n))]


def read(root, rel):
    """The file's text, or None for a binary file."""
    with open(os.path.join(root, rel), "rb") as fh:
        data = fh.read()
    if b"\0" in data:
        return None
    return data.decode("utf-8", "replace")


def is_source(rel):
    return (rel.endswith(SOURCE_EXTS) or os.path.basename(rel) in SOURCE_NAMES
            or rel in SOURCE_PATHS)


def is_doc(rel):
    return rel == "README.md" or (rel.startswith("docs/") and rel.endswith(DOC_EXTS))


def summary(bad, good_text, bad_text):
    """good_text when bad is empty, else bad_text and the first offenders."""
    if not bad:
        return good_text
    shown = "; ".join(bad[:12])
    more = " (and %d more)" % (len(bad) - 12) if len(bad) > 12 else ""
    return "%s: %s%s" % (bad_text, shown, more)


# ------------------------------------------------------------ parameters

def registered_params(root, files):
    """{name: first file registering it} from the kernel's C sources (the
    host programs under tests/host and tests/fuzz register none)."""
    found = {}
    for rel in files:
        if not rel.endswith(".c") or rel.startswith(("tests/host/", "tests/fuzz/", "tools/")):
            continue
        text = read(root, rel)
        if text is None:
            continue
        for name in PARAM_RE.findall(C_COMMENT_RE.sub(" ", text)):
            found.setdefault(name.rstrip("="), rel)
    return found


def documented_params(root):
    """The parameter names in the first cell of each table row of the
    command-line section of docs/boot-protocol.md ("`mem=SIZE`" -> mem)."""
    path = os.path.join(root, PARAM_DOC)
    if not os.path.exists(path):
        return None
    text = read(root, PARAM_DOC)
    start = text.find(PARAM_SECTION)
    if start < 0:
        return None
    end = text.find("\n## ", start + len(PARAM_SECTION))
    section = text[start:end if end >= 0 else len(text)]
    names = set()
    for cell in TABLE_ROW_RE.findall(section):
        for tok in BACKTICK_RE.findall(cell):
            names.add(tok.split("=")[0].strip())
    return names


def check_params(root, files):
    reg = registered_params(root, files)
    doc = documented_params(root)
    if doc is None:
        missing = ["%s has no %r section" % (PARAM_DOC, PARAM_SECTION)]
        return [("boot-protocol.md lists every registered parameter", False, missing[0]),
                ("boot-protocol.md lists only registered parameters", False, missing[0])]
    undocumented = ["%s (%s)" % (n, reg[n]) for n in sorted(reg) if n not in doc]
    stale = sorted(n for n in doc if n not in reg)
    if not reg:
        undocumented = ["no registered parameter found (the scan is broken)"]
    return [
        ("boot-protocol.md lists every registered parameter", not undocumented,
         summary(undocumented, "%d registered, all in the tables" % len(reg),
                 "%d of %d registered parameters not in %s"
                 % (len(undocumented), len(reg), PARAM_DOC))),
        ("boot-protocol.md lists only registered parameters", not stale,
         summary(stale, "%d in the tables, all registered" % len(doc),
                 "%d of %d documented parameters nobody registers" % (len(stale), len(doc)))),
    ]


# ------------------------------------------------------------ outside refs

def check_outside_refs(root, files):
    bad = []
    for rel in files:
        text = read(root, rel)
        if text is None:
            continue
        for n, line in enumerate(text.split("\n"), 1):
            for ref in OUTSIDE_REFS:
                if ref in line:
                    bad.append("%s:%d names %s" % (rel, n, ref))
    return [("no file points outside the repository", not bad,
             summary(bad, "%d files, none names %s" % (len(files), ", ".join(OUTSIDE_REFS)),
                     "%d mention(s) of files outside the repository" % len(bad)))]


# ------------------------------------------------------------ paths

def path_regex(files):
    tops = sorted({f.split("/")[0] for f in files if "/" in f})
    alts = "|".join(re.escape(t) for t in tops)
    return re.compile(r"(?<![\w./\\-])((?:%s)/(?:[\w.*+-]+/?)*)" % alts)


def placeholder_glob(path):
    """NAME, NN, FW and the like in a path become wildcards."""
    parts = []
    for comp in path.split("/"):
        parts.append(re.sub(r"(?<![A-Za-z0-9])(?:[A-Z]{2,}|N)(?![A-Za-z0-9])", "*", comp))
    return "/".join(parts)


def path_exists(root, path):
    path = path.rstrip(".,:;")
    if not path or path.split("/")[0] in GENERATED_TOPS:
        return True
    cand = [path]
    if path.endswith(".o"):
        cand = [path[:-2] + ext for ext in (".c", ".asm", ".S")]
    elif not os.path.splitext(path.rstrip("/"))[1] and not path.endswith("/"):
        cand = [path] + [path + ext for ext in (".c", ".py", ".sh")]
    for c in cand:
        for base in ("", "include/"):
            q = os.path.join(root, base, placeholder_glob(c))
            if any(ch in q for ch in "*?["):
                if glob.glob(q):
                    return True
            elif os.path.exists(q):
                return True
    return False


def foreign(prev, line, pos):
    """Whether the path at line[pos:] is another project's; the words
    before it may end the previous line (prev)."""
    before = (prev.lstrip(" */#;") + " " + line[:pos].lstrip(" */#;"))[-FOREIGN_REACH:]
    m = None
    for m in FOREIGN_RE.finditer(before):
        pass
    return m is not None and ";" not in before[m.end():]


def named_paths(text, regex, py=False):
    """(line number, path) for every repository path the text names."""
    if py:
        text = text.replace("\\.", ".")
    prev = ""
    for n, line in enumerate(text.split("\n"), 1):
        for m in regex.finditer(line):
            if not foreign(prev, line, m.start()):
                yield n, m.group(1)
        prev = line


def check_doc_paths(root, files):
    regex = path_regex(files)
    basenames = {os.path.basename(f) for f in files}
    docs = [f for f in files if is_doc(f)]
    bad, total = [], 0
    for rel in docs:
        text = read(root, rel)
        for n, path in named_paths(text, regex):
            total += 1
            if not path_exists(root, path):
                bad.append("%s:%d %s" % (rel, n, path))
        prev = ""
        for n, line in enumerate(text.split("\n"), 1):
            for m in BARE_NAME_RE.finditer(line):
                total += 1
                if m.group(1) not in basenames and not foreign(prev, line, m.start()):
                    bad.append("%s:%d %s (no such file anywhere)" % (rel, n, m.group(1)))
            prev = line
    if not docs:
        bad.append("no docs found")
    return [("every path the docs name exists", not bad,
             summary(bad, "%d paths and file names in %d docs, all there" % (total, len(docs)),
                     "%d of %d named in the docs missing" % (len(bad), total)))]


def check_source_paths(root, files):
    regex = path_regex(files)
    sources = [f for f in files if is_source(f)]
    bad, total = [], 0
    for rel in sources:
        text = read(root, rel)
        if text is None:
            continue
        for n, path in named_paths(text, regex, py=rel.endswith(".py")):
            total += 1
            if not path_exists(root, path):
                bad.append("%s:%d %s" % (rel, n, path))
    return [("every path the sources name exists", not bad,
             summary(bad, "%d paths in %d source files, all there" % (total, len(sources)),
                     "%d of %d paths named in the sources missing" % (len(bad), total)))]


# ------------------------------------------------------------ SPDX

def check_spdx(root, files):
    sources = [f for f in files if is_source(f)]
    bad = []
    for rel in sources:
        text = read(root, rel) or ""
        if SPDX not in "\n".join(text.split("\n")[:3]):
            bad.append(rel)
    if not sources:
        bad.append("no source files found")
    return [("every source file carries its SPDX line", not bad,
             summary(bad, "%d source files, each with %r" % (len(sources), SPDX),
                     "%d of %d source files without %r in their first 3 lines"
                     % (len(bad), len(sources), SPDX)))]


# ------------------------------------------------------------ one name, one meaning

def check_com1(root, files):
    bad = []
    home = False
    for rel in files:
        if not is_source(rel) or rel == "tests/test_docs.py":
            continue
        text = read(root, rel) or ""
        for n, line in enumerate(text.split("\n"), 1):
            if COM1_RE.search(line):
                if rel == COM1_HOME:
                    home = True
                else:
                    bad.append("%s:%d" % (rel, n))
    if not home:
        bad.insert(0, "%s does not define it" % COM1_HOME)
    return [("COM1's port is written in one place (%s)" % COM1_HOME, not bad,
             "; ".join(bad) if bad else "0x3f8 only in " + COM1_HOME)]


def check_loader_names(root, files):
    bad = []
    efi = [f for f in files if f.startswith("efi/") and f.endswith((".c", ".h"))]
    for rel in efi:
        text = C_COMMENT_RE.sub(" ", read(root, rel) or "")
        for m in LOADER_PAGE_DEF_RE.finditer(text):
            bad.append("%s defines %s (the kernel's name)" % (rel, m.group(1)))
        for m in LOADER_CLASH_RE.finditer(text):
            bad.append("%s uses %s() (the buddy allocator's name)" % (rel, m.group(1)))
    if not efi:
        bad.append("no loader sources found")
    return [("the loader borrows no kernel memory names", not bad,
             summary(bad, "%d loader files, no PAGE_* definition, no alloc_pages/free_pages"
                     % len(efi), "%d clashes" % len(bad)))]


def check_license(root, files):
    path = os.path.join(root, "LICENSE")
    text = open(path).read() if os.path.exists(path) else ""
    ok = text.startswith("MIT License") and "Copyright (c) 2026 the pae32 authors" in text
    return [("LICENSE is MIT, the pae32 authors", ok,
             "LICENSE present" if ok else "LICENSE missing or not the MIT text")]


def run_checks(root=ROOT):
    """[(name, ok, detail)] for every check, on the tree at root."""
    files = repo_files(root)
    results = []
    for check in (check_params, check_outside_refs, check_doc_paths,
                  check_source_paths, check_spdx, check_com1, check_loader_names,
                  check_license):
        results += check(root, files)
    return results


def main(argv):
    root = os.path.abspath(argv[0]) if argv else ROOT
    failed = passed = 0
    for name, ok, detail in run_checks(root):
        print("%-4s %s: %s" % ("ok" if ok else "FAIL", name, detail))
        passed += ok
        failed += not ok
    print("%d passed, %d failed" % (passed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
