// SPDX-License-Identifier: GPL-2.0
/*
 * group_kunit.c - KUnit suite for the grouping behind the leaks views
 * (module/group.c).
 */
#include "../module/group.c"

#include <kunit/test.h>

#define ITEM(c, si, st, t, b) \
	{ .cat = (c), .site = (si), .stack = (st), .ts = (t), .bytes = (b) }

static void group_by_site_and_stack(struct kunit *test)
{
	struct ks_item items[] = {
		ITEM(KS_CAT_OLD, 7, 1, 500, 64),
		ITEM(KS_CAT_UNLOADED, 3, 0, 900, 16),
		ITEM(KS_CAT_OLD, 7, 2, 100, 64),
		ITEM(KS_CAT_OLD, 7, 1, 300, 64),
		ITEM(KS_CAT_OLD, 9, 0, 50, 4096),
		ITEM(KS_CAT_UNLOADED, 3, 0, 200, 16),
	};
	struct ks_group out[ARRAY_SIZE(items)];
	unsigned int n;

	n = ks_group(items, ARRAY_SIZE(items), true, out);
	KUNIT_ASSERT_EQ(test, n, 4U);
	/* Unloaded first, whatever the sizes. */
	KUNIT_EXPECT_EQ(test, out[0].cat, (u8)KS_CAT_UNLOADED);
	KUNIT_EXPECT_EQ(test, out[0].count, 2L);
	KUNIT_EXPECT_EQ(test, out[0].bytes, 32L);
	KUNIT_EXPECT_EQ(test, out[0].oldest, 200ULL);
	/* Then old, largest first: site 9, then site 7 stack 1, stack 2. */
	KUNIT_EXPECT_EQ(test, out[1].site, 9U);
	KUNIT_EXPECT_EQ(test, out[1].bytes, 4096L);
	KUNIT_EXPECT_EQ(test, out[2].site, 7U);
	KUNIT_EXPECT_EQ(test, out[2].stack, 1U);
	KUNIT_EXPECT_EQ(test, out[2].count, 2L);
	KUNIT_EXPECT_EQ(test, out[2].bytes, 128L);
	KUNIT_EXPECT_EQ(test, out[2].oldest, 300ULL);
	KUNIT_EXPECT_EQ(test, out[3].stack, 2U);
	KUNIT_EXPECT_EQ(test, out[3].bytes, 64L);
}

static void group_by_site_only(struct kunit *test)
{
	struct ks_item items[] = {
		ITEM(KS_CAT_SINCE, 7, 1, 500, 64),
		ITEM(KS_CAT_SINCE, 7, 2, 100, 64),
		ITEM(KS_CAT_SINCE, 8, 3, 100, 8),
	};
	struct ks_group out[ARRAY_SIZE(items)];

	KUNIT_ASSERT_EQ(test, ks_group(items, ARRAY_SIZE(items), false, out), 2U);
	KUNIT_EXPECT_EQ(test, out[0].site, 7U);
	KUNIT_EXPECT_EQ(test, out[0].count, 2L);
	KUNIT_EXPECT_EQ(test, out[0].bytes, 128L);
	KUNIT_EXPECT_EQ(test, out[0].oldest, 100ULL);
	KUNIT_EXPECT_EQ(test, out[0].stack, 0U);
	KUNIT_EXPECT_EQ(test, out[1].bytes, 8L);
	/* Nothing to group. */
	KUNIT_EXPECT_EQ(test, ks_group(items, 0, true, out), 0U);
}

/* Each group carries its first item's site details; sums do not wrap. */
static void group_fields(struct kunit *test)
{
	struct ks_item items[] = {
		ITEM(KS_CAT_OLD, 4, 0, 700, U32_MAX),
		ITEM(KS_CAT_OLD, 4, 0, 600, U32_MAX),
		ITEM(KS_CAT_OLD, 4, 0, 800, U32_MAX),
	};
	struct ks_group out[ARRAY_SIZE(items)];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(items); i++) {
		items[i].kind = 2;
		items[i].retired = 1;
		items[i].call_site = 0xabc0;
		items[i].site_name = "f+0x1 [m]";
	}
	KUNIT_ASSERT_EQ(test, ks_group(items, ARRAY_SIZE(items), true, out), 1U);
	KUNIT_EXPECT_EQ(test, out[0].count, 3L);
	KUNIT_EXPECT_EQ(test, out[0].bytes, 3L * U32_MAX);
	KUNIT_EXPECT_EQ(test, out[0].oldest, 600ULL);
	KUNIT_EXPECT_EQ(test, out[0].kind, (u8)2);
	KUNIT_EXPECT_EQ(test, out[0].retired, (u8)1);
	KUNIT_EXPECT_EQ(test, out[0].call_site, 0xabc0UL);
	KUNIT_EXPECT_STREQ(test, out[0].site_name, "f+0x1 [m]");
	KUNIT_EXPECT_EQ(test, out[0].cat, (u8)KS_CAT_OLD);
}

/* Equal bytes: the oldest group first; categories always in their order. */
static void group_order(struct kunit *test)
{
	struct ks_item items[] = {
		ITEM(KS_CAT_SINCE, 1, 0, 10, 4096),
		ITEM(KS_CAT_OLD, 2, 0, 300, 64),
		ITEM(KS_CAT_OLD, 3, 0, 100, 64),
		ITEM(KS_CAT_OLD, 5, 0, 200, 64),
		ITEM(KS_CAT_UNLOADED, 6, 0, 900, 8),
	};
	struct ks_group out[ARRAY_SIZE(items)];

	KUNIT_ASSERT_EQ(test, ks_group(items, ARRAY_SIZE(items), false, out), 5U);
	KUNIT_EXPECT_EQ(test, out[0].site, 6U);
	KUNIT_EXPECT_EQ(test, out[1].site, 3U);
	KUNIT_EXPECT_EQ(test, out[2].site, 5U);
	KUNIT_EXPECT_EQ(test, out[3].site, 2U);
	KUNIT_EXPECT_EQ(test, out[4].site, 1U);
	KUNIT_EXPECT_EQ(test, out[4].cat, (u8)KS_CAT_SINCE);
	/* One item is one group. */
	KUNIT_EXPECT_EQ(test, ks_group(items, 1, true, out), 1U);
	KUNIT_EXPECT_EQ(test, out[0].count, 1L);
}

/* Without stacks, items' stack ids are cleared: one group per site. */
static void group_clears_stacks(struct kunit *test)
{
	struct ks_item items[] = {
		ITEM(KS_CAT_OLD, 7, 3, 1, 8),
		ITEM(KS_CAT_OLD, 7, 9, 2, 8),
	};
	struct ks_group out[ARRAY_SIZE(items)];

	KUNIT_ASSERT_EQ(test, ks_group(items, 2, true, out), 2U);
	KUNIT_ASSERT_EQ(test, ks_group(items, 2, false, out), 1U);
	KUNIT_EXPECT_EQ(test, items[0].stack, 0U);
	KUNIT_EXPECT_EQ(test, items[1].stack, 0U);
	KUNIT_EXPECT_EQ(test, out[0].count, 2L);
}

struct item_cmp_case {
	const char *desc;
	struct ks_item a, b;
	int sign;
};

static const struct item_cmp_case item_cmp_cases[] = {
	{ "equal", ITEM(KS_CAT_OLD, 1, 1, 5, 8), ITEM(KS_CAT_OLD, 1, 1, 9, 64), 0 },
	{ "category first", ITEM(KS_CAT_UNLOADED, 9, 9, 0, 0),
	  ITEM(KS_CAT_OLD, 1, 1, 0, 0), -1 },
	{ "then site", ITEM(KS_CAT_OLD, 2, 1, 0, 0), ITEM(KS_CAT_OLD, 1, 9, 0, 0), 1 },
	{ "then stack", ITEM(KS_CAT_OLD, 1, 1, 0, 0), ITEM(KS_CAT_OLD, 1, 2, 0, 0), -1 },
	{ "large ids", ITEM(KS_CAT_OLD, U32_MAX, 0, 0, 0),
	  ITEM(KS_CAT_OLD, 0, 0, 0, 0), 1 },
};

static void item_cmp_case_desc(const struct item_cmp_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(item_cmp, item_cmp_cases, item_cmp_case_desc);

/* The order records are grouped in (also kmemscope_live_since()'s). */
static void group_item_cmp(struct kunit *test)
{
	const struct item_cmp_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_item_cmp(&c->a, &c->b), c->sign);
	KUNIT_EXPECT_EQ(test, ks_item_cmp(&c->b, &c->a), -c->sign);
}

/*
 * The rows of a view fit in KS_ROWS_MAX_BYTES, below INT_MAX (kvmalloc()'s
 * limit), whatever the number of groups: up to max_records (16777216)
 * plus the 256 records of slack a view copies, and beyond.  Row sizes
 * around struct ks_row's (424 bytes on 64-bit).
 */
static void group_rows_fit(struct kunit *test)
{
	static const unsigned int groups[] = { 0, 1, 1000, 16777216 + 256,
						U32_MAX };
	static const size_t sizes[] = { 64, 424, 4096 };
	const size_t hdr = 1024;
	const unsigned int other = 16 + 64;	/* reports, growing sites */
	unsigned int i, j;

	KUNIT_EXPECT_LE(test, KS_ROWS_MAX_BYTES, (unsigned long)INT_MAX / 4);
	for (i = 0; i < ARRAY_SIZE(groups); i++)
		for (j = 0; j < ARRAY_SIZE(sizes); j++) {
			unsigned int keep = ks_rows_fit(groups[i], other, hdr,
							sizes[j],
							KS_ROWS_MAX_BYTES);
			size_t bytes = size_add(hdr,
						array_size(other + 2 * (size_t)keep,
							   sizes[j]));

			/* Stop at the first: a case's log holds a few. */
			KUNIT_ASSERT_LE(test, keep, groups[i]);
			KUNIT_ASSERT_LE(test, bytes, KS_ROWS_MAX_BYTES);
			KUNIT_ASSERT_LE(test, bytes, (size_t)INT_MAX);
			/* Fewer only when they would not have fitted. */
			if (keep < groups[i])
				KUNIT_EXPECT_GT(test, bytes + 2 * sizes[j],
						KS_ROWS_MAX_BYTES);
		}
	/* A view of the default 32768 records lists every group. */
	KUNIT_EXPECT_EQ(test, ks_rows_fit(32768 + 256, other, hdr, 424,
					  KS_ROWS_MAX_BYTES), 32768U + 256);
	/* Exact room: 100 + (5 + 2 * 7) * 10 = 290 bytes of 299. */
	KUNIT_EXPECT_EQ(test, ks_rows_fit(10, 5, 100, 10, 299), 7U);
	KUNIT_EXPECT_EQ(test, ks_rows_fit(10, 5, 100, 10, 310), 8U);
	KUNIT_EXPECT_EQ(test, ks_rows_fit(3, 5, 100, 10, 310), 3U);
	/* No room past the other rows, or none at all. */
	KUNIT_EXPECT_EQ(test, ks_rows_fit(10, 5, 100, 10, 160), 0U);
	KUNIT_EXPECT_EQ(test, ks_rows_fit(10, 5, 100, 10, 50), 0U);
	KUNIT_EXPECT_EQ(test, ks_rows_fit(10, 0, 0, 0, 1000), 0U);
}

static struct kunit_case ks_group_cases[] = {
	KUNIT_CASE(group_by_site_and_stack),
	KUNIT_CASE(group_by_site_only),
	KUNIT_CASE(group_fields),
	KUNIT_CASE(group_order),
	KUNIT_CASE(group_clears_stacks),
	KUNIT_CASE_PARAM(group_item_cmp, item_cmp_gen_params),
	KUNIT_CASE(group_rows_fit),
	{}
};

static struct kunit_suite ks_group_suite = {
	.name = "kmemscope_grouping",
	.test_cases = ks_group_cases,
};

kunit_test_suite(ks_group_suite);
