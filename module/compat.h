/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference kmemscope depends on.
 *
 * Supported: 6.1 to 6.12, and 7.2 (Debian unstable: the 6.13 to 7.2 block
 * below).  Code outside this file never tests LINUX_VERSION_CODE; it
 * calls the ks_compat_* wrappers below.  This is
 * the one file checkpatch's LINUX_VERSION_CODE rule is waived for.
 */
#ifndef _KMEMSCOPE_COMPAT_H
#define _KMEMSCOPE_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>
#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/vmalloc.h>
#include <linux/device.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/ptrace.h>
#include <linux/mm.h>
#include <linux/preempt.h>
#include <linux/timer.h>
#include <linux/hrtimer.h>

/* True when the kernel is at least a.b (the only version test allowed). */
#define KS_KERNEL_AT_LEAST(a, b) \
	(KERNEL_VERSION(a, b, 0) <= LINUX_VERSION_CODE)

#if !KS_KERNEL_AT_LEAST(6, 1)
#error "kmemscope needs Linux 6.1 or newer (kmem tracepoints with a kmem_cache argument)"
#endif

/* ---- Linux 6.13 to 7.2 (Debian unstable's 7.2) ------------------------- */

/*
 * 7.0 renamed <linux/balloon_compaction.h> to <linux/balloon.h> and
 * CONFIG_MEMORY_BALLOON to CONFIG_BALLOON (2026 balloon rework: 7.2 has
 * the new names, 6.12 the old; the exact first version is not checked).
 */
#if KS_KERNEL_AT_LEAST(7, 0)
#include <linux/balloon.h>
#else
#include <linux/balloon_compaction.h>
#endif
#define KS_COMPAT_BALLOON \
	(IS_ENABLED(CONFIG_MEMORY_BALLOON) || IS_ENABLED(CONFIG_BALLOON))

/* 6.17 renamed krealloc_noprof/kvrealloc_noprof to *_node_align_noprof. */
#if KS_KERNEL_AT_LEAST(6, 17)
#define KS_COMPAT_KREALLOC_FN		krealloc_node_align_noprof
#define KS_COMPAT_KVREALLOC_FN		kvrealloc_node_align_noprof
#define KS_COMPAT_KREALLOC_NAME		"krealloc_node_align_noprof"
#else
#define KS_COMPAT_KREALLOC_FN		krealloc_noprof
#define KS_COMPAT_KVREALLOC_FN		kvrealloc_noprof
#define KS_COMPAT_KREALLOC_NAME		"krealloc_noprof"
#endif

/* 6.14 dropped alloc_pages_bulk_array(): alloc_pages_bulk() takes the array. */
#if KS_KERNEL_AT_LEAST(6, 14)
#define ks_compat_alloc_pages_bulk_array(gfp, nr, array) \
	alloc_pages_bulk(gfp, nr, array)
#else
#define ks_compat_alloc_pages_bulk_array(gfp, nr, array) \
	alloc_pages_bulk_array(gfp, nr, array)
#endif

/*
 * 7.2's kmem_cache_alloc_bulk() returns bool (all @nr or none; 6.12: the
 * int count, 0 on failure; first version with bool not pinned here, so
 * this tests the prototype).  Objects allocated, from its return value.
 */
#if KS_KERNEL_AT_LEAST(6, 10)
#define KS_COMPAT_CACHE_BULK_BOOL					\
	__builtin_types_compatible_p(typeof(kmem_cache_alloc_bulk_noprof(	\
		NULL, 0, 0, NULL)), bool)
#else
#define KS_COMPAT_CACHE_BULK_BOOL	0
#endif
static inline long ks_compat_cache_bulk_count(unsigned long ret,
					      unsigned long nr)
{
	if (KS_COMPAT_CACHE_BULK_BOOL)
		return (ret & 0xff) ? (long)nr : 0;
	return (long)(int)ret;
}

/* kmem_cache_alloc_bulk() as objects allocated (see above). */
static inline int ks_compat_cache_alloc_bulk(struct kmem_cache *s, gfp_t gfp,
					     size_t nr, void **p)
{
	return (int)ks_compat_cache_bulk_count(kmem_cache_alloc_bulk(s, gfp,
								     nr, p),
					       nr);
}

/* 6.11 made platform_driver.remove return void (6.1: .remove_new). */
#if KS_KERNEL_AT_LEAST(6, 11)
#define KS_COMPAT_PLATFORM_REMOVE	remove
#else
#define KS_COMPAT_PLATFORM_REMOVE	remove_new
#endif

/* 6.16 renamed from_timer() to timer_container_of(). */
#if KS_KERNEL_AT_LEAST(6, 16)
#define ks_compat_timer_container_of(var, t, field) \
	timer_container_of(var, t, field)
#else
#define ks_compat_timer_container_of(var, t, field) from_timer(var, t, field)
#endif

/* 6.13 added hrtimer_setup(); hrtimer_init() is gone by 7.2. */
static inline void
ks_compat_hrtimer_setup(struct hrtimer *timer,
			enum hrtimer_restart (*fn)(struct hrtimer *),
			clockid_t clock, enum hrtimer_mode mode)
{
#if KS_KERNEL_AT_LEAST(6, 13)
	hrtimer_setup(timer, fn, clock, mode);
#else
	hrtimer_init(timer, clock, mode);
	timer->function = fn;
#endif
}

/*
 * 6.18 (slab sheaves): kfree_rcu() of a slab object goes to a per-CPU
 * rcu_free sheaf when __kfree_rcu_sheaf() returns true; no tracepoint
 * reports that free, ever (the sheaf goes back to the slab after a grace
 * period, untraced).  0 where kfree_rcu() ends in traced or hooked frees.
 */
#if KS_KERNEL_AT_LEAST(6, 18)
#define KS_COMPAT_KFREE_RCU_SHEAF	1
#define KS_COMPAT_KFREE_RCU_SHEAF_SYMBOL "__kfree_rcu_sheaf"
#else
#define KS_COMPAT_KFREE_RCU_SHEAF	0
#define KS_COMPAT_KFREE_RCU_SHEAF_SYMBOL "__kfree_rcu_sheaf"
#endif

/*
 * 6.18 added kfree_nolock(): no tracepoint, and it may free what kmalloc()
 * (traced) returned; the slab frees its own sheaves and obj_exts with it.
 */
#define KS_COMPAT_KFREE_NOLOCK		KS_KERNEL_AT_LEAST(6, 18)

/* ---- end of 6.13 to 7.2 ------------------------------------------------- */

/*
 * Size of a kmem_cache object as the caller sees it.  struct kmem_cache is
 * private to mm/ from 6.2 on; kmem_cache_size() (exported) returns the
 * object size on every supported version.
 */
static inline size_t ks_compat_cache_obj_size(struct kmem_cache *s)
{
	return kmem_cache_size(s);
}

#define KS_FN(f)	((unsigned long)&(f))

/*
 * Exported functions that allocate on behalf of their caller.  Memory they
 * return is charged to the first caller outside this list (attrib.c).  The
 * _noprof names are 6.10's memory allocation profiling renames.
 */
static inline const unsigned long *ks_compat_wrappers(unsigned int *n)
{
	static const unsigned long list[] = {
#if KS_KERNEL_AT_LEAST(6, 10)
		KS_FN(kmemdup_noprof), KS_FN(__kvmalloc_node_noprof),
		KS_FN(KS_COMPAT_KVREALLOC_FN), KS_FN(KS_COMPAT_KREALLOC_FN),
		KS_FN(get_free_pages_noprof), KS_FN(get_zeroed_page_noprof),
		KS_FN(alloc_pages_exact_noprof), KS_FN(vmalloc_noprof),
		KS_FN(vzalloc_noprof), KS_FN(vmalloc_node_noprof),
		KS_FN(vzalloc_node_noprof), KS_FN(__vmalloc_noprof),
		KS_FN(vmalloc_user_noprof), KS_FN(vmalloc_32_noprof),
#else
		KS_FN(kmemdup), KS_FN(kvmalloc_node), KS_FN(kvrealloc),
		KS_FN(krealloc), KS_FN(__get_free_pages), KS_FN(get_zeroed_page),
		KS_FN(alloc_pages_exact), KS_FN(vmalloc), KS_FN(vzalloc),
		KS_FN(vmalloc_node), KS_FN(vzalloc_node), KS_FN(__vmalloc),
		KS_FN(vmalloc_user), KS_FN(vmalloc_32), KS_FN(__alloc_percpu),
		KS_FN(__alloc_percpu_gfp),
#endif
		/* the same name on every supported version */
		KS_FN(devm_kmalloc), KS_FN(devm_kstrdup), KS_FN(devm_kmemdup),
		KS_FN(devm_kasprintf), KS_FN(devm_kvasprintf),
		KS_FN(devm_krealloc), KS_FN(kstrdup), KS_FN(kstrdup_const),
		KS_FN(kstrndup), KS_FN(kmemdup_nul), KS_FN(kasprintf),
		KS_FN(kvasprintf), KS_FN(memdup_user), KS_FN(vmemdup_user),
		KS_FN(strndup_user), KS_FN(devm_get_free_pages),
		KS_FN(__devm_alloc_percpu),
#if KS_COMPAT_BALLOON
		/* a balloon driver's movable pages are the driver's */
		KS_FN(balloon_page_alloc),
#endif
	};

	*n = ARRAY_SIZE(list);
	return list;
}

/* The page allocator's exported entry points: the tracepoint fires inside. */
static inline const unsigned long *ks_compat_page_core(unsigned int *n)
{
	static const unsigned long list[] = {
#if KS_KERNEL_AT_LEAST(6, 10)
		KS_FN(__alloc_pages_noprof), KS_FN(alloc_pages_noprof),
		KS_FN(__folio_alloc_noprof), KS_FN(folio_alloc_noprof),
		KS_FN(alloc_pages_bulk_noprof),
#else
		KS_FN(__alloc_pages), KS_FN(alloc_pages), KS_FN(__folio_alloc),
		KS_FN(folio_alloc), KS_FN(__alloc_pages_bulk),
#endif
	};

	*n = ARRAY_SIZE(list);
	return list;
}

/*
 * kmalloc entry points that report a large allocation (above
 * KMALLOC_MAX_CACHE_SIZE) twice.  On 6.12 __do_kmalloc_node(), inlined
 * into these, hands it to the exported __kmalloc_large_node_noprof(),
 * which fires the kmalloc tracepoint itself, with a call site inside the
 * entry point; then __do_kmalloc_node() fires it again with the real
 * caller.  The first report is not an allocation of its own: the kmalloc
 * probe skips it.  6.1 reports once.
 */
static inline const unsigned long *ks_compat_kmalloc_twice(unsigned int *n)
{
#if KS_KERNEL_AT_LEAST(6, 10)
	static const unsigned long list[] = {
		KS_FN(__kmalloc_noprof), KS_FN(__kmalloc_node_noprof),
		KS_FN(__kmalloc_node_track_caller_noprof),
	};

	*n = ARRAY_SIZE(list);
	return list;
#else
	*n = 0;
	return NULL;
#endif
}

/*
 * vfree() in interrupt context: 6.1 defers the unmapping to a work item
 * that calls __vunmap().  From 6.3 it calls vfree_atomic(), whose work
 * calls vfree() again for the same address (hooks.c).
 */
#define KS_COMPAT_VFREE_IRQ_COMES_BACK	KS_KERNEL_AT_LEAST(6, 3)

/*
 * in_interrupt() as the code a kprobe stopped in saw it.  x86 runs the
 * handler of a kprobe that is an int3 inside nmi_enter(), which adds
 * NMI_OFFSET + HARDIRQ_OFFSET to the preempt count (same in 6.1 and
 * 6.12); ftrace-based kprobes (x86) and arm64's BRK handler add nothing.
 */
static inline bool ks_compat_probed_in_interrupt(void)
{
	unsigned long pc = preempt_count();

	if (pc & NMI_MASK)
		pc -= NMI_OFFSET + HARDIRQ_OFFSET;
	return (pc & (NMI_MASK | HARDIRQ_MASK)) || softirq_count();
}

#if KS_KERNEL_AT_LEAST(6, 10)
#define KS_COMPAT_VMALLOC_SYMBOL	"__vmalloc_node_range_noprof"
#define KS_COMPAT_CACHE_BULK_SYMBOL	"kmem_cache_alloc_bulk_noprof"
#define KS_COMPAT_PAGES_BULK_SYMBOL	"alloc_pages_bulk_noprof"
#define KS_COMPAT_PAGES_EXACT_SYMBOL	"alloc_pages_exact_noprof"
#define KS_COMPAT_KREALLOC_SYMBOL	KS_COMPAT_KREALLOC_NAME
/* vfree_atomic() defers to vfree(), which is hooked. */
#define KS_COMPAT_HOOK_VFREE_ATOMIC	0
#else
#define KS_COMPAT_VMALLOC_SYMBOL	"__vmalloc_node_range"
#define KS_COMPAT_CACHE_BULK_SYMBOL	"kmem_cache_alloc_bulk"
#define KS_COMPAT_PAGES_BULK_SYMBOL	"__alloc_pages_bulk"
#define KS_COMPAT_PAGES_EXACT_SYMBOL	"alloc_pages_exact"
#define KS_COMPAT_KREALLOC_SYMBOL	"krealloc"
/* vfree_atomic() frees through __vunmap(), not vfree(): hook it too. */
#define KS_COMPAT_HOOK_VFREE_ATOMIC	1
#endif

/*
 * The 9th argument of __vmalloc_node_range(), its caller, read at the
 * function's entry (a kprobe): on the stack on both architectures.
 */
static inline unsigned long ks_compat_vmalloc_caller(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	return regs_get_kernel_argument(regs, 8);
#elif defined(CONFIG_ARM64)
	unsigned long v = 0;

	/* At entry, sp points at the first stacked argument. */
	if (copy_from_kernel_nofault(&v, (void *)regs->sp, sizeof(v)))
		return 0;
	return v;
#else
#error "kmemscope: add this architecture's stacked-argument access"
#endif
}

/* The return address of a function, read at its entry (a kprobe). */
static inline unsigned long ks_compat_entry_ret_addr(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	unsigned long v = 0;

	if (copy_from_kernel_nofault(&v, (void *)regs->sp, sizeof(v)))
		return 0;
	return v;
#elif defined(CONFIG_ARM64)
	return regs->regs[30];
#endif
}

#endif /* _KMEMSCOPE_COMPAT_H */
