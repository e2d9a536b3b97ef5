// SPDX-License-Identifier: GPL-2.0
/*
 * marks.c - marks: the control file's "mark" (read back by since_mark),
 * and kmemscope_mark() / kmemscope_live_since() for other modules' tests
 * (kmemscope_api.h), exported GPL.
 *
 * Locking: ks_mark_stamp and ks_marks are plain words, written at load
 * (main.c), by control.c under its lock and by a reset, and read with
 * READ_ONCE().  The API
 * copies records out (tally.c) and takes no lock of its own.
 */
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "kmemscope_api.h"
#include "marks.h"
#include "tally.h"
#include "format.h"
#include "state.h"

u64 ks_mark_stamp;
unsigned long ks_marks;

/* The control file's "mark".  Context: process (control lock held). */
void ks_mark(void)
{
	WRITE_ONCE(ks_mark_stamp, ks_store_mark(&ks_store));
	WRITE_ONCE(ks_marks, ks_marks + 1);
}

/* The store was reset (or created): the mark moves to now. */
void ks_marks_reset(void)
{
	WRITE_ONCE(ks_mark_stamp, ks_store_mark(&ks_store));
}

/* A record made since the mark of stamp *(u64 *)@arg (a ks_pick_fn). */
int ks_pick_since(const struct ks_record_snap *r, u64 now, void *arg)
{
	return r->ts >= *(u64 *)arg ? KS_CAT_SINCE : -1;
}

void kmemscope_mark(struct kmemscope_mark *mark)
{
	mark->stamp = ks_store_mark(&ks_store);
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
	u64 stamp = mark->stamp;
	u32 last_site = U32_MAX;
	bool match = false;

	*bytes = 0;
	*count = 0;
	items = ks_collect(ks_pick_since, &stamp, &n, &dropped);
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
