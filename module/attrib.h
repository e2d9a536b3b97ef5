/* SPDX-License-Identifier: GPL-2.0 */
/*
 * attrib.h - who an allocation belongs to.  See attrib.c.
 */
#ifndef _KMEMSCOPE_ATTRIB_H
#define _KMEMSCOPE_ATTRIB_H

#include <linux/types.h>
#include <linux/module.h>
#include <linux/preempt.h>
#include <linux/sched.h>

/* Site key of page allocations whose caller was not found in the stack. */
#define KS_UNKNOWN_CALLER	1UL

enum ks_range_type {
	KS_RANGE_WRAPPER,	/* allocates on behalf of its caller */
	KS_RANGE_PAGE_CORE,	/* the page allocator's entry points */
	KS_RANGE_KMALLOC_TWICE,	/* report large kmallocs twice (compat.h) */
	KS_RANGE_PAGE_BULK,	/* the bulk page allocator (hooks.c) */
};

/* ks_attrib_type_of() of an address outside every range. */
#define KS_RANGE_NONE		(-1)

struct ks_text_range {
	unsigned long start, end;	/* [start, end) */
	u8 type;
};

/*
 * Calibration (selftest.c) keeps the backtrace of a page allocation that
 * @task made itself: not one an interrupt made while @task was running,
 * whose frames would be taught as the page allocator's.  Context: any.
 */
static inline bool ks_attrib_calib_wants(const struct task_struct *task)
{
	return task == current && in_task();
}

/* Lowest start and highest end of all ranges published; see below. */
struct ks_attrib_span {
	unsigned long lo, hi;
};

extern struct ks_attrib_span ks_attrib_span;

/*
 * @addr lies outside every range (so ks_attrib_in() is false for every
 * type), as an inline test of two words: most call sites are (all of a
 * module's), and a probe then makes no call; ks_attrib_in() tests the map
 * before it searches.  False does not mean inside one.  Context: any.
 */
static __always_inline bool ks_attrib_outside(unsigned long addr)
{
	return addr < READ_ONCE(ks_attrib_span.lo) ||
	       addr >= READ_ONCE(ks_attrib_span.hi);
}

bool ks_attrib_in(unsigned long addr, enum ks_range_type type);

/* ks_attrib_in(), without a call for an address outside every range. */
static __always_inline bool ks_attrib_in_fast(unsigned long addr,
					      enum ks_range_type type)
{
	return !ks_attrib_outside(addr) && ks_attrib_in(addr, type);
}

int ks_attrib_type_of(unsigned long addr);

/* ks_attrib_type_of(), without a call for an address outside every range. */
static __always_inline int ks_attrib_type_of_fast(unsigned long addr)
{
	return ks_attrib_outside(addr) ? KS_RANGE_NONE :
	       ks_attrib_type_of(addr);
}

extern unsigned int ks_page_walk;
extern unsigned long ks_page_core_fn;

void ks_attrib_init(void);
int ks_attrib_learn_page_path(const unsigned long *entries, unsigned int n,
			      struct module *caller);
int ks_attrib_learn_alloc_path(const unsigned long *entries, unsigned int n,
			       struct module *caller);
const struct ks_text_range *ks_text_range_find(const struct ks_text_range *r,
					       unsigned int n,
					       unsigned long addr);
bool ks_attrib_in_any(unsigned long addr);
unsigned long ks_attrib_func_start(unsigned long addr);
unsigned long ks_attrib_func_size(unsigned long addr);
unsigned int __ks_attrib_skip(const unsigned long *entries, unsigned int n,
			      unsigned long call_site, bool page, bool *bulk);

static inline unsigned int ks_attrib_skip(const unsigned long *entries,
					  unsigned int n,
					  unsigned long call_site, bool page)
{
	return __ks_attrib_skip(entries, n, call_site, page, NULL);
}

u8 ks_attrib_page_class(const char *func, bool core, u8 hint);
u8 ks_attrib_class_of_name(const char *func);
u8 ks_attrib_classify(unsigned long key, u8 kind, u8 hint, bool *stacks);
void ks_attrib_set_module_filter(const char *name);
const char *ks_attrib_module_filter(void);
bool ks_attrib_core_filtered(void);
void ks_attrib_set_stacks_module(const char *name);
void ks_attrib_stacks_module(char *buf);

#endif /* _KMEMSCOPE_ATTRIB_H */
