/* SPDX-License-Identifier: GPL-2.0 */
/*
 * debugfs.h - the directory /sys/kernel/debug/kmemscope/ and its files.
 * See debugfs.c.
 */
#ifndef _KMEMSCOPE_DEBUGFS_H
#define _KMEMSCOPE_DEBUGFS_H

int ks_debugfs_create(void);
void ks_debugfs_remove(void);

#endif /* _KMEMSCOPE_DEBUGFS_H */
