/* SPDX-License-Identifier: GPL-2.0 */
/*
 * seqtable.h - a table copied out at open(), walked by a seq_file.
 * See seqtable.c.
 */
#ifndef _KMEMSCOPE_SEQTABLE_H
#define _KMEMSCOPE_SEQTABLE_H

#include <linux/fs.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/types.h>

/*
 * A table copied out at open(): its rows are what a seq_file walks.
 * Position 0 is the header; position i is row i - 1.  Embed it first in
 * the allocation that holds the rows: release kvfree()s its address.
 */
struct ks_table {
	unsigned int n;
	size_t size;		/* of one row */
	void *rows;
};

void *ks_table_start(struct seq_file *m, loff_t *pos);
void *ks_table_next(struct seq_file *m, void *v, loff_t *pos);
void ks_seq_stop(struct seq_file *m, void *v);
int ks_table_open(struct file *file, const struct seq_operations *ops,
		  struct ks_table *t);
int ks_table_release(struct inode *inode, struct file *file);

/*
 * KS_DEFINE_TABLE_VIEW(name, build, show_fn) - a table view's operations, as
 * DEFINE_SHOW_ATTRIBUTE() makes a single_open() file's: open() evaluates
 * @build, a struct ks_table * (NULL: no memory); the reads call @show_fn on
 * the header (SEQ_START_TOKEN), then on each row.  Defines the seq_file
 * operations and the file operations name##_fops.
 */
#define KS_DEFINE_TABLE_VIEW(name, build, show_fn)			\
static const struct seq_operations name##_sops = {			\
	.start	= ks_table_start,					\
	.next	= ks_table_next,					\
	.stop	= ks_seq_stop,						\
	.show	= show_fn,						\
};									\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return ks_table_open(file, &name##_sops, build);		\
}									\
const struct file_operations name##_fops = {				\
	.owner		= THIS_MODULE,					\
	.open		= name##_open,					\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= ks_table_release,				\
}

#endif /* _KMEMSCOPE_SEQTABLE_H */
