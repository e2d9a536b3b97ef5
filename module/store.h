/* SPDX-License-Identifier: GPL-2.0 */
/*
 * store.h - kmemscope's record store: live allocations and call sites.
 *
 * The store is an instance (struct ks_store) so that the KUnit suites can
 * build private ones; the module keeps one global instance.  See store.c
 * for the data structures and the locking rules.
 */
#ifndef _KMEMSCOPE_STORE_H
#define _KMEMSCOPE_STORE_H

#include <linux/bits.h>
#include <linux/gfp.h>
#include <linux/mm_types.h>
#include <linux/hash.h>
#include <linux/hardirq.h>
#include <linux/smp.h>
#include <linux/cache.h>
#include <linux/jiffies.h>
#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/sched.h>

enum ks_kind {
	KS_KMALLOC,
	KS_KMEM_CACHE,
	KS_VMALLOC,
	KS_PAGE,
	KS_PERCPU,
	KS_DMA,			/* DMA API buffers (dma_alloc_attrs()) */
	KS_NR_KINDS,
};

/* What served a DMA API buffer, as far as its calls show (hooks.c). */
enum ks_dma_source {
	KS_DMA_PAGES,		/* the page allocator, or a pool not told apart */
	KS_DMA_CMA,		/* a CMA area */
	KS_DMA_DEVICE_POOL,	/* the device's own coherent pool */
	KS_DMA_NR_SOURCES,
};

/*
 * What a call site's allocations are.  Only KS_CLASS_OBJECT allocations
 * get records; the other classes are pages the page allocator hands to
 * another allocator or to user space, counted per site but not recorded,
 * so that each byte is counted once (see hooks.c).
 */
enum ks_class {
	KS_CLASS_OBJECT,	/* memory handed to a caller: recorded */
	KS_CLASS_SLAB,		/* pages backing slab caches and large kmallocs */
	KS_CLASS_VMALLOC,	/* pages backing vmalloc areas (per area) */
	KS_CLASS_PERCPU,	/* pages backing percpu chunks */
	KS_CLASS_PAGETABLE,	/* page tables */
	KS_CLASS_USER,		/* anonymous, file cache and shmem pages */
	KS_CLASS_DMA,		/* pages backing DMA API buffers */
	KS_CLASS_STACK,		/* kernel stacks (not vmapped) */
	KS_CLASS_EXCLUDED,	/* filtered out by the control file */
	KS_NR_CLASSES,
};

/* Why a site was retired. */
enum ks_retire {
	KS_LIVE,
	KS_RETIRED_INIT,	/* its module's __init code was freed */
	KS_RETIRED_UNLOAD,	/* its module was unloaded */
};

/* Bounds of the module parameters that size a store. */
#define KS_MIN_RECORDS		64U
#define KS_MAX_RECORDS		(16U * 1024 * 1024)
#define KS_MIN_SITES		16U
#define KS_MAX_SITES		(1024U * 1024)

/* Bucket locks are striped: bucket b is covered by locks[b % KS_NR_LOCKS]. */
#define KS_NR_LOCKS		256
/* Linear probes tried in the site table before it counts as full. */
#define KS_SITE_PROBES		64
/*
 * The key of a slot given back by ks_store_fold_unloaded(): lookups probe
 * past it, a new site may take it.  Never a return address, nor any key a
 * hook makes up (attrib.h's KS_UNKNOWN_CALLER: checked at build time).
 */
#define KS_SITE_TOMB		(~0UL)

/* Hints a hook passes with an allocation, for the site's classification. */
#define KS_HINT_MOVABLE		BIT(0)	/* pages asked for with __GFP_MOVABLE */
#define KS_HINT_DEVICE_POOL	BIT(1)	/* a DMA buffer from a device's own pool */

/* The hint of an allocation of @kind made with @gfp, DMA buffers aside. */
static __always_inline u8 ks_alloc_hint(u8 kind, u32 gfp)
{
	return kind == KS_PAGE && (gfp & (__force u32)__GFP_MOVABLE) ?
	       KS_HINT_MOVABLE : 0;
}

/*
 * One call site: the return address of the allocation call (after
 * skipping allocator wrappers, see attrib.c) and the allocator.
 */
struct ks_site {
	unsigned long key;		/* 0: free slot; KS_SITE_TOMB: given back */
	const char *name;		/* set when the code is gone */
	atomic_long_t live_bytes;	/* bytes allocated, still live */
	atomic_long_t live_req;		/* bytes requested, still live */
	atomic_long_t allocs;		/* lifetime; live count = allocs - frees */
	atomic_long_t frees;		/* lifetime */
	atomic_long_t peak_bytes;	/* highest live_bytes */
	u8 kind;			/* enum ks_kind */
	u8 class;			/* enum ks_class */
	u8 retired;			/* enum ks_retire; set: never matched */
	u8 hint;			/* KS_HINT_*, of the allocation that made it */
	u8 stacks;			/* backtraces when on for some modules */
};

/* One live allocation. */
struct ks_record {
	struct ks_record *next;		/* hash chain, or the free list */
	unsigned long ptr;		/* address; struct page * for pages */
	u64 ts;				/* ks_store_stamp() at allocation */
	u32 bytes_alloc;
	u32 bytes_req;
	u32 site;			/* index into ks_store.sites */
	u32 stack;			/* stack table id, 0: none */
	u32 gfp;			/* gfp_t flags */
	pid_t pid;			/* 0 outside task context */
	char comm[TASK_COMM_LEN];
};

/*
 * A CPU's magazine of unused records (store.c): a list only its CPU adds
 * to, and which another CPU may take whole when the pool runs dry.
 */
struct ks_mag {
	struct ks_record *head;
	unsigned int count;		/* at least the records on it */
} ____cacheline_aligned_in_smp;

/* Records a magazine holds before it goes back to free_list whole. */
#define KS_MAG_MAX		32
/* Records a magazine takes from free_list at once. */
#define KS_MAG_BATCH		16

/*
 * A record's gfp flags when the kernel did not report them (percpu on
 * 5.10, compat.h): printed "n/a".  No real gfp_t has every bit set.
 */
#define KS_GFP_UNKNOWN		0xffffffffU

/*
 * A pending allocation (store.c): a slab object or a single page of one
 * CPU in one context, kept out of the table until it is freed (then only
 * its site's counters move) or a reader needs the table whole (then it is
 * recorded, as it would have been at once).
 */
struct ks_pend {
	unsigned long ptr;		/* 0: empty; | KS_PEND_BUSY: being taken */
	unsigned long call_site;
	u64 ts;				/* ks_store_stamp() at allocation */
	u32 bytes_alloc;
	u32 bytes_req;
	u32 gfp;
	pid_t pid;			/* task context only */
	u8 kind;
	u8 misses;			/* allocations recorded past it */
	u16 filter;			/* a page's pend_pages[] counter */
	char comm[TASK_COMM_LEN];
	/* The site of the last pair counted from the slot: checked first. */
	struct ks_site *site;
};

/*
 * Allocations of a slot's context recorded in the table because the slot
 * was taken, before the slot's own is recorded to make room (it lived past
 * many allocations: not one of those freed soon).  The count wraps
 * (misses, a u8), and a new allocation in the slot does not reset it: the
 * one there is recorded after at most this many.
 */
#define KS_PEND_AGE		256

/* A pending address being taken: objects and struct pages are 8-aligned. */
#define KS_PEND_BUSY		1UL

/*
 * Counters of pending pages by address hash (struct ks_store's
 * pend_pages[]): a page free that finds no record looks through the
 * slots only when its counter is not 0.
 */
#define KS_PEND_FILTER		1024

/* Contexts that make records: task, softirq, hardirq (never NMI). */
#define KS_PEND_CTXS		3

/*
 * A CPU's slots, in an array (not percpu memory: see ks_store_init()); a
 * power of two apart, so that finding this CPU's is a shift.
 */
struct ks_pend_cpu {
	struct ks_pend p[KS_PEND_CTXS];
} __aligned(256);

/* What a hook passes to ks_store_alloc(). */
struct ks_alloc {
	unsigned long ptr;
	unsigned long call_site;
	size_t bytes_req;
	size_t bytes_alloc;
	u32 gfp;
	u32 stack;
	u8 kind;
	u8 hint;			/* KS_HINT_* */
};

/*
 * Called once when a site is created, in the allocating context (any but
 * NMI, interrupts off; must not sleep or allocate), and for every site by
 * ks_store_reclassify(): returns its enum ks_class, and sets *@stacks to
 * whether the site's allocations get a backtrace while stacks are on for
 * some modules only (ks_store_alloc_stack()).  @hint: the KS_HINT_* of the
 * allocation that created the site.
 */
typedef u8 (*ks_classify_fn)(unsigned long key, u8 kind, u8 hint,
			     bool *stacks);

struct ks_store {
	/* live records: hash of ks_record chains keyed by ptr */
	struct ks_record **buckets;
	unsigned int bucket_bits;
	unsigned int bucket_shift;	/* BITS_PER_LONG - bucket_bits */
	raw_spinlock_t locks[KS_NR_LOCKS];

	/*
	 * preallocated records; unused ones in a CPU's magazine (mags) or
	 * on free_list
	 */
	struct ks_record *records;
	unsigned int nr_records;
	struct ks_mag *mags;		/* nr_cpu_ids of them */
	struct ks_record *free_list;
	raw_spinlock_t free_lock;

	/*
	 * vmalloc's pages are counted per area by the vmalloc hook, and
	 * not from page events (ks_count_unrecorded()); set by the hooks
	 * (ks_hooks_set_min_size()), false until then
	 */
	bool vmalloc_by_area;

	/* per CPU and context: one allocation not yet in the table */
	struct ks_pend_cpu *pend;	/* nr_cpu_ids of them */
	bool pend_off;			/* a reset is clearing the store */
	/* pending allocations recorded in the table so far (ks_pend_free()) */
	atomic_long_t pend_recorded;
	/* pending pages, by bucket % KS_PEND_FILTER (ks_pend_free()) */
	atomic_t pend_pages[KS_PEND_FILTER];

	/*
	 * The page map: a byte per page frame the online nodes spanned at
	 * init (page_span of them, from the struct page at page_first;
	 * none where that is over KS_PAGE_MAP_HOLES times the RAM),
	 * set while a record or a pending slot may hold that struct page
	 * (ks_store_page_unheld()).  page_span 0: no map.
	 */
	u8 *page_map;
	unsigned long page_first;
	unsigned long page_span;

	/* call sites: open addressing; given back only by a fold or reset */
	struct ks_site *sites;
	ks_classify_fn classify;		/* may be NULL: all objects */
	unsigned int site_bits;		/* slots = 1 << site_bits */
	unsigned int site_shift;	/* BITS_PER_LONG - site_bits */
	unsigned int max_sites;
	atomic_t sites_used;
	atomic_long_t sites_folded;	/* slots folded into an earlier load's */

	/* retired sites' names, one copy of each; freed with the store */
	struct mutex names_lock;	/* names; folds; reset's clearing */
	const char **names;
	unsigned int nr_names;
	unsigned int cap_names;

	/* what could not be recorded, and why */
	atomic_long_t records_used;
	atomic_long_t records_peak;
	atomic_long_t drop_pool_full;
	atomic_long_t drop_sites_full;
	atomic_long_t untracked_frees[KS_NR_KINDS];
	atomic_long_t missed_frees;
	atomic_long_t drop_nmi_busy;	/* frees given up in NMI: lock busy */
	atomic_long_t not_recorded[KS_NR_CLASSES];	/* allocs of other classes */
	atomic_long_t part_frees;	/* frees of less than a record holds */
	atomic_long_t over_frees;	/* frees of more than a record holds */
	atomic_long_t splits;		/* records split into one per page */

	/* live bytes per allocator, and their highest value */
	atomic_long_t kind_live[KS_NR_KINDS];
	atomic_long_t kind_peak[KS_NR_KINDS];

	/* marks taken (ks_store_mark()): the low bits of every stamp */
	atomic_long_t stamp_gen;
};

/*
 * Stamps: when an allocation was recorded.  The kernel's tick count
 * (jiffies, 1/HZ s) above KS_STAMP_GEN_BITS bits of mark generation, so
 * that stamps order allocations by tick and, within a tick, by the marks
 * between them: every allocation recorded after ks_store_mark() returned
 * has a stamp at least the mark's, every one recorded before it a lower
 * one.  Ages have the tick's resolution.  (local_clock() cost 44 more
 * instructions per kmalloc pair: make bench.)  2^20 marks within one tick
 * would wrap the generation; 2^44 ticks, the tick count.
 */
#define KS_STAMP_GEN_BITS	20

static inline u64 ks_stamp_make(u64 ticks, unsigned long gen)
{
	return ticks << KS_STAMP_GEN_BITS |
	       (gen & (BIT_ULL(KS_STAMP_GEN_BITS) - 1));
}

/* The stamp of now.  Context: any. */
static inline u64 ks_store_stamp(struct ks_store *st)
{
	return ks_stamp_make(get_jiffies_64(),
			     atomic_long_read(&st->stamp_gen));
}

/* Milliseconds from stamp @from to stamp @to; 0 if @to is not later. */
static inline u64 ks_stamp_ms(u64 from, u64 to)
{
	if (to <= from)
		return 0;
	return jiffies64_to_msecs((to >> KS_STAMP_GEN_BITS) -
				  (from >> KS_STAMP_GEN_BITS));
}

/* ---- pending allocations: the stash, inlined in the probes ---- */

/*
 * hash_long(@v, 64 - @shift), with the shift kept ready in the store: one
 * instruction less on every record, free and stash (make bench).
 */
static __always_inline unsigned int ks_hash(unsigned long v,
					    unsigned int shift)
{
#if BITS_PER_LONG == 64
	return (v * GOLDEN_RATIO_64) >> shift;
#else
	return hash_long(v, BITS_PER_LONG - shift);
#endif
}

/* The bucket of address @ptr. */
static __always_inline unsigned int ks_bucket(struct ks_store *st,
					      unsigned long ptr)
{
	return ks_hash(ptr, st->bucket_shift);
}

/* Bucket entries ks_store_stash() looks through for its address. */
#define KS_PEND_PEEK		4

/* The context's slot: task 0, softirq 1, hardirq 2 (NMI: not here). */
static __always_inline unsigned int ks_pend_ctx(void)
{
	return hardirq_count() ? 2 : in_serving_softirq() ? 1 : 0;
}

/* The page map's index of struct page address @ptr (any value: see below). */
static __always_inline unsigned long ks_page_index(const struct ks_store *st,
						   unsigned long ptr)
{
	return (ptr - st->page_first) / sizeof(struct page);
}

/*
 * Set (@held) or clear the page map's byte of struct page address @ptr.
 * Any other address (a slab object's, a page outside the map) is outside
 * the map and changes nothing.  A plain byte store: a page is recorded
 * before it is handed out and its byte cleared by its free, so two CPUs
 * write one byte at once only when a free races with a free of the same
 * block (a partial free moving a record to a page another CPU frees),
 * which leaves a stale record with or without the map.
 */
static __always_inline void ks_page_mark(struct ks_store *st,
					 unsigned long ptr, u8 held)
{
	unsigned long i = ks_page_index(st, ptr);

	if (i < st->page_span)
		WRITE_ONCE(st->page_map[i], held);
}

/**
 * ks_store_page_unheld - whether a free of a page can find nothing
 * @st: the store
 * @ptr: its struct page
 *
 * The page map's byte for @ptr is set before any record or pending slot
 * holds @ptr (so before the page is handed out, and so before any free of
 * it), and cleared when a free of it is done: a page whose byte is clear
 * has neither, and its free is an untracked one, without a look at the
 * table or the slots.  A page outside the map (memory added since init,
 * or a kernel whose struct pages are not one array) is looked up.
 * Context: any.
 */
static __always_inline bool ks_store_page_unheld(const struct ks_store *st,
						 unsigned long ptr)
{
	unsigned long i = ks_page_index(st, ptr);

	return i < st->page_span && !READ_ONCE(st->page_map[i]);
}

/* An untracked free of allocator @kind (counted in untracked_frees[]). */
static __always_inline void ks_store_count_untracked(struct ks_store *st,
						     u8 kind)
{
	atomic_long_inc(&st->untracked_frees[kind]);
}

/*
 * Fill empty slot @p (this context's, @ctx) with an allocation and
 * publish it, unless the table holds a record of its address (a free not
 * seen: the table's path retires it, ks_record_at()).  Return: true when
 * pending.
 */
static __always_inline bool ks_pend_fill(struct ks_store *st,
					 struct ks_pend *p, unsigned int ctx,
					 unsigned long ptr,
					 unsigned long call_site, size_t req,
					 size_t alloc, gfp_t gfp, u8 kind)
{
	unsigned int n, b = ks_bucket(st, ptr);
	struct ks_record *r;

	/*
	 * Without the lock: records are never freed, so a chain changing
	 * meanwhile is still records to compare; a long one is not walked.
	 */
	r = READ_ONCE(st->buckets[b]);
	for (n = 0; r; n++, r = READ_ONCE(r->next))
		if (n == KS_PEND_PEEK || READ_ONCE(r->ptr) == ptr)
			return false;
	if (kind == KS_PAGE) {
		/*
		 * Before the page is handed out, so before any free of it
		 * looks; taken off when the slot is (ks_pend_done()).
		 */
		p->filter = b % KS_PEND_FILTER;
		atomic_inc(&st->pend_pages[p->filter]);
		ks_page_mark(st, ptr, 1);
	}
	/* Empty: only this context writes the slot until it publishes. */
	p->call_site = call_site;
	/* Slab objects and single pages: far below 4 GiB. */
	p->bytes_req = req;
	p->bytes_alloc = alloc;
	p->gfp = (__force u32)gfp;
	p->kind = kind;
	p->ts = ks_store_stamp(st);
	if (!ctx) {
		p->pid = current->pid;
		memcpy(p->comm, current->comm, sizeof(p->comm));
	}
	/* Pairs with the cmpxchg() that takes it (fully ordered). */
	smp_store_release(&p->ptr, ptr);
	return true;
}

/**
 * ks_store_stash - keep an allocation pending instead of recording it
 * @st: the store
 * @ptr: its address (not 0, at least 8-aligned)
 * @call_site: its call site
 * @req: bytes requested
 * @alloc: bytes allocated
 * @gfp: its gfp flags
 * @kind: its allocator: KS_KMALLOC, KS_KMEM_CACHE, or KS_PAGE for a
 *	  single page (order 0: a page that is never freed in parts nor
 *	  split, so that a free of it is always the whole of it)
 *
 * Most slab objects and many single pages are freed soon, often before
 * the next allocation of the same context: this context's slot takes the
 * allocation, and when this CPU frees it (ks_store_unstash()) only its
 * site's counters move: no table, lock or record.
 * Context: any but NMI, preemption off (the slot is this CPU's); takes no
 * lock, so interrupts may be on.
 * When the slot is taken, the new allocation is recorded in the table,
 * unless the slot's has lived past KS_PEND_AGE of them, or is a page:
 * then the slot's is recorded and the new one takes its place
 * (ks_store_stash_swap()), so that an allocation kept for long does not
 * keep the slot.
 * Return: 1 when pending; 0 when not (record it: ks_store_alloc()); -EBUSY
 * when the slot's allocation is to be recorded: ks_store_stash_swap().
 */
static __always_inline int ks_store_stash(struct ks_store *st,
					  unsigned long ptr,
					  unsigned long call_site, size_t req,
					  size_t alloc, gfp_t gfp, u8 kind)
{
	unsigned int ctx;
	struct ks_pend *p;

	if (unlikely(hardirq_count())) {
		if (in_nmi())
			return 0;
		ctx = 2;
	} else {
		ctx = !!in_serving_softirq();
	}
	p = &st->pend[smp_processor_id()].p[ctx];
	if (unlikely(READ_ONCE(p->ptr))) {
		/*
		 * Only this context counts: the slot's other users do not.  A
		 * page goes at once: one not freed before its context's next
		 * allocation is likely to be kept (a slab's, a page table's,
		 * a user page, none of them recorded).
		 */
		return ++p->misses && p->kind != KS_PAGE ? 0 : -EBUSY;
	}
	return ks_pend_fill(st, p, ctx, ptr, call_site, req, alloc, gfp, kind);
}

/*
 * The slot of this CPU that holds pending allocation @ptr, whatever its
 * context, or NULL: the slab and page free probes' test before
 * ks_store_unstash().
 * Context: preemption off.
 */
static __always_inline struct ks_pend *ks_store_pending(struct ks_store *st,
							unsigned long ptr)
{
	struct ks_pend_cpu *pc = &st->pend[smp_processor_id()];
	unsigned int c;

	for (c = 0; c < KS_PEND_CTXS; c++)
		if (READ_ONCE(pc->p[c].ptr) == ptr)
			return &pc->p[c];
	return NULL;
}

/* A copy of a site, taken for formatting outside any lock. */
struct ks_site_snap {
	unsigned long key;
	const char *name;
	long live_bytes;
	long live_req;
	long live_count;
	long allocs;
	long frees;
	long peak_bytes;
	u8 kind;
	u8 class;
	u8 retired;
	u8 hint;			/* KS_HINT_*, of the allocation that made it */
};

/* A copy of a live record, for the allocations view. */
struct ks_record_snap {
	unsigned long ptr;
	u32 site;			/* index of its site */
	unsigned long call_site;
	const char *site_name;		/* for retired sites */
	u64 ts;
	u32 bytes_alloc;
	u32 bytes_req;
	u32 stack;
	u32 gfp;
	pid_t pid;
	char comm[TASK_COMM_LEN];
	u8 kind;
	u8 retired;
};

/* Where ks_store_copy_records() continues. */
struct ks_record_cursor {
	unsigned int bucket;
	unsigned int skip;		/* records of that bucket already copied */
};

struct ks_kind_totals {
	long live_bytes;
	long live_req;
	long live_count;
	long allocs;
	long frees;
};

/* A live record as returned by ks_store_lookup(). */
struct ks_record_info {
	unsigned long call_site;
	u32 bytes_alloc;
	u32 bytes_req;
	u8 kind;
	u8 class;
};

int ks_store_init(struct ks_store *st, unsigned int nr_records,
		  unsigned int max_sites);
void ks_store_destroy(struct ks_store *st);

void ks_store_reset(struct ks_store *st);

/* Takes an allocation's backtrace once its site is known: a stack id. */
typedef u32 (*ks_stack_fn)(void *arg);

int ks_store_alloc(struct ks_store *st, struct ks_alloc *a);
int ks_store_alloc_obj(struct ks_store *st, unsigned long ptr,
		       unsigned long call_site, size_t req, size_t alloc,
		       gfp_t gfp, u8 kind, u8 hint);
u8 ks_store_count_unrecorded(struct ks_store *st, unsigned long key, u8 kind,
			     u8 hint, unsigned long n);

/*
 * Count @n allocations of @class, which records none, without a site:
 * the vmalloc hook's count of an area's pages (KS_CLASS_VMALLOC, or
 * KS_CLASS_EXCLUDED under a module filter that leaves the core kernel
 * out).  Context: any.
 */
static inline void ks_store_count_class(struct ks_store *st, u8 class,
					unsigned long n)
{
	atomic_long_add(n, &st->not_recorded[class]);
}

int ks_store_alloc_stack(struct ks_store *st, struct ks_alloc *a,
			 ks_stack_fn stack, void *arg);

bool ks_store_free(struct ks_store *st, unsigned long ptr, enum ks_kind kind);
int ks_store_stash_swap(struct ks_store *st, unsigned long ptr,
			unsigned long call_site, size_t req, size_t alloc,
			gfp_t gfp, u8 kind);
bool ks_store_unstash(struct ks_store *st, struct ks_pend *p,
		      unsigned long ptr);
bool ks_store_unstash_page(struct ks_store *st, struct ks_pend *p,
			   unsigned long ptr);
void ks_store_settle(struct ks_store *st);
bool ks_store_free_part(struct ks_store *st, unsigned long ptr,
			size_t bytes, unsigned long rest);
bool ks_store_free_known(struct ks_store *st, unsigned long ptr,
			 enum ks_kind kind);
unsigned int ks_store_split(struct ks_store *st, unsigned long ptr,
			    unsigned int nr, unsigned int keep, u32 unit,
			    unsigned long stride);
unsigned int ks_store_copy_records(struct ks_store *st,
				   struct ks_record_cursor *cur,
				   struct ks_record_snap *out, unsigned int max);
void ks_store_reclassify(struct ks_store *st);
u64 ks_store_mark(struct ks_store *st);
void ks_store_mark_unloaded(struct ks_store *st, const char *module);
unsigned int ks_store_fold_unloaded(struct ks_store *st, const char *module);
bool ks_store_lookup(struct ks_store *st, unsigned long ptr,
		     struct ks_record_info *info);

unsigned int ks_store_snapshot_sites(struct ks_store *st,
				     struct ks_site_snap *out,
				     unsigned int max);
bool ks_store_read_site(struct ks_store *st, unsigned int i,
			struct ks_site_snap *out);
void ks_store_totals(struct ks_store *st,
		     struct ks_kind_totals totals[KS_NR_KINDS]);

typedef const char *(*ks_site_namer)(unsigned long key, void *arg);
unsigned int ks_store_retire_sites(struct ks_store *st,
				   bool (*match)(unsigned long key, void *arg),
				   ks_site_namer namer, void *arg,
				   enum ks_retire why);

bool ks_store_resize(struct ks_store *st, unsigned long ptr, size_t bytes_req);

static inline size_t ks_store_record_bytes(void)
{
	return sizeof(struct ks_record);
}

#endif /* _KMEMSCOPE_STORE_H */
