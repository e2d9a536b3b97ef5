#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [TARGET] - `make demo [TARGET=...]`: build kmemscope for a
# Debian kernel (default arm64-6.1), boot it in QEMU (arm64: the virt
# board with the carve-outs of dts-overlays/demo-board.dtso), load
# kmemscope and a test driver, and print what kmemscope sees.  Ends with
# the snapshot the guest took (tools/kmemscope-snap snapshot, sent as a
# base64 tar.gz on the results channel) unpacked into out/demo-snapshot/
# and made into a page, out/demo-report.html (kmemscope-snap report;
# drawn by headless Chromium into out/demo-report.png where it is
# installed).  Installs what it needs on first use (deps.sh).
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

T=${1:-arm64-6.1}
valid_target "$T" || die "unknown target '$T' (known: $KNOWN_TARGETS)"
MEM=512M
SMP=2
start=$(date +%s)
"$HERE/deps.sh" "$T"
"$HERE/build.sh" "$T" >/dev/null
mkdir -p "$ROOT/out/$T" "$ROOT/out/logs"
. "$CACHE/targets/$T/env"
board=()
if [ "$ARCH" = arm64 ]; then
	"$HERE/dtb.sh" demo-board "$MEM" "$SMP" "$ROOT/out/$T/demo-board.dtb"
	board=(--dtb "$ROOT/out/$T/demo-board.dtb")
fi
log "booting $T's kernel ($KREL; QEMU, software emulation)"
rc=0
"$HERE/run-guest.sh" --quiet --name demo --mem "$MEM" --smp "$SMP" \
	${board[@]+"${board[@]}"} "$T" demo.sh >"$ROOT/out/logs/demo.result" || rc=$?
tap="$ROOT/out/logs/$T-demo.tap"
grep -v '^# harness:' "$tap" | grep -v '^ok - ' |
	sed '/^kmemscope-snap-tar-begin$/,/^kmemscope-snap-tar-end$/c\
(the snapshot, as a base64 tar.gz: unpacked into out/demo-snapshot/ below)'
grep '^not ok' "$ROOT/out/logs/demo.result" || true
# The account, drawn: out/demo-account.svg.
# (from its version line to its notes, then its pool rows)
awk '/^kmemscope account - version/ { on = 1 }
	on == 2 && !/^(pool: |# pool: |note: pools|$)/ { exit }
	on { print } on && /^note: cma/ { on = 2 }' "$ROOT/out/logs/$T-demo.tap" >"$ROOT/out/demo-account.txt"
if "$ROOT/tools/kmemscope-bar" "$ROOT/out/demo-account.txt" "$ROOT/out/demo-account.svg"; then
	echo
	echo "the account as a stacked bar: out/demo-account.svg"
else
	rc=1
fi
echo
echo "(console log: out/logs/$T-demo.console; $(( $(date +%s) - start ))s)"
# The guest's snapshot, as a page: out/demo-report.html.
snap="$ROOT/out/demo-snapshot"
page="$ROOT/out/demo-report.html"
rm -rf "$snap" "$page" "$ROOT/out/demo-report.png"
mkdir -p "$snap"
if sed -n '/^kmemscope-snap-tar-begin$/,/^kmemscope-snap-tar-end$/p' "$tap" | sed '1d;$d' |
	base64 -d | tar -xzf - -C "$snap" &&
	"$ROOT/tools/kmemscope-snap" report "$snap" "$page" >/dev/null; then
	chrome=$(command -v chromium-headless-shell || command -v chromium || true)
	if [ -n "$chrome" ]; then
		prof=$(mktemp -d)
		if timeout 120 "$chrome" --headless --disable-gpu --no-sandbox --user-data-dir="$prof" \
			--window-size=1280,2000 --screenshot="$ROOT/out/demo-report.png" "file://$page" >/dev/null 2>&1; then
			echo "the page, as a browser shows its top: out/demo-report.png"
		else
			echo "(headless Chromium could not render the page: no out/demo-report.png)"
		fi
		rm -rf "$prof"
	fi
	echo "the snapshot (out/demo-snapshot/) as a page: out/demo-report.html"
else
	echo "no snapshot from the guest (out/demo-snapshot/): no out/demo-report.html" >&2
	rc=1
fi
exit $rc
