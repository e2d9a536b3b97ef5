#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh TARGET - build for TARGET and run its guest tests:
#   stock targets: the integration scripts (tests/guest/*.sh listed below),
#                  then those that modprobe Debian's own modules;
#   kunit, debug:  the KUnit suites, then the integration scripts too (their
#                  self-built kernels have no Debian module tree);
#   arm64:         then account.sh once more per dts-overlays/ overlay.
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

# Integration scripts run on every target, in this order.
INTEGRATION="fixture.sh wrappers.sh control.sh badinput.sh lifecycle.sh leaks.sh kmemleak.sh snapshot.sh account.sh"
# Scripts that need the target's Debian module tree (stock targets only),
# and the Debian modules they modprobe.
DEBIAN_MODS="realmods.sh"
KMODS="null_blk scsi_debug sd_mod"

t=${1:?usage: test.sh TARGET}
valid_target "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"

if ! "$HERE/build.sh" "$t" >/dev/null; then
	echo "not ok - $t: build"
	echo "RESULT passed=0 failed=1"
	exit 1
fi
# Of KMODS, those the target's kernel has (Debian's arm64 kernels do not
# build scsi_debug; realmods.sh skips what is not installed).
present_kmods() {
	local m out=
	# shellcheck source=/dev/null
	. "$CACHE/targets/$t/env"
	for m in $KMODS; do
		grep -Eq "/$m\.ko(\.xz)?:" "$MODDIR/modules.dep" && out="$out $m"
	done
	echo "${out# }"
}

opts=()
case $t in
kunit | debug) scripts="kunit.sh $INTEGRATION" ;;
*) scripts="$INTEGRATION $DEBIAN_MODS"; opts=(--kmods "$(present_kmods)") ;;
esac
# guest NAME ARGS...: one guest run; its TAP goes to stdout, its RESULT
# line is kept for the sum printed last.
res=$(mktemp)
trap 'rm -f "$res"' EXIT
guest() {
	local name=$1
	shift
	"$HERE/run-guest.sh" --name "$name" "$@" | tee -a "$res" | grep -v '^RESULT '
}
guest test ${opts[@]+"${opts[@]}"} "$t" $scripts

# arm64: account.sh again on boards with each overlay's carve-outs, at the
# RAM size the overlay is laid out for (its " * ram: SIZE" line).
. "$CACHE/targets/$t/env"
if [ "$ARCH" = arm64 ]; then
	for ov in "$ROOT"/dts-overlays/*.dtso; do
		name=$(basename "$ov" .dtso)
		mem=$(sed -n 's/^ \* ram: *\([0-9]*[MG]\).*/\1/p' "$ov")
		dtb="$ROOT/out/$t/$name.dtb"
		if [ -z "$mem" ] || ! "$HERE/dtb.sh" "$name" "$mem" 2 "$dtb"; then
			echo "not ok - $t: overlay $name (no ' * ram: SIZE' line, or it does not apply)"
			echo "RESULT passed=0 failed=1" >>"$res"
			continue
		fi
		guest "ov-$name" --mem "$mem" --dtb "$dtb" --append "ks.overlay=$name" "$t" account.sh
	done
fi
awk '/^RESULT / { split($2, p, "="); split($3, f, "="); P += p[2]; F += f[2] }
     END { printf "RESULT passed=%d failed=%d\n", P, F; exit F > 0 }' "$res"
