#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test-bar.sh - host-side checks of tools/kmemscope-bar against
# tests/snap-fixtures/account-demo (the demo board's account file, as
# kmemscope printed it on arm64-6.12, 4 KiB pages) and account-demo-16k
# (the same board on arm64-6.12-16k, 16 KiB pages: a quarter of the pages,
# the same megabytes), and variants of them: the segments are the positive
# leaf lines, their widths add up to the bar, a line below zero is listed
# but not drawn, zone lines are not account lines (no legend row), every
# legend colour is distinct (also with more lines than the palette has),
# --parts gives the figures and widths the SVG is drawn from,
# and input that is not an account, or whose lines do not
# add up, is refused without writing anything.  Runs each check under
# this system's sh and, when installed, busybox sh.
# Prints TAP lines, then "RESULT passed=N failed=N".

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOL=$ROOT/tools/kmemscope-bar
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0 fl=

ok() { echo "ok - bar: $fl: $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - bar: $fl: $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	failed=$((failed + 1))
}
expect_eq() { if [ "$2" = "$3" ]; then ok "$1 = $3"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi; }

# Independent of the tool: the account's leaf lines with pages > 0.
leaves() {
	awk '/^[a-z]/ && $2 ~ /^-?[0-9]+$/ && $1 != "physical_ram" && $1 != "kernel_ram" &&
	     $1 != "boot_reserved" && $1 != "managed" && $1 !~ /:$/ && $2 > 0 { print $1 }' "$1"
}

# The fill colours of the legend's swatches, one a line.
swatches() { grep -o '<rect x="20" y="[0-9]*" width="12" height="12" fill="#[0-9a-f]*"' "$1" | sed 's/.*fill="//; s/"//'; }

# checks ACCOUNT: every check on one account file.  The figures are the
# demo board's, whatever its page size: 512 MB of RAM, 11 MB no-map.
checks() {
	ACC=$1
	psz=$(sed -n 's/^page_size: //p' "$ACC")
	unexpl=$(awk '$1 == "managed.unexplained" { print $2 }' "$ACC")
	$SH "$TOOL" "$ACC" "$TMP/out.svg" 2>"$TMP/err" && ok "renders the demo account" ||
		not_ok "renders the demo account" "$(cat "$TMP/err")"
	expect_eq "first line" "$(head -c 4 "$TMP/out.svg")" "<svg"
	expect_eq "last line" "$(tail -n 1 "$TMP/out.svg")" "</svg>"
	expect_eq "segments drawn" "$(grep -o 'class="seg"[^>]*><title>[^:]*' "$TMP/out.svg" | sed 's/.*<title>//' | tr '\n' ' ')" \
		"$(leaves "$ACC" | tr '\n' ' ')"
	expect_eq "segment widths fill the bar" "$(grep -o 'class="seg"[^>]* width="[0-9.]*"' "$TMP/out.svg" |
		sed 's/.*width="//; s/"//' | awk '{ s += $1 } END { printf "%.2f", s }')" "1000.00"
	expect_eq "no-map segment size" "$(grep -o '<title>nomap_reserved: [0-9.]* MB' "$TMP/out.svg")" \
		"<title>nomap_reserved: 11.00 MB"
	expect_eq "title" "$(grep -o 'Where [0-9.]* MB of RAM went' "$TMP/out.svg")" "Where 512.0 MB of RAM went"
	expect_eq "page size in the subtitle" "$(grep -o 'pages of [0-9]* bytes' "$TMP/out.svg")" "pages of $psz bytes"
	# Each segment's MB: its pages x the file's page_size, not x 4096.
	expect_eq "segment sizes (MB) = pages x page_size" \
		"$(grep -o 'class="seg"[^>]*><title>[^<]*' "$TMP/out.svg" | sed 's/.*<title>//' | tr '\n' ' ')" \
		"$(leaves "$ACC" | while read -r l; do
			awk -v n="$l" -v p="$psz" '$1 == n { printf "%s: %.2f MB ", n, $2 * p / 1048576 }' "$ACC"
		done)"
	grep -q '>zone:' "$TMP/out.svg" && not_ok "no legend row for zone lines" "$(grep -o '>zone:[^<]*' "$TMP/out.svg")" ||
		ok "no legend row for zone lines"
	expect_eq "legend rows" "$(grep -c '<text x="38" y="[0-9]*">' "$TMP/out.svg")" \
		"$(awk '/^[a-z]/ && $2 ~ /^-?[0-9]+$/ && $1 != "physical_ram" && $1 != "kernel_ram" &&
		     $1 != "boot_reserved" && $1 != "managed" && $1 !~ /:$/' "$ACC" | wc -l | tr -d ' ')"
	expect_eq "legend colours distinct" "$(swatches "$TMP/out.svg" | sort | uniq -d | tr '\n' ' ')" ""
	# --parts: what the SVG is drawn from, the same figures
	$SH "$TOOL" --parts "$ACC" >"$TMP/parts" 2>"$TMP/err" && ok "--parts" || not_ok "--parts" "$(cat "$TMP/err")"
	expect_eq "--parts: the bar line" "$(head -n1 "$TMP/parts" | cut -f1-5 | tr '\t' ' ')" \
		"bar $psz $(awk '$1 == "physical_ram" { print $2, $3 }' "$ACC") 1000"
	expect_eq "--parts: a line per leaf, pages and kB as the account's" "$(awk -F '\t' '$1 == "part" { printf "%s %s %s, ", $2, $3, $4 }' "$TMP/parts")" \
		"$(awk '/^[a-z]/ && $2 ~ /^-?[0-9]+$/ && $1 != "physical_ram" && $1 != "kernel_ram" &&
		     $1 != "boot_reserved" && $1 != "managed" && $1 !~ /:$/ { printf "%s %s %s, ", $1, $2, $3 }' "$ACC")"
	expect_eq "--parts: the drawn parts' widths and colours = the SVG's segments" \
		"$(awk -F '\t' '$1 == "part" && $7 != "-" { printf "%s %s, ", $8, $6 }' "$TMP/parts")" \
		"$(grep -o 'class="seg"[^>]* width="[0-9.]*" height="[0-9]*" fill="#[0-9a-f]*"' "$TMP/out.svg" |
			sed 's/.*width="\([0-9.]*\)".*fill="\(#[0-9a-f]*\)"/\1 \2, /' | tr -d '\n')"
	$SH "$TOOL" - <"$ACC" >"$TMP/stdin.svg" && cmp -s "$TMP/out.svg" "$TMP/stdin.svg" &&
		ok "reads standard input, writes standard output" || not_ok "reads standard input, writes standard output"

	# Below zero: unexplained -100, free +100 so that the sums still close.
	awk -v u="$unexpl" '$1 == "managed.unexplained" { $2 = -100 } $1 == "managed.free" { $2 += 100 + u } { print }' \
		"$ACC" >"$TMP/neg"
	$SH "$TOOL" "$TMP/neg" "$TMP/neg.svg" 2>"$TMP/err" && ok "renders a line below zero" ||
		not_ok "renders a line below zero" "$(cat "$TMP/err")"
	grep -q '<title>managed.unexplained' "$TMP/neg.svg" && not_ok "a line below zero is not drawn" ||
		ok "a line below zero is not drawn"
	grep -q 'managed.unexplained (below zero: not drawn)' "$TMP/neg.svg" &&
		ok "a line below zero is listed" || not_ok "a line below zero is listed"

	# 40 more managed.direct.* lines, more than the palette has colours;
	# free gives up their pages.  A second zone.
	awk -v kb=$((psz / 1024)) '$1 == "managed.free" { $2 -= 40 }
	     $1 == "managed.unexplained" { for (i = 1; i <= 40; i++) printf "managed.direct.mod%d 1 %d x\n", i, kb }
	     $1 == "zone:" { print; $3 = "Normal" } { print }' "$ACC" >"$TMP/many"
	$SH "$TOOL" "$TMP/many" "$TMP/many.svg" 2>"$TMP/err" && ok "renders 60 lines" ||
		not_ok "renders 60 lines" "$(cat "$TMP/err")"
	expect_eq "60 lines: swatches" "$(swatches "$TMP/many.svg" | wc -l | tr -d ' ')" "$(leaves "$TMP/many" | wc -l | tr -d ' ')"
	expect_eq "60 lines: legend colours distinct" "$(swatches "$TMP/many.svg" | sort | uniq -d | tr '\n' ' ')" ""
	expect_eq "60 lines: segment colours distinct" "$(grep -o 'class="seg"[^>]* fill="#[0-9a-f]*"' "$TMP/many.svg" |
		sed 's/.*fill="//; s/"//' | sort | uniq -d | tr '\n' ' ')" ""

	# A zone on node 1: its node number is not a page count.
	awk '$1 == "zone:" { print; $2 = 1; $3 = "Normal" } { print }' "$ACC" >"$TMP/node1"
	$SH "$TOOL" "$TMP/node1" "$TMP/node1.svg" 2>"$TMP/err" && ok "renders zones on node 1" ||
		not_ok "renders zones on node 1" "$(cat "$TMP/err")"

	awk '$1 == "managed.free" { $2 += 1 } { print }' "$ACC" >"$TMP/bad"
	if $SH "$TOOL" "$TMP/bad" "$TMP/bad.svg" 2>"$TMP/err"; then
		not_ok "refuses lines that do not add up"
	else
		grep -q 'do not add up' "$TMP/err" && [ ! -e "$TMP/bad.svg" ] &&
			ok "refuses lines that do not add up, writes nothing" ||
			not_ok "refuses lines that do not add up, writes nothing" "$(cat "$TMP/err")"
	fi
	if echo "kmemscope summary - version: 2.0" | $SH "$TOOL" - >"$TMP/x.svg" 2>"$TMP/err"; then
		not_ok "refuses another file"
	else
		grep -q 'not a kmemscope account file' "$TMP/err" && ok "refuses another file" ||
			not_ok "refuses another file" "$(cat "$TMP/err")"
	fi
}

for f in account-demo account-demo-16k; do
	fl="sh: $f" SH=sh
	checks "$ROOT/tests/snap-fixtures/$f"
	if command -v busybox >/dev/null 2>&1; then
		fl="busybox: $f" SH="busybox sh"
		mkdir -p "$TMP/bb"
		for a in awk sed grep head tail; do ln -sf "$(command -v busybox)" "$TMP/bb/$a"; done
		PATH="$TMP/bb:$PATH" checks "$ROOT/tests/snap-fixtures/$f"
	fi
done
fl=lint
if command -v shellcheck >/dev/null 2>&1; then
	out=$(shellcheck -s sh -S warning "$TOOL" "$0" 2>&1) && ok "shellcheck -s sh" ||
		not_ok "shellcheck -s sh" "$out"
fi
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
