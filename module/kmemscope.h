/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemscope.h - what the parts of the module share.
 */
#ifndef _KMEMSCOPE_H
#define _KMEMSCOPE_H

#include <linux/percpu.h>
#include "store.h"

#define KS_VERSION	"0.1"

enum ks_hook {
	KS_HOOK_KMALLOC,
	KS_HOOK_KMEM_CACHE_ALLOC,
	KS_HOOK_KFREE,
	KS_HOOK_KMEM_CACHE_FREE,
	KS_NR_HOOKS,
};

/* State of one hook, as the summary reports it. */
enum ks_hook_state {
	KS_HOOK_OFF,		/* not registered */
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
extern bool ks_enabled;
extern u64 ks_loaded_ns;
extern const char * const ks_kind_names[KS_NR_KINDS];

/* hooks.c */
extern struct ks_hook_info ks_hooks[KS_NR_HOOKS];
int ks_hooks_register(void);
void ks_hooks_unregister(void);
int ks_hooks_selftest(void);
unsigned long ks_hooks_recursion_drops(void);
unsigned long ks_hooks_hits(enum ks_hook h);

/* views.c */
int ks_views_create(void);
void ks_views_remove(void);
int ks_format_site(char *buf, size_t len, unsigned long key);

#endif /* _KMEMSCOPE_H */
