// SPDX-License-Identifier: GPL-2.0
/*
 * hooks.c - the probes on the kernel's allocation paths.
 *
 *   kmalloc, kmem_cache_alloc, kfree, kmem_cache_free   exported tracepoints
 *   (5.10: also kmalloc_node, kmem_cache_alloc_node; no kmem_cache argument)
 *   mm_page_alloc, mm_page_free                          tracepoints, by name
 *   percpu_alloc_percpu, percpu_free_percpu              tracepoints, by name
 *   (5.10: no call site in the event: found in the backtrace)
 *   __vmalloc_node_range                                 kretprobe (caller: 9th arg)
 *     (x86_64 from 6.2: an ftrace entry callback, and the
 *     alloc_vmap_area and free_vmap_area_noflush events)
 *   vmalloc, vzalloc, __vmalloc_node, ... (5.10 only:     kretprobes
 *     the above is inlined in them; compat.h)
 *   vfree (x86_64 from 6.1: an ftrace entry callback),   kprobes
 *     vfree_atomic (6.1)
 *   kmem_cache_alloc_bulk                                kretprobe
 *   kmem_cache_free_bulk (and kfree_bulk, inline)        kprobe
 *   __alloc_pages_bulk (none on 5.10)                    kretprobe: one record
 *     (x86_64 from 6.1: an ftrace entry callback that     a page
 *     sends the call through ks_bulk_redirect())
 *   split_page                                           kprobe: one record a page
 *   alloc_pages_exact                                    kretprobe: the same
 *   krealloc (in place: no tracepoint)                   kretprobe
 *     (5.10: a kprobe, which decides with __ksize(); compat.h)
 *   __kfree_rcu_sheaf (6.18 on: kfree_rcu, untraced)     kretprobe
 *   kfree_nolock (6.18 on, untraced)                     kprobe
 *   dma_alloc_attrs, dma_alloc_pages,                    kretprobes
 *     dma_alloc_noncontiguous (5.12 on)
 *   dma_free_attrs, dma_free_pages,                      kprobes
 *     dma_free_noncontiguous
 *   cma_alloc_finish (5.10: cma_alloc), cma_release      tracepoints, by name:
 *                                                          size a DMA buffer
 *
 * Each byte is counted once.  A record is one object handed to a caller:
 * a kmalloc (large ones too: their pages are not recorded again), a cache
 * object, a vmalloc area, a percpu object, or pages a caller took straight
 * from the page allocator.  Pages the page allocator hands to slab,
 * vmalloc or percpu, page tables, and user and page-cache pages are
 * counted per class in the summary but not recorded (attrib.c classifies
 * by caller; a movable page is a user page only when its caller is core
 * kernel code that attrib.c does not name as a kernel owner).
 * A page free names its order: freeing less than was allocated (the
 * classic free_pages(p, 0) of an order-2 allocation) leaves the rest
 * recorded, and split_page() makes one record per page.
 *
 * Notes on locking and context
 * ----------------------------
 * Tracepoint probes and kprobe handlers run with preemption off, in any
 * context but NMI, possibly with interrupts off and under allocator locks
 * (percpu_free_percpu under pcpu_lock).  The exception: on x86 a kprobe
 * that is an int3 (not ftrace-based) runs in NMI context.  Kprobe
 * pre-handlers here only record frees, and the free path only tries its
 * locks in NMI context (store.c).  Every probe here, but for the pending
 * slots of the slab and page probes (below):
 * - disables interrupts for its whole run, so that an allocation in an
 *   interrupt handler cannot nest inside it on the same CPU;
 * - then checks a per-CPU nesting counter: a second entry on the same CPU
 *   can only be recursion; it is dropped and counted;
 * - uses a per-CPU scratch area for backtraces (interrupts are off);
 * - never sleeps, never allocates, takes only raw spinlocks.
 * ks_sw.paused is set, then synchronize_rcu() waits out running probes, when
 * the control file resets the store.
 *
 * The slab probes' common case (tracking, stacks off), and the page
 * probe's for a single page whose caller the entry callbacks gave, keep
 * the allocation pending in this CPU's slot for its context (ks_stash_do():
 * store.h's ks_store_stash()), and a free of it on this CPU counts the
 * pair (ks_slab_free(), ks_probe_page_free()), both with interrupts on and
 * without the nesting guard: they take no lock, an interrupt uses the slot
 * of its own context, and a slot is taken with cmpxchg() (store.c).  They
 * check ks_sw.paused themselves.
 *
 * vfree()'s ftrace entry callback (x86_64 from 6.1) runs with preemption
 * on, as its caller had it: it does all its work inside ks_enter(), with
 * interrupts off, so a reset's synchronize_rcu() waits for it as for the
 * probes; unregister_ftrace_function() waits for it at unload.  So does
 * the bulk allocator's (x86_64 from 6.1), which only reads and counts;
 * ks_bulk_redirect(), where it sends a call, works as the kretprobe's
 * handlers would, and is waited for at unload by a count of the tasks in
 * it (ks_pages_bulk_detach()).
 *
 * vmalloc's entry callback (x86_64 from 6.2) only notes the call in a
 * slot of its own table, without a lock (its locking notes are above
 * ks_vm_slots); the area is recorded by the probe on vmap's event, as
 * the probes above do.
 *
 * Task slots (ks_task_slot_claim()) are claimed with cmpxchg() and given
 * back with a release store; only their task touches their value.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/slab.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/device.h>
#include <linux/dma-direct.h>
#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <linux/security.h>
#include <linux/stacktrace.h>
#include <linux/tracepoint.h>
#include <linux/vmalloc.h>
#include <trace/events/kmem.h>

#include "hooks.h"
#include "state.h"
#include "attrib.h"
#include "compat.h"
#include "pagecaller.h"
#include "dmabuf.h"

struct ks_hook_info ks_hooks[KS_NR_HOOKS] = {
	[KS_HOOK_KMALLOC]		= { .name = "kmalloc" },
	[KS_HOOK_KMEM_CACHE_ALLOC]	= { .name = "kmem_cache_alloc" },
	[KS_HOOK_KFREE]			= { .name = "kfree" },
	[KS_HOOK_KMEM_CACHE_FREE]	= { .name = "kmem_cache_free" },
	[KS_HOOK_PAGE_ALLOC]		= { .name = "mm_page_alloc" },
	[KS_HOOK_PAGE_FREE]		= { .name = "mm_page_free" },
	[KS_HOOK_PERCPU_ALLOC]		= { .name = "percpu_alloc_percpu" },
	[KS_HOOK_PERCPU_FREE]		= { .name = "percpu_free_percpu" },
	[KS_HOOK_VMALLOC]		= { .name = "vmalloc" },
	[KS_HOOK_VFREE]			= { .name = "vfree" },
	[KS_HOOK_VFREE_ATOMIC]		= { .name = "vfree_atomic" },
	[KS_HOOK_CACHE_ALLOC_BULK]	= { .name = "kmem_cache_alloc_bulk" },
	[KS_HOOK_CACHE_FREE_BULK]	= { .name = "kmem_cache_free_bulk" },
	[KS_HOOK_PAGES_BULK]		= { .name = "alloc_pages_bulk" },
	[KS_HOOK_SPLIT_PAGE]		= { .name = "split_page" },
	[KS_HOOK_PAGES_EXACT]		= { .name = "alloc_pages_exact" },
	[KS_HOOK_KREALLOC]		= { .name = "krealloc" },
	[KS_HOOK_KFREE_RCU_SHEAF]	= { .name = "kfree_rcu_sheaf" },
	[KS_HOOK_KFREE_NOLOCK]		= { .name = "kfree_nolock" },
	[KS_HOOK_DMA_ALLOC]		= { .name = "dma_alloc_attrs" },
	[KS_HOOK_DMA_FREE]		= { .name = "dma_free_attrs" },
	[KS_HOOK_DMA_PAGES]		= { .name = "dma_alloc_pages" },
	[KS_HOOK_DMA_FREE_PAGES]	= { .name = "dma_free_pages" },
	[KS_HOOK_DMA_NONCONTIG]		= { .name = "dma_alloc_noncontiguous" },
	[KS_HOOK_DMA_FREE_NONCONTIG]	= { .name = "dma_free_noncontiguous" },
	[KS_HOOK_CMA_ALLOC]		= { .name = KS_COMPAT_CMA_TP },
};

/* Frames a backtrace may need before the caller: probe, glue, allocator. */
#define KS_WALK_EXTRA	16
/*
 * Frames unwound only to find the caller (stacks off): probe, tracepoint
 * glue, the page allocator's two or three levels, up to three wrappers and
 * the caller fit; unwinding costs per frame, so stop there.
 */
#define KS_WALK_CALLER	12

/*
 * A page allocation's first walk takes as many frames as the calibrated
 * path from the page probe to a direct caller of alloc_pages() needs
 * (ks_page_walk, attrib.c), plus KS_WALK_SLACK for one wrapper
 * (__get_free_pages()); a caller past them costs a second walk of
 * KS_WALK_CALLER frames (counted: page_caller_walked_twice).  A frame of
 * x86's ORC unwinder costs about 360 instructions (make bench): the order-0
 * page pair went from 7,535 to 5,189 instructions with it.
 */
#define KS_WALK_SLACK	1

struct ks_scratch {
	unsigned long entries[KS_STACK_MAX_DEPTH + KS_WALK_EXTRA];
};

static DEFINE_PER_CPU(unsigned int, ks_nesting);
static DEFINE_PER_CPU(unsigned long, ks_recursion);
static DEFINE_PER_CPU(unsigned long, ks_hits[KS_NR_HOOKS]);
static DEFINE_PER_CPU(struct ks_scratch, ks_scratch);

/* Calibration (selftest.c): the raw backtrace of one page allocation. */
struct ks_calib ks_calib;

atomic_long_t ks_filtered_small;
atomic_long_t ks_bulk_pages;
atomic_long_t ks_bulk_unseen;
/* The bulk page allocator's hook is attached: its pages are recorded. */
static bool ks_pages_bulk_on;
/* That hook is an ftrace callback, not the kretprobe (ks_bulk_redirect()). */
static bool ks_bulk_by_ftrace;
atomic_long_t ks_unknown_callers;
atomic_long_t ks_page_rewalks;
atomic_long_t ks_user_pages;

/*
 * While the krealloc kretprobe is armed, krealloc()'s return address is
 * the kprobe core's trampoline, so the kmalloc it makes when the object
 * moves reports the trampoline as its call site (_RET_IP_).  Learnt once
 * at registration (ks_krealloc_learn()); such a call site is then found
 * in the backtrace, as a wrapper's is (the unwinder puts the real return
 * address back).
 */
static unsigned long ks_krealloc_tramp;
static struct task_struct *ks_krealloc_learner;

static __always_inline bool ks_enter_hit(unsigned long *flags,
					 enum ks_hook h, bool hit)
{
	local_irq_save(*flags);
	if (hit)
		__this_cpu_inc(ks_hits[h]);
	if (unlikely(READ_ONCE(ks_sw.paused))) {
		local_irq_restore(*flags);
		return false;
	}
	if (unlikely(__this_cpu_inc_return(ks_nesting) != 1)) {
		__this_cpu_dec(ks_nesting);
		__this_cpu_inc(ks_recursion);
		local_irq_restore(*flags);
		return false;
	}
	return true;
}

/* Enter a probe's work (the hit counted) or return false to skip it. */
static __always_inline bool ks_enter(unsigned long *flags, enum ks_hook h)
{
	return ks_enter_hit(flags, h, true);
}

static __always_inline void ks_exit(unsigned long flags)
{
	__this_cpu_dec(ks_nesting);
	local_irq_restore(flags);
}

/*
 * Task slots: a value kept for a task while it is inside a call a
 * kretprobe watches, for probes that fire within the call in that task
 * (in task context) to read or update.  A slot is claimed with cmpxchg()
 * on its task pointer and given back with a release store; only its task
 * touches its value meanwhile, so the value needs no lock.  When every
 * slot is taken the call goes without one (each user says what it loses).
 */
#define KS_TASK_SLOTS	32

struct ks_task_slots {
	struct {
		struct task_struct *task;
		unsigned long val;
		const void *aux;	/* a second value, where one needs it */
	} slot[KS_TASK_SLOTS];
	atomic_t active;
};

/* Return: the slot's index, or -1 when all are taken. */
static int ks_task_slot_claim(struct ks_task_slots *t, unsigned long val)
{
	int i;

	for (i = 0; i < KS_TASK_SLOTS; i++)
		if (!READ_ONCE(t->slot[i].task) &&
		    !cmpxchg(&t->slot[i].task, NULL, current)) {
			WRITE_ONCE(t->slot[i].val, val);
			WRITE_ONCE(t->slot[i].aux, NULL);
			atomic_inc(&t->active);
			return i;
		}
	return -1;
}

/* Return: the slot's value (0 for no slot); *@aux (if not NULL): its aux. */
static unsigned long ks_task_slot_release(struct ks_task_slots *t, int i,
					  const void **aux)
{
	unsigned long val;

	if (aux)
		*aux = i < 0 ? NULL : READ_ONCE(t->slot[i].aux);
	if (i < 0)
		return 0;
	val = READ_ONCE(t->slot[i].val);
	atomic_dec(&t->active);
	/* Pairs with the cmpxchg() that claims it. */
	smp_store_release(&t->slot[i].task, NULL);
	return val;
}

/* Current's slot's index, or -1 when it holds none. */
static int ks_task_slot_find(struct ks_task_slots *t)
{
	int i;

	if (!atomic_read(&t->active) || !in_task())
		return -1;
	for (i = 0; i < KS_TASK_SLOTS; i++)
		if (READ_ONCE(t->slot[i].task) == current)
			return i;
	return -1;
}

/*
 * Where the unwinder stops at a kretprobe's trampoline (5.10, compat.h),
 * the pages alloc_pages_exact() takes show the trampoline where its
 * caller should be: while a task is in it, its caller waits in a task
 * slot, for the page probe of that task to use.  When all are taken, the
 * trampoline is left as the call site.
 */
static struct ks_task_slots ks_exact_slots;

/* The caller of the alloc_pages_exact() current is in, or 0. */
static unsigned long ks_exact_caller(void)
{
	int i;

	if (!KS_COMPAT_UNWIND_STOPS_AT_KRETPROBE)
		return 0;
	i = ks_task_slot_find(&ks_exact_slots);
	return i < 0 ? 0 : READ_ONCE(ks_exact_slots.slot[i].val);
}

/* Frames the first walk of ks_record() takes. */
static __always_inline unsigned int ks_walk_depth(bool stacks, bool page)
{
	unsigned int w;

	if (stacks)
		return ARRAY_SIZE(ks_scratch.entries);
	if (!page)
		return KS_WALK_CALLER;
	w = READ_ONCE(ks_page_walk) + KS_WALK_SLACK;
	return w > KS_WALK_SLACK && w < KS_WALK_CALLER ? w : KS_WALK_CALLER;
}

/*
 * The index in e[0..*n), a backtrace of at most @walk frames, of the
 * caller: the first frame past the allocator and its wrappers
 * (__ks_attrib_skip()).  A walk that filled @walk frames without reaching
 * it is taken again at @rewalk (counted: page_caller_walked_twice), and
 * *n is then that walk's length.  *@bulk (if not NULL): a frame passed
 * is the bulk page allocator's, so the page is its one-page fallback's.
 * Return: the index, or *n for none.
 */
static unsigned int ks_skip_to_caller(unsigned long *e, unsigned int *n,
				      unsigned int walk, unsigned int rewalk,
				      unsigned long call_site, bool page,
				      bool *bulk)
{
	unsigned int i = __ks_attrib_skip(e, *n, call_site, page, bulk);

	if (unlikely(i >= *n && *n == walk && walk < rewalk)) {
		atomic_long_inc(&ks_page_rewalks);
		*n = stack_trace_save(e, rewalk, 0);
		if (bulk)
			*bulk = false;
		i = __ks_attrib_skip(e, *n, call_site, page, bulk);
	}
	return i;
}

/* What ks_record_stack() needs of the allocation. */
struct ks_stack_arg {
	unsigned long call_site;
	bool page;
};

/*
 * Save the backtrace of an allocation whose site wants one while stacks
 * are on for some modules only: called by the store once the site is
 * known (a ks_stack_fn).  Returns the stack id, or 0.
 */
static u32 ks_record_stack(void *arg)
{
	const struct ks_stack_arg *sa = arg;
	unsigned long *e = this_cpu_ptr(&ks_scratch)->entries;
	unsigned int n, i;

	n = stack_trace_save(e, ARRAY_SIZE(ks_scratch.entries), 0);
	i = ks_attrib_skip(e, n, sa->call_site, sa->page);
	if (i >= n)
		return 0;
	return ks_stacks_save(&ks_stacks, e + i,
			      min(n - i, READ_ONCE(ks_stack_depth)));
}

/*
 * Record one allocation.  call_site is the allocator's; for pages the
 * caller the entry callbacks gave (pagecaller.c), or 0.  A backtrace is
 * taken when stacks are on, for pages without a caller, and when call_site
 * is inside a wrapper; the site is then the first frame past the
 * allocator and the wrappers.  While stacks are on for some modules only,
 * a site of theirs gets one once the store has found it
 * (ks_store_alloc_stack()); the others cost what they cost with stacks
 * off.  @page: a page whose caller is looked for above the page
 * allocator (false for the bulk allocator's, whose caller is known).
 * @stack: a backtrace already saved for the same call (the bulk
 * allocator's pages after the first), or 0.  @hint: the KS_HINT_* of the
 * allocation.  Context: inside ks_enter().
 * Return: the backtrace saved with stacks on, or 0.
 */
static u32 __ks_record(unsigned long ptr, unsigned long call_site,
		       size_t req, size_t alloc, gfp_t gfp, u8 kind, u8 hint,
		       bool page, u32 stack)
{
	struct ks_alloc a = {
		.ptr = ptr, .call_site = call_site, .bytes_req = req,
		.bytes_alloc = alloc, .gfp = (__force u32)gfp, .kind = kind,
		.hint = hint, .stack = stack,
	};
	unsigned int depth = READ_ONCE(ks_stack_depth);
	bool stacks = READ_ONCE(ks_sw.stacks_on);

	if (unlikely(alloc < READ_ONCE(ks_min_size))) {
		atomic_long_inc(&ks_filtered_small);
		return 0;
	}
	if ((stacks && !stack) || (page && !call_site) ||
	    ks_attrib_in_fast(call_site, KS_RANGE_WRAPPER) ||
	    call_site == READ_ONCE(ks_krealloc_tramp)) {
		unsigned long *e = this_cpu_ptr(&ks_scratch)->entries;
		unsigned int n, i, walk = ks_walk_depth(stacks, page);
		bool bulk = false;

		n = stack_trace_save(e, walk, 0);
		if (unlikely(kind == READ_ONCE(ks_calib.kind) && !ks_calib.n &&
			     ks_attrib_calib_wants(READ_ONCE(ks_calib.task)))) {
			memcpy(ks_calib.entries, e, n * sizeof(*e));
			ks_calib.n = n;
		}
		i = ks_skip_to_caller(e, &n, walk, KS_WALK_CALLER, call_site,
				      page, &bulk);
		/* The bulk allocator's own page: recorded when it returns. */
		if (page && bulk && READ_ONCE(ks_pages_bulk_on))
			return 0;
		if (page && ks_exact_caller()) {
			a.call_site = ks_exact_caller();
		} else if (i < n) {
			a.call_site = e[i];
		} else if (page) {
			atomic_long_inc(&ks_unknown_callers);
			/* Movable, no caller: most likely a user page. */
			if (a.hint & KS_HINT_MOVABLE) {
				atomic_long_inc(&ks_user_pages);
				return 0;
			}
			a.call_site = KS_UNKNOWN_CALLER;
		}
		if (stacks && i < n)
			a.stack = ks_stacks_save(&ks_stacks, e + i,
						 min(n - i, depth));
	}
	if (likely(!READ_ONCE(ks_sw.stacks_module_on)) || stacks) {
		ks_store_alloc(&ks_store, &a);
	} else {
		struct ks_stack_arg sa = { .call_site = call_site, .page = page };

		ks_store_alloc_stack(&ks_store, &a, ks_record_stack, &sa);
	}
	return a.stack;
}

/*
 * An allocation that needs no backtrace to find its site, passes the size
 * filter and takes no stack (stacks off; with stacks on for some modules
 * only, ks_record_lean_stack()): the store is all there is to do
 * (ks_store_alloc_obj()).  The slab allocators' common case, and pages
 * whose caller the entry callbacks found: with the free path inlined in
 * ks_store_free(), a kmalloc pair went from 666.6 to 606.9 instructions
 * (make bench).  A call site inside
 * a range that is not a wrapper's (the allocator's own: vmalloc's
 * vm_struct and vmap_area) takes it too, after one search of the ranges,
 * the same search __ks_record() would make.
 */
static __always_inline bool ks_site_lean(unsigned long call_site,
					 size_t alloc)
{
	return alloc >= READ_ONCE(ks_min_size) &&
	       call_site != READ_ONCE(ks_krealloc_tramp) &&
	       !ks_attrib_in_fast(call_site, KS_RANGE_WRAPPER);
}

static __always_inline bool ks_record_lean(unsigned long call_site,
					   size_t alloc)
{
	return !READ_ONCE(ks_sw.stacks_on) && ks_site_lean(call_site, alloc);
}

/*
 * ks_record_lean()'s allocation while stacks are on for some modules
 * only: the store takes a backtrace if the site is theirs
 * (ks_record_stack()), and is otherwise what the lean path is.  Out of
 * line, so that the common case carries none of it.
 */
static noinline void ks_record_lean_stack(unsigned long ptr,
					  unsigned long call_site, size_t req,
					  size_t alloc, gfp_t gfp, u8 kind,
					  u8 hint)
{
	struct ks_alloc a = {
		.ptr = ptr, .call_site = call_site, .bytes_req = req,
		.bytes_alloc = alloc, .gfp = (__force u32)gfp, .kind = kind,
		.hint = hint,
	};
	struct ks_stack_arg sa = {
		.call_site = call_site, .page = kind == KS_PAGE,
	};

	ks_store_alloc_stack(&ks_store, &a, ks_record_stack, &sa);
}

/*
 * Record one allocation; a page's caller is looked for above the page
 * allocator.  Context: inside ks_enter().
 */
static __always_inline void ks_record(unsigned long ptr,
				      unsigned long call_site, size_t req,
				      size_t alloc, gfp_t gfp, u8 kind)
{
	u8 hint = ks_alloc_hint(kind, (__force u32)gfp);

	/* A page's caller from the entry callbacks, or none: unwind. */
	if ((kind != KS_PAGE || call_site) &&
	    ks_record_lean(call_site, alloc)) {
		if (likely(!READ_ONCE(ks_sw.stacks_module_on)))
			ks_store_alloc_obj(&ks_store, ptr, call_site, req,
					   alloc, gfp, kind, hint);
		else
			ks_record_lean_stack(ptr, call_site, req, alloc, gfp,
					     kind, hint);
		return;
	}
	__ks_record(ptr, call_site, req, alloc, gfp, kind, hint,
		    kind == KS_PAGE, 0);
}

/*
 * A slab allocation or a single page while tracking, not paused, with
 * stacks off (the switches are one word, KS_SW_LEAN), that
 * ks_record_lean() would take: kept pending in this CPU's slot for its
 * context (ks_store_stash()), outside ks_enter(): no lock is taken, so
 * interrupts stay on, and an interrupt's allocation takes the slot of its
 * own context.  The hit is counted here.  When the slot is taken, the new
 * allocation is recorded, except each 256th time the slot is found taken
 * (its u8 miss count wraps): then the slot's own allocation is recorded
 * and the new one takes its place (ks_store_stash_swap()).  Both inside
 * ks_enter().
 */
static __always_inline void ks_stash_do(unsigned long ptr,
					unsigned long call_site, size_t req,
					size_t alloc, gfp_t gfp, u8 kind,
					enum ks_hook h)
{
	unsigned long flags;
	int ret;

	this_cpu_inc(ks_hits[h]);
	ret = ks_store_stash(&ks_store, ptr, call_site, req, alloc, gfp, kind);
	if (likely(ret > 0))
		return;
	if (!ks_enter_hit(&flags, h, false))
		return;
	if (ret)
		ks_store_stash_swap(&ks_store, ptr, call_site, req, alloc, gfp,
				    kind);
	else
		ks_store_alloc_obj(&ks_store, ptr, call_site, req, alloc, gfp,
				   kind, ks_alloc_hint(kind, (__force u32)gfp));
	ks_exit(flags);
}

/*
 * ks_stash_do() for a slab allocation, if it is one to keep pending.
 * Return: true when done; false: not such an allocation.
 */
static __always_inline bool ks_stash(unsigned long ptr,
				     unsigned long call_site, size_t req,
				     size_t alloc, gfp_t gfp, u8 kind,
				     enum ks_hook h)
{
	if (READ_ONCE(ks_sw.word) != KS_SW_LEAN ||
	    !ks_site_lean(call_site, alloc))
		return false;
	ks_stash_do(ptr, call_site, req, alloc, gfp, kind, h);
	return true;
}

static void ks_probe_kmalloc(void *data, unsigned long call_site,
			     const void *ptr, size_t bytes_req,
			     size_t bytes_alloc, gfp_t gfp, int node)
{
	unsigned long flags;

	if (unlikely(READ_ONCE(ks_krealloc_learner) == current) && in_task())
		WRITE_ONCE(ks_krealloc_tramp, call_site);
	if (ZERO_OR_NULL_PTR(ptr))
		return;
	/* Reported again, with its caller, when the entry point returns. */
	if (unlikely(bytes_alloc > KMALLOC_MAX_CACHE_SIZE) &&
	    ks_attrib_in_fast(call_site, KS_RANGE_KMALLOC_TWICE))
		return;
	if (ks_stash((unsigned long)ptr, call_site, bytes_req, bytes_alloc,
		     gfp, KS_KMALLOC, KS_HOOK_KMALLOC))
		return;
	if (!READ_ONCE(ks_sw.enabled) || !ks_enter(&flags, KS_HOOK_KMALLOC))
		return;
	ks_record((unsigned long)ptr, call_site, bytes_req, bytes_alloc, gfp,
		  KS_KMALLOC);
	ks_exit(flags);
}

static void ks_cache_alloc(unsigned long call_site, const void *ptr,
			   size_t size, gfp_t gfp)
{
	unsigned long flags;

	if (ZERO_OR_NULL_PTR(ptr))
		return;
	if (ks_stash((unsigned long)ptr, call_site, size, size, gfp,
		     KS_KMEM_CACHE, KS_HOOK_KMEM_CACHE_ALLOC))
		return;
	if (!READ_ONCE(ks_sw.enabled) ||
	    !ks_enter(&flags, KS_HOOK_KMEM_CACHE_ALLOC))
		return;
	ks_record((unsigned long)ptr, call_site, size, size, gfp,
		  KS_KMEM_CACHE);
	ks_exit(flags);
}

#if KS_COMPAT_SLAB_TP_NODE_EVENTS
/*
 * No kmem_cache argument (compat.h): bytes_req is the cache's object
 * size, what kmem_cache_size() gives; bytes_alloc is its slot size.
 */
static void ks_probe_cache_alloc(void *data, unsigned long call_site,
				 const void *ptr, size_t bytes_req,
				 size_t bytes_alloc, gfp_t gfp)
{
	ks_cache_alloc(call_site, ptr, bytes_req, gfp);
}

static void ks_probe_cache_alloc_node(void *data, unsigned long call_site,
				      const void *ptr, size_t bytes_req,
				      size_t bytes_alloc, gfp_t gfp, int node)
{
	ks_cache_alloc(call_site, ptr, bytes_req, gfp);
}

static void ks_probe_kmalloc_nonode(void *data, unsigned long call_site,
				    const void *ptr, size_t bytes_req,
				    size_t bytes_alloc, gfp_t gfp)
{
	ks_probe_kmalloc(data, call_site, ptr, bytes_req, bytes_alloc, gfp,
			 NUMA_NO_NODE);
}
#else
static void ks_probe_cache_alloc(void *data, unsigned long call_site,
				 const void *ptr, struct kmem_cache *s,
				 gfp_t gfp, int node)
{
	if (!ZERO_OR_NULL_PTR(ptr))
		ks_cache_alloc(call_site, ptr, ks_compat_cache_obj_size(s),
			       gfp);
}
#endif

/* Frees are processed even while disabled: records must not go stale. */
static __always_inline void ks_free(unsigned long ptr, enum ks_hook h,
				    enum ks_kind kind)
{
	unsigned long flags;

	if (!ks_enter(&flags, h))
		return;
	ks_store_free(&ks_store, ptr, kind);
	ks_exit(flags);
}

/*
 * A free of a pending allocation of this CPU's (ks_stash_do()), done
 * outside ks_enter() (its hit counted here).  @page, a constant: a single
 * page's free, else a slab object's.  Return: true when done; false: the
 * free goes the table's way.
 */
static __always_inline bool ks_free_pending(unsigned long ptr, enum ks_hook h,
					    bool page)
{
	struct ks_pend *p = ks_store_pending(&ks_store, ptr);

	if (!p || unlikely(READ_ONCE(ks_sw.paused)))
		return false;
	if (!(page ? ks_store_unstash_page(&ks_store, p, ptr) :
		     ks_store_unstash(&ks_store, p, ptr)))
		return false;
	this_cpu_inc(ks_hits[h]);
	return true;
}

/* A slab free: of a pending allocation (above), else the table's way. */
static __always_inline void ks_slab_free(unsigned long ptr, enum ks_hook h,
					 enum ks_kind kind)
{
	if (!ks_free_pending(ptr, h, false))
		ks_free(ptr, h, kind);
}

static void ks_probe_kfree(void *data, unsigned long call_site,
			   const void *ptr)
{
	if (!ZERO_OR_NULL_PTR(ptr))
		ks_slab_free((unsigned long)ptr, KS_HOOK_KFREE, KS_KMALLOC);
}

#if KS_COMPAT_SLAB_TP_NODE_EVENTS
static void ks_probe_cache_free(void *data, unsigned long call_site,
				const void *ptr)
#else
static void ks_probe_cache_free(void *data, unsigned long call_site,
				const void *ptr, const struct kmem_cache *s)
#endif
{
	if (!ZERO_OR_NULL_PTR(ptr))
		ks_slab_free((unsigned long)ptr, KS_HOOK_KMEM_CACHE_FREE,
			     KS_KMEM_CACHE);
}

/* ---- page allocator ---------------------------------------------------- */

/*
 * Record a page inside ks_enter(): its caller as ks_pagecaller_take() gave
 * it (@taken), else taken here, measured from the probe's @sp.
 */
static __always_inline void __ks_page_record(struct page *page,
					     unsigned int order, gfp_t gfp,
					     unsigned long caller, bool taken,
					     unsigned long sp)
{
	unsigned long flags;

	if (!ks_enter(&flags, KS_HOOK_PAGE_ALLOC))
		return;
	if (!taken)
		caller = ks_pagecaller_take(sp, true);
	ks_record((unsigned long)page, caller, PAGE_SIZE << order,
		  PAGE_SIZE << order, gfp, KS_PAGE);
	ks_exit(flags);
}

/*
 * Out of line where the entry callbacks give callers, so that the stash
 * path saves fewer registers.  Elsewhere every page's caller is unwound,
 * inline: a frame more cost the walk 143 instructions a page pair
 * (arm64-6.1, make bench).
 */
static noinline void ks_page_record(struct page *page, unsigned int order,
				    gfp_t gfp, unsigned long caller,
				    bool taken, unsigned long sp)
{
	__ks_page_record(page, order, gfp, caller, taken, sp);
}

/*
 * A single page whose caller the entry callbacks gave, with stacks off,
 * is kept pending as a slab object is (ks_stash_do()): the caller is
 * taken before ks_enter(), with interrupts on (pagecaller.h's state is
 * per context).  Such a caller is outside the allocator and its wrappers
 * (ks_pc_caller()), so of ks_site_lean()'s tests only the size filter is
 * left.  Any other page is recorded inside ks_enter(), after a backtrace
 * when the caller is not known.
 */
static void ks_probe_page_alloc(void *data, struct page *page,
				unsigned int order, gfp_t gfp, int migratetype)
{
	union ks_switches sw = { .word = READ_ONCE(ks_sw.word) };
	unsigned long caller, sp = ks_pagecaller_sp();

	if (!sw.enabled)
		return;
	if (!page) {
		/* A failed allocation: its caller's entry goes (pagecaller.h). */
		ks_pagecaller_take(sp, false);
		return;
	}
	if (!KS_COMPAT_PAGE_FTRACE) {
		__ks_page_record(page, order, gfp, 0, false, sp);
		return;
	}
	if (!order && sw.word == KS_SW_LEAN) {
		caller = ks_pagecaller_take(sp, true);
		if (likely(caller) && PAGE_SIZE >= READ_ONCE(ks_min_size))
			ks_stash_do((unsigned long)page, caller, PAGE_SIZE,
				    PAGE_SIZE, gfp, KS_PAGE, KS_HOOK_PAGE_ALLOC);
		else
			ks_page_record(page, order, gfp, caller, true, sp);
		return;
	}
	ks_page_record(page, order, gfp, 0, false, sp);
}

/*
 * The pages freed are 1 << order from page on; a record holding more
 * keeps the rest, from the next page on (store.c).
 */
static void ks_probe_page_free(void *data, struct page *page,
			       unsigned int order)
{
	unsigned long flags;

	if (!page)
		return;
	/* Only a single page with a caller from the entry callbacks pends. */
	if (KS_COMPAT_PAGE_FTRACE && !order &&
	    ks_free_pending((unsigned long)page, KS_HOOK_PAGE_FREE, true))
		return;
	/*
	 * Most pages freed were never recorded (user and file pages, slab
	 * and vmalloc backing, memory from before the load): the page map
	 * says so without the table's lock, and interrupts stay on.
	 */
	if (ks_store_page_unheld(&ks_store, (unsigned long)page)) {
		this_cpu_inc(ks_hits[KS_HOOK_PAGE_FREE]);
		if (!READ_ONCE(ks_sw.paused))
			ks_store_count_untracked(&ks_store, KS_PAGE);
		return;
	}
	if (!ks_enter(&flags, KS_HOOK_PAGE_FREE))
		return;
	ks_store_free_part(&ks_store, (unsigned long)page, PAGE_SIZE << order,
			   (unsigned long)(page + (1UL << order)));
	ks_exit(flags);
}

/* split_page(page, order): each page is freed on its own from now on. */
static int ks_split_page_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct page *page = (struct page *)regs_get_kernel_argument(regs, 0);
	unsigned int order = regs_get_kernel_argument(regs, 1);
	unsigned long flags;

	if (!page || !order || order >= BITS_PER_LONG / 2 ||
	    !ks_enter(&flags, KS_HOOK_SPLIT_PAGE))
		return 0;
	ks_store_split(&ks_store, (unsigned long)page, 1U << order,
		       1U << order, PAGE_SIZE, sizeof(struct page));
	ks_exit(flags);
	return 0;
}

static struct kprobe ks_split_page_kp = {
	.symbol_name	= "split_page",
	.pre_handler	= ks_split_page_pre,
};

/*
 * alloc_pages_exact(size) takes a block of get_order(size), gives its
 * tail back page by page (those frees find no record of their own) and
 * returns the rest, which free_pages_exact() frees page by page: at its
 * return, the block's record becomes one record per page kept.
 */
struct ks_exact_data {
	size_t size;
	int slot;
};

static int ks_exact_entry(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ks_exact_data *d = (void *)ri->data;

	d->size = regs_get_kernel_argument(regs, 0);
	d->slot = -1;
	if (KS_COMPAT_UNWIND_STOPS_AT_KRETPROBE && in_task())
		d->slot = ks_task_slot_claim(&ks_exact_slots,
					     ks_compat_entry_ret_addr(regs));
	return 0;
}

static int ks_exact_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	struct ks_exact_data *d = (void *)ri->data;
	size_t size = d->size;
	unsigned long addr = regs_return_value(regs);
	unsigned int nr, keep;
	unsigned long flags;

	ks_task_slot_release(&ks_exact_slots, d->slot, NULL);
	if (!addr || !size || size > (PAGE_SIZE << (BITS_PER_LONG / 2)) ||
	    !ks_enter(&flags, KS_HOOK_PAGES_EXACT))
		return 0;
	nr = 1U << get_order(size);
	keep = DIV_ROUND_UP(size, PAGE_SIZE);
	/* The tail's frees found no record: they were the block's. */
	if (ks_store_split(&ks_store, (unsigned long)virt_to_page((void *)addr),
			   nr, keep, PAGE_SIZE, sizeof(struct page)))
		atomic_long_sub(nr - keep,
				&ks_store.untracked_frees[KS_PAGE]);
	ks_exit(flags);
	return 0;
}

static struct kretprobe ks_exact_krp = {
	.kp.symbol_name	= KS_COMPAT_PAGES_EXACT_SYMBOL,
	.entry_handler	= ks_exact_entry,
	.handler	= ks_exact_ret,
	.data_size	= sizeof(struct ks_exact_data),
};

/* ---- percpu ------------------------------------------------------------ */

static void ks_percpu_alloc(unsigned long call_site, size_t size,
			    size_t bytes_alloc, void __percpu *ptr, gfp_t gfp)
{
	unsigned long flags;

	if (!ptr || !READ_ONCE(ks_sw.enabled))
		return;
	if (!ks_enter(&flags, KS_HOOK_PERCPU_ALLOC))
		return;
	ks_record((unsigned long)ptr, call_site, size * num_possible_cpus(),
		  bytes_alloc, gfp, KS_PERCPU);
	ks_exit(flags);
}

#if KS_COMPAT_PERCPU_TP_CALLER
static void ks_probe_percpu_alloc(void *data, unsigned long call_site,
				  bool reserved, bool is_atomic, size_t size,
				  size_t align, void *base_addr, int off,
				  void __percpu *ptr, size_t bytes_alloc,
				  gfp_t gfp)
{
	ks_percpu_alloc(call_site, size, bytes_alloc, ptr, gfp);
}
#else
/*
 * No call site, bytes_alloc or gfp in the event (compat.h).  The call
 * site is found in the backtrace: pcpu_alloc()'s callers are wrappers,
 * so a site inside one makes ks_record() walk past them.  The bytes the
 * object takes are its size in every possible CPU's unit (the kernel's
 * later figure adds memcg pointers the 5.10 kernel keeps per chunk, not
 * per object); the gfp flags are unknown (KS_GFP_UNKNOWN: "n/a").
 */
static void ks_probe_percpu_alloc(void *data, bool reserved, bool is_atomic,
				  size_t size, size_t align, void *base_addr,
				  int off, void __percpu *ptr)
{
	ks_percpu_alloc(KS_FN(__alloc_percpu), size,
			size * num_possible_cpus(), ptr,
			(__force gfp_t)KS_GFP_UNKNOWN);
}
#endif

static void ks_probe_percpu_free(void *data, void *base_addr, int off,
				 void __percpu *ptr)
{
	if (ptr)
		ks_free((unsigned long)ptr, KS_HOOK_PERCPU_FREE, KS_PERCPU);
}

/* ---- vmalloc ----------------------------------------------------------- */

struct ks_vmalloc_data {
	unsigned long size;
	unsigned long caller;
	gfp_t gfp;
	bool huge;	/* VM_ALLOW_HUGE_VMAP, and large enough for it */
};

/*
 * vmalloc's pages are counted per area when it returns, where the bulk
 * allocator serves it (5.13 on: 5.10's vmalloc has nested entry points,
 * which would count an area twice when it is not recorded) and while the
 * size filter lets single pages through; else from the page events, as
 * other pages are.  Context: process (control file, load).
 */
void ks_hooks_set_min_size(unsigned long size)
{
	WRITE_ONCE(ks_min_size, size);
	WRITE_ONCE(ks_store.vmalloc_by_area,
		   KS_COMPAT_NR_VMALLOC_ENTRIES == 0 && size <= PAGE_SIZE);
}

/*
 * The pages of an area of @size, as vmalloc sizes it: a huge-mapped
 * area (@huge) in blocks of PMD_SIZE, or, where the architecture maps
 * smaller blocks (arm64's contiguous PTEs, 7.x), of those.  An area that
 * falls back to single pages (no free block) or a boot with
 * nohugevmalloc takes fewer: counted as huge all the same.
 */
static unsigned long ks_vmalloc_pages(unsigned long size, bool huge)
{
#ifdef CONFIG_HAVE_ARCH_HUGE_VMALLOC
	if (huge && size >= PMD_SIZE)
		return ALIGN(size, PMD_SIZE) >> PAGE_SHIFT;
#ifdef arch_vmap_pte_supported_shift
	if (huge)
		return ALIGN(size, 1UL << arch_vmap_pte_supported_shift(size)) >>
		       PAGE_SHIFT;
#endif
#endif
	return PAGE_ALIGN(size) >> PAGE_SHIFT;
}

static int ks_vmalloc_entry(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct ks_vmalloc_data *d = (void *)ri->data;

	d->size = regs_get_kernel_argument(regs, 0);
	d->gfp = (__force gfp_t)regs_get_kernel_argument(regs, 4);
	d->caller = ks_compat_vmalloc_caller(regs);
	d->huge = d->size >= KS_COMPAT_VM_HUGE_MIN &&
		  (ks_compat_vmalloc_flags(regs) & KS_COMPAT_VM_HUGE);
	return 0;
}

/* Record the area at @addr vmalloc made for @d. */
static void ks_vmalloc_area(unsigned long addr, const struct ks_vmalloc_data *d)
{
	unsigned long flags;

	if (!READ_ONCE(ks_sw.enabled) || !ks_enter(&flags, KS_HOOK_VMALLOC))
		return;
	ks_record(addr, d->caller, d->size, PAGE_ALIGN(d->size), d->gfp,
		  KS_VMALLOC);
	/*
	 * The area's pages, which no page event counts (store.h); as
	 * filtered when a module filter leaves the core kernel out, as
	 * their sites would be.
	 */
	if (READ_ONCE(ks_store.vmalloc_by_area))
		ks_store_count_class(&ks_store, ks_attrib_core_filtered() ?
				     KS_CLASS_EXCLUDED : KS_CLASS_VMALLOC,
				     ks_vmalloc_pages(d->size, d->huge));
	ks_exit(flags);
}

static int ks_vmalloc_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	unsigned long addr = regs_return_value(regs);

	if (addr)
		ks_vmalloc_area(addr, (void *)ri->data);
	return 0;
}

static struct kretprobe ks_vmalloc_krp = {
	.kp.symbol_name	= KS_COMPAT_VMALLOC_SYMBOL,
	.entry_handler	= ks_vmalloc_entry,
	.handler	= ks_vmalloc_ret,
	.data_size	= sizeof(struct ks_vmalloc_data),
};

/*
 * vmalloc by an ftrace entry callback and alloc_vmap_area's event, where
 * both exist (KS_COMPAT_VMALLOC_FTRACE: x86_64 from 6.2), instead of the
 * kretprobe above, whose kprobe core, two pt_regs and rethook pool and
 * trampoline cost: with the kretprobe, the vmalloc hook cost a vmalloc-16k
 * pair 931 instructions over no vmalloc hook at all; this way, 591 (make
 * bench's quick run, the three in one boot; before the free event's probe
 * below, a per-CPU compare on that path).
 *
 * - The callback on the range function notes the call in a slot of
 *   ks_vm_slots: its task, its frame (entry stack pointer and the return
 *   address there) and what the kretprobe's entry takes (ks_vmalloc_data).
 * - alloc_vmap_area's event fires inside the call once the area's address
 *   is chosen.  Its probe takes the task's slot of the innermost call
 *   still running (its return address still at its stack pointer, above
 *   the probe's: ks_pc_live()) for the same address range and a size that
 *   fits, and records the area there.  The slot is given back, but for a
 *   call that may map huge blocks: vmalloc frees such an area (vfree(),
 *   hooked) when it cannot fill it with blocks, and reserves one of single
 *   pages, within the same call.  The task's slots of calls that are gone
 *   are given back on the way.
 * - An area vmalloc then cannot fill is freed inside the call (or by a
 *   worker soon after, on newer kernels), by vfree() or, when the page
 *   array cannot be allocated, by free_vm_area(), which the kernel may
 *   inline: vmap's free_vmap_area_noflush event drops a record of any
 *   area freed so (ks_probe_vmap_free()).  Its pages were counted
 *   (pages_vmalloc_backing, summary.md).
 * - A slot whose call returned without its area seen (vmalloc failed
 *   before the event, or a path kmemscope does not know) is counted as
 *   unmatched when it is given back or taken over, or read
 *   (ks_hooks_vmalloc_unmatched()).  Such slots, and those of huge calls,
 *   stay until their task calls vmalloc again from that frame or one above
 *   it (the callback gives them back first: a new call there would look
 *   like theirs), or reserves its next area, or until a call finds no slot
 *   free: then the first whose frame is gone (its return address no
 *   longer at its stack pointer) is taken over.  When every slot belongs
 *   to a call still running, the call is not recorded: counted
 *   (ks_vmalloc_no_slot).
 *
 * Notes on locking and context
 * ----------------------------
 * No lock.  A call claims a free slot by setting its bit in ks_vm_busy
 * (test_and_set_bit_lock()), or takes over a READY one whose frame is gone
 * with cmpxchg() of its state; either way the state becomes FILLING with
 * the next sequence number (the state word is the number times 4 plus
 * KS_VM_FREE, KS_VM_FILLING or KS_VM_READY).  The call writes the fields,
 * then publishes them with a release store of READY.  A take-over reads a
 * READY slot's fields after an acquire load of its state and succeeds only
 * if the state is unchanged, so it cannot take a slot its owner gave back
 * and claimed again meanwhile.  A slot is given back with cmpxchg() of
 * the state it was read in to FREE (it fails if the slot was taken over),
 * then clear_bit_unlock().  Only READY slots are read.  Their owner may
 * read a slot of a call of its that is gone while another task takes it
 * over: the probe uses what it read only if the state is still the one
 * it read after (smp_rmb()); a live call's slot is never taken over.
 * The callback runs preemptible, the probes with preemption off (the
 * tracepoints'), the area probe in task context only (vmalloc may
 * sleep); a task that moves CPUs in between finds its slot all the same.
 * unregister_ftrace_function() waits for callbacks at unload, and the
 * tracepoints' synchronization for the probes (ks_hooks_unregister()).
 */
#if KS_COMPAT_VMALLOC_FTRACE
#define KS_VM_SLOTS	16
#define KS_VM_FREE	0UL
#define KS_VM_FILLING	1UL
#define KS_VM_READY	2UL
#define KS_VM_STATE	3UL
#define KS_VM_SEQ	4UL

struct ks_vm_slot {
	unsigned long state;
	struct task_struct *task;
	unsigned long sp, ret;		/* the call's frame */
	unsigned long start, end;	/* the range it reserves in */
	struct ks_vmalloc_data d;
	bool matched;			/* its area was seen */
};

static struct ks_vm_slot ks_vm_slots[KS_VM_SLOTS];
static unsigned long ks_vm_busy;		/* a bit per slot not free */
static DEFINE_PER_CPU(unsigned long, ks_vfree_last);	/* vfree()'s address */
static bool ks_vmalloc_by_ftrace;
atomic_long_t ks_vmalloc_no_slot;
static atomic_long_t ks_vmalloc_unmatched;

/* The state a slot claimed from @old moves to: FILLING, the next number. */
static __always_inline unsigned long ks_vm_next(unsigned long old)
{
	return ((old & ~KS_VM_STATE) + KS_VM_SEQ) | KS_VM_FILLING;
}

/*
 * A slot just taken over, its call gone: counted if its area was not seen
 * (a failed vmalloc, or a path kmemscope does not know).
 */
static __always_inline void ks_vm_gone(struct ks_vm_slot *s)
{
	if (!READ_ONCE(s->matched))
		atomic_long_inc(&ks_vmalloc_unmatched);
}

/* A slot for the calling task's call: FILLING, or NULL (counted). */
static struct ks_vm_slot *ks_vm_slot_get(void)
{
	unsigned long st, sp, ret;
	struct ks_vm_slot *s;
	unsigned int i;

	for (i = 0; i < KS_VM_SLOTS; i++) {
		if (test_bit(i, &ks_vm_busy) ||
		    test_and_set_bit_lock(i, &ks_vm_busy))
			continue;
		/* Free: no take-over can succeed from here on. */
		s = &ks_vm_slots[i];
		WRITE_ONCE(s->state, ks_vm_next(READ_ONCE(s->state)));
		return s;
	}
	/* None free: take over one whose call is gone. */
	for (i = 0; i < KS_VM_SLOTS; i++) {
		s = &ks_vm_slots[i];
		/* Pairs with the owner's release of READY: its fields. */
		st = smp_load_acquire(&s->state);
		if ((st & KS_VM_STATE) != KS_VM_READY)
			continue;
		sp = READ_ONCE(s->sp);
		ret = READ_ONCE(s->ret);
		if (!ks_pc_live_nofault(sp, ret) &&
		    try_cmpxchg(&s->state, &st, ks_vm_next(st))) {
			ks_vm_gone(s);
			return s;
		}
	}
	atomic_long_inc(&ks_vmalloc_no_slot);
	return NULL;
}

/*
 * Give back slot @i, READY in state @st, unless it was taken over.
 * Return: true if given back.
 */
static bool ks_vm_slot_put(unsigned int i, unsigned long st)
{
	if (!try_cmpxchg(&ks_vm_slots[i].state, &st, st & ~KS_VM_STATE))
		return false;
	clear_bit_unlock(i, &ks_vm_busy);
	return true;
}

/*
 * Give back slot @i, READY in state @st, whose call is gone; counted if
 * its area was not seen.  matched is read first: once the slot is back, a
 * new owner writes it.
 */
static void ks_vm_slot_gone(unsigned int i, unsigned long st)
{
	bool matched = READ_ONCE(ks_vm_slots[i].matched);

	if (ks_vm_slot_put(i, st) && !matched)
		atomic_long_inc(&ks_vmalloc_unmatched);
}

/*
 * Slot @i if it is READY and the calling task's (its state in *@st), else
 * NULL.  Its other fields may still change (a take-over of a slot whose
 * call is gone): a user checks the state again after reading them.
 */
static __always_inline struct ks_vm_slot *ks_vm_mine(unsigned int i,
						     unsigned long *st)
{
	struct ks_vm_slot *s = &ks_vm_slots[i];

	if (READ_ONCE(s->task) != current)
		return NULL;
	/* Pairs with the callback's release of READY. */
	*st = smp_load_acquire(&s->state);
	if ((*st & KS_VM_STATE) != KS_VM_READY || READ_ONCE(s->task) != current)
		return NULL;
	return s;
}

static void ks_vmalloc_call(struct ftrace_regs *fregs)
{
	unsigned long *sp = (unsigned long *)ks_compat_fregs_sp(fregs);
	unsigned long size = ks_compat_fregs_arg(fregs, 0);
	struct ks_vm_slot *s;
	unsigned long busy, st;
	unsigned int i;

	if (!size || !READ_ONCE(ks_sw.enabled) || !in_task())
		return;
	/*
	 * The task's calls at this frame or below have returned (a huge
	 * call's slot, one that failed early): given back, so that no slot
	 * of a call gone looks like this one's (the same frame and return
	 * address, when the task calls again the same way).
	 */
	busy = READ_ONCE(ks_vm_busy);
	for_each_set_bit(i, &busy, KS_VM_SLOTS) {
		s = ks_vm_mine(i, &st);
		if (s && READ_ONCE(s->sp) <= (unsigned long)sp)
			ks_vm_slot_gone(i, st);
	}
	s = ks_vm_slot_get();
	if (!s)
		return;
	WRITE_ONCE(s->task, current);
	WRITE_ONCE(s->sp, (unsigned long)sp);
	WRITE_ONCE(s->ret, sp[0]);
	s->start = ks_compat_fregs_arg(fregs, 2);
	s->end = ks_compat_fregs_arg(fregs, 3);
	s->d.size = size;
	s->d.gfp = (__force gfp_t)ks_compat_fregs_arg(fregs, 4);
	/* The 7th to 9th arguments: vm_flags, node, caller. */
	s->d.huge = size >= KS_COMPAT_VM_HUGE_MIN &&
		    (sp[1] & KS_COMPAT_VM_HUGE);
	s->d.caller = sp[3];
	WRITE_ONCE(s->matched, false);
	/* The fields, for the probe and a take-over (acquire loads). */
	smp_store_release(&s->state,
			  (READ_ONCE(s->state) & ~KS_VM_STATE) | KS_VM_READY);
}

static void notrace ks_vmalloc_callback(unsigned long ip,
					unsigned long parent_ip,
					struct ftrace_ops *op,
					struct ftrace_regs *fregs)
{
	ks_vmalloc_call(fregs);
}

static struct ftrace_ops ks_vmalloc_ops = {
	.func = ks_vmalloc_callback,
	.flags = KS_COMPAT_FTRACE_FLAGS,
};

/*
 * A vmap area freed (vmap's free_vmap_area_noflush event): a record of a
 * vmalloc area there is dropped, when vfree() did not (the free of an
 * area vmalloc reserved and then could not fill: by free_vm_area(), which
 * the kernel may inline; or a vunmap() of a vmalloc area).  vfree()'s own
 * areas, the common case, are told by the address its callback left on
 * this CPU (a task that moved CPUs in between just looks in vain).  Not
 * guarded: the kernel puts the area on its lazy list a few instructions
 * before the event, preemptible; a purge of that list and a new vmalloc
 * area at the same address in between would lose the new area's record
 * (it would count as an untracked free).
 */
static void ks_probe_vmap_free(void *data, unsigned long va_start,
			       unsigned long nr_lazy, unsigned long nr_lazy_max)
{
	struct ks_record_info info;
	unsigned long flags;

	if (va_start == this_cpu_read(ks_vfree_last)) {
		/* Once: a later area at that address is another's. */
		this_cpu_write(ks_vfree_last, 0);
		return;
	}
	if (!ks_enter(&flags, KS_HOOK_VFREE))
		return;
	if (ks_store_lookup(&ks_store, va_start, &info) &&
	    info.kind == KS_VMALLOC)
		ks_store_free_known(&ks_store, va_start, KS_VMALLOC);
	ks_exit(flags);
}

/*
 * The area vmalloc reserved at [@addr, @addr + @size) in [@vstart, @vend):
 * recorded when the calling task's call noted in a slot asked for it.
 * The task's slots of calls that are gone are given back on the way.
 */
static void ks_probe_vmap_area(void *data, unsigned long addr,
			       unsigned long size, unsigned long align,
			       unsigned long vstart, unsigned long vend,
			       int failed)
{
	unsigned long here = current_stack_pointer, busy, st, best_st = 0;
	unsigned long best_sp = ULONG_MAX;
	struct ks_vmalloc_data d, cand;
	struct ks_vm_slot *s;
	unsigned int i, best_i = KS_VM_SLOTS;

	busy = READ_ONCE(ks_vm_busy);
	if (failed || !busy || !in_task())
		return;
	for_each_set_bit(i, &busy, KS_VM_SLOTS) {
		s = ks_vm_mine(i, &st);
		if (!s)
			continue;
		if (s->sp <= here || !ks_pc_live(s->sp, s->ret)) {
			ks_vm_slot_gone(i, st);
			continue;
		}
		/* The innermost call's (the lowest frame), for this area. */
		if (s->sp >= best_sp || s->start != vstart || s->end != vend)
			continue;
		cand = s->d;
		if (size < PAGE_ALIGN(cand.size) ||
		    size > (ks_vmalloc_pages(cand.size, cand.huge) + 1) <<
			   PAGE_SHIFT)
			continue;
		/* What was read is the slot's at @st: no take-over since. */
		smp_rmb();
		if (READ_ONCE(s->state) != st)
			continue;
		d = cand;
		best_sp = s->sp;
		best_st = st;
		best_i = i;
	}
	if (best_i == KS_VM_SLOTS)
		return;
	/* A live call's slot: nobody takes it over. */
	WRITE_ONCE(ks_vm_slots[best_i].matched, true);
	if (!d.huge)
		ks_vm_slot_put(best_i, best_st);
	ks_vmalloc_area(addr, &d);
}

static struct tracepoint *ks_vmap_area_tp, *ks_vmap_free_tp;

/* The free event first: an area recorded is never missed. */
static int ks_vmalloc_attach(void)
{
	char name[] = KS_COMPAT_VMALLOC_SYMBOL;
	int err;

	if (!ks_vmap_area_tp || !ks_vmap_free_tp)
		return -ENOENT;
	memset(ks_vm_slots, 0, sizeof(ks_vm_slots));
	ks_vm_busy = 0;
	err = tracepoint_probe_register(ks_vmap_free_tp, ks_probe_vmap_free,
					NULL);
	if (err)
		return err;
	err = tracepoint_probe_register(ks_vmap_area_tp, ks_probe_vmap_area,
					NULL);
	if (err)
		goto out_free;
	err = ftrace_set_filter(&ks_vmalloc_ops, name, strlen(name), 0);
	if (!err)
		err = register_ftrace_function(&ks_vmalloc_ops);
	if (!err)
		return 0;
	ftrace_free_filter(&ks_vmalloc_ops);
	tracepoint_probe_unregister(ks_vmap_area_tp, ks_probe_vmap_area, NULL);
out_free:
	tracepoint_probe_unregister(ks_vmap_free_tp, ks_probe_vmap_free, NULL);
	return err;
}

/*
 * unregister_ftrace_function() waits for running callbacks; the probes
 * are waited for with the others (ks_hooks_unregister()).
 */
static void ks_vmalloc_detach(void)
{
	unregister_ftrace_function(&ks_vmalloc_ops);
	ftrace_free_filter(&ks_vmalloc_ops);
	tracepoint_probe_unregister(ks_vmap_area_tp, ks_probe_vmap_area, NULL);
	tracepoint_probe_unregister(ks_vmap_free_tp, ks_probe_vmap_free, NULL);
}
#else
static bool ks_vmalloc_by_ftrace;
atomic_long_t ks_vmalloc_no_slot;
static atomic_long_t ks_vmalloc_unmatched;

static int ks_vmalloc_attach(void)
{
	return -EOPNOTSUPP;
}

static void ks_vmalloc_detach(void)
{
}
#endif

/*
 * Exported vmalloc entry points that have __vmalloc_node_range() inlined
 * (compat.h; none from 5.13).  Where one calls another, or the range
 * function, out of line, the innermost records the area first and the
 * others find it recorded when they return: not again.
 */
struct ks_vmalloc_entry_probe {
	struct kretprobe krp;
	const struct ks_compat_vmalloc_entry *e;
	bool registered;
};

static struct ks_vmalloc_entry_probe
	ks_vmalloc_entry_probes[KS_COMPAT_NR_VMALLOC_ENTRIES + 1];
static unsigned int ks_nr_vmalloc_entry_probes;

static int ks_vmalloc_entry_entry(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct kretprobe *rp = ks_compat_get_kretprobe(ri);
	const struct ks_compat_vmalloc_entry *e;
	struct ks_vmalloc_data *d = (void *)ri->data;

	if (!rp)
		return 1;
	e = container_of(rp, struct ks_vmalloc_entry_probe, krp)->e;
	d->size = regs_get_kernel_argument(regs, 0);
	d->gfp = e->gfp_arg < 0 ? e->gfp :
		 (__force gfp_t)regs_get_kernel_argument(regs, e->gfp_arg);
	d->caller = e->caller_arg < 0 ? ks_compat_entry_ret_addr(regs) :
		    regs_get_kernel_argument(regs, e->caller_arg);
	d->huge = false;	/* 5.10: no huge vmalloc */
	return 0;
}

static int ks_vmalloc_entry_ret(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	unsigned long addr = regs_return_value(regs);
	struct ks_record_info info;

	if (addr && ks_store_lookup(&ks_store, addr, &info) &&
	    info.kind == KS_VMALLOC)
		return 0;
	return ks_vmalloc_ret(ri, regs);
}

static void ks_vmalloc_entries_unregister(void)
{
	struct kretprobe *krp[ARRAY_SIZE(ks_vmalloc_entry_probes)];
	unsigned int i, m = 0;

	for (i = 0; i < ks_nr_vmalloc_entry_probes; i++)
		if (ks_vmalloc_entry_probes[i].registered) {
			krp[m++] = &ks_vmalloc_entry_probes[i].krp;
			ks_vmalloc_entry_probes[i].registered = false;
		}
	if (m)
		unregister_kretprobes(krp, m);
}

static int ks_vmalloc_entries_register(int maxactive)
{
	const struct ks_compat_vmalloc_entry *e;
	unsigned int i, n;
	int err;

	e = ks_compat_vmalloc_entries(&n);
	for (i = 0; i < n && i < ARRAY_SIZE(ks_vmalloc_entry_probes); i++) {
		struct ks_vmalloc_entry_probe *p = &ks_vmalloc_entry_probes[i];

		p->e = &e[i];
		p->krp.kp.symbol_name = e[i].symbol;
		p->krp.entry_handler = ks_vmalloc_entry_entry;
		p->krp.handler = ks_vmalloc_entry_ret;
		p->krp.data_size = sizeof(struct ks_vmalloc_data);
		p->krp.maxactive = maxactive;
		err = register_kretprobe(&p->krp);
		if (err) {
			pr_err("cannot attach to %s: %d\n", e[i].symbol, err);
			return err;
		}
		p->registered = true;
		ks_nr_vmalloc_entry_probes = i + 1;
	}
	return 0;
}

/*
 * vfree() in interrupt context from 6.3 on (compat.h): the kernel defers
 * it through vfree_atomic(), whose work calls vfree() again for the same
 * address.  That second call may not be seen at all (the work's vfree()
 * can be inlined, as in Debian's 6.12), so the first call is the free;
 * its address waits in a small ring, and a second call for it is counted
 * as seen twice instead of as an untracked free.  When the ring is full
 * the oldest address is dropped: its second call, if any, is then counted
 * as untracked.  ks_vfree_ring_lock: raw, taken with interrupts off (in
 * ks_enter()); in NMI context (x86 int3 kprobes) only tried, and a ring
 * update given up when it is busy.
 */
#define KS_VFREE_RING	64

static DEFINE_RAW_SPINLOCK(ks_vfree_ring_lock);
static unsigned long ks_vfree_ring[KS_VFREE_RING];
static unsigned int ks_vfree_ring_next;
static unsigned int ks_vfree_ring_used;
atomic_long_t ks_vfree_deferred;
atomic_long_t ks_vfree_twice;

/*
 * The ring's lock, on the free path: only tried in NMI context (an x86
 * kprobe that is an int3 runs its handler there), where the interrupted
 * code may hold it.  Return: false if busy there.
 */
static bool ks_vfree_ring_lock_get(void)
{
	if (!in_nmi()) {
		raw_spin_lock(&ks_vfree_ring_lock);
		return true;
	}
	return raw_spin_trylock(&ks_vfree_ring_lock);
}

/* A full ring drops its oldest address (see above). */
static void ks_vfree_ring_add(unsigned long addr)
{
	if (!ks_vfree_ring_lock_get())
		return;
	if (!ks_vfree_ring[ks_vfree_ring_next])
		ks_vfree_ring_used++;
	ks_vfree_ring[ks_vfree_ring_next] = addr;
	ks_vfree_ring_next = (ks_vfree_ring_next + 1) % KS_VFREE_RING;
	raw_spin_unlock(&ks_vfree_ring_lock);
}

/* Return: true if @addr was waiting there (and is not anymore). */
static bool ks_vfree_ring_take(unsigned long addr)
{
	bool found = false;
	unsigned int i;

	/*
	 * The second call comes from the deferred work, in a workqueue
	 * worker: any other vfree() skips the ring and its lock.  Where
	 * that call is not seen (above), addresses stay in the ring until
	 * newer ones push them out, and every vfree() would otherwise take
	 * the lock and look through all of it.
	 */
	if (!READ_ONCE(ks_vfree_ring_used) || !in_task() ||
	    !(current->flags & PF_WQ_WORKER) || !ks_vfree_ring_lock_get())
		return false;
	for (i = 0; i < KS_VFREE_RING; i++) {
		if (ks_vfree_ring[i] == addr) {
			ks_vfree_ring[i] = 0;
			ks_vfree_ring_used--;
			found = true;
			break;
		}
	}
	raw_spin_unlock(&ks_vfree_ring_lock);
	return found;
}

static __always_inline void ks_vfree_do(unsigned long addr)
{
	bool deferred = KS_COMPAT_VFREE_IRQ_COMES_BACK &&
			ks_compat_probed_in_interrupt();
	unsigned long flags;

	if (!addr || !ks_enter(&flags, KS_HOOK_VFREE))
		return;
	if (deferred) {
		atomic_long_inc(&ks_vfree_deferred);
		ks_store_free(&ks_store, addr, KS_VMALLOC);
		ks_vfree_ring_add(addr);
	} else if (ks_vfree_ring_take(addr)) {
		/* A new area at that address since is freed all the same. */
		if (!ks_store_free_known(&ks_store, addr, KS_VMALLOC))
			atomic_long_inc(&ks_vfree_twice);
	} else {
		ks_store_free(&ks_store, addr, KS_VMALLOC);
	}
	ks_exit(flags);
}

static int ks_vfree_pre(struct kprobe *p, struct pt_regs *regs)
{
	ks_vfree_do(regs_get_kernel_argument(regs, 0));
	return 0;
}

static int ks_vfree_atomic_pre(struct kprobe *p, struct pt_regs *regs)
{
	unsigned long addr = regs_get_kernel_argument(regs, 0);

	if (addr)
		ks_free(addr, KS_HOOK_VFREE_ATOMIC, KS_VMALLOC);
	return 0;
}

static struct kprobe ks_vfree_kp = {
	.symbol_name	= "vfree",
	.pre_handler	= ks_vfree_pre,
};

static struct kprobe ks_vfree_atomic_kp = {
	.symbol_name	= "vfree_atomic",
	.pre_handler	= ks_vfree_atomic_pre,
};

/*
 * Where ftrace entry callbacks read arguments (x86_64 from 6.1, compat.h),
 * vfree() is hooked by one instead of a kprobe: the kprobe core's
 * ftrace handler and pt_regs cost about 80 instructions a call over the
 * callback's (make bench's quick run, the vmalloc-16k pair).  The
 * callback runs with preemption as the caller had it; ks_vfree_do()
 * disables interrupts before it touches per-CPU data or reads
 * ks_sw.paused, and calls nothing that vfree()s.
 */
#if KS_COMPAT_PAGE_FTRACE
static void notrace ks_vfree_callback(unsigned long ip,
				      unsigned long parent_ip,
				      struct ftrace_ops *op,
				      struct ftrace_regs *fregs)
{
	unsigned long addr = ks_compat_fregs_arg(fregs, 0);

#if KS_COMPAT_VMALLOC_FTRACE
	/* For ks_probe_vmap_free(): preemption may be on, hence this_cpu. */
	this_cpu_write(ks_vfree_last, addr);
#endif
	ks_vfree_do(addr);
}

static struct ftrace_ops ks_vfree_ops = {
	.func = ks_vfree_callback,
	.flags = KS_COMPAT_FTRACE_FLAGS,
};

static int ks_vfree_attach(void)
{
	int err = ftrace_set_filter_ip(&ks_vfree_ops, KS_FN(vfree), 0, 0);

	if (!err)
		err = register_ftrace_function(&ks_vfree_ops);
	if (err)
		ftrace_free_filter(&ks_vfree_ops);
	return err;
}

/* unregister_ftrace_function() waits for running callbacks. */
static void ks_vfree_detach(void)
{
	unregister_ftrace_function(&ks_vfree_ops);
	ftrace_free_filter(&ks_vfree_ops);
}
#else
static int ks_vfree_attach(void)
{
	return register_kprobe(&ks_vfree_kp);
}

/* The kprobe goes with the others (ks_unregister_kprobes()). */
static void ks_vfree_detach(void)
{
}
#endif

/* ---- bulk slab paths --------------------------------------------------- */

struct ks_bulk_data {
	struct kmem_cache *s;
	void **p;
	size_t nr;
	unsigned long caller;
	gfp_t gfp;
};

static int ks_bulk_alloc_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct ks_bulk_data *d = (void *)ri->data;

	d->s = (void *)regs_get_kernel_argument(regs, 0);
	d->gfp = (__force gfp_t)regs_get_kernel_argument(regs, 1);
	d->nr = regs_get_kernel_argument(regs, 2);
	d->p = (void **)regs_get_kernel_argument(regs, 3);
	d->caller = ks_compat_entry_ret_addr(regs);
	return 0;
}

static int ks_bulk_alloc_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct ks_bulk_data *d = (void *)ri->data;
	long i, n = ks_compat_cache_bulk_count(regs_return_value(regs), d->nr);
	unsigned long flags;
	size_t size;

	if (n <= 0 || !d->s || !READ_ONCE(ks_sw.enabled))
		return 0;
	if (!ks_enter(&flags, KS_HOOK_CACHE_ALLOC_BULK))
		return 0;
	size = ks_compat_cache_obj_size(d->s);
	for (i = 0; i < n; i++)
		if (d->p[i])
			ks_record((unsigned long)d->p[i], d->caller, size, size,
				  d->gfp, KS_KMEM_CACHE);
	ks_exit(flags);
	return 0;
}

static struct kretprobe ks_bulk_alloc_krp = {
	.kp.symbol_name	= KS_COMPAT_CACHE_BULK_SYMBOL,
	.entry_handler	= ks_bulk_alloc_entry,
	.handler	= ks_bulk_alloc_ret,
	.data_size	= sizeof(struct ks_bulk_data),
};

static int ks_bulk_free_pre(struct kprobe *kp, struct pt_regs *regs)
{
	size_t i, n = regs_get_kernel_argument(regs, 1);
	void **p = (void **)regs_get_kernel_argument(regs, 2);
	unsigned long flags;

	if (!p || !n)
		return 0;
	if (!ks_enter(&flags, KS_HOOK_CACHE_FREE_BULK))
		return 0;
	for (i = 0; i < n; i++)
		if (!ZERO_OR_NULL_PTR(p[i]))
			ks_store_free(&ks_store, (unsigned long)p[i],
				      KS_KMEM_CACHE);
	ks_exit(flags);
	return 0;
}

static struct kprobe ks_bulk_free_kp = {
	.symbol_name	= "kmem_cache_free_bulk",
	.pre_handler	= ks_bulk_free_pre,
};

/* ---- the bulk page allocator ------------------------------------------ */

/*
 * alloc_pages_bulk() fills the empty (NULL) slots of an array, or (before
 * 6.14) adds to a list, with order-0 pages: from the per-CPU lists, which
 * fire no event, or through __alloc_pages() for its last page or when
 * the lists run dry (that page fires mm_page_alloc).  The entry handler
 * notes which of the first KS_BULK_SLOTS slots are empty (and how many
 * past them), or the list's first entry.  The return handler finds the
 * caller (the return address, or past the wrappers, page_pool's functions
 * learnt at load, the first frame outside them) and records each page in
 * a slot that was empty, or on the list before its old first entry,
 * charged to that caller; the page probe leaves the one-page
 * fallback's page to it: the entry callbacks give no caller for it
 * (pagecaller.c: the core called by the bulk allocator, or by an entry
 * point the bulk allocator called, which also drops any pending caller),
 * so the probe unwinds and finds the bulk
 * allocator's frame below the caller (__ks_attrib_skip()).  Each page is
 * recorded once, by one of the two, and a record left at its address by
 * a free kmemscope missed is replaced and counted as any other
 * (missed_frees).  When the caller's class is not
 * recorded, the call's pages are counted at once instead
 * (ks_store_count_unrecorded()); vmalloc's are counted by its own hook,
 * per area, and its calls, once learnt, get no return handler
 * (ks_bulk_vmalloc_known()).  Pages put past
 * KS_BULK_SLOTS cannot be told from those that were there: they are
 * counted in ks_bulk_unseen (summary: pages_bulk_unseen), and their frees
 * as untracked.
 */
#define KS_BULK_SLOTS	128

struct ks_pages_bulk_data {
	struct page **array;
	struct list_head *list, *first;
	unsigned long ra;		/* the call's return address */
	unsigned int nr, beyond_empty;
	gfp_t gfp;
	DECLARE_BITMAP(empty, KS_BULK_SLOTS);
};

/*
 * The caller of a call a kretprobe watches (the bulk page allocator, the
 * DMA API): its return address @ra or, when that is inside a wrapper,
 * the first frame past the wrappers.  Called when the call
 * returns: the unwinder puts @ra back in place of the kretprobe's
 * trampoline (at the entry, arm64 has it in a register, not in a frame).
 * Context: inside ks_enter().
 */
static unsigned long ks_ret_site(unsigned long ra)
{
	unsigned long *e = this_cpu_ptr(&ks_scratch)->entries;
	bool calib = READ_ONCE(ks_calib.kind) == KS_CALIB_BULK &&
		     !ks_calib.n &&
		     ks_attrib_calib_wants(READ_ONCE(ks_calib.task));
	unsigned int n, i;

	BUILD_BUG_ON(ARRAY_SIZE(ks_calib.entries) <
		     ARRAY_SIZE(ks_scratch.entries));
	if (!calib && !ks_attrib_in_fast(ra, KS_RANGE_WRAPPER))
		return ra;
	n = stack_trace_save(e, calib ? ARRAY_SIZE(ks_scratch.entries) :
				KS_WALK_CALLER, 0);
	if (unlikely(calib)) {
		for (i = 0; i < n && e[i] != ra; i++)
			;
		/* From the return address on: the path to learn. */
		memcpy(ks_calib.entries, e + i, (n - i) * sizeof(*e));
		ks_calib.n = n - i;
	}
	i = ks_skip_to_caller(e, &n, KS_WALK_CALLER,
			      ARRAY_SIZE(ks_scratch.entries), ra, false, NULL);
	return i < n ? e[i] : ra;
}

/*
 * Return addresses of the bulk allocator's calls whose site is classed
 * vmalloc_backing by its function's name: vmalloc's calls for its areas'
 * pages, made from one or two places (vm_area_alloc_pages(), or the
 * mempolicy wrapper).  Learnt from the first such call's return; a later
 * call from one of them gets no return handler (the entry handler
 * returns 1): vmalloc's hook counts the area's pages when vmalloc
 * returns (ks_vmalloc_ret()), so nothing is left to do.  Slots are
 * claimed with cmpxchg() and never given back: core kernel text does not
 * move.
 */
#define KS_BULK_VMALLOC_RAS	4

static unsigned long ks_bulk_vmalloc_ra[KS_BULK_VMALLOC_RAS];

static __always_inline bool ks_bulk_vmalloc_known(unsigned long ra)
{
	unsigned int i;

	for (i = 0; i < KS_BULK_VMALLOC_RAS; i++)
		if (READ_ONCE(ks_bulk_vmalloc_ra[i]) == ra)
			return true;
	return false;
}

static void ks_bulk_vmalloc_learn(unsigned long ra)
{
	unsigned int i;

	for (i = 0; i < KS_BULK_VMALLOC_RAS; i++)
		if (READ_ONCE(ks_bulk_vmalloc_ra[i]) == ra ||
		    !cmpxchg(&ks_bulk_vmalloc_ra[i], 0, ra))
			return;
}

/*
 * A call of vmalloc's (ks_bulk_vmalloc_ra[]) while its hook counts the
 * area's pages: nothing to do but count the hit.
 */
static __always_inline bool ks_bulk_vmalloc_call(unsigned long ra)
{
	if (!ks_bulk_vmalloc_known(ra) || !READ_ONCE(ks_store.vmalloc_by_area))
		return false;
	if (READ_ONCE(ks_sw.enabled))
		this_cpu_inc(ks_hits[KS_HOOK_PAGES_BULK]);
	return true;
}

/*
 * The call's entry: fills @d (@gfp, @nr, @list, @array: its arguments;
 * @ra: its return address).  Return: whether its return has work to do
 * (ks_pages_bulk_done()).
 */
static bool ks_pages_bulk_start(struct ks_pages_bulk_data *d, gfp_t gfp,
				int nr, struct list_head *list,
				struct page **array, unsigned long ra)
{
	unsigned int i;

	if (nr <= 0 || !READ_ONCE(ks_sw.enabled) || ks_bulk_vmalloc_call(ra))
		return false;
	d->ra = ra;
	d->nr = nr;
	d->gfp = gfp;
	d->array = array;
	d->list = NULL;
	if (KS_COMPAT_PAGES_BULK_LIST_ARG >= 0 && !array) {
		if (!list)
			return false;
		d->list = list;
		d->first = READ_ONCE(list->next);
	} else if (array) {
		bitmap_zero(d->empty, KS_BULK_SLOTS);
		d->beyond_empty = 0;
		for (i = 0; i < d->nr; i++) {
			if (READ_ONCE(array[i]))
				continue;
			if (i < KS_BULK_SLOTS)
				__set_bit(i, d->empty);
			else
				d->beyond_empty++;
		}
	} else {
		return false;
	}
	this_cpu_inc(ks_hits[KS_HOOK_PAGES_BULK]);
	return true;
}

static int ks_pages_bulk_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct ks_pages_bulk_data *d = (void *)ri->data;
	struct list_head *list = NULL;

	if (KS_COMPAT_PAGES_BULK_LIST_ARG >= 0)
		list = (struct list_head *)regs_get_kernel_argument(regs,
					KS_COMPAT_PAGES_BULK_LIST_ARG);
	/* Non-zero: no return handler for this call. */
	return !ks_pages_bulk_start(d,
			(__force gfp_t)regs_get_kernel_argument(regs, 0),
			regs_get_kernel_argument(regs, 3), list,
			(struct page **)regs_get_kernel_argument(regs,
					KS_COMPAT_PAGES_BULK_ARRAY_ARG),
			ks_compat_entry_ret_addr(regs));
}

/* What ks_bulk_record() (ks_bulk_each_new()'s @fn) gets as @arg. */
struct ks_bulk_rec {
	unsigned long site;
	gfp_t gfp;
	u32 stack;	/* with stacks on, the first page's: the call's */
};

static void ks_bulk_record(struct page *page, void *arg)
{
	struct ks_bulk_rec *r = arg;

	r->stack = __ks_record((unsigned long)page, r->site, PAGE_SIZE,
			       PAGE_SIZE, r->gfp, KS_PAGE,
			       r->gfp & __GFP_MOVABLE ? KS_HINT_MOVABLE : 0,
			       false, r->stack);
}

/*
 * The pages the call handed out: @fn (if any) is called for each one in a
 * slot that was empty, or on the list before its old first entry.
 * Return: how many it handed out, those past KS_BULK_SLOTS included
 * (*@unseen of them: no @fn call).
 */
static __always_inline unsigned long
ks_bulk_each_new(const struct ks_pages_bulk_data *d,
		 void (*fn)(struct page *, void *), void *arg,
		 unsigned long *unseen)
{
	unsigned int i, w, seen = min_t(unsigned int, d->nr, KS_BULK_SLOTS);
	unsigned long n = 0, left;
	struct list_head *p;
	struct page *page;

	*unseen = 0;
	if (d->list) {
		p = READ_ONCE(d->list->next);
		for (; n < d->nr && p != d->first && p != d->list; n++) {
			if (fn)
				fn(list_entry(p, struct page, lru), arg);
			p = READ_ONCE(p->next);
		}
		return n;
	}
	/*
	 * The slots that were empty, a word of the bitmap at a time, inline
	 * (for_each_set_bit() calls out for each bit): only bits below
	 * @seen were set.
	 */
	for (w = 0; w < BITS_TO_LONGS(seen); w++) {
		unsigned long bits = d->empty[w];

		while (bits) {
			i = w * BITS_PER_LONG + __ffs(bits);
			bits &= bits - 1;
			page = READ_ONCE(d->array[i]);
			if (!page)
				continue;
			n++;
			if (fn)
				fn(page, arg);
		}
	}
	/* Filled past KS_BULK_SLOTS: empty before, less empty now. */
	left = d->beyond_empty;
	for (i = KS_BULK_SLOTS; i < d->nr && left; i++)
		if (!READ_ONCE(d->array[i]))
			left--;
	*unseen = left;
	return n + left;
}

/* The call's return, when ks_pages_bulk_start() said it has work. */
static void ks_pages_bulk_done(struct ks_pages_bulk_data *d)
{
	struct ks_bulk_rec r = { .gfp = d->gfp };
	unsigned long flags, n, unseen;
	u8 hint = d->gfp & __GFP_MOVABLE ? KS_HINT_MOVABLE : 0;
	u8 class;

	/* The call's hit was counted at its entry. */
	if (!ks_enter_hit(&flags, KS_HOOK_PAGES_BULK, false))
		return;
	r.site = ks_ret_site(d->ra);
	/*
	 * Pages of a class not recorded: counted at once, with one site
	 * lookup for the call, not one a page (vmalloc's: by its hook).
	 */
	if (READ_ONCE(ks_min_size) <= PAGE_SIZE) {
		n = ks_bulk_each_new(d, NULL, NULL, &unseen);
		class = n ? ks_store_count_unrecorded(&ks_store, r.site,
						      KS_PAGE, hint, n) :
			    KS_CLASS_OBJECT;
		if (class == KS_CLASS_VMALLOC) {
			/*
			 * Counted by vmalloc's hook, or by the store
			 * (vmalloc_by_area); the call's next ones get no
			 * return handler while the former.
			 */
			if (r.site == d->ra)
				ks_bulk_vmalloc_learn(d->ra);
			goto out;
		}
		if (class != KS_CLASS_OBJECT) {
			atomic_long_add(n, &ks_bulk_pages);
			goto out;
		}
	}
	/*
	 * One record a page; the page probe left the fallback's page
	 * (__ks_attrib_skip()), so none is recorded twice.
	 */
	n = ks_bulk_each_new(d, ks_bulk_record, &r, &unseen);
	atomic_long_add(n, &ks_bulk_pages);
	atomic_long_add(unseen, &ks_bulk_unseen);
out:
	ks_exit(flags);
}

static int ks_pages_bulk_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	ks_pages_bulk_done((void *)ri->data);
	return 0;
}

static struct kretprobe ks_pages_bulk_krp = {
	.kp.symbol_name	= KS_COMPAT_PAGES_BULK_SYMBOL,
	.entry_handler	= ks_pages_bulk_entry,
	.handler	= ks_pages_bulk_ret,
	.data_size	= sizeof(struct ks_pages_bulk_data),
};

/*
 * Where ftrace entry callbacks can set the instruction pointer (x86_64
 * from 6.1, KS_COMPAT_PAGE_FTRACE: ftrace_caller takes back the RIP of
 * ftrace_regs, as livepatch relies on), the bulk allocator is hooked by
 * one instead of the kretprobe: a call from vmalloc
 * (ks_bulk_vmalloc_known()) costs the callback alone, where the kprobe
 * core's handler, pt_regs and rethook cost about 290 instructions a call
 * (make bench's quick run, the vmalloc-16k pair); any other call is sent
 * to ks_bulk_redirect() (FTRACE_OPS_FL_IPMODIFY), which takes the
 * kretprobe's entry and return work around a call of the allocator,
 * whose entry callback lets that call through (its caller is
 * ks_bulk_redirect()).  Another IPMODIFY user of the allocator
 * (livepatch) makes the attach fail, and the kretprobe is used.
 *
 * Unload: ks_bulk_inflight counts the tasks inside ks_bulk_redirect(),
 * which may sleep in the allocator.  ks_pages_bulk_detach() unregisters
 * the callback (no new entries), waits for the count to reach 0, then
 * for an RCU-tasks grace period (a task preempted on the instructions
 * after its decrement is not in a voluntary context switch) and an RCU
 * one (a softirq on an idle CPU, which RCU tasks counts as quiescent).
 *
 * While kmemscope holds the function with IPMODIFY, a livepatch of it
 * (or a kprobe with a post_handler there) cannot attach (-EBUSY).  A
 * function-graph tracer or another kretprobe on the allocator registered
 * after kmemscope puts its trampoline in the return address
 * ks_bulk_redirect() reads: its calls are then charged to that address,
 * as the kretprobe's were.
 */
#if KS_COMPAT_PAGE_FTRACE
static atomic_t ks_bulk_inflight;
static unsigned long ks_bulk_redirect_size;

static noinline notrace unsigned long
ks_bulk_redirect(KS_COMPAT_PAGES_BULK_PARAMS)
{
	struct ks_pages_bulk_data d;
	unsigned long ret;
	bool done;

	atomic_inc(&ks_bulk_inflight);
	done = ks_pages_bulk_start(&d, gfp, nr, KS_COMPAT_PAGES_BULK_LIST,
				   array, _RET_IP_);
	ret = KS_COMPAT_PAGES_BULK_CALL;
	if (done)
		ks_pages_bulk_done(&d);
	atomic_dec(&ks_bulk_inflight);
	return ret;
}

static void notrace ks_bulk_callback(unsigned long ip,
				     unsigned long parent_ip,
				     struct ftrace_ops *op,
				     struct ftrace_regs *fregs)
{
	/* vmalloc's, or ks_bulk_redirect()'s own call of the allocator. */
	if (ks_bulk_vmalloc_call(parent_ip) ||
	    parent_ip - (unsigned long)ks_bulk_redirect < ks_bulk_redirect_size)
		return;
	ks_compat_fregs_set_ip(fregs, (unsigned long)ks_bulk_redirect);
}

static struct ftrace_ops ks_bulk_ops = {
	.func = ks_bulk_callback,
	.flags = KS_COMPAT_FTRACE_FLAGS | FTRACE_OPS_FL_IPMODIFY,
};

/* Attach: the callback, or failing that the kretprobe; detach: the former. */
static int ks_pages_bulk_attach(void)
{
	int err = -ENOENT;

	ks_bulk_redirect_size =
		ks_attrib_func_size((unsigned long)ks_bulk_redirect);
	if (ks_bulk_redirect_size)
		err = ftrace_set_filter_ip(&ks_bulk_ops,
					   KS_COMPAT_PAGES_BULK_FN, 0, 0);
	if (!err)
		err = register_ftrace_function(&ks_bulk_ops);
	if (err)
		ftrace_free_filter(&ks_bulk_ops);
	ks_bulk_by_ftrace = !err;
	return err ? register_kretprobe(&ks_pages_bulk_krp) : 0;
}

static void ks_pages_bulk_detach(void)
{
	unregister_ftrace_function(&ks_bulk_ops);
	ftrace_free_filter(&ks_bulk_ops);
	while (atomic_read(&ks_bulk_inflight))
		msleep(20);
	synchronize_rcu_tasks();
	/* A softirq (page_pool's refill) on an idle CPU, past its decrement. */
	synchronize_rcu();
}
#else
static int ks_pages_bulk_attach(void)
{
	return register_kretprobe(&ks_pages_bulk_krp);
}

static void ks_pages_bulk_detach(void)
{
}
#endif

/* ---- krealloc in place ------------------------------------------------- */

/*
 * krealloc() returns the same object, without a tracepoint, when the new
 * size fits in it: only the requested size changes.  Any other outcome is
 * traced (kmalloc of the new object, kfree of the old).
 */
struct ks_krealloc_data {
	unsigned long p;
	size_t size;
};

static int ks_krealloc_entry(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct ks_krealloc_data *d = (void *)ri->data;

	d->p = regs_get_kernel_argument(regs, 0);
	d->size = regs_get_kernel_argument(regs, 1);
	/* Non-zero: no return handler (NULL is a kmalloc, size 0 a kfree). */
	return ZERO_OR_NULL_PTR((void *)d->p) || !d->size;
}

/* Applied even while disabled, as frees are: records must not go stale. */
static int ks_krealloc_ret(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	struct ks_krealloc_data *d = (void *)ri->data;
	unsigned long flags;

	if (regs_return_value(regs) != d->p)
		return 0;
	if (!ks_enter(&flags, KS_HOOK_KREALLOC))
		return 0;
	ks_store_resize(&ks_store, d->p, d->size);
	ks_exit(flags);
	return 0;
}

static struct kretprobe ks_krealloc_krp = {
	.kp.symbol_name	= KS_COMPAT_KREALLOC_SYMBOL,
	.entry_handler	= ks_krealloc_entry,
	.handler	= ks_krealloc_ret,
	.data_size	= sizeof(struct ks_krealloc_data),
};

/*
 * Where a kretprobe on krealloc() would hide the caller of its kmalloc
 * from the unwinder (5.10, compat.h): a kprobe at entry resizes the
 * record when krealloc() is about to keep the object.
 */
static int ks_krealloc_pre(struct kprobe *kp, struct pt_regs *regs)
{
	unsigned long p = regs_get_kernel_argument(regs, 0);
	size_t size = regs_get_kernel_argument(regs, 1);
	unsigned long flags;

	if (ZERO_OR_NULL_PTR((void *)p) || !size ||
	    !ks_compat_krealloc_in_place((void *)p, size))
		return 0;
	if (!ks_enter(&flags, KS_HOOK_KREALLOC))
		return 0;
	ks_store_resize(&ks_store, p, size);
	ks_exit(flags);
	return 0;
}

static struct kprobe ks_krealloc_kp = {
	.symbol_name	= KS_COMPAT_KREALLOC_SYMBOL,
	.pre_handler	= ks_krealloc_pre,
};

/*
 * One krealloc() that moves: its kmalloc (the only one this task makes
 * meanwhile) reports the trampoline as its call site.  Context: process.
 */
static void ks_krealloc_learn(void)
{
	void *p = kmalloc(8, GFP_KERNEL), *q;

	if (!p)
		return;
	WRITE_ONCE(ks_krealloc_learner, current);
	q = krealloc(p, 256, GFP_KERNEL);
	WRITE_ONCE(ks_krealloc_learner, NULL);
	kfree(q ?: p);
}

/* ---- kfree_rcu into a sheaf (compat.h) --------------------------------- */

/*
 * kfree_rcu() of a slab object that __kfree_rcu_sheaf() takes (it returns
 * true) is freed for its caller there: the sheaf goes back to the slab
 * after a grace period with no tracepoint.  When it returns false the
 * object takes the batched path, whose frees are traced or hooked
 * (kfree_bulk): nothing is done here then.  The object may be a kmalloc
 * or a cache object; a free that finds no record is counted as kmalloc's.
 */
static int ks_kfree_rcu_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	unsigned long *obj = (void *)ri->data;

	*obj = regs_get_kernel_argument(regs, 1);
	return ZERO_OR_NULL_PTR((void *)*obj);
}

/* Applied even while disabled, as frees are. */
static int ks_kfree_rcu_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	unsigned long *obj = (void *)ri->data;

	/* bool: only the low byte of the return register is defined. */
	if (regs_return_value(regs) & 0xff)
		ks_free(*obj, KS_HOOK_KFREE_RCU_SHEAF, KS_KMALLOC);
	return 0;
}

static struct kretprobe ks_kfree_rcu_krp = {
	.kp.symbol_name	= KS_COMPAT_KFREE_RCU_SHEAF_SYMBOL,
	.entry_handler	= ks_kfree_rcu_entry,
	.handler	= ks_kfree_rcu_ret,
	.data_size	= sizeof(unsigned long),
};

/*
 * kfree_nolock() (compat.h): untraced, as kmalloc_nolock() is; a free that
 * finds no record was most likely kmalloc_nolock()'s, not an untracked
 * free.  It may run in NMI context: the store's locks are only tried there.
 */
static int ks_kfree_nolock_pre(struct kprobe *p, struct pt_regs *regs)
{
	unsigned long addr = regs_get_kernel_argument(regs, 0);
	unsigned long flags;

	if (ZERO_OR_NULL_PTR((void *)addr) ||
	    !ks_enter(&flags, KS_HOOK_KFREE_NOLOCK))
		return 0;
	ks_store_free_known(&ks_store, addr, KS_KMALLOC);
	ks_exit(flags);
	return 0;
}

static struct kprobe ks_kfree_nolock_kp = {
	.symbol_name	= "kfree_nolock",
	.pre_handler	= ks_kfree_nolock_pre,
};

/* ---- the DMA API --------------------------------------------------------- */

/*
 * A DMA buffer is one record of kind KS_DMA, keyed by what the caller
 * frees it with: the CPU address dma_alloc_attrs() returned
 * (dma_alloc_coherent(), dma_alloc_wc(), dmam_alloc_coherent(), and the
 * chunks of a dma_pool), or the struct page * of dma_alloc_pages().  The
 * pages under it are not recorded again: the page allocator's are of
 * class KS_CLASS_DMA (attrib.c), CMA's fire no page event.  Its caller is
 * found when the call returns, as the bulk page allocator's is
 * (ks_bulk_site(): dmam_alloc_attrs() and dma_pool_alloc() are wrappers).
 *
 * The bytes it holds depend on what served it, which the call does not
 * say: CMA gives PAGE_ALIGN(size) (its tracepoint, seen while the call
 * runs, counts them); the page allocator, a device's own coherent pool
 * and the others give 2^get_order(size) pages.  While a task is in the
 * call it holds a slot below, in which the CMA probe adds the pages CMA
 * gave it; a call that finds every slot taken is still recorded, sized
 * as the page allocator would (counted: dma_unsized).
 */
/* CMA pages the call was given; aux: the area's name */
static struct ks_task_slots ks_dma_slots;
atomic_long_t ks_dma_source[KS_DMA_NR_SOURCES];
atomic_long_t ks_dma_unsized;
/* CMA handed out outside any DMA API call: not recorded, only counted. */
atomic_long_t ks_cma_unrecorded, ks_cma_unrecorded_pages;

/*
 * CMA area @name (NULL on 5.10) handed out @count pages at @page to a DMA
 * call of current's (when it is in one), or took @count back (@give
 * false: CMA served a buffer the device cannot address, which dma-direct
 * gives back before it asks the page allocator).
 */
static void ks_dma_cma_moved(const char *name, const struct page *page,
			     unsigned long count, bool give)
{
	struct ks_task_slots *t = &ks_dma_slots;
	unsigned long val;
	int i;

	if (!page)
		return;
	if (give)
		this_cpu_inc(ks_hits[KS_HOOK_CMA_ALLOC]);
	i = ks_task_slot_find(t);
	if (i < 0) {
		/*
		 * Not inside a DMA API call of this task's: cma_alloc() by
		 * built-in code (the DMA heaps, hugetlb).  A give-back here is
		 * a DMA buffer's free, already counted at dma_free_*().
		 */
		if (give) {
			atomic_long_inc(&ks_cma_unrecorded);
			atomic_long_add(count, &ks_cma_unrecorded_pages);
		}
		return;
	}
	val = READ_ONCE(t->slot[i].val);
	if (give) {
		WRITE_ONCE(t->slot[i].val, val + count);
		WRITE_ONCE(t->slot[i].aux, name);
	} else {
		WRITE_ONCE(t->slot[i].val, val > count ? val - count : 0);
	}
}

/* The events' prototypes, by version (compat.h). */
#if KS_COMPAT_CMA_TP_NAMED
static void ks_probe_cma_release(void *data, const char *name,
				 unsigned long pfn, const struct page *page,
				 unsigned long count)
{
	ks_dma_cma_moved(name, page, count, false);
}

#if KS_COMPAT_CMA_TP_ERRORNO
static void ks_probe_cma_alloc(void *data, const char *name,
			       unsigned long pfn, const struct page *page,
			       unsigned long count, unsigned int align,
			       int errorno)
#else
static void ks_probe_cma_alloc(void *data, const char *name,
			       unsigned long pfn, const struct page *page,
			       unsigned long count, unsigned int align)
#endif
{
	ks_dma_cma_moved(name, page, count, true);
}
#else
static void ks_probe_cma_release(void *data, unsigned long pfn,
				 const struct page *page, unsigned int count)
{
	ks_dma_cma_moved(NULL, page, count, false);
}

static void ks_probe_cma_alloc(void *data, unsigned long pfn,
			       const struct page *page, unsigned int count,
			       unsigned int align)
{
	ks_dma_cma_moved(NULL, page, count, true);
}
#endif

/*
 * The DMA API's allocation entry points, each a kretprobe, and their
 * frees, each a kprobe (the buffer is argument 2 of every free):
 *   dma_alloc_attrs(dev, size, handle, gfp, attrs)      -> CPU address
 *   dma_alloc_pages(dev, size, handle, dir, gfp)        -> struct page *
 *   dma_alloc_noncontiguous(dev, size, dir, gfp, attrs) -> struct sg_table *
 *     (5.12 on; compat.h)
 * Only dma_alloc_attrs() takes from a device's own pool.
 */
struct ks_dma_entry {
	struct kretprobe krp;
	struct kprobe free_kp;
	enum ks_hook hook, free_hook;
	int gfp_arg;
	bool device_pool;
};

struct ks_dma_data {
	struct device *dev;
	size_t size;
	unsigned long ra;
	gfp_t gfp;
	int slot;		/* a task slot; -1: none free; -2: not needed */
	dma_addr_t *handle;	/* dma_alloc_attrs()'s, for a device pool's */
};

static struct ks_dma_entry *ks_dma_entry_of(struct kretprobe_instance *ri)
{
	struct kretprobe *rp = ks_compat_get_kretprobe(ri);

	return rp ? container_of(rp, struct ks_dma_entry, krp) : NULL;
}

/*
 * 5.10 (compat.h): the unwinder stops at the kretprobe's trampoline, so
 * the caller past a wrapper (dmam_alloc_attrs(), dma_pool_alloc()) is
 * found at the call's entry.  x86 has the return address on the stack
 * then: the frames past it are skipped as usual.  arm64 has it in the
 * link register only: the frame after the probed instruction (the
 * exception's frame record) is the wrapper's caller's.
 * Context: inside ks_enter().  Return: the caller, or @ra.
 */
static unsigned long ks_entry_site(struct pt_regs *regs, unsigned long ra)
{
	unsigned long *e = this_cpu_ptr(&ks_scratch)->entries;
	unsigned long pc = instruction_pointer(regs);
	unsigned int n, i;

	n = stack_trace_save(e, KS_WALK_CALLER, 0);
	i = __ks_attrib_skip(e, n, ra, false, NULL);
	if (i < n)
		return e[i];
	for (i = 0; i < n && e[i] != pc; i++)
		;
	for (i++; i < n && ks_attrib_in_any(e[i]); i++)
		;
	return i < n ? e[i] : ra;
}

static int ks_dma_alloc_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	struct ks_dma_data *d = (void *)ri->data;
	struct ks_dma_entry *ep = ks_dma_entry_of(ri);

	if (!READ_ONCE(ks_sw.enabled) || !ep)
		return 1;	/* no return handler for this call */
	d->dev = (struct device *)regs_get_kernel_argument(regs, 0);
	d->size = regs_get_kernel_argument(regs, 1);
	d->gfp = (__force gfp_t)regs_get_kernel_argument(regs, ep->gfp_arg);
	d->handle = ep->device_pool ?
		    (dma_addr_t *)regs_get_kernel_argument(regs, 2) : NULL;
	d->ra = ks_compat_entry_ret_addr(regs);
	if (KS_COMPAT_UNWIND_STOPS_AT_KRETPROBE &&
	    ks_attrib_in(d->ra, KS_RANGE_WRAPPER)) {
		unsigned long flags;

		if (ks_enter_hit(&flags, ep->hook, false)) {
			d->ra = ks_entry_site(regs, d->ra);
			ks_exit(flags);
		}
	}
	/* CMA serves only calls that may sleep. */
	d->slot = gfpflags_allow_blocking(d->gfp) ?
		  ks_task_slot_claim(&ks_dma_slots, 0) : -2;
	this_cpu_inc(ks_hits[ep->hook]);
	return 0;
}

static enum ks_dma_source ks_dma_source_of(const struct ks_dma_entry *ep,
					   const struct ks_dma_data *d,
					   unsigned long cma)
{
	if (cma)
		return KS_DMA_CMA;
#ifdef CONFIG_DMA_DECLARE_COHERENT
	if (ep->device_pool && d->dev && READ_ONCE(d->dev->dma_mem))
		return KS_DMA_DEVICE_POOL;
#endif
	return KS_DMA_PAGES;
}

/*
 * Where a device pool's buffer lies, to name its pool (the dma file):
 * the DMA address the call wrote, through the device's own DMA ranges.
 * 0 for any other buffer.
 */
static u64 ks_dma_pool_phys(const struct ks_dma_data *d, enum ks_dma_source src)
{
#ifdef CONFIG_DMA_DECLARE_COHERENT
	if (src == KS_DMA_DEVICE_POOL && d->handle)
		return dma_to_phys(d->dev, READ_ONCE(*d->handle));
#endif
	return 0;
}

static int ks_dma_alloc_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	struct ks_dma_data *d = (void *)ri->data;
	struct ks_dma_entry *ep = ks_dma_entry_of(ri);
	unsigned long addr = regs_return_value(regs);
	const void *area;
	unsigned long flags, cma = ks_task_slot_release(&ks_dma_slots, d->slot,
							&area);
	unsigned long site;
	enum ks_dma_source src;
	size_t bytes;

	if (!addr || !ep || !READ_ONCE(ks_sw.enabled))
		return 0;
	/* The call's hit was counted at its entry. */
	if (!ks_enter_hit(&flags, ep->hook, false))
		return 0;
	src = ks_dma_source_of(ep, d, cma);
	atomic_long_inc(&ks_dma_source[src]);
	if (d->slot == -1)
		atomic_long_inc(&ks_dma_unsized);
	bytes = cma ? cma << PAGE_SHIFT : PAGE_SIZE << get_order(d->size);
	site = ks_ret_site(d->ra);
	/* A call site keeps the source of its first buffer (the account). */
	__ks_record(addr, site, d->size, bytes, d->gfp, KS_DMA,
		    src == KS_DMA_DEVICE_POOL ? KS_HINT_DEVICE_POOL : 0, false,
		    0);
	ks_dmabuf_note(addr, d->dev, src, cma ? area : NULL,
		       ks_dma_pool_phys(d, src), site, bytes, d->size);
	ks_exit(flags);
	return 0;
}

static int ks_dma_free_pre(struct kprobe *p, struct pt_regs *regs)
{
	struct ks_dma_entry *ep = container_of(p, struct ks_dma_entry, free_kp);
	unsigned long addr = regs_get_kernel_argument(regs, 2);
	unsigned long flags;

	if (!addr || !ks_enter(&flags, ep->free_hook))
		return 0;
	ks_store_free(&ks_store, addr, KS_DMA);
	ks_dmabuf_forget(addr);
	ks_exit(flags);
	return 0;
}

#define KS_DMA_ENTRY(alloc, free, h, fh, gfp, pool) {			\
	.krp = {							\
		.kp.symbol_name	= alloc,				\
		.entry_handler	= ks_dma_alloc_entry,			\
		.handler	= ks_dma_alloc_ret,			\
		.data_size	= sizeof(struct ks_dma_data),		\
	},								\
	.free_kp = { .symbol_name = free, .pre_handler = ks_dma_free_pre }, \
	.hook = h, .free_hook = fh, .gfp_arg = gfp, .device_pool = pool,	\
}

static struct ks_dma_entry ks_dma_entries[] = {
	KS_DMA_ENTRY("dma_alloc_attrs", "dma_free_attrs", KS_HOOK_DMA_ALLOC,
		     KS_HOOK_DMA_FREE, 3, true),
	KS_DMA_ENTRY("dma_alloc_pages", "dma_free_pages", KS_HOOK_DMA_PAGES,
		     KS_HOOK_DMA_FREE_PAGES, 4, false),
	KS_DMA_ENTRY("dma_alloc_noncontiguous", "dma_free_noncontiguous",
		     KS_HOOK_DMA_NONCONTIG, KS_HOOK_DMA_FREE_NONCONTIG, 3,
		     false),
};

/* ---- registration ------------------------------------------------------ */

struct ks_tp {
	const char *name;
	void *probe;
	enum ks_hook hook;
	struct tracepoint *tp;
};

static struct ks_tp ks_tps[] = {
	{ "mm_page_alloc", ks_probe_page_alloc, KS_HOOK_PAGE_ALLOC },
	{ "mm_page_free", ks_probe_page_free, KS_HOOK_PAGE_FREE },
	{ "percpu_alloc_percpu", ks_probe_percpu_alloc, KS_HOOK_PERCPU_ALLOC },
	{ "percpu_free_percpu", ks_probe_percpu_free, KS_HOOK_PERCPU_FREE },
};

/* CMA's allocation (compat.h) and release events, or NULL without CMA. */
static struct tracepoint *ks_cma_tp, *ks_cma_release_tp;

static void ks_find_tp(struct tracepoint *tp, void *priv)
{
	unsigned int i;

	if (!strcmp(tp->name, KS_COMPAT_CMA_TP))
		ks_cma_tp = tp;
	if (!strcmp(tp->name, "cma_release"))
		ks_cma_release_tp = tp;
#if KS_COMPAT_VMALLOC_FTRACE
	if (!strcmp(tp->name, "alloc_vmap_area"))
		ks_vmap_area_tp = tp;
	if (!strcmp(tp->name, "free_vmap_area_noflush"))
		ks_vmap_free_tp = tp;
#endif
	for (i = 0; i < ARRAY_SIZE(ks_tps); i++)
		if (!strcmp(tp->name, ks_tps[i].name))
			ks_tps[i].tp = tp;
}

static void ks_set(enum ks_hook h, int err)
{
	ks_hooks[h].error = err;
	ks_hooks[h].state = err ? KS_HOOK_FAILED : KS_HOOK_ATTACHED;
	if (err)
		pr_err("cannot attach to %s: %d\n", ks_hooks[h].name, err);
}

static bool ks_attached(enum ks_hook h)
{
	return ks_hooks[h].state != KS_HOOK_OFF &&
	       ks_hooks[h].state != KS_HOOK_FAILED;
}

/*
 * The DMA API's hooks: a free's kprobe first, and its allocations'
 * kretprobe only when that is attached (buffers whose frees went unseen
 * would all look leaked); then CMA's two events, both or neither.
 * Where the kernel lacks an entry point (compat.h) it stays off.
 */
static void ks_dma_register(int kp_err)
{
	unsigned int i;
	int err;

	for (i = 0; i < ARRAY_SIZE(ks_dma_entries); i++) {
		struct ks_dma_entry *ep = &ks_dma_entries[i];

		if (ep->hook == KS_HOOK_DMA_NONCONTIG &&
		    !KS_COMPAT_HAS_DMA_NONCONTIG)
			continue;
		ep->krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
		ks_set(ep->free_hook, kp_err ?: register_kprobe(&ep->free_kp));
		ks_set(ep->hook, kp_err ?: ks_attached(ep->free_hook) ?
		       register_kretprobe(&ep->krp) : -ENOENT);
	}
	/* A kernel without CMA has no such events: nothing to hook. */
	if (!ks_cma_tp || !ks_cma_release_tp)
		return;
	err = tracepoint_probe_register(ks_cma_release_tp,
					ks_probe_cma_release, NULL);
	if (!err) {
		err = tracepoint_probe_register(ks_cma_tp, ks_probe_cma_alloc,
						NULL);
		if (err)
			tracepoint_probe_unregister(ks_cma_release_tp,
						    ks_probe_cma_release, NULL);
	}
	ks_set(KS_HOOK_CMA_ALLOC, err);
}

/* The DMA hooks' calls the kprobe core skipped: allocations or frees. */
static unsigned long ks_dma_missed(bool frees)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks_dma_entries); i++) {
		struct ks_dma_entry *ep = &ks_dma_entries[i];

		sum += frees ? ep->free_kp.nmissed :
			       ep->krp.nmissed + ep->krp.kp.nmissed;
	}
	return sum;
}

int ks_hooks_register(void)
{
	unsigned int i;
	int kp_err, err __maybe_unused;

	ks_hooks_set_min_size(READ_ONCE(ks_min_size));
	ks_set(KS_HOOK_KFREE, register_trace_kfree(ks_probe_kfree, NULL));
	ks_set(KS_HOOK_KMEM_CACHE_FREE,
	       register_trace_kmem_cache_free(ks_probe_cache_free, NULL));
#if KS_COMPAT_SLAB_TP_NODE_EVENTS
	/* One hook each, over both events (the _node one too). */
	err = register_trace_kmalloc(ks_probe_kmalloc_nonode, NULL);
	if (!err) {
		err = register_trace_kmalloc_node(ks_probe_kmalloc, NULL);
		if (err)
			unregister_trace_kmalloc(ks_probe_kmalloc_nonode, NULL);
	}
	ks_set(KS_HOOK_KMALLOC, err);
	err = register_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL);
	if (!err) {
		err = register_trace_kmem_cache_alloc_node(ks_probe_cache_alloc_node,
							   NULL);
		if (err)
			unregister_trace_kmem_cache_alloc(ks_probe_cache_alloc,
							  NULL);
	}
	ks_set(KS_HOOK_KMEM_CACHE_ALLOC, err);
#else
	ks_set(KS_HOOK_KMALLOC, register_trace_kmalloc(ks_probe_kmalloc, NULL));
	ks_set(KS_HOOK_KMEM_CACHE_ALLOC,
	       register_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL));
#endif

	/* The page, percpu and CMA tracepoints are not exported: find them. */
	ks_cma_tp = NULL;
	ks_cma_release_tp = NULL;
#if KS_COMPAT_VMALLOC_FTRACE
	ks_vmap_area_tp = NULL;
	ks_vmap_free_tp = NULL;
#endif
	for_each_kernel_tracepoint(ks_find_tp, NULL);
	for (i = 0; i < ARRAY_SIZE(ks_tps); i++)
		ks_set(ks_tps[i].hook, ks_tps[i].tp ?
		       tracepoint_probe_register(ks_tps[i].tp, ks_tps[i].probe,
						 NULL) : -ENOENT);

	/*
	 * Kprobes are what lockdown=confidentiality forbids (the kernel
	 * only asks in trace_kprobe): when locked down, those hooks fail.
	 */
	kp_err = security_locked_down(LOCKDOWN_KPROBES);
	ks_set(KS_HOOK_VFREE, kp_err ?: ks_vfree_attach());
	if (KS_COMPAT_HOOK_VFREE_ATOMIC)
		ks_set(KS_HOOK_VFREE_ATOMIC,
		       kp_err ?: register_kprobe(&ks_vfree_atomic_kp));
	ks_vmalloc_krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
	ks_vmalloc_by_ftrace = !kp_err && !ks_vmalloc_attach();
	err = kp_err ?: ks_vmalloc_by_ftrace ? 0 :
	      register_kretprobe(&ks_vmalloc_krp);
	if (!err && !ks_vmalloc_by_ftrace) {
		err = ks_vmalloc_entries_register(ks_vmalloc_krp.maxactive);
		if (err)
			ks_vmalloc_entries_unregister();
		if (err)
			unregister_kretprobe(&ks_vmalloc_krp);
	}
	ks_set(KS_HOOK_VMALLOC, err);
	ks_set(KS_HOOK_CACHE_FREE_BULK, kp_err ?: register_kprobe(&ks_bulk_free_kp));
	ks_bulk_alloc_krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
	ks_set(KS_HOOK_CACHE_ALLOC_BULK,
	       kp_err ?: register_kretprobe(&ks_bulk_alloc_krp));
	/* Off where the kernel has no bulk page allocator (compat.h). */
	if (KS_COMPAT_HAS_PAGES_BULK) {
		ks_pages_bulk_krp.maxactive = max_t(int, 16,
						    4 * num_possible_cpus());
		ks_set(KS_HOOK_PAGES_BULK,
		       kp_err ?: ks_pages_bulk_attach());
		WRITE_ONCE(ks_pages_bulk_on, ks_attached(KS_HOOK_PAGES_BULK));
	}
	ks_set(KS_HOOK_SPLIT_PAGE, kp_err ?: register_kprobe(&ks_split_page_kp));
	ks_exact_krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
	ks_set(KS_HOOK_PAGES_EXACT, kp_err ?: register_kretprobe(&ks_exact_krp));
	ks_krealloc_krp.maxactive = max_t(int, 16, 4 * num_possible_cpus());
	if (KS_COMPAT_KREALLOC_KPROBE) {
		ks_set(KS_HOOK_KREALLOC,
		       kp_err ?: register_kprobe(&ks_krealloc_kp));
	} else {
		ks_set(KS_HOOK_KREALLOC,
		       kp_err ?: register_kretprobe(&ks_krealloc_krp));
		if (ks_attached(KS_HOOK_KREALLOC))
			ks_krealloc_learn();
	}
	if (KS_COMPAT_KFREE_NOLOCK)
		ks_set(KS_HOOK_KFREE_NOLOCK,
		       kp_err ?: register_kprobe(&ks_kfree_nolock_kp));
	if (KS_COMPAT_KFREE_RCU_SHEAF) {
		ks_kfree_rcu_krp.maxactive = max_t(int, 16,
						   4 * num_possible_cpus());
		ks_set(KS_HOOK_KFREE_RCU_SHEAF,
		       kp_err ?: register_kretprobe(&ks_kfree_rcu_krp));
	}

	ks_dma_register(kp_err);

	/* Allocations without their frees would be worse than nothing. */
	if (!ks_attached(KS_HOOK_KFREE) ||
	    !ks_attached(KS_HOOK_KMEM_CACHE_FREE)) {
		ks_hooks_unregister();
		return -ENODEV;
	}
	return 0;
}

/*
 * Kprobes and kretprobes go in two batches: the kprobe core then waits
 * for one RCU grace period per batch, not one per probe (a load/unload
 * cycle of kmemscope is much shorter so).
 */
static void ks_unregister_kprobes(void)
{
	static const struct {
		enum ks_hook hook;
		struct kprobe *kp;
	} kps[] = {
		{ KS_HOOK_VFREE, &ks_vfree_kp },
		{ KS_HOOK_VFREE_ATOMIC, &ks_vfree_atomic_kp },
		{ KS_HOOK_CACHE_FREE_BULK, &ks_bulk_free_kp },
		{ KS_HOOK_SPLIT_PAGE, &ks_split_page_kp },
		{ KS_HOOK_KFREE_NOLOCK, &ks_kfree_nolock_kp },
		{ KS_HOOK_KREALLOC, &ks_krealloc_kp },
	};
	static const struct {
		enum ks_hook hook;
		struct kretprobe *krp;
	} krps[] = {
		{ KS_HOOK_VMALLOC, &ks_vmalloc_krp },
		{ KS_HOOK_CACHE_ALLOC_BULK, &ks_bulk_alloc_krp },
		{ KS_HOOK_PAGES_BULK, &ks_pages_bulk_krp },
		{ KS_HOOK_PAGES_EXACT, &ks_exact_krp },
		{ KS_HOOK_KREALLOC, &ks_krealloc_krp },
		{ KS_HOOK_KFREE_RCU_SHEAF, &ks_kfree_rcu_krp },
	};
	struct kprobe *kp[ARRAY_SIZE(kps) + ARRAY_SIZE(ks_dma_entries)];
	struct kretprobe *krp[ARRAY_SIZE(krps) + ARRAY_SIZE(ks_dma_entries)];
	unsigned int i, n = 0, m = 0;

	/* The page probe records the bulk fallback's page again. */
	WRITE_ONCE(ks_pages_bulk_on, false);
	if (ks_attached(KS_HOOK_PAGES_BULK) && ks_bulk_by_ftrace)
		ks_pages_bulk_detach();

	if (KS_COMPAT_PAGE_FTRACE && ks_attached(KS_HOOK_VFREE))
		ks_vfree_detach();
	if (ks_attached(KS_HOOK_VMALLOC) && ks_vmalloc_by_ftrace)
		ks_vmalloc_detach();
	/* krealloc is one or the other (compat.h); vfree, above. */
	for (i = 0; i < ARRAY_SIZE(kps); i++)
		if (ks_attached(kps[i].hook) &&
		    (kps[i].kp != &ks_krealloc_kp || KS_COMPAT_KREALLOC_KPROBE) &&
		    (kps[i].kp != &ks_vfree_kp || !KS_COMPAT_PAGE_FTRACE))
			kp[n++] = kps[i].kp;
	for (i = 0; i < ARRAY_SIZE(krps); i++)
		if (ks_attached(krps[i].hook) &&
		    (krps[i].krp != &ks_krealloc_krp || !KS_COMPAT_KREALLOC_KPROBE) &&
		    (krps[i].krp != &ks_pages_bulk_krp || !ks_bulk_by_ftrace) &&
		    (krps[i].krp != &ks_vmalloc_krp || !ks_vmalloc_by_ftrace))
			krp[m++] = krps[i].krp;
	for (i = 0; i < ARRAY_SIZE(ks_dma_entries); i++) {
		struct ks_dma_entry *ep = &ks_dma_entries[i];

		if (ks_attached(ep->hook))
			krp[m++] = &ep->krp;
		if (ks_attached(ep->free_hook))
			kp[n++] = &ep->free_kp;
	}
	if (n)
		unregister_kprobes(kp, n);
	if (m)
		unregister_kretprobes(krp, m);
	ks_vmalloc_entries_unregister();
}

void ks_hooks_unregister(void)
{
	unsigned int i;
	int h;

#if KS_COMPAT_SLAB_TP_NODE_EVENTS
	if (ks_attached(KS_HOOK_KMALLOC)) {
		unregister_trace_kmalloc(ks_probe_kmalloc_nonode, NULL);
		unregister_trace_kmalloc_node(ks_probe_kmalloc, NULL);
	}
	if (ks_attached(KS_HOOK_KMEM_CACHE_ALLOC)) {
		unregister_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL);
		unregister_trace_kmem_cache_alloc_node(ks_probe_cache_alloc_node,
						       NULL);
	}
#else
	if (ks_attached(KS_HOOK_KMALLOC))
		unregister_trace_kmalloc(ks_probe_kmalloc, NULL);
	if (ks_attached(KS_HOOK_KMEM_CACHE_ALLOC))
		unregister_trace_kmem_cache_alloc(ks_probe_cache_alloc, NULL);
#endif
	if (ks_attached(KS_HOOK_KFREE))
		unregister_trace_kfree(ks_probe_kfree, NULL);
	if (ks_attached(KS_HOOK_KMEM_CACHE_FREE))
		unregister_trace_kmem_cache_free(ks_probe_cache_free, NULL);
	for (i = 0; i < ARRAY_SIZE(ks_tps); i++)
		if (ks_attached(ks_tps[i].hook))
			tracepoint_probe_unregister(ks_tps[i].tp,
						    ks_tps[i].probe, NULL);
	if (ks_attached(KS_HOOK_CMA_ALLOC)) {
		tracepoint_probe_unregister(ks_cma_tp, ks_probe_cma_alloc, NULL);
		tracepoint_probe_unregister(ks_cma_release_tp,
					    ks_probe_cma_release, NULL);
	}
	ks_unregister_kprobes();
	/* No probe may still be running once the store is torn down. */
	tracepoint_synchronize_unregister();
	for (h = 0; h < KS_NR_HOOKS; h++)
		if (ks_hooks[h].state != KS_HOOK_FAILED)
			ks_hooks[h].state = KS_HOOK_OFF;
}

/*
 * Calls the kprobe core skipped: every kretprobe instance was busy
 * (krp.nmissed), or the probe hit while another kprobe's handler ran on
 * this CPU (kp.nmissed): in an interrupt that came during a handler that
 * runs with interrupts on (return handlers; x86's ftrace-based kprobes).
 */
unsigned long ks_hooks_missed(void)
{
	unsigned long sum = 0;
	unsigned int i;

	for (i = 0; i < ks_nr_vmalloc_entry_probes; i++)
		sum += ks_vmalloc_entry_probes[i].krp.nmissed +
		       ks_vmalloc_entry_probes[i].krp.kp.nmissed;
	return sum + ks_vmalloc_krp.nmissed + ks_vmalloc_krp.kp.nmissed +
	       ks_bulk_alloc_krp.nmissed + ks_bulk_alloc_krp.kp.nmissed +
	       ks_pages_bulk_krp.nmissed + ks_pages_bulk_krp.kp.nmissed +
	       ks_split_page_kp.nmissed + ks_exact_krp.nmissed +
	       ks_exact_krp.kp.nmissed + ks_krealloc_krp.nmissed +
	       ks_krealloc_krp.kp.nmissed + ks_krealloc_kp.nmissed +
	       ks_dma_missed(false);
}

/* How the bulk page allocator is hooked: "callback", "kretprobe", "none". */
const char *ks_hooks_bulk_way(void)
{
	if (!ks_attached(KS_HOOK_PAGES_BULK))
		return "none";
	return ks_bulk_by_ftrace ? "callback" : "kretprobe";
}

/*
 * vmalloc calls whose area was not seen: those counted when their slots
 * were given back or taken over, and those whose slots still wait, their
 * calls gone.  Context: process.
 */
unsigned long ks_hooks_vmalloc_unmatched(void)
{
	unsigned long n = atomic_long_read(&ks_vmalloc_unmatched);
#if KS_COMPAT_VMALLOC_FTRACE
	unsigned long st;
	unsigned int i;

	for (i = 0; i < KS_VM_SLOTS; i++) {
		struct ks_vm_slot *s = &ks_vm_slots[i];

		/* Pairs with the callback's release of READY. */
		st = smp_load_acquire(&s->state);
		if ((st & KS_VM_STATE) == KS_VM_READY &&
		    !READ_ONCE(s->matched) &&
		    !ks_pc_live_nofault(READ_ONCE(s->sp), READ_ONCE(s->ret)))
			n++;
	}
#endif
	return n;
}

/*
 * reset: the vmalloc counters start again; calls noted before it that
 * are still waiting do not count.  Context: process, probes paused.
 */
void ks_hooks_vmalloc_reset(void)
{
#if KS_COMPAT_VMALLOC_FTRACE
	unsigned int i;

	for (i = 0; i < KS_VM_SLOTS; i++)
		WRITE_ONCE(ks_vm_slots[i].matched, true);
#endif
	atomic_long_set(&ks_vmalloc_no_slot, 0);
	atomic_long_set(&ks_vmalloc_unmatched, 0);
}

/* How vmalloc is hooked: "callback", "kretprobe", "none". */
const char *ks_hooks_vmalloc_way(void)
{
	if (!ks_attached(KS_HOOK_VMALLOC))
		return "none";
	return ks_vmalloc_by_ftrace ? "callback" : "kretprobe";
}

/* Free calls skipped so: their records stay until the address comes back. */
unsigned long ks_hooks_frees_missed(void)
{
	return ks_vfree_kp.nmissed + ks_vfree_atomic_kp.nmissed +
	       ks_bulk_free_kp.nmissed + ks_kfree_rcu_krp.nmissed +
	       ks_kfree_rcu_krp.kp.nmissed + ks_kfree_nolock_kp.nmissed +
	       ks_dma_missed(true);
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
