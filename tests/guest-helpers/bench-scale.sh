# SPDX-License-Identifier: GPL-2.0
#
# bench-scale.sh - kmemscope's cost per kmalloc pair as its tables fill:
# with 0 to 1M allocations live, and with 10 to 100k call sites in its
# site table.  A benchmark, not a test: scripts/bench.sh runs it in a boot
# of its own (1 GiB, under QEMU's -icount) and prints the curves; make
# check does not run it.
#
# Holds allocations with ks_bench_sites (tests/bench/ks_bench_sites.c),
# then runs ks_bench's "kmalloc 32 N" pairs.  Prints
#   scale: records LIVE sites SITES NS_PER_PAIR
# (the lowest of REPS runs), the baseline first (kmemscope not loaded,
# nothing held: "scale: baseline - - NS").
. /tests/lib.sh

RUN=/sys/kernel/debug/ks_bench/run
HOLD=/sys/kernel/debug/ks_bench_sites/hold
PAIRS=20000
REPS=2

# pairs: the lowest ns per pair of REPS runs.
pairs() {
	local i=0 res best=
	while [ $i -lt $REPS ]; do
		i=$((i + 1))
		echo "kmalloc 32 $PAIRS" >"$RUN" || { echo error; return; }
		res=$(cat "$RUN")
		res=${res##*ns_per_pair=}
		if [ -z "$best" ] || awk -v a="$res" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$res
		fi
	done
	echo "$best"
}

# point LIVE SITES: hold LIVE allocations from SITES call sites, measure.
point() {
	if echo "$1 $2" >"$HOLD"; then
		echo "scale: records $1 sites $2 $(pairs)"
		echo "# held: $(cat "$HOLD")"
	else
		echo "scale: records $1 sites $2 error"
	fi
}

section scale
run_checked "insmod ks_bench" insmod /ko/ks_bench.ko || stop_script
run_checked "insmod ks_bench_sites" insmod /ko/ks_bench_sites.ko || stop_script
echo "scale: baseline - - $(pairs)"
# Room for a million allocations live and a hundred thousand sites.
run_checked "insmod kmemscope max_records=1200000 max_sites=262144" \
	insmod /ko/kmemscope.ko max_records=1200000 max_sites=262144 || stop_script
for n in 0 1000 10000 100000 1000000; do
	point $n 64
done
for s in 10 100 1000 10000 100000; do
	point 100000 $s
done
echo 0 >"$HOLD"
grep -E '^(records|sites|store_bytes|dropped_pool_full|dropped_site_table_full):' "$KS/summary"
d=$(awk '$1 == "dropped_pool_full:" || $1 == "dropped_site_table_full:" { s += $2 } END { print s + 0 }' "$KS/summary")
[ "$d" = 0 ] && ok "every allocation held was recorded" ||
	not_ok "every allocation held was recorded" "$(grep dropped "$KS/summary")"
rmmod kmemscope
rmmod ks_bench_sites
rmmod ks_bench
