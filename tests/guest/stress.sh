# SPDX-License-Identifier: GPL-2.0
# suite: stress
#
# stress.sh - kmemscope under load (run with 4 vCPUs).  ks_stress
# allocates and frees through every allocator from process, softirq and
# hardirq context on every CPU, while readers cat every kmemscope file in
# loops, the control file is written, ks_fixture is loaded and unloaded in
# a loop, and the record pool is driven to exhaustion and back:
#
#   chaos       every control command (reset, disable, filters, stacks,
#               sampler, ...) in a loop; pool exhausted over and over
#   exhaustion  counted: every allocation the full pool could not record
#               is counted as dropped, and its free as untracked
#   cycles      kmemscope loaded and unloaded 20 times under the load
#               (its threads pausing a little), with various parameters:
#               nothing is left behind
#   exact       tracking steady from load (only stacks on/off and marks
#               change): once ks_stress stops, what kmemscope shows for its
#               call sites equals ks_stress's own bookkeeping exactly, and
#               every free kmemscope missed is counted
#
# Figures (allocations per second, contexts, cycles, drops) are printed as
# "# " lines; they are reported, never asserted.  The harness fails the run
# on any kernel error report in the console.
. /tests/lib.sh

section stress
. /tests/stress-lib.sh
C=$KS/control
FILES="summary callers modules allocations leaks since_mark control"
CHAOS_S=12		# seconds of each phase with a time
EXACT_S=12
EXHAUST_CYCLES=5
LOAD_CYCLES=20
POOL=16384		# max_records while the pool is exhausted ...
HOLD=16384		# ... by holding this many kmalloc(64) (ks_stress's maximum)

now() { cut -d' ' -f1 /proc/uptime; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }

# ks_stress's bookkeeping: "allocations run_ms".
stress_totals() {
	awk '$1 == "run_ms:" { ms = $2 } !/^#/ && NF == 8 { a += $6 } END { print a + 0, ms + 0 }' $S/stats
}
# Figures of a phase since stress_totals gave FROM: allocations, rate.
stress_rate() {	# FROM
	set -- $1 $(stress_totals)
	awk -v a=$(($3 - $1)) -v ms=$(($4 - $2)) 'BEGIN {
		printf "%d allocations in %.1f s of stress, %d allocations/s", a, ms / 1000, ms ? a * 1000 / ms : 0 }'
}

# Background loops: the function NAME, run as NAME NAME N [ARGS...],
# stops when /tmp/stop.NAME appears and leaves its counts in /tmp/NAME.N.
BG="readers toggler fixture exhaust"
bg_pids=
bg() {	# NAME N [ARGS...]
	rm -f /tmp/stop.$1
	"$1" "$@" &
	bg_pids="$bg_pids $!"
}
bg_stop() {
	local n
	for n in $BG; do touch /tmp/stop.$n; done
	wait $bg_pids
	bg_pids=
}
# A new phase: a new section, and no counts of the last one.
phase() {
	local n
	section "stress $1"
	for n in $BG; do rm -f /tmp/$n.*; done
}
# Sum of column COL over /tmp/NAME.*.
bg_sum() { cat /tmp/$1.* 2>/dev/null | awk -v c=$2 '{ s += $c } END { print s + 0 }'; }

# Read every file in a loop.  Counts reads, reads whose first line is not
# the file's version line, and reads that failed while the directory was
# there.
readers() {	# NAME N
	local n=0 bad=0 err=0 f l
	while [ ! -e /tmp/stop.$1 ]; do
		for f in $FILES; do
			if cat $KS/$f >/tmp/read.$2 2>/dev/null; then
				read -r l </tmp/read.$2
				case $l in
				"kmemscope $f - version: "*) ;;
				*) bad=$((bad + 1)); echo "# bad read of $f: '$l'" ;;
				esac
				n=$((n + 1))
			elif [ -e $KS/$f ]; then
				err=$((err + 1))
			fi
		done
	done
	echo "$n $bad $err" >/tmp/$1.$2
}

# Write control commands in a loop; counts accepted and refused ones.
toggler() {	# NAME N COMMAND...
	local name=$1 id=$2 n=0 bad=0 cmd
	shift 2
	while [ ! -e /tmp/stop.$name ]; do
		for cmd in "$@"; do
			if echo "$cmd" >$C 2>/dev/null; then
				n=$((n + 1))
			else
				bad=$((bad + 1))
			fi
		done
	done
	echo "$n $bad" >/tmp/$name.$id
}

# Hold and release as many objects as the pool has records, in a loop.
exhaust() {	# NAME N
	local n=0
	while [ ! -e /tmp/stop.$1 ]; do
		stress "hold $HOLD"
		stress unhold
		n=$((n + 1))
	done
	echo "$n" >/tmp/$1.$2
}

# The background loops' results: assert what they must have seen, print
# what they did.  While kmemscope comes and goes, a read may fail.
bg_report() {	# PHASE [comes-and-goes]
	expect_eq "$1: every read starts with its version line" "$(bg_sum readers 2)" 0
	[ -n "${2:-}" ] ||
		expect_eq "$1: every read of an existing file succeeded" "$(bg_sum readers 3)" 0
	expect_eq "$1: every control command accepted" "$(bg_sum toggler 2)" 0
	expect_eq "$1: ks_fixture loads and unloads all succeeded" "$(bg_sum fixture 2)" 0
	echo "# $1: $(bg_sum readers 1) reads of kmemscope files, $(bg_sum toggler 1) control commands," \
		"$(bg_sum fixture 1) ks_fixture loads and unloads, $(bg_sum exhaust 1) holds of $HOLD objects" \
		"(a full pool)${2:+, $(bg_sum readers 3) reads failed while kmemscope was unloading}"
}

run_checked "insmod ks_stress" insmod /ko/ks_stress.ko
run_checked "insmod kmemscope max_records=$POOL" insmod /ko/kmemscope.ko max_records=$POOL
cpus=$(awk '$1 == "cpus:" { print $2 }' $S/stats)
expect_eq "ks_stress runs on every CPU" "$cpus" "$(grep -c '^processor' /proc/cpuinfo)"
t_all=$(now)
cat $S/stats >/tmp/stats.0

# ---- chaos ---------------------------------------------------------------
phase chaos
from=$(stress_totals)
stress start
bg readers 1
bg readers 2
bg readers 3
bg toggler 1 "stacks on" mark disable enable "stacks depth 4" reset \
	"filter module ks_stress" "stacks off" "filter min_size 128" "filter off" \
	"sample interval 1" mark "stacks depth 16" "sample window 4" "sample interval 0" \
	"min_age 0" "min_age 10" enable
bg fixture 1
bg exhaust 1
sleep $CHAOS_S
bg_stop
for cmd in enable "filter off" "stacks off" "sample interval 0" "min_age 10"; do echo "$cmd" >$C; done
bg_report chaos
echo "# chaos: $(stress_rate "$from")"
cat $S/stats >/tmp/stats.chaos
covered=$(stress_rows /tmp/stats.0 /tmp/stats.chaos | awk '$1 != "hold" && $6 > 0 { n++; c[$1] = 1 }
	END { for (k in c) s = s " " k; print n + 0 " pairs, contexts" s }')
# PREEMPT_RT forbids allocating in hard interrupt context: no hardirq load.
if [ "$(cat /sys/kernel/realtime 2>/dev/null)" = 1 ]; then
	expect_eq "every context used every allocator it may (process 5, softirq 4; PREEMPT_RT: no hardirq)" \
		"${covered%%,*}" "9 pairs"
else
	expect_eq "every context used every allocator it may (process 5, softirq 4, hardirq 3)" \
		"${covered%%,*}" "12 pairs"
fi
echo "# chaos: covered $covered"
awk '!/^#/ && NF == 8 && $8 > 0 { printf "# chaos: %s %s: %d failed allocations (GFP_ATOMIC, not counted)\n", $1, $2, $8 }' $S/stats

# ---- exhaustion, counted --------------------------------------------------
phase exhaustion
echo reset >$C
from=$(stress_totals)
bg readers 1
bg fixture 1
# hold: "allocs frees live_count" of kss_hold's call sites.
hold_row() {
	callers_awk 'mod == "ks_stress" && fn ~ /^kss_hold(\.|$)/ { a += $col["allocs"]; fr += $col["frees"]; c += $col["live_count"] }
		END { print a + 0, fr + 0, c + 0 }'
}
records() { summary_field records | awk -v f="$1" '{ for (i = 2; i <= NF; i++) if ($i ~ "^" f) print $(i - 1) }'; }
bad=0
for i in $(seq $EXHAUST_CYCLES); do
	d0=$(summary_field dropped_pool_full)
	u0=$(summary_field untracked_frees_kmalloc)
	set -- $(hold_row)
	a0=$1 f0=$2
	used0=$(records used)
	stress "hold $HOLD"
	peak=$(records peak)
	d1=$(summary_field dropped_pool_full)
	stress unhold
	u1=$(summary_field untracked_frees_kmalloc)
	used1=$(records used)
	set -- $(hold_row)
	rec=$(($1 - a0)) freed=$(($2 - f0)) live=$3
	drop=$((HOLD - rec))
	echo "# exhaustion $i: $used0 records used before; held $HOLD: $rec recorded, $drop not;" \
		"dropped_pool_full +$((d1 - d0)), untracked_frees_kmalloc +$((u1 - u0)); $used1 used after"
	# Recorded some (the pool had room again), not all (it was full), and
	# every one it could not record is counted, and so is its free.
	if [ "$rec" -gt 0 ] && [ "$drop" -gt 0 ] && [ "$peak" = "$POOL" ] &&
	   [ $((d1 - d0)) -ge "$drop" ] && [ $((u1 - u0)) -ge "$drop" ] &&
	   [ "$freed" = "$rec" ] && [ "$live" = 0 ] && [ "$used1" -lt "$POOL" ]; then
		:
	else
		bad=$((bad + 1))
		echo "# exhaustion $i: peak $peak, recorded frees $freed, live $live"
	fi
done
bg_stop
expect_eq "$EXHAUST_CYCLES exhaustions: pool full, every drop counted, every recorded object freed, pool back" "$bad" 0
bg_report exhaustion
echo "# exhaustion: $(stress_rate "$from"); summary: $(summary_field dropped_pool_full) dropped_pool_full," \
	"$(summary_field untracked_frees) untracked_frees, records $(summary_field records)"

# ---- load and unload cycles ----------------------------------------------
phase cycles
run_checked "rmmod kmemscope" rmmod kmemscope
stress drain
vm0=$(meminfo VmallocUsed) slab0=$(meminfo Slab) pcpu0=$(meminfo Percpu)
from=$(stress_totals)
# With the threads never sleeping, x86's single-threaded TCG runs a
# load ten times slower: let them sleep a little between runs (most of the
# allocation rate stays; the timers are unchanged).
stress "pause 200"
stress start
bg readers 1
bg fixture 1 0.2
t0=$(now)
fails= retries=0 left=0 t_ins=0 t_read=0 t_rm=0
for i in $(seq $LOAD_CYCLES); do
	case $((i % 4)) in
	0) p= ;;
	1) p="max_records=64 max_sites=16 max_stacks=16" ;;
	2) p="stacks=1" ;;
	3) p="enable=0 unload_delay_ms=0" ;;
	esac
	ta=$(now)
	insmod /ko/kmemscope.ko $p || fails="$fails insmod:$i"
	tb=$(now)
	# One file a cycle, in turn (opening one builds its whole snapshot).
	set -- $FILES
	shift $((i % $#))
	l=
	read -r l <$KS/$1
	case $l in "kmemscope $1 - version: "*) ;; *) fails="$fails read:$i:$1" ;; esac
	tc=$(now)
	# A reader may hold a file open: the module is busy until it closes it.
	n=0
	until rmmod kmemscope 2>/dev/null; do
		n=$((n + 1))
		[ $n -ge 200 ] && { fails="$fails rmmod:$i"; break; }
		sleep 0.05
	done
	retries=$((retries + n))
	[ -e $KS ] && left=$((left + 1))
	set -- $(awk -v a=$ta -v b=$tb -v c=$tc -v d="$(now)" -v i=$t_ins -v r=$t_read -v m=$t_rm \
		'BEGIN { print i + b - a, r + c - b, m + d - c }')
	t_ins=$1 t_read=$2 t_rm=$3
done
t1=$(now)
bg_stop
stress stop
stress "pause 0"
expect_eq "$LOAD_CYCLES loads, reads and unloads of kmemscope under load" "${fails# }" ""
expect_eq "no debugfs directory left after an unload" "$left" 0
expect_eq "kmemscope gone" "$(grep -c '^kmemscope ' /proc/modules)" 0
[ ! -e $KS ] && ok "no $KS" || not_ok "no $KS"
stress check && ok "ks_stress's bookkeeping intact (recounted from its slots)" ||
	not_ok "ks_stress's bookkeeping intact (recounted from its slots)" "$(dmesg | grep 'ks_stress: check' | tail -n 3)"
stress drain
vm1=$(meminfo VmallocUsed) slab1=$(meminfo Slab) pcpu1=$(meminfo Percpu)
# One load sets aside about 4 MB of vmalloc; a leak of any part of it, or
# of a page a cycle, would show: the margin is 256 kB, or less than a page
# a cycle where that is less (60 pages of 4 KiB are 240 kB).
vm_margin=$((LOAD_CYCLES * PAGE_KB))
[ $vm_margin -gt 256 ] && vm_margin=256
[ $((vm1 - vm0)) -lt $vm_margin ] && ok "VmallocUsed after $LOAD_CYCLES cycles within $vm_margin kB of before ($((vm1 - vm0)) kB)" ||
	not_ok "VmallocUsed after $LOAD_CYCLES cycles within $vm_margin kB of before" "before $vm0 kB, after $vm1 kB"
bg_report cycles comes-and-goes
echo "# cycles: $LOAD_CYCLES loads and unloads in $(secs "$t0" "$t1") s, rmmod retried $retries times" \
	"(a reader had a file open); $(stress_rate "$from")"
echo "# cycles: time in insmod $t_ins s, reading a file $t_read s, rmmod $t_rm s"
echo "# cycles: meminfo before/after (kB): VmallocUsed $vm0/$vm1, Slab $slab0/$slab1, Percpu $pcpu0/$pcpu1"

# ---- exact ---------------------------------------------------------------
phase exact
# ks_stress holds nothing now: everything it allocates from here on is
# made with kmemscope loaded and tracking steadily.
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
cat $S/stats >/tmp/stats.base
from=$(stress_totals)
stress start
bg readers 1
bg readers 2
bg toggler 1 "stacks on" mark "stacks depth 6" "stacks off" mark "min_age 0" "min_age 10"
bg fixture 1
sleep $((EXACT_S / 2))
stress "hold 1000"
sleep $((EXACT_S / 2))
stress stop
bg_stop
echo "stacks off" >$C
cat $KS/callers >/tmp/callers
cat $S/stats >/tmp/stats.stop
cat $KS/modules >/tmp/modules
cat $KS/summary >/tmp/summary
bg_report exact
echo "# exact: $(stress_rate "$from"), records $(sed -n 's/^records: //p' /tmp/summary);" \
	"sites $(sed -n 's/^sites: //p' /tmp/summary)"

stress check && ok "ks_stress's bookkeeping recounted from its slots" ||
	not_ok "ks_stress's bookkeeping recounted from its slots"
expect_stress_exact exact /tmp/callers /tmp/stats.base /tmp/stats.stop
expect_eq "modules: ks_stress kmalloc kmem_cache vmalloc page bytes, live_count, allocs, frees" \
	"$(awk '$1 == "ks_stress" { print $4, $5, $6, $7, $10, $11, $12 }' /tmp/modules)" \
	"$(awk '{ b[$2] += ($5 == "-" ? 0 : $5); c += $3; a += $6; f += $7 }
		END { print b["kmalloc"] + 0, b["kmem_cache"] + 0, b["vmalloc"] + 0, b["page"] + 0, c, a, f }' /tmp/stress.rows)"
for k in dropped_pool_full dropped_site_table_full dropped_recursion; do
	expect_eq "$k" "$(sed -n "s/^$k: //p" /tmp/summary)" 0
done
# A free the kprobe core skipped (it came in an interrupt during another
# kprobe's handler) leaves a record until its address comes back: every
# missed free must be one of those, counted.
k() { sed -n "s/^$1: //p" /tmp/summary; }
[ "$(k missed_frees)" -le "$(k dropped_frees_kprobe_busy)" ] &&
	ok "every missed free was counted as dropped ($(k missed_frees) <= $(k dropped_frees_kprobe_busy))" ||
	not_ok "every missed free was counted as dropped" "missed_frees $(k missed_frees), dropped_frees_kprobe_busy $(k dropped_frees_kprobe_busy)"
echo "# exact: kmemscope dropped_kretprobe_missed $(k dropped_kretprobe_missed), dropped_frees_kprobe_busy" \
	"$(k dropped_frees_kprobe_busy), missed_frees $(k missed_frees), untracked_frees $(k untracked_frees)"

# Everything freed: nothing of ks_stress or ks_fixture is live.
stress drain
stress unhold
cat $KS/callers >/tmp/callers
expect_eq "after ks_stress freed everything: its live objects, and allocations = frees" \
	"$(callers_awk 'mod == "ks_stress" { l += $col["live_count"]; if ($col["allocs"] != $col["frees"]) d++ } END { print l + 0, d + 0 }' /tmp/callers)" "0 0"
expect_eq "ks_fixture's loads left nothing live" \
	"$(callers_awk 'mod == "ks_fixture" { l += $col["live_count"] } END { print l + 0 }' /tmp/callers)" 0
expect_eq "leaks: no unloaded module holds memory" "$(grep -c '^unloaded_module:' $KS/leaks)" 0
run_checked "rmmod kmemscope" rmmod kmemscope
run_checked "rmmod ks_stress" rmmod ks_stress
expect_eq "modules gone, debugfs directories removed" \
	"$(grep -cE '^(kmemscope|ks_stress|ks_fixture) ' /proc/modules) $(ls -d $KS $S 2>/dev/null | wc -l)" "0 0"
echo "# total: $(secs "$t_all" "$(now)") s; ks_stress $(awk '!/^#/ && NF == 8 { a += $6 } END { print a }' /tmp/stats.stop)" \
	"allocations over $(awk '$1 == "run_ms:" { print $2 / 1000 }' /tmp/stats.stop) s on $cpus CPUs"
