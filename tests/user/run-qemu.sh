#!/bin/sh
# SPDX-License-Identifier: MIT
# run-qemu.sh NAME [ARGS...]: runs build/user/NAME under qemu-i386 (Debian's
# qemu-user), the Linux reference of the user tests (docs/userspace.md,
# "User tests"), with a root like the initramfs: build/user-root holds
# rootfs/ and build/user/ as /bin, and TEST_ROOT names it (the programs'
# root_path puts it before their absolute paths). In a user and mount
# namespace of its own (unshare(1); Linux 6.7 and later give it its own
# binfmt_misc), the root is bind-mounted read-only, so that writes fail
# with EROFS as on our kernel, and i386 ELF executables and static PIEs
# are registered to run under qemu-i386, so that the programs' execve
# works (the host cannot run i386 code itself). The exit status is the
# program's.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
name=$1
shift
root=$here/build/user-root
rm -rf "$root"
mkdir -p "$root/bin"
cp -a "$here/rootfs/." "$root/"
cp -a "$here/build/user/." "$root/bin/"
qemu=$(command -v qemu-i386)
# ELF32, little-endian, version 1, e_type 2 or 3, e_machine 3 (EM_386).
magic='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
mask='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
export TEST_ROOT="$root" MAGIC="$magic" MASK="$mask"
exec unshare --user --map-root-user --mount sh -c '
	root=$1 qemu=$2
	shift 2
	mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc
	printf "%s" ":pae32-i386:M::$MAGIC:$MASK:$qemu:" > /proc/sys/fs/binfmt_misc/register
	mount --bind "$root" "$root"
	mount -o remount,ro,bind "$root"
	exec "$qemu" "$@"' sh "$root" "$qemu" "$here/build/user/$name" "$@"
