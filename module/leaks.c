// SPDX-License-Identifier: GPL-2.0
/*
 * leaks.c - the leaks and since_mark files.
 *
 *   leaks        memory still held by unloaded modules (certain leaks),
 *                the unload reports kept (reports.c), the call sites
 *                whose live bytes keep growing (sampler.c), then live
 *                allocations older than min_age, grouped by call site and
 *                backtrace
 *   since_mark   live allocations made since the last mark (marks.c), per
 *                module and call site
 *
 * Each open() copies the records it picks out of the store (tally.c),
 * groups and sorts them (group.c) into memory owned by the open file, and
 * the reads format that (seqtable.c).  Locking: none of its own;
 * ks_min_age_s is a plain word, written by control.c under its lock and
 * read with READ_ONCE().
 */
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "leaks.h"
#include "versions.h"
#include "state.h"
#include "group.h"
#include "trend.h"
#include "tally.h"
#include "format.h"
#include "marks.h"
#include "reports.h"
#include "sampler.h"

#define KS_GROWING_MAX		64

unsigned long ks_min_age_s = 10;

static const char * const ks_cat_names[] = {
	[KS_CAT_UNLOADED]	= "unloaded",
	[KS_CAT_OLD]		= "old",
	[KS_CAT_SINCE]		= "since_mark",
};

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

static int ks_pick_leaks(const struct ks_record_snap *r, u64 now, void *arg)
{
	u64 min_age_ms = (u64)READ_ONCE(ks_min_age_s) * MSEC_PER_SEC;

	if (r->retired == KS_RETIRED_UNLOAD)
		return KS_CAT_UNLOADED;
	if (ks_stamp_ms(r->ts, now) >= min_age_ms)
		return KS_CAT_OLD;
	return -1;
}

/*
 * Build the rows of a view: the kept reports (leaks only), per-module
 * totals of the first category (unloaded modules for leaks, every module
 * for since_mark), the growing sites (leaks only), then the groups.
 * Context: process.
 */
static struct ks_rows *ks_rows_build(bool since)
{
	unsigned int n, g, i, nmod = 0, nmax, nrep = 0, total, ngrow = 0, keep;
	u64 mark = READ_ONCE(ks_mark_stamp);
	struct ks_module_row *mods = NULL;
	char *reps = NULL;
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
	if (!since)
		reps = kmalloc_array(KS_REPORTS, KS_REPORT_LEN, GFP_KERNEL);
	if (!groups || !l || !grow || (!since && !reps))
		goto err;
	ngrow = since ? 0 : ks_find_growing(grow, KS_GROWING_MAX);
	nrep = since ? 0 : ks_reports_copy(reps, KS_REPORTS);
	g = ks_group(items, n, !since, groups);
	kvfree(items);
	items = NULL;

	/*
	 * The groups that fit in KS_ROWS_MAX_BYTES, each with room for at
	 * most one module row; the rest are counted.
	 */
	keep = ks_rows_fit(g, nrep + ngrow, sizeof(*rows),
			   sizeof(rows->rows[0]), KS_ROWS_MAX_BYTES);
	total = nrep + ngrow + 2 * keep;
	rows = kvzalloc(struct_size(rows, rows, total), GFP_KERNEL);
	/* A module row each at most, for the first category's kept groups. */
	for (i = 0, nmax = 0; i < keep; i++)
		nmax += groups[i].cat == (since ? KS_CAT_SINCE : KS_CAT_UNLOADED);
	mods = kvmalloc_array(nmax + 1, sizeof(*mods), GFP_KERNEL);
	if (!rows || !mods) {
		kvfree(rows);
		goto err;
	}
	for (i = 0; i < nrep; i++) {
		struct ks_row *r = &rows->rows[rows->n++];

		r->type = KS_ROW_REPORT;
		strscpy(r->text, reps + i * KS_REPORT_LEN, sizeof(r->text));
	}

	/*
	 * Module totals of the first category, in order of first appearance,
	 * over every group; a module whose groups are all past the cap has
	 * no row (they are counted as not listed).
	 */
	for (i = 0; i < g; i++) {
		struct ks_module_row *m;

		if (groups[i].cat != (since ? KS_CAT_SINCE : KS_CAT_UNLOADED))
			continue;
		ks_label(l, groups[i].call_site, groups[i].site_name,
			 groups[i].retired);
		m = ks_module_row_get(mods, &nmod, i < keep ? nmax : nmod,
				      l->module, NULL);
		if (!m)
			continue;
		m->live_count += groups[i].count;
		m->total += groups[i].bytes;
	}
	for (i = 0; i < nmod; i++) {
		struct ks_row *r = &rows->rows[rows->n++];

		r->type = KS_ROW_MODULE;
		strscpy(r->text, mods[i].name, sizeof(r->text));
		r->g.count = mods[i].live_count;
		r->g.bytes = mods[i].total;
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
	kvfree(mods);
	kvfree(groups);
	kfree(grow);
	kfree(reps);
	kfree(l);
	rows->since = since;
	rows->dropped = dropped;
	rows->now = ks_store_stamp(&ks_store);
	rows->t.n = rows->n;
	rows->t.size = sizeof(rows->rows[0]);
	rows->t.rows = rows->rows;
	return rows;
err:
	kvfree(items);
	kvfree(mods);
	kvfree(groups);
	kfree(l);
	kfree(grow);
	kfree(reps);
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
				   KS_SINCE_MARK_VERSION);
			seq_printf(m, "marks: %lu\n", READ_ONCE(ks_marks));
			seq_printf(m, "mark_age_ms: %llu\n",
				   ks_stamp_ms(READ_ONCE(ks_mark_stamp), rows->now));
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
			   ks_kind_name(r->g.kind),
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
			   ks_stamp_ms(r->g.oldest, rows->now),
			   ks_kind_name(r->g.kind),
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

static struct ks_table *ks_rows_table(bool since)
{
	struct ks_rows *rows = ks_rows_build(since);

	return rows ? &rows->t : NULL;
}

KS_DEFINE_TABLE_VIEW(ks_leaks, ks_rows_table(false), ks_rows_show);
KS_DEFINE_TABLE_VIEW(ks_since_mark, ks_rows_table(true), ks_rows_show);
