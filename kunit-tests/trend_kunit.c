// SPDX-License-Identifier: GPL-2.0
/*
 * trend_kunit.c - KUnit suite for the growth test (module/trend.c).
 */
#include "../module/trend.c"

#include <kunit/test.h>

struct trend_case {
	const char *desc;
	long x[16];
	unsigned int n;
	bool growing;
};

static const struct trend_case trend_cases[] = {
	{ "flat", { 5, 5, 5, 5, 5, 5, 5, 5 }, 8, false },
	{ "strictly increasing", { 1, 2, 3, 4, 5, 6, 7, 8 }, 8, true },
	{ "slow leak, a step every 4 samples",
	  { 0, 0, 0, 0, 64, 64, 64, 64, 128, 128, 128, 128, 192, 192, 192, 192 },
	  16, true },
	{ "one long-lived allocation (a single step)",
	  { 0, 0, 0, 0, 4096, 4096, 4096, 4096 }, 8, false },
	{ "working set up and down", { 0, 512, 1024, 0, 512, 1024, 0, 512 }, 8, false },
	{ "noise around a constant",
	  { 100, 104, 98, 101, 97, 103, 99, 102, 100, 96, 104, 98 }, 12, false },
	{ "decreasing", { 8, 7, 6, 5, 4, 3, 2, 1 }, 8, false },
	{ "growing with a dip", { 10, 20, 30, 25, 40, 50, 60, 70 }, 8, true },
	{ "too few samples", { 1, 2, 3 }, 3, false },
	{ "two rises only", { 0, 0, 0, 10, 10, 10, 20, 20 }, 8, false },
	{ "tau exactly 60%", { 0, 0, 1, 0, 1, 2 }, 6, true },
	{ "tau 53%, just under", { 0, 0, 1, 2, 0, 3 }, 6, false },
	{ "the smallest window, increasing", { 1, 2, 3, 4 }, 4, true },
	{ "the smallest window, two rises", { 0, 1, 1, 2 }, 4, false },
	{ "negative values, increasing", { -8, -6, -4, -2 }, 4, true },
	{ "all equal but the last", { 7, 7, 7, 7, 7, 7, 7, 8 }, 8, false },
};

static void trend_case_desc(const struct trend_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(trend, trend_cases, trend_case_desc);

static void trend_series(struct kunit *test)
{
	const struct trend_case *c = test->param_value;
	struct ks_trend t;

	ks_trend_test(c->x, c->n, &t);
	KUNIT_EXPECT_EQ(test, t.growing, c->growing);
}

static void trend_figures(struct kunit *test)
{
	long up[] = { 1, 2, 3, 4 }, down[] = { 4, 3, 2, 1 };
	long big[KS_TREND_MAX_WINDOW + 1] = {};
	struct ks_trend t;

	ks_trend_test(up, 4, &t);
	KUNIT_EXPECT_EQ(test, t.s, 6L);
	KUNIT_EXPECT_EQ(test, t.pairs, 6L);
	KUNIT_EXPECT_EQ(test, t.tau_pct, 100);
	KUNIT_EXPECT_EQ(test, t.rises, 3U);
	KUNIT_EXPECT_EQ(test, t.growth, 3L);
	ks_trend_test(down, 4, &t);
	KUNIT_EXPECT_EQ(test, t.tau_pct, -100);
	KUNIT_EXPECT_EQ(test, t.s, -6L);
	KUNIT_EXPECT_EQ(test, t.rises, 0U);
	KUNIT_EXPECT_EQ(test, t.growth, -3L);
	/* Out of range lengths give an empty, not-growing result. */
	ks_trend_test(big, KS_TREND_MAX_WINDOW + 1, &t);
	KUNIT_EXPECT_EQ(test, t.pairs, 0L);
	KUNIT_EXPECT_FALSE(test, t.growing);
	ks_trend_test(up, KS_TREND_MIN_WINDOW - 1, &t);
	KUNIT_EXPECT_EQ(test, t.pairs, 0L);
	KUNIT_EXPECT_EQ(test, t.rises, 0U);
	KUNIT_EXPECT_FALSE(test, t.growing);
	/* No samples at all: the series is not even read. */
	ks_trend_test(NULL, 0, &t);
	KUNIT_EXPECT_EQ(test, t.s, 0L);
	KUNIT_EXPECT_FALSE(test, t.growing);
}

/* Ties count for nothing; the largest window is taken whole. */
static void trend_ties_and_largest(struct kunit *test)
{
	long ties[] = { 0, 0, 0, 1, 1, 1, 2, 2, 3 };
	long big[KS_TREND_MAX_WINDOW];
	struct ks_trend t;
	unsigned int i;

	ks_trend_test(ties, ARRAY_SIZE(ties), &t);
	KUNIT_EXPECT_EQ(test, t.s, 29L);
	KUNIT_EXPECT_EQ(test, t.pairs, 36L);
	KUNIT_EXPECT_EQ(test, t.tau_pct, 80);
	KUNIT_EXPECT_EQ(test, t.rises, 3U);
	KUNIT_EXPECT_EQ(test, t.growth, 3L);
	KUNIT_EXPECT_TRUE(test, t.growing);
	for (i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = 4096L * i;
	ks_trend_test(big, ARRAY_SIZE(big), &t);
	KUNIT_EXPECT_EQ(test, t.pairs, 2016L);
	KUNIT_EXPECT_EQ(test, t.s, 2016L);
	KUNIT_EXPECT_EQ(test, t.rises, 63U);
	KUNIT_EXPECT_EQ(test, t.growth, 63L * 4096);
	KUNIT_EXPECT_TRUE(test, t.growing);
	/* The same with the newest sample dropping back to the start. */
	big[KS_TREND_MAX_WINDOW - 1] = 0;
	ks_trend_test(big, ARRAY_SIZE(big), &t);
	KUNIT_EXPECT_EQ(test, t.growth, 0L);
	KUNIT_EXPECT_FALSE(test, t.growing);
}

static struct kunit_case ks_trend_cases[] = {
	KUNIT_CASE_PARAM(trend_series, trend_gen_params),
	KUNIT_CASE(trend_figures),
	KUNIT_CASE(trend_ties_and_largest),
	{}
};

static struct kunit_suite ks_trend_suite = {
	.name = "kmemscope_trend",
	.test_cases = ks_trend_cases,
};

kunit_test_suite(ks_trend_suite);
