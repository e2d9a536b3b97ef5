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
	exit 0
fi
insmod /ko/kmemscope.ko && ok "insmod kmemscope (harness build)" || not_ok "insmod kmemscope (harness build)"
hooks >/tmp/hooks.harness
rmmod kmemscope

if insmod /ko/kmemscope-dkms.ko; then ok "insmod the dkms-built kmemscope"; else not_ok "insmod the dkms-built kmemscope"; fi
hooks >/tmp/hooks.dkms
n=$(wc -w </tmp/hooks.dkms)
[ "$n" -gt 0 ] && ok "dkms build: $n hooks listed" || not_ok "dkms build: no hook lines in summary"
expect_eq "dkms build: hook states as the harness build's" "$(cat /tmp/hooks.dkms)" "$(cat /tmp/hooks.harness)"
expect_eq "dkms build: no hook failed or silent" "$(tr ' ' '\n' </tmp/hooks.dkms | grep -E '=(failed|silent)$')" ""
expect_eq "dkms build: module_version" "$(summary_field module_version)" "$(cat /sys/module/kmemscope/version)"
rmmod kmemscope && ok "rmmod the dkms-built kmemscope" || not_ok "rmmod the dkms-built kmemscope"
expect_eq "debugfs directory gone after rmmod" "$(ls -d $KS 2>/dev/null)" ""
