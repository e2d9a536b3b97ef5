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
 * no report.  The report must not allocate, so it is made in static
 * memory:
 *
 *   ks_oom_site[]    the KS_OOM_SITES recorded (object) sites with the most
 *                    live bytes, from the site table read slot by slot
 *                    (ks_store_read_site(): lock-free)
 *   ks_oom_mod[]     live totals per module (and the kernel), for the
 *                    first KS_OOM_MODULES - 1 modules met; the rest are
 *                    summed in one row, "other-modules"
 *   ks_oom_text[]    the report, as the oom file shows it; printed to the
 *                    kernel log a line at a time
 *
 * and the account's lines are the counters that can be read without
 * allocating (physmem.c's ks_physmem_counters()): VmallocUsed, Percpu and
 * Hugetlb come from /proc/meminfo, which cannot be read here, so those
 * pages are inside the report's remainder (and it says so).
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
#include <linux/string.h>

#include "oom.h"
#include "versions.h"
#include "compat.h"
#include "state.h"
#include "hooks.h"
#include "format.h"
#include "physmem.h"

#define KS_OOM_SITES	10
#define KS_OOM_MODULES	16
#define KS_OOM_TEXT	(16 * 1024)

struct ks_oom_module {
	char name[MODULE_NAME_LEN];
	const char *state;		/* format.c's ks_site_state() */
	long live_bytes;
	long live_count;
};

static DEFINE_MUTEX(ks_oom_lock);
static unsigned long ks_ooms;
/*
 * The kernel log gets a report at the OOM killer's own rate (its dumps:
 * 10 per 5 s); the chain is also called while a victim is still exiting,
 * and an OOM storm must not flood the log.  The oom file always has the
 * last report; ks_oom_unlogged counts the reports the log did not get.
 */
static DEFINE_RATELIMIT_STATE(ks_oom_rs, DEFAULT_RATELIMIT_INTERVAL,
			      DEFAULT_RATELIMIT_BURST);
static unsigned long ks_oom_unlogged;
static struct ks_site_snap ks_oom_site[KS_OOM_SITES];
static unsigned int ks_oom_nsites;
static struct ks_oom_module ks_oom_mod[KS_OOM_MODULES];
static unsigned int ks_oom_nmods;
static struct ks_site_label ks_oom_label;
static char ks_oom_text[KS_OOM_TEXT];
static size_t ks_oom_len;
static bool ks_oom_truncated;

static __printf(1, 2) void ks_oom_add(const char *fmt, ...)
{
	va_list ap;
	int n;

	if (ks_oom_len >= sizeof(ks_oom_text) - 1) {
		ks_oom_truncated = true;
		return;
	}
	va_start(ap, fmt);
	n = vsnprintf(ks_oom_text + ks_oom_len,
		      sizeof(ks_oom_text) - ks_oom_len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof(ks_oom_text) - ks_oom_len) {
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

/* Add @s to its module's row (the label was made for it). */
static void ks_oom_add_module(const struct ks_site_snap *s)
{
	const struct ks_site_label *l = &ks_oom_label;
	struct ks_oom_module *r = NULL;
	unsigned int i;

	for (i = 0; i < ks_oom_nmods; i++)
		if (!strcmp(ks_oom_mod[i].name, l->module) &&
		    !strcmp(ks_oom_mod[i].state, l->state)) {
			r = &ks_oom_mod[i];
			break;
		}
	if (!r && ks_oom_nmods < KS_OOM_MODULES - 1) {
		r = &ks_oom_mod[ks_oom_nmods++];
		strscpy(r->name, l->module, sizeof(r->name));
		r->state = l->state;
	} else if (!r) {
		r = &ks_oom_mod[KS_OOM_MODULES - 1];
		if (!r->state) {
			ks_oom_nmods = KS_OOM_MODULES;
			strscpy(r->name, "other-modules", sizeof(r->name));
			r->state = "-";
		}
	}
	r->live_bytes += s->live_bytes;
	r->live_count += s->live_count;
}

/* Sort the module rows by live bytes (a few rows: insertion sort). */
static void ks_oom_sort_modules(void)
{
	unsigned int i, j;

	for (i = 1; i < ks_oom_nmods; i++) {
		struct ks_oom_module r = ks_oom_mod[i];

		for (j = i; j > 0 && ks_oom_mod[j - 1].live_bytes < r.live_bytes; j--)
			ks_oom_mod[j] = ks_oom_mod[j - 1];
		ks_oom_mod[j] = r;
	}
}

/* Walk the site table into ks_oom_site[] and ks_oom_mod[]. */
static void ks_oom_gather(void)
{
	unsigned int i, slots = 1U << ks_store.site_bits;
	struct ks_site_snap s;

	ks_oom_nsites = 0;
	ks_oom_nmods = 0;
	memset(ks_oom_mod, 0, sizeof(ks_oom_mod));
	for (i = 0; i < slots; i++) {
		if (!(i % 1024))
			cond_resched();
		if (!ks_store_read_site(&ks_store, i, &s) ||
		    s.class != KS_CLASS_OBJECT || s.live_bytes <= 0)
			continue;
		ks_label(&ks_oom_label, s.key, s.name, s.retired);
		ks_oom_add_module(&s);
		ks_oom_keep_site(&s);
	}
	ks_oom_sort_modules();
}

static void ks_oom_line(const char *name, long pages, const char *source)
{
	ks_oom_add("account: %s %ld %s\n", name, pages, source);
}

static void ks_oom_account(void)
{
	struct ks_ram_counters c;
	long direct = atomic_long_read(&ks_store.kind_live[KS_PAGE]) >> PAGE_SHIFT;
	long rest;

	ks_physmem_counters(&c);
	rest = c.managed - c.free - c.pcp - c.slab_reclaimable -
	       c.slab_unreclaimable - c.kernel_stack - c.page_tables - c.anon -
	       c.file - direct;
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
	struct ks_kind_totals t[KS_NR_KINDS];
	char comm[TASK_COMM_LEN];
	unsigned int i;
	int k;

	ks_oom_gather();
	ks_store_totals(&ks_store, t);
	get_task_comm(comm, current);

	ks_oom_len = 0;
	ks_oom_truncated = false;
	ks_oom_add("kmemscope oom - version: %s\n", KS_OOM_VERSION);
	ks_oom_add("ooms: %lu\n", ks_ooms);
	ks_oom_add("not_logged: %lu\n", ks_oom_unlogged);
	ks_oom_add("last: uptime_s %lld pid %d comm %s\n",
		   ktime_get_boottime_seconds(), task_pid_nr(current), comm);
	ks_oom_add("page_size: %lu\n", PAGE_SIZE);
	ks_oom_add("\n# live: allocator live_bytes live_count (every recorded site)\n");
	for (k = 0; k < KS_NR_KINDS; k++)
		ks_oom_add("live: %s %ld %ld\n", ks_kind_name(k),
			   t[k].live_bytes, t[k].live_count);
	ks_oom_add("\n# module: live_bytes live_count name state (by live bytes)\n");
	for (i = 0; i < ks_oom_nmods; i++)
		ks_oom_add("module: %ld %ld %s %s\n", ks_oom_mod[i].live_bytes,
			   ks_oom_mod[i].live_count, ks_oom_mod[i].name,
			   ks_oom_mod[i].state);
	ks_oom_add("\n# site: live_bytes live_count allocator module call_site (the %d largest)\n",
		   KS_OOM_SITES);
	for (i = 0; i < ks_oom_nsites; i++) {
		const struct ks_site_snap *s = &ks_oom_site[i];

		ks_label(&ks_oom_label, s->key, s->name, s->retired);
		ks_oom_add("site: %ld %ld %s %s %s\n", s->live_bytes,
			   s->live_count, ks_kind_name(s->kind),
			   ks_oom_label.module, ks_oom_label.name);
	}
	ks_oom_account();
	ks_oom_drops();
	if (ks_oom_truncated)
		ks_oom_add("truncated\n");
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
	bool log;

	mutex_lock(&ks_oom_lock);
	ks_ooms++;
	log = __ratelimit(&ks_oom_rs);
	if (!log)
		ks_oom_unlogged++;
	ks_oom_report();
	if (log)
		ks_oom_print();
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
	char *buf = kvmalloc(KS_OOM_TEXT, GFP_KERNEL);
	int ret;

	if (!buf)
		return -ENOMEM;
	mutex_lock(&ks_oom_lock);
	if (ks_ooms)
		memcpy(buf, ks_oom_text, ks_oom_len + 1);
	else
		snprintf(buf, KS_OOM_TEXT, "kmemscope oom - version: %s\nooms: 0\n",
			 KS_OOM_VERSION);
	mutex_unlock(&ks_oom_lock);
	ret = single_open_size(file, ks_oom_show, buf, KS_OOM_TEXT);
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
