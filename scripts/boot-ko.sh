#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# boot-ko.sh TARGET NAME KO - boot TARGET with a kmemscope.ko built
# elsewhere than by build.sh (by DKMS: dkms-test.sh, deb-test.sh; .ko,
# .ko.xz, .ko.zst or .ko.gz) and check it with tests/guest/dkms.sh: it
# loads and self-tests every hook as the harness's own build does.
# Output: the guest's TAP, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:?usage: boot-ko.sh TARGET NAME KO} name=${2:?} ko=${3:?}
valid_target "$t" || die "unknown target '$t'"
# The harness's own build, to compare with.
[ -f "$ROOT/out/$t/ko/kmemscope.ko" ] || "$HERE/build.sh" "$t" >/dev/null ||
	{ echo "not ok - $t: build"; echo "RESULT passed=0 failed=1"; exit 1; }
dst="$ROOT/out/$t/ko/kmemscope-dkms.ko"
case $ko in
*.xz) xz -dc "$ko" ;;
*.zst) zstd -qdc "$ko" ;;
*.gz) gzip -dc "$ko" ;;
*) cat "$ko" ;;
esac >"$dst" || { echo "not ok - $t: cannot unpack $ko"; echo "RESULT passed=0 failed=1"; exit 1; }
rc=0
"$HERE/run-guest.sh" --name "$name" "$t" dkms.sh || rc=$?
rm -f "$dst"
exit $rc
