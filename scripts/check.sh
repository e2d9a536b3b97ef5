#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TARGET...] - every build, lint and test kmemscope has:
#   1. dependencies (deps.sh) and the KUnit and debug kernels
#      (kunit-kernel.sh, from build.sh)
#   2. W=1 builds, warning-free, for every stock target, kunit and debug
#   3. checkpatch.pl --strict on the C sources; the user-space tools' own
#      checks (test-snap.sh, test-bar.sh)
#   4. the integration tests in QEMU on every stock target
#   5. the KUnit suites (and the integration tests) on the KUnit kernel
#      and on the debug kernel (lockdep, KASAN, debug objects, ...)
# Default: all targets.  Ends with "N passed, N failed"; exits 1 if any
# test failed.  Console logs stay in out/logs/.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

targets=("$@")
[ ${#targets[@]} = 0 ] && targets=($CHECK_TARGETS)
for t in "${targets[@]}"; do
	valid_target "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"
done

passed=0 failed=0
failures=()
T0=$(date +%s)

# run_step NAME CMD...: run a step printing TAP and a RESULT line; add
# its counts.  A step that dies without a RESULT counts as one failure.
run_step() {
	local name=$1 out line res p f
	shift
	echo "# ---- $name"
	out=$(mktemp)
	"$@" 2>&1 | tee "$out" | grep -v '^RESULT '
	res=$(grep '^RESULT ' "$out" | tail -n1)
	if [ -n "$res" ]; then
		p=$(echo "$res" | sed 's/.*passed=\([0-9]*\).*/\1/')
		f=$(echo "$res" | sed 's/.*failed=\([0-9]*\).*/\1/')
	else
		p=0 f=1
		echo "not ok - $name: produced no result"
	fi
	passed=$((passed + p))
	failed=$((failed + f))
	while IFS= read -r line; do failures+=("$line"); done < <(grep '^not ok' "$out")
	[ -n "$res" ] || failures+=("not ok - $name: produced no result")
	rm -f "$out"
}

# single NAME CMD...: one test that passes when CMD exits 0.
single() {
	local name=$1 log
	shift
	log=$(mktemp)
	if "$@" >"$log" 2>&1; then
		echo "ok - $name"
		echo "RESULT passed=1 failed=0"
	else
		echo "not ok - $name"
		tail -n 30 "$log" | sed 's/^#*/#   /'
		echo "RESULT passed=0 failed=1"
	fi
	rm -f "$log"
}

echo "# kmemscope check: ${targets[*]}"
run_step deps single "dependencies installed and kernels fetched" "$HERE/deps.sh" "${targets[@]}"
for t in "${targets[@]}"; do
	run_step "build $t" single "build $t (W=1, no warnings)" "$HERE/build.sh" "$t"
done
run_step checkpatch "$HERE/checkpatch.sh"
run_step "kmemscope-snap (host)" "$HERE/test-snap.sh"
run_step "kmemscope-bar (host)" "$HERE/test-bar.sh"
for t in "${targets[@]}"; do
	s=$(date +%s)
	run_step "test $t" "$HERE/test.sh" "$t"
	echo "# $t: $(( $(date +%s) - s ))s"
done

echo "# ---- summary ($(( $(date +%s) - T0 ))s; logs in $ROOT/out/logs)"
for l in "${failures[@]}"; do echo "$l"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
