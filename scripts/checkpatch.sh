#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.sh [FILE...] - run the kernel's checkpatch.pl (from Debian's
# linux-source, see deps.sh) on kmemscope's C sources; one TAP result per
# file.  Default: every .c/.h under module/, kunit-tests/, tests/fixtures/,
# tests/bench/, tests/stress/, tests/guest-bin/.
set -uo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
. "$HERE/lib.sh"
ROOT=$(cd "$HERE/.." && pwd)

SRC="$CACHE/src/linux-source-6.1"
[ -x "$SRC/scripts/checkpatch.pl" ] || "$HERE/deps.sh" kunit >&2 || exit 1

cd "$ROOT" || exit 1
if [ $# = 0 ]; then
	set -- $(git ls-files -co --exclude-standard 'module/*.[ch]' 'kunit-tests/*.[ch]' 'tests/fixtures/*.[ch]' 'tests/bench/*.[ch]' 'tests/stress/*.[ch]' 'tests/guest-bin/*.[ch]' | sort -u)
fi
passed=0 failed=0
for f in "$@"; do
	ignore=FILE_PATH_CHANGES
	# The compat header is where version tests belong (see its comment).
	[ "$f" = module/compat.h ] && ignore=$ignore,LINUX_VERSION_CODE
	out=$("$SRC/scripts/checkpatch.pl" --no-tree --strict --quiet \
		--ignore "$ignore" -f "$f" 2>&1)
	if [ -z "$out" ]; then
		echo "ok - checkpatch: $f"
		passed=$((passed + 1))
	else
		echo "not ok - checkpatch: $f"
		printf '%s\n' "$out" | sed 's/^/#   /'
		failed=$((failed + 1))
	fi
done
echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
