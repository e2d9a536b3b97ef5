# SPDX-License-Identifier: GPL-2.0
# suite: integration 35
#
# dma.sh - DMA API buffers (tests/fixtures/ks_dma.c: a platform device of
# its own) are charged to the driver, as allocator "dma", with the bytes
# that served them: CMA gives whole pages (PAGE_ALIGN), the page allocator
# a power-of-two block.  Which one served a buffer is read from the
# kernel's own CmaFree, so every figure here is checked against a counter
# kmemscope does not keep.  The pages under a buffer are not counted again
# as page records; all of it goes back to zero after free and rmmod, and a
# buffer left behind at unload is in leaks and the unload report.
. /tests/lib.sh

section dma
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko unload_delay_ms=300 || stop_script
run_checked "insmod ks_dma" insmod /ko/ks_dma.ko || { rmmod kmemscope; stop_script; }
D=/sys/kernel/debug/ks_dma

# CmaFree in kB (0 when the kernel has no CMA).
cma_free() { awk '$1 == "CmaFree:" { print $2; f = 1 } END { if (!f) print 0 }' /proc/meminfo; }
dma_field() { summary_field "$1" | awk '{ print $1 + 0 }'; }
pages_dma() { dma_field pages_dma_backing; }
mod_pages() { module_sum ks_dma live_bytes page; }
# dma_row FUNC: caller_row of FUNC's dma sites alone.
dma_row() {
	f=$1 callers_awk '
		fn == ENVIRON["f"] && $col["allocator"] == "dma" {
			b += $col["live_bytes"]; r += $col["live_req"]; c += $col["live_count"]
			al += $col["allocs"]; fr += $col["frees"]; m = mod; n++ }
		END { if (n) print b, r, c, al, fr, "dma", "[" m "]" }'
}

echo "# CmaTotal: $(awk '$1 == "CmaTotal:" { print $2 }' /proc/meminfo) kB, page size $PAGE_SIZE"
want_bytes=0 want_n=0 cma_n=0 pages_n=0
from_cma0=$(dma_field dma_from_cma)
from_pages0=$(dma_field dma_from_pages)
backing0=$(pages_dma)

# take CMD SIZE: one buffer; adds what it must hold to want_bytes.
take() {
	c0=$(cma_free)
	echo "$1 $2" >$D/run || { not_ok "$1 $2: the driver could not take it"; return; }
	c1=$(cma_free)
	got_kb=$((c0 - c1))
	if [ "$got_kb" -gt 0 ]; then
		# CMA: the kernel counts whole pages; so must kmemscope.
		expect_eq "$1 $2: CmaFree fell by the buffer's pages (kB)" "$got_kb" \
			$(($(page_round "$2") / 1024))
		want_bytes=$((want_bytes + got_kb * 1024)) cma_n=$((cma_n + 1))
	else
		want_bytes=$((want_bytes + $(order_bytes "$2"))) pages_n=$((pages_n + 1))
	fi
	want_n=$((want_n + 1))
}

take coherent 65536
take coherent 3000
take coherent 12288
cur=$(dma_row ks_dma_take_coherent)
expect_eq "dma_alloc_coherent: the driver's call site" "$cur" \
	"$want_bytes $((65536 + 3000 + 12288)) 3 3 0 dma [ks_dma]"
coherent=$want_bytes

# dmam_alloc_coherent(): through devres, charged past the wrapper.
take managed 8192
managed=$((want_bytes - coherent))
expect_eq "dmam_alloc_coherent: the driver's call site" \
	"$(dma_row ks_dma_take_managed)" "$managed 8192 1 1 0 dma [ks_dma]"

# A dma_pool: its blocks come from one chunk of a page (a block of 256
# bytes; the chunk is dma_alloc_coherent(PAGE_SIZE)).
echo "pool 10" >$D/run
expect_eq "dma_pool: one chunk charged to the driver's call site" \
	"$(dma_row ks_dma_take_blocks)" "$PAGE_SIZE $PAGE_SIZE 1 1 0 dma [ks_dma]"
pages_n=$((pages_n + 1))
want_bytes=$((want_bytes + PAGE_SIZE)) want_n=$((want_n + 1))

# dma_alloc_noncoherent() (dma_alloc_pages(): keyed by its page; 5.10: a
# wrapper over it) and, from 5.12, dma_alloc_noncontiguous() (keyed by
# its sg_table).
before=$want_bytes
take noncoherent 8192
expect_eq "dma_alloc_noncoherent: the driver's call site" \
	"$(dma_row ks_dma_take_noncoherent)" "$((want_bytes - before)) 8192 1 1 0 dma [ks_dma]"
noncontig=0
nc_state=$(awk '$1 == "hook:" && $2 == "dma_alloc_noncontiguous" { print $3 }' $KS/summary)
if [ "$nc_state" = untested ]; then
	before=$want_bytes
	take noncontig 16384
	noncontig=1
	expect_eq "dma_alloc_noncontiguous: the driver's call site" \
		"$(dma_row ks_dma_take_noncontig)" "$((want_bytes - before)) 16384 1 1 0 dma [ks_dma]"
else
	# 5.10 has no such function: the hook is off.
	case $(uname -r) in
	5.10.*) expect_eq "dma_alloc_noncontiguous hook (5.10)" "$nc_state" off ;;
	*) expect_eq "dma_alloc_noncontiguous hook" "$nc_state" untested ;;
	esac
fi
expect_eq "held, as the driver counts it" "$(tr '\n' ' ' <$D/held)" \
	"coherent 3 80824 managed 1 8192 pool 10 2560 noncoherent 1 8192 noncontig $noncontig $((noncontig * 16384)) "

mod_dma=$(module_sum ks_dma live_bytes dma)
want_mod=$want_bytes
expect_eq "ks_dma's dma bytes (callers)" "$mod_dma" "$want_mod"
expect_eq "ks_dma's dma_bytes in modules" \
	"$(awk 'NR == 2 { for (i = 2; i <= NF; i++) c[$i] = i - 1 } $1 == "ks_dma" { print $c["dma_bytes"] }' $KS/modules)" \
	"$want_mod"
expect_eq "modules: version line" "$(head -n1 $KS/modules)" "kmemscope modules - version: 2.0"
expect_eq "ks_dma has no page records" "$(mod_pages)" 0
expect_eq "no page records at the DMA API's page-allocator calls (counted as dma buffers, not twice)" \
	"$(callers_awk '$col["allocator"] == "page" && fn ~ /dma/ && $col["live_count"] > 0 { print fn }' | tr '\n' ' ')" ""

expect_eq "summary: buffers served by CMA" "$(($(dma_field dma_from_cma) - from_cma0))" "$cma_n"
expect_eq "summary: buffers served by the page allocator" \
	"$(($(dma_field dma_from_pages) - from_pages0))" "$pages_n"
expect_eq "summary: the page allocator's DMA pages counted as dma_backing" \
	"$(($(pages_dma) - backing0))" "$pages_n"
expect_eq "summary: no DMA buffer left unsized" "$(dma_field dma_unsized)" 0
# Every CMA event came inside a DMA API call that recorded it.
expect_eq "summary: no CMA taken outside a DMA API call (calls, pages)" \
	"$(dma_field cma_unrecorded) $(dma_field cma_unrecorded_pages)" "0 0"
# The dma view: ks_dma's platform device (no driver bound: "-"), its
# buffers one row each, and the sums of its device rows.
cat $KS/dma >/tmp/dma
expect_eq "dma: version line" "$(head -n1 /tmp/dma)" "kmemscope dma - version: 1.1"
expect_eq "dma: ks_dma's device rows (bytes, count)" \
	"$(awk '$1 == "device:" && $5 == "ks_dma" && $7 == "ks_dma" { b += $2; n += $3 } END { print b + 0, n + 0 }' /tmp/dma)" \
	"$want_mod $want_n"
expect_eq "dma: ks_dma's buffer rows (bytes, count)" \
	"$(awk '$1 == "buffer:" && $6 == "ks_dma" && $8 == "ks_dma" { b += $2; n++ } END { print b + 0, n + 0 }' /tmp/dma)" \
	"$want_mod $want_n"
expect_eq "dma: its buffers served by CMA, by the rows' source" \
	"$(awk '$1 == "buffer:" && $6 == "ks_dma" && $5 ~ /^cma/ { n++ } END { print n + 0 }' /tmp/dma)" "$cma_n"
expect_eq "dma: the 64 KiB buffer's row: size, device, driver, module, call site" \
	"$(awk '$1 == "buffer:" && $3 == 65536 && $6 == "ks_dma" { print $3, $6, $7, $8, $9 }' /tmp/dma | sed 's/+0x[0-9a-f]*$//')" \
	"65536 ks_dma - ks_dma ks_dma_take_coherent"
expect_eq "dma: the sources' live bytes = the buffers'" \
	"$(awk '$1 == "source:" { s += $3 } $1 == "buffer:" { b += $2 } END { print s + 0 }' /tmp/dma)" \
	"$(awk '$1 == "buffer:" { b += $2 } END { print b + 0 }' /tmp/dma)"
expect_eq "dma: nothing left out" "$(sed -n 's/^buffers: [0-9]* listed, \([0-9]*\) not listed.*/\1/p' /tmp/dma)" 0
# The areas: every CMA area's size adds up to the kernel's CmaTotal, their
# free pages to its CmaFree (read just after: a moment apart), what they
# hold to the CMA buffers listed, and ks_dma is a holder of exactly its
# CMA buffers.
cma_total=$(awk '$1 == "CmaTotal:" { print $2 }' /proc/meminfo)
if [ "${cma_total:-0}" -gt 0 ]; then
	# CmaFree leaves out the CPUs' pending counter deltas (a stat
	# threshold each, tens of pages on these boards); the areas' free
	# pages are counted: 256 pages apart at most.
	cat $KS/dma >/tmp/dma
	cma_free_kb=$(cma_free)
	tol_kb=$((PAGE_SIZE / 4))
	expect_eq "dma: the CMA areas' sizes make CmaTotal (kB)" \
		"$(awk '$1 == "area:" && $3 == "cma" { s += $4 } END { print s / 1024 }' /tmp/dma)" "$cma_total"
	diff_kb=$(awk -v f="$cma_free_kb" '$1 == "area:" && $3 == "cma" { s += $5 } END { d = s / 1024 - f; print d < 0 ? -d : d }' /tmp/dma)
	if [ "$diff_kb" -le "$tol_kb" ]; then
		ok "dma: the CMA areas' free pages are CmaFree ($diff_kb kB apart, at most 256 pages)"
	else
		not_ok "dma: the CMA areas' free pages are not CmaFree ($diff_kb kB apart)" \
			"$(grep '^area:' /tmp/dma) CmaFree $cma_free_kb kB"
	fi
	expect_eq "dma: the CMA areas hold the CMA buffers listed (bytes, count)" \
		"$(awk '$1 == "area:" && $3 == "cma" { b += $6; n += $7 } END { print b + 0, n + 0 }' /tmp/dma)" \
		"$(awk '$1 == "buffer:" && $5 ~ /^cma/ { b += $2; n++ } END { print b + 0, n + 0 }' /tmp/dma)"
	expect_eq "dma: ks_dma's holder rows = its CMA buffers (bytes, count)" \
		"$(awk '$1 == "holder:" && $3 == "ks_dma" && $4 == "ks_dma" { b += $5; n += $6 } END { print b + 0, n + 0 }' /tmp/dma)" \
		"$(awk '$1 == "buffer:" && $8 == "ks_dma" && $5 ~ /^cma/ { b += $2; n++ } END { print b + 0, n + 0 }' /tmp/dma)"
	# The account: each CMA area inside managed, with what ks_dma holds.
	cma_pages=$(awk '$1 == "buffer:" && $8 == "ks_dma" && $5 ~ /^cma/ { b += $2 } END { print b / '"$PAGE_SIZE"' }' /tmp/dma)
	expect_eq "account: the CMA pool rows (pages, held) = the dma file's areas" \
		"$(awk '$1 == "pool:" && $3 == "cma" && $4 == "managed" { p += $5; h += $6 } END { print p + 0, h + 0 }' $KS/account)" \
		"$(awk '$1 == "area:" && $3 == "cma" { p += $4; h += $6 } END { print p / '"$PAGE_SIZE"', h / '"$PAGE_SIZE"' }' /tmp/dma)"
	expect_eq "account: ks_dma a holder of CMA, by its buffers' pages" \
		"$(awk '$1 == "pool:" && $3 == "cma" { n = split($8, h, ","); for (i = 1; i <= n; i++) if (h[i] ~ /^ks_dma:/) { sub(/^ks_dma:/, "", h[i]); s += h[i] } } END { print s + 0 }' $KS/account)" \
		"$cma_pages"
	expect_eq "dma: no CMA area holds less than nothing or more than its size" \
		"$(awk '$1 == "area:" && $3 == "cma" && ($8 < 0 || $6 > $4) { print $2 }' /tmp/dma)" ""
else
	expect_eq "dma: no CMA area rows without CMA" "$(grep -c '^area: [^ ]* cma ' /tmp/dma)" 0
fi
expect_eq "allocations: ks_dma's dma records" \
	"$(awk '$0 ~ /\[ks_dma\]/ && / dma / { n++ } END { print n + 0 }' $KS/allocations)" \
	"$(module_sum ks_dma live_count dma)"

# The account: a buffer of 1 MiB moves managed.dma.ks_dma by its pages,
# and not managed.unexplained (it moves by at most 64 pages of counter
# drift and in-flight memory, account.sh).
compaction_hold
cat /proc/vmstat >/tmp/v0
cat $KS/account >/tmp/a0
before=$want_bytes
take coherent 1048576
cat $KS/account >/tmp/a1
cat /proc/vmstat >/tmp/v1
compaction_release
expect_eq "account: managed.dma.ks_dma = ks_dma's dma bytes, in pages" \
	"$(acct_line managed.dma.ks_dma /tmp/a1)" "$(($(module_sum ks_dma live_bytes dma) / PAGE_SIZE))"
expect_eq "account: managed.dma.ks_dma grew by the 1 MiB buffer's pages" \
	"$(($(acct_line managed.dma.ks_dma /tmp/a1) - $(acct_line managed.dma.ks_dma /tmp/a0)))" \
	"$(((want_bytes - before) / PAGE_SIZE))"
moved=$(($(acct_line managed.unexplained /tmp/a1) - $(acct_line managed.unexplained /tmp/a0)))
if [ "${moved#-}" -le 64 ]; then
	ok "account: managed.unexplained moved by $moved pages (at most 64)"
else
	not_ok "account: managed.unexplained moved by $moved pages (more than 64)" \
		"$(diff /tmp/a0 /tmp/a1 | grep '^[<>] managed')"
	echo "# /proc/vmstat moved around the two reads: $(vmstat_moved /tmp/v0 /tmp/v1)"
fi

echo free >$D/run
expect_eq "after free: nothing of ks_dma's DMA buffers live" \
	"$(module_sum ks_dma live_bytes dma) $(module_sum ks_dma live_count dma)" "0 0"
run_checked "rmmod ks_dma" rmmod ks_dma
sleep 1
expect_eq "leaks after a balanced unload: ks_dma not listed" "$(grep -c 'ks_dma' $KS/leaks)" 0
expect_eq "dma after a balanced unload: ks_dma holds no area" \
	"$(awk '$1 == "holder:" && $3 == "ks_dma"' $KS/dma | wc -l)" 0
expect_eq "dma after a balanced unload: no buffer of ks_dma" \
	"$(awk '$1 == "buffer:" && $8 == "ks_dma"' $KS/dma | wc -l)" 0

# A buffer left behind at unload (leak=1: 16 KiB, whole pages either way).
leak=$(order_bytes 16384)
run_checked "insmod ks_dma leak=1" insmod /ko/ks_dma.ko leak=1
run_checked "rmmod ks_dma (leak=1)" rmmod ks_dma
sleep 1
expect_eq "leaks: the DMA buffer ks_dma left" \
	"$(awk '$1 == "unloaded_module:" && $2 == "ks_dma" { print $3, $4 }' $KS/leaks)" "1 $leak"
expect_eq "dma: the buffer ks_dma left, still named after rmmod" \
	"$(awk '$1 == "buffer:" && $8 == "ks_dma" { print $2, $3, $6, $8, $9 }' $KS/dma | sed 's/+0x[0-9a-f]*$//')" \
	"$leak 16384 ks_dma ks_dma ks_dma_init"
expect_eq "unload report in the kernel log" \
	"$(dmesg | sed -n 's/.*kmemscope: \(ks_dma unloaded holding [0-9]* bytes in [0-9]* allocations\).*/\1/p' | tail -n1)" \
	"ks_dma unloaded holding $leak bytes in 1 allocations"
rmmod kmemscope
