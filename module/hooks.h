/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hooks.h - the probes on the kernel's allocation paths, their states
 * and their counters.  See hooks.c.
 */
#ifndef _KMEMSCOPE_HOOKS_H
#define _KMEMSCOPE_HOOKS_H

#include <linux/atomic.h>
#include <linux/sched.h>
#include <linux/types.h>

#include "stacks.h"
#include "store.h"

enum ks_hook {
	KS_HOOK_KMALLOC,
	KS_HOOK_KMEM_CACHE_ALLOC,
	KS_HOOK_KFREE,
	KS_HOOK_KMEM_CACHE_FREE,
	KS_HOOK_PAGE_ALLOC,
	KS_HOOK_PAGE_FREE,
	KS_HOOK_PERCPU_ALLOC,
	KS_HOOK_PERCPU_FREE,
	KS_HOOK_VMALLOC,
	KS_HOOK_VFREE,
	KS_HOOK_VFREE_ATOMIC,
	KS_HOOK_CACHE_ALLOC_BULK,
	KS_HOOK_CACHE_FREE_BULK,
	KS_HOOK_PAGES_BULK,
	KS_HOOK_SPLIT_PAGE,
	KS_HOOK_PAGES_EXACT,
	KS_HOOK_KREALLOC,
	KS_HOOK_KFREE_RCU_SHEAF,
	KS_HOOK_KFREE_NOLOCK,
	KS_HOOK_DMA_ALLOC,
	KS_HOOK_DMA_FREE,
	KS_HOOK_DMA_PAGES,
	KS_HOOK_DMA_FREE_PAGES,
	KS_HOOK_DMA_NONCONTIG,
	KS_HOOK_DMA_FREE_NONCONTIG,
	KS_HOOK_CMA_ALLOC,
	KS_NR_HOOKS,
};

/* State of one hook, as the summary reports it. */
enum ks_hook_state {
	KS_HOOK_OFF,		/* not registered (or not needed here) */
	KS_HOOK_ATTACHED,	/* registered, self-test not run */
	KS_HOOK_VERIFIED,	/* registered and seen firing at load */
	KS_HOOK_SILENT,		/* registered but did not fire at load */
	KS_HOOK_FAILED,		/* registration failed */
};

struct ks_hook_info {
	const char *name;
	enum ks_hook_state state;
	int error;
};

/* The self-test's calibration: a backtrace the probes keep for it. */
struct ks_calib {
	struct task_struct *task;	/* whose allocation to keep */
	u8 kind;			/* of which allocator (KS_PAGE, ...) */
	unsigned int n;
	unsigned long entries[KS_STACK_MAX_DEPTH + 16];
};

/* ks_calib.kind for the bulk page allocator's entry (page_pool's path). */
#define KS_CALIB_BULK	0xfe

extern struct ks_calib ks_calib;
extern struct ks_hook_info ks_hooks[KS_NR_HOOKS];
extern atomic_long_t ks_filtered_small;
extern atomic_long_t ks_bulk_pages;
extern atomic_long_t ks_bulk_unseen;
extern atomic_long_t ks_unknown_callers;
extern atomic_long_t ks_page_rewalks;
extern atomic_long_t ks_user_pages;
extern atomic_long_t ks_vfree_deferred;
extern atomic_long_t ks_vmalloc_no_slot;
extern atomic_long_t ks_vfree_twice;
extern atomic_long_t ks_dma_source[KS_DMA_NR_SOURCES];
extern atomic_long_t ks_dma_unsized;
extern atomic_long_t ks_cma_unrecorded, ks_cma_unrecorded_pages;
int ks_hooks_register(void);
void ks_hooks_unregister(void);
unsigned long ks_hooks_recursion_drops(void);
unsigned long ks_hooks_hits(enum ks_hook h);
unsigned long ks_hooks_missed(void);
unsigned long ks_hooks_frees_missed(void);
const char *ks_hooks_bulk_way(void);
const char *ks_hooks_vmalloc_way(void);
unsigned long ks_hooks_vmalloc_unmatched(void);
void ks_hooks_vmalloc_reset(void);
void ks_hooks_set_min_size(unsigned long size);

#endif /* _KMEMSCOPE_HOOKS_H */
