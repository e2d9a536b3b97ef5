// SPDX-License-Identifier: GPL-2.0
/*
 * debugfs.c - the directory /sys/kernel/debug/kmemscope/ and every file
 * in it; each file's operations come from the unit named after it.
 *
 *   summary      summary.c        callers      callers.c
 *   modules      modules.c        allocations  allocations.c
 *   tasks        tasks.c          task_sites   tasks.c
 *   leaks        leaks.c          since_mark   leaks.c
 *   reserved     account.c        memblock     account.c
 *   account      account.c        control      control.c
 *   oom          oom.c
 *
 * Views are 0400 and control 0600: only root reads or writes them.  If a
 * file cannot be created (no memory), none is left and the load fails.
 * (As with any module whose init fails after its debugfs files appeared,
 * a file opened in that moment keeps no reference on the module.)
 * Locking: none; create and remove run at load and unload only.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>

#include "debugfs.h"
#include "summary.h"
#include "callers.h"
#include "modules.h"
#include "allocations.h"
#include "tasks.h"
#include "leaks.h"
#include "account.h"
#include "control.h"
#include "oom.h"
#include "dma.h"

static struct dentry *ks_dir;

static const struct {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
} ks_files[] = {
	{ "summary",	 0400, &ks_summary_fops },
	{ "callers",	 0400, &ks_callers_fops },
	{ "modules",	 0400, &ks_modules_fops },
	{ "allocations", 0400, &ks_allocations_fops },
	{ "tasks",	 0400, &ks_tasks_fops },
	{ "task_sites",	 0400, &ks_task_sites_fops },
	{ "control",	 0600, &ks_control_fops },
	{ "reserved",	 0400, &ks_reserved_fops },
	{ "memblock",	 0400, &ks_memblock_fops },
	{ "account",	 0400, &ks_account_fops },
	{ "leaks",	 0400, &ks_leaks_fops },
	{ "since_mark",	 0400, &ks_since_mark_fops },
	{ "oom",	 0400, &ks_oom_fops },
	{ "dma",	 0400, &ks_dma_fops },
};

/* Context: module init, last: every file works once it exists. */
int ks_debugfs_create(void)
{
	unsigned int i;

	ks_dir = debugfs_create_dir("kmemscope", NULL);
	if (IS_ERR(ks_dir)) {
		pr_err("cannot create the debugfs directory: %ld\n",
		       PTR_ERR(ks_dir));
		return PTR_ERR(ks_dir);
	}
	for (i = 0; i < ARRAY_SIZE(ks_files); i++) {
		struct dentry *d = debugfs_create_file(ks_files[i].name,
						       ks_files[i].mode, ks_dir,
						       NULL, ks_files[i].fops);

		/* A load without one of its files would hide that it failed. */
		if (IS_ERR(d)) {
			pr_err("cannot create debugfs file %s: %ld\n",
			       ks_files[i].name, PTR_ERR(d));
			ks_debugfs_remove();
			return PTR_ERR(d);
		}
	}
	return 0;
}

/* Context: module exit, first: no file can be opened afterwards. */
void ks_debugfs_remove(void)
{
	debugfs_remove_recursive(ks_dir);
	ks_dir = NULL;
}
