/* SPDX-License-Identifier: GPL-2.0 */
/*
 * modules.h - the modules file.  See modules.c.
 */
#ifndef _KMEMSCOPE_MODULES_H
#define _KMEMSCOPE_MODULES_H

#include <linux/fs.h>

extern const struct file_operations ks_modules_fops;

#endif /* _KMEMSCOPE_MODULES_H */
