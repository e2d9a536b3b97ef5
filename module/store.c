// SPDX-License-Identifier: GPL-2.0
/*
 * store.c - kmemscope's record store.
 *
 * Data structures
 * ---------------
 * Everything is allocated once, in ks_store_init(), from process context;
 * nothing on the record/free paths allocates or frees memory.
 *
 * - records[nr_records]: the pool of live-allocation records.  A record is
 *   on exactly one hash chain, in one CPU's magazine, or on free_list.
 * - mags: per CPU, a magazine of unused records (struct ks_mag, at most
 *   KS_MAG_MAX): a CPU takes records from its own and gives them back
 *   there, without a lock; it refills KS_MAG_BATCH at a time from
 *   free_list and gives its magazine back whole when full, under
 *   free_lock.  When free_list is empty, a CPU takes another CPU's
 *   magazine whole (xchg()), so that the pool is full only when every
 *   record is live.
 * - buckets[1 << bucket_bits]: singly linked chains of live records,
 *   keyed by the allocation's address (hash_long(ptr)).  There are at
 *   least as many buckets as records.
 * - sites[1 << site_bits]: call sites keyed by (return address, kind),
 *   open addressing with linear probing, at most half full (max_sites of
 *   2 * max_sites slots).  A slot is claimed with cmpxchg() on its key; its
 *   counters are atomic_long_t.
 *   When a slot is claimed, st->classify() decides its class: only
 *   KS_CLASS_OBJECT sites get records; allocations from the others are
 *   counted in not_recorded[class] (ks_count_unrecorded()), but for
 *   KS_CLASS_VMALLOC's while vmalloc_by_area is set: the vmalloc hook
 *   then counts those pages per area (ks_store_count_class()), so that a
 *   page vmalloc took on its own, after the bulk allocator gave fewer
 *   than asked, is not counted twice, and the bulk allocator's calls for
 *   vmalloc need no return handler (hooks.c).  Records name their site
 *   by index, so a free updates the site of the allocation.  When the code
 *   of a site goes away (module unload), the slot is retired: it keeps its
 *   counters and its name, and lookups skip it, so that new code loaded at
 *   the same address gets a slot of its own.
 * - Folding: a module loaded and unloaded again and again (a driver's test
 *   loop) would leave one retired slot per site per load, all on the same
 *   probe sequence when it comes back at the same address, until lookups
 *   ran out of probes.  So once a module is gone, each of its retired
 *   sites is folded into the first slot of the same name, kind and class
 *   (its lifetime counters added there) and the slot is given back: its
 *   key becomes KS_SITE_TOMB, which lookups probe past and a new site may
 *   take, after the probe found no slot of its own key.  A site that
 *   still holds memory (the module leaked it) first hands its live
 *   records to that slot (ks_fold_move_records()).  The table holds one
 *   slot per site name, not per load, leaks or not.
 * - names[]: every retired site's name, one copy of each string (so a
 *   fold loses no name); slots point into it.  Freed with the store only:
 *   views print names long after they copied a slot.
 * - Partial frees (the page allocator): a record holds bytes that may be
 *   given back in parts (a free of a lower order than allocated, pages of
 *   a split_page() allocation).  ks_store_free_part() shrinks the record
 *   and moves it to the first address still held; ks_store_split() makes a
 *   multi-page record one record per page.  Both are counted in the
 *   summary (part_frees, over_frees, splits).
 * - A slot is claimed from 0 or KS_SITE_TOMB with its counters cleared
 *   first; KS_SITE_TOMB is ~0UL, which no call site and no key a hook
 *   makes up can be (attrib.h checks KS_UNKNOWN_CALLER at build time).
 * - pend: per CPU, one slot per context (task, softirq, hardirq) holding a
 *   slab allocation or a single page not yet in the table (struct
 *   ks_pend).  The slab and page probes stash an allocation there
 *   (ks_store_stash(), inlined, no lock) when the slot is empty and no
 *   record of its address is in the table; a free of it by this CPU
 *   (ks_store_pending(), ks_store_unstash()) counts the pair on its site
 *   and empties the slot: no record, no lock.  A slot that stays taken
 *   while KS_PEND_AGE allocations of its context are recorded past it is
 *   recorded itself (ks_store_stash_swap()); a page, at the first.  A
 *   free that finds no record looks through every CPU's slots
 *   (ks_pend_take()), a page's only when a pending page hashes with it
 *   (pend_pages[], a counter per bucket % KS_PEND_FILTER); the entry
 *   points that read the table or the sites record what is pending first
 *   (ks_store_settle()).  Per pair added (make bench): kmalloc 359 -> 217
 *   instructions, 64 held 371 -> 402; an order-0 page 590 -> 338 (with
 *   the entry callbacks' changes, pagecaller.c), a page free without a
 *   record about 20 more.
 * - page_map: a byte per page frame the online nodes span at init (where
 *   struct pages are one array: SPARSEMEM_VMEMMAP, FLATMEM; not when the
 *   span is more than KS_PAGE_MAP_HOLES times the RAM),
 *   set when a record at that struct page is made or moved there, or the
 *   page is stashed (ks_page_mark()), before the page is handed out; the
 *   page free probe asks it first (ks_store_page_unheld()), and a free
 *   of a page whose byte is clear is untracked without the table, its
 *   lock or the slots.  A free of the page through the table clears it
 *   (ks_store_free_do()) when it took the record or found none, not when
 *   it gave up on a busy lock or a busy reader; a pair freed from this
 *   CPU's slot leaves it set, for the page's next free to clear (a byte
 *   set too often only costs a lookup).  Plain byte stores (see
 *   ks_page_mark()).
 *   Pages outside the map (memory added later) are looked up.  Per pair
 *   (quick runs of the bench kernel): vmalloc-16k 8,420 -> 8,001-8,048
 *   instructions (its four page frees), an order-0 page 961 -> 970.
 *
 * Notes on locking
 * ----------------
 * The record path may be called in any context but NMI, the free path in
 * any context (x86 int3 kprobes run it in NMI context), including under
 * allocator locks; both must be called with interrupts disabled (the
 * hooks run with them off; lockdep checks).  They take raw spinlocks only
 * (never spinlock_t, which sleeps on PREEMPT_RT; in NMI context only with
 * trylock) and do bounded work: one chain walk and at most KS_SITE_PROBES
 * site probes.
 * The other entry points take the bucket locks with irqsave themselves.
 *
 * - locks[b % KS_NR_LOCKS] protects bucket b's chain and the fields of the
 *   records on it.
 * - free_lock protects free_list.
 * - A magazine is added to only by its own CPU, with interrupts off and no
 *   other operation of that CPU's on it running (the hooks' per-CPU
 *   nesting guard; the KUnit suites call from their own threads), by
 *   cmpxchg() on its head; any CPU may take it whole with xchg().  Its
 *   count is its own CPU's, and may exceed what a theft left: the next
 *   spill resets it.
 * - Lock order: a bucket lock, then free_lock.  No path takes two bucket
 *   locks.
 * - The record and free paths take both through ks_hot_lock(): without
 *   lock debugging the arch lock inside the raw spinlock, inline (they run
 *   with interrupts off, so the preemption count would add nothing); with
 *   lockdep, the raw spinlock itself.
 * - Site keys are set with cmpxchg() (from 0 or KS_SITE_TOMB); site
 *   counters are atomic and read without locks (a snapshot is consistent
 *   per counter, not across counters).  site->name and site->retired are
 *   written by ks_store_retire_sites(), from process context, with the
 *   name published before the retired flag (release/acquire).
 * - names_lock (a mutex) protects names[] and serialises retiring,
 *   folding and ks_store_reset()'s clearing of the table with each other
 *   (a module unloading during a reset retires either before the clearing
 *   or after it, never into a slot being cleared).
 * - A fold gives a slot back only after an RCU grace period since its
 *   site was retired: the record and free paths run with interrupts off,
 *   so none that found the site before it was retired is still running,
 *   and with nothing live none can find it through a record.  A slot is
 *   unpublished (kind 0) and published as KS_SITE_TOMB with release; it
 *   stays retired until a claim clears it, so that a lookup of its old
 *   key racing with the fold never takes it for a live site.  A lookup
 *   reads the key again after the kind and the retired flag: a slot
 *   folded and taken by another key meanwhile does not match.  A copy
 *   that raced with a fold is dropped (the key changed under it) or, at
 *   worst, shows the folded counters twice for that one read.
 *
 * - A pending slot's ptr is its lock: 0 empty, the address pending, the
 *   address | KS_PEND_BUSY taken.  Only the slot's context (on its CPU,
 *   preemption off) fills an empty slot, writing the fields before the
 *   address (release).  Anyone takes a pending slot with cmpxchg() from the
 *   address: to KS_PEND_BUSY, reads the fields, and gives it back empty
 *   (release); the fields do not change while it is not empty.  A reader
 *   or a free of another CPU takes a slot with interrupts off, so that a
 *   free of the same address on its own CPU cannot wait on it; a free that
 *   finds the address busy waits (bounded) for the taker, which records
 *   it, and looks in the table again.  A free on the slot's CPU takes it
 *   with interrupts on, busy too: the slot's context, should it interrupt
 *   that free, finds the slot taken and records its allocation instead.
 *   NMI takes nothing (a free there finds no record).  A reader records
 *   with records from free_list (ks_record_get_shared()), never popping
 *   its CPU's magazine: it is outside the hooks' nesting guard, so an NMI
 *   free on its CPU may push there meanwhile.  During ks_store_reset()
 *   readers record nothing (pend_off, set before a grace period that
 *   waits out readers already at it: they check it with interrupts off).
 * - ks_store_reset() and ks_store_destroy() need the store quiescent: no
 *   record/free path running (the caller pauses the hooks first).  Views
 *   may still read during a reset: it empties each chain under its bucket
 *   lock before it clears a record, so a reader never walks into the free
 *   list.  ks_store_reclassify() takes names_lock (no fold meanwhile).
 * - A record moved by a partial free is unchained under its old bucket
 *   lock and chained under its new one, one lock at a time.
 * - Long loops over the tables (reset, retire, fold, reclassify) run in
 *   process context and reschedule every KS_RESCHED_EVERY slots; a fold
 *   finds each slot's target through an index built once (O(slots)).
 *
 * Chain lengths are bounded in practice by the hash (as many buckets as
 * records); the pool bounds the total.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "compat.h"
#include "store.h"
#include "owner.h"

static inline raw_spinlock_t *ks_bucket_lock(struct ks_store *st,
					     unsigned int b)
{
	return &st->locks[b % KS_NR_LOCKS];
}

/*
 * The tables are as large as the module parameters ask, up to more than a
 * small board's memory: a failure is the caller's to report, without the
 * allocator's warning and backtrace.
 */
static void *ks_table_zalloc(size_t size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
}

/*
 * The record and free paths take their locks with interrupts off, where
 * raw_spin_lock()'s preemption count adds nothing: without lock debugging
 * they take the arch lock inside the raw spinlock, inline, and save two
 * calls into the kernel per lock (a kmalloc pair went from 606.9 to 576.9
 * instructions, an order-0 page pair from 1244.3 to 1216.3, make bench).
 * With lockdep or spinlock debugging they take the raw spinlock, so that
 * the debug kernel checks them.  Every other path takes these locks with
 * raw_spin_lock_irqsave(), which without debugging is the same arch lock.
 */
#if defined(CONFIG_DEBUG_SPINLOCK) || defined(CONFIG_DEBUG_LOCK_ALLOC)
static __always_inline void ks_hot_lock(raw_spinlock_t *lock)
{
	raw_spin_lock(lock);
}

static __always_inline bool ks_hot_trylock(raw_spinlock_t *lock)
{
	return raw_spin_trylock(lock);
}

static __always_inline void ks_hot_unlock(raw_spinlock_t *lock)
{
	raw_spin_unlock(lock);
}
#else
static __always_inline void ks_hot_lock(raw_spinlock_t *lock)
{
	arch_spin_lock(&lock->raw_lock);
}

static __always_inline bool ks_hot_trylock(raw_spinlock_t *lock)
{
	return arch_spin_trylock(&lock->raw_lock);
}

static __always_inline void ks_hot_unlock(raw_spinlock_t *lock)
{
	arch_spin_unlock(&lock->raw_lock);
}
#endif

/* Tries at a busy lock in NMI context: far longer than any holder keeps it. */
#define KS_NMI_LOCK_TRIES	4096

/* In NMI context: only try the lock, a bounded number of times. */
static noinline bool ks_lock_nmi(raw_spinlock_t *lock)
{
	unsigned int i;

	for (i = 0; i < KS_NMI_LOCK_TRIES; i++) {
		if (ks_hot_trylock(lock))
			return true;
		cpu_relax();
	}
	return false;
}

/*
 * Take a lock on the free path, which also runs in kprobe handlers: on
 * x86 a kprobe that is an int3 (not ftrace-based) runs in NMI context,
 * where waiting for a lock that the interrupted code on this CPU may hold
 * would never end.  There, only try the lock (ks_lock_nmi()).
 * Return: false if it stayed busy (the caller gives up and counts it).
 */
static __always_inline bool ks_lock_free_path(raw_spinlock_t *lock)
{
	if (likely(!in_nmi())) {
		ks_hot_lock(lock);
		return true;
	}
	return ks_lock_nmi(lock);
}

/* The page map may span at most this many times the RAM. */
#define KS_PAGE_MAP_HOLES	4

/*
 * The page map covers the page frames the online nodes span at init,
 * where the struct pages of those frames are one array (a virtual one
 * with SPARSEMEM_VMEMMAP), so that a struct page's address gives its
 * index.  Elsewhere there is no map, and every page free is looked up;
 * so too when the span is mostly holes, or the map cannot be allocated
 * (the store works without it, only slower).
 */
static void ks_page_map_alloc(struct ks_store *st)
{
#if defined(CONFIG_SPARSEMEM_VMEMMAP) || defined(CONFIG_FLATMEM)
	unsigned long lo = ULONG_MAX, hi = 0;
	int nid;

	for_each_online_node(nid) {
		if (!node_spanned_pages(nid))
			continue;
		lo = min(lo, node_start_pfn(nid));
		hi = max(hi, node_end_pfn(nid));
	}
	/*
	 * Nodes far apart in the physical address space (a hole of TiBs
	 * between two) would make the map mostly holes: none then.
	 */
	if (hi <= lo || hi - lo > KS_PAGE_MAP_HOLES * totalram_pages())
		return;
	st->page_map = ks_table_zalloc(hi - lo);
	if (!st->page_map)
		return;
	st->page_first = (unsigned long)pfn_to_page(lo);
	st->page_span = hi - lo;
#endif
}

int ks_store_init(struct ks_store *st, unsigned int nr_records,
		  unsigned int max_sites)
{
	unsigned int i;

	if (nr_records < KS_MIN_RECORDS || nr_records > KS_MAX_RECORDS ||
	    max_sites < KS_MIN_SITES || max_sites > KS_MAX_SITES)
		return -EINVAL;

	/* The age of a pending slot is its u8 count wrapping. */
	BUILD_BUG_ON(KS_PEND_AGE != 1U << BITS_PER_TYPE(u8));
	memset(st, 0, sizeof(*st));
	mutex_init(&st->names_lock);
	st->nr_records = nr_records;
	st->bucket_bits = ilog2(roundup_pow_of_two(nr_records));
	st->bucket_shift = BITS_PER_LONG - st->bucket_bits;
	st->max_sites = max_sites;
	st->site_bits = ilog2(roundup_pow_of_two(max_sites)) + 1;
	st->site_shift = BITS_PER_LONG - st->site_bits;

	st->mags = kcalloc(nr_cpu_ids, sizeof(*st->mags), GFP_KERNEL);
	st->records = ks_table_zalloc(array_size(nr_records,
						 sizeof(*st->records)));
	st->buckets = ks_table_zalloc(array_size(1UL << st->bucket_bits,
						 sizeof(*st->buckets)));
	st->sites = ks_table_zalloc(array_size(1UL << st->site_bits,
					       sizeof(*st->sites)));
	/*
	 * Not alloc_percpu(): its 192 bytes moved where the next percpu
	 * allocations land, and made a percpu pair 25 (bench) to 100
	 * (x86_64-6.1) instructions dearer for everyone (make bench).
	 */
	st->pend = kcalloc(nr_cpu_ids, sizeof(*st->pend), GFP_KERNEL);
	ks_page_map_alloc(st);
	if (!st->mags || !st->records || !st->buckets || !st->sites ||
	    !st->pend) {
		ks_store_destroy(st);
		return -ENOMEM;
	}

	for (i = 0; i < KS_NR_LOCKS; i++)
		raw_spin_lock_init(&st->locks[i]);
	raw_spin_lock_init(&st->free_lock);
	ks_store_reset(st);
	return 0;
}

static void ks_free_names(struct ks_store *st)
{
	unsigned int i;

	for (i = 0; i < st->nr_names; i++)
		kfree(st->names[i]);
	kfree(st->names);
	st->names = NULL;
	st->nr_names = 0;
	st->cap_names = 0;
}

/*
 * One copy of each name: takes @name (kmalloc'ed, may be NULL) and returns
 * the copy names[] holds, or NULL if names[] could not grow.
 * Context: process, names_lock held.
 */
static const char *ks_intern_name(struct ks_store *st, const char *name)
{
	const char **v;
	unsigned int i, cap;

	lockdep_assert_held(&st->names_lock);
	if (!name)
		return NULL;
	for (i = 0; i < st->nr_names; i++) {
		if (!strcmp(st->names[i], name)) {
			kfree(name);
			return st->names[i];
		}
	}
	if (st->nr_names == st->cap_names) {
		cap = max(16U, 2 * st->cap_names);
		v = ks_compat_krealloc_array(st->names, cap, sizeof(*v),
					     GFP_KERNEL | __GFP_NOWARN);
		if (!v) {
			kfree(name);
			return NULL;
		}
		st->names = v;
		st->cap_names = cap;
	}
	st->names[st->nr_names++] = name;
	return name;
}

/* Slots, buckets or records handled between two cond_resched() calls. */
#define KS_RESCHED_EVERY	4096

/**
 * ks_store_reset - forget every record, site and counter
 * @st: the store
 *
 * Context: process; the store must be quiescent (no hook running), but
 * views may be reading it.  Every chain is emptied under its bucket lock
 * first, so that a reader walking a chain never follows a record into the
 * free list being rebuilt; only then are the records cleared.
 */
void ks_store_reset(struct ks_store *st)
{
	unsigned int i, k, nb = 1U << st->bucket_bits;
	unsigned long flags;

	/*
	 * Readers record pending allocations (ks_pend_settle(), interrupts
	 * off): none from here on, and none still at it past the grace
	 * period.  The hooks are paused already (their caller's job).
	 */
	WRITE_ONCE(st->pend_off, true);
	synchronize_rcu();
	/* Names stay: a view opened before the reset may still print them. */
	mutex_lock(&st->names_lock);
	for (i = 0; i < nb; i++) {
		raw_spinlock_t *lock = ks_bucket_lock(st, i);

		raw_spin_lock_irqsave(lock, flags);
		st->buckets[i] = NULL;
		raw_spin_unlock_irqrestore(lock, flags);
		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
	}
	/* No record is reachable now; the free list is the hooks' only. */
	for (k = 0; k < nr_cpu_ids; k++) {
		struct ks_mag *m = &st->mags[k];

		m->head = NULL;
		m->count = 0;
	}
	/* Nothing pending: forgotten with the records. */
	memset(st->pend, 0, nr_cpu_ids * sizeof(*st->pend));
	for (i = 0; i < KS_PEND_FILTER; i++)
		atomic_set(&st->pend_pages[i], 0);
	if (st->page_span)
		memset(st->page_map, 0, st->page_span);
	WRITE_ONCE(st->pend_off, false);
	for (i = 0; i < st->nr_records; i++) {
		memset(&st->records[i], 0, sizeof(st->records[i]));
		st->records[i].next = i + 1 < st->nr_records ?
				      &st->records[i + 1] : NULL;
		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
	}
	st->free_list = &st->records[0];
	memset(st->sites, 0, sizeof(*st->sites) << st->site_bits);
	atomic_set(&st->sites_used, 0);
	mutex_unlock(&st->names_lock);
	atomic_long_set(&st->sites_folded, 0);
	atomic_long_set(&st->records_used, 0);
	atomic_long_set(&st->records_peak, 0);
	atomic_long_set(&st->drop_pool_full, 0);
	atomic_long_set(&st->drop_sites_full, 0);
	atomic_long_set(&st->missed_frees, 0);
	atomic_long_set(&st->drop_nmi_busy, 0);
	atomic_long_set(&st->part_frees, 0);
	atomic_long_set(&st->over_frees, 0);
	atomic_long_set(&st->splits, 0);
	for (k = 0; k < KS_NR_KINDS; k++) {
		atomic_long_set(&st->untracked_frees[k], 0);
		atomic_long_set(&st->kind_live[k], 0);
		atomic_long_set(&st->kind_peak[k], 0);
	}
	for (k = 0; k < KS_NR_CLASSES; k++)
		atomic_long_set(&st->not_recorded[k], 0);
}

void ks_store_destroy(struct ks_store *st)
{
	if (st->sites)
		ks_free_names(st);
	vfree(st->sites);
	vfree(st->buckets);
	vfree(st->records);
	kfree(st->mags);
	kfree(st->pend);
	vfree(st->page_map);
	st->page_map = NULL;
	st->page_span = 0;
	st->pend = NULL;
	st->sites = NULL;
	st->buckets = NULL;
	st->records = NULL;
	st->mags = NULL;
}

static inline unsigned int ks_site_hash(struct ks_store *st,
					unsigned long key, u8 kind)
{
	return ks_hash(key ^ kind, st->site_shift);
}

/* A slot's counters, name and state back to those of an empty slot. */
static void ks_site_clear(struct ks_site *s)
{
	atomic_long_set(&s->live_bytes, 0);
	atomic_long_set(&s->live_req, 0);
	atomic_long_set(&s->allocs, 0);
	atomic_long_set(&s->frees, 0);
	atomic_long_set(&s->peak_bytes, 0);
	s->name = NULL;
	s->retired = KS_LIVE;
	s->class = KS_CLASS_OBJECT;
	s->hint = 0;
	s->stacks = false;
}

/*
 * Claim slot @s, whose key is @old (0 or KS_SITE_TOMB), for (key, kind).
 * Return: 0; -ENOSPC if the table is full; -EBUSY if another CPU took the
 * slot first.
 */
static int ks_site_claim(struct ks_store *st, struct ks_site *s,
			 unsigned long old, unsigned long key, u8 kind, u8 hint)
{
	bool stacks = false;

	if (atomic_inc_return(&st->sites_used) > st->max_sites) {
		atomic_dec(&st->sites_used);
		return -ENOSPC;
	}
	if (cmpxchg(&s->key, old, key) != old) {
		atomic_dec(&st->sites_used);
		return -EBUSY;
	}
	/*
	 * Nobody else writes a slot that is unpublished (kind 0) and holds
	 * nothing live: start it clean, whatever it held before.
	 */
	ks_site_clear(s);
	s->hint = hint;
	if (st->classify)
		s->class = st->classify(key, kind, hint, &stacks);
	s->stacks = stacks;
	/* Pairs with the acquire in lookups and copies. */
	smp_store_release(&s->kind, kind + 1);
	return 0;
}

/*
 * Find or, if @claim, claim the site slot for (key, kind).  Lock-free; may
 * fail when full.  A slot is published in two steps: the key (cmpxchg),
 * then the kind (release); lookups wait for neither: a slot whose kind is
 * not yet set does not match, and the probe goes on (at worst a duplicate
 * slot).  A given-back slot (KS_SITE_TOMB) is taken only once the probe
 * reached the end of the key's sequence (an empty slot, or the last probe)
 * without finding the key.  The record path calls it only when the key's
 * first slot is not the key's (ks_site_get()); so does a pending
 * allocation's free (ks_unstash()), which claims nothing.
 */
static noinline struct ks_site *ks_site_probe(struct ks_store *st,
					      unsigned long key, u8 kind,
					      u8 hint, bool claim)
{
	unsigned int mask = (1U << st->site_bits) - 1;
	unsigned int i = ks_site_hash(st, key, kind);
	unsigned int n, tomb = UINT_MAX;
	int ret;

	for (n = 0; n < KS_SITE_PROBES; n++, i = (i + 1) & mask) {
		struct ks_site *s = &st->sites[i];
		unsigned long k = READ_ONCE(s->key);

		if (k == KS_SITE_TOMB) {
			if (tomb == UINT_MAX)
				tomb = i;
			continue;
		}
		if (k == 0) {
			if (!claim)
				return NULL;
			ret = -EBUSY;
			if (tomb != UINT_MAX)
				ret = ks_site_claim(st, &st->sites[tomb],
						    KS_SITE_TOMB, key, kind, hint);
			if (!ret)
				return &st->sites[tomb];
			if (ret == -EBUSY)
				ret = ks_site_claim(st, s, 0, key, kind, hint);
			if (!ret)
				return s;
			if (ret == -ENOSPC)
				return NULL;
			/* Taken meanwhile: perhaps by this very key. */
			k = READ_ONCE(s->key);
		}
		if (k != key)
			continue;
		/*
		 * kind is stored plus one, so that 0 means "being claimed".
		 * Acquire: the class is set before the kind.
		 */
		if (smp_load_acquire(&s->kind) != kind + 1)
			continue;
		/* Acquire: pairs with the release in ks_store_retire_sites(). */
		if (smp_load_acquire(&s->retired))
			continue;
		/*
		 * Folded and taken by another key since the key was read?
		 * The acquire of the kind orders this read after that claim.
		 */
		if (READ_ONCE(s->key) != key)
			continue;
		return s;
	}
	if (claim && tomb != UINT_MAX &&
	    !ks_site_claim(st, &st->sites[tomb], KS_SITE_TOMB, key, kind,
			   hint))
		return &st->sites[tomb];
	return NULL;
}

/*
 * The same, inlined in the record path for the common case: the key's
 * first slot holds it (ks_site_first(), which finds only that, and claims
 * nothing).  Anything else (a probe, a claim) is the loop's.
 */
static __always_inline bool ks_site_is(struct ks_site *s, unsigned long key,
				       u8 kind)
{
	/* The loop's checks, in its order (see there). */
	if (READ_ONCE(s->key) != key)
		return false;
	/* Acquire: the class is set before the kind (ks_site_claim()). */
	if (smp_load_acquire(&s->kind) != kind + 1)
		return false;
	/* Acquire: pairs with the release in ks_store_retire_sites(). */
	if (smp_load_acquire(&s->retired))
		return false;
	return likely(READ_ONCE(s->key) == key);
}

static __always_inline bool ks_site_first(struct ks_store *st,
					  unsigned long key, u8 kind,
					  struct ks_site **site)
{
	*site = &st->sites[ks_site_hash(st, key, kind)];
	return ks_site_is(*site, key, kind);
}

static __always_inline struct ks_site *ks_site_get(struct ks_store *st,
						   unsigned long key, u8 kind,
						   u8 hint)
{
	struct ks_site *s;

	if (likely(ks_site_first(st, key, kind, &s)))
		return s;
	return ks_site_probe(st, key, kind, hint, true);
}

static inline u8 ks_site_kind(const struct ks_site *s)
{
	return READ_ONCE(s->kind) - 1;
}

/* Take record @r's bytes off its site.  Inlined: it is on every free. */
static __always_inline void ks_site_account_free(struct ks_store *st,
						 struct ks_record *r)
{
	struct ks_site *s = &st->sites[r->site];

	atomic_long_sub(r->bytes_alloc, &st->kind_live[ks_site_kind(s)]);
	atomic_long_sub(r->bytes_alloc, &s->live_bytes);
	atomic_long_sub(r->bytes_req, &s->live_req);
	/*
	 * The subtractions before the count: a fold that reads frees with
	 * acquire and finds nothing live sees them done (weakly ordered CPUs).
	 */
	smp_mb__before_atomic();
	atomic_long_inc(&s->frees);
}

static void ks_update_peak(atomic_long_t *peak, long v)
{
	long old = atomic_long_read(peak);

	while (v > old) {
		long prev = atomic_long_cmpxchg(peak, old, v);

		if (prev == old)
			break;
		old = prev;
	}
}

/* This CPU's magazine.  Context: preemption off. */
static __always_inline struct ks_mag *ks_mag_this(struct ks_store *st)
{
	return &st->mags[smp_processor_id()];
}

/*
 * Pop a record off magazine @m.  Context: @m's CPU, interrupts off, no
 * other magazine operation of this CPU running (the hooks' nesting guard;
 * the KUnit suites' own threads).  Another CPU may take the whole list
 * meanwhile (ks_mag_steal()): then the cmpxchg() fails, and the list is
 * empty.  No ABA: only this CPU adds to @m, so a record taken from the head
 * cannot come back there before this pop ends.
 */
static __always_inline struct ks_record *ks_mag_pop(struct ks_mag *m)
{
	struct ks_record *r = READ_ONCE(m->head), *old;

	while (r) {
		old = cmpxchg(&m->head, r, READ_ONCE(r->next));
		if (old == r) {
			if (m->count)
				m->count--;
			break;
		}
		r = old;
	}
	return r;
}

/* Push @r on magazine @m.  Context: as ks_mag_pop(). */
static __always_inline void ks_mag_push(struct ks_mag *m, struct ks_record *r)
{
	struct ks_record *old = READ_ONCE(m->head), *prev;

	for (;;) {
		WRITE_ONCE(r->next, old);
		prev = cmpxchg(&m->head, old, r);
		if (prev == old)
			break;
		old = prev;
	}
	m->count++;
}

/*
 * Give magazine @m's records back to free_list, all at once.
 * Context: as ks_mag_pop(), free_lock held.
 */
static void ks_mag_spill_locked(struct ks_store *st, struct ks_mag *m)
{
	struct ks_record *list = xchg(&m->head, NULL), *tail;

	m->count = 0;
	if (!list)
		return;
	for (tail = list; tail->next; tail = tail->next)
		;
	tail->next = st->free_list;
	st->free_list = list;
}

/*
 * The pool has nothing on free_list: take another CPU's magazine whole,
 * keep one record and put the rest in @m (empty).  Bounded: one xchg() a
 * possible CPU, only while the pool is dry.  Context: as ks_mag_pop().
 */
static struct ks_record *ks_mag_steal(struct ks_store *st, struct ks_mag *m)
{
	unsigned int cpu, self = smp_processor_id();
	struct ks_record *list;

	for_each_possible_cpu(cpu) {
		if (cpu == self)
			continue;
		list = xchg(&st->mags[cpu].head, NULL);
		if (!list)
			continue;
		/* How many came is not known: the next spill tells. */
		smp_store_release(&m->head, list->next);
		m->count = KS_MAG_MAX;
		return list;
	}
	return NULL;
}

/*
 * A record for this CPU: from its magazine (ks_record_get(), inlined),
 * else KS_MAG_BATCH more from free_list (ks_record_refill()), else another
 * CPU's magazine.  Context: as ks_mag_pop(); in
 * NMI context free_lock is only tried.  Return: NULL when no record is
 * left anywhere (or free_lock stayed busy in NMI context).
 */
static noinline struct ks_record *ks_record_refill(struct ks_store *st,
						   struct ks_mag *m)
{
	struct ks_record *r, *last;
	unsigned int n;

	if (!ks_lock_free_path(&st->free_lock))
		return NULL;
	r = st->free_list;
	if (!r) {
		ks_hot_unlock(&st->free_lock);
		return ks_mag_steal(st, m);
	}
	for (n = 0, last = r; n < KS_MAG_BATCH && last->next; n++)
		last = last->next;
	st->free_list = last->next;
	last->next = NULL;
	ks_hot_unlock(&st->free_lock);
	/* @m is empty, and only this CPU adds to it. */
	smp_store_release(&m->head, r->next);
	m->count = n;
	return r;
}

static __always_inline struct ks_record *ks_record_get(struct ks_store *st)
{
	struct ks_mag *m = ks_mag_this(st);
	struct ks_record *r = ks_mag_pop(m);

	return likely(r) ? r : ks_record_refill(st, m);
}

/*
 * A record for a path outside the hooks' nesting guard (a reader recording
 * what is pending), which must not pop or refill this CPU's magazine: an
 * NMI free on this CPU may push to it meanwhile.  From free_list, else
 * from a magazine taken whole with xchg() (safe against its CPU's pops and
 * pushes, as ks_mag_steal()) and put on free_list first.
 * Context: interrupts off, not NMI.  Return: NULL when the pool is empty.
 */
static noinline struct ks_record *ks_record_get_shared(struct ks_store *st)
{
	struct ks_record *r, *tail;
	unsigned int cpu;

	raw_spin_lock(&st->free_lock);
	for_each_possible_cpu(cpu) {
		if (st->free_list)
			break;
		r = xchg(&st->mags[cpu].head, NULL);
		if (!r)
			continue;
		for (tail = r; tail->next; tail = tail->next)
			;
		st->free_list = r;
	}
	r = st->free_list;
	if (r)
		st->free_list = r->next;
	raw_spin_unlock(&st->free_lock);
	return r;
}

/*
 * Take a record from the pool and chain it in bucket @b for @ptr; the
 * caller fills the rest.  @guarded: inside the hooks' guard (or a KUnit
 * thread), so this CPU's magazine is used; else ks_record_get_shared().
 * Context: bucket @b's lock held, as ks_mag_pop();
 * in NMI context free_lock is only tried.  Return: the record, or NULL
 * when the pool is empty (or free_lock stayed busy in NMI context).
 */
static __always_inline struct ks_record *ks_record_take(struct ks_store *st,
							unsigned int b,
							unsigned long ptr,
							bool guarded)
{
	struct ks_record *r = guarded ? ks_record_get(st) :
					ks_record_get_shared(st);

	if (!r)
		return NULL;
	r->ptr = ptr;
	r->next = st->buckets[b];
	st->buckets[b] = r;
	ks_update_peak(&st->records_peak,
		       atomic_long_inc_return(&st->records_used));
	return r;
}

/*
 * Unchain record @r (*pp points at it) and give it back to the pool: to
 * this CPU's magazine, which goes back to free_list whole once it holds
 * KS_MAG_MAX.  Context: its bucket lock held, as ks_mag_pop(); in NMI
 * context free_lock is only tried.  Return: false, and nothing changed,
 * if free_lock stayed busy.
 */
static __always_inline bool ks_record_put(struct ks_store *st,
					  struct ks_record **pp,
					  struct ks_record *r)
{
	struct ks_mag *m = ks_mag_this(st);

	if (unlikely(m->count >= KS_MAG_MAX)) {
		if (!ks_lock_free_path(&st->free_lock))
			return false;
		ks_mag_spill_locked(st, m);
		ks_hot_unlock(&st->free_lock);
	}
	*pp = r->next;
	ks_site_account_free(st, r);
	r->ptr = 0;
	/*
	 * Uncount the record before another CPU can take it: records_used
	 * (and so records_peak) never exceeds the pool.
	 */
	atomic_long_dec(&st->records_used);
	ks_mag_push(m, r);
	return true;
}

/* A record's task name outside task context: 1 softirq, 2 hardirq, else other. */
static const char *ks_ctx_label(unsigned int ctx)
{
	return ctx == 2 ? "[hardirq]" : ctx == 1 ? "[softirq]" : "[atomic]";
}

/*
 * Pending @p's allocation and its free, counted on site @s as recording it
 * and freeing the record would have: allocs and frees, and the peaks it
 * would have reached; records_used never held it.
 */
static __always_inline void ks_pend_pair_kind(struct ks_store *st,
					      struct ks_site *s,
					      const struct ks_pend *p, u8 kind)
{
	atomic_long_inc(&s->allocs);
	ks_update_peak(&s->peak_bytes,
		       atomic_long_read(&s->live_bytes) + p->bytes_alloc);
	ks_update_peak(&st->kind_peak[kind],
		       atomic_long_read(&st->kind_live[kind]) +
		       p->bytes_alloc);
	/* As ks_site_account_free(): the count after what it orders. */
	smp_mb__before_atomic();
	atomic_long_inc(&s->frees);
}

static __always_inline void ks_pend_pair(struct ks_store *st,
					 struct ks_site *s,
					 const struct ks_pend *p)
{
	ks_pend_pair_kind(st, s, p, p->kind);
}

/*
 * Count @n allocations of a site of @class, which records none: not
 * vmalloc's pages while the vmalloc hook counts them per area (above).
 */
static __always_inline void ks_count_unrecorded(struct ks_store *st,
						u8 class, unsigned long n)
{
	if (class != KS_CLASS_VMALLOC || !READ_ONCE(st->vmalloc_by_area))
		atomic_long_add(n, &st->not_recorded[class]);
}

/*
 * Record @a at its site @s (index @idx): made now, or, for a pending
 * allocation (@from), when and by whom @from says.  Inlined in
 * ks_store_alloc_do().
 */
static __always_inline int ks_record_at(struct ks_store *st,
					struct ks_site *s, u32 idx,
					const struct ks_alloc *a,
					const struct ks_pend *from, bool guarded)
{
	unsigned int b = ks_bucket(st, a->ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r;

	if (READ_ONCE(s->class) != KS_CLASS_OBJECT) {
		ks_count_unrecorded(st, READ_ONCE(s->class), 1);
		return -EAGAIN;
	}

	ks_hot_lock(lock);
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == a->ptr)
			break;
	if (r && from) {
		/*
		 * Recorded since the pending allocation was made (the stash
		 * looked): it is the pending one whose free was not seen, or
		 * whose address was taken over (a DMA buffer recorded at its
		 * struct page).  Its pair is counted, the record kept.
		 */
		ks_pend_pair(st, s, from);
		ks_hot_unlock(lock);
		atomic_long_inc(&st->missed_frees);
		return 0;
	}
	if (r) {
		/*
		 * The address is live again, so its free was not seen (an
		 * untraced path, or a free while paused): retire the old
		 * record into its site and reuse it.
		 */
		ks_site_account_free(st, r);
		atomic_long_inc(&st->missed_frees);
	} else {
		r = ks_record_take(st, b, a->ptr, guarded);
		if (!r) {
			ks_hot_unlock(lock);
			atomic_long_inc(&st->drop_pool_full);
			return -ENOSPC;
		}
	}
	/* The kinds whose records may be at a struct page. */
	if (a->kind == KS_PAGE || a->kind == KS_DMA)
		ks_page_mark(st, a->ptr, 1);
	r->site = idx;
	r->bytes_alloc = min_t(size_t, a->bytes_alloc, U32_MAX);
	r->bytes_req = min_t(size_t, a->bytes_req, U32_MAX);
	r->gfp = a->gfp;
	r->stack = a->stack;
	if (from) {
		r->ts = from->ts;
		r->pid = from->pid;
		memcpy(r->comm, from->comm, sizeof(r->comm));
	} else {
		r->ts = ks_store_stamp(st);
		if (in_task()) {
			r->pid = current->pid;
			memcpy(r->comm, current->comm, sizeof(r->comm));
			r->comm[sizeof(r->comm) - 1] = '\0';
		} else {
			r->pid = 0;
			strscpy(r->comm,
				ks_ctx_label(ks_compat_in_hardirq() ? 2 :
					     in_serving_softirq() ? 1 : 3),
				sizeof(r->comm));
		}
	}
	atomic_long_add(r->bytes_alloc, &s->live_bytes);
	atomic_long_add(r->bytes_req, &s->live_req);
	atomic_long_inc(&s->allocs);
	ks_update_peak(&s->peak_bytes, atomic_long_read(&s->live_bytes));
	ks_update_peak(&st->kind_peak[a->kind],
		       atomic_long_add_return(r->bytes_alloc,
					      &st->kind_live[a->kind]));
	ks_hot_unlock(lock);
	return 0;
}

/*
 * Find or claim @a's site and record @a there; when @stack is given and
 * the site wants backtraces (ks_classify_fn), @a's stack is @stack(@arg).
 * Inlined in both entry points: as a call of its own, the site lookup
 * cost 30 more instructions per kmalloc pair (make bench).
 */
static __always_inline int ks_store_alloc_do(struct ks_store *st,
					     struct ks_alloc *a,
					     ks_stack_fn stack, void *arg,
					     const struct ks_pend *from,
					     bool guarded)
{
	struct ks_site *s;

	lockdep_assert_irqs_disabled();

	s = ks_site_get(st, a->call_site, a->kind, a->hint);
	if (!s) {
		atomic_long_inc(&st->drop_sites_full);
		return -ENOSPC;
	}
	if (stack && READ_ONCE(s->stacks) &&
	    READ_ONCE(s->class) == KS_CLASS_OBJECT)
		a->stack = stack(arg);
	return ks_record_at(st, s, s - st->sites, a, from, guarded);
}

/**
 * ks_store_alloc - record a live allocation
 * @st: the store
 * @a: the allocation: address (not 0), call site, bytes requested and
 *     allocated, gfp flags, stack id and allocator
 *
 * Context: any but NMI, interrupts disabled; does not sleep or allocate.
 * Return: 0 when recorded; -ENOSPC when the pool or the site table is full
 * (counted); -EAGAIN when the site's class is not recorded (counted).
 */
int ks_store_alloc(struct ks_store *st, struct ks_alloc *a)
{
	return ks_store_alloc_do(st, a, NULL, NULL, NULL, true);
}

/**
 * ks_store_alloc_obj - record a live allocation: the lean form
 * @st: the store
 * @ptr: its address (not 0)
 * @call_site: its call site
 * @req: bytes requested
 * @alloc: bytes allocated
 * @gfp: its gfp flags
 * @kind: its allocator
 * @hint: its KS_HINT_*
 *
 * ks_store_alloc() for an allocation without a stack id (stacks off):
 * the arguments in registers, and no struct ks_alloc built on the
 * caller's stack.
 * Context and return: as ks_store_alloc().
 */
int ks_store_alloc_obj(struct ks_store *st, unsigned long ptr,
		       unsigned long call_site, size_t req, size_t alloc,
		       gfp_t gfp, u8 kind, u8 hint)
{
	struct ks_alloc a = {
		.ptr = ptr, .call_site = call_site, .bytes_req = req,
		.bytes_alloc = alloc, .gfp = (__force u32)gfp, .kind = kind,
		.hint = hint,
	};

	return ks_store_alloc_do(st, &a, NULL, NULL, NULL, true);
}

/**
 * ks_store_alloc_stack - record a live allocation, with a backtrace if its
 *	site wants one
 * @st: the store
 * @a: the allocation, as for ks_store_alloc(); its stack is set when the
 *     site's classification asked for backtraces (stacks on for one module)
 * @stack: takes the backtrace and returns its stack id (or 0); called
 *	   with interrupts disabled, once the site is known
 * @arg: for @stack
 *
 * Context: as ks_store_alloc().  Return: as ks_store_alloc().
 */
int ks_store_alloc_stack(struct ks_store *st, struct ks_alloc *a,
			 ks_stack_fn stack, void *arg)
{
	return ks_store_alloc_do(st, a, stack, arg, NULL, true);
}

/**
 * ks_store_count_unrecorded - count allocations of a site that records none
 * @st: the store
 * @key: the site's call site
 * @kind: its allocator
 * @hint: as in struct ks_alloc
 * @n: how many allocations were made there
 *
 * Finds or claims (and so classifies) the site.  When its class is not
 * recorded, the @n allocations are counted in not_recorded[] at once, as
 * @n calls of ks_store_alloc() would count them (vmalloc's pages are not:
 * ks_count_unrecorded()).
 * Context: as ks_store_alloc().
 * Return: the site's class; KS_CLASS_OBJECT (nothing counted: record each
 * allocation) also when the site table is full.
 */
u8 ks_store_count_unrecorded(struct ks_store *st, unsigned long key, u8 kind,
			     u8 hint, unsigned long n)
{
	struct ks_site *s;
	u8 class;

	lockdep_assert_irqs_disabled();

	s = ks_site_get(st, key, kind, hint);
	if (!s)
		return KS_CLASS_OBJECT;
	class = READ_ONCE(s->class);
	if (class != KS_CLASS_OBJECT)
		ks_count_unrecorded(st, class, n);
	return class;
}

/* ---- pending allocations ----------------------------------------------- */

/* ks_store_free_do()'s @pend. */
#define KS_FREE_NO_PEND		0
#define KS_FREE_PEND		1
#define KS_FREE_PEND_PAGE	2

/* Waits for a pending address another CPU is taking (far over its work). */
#define KS_PEND_SPINS		BIT(20)

/*
 * Give taken slot @p back empty: its fields were read, it may stash again.
 * A page's counter goes down first, after whatever recorded it (a free
 * that then finds it 0 sees pend_recorded moved: ks_store_free_do()).
 */
static __always_inline void __ks_pend_done(struct ks_store *st,
					   struct ks_pend *p, bool page)
{
	if (page) {
		/* After pend_recorded (ks_pend_record()): see ks_pend_none(). */
		smp_mb__before_atomic();
		atomic_dec(&st->pend_pages[p->filter]);
	}
	/* Pairs with the READ_ONCE() and cmpxchg() of the slot's next user. */
	smp_store_release(&p->ptr, 0);
}

static __always_inline void ks_pend_done(struct ks_store *st,
					 struct ks_pend *p)
{
	__ks_pend_done(st, p, p->kind == KS_PAGE);
}

/*
 * Count taken slot @p's pair on site @s (may be NULL), @ptr its address,
 * and empty the slot; or, without a site that records objects, give the
 * slot back for the table's way.  Return: true when counted.
 */
static __always_inline bool ks_unstash_at(struct ks_store *st,
					  struct ks_pend *p, unsigned long ptr,
					  struct ks_site *s, bool page)
{
	if (unlikely(!s || READ_ONCE(s->class) != KS_CLASS_OBJECT)) {
		/* A site to claim, or not recorded: the table's way. */
		smp_store_release(&p->ptr, ptr);
		return false;
	}
	if (page)
		ks_pend_pair_kind(st, s, p, KS_PAGE);
	else
		ks_pend_pair(st, s, p);
	__ks_pend_done(st, p, page);
	return true;
}

/*
 * ks_unstash() for a site past its first slot (another key's first is
 * there): out of line, so that the common case calls nothing and saves no
 * registers (5 instructions of a kmalloc pair, make bench's quick run).
 */
static noinline bool ks_unstash_probe(struct ks_store *st, struct ks_pend *p,
				      unsigned long ptr, u8 kind, bool page)
{
	p->site = ks_site_probe(st, p->call_site, kind, 0, false);
	return ks_unstash_at(st, p, ptr, p->site, page);
}

/*
 * ks_store_unstash() and ks_store_unstash_page(): @page, a constant, says
 * which; the slot of a page free holds a page (a struct page is never a
 * slab object's address), and a slab free's a slab object.
 */
static __always_inline bool ks_unstash(struct ks_store *st, struct ks_pend *p,
				       unsigned long ptr, bool page)
{
	struct ks_site *s;
	u8 kind;

	/* A reader or the slot's context took it first: the table's way. */
	if (cmpxchg(&p->ptr, ptr, ptr | KS_PEND_BUSY) != ptr)
		return false;
	kind = page ? KS_PAGE : p->kind;
	/*
	 * The slot's last site first (the slot is taken: only this runs on
	 * it): a loop's pairs skip the hash, and a site past its first slot
	 * the probe.  A pointer into the table stays valid; the checks say
	 * whether it is still that site.
	 */
	s = p->site;
	if (likely(s && ks_site_is(s, p->call_site, kind)))
		return ks_unstash_at(st, p, ptr, s, page);
	if (unlikely(!ks_site_first(st, p->call_site, kind, &s)))
		return ks_unstash_probe(st, p, ptr, kind, page);
	p->site = s;
	return ks_unstash_at(st, p, ptr, s, page);
}

/**
 * ks_store_unstash - a slab free of a pending allocation of this CPU's
 * @st: the store
 * @p: the slot that holds it (ks_store_pending())
 * @ptr: address being freed
 *
 * When @p's site is in the table and records objects, the pair is
 * counted (ks_pend_pair()) and the slot emptied.  Otherwise
 * nothing changes, and the free goes the table's way (ks_store_free(),
 * which also finds a pending allocation of another CPU).  The slot may be
 * another context's of this CPU: it is taken busy, so that its context,
 * should it interrupt this one, does not write it meanwhile.
 * Context: as ks_store_stash(), or NMI.
 * Return: true when the free is done.
 */
bool ks_store_unstash(struct ks_store *st, struct ks_pend *p,
		      unsigned long ptr)
{
	return ks_unstash(st, p, ptr, false);
}

/**
 * ks_store_unstash_page - ks_store_unstash() for a single page's free
 * @st: the store
 * @p: the slot that holds it (ks_store_pending())
 * @ptr: its struct page
 *
 * Context and return: as ks_store_unstash().
 */
bool ks_store_unstash_page(struct ks_store *st, struct ks_pend *p,
			   unsigned long ptr)
{
	return ks_unstash(st, p, ptr, true);
}

/*
 * Take pending slot @p, which held @v (not busy), for its allocation to
 * be recorded or counted: KS_PEND_BUSY set, so that neither its context
 * nor another taker uses it, until ks_pend_done().  Context: interrupts
 * off (a free of @v on this CPU, which would wait for the slot, cannot
 * come in meanwhile), not NMI.
 */
static bool ks_pend_claim(struct ks_pend *p, unsigned long v)
{
	return cmpxchg(&p->ptr, v, v | KS_PEND_BUSY) == v;
}

/*
 * Record taken slot @p's allocation @v in the table, with its stamp and
 * task; @guarded as for ks_record_take().  Context: as ks_pend_claim().
 */
static void ks_pend_record(struct ks_store *st, struct ks_pend *p,
			   unsigned int ctx, unsigned long v, bool guarded)
{
	struct ks_pend from = *p;
	struct ks_alloc a = {
		.ptr = v, .call_site = from.call_site,
		.bytes_req = from.bytes_req, .bytes_alloc = from.bytes_alloc,
		.gfp = from.gfp, .kind = from.kind,
		.hint = ks_alloc_hint(from.kind, from.gfp),
	};

	if (ctx) {
		from.pid = 0;
		strscpy(from.comm, ks_ctx_label(ctx), sizeof(from.comm));
	} else {
		from.comm[sizeof(from.comm) - 1] = '\0';
	}
	ks_store_alloc_do(st, &a, NULL, NULL, &from, guarded);
	/*
	 * Counted after the record is in the table and before the slot is
	 * given back (ks_pend_done(), release): a free that finds the slot
	 * empty then sees the count moved, and looks in the table again.
	 */
	smp_mb__before_atomic();
	atomic_long_inc(&st->pend_recorded);
}

/**
 * ks_store_stash_swap - ks_store_stash() when the slot is taken
 * @st: the store
 * @ptr: its address
 * @call_site: its call site
 * @req: bytes requested
 * @alloc: bytes allocated
 * @gfp: its gfp flags
 * @kind: its allocator
 *
 * The slot's allocation lived past KS_PEND_AGE allocations made in its
 * slot's context; it is recorded in the table, and the new one pending in
 * its place.  When another CPU is taking the slot's, or the table holds the
 * new address, the new one is recorded instead.
 * Context: as ks_store_alloc() (interrupts off, the hooks' guard).
 * Return: 0 when pending, else as ks_store_alloc().
 */
int ks_store_stash_swap(struct ks_store *st, unsigned long ptr,
			unsigned long call_site, size_t req, size_t alloc,
			gfp_t gfp, u8 kind)
{
	unsigned int ctx = ks_pend_ctx();
	struct ks_pend *p = &st->pend[smp_processor_id()].p[ctx];
	unsigned long v = READ_ONCE(p->ptr);

	if (v && !(v & KS_PEND_BUSY) && ks_pend_claim(p, v)) {
		ks_pend_record(st, p, ctx, v, true);
		ks_pend_done(st, p);
		if (ks_pend_fill(st, p, ctx, ptr, call_site, req, alloc, gfp,
				 kind))
			return 0;
	}
	return ks_store_alloc_obj(st, ptr, call_site, req, alloc, gfp, kind,
				  ks_alloc_hint(kind, (__force u32)gfp));
}

/* Wait (bounded) while slot @p still holds @v, busy: being taken. */
static void ks_pend_wait(struct ks_pend *p, unsigned long v)
{
	unsigned int spins;

	for (spins = 0; spins < KS_PEND_SPINS && READ_ONCE(p->ptr) == v;
	     spins++)
		cpu_relax();
}

/*
 * Record every pending allocation (@ptr 0), or the one at @ptr (waiting
 * for another taker of it).  Records come from free_list, not from this
 * CPU's magazine: the callers are outside the hooks' nesting guard.  Not
 * while a reset clears the store (pend_off).
 * Context: any but NMI.  Return: how many were recorded (or waited for:
 * look again).
 */
static unsigned int ks_pend_settle(struct ks_store *st, unsigned long ptr)
{
	unsigned int cpu, ctx, n = 0;
	unsigned long flags;

	for_each_possible_cpu(cpu) {
		struct ks_pend_cpu *pc = &st->pend[cpu];

		for (ctx = 0; ctx < KS_PEND_CTXS; ctx++) {
			struct ks_pend *p = &pc->p[ctx];
			unsigned long v = READ_ONCE(p->ptr);

			if (!v || (ptr && (v & ~KS_PEND_BUSY) != ptr) ||
			    (!ptr && (v & KS_PEND_BUSY)))
				continue;
			local_irq_save(flags);
			/* Checked with interrupts off: see ks_store_reset(). */
			if (READ_ONCE(st->pend_off)) {
				local_irq_restore(flags);
				return n;
			}
			if (v & KS_PEND_BUSY) {
				/* Another is taking @ptr: wait, then look again. */
				ks_pend_wait(p, v);
				n++;
			} else if (ks_pend_claim(p, v)) {
				ks_pend_record(st, p, ctx, v, false);
				ks_pend_done(st, p);
				n++;
			}
			local_irq_restore(flags);
		}
	}
	return n;
}

/**
 * ks_store_settle - record every pending allocation in the table
 * @st: the store
 *
 * The read entry points that walk the table or the sites call it first;
 * a caller that reads sites one by one (ks_store_read_site()) calls it
 * before its walk.  Allocations stashed after it returns are pending
 * again: at most KS_PEND_CTXS per CPU, as with any live view.
 * Context: any but NMI; takes bucket locks with interrupts off.
 */
void ks_store_settle(struct ks_store *st)
{
	if (!in_nmi())
		ks_pend_settle(st, 0);
}

enum ks_pend_found {
	KS_PEND_NONE,		/* not pending */
	KS_PEND_TAKEN,		/* pending: its pair is counted */
	KS_PEND_UNRECORDED,	/* pending, at a site that records none */
	KS_PEND_AGAIN,		/* being recorded: look in the table again */
};

/*
 * A free that found no record: was @ptr pending on some CPU or context?
 * Taken, its pair is counted as ks_store_unstash() would, with the site
 * found or claimed and its class respected as the record path would: at
 * a site that records none the allocation is counted there (or as a
 * full table), and the free is the caller's to count as one without a
 * record.  A free of more @bytes than it holds (a page freed with a higher
 * order) is counted in over_frees, as the table's path counts it; it never
 * holds more (one page, or a slab object: @bytes 0).  Being taken by
 * another CPU (a reader recording it): wait for that, and look in the
 * table again.  Context: the free path's, not NMI.
 */
static noinline enum ks_pend_found ks_pend_take(struct ks_store *st,
						unsigned long ptr,
						size_t bytes)
{
	enum ks_pend_found found;
	unsigned int cpu, ctx;

	/*
	 * Every slot, not only possible CPUs' (the others stay empty): no
	 * cpumask walk, a call per CPU, on every free that misses the table.
	 */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct ks_pend_cpu *pc = &st->pend[cpu];

		for (ctx = 0; ctx < KS_PEND_CTXS; ctx++) {
			struct ks_pend *p = &pc->p[ctx];
			unsigned long v = READ_ONCE(p->ptr);
			struct ks_site *s;

			if ((v & ~KS_PEND_BUSY) != ptr)
				continue;
			if (v & KS_PEND_BUSY || !ks_pend_claim(p, v)) {
				ks_pend_wait(p, ptr | KS_PEND_BUSY);
				return KS_PEND_AGAIN;
			}
			s = ks_site_get(st, p->call_site, p->kind,
					ks_alloc_hint(p->kind, p->gfp));
			found = KS_PEND_UNRECORDED;
			if (!s) {
				atomic_long_inc(&st->drop_sites_full);
			} else if (READ_ONCE(s->class) != KS_CLASS_OBJECT) {
				ks_count_unrecorded(st, READ_ONCE(s->class), 1);
			} else {
				found = KS_PEND_TAKEN;
				ks_pend_pair(st, s, p);
				if (bytes > p->bytes_alloc)
					atomic_long_inc(&st->over_frees);
			}
			ks_pend_done(st, p);
			return found;
		}
	}
	return KS_PEND_NONE;
}

static __always_inline bool ks_store_free_do(struct ks_store *st,
					     unsigned long ptr,
					     enum ks_kind kind, size_t bytes,
					     unsigned long rest,
					     bool count_miss, int pend);
static noinline bool ks_pend_free(struct ks_store *st, unsigned long ptr,
				  enum ks_kind kind, size_t bytes,
				  unsigned long rest, long recorded);

/**
 * ks_store_free - forget a live allocation
 * @st: the store
 * @ptr: address being freed
 * @kind: the allocator it is freed to (for the untracked count)
 *
 * Context: any, NMI included (see ks_lock_free_path()), interrupts
 * disabled; does not sleep or allocate.
 * Return: true if @ptr had a record; false (and counted) if not, e.g.
 * memory allocated before the store existed (an untracked free), or a
 * lock stayed busy in NMI context.
 */
bool ks_store_free(struct ks_store *st, unsigned long ptr, enum ks_kind kind)
{
	return ks_store_free_do(st, ptr, kind, 0, 0, true, KS_FREE_PEND);
}

/*
 * Chain record @r, unchained and shrunk by a partial free, at its new
 * address.  Context: not NMI, no bucket lock held.
 */
static void ks_record_move(struct ks_store *st, struct ks_record *r)
{
	unsigned int b = ks_bucket(st, r->ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *o, **pp;

	ks_hot_lock(lock);
	for (pp = &st->buckets[b]; (o = *pp); pp = &o->next)
		if (o->ptr == r->ptr)
			break;
	/*
	 * Another record already holds that address: one of the two was
	 * freed unseen, the older (the newer allocation came after that
	 * free).  The older goes, as a missed free.
	 */
	if (o && o->ts <= r->ts) {
		if (ks_record_put(st, pp, o))
			atomic_long_inc(&st->missed_frees);
	} else if (o) {
		r->next = NULL;
		if (ks_record_put(st, &r->next, r))
			atomic_long_inc(&st->missed_frees);
		ks_hot_unlock(lock);
		return;
	}
	r->next = st->buckets[b];
	st->buckets[b] = r;
	ks_page_mark(st, r->ptr, 1);
	ks_hot_unlock(lock);
}

/**
 * ks_store_free_part - forget all or part of a page allocation
 * @st: the store
 * @ptr: address being freed (its struct page)
 * @bytes: how much is freed, 0 for the whole record
 * @rest: where the part still held starts, when @bytes is less than the
 *	  record holds (the page allocator: a free of a lower order than
 *	  allocated, or of one page of a multi-page allocation)
 *
 * A partial free shrinks the record by @bytes and moves it to @rest, so
 * that what is still held (often leaked) stays listed; it is counted in
 * part_frees.  A free of more than the record holds forgets it and is
 * counted in over_frees.  Context and return: as ks_store_free(); a
 * partial free in NMI context forgets the whole record.
 */
bool ks_store_free_part(struct ks_store *st, unsigned long ptr,
			size_t bytes, unsigned long rest)
{
	return ks_store_free_do(st, ptr, KS_PAGE, bytes, rest, true,
				KS_FREE_PEND_PAGE);
}

/**
 * ks_store_free_known - forget a live allocation, if there is a record
 * @st: the store
 * @ptr: address being freed
 * @kind: its allocator
 *
 * For a free the caller knows it may have seen before: no record is not
 * counted as an untracked free.  Context and return: as ks_store_free().
 */
bool ks_store_free_known(struct ks_store *st, unsigned long ptr,
			 enum ks_kind kind)
{
	return ks_store_free_do(st, ptr, kind, 0, 0, false, KS_FREE_PEND);
}

/*
 * A page free that found no record in bucket @b: no page pending that
 * hashes with it (pend_pages[]), and none recorded since the table was
 * looked at (@recorded, as for ks_pend_free()), is the common case of a
 * page free without a record (memory from before kmemscope was loaded, a
 * site that records none, vmalloc's pages): no slots to look through.
 * The counter is read before pend_recorded (a taker counts the one after
 * the other: ks_pend_record(), ks_pend_done()).  Slab objects keep no
 * such count: it would cost a pair more than the slots save.
 */
static __always_inline bool ks_pend_none(struct ks_store *st,
					 unsigned int b, long recorded)
{
	if (atomic_read(&st->pend_pages[b % KS_PEND_FILTER]))
		return false;
	/* The counter, then pend_recorded: ks_pend_done()'s order reversed. */
	smp_rmb();
	return atomic_long_read(&st->pend_recorded) == recorded;
}

/*
 * Inlined in its three entry points: ks_store_free()'s, with @bytes 0,
 * drops the partial-free branches and the call (about 20 instructions of
 * kmemscope's per kmalloc pair, in a profile of its text).  @pend, a
 * constant: KS_FREE_NO_PEND (a look again, from ks_pend_free()),
 * KS_FREE_PEND (a slab free: a miss looks in the slots, ks_pend_free()),
 * KS_FREE_PEND_PAGE (a page free: the same, unless ks_pend_none()).
 */
static __always_inline bool ks_store_free_do(struct ks_store *st,
					     unsigned long ptr,
					     enum ks_kind kind, size_t bytes,
					     unsigned long rest,
					     bool count_miss, int pend)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r, **pp;
	long recorded = -1;
	u32 held;

	lockdep_assert_irqs_disabled();
	/* Before the table is looked at: see ks_pend_free(). */
	if (pend == KS_FREE_PEND_PAGE)
		recorded = atomic_long_read_acquire(&st->pend_recorded);
	if (!ks_lock_free_path(lock))
		goto busy;
	for (pp = &st->buckets[b]; (r = *pp); pp = &r->next)
		if (r->ptr == ptr)
			break;
	if (!r) {
		ks_hot_unlock(lock);
		/*
		 * A page's byte goes before the slots are looked at: a
		 * reader recording it meanwhile marks it again, and the look
		 * again finds that record; ks_pend_free() sets it back when
		 * it gives up.
		 */
		if (pend == KS_FREE_PEND_PAGE)
			ks_page_mark(st, ptr, 0);
		/* Only slab objects and pages are kept pending. */
		if (((pend == KS_FREE_PEND && kind <= KS_KMEM_CACHE) ||
		     (pend == KS_FREE_PEND_PAGE &&
		      !ks_pend_none(st, b, recorded))) &&
		    ks_pend_free(st, ptr, kind, bytes, rest, recorded))
			return true;
		if (count_miss)
			ks_store_count_untracked(st, kind);
		return false;
	}
	if (bytes && bytes < r->bytes_alloc && rest && !in_nmi()) {
		struct ks_site *s = &st->sites[r->site];
		u32 req = min_t(size_t, bytes, r->bytes_req);

		*pp = r->next;
		atomic_long_sub(bytes, &st->kind_live[ks_site_kind(s)]);
		atomic_long_sub(bytes, &s->live_bytes);
		atomic_long_sub(req, &s->live_req);
		r->bytes_alloc -= bytes;
		r->bytes_req -= req;
		r->ptr = rest;
		ks_hot_unlock(lock);
		atomic_long_inc(&st->part_frees);
		/* Marked at @rest first: the page map never loses it. */
		ks_record_move(st, r);
		ks_page_mark(st, ptr, 0);
		return true;
	}
	/* Read before the record goes back to the pool. */
	held = r->bytes_alloc;
	/* Both locks before anything changes: giving up leaves it as it was. */
	if (!ks_record_put(st, pp, r)) {
		ks_hot_unlock(lock);
		goto busy;
	}
	ks_hot_unlock(lock);
	/* @pend is a constant: no test on a slab free's path. */
	if (pend == KS_FREE_PEND_PAGE ||
	    (pend == KS_FREE_NO_PEND && kind == KS_PAGE))
		ks_page_mark(st, ptr, 0);
	if (bytes > held)
		atomic_long_inc(&st->over_frees);
	else if (bytes && bytes < held)
		atomic_long_inc(&st->part_frees);
	return true;
busy:
	atomic_long_inc(&st->drop_nmi_busy);
	return false;
}

/*
 * A slab or page free that found no record (@bytes and @rest as for
 * ks_store_free_part()): the allocation may be pending on some CPU
 * (ks_pend_take()).  When a reader is recording it right then, or did
 * since the table was looked at, the table has it once the reader is
 * done: look there again (a few times while it is busy).  Whether any
 * pending allocation was recorded since, the count of them says, for a
 * page (@recorded: read before the table was looked at; -1 for a slab
 * object, which looks again): most page frees that find no record look
 * in the table once, not twice.
 * Context: the free path's; in NMI nothing is taken.
 * Return: true when the free is done.
 */
static noinline bool ks_pend_free(struct ks_store *st, unsigned long ptr,
				  enum ks_kind kind, size_t bytes,
				  unsigned long rest, long recorded)
{
	unsigned int tries;

	if (in_nmi())
		return false;
	for (tries = 0; tries < 3; tries++) {
		switch (ks_pend_take(st, ptr, bytes)) {
		case KS_PEND_TAKEN:
			return true;
		case KS_PEND_UNRECORDED:
			return false;
		case KS_PEND_NONE:
			/*
			 * A reader may have recorded it between the table's
			 * miss and the slots' look: it chains the record and
			 * counts it before it empties the slot.
			 */
			smp_rmb();
			if (atomic_long_read(&st->pend_recorded) == recorded)
				return false;
			return ks_store_free_do(st, ptr, kind, bytes, rest,
						false, KS_FREE_NO_PEND);
		case KS_PEND_AGAIN:
			if (ks_store_free_do(st, ptr, kind, bytes, rest, false,
					     KS_FREE_NO_PEND))
				return true;
			break;
		}
	}
	/* A reader still at it: what it records keeps its page's byte. */
	if (kind == KS_PAGE)
		ks_page_mark(st, ptr, 1);
	return false;
}

/**
 * ks_store_split - make a multi-page record one record per page
 * @st: the store
 * @ptr: the record's address (its first page)
 * @nr: pages it holds
 * @keep: pages still allocated, from the first (@nr after split_page();
 *	  fewer after alloc_pages_exact(), which gave the tail back)
 * @unit: bytes of one page
 * @stride: the distance between two pages' addresses
 *
 * After split_page() each page of a high-order allocation is freed on its
 * own, in any order.  The record keeps the first page; each other page
 * kept gets a record of its own, with the same site, time and task, and
 * counts as an allocation of the site's.  Pages given back (past @keep)
 * and pages that find no record (pool full, counted in dropped_pool_full)
 * are taken off the site's live figures.  A record that does not hold
 * exactly @nr pages is left alone.
 * Context: interrupts disabled; its callers are probes at split_page()
 * and alloc_pages_exact(), which no NMI calls, but an x86 int3 kprobe runs
 * its handler in NMI context: there the locks are only tried (as on the
 * free path), and pages left without a record for that are counted like
 * a full pool.  Return: pages now recorded.
 */
unsigned int ks_store_split(struct ks_store *st, unsigned long ptr,
			    unsigned int nr, unsigned int keep, u32 unit,
			    unsigned long stride)
{
	unsigned int b = ks_bucket(st, ptr), made = 1, k;
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r, t;
	struct ks_site *s;
	u32 req_left;
	long lost;

	lockdep_assert_irqs_disabled();
	if (nr < 2 || !keep || keep > nr)
		return 0;
	if (!ks_lock_free_path(lock)) {
		atomic_long_inc(&st->drop_nmi_busy);
		return 0;
	}
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == ptr)
			break;
	if (!r || r->bytes_alloc != (u64)nr * unit) {
		ks_hot_unlock(lock);
		return 0;
	}
	t = *r;
	r->bytes_alloc = unit;
	r->bytes_req = min(t.bytes_req, unit);
	req_left = t.bytes_req - r->bytes_req;
	ks_hot_unlock(lock);

	s = &st->sites[t.site];
	for (k = 1; k < keep; k++) {
		unsigned long p = ptr + k * stride;

		b = ks_bucket(st, p);
		lock = ks_bucket_lock(st, b);
		if (!ks_lock_free_path(lock))
			break;
		for (r = st->buckets[b]; r; r = r->next)
			if (r->ptr == p)
				break;
		/* Already recorded (a stale record): it is taken over. */
		if (r) {
			ks_site_account_free(st, r);
			atomic_long_inc(&st->missed_frees);
		} else {
			r = ks_record_take(st, b, p, true);
		}
		if (!r) {
			ks_hot_unlock(lock);
			break;
		}
		ks_page_mark(st, p, 1);
		r->site = t.site;
		r->bytes_alloc = unit;
		r->bytes_req = min(req_left, unit);
		req_left -= r->bytes_req;
		r->gfp = t.gfp;
		r->stack = t.stack;
		r->ts = t.ts;
		r->pid = t.pid;
		memcpy(r->comm, t.comm, sizeof(r->comm));
		atomic_long_inc(&s->allocs);
		ks_hot_unlock(lock);
		made++;
	}
	lost = (long)(nr - made) * unit;
	if (lost) {
		atomic_long_sub(lost, &st->kind_live[ks_site_kind(s)]);
		atomic_long_sub(lost, &s->live_bytes);
		atomic_long_sub(req_left, &s->live_req);
	}
	if (made < keep)
		atomic_long_add(keep - made, &st->drop_pool_full);
	atomic_long_inc(&st->splits);
	return made;
}

/* Context: any but NMI. */
bool ks_store_lookup(struct ks_store *st, unsigned long ptr,
		     struct ks_record_info *info)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r;
	unsigned long flags;
	bool settled = false;

look:
	raw_spin_lock_irqsave(lock, flags);
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == ptr)
			break;
	if (!r && !settled && !in_nmi()) {
		raw_spin_unlock_irqrestore(lock, flags);
		settled = true;
		if (ks_pend_settle(st, ptr))
			goto look;
		raw_spin_lock_irqsave(lock, flags);
	}
	if (r && info) {
		info->call_site = st->sites[r->site].key;
		info->kind = ks_site_kind(&st->sites[r->site]);
		info->class = st->sites[r->site].class;
		info->bytes_alloc = r->bytes_alloc;
		info->bytes_req = r->bytes_req;
	}
	raw_spin_unlock_irqrestore(lock, flags);
	return r;
}

/* False for a slot being claimed right now: skip it. */
static bool ks_site_copy(struct ks_site_snap *d, struct ks_site *s)
{
	d->key = READ_ONCE(s->key);
	/* Acquire: pairs with the release in ks_site_claim(). */
	d->kind = smp_load_acquire(&s->kind);
	if (!d->key || d->key == KS_SITE_TOMB || !d->kind)
		return false;
	d->kind--;
	d->class = READ_ONCE(s->class);
	d->hint = READ_ONCE(s->hint);
	/* Acquire: a retired site's name is published before the flag. */
	d->retired = smp_load_acquire(&s->retired);
	d->name = d->retired ? s->name : NULL;
	d->live_bytes = atomic_long_read(&s->live_bytes);
	d->live_req = atomic_long_read(&s->live_req);
	d->allocs = atomic_long_read(&s->allocs);
	d->frees = atomic_long_read(&s->frees);
	/* Read apart: a free may land between the two reads. */
	d->live_count = max(d->allocs - d->frees, 0L);
	d->peak_bytes = atomic_long_read(&s->peak_bytes);
	/* Given back (folded) while being copied: drop the copy. */
	smp_rmb();
	return READ_ONCE(s->key) == d->key;
}

/**
 * ks_store_read_site - copy one site slot out
 * @st: the store
 * @i: slot index, below 1 << st->site_bits
 * @out: the copy
 *
 * Pending allocations are not in its counters until ks_store_settle().
 * Context: any; lock-free.  Return: false for an empty slot.
 */
bool ks_store_read_site(struct ks_store *st, unsigned int i,
			struct ks_site_snap *out)
{
	return ks_site_copy(out, &st->sites[i]);
}

/**
 * ks_store_snapshot_sites - copy the used site slots out
 * @st: the store
 * @out: array of @max entries
 * @max: its size
 *
 * Context: any but NMI; lock-free but for ks_store_settle() first.  Names
 * stay valid until ks_store_destroy().
 * Return: the number of entries written.
 */
unsigned int ks_store_snapshot_sites(struct ks_store *st,
				     struct ks_site_snap *out,
				     unsigned int max)
{
	unsigned int i, n = 0;

	ks_store_settle(st);
	for (i = 0; i < (1U << st->site_bits) && n < max; i++)
		if (ks_site_copy(&out[n], &st->sites[i]))
			n++;
	return n;
}

/*
 * Sum the recorded sites per allocator.  Context: any but NMI; lock-free
 * but for ks_store_settle() first.
 */
void ks_store_totals(struct ks_store *st,
		     struct ks_kind_totals totals[KS_NR_KINDS])
{
	unsigned int i;

	ks_store_settle(st);
	memset(totals, 0, sizeof(*totals) * KS_NR_KINDS);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site_snap s;
		struct ks_kind_totals *t;

		if (!ks_site_copy(&s, &st->sites[i]) || s.kind >= KS_NR_KINDS ||
		    s.class != KS_CLASS_OBJECT)
			continue;
		t = &totals[s.kind];
		t->live_bytes += s.live_bytes;
		t->live_req += s.live_req;
		t->live_count += s.live_count;
		t->allocs += s.allocs;
		t->frees += s.frees;
	}
}

/**
 * ks_store_retire_sites - retire the sites whose code is going away
 * @st: the store
 * @match: true for the keys to retire
 * @namer: returns a kmalloc'ed name for a key (may return NULL)
 * @arg: passed to both
 * @why: KS_RETIRED_INIT or KS_RETIRED_UNLOAD
 *
 * Context: process; may sleep.  Takes names_lock: serialised with reset
 * and folds.
 * Return: the number of sites retired.
 */
unsigned int ks_store_retire_sites(struct ks_store *st,
				   bool (*match)(unsigned long key, void *arg),
				   ks_site_namer namer, void *arg,
				   enum ks_retire why)
{
	unsigned int i, n = 0;

	/* A pending allocation of the code going away: at its site first. */
	ks_store_settle(st);
	mutex_lock(&st->names_lock);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site *s = &st->sites[i];
		unsigned long key = READ_ONCE(s->key);

		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
		if (!key || key == KS_SITE_TOMB || s->retired ||
		    !match(key, arg))
			continue;
		s->name = ks_intern_name(st, namer(key, arg));
		/* Publish the name before lookups and snapshots skip the site. */
		smp_store_release(&s->retired, why);
		n++;
	}
	mutex_unlock(&st->names_lock);
	return n;
}

/**
 * ks_store_mark_unloaded - mark retired __init sites of a module unloaded
 * @st: the store
 * @module: the module's name
 *
 * A module's __init sites were retired (and named) when its init memory
 * was freed; when the module itself goes, they go with it.
 * Context: process; takes names_lock, like ks_store_retire_sites().
 */
void ks_store_mark_unloaded(struct ks_store *st, const char *module)
{
	unsigned int i;

	mutex_lock(&st->names_lock);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site *s = &st->sites[i];

		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
		if (s->retired == KS_RETIRED_INIT &&
		    ks_owner_is(s->name, module))
			WRITE_ONCE(s->retired, KS_RETIRED_UNLOAD);
	}
	mutex_unlock(&st->names_lock);
}

/*
 * A site of @module's that can be folded: retired at unload, named, a
 * recorded class.  Its live records, if any, are moved first
 * (ks_fold_move_records()).  Context: names_lock held, or a bucket lock
 * (a retired site's name and class no longer change).
 */
static bool ks_fold_candidate(struct ks_site *s, const char *module)
{
	return READ_ONCE(s->retired) == KS_RETIRED_UNLOAD && s->name &&
	       READ_ONCE(s->class) == KS_CLASS_OBJECT &&
	       ks_owner_is(s->name, module);
}

/* A slot others can be folded into: retired at unload, named, an object. */
static bool ks_fold_into(struct ks_site *t)
{
	return READ_ONCE(t->retired) == KS_RETIRED_UNLOAD && t->name &&
	       READ_ONCE(t->class) == KS_CLASS_OBJECT;
}

/*
 * The fold's index: for each (name, kind) of the slots a fold may go
 * into, the first such slot, so that a fold costs two passes over the
 * table instead of one per candidate.  Open addressing; entries hold a
 * slot number plus one (0: empty).
 */
struct ks_fold_index {
	unsigned int mask;
	u32 *e;
};

static u32 *ks_fold_entry(struct ks_store *st, struct ks_fold_index *ix,
			  const struct ks_site *s)
{
	unsigned int h = hash_ptr(s->name, 32) ^ READ_ONCE(s->kind);

	for (h &= ix->mask; ix->e[h]; h = (h + 1) & ix->mask) {
		const struct ks_site *t = &st->sites[ix->e[h] - 1];

		if (t->name == s->name && READ_ONCE(t->kind) == READ_ONCE(s->kind))
			break;
	}
	return &ix->e[h];
}

/* Context: process, names_lock held.  Return: 0 or -ENOMEM. */
static int ks_fold_index_build(struct ks_store *st, struct ks_fold_index *ix)
{
	unsigned int i, n = 0, slots = 1U << st->site_bits;
	u32 *e;

	for (i = 0; i < slots; i++) {
		n += ks_fold_into(&st->sites[i]);
		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
	}
	ix->mask = roundup_pow_of_two(2 * n + 2) - 1;
	ix->e = kvcalloc(ix->mask + 1, sizeof(*ix->e), GFP_KERNEL);
	if (!ix->e)
		return -ENOMEM;
	for (i = 0; i < slots; i++) {
		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
		if (!ks_fold_into(&st->sites[i]))
			continue;
		/* Ascending: the first slot of each name stays. */
		e = ks_fold_entry(st, ix, &st->sites[i]);
		if (!*e)
			*e = i + 1;
	}
	return 0;
}

/*
 * How many of @module's sites a fold could give back (at most; the first
 * slot of a name stays).  Context: process.  A hint (a free may be in
 * flight): the fold checks again.
 */
static unsigned int ks_fold_candidates(struct ks_store *st, const char *module)
{
	unsigned int i, n = 0;

	mutex_lock(&st->names_lock);
	for (i = 0; i < (1U << st->site_bits); i++) {
		n += ks_fold_candidate(&st->sites[i], module);
		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
	}
	mutex_unlock(&st->names_lock);
	return n;
}

/*
 * Hand the live records of @module's sites that a fold will give back to
 * the slots they fold into: per record, under its bucket lock, its bytes
 * move from the one site's live counters to the other's and it names the
 * other; a free then finds the new site.  A site's allocs and frees move
 * with the fold (its live count is allocs - frees).  No record path can
 * still reach those sites (retired, and a grace period has passed), so
 * none names them afterwards.
 * Context: process, names_lock held; takes each bucket lock in turn.
 */
static void ks_fold_move_records(struct ks_store *st,
				 struct ks_fold_index *ix, const char *module)
{
	unsigned int b, nb = 1U << st->bucket_bits;
	unsigned long flags;

	for (b = 0; b < nb; b++) {
		raw_spinlock_t *lock = ks_bucket_lock(st, b);
		struct ks_record *r;

		if (!(b % KS_RESCHED_EVERY))
			cond_resched();
		if (!READ_ONCE(st->buckets[b]))
			continue;
		raw_spin_lock_irqsave(lock, flags);
		for (r = st->buckets[b]; r; r = r->next) {
			struct ks_site *s = &st->sites[r->site], *t;
			u32 j;

			if (!ks_fold_candidate(s, module))
				continue;
			j = *ks_fold_entry(st, ix, s);
			if (!j || j - 1 >= r->site)
				continue;
			t = &st->sites[j - 1];
			atomic_long_add(r->bytes_alloc, &t->live_bytes);
			atomic_long_add(r->bytes_req, &t->live_req);
			atomic_long_sub(r->bytes_alloc, &s->live_bytes);
			atomic_long_sub(r->bytes_req, &s->live_req);
			r->site = j - 1;
		}
		raw_spin_unlock_irqrestore(lock, flags);
	}
}

/* Fold slot @s into @t and give @s back.  Context: names_lock held. */
static void ks_site_fold(struct ks_store *st, struct ks_site *s,
			 struct ks_site *t)
{
	/* Unpublish first: lookups and copies skip a slot of kind 0. */
	WRITE_ONCE(s->kind, 0);
	/* Before the counters are cleared; pairs with ks_site_copy()'s acquire. */
	smp_wmb();
	atomic_long_add(atomic_long_read(&s->allocs), &t->allocs);
	atomic_long_add(atomic_long_read(&s->frees), &t->frees);
	ks_update_peak(&t->peak_bytes, atomic_long_read(&s->peak_bytes));
	/*
	 * The slot stays retired until it is claimed again: a lookup of its
	 * old key (new code loaded at the same address) that read the kind
	 * before it was cleared must still find it retired, never a live
	 * slot about to become a tombstone with that lookup's allocations.
	 * The claim clears the rest (ks_site_claim()); without a name, the
	 * slot is no fold's candidate or target meanwhile.
	 */
	s->name = NULL;
	/* Release: a claim that finds the tombstone finds the above done. */
	smp_store_release(&s->key, KS_SITE_TOMB);
	atomic_dec(&st->sites_used);
	atomic_long_inc(&st->sites_folded);
}

/**
 * ks_store_fold_unloaded - give back the slots of an unloaded module's sites
 * @st: the store
 * @module: the module's name (it is gone: its sites were retired)
 *
 * Each of the module's retired sites is added to the first slot of its
 * name, kind and class (from an earlier load), its live records (what
 * the module leaked) handed to that slot, and its slot given back.  Waits
 * for an RCU grace period first (see the locking notes), and only if
 * there is anything to fold.
 * Context: process; may sleep.  Return: the number of slots given back.
 */
unsigned int ks_store_fold_unloaded(struct ks_store *st, const char *module)
{
	struct ks_fold_index ix;
	unsigned int i, n = 0;
	u32 j;

	if (!ks_fold_candidates(st, module))
		return 0;
	synchronize_rcu();
	mutex_lock(&st->names_lock);
	if (ks_fold_index_build(st, &ix)) {
		/* Nothing is lost: the slots stay, as unloaded sites. */
		mutex_unlock(&st->names_lock);
		pr_warn_ratelimited("kmemscope: no memory to fold %s's sites\n",
				    module);
		return 0;
	}
	ks_fold_move_records(st, &ix, module);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site *s = &st->sites[i];

		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
		if (!ks_fold_candidate(s, module))
			continue;
		j = *ks_fold_entry(st, &ix, s);
		if (!j || j - 1 >= i)
			continue;
		ks_site_fold(st, s, &st->sites[j - 1]);
		n++;
	}
	mutex_unlock(&st->names_lock);
	kvfree(ix.e);
	return n;
}

/**
 * ks_store_mark - start a new mark generation
 * @st: the store
 *
 * Context: any.  Return: the mark's stamp: allocations recorded from now
 * on have a stamp at least this; those recorded before, a lower one.
 */
u64 ks_store_mark(struct ks_store *st)
{
	unsigned long gen = atomic_long_inc_return(&st->stamp_gen);

	return ks_stamp_make(get_jiffies_64(), gen);
}

/**
 * ks_store_reclassify - decide every site's class again
 * @st: the store; st->classify is the rule (NULL: every site an object)
 *
 * Called after the rule changed (a filter; the module stacks are on for).
 * The classifier runs with interrupts off, as it does when a probe
 * creates a site, and also decides again which sites want backtraces.
 * names_lock
 * keeps folds out: a slot found live here is not given back and taken by
 * another key before its class is written.
 * Context: process.  Sites switch class one by one; an allocation racing
 * with the switch is classed by either the old or the new rule.
 */
void ks_store_reclassify(struct ks_store *st)
{
	ks_classify_fn fn = READ_ONCE(st->classify);
	unsigned long flags, key;
	unsigned int i;

	mutex_lock(&st->names_lock);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site *s = &st->sites[i];
		/* Acquire: a claimed site's key and class are set before it. */
		u8 kind = smp_load_acquire(&s->kind);
		u8 class = KS_CLASS_OBJECT;
		bool stacks = false;

		if (!(i % KS_RESCHED_EVERY))
			cond_resched();
		key = READ_ONCE(s->key);
		if (!key || key == KS_SITE_TOMB || !kind || s->retired)
			continue;
		if (fn) {
			local_irq_save(flags);
			class = fn(key, kind - 1, READ_ONCE(s->hint), &stacks);
			local_irq_restore(flags);
		}
		WRITE_ONCE(s->class, class);
		WRITE_ONCE(s->stacks, stacks);
	}
	mutex_unlock(&st->names_lock);
}

/**
 * ks_store_copy_records - copy live records out, a few buckets at a time
 * @st: the store
 * @cur: where to continue; zeroed to start from the beginning
 * @out: array of @max entries
 * @max: its size (at least 1)
 *
 * Copies whole buckets while they fit, and a part of a bucket longer than
 * @max, remembering in @cur where to go on.  Records that come and go
 * meanwhile may be missed or seen once more, as with any live view.
 * Context: process or atomic; takes one bucket lock at a time.
 * Return: entries written; 0 when the table has been walked.
 */
unsigned int ks_store_copy_records(struct ks_store *st,
				   struct ks_record_cursor *cur,
				   struct ks_record_snap *out, unsigned int max)
{
	unsigned int nb = 1U << st->bucket_bits, n = 0;

	if (!cur->bucket && !cur->skip)
		ks_store_settle(st);
	while (cur->bucket < nb && n < max) {
		raw_spinlock_t *lock = ks_bucket_lock(st, cur->bucket);
		unsigned int pos = 0, room = max - n, len = 0;
		struct ks_record *r;
		unsigned long flags;

		raw_spin_lock_irqsave(lock, flags);
		for (r = st->buckets[cur->bucket]; r; r = r->next)
			len++;
		/* Only start a bucket that fits, unless nothing is copied yet. */
		if (n && len - cur->skip > room) {
			raw_spin_unlock_irqrestore(lock, flags);
			break;
		}
		for (r = st->buckets[cur->bucket]; r && n < max; r = r->next) {
			struct ks_record_snap *d;
			struct ks_site *s;

			if (pos++ < cur->skip)
				continue;
			d = &out[n++];
			s = &st->sites[r->site];
			d->ptr = r->ptr;
			d->site = r->site;
			d->call_site = s->key;
			d->retired = READ_ONCE(s->retired);
			d->site_name = d->retired ? s->name : NULL;
			d->kind = ks_site_kind(s);
			d->ts = r->ts;
			d->bytes_alloc = r->bytes_alloc;
			d->bytes_req = r->bytes_req;
			d->stack = r->stack;
			d->gfp = r->gfp;
			d->pid = r->pid;
			memcpy(d->comm, r->comm, sizeof(d->comm));
		}
		raw_spin_unlock_irqrestore(lock, flags);
		if (r) {
			cur->skip = pos;
		} else {
			cur->bucket++;
			cur->skip = 0;
		}
	}
	return n;
}

/**
 * ks_store_resize - a live allocation's requested size changed in place
 * @st: the store
 * @ptr: its address
 * @bytes_req: the size now requested (krealloc() into the same object)
 *
 * The allocated size stays; the record's requested size and its site's
 * live_req move by the difference.
 * Context: any, NMI included (see ks_lock_free_path()), interrupts
 * disabled; does not sleep or allocate.
 * Return: true if @ptr had a record.
 */
bool ks_store_resize(struct ks_store *st, unsigned long ptr, size_t bytes_req)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r;
	u32 req = min_t(size_t, bytes_req, U32_MAX);

	bool settled = in_nmi();

	lockdep_assert_irqs_disabled();
look:
	if (!ks_lock_free_path(lock))
		return false;
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == ptr)
			break;
	if (!r && !settled) {
		/* Pending (not in NMI, where nothing is taken): record it. */
		ks_hot_unlock(lock);
		settled = true;
		if (ks_pend_settle(st, ptr))
			goto look;
		return false;
	}
	if (r) {
		atomic_long_add((long)req - (long)r->bytes_req,
				&st->sites[r->site].live_req);
		r->bytes_req = req;
	}
	ks_hot_unlock(lock);
	return r;
}
