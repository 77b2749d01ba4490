#!/bin/sh
# SPDX-License-Identifier: MIT
# run-qemu.sh NAME [ARGS...]: runs build/user/NAME under qemu-i386 (Debian's
# qemu-user), the Linux reference of the user tests (docs/userspace.md,
# "User tests"), with a root like the initramfs: build/user-root holds
# rootfs/ and build/user/ as /bin, and TEST_ROOT names it (the programs'
# root_path puts it before their absolute paths), bind-mounted read-only
# in a mount namespace of its own (unshare(1), as root) so that writes
# fail with EROFS as on our kernel. Without root, the root stays writable
# and the EROFS case fails. The exit status is the program's.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
shift
root=$here/build/user-root
rm -rf "$root"
mkdir -p "$root/bin"
cp -a "$here/rootfs/." "$root/"
cp -a "$here/build/user/." "$root/bin/"
if [ "$(id -u)" -eq 0 ] && command -v unshare >/dev/null; then
	TEST_ROOT=$root exec unshare -m sh -c 'mount --bind "$1" "$1" &&
		mount -o remount,ro,bind "$1" && shift && exec qemu-i386 "$@"' \
		sh "$root" "$here/build/user/$name" "$@"
fi
TEST_ROOT=$root exec qemu-i386 "$here/build/user/$name" "$@"
