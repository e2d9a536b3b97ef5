#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test.sh [--core | --no-faults | --faults] TARGET - build for TARGET and
# run its guest tests.
# The whole suite:
#   stock targets: the integration scripts (tests/guest/*.sh of suite
#                  "integration", see lib.sh's guest_suite()),
#                  then those that modprobe Debian's own modules; then the
#                  stress test (stress.sh) in a guest of its own, 4 vCPUs;
#                  and the DKMS install (dkms-test.sh, a guest of its own);
#                  and the Buildroot and Yocto make contracts
#                  (pkg-contract-test.sh; kunit and debug too);
#   kunit, debug:  the KUnit suites, then the integration scripts too (their
#                  self-built kernels have no Debian module tree);
#   arm64:         then account.sh once more per dts-overlays/ overlay,
#                  and cmaline.sh on board-256m with cma=32M.
# --core: the core suite (CORE below; DKMS; the Buildroot and Yocto
# contracts; on arm64 the overlays), what
# `make check` runs on the targets outside lib.sh's FULL_TARGETS.
# --no-faults: the whole suite but the debug kernel's fault injection;
# --faults: that alone (debug only).  make check runs the two apart, so
# that its two lanes can share the debug kernel's tests.
# KS_BUILT=1: out/TARGET/ko is already built (check.sh builds first).
# Output: TAP lines, then "RESULT passed=N failed=N" (all guests).
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

# The core suite: a build that loads with every hook self-tested (and
# the DKMS one: dkms.sh), each allocator's and wrapper's exact bytes and
# pages, leaks and the unload report, the account, unload with nothing left.
CORE="fixture.sh pagecases.sh wrappers.sh leaks.sh account.sh"
INTEGRATION=$(guest_suite integration)
DEBIAN_MODS=$(guest_suite debian-modules)
# The Debian modules that DEBIAN_MODS modprobe.
KMODS="null_blk scsi_debug sd_mod zram"
# Resets against loads and readers (races.sh): where the timing differs
# most (x86 and arm64; 16 KiB pages), in the integration guest.
RACE_TARGETS="x86_64-6.1 arm64-6.12 arm64-6.12-16k"
# Targets that run the stress test (kunit's kernel is x86_64-6.1's version):
# the stock ones but arm64-6.12, whose kernel arm64-6.12-16k stresses with
# 16 KiB pages (a stress guest takes 4 to 8 minutes on arm64).
STRESS_TARGETS=" ${STOCK_TARGETS/ arm64-6.12 / } "

core=0 part=all
case ${1:-} in
--core) core=1 ;;
--no-faults) part=main ;;
--faults) part=faults ;;
esac
[ "$core$part" = 0all ] || shift
t=${1:?usage: test.sh [--core | --no-faults | --faults] TARGET}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
[ "$part" != faults ] || [ "$t" = debug ] ||
	die "--faults: only the debug kernel has fault injection"
# A test script that names no suite would never run.
untagged=$(awk 'FNR == 2 && !($1 == "#" && $2 == "suite:" && $3 != "") { print FILENAME }' \
	"$ROOT"/tests/guest/*.sh)

if [ "${KS_BUILT:-}" = 1 ] && ls "$ROOT/out/$t/ko/kmemscope.ko" >/dev/null 2>&1; then
	:
elif ! "$HERE/build.sh" "$t" >/dev/null; then
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

# guest ARGS...: run-guest.sh ARGS; its TAP passes through, its counts
# add up in passed and failed (lib.sh: add_results).
passed=0 failed=0
guest() { add_results "$HERE/run-guest.sh" "$@"; }

# Fault injection and kmemleak: the debug kernel has them.  A load of
# kmemscope passes about 1,050 fault points, each tried in about 2.5 s
# (kmemleak on): every 7th by default, about 9 min (KS_FAILNTH_STEP=1:
# all, about 45 min).
faults() {
	guest --name faults --timeout 1800 --alloc-failures-injected \
		--append "kmemleak=on ks.failnth_step=${KS_FAILNTH_STEP:-7}" \
		"$t" $(guest_suite faults)
}
if [ "$part" = faults ]; then
	faults
	echo "RESULT passed=$passed failed=$failed"
	[ "$failed" = 0 ]
	exit
fi
for f in $untagged; do
	echo "not ok - $t: ${f#"$ROOT"/} has no '# suite: NAME' second line"
	failed=$((failed + 1))
done

# The whole suite takes about 200 s on a stock target with both lanes
# busy: its guest may take 450 (the debug kernel's, run-guest.sh's 900).
opts=()
case $t in
kunit | debug) scripts="kunit.sh $INTEGRATION" ;;
*) scripts="$INTEGRATION $DEBIAN_MODS"; opts=(--kmods "$(present_kmods)" --timeout 450) ;;
esac
case " $RACE_TARGETS " in
*" $t "*) scripts="$scripts races.sh" ;;
esac
# Lockdown cannot be lifted once raised: last, on the stock kernels (the
# KUnit kernel has no securityfs).
case " $STOCK_TARGETS " in
*" $t "*) scripts="$scripts lockdown.sh" ;;
esac
if [ "$core" = 1 ]; then
	scripts=$CORE
	opts=()
fi
guest --name test ${opts[@]+"${opts[@]}"} "$t" $scripts
if [ "$core" = 0 ]; then
	case " $STRESS_TARGETS " in
	*" $t "*) guest --name stress --smp 4 --timeout 900 "$t" $(guest_suite stress) ;;
	esac
	# The OOM report: a small guest of its own, whose OOM killer fires (its
	# dump is no error report: --alloc-failures-injected).
	guest --name oom --mem 256M --alloc-failures-injected "$t" $(guest_suite oom)
	[ "$t" != debug ] || [ "$part" = main ] || faults
fi
case $t in
kunit | debug) ;;	# no Debian headers package: nothing for DKMS
*) add_results "$HERE/dkms-test.sh" "$t" ;;
esac
# Buildroot's and Yocto's make command lines (packaging/).
add_results "$HERE/pkg-contract-test.sh" "$t"

# arm64: account.sh again on boards with each overlay's carve-outs, at the
# RAM size the overlay is laid out for (its " * ram: SIZE" line).
. "$CACHE/targets/$t/env"
if [ "$ARCH" = arm64 ]; then
	for ov in "$ROOT"/dts-overlays/*.dtso; do
		name=$(basename "$ov" .dtso)
		mem=$(sed -n 's/^ \* ram: *\([0-9]*[MG]\).*/\1/p' "$ov")
		dtb="$ROOT/out/$t/$name.dtb"
		if [ -z "$mem" ] || ! "$HERE/dtb.sh" "$name" "$mem" 2 "$dtb"; then
			echo "not ok - $t: overlay $name (no ' * ram: SIZE' line, or it does not apply)"
			failed=$((failed + 1))
			continue
		fi
		guest --name "ov-$name" --mem "$mem" --dtb "$dtb" --append "ks.overlay=$name" \
			"$t" account.sh
	done
	# The boot line's CMA over the device tree's default area (cmaline.sh:
	# a boot of 10 to 15 s).
	dtb="$ROOT/out/$t/board-256m.dtb"
	[ ! -f "$dtb" ] ||
		guest --name cmaline --mem 256M --dtb "$dtb" --append "cma=32M" \
			"$t" $(guest_suite cmaline)
fi
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
