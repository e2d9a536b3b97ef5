# SPDX-License-Identifier: GPL-2.0
#
# bench-smp.sh - what CPUs allocating at once cost each other, with and
# without kmemscope.  A benchmark, not a test: scripts/bench-smp.sh runs it
# in a boot with several vCPUs (wall time, no -icount) and prints the
# ratios; make check does not run it.
#
# ks_bench's "kmalloc 32 N" runs the pairs on one CPU while the others
# idle; "kmalloc_all 32 N" runs N pairs on every online CPU at once and
# takes the slowest CPU's time.  Each runs REPS times, alternating, first
# with nothing tracking, then with kmemscope loaded.  Prints
#   smp: CONFIG CASE NS_PER_PAIR
# for every run; the host takes the medians.
. /tests/lib.sh

RUN=/sys/kernel/debug/ks_bench/run
PAIRS=${KS_SMP_PAIRS:-50000}
REPS=5

# runs CONFIG: REPS runs of each case, alternating.
runs() {
	local i=0 c res
	while [ $i -lt $REPS ]; do
		i=$((i + 1))
		for c in kmalloc kmalloc_all; do
			if echo "$c 32 $PAIRS" >"$RUN"; then
				res=$(cat "$RUN")
				echo "smp: $1 $c ${res##*ns_per_pair=}"
			else
				echo "smp: $1 $c error"
			fi
		done
	done
}

section smp
echo "# online cpus: $(cat /sys/devices/system/cpu/online)"
run_checked "insmod ks_bench" insmod /ko/ks_bench.ko || stop_script
runs baseline
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko || stop_script
runs kmemscope
grep -E '^(records|dropped_pool_full|dropped_recursion):' "$KS/summary"
