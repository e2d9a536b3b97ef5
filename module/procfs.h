/* SPDX-License-Identifier: GPL-2.0 */
/*
 * procfs.h - reading /proc files from kmemscope's own procfs.
 * See procfs.c.
 */
#ifndef _KMEMSCOPE_PROCFS_H
#define _KMEMSCOPE_PROCFS_H

#include <linux/types.h>

/* A /proc/meminfo reading, in kB (-1: no such line). */
struct ks_meminfo {
	long slab, vmalloc_used, percpu, hugetlb, swap_cached, cma_total;
	bool ok;
};

ssize_t ks_read_proc(const char *name, char *buf, size_t size);
void ks_read_meminfo(struct ks_meminfo *mi);

#endif /* _KMEMSCOPE_PROCFS_H */
