// SPDX-License-Identifier: GPL-2.0
/*
 * regions.c - arithmetic on physical address ranges (see regions.h).
 *
 * Normalising sorts a set of ranges and merges those that overlap or
 * touch, so that the sum of its sizes is the size of the union.  The
 * overlap of two normalised sets is a merge walk, linear in their sizes.
 * Arrays are small (device-tree regions, memblock regions, resource tree
 * entries: tens to a few hundred), so the sort is an insertion sort that
 * needs no scratch memory.
 */
#include <linux/kernel.h>
#include <linux/minmax.h>

#include "regions.h"

/* One past the last byte of @r, clipped to the end of the address space. */
u64 ks_range_end(const struct ks_range *r)
{
	if (r->size > U64_MAX - r->base)
		return U64_MAX;
	return r->base + r->size;
}

/* Bytes that @a and @b have in common. */
u64 ks_range_overlap(const struct ks_range *a, const struct ks_range *b)
{
	u64 lo = max(a->base, b->base);
	u64 hi = min(ks_range_end(a), ks_range_end(b));

	return hi > lo ? hi - lo : 0;
}

/*
 * ks_ranges_normalize - sort @r by base, drop empty ranges, and merge
 * ranges that overlap or touch.  Returns the new count; r[0..count) hold
 * disjoint, non-adjacent ranges in ascending order.
 */
unsigned int ks_ranges_normalize(struct ks_range *r, unsigned int n)
{
	unsigned int i, j, out = 0;

	for (i = 1; i < n; i++) {
		struct ks_range x = r[i];

		for (j = i; j > 0 && r[j - 1].base > x.base; j--)
			r[j] = r[j - 1];
		r[j] = x;
	}
	for (i = 0; i < n; i++) {
		u64 end;

		if (!r[i].size)
			continue;
		end = ks_range_end(&r[i]);
		if (out && r[i].base <= ks_range_end(&r[out - 1])) {
			u64 prev_end = ks_range_end(&r[out - 1]);

			if (end > prev_end)
				r[out - 1].size = end - r[out - 1].base;
			continue;
		}
		r[out] = r[i];
		r[out].size = end - r[i].base;
		out++;
	}
	return out;
}

/* Sum of the sizes of @r (the size of the union if @r is normalised). */
u64 ks_ranges_total(const struct ks_range *r, unsigned int n)
{
	u64 sum = 0;
	unsigned int i;

	for (i = 0; i < n; i++)
		sum += r[i].size;
	return sum;
}

/* Bytes in both unions; @a and @b must be normalised. */
u64 ks_ranges_overlap(const struct ks_range *a, unsigned int na,
		      const struct ks_range *b, unsigned int nb)
{
	unsigned int i = 0, j = 0;
	u64 sum = 0;

	while (i < na && j < nb) {
		sum += ks_range_overlap(&a[i], &b[j]);
		if (ks_range_end(&a[i]) < ks_range_end(&b[j]))
			i++;
		else
			j++;
	}
	return sum;
}

/* Where @r lies relative to @ram (normalised). */
enum ks_where ks_range_where(const struct ks_range *r,
			     const struct ks_range *ram, unsigned int nram)
{
	u64 in = ks_ranges_overlap(r, 1, ram, nram);

	if (!in)
		return KS_OUTSIDE_RAM;
	return in == ks_range_end(r) - r->base ? KS_IN_RAM : KS_PARTLY_IN_RAM;
}

/* Pages of 1 << @page_shift bytes that lie wholly inside @r. */
u64 ks_range_whole_pages(const struct ks_range *r, unsigned int page_shift)
{
	u64 mask = (1ULL << page_shift) - 1;
	u64 lo, hi = ks_range_end(r) & ~mask;

	if (r->base > U64_MAX - mask)
		return 0;
	lo = (r->base + mask) & ~mask;
	return hi > lo ? (hi - lo) >> page_shift : 0;
}
