/* SPDX-License-Identifier: GPL-2.0 */
/*
 * versions.h - kmemscope's version and the format version of every file
 * it shows under /sys/kernel/debug/kmemscope/.
 *
 * Each file's first line is "kmemscope <file> - version: X.Y".  A new
 * field or row at the end moves the minor number; a change of meaning or
 * order moves the major number.  debugfs-docs/<file>.md states the same
 * version: scripts/docs-versions.sh checks it in make check.
 */
#ifndef _KMEMSCOPE_VERSIONS_H
#define _KMEMSCOPE_VERSIONS_H

#define KS_VERSION		"0.2"

#define KS_SUMMARY_VERSION	"2.14"	/* summary.c */
#define KS_CALLERS_VERSION	"2.1"	/* callers.c */
#define KS_MODULES_VERSION	"2.0"	/* modules.c */
#define KS_ALLOCATIONS_VERSION	"1.2"	/* allocations.c */
#define KS_TASKS_VERSION	"2.0"	/* tasks.c */
#define KS_TASK_SITES_VERSION	"1.1"	/* tasks.c */
#define KS_LEAKS_VERSION	"1.4"	/* leaks.c */
#define KS_SINCE_MARK_VERSION	"1.1"	/* leaks.c */
#define KS_CONTROL_VERSION	"1.2"	/* control.c */
#define KS_RESERVED_VERSION	"1.2"	/* account.c */
#define KS_MEMBLOCK_VERSION	"1.2"	/* account.c */
#define KS_ACCOUNT_VERSION	"1.3"	/* account.c */
#define KS_DMA_VERSION		"1.1"	/* dma.c */
#define KS_OOM_VERSION		"1.1"	/* oom.c */

#endif /* _KMEMSCOPE_VERSIONS_H */
