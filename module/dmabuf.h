/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dmabuf.h - the table of the DMA API buffers drivers hold.  See dmabuf.c.
 */
#ifndef _KMEMSCOPE_DMABUF_H
#define _KMEMSCOPE_DMABUF_H

#include <linux/device.h>
#include <linux/module.h>
#include <linux/types.h>

#include "physmem.h"

/* Buffers the table holds at once; past them, buffers are counted only. */
#define KS_DMA_BUFFERS		512
/* Entries ks_dmabuf_copy() copies per lock hold. */
#define KS_DMABUF_COPY_BATCH	32

#define KS_DMA_NAME		32
#define KS_DMA_SITE		64

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
		    size_t bytes,
		    size_t size);
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
