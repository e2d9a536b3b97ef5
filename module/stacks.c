// SPDX-License-Identifier: GPL-2.0
/*
 * stacks.c - kmemscope's private, preallocated table of backtraces.
 *
 * The kernel's stack depot would do, but its API differs between 6.1 and
 * 6.12 and it may allocate; this table never does after init.
 *
 * Data structures
 * ---------------
 * Stack i (1-based id) keeps up to KS_STACK_MAX_DEPTH return addresses in
 * entries[(i - 1) * KS_STACK_MAX_DEPTH...], its depth and a hash.  slots[]
 * is an open-addressing index (2 * max slots, linear probing) from the
 * hash to the id.  Stacks are never removed, only all at once by reset:
 * equal backtraces share one id, so the table holds distinct stacks.
 *
 * Notes on locking
 * ----------------
 * lock (raw, taken with interrupts off) protects slots[], used and the
 * stacks being written.  A stack is complete before its id is stored in a
 * slot; ks_stacks_get() of an id handed out earlier reads without the
 * lock (the stack does not change until reset, which needs the hooks
 * paused).  Saves do bounded work: at most 2 * max probes, in practice a
 * few, and one compare per probe.
 */
#include <linux/gfp.h>
#include <linux/hash.h>
#include <linux/jhash.h>
#include <linux/log2.h>
#include <linux/vmalloc.h>
#include <linux/string.h>

#include "stacks.h"

/* As in store.c: a failure is the caller's to report, without a warning. */
static void *ks_table_zalloc(size_t size)
{
	return __vmalloc(size, GFP_KERNEL | __GFP_ZERO | __GFP_NOWARN);
}

int ks_stacks_init(struct ks_stacks *t, unsigned int max)
{
	if (max < KS_MIN_STACKS || max > KS_MAX_STACKS)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	t->max = max;
	t->slot_bits = ilog2(roundup_pow_of_two(max)) + 1;
	t->entries = ks_table_zalloc(array3_size(max, KS_STACK_MAX_DEPTH,
						 sizeof(*t->entries)));
	t->hashes = ks_table_zalloc(array_size(max, sizeof(*t->hashes)));
	t->depths = ks_table_zalloc(array_size(max, sizeof(*t->depths)));
	t->slots = ks_table_zalloc(array_size(1UL << t->slot_bits,
					      sizeof(*t->slots)));
	if (!t->entries || !t->hashes || !t->depths || !t->slots) {
		ks_stacks_destroy(t);
		return -ENOMEM;
	}
	raw_spin_lock_init(&t->lock);
	return 0;
}

void ks_stacks_destroy(struct ks_stacks *t)
{
	vfree(t->entries);
	vfree(t->hashes);
	vfree(t->depths);
	vfree(t->slots);
	t->entries = NULL;
	t->hashes = NULL;
	t->depths = NULL;
	t->slots = NULL;
}

/* Context: process; no save may run concurrently. */
void ks_stacks_reset(struct ks_stacks *t)
{
	memset(t->slots, 0, sizeof(*t->slots) << t->slot_bits);
	t->used = 0;
	atomic_long_set(&t->full, 0);
}

/**
 * ks_stacks_save - find or add a backtrace
 * @t: the table
 * @entries: return addresses, innermost first
 * @n: how many (only the first KS_STACK_MAX_DEPTH are kept)
 *
 * Context: any but NMI; does not sleep or allocate.
 * Return: the stack's id, or 0 when @n is 0 or the table is full (counted).
 */
u32 ks_stacks_save(struct ks_stacks *t, const unsigned long *entries,
		   unsigned int n)
{
	unsigned int mask = (1U << t->slot_bits) - 1, i, probes;
	unsigned long flags;
	u32 hash, id = 0;

	if (!n)
		return 0;
	n = min_t(unsigned int, n, KS_STACK_MAX_DEPTH);
	hash = jhash(entries, n * sizeof(*entries), n);
	i = hash_32(hash, t->slot_bits);

	raw_spin_lock_irqsave(&t->lock, flags);
	for (probes = 0; probes <= mask; probes++, i = (i + 1) & mask) {
		u32 s = t->slots[i];

		if (!s)
			break;
		if (t->hashes[s - 1] == hash && t->depths[s - 1] == n &&
		    !memcmp(&t->entries[(s - 1) * KS_STACK_MAX_DEPTH], entries,
			    n * sizeof(*entries))) {
			id = s;
			goto out;
		}
	}
	if (t->used >= t->max || probes > mask) {
		atomic_long_inc(&t->full);
		goto out;
	}
	id = ++t->used;
	memcpy(&t->entries[(id - 1) * KS_STACK_MAX_DEPTH], entries,
	       n * sizeof(*entries));
	t->hashes[id - 1] = hash;
	t->depths[id - 1] = n;
	t->slots[i] = id;
out:
	raw_spin_unlock_irqrestore(&t->lock, flags);
	return id;
}

/**
 * ks_stacks_get - copy a backtrace out
 * @t: the table
 * @id: an id ks_stacks_save() returned
 * @out: room for @max entries
 * @max: its size
 *
 * Context: any.  Return: entries copied; 0 for an unknown id.
 */
unsigned int ks_stacks_get(struct ks_stacks *t, u32 id, unsigned long *out,
			   unsigned int max)
{
	unsigned int n;

	if (!id || id > READ_ONCE(t->used) || id > t->max)
		return 0;
	n = min_t(unsigned int, t->depths[id - 1], max);
	memcpy(out, &t->entries[(id - 1) * KS_STACK_MAX_DEPTH],
	       n * sizeof(*out));
	return n;
}
