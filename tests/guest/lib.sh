# SPDX-License-Identifier: GPL-2.0
# lib.sh - TAP helpers for kmemscope's guest test scripts (sourced).
#
#   ok DESC / not_ok DESC [DIAG...]    one result
#   expect_eq DESC GOT WANT            ok when equal, else not ok with both
#   section NAME                       prefixes the following descriptions
# Results are "ok - [section] desc" / "not ok - [section] desc"; the host
# numbers and counts them.

KS=/sys/kernel/debug/kmemscope
_section=

section() { _section="$*"; }

ok() { echo "ok - ${_section:+$_section: }$1"; }

not_ok() {
	local d=$1
	shift
	echo "not ok - ${_section:+$_section: }$d"
	for l in "$@"; do echo "#   $l"; done
}

expect_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1 = $3"
	else
		not_ok "$1" "got:  '$2'" "want: '$3'"
	fi
}

# caller_row FUNC: the callers rows of the sites in function FUNC, summed:
# "live_bytes live_req live_count allocs frees allocator [module]".
caller_row() {
	awk -v f="$1" '
		!/^#/ && NF >= 8 {
			split($7, a, "+");
			if (a[1] == f) { b += $1; r += $2; c += $3; al += $4; fr += $5; k = $6; m = $8; n++ }
		}
		END { if (n) print b, r, c, al, fr, k, m }' "$KS/callers"
}

# summary_field KEY: the value of "KEY: value" in the summary.
summary_field() {
	sed -n "s/^$1: *//p" "$KS/summary" | head -n1
}
