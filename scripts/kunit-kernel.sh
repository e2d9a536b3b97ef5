#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-kernel.sh - build (once) the x86_64 KUnit kernel from Debian's
# linux-source and print the environment the harness needs to use it.
#
# The build directory is $CACHE/kunit/<hash>, the hash covering
# kunit-tests/kunit.config and the source package's version, so a changed
# config or a new Debian source builds anew and an unchanged one is reused.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

SRC="$CACHE/src/linux-source-6.1"
[ -f "$CACHE/src/linux-source-6.1.stamp" ] || "$HERE/deps.sh" kunit
CFG="$ROOT/kunit-tests/kunit.config"
hash=$( (cat "$CFG" "$CACHE/src/linux-source-6.1.stamp") | sha256sum | cut -c1-16)
BUILD="$CACHE/kunit/$hash"
TDIR="$CACHE/targets/kunit"

if [ ! -f "$BUILD/.done" ]; then
	log "building the KUnit kernel in $BUILD (a few minutes, once)"
	mkdir -p "$BUILD"
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
		--kunitconfig="$CFG" --build_dir="$BUILD" --jobs="$(nproc)") \
		>"$BUILD/build.log" 2>&1 || {
		tail -n 40 "$BUILD/build.log" >&2
		die "KUnit kernel build failed; log: $BUILD/build.log"
	}
	# Out-of-tree modules need the build tree prepared for them.
	make -C "$SRC" O="$BUILD" ARCH=x86_64 modules_prepare >>"$BUILD/build.log" 2>&1
	touch "$BUILD/.done"
fi

mkdir -p "$TDIR"
krel=$(cat "$BUILD/include/config/kernel.release")
{
	echo "TARGET=kunit"
	echo "ARCH=x86_64"
	echo "KDIR=$BUILD"
	echo "KREL=$krel"
	echo "VMLINUZ=$BUILD/arch/x86/boot/bzImage"
	echo "MODDIR="
} >"$TDIR/env.tmp"
mv "$TDIR/env.tmp" "$TDIR/env"
