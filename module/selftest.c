// SPDX-License-Identifier: GPL-2.0
/*
 * selftest.c - at load, allocate and free once through every hooked path
 * and check that the store saw it.  A hook that stays silent (a compiler
 * clone of the probed function, a kretprobe out of instances, ...) is
 * reported in the summary instead of being trusted.
 *
 * Runs in process context at module init, with tracking enabled, before
 * the debugfs files can be written to.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "selftest.h"
#include "state.h"
#include "hooks.h"
#include "pagecaller.h"
#include "reset.h"
#include "compat.h"
#include "attrib.h"

static void ks_verdict(enum ks_hook h, bool fired)
{
	if (ks_hooks[h].state != KS_HOOK_ATTACHED)
		return;
	ks_hooks[h].state = fired ? KS_HOOK_VERIFIED : KS_HOOK_SILENT;
	if (!fired)
		pr_warn("hook %s attached but did not fire in the self-test\n",
			ks_hooks[h].name);
}

static bool ks_seen(const void *p, u8 kind, u32 bytes_req)
{
	struct ks_record_info info;

	return ks_store_lookup(&ks_store, (unsigned long)p, &info) &&
	       info.kind == kind && info.bytes_req == bytes_req;
}

static bool ks_gone(const void *p)
{
	return !ks_store_lookup(&ks_store, (unsigned long)p, NULL);
}

static noinline void ks_selftest_slab(void)
{
	struct kmem_cache *cache;
	void *objs[4] = {};
	bool a, f;
	void *p;
	int n, i;

	p = kmalloc(24, GFP_KERNEL);
	if (p) {
		a = ks_seen(p, KS_KMALLOC, 24);
		kfree(p);
		ks_verdict(KS_HOOK_KMALLOC, a);
		ks_verdict(KS_HOOK_KFREE, a && ks_gone(p));
	}

	cache = kmem_cache_create("kmemscope_selftest", 40, 0, 0, NULL);
	if (!cache)
		return;
	p = kmem_cache_alloc(cache, GFP_KERNEL);
	if (p) {
		a = ks_seen(p, KS_KMEM_CACHE, 40);
		kmem_cache_free(cache, p);
		ks_verdict(KS_HOOK_KMEM_CACHE_ALLOC, a);
		ks_verdict(KS_HOOK_KMEM_CACHE_FREE, a && ks_gone(p));
	}
	n = ks_compat_cache_alloc_bulk(cache, GFP_KERNEL, ARRAY_SIZE(objs), objs);
	if (n > 0) {
		a = true;
		for (i = 0; i < n; i++)
			a = a && ks_seen(objs[i], KS_KMEM_CACHE, 40);
		kmem_cache_free_bulk(cache, n, objs);
		f = a;
		for (i = 0; i < n; i++)
			f = f && ks_gone(objs[i]);
		ks_verdict(KS_HOOK_CACHE_ALLOC_BULK, a);
		ks_verdict(KS_HOOK_CACHE_FREE_BULK, f);
	}
	kmem_cache_destroy(cache);
}

/*
 * kfree_rcu() into a sheaf (6.18 on, compat.h): the record goes at once.
 * A kfree_rcu() the sheaf refuses takes the batched path, freed later: the
 * hook then did not fire and stays silent, as it should.
 */
struct ks_selftest_rcu {
	struct rcu_head rcu;
	u64 pad[4];
};

static noinline void ks_selftest_kfree_rcu(void)
{
	struct ks_selftest_rcu *p = kmalloc(sizeof(*p), GFP_KERNEL);
	unsigned long hits;
	bool a;

	if (!p || !KS_COMPAT_KFREE_RCU_SHEAF) {
		kfree(p);
		return;
	}
	a = ks_seen(p, KS_KMALLOC, sizeof(*p));
	hits = ks_hooks_hits(KS_HOOK_KFREE_RCU_SHEAF);
	kfree_rcu(p, rcu);
	/* p is not dereferenced again: only its address is looked up. */
	ks_verdict(KS_HOOK_KFREE_RCU_SHEAF,
		   a && ks_hooks_hits(KS_HOOK_KFREE_RCU_SHEAF) > hits &&
		   ks_gone(p));
}

/* kfree_nolock() (6.18 on, compat.h) of what kmalloc() returned. */
static noinline void ks_selftest_kfree_nolock(void)
{
#if KS_COMPAT_KFREE_NOLOCK
	void *p = kmalloc(72, GFP_KERNEL);
	bool a;

	if (!p)
		return;
	a = ks_seen(p, KS_KMALLOC, 72);
	kfree_nolock(p);
	ks_verdict(KS_HOOK_KFREE_NOLOCK, a && ks_gone(p));
#endif
}

/* krealloc() to a size that still fits: the same object, a new size. */
static noinline void ks_selftest_krealloc(void)
{
	void *p = kmalloc(100, GFP_KERNEL), *q;

	if (!p)
		return;
	q = krealloc(p, 50, GFP_KERNEL);
	if (q == p)
		ks_verdict(KS_HOOK_KREALLOC, ks_seen(p, KS_KMALLOC, 50));
	kfree(q ?: p);
}

/*
 * Learn the page allocator's inner functions from one allocation's
 * backtrace (attrib.c), before the page hooks are tested.
 */
static noinline void ks_calibrate_pages(void)
{
	struct page *page;
	int learnt, ret, i;

	ks_calib.n = 0;
	ks_calib.kind = KS_PAGE;
	WRITE_ONCE(ks_calib.task, current);
	page = alloc_pages(GFP_KERNEL, 0);
	WRITE_ONCE(ks_calib.task, NULL);
	if (page)
		__free_pages(page, 0);
	learnt = ks_attrib_learn_page_path(ks_calib.entries, ks_calib.n,
					   THIS_MODULE);
	pr_debug("page allocator calibration: %d inner functions learnt\n",
		 learnt);
	/*
	 * Then the entry callbacks, and the distance from the core's entry
	 * to the probe, measured on a second allocation whose caller is
	 * known (this function).
	 */
	ret = ks_pagecaller_register(ks_calib.entries, ks_calib.n, THIS_MODULE);
	if (ret) {
		if (ret != -EOPNOTSUPP)
			pr_info("page callers from backtraces (entry callbacks: %d)\n",
				ret);
		return;
	}
	/* The task may move CPUs between callback and event: try again. */
	for (i = 0; i < 3; i++) {
		ks_pagecaller_learn_begin();
		page = alloc_pages(GFP_KERNEL, 0);
		if (page)
			__free_pages(page, 0);
		if (ks_pagecaller_learn_end(THIS_MODULE))
			return;
	}
	/* Callbacks that give nothing would only cost. */
	ks_pagecaller_unregister();
	pr_info("page callers from backtraces (entry callbacks not calibrated)\n");
}

/*
 * Where the percpu event has no call site (compat.h), learn the percpu
 * allocator's functions between the event and the caller (pcpu_alloc(),
 * reached by a tail call from __alloc_percpu(): not a frame of its own),
 * so that a percpu object is charged to its caller.
 */
static noinline void ks_calibrate_percpu(void)
{
	void __percpu *pc;
	int learnt;

	if (KS_COMPAT_PERCPU_TP_CALLER)
		return;
	ks_calib.n = 0;
	ks_calib.kind = KS_PERCPU;
	WRITE_ONCE(ks_calib.task, current);
	pc = alloc_percpu(u64);
	WRITE_ONCE(ks_calib.task, NULL);
	free_percpu(pc);
	learnt = ks_attrib_learn_alloc_path(ks_calib.entries, ks_calib.n,
					    THIS_MODULE);
	pr_debug("percpu allocator calibration: %d functions learnt\n", learnt);
}

/*
 * Learn page_pool's functions between a driver and the bulk allocator as
 * wrappers (attrib.c), from one page taken from a pool of kmemscope's
 * own: a network driver's RX pages are then charged to the driver, not to
 * net/core/page_pool.c, whatever the version calls its functions.
 */
static noinline void ks_calibrate_page_pool(void)
{
#if KS_COMPAT_PAGE_POOL
	struct page_pool_params pp = {
		.order = 0, .pool_size = 64, .nid = NUMA_NO_NODE,
	};
	struct page_pool *pool;
	struct page *page;
	int learnt;

	if (ks_hooks[KS_HOOK_PAGES_BULK].state != KS_HOOK_ATTACHED)
		return;
	pool = page_pool_create(&pp);
	if (IS_ERR(pool))
		return;
	ks_calib.n = 0;
	ks_calib.kind = KS_CALIB_BULK;
	WRITE_ONCE(ks_calib.task, current);
	page = page_pool_alloc_pages(pool, GFP_KERNEL);
	WRITE_ONCE(ks_calib.task, NULL);
	if (page)
		page_pool_put_full_page(pool, page, false);
	page_pool_destroy(pool);
	learnt = ks_attrib_learn_alloc_path(ks_calib.entries, ks_calib.n,
					    THIS_MODULE);
	pr_debug("page_pool calibration: %d functions learnt\n", learnt);
#endif
}

static noinline void ks_selftest_pages(void)
{
	struct page *page, *bulk[2] = {};
	void *buf;
	unsigned int i;
	bool a;

	page = alloc_pages(GFP_KERNEL, 1);
	if (page) {
		a = ks_seen(page, KS_PAGE, 2 * PAGE_SIZE);
		__free_pages(page, 1);
		ks_verdict(KS_HOOK_PAGE_ALLOC, a);
		ks_verdict(KS_HOOK_PAGE_FREE, a && ks_gone(page));
	}

	/* split_page(): one record a page, each freed on its own. */
	page = alloc_pages(GFP_KERNEL, 1);
	if (page) {
		split_page(page, 1);
		a = ks_seen(page, KS_PAGE, PAGE_SIZE) &&
		    ks_seen(page + 1, KS_PAGE, PAGE_SIZE);
		__free_page(page + 1);
		__free_page(page);
		ks_verdict(KS_HOOK_SPLIT_PAGE,
			   a && ks_gone(page) && ks_gone(page + 1));
	}

	/* alloc_pages_exact(): 3 pages of an order-2 block, one record each. */
	buf = alloc_pages_exact(3 * PAGE_SIZE, GFP_KERNEL);
	if (buf) {
		page = virt_to_page(buf);
		a = ks_seen(page, KS_PAGE, PAGE_SIZE) &&
		    ks_seen(page + 2, KS_PAGE, PAGE_SIZE) && ks_gone(page + 3);
		free_pages_exact(buf, 3 * PAGE_SIZE);
		ks_verdict(KS_HOOK_PAGES_EXACT, a && ks_gone(page) &&
			   ks_gone(page + 1) && ks_gone(page + 2));
	}

	/* The bulk allocator: one record a page it put in the array. */
	if (ks_compat_alloc_pages_bulk(GFP_KERNEL, ARRAY_SIZE(bulk), bulk)) {
		a = true;
		for (i = 0; i < ARRAY_SIZE(bulk); i++)
			if (bulk[i])
				a = a && ks_seen(bulk[i], KS_PAGE, PAGE_SIZE);
		for (i = 0; i < ARRAY_SIZE(bulk); i++)
			if (bulk[i])
				__free_page(bulk[i]);
		for (i = 0; i < ARRAY_SIZE(bulk); i++)
			if (bulk[i])
				a = a && ks_gone(bulk[i]);
		ks_verdict(KS_HOOK_PAGES_BULK, a);
	}
}

static noinline void ks_selftest_vmalloc_percpu(void)
{
	u64 __percpu *pc;
	bool a;
	void *p;

	p = vmalloc(3 * PAGE_SIZE - 100);
	if (p) {
		a = ks_seen(p, KS_VMALLOC, 3 * PAGE_SIZE - 100);
		vfree(p);
		ks_verdict(KS_HOOK_VMALLOC, a);
		ks_verdict(KS_HOOK_VFREE, a && ks_gone(p));
	}

	pc = alloc_percpu(u64);
	if (pc) {
		a = ks_seen((void *)(__force unsigned long)pc, KS_PERCPU,
			    sizeof(u64) * num_possible_cpus());
		free_percpu(pc);
		ks_verdict(KS_HOOK_PERCPU_ALLOC, a);
		ks_verdict(KS_HOOK_PERCPU_FREE, a && ks_gone((void *)(__force unsigned long)pc));
	}
}

/*
 * Return: the number of hooks that failed to attach or stayed silent.
 * vfree_atomic() (6.1) is not exported, so its hook cannot be exercised
 * from here: it stays "attached" (untested) in the summary.
 */
int ks_selftest(void)
{
	int h, bad = 0;

	ks_calibrate_pages();
	ks_calibrate_percpu();
	ks_calibrate_page_pool();
	/* Sites keyed before calibration may be wrong: start clean. */
	ks_reset();
	ks_selftest_slab();
	ks_selftest_krealloc();
	ks_selftest_kfree_rcu();
	ks_selftest_kfree_nolock();
	ks_selftest_pages();
	ks_selftest_vmalloc_percpu();
	for (h = 0; h < KS_NR_HOOKS; h++)
		if (ks_hooks[h].state == KS_HOOK_SILENT ||
		    ks_hooks[h].state == KS_HOOK_FAILED)
			bad++;
	return bad;
}
