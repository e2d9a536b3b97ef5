#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# soak.sh [TARGET] [MINUTES] - kmemscope loaded under load for a long time
# (default arm64-6.12, 30 minutes): tests/guest/soak.sh in a guest with 4
# vCPUs.  Prints a line of figures a minute and a verdict; not part of
# make check.  Console and output: out/logs/TARGET-soak.*.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"

t=${1:-arm64-6.12}
mins=${2:-30}
valid_target "$t" || die "unknown target '$t' (known: $KNOWN_TARGETS)"
[[ $mins =~ ^[1-9][0-9]*$ ]] || die "MINUTES must be a whole number of minutes, not '$mins'"
"$HERE/build.sh" "$t" >/dev/null
"$HERE/run-guest.sh" --name soak --smp 4 --mem 1G --timeout $((mins * 60 + 900)) \
	--append "ks.soak_min=$mins" "$t" soak.sh
