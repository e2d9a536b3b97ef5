// SPDX-License-Identifier: GPL-2.0
/*
 * modules.c - the modules file: one row per module (and the kernel), by
 * live bytes, with its live bytes per allocator.
 *
 * open() builds the totals (tally.c); the reads format the copy
 * (seqtable.c).  No lock of its own.
 */
#include <linux/fs.h>
#include <linux/seq_file.h>

#include "modules.h"
#include "versions.h"
#include "state.h"
#include "tally.h"

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

static struct ks_table *ks_modules_table(void)
{
	struct ks_modules *mods = ks_modules_build();

	return mods ? &mods->t : NULL;
}

KS_DEFINE_TABLE_VIEW(ks_modules, ks_modules_table(), ks_modules_show);
