# SPDX-License-Identifier: GPL-2.0
#
# kunit.sh - load every KUnit test module in /ko (*_kunit.ko); their suites
# run at load.  Each suite's KTAP (/sys/kernel/debug/kunit/<suite>/results)
# goes out as it is, each line behind "# ktap: ", between "# ktap-begin
# SUITE" and "# ktap-end SUITE"; the host parses it with the kernel's own
# kunit.py parse (scripts/kunit-tap.py, from run-guest.sh) into one TAP
# result per case and one per suite (its plan, its parse).
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
	echo "# ktap-begin $suite"
	sed 's/^/# ktap: /' "$d/results"
	echo "# ktap-end $suite"
done
[ "$n" -gt 0 ] && ok "kunit suites found: $n" || not_ok "no KUnit suite ran"
for m in /ko/*_kunit.ko; do
	m=$(basename "$m" .ko)
	rmmod "$m" || not_ok "rmmod $m"
done
rmmod kmemscope || not_ok "rmmod kmemscope"
