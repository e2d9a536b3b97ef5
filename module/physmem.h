/* SPDX-License-Identifier: GPL-2.0 */
/*
 * physmem.h - a snapshot of what the kernel knows about physical memory:
 * device-tree reserved-memory regions, memblock, the resource tree, the
 * zones and the counters that divide managed pages among their users.
 * The reserved, memblock and account files (account.c) format one.
 *
 * A snapshot is built at open() in process context (it reads files and
 * allocates) and owned by that open file; nothing in it points into
 * kernel structures, so formatting takes no lock.
 */
#ifndef _KMEMSCOPE_PHYSMEM_H
#define _KMEMSCOPE_PHYSMEM_H

#include <linux/types.h>
#include "regions.h"
#include "dmabuf.h"

#define KS_NAME_LEN		64
#define KS_MAX_DT_REGIONS	64
#define KS_MAX_IOMEM		512
#define KS_MAX_MEMBLOCK		1024
#define KS_MAX_ZONES		32
#define KS_MAX_DIRECT		32
#define KS_MAX_PERCPU_UNITS	64
#define KS_MAX_MEMMAP		64
#define KS_MAX_RAM		64

/* memblock region flags, as include/linux/memblock.h numbers them */
#define KS_MB_HOTPLUG		0x1
#define KS_MB_MIRROR		0x2
#define KS_MB_NOMAP		0x4
#define KS_MB_DRIVER_MANAGED	0x8
#define KS_MB_RSRV_NOINIT	0x10

/* A device-tree /reserved-memory child. */
struct ks_dt_region {
	char name[KS_NAME_LEN];
	char compatible[KS_NAME_LEN];
	char device[KS_NAME_LEN];	/* first node whose memory-region names it */
	char driver[32];		/* that device's bound driver, or "none" */
	u64 base, size;			/* as the kernel reserved it */
	u64 dt_base, dt_size;		/* as "reg" declares it (0 0: no reg) */
	bool nomap, reusable, cma_default, dynamic, disabled;
	bool reserved;			/* the kernel has it (of_reserved_mem_lookup) */
	bool set_up;			/* and its set-up (CMA, a DMA pool) worked */
	unsigned int users;		/* nodes whose memory-region names it */
};

/* A /proc/iomem line. */
struct ks_iomem {
	u64 start, end;			/* inclusive, as /proc/iomem prints */
	u8 depth;
	char name[KS_NAME_LEN];
};

struct ks_mb_region {
	u64 base, size;
	u32 flags;
	int nid;
};

struct ks_zone_info {
	char name[16];
	int nid;
	unsigned long spanned, present, managed, free, pcp;
	long cma;			/* -1: the kernel does not count it */
};

/*
 * Live page-allocator pages tracked per module (the modules table), and
 * the managed pages under its DMA API buffers (page allocator and CMA;
 * a device's own pool is reserved memory, not managed).
 */
struct ks_direct {
	char module[KS_NAME_LEN];
	unsigned long pages;
	unsigned long dma_pages;
};

#define KS_MAX_DMA_AREAS	(KS_MAX_DT_REGIONS + 1)
#define KS_MAX_POOLS		16
#define KS_MAX_POOL_HOLDERS	8

struct ks_pool_holder {
	char module[KS_NAME_LEN];
	unsigned long pages;
};

/* An area in the account: where its pages lie, who holds what of it. */
struct ks_pool {
	struct ks_dma_area area;
	const char *inside;		/* the account line that holds its pages */
	unsigned long held_pages;
	unsigned int n_holders;
	struct ks_pool_holder holders[KS_MAX_POOL_HOLDERS];
};

struct ks_physmem {
	/* device tree (arm64) */
	bool dt;			/* /reserved-memory exists */
	unsigned int n_dt;
	struct ks_dt_region dtr[KS_MAX_DT_REGIONS];
	bool dt_truncated;
	u64 initrd_start, initrd_end;	/* /chosen, 0 0 if absent */

	/* resource tree */
	int iomem_err;			/* 0, or why /proc/iomem could not be read */
	unsigned int n_io;
	bool io_truncated;
	struct ks_iomem io[KS_MAX_IOMEM];

	/* memblock (kept after boot on some architectures) */
	const char *mb_missing;		/* NULL, or why there is none */
	unsigned int n_mem, n_res;
	bool mb_truncated;
	bool mb_changed;		/* changed while copied, every try */
	struct ks_mb_region mem[KS_MAX_MEMBLOCK];
	struct ks_mb_region res[KS_MAX_MEMBLOCK];

	/*
	 * the struct page array: where each early (boot) section's part
	 * starts, where that can be found safely (physmem.c)
	 */
	bool memmap_located;
	unsigned int n_memmap;
	u64 memmap_phys[KS_MAX_MEMMAP];

	/* percpu first chunk: one address inside each possible CPU's unit */
	unsigned int n_pcpu;
	u64 pcpu_phys[KS_MAX_PERCPU_UNITS];

	/* RAM, normalised, from the best source (account.c fills it) */
	unsigned int n_ram;
	const char *ram_source;
	bool show_addrs;		/* the opener may see physical addresses */
	struct ks_range ram[KS_MAX_RAM];

	/* zones and counters, in pages */
	unsigned int n_zones;
	struct ks_zone_info zones[KS_MAX_ZONES];
	unsigned long sections, pages_per_section, memmap_pages;
	unsigned long slab_reclaimable, slab_unreclaimable, kernel_stack,
		      page_tables, anon, file, shmem, swapcache;
	long vmalloc_kb, percpu_kb, hugetlb_kb;	/* /proc/meminfo, -1 absent */
	unsigned int n_direct;
	bool direct_truncated;
	struct ks_direct direct[KS_MAX_DIRECT];
	unsigned int n_pools;
	bool pools_truncated;
	struct ks_pool pools[KS_MAX_POOLS];
	u64 since_load_s;
};

/*
 * The counters that can be read without allocating (the OOM report):
 * pages, summed over the zones and nodes.  NR_FILE_PAGES includes shmem
 * and the swap cache.
 */
struct ks_ram_counters {
	unsigned long managed, free, pcp;
	unsigned long slab_reclaimable, slab_unreclaimable, kernel_stack,
		      page_tables, anon, file;
	/* parts of file (swapcache: 0 where the kernel has no such counter) */
	unsigned long shmem, swapcache;
};

struct ks_physmem *ks_physmem_snapshot(void);
void ks_physmem_counters(struct ks_ram_counters *c);
const char *ks_dt_kind(const struct ks_dt_region *r);
int ks_physmem_dma_areas(struct ks_dma_area *a, unsigned int max);

#endif /* _KMEMSCOPE_PHYSMEM_H */
