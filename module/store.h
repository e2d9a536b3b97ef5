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
	KS_CLASS_VMALLOC,	/* pages backing vmalloc areas */
	KS_CLASS_PERCPU,	/* pages backing percpu chunks */
	KS_CLASS_PAGETABLE,	/* page tables */
	KS_CLASS_USER,		/* anonymous, file cache and shmem pages */
	KS_CLASS_DMA,		/* pages backing DMA API buffers */
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

	/* call sites: open addressing; given back only by a fold or reset */
	struct ks_site *sites;
	ks_classify_fn classify;		/* may be NULL: all objects */
	unsigned int site_bits;		/* slots = 1 << site_bits */
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
int ks_store_alloc_stack(struct ks_store *st, struct ks_alloc *a,
			 ks_stack_fn stack, void *arg);

bool ks_store_free(struct ks_store *st, unsigned long ptr, enum ks_kind kind);
bool ks_store_free_part(struct ks_store *st, unsigned long ptr,
			enum ks_kind kind, size_t bytes, unsigned long rest);
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
