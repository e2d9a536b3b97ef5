# SPDX-License-Identifier: GPL-2.0
# suite: soak
#
# soak.sh - kmemscope left loaded under load for a long time (make soak:
# scripts/soak.sh; not part of make check).  ks_stress allocates and frees
# on every CPU from every context, the growth sampler is on, readers cat
# every file in a loop, ks_fixture comes and goes, and the store is reset
# every minute, for ks.soak_min minutes (kernel command line; default 30).
#
# Every minute one "# minute:" line: kmemscope's own footprint (its tables,
# the sampler's history, the module's own live allocations), what it
# records (records, sites) and every drop counter, and /proc/meminfo's Slab,
# VmallocUsed and Percpu.  Asserted: the footprint stays flat (tables and
# history unchanged, the module's own allocations small), every read starts
# with its version line, every missed free is counted, and after the load
# stops and kmemscope unloads, Slab, VmallocUsed and Percpu are back within
# 4 MB of where they were before it loaded.  The harness fails the run on
# any kernel report.
. /tests/lib.sh
. /tests/stress-lib.sh

C=$KS/control
FILES="summary callers modules allocations tasks task_sites leaks since_mark control account"
mins=$(sed -n 's/.*ks\.soak_min=\([0-9]*\).*/\1/p' /proc/cmdline)
mins=${mins:-30}
meminfo() { awk -v k="$1:" '$1 == k { print $2 }' /proc/meminfo; }
field() { sed -n "s/^$1: //p" /tmp/summary | head -n 1; }

readers() {	# N
	local n=0 bad=0 f l
	while [ ! -e /tmp/stop.soak ]; do
		for f in $FILES; do
			cat $KS/$f >/tmp/read.$1 2>/dev/null || continue
			read -r l </tmp/read.$1
			case $l in
			"kmemscope $f - version: "*) ;;
			*) bad=$((bad + 1)) ;;
			esac
			n=$((n + 1))
		done
	done
	echo "$n $bad" >/tmp/readers.$1
}
section soak
slab0=$(meminfo Slab) vm0=$(meminfo VmallocUsed) pcpu0=$(meminfo Percpu)
run_checked "insmod ks_stress" insmod /ko/ks_stress.ko
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
echo "sample interval 5" >$C || not_ok "sample interval 5"
rm -f /tmp/stop.soak /tmp/stop.fixture
stress start
pids=
for i in 1 2; do
	readers $i &
	pids="$pids $!"
done
fixture fixture 1 2 &
pids="$pids $!"
echo "# soak: $mins minutes on $(grep -c '^processor' /proc/cpuinfo) CPUs"
echo "# minute: store_bytes sampler_bytes own_live_bytes records_used sites_used dropped_pool_full dropped_site_table_full dropped_recursion dropped_kretprobe_missed missed_frees dropped_frees_kprobe_busy slab_kB vmalloc_kB percpu_kB"
: >/tmp/minutes
for m in $(seq "$mins"); do
	sleep 60
	cat $KS/summary >/tmp/summary
	own=$(awk '$1 == "kmemscope" { s += $3 } END { print s + 0 }' $KS/modules)
	sampler=$(field sampler | sed -n 's/.*samples, \([0-9]*\) bytes of history.*/\1/p')
	echo "$m $(field store_bytes) ${sampler:-0} $own $(field records | cut -d' ' -f1)" \
		"$(field sites | cut -d' ' -f1) $(field dropped_pool_full) $(field dropped_site_table_full)" \
		"$(field dropped_recursion) $(field dropped_kretprobe_missed) $(field missed_frees)" \
		"$(field dropped_frees_kprobe_busy) $(meminfo Slab) $(meminfo VmallocUsed) $(meminfo Percpu)" |
		tr -s '\n' ' ' | sed 's/ $//' >/tmp/minute
	cat /tmp/minute >>/tmp/minutes
	echo >>/tmp/minutes
	sed 's/^/# minute: /' /tmp/minute; echo
	echo reset >$C || not_ok "reset at minute $m"
done
touch /tmp/stop.soak /tmp/stop.fixture
wait $pids
stress stop
cat $KS/summary >/tmp/summary
echo "# soak: $(awk '{ n += $1; b += $2 } END { print n + 0, "reads,", b + 0, "bad" }' /tmp/readers.*)," \
	"$(cut -d' ' -f1 /tmp/fixture.1) ks_fixture loads; ks_stress $(awk '!/^#/ && NF == 8 { a += $6 } END { print a + 0 }' $S/stats) allocations"
expect_eq "soak: every read starts with its version line" \
	"$(awk '{ b += $2 } END { print b + 0 }' /tmp/readers.*)" 0
expect_eq "soak: every ks_fixture load and unload succeeded" "$(cut -d' ' -f2 /tmp/fixture.1)" 0
expect_eq "soak: a minute's figures each minute" "$(wc -l </tmp/minutes)" "$mins"
expect_eq "soak: kmemscope's tables and the sampler's history never changed size" \
	"$(awk '{ print $2, $3 }' /tmp/minutes | sort -u | wc -l)" 1
own_max=$(awk '$4 > m { m = $4 } END { print m + 0 }' /tmp/minutes)
[ "$own_max" -le 1048576 ] && ok "soak: kmemscope's own live allocations stay under 1 MiB (at most $own_max bytes)" ||
	not_ok "soak: kmemscope's own live allocations stay under 1 MiB" "at most $own_max bytes"
[ "$(field missed_frees)" -le "$(field dropped_frees_kprobe_busy)" ] &&
	ok "soak: every missed free was counted" ||
	not_ok "soak: every missed free was counted" "missed_frees $(field missed_frees), dropped_frees_kprobe_busy $(field dropped_frees_kprobe_busy)"
stress drain
run_checked "rmmod kmemscope" rmmod kmemscope
run_checked "rmmod ks_stress" rmmod ks_stress
sleep 5
echo "# soak: meminfo before/after (kB): Slab $slab0/$(meminfo Slab), VmallocUsed $vm0/$(meminfo VmallocUsed), Percpu $pcpu0/$(meminfo Percpu)"
for k in Slab:$slab0 VmallocUsed:$vm0 Percpu:$pcpu0; do
	now=$(meminfo "${k%%:*}")
	[ "$now" -le $((${k#*:} + 4096)) ] && ok "soak: ${k%%:*} back within 4 MB after unload" ||
		not_ok "soak: ${k%%:*} back within 4 MB after unload" "${k#*:} kB before, $now kB after"
done
