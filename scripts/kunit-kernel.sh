#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# kunit-kernel.sh [kunit|debug|bench] - build (once) one of the x86_64
# kernels built here from Debian's linux-source, and write the environment
# the harness needs to use it ($CACHE/targets/<target>/env):
#
#   kunit   6.1, KUnit on (kunit-tests/kunit.config)
#   debug   the same plus lockdep, KASAN, debug objects, ...
#           (kunit-tests/kunit.config + kunit-tests/debug.config)
#   bench   6.12, lean, with memory allocation profiling and kmemleak
#           compiled in (tests/bench/bench.config), for make bench
#
# The build directory is $CACHE/<target>/<hash>, the hash covering the
# config fragments and the source package's version, so a changed config
# or a new Debian source builds anew and an unchanged one is reused.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:-kunit}
v=6.1
case $t in
kunit) cfgs=("$ROOT/kunit-tests/kunit.config") ;;
debug) cfgs=("$ROOT/kunit-tests/kunit.config" "$ROOT/kunit-tests/debug.config") ;;
bench) cfgs=("$ROOT/tests/bench/bench.config"); v=6.12 ;;
*) die "no self-built kernel for target '$t'" ;;
esac

SRC="$CACHE/src/linux-source-$v"
[ -f "$CACHE/src/linux-source-$v.stamp" ] || "$HERE/deps.sh" "$t"
hash=$( (cat "${cfgs[@]}" "$CACHE/src/linux-source-$v.stamp") | sha256sum | cut -c1-16)
BUILD="$CACHE/$t/$hash"
TDIR="$CACHE/targets/$t"

if [ ! -f "$BUILD/.done" ]; then
	log "building the $t kernel in $BUILD (minutes, once)"
	mkdir -p "$BUILD"
	kargs=()
	for c in "${cfgs[@]}"; do kargs+=(--kunitconfig="$c"); done
	(cd "$SRC" && python3 tools/testing/kunit/kunit.py build --arch=x86_64 \
		"${kargs[@]}" --build_dir="$BUILD" --jobs="$(nproc)") \
		>"$BUILD/build.log" 2>&1 || {
		tail -n 40 "$BUILD/build.log" >&2
		die "$t kernel build failed; log: $BUILD/build.log"
	}
	# Out-of-tree modules need the build tree prepared for them.
	make -C "$SRC" O="$BUILD" ARCH=x86_64 modules_prepare >>"$BUILD/build.log" 2>&1
	touch "$BUILD/.done"
fi

mkdir -p "$TDIR"
krel=$(cat "$BUILD/include/config/kernel.release")
{
	echo "TARGET=$t"
	echo "ARCH=x86_64"
	echo "KDIR=$BUILD"
	echo "KREL=$krel"
	echo "VMLINUZ=$BUILD/arch/x86/boot/bzImage"
	echo "MODDIR="
} >"$TDIR/env.tmp"
mv "$TDIR/env.tmp" "$TDIR/env"
