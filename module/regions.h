/* SPDX-License-Identifier: GPL-2.0 */
/*
 * regions.h - arithmetic on physical address ranges, for the reserved,
 * memblock and account files.  Pure: no kernel state, no locks, no
 * allocation (callers pass the arrays), so every case can be tested in
 * KUnit.  A range is [base, base + size); size 0 is empty.  Sums never
 * wrap: a range that would run past the end of the address space is
 * clipped to it.
 */
#ifndef _KMEMSCOPE_REGIONS_H
#define _KMEMSCOPE_REGIONS_H

#include <linux/types.h>

struct ks_range {
	u64 base;
	u64 size;
};

/* Where a range lies relative to a set of RAM ranges. */
enum ks_where {
	KS_IN_RAM,		/* wholly inside RAM */
	KS_PARTLY_IN_RAM,	/* overlaps RAM, but not wholly */
	KS_OUTSIDE_RAM,		/* no byte in RAM */
};

u64 ks_range_end(const struct ks_range *r);
u64 ks_range_overlap(const struct ks_range *a, const struct ks_range *b);
unsigned int ks_ranges_normalize(struct ks_range *r, unsigned int n);
u64 ks_ranges_total(const struct ks_range *r, unsigned int n);
u64 ks_ranges_overlap(const struct ks_range *a, unsigned int na,
		      const struct ks_range *b, unsigned int nb);
enum ks_where ks_range_where(const struct ks_range *r,
			     const struct ks_range *ram, unsigned int nram);
u64 ks_range_whole_pages(const struct ks_range *r, unsigned int page_shift);

#endif /* _KMEMSCOPE_REGIONS_H */
