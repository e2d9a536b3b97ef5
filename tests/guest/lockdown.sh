# SPDX-License-Identifier: GPL-2.0
# suite: lockdown
#
# lockdown.sh - kmemscope under lockdown=confidentiality: it registers no
# kprobe or kretprobe (the kernel forbids them there, LOCKDOWN_KPROBES),
# those hooks show "failed" with -EPERM (-1), and the tracepoint hooks
# still work.  A kernel booted locked down refuses unsigned modules, so
# ks_lockdown.ko raises lockdown as kmemscope loads (after its load was
# allowed, before its init).  Lockdown cannot be lifted: run this script
# last in its guest, or alone.
. /tests/lib.sh

section lockdown
LD=/sys/kernel/security/lockdown
[ -e $LD ] || mount -t securityfs none /sys/kernel/security
run_checked "insmod ks_lockdown" insmod /ko/ks_lockdown.ko
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
expect_eq "locked down" "$(sed 's/.*\[\(.*\)\].*/\1/' $LD)" confidentiality
state() { awk -v h="$1" '$1 == "hook:" && $2 == h { print $3, $5 }' $KS/summary; }
for h in vmalloc vfree kmem_cache_alloc_bulk kmem_cache_free_bulk alloc_pages_bulk \
	 split_page alloc_pages_exact krealloc kfree_rcu_sheaf kfree_nolock \
	 dma_alloc_attrs dma_free_attrs dma_alloc_pages dma_free_pages; do
	grep -q "^hook: $h " $KS/summary || continue
	# kfree_rcu_sheaf and kfree_nolock are off (not used) before 6.18.
	case $h in kfree_*) [ "$(state $h)" = "off 0" ] && continue ;; esac
	# 5.10 has no bulk page allocator: that hook is off, not refused.
	want="failed -1"
	case $h:$(uname -r) in alloc_pages_bulk:5.10.*) want="off 0" ;; esac
	expect_eq "hook $h" "$(state $h)" "$want"
done
for h in kmalloc kfree kmem_cache_alloc kmem_cache_free; do
	expect_eq "hook $h" "$(state $h)" "ok 0"
done
expect_eq "the 0400 files stay readable" \
	"$(head -n 1 $KS/callers | sed 's/ - version.*//')" "kmemscope callers"
if echo mark 2>/dev/null >$KS/control; then
	echo "# control (0600) is writable under lockdown"
else
	echo "# control (0600) cannot be opened for writing under lockdown (debugfs: LOCKDOWN_DEBUGFS)"
fi
# kmalloc is still tracked.
kb=$(awk '$1 == "allocator:" && $2 == "kmalloc" { print $4 }' $KS/summary)
case $kb in
'' | 0) not_ok "kmalloc live allocations recorded" "got: '$kb'" ;;
*) ok "kmalloc live allocations recorded ($kb)" ;;
esac
run_checked "rmmod kmemscope" rmmod kmemscope
