#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# bench-smp.sh [TARGET] [VCPUS] - what CPUs allocating at once cost each
# other with kmemscope, against what they cost each other without it.  A
# benchmark, not a test: make check does not run it.
#
# Boots TARGET (default arm64-6.12) with VCPUS vCPUs (default: as many as
# the host has cores, at most 4) under QEMU's multi-threaded TCG, in wall
# time (no -icount), where tests/guest-helpers/bench-smp.sh times ks_bench's
# kmalloc-32 pairs on one CPU ("kmalloc") and on every CPU at once
# ("kmalloc_all", the slowest CPU's time), 5 runs each, without and with
# kmemscope.  For each configuration, all/one is what the CPUs cost each
# other per pair; kmemscope's all/one over the baseline's is what
# kmemscope adds to that (1.00: nothing).  Dividing by the baseline's takes
# out what QEMU and the host add (vCPUs sharing host cores, TCG's own
# cross-CPU work).  Medians; writes out/bench/TARGET-smp.tsv (config, case,
# median ns_per_pair, runs).
#
# arm64 targets only: the x86_64 guests run single-threaded TCG
# (run-guest.sh), so their vCPUs never run at the same time.  Wall time is
# noisy: run it on an otherwise idle host.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:-arm64-6.12}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
case "$t" in
arm64-*) ;;
*) die "bench-smp: $t runs single-threaded TCG (its vCPUs never run at once); use an arm64 target" ;;
esac
cores=$(nproc)
vcpus=${2:-$((cores < 4 ? cores : 4))}
[[ "$vcpus" =~ ^[0-9]+$ ]] && [ "$vcpus" -ge 2 ] && [ "$vcpus" -le 8 ] ||
	die "bench-smp: VCPUS must be 2 to 8, not '$vcpus'"
[ "$vcpus" -le "$cores" ] ||
	echo "bench-smp: $vcpus vCPUs on $cores host cores: vCPUs wait for each other's host core, which the baseline's ratio only partly takes out" >&2

"$HERE/build.sh" "$t" >/dev/null
start=$(date +%s)
rc=0
"$HERE/run-guest.sh" --smp "$vcpus" --quiet --timeout 1200 --name bench-smp \
	"$t" bench-smp.sh || rc=$?
secs=$(( $(date +%s) - start ))

tap="$ROOT/out/logs/$t-bench-smp.tap"
[ -f "$tap" ] || die "no guest output ($tap)"
mkdir -p "$ROOT/out/bench"
tsv="$ROOT/out/bench/$t-smp.tsv"
tr -d '\r' <"$tap" | awk -v tsv="$tsv" -v t="$t" -v vcpus="$vcpus" -v secs="$secs" '
	$1 == "smp:" && NF == 4 && $4 ~ /^[0-9.]+$/ {
		k = $2 SUBSEP $3; n[k]++; v[k, n[k]] = $4; list[k] = list[k] " " $4
	}
	function median(k,   i, j, x, m) {
		m = n[k]
		for (i = 1; i <= m; i++) s[i] = v[k, i]
		for (i = 2; i <= m; i++)
			for (j = i; j > 1 && s[j - 1] > s[j]; j--) { x = s[j]; s[j] = s[j - 1]; s[j - 1] = x }
		return m % 2 ? s[(m + 1) / 2] : (s[m / 2] + s[m / 2 + 1]) / 2
	}
	END {
		split("baseline kmemscope", cf, " "); split("kmalloc kmalloc_all", cs, " ")
		print "config\tcase\tns_per_pair_median\truns" > tsv
		for (i = 1; i <= 2; i++)
			for (j = 1; j <= 2; j++) {
				k = cf[i] SUBSEP cs[j]
				if (!n[k]) { print "bench-smp: no runs of " cf[i] " " cs[j]; bad = 1; continue }
				med[k] = median(k)
				printf "%s\t%s\t%.1f\t%s\n", cf[i], cs[j], med[k], substr(list[k], 2) >> tsv
			}
		if (bad) exit 1
		printf "\nkmalloc-32 pairs on %s, %s vCPUs (wall time, ns per pair, median of 5)\n\n", t, vcpus
		printf "%-10s %12s %14s %8s\n", "config", "one CPU", "all CPUs", "all/one"
		for (i = 1; i <= 2; i++) {
			a = med[cf[i], "kmalloc"]; b = med[cf[i], "kmalloc_all"]
			r[i] = b / a
			printf "%-10s %12.1f %14.1f %8.2f\n", cf[i], a, b, r[i]
		}
		printf "\nkmemscope all/one over the baseline'"'"'s: %.2f (1.00: CPUs cost each other nothing more with kmemscope)\n", r[2] / r[1]
		printf "figures: %s\nguest run: %s s wall time\n", tsv, secs
	}'
exit "$rc"
