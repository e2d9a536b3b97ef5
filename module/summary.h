/* SPDX-License-Identifier: GPL-2.0 */
/*
 * summary.h - the summary file.  See summary.c.
 */
#ifndef _KMEMSCOPE_SUMMARY_H
#define _KMEMSCOPE_SUMMARY_H

#include <linux/fs.h>

extern const struct file_operations ks_summary_fops;

#endif /* _KMEMSCOPE_SUMMARY_H */
