/* SPDX-License-Identifier: GPL-2.0 */
/*
 * dma.h - the dma file.  See dma.c.
 */
#ifndef _KMEMSCOPE_DMA_H
#define _KMEMSCOPE_DMA_H

#include <linux/fs.h>

extern const struct file_operations ks_dma_fops;

#endif /* _KMEMSCOPE_DMA_H */
