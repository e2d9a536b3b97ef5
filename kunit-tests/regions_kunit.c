// SPDX-License-Identifier: GPL-2.0
/*
 * regions_kunit.c - KUnit suite for the range arithmetic behind the
 * reserved, memblock and account files (module/regions.c): overlaps,
 * adjacency, merging, no-map regions inside memory, regions outside RAM,
 * whole pages, and the end of the address space.
 */
#include "../module/regions.c"

#include <kunit/test.h>

#define MB	(1024ULL * 1024)
#define R(b, s)	{ .base = (b), .size = (s) }

/* ---- two ranges ---- */

struct overlap_case {
	const char *name;
	struct ks_range a, b;
	u64 bytes;
};

static const struct overlap_case overlap_cases[] = {
	{ "disjoint", R(0, 10), R(20, 10), 0 },
	{ "adjacent", R(0, 10), R(10, 10), 0 },
	{ "partial", R(0, 10), R(5, 10), 5 },
	{ "contained", R(0, 100), R(10, 20), 20 },
	{ "identical", R(40, 8), R(40, 8), 8 },
	{ "empty", R(5, 0), R(0, 10), 0 },
	{ "one byte", R(9, 1), R(0, 10), 1 },
	{ "runs past the end", R(U64_MAX - 9, 100), R(U64_MAX - 4, 2), 2 },
};

static void overlap_desc(const struct overlap_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(overlap, overlap_cases, overlap_desc);

static void ks_regions_overlap_test(struct kunit *test)
{
	const struct overlap_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_range_overlap(&c->a, &c->b), c->bytes);
	/* Symmetric. */
	KUNIT_EXPECT_EQ(test, ks_range_overlap(&c->b, &c->a), c->bytes);
}

static void ks_regions_end_test(struct kunit *test)
{
	struct ks_range r = R(U64_MAX - 9, 100), s = R(100, 28);

	KUNIT_EXPECT_EQ(test, ks_range_end(&r), U64_MAX);
	KUNIT_EXPECT_EQ(test, ks_range_end(&s), 128ULL);
}

/* ---- normalising a set ---- */

#define MAXN 6

struct norm_case {
	const char *name;
	unsigned int n;
	struct ks_range in[MAXN];
	unsigned int out_n;
	struct ks_range out[MAXN];
	u64 total;
};

static const struct norm_case norm_cases[] = {
	{ "empty set", 0, {}, 0, {}, 0 },
	{ "one", 1, { R(10, 5) }, 1, { R(10, 5) }, 5 },
	{ "unsorted, disjoint", 3, { R(50, 5), R(10, 5), R(30, 5) },
	  3, { R(10, 5), R(30, 5), R(50, 5) }, 15 },
	{ "overlapping", 2, { R(10, 20), R(20, 20) }, 1, { R(10, 30) }, 30 },
	{ "adjacent merge", 3, { R(20, 10), R(0, 10), R(10, 10) },
	  1, { R(0, 30) }, 30 },
	{ "contained", 2, { R(0, 100), R(10, 10) }, 1, { R(0, 100) }, 100 },
	{ "empty ranges dropped", 3, { R(5, 0), R(10, 5), R(90, 0) },
	  1, { R(10, 5) }, 5 },
	{ "all empty", 2, { R(5, 0), R(6, 0) }, 0, {}, 0 },
	{ "duplicates", 3, { R(8, 8), R(8, 8), R(8, 8) }, 1, { R(8, 8) }, 8 },
	{ "gap kept", 2, { R(0, 10), R(11, 10) }, 2, { R(0, 10), R(11, 10) }, 20 },
	/* Ends are exclusive: the last byte of the address space is not. */
	{ "clipped at the end", 2, { R(U64_MAX - 9, 100), R(U64_MAX - 19, 10) },
	  1, { R(U64_MAX - 19, 19) }, 19 },
};

static void norm_desc(const struct norm_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(norm, norm_cases, norm_desc);

static void ks_regions_normalize_test(struct kunit *test)
{
	const struct norm_case *c = test->param_value;
	struct ks_range r[MAXN];
	unsigned int i, n;

	memcpy(r, c->in, sizeof(r));
	n = ks_ranges_normalize(r, c->n);
	KUNIT_ASSERT_EQ(test, n, c->out_n);
	for (i = 0; i < n; i++) {
		KUNIT_EXPECT_EQ(test, r[i].base, c->out[i].base);
		KUNIT_EXPECT_EQ(test, r[i].size, c->out[i].size);
	}
	KUNIT_EXPECT_EQ(test, ks_ranges_total(r, n), c->total);
	/* Normalising twice changes nothing. */
	KUNIT_EXPECT_EQ(test, ks_ranges_normalize(r, n), n);
}

/* ---- a region against RAM ---- */

/* Two banks of RAM with a hole between them, as on many SoCs. */
static const struct ks_range ram[] = { R(0x40000000, 256 * MB),
				       R(0x60000000, 256 * MB) };

struct where_case {
	const char *name;
	struct ks_range r;
	enum ks_where where;
};

static const struct where_case where_cases[] = {
	{ "no-map inside memory", R(0x4ff00000, MB), KS_IN_RAM },
	{ "first byte of RAM", R(0x40000000, 1), KS_IN_RAM },
	{ "last byte of RAM", R(0x6fffffff, 1), KS_IN_RAM },
	{ "straddles the end of a bank", R(0x4ff00000, 2 * MB), KS_PARTLY_IN_RAM },
	{ "in the hole", R(0x58000000, MB), KS_OUTSIDE_RAM },
	{ "spans the hole", R(0x4f000000, 0x12000000), KS_PARTLY_IN_RAM },
	{ "adjacent below RAM", R(0x3ff00000, MB), KS_OUTSIDE_RAM },
	{ "above RAM", R(0x80000000, 16 * MB), KS_OUTSIDE_RAM },
	{ "empty", R(0x40000000, 0), KS_OUTSIDE_RAM },
};

static void where_desc(const struct where_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(where, where_cases, where_desc);

static void ks_regions_where_test(struct kunit *test)
{
	const struct where_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_range_where(&c->r, ram, ARRAY_SIZE(ram)), c->where);
}

/* No-map regions inside memory: the bytes the kernel loses to them. */
static void ks_regions_nomap_sum_test(struct kunit *test)
{
	struct ks_range nomap[] = {
		R(0x4ff00000, MB),		/* secure monitor, in bank 0 */
		R(0x4fa00000, 4 * MB),		/* wlan firmware, in bank 0 */
		R(0x4f800000, 2 * MB),		/* dsp, adjacent to wlan */
		R(0x58000000, 8 * MB),		/* declared in the hole */
		R(0x6ff00000, 2 * MB),		/* half past the end of RAM */
	};
	struct ks_range mem[ARRAY_SIZE(ram)];
	unsigned int n, nm;

	memcpy(mem, ram, sizeof(mem));
	nm = ks_ranges_normalize(mem, ARRAY_SIZE(mem));
	n = ks_ranges_normalize(nomap, ARRAY_SIZE(nomap));
	/* dsp and wlan merge; the rest stay apart. */
	KUNIT_EXPECT_EQ(test, n, 4U);
	KUNIT_EXPECT_EQ(test, ks_ranges_total(nomap, n), 17 * MB);
	KUNIT_EXPECT_EQ(test, ks_ranges_overlap(nomap, n, mem, nm), 8 * MB);
	KUNIT_EXPECT_EQ(test, ks_ranges_overlap(mem, nm, nomap, n), 8 * MB);
	KUNIT_EXPECT_EQ(test, ks_ranges_overlap(nomap, n, mem, 0), 0ULL);
}

/* ---- whole pages ---- */

struct pages_case {
	const char *name;
	struct ks_range r;
	unsigned int shift;	/* 12: 4 KiB pages, 14: 16 KiB pages */
	u64 pages;
};

static const struct pages_case pages_cases[] = {
	{ "aligned", R(0x1000, 0x3000), 12, 3 },
	{ "x86 low RAM (0x1000-0x9fbff)", R(0x1000, 0x9ec00), 12, 158 },
	{ "unaligned both ends", R(0x1800, 0x2000), 12, 1 },
	{ "smaller than a page", R(0x1100, 0x100), 12, 0 },
	{ "one page after an unaligned start", R(0xfff, 0x1001), 12, 1 },
	{ "a page less one byte", R(0x1000, 0xfff), 12, 0 },
	{ "empty", R(0x1000, 0), 12, 0 },
	{ "top of the address space", R(U64_MAX - 0x2fff, 0x3000), 12, 2 },
	{ "base in the last page", R(U64_MAX - 10, 5), 12, 0 },
	/* The same arithmetic with 16 KiB pages (arm64-6.12-16k). */
	{ "16K: aligned", R(0x4000, 0xc000), 14, 3 },
	{ "16K: 4 KiB-aligned ends", R(0x1000, 0x7000), 14, 1 },
	{ "16K: x86 low RAM (0x1000-0x9fbff)", R(0x1000, 0x9ec00), 14, 38 },
	{ "16K: a 4 KiB page", R(0x4000, 0x1000), 14, 0 },
	{ "16K: a page less one byte", R(0x4000, 0x3fff), 14, 0 },
	{ "16K: no-map carve-out (2 MB at 0x4fe00000)", R(0x4fe00000, 0x200000), 14, 128 },
	{ "16K: top of the address space", R(U64_MAX - 0xbfff, 0xc000), 14, 2 },
	{ "16K: base in the last page", R(U64_MAX - 0x3ff0, 0x100), 14, 0 },
};

static void pages_desc(const struct pages_case *c, char *desc)
{
	strscpy(desc, c->name, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(pages, pages_cases, pages_desc);

static void ks_regions_pages_test(struct kunit *test)
{
	const struct pages_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_range_whole_pages(&c->r, c->shift), c->pages);
}

static struct kunit_case ks_regions_cases[] = {
	KUNIT_CASE_PARAM(ks_regions_overlap_test, overlap_gen_params),
	KUNIT_CASE(ks_regions_end_test),
	KUNIT_CASE_PARAM(ks_regions_normalize_test, norm_gen_params),
	KUNIT_CASE_PARAM(ks_regions_where_test, where_gen_params),
	KUNIT_CASE(ks_regions_nomap_sum_test),
	KUNIT_CASE_PARAM(ks_regions_pages_test, pages_gen_params),
	{}
};

static struct kunit_suite ks_regions_suite = {
	.name = "kmemscope_regions",
	.test_cases = ks_regions_cases,
};

kunit_test_suites(&ks_regions_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kmemscope's range arithmetic");
