/* SPDX-License-Identifier: GPL-2.0 */
/*
 * account.h - the account, reserved and memblock files.  See account.c.
 */
#ifndef _KMEMSCOPE_ACCOUNT_H
#define _KMEMSCOPE_ACCOUNT_H

#include <linux/fs.h>

extern const struct file_operations ks_reserved_fops;
extern const struct file_operations ks_memblock_fops;
extern const struct file_operations ks_account_fops;

#endif /* _KMEMSCOPE_ACCOUNT_H */
