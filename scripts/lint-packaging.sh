#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# lint-packaging.sh - Buildroot's own linter, check-package, on the
# BR2_EXTERNAL tree in packaging/buildroot/, and the Yocto layer's recipe
# for the fields module.bbclass and the layer need.  check-package comes
# from a Buildroot tree: $KMEMSCOPE_BUILDROOT, or a copy of its utils/
# beside the checkout (../shared/vendor/buildroot).
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

passed=0 failed=0
ok() { echo "ok - packaging: $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - packaging: $1"; failed=$((failed + 1)); }

br=
for d in "${KMEMSCOPE_BUILDROOT:-}" "$ROOT/../shared/vendor/buildroot" /work/shared/vendor/buildroot; do
	[ -n "$d" ] && [ -x "$d/utils/check-package" ] && { br=$d; break; }
done
if [ -z "$br" ]; then
	not_ok "no Buildroot utils/check-package (set KMEMSCOPE_BUILDROOT to a Buildroot tree)"
else
	for p in python3-magic python3-flake8; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || "$HERE/deps.sh" --host-only >/dev/null
	done
	out=$(cd "$ROOT/packaging/buildroot" && /usr/bin/python3 "$br/utils/check-package" \
		--br2-external external.desc external.mk Config.in package/kmemscope/* 2>&1)
	if echo "$out" | grep -q '^0 warnings generated'; then
		ok "check-package --br2-external: $(echo "$out" | head -n1)"
	else
		not_ok "check-package --br2-external"
		echo "$out" | sed 's/^/#   /'
	fi
fi

# The versions in the packaging agree with the module's.
ver=$(sed -n 's/^#define KS_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$ROOT/module/versions.h")
brv=$(sed -n 's/^KMEMSCOPE_VERSION = //p' "$ROOT/packaging/buildroot/package/kmemscope/kmemscope.mk")
[ "$brv" = "$ver" ] && ok "buildroot: KMEMSCOPE_VERSION is the module's ($ver)" ||
	not_ok "buildroot: KMEMSCOPE_VERSION '$brv' is not the module's '$ver'"
bb="$ROOT/packaging/yocto/meta-kmemscope/recipes-kernel/kmemscope/kmemscope_$ver.bb"
[ -f "$bb" ] && ok "yocto: a recipe for $ver" || not_ok "yocto: no recipe kmemscope_$ver.bb"
# The license file's checksums, as Buildroot and bitbake check them.
h=$(sed -n 's/^sha256  \([0-9a-f]*\)  COPYING$/\1/p' "$ROOT/packaging/buildroot/package/kmemscope/kmemscope.hash")
[ "$h" = "$(sha256sum "$ROOT/COPYING" | cut -d' ' -f1)" ] && ok "buildroot: COPYING's sha256 in kmemscope.hash" ||
	not_ok "buildroot: kmemscope.hash does not match COPYING"
m=$(sed -n 's/^LIC_FILES_CHKSUM = "file:\/\/COPYING;md5=\([0-9a-f]*\)"$/\1/p' "$bb" 2>/dev/null)
[ "$m" = "$(md5sum "$ROOT/COPYING" | cut -d' ' -f1)" ] && ok "yocto: COPYING's md5 in LIC_FILES_CHKSUM" ||
	not_ok "yocto: LIC_FILES_CHKSUM does not match COPYING"
for v in "inherit module" "MODULES_MODULE_SYMVERS_LOCATION" 'FILES:${PN}-tools'; do
	grep -qF "$v" "$bb" 2>/dev/null && ok "yocto: recipe has $v" || not_ok "yocto: recipe lacks $v"
done
grep -q '^LAYERSERIES_COMPAT_kmemscope = ' "$ROOT/packaging/yocto/meta-kmemscope/conf/layer.conf" &&
	ok "yocto: layer.conf names the releases it works with" || not_ok "yocto: layer.conf lacks LAYERSERIES_COMPAT"
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
