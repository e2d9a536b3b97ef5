#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# test-prune.sh - host-side check of lib.sh's prune_build_trees(), which
# build.sh runs on a chroot's /tmp before it builds there: in a made-up
# /tmp, the build tree of a clone that is gone is removed, as is a tree
# without .root a day old; the tree of a clone that is still there, a new
# tree without .root, and whatever else /tmp holds (a name that is not a
# build tree's, a file) stay.
# Prints TAP lines, then "RESULT passed=N failed=N".
set -u

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
passed=0 failed=0

ok() { echo "ok - prune: $1"; passed=$((passed + 1)); }
not_ok() { echo "not ok - prune: $1"; failed=$((failed + 1)); }
gone() { if [ -e "$TMP/tmp/$1" ]; then not_ok "$2: removed"; else ok "$2: removed"; fi; }
kept() { if [ -e "$TMP/tmp/$1" ]; then ok "$2: kept"; else not_ok "$2: kept"; fi; }

tree() {	# NAME [CLONE-PATH]: a build tree, with .root when a path is given
	mkdir -p "$TMP/tmp/$1/module"
	echo x >"$TMP/tmp/$1/module/a.o"
	[ $# -lt 2 ] || echo "$2" >"$TMP/tmp/$1/.root"
}

mkdir -p "$TMP/clone" "$TMP/tmp"
tree kmemscope-0123abcd-x86_64-7.2 "$TMP/clone"
tree kmemscope-89abcdef-x86_64-7.2 "$TMP/clone-gone"
tree kmemscope-89abcdef-arm64-7.2 "$TMP/clone-gone"
tree kmemscope-fedcba98-x86_64-5.10
touch -d '2 days ago' "$TMP/tmp/kmemscope-fedcba98-x86_64-5.10"
tree kmemscope-76543210-x86_64-5.10
tree kmemscope-notahash-x86_64-7.2 "$TMP/clone-gone"
tree other-build "$TMP/clone-gone"
echo x >"$TMP/tmp/kmemscope-01234567-file"

prune_build_trees "$TMP/tmp"

kept kmemscope-0123abcd-x86_64-7.2 "the tree of a clone that is there"
gone kmemscope-89abcdef-x86_64-7.2 "the tree of a clone that is gone"
gone kmemscope-89abcdef-arm64-7.2 "that clone's tree of another target"
gone kmemscope-fedcba98-x86_64-5.10 "a tree without .root, two days old"
kept kmemscope-76543210-x86_64-5.10 "a tree without .root, new"
kept kmemscope-notahash-x86_64-7.2 "a directory not named as a build tree"
kept other-build "another directory"
kept kmemscope-01234567-file "a file named as a build tree"
# Nothing else was touched: the tree that stays is whole.
if [ -f "$TMP/tmp/kmemscope-0123abcd-x86_64-7.2/module/a.o" ]; then
	ok "the tree that stays is whole"
else
	not_ok "the tree that stays is whole"
fi
# A /tmp with no build tree at all (the glob matches nothing).
mkdir -p "$TMP/empty"
if prune_build_trees "$TMP/empty" && [ -d "$TMP/empty" ]; then
	ok "a /tmp with no build tree: nothing to do"
else
	not_ok "a /tmp with no build tree: nothing to do"
fi

echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
