// SPDX-License-Identifier: GPL-2.0
/*
 * callers.c - the callers file: one row per call site, by live bytes.
 *
 * open() copies the sites out (tally.c); the reads format the copy
 * (seqtable.c), so a read continues where the last one stopped and no
 * store lock is held while formatting.  No lock of its own.
 */
#include <linux/fs.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "callers.h"
#include "versions.h"
#include "state.h"
#include "tally.h"
#include "format.h"

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
		   ks_kind_name(s->kind),
		   l->module, l->state, l->name);
	kfree(l);
	return 0;
}

static struct ks_table *ks_callers_build(void)
{
	struct ks_sites *c = ks_sites_snapshot();

	return c ? &c->t : NULL;
}

KS_DEFINE_TABLE_VIEW(ks_callers, ks_callers_build(), ks_callers_show);
