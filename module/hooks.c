// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - the probes on the kernel's allocation paths.
 *
 * Attached to the exported slab tracepoints (kmalloc, kmem_cache_alloc,
 * kfree, kmem_cache_free).  Each probe records into ks_store.
 *
 * Notes on locking and context
 * ----------------------------
 * Tracepoint probes run with preemption off, in any context but NMI,
 * possibly with interrupts off and under allocator locks.  A probe here:
 * - disables interrupts for its whole run, so that an allocation in an
 *   interrupt handler cannot nest inside it on the same CPU;
 * - then checks a per-CPU nesting counter: a second entry on the same CPU
 *   can only be recursion (something the probe called allocated); it is
 *   dropped and counted in ks_recursion;
 * - never sleeps, never allocates, takes only the store's raw spinlocks.
 * Per-CPU hit counters tell the summary which hooks fire.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/err.h>
#include <linux/tracepoint.h>
#include <trace/events/kmem.h>

#include "kmemscope.h"
#include "compat.h"

struct ks_hook_info ks_hooks[KS_NR_HOOKS] = {
	[KS_HOOK_KMALLOC]		= { .name = "kmalloc" },
	[KS_HOOK_KMEM_CACHE_ALLOC]	= { .name = "kmem_cache_alloc" },
	[KS_HOOK_KFREE]			= { .name = "kfree" },
	[KS_HOOK_KMEM_CACHE_FREE]	= { .name = "kmem_cache_free" },
};

static DEFINE_PER_CPU(unsigned int, ks_nesting);
static DEFINE_PER_CPU(unsigned long, ks_recursion);
static DEFINE_PER_CPU(unsigned long, ks_hits[KS_NR_HOOKS]);

static __always_inline bool ks_enter(unsigned long *flags, enum ks_hook h)
{
	local_irq_save(*flags);
	__this_cpu_inc(ks_hits[h]);
	if (unlikely(__this_cpu_inc_return(ks_nesting) != 1)) {
		__this_cpu_dec(ks_nesting);
		__this_cpu_inc(ks_recursion);
		local_irq_restore(*flags);
		return false;
	}
	return true;
}

static __always_inline void ks_exit(unsigned long flags)
{
	__this_cpu_dec(ks_nesting);
	local_irq_restore(flags);
}

static void ks_probe_kmalloc(void *data, unsigned long call_site,
			     const void *ptr, size_t bytes_req,
			     size_t bytes_alloc, gfp_t gfp, int node)
{
	unsigned long flags;

	if (!READ_ONCE(ks_enabled) || ZERO_OR_NULL_PTR(ptr))
		return;
	if (!ks_enter(&flags, KS_HOOK_KMALLOC))
		return;
	ks_store_alloc(&ks_store, (unsigned long)ptr, call_site, bytes_req,
		       bytes_alloc, KS_KMALLOC);
	ks_exit(flags);
}

static void ks_probe_cache_alloc(void *data, unsigned long call_site,
				 const void *ptr, struct kmem_cache *s,
				 gfp_t gfp, int node)
{
	unsigned long flags;
	size_t size;

	if (!READ_ONCE(ks_enabled) || ZERO_OR_NULL_PTR(ptr))
		return;
	if (!ks_enter(&flags, KS_HOOK_KMEM_CACHE_ALLOC))
		return;
	size = ks_compat_cache_obj_size(s);
	ks_store_alloc(&ks_store, (unsigned long)ptr, call_site, size, size,
		       KS_KMEM_CACHE);
	ks_exit(flags);
}

static __always_inline void ks_free(const void *ptr, enum ks_hook h)
{
	unsigned long flags;

	/* Frees are recorded even while disabled: records must not go stale. */
	if (ZERO_OR_NULL_PTR(ptr))
		return;
	if (!ks_enter(&flags, h))
		return;
	ks_store_free(&ks_store, (unsigned long)ptr);
	ks_exit(flags);
}

static void ks_probe_kfree(void *data, unsigned long call_site,
			   const void *ptr)
{
	ks_free(ptr, KS_HOOK_KFREE);
}

static void ks_probe_cache_free(void *data, unsigned long call_site,
				const void *ptr, const struct kmem_cache *s)
{
	ks_free(ptr, KS_HOOK_KMEM_CACHE_FREE);
}

static void ks_set(enum ks_hook h, int err)
{
	ks_hooks[h].error = err;
	ks_hooks[h].state = err ? KS_HOOK_FAILED : KS_HOOK_ATTACHED;
	if (err)
		pr_err("cannot attach to tracepoint %s: %d\n", ks_hooks[h].name,
		       err);
}

int ks_hooks_register(void)
{
	ks_set(KS_HOOK_KMALLOC, register_trace_kmalloc(ks_probe_kmalloc, NULL));
	ks_set(KS_HOOK_KMEM_CACHE_ALLOC,
	       register_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL));
	ks_set(KS_HOOK_KFREE, register_trace_kfree(ks_probe_kfree, NULL));
	ks_set(KS_HOOK_KMEM_CACHE_FREE,
	       register_trace_kmem_cache_free(ks_probe_cache_free, NULL));

	/* Allocations without their frees would be worse than nothing. */
	if (ks_hooks[KS_HOOK_KFREE].error ||
	    ks_hooks[KS_HOOK_KMEM_CACHE_FREE].error) {
		ks_hooks_unregister();
		return -ENODEV;
	}
	return 0;
}

void ks_hooks_unregister(void)
{
	if (ks_hooks[KS_HOOK_KMALLOC].state != KS_HOOK_FAILED)
		unregister_trace_kmalloc(ks_probe_kmalloc, NULL);
	if (ks_hooks[KS_HOOK_KMEM_CACHE_ALLOC].state != KS_HOOK_FAILED)
		unregister_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL);
	if (ks_hooks[KS_HOOK_KFREE].state != KS_HOOK_FAILED)
		unregister_trace_kfree(ks_probe_kfree, NULL);
	if (ks_hooks[KS_HOOK_KMEM_CACHE_FREE].state != KS_HOOK_FAILED)
		unregister_trace_kmem_cache_free(ks_probe_cache_free, NULL);
	/* No probe may still be running once the store is torn down. */
	tracepoint_synchronize_unregister();
	for (int h = 0; h < KS_NR_HOOKS; h++)
		if (ks_hooks[h].state != KS_HOOK_FAILED)
			ks_hooks[h].state = KS_HOOK_OFF;
}

static void ks_verdict(enum ks_hook h, bool fired)
{
	if (ks_hooks[h].state != KS_HOOK_ATTACHED)
		return;
	ks_hooks[h].state = fired ? KS_HOOK_VERIFIED : KS_HOOK_SILENT;
	if (!fired)
		pr_warn("hook %s attached but did not fire in the self-test\n",
			ks_hooks[h].name);
}

/*
 * Allocate and free through each hooked path once and check that the store
 * saw it.  A hook that stays silent is reported in the summary.
 * Context: process (module init), tracking enabled.
 * Return: the number of hooks that did not pass.
 */
noinline int ks_hooks_selftest(void)
{
	struct ks_record_info info;
	struct kmem_cache *cache;
	bool seen_alloc, seen_free;
	void *p;
	int h, bad = 0;

	p = kmalloc(24, GFP_KERNEL);
	if (p) {
		seen_alloc = ks_store_lookup(&ks_store, (unsigned long)p, &info) &&
			     info.kind == KS_KMALLOC && info.bytes_req == 24;
		kfree(p);
		seen_free = !ks_store_lookup(&ks_store, (unsigned long)p, NULL);
		ks_verdict(KS_HOOK_KMALLOC, seen_alloc);
		ks_verdict(KS_HOOK_KFREE, seen_alloc && seen_free);
	}

	cache = kmem_cache_create("kmemscope_selftest", 40, 0, 0, NULL);
	if (cache) {
		p = kmem_cache_alloc(cache, GFP_KERNEL);
		if (p) {
			seen_alloc = ks_store_lookup(&ks_store, (unsigned long)p,
						     &info) &&
				     info.kind == KS_KMEM_CACHE &&
				     info.bytes_req == 40;
			kmem_cache_free(cache, p);
			seen_free = !ks_store_lookup(&ks_store,
						     (unsigned long)p, NULL);
			ks_verdict(KS_HOOK_KMEM_CACHE_ALLOC, seen_alloc);
			ks_verdict(KS_HOOK_KMEM_CACHE_FREE,
				   seen_alloc && seen_free);
		}
		kmem_cache_destroy(cache);
	}

	for (h = 0; h < KS_NR_HOOKS; h++)
		if (ks_hooks[h].state != KS_HOOK_VERIFIED)
			bad++;
	return bad;
}

unsigned long ks_hooks_recursion_drops(void)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(ks_recursion, cpu);
	return sum;
}

unsigned long ks_hooks_hits(enum ks_hook h)
{
	unsigned long sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += per_cpu(ks_hits[h], cpu);
	return sum;
}
