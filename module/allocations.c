// SPDX-License-Identifier: GPL-2.0
/*
 * allocations.c - the allocations file: one row per live allocation, with
 * its backtrace when stacks were on.
 *
 * The iterator keeps a cursor into the store's buckets and a buffer of
 * records copied a few buckets at a time under one bucket lock
 * (ks_store_copy_records()), in its open file; it formats the copies.  A
 * seek back walks again from the start.  No lock of its own.
 */
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "allocations.h"
#include "versions.h"
#include "state.h"
#include "format.h"
#include "seqtable.h"

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
			   KS_ALLOCATIONS_VERSION);
		seq_puts(m, "# address bytes_alloc bytes_req allocator gfp age_ms pid comm module call_site\n");
		seq_puts(m, "#   (backtrace lines, when stacks were on, start with two spaces)\n");
		return 0;
	}
	ks_label(&it->label, r->call_site, r->site_name, r->retired);
	age = ks_stamp_ms(r->ts, it->now);
	seq_printf(m, "%pK %u %u %s ", (void *)r->ptr, r->bytes_alloc,
		   r->bytes_req, ks_kind_name(r->kind));
	ks_format_gfp(it->gfp, sizeof(it->gfp), r->gfp);
	seq_puts(m, it->gfp);
	seq_printf(m, " %llu %d %s %s %s\n", age,
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
	it->now = ks_store_stamp(&ks_store);
	return 0;
}

const struct file_operations ks_allocations_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_allocs_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= seq_release_private,
};
