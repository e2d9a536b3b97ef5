/* SPDX-License-Identifier: GPL-2.0 */
/*
 * tasks.h - the tasks and task_sites files.  See tasks.c.
 */
#ifndef _KMEMSCOPE_TASKS_H
#define _KMEMSCOPE_TASKS_H

#include <linux/fs.h>

extern const struct file_operations ks_tasks_fops;
extern const struct file_operations ks_task_sites_fops;

#endif /* _KMEMSCOPE_TASKS_H */
