// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - kmemscope: where did my memory go, and what is my driver
 * leaking?
 *
 * Module parameters, load and unload, and the module notifier that keeps
 * the names of call sites whose code goes away.
 *
 * Load order: store, views, notifier, hooks, self-test.  Unload runs it
 * backwards; the hooks are gone (tracepoint_synchronize_unregister())
 * before the store is freed.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "kmemscope.h"

static unsigned int max_records = 65536;
module_param(max_records, uint, 0444);
MODULE_PARM_DESC(max_records,
		 "live allocations that can be tracked at once (64..16777216; 48 bytes each)");

static unsigned int max_sites = 4096;
module_param(max_sites, uint, 0444);
MODULE_PARM_DESC(max_sites, "distinct call sites (16..1048576)");

static bool enable = true;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "start tracking at load (default: yes)");

struct ks_store ks_store;
bool ks_enabled;
u64 ks_loaded_ns;

const char * const ks_kind_names[KS_NR_KINDS] = {
	[KS_KMALLOC]	= "kmalloc",
	[KS_KMEM_CACHE]	= "kmem_cache",
};

/* ---- sites of code that goes away ------------------------------------- */

struct ks_going {
	struct module *mod;
	bool init_only;
};

static bool ks_site_in_module(unsigned long key, void *arg)
{
	struct ks_going *g = arg;

	if (g->init_only)
		return within_module_init(key, g->mod);
	return within_module(key, g->mod);
}

static const char *ks_site_name(unsigned long key, void *arg)
{
	char buf[KSYM_SYMBOL_LEN];

	ks_format_site(buf, sizeof(buf), key);
	return kstrdup(buf, GFP_KERNEL);
}

/*
 * MODULE_STATE_LIVE: the module's init text is about to be freed.
 * MODULE_STATE_GOING: its exit has run; its memory is not yet freed, so
 * its symbols still resolve.  Either way, name the sites in the code that
 * goes and retire them so that their counters stay with that name.
 */
static int ks_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct ks_going g = { .mod = data };

	if (action == MODULE_STATE_LIVE)
		g.init_only = true;
	else if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	ks_store_retire_sites(&ks_store, ks_site_in_module, ks_site_name, &g);
	return NOTIFY_DONE;
}

static struct notifier_block ks_module_nb = {
	.notifier_call = ks_module_notify,
};

/* ---- load and unload -------------------------------------------------- */

static int __init kmemscope_init(void)
{
	int ret, bad;

	if (max_records < KS_MIN_RECORDS || max_records > KS_MAX_RECORDS) {
		pr_err("max_records=%u is out of range (%u..%u)\n", max_records,
		       KS_MIN_RECORDS, KS_MAX_RECORDS);
		return -EINVAL;
	}
	if (max_sites < KS_MIN_SITES || max_sites > KS_MAX_SITES) {
		pr_err("max_sites=%u is out of range (%u..%u)\n", max_sites,
		       KS_MIN_SITES, KS_MAX_SITES);
		return -EINVAL;
	}

	ret = ks_store_init(&ks_store, max_records, max_sites);
	if (ret) {
		pr_err("cannot allocate the record store (%u records): %d\n",
		       max_records, ret);
		return ret;
	}
	ks_loaded_ns = local_clock();

	ret = ks_views_create();
	if (ret)
		goto err_store;
	ret = register_module_notifier(&ks_module_nb);
	if (ret)
		goto err_views;

	WRITE_ONCE(ks_enabled, true);
	ret = ks_hooks_register();
	if (ret) {
		pr_err("cannot attach to the slab tracepoints: %d\n", ret);
		goto err_notifier;
	}
	bad = ks_hooks_selftest();
	WRITE_ONCE(ks_enabled, enable);

	pr_info("version %s loaded: %u records, %u sites, %d of %d hooks verified, tracking %s\n",
		KS_VERSION, max_records, max_sites, KS_NR_HOOKS - bad,
		KS_NR_HOOKS, enable ? "on" : "off");
	return 0;

err_notifier:
	WRITE_ONCE(ks_enabled, false);
	unregister_module_notifier(&ks_module_nb);
err_views:
	ks_views_remove();
err_store:
	ks_store_destroy(&ks_store);
	return ret;
}

static void __exit kmemscope_exit(void)
{
	WRITE_ONCE(ks_enabled, false);
	ks_hooks_unregister();
	unregister_module_notifier(&ks_module_nb);
	ks_views_remove();
	ks_store_destroy(&ks_store);
	pr_info("unloaded\n");
}

module_init(kmemscope_init);
module_exit(kmemscope_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmemscope: per call site and per module kernel memory accounting");
MODULE_VERSION(KS_VERSION);
