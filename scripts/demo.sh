#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# demo.sh [TARGET] - `make demo [TARGET=...]`: build kmemscope for a
# Debian kernel (default arm64-6.1), boot it in QEMU (arm64: the virt
# board with the carve-outs of dts-overlays/demo-board.dtso), load
# kmemscope and a test driver, and print what kmemscope sees.  Installs
# what it needs on first use (deps.sh).
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
grep -v '^# harness:' "$ROOT/out/logs/$T-demo.tap" | grep -v '^ok - '
grep '^not ok' "$ROOT/out/logs/demo.result" || true
# The account, drawn: out/demo-account.svg.
sed -n '/^kmemscope account - version/,/^note: cma/p' "$ROOT/out/logs/$T-demo.tap" >"$ROOT/out/demo-account.txt"
if "$ROOT/tools/kmemscope-bar" "$ROOT/out/demo-account.txt" "$ROOT/out/demo-account.svg"; then
	echo
	echo "the account as a stacked bar: out/demo-account.svg"
else
	rc=1
fi
echo
echo "(console log: out/logs/$T-demo.console; $(( $(date +%s) - start ))s)"
exit $rc
