#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench.sh [--report] [TARGET] - measure what kmemscope adds to allocation and free
# pairs on TARGET (default x86_64-6.1), beside what the kernel's own
# trackers add where TARGET has them, print a table and write
# out/bench/TARGET.tsv.  A benchmark, not a test: make check does not run
# it.
#
# Builds (build.sh), boots TARGET under QEMU with -icount (run-guest.sh
# --icount), where tests/guest-helpers/bench.sh runs every case of
# tests/bench/ks_bench.c in each configuration the kernel allows (see
# there): baseline, kmemscope, kmemscope_stacks, kmemscope_stacks_other,
# and on the bench target (a 6.12 kernel built here with memory allocation
# profiling and kmemleak) also map, in the same boot, and kmemleak, in a
# second boot with kmemleak=on.
#
# Under -icount the guest's clock counts retired instructions (1 ns = 1
# instruction), so the figures repeat from run to run; they do not count
# cache misses, so only the ratios carry over to real hardware.  The guest
# has one vCPU: with two, x86_64 guests hang bringing up the second CPU
# under -icount (QEMU 7.2).  It boots with nokaslr: with KASLR, arm64
# places modules out of branch range of the kernel on some boots, and every
# call from a module into the kernel then goes through a PLT veneer (about
# 6 more instructions per pair), which made figures bimodal.
#
# out/bench/TARGET.tsv: a header line "op<TAB>config<TAB>instructions_per_pair",
# then a line per case and configuration measured.
# A third boot (1 GiB; tests/guest-helpers/bench-scale.sh) measures a
# kmalloc-32 pair with 0 to 1M allocations live and with 10 to 100k call
# sites in kmemscope's tables: out/bench/TARGET-scale.tsv, a header line
# "records<TAB>sites<TAB>instructions_per_pair", then a line per point.
# The guests' raw output stays in out/logs/TARGET-bench*.tap; --report
# prints the table and writes the TSV again from those, without a run.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

report=0
[ "${1:-}" != --report ] || { report=1; shift; }
t=${1:-x86_64-6.1}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"

start=$(date +%s)
rc=0
boots=(bench)
[ "$t" != bench ] || boots+=(bench-kmemleak)
[ "$report" = 1 ] || "$HERE/build.sh" "$t" >/dev/null
# The bench kernel's memory allocation profiling is off at boot; it can be
# switched on later only if the boot names it (lib/alloc_tag.c: without
# sysctl.vm.mem_profiling= on the command line, the sysctl is read-only).
append=nokaslr
[ "$t" != bench ] || append="$append sysctl.vm.mem_profiling=0"
[ "$report" = 1 ] || "$HERE/run-guest.sh" --icount --smp 1 --append "$append" \
	--quiet --timeout 1200 --name bench "$t" bench.sh || rc=$?
if [ "$t" = bench ] && [ "$report" = 0 ]; then
	"$HERE/run-guest.sh" --icount --smp 1 --append "$append kmemleak=on" --quiet \
		--timeout 2400 --name bench-kmemleak "$t" bench.sh || rc=$?
fi
# The scale curves: a boot of their own, with room for a million records.
[ "$report" = 1 ] || "$HERE/run-guest.sh" --icount --smp 1 --mem 1G --append "$append" \
	--quiet --timeout 2400 --name bench-scale "$t" bench-scale.sh || rc=$?
secs=$(( $(date +%s) - start ))

mkdir -p "$ROOT/out/bench"
tsv="$ROOT/out/bench/$t.tsv"
taps=()
for b in "${boots[@]}"; do
	tap="$ROOT/out/logs/$t-$b.tap"
	[ -f "$tap" ] || die "no guest output ($tap)"
	taps+=("$tap")
done
{
	printf 'op\tconfig\tinstructions_per_pair\n'
	cat "${taps[@]}" | tr -d '\r' | awk '$1 == "bench:" && NF == 5 { print $2 "\t" $3 "\t" $5 }'
} >"$tsv"
# (awk reads the whole file: one that exits early would leave tr to die of
# SIGPIPE, and pipefail would end the script there.)
kernel=$(awk '{ sub(/\r$/, "") } /^# harness: start / && k == "" { k = $5 } END { print k }' "${taps[0]}")
summary=$(cat "${taps[@]}" | tr -d '\r' | grep -E '^(records|store_bytes):' || true)

awk -F'\t' -v t="$t" -v kernel="$kernel" -v secs="$secs" -v tsv="$tsv" -v summary="$summary" '
	NR == 1 { next }
	!($1 in seen) { seen[$1] = 1; ops[++nops] = $1 }
	{ v[$1, $2] = $3; have[$2] = 1 }
	function num(x) { return x ~ /^[0-9.]+$/ }
	function cell(op, c) { return ((op, c) in v) ? v[op, c] : "-" }
	function added(op, c) {
		if (!num(cell(op, c)) || !num(cell(op, "baseline")))
			return "-"
		return sprintf("%+.0f", v[op, c] - v[op, "baseline"])
	}
	function ratio(a, b) { return (num(a) && num(b) && a > 0) ? sprintf("%.2f", b / a) : "-" }
	END {
		if (!nops) { print "no bench: lines in the guest output"; exit 1 }
		n = split("baseline map kmemleak kmemscope kmemscope_stacks kmemscope_stacks_other", all, " ")
		nc = 0
		for (i = 1; i <= n; i++)
			if (all[i] in have)
				cols[++nc] = all[i]
		printf "\nAllocation + free pairs on %s (kernel %s): instructions per pair\n", t, kernel
		printf "(added: over baseline; x base: ratio to baseline)\n\n"
		printf "%-18s", "op"
		for (i = 1; i <= nc; i++)
			printf " %16s", cols[i]
		printf "\n"
		for (o = 1; o <= nops; o++) {
			op = ops[o]
			printf "%-18s", op
			for (i = 1; i <= nc; i++)
				printf " %16s", cell(op, cols[i])
			printf "\n%-18s", "  added"
			for (i = 1; i <= nc; i++)
				printf " %16s", cols[i] == "baseline" ? "" : added(op, cols[i])
			printf "\n%-18s", "  x base"
			for (i = 1; i <= nc; i++)
				printf " %16s", cols[i] == "baseline" ? "" : ratio(cell(op, "baseline"), cell(op, cols[i]))
			printf "\n"
		}
		if ("map" in have) {
			printf "\nkmemscope'"'"'s added instructions against MAP'"'"'s added (memory allocation profiling):\n\n"
			printf "%-18s %10s %10s %8s %16s %8s\n", "op", "MAP", "kmemscope", "ratio", "kmemscope_stacks", "ratio"
			for (o = 1; o <= nops; o++) {
				op = ops[o]
				m = added(op, "map"); k = added(op, "kmemscope"); s = added(op, "kmemscope_stacks")
				rk = (m != "-" && m + 0 > 0 && k != "-") ? sprintf("%.2f", k / m) : "-"
				rs = (m != "-" && m + 0 > 0 && s != "-") ? sprintf("%.2f", s / m) : "-"
				printf "%-18s %10s %10s %8s %16s %8s\n", op, m, k, rk, s, rs
			}
		}
		if (!("kmemscope_stacks_other" in have))
			print "\nkmemscope_stacks_other: n/a (this kmemscope takes no \"stacks on module=NAME\")"
		if (summary != "")
			printf "\nkmemscope after the runs:\n%s\n", summary
		printf "\nfigures: %s\nguest runs: %s s wall time\n", tsv, secs
		print "Note: under QEMU -icount the guest clock counts retired instructions"
		print "(1 ns = 1 instruction), not cache misses or memory stalls: the figures"
		print "repeat run to run, but only the ratios carry over to real hardware."
		if (t ~ /^x86_64/ || t == "bench") {
			print "x86_64: QEMU counts each iteration of a rep-prefixed string"
			print "instruction, so zeroing on allocation (init_on_alloc, on in Debian)"
			print "weighs 1 instruction per byte: for the large sizes and pages, the"
			print "added instructions carry over better than the ratio."
		}
	}' "$tsv"

# The scale curves (bench-scale.sh): cost per pair as kmemscope's tables fill.
stap="$ROOT/out/logs/$t-bench-scale.tap"
[ -f "$stap" ] || die "no guest output ($stap)"
stsv="$ROOT/out/bench/$t-scale.tsv"
{
	printf 'records\tsites\tinstructions_per_pair\n'
	tr -d '\r' <"$stap" | awk '$1 == "scale:" && NF == 6 { print $3 "\t" $5 "\t" $6 }'
} >"$stsv"
tr -d '\r' <"$stap" | awk -v tsv="$stsv" '
	$1 == "scale:" && $2 == "baseline" { base = $5; next }
	$1 == "scale:" && NF == 6 { n++; rec[n] = $3; sites[n] = $5; v[n] = $6 }
	function num(x) { return x ~ /^[0-9.]+$/ }
	END {
		if (!n) { print "no scale: lines in the guest output"; exit 1 }
		printf "\nkmalloc-32 pairs as kmemscope'"'"'s tables fill (baseline %s):\n\n", base
		printf "%10s %8s %12s %8s %10s\n", "live", "sites", "per pair", "added", "x first"
		for (i = 1; i <= n; i++) {
			a = (num(v[i]) && num(base)) ? sprintf("%+.0f", v[i] - base) : "-"
			f = (i == 1 || i == 6) ? i : f
			r = (num(v[i]) && num(v[f]) && num(base) && v[f] > base) ? sprintf("%.2f", (v[i] - base) / (v[f] - base)) : "-"
			printf "%10s %8s %12s %8s %10s\n", rec[i], sites[i], v[i], a, r
			if (i == 5)
				printf "\n"
		}
		printf "\n(x first: added instructions against the first row of its curve)\nfigures: %s\n", tsv
	}'
exit "$rc"
