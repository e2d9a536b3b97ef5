/* SPDX-License-Identifier: GPL-2.0 */
/*
 * leaks.h - the leaks and since_mark files.  See leaks.c.
 */
#ifndef _KMEMSCOPE_LEAKS_H
#define _KMEMSCOPE_LEAKS_H

#include <linux/fs.h>

extern unsigned long ks_min_age_s;
extern const struct file_operations ks_leaks_fops;
extern const struct file_operations ks_since_mark_fops;

#endif /* _KMEMSCOPE_LEAKS_H */
