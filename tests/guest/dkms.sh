# SPDX-License-Identifier: GPL-2.0
# suite: dkms
#
# dkms.sh - the kmemscope.ko that `dkms build` / `dkms install` made for
# this kernel (scripts/boot-ko.sh puts it in /ko/kmemscope-dkms.ko)
# loads and self-tests every hook as the harness's own build does: the
# same hooks, each in the same state, none failed; and unloads clean.
. /tests/lib.sh

section dkms
# hooks: "name state" of each hook, on one line.
hooks() { sed -n 's/^hook: \([a-z_]*\)  *\([a-z]*\) .*/\1=\2/p' $KS/summary | tr '\n' ' '; }

if [ ! -f /ko/kmemscope-dkms.ko ]; then
	not_ok "the module dkms built is in the guest"
	stop_script
fi
run_checked "insmod kmemscope (harness build)" insmod /ko/kmemscope.ko
hooks >/tmp/hooks.harness
run_checked "rmmod kmemscope" rmmod kmemscope

run_checked "insmod the dkms-built kmemscope" insmod /ko/kmemscope-dkms.ko
hooks >/tmp/hooks.dkms
n=$(wc -w </tmp/hooks.dkms)
[ "$n" -gt 0 ] && ok "dkms build: $n hooks listed" || not_ok "dkms build: no hook lines in summary"
expect_eq "dkms build: hook states as the harness build's" "$(cat /tmp/hooks.dkms)" "$(cat /tmp/hooks.harness)"
expect_eq "dkms build: no hook failed or silent" "$(tr ' ' '\n' </tmp/hooks.dkms | grep -E '=(failed|silent)$')" ""
expect_eq "dkms build: module_version" "$(summary_field module_version)" "$(cat /sys/module/kmemscope/version)"
run_checked "rmmod the dkms-built kmemscope" rmmod kmemscope
expect_eq "debugfs directory gone after rmmod" "$(ls -d $KS 2>/dev/null)" ""
