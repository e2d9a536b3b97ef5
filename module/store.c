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
 *   either on free_list or on exactly one hash chain.
 * - buckets[1 << bucket_bits]: singly linked chains of live records,
 *   keyed by the allocation's address (hash_long(ptr)).  There are at
 *   least as many buckets as records.
 * - sites[1 << site_bits]: call sites, open addressing with linear
 *   probing, at most half full (max_sites of 2 * max_sites slots).  A slot
 *   is claimed with cmpxchg() on its key and never released while the
 *   store lives; its counters are atomic_long_t.  Records name their site
 *   by index, so a free updates the site of the allocation.  When the code
 *   of a site goes away (module unload), the slot is retired: it keeps its
 *   counters and a copy of its name, and lookups skip it, so that new code
 *   loaded at the same address gets a slot of its own.
 *
 * Notes on locking
 * ----------------
 * The record and free paths may be called in any context but NMI,
 * including with interrupts off and under allocator locks.  They take
 * raw spinlocks only (never spinlock_t, which sleeps on PREEMPT_RT), with
 * interrupts disabled, and do bounded work: one chain walk and at most
 * KS_SITE_PROBES site probes.
 *
 * - locks[b % KS_NR_LOCKS] protects bucket b's chain and the fields of the
 *   records on it.
 * - free_lock protects free_list.
 * - Lock order: a bucket lock, then free_lock.  No path takes two bucket
 *   locks.
 * - Site keys are set once with cmpxchg(); site counters are atomic and
 *   read without locks (a snapshot is consistent per counter, not across
 *   counters).  site->name and site->retired are written only by
 *   ks_store_retire_sites(), from process context, with the name published
 *   before the retired flag (release/acquire).
 *
 * Chain lengths are bounded in practice by the hash (as many buckets as
 * records); the pool bounds the total.
 */
#include <linux/hash.h>
#include <linux/log2.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "store.h"

static inline unsigned int ks_bucket(struct ks_store *st, unsigned long ptr)
{
	return hash_long(ptr, st->bucket_bits);
}

static inline raw_spinlock_t *ks_bucket_lock(struct ks_store *st,
					     unsigned int b)
{
	return &st->locks[b % KS_NR_LOCKS];
}

int ks_store_init(struct ks_store *st, unsigned int nr_records,
		  unsigned int max_sites)
{
	unsigned int i;

	if (nr_records < KS_MIN_RECORDS || nr_records > KS_MAX_RECORDS ||
	    max_sites < KS_MIN_SITES || max_sites > KS_MAX_SITES)
		return -EINVAL;

	memset(st, 0, sizeof(*st));
	st->nr_records = nr_records;
	st->bucket_bits = ilog2(roundup_pow_of_two(nr_records));
	st->max_sites = max_sites;
	st->site_bits = ilog2(roundup_pow_of_two(max_sites)) + 1;

	st->records = vzalloc(array_size(nr_records, sizeof(*st->records)));
	st->buckets = vzalloc(array_size(1UL << st->bucket_bits,
					 sizeof(*st->buckets)));
	st->sites = vzalloc(array_size(1UL << st->site_bits,
				       sizeof(*st->sites)));
	if (!st->records || !st->buckets || !st->sites) {
		ks_store_destroy(st);
		return -ENOMEM;
	}

	for (i = 0; i < KS_NR_LOCKS; i++)
		raw_spin_lock_init(&st->locks[i]);
	raw_spin_lock_init(&st->free_lock);
	for (i = 0; i < nr_records; i++)
		st->records[i].next = i + 1 < nr_records ?
				      &st->records[i + 1] : NULL;
	st->free_list = &st->records[0];
	return 0;
}

void ks_store_destroy(struct ks_store *st)
{
	unsigned int i;

	if (st->sites) {
		for (i = 0; i < (1U << st->site_bits); i++)
			kfree(st->sites[i].name);
	}
	vfree(st->sites);
	vfree(st->buckets);
	vfree(st->records);
	st->sites = NULL;
	st->buckets = NULL;
	st->records = NULL;
}

/* Find or claim the site slot for key.  Lock-free; may fail when full. */
static struct ks_site *ks_site_get(struct ks_store *st, unsigned long key,
				   enum ks_kind kind, u32 *idx)
{
	unsigned int mask = (1U << st->site_bits) - 1;
	unsigned int i = hash_long(key, st->site_bits);
	unsigned int n;

	for (n = 0; n < KS_SITE_PROBES; n++, i = (i + 1) & mask) {
		struct ks_site *s = &st->sites[i];
		unsigned long k = READ_ONCE(s->key);

		if (k == 0) {
			if (atomic_inc_return(&st->sites_used) > st->max_sites) {
				atomic_dec(&st->sites_used);
				return NULL;
			}
			k = cmpxchg(&s->key, 0UL, key);
			if (k == 0) {
				WRITE_ONCE(s->kind, kind);
				*idx = i;
				return s;
			}
			atomic_dec(&st->sites_used);
		}
		/* Pairs with the release in ks_store_retire_sites(). */
		if (k == key && !smp_load_acquire(&s->retired)) {
			*idx = i;
			return s;
		}
	}
	return NULL;
}

static void ks_site_account_free(struct ks_store *st, struct ks_record *r)
{
	struct ks_site *s = &st->sites[r->site];

	atomic_long_sub(r->bytes_alloc, &s->live_bytes);
	atomic_long_sub(r->bytes_req, &s->live_req);
	atomic_long_dec(&s->live_count);
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

/**
 * ks_store_alloc - record a live allocation
 * @st: the store
 * @ptr: address handed to the caller (not 0)
 * @call_site: return address of the allocation call
 * @bytes_req: bytes the caller asked for
 * @bytes_alloc: bytes the allocator set aside
 * @kind: which allocator
 *
 * Context: any but NMI; does not sleep or allocate.
 * Return: 0, or -ENOSPC when the pool or the site table is full (counted).
 */
int ks_store_alloc(struct ks_store *st, unsigned long ptr,
		   unsigned long call_site, size_t bytes_req,
		   size_t bytes_alloc, enum ks_kind kind)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r;
	struct ks_site *s;
	unsigned long flags;
	u32 idx;

	s = ks_site_get(st, call_site, kind, &idx);
	if (!s) {
		atomic_long_inc(&st->drop_sites_full);
		return -ENOSPC;
	}

	raw_spin_lock_irqsave(lock, flags);
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == ptr)
			break;
	if (r) {
		/*
		 * The address is live again, so its free was not seen (an
		 * untraced path, or a free while tracking was off): retire
		 * the old record into its site and reuse it.
		 */
		ks_site_account_free(st, r);
		atomic_long_inc(&st->missed_frees);
	} else {
		raw_spin_lock(&st->free_lock);
		r = st->free_list;
		if (r)
			st->free_list = r->next;
		raw_spin_unlock(&st->free_lock);
		if (!r) {
			raw_spin_unlock_irqrestore(lock, flags);
			atomic_long_inc(&st->drop_pool_full);
			return -ENOSPC;
		}
		r->ptr = ptr;
		r->next = st->buckets[b];
		st->buckets[b] = r;
		ks_update_peak(&st->records_peak,
			       atomic_long_inc_return(&st->records_used));
	}
	r->site = idx;
	r->bytes_alloc = min_t(size_t, bytes_alloc, U32_MAX);
	r->bytes_req = min_t(size_t, bytes_req, U32_MAX);
	r->ts_ns = local_clock();
	r->pid = in_task() ? current->pid : 0;
	atomic_long_add(r->bytes_alloc, &s->live_bytes);
	atomic_long_add(r->bytes_req, &s->live_req);
	atomic_long_inc(&s->live_count);
	atomic_long_inc(&s->allocs);
	raw_spin_unlock_irqrestore(lock, flags);
	return 0;
}

/**
 * ks_store_free - forget a live allocation
 * @st: the store
 * @ptr: address being freed
 *
 * Context: any but NMI; does not sleep or allocate.
 * Return: true if @ptr had a record; false (and counted as an untracked
 * free) if not, e.g. memory allocated before the store existed.
 */
bool ks_store_free(struct ks_store *st, unsigned long ptr)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r, **pp;
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	for (pp = &st->buckets[b]; (r = *pp); pp = &r->next)
		if (r->ptr == ptr)
			break;
	if (!r) {
		raw_spin_unlock_irqrestore(lock, flags);
		atomic_long_inc(&st->untracked_frees);
		return false;
	}
	*pp = r->next;
	ks_site_account_free(st, r);
	r->ptr = 0;
	raw_spin_lock(&st->free_lock);
	r->next = st->free_list;
	st->free_list = r;
	raw_spin_unlock(&st->free_lock);
	raw_spin_unlock_irqrestore(lock, flags);
	atomic_long_dec(&st->records_used);
	return true;
}

/* Context: any but NMI. */
bool ks_store_lookup(struct ks_store *st, unsigned long ptr,
		     struct ks_record_info *info)
{
	unsigned int b = ks_bucket(st, ptr);
	raw_spinlock_t *lock = ks_bucket_lock(st, b);
	struct ks_record *r;
	unsigned long flags;

	raw_spin_lock_irqsave(lock, flags);
	for (r = st->buckets[b]; r; r = r->next)
		if (r->ptr == ptr)
			break;
	if (r && info) {
		info->call_site = st->sites[r->site].key;
		info->kind = st->sites[r->site].kind;
		info->bytes_alloc = r->bytes_alloc;
		info->bytes_req = r->bytes_req;
	}
	raw_spin_unlock_irqrestore(lock, flags);
	return r;
}

static void ks_site_copy(struct ks_site_snap *d, struct ks_site *s)
{
	d->key = READ_ONCE(s->key);
	/* Acquire: a retired site's name is published before the flag. */
	d->retired = smp_load_acquire(&s->retired);
	d->name = d->retired ? s->name : NULL;
	d->live_bytes = atomic_long_read(&s->live_bytes);
	d->live_req = atomic_long_read(&s->live_req);
	d->live_count = atomic_long_read(&s->live_count);
	d->allocs = atomic_long_read(&s->allocs);
	d->frees = atomic_long_read(&s->frees);
	d->kind = READ_ONCE(s->kind);
}

/**
 * ks_store_snapshot_sites - copy the used site slots out
 * @st: the store
 * @out: array of @max entries
 * @max: its size
 *
 * Context: any; lock-free.  Names stay valid until ks_store_destroy().
 * Return: the number of entries written.
 */
unsigned int ks_store_snapshot_sites(struct ks_store *st,
				     struct ks_site_snap *out,
				     unsigned int max)
{
	unsigned int i, n = 0;

	for (i = 0; i < (1U << st->site_bits) && n < max; i++) {
		if (!READ_ONCE(st->sites[i].key))
			continue;
		ks_site_copy(&out[n++], &st->sites[i]);
	}
	return n;
}

/* Sum the sites per allocator.  Context: any; lock-free. */
void ks_store_totals(struct ks_store *st,
		     struct ks_kind_totals totals[KS_NR_KINDS])
{
	unsigned int i;

	memset(totals, 0, sizeof(*totals) * KS_NR_KINDS);
	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site_snap s;
		struct ks_kind_totals *t;

		if (!READ_ONCE(st->sites[i].key))
			continue;
		ks_site_copy(&s, &st->sites[i]);
		if (s.kind >= KS_NR_KINDS)
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
 *
 * Context: process; may sleep.  Serialised by the caller (the module
 * notifier chain).
 * Return: the number of sites retired.
 */
unsigned int ks_store_retire_sites(struct ks_store *st,
				   bool (*match)(unsigned long key, void *arg),
				   ks_site_namer namer, void *arg)
{
	unsigned int i, n = 0;

	for (i = 0; i < (1U << st->site_bits); i++) {
		struct ks_site *s = &st->sites[i];
		unsigned long key = READ_ONCE(s->key);

		if (!key || s->retired || !match(key, arg))
			continue;
		s->name = namer(key, arg);
		/* Publish the name before lookups and snapshots skip the site. */
		smp_store_release(&s->retired, true);
		n++;
	}
	return n;
}
