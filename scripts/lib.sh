# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared definitions for kmemscope's scripts (sourced, not run).

CACHE=${KMEMSCOPE_CACHE:-$HOME/.cache/kmemscope}
# Debian's archive (the host's own sources name it too).
MIRROR=${KMEMSCOPE_MIRROR:-http://deb.debian.org/debian}
SECURITY_MIRROR=${KMEMSCOPE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}

# Targets, oldest kernel first.  Stock targets are Debian's own kernels;
# kunit and debug are x86_64 kernels built here from Debian's 6.1 source.
STOCK_TARGETS="x86_64-5.10 arm64-5.10 x86_64-6.1 arm64-6.1 x86_64-6.12 arm64-6.12 arm64-6.12-16k x86_64-6.12-rt x86_64-7.2 arm64-7.2"
ALL_TARGETS="$STOCK_TARGETS kunit debug"
# Targets make check leaves out: bench is an x86_64 kernel built here from
# Debian's 6.12 source with the kernel's own allocation trackers (memory
# allocation profiling, kmemleak) compiled in, for make bench.
EXTRA_TARGETS="bench"
KNOWN_TARGETS="$ALL_TARGETS $EXTRA_TARGETS"
# What `make check` runs by default: every target.
CHECK_TARGETS=$ALL_TARGETS
# Targets that run every test; the others run the core suite (test.sh).
FULL_TARGETS="x86_64-6.1 arm64-6.12 arm64-6.12-16k x86_64-6.12-rt kunit debug"

log() { echo "kmemscope: $*" >&2; }
die() { echo "kmemscope: error: $*" >&2; exit 1; }

valid_target() {
	local t
	for t in $KNOWN_TARGETS; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}

is_full_target() {
	case " $FULL_TARGETS " in *" $1 "*) return 0 ;; esac
	return 1
}

# target_suite TARGET: the Debian release whose kernel and toolchain the
# target uses.  bookworm is the host's own; the others build in a chroot
# of their release ($CACHE/chroot/SUITE, made by deps.sh): their kbuild
# tools need that release's libraries and compiler.
target_suite() {
	case $1 in
	*-5.10) echo bullseye ;;
	*-16k) echo trixie ;;
	*-7.2) echo sid ;;
	*) echo bookworm ;;
	esac
}

# in_chroot SUITE CMD...: run CMD in SUITE's chroot, with /proc mounted
# in a mount namespace of its own (gone when CMD ends) and a clean
# environment.
in_chroot() {
	local d="$CACHE/chroot/$1"
	shift
	[ -f "$d/.ks-ready" ] || die "no chroot at $d (scripts/deps.sh makes it)"
	unshare --mount sh -c 'mount -t proc proc "$0/proc" &&
		exec chroot "$0" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
			HOME=/root LC_ALL=C DEBIAN_FRONTEND=noninteractive "$@"' "$d" "$@"
}

# prune_build_trees DIR: remove the build trees build.sh left in DIR (a
# chroot's /tmp: kmemscope-<8 hex digits>-<target>/, one per clone path
# and target) whose clone is gone, by the path each keeps in .root, and
# those without .root once they are a day old; anything else in DIR
# stays.  Fresh clones would otherwise pile them up in the cache.
prune_build_trees() {
	local d
	for d in "$1"/kmemscope-[0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f][0-9a-f]-*/; do
		[ -d "$d" ] || continue
		if [ -f "$d.root" ]; then
			[ -d "$(cat "$d.root")" ] || rm -rf "$d"
		elif [ -n "$(find "$d" -maxdepth 0 -mtime +0)" ]; then
			rm -rf "$d"
		fi
	done
}

# add_results CMD...: run CMD, a test script whose output is TAP ending
# in "RESULT passed=N failed=N"; its output passes through without that
# line and its counts add up in the caller's $passed and $failed.  A CMD
# that ends without a RESULT line counts as one failure.
add_results() {
	local out res
	out=$(mktemp)
	"$@" | tee "$out" | grep -v '^RESULT '
	res=$(sed -n 's/^RESULT passed=\([0-9]*\) failed=\([0-9]*\)$/\1 \2/p' "$out" | tail -n1)
	rm -f "$out"
	if [ -n "$res" ]; then
		passed=$((passed + ${res% *}))
		failed=$((failed + ${res#* }))
	else
		echo "not ok - $(basename "$1"): ended without a result"
		failed=$((failed + 1))
	fi
}

# log_step LOG DESC CMD...: run CMD with its output appended to LOG; then
# the caller's ok DESC, or its not_ok with LOG's last lines.  Returns
# CMD's status.
log_step() {
	local log=$1 d=$2
	shift 2
	echo "# $*" >>"$log"
	if "$@" >>"$log" 2>&1; then
		ok "$d"
	else
		not_ok "$d (log: $log)"
		tail -n 20 "$log" | sed 's/^/#   /'
		return 1
	fi
}

# guest_suite NAME: the test scripts of tests/guest/ whose second line is
# "# suite: NAME [ORDER]", by ORDER (none: after those with one), then
# by name.  Every script there names its suite: "integration" (the whole
# suite, in the integration guest), "debian-modules" (need the target's
# Debian module tree: stock targets only), "races", "lockdown", "stress",
# "faults" (the debug kernel's fault injection, test.sh) and "dkms"
# (dkms-test.sh).
guest_suite() {
	awk -v s="$1" 'FNR == 2 && $1 == "#" && $2 == "suite:" && $3 == s {
		n = FILENAME; sub(/.*\//, "", n)
		print ($4 == "" ? 999999 : $4), n
	}' "$(dirname "${BASH_SOURCE[0]}")"/../tests/guest/*.sh | sort -k1,1n -k2,2 | cut -d' ' -f2 | tr '\n' ' ' | sed 's/ $//'
}
