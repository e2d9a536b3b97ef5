#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# build.sh TARGET - build kmemscope and its test modules for a harness
# target, with W=1, in out/<target>/ (a copy of the sources, so targets do
# not clobber each other's objects).  Fails on any compiler warning.
# The .ko files land in out/<target>/ko/.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:?usage: build.sh TARGET}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
case $t in
kunit | debug | bench) "$HERE/kunit-kernel.sh" "$t" ;;
*) [ -f "$CACHE/targets/$t/env" ] || "$HERE/deps.sh" "$t" ;;
esac
. "$CACHE/targets/$t/env"

OUT="$ROOT/out/$t"
SRC="$OUT/src"
# Targets of other Debian releases build in that release's chroot: the
# sources go into it (the build sees them as $BSRC).
BSRC=$SRC
if [ -n "${CHROOT:-}" ]; then
	BSRC="/tmp/kmemscope-$(echo "$ROOT" | sha256sum | cut -c1-8)-$t"
	SRC="$CACHE/chroot/$CHROOT$BSRC"
	# A tree in the chroot stays after its build (layers.sh reads its
	# objects), one per clone and target, named by the clone's path,
	# which it keeps in .root: the trees of clones that are gone go
	# (lib.sh; test-prune.sh checks it).
	prune_build_trees "$CACHE/chroot/$CHROOT/tmp"
fi
# A fresh copy every time: an incremental build would compile nothing and
# so hide the warnings of objects built before.
rm -rf "$SRC"
mkdir -p "$SRC" "$OUT/ko"
[ -z "${CHROOT:-}" ] || echo "$ROOT" >"$SRC/.root"
for d in Kbuild module tests kunit-tests; do
	[ -e "$ROOT/$d" ] && cp -r "$ROOT/$d" "$SRC/"
done

# Sample modules from the kernel's own tree (tests/samples/): their sources
# come from Debian's unpacked linux-source, not from the repository.
LSRC="$CACHE/src/linux-source-6.1"
[ -f "$CACHE/src/linux-source-6.1.stamp" ] || "$HERE/deps.sh" kunit
copy_sample() {	# PATH-IN-KERNEL-TREE DIR-UNDER-tests/samples
	[ -f "$LSRC/$1" ] || die "$LSRC/$1 is missing (scripts/deps.sh kunit unpacks it)"
	mkdir -p "$SRC/tests/samples/$2"
	cp "$LSRC/$1" "$SRC/tests/samples/$2/"
}
copy_sample samples/kmemleak/kmemleak-test.c kmemleak

mk=(make -C "$KDIR" M="$BSRC" W=1 KS_TESTS=1 -j"$(nproc)")
if [ "$ARCH" = arm64 ]; then
	mk+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	     DEB_BUILD_ARCH=amd64 DEB_HOST_ARCH=arm64
	     DEB_HOST_GNU_TYPE=aarch64-linux-gnu)
fi
[ -z "${CHROOT:-}" ] || mk=(in_chroot "$CHROOT" "${mk[@]}")
log "building for $t ($KREL${CHROOT:+, in the $CHROOT chroot})"
if ! "${mk[@]}" modules >"$OUT/build.log" 2>&1; then
	cat "$OUT/build.log" >&2
	die "build for $t failed"
fi
if grep -E 'warning:' "$OUT/build.log" >&2; then
	die "build for $t has warnings (W=1); log: $OUT/build.log"
fi
rm -f "$OUT"/ko/*.ko
find "$SRC" -name '*.ko' -exec cp {} "$OUT/ko/" \;
# ks_nosym.ko stands for a module shipped without its symbols.
strip=strip
[ "$ARCH" = arm64 ] && strip=aarch64-linux-gnu-strip
[ ! -f "$OUT/ko/ks_nosym.ko" ] || "$strip" --strip-unneeded "$OUT/ko/ks_nosym.ko"
# Guest programs (tests/guest-bin/): static, for the target's architecture.
rm -rf "$OUT/bin"
mkdir -p "$OUT/bin"
cc=gcc
[ "$ARCH" = arm64 ] && cc=aarch64-linux-gnu-gcc
for c in "$ROOT"/tests/guest-bin/*.c; do
	"$cc" -static -O2 -Wall -Wextra -Werror -o "$OUT/bin/$(basename "$c" .c)" "$c" ||
		die "build of $c for $t failed"
done
ls "$OUT/ko" "$OUT/bin"
