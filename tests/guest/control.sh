# SPDX-License-Identifier: GPL-2.0
# suite: integration 40
#
# control.sh - the control file: every command does what it says, bad
# input is refused with an error and changes nothing; the allocations
# view, stacks, filters, reset; file modes and kptr_restrict.
. /tests/lib.sh

section control
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
C=$KS/control
settings() { grep -v version $C | tr '\n' ' '; }

expect_eq "files are root-only" \
	"$(stat -c '%n %a' $KS/summary $KS/callers $KS/modules $KS/allocations $KS/control | sed 's|.*/||' | tr '\n' ' ')" \
	"summary 400 callers 400 modules 400 allocations 400 control 600 "
expect_eq "version lines" \
	"$(for f in summary callers modules allocations control; do head -n1 $KS/$f | sed 's/ - version:.*//'; done | tr '\n' ',')" \
	"kmemscope summary,kmemscope callers,kmemscope modules,kmemscope allocations,kmemscope control,"
expect_eq "defaults" "$(settings)" \
	"tracking: enabled stacks: off stack_depth: 16 filter_module: off filter_min_size: 0 min_age: 10 marks: 0 sample_interval: 0 sample_window: 16 "

# Bad input: each write fails and the settings stay as they were.
before=$(settings)
long=$(printf '%0200d' 0)
bad=0
for cmd in "bogus" "enable extra" "Enable" "stacks" "stacks maybe" \
	   "stacks depth 0" "stacks depth 33" "stacks depth -1" "stacks depth 4x" \
	   "filter" "filter module" "filter module a/b" "filter min_size -1" \
	   "filter min_size 99999999999" "filter off now" "reset now" "$long" \
	   "stacks on module=" "stacks on module=a/b" "stacks off module=ks_fixture" \
	   "$(printf 'stacks\001on')" "$(printf 'reset\tnow')"; do
	if printf '%s' "$cmd" >$C 2>/dev/null; then
		bad=$((bad + 1))
		echo "# accepted: '$cmd'"
	fi
done
for raw in '\n' 'reset\n\n' 'reset\0' '\377\376'; do
	if printf "$raw" >$C 2>/dev/null; then
		bad=$((bad + 1))
		echo "# accepted: printf '$raw'"
	fi
done
expect_eq "malformed commands refused" "$bad" 0
expect_eq "settings unchanged by refused commands" "$(settings)" "$before"
dmesg | grep -q 'control: unknown or malformed command rejected' &&
	ok "refusals are logged" || not_ok "refusals are logged"

# stacks on: backtraces in the allocations view.
echo "stacks depth 8" >$C && echo "stacks on" >$C
expect_eq "stacks on" "$(sed -n 's/^stacks: //p' $C) $(sed -n 's/^stack_depth: //p' $C)" "on 8"
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
cat $KS/allocations >/tmp/allocs
row=$(grep -n ' ks_fixture_kmalloc_held+' /tmp/allocs | head -n1)
line=${row%%:*}
expect_eq "allocations row: sizes, allocator, gfp, comm, module" \
	"$(echo "${row#*:}" | awk '{ print $2, $3, $4, $5, $8, $9 }')" \
	"$(kmalloc_bytes 128) 100 kmalloc GFP_KERNEL insmod ks_fixture"
expect_eq "allocations row: backtrace starts at the call site" \
	"$(sed -n "$((line + 1))p" /tmp/allocs | sed 's/^  \([a-z_]*\)+.*/\1/')" \
	"ks_fixture_kmalloc_held"
depth=$(awk -v l="$line" 'NR > l && /^  / { n++; next } NR > l { exit } END { print n + 0 }' /tmp/allocs)
[ "$depth" -ge 2 ] && [ "$depth" -le 8 ] && ok "backtrace depth $depth within 2..8" ||
	not_ok "backtrace depth $depth within 2..8"
expect_eq "allocations: one row per live fixture allocation" \
	"$(grep -c ' ks_fixture_[a-z_]*+0x[0-9a-f]* \[ks_fixture\]$' /tmp/allocs)" 16
run_checked "rmmod ks_fixture" rmmod ks_fixture

# stacks on module=NAME: backtraces for that module's call sites only,
# including a module loaded after the command; everyone else's
# allocations are recorded without one.  The reset forgets what was
# recorded with stacks on for all.
echo "stacks on module=ks-fixture" >$C && echo reset >$C
expect_eq "stacks on module=: control" "$(sed -n 's/^stacks: //p' $C)" "module=ks_fixture"
expect_eq "stacks on module=: summary" "$(sed -n 's/^stacks: //p' $KS/summary)" \
	"module=ks_fixture, depth 8"
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
cat /proc/modules >/dev/null	# the kernel allocates meanwhile too
cat $KS/allocations >/tmp/allocs
# Rows (not backtrace lines), each with whether a backtrace follows it.
awk '/^[^ #]/ && !/version/ { if (row != "") print bt, row; row = $0; bt = 0; next }
     /^  / { bt = 1 } END { if (row != "") print bt, row }' /tmp/allocs >/tmp/rows
expect_eq "stacks on module=: every fixture allocation has a backtrace" \
	"$(grep -c '^1 .* ks_fixture_[a-z_]*+0x[0-9a-f]* \[ks_fixture\]$' /tmp/rows)" 16
expect_eq "stacks on module=: no other allocation has one" \
	"$(grep -v ' \[ks_fixture\]$' /tmp/rows | grep -c '^1 ')" 0
[ "$(grep -vc ' \[ks_fixture\]$' /tmp/rows)" -gt 0 ] &&
	ok "stacks on module=: other allocations are recorded" ||
	not_ok "stacks on module=: other allocations are recorded" "$(head -n 5 /tmp/allocs)"
run_checked "rmmod ks_fixture" rmmod ks_fixture
echo "stacks on" >$C
expect_eq "stacks on after stacks on module=" "$(sed -n 's/^stacks: //p' $C)" "on"
echo "stacks on module=kernel" >$C
echo "stacks off" >$C
expect_eq "stacks off after stacks on module=" "$(sed -n 's/^stacks: //p' $C)" "off"

# kptr_restrict=2: addresses print as zeros.
echo 2 >/proc/sys/kernel/kptr_restrict
expect_eq "kptr_restrict=2 hides addresses" \
	"$(grep -v '^#' $KS/allocations | grep -v '^ ' | grep -v version | awk '$1 !~ /^0+$/' | wc -l)" 0
echo 0 >/proc/sys/kernel/kptr_restrict

# reset: everything recorded so far is forgotten.
echo reset >$C
expect_eq "reset forgets the fixture's sites" "$(caller_row ks_fixture_kmalloc_held)" ""

# filter module: only that module's allocations are recorded.
echo "filter module ks_fixture" >$C
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "filter module: fixture recorded" \
	"$(caller_row ks_fixture_kmalloc_held)" "$FIX_KMALLOC 800 8 8 0 kmalloc [ks_fixture]"
expect_eq "filter module: nothing else recorded" \
	"$(callers_awk 'mod != "ks_fixture" && $col["allocs"] > 0 { n++ } END { print n + 0 }')" 0
[ "$(summary_field filtered_module)" -gt 0 ] && ok "filter module: exclusions counted" ||
	not_ok "filter module: exclusions counted"
run_checked "rmmod ks_fixture" rmmod ks_fixture
echo "filter off" >$C && echo reset >$C

# filter min_size: allocations smaller than N bytes (allocated) are skipped.
echo "filter min_size 4000" >$C
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "min_size 4000: kmalloc(100) skipped" "$(caller_row ks_fixture_kmalloc_held)" ""
expect_eq "min_size 4000: kzalloc(4000) kept" \
	"$(caller_row ks_fixture_kzalloc_held)" "$FIX_KZALLOC 8000 2 2 0 kmalloc [ks_fixture]"
run_checked "rmmod ks_fixture" rmmod ks_fixture
echo "filter off" >$C && echo reset >$C

# disable: nothing new is recorded; frees still are.
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
echo disable >$C
echo kmalloc >/sys/kernel/debug/ks_fixture/release
expect_eq "disabled: frees still processed" \
	"$(caller_row ks_fixture_kmalloc_held)" "0 0 0 8 8 kmalloc [ks_fixture]"
run_checked "rmmod ks_fixture" rmmod ks_fixture
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "disabled: new allocations not recorded" \
	"$(module_sum ks_fixture)" 0
echo enable >$C
run_checked "rmmod ks_fixture" rmmod ks_fixture

# Reads at odd offsets and sizes.
for f in summary callers modules allocations control; do
	a=$(dd if=$KS/$f bs=1 count=200 2>/dev/null | head -c 30)
	b=$(dd if=$KS/$f bs=7 skip=3 count=9 2>/dev/null | wc -c)
	[ -n "$a" ] && [ "$b" -le 63 ] && ok "read $f in 1- and 7-byte pieces" ||
		not_ok "read $f in 1- and 7-byte pieces" "got '$a' and $b bytes"
done
run_checked "rmmod kmemscope" rmmod kmemscope

# Module parameters out of range: the load fails, says why, leaves nothing.
for p in max_records=63 max_records=16777217 max_sites=15 max_sites=1048577 \
	 max_stacks=15 max_stacks=1048577 unload_delay_ms=60001; do
	load_refused "kmemscope: ${p%%=*}=${p#*=} is out of range" "$p" &&
		ok "insmod with $p refused, logged, nothing left" ||
		not_ok "insmod with $p refused, logged, nothing left"
done
insmod /ko/kmemscope.ko max_records=64 max_sites=16 max_stacks=16 unload_delay_ms=0 &&
	ok "insmod with the smallest values" || not_ok "insmod with the smallest values"
run_checked "rmmod kmemscope" rmmod kmemscope
