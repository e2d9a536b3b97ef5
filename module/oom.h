/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oom.h - the OOM report and the oom file.  See oom.c.
 */
#ifndef _KMEMSCOPE_OOM_H
#define _KMEMSCOPE_OOM_H

#include <linux/fs.h>

extern const struct file_operations ks_oom_fops;

int ks_oom_init(void);
void ks_oom_exit(void);

#endif /* _KMEMSCOPE_OOM_H */
