# SPDX-License-Identifier: GPL-2.0
#
# stress-lib.sh - ks_stress's controls and bookkeeping against kmemscope's
# figures, for the guest tests that load it (stress.sh, faults.sh).
# Sourced after lib.sh.

S=/sys/kernel/debug/ks_stress
stress() { echo "$1" >$S/control; }

# kmemscope's call sites of ks_stress summed per context (the function
# kss_alloc_CONTEXT, or kss_hold) and allocator, as in stress_rows:
# "context allocator live_count live_req live_bytes allocs frees"
# (percpu: no live_bytes).
ks_rows() {	# CALLERS-FILE
	callers_awk '
		mod == "ks_stress" {
			fb = fn; sub(/\..*/, "", fb); ctx = fb; sub(/^kss_alloc_/, "", ctx)
			if (fb == "kss_hold") ctx = "hold"
			k = ctx " " $col["allocator"]
			c[k] += $col["live_count"]; r[k] += $col["live_req"]; b[k] += $col["live_bytes"]
			a[k] += $col["allocs"]; fr[k] += $col["frees"]
		}
		END { for (k in c) print k, c[k], r[k], (k ~ / percpu$/ ? "-" : b[k]), a[k], fr[k] }' "$1" | sort
}
# ks_stress's bookkeeping: "context allocator live_count live_req
# live_bytes allocs frees", allocations and frees since the stats in BASE.
stress_rows() {	# BASE STATS
	awk 'FNR == 1 { f++ } /^#/ || NF != 8 { next }
		f == 1 { a[$1 " " $2] = $6; fr[$1 " " $2] = $7; next }
		$6 - a[$1 " " $2] || $3 { print $1, $2, $3, $4, $5, $6 - a[$1 " " $2], $7 - fr[$1 " " $2] }' "$1" "$2" | sort
}
# expect_stress_exact PHASE CALLERS BASE STATS: kmemscope's figures for
# each (context, allocator) of ks_stress equal its own bookkeeping since
# BASE, and kmemscope has no other ks_stress call sites.
# Where the kernel keeps metadata in each kmalloc slot (KASAN on the debug
# target), kmemscope counts the whole slot (lib.sh: kmalloc_bytes) while
# ks_stress counts the kmalloc class: kmalloc's live_bytes are not compared.
expect_stress_exact() {
	ks_rows "$2" >/tmp/ks.rows
	stress_rows "$3" "$4" >/tmp/stress.rows
	if [ "$(kmalloc_bytes 64)" != 64 ]; then
		echo "# $1: kmalloc slots hold metadata here (kmalloc-64 takes $(kmalloc_bytes 64)): kmalloc live_bytes not compared"
		for f in /tmp/ks.rows /tmp/stress.rows; do
			awk '$2 == "kmalloc" { $5 = "slot" } { print }' $f >$f.tmp && mv $f.tmp $f
		done
	fi
	echo "# $1: context allocator live_count live_req live_bytes allocs frees (ks_stress's; kmemscope's must be equal)"
	sed 's/^/#   /' /tmp/stress.rows
	while read -r ctx kind rest; do
		expect_eq "kmemscope = ks_stress: $ctx $kind live_count live_req live_bytes allocs frees" \
			"$(awk -v k="$ctx $kind" '$1 " " $2 == k { $1 = $2 = ""; print substr($0, 3) }' /tmp/ks.rows)" "$rest"
	done </tmp/stress.rows
	expect_eq "kmemscope has no other ks_stress call sites" \
		"$(cut -d' ' -f1,2 /tmp/ks.rows | tr '\n' ,)" "$(cut -d' ' -f1,2 /tmp/stress.rows | tr '\n' ,)"
}

# Load, use and unload ks_fixture in a loop, pausing PAUSE s between two,
# until /tmp/stop.NAME appears; leaves "loads failures" in /tmp/NAME.N.
fixture() {	# NAME N [PAUSE]
	local n=0 bad=0
	while [ ! -e /tmp/stop.$1 ]; do
		[ -n "${3:-}" ] && sleep $3
		if insmod /ko/ks_fixture.ko && echo 3 >/sys/kernel/debug/ks_fixture/grow &&
		   rmmod ks_fixture; then
			n=$((n + 1))
		else
			bad=$((bad + 1))
			rmmod ks_fixture 2>/dev/null
		fi
	done
	echo "$n $bad" >/tmp/$1.$2
}
