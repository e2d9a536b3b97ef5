#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# layers.sh [TARGET] - the module's files form layers, not circles.
#
# A unit is X.c with its header X.h.  Unit A depends on unit B when A's
# .c or .h includes B.h, or when A's object references a symbol B's
# object defines.  The check fails when the dependencies have a cycle
# (tsort finds it) and prints each unit's dependencies.  The objects are
# those scripts/build.sh TARGET built (default x86_64-6.1).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
MOD=$ROOT/module
t=${1:-x86_64-6.1}
obj=$ROOT/out/$t/src/module
if [ -f "$CACHE/targets/$t/env" ] && grep -q '^CHROOT=.' "$CACHE/targets/$t/env"; then
	chroot_name=$(sed -n 's/^CHROOT=//p' "$CACHE/targets/$t/env")
	obj="$CACHE/chroot/$chroot_name/tmp/kmemscope-$(echo "$ROOT" | sha256sum | cut -c1-8)-$t/module"
fi
if ! ls "$obj"/main.o >/dev/null 2>&1; then
	echo "not ok - layers: no objects of $t in $obj (scripts/build.sh $t first)"
	echo "RESULT passed=0 failed=1"
	exit 1
fi

unit() { basename "$1" | sed 's/\.[ch]$//;s/\.o$//'; }
edges=$(mktemp)
trap 'rm -f "$edges" "$edges".*' EXIT
# Includes.
for f in "$MOD"/*.c "$MOD"/*.h; do
	a=$(unit "$f")
	sed -n 's/^#include "\(.*\)\.h".*/\1/p' "$f" | while read -r b; do
		[ "$a" = "$b" ] || echo "$a $b"
	done
done >>"$edges"
# Symbols: who defines what, then who references it.
for o in "$obj"/*.o; do
	case $(basename "$o") in kmemscope.o | *.mod.o) continue ;; esac
	nm --defined-only -g "$o" | awk -v u="$(unit "$o")" 'NF == 3 { print $3, u }'
done | sort >"$edges.def"
for o in "$obj"/*.o; do
	case $(basename "$o") in kmemscope.o | *.mod.o) continue ;; esac
	nm -u "$o" | awk -v u="$(unit "$o")" '{ print $2, u }'
done | sort | join - "$edges.def" | awk '$2 != $3 { print $2, $3 }' >>"$edges"
sort -u "$edges" -o "$edges"
echo "# units and what each depends on (includes and symbols)"
awk '{ d[$1] = d[$1] " " $2 } END { for (u in d) print "#   " u ":" d[u] }' "$edges" | sort
if tsort "$edges" >/dev/null 2>"$edges.err"; then
	echo "ok - layers: module/ has no dependency cycle"
	echo "RESULT passed=1 failed=0"
else
	sed 's/^/# /' "$edges.err"
	echo "not ok - layers: module/ has dependency cycles"
	echo "RESULT passed=0 failed=1"
	exit 1
fi
