// SPDX-License-Identifier: GPL-2.0
/*
 * state.c - the tracker's one store (store.c) and stack table (stacks.c),
 * and the settings the probes read.
 *
 * main.c sizes and creates the store and the table at load and destroys
 * them at unload; everything else uses them in between.
 *
 * Locking: the settings are plain words.  main.c sets them at load, before
 * the files exist; then control.c writes them with WRITE_ONCE() under its
 * own lock.  The probes read them with READ_ONCE() and follow the old or
 * the new value.  ks_sw.paused is set by reset.c only.  ks_loaded_ns is
 * written at load and by a reset.
 */
#include <linux/module.h>

#include "state.h"

struct ks_store ks_store;
struct ks_stacks ks_stacks;
union ks_switches ks_sw;
unsigned int ks_stack_depth = 16;
unsigned long ks_min_size;
u64 ks_loaded_ns;

const char * const ks_kind_names[KS_NR_KINDS] = {
	[KS_KMALLOC]	= "kmalloc",
	[KS_KMEM_CACHE]	= "kmem_cache",
	[KS_VMALLOC]	= "vmalloc",
	[KS_PAGE]	= "page",
	[KS_PERCPU]	= "percpu",
	[KS_DMA]	= "dma",
};

const char * const ks_dma_source_names[KS_DMA_NR_SOURCES] = {
	[KS_DMA_PAGES]		= "pages",
	[KS_DMA_CMA]		= "cma",
	[KS_DMA_DEVICE_POOL]	= "device_pool",
};

const char * const ks_class_names[KS_NR_CLASSES] = {
	[KS_CLASS_OBJECT]	= "object",
	[KS_CLASS_SLAB]		= "slab_backing",
	[KS_CLASS_VMALLOC]	= "vmalloc_backing",
	[KS_CLASS_PERCPU]	= "percpu_backing",
	[KS_CLASS_PAGETABLE]	= "page_tables",
	[KS_CLASS_USER]		= "user_and_file",
	[KS_CLASS_DMA]		= "dma_backing",
	[KS_CLASS_STACK]	= "kernel_stacks",
	[KS_CLASS_EXCLUDED]	= "filtered_out",
};
