/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagecaller.h - a page allocation's caller from entry callbacks.  See
 * pagecaller.c.
 */
#ifndef _KMEMSCOPE_PAGECALLER_H
#define _KMEMSCOPE_PAGECALLER_H

#include <linux/atomic.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>

#include "attrib.h"
#include "compat.h"

/* Page allocations whose caller the callbacks could not give. */
extern atomic_long_t ks_page_caller_unwound;
/* The callbacks are hooked and calibrated. */
extern bool ks_pagecaller_on;

/* The stack pointer ks_pagecaller_take() measures from. */
static __always_inline unsigned long ks_pagecaller_sp(void)
{
#if KS_COMPAT_PAGE_FTRACE
	return current_stack_pointer;
#else
	return 0;
#endif
}

#if KS_COMPAT_PAGE_FTRACE
#define KS_PC_DEPTH	4	/* nested core calls kept per context */
#define KS_PC_CTXS	4	/* task, softirq, hardirq, NMI */

struct ks_pc_entry {
	struct task_struct *task;
	unsigned long sp;	/* the core's entry stack pointer */
	unsigned long ret;	/* the return address found there */
	unsigned long caller;	/* a pending caller, if caller_sp */
	unsigned long caller_sp; /* the slot that holds it; 0: none */
};

/* SOFTIRQ_OFFSET bytes (256), so that ks_pc_this() needs no multiply. */
struct ks_pc_ctx {
	struct ks_pc_entry pending;	/* from an outer entry point */
	unsigned int n;
	struct ks_pc_entry e[KS_PC_DEPTH];
} __aligned(256);

/*
 * A pending caller's stack slot lies at most this far above the core's
 * entry: a chain of entry points (alloc_pages() -> alloc_pages_mpol() ->
 * the core, __get_free_pages() one frame more) is a few frames deep;
 * reclaim's path from an allocation to a nested one is far deeper.
 */
#define KS_PC_CHAIN	512

DECLARE_PER_CPU(struct ks_pc_ctx [KS_PC_CTXS], ks_pc);
extern unsigned long ks_pc_dist;	/* core entry sp - probe sp; 0: off */

bool ks_pc_live_nofault(unsigned long sp, unsigned long ret);
void ks_pagecaller_learn(unsigned long sp, bool page);

/*
 * This context's state: task 0, softirq 1, hardirq 2, NMI 3.  A context's
 * is SOFTIRQ_OFFSET bytes on from the one before, so that task and
 * softirq, the common cases, find theirs with one AND (make bench: 5
 * instructions less, twice per page allocation).
 */
static __always_inline struct ks_pc_ctx *ks_pc_this(void)
{
	unsigned long pc = preempt_count();
	unsigned long off;

	BUILD_BUG_ON(sizeof(struct ks_pc_ctx) != SOFTIRQ_OFFSET);
	if (likely(!(pc & (NMI_MASK | HARDIRQ_MASK))))
		off = pc & SOFTIRQ_OFFSET;
	else
		off = (pc & NMI_MASK ? 3 : 2) * SOFTIRQ_OFFSET;
	return (void *)this_cpu_ptr(&ks_pc[0]) + off;
}

/*
 * The word at @sp is @ret: the frame of that call is still live.  A word
 * of the current task's stack is read as the unwinders read the stack
 * (mapped whole; READ_ONCE_NOCHECK(), as a dead frame's word may be read);
 * any other (an interrupt stack, a stale entry's) with
 * get_kernel_nofault(), a call into the kernel of about 40 instructions,
 * up to twice per page allocation (make bench).  That read is a call of
 * its own (ks_pc_live_nofault()): a local whose address is taken would
 * give the callers a stack canary (about 14 instructions per page
 * allocation, make bench).
 */
static __always_inline bool ks_pc_live(unsigned long sp, unsigned long ret)
{
	/* @sp is a stack pointer: aligned. */
	if (likely(in_task() && object_is_on_stack((void *)sp)))
		return READ_ONCE_NOCHECK(*(unsigned long *)sp) == ret;
	return ks_pc_live_nofault(sp, ret);
}

struct ks_pc_entry *ks_pc_pop_deep(struct ks_pc_ctx *c, unsigned long at);

/*
 * The entry of the core call the probe at @sp runs in, popped, or NULL.
 * It is on top, unless entries of calls that returned without reaching
 * the probe, or of other tasks, are above it: ks_pc_pop_deep() pops those.
 */
static __always_inline struct ks_pc_entry *ks_pc_pop(struct ks_pc_ctx *c,
						     unsigned long sp,
						     unsigned long dist)
{
	unsigned long at = sp + dist;
	unsigned int n = c->n;
	struct ks_pc_entry *e;

	if (unlikely(!n))
		return NULL;
	e = &c->e[n - 1];
	if (unlikely(e->task != current || e->sp != at))
		return ks_pc_pop_deep(c, at);
	if (!ks_pc_live(at, e->ret))
		return NULL;
	c->n = n - 1;
	return e;
}

/*
 * The caller of live entry @e's allocation: the core's caller when that is
 * outside the allocator; else the pending caller of the outer entry point
 * that led to the core, when its frame is still live and near (a chain of
 * entry points, not an allocation further up that reclaim is serving);
 * none when the bulk allocator called the core (its one-page fallback:
 * the page probe finds the bulk frame in the backtrace and leaves the
 * page to the bulk hook).  0: not known, the backtrace finds it.  A
 * caller given is in no range of attrib.c's (a wrapper's included): its
 * type was KS_RANGE_NONE, here or at the outer entry point.
 */
static __always_inline unsigned long ks_pc_caller(const struct ks_pc_entry *e)
{
	int type = ks_attrib_type_of_fast(e->ret);

	if (type == KS_RANGE_NONE)
		return e->ret;
	if (type != KS_RANGE_PAGE_BULK && e->caller_sp > e->sp &&
	    e->caller_sp - e->sp <= KS_PC_CHAIN &&
	    ks_pc_live(e->caller_sp, e->caller))
		return e->caller;
	return 0;
}

/**
 * ks_pagecaller_take - the caller of the page allocation being reported
 * @sp: the page probe's stack pointer
 * @page: the event reported a page (else the allocation failed: its
 *	  entry is only popped)
 *
 * Inline in the page probe: as a call it cost about 20 instructions more
 * per page allocation (make bench).
 * Context: the mm_page_alloc probe: preemption off; interrupts may be on
 * (an interrupt's calls use the state of its own context).
 * Return: the caller, or 0 when the backtrace must find it.
 */
static __always_inline unsigned long ks_pagecaller_take(unsigned long sp,
							bool page)
{
	unsigned long caller, dist = READ_ONCE(ks_pc_dist);
	struct ks_pc_entry *e;

	if (unlikely(!dist)) {
		ks_pagecaller_learn(sp, page);
		return 0;
	}
	e = ks_pc_pop(ks_pc_this(), sp, dist);
	if (!page)
		return 0;
	caller = e ? ks_pc_caller(e) : 0;
	if (!caller)
		atomic_long_inc(&ks_page_caller_unwound);
	return caller;
}

int ks_pagecaller_register(const unsigned long *entries, unsigned int n,
			   struct module *self);
void ks_pagecaller_learn_begin(void);
bool ks_pagecaller_learn_end(struct module *caller);
void ks_pagecaller_unregister(void);
#else
static inline unsigned long ks_pagecaller_take(unsigned long sp, bool page)
{
	return 0;
}

static inline int ks_pagecaller_register(const unsigned long *entries,
					 unsigned int n, struct module *self)
{
	return -EOPNOTSUPP;
}

static inline void ks_pagecaller_learn_begin(void)
{
}

static inline bool ks_pagecaller_learn_end(struct module *caller)
{
	return false;
}

static inline void ks_pagecaller_unregister(void)
{
}
#endif

#endif /* _KMEMSCOPE_PAGECALLER_H */
