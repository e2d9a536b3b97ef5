# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what `make demo` shows: the board, then kmemscope watching a
# driver (ks_fixture) allocate, free and unload.
. /tests/lib.sh

kb() { awk -v k="$1:" '$1 == k { print $2 " kB" }' /proc/meminfo; }

# reg of a reserved-memory node: "base size" (two cells each, big-endian).
dt_reg() {
	od -An -tx1 -v "$1/reg" | tr -d ' \n' |
		sed 's/^\(.\{16\}\)\(.\{16\}\).*/0x\1 0x\2/'
}

# Show the callers table with aligned columns and readable sizes.
show_callers() {
	awk 'NR == 1 { print; next }
	     /^#/ { printf "%10s %10s %6s %7s %7s  %-10s %s\n", "live", "requested", "count", "allocs", "frees", "allocator", "call site"; next }
	     { printf "%10s %10s %6s %7s %7s  %-10s %s %s\n", $1, $2, $3, $4, $5, $6, $7, $8 }'
}

echo "=== The board: QEMU arm64 virt, $(nproc) CPUs, Linux $(uname -r)"
echo "MemTotal $(kb MemTotal), MemFree $(kb MemFree), CmaTotal $(kb CmaTotal)"
echo "reserved-memory regions from the device tree (dts-overlays/demo-board.dtso):"
for n in /proc/device-tree/reserved-memory/*/; do
	[ -f "$n/reg" ] || continue
	set -- $(dt_reg "$n")
	flags=
	[ -e "$n/no-map" ] && flags="$flags no-map"
	[ -e "$n/reusable" ] && flags="$flags reusable"
	printf "  %-28s base %s size %6d kB %s\n" "$(basename "$n")" "$1" \
		$(( $2 / 1024 )) "$flags"
done

echo
echo "=== insmod kmemscope.ko"
insmod /ko/kmemscope.ko
dmesg | grep 'kmemscope:' | sed 's/^\[[^]]*\] /  /'
echo
echo "=== insmod ks_fixture.ko: a driver that allocates known sizes from known functions"
insmod /ko/ks_fixture.ko
echo "--- /sys/kernel/debug/kmemscope/callers, ks_fixture's rows"
{ head -n 2 $KS/callers; grep '\[ks_fixture\]' $KS/callers; } | show_callers
echo
echo "--- /sys/kernel/debug/kmemscope/callers, the top 12 of all"
head -n 14 $KS/callers | show_callers
echo
echo "--- /sys/kernel/debug/kmemscope/summary"
cat $KS/summary

echo
echo "=== ks_fixture frees its kmalloc group, then is unloaded"
echo kmalloc >/sys/kernel/debug/ks_fixture/release
rmmod ks_fixture
{ head -n 2 $KS/callers; grep '\[ks_fixture\]' $KS/callers; } | show_callers
left=$(module_live ks_fixture)
echo "ks_fixture holds $left bytes after rmmod"
expect_eq "ks_fixture holds nothing after rmmod" "$left" 0
rmmod kmemscope
