#!/bin/sh
# SPDX-License-Identifier: MIT
# mkinitrd.sh OUT.cpio ROOTFS USERDIR
# The initramfs (docs/userspace.md, "Files: the initramfs and /proc"): the
# files of ROOTFS, the test programs of USERDIR (build/user/*, may be
# empty or absent) at /bin/, the directories a test needs that git cannot
# hold (an empty one) and two generated files of known sizes, as a cpio
# "newc" archive made by Debian's GNU cpio. Reproducible: names in C
# sort order, every mtime SOURCE_DATE_EPOCH (default 1700000000), owner
# 0:0, modes 0755 (directories, programs) and 0644 (files).
set -eu
out=$1 rootfs=$2 userdir=$3
epoch=${SOURCE_DATE_EPOCH:-1700000000}
dir=$(dirname "$out")
stage=$(mktemp -d "$dir/.initrd.XXXXXX")
trap 'rm -rf "$stage"' EXIT

cp -R "$rootfs/." "$stage/"
mkdir -p "$stage/bin" "$stage/empty" "$stage/dev" "$stage/proc" "$stage/data"
# Byte i of each is i mod 251 (a prime: a page-sized slip shows).
python3 -c '
import sys
for path, n in (("data/4096.bin", 4096), ("data/10000.bin", 10000)):
    with open(sys.argv[1] + "/" + path, "wb") as f:
        f.write(bytes(i % 251 for i in range(n)))
' "$stage"
if [ -d "$userdir" ]; then
	for p in "$userdir"/*; do
		[ -f "$p" ] || continue
		cp "$p" "$stage/bin/"
		chmod 0755 "$stage/bin/$(basename "$p")"
	done
fi
find "$stage" -type d -exec chmod 0755 {} +
find "$stage" -type f ! -path "$stage/bin/*" -exec chmod 0644 {} +
find "$stage" -exec touch -h -d "@$epoch" {} +
(cd "$stage" && find . -print0 | LC_ALL=C sort -z |
	cpio --null -o -H newc -R 0:0 --reproducible --quiet) > "$out.tmp"
mv "$out.tmp" "$out"
