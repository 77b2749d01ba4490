#!/bin/sh
# SPDX-License-Identifier: MIT
# run.sh DIR MEM...: Linux's side of ./build.sh bench linux. Fetches the
# packages (fetch.sh), builds pae32_bench.ko and Linux's own
# lib/test_vmalloc.c as test_vmalloc.ko against the downloaded headers
# (Documentation/kbuild/modules.rst), packs them with busybox into an
# initramfs (mkinitramfs.py, init) and boots Linux at each MEM under the
# QEMU of pae32's bench (q35, -cpu qemu64, 1 CPU, -icount
# shift=0,sleep=off), with SeaBIOS and -kernel/-initrd: a 32-bit kernel
# does not boot from the x64 OVMF pae32 uses. One boot per MEM for the
# benchmark; at 1G one more for the seven test_vmalloc scenarios with
# vmalloc=256M (full_fit and long_busy_list's 15 000 live areas need more
# than the default 128 MiB), as pae32's test_vmalloc boot in build.sh. The RTC starts at a fixed date and follows
# the virtual clock: Linux mixes the wall time of boot into its random
# pool, which seeds the random sizes of test_vmalloc and SLUB's freelist
# order, so with the host's time those figures changed from run to run.
# Lines in DIR/bench-linux-MEM.txt.
# TVM_LOOP_COUNT (default 10000, build.sh's TEST_VMALLOC_CMDLINE) is
# test_vmalloc's test_loop_count.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
dir=$1
shift
mkdir -p "$dir"
dir=$(cd "$dir" && pwd)
loops=${TVM_LOOP_COUNT:-10000}

sh "$here/fetch.sh" "$dir"
abi=$(sed -n 's/^abi: //p' "$dir/fetched")
headers=$dir/root/usr/src/linux-headers-$abi-686-pae
vmlinuz=$dir/root/boot/vmlinuz-$abi-686-pae

# The modules: this directory's sources and test_vmalloc.c taken as it is
# from the linux-source tarball. The headers' Makefile sets CC to gcc-12,
# which builds for i386 with the -m32 that arch/x86/Makefile adds.
mod=$dir/mod
mkdir -p "$mod"
cp "$here/Kbuild" "$here/pae32_bench.c" "$here/tvm_wrap.c" "$here/kallsyms.h" "$mod/"
[ -s "$mod/test_vmalloc_src.c" ] ||
	tar -xJOf "$dir/linux-source-6.1.tar.xz" linux-source-6.1/lib/test_vmalloc.c \
		> "$mod/test_vmalloc_src.c"
make -s -C "$headers" M="$mod" modules
for m in pae32_bench test_vmalloc; do
	strip --strip-debug -o "$mod/$m.initramfs.ko" "$mod/$m.ko"
done
python3 "$here/mkinitramfs.py" "$dir/initramfs.cpio" init="$here/init" \
	bin/busybox="$dir/root/bin/busybox" \
	pae32_bench.ko="$mod/pae32_bench.initramfs.ko:644" \
	test_vmalloc.ko="$mod/test_vmalloc.initramfs.ko:644"

# test_vmalloc's parameters: one thread, the scenarios in order (not
# shuffled), test_loop_count=$loops; mask 127: fix_size, full_fit,
# long_busy_list, random_size, fix_align, random_size_align,
# align_shift. pcpu_alloc_test (pae32 has no per-CPU allocator) and
# the kvfree_rcu tests are left out.
tvm="nr_threads=1,sequential_test_order=1,test_repeat_count=1,test_loop_count=$loops"
boot() {
	# $1 MEM, $2 log, $3 the rest of the command line
	echo "== Linux $abi-686-pae, q35, $1, 1 CPU, -icount shift=0,sleep=off: $3"
	# timeout: a hang only; a boot takes about a minute.
	timeout 3600 qemu-system-x86_64 -accel tcg -machine q35 -cpu qemu64 \
		-m "$1" -smp 1 -nic none -display none \
		-kernel "$vmlinuz" -initrd "$dir/initramfs.cpio" \
		-append "console=ttyS0 init_on_alloc=0 quiet $3" \
		-icount shift=0,sleep=off -rtc base=2026-01-01T00:00:00,clock=vm \
		-serial file:"$2" -no-reboot
}
for mem in "$@"; do
	log=$dir/bench-linux-$mem
	logs=$log.log
	boot "$mem" "$log.log" ""
	if [ "$mem" = 1G ]; then
		logs="$logs $log-test_vmalloc.log"
		boot "$mem" "$log-test_vmalloc.log" \
			"vmalloc=256M bench=0 tvm_args=run_test_mask=127,$tvm"
	fi
	sed 's/\r//g; s/^\[ *[0-9.]*\] //' $logs |
		grep -E '^(bench|Summary|linuxbench): ' > "$log.txt"
	grep -q '^bench: done' "$log.txt" || {
		echo "run.sh: the Linux run at $mem did not finish; see $log.log" >&2
		exit 1
	}
	[ "$mem" != 1G ] || [ "$(grep -c '^Summary: ' "$log.txt")" -eq 7 ] || {
		echo "run.sh: Linux's test_vmalloc at $mem did not finish; see $log-test_vmalloc.log" >&2
		exit 1
	}
	grep -E '^(bench|Summary): ' "$log.txt"
done
