// SPDX-License-Identifier: GPL-2.0
/*
 * oom.c - the OOM report: what held memory when the OOM killer was called,
 * in the kernel log and in the oom file.
 *
 * ks_oom_notify() is on the kernel's OOM notifier chain
 * (register_oom_notifier()).  out_of_memory() calls the chain under
 * oom_lock, in the task whose allocation failed, before it picks a victim,
 * for every OOM but a memory cgroup's: a cgroup that runs out of its limit
 * calls out_of_memory() with a memcg, which skips the chain, so those get
 * no report.  The chain is called on every try, also while an earlier
 * victim is still exiting and for allocations that may not kill (no
 * __GFP_FS), so a report is made at most once a second (the other calls
 * are counted) and written to the kernel log at most once in 10 s.  The
 * report must not allocate, so it is made in static memory:
 *
 *   ks_oom_site[]    the KS_OOM_SITES recorded (object) sites with the most
 *                    live bytes, from the site table read slot by slot
 *                    (ks_store_read_site(): lock-free, after
 *                    ks_store_settle()), in one walk that
 *                    also sums the allocators' totals
 *   ks_oom_mod[]     live totals per module (and the kernel): room for
 *                    KS_OOM_MODULE_ROWS, sorted after the walk; the first
 *                    KS_OOM_MODULES are printed, the rest summed in
 *                    "other-modules" (also any past the room)
 *   ks_oom_text[]    the report from its "last:" line on; the oom file
 *                    puts the counters above it; printed to the kernel log
 *                    a line at a time
 *
 * Site names are ks_label_log()'s: an address with no symbol is named
 * "(no-symbol)", never printed (the text outlives its reader).  The
 * account's lines are the counters that can be read without allocating
 * (physmem.c's ks_physmem_counters()): VmallocUsed, Percpu and Hugetlb
 * come from /proc/meminfo, which cannot be read here, so those pages are
 * inside the report's remainder (and it says so).
 *
 * Locking: ks_oom_lock, a mutex, guards all of the above.  OOMs are
 * serialised by oom_lock already and the chain may sleep; the mutex
 * orders a report against readers of the oom file, whose open() allocates
 * its copy before taking the lock and only copies under it (a reader that
 * allocated under the lock could wait for an OOM that waits for the lock).
 * Context: process (the notifier; the file's open()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/fs.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/oom.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "oom.h"
#include "versions.h"
#include "compat.h"
#include "state.h"
#include "hooks.h"
#include "format.h"
#include "physmem.h"
#include "tally.h"

#define KS_OOM_SITES		10
#define KS_OOM_MODULES		15
#define KS_OOM_MODULE_ROWS	512
#define KS_OOM_TEXT		(16 * 1024)
/* Room kept for the line that says the text did not fit. */
#define KS_OOM_TRUNCATED	"truncated\n"

static DEFINE_MUTEX(ks_oom_lock);
static unsigned long ks_ooms;		/* calls of the chain */
static unsigned long ks_oom_reports;	/* reports made */
static unsigned long ks_oom_unlogged;	/* reports the log did not get */
static unsigned long ks_oom_made;	/* jiffies of the last report */
/* The kernel log: one report in 10 s (the chain may be called in a loop). */
static DEFINE_RATELIMIT_STATE(ks_oom_rs, 10 * HZ, 1);

static struct ks_kind_totals ks_oom_kind[KS_NR_KINDS];
/* Live bytes of DMA buffers in managed memory (not a device's own pool). */
static long ks_oom_dma_managed;
static struct ks_site_snap ks_oom_site[KS_OOM_SITES];
static unsigned int ks_oom_nsites;
static struct ks_module_row ks_oom_mod[KS_OOM_MODULE_ROWS];
static unsigned int ks_oom_nmods;
static struct ks_module_row ks_oom_other;	/* past the printed rows */
static struct ks_site_label ks_oom_label;
static char ks_oom_text[KS_OOM_TEXT];
static size_t ks_oom_len;
static bool ks_oom_truncated;

/* Append to ks_oom_text; once a line does not fit, nothing more is added. */
static __printf(1, 2) void ks_oom_add(const char *fmt, ...)
{
	size_t room = sizeof(ks_oom_text) - sizeof(KS_OOM_TRUNCATED) - ks_oom_len;
	va_list ap;
	int n;

	if (ks_oom_truncated)
		return;
	va_start(ap, fmt);
	n = vsnprintf(ks_oom_text + ks_oom_len, room, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= room) {
		/* Drop the partial line: the text ends with a whole one. */
		ks_oom_text[ks_oom_len] = '\0';
		ks_oom_truncated = true;
		return;
	}
	ks_oom_len += n;
}

/* Keep @s if it is among the KS_OOM_SITES largest so far (by live bytes). */
static void ks_oom_keep_site(const struct ks_site_snap *s)
{
	unsigned int i;

	if (ks_oom_nsites == KS_OOM_SITES &&
	    s->live_bytes <= ks_oom_site[KS_OOM_SITES - 1].live_bytes)
		return;
	i = ks_oom_nsites < KS_OOM_SITES ? ks_oom_nsites++ : KS_OOM_SITES - 1;
	for (; i > 0 && ks_oom_site[i - 1].live_bytes < s->live_bytes; i--)
		ks_oom_site[i] = ks_oom_site[i - 1];
	ks_oom_site[i] = *s;
}

/* Add @s to its module's row (ks_oom_label was made for it). */
static void ks_oom_add_module(const struct ks_site_snap *s)
{
	struct ks_module_row *r;

	r = ks_module_row_get(ks_oom_mod, &ks_oom_nmods, KS_OOM_MODULE_ROWS,
			      ks_oom_label.module, ks_oom_label.state);
	if (!r)
		r = &ks_oom_other;
	r->total += s->live_bytes;
	r->live_count += s->live_count;
}

/*
 * One walk of the site table: the allocators' totals (every object site,
 * as the summary's), and the modules and the largest sites of the sites
 * that hold memory.
 */
static void ks_oom_gather(void)
{
	unsigned int i, slots = 1U << ks_store.site_bits;
	struct ks_site_snap s;

	memset(ks_oom_kind, 0, sizeof(ks_oom_kind));
	ks_oom_dma_managed = 0;
	memset(&ks_oom_other, 0, sizeof(ks_oom_other));
	ks_oom_nsites = 0;
	ks_oom_nmods = 0;
	ks_store_settle(&ks_store);
	for (i = 0; i < slots; i++) {
		if (!(i % 1024))
			cond_resched();
		if (!ks_store_read_site(&ks_store, i, &s) ||
		    s.class != KS_CLASS_OBJECT || s.kind >= KS_NR_KINDS)
			continue;
		ks_oom_kind[s.kind].live_bytes += s.live_bytes;
		ks_oom_kind[s.kind].live_count += s.live_count;
		if (s.kind == KS_DMA && !(s.hint & KS_HINT_DEVICE_POOL))
			ks_oom_dma_managed += s.live_bytes;
		if (s.live_bytes <= 0)
			continue;
		ks_label_log(&ks_oom_label, s.key, s.name, s.retired);
		ks_oom_add_module(&s);
		ks_oom_keep_site(&s);
	}
	sort(ks_oom_mod, ks_oom_nmods, sizeof(ks_oom_mod[0]),
	     ks_module_row_cmp, NULL);
	for (i = KS_OOM_MODULES; i < ks_oom_nmods; i++) {
		ks_oom_other.total += ks_oom_mod[i].total;
		ks_oom_other.live_count += ks_oom_mod[i].live_count;
	}
	ks_oom_nmods = min_t(unsigned int, ks_oom_nmods, KS_OOM_MODULES);
}

static void ks_oom_line(const char *name, long pages, const char *source)
{
	ks_oom_add("account: %s %ld %s\n", name, pages, source);
}

static void ks_oom_account(void)
{
	long direct = ks_oom_kind[KS_PAGE].live_bytes >> PAGE_SHIFT;
	long dma = ks_oom_dma_managed >> PAGE_SHIFT;
	struct ks_ram_counters c;
	long rest;

	ks_physmem_counters(&c);
	rest = c.managed - c.free - c.pcp - c.slab_reclaimable -
	       c.slab_unreclaimable - c.kernel_stack - c.page_tables - c.anon -
	       c.file - direct - dma;
	ks_oom_add("\n# account: line pages source\n");
	ks_oom_line("managed", c.managed, "zones' managed pages");
	ks_oom_line("free", c.free, "zones' NR_FREE_PAGES");
	ks_oom_line("free_pcp", c.pcp, "zones' per-CPU free lists");
	ks_oom_line("slab_reclaimable", c.slab_reclaimable,
		    "NR_SLAB_RECLAIMABLE_B");
	ks_oom_line("slab_unreclaimable", c.slab_unreclaimable,
		    "NR_SLAB_UNRECLAIMABLE_B (includes large kmalloc)");
	ks_oom_line("kernel_stacks", c.kernel_stack, "NR_KERNEL_STACK_KB");
	ks_oom_line("page_tables", c.page_tables, KS_COMPAT_PAGETABLE_SOURCE);
	ks_oom_line("anon", c.anon, "NR_ANON_MAPPED");
	ks_oom_line("file", c.file,
		    "NR_FILE_PAGES (page cache, shmem, swap cache)");
	ks_oom_line("direct", direct,
		    "kmemscope: live alloc_pages() pages, allocated since load");
	ks_oom_line("dma", dma,
		    "kmemscope: live DMA API buffers from the page allocator and CMA, allocated since load");
	ks_oom_line("unexplained", rest,
		    "= managed - the lines above: vmalloc, percpu and hugetlb pages (not readable without allocating), direct pages from before load, ...");
}

static void ks_oom_drops(void)
{
	ks_oom_add("\n# drop: counter value (what kmemscope could not record)\n");
	ks_oom_add("drop: dropped_pool_full %ld\n",
		   atomic_long_read(&ks_store.drop_pool_full));
	ks_oom_add("drop: dropped_site_table_full %ld\n",
		   atomic_long_read(&ks_store.drop_sites_full));
	ks_oom_add("drop: dropped_recursion %lu\n", ks_hooks_recursion_drops());
	ks_oom_add("drop: dropped_kretprobe_missed %lu\n", ks_hooks_missed());
	ks_oom_add("drop: dropped_frees_kprobe_busy %lu\n",
		   ks_hooks_frees_missed());
	ks_oom_add("drop: missed_frees %ld\n",
		   atomic_long_read(&ks_store.missed_frees));
	ks_oom_add("drop: frees_dropped_nmi_busy %ld\n",
		   atomic_long_read(&ks_store.drop_nmi_busy));
}

/* Format the report into ks_oom_text.  Under ks_oom_lock. */
static void ks_oom_report(void)
{
	char comm[TASK_COMM_LEN];
	unsigned int i;
	int k;

	ks_oom_gather();
	get_task_comm(comm, current);

	ks_oom_len = 0;
	ks_oom_text[0] = '\0';
	ks_oom_truncated = false;
	ks_oom_add("last: uptime_s %lld pid %d comm %s call %lu\n",
		   ktime_get_boottime_seconds(), task_pid_nr(current), comm,
		   ks_ooms);
	ks_oom_add("page_size: %lu\n", PAGE_SIZE);
	ks_oom_add("\n# live: allocator live_bytes live_count (every recorded site)\n");
	for (k = 0; k < KS_NR_KINDS; k++)
		ks_oom_add("live: %s %ld %ld\n", ks_kind_name(k),
			   ks_oom_kind[k].live_bytes, ks_oom_kind[k].live_count);
	ks_oom_add("\n# module: live_bytes live_count name state (by live bytes)\n");
	for (i = 0; i < ks_oom_nmods; i++)
		ks_oom_add("module: %ld %ld %s %s\n", ks_oom_mod[i].total,
			   ks_oom_mod[i].live_count, ks_oom_mod[i].name,
			   ks_oom_mod[i].state);
	if (ks_oom_other.live_count)
		ks_oom_add("module: %ld %ld other-modules -\n",
			   ks_oom_other.total, ks_oom_other.live_count);
	ks_oom_add("\n# site: live_bytes live_count allocator module call_site (the %d largest)\n",
		   KS_OOM_SITES);
	for (i = 0; i < ks_oom_nsites; i++) {
		const struct ks_site_snap *s = &ks_oom_site[i];

		ks_label_log(&ks_oom_label, s->key, s->name, s->retired);
		ks_oom_add("site: %ld %ld %s %s %s\n", s->live_bytes,
			   s->live_count, ks_kind_name(s->kind),
			   ks_oom_label.module, ks_oom_label.name);
	}
	ks_oom_account();
	ks_oom_drops();
	if (ks_oom_truncated) {
		/* Room was kept for it. */
		strcpy(ks_oom_text + ks_oom_len, KS_OOM_TRUNCATED);
		ks_oom_len += strlen(KS_OOM_TRUNCATED);
	}
}

/* Print the report to the kernel log, a line at a time. */
static void ks_oom_print(void)
{
	const char *p = ks_oom_text, *e;

	while (*p) {
		e = strchrnul(p, '\n');
		if (e > p)
			pr_warn("oom: %.*s\n", (int)(e - p), p);
		p = *e ? e + 1 : e;
	}
}

static int ks_oom_notify(struct notifier_block *nb, unsigned long unused,
			 void *freed)
{
	mutex_lock(&ks_oom_lock);
	ks_ooms++;
	/* At most one report a second: the chain may be called in a loop. */
	if (!ks_oom_reports || time_after_eq(jiffies, ks_oom_made + HZ)) {
		ks_oom_reports++;
		ks_oom_made = jiffies;
		ks_oom_report();
		if (__ratelimit(&ks_oom_rs))
			ks_oom_print();
		else
			ks_oom_unlogged++;
	}
	mutex_unlock(&ks_oom_lock);
	return NOTIFY_OK;
}

static struct notifier_block ks_oom_nb = {
	.notifier_call = ks_oom_notify,
};

int ks_oom_init(void)
{
	return register_oom_notifier(&ks_oom_nb);
}

void ks_oom_exit(void)
{
	unregister_oom_notifier(&ks_oom_nb);
}

/* ---- the oom file ------------------------------------------------------ */

static int ks_oom_show(struct seq_file *m, void *v)
{
	seq_puts(m, m->private);
	return 0;
}

static int ks_oom_open(struct inode *inode, struct file *file)
{
	char *buf = kvmalloc(KS_OOM_TEXT + 256, GFP_KERNEL);
	int n, ret;

	if (!buf)
		return -ENOMEM;
	mutex_lock(&ks_oom_lock);
	n = scnprintf(buf, 256,
		      "kmemscope oom - version: %s\nooms: %lu\nreports: %lu\nnot_logged: %lu\n",
		      KS_OOM_VERSION, ks_ooms, ks_oom_reports, ks_oom_unlogged);
	memcpy(buf + n, ks_oom_text, ks_oom_len + 1);
	mutex_unlock(&ks_oom_lock);
	ret = single_open_size(file, ks_oom_show, buf, KS_OOM_TEXT + 256);
	if (ret)
		kvfree(buf);
	return ret;
}

static int ks_oom_release(struct inode *inode, struct file *file)
{
	kvfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

const struct file_operations ks_oom_fops = {
	.owner = THIS_MODULE,
	.open = ks_oom_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = ks_oom_release,
};
