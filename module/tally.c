// SPDX-License-Identifier: GPL-2.0
/*
 * tally.c - what the views copy out of the store before they format:
 *
 *   ks_sites_snapshot()   the recorded sites, sorted by live bytes
 *                         (callers; modules and the account through
 *                         ks_modules_build())
 *   ks_modules_build()    live totals per module and the kernel (modules,
 *                         the account's direct pages)
 *   ks_module_row_get()   the one way a module's row is found or added
 *                         (ks_modules_build(), the leaks views, the OOM
 *                         report), and ks_module_row_cmp() their order
 *   ks_collect()          the live records a view picks (leaks,
 *                         since_mark, kmemscope_live_since())
 *
 * Which module a site is comes from format.c's ks_label() (owner.h).
 * Locking: none of its own.  Sites are read with the store's lock-free
 * snapshot, records a few buckets at a time (ks_store_copy_records(): one
 * bucket lock at a time), into memory the caller owns and frees.
 * Context: process (allocates, may sleep between batches).
 */
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "tally.h"
#include "state.h"
#include "format.h"
#include "owner.h"

#define KS_COPY_BATCH	64

static int ks_site_cmp(const void *a, const void *b)
{
	const struct ks_site_snap *x = a, *y = b;

	if (x->live_bytes != y->live_bytes)
		return x->live_bytes < y->live_bytes ? 1 : -1;
	if (x->allocs != y->allocs)
		return x->allocs < y->allocs ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/**
 * ks_sites_snapshot - the recorded (object) sites, by live bytes
 *
 * Return: a table to kvfree(), or NULL without memory.
 */
struct ks_sites *ks_sites_snapshot(void)
{
	unsigned int max, i, j;
	struct ks_sites *c;

	/* Room for the sites in use now and some that may appear meanwhile. */
	max = min_t(unsigned int, atomic_read(&ks_store.sites_used) + 64,
		    ks_store.max_sites);
	c = kvmalloc(struct_size(c, sites, max), GFP_KERNEL);
	if (!c)
		return NULL;
	c->n = ks_store_snapshot_sites(&ks_store, c->sites, max);
	for (i = 0, j = 0; i < c->n; i++)
		if (c->sites[i].class == KS_CLASS_OBJECT)
			c->sites[j++] = c->sites[i];
	c->n = j;
	sort(c->sites, c->n, sizeof(c->sites[0]), ks_site_cmp, NULL);
	c->t.n = c->n;
	c->t.size = sizeof(c->sites[0]);
	c->t.rows = c->sites;
	return c;
}

/**
 * ks_module_row_get - a module's row, found or added
 * @rows: the rows so far, @rows[0..*@n)
 * @n: how many; grows by one when a row is added
 * @max: room in @rows
 * @name: the module's name (KS_OWNER_KERNEL: the kernel)
 * @state: its state (format.c's string), or NULL to match by name alone
 *
 * States are matched by text, never by address: a literal elsewhere and
 * format.c's are different objects.
 * Return: the row, or NULL if it is not there and there is no room.
 */
struct ks_module_row *ks_module_row_get(struct ks_module_row *rows,
					unsigned int *n, unsigned int max,
					const char *name, const char *state)
{
	struct ks_module_row *r;
	unsigned int i;

	for (i = 0; i < *n; i++)
		if (!strcmp(rows[i].name, name) &&
		    (!state || !strcmp(rows[i].state, state)))
			return &rows[i];
	if (*n == max)
		return NULL;
	r = &rows[(*n)++];
	memset(r, 0, sizeof(*r));
	strscpy(r->name, name, sizeof(r->name));
	r->state = state;
	return r;
}

/* sort() order of module rows: by live bytes (total), then by name. */
int ks_module_row_cmp(const void *a, const void *b)
{
	const struct ks_module_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total < y->total ? 1 : -1;
	return strcmp(x->name, y->name);
}

/**
 * ks_modules_build - live totals per module (and the kernel), by live bytes
 *
 * The kernel always has a row.  Return: a table to kvfree(), or NULL.
 */
struct ks_modules *ks_modules_build(void)
{
	struct ks_sites *c = ks_sites_snapshot();
	struct ks_site_label *l;
	struct ks_modules *mods;
	unsigned int i, max;

	if (!c)
		return NULL;
	max = c->n + 1;
	l = kmalloc(sizeof(*l), GFP_KERNEL);
	mods = kvzalloc(struct_size(mods, rows, max), GFP_KERNEL);
	if (!l || !mods) {
		kfree(l);
		kvfree(mods);
		kvfree(c);
		return NULL;
	}
	ks_module_row_get(mods->rows, &mods->n, max, KS_OWNER_KERNEL,
			  ks_site_state(KS_OWNER_KERNEL, KS_LIVE));
	for (i = 0; i < c->n; i++) {
		const struct ks_site_snap *s = &c->sites[i];
		struct ks_module_row *r;

		ks_label(l, s->key, s->name, s->retired);
		/* One site makes at most one row: there is always room. */
		r = ks_module_row_get(mods->rows, &mods->n, max, l->module,
				      l->state);
		if (s->kind < KS_NR_KINDS)
			r->live_bytes[s->kind] += s->live_bytes;
		if (s->kind == KS_DMA && (s->hint & KS_HINT_DEVICE_POOL))
			r->dma_pool_bytes += s->live_bytes;
		r->total += s->live_bytes;
		r->live_count += s->live_count;
		r->allocs += s->allocs;
		r->frees += s->frees;
	}
	kfree(l);
	kvfree(c);
	sort(mods->rows, mods->n, sizeof(mods->rows[0]), ks_module_row_cmp, NULL);
	mods->t.n = mods->n;
	mods->t.size = sizeof(mods->rows[0]);
	mods->t.rows = mods->rows;
	return mods;
}

/**
 * ks_collect - copy the live records that @pick keeps
 * @pick: decides each record's category, or leaves it out
 * @arg: for @pick
 * @n: output, entries in the array
 * @dropped: output, records that did not fit (made while copying)
 *
 * Return: a new array (kvfree()) or NULL without memory.
 */
struct ks_item *ks_collect(ks_pick_fn pick, void *arg, unsigned int *n,
			   unsigned long *dropped)
{
	struct ks_record_cursor cur = {};
	struct ks_record_snap *batch;
	unsigned int cap, got, i;
	struct ks_item *items;
	u64 now = ks_store_stamp(&ks_store);

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
			it->ts = r->ts;
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
