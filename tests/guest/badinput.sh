# SPDX-License-Identifier: GPL-2.0
# suite: integration 50
#
# badinput.sh - bad input to kmemscope's debugfs files and parameters.
# Control writes that are malformed, oversized, partial, binary or made by
# several writers at once: each refused write fails with EINVAL, is logged
# and leaves the settings as they were; the module works afterwards.
# Reads of every file at odd offsets and sizes; writes to the read-only
# views; modes and non-root access; kptr_restrict 0, 1 and 2; module
# parameters malformed or out of range at insmod.  Ends with the number of
# distinct inputs tried, as a TAP comment.
. /tests/lib.sh

section badinput
run_checked "insmod kmemscope" insmod /ko/kmemscope.ko
C=$KS/control
VIEWS="summary callers modules allocations tasks task_sites leaks since_mark reserved memblock account oom dma"
tried=0

# The settings, without the version line, into $st (no fork: cheap enough
# to take after every write).
state() {
	st=
	while IFS= read -r l; do
		case $l in "kmemscope control"*) ;; *) st="$st$l;" ;; esac
	done <$C
}

# write_in FILE: write /tmp/in to FILE in a single write(); print the
# error ("" when the write was taken).
write_in() {
	dd if=/tmp/in of="$1" bs=1M count=1 conv=notrunc 2>&1 >/dev/null |
		sed -n 's/^dd: error writing .*: //p'
}

# refuse DESC: writing /tmp/in to control fails with EINVAL and changes
# nothing.  Failures are counted in $bad and described.
refuse() {
	tried=$((tried + 1))
	err=$(write_in $C)
	state
	if [ "$err" != "Invalid argument" ] || [ "$st" != "$before" ]; then
		bad=$((bad + 1))
		echo "# $1: got '${err:-accepted}'"
		[ "$st" = "$before" ] || echo "#   settings changed to: $st"
		before=$st
	fi
}

rejected() { dmesg | grep -c 'kmemscope: control: unknown or malformed command rejected'; }

# ---- malformed commands -------------------------------------------------
state
before=$st
logged=$(rejected)
bad=0 n=0
while IFS= read -r cmd; do
	printf '%s' "$cmd" >/tmp/in
	refuse "'$cmd'"
	n=$((n + 1))
done <<'EOF'
bogus
enable now
disable 1
reset all
mark 1
mark mark
stacks on off
stacks off 1
stacks depth 8 8
filter off 1
filter off off
min_age 1 2
sample interval 1 2
sample window 16 x
stacks
stacks depth
filter
filter min_size
filter module
min_age
sample
sample interval
sample window
stacks depth 0
stacks depth 33
stacks depth 4294967297
min_age 2147483648
min_age 4294967296
min_age 18446744073709551616
filter min_size 2147483648
filter min_size 99999999999999999999
sample interval 3601
sample window 3
sample window 65
sample window 0
min_age +5
min_age -0
min_age 0x10
min_age 010x
min_age 1e3
min_age 5s
min_age 5.0
filter min_size 1,000
filter min_size 1_000
filter min_size 4k
stacks depth eight
ENABLE
Reset
stack on
stacks On
filter Off
filte off
marks
min-age 5
sample rate 5
filter max_size 5
stacks depth=8
min_age=5
reset;
reset && enable
filter module a/b
filter module ../x
filter module a.b
filter module a,b
filter module a:b
filter module "x"
filter module 'x'
filter module x y
filter module kernel extra
filter module a_module_name_of_fifty_six_bytes_which_is_one_too_many__
"reset"
# reset
EOF
# Whitespace-only and newline-placement cases, byte for byte.
for raw in ' ' '\t' '\n' ' \t \n' '\n\n' 'reset\n\n' '\nreset' 'reset\n ' \
	   'enable\nreset' 'stacks\non' 'reset\r\n' 'reset\r' 'reset\v' \
	   'reset\f' 'reset\033[0m'; do
	printf "$raw" >/tmp/in
	refuse "printf '$raw'"
	n=$((n + 1))
done
expect_eq "$n malformed commands refused with EINVAL, settings unchanged" "$bad" 0
expect_eq "each refusal logged" "$(($(rejected) - logged))" "$n"

# ---- oversized ------------------------------------------------------------
bad=0
for size in 129 200 4095 4096 4097 65536 100000; do
	# A valid command padded with spaces: only its length is wrong.
	{ printf 'reset'; head -c $((size - 6)) /dev/zero | tr '\0' ' '; echo; } >/tmp/in
	refuse "reset padded to $size bytes"
done
head -c 128 /dev/zero | tr '\0' ' ' >/tmp/in
printf 'reset' | dd of=/tmp/in bs=1 seek=123 conv=notrunc 2>/dev/null
tried=$((tried + 1))
expect_eq "128 bytes (the most) are taken" "$(write_in $C)" ""
state
before=$st
expect_eq "commands over 128 bytes refused with EINVAL, settings unchanged" "$bad" 0
dmesg | tail -n 20 | grep -q 'kmemscope: control: command of 100000 bytes rejected (1..128)' &&
	ok "oversized commands logged with their length" ||
	not_ok "oversized commands logged with their length" "$(dmesg | tail -n 3)"

# ---- partial: pieces of a command in separate write()s ------------------
bad=0
# Two write()s on one open file: each piece is a command of its own.
tried=$((tried + 1))
if { printf 'stacks '; printf 'on\n'; } >$C 2>/dev/null; then
	bad=$((bad + 1))
	echo "# 'stacks ' + 'on': accepted"
fi
state
[ "$st" = "$before" ] || { bad=$((bad + 1)); echo "# 'stacks ' + 'on' changed: $st"; }
# dd: the first 7 bytes, then the rest at offset 7 (a seek, not appended).
printf 'filter module ks_fixture\n' >/tmp/whole
dd if=/tmp/whole of=/tmp/in bs=7 count=1 2>/dev/null
refuse "first 7 bytes of 'filter module ks_fixture'"
tried=$((tried + 1))
err=$(dd if=/tmp/whole of=$C bs=7 skip=1 seek=1 conv=notrunc 2>&1 >/dev/null |
	sed -n 's/^dd: error writing .*: //p')
state
if [ "$err" != "Invalid argument" ] || [ "$st" != "$before" ]; then
	bad=$((bad + 1))
	echo "# the rest at offset 7: got '${err:-accepted}', $st"
fi
# A command cut short, without its last word or newline.
for p in 'filter min_size' 'stacks depth' 'sample' 'filter module'; do
	printf '%s' "$p" >/tmp/in
	refuse "'$p' cut short"
done
expect_eq "pieces of commands refused, settings unchanged" "$bad" 0
# Without the newline a whole command is whole.
tried=$((tried + 1))
printf 'min_age 11' >/tmp/in
expect_eq "a whole command without a newline is taken" \
	"$(write_in $C)$(sed -n 's/^min_age: //p' $C)" 11
echo "min_age 10" >$C
# The file position plays no part: a whole command written at an offset is
# a whole command.
tried=$((tried + 1))
printf 'min_age 12' >/tmp/in
dd if=/tmp/in of=$C bs=10 seek=3 conv=notrunc 2>/dev/null
expect_eq "the file position is ignored" "$(sed -n 's/^min_age: //p' $C)" 12
echo "min_age 10" >$C
state
before=$st

# ---- binary ---------------------------------------------------------------
bad=0 n=0
# Every control byte and every byte outside ASCII inside a command (tab,
# a separator, aside); Latin-1 letters (0xc0..0xff) in a module name.
b=1
while [ $b -le 255 ]; do
	o=$((b / 64))$((b / 8 % 8))$((b % 8))
	if [ $b -ne 9 ] && { [ $b -lt 32 ] || [ $b -ge 127 ]; }; then
		printf "stacks\\${o}on" >/tmp/in
		refuse "stacks<$b>on"
		n=$((n + 1))
	fi
	if [ $b -ge 192 ]; then
		printf "filter module caf\\${o}" >/tmp/in
		refuse "filter module caf<$b>"
		n=$((n + 1))
	fi
	b=$((b + 1))
done
for raw in '\0' '\0\0\0\0' 'reset\0' '\0reset' 'res\0et' 'min_age 1\0' \
	   '\377' '\376\377' '\377\376reset' '\357\273\277reset' 'reset\302\240'; do
	printf "$raw" >/tmp/in
	refuse "printf '$raw'"
	n=$((n + 1))
done
for i in 1 2 3 4; do
	head -c $((i * 32)) /dev/urandom >/tmp/in
	refuse "$((i * 32)) random bytes"
	n=$((n + 1))
done
expect_eq "$n binary inputs refused with EINVAL, settings unchanged" "$bad" 0

# ---- concurrent writers ----------------------------------------------------
marks0=$(sed -n 's/^marks: //p' $C)
# hammer K: 12 rounds of valid and invalid commands; counts in /tmp/h.K.
hammer() {
	k=$1 r=0 va=0 vr=0 ia=0 ir=0
	while [ $r -lt 12 ]; do
		for c in "min_age $k" "filter min_size $((k * 64))" \
			 "stacks depth $((k * 4))" mark "sample window $((k * 8))" \
			 "stacks $([ $((r % 2)) = 0 ] && echo on || echo off)" enable \
			 "$([ $k = 4 ] && echo reset || echo disable)" \
			 "$([ $((r % 2)) = 0 ] && echo 'filter module kernel' || echo 'filter off')" \
			 "sample interval $((r % 2))"; do
			if printf '%s\n' "$c" >$C 2>/dev/null; then va=$((va + 1)); else vr=$((vr + 1)); fi
		done
		for c in "min_age -$k" "stacks depth 4$k" "filter module bad/$k" \
			 "mark $k" "$(printf 'stacks\001on')" "sample window $((k + 64))"; do
			if printf '%s\n' "$c" >$C 2>/dev/null; then ia=$((ia + 1)); else ir=$((ir + 1)); fi
		done
		r=$((r + 1))
	done
	echo "$va $vr $ia $ir" >/tmp/h.$k
}
( while [ ! -e /tmp/h.stop ]; do
	for v in $VIEWS control; do cat $KS/$v >/dev/null; done
done ) &
reader=$!
pids=
for k in 1 2 3 4; do
	hammer $k &
	pids="$pids $!"
done
wait $pids
touch /tmp/h.stop
wait $reader
rm -f /tmp/h.stop
# Distinct commands the writers used: 26 valid, 21 invalid.
tried=$((tried + 47))
expect_eq "4 concurrent writers: valid taken, invalid refused" \
	"$(cat /tmp/h.1 /tmp/h.2 /tmp/h.3 /tmp/h.4 | tr '\n' ' ')" \
	"120 0 0 72 120 0 0 72 120 0 0 72 120 0 0 72 "
expect_eq "marks: one per mark written" \
	"$(($(sed -n 's/^marks: //p' $C) - marks0))" 48
# Each setting holds a value one of the writers wrote.
awk -F': ' '
	$1 == "tracking" { n++; if ($2 !~ /^(enabled|disabled)$/) bad = bad " " $0 }
	$1 == "stacks" { n++; if ($2 !~ /^(on|off)$/) bad = bad " " $0 }
	$1 == "stack_depth" { n++; if ($2 !~ /^(4|8|12|16)$/) bad = bad " " $0 }
	$1 == "filter_module" { n++; if ($2 !~ /^(off|kernel)$/) bad = bad " " $0 }
	$1 == "filter_min_size" { n++; if ($2 !~ /^(0|64|128|192|256)$/) bad = bad " " $0 }
	$1 == "min_age" { n++; if ($2 !~ /^[1-4]$/) bad = bad " " $0 }
	$1 == "sample_interval" { n++; if ($2 !~ /^[01]$/) bad = bad " " $0 }
	$1 == "sample_window" { n++; if ($2 !~ /^(8|16|24|32)$/) bad = bad " " $0 }
	END { print n, bad }' $C >/tmp/h.check
expect_eq "after the writers, every setting is one a writer wrote" "$(cat /tmp/h.check)" "8 "
# Back to the defaults; then the module records as before.
for c in "filter off" "stacks off" "stacks depth 16" "min_age 10" \
	 "sample interval 0" "sample window 16" "filter min_size 0" enable reset; do
	echo "$c" >$C
done
expect_eq "settings back to the defaults" "$(grep -v -e version -e marks $C | tr '\n' ' ')" \
	"tracking: enabled stacks: off stack_depth: 16 filter_module: off filter_min_size: 0 min_age: 10 sample_interval: 0 sample_window: 16 "
echo mark >$C
run_checked "insmod ks_fixture" insmod /ko/ks_fixture.ko
expect_eq "still records after the writers" \
	"$(caller_row ks_fixture_kmalloc_held)" "$FIX_KMALLOC 800 8 8 0 kmalloc [ks_fixture]"

# ---- reads at odd offsets and sizes ---------------------------------------
# Nothing new is recorded meanwhile (frees still are): the rows of callers
# and modules, the fixture's 16 allocations and the lines of summary stay;
# control and leaks (nothing is old enough) stay byte for byte.
echo disable >$C
echo "min_age 100000" >$C
# sig FILE: what must not change between two reads of FILE.
sig() {
	case $1 in
	control | leaks) md5sum | cut -c1-32 ;;
	allocations) awk 'NR == 1 { print } / ks_fixture_[a-z_]*\+0x/ { n++ } END { print n + 0 }' ;;
	since_mark) awk 'NR == 1 || /^module: ks_fixture / { print }' ;;
	# (rows come and go with the frees: the head only)
	tasks | task_sites) awk 'NR <= 3 { print }' ;;
	*) awk 'NR == 1 { print } END { print NR }' ;;
	esac
}
clamp() { v=$1; [ $v -lt 0 ] && v=0; [ $v -gt $2 ] && v=$2; echo $v; }
bad=0
for f in $VIEWS control; do
	p=$KS/$f
	want=$(sig $f <$p)
	# Whole, in reads of odd sizes, and of a byte either side of a page
	# (seq_file's first buffer: 4 KiB or 16 KiB).
	for bs in $(printf '%s\n' 1 7 4095 4097 $((PAGE_SIZE - 1)) $((PAGE_SIZE + 1)) | sort -nu); do
		tried=$((tried + 1))
		got=$(dd if=$p bs=$bs 2>/dev/null | sig $f)
		[ "$got" = "$want" ] || { bad=$((bad + 1)); echo "# $f in $bs-byte reads: '$got', want '$want'"; }
	done
	# From odd offsets: as many bytes as asked while the file lasts (its
	# size may move a little between reads: within the sizes seen before
	# and after, give or take 8 bytes: a figure can lose a digit and get
	# it back in between, as the account's free pages did on arm64-6.12,
	# 2924 bytes read between two sizes of 2925).
	for r in "7 3 2" "1 1 5" "4095 1 1" "4097 0 1" "4097 1 2" \
		 "$((PAGE_SIZE - 1)) 1 1" "$((PAGE_SIZE + 1)) 1 2"; do
		set -- $r
		tried=$((tried + 1))
		s1=$(wc -c <$p)
		got=$(dd if=$p bs=$1 skip=$2 count=$3 iflag=fullblock 2>/dev/null | wc -c)
		s2=$(wc -c <$p)
		[ $s1 -le $s2 ] && lo=$s1 hi=$s2 || lo=$s2 hi=$s1
		lo=$(clamp $((lo - 8 - $1 * $2)) $(($1 * $3)))
		hi=$(clamp $((hi + 8 - $1 * $2)) $(($1 * $3)))
		[ $got -ge $lo ] && [ $got -le $hi ] ||
			{ bad=$((bad + 1)); echo "# $f bs=$1 skip=$2 count=$3: $got bytes, want $lo..$hi"; }
	done
	# Past the end, far past it, at the largest offsets, and no read at all.
	size=$(wc -c <$p)
	for args in "bs=1 skip=$((size + 65536)) count=4" "bs=4097 skip=1000000 count=1" \
		    "bs=1 skip=1000000000000 count=1" "bs=1 skip=9223372036854775000 count=1" \
		    "bs=4096 count=0"; do
		tried=$((tried + 1))
		if ! got=$(dd if=$p $args 2>/dev/null | wc -c) || [ "$got" != 0 ]; then
			bad=$((bad + 1))
			echo "# $f $args: $got bytes"
		fi
	done
done
# Files that keep still: exactly at the end, and the last byte.
for f in control leaks; do
	p=$KS/$f
	size=$(wc -c <$p)
	tried=$((tried + 2))
	got=$(dd if=$p bs=1 skip=$size count=4 2>/dev/null | wc -c)
	[ "$got" = 0 ] || { bad=$((bad + 1)); echo "# $f at its end: $got bytes"; }
	got=$(dd if=$p bs=1 skip=$((size - 1)) count=1 2>/dev/null | od -An -c | tr -d ' ')
	[ "$got" = '\n' ] || { bad=$((bad + 1)); echo "# $f: last byte '$got'"; }
	tried=$((tried + 1))
	got=$(dd if=$p bs=7 skip=3 count=2 iflag=fullblock 2>/dev/null)
	[ "$got" = "$(head -c 35 $p | tail -c 14)" ] ||
		{ bad=$((bad + 1)); echo "# $f bytes 21..34: '$got'"; }
done
expect_eq "reads of every file at odd offsets and sizes" "$bad" 0
echo enable >$C
echo "min_age 10" >$C

# ---- writes to the views; modes; non-root ----------------------------------
state
before=$st
printf 'reset\n' >/tmp/in
bad=0
for v in $VIEWS; do
	tried=$((tried + 1))
	err=$(write_in $KS/$v)
	[ "$err" = "Invalid argument" ] || { bad=$((bad + 1)); echo "# write to $v: '${err:-accepted}'"; }
done
state
expect_eq "writes to the read-only views fail, change nothing" "$bad $st" "0 $before"
expect_eq "the fixture's records survive them" \
	"$(caller_row ks_fixture_kmalloc_held)" "$FIX_KMALLOC 800 8 8 0 kmalloc [ks_fixture]"
expect_eq "files are root-only" \
	"$(cd $KS && stat -c '%n %a' $VIEWS control | tr '\n' ' ')" \
	"summary 400 callers 400 modules 400 allocations 400 tasks 400 task_sites 400 leaks 400 since_mark 400 reserved 400 memblock 400 account 400 oom 400 dma 400 control 600 "
# Another user: busybox su needs both users in /etc/passwd.
[ -e /etc/passwd ] || printf 'root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n' >/etc/passwd
[ -e /etc/group ] || printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
expect_eq "su to nobody works" "$(su -s /bin/sh nobody -c 'id -u' 2>&1)" 65534
bad=0
for v in $VIEWS control; do
	tried=$((tried + 1))
	su -s /bin/sh nobody -c "cat $KS/$v" >/dev/null 2>&1 && { bad=$((bad + 1)); echo "# nobody read $v"; }
done
tried=$((tried + 1))
su -s /bin/sh nobody -c "echo disable >$C" 2>/dev/null && { bad=$((bad + 1)); echo "# nobody wrote control"; }
state
expect_eq "a user other than root can neither read nor write" "$bad $st" "0 $before"

# ---- kptr_restrict ------------------------------------------------------------
# The fixture's kmalloc rows: hashed at 0, real at 1 (root has CAP_SYSLOG),
# zeros at 2.
addrs() { awk '/ ks_fixture_kmalloc_held\+0x/ { print $1 }' $KS/allocations | sort -u | tr '\n' ' '; }
kr0=$(cat /proc/sys/kernel/kptr_restrict)
for k in 0 1 2; do
	tried=$((tried + 1))
	echo $k >/proc/sys/kernel/kptr_restrict
	a=$(addrs)
	case $k in
	0) re='^(0{8}[0-9a-f]{8} ){8}$' ;;
	1) re='^(ff[0-9a-f]{14} ){8}$' ;;
	2) re='^(0{16} )$' ;;
	esac
	echo "$a" | grep -Eq "$re" && ok "kptr_restrict=$k: addresses as expected" ||
		not_ok "kptr_restrict=$k: addresses as expected" "$a"
done
echo "$kr0" >/proc/sys/kernel/kptr_restrict
run_checked "rmmod ks_fixture" rmmod ks_fixture
run_checked "rmmod kmemscope" rmmod kmemscope

# ---- module parameters ------------------------------------------------------
# Malformed values: the kernel's parser refuses them; out of range values:
# kmemscope does.  Either way the load fails, says why, leaves nothing.
bad=0
for p in enable=2 enable=maybe enable= stacks=2 stacks=x max_records=abc \
	 max_records=-1 max_records=4294967296 max_records= max_records=64k \
	 max_sites=1e3 max_stacks=0x unload_delay_ms=-5 unload_delay_ms=99999999999; do
	tried=$((tried + 1))
	load_refused "kmemscope: \`${p#*=}' invalid for parameter \`${p%%=*}'" "$p" ||
		bad=$((bad + 1))
done
for p in max_records=0 max_records=4294967295 max_sites=0 max_stacks=0 \
	 unload_delay_ms=4294967295; do
	tried=$((tried + 1))
	load_refused "kmemscope: ${p%%=*}=${p#*=} is out of range" "$p" || bad=$((bad + 1))
done
expect_eq "malformed and out-of-range parameters refused, logged, nothing left" "$bad" 0
# The largest number of records takes 1 GiB: beyond this guest's memory the
# load fails with ENOMEM and kmemscope's message, without the allocator's
# warning (the harness fails the run on a backtrace in the console).
if [ "$(awk '$1 == "MemTotal:" { print $2 }' /proc/meminfo)" -lt 1048576 ]; then
	tried=$((tried + 1))
	load_refused "kmemscope: cannot allocate the record store (16777216 records): -12" \
		max_records=16777216 &&
		ok "max_records=16777216, more than the memory: refused, logged, nothing left" ||
		not_ok "max_records=16777216, more than the memory: refused, logged, nothing left"
fi
# Unknown parameters are the kernel's to warn about; the load goes on.
tried=$((tried + 1))
insmod /ko/kmemscope.ko no_such_param=1 &&
	dmesg | tail -n 20 | grep -q "kmemscope: unknown parameter 'no_such_param' ignored" &&
	ok "an unknown parameter is ignored with a warning" ||
	not_ok "an unknown parameter is ignored with a warning" "$(dmesg | tail -n 2)"
run_checked "rmmod kmemscope" rmmod kmemscope
echo "# badinput: $tried distinct inputs tried"
