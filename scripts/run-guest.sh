#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# run-guest.sh [options] TARGET SCRIPT...
#
# Boot TARGET's kernel under QEMU (TCG) with an initramfs holding busybox,
# kmemscope and the test modules (out/TARGET/ko/), and the guest scripts
# from tests/guest/ (the tests) and tests/guest-helpers/ (/init, lib.sh,
# the runners that are not tests); run SCRIPTs in the guest; collect their
# TAP.
#
#   --name NAME      name of this run (logs: out/logs/TARGET-NAME.*)
#   --dtb FILE       (arm64) boot with this device tree
#   --mem SIZE       guest RAM (default 512M; debug: 768M)
#   --smp N          vCPUs (default 2)
#   --timeout SEC    wall-time limit (default 300; debug: 600)
#   --preload LIST   modules to insmod before the scripts (.ko names)
#   --append ARGS    extra kernel command line
#   --kmods LIST     Debian modules (with their dependencies) to install in
#                    the guest's /lib/modules/$(uname -r), for modprobe
#   --icount         count time in retired instructions (-icount shift=0,
#                    sleep=off): repeatable figures for benchmarks
#   --quiet          do not echo the TAP lines
#
# Writes out/logs/TARGET-NAME.console (the kernel's console) and
# out/logs/TARGET-NAME.tap (the tests' results).  Adds two results of its
# own: that the guest ran to the end, and that the console shows no kernel
# error report (BUG:, WARNING:, Oops, Call Trace, lockdep, KASAN, ...).
# Prints "RESULT passed=N failed=N" last; exits 1 if anything failed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

name=run dtb= mem= smp=2 timeout_s= preload= append= quiet=0 kmods= icount=0
while [ $# -gt 0 ]; do
	case $1 in
	--name) name=$2; shift ;;
	--dtb) dtb=$2; shift ;;
	--mem) mem=$2; shift ;;
	--smp) smp=$2; shift ;;
	--timeout) timeout_s=$2; shift ;;
	--preload) preload=$2; shift ;;
	--append) append=$2; shift ;;
	--kmods) kmods=$2; shift ;;
	--icount) icount=1 ;;
	--quiet) quiet=1 ;;
	-*) die "unknown option $1" ;;
	*) break ;;
	esac
	shift
done
t=${1:?usage: run-guest.sh [options] TARGET SCRIPT...}
shift
valid_target "$t" || die "unknown target '$t'"
# The debug kernel needs more memory (KASAN's shadow, an eighth of RAM, and
# its quarantine of freed objects; lockdep's tables: with 512M the guest
# has 394 MB, not 497) and is slower (the tests: 2.5 min, not 1.5).
case $t in
debug) : "${mem:=768M}" "${timeout_s:=600}" ;;
esac
: "${mem:=512M}" "${timeout_s:=300}"
. "$CACHE/targets/$t/env"

OUT="$ROOT/out/$t"
LOGS="$ROOT/out/logs"
mkdir -p "$LOGS"
console="$LOGS/$t-$name.console"
tap="$LOGS/$t-$name.tap"
rm -f "$console" "$tap"

# ---- initramfs --------------------------------------------------------
IR="$OUT/initramfs-$name"
rm -rf "$IR"
mkdir -p "$IR"/{bin,sbin,etc,proc,sys,dev,tmp,tests,lib/modules,ko}
case $ARCH in
x86_64) bb="$CACHE/busybox/amd64/busybox" ;;
arm64) bb="$CACHE/busybox/arm64/busybox" ;;
esac
cp "$bb" "$IR/bin/busybox"
ln -s busybox "$IR/bin/sh"
cp "$ROOT/tests/guest-helpers/init" "$IR/init"
chmod +x "$IR/init"
# The tests and the helpers (lib.sh, the KUnit, bench and demo runners)
# side by side in the guest's /tests.
cp "$ROOT"/tests/guest/*.sh "$ROOT"/tests/guest-helpers/*.sh "$IR/tests/"
install -m 0755 "$ROOT/tools/kmemscope-snap" "$IR/bin/kmemscope-snap"
install -m 0755 "$ROOT/tools/kmemscope-bar" "$IR/bin/kmemscope-bar"
cp "$OUT"/ko/*.ko "$IR/ko/" 2>/dev/null || true

# Kernel modules the harness needs (the results channel), with their
# dependencies in load order, from the image's modules.dep.
: >"$IR/etc/preload"
add_kmod() {	# NAME
	local n=$1 line path deps d
	[ -n "$MODDIR" ] || return 0
	if grep -Eq "/$n\.ko(\.xz)?$" "$MODDIR/modules.builtin" 2>/dev/null; then
		return 0
	fi
	line=$(grep -E "/$n\.ko(\.xz)?:" "$MODDIR/modules.dep" | head -n1) ||
		die "$n: not in $MODDIR/modules.dep"
	path=${line%%:*}
	deps=${line#*:}
	for d in $deps; do
		d=$(basename "$d")
		add_kmod "${d%%.ko*}"
	done
	grep -qx "${n}.ko" "$IR/etc/preload" && return 0
	case $path in
	*.xz) xz -dc "$MODDIR/$path" >"$IR/lib/modules/$n.ko" ;;
	*) cp "$MODDIR/$path" "$IR/lib/modules/$n.ko" ;;
	esac
	echo "$n.ko" >>"$IR/etc/preload"
}
add_kmod virtio_pci
add_kmod virtio_console
for m in $preload; do
	cp "$OUT/ko/$m" "$IR/lib/modules/$m"
	echo "$m" >>"$IR/etc/preload"
done
# Debian modules for modprobe, laid out as in the image, with a modules.dep.
install_kmod() {	# NAME
	local n=$1 line path d
	[ -n "$MODDIR" ] || die "target $t has no module tree for --kmods"
	line=$(grep -E "/$n\.ko(\.xz)?:" "$MODDIR/modules.dep" | head -n1) ||
		die "$n: not in $MODDIR/modules.dep"
	for path in ${line%%:*} ${line#*:}; do
		d="$IR/lib/modules/$KREL/${path%.xz}"
		[ -f "$d" ] && continue
		mkdir -p "$(dirname "$d")"
		case $path in
		*.xz) xz -dc "$MODDIR/$path" >"$d" ;;
		*) cp "$MODDIR/$path" "$d" ;;
		esac
	done
}
if [ -n "$kmods" ]; then
	for m in $kmods; do install_kmod "$m"; done
	cp "$MODDIR"/modules.builtin* "$MODDIR"/modules.order "$IR/lib/modules/$KREL/" 2>/dev/null || true
	depmod -b "$IR" "$KREL"
fi
{
	echo "TARGET=$t"
	echo "RUN=\"$*\""
} >"$IR/etc/harness.conf"
(cd "$IR" && find . | cpio -o -H newc --quiet | gzip -1) >"$OUT/initramfs-$name.cpio.gz"

# ---- boot -------------------------------------------------------------
# watchdog_thresh=60: under emulation on shared host cores a vCPU thread
# can go unscheduled for many seconds, and the soft-lockup watchdog (20 s
# by default) takes that for a guest CPU stuck in the kernel.  At 60 a
# report (after 120 s) still means a CPU that did not schedule for two
# minutes, which fails the run.
cmdline="panic=-1 ignore_loglevel watchdog_thresh=60 ks.ram=$mem $append"
qemu=(-m "$mem" -smp "$smp" -nographic -no-reboot -nic none
      -kernel "$VMLINUZ" -initrd "$OUT/initramfs-$name.cpio.gz"
      -device virtio-serial-pci
      -chardev "file,id=res,path=$tap"
      -device virtserialport,chardev=res,name=ks.results)
[ "$icount" = 1 ] && qemu+=(-icount shift=0,sleep=off)
case $ARCH in
x86_64)
	bin=qemu-system-x86_64
	# One host thread for all vCPUs: with multi-threaded TCG, x86 guests
	# that patch kernel text while other vCPUs run it (static keys and
	# kprobes, via int3: text_poke_bp) were seen to take "Oops: int3" at
	# patched sites and to spin forever on a half-patched jump, on both
	# Debian kernels, while kmemscope attached and detached its hooks under
	# load.  Round-robin TCG runs the same tests clean every time.
	qemu+=(-M pc -cpu max -accel tcg,thread=single ${KS_QEMU_EXTRA:-}
	       -append "console=ttyS0 $cmdline")
	;;
arm64)
	bin=qemu-system-aarch64
	# A 16 KiB-page kernel needs a CPU with the 16K granule (the
	# Cortex-A57 has 4K and 64K only); pauth-impdef: QEMU's cheap
	# pointer-authentication hash, far faster under TCG than QARMA.
	case $t in
	*-16k) cpu=max,pauth-impdef=on ;;
	*) cpu=cortex-a57 ;;
	esac
	qemu+=(-M virt -cpu "$cpu" -append "console=ttyAMA0 $cmdline")
	[ -n "$dtb" ] && qemu+=(-dtb "$dtb")
	;;
esac
start=$(date +%s)
rc=0
timeout --foreground -k 5 "$timeout_s" "$bin" "${qemu[@]}" </dev/null >"$console" 2>&1 || rc=$?
secs=$(( $(date +%s) - start ))

# ---- results ----------------------------------------------------------
touch "$tap"
# KTAP from tests/guest-helpers/kunit.sh: parsed here by the kernel's own
# kunit.py, into TAP lines (scripts/kunit-tap.py).
guest_tap() {
	if grep -q '^# ktap-begin ' "$tap"; then
		tr -d '\r' <"$tap" |
			/usr/bin/python3 "$HERE/kunit-tap.py" "$CACHE/src/linux-source-6.1/tools/testing/kunit/kunit.py" ||
			echo "not ok - kunit-tap.py: could not parse the KUnit results (exit $?)"
	else
		tr -d '\r' <"$tap"
	fi
}
passed=0 failed=0
while IFS= read -r l; do
	case $l in
	"ok "*) passed=$((passed + 1)) ;;
	"not ok "*) failed=$((failed + 1)) ;;
	esac
	[ "$quiet" = 1 ] || printf '%s\n' "$l" | sed "s/^\(not ok\|ok\) - /\1 - $t: /"
done < <(guest_tap)

if grep -q '^# harness: done' "$tap"; then
	passed=$((passed + 1))
	[ "$quiet" = 1 ] || echo "ok - $t: guest '$name' ran to the end (${secs}s)"
else
	failed=$((failed + 1))
	echo "not ok - $t: guest '$name' did not finish (qemu exit $rc after ${secs}s; console: $console)"
	tail -n 25 "$console" | sed 's/^/#   /'
fi

# Kernel error reports.  Most start with "BUG:" or "WARNING:" (lockdep's,
# KASAN's, might_sleep()'s, the debug objects'); the debug kernel's are
# also listed by their own words, in case a format differs.  Not the bare
# word "lockdep": PROVE_RCU kernels boot with "RCU lockdep checking is
# enabled".
reports=('BUG:' 'WARNING:' 'Oops' 'Call Trace' 'kernel BUG' 'Kernel panic'
	 'general protection fault' 'Unable to handle kernel' 'refcount_t:'
	 'KASAN' 'UBSAN' 'ODEBUG' 'DEBUG_LOCKS_WARN_ON' 'non-static key'
	 'locking correctness validator' 'lockdep is turned off'
	 'possible recursive locking' 'possible circular locking'
	 'inconsistent lock state' 'irq lock inversion' 'lock order detected'
	 'bad unlock balance' 'held lock freed' 'Invalid wait context'
	 'suspicious RCU usage' 'sleeping function called'
	 'scheduling while atomic' 'INFO: task .* blocked' 'RCU stall'
	 'detected stall' 'BUG [^ ]+ \((Not tainted|Tainted)')
pat=$(IFS='|'; echo "${reports[*]}")
if grep -Eq "$pat" "$console"; then
	failed=$((failed + 1))
	echo "not ok - $t: console of '$name' has kernel error reports ($console)"
	grep -En "$pat" "$console" | head -n 10 | sed 's/^/#   /'
	# The first report whole (its header says what it is), up to 60 lines.
	first=$(grep -En "$pat" "$console" | head -n 1 | cut -d: -f1)
	echo "#   -- the first report, from line $first of the console:"
	sed -n "$((first > 3 ? first - 3 : 1)),$((first + 56))p" "$console" | sed 's/^/#   /'
else
	passed=$((passed + 1))
	[ "$quiet" = 1 ] || echo "ok - $t: console of '$name' is clean"
fi
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
