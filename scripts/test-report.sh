#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test-report.sh - kmemscope-snap report as a person sees it: the page of
# the snapshot tests/snap-fixtures/full (every file; see test-snap.sh) and
# of tests/snap-fixtures/a (version 1.0: files missing), opened in
# Debian's headless Chromium (scripts/deps.sh installs it), which prints
# the DOM it built (--dump-dom) and takes a screenshot (--screenshot).
# Checks that the browser parsed what the page says: every section
# heading, a module's row and figures, the account's segments, the call
# site with < and & as text (not as elements), no script element, the
# missing files' notes; and that the screenshot is a PNG of the asked size
# (its IHDR, read with od) with far more in it than a blank page of the
# same size.  Each Chromium run is under "timeout 120".  The screenshot
# stays in out/test-report.png.  Prints TAP lines, then
# "RESULT passed=N failed=N".

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOL=$ROOT/tools/kmemscope-snap
FIX=$ROOT/tests/snap-fixtures
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
W=1280 H=2000
passed=0 failed=0

ok() { echo "ok - report: $1"; passed=$((passed + 1)); }
not_ok() {
	echo "not ok - report: $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	failed=$((failed + 1))
}
expect_eq() { if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi; }
finish() {
	echo "RESULT passed=$passed failed=$failed"
	[ "$failed" = 0 ]
	exit
}

CHROME=
for c in chromium-headless-shell chromium; do
	if command -v "$c" >/dev/null 2>&1; then
		CHROME=$c
		break
	fi
done
if [ -z "$CHROME" ]; then
	not_ok "headless Chromium installed" "neither chromium-headless-shell nor chromium is in PATH (scripts/deps.sh installs it)"
	finish
fi
ok "headless Chromium: $CHROME ($("$CHROME" --version 2>/dev/null | head -n1))"

# browser ARGS...: Chromium headless, its own profile, at most 120 s
browser() {
	timeout 120 "$CHROME" --headless --disable-gpu --no-sandbox --user-data-dir="$TMP/profile" \
		--window-size=$W,$H "$@" 2>>"$TMP/chrome.log"
}
# png_size FILE: "WIDTH HEIGHT" from the IHDR chunk (bytes 16..23, big-endian)
png_size() {
	od -An -v -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d", (($1 * 256 + $2) * 256 + $3) * 256 + $4, (($5 * 256 + $6) * 256 + $7) * 256 + $8 }'
}
size() { wc -c <"$1" | tr -d ' '; }
# distinct FILE: how many of the 256 byte values FILE holds
distinct() { od -An -v -tu1 "$1" | tr -s ' ' '\n' | grep . | sort -u | wc -l | tr -d ' '; }

# ---- the page of the full snapshot ----------------------------------------
page=$TMP/full.html
if sh "$TOOL" report "$FIX/full" "$page" >/dev/null 2>"$TMP/err"; then
	ok "kmemscope-snap report tests/snap-fixtures/full"
else
	not_ok "kmemscope-snap report tests/snap-fixtures/full" "$(cat "$TMP/err")"
	finish
fi

browser --dump-dom "file://$page" >"$TMP/dom.html"
rc=$?
expect_eq "--dump-dom: exit status, a DOM" "$rc $(grep -c '</html>' "$TMP/dom.html")" "0 1"
dom=$TMP/dom.html
# the headings as text
expect_eq "DOM: the section headings" "$(sed -n 's/.*<h2>\([^<]*\)<span.*/\1/p' "$dom" | tr '\n' '|')" \
	"RAM account|Modules|Top call sites|Tasks|Leaks and unload reports|Growth (kmemscope-snap watch)|Processes: user memory (kmemscope-snap procs)|"
expect_eq "DOM: the header's kernel and machine" \
	"$(grep -o '<tr><th>\(kernel\|machine\)</th><td>[^<]*</td></tr>' "$dom" | sed 's/<[^>]*>/ /g' | tr -s ' ' | tr '\n' '|')" \
	" kernel 6.1.0-56-arm64 | machine aarch64 |"
# a module's row: the browser built a row of cells, with its figures
expect_eq "DOM: module rust_drv's row (name, state, total, kmalloc bytes, count)" \
	"$(grep -o '<tr><td>rust_drv</td><td>loaded</td><td class="n">8192</td><td class="n">8192</td>' "$dom" | wc -l | tr -d ' ')" 1
expect_eq "DOM: module drv_a: total_bytes 57344" \
	"$(grep -c '<tr><td>drv_a</td><td>loaded</td><td class="n">57344</td>' "$dom")" 1
expect_eq "DOM: the modules table: a header row and 9 rows" \
	"$(sed -n '/<table class="modules">/,/<\/table>/p' "$dom" | grep -o '<tr>' | wc -l | tr -d ' ')" 10
# < and & in a call site: text in a cell, no element made of it
expect_eq "DOM: the call site with < and & is text in its cell" \
	"$(grep -c '<td class="s">&lt;kernel::str::CString as core::convert::TryFrom&lt;&amp;core::fmt::Arguments&gt;&gt;::try_from+0x5c \[rust_drv\]</td>' "$dom")" 1
expect_eq "DOM: no element made of page text (<kernel::...>), no script element" \
	"$(grep -ci -e '<kernel::' -e '<script' "$dom")" 0
expect_eq "DOM: the account bar: 16 segments, nomap_reserved 21.484 and managed.free 846.413 wide" \
	"$(grep -c '<rect class="seg"' "$dom") $(grep -o '<rect class="seg" x="[0-9.]*" y="0" width="[0-9.]*" height="48" fill="#[0-9a-f]*"><title>\(nomap_reserved\|managed.free\):' "$dom" |
		sed 's/.*width="\([0-9.]*\)".*<title>\(.*\):/\2=\1/' | tr '\n' ' ')" \
	"16 nomap_reserved=21.484 managed.free=846.413 "
expect_eq "DOM: the growth chart and the process total" \
	"$(sed -n '/<section id="growth">/,/<\/section>/p' "$dom" | grep -c '<polyline') $(grep -c '<td>total: 5</td><td class="s">-</td><td class="n">123421</td>' "$dom")" "21 1"

# ---- the screenshot, and a blank page's -----------------------------------
# now_ms: milliseconds since the epoch (to the second where date has no %N)
now_ms() {
	t=$(date +%s%N 2>/dev/null)
	case $t in
	'' | *[!0-9]*) echo "$(($(date +%s) * 1000))" ;;
	*) echo "$((t / 1000000))" ;;
	esac
}
s0=$(now_ms)
browser --screenshot="$TMP/full.png" "file://$page" >/dev/null
rc=$?
ms=$(($(now_ms) - s0))
expect_eq "--screenshot: exit status, a file" "$rc $([ -s "$TMP/full.png" ] && echo yes)" "0 yes"
expect_eq "the screenshot is a PNG (magic bytes)" "$(od -An -tx1 -N8 "$TMP/full.png" | tr -d ' \n')" 89504e470d0a1a0a
expect_eq "the screenshot is the window's size (IHDR)" "$(png_size "$TMP/full.png")" "$W $H"
printf '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>blank</title></head><body></body></html>\n' >"$TMP/blank.html"
browser --screenshot="$TMP/blank.png" "file://$TMP/blank.html" >/dev/null
expect_eq "a blank page's screenshot, for comparison: the same size" "$(png_size "$TMP/blank.png")" "$W $H"
fs=$(size "$TMP/full.png") bs=$(size "$TMP/blank.png")
fd=$(distinct "$TMP/full.png") bd=$(distinct "$TMP/blank.png")
if [ "$fs" -gt $((bs * 10)) ] && [ "$fd" -ge 250 ]; then
	ok "the screenshot holds far more than a blank page: $fs bytes (blank: $bs), $fd distinct byte values (blank: $bd); rendered in ${ms} ms"
else
	not_ok "the screenshot holds far more than a blank page" "$fs bytes (blank: $bs; want > 10 x), $fd distinct byte values (blank: $bd; want >= 250)"
fi
mkdir -p "$ROOT/out"
cp "$TMP/full.png" "$ROOT/out/test-report.png"

# ---- a snapshot with files missing ----------------------------------------
sh "$TOOL" report "$FIX/a" "$TMP/a.html" >/dev/null 2>"$TMP/err" || not_ok "kmemscope-snap report tests/snap-fixtures/a" "$(cat "$TMP/err")"
browser --dump-dom "file://$TMP/a.html" >"$TMP/a-dom.html"
expect_eq "DOM of a (version 1.0): a note for each file it lacks" \
	"$(grep -o '<p class="missing">[^<]*</p>' "$TMP/a-dom.html" | sed 's/<[^>]*>//g' | tr '\n' '|')" \
	"not in this snapshot (no account file)|not in this snapshot (no tasks file)|not in this snapshot (no leaks file)|not in this snapshot (no samples.tsv file)|not in this snapshot (no procs file)|"
expect_eq "DOM of a: its modules (kernel 68096 bytes)" "$(grep -c '<tr><td>kernel</td><td>builtin</td><td class="n">68096</td>' "$TMP/a-dom.html")" 1

if command -v shellcheck >/dev/null 2>&1; then
	out=$(shellcheck -s sh -S warning "$0" 2>&1) && ok "shellcheck -s sh" || not_ok "shellcheck -s sh" "$out"
fi
finish
