#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# deps.sh - install everything kmemscope's build and test harness needs.
#
#   scripts/deps.sh [--print-env] [--host-only] [TARGET...]
#   scripts/deps.sh --chroot SUITE      (a chroot of SUITE alone)
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
#     chroot/<suite>/            Debian 11, 13 and unstable, for the targets
#                                whose kbuild tools need that release
#                                (lib.sh: target_suite); their headers are
#                                installed or extracted inside it
#     busybox/<arch>/busybox     static busybox for the initramfs
#     src/linux-source-<ver>/    unpacked Debian kernel source (kunit, debug: 6.1;
#                                bench: 6.12)
#
# Idempotent: every step checks for its result first, so a second run with
# a full cache downloads nothing.  The Debian ABI is resolved from the
# archive, so that security updates are picked up: the meta-packages
# (linux-image-amd64: 6.1 on the host, 5.10 in the bullseye chroot, 7.2 in
# the sid chroot; linux-image-arm64-16k in trixie's) and, for 6.12 in
# Debian 12 (no meta-package), the newest image with headers.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

# chromium-headless-shell: Chromium's headless shell (--screenshot,
# --dump-dom), which opens kmemscope-snap report's pages as a person would
# (test-report.sh; make demo's out/demo-report.png).
# debhelper, dh-dkms: make deb's build dependencies (debian/control);
# lintian: its check of the packages.
# python3-magic, python3-flake8: Buildroot's check-package imports them
# (lint-packaging.sh runs it with /usr/bin/python3).
PKGS="make gcc libc6-dev bc bison flex libelf-dev libssl-dev dwarves kmod
	cpio gzip xz-utils zstd python3 perl git debootstrap dkms
	qemu-system-x86 qemu-system-arm busybox-static
	gcc-aarch64-linux-gnu libc6-dev-arm64-cross device-tree-compiler
	chromium-headless-shell debhelper dh-dkms lintian python3-magic python3-flake8"

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
	write_env "$t" "$abi" "$arch" "$kdir" "$abi-$flavour"
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

# setup_source [VERSION]: Debian's linux-source-VERSION (default 6.1)
# unpacked in $CACHE/src.
setup_source() {
	local v=${1:-6.1} src
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

# ---- other Debian releases, in chroots --------------------------------

# ensure_chroot SUITE: a minimal chroot of SUITE with arm64 as a foreign
# architecture and its apt lists current (refreshed daily).
ensure_chroot() {
	local suite=$1 d="$CACHE/chroot/$1" tmp
	if [ ! -f "$d/.ks-ready" ]; then
		log "creating a $suite chroot in $d (debootstrap; a minute or two, once)"
		tmp="$d.tmp"
		rm -rf "$tmp"
		mkdir -p "$CACHE/chroot"
		debootstrap --variant=minbase --include=make "$suite" "$tmp" "$MIRROR" \
			>"$CACHE/chroot/$suite.log" 2>&1 ||
			{ tail -n 20 "$CACHE/chroot/$suite.log" >&2; die "debootstrap $suite failed"; }
		{
			echo "deb $MIRROR $suite main"
			case $suite in
			bookworm) echo "deb $MIRROR $suite-updates main"
				echo "deb $SECURITY_MIRROR $suite-security main" ;;
			bullseye | trixie) echo "deb $SECURITY_MIRROR $suite-security main" ;;
			esac
		} >"$tmp/etc/apt/sources.list"
		# unstable's Release file in this archive is past its
		# Valid-Until date; apt refuses it unless told not to check.
		[ "$suite" != sid ] ||
			echo 'Acquire::Check-Valid-Until "false";' >"$tmp/etc/apt/apt.conf.d/99kmemscope"
		rm -rf "$d"
		mv "$tmp" "$d"
		touch "$d/.ks-ready"
		in_chroot "$suite" dpkg --add-architecture arm64
		rm -f "$d/.ks-updated"
	fi
	if [ -z "$(find "$d/.ks-updated" -mmin -1440 2>/dev/null)" ]; then
		log "apt-get update in the $suite chroot"
		in_chroot "$suite" apt-get update -qq >/dev/null || die "apt-get update in the $suite chroot failed"
		touch "$d/.ks-updated"
	fi
}

chroot_install() {	# SUITE PKG...
	local suite=$1
	shift
	in_chroot "$suite" apt-get install -y -qq --no-install-recommends "$@" \
		>"$CACHE/chroot/$suite-install.log" 2>&1 ||
		{ tail -n 20 "$CACHE/chroot/$suite-install.log" >&2; die "installing $* in the $suite chroot failed"; }
}

# chroot_fetch SUITE PKG: PKG's .deb from SUITE, cached in debs/ (names
# carry their version, so releases do not collide).  Prints its path.
chroot_fetch() {
	chroot_try_fetch "$@" || die "cannot download $2 from $1"
}

chroot_try_fetch() {
	local suite=$1 pkg=$2 name arch f d="$CACHE/chroot/$1/tmp/kmemscope-debs"
	name=${pkg%%:*}
	arch=amd64
	case $pkg in *:*) arch=${pkg#*:} ;; esac
	f=$(ls "$CACHE/debs/${name}_"*"_$arch.deb" "$CACHE/debs/${name}_"*"_all.deb" 2>/dev/null | head -n1 || true)
	if [ -z "$f" ]; then
		rm -rf "$d"
		mkdir -p "$d"
		chmod 0777 "$d"	# apt downloads as its own user
		in_chroot "$suite" sh -c 'cd /tmp/kmemscope-debs && apt-get download -qq "$0"' "$pkg" \
			>/dev/null 2>&1 || { rm -rf "$d"; return 1; }
		mv "$d"/*.deb "$CACHE/debs/"
		rm -rf "$d"
		f=$(ls "$CACHE/debs/${name}_"*"_$arch.deb" "$CACHE/debs/${name}_"*"_all.deb" 2>/dev/null | head -n1)
	fi
	[ -n "$f" ] || return 1
	echo "$f"
}

# chroot_abis SUITE META: the ABIs (e.g. 5.10.0-46, 7.2.13+deb14) of the
# kernels the versions of meta-package META depend on, newest first.
chroot_abis() {
	local suite=$1 meta=$2 v
	for v in $(in_chroot "$suite" apt-cache madison "$meta" | awk -F'|' '{gsub(/ /, "", $2); print $2}' | sort -ruV); do
		in_chroot "$suite" apt-cache depends "$meta=$v" 2>/dev/null |
			sed -n 's/.*Depends: linux-image-\([0-9][^ ]*[0-9]\)-\(amd64\|arm64\|arm64-16k\)\(:arm64\)\{0,1\}$/\1/p' | head -n1
	done
}

# fetch_image_headers SUITE ABI FLAVOUR DARCH: download the image and the
# headers of one ABI; prints the image's .deb, or fails if the archive
# does not have both (this one lacks bullseye-security's arm64 kernels,
# though its lists name them).  The unsigned image where there is one,
# else the signed one: QEMU boots either.
fetch_image_headers() {
	local suite=$1 abi=$2 flavour=$3 darch=$4 img
	chroot_try_fetch "$suite" "linux-headers-$abi-$flavour:$darch" >/dev/null || return 1
	img=$(chroot_try_fetch "$suite" "linux-image-$abi-$flavour-unsigned:$darch") ||
		img=$(chroot_try_fetch "$suite" "linux-image-$abi-$flavour:$darch") || return 1
	echo "$img"
}

# deb_depends DEB REGEX: the packages DEB depends on whose names match REGEX.
deb_depends() {
	dpkg-deb -f "$1" Depends | tr ',|' '\n\n' | sed 's/^ *\([^ ]*\).*/\1/' | grep -E "$2" || true
}

# setup_chroot_target TARGET: image (+ modules) of a kernel from another
# Debian release, its headers inside that release's chroot, and the
# compilers it was built with.
setup_chroot_target() {
	local t=$1 arch=${1%%-*} suite abi flavour darch meta tdir d img p kdir kb gccs
	suite=$(target_suite "$t")
	case $t in
	*-16k) flavour=arm64-16k darch=arm64 meta=linux-image-arm64-16k:arm64 ;;
	arm64-*) flavour=arm64 darch=arm64 meta=linux-image-arm64:arm64 ;;
	x86_64-*) flavour=amd64 darch=amd64 meta=linux-image-amd64 ;;
	esac
	tdir="$CACHE/targets/$t"
	# Resolved once a day: the newest ABI the archive has whole.
	if [ -f "$tdir/env" ] && [ -n "$(find "$tdir/env" -mmin -1440)" ]; then
		return 0
	fi
	ensure_chroot "$suite"
	img=
	for abi in $(chroot_abis "$suite" "$meta"); do
		img=$(fetch_image_headers "$suite" "$abi" "$flavour" "$darch") && break
		log "$t: the archive lacks $abi's image or headers; trying an older one"
	done
	[ -n "$img" ] || die "no $meta kernel with image and headers in $suite"
	if [ -f "$tdir/env" ] && grep -qx "ABI=$abi" "$tdir/env"; then
		touch "$tdir/env"
		return 0
	fi
	log "setting up $t ($abi-$flavour, Debian $suite)"
	rm -rf "$tdir"
	mkdir -p "$tdir"

	# The image.  7.2 splits it: linux-image-* only depends on the
	# packages that hold the kernel (linux-binary-*), its modules
	# (linux-modules-*) and their lists, config and System.map
	# (linux-base-*).
	extract_deb "$img" "$tdir/image"
	for p in $(deb_depends "$img" "^linux-(binary|modules|base)-${abi//+/\\+}-"); do
		extract_deb "$(chroot_fetch "$suite" "${p%%:*}:$darch")" "$tdir/image"
	done

	# Headers and compilers, inside the chroot.
	d="$CACHE/chroot/$suite"
	if [ "$darch" = amd64 ]; then
		chroot_install "$suite" "linux-headers-$abi-$flavour"
		kdir="/usr/src/linux-headers-$abi-$flavour"
	else
		# As on the host: the arm64 headers extracted, their kbuild
		# links pointed at the chroot's amd64 linux-kbuild, and the
		# cross compiler of the gcc version the headers name.
		p=$(chroot_fetch "$suite" "linux-headers-$abi-$flavour:arm64")
		kb=$(deb_depends "$p" '^linux-kbuild-' | head -n1)
		gccs=$(deb_depends "$p" '^gcc-[0-9]+' | sed -n 's/^gcc-\([0-9]*\).*/gcc-\1-aarch64-linux-gnu/p' | head -n1)
		[ -n "$kb" ] && [ -n "$gccs" ] || die "cannot tell linux-kbuild and gcc from $p"
		chroot_install "$suite" "$kb" "$gccs"
		rm -rf "$d/opt/kmemscope/$t"
		mkdir -p "$d/opt/kmemscope/$t"
		extract_deb "$p" "$d/opt/kmemscope/$t"
		# The arch-independent part, where the Makefile looks for it.
		p=$(deb_depends "$p" '^linux-headers-.*-common' | head -n1)
		[ -z "$p" ] || chroot_install "$suite" "$p"
		fix_kbuild_links "$d/opt/kmemscope/$t" "/usr/lib/$kb"
		kdir="/opt/kmemscope/$t/usr/src/linux-headers-$abi-$flavour"
		# 7.2's Makefile names its own directory (KBUILD_OUTPUT=),
		# where the package installs it: name where it is.
		sed -i "s|^KBUILD_OUTPUT=.*|KBUILD_OUTPUT=$kdir|" "$d$kdir/Makefile"
	fi
	[ -d "$d$kdir" ] || die "no $kdir in the $suite chroot"
	# dkms, for the DKMS test (it builds against /lib/modules/KVER/build).
	chroot_install "$suite" dkms kmod
	write_env "$t" "$abi" "$arch" "$kdir" "$abi-$flavour" "$suite"
}

# write_env TARGET ABI ARCH KDIR KREL [SUITE]
write_env() {
	local tdir="$CACHE/targets/$1" rel=$5 vmlinuz
	# 7.2's packages are merged-/usr: modules and the kernel itself in
	# /usr/lib/modules/REL.
	if [ ! -e "$tdir/image/lib" ] && [ -d "$tdir/image/usr/lib/modules" ]; then
		ln -s usr/lib "$tdir/image/lib"
	fi
	vmlinuz=$(ls "$tdir"/image/boot/vmlinuz-* "$tdir/image/lib/modules/$rel/vmlinuz" 2>/dev/null | head -n1 || true)
	[ -n "$vmlinuz" ] || die "no kernel in $1's image packages"
	# The package has no modules.dep (depmod runs at install): make one.
	depmod -b "$tdir/image" "$rel" || die "depmod failed for $1"
	{
		echo "ABI=$2"
		echo "TARGET=$1"
		echo "ARCH=$3"
		echo "KDIR=$4"
		echo "KREL=$rel"
		echo "CHROOT=${6:-}"
		echo "VMLINUZ=$vmlinuz"
		echo "MODDIR=$tdir/image/lib/modules/$rel"
	} >"$tdir/env.tmp"
	mv "$tdir/env.tmp" "$tdir/env"
}

main() {
	local print_env=0 host_only=0 targets=() t
	while [ $# -gt 0 ]; do
		case $1 in
		--print-env) print_env=1 ;;
		--host-only) host_only=1 ;;
		--chroot) shift; apt_install $PKGS; ensure_chroot "${1:?--chroot SUITE}"; return 0 ;;
		-*) die "unknown option $1" ;;
		*) targets+=("$1") ;;
		esac
		shift
	done
	[ ${#targets[@]} = 0 ] && targets=($ALL_TARGETS)
	for t in "${targets[@]}"; do
		valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
	done

	mkdir -p "$CACHE/debs" "$CACHE/targets"
	apt_install $PKGS
	[ "$host_only" = 0 ] || return 0
	fetch_busybox amd64
	for t in "${targets[@]}"; do
		case $t in
		kunit | debug) setup_source 6.1 ;;
		bench) setup_source 6.12 ;;
		*)
			[ "$t" = "${t#arm64-}" ] || fetch_busybox arm64
			if [ "$(target_suite "$t")" = bookworm ]; then
				resolve_versions
				setup_stock "$t"
			else
				setup_chroot_target "$t"
			fi
			;;
		esac
	done
	if [ "$print_env" = 1 ]; then
		cat "$CACHE/versions" "$CACHE"/versions-* 2>/dev/null || true
	fi
}

main "$@"
