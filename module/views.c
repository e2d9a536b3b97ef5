// SPDX-License-Identifier: GPL-2.0
/*
 * views.c - the debugfs files under /sys/kernel/debug/kmemscope/.
 *
 *   summary      totals per allocator, hooks, what was not recorded, and
 *                a cross-check against /proc/meminfo
 *   callers      one row per call site, sorted by live bytes
 *   modules      one row per module (and the kernel), sorted by live bytes
 *   allocations  one row per live allocation
 *   control      commands (control.c)
 *
 * Every file starts with a "kmemscope <name> - version: X.Y" line.  Views
 * copy what they print out of the store first (lock-free snapshots of the
 * atomic counters, or records copied a few buckets at a time under one
 * bucket lock) and format afterwards (with format.c's helpers): no store
 * lock is held while formatting.  Files are root-only; addresses print with %pK and so
 * follow kptr_restrict, call sites and backtrace entries with no symbol too
 * (format.c).
 *
 * Notes on locking: the callers and modules snapshots are taken at open()
 * into memory owned by that open file and freed at release(); their
 * seq_file iterators index into it, so a read continues where the last
 * one stopped.  The allocations iterator keeps a cursor into the store's
 * buckets and a buffer of copied records in its open file.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kmemscope.h"
#include "attrib.h"

#define KS_SUMMARY_VERSION	"2.5"
#define KS_CALLERS_VERSION	"2.0"
#define KS_MODULES_VERSION	"1.0"
#define KS_ALLOCS_VERSION	"1.1"

static struct dentry *ks_dir;

static const char * const ks_hook_state_names[] = {
	[KS_HOOK_OFF]		= "off",
	[KS_HOOK_ATTACHED]	= "untested",
	[KS_HOOK_VERIFIED]	= "ok",
	[KS_HOOK_SILENT]	= "silent",
	[KS_HOOK_FAILED]	= "failed",
};

/* ---- summary ---------------------------------------------------------- */

static void ks_cross_check(struct seq_file *m, const char *field, long kb,
			   long tracked_bytes, const char *what)
{
	long tracked_kb = DIV_ROUND_UP(tracked_bytes, 1024);

	if (kb < 0) {
		seq_printf(m, "meminfo: %-12s unavailable\n", field);
		return;
	}
	seq_printf(m, "meminfo: %-12s %ld kB, tracked %ld kB (%s), not tracked %ld kB\n",
		   field, kb, tracked_kb, what, kb - tracked_kb);
}

static int ks_summary_show(struct seq_file *m, void *v)
{
	struct ks_kind_totals t[KS_NR_KINDS], all = {};
	struct ks_store *st = &ks_store;
	const struct ks_meminfo *mi = m->private;
	long untracked = 0;
	int k, h;

	ks_store_totals(st, t);
	for (k = 0; k < KS_NR_KINDS; k++) {
		all.live_bytes += t[k].live_bytes;
		all.live_req += t[k].live_req;
		all.live_count += t[k].live_count;
		all.allocs += t[k].allocs;
		all.frees += t[k].frees;
		untracked += atomic_long_read(&st->untracked_frees[k]);
	}

	seq_printf(m, "kmemscope summary - version: %s\n", KS_SUMMARY_VERSION);
	seq_printf(m, "module_version: %s\n", KS_VERSION);
	seq_printf(m, "tracking: %s\n", READ_ONCE(ks_enabled) ? "enabled" : "disabled");
	seq_printf(m, "stacks: %s, depth %u\n", READ_ONCE(ks_stacks_on) ? "on" : "off",
		   READ_ONCE(ks_stack_depth));
	seq_printf(m, "since_reset_s: %llu\n",
		   div_u64(local_clock() - ks_loaded_ns, NSEC_PER_SEC));
	seq_printf(m, "records: %ld used, %ld peak, %u capacity, %zu bytes each\n",
		   atomic_long_read(&st->records_used),
		   atomic_long_read(&st->records_peak), st->nr_records,
		   sizeof(struct ks_record) + sizeof(struct ks_record *));
	seq_printf(m, "sites: %d used, %u capacity, %zu bytes each, %ld folded\n",
		   atomic_read(&st->sites_used), st->max_sites,
		   2 * sizeof(struct ks_site),
		   atomic_long_read(&st->sites_folded));
	seq_printf(m, "stacks_table: %u used, %u capacity, %zu bytes each\n",
		   READ_ONCE(ks_stacks.used), ks_stacks.max,
		   ks_stacks_bytes_each());
	if (READ_ONCE(ks_sample_interval_s))
		seq_printf(m, "sampler: every %lu s, window %u, %u samples, %zu bytes of history\n",
			   READ_ONCE(ks_sample_interval_s),
			   READ_ONCE(ks_sample_window), ks_sampler_samples(),
			   ks_sampler_bytes());
	else
		seq_puts(m, "sampler: off\n");
	seq_printf(m, "store_bytes: %zu\n",
		   (size_t)st->nr_records * sizeof(struct ks_record) +
		   (sizeof(struct ks_record *) << st->bucket_bits) +
		   (sizeof(struct ks_site) << st->site_bits) +
		   (size_t)ks_stacks.max * ks_stacks_bytes_each());

	seq_puts(m, "\n# allocator: name live_bytes live_req live_count allocs frees peak_bytes\n");
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld %ld\n",
			   ks_kind_names[k], t[k].live_bytes, t[k].live_req,
			   t[k].live_count, t[k].allocs, t[k].frees,
			   atomic_long_read(&st->kind_peak[k]));
	seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld -\n", "total",
		   all.live_bytes, all.live_req, all.live_count, all.allocs,
		   all.frees);

	seq_puts(m, "\n# hook: name state hits error\n");
	for (h = 0; h < KS_NR_HOOKS; h++)
		seq_printf(m, "hook: %-21s %s %lu %d\n", ks_hooks[h].name,
			   ks_hook_state_names[ks_hooks[h].state],
			   ks_hooks_hits(h), ks_hooks[h].error);

	seq_puts(m, "\n# not recorded, by cause\n");
	seq_printf(m, "dropped_pool_full: %ld\n",
		   atomic_long_read(&st->drop_pool_full));
	seq_printf(m, "dropped_site_table_full: %ld\n",
		   atomic_long_read(&st->drop_sites_full));
	seq_printf(m, "dropped_recursion: %lu\n", ks_hooks_recursion_drops());
	seq_printf(m, "dropped_kretprobe_missed: %lu\n", ks_hooks_missed());
	seq_printf(m, "dropped_frees_kprobe_busy: %lu\n", ks_hooks_frees_missed());
	seq_printf(m, "stacks_not_saved_table_full: %ld\n",
		   atomic_long_read(&ks_stacks.full));
	seq_printf(m, "filtered_min_size: %ld\n",
		   atomic_long_read(&ks_filtered_small));
	seq_printf(m, "filtered_module: %ld\n",
		   atomic_long_read(&st->not_recorded[KS_CLASS_EXCLUDED]));
	seq_printf(m, "untracked_frees: %ld\n", untracked);
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, "untracked_frees_%s: %ld\n", ks_kind_names[k],
			   atomic_long_read(&st->untracked_frees[k]));
	seq_printf(m, "missed_frees: %ld\n", atomic_long_read(&st->missed_frees));
	seq_printf(m, "frees_dropped_nmi_busy: %ld\n",
		   atomic_long_read(&st->drop_nmi_busy));
	seq_printf(m, "page_caller_not_found: %ld\n",
		   atomic_long_read(&ks_unknown_callers));
	seq_puts(m, "\n# frees that did not match their allocation (kept, not lost)\n");
	seq_printf(m, "page_frees_partial: %ld\n",
		   atomic_long_read(&st->part_frees));
	seq_printf(m, "page_frees_over: %ld\n",
		   atomic_long_read(&st->over_frees));
	seq_printf(m, "page_splits: %ld\n", atomic_long_read(&st->splits));
	seq_printf(m, "vfree_deferred: %ld\n",
		   atomic_long_read(&ks_vfree_deferred));
	seq_printf(m, "vfree_seen_twice: %ld\n",
		   atomic_long_read(&ks_vfree_twice));
	seq_puts(m, "\n# page allocations counted, not recorded (their bytes are counted elsewhere)\n");
	for (k = KS_CLASS_SLAB; k <= KS_CLASS_USER; k++)
		seq_printf(m, "pages_%s: %ld\n", ks_class_names[k],
			   atomic_long_read(&st->not_recorded[k]) +
			   (k == KS_CLASS_USER ? atomic_long_read(&ks_user_pages) : 0));
	seq_printf(m, "untraced: alloc_pages_bulk calls %lu (pages not seen; their frees count as untracked)\n",
		   ks_hooks_hits(KS_HOOK_PAGES_BULK));

	seq_puts(m, "\n# cross-check: /proc/meminfo totals vs what kmemscope tracks (live, allocated since load)\n");
	if (!mi->ok) {
		seq_puts(m, "meminfo: unavailable (procfs not mounted?)\n");
		return 0;
	}
	ks_cross_check(m, "Slab", mi->slab,
		       t[KS_KMALLOC].live_bytes + t[KS_KMEM_CACHE].live_bytes,
		       "kmalloc + kmem_cache objects");
	ks_cross_check(m, "VmallocUsed", mi->vmalloc_used, t[KS_VMALLOC].live_bytes,
		       "vmalloc areas");
	ks_cross_check(m, "Percpu", mi->percpu, t[KS_PERCPU].live_bytes,
		       "percpu objects");
	seq_printf(m, "meminfo: %-12s no line in meminfo, tracked %ld kB (pages taken straight from the page allocator)\n",
		   "DirectPages", DIV_ROUND_UP(t[KS_PAGE].live_bytes, 1024));
	return 0;
}

/*
 * /proc/meminfo is read here, not in show(): seq_read() calls show() with
 * this file's seq_file lock held, and reading another seq_file there
 * takes a lock of the same class inside it.
 */
static int ks_summary_open(struct inode *inode, struct file *file)
{
	struct ks_meminfo *mi = kmalloc(sizeof(*mi), GFP_KERNEL);
	int ret;

	if (!mi)
		return -ENOMEM;
	ks_read_meminfo(mi);
	ret = single_open_size(file, ks_summary_show, mi, 8192);
	if (ret)
		kfree(mi);
	return ret;
}

static int ks_summary_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

static const struct file_operations ks_summary_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_summary_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_summary_release,
};

/* ---- snapshot tables (callers, modules) -------------------------------- */

/*
 * A table copied out at open(): its rows are what the seq_file walks.
 * Position 0 is the header; position i is row i - 1.
 */
static void *ks_table_row(struct ks_table *t, loff_t pos)
{
	if (pos == 0)
		return SEQ_START_TOKEN;
	return pos <= t->n ? t->rows + (pos - 1) * t->size : NULL;
}

void *ks_table_start(struct seq_file *m, loff_t *pos)
{
	return ks_table_row(m->private, *pos);
}

void *ks_table_next(struct seq_file *m, void *v, loff_t *pos)
{
	return ks_table_row(m->private, ++*pos);
}

void ks_seq_stop(struct seq_file *m, void *v)
{
}

/* Hand a table built by the caller to a new seq_file; frees it on error. */
int ks_table_open(struct file *file, const struct seq_operations *ops,
		  struct ks_table *t)
{
	int ret;

	if (!t)
		return -ENOMEM;
	ret = seq_open(file, ops);
	if (ret) {
		kvfree(t);
		return ret;
	}
	((struct seq_file *)file->private_data)->private = t;
	return 0;
}

int ks_table_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return seq_release(inode, file);
}

/* ---- callers ---------------------------------------------------------- */

/* t first: ks_table_release() frees the whole from its address. */
struct ks_callers {
	struct ks_table t;
	unsigned int n;
	struct ks_site_snap sites[];
};

static int ks_site_cmp(const void *a, const void *b)
{
	const struct ks_site_snap *x = a, *y = b;

	if (x->live_bytes != y->live_bytes)
		return x->live_bytes < y->live_bytes ? 1 : -1;
	if (x->allocs != y->allocs)
		return x->allocs < y->allocs ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* Snapshot the recorded sites.  Context: process. */
static struct ks_callers *ks_snapshot(void)
{
	unsigned int max, i, j;
	struct ks_callers *c;

	/* Room for the sites in use now and some that may appear meanwhile. */
	max = min_t(unsigned int, atomic_read(&ks_store.sites_used) + 64,
		    ks_store.max_sites);
	c = kvmalloc(struct_size(c, sites, max), GFP_KERNEL);
	if (!c)
		return NULL;
	c->n = ks_store_snapshot_sites(&ks_store, c->sites, max);
	for (i = 0, j = 0; i < c->n; i++)
		if (c->sites[i].class == KS_CLASS_OBJECT)
			c->sites[j++] = c->sites[i];
	c->n = j;
	sort(c->sites, c->n, sizeof(c->sites[0]), ks_site_cmp, NULL);
	c->t.n = c->n;
	c->t.size = sizeof(c->sites[0]);
	c->t.rows = c->sites;
	return c;
}

static int ks_callers_show(struct seq_file *m, void *v)
{
	const struct ks_site_snap *s = v;
	struct ks_site_label *l;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "kmemscope callers - version: %s\n",
			   KS_CALLERS_VERSION);
		seq_puts(m, "# live_bytes live_req live_count allocs frees peak_bytes allocator module state call_site\n");
		return 0;
	}
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!l)
		return -ENOMEM;
	ks_label(l, s->key, s->name, s->retired);
	seq_printf(m, "%ld %ld %ld %ld %ld %ld %s %s %s %s\n", s->live_bytes,
		   s->live_req, s->live_count, s->allocs, s->frees,
		   s->peak_bytes,
		   s->kind < KS_NR_KINDS ? ks_kind_names[s->kind] : "?",
		   l->module, l->state, l->name);
	kfree(l);
	return 0;
}

static const struct seq_operations ks_callers_sops = {
	.start	= ks_table_start,
	.next	= ks_table_next,
	.stop	= ks_seq_stop,
	.show	= ks_callers_show,
};

static int ks_callers_open(struct inode *inode, struct file *file)
{
	struct ks_callers *c = ks_snapshot();

	return ks_table_open(file, &ks_callers_sops, c ? &c->t : NULL);
}

static const struct file_operations ks_callers_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_callers_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_table_release,
};

/* ---- modules ---------------------------------------------------------- */

static int ks_module_cmp(const void *a, const void *b)
{
	const struct ks_module_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->name, y->name);
}

/*
 * ks_modules_build - live totals per module (and the kernel), sorted by
 * live bytes.  Returns a table to kvfree(), or NULL.  Context: process.
 */
struct ks_modules *ks_modules_build(void)
{
	struct ks_callers *c = ks_snapshot();
	struct ks_site_label *l;
	struct ks_modules *mods;
	unsigned int i, j;

	if (!c)
		return NULL;
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	mods = kvzalloc(struct_size(mods, rows, c->n + 1), GFP_KERNEL);
	if (!l || !mods) {
		kfree(l);
		kvfree(mods);
		kvfree(c);
		return NULL;
	}
	/*
	 * The kernel always has a row.  Its state is format.c's own string,
	 * and rows are matched by the state's text, never by its address:
	 * a literal here and format.c's are different objects.
	 */
	strscpy(mods->rows[0].name, "kernel", MODULE_NAME_LEN);
	mods->rows[0].state = ks_site_state("kernel", 0);
	mods->n = 1;
	for (i = 0; i < c->n; i++) {
		const struct ks_site_snap *s = &c->sites[i];
		struct ks_module_row *r = NULL;

		ks_label(l, s->key, s->name, s->retired);
		for (j = 0; j < mods->n; j++)
			if (!strcmp(mods->rows[j].name, l->module) &&
			    !strcmp(mods->rows[j].state, l->state)) {
				r = &mods->rows[j];
				break;
			}
		if (!r) {
			r = &mods->rows[mods->n++];
			strscpy(r->name, l->module, sizeof(r->name));
			r->state = l->state;
		}
		if (s->kind < KS_NR_KINDS)
			r->live_bytes[s->kind] += s->live_bytes;
		r->total += s->live_bytes;
		r->live_count += s->live_count;
		r->allocs += s->allocs;
		r->frees += s->frees;
	}
	kfree(l);
	kvfree(c);
	sort(mods->rows, mods->n, sizeof(mods->rows[0]), ks_module_cmp, NULL);
	mods->t.n = mods->n;
	mods->t.size = sizeof(mods->rows[0]);
	mods->t.rows = mods->rows;
	return mods;
}

static int ks_modules_show(struct seq_file *m, void *v)
{
	const struct ks_module_row *r = v;
	int k;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "kmemscope modules - version: %s\n",
			   KS_MODULES_VERSION);
		seq_puts(m, "# module state total_bytes");
		for (k = 0; k < KS_NR_KINDS; k++)
			seq_printf(m, " %s_bytes", ks_kind_names[k]);
		seq_puts(m, " live_count allocs frees\n");
		return 0;
	}
	seq_printf(m, "%s %s %ld", r->name, r->state, r->total);
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, " %ld", r->live_bytes[k]);
	seq_printf(m, " %ld %ld %ld\n", r->live_count, r->allocs, r->frees);
	return 0;
}

static const struct seq_operations ks_modules_sops = {
	.start	= ks_table_start,
	.next	= ks_table_next,
	.stop	= ks_seq_stop,
	.show	= ks_modules_show,
};

static int ks_modules_open(struct inode *inode, struct file *file)
{
	struct ks_modules *mods = ks_modules_build();

	return ks_table_open(file, &ks_modules_sops, mods ? &mods->t : NULL);
}

static const struct file_operations ks_modules_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_modules_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_table_release,
};

/* ---- allocations ------------------------------------------------------ */

#define KS_ALLOCS_BATCH	64

struct ks_allocs_iter {
	struct ks_record_cursor cur;
	loff_t base;			/* position of buf[0] */
	unsigned int n;			/* entries in buf */
	bool done;
	u64 now;
	struct ks_site_label label;
	char gfp[KS_GFP_STR_LEN];
	unsigned long stack[KS_STACK_MAX_DEPTH];
	struct ks_record_snap buf[KS_ALLOCS_BATCH];
};

/* Make buf hold position pos (1-based record index), walking on. */
static struct ks_record_snap *ks_allocs_at(struct ks_allocs_iter *it,
					   loff_t pos)
{
	if (pos < it->base) {
		/* A seek back: walk again from the start. */
		memset(&it->cur, 0, sizeof(it->cur));
		it->base = 1;
		it->n = 0;
		it->done = false;
	}
	while (pos >= it->base + it->n) {
		if (it->done)
			return NULL;
		it->base += it->n;
		it->n = ks_store_copy_records(&ks_store, &it->cur, it->buf,
					      KS_ALLOCS_BATCH);
		if (!it->n) {
			it->done = true;
			return NULL;
		}
	}
	return &it->buf[pos - it->base];
}

static void *ks_allocs_start(struct seq_file *m, loff_t *pos)
{
	if (*pos == 0)
		return SEQ_START_TOKEN;
	return ks_allocs_at(m->private, *pos);
}

static void *ks_allocs_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return ks_allocs_at(m->private, *pos);
}

static int ks_allocs_show(struct seq_file *m, void *v)
{
	struct ks_allocs_iter *it = m->private;
	const struct ks_record_snap *r = v;
	unsigned int i, n;
	u64 age;

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "kmemscope allocations - version: %s\n",
			   KS_ALLOCS_VERSION);
		seq_puts(m, "# address bytes_alloc bytes_req allocator gfp age_ms pid comm module call_site\n");
		seq_puts(m, "#   (backtrace lines, when stacks were on, start with two spaces)\n");
		return 0;
	}
	ks_label(&it->label, r->call_site, r->site_name, r->retired);
	age = it->now > r->ts_ns ? it->now - r->ts_ns : 0;
	seq_printf(m, "%pK %u %u %s ", (void *)r->ptr, r->bytes_alloc,
		   r->bytes_req, r->kind < KS_NR_KINDS ? ks_kind_names[r->kind] : "?");
	ks_format_gfp(it->gfp, sizeof(it->gfp), r->gfp);
	seq_puts(m, it->gfp);
	seq_printf(m, " %llu %d %s %s %s\n", div_u64(age, NSEC_PER_MSEC),
		   r->pid, r->comm[0] ? r->comm : "-", it->label.module,
		   it->label.name);
	n = ks_stacks_get(&ks_stacks, r->stack, it->stack, KS_STACK_MAX_DEPTH);
	for (i = 0; i < n; i++) {
		/* The label is printed: its name buffer is scratch now. */
		ks_format_frame(it->label.name, it->stack[i]);
		seq_printf(m, "  %s\n", it->label.name);
	}
	return 0;
}

static const struct seq_operations ks_allocs_sops = {
	.start	= ks_allocs_start,
	.next	= ks_allocs_next,
	.stop	= ks_seq_stop,
	.show	= ks_allocs_show,
};

static int ks_allocs_open(struct inode *inode, struct file *file)
{
	struct ks_allocs_iter *it;

	it = __seq_open_private(file, &ks_allocs_sops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->base = 1;
	it->now = local_clock();
	return 0;
}

static const struct file_operations ks_allocs_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_allocs_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release_private,
};

/* Context: module init, last: every file works once it exists. */
int ks_views_create(void)
{
	ks_dir = debugfs_create_dir("kmemscope", NULL);
	if (IS_ERR(ks_dir))
		return PTR_ERR(ks_dir);
	debugfs_create_file("summary", 0400, ks_dir, NULL, &ks_summary_fops);
	debugfs_create_file("callers", 0400, ks_dir, NULL, &ks_callers_fops);
	debugfs_create_file("modules", 0400, ks_dir, NULL, &ks_modules_fops);
	debugfs_create_file("allocations", 0400, ks_dir, NULL, &ks_allocs_fops);
	ks_control_create(ks_dir);
	ks_account_create(ks_dir);
	ks_leaks_create(ks_dir);
	return 0;
}

void ks_views_remove(void)
{
	debugfs_remove_recursive(ks_dir);
	ks_dir = NULL;
}
