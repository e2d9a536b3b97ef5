/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabuf.h - the table of the DMA API buffers drivers hold, and the type
 * of the CMA areas and device pools they come from (physmem.c finds them,
 * ks_dmabuf_area_of() matches a buffer to one).  See dmabuf.c.
 */
#ifndef _KMEMSCOPE_DMABUF_H
#define _KMEMSCOPE_DMABUF_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/types.h>

/* Buffers the table holds at once; past them, buffers are counted only. */
#define KS_DMA_BUFFERS		512
/* Entries ks_dmabuf_copy() copies per lock hold. */
#define KS_DMABUF_COPY_BATCH	32

#define KS_DMA_NAME		32
#define KS_DMA_SITE		64

#define KS_DMA_AREA_NAME	64

/*
 * A CMA area or a device's own coherent pool (the dma file's area rows).
 * The CMA area the device tree does not declare (the default one the
 * kernel sets aside from cma= or its configuration, and any per-node or
 * hugetlb area) is one entry, with base 0: the kernel does not export its
 * areas, only their total (CmaTotal) and their free pages.
 */
enum ks_dma_area_kind { KS_AREA_CMA, KS_AREA_DEVICE_POOL };

struct ks_dma_area {
	char name[KS_DMA_AREA_NAME];
	u8 kind;			/* enum ks_dma_area_kind */
	bool nomap;			/* a pool the kernel does not map */
	u64 base, size;			/* bytes; base 0: not in the tree */
	long free_pages;		/* CMA: in the buddy lists; pool: -1 */
};

struct ks_dma_buf {
	unsigned long addr;		/* 0: a free entry */
	u64 ts;				/* ks_store_stamp() when taken */
	size_t bytes;			/* what served it holds */
	size_t size;			/* what the driver asked for */
	const char *area;		/* a CMA area's name (the kernel's), or NULL */
	u64 phys;			/* a device pool's buffer: where; else 0 */
	u8 src;				/* enum ks_dma_source */
	char dev[KS_DMA_NAME];
	char drv[KS_DMA_NAME];
	char mod[MODULE_NAME_LEN];
	char site[KS_DMA_SITE];		/* "func+0xoff" */
};

struct ks_dma_src_stats {
	long live_bytes, live_count, allocs, frees, peak_bytes;
};

int ks_dmabuf_init(void);
void ks_dmabuf_exit(void);
void ks_dmabuf_note(unsigned long addr, struct device *dev, u8 src,
		    const char *area, u64 phys, unsigned long call_site,
		    size_t bytes, size_t size);
void ks_dmabuf_forget(unsigned long addr);
void ks_dmabuf_reset(void);
size_t ks_dmabuf_table_bytes(void);
void ks_dmabuf_stats(struct ks_dma_src_stats *stats, unsigned long *not_listed,
		     unsigned long *frees_missed);
int ks_dmabuf_area_of(const struct ks_dma_buf *b, const struct ks_dma_area *a,
		      int n);
unsigned int ks_dmabuf_copy(unsigned int start, struct ks_dma_buf *out,
			    unsigned int max);

#endif /* _KMEMSCOPE_DMABUF_H */
