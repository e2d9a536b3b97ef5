#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [TARGET] - measure what kmemscope adds to allocation and free
# pairs on TARGET (default x86_64-6.1), and print a table.  A benchmark,
# not a test: make check does not run it.
#
# Builds (build.sh), boots TARGET under QEMU with -icount (run-guest.sh
# --icount), where tests/guest-helpers/bench.sh runs every case of
# tests/bench/ks_bench.c without kmemscope, with it, and with its stack
# capture on (when it has one).  Under -icount the guest's clock counts
# retired instructions, so the figures repeat from run to run; they do not
# count cache misses, so only the ratios carry over to real hardware.
# The guest has one vCPU: with two, x86_64 guests hang bringing up the
# second CPU under -icount (QEMU 7.2).  It boots with nokaslr: with KASLR,
# arm64 places modules out of branch range of the kernel on some boots, and
# every call from a module into the kernel then goes through a PLT veneer
# (about 6 more instructions per pair), which made figures bimodal.
# The guest's raw output stays in out/logs/TARGET-bench.tap.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:-x86_64-6.1}
valid_target "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"

"$HERE/build.sh" "$t" >/dev/null
start=$(date +%s)
rc=0
"$HERE/run-guest.sh" --icount --smp 1 --append nokaslr --quiet --timeout 900 \
	--name bench "$t" bench.sh || rc=$?
secs=$(( $(date +%s) - start ))

tap="$ROOT/out/logs/$t-bench.tap"
[ -f "$tap" ] || die "no guest output ($tap)"
tr -d '\r' <"$tap" | awk -v t="$t" -v secs="$secs" '
	function ratio(a, b) {
		if (a !~ /^[0-9.]+$/ || b !~ /^[0-9.]+$/ || a == 0)
			return "n/a"
		return sprintf("%.3f", b / a)
	}
	function val(s) { sub(/^[^=]*=/, "", s); return s }
	/^# harness: start / { kernel = $5 }
	/^bench: / {
		if (!rows++) {
			printf "\nkmemscope overhead on %s (kernel %s), ns per alloc+free pair:\n\n", t, kernel
			printf "%-16s %8s %10s %10s %7s %10s %7s\n", "case", "pairs",
			       "without", "with", "ratio", "stacks", "ratio"
		}
		base = val($4); on = val($5); st = val($6)
		printf "%-16s %8s %10s %10s %7s %10s %7s\n", $2, val($3),
		       base, on, ratio(base, on), st, ratio(base, st)
	}
	/^# bench: no .*control/ { nostacks = 1 }
	/^records: / { records = $0; bytes = $(NF - 2) }
	/^store_bytes: / { store = $2 }
	END {
		if (!rows) { print "no bench: lines in the guest output"; exit 1 }
		if (nostacks)
			print "\nstacks: n/a (this kmemscope has no control file)"
		if (records != "")
			printf "\nbytes per live record: %s (summary: \"%s\"; store: %s bytes)\n",
			       bytes, records, store
		printf "\nguest run: %s s wall time\n", secs
		print "Note: under QEMU -icount the guest clock counts retired instructions"
		print "(1 ns = 1 instruction), not cache misses or memory stalls: the figures"
		print "repeat run to run, but only the ratios carry over to real hardware."
		if (t ~ /^x86_64/) {
			print "x86_64: QEMU counts each iteration of a rep-prefixed string"
			print "instruction, so zeroing on allocation (init_on_alloc, on in Debian)"
			print "weighs 1 ns per byte: for the large sizes and pages, the difference"
			print "(with - without) carries over better than the ratio."
		}
	}'
exit "$rc"
