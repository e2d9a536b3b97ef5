// SPDX-License-Identifier: GPL-2.0
/*
 * attrib.c - attribution: which call site, and so which module, an
 * allocation belongs to.
 *
 * A call site is the return address of the call into the allocator.  When
 * that address is inside an allocator wrapper (kvmalloc_node, kmemdup,
 * __get_free_pages, ... see KS_COMPAT_WRAPPERS in compat.h), the site is
 * the first return address on the stack outside the wrappers: a driver's
 * kvmalloc() is charged to the driver, not to mm/util.c.  Wrappers that
 * already pass their caller on (devm_kmalloc, kstrdup, krealloc and most
 * others use kmalloc_track_caller) cost nothing extra.  The page allocator
 * tracepoint has no call site at all: its caller is the first frame above
 * the page allocator's entry points and the wrappers.
 *
 * The module is the one whose code holds the site; it is named when the
 * views are read (sprint_symbol), so modules loaded before kmemscope are
 * attributed like the others.
 *
 * Pages are also classified once per site by the name of the function
 * that asked for them (ks_attrib_page_class()): pages that back slab,
 * vmalloc or percpu, page tables, kernel stacks and user pages are not
 * recorded as objects, so each byte is counted once.
 *
 * Notes on locking
 * ----------------
 * The range set is built at load before any hook is attached; calibration
 * (ks_attrib_learn_page_path()) publishes a second, larger set once with
 * rcu_assign_pointer(); probes read it with rcu_dereference_sched() (they
 * run with preemption off).  The module filter and the module whose sites
 * get backtraces ("stacks on module=NAME") are strings swapped under
 * ks_filter_lock (a raw spinlock: classification runs in probes), copied
 * out before use.  ks_attrib_classify() uses a per-CPU buffer: it runs
 * with interrupts off (in a probe, or under local_irq_save()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bitmap.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "attrib.h"
#include "compat.h"
#include "store.h"
#include "owner.h"

#define KS_MAX_RANGES	64

struct ks_text_range_set {
	unsigned int n;
	unsigned long lo, hi;		/* all ranges lie in [lo, hi) */
	struct ks_text_range r[KS_MAX_RANGES];
};

/*
 * Four sets: the first, and one for each calibration (pages; percpu
 * where its event has no call site; page_pool's way to the bulk page
 * allocator).  Each is published once (RCU), at load, and none is reused
 * while loaded.
 */
static struct ks_text_range_set ks_sets[4];
static unsigned int ks_sets_used;
static struct ks_text_range_set __rcu *ks_ranges;
/* Spans every range of every set published (only ever widened). */
struct ks_attrib_span ks_attrib_span = { .lo = ULONG_MAX, .hi = 0 };

/* A granule of the map: 256 bytes of text. */
#define KS_ATTRIB_GRANULE_SHIFT	8
/* Granules the map holds: 32 MB of text from its base. */
#define KS_ATTRIB_MAP_BITS	BIT(17)

/*
 * The granules from ks_attrib_map_base that some range of a set published
 * touches: only ever set while loaded.  Inside the span (core kernel text,
 * where most of a board's call sites are), a clear bit, not the ranges'
 * search, says an address is outside every range.  The base is the first
 * set's lowest granule; an address outside the map's window is searched.
 */
static unsigned long ks_attrib_map_base;
static DECLARE_BITMAP(ks_attrib_map, KS_ATTRIB_MAP_BITS);

/*
 * Set the map's bits of the granules range @r touches, those inside the
 * map's window (from its base: an address below it is searched).
 */
static void ks_attrib_map_range(const struct ks_text_range *r)
{
	unsigned long base = ks_attrib_map_base, first, last;

	if (r->end <= base)
		return;
	first = (max(r->start, base) - base) >> KS_ATTRIB_GRANULE_SHIFT;
	last = (r->end - 1 - base) >> KS_ATTRIB_GRANULE_SHIFT;
	if (first >= KS_ATTRIB_MAP_BITS)
		return;
	last = min_t(unsigned long, last, KS_ATTRIB_MAP_BITS - 1);
	bitmap_set(ks_attrib_map, first, last - first + 1);
}

/*
 * Publish @set: its granules in the map, then the span, so that an
 * address the set holds is never outside the span once the set can be
 * found.  The map's base is the first set's lowest granule.
 * Context: process, at load.
 */
static void ks_ranges_publish(struct ks_text_range_set *set)
{
	unsigned int i;

	if (set->n) {
		if (!ks_attrib_map_base)
			WRITE_ONCE(ks_attrib_map_base,
				   round_down(set->lo,
					      1UL << KS_ATTRIB_GRANULE_SHIFT));
		for (i = 0; i < set->n; i++)
			ks_attrib_map_range(&set->r[i]);
		/* The map before the span that sends readers to it. */
		smp_wmb();
		WRITE_ONCE(ks_attrib_span.lo, min(ks_attrib_span.lo, set->lo));
		WRITE_ONCE(ks_attrib_span.hi, max(ks_attrib_span.hi, set->hi));
	}
	/* A release: the span's stores come first. */
	rcu_assign_pointer(ks_ranges, set);
}

/* Frames from the page probe to a direct caller of alloc_pages(); 0: unknown. */
unsigned int ks_page_walk;
/* The function that fires mm_page_alloc (its start); 0: unknown. */
unsigned long ks_page_core_fn;

static DEFINE_RAW_SPINLOCK(ks_filter_lock);
static char ks_filter[MODULE_NAME_LEN];		/* "" when off */
static bool ks_filter_core_out;		/* set, and not "kernel" */
static char ks_stacks_mod[MODULE_NAME_LEN];	/* "" when off */

static DEFINE_PER_CPU(char [KSYM_SYMBOL_LEN], ks_symbuf);

/*
 * Allocating functions, by the name of the function that called the page
 * allocator, whose pages another figure already counts.
 */
static const struct {
	const char *name;
	u8 class;
} ks_page_classes[] = {
	/* slab caches and large kmallocs (meminfo: Slab) */
	{ "allocate_slab", KS_CLASS_SLAB },
	{ "new_slab", KS_CLASS_SLAB },
	{ "___slab_alloc", KS_CLASS_SLAB },
	{ "__slab_alloc", KS_CLASS_SLAB },
	{ "alloc_slab_page", KS_CLASS_SLAB },
	{ "kmalloc_large", KS_CLASS_SLAB },
	{ "kmalloc_large_node", KS_CLASS_SLAB },
	{ "__kmalloc_large_node", KS_CLASS_SLAB },
	{ "kmalloc_order", KS_CLASS_SLAB },
	{ "kmalloc_order_trace", KS_CLASS_SLAB },
	{ "___kmalloc_large_node", KS_CLASS_SLAB },
	{ "__kmalloc_large_node_noprof", KS_CLASS_SLAB },
	{ "kmalloc_large_noprof", KS_CLASS_SLAB },
	{ "kmalloc_large_node_noprof", KS_CLASS_SLAB },
	/* vmalloc areas and kernel stacks (meminfo: VmallocUsed) */
	{ "__vmalloc_area_node", KS_CLASS_VMALLOC },
	{ "vm_area_alloc_pages", KS_CLASS_VMALLOC },
	{ "__vmalloc_node_range", KS_CLASS_VMALLOC },
	{ "__vmalloc_node_range_noprof", KS_CLASS_VMALLOC },
	/*
	 * The bulk allocator's callers for vmalloc (6.1, 6.12; the exported
	 * entry is KS_RANGE_PAGE_BULK, hooks.c records its pages).
	 */
	{ "alloc_pages_bulk_array_mempolicy", KS_CLASS_VMALLOC },
	{ "alloc_pages_bulk_array_mempolicy_noprof", KS_CLASS_VMALLOC },
	{ "alloc_pages_bulk_mempolicy_noprof", KS_CLASS_VMALLOC },
	/* percpu chunks (meminfo: Percpu) */
	{ "pcpu_alloc_pages", KS_CLASS_PERCPU },
	{ "pcpu_populate_chunk", KS_CLASS_PERCPU },
	{ "pcpu_create_chunk", KS_CLASS_PERCPU },
	{ "pcpu_alloc_chunk", KS_CLASS_PERCPU },
	/* page tables (meminfo: PageTables, SecPageTables) */
	{ "__pte_alloc_one", KS_CLASS_PAGETABLE },
	{ "pte_alloc_one", KS_CLASS_PAGETABLE },
	{ "__pte_alloc_one_kernel", KS_CLASS_PAGETABLE },
	{ "pte_alloc_one_kernel", KS_CLASS_PAGETABLE },
	{ "__pte_alloc", KS_CLASS_PAGETABLE },
	{ "__pte_alloc_kernel", KS_CLASS_PAGETABLE },
	{ "__pmd_alloc", KS_CLASS_PAGETABLE },
	{ "__pud_alloc", KS_CLASS_PAGETABLE },
	{ "__p4d_alloc", KS_CLASS_PAGETABLE },
	{ "pmd_alloc_one", KS_CLASS_PAGETABLE },
	{ "pud_alloc_one", KS_CLASS_PAGETABLE },
	{ "pgd_alloc", KS_CLASS_PAGETABLE },
	{ "_pgd_alloc", KS_CLASS_PAGETABLE },
	{ "pagetable_alloc", KS_CLASS_PAGETABLE },
	{ "pagetable_alloc_noprof", KS_CLASS_PAGETABLE },
	{ "__pgd_pgtable_alloc", KS_CLASS_PAGETABLE },
	{ "pgd_pgtable_alloc", KS_CLASS_PAGETABLE },
	/*
	 * Where pte_alloc_one() is inline (asm-generic's, arm64), its
	 * callers call the page allocator themselves: a fault's page table
	 * taken ahead (vmf->prealloc_pte), a huge page's deposited one.
	 * 30 sleeping processes put 60 page tables on __do_fault (arm64
	 * 5.10 to 7.2).  Without NUMA do_huge_pmd_anonymous_page() also
	 * takes the huge page itself (folio_alloc() inline): a movable page,
	 * which ks_attrib_classify() takes for a user page.
	 */
	{ "__do_fault", KS_CLASS_PAGETABLE },
	{ "do_fault_around", KS_CLASS_PAGETABLE },
	{ "__do_huge_pmd_anonymous_page", KS_CLASS_PAGETABLE },
	{ "do_huge_pmd_anonymous_page", KS_CLASS_PAGETABLE },
	{ "copy_huge_pmd", KS_CLASS_PAGETABLE },
	/*
	 * Kernel stacks, where they are not vmapped (CONFIG_VMAP_STACK off:
	 * KASAN without KASAN_VMALLOC) and so come from the page allocator
	 * (meminfo: KernelStack), inlined as far as copy_process(): 30
	 * processes put 240 pages on copy_process (the debug kernel: x86_64
	 * 6.1, KASAN).
	 */
	{ "alloc_thread_stack_node", KS_CLASS_STACK },
	{ "dup_task_struct", KS_CLASS_STACK },
	{ "copy_process", KS_CLASS_STACK },
	/*
	 * DMA API buffers the page allocator serves (hooks.c records the
	 * buffer, charged to the driver): dma-direct, the IOMMU's, and the
	 * generic dma_alloc_pages() path
	 */
	{ "__dma_direct_alloc_pages", KS_CLASS_DMA },
	{ "dma_direct_alloc", KS_CLASS_DMA },
	{ "dma_direct_alloc_pages", KS_CLASS_DMA },
	{ "__iommu_dma_alloc_pages", KS_CLASS_DMA },
	{ "__iommu_dma_alloc_noncontiguous", KS_CLASS_DMA },
	{ "iommu_dma_alloc", KS_CLASS_DMA },
	{ "iommu_dma_alloc_pages", KS_CLASS_DMA },
	{ "dma_common_alloc_pages", KS_CLASS_DMA },
	/* user, file cache and shmem pages (meminfo: AnonPages, Cached) */
	{ "vma_alloc_folio", KS_CLASS_USER },
	{ "vma_alloc_folio_noprof", KS_CLASS_USER },
	{ "alloc_pages_vma", KS_CLASS_USER },
	{ "filemap_alloc_folio", KS_CLASS_USER },
	{ "filemap_alloc_folio_noprof", KS_CLASS_USER },
	{ "__filemap_get_folio", KS_CLASS_USER },
	{ "page_cache_ra_unbounded", KS_CLASS_USER },
	{ "page_cache_ra_order", KS_CLASS_USER },
	{ "do_anonymous_page", KS_CLASS_USER },
	{ "alloc_anon_folio", KS_CLASS_USER },
	{ "shmem_alloc_folio", KS_CLASS_USER },
	{ "shmem_alloc_and_add_folio", KS_CLASS_USER },
	{ "shmem_alloc_and_acct_folio", KS_CLASS_USER },
	{ "__read_swap_cache_async", KS_CLASS_USER },
	{ "wp_page_copy", KS_CLASS_USER },
	{ "do_cow_fault", KS_CLASS_USER },
	/*
	 * Movable pages the kernel's core takes for memory above: migration
	 * and compaction targets, THP collapse, hugetlb (meminfo: Hugetlb).
	 * Core-kernel callers of movable pages not listed are taken as these
	 * too (ks_attrib_classify()).
	 */
	{ "alloc_migration_target", KS_CLASS_USER },
	{ "compaction_alloc", KS_CLASS_USER },
	{ "alloc_buddy_huge_page", KS_CLASS_USER },
	{ "alloc_buddy_hugetlb_folio", KS_CLASS_USER },
	{ "hpage_collapse_alloc_page", KS_CLASS_USER },
	{ "hpage_collapse_alloc_folio", KS_CLASS_USER },
	/* Movable pages the core takes for kernel memory: recorded. */
	{ "alloc_zspage", KS_CLASS_OBJECT },
	{ "zs_malloc", KS_CLASS_OBJECT },
};

static int ks_text_range_cmp(const void *a, const void *b)
{
	const struct ks_text_range *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/**
 * ks_attrib_func_size - the size of the function holding @addr
 * @addr: a text address
 *
 * From "name+0x0/0x1a0 [mod]".  Context: process.
 * Return: the size, or 0 when kallsyms does not know.
 */
unsigned long ks_attrib_func_size(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long size;
	char *slash, *end;

	sprint_symbol(buf, addr);
	slash = strchr(buf, '/');
	if (!slash)
		return 0;
	end = strchr(slash, ' ');
	if (end)
		*end = '\0';
	if (kstrtoul(slash + 1, 16, &size))
		return 0;
	return size;
}

/* addr: any address inside the function; the range is the whole function. */
static void ks_add_range(struct ks_text_range_set *set, unsigned long addr, u8 type)
{
	unsigned long size, off;
	char buf[KSYM_SYMBOL_LEN];
	char *plus;

	/*
	 * kmemscope's own copy of an entry point the kernel has inline
	 * (alloc_pages() and folio_alloc() without NUMA), made when its
	 * address is taken: on no other code's path, and a range in module
	 * space would put every module's call site inside the ranges' span
	 * (ks_attrib_outside()), costing each probe a search.
	 */
	if (within_module(addr, THIS_MODULE))
		return;
	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	size = ks_attrib_func_size(addr);
	if (!plus || !size || set->n >= KS_MAX_RANGES ||
	    sscanf(plus + 1, "0x%lx", &off) != 1) {
		pr_warn("cannot size function %ps: not skipped in attribution\n",
			(void *)addr);
		return;
	}
	if (ks_text_range_find(set->r, set->n, addr))
		return;
	set->r[set->n].start = addr - off;
	set->r[set->n].end = addr - off + size;
	set->r[set->n].type = type;
	set->n++;
	sort(set->r, set->n, sizeof(set->r[0]), ks_text_range_cmp, NULL);
	set->lo = set->r[0].start;
	set->hi = set->r[set->n - 1].end;
}

/**
 * ks_attrib_func_start - the start of the function holding @addr
 * @addr: a text address
 *
 * Context: process.  Return: the start, or 0 when kallsyms does not know.
 */
unsigned long ks_attrib_func_start(unsigned long addr)
{
	char buf[KSYM_SYMBOL_LEN];
	unsigned long off;
	char *plus;

	sprint_symbol(buf, addr);
	plus = strchr(buf, '+');
	if (!plus || sscanf(plus + 1, "0x%lx", &off) != 1 || off > addr)
		return 0;
	return addr - off;
}

/* Context: process, before any hook is attached. */
void ks_attrib_init(void)
{
	struct ks_text_range_set *set = &ks_sets[0];
	const unsigned long *fn;
	unsigned int i, n;

	set->n = 0;
	ks_sets_used = 1;
	WRITE_ONCE(ks_page_walk, 0);
	WRITE_ONCE(ks_page_core_fn, 0);
	fn = ks_compat_wrappers(&n);
	for (i = 0; i < n; i++)
		ks_add_range(set, fn[i], KS_RANGE_WRAPPER);
	fn = ks_compat_page_core(&n);
	for (i = 0; i < n; i++)
		ks_add_range(set, fn[i], KS_RANGE_PAGE_CORE);
	fn = ks_compat_kmalloc_twice(&n);
	for (i = 0; i < n; i++)
		ks_add_range(set, fn[i], KS_RANGE_KMALLOC_TWICE);
	if (KS_COMPAT_HAS_PAGES_BULK)
		ks_add_range(set, KS_COMPAT_PAGES_BULK_FN, KS_RANGE_PAGE_BULK);
	ks_ranges_publish(set);
}

/**
 * ks_attrib_learn_page_path - learn the page allocator's inner functions
 * @entries: a backtrace taken in the mm_page_alloc probe for a page that
 *	     code of @caller asked for through an exported entry point
 * @n: its length
 * @caller: the module that asked (kmemscope itself)
 *
 * Every frame between the function that fired the event (the first past
 * the probe and the tracepoint's glue) or, if that is later, the first
 * known entry point, and the caller belongs to the page allocator,
 * whatever the version calls it (6.12 adds alloc_pages_mpol_noprof(), 6.15
 * __alloc_frozen_pages_noprof(), neither exported): those functions are
 * added to the page allocator's ranges, and the first of them is kept in
 * ks_page_core_fn (pagecaller.c hooks it).  How many frames reach the caller
 * is kept in ks_page_walk: the page probe's first walk takes no more.
 * Context: process, once, at load.  Return: functions learnt.
 */
int ks_attrib_learn_page_path(const unsigned long *entries, unsigned int n,
			      struct module *caller)
{
	struct ks_text_range_set *old = rcu_dereference_protected(ks_ranges, 1);
	struct ks_text_range_set *set;
	unsigned int i, core, learnt = 0;

	if (ks_sets_used == ARRAY_SIZE(ks_sets))
		return 0;
	set = &ks_sets[ks_sets_used];
	for (i = 0; i < n; i++)
		if (ks_text_range_find(old->r, old->n, entries[i]))
			break;
	if (i == n)
		return 0;
	/* From the function that fired the event, if it comes earlier. */
	for (core = 0; core < i; core++) {
		char sym[KSYM_SYMBOL_LEN];

		if (within_module(entries[core], caller))
			continue;
		sprint_symbol_no_offset(sym, entries[core]);
		if (strncmp(sym, "__traceiter_", 12))
			break;
	}
	if (core < i && !ks_attrib_func_start(entries[core]))
		core = i;	/* no symbol: not a function to learn */
	i = min(i, core);
	core = i;
	*set = *old;
	for (; i < n; i++) {
		if (within_module(entries[i], caller))
			break;
		if (!ks_text_range_find(set->r, set->n, entries[i])) {
			ks_add_range(set, entries[i], KS_RANGE_PAGE_CORE);
			learnt++;
		}
	}
	if (i == n)	/* the caller was not found: learn nothing */
		return 0;
	ks_ranges_publish(set);
	ks_sets_used++;
	WRITE_ONCE(ks_page_walk, i + 1);
	WRITE_ONCE(ks_page_core_fn, ks_attrib_func_start(entries[core]));
	return learnt;
}

/**
 * ks_attrib_learn_alloc_path - learn an allocator's functions as wrappers
 * @entries: a backtrace taken in a probe for an allocation that code of
 *	     @caller made
 * @n: its length
 * @caller: the module that asked (kmemscope itself)
 *
 * The frames between the probe's own (in @caller) and the caller's are
 * the allocator's: they are added as wrappers, so that a backtrace taken
 * for an event without a call site finds the caller above them.
 * Context: process, once, at load.  Return: functions learnt.
 */
int ks_attrib_learn_alloc_path(const unsigned long *entries, unsigned int n,
			       struct module *caller)
{
	struct ks_text_range_set *old = rcu_dereference_protected(ks_ranges, 1);
	struct ks_text_range_set *set;
	unsigned int i = 0, end, learnt = 0;

	if (ks_sets_used == ARRAY_SIZE(ks_sets))
		return 0;
	set = &ks_sets[ks_sets_used];
	while (i < n && within_module(entries[i], caller))
		i++;
	for (end = i; end < n && !within_module(entries[end], caller); end++)
		;
	if (i == end || end == n)	/* no allocator, or no caller */
		return 0;
	*set = *old;
	for (; i < end; i++) {
		if (!ks_text_range_find(set->r, set->n, entries[i])) {
			ks_add_range(set, entries[i], KS_RANGE_WRAPPER);
			learnt++;
		}
	}
	ks_ranges_publish(set);
	ks_sets_used++;
	return learnt;
}

/**
 * ks_text_range_find - the range holding addr
 * @r: ranges sorted by start, not overlapping
 * @n: how many
 * @addr: the address
 *
 * Context: any.  Return: the range, or NULL.
 */
const struct ks_text_range *ks_text_range_find(const struct ks_text_range *r,
					       unsigned int n,
					       unsigned long addr)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = lo + (hi - lo) / 2;

		if (addr < r[mid].start)
			hi = mid;
		else if (addr >= r[mid].end)
			lo = mid + 1;
		else
			return &r[mid];
	}
	return NULL;
}

/*
 * @addr is in a granule no range touches (ks_attrib_map): no search.  An
 * address outside the map's window is not.
 */
static __always_inline bool ks_attrib_unmapped(unsigned long addr)
{
	unsigned long g = (addr - READ_ONCE(ks_attrib_map_base)) >>
			  KS_ATTRIB_GRANULE_SHIFT;

	return g < KS_ATTRIB_MAP_BITS && !test_bit(g, ks_attrib_map);
}

/* The range type of @addr, inlined in the lookups below. */
static __always_inline int __ks_attrib_type_of(unsigned long addr)
{
	const struct ks_text_range_set *set;
	const struct ks_text_range *r;
	int type = KS_RANGE_NONE;

	if (ks_attrib_unmapped(addr))
		return KS_RANGE_NONE;
	rcu_read_lock_sched();
	set = rcu_dereference_sched(ks_ranges);
	/* Most call sites (all of a module's) are outside: no search. */
	if (set && addr >= set->lo && addr < set->hi) {
		r = ks_text_range_find(set->r, set->n, addr);
		if (r)
			type = r->type;
	}
	rcu_read_unlock_sched();
	return type;
}

/**
 * ks_attrib_type_of - the type of the range holding @addr
 * @addr: a code address
 *
 * One search for what ks_attrib_in() and ks_attrib_in_any() each answer
 * in part.
 *
 * Context: any, preemption off (a probe) or process.
 * Return: its enum ks_range_type, or KS_RANGE_NONE outside every range.
 */
int ks_attrib_type_of(unsigned long addr)
{
	return __ks_attrib_type_of(addr);
}

/* Context: any, preemption off (a probe) or process. */
bool ks_attrib_in(unsigned long addr, enum ks_range_type type)
{
	return __ks_attrib_type_of(addr) == type;
}

/* @addr is in any allocator or wrapper range.  Context: any. */
bool ks_attrib_in_any(unsigned long addr)
{
	return __ks_attrib_type_of(addr) != KS_RANGE_NONE;
}

/**
 * __ks_attrib_skip - index of the first caller frame
 * @entries: a backtrace taken in the probe, innermost first
 * @n: its length
 * @call_site: the allocator's call site (ignored for pages)
 * @page: a page allocation: start above the page allocator's entry points
 * @bulk: if not NULL, set when a frame skipped on the way to the caller is
 *	  the bulk page allocator's (a page of its one-page fallback); the
 *	  frames are looked up once either way
 *
 * Context: any.
 * Return: the index of the first frame that is neither allocator nor
 * wrapper, or @n when there is none.
 */
unsigned int __ks_attrib_skip(const unsigned long *entries, unsigned int n,
			      unsigned long call_site, bool page, bool *bulk)
{
	unsigned int i;
	int type;

	for (i = 0; i < n; i++) {
		if (page ? ks_attrib_in(entries[i], KS_RANGE_PAGE_CORE) :
			   entries[i] == call_site || ks_attrib_in_any(entries[i]))
			break;
	}
	for (; i < n; i++) {
		type = __ks_attrib_type_of(entries[i]);
		if (type == KS_RANGE_NONE)
			break;
		if (bulk && type == KS_RANGE_PAGE_BULK)
			*bulk = true;
	}
	return i;
}

/* Function name of "func.isra.0+0x1c/0x50 [mod]" into func. */
static void ks_func_name(char *sym)
{
	char *p = strpbrk(sym, "+. ");

	if (p)
		*p = '\0';
}

/* The class ks_page_classes[] gives @func, or KS_NR_CLASSES if none. */
static u8 ks_listed_class(const char *func)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(ks_page_classes); i++)
		if (!strcmp(func, ks_page_classes[i].name))
			return ks_page_classes[i].class;
	return KS_NR_CLASSES;
}

/**
 * ks_attrib_page_class - class of a site of the page allocator
 * @func: the function that called the page allocator
 * @core: @func is core-kernel code (no module's, not unknown)
 * @hint: KS_HINT_MOVABLE when the site was made by a movable page
 *
 * The listed class of @func (ks_page_classes[]), else a user page for a
 * movable page of core code, else a recorded object.
 */
u8 ks_attrib_page_class(const char *func, bool core, u8 hint)
{
	u8 class = ks_listed_class(func);

	/*
	 * Page tables and stacks are never movable: a movable page of a
	 * function listed for them is one it takes for something else,
	 * inlined (a huge page).
	 */
	if ((class == KS_CLASS_PAGETABLE || class == KS_CLASS_STACK) &&
	    (hint & KS_HINT_MOVABLE))
		class = KS_NR_CLASSES;
	if (class == KS_NR_CLASSES)
		class = core && (hint & KS_HINT_MOVABLE) ?
			KS_CLASS_USER : KS_CLASS_OBJECT;
	return class;
}

u8 ks_attrib_class_of_name(const char *func)
{
	return ks_attrib_page_class(func, false, 0);
}

/**
 * ks_attrib_classify - class of a new site (the store's classify callback)
 * @key: the site's address
 * @kind: its allocator
 * @hint: KS_HINT_MOVABLE when the site was made by a movable page
 * @stacks: set to whether the site's allocations get a backtrace when
 *	stacks are on for one module (ks_attrib_set_stacks_module()); may
 *	be NULL
 *
 * Pages are classed by the function that asked for them
 * (ks_page_classes[]).  A movable page is not taken for a user page
 * blindly: drivers and kernel allocators use __GFP_MOVABLE for memory
 * they own (zsmalloc, balloons); only a core-kernel caller that is not
 * listed is taken for the page cache, anonymous memory or migration.
 * sprint_symbol() cannot tell core code from a built-in driver: a
 * built-in driver's movable pages count as user pages (documented).
 * Context: any but NMI, interrupts off; does not sleep or allocate.
 */
u8 ks_attrib_classify(unsigned long key, u8 kind, u8 hint, bool *stacks)
{
	char *sym = this_cpu_ptr(ks_symbuf);
	char filter[MODULE_NAME_LEN], smod[MODULE_NAME_LEN];
	char mod[MODULE_NAME_LEN];
	u8 class = KS_CLASS_OBJECT;

	raw_spin_lock(&ks_filter_lock);
	strscpy(filter, ks_filter, sizeof(filter));
	strscpy(smod, stacks ? ks_stacks_mod : "", sizeof(smod));
	raw_spin_unlock(&ks_filter_lock);

	if (stacks)
		*stacks = false;
	/* No call site can have the key of a slot given back (store.h). */
	BUILD_BUG_ON(KS_UNKNOWN_CALLER == KS_SITE_TOMB);
	if (kind != KS_PAGE && !filter[0] && !smod[0])
		return KS_CLASS_OBJECT;
	if (key == KS_UNKNOWN_CALLER)
		return filter[0] ? KS_CLASS_EXCLUDED : KS_CLASS_OBJECT;

	sprint_symbol(sym, key);
	if (filter[0] || smod[0])
		ks_owner_of(sym, mod, sizeof(mod));
	if (kind == KS_PAGE) {
		/* No "[module]": core kernel, or built in; bare hex: unknown. */
		bool core = !strchr(sym, '[') && strchr(sym, '+');

		ks_func_name(sym);
		class = ks_attrib_page_class(sym, core, hint);
	}
	/*
	 * vmalloc's pages keep their class under any filter where the
	 * vmalloc hook counts them per area, as filtered or not (hooks.c:
	 * from 5.13), and no page event counts them (store.h).
	 */
	if (filter[0] && strcmp(mod, filter) &&
	    (class != KS_CLASS_VMALLOC || KS_COMPAT_NR_VMALLOC_ENTRIES))
		return KS_CLASS_EXCLUDED;
	/* Only recorded allocations keep a backtrace. */
	if (smod[0])
		*stacks = class == KS_CLASS_OBJECT && !strcmp(mod, smod);
	return class;
}

/**
 * ks_attrib_set_module_filter - record only what this module allocates
 * @name: a module name, "kernel" for the core kernel, or "" for all
 *
 * Context: process.  The caller reclassifies the existing sites.
 */
void ks_attrib_set_module_filter(const char *name)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ks_filter_lock, flags);
	strscpy(ks_filter, name, sizeof(ks_filter));
	WRITE_ONCE(ks_filter_core_out,
		   name[0] && strcmp(name, KS_OWNER_KERNEL));
	raw_spin_unlock_irqrestore(&ks_filter_lock, flags);
}

/*
 * A module filter is set that leaves the core kernel out: the core
 * kernel's allocations are counted as filtered.  Context: any; a hint (a
 * set racing with it is seen on the next call).
 */
bool ks_attrib_core_filtered(void)
{
	return READ_ONCE(ks_filter_core_out);
}

/* Context: process.  Valid until the next set; for display only. */
const char *ks_attrib_module_filter(void)
{
	return ks_filter;
}

/**
 * ks_attrib_set_stacks_module - the module whose sites get backtraces
 * @name: a module name, "kernel" for the core kernel, or "" for none
 *
 * Context: process.  The caller reclassifies the existing sites.
 */
void ks_attrib_set_stacks_module(const char *name)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ks_filter_lock, flags);
	strscpy(ks_stacks_mod, name, sizeof(ks_stacks_mod));
	raw_spin_unlock_irqrestore(&ks_filter_lock, flags);
}

/**
 * ks_attrib_stacks_module - copy out the module whose sites get backtraces
 * @buf: MODULE_NAME_LEN bytes; "" when none
 *
 * Context: any but NMI.
 */
void ks_attrib_stacks_module(char *buf)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ks_filter_lock, flags);
	strscpy(buf, ks_stacks_mod, MODULE_NAME_LEN);
	raw_spin_unlock_irqrestore(&ks_filter_lock, flags);
}
