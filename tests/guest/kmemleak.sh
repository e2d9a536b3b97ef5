# SPDX-License-Identifier: GPL-2.0
# suite: integration 80
#
# kmemleak.sh - kmemscope against code nobody on the project wrote: the
# kernel's samples/kmemleak/kmemleak-test.c (module kmemleak_test), built
# from Debian's linux-source by scripts/build.sh.
#
# What the sample allocates at load, all from kmemleak_test_init() (64-bit
# kernels; "class" is the kmalloc cache the request lands in; lib.sh's
# kmalloc_calls and kmemleak_test_figures compute it):
#
#   call                          n      requested  class
#   kmalloc(32)                   2         32      32  (128 on arm64 5.10, 6.1)
#   kmalloc(1024)                 2       1024      1k
#   kmalloc(2048)                 2       2048      2k
#   kmalloc(4096)                 2       4096      4k
#   kzalloc(sizeof(test_node))   10        416      512  (long[25], list_head, long[25])
#   kmalloc(129)               ncpu        129      192 (256 on arm64 5.10, 6.1)
#   vmalloc(64)                   5         64      one page (PAGE_SIZE)
#
# The bytes counted for an object are its cache's whole slot: the class,
# or more where the kernel keeps metadata there (KASAN on the debug
# target; kmalloc_bytes in lib.sh).
#
# ncpu is the number of possible CPUs (one kmalloc(129) per possible CPU,
# kept in a per-CPU pointer).  kmem_cache_alloc(files_cachep) is compiled
# out when CONFIG_MODULES is set, as it is whenever this is a module.
#
# arm64 6.1 has ARCH_DMA_MINALIGN 128 = KMALLOC_MIN_SIZE: its smallest
# kmalloc cache is kmalloc-128, and with no kmalloc-192 a 129-byte request
# goes to kmalloc-256.  From 6.5 (DMA_BOUNCE_UNALIGNED_KMALLOC) arm64 has
# the small caches again, as x86_64 always had.
#
# The sample leaks on purpose (Documentation/dev-tools/kmemleak.rst, the
# section "Testing with kmemleak-test"): the kmalloc/vmalloc orphans are
# never referenced, and its exit only unlinks the list elements without
# freeing them; the per-CPU pointers go away with the module's per-CPU
# area.  So after rmmod everything it allocated stays live and nothing is
# freed.
. /tests/lib.sh

MOD=kmemleak_test

# The same, from the caches this kernel really has (/sys/kernel/slab).
kclass_sysfs() {
	for d in /sys/kernel/slab/kmalloc-[0-9]*; do
		[ -f "$d/object_size" ] && cat "$d/object_size"
	done | sort -n | awk -v r="$1" '$1 >= r { print; exit }'
}

# kmalloc rows of $MOD whose allocations are all of $1 bytes (live_req /
# live_count), summed: "live_bytes live_req live_count allocs frees".
size_group() {
	sz=$1 a=${2:-kmalloc} callers_awk '
		mod == ENVIRON["m"] && $col["allocator"] == ENVIRON["a"] {
			c = $col["live_count"]
			k = (c > 0 && $col["live_req"] % c == 0) ? $col["live_req"] / c : "?"
			if (k "" != ENVIRON["sz"]) next
			b += $col["live_bytes"]; r += $col["live_req"]; n += c
			al += $col["allocs"]; fr += $col["frees"]
		}
		END { print b + 0, r + 0, n + 0, al + 0, fr + 0 }'
}

# The distinct per-allocation sizes of $MOD's rows of allocator $1, sorted.
group_sizes() {
	a=$1 callers_awk '
		mod == ENVIRON["m"] && $col["allocator"] == ENVIRON["a"] {
			c = $col["live_count"]
			print (c > 0 && $col["live_req"] % c == 0) ? $col["live_req"] / c : "?"
		}' | sort -n | uniq | tr '\n' ' ' | sed 's/ $//'
}

# Distinct values of column $1 (or "fn") over $MOD's rows, sorted.
distinct() {
	k=$1 callers_awk '
		mod == ENVIRON["m"] { print (ENVIRON["k"] == "fn") ? fn : $col[ENVIRON["k"]] }' |
		sort | uniq | tr '\n' ' ' | sed 's/ $//'
}

export m=$MOD

# expect_kmalloc WHEN: every kmalloc size group of the sample, live and
# unfreed, and the module's kmalloc totals.
expect_kmalloc() {
	when=$1 tb=0 tr=0
	while read -r req n cls; do
		b=$(kmalloc_bytes "$cls")
		expect_eq "kmalloc($req) x $n $when" "$(size_group "$req")" \
			"$((n * b)) $((n * req)) $n $n 0"
		tb=$((tb + n * b)) tr=$((tr + n * req))
	done <<EOF
$(kmalloc_calls)
EOF
	expect_eq "kmalloc sizes charged to $MOD $when" "$(group_sizes kmalloc)" \
		"$(kmalloc_calls | awk '{ print $1 }' | sort -n | tr '\n' ' ' | sed 's/ $//')"
	expect_eq "$MOD live kmalloc bytes $when" "$(module_sum $MOD live_bytes kmalloc)" "$tb"
	expect_eq "$MOD live kmalloc requested bytes $when" "$(module_sum $MOD live_req kmalloc)" "$tr"
	expect_eq "$MOD kmalloc frees $when" "$(module_sum $MOD frees kmalloc)" 0
	KMALLOC_TOTAL=$tb
}

# The vmalloc(64) calls (lib.sh: has_vmalloc_hook): one page each,
# allocated for 64 bytes requested, from kmemleak_test_init.
expect_vmalloc() {
	when=$1
	expect_eq "vmalloc hook self-test" \
		"$(sed -n 's/^hook: vmalloc  *\([a-z]*\) .*/\1/p' $KS/summary)" ok
	expect_eq "vmalloc(64) x 5 $when" "$(size_group 64 vmalloc)" "$((5 * PAGE_SIZE)) 320 5 5 0"
	expect_eq "vmalloc sizes charged to $MOD $when" "$(group_sizes vmalloc)" 64
	expect_eq "$MOD live vmalloc bytes $when" "$(module_sum $MOD live_bytes vmalloc)" $((5 * PAGE_SIZE))
	expect_eq "functions of $MOD's vmalloc sites $when" \
		"$(a=vmalloc callers_awk 'mod == ENVIRON["m"] && $col["allocator"] == ENVIRON["a"] { print fn }' |
		   sort -u | tr '\n' ' ' | sed 's/ $//')" kmemleak_test_init
}

section kmemleak
echo "# possible CPUs: $(cat /sys/devices/system/cpu/possible) ($NCPU); smallest kmalloc class $KMIN"

# The classes assumed above must be the kernel's own.
if ls /sys/kernel/slab/kmalloc-[0-9]* >/dev/null 2>&1; then
	for r in 32 129 416 1024 2048 4096; do
		expect_eq "kmalloc($r) class is the kernel's" "$(kclass_sysfs $r)" "$(kclass $r)"
	done
fi

run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
if ! insmod /ko/kmemleak-test.ko; then
	not_ok "insmod kmemleak-test" \
		"is /ko/kmemleak-test.ko built? (tests/samples/ in the top-level Kbuild)"
	run_checked "rmmod kmemscope" rmmod kmemscope
	stop_script
fi
ok "insmod kmemleak-test"

expect_kmalloc "after load"
expect_eq "$MOD's sites are all in" "$(distinct fn)" kmemleak_test_init
if has_vmalloc_hook; then
	expect_vmalloc "after load"
	allocators="kmalloc vmalloc" vbytes=$((5 * PAGE_SIZE))
else
	echo "# no vmalloc hook in the summary: vmalloc(64) assertions skipped"
	allocators=kmalloc vbytes=0
fi
expect_eq "allocators charged to $MOD after load" "$(distinct allocator)" "$allocators"

run_checked "rmmod $MOD" rmmod $MOD
# It leaks everything it allocated: all stays live, nothing is freed,
# nothing new (its exit allocates nothing) and nothing else is charged.
expect_kmalloc "after rmmod"
expect_eq "$MOD's sites after rmmod are all in" "$(distinct fn)" kmemleak_test_init
has_vmalloc_hook && expect_vmalloc "after rmmod"
expect_eq "allocators charged to $MOD after rmmod" "$(distinct allocator)" "$allocators"
expect_eq "$MOD live bytes after rmmod (module_sum)" "$(module_sum $MOD)" \
	"$((KMALLOC_TOTAL + vbytes))"

for f in dropped_pool_full dropped_site_table_full dropped_recursion; do
	expect_eq "summary $f" "$(summary_field $f)" 0
done
run_checked "rmmod kmemscope" rmmod kmemscope
