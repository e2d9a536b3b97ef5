/* SPDX-License-Identifier: GPL-2.0 */
/*
 * allocations.h - the allocations file.  See allocations.c.
 */
#ifndef _KMEMSCOPE_ALLOCATIONS_H
#define _KMEMSCOPE_ALLOCATIONS_H

#include <linux/fs.h>

extern const struct file_operations ks_allocations_fops;

#endif /* _KMEMSCOPE_ALLOCATIONS_H */
