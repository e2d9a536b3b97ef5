// SPDX-License-Identifier: GPL-2.0
/*
 * summary.c - the summary file: totals per allocator, the hooks and their
 * states, everything that could not be recorded and why, and a
 * cross-check against /proc/meminfo.
 *
 * Every figure is read from atomic counters (store.c, hooks.c) at show()
 * time; /proc/meminfo is read at open() (see ks_summary_open()).  No lock
 * of its own.
 */
#include <linux/fs.h>
#include <linux/math64.h>
#include <linux/module.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "summary.h"
#include "versions.h"
#include "state.h"
#include "attrib.h"
#include "hooks.h"
#include "pagecaller.h"
#include "sampler.h"
#include "procfs.h"
#include "dmabuf.h"

static const char * const ks_hook_state_names[] = {
	[KS_HOOK_OFF]		= "off",
	[KS_HOOK_ATTACHED]	= "untested",
	[KS_HOOK_VERIFIED]	= "ok",
	[KS_HOOK_SILENT]	= "silent",
	[KS_HOOK_FAILED]	= "failed",
};

static void ks_cross_check(struct seq_file *m, const char *field, long kb,
			   long tracked_bytes, const char *what)
{
	long tracked_kb = DIV_ROUND_UP(tracked_bytes, 1024);

	if (kb < 0) {
		seq_printf(m, "meminfo: %-12s unavailable\n", field);
		return;
	}
	seq_printf(m, "meminfo: %-12s %ld kB, tracked %ld kB (%s), not tracked %ld kB\n",
		   field, kb, tracked_kb, what, kb - tracked_kb);
}

static int ks_summary_show(struct seq_file *m, void *v)
{
	struct ks_kind_totals t[KS_NR_KINDS], all = {};
	struct ks_store *st = &ks_store;
	const struct ks_meminfo *mi = m->private;
	char smod[MODULE_NAME_LEN];
	long untracked = 0;
	int k, h;

	ks_store_totals(st, t);
	for (k = 0; k < KS_NR_KINDS; k++) {
		all.live_bytes += t[k].live_bytes;
		all.live_req += t[k].live_req;
		all.live_count += t[k].live_count;
		all.allocs += t[k].allocs;
		all.frees += t[k].frees;
		untracked += atomic_long_read(&st->untracked_frees[k]);
	}

	seq_printf(m, "kmemscope summary - version: %s\n", KS_SUMMARY_VERSION);
	seq_printf(m, "module_version: %s\n", KS_VERSION);
	seq_printf(m, "tracking: %s\n", READ_ONCE(ks_sw.enabled) ? "enabled" : "disabled");
	ks_attrib_stacks_module(smod);
	if (READ_ONCE(ks_sw.stacks_module_on))
		seq_printf(m, "stacks: module=%s, depth %u\n", smod,
			   READ_ONCE(ks_stack_depth));
	else
		seq_printf(m, "stacks: %s, depth %u\n",
			   READ_ONCE(ks_sw.stacks_on) ? "on" : "off",
			   READ_ONCE(ks_stack_depth));
	seq_printf(m, "since_reset_s: %llu\n",
		   div_u64(local_clock() - ks_loaded_ns, NSEC_PER_SEC));
	seq_printf(m, "records: %ld used, %ld peak, %u capacity, %zu bytes each\n",
		   atomic_long_read(&st->records_used),
		   atomic_long_read(&st->records_peak), st->nr_records,
		   sizeof(struct ks_record) + sizeof(struct ks_record *));
	seq_printf(m, "sites: %d used, %u capacity, %zu bytes each, %ld folded\n",
		   atomic_read(&st->sites_used), st->max_sites,
		   2 * sizeof(struct ks_site),
		   atomic_long_read(&st->sites_folded));
	seq_printf(m, "stacks_table: %u used, %u capacity, %zu bytes each\n",
		   READ_ONCE(ks_stacks.used), ks_stacks.max,
		   ks_stacks_bytes_each());
	if (READ_ONCE(ks_sample_interval_s))
		seq_printf(m, "sampler: every %lu s, window %u, %u samples, %zu bytes of history\n",
			   READ_ONCE(ks_sample_interval_s),
			   READ_ONCE(ks_sample_window), ks_sampler_samples(),
			   ks_sampler_bytes());
	else
		seq_puts(m, "sampler: off\n");
	seq_printf(m, "store_bytes: %zu\n",
		   (size_t)st->nr_records * sizeof(struct ks_record) +
		   (sizeof(struct ks_record *) << st->bucket_bits) +
		   (sizeof(struct ks_site) << st->site_bits) +
		   (size_t)nr_cpu_ids * sizeof(struct ks_mag) +
		   (size_t)nr_cpu_ids * sizeof(struct ks_pend_cpu) +
		   sizeof(st->pend_pages) + st->page_span +
		   (size_t)ks_stacks.max * ks_stacks_bytes_each() +
		   ks_dmabuf_table_bytes());

	seq_puts(m, "\n# allocator: name live_bytes live_req live_count allocs frees peak_bytes\n");
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld %ld\n",
			   ks_kind_names[k], t[k].live_bytes, t[k].live_req,
			   t[k].live_count, t[k].allocs, t[k].frees,
			   atomic_long_read(&st->kind_peak[k]));
	seq_printf(m, "allocator: %-10s %ld %ld %ld %ld %ld -\n", "total",
		   all.live_bytes, all.live_req, all.live_count, all.allocs,
		   all.frees);

	seq_puts(m, "\n# hook: name state hits error\n");
	for (h = 0; h < KS_NR_HOOKS; h++)
		seq_printf(m, "hook: %-21s %s %lu %d\n", ks_hooks[h].name,
			   ks_hook_state_names[ks_hooks[h].state],
			   ks_hooks_hits(h), ks_hooks[h].error);

	seq_puts(m, "\n# not recorded, by cause\n");
	seq_printf(m, "dropped_pool_full: %ld\n",
		   atomic_long_read(&st->drop_pool_full));
	seq_printf(m, "dropped_site_table_full: %ld\n",
		   atomic_long_read(&st->drop_sites_full));
	seq_printf(m, "dropped_recursion: %lu\n", ks_hooks_recursion_drops());
	seq_printf(m, "dropped_kretprobe_missed: %lu\n", ks_hooks_missed());
	seq_printf(m, "dropped_frees_kprobe_busy: %lu\n", ks_hooks_frees_missed());
	seq_printf(m, "stacks_not_saved_table_full: %ld\n",
		   atomic_long_read(&ks_stacks.full));
	seq_printf(m, "filtered_min_size: %ld\n",
		   atomic_long_read(&ks_filtered_small));
	seq_printf(m, "filtered_module: %ld\n",
		   atomic_long_read(&st->not_recorded[KS_CLASS_EXCLUDED]));
	seq_printf(m, "untracked_frees: %ld\n", untracked);
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, "untracked_frees_%s: %ld\n", ks_kind_names[k],
			   atomic_long_read(&st->untracked_frees[k]));
	seq_printf(m, "missed_frees: %ld\n", atomic_long_read(&st->missed_frees));
	seq_printf(m, "frees_dropped_nmi_busy: %ld\n",
		   atomic_long_read(&st->drop_nmi_busy));
	seq_printf(m, "page_caller_not_found: %ld\n",
		   atomic_long_read(&ks_unknown_callers));
	seq_printf(m, "page_caller_walked_twice: %ld\n",
		   atomic_long_read(&ks_page_rewalks));
	seq_printf(m, "page_caller_from: %s\n",
		   READ_ONCE(ks_pagecaller_on) ? "entry-callbacks" : "backtrace");
	seq_printf(m, "page_caller_unwound: %ld\n",
		   atomic_long_read(&ks_page_caller_unwound));
	seq_puts(m, "\n# frees that did not match their allocation (kept, not lost)\n");
	seq_printf(m, "page_frees_partial: %ld\n",
		   atomic_long_read(&st->part_frees));
	seq_printf(m, "page_frees_over: %ld\n",
		   atomic_long_read(&st->over_frees));
	seq_printf(m, "page_splits: %ld\n", atomic_long_read(&st->splits));
	seq_printf(m, "vfree_deferred: %ld\n",
		   atomic_long_read(&ks_vfree_deferred));
	seq_printf(m, "vfree_seen_twice: %ld\n",
		   atomic_long_read(&ks_vfree_twice));
	seq_printf(m, "vmalloc_hook: %s\n", ks_hooks_vmalloc_way());
	seq_printf(m, "vmalloc_no_slot: %ld\n",
		   atomic_long_read(&ks_vmalloc_no_slot));
	seq_printf(m, "vmalloc_unmatched: %lu\n", ks_hooks_vmalloc_unmatched());
	seq_puts(m, "\n# page allocations counted, not recorded (their bytes are counted elsewhere; vmalloc_backing in pages)\n");
	for (k = KS_CLASS_SLAB; k < KS_NR_CLASSES; k++) {
		if (k == KS_CLASS_EXCLUDED)
			continue;
		seq_printf(m, "pages_%s: %ld\n", ks_class_names[k],
			   atomic_long_read(&st->not_recorded[k]) +
			   (k == KS_CLASS_USER ? atomic_long_read(&ks_user_pages) : 0));
	}
	seq_printf(m, "pages_bulk: %ld\n", atomic_long_read(&ks_bulk_pages));
	seq_printf(m, "pages_bulk_unseen: %ld\n",
		   atomic_long_read(&ks_bulk_unseen));
	seq_printf(m, "pages_bulk_hook: %s\n", ks_hooks_bulk_way());

	seq_puts(m, "\n# DMA API buffers recorded since load or reset, by what served them\n");
	for (k = 0; k < KS_DMA_NR_SOURCES; k++)
		seq_printf(m, "dma_from_%s: %ld\n", ks_dma_source_names[k],
			   atomic_long_read(&ks_dma_source[k]));
	seq_printf(m, "dma_unsized: %ld\n", atomic_long_read(&ks_dma_unsized));
	seq_printf(m, "cma_unrecorded: %ld\n", atomic_long_read(&ks_cma_unrecorded));
	seq_printf(m, "cma_unrecorded_pages: %ld\n",
		   atomic_long_read(&ks_cma_unrecorded_pages));

	seq_puts(m, "\n# cross-check: /proc/meminfo totals vs what kmemscope tracks (live, allocated since load)\n");
	if (!mi->ok) {
		seq_puts(m, "meminfo: unavailable (procfs not mounted?)\n");
		return 0;
	}
	ks_cross_check(m, "Slab", mi->slab,
		       t[KS_KMALLOC].live_bytes + t[KS_KMEM_CACHE].live_bytes,
		       "kmalloc + kmem_cache objects");
	ks_cross_check(m, "VmallocUsed", mi->vmalloc_used, t[KS_VMALLOC].live_bytes,
		       "vmalloc areas");
	ks_cross_check(m, "Percpu", mi->percpu, t[KS_PERCPU].live_bytes,
		       "percpu objects");
	seq_printf(m, "meminfo: %-12s no line in meminfo, tracked %ld kB (pages taken straight from the page allocator)\n",
		   "DirectPages", DIV_ROUND_UP(t[KS_PAGE].live_bytes, 1024));
	return 0;
}

/*
 * /proc/meminfo is read here, not in show(): seq_read() calls show() with
 * this file's seq_file lock held, and reading another seq_file there
 * takes a lock of the same class inside it.
 */
static int ks_summary_open(struct inode *inode, struct file *file)
{
	struct ks_meminfo *mi = kmalloc(sizeof(*mi), GFP_KERNEL);
	int ret;

	if (!mi)
		return -ENOMEM;
	ks_read_meminfo(mi);
	ret = single_open_size(file, ks_summary_show, mi, 8192);
	if (ret)
		kfree(mi);
	return ret;
}

static int ks_summary_release(struct inode *inode, struct file *file)
{
	kfree(((struct seq_file *)file->private_data)->private);
	return single_release(inode, file);
}

const struct file_operations ks_summary_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_summary_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.release	= ks_summary_release,
};
