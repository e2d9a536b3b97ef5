#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dtb.sh OVERLAY MEM SMP OUT - the device tree of QEMU's arm64 virt board
# with MEM of RAM and SMP CPUs, with dts-overlays/OVERLAY.dtso applied,
# written to OUT.  The base tree is dumped from QEMU itself, so it matches
# the machine the harness boots.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

ov=${1:?usage: dtb.sh OVERLAY MEM SMP OUT}
mem=${2:?}
smp=${3:?}
out=${4:?}
src="$ROOT/dts-overlays/$ov.dtso"
[ -f "$src" ] || die "no overlay $src"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
qemu-system-aarch64 -M "virt,dumpdtb=$tmp/virt.dtb" -cpu cortex-a57 \
	-m "$mem" -smp "$smp" -nographic -nic none >/dev/null 2>&1 ||
	die "qemu could not dump the virt device tree"
dtc -q -@ -I dts -O dtb -o "$tmp/ov.dtbo" "$src" || die "dtc failed on $src"
fdtoverlay -i "$tmp/virt.dtb" -o "$out" "$tmp/ov.dtbo" ||
	die "fdtoverlay could not apply $src"
