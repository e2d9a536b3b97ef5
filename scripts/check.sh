#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TARGET...] - every build, lint and test kmemscope has:
#   1. dependencies (deps.sh) and the KUnit and debug kernels
#      (kunit-kernel.sh, from build.sh)
#   2. W=1 builds, warning-free, for every target
#   3. checkpatch.pl --strict on the C sources; the user-space tools' own
#      checks (test-snap.sh, test-bar.sh); Buildroot's check-package on
#      packaging/buildroot (lint-packaging.sh); the Debian packages built,
#      linted, installed in a Debian 12 chroot and booted (deb-test.sh)
#   4. each target's tests in QEMU (test.sh): the whole suite on lib.sh's
#      FULL_TARGETS, the core suite on the others; with TARGETs named,
#      the whole suite on each.  KUnit and the debug kernel (lockdep,
#      KASAN, debug objects, ...) run the KUnit suites too.  Every target
#      runs the DKMS test and the Buildroot and Yocto make contracts.
# Targets are tested KS_CHECK_JOBS at a time (default 2: x86 guests run
# on one host thread; see run-guest.sh), longest first; each target's
# output is printed whole when it ends, with its time.
# Default: lib.sh's CHECK_TARGETS.  Ends with "N passed, N failed"; exits
# 1 if any test failed.  Console logs stay in out/logs/.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

targets=("$@")
named=1
if [ ${#targets[@]} = 0 ]; then
	targets=($CHECK_TARGETS)
	named=0
fi
JOBS=${KS_CHECK_JOBS:-2}
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
run_step "packaging (Buildroot, Yocto)" "$HERE/lint-packaging.sh"
run_step "Debian packages (make deb)" "$HERE/deb-test.sh"
# Longest first, so that two at a time finish together (seconds, warm,
# measured: see README.md's table).
order="debug arm64-6.12-16k arm64-6.12 x86_64-6.1 x86_64-6.12-rt arm64-7.2 arm64-5.10 arm64-6.1 kunit x86_64-7.2 x86_64-5.10 x86_64-6.12"
queue=()
for o in $order; do
	for t in "${targets[@]}"; do [ "$t" = "$o" ] && queue+=("$t"); done
done
for t in "${targets[@]}"; do
	case " $order " in *" $t "*) ;; *) queue+=("$t") ;; esac
done

TL="$ROOT/out/logs/check"
rm -rf "$TL"
mkdir -p "$TL"
# test_target T: test.sh for T into $TL/T.out, its seconds into $TL/T.time.
test_target() {
	local t=$1 s mode=()
	s=$(date +%s)
	[ "$named" = 1 ] || is_full_target "$t" || mode=(--core)
	KS_BUILT=1 "$HERE/test.sh" ${mode[@]+"${mode[@]}"} "$t" >"$TL/$t.out" 2>&1
	echo "$(( $(date +%s) - s )) ${mode[*]:-whole}" >"$TL/$t.time"
}
declare -A shown=()
times=()
# show_done: print the output of each target that has ended, once.
show_done() {
	local t secs mode
	for t in "${queue[@]}"; do
		[ -f "$TL/$t.time" ] && [ -z "${shown[$t]:-}" ] || continue
		shown[$t]=1
		read -r secs mode <"$TL/$t.time"
		run_step "test $t ($mode suite)" cat "$TL/$t.out"
		echo "# $t: ${secs}s ($mode suite)"
		times+=("$t: ${secs}s ($mode suite)")
	done
}
running=0
for t in "${queue[@]}"; do
	if [ "$running" -ge "$JOBS" ]; then
		wait -n
		running=$((running - 1))
		show_done
	fi
	test_target "$t" &
	running=$((running + 1))
done
while [ "$running" -gt 0 ]; do
	wait -n
	running=$((running - 1))
	show_done
done

echo "# ---- summary ($(( $(date +%s) - T0 ))s; logs in $ROOT/out/logs)"
for l in "${times[@]}"; do echo "# $l"; done
echo "# total: $(( $(date +%s) - T0 ))s"
for l in "${failures[@]}"; do echo "$l"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
