/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemscope.h - what the parts of the module share.
 */
#ifndef _KMEMSCOPE_H
#define _KMEMSCOPE_H

#include <linux/fs.h>
#include <linux/kallsyms.h>
#include <linux/seq_file.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include "store.h"
#include "stacks.h"
#include "format.h"

#define KS_VERSION	"0.2"

enum ks_hook {
	KS_HOOK_KMALLOC,
	KS_HOOK_KMEM_CACHE_ALLOC,
	KS_HOOK_KFREE,
	KS_HOOK_KMEM_CACHE_FREE,
	KS_HOOK_PAGE_ALLOC,
	KS_HOOK_PAGE_FREE,
	KS_HOOK_PERCPU_ALLOC,
	KS_HOOK_PERCPU_FREE,
	KS_HOOK_VMALLOC,
	KS_HOOK_VFREE,
	KS_HOOK_VFREE_ATOMIC,
	KS_HOOK_CACHE_ALLOC_BULK,
	KS_HOOK_CACHE_FREE_BULK,
	KS_HOOK_PAGES_BULK,
	KS_HOOK_SPLIT_PAGE,
	KS_HOOK_PAGES_EXACT,
	KS_HOOK_KREALLOC,
	KS_HOOK_KFREE_RCU_SHEAF,
	KS_HOOK_KFREE_NOLOCK,
	KS_NR_HOOKS,
};

/* State of one hook, as the summary reports it. */
enum ks_hook_state {
	KS_HOOK_OFF,		/* not registered (or not needed here) */
	KS_HOOK_ATTACHED,	/* registered, self-test not run */
	KS_HOOK_VERIFIED,	/* registered and seen firing at load */
	KS_HOOK_SILENT,		/* registered but did not fire at load */
	KS_HOOK_FAILED,		/* registration failed */
};

struct ks_hook_info {
	const char *name;
	enum ks_hook_state state;
	int error;
};

/* main.c */
extern struct ks_store ks_store;
extern struct ks_stacks ks_stacks;
extern bool ks_enabled;
extern bool ks_paused;
extern bool ks_stacks_on;
extern unsigned int ks_stack_depth;
extern unsigned long ks_min_size;
extern u64 ks_loaded_ns;
extern const char * const ks_kind_names[KS_NR_KINDS];
extern const char * const ks_class_names[KS_NR_CLASSES];

/* hooks.c */
struct ks_calib {
	struct task_struct *task;	/* whose allocation to keep */
	u8 kind;			/* of which allocator (KS_PAGE, ...) */
	unsigned int n;
	unsigned long entries[KS_STACK_MAX_DEPTH + 16];
};

extern struct ks_calib ks_calib;
extern struct ks_hook_info ks_hooks[KS_NR_HOOKS];
extern atomic_long_t ks_filtered_small;
extern atomic_long_t ks_unknown_callers;
extern atomic_long_t ks_user_pages;
extern atomic_long_t ks_vfree_deferred;
extern atomic_long_t ks_vfree_twice;
int ks_hooks_register(void);
void ks_hooks_unregister(void);
unsigned long ks_hooks_recursion_drops(void);
unsigned long ks_hooks_hits(enum ks_hook h);
unsigned long ks_hooks_missed(void);
unsigned long ks_hooks_frees_missed(void);

/* selftest.c */
int ks_selftest(void);

/* control.c */
int ks_control_create(struct dentry *dir);
void ks_reset(void);

/* views.c */
/*
 * A table copied out at open(): its rows are what a seq_file walks.
 * Position 0 is the header; position i is row i - 1.  Embed it first in
 * the allocation that holds the rows: release kvfree()s its address.
 */
struct ks_table {
	unsigned int n;
	size_t size;		/* of one row */
	void *rows;
};

/* A /proc/meminfo reading, in kB (-1: no such line). */
struct ks_meminfo {
	long slab, vmalloc_used, percpu, hugetlb, swap_cached;
	bool ok;
};

struct ks_module_row {
	char name[MODULE_NAME_LEN];
	const char *state;
	long live_bytes[KS_NR_KINDS];
	long live_count;
	long allocs;
	long frees;
	long total;
};

/* t first: ks_table_release() kvfree()s the table's address. */
struct ks_modules {
	struct ks_table t;
	unsigned int n;
	struct ks_module_row rows[];
};

int ks_views_create(void);
void ks_read_meminfo(struct ks_meminfo *mi);
struct ks_modules *ks_modules_build(void);
void ks_views_remove(void);
void *ks_table_start(struct seq_file *m, loff_t *pos);
void *ks_table_next(struct seq_file *m, void *v, loff_t *pos);
void ks_seq_stop(struct seq_file *m, void *v);
int ks_table_open(struct file *file, const struct seq_operations *ops,
		  struct ks_table *t);
int ks_table_release(struct inode *inode, struct file *file);

/* account.c */
void ks_account_create(struct dentry *dir);

/* leaks.c */
extern unsigned long ks_min_age_s;
extern u64 ks_mark_ns;
extern unsigned long ks_marks;
extern unsigned long ks_sample_interval_s;
extern unsigned int ks_sample_window;
int ks_sampler_set(unsigned long interval, unsigned int window);
void ks_sampler_reset(void);
size_t ks_sampler_bytes(void);
u32 ks_sampler_samples(void);
int ks_leaks_init(void);
void ks_leaks_create(struct dentry *dir);
void ks_leaks_module_going(const char *name);
void ks_leaks_exit(void);
void ks_mark(void);

#endif /* _KMEMSCOPE_H */
