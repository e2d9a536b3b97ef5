# SPDX-License-Identifier: GPL-2.0
# suite: integration 70
#
# leaks.sh - leak candidates: what an unloaded module still holds (leaks
# file and the unload report in the kernel log), old allocations by
# min_age, marks (since_mark), and the kernel's own kmemleak-test sample.
. /tests/lib.sh

section leaks
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko unload_delay_ms=300 || stop_script
L=$KS/leaks
expect_eq "leaks: version line" "$(head -n1 $L)" "kmemscope leaks - version: 1.4"
expect_eq "leaks: nothing left out past the rows' cap" \
	"$(grep '^not_listed_over_cap:' $L)" "not_listed_over_cap: 0 groups, 0 allocations, 0 bytes"
expect_eq "since_mark: version line" "$(head -n1 $KS/since_mark)" "kmemscope since_mark - version: 1.1"

# A balanced load and unload: nothing since the mark, no unloaded module.
reports=$(dmesg | grep -c 'ks_fixture unloaded holding')
echo mark >$KS/control
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "since_mark: the fixture's live allocations" \
	"$(awk '$1 == "module:" && $2 == "ks_fixture" { print $3, $4 }' $KS/since_mark)" "16 $FIX_TOTAL"
echo 3 >/sys/kernel/debug/ks_fixture/grow
echo grown >/sys/kernel/debug/ks_fixture/release
run_checked "rmmod ks_fixture" rmmod ks_fixture
sleep 1
expect_eq "since_mark after a balanced load and unload: nothing of ks_fixture" \
	"$(grep -c 'ks_fixture' $KS/since_mark)" 0
expect_eq "leaks after a balanced unload: ks_fixture not listed" \
	"$(grep -c 'ks_fixture' $L)" 0
expect_eq "no unload report for a balanced module" \
	"$(dmesg | grep -c 'ks_fixture unloaded holding')" "$reports"

# A module unloaded still holding memory (leak=1 keeps the kzalloc group).
run_checked "insmod ks_fixture leak=1" insmod /ko/ks_fixture.ko leak=1
run_checked "rmmod ks_fixture (leak=1)" rmmod ks_fixture
sleep 1
cat $L >/tmp/leaks
expect_eq "leaks: unloaded_module line" \
	"$(awk '$1 == "unloaded_module:" && $2 == "ks_fixture" { print $3, $4 }' /tmp/leaks)" "2 $FIX_KZALLOC"
expect_eq "leaks: its call sites, certain leaks first" \
	"$(awk '$1 == "unloaded" && $6 == "ks_fixture" { n += $2; b += $3; s = $7 } END { print n, b, s }' /tmp/leaks)" \
	"2 $FIX_KZALLOC unloaded"
expect_eq "leaks: the first row is the certain leak" \
	"$(grep -v '^#' /tmp/leaks | awk 'NF >= 8 && ($1 == "unloaded" || $1 == "old") { print $1; exit }')" unloaded
expect_eq "unload report in the kernel log" \
	"$(dmesg | sed -n 's/.*kmemscope: \(ks_fixture unloaded holding [0-9]* bytes in [0-9]* allocations\).*/\1/p' | tail -n1)" \
	"ks_fixture unloaded holding $FIX_KZALLOC bytes in 2 allocations"
# The two kzalloc() calls are two call sites where the compiler unrolls
# ks_fixture_kzalloc_held()'s loop (gcc 12 and 14: 6.1, 6.12) and one where
# it does not (gcc 16: 7.2): the report's top list follows the sites the
# leaks view lists for it.
kz_sites=$(awk '$1 == "unloaded" && $6 == "ks_fixture" && $8 ~ /^ks_fixture_kzalloc_held\+/' /tmp/leaks | wc -l)
kz_site='ks_fixture_kzalloc_held+0x[0-9a-f]*'
case $kz_sites in
1) kz_top="$kz_site $FIX_KZALLOC/2" ;;
*) kz_top="$kz_site $((FIX_KZALLOC / 2))/1, $kz_site $((FIX_KZALLOC / 2))/1" ;;
esac
expect_eq "unload report kept in leaks ($kz_sites call sites)" \
	"$(grep -c "^report: ks_fixture unloaded holding $FIX_KZALLOC bytes in 2 allocations; top: $kz_top" /tmp/leaks)" 1

# min_age: 0 lists every live allocation as old; a large value none.
echo "min_age 0" >$KS/control
[ "$(grep -c '^old ' $L)" -gt 0 ] && ok "min_age 0: live allocations listed as old" ||
	not_ok "min_age 0: live allocations listed as old"
echo "min_age 100000" >$KS/control
expect_eq "min_age 100000: no old allocations" "$(grep -c '^old ' $L)" 0
expect_eq "min_age 100000: the certain leak stays" \
	"$(awk '$1 == "unloaded_module:" && $2 == "ks_fixture" { print $4 }' $L)" $FIX_KZALLOC
echo "min_age 10" >$KS/control

# With stacks on, old allocations are grouped by backtrace too.
echo "stacks on" >$KS/control
echo "min_age 0" >$KS/control
run_checked "insmod ks_fixture (stacks on)" insmod /ko/ks_fixture.ko
cat $L >/tmp/leaks
line=$(grep -n ' ks_fixture_kmalloc_held+0x[0-9a-f]* \[ks_fixture\]$' /tmp/leaks | head -n1 | cut -d: -f1)
expect_eq "old allocations grouped by call site and backtrace" \
	"$(sed -n "${line}p" /tmp/leaks | awk '{ print $1, $2, $3 }') $(sed -n "$((line + 1))p" /tmp/leaks | sed 's/^  \([a-z_]*\)+.*/\1/')" \
	"old 8 $FIX_KMALLOC ks_fixture_kmalloc_held"
run_checked "rmmod ks_fixture (stacks on)" rmmod ks_fixture
echo "stacks off" >$KS/control
echo "min_age 10" >$KS/control

# Growth: a site that leaks a little every second is flagged within a
# bounded time; a steady working set (freed and allocated again) is not.
echo "sample window 8" >$KS/control && echo "sample interval 1" >$KS/control
expect_eq "sampler on" "$(sed -n 's/^sample_interval: //p' $KS/control) $(sed -n 's/^sample_window: //p' $KS/control)" "1 8"
run_checked "insmod ks_fixture (sampler on)" insmod /ko/ks_fixture.ko
F=/sys/kernel/debug/ks_fixture
for i in 1 2 3 4 5 6 7 8 9 10 11 12; do
	echo grown >$F/release
	echo 4 >$F/grow
	sleep 1
done
expect_eq "steady working set: not growing" "$(grep -c '^growing: .* ks_fixture_grow+' $L)" 0
echo grown >$F/release
flagged=0
for i in $(seq 1 20); do
	echo 1 >$F/grow
	sleep 1
	if grep -q '^growing: .* ks_fixture_grow+' $L; then
		flagged=$i
		break
	fi
done
[ "$flagged" -gt 0 ] && ok "slow leak (300 bytes a second) flagged after $flagged s" ||
	not_ok "slow leak flagged within 20 s"
grep '^growing: .* ks_fixture_grow+' $L | sed 's/^/# /'
echo "sample interval 0" >$KS/control
expect_eq "sampler off" "$(summary_field sampler)" off
run_checked "rmmod ks_fixture (sampler)" rmmod ks_fixture

# The kernel's kmemleak-test sample leaks on purpose: after its rmmod,
# everything it allocated is reported under its name, and nothing else.
# Its figures are known (lib.sh: kmemleak_test_figures), not kmemscope's
# own: it is loaded right after the fixture's unload, while that unload's
# report and fold (unload_delay_ms later) run and its new code may sit
# where the fixture's was.
if [ -e /ko/kmemleak-test.ko ]; then
	want=$(kmemleak_test_figures)
	want_n=${want% *} want_b=${want#* }
	run_checked "insmod kmemleak-test" insmod /ko/kmemleak-test.ko
	expect_eq "kmemleak-test: its allocations and bytes after load" \
		"$(module_live_count kmemleak_test)" "$want"
	run_checked "rmmod kmemleak_test" rmmod kmemleak_test
	sleep 1
	cat $L >/tmp/leaks
	expect_eq "kmemleak-test: leaks lists all it held" \
		"$(awk '$1 == "unloaded_module:" && $2 == "kmemleak_test" { print $3, $4 }' /tmp/leaks)" "$want"
	expect_eq "kmemleak-test: its rows sum to the same" \
		"$(awk '$1 == "unloaded" && $6 == "kmemleak_test" { n += $2; b += $3 } END { print n + 0, b + 0 }' /tmp/leaks)" "$want"
	expect_eq "kmemleak-test: unload report" \
		"$(dmesg | sed -n 's/.*kmemscope: \(kmemleak_test unloaded holding [0-9]* bytes in [0-9]* allocations\).*/\1/p' | tail -n1)" \
		"kmemleak_test unloaded holding $want_b bytes in $want_n allocations"
	for f in dropped_pool_full dropped_site_table_full dropped_recursion; do
		expect_eq "kmemleak-test: summary $f" "$(summary_field $f)" 0
	done
fi

# Reports per load: a second leaking load of ks_fixture reports what that
# load holds, and what all its loads hold; a balanced load after it
# reports nothing (the earlier leaks are not this load's).
held_b=$(module_sum ks_fixture) held_n=$(module_sum ks_fixture live_count)
run_checked "insmod ks_fixture leak=1 (again)" insmod /ko/ks_fixture.ko leak=1
run_checked "rmmod ks_fixture (leak=1, again)" rmmod ks_fixture
sleep 1
expect_eq "unload report of a second leaking load: this load's, then all loads'" \
	"$(dmesg | sed -n 's/.*kmemscope: \(ks_fixture unloaded holding [^;]*\);.*/\1/p' | tail -n1)" \
	"ks_fixture unloaded holding $FIX_KZALLOC bytes in 2 allocations (all its loads: $((held_b + FIX_KZALLOC)) bytes in $((held_n + 2)))"
reports=$(dmesg | grep -c 'ks_fixture unloaded holding')
run_checked "insmod ks_fixture (balanced, after leaks)" insmod /ko/ks_fixture.ko
run_checked "rmmod ks_fixture (balanced, after leaks)" rmmod ks_fixture
sleep 1
expect_eq "no unload report for a balanced load after leaking ones" \
	"$(dmesg | grep -c 'ks_fixture unloaded holding')" "$reports"
run_checked "rmmod kmemscope" rmmod kmemscope
