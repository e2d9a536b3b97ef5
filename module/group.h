/* SPDX-License-Identifier: GPL-2.0 */
/*
 * group.h - grouping copied-out records for the leaks and since_mark
 * views.  See group.c.
 */
#ifndef _KMEMSCOPE_GROUP_H
#define _KMEMSCOPE_GROUP_H

#include <linux/types.h>

enum ks_leak_cat {
	KS_CAT_UNLOADED,	/* held by a module that is gone */
	KS_CAT_OLD,		/* older than min_age */
	KS_CAT_SINCE,		/* made since the mark */
};

struct ks_item {
	u32 site;
	u32 stack;
	u64 ts;
	u32 bytes;
	u8 cat;
	u8 kind;
	u8 retired;
	unsigned long call_site;
	const char *site_name;
};

struct ks_group {
	u8 cat;
	u8 kind;
	u8 retired;
	u32 site;
	u32 stack;
	unsigned long call_site;
	const char *site_name;
	long count;
	long bytes;
	u64 oldest;
};

/*
 * The most the rows of a leaks or since_mark view take (one kvmalloc()):
 * well below INT_MAX, above which kvmalloc() warns and fails (and a
 * warning panics under panic_on_warn).
 */
#define KS_ROWS_MAX_BYTES	(128UL << 20)

unsigned int ks_group(struct ks_item *items, unsigned int n, bool by_stack,
		      struct ks_group *out);
unsigned int ks_rows_fit(unsigned int groups, unsigned int other, size_t hdr,
			 size_t row_size, size_t max_bytes);
int ks_item_cmp(const void *a, const void *b);

#endif /* _KMEMSCOPE_GROUP_H */
