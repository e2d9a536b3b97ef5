// SPDX-License-Identifier: GPL-2.0
/*
 * store_kunit.c - KUnit suite for kmemscope's record store (module/store.c).
 *
 * The store is compiled into this test module (it has no global state),
 * so every case builds a private store and checks exact figures.
 */
#include <kunit/test.h>
#include <linux/kthread.h>
#include <linux/completion.h>

#include "../module/store.c"
#include "../module/attrib.h"

#define SITE_A	0x1000UL
#define SITE_B	0x2000UL
#define SITE_C	0x3000UL

/* Record one allocation the way a hook does: with interrupts off. */
static int al(struct ks_store *st, unsigned long ptr, unsigned long site,
	      size_t req, size_t alloc, u8 kind)
{
	struct ks_alloc a = {
		.ptr = ptr, .call_site = site, .bytes_req = req,
		.bytes_alloc = alloc, .kind = kind,
	};
	unsigned long flags;
	int ret;

	local_irq_save(flags);
	ret = ks_store_alloc(st, &a);
	local_irq_restore(flags);
	return ret;
}

/* Forget one allocation the way a hook does. */
static bool fr(struct ks_store *st, unsigned long ptr, u8 kind)
{
	unsigned long flags;
	bool ret;

	local_irq_save(flags);
	ret = ks_store_free(st, ptr, kind);
	local_irq_restore(flags);
	return ret;
}

static struct ks_store *new_store(struct kunit *test, unsigned int records,
				  unsigned int sites)
{
	struct ks_store *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_ASSERT_EQ(test, ks_store_init(st, records, sites), 0);
	return st;
}

static struct ks_site_snap *find_site(struct kunit *test, struct ks_store *st,
				      unsigned long key, bool retired)
{
	struct ks_site_snap *snap;
	unsigned int i, n;

	snap = kunit_kcalloc(test, st->max_sites, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	n = ks_store_snapshot_sites(st, snap, st->max_sites);
	for (i = 0; i < n; i++)
		if (snap[i].key == key && !!snap[i].retired == retired)
			return &snap[i];
	return NULL;
}

/* Site @key's lifetime and live counters are these.  Return: its copy. */
static struct ks_site_snap *expect_site(struct kunit *test,
					struct ks_store *st, unsigned long key,
					long allocs, long frees,
					long live_bytes, long live_req)
{
	struct ks_site_snap *s = find_site(test, st, key, false);

	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->allocs, allocs);
	KUNIT_EXPECT_EQ(test, s->frees, frees);
	KUNIT_EXPECT_EQ(test, s->live_count, allocs - frees);
	KUNIT_EXPECT_EQ(test, s->live_bytes, live_bytes);
	KUNIT_EXPECT_EQ(test, s->live_req, live_req);
	return s;
}

/* ---- init parameters ---- */

struct init_case {
	const char *desc;
	unsigned int records, sites;
	int ret;
};

static const struct init_case init_cases[] = {
	{ "smallest", KS_MIN_RECORDS, KS_MIN_SITES, 0 },
	{ "not a power of two", 1000, 100, 0 },
	{ "too few records", KS_MIN_RECORDS - 1, KS_MIN_SITES, -EINVAL },
	{ "too many records", KS_MAX_RECORDS + 1, KS_MIN_SITES, -EINVAL },
	{ "zero records", 0, KS_MIN_SITES, -EINVAL },
	{ "too few sites", KS_MIN_RECORDS, KS_MIN_SITES - 1, -EINVAL },
	{ "too many sites", KS_MIN_RECORDS, KS_MAX_SITES + 1, -EINVAL },
};

static void init_case_desc(const struct init_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(init, init_cases, init_case_desc);

static void store_init_params(struct kunit *test)
{
	const struct init_case *c = test->param_value;
	struct ks_store *st = kunit_kzalloc(test, sizeof(*st), GFP_KERNEL);

	KUNIT_ASSERT_NOT_NULL(test, st);
	KUNIT_EXPECT_EQ(test, ks_store_init(st, c->records, c->sites), c->ret);
	if (!c->ret) {
		KUNIT_EXPECT_EQ(test, st->nr_records, c->records);
		KUNIT_EXPECT_GE(test, 1U << st->bucket_bits, c->records);
		KUNIT_EXPECT_GE(test, 1U << st->site_bits, 2 * c->sites);
		ks_store_destroy(st);
	}
}

/* ---- record and free ---- */

static void store_alloc_lookup_free(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_record_info info;
	struct ks_site_snap *s;

	KUNIT_EXPECT_EQ(test, al(st, 0xa000, SITE_A, 100, 128, KS_KMALLOC), 0);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0xa000, &info));
	KUNIT_EXPECT_EQ(test, info.call_site, SITE_A);
	KUNIT_EXPECT_EQ(test, info.bytes_req, 100U);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 128U);
	KUNIT_EXPECT_EQ(test, info.kind, (u8)KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);

	expect_site(test, st, SITE_A, 1, 0, 128, 100);

	KUNIT_EXPECT_TRUE(test, fr(st, 0xa000, KS_KMALLOC));
	KUNIT_EXPECT_FALSE(test, ks_store_lookup(st, 0xa000, NULL));
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, s->live_count, 0L);
	KUNIT_EXPECT_EQ(test, s->allocs, 1L);
	KUNIT_EXPECT_EQ(test, s->frees, 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_peak), 1L);
	ks_store_destroy(st);
}

static void store_sites_aggregate(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_kind_totals t[KS_NR_KINDS];
	struct ks_site_snap *s;

	al(st, 0x100, SITE_A, 10, 16, KS_KMALLOC);
	al(st, 0x200, SITE_A, 30, 32, KS_KMALLOC);
	al(st, 0x300, SITE_A, 60, 64, KS_KMALLOC);
	al(st, 0x400, SITE_B, 200, 200, KS_KMEM_CACHE);
	fr(st, 0x200, KS_KMALLOC);

	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 80L);
	KUNIT_EXPECT_EQ(test, s->live_req, 70L);
	KUNIT_EXPECT_EQ(test, s->live_count, 2L);
	KUNIT_EXPECT_EQ(test, s->allocs, 3L);
	KUNIT_EXPECT_EQ(test, s->frees, 1L);

	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_bytes, 80L);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].allocs, 3L);
	KUNIT_EXPECT_EQ(test, t[KS_KMEM_CACHE].live_bytes, 200L);
	KUNIT_EXPECT_EQ(test, t[KS_KMEM_CACHE].live_count, 1L);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 2);
	ks_store_destroy(st);
}

/* Fill p[n] with addresses, from base on, that hash to one bucket. */
static unsigned int same_bucket(struct ks_store *st, unsigned long base,
				unsigned long *p, unsigned int n)
{
	unsigned int b0 = ks_bucket(st, base), got = 0, i;

	for (i = 1; got < n && i < 100000; i++) {
		unsigned long q = base + i * 64;

		if (ks_bucket(st, q) == b0)
			p[got++] = q;
	}
	return got;
}

/* Addresses that share a bucket must not be confused. */
static void store_same_bucket(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	unsigned long p[8];
	unsigned int n, i;

	n = same_bucket(st, 0xffff888000000000UL, p, ARRAY_SIZE(p));
	KUNIT_ASSERT_EQ(test, n, (unsigned int)ARRAY_SIZE(p));
	for (i = 0; i < n; i++)
		KUNIT_EXPECT_EQ(test, al(st, p[i], SITE_A, i + 1, i + 1,
					 KS_KMALLOC), 0);
	/* Free from the middle, the head and the tail of the chain. */
	KUNIT_EXPECT_TRUE(test, fr(st, p[3], KS_KMALLOC));
	KUNIT_EXPECT_TRUE(test, fr(st, p[7], KS_KMALLOC));
	KUNIT_EXPECT_TRUE(test, fr(st, p[0], KS_KMALLOC));
	for (i = 0; i < n; i++) {
		struct ks_record_info info;
		bool live = i != 0 && i != 3 && i != 7;

		KUNIT_EXPECT_EQ(test, ks_store_lookup(st, p[i], &info), live);
		if (live)
			KUNIT_EXPECT_EQ(test, info.bytes_req, i + 1);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 5L);
	ks_store_destroy(st);
}

/* ---- what cannot be recorded is counted ---- */

static void store_pool_exhaustion(struct kunit *test)
{
	struct ks_store *st = new_store(test, KS_MIN_RECORDS, 16);
	unsigned int i;
	int round;

	for (round = 0; round < 3; round++) {
		for (i = 0; i < KS_MIN_RECORDS + 6; i++) {
			int ret = al(st, 0x10000 + i * 16, SITE_A,
						 8, 8, KS_KMALLOC);

			KUNIT_EXPECT_EQ(test, ret,
					i < KS_MIN_RECORDS ? 0 : -ENOSPC);
		}
		KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used),
				(long)KS_MIN_RECORDS);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_pool_full),
				6L * (round + 1));
		/* Frees of the dropped ones are untracked frees. */
		for (i = 0; i < KS_MIN_RECORDS + 6; i++)
			KUNIT_EXPECT_EQ(test, fr(st, 0x10000 + i * 16, KS_KMALLOC),
					i < KS_MIN_RECORDS);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
		KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]),
				6L * (round + 1));
	}
	ks_store_destroy(st);
}

static void store_site_table_full(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, KS_MIN_SITES);
	unsigned int i;

	for (i = 0; i < KS_MIN_SITES + 4; i++)
		KUNIT_EXPECT_EQ(test, al(st, 0x100 + i * 8, 0x5000 + i * 4,
					 8, 8, KS_KMALLOC),
				i < KS_MIN_SITES ? 0 : -ENOSPC);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), (int)KS_MIN_SITES);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_sites_full), 4L);
	/* A known site still records. */
	KUNIT_EXPECT_EQ(test, al(st, 0x9000, 0x5000, 8, 8, KS_KMALLOC), 0);
	ks_store_destroy(st);
}

static void store_untracked_free(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);

	KUNIT_EXPECT_FALSE(test, fr(st, 0xdead000, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	ks_store_destroy(st);
}

/* An address allocated again while its record lives: its free was missed. */
static void store_missed_free(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_site_snap *s;

	al(st, 0x700, SITE_A, 40, 64, KS_KMALLOC);
	al(st, 0x700, SITE_B, 90, 96, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->missed_frees), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, s->frees, 1L);
	s = find_site(test, st, SITE_B, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 96L);
	KUNIT_EXPECT_EQ(test, s->live_count, 1L);
	ks_store_destroy(st);
}

/* ---- retiring the sites of unloaded code ---- */

static bool match_a(unsigned long key, void *arg)
{
	return key == SITE_A;
}

/* The name passed as arg, or none. */
static const char *name_arg(unsigned long key, void *arg)
{
	return arg ? kstrdup(arg, GFP_KERNEL) : NULL;
}

#define GONE	((void *)"gone_func+0x10 [gone]")

static void store_retire_sites(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_site_snap *s;

	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);
	al(st, 0x200, SITE_A, 8, 8, KS_KMALLOC);
	al(st, 0x300, SITE_C, 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, ks_store_retire_sites(st, match_a, name_arg, GONE,
						    KS_RETIRED_UNLOAD), 1U);
	/* Frees of the old code's memory still reach the retired site. */
	fr(st, 0x100, KS_KMALLOC);
	/* New code at the same address gets a site of its own. */
	al(st, 0x400, SITE_A, 16, 16, KS_KMALLOC);

	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_STREQ(test, s->name, "gone_func+0x10 [gone]");
	KUNIT_EXPECT_EQ(test, s->live_count, 1L);
	KUNIT_EXPECT_EQ(test, s->allocs, 2L);
	KUNIT_EXPECT_EQ(test, s->frees, 1L);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 16L);
	KUNIT_EXPECT_EQ(test, s->allocs, 1L);
	/* Retiring again takes only the new, live site. */
	KUNIT_EXPECT_EQ(test, ks_store_retire_sites(st, match_a, name_arg, GONE,
						    KS_RETIRED_UNLOAD), 1U);
	ks_store_destroy(st);
}

/* ---- concurrent use ---- */

struct worker {
	struct ks_store *st;
	unsigned long base;
	unsigned int rounds;
	struct completion done;
};

static int store_worker(void *arg)
{
	struct worker *w = arg;
	unsigned int r, i;

	for (r = 0; r < w->rounds; r++) {
		for (i = 0; i < 32; i++)
			al(w->st, w->base + i * 64, SITE_A + (i & 3), i + 1,
			   64, KS_KMALLOC);
		for (i = 0; i < 32; i += 2)
			fr(w->st, w->base + i * 64, KS_KMALLOC);
		for (i = 1; i < 32; i += 2)
			fr(w->st, w->base + i * 64, KS_KMALLOC);
		cond_resched();
	}
	complete(&w->done);
	return 0;
}

static void store_concurrent(struct kunit *test)
{
	struct ks_store *st = new_store(test, 1024, 16);
	struct worker w[4];
	struct ks_kind_totals t[KS_NR_KINDS];
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(w); i++) {
		w[i].st = st;
		w[i].base = 0x100000UL * (i + 1);
		w[i].rounds = 500;
		init_completion(&w[i].done);
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(store_worker, &w[i],
							    "ks_store_%u", i)));
	}
	for (i = 0; i < ARRAY_SIZE(w); i++)
		wait_for_completion(&w[i].done);

	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].allocs, 4L * 500 * 32);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].frees, 4L * 500 * 32);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_GE(test, atomic_long_read(&st->records_peak), 32L);
	KUNIT_EXPECT_LE(test, atomic_long_read(&st->records_peak), 128L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->missed_frees), 0L);
	ks_store_destroy(st);
}

/* What pool_user does on its CPU: record, or forget, n allocations. */
struct pool_job {
	struct ks_store *st;
	unsigned long base;
	unsigned int n;
	bool free;
	unsigned int done_ok;
	struct completion done;
};

static int pool_user(void *arg)
{
	struct pool_job *j = arg;
	unsigned int i;

	for (i = 0; i < j->n; i++) {
		if (j->free ? fr(j->st, j->base + i * 64, KS_KMALLOC) :
			      !al(j->st, j->base + i * 64, SITE_A, 8, 8,
				  KS_KMALLOC))
			j->done_ok++;
	}
	complete(&j->done);
	return 0;
}

/* Run @j on @cpu and wait for it: how many of its calls succeeded. */
static unsigned int pool_run(struct kunit *test, struct pool_job *j,
			     unsigned int cpu)
{
	struct task_struct *t;

	j->done_ok = 0;
	init_completion(&j->done);
	t = kthread_create(pool_user, j, "ks_pool_%u", cpu);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, cpu);
	wake_up_process(t);
	wait_for_completion(&j->done);
	return j->done_ok;
}

/*
 * The pool is whole across CPUs: records freed on one CPU (kept in its
 * magazine) serve allocations on another once free_list runs dry, so the
 * pool is full only when every record is live.
 */
static void store_pool_across_cpus(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct pool_job j = { .st = st, .base = 0x100000UL, .n = 64 };
	unsigned int a, b;

	a = cpumask_first(cpu_online_mask);
	b = cpumask_next(a, cpu_online_mask);
	if (b >= nr_cpu_ids)
		kunit_skip(test, "needs two online CPUs");

	KUNIT_EXPECT_EQ(test, pool_run(test, &j, b), 64U);
	j.free = true;
	KUNIT_EXPECT_EQ(test, pool_run(test, &j, b), 64U);
	/* CPU b keeps KS_MAG_MAX of them in its magazine. */
	KUNIT_EXPECT_GT(test, st->mags[b].count, 0U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);

	j.free = false;
	j.base = 0x200000UL;
	j.n = 65;
	KUNIT_EXPECT_EQ(test, pool_run(test, &j, a), 64U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 64L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_peak), 64L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_pool_full), 1L);

	/* Given back on CPU a, taken again on CPU b: nothing lost. */
	j.free = true;
	j.n = 64;
	KUNIT_EXPECT_EQ(test, pool_run(test, &j, a), 64U);
	j.free = false;
	j.base = 0x300000UL;
	KUNIT_EXPECT_EQ(test, pool_run(test, &j, b), 64U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_pool_full), 1L);
	ks_store_destroy(st);
}

/* ---- classes, reset and the record cursor ---- */

static u32 count_stack(void *arg)
{
	(*(int *)arg)++;
	return 7;
}

/*
 * Record an allocation at (@ptr, @site, @kind) through
 * ks_store_alloc_stack(): whether the store asked for its backtrace.
 */
static int wants_stack(struct ks_store *st, unsigned long ptr,
		       unsigned long site, u8 kind)
{
	struct ks_alloc a = {
		.ptr = ptr, .call_site = site, .bytes_req = 8,
		.bytes_alloc = 8, .kind = kind,
	};
	unsigned long flags;
	int calls = 0;

	local_irq_save(flags);
	ks_store_alloc_stack(st, &a, count_stack, &calls);
	local_irq_restore(flags);
	return a.stack == 7 ? calls : -calls - 1;
}

static u8 class_by_site(unsigned long key, u8 kind, u8 hint, bool *stacks)
{
	*stacks = key == SITE_A;
	return key == SITE_C ? KS_CLASS_SLAB : KS_CLASS_OBJECT;
}

static void store_classify(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_kind_totals t[KS_NR_KINDS];

	st->classify = class_by_site;
	KUNIT_EXPECT_EQ(test, al(st, 0x100, SITE_C, 4096, 4096, KS_PAGE), -EAGAIN);
	KUNIT_EXPECT_EQ(test, al(st, 0x200, SITE_A, 4096, 4096, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->not_recorded[KS_CLASS_SLAB]), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_PAGE].live_bytes, 4096L);
	/* The same address under another allocator is another site. */
	KUNIT_EXPECT_EQ(test, al(st, 0x300, SITE_A, 8, 8, KS_KMALLOC), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 3);
	/*
	 * The classifier also says which sites want backtraces: the store
	 * asks for one there (once), not elsewhere, nor for a class that is
	 * not recorded.
	 */
	KUNIT_EXPECT_EQ(test, wants_stack(st, 0x500, SITE_A, KS_PAGE), 1);
	KUNIT_EXPECT_EQ(test, wants_stack(st, 0x600, SITE_A, KS_KMALLOC), 1);
	KUNIT_EXPECT_EQ(test, wants_stack(st, 0x700, SITE_B, KS_KMALLOC), -1);
	KUNIT_EXPECT_EQ(test, wants_stack(st, 0x800, SITE_C, KS_PAGE), -1);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 4);
	/* Reclassifying switches existing sites. */
	st->classify = NULL;
	ks_store_reclassify(st);
	KUNIT_EXPECT_EQ(test, wants_stack(st, 0x900, SITE_A, KS_PAGE), -1);
	KUNIT_EXPECT_EQ(test, al(st, 0x400, SITE_C, 4096, 4096, KS_PAGE), 0);
	ks_store_destroy(st);
}

/* A classifier that records a site only when its first allocation is movable. */
static u8 class_by_hint(unsigned long key, u8 kind, u8 hint, bool *stacks)
{
	return hint & KS_HINT_MOVABLE ? KS_CLASS_OBJECT : KS_CLASS_SLAB;
}

/*
 * The lean entry point (the hooks' common case) records what
 * ks_store_alloc() records: sizes, site, allocator, gfp, and the hint the
 * site's class is decided by.
 */
static void store_alloc_obj(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_kind_totals t[KS_NR_KINDS];
	struct ks_record_info info;
	unsigned long flags;
	unsigned int i;
	int ret;

	st->classify = class_by_hint;
	local_irq_save(flags);
	ret = ks_store_alloc_obj(st, 0x100, SITE_A, 100, 128,
				 (__force gfp_t)0x40, KS_KMALLOC,
				 KS_HINT_MOVABLE);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret, 0);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x100, &info));
	KUNIT_EXPECT_EQ(test, info.call_site, SITE_A);
	KUNIT_EXPECT_EQ(test, info.kind, (u8)KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, info.bytes_req, 100U);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 128U);
	for (i = 0; i < st->nr_records; i++)
		if (st->records[i].ptr == 0x100)
			KUNIT_EXPECT_EQ(test, st->records[i].gfp, 0x40U);
	/* No hint: the classifier does not record the site. */
	local_irq_save(flags);
	ret = ks_store_alloc_obj(st, 0x200, SITE_B, 8, 8, 0, KS_PAGE, 0);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret, -EAGAIN);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->not_recorded[KS_CLASS_SLAB]), 1L);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_bytes, 128L);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_bytes, 0L);
	ks_store_destroy(st);
}

/* ---- pending allocations ---- */

/* Stash one slab allocation the way the hooks do (preemption off). */
static int st_stash(struct ks_store *st, unsigned long ptr,
		    unsigned long site, size_t req, size_t alloc)
{
	int ret;

	preempt_disable();
	ret = ks_store_stash(st, ptr, site, req, alloc, 0, KS_KMALLOC);
	preempt_enable();
	return ret;
}

/* @ptr has a record: at @site, of @req bytes asked and @alloc given. */
static void expect_record(struct kunit *test, struct ks_store *st,
			  unsigned long ptr, unsigned long site, u32 req,
			  u32 alloc)
{
	struct ks_record_info info;

	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, ptr, &info));
	KUNIT_EXPECT_EQ(test, info.call_site, site);
	KUNIT_EXPECT_EQ(test, info.bytes_req, req);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, alloc);
}

/* The free probes' way: this CPU's slot, then the unstash.  Preemption off. */
static bool st_unstash(struct ks_store *st, unsigned long ptr)
{
	struct ks_pend *p = ks_store_pending(st, ptr);

	return p && ks_store_unstash(st, p, ptr);
}

/*
 * A pending allocation freed by its own context counts its pair on its
 * site, with the peaks it reached, and takes no record; the first pair of
 * a new site is counted by the free path, which claims the site.
 */
static void store_pend_pair(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap *s;
	bool unstashed[3];
	int stashed[3];

	preempt_disable();
	stashed[0] = ks_store_stash(st, 0x100, SITE_A, 40, 64, 0, KS_KMALLOC);
	/* No site yet: the free path's to claim. */
	unstashed[0] = st_unstash(st, 0x100);
	stashed[1] = ks_store_stash(st, 0x100, SITE_A, 40, 64, 0, KS_KMALLOC);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, stashed[0], 1);
	KUNIT_EXPECT_FALSE(test, unstashed[0]);
	/* Still pending: the slot is taken, the new one is to be recorded. */
	KUNIT_EXPECT_EQ(test, stashed[1], 0);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
	preempt_disable();
	stashed[1] = ks_store_stash(st, 0x200, SITE_A, 100, 128, 0, KS_KMALLOC);
	unstashed[1] = st_unstash(st, 0x300);
	unstashed[2] = st_unstash(st, 0x200);
	stashed[2] = ks_store_stash(st, 0x200, SITE_A, 40, 64, 0, KS_KMALLOC);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, stashed[1], 1);
	KUNIT_EXPECT_FALSE(test, unstashed[1]);
	KUNIT_EXPECT_TRUE(test, unstashed[2]);
	KUNIT_EXPECT_EQ(test, stashed[2], 1);
	/* Read: the third one is recorded now. */
	s = expect_site(test, st, SITE_A, 3, 2, 64, 40);
	KUNIT_EXPECT_EQ(test, s->peak_bytes, 128L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->kind_peak[KS_KMALLOC]), 128L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 0L);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x200, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	ks_store_destroy(st);
}

/*
 * An allocation that outlives KS_PEND_AGE others of its context (which
 * are recorded) is recorded when the next one takes the slot, with its
 * own stamp and sizes.
 */
static void store_pend_swap(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	unsigned long flags;
	unsigned int i, direct = 0;
	bool unstashed;
	int ret[2];

	KUNIT_ASSERT_EQ(test, st_stash(st, 0x100, SITE_A, 40, 64), 1);
	local_irq_save(flags);
	for (i = 1; i < KS_PEND_AGE; i++)
		direct += !ks_store_stash(st, 0x200, SITE_B, 10, 16, 0,
					  KS_KMALLOC);
	ret[0] = ks_store_stash(st, 0x200, SITE_B, 10, 16, 0, KS_KMALLOC);
	ret[1] = ks_store_stash_swap(st, 0x200, SITE_B, 10, 16, 0, KS_KMALLOC);
	unstashed = st_unstash(st, 0x100);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, direct, KS_PEND_AGE - 1);
	KUNIT_EXPECT_EQ(test, ret[0], -EBUSY);
	KUNIT_EXPECT_EQ(test, ret[1], 0);
	KUNIT_EXPECT_FALSE(test, unstashed);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	expect_record(test, st, 0x100, SITE_A, 40, 64);
	/* Found in the table: the new one is still pending. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
	KUNIT_EXPECT_TRUE(test, fr(st, 0x200, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 0L);
	ks_store_destroy(st);
}

/*
 * A reader records what is pending, with the stamp and task of its
 * allocation; lookups and resizes find it.
 */
static void store_pend_settle(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_record_snap *snap;
	struct ks_record_cursor cur = { 0 };
	struct ks_kind_totals t[KS_NR_KINDS];
	struct ks_record_info info;
	unsigned long flags;
	u64 before = ks_store_stamp(st);
	unsigned int n;
	bool ok;

	KUNIT_ASSERT_EQ(test, st_stash(st, 0x100, SITE_A, 40, 64), 1);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	expect_record(test, st, 0x100, SITE_A, 40, 64);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);

	KUNIT_ASSERT_EQ(test, st_stash(st, 0x200, SITE_B, 10, 16), 1);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_bytes, 80L);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].live_count, 2L);

	KUNIT_ASSERT_EQ(test, st_stash(st, 0x300, SITE_C, 20, 32), 1);
	snap = kunit_kcalloc(test, 8, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	n = ks_store_copy_records(st, &cur, snap, 8);
	KUNIT_EXPECT_EQ(test, n, 3U);
	while (n--) {
		KUNIT_EXPECT_EQ(test, snap[n].pid, current->pid);
		KUNIT_EXPECT_STREQ(test, snap[n].comm, current->comm);
		KUNIT_EXPECT_GE(test, snap[n].ts, before);
	}

	/* A krealloc() in place of a pending allocation. */
	KUNIT_ASSERT_EQ(test, st_stash(st, 0x400, SITE_A, 8, 64), 1);
	local_irq_save(flags);
	ok = ks_store_resize(st, 0x400, 50);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, ok);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x400, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_req, 50U);
	ks_store_destroy(st);
}

/*
 * The slot takes an allocation only when empty, and not when the table
 * still holds its address (a free that was not seen: the table's path
 * retires the old record).  A reset forgets what is pending.
 */
static void store_pend_refused(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_kind_totals t[KS_NR_KINDS];

	KUNIT_EXPECT_EQ(test, al(st, 0x500, SITE_A, 8, 8, KS_KMALLOC), 0);
	KUNIT_EXPECT_EQ(test, st_stash(st, 0x500, SITE_B, 8, 8), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->missed_frees), 0L);
	KUNIT_EXPECT_EQ(test, st_stash(st, 0x600, SITE_B, 8, 8), 1);
	ks_store_reset(st);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].allocs, 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_EQ(test, st_stash(st, 0x700, SITE_B, 8, 8), 1);
	ks_store_destroy(st);
}

/*
 * At a site that records nothing, a pending pair counts what the table's
 * path counts: the allocation not recorded, the free untracked.
 */
static void store_pend_unrecorded(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	bool unstashed;
	int stashed;

	st->classify = class_by_hint;
	KUNIT_ASSERT_EQ(test, st_stash(st, 0x100, SITE_B, 8, 8), 1);
	KUNIT_EXPECT_FALSE(test, fr(st, 0x100, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->not_recorded[KS_CLASS_SLAB]), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 1L);
	/* The site exists now: its own context does not count a pair either. */
	preempt_disable();
	stashed = ks_store_stash(st, 0x100, SITE_B, 8, 8, 0, KS_KMALLOC);
	unstashed = st_unstash(st, 0x100);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, stashed, 1);
	KUNIT_EXPECT_FALSE(test, unstashed);
	KUNIT_EXPECT_FALSE(test, fr(st, 0x100, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->not_recorded[KS_CLASS_SLAB]), 2L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	ks_store_destroy(st);
}

static void store_reset(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_kind_totals t[KS_NR_KINDS];
	unsigned int i;

	for (i = 0; i < 64; i++)
		al(st, 0x1000 + i * 8, SITE_A + i, 8, 8, KS_KMALLOC);
	fr(st, 0x99999, KS_VMALLOC);
	ks_store_reset(st);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_KMALLOC].allocs, 0L);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_VMALLOC]), 0L);
	/* The whole pool is free again. */
	for (i = 0; i < 64; i++)
		KUNIT_EXPECT_EQ(test, al(st, 0x9000 + i * 8, SITE_B, 8, 8,
					 KS_KMALLOC), 0);
	KUNIT_EXPECT_EQ(test, al(st, 0xa0000, SITE_B, 8, 8, KS_KMALLOC), -ENOSPC);
	ks_store_destroy(st);
}

static void store_copy_records(struct kunit *test)
{
	struct ks_store *st = new_store(test, 1024, 16);
	struct ks_record_cursor cur = {};
	struct ks_record_snap *out;
	unsigned long sum = 0, seen = 0;
	unsigned int i, n;

	out = kunit_kcalloc(test, 7, sizeof(*out), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	for (i = 1; i <= 500; i++)
		al(st, 0x100000 + i * 32, SITE_A, i, i, KS_KMALLOC);
	/* A small buffer: buckets are split across calls. */
	while ((n = ks_store_copy_records(st, &cur, out, 7))) {
		for (i = 0; i < n; i++) {
			sum += out[i].bytes_req;
			KUNIT_EXPECT_EQ(test, out[i].call_site, SITE_A);
		}
		seen += n;
	}
	KUNIT_EXPECT_EQ(test, seen, 500UL);
	KUNIT_EXPECT_EQ(test, sum, 500UL * 501 / 2);
	ks_store_destroy(st);
}

static void store_lookup_edges(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_record_info info = { .call_site = 0x77, .bytes_req = 5 };

	/* Not found: the output is left alone. */
	KUNIT_EXPECT_FALSE(test, ks_store_lookup(st, 0xb000, &info));
	KUNIT_EXPECT_EQ(test, info.call_site, 0x77UL);
	KUNIT_EXPECT_EQ(test, info.bytes_req, 5U);
	al(st, 0xb000, SITE_B, 24, 32, KS_KMEM_CACHE);
	KUNIT_EXPECT_TRUE(test, ks_store_lookup(st, 0xb000, NULL));
	KUNIT_EXPECT_FALSE(test, ks_store_lookup(st, 0xb001, NULL));
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0xb000, &info));
	KUNIT_EXPECT_EQ(test, info.kind, (u8)KS_KMEM_CACHE);
	KUNIT_EXPECT_EQ(test, info.class, (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 32U);
	/* A free under another allocator's name still finds the address. */
	KUNIT_EXPECT_TRUE(test, fr(st, 0xb000, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 0L);
	ks_store_destroy(st);
}

/* Sizes beyond 32 bits are kept as U32_MAX, on the record and the site. */
static void store_clamp_sizes(struct kunit *test)
{
	struct ks_store *st;
	struct ks_record_info info;
	struct ks_site_snap *s;
	size_t huge = (size_t)U32_MAX + 4096;

	if (sizeof(size_t) <= sizeof(u32))
		kunit_skip(test, "size_t is 32 bits");
	st = new_store(test, 64, 16);
	KUNIT_EXPECT_EQ(test, al(st, 0xc000, SITE_A, huge, huge, KS_VMALLOC), 0);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0xc000, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, U32_MAX);
	KUNIT_EXPECT_EQ(test, info.bytes_req, U32_MAX);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, (long)U32_MAX);
	fr(st, 0xc000, KS_VMALLOC);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, s->peak_bytes, (long)U32_MAX);
	ks_store_destroy(st);
}

/* Peaks: per site, per allocator and of records in use; never lowered. */
static void store_peaks(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap *s;

	al(st, 0x100, SITE_A, 100, 100, KS_KMALLOC);
	al(st, 0x200, SITE_A, 200, 200, KS_KMALLOC);
	al(st, 0x300, SITE_B, 50, 50, KS_KMALLOC);
	fr(st, 0x200, KS_KMALLOC);
	fr(st, 0x300, KS_KMALLOC);
	al(st, 0x400, SITE_A, 150, 150, KS_KMALLOC);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 250L);
	KUNIT_EXPECT_EQ(test, s->peak_bytes, 300L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->kind_peak[KS_KMALLOC]), 350L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->kind_live[KS_KMALLOC]), 250L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->kind_peak[KS_VMALLOC]), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_peak), 3L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 2L);
	ks_store_destroy(st);
}

/* Copying sites out: bounded by the room given; empty slots read as such. */
static void store_snapshot_limits(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap snap[4], one;
	unsigned int i, used = 0;

	KUNIT_EXPECT_EQ(test, ks_store_snapshot_sites(st, snap, 4), 0U);
	for (i = 0; i < 6; i++)
		al(st, 0x100 + i * 8, 0x7000 + i * 16, 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, ks_store_snapshot_sites(st, snap, 4), 4U);
	KUNIT_EXPECT_EQ(test, ks_store_snapshot_sites(st, snap, 0), 0U);
	for (i = 0; i < (1U << st->site_bits); i++)
		if (ks_store_read_site(st, i, &one)) {
			used++;
			KUNIT_EXPECT_EQ(test, one.live_bytes, 8L);
			KUNIT_EXPECT_EQ(test, one.kind, (u8)KS_KMALLOC);
		}
	KUNIT_EXPECT_EQ(test, used, 6U);
	ks_store_destroy(st);
}

/* __init sites: retired when init memory goes, unloaded with the module. */
static void store_mark_unloaded(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap *s;

	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, ks_store_retire_sites(st, match_a, name_arg,
						    "gone_init+0x4 [gone]",
						    KS_RETIRED_INIT), 1U);
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->retired, (u8)KS_RETIRED_INIT);
	/* Another module going leaves it alone, even a name's suffix. */
	ks_store_mark_unloaded(st, "one");
	ks_store_mark_unloaded(st, "gone_init");
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->retired, (u8)KS_RETIRED_INIT);
	ks_store_mark_unloaded(st, "gone");
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->retired, (u8)KS_RETIRED_UNLOAD);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 8L);
	ks_store_destroy(st);
}

/* A site whose name could not be made is still retired, without a name. */
static void store_retire_unnamed(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_record_cursor cur = {};
	struct ks_record_snap out[2];
	struct ks_site_snap *s;

	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, ks_store_retire_sites(st, match_a, name_arg, NULL,
						    KS_RETIRED_UNLOAD), 1U);
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_NULL(test, s->name);
	KUNIT_ASSERT_EQ(test, ks_store_copy_records(st, &cur, out, 2), 1U);
	KUNIT_EXPECT_EQ(test, out[0].retired, (u8)KS_RETIRED_UNLOAD);
	KUNIT_EXPECT_NULL(test, out[0].site_name);
	KUNIT_EXPECT_EQ(test, out[0].call_site, SITE_A);
	ks_store_destroy(st);
}

/* Names of retired sites outlive a reset (a view may still print them). */
static void store_reset_keeps_names(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap *s;
	const char *name;

	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);
	ks_store_retire_sites(st, match_a, name_arg, GONE, KS_RETIRED_UNLOAD);
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	name = s->name;
	ks_store_reset(st);
	KUNIT_EXPECT_NULL(test, find_site(test, st, SITE_A, true));
	KUNIT_ASSERT_EQ(test, st->nr_names, 1U);
	KUNIT_EXPECT_PTR_EQ(test, st->names[0], name);
	KUNIT_EXPECT_STREQ(test, name, "gone_func+0x10 [gone]");
	/* The same name retired again is the same copy. */
	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);
	ks_store_retire_sites(st, match_a, name_arg, GONE, KS_RETIRED_UNLOAD);
	s = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_PTR_EQ(test, s->name, name);
	ks_store_reset(st);
	KUNIT_EXPECT_EQ(test, st->nr_names, 1U);
	ks_store_destroy(st);
	KUNIT_EXPECT_EQ(test, st->nr_names, 0U);
	KUNIT_EXPECT_NULL(test, st->names);
}

/* ---- folding the sites of unloaded modules ---- */

/* One "load" of module gone: its code at @keys, named by @names. */
struct fold_load {
	const unsigned long *keys;
	const char * const *names;
	unsigned int n;
};

static bool match_load(unsigned long key, void *arg)
{
	const struct fold_load *l = arg;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->keys[i] == key)
			return true;
	return false;
}

static const char *name_load(unsigned long key, void *arg)
{
	const struct fold_load *l = arg;
	unsigned int i;

	for (i = 0; i < l->n; i++)
		if (l->keys[i] == key)
			return kstrdup(l->names[i], GFP_KERNEL);
	return NULL;
}

/* Unload module gone: retire its sites, then fold them. */
static unsigned int unload(struct ks_store *st, const struct fold_load *l)
{
	ks_store_retire_sites(st, match_load, name_load, (void *)l,
			      KS_RETIRED_UNLOAD);
	ks_store_mark_unloaded(st, "gone");
	return ks_store_fold_unloaded(st, "gone");
}

/* Sum of the retired rows of @key: "rows allocs frees live_count". */
static void retired_rows(struct kunit *test, struct ks_store *st,
			 unsigned long key, long *rows, long *allocs,
			 long *frees, long *live)
{
	struct ks_site_snap *snap;
	unsigned int i, n;

	snap = kunit_kcalloc(test, st->max_sites, sizeof(*snap), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, snap);
	n = ks_store_snapshot_sites(st, snap, st->max_sites);
	*rows = *allocs = *frees = *live = 0;
	for (i = 0; i < n; i++) {
		if (snap[i].key != key || !snap[i].retired)
			continue;
		(*rows)++;
		*allocs += snap[i].allocs;
		*frees += snap[i].frees;
		*live += snap[i].live_count;
	}
}

/*
 * A driver loaded and unloaded 200 times at the same address, in a table
 * of 16 sites: one row per call site, the counts of every load in it, and
 * nothing dropped.
 */
static void store_fold_reloads(struct kunit *test)
{
	static const unsigned long keys[] = { SITE_A, SITE_B };
	static const char * const names[] = { "a_fn+0x10 [gone]", "b_fn+0x20 [gone]" };
	struct fold_load l = { keys, names, ARRAY_SIZE(keys) };
	struct ks_store *st = new_store(test, 64, 16);
	long rows, allocs, frees, live;
	unsigned int i, folded = 0;

	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC), 0);
		KUNIT_ASSERT_EQ(test, al(st, 0x200, SITE_B, 32, 32, KS_KMEM_CACHE), 0);
		KUNIT_ASSERT_EQ(test, al(st, 0x300, SITE_B, 32, 32, KS_KMEM_CACHE), 0);
		KUNIT_ASSERT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
		KUNIT_ASSERT_TRUE(test, fr(st, 0x200, KS_KMEM_CACHE));
		KUNIT_ASSERT_TRUE(test, fr(st, 0x300, KS_KMEM_CACHE));
		folded += unload(st, &l);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_sites_full), 0L);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 2);
	KUNIT_EXPECT_EQ(test, folded, 2U * 199);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->sites_folded), 2L * 199);
	retired_rows(test, st, SITE_A, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_EQ(test, rows, 1L);
	KUNIT_EXPECT_EQ(test, allocs, 200L);
	KUNIT_EXPECT_EQ(test, frees, 200L);
	retired_rows(test, st, SITE_B, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_EQ(test, rows, 1L);
	KUNIT_EXPECT_EQ(test, allocs, 400L);
	KUNIT_EXPECT_EQ(test, live, 0L);
	ks_store_destroy(st);
}

/*
 * A site still holding memory that is the first of its name stays (the
 * others fold into it); its memory freed late is counted there.  Another
 * module's sites, sites of other classes and sites still loaded stay.
 */
static void store_fold_live_stays(struct kunit *test)
{
	static const unsigned long keys[] = { SITE_A };
	static const char * const names[] = { "a_fn+0x10 [gone]" };
	struct fold_load l = { keys, names, 1 };
	struct ks_store *st = new_store(test, 64, 16);
	long rows, allocs, frees, live;

	al(st, 0x100, SITE_A, 8, 8, KS_KMALLOC);	/* leaked by load 1 */
	KUNIT_EXPECT_EQ(test, unload(st, &l), 0U);
	al(st, 0x200, SITE_A, 8, 8, KS_KMALLOC);
	fr(st, 0x200, KS_KMALLOC);
	al(st, 0x300, SITE_C, 8, 8, KS_KMALLOC);	/* someone else's, live */
	unload(st, &l);
	retired_rows(test, st, SITE_A, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_LE(test, rows, 2L);
	KUNIT_EXPECT_EQ(test, allocs, 2L);
	KUNIT_EXPECT_EQ(test, frees, 1L);
	KUNIT_EXPECT_EQ(test, live, 1L);
	/* The leak is freed late (an RCU callback): now it folds. */
	KUNIT_EXPECT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, ks_store_fold_unloaded(st, "gone"), (unsigned int)(rows - 1));
	retired_rows(test, st, SITE_A, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_EQ(test, rows, 1L);
	KUNIT_EXPECT_EQ(test, allocs, 2L);
	KUNIT_EXPECT_EQ(test, frees, 2L);
	/* Not gone's: untouched. */
	KUNIT_EXPECT_EQ(test, ks_store_fold_unloaded(st, "other"), 0U);
	KUNIT_ASSERT_NOT_NULL(test, find_site(test, st, SITE_C, false));
	KUNIT_EXPECT_EQ(test, find_site(test, st, SITE_C, false)->live_count, 1L);
	ks_store_destroy(st);
}

/*
 * A driver that leaks one allocation per load, loaded and unloaded 200
 * times at the same address in a table of 16 sites: each load's leaking
 * slot hands its record to the first one and is given back, so nothing is
 * dropped; the row holds every leak, exactly, and the frees that come
 * late (another module frees them) find it.
 */
static void store_fold_leaking(struct kunit *test)
{
	static const unsigned long keys[] = { SITE_A };
	static const char * const names[] = { "leaky_probe+0x10 [gone]" };
	struct fold_load l = { keys, names, 1 };
	struct ks_store *st = new_store(test, 512, 16);
	long rows, allocs, frees, live;
	struct ks_site_snap *row;
	unsigned int i;

	for (i = 0; i < 200; i++) {
		KUNIT_ASSERT_EQ(test, al(st, 0x10000 + i * 64, SITE_A, 40, 64,
					 KS_KMALLOC), 0);
		unload(st, &l);
	}
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_sites_full), 0L);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 1);
	retired_rows(test, st, SITE_A, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_EQ(test, rows, 1L);
	KUNIT_EXPECT_EQ(test, allocs, 200L);
	KUNIT_EXPECT_EQ(test, live, 200L);
	row = find_site(test, st, SITE_A, true);
	KUNIT_ASSERT_NOT_NULL(test, row);
	KUNIT_EXPECT_EQ(test, row->live_bytes, 200L * 64);
	KUNIT_EXPECT_EQ(test, row->live_req, 200L * 40);
	for (i = 0; i < 200; i++)
		KUNIT_EXPECT_TRUE(test, fr(st, 0x10000 + i * 64, KS_KMALLOC));
	retired_rows(test, st, SITE_A, &rows, &allocs, &frees, &live);
	KUNIT_EXPECT_EQ(test, frees, 200L);
	KUNIT_EXPECT_EQ(test, live, 0L);
	row = find_site(test, st, SITE_A, true);
	KUNIT_EXPECT_EQ(test, row->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, row->live_req, 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_KMALLOC]), 0L);
	ks_store_destroy(st);
}

/* Keys whose first probe is the same slot as @key's. */
static unsigned int colliding(struct ks_store *st, unsigned long key,
			      unsigned long *out, unsigned int max)
{
	unsigned int h = ks_site_hash(st, key, KS_KMALLOC), n = 0;
	unsigned long k;

	for (k = key + 0x10; n < max && k < key + 0x10000000; k += 0x10)
		if (ks_site_hash(st, k, KS_KMALLOC) == h)
			out[n++] = k;
	return n;
}

/*
 * A slot given back sits inside other keys' probe sequences: lookups go
 * past it (no second slot for a key behind it), and a new key takes it.
 */
static void store_fold_tombstone(struct kunit *test)
{
	static const char * const names[] = { "a_fn+0x10 [gone]" };
	struct ks_store *st = new_store(test, 64, 16);
	unsigned long k[3];
	struct fold_load l = { k, names, 1 };
	struct ks_site_snap *s;
	int used;

	/* A sequence that does not wrap around the table's end. */
	for (k[0] = SITE_A; ks_site_hash(st, k[0], KS_KMALLOC) >
	     (1U << st->site_bits) - 4; k[0] += 0x10)
		;
	KUNIT_ASSERT_EQ(test, colliding(st, k[0], &k[1], 2), 2U);
	/* Load 1: k[0], then k[1] behind it; unloaded with k[0] live. */
	al(st, 0x100, k[0], 8, 8, KS_KMALLOC);
	al(st, 0x200, k[1], 8, 8, KS_KMALLOC);
	unload(st, &l);
	/* Load 2: k[0] again, a third slot; freed, unloaded: folded. */
	al(st, 0x300, k[0], 8, 8, KS_KMALLOC);
	fr(st, 0x300, KS_KMALLOC);
	used = atomic_read(&st->sites_used);
	KUNIT_EXPECT_EQ(test, unload(st, &l), 1U);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), used - 1);
	/* k[1] is found past the slot given back: still one row. */
	al(st, 0x400, k[1], 8, 8, KS_KMALLOC);
	s = find_site(test, st, k[1], false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->allocs, 2L);
	/* A new key of the same sequence takes the slot given back. */
	al(st, 0x500, k[2], 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), used);
	s = find_site(test, st, k[2], false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->allocs, 1L);
	KUNIT_EXPECT_EQ(test, s->frees, 0L);
	KUNIT_EXPECT_EQ(test, s->retired, (u8)0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_sites_full), 0L);
	ks_store_destroy(st);
}

/*
 * A slab allocation kept pending, then freed, on one CPU (no migration in
 * between): it was kept, and its free counted the pair.
 */
static void expect_pend_pair(struct kunit *test, struct ks_store *st,
			     unsigned long ptr, unsigned long site,
			     size_t req, size_t alloc)
{
	bool unstashed;
	int stashed;

	preempt_disable();
	stashed = ks_store_stash(st, ptr, site, req, alloc, 0, KS_KMALLOC);
	unstashed = st_unstash(st, ptr);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, stashed, 1);
	KUNIT_EXPECT_TRUE(test, unstashed);
}

/*
 * A pending allocation's pair counts on its site also when that site is
 * not in its first slot (another key's first slot there): the free finds
 * it past that slot, and does not take the table's way (make bench: a
 * kmem_cache pair whose site was behind kmemscope's own self-test site
 * cost 662.6 instructions instead of 410.6).  The slot then keeps that
 * site, checked first on the next free: a pair of another site's is
 * still counted on its own.
 */
static void store_pend_pair_displaced(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	unsigned long k[2];

	for (k[0] = SITE_A; ks_site_hash(st, k[0], KS_KMALLOC) >
	     (1U << st->site_bits) - 4; k[0] += 0x10)
		;
	KUNIT_ASSERT_EQ(test, colliding(st, k[0], &k[1], 1), 1U);
	/* k[0] takes the first slot; k[1] the next, on its first record. */
	KUNIT_ASSERT_EQ(test, al(st, 0x100, k[0], 8, 8, KS_KMALLOC), 0);
	KUNIT_ASSERT_EQ(test, al(st, 0x200, k[1], 8, 8, KS_KMALLOC), 0);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x200, KS_KMALLOC));
	expect_pend_pair(test, st, 0x300, k[1], 40, 64);
	expect_site(test, st, k[1], 2, 2, 0, 0);
	/* 0x100's record only: the pair took none. */
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	expect_pend_pair(test, st, 0x400, k[0], 8, 8);
	expect_site(test, st, k[0], 2, 1, 8, 8);
	expect_site(test, st, k[1], 2, 2, 0, 0);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x100, KS_KMALLOC));
	ks_store_destroy(st);
}

/* A bucket longer than the room given is copied in pieces, none twice. */
static void store_copy_one_at_a_time(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_record_cursor cur = {};
	struct ks_record_snap out;
	unsigned long p[5], seen = 0;
	unsigned int n, i, rounds = 0;

	KUNIT_EXPECT_EQ(test, ks_store_copy_records(st, &cur, &out, 1), 0U);
	memset(&cur, 0, sizeof(cur));
	n = same_bucket(st, 0xffff888000100000UL, p, ARRAY_SIZE(p));
	KUNIT_ASSERT_EQ(test, n, (unsigned int)ARRAY_SIZE(p));
	for (i = 0; i < n; i++)
		al(st, p[i], SITE_A, i + 1, i + 1, KS_KMALLOC);
	while (ks_store_copy_records(st, &cur, &out, 1) == 1 && rounds++ < 10) {
		for (i = 0; i < n; i++)
			if (out.ptr == p[i])
				seen |= BIT(i);
		KUNIT_EXPECT_EQ(test, out.bytes_req, out.bytes_alloc);
	}
	KUNIT_EXPECT_EQ(test, rounds, 5U);
	KUNIT_EXPECT_EQ(test, seen, BIT(5) - 1);
	/* Walked: it stays at the end. */
	KUNIT_EXPECT_EQ(test, ks_store_copy_records(st, &cur, &out, 1), 0U);
	ks_store_destroy(st);
}

/* ---- review findings: unknown callers, partial frees, splits, reset ---- */

/*
 * Page allocations whose caller was not found share one site keyed
 * KS_UNKNOWN_CALLER: it must be a site like any other, never taken for a
 * given-back slot (they once had the same key).
 */
static void store_unknown_caller_site(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_site_snap *s;
	int i;

	for (i = 0; i < 10; i++)
		KUNIT_EXPECT_EQ(test, al(st, 0x1000 + i * 64, KS_UNKNOWN_CALLER,
					 4096, 4096, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 1);
	s = find_site(test, st, KS_UNKNOWN_CALLER, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 40960L);
	KUNIT_EXPECT_EQ(test, s->allocs, 10L);
	/* Another key probing past it does not take it over. */
	KUNIT_EXPECT_EQ(test, al(st, 0x9000, SITE_A, 8, 8, KS_KMALLOC), 0);
	s = find_site(test, st, KS_UNKNOWN_CALLER, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 40960L);
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), 2);
	ks_store_destroy(st);
}

/* A slot claimed from a tombstone starts from zero, whatever it held. */
static void store_claim_clean(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	unsigned int i = ks_site_hash(st, SITE_B, KS_KMALLOC);
	struct ks_site *slot = &st->sites[i];
	struct ks_site_snap *s;

	slot->key = KS_SITE_TOMB;
	atomic_long_set(&slot->live_bytes, 777);
	atomic_long_set(&slot->allocs, 5);
	atomic_long_set(&slot->frees, 9);
	KUNIT_EXPECT_EQ(test, al(st, 0x100, SITE_B, 10, 16, KS_KMALLOC), 0);
	s = find_site(test, st, SITE_B, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 16L);
	KUNIT_EXPECT_EQ(test, s->allocs, 1L);
	KUNIT_EXPECT_EQ(test, s->frees, 0L);
	ks_store_destroy(st);
}

static bool fr_part(struct ks_store *st, unsigned long ptr, size_t bytes,
		    unsigned long rest)
{
	unsigned long flags;
	bool ret;

	local_irq_save(flags);
	ret = ks_store_free_part(st, ptr, bytes, rest);
	local_irq_restore(flags);
	return ret;
}

/* Pages pending, by the store's counters of them. */
static int pend_pages(struct ks_store *st)
{
	int i, n = 0;

	for (i = 0; i < KS_PEND_FILTER; i++)
		n += atomic_read(&st->pend_pages[i]);
	return n;
}

/* Stash one page the way the page probe does, with @gfp. */
static int st_stash_page(struct ks_store *st, unsigned long ptr,
			 unsigned long site, gfp_t gfp)
{
	int ret;

	preempt_disable();
	ret = ks_store_stash(st, ptr, site, PAGE_SIZE, PAGE_SIZE, gfp,
			     KS_PAGE);
	preempt_enable();
	return ret;
}

/*
 * A single page pends as a slab object does.  Freed through the table's
 * path (another CPU's free, a partial free's entry point), it is found
 * in the slots: its pair counts at the site it claims, with the hint of
 * its gfp (a classifier that records only movable pages' sites); a free
 * of a higher order counts as an over-free.  Recorded by a reader, it
 * keeps that hint too.
 */
static void store_pend_page(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_kind_totals t[KS_NR_KINDS];
	struct ks_record_info info;
	struct ks_pend *p;
	bool unstashed;
	int stashed;

	st->classify = class_by_hint;
	KUNIT_ASSERT_EQ(test, st_stash_page(st, 0x1000, SITE_A, __GFP_MOVABLE), 1);
	KUNIT_EXPECT_EQ(test, pend_pages(st), 1);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1000, PAGE_SIZE, 0x1040));
	KUNIT_EXPECT_EQ(test, pend_pages(st), 0);
	expect_site(test, st, SITE_A, 1, 1, 0, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_PAGE]), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->not_recorded[KS_CLASS_SLAB]), 0L);

	/* Freed whole by a higher order: an over-free, as a record's is. */
	KUNIT_ASSERT_EQ(test, st_stash_page(st, 0x1000, SITE_A, __GFP_MOVABLE), 1);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1000, 2 * PAGE_SIZE, 0x1080));
	expect_site(test, st, SITE_A, 2, 2, 0, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->over_frees), 1L);

	/* This CPU's free of it: the pair only. */
	preempt_disable();
	stashed = ks_store_stash(st, 0x2000, SITE_A, PAGE_SIZE, PAGE_SIZE,
				 __GFP_MOVABLE, KS_PAGE);
	p = ks_store_pending(st, 0x2000);
	unstashed = p && ks_store_unstash_page(st, p, 0x2000);
	preempt_enable();
	KUNIT_EXPECT_EQ(test, stashed, 1);
	KUNIT_EXPECT_TRUE(test, unstashed);
	expect_site(test, st, SITE_A, 3, 3, 0, 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->kind_peak[KS_PAGE]),
			(long)PAGE_SIZE);

	/* A reader records it at a new site, classified by its hint. */
	KUNIT_ASSERT_EQ(test, st_stash_page(st, 0x3000, SITE_C, __GFP_MOVABLE), 1);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x3000, &info));
	KUNIT_EXPECT_EQ(test, info.call_site, SITE_C);
	KUNIT_EXPECT_EQ(test, info.kind, (u8)KS_PAGE);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, (u32)PAGE_SIZE);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, t[KS_PAGE].live_bytes, (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t[KS_PAGE].allocs, 4L);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x3000, PAGE_SIZE, 0x3040));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_PAGE]), 0L);
	/* None pending: a free without a record looks through no slot. */
	KUNIT_EXPECT_EQ(test, pend_pages(st), 0);
	KUNIT_EXPECT_FALSE(test, fr_part(st, 0x6000, PAGE_SIZE, 0x6040));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_PAGE]), 1L);
	ks_store_destroy(st);
}

/*
 * A page still pending at its context's next allocation is recorded then
 * (a page not freed at once is likely kept), and the new one takes the
 * slot: no wait for KS_PEND_AGE allocations, as a slab object's.
 */
static void store_pend_page_swap(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	unsigned long flags;
	int ret[2];

	KUNIT_ASSERT_EQ(test, st_stash_page(st, 0x4000, SITE_A, 0), 1);
	local_irq_save(flags);
	ret[0] = ks_store_stash(st, 0x500, SITE_B, 8, 8, 0, KS_KMALLOC);
	ret[1] = ks_store_stash_swap(st, 0x500, SITE_B, 8, 8, 0, KS_KMALLOC);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, ret[0], -EBUSY);
	KUNIT_EXPECT_EQ(test, ret[1], 0);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	expect_record(test, st, 0x4000, SITE_A, PAGE_SIZE, PAGE_SIZE);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x4000, PAGE_SIZE, 0x4040));
	KUNIT_EXPECT_TRUE(test, fr(st, 0x500, KS_KMALLOC));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	ks_store_destroy(st);
}

/*
 * A record made at a pending page's address after it (a DMA buffer keyed
 * by its struct page, or the page freed unseen and given out again) is
 * the live one: the pending page, recorded later, counts as a pair and a
 * missed free, and the record stays.
 */
static void store_pend_superseded(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_kind_totals t[KS_NR_KINDS];

	KUNIT_ASSERT_EQ(test, st_stash_page(st, 0x5000, SITE_A, 0), 1);
	KUNIT_EXPECT_EQ(test, al(st, 0x5000, SITE_C, 100, PAGE_SIZE, KS_DMA), 0);
	ks_store_totals(st, t);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->missed_frees), 1L);
	KUNIT_EXPECT_EQ(test, t[KS_DMA].live_bytes, (long)PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, t[KS_PAGE].live_bytes, 0L);
	expect_site(test, st, SITE_A, 1, 1, 0, 0);
	expect_record(test, st, 0x5000, SITE_C, 100, PAGE_SIZE);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	ks_store_destroy(st);
}

/* free_pages(p, 0) of an order-2 block: 3 pages stay, at the next page. */
static void store_partial_free(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_record_info info;
	struct ks_site_snap *s;

	KUNIT_EXPECT_EQ(test, al(st, 0x1000, SITE_A, 16384, 16384, KS_PAGE), 0);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1000, 4096, 0x1040));
	KUNIT_EXPECT_FALSE(test, ks_store_lookup(st, 0x1000, NULL));
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x1040, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 12288U);
	KUNIT_EXPECT_EQ(test, info.bytes_req, 12288U);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 12288L);
	KUNIT_EXPECT_EQ(test, s->live_count, 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->part_frees), 1L);
	/* The rest, then a free of more than is held. */
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1040, 8192, 0x10c0));
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x10c0, 8192, 0x1140));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->over_frees), 1L);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, s->frees, 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 0L);
	ks_store_destroy(st);
}

/*
 * The rest of a partly freed block lands on an address another record
 * holds: the older of the two was freed unseen and goes.
 */
static void store_partial_free_onto_stale(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_record_info info;

	KUNIT_EXPECT_EQ(test, al(st, 0x1040, SITE_B, 4096, 4096, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, al(st, 0x1000, SITE_A, 16384, 16384, KS_PAGE), 0);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1000, 4096, 0x1040));
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x1040, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 12288U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->missed_frees), 1L);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 1L);
	ks_store_destroy(st);
}

/* ks_store_split() with pages of @page_size bytes. */
static unsigned int split_ps(struct ks_store *st, unsigned long ptr,
			     unsigned int nr, unsigned int keep,
			     size_t page_size)
{
	unsigned long flags;
	unsigned int n;

	local_irq_save(flags);
	n = ks_store_split(st, ptr, nr, keep, page_size, 0x40);
	local_irq_restore(flags);
	return n;
}

/* The cases below model 4 KiB pages; store_pages_16k() 16 KiB ones. */
static unsigned int split(struct ks_store *st, unsigned long ptr,
			  unsigned int nr, unsigned int keep)
{
	return split_ps(st, ptr, nr, keep, 4096);
}

/* split_page(), then the pages freed last to first; alloc_pages_exact(). */
static void store_split(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_site_snap *s;
	int i;

	KUNIT_EXPECT_EQ(test, al(st, 0x2000, SITE_A, 16384, 16384, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split(st, 0x2000, 4, 4), 4U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->records_used), 4L);
	for (i = 3; i >= 0; i--)
		KUNIT_EXPECT_TRUE(test, fr(st, 0x2000 + i * 0x40, KS_PAGE));
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 0L);
	KUNIT_EXPECT_EQ(test, s->allocs, 4L);
	KUNIT_EXPECT_EQ(test, s->frees, 4L);
	/* A record of another size is left alone. */
	KUNIT_EXPECT_EQ(test, al(st, 0x3000, SITE_B, 8192, 8192, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split(st, 0x3000, 4, 4), 0U);
	/* 5 pages kept of 8: 5 records, the tail off the site. */
	KUNIT_EXPECT_EQ(test, al(st, 0x4000, SITE_C, 32768, 32768, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split(st, 0x4000, 8, 5), 5U);
	s = find_site(test, st, SITE_C, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 20480L);
	KUNIT_EXPECT_EQ(test, s->live_req, 20480L);
	KUNIT_EXPECT_EQ(test, s->live_count, 5L);
	KUNIT_EXPECT_FALSE(test, ks_store_lookup(st, 0x4000 + 5 * 0x40, NULL));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->splits), 2L);
	ks_store_destroy(st);
}

/*
 * The page map: a page's byte is set while a record or a pending slot
 * holds its struct page, so that a free of any other page is untracked
 * without a look at the table.  Real struct pages (four pages of the
 * test's own), as the page probe passes them: set by a record, a split,
 * a move past a partial free, a stash; cleared by the page's free and by
 * a reset; an address outside the map is never unheld.
 */
static void store_page_map(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct page *pages = alloc_pages(GFP_KERNEL, 2);
	unsigned long p0, p1, p2, p3, sz = sizeof(struct page);
	unsigned long flags;

	KUNIT_ASSERT_NOT_NULL(test, pages);
	p0 = (unsigned long)pages;
	p1 = p0 + sz;
	p2 = p0 + 2 * sz;
	p3 = p0 + 3 * sz;
	/* The KUnit kernel (x86_64) has SPARSEMEM_VMEMMAP: a map. */
	KUNIT_ASSERT_GT(test, st->page_span, 0UL);
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p0));
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, 0x1000));
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, (unsigned long)st));

	/* A record holds it; its free gives it back. */
	KUNIT_ASSERT_EQ(test, al(st, p0, SITE_A, PAGE_SIZE, PAGE_SIZE, KS_PAGE), 0);
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p0));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p1));
	KUNIT_EXPECT_TRUE(test, fr_part(st, p0, PAGE_SIZE, p1));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p0));

	/* Freed in part: the record moves on, and so does the mark. */
	KUNIT_ASSERT_EQ(test, al(st, p0, SITE_A, 4 * PAGE_SIZE,
				 4 * PAGE_SIZE, KS_PAGE), 0);
	KUNIT_EXPECT_TRUE(test, fr_part(st, p0, PAGE_SIZE, p1));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p0));
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p1));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p2));

	/* Split: every page kept is held; the last one's free is found. */
	KUNIT_EXPECT_TRUE(test, fr_part(st, p1, 3 * PAGE_SIZE, p0 + 4 * sz));
	KUNIT_ASSERT_EQ(test, al(st, p0, SITE_A, 4 * PAGE_SIZE,
				 4 * PAGE_SIZE, KS_PAGE), 0);
	local_irq_save(flags);
	KUNIT_EXPECT_EQ(test, ks_store_split(st, p0, 4, 4, PAGE_SIZE, sz), 4U);
	local_irq_restore(flags);
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p2));
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p3));
	KUNIT_EXPECT_TRUE(test, fr_part(st, p3, PAGE_SIZE, p0 + 4 * sz));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p3));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_PAGE]), 0L);

	/* Pending: held before any free can look, found by the table's way. */
	KUNIT_EXPECT_TRUE(test, fr_part(st, p0, PAGE_SIZE, p1));
	KUNIT_ASSERT_EQ(test, st_stash_page(st, p0, SITE_B, 0), 1);
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p0));
	KUNIT_EXPECT_TRUE(test, fr_part(st, p0, PAGE_SIZE, p1));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p0));

	/* A free that finds nothing clears a stale mark; a reset, all. */
	ks_page_mark(st, p3, 1);
	KUNIT_EXPECT_FALSE(test, fr_part(st, p3, PAGE_SIZE, p0 + 4 * sz));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p3));
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->untracked_frees[KS_PAGE]), 1L);
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p1));
	ks_store_reset(st);
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p1));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p2));

	__free_pages(pages, 2);
	ks_store_destroy(st);
}

/*
 * A page free that gives up on a pending slot a reader keeps busy (three
 * waits of KS_PEND_SPINS) leaves the page's byte set, so that what the
 * reader records is found by the page's next free, not hidden by the map.
 */
static void store_page_map_busy(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct page *page = alloc_page(GFP_KERNEL);
	unsigned long p0, next;
	struct ks_pend *p;

	KUNIT_ASSERT_NOT_NULL(test, page);
	p0 = (unsigned long)page;
	next = p0 + sizeof(struct page);
	KUNIT_ASSERT_EQ(test, st_stash_page(st, p0, SITE_A, 0), 1);
	preempt_disable();
	p = ks_store_pending(st, p0);
	preempt_enable();
	KUNIT_ASSERT_NOT_NULL(test, p);
	/* A reader took the slot (ks_pend_claim()) and is not done. */
	WRITE_ONCE(p->ptr, p0 | KS_PEND_BUSY);
	KUNIT_EXPECT_FALSE(test, fr_part(st, p0, PAGE_SIZE, next));
	KUNIT_EXPECT_FALSE(test, ks_store_page_unheld(st, p0));
	/* It gives the slot back: the page's next free finds it. */
	smp_store_release(&p->ptr, p0);
	KUNIT_EXPECT_TRUE(test, fr_part(st, p0, PAGE_SIZE, next));
	KUNIT_EXPECT_TRUE(test, ks_store_page_unheld(st, p0));
	expect_site(test, st, SITE_A, 1, 1, 0, 0);

	__free_page(page);
	ks_store_destroy(st);
}

/*
 * The store is given the page size and assumes none: with 16 KiB pages
 * (arm64-6.12-16k) an order-2 block is 64 KiB, free_pages(p, 0) leaves
 * 48 KiB, and split_page() / alloc_pages_exact() records are 16 KiB each.
 */
static void store_pages_16k(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_record_info info;
	struct ks_site_snap *s;

	KUNIT_EXPECT_EQ(test, al(st, 0x1000, SITE_A, 65536, 65536, KS_PAGE), 0);
	KUNIT_EXPECT_TRUE(test, fr_part(st, 0x1000, 16384, 0x1040));
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x1040, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 49152U);
	KUNIT_EXPECT_EQ(test, info.bytes_req, 49152U);
	/* A split of those 3 pages as 4 KiB ones does not match: left alone. */
	KUNIT_EXPECT_EQ(test, split(st, 0x1040, 3, 3), 0U);
	/* split_page() of an order-2 block of 16 KiB pages. */
	KUNIT_EXPECT_EQ(test, al(st, 0x2000, SITE_B, 65536, 65536, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split_ps(st, 0x2000, 4, 4, 16384), 4U);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0x2000 + 3 * 0x40, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 16384U);
	KUNIT_EXPECT_TRUE(test, fr(st, 0x2000, KS_PAGE));
	s = find_site(test, st, SITE_B, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 49152L);
	KUNIT_EXPECT_EQ(test, s->live_count, 3L);
	/* alloc_pages_exact(5 pages): 5 of an order-3 block of 16 KiB pages. */
	KUNIT_EXPECT_EQ(test, al(st, 0x4000, SITE_C, 131072, 131072, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split_ps(st, 0x4000, 8, 5, 16384), 5U);
	s = find_site(test, st, SITE_C, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 81920L);
	KUNIT_EXPECT_EQ(test, s->live_count, 5L);
	ks_store_destroy(st);
}

/* A split that runs out of records counts what it could not record. */
static void store_split_pool_full(struct kunit *test)
{
	struct ks_store *st = new_store(test, 64, 16);
	struct ks_site_snap *s;
	int i;

	for (i = 0; i < 62; i++)
		al(st, 0x100000 + i * 64, SITE_B, 8, 8, KS_KMALLOC);
	KUNIT_EXPECT_EQ(test, al(st, 0x2000, SITE_A, 16384, 16384, KS_PAGE), 0);
	KUNIT_EXPECT_EQ(test, split(st, 0x2000, 4, 4), 2U);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&st->drop_pool_full), 2L);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 8192L);
	KUNIT_EXPECT_EQ(test, s->live_count, 2L);
	ks_store_destroy(st);
}

/* Readers walk the chains while a reset clears them (four readers). */
struct reset_race {
	struct ks_store *st;
	atomic_t stop;
	atomic_long_t bad;
	struct completion done;
};

static int reset_reader(void *arg)
{
	struct reset_race *rr = arg;
	struct ks_record_snap buf[8];
	struct ks_record_cursor cur;
	unsigned int n, i;

	while (!atomic_read(&rr->stop)) {
		memset(&cur, 0, sizeof(cur));
		while ((n = ks_store_copy_records(rr->st, &cur, buf, 8)))
			for (i = 0; i < n; i++)
				if (!buf[i].ptr || buf[i].bytes_alloc != 32)
					atomic_long_inc(&rr->bad);
		cond_resched();
	}
	complete(&rr->done);
	return 0;
}

static void store_reset_with_readers(struct kunit *test)
{
	struct reset_race *rr = kunit_kzalloc(test, sizeof(*rr), GFP_KERNEL);
	int i, round;

	KUNIT_ASSERT_NOT_NULL(test, rr);
	rr->st = new_store(test, 16384, 16);
	init_completion(&rr->done);
	for (i = 0; i < 4; i++)
		KUNIT_ASSERT_FALSE(test, IS_ERR(kthread_run(reset_reader, rr,
							    "ks_reader%d", i)));
	for (round = 0; round < 20; round++) {
		for (i = 0; i < 10000; i++)
			al(rr->st, 0x10000000UL + i * 64, SITE_A, 32, 32,
			   KS_KMALLOC);
		ks_store_reset(rr->st);
	}
	atomic_set(&rr->stop, 1);
	for (i = 0; i < 4; i++)
		wait_for_completion(&rr->done);
	KUNIT_EXPECT_EQ(test, atomic_long_read(&rr->bad), 0L);
	ks_store_destroy(rr->st);
}

/* krealloc() in place: the requested size follows, the allocated stays. */
static void store_resize(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	struct ks_record_info info;
	struct ks_site_snap *s;
	unsigned long flags;
	bool a, b;

	al(st, 0xa000, SITE_A, 100, 128, KS_KMALLOC);
	al(st, 0xb000, SITE_A, 30, 32, KS_KMALLOC);
	local_irq_save(flags);
	a = ks_store_resize(st, 0xa000, 50);
	b = ks_store_resize(st, 0xc000, 50);
	local_irq_restore(flags);
	KUNIT_EXPECT_TRUE(test, a);
	KUNIT_EXPECT_FALSE(test, b);
	KUNIT_ASSERT_TRUE(test, ks_store_lookup(st, 0xa000, &info));
	KUNIT_EXPECT_EQ(test, info.bytes_req, 50U);
	KUNIT_EXPECT_EQ(test, info.bytes_alloc, 128U);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_req, 80L);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 160L);
	KUNIT_EXPECT_EQ(test, s->allocs, 2L);

	local_irq_save(flags);
	ks_store_resize(st, 0xa000, 120);
	local_irq_restore(flags);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_req, 150L);
	/* The free takes the new size off. */
	fr(st, 0xa000, KS_KMALLOC);
	s = find_site(test, st, SITE_A, false);
	KUNIT_ASSERT_NOT_NULL(test, s);
	KUNIT_EXPECT_EQ(test, s->live_req, 30L);
	KUNIT_EXPECT_EQ(test, s->live_bytes, 32L);
	ks_store_destroy(st);
}

/*
 * A driver with many call sites reloaded again and again in a large
 * table: each fold finds the first row of each name through the fold's
 * index, so every name keeps one row with every load's counts.  The time
 * of the last fold is printed (a figure, not asserted).
 */
static void store_fold_many(struct kunit *test)
{
	const unsigned int nsites = 1000, loads = 8;
	struct ks_store *st = new_store(test, 256, 8192);
	unsigned long *keys = kunit_kcalloc(test, nsites, sizeof(*keys), GFP_KERNEL);
	char **names = kunit_kcalloc(test, nsites, sizeof(*names), GFP_KERNEL);
	struct fold_load l = { keys, (const char * const *)names, nsites };
	long rows, allocs, frees, live;
	unsigned int i, load, folded = 0;
	u64 t0, t1 = 0;

	KUNIT_ASSERT_NOT_NULL(test, keys);
	KUNIT_ASSERT_NOT_NULL(test, names);
	for (i = 0; i < nsites; i++) {
		keys[i] = 0x100000UL + i * 16;
		names[i] = kasprintf(GFP_KERNEL, "f%u+0x10 [gone]", i);
		KUNIT_ASSERT_NOT_NULL(test, names[i]);
	}
	for (load = 0; load < loads; load++) {
		for (i = 0; i < nsites; i++) {
			KUNIT_ASSERT_EQ(test, al(st, 0x8000, keys[i], 8, 8, KS_KMALLOC), 0);
			KUNIT_ASSERT_TRUE(test, fr(st, 0x8000, KS_KMALLOC));
		}
		t0 = ktime_get_ns();
		folded += unload(st, &l);
		t1 = ktime_get_ns() - t0;
	}
	KUNIT_EXPECT_EQ(test, folded, nsites * (loads - 1));
	KUNIT_EXPECT_EQ(test, atomic_read(&st->sites_used), (int)nsites);
	for (i = 0; i < nsites; i += 97) {
		retired_rows(test, st, keys[i], &rows, &allocs, &frees, &live);
		KUNIT_EXPECT_EQ(test, rows, 1L);
		KUNIT_EXPECT_EQ(test, allocs, (long)loads);
		KUNIT_EXPECT_EQ(test, frees, (long)loads);
	}
	kunit_info(test, "fold of %u sites in a table of %u slots: %llu us\n",
		   nsites, 1U << st->site_bits, div_u64(t1, 1000));
	ks_store_destroy(st);
	for (i = 0; i < nsites; i++)
		kfree(names[i]);
}

/*
 * Stamps: a mark divides what was recorded before it from what is
 * recorded after it, within one tick too; ages count ticks.
 */
static void store_stamps(struct kunit *test)
{
	struct ks_store *st = new_store(test, 128, 16);
	u64 before, mark, after;

	before = ks_store_stamp(st);
	mark = ks_store_mark(st);
	after = ks_store_stamp(st);
	KUNIT_EXPECT_LT(test, before, mark);
	KUNIT_EXPECT_LE(test, mark, after);
	KUNIT_EXPECT_LT(test, before, ks_store_mark(st));
	/* A later tick is later whatever the generation. */
	KUNIT_EXPECT_LT(test, ks_stamp_make(100, 7), ks_stamp_make(101, 0));
	KUNIT_EXPECT_EQ(test, ks_stamp_ms(ks_stamp_make(100, 7),
					  ks_stamp_make(100 + HZ, 0)), 1000ULL);
	KUNIT_EXPECT_EQ(test, ks_stamp_ms(ks_stamp_make(100, 0),
					  ks_stamp_make(100, 9)), 0ULL);
	KUNIT_EXPECT_EQ(test, ks_stamp_ms(ks_stamp_make(200, 0),
					  ks_stamp_make(100, 0)), 0ULL);
	/* The generation wraps within its bits, never into the ticks. */
	KUNIT_EXPECT_EQ(test, ks_stamp_make(5, BIT(KS_STAMP_GEN_BITS) + 3),
			ks_stamp_make(5, 3));
	ks_store_destroy(st);
}

static struct kunit_case ks_store_cases[] = {
	KUNIT_CASE_PARAM(store_init_params, init_gen_params),
	KUNIT_CASE(store_alloc_lookup_free),
	KUNIT_CASE(store_sites_aggregate),
	KUNIT_CASE(store_same_bucket),
	KUNIT_CASE(store_pool_exhaustion),
	KUNIT_CASE(store_site_table_full),
	KUNIT_CASE(store_untracked_free),
	KUNIT_CASE(store_missed_free),
	KUNIT_CASE(store_retire_sites),
	KUNIT_CASE(store_concurrent),
	KUNIT_CASE(store_pool_across_cpus),
	KUNIT_CASE(store_classify),
	KUNIT_CASE(store_alloc_obj),
	KUNIT_CASE(store_pend_pair),
	KUNIT_CASE(store_pend_pair_displaced),
	KUNIT_CASE(store_pend_settle),
	KUNIT_CASE(store_pend_swap),
	KUNIT_CASE(store_pend_refused),
	KUNIT_CASE(store_pend_unrecorded),
	KUNIT_CASE(store_pend_page),
	KUNIT_CASE(store_pend_page_swap),
	KUNIT_CASE(store_pend_superseded),
	KUNIT_CASE(store_stamps),
	KUNIT_CASE(store_reset),
	KUNIT_CASE(store_copy_records),
	KUNIT_CASE(store_lookup_edges),
	KUNIT_CASE(store_clamp_sizes),
	KUNIT_CASE(store_peaks),
	KUNIT_CASE(store_snapshot_limits),
	KUNIT_CASE(store_mark_unloaded),
	KUNIT_CASE(store_retire_unnamed),
	KUNIT_CASE(store_reset_keeps_names),
	KUNIT_CASE(store_fold_reloads),
	KUNIT_CASE(store_fold_live_stays),
	KUNIT_CASE(store_fold_tombstone),
	KUNIT_CASE(store_copy_one_at_a_time),
	KUNIT_CASE(store_unknown_caller_site),
	KUNIT_CASE(store_claim_clean),
	KUNIT_CASE(store_partial_free),
	KUNIT_CASE(store_partial_free_onto_stale),
	KUNIT_CASE(store_split),
	KUNIT_CASE(store_split_pool_full),
	KUNIT_CASE(store_pages_16k),
	KUNIT_CASE(store_page_map),
	KUNIT_CASE(store_page_map_busy),
	KUNIT_CASE(store_reset_with_readers),
	KUNIT_CASE(store_resize),
	KUNIT_CASE(store_fold_many),
	KUNIT_CASE(store_fold_leaking),
	{}
};

static struct kunit_suite ks_store_suite = {
	.name = "kmemscope_store",
	.test_cases = ks_store_cases,
};

kunit_test_suite(ks_store_suite);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("KUnit tests for kmemscope's record store");
