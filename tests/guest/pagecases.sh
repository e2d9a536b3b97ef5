# SPDX-License-Identifier: GPL-2.0
# suite: integration 20
#
# pagecases.sh - pages and vmalloc areas given back in parts or by other
# paths (tests/fixtures/ks_pagecases.c): kmemscope keeps exactly what is
# still held, counts each mismatch, and counts each byte once.
#   - a free of a lower order than allocated (free_pages(p, 0) of an
#     order-2 block; put_page() of a non-compound one) leaves 3 pages live
#   - split_page(): each page is a record of its own, freed in any order
#   - alloc_pages_exact(): one record per page kept (its tail is given
#     back inside the allocator)
#   - vmalloc's pages taken through the bulk allocator's one-page fallback
#     (a one-page vmalloc; an accounted one in a memory cgroup) are not
#     recorded again as page objects
#   - the bulk allocator: one record a page it put in an empty slot (not
#     the page already held); a page_pool's pages charged to the driver
#     that takes them (modules, callers, account), 0 once it is destroyed
#   - a vfree() in a timer is one free (from 6.3 the kernel defers it and
#     may call vfree() again: counted as vfree_deferred / vfree_seen_twice,
#     not as an untracked free; RCU callbacks' vfree()s of areas older than
#     kmemscope do count as untracked, so that count is not asserted)
. /tests/lib.sh

section pagecases
PS=$PAGE_SIZE
RUN=/sys/kernel/debug/ks_pagecases/run

run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
expect_eq "hook split_page self-test" \
	"$(sed -n 's/^hook: split_page  *\([a-z]*\) .*/\1/p' $KS/summary)" ok
run_checked "insmod ks_pagecases" insmod /ko/ks_pagecases.ko

# bulk_page_rows: page objects charged to the bulk allocator itself.
bulk_page_rows() {
	callers_awk '$col["allocator"] == "page" && fn ~ /alloc_pages_bulk/ { n++ } END { print n + 0 }'
}
bulk0=$(bulk_page_rows)
expect_eq "page objects charged to the bulk allocator after load" "$bulk0" 0

p0=$(summary_field page_frees_partial)
echo order_mismatch >$RUN
expect_eq "free_pages(p, 0) of an order-2 block: 3 pages stay live" \
	"$(caller_row ks_pc_order_mismatch)" "$((3 * PS)) $((3 * PS)) 1 1 0 page [ks_pagecases]"
echo put_page >$RUN
expect_eq "put_page() of a non-compound order-2 block: 3 pages stay live" \
	"$(caller_row ks_pc_put_page)" "$((3 * PS)) $((3 * PS)) 1 1 0 page [ks_pagecases]"
expect_eq "page_frees_partial counts both" "$(summary_field page_frees_partial)" $((p0 + 2))

s0=$(summary_field page_splits)
echo split >$RUN
expect_eq "split_page(), page 0 freed: pages 1-3 live, one record each" \
	"$(caller_row ks_pc_split)" "$((3 * PS)) $((3 * PS)) 3 4 1 page [ks_pagecases]"
echo exact >$RUN
expect_eq "alloc_pages_exact(5 pages): 5 live, one record a page" \
	"$(caller_row ks_pc_exact)" "$((5 * PS)) $((5 * PS)) 5 5 0 page [ks_pagecases]"
expect_eq "page_splits counts both" "$(summary_field page_splits)" $((s0 + 2))

echo vmalloc_small >$RUN
expect_eq "vmalloc(100)" "$(caller_row ks_pc_vmalloc_small)" "$PS 100 1 1 0 vmalloc [ks_pagecases]"
expect_eq "vmalloc(100): its page is not also a page object" "$(bulk_page_rows)" 0

# vmalloc(8 pages): on 6.x its pages come from the bulk allocator's per-CPU
# lists (no event), 8 order-0 allocations; 7.2 takes one order-3 block
# (one allocation, which fires the event).  Counted as vmalloc's backing
# pages, 8 either way (pages_vmalloc_backing counts an area's pages when
# vmalloc returns), not as page objects, and not in pages_bulk.
# The summary is read right before and right after, once each: every
# task started in between (a command substitution) may take a new kernel
# stack from vmalloc.
vwant=8
p0=$(module_sum ks_pagecases live_bytes page)
s0=$(cat $KS/summary)
echo vmalloc_bulk >$RUN
s1=$(cat $KS/summary)
v0=$(echo "$s0" | sed -n 's/^pages_vmalloc_backing: //p')
v1=$(echo "$s1" | sed -n 's/^pages_vmalloc_backing: //p')
b0=$(echo "$s0" | sed -n 's/^pages_bulk: //p')
b1=$(echo "$s1" | sed -n 's/^pages_bulk: //p')
expect_eq "vmalloc(8 pages)" "$(caller_row ks_pc_vmalloc_bulk)" "$((8 * PS)) $((8 * PS)) 1 1 0 vmalloc [ks_pagecases]"
# Another vmalloc meanwhile (the stack of the task that reads the summary)
# may add to it, but not as many again: a page counted twice would.
if [ $((v1 - v0)) -ge $vwant ] && [ $((v1 - v0)) -lt $((2 * vwant)) ]; then
	ok "vmalloc(8 pages): pages_vmalloc_backing counts its $vwant pages ($v0 -> $v1)"
else not_ok "vmalloc(8 pages): pages_vmalloc_backing counts its $vwant pages" "$v0 -> $v1"; fi
expect_eq "vmalloc(8 pages): its pages are not also page objects of the driver" \
	"$(module_sum ks_pagecases live_bytes page)" "$p0"
expect_eq "vmalloc(8 pages): nor of the bulk allocator" "$(bulk_page_rows)" 0
expect_eq "vmalloc(8 pages): not in pages_bulk" "$b1" "$b0"

# With a module filter set, a page site's class depends on its owner:
# vmalloc's backing pages (the core kernel's) count as filtered_module,
# not as pages_vmalloc_backing, also once the bulk allocator's calls for
# vmalloc are counted without the site's lookup (hooks.c).
run_checked "filter module ks_pagecases" sh -c "echo 'filter module ks_pagecases' >$KS/control"
v0=$(summary_field pages_vmalloc_backing)
f0=$(summary_field filtered_module)
echo vmalloc_free >$RUN
v1=$(summary_field pages_vmalloc_backing)
f1=$(summary_field filtered_module)
run_checked "filter off" sh -c "echo 'filter off' >$KS/control"
expect_eq "vmalloc(8 pages) under a module filter: its area recorded and freed" \
	"$(caller_row ks_pc_vmalloc_free)" "0 0 0 1 1 vmalloc [ks_pagecases]"
expect_eq "vmalloc(8 pages) under a module filter: pages_vmalloc_backing unchanged" "$v1" "$v0"
if [ $((f1 - f0)) -ge $vwant ]; then ok "vmalloc(8 pages) under a module filter: filtered_module counts its $vwant pages ($f0 -> $f1)"
else not_ok "vmalloc(8 pages) under a module filter: filtered_module counts its $vwant pages" "$f0 -> $f1"; fi

# An area vmalloc may map with 2 MiB blocks (vmalloc_huge(2 MiB + 1
# page)) counts its size rounded up to them (a PMD: PAGE_SIZE / 8 entries
# of PAGE_SIZE), where it is at least one (not with 16 KiB pages, whose
# PMD is 32 MiB); 5.10 has no vmalloc_huge() and counts page allocations.
case $(uname -r) in
5.10.*) ;;
*)
	pmd=$((PS * PS / 8)); hsize=$((2 * 1024 * 1024 + PS))
	if [ $hsize -ge $pmd ]; then hwant=$(( (hsize + pmd - 1) / pmd * pmd / PS ))
	else hwant=$(( (hsize + PS - 1) / PS )); fi
	s0=$(cat $KS/summary)
	echo vmalloc_huge >$RUN
	s1=$(cat $KS/summary)
	v0=$(echo "$s0" | sed -n 's/^pages_vmalloc_backing: //p')
	v1=$(echo "$s1" | sed -n 's/^pages_vmalloc_backing: //p')
	if [ $((v1 - v0)) -ge $hwant ] && [ $((v1 - v0)) -lt $((hwant + 16)) ]; then
		ok "vmalloc_huge(2 MiB + 1 page): pages_vmalloc_backing counts its $hwant pages ($v0 -> $v1)"
	else not_ok "vmalloc_huge(2 MiB + 1 page): pages_vmalloc_backing counts its $hwant pages" "$v0 -> $v1"; fi
	;;
esac

# A vmalloc that fails once its area is reserved (ks_pagecases makes the
# kmalloc of its page array fail) gives the area back with free_vm_area(),
# from a worker on newer kernels: no record of it stays live.  (Where a
# kretprobe hooks vmalloc, a failed call is never recorded.)
if echo vmalloc_array_fail >$RUN; then
	for i in 1 2 3 4 5; do
		row=$(caller_row ks_pc_vmalloc_array_fail)
		live=${row%% *}
		[ "${live:-0}" = 0 ] && break
		sleep 1
	done
	expect_eq "vmalloc whose page array cannot be allocated: no area left live" "${live:-0}" 0
else
	not_ok "vmalloc whose page array cannot be allocated: the case ran" "the write failed"
fi

# In a memory cgroup, an accounted vmalloc takes every page one by one.
if mkdir -p /sys/fs/cgroup && mount -t cgroup2 none /sys/fs/cgroup 2>/dev/null &&
   echo +memory >/sys/fs/cgroup/cgroup.subtree_control && mkdir /sys/fs/cgroup/kstest; then
	s0=$(cat $KS/summary)
	(echo $$ >/sys/fs/cgroup/kstest/cgroup.procs && echo vmalloc_account >$RUN)
	s1=$(cat $KS/summary)
	v0=$(echo "$s0" | sed -n 's/^pages_vmalloc_backing: //p')
	v1=$(echo "$s1" | sed -n 's/^pages_vmalloc_backing: //p')
	# 6.1's bulk allocator gives an accounted call one page, and vmalloc
	# takes the other 15 one by one: each counted once.
	if [ $((v1 - v0)) -ge 16 ] && [ $((v1 - v0)) -lt 31 ]; then
		ok "accounted vmalloc: pages_vmalloc_backing counts its 16 pages ($v0 -> $v1)"
	else not_ok "accounted vmalloc: pages_vmalloc_backing counts its 16 pages" "$v0 -> $v1"; fi
	expect_eq "__vmalloc(16 pages, GFP_KERNEL_ACCOUNT) in a memory cgroup" \
		"$(caller_row ks_pc_vmalloc_account)" "$((16 * PS)) $((16 * PS)) 1 1 0 vmalloc [ks_pagecases]"
	expect_eq "accounted vmalloc: its pages are not also page objects" "$(bulk_page_rows)" 0
else
	echo "# no memory cgroup here: the accounted vmalloc case is not run"
fi

d0=$(summary_field vfree_deferred)
echo timer_vfree >$RUN
# The kernel's deferred work may still be running (6.3 and later).
sleep 1
expect_eq "vmalloc freed by vfree() in a timer" \
	"$(caller_row ks_pc_timer_vfree)" "0 0 0 1 1 vmalloc [ks_pagecases]"
d1=$(summary_field vfree_deferred)
case $(uname -r) in
5.10.* | 6.1.*)	# freed at once, by a work that does not call vfree() again
	expect_eq "vfree() in a timer on 6.1: not deferred" "$d1" "$d0" ;;
*)	# deferred through vfree_atomic() (RCU callbacks may add more)
	if [ "$d1" -gt "$d0" ]; then ok "vfree() in a timer: vfree_deferred grew ($d0 -> $d1)"
	else not_ok "vfree() in a timer: vfree_deferred grew" "$d0 -> $d1"; fi ;;
esac

# ---- the bulk page allocator and page_pool (5.13 on) --------------------
# Each page alloc_pages_bulk() puts in an empty slot is one record, charged
# to its caller; a page_pool's pages (taken through the bulk allocator) are
# charged to the driver that takes pages from it, its cache too, until the
# pool gives them back.  The account puts them on the driver's line.
case $(uname -r) in 5.10.*) bulk_state=off ;; *) bulk_state=ok ;; esac
expect_eq "hook alloc_pages_bulk" \
	"$(sed -n 's/^hook: alloc_pages_bulk  *\([a-z]*\) .*/\1/p' $KS/summary)" $bulk_state
if [ $bulk_state = ok ]; then
	b0=$(summary_field pages_bulk)
	un0=$(summary_field pages_bulk_unseen)
	echo bulk >$RUN
	expect_eq "alloc_pages_bulk(16 slots, slot 5 held): 15 pages, one record each" \
		"$(caller_row ks_pc_bulk)" "$((15 * PS)) $((15 * PS)) 15 15 0 page [ks_pagecases]"
	expect_eq "the page slot 5 held: its own caller's" \
		"$(caller_row ks_pc_bulk_pre)" "$PS $PS 1 1 0 page [ks_pagecases]"
	b1=$(summary_field pages_bulk)
	if [ $((b1 - b0)) -ge 15 ]; then ok "pages_bulk counts them ($b0 -> $b1)"
	else not_ok "pages_bulk counts them" "$b0 -> $b1"; fi
	expect_eq "pages_bulk_unseen: none of them" "$(summary_field pages_bulk_unseen)" "$un0"
	expect_eq "no page object charged to the bulk allocator" "$(bulk_page_rows)" 0
	# One page asked for: the bulk allocator's single-page path fires
	# mm_page_alloc; the page is recorded once, at the bulk call's caller
	# (recorded twice, the site would show 2 allocs and 1 free).
	echo bulk_one >$RUN
	expect_eq "alloc_pages_bulk(2 slots, slot 0 held): its one page, one record" \
		"$(caller_row ks_pc_bulk_one)" "$PS $PS 1 1 0 page [ks_pagecases]"

	m0=$(module_sum ks_pagecases live_bytes page)
	a0=$(acct_line managed.direct.ks_pagecases)
	if echo pool >$RUN 2>/tmp/pool.err; then
		n=$(cat /sys/kernel/debug/ks_pagecases/pool_pages)
		if [ "$n" -ge 4 ]; then ok "page_pool: 4 pages taken, $n from the page allocator"
		else not_ok "page_pool: at least the 4 pages taken from the page allocator" "pool_pages $n"; fi
		expect_eq "page_pool: its pages charged to the driver that takes them" \
			"$(caller_row ks_pc_pool_take)" "$((n * PS)) $((n * PS)) $n $n 0 page [ks_pagecases]"
		expect_eq "page_pool: the driver's page bytes in modules grew by the pool's" \
			"$(( $(module_sum ks_pagecases live_bytes page) - m0 ))" $((n * PS))
		expect_eq "page_pool: the driver's account line grew by the pool's pages" \
			"$(( $(acct_line managed.direct.ks_pagecases) - a0 ))" "$n"
		echo pool_put >$RUN
		expect_eq "page_pool: pages given back to the pool stay charged (it keeps them)" \
			"$(caller_row ks_pc_pool_take)" "$((n * PS)) $((n * PS)) $n $n 0 page [ks_pagecases]"
		echo pool_destroy >$RUN
		expect_eq "page_pool destroyed: its pages went back" \
			"$(caller_row ks_pc_pool_take)" "0 0 0 $n $n page [ks_pagecases]"
		expect_eq "page_pool destroyed: the driver's account line is back" "$(acct_line managed.direct.ks_pagecases)" "$a0"
	elif grep -q "not supported" /tmp/pool.err; then
		echo "# no page_pool in this kernel (CONFIG_PAGE_POOL off): the pool case is not run"
	else
		not_ok "page_pool created" "$(cat /tmp/pool.err)"
	fi
fi

echo release >$RUN
for f in ks_pc_order_mismatch ks_pc_put_page; do
	expect_eq "$f after release" "$(caller_row $f)" "0 0 0 1 1 page [ks_pagecases]"
done
expect_eq "ks_pc_split after release" "$(caller_row ks_pc_split)" "0 0 0 4 4 page [ks_pagecases]"
expect_eq "ks_pc_exact after release" "$(caller_row ks_pc_exact)" "0 0 0 5 5 page [ks_pagecases]"
if [ $bulk_state = ok ]; then
	expect_eq "ks_pc_bulk after release" "$(caller_row ks_pc_bulk)" "0 0 0 15 15 page [ks_pagecases]"
	expect_eq "ks_pc_bulk_one after release" "$(caller_row ks_pc_bulk_one)" "0 0 0 1 1 page [ks_pagecases]"
fi
expect_eq "page_frees_over" "$(summary_field page_frees_over)" 0
run_checked "rmmod ks_pagecases" rmmod ks_pagecases
expect_eq "ks_pagecases live bytes after rmmod" "$(module_sum ks_pagecases)" 0
# A reset starts the bulk counters again with the store: the cases above
# took at least 16 pages in bulk, and without a reset the counter only
# grows (the summary read without a fork: a new task's stack may come
# from vmalloc, in bulk).
if [ $bulk_state = ok ]; then
	b2=$(summary_field pages_bulk)
	echo reset >$KS/control
	b3=
	while read -r k v; do [ "$k" = pages_bulk: ] && b3=$v; done <$KS/summary
	if [ "$b2" -ge 16 ] && [ -n "$b3" ] && [ "$b3" -lt "$b2" ]; then ok "reset: pages_bulk starts again ($b2 -> $b3)"
	else not_ok "reset: pages_bulk starts again" "$b2 -> $b3"; fi
fi

# ---- where a page's caller comes from ---------------------------------
# x86_64 from 6.1 with the function tracer: entry callbacks on the page
# allocator (pagecaller.c); elsewhere a backtrace.  1000 pages a driver
# takes with alloc_page() are charged to it, and through the callbacks
# none of them needs a backtrace (a few other allocations meanwhile may).
want=backtrace
grep -q " /sys/kernel/tracing " /proc/mounts || mount -t tracefs nodev /sys/kernel/tracing 2>/dev/null
if [ "$(uname -m)" = x86_64 ] && grep -qw function /sys/kernel/tracing/available_tracers 2>/dev/null; then
	case $(uname -r) in 5.*) ;; *) want=entry-callbacks ;; esac
fi
expect_eq "page callers from" "$(summary_field page_caller_from)" $want
# The bulk allocator: where the entry callbacks are, one of them (its
# page tests above ran through ks_bulk_redirect()), a kretprobe elsewhere.
case $want:$bulk_state in
entry-callbacks:ok) bwant=callback ;;
*:ok) bwant=kretprobe ;;
*) bwant=none ;;
esac
expect_eq "bulk allocator hooked by" "$(summary_field pages_bulk_hook)" $bwant
# vmalloc: where the entry callbacks are and the kernel has vmap's
# alloc_vmap_area event (6.2 on), an entry callback and that event; a
# kretprobe elsewhere.  Every call found a slot, and every area a call
# asked for was seen (the fixtures' vmallocs do not fail before it).
vwant=kretprobe
[ $want = entry-callbacks ] && [ -d /sys/kernel/tracing/events/vmalloc/alloc_vmap_area ] && vwant=callback
expect_eq "vmalloc hooked by" "$(summary_field vmalloc_hook)" $vwant
expect_eq "vmalloc calls that found no slot" "$(summary_field vmalloc_no_slot)" 0
expect_eq "vmalloc calls whose area was not seen" "$(summary_field vmalloc_unmatched)" 0
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
u0=$(summary_field page_caller_unwound)
echo 1000 >/sys/kernel/debug/ks_fixture/pages
u1=$(summary_field page_caller_unwound)
expect_eq "alloc_page() x 1000: the fixture's pages" "$(module_sum ks_fixture live_bytes page)" $((1000 * PS))
if [ $want = entry-callbacks ]; then
	if [ $((u1 - u0)) -lt 100 ]; then ok "alloc_page() x 1000: $((u1 - u0)) backtraces"
	else not_ok "alloc_page() x 1000: no backtraces" "page_caller_unwound $u0 -> $u1"; fi
else
	expect_eq "page_caller_unwound without entry callbacks" "$u1" 0
fi
echo 0 >/sys/kernel/debug/ks_fixture/pages
# A second probe on mm_page_alloc (its trace event on, as `perf record -e
# kmem:mm_page_alloc` would do): the event then reaches kmemscope's probe
# through the tracepoint's iterator, a frame deeper than calibrated, so
# the entry callbacks give no caller and the backtrace does (counted).
# The pages are charged the same.
EV=/sys/kernel/tracing/events/kmem/mm_page_alloc/enable
if [ -w $EV ]; then
	echo 1 >$EV
	u0=$(summary_field page_caller_unwound)
	echo 100 >/sys/kernel/debug/ks_fixture/pages
	u1=$(summary_field page_caller_unwound)
	echo 0 >$EV
	expect_eq "alloc_page() x 100, trace event mm_page_alloc on: the fixture's pages" \
		"$(module_sum ks_fixture live_bytes page)" $((100 * PS))
	if [ $want = backtrace ]; then
		expect_eq "trace event on, without entry callbacks: page_caller_unwound" "$u1" 0
	elif [ $((u1 - u0)) -ge 100 ]; then
		ok "alloc_page() x 100, trace event on: by backtrace, counted ($((u1 - u0)))"
	else
		not_ok "alloc_page() x 100, trace event on: by backtrace, counted" "page_caller_unwound $u0 -> $u1"
	fi
	echo 0 >/sys/kernel/debug/ks_fixture/pages
else
	echo "# no mm_page_alloc trace event here: the second-probe case is not run"
fi
run_checked "rmmod ks_fixture" rmmod ks_fixture
run_checked "rmmod kmemscope" rmmod kmemscope
