#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install everything kmemscope's build and test harness needs.
#
#   scripts/deps.sh [--print-env] [TARGET...]
#
# Installs the Debian packages the harness uses, then fetches, for each
# TARGET (default: all), the Debian kernel image, its modules and the
# headers to build against into a cache outside the clone:
#
#   ${KMEMSCOPE_CACHE:-$HOME/.cache/kmemscope}
#     debs/                      downloaded .deb files
#     targets/<target>/image/    extracted linux-image package
#     targets/<target>/headers/  extracted arm64 headers (x86_64 uses /usr/src)
#     targets/<target>/env       KDIR, ARCH, vmlinuz, ... for the harness
#     busybox/<arch>/busybox     static busybox for the initramfs
#     src/linux-source-<ver>/    unpacked Debian kernel source (kunit, debug)
#
# Idempotent: every step checks for its result first, so a second run with
# a full cache downloads nothing.  The Debian ABI is resolved from the
# archive (linux-image-amd64 for 6.1; the newest 6.12, and 6.12 PREEMPT_RT
# (x86_64 only), with headers).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

PKGS="make gcc libc6-dev bc bison flex libelf-dev libssl-dev dwarves kmod
	cpio gzip xz-utils zstd python3 perl git
	qemu-system-x86 qemu-system-arm busybox-static
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross device-tree-compiler"

apt_updated=0
apt_update_once() {
	if [ "$apt_updated" = 0 ]; then
		log "apt-get update"
		apt-get update -qq >/dev/null
		apt_updated=1
	fi
}

apt_install() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} = 0 ] && return 0
	apt_update_once
	log "apt-get install ${missing[*]}"
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${missing[@]}" >/dev/null
}

# apt_fetch PKG: download PKG's .deb into debs/ unless already there.
# Prints the path of the .deb.
apt_fetch() {
	local pkg=$1 name arch f
	name=${pkg%%:*}
	arch=amd64
	case $pkg in *:*) arch=${pkg#*:} ;; esac
	f=$(ls "$CACHE/debs/${name}_"*"_$arch.deb" "$CACHE/debs/${name}_"*"_all.deb" 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		apt_update_once
		(cd "$CACHE/debs" && apt-get download -qq "$pkg" >/dev/null 2>&1) ||
			{ apt_update_once_force; (cd "$CACHE/debs" && apt-get download -qq "$pkg" >/dev/null); }
		f=$(ls "$CACHE/debs/${name}_"*"_$arch.deb" "$CACHE/debs/${name}_"*"_all.deb" 2>/dev/null | head -n1)
	fi
	[ -n "$f" ] || die "cannot download $pkg"
	echo "$f"
}

apt_update_once_force() {
	apt_updated=0
	apt_update_once
}

ensure_arm64_arch() {
	if ! dpkg --print-foreign-architectures | grep -qx arm64; then
		log "dpkg --add-architecture arm64"
		dpkg --add-architecture arm64
		apt_updated=0
		apt_update_once
	fi
}

# newest_612 FLAVOUR: the newest Debian 12 6.12 ABI (6.12.<n>+deb12) with
# a linux-image-<abi>-FLAVOUR-unsigned whose headers also exist (6.12 has
# no meta-package in Debian 12).
newest_612() {
	local f=$1 h
	for h in $(apt-cache search --names-only "^linux-image-6\\.12\\.[0-9]*\\+deb12-$f-unsigned\$" |
		awk '{print $1}' | sed "s/^linux-image-\\(.*\\)-$f-unsigned\$/\\1/" | sort -rV); do
		if apt-cache show "linux-headers-$h-$f" >/dev/null 2>&1; then
			echo "$h"
			return
		fi
	done
}

# Resolve the ABI of the current Debian kernels.  Cached for a day so that
# a warm run does not need apt's lists; a security update then shows up on
# the next day's run.
resolve_versions() {
	local vf="$CACHE/versions" v61 v612 v612rt
	if [ -f "$vf" ] && [ -n "$(find "$vf" -mmin -1440 2>/dev/null)" ] &&
	   grep -q '^ABI_612_RT=.' "$vf"; then
		. "$vf"
		return
	fi
	apt_update_once
	v61=$(apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/.*Depends: linux-image-\(6\.1\.[0-9]*-[0-9]*\)-amd64$/\1/p' | head -n1)
	[ -n "$v61" ] || die "cannot resolve the 6.1 ABI from linux-image-amd64"
	v612=$(newest_612 amd64)
	[ -n "$v612" ] || die "cannot find a Debian 6.12 kernel with headers"
	v612rt=$(newest_612 rt-amd64)
	[ -n "$v612rt" ] || die "cannot find a Debian 6.12 PREEMPT_RT kernel with headers"
	printf 'ABI_61=%s\nABI_612=%s\nABI_612_RT=%s\n' "$v61" "$v612" "$v612rt" >"$vf.tmp"
	mv "$vf.tmp" "$vf"
	. "$vf"
}

extract_deb() {	# DEB DIR
	mkdir -p "$2"
	dpkg-deb -x "$1" "$2"
}

fetch_busybox() {	# ARCH (amd64|arm64)
	local a=$1 d="$CACHE/busybox/$1" deb
	[ -x "$d/busybox" ] && return 0
	if [ "$a" = amd64 ]; then
		deb=$(apt_fetch busybox-static)
	else
		ensure_arm64_arch
		deb=$(apt_fetch busybox-static:arm64)
	fi
	rm -rf "$d.tmp"
	extract_deb "$deb" "$d.tmp"
	mkdir -p "$d"
	cp "$d.tmp/bin/busybox" "$d/busybox"
	rm -rf "$d.tmp"
}

# setup_stock TARGET: image (+ modules) and headers of a Debian kernel.
setup_stock() {
	local t=$1 arch=${1%%-*} ver=${1#*-} abi flavour darch tdir kdir img rt=
	case $ver in
	6.1) abi=$ABI_61 ;;
	6.12) abi=$ABI_612 ;;
	6.12-rt) abi=$ABI_612_RT ver=6.12 rt=rt- ;;
	*) die "unknown kernel version in target $t" ;;
	esac
	case $arch in
	x86_64) flavour=${rt}amd64 darch=amd64 ;;
	arm64) [ -z "$rt" ] || die "no PREEMPT_RT kernel for arm64"
		flavour=arm64 darch=arm64 ;;
	*) die "unknown arch in target $t" ;;
	esac
	tdir="$CACHE/targets/$t"
	if [ -f "$tdir/env" ] && grep -qx "ABI=$abi" "$tdir/env"; then
		return 0
	fi
	log "setting up $t ($abi-$flavour)"
	rm -rf "$tdir"
	mkdir -p "$tdir"
	[ "$darch" = arm64 ] && ensure_arm64_arch

	# The image: 6.1 is the signed image package, 6.12 only -unsigned.
	if [ "$ver" = 6.1 ]; then
		img=$(apt_fetch "linux-image-$abi-$flavour:$darch")
	else
		img=$(apt_fetch "linux-image-$abi-$flavour-unsigned:$darch")
	fi
	extract_deb "$img" "$tdir/image"

	# Headers.
	if [ "$darch" = amd64 ]; then
		apt_install "linux-headers-$abi-$flavour"
		kdir="/usr/src/linux-headers-$abi-$flavour"
	else
		# The arm64 package's scripts/ and tools/ point at the arm64
		# linux-kbuild package; the host's (same version) serves
		# instead.  It comes with the amd64 headers of the same ABI.
		apt_install "linux-headers-$abi-amd64"
		local common kb
		extract_deb "$(apt_fetch "linux-headers-$abi-arm64:arm64")" "$tdir/headers"
		common=$(dpkg-deb -f "$(apt_fetch "linux-headers-$abi-arm64:arm64")" Depends |
			tr ',' '\n' | sed -n 's/^ *\(linux-headers-[^ ]*-common[^ ]*\).*/\1/p' | head -n1)
		if [ -n "$common" ]; then
			extract_deb "$(apt_fetch "$common")" "$tdir/headers"
		fi
		kdir="$tdir/headers/usr/src/linux-headers-$abi-arm64"
		[ -d "$kdir" ] || die "no $kdir after extracting the arm64 headers"
		kb=$(ls -d /usr/lib/linux-kbuild-"${abi%%-*}"* 2>/dev/null | head -n1 || true)
		[ -n "$kb" ] || kb=$(ls -d /usr/lib/linux-kbuild-"${ver}"* | head -n1)
		fix_kbuild_links "$tdir/headers" "$kb"
	fi
	# The package has no modules.dep (depmod runs at install): make one.
	depmod -b "$tdir/image" "$abi-$flavour" ||
		die "depmod failed for $t"
	{
		echo "ABI=$abi"
		echo "TARGET=$t"
		echo "ARCH=$arch"
		echo "KDIR=$kdir"
		echo "KREL=$abi-$flavour"
		echo "VMLINUZ=$(ls "$tdir"/image/boot/vmlinuz-* | head -n1)"
		echo "MODDIR=$tdir/image/lib/modules/$abi-$flavour"
	} >"$tdir/env.tmp"
	mv "$tdir/env.tmp" "$tdir/env"
}

# Point every symlink in an extracted header tree that goes into an arm64
# linux-kbuild directory at the host's linux-kbuild.
fix_kbuild_links() {	# ROOT HOSTKBUILD
	local root=$1 kb=$2 l tgt rest
	while IFS= read -r l; do
		tgt=$(readlink "$l")
		case $tgt in
		*lib/linux-kbuild-*)
			rest=${tgt#*lib/linux-kbuild-*/}
			[ "$rest" = "$tgt" ] && rest=
			ln -sfn "$kb/$rest" "$l"
			;;
		esac
	done < <(find "$root" -type l)
}

setup_source() {
	local v=6.1 src
	apt_install "linux-source-$v"
	src=$(ls /usr/src/linux-source-$v.tar.xz)
	local stamp="$CACHE/src/linux-source-$v.stamp" want
	want=$(dpkg-query -W -f='${Version}' "linux-source-$v")
	if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
		return 0
	fi
	log "unpacking $src"
	rm -rf "$CACHE/src/linux-source-$v"
	mkdir -p "$CACHE/src"
	tar -C "$CACHE/src" -xf "$src"
	echo "$want" >"$stamp"
}

main() {
	local print_env=0 targets=() t
	while [ $# -gt 0 ]; do
		case $1 in
		--print-env) print_env=1 ;;
		-*) die "unknown option $1" ;;
		*) targets+=("$1") ;;
		esac
		shift
	done
	[ ${#targets[@]} = 0 ] && targets=($ALL_TARGETS)
	for t in "${targets[@]}"; do
		valid_target "$t" || die "unknown target '$t' (known: $ALL_TARGETS)"
	done

	mkdir -p "$CACHE/debs" "$CACHE/targets"
	apt_install $PKGS
	fetch_busybox amd64
	resolve_versions
	for t in "${targets[@]}"; do
		case $t in
		kunit | debug) setup_source ;;
		arm64-*) fetch_busybox arm64; setup_stock "$t" ;;
		*) setup_stock "$t" ;;
		esac
	done
	if [ "$print_env" = 1 ]; then
		cat "$CACHE/versions"
	fi
}

main "$@"
