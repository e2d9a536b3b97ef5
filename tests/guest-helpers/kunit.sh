# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh - load every KUnit test module in /ko (*_kunit.ko); their suites
# run at load.  Each case's KTAP verdict in
# /sys/kernel/debug/kunit/<suite>/results becomes one TAP result here; a
# suite with fewer verdicts than its plan fails.
. /tests/lib.sh

section kunit
# The mark API example (kmemscope_example_kunit) needs kmemscope loaded.
insmod /ko/kmemscope.ko && ok "insmod kmemscope" || not_ok "insmod kmemscope"
for m in /ko/*_kunit.ko; do
	[ -e "$m" ] || continue
	if insmod "$m"; then ok "insmod $(basename $m)"; else not_ok "insmod $(basename $m)"; fi
done
n=0
for d in /sys/kernel/debug/kunit/*/; do
	[ -f "$d/results" ] || continue
	suite=$(basename "$d")
	n=$((n + 1))
	awk -v suite="$suite" '
		# Case verdicts sit at one level of indentation (4 spaces);
		# parameterised sub-results are deeper and roll up into them.
		/^    1\.\.[0-9]+/ { sub(/^    1\.\./, ""); plan = $0 + 0; next }
		/^    (not )?ok [0-9]+ / {
			line = $0; sub(/^    /, "", line)
			bad = (line ~ /^not ok/)
			sub(/^(not )?ok [0-9]+ /, "", line)
			skip = (line ~ /# SKIP/)
			printf "%s - %s: %s\n", bad ? "not ok" : "ok", suite, line
			got++
			next
		}
		/^    #/ && !/^    # Subtest/ { print "# " suite ":" substr($0, 5) }
		END {
			if (got != plan || plan == 0)
				printf "not ok - %s: %d of %d cases reported\n", suite, got, plan
		}' "$d/results"
done
[ "$n" -gt 0 ] && ok "kunit suites found: $n" || not_ok "no KUnit suite ran"
for m in /ko/*_kunit.ko; do
	m=$(basename "$m" .ko)
	rmmod "$m" || not_ok "rmmod $m"
done
rmmod kmemscope || not_ok "rmmod kmemscope"
