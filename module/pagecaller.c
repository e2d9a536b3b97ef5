// SPDX-License-Identifier: GPL-2.0
/*
 * pagecaller.c - a page allocation's caller, from function entry callbacks
 * instead of a backtrace.
 *
 * The mm_page_alloc event carries no call site, so the page probe finds
 * the caller by unwinding, and on x86 (ORC) a frame costs about 360
 * instructions.  Here ftrace entry callbacks on the page allocator note
 * the caller on the way in, for the probe to take:
 *
 *   - on the exported entry points whose caller is charged (alloc_pages(),
 *     folio_alloc(), __get_free_pages(), ...: the "outer" ones, compat.h)
 *     and the inner functions calibration passed through, when called
 *     from outside the allocator and its wrappers: the caller is kept as
 *     pending, with the stack slot that holds it;
 *   - on the function that fires mm_page_alloc (the "core", found at load
 *     in the calibration backtrace, attrib.c: __alloc_pages*, or the
 *     frozen-pages allocator from 6.15): an entry is pushed with the core's own
 *     entry stack pointer and return address, and as caller either the
 *     core's caller (a direct call, as alloc_pages_node() makes) or the
 *     pending one (consumed; its slot at most KS_PC_CHAIN bytes above,
 *     as a chain of entry points is, not a caller further up whose
 *     allocation reclaim is serving), else none; none when the bulk
 *     allocator calls the core (its one-page fallback: the page probe
 *     finds the bulk frame in the backtrace and leaves the page to the
 *     bulk hook, hooks.c);
 *   - the probe (ks_pagecaller_take()) runs inside the core: the entry it
 *     takes must be the current task's, with the return address still in
 *     place at exactly the distance from the probe's stack pointer that
 *     calibration measured, and a pending caller still in its slot (a
 *     task that moved CPUs may find an entry it left behind on an earlier
 *     call at the same depth).  Entries of calls that returned or of other
 *     tasks are popped on the way; a failed allocation (the event fires
 *     with no page) pops its own.
 *     Anything else (another probe on the event changes the distance, an
 *     allocation nested in reclaim, a chain through an unhooked wrapper)
 *     leaves the caller to the backtrace, as before: counted
 *     (page_caller_unwound), never guessed.
 *
 * x86_64 from 6.1 only (KS_COMPAT_PAGE_FTRACE): arm64 unwinds by frame
 * pointer, cheaply, and keeps return addresses in a register at entry,
 * not at the entry stack pointer; 5.10 does not export
 * ftrace_free_filter(), without which an unload would leave the ops'
 * filter allocated.
 *
 * Notes on locking and context
 * ----------------------------
 * State is per CPU and per context (task, softirq, hardirq, NMI), so an
 * interrupt cannot tear an entry the code it interrupted is writing.  The
 * callbacks run with preemption disabled for their few stores; a task
 * preempted between callback and probe finds its entries gone or
 * rejected (task or return address), and unwinds.  Stack words are read
 * plainly on the task's own stack, else with get_kernel_nofault().  No
 * locks, no allocation.  The ftrace ops is registered before the page
 * hooks' calibration and unregistered after the hooks are gone
 * (unregister_ftrace_function() waits for callbacks).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ftrace.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/task_stack.h>
#include <linux/uaccess.h>

#include "pagecaller.h"
#include "attrib.h"
#include "compat.h"

atomic_long_t ks_page_caller_unwound;
bool ks_pagecaller_on;

#if KS_COMPAT_PAGE_FTRACE

#define KS_PC_DEPTH	4	/* nested core calls kept per context */
#define KS_PC_CTXS	4	/* task, softirq, hardirq, NMI */

/*
 * A pending caller's stack slot lies at most this far above the core's
 * entry: a chain of entry points (alloc_pages() -> alloc_pages_mpol() ->
 * the core, __get_free_pages() one frame more) is a few frames deep;
 * reclaim's path from an allocation to a nested one is far deeper.
 */
#define KS_PC_CHAIN	512
/* The ftrace site is a function's start, or just past its endbr64. */
#define KS_PC_FENTRY_MAX	16

struct ks_pc_entry {
	struct task_struct *task;
	unsigned long sp;	/* the core's entry stack pointer */
	unsigned long ret;	/* the return address found there */
	unsigned long caller;	/* 0: not known here */
	unsigned long caller_sp; /* the slot that holds a pending caller */
};

struct ks_pc_ctx {
	struct ks_pc_entry pending;	/* from an outer entry point */
	unsigned int n;
	struct ks_pc_entry e[KS_PC_DEPTH];
};

static DEFINE_PER_CPU(struct ks_pc_ctx [KS_PC_CTXS], ks_pc);

static unsigned long ks_pc_core;	/* start of the core function */
static unsigned long ks_pc_dist;	/* core entry sp - probe sp; 0: off */
/* Calibration: the task whose allocation measures the distance. */
static struct task_struct *ks_pc_learner;
static unsigned long ks_pc_cand_dist, ks_pc_cand_caller;

static __always_inline struct ks_pc_ctx *ks_pc_this(void)
{
	unsigned long pc = preempt_count();
	unsigned int c = pc & NMI_MASK ? 3 : pc & HARDIRQ_MASK ? 2 :
			 pc & SOFTIRQ_OFFSET ? 1 : 0;

	return this_cpu_ptr(&ks_pc[c]);
}

/*
 * The word at @sp is @ret: the frame of that call is still live.  A word
 * of the current task's stack is read as the unwinders read the stack
 * (mapped whole; READ_ONCE_NOCHECK(), as a dead frame's word may be read);
 * any other (an interrupt stack, a stale entry's) with
 * get_kernel_nofault(), a call into the kernel of about 40 instructions,
 * three times per page allocation (make bench).
 */
static __always_inline bool ks_pc_live(unsigned long sp, unsigned long ret)
{
	unsigned long v;

	if (likely(in_task() && IS_ALIGNED(sp, sizeof(v)) &&
		   object_is_on_stack((void *)sp)))
		return READ_ONCE_NOCHECK(*(unsigned long *)sp) == ret;
	return !get_kernel_nofault(v, (unsigned long *)sp) && v == ret;
}

static void notrace ks_pc_enter(unsigned long ip, unsigned long parent_ip,
				unsigned long sp)
{
	struct ks_pc_entry *p;
	struct ks_pc_ctx *c;
	int type = ks_attrib_type_of_fast(parent_ip);
	bool outside = type == KS_RANGE_NONE;
	unsigned long caller = 0, caller_sp = 0;

	preempt_disable_notrace();
	c = ks_pc_this();
	p = &c->pending;
	if (ip - READ_ONCE(ks_pc_core) >= KS_PC_FENTRY_MAX) {
		/* An outer entry point: a chain starts here if called from outside. */
		if (outside) {
			p->task = current;
			p->sp = sp;
			p->ret = parent_ip;
		} else if (type == KS_RANGE_PAGE_BULK) {
			/* The bulk fallback's chain (6.15 on): no caller. */
			p->task = NULL;
		}
		goto out;
	}
	if (outside) {
		caller = parent_ip;
	} else if (type != KS_RANGE_PAGE_BULK &&
		   p->task == current && p->sp > sp &&
		   p->sp - sp <= KS_PC_CHAIN && ks_pc_live(p->sp, p->ret)) {
		caller = p->ret;
		caller_sp = p->sp;
	}
	p->task = NULL;
	/* Entries below this one belong to calls that have returned. */
	while (c->n && (c->e[c->n - 1].task != current ||
			c->e[c->n - 1].sp <= sp))
		c->n--;
	if (c->n == KS_PC_DEPTH) {
		memmove(c->e, c->e + 1, sizeof(c->e[0]) * (KS_PC_DEPTH - 1));
		c->n--;
	}
	c->e[c->n++] = (struct ks_pc_entry){
		.task = current, .sp = sp, .ret = parent_ip, .caller = caller,
		.caller_sp = caller_sp,
	};
out:
	preempt_enable_notrace();
}

static void notrace ks_pc_callback(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
	ks_pc_enter(ip, parent_ip, ks_compat_fregs_sp(fregs));
}

static struct ftrace_ops ks_pc_ops = {
	.func = ks_pc_callback,
	.flags = KS_COMPAT_FTRACE_FLAGS,
};

static bool ks_pc_registered;

/*
 * The entry of the core call the probe at @sp runs in, popped, or NULL.
 * Entries deeper than it (calls that returned) and other tasks' go too.
 */
static struct ks_pc_entry *ks_pc_pop(struct ks_pc_ctx *c, unsigned long sp,
				     unsigned long dist)
{
	struct ks_pc_entry *e;

	while (c->n && (c->e[c->n - 1].task != current ||
			c->e[c->n - 1].sp < sp + dist))
		c->n--;
	if (!c->n)
		return NULL;
	e = &c->e[c->n - 1];
	if (e->sp != sp + dist || !ks_pc_live(e->sp, e->ret))
		return NULL;
	c->n--;
	return e;
}

/**
 * ks_pagecaller_take - the caller of the page allocation being reported
 * @sp: the page probe's stack pointer
 * @page: the event reported a page (else the allocation failed: its
 *	  entry is only popped)
 *
 * Context: the mm_page_alloc probe, inside ks_enter() (interrupts off).
 * Return: the caller, or 0 when the backtrace must find it.
 */
unsigned long ks_pagecaller_take(unsigned long sp, bool page)
{
	unsigned long dist = READ_ONCE(ks_pc_dist);
	struct ks_pc_ctx *c = ks_pc_this();
	struct ks_pc_entry *e;

	if (unlikely(!dist)) {
		/* Calibration: the learner's own allocation, in task context. */
		if (page && READ_ONCE(ks_pc_learner) == current && in_task() &&
		    c->n && c->e[c->n - 1].task == current) {
			e = &c->e[c->n - 1];
			WRITE_ONCE(ks_pc_cand_dist, e->sp - sp);
			WRITE_ONCE(ks_pc_cand_caller, e->caller);
		}
		return 0;
	}
	e = ks_pc_pop(c, sp, dist);
	if (!page)
		return 0;
	if (!e || !e->caller ||
	    (e->caller_sp && !ks_pc_live(e->caller_sp, e->caller))) {
		atomic_long_inc(&ks_page_caller_unwound);
		return 0;
	}
	return e->caller;
}

/**
 * ks_pagecaller_register - hook the page allocator's entry points
 * @entries: the calibration backtrace of one page allocation (probe first)
 * @n: its length
 * @self: kmemscope's module
 *
 * Context: process, at load, after the page hooks are attached.
 * Return: 0, or a negative errno (the backtrace is used then).
 */
int ks_pagecaller_register(const unsigned long *entries, unsigned int n,
			   struct module *self)
{
	const unsigned long *fn;
	unsigned int i, nfn;
	int ret;

	ks_pc_core = READ_ONCE(ks_page_core_fn);
	if (!ks_pc_core)
		return -ENOENT;
	ret = ftrace_set_filter_ip(&ks_pc_ops, ks_pc_core, 0, 0);
	if (ret)
		return ret;
	fn = ks_compat_page_outer(&nfn);
	for (i = 0; i < nfn; i++) {
		if (fn[i] == ks_pc_core || ks_attrib_func_start(fn[i]) != fn[i])
			continue;
		/* A missing one (inlined, renamed) only costs a backtrace. */
		if (ftrace_set_filter_ip(&ks_pc_ops, fn[i], 0, 0))
			pr_debug("no entry callback on %ps\n", (void *)fn[i]);
	}
	/*
	 * And the allocator's inner functions the calibration passed through
	 * (6.12: alloc_pages_mpol_noprof(), which vma_alloc_folio() calls for
	 * user pages): entered from outside, they start a chain too.
	 */
	for (i = 0; i < n && within_module(entries[i], self); i++)
		;
	for (; i < n && !within_module(entries[i], self); i++) {
		unsigned long start = ks_attrib_func_start(entries[i]);
		unsigned int j;

		if (!start || start == ks_pc_core ||
		    !ks_attrib_in(entries[i], KS_RANGE_PAGE_CORE))
			continue;
		for (j = 0; j < nfn && fn[j] != start; j++)
			;
		if (j == nfn && ftrace_set_filter_ip(&ks_pc_ops, start, 0, 0))
			pr_debug("no entry callback on %ps\n", (void *)start);
	}
	ret = register_ftrace_function(&ks_pc_ops);
	if (ret) {
		ftrace_free_filter(&ks_pc_ops);
		return ret;
	}
	ks_pc_registered = true;
	return 0;
}

/*
 * Measure the distance from the core's entry to the probe on one page
 * allocation of the calling task's, made between begin and end.
 */
void ks_pagecaller_learn_begin(void)
{
	WRITE_ONCE(ks_pc_cand_dist, 0);
	WRITE_ONCE(ks_pc_cand_caller, 0);
	WRITE_ONCE(ks_pc_learner, current);
}

/*
 * Keep the distance seen if the entry named @caller's code as the caller.
 * Return: whether it did (the calibrating task may have moved CPUs
 * between the callback and the event: try again).
 */
bool ks_pagecaller_learn_end(struct module *caller)
{
	unsigned long dist = READ_ONCE(ks_pc_cand_dist);

	WRITE_ONCE(ks_pc_learner, NULL);
	if (!dist || dist >= THREAD_SIZE ||
	    !within_module(READ_ONCE(ks_pc_cand_caller), caller))
		return false;
	WRITE_ONCE(ks_pc_dist, dist);
	WRITE_ONCE(ks_pagecaller_on, true);
	return true;
}

void ks_pagecaller_unregister(void)
{
	WRITE_ONCE(ks_pc_dist, 0);
	WRITE_ONCE(ks_pagecaller_on, false);
	if (!ks_pc_registered)
		return;
	unregister_ftrace_function(&ks_pc_ops);
	ftrace_free_filter(&ks_pc_ops);
	ks_pc_registered = false;
}

#endif
