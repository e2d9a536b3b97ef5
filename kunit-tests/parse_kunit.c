// SPDX-License-Identifier: GPL-2.0
/*
 * parse_kunit.c - KUnit suites for the control file's parser
 * (module/parse.c), the stack table (module/stacks.c) and the pure parts
 * of attribution (module/attrib.c), the growth test (module/trend.c) and
 * the grouping behind the leaks views (module/group.c).
 */
/* attrib.c first: it sets pr_fmt, which must precede any printk.h. */
#include "../module/attrib.c"
#include "../module/parse.c"
#include "../module/stacks.c"
#include "../module/trend.c"
#include "../module/group.c"

#include <kunit/test.h>
#include <linux/hardirq.h>

/* ---- parser ---- */

struct parse_case {
	const char *in;
	int ret;
	enum ks_cmd_op op;
	unsigned long value;
	const char *module;
};

static const struct parse_case parse_cases[] = {
	{ "enable", 0, KS_CMD_ENABLE },
	{ "enable\n", 0, KS_CMD_ENABLE },
	{ "disable\n", 0, KS_CMD_DISABLE },
	{ "reset", 0, KS_CMD_RESET },
	{ "  reset\t\n", 0, KS_CMD_RESET },
	{ "stacks on", 0, KS_CMD_STACKS_ON },
	{ "stacks\toff\n", 0, KS_CMD_STACKS_OFF },
	{ "stacks depth 1", 0, KS_CMD_STACKS_DEPTH, 1 },
	{ "stacks depth 32\n", 0, KS_CMD_STACKS_DEPTH, 32 },
	{ "filter module null_blk", 0, KS_CMD_FILTER_MODULE, 0, "null_blk" },
	{ "filter module scsi-debug", 0, KS_CMD_FILTER_MODULE, 0, "scsi_debug" },
	{ "filter module kernel", 0, KS_CMD_FILTER_MODULE, 0, "kernel" },
	{ "filter min_size 0", 0, KS_CMD_FILTER_MIN_SIZE, 0 },
	{ "filter min_size 4096\n", 0, KS_CMD_FILTER_MIN_SIZE, 4096 },
	{ "filter min_size 2147483647", 0, KS_CMD_FILTER_MIN_SIZE, 2147483647 },
	{ "filter off", 0, KS_CMD_FILTER_OFF },
	{ "mark", 0, KS_CMD_MARK },
	{ "sample interval 0", 0, KS_CMD_SAMPLE_INTERVAL, 0 },
	{ "sample interval 3600", 0, KS_CMD_SAMPLE_INTERVAL, 3600 },
	{ "sample window 4", 0, KS_CMD_SAMPLE_WINDOW, 4 },
	{ "sample window 64\n", 0, KS_CMD_SAMPLE_WINDOW, 64 },
	{ "mark\n", 0, KS_CMD_MARK },
	{ "min_age 0", 0, KS_CMD_MIN_AGE, 0 },
	{ "min_age 3600\n", 0, KS_CMD_MIN_AGE, 3600 },
	/* malformed */
	{ "", -EINVAL },
	{ "\n", -EINVAL },
	{ "   ", -EINVAL },
	{ "enable extra", -EINVAL },
	{ "Enable", -EINVAL },
	{ "enabled", -EINVAL },
	{ "en\001able", -EINVAL },
	{ "reset\n\n", -EINVAL },
	{ "stacks", -EINVAL },
	{ "stacks maybe", -EINVAL },
	{ "stacks depth", -EINVAL },
	{ "stacks depth 0", -EINVAL },
	{ "stacks depth 33", -EINVAL },
	{ "stacks depth -1", -EINVAL },
	{ "stacks depth +4", -EINVAL },
	{ "stacks depth 4x", -EINVAL },
	{ "stacks depth 0x10", -EINVAL },
	{ "stacks depth 99999999999999999999999", -EINVAL },
	{ "stacks on now", -EINVAL },
	{ "filter", -EINVAL },
	{ "filter module", -EINVAL },
	{ "filter module a b", -EINVAL },
	{ "filter module bad/name", -EINVAL },
	{ "filter min_size", -EINVAL },
	{ "filter min_size 2147483648", -EINVAL },
	{ "filter min_size -5", -EINVAL },
	{ "filter off now", -EINVAL },
	{ "mark now", -EINVAL },
	{ "sample", -EINVAL },
	{ "sample interval", -EINVAL },
	{ "sample interval 3601", -EINVAL },
	{ "sample window 3", -EINVAL },
	{ "sample window 65", -EINVAL },
	{ "sample rate 5", -EINVAL },
	{ "min_age", -EINVAL },
	{ "min_age -1", -EINVAL },
	{ "min_age 2147483648", -EINVAL },
	{ "min_age 10s", -EINVAL },
	{ "a b c d e", -EINVAL },
	/* edges of the accepted forms */
	{ "\tenable", 0, KS_CMD_ENABLE },
	{ "filter  min_size\t\t5 ", 0, KS_CMD_FILTER_MIN_SIZE, 5 },
	{ "stacks depth 016", 0, KS_CMD_STACKS_DEPTH, 16 },
	{ "min_age 2147483647\n", 0, KS_CMD_MIN_AGE, 2147483647 },
	{ "sample interval 1", 0, KS_CMD_SAMPLE_INTERVAL, 1 },
	{ "filter module -", 0, KS_CMD_FILTER_MODULE, 0, "_" },
	{ "filter module A9_z", 0, KS_CMD_FILTER_MODULE, 0, "A9_z" },
	/* more malformed: separators, bytes, numbers, words */
	{ "reset\r\n", -EINVAL },
	{ "reset\n ", -EINVAL },
	{ "\nreset", -EINVAL },
	{ "reset\x7f", -EINVAL },
	{ "reset\x1b[0m", -EINVAL },
	{ "stacks\von", -EINVAL },
	{ "stacks\x85on", -EINVAL },
	{ "stacks\xa0on", -EINVAL },
	{ "reset\xa0", -EINVAL },
	{ "\xff\xfe", -EINVAL },
	{ "filter module caf\xe9", -EINVAL },
	{ "filter module \xc0\xc1", -EINVAL },
	{ "filter module a.b", -EINVAL },
	{ "filter module a,b", -EINVAL },
	{ "filter module kernel extra", -EINVAL },
	{ "filter min_size 4294967296", -EINVAL },
	{ "filter min_size 18446744073709551616", -EINVAL },
	{ "filter min_size 1e3", -EINVAL },
	{ "filter min_size  ", -EINVAL },
	{ "min_age 4294967295", -EINVAL },
	{ "min_age 0 0", -EINVAL },
	{ "sample interval -0", -EINVAL },
	{ "sample window 16 16", -EINVAL },
	{ "sample window", -EINVAL },
	{ "sample on", -EINVAL },
	{ "filter on", -EINVAL },
	{ "stacks off on", -EINVAL },
	{ "stacks depth 8 8", -EINVAL },
	{ "STACKS on", -EINVAL },
	{ "mark mark", -EINVAL },
	{ "min-age 5", -EINVAL },
	{ "reset;enable", -EINVAL },
};

static void parse_case_desc(const struct parse_case *c, char *desc)
{
	size_t i;

	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->in);
	for (i = 0; desc[i]; i++)
		if (!isascii(desc[i]) || !isprint(desc[i]))
			desc[i] = '?';
}

KUNIT_ARRAY_PARAM(parse, parse_cases, parse_case_desc);

static void parse_commands(struct kunit *test)
{
	const struct parse_case *c = test->param_value;
	struct ks_cmd cmd = { .op = KS_CMD_FILTER_OFF, .value = 12345 };

	KUNIT_ASSERT_EQ(test, ks_parse_cmd(c->in, strlen(c->in), &cmd, 32),
			c->ret);
	if (c->ret) {
		/* A rejected command leaves the output untouched. */
		KUNIT_EXPECT_EQ(test, cmd.value, 12345UL);
		return;
	}
	KUNIT_EXPECT_EQ(test, cmd.op, c->op);
	KUNIT_EXPECT_EQ(test, cmd.value, c->value);
	if (c->module)
		KUNIT_EXPECT_STREQ(test, cmd.module, c->module);
}

static void parse_lengths(struct kunit *test)
{
	char buf[KS_CMD_MAX + 2];
	struct ks_cmd cmd;

	/* Not NUL-terminated input is fine: the length is what counts. */
	memcpy(buf, "resetXYZ", 8);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, 5, &cmd, 32), 0);
	KUNIT_EXPECT_EQ(test, cmd.op, KS_CMD_RESET);
	/* Longest accepted: KS_CMD_MAX bytes, spaces then a command. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + KS_CMD_MAX - 6, "reset\n", 6);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, KS_CMD_MAX, &cmd, 32), 0);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, KS_CMD_MAX + 1, &cmd, 32),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, 0, &cmd, 32), -EINVAL);
	/* An embedded NUL is rejected, not truncated at. */
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("reset\0xx", 8, &cmd, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("reset\0", 6, &cmd, 32), -EINVAL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("\0reset", 6, &cmd, 32), -EINVAL);
	/* Only the last byte may be the newline: one more is too long. */
	memset(buf, ' ', sizeof(buf));
	memcpy(buf + KS_CMD_MAX - 5, "reset\n", 6);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, KS_CMD_MAX + 1, &cmd, 32),
			-EINVAL);
	/* 128 spaces: no word at all. */
	memset(buf, ' ', sizeof(buf));
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, KS_CMD_MAX, &cmd, 32), -EINVAL);
}

/* The stack depth accepted follows the caller's maximum. */
static void parse_max_depth(struct kunit *test)
{
	struct ks_cmd cmd = {};

	KUNIT_EXPECT_EQ(test, ks_parse_cmd("stacks depth 8", 14, &cmd, 8), 0);
	KUNIT_EXPECT_EQ(test, cmd.value, 8UL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("stacks depth 9", 14, &cmd, 8),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, cmd.value, 8UL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("stacks depth 1", 14, &cmd, 0),
			-EINVAL);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("stacks depth 0", 14, &cmd, 0),
			-EINVAL);
	/* Other numbers do not depend on it. */
	KUNIT_EXPECT_EQ(test, ks_parse_cmd("min_age 99", 10, &cmd, 0), 0);
	KUNIT_EXPECT_EQ(test, cmd.value, 99UL);
}

/* A refused command leaves every field of the output as it was. */
static void parse_refused_untouched(struct kunit *test)
{
	static const char * const bad[] = {
		"filter module caf\xe9", "filter module a/b", "stacks depth 99",
		"min_age x", "sample window 2",
		"filter module a_name_longer_than_the_fifty_five_bytes_a_module_name_may_have",
	};
	struct ks_cmd cmd;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cmd.op = KS_CMD_MARK;
		cmd.value = 777;
		strscpy(cmd.module, "untouched", sizeof(cmd.module));
		KUNIT_EXPECT_EQ_MSG(test, ks_parse_cmd(bad[i], strlen(bad[i]),
						       &cmd, 16), -EINVAL,
				    "'%s'", bad[i]);
		KUNIT_EXPECT_EQ(test, cmd.op, KS_CMD_MARK);
		KUNIT_EXPECT_EQ(test, cmd.value, 777UL);
		KUNIT_EXPECT_STREQ(test, cmd.module, "untouched");
	}
}

/* Module names: MODULE_NAME_LEN - 1 characters fit, MODULE_NAME_LEN do not. */
static void parse_module_name_length(struct kunit *test)
{
	char buf[64 + MODULE_NAME_LEN];
	size_t pre = strlen("filter module ");
	struct ks_cmd cmd;

	memcpy(buf, "filter module ", pre);
	memset(buf + pre, 'a', MODULE_NAME_LEN);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, pre + MODULE_NAME_LEN - 1, &cmd,
					   32), 0);
	KUNIT_EXPECT_EQ(test, strlen(cmd.module), (size_t)MODULE_NAME_LEN - 1);
	KUNIT_EXPECT_EQ(test, ks_parse_cmd(buf, pre + MODULE_NAME_LEN, &cmd, 32),
			-EINVAL);
}

static struct kunit_case ks_parse_cases[] = {
	KUNIT_CASE_PARAM(parse_commands, parse_gen_params),
	KUNIT_CASE(parse_lengths),
	KUNIT_CASE(parse_module_name_length),
	KUNIT_CASE(parse_max_depth),
	KUNIT_CASE(parse_refused_untouched),
	{}
};

static struct kunit_suite ks_parse_suite = {
	.name = "kmemscope_control_parser",
	.test_cases = ks_parse_cases,
};

/* ---- stack table ---- */

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

/* ---- attribution ---- */

static const struct ks_range test_ranges[] = {
	{ 0x1000, 0x1100, KS_RANGE_PAGE_CORE },
	{ 0x1100, 0x1180, KS_RANGE_PAGE_CORE },	/* adjacent */
	{ 0x2000, 0x2040, KS_RANGE_WRAPPER },
	{ 0x9000, 0x9001, KS_RANGE_WRAPPER },
};

static void attrib_range_find(struct kunit *test)
{
	const struct ks_range *r = test_ranges;
	unsigned int n = ARRAY_SIZE(test_ranges);

	KUNIT_EXPECT_PTR_EQ(test, ks_range_find(r, n, 0x1000), &r[0]);
	KUNIT_EXPECT_PTR_EQ(test, ks_range_find(r, n, 0x10ff), &r[0]);
	KUNIT_EXPECT_PTR_EQ(test, ks_range_find(r, n, 0x1100), &r[1]);
	KUNIT_EXPECT_NULL(test, ks_range_find(r, n, 0x1180));
	KUNIT_EXPECT_NULL(test, ks_range_find(r, n, 0xfff));
	KUNIT_EXPECT_NULL(test, ks_range_find(r, n, 0x3000));
	KUNIT_EXPECT_PTR_EQ(test, ks_range_find(r, n, 0x9000), &r[3]);
	KUNIT_EXPECT_NULL(test, ks_range_find(r, n, 0x9001));
	KUNIT_EXPECT_NULL(test, ks_range_find(r, 0, 0x1000));
}

struct class_case {
	const char *func;
	u8 class;
};

static const struct class_case class_cases[] = {
	{ "allocate_slab", KS_CLASS_SLAB },
	{ "kmalloc_large", KS_CLASS_SLAB },
	{ "__kmalloc_large_node_noprof", KS_CLASS_SLAB },
	{ "__vmalloc_area_node", KS_CLASS_VMALLOC },
	{ "pcpu_populate_chunk", KS_CLASS_PERCPU },
	{ "__pte_alloc", KS_CLASS_PAGETABLE },
	{ "vma_alloc_folio", KS_CLASS_USER },
	{ "filemap_alloc_folio", KS_CLASS_USER },
	{ "my_driver_probe", KS_CLASS_OBJECT },
	{ "allocate_slab_extra", KS_CLASS_OBJECT },
	{ "", KS_CLASS_OBJECT },
	{ "new_slab", KS_CLASS_SLAB },
	{ "vm_area_alloc_pages", KS_CLASS_VMALLOC },
	{ "pcpu_alloc_pages", KS_CLASS_PERCPU },
	{ "pagetable_alloc_noprof", KS_CLASS_PAGETABLE },
	{ "shmem_alloc_folio", KS_CLASS_USER },
	{ "do_cow_fault", KS_CLASS_USER },
	/* near misses: names are whole and case matters */
	{ "allocate_sla", KS_CLASS_OBJECT },
	{ "Allocate_slab", KS_CLASS_OBJECT },
	{ "allocate_slab ", KS_CLASS_OBJECT },
	{ "_allocate_slab", KS_CLASS_OBJECT },
	{ "allocate_slab.isra.0", KS_CLASS_OBJECT },
};

static void class_case_desc(const struct class_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->func);
}

KUNIT_ARRAY_PARAM(class, class_cases, class_case_desc);

static void attrib_class_of_name(struct kunit *test)
{
	const struct class_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name(c->func), c->class);
}

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
};

static void site_module_case_desc(const struct site_module_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' in %zu", c->site, c->len);
}

KUNIT_ARRAY_PARAM(site_module, site_module_cases, site_module_case_desc);

static void attrib_site_module(struct kunit *test)
{
	const struct site_module_case *c = test->param_value;
	char mod[MODULE_NAME_LEN];

	memset(mod, 'x', sizeof(mod));
	KUNIT_EXPECT_EQ(test, ks_site_module(c->site, mod, c->len), 0);
	KUNIT_EXPECT_STREQ(test, mod, c->module);
	/* Nothing written past the length given. */
	if (c->len < sizeof(mod))
		KUNIT_EXPECT_EQ(test, mod[c->len], 'x');
}

struct func_name_case {
	const char *sym;
	const char *func;
};

static const struct func_name_case func_name_cases[] = {
	{ "func.isra.0+0x1c/0x50 [mod]", "func" },
	{ "func+0x1c/0x50 [mod]", "func" },
	{ "func+0x1c/0x50", "func" },
	{ "func [mod]", "func" },
	{ "func", "func" },
	{ "func.cold+0x5/0x9", "func" },
	{ ".cold+0x0", "" },
	{ "0xffffffffc0001234", "0xffffffffc0001234" },
	{ "", "" },
};

static void func_name_case_desc(const struct func_name_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->sym);
}

KUNIT_ARRAY_PARAM(func_name, func_name_cases, func_name_case_desc);

/* "func.isra.0+0x1c/0x50 [mod]" to "func", as page classes are looked up. */
static void attrib_func_name(struct kunit *test)
{
	const struct func_name_case *c = test->param_value;
	char sym[KSYM_SYMBOL_LEN];

	strscpy(sym, c->sym, sizeof(sym));
	ks_func_name(sym);
	KUNIT_EXPECT_STREQ(test, sym, c->func);
}

/* Function sizes, from the running kernel's symbols. */
static void attrib_func_size(struct kunit *test)
{
	unsigned long a = (unsigned long)&kstrtouint;

	KUNIT_EXPECT_GT(test, ks_func_size(a), 0UL);
	/* Any address inside gives the whole function's size. */
	KUNIT_EXPECT_EQ(test, ks_func_size(a + 1), ks_func_size(a));
	/* No symbol: no size. */
	KUNIT_EXPECT_EQ(test, ks_func_size(0), 0UL);
}

/* The wrapper skipping, against the ranges of the running kernel. */
static void attrib_skip(struct kunit *test)
{
	unsigned long wrapper, core, e[6];

	ks_attrib_init();
	wrapper = (unsigned long)&kstrdup + 4;
	core = (unsigned long)&__get_free_pages + 4;
	/* kmalloc-type: start at the call site, skip wrappers. */
	e[0] = 0x10; e[1] = 0x20; e[2] = wrapper; e[3] = 0x1234; e[4] = 0x40;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, wrapper, false), 3U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, 0x20, false), 1U);
	/* Call site not in the stack: from the first wrapper on. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, 0x77, false), 3U);
	/* Nothing past the wrappers: n. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, wrapper, false), 3U);
	/* Pages: start at the page allocator, then skip the wrappers. */
	e[0] = 0x10; e[1] = 0x20; e[2] = (unsigned long)&alloc_pages + 8;
	e[3] = core; e[4] = 0x5555; e[5] = 0x6666;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 6, 0, true), 4U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 2, 0, true), 2U);
	/* An empty backtrace. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 0, 0x10, false), 0U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 0, 0, true), 0U);
	/* Wrappers only: nothing past them. */
	e[0] = wrapper; e[1] = core; e[2] = wrapper + 1;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, wrapper, false), 3U);
	/* The call site itself, not a wrapper, is the caller. */
	e[0] = 0x10; e[1] = 0x4444; e[2] = 0x5555;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, 0x4444, false), 1U);
	/* Pages with no page allocator frame: no caller. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, 0, true), 3U);
	KUNIT_EXPECT_TRUE(test, ks_attrib_in(wrapper, KS_RANGE_WRAPPER));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(wrapper, KS_RANGE_PAGE_CORE));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(0x10, KS_RANGE_WRAPPER));
}

/* Learning the page allocator's inner functions from one backtrace. */
static void attrib_learn_page_path(struct kunit *test)
{
	unsigned long inner = (unsigned long)&kstrtouint + 4, e[4];
	unsigned long self = (unsigned long)&attrib_learn_page_path + 4;
	const unsigned long *core;
	unsigned int n;

	ks_attrib_init();
	core = ks_compat_page_core(&n);
	KUNIT_ASSERT_GT(test, n, 0U);
	KUNIT_ASSERT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
	/* No known entry point in the backtrace: nothing learnt. */
	e[0] = 0x10; e[1] = inner; e[2] = self;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 3, THIS_MODULE), 0);
	/* The caller is not in it: nothing learnt, nothing published. */
	e[0] = 0x10; e[1] = core[0] + 4; e[2] = inner;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 3, THIS_MODULE), 0);
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
	/* Entry point, an inner function, the caller: one function learnt. */
	e[3] = self;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 4, THIS_MODULE), 1);
	KUNIT_EXPECT_TRUE(test, ks_attrib_in(inner + 1, KS_RANGE_PAGE_CORE));
	/* Learnt once: a second calibration changes nothing. */
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 4, THIS_MODULE), 0);
	/* Pages: the learnt function is skipped like the entry points. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 4, 0, true), 3U);
	ks_attrib_init();
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
}

/* Calibration takes the task's own page allocation, not an interrupt's. */
static void attrib_calib_context(struct kunit *test)
{
	unsigned long flags;
	bool in_irq;

	KUNIT_EXPECT_TRUE(test, ks_attrib_calib_wants(current));
	KUNIT_EXPECT_FALSE(test, ks_attrib_calib_wants(NULL));
	local_irq_save(flags);
	__irq_enter_raw();
	in_irq = ks_attrib_calib_wants(current);
	__irq_exit_raw();
	local_irq_restore(flags);
	KUNIT_EXPECT_FALSE(test, in_irq);
}

/* Movable pages: a driver's are recorded, unlisted core ones are user. */
static void attrib_classify_movable(struct kunit *test)
{
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	unsigned long flags;
	u8 c[2];

	ks_attrib_init();
	ks_attrib_set_module_filter("");
	local_irq_save(flags);
	c[0] = ks_attrib_classify(core_site, KS_PAGE, KS_HINT_MOVABLE);
	c[1] = ks_attrib_classify(core_site, KS_PAGE, 0);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, c[0], (u8)KS_CLASS_USER);
	KUNIT_EXPECT_EQ(test, c[1], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name("alloc_zspage"),
			(u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name("alloc_migration_target"),
			(u8)KS_CLASS_USER);
}

/* The module filter, as the classifier applies it. */
static void attrib_classify_filter(struct kunit *test)
{
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	char longname[MODULE_NAME_LEN + 8];
	unsigned long flags;
	u8 c[6];

	ks_attrib_init();
	local_irq_save(flags);
	c[0] = ks_attrib_classify(core_site, KS_KMALLOC, 0);
	c[1] = ks_attrib_classify(KS_UNKNOWN_CALLER, KS_PAGE, 0);
	c[2] = ks_attrib_classify(core_site, KS_PAGE, 0);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("null_blk");
	local_irq_save(flags);
	c[3] = ks_attrib_classify(core_site, KS_KMALLOC, 0);
	c[4] = ks_attrib_classify(KS_UNKNOWN_CALLER, KS_PAGE, 0);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("kernel");
	local_irq_save(flags);
	c[5] = ks_attrib_classify(core_site, KS_KMALLOC, 0);
	local_irq_restore(flags);
	KUNIT_EXPECT_STREQ(test, ks_attrib_module_filter(), "kernel");

	KUNIT_EXPECT_EQ(test, c[0], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[1], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[2], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[3], (u8)KS_CLASS_EXCLUDED);
	KUNIT_EXPECT_EQ(test, c[4], (u8)KS_CLASS_EXCLUDED);
	KUNIT_EXPECT_EQ(test, c[5], (u8)KS_CLASS_OBJECT);

	/* A name too long for a module is cut, not overrun. */
	memset(longname, 'm', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ks_attrib_set_module_filter(longname);
	KUNIT_EXPECT_EQ(test, strlen(ks_attrib_module_filter()),
			(size_t)MODULE_NAME_LEN - 1);
	ks_attrib_set_module_filter("");
	KUNIT_EXPECT_STREQ(test, ks_attrib_module_filter(), "");
}

static struct kunit_case ks_attrib_cases[] = {
	KUNIT_CASE(attrib_range_find),
	KUNIT_CASE_PARAM(attrib_class_of_name, class_gen_params),
	KUNIT_CASE_PARAM(attrib_site_module, site_module_gen_params),
	KUNIT_CASE_PARAM(attrib_func_name, func_name_gen_params),
	KUNIT_CASE(attrib_func_size),
	KUNIT_CASE(attrib_skip),
	KUNIT_CASE(attrib_learn_page_path),
	KUNIT_CASE(attrib_classify_filter),
	KUNIT_CASE(attrib_calib_context),
	KUNIT_CASE(attrib_classify_movable),
	{}
};

static struct kunit_suite ks_attrib_suite = {
	.name = "kmemscope_attribution",
	.test_cases = ks_attrib_cases,
};

/* ---- growth test ---- */

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

/* ---- grouping ---- */

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

kunit_test_suites(&ks_parse_suite, &ks_stacks_suite, &ks_attrib_suite,
		  &ks_trend_suite, &ks_group_suite);
