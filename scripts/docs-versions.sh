#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# docs-versions.sh - every debugfs file's documentation states the format
# version the module prints (module/versions.h): its page's "Format
# version X.Y" line, every example's "kmemscope <file> - version: X.Y"
# line, and the table in debugfs-docs/README.md.  One TAP result a file.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
DOCS=$ROOT/debugfs-docs
passed=0 failed=0
ok() { echo "ok - $*"; passed=$((passed + 1)); }
not_ok() { echo "not ok - $*"; failed=$((failed + 1)); }

versions=$(sed -n 's/^#define KS_\([A-Z_]*\)_VERSION[[:space:]]*"\([0-9.]*\)".*/\1 \2/p' \
	"$ROOT/module/versions.h")
[ -n "$versions" ] || { not_ok "docs-versions: no format version in module/versions.h"; versions=; }
while read -r name v; do
	[ -n "$name" ] || continue
	file=$(echo "$name" | tr 'A-Z' 'a-z')
	page=$DOCS/$file.md
	why=
	if [ ! -f "$page" ]; then
		why="no page debugfs-docs/$file.md"
	else
		stated=$(sed -n 's/^Format version \([0-9]*\.[0-9]*\).*/\1/p' "$page" | head -1)
		[ "$stated" = "$v" ] || why="$file.md says Format version '${stated:-none}'"
		bad=$(grep -o "^kmemscope $file - version: [0-9.]*" "$page" |
			awk -v v="$v" '$NF != v { print $NF }' | sort -u | tr '\n' ' ')
		[ -z "$bad" ] || why="${why:+$why; }an example of $file.md prints version ${bad% }"
		grep -q "^kmemscope $file - version: $v\$" "$page" ||
			why="${why:+$why; }$file.md has no example of version $v"
		row=$(grep "^| \[$file\]($file.md) |" "$DOCS/README.md" | awk -F'|' '{ gsub(/ /, "", $(NF-1)); print $(NF-1) }')
		[ "$row" = "$v" ] || why="${why:+$why; }README.md's table says '${row:-no row}'"
	fi
	if [ -z "$why" ]; then
		ok "docs-versions: $file $v"
	else
		not_ok "docs-versions: $file prints $v, but $why"
	fi
done <<<"$versions"
# Every page is of a file the module prints.
for page in "$DOCS"/*.md; do
	file=$(basename "$page" .md)
	[ "$file" = README ] && continue
	echo "$versions" | awk '{ print tolower($1) }' | grep -qx "$file" ||
		not_ok "docs-versions: debugfs-docs/$file.md documents no file in module/versions.h"
done
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
