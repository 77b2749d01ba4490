#!/bin/sh
# SPDX-License-Identifier: MIT
# run_short.sh [SECONDS] - the module ELF fuzzer for a fixed time with a
# fixed seed over the checked-in corpus (tests/fuzz/corpus, read only: new
# inputs go to a scratch directory), reported like a host test: one
# "ok"/"not ok" line and "N passed, N failed"; exit status 1 on a finding.
# Needs build/fuzz/fuzz_module_elf (make build/fuzz/fuzz_module_elf).
cd "$(dirname "$0")/../.." || exit 1
secs=${1:-20}
bin=build/fuzz/fuzz_module_elf
log=build/fuzz/run_short.log
if [ ! -x "$bin" ]; then
	echo "    $bin is missing: make $bin"
	echo "not ok fuzz_module_elf"
	echo "0 passed, 1 failed"
	exit 1
fi
scratch=$(mktemp -d build/fuzz/corpus.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
if "$bin" -max_total_time="$secs" -seed=1 -max_len=65536 \
	-artifact_prefix=build/fuzz/ "$scratch" tests/fuzz/corpus >"$log" 2>&1; then
	echo "    $(grep -E '^Done|^#[0-9]+.*DONE' "$log" | tail -1)"
	echo "ok fuzz_module_elf"
	echo "1 passed, 0 failed"
	exit 0
fi
tail -n 40 "$log" | sed 's/^/    /'
echo "    full log: $log; the input is build/fuzz/crash-* (or leak-*, timeout-*)"
echo "not ok fuzz_module_elf"
echo "0 passed, 1 failed"
exit 1
