# SPDX-License-Identifier: GPL-2.0
#
# demo.sh - what `make demo` shows: the board and its carve-outs, then
# kmemscope watching drivers (ks_fixture, ks_wrappers, and ks_dma and
# ks_dmadev with DMA buffers from CMA and a device pool) allocate and the
# tasks the kernel allocated for, the account of all of the board's RAM,
# the user processes' memory (kmemscope-snap procs), a snapshot with a few
# samples of watch in it (printed as a base64 tar.gz between the lines
# kmemscope-snap-tar-begin and kmemscope-snap-tar-end: scripts/demo.sh
# makes its page, out/demo-report.html), and the drivers freeing and
# unloading.
. /tests/lib.sh

kb() { awk -v k="$1:" '$1 == k { print $2 " kB" }' /proc/meminfo; }

# reg of a reserved-memory node: "base size" (two cells each, big-endian).
dt_reg() {
	od -An -tx1 -v "$1/reg" | tr -d ' \n' |
		sed 's/^\(.\{16\}\)\(.\{16\}\).*/0x\1 0x\2/'
}

# Show callers rows with aligned columns: live, requested, count, allocs,
# frees, allocator, module/state, call site.
show_callers() {
	callers_awk '
		BEGIN { printf "%10s %10s %6s %7s %7s  %-10s %-22s %s\n", "live", "requested", "count", "allocs", "frees", "allocator", "module", "call site" }
		{ printf "%10s %10s %6s %7s %7s  %-10s %-22s %s\n", $col["live_bytes"], $col["live_req"], $col["live_count"], $col["allocs"], $col["frees"], $col["allocator"], $col["module"] "(" $col["state"] ")", site }' "$1"
}

show_modules() {
	awk 'NR == 1 { next } /^# / { sub(/^# /, ""); }
	     { printf "%-16s %-9s %12s %10s %10s %10s %10s %10s %10s\n", $1, $2, $3, $4, $5, $6, $7, $8, $9 }' $KS/modules | head -n "$1"
}

echo "=== The board: QEMU $(uname -m) ($([ -d /proc/device-tree ] && echo virt, device tree || echo pc, ACPI)), $(nproc) CPUs, Linux $(uname -r)"
echo "MemTotal $(kb MemTotal), MemFree $(kb MemFree), CmaTotal $(kb CmaTotal)"
echo
echo "=== insmod kmemscope.ko"
insmod /ko/kmemscope.ko
dmesg | grep 'kmemscope:' | sed 's/^\[[^]]*\] /  /'
echo
echo "--- /sys/kernel/debug/kmemscope/reserved: the board's carve-outs (dts-overlays/demo-board.dtso)"
grep -E '^(# )?(dt|total):' $KS/reserved
echo
echo "=== insmod ks_fixture.ko ks_wrappers.ko: test drivers with known allocations"
echo "    (ks_wrappers allocates through devm_*, kstrdup, kvmalloc, krealloc, vzalloc, __get_free_pages, percpu, ...)"
insmod /ko/ks_fixture.ko
insmod /ko/ks_wrappers.ko
echo
echo "=== insmod ks_dmadev.ko ks_dma.ko: drivers with DMA buffers"
echo "    (ks_dmadev takes 64 KiB from its device's own pool, the board's isp-pool;"
echo "     ks_dma takes 4 MiB and 64 KiB coherent buffers, from the default CMA area)"
echo "CmaFree before: $(kb CmaFree)"
insmod /ko/ks_dmadev.ko
insmod /ko/ks_dma.ko
echo "coherent 4194304" >/sys/kernel/debug/ks_dma/run
echo "coherent 65536" >/sys/kernel/debug/ks_dma/run
echo "CmaFree after:  $(kb CmaFree)"
grep '^dma_from_' $KS/summary
echo "--- /sys/kernel/debug/kmemscope/dma: who holds each CMA area and device pool"
sed -n '/^# area:/,$p' $KS/dma
echo "--- /sys/kernel/debug/kmemscope/modules: who holds what (bytes)"
show_modules 8
echo
cat $KS/callers >/tmp/callers
echo "--- /sys/kernel/debug/kmemscope/callers: the test drivers' call sites"
{ head -n 2 /tmp/callers; grep -E ' \[(ks_fixture|ks_wrappers|ks_dma|ks_dmadev)\]$' /tmp/callers; } >/tmp/drv
show_callers /tmp/drv
echo
echo "--- /sys/kernel/debug/kmemscope/callers: the top 10 of all"
head -n 12 /tmp/callers >/tmp/top
show_callers /tmp/top
echo
echo "--- /sys/kernel/debug/kmemscope/tasks: the tasks the kernel allocated for (the top 8)"
head -n 11 $KS/tasks
echo
echo "--- /sys/kernel/debug/kmemscope/summary"
cat $KS/summary

echo
echo "=== ks_fixture takes 256 pages straight from alloc_page()"
echo 256 >/sys/kernel/debug/ks_fixture/pages
echo "--- /sys/kernel/debug/kmemscope/account: where all of the RAM went"
cat $KS/account
echo 0 >/sys/kernel/debug/ks_fixture/pages

echo
echo "=== kmemscope-snap procs: the user processes' memory, checked against /proc/meminfo"
kmemscope-snap procs

echo
echo "=== kmemscope-snap snapshot /tmp/snap, with 5 samples of kmemscope-snap watch (1 s apart) in it"
rm -rf /tmp/snap
kmemscope-snap watch -i 1 -n 5 /tmp/snap
if kmemscope-snap snapshot /tmp/snap; then
	ok "kmemscope-snap snapshot /tmp/snap"
else
	not_ok "kmemscope-snap snapshot /tmp/snap"
fi
(cd /tmp/snap && ls -l)
# The snapshot for the host: tar, gzip, base64 (busybox has all three).
echo "kmemscope-snap-tar-begin"
tar -C /tmp/snap -cf - . | gzip -c | base64
echo "kmemscope-snap-tar-end"

echo
echo "=== ks_fixture frees its kmalloc group, the drivers are unloaded"
echo kmalloc >/sys/kernel/debug/ks_fixture/release
rmmod ks_fixture
rmmod ks_wrappers
rmmod ks_dma
rmmod ks_dmadev
cat $KS/callers >/tmp/callers
{ head -n 2 /tmp/callers; grep -E ' \[ks_fixture\]$' /tmp/callers; } >/tmp/drv
show_callers /tmp/drv
for m in ks_fixture ks_wrappers ks_dma ks_dmadev; do
	left=$(module_sum $m)
	echo "$m holds $left bytes after rmmod"
	expect_eq "$m holds nothing after rmmod" "$left" 0
done
rmmod kmemscope
