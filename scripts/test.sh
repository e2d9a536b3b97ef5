#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh TARGET - build for TARGET and run its guest tests:
#   stock targets: the integration scripts (tests/guest/*.sh listed below);
#   kunit:         the KUnit suites, then the integration scripts too.
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

# Integration scripts run on every target, in this order.
INTEGRATION="fixture.sh"

t=${1:?usage: test.sh TARGET}
valid_target "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"

if ! "$HERE/build.sh" "$t" >/dev/null; then
	echo "not ok - $t: build"
	echo "RESULT passed=0 failed=1"
	exit 1
fi
case $t in
kunit) scripts="kunit.sh $INTEGRATION" ;;
*) scripts=$INTEGRATION ;;
esac
"$HERE/run-guest.sh" --name test "$t" $scripts
