# SPDX-License-Identifier: GPL-2.0
# suite: races
#
# races.sh - resets against everything that can run beside them:
#   - a reset written the moment the control file appears, while
#     kmemscope is loading (its self-test resets the store too): 20 loads
#   - four readers of allocations against a reset loop, with thousands of
#     live records: no row at address 0, no hang; readers of tasks and
#     task_sites beside them read whole files
# The console check (run-guest.sh) catches lockdep, KASAN and list
# corruption reports.
. /tests/lib.sh

section races
n=0
for i in $(seq 20); do
	insmod /ko/kmemscope.ko &
	j=0
	while [ ! -e $KS/control ] && [ $j -lt 2000 ]; do j=$((j + 1)); done
	[ -e $KS/control ] && echo reset >$KS/control
	wait
	if [ -e $KS/summary ] && [ "$(summary_field dropped_recursion)" = 0 ]; then
		n=$((n + 1))
	fi
	rmmod kmemscope 2>/tmp/rmmod.err || not_ok "rmmod kmemscope after load $i" "$(cat /tmp/rmmod.err)"
done
expect_eq "loads with a reset written at once" "$n" 20

run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
(
	for k in $(seq 12); do
		echo 4000 >/sys/kernel/debug/ks_fixture/pages
		echo 0 >/sys/kernel/debug/ks_fixture/pages
	done
) &
for r in 1 2 3 4; do
	(
		bad=0
		for k in $(seq 10); do
			b=$(awk 'NR > 3 && /^[^ ]/ && ($1 ~ /^0+$/ || $1 == "(null)") { b++ } END { print b + 0 }' \
				$KS/allocations)
			bad=$((bad + b))
		done
		echo $bad >/tmp/bad.$r
	) &
done
# tasks and task_sites walk the records the same way.
for f in tasks task_sites; do
	(
		bad=0
		for k in $(seq 10); do
			{ read -r l && cat >/dev/null; } <$KS/$f || bad=$((bad + 1))
			case $l in "kmemscope $f - version: "*) ;; *) bad=$((bad + 1)) ;; esac
		done
		echo $bad >/tmp/bad.$f
	) &
done
for k in $(seq 40); do
	echo reset >$KS/control
done
wait
bad=0
for r in 1 2 3 4; do bad=$((bad + $(cat /tmp/bad.$r))); done
expect_eq "rows at address 0 read during resets" "$bad" 0
expect_eq "tasks and task_sites read whole during resets" "$(cat /tmp/bad.tasks) $(cat /tmp/bad.task_sites)" "0 0"
run_checked "rmmod ks_fixture" rmmod ks_fixture
run_checked "rmmod kmemscope" rmmod kmemscope
