// SPDX-License-Identifier: GPL-2.0
/*
 * owner_kunit.c - KUnit suite for which module a call site's name says it
 * belongs to (module/owner.h).
 */
#include "../module/owner.h"

#include <kunit/test.h>
#include <linux/module.h>

struct site_module_case {
	const char *site;
	size_t len;
	const char *module;
};

static const struct site_module_case site_module_cases[] = {
	{ "null_add_dev+0x143 [null_blk]", MODULE_NAME_LEN, "null_blk" },
	{ "copy_process+0x20e [kernel]", MODULE_NAME_LEN, "kernel" },
	{ "copy_process+0x20e", MODULE_NAME_LEN, "kernel" },
	{ "weird [unterminated", MODULE_NAME_LEN, "kernel" },
	{ "f+0x1 [averyveryverylongmodulename]", 8, "averyve" },
	/* the last bracket names the module */
	{ "f+0x1 [a] [b]", MODULE_NAME_LEN, "b" },
	{ "f+0x1 []", MODULE_NAME_LEN, "" },
	{ "]", MODULE_NAME_LEN, "kernel" },
	{ "", MODULE_NAME_LEN, "kernel" },
	{ "(caller not found) [unknown]", MODULE_NAME_LEN, "unknown" },
	{ "f+0x1 [mod]", 1, "" },
	{ "f+0x1 [mod]", 4, "mod" },
	{ "f+0x1 [mod]", 3, "mo" },
	/* only a bracketed word that ends the name names a module */
	{ "f+0x1 [mod] x", MODULE_NAME_LEN, "kernel" },
};

static void site_module_case_desc(const struct site_module_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' in %zu", c->site, c->len);
}

KUNIT_ARRAY_PARAM(site_module, site_module_cases, site_module_case_desc);

static void owner_of(struct kunit *test)
{
	const struct site_module_case *c = test->param_value;
	char mod[MODULE_NAME_LEN];

	memset(mod, 'x', sizeof(mod));
	ks_owner_of(c->site, mod, c->len);
	KUNIT_EXPECT_STREQ(test, mod, c->module);
	/* Nothing written past the length given. */
	if (c->len < sizeof(mod))
		KUNIT_EXPECT_EQ(test, mod[c->len], 'x');
}

static void owner_is(struct kunit *test)
{
	KUNIT_EXPECT_TRUE(test, ks_owner_is("gone_func+0x10 [gone]", "gone"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("gone_func+0x10 [gone]", "one"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("gone_func+0x10 [gone]", "gone_func"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("gone_func+0x10 [gone]", "gone]"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is(NULL, "gone"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("]", "gone"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("gone_func+0x10", "kernel"));
	KUNIT_EXPECT_TRUE(test, ks_owner_is("f+0x1 [a] [b]", "b"));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("f+0x1 [a] [b]", "a"));
	KUNIT_EXPECT_TRUE(test, ks_owner_is("f+0x1 []", ""));
	KUNIT_EXPECT_FALSE(test, ks_owner_is("f+0x1 [mod] x", "mod"));
}

static struct kunit_case ks_owner_cases[] = {
	KUNIT_CASE_PARAM(owner_of, site_module_gen_params),
	KUNIT_CASE(owner_is),
	{}
};

static struct kunit_suite ks_owner_suite = {
	.name = "kmemscope_owner",
	.test_cases = ks_owner_cases,
};

kunit_test_suite(ks_owner_suite);
