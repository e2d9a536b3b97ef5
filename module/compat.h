/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference kmemscope depends on.
 *
 * Supported: 5.10, 6.1 to 6.12, and 7.2 (Debian unstable: the 6.13 to
 * 7.2 block below).  Code outside this file never tests
 * LINUX_VERSION_CODE; it calls the ks_compat_* wrappers below.  This is
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
#include <linux/ftrace.h>
#include <linux/preempt.h>
#include <linux/timer.h>
#include <linux/hrtimer.h>
#include <linux/fs.h>
#include <linux/mount.h>
#include <linux/vmstat.h>
#include <linux/kprobes.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>

/* True when the kernel is at least a.b (the only version test allowed). */
#define KS_KERNEL_AT_LEAST(a, b) \
	(KERNEL_VERSION(a, b, 0) <= LINUX_VERSION_CODE)

/*
 * A node counter with the per-CPU deltas not yet folded into it, as
 * zone_page_state_snapshot() reads a zone's (the kernel has no node
 * version).  global_node_page_state() leaves out up to the stat threshold
 * (at most 125) per CPU, a drift the account would show as unexplained.
 * Byte counters (NR_SLAB_*_B) are kept in pages, deltas too.  Context:
 * any; racy like the kernel's own snapshot.
 */
static inline long ks_node_page_state_snapshot(enum node_stat_item item)
{
	long x = global_node_page_state_pages(item);
	int nid, cpu;

	for_each_online_node(nid)
		for_each_online_cpu(cpu)
			x += per_cpu_ptr(NODE_DATA(nid)->per_cpu_nodestats,
					 cpu)->vm_node_stat_diff[item];
	return x;
}

#if !KS_KERNEL_AT_LEAST(5, 10)
#error "kmemscope needs Linux 5.10 or newer"
#endif

/*
 * How many orders a free block can have: MAX_ORDER of them up to 6.3,
 * MAX_ORDER + 1 from 6.4 (which made it inclusive), NR_PAGE_ORDERS from
 * 6.8 (which renamed it MAX_PAGE_ORDER).
 */
#if defined(NR_PAGE_ORDERS)
#define KS_COMPAT_BUDDY_ORDERS	NR_PAGE_ORDERS
#elif KS_KERNEL_AT_LEAST(6, 4)
#define KS_COMPAT_BUDDY_ORDERS	(MAX_ORDER + 1)
#else
#define KS_COMPAT_BUDDY_ORDERS	MAX_ORDER
#endif

/* ==== 5.10 (Debian 11) ================================================ */
/*
 * Everything below in this block is what 5.10 lacks or spells otherwise
 * than 6.1; each line names the kernel that changed it.
 */
#if !KS_KERNEL_AT_LEAST(6, 1)
#include <linux/platform_device.h>

/*
 * 5.10: kmem tracepoints carry no kmem_cache; kmalloc_node and
 * kmem_cache_alloc_node are separate events; 6.1 merged them and added
 * the cache argument.  kmem_cache_alloc's bytes_req is s->object_size,
 * what kmem_cache_size() gives on 6.1.
 */
#define KS_COMPAT_SLAB_TP_NODE_EVENTS	1
/*
 * 5.10: SLUB's kmem_cache_free() fires its event after the object is
 * back on the freelist, where an interrupt (or another CPU) may already
 * have taken it again: that allocation's record is then freed by the
 * late event (counted as a missed free; rare: 1 in 5 million in the
 * stress test).  A kprobe at its entry was tried instead: it misses far
 * more frees (an interrupt during another kprobe's handler).  6.1 fires
 * the event before the free.
 */
/* 5.10: percpu_alloc_percpu has no call_site, bytes_alloc, gfp; 5.19 added them. */
#define KS_COMPAT_PERCPU_TP_CALLER	0
/* 5.10: no alloc_pages_bulk at all; 5.13 added it. */
#define KS_COMPAT_HAS_PAGES_BULK	0
#define KS_K510_PAGES_BULK_SYMBOL	NULL
#define KS_K510_PAGES_BULK_FN		0UL
/*
 * 5.10: vmalloc()'s exported entry points have __vmalloc_node() and
 * __vmalloc_node_range() inlined in them (Debian's build): each is hooked
 * as well (gfp: their own, or argument gfp_arg; caller: argument
 * caller_arg, or their return address when -1).  6.1 calls
 * __vmalloc_node_range() out of line from all of them.
 */
struct ks_compat_vmalloc_entry {
	const char *symbol;
	int gfp_arg;		/* -1: the fixed gfp below */
	gfp_t gfp;
	int caller_arg;		/* -1: the entry's return address */
};

#if defined(CONFIG_64BIT) && defined(CONFIG_ZONE_DMA32)
#define KS_K510_GFP_VMALLOC32	(GFP_DMA32 | GFP_KERNEL)
#elif defined(CONFIG_64BIT) && defined(CONFIG_ZONE_DMA)
#define KS_K510_GFP_VMALLOC32	(GFP_DMA | GFP_KERNEL)
#else
#define KS_K510_GFP_VMALLOC32	GFP_KERNEL
#endif

static inline const struct ks_compat_vmalloc_entry *
ks_compat_vmalloc_entries(unsigned int *n)
{
	static const struct ks_compat_vmalloc_entry list[] = {
		{ "__vmalloc_node", 2, 0, 4 },
		{ "__vmalloc", 1, 0, -1 },
		{ "vmalloc", -1, GFP_KERNEL, -1 },
		{ "vzalloc", -1, GFP_KERNEL | __GFP_ZERO, -1 },
		{ "vmalloc_user", -1, GFP_KERNEL | __GFP_ZERO, -1 },
		{ "vmalloc_node", -1, GFP_KERNEL, -1 },
		{ "vzalloc_node", -1, GFP_KERNEL | __GFP_ZERO, -1 },
		{ "vmalloc_32", -1, KS_K510_GFP_VMALLOC32, -1 },
		{ "vmalloc_32_user", -1, KS_K510_GFP_VMALLOC32 | __GFP_ZERO, -1 },
	};

	*n = ARRAY_SIZE(list);
	return list;
}

#define KS_COMPAT_NR_VMALLOC_ENTRIES	9
/*
 * 5.10: the unwinder stops at the kretprobe trampoline (6.1's puts the
 * real return address back), so a krealloc() kretprobe would hide the
 * caller of the kmalloc it makes.  krealloc() keeps the object when
 * __ksize(p) holds the new size (5.10's __do_krealloc()): a kprobe at
 * its entry decides so, without a kretprobe.
 */
#define KS_COMPAT_KREALLOC_KPROBE	1

static inline bool ks_compat_krealloc_in_place(const void *p, size_t size)
{
	return __ksize(p) >= size;
}

/*
 * 5.10: the unwinder also stops at the trampoline of the kretprobe on
 * alloc_pages_exact(): its entry handler keeps the caller (hooks.c).
 */
#define KS_COMPAT_UNWIND_STOPS_AT_KRETPROBE	1

/* 5.10: ri->rp; 5.11 added get_kretprobe(). */
#define ks_compat_get_kretprobe(ri)	((ri)->rp)

/* 5.10: no krealloc_array(); 5.11 added it. */
static inline void *ks_compat_krealloc_array(void *p, size_t n, size_t size,
					     gfp_t gfp)
{
	size_t bytes;

	if (unlikely(check_mul_overflow(n, size, &bytes)))
		return NULL;
	return krealloc(p, bytes, gfp);
}

/* 5.10: in_hardirq() is in_irq(); 5.11 added the new name. */
#define ks_compat_in_hardirq()	in_irq()

/* 5.10: no alloc_pages_bulk_array(); 5.13 added the bulk allocator. */
static inline unsigned long ks_compat_alloc_pages_bulk(gfp_t gfp,
						       unsigned long n,
						       struct page **pages)
{
	return 0;
}

/* 5.10: a zone's per-CPU lists are zone->pageset->pcp; 5.14 split them out. */
static inline int ks_compat_zone_pcp_count(struct zone *zone, int cpu)
{
	return READ_ONCE(per_cpu_ptr(zone->pageset, cpu)->pcp.count);
}

/* 5.10: zones count no CMA pages (-1: n/a); 5.12 added zone->cma_pages. */
static inline long ks_compat_zone_cma_pages(struct zone *zone)
{
	return -1;
}

/*
 * 5.10: NR_PAGETABLE is a zone stat (5.11 made it a node stat); no
 * NR_SECONDARY_PAGETABLE (6.0 added it).
 */
static inline long ks_compat_pagetable_pages(void)
{
	long n = 0;
	int nid, z;

	for_each_online_node(nid)
		for (z = 0; z < MAX_NR_ZONES; z++)
			n += zone_page_state_snapshot(&NODE_DATA(nid)->node_zones[z],
						      NR_PAGETABLE);
	return n;
}

#define KS_COMPAT_PAGETABLE_SOURCE	"NR_PAGETABLE"
/* 5.10: no NR_SWAPCACHE; 5.12 added it: /proc/meminfo SwapCached instead. */
#define KS_COMPAT_HAS_NR_SWAPCACHE	0

/* 5.10: no file_open_root_mnt(); 5.15 added it. */
static inline struct file *ks_compat_file_open_root_mnt(struct vfsmount *mnt,
							const char *name,
							int flags, umode_t mode)
{
	return file_open_root(mnt->mnt_root, mnt, name, flags, mode);
}

/* 5.10: no kmalloc_size_roundup(); 6.1 added it.  SLUB's classes. */
static inline size_t ks_compat_kmalloc_size_roundup(size_t size)
{
	unsigned int i;

	if (size > KMALLOC_MAX_CACHE_SIZE)
		return PAGE_SIZE << get_order(size);
	i = kmalloc_index(size);
	return i == 1 ? 96 : i == 2 ? 192 : 1UL << i;
}

/*
 * 5.10: vmalloc_to_page() does not follow a block mapping, and warns on
 * one (5.13 taught it them): arm64 maps the vmemmap with PMD blocks.  A
 * walk of the kernel's page tables that follows PMD blocks instead; an
 * early section's struct pages are never unmapped (physmem.c).  init_mm
 * is not exported: the kernel's tables are where TTBR1_EL1 points
 * (swapper_pg_dir; 48-bit physical addresses).  Only arm64 locates the
 * struct page array on 5.10 (physmem.c's KS_MEMMAP_LOCATED).
 */
#if defined(CONFIG_ARM64) && CONFIG_ARM64_PA_BITS == 48
static inline struct page *ks_compat_vmemmap_to_page(const void *addr)
{
	unsigned long a = (unsigned long)addr;
	phys_addr_t top = read_sysreg(ttbr1_el1) &
			  ~(TTBR_ASID_MASK | TTBR_CNP_BIT);
	pgd_t *pgd = (pgd_t *)__va(top) + pgd_index(a);
	p4d_t *p4d;
	pud_t *pud;
	pmd_t *pmd;
	pte_t *pte;

	if (pgd_none(*pgd) || pgd_bad(*pgd))
		return NULL;
	p4d = p4d_offset(pgd, a);
	if (p4d_none(*p4d) || p4d_bad(*p4d))
		return NULL;
	pud = pud_offset(p4d, a);
	if (pud_none(*pud) || pud_leaf(*pud) || pud_bad(*pud))
		return NULL;
	pmd = pmd_offset(pud, a);
	if (pmd_none(*pmd))
		return NULL;
	if (pmd_leaf(*pmd))
		return pmd_page(*pmd) + ((a & ~PMD_MASK) >> PAGE_SHIFT);
	if (pmd_bad(*pmd))
		return NULL;
	pte = pte_offset_kernel(pmd, a);
	return pte_present(*pte) ? pte_page(*pte) : NULL;
}
#else
static inline struct page *ks_compat_vmemmap_to_page(const void *addr)
{
	return NULL;
}
#endif

/* 5.10: platform_driver.remove returns int; 6.3 (and Debian's 6.1) added .remove_new. */
#define KS_COMPAT_PLATFORM_VOID_REMOVE	0
#endif /* !6.1 */
/* ==== end of 5.10 ===================================================== */

/* ---- the same on 6.1 and later (5.10's are in the block above) -------- */
#if KS_KERNEL_AT_LEAST(6, 1)
#define KS_COMPAT_SLAB_TP_NODE_EVENTS	0
#define KS_COMPAT_PERCPU_TP_CALLER	1
struct ks_compat_vmalloc_entry {
	const char *symbol;
	int gfp_arg;
	gfp_t gfp;
	int caller_arg;
};

static inline const struct ks_compat_vmalloc_entry *
ks_compat_vmalloc_entries(unsigned int *n)
{
	*n = 0;
	return NULL;
}

#define KS_COMPAT_NR_VMALLOC_ENTRIES	0
#define KS_COMPAT_KREALLOC_KPROBE	0
#define KS_COMPAT_UNWIND_STOPS_AT_KRETPROBE	0

static inline bool ks_compat_krealloc_in_place(const void *p, size_t size)
{
	return false;
}

#define ks_compat_get_kretprobe		get_kretprobe
#define KS_COMPAT_HAS_PAGES_BULK	1
#define KS_K510_PAGES_BULK_SYMBOL	"__alloc_pages_bulk"
#define KS_K510_PAGES_BULK_FN		KS_FN(__alloc_pages_bulk)
#define ks_compat_krealloc_array	krealloc_array
#define ks_compat_in_hardirq		in_hardirq

static inline int ks_compat_zone_pcp_count(struct zone *zone, int cpu)
{
	return READ_ONCE(per_cpu_ptr(zone->per_cpu_pageset, cpu)->count);
}

static inline long ks_compat_zone_cma_pages(struct zone *zone)
{
	return zone_cma_pages(zone);
}

static inline long ks_compat_pagetable_pages(void)
{
	return ks_node_page_state_snapshot(NR_PAGETABLE) +
	       ks_node_page_state_snapshot(NR_SECONDARY_PAGETABLE);
}

#define KS_COMPAT_PAGETABLE_SOURCE	"NR_PAGETABLE + NR_SECONDARY_PAGETABLE"
#define KS_COMPAT_HAS_NR_SWAPCACHE	1
#define ks_compat_file_open_root_mnt	file_open_root_mnt
#define ks_compat_vmemmap_to_page	vmalloc_to_page
#define ks_compat_kmalloc_size_roundup	kmalloc_size_roundup
#define KS_COMPAT_PLATFORM_VOID_REMOVE	1
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

/*
 * 6.14 dropped alloc_pages_bulk_array(): alloc_pages_bulk() takes the
 * array.  (5.10 has neither: its ks_compat_alloc_pages_bulk() is above.)
 */
#if KS_KERNEL_AT_LEAST(6, 14)
#define ks_compat_alloc_pages_bulk(gfp, nr, array) \
	alloc_pages_bulk(gfp, nr, array)
#elif KS_KERNEL_AT_LEAST(6, 1)
#define ks_compat_alloc_pages_bulk(gfp, nr, array) \
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

/* dma_alloc_noncontiguous(), dma_free_noncontiguous(): 5.12 on. */
#define KS_COMPAT_HAS_DMA_NONCONTIG	KS_KERNEL_AT_LEAST(5, 12)

/*
 * dma_pool_create() became an inline over dma_pool_create_node() (7.2 has
 * it, 6.12 not; 7.0 assumed here: before, the pool's struct is charged to
 * the kernel where the node function exists).
 */
#if KS_KERNEL_AT_LEAST(7, 0)
#define KS_COMPAT_DMA_POOL_CREATE_FN	dma_pool_create_node
#else
#define KS_COMPAT_DMA_POOL_CREATE_FN	dma_pool_create
#endif

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
		KS_FN(kmemdup), KS_FN(kvmalloc_node),
#if KS_KERNEL_AT_LEAST(6, 1)
		KS_FN(kvrealloc),	/* 5.10: none; 5.15 added it */
#else
		/*
		 * 5.10: __kmalloc() and __kmalloc_track_caller() hand a large
		 * size to kmalloc_large(), whose event names a site inside
		 * them (6.1 names their caller): walk past them.
		 */
		KS_FN(__kmalloc), KS_FN(__kmalloc_track_caller),
#endif
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
		/*
		 * the DMA API's: a managed buffer and its devres entry, a
		 * dma_pool and the chunks its blocks come from
		 */
		KS_FN(dmam_alloc_attrs), KS_FN(KS_COMPAT_DMA_POOL_CREATE_FN),
		KS_FN(dmam_pool_create), KS_FN(dma_pool_alloc),
#if !KS_KERNEL_AT_LEAST(5, 11)
		/* 5.10: a function over dma_alloc_pages(); 5.11: inline */
		KS_FN(dma_alloc_noncoherent),
#endif
#if KS_COMPAT_HAS_DMA_NONCONTIG
		/* its sg_table (the buffer is recorded by its own hook) */
		KS_FN(dma_alloc_noncontiguous),
#endif
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
#elif KS_KERNEL_AT_LEAST(6, 1)
		KS_FN(__alloc_pages), KS_FN(alloc_pages), KS_FN(__folio_alloc),
		KS_FN(folio_alloc),
#else
		/*
		 * 5.10: __alloc_pages_nodemask() and, with NUMA,
		 * alloc_pages_current(); 5.13 renamed the first __alloc_pages(),
		 * 5.16 added folio_alloc().
		 */
		KS_FN(__alloc_pages_nodemask),
#ifdef CONFIG_NUMA
		KS_FN(alloc_pages_current),
#endif
#endif
	};

	*n = ARRAY_SIZE(list);
	return list;
}

/*
 * A page allocation's caller from ftrace entry callbacks (pagecaller.c):
 * x86_64 from 6.1, where ftrace_caller stores the traced function's entry
 * stack pointer in ftrace_regs (DYNAMIC_FTRACE_WITH_ARGS; 6.12 names the
 * accessor) and ftrace_free_filter() is exported (5.10: not).  The
 * callback calls nothing it hooks: no FTRACE_OPS_FL_RECURSION wrapper.
 */
#if defined(CONFIG_X86_64) && defined(CONFIG_DYNAMIC_FTRACE_WITH_ARGS) && \
	KS_KERNEL_AT_LEAST(6, 1)
#define KS_COMPAT_PAGE_FTRACE	1
#define KS_COMPAT_FTRACE_FLAGS	0
static __always_inline unsigned long
ks_compat_fregs_sp(struct ftrace_regs *fregs)
{
#ifdef ftrace_regs_get_stack_pointer
	return ftrace_regs_get_stack_pointer(fregs);
#else
	return fregs->regs.sp;
#endif
}

/* Where the traced function returns to, from an ftrace entry callback. */
#ifdef ftrace_regs_set_instruction_pointer
#define ks_compat_fregs_set_ip(fregs, ip)	\
	ftrace_regs_set_instruction_pointer(fregs, ip)
#else
#define ks_compat_fregs_set_ip(fregs, ip)	\
	ftrace_instruction_pointer_set(fregs, ip)
#endif

/* A traced function's argument @n, in an ftrace entry callback. */
static __always_inline unsigned long
ks_compat_fregs_arg(struct ftrace_regs *fregs, unsigned int n)
{
#ifdef ftrace_regs_get_argument
	return ftrace_regs_get_argument(fregs, n);
#else
	return regs_get_kernel_argument(&fregs->regs, n);
#endif
}

/*
 * The exported page entry points whose caller a page is charged to, hooked
 * by an ftrace entry callback (pagecaller.c): the chain that starts at one
 * ends in the function that fires mm_page_alloc, which is one of these
 * up to 6.14 (then skipped) and __alloc_frozen_pages_noprof() from 6.15,
 * called by __alloc_pages_noprof(), which alloc_pages_node() (inline)
 * calls.  Not alloc_pages_exact(): its kretprobe (hooks.c) replaces the
 * return address the callback would check, so its pages keep their
 * backtrace.  Not the bulk allocator either, whose one-page fallback
 * calls the core: its kretprobe (hooks.c) shares the function, and ftrace
 * then calls both through its list (make bench, when it was a kprobe:
 * vmalloc-16k +3,634 -> +4,156 instructions with it).
 */
static inline const unsigned long *ks_compat_page_outer(unsigned int *n)
{
	static const unsigned long list[] = {
#if KS_KERNEL_AT_LEAST(6, 10)
		KS_FN(alloc_pages_noprof), KS_FN(__alloc_pages_noprof),
		KS_FN(__folio_alloc_noprof), KS_FN(folio_alloc_noprof),
		KS_FN(get_free_pages_noprof), KS_FN(get_zeroed_page_noprof),
#else
		KS_FN(alloc_pages), KS_FN(__alloc_pages), KS_FN(__folio_alloc),
		KS_FN(folio_alloc), KS_FN(__get_free_pages),
		KS_FN(get_zeroed_page),
#endif
	};

	*n = ARRAY_SIZE(list);
	return list;
}
#else
#define KS_COMPAT_PAGE_FTRACE	0
#endif

/*
 * vmalloc hooked by an ftrace entry callback and alloc_vmap_area's event
 * (hooks.c) where both exist: the event came with 6.2 (found by name at
 * load: where it is missing, the kretprobe is used).  Not with
 * CONFIG_KASAN_VMALLOC, whose shadow population fails after the event and
 * frees the area by a path no hook sees; there, and elsewhere, the
 * kretprobe.  The range function's 7th to 9th arguments lie above the
 * return address at the entry stack pointer (x86_64's calling convention).
 */
#if KS_COMPAT_PAGE_FTRACE && KS_KERNEL_AT_LEAST(6, 2) && \
	!defined(CONFIG_KASAN_VMALLOC)
#define KS_COMPAT_VMALLOC_FTRACE	1
#else
#define KS_COMPAT_VMALLOC_FTRACE	0
#endif

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
#define KS_COMPAT_PAGES_BULK_FN		KS_FN(alloc_pages_bulk_noprof)
#define KS_COMPAT_PAGES_EXACT_SYMBOL	"alloc_pages_exact_noprof"
#define KS_COMPAT_KREALLOC_SYMBOL	KS_COMPAT_KREALLOC_NAME
/* vfree_atomic() defers to vfree(), which is hooked. */
#define KS_COMPAT_HOOK_VFREE_ATOMIC	0
#else
#define KS_COMPAT_VMALLOC_SYMBOL	"__vmalloc_node_range"
#define KS_COMPAT_CACHE_BULK_SYMBOL	"kmem_cache_alloc_bulk"
#define KS_COMPAT_PAGES_BULK_SYMBOL	KS_K510_PAGES_BULK_SYMBOL
#define KS_COMPAT_PAGES_BULK_FN		KS_K510_PAGES_BULK_FN
#define KS_COMPAT_PAGES_EXACT_SYMBOL	"alloc_pages_exact"
#define KS_COMPAT_KREALLOC_SYMBOL	"krealloc"
/* vfree_atomic() frees through __vunmap(), not vfree(): hook it too. */
#define KS_COMPAT_HOOK_VFREE_ATOMIC	1
#endif

/*
 * page_pool (CONFIG_PAGE_POOL), whose order-0 pages come from the bulk
 * allocator (5.10's take them one by one: not followed there).  6.6 moved
 * its API from <net/page_pool.h> to <net/page_pool/helpers.h>.
 */
#if IS_ENABLED(CONFIG_PAGE_POOL) && KS_COMPAT_HAS_PAGES_BULK
#define KS_COMPAT_PAGE_POOL		1
#if KS_KERNEL_AT_LEAST(6, 6)
#include <net/page_pool/helpers.h>
#else
#include <net/page_pool.h>
#endif
#else
#define KS_COMPAT_PAGE_POOL		0
#endif

/*
 * The bulk page allocator's arguments: (gfp, nid, nodemask, nr_pages,
 * page_list, page_array) from 5.13 (none on 5.10); 6.14 dropped
 * page_list.  A slot of page_array is filled only if it was NULL.
 */
#if KS_KERNEL_AT_LEAST(6, 14)
#define KS_COMPAT_PAGES_BULK_LIST_ARG	-1
#define KS_COMPAT_PAGES_BULK_ARRAY_ARG	4
#else
#define KS_COMPAT_PAGES_BULK_LIST_ARG	4
#define KS_COMPAT_PAGES_BULK_ARRAY_ARG	5
#endif

/*
 * The same as C parameters, and a call of the allocator with them (hooks.c:
 * ks_bulk_redirect(), x86_64 from 6.1).
 */
#if KS_KERNEL_AT_LEAST(6, 14)
#define KS_COMPAT_PAGES_BULK_PARAMS	gfp_t gfp, int nid, nodemask_t *nodemask, \
					int nr, struct page **array
#define KS_COMPAT_PAGES_BULK_LIST	NULL
#define KS_COMPAT_PAGES_BULK_CALL	\
	alloc_pages_bulk_noprof(gfp, nid, nodemask, nr, array)
#else
#define KS_COMPAT_PAGES_BULK_PARAMS	gfp_t gfp, int nid, nodemask_t *nodemask, \
					int nr, struct list_head *list, \
					struct page **array
#define KS_COMPAT_PAGES_BULK_LIST	list
#if KS_KERNEL_AT_LEAST(6, 10)
#define KS_COMPAT_PAGES_BULK_CALL	\
	alloc_pages_bulk_noprof(gfp, nid, nodemask, nr, list, array)
#else
#define KS_COMPAT_PAGES_BULK_CALL	\
	__alloc_pages_bulk(gfp, nid, nodemask, nr, list, array)
#endif
#endif

#if defined(CONFIG_X86_64)
/*
 * Word @n of the stack at a probed function's entry (0: its return
 * address; 1 on: its stacked arguments): read as the unwinder reads the
 * stack, when it lies in the THREAD_SIZE block of regs->sp (the stack
 * the function runs on, which is mapped); else, at a block's edge, with
 * copy_from_kernel_nofault().  regs_get_kernel_argument() always takes
 * the latter: a call of about 110 instructions a read (make bench).
 */
static inline unsigned long ks_compat_entry_stack(struct pt_regs *regs,
						  unsigned int n)
{
	unsigned long *addr = (unsigned long *)regs->sp + n, v = 0;

	if (regs_within_kernel_stack(regs, (unsigned long)addr))
		return READ_ONCE_NOCHECK(*addr);
	if (copy_from_kernel_nofault(&v, addr, sizeof(v)))
		return 0;
	return v;
}
#endif

/*
 * The 9th argument of __vmalloc_node_range(), its caller, read at the
 * function's entry (a kprobe): on the stack on both architectures.
 */
/*
 * __vmalloc_node_range()'s 7th argument, vm_flags, at its entry, and the
 * flag that lets it map the area with huge blocks (5.13 on).
 */
#ifdef VM_ALLOW_HUGE_VMAP
#define KS_COMPAT_VM_HUGE	VM_ALLOW_HUGE_VMAP
#else
#define KS_COMPAT_VM_HUGE	0UL
#endif
/* The smallest area vmalloc may map with blocks larger than a page. */
#ifdef arch_vmap_pte_supported_shift
#define KS_COMPAT_VM_HUGE_MIN	(2 * PAGE_SIZE)
#else
#define KS_COMPAT_VM_HUGE_MIN	PMD_SIZE
#endif
static inline unsigned long ks_compat_vmalloc_flags(struct pt_regs *regs)
{
	if (!KS_COMPAT_VM_HUGE)
		return 0;
#if defined(CONFIG_X86_64)
	/* Six in registers, then the 7th above the return address. */
	return ks_compat_entry_stack(regs, 1);
#else
	return regs_get_kernel_argument(regs, 6);
#endif
}

static inline unsigned long ks_compat_vmalloc_caller(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	/* Six in registers, then the 7th to 9th above the return address. */
	return ks_compat_entry_stack(regs, 3);
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

/*
 * CMA's event for pages it handed out: 5.10's cma_alloc (no area name,
 * count an unsigned int); 5.15 on, cma_alloc_finish (6.12 adds an error
 * number after the arguments the probe takes).  Both fire for failures
 * too, with no page.
 */
#if KS_KERNEL_AT_LEAST(5, 13)
#define KS_COMPAT_CMA_TP	"cma_alloc_finish"
#define KS_COMPAT_CMA_TP_NAMED	1
#else
#define KS_COMPAT_CMA_TP	"cma_alloc"
#define KS_COMPAT_CMA_TP_NAMED	0
#endif
/*
 * cma_alloc_finish's errorno argument: 6.12 has it, 6.1 has not.  The
 * release that added it is not pinned here (6.7 assumed): between them
 * the probe's prototype may differ in that last argument, which only a
 * CFI-checked indirect call would notice.
 */
#define KS_COMPAT_CMA_TP_ERRORNO	KS_KERNEL_AT_LEAST(6, 7)

/* The return address of a function, read at its entry (a kprobe). */
static inline unsigned long ks_compat_entry_ret_addr(struct pt_regs *regs)
{
#if defined(CONFIG_X86_64)
	return ks_compat_entry_stack(regs, 0);
#elif defined(CONFIG_ARM64)
	return regs->regs[30];
#endif
}

#endif /* _KMEMSCOPE_COMPAT_H */
