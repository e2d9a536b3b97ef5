# SPDX-License-Identifier: GPL-2.0
# suite: integration 60
#
# lifecycle.sh - modules loaded before kmemscope are attributed like the
# others; a module unloaded while holding memory keeps its name, marked
# unloaded, with what it holds; kmemscope loads and unloads cleanly while
# the system allocates.
. /tests/lib.sh

section lifecycle
# ks_fixture first, kmemscope second.
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
echo 5 >/sys/kernel/debug/ks_fixture/grow
expect_eq "module loaded before kmemscope: its new allocations attributed" \
	"$(caller_row ks_fixture_grow)" "$((5 * $(kmalloc_bytes 512))) 1500 5 5 0 kmalloc [ks_fixture]"
expect_eq "its allocations from before load are not invented" \
	"$(caller_row ks_fixture_kmalloc_held)" ""
before=$(summary_field untracked_frees_kmalloc)
echo kmalloc >/sys/kernel/debug/ks_fixture/release
after=$(summary_field untracked_frees_kmalloc)
[ $((after - before)) -ge 8 ] && ok "frees of memory allocated before load counted as untracked ($((after - before)))" ||
	not_ok "frees of memory allocated before load counted as untracked" "before $before after $after"
run_checked "rmmod ks_fixture" rmmod ks_fixture

# A module unloaded while still holding memory.
run_checked "insmod ks_fixture leak=1" insmod /ko/ks_fixture.ko leak=1
run_checked "rmmod ks_fixture" rmmod ks_fixture
expect_eq "leaked kzalloc group stays charged to ks_fixture" \
	"$(caller_row ks_fixture_kzalloc_held)" "$FIX_KZALLOC 8000 2 2 0 kmalloc [ks_fixture]"
expect_eq "modules: ks_fixture unloaded, holding its kzalloc group" \
	"$(awk '$1 == "ks_fixture" && $2 == "unloaded" { print $2, $3 }' $KS/modules)" "unloaded $FIX_KZALLOC"
# Loaded again: a new instance, rows of its own; the old leak stays.
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "reloaded module has its own row" \
	"$(awk '$1 == "ks_fixture" && $2 == "loaded" { print $3 }' $KS/modules)" $FIX_TOTAL
run_checked "rmmod ks_fixture" rmmod ks_fixture
expect_eq "after the second unload only the leak remains" \
	"$(module_sum ks_fixture)" $FIX_KZALLOC

# A driver's test loop: loaded, used and unloaded again and again, mostly
# at the same address.  Each unload folds its call sites into the rows of
# the earlier loads: one row per call site, the counts of every load in
# it, no site-table growth, nothing dropped.
N=70	# more than the site table's probe limit (64)
sites() { summary_field sites | cut -d' ' -f1; }
rows() { f=$1 callers_awk 'fn == ENVIRON["f"] { n++ } END { print n + 0 }'; }
s0=$(sites) a0=$(caller_row ks_fixture_grow | cut -d' ' -f4)
fails=0
for i in $(seq $N); do
	{ insmod /ko/ks_fixture.ko && echo 2 >/sys/kernel/debug/ks_fixture/grow &&
	  rmmod ks_fixture; } || fails=$((fails + 1))
done
expect_eq "$N loads, uses and unloads of ks_fixture" "$fails" 0
sleep 3		# past unload_delay_ms: RCU-deferred frees are in, and folded
expect_eq "$N loads: ks_fixture_grow's counts all in its row" \
	"$(caller_row ks_fixture_grow)" "0 0 0 $((a0 + 2 * N)) $((a0 + 2 * N)) kmalloc [ks_fixture]"
[ "$(rows ks_fixture_grow)" -le 2 ] && ok "$N loads: ks_fixture_grow has one row (two if the table wrapped)" ||
	not_ok "$N loads: ks_fixture_grow has one row" "$(rows ks_fixture_grow) rows"
s1=$(sites)
[ $((s1 - s0)) -lt $((N / 2)) ] && ok "$N loads: the site table did not grow with them ($s0 -> $s1 sites)" ||
	not_ok "$N loads: the site table did not grow with them" "$s0 -> $s1 sites"
expect_eq "$N loads: dropped_site_table_full" "$(summary_field dropped_site_table_full)" 0
folded=$(summary_field sites | sed -n 's/.*, \([0-9]*\) folded$/\1/p')
[ "${folded:-0}" -ge $N ] && ok "$N loads: summary counts the folded sites ($folded)" ||
	not_ok "$N loads: summary counts the folded sites" "$(summary_field sites)"
expect_eq "the leak of the first load is still there" "$(module_sum ks_fixture)" $FIX_KZALLOC

# The same loop with a leak in every load: each unload hands the leaking
# rows' allocations to the first load's row and gives their slots back
# too, so that the table still does not grow and every leak is counted.
s0=$(sites)
fails=0
for i in $(seq $N); do
	{ insmod /ko/ks_fixture.ko leak=1 && rmmod ks_fixture; } || fails=$((fails + 1))
done
expect_eq "$N leaking loads and unloads of ks_fixture" "$fails" 0
sleep 3
expect_eq "$N leaking loads: every leak in ks_fixture_kzalloc_held's row (bytes, count)" \
	"$(caller_row ks_fixture_kzalloc_held | cut -d' ' -f1,3)" \
	"$((FIX_KZALLOC * (N + 1))) $((2 * (N + 1)))"
[ "$(rows ks_fixture_kzalloc_held)" -le 2 ] &&
	ok "$N leaking loads: ks_fixture_kzalloc_held has one row (two if the table wrapped)" ||
	not_ok "$N leaking loads: ks_fixture_kzalloc_held has one row" "$(rows ks_fixture_kzalloc_held) rows"
s1=$(sites)
[ $((s1 - s0)) -lt $((N / 2)) ] && ok "$N leaking loads: the site table did not grow ($s0 -> $s1 sites)" ||
	not_ok "$N leaking loads: the site table did not grow" "$s0 -> $s1 sites"
expect_eq "$N leaking loads: dropped_site_table_full" "$(summary_field dropped_site_table_full)" 0
expect_eq "$N leaking loads: ks_fixture holds every leak" "$(module_sum ks_fixture)" \
	$((FIX_KZALLOC * (N + 1)))
run_checked "rmmod kmemscope" rmmod kmemscope

# kmemscope in and out while the system allocates and frees.  The loops
# stop at a flag and are waited for: killing a loop would leave its ls or
# find running into the next script, allocating there (a walk of /sys
# creates tens of thousands of dentries and inodes: tracefs's event files
# on 6.6+ too).
# User processes (a kernel thread has no exe).
nprocs() { n=0; for d in /proc/[0-9]*; do [ -e $d/exe ] && n=$((n + 1)); done; echo $n; }
n0=$(nprocs)
rm -f /tmp/stop.load
( while [ ! -e /tmp/stop.load ]; do ls -R /sys >/dev/null 2>&1; cat /proc/meminfo >/dev/null; done ) &
l1=$!
( while [ ! -e /tmp/stop.load ]; do find /proc -maxdepth 2 >/dev/null 2>&1; done ) &
l2=$!
fails=0
for i in 1 2 3 4 5 6 7 8 9 10; do
	insmod /ko/kmemscope.ko || fails=$((fails + 1))
	cat $KS/summary $KS/callers $KS/modules $KS/allocations >/dev/null
	rmmod kmemscope || fails=$((fails + 1))
done
touch /tmp/stop.load
wait $l1 $l2
expect_eq "10 loads and unloads under allocation load" "$fails" 0
expect_eq "the load's ls and find have ended: as many processes as before" "$(nprocs)" "$n0"
lsmod | grep -q "^kmemscope " && not_ok "kmemscope still loaded" || ok "kmemscope gone"
