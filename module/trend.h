/* SPDX-License-Identifier: GPL-2.0 */
/*
 * trend.h - the growth test behind the leaks file's "growing" rows.
 */
#ifndef _KMEMSCOPE_TREND_H
#define _KMEMSCOPE_TREND_H

#include <linux/types.h>

#define KS_TREND_MIN_WINDOW	4
#define KS_TREND_MAX_WINDOW	64
/* Kendall's tau, in percent, from which a series counts as growing. */
#define KS_TREND_TAU_PCT	60
/* Rises between consecutive samples needed: one step is not a trend. */
#define KS_TREND_MIN_RISES	3

struct ks_trend {
	long s;			/* Mann-Kendall S: increasing minus decreasing pairs */
	long pairs;		/* n (n - 1) / 2 */
	long growth;		/* last - first */
	int tau_pct;		/* 100 * s / pairs */
	unsigned int rises;	/* samples above the one before */
	bool growing;
};

void ks_trend_test(const long *x, unsigned int n, struct ks_trend *t);

#endif /* _KMEMSCOPE_TREND_H */
