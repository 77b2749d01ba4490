#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
# The one entry point: installs what is missing, builds, runs and tests.
# `./build.sh help` lists the commands; a bad argument gets the list, the
# word at fault and exit status 2. QEMU's command line is tests/qemu.py's.
set -euo pipefail
cd "$(dirname "$0")"

usage() {
	cat <<'EOF2'
usage: ./build.sh [COMMAND [ARGS]]   (MEM: N MiB, NM or NG; default 1G)
  build                  build everything and build/usb.img (the default)
  deps                   install the Debian packages the project needs
  run [x64|ia32] [MEM]   boot build/usb.img in QEMU + OVMF to the prompt, here
  debug [x64|ia32] [MEM] the same stopped for gdb on 127.0.0.1:GDB_PORT (1234)
  test [-k PATTERN] [--stress] [--no-host] [-j N]  host tests, every boot
  bochs [--megs N]       build/usb.img in Bochs with trace=paging (no network)
  layout [MEM]           one boot to the ktest checkpoint (PID 1's exit with init= in CMDLINE), draw build/layout.svg
  screenshot             boot to the prompt, the screen as a PNG in docs/
  bench                  allocator benchmarks under QEMU -icount (figures)
  bench linux            the same beside Debian's Linux 6.1 686-pae (downloads
                         it into build/linux/), one table: build/bench-linux.md
  busybox [-k PATTERN]   Debian's i386 busybox-static (downloads it into
                         build/busybox/) as PID 1, one boot per line of
                         tools/busybox/applets.txt, against qemu-i386's output
  fuzz [module_elf|vsnprintf] [ARGS]  a fuzzer (module_elf when not named),
                         open-ended (ARGS to libFuzzer)
  clean                  remove build/
  help                   this list
Environment: CMDLINE="..." the kernel command line on the image (build, run,
debug, bochs, layout, screenshot), SMP=N CPUs (run, debug), GDB_PORT (debug).
EOF2
}

# A bad argument: say which, the list, exit status 2.
bad() {
	echo "build.sh: $*" >&2
	usage >&2
	exit 2
}

# Every argument the command takes is checked before anything is
# installed, built or booted. [x64|ia32] [MEM] for run and debug, [MEM]
# for layout (x64 firmware); tests/qemu.py --check knows what QEMU takes.
fw=x64 mem=1G
fw_mem_args() {
	local cmd=$1 allow_fw=$2
	shift 2
	if [ "$allow_fw" = yes ] && [ $# -gt 0 ] && { [ "$1" = x64 ] || [ "$1" = ia32 ]; }; then
		fw=$1
		shift
	elif [ "$allow_fw" = no ] && [ $# -gt 0 ] && { [ "$1" = x64 ] || [ "$1" = ia32 ]; }; then
		bad "$cmd: unexpected argument '$1' ($cmd boots x64 firmware only)"
	fi
	if [ $# -gt 0 ]; then
		mem=$1
		shift
	fi
	[ $# -eq 0 ] || bad "$cmd: unexpected argument '$1'"
	local why
	command -v python3 >/dev/null || need_packages
	why=$(python3 tests/qemu.py --check --fw "$fw" --mem "$mem" --smp "${SMP:-1}" 2>&1) ||
		bad "$cmd: ${why}${SMP:+ (SMP=$SMP)}"
}

PACKAGES=(
	make clang lld binutils nasm gnu-efi
	qemu-system-x86 ovmf ovmf-ia32 bochs bochs-term bochsbios vgabios
	mtools gdisk dosfstools
	python3 libclang-rt-14-dev gdb
	console-setup-linux
	gcc-12 xz-utils cpio
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

# A console log as text: without CRs and control sequences (the
# kernel's colours, OVMF's screen clearing), as tests/qemu.py reads it.
log_text() {
	sed 's/\x1b\[[0-9:;<=>?]*[ -/]*[@-~]//g; s/\r//g' "$1" 2>/dev/null
}

# QEMU + OVMF through tests/qemu.py: firmware $1, memory $2, SMP CPUs;
# the rest goes to QEMU. It execs QEMU, so the caller sees QEMU itself.
qemu_boot() {
	local fw=$1 mem=$2
	shift 2
	python3 tests/qemu.py --fw "$fw" --mem "$mem" --smp "${SMP:-1}" \
		--image "${IMAGE:-build/usb.img}" -- "$@"
}

run() {
	echo "build.sh: booting build/usb.img ($fw firmware, $mem${SMP:+, $SMP CPUs}); the boot ends at the" \
		"kernel's prompt (COM1 is this terminal: type help), a ktest run ends by itself; Ctrl-A X quits"
	set +e
	qemu_boot "$fw" "$mem" -serial mon:stdio -no-reboot
	local rc=$?
	set -e
	# 0: QEMU quit (Ctrl-A X, or the guest powered off or reset under
	# -no-reboot); 1: isa-debug-exit with 0, the kernel's "all passed";
	# 3: a ktest failure.
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
# build/layout.svg (docs/memory-layout.md shows one). With init=PATH in
# CMDLINE the pause is PID 1's exit instead (checkpoint init_exit), where
# the kernel lists the process's VMAs: the user half shows them.
layout() {
	local img=build/layout.img log=build/layout-boot.log pid i cp=ktest
	case " ${CMDLINE-} " in *" init="*) cp=init_exit ;; esac
	cp build/usb.img "$img"
	printf 'ktest %s\n' "${CMDLINE-}" > build/layout-cmdline.txt
	mcopy -o -i "$img@@1M" build/layout-cmdline.txt ::/boot/cmdline.txt
	rm -f "$log" build/layout.svg
	echo "build.sh: booting a copy of build/usb.img (x64 firmware, $mem) to the $cp checkpoint"
	# The kernel reads fw_cfg only where port 0xE9 echoes (an emulator).
	python3 tests/qemu.py --fw x64 --mem "$mem" --image "$img" --debugcon build/layout-e9.log -- \
		-fw_cfg name=opt/pae32/checkpoints,string=$cp \
		-serial file:"$log" -no-reboot 2>build/layout-qemu.err &
	pid=$!
	# The checkpoint waits for an NMI that does not come: stop QEMU there,
	# at a panic, when it exits by itself, or after 10 minutes (a hang).
	for ((i = 0; i < 3000; i++)); do
		log_text "$log" | grep -q -e "^checkpoint $cp: paused for the host" -e '^Kernel panic' && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.2
	done
	# $pid is QEMU itself (tests/qemu.py execs it).
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	log_text "$log" | grep -q "^checkpoint $cp: paused for the host" ||
		echo "build.sh: the boot did not reach the $cp checkpoint; see $log" \
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
	local port=${GDB_PORT:-1234}
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
# build/bench-RUN.txt (docs/performance.md keeps them).
# The scenarios of Linux's lib/test_vmalloc.c (kernel/test_vmalloc.c) run
# in a boot of their own, 1 GiB on one CPU with vmalloc=256M (the room
# full_fit and long_busy_list need), with these parameters; Linux's
# module gets the same (docs/performance.md, "test_vmalloc").
TEST_VMALLOC_CMDLINE="bench test_vmalloc vmalloc=256M test_vmalloc.test_loop_count=10000 \
test_vmalloc.run_test_mask=127 test_vmalloc.sequential_test_order=1"
bench() {
	local img=build/bench.img run mem smp cmdline lines
	# Memory figures at 1G and 4G on one CPU; the SMP figures (IPIs,
	# shootdowns) at 1G with 2 and 4 CPUs as well; then test_vmalloc.
	for run in 1G-smp1 4G-smp1 1G-smp2 1G-smp4 1G-smp1-test_vmalloc; do
		mem=${run%%-smp*} smp=${run#*-smp} smp=${smp%%-*}
		cmdline=bench lines='^(bench|memory ready|Memory|smp):'
		if [ "$run" != "${run%-test_vmalloc}" ]; then
			cmdline=$TEST_VMALLOC_CMDLINE
			lines='^(Summary: |All test took |test_vmalloc: |bench: done)'
		fi
		cp build/usb.img "$img"
		printf '%s\n' "$cmdline" > build/bench-cmdline.txt
		mcopy -o -i "$img@@1M" build/bench-cmdline.txt ::/boot/cmdline.txt
		echo "== bench, x64 q35, $mem, $smp CPU(s), -icount shift=0,sleep=off${cmdline#bench}"
		set +e
		# timeout: a hang only; a run takes minutes.
		timeout 3600 python3 tests/qemu.py --fw x64 --mem "$mem" --smp "$smp" --image "$img" -- \
			-icount shift=0,sleep=off -serial file:build/bench-$run.log -no-reboot
		set -e
		log_text build/bench-$run.log | grep -E "$lines" | tee build/bench-$run.txt
		grep -q '^bench: done' build/bench-$run.txt || {
			echo "build.sh: the benchmark run $run did not finish" >&2; return 1; }
		[ "$cmdline" = bench ] || grep -q '^Summary: ' build/bench-$run.txt || {
			echo "build.sh: the benchmark run $run printed no Summary line" >&2; return 1; }
	done
}

# The benchmarks beside Linux's: tools/linuxbench/run.sh downloads
# Debian's Linux 6.1 686-pae (apt-get download, no root, cached in
# build/linux/), builds its two modules and boots it at 1 GiB and 4 GiB;
# then bench above; tools/bench_table.py puts the figures both print side
# by side, from this run only (docs/performance.md).
bench_linux() {
	local start=$SECONDS mem f pae args=()
	mkdir -p build/linux
	touch build/linux/bench-start
	sh tools/linuxbench/run.sh build/linux 1G 4G
	bench
	for mem in 1G 4G; do
		# The one-CPU run, then the other one-CPU runs at $mem of this
		# command (test_vmalloc's), not the SMP ones.
		pae=build/bench-$mem-smp1.txt
		for f in build/bench-"$mem"-smp1-*.txt; do
			[ "$f" -nt build/linux/bench-start ] && pae=$pae,$f
		done
		args+=("$mem=build/linux/bench-linux-$mem.txt:$pae")
	done
	echo "== Linux beside pae32 (ratio pae32/Linux; build/bench-linux.md)"
	python3 tools/bench_table.py -o build/bench-linux.md "${args[@]}"
	{
		echo "Linux: Debian packages"
		sed 's/^/- /' build/linux/fetched
		echo "QEMU: $(qemu-system-x86_64 --version | head -1)"
	} | tee -a build/bench-linux.md
	echo "build.sh: bench linux took $((SECONDS - start)) s"
}

cmd=${1:-build}
[ $# -gt 0 ] && shift
case "$cmd" in
build|deps|screenshot|clean|help)
	[ $# -eq 0 ] || bad "$cmd: unexpected argument '$1'" ;;
bench)	# [linux]
	if [ "${1-}" = linux ] && [ $# -gt 1 ]; then
		bad "$cmd: unexpected argument '$2'"
	elif [ $# -gt 0 ] && [ "$1" != linux ]; then
		bad "$cmd: unexpected argument '$1'"
	fi ;;
busybox)	# [-k PATTERN]...
	while [ $# -gt 0 ]; do
		{ [ "$1" = -k ] && [ $# -ge 2 ]; } || bad "$cmd: unexpected argument '$1'"
		shift 2
	done ;;
run|debug)
	fw_mem_args "$cmd" yes "$@" ;;
layout)
	SMP= fw_mem_args "$cmd" no "$@" ;;
esac
case "$cmd" in
help)	usage ;;
deps)	need_packages ;;
build)	need_packages; build ;;
run)	need_packages; build; run ;;
debug)	need_packages; build; debug ;;
layout)	need_packages; build; layout ;;
bench)	need_packages; build
	if [ $# -eq 1 ]; then
		bench_linux
	else
		bench
	fi ;;
screenshot)	need_packages; build
	# QEMU's screendump once the kernel waits at its prompt and the screen
	# is the console model's picture of COM1 (tests/session.py).
	exec python3 tests/session.py screenshot ;;
test)	need_packages; build; exec python3 tests/harness.py "$@" ;;
bochs)	need_packages; build
	# The kernel of build/usb.img with the paging trace on (and CMDLINE).
	exec python3 tools/bochs.py --cmdline "trace=paging${CMDLINE:+ $CMDLINE}" "$@" ;;
busybox)	need_packages; build
	# Never part of test: a download, and one boot per applet.
	sh tools/busybox/fetch.sh build/busybox
	exec python3 tools/busybox/run.py "$@" ;;
fuzz)	# New inputs go to build/fuzz/corpus (-vsnprintf); the checked-in
	# seeds stay as they are.
	fuzzer=module_elf seeds=corpus max_len=65536
	case ${1-} in
	module_elf) shift ;;
	vsnprintf) fuzzer=vsnprintf seeds=corpus-vsnprintf max_len=8192; shift ;;
	esac
	need_packages; make build/fuzz/fuzz_$fuzzer
	mkdir -p build/fuzz/$seeds
	exec build/fuzz/fuzz_$fuzzer -max_len=$max_len -artifact_prefix=build/fuzz/ \
		"$@" build/fuzz/$seeds tests/fuzz/$seeds ;;
clean)	rm -rf build ;;
*)	bad "unknown command '$cmd'" ;;
esac
