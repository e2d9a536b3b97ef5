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
 *     frozen-pages allocator from 6.15): an entry is pushed with the
 *     core's own entry stack pointer and return address, and the task's
 *     pending caller, if any (consumed).  Nothing more is decided there:
 *     the callback stays a leaf, on every page allocation;
 *   - the probe (ks_pagecaller_take(), pagecaller.h, inline in the page
 *     probe) decides the caller (ks_pc_caller()): the core's caller when
 *     that is outside the allocator (a direct call, as alloc_pages_node()
 *     makes), else the pending one (its slot at most KS_PC_CHAIN bytes
 *     above, as a chain of entry points is, not a caller further up
 *     whose allocation reclaim is serving), else none; none when the
 *     bulk allocator calls the core (its one-page fallback: the page
 *     probe finds the bulk frame in the backtrace and leaves the page to
 *     the bulk hook, hooks.c);
 *   - the probe runs inside the core: the entry it
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
 * callbacks run with preemption disabled for their few stores, the probe
 * with preemption off (the tracepoint's) and interrupts on; a task
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

/* The ftrace site is a function's start, or just past its endbr64. */
#define KS_PC_FENTRY_MAX	16

DEFINE_PER_CPU(struct ks_pc_ctx [KS_PC_CTXS], ks_pc);

static unsigned long ks_pc_core;	/* start of the core function */
unsigned long ks_pc_dist;	/* core entry sp - probe sp; 0: off */
/* Calibration: the task whose allocation measures the distance. */
static struct task_struct *ks_pc_learner;
static unsigned long ks_pc_cand_dist, ks_pc_cand_caller;

/* ks_pc_live() of a word not on the current task's stack. */
noinline bool ks_pc_live_nofault(unsigned long sp, unsigned long ret)
{
	unsigned long v;

	return !get_kernel_nofault(v, (unsigned long *)sp) && v == ret;
}

/*
 * ks_pc_pop() when its entry, for the core's entry stack pointer @at, is
 * not on top: entries deeper than @at (calls that returned) and other
 * tasks' go; then the top is its entry, or it has none.
 */
struct ks_pc_entry *ks_pc_pop_deep(struct ks_pc_ctx *c, unsigned long at)
{
	struct ks_pc_entry *e;

	while (c->n && (c->e[c->n - 1].task != current ||
			c->e[c->n - 1].sp < at))
		c->n--;
	if (!c->n)
		return NULL;
	e = &c->e[c->n - 1];
	if (e->sp != at || !ks_pc_live(at, e->ret))
		return NULL;
	c->n--;
	return e;
}

/*
 * An outer entry point's callback: a chain starts here if it was called
 * from outside the allocator.  Out of line: the core's callback, on every
 * page allocation, stays a leaf.
 */
static noinline void notrace ks_pc_outer_enter(unsigned long parent_ip,
					       unsigned long sp)
{
	int type = ks_attrib_type_of_fast(parent_ip);
	struct ks_pc_entry *p;

	preempt_disable_notrace();
	p = &ks_pc_this()->pending;
	if (type == KS_RANGE_NONE) {
		p->task = current;
		p->sp = sp;
		p->ret = parent_ip;
	} else if (type == KS_RANGE_PAGE_BULK) {
		/* The bulk fallback's chain (6.15 on): no caller. */
		p->task = NULL;
	}
	preempt_enable_notrace();
}

/* A full stack of entries: the oldest goes (the deepest nesting wins). */
static noinline void notrace ks_pc_drop_oldest(struct ks_pc_ctx *c)
{
	memmove(c->e, c->e + 1, sizeof(c->e[0]) * (KS_PC_DEPTH - 1));
	c->n--;
}

/*
 * The core's callback: an entry with the core's entry stack pointer and
 * return address, and the pending caller of this task's outer entry
 * point, if any (consumed).  Whose caller it is, is decided when the
 * probe takes the entry (ks_pc_caller()): deciding here cost about 20
 * instructions more per page allocation (make bench).
 */
static __always_inline void ks_pc_core_enter(unsigned long parent_ip,
					     unsigned long sp)
{
	struct task_struct *task = current;
	struct ks_pc_entry *e;
	struct ks_pc_ctx *c;

	preempt_disable_notrace();
	c = ks_pc_this();
	/* Entries below this one belong to calls that have returned. */
	while (c->n && (c->e[c->n - 1].task != task ||
			c->e[c->n - 1].sp <= sp))
		c->n--;
	if (unlikely(c->n == KS_PC_DEPTH))
		ks_pc_drop_oldest(c);
	e = &c->e[c->n++];
	e->task = task;
	e->sp = sp;
	e->ret = parent_ip;
	e->caller_sp = 0;
	if (c->pending.task == task) {
		e->caller = c->pending.ret;
		e->caller_sp = c->pending.sp;
	}
	/* Whoever's it was: a core call ends every chain of this context. */
	c->pending.task = NULL;
	preempt_enable_notrace();
}

static void notrace ks_pc_callback(unsigned long ip, unsigned long parent_ip,
				   struct ftrace_ops *op,
				   struct ftrace_regs *fregs)
{
	unsigned long sp = ks_compat_fregs_sp(fregs);

	if (likely(ip - READ_ONCE(ks_pc_core) < KS_PC_FENTRY_MAX))
		ks_pc_core_enter(parent_ip, sp);
	else
		ks_pc_outer_enter(parent_ip, sp);
}

static struct ftrace_ops ks_pc_ops = {
	.func = ks_pc_callback,
	.flags = KS_COMPAT_FTRACE_FLAGS,
};

static bool ks_pc_registered;

/*
 * ks_pagecaller_take() before the distance is known: calibration, on the
 * learner's own allocation, in task context.
 */
void ks_pagecaller_learn(unsigned long sp, bool page)
{
	struct ks_pc_ctx *c = ks_pc_this();
	struct ks_pc_entry *e;

	if (page && READ_ONCE(ks_pc_learner) == current && in_task() &&
	    c->n && c->e[c->n - 1].task == current) {
		e = &c->e[c->n - 1];
		WRITE_ONCE(ks_pc_cand_dist, e->sp - sp);
		WRITE_ONCE(ks_pc_cand_caller, ks_pc_caller(e));
	}
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
