# SPDX-License-Identifier: GPL-2.0
# suite: debian-modules
#
# realmods.sh - kmemscope against Debian's own modules (needs run-guest.sh
# --kmods "null_blk scsi_debug sd_mod"): load each, do I/O through the
# block device it creates, unload it, and check that what it allocated
# was all given back: live bytes 0, having allocated something.
#
# Debian's arm64 kernels do not build scsi_debug (CONFIG_SCSI_DEBUG is not
# set): there its part is skipped, with a comment in the TAP output.
#
# sd_mod is checked the same way after modprobe -r sd_mod.
#
# The other modules each modprobe pulled in (configfs, scsi_mod,
# scsi_common, t10_pi, crc modules...) must hold nothing after their
# unload either, but this is asserted only when kmemscope hooks
# kmem_cache_free_bulk: scsi_mod frees its VPD page buffers with
# kfree_rcu(), which the kernel batches into kfree_bulk() ->
# kmem_cache_free_bulk(), and without that hook they would stay charged to
# scsi_mod although they were freed.  Without it, what they still hold is
# printed as diagnostics.
. /tests/lib.sh

# wait_for PATH: up to 10 s for a device node to appear.
wait_for() {
	i=0
	while [ ! -e "$1" ] && [ $i -lt 100 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	[ -e "$1" ]
}

# The rows of module $1 that still hold memory, as diagnostics.
mod_held() {
	mm=$1 callers_awk 'mod == ENVIRON["mm"] && $col["live_bytes"] != 0 { print }' | head -n 20
}

# settle MODULE: wait up to 6 s for MODULE's live bytes to reach 0: frees
# deferred past the unload (RCU callbacks, kfree_rcu batches drained every
# 5 s) still count as given back.  Prints the live bytes.
settle() {
	i=0
	while live=$(module_sum "$1") && [ "$live" != 0 ] && [ $i -lt 30 ]; do
		sleep 0.2
		i=$((i + 1))
	done
	echo "$live"
}

# expect_balanced MODULE: after its unload, nothing live; it allocated.
expect_balanced() {
	live=$(settle "$1")
	if [ "$live" = 0 ]; then
		ok "$1 live bytes after unload = 0"
	else
		held=$(mod_held "$1") oldifs=$IFS
		IFS='
'
		# shellcheck disable=SC2086
		not_ok "$1 live bytes after unload" "got:  '$live'" "want: '0'" $held
		IFS=$oldifs
	fi
	expect_eq "$1 live allocations after unload" "$(module_sum "$1" live_count)" 0
	allocs=$(module_sum "$1" allocs)
	if [ "$allocs" -gt 0 ]; then
		ok "$1 allocated ($allocs allocations, $(module_sum "$1" frees) frees)"
	else
		not_ok "$1 allocated" "no allocation charged to [$1]"
	fi
	mm=$1 callers_awk 'mod == ENVIRON["mm"] { print "# " $0 }'
}

# The names of the loaded modules, one per line.
modules() { awk '{ print $1 }' /proc/modules | sort; }

# expect_deps_balanced BEFORE SKIP...: the modules loaded since BEFORE (a
# modules() list) other than SKIP hold nothing (they are unloaded by now).
expect_deps_balanced() {
	before=$1
	shift
	bulk=$(sed -n 's/^hook: kmem_cache_free_bulk  *\([a-z]*\) .*/\1/p' "$KS/summary")
	echo "$before" >/tmp/realmods.before
	for dm in $(echo "$DEPS_LOADED" | grep -vxFf /tmp/realmods.before); do
		case " $* " in *" $dm "*) continue ;; esac
		live=$(settle "$dm")
		if [ "$live" = 0 ]; then
			ok "dependency $dm live bytes after unload = 0"
		elif [ "$bulk" = ok ]; then
			not_ok "dependency $dm live bytes after unload" "got:  '$live'" "want: '0'"
			mm=$dm callers_awk 'mod == ENVIRON["mm"] && $col["live_bytes"] != 0 { print "#   " $0 }'
		else
			echo "# $dm still holds $live bytes after its unload; not asserted without a kmem_cache_free_bulk hook:"
			mm=$dm callers_awk 'mod == ENVIRON["mm"] && $col["live_bytes"] != 0 { print "#   " $0 }'
		fi
	done
}

# io DEV: buffered and direct writes and reads of 1 MiB.
io() {
	for args in "if=/dev/urandom of=$1 bs=4096 count=256 conv=fsync" \
		    "if=$1 of=/dev/null bs=4096 count=256" \
		    "if=/dev/zero of=$1 bs=4096 count=256 oflag=direct" \
		    "if=$1 of=/dev/null bs=4096 count=256 iflag=direct"; do
		# shellcheck disable=SC2086
		if out=$(dd $args 2>&1); then
			ok "dd $args"
		else
			not_ok "dd $args" "$out"
		fi
	done
}

section realmods
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko

# ---- null_blk ----------------------------------------------------------
before=$(modules)
if modprobe null_blk nr_devices=1; then ok "modprobe null_blk nr_devices=1"; else not_ok "modprobe null_blk nr_devices=1"; fi
DEPS_LOADED=$(modules)
if wait_for /dev/nullb0; then
	ok "/dev/nullb0 appeared"
	io /dev/nullb0
else
	not_ok "/dev/nullb0 appeared"
fi
if modprobe -r null_blk; then ok "modprobe -r null_blk"; else not_ok "modprobe -r null_blk"; fi
if grep -q '^null_blk ' /proc/modules; then not_ok "null_blk unloaded" "$(lsmod)"; fi
expect_balanced null_blk
expect_deps_balanced "$before" null_blk

# ---- scsi_debug, with sd_mod for its disk ------------------------------
# rmmod, not modprobe -r: busybox's modprobe -r also tries to remove the
# dependencies (scsi_mod, crc_t10dif), which sd_mod still uses, and so
# fails after having removed scsi_debug.  sd_mod and the rest of the stack
# go afterwards, with modprobe -r sd_mod.
if ! grep -q '/scsi_debug\.ko' "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null; then
	case $(uname -m) in
	aarch64) echo "# scsi_debug skipped: Debian's arm64 kernels do not build it" ;;
	*) not_ok "scsi_debug is installed" "run-guest.sh --kmods must include scsi_debug" ;;
	esac
else
	before=$(modules)
	if modprobe sd_mod; then ok "modprobe sd_mod"; else not_ok "modprobe sd_mod"; fi
	if modprobe scsi_debug; then ok "modprobe scsi_debug"; else not_ok "modprobe scsi_debug"; fi
	DEPS_LOADED=$(modules)
	if wait_for /dev/sda; then
		ok "/dev/sda appeared (model: $(sed 's/ *$//' /sys/block/sda/device/model 2>/dev/null))"
		io /dev/sda
	else
		not_ok "/dev/sda appeared" "$(ls /sys/class/scsi_disk /sys/block 2>&1)"
	fi
	run_checked "rmmod scsi_debug" rmmod scsi_debug
	if [ ! -e /dev/sda ]; then ok "/dev/sda gone"; else not_ok "/dev/sda gone"; fi
	expect_balanced scsi_debug

	if modprobe -r sd_mod; then ok "modprobe -r sd_mod"; else not_ok "modprobe -r sd_mod" "$(lsmod)"; fi
	expect_balanced sd_mod
	expect_deps_balanced "$before" scsi_debug sd_mod
fi

# zram: its compressed store is pages zsmalloc takes with __GFP_MOVABLE.
# They are kernel memory, and kmemscope charges them to zsmalloc (a module
# on 6.1, built in on 6.12): its page bytes equal zram's mem_used_total.
zs_pages() {
	callers_awk '$col["allocator"] == "page" && (fn == "alloc_zspage" || fn == "zs_malloc") { s += $col["live_bytes"] } END { print s + 0 }'
}
if ! grep -Eq '/zram\.ko(\.xz)?:' "/lib/modules/$(uname -r)/modules.dep" 2>/dev/null; then
	echo "# zram is not installed in this guest: its part is skipped"
elif modprobe zram num_devices=1 && echo 128M >/sys/block/zram0/disksize; then
	ok "modprobe zram, a 128 MiB device"
	# 24 MiB that do not compress: a record per page and per handle fit
	# the default pool (32768 records) with room for the rest.
	dd if=/dev/urandom of=/dev/zram0 bs=1M count=24 2>/dev/null
	sync
	used=$(awk '{ print $3 }' /sys/block/zram0/mm_stat)
	zs=$(zs_pages)
	diff=$((zs > used ? zs - used : used - zs))
	if [ "$used" -gt $((16 << 20)) ] && [ "$diff" -le $((4 * PAGE_SIZE)) ]; then
		ok "zsmalloc's page bytes ($zs) = zram's mem_used_total ($used), within 4 pages"
	else
		not_ok "zsmalloc's page bytes = zram's mem_used_total" "zsmalloc: $zs" "zram: $used"
	fi
	echo 1 >/sys/block/zram0/reset
	expect_eq "zsmalloc's page bytes after the zram reset" "$(zs_pages)" 0
	run_checked "rmmod zram" rmmod zram
	expect_eq "zram live bytes after rmmod" "$(module_sum zram)" 0
else
	not_ok "modprobe zram, a 128 MiB device"
fi

for f in dropped_pool_full dropped_site_table_full dropped_recursion; do
	expect_eq "summary $f" "$(summary_field $f)" 0
done
run_checked "rmmod kmemscope" rmmod kmemscope
