# SPDX-License-Identifier: GPL-2.0
#
# console-scan.sh - sourced by run-guest.sh (and its host test,
# test-console.sh): what a guest's console and TAP say about the run.
# bash; safe under set -euo pipefail (no function here ends the caller
# because a grep found nothing or a reader stopped early).
#
#   scan_phase TAP             the script the guest was in when it stopped
#   scan_reports CONSOLE INJ   "LINE:TEXT" of each kernel error report
#                              (status 1 if none)
#   scan_first_report CONSOLE INJ
#                              "LINE PHASE" of the first report, or nothing
#   scan_alloc_dumps CONSOLE   how many allocation-failure dumps it holds
#   scan_again T CONSOLE TAP INJ
#                              what a second run of a guest showed
#
# INJ is 1 when the guest made allocations fail on purpose
# (run-guest.sh --alloc-failures-injected): the dumps of those failures
# are not reports.

# The script the guest was in when it stopped.
scan_phase() {	# TAP
	awk '/^# harness: run / { p = $4 } /^# harness: end / { p = "" }
	     END { print p == "" ? "between scripts" : p }' "$1"
}

# Kernel error reports.  Most start with "BUG:" or "WARNING:" (lockdep's,
# KASAN's, might_sleep()'s, the debug objects'); the debug kernel's are
# also listed by their own words, in case a format differs.  Not the bare
# word "lockdep": PROVE_RCU kernels boot with "RCU lockdep checking is
# enabled".
scan_report_words=('BUG:' 'WARNING:' 'Oops' 'Call Trace' 'kernel BUG' 'Kernel panic'
	'general protection fault' 'Unable to handle kernel' 'refcount_t:'
	'KASAN' 'UBSAN' 'ODEBUG' 'DEBUG_LOCKS_WARN_ON' 'non-static key'
	'locking correctness validator' 'lockdep is turned off'
	'possible recursive locking' 'possible circular locking'
	'inconsistent lock state' 'irq lock inversion' 'lock order detected'
	'bad unlock balance' 'held lock freed' 'Invalid wait context'
	'suspicious RCU usage' 'sleeping function called'
	'scheduling while atomic' 'INFO: task .* blocked' 'RCU stall'
	'detected stall' 'BUG [^ ]+ \((Not tainted|Tainted)')
scan_report_pat=$(IFS='|'; echo "${scan_report_words[*]}")

# The header lines of the dumps an allocation failure prints: warn_alloc()'s
# ("page allocation failure", "vmalloc error"), the OOM killer's
# ("invoked oom-killer"), a cache that could not be created, and percpu's.  kmem_cache_create() fails with -ENOMEM or, on
# SLUB up to 6.1 at least, -EINVAL: kmem_cache_open() returns -EINVAL
# whatever failed in it, an allocation of its per-node or per-CPU
# structures included.
scan_alloc_dump='(page allocation failure|vmalloc error|invoked oom-killer): |kmem_cache_create.* failed with error -(12|22)([^0-9]|$)|percpu: allocation failed'

# CONSOLE with each allocation-failure dump (from its header line to the
# end of its call trace) blanked when INJ is 1, keeping line numbers.  A
# dump whose end is lost (a console that interleaved or stopped) ends at
# the next line that is a report of its own, or after 100 lines: it never
# hides what follows it.
scan_without_alloc_dumps() {	# CONSOLE INJ
	if [ "$2" = 1 ]; then
		awk -v h="$scan_alloc_dump" -v r="$scan_report_pat" '{ sub(/\r$/, "") }
			$0 ~ h { skip = 1; n = 0 }
			skip && ($0 ~ r && $0 !~ /(^|\] )Call Trace:/ || ++n > 100) { skip = 0 }
			{ print skip ? "" : $0 }
			skip && /<\/TASK>/ { skip = 0 }' "$1"
	else
		cat "$1"
	fi
}

# The kernel's own reports: not the dumps asked for at the time limit.
scan_reports() {	# CONSOLE INJ
	scan_without_alloc_dumps "$1" "$2" |
		sed '/^\*\*\* run-guest: time limit/,$d' | grep -En "$scan_report_pat"
}

# The first report: "LINE PHASE", the phase from the "ks-harness: run X"
# lines the guest's init writes to the kernel log.
scan_first_report() {	# CONSOLE INJ
	local first
	first=$({ scan_reports "$1" "$2" || true; } | awk -F: 'NR == 1 { print $1 }')
	[ -n "$first" ] || return 0
	echo "$first $(awk -v n="$first" 'NR > n { exit }
		{ if (match($0, /ks-harness: run [^ \r]+/)) p = substr($0, RSTART + 16, RLENGTH - 16) }
		END { print p }' "$1")"
}

scan_alloc_dumps() {	# CONSOLE
	grep -Ec "$scan_alloc_dump" "$1" || true
}

# What a second run of a guest showed: whether it failed again and why
# (failed tests, not finishing, a kernel report), with its first failed
# tests.
scan_again() {	# TARGET CONSOLE TAP INJ
	local why= n first where
	n=$(grep -c '^not ok ' "$3" || true)
	[ "$n" = 0 ] || why="$n failed test(s)"
	grep -q '^# harness: done' "$3" ||
		why="${why:+$why, }did not finish in $(scan_phase "$3")"
	read -r first where <<<"$(scan_first_report "$2" "$4")" || true
	[ -z "$first" ] || why="${why:+$why, }a kernel report in ${where:-boot}"
	if [ -z "$why" ]; then
		echo "# $1: the same run again (same scripts, modules and seeds) passed: the failure above did not repeat"
	else
		echo "# $1: the same run again (same scripts, modules and seeds) failed too: $why ($2)"
		awk '/^not ok / && ++n <= 5 { print "#   again: " $0 }' "$3"
	fi
}
