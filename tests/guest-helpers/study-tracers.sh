# SPDX-License-Identifier: GPL-2.0
#
# study-tracers.sh - the x86 stress guest's load without kmemscope, for
# scripts/fault-study.sh's variant b: ks_stress allocates and frees on
# every CPU from every context while ks_fixture is loaded and unloaded in
# a loop, and another user of the same hook points comes and goes as
# often as kmemscope does in stress.sh: ftrace's kmem and percpu events
# are enabled and disabled, and kprobe and kretprobe events are defined,
# enabled and removed on the functions kmemscope probes (the first name
# of each that the kernel has).  Each switch patches kernel text while
# other CPUs run it, as kmemscope's load and unload do.  Not a test of
# kmemscope: a failure here (a hang, a kernel report) is the kernel's or
# the emulator's.
. /tests/lib.sh
. /tests/stress-lib.sh

CYCLES=${CYCLES:-90}	# stress.sh: chaos and exact phases plus 60 loads
T=/sys/kernel/tracing
[ -d $T/events ] || mount -t tracefs nodev $T || { not_ok "mount tracefs"; stop_script; }

# The probed functions, by the names each kernel version gives them:
# "r" a return probe (kmemscope's kretprobes), "p" an entry probe.
PROBES="r:__vmalloc_node_range_noprof,__vmalloc_node_range
p:vfree p:vfree_atomic p:split_page p:kmem_cache_free_bulk
r:alloc_pages_exact_noprof,alloc_pages_exact r:krealloc_noprof,krealloc
r:kmem_cache_alloc_bulk_noprof,kmem_cache_alloc_bulk
r:alloc_pages_bulk_noprof,__alloc_pages_bulk"
have() { grep -q " [tT] $1\$" /proc/kallsyms; }
defs=
n=0
for p in $PROBES; do
	for f in $(echo "${p#*:}" | tr , ' '); do
		if have "$f"; then
			n=$((n + 1))
			defs="$defs ${p%%:*}:study/s$n $f"
			break
		fi
	done
done
echo "# study: probes:$defs"
expect_eq "study: a probe for each probed function the kernel has" "$n" "$(echo "$PROBES" | wc -w)"

# Define, enable, disable and remove every probe and event, CYCLES times.
switcher() {	# NAME N
	local i=0 bad=0 d
	while [ $i -lt $CYCLES ] && [ ! -e /tmp/stop.$1 ]; do
		set -- $1 $2 $defs
		shift 2
		while [ $# -ge 2 ]; do
			echo "$1 $2" >>$T/kprobe_events || bad=$((bad + 1))
			shift 2
		done
		for d in $T/events/kmem/enable $T/events/percpu/enable $T/events/study/enable; do
			echo 1 >$d || bad=$((bad + 1))
		done
		sleep 0.2
		for d in $T/events/kmem/enable $T/events/percpu/enable $T/events/study/enable; do
			echo 0 >$d || bad=$((bad + 1))
		done
		echo >$T/kprobe_events || bad=$((bad + 1))
		: >$T/trace
		i=$((i + 1))
	done
	echo "$i $bad" >/tmp/switcher.1
}

section study
run_checked "insmod ks_stress" insmod /ko/ks_stress.ko || stop_script
stress "pause 200"
stress start
rm -f /tmp/stop.fixture /tmp/stop.switcher
fixture fixture 1 0.2 &
fpid=$!
switcher switcher 1
touch /tmp/stop.fixture
wait $fpid
stress stop
stress "pause 0"
set -- $(cat /tmp/switcher.1)
expect_eq "study: $CYCLES switches of the probes and events" "$1 $2" "$CYCLES 0"
set -- $(cat /tmp/fixture.1)
echo "# study: $1 ks_fixture loads and unloads; ks_stress" \
	"$(awk '!/^#/ && NF == 8 { a += $6 } END { print a + 0 }' $S/stats) allocations"
expect_eq "study: every ks_fixture load and unload succeeded" "$2" 0
stress check && ok "study: ks_stress's bookkeeping intact" || not_ok "study: ks_stress's bookkeeping intact"
stress drain
run_checked "rmmod ks_stress" rmmod ks_stress
