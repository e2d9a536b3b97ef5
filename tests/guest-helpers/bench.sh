# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what kmemscope adds to allocation and free pairs.  A benchmark,
# not a test: scripts/bench.sh runs it (under QEMU's -icount) and prints the
# table; make check does not run it.
#
# Runs every case of ks_bench (tests/bench/ks_bench.c) in three passes in
# one boot: without kmemscope (base), with kmemscope loaded (on), and with
# kmemscope's stack capture on ("stacks on" to its control file), when the
# control file exists (otherwise the stacks column is n/a).  Prints, per case,
#   bench: CASE n=N base_ns=X on_ns=Y stacks_ns=Z
# in ns per pair (the lowest of REPS runs), then kmemscope's "records:"
# summary line.  Each ks_bench run is also echoed as a "# bench: PASS ..."
# comment line.
. /tests/lib.sh

RUN=/sys/kernel/debug/ks_bench/run

# CASE and the command that runs it: "kind [size|order] pairs".  The pair
# counts keep a whole boot (three passes) to a few minutes of TCG.
cases() {
	cat <<-EOF
	kmalloc-32 kmalloc 32 100000
	kmalloc-256 kmalloc 256 100000
	kmalloc-4096 kmalloc 4096 100000
	kmem_cache-128 kmem_cache 100000
	pages-order0 pages 0 50000
	pages-order3 pages 3 20000
	vmalloc-16k vmalloc 16384 5000
	EOF
}

# Runs of each case in each pass; the lowest ns per pair counts (the
# others met some disturbance: a timer, a workqueue, a slab refill).
REPS=3

# pass NAME: every case REPS times; "CASE ns_per_pair" lines, the lowest of
# each case, go to /tmp/bench.NAME.
pass() {
	local p="$1" name cmd res fails i

	: >"/tmp/bench.$p"
	cases | while read -r name cmd; do
		: >/tmp/bench.reps
		i=0
		while [ $i -lt $REPS ]; do
			i=$((i + 1))
			if ! echo "$cmd" >"$RUN"; then
				echo error >>/tmp/bench.reps
				echo "# bench: $p $(cat "$RUN")"
				continue
			fi
			res=$(cat "$RUN")
			echo "# bench: $p $res"
			echo "${res##*ns_per_pair=}" >>/tmp/bench.reps
		done
		if grep -q error /tmp/bench.reps; then
			echo "$name error" >>"/tmp/bench.$p"
		else
			echo "$name $(sort -n /tmp/bench.reps | head -n1)" >>"/tmp/bench.$p"
		fi
	done
	fails=$(grep -c ' error' "/tmp/bench.$p")
	if [ "$fails" = 0 ]; then
		ok "$p pass: $(wc -l <"/tmp/bench.$p") cases"
	else
		not_ok "$p pass: $fails cases failed" "$(grep ' error' "/tmp/bench.$p")"
	fi
}

# field PASS CASE: ns per pair of CASE in PASS, or n/a.
field() {
	local v

	v=$(awk -v c="$2" '$1 == c { print $2 }' "/tmp/bench.$1" 2>/dev/null)
	echo "${v:-n/a}"
}

section bench
if insmod /ko/ks_bench.ko; then
	ok "insmod ks_bench"
else
	not_ok "insmod ks_bench"
	exit 0
fi

pass base

if insmod /ko/kmemscope.ko; then
	ok "insmod kmemscope"
	pass on
	if grep -q kb_kmalloc_run "$KS/callers"; then
		ok "kmemscope saw ks_bench's allocations"
	else
		not_ok "kmemscope saw ks_bench's allocations" "no kb_kmalloc_run in callers"
	fi
	if [ -e "$KS/control" ]; then
		if echo "stacks on" >"$KS/control"; then
			ok "stacks on"
			pass stacks
		else
			not_ok "stacks on" "writing 'stacks on' to $KS/control failed"
		fi
	else
		echo "# bench: no $KS/control: stacks column n/a"
	fi
else
	not_ok "insmod kmemscope"
fi

cases | while read -r name cmd; do
	echo "bench: $name n=${cmd##* } base_ns=$(field base "$name")" \
	     "on_ns=$(field on "$name") stacks_ns=$(field stacks "$name")"
done
[ -r "$KS/summary" ] && grep -E '^(records|store_bytes):' "$KS/summary"
rmmod ks_bench
