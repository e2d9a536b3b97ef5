#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# dkms-test.sh TARGET - install kmemscope with DKMS as a Debian user does
# (README.md, "With DKMS"), for TARGET's kernel, then boot TARGET with the
# module DKMS built (tests/guest/dkms.sh):
#
#   dkms add <a copy of the sources>
#   dkms build   -m kmemscope -v VERSION -k KREL
#   dkms install -m kmemscope -v VERSION -k KREL
#
# DKMS needs no running kernel of that version, only its headers: it runs
# on the host for Debian 12's kernels, in the target's chroot for the
# others (their headers need that release's tools).  Its trees (dkms.conf's
# /var/lib/dkms, /usr/src and /lib/modules) are a scratch directory, set
# through a framework.conf bound over the real one in a mount namespace of
# this script's own: nothing on the machine changes, and two targets can
# be tested at once.  Arm64 targets cross-build: ARCH and
# CROSS_COMPILE reach DKMS's make through the environment.
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:?usage: dkms-test.sh TARGET}
valid_target "$t" || die "unknown target '$t'"
case $t in kunit | debug) die "$t has no Debian headers package: no DKMS test" ;; esac
. "$CACHE/targets/$t/env"

passed=0 failed=0
ok() { echo "ok - $t: dkms: $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $t: dkms: $1"; failed=$((failed + 1)); }
finish() { echo "RESULT passed=$passed failed=$failed"; [ "$failed" = 0 ]; exit; }

ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$ROOT/dkms.conf")
kver=$(sed -n 's/^#define KS_VERSION[[:space:]]*"\(.*\)"$/\1/p' "$ROOT/module/versions.h")
if [ -n "$ver" ] && [ "$ver" = "$kver" ]; then
	ok "dkms.conf's PACKAGE_VERSION is the module's version ($ver)"
else
	not_ok "dkms.conf's PACKAGE_VERSION '$ver' is not the module's version '$kver'"
fi

# The scratch directory, as the build sees it ($S) and from the host ($H).
rootfs=
[ -z "${CHROOT:-}" ] || rootfs="$CACHE/chroot/$CHROOT"
S="/tmp/kmemscope-dkms-$(echo "$ROOT" | sha256sum | cut -c1-8)-$t"
H="$rootfs$S"
rm -rf "$H"
mkdir -p "$H/conf" "$H/var" "$H/src" "$H/lib/$KREL" "$H/tmp"
# What `dkms add .` copies from a checkout: the sources DKMS builds.
mkdir -p "$H/src/kmemscope-$ver"
cp -r "$ROOT/dkms.conf" "$ROOT/Kbuild" "$ROOT/module" "$H/src/kmemscope-$ver/"
# The release's own framework.conf with the scratch trees after it: DKMS
# 2.8 (Debian 11) reads only that file, 3.x reads framework.conf.d/ too
# (empty on Debian).
{
	cat "$rootfs/etc/dkms/framework.conf" 2>/dev/null
	echo "dkms_tree=\"$S/var\""
	echo "source_tree=\"$S/src\""
	echo "install_tree=\"$S/lib\""
	echo "tmp_location=\"$S/tmp\""
} >"$H/conf/framework.conf"

env=(PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C)
if [ "$ARCH" = arm64 ]; then
	env+=(ARCH=arm64 CROSS_COMPILE=aarch64-linux-gnu-
	      DEB_BUILD_ARCH=amd64 DEB_HOST_ARCH=arm64 DEB_HOST_GNU_TYPE=aarch64-linux-gnu)
fi
# run_dkms ARGS...: dkms ARGS, with the scratch trees, on the host or in
# the chroot.
run_dkms() {
	unshare --mount bash -c '
		rootfs=$1 conf=$2; shift 2
		mount --bind "$conf" "$rootfs/etc/dkms/framework.conf" || exit 1
		if [ -n "$rootfs" ]; then
			mount -t proc proc "$rootfs/proc" || exit 1
			exec chroot "$rootfs" /usr/bin/env -i "$@"
		fi
		exec /usr/bin/env -i "$@"' dkms-test "$rootfs" "$H/conf/framework.conf" "${env[@]}" dkms "$@"
}

log=$ROOT/out/logs/$t-dkms.log
mkdir -p "$ROOT/out/logs"
: >"$log"
step() {	# NAME DKMS-ARGS...
	log_step "$log" "$1" run_dkms "${@:2}" && return
	tail -n 20 "$H/var/kmemscope/$ver/build/make.log" 2>/dev/null | sed 's/^/#   /'
	finish
}
# The headers are named with --kernelsourcedir.  DKMS 2.8 (Debian 11)
# then "prepares" that tree (make mrproper, oldconfig, prepare: it wipes
# the headers' generated config) unless told not to; 3.x does not.
kopts=(--kernelsourcedir "$KDIR")
case $(run_dkms --version 2>/dev/null) in
*dkms[-:]2.*) kopts+=(--no-prepare-kernel --no-clean-kernel) ;;
esac
step "dkms add" add "$S/src/kmemscope-$ver"
step "dkms build -k $KREL" build -m kmemscope -v "$ver" -k "$KREL" "${kopts[@]}"
step "dkms install -k $KREL" install -m kmemscope -v "$ver" -k "$KREL" "${kopts[@]}" --no-depmod
ko=$(ls "$H/lib/$KREL/updates/dkms/kmemscope.ko"* 2>/dev/null | head -n1)
if [ -z "$ko" ]; then
	not_ok "dkms install put no kmemscope.ko in /lib/modules/$KREL/updates/dkms"
	finish
fi
ok "installed as /lib/modules/$KREL/updates/dkms/$(basename "$ko")"
keep="$ROOT/out/$t/dkms-$(basename "$ko")"
cp "$ko" "$keep"
rm -rf "$H"

# Boot with it.
add_results "$HERE/boot-ko.sh" "$t" dkms "$keep"
rm -f "$keep"
finish
