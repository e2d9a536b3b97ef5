/* SPDX-License-Identifier: GPL-2.0 */
/*
 * callers.h - the callers file.  See callers.c.
 */
#ifndef _KMEMSCOPE_CALLERS_H
#define _KMEMSCOPE_CALLERS_H

#include <linux/fs.h>

extern const struct file_operations ks_callers_fops;

#endif /* _KMEMSCOPE_CALLERS_H */
