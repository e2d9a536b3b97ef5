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

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>

enum ks_kind {
	KS_KMALLOC,
	KS_KMEM_CACHE,
	KS_NR_KINDS,
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

/* One call site: key is the return address of the allocation call. */
struct ks_site {
	unsigned long key;		/* 0: free slot */
	const char *name;		/* set when the code is gone (unload) */
	atomic_long_t live_bytes;	/* bytes allocated, still live */
	atomic_long_t live_req;		/* bytes requested, still live */
	atomic_long_t live_count;
	atomic_long_t allocs;		/* lifetime */
	atomic_long_t frees;		/* lifetime */
	u8 kind;			/* enum ks_kind of the first allocation */
	bool retired;			/* code unloaded: never matched again */
};

/* One live allocation. */
struct ks_record {
	struct ks_record *next;		/* hash chain, or the free list */
	unsigned long ptr;
	u64 ts_ns;			/* local_clock() at allocation */
	u32 bytes_alloc;
	u32 bytes_req;
	u32 site;			/* index into ks_store.sites */
	pid_t pid;
};

struct ks_store {
	/* live records: hash of ks_record chains keyed by ptr */
	struct ks_record **buckets;
	unsigned int bucket_bits;
	raw_spinlock_t locks[KS_NR_LOCKS];

	/* preallocated records; unused ones on free_list */
	struct ks_record *records;
	unsigned int nr_records;
	struct ks_record *free_list;
	raw_spinlock_t free_lock;

	/* call sites: open addressing, never removed until destroy */
	struct ks_site *sites;
	unsigned int site_bits;		/* slots = 1 << site_bits */
	unsigned int max_sites;
	atomic_t sites_used;

	/* what could not be recorded, and why */
	atomic_long_t records_used;
	atomic_long_t records_peak;
	atomic_long_t drop_pool_full;
	atomic_long_t drop_sites_full;
	atomic_long_t untracked_frees;
	atomic_long_t missed_frees;
};

/* A copy of a site, taken for formatting outside any lock. */
struct ks_site_snap {
	unsigned long key;
	const char *name;
	long live_bytes;
	long live_req;
	long live_count;
	long allocs;
	long frees;
	u8 kind;
	bool retired;
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
};

int ks_store_init(struct ks_store *st, unsigned int nr_records,
		  unsigned int max_sites);
void ks_store_destroy(struct ks_store *st);

int ks_store_alloc(struct ks_store *st, unsigned long ptr,
		   unsigned long call_site, size_t bytes_req,
		   size_t bytes_alloc, enum ks_kind kind);
bool ks_store_free(struct ks_store *st, unsigned long ptr);
bool ks_store_lookup(struct ks_store *st, unsigned long ptr,
		     struct ks_record_info *info);

unsigned int ks_store_snapshot_sites(struct ks_store *st,
				     struct ks_site_snap *out,
				     unsigned int max);
void ks_store_totals(struct ks_store *st,
		     struct ks_kind_totals totals[KS_NR_KINDS]);

typedef const char *(*ks_site_namer)(unsigned long key, void *arg);
unsigned int ks_store_retire_sites(struct ks_store *st,
				   bool (*match)(unsigned long key, void *arg),
				   ks_site_namer namer, void *arg);

static inline size_t ks_store_record_bytes(void)
{
	return sizeof(struct ks_record);
}

#endif /* _KMEMSCOPE_STORE_H */
