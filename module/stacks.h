/* SPDX-License-Identifier: GPL-2.0 */
/*
 * stacks.h - kmemscope's private table of backtraces.  See stacks.c.
 */
#ifndef _KMEMSCOPE_STACKS_H
#define _KMEMSCOPE_STACKS_H

#include <linux/types.h>
#include <linux/atomic.h>
#include <linux/spinlock.h>

#define KS_STACK_MAX_DEPTH	32
#define KS_MIN_STACKS		16U
#define KS_MAX_STACKS		(1024U * 1024)

struct ks_stacks {
	unsigned long *entries;		/* max * KS_STACK_MAX_DEPTH */
	u32 *hashes;			/* per stack */
	u8 *depths;			/* per stack */
	u32 *slots;			/* hash slot -> stack id (1-based), 0 empty */
	unsigned int max;
	unsigned int slot_bits;
	unsigned int used;		/* under lock */
	raw_spinlock_t lock;
	atomic_long_t full;		/* saves refused: table full */
};

int ks_stacks_init(struct ks_stacks *t, unsigned int max);
void ks_stacks_destroy(struct ks_stacks *t);
void ks_stacks_reset(struct ks_stacks *t);
u32 ks_stacks_save(struct ks_stacks *t, const unsigned long *entries,
		   unsigned int n);
unsigned int ks_stacks_get(struct ks_stacks *t, u32 id, unsigned long *out,
			   unsigned int max);

static inline size_t ks_stacks_bytes_each(void)
{
	return KS_STACK_MAX_DEPTH * sizeof(unsigned long) + sizeof(u32) +
	       sizeof(u8) + 2 * sizeof(u32);
}

#endif /* _KMEMSCOPE_STACKS_H */
