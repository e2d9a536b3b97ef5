// SPDX-License-Identifier: GPL-2.0
/*
 * stacks_kunit.c - KUnit suite for the stack table (module/stacks.c).
 */
#include "../module/stacks.c"

#include <kunit/test.h>

static void stacks_dedup_and_full(struct kunit *test)
{
	struct ks_stacks *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned long a[3] = { 1, 2, 3 }, b[3] = { 1, 2, 4 }, out[8];
	unsigned long big[KS_STACK_MAX_DEPTH + 5];
	u32 ia, ib, i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, ks_stacks_init(t, KS_MIN_STACKS - 1), -EINVAL);
	KUNIT_ASSERT_EQ(test, ks_stacks_init(t, KS_MIN_STACKS), 0);
	ia = ks_stacks_save(t, a, 3);
	ib = ks_stacks_save(t, b, 3);
	KUNIT_EXPECT_NE(test, ia, 0U);
	KUNIT_EXPECT_NE(test, ia, ib);
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a, 3), ia);
	/* A prefix is another stack. */
	KUNIT_EXPECT_NE(test, ks_stacks_save(t, a, 2), ia);
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a, 0), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, ib, out, 8), 3U);
	KUNIT_EXPECT_EQ(test, out[2], 4UL);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, 0, out, 8), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, 9999, out, 8), 0U);
	/* Deeper than the maximum: truncated. */
	for (i = 0; i < ARRAY_SIZE(big); i++)
		big[i] = 100 + i;
	i = ks_stacks_save(t, big, ARRAY_SIZE(big));
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, i, big, ARRAY_SIZE(big)),
			(unsigned int)KS_STACK_MAX_DEPTH);
	/* Fill the table: then saves fail, and are counted. */
	for (i = 0; i < 2 * KS_MIN_STACKS; i++) {
		unsigned long e = 1000 + i;

		ks_stacks_save(t, &e, 1);
	}
	KUNIT_EXPECT_EQ(test, t->used, KS_MIN_STACKS);
	KUNIT_EXPECT_GT(test, atomic_long_read(&t->full), 0L);
	/* Known stacks are still found. */
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a, 3), ia);
	ks_stacks_reset(t);
	KUNIT_EXPECT_EQ(test, t->used, 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, ia, out, 8), 0U);
	ks_stacks_destroy(t);
}

struct stacks_init_case {
	const char *desc;
	unsigned int max;
	int ret;
	unsigned int slot_bits;
};

static const struct stacks_init_case stacks_init_cases[] = {
	{ "zero", 0, -EINVAL },
	{ "one below the minimum", KS_MIN_STACKS - 1, -EINVAL },
	{ "the minimum", KS_MIN_STACKS, 0, 5 },
	{ "not a power of two", 100, 0, 8 },
	{ "a power of two", 128, 0, 8 },
	{ "one above the maximum", KS_MAX_STACKS + 1, -EINVAL },
	{ "UINT_MAX", UINT_MAX, -EINVAL },
};

static void stacks_init_case_desc(const struct stacks_init_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(stacks_init, stacks_init_cases, stacks_init_case_desc);

/* Sizes: out of range refused; the index has twice the room, a power of 2. */
static void stacks_init_sizes(struct kunit *test)
{
	const struct stacks_init_case *c = test->param_value;
	struct ks_stacks *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, ks_stacks_init(t, c->max), c->ret);
	if (c->ret) {
		KUNIT_EXPECT_NULL(test, t->entries);
		return;
	}
	KUNIT_EXPECT_EQ(test, t->max, c->max);
	KUNIT_EXPECT_EQ(test, t->slot_bits, c->slot_bits);
	KUNIT_EXPECT_EQ(test, t->used, 0U);
	ks_stacks_destroy(t);
	KUNIT_EXPECT_NULL(test, t->entries);
	/* A second destroy is harmless. */
	ks_stacks_destroy(t);
}

static void stacks_get_edges(struct kunit *test)
{
	struct ks_stacks *t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	unsigned long a[5] = { 11, 12, 13, 14, 15 }, out[6];
	unsigned long deep[KS_STACK_MAX_DEPTH + 1];
	u32 id, i;

	KUNIT_ASSERT_NOT_NULL(test, t);
	KUNIT_ASSERT_EQ(test, ks_stacks_init(t, KS_MIN_STACKS), 0);
	id = ks_stacks_save(t, a, 5);
	KUNIT_ASSERT_EQ(test, id, 1U);
	/* A smaller buffer gets the innermost frames, and nothing past it. */
	memset(out, 0, sizeof(out));
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, id, out, 2), 2U);
	KUNIT_EXPECT_EQ(test, out[0], 11UL);
	KUNIT_EXPECT_EQ(test, out[1], 12UL);
	KUNIT_EXPECT_EQ(test, out[2], 0UL);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, id, out, 0), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, id, out, 6), 5U);
	KUNIT_EXPECT_EQ(test, out[4], 15UL);
	/* Ids not handed out yet, and past the table, are unknown. */
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, id + 1, out, 6), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, KS_MIN_STACKS + 1, out, 6), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, U32_MAX, out, 6), 0U);
	/* Ids are handed out in order. */
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a + 1, 4), 2U);
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a, 1), 3U);
	/*
	 * Stacks deeper than the maximum keep the innermost frames: one
	 * frame more than the maximum is the same stack as the maximum.
	 */
	for (i = 0; i < ARRAY_SIZE(deep); i++)
		deep[i] = 500 + i;
	id = ks_stacks_save(t, deep, KS_STACK_MAX_DEPTH);
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, deep, ARRAY_SIZE(deep)), id);
	KUNIT_EXPECT_EQ(test, t->used, 4U);
	/* Reset: ids start again at 1, the refusal count is cleared. */
	atomic_long_set(&t->full, 3);
	ks_stacks_reset(t);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&t->full), 0L);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, 1, out, 6), 0U);
	KUNIT_EXPECT_EQ(test, ks_stacks_save(t, a + 2, 3), 1U);
	KUNIT_EXPECT_EQ(test, ks_stacks_get(t, 1, out, 6), 3U);
	KUNIT_EXPECT_EQ(test, out[0], 13UL);
	ks_stacks_destroy(t);
}

static struct kunit_case ks_stacks_cases[] = {
	KUNIT_CASE(stacks_dedup_and_full),
	KUNIT_CASE_PARAM(stacks_init_sizes, stacks_init_gen_params),
	KUNIT_CASE(stacks_get_edges),
	{}
};

static struct kunit_suite ks_stacks_suite = {
	.name = "kmemscope_stacks",
	.test_cases = ks_stacks_cases,
};

kunit_test_suite(ks_stacks_suite);
