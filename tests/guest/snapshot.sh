# SPDX-License-Identifier: GPL-2.0
# suite: integration 90
#
# snapshot.sh - kmemscope-snap (tools/kmemscope-snap, in the guest's /bin)
# on a running kmemscope: snapshots before and after ks_fixture loads, and
# after it frees a group and unloads, diff to exactly ks_fixture's figures
# (see ks_fixture.c); watch writes its samples and plot draws them; report
# makes the page of a snapshot on the board; procs (user memory per
# process) adds up and matches /proc.  The
# kernel allocates on its own between snapshots, so the checks are on
# ks_fixture's rows, the total's consistency and the format, not on the
# diff holding nothing else.
. /tests/lib.sh

section snap
S=/tmp/snap
rm -rf $S
mkdir -p $S

if ! command -v kmemscope-snap >/dev/null 2>&1; then
	not_ok "kmemscope-snap in the guest's /bin" \
		"scripts/run-guest.sh should copy tools/kmemscope-snap to the initramfs's /bin"
	stop_script
fi
ok "kmemscope-snap in the guest's /bin"

# The diff's columns, by the names of its header line.  diff_site FILE
# FUNC: the site rows whose call site is in FUNC, summed: "d_live_bytes
# d_live_count d_allocs d_frees allocator module".  diff_module FILE MOD:
# "d_live_bytes d_live_count d_allocs d_frees old_live_bytes new_live_bytes
# old_state new_state".  diff_fns FILE MOD: the functions of MOD's site rows.
diff_awk() {	# AWK-PROGRAM FILE
	awk '
		/^# / && !hdr { for (i = 2; i <= NF; i++) col[$i] = i - 1; hdr = 1; next }
		!hdr { next }
		{
			site = $0
			for (i = 1; i < col["call_site"]; i++) sub(/^[^ ]+ /, "", site)
			fn = site; sub(/\+.*/, "", fn)
		}
		'"$1" "$2"
}
diff_site() {
	f=$2 diff_awk '
		$1 == "site" && fn == ENVIRON["f"] {
			b += $col["d_live_bytes"]; c += $col["d_live_count"]
			a += $col["d_allocs"]; r += $col["d_frees"]
			k = $col["allocator"]; m = $col["module"]; n++
		}
		END { if (n) print b, c, a, r, k, m }' "$1"
}
diff_module() {
	m=$2 diff_awk '
		$1 == "module" && $col["module"] == ENVIRON["m"] {
			print $col["d_live_bytes"], $col["d_live_count"], $col["d_allocs"], $col["d_frees"],
			      $col["old_live_bytes"], $col["new_live_bytes"], $col["old_state"], $col["new_state"]
		}' "$1"
}
diff_fns() {
	m=$2 diff_awk '$1 == "site" && $col["module"] == ENVIRON["m"] { print fn }' "$1" | sort -u | tr '\n' ' '
}
diff_field() {	# FILE KEY: "KEY: value" of the diff's head
	sed -n "s/^$2: //p" "$1" | head -n1
}
# The format: version line, header, then module rows, site rows, process
# rows under their own header (the snapshots have procs: kmemscope-snap's
# own processes at least are new and gone), total last; each kind sorted by
# |d_live_bytes| (processes by |d_pss_kB|); no row without a change (but a
# module's state); the total equal to the sum of the module rows.
check_format() {	# FILE DESC
	expect_eq "$2: version line" "$(head -n1 "$1")" "kmemscope diff - version: 1.1"
	expect_eq "$2: header lines" "$(grep '^# ' "$1")" \
		"# kind d_live_bytes d_live_count d_allocs d_frees old_live_bytes new_live_bytes allocator module old_state new_state call_site
# kind pid comm d_rss_kB d_pss_kB d_uss_kB d_swap_kB old_pss_kB new_pss_kB state"
	expect_eq "$2: rows in order, total last, sorted, all changed, total = sum of modules" "$(diff_awk '
		function abs(x) { x += 0; return x < 0 ? -x : x }	# (busybox awk: += 0, or a field compares as a string)
		/^# kind pid / { if (last > 3) bad = bad " process header after total;"; next }
		$1 == "module" || $1 == "site" || $1 == "process" || $1 == "total" {
			if (done) bad = bad " row after total;"
			o = ($1 == "module") ? 1 : ($1 == "site") ? 2 : ($1 == "process") ? 3 : 4
			if (o < last) bad = bad " " $1 " row after a later kind;"
			b = (o == 3) ? abs($5) : abs($col["d_live_bytes"])
			if (o == last && o < 4 && b > prev) bad = bad " not sorted at " $0 ";"
			if (o < 3 && $col["d_live_bytes"] == 0 && $col["d_live_count"] == 0 &&
			    $col["d_allocs"] == 0 && $col["d_frees"] == 0 &&
			    ($1 == "site" || $col["old_state"] == $col["new_state"]))
				bad = bad " unchanged row " $0 ";"
			if (o == 3 && ($10 == "changed" ? $4 == 0 && $5 == 0 && $6 == 0 && $7 == 0 : $10 != "new" && $10 != "gone"))
				bad = bad " unchanged process row " $0 ";"
			if (o == 1) msum += $col["d_live_bytes"]
			if (o == 4) { done = 1; tot = $col["d_live_bytes"] + 0 }
			last = o; prev = b
			next
		}
		{ bad = bad " unexpected line " $0 ";" }
		END {
			if (!done) bad = bad " no total line;"
			else if (msum != tot) bad = bad " total " tot " != sum of modules " msum ";"
			print bad == "" ? "ok" : bad
		}' "$1")" ok
}

run_checked "insmod kmemscope" insmod /ko/kmemscope.ko

# ---- snapshot ----------------------------------------------------------
if kmemscope-snap snapshot $S/1 2>$S/err; then
	ok "snapshot"
else
	not_ok "snapshot" "$(cat $S/err)"
fi
for f in callers modules summary account tasks leaks; do
	expect_eq "snapshot has $f" "$(sed -n '1s/ - version: .*//p' $S/1/$f)" "kmemscope $f"
done
expect_eq "snapshot has meminfo" "$(grep -c '^Slab:' $S/1/meminfo)" 1
t=$(sed -n 's/^time: //p' $S/1/info)
case $t in
[1-9]*[0-9]) ok "snapshot info: time $t" ;;
*) not_ok "snapshot info: time" "$(cat $S/1/info)" ;;
esac

# ---- ks_fixture loaded -------------------------------------------------
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
kmemscope-snap snapshot $S/2 || not_ok "snapshot after insmod ks_fixture"
if kmemscope-snap diff $S/1 $S/2 >$S/d12 2>$S/err; then
	ok "diff after insmod"
else
	not_ok "diff after insmod" "$(cat $S/err)"
fi
check_format $S/d12 "diff after insmod"
expect_eq "diff after insmod: reset_between" "$(diff_field $S/d12 reset_between)" no
expect_eq "diff after insmod: module ks_fixture" "$(diff_module $S/d12 ks_fixture)" "$FIX_TOTAL 16 32 16 0 $FIX_TOTAL - loaded"
expect_eq "diff after insmod: ks_fixture_kmalloc_held" "$(diff_site $S/d12 ks_fixture_kmalloc_held)" "$FIX_KMALLOC 8 8 0 kmalloc ks_fixture"
expect_eq "diff after insmod: ks_fixture_kzalloc_held" "$(diff_site $S/d12 ks_fixture_kzalloc_held)" "$FIX_KZALLOC 2 2 0 kmalloc ks_fixture"
expect_eq "diff after insmod: ks_fixture_cache_held" "$(diff_site $S/d12 ks_fixture_cache_held)" "1000 5 5 0 kmem_cache ks_fixture"
expect_eq "diff after insmod: ks_fixture_large_held" "$(diff_site $S/d12 ks_fixture_large_held)" "$FIX_LARGE 1 1 0 kmalloc ks_fixture"
expect_eq "diff after insmod: ks_fixture_churn" "$(diff_site $S/d12 ks_fixture_churn)" "0 0 16 16 kmalloc ks_fixture"
expect_eq "diff after insmod: ks_fixture's sites and no others" "$(diff_fns $S/d12 ks_fixture)" \
	"ks_fixture_cache_held ks_fixture_churn ks_fixture_kmalloc_held ks_fixture_kzalloc_held ks_fixture_large_held "

# ---- the kmalloc group freed -------------------------------------------
echo kmalloc >/sys/kernel/debug/ks_fixture/release
kmemscope-snap snapshot $S/3 || not_ok "snapshot after release"
kmemscope-snap diff $S/2 $S/3 >$S/d23 || not_ok "diff after release"
check_format $S/d23 "diff after release"
expect_eq "diff after release: ks_fixture_kmalloc_held" "$(diff_site $S/d23 ks_fixture_kmalloc_held)" "-$FIX_KMALLOC -8 0 8 kmalloc ks_fixture"
expect_eq "diff after release: module ks_fixture" "$(diff_module $S/d23 ks_fixture)" "-$FIX_KMALLOC -8 0 8 $FIX_TOTAL $((FIX_TOTAL - FIX_KMALLOC)) loaded loaded"
expect_eq "diff after release: no other ks_fixture site changed" "$(diff_fns $S/d23 ks_fixture)" "ks_fixture_kmalloc_held "

# ---- ks_fixture unloaded -----------------------------------------------
run_checked "rmmod ks_fixture" rmmod ks_fixture
kmemscope-snap snapshot $S/4 || not_ok "snapshot after rmmod"
kmemscope-snap diff $S/3 $S/4 >$S/d34 || not_ok "diff after rmmod"
check_format $S/d34 "diff after rmmod"
expect_eq "diff after rmmod: module ks_fixture" "$(diff_module $S/d34 ks_fixture)" "-$((FIX_TOTAL - FIX_KMALLOC)) -8 0 8 $((FIX_TOTAL - FIX_KMALLOC)) 0 loaded unloaded"
expect_eq "diff after rmmod: ks_fixture_kzalloc_held" "$(diff_site $S/d34 ks_fixture_kzalloc_held)" "-$FIX_KZALLOC -2 0 2 kmalloc ks_fixture"
expect_eq "diff after rmmod: ks_fixture_cache_held" "$(diff_site $S/d34 ks_fixture_cache_held)" "-1000 -5 0 5 kmem_cache ks_fixture"
expect_eq "diff after rmmod: ks_fixture_large_held" "$(diff_site $S/d34 ks_fixture_large_held)" "-$FIX_LARGE -1 0 1 kmalloc ks_fixture"
expect_eq "diff after rmmod: ks_fixture's sites" "$(diff_fns $S/d34 ks_fixture)" \
	"ks_fixture_cache_held ks_fixture_kzalloc_held ks_fixture_large_held "

# ---- a reset between two snapshots is flagged ----------------------------
sleep 3
echo reset >$KS/control
kmemscope-snap snapshot $S/5 || not_ok "snapshot after reset"
kmemscope-snap diff $S/4 $S/5 >$S/d45 2>$S/err || not_ok "diff across a reset"
expect_eq "diff across a reset: reset_between" "$(diff_field $S/d45 reset_between)" yes
grep -q 'reset or loaded again' $S/err && ok "diff across a reset: warning" ||
	not_ok "diff across a reset: warning" "$(cat $S/err)"

# ---- watch and plot ----------------------------------------------------
if kmemscope-snap watch -i 1 -n 3 $S/w 2>$S/err; then
	ok "watch -i 1 -n 3"
else
	not_ok "watch -i 1 -n 3" "$(cat $S/err)"
fi
expect_eq "watch: header and 3 rows" "$(wc -l <$S/w/samples.tsv | tr -d ' ')" 4
expect_eq "watch: samples.tsv" "$(awk -F '\t' '
	NR == 1 {
		n = NF
		if ($1 != "time_s" || $2 != "Slab_kB" || $3 != "SUnreclaim_kB" || $4 != "VmallocUsed_kB" || $NF != "other")
			bad = bad " header " $0 ";"
		if (NF < 6 || NF > 13) bad = bad " " NF - 5 " call-site columns;"
		next
	}
	{
		if (NF != n) bad = bad " row " NR " has " NF " fields;"
		for (i = 1; i <= NF; i++) if ($i !~ /^[0-9]+$/) bad = bad " row " NR " field " i " \"" $i "\";"
		if (NR == 2) t1 = $1
		if (NR > 2 && $1 < t) bad = bad " time goes back;"
		t = $1
	}
	END {
		if (t - t1 < 2) bad = bad " 3 samples 1 s apart span " t - t1 " s;"
		print bad == "" ? "ok" : bad
	}' $S/w/samples.tsv)" ok
if kmemscope-snap plot $S/w >/dev/null 2>$S/err; then
	ok "plot"
else
	not_ok "plot" "$(cat $S/err)"
fi
cols=$(head -n1 $S/w/samples.tsv | awk -F '\t' '{ print NF - 1 }')
expect_eq "plot: an SVG with a line per series" \
	"$(sed -n '2s/ .*//p' $S/w/samples.svg) $(grep -c '<polyline' $S/w/samples.svg) $(tail -n1 $S/w/samples.svg)" \
	"<svg $cols </svg>"

# ---- report: the page of a snapshot, made on the board -------------------
cp $S/w/samples.tsv $S/4/
if kmemscope-snap report $S/4 $S/4.html >$S/out 2>$S/err; then
	ok "report"
else
	not_ok "report" "$(cat $S/err)"
fi
expect_eq "report: sections, none missing; the account drawn; kmemscope's and ks_fixture's rows" \
	"$(grep -c '^<section ' $S/4.html) $(grep -c 'class="missing"' $S/4.html) $(grep -c '^<rect class="seg"' $S/4.html | sed 's/^[1-9][0-9]*$/some/') $(grep -c '^<tr><td>kmemscope</td><td>loaded</td>' $S/4.html) $(grep -c '^<tr><td>ks_fixture</td><td>unloaded</td>' $S/4.html)" \
	"7 0 some 1 1"

# ---- help and usage ----------------------------------------------------
kmemscope-snap help >$S/help && ok "help" || not_ok "help"
missing=
for c in snapshot diff watch plot procs report help; do
	grep -q "^  kmemscope-snap $c" $S/help || missing="$missing $c"
done
expect_eq "help documents every command" "${missing:-none missing}" "none missing"
kmemscope-snap frobnicate 2>/dev/null
expect_eq "unknown command: exit status" "$?" 2

run_checked "rmmod kmemscope" rmmod kmemscope

# ---- procs: user memory per process, from /proc alone --------------------
section procs
live_pids() {	# sorted pids whose smaps_rollup has Rss (not kernel threads)
	for d in /proc/[0-9]*; do
		r=
		{ read -r r && read -r r; } 2>/dev/null <"$d/smaps_rollup"	# header, Rss
		case $r in Rss:*) echo "${d#/proc/}" ;; esac
	done | sort -n
}
# a process of a distinctive comm (busybox runs argv[1] as the applet
# when its name starts with "busybox"; a plain "sleep &" would stay "sh")
ln -sf /bin/busybox $S/busybox_ksprocs
$S/busybox_ksprocs sleep 60 &
hold=$!
i=0
while read -r c </proc/$hold/comm && [ "$c" != busybox_ksprocs ] && [ $i -lt 10 ]; do sleep 1; i=$((i + 1)); done
live_pids >$S/pids.before
kmemscope-snap procs >$S/procs 2>$S/err && ok "kmemscope-snap procs" || not_ok "kmemscope-snap procs" "$(cat $S/err)"
live_pids >$S/pids.after
# the quiet guest: only kmemscope-snap's and live_pids' own processes come
# and go, so the processes alive before and after are exactly the rows
# whose process is still alive
awk '$1 == "proc" { print $2 }' $S/procs | sort -n >$S/pids.rows
expect_eq "rows of the processes alive before and after" \
	"$(grep -Fxf $S/pids.after $S/pids.rows | tr '\n' ' ')" "$(grep -Fxf $S/pids.after $S/pids.before | tr '\n' ' ')"
expect_eq "the row of busybox_ksprocs" "$(awk -v p=$hold '$1 == "proc" && $2 == p { print $3 }' $S/procs)" busybox_ksprocs
kill $hold
wait $hold 2>/dev/null
expect_eq "total = the rows' sums; check: pss_anon = the total's" "$(awk '
	$1 == "proc" { n++; for (i = 4; i <= 11; i++) s[i] += $i }
	$1 == "total" { t = $0; pa = $9 }
	$1 == "check:" && $2 == "pss_anon" { c = $3 }
	END { r = "total " n " -"; for (i = 4; i <= 11; i++) r = r " " s[i]; print (r == t ? "ok" : r " != " t) " " (c == pa && c != "" ? "ok" : c " != " pa) }' $S/procs)" "ok ok"
expect_eq "snapshot has procs, info 1.2" "$(head -n1 $S/1/procs)|$(head -n1 $S/1/info)" \
	"kmemscope-snap procs - version: 1.0|kmemscope snapshot - version: 1.2"
# Exact figures: two ks-hold processes (one static binary) map 4096 kB of
# private anonymous memory each; one writes none of it, one all of it:
# they differ by exactly 4096 kB in pss_anon, and not in vss.  Their
# stacks must take as many pages: arguments of one length, and no address
# randomisation (a random stack offset may cross a page).  rss, pss and
# uss also count the binary's pages they have mapped, which fault-around
# maps 64 kB at a time around the code each one ran (the writer's large
# memset() runs code the other's does not: arm64-6.12 showed them one
# page apart): 4096 kB apart give or take one such window.
aslr=$(cat /proc/sys/kernel/randomize_va_space)
echo 0 >/proc/sys/kernel/randomize_va_space
rm -f $S/hold0 $S/hold1
ks-hold 0000 4096 $S/hold0 &
h0=$!
ks-hold 4096 4096 $S/hold1 &
h1=$!
i=0
while { [ ! -e $S/hold0 ] || [ ! -e $S/hold1 ]; } && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
kmemscope-snap procs >$S/procs.hold
awk -v a=$h0 -v b=$h1 '$1 == "proc" && ($2 == a || $2 == b) { print "# " $0 }' $S/procs.hold
hold_diff() {	# the writer's figures less the other's: vss rss pss uss pss_anon
	awk -v a=$h0 -v b=$h1 '
	$1 == "proc" && $2 == a { for (i = 4; i <= 9; i++) x[i] = $i }
	$1 == "proc" && $2 == b { for (i = 4; i <= 9; i++) y[i] = $i }
	END { printf "%.0f %.0f %.0f %.0f %.0f", y[4] - x[4], y[5] - x[5], y[6] - x[6], y[7] - x[7], y[9] - x[9] }' $S/procs.hold
}
expect_eq "ks-hold writing 4096 kB less ks-hold writing none: vss, pss_anon (kB)" \
	"$(hold_diff | awk '{ print $1, $5 }')" "0 4096"
expect_eq "ks-hold writing 4096 kB less ks-hold writing none: rss, pss, uss within 64 kB of 4096 kB" \
	"$(hold_diff | awk '{ for (i = 2; i <= 4; i++) printf "%s ", ($i >= 4096 - 64 && $i <= 4096 + 64) ? "ok" : $i }')" "ok ok ok "
kill $h0 $h1
wait $h0 $h1 2>/dev/null
echo "$aslr" >/proc/sys/kernel/randomize_va_space
