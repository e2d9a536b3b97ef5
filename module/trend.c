// SPDX-License-Identifier: GPL-2.0
/*
 * trend.c - is a series of samples growing steadily, or only noisy?
 *
 * The Mann-Kendall test: over every pair of samples (i < j), count the
 * increases and the decreases; S is their difference, and Kendall's tau,
 * S / (n (n - 1) / 2), runs from -1 (always decreasing) to 1 (always
 * increasing).  A series counts as growing when tau >= 0.6, the last
 * sample is above the first, and it rose between consecutive samples at
 * least KS_TREND_MIN_RISES times.  A working set that goes up and down,
 * or that stays flat (ties count for nothing), scores near 0; a single
 * step up (one long-lived allocation) rises once; a slow leak that steps
 * up every few samples scores high, since every pair across a step is an
 * increase, and rises at every step.  Pure integer arithmetic, O(n^2) with n at most
 * KS_TREND_MAX_WINDOW: 2016 comparisons.
 */
#include <linux/kernel.h>

#include "trend.h"

/**
 * ks_trend_test - test a series for steady growth
 * @x: samples, oldest first
 * @n: how many (a series shorter than KS_TREND_MIN_WINDOW never grows)
 * @t: the result
 *
 * Context: any.
 */
void ks_trend_test(const long *x, unsigned int n, struct ks_trend *t)
{
	unsigned int i, j;

	t->s = 0;
	t->pairs = 0;
	t->growth = 0;
	t->tau_pct = 0;
	t->rises = 0;
	t->growing = false;
	if (n < KS_TREND_MIN_WINDOW || n > KS_TREND_MAX_WINDOW)
		return;
	for (i = 0; i < n; i++) {
		for (j = i + 1; j < n; j++)
			t->s += (x[j] > x[i]) - (x[j] < x[i]);
		if (i && x[i] > x[i - 1])
			t->rises++;
	}
	t->pairs = (long)n * (n - 1) / 2;
	t->growth = x[n - 1] - x[0];
	t->tau_pct = (int)(100 * t->s / t->pairs);
	t->growing = t->tau_pct >= KS_TREND_TAU_PCT && t->growth > 0 &&
		     t->rises >= KS_TREND_MIN_RISES;
}
