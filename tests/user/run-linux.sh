#!/bin/sh
# SPDX-License-Identifier: MIT
# run-linux.sh [LINUXDIR] [PROG...]: the user test programs under Debian's
# own i386 Linux 6.1 (686-pae, fetched by tools/linuxbench/fetch.sh into
# LINUXDIR, default build/linux), the reference where qemu-i386 departs
# from Linux (vfork, nanosleep's EFAULT). One QEMU boot (q35, 1 GiB,
# 2 CPUs, SeaBIOS with -kernel/-initrd as tools/linuxbench/run.sh does:
# a 32-bit kernel does not boot from the x64 OVMF) of an initramfs of
# rootfs/, build/user/ as /bin and busybox (build/busybox, fetch.sh) as
# the shell of /init, which runs each program (default: all of
# build/user but t_smp) with the root remounted read-only, then execs
# t_smp as PID 1. Console in build/user-linux.log; prints the programs'
# lines. Linux's /proc/meminfo has no VmaCount:, so the exact counts skip.
set -eu
here=$(cd "$(dirname "$0")/../.." && pwd)
linux=${1:-$here/build/linux}
[ $# -gt 0 ] && shift
progs=${*:-t_sys t_files t_mm t_fork t_exec t_isolation t_echoargs t_echoargs_pie}
vmlinuz=$(ls "$linux"/root/boot/vmlinuz-*-686-pae 2>/dev/null | head -1)
[ -n "$vmlinuz" ] || { echo "run-linux.sh: no $linux/root/boot/vmlinuz-*-686-pae (tools/linuxbench/fetch.sh $linux)" >&2; exit 2; }
[ -x "$here/build/busybox/busybox" ] || sh "$here/tools/busybox/fetch.sh" "$here/build/busybox"
tree=$(mktemp -d)
trap 'rm -rf "$tree"' EXIT
cp -a "$here/rootfs/." "$tree/"
mkdir -p "$tree/bin" "$tree/proc"
cp -a "$here/build/user/." "$tree/bin/"
cp "$here/build/busybox/busybox" "$tree/bin/busybox"
{
	echo '#!/bin/busybox sh'
	echo '/bin/busybox mount -t proc proc /proc'
	echo '/bin/busybox mount -o remount,ro /'
	for p in $progs; do
		echo "echo '=== $p'; /bin/$p; echo \"=== $p exit \$?\""
	done
	echo "echo '=== t_smp (PID 1)'"
	echo 'exec /bin/t_smp'
} > "$tree/init"
chmod 755 "$tree/init"
(cd "$tree" && find . -mindepth 1 | cpio --quiet -o -H newc -R 0:0) > "$here/build/user-linux.cpio"
log=$here/build/user-linux.log
timeout 600 qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64 -m 1G -smp 2 \
	-kernel "$vmlinuz" -initrd "$here/build/user-linux.cpio" \
	-append "console=ttyS0 rdinit=/init panic=-1 quiet" \
	-display none -serial "file:$log" -no-reboot -nodefaults || true
sed 's/\r$//' "$log" | sed -n '/^=== /,$p'
