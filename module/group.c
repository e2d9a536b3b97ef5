// SPDX-License-Identifier: GPL-2.0
/*
 * group.c - group live records copied out of the store: by category
 * (unloaded, old, since_mark), call site and backtrace, with counts, bytes
 * and the oldest timestamp; and how many groups a view has room for.
 * Pure: no locks, no globals; the KUnit suite drives it directly.
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

/**
 * ks_rows_fit - how many groups a leaks or since_mark view lists
 * @groups: the groups found
 * @other: the view's rows besides groups and module totals (reports,
 *	   growing sites): always given room
 * @hdr: bytes before the rows
 * @row_size: bytes of one row
 * @max_bytes: the most the whole may take
 *
 * A group listed takes its own row and room for at most one module total,
 * so hdr + (other + 2 * listed) * row_size stays within @max_bytes (when
 * the other rows alone fit).  The groups listed are the first ones, the
 * most suspicious; the caller counts the rest.
 * Return: the groups to list, at most @groups.
 */
unsigned int ks_rows_fit(unsigned int groups, unsigned int other, size_t hdr,
			 size_t row_size, size_t max_bytes)
{
	size_t room;

	if (!row_size || max_bytes <= hdr)
		return 0;
	room = (max_bytes - hdr) / row_size;
	if (room <= other)
		return 0;
	return min_t(size_t, groups, (room - other) / 2);
}
