# SPDX-License-Identifier: GPL-2.0
# suite: integration 110
#
# exposure.sh - what kmemscope's files show of kernel addresses.  A call
# site or backtrace entry with no symbol (ks_nosym.ko is stripped) prints
# its address with %pK: zeros under kptr_restrict=2, the address under 1
# for root; a site retired at unload is printed again for each reader.
# Physical addresses in reserved and memblock print as 0 to a reader
# without CAP_SYS_ADMIN in the initial user namespace (unshare -U), as in
# /proc/iomem, while sizes, and the account's figures, stay the same.
. /tests/lib.sh

section exposure
run_checked "insmod ks_nosym" insmod /ko/ks_nosym.ko leak=1
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko stacks=1
kr=/proc/sys/kernel/kptr_restrict
kr0=$(cat $kr)

# Kernel addresses (64-bit: the top 16 bits set), bare or 0x-prefixed.
raw_addrs() { grep -Eio 'ffff[0-9a-f]{12}' "$@" | sort -u | head -n 3 | tr '\n' ' '; }
# The call sites with no symbol: "<address> [unknown]".
nosym_sites() { callers_awk 'site ~ /^[^(].* \[unknown\]$/ { print site }'; }

echo mark > $KS/control
echo "min_age 0" > $KS/control
echo 1 >/sys/module/ks_nosym/parameters/alloc || not_ok "ks_nosym: alloc"

echo 2 > $kr
expect_eq "kptr_restrict=2: the site with no symbol" "$(nosym_sites)" \
	"0000000000000000 [unknown]"
for f in callers allocations task_sites since_mark leaks dma; do
	expect_eq "kptr_restrict=2: no kernel address in $f" "$(raw_addrs $KS/$f)" ""
done
# The backtrace entries in ks_nosym's stripped code (and, on some
# architectures, in its init code, freed since).
n=$(grep -Ec '^  0{16}$' $KS/allocations)
if [ "$n" -ge 1 ]; then
	ok "kptr_restrict=2: backtrace entries with no symbol print as zeros ($n)"
else
	not_ok "kptr_restrict=2: backtrace entries with no symbol print as zeros" "got: $n"
fi

echo 1 > $kr
site=$(nosym_sites)
case $site in
[0-9a-f]*[1-9a-f]*" [unknown]") ok "kptr_restrict=1, root: the site shows its address ($site)" ;;
*) not_ok "kptr_restrict=1, root: the site shows its address" "got: '$site'" ;;
esac

# Retired with kptr_restrict=1 (the address in its kept name), read with 2.
run_checked "rmmod ks_nosym" rmmod ks_nosym
echo 2 > $kr
expect_eq "retired at unload, kptr_restrict=2: the site" "$(nosym_sites)" \
	"0000000000000000 [unknown]"
expect_eq "retired at unload, kptr_restrict=2: its state" \
	"$(callers_awk 'site ~ /^0+ \[unknown\]$/ { print $col["state"] }')" "unloaded"
for f in callers leaks; do
	expect_eq "retired, kptr_restrict=2: no kernel address in $f" "$(raw_addrs $KS/$f)" ""
done
echo "$kr0" > $kr

# Physical addresses: root with CAP_SYS_ADMIN only in a user namespace.
nocap() { unshare -U cat "$@"; }
cols() {	# PREFIX FIELD...: those fields of the PREFIX lines
	p=$1 && shift
	awk -v p="$p" -v f="$*" 'index($0, p ": ") == 1 && $(f + 1) ~ /^0x/ {
		n = split(f, a, " "); s = ""; for (i = 1; i <= n; i++) s = s " " $(a[i] + 1); print s }'
}
if nocap $KS/summary >/dev/null 2>&1; then
	for f in reserved memblock; do
		nocap $KS/$f >/tmp/ex.$f.nocap
		cat $KS/$f >/tmp/ex.$f.root
	done
	# reserved: "dt: name base size" and "res: base size"; memblock
	# here (x86: iomem) or "memory:"/"reserved:" "index base size".
	for l in "reserved dt 2 3" "reserved res 1 2" "memblock iomem 1 2" \
		 "memblock memory 2 3" "memblock reserved 2 3"; do
		set -- $l
		root=$(cols $2 $3 $4 </tmp/ex.$1.root)
		[ -n "$root" ] || continue
		expect_eq "$1 $2 without CAP_SYS_ADMIN: bases 0" \
			"$(cols $2 $3 </tmp/ex.$1.nocap | sort -u | tr -d ' ')" 0x0
		expect_eq "$1 $2 without CAP_SYS_ADMIN: sizes as root's" \
			"$(cols $2 $4 </tmp/ex.$1.nocap | tr -d "\n")" "$(cols $2 $4 </tmp/ex.$1.root | tr -d "\n")"
		case $(cols $2 $3 </tmp/ex.$1.root | sort -u | tr -d ' ' | tr '\n' ' ') in
		"0x0 ") not_ok "$1 $2 as root: bases shown" ;;
		*) ok "$1 $2 as root: bases shown" ;;
		esac
	done
	# The account prints no address; its figures are the same for both.
	for line in physical_ram boot.kernel_image kernel_ram; do
		expect_eq "account without CAP_SYS_ADMIN: $line" \
			"$(nocap $KS/account | grep "^$line ")" "$(grep "^$line " $KS/account)"
	done
elif [ ! -e /proc/self/ns/user ]; then
	echo "# no user namespaces in this kernel: physical addresses not checked"
else
	not_ok "unshare -U cat: cannot read as root without CAP_SYS_ADMIN" "$(nocap $KS/summary 2>&1 | head -n 2)"
fi

run_checked "rmmod kmemscope" rmmod kmemscope
