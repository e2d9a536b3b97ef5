// SPDX-License-Identifier: GPL-2.0
/*
 * reset.c - start counting afresh: the control file's "reset", and the
 * one the self-test makes at load to forget its own allocations.
 *
 * Locking: ks_reset_lock (a mutex) lets one reset run at a time.  A reset
 * pauses the probes (ks_sw.paused, then synchronize_rcu(): probes run with
 * preemption off, so every running probe has finished) so that the store
 * and the stack table can be cleared under nobody's feet, then clears
 * everything that counts since the last reset.  Lock order: control.c's
 * ks_control_lock, then ks_reset_lock, then the sampler's lock.
 */
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>

#include "reset.h"
#include "state.h"
#include "hooks.h"
#include "pagecaller.h"
#include "marks.h"
#include "sampler.h"
#include "dmabuf.h"

static DEFINE_MUTEX(ks_reset_lock);

/* Context: process. */
void ks_reset(void)
{
	int i;

	mutex_lock(&ks_reset_lock);
	WRITE_ONCE(ks_sw.paused, true);
	synchronize_rcu();
	ks_store_reset(&ks_store);
	ks_stacks_reset(&ks_stacks);
	ks_sampler_reset();
	ks_dmabuf_reset();
	for (i = 0; i < KS_DMA_NR_SOURCES; i++)
		atomic_long_set(&ks_dma_source[i], 0);
	atomic_long_set(&ks_dma_unsized, 0);
	atomic_long_set(&ks_cma_unrecorded, 0);
	atomic_long_set(&ks_cma_unrecorded_pages, 0);
	atomic_long_set(&ks_filtered_small, 0);
	atomic_long_set(&ks_unknown_callers, 0);
	atomic_long_set(&ks_page_rewalks, 0);
	atomic_long_set(&ks_page_caller_unwound, 0);
	atomic_long_set(&ks_user_pages, 0);
	atomic_long_set(&ks_bulk_pages, 0);
	atomic_long_set(&ks_bulk_unseen, 0);
	atomic_long_set(&ks_vfree_deferred, 0);
	atomic_long_set(&ks_vfree_twice, 0);
	ks_hooks_vmalloc_reset();
	ks_loaded_ns = local_clock();
	ks_marks_reset();
	WRITE_ONCE(ks_sw.paused, false);
	mutex_unlock(&ks_reset_lock);
}
