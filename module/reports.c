// SPDX-License-Identifier: GPL-2.0
/*
 * reports.c - unload reports: when a module is unloaded still holding
 * memory, one compact line goes to the kernel log and is kept (the last
 * KS_REPORTS of them, shown by the leaks file).
 *
 * A report is written unload_delay_ms after the unload, because memory
 * freed through RCU (kfree_rcu) comes back a moment after the module is
 * gone; then what came back is folded (ks_store_fold_unloaded()).
 * It says what that load of the module holds: the records made since it
 * was loaded (a stamp taken when it was coming, kept by name for the last
 * KS_LOADS modules), and what all its loads hold when earlier ones still
 * hold memory too.  A module loaded before kmemscope has no stamp: its
 * report is what all its loads hold.
 * Pending reports wait in fixed slots, so that unloading kmemscope can
 * flush them without racing with their freeing; when all slots are busy
 * the report is written at once.
 *
 * Locking: ks_reports_lock (a mutex) protects the ring of kept reports,
 * the slots' busy flags and the load stamps; it is never held with
 * another lock.  The
 * delayed works run in process context.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mm.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/workqueue.h>

#include "reports.h"
#include "state.h"
#include "format.h"
#include "owner.h"
#include "tally.h"

/* Reports waiting for unload_delay_ms. */
#define KS_PENDING	8
/* Modules whose load stamp is kept (a ring, by name). */
#define KS_LOADS	32

static unsigned int unload_delay_ms = 2000;
module_param(unload_delay_ms, uint, 0444);
MODULE_PARM_DESC(unload_delay_ms,
		 "wait this long after a module unloads before reporting what it still holds (0..60000)");

struct ks_pending {
	struct delayed_work work;
	bool busy;			/* under ks_reports_lock */
	char name[MODULE_NAME_LEN];
	u64 since;			/* its load stamp; 0: unknown */
};

struct ks_load {
	char name[MODULE_NAME_LEN];
	u64 stamp;
};

static DEFINE_MUTEX(ks_reports_lock);
static char ks_reports[KS_REPORTS][KS_REPORT_LEN];	/* a ring */
static unsigned int ks_nr_reports;	/* total ever written */
static struct ks_pending ks_pending[KS_PENDING];
static struct ks_load ks_loads[KS_LOADS];	/* a ring */
static unsigned int ks_nr_loads;

/* The slot of @name's load stamp, or NULL.  ks_reports_lock held. */
static struct ks_load *ks_load_find(const char *name)
{
	unsigned int i;

	for (i = 0; i < KS_LOADS; i++)
		if (ks_loads[i].stamp && !strcmp(ks_loads[i].name, name))
			return &ks_loads[i];
	return NULL;
}

struct ks_load_pick {
	const char *name;
	u64 since;
};

/* A record @name made since its load (a ks_pick_fn). */
static int ks_pick_load(const struct ks_record_snap *r, u64 now, void *arg)
{
	const struct ks_load_pick *p = arg;

	return r->retired == KS_RETIRED_UNLOAD && r->site_name &&
	       r->ts >= p->since && ks_owner_is(r->site_name, p->name) ? 0 : -1;
}

/*
 * What the load of @name since stamp @since holds, per site, into @s (room
 * for @max sites).  Return: the sites written, or -ENOMEM.
 */
static int ks_load_sites(const char *name, u64 since,
			 struct ks_site_snap *s, unsigned int max)
{
	struct ks_load_pick p = { name, since };
	unsigned int n, i, m = 0;
	struct ks_item *items;
	unsigned long dropped;

	items = ks_collect(ks_pick_load, &p, &n, &dropped);
	if (!items)
		return -ENOMEM;
	sort(items, n, sizeof(*items), ks_item_cmp, NULL);
	for (i = 0; i < n; i++) {
		if (!m || items[i].site != items[i - 1].site) {
			if (m == max)
				break;
			s[m++] = (struct ks_site_snap){
				.name = items[i].site_name,
				.retired = KS_RETIRED_UNLOAD,
			};
		}
		s[m - 1].live_bytes += items[i].bytes;
		s[m - 1].live_count++;
	}
	kvfree(items);
	return m;
}

/*
 * What an unloaded module still holds, as one line: its load since
 * @since (0: every load).  Context: process.
 */
static bool ks_unload_report(const char *name, u64 since, char *buf,
			     size_t len)
{
	unsigned int max = ks_store.max_sites, n, i;
	long all_bytes = 0, all_count = 0;
	struct ks_site_snap *s;
	int m = -ENOMEM;
	bool ret;

	s = kvmalloc_array(max, sizeof(*s), GFP_KERNEL);
	if (!s)
		return false;
	n = ks_store_snapshot_sites(&ks_store, s, max);
	for (i = 0; i < n; i++) {
		if (!ks_report_holds(&s[i], name))
			continue;
		all_bytes += s[i].live_bytes;
		all_count += s[i].live_count;
	}
	if (since)
		m = ks_load_sites(name, since, s, max);
	if (m >= 0)
		ret = ks_format_report(s, m, name, all_bytes, all_count, buf,
				       len);
	else
		ret = ks_format_report(s, n, name, 0, 0, buf, len);
	kvfree(s);
	return ret;
}

static void ks_report(const char *name, u64 since)
{
	char *buf = kmalloc(KS_REPORT_LEN, GFP_KERNEL);

	if (buf && ks_unload_report(name, since, buf, KS_REPORT_LEN)) {
		pr_warn("%s\n", buf);
		mutex_lock(&ks_reports_lock);
		strscpy(ks_reports[ks_nr_reports % KS_REPORTS], buf,
			KS_REPORT_LEN);
		ks_nr_reports++;
		mutex_unlock(&ks_reports_lock);
	}
	kfree(buf);
}

static void ks_report_work(struct work_struct *w)
{
	struct ks_pending *p = container_of(to_delayed_work(w),
					    struct ks_pending, work);

	ks_report(p->name, p->since);
	/* What RCU-deferred frees gave back since the unload folds now. */
	ks_store_fold_unloaded(&ks_store, p->name);
	mutex_lock(&ks_reports_lock);
	p->busy = false;
	mutex_unlock(&ks_reports_lock);
}

/* A module is coming (module notifier): its load stamp.  Context: process. */
void ks_reports_module_coming(const char *name)
{
	struct ks_load *l;

	mutex_lock(&ks_reports_lock);
	l = ks_load_find(name);
	if (!l)
		l = &ks_loads[ks_nr_loads++ % KS_LOADS];
	strscpy(l->name, name, sizeof(l->name));
	l->stamp = ks_store_mark(&ks_store);
	mutex_unlock(&ks_reports_lock);
}

/* A module is going (module notifier).  Context: process. */
void ks_reports_module_going(const char *name)
{
	struct ks_pending *p = NULL;
	struct ks_load *l;
	u64 since = 0;
	unsigned int i;

	mutex_lock(&ks_reports_lock);
	l = ks_load_find(name);
	if (l) {
		since = l->stamp;
		l->stamp = 0;
	}
	for (i = 0; i < KS_PENDING && !p; i++)
		if (!ks_pending[i].busy)
			p = &ks_pending[i];
	if (p) {
		p->busy = true;
		p->since = since;
		strscpy(p->name, name, sizeof(p->name));
		schedule_delayed_work(&p->work,
				      msecs_to_jiffies(unload_delay_ms));
	}
	mutex_unlock(&ks_reports_lock);
	if (!p)
		ks_report(name, since);
}

/**
 * ks_reports_copy - the kept reports, oldest first
 * @out: room for @max reports, KS_REPORT_LEN bytes each
 * @max: at most this many (the newest)
 *
 * Context: process.  Return: how many were copied.
 */
unsigned int ks_reports_copy(char *out, unsigned int max)
{
	unsigned int i, n;

	mutex_lock(&ks_reports_lock);
	n = min3(ks_nr_reports, (unsigned int)KS_REPORTS, max);
	for (i = 0; i < n; i++)
		strscpy(out + i * KS_REPORT_LEN,
			ks_reports[(ks_nr_reports - n + i) % KS_REPORTS],
			KS_REPORT_LEN);
	mutex_unlock(&ks_reports_lock);
	return n;
}

/* Write the pending reports now.  Context: process, hooks still on. */
void ks_reports_exit(void)
{
	unsigned int i;

	for (i = 0; i < KS_PENDING; i++)
		flush_delayed_work(&ks_pending[i].work);
}

/* Check the parameter, set up the works.  Context: module init. */
int ks_reports_init(void)
{
	unsigned int i;

	if (unload_delay_ms > 60000) {
		pr_err("unload_delay_ms=%u is out of range (0..60000)\n",
		       unload_delay_ms);
		return -EINVAL;
	}
	for (i = 0; i < KS_PENDING; i++)
		INIT_DELAYED_WORK(&ks_pending[i].work, ks_report_work);
	return 0;
}
