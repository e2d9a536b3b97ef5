// SPDX-License-Identifier: GPL-2.0
/*
 * seqtable.c - the seq_file side of a view that copies its rows out at
 * open(): the callers, modules, leaks and since_mark files.
 *
 * The view builds its table (struct ks_table first in one kvmalloc()ed
 * block) in open(); the table is the open file's, so a read continues
 * where the last one stopped and no lock is held while formatting.
 * No locks, no globals.
 */
#include <linux/mm.h>
#include <linux/slab.h>

#include "seqtable.h"

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
