// SPDX-License-Identifier: GPL-2.0
/*
 * example_mark_kunit.c - how a driver's KUnit test uses kmemscope's marks
 * (module/kmemscope_api.h) to assert that a case leaves nothing behind.
 *
 * kmemscope must be loaded first (this module uses its symbols).  A real
 * driver's test would pass its own module name; here the allocations are
 * this test module's own.
 */
#include <kunit/test.h>
#include <linux/slab.h>

#include "../module/kmemscope_api.h"

#define SELF	KBUILD_MODNAME

static void *held[3];

static noinline void example_alloc(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(held); i++)
		held[i] = kmalloc(100, GFP_KERNEL);
}

static noinline void example_free(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(held); i++) {
		kfree(held[i]);
		held[i] = NULL;
	}
}

/* A case that frees what it allocated: nothing new is held. */
static void mark_balanced(struct kunit *test)
{
	struct kmemscope_mark mark;
	unsigned long bytes, count;

	kmemscope_mark(&mark);
	example_alloc();
	example_free();
	KUNIT_ASSERT_EQ(test, kmemscope_live_since(&mark, SELF, &bytes, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0UL);
	KUNIT_EXPECT_EQ(test, bytes, 0UL);
}

/* A case that keeps its allocations: the mark sees exactly them. */
static void mark_held(struct kunit *test)
{
	struct kmemscope_mark mark;
	unsigned long bytes, count;

	kmemscope_mark(&mark);
	example_alloc();
	KUNIT_ASSERT_EQ(test, kmemscope_live_since(&mark, SELF, &bytes, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 3UL);
	/*
	 * Each object counts as its kmalloc class, or as its whole slot
	 * where KASAN keeps its metadata there.
	 */
	if (IS_ENABLED(CONFIG_KASAN))
		KUNIT_EXPECT_GE(test, bytes, 3 * kmalloc_size_roundup(100));
	else
		KUNIT_EXPECT_EQ(test, bytes, 3 * kmalloc_size_roundup(100));
	/* Nothing of another module's. */
	KUNIT_ASSERT_EQ(test, kmemscope_live_since(&mark, "no_such_module",
						   &bytes, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0UL);
	example_free();
	KUNIT_ASSERT_EQ(test, kmemscope_live_since(&mark, SELF, &bytes, &count), 0);
	KUNIT_EXPECT_EQ(test, count, 0UL);
}

static struct kunit_case example_cases[] = {
	KUNIT_CASE(mark_balanced),
	KUNIT_CASE(mark_held),
	{}
};

static struct kunit_suite example_suite = {
	.name = "kmemscope_mark_example",
	.test_cases = example_cases,
};

kunit_test_suite(example_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("Example: a KUnit test asserting with kmemscope's marks");
