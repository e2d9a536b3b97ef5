/* SPDX-License-Identifier: GPL-2.0 */
/*
 * control.h - the control file.  See control.c.
 */
#ifndef _KMEMSCOPE_CONTROL_H
#define _KMEMSCOPE_CONTROL_H

#include <linux/fs.h>

extern const struct file_operations ks_control_fops;

#endif /* _KMEMSCOPE_CONTROL_H */
