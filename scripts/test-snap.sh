#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# test-snap.sh - host-side checks of tools/kmemscope-snap against the
# hand-made snapshot directories of tests/snap-fixtures/ (in the documented
# formats; diff-a-b.expected is their diff, worked out by hand):
#   a, b   two snapshots: call sites that grow, shrink, churn, appear and
#          disappear; the same call_site text under two allocators; a module
#          unloaded and loaded again (two rows of one key); a module whose
#          only change is its state; "(caller not found) [unknown]"
#   c      b's data in callers 2.1 / modules 1.1 with the columns in another
#          order and columns added (one after call_site)
#   samples  a samples.tsv of 30 samples with a gap, for plot
#   full   a snapshot (version 1.2) with every file, for report: b's
#          callers, modules, meminfo and summary with a Rust call site
#          ("<...<&...>>::try_from", in module rust_drv) added; account-demo
#          as its account; the tasks of an x86_64-5.10 demo run
#          (out/logs/*-demo.tap); leaks/'s example of debugfs-docs/leaks.md
#          with the sampler on, a growing site and a backtrace; procs/b's
#          procs table; samples/samples.tsv
#   procs  fake proc trees for procs (status, smaps_rollup and comm in the
#          kernel's formats; every figure below worked out by hand):
#          a    a 6.1 board: init, sh, my_app, "Web Content" (a blank in
#               comm), sh and "Web Content" tied on pss; kernel threads 2
#               and 3 (empty smaps_rollup, no Vm lines); a zombie (9); a
#               pid gone but for comm (55); sshd (60) without smaps_rollup
#               (not readable by us)
#          b    a later: my_app grown, init by 2 kB, sh the same, pid 100
#               reused by httpd, logger new
#          old  a 4.19 board: smaps_rollup without Pss_Anon/File/Shmem
# Every check runs once per flavour of shell and awk: "sh" (this system's
# /bin/sh and awk), "busybox" (busybox sh, whose applets come first: what a
# board has) when busybox is installed, and "gawk-posix" when gawk is.
# Prints TAP lines "ok - snap: ..." / "not ok - snap: ...", then
# "RESULT passed=N failed=N"; exits 1 if anything failed.  POSIX sh: runs
# under busybox sh too.

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
TOOL=$ROOT/tools/kmemscope-snap
FIX=$ROOT/tests/snap-fixtures
TMP=$(mktemp -d) || exit 1
trap 'rm -rf "$TMP"' EXIT
TAB=$(printf '\t')
passed=0 failed=0 fl=

ok() {
	echo "ok - snap: $fl: $1"
	passed=$((passed + 1))
}
not_ok() {
	echo "not ok - snap: $fl: $1"
	shift
	for l in "$@"; do echo "#   $l"; done
	failed=$((failed + 1))
}
expect_eq() {	# DESC GOT WANT
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  '$2'" "want: '$3'"; fi
}
expect_same() {	# DESC GOT-FILE WANT-FILE
	if cmp -s "$2" "$3"; then
		ok "$1"
	else
		not_ok "$1"
		diff -u "$3" "$2" | head -n 40 | sed 's/^/#   /'
	fi
}
expect_fail() {	# DESC WANT-IN-STDERR CMD...: fails, says so, prints nothing
	d=$1 w=$2
	shift 2
	if "$@" >"$TMP/out" 2>"$TMP/err"; then
		not_ok "$d: refused" "exit status 0"
	elif ! grep -q -- "$w" "$TMP/err"; then
		not_ok "$d: refused with a message" "stderr: $(cat "$TMP/err")" "want: ...$w..."
	elif [ -s "$TMP/out" ] && [ "$w" != usage: ]; then
		not_ok "$d: refused, nothing on stdout" "stdout: $(head -n3 "$TMP/out")"
	else
		ok "$d: refused ($(head -n1 "$TMP/err" | cut -c1-70)...)"
	fi
}
# the value of "KEY: value" in FILE
field() { sed -n "s/^$2: //p" "$1" | head -n1; }

# ---- the checks, run once per flavour ------------------------------------
checks() {
	cd "$FIX" || exit 1
	W=$TMP/$fl
	mkdir -p "$W"

	# diff: exact output
	snap diff a b >"$W/ab" 2>"$W/err"
	expect_eq "diff a b: exit status, stderr" "$? $(cat "$W/err")" "0 "
	expect_same "diff a b = diff-a-b.expected" "$W/ab" diff-a-b.expected
	snap diff a c >"$W/ac" 2>&1
	sed -e 's/^new: b$/new: c/' -e 's/^\(# process rows skipped: a and \)b /\1c /' diff-a-b.expected >"$W/ac.want"
	expect_same "diff a c (columns reordered and added, minor versions 2.1, 1.1) = diff a b" "$W/ac" "$W/ac.want"
	snap diff a a >"$W/aa" 2>&1
	expect_eq "diff a a: no rows, a zero total" "$(sed -n '9,$p' "$W/aa")" "# process rows skipped: a and a have no procs file (version 1.0 snapshots have none)
total 0 0 0 0 130944 130944 - - - - -"
	# diff b a is diff a b turned around: the same rows in the same order,
	# the changes negated, old and new swapped
	snap diff b a >"$W/ba" 2>&1
	expect_eq "diff b a = diff a b turned around" "$(sed -n '9,$p' "$W/ba" | grep -v '^#')" "$(awk '
		NR >= 9 && !/^#/ {
			for (i = 2; i <= 5; i++) $i = ($i == 0) ? 0 : -$i
			t = $6; $6 = $7; $7 = t
			t = $10; $10 = $11; $11 = t
			print
		}' "$W/ab")"
	expect_eq "diff b a: head" "$(sed -n '2,7p' "$W/ba" | tr '\n' '|')" \
		"old: b|old_time: 1700000060|new: a|new_time: 1700000000|interval_s: -60|reset_between: no|"

	# diff: a reset between the snapshots; snapshots without info
	cp -r b "$W/reset"
	sed -i.bak 's/^since_reset_s: .*/since_reset_s: 5/' "$W/reset/summary"
	snap diff a "$W/reset" >"$W/out" 2>"$W/err"
	expect_eq "diff across a reset: reset_between" "$(field "$W/out" reset_between)" yes
	grep -q "reset or loaded again" "$W/err" && ok "diff across a reset: warning on stderr" ||
		not_ok "diff across a reset: warning on stderr" "stderr: $(cat "$W/err")"
	cp -r b "$W/noinfo"
	rm "$W/noinfo/info"
	snap diff a "$W/noinfo" >"$W/out" 2>&1
	expect_eq "diff, NEW without info: times and reset unknown" \
		"$(sed -n '5,7p' "$W/out" | tr '\n' '|')" "new_time: -|interval_s: -|reset_between: unknown|"
	expect_eq "diff, NEW without info: same rows" "$(sed -n '9,$p' "$W/out" | grep -v '^#')" "$(sed -n '9,$p' "$W/ab" | grep -v '^#')"

	# diff: what it refuses
	cp -r b "$W/v3"
	sed -i.bak '1s/2\.0$/3.0/' "$W/v3/callers"
	expect_fail "diff, callers format 3.0" "callers format version 3.0" snap diff a "$W/v3"
	cp -r b "$W/v3m"
	sed -i.bak '1s/1\.0$/3.0/' "$W/v3m/modules"
	expect_fail "diff, modules format 3.0" "modules format version 3.0" snap diff a "$W/v3m"
	# modules 2.0 inserts a dma_bytes column: read by name, the same rows
	cp -r b "$W/m2"
	awk 'NR == 1 { sub(/1\.0$/, "2.0"); print; next }
	     NR == 2 { sub(/ percpu_bytes /, " percpu_bytes dma_bytes "); print; next }
	     { $8 = $8 " 0"; print }' b/modules >"$W/m2/modules"
	expect_eq "diff, modules format 2.0 (a dma_bytes column): the same module rows" \
		"$(snap diff a "$W/m2" 2>&1 | grep '^module ')" "$(snap diff a b | grep '^module ')"
	cp -r b "$W/nocol"
	awk '{ if (NR > 1) { $(NR == 2 ? 5 : 4) = ""; $0 = $0; $1 = $1 } print }' b/callers >"$W/nocol/callers"
	expect_fail "diff, callers without an allocs column" 'no column "allocs"' snap diff "$W/nocol" b
	cp -r b "$W/nohdr"
	grep -v '^#' b/modules >"$W/nohdr/modules"
	expect_fail "diff, modules without a header line" "no header line" snap diff a "$W/nohdr"
	cp -r b "$W/junk"
	echo "hello" >"$W/junk/modules"
	expect_fail "diff, not a modules file" "not a kmemscope modules file" snap diff "$W/junk" a
	expect_fail "diff, missing snapshot" "missing" snap diff a "$W/nonexistent"
	expect_fail "diff, one argument" "usage:" snap diff a

	# snapshot
	if snapin "$FIX/a" "$FIX/a/meminfo" snapshot "$W/s" 2>"$W/err"; then
		ok "snapshot"
	else
		not_ok "snapshot" "$(cat "$W/err")"
	fi
	for f in callers modules summary meminfo; do
		expect_same "snapshot: $f copied" "$W/s/$f" "a/$f"
	done
	expect_eq "snapshot: info" "$(awk '
		NR == 1 { v = $0 } /^time: / { t = $2 } /^time_end: / { e = $2 } /^source: / { s = $2 }
		END { print v "|" (t ~ /^[0-9]+$/ && e ~ /^[0-9]+$/ && t <= e) "|" s }' "$W/s/info")" \
		"kmemscope snapshot - version: 1.2|1|$FIX/a"
	snap procs "$FIX/procs/a" >"$W/pa.want" 2>/dev/null
	expect_same "snapshot: procs written, from KMEMSCOPE_PROC" "$W/s/procs" "$W/pa.want"
	expect_eq "snapshot: no temporary files left" "$(cd "$W/s" && ls | tr '\n' ' ')" "callers info meminfo modules procs summary "
	snap diff a "$W/s" >"$W/out" 2>/dev/null
	expect_eq "diff a and a snapshot of it: no rows" "$(sed -n '9,$p' "$W/out")" "# process rows skipped: a has no procs file (version 1.0 snapshots have none)
total 0 0 0 0 130944 130944 - - - - -"
	PROCFIX=$W/nonexistent
	snapin "$FIX/a" "$FIX/a/meminfo" snapshot "$W/s" >"$W/out" 2>"$W/err"
	expect_eq "snapshot, PROC_DIR not there: exit status 0, no procs, info" \
		"$? $(cat "$W/out")|$(ls "$W/s/procs" 2>/dev/null)|$(head -n1 "$W/s/info")" "0 ||kmemscope snapshot - version: 1.2"
	grep -q "procs not written" "$W/err" && ok "snapshot, PROC_DIR not there: warning" ||
		not_ok "snapshot, PROC_DIR not there: warning" "stderr: $(cat "$W/err")"
	PROCFIX=
	expect_fail "snapshot, kmemscope not there" "is kmemscope loaded" snapin "$W/nonexistent" "$FIX/a/meminfo" snapshot "$W/s2"
	[ ! -e "$W/s2/info" ] && ok "snapshot, kmemscope not there: no snapshot written" ||
		not_ok "snapshot, kmemscope not there: no snapshot written"

	# watch: the column set chosen at the first sample and kept
	if snapin "$FIX/a" "$FIX/a/meminfo" watch -i 1 -n 2 "$W/w" 2>"$W/err"; then
		ok "watch -i 1 -n 2"
	else
		not_ok "watch -i 1 -n 2" "$(cat "$W/err")"
	fi
	expect_eq "watch: header" "$(head -n1 "$W/w/samples.tsv" | tr "$TAB" '|')" \
		"time_s|Slab_kB|SUnreclaim_kB|VmallocUsed_kB|vmalloc kernel_clone+0xbf [kernel]|kmalloc drv_a_probe+0x20 [drv_a]|kmalloc ks_snapshot+0x3f [kmemscope]|page drv_a_probe+0x20 [drv_a]|kmalloc drv_b_init+0x1b [drv_b]|kmem_cache __d_alloc+0x29 [kernel]|kmalloc drv_a_buffers+0x1e [drv_a]|kmalloc kobject_get_path+0x5e [kernel]|other"
	expect_eq "watch: 2 samples of a" "$(sed 1d "$W/w/samples.tsv" | cut -f2- | tr "$TAB" ' ')" \
		"17008 8124 9840 65536 32768 16384 8192 4096 2048 1024 512 384
17008 8124 9840 65536 32768 16384 8192 4096 2048 1024 512 384"
	expect_eq "watch: samples -i 1 apart" "$(awk 'NR == 2 { t = $1 } NR == 3 { d = $1 - t; print (d >= 1 && d <= 2) ? "1 or 2 s" : d " s" }' "$W/w/samples.tsv")" "1 or 2 s"
	snapin "$FIX/b" "$FIX/b/meminfo" watch -n 1 "$W/w" 2>&1
	expect_eq "watch appending, b: same columns, the rest in other" \
		"$(sed 1d "$W/w/samples.tsv" | wc -l | tr -d ' ') $(tail -n1 "$W/w/samples.tsv" | cut -f2- | tr "$TAB" ' ')" \
		"3 17104 8196 9824 49152 32768 16384 24576 8192 2048 0 0 684"
	snapin "$W/nonexistent" "$FIX/b/meminfo" watch -n 1 "$W/w" 2>"$W/err"
	expect_eq "watch, kmemscope gone: call-site columns empty" \
		"$(tail -n1 "$W/w/samples.tsv" | cut -f2- | tr "$TAB" '|')" "17104|8196|9824|||||||||"
	grep -q "left empty" "$W/err" && ok "watch, kmemscope gone: warning" || not_ok "watch, kmemscope gone: warning" "$(cat "$W/err")"
	expect_fail "watch, kmemscope not there at the first sample" "is kmemscope loaded" snapin "$W/nonexistent" "$FIX/a/meminfo" watch -n 1 "$W/w2"
	expect_fail "watch -i 0" "-i: a whole number" snap watch -i 0 -n 1 "$W/w3"
	expect_fail "watch -i 1.5" "-i: a whole number" snap watch -i 1.5 -n 1 "$W/w3"
	expect_fail "watch -n x" "-n: a count" snap watch -n x "$W/w3"
	[ ! -e "$W/w3/samples.tsv" ] && ok "watch, bad options: nothing written" || not_ok "watch, bad options: nothing written"
	mkdir -p "$W/w4"
	echo "a${TAB}b" >"$W/w4/samples.tsv"
	expect_fail "watch, someone else's samples.tsv" "not a samples file" snapin "$FIX/a" "$FIX/a/meminfo" watch -n 1 "$W/w4"

	# plot
	mkdir -p "$W/p"
	cp samples/samples.tsv "$W/p/"
	if snap plot "$W/p" >"$W/out" 2>"$W/err"; then ok "plot"; else not_ok "plot" "$(cat "$W/err")"; fi
	expect_eq "plot: default output OUTDIR/samples.svg" "$(cat "$W/out")" "$W/p/samples.svg"
	svg=$W/p/samples.svg
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$svg" 2>"$W/err" && ok "plot: well-formed XML (xmllint)" ||
			not_ok "plot: well-formed XML (xmllint)" "$(head -n5 "$W/err")"
	fi
	expect_eq "plot: svg element, closed" "$(sed -n '2s/ .*//p' "$svg") $(tail -n1 "$svg")" "<svg </svg>"
	# 3 meminfo series; 9 call-site series broken in two by the gap
	expect_eq "plot: lines (3 meminfo + 9 call sites x 2 around the gap)" "$(grep -c '<polyline' "$svg")" 21
	expect_eq "plot: a point per sample and series" "$(grep -c '<circle' "$svg")" $((30 * 3 + 28 * 9))
	missing=
	for s in Slab_kB SUnreclaim_kB VmallocUsed_kB "page drv_a_probe+0x20 [drv_a]" "kmalloc kobject_get_path+0x5e [kernel]" other \
		"/proc/meminfo" "live bytes per call site" "seconds since the first sample" ">kB<" "30 samples over 290 s"; do
		grep -qF "$s" "$svg" || missing="$missing [$s]"
	done
	expect_eq "plot: titles, axis labels, legend" "${missing:-all there}" "all there"
	expect_eq "plot: y axes (0..20000 kB; 0..140 kB)" \
		"$(grep -c -e '>20000</text>' -e '>140</text>' "$svg")" 2
	snap plot "$W/w" "$W/w.svg" >/dev/null 2>&1
	expect_eq "plot of watch's samples (with an empty row): lines" "$(grep -c '<polyline' "$W/w.svg")" 12
	mkdir -p "$W/p2"
	printf 'time_s\tSlab_kB\tkmalloc a<b&c>"d" [m]\tother\n100\t5000\t2048\t0\n' >"$W/p2/samples.tsv"
	snap plot "$W/p2" >/dev/null 2>&1
	expect_eq "plot, one sample, name with <&>\": escaped, drawn" \
		"$(grep -c 'a&lt;b&amp;c&gt;&quot;d&quot; \[m\]' "$W/p2/samples.svg") $(grep -c '<circle' "$W/p2/samples.svg")" "1 3"
	if command -v xmllint >/dev/null 2>&1; then
		xmllint --noout "$W/p2/samples.svg" 2>/dev/null && ok "plot, name with <&>\": well-formed XML" ||
			not_ok "plot, name with <&>\": well-formed XML"
	fi
	expect_eq "plot, meminfo close together: zoomed axis, said so" \
		"$(printf 'time_s\tSlab_kB\tother\n0\t17000\t1\n10\t17100\t1\n' >"$W/p2/samples.tsv"; snap plot "$W/p2" >/dev/null 2>&1;
		   grep -c 'axis does not start at 0' "$W/p2/samples.svg")" 1
	expect_fail "plot, no samples" "missing or empty" snap plot "$W/nonexistent"

	# procs on procs/a: rows, order, totals, counts, checks
	snap procs procs/a >"$W/pa" 2>"$W/err"
	expect_eq "procs a: exit status, stderr" "$? $(cat "$W/err")" "0 "
	expect_eq "procs a: head" "$(sed -n '1,6p' "$W/pa" | tr '\n' '|')" \
		"kmemscope-snap procs - version: 1.0|source: procs/a|kernel_threads: 2|vanished: 2|unreadable: 1|# kind pid comm vss_kB rss_kB pss_kB uss_kB swap_kB pss_anon_kB pss_file_kB pss_shmem_kB|"
	# pid: vss rss pss uss=Private_Clean+Private_Dirty swap pss_anon pss_file pss_shmem
	for r in "1 init 2344 1200 400 190 0 150 250 0" "7 sh 3920 3600 3000 2900 64 2800 200 0" \
		"42 my_app 98765 20480 18000 16684 512 16384 1000 616" "100 Web_Content 12000 4000 3000 2500 0 2500 300 200"; do
		expect_eq "procs a: row of pid ${r%% *}" "$(awk -v p="${r%% *}" '$1 == "proc" && $2 == p' "$W/pa")" "proc $r"
	done
	expect_eq "procs a: rows by pss, largest first; a tie by pid (7 before 100)" \
		"$(awk '$1 == "proc" { printf "%s ", $2 }' "$W/pa")" "42 7 100 1 "
	expect_eq "procs a: comm with a blank: one column, every row 11" \
		"$(awk '$1 == "proc" && NF != 11 { print "bad: " $0 } $1 == "proc" && $2 == 100 { print $3 }' "$W/pa")" "Web_Content"
	expect_eq "procs a: total (4 processes, the sums)" "$(grep '^total ' "$W/pa")" \
		"total 4 - 117029 29280 24400 22274 576 21834 1750 816"
	expect_eq "procs a: total = the rows' sums" "$(awk '
		$1 == "proc" { n++; for (i = 4; i <= NF; i++) s[i] += $i }
		$1 == "total" { t = $0 }
		END { r = "total " n " -"; for (i = 4; i <= 11; i++) r = r " " s[i]; print (r == t) ? "ok" : r " != " t }' "$W/pa")" ok
	chk() {	# FILE WHAT: "SUM MEMINFO DIFFERENCE BOUND" of a check line
		sed -n "s/^check: $2 \([0-9]*\) kB vs [A-Za-z]* \([0-9]*\) kB: difference \(-*[0-9]*\) kB (.* at most \([0-9]*\) kB = .*/\1 \2 \3 \4/p" "$1"
	}
	expect_eq "procs a: check pss_anon vs AnonPages: sum, AnonPages, difference, rounding bound" "$(chk "$W/pa" pss_anon)" "21834 21900 66 4"
	expect_eq "procs a: check pss_file+pss_shmem vs Mapped: sum, Mapped, difference, rounding bound" "$(chk "$W/pa" 'pss_file+pss_shmem')" "2566 2570 4 8"
	expect_eq "procs a: after the total, two check lines, each with its explanation" "$(awk '
		done { print $1, $2, $6, (index($0, "; pages of processes without a row (exited, unreadable,") ? "explained" : "unexplained") }
		/^total / { done = 1 }' "$W/pa")" "check: pss_anon AnonPages explained
check: pss_file+pss_shmem Mapped explained"

	# procs on procs/b (via KMEMSCOPE_PROC): a negative difference
	env KMEMSCOPE_PROC="$FIX/procs/b" $SH "$TOOL" procs >"$W/pb" 2>&1
	expect_eq "procs, PROC_DIR from KMEMSCOPE_PROC: source, counts" "$(sed -n '2,5p' "$W/pb" | tr '\n' '|')" \
		"source: $FIX/procs/b|kernel_threads: 2|vanished: 0|unreadable: 0|"
	expect_eq "procs b: rows in order" "$(grep '^proc ' "$W/pb")" "proc 42 my_app 106957 28672 26000 24684 0 24384 1000 616
proc 7 sh 3920 3600 3000 2900 64 2800 200 0
proc 100 httpd 8000 2000 1500 1200 0 1000 400 100
proc 205 logger 2200 900 500 450 0 400 100 0
proc 1 init 2344 1204 402 190 0 150 252 0"
	expect_eq "procs b: total" "$(grep '^total ' "$W/pb")" "total 5 - 123421 36376 31402 29424 64 28734 1952 716"
	expect_eq "procs b: checks (Mapped below the sum: negative)" "$(chk "$W/pb" pss_anon) | $(chk "$W/pb" 'pss_file+pss_shmem')" "28734 28800 66 5 | 2668 2660 -8 10"

	# procs on a 4.19-style tree: no Pss_Anon/Pss_File/Pss_Shmem
	snap procs procs/old >"$W/po" 2>"$W/err"
	expect_eq "procs old kernel: exit status, stderr" "$? $(cat "$W/err")" "0 "
	expect_eq "procs old kernel: rows with - for the Pss split, total" "$(sed -n '/^proc /,/^total /p' "$W/po")" \
		"proc 30 dropbear 2900 1500 900 700 12 - - -
proc 1 init 2300 1100 380 180 0 - - -
total 2 - 5200 2600 1280 880 12 - - -"
	expect_eq "procs old kernel: kernel_threads, and check n/a as the only check" \
		"$(grep -e '^kernel_threads:' -e '^check' "$W/po")" "kernel_threads: 1
check: n/a (this kernel's smaps_rollup has no Pss_Anon/Pss_File/Pss_Shmem)"

	# procs: what it refuses
	expect_fail "procs, PROC_DIR not there" "no such directory" snap procs "$W/nonexistent"
	mkdir -p "$W/notproc/sys"
	expect_fail "procs, PROC_DIR without processes" "no process directories" snap procs "$W/notproc"
	expect_fail "procs, two arguments" "usage:" snap procs procs/a procs/b

	# procs on this machine's /proc: whatever runs, consistent
	if [ -r /proc/self/smaps_rollup ]; then
		snap procs /proc >"$W/ph" 2>"$W/err"
		expect_eq "procs /proc (this machine): exit status, stderr, version, total = the rows' sums" "$? $(cat "$W/err")|$(head -n1 "$W/ph")|$(awk '
			$1 == "proc" { n++; for (i = 4; i <= NF; i++) s[i] += $i }
			$1 == "total" { t = $0 }
			END { r = "total " n " -"; for (i = 4; i <= 11; i++) r = r " " (s[i] == 0 && $i == "-" ? "-" : s[i]); print (r == t) ? "ok" : r " != " t }' "$W/ph")" \
			"0 |kmemscope-snap procs - version: 1.0|ok"
	fi

	# diff with procs: snapshots of a (with procs/a) and b (with procs/b)
	PROCFIX=$FIX/procs/a
	snapin "$FIX/a" "$FIX/a/meminfo" snapshot "$W/sa" 2>/dev/null
	PROCFIX=$FIX/procs/b
	snapin "$FIX/b" "$FIX/b/meminfo" snapshot "$W/sb" 2>/dev/null
	PROCFIX=
	snap diff "$W/sa" "$W/sb" >"$W/dp" 2>"$W/err"
	expect_eq "diff with procs: exit status, stderr, version" "$? $(cat "$W/err")|$(head -n1 "$W/dp")" "0 |kmemscope diff - version: 1.1"
	expect_eq "diff with procs: process rows (changed, gone, new, pid 100 reused by httpd; sh unchanged: no row), by |d_pss|" \
		"$(sed -n '/^# kind pid /,$p' "$W/dp")" "# kind pid comm d_rss_kB d_pss_kB d_uss_kB d_swap_kB old_pss_kB new_pss_kB state
process 42 my_app 8192 8000 8000 -512 18000 26000 changed
process 100 Web_Content -4000 -3000 -2500 0 3000 - gone
process 100 httpd 2000 1500 1200 0 - 1500 new
process 205 logger 900 500 450 0 - 500 new
process 1 init 4 2 0 0 400 402 changed
total 2860 -5 18 23 130944 133804 - - - - -"
	expect_eq "diff with procs: module and site rows as without" "$(grep -v -e '^process' -e '^#' "$W/dp" | sed 1,7d)" \
		"$(grep -v -e '^#' diff-a-b.expected | sed 1,7d)"
	snap diff "$W/sb" "$W/sa" >"$W/dp2" 2>&1
	expect_eq "diff with procs, turned around: d_* negated, pss swapped, new and gone swapped" "$(grep '^process' "$W/dp2")" "$(awk '
		$1 == "process" {
			for (i = 4; i <= 7; i++) $i = ($i == 0) ? 0 : -$i
			t = $8; $8 = $9; $9 = t
			$10 = ($10 == "new") ? "gone" : ($10 == "gone") ? "new" : $10
			print
		}' "$W/dp")"
	cp -r b "$W/bp"
	cp "$W/sb/procs" "$W/bp/"
	snap diff a "$W/bp" >"$W/out" 2>"$W/err"
	expect_eq "diff of a 1.0 snapshot (no procs) and one with: exit status, stderr" "$? $(cat "$W/err")" "0 "
	expect_eq "diff of a 1.0 snapshot and one with procs: one comment line, no process rows" \
		"$(grep -e '^process' -e '^# process' -e '^# kind pid' "$W/out")" \
		"# process rows skipped: a has no procs file (version 1.0 snapshots have none)"
	snap diff "$W/sa" b >"$W/out" 2>&1
	expect_eq "diff, NEW without procs: the comment line" "$(grep '^# process' "$W/out")" \
		"# process rows skipped: b has no procs file (version 1.0 snapshots have none)"
	cp -r "$W/sb" "$W/pv2"
	sed -i.bak '1s/1\.0$/2.0/' "$W/pv2/procs"
	expect_fail "diff, procs format 2.0" "procs format version 2.0" snap diff "$W/sa" "$W/pv2"
	cp -r "$W/sb" "$W/pnohdr"
	grep -v '^# kind' "$W/sb/procs" >"$W/pnohdr/procs"
	expect_fail "diff, procs without a header line" "no header line" snap diff "$W/sa" "$W/pnohdr"
	cp -r "$W/sb" "$W/pjunk"
	echo hello >"$W/pjunk/procs"
	expect_fail "diff, not a procs file" "not a kmemscope-snap procs file" snap diff "$W/sa" "$W/pjunk"

	# snapshot of a kmemscope with account, tasks and leaks: copied
	snapin "$FIX/full" "$FIX/full/meminfo" snapshot "$W/sf" 2>"$W/err"
	expect_eq "snapshot: account, tasks and leaks copied where kmemscope has them" \
		"$(cd "$W/sf" && ls | tr '\n' ' ')|$(for f in account tasks leaks; do cmp "$W/sf/$f" "full/$f" 2>&1; done)|$(sed -n 's/^machine: //p' "$W/sf/info" | grep -c .)" \
		"account callers info leaks meminfo modules procs summary tasks ||1"

	# report on full: every section, exact figures
	snap report full "$W/full.html" >"$W/out" 2>"$W/err"
	expect_eq "report full: exit status, stdout (the page), stderr" "$? $(cat "$W/out")|$(cat "$W/err")" "0 $W/full.html|"
	h=$W/full.html
	expect_eq "report: an HTML page, closed" "$(head -n1 "$h")|$(tail -n1 "$h")" "<!DOCTYPE html>|</html>"
	expect_eq "report: 7 sections, each closed, in order" \
		"$(grep -c '^<section ' "$h") $(grep -c '^</section>' "$h") $(sed -n 's/^<section id="\([a-z]*\)">$/\1/p' "$h" | tr '\n' ' ')" \
		"7 7 account modules callers tasks leaks growth procs "
	expect_eq "report: no script, nothing fetched (no src=, no href= but to the page's own sections)" \
		"$(grep -ci '<script' "$h") $(grep -ci 'src=' "$h") $(grep -o 'href="[^"]*"' "$h" | grep -vc '^href="#')" "0 0 0"
	expect_eq "report: header: kernel, machine, time (UTC), source" \
		"$(grep -o '<tr><th>\(kernel\|machine\|time\|source[^<]*\)</th><td>[^<]*' "$h" | sed 's/<[^>]*>/|/g')" \
		"||time||1700000060 (2023-11-14 22:14:20 UTC)
||source (kmemscope directory)||/sys/kernel/debug/kmemscope
||kernel||6.1.0-56-arm64
||machine||aarch64"
	expect_eq "report: header: each file with its format version" \
		"$(sed -n '/<table class="files">/,/<\/table>/p' "$h" | sed -n 's/^<tr><td class="s">\([^<]*\)<\/td>.*<td>\([^<]*\)<\/td><\/tr>$/\1 \2/p' | tr '\n' ' ')" \
		"info 1.2 callers 2.0 modules 1.0 summary 2.0 meminfo - account 1.0 tasks 1.0 leaks 1.3 procs 1.0 samples.tsv - "
	expect_eq "report: each section names its file and format version" \
		"$(sed -n 's/^<h2>.*<span class="src">from <code>\([^<]*\)<\/code>, format version \([^<]*\)<.*/\1 \2/p' "$h" | tr '\n' ' ')" \
		"account 1.0 modules 1.0 callers 2.0 tasks 1.0 leaks 1.3 procs 1.0 "
	# table rows as text: the tags dropped, the cells space-separated
	rows() {	# FILE CLASS
		sed -n "/<table class=\"$2\">/,/<\/table>/p" "$1" | grep '^<tr' | sed 's/<\/td><td[^>]*>/ /g; s/<[^>]*>//g'
	}
	expect_eq "report: modules: every row, every figure (= the file's rows)" "$(rows "$h" modules)" "$(sed 1,2d full/modules)"
	expect_eq "report: modules: a row's cells" \
		"$(grep -c '^<tr><td>drv_a</td><td>loaded</td><td class="n">57344</td><td class="n">32768</td><td class="n">0</td><td class="n">0</td><td class="n">24576</td><td class="n">0</td><td class="n">7</td><td class="n">24</td><td class="n">17</td></tr>$' "$h")" 1
	# the account: one segment per line with pages > 0, as wide as its
	# share of physical_ram's 131072 pages on a bar 1000 wide
	segs=$(sed -n 's/^<rect class="seg" x="[0-9.]*" y="0" width="\([0-9.]*\)" height="48" fill="#[0-9a-f]*"><title>\([^:]*\): .*/\2 \1/p' "$h")
	expect_eq "report: account: a segment per account line with pages (the leaves, in order)" "$(echo "$segs" | cut -d' ' -f1 | tr '\n' ' ')" \
		"$(awk '/^[a-z]/ && $2 ~ /^[0-9]+$/ && $2 > 0 && $1 !~ /:$/ && $1 != "physical_ram" && $1 != "kernel_ram" &&
			$1 != "boot_reserved" && $1 != "managed" { printf "%s ", $1 }' full/account)"
	expect_eq "report: account: widths of nomap_reserved (2816 pages), managed.free (110941), managed.unexplained (622)" \
		"$(echo "$segs" | grep -e '^nomap_reserved ' -e '^managed.free ' -e '^managed.unexplained ' | tr '\n' ' ')" \
		"nomap_reserved 21.484 managed.free 846.413 managed.unexplained 4.745 "
	expect_eq "report: account: the widths fill the bar" "$(echo "$segs" | awk '{ s += $2 } END { printf "%.2f", s }')" "1000.00"
	expect_eq "report: account: legend rows: pages, kB, share" \
		"$(rows "$h" legend | grep -e '^ nomap_reserved ' -e '^ managed.free ' -e '^ managed.file_cache ' -e '^ physical_ram ' | cut -d' ' -f2-5)" \
		"nomap_reserved 2816 11264 2.1%
managed.free 110941 443764 84.6%
managed.file_cache 0 0 0.0%
physical_ram 131072 524288 100%"
	expect_eq "report: call sites: the 14 rows by live bytes" "$(rows "$h" callers | cut -d' ' -f1 | tr '\n' ' ')" \
		"49152 32768 24576 16384 8192 4096 4096 2048 300 256 128 0 0 0 "
	expect_eq "report: a call site with < and &: escaped, whole" \
		"$(grep -c '<td class="s">&lt;kernel::str::CString as core::convert::TryFrom&lt;&amp;core::fmt::Arguments&gt;&gt;::try_from+0x5c \[rust_drv\]</td>' "$h") $(grep -c -e '<kernel::' -e '<&core' "$h")" "1 0"
	expect_eq "report: tasks: rows, the exited ones too" "$(rows "$h" tasks | awk '{ printf "%s/%s/%s ", $1, $9, $11 }')" \
		"8616408/-/insmod 275288/138/head 47528/94/sh 28296/2/kthreadd 11720/-/kmemscope-snap 640/-/cat 432/-/sh 320/-/awk "
	expect_eq "report: leaks: the unload report, unloaded module, growing site, groups" \
		"$(grep -c '^<li><code>kmemleak_test unloaded holding 40384 bytes in 25 allocations; top: ' "$h") $(grep -c '^<tr><td class="s">kmemleak_test</td><td class="n">25</td><td class="n">40384</td></tr>$' "$h") $(grep -c '<td class="n">1536</td><td class="n">75</td>.*ks_fixture_grow+0x2c' "$h") $(grep -o '<h3>Leak candidates ([^)]*)' "$h")" \
		"1 1 1 <h3>Leak candidates (15 groups, 40384 bytes)"
	expect_eq "report: leaks: a group's backtrace under its call site" \
		"$(grep -c 'kmemleak_test_init+0x1d8 \[kmemleak_test\]<pre class="bt">kmemleak_test_init+0x1d8/0x1000 \[kmemleak_test\]$' "$h") $(sed -n '/<pre class="bt">/,/<\/pre>/p' "$h" | wc -l | tr -d ' ')" "1 5"
	expect_eq "report: growth: plot's chart inline (no XML declaration; 21 lines as plot draws)" \
		"$(grep -c '<?xml' "$h") $(sed -n '/<section id="growth">/,/<\/section>/p' "$h" | grep -c '<polyline')" "0 21"
	expect_eq "report: processes: every row, the total" "$(rows "$h" procs)" "$(sed -n 's/^proc //p; s/^total /total: /p' full/procs)"
	expect_eq "report: processes: the checks" "$(grep -c '^<p class="meta"><code>check: pss_anon 28734 kB vs AnonPages 28800 kB: difference 66 kB' "$h")" 1

	# report on a (version 1.0: no account, tasks, leaks, procs, samples)
	snap report a "$W/a.html" >/dev/null 2>"$W/err"
	expect_eq "report a (files missing): exit status, stderr" "$? $(cat "$W/err")" "0 "
	expect_eq "report a: a note in each section whose file is missing" \
		"$(sed -n 's/^<p class="missing">\(.*\)<\/p>$/\1/p' "$W/a.html")" "not in this snapshot (no account file)
not in this snapshot (no tasks file)
not in this snapshot (no leaks file)
not in this snapshot (no samples.tsv file)
not in this snapshot (no procs file)"
	expect_eq "report a: the sections it has" "$(rows "$W/a.html" modules | cut -d' ' -f1-3 | tr '\n' '|')" \
		"kernel builtin 68096|drv_a loaded 41984|kmemscope loaded 16384|drv_b unloaded 4096|unknown unknown 256|drv_c loaded 128|"

	# escaping of what users name: a module, a comm
	cp -r full "$W/esc"
	sed -i.bak 's/^rust_drv loaded /my"<mod>\&'"'"'x loaded /' "$W/esc/modules"
	sed -i.bak 's/ running head$/ running <b>\&"x"/' "$W/esc/tasks"
	snap report "$W/esc" "$W/esc.html" >/dev/null 2>&1
	expect_eq "report: a module name and a comm with < > & and quotes: escaped" \
		"$(grep -c '^<tr><td>my&quot;&lt;mod&gt;&amp;&#39;x</td><td>loaded</td>' "$W/esc.html") $(grep -c '<td class="s">&lt;b&gt;&amp;&quot;x&quot;</td></tr>$' "$W/esc.html") $(grep -c -e '<b>' -e '<mod>' "$W/esc.html")" "1 1 0"

	# the top 20 of 30 call sites
	cp -r full "$W/top"
	awk 'NR <= 2 { print; next } NR == 3 { for (i = 30; i >= 1; i--) printf "%d %d 1 1 0 %d kmalloc m%d loaded f%d+0x1 [m%d]\n", i * 100, i * 100, i * 100, i, i, i }' \
		full/callers >"$W/top/callers"
	snap report "$W/top" "$W/top.html" >/dev/null 2>&1
	expect_eq "report: 30 call sites: the 20 largest" "$(rows "$W/top.html" callers | cut -d' ' -f1 | tr '\n' ' ')|$(grep -o '^<p>30 call sites; the 20 with the most live_bytes' "$W/top.html")" \
		"3000 2900 2800 2700 2600 2500 2400 2300 2200 2100 2000 1900 1800 1700 1600 1500 1400 1300 1200 1100 |<p>30 call sites; the 20 with the most live_bytes"

	# what report refuses: a format major version it does not know
	for v in "callers 2.0 3.0" "modules 1.0 3.0" "account 1.0 2.0" "tasks 1.0 3.0" "leaks 1.3 2.0" "procs 1.0 2.0" "info 1.2 2.0"; do
		set -- $v
		rm -rf "$W/v"
		cp -r full "$W/v"
		sed -i.bak "1s/$2\$/$3/" "$W/v/$1"
		want="$1 format version $3 is not one this tool reads"
		[ "$1" = info ] && want="snapshot format version $3 is not one this tool reads"
		expect_fail "report, $1 format $3" "$want" snap report "$W/v" "$W/v.html"
		[ ! -e "$W/v.html" ] && [ ! -e "$W/v.html.tmp" ] && ok "report, $1 format $3: no page written" ||
			not_ok "report, $1 format $3: no page written"
	done
	expect_fail "report, not a snapshot directory" "not a snapshot directory" snap report samples "$W/x.html"
	expect_fail "report, no such directory" "no such directory" snap report "$W/nonexistent" "$W/x.html"
	expect_fail "report, one argument" "usage:" snap report full

	# help, usage
	snap help >"$W/help" 2>&1
	expect_eq "help: exit status" "$?" 0
	missing=
	for c in snapshot diff watch plot procs report help KMEMSCOPE_DIR KMEMSCOPE_MEMINFO KMEMSCOPE_PROC KMEMSCOPE_BAR \
		"kmemscope diff - version: 1.1" "kmemscope snapshot - version: 1.2" "not in this snapshot" "kmemscope-snap procs - version: 1.0" "# kind pid comm d_rss_kB" "process rows skipped" \
		"check: n/a (this kernel's smaps_rollup" reset_between samples.tsv; do
		grep -qF -- "$c" "$W/help" || missing="$missing $c"
	done
	expect_eq "help documents commands, files and formats" "${missing:-none missing}" "none missing"
	snap >/dev/null 2>"$W/err"
	expect_eq "no command: exit status 2" "$?" 2
	grep -q "procs \[PROC_DIR\]" "$W/err" && ok "usage names procs" || not_ok "usage names procs" "$(cat "$W/err")"
	grep -q "report SNAPSHOT_DIR OUT.html" "$W/err" && ok "usage names report" || not_ok "usage names report" "$(cat "$W/err")"
	expect_fail "unknown command" "unknown command" snap frobnicate
	cd "$ROOT" || exit 1
}

# ---- flavours ---------------------------------------------------------------
# SH runs the tool; snapin DIR MEMINFO ARGS... runs it on DIR's files, with
# PROCFIX (default procs/a) as its /proc.
snap() { $SH "$TOOL" "$@"; }
snapin() {
	_d=$1 _m=$2
	shift 2
	env KMEMSCOPE_DIR="$_d" KMEMSCOPE_MEMINFO="$_m" KMEMSCOPE_PROC="${PROCFIX:-$FIX/procs/a}" $SH "$TOOL" "$@"
}
PROCFIX=
fl=sh SH=/bin/sh
checks
if command -v busybox >/dev/null 2>&1; then
	fl=busybox SH="busybox sh"
	checks
else
	echo "# busybox not installed: the busybox flavour is skipped"
fi
if command -v gawk >/dev/null 2>&1; then
	mkdir -p "$TMP/gawk"
	printf '#!/bin/sh\nexec gawk --posix "$@"\n' >"$TMP/gawk/awk"
	chmod +x "$TMP/gawk/awk"
	fl=gawk-posix SH="env PATH=$TMP/gawk:$PATH /bin/sh"
	checks
fi

fl=lint
if command -v shellcheck >/dev/null 2>&1; then
	out=$(shellcheck -s sh -S warning "$TOOL" "$0" 2>&1) && ok "shellcheck -s sh" ||
		not_ok "shellcheck -s sh" "$out"
fi
for s in sh "busybox sh"; do
	command -v "${s%% *}" >/dev/null 2>&1 || continue
	$s -n "$TOOL" 2>"$TMP/err" && ok "$s -n kmemscope-snap" || not_ok "$s -n kmemscope-snap" "$(cat "$TMP/err")"
done

echo "RESULT passed=$passed failed=$failed"
[ "$failed" = 0 ]
