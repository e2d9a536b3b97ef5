/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tally.h - what the views copy out of the store: the sites, the live
 * records a view picks, and totals per module.  See tally.c.
 */
#ifndef _KMEMSCOPE_TALLY_H
#define _KMEMSCOPE_TALLY_H

#include <linux/module.h>
#include <linux/types.h>

#include "store.h"
#include "group.h"
#include "seqtable.h"

/* The recorded (object) sites, by live bytes.  t first: seqtable.h. */
struct ks_sites {
	struct ks_table t;
	unsigned int n;
	struct ks_site_snap sites[];
};

/*
 * One module's (or the kernel's) live totals.  The leaks views keep a
 * category's count in live_count and its bytes in total, by name alone
 * (state NULL): such rows are theirs, not for ks_modules_build()'s sort.
 */
struct ks_module_row {
	char name[MODULE_NAME_LEN];
	const char *state;		/* format.c's ks_site_state() */
	long live_bytes[KS_NR_KINDS];
	long live_count;
	long allocs;
	long frees;
	long total;			/* live bytes, every allocator */
	long dma_pool_bytes;		/* of live_bytes[KS_DMA]: devices' own pools */
};

/* Every module's totals, by live bytes.  t first: seqtable.h. */
struct ks_modules {
	struct ks_table t;
	unsigned int n;
	struct ks_module_row rows[];
};

/* Decides the category of a record (enum ks_leak_cat), or -1: left out. */
typedef int (*ks_pick_fn)(const struct ks_record_snap *r, u64 now, void *arg);

struct ks_sites *ks_sites_snapshot(void);
struct ks_modules *ks_modules_build(void);
struct ks_module_row *ks_module_row_get(struct ks_module_row *rows,
					unsigned int *n, unsigned int max,
					const char *name, const char *state);
int ks_module_row_cmp(const void *a, const void *b);
struct ks_item *ks_collect(ks_pick_fn pick, void *arg, unsigned int *n,
			   unsigned long *dropped);

#endif /* _KMEMSCOPE_TALLY_H */
