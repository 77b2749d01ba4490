#!/bin/sh
# SPDX-License-Identifier: MIT
# mkimage.sh OUT.img KERNEL.elf CMDLINE [MODULE.ko ...]
# Builds the bootable USB image without root: a GPT disk (sgdisk) with one
# EFI System Partition, FAT32 (mtools), holding both loaders, the kernel,
# the command line, the modules and build/initrd.cpio (or $INITRD). The
# size is a multiple of 516096 bytes (16 heads x 63 sectors x 512) so
# Bochs sees the backup GPT: 128 such
# cylinders (63 MiB), or DISK_CYLINDERS of them when set (a test stick that
# must hold a bigger file, tests/images.py).
set -eu
out=$1 kernel=$2 cmdline=$3
shift 3
dir=$(dirname "$out")
tmp=$(mktemp -d "$dir/.mkimage.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

disk_sectors=$((516096 * ${DISK_CYLINDERS:-128} / 512))	# 63 MiB by default
part_start=2048
part_end=$((disk_sectors - 34 - 1))	# the backup GPT takes the last 33
part_sectors=$((part_end - part_start + 1))

truncate -s $((disk_sectors * 512)) "$tmp/disk.img"
sgdisk -o -n 1:$part_start:$part_end -t 1:EF00 -c 1:ESP "$tmp/disk.img" >/dev/null

truncate -s $((part_sectors * 512)) "$tmp/esp.img"
mformat -i "$tmp/esp.img" -F -v ESP ::
mmd -i "$tmp/esp.img" ::/EFI ::/EFI/BOOT ::/boot ::/boot/modules
mcopy -i "$tmp/esp.img" build/BOOTX64.EFI ::/EFI/BOOT/BOOTX64.EFI
mcopy -i "$tmp/esp.img" build/BOOTIA32.EFI ::/EFI/BOOT/BOOTIA32.EFI
if [ -e "$kernel" ]; then
	mcopy -i "$tmp/esp.img" "$kernel" ::/boot/kernel.elf
fi
printf '%s\n' "$cmdline" > "$tmp/cmdline.txt"
mcopy -i "$tmp/esp.img" "$tmp/cmdline.txt" ::/boot/cmdline.txt
# The initramfs, when the build made one (INITRD= names another; empty: none).
initrd=${INITRD-build/initrd.cpio}
if [ -n "$initrd" ] && [ -e "$initrd" ]; then
	mcopy -i "$tmp/esp.img" "$initrd" ::/boot/initrd.cpio
fi
for m in "$@"; do
	mcopy -i "$tmp/esp.img" "$m" "::/boot/modules/$(basename "$m")"
done
dd if="$tmp/esp.img" of="$tmp/disk.img" bs=512 seek=$part_start conv=notrunc status=none
mv "$tmp/disk.img" "$out"
