// SPDX-License-Identifier: GPL-2.0
/*
 * format_kunit.c - KUnit suite for the text the views print
 * (module/format.c): call-site names and labels, gfp flags, /proc/meminfo
 * fields and unload reports.
 */
#include <kunit/test.h>

#include "../module/format.c"

/* ---- gfp flags ---- */

struct gfp_case {
	const char *desc;
	u32 gfp;
	const char *str;
};

static const struct gfp_case gfp_cases[] = {
	{ "none", 0, "0" },
	{ "GFP_KERNEL", (__force u32)GFP_KERNEL, "GFP_KERNEL" },
	{ "GFP_KERNEL|__GFP_ZERO", (__force u32)(GFP_KERNEL | __GFP_ZERO),
	  "GFP_KERNEL|__GFP_ZERO" },
	{ "GFP_KERNEL_ACCOUNT", (__force u32)GFP_KERNEL_ACCOUNT,
	  "GFP_KERNEL|__GFP_ACCOUNT" },
	{ "GFP_USER", (__force u32)GFP_USER, "GFP_KERNEL|__GFP_HARDWALL" },
	{ "GFP_ATOMIC", (__force u32)GFP_ATOMIC, "GFP_ATOMIC" },
	{ "GFP_NOIO", (__force u32)GFP_NOIO, "GFP_NOIO" },
	{ "GFP_NOFS", (__force u32)GFP_NOFS, "GFP_NOFS" },
	{ "GFP_NOFS|__GFP_ZERO", (__force u32)(GFP_NOFS | __GFP_ZERO),
	  "GFP_NOFS|__GFP_ZERO" },
	{ "GFP_KERNEL|__GFP_HIGH", (__force u32)(GFP_KERNEL | __GFP_HIGH),
	  "GFP_KERNEL|__GFP_HIGH" },
	{ "GFP_NOWAIT", (__force u32)GFP_NOWAIT, "GFP_NOWAIT" },
	{ "bits only", (__force u32)(__GFP_DMA | __GFP_ZERO),
	  "__GFP_ZERO|__GFP_DMA" },
	{ "one bit", (__force u32)__GFP_NOFAIL, "__GFP_NOFAIL" },
	{ "an unnamed bit", 0x80000000, "0x80000000" },
	{ "a set and an unnamed bit", (__force u32)GFP_KERNEL | 0x80000000,
	  "GFP_KERNEL|0x80000000" },
};

static void gfp_case_desc(const struct gfp_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(gfp, gfp_cases, gfp_case_desc);

static void format_gfp(struct kunit *test)
{
	const struct gfp_case *c = test->param_value;
	char buf[KS_GFP_STR_LEN];

	KUNIT_EXPECT_EQ(test, ks_format_gfp(buf, sizeof(buf), c->gfp),
			strlen(c->str));
	KUNIT_EXPECT_STREQ(test, buf, c->str);
}

static void format_gfp_room(struct kunit *test)
{
	char buf[KS_GFP_STR_LEN], small[12];
	size_t n;

	/*
	 * Every bit set fits the room the header promises (all 32 are
	 * KS_GFP_UNKNOWN, below: no gfp_t has its top bit).
	 */
	n = ks_format_gfp(buf, sizeof(buf), U32_MAX >> 1);
	KUNIT_EXPECT_LT(test, n, sizeof(buf) - 1);
	KUNIT_EXPECT_EQ(test, strlen(buf), n);
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "|__GFP_ZERO|__GFP_COMP|"));
	KUNIT_EXPECT_NOT_NULL(test, strstr(buf, "|0x"));
	/* A small buffer is cut, and still terminated. */
	memset(small, 'x', sizeof(small));
	n = ks_format_gfp(small, sizeof(small),
			  (__force u32)(GFP_KERNEL | __GFP_ZERO));
	KUNIT_EXPECT_EQ(test, n, sizeof(small) - 1);
	KUNIT_EXPECT_STREQ(test, small, "GFP_KERNEL|");
	n = ks_format_gfp(small, 1, (__force u32)GFP_KERNEL);
	KUNIT_EXPECT_EQ(test, n, (size_t)0);
	KUNIT_EXPECT_STREQ(test, small, "");
	/* Flags the kernel did not report (5.10's percpu event). */
	n = ks_format_gfp(buf, sizeof(buf), KS_GFP_UNKNOWN);
	KUNIT_EXPECT_EQ(test, n, strlen("n/a"));
	KUNIT_EXPECT_STREQ(test, buf, "n/a");
}

/* ---- call-site names and labels ---- */

struct tidy_case {
	const char *sym;
	size_t size;
	const char *site;
};

static const struct tidy_case tidy_cases[] = {
	{ "null_add_dev+0x143/0x9a0 [null_blk]", KSYM_SYMBOL_LEN,
	  "null_add_dev+0x143 [null_blk]" },
	{ "copy_process+0x20e/0x1c40", KSYM_SYMBOL_LEN,
	  "copy_process+0x20e [kernel]" },
	{ "copy_process+0x20e", KSYM_SYMBOL_LEN, "copy_process+0x20e [kernel]" },
	{ "0xffffffffc0001234", KSYM_SYMBOL_LEN, "0xffffffffc0001234 [unknown]" },
	{ "f+0x1 [m]", KSYM_SYMBOL_LEN, "f+0x1 [m]" },
	{ "f+0x1/0x2 [m] [n]", KSYM_SYMBOL_LEN, "f+0x1 [m] [n]" },
	{ "", KSYM_SYMBOL_LEN, " [unknown]" },
	/* no room for the module: cut, and terminated */
	{ "f+0x1/0x20", 10, "f+0x1 [ke" },
	{ "f+0x1", 6, "f+0x1" },
};

static void tidy_case_desc(const struct tidy_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' in %zu", c->sym, c->size);
}

KUNIT_ARRAY_PARAM(tidy, tidy_cases, tidy_case_desc);

static void format_site_tidy(struct kunit *test)
{
	const struct tidy_case *c = test->param_value;
	char sym[KSYM_SYMBOL_LEN];

	strscpy(sym, c->sym, sizeof(sym));
	ks_site_tidy(sym, c->size);
	KUNIT_EXPECT_STREQ(test, sym, c->site);
}

struct state_case {
	const char *module;
	u8 retired;
	const char *state;
};

static const struct state_case state_cases[] = {
	{ "kernel", KS_LIVE, "builtin" },
	{ "unknown", KS_LIVE, "unknown" },
	{ "null_blk", KS_LIVE, "loaded" },
	{ "null_blk", KS_RETIRED_INIT, "loaded" },
	{ "null_blk", KS_RETIRED_UNLOAD, "unloaded" },
	{ "kernel", KS_RETIRED_UNLOAD, "unloaded" },
	{ "unknown", KS_RETIRED_UNLOAD, "unloaded" },
	{ "", KS_LIVE, "loaded" },
	{ "Kernel", KS_LIVE, "loaded" },
};

static void state_case_desc(const struct state_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s' retired %u", c->module,
		 c->retired);
}

KUNIT_ARRAY_PARAM(state, state_cases, state_case_desc);

static void format_site_state(struct kunit *test)
{
	const struct state_case *c = test->param_value;

	KUNIT_EXPECT_STREQ(test, ks_site_state(c->module, c->retired), c->state);
}

static void format_label(struct kunit *test)
{
	struct ks_site_label *l = kunit_kzalloc(test, sizeof(*l), GFP_KERNEL);
	char want[KSYM_SYMBOL_LEN];

	KUNIT_ASSERT_NOT_NULL(test, l);
	/* Retired sites print the name they were given. */
	ks_label(l, 0x1234, "gone_fn+0x10 [gone]", KS_RETIRED_UNLOAD);
	KUNIT_EXPECT_STREQ(test, l->name, "gone_fn+0x10 [gone]");
	KUNIT_EXPECT_STREQ(test, l->module, "gone");
	KUNIT_EXPECT_STREQ(test, l->state, "unloaded");
	ks_label(l, 0x1234, "gone_init+0x4 [gone]", KS_RETIRED_INIT);
	KUNIT_EXPECT_STREQ(test, l->state, "loaded");
	ks_label(l, 0x1234, NULL, KS_RETIRED_UNLOAD);
	KUNIT_EXPECT_STREQ(test, l->name, "(unloaded code) [unknown]");
	KUNIT_EXPECT_STREQ(test, l->module, "unknown");
	KUNIT_EXPECT_STREQ(test, l->state, "unloaded");
	/* Page allocations whose caller was not found. */
	ks_label(l, KS_UNKNOWN_CALLER, NULL, KS_LIVE);
	KUNIT_EXPECT_STREQ(test, l->name, "(caller not found) [unknown]");
	KUNIT_EXPECT_STREQ(test, l->state, "unknown");
	/* Live sites are named from the running kernel's symbols. */
	ks_label(l, (unsigned long)&kstrtouint + 2, NULL, KS_LIVE);
	KUNIT_EXPECT_STREQ(test, l->name, "kstrtouint+0x2 [kernel]");
	KUNIT_EXPECT_STREQ(test, l->module, "kernel");
	KUNIT_EXPECT_STREQ(test, l->state, "builtin");
	ks_label(l, (unsigned long)&format_label, NULL, KS_LIVE);
	snprintf(want, sizeof(want), "%s+0x0 [%s]", __func__, KBUILD_MODNAME);
	KUNIT_EXPECT_STREQ(test, l->name, want);
	KUNIT_EXPECT_STREQ(test, l->module, KBUILD_MODNAME);
	KUNIT_EXPECT_STREQ(test, l->state, "loaded");
	/* No symbol at all: the address as %pK prints it here. */
	ks_label(l, 0x10, NULL, KS_LIVE);
	snprintf(want, sizeof(want), "%pK [unknown]", (void *)0x10);
	KUNIT_EXPECT_STREQ(test, l->name, want);
	KUNIT_EXPECT_STREQ(test, l->state, "unknown");
	/* Retired with one: printed again, for this reader. */
	ks_label(l, 0x10, "0x10 [unknown]", KS_RETIRED_UNLOAD);
	KUNIT_EXPECT_STREQ(test, l->name, want);
	KUNIT_EXPECT_STREQ(test, l->state, "unloaded");
	/* A short buffer is cut. */
	KUNIT_EXPECT_EQ(test, ks_format_site(want, 8, KS_UNKNOWN_CALLER),
			-E2BIG);
	KUNIT_EXPECT_STREQ(test, want, "(caller");
}

/* ---- /proc/meminfo ---- */

struct meminfo_case {
	const char *desc;
	const char *text;
	const char *key;
	long value;
};

static const struct meminfo_case meminfo_cases[] = {
	{ "a field", "MemTotal: 1 kB\nSlab:    2048 kB\n", "\nSlab:", 2048 },
	{ "zero", "MemTotal: 1 kB\nVmallocUsed:  0 kB\n", "\nVmallocUsed:", 0 },
	{ "absent", "MemTotal: 1 kB\nSlab: 5 kB\n", "\nPercpu:", -1 },
	{ "not a number", "MemTotal: 1 kB\nSlab: x kB\n", "\nSlab:", -1 },
	{ "at the end, no value", "MemTotal: 1 kB\nSlab:", "\nSlab:", -1 },
	{ "not a suffix of another name", "X: 1\nSReclaimable: 7\nSlab: 9\n",
	  "\nSlab:", 9 },
	{ "first line, no newline before it", "Slab: 3 kB\n", "\nSlab:", -1 },
	{ "empty", "", "\nSlab:", -1 },
};

static void meminfo_case_desc(const struct meminfo_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(meminfo, meminfo_cases, meminfo_case_desc);

static void format_meminfo_field(struct kunit *test)
{
	const struct meminfo_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_meminfo_field(c->text, c->key), c->value);
}

/* ---- unload reports ---- */

#define SNAP(n, r, b, c) \
	{ .name = (n), .retired = (r), .live_bytes = (b), .live_count = (c) }

static const struct ks_site_snap report_sites[] = {
	SNAP("a_fn+0x10 [drv]", KS_RETIRED_UNLOAD, 64, 1),
	SNAP("b_fn+0x20 [drv]", KS_RETIRED_UNLOAD, 4096, 2),
	SNAP("c_fn+0x30 [drv]", KS_RETIRED_UNLOAD, 512, 4),
	SNAP("d_fn+0x40 [drv]", KS_RETIRED_UNLOAD, 1024, 1),
	/* not counted: another module, freed, still loaded, __init only */
	SNAP("e_fn+0x50 [drv2]", KS_RETIRED_UNLOAD, 99999, 9),
	SNAP("f_fn+0x60 [drv]", KS_RETIRED_UNLOAD, 0, 0),
	SNAP("g_fn+0x70 [drv]", KS_LIVE, 88888, 8),
	SNAP("h_fn+0x80 [drv]", KS_RETIRED_INIT, 77777, 7),
	SNAP(NULL, KS_RETIRED_UNLOAD, 66666, 6),
};

static const struct ks_site_snap report_nosym[] = {
	SNAP("ffffffffc0001000 [unknown]", KS_RETIRED_UNLOAD, 32, 1),
};

static void format_report(struct kunit *test)
{
	unsigned int n = ARRAY_SIZE(report_sites);
	char buf[320], small[40];

	KUNIT_ASSERT_TRUE(test, ks_format_report(report_sites, n, "drv", 0, 0, buf,
						 sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf,
			   "drv unloaded holding 5696 bytes in 8 allocations; top: b_fn+0x20 4096/2, d_fn+0x40 1024/1, c_fn+0x30 512/4");
	/* Fewer sites than the top: each named once. */
	KUNIT_ASSERT_TRUE(test, ks_format_report(report_sites, 1, "drv", 0, 0, buf,
						 sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf,
			   "drv unloaded holding 64 bytes in 1 allocations; top: a_fn+0x10 64/1");
	/* A site with no symbol is not named in the kernel log. */
	KUNIT_ASSERT_TRUE(test, ks_format_report(report_nosym, 1, "unknown", 0, 0,
						 buf, sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf,
			   "unknown unloaded holding 32 bytes in 1 allocations; top: (no-symbol) 32/1");
	/* Nothing held: no report, and the buffer is left alone. */
	strscpy(buf, "untouched", sizeof(buf));
	KUNIT_EXPECT_FALSE(test, ks_format_report(report_sites, n, "nodrv", 0, 0, buf,
						  sizeof(buf)));
	KUNIT_EXPECT_FALSE(test, ks_format_report(report_sites, 0, "drv", 0, 0, buf,
						  sizeof(buf)));
	KUNIT_EXPECT_FALSE(test, ks_format_report(report_sites + 5, 4, "drv", 0, 0,
						  buf, sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf, "untouched");
	/* A short buffer is cut, and terminated. */
	memset(small, 'x', sizeof(small));
	KUNIT_EXPECT_TRUE(test, ks_format_report(report_sites, n, "drv", 0, 0, small,
						 sizeof(small)));
	KUNIT_EXPECT_EQ(test, strlen(small), sizeof(small) - 1);
	KUNIT_EXPECT_EQ(test, strncmp(small, "drv unloaded holding 5696", 25), 0);
	/* One load's sites, with what all loads hold: both figures. */
	KUNIT_ASSERT_TRUE(test, ks_format_report(report_sites, 1, "drv", 640, 10,
						 buf, sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf,
			   "drv unloaded holding 64 bytes in 1 allocations (all its loads: 640 bytes in 10); top: a_fn+0x10 64/1");
	/* All loads hold no more than this one: as without. */
	KUNIT_ASSERT_TRUE(test, ks_format_report(report_sites, 1, "drv", 64, 1,
						 buf, sizeof(buf)));
	KUNIT_EXPECT_STREQ(test, buf,
			   "drv unloaded holding 64 bytes in 1 allocations; top: a_fn+0x10 64/1");
}

static struct kunit_case ks_format_cases[] = {
	KUNIT_CASE_PARAM(format_gfp, gfp_gen_params),
	KUNIT_CASE(format_gfp_room),
	KUNIT_CASE_PARAM(format_site_tidy, tidy_gen_params),
	KUNIT_CASE_PARAM(format_site_state, state_gen_params),
	KUNIT_CASE(format_label),
	KUNIT_CASE_PARAM(format_meminfo_field, meminfo_gen_params),
	KUNIT_CASE(format_report),
	{}
};

static struct kunit_suite ks_format_suite = {
	.name = "kmemscope_format",
	.test_cases = ks_format_cases,
};

kunit_test_suite(ks_format_suite);
