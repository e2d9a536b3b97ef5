// SPDX-License-Identifier: GPL-2.0
/*
 * ks_bench.c - a benchmark of allocation and free pairs, to measure what
 * kmemscope adds to them.  Not a test: it prints figures, it asserts none.
 *
 * Write one command to /sys/kernel/debug/ks_bench/run; the write returns
 * when the run is over, and a read then returns its result line.
 *
 *   kmalloc SIZE N       N x kmalloc(SIZE) + kfree
 *   kmalloc_held SIZE N  the same N pairs in rounds of KB_HELD: KB_HELD
 *                        kmallocs, then their kfrees in the same order (an
 *                        object outlives the allocations after it, as most
 *                        do outside a loop like the one above)
 *   kmalloc_all SIZE N   the same on every online CPU at once (one bound
 *                        kthread each), timed until the last is done
 *   kmem_cache N         N x kmem_cache_alloc + kmem_cache_free, from the
 *                        module's own cache of 128-byte objects
 *   pages ORDER N        N x alloc_pages(ORDER) + __free_pages (ORDER 0..3)
 *   vmalloc SIZE N       N x vmalloc(SIZE) + vfree
 *   percpu SIZE N        N x __alloc_percpu(SIZE, 8) + free_percpu
 *
 * Each run is preceded by an untimed warm-up of N / 8 + 1 pairs (to fill
 * the per-CPU caches the timed loop then reuses) and, for vmalloc, by
 * vm_unmap_aliases(), which purges the areas vfree() left to be unmapped
 * lazily: each timed run then starts with none, and meets the lazy purges
 * at the same points (before, one boot's run could start at any point of
 * that cycle, and the vmalloc-16k figure moved by up to 160 instructions
 * a pair from boot to boot, whatever was tracking), and timed with
 * ktime_get_ns() around the whole loop.  The loop runs in the writer's
 * process context, with GFP_KERNEL, and calls cond_resched() every
 * KB_CHUNK pairs.  One byte of every allocation is written, so that no
 * pair can be optimised away.
 *
 * The result line is
 *   CASE ARG n=N total_ns=T ns_per_pair=X.Y
 * (ARG is the size, the object size or the order), or, when the run
 * failed, "CASE ARG error=E" (and the write returned E).
 *
 * Notes on locking: kb_lock serialises runs and protects kb_result and
 * kb_held.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/kthread.h>
#include <linux/completion.h>
#include <linux/cpu.h>
#include <linux/ktime.h>
#include <linux/math64.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#define KB_CHUNK	256		/* pairs between two cond_resched() */
#define KB_MAX_N	100000000U	/* pairs in one run, at most */
#define KB_CACHE_OBJ	128		/* object size of the module's cache */
#define KB_MAX_ORDER	PAGE_ALLOC_COSTLY_ORDER
#define KB_MAX_VMALLOC	SZ_16M
#define KB_RESULT_LEN	128
#define KB_HELD		64		/* objects live at once: kmalloc_held */

struct kb_case {
	const char *name;
	bool has_arg;			/* takes SIZE or ORDER before N */
	int (*check)(unsigned int arg);
	int (*run)(unsigned int arg, unsigned int n);
};

static struct kmem_cache *kb_cache;
static struct dentry *kb_dir;
static DEFINE_MUTEX(kb_lock);
static char kb_result[KB_RESULT_LEN];

/*
 * Called after pair i: every KB_CHUNK pairs, let others run, and stop on a
 * fatal signal.  Returns true when the run must stop.
 */
static bool kb_chunk_end(unsigned int i)
{
	if ((i + 1) % KB_CHUNK)
		return false;
	cond_resched();
	return fatal_signal_pending(current);
}

static int kb_kmalloc_check(unsigned int size)
{
	return size && size <= KMALLOC_MAX_SIZE ? 0 : -EINVAL;
}

static noinline int kb_kmalloc_run(unsigned int size, unsigned int n)
{
	unsigned int i;
	u8 *p;

	for (i = 0; i < n; i++) {
		p = kmalloc(size, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		WRITE_ONCE(*p, (u8)i);
		kfree(p);
		if (kb_chunk_end(i))
			return -EINTR;
	}
	return 0;
}

/* kb_kmalloc_held_run()'s objects.  kb_lock held. */
static u8 *kb_held[KB_HELD];

static noinline int kb_kmalloc_held_run(unsigned int size, unsigned int n)
{
	unsigned int i, j, k, m;
	int ret = 0;

	for (i = 0; i < n; i += m) {
		m = min_t(unsigned int, n - i, KB_HELD);
		for (j = 0; j < m; j++) {
			kb_held[j] = kmalloc(size, GFP_KERNEL);
			if (!kb_held[j]) {
				ret = -ENOMEM;
				break;
			}
			WRITE_ONCE(*kb_held[j], (u8)j);
		}
		for (k = 0; k < j; k++)
			kfree(kb_held[k]);
		if (ret)
			return ret;
		cond_resched();
		if (fatal_signal_pending(current))
			return -EINTR;
	}
	return 0;
}

static noinline int kb_cache_run(unsigned int unused, unsigned int n)
{
	unsigned int i;
	u8 *p;

	for (i = 0; i < n; i++) {
		p = kmem_cache_alloc(kb_cache, GFP_KERNEL);
		if (!p)
			return -ENOMEM;
		WRITE_ONCE(*p, (u8)i);
		kmem_cache_free(kb_cache, p);
		if (kb_chunk_end(i))
			return -EINTR;
	}
	return 0;
}

static int kb_pages_check(unsigned int order)
{
	return order <= KB_MAX_ORDER ? 0 : -EINVAL;
}

static noinline int kb_pages_run(unsigned int order, unsigned int n)
{
	struct page *page;
	unsigned int i;

	for (i = 0; i < n; i++) {
		page = alloc_pages(GFP_KERNEL, order);
		if (!page)
			return -ENOMEM;
		WRITE_ONCE(*(u8 *)page_address(page), (u8)i);
		__free_pages(page, order);
		if (kb_chunk_end(i))
			return -EINTR;
	}
	return 0;
}

static int kb_vmalloc_check(unsigned int size)
{
	return size && size <= KB_MAX_VMALLOC ? 0 : -EINVAL;
}

static noinline int kb_vmalloc_run(unsigned int size, unsigned int n)
{
	unsigned int i;
	u8 *p;

	for (i = 0; i < n; i++) {
		p = vmalloc(size);
		if (!p)
			return -ENOMEM;
		WRITE_ONCE(*p, (u8)i);
		vfree(p);
		if (kb_chunk_end(i))
			return -EINTR;
	}
	return 0;
}

static int kb_percpu_check(unsigned int size)
{
	return size && size <= PCPU_MIN_UNIT_SIZE ? 0 : -EINVAL;
}

static noinline int kb_percpu_run(unsigned int size, unsigned int n)
{
	unsigned int i;
	void __percpu *p;

	for (i = 0; i < n; i++) {
		p = __alloc_percpu(size, 8);
		if (!p)
			return -ENOMEM;
		WRITE_ONCE(*(u8 *)per_cpu_ptr(p, raw_smp_processor_id()), (u8)i);
		free_percpu(p);
		if (kb_chunk_end(i))
			return -EINTR;
	}
	return 0;
}

/* kmalloc_all: the kmalloc loop on every online CPU at once. */
struct kb_all {
	unsigned int size, n;
	atomic_t left;			/* threads still running */
	int err;
	struct completion done;		/* the last thread is done */
};

static int kb_all_thread(void *arg)
{
	struct kb_all *a = arg;
	int ret = kb_kmalloc_run(a->size, a->n);

	if (ret)
		WRITE_ONCE(a->err, ret);
	if (atomic_dec_and_test(&a->left))
		complete(&a->done);
	return 0;
}

/*
 * N pairs on each online CPU, all started together: the time is the
 * slowest CPU's, so ns_per_pair against the kmalloc case's on one CPU
 * shows what CPUs allocating at once cost each other.
 */
static noinline int kb_kmalloc_all_run(unsigned int size, unsigned int n)
{
	struct task_struct **t;
	struct kb_all a = { .size = size, .n = n };
	unsigned int cpu, nr = 0, i;

	t = kcalloc(nr_cpu_ids, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	init_completion(&a.done);
	cpus_read_lock();
	for_each_online_cpu(cpu) {
		t[nr] = kthread_create(kb_all_thread, &a, "kb_all/%u", cpu);
		if (IS_ERR(t[nr])) {
			a.err = PTR_ERR(t[nr]);
			break;
		}
		kthread_bind(t[nr++], cpu);
	}
	/* Threads made and not started are stopped without running. */
	if (a.err) {
		for (i = 0; i < nr; i++)
			kthread_stop(t[i]);
		nr = 0;
	}
	atomic_set(&a.left, nr);
	for (i = 0; i < nr; i++)
		wake_up_process(t[i]);
	cpus_read_unlock();
	if (nr)
		wait_for_completion(&a.done);
	kfree(t);
	return a.err;
}

static const struct kb_case kb_cases[] = {
	{ "kmalloc", true, kb_kmalloc_check, kb_kmalloc_run },
	{ "kmalloc_held", true, kb_kmalloc_check, kb_kmalloc_held_run },
	{ "kmalloc_all", true, kb_kmalloc_check, kb_kmalloc_all_run },
	{ "kmem_cache", false, NULL, kb_cache_run },
	{ "pages", true, kb_pages_check, kb_pages_run },
	{ "vmalloc", true, kb_vmalloc_check, kb_vmalloc_run },
	{ "percpu", true, kb_percpu_check, kb_percpu_run },
};

/* One run: warm-up, then the timed loop.  Fills kb_result.  kb_lock held. */
static int kb_run(const struct kb_case *c, unsigned int arg, unsigned int n)
{
	u64 t0, ns, tenths;
	int ret;

	ret = c->run(arg, n / 8 + 1);
	if (ret)
		goto fail;
	if (c->run == kb_vmalloc_run)
		vm_unmap_aliases();
	t0 = ktime_get_ns();
	ret = c->run(arg, n);
	ns = ktime_get_ns() - t0;
	if (ret)
		goto fail;
	tenths = div64_u64(ns * 10 + n / 2, n);
	scnprintf(kb_result, sizeof(kb_result),
		  "%s %u n=%u total_ns=%llu ns_per_pair=%llu.%llu\n",
		  c->name, arg, n, ns, div_u64(tenths, 10),
		  tenths - div_u64(tenths, 10) * 10);
	return 0;

fail:
	scnprintf(kb_result, sizeof(kb_result), "%s %u error=%d\n", c->name,
		  arg, ret);
	return ret;
}

/* Parses "CASE [ARG] N" into a case and its arguments. */
static int kb_parse(char *buf, const struct kb_case **cp, unsigned int *arg,
		    unsigned int *n)
{
	const struct kb_case *c = NULL;
	char *name, *tok;
	unsigned int i;
	int ret;

	buf = strim(buf);
	name = strsep(&buf, " \t");
	for (i = 0; i < ARRAY_SIZE(kb_cases); i++)
		if (!strcmp(name, kb_cases[i].name))
			c = &kb_cases[i];
	if (!c || !buf)
		return -EINVAL;

	*arg = KB_CACHE_OBJ;
	if (c->has_arg) {
		tok = strsep(&buf, " \t");
		if (!buf)
			return -EINVAL;
		ret = kstrtouint(tok, 0, arg);
		if (ret)
			return ret;
		ret = c->check(*arg);
		if (ret)
			return ret;
	}
	ret = kstrtouint(skip_spaces(buf), 0, n);
	if (ret)
		return ret;
	if (!*n || *n > KB_MAX_N)
		return -EINVAL;
	*cp = c;
	return 0;
}

static ssize_t kb_run_write(struct file *file, const char __user *ubuf,
			    size_t len, loff_t *ppos)
{
	const struct kb_case *c;
	unsigned int arg, n;
	char buf[64];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = kb_parse(buf, &c, &arg, &n);
	if (ret)
		return ret;

	mutex_lock(&kb_lock);
	ret = kb_run(c, arg, n);
	mutex_unlock(&kb_lock);
	return ret ? ret : len;
}

static ssize_t kb_run_read(struct file *file, char __user *ubuf, size_t len,
			   loff_t *ppos)
{
	char buf[KB_RESULT_LEN];

	mutex_lock(&kb_lock);
	memcpy(buf, kb_result, sizeof(buf));
	mutex_unlock(&kb_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, strlen(buf));
}

static const struct file_operations kb_run_fops = {
	.owner = THIS_MODULE,
	.read = kb_run_read,
	.write = kb_run_write,
	.llseek = default_llseek,
};

static int __init ks_bench_init(void)
{
	kb_cache = kmem_cache_create("ks_bench_obj", KB_CACHE_OBJ, 0, 0, NULL);
	if (!kb_cache)
		return -ENOMEM;
	kb_dir = debugfs_create_dir("ks_bench", NULL);
	debugfs_create_file("run", 0600, kb_dir, NULL, &kb_run_fops);
	return 0;
}

static void __exit ks_bench_exit(void)
{
	debugfs_remove_recursive(kb_dir);
	kmem_cache_destroy(kb_cache);
}

module_init(ks_bench_init);
module_exit(ks_bench_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmemscope benchmark: cost of allocation and free pairs");
