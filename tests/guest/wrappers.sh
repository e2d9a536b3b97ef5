# SPDX-License-Identifier: GPL-2.0
# suite: integration 30
#
# wrappers.sh - every allocator, and every helper a driver allocates
# through, is charged to the driver's own function and module
# (tests/fixtures/ks_wrappers.c), with exact bytes; it all returns to
# zero after the driver frees it and after rmmod.
. /tests/lib.sh

section wrappers
ncpu=$(awk -F- '{ print ($2 == "" ? 1 : $2 + 1) }' /sys/devices/system/cpu/possible)

# devm_* allocations carry a devres header whose size depends on the
# architecture (ARCH_DMA_MINALIGN on arm64 6.1), on CONFIG_DEBUG_DEVRES
# and, from 6.9, on kmalloc_size_roundup() of the total.  Figures read
# from each kernel: "class req" for devm_kmalloc(100), devm_kzalloc(200),
# devm_kstrdup("kmemscope"); alloc_req turns the kmalloc class into the
# bytes counted (kmalloc_bytes, lib.sh).
# arm64 6.1's smallest kmalloc class is 128 bytes (ARCH_KMALLOC_MINALIGN).
# 7.2's devres header is 8 bytes longer (struct devres_node gained
# free_node: data at 56 on x86_64): devm_kstrdup's 66 bytes round up to 96.
# On arm64 data[] is ARCH_DMA_MINALIGN (128) aligned either way.
# Percpu objects carry a memcg pointer per 4 bytes where CONFIG_MEMCG_KMEM
# is on (Debian's kernels; not the KUnit kernel).  5.10's percpu event
# reports no such figure (its memcg pointers are per chunk, and only in
# chunks for accounted objects): kmemscope counts the object's bytes in
# every CPU's unit, pcpu_extra=1.
# 5.10's devres header is 24 bytes on x86_64 (6.1: 40); arm64 5.10 is
# arm64 6.1's (128-byte minimum kmalloc class, aligned header).
# 5.10 has no bulk page allocator (5.13 added it): its hook is off.
kstr="32 23" kasp="16 9" pcpu_extra=2 bulk_hook=ok
case $TARGET in
x86_64-5.10) devm_a="128 124" devm_z="256 224" devm_s="64 34"
	     pcpu_extra=1 bulk_hook=off ;;
arm64-5.10) devm_a="256 228" devm_z="512 328" devm_s="256 138"
	    kstr="128 23" kasp="128 9" pcpu_extra=1 bulk_hook=off ;;
x86_64-6.1) devm_a="192 140" devm_z="256 240" devm_s="64 50" ;;
x86_64-6.12 | x86_64-6.12-rt) devm_a="192 192" devm_z="256 256" devm_s="64 64" ;;
arm64-6.1) devm_a="256 228" devm_z="512 328" devm_s="256 138"
	   kstr="128 23" kasp="128 9" ;;
x86_64-7.2) devm_a="192 192" devm_z="256 256" devm_s="96 96" ;;
arm64-6.12 | arm64-6.12-16k | arm64-7.2) devm_a="256 256" devm_z="512 512" devm_s="192 192" ;;
kunit | debug) devm_a="192 140" devm_z="256 240" devm_s="64 50" pcpu_extra=1 ;;
esac
# "bytes req" of a "class req" pair above.
alloc_req() { echo "$(kmalloc_bytes "$1") $2"; }

run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
for h in kmalloc kmem_cache_alloc kfree kmem_cache_free mm_page_alloc \
	 mm_page_free percpu_alloc_percpu percpu_free_percpu vmalloc vfree \
	 kmem_cache_alloc_bulk kmem_cache_free_bulk alloc_pages_bulk krealloc; do
	want=ok
	[ $h != alloc_pages_bulk ] || want=$bulk_hook
	expect_eq "hook $h self-test" \
		"$(sed -n "s/^hook: $h  *\([a-z]*\) .*/\1/p" $KS/summary)" $want
done
# kfree_rcu() into a slab sheaf and kfree_nolock(): hooked from 6.18 on
# (compat.h), off before.
for h in kfree_rcu_sheaf kfree_nolock; do
	st=$(sed -n "s/^hook: $h  *\([a-z]*\) .*/\1/p" $KS/summary)
	[ "$st" = off ] || expect_eq "hook $h self-test" "$st" ok
done
run_checked "insmod ks_wrappers" insmod /ko/ks_wrappers.ko

W="kmalloc [ks_wrappers]"
expect_eq "devm_kmalloc(100)" "$(caller_row ks_wrap_devm_kmalloc)" "$(alloc_req $devm_a) 1 1 0 $W"
expect_eq "devm_kzalloc(200)" "$(caller_row ks_wrap_devm_kzalloc)" "$(alloc_req $devm_z) 1 1 0 $W"
expect_eq "devm_kstrdup" "$(caller_row ks_wrap_devm_kstrdup)" "$(alloc_req $devm_s) 1 1 0 $W"
expect_eq "kstrdup (23 bytes)" "$(caller_row ks_wrap_kstrdup)" "$(alloc_req $kstr) 1 1 0 $W"
expect_eq "kasprintf (9 bytes)" "$(caller_row ks_wrap_kasprintf)" "$(alloc_req $kasp) 1 1 0 $W"
expect_eq "kmemdup(300)" "$(caller_row ks_wrap_kmemdup)" "$(alloc_req 512 300) 1 1 0 $W"
expect_eq "kvmalloc(100): kmalloc" "$(caller_row ks_wrap_kvmalloc_small)" "$(alloc_req 128 100) 1 1 0 $W"
# Twice KMALLOC_MAX_SIZE (the highest order's block: 4 MiB with 4 KiB
# pages, 32 MiB with 16 KiB pages) is more than kmalloc serves: vmalloc,
# whose page array (a pointer per page) is vmalloc'ed for the same caller
# when it is larger than a page (8 MiB in 4 KiB pages: 2048 pointers,
# 16 KiB; 64 MiB in 16 KiB pages: 4096 pointers, 32 KiB).
kv_size=$((2 * (PAGE_SIZE << MAX_ORDER)))
kv_array=$((kv_size / PAGE_SIZE * 8))
if [ $kv_array -gt $PAGE_SIZE ]; then
	kv_bytes=$((kv_size + $(page_round $kv_array)))
	expect_eq "kvmalloc($((kv_size >> 20)) MiB): vmalloc + its page array" \
		"$(caller_row ks_wrap_kvmalloc_large)" "$kv_bytes $kv_bytes 2 2 0 vmalloc [ks_wrappers]"
else
	not_ok "kvmalloc($((kv_size >> 20)) MiB): its page array ($kv_array bytes) is vmalloc'ed" \
		"no case here for a page array kmalloc'ed (PAGE_SIZE $PAGE_SIZE, MAX_ORDER $MAX_ORDER)"
fi
expect_eq "kmalloc(100) before krealloc: freed by it" \
	"$(caller_row ks_wrap_krealloc_first)" "0 0 0 1 1 $W"
expect_eq "krealloc(1000)" "$(caller_row ks_wrap_krealloc_grow)" "$(alloc_req 1024 1000) 1 1 0 $W"
# krealloc into the same object: the row's requested bytes are the new size.
expect_eq "kmalloc(100), krealloc(50) in place" "$(caller_row ks_wrap_krealloc_shrink)" "$(alloc_req 128 50) 1 1 0 $W"
expect_eq "kmalloc(100), krealloc(120) in place" "$(caller_row ks_wrap_krealloc_fit)" "$(alloc_req 128 120) 1 1 0 $W"
expect_eq "kcalloc(10, 30)" "$(caller_row ks_wrap_kcalloc)" "$(alloc_req 512 300) 1 1 0 $W"
expect_eq "vzalloc(20000)" "$(caller_row ks_wrap_vzalloc)" "$(page_round 20000) 20000 1 1 0 vmalloc [ks_wrappers]"
expect_eq "vmalloc(5000)" "$(caller_row ks_wrap_vmalloc)" "$(page_round 5000) 5000 1 1 0 vmalloc [ks_wrappers]"
expect_eq "__get_free_pages(order 2)" "$(caller_row ks_wrap_get_free_pages)" \
	"$((4 * PAGE_SIZE)) $((4 * PAGE_SIZE)) 1 1 0 page [ks_wrappers]"
expect_eq "alloc_pages(order 0)" "$(caller_row ks_wrap_alloc_pages)" "$PAGE_SIZE $PAGE_SIZE 1 1 0 page [ks_wrappers]"
# alloc_percpu of 64 bytes: 64 per possible CPU requested; the kernel's
# figure adds a memcg pointer per 4 bytes (pcpu_obj_full_size()).
expect_eq "alloc_percpu(64 bytes)" "$(caller_row ks_wrap_percpu)" \
	"$((64 * ncpu * pcpu_extra)) $((64 * ncpu)) 1 1 0 percpu [ks_wrappers]"
expect_eq "kmem_cache_alloc_bulk(4 x 256)" "$(caller_row ks_wrap_cache_bulk)" \
	"1024 1024 4 4 0 kmem_cache [ks_wrappers]"
expect_eq "kmalloc(64) + kfree_sensitive" "$(caller_row ks_wrap_kfree_sensitive)" "0 0 0 1 1 $W"
expect_eq "kvmalloc(100) + kvfree" "$(caller_row ks_wrap_kvfree)" "0 0 0 1 1 $W"
expect_eq "failed kmalloc and NULL frees: nothing recorded" "$(caller_row ks_wrap_failed)" ""

total=$(module_sum ks_wrappers)
expect_eq "modules: ks_wrappers total equals its callers" \
	"$(awk '$1 == "ks_wrappers" && $2 == "loaded" { print $3 }' $KS/modules)" "$total"
expect_eq "callers: no ks_wrappers memory charged to the kernel's wrappers" \
	"$(grep -cE '^[1-9][0-9]* .* (kvmalloc_node|__kvmalloc_node_noprof|kmemdup|devm_kmalloc|kstrdup|kasprintf|kvasprintf|__get_free_pages|get_free_pages_noprof|alloc_pages|alloc_pages_noprof|alloc_pages_mpol_noprof)\+' $KS/callers)" 0

echo release >/sys/kernel/debug/ks_wrappers/release
expect_eq "ks_wrappers live bytes after it frees" "$(module_sum ks_wrappers)" 0
run_checked "rmmod ks_wrappers" rmmod ks_wrappers
expect_eq "ks_wrappers live bytes after rmmod" "$(module_sum ks_wrappers)" 0
expect_eq "modules: ks_wrappers marked unloaded" \
	"$(awk '$1 == "ks_wrappers" { print $2 }' $KS/modules)" unloaded
run_checked "rmmod kmemscope" rmmod kmemscope
