# SPDX-License-Identifier: GPL-2.0
# lib.sh - TAP helpers for kmemscope's guest test scripts (sourced).
#
#   ok DESC / not_ok DESC [DIAG...]    one result
#   expect_eq DESC GOT WANT            ok when equal, else not ok with both
#   section NAME                       prefixes the following descriptions
#   run_checked DESC CMD...            ok when CMD succeeds, else not ok
#                                      with its status and output
# Results are "ok - [section] desc" / "not ok - [section] desc"; the host
# numbers and counts them.

KS=/sys/kernel/debug/kmemscope
_section=

# The kernel's page size in bytes (4096, 16384, 65536, ...), read once from
# the kernel: the KernelPageSize of this process's mappings.  Every
# expectation in pages or page-rounded bytes is computed from it.  No
# default: without it no figure could be checked, so the script stops.
PAGE_SIZE=$(awk '/^KernelPageSize:/ { print $2 * 1024; exit }' /proc/self/smaps 2>/dev/null)
case $PAGE_SIZE in
[1-9]*[0-9]) ;;
*)	echo "not ok - page size: no KernelPageSize in /proc/self/smaps ('$PAGE_SIZE')"
	exit 1 ;;
esac
PAGE_KB=$((PAGE_SIZE / 1024))
# The highest page order the buddy allocator has (MAX_PAGE_ORDER): one
# /proc/buddyinfo column per order from 0.
MAX_ORDER=$(awk '/zone/ { print NF - 5; exit }' /proc/buddyinfo 2>/dev/null)
case $MAX_ORDER in
[1-9] | [1-9][0-9]) ;;
*)	echo "not ok - page orders: no zone in /proc/buddyinfo ('$MAX_ORDER')"
	exit 1 ;;
esac

section() { _section="$*"; }

ok() { echo "ok - ${_section:+$_section: }$1"; }

not_ok() {
	local d=$1
	shift
	echo "not ok - ${_section:+$_section: }$d"
	for l in "$@"; do echo "#   $l"; done
}

expect_eq() {
	expect_eq_note "$1" "$2" "$3" ""
}

# expect_eq_note DESC GOT WANT EXPLAIN: expect_eq; when GOT is not WANT,
# the output of the command EXPLAIN (the figures that would explain it)
# on the not ok line itself, the line a check's summary repeats.  It
# runs only then: reading kmemscope's files records what is pending.
expect_eq_note() {
	if [ "$2" = "$3" ]; then
		ok "$1 = $3"
	else
		not_ok "$1${4:+ ($($4))}" "got:  '$2'" "want: '$3'"
	fi
}

# load_refused PATTERN PARAM...: insmod kmemscope with PARAMs fails, one
# of the last lines of the kernel log holds PATTERN (a fixed string), and
# its debugfs directory is not there.  Otherwise says why as a TAP comment
# (and unloads kmemscope if it loaded).
load_refused() {
	local pat=$1
	shift
	if insmod /ko/kmemscope.ko "$@" 2>/dev/null; then
		echo "#   $*: loaded"
		rmmod kmemscope
		return 1
	fi
	if ! dmesg | tail -n 5 | grep -Fq -- "$pat" || [ -e $KS ]; then
		echo "#   $*: $(dmesg | tail -n 1)"
		return 1
	fi
}

# callers_awk AWK-PROGRAM [FILE]: the callers file (default $KS/callers)
# read by kmemscope-snap, the one parser of it (its version line checked,
# its columns named by the header line): in AWK-PROGRAM, $col["live_bytes"]
# is a column's value, `site` the call site ("symbol+0xoff [module]", to
# the end of the line), `fn` its function, `mod` its module.  Its awk
# names are taken: f(), tbl_row(), num(), abs(), hdr, nc, sc, extra, err.
callers_awk() {	# AWK-PROGRAM [FILE]
	kmemscope-snap callers-awk "$@"
}

# caller_row FUNC: the callers rows of the sites in function FUNC, summed:
# "live_bytes live_req live_count allocs frees allocator [module]".
caller_row() {
	f=$1 callers_awk '
		fn == ENVIRON["f"] { b += $col["live_bytes"]; r += $col["live_req"]; c += $col["live_count"];
			    al += $col["allocs"]; fr += $col["frees"]; k = $col["allocator"]; m = mod; n++ }
		END { if (n) print b, r, c, al, fr, k, "[" m "]" }'
}

# module_sum MODULE [COLUMN [ALLOCATOR]]: COLUMN (default live_bytes)
# summed over the call sites of MODULE (of ALLOCATOR only, when given).
module_sum() {
	mm=$1 k=${2:-live_bytes} al=${3:-} callers_awk '
		mod == ENVIRON["mm"] && (ENVIRON["al"] == "" || $col["allocator"] == ENVIRON["al"]) {
			s += $col[ENVIRON["k"]]
		}
		END { print s + 0 }'
}

# summary_field KEY: the value of "KEY: value" in the summary.
summary_field() {
	sed -n "s/^$1: *//p" "$KS/summary" | head -n1
}

# kmalloc_bytes CLASS: the bytes kmemscope counts as allocated for one
# object of the kmalloc-CLASS cache: the kmalloc tracepoint's bytes_alloc,
# the cache's whole slot (slab_size).  That is CLASS, unless the kernel
# keeps metadata in each slot: KASAN's on the debug target (kmalloc-128
# takes 256 there).  The caches from 1024 bytes are named kmalloc-1k, ...
kmalloc_bytes() {
	_kb_name=$1
	[ $(($1 % 1024)) -eq 0 ] && _kb_name=$(($1 / 1024))k
	cat "/sys/kernel/slab/kmalloc-$_kb_name/slab_size" 2>/dev/null || echo "$1"
}

# page_round BYTES: BYTES rounded up to whole pages (what vmalloc takes).
page_round() {
	echo $(( ($1 + PAGE_SIZE - 1) / PAGE_SIZE * PAGE_SIZE ))
}

# order_bytes BYTES: the bytes of the smallest power-of-two block of pages
# that holds BYTES (PAGE_SIZE << get_order(BYTES)).
order_bytes() {
	_ob=$PAGE_SIZE
	while [ "$_ob" -lt "$1" ]; do _ob=$((_ob * 2)); done
	echo "$_ob"
}

# kmalloc_large_bytes BYTES: what kmemscope counts for a kmalloc(BYTES)
# above the 4 KiB class: the kmalloc caches go up to two pages
# (KMALLOC_MAX_CACHE_SIZE: 8 KiB with 4 KiB pages, 32 KiB with 16 KiB
# pages), with a power of two each; larger requests take a block of pages
# straight from the page allocator.
kmalloc_large_bytes() {
	_kl=$(order_bytes "$1")
	if [ "$1" -le $((2 * PAGE_SIZE)) ]; then kmalloc_bytes "$_kl"; else echo "$_kl"; fi
}

# What ks_fixture (tests/fixtures/ks_fixture.c) holds after load, on this
# kernel: 8 x kmalloc(100), 2 x kzalloc(4000), 5 cache objects of 200
# bytes and one kmalloc(20000) (8 pages of 4 KiB from the page allocator,
# or one object of the kmalloc-32k cache with 16 KiB pages).
FIX_KMALLOC=$((8 * $(kmalloc_bytes 128)))
FIX_KZALLOC=$((2 * $(kmalloc_bytes 4096)))
FIX_LARGE=$(kmalloc_large_bytes 20000)
FIX_TOTAL=$((FIX_KMALLOC + FIX_KZALLOC + 1000 + FIX_LARGE))

# acct_line NAME [FILE]: the pages of the account line NAME in FILE
# (default: a read of the account now), 0 when the account has no such
# line (a module's direct and dma lines are printed only when it holds
# pages).
acct_line() {
	awk -v n="$1" '$1 == n { print $2 + 0; f = 1 } END { if (!f) print 0 }' "${2:-$KS/account}"
}

# stop_script: end the script here, on purpose (after a failure that
# leaves nothing more to check, or when the rest does not apply).  The
# harness takes a script that ends before its last line otherwise for one
# a shell error stopped, and counts it as a failure.
stop_script() {
	echo "# harness: stopped on purpose"
	exit 0
}

# run_checked DESC CMD...: run CMD (insmod, rmmod, modprobe, ...); ok DESC
# when it succeeds, else not ok DESC with its exit status and its output
# as TAP comments.  Returns CMD's status.
run_checked() {
	local d=$1 out rc=0
	shift
	out=$("$@" 2>&1) || rc=$?
	if [ "$rc" -eq 0 ]; then
		ok "$d"
	else
		not_ok "$d" "'$*' exited $rc:"
		echo "$out" | sed 's/^/#     /'
	fi
	return "$rc"
}

# module_live_count MODULE: live allocations and live bytes of all call
# sites in MODULE, as "COUNT BYTES".
module_live_count() {
	echo "$(module_sum "$1" live_count) $(module_sum "$1")"
}

# The kernel's samples/kmemleak/kmemleak-test.c (module kmemleak_test):
# what it allocates at load, all from its init function (tests/guest/
# kmemleak.sh has the table and the kernels' differences).
#
# Possible CPUs from a list such as "0-1" or "0,2-3".
possible_cpus() {
	tr ',' '\n' </sys/devices/system/cpu/possible |
		awk -F- 'NF == 2 { n += $2 - $1 + 1; next } NF == 1 && $1 != "" { n++ } END { print n + 0 }'
}
NCPU=$(possible_cpus)
# The smallest kmalloc class: arm64 5.10 and 6.1 have ARCH_DMA_MINALIGN
# 128 (until 6.5): no kmalloc cache below 128, and none of 192.
case "$(uname -m) $(uname -r)" in
aarch64\ 5.10.* | aarch64\ 6.1.*) KMIN=128 ;;
*) KMIN=8 ;;
esac

# kclass BYTES: the kmalloc class of a request of BYTES on this kernel.
kclass() {
	awk -v r="$1" -v min="$KMIN" 'BEGIN {
		split("8 16 32 64 96 128 192 256 512 1024 2048 4096 8192", c, " ")
		for (i = 1; i <= 13; i++) {
			if (c[i] < min) continue
			if (min >= 64 && c[i] == 96) continue
			if (min >= 128 && c[i] == 192) continue
			if (c[i] >= r) { print c[i]; exit }
		}
	}'
}

# "REQUEST COUNT CLASS" for every kmalloc/kzalloc call of the sample.
kmalloc_calls() {
	echo "32 2 $(kclass 32)"
	echo "1024 2 $(kclass 1024)"
	echo "2048 2 $(kclass 2048)"
	echo "4096 2 $(kclass 4096)"
	echo "416 10 $(kclass 416)"
	echo "129 $NCPU $(kclass 129)"
}

# Its five vmalloc(64) calls are seen only where kmemscope hooks vmalloc.
has_vmalloc_hook() { grep -q '^hook: vmalloc ' $KS/summary; }

# kmemleak_test_figures: "COUNT BYTES" the sample holds after its load:
# every kmalloc at its cache's slot size (kmalloc_bytes), and with the
# vmalloc hook five pages.  kmemscope must be loaded (its summary).
kmemleak_test_figures() {
	_kn=0 _kb=0
	while read -r _req _n _cls; do
		_kn=$((_kn + _n)) _kb=$((_kb + _n * $(kmalloc_bytes "$_cls")))
	done <<EOF
$(kmalloc_calls)
EOF
	has_vmalloc_hook && _kn=$((_kn + 5)) _kb=$((_kb + 5 * PAGE_SIZE))
	echo "$_kn $_kb"
}

# Proactive compaction off (compaction_hold) and back to what it was
# (compaction_release) around two account reads that must agree:
# kcompactd holds the free pages it isolates and the pages it migrates
# outside every line of the account until it is done (arm64-6.12-16k,
# board-256m: unexplained rose by 861 pages and was back a read later,
# while /proc/vmstat's compact_isolated rose by 1,814).  Kernels without
# the sysctl (no proactive compaction) are left as they are.
_PROACTIVE=/proc/sys/vm/compaction_proactiveness
compaction_hold() {
	_proactive=
	[ -w $_PROACTIVE ] || return 0
	_proactive=$(cat $_PROACTIVE)
	echo 0 >$_PROACTIVE
}
compaction_release() {
	[ -z "${_proactive:-}" ] || echo "$_proactive" >$_PROACTIVE
	_proactive=
}

# vmstat_moved BEFORE AFTER: the /proc/vmstat counters that differ
# between two copies of it, "name +delta; " each (for a failure's
# diagnosis: compaction, migration, reclaim at work meanwhile).
vmstat_moved() {
	awk 'NR == FNR { a[$1] = $2; next } a[$1] != $2 { printf "%s %+d; ", $1, $2 - a[$1] }' "$1" "$2"
}
