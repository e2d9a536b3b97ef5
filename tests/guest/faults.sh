# SPDX-License-Identifier: GPL-2.0
# suite: faults
#
# faults.sh - kmemscope when allocations fail, on the debug kernel (fault
# injection; the guest boots with kmemleak=on):
#
#   fail-nth   kmemscope's own load with its Nth fault point failing
#              (/proc/self/fail-nth, through tests/guest-bin/ks-failnth.c),
#              N = 1, 2, ... (every ks.failnth_step-th: make check takes
#              every 7th) until a load passes fewer than N points: a
#              load that fails leaves no module, no debugfs directory and
#              no kprobe behind; one that goes on (a hook that could not
#              attach, a self-test allocation that failed) unloads clean;
#              then kmemleak finds nothing new unreferenced, and a plain
#              insmod self-tests every hook
#   injected   under ks_stress's load, failslab and fail_page_alloc make
#              allocations fail: in ks_stress's threads only (task-filter,
#              GFP_KERNEL ones too), then anywhere (atomic ones only); a
#              failed allocation is neither recorded nor charged, so what
#              kmemscope shows for ks_stress equals ks_stress's own
#              bookkeeping, which counts its failures apart
#
# The harness fails the run on any kernel report in the console.
. /tests/lib.sh
. /tests/stress-lib.sh

D=/sys/kernel/debug
# Small tables: quicker loads, the same code paths.
SMALL="max_records=64 max_sites=16 max_stacks=16"
# Every STEPth N (kernel command line ks.failnth_step; default 1: all).
step=$(sed -n 's/.*ks\.failnth_step=\([0-9]*\).*/\1/p' /proc/cmdline)
step=${step:-1}
FILES="summary callers modules allocations tasks task_sites leaks since_mark reserved memblock account control"

# inject PROBABILITY TASK-FILTER IGNORE-GFP-WAIT: failslab's and
# fail_page_alloc's settings (probability 0: off).
inject() {
	local a
	for a in failslab fail_page_alloc; do
		echo 0 >$D/$a/probability
		echo 1 >$D/$a/interval
		echo -1 >$D/$a/times
		echo 0 >$D/$a/verbose
		echo "$2" >$D/$a/task-filter
		echo "$3" >$D/$a/ignore-gfp-wait
		echo "$1" >$D/$a/probability
	done
	echo N >$D/fail_page_alloc/ignore-gfp-highmem
	echo 0 >$D/fail_page_alloc/min-order
}

# kmemleak's unreferenced objects now: "address caller" a line, where
# caller is the first backtrace frame past the allocator's own functions:
# an unresolved address is code that is gone (kmemscope, unloaded).
leak_scan() {
	echo scan >$D/kmemleak
	sleep 6
	echo scan >$D/kmemleak
	awk '$1 == "unreferenced" { obj = $3; bt = 0; next }
		$1 == "backtrace:" { bt = 1; c = ""; next }
		bt && $1 ~ /^\[</ && c == "" {
			f = $2; fn = f; sub(/\+.*/, "", fn)
			if (fn ~ /^_*(k[mvz]?alloc|kvmalloc|kmalloc|kmem_cache_alloc|kstrdup|kmemdup|kzalloc|kvzalloc|krealloc|v[mz]alloc|vmalloc|alloc_pages|get_free_pages|alloc_percpu|pcpu_alloc|slab_|kmalloc_|__kmem_cache)/)
				next
			c = f; print obj, c
		}' $D/kmemleak | sort
}

section faults
for f in failslab fail_page_alloc kmemleak kprobes/list; do
	[ -e $D/$f ] || not_ok "this kernel has $D/$f (CONFIG_FAULT_INJECTION_DEBUG_FS, DEBUG_KMEMLEAK, KPROBES; kmemleak=on)"
done
[ -r /proc/self/fail-nth ] || not_ok "this kernel has /proc/self/fail-nth (CONFIG_FAULT_INJECTION)"

# ---- fail-nth -------------------------------------------------------------
section faults fail-nth
# fail-nth counts only the points that pass each injector's own tests:
# every gfp, every order, no probability of its own.
inject 0 N N
kprobes0=$(sort $D/kprobes/list)
leaks0=$(leak_scan)
set -- $(ks-failnth 100000000 /ko/kmemscope.ko "$SMALL")
expect_eq "a load with no point failing loads" "${1:-none}" 0
calls=$((100000000 - ${2:-100000000}))
rmmod kmemscope || not_ok "rmmod kmemscope" "after the load with no point failing"
echo "# fail-nth: a load of kmemscope passes $calls fault points"
n=1 refused=0 went_on=0 bad=0 said=0 ended=0
: >/tmp/silent
while [ $n -le $((calls + 50)) ]; do
	# The log wraps over many loads: start each attempt with it empty.
	dmesg -c >/dev/null
	set -- $(ks-failnth $n /ko/kmemscope.ko "$SMALL")
	err=${1:-none} left=${2:-none}
	if [ "$err" = 0 ] && grep -q '^kmemscope ' /proc/modules; then
		[ "$left" = 0 ] && went_on=$((went_on + 1))
		missing=
		for f in $FILES; do
			[ -e $KS/$f ] || missing="$missing $f"
		done
		if [ -n "$missing" ] || ! head -n 1 $KS/summary | grep -q "^kmemscope summary - version: [0-9]"; then
			not_ok "fail-nth $n: loaded, but files are missing or unreadable:${missing:- summary}"
			bad=$((bad + 1))
		fi
		if ! rmmod kmemscope; then
			not_ok "fail-nth $n: loaded, but rmmod failed"
			bad=$((bad + 1))
		fi
		if [ "$left" != 0 ]; then
			ended=1
			break
		fi
	else
		refused=$((refused + 1))
		if dmesg | grep -q 'kmemscope: '; then
			said=$((said + 1))
		else
			echo "$n" >>/tmp/silent
		fi
		why=
		grep -q '^kmemscope ' /proc/modules && why="$why, still in /proc/modules"
		[ -e $KS ] && why="$why, its debugfs directory is left"
		[ "$(sort $D/kprobes/list)" = "$kprobes0" ] || why="$why, kprobes are left"
		[ "$left" = 0 ] || why="$why, failed (errno $err) with no point failing ($left left)"
		if [ -n "$why" ]; then
			not_ok "fail-nth $n: a refused load leaves nothing" "${why#, }"
			bad=$((bad + 1))
		fi
	fi
	[ "$bad" -lt 5 ] || break
	n=$((n + step))
done
echo "# fail-nth: N in steps of $step: $((refused + went_on)) loads failed at their Nth point: $refused refused ($said with a kmemscope message), $went_on went on; the last passed all"
echo "# fail-nth: refused with no kmemscope message (the loader's own points, before kmemscope's init): N in" \
	"$(awk 'NR == 1 { a = b = $1; next } $1 == b + 1 { b = $1; next } { printf "%s ", a == b ? a : a "-" b; a = b = $1 }
		END { if (NR) print a == b ? a : a "-" b }' /tmp/silent)"
expect_eq "fail-nth: some load failed at its Nth point" "$((refused > 0))" 1
expect_eq "fail-nth: every load tried, until one passed fewer than N points" "$ended" 1
expect_eq "fail-nth: every refused load left nothing, every load that went on unloaded clean" "$bad" 0
# What kmemleak finds unreferenced that was not before: kmemscope's own
# (allocated by code that is gone) fails the test; the kernel's own, leaked
# on its error paths when kmemscope's call into it failed (6.1's
# sysfs_slab_add() leaks a cache's kobject name when kobject_init_and_add()
# fails), is listed.
leak_scan >/tmp/leaks1
echo "$leaks0" >/tmp/leaks0
awk 'NR == FNR { old[$1] = 1; next } !($1 in old)' /tmp/leaks0 /tmp/leaks1 >/tmp/leaks.new
awk '{ print $2 }' /tmp/leaks.new | sed 's/+.*//' | sort | uniq -c |
	sed 's/^ */# fail-nth: kmemleak: new unreferenced objects allocated for /'
expect_eq "kmemleak: nothing new unreferenced that kmemscope allocated" \
	"$(awk '$2 ~ /^0x/' /tmp/leaks.new | wc -l)" 0
if insmod /ko/kmemscope.ko; then
	expect_eq "then a plain insmod: no hook failed or silent" \
		"$(awk '$1 == "hook:" && ($3 == "failed" || $3 == "silent") { print $2 }' $KS/summary | tr '\n' ' ')" ""
	rmmod kmemscope || not_ok "rmmod kmemscope" "after the plain insmod"
else
	not_ok "then a plain insmod works"
fi

# ---- injected ---------------------------------------------------------------
section faults injected
if ! insmod /ko/ks_stress.ko nowarn=1; then
	not_ok "insmod ks_stress nowarn=1"
elif ! insmod /ko/kmemscope.ko; then
	not_ok "insmod kmemscope"
else
	cat $S/stats >/tmp/stats.base
	stress start
	# ks_stress's threads only, GFP_KERNEL too.
	for d in /proc/[0-9]*; do
		case $(cat $d/comm 2>/dev/null) in
		ks_stress/*) echo 1 >$d/make-it-fail ;;
		esac
	done
	inject 10 Y N
	sleep 6
	# Anywhere, atomic allocations only (nothing is written meanwhile: the
	# results channel allocates too).
	inject 3 N Y
	sleep 4
	inject 0 N Y
	stress stop
	cat $KS/callers >/tmp/callers
	cat $S/stats >/tmp/stats.stop
	cat $KS/summary >/tmp/summary
	awk '!/^#/ && NF == 8 && $8 > 0 { printf "# injected: %s %s: %d allocations failed\n", $1, $2, $8 }' /tmp/stats.stop
	expect_eq "allocations failed in each context (process, softirq, hardirq)" \
		"$(awk '!/^#/ && NF == 8 && $8 > 0 { c[$1] = 1 } END { print c["process"] + c["softirq"] + c["hardirq"] }' /tmp/stats.stop)" 3
	stress check && ok "ks_stress's bookkeeping recounted from its slots" ||
		not_ok "ks_stress's bookkeeping recounted from its slots"
	expect_stress_exact injected /tmp/callers /tmp/stats.base /tmp/stats.stop
	for k in dropped_pool_full dropped_site_table_full dropped_recursion; do
		expect_eq "$k" "$(sed -n "s/^$k: //p" /tmp/summary)" 0
	done
	stress drain
	run_checked "rmmod kmemscope" rmmod kmemscope
	run_checked "rmmod ks_stress" rmmod ks_stress
fi
