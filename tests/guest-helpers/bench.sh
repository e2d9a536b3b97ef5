# SPDX-License-Identifier: GPL-2.0
#
# bench.sh - what kmemscope, and the kernel's own allocation trackers, add
# to allocation and free pairs.  A benchmark, not a test: scripts/bench.sh
# runs it (under QEMU's -icount, where the guest clock counts retired
# instructions) and prints the table; make check does not run it.
#
# Runs every case of ks_bench (tests/bench/ks_bench.c) once per
# configuration this boot allows, in this order:
#   baseline               nothing tracking (memory allocation profiling
#                          switched off, where the kernel has it)
#   map                    the kernel's memory allocation profiling on
#                          (vm.mem_profiling = 1), where the kernel has it
#   kmemscope              kmemscope loaded (profiling off again)
#   kmemscope_stacks       kmemscope with "stacks on"
#   kmemscope_stacks_other kmemscope with stacks on for another module
#                          only ("stacks on module=NAME"), where kmemscope
#                          takes that command
# A boot with kmemleak=on on its command line runs only
#   kmemleak               kmemleak on (it cannot be switched on later)
# Prints, per case and configuration,
#   bench: CASE CONFIG N NS_PER_PAIR
# (the lowest of REPS runs; "error" when a run failed), then kmemscope's
# "records:" and "store_bytes:" summary lines.  Each ks_bench run is also
# echoed as a "# bench: ..." comment line.
. /tests/lib.sh

RUN=/sys/kernel/debug/ks_bench/run
MAP=/proc/sys/vm/mem_profiling

# CASE and the command that runs it: "kind [size|order] pairs".  The pair
# counts keep a whole boot to a few minutes of TCG.
cases() {
	cat <<-EOF
	kmalloc-32 kmalloc 32 100000
	kmalloc-256 kmalloc 256 100000
	kmalloc-4096 kmalloc 4096 100000
	kmalloc-32-held64 kmalloc_held 32 100000
	kmem_cache-128 kmem_cache 100000
	pages-order0 pages 0 50000
	pages-order3 pages 3 20000
	vmalloc-16k vmalloc 16384 5000
	percpu-64 percpu 64 20000
	EOF
}

# Runs of each case in each configuration; the lowest ns per pair counts
# (the others met some disturbance: a timer, a workqueue, a slab refill).
REPS=3

# pass CONFIG: every case REPS times, one "bench:" line a case.
pass() {
	local p="$1" name cmd res fails=0 i best

	cases | while read -r name cmd; do
		best=
		i=0
		while [ $i -lt $REPS ]; do
			i=$((i + 1))
			if ! echo "$cmd" >"$RUN"; then
				echo "# bench: $p $(cat "$RUN")"
				best=error
				break
			fi
			res=$(cat "$RUN")
			echo "# bench: $p $res"
			res=${res##*ns_per_pair=}
			if [ -z "$best" ] || awk -v a="$res" -v b="$best" 'BEGIN { exit !(a < b) }'; then
				best=$res
			fi
		done
		echo "bench: $name $p ${cmd##* } $best"
	done >"/tmp/bench.$p"
	cat "/tmp/bench.$p"
	fails=$(grep -c '^bench: .* error$' "/tmp/bench.$p")
	if [ "$fails" = 0 ]; then
		ok "$p: $(grep -c '^bench: ' "/tmp/bench.$p") cases"
	else
		not_ok "$p: $fails cases failed" "$(grep '^bench: .* error$' "/tmp/bench.$p")"
	fi
}

# map_set 0|1: switch memory allocation profiling, where the kernel has it.
map_set() {
	[ -w "$MAP" ] || return 1
	echo "$1" >"$MAP" && [ "$(cat "$MAP")" = "$1" ]
}

section bench
if insmod /ko/ks_bench.ko; then
	ok "insmod ks_bench"
else
	not_ok "insmod ks_bench"
	stop_script
fi

if grep -qw 'kmemleak=on' /proc/cmdline; then
	if [ -e /sys/kernel/debug/kmemleak ] &&
	   echo scan=off >/sys/kernel/debug/kmemleak; then
		ok "kmemleak on, its scanning thread off"
		pass kmemleak
	else
		not_ok "kmemleak on" "no /sys/kernel/debug/kmemleak, or it refused scan=off"
	fi
	rmmod ks_bench
	stop_script
fi

if [ -e "$MAP" ]; then
	if map_set 0; then
		ok "memory allocation profiling off"
	else
		not_ok "memory allocation profiling off" "$MAP: $(cat "$MAP")"
	fi
fi
pass baseline
if [ -e "$MAP" ]; then
	if map_set 1; then
		ok "memory allocation profiling on"
		pass map
		map_set 0 || not_ok "memory allocation profiling off again"
	else
		not_ok "memory allocation profiling on" "$MAP: $(cat "$MAP")"
	fi
fi

if insmod /ko/kmemscope.ko; then
	ok "insmod kmemscope"
	pass kmemscope
	if grep -q kb_kmalloc_run "$KS/callers"; then
		ok "kmemscope saw ks_bench's allocations"
	else
		not_ok "kmemscope saw ks_bench's allocations" "no kb_kmalloc_run in callers"
	fi
	if echo "stacks on" >"$KS/control"; then
		ok "stacks on"
		pass kmemscope_stacks
		echo "stacks off" >"$KS/control"
	else
		not_ok "stacks on" "writing 'stacks on' to $KS/control failed"
	fi
	# Stacks for another module only: ks_bench's allocations should
	# cost what they cost with stacks off.
	if echo "stacks on module=kmemscope" >"$KS/control" 2>/dev/null; then
		ok "stacks on module=kmemscope"
		pass kmemscope_stacks_other
		echo "stacks off" >"$KS/control"
	else
		echo "# bench: this kmemscope takes no 'stacks on module=NAME': kmemscope_stacks_other n/a"
	fi
else
	not_ok "insmod kmemscope"
fi

[ -r "$KS/summary" ] && grep -E '^(records|store_bytes):' "$KS/summary"
rmmod ks_bench
