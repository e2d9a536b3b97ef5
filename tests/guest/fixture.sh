# SPDX-License-Identifier: GPL-2.0
# suite: integration 10
#
# fixture.sh - kmemscope sees exactly what ks_fixture allocates, from the
# functions that allocate it, and sees it go back to zero after its frees
# and after rmmod.  The expected figures are ks_fixture.c's (see there).
. /tests/lib.sh

section fixture
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
# What the slab free hooks counted (state, hits, error; the counters a
# free without its record moves): for a free whose record stayed.
free_figures() {
	awk '$1 == "hook:" && ($2 == "kfree" || $2 == "kmem_cache_free") {
		f = f sprintf("%s hook %s %s %s, ", $2, $3, $4, $5) }
	$1 == "untracked_frees_kmalloc:" || $1 == "missed_frees:" ||
	$1 == "dropped_recursion:" { f = f sprintf("%s %s, ", $1, $2) }
	END { sub(/, $/, "", f); print f }' $KS/summary
}
for h in kmalloc kmem_cache_alloc kfree kmem_cache_free; do
	expect_eq_note "hook $h self-test" \
		"$(sed -n "s/^hook: $h  *\([a-z]*\) .*/\1/p" $KS/summary)" ok free_figures
done

run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "ks_fixture_kmalloc_held after load" \
	"$(caller_row ks_fixture_kmalloc_held)" "$FIX_KMALLOC 800 8 8 0 kmalloc [ks_fixture]"
expect_eq "ks_fixture_kzalloc_held after load" \
	"$(caller_row ks_fixture_kzalloc_held)" "$FIX_KZALLOC 8000 2 2 0 kmalloc [ks_fixture]"
expect_eq "ks_fixture_cache_held after load" \
	"$(caller_row ks_fixture_cache_held)" "1000 1000 5 5 0 kmem_cache [ks_fixture]"
expect_eq "ks_fixture_large_held after load" \
	"$(caller_row ks_fixture_large_held)" "$FIX_LARGE 20000 1 1 0 kmalloc [ks_fixture]"
expect_eq_note "ks_fixture_churn after load" \
	"$(caller_row ks_fixture_churn)" "0 0 0 16 16 kmalloc [ks_fixture]" \
	free_figures

# modules: one kernel row, and it carries the kernel call sites' figures
# (a second row of zeros meant rows were matched by the state string's
# address, not its text).
cat $KS/modules >/tmp/modules
expect_eq "modules: kernel rows" "$(awk '$1 == "kernel"' /tmp/modules | wc -l)" 1
ksites=$(callers_awk '$col["module"] == "kernel" { n++ } END { print n + 0 }')
if [ "$ksites" -gt 0 ]; then
	expect_eq "modules: kernel row has allocations ($ksites kernel call sites)" \
		"$(awk '$1 == "kernel" && $10 > 0 { print "yes" }' /tmp/modules)" yes
else
	ok "modules: no kernel call sites yet # SKIP"
fi

echo kmalloc >/sys/kernel/debug/ks_fixture/release
expect_eq_note "ks_fixture_kmalloc_held after its frees" \
	"$(caller_row ks_fixture_kmalloc_held)" "0 0 0 8 8 kmalloc [ks_fixture]" \
	free_figures
expect_eq "ks_fixture_kzalloc_held unchanged by other frees" \
	"$(caller_row ks_fixture_kzalloc_held)" "$FIX_KZALLOC 8000 2 2 0 kmalloc [ks_fixture]"
echo cache >/sys/kernel/debug/ks_fixture/release
expect_eq "ks_fixture_cache_held after its frees" \
	"$(caller_row ks_fixture_cache_held)" "0 0 0 5 5 kmem_cache [ks_fixture]"

run_checked "rmmod ks_fixture" rmmod ks_fixture
expect_eq_note "ks_fixture_kmalloc_held after rmmod" \
	"$(caller_row ks_fixture_kmalloc_held)" "0 0 0 8 8 kmalloc [ks_fixture]" \
	free_figures
expect_eq "ks_fixture_kzalloc_held after rmmod" \
	"$(caller_row ks_fixture_kzalloc_held)" "0 0 0 2 2 kmalloc [ks_fixture]"
expect_eq "ks_fixture_cache_held after rmmod" \
	"$(caller_row ks_fixture_cache_held)" "0 0 0 5 5 kmem_cache [ks_fixture]"
expect_eq_note "ks_fixture_large_held after rmmod" \
	"$(caller_row ks_fixture_large_held)" "0 0 0 1 1 kmalloc [ks_fixture]" \
	free_figures
expect_eq "ks_fixture live bytes after rmmod" "$(module_sum ks_fixture)" 0

for f in dropped_pool_full dropped_site_table_full dropped_recursion; do
	expect_eq "summary $f" "$(summary_field $f)" 0
done
run_checked "rmmod kmemscope" rmmod kmemscope
[ ! -e $KS ] && ok "debugfs directory gone after rmmod" || not_ok "debugfs directory gone after rmmod"
