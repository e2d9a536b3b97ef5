#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# fault-study.sh VARIANT RUNS [TARGET] - run the stress guest RUNS times in
# one VARIANT and count the runs that failed (hung, a kernel report, or a
# failed test), for the question of where the rare x86 stress failures
# come from: kmemscope or the emulator.  Not a test: make check does not
# run it.  Each failed run's console and TAP are kept in
# out/fault-study/TARGET-VARIANT/; the summary line gives the failure rate
# with its 95% Wilson interval.  TARGET defaults to x86_64-6.1.
#
# Variants:
#   a   as make check runs it (4 vCPUs, kmemscope, ks_fixture loop;
#       single-threaded TCG)
#   b   without kmemscope: the same ks_stress load and ks_fixture loop,
#       and ftrace's events and kprobe events on the same hook points
#       switched on and off as often (tests/guest-helpers/study-tracers.sh)
#   d   as a, on one vCPU (no cross-CPU text patching)
#   e   as a, on multi-threaded TCG (one host thread per vCPU)
#   f   as a, with -icount (instructions as time; single-threaded)
# Letters combine: "be" is b on multi-threaded TCG.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

v=${1:?usage: fault-study.sh VARIANT RUNS [TARGET]}
runs=${2:?usage: fault-study.sh VARIANT RUNS [TARGET]}
t=${3:-x86_64-6.1}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
[[ $v =~ ^(a|[bdef]+)$ ]] || die "unknown variant '$v' (a, or some of b, d, e, f)"
[[ $v =~ e.*f|f.*e ]] && die "variant '$v': -icount runs single-threaded only (e and f exclude each other)"
opts=() scripts=$(guest_suite stress) tcg=single smp=4
case $v in *b*) scripts=study-tracers.sh ;; esac
case $v in *d*) smp=1 ;; esac
case $v in *e*) tcg=multi ;; esac
case $v in *f*) opts=(--icount) ;; esac

"$HERE/build.sh" "$t" >/dev/null
dir="$ROOT/out/fault-study/$t-$v"
mkdir -p "$dir"
fails=0
for i in $(seq 1 "$runs"); do
	out=$(KS_GUEST_RERUN=0 KS_TCG_THREAD=$tcg "$HERE/run-guest.sh" --name "study-$v" \
		--smp "$smp" --timeout 900 --quiet "${opts[@]}" "$t" $scripts 2>&1) || true
	if printf '%s\n' "$out" | grep -q '^RESULT passed=[0-9]* failed=0$'; then
		r=pass
	else
		r=fail
		fails=$((fails + 1))
		cp "$ROOT/out/logs/$t-study-$v.console" "$dir/run$i.console"
		cp "$ROOT/out/logs/$t-study-$v.tap" "$dir/run$i.tap"
		printf '%s\n' "$out" | grep -E '^not ok' | head -n 5 >"$dir/run$i.why"
	fi
	echo "$(date +%T) $t variant $v run $i/$runs: $r" | tee -a "$dir/log"
done
awk -v f="$fails" -v n="$runs" -v t="$t" -v v="$v" 'BEGIN {
	z = 1.96; p = f / n
	c = (p + z * z / (2 * n)) / (1 + z * z / n)
	h = z * sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
	lo = c - h < 0 ? 0 : c - h; hi = c + h > 1 ? 1 : c + h
	printf "%s variant %s: %d of %d runs failed (%.1f%%; 95%% interval %.1f%%..%.1f%%)\n",
	       t, v, f, n, 100 * p, 100 * lo, 100 * hi
}' | tee -a "$dir/log"
