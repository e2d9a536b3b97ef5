// SPDX-License-Identifier: GPL-2.0
/*
 * main.c - kmemscope: where did my memory go, and what is my driver
 * leaking?
 *
 * Module parameters, load and unload, and the module notifier that keeps
 * the names of call sites whose code goes away.
 *
 * Load order: store, stack table, attribution ranges, unload reports'
 * and sampler's works, notifier, hooks, self-test, and the debugfs files
 * last, so that nothing can be read or written (a reset, a sampler
 * interval) while the module is still initialising or failing to.
 * Unload: the debugfs files first (no command can restart the sampler),
 * then the notifier; pending unload reports are written and the sampler
 * stopped while the hooks are still on (frees that RCU hands back late
 * are still seen); then the hooks go (tracepoint_synchronize_unregister():
 * no probe runs afterwards), and only then the stack table and the store.
 *
 * Locking: none of its own; the module notifier runs in process context,
 * under the module loader's own serialisation.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>

#include "versions.h"
#include "state.h"
#include "attrib.h"
#include "format.h"
#include "hooks.h"
#include "pagecaller.h"
#include "selftest.h"
#include "reports.h"
#include "sampler.h"
#include "marks.h"
#include "debugfs.h"
#include "oom.h"
#include "dmabuf.h"

static unsigned int max_records = 32768;
module_param(max_records, uint, 0444);
MODULE_PARM_DESC(max_records,
		 "live allocations that can be tracked at once (64..16777216)");

static unsigned int max_sites = 4096;
module_param(max_sites, uint, 0444);
MODULE_PARM_DESC(max_sites, "distinct call sites (16..1048576)");

static unsigned int max_stacks = 4096;
module_param(max_stacks, uint, 0444);
MODULE_PARM_DESC(max_stacks, "distinct backtraces kept when stacks are on (16..1048576)");

static bool enable = true;
module_param(enable, bool, 0444);
MODULE_PARM_DESC(enable, "start tracking at load (default: yes)");

static bool stacks;
module_param(stacks, bool, 0444);
MODULE_PARM_DESC(stacks, "record a backtrace with each allocation from load (default: no)");

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
 * MODULE_STATE_COMING: its load stamp is taken (reports.c: an unload
 * report says what this load holds).
 * MODULE_STATE_LIVE: the module's init text is about to be freed.
 * MODULE_STATE_GOING: its exit has run; its memory is not yet freed, so
 * its symbols still resolve.  Either way, name the sites in the code that
 * goes and retire them so that their counters stay with that name.
 */
static int ks_module_notify(struct notifier_block *nb, unsigned long action,
			    void *data)
{
	struct ks_going g = { .mod = data };

	if (action == MODULE_STATE_COMING) {
		ks_reports_module_coming(g.mod->name);
		return NOTIFY_DONE;
	}
	if (action == MODULE_STATE_LIVE)
		g.init_only = true;
	else if (action != MODULE_STATE_GOING)
		return NOTIFY_DONE;
	ks_store_retire_sites(&ks_store, ks_site_in_module, ks_site_name, &g,
			      g.init_only ? KS_RETIRED_INIT : KS_RETIRED_UNLOAD);
	if (!g.init_only) {
		ks_store_mark_unloaded(&ks_store, g.mod->name);
		ks_reports_module_going(g.mod->name);
		ks_store_fold_unloaded(&ks_store, g.mod->name);
	}
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
	if (max_stacks < KS_MIN_STACKS || max_stacks > KS_MAX_STACKS) {
		pr_err("max_stacks=%u is out of range (%u..%u)\n", max_stacks,
		       KS_MIN_STACKS, KS_MAX_STACKS);
		return -EINVAL;
	}

	ret = ks_store_init(&ks_store, max_records, max_sites);
	if (ret) {
		pr_err("cannot allocate the record store (%u records): %d\n",
		       max_records, ret);
		return ret;
	}
	ret = ks_stacks_init(&ks_stacks, max_stacks);
	if (ret) {
		pr_err("cannot allocate the stack table (%u stacks): %d\n",
		       max_stacks, ret);
		goto err_store;
	}
	ret = ks_dmabuf_init();
	if (ret) {
		pr_err("cannot allocate the DMA buffer table: %d\n", ret);
		goto err_stacks;
	}
	ks_attrib_init();
	ks_store.classify = ks_attrib_classify;
	ks_loaded_ns = local_clock();
	ks_marks_reset();

	ret = ks_reports_init();
	if (ret)
		goto err_dma;
	ks_sampler_init();
	/* Nothing can be pending yet; the slots' works are initialised. */
	ret = register_module_notifier(&ks_module_nb);
	if (ret)
		goto err_reports;
	ret = ks_oom_init();
	if (ret)
		goto err_module_nb;

	WRITE_ONCE(ks_sw.enabled, true);
	ret = ks_hooks_register();
	if (ret) {
		pr_err("cannot attach to the slab tracepoints: %d\n", ret);
		goto err_notifier;
	}
	bad = ks_selftest();
	WRITE_ONCE(ks_sw.stacks_on, stacks);
	WRITE_ONCE(ks_sw.enabled, enable);

	ret = ks_debugfs_create();
	if (ret)
		goto err_hooks;

	pr_info("version %s loaded: %u records, %u sites, %u stacks; %d hooks failed their self-test; tracking %s\n",
		KS_VERSION, max_records, max_sites, max_stacks, bad,
		enable ? "on" : "off");
	return 0;

err_hooks:
	WRITE_ONCE(ks_sw.enabled, false);
	ks_hooks_unregister();
	ks_pagecaller_unregister();
err_notifier:
	WRITE_ONCE(ks_sw.enabled, false);
	ks_oom_exit();
err_module_nb:
	unregister_module_notifier(&ks_module_nb);
err_reports:
	ks_reports_exit();
	ks_sampler_exit();
err_dma:
	ks_dmabuf_exit();
err_stacks:
	ks_stacks_destroy(&ks_stacks);
err_store:
	ks_store_destroy(&ks_store);
	return ret;
}

static void __exit kmemscope_exit(void)
{
	/* First, so that no command restarts the sampler stopped below. */
	ks_debugfs_remove();
	ks_oom_exit();
	unregister_module_notifier(&ks_module_nb);
	ks_reports_exit();
	ks_sampler_exit();
	WRITE_ONCE(ks_sw.enabled, false);
	ks_hooks_unregister();
	ks_pagecaller_unregister();
	ks_dmabuf_exit();
	ks_stacks_destroy(&ks_stacks);
	ks_store_destroy(&ks_store);
	pr_info("unloaded\n");
}

module_init(kmemscope_init);
module_exit(kmemscope_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmemscope: per call site and per module kernel memory accounting");
MODULE_VERSION(KS_VERSION);
