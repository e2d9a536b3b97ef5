#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# pkg-contract-test.sh TARGET - the make command lines that Buildroot's
# kernel-module infrastructure and Yocto's module.bbclass run for
# kmemscope's packages (packaging/buildroot, packaging/yocto), against
# TARGET's kernel headers, each on a copy of the tree as those build
# systems make one; then what they installed:
#
#   Buildroot (package/pkg-kernel-module.mk, with linux.mk's
#   LINUX_MAKE_FLAGS; KMEMSCOPE_MODULE_SUBDIRS = module; make is
#   $(MAKE), with -j; Yocto's oe_runmake too):
#     make -C $(LINUX_DIR) $(LINUX_MAKE_FLAGS) PWD=$(@D)/module M=$(@D)/module modules
#     make -C $(LINUX_DIR) $(LINUX_MAKE_FLAGS) PWD=$(@D)/module M=$(@D)/module modules_install
#   Yocto (module.bbclass do_compile and do_install, with module-base's
#   exported ARCH, CROSS_COMPILE, KBUILD_OUTPUT, KERNEL_VERSION):
#     make KERNEL_SRC=... KERNEL_PATH=... KERNEL_VERSION=... CC= LD= AR= OBJCOPY= STRIP= O=... KBUILD_EXTRA_SYMBOLS=
#     make DEPMOD=echo MODLIB=$D/lib/modules/KVER INSTALL_FW_PATH=... CC= LD= OBJCOPY= STRIP= O=... modules_install
#     and Module.symvers where MODULES_MODULE_SYMVERS_LOCATION ("") says.
#
# A .ko is checked for its name and its vermagic (the target's release).
# Output: TAP lines, then "RESULT passed=N failed=N".
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

t=${1:?usage: pkg-contract-test.sh TARGET}
valid_target "$t" || die "unknown target '$t'"
[ -f "$CACHE/targets/$t/env" ] || "$HERE/deps.sh" "$t" >/dev/null
. "$CACHE/targets/$t/env"

passed=0 failed=0
ok() { echo "ok - $t: $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $t: $1"; failed=$((failed + 1)); }

rootfs=
[ -z "${CHROOT:-}" ] || rootfs="$CACHE/chroot/$CHROOT"
S="/tmp/kmemscope-pkg-$(echo "$ROOT" | sha256sum | cut -c1-8)-$t"
H="$rootfs$S"
LOG="$ROOT/out/logs/$t-pkg.log"
mkdir -p "$ROOT/out/logs"
: >"$LOG"

# The kernel's source and build trees: one directory for Debian's
# headers; kunit and debug are built with O= from Debian's source.
KSRC=$KDIR
case $t in kunit | debug) KSRC="$CACHE/src/linux-source-6.1" ;; esac
cross=
[ "$ARCH" = arm64 ] && cross=aarch64-linux-gnu-
# The compiler the kernel was built with (its CONFIG_CC_VERSION_TEXT).
cc=$(sed -n 's/^CONFIG_CC_VERSION_TEXT="\{0,1\}\([^ ]*\) .*/\1/p' "$rootfs$KDIR/include/config/auto.conf")
cc=${cc#"$cross"}
[ -n "$cc" ] || die "no CONFIG_CC_VERSION_TEXT in $KDIR/include/config/auto.conf"
debenv=()
[ "$ARCH" = arm64 ] && debenv=(DEB_BUILD_ARCH=amd64 DEB_HOST_ARCH=arm64 DEB_HOST_GNU_TYPE=aarch64-linux-gnu)

# inroot CMD...: CMD on the host or in the target's chroot.
inroot() {
	if [ -n "$rootfs" ]; then
		in_chroot "$CHROOT" "$@"
	else
		env "$@"
	fi
}

# copy_tree DIR: the tree as a build system's source copy (no out/, no .git).
copy_tree() {
	rm -rf "$H/$1"
	mkdir -p "$H/$1"
	(cd "$ROOT" && cp -r Kbuild Makefile COPYING module scripts tools "$H/$1/")
}

# check_ko DIR DESC: one kmemscope.ko under DIR, for $KREL.
check_ko() {
	local ko vm name
	ko=$(find "$H/$1" -name 'kmemscope.ko*' | head -n1)
	if [ -z "$ko" ]; then
		not_ok "$2: no kmemscope.ko installed"
		return
	fi
	name=$(modinfo -F name "$ko" 2>/dev/null)
	vm=$(modinfo -F vermagic "$ko" 2>/dev/null | cut -d' ' -f1)
	if [ "$name" = kmemscope ] && [ "$vm" = "$KREL" ]; then
		ok "$2: ${ko#"$H/"} (vermagic $vm)"
	else
		not_ok "$2: ${ko#"$H/"} has name '$name', vermagic '$vm' (want kmemscope, $KREL)"
	fi
}

# step DESC CMD...: CMD in the target's root, its output in the log.
# The builds run in parallel, as both build systems run them: Buildroot's
# $(MAKE) carries -j$(PARALLEL_JOBS), Yocto's oe_runmake ${PARALLEL_MAKE}.
JOBS=$(nproc)
step() { log_step "$LOG" "$1" inroot "${@:2}"; }

# ---- Buildroot ----
copy_tree br/build/kmemscope-0.2
B="$S/br/build/kmemscope-0.2"
brflags=(HOSTCC=gcc ARCH="$ARCH" INSTALL_MOD_PATH="$S/br/target" CROSS_COMPILE="$cross"
	 WERROR=0 REGENERATE_PARSERS=1 DEPMOD=/sbin/depmod)
step "buildroot: modules" make -j"$JOBS" -C "$KDIR" "${debenv[@]}" "${brflags[@]}" \
	PWD="$B/module" M="$B/module" modules &&
step "buildroot: modules_install" make -C "$KDIR" "${debenv[@]}" "${brflags[@]}" \
	PWD="$B/module" M="$B/module" modules_install &&
check_ko "br/target/lib/modules/$KREL" "buildroot: installed"

# ---- Yocto ----
copy_tree yocto/kmemscope
Y="$S/yocto/kmemscope"
yenv=(ARCH="$ARCH" CROSS_COMPILE="$cross" KBUILD_OUTPUT="$KDIR" KERNEL_VERSION="$KREL" "${debenv[@]}")
ytools=(CC="$cross$cc" LD="${cross}ld" OBJCOPY="${cross}objcopy" STRIP="${cross}strip")
step "yocto: do_compile" "${yenv[@]}" make -j"$JOBS" -C "$Y" KERNEL_SRC="$KSRC" KERNEL_PATH="$KSRC" \
	KERNEL_VERSION="$KREL" "${ytools[@]}" AR="${cross}ar" O="$KDIR" KBUILD_EXTRA_SYMBOLS= &&
step "yocto: do_install" "${yenv[@]}" make -C "$Y" KERNEL_SRC="$KSRC" DEPMOD=echo \
	MODLIB="$S/yocto/image/lib/modules/$KREL" INSTALL_FW_PATH="$S/yocto/image/lib/firmware" \
	"${ytools[@]}" O="$KDIR" KBUILD_EXTRA_SYMBOLS= modules_install &&
check_ko "yocto/image/lib/modules/$KREL" "yocto: installed"
if [ -s "$H/yocto/kmemscope/Module.symvers" ]; then
	ok "yocto: Module.symvers at MODULES_MODULE_SYMVERS_LOCATION (the top)"
else
	not_ok "yocto: no Module.symvers at the top of the build tree"
fi

rm -rf "$H"
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
