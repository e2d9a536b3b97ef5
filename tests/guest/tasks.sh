# SPDX-License-Identifier: GPL-2.0
# suite: integration 55
#
# tasks.sh - the tasks and task_sites files: live kernel memory by the
# task that allocated it.  Two busybox processes with their own comm
# (busybox runs argv[1] as the applet when it is called busybox_*) make
# ks_fixture allocate in their context (its grow file: kmalloc(300) per
# unit, in the writer's task): one keeps running, one exits.  Their
# ks_fixture_grow rows in task_sites hold exactly what they made it
# allocate; each task's row in tasks is the sum of its task_sites rows
# (the process's own kernel objects too: its files, mappings, ...); the
# exited ones (two processes of one comm) are folded by comm into one row,
# marked exited.
. /tests/lib.sh

section tasks
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko || stop_script
expect_eq "tasks: version line" "$(head -n1 $KS/tasks)" "kmemscope tasks - version: 2.0"
expect_eq "task_sites: version line" "$(head -n1 $KS/task_sites)" "kmemscope task_sites - version: 1.1"
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
G=/sys/kernel/debug/ks_fixture/grow
K=$(kmalloc_bytes "$(kclass 300)")
ln -sf /bin/busybox /tmp/busybox_tasks_a
ln -sf /bin/busybox /tmp/busybox_tasks_b
# a: 3 units, then waits (running); b: 5 units from two processes (2 and
# 3), which exit.
# The fifo is held open for writing here, so that a's open does not wait.
rm -f /tmp/tasks_a.ready /tmp/tasks_a.fifo
mkfifo /tmp/tasks_a.fifo
exec 4<>/tmp/tasks_a.fifo
/tmp/busybox_tasks_a sh -c "echo 3 >$G; exec 3</tmp/tasks_a.fifo; : >/tmp/tasks_a.ready; read -r x <&3" &
a=$!
/tmp/busybox_tasks_b sh -c "echo 2 >$G"
/tmp/busybox_tasks_b sh -c "echo 3 >$G"
i=0
while [ ! -e /tmp/tasks_a.ready ] && [ $i -lt 100 ]; do sleep 0.1; i=$((i + 1)); done
# What the two tasks' exits and closes free through RCU comes back a
# moment later: read both files until tasks reads the same before and
# after task_sites.
i=0
while [ $i -lt 20 ]; do
	cat $KS/tasks >/tmp/tasks
	cat $KS/task_sites >/tmp/task_sites
	cat $KS/tasks >/tmp/tasks.again
	grep ' busybox_tasks_[ab]$' /tmp/tasks >/tmp/t1
	grep ' busybox_tasks_[ab]$' /tmp/tasks.again >/tmp/t2
	cmp -s /tmp/t1 /tmp/t2 && break
	sleep 0.5
	i=$((i + 1))
done
echo "# tasks: read $((i + 1)) times until steady"
# task_sites: "live_bytes live_count tasks module pid state" of COMM's
# ks_fixture_grow rows (columns: live_bytes live_count tasks pid state
# comm allocator module call_site).
site_rows() {
	awk -v c="$1" '!/^#/ && $6 == c && $9 ~ /^ks_fixture_grow\+/ { print $1, $2, $3, $8, $4, $5 }' /tmp/task_sites
}
expect_eq "task_sites: the running task's ks_fixture_grow site" \
	"$(site_rows busybox_tasks_a)" "$((3 * K)) 3 1 ks_fixture $a running"
expect_eq "task_sites: the exited task's ks_fixture_grow site, folded by comm" \
	"$(site_rows busybox_tasks_b)" "$((5 * K)) 5 2 ks_fixture - exited"
# task_row COMM: "total live_count tasks pid state" of COMM's tasks row;
# task_sum COMM: "bytes count pid state" summed over its task_sites rows
# (a row's tasks is not theirs: of two exited processes of one comm, one
# may have allocated at a site and the other not).
task_row() {
	awk -v c="$1" '!/^#/ && NF >= 12 && $NF == c { print $1, $8, $9, $10, $11 }' /tmp/tasks
}
task_sum() {
	awk -v c="$1" '!/^#/ && NF >= 9 && $6 == c { b += $1; n += $2; p = $4; s = $5 }
		END { print b + 0, n + 0, p, s }' /tmp/task_sites
}
expect_eq "tasks: the running task's row = its task_sites rows" \
	"$(task_row busybox_tasks_a | cut -d' ' -f1,2,4,5)" "$(task_sum busybox_tasks_a)"
expect_eq "tasks: the exited task's row = its task_sites rows" \
	"$(task_row busybox_tasks_b | cut -d' ' -f1,2,4,5)" "$(task_sum busybox_tasks_b)"
expect_eq "tasks: the running task: pid, running, at least what it made ks_fixture allocate" \
	"$(task_row busybox_tasks_a | awk -v k=$((3 * K)) '{ print $4, $5, ($1 >= k) }')" "$a running 1"
expect_eq "tasks: the exited tasks: two folded, exited, at least what they made ks_fixture allocate" \
	"$(task_row busybox_tasks_b | awk -v k=$((5 * K)) '{ print $3, $4, $5, ($1 >= k) }')" "2 - exited 1"
expect_eq "tasks and task_sites: nothing left out" \
	"$(grep '^not_listed_over_cap:' /tmp/tasks) $(grep '^not_listed_over_cap:' /tmp/task_sites)" \
	"not_listed_over_cap: 0 allocations, 0 bytes not_listed_over_cap: 0 allocations, 0 bytes"
# The rows add up to what the allocations file lists (read in between,
# so only the kernel's own allocations meanwhile differ: compared for the
# two tasks only).
expect_eq "tasks: the same figures as the allocations file" \
	"$(awk -v p=$a '$7 == p && $8 == "busybox_tasks_a" { n++; b += $2 } END { print b + 0, n + 0 }' $KS/allocations)" \
	"$(task_row busybox_tasks_a | awk '{ print $1, $2 }')"
expect_eq "tasks: sorted by total bytes" \
	"$(awk '!/^#/ && NF >= 12 { if (n++ && $1 + 0 > prev) bad++; prev = $1 + 0 } END { print bad ? "not sorted" : "sorted" }' /tmp/tasks)" sorted
echo "# tasks: $(grep -vc '^#' /tmp/tasks) rows; the first five, and the two tasks':"
sed -n '1,8p' /tmp/tasks | sed 's/^/#   /'
grep ' busybox_tasks_[ab]$' /tmp/tasks | sed 's/^/#   /'
echo "# task_sites: the two tasks' rows:"
grep ' busybox_tasks_[ab] ' /tmp/task_sites | sed 's/^/#   /'
echo go >&4
wait $a
exec 4>&-
echo grown >/sys/kernel/debug/ks_fixture/release
expect_eq "task_sites: no ks_fixture_grow row once the fixture freed them" \
	"$(awk '$9 ~ /^ks_fixture_grow\+/' $KS/task_sites | wc -l)" 0
run_checked "rmmod ks_fixture" rmmod ks_fixture
run_checked "rmmod kmemscope" rmmod kmemscope
