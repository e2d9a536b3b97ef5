#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [TARGET...] - every build, lint and test kmemscope has:
#   1. dependencies (deps.sh) and the KUnit and debug kernels
#      (kunit-kernel.sh, from build.sh)
#   2. W=1 builds, warning-free, for every target, and for make bench's
#      kernel (built, not tested: its figures are make bench's)
#   3. checkpatch.pl --strict on the C sources; module/ has no dependency
#      cycle (layers.sh); each debugfs-docs page states the format version
#      the module prints (docs-versions.sh); the user-space tools' own
#      checks (test-snap.sh, test-bar.sh; test-report.sh renders kmemscope-snap
#      report's page in headless Chromium); the removal of build trees
#      whose clone is gone from the chroots (test-prune.sh); Buildroot's
#      check-package on packaging/buildroot (lint-packaging.sh); the
#      Debian packages built, linted, installed in a Debian 12 chroot and
#      booted (deb-test.sh)
#   4. each target's tests in QEMU (test.sh): the whole suite on lib.sh's
#      FULL_TARGETS, the core suite on the others; with TARGETs named,
#      the whole suite on each.  KUnit and the debug kernel (lockdep,
#      KASAN, debug objects, ...) run the KUnit suites too.  Every target
#      runs the DKMS test and the Buildroot and Yocto make contracts.
# Targets are tested in two lanes side by side, arm64 and x86 (below);
# each target's output is printed whole when it ends, with its time.
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
for t in "${targets[@]}"; do
	valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
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
[ "$named" = 1 ] ||
	run_step "build bench" single "build bench (W=1, no warnings)" "$HERE/build.sh" bench
run_step checkpatch "$HERE/checkpatch.sh"
run_step "layers (module/)" "$HERE/layers.sh" "${targets[0]}"
run_step "format versions (debugfs-docs)" "$HERE/docs-versions.sh"
run_step "kmemscope-snap (host)" "$HERE/test-snap.sh"
run_step "kmemscope-bar (host)" "$HERE/test-bar.sh"
run_step "kmemscope-snap report in Chromium (host)" "$HERE/test-report.sh"
run_step "console scan (host)" "$HERE/test-console.sh"
run_step "build trees in the chroots (host)" "$HERE/test-prune.sh"
run_step "packaging (Buildroot, Yocto)" "$HERE/lint-packaging.sh"
run_step "Debian packages (make deb)" "$HERE/deb-test.sh"
# Two lanes, run side by side, each taking the next unit no lane has
# taken yet (a claim is a mkdir, which is atomic).  A unit is a target,
# but for the debug kernel, the longest (1,330 s in a check of 3,080 s):
# its tests are two units, "debug" (test.sh --no-faults, about 800 s) and
# "debug-faults" (test.sh --faults, about 530 s).  The arm lane takes the
# arm64 targets (about 1,740 s), then the x86 units from the end of their
# list; the x86 lane takes them from the start: "debug" first, then the
# whole-suite targets, the core ones, and last "debug-faults", which the
# arm lane so takes first when it has done the arm64 targets.  The x86
# units take longer in all (3,140 s), so the arm lane ends by helping with
# them, the shortest first.  An x86 guest runs on one host thread
# (run-guest.sh), an arm64 one on a thread per vCPU: two arm64 guests at
# once (the stress guests have 4 vCPUs) would starve each other on a
# 2-core machine, and no lane takes an arm64 target after an x86 one, so
# two never run at once.
# whole T: T runs the whole suite (a target named on the command line
# does); the others run the core suite.
whole() { [ "$named" = 1 ] || is_full_target "$1"; }
arm_q=() x86_full=() x86_core=() x86_q=()
for t in "${targets[@]}"; do
	case $t in
	arm64-*) arm_q+=("$t") ;;
	debug) x86_q=(debug) ;;
	*) if whole "$t"; then x86_full+=("$t"); else x86_core+=("$t"); fi ;;
	esac
done
x86_q+=(${x86_full[@]+"${x86_full[@]}"} ${x86_core[@]+"${x86_core[@]}"})
[ "${x86_q[0]:-}" != debug ] || x86_q+=(debug-faults)
x86_rev=()
for t in ${x86_q[@]+"${x86_q[@]}"}; do x86_rev=("$t" ${x86_rev[@]+"${x86_rev[@]}"}); done
queue=(${arm_q[@]+"${arm_q[@]}"} ${x86_q[@]+"${x86_q[@]}"})

TL="$ROOT/out/logs/check"
rm -rf "$TL"
mkdir -p "$TL"
# test_target U: test.sh for unit U into $TL/U.out, its seconds into
# $TL/U.time.
test_target() {
	local u=$1 t=$1 s mode=() label="whole suite"
	s=$(date +%s)
	case $u in
	debug) mode=(--no-faults) label="whole suite but fault injection" ;;
	debug-faults) t=debug mode=(--faults) label="fault injection" ;;
	*) whole "$t" || { mode=(--core) label="--core suite"; } ;;
	esac
	KS_BUILT=1 "$HERE/test.sh" ${mode[@]+"${mode[@]}"} "$t" >"$TL/$u.out" 2>&1
	echo "$(( $(date +%s) - s )) $label" >"$TL/$u.time"
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
		run_step "test $t ($mode)" cat "$TL/$t.out"
		echo "# $t: ${secs}s ($mode)"
		times+=("$t: ${secs}s ($mode)")
	done
}
# lane T...: test each T that no other lane has claimed.
lane() {
	local t
	for t in "$@"; do
		mkdir "$TL/$t.claim" 2>/dev/null || continue
		test_target "$t"
	done
}
pids=()
lane ${arm_q[@]+"${arm_q[@]}"} ${x86_rev[@]+"${x86_rev[@]}"} & pids+=($!)
lane ${x86_q[@]+"${x86_q[@]}"} & pids+=($!)
while :; do
	alive=0
	for p in "${pids[@]}"; do kill -0 "$p" 2>/dev/null && alive=1; done
	show_done
	[ "$alive" = 1 ] || break
	sleep 5
done
wait
show_done

echo "# ---- summary ($(( $(date +%s) - T0 ))s; logs in $ROOT/out/logs)"
for l in "${times[@]}"; do echo "# $l"; done
echo "# total: $(( $(date +%s) - T0 ))s"
for l in "${failures[@]}"; do echo "$l"; done
echo "$passed passed, $failed failed"
[ "$failed" = 0 ]
