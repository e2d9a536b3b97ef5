#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-console.sh - host-side checks of scripts/console-scan.sh, what
# run-guest.sh makes of a guest's console and TAP, against the consoles in
# tests/console-fixtures/ (a debug-kernel console's allocation-failure
# dump from a fail-nth load of kmemscope, with the errno it would carry
# when the cache could not be created for want of memory, -12 or -22,
# or for another reason, -17; a real report after such a dump; a report
# in the dump asked for at the time limit; a dump cut short before a
# report; the OOM killer's dump on a console with printk times, then a
# report):
#   - with injected failures, the dumps of allocation failures are not
#     reports, other dumps and later reports are, at their console line,
#     in the guest script the kernel log names;
#   - without injected failures every dump is a report;
#   - what the time-limit dump holds is not a report;
#   - the summary of a second run says why it failed, and a second run
#     whose tests all passed does not end the summary early (under
#     set -euo pipefail, as run-guest.sh runs).
# Prints TAP lines, then "RESULT passed=N failed=N".

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
FX=$ROOT/tests/console-fixtures
# shellcheck source=console-scan.sh
. "$HERE/console-scan.sh"
passed=0 failed=0

ok() { echo "ok - console: $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - console: $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	failed=$((failed + 1))
}
expect_eq() { if [ "$2" = "$3" ]; then ok "$1 = '$3'"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi; }

# The console line where TEXT first appears, read independently of
# console-scan.sh.
line_of() { grep -n -m1 -F "$2" "$FX/$1" | cut -d: -f1; }

for fx in einval-dump eexist-dump dump-then-warning cut-dump-then-warning time-limit oom-dump; do
	for inj in 0 1; do
		got[inj]=$(scan_first_report "$FX/$fx.console" "$inj")
	done
	case $fx in
	einval-dump)
		# kmem_cache_open() failing for want of memory: -EINVAL on 6.1.
		expect_eq "$fx: injected: first report" "${got[1]}" ""
		expect_eq "$fx: not injected: first report" "${got[0]}" \
			"$(line_of $fx.console 'Call Trace') faults.sh"
		expect_eq "$fx: allocation-failure dumps" "$(scan_alloc_dumps "$FX/$fx.console")" 1
		;;
	eexist-dump)
		expect_eq "$fx: injected: first report" "${got[1]}" \
			"$(line_of $fx.console 'Call Trace') faults.sh"
		expect_eq "$fx: allocation-failure dumps" "$(scan_alloc_dumps "$FX/$fx.console")" 0
		;;
	dump-then-warning)
		expect_eq "$fx: injected: first report" "${got[1]}" \
			"$(line_of $fx.console 'WARNING:') faults.sh"
		expect_eq "$fx: not injected: first report" "${got[0]}" \
			"$(line_of $fx.console 'Call Trace') faults.sh"
		;;
	cut-dump-then-warning)
		# A dump without its end does not hide the report after it.
		expect_eq "$fx: injected: first report" "${got[1]}" \
			"$(line_of $fx.console 'WARNING:') faults.sh"
		;;
	time-limit)
		expect_eq "$fx: first report" "${got[0]}" ""
		;;
	oom-dump)
		# The OOM killer's dump, on a console with printk times (a
		# Debian kernel's): its "Call Trace:" does not end it.
		expect_eq "$fx: injected: first report" "${got[1]}" \
			"$(line_of $fx.console 'WARNING:') oom.sh"
		expect_eq "$fx: not injected: first report" "${got[0]}" \
			"$(line_of $fx.console 'Call Trace') oom.sh"
		expect_eq "$fx: allocation-failure dumps" "$(scan_alloc_dumps "$FX/$fx.console")" 1
		;;
	esac
done
n=$(scan_reports "$FX/dump-then-warning.console" 1 | wc -l)
expect_eq "dump-then-warning: injected: report lines" "$n" 1

# A second run: the summary under set -euo pipefail, in a child shell as
# run-guest.sh would run it, must reach its end.
again() {	# CONSOLE TAP
	bash -c 'set -euo pipefail; . "$1/console-scan.sh"
		scan_again x86_64-6.1 "$2" "$3" 1; echo "# end"' sh "$HERE" "$FX/$1" "$FX/$2"
}
out=$(again dump-then-warning.console all-ok.tap)
expect_eq "second run, tests passed, a report: status" "$?" 0
expect_eq "second run, tests passed, a report: summary" "$out" \
	"# x86_64-6.1: the same run again (same scripts, modules and seeds) failed too: a kernel report in faults.sh ($FX/dump-then-warning.console)
# end"
out=$(again einval-dump.console all-ok.tap)
expect_eq "second run that passed: summary" "$out" \
	"# x86_64-6.1: the same run again (same scripts, modules and seeds) passed: the failure above did not repeat
# end"
out=$(again time-limit.console stopped.tap)
expect_eq "second run that stopped: summary" "$out" \
	"# x86_64-6.1: the same run again (same scripts, modules and seeds) failed too: 1 failed test(s), did not finish in faults.sh ($FX/time-limit.console)
#   again: not ok 2 - faults: b
# end"
expect_eq "phase of a TAP that ended" "$(scan_phase "$FX/all-ok.tap")" "between scripts"

echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
