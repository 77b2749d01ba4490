#!/usr/bin/env bash
# The one entry point: installs what is missing, builds, runs and tests.
#
#   ./build.sh            build everything and build/usb.img
#   ./build.sh deps       install the Debian packages the project needs
#   ./build.sh run [x64|ia32] [MEM]
#                         boot build/usb.img in QEMU + OVMF, console here
#   ./build.sh debug [x64|ia32] [MEM]
#                         the same, stopped for gdb (-S, gdbstub on
#                         127.0.0.1:${GDB_PORT:-1234}); then in another
#                         terminal: gdb -x tools/gdb/pae32.py (docs/debugging.md)
#   ./build.sh test       host tests, then every QEMU/OVMF boot; ends with
#                         "N passed, N failed" and a non-zero exit on failure
#   ./build.sh bochs      boot build/usb.img in Bochs + OVMF with trace=paging
#                         (and CMDLINE); at each checkpoint Bochs's debugger
#                         walks the page tables; ends by itself, output and
#                         the comparison in build/bochs/ (docs/paging-trace.md)
#   ./build.sh layout [MEM]
#                         boot once (x64, MEM default 1G) to the ktest
#                         checkpoint and draw the virtual address space as
#                         build/layout.svg (tools/layout_svg.py)
#   ./build.sh bench      allocator benchmarks under QEMU -icount (figures,
#                         not tests; docs/performance.md)
#   ./build.sh fuzz [ARGS] the module ELF fuzzer (libFuzzer), open-ended
#                         until Ctrl-C or a finding; ARGS go to libFuzzer
#   ./build.sh clean      remove build/
#
# CMDLINE="..." ./build.sh [run] puts that kernel command line on the image;
# SMP=N ./build.sh run boots with N CPUs.
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(
	make clang lld binutils nasm gnu-efi
	qemu-system-x86 ovmf ovmf-ia32 bochs bochs-term bochsbios vgabios
	mtools gdisk dosfstools
	python3 libclang-rt-14-dev gdb
)

need_packages() {
	local missing=() p
	for p in "${PACKAGES[@]}"; do
		if [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" != installed ]; then
			missing+=("$p")
		fi
	done
	if [ ${#missing[@]} -eq 0 ]; then
		return 0
	fi
	echo "build.sh: installing ${missing[*]}"
	local sudo=""
	[ "$(id -u)" -eq 0 ] || sudo=sudo
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq
	$sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
		--no-install-recommends "${missing[@]}" >/dev/null
}

build() {
	make -j"$(nproc)" all
	sh tools/mkimage.sh build/usb.img build/kernel.elf "${CMDLINE-}" build/modules/*.ko
}

# Boots build/usb.img in QEMU + OVMF (a fresh copy of the variables each
# time) with firmware $1 (x64|ia32) and memory $2; the rest of the
# arguments (the console, -no-reboot, the gdbstub) go to QEMU.
qemu_boot() {
	local fw=$1 mem=$2 qemu=(qemu-system-x86_64)
	local machine=(-machine q35)
	local code=/usr/share/OVMF/OVMF_CODE_4M.fd
	shift 2
	vars=$(mktemp /tmp/ovmf-vars.XXXXXX)
	trap 'rm -f "$vars"' EXIT
	if [ "$fw" = ia32 ]; then
		code=/usr/share/OVMF/OVMF32_CODE_4M.secboot.fd
		cp /usr/share/OVMF/OVMF32_VARS_4M.fd "$vars"
		# SMM and the secure flash are what IA32 OVMF needs to run; S3
		# off, or that build keeps ACPI NVS over the kernel's 16 MiB.
		machine=(-machine q35,smm=on -global driver=cfi.pflash01,property=secure,value=on
			 -global ICH9-LPC.disable_s3=1)
	else
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
	fi
	"${qemu[@]}" -accel tcg "${machine[@]}" -m "$mem" ${SMP:+-smp $SMP} -nic none \
		-drive if=pflash,format=raw,unit=0,readonly=on,file="$code" \
		-drive if=pflash,format=raw,unit=1,file="$vars" \
		-drive if=none,id=usb,format=raw,file="${IMAGE:-build/usb.img}",snapshot=on \
		-device ide-hd,drive=usb,bootindex=0 \
		-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-display none "$@"
}

run() {
	local fw=${1:-x64} mem=${2:-1G}
	echo "build.sh: booting build/usb.img ($fw firmware, $mem); the kernel ends the run, or Ctrl-A X"
	set +e
	qemu_boot "$fw" "$mem" -serial mon:stdio -no-reboot
	local rc=$?
	set -e
	# isa-debug-exit: the kernel writes 0 (status 1) when it is done.
	if [ $rc -eq 1 ]; then
		return 0
	fi
	return $rc
}

# The layout picture: one boot of a copy of build/usb.img with "ktest"
# (and CMDLINE), paused by the harness's fw_cfg file at the ktest
# checkpoint, where the kernel has printed its memory layout, the
# vmallocinfo dump and its mapped pkmap and fixmap slots and waits for an
# NMI; the console log is build/layout-boot.log, the picture
# build/layout.svg (docs/memory-layout.md shows one).
layout() {
	local mem=${1:-1G} img=build/layout.img log=build/layout-boot.log pid i
	cp build/usb.img "$img"
	printf 'ktest %s\n' "${CMDLINE-}" > build/layout-cmdline.txt
	mcopy -o -i "$img@@1M" build/layout-cmdline.txt ::/boot/cmdline.txt
	rm -f "$log" build/layout.svg
	echo "build.sh: booting a copy of build/usb.img (x64 firmware, $mem) to the ktest checkpoint"
	# The kernel reads fw_cfg only where port 0xE9 echoes (an emulator).
	IMAGE=$img qemu_boot x64 "$mem" -fw_cfg name=opt/pae32/checkpoints,string=ktest \
		-chardev file,id=e9,path=build/layout-e9.log -device isa-debugcon,iobase=0xe9,chardev=e9 \
		-serial file:"$log" -no-reboot 2>build/layout-qemu.err &
	pid=$!
	# The checkpoint waits for an NMI that does not come: stop QEMU there,
	# at a panic, when it exits by itself, or after 120 s.
	for ((i = 0; i < 600; i++)); do
		grep -q -e '^checkpoint ktest: paused for the host' -e '^Kernel panic' "$log" 2>/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	# $pid is the subshell running qemu_boot; QEMU is its child.
	pkill -P "$pid" 2>/dev/null || true
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	grep -q '^checkpoint ktest: paused for the host' "$log" ||
		echo "build.sh: the boot did not reach the ktest checkpoint; see $log" \
			"and build/layout-qemu.err" >&2
	python3 tools/layout_svg.py "$log" -o build/layout.svg
	echo "build.sh: wrote build/layout.svg (from $log)"
}

# Like run, stopped at the reset vector until gdb connects to the gdbstub
# on 127.0.0.1:$GDB_PORT (1234, what -s would open, but local only); the
# gdb side is tools/gdb/pae32.py (docs/debugging.md). The console and the
# QEMU monitor share this terminal (Ctrl-A C switches) and the console is
# copied to build/debug-serial.log, where gdb's loader-symbols finds the
# loader's image base. No -no-reboot: gdb's `monitor system_reset` boots
# again (the loader lands at the same base). signal=off: Ctrl-C here goes
# to the guest, not to QEMU; interrupt in gdb, quit with Ctrl-A X.
debug() {
	local fw=${1:-x64} mem=${2:-1G} port=${GDB_PORT:-1234}
	: > build/debug-serial.log
	echo "build.sh: build/usb.img ($fw firmware, $mem) waits for gdb on 127.0.0.1:$port; in another terminal:"
	echo
	echo "    ${GDB_PORT:+GDB_PORT=$port }gdb -x $PWD/tools/gdb/pae32.py"
	echo
	echo "build.sh: then e.g. 'hbreak start_kernel' and 'continue'. The console appears here"
	echo "build.sh: (and in build/debug-serial.log); Ctrl-A C the QEMU monitor, Ctrl-A X quits."
	set +e
	qemu_boot "$fw" "$mem" \
		-chardev stdio,id=con,mux=on,signal=off,logfile=build/debug-serial.log \
		-serial chardev:con -mon chardev=con \
		-gdb tcp:127.0.0.1:"$port" -S
	local rc=$?
	set -e
	if [ $rc -eq 1 ]; then
		return 0
	fi
	return $rc
}

# Benchmarks: the kernel with "bench" on its command line, under QEMU with
# -icount shift=0,sleep=off so that the TSC counts instructions and the
# figures repeat; at 1 GiB and 4 GiB. Figures go to the terminal and to
# build/bench-MEM.txt (docs/performance.md keeps them).
bench() {
	local img=build/bench.img mem
	cp build/usb.img "$img"
	printf 'bench\n' > build/bench-cmdline.txt
	mcopy -o -i "$img@@1M" build/bench-cmdline.txt ::/boot/cmdline.txt
	vars=$(mktemp /tmp/ovmf-vars.XXXXXX)
	trap 'rm -f "$vars"' EXIT
	# Memory figures at 1G and 4G on one CPU; the SMP figures (IPIs,
	# shootdowns) at 1G with 2 and 4 CPUs as well.
	for run in 1G-smp1 4G-smp1 1G-smp2 1G-smp4; do
		mem=${run%-smp*} smp=${run#*-smp}
		cp /usr/share/OVMF/OVMF_VARS_4M.fd "$vars"
		echo "== bench, x64 q35, $mem, $smp CPU(s), -icount shift=0,sleep=off"
		set +e
		timeout 900 qemu-system-x86_64 -machine q35 -accel tcg \
			-icount shift=0,sleep=off -m "$mem" -smp "$smp" -nic none \
			-drive if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd \
			-drive if=pflash,format=raw,unit=1,file="$vars" \
			-drive if=none,id=usb,format=raw,snapshot=on,file="$img" \
			-device ide-hd,drive=usb,bootindex=0 \
			-device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-display none -serial file:build/bench-$run.log -no-reboot
		set -e
		tr -d '\r' < build/bench-$run.log | grep -E '^(bench|memory ready|Memory|smp):' \
			| tee build/bench-$run.txt
		grep -q '^bench: done' build/bench-$run.txt || {
			echo "build.sh: the benchmark run $run did not finish" >&2; return 1; }
	done
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
deps)	need_packages ;;
build)	need_packages; build ;;
run)	need_packages; build; run "$@" ;;
bochs)	need_packages; build
	# The kernel of build/usb.img with the paging trace on (and CMDLINE).
	exec python3 tools/bochs.py --cmdline "trace=paging${CMDLINE:+ $CMDLINE}" "$@" ;;
layout)	need_packages; build; layout "$@" ;;
debug)	need_packages; build; debug "$@" ;;
bench)	need_packages; build; bench ;;
test)	need_packages; build; exec python3 tests/harness.py "$@" ;;
fuzz)	need_packages; make build/fuzz/fuzz_module_elf
	# New inputs go to build/fuzz/corpus; the checked-in seeds stay as they are.
	mkdir -p build/fuzz/corpus
	exec build/fuzz/fuzz_module_elf -max_len=65536 -artifact_prefix=build/fuzz/ \
		"$@" build/fuzz/corpus tests/fuzz/corpus ;;
clean)	rm -rf build ;;
*)	echo "usage: $0 [build|deps|run [x64|ia32] [MEM]|debug [x64|ia32] [MEM]|bochs|layout [MEM]|test|bench|fuzz|clean]" >&2; exit 2 ;;
esac
