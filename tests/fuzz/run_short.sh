#!/bin/sh
# SPDX-License-Identifier: MIT
# run_short.sh NAME [SECONDS] - one fuzzer (fuzz_module_elf or
# fuzz_vsnprintf) for a fixed time with a fixed seed over its checked-in
# corpus (tests/fuzz/corpus or tests/fuzz/corpus-vsnprintf, read only: new
# inputs go to a scratch directory), reported like a host test: one
# "ok"/"not ok" line and "N passed, N failed"; exit status 1 on a finding.
# Needs build/fuzz/NAME (make build/fuzz/NAME).
cd "$(dirname "$0")/../.." || exit 1
name=$1
secs=${2:-20}
case $name in
fuzz_module_elf) corpus=tests/fuzz/corpus max_len=65536 ;;
fuzz_vsnprintf) corpus=tests/fuzz/corpus-vsnprintf max_len=8192 ;;
*)	echo "run_short.sh: no fuzzer '$name' (fuzz_module_elf, fuzz_vsnprintf)" >&2
	exit 2 ;;
esac
bin=build/fuzz/$name
log=build/fuzz/run_short-$name.log
if [ ! -x "$bin" ]; then
	echo "    $bin is missing: make $bin"
	echo "not ok $name"
	echo "0 passed, 1 failed"
	exit 1
fi
scratch=$(mktemp -d build/fuzz/corpus.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
if "$bin" -max_total_time="$secs" -seed=1 -max_len="$max_len" \
	-artifact_prefix=build/fuzz/ "$scratch" "$corpus" >"$log" 2>&1; then
	echo "    $(grep -E '^Done|^#[0-9]+.*DONE' "$log" | tail -1)"
	echo "ok $name"
	echo "1 passed, 0 failed"
	exit 0
fi
tail -n 40 "$log" | sed 's/^/    /'
echo "    full log: $log; the input is build/fuzz/crash-* (or leak-*, timeout-*)"
echo "not ok $name"
echo "0 passed, 1 failed"
exit 1
