# SPDX-License-Identifier: GPL-2.0
# lib.sh - shared definitions for kmemscope's scripts (sourced, not run).

CACHE=${KMEMSCOPE_CACHE:-$HOME/.cache/kmemscope}
ALL_TARGETS="x86_64-6.1 x86_64-6.12 x86_64-6.12-rt arm64-6.1 arm64-6.12 kunit debug"
STOCK_TARGETS="x86_64-6.1 x86_64-6.12 x86_64-6.12-rt arm64-6.1 arm64-6.12"

log() { echo "kmemscope: $*" >&2; }
die() { echo "kmemscope: error: $*" >&2; exit 1; }

valid_target() {
	local t
	for t in $ALL_TARGETS; do
		[ "$t" = "$1" ] && return 0
	done
	return 1
}
