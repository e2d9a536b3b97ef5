/* SPDX-License-Identifier: GPL-2.0 */
/*
 * state.h - the tracker's one store, its stack table and the settings the
 * probes read.  See state.c.
 */
#ifndef _KMEMSCOPE_STATE_H
#define _KMEMSCOPE_STATE_H

#include <linux/types.h>

#include "store.h"
#include "stacks.h"

extern struct ks_store ks_store;
extern struct ks_stacks ks_stacks;
/*
 * The switches every probe tests, in one word, so that the slab probes'
 * common case (tracking, not paused, no stacks) is one load and compare
 * (KS_SW_LEAN).  Each is written on its own with WRITE_ONCE().
 */
union ks_switches {
	struct {
		bool enabled;		/* tracking on (frees are always done) */
		bool paused;		/* a reset is running: reset.c only */
		bool stacks_on;		/* backtraces for every allocation */
		bool stacks_module_on;	/* backtraces for some modules' sites */
	};
	u32 word;
};

extern union ks_switches ks_sw;

/* ks_sw.word when tracking, not paused, with stacks off. */
#define KS_SW_LEAN	(((union ks_switches){ .enabled = true }).word)

extern unsigned int ks_stack_depth;
extern unsigned long ks_min_size;
extern u64 ks_loaded_ns;
extern const char * const ks_kind_names[KS_NR_KINDS];
extern const char * const ks_class_names[KS_NR_CLASSES];
extern const char * const ks_dma_source_names[KS_DMA_NR_SOURCES];

/* The name of allocator @kind, "?" for none. */
static inline const char *ks_kind_name(u8 kind)
{
	return kind < KS_NR_KINDS ? ks_kind_names[kind] : "?";
}

#endif /* _KMEMSCOPE_STATE_H */
