// SPDX-License-Identifier: GPL-2.0
/*
 * group.c - group live records copied out of the store: by category
 * (unloaded, old, since_mark), call site and backtrace, with counts, bytes
 * and the oldest timestamp.  Pure: no locks, no globals; the KUnit suite
 * drives it directly.
 */
#include <linux/kernel.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "group.h"

int ks_item_cmp(const void *a, const void *b)
{
	const struct ks_item *x = a, *y = b;

	if (x->cat != y->cat)
		return x->cat < y->cat ? -1 : 1;
	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	if (x->stack != y->stack)
		return x->stack < y->stack ? -1 : 1;
	return 0;
}

static int ks_group_cmp(const void *a, const void *b)
{
	const struct ks_group *x = a, *y = b;

	if (x->cat != y->cat)
		return x->cat < y->cat ? -1 : 1;
	if (x->bytes != y->bytes)
		return x->bytes < y->bytes ? 1 : -1;
	return x->oldest < y->oldest ? -1 : x->oldest > y->oldest;
}

/**
 * ks_group - group items by category, site and (optionally) backtrace
 * @items: the items; sorted in place (and their stack ids zeroed when
 *	   !@by_stack)
 * @n: how many
 * @by_stack: one group per backtrace, not only per site
 * @out: room for @n groups
 *
 * Groups come out sorted by category, then bytes (largest first), then
 * age (oldest first).  Context: process (sort() may take a while).
 * Return: the number of groups.
 */
unsigned int ks_group(struct ks_item *items, unsigned int n, bool by_stack,
		      struct ks_group *out)
{
	unsigned int i, g = 0;

	if (!by_stack)
		for (i = 0; i < n; i++)
			items[i].stack = 0;
	sort(items, n, sizeof(*items), ks_item_cmp, NULL);
	for (i = 0; i < n; i++) {
		struct ks_item *it = &items[i];
		struct ks_group *gr = g ? &out[g - 1] : NULL;

		if (!gr || gr->cat != it->cat || gr->site != it->site ||
		    gr->stack != it->stack) {
			gr = &out[g++];
			memset(gr, 0, sizeof(*gr));
			gr->cat = it->cat;
			gr->kind = it->kind;
			gr->retired = it->retired;
			gr->site = it->site;
			gr->stack = it->stack;
			gr->call_site = it->call_site;
			gr->site_name = it->site_name;
			gr->oldest = it->ts;
		}
		gr->count++;
		gr->bytes += it->bytes;
		gr->oldest = min(gr->oldest, it->ts);
	}
	sort(out, g, sizeof(*out), ks_group_cmp, NULL);
	return g;
}

