// SPDX-License-Identifier: GPL-2.0
/*
 * views.c - the debugfs files under /sys/kernel/debug/kmemscope/.
 *
 *   summary   totals per allocator, hook states, what was not recorded
 *   callers   one row per call site, sorted by live bytes
 *
 * Every file starts with a "<name> - version: X.Y" line.  Views copy what
 * they print out of the store first (lock-free snapshots of the atomic
 * counters) and format afterwards, so no store lock is ever held while
 * formatting.  Files are 0400: root only.
 *
 * Notes on locking: the callers snapshot is taken at open() into memory
 * owned by that open file and freed at release(); the seq_file iterator
 * indexes into it, so each read continues where the last one stopped.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/kallsyms.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "kmemscope.h"

#define KS_SUMMARY_VERSION	"1.0"
#define KS_CALLERS_VERSION	"1.0"

static struct dentry *ks_dir;

static const char * const ks_hook_state_names[] = {
	[KS_HOOK_OFF]		= "off",
	[KS_HOOK_ATTACHED]	= "attached",
	[KS_HOOK_VERIFIED]	= "ok",
	[KS_HOOK_SILENT]	= "silent",
	[KS_HOOK_FAILED]	= "failed",
};

/**
 * ks_format_site - name a call site as "symbol+0xoff [module]"
 * @buf: output
 * @len: its size (at least KSYM_SYMBOL_LEN is best)
 * @key: the call site address
 *
 * Context: process.  Return: the length written.
 */
int ks_format_site(char *buf, size_t len, unsigned long key)
{
	char sym[KSYM_SYMBOL_LEN];
	char *slash, *end;

	sprint_symbol(sym, key);
	/* "func+0x1c/0x50 [mod]": drop the "/0x50" function size. */
	slash = strchr(sym, '/');
	if (slash) {
		end = strchr(slash, ' ');
		if (end)
			memmove(slash, end, strlen(end) + 1);
		else
			*slash = '\0';
	}
	/* An unresolved address prints as bare hex, with no '+'. */
	if (!strchr(sym, '['))
		strlcat(sym, strchr(sym, '+') ? " [kernel]" : " [unknown]",
			sizeof(sym));
	return strscpy(buf, sym, len);
}

/* ---- summary ---------------------------------------------------------- */

static int ks_summary_show(struct seq_file *m, void *v)
{
	struct ks_kind_totals t[KS_NR_KINDS], all = {};
	struct ks_store *st = &ks_store;
	int k, h;

	ks_store_totals(st, t);
	for (k = 0; k < KS_NR_KINDS; k++) {
		all.live_bytes += t[k].live_bytes;
		all.live_req += t[k].live_req;
		all.live_count += t[k].live_count;
		all.allocs += t[k].allocs;
		all.frees += t[k].frees;
	}

	seq_printf(m, "kmemscope summary - version: %s\n", KS_SUMMARY_VERSION);
	seq_printf(m, "module_version: %s\n", KS_VERSION);
	seq_printf(m, "tracking: %s\n", READ_ONCE(ks_enabled) ? "enabled" : "disabled");
	seq_printf(m, "uptime_s: %llu\n",
		   div_u64(local_clock() - ks_loaded_ns, NSEC_PER_SEC));
	seq_printf(m, "records: %ld used, %ld peak, %u capacity, %zu bytes each\n",
		   atomic_long_read(&st->records_used),
		   atomic_long_read(&st->records_peak), st->nr_records,
		   ks_store_record_bytes());
	seq_printf(m, "sites: %d used, %u capacity, %zu bytes each\n",
		   atomic_read(&st->sites_used), st->max_sites,
		   2 * sizeof(struct ks_site));
	seq_printf(m, "store_bytes: %zu\n",
		   (size_t)st->nr_records * sizeof(struct ks_record) +
		   (sizeof(struct ks_record *) << st->bucket_bits) +
		   (sizeof(struct ks_site) << st->site_bits));

	seq_puts(m, "\n# allocator   live_bytes  live_req  live_count  allocs  frees\n");
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld\n",
			   ks_kind_names[k], t[k].live_bytes, t[k].live_req,
			   t[k].live_count, t[k].allocs, t[k].frees);
	seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld\n", "total",
		   all.live_bytes, all.live_req, all.live_count, all.allocs,
		   all.frees);

	seq_puts(m, "\n# hook  state  hits\n");
	for (h = 0; h < KS_NR_HOOKS; h++)
		seq_printf(m, "hook: %-16s %s %lu\n", ks_hooks[h].name,
			   ks_hook_state_names[ks_hooks[h].state],
			   ks_hooks_hits(h));

	seq_puts(m, "\n# not recorded, by cause\n");
	seq_printf(m, "dropped_pool_full: %ld\n",
		   atomic_long_read(&st->drop_pool_full));
	seq_printf(m, "dropped_site_table_full: %ld\n",
		   atomic_long_read(&st->drop_sites_full));
	seq_printf(m, "dropped_recursion: %lu\n", ks_hooks_recursion_drops());
	seq_printf(m, "untracked_frees: %ld\n",
		   atomic_long_read(&st->untracked_frees));
	seq_printf(m, "missed_frees: %ld\n", atomic_long_read(&st->missed_frees));
	seq_puts(m, "untraced_paths: kmem_cache_alloc_bulk kmem_cache_free_bulk kfree_bulk vmalloc page percpu\n");
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(ks_summary);

/* ---- callers ---------------------------------------------------------- */

struct ks_callers {
	unsigned int n;
	struct ks_site_snap sites[];
};

static int ks_site_cmp(const void *a, const void *b)
{
	const struct ks_site_snap *x = a, *y = b;

	if (x->live_bytes != y->live_bytes)
		return x->live_bytes < y->live_bytes ? 1 : -1;
	if (x->allocs != y->allocs)
		return x->allocs < y->allocs ? 1 : -1;
	return x->key < y->key ? -1 : x->key > y->key;
}

static void *ks_callers_start(struct seq_file *m, loff_t *pos)
{
	struct ks_callers *c = m->private;

	if (*pos == 0)
		return SEQ_START_TOKEN;
	return *pos <= c->n ? &c->sites[*pos - 1] : NULL;
}

static void *ks_callers_next(struct seq_file *m, void *v, loff_t *pos)
{
	struct ks_callers *c = m->private;

	++*pos;
	return *pos <= c->n ? &c->sites[*pos - 1] : NULL;
}

static void ks_callers_stop(struct seq_file *m, void *v)
{
}

static int ks_callers_show(struct seq_file *m, void *v)
{
	const struct ks_site_snap *s = v;
	char name[KSYM_SYMBOL_LEN];

	if (v == SEQ_START_TOKEN) {
		seq_printf(m, "kmemscope callers - version: %s\n",
			   KS_CALLERS_VERSION);
		seq_puts(m, "# live_bytes live_req live_count allocs frees allocator call_site\n");
		return 0;
	}
	if (s->retired)
		strscpy(name, s->name ? s->name : "(unloaded code)", sizeof(name));
	else
		ks_format_site(name, sizeof(name), s->key);
	seq_printf(m, "%ld %ld %ld %ld %ld %s %s\n", s->live_bytes, s->live_req,
		   s->live_count, s->allocs, s->frees,
		   s->kind < KS_NR_KINDS ? ks_kind_names[s->kind] : "?", name);
	return 0;
}

static const struct seq_operations ks_callers_sops = {
	.start	= ks_callers_start,
	.next	= ks_callers_next,
	.stop	= ks_callers_stop,
	.show	= ks_callers_show,
};

static int ks_callers_open(struct inode *inode, struct file *file)
{
	unsigned int max;
	struct ks_callers *c;
	int ret;

	/* Room for the sites in use now and some that may appear meanwhile. */
	max = min_t(unsigned int, atomic_read(&ks_store.sites_used) + 64,
		    ks_store.max_sites);

	c = kvmalloc(struct_size(c, sites, max), GFP_KERNEL);
	if (!c)
		return -ENOMEM;
	c->n = ks_store_snapshot_sites(&ks_store, c->sites, max);
	sort(c->sites, c->n, sizeof(c->sites[0]), ks_site_cmp, NULL);
	ret = seq_open(file, &ks_callers_sops);
	if (ret) {
		kvfree(c);
		return ret;
	}
	((struct seq_file *)file->private_data)->private = c;
	return 0;
}

static int ks_callers_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return seq_release(inode, file);
}

static const struct file_operations ks_callers_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_callers_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_callers_release,
};

int ks_views_create(void)
{
	ks_dir = debugfs_create_dir("kmemscope", NULL);
	if (IS_ERR(ks_dir))
		return PTR_ERR(ks_dir);
	debugfs_create_file("summary", 0400, ks_dir, NULL, &ks_summary_fops);
	debugfs_create_file("callers", 0400, ks_dir, NULL, &ks_callers_fops);
	return 0;
}

void ks_views_remove(void)
{
	debugfs_remove_recursive(ks_dir);
	ks_dir = NULL;
}
