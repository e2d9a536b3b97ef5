#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb-test.sh - kmemscope's Debian packages (`make deb`) as a Debian 12
# user installs them, in a Debian 12 chroot ($CACHE/chroot/bookworm) that
# has the headers of the x86_64-6.1 and x86_64-6.12 targets' kernels:
#   - lintian finds no error and no warning in either package;
#   - installing kmemscope-dkms makes DKMS build kmemscope for both
#     kernels (its postinst, as on a board after `apt install`);
#   - each target boots with the module DKMS built there, which self-tests
#     every hook as the harness's build does (boot-ko.sh, dkms.sh);
#   - kmemscope-tools' commands run from /usr/bin and have manual pages;
#   - `dpkg -r` takes the modules, the sources and the tools away again.
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)
TARGETS="x86_64-6.1 x86_64-6.12"

passed=0 failed=0
ok() { echo "ok - deb: $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - deb: $1"; failed=$((failed + 1)); }
finish() { echo "RESULT passed=$passed failed=$failed"; [ "$failed" = 0 ]; exit; }
LOG="$ROOT/out/logs/deb.log"
mkdir -p "$ROOT/out/logs"
: >"$LOG"
# run DESC CMD...: CMD, its output in the log; ok or not ok.
run() { log_step "$LOG" "$@"; }

run "make deb" "$HERE/deb.sh" || finish
ver=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
dkver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$ROOT/dkms.conf")
[ "$ver" = "$dkver" ] && ok "debian/changelog's version is dkms.conf's ($ver)" ||
	not_ok "debian/changelog's version '$ver' is not dkms.conf's '$dkver'"
run "lintian: no error or warning" lintian --fail-on error,warning "$ROOT"/out/deb/*.deb

"$HERE/deps.sh" --chroot bookworm >>"$LOG" 2>&1 || { not_ok "Debian 12 chroot"; finish; }
"$HERE/deps.sh" $TARGETS >>"$LOG" 2>&1 || { not_ok "targets $TARGETS"; finish; }
krels=()
for t in $TARGETS; do
	krels+=("$(. "$CACHE/targets/$t/env"; echo "$KREL")")
done
hdrs=()
for k in "${krels[@]}"; do hdrs+=("linux-headers-$k"); done
run "the chroot has headers of ${krels[*]}" in_chroot bookworm \
	apt-get install -y -qq --no-install-recommends "${hdrs[@]}" || finish
# A run that stopped half-way left the packages installed.
in_chroot bookworm dpkg --purge kmemscope-dkms kmemscope-tools >>"$LOG" 2>&1

R="$CACHE/chroot/bookworm"
D="/tmp/kmemscope-deb-$(echo "$ROOT" | sha256sum | cut -c1-8)"
rm -rf "$R$D"
mkdir -p "$R$D"
cp "$ROOT"/out/deb/*.deb "$R$D/"
run "apt-get install kmemscope-dkms kmemscope-tools" in_chroot bookworm \
	apt-get install -y -q --no-install-recommends "$D/kmemscope-dkms_${ver}_all.deb" \
	"$D/kmemscope-tools_${ver}_all.deb" || finish
i=0
for t in $TARGETS; do
	k=${krels[$i]}
	i=$((i + 1))
	ko=$(ls "$R/lib/modules/$k/updates/dkms/kmemscope.ko"* 2>/dev/null | head -n1)
	if [ -z "$ko" ]; then
		not_ok "DKMS built kmemscope for $k on installation"
		continue
	fi
	ok "DKMS built kmemscope for $k on installation ($(basename "$ko"))"
	add_results "$HERE/boot-ko.sh" "$t" deb "$ko"
done
run "kmemscope-snap help, from /usr/bin" in_chroot bookworm kmemscope-snap help
run "kmemscope-bar --help, from /usr/bin" in_chroot bookworm kmemscope-bar --help
for m in kmemscope-snap kmemscope-bar; do
	[ -f "$R/usr/share/man/man1/$m.1.gz" ] && ok "$m has a manual page" ||
		not_ok "$m has no manual page"
done

run "dpkg -r kmemscope-dkms kmemscope-tools" in_chroot bookworm dpkg -r kmemscope-dkms kmemscope-tools
left=$(ls "$R"/lib/modules/*/updates/dkms/kmemscope.ko* "$R/usr/src/kmemscope-$ver" \
	"$R/var/lib/dkms/kmemscope" "$R/usr/bin/kmemscope-snap" "$R/usr/bin/kmemscope-bar" 2>/dev/null)
[ -z "$left" ] && ok "nothing of kmemscope left after dpkg -r" ||
	not_ok "left after dpkg -r: $(echo $left)"
rm -rf "${R:?}$D"
finish
