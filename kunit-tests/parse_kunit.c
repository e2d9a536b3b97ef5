// SPDX-License-Identifier: GPL-2.0
/*
 * parse_kunit.c - KUnit suite for the control file's parser (module/parse.c).
 */
#include "../module/parse.c"

#include <kunit/test.h>

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
	{ "stacks on module=null_blk", 0, KS_CMD_STACKS_MODULE, 0, "null_blk" },
	{ "stacks on module=scsi-debug\n", 0, KS_CMD_STACKS_MODULE, 0, "scsi_debug" },
	{ "stacks on module=kernel", 0, KS_CMD_STACKS_MODULE, 0, "kernel" },
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
	{ "stacks on module=", -EINVAL },
	{ "stacks on module", -EINVAL },
	{ "stacks on module null_blk", -EINVAL },
	{ "stacks on module=a.b", -EINVAL },
	{ "stacks on module=null_blk extra", -EINVAL },
	{ "stacks off module=null_blk", -EINVAL },
	{ "stacks on Module=null_blk", -EINVAL },
	/* 56 letters: a module name has at most MODULE_NAME_LEN - 1 */
	{ "stacks on module=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  -EINVAL },
	{ "stacks on module=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
	  0, KS_CMD_STACKS_MODULE, 0,
	  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" },
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

kunit_test_suite(ks_parse_suite);
