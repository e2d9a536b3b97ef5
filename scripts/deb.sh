#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deb.sh - `make deb`: build the Debian packages kmemscope-dkms and
# kmemscope-tools (debian/) with dpkg-buildpackage, into out/deb/.  The
# build runs on a copy of the tree in out/deb/build/, so that nothing is
# written beside the checkout.  Installs debhelper and dh-dkms first.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

for p in dpkg-dev debhelper dh-dkms fakeroot; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || {
		"$HERE/deps.sh" --host-only
		break
	}
done
ver=$(dpkg-parsechangelog -l "$ROOT/debian/changelog" -S Version)
D="$ROOT/out/deb"
rm -rf "$D"
mkdir -p "$D/build/kmemscope-$ver"
cp -r "$ROOT"/{debian,dkms.conf,Kbuild,module,README.md,debugfs-docs} "$D/build/kmemscope-$ver/"
mkdir -p "$D/build/kmemscope-$ver/tools"
cp "$ROOT"/tools/kmemscope-snap "$ROOT"/tools/kmemscope-bar "$D/build/kmemscope-$ver/tools/"
(cd "$D/build/kmemscope-$ver" && dpkg-buildpackage -b -us -uc) >"$D/build.log" 2>&1 || {
	tail -n 30 "$D/build.log" >&2
	die "dpkg-buildpackage failed; log: $D/build.log"
}
mv "$D"/build/*.deb "$D"/build/*.changes "$D"/build/*.buildinfo "$D/" 2>/dev/null || true
rm -rf "$D/build"
ls "$D"/*.deb
