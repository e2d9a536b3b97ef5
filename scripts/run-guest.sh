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
#   --timeout SEC    wall-time limit (default 300; debug: 900)
#   --preload LIST   modules to insmod before the scripts (.ko names)
#   --append ARGS    extra kernel command line
#   --kmods LIST     Debian modules (with their dependencies) to install in
#                    the guest's /lib/modules/$(uname -r), for modprobe
#   --icount         count time in retired instructions (-icount shift=0,
#                    sleep=off): repeatable figures for benchmarks
#   --quiet          do not echo the TAP lines
#   --alloc-failures-injected
#                    the guest makes allocations fail on purpose: the
#                    kernel's allocation-failure dumps ("page allocation
#                    failure", "vmalloc error", a kmem_cache_create() or
#                    percpu allocation that failed, with their call trace)
#                    are counted, not taken for error reports
#
# Writes out/logs/TARGET-NAME.console (the kernel's console) and
# out/logs/TARGET-NAME.tap (the tests' results).  Adds two results of its
# own: that the guest ran to the end, and that the console shows no kernel
# error report (BUG:, WARNING:, Oops, Call Trace, lockdep, KASAN, ...).
# Either failure names the script the guest was in.  A guest still running
# at the time limit is dumped before it is killed (every vCPU's registers,
# every task's stack, every CPU's backtrace: printed with the failure).
# A guest that hung or reported an error is run once more the same way
# (TARGET-NAME-again.*) and the output says whether that repeated; the
# first run's result stands.
# Prints "RESULT passed=N failed=N" last; exits 1 if anything failed.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
. "$HERE/console-scan.sh"
ROOT=$(cd "$HERE/.." && pwd)

name=run dtb= mem= smp=2 timeout_s= preload= append= quiet=0 kmods= icount=0 injected=0
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
	--alloc-failures-injected) injected=1 ;;
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
# has 394 MB, not 497) and is slower (the tests: 2.5 min, not 1.5).  Its
# whole-suite guest takes 590 to 630 s with both lanes of make check busy
# (badinput.sh 225 s: every view read a byte at a time under KASAN;
# lifecycle.sh 140 to 185 s: 70 reloads): the limit catches hangs, and a
# healthy run must not reach it.
case $t in
debug) : "${mem:=768M}" "${timeout_s:=900}" ;;
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
cp "$OUT"/bin/* "$IR/bin/" 2>/dev/null || true

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
cmdline="panic=-1 ignore_loglevel watchdog_thresh=60 sysrq_always_enabled ks.ram=$mem $append"
qemu=(-m "$mem" -smp "$smp" -nographic -no-reboot -nic none
      -kernel "$VMLINUZ" -initrd "$OUT/initramfs-$name.cpio.gz"
      -device virtio-serial-pci)
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
	# KS_TCG_THREAD=multi runs them multi-threaded all the same (for
	# scripts/fault-study.sh's variant e).
	# acpi=noirq: PCI interrupts routed by the PIIX3 router (SeaBIOS's
	# $PIR table), not by the pc machine's ACPI _PRT method.  _PRT is an
	# AML loop over 128 entries, and ACPICA aborts any AML loop after 30
	# s of guest time (AE_AML_LOOP_TIMEOUT): the debug kernel (lockdep,
	# KASAN) on a loaded host took longer in three boots seen, and was
	# left without a route for virtio-pci's INT A.  The KUnit and debug
	# kernels have no MSI, so the results port never came up and the
	# TAP went to the console (the guest "did not finish").
	qemu+=(-M pc -cpu max -accel "tcg,thread=${KS_TCG_THREAD:-single}" ${KS_QEMU_EXTRA:-}
	       -append "console=ttyS0 acpi=noirq $cmdline")
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
# boot CONSOLE TAP: run the guest once; sets rc and secs.  A guest still
# running at the time limit is asked for its state before it is killed:
# QEMU's monitor prints every vCPU's registers (info registers -a) and the
# kernel, through a serial break (sysrq_always_enabled), every task's
# stack (sysrq-t) and every CPU's backtrace (sysrq-l), all into the
# console.  stdin is a FIFO: -nographic muxes the monitor and the serial
# port on it (Ctrl-A c toggles them, Ctrl-A b sends a break).
boot() {
	local con=$1 res=$2 fifo pid waited=0 fd
	rm -f "$con" "$res"
	fifo=$(mktemp -u)
	mkfifo "$fifo"
	exec {fd}<>"$fifo"
	start=$(date +%s)
	"$bin" "${qemu[@]}" -chardev "file,id=res,path=$res" \
		-device virtserialport,chardev=res,name=ks.results \
		<"$fifo" >>"$con" 2>&1 &
	pid=$!
	while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$timeout_s" ]; do
		sleep 1
		waited=$((waited + 1))
	done
	if kill -0 "$pid" 2>/dev/null; then
		{
			printf '\n\n*** run-guest: time limit (%ss): registers, tasks, backtraces ***\n' \
				"$timeout_s"
		} >>"$con"
		printf '\001c' >&"$fd"; sleep 1
		printf 'info registers -a\n' >&"$fd"; sleep 3
		printf '\001c' >&"$fd"; sleep 1
		printf '\001bt' >&"$fd"; sleep 10
		printf '\001bl' >&"$fd"; sleep 10
		kill "$pid" 2>/dev/null || true
		sleep 5
		kill -9 "$pid" 2>/dev/null || true
	fi
	rc=0
	wait "$pid" || rc=$?
	exec {fd}>&-
	rm -f "$fifo"
	secs=$(( $(date +%s) - start ))
	touch "$res"
}

boot "$console" "$tap"
crashed=0

# ---- results ----------------------------------------------------------
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

# A script a shell error stopped (an arithmetic or a syntax error ends
# the shell) left its remaining checks unrun: the harness's init prints
# "ran all of" after each script's last line, and lib.sh's stop_script
# "stopped on purpose".  A guest that did not finish is counted below.
while IFS= read -r s; do
	failed=$((failed + 1))
	echo "not ok - $t: $s stopped before its last line (a shell error?): its checks after that did not run"
	tr -d '\r' <"$tap" | awk -v s="$s" '$0 == "# harness: run " s { p = 1; next } p && /^# harness: end / { p = 0 }
		p && !/^(ok|not ok) / && !/^#/' | tail -n 5 | sed 's/^/#   /'
done < <(tr -d '\r' <"$tap" | awk '/^# harness: run / { s = $4 }
	/^# harness: (ran all of|stopped on purpose)/ { s = "" }
	/^# harness: end / { if (s != "") print s; s = "" }')

if grep -q '^# harness: done' "$tap"; then
	passed=$((passed + 1))
	[ "$quiet" = 1 ] || echo "ok - $t: guest '$name' ran to the end (${secs}s)"
else
	failed=$((failed + 1))
	crashed=1
	echo "not ok - $t: guest '$name' did not finish in $(scan_phase "$tap") (qemu exit $rc after ${secs}s; console: $console)"
	! grep -q 'harness: no results channel' "$console" ||
		echo "#   the guest found no results port (no virtio serial device): its TAP went to the console"
	if grep -q '^\*\*\* run-guest: time limit' "$console"; then
		echo "#   -- its state at the time limit (registers, tasks, backtraces):"
		sed -n '/^\*\*\* run-guest: time limit/,$p' "$console" |
			awk '!/^\(qemu\)/ && ++n <= 400 { print "#   " $0 }'
	else
		tail -n 25 "$console" | sed 's/^/#   /'
	fi
fi

if scan_reports "$console" "$injected" >/dev/null; then
	failed=$((failed + 1))
	crashed=1
	read -r first where <<<"$(scan_first_report "$console" "$injected")"
	echo "not ok - $t: console of '$name' has kernel error reports, the first in ${where:-boot} ($console)"
	scan_reports "$console" "$injected" | awk 'NR <= 10 { print "#   " $0 }'
	# The first report whole (its header says what it is), up to 60 lines.
	echo "#   -- the first report, from line $first of the console:"
	sed -n "$((first > 3 ? first - 3 : 1)),$((first + 56))p" "$console" | sed 's/^/#   /'
else
	passed=$((passed + 1))
	[ "$quiet" = 1 ] || echo "ok - $t: console of '$name' is clean"
fi
[ "$injected" = 0 ] ||
	echo "# $t: $(scan_alloc_dumps "$console") allocation-failure dumps of injected failures in the console (not reports)"

# A guest that hung or whose kernel reported an error runs once more, the
# same way (the same scripts, modules and seeds), to say whether that
# repeats.  Its result is only reported: the first run's failure stands.
# KS_GUEST_RERUN=0: no rerun.
if [ "$crashed" = 1 ] && [ "${KS_GUEST_RERUN:-1}" = 1 ]; then
	again_con="$LOGS/$t-$name-again.console"
	again_tap="$LOGS/$t-$name-again.tap"
	boot "$again_con" "$again_tap"
	scan_again "$t" "$again_con" "$again_tap" "$injected"
fi
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
