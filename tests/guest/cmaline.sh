# SPDX-License-Identifier: GPL-2.0
# suite: cmaline
#
# cmaline.sh - the CMA areas when the boot line overrides the device tree
# (test.sh boots the board-256m overlay with cma=32M: a whole pageblock
# with 16 KiB pages too): the kernel skips the
# tree's default area (linux,cma: "bypass linux,cma node, using cmdline CMA
# params instead") and sets aside its own, named reserved.  The reserved
# file still lists linux,cma (not-set-up; 7.x: not-reserved), but it is no
# CMA area: the dma file and the account name the 32 MiB reserved area
# instead (the same size, so only its name tells it),
# with what a driver holds of it, and the device pool beside it.
. /tests/lib.sh

section cmaline
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko || stop_script
run_checked "insmod ks_dma" insmod /ko/ks_dma.ko || { rmmod kmemscope; stop_script; }
cma_kb=$(awk '$1 == "CmaTotal:" { print $2 }' /proc/meminfo)
expect_eq "CmaTotal is the boot line's 32 MiB (kB)" "$cma_kb" 32768
# Up to 6.12 the kernel keeps the region's entry, not set up; 7.x drops
# it (of_reserved_mem_lookup() finds none).
case $(uname -r) in
[56].*) gone=not-set-up ;;
*) gone=not-reserved ;;
esac
expect_eq "reserved: linux,cma still listed, $gone" \
	"$(awk '$1 == "dt:" && $2 == "linux,cma" { print $5, $6 }' $KS/reserved)" \
	"cma reusable,default,dynamic,$gone"
echo "coherent 65536" >/sys/kernel/debug/ks_dma/run
cat $KS/dma >/tmp/dma
expect_eq "dma: linux,cma is no area (the kernel did not set it up)" \
	"$(awk '$1 == "area:" && $2 == "linux,cma"' /tmp/dma | wc -l)" 0
expect_eq "dma: the boot line's area (kind, size, held, count)" \
	"$(awk '$1 == "area:" && $2 == "reserved" { print $3, $4, $6, $7 }' /tmp/dma)" \
	"cma $((32 << 20)) 65536 1"
expect_eq "dma: the device pool beside it (kind, size)" \
	"$(awk '$1 == "area:" && $2 == "vpu-pool@4f400000" { print $3, $4 }' /tmp/dma)" \
	"device_pool $((4 << 20))"
expect_eq "dma: ks_dma holds the boot line's area" \
	"$(awk '$1 == "holder:" && $2 == "reserved" { print $3, $5, $6 }' /tmp/dma)" "ks_dma 65536 1"
expect_eq "account: the boot line's area inside managed (pages, held, holders)" \
	"$(awk '$1 == "pool:" && $2 == "reserved" { print $3, $4, $5, $6, $8 }' $KS/account)" \
	"cma managed $(((32 << 20) / PAGE_SIZE)) $((65536 / PAGE_SIZE)) ks_dma:$((65536 / PAGE_SIZE))"
echo free >/sys/kernel/debug/ks_dma/run
run_checked "rmmod ks_dma" rmmod ks_dma
run_checked "rmmod kmemscope" rmmod kmemscope
