#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh TARGET - build for TARGET and run its guest tests:
#   stock targets: the integration scripts (tests/guest/*.sh listed below),
#                  then those that modprobe Debian's own modules;
#   kunit, debug:  the KUnit suites, then the integration scripts too (their
#                  self-built kernels have no Debian module tree).
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

# Integration scripts run on every target, in this order.
INTEGRATION="fixture.sh wrappers.sh control.sh lifecycle.sh leaks.sh kmemleak.sh snapshot.sh"
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
"$HERE/run-guest.sh" --name test ${opts[@]+"${opts[@]}"} "$t" $scripts
