// SPDX-License-Identifier: GPL-2.0
/*
 * leaks.c - leak candidates, marks and unload reports.
 *
 *   leaks        memory still held by unloaded modules (certain leaks),
 *                then live allocations older than min_age, grouped by
 *                call site and backtrace; and the unload reports kept
 *   since_mark   live allocations made since the last "mark", per module
 *                and call site
 *   growing      (rows of leaks) call sites whose live bytes keep growing:
 *                a sampler, off by default, records every site's live
 *                bytes each interval into a bounded history (sites x
 *                window), and trend.c's test flags steady growth
 *   kmemscope_mark(), kmemscope_live_since()   the same for other modules'
 *                tests (kmemscope_api.h), exported GPL
 *
 * When a module is unloaded still holding memory, one compact report goes
 * to the kernel log and is kept (the last KS_REPORTS of them).  It is
 * written unload_delay_ms after the unload, because memory freed through
 * RCU (kfree_rcu) comes back a moment after the module is gone.
 *
 * Notes on locking: views copy records out of the store a few buckets at
 * a time (ks_store_copy_records(): one bucket lock at a time) into memory
 * owned by the open file, then group and sort them there.  ks_reports_lock
 * (a mutex) protects the report ring and the list of pending reports; the
 * delayed work runs in process context.  ks_mark_ns and ks_min_age_s are
 * plain words read with READ_ONCE().  ks_sampler_lock (a mutex) protects
 * the sampler's history and settings; the sampler is a delayed work,
 * process context; its history is allocated when it is turned on and
 * freed when it is turned off.  Lock order: ks_control_lock (control.c),
 * then ks_sampler_lock; ks_reports_lock is never held with another.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mm.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "kmemscope.h"
#include "kmemscope_api.h"
#include "trend.h"
#include "group.h"

#define KS_LEAKS_VERSION	"1.1"
#define KS_SINCE_VERSION	"1.1"
#define KS_REPORTS		16
#define KS_REPORT_LEN		320
#define KS_COPY_BATCH		64
#define KS_GROWING_MAX		64

static unsigned int unload_delay_ms = 2000;
module_param(unload_delay_ms, uint, 0444);
MODULE_PARM_DESC(unload_delay_ms,
		 "wait this long after a module unloads before reporting what it still holds (0..60000)");

unsigned long ks_min_age_s = 10;
unsigned long ks_sample_interval_s;
unsigned int ks_sample_window = 16;
u64 ks_mark_ns;
unsigned long ks_marks;

/* ---- growth sampler ---------------------------------------------------- */

static DEFINE_MUTEX(ks_sampler_lock);
static struct delayed_work ks_sampler_work;
static u32 *ks_hist;			/* rows x window live bytes (clamped) */
static unsigned long *ks_hist_key;	/* per row: the site's key when seen */
static u32 *ks_hist_first;		/* per row: sample when the key came */
static unsigned int ks_hist_rows;	/* = site table slots */
static unsigned int ks_hist_window;
static u32 ks_samples;			/* taken since (re)start or reset */

size_t ks_sampler_bytes(void)
{
	return (size_t)ks_hist_rows * (ks_hist_window * sizeof(*ks_hist) +
		sizeof(*ks_hist_key) + sizeof(*ks_hist_first));
}

u32 ks_sampler_samples(void)
{
	return READ_ONCE(ks_samples);
}

static void ks_sampler_free(void)
{
	vfree(ks_hist);
	vfree(ks_hist_key);
	vfree(ks_hist_first);
	ks_hist = NULL;
	ks_hist_key = NULL;
	ks_hist_first = NULL;
	ks_hist_rows = 0;
	ks_hist_window = 0;
	ks_samples = 0;
}

/* One sample of every site.  Context: process, ks_sampler_lock held. */
static void ks_sample_once(void)
{
	unsigned int i, pos = ks_samples % ks_hist_window;
	struct ks_site_snap s;

	for (i = 0; i < ks_hist_rows; i++) {
		u32 v = 0;

		if (ks_store_read_site(&ks_store, i, &s) &&
		    s.class == KS_CLASS_OBJECT) {
			if (ks_hist_key[i] != s.key) {
				ks_hist_key[i] = s.key;
				ks_hist_first[i] = ks_samples;
			}
			v = clamp_val(s.live_bytes, 0, U32_MAX);
		} else {
			ks_hist_key[i] = 0;
		}
		ks_hist[i * ks_hist_window + pos] = v;
	}
	ks_samples++;
}

static void ks_sampler_fn(struct work_struct *w)
{
	unsigned long interval;

	mutex_lock(&ks_sampler_lock);
	interval = ks_sample_interval_s;
	if (ks_hist && interval)
		ks_sample_once();
	mutex_unlock(&ks_sampler_lock);
	if (interval)
		schedule_delayed_work(&ks_sampler_work, interval * HZ);
}

/**
 * ks_sampler_set - start, stop or reconfigure the growth sampler
 * @interval: seconds between samples, 0 to stop (and free the history)
 * @window: samples the trend test looks at
 *
 * A new window starts a new history.  Context: process.
 * Return: 0, or -ENOMEM (the sampler is then off).
 */
int ks_sampler_set(unsigned long interval, unsigned int window)
{
	unsigned int rows = 1U << ks_store.site_bits;
	int ret = 0;

	cancel_delayed_work_sync(&ks_sampler_work);
	mutex_lock(&ks_sampler_lock);
	if (!interval || window != ks_hist_window)
		ks_sampler_free();
	if (interval && !ks_hist) {
		ks_hist = vzalloc(array3_size(rows, window, sizeof(*ks_hist)));
		ks_hist_key = vzalloc(array_size(rows, sizeof(*ks_hist_key)));
		ks_hist_first = vzalloc(array_size(rows, sizeof(*ks_hist_first)));
		if (!ks_hist || !ks_hist_key || !ks_hist_first) {
			ks_sampler_free();
			interval = 0;
			ret = -ENOMEM;
		} else {
			ks_hist_rows = rows;
			ks_hist_window = window;
		}
	}
	ks_sample_interval_s = interval;
	ks_sample_window = window;
	if (interval)
		ks_sample_once();
	mutex_unlock(&ks_sampler_lock);
	if (interval)
		schedule_delayed_work(&ks_sampler_work, interval * HZ);
	return ret;
}

/* Forget the history (the store was reset).  Context: process. */
void ks_sampler_reset(void)
{
	mutex_lock(&ks_sampler_lock);
	if (ks_hist) {
		memset(ks_hist, 0, array3_size(ks_hist_rows, ks_hist_window,
					       sizeof(*ks_hist)));
		memset(ks_hist_key, 0, ks_hist_rows * sizeof(*ks_hist_key));
		ks_samples = 0;
	}
	mutex_unlock(&ks_sampler_lock);
}

struct ks_growing {
	unsigned int row;
	struct ks_trend t;
	long live;
};

/*
 * The sites whose last window of samples is growing, into out[max].
 * Context: process.  Return: how many (at most max).
 */
static unsigned int ks_find_growing(struct ks_growing *out, unsigned int max)
{
	long x[KS_TREND_MAX_WINDOW];
	unsigned int i, k, n = 0, w;

	mutex_lock(&ks_sampler_lock);
	w = ks_hist_window;
	for (i = 0; ks_hist && i < ks_hist_rows && n < max; i++) {
		struct ks_trend t;

		if (!ks_hist_key[i] || ks_samples < w ||
		    ks_hist_first[i] > ks_samples - w)
			continue;
		for (k = 0; k < w; k++)
			x[k] = ks_hist[i * w + (ks_samples - w + k) % w];
		ks_trend_test(x, w, &t);
		if (!t.growing)
			continue;
		out[n].row = i;
		out[n].t = t;
		out[n].live = x[w - 1];
		n++;
	}
	mutex_unlock(&ks_sampler_lock);
	return n;
}

/* ---- grouping live records --------------------------------------------- */

static const char * const ks_cat_names[] = {
	[KS_CAT_UNLOADED]	= "unloaded",
	[KS_CAT_OLD]		= "old",
	[KS_CAT_SINCE]		= "since_mark",
};

/* Decides the category of a record, or returns -1 to leave it out. */
typedef int (*ks_pick_fn)(const struct ks_record_snap *r, u64 now, void *arg);

/*
 * Copy the live records that pick() keeps into a new array.
 * Context: process.  Return: the array (kvfree) or NULL; *n entries,
 * *dropped that did not fit (records made meanwhile).
 */
static struct ks_item *ks_collect(ks_pick_fn pick, void *arg,
				  unsigned int *n, unsigned long *dropped)
{
	struct ks_record_cursor cur = {};
	struct ks_record_snap *batch;
	unsigned int cap, got, i;
	struct ks_item *items;
	u64 now = local_clock();

	*n = 0;
	*dropped = 0;
	cap = atomic_long_read(&ks_store.records_used) + 256;
	items = kvmalloc_array(cap, sizeof(*items), GFP_KERNEL);
	batch = kmalloc_array(KS_COPY_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!items || !batch) {
		kvfree(items);
		kfree(batch);
		return NULL;
	}
	while ((got = ks_store_copy_records(&ks_store, &cur, batch,
					    KS_COPY_BATCH))) {
		for (i = 0; i < got; i++) {
			const struct ks_record_snap *r = &batch[i];
			struct ks_item *it;
			int cat = pick(r, now, arg);

			if (cat < 0)
				continue;
			if (*n == cap) {
				(*dropped)++;
				continue;
			}
			it = &items[(*n)++];
			it->site = r->site;
			it->stack = r->stack;
			it->ts = r->ts_ns;
			it->bytes = r->bytes_alloc;
			it->cat = cat;
			it->kind = r->kind;
			it->retired = r->retired;
			it->call_site = r->call_site;
			it->site_name = r->site_name;
		}
		cond_resched();
	}
	kfree(batch);
	return items;
}

/* ---- the views: rows of modules, reports and groups ------------------- */

enum ks_row_type {
	KS_ROW_MODULE,		/* a module's total in the first category */
	KS_ROW_REPORT,		/* an unload report */
	KS_ROW_GROWING,		/* a call site whose live bytes keep growing */
	KS_ROW_GROUP,		/* a call site (and backtrace) */
};

struct ks_row {
	u8 type;
	struct ks_group g;		/* KS_ROW_GROUP, _MODULE, _GROWING */
	struct ks_trend t;		/* KS_ROW_GROWING */
	char text[KS_REPORT_LEN];	/* module name or report */
};

struct ks_rows {
	struct ks_table t;		/* first: see struct ks_table */
	u64 now;
	unsigned long dropped;
	unsigned int over_groups;	/* past KS_ROWS_MAX_BYTES: not listed */
	long over_count, over_bytes;
	bool since;
	struct ks_site_label label;
	unsigned long stack[KS_STACK_MAX_DEPTH];
	unsigned int n;
	struct ks_row rows[];
};

/* Reports kept, oldest first; and modules whose report is pending. */
static DEFINE_MUTEX(ks_reports_lock);
static char ks_reports[KS_REPORTS][KS_REPORT_LEN];
static unsigned int ks_nr_reports;	/* total ever written */

static int ks_pick_leaks(const struct ks_record_snap *r, u64 now, void *arg)
{
	u64 min_age = (u64)READ_ONCE(ks_min_age_s) * NSEC_PER_SEC;

	if (r->retired == KS_RETIRED_UNLOAD)
		return KS_CAT_UNLOADED;
	if (now > r->ts_ns && now - r->ts_ns >= min_age)
		return KS_CAT_OLD;
	return -1;
}

static int ks_pick_since(const struct ks_record_snap *r, u64 now, void *arg)
{
	return r->ts_ns >= *(u64 *)arg ? KS_CAT_SINCE : -1;
}

/*
 * Build the rows of a view: per-module totals of the first category
 * (unloaded modules for leaks, every module for since_mark), the kept
 * reports (leaks only), then the groups.  Context: process.
 */
static struct ks_rows *ks_rows_build(bool since)
{
	unsigned int n, g, i, j, nmod = 0, nrep = 0, total, ngrow = 0, keep;
	u64 mark = READ_ONCE(ks_mark_ns);
	struct ks_growing *grow = NULL;
	struct ks_group *groups;
	struct ks_item *items;
	unsigned long dropped;
	struct ks_rows *rows;
	struct ks_site_label *l;

	items = ks_collect(since ? ks_pick_since : ks_pick_leaks, &mark, &n,
			   &dropped);
	if (!items)
		return NULL;
	groups = kvmalloc_array(n + 1, sizeof(*groups), GFP_KERNEL);
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	grow = kmalloc_array(KS_GROWING_MAX, sizeof(*grow), GFP_KERNEL);
	if (!groups || !l || !grow)
		goto err;
	ngrow = since ? 0 : ks_find_growing(grow, KS_GROWING_MAX);
	g = ks_group(items, n, !since, groups);
	kvfree(items);
	items = NULL;

	mutex_lock(&ks_reports_lock);
	if (!since)
		nrep = min_t(unsigned int, ks_nr_reports, KS_REPORTS);
	/*
	 * The groups that fit in KS_ROWS_MAX_BYTES, each with room for at
	 * most one module row; the rest are counted.
	 */
	keep = ks_rows_fit(g, nrep + ngrow, sizeof(*rows),
			   sizeof(rows->rows[0]), KS_ROWS_MAX_BYTES);
	total = nrep + ngrow + 2 * keep;
	rows = kvzalloc(struct_size(rows, rows, total), GFP_KERNEL);
	if (!rows) {
		mutex_unlock(&ks_reports_lock);
		goto err;
	}
	for (i = 0; i < nrep; i++) {
		struct ks_row *r = &rows->rows[rows->n++];
		unsigned int k = ks_nr_reports - nrep + i;

		r->type = KS_ROW_REPORT;
		strscpy(r->text, ks_reports[k % KS_REPORTS], sizeof(r->text));
	}
	mutex_unlock(&ks_reports_lock);

	/*
	 * Module totals of the first category, in order of first appearance,
	 * over every group; a module whose groups are all past the cap has
	 * no row (they are counted as not listed).
	 */
	for (i = 0; i < g; i++) {
		struct ks_row *m = NULL;

		if (groups[i].cat != (since ? KS_CAT_SINCE : KS_CAT_UNLOADED))
			continue;
		ks_label(l, groups[i].call_site, groups[i].site_name,
			 groups[i].retired);
		for (j = 0; j < nmod; j++)
			if (!strcmp(rows->rows[nrep + j].text, l->module)) {
				m = &rows->rows[nrep + j];
				break;
			}
		if (!m && i >= keep)
			continue;
		if (!m) {
			m = &rows->rows[rows->n++];
			m->type = KS_ROW_MODULE;
			strscpy(m->text, l->module, sizeof(m->text));
			nmod++;
		}
		m->g.count += groups[i].count;
		m->g.bytes += groups[i].bytes;
	}
	for (i = 0; i < ngrow; i++) {
		struct ks_row *r = &rows->rows[rows->n++];
		struct ks_site_snap ss;

		if (!ks_store_read_site(&ks_store, grow[i].row, &ss)) {
			rows->n--;
			continue;
		}
		r->type = KS_ROW_GROWING;
		r->t = grow[i].t;
		r->g.bytes = grow[i].live;
		r->g.count = ss.live_count;
		r->g.kind = ss.kind;
		r->g.retired = ss.retired;
		r->g.call_site = ss.key;
		r->g.site_name = ss.name;
	}
	for (i = 0; i < keep; i++) {
		struct ks_row *r = &rows->rows[rows->n++];

		r->type = KS_ROW_GROUP;
		r->g = groups[i];
	}
	rows->over_groups = g - keep;
	for (i = keep; i < g; i++) {
		rows->over_count += groups[i].count;
		rows->over_bytes += groups[i].bytes;
	}
	kvfree(groups);
	kfree(grow);
	kfree(l);
	rows->since = since;
	rows->dropped = dropped;
	rows->now = local_clock();
	rows->t.n = rows->n;
	rows->t.size = sizeof(rows->rows[0]);
	rows->t.rows = rows->rows;
	return rows;
err:
	kvfree(items);
	kvfree(groups);
	kfree(l);
	kfree(grow);
	return NULL;
}

static int ks_rows_show(struct seq_file *m, void *v)
{
	struct ks_rows *rows = m->private;
	const struct ks_row *r = v;
	unsigned int i, n;

	if (v == SEQ_START_TOKEN) {
		if (rows->since) {
			seq_printf(m, "kmemscope since_mark - version: %s\n",
				   KS_SINCE_VERSION);
			seq_printf(m, "marks: %lu\n", READ_ONCE(ks_marks));
			seq_printf(m, "mark_age_ms: %llu\n",
				   div_u64(rows->now - min(rows->now, READ_ONCE(ks_mark_ns)),
					   NSEC_PER_MSEC));
			seq_puts(m, "# module: name count bytes\n");
		} else {
			seq_printf(m, "kmemscope leaks - version: %s\n",
				   KS_LEAKS_VERSION);
			seq_printf(m, "min_age_s: %lu\n", READ_ONCE(ks_min_age_s));
			if (READ_ONCE(ks_sample_interval_s))
				seq_printf(m, "sampler: every %lu s, window %u, %u samples\n",
					   READ_ONCE(ks_sample_interval_s),
					   READ_ONCE(ks_sample_window),
					   ks_sampler_samples());
			else
				seq_puts(m, "sampler: off\n");
			seq_puts(m, "# report: an unload report, as logged\n");
			seq_puts(m, "# unloaded_module: name count bytes\n");
			seq_puts(m, "# growing: growth_bytes tau_pct rises window live_bytes live_count allocator module state call_site\n");
		}
		seq_printf(m, "not_listed_records_made_while_reading: %lu\n",
			   rows->dropped);
		seq_printf(m, "not_listed_over_cap: %u groups, %ld allocations, %ld bytes\n",
			   rows->over_groups, rows->over_count,
			   rows->over_bytes);
		seq_puts(m, "# kind count bytes oldest_age_ms allocator module state call_site\n");
		seq_puts(m, "#   (backtrace lines, when stacks were on, start with two spaces)\n");
		return 0;
	}
	switch (r->type) {
	case KS_ROW_REPORT:
		seq_printf(m, "report: %s\n", r->text);
		break;
	case KS_ROW_GROWING:
		ks_label(&rows->label, r->g.call_site, r->g.site_name,
			 r->g.retired);
		seq_printf(m, "growing: %ld %d %u %u %ld %ld %s %s %s %s\n",
			   r->t.growth, r->t.tau_pct, r->t.rises,
			   READ_ONCE(ks_sample_window), r->g.bytes, r->g.count,
			   r->g.kind < KS_NR_KINDS ? ks_kind_names[r->g.kind] : "?",
			   rows->label.module, rows->label.state,
			   rows->label.name);
		break;
	case KS_ROW_MODULE:
		seq_printf(m, "%s: %s %ld %ld\n",
			   rows->since ? "module" : "unloaded_module", r->text,
			   r->g.count, r->g.bytes);
		break;
	case KS_ROW_GROUP:
		ks_label(&rows->label, r->g.call_site, r->g.site_name,
			 r->g.retired);
		seq_printf(m, "%s %ld %ld %llu %s %s %s %s\n",
			   ks_cat_names[r->g.cat], r->g.count, r->g.bytes,
			   div_u64(rows->now - min(rows->now, r->g.oldest),
				   NSEC_PER_MSEC),
			   r->g.kind < KS_NR_KINDS ? ks_kind_names[r->g.kind] : "?",
			   rows->label.module, rows->label.state,
			   rows->label.name);
		n = ks_stacks_get(&ks_stacks, r->g.stack, rows->stack,
				  KS_STACK_MAX_DEPTH);
		for (i = 0; i < n; i++) {
			/* The label is printed: its name buffer is scratch now. */
			ks_format_frame(rows->label.name, rows->stack[i]);
			seq_printf(m, "  %s\n", rows->label.name);
		}
		break;
	}
	return 0;
}

static const struct seq_operations ks_rows_sops = {
	.start	= ks_table_start,
	.next	= ks_table_next,
	.stop	= ks_seq_stop,
	.show	= ks_rows_show,
};

static int ks_leaks_open(struct inode *inode, struct file *file)
{
	struct ks_rows *rows = ks_rows_build(false);

	return ks_table_open(file, &ks_rows_sops, rows ? &rows->t : NULL);
}

static int ks_since_open(struct inode *inode, struct file *file)
{
	struct ks_rows *rows = ks_rows_build(true);

	return ks_table_open(file, &ks_rows_sops, rows ? &rows->t : NULL);
}

static const struct file_operations ks_leaks_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_leaks_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_table_release,
};

static const struct file_operations ks_since_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_since_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_table_release,
};

/* ---- marks ------------------------------------------------------------- */

/* The control file's "mark".  Context: process (control lock held). */
void ks_mark(void)
{
	WRITE_ONCE(ks_mark_ns, local_clock());
	WRITE_ONCE(ks_marks, ks_marks + 1);
}

void kmemscope_mark(struct kmemscope_mark *mark)
{
	mark->ns = local_clock();
}
EXPORT_SYMBOL_GPL(kmemscope_mark);

int kmemscope_live_since(const struct kmemscope_mark *mark,
			 const char *module, unsigned long *bytes,
			 unsigned long *count)
{
	struct ks_site_label *l;
	struct ks_item *items;
	unsigned long dropped;
	unsigned int n, i;
	u64 ns = mark->ns;
	u32 last_site = U32_MAX;
	bool match = false;

	*bytes = 0;
	*count = 0;
	items = ks_collect(ks_pick_since, &ns, &n, &dropped);
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	if (!items || !l) {
		kvfree(items);
		kfree(l);
		return -ENOMEM;
	}
	sort(items, n, sizeof(*items), ks_item_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (items[i].site != last_site) {
			last_site = items[i].site;
			ks_label(l, items[i].call_site, items[i].site_name,
				 items[i].retired);
			match = !module || !strcmp(l->module, module);
		}
		if (match) {
			*bytes += items[i].bytes;
			(*count)++;
		}
	}
	kvfree(items);
	kfree(l);
	return 0;
}
EXPORT_SYMBOL_GPL(kmemscope_live_since);

/* ---- unload reports ---------------------------------------------------- */

/*
 * Reports waiting for unload_delay_ms.  Fixed slots, so that unloading
 * kmemscope can flush them without racing with their freeing; when all
 * are busy the report is written at once.
 */
#define KS_PENDING	8

struct ks_pending {
	struct delayed_work work;
	bool busy;			/* under ks_reports_lock */
	char name[MODULE_NAME_LEN];
};

static struct ks_pending ks_pending[KS_PENDING];

/* What an unloaded module still holds, as one line.  Context: process. */
static bool ks_unload_report(const char *name, char *buf, size_t len)
{
	unsigned int max = ks_store.max_sites, n;
	struct ks_site_snap *s;
	bool ret;

	s = kvmalloc_array(max, sizeof(*s), GFP_KERNEL);
	if (!s)
		return false;
	n = ks_store_snapshot_sites(&ks_store, s, max);
	ret = ks_format_report(s, n, name, buf, len);
	kvfree(s);
	return ret;
}

static void ks_report(const char *name)
{
	char *buf = kmalloc(KS_REPORT_LEN, GFP_KERNEL);

	if (buf && ks_unload_report(name, buf, KS_REPORT_LEN)) {
		pr_warn("%s\n", buf);
		mutex_lock(&ks_reports_lock);
		strscpy(ks_reports[ks_nr_reports % KS_REPORTS], buf,
			KS_REPORT_LEN);
		ks_nr_reports++;
		mutex_unlock(&ks_reports_lock);
	}
	kfree(buf);
}

static void ks_report_work(struct work_struct *w)
{
	struct ks_pending *p = container_of(to_delayed_work(w),
					    struct ks_pending, work);

	ks_report(p->name);
	/* What RCU-deferred frees gave back since the unload folds now. */
	ks_store_fold_unloaded(&ks_store, p->name);
	mutex_lock(&ks_reports_lock);
	p->busy = false;
	mutex_unlock(&ks_reports_lock);
}

/* A module is going (module notifier).  Context: process. */
void ks_leaks_module_going(const char *name)
{
	struct ks_pending *p = NULL;
	unsigned int i;

	mutex_lock(&ks_reports_lock);
	for (i = 0; i < KS_PENDING && !p; i++)
		if (!ks_pending[i].busy)
			p = &ks_pending[i];
	if (p) {
		p->busy = true;
		strscpy(p->name, name, sizeof(p->name));
		schedule_delayed_work(&p->work,
				      msecs_to_jiffies(unload_delay_ms));
	}
	mutex_unlock(&ks_reports_lock);
	if (!p)
		ks_report(name);
}

/* Write the pending reports now.  Context: process, hooks still on. */
void ks_leaks_exit(void)
{
	unsigned int i;

	for (i = 0; i < KS_PENDING; i++)
		flush_delayed_work(&ks_pending[i].work);
	ks_sampler_set(0, ks_sample_window);
}

/* Check the parameters, set up the works.  Context: module init. */
int ks_leaks_init(void)
{
	unsigned int i;

	if (unload_delay_ms > 60000) {
		pr_err("unload_delay_ms=%u is out of range (0..60000)\n",
		       unload_delay_ms);
		return -EINVAL;
	}
	for (i = 0; i < KS_PENDING; i++)
		INIT_DELAYED_WORK(&ks_pending[i].work, ks_report_work);
	INIT_DELAYED_WORK(&ks_sampler_work, ks_sampler_fn);
	ks_mark_ns = local_clock();
	return 0;
}

void ks_leaks_create(struct dentry *dir)
{
	debugfs_create_file("leaks", 0400, dir, NULL, &ks_leaks_fops);
	debugfs_create_file("since_mark", 0400, dir, NULL, &ks_since_fops);
}
