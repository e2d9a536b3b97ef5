// SPDX-License-Identifier: GPL-2.0
/*
 * ks_bench_sites.c - live allocations held from many call sites, for the
 * scale curve of make bench: what a pair costs with 1k to 1M records live
 * and 10 to 128k call sites in kmemscope's tables.  Not a test: it holds
 * memory on command, it asserts nothing.
 *
 * Write to /sys/kernel/debug/ks_bench_sites/hold:
 *   N SITES      free what is held, then hold N kmalloc(KBS_SIZE) objects
 *                from SITES distinct call sites (object i from site
 *                i % SITES); the write returns when all are held
 *   0            free what is held
 * A read returns "held=N sites=S failed=F" (F: allocations that failed).
 *
 * The call sites are made up (kbs_alloc_at()): a board's drivers have a
 * few thousand; 128k shows how the site table scales.
 *
 * Notes on locking: kbs_lock serialises writes and protects the state.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/fs.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>

#define KBS_SIZE	64
#define KBS_MAX_SITES	131072U
#define KBS_MAX_HELD	(4U * 1024 * 1024)

/*
 * kmalloc(@size) charged to call site @site (0 .. KBS_MAX_SITES - 1): the
 * slab allocator's track-caller entry point takes the call site as an
 * argument, and the kmalloc event reports it as given.  The sites are
 * addresses from this function's start on: kmemscope keys its sites by
 * address, so each is a site of its own (past this module's text, the
 * callers view names them by address).
 */
static noinline void *kbs_alloc_at(unsigned int site, size_t size)
{
	unsigned long caller = (unsigned long)kbs_alloc_at + site;

#ifdef kmalloc_node_track_caller_noprof
	return kmalloc_node_track_caller_noprof(size, GFP_KERNEL, NUMA_NO_NODE,
						caller);
#else
	return __kmalloc_node_track_caller(size, GFP_KERNEL, NUMA_NO_NODE,
					   caller);
#endif
}

static DEFINE_MUTEX(kbs_lock);
static void **kbs_held;
static unsigned int kbs_nr, kbs_sites, kbs_failed;
static struct dentry *kbs_dir;

/* Free everything held.  kbs_lock held. */
static void kbs_release(void)
{
	unsigned int i;

	for (i = 0; i < kbs_nr; i++) {
		kfree(kbs_held[i]);
		if (!(i % 4096))
			cond_resched();
	}
	vfree(kbs_held);
	kbs_held = NULL;
	kbs_nr = 0;
	kbs_sites = 0;
	kbs_failed = 0;
}

/* Hold @n objects from @sites call sites.  kbs_lock held. */
static int kbs_hold(unsigned int n, unsigned int sites)
{
	unsigned int i;

	kbs_release();
	if (!n)
		return 0;
	kbs_held = vzalloc(array_size(n, sizeof(*kbs_held)));
	if (!kbs_held)
		return -ENOMEM;
	kbs_sites = sites;
	for (i = 0; i < n; i++) {
		kbs_held[kbs_nr] = kbs_alloc_at(i % sites, KBS_SIZE);
		if (kbs_held[kbs_nr])
			kbs_nr++;
		else
			kbs_failed++;
		if (!(i % 4096)) {
			cond_resched();
			if (fatal_signal_pending(current))
				return -EINTR;
		}
	}
	return 0;
}

static ssize_t kbs_write(struct file *file, const char __user *ubuf,
			 size_t len, loff_t *ppos)
{
	unsigned int n, sites = 1;
	char buf[48];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	ret = sscanf(buf, "%u %u", &n, &sites);
	if (ret < 1 || n > KBS_MAX_HELD || !sites || sites > KBS_MAX_SITES ||
	    (ret == 1 && n))
		return -EINVAL;
	mutex_lock(&kbs_lock);
	ret = kbs_hold(n, sites);
	mutex_unlock(&kbs_lock);
	return ret ? ret : len;
}

static ssize_t kbs_read(struct file *file, char __user *ubuf, size_t len,
			loff_t *ppos)
{
	char buf[64];
	int n;

	mutex_lock(&kbs_lock);
	n = scnprintf(buf, sizeof(buf), "held=%u sites=%u failed=%u\n",
		      kbs_nr, kbs_sites, kbs_failed);
	mutex_unlock(&kbs_lock);
	return simple_read_from_buffer(ubuf, len, ppos, buf, n);
}

static const struct file_operations kbs_fops = {
	.owner = THIS_MODULE,
	.read = kbs_read,
	.write = kbs_write,
	.llseek = default_llseek,
};

static int __init kbs_init(void)
{
	kbs_dir = debugfs_create_dir("ks_bench_sites", NULL);
	debugfs_create_file("hold", 0600, kbs_dir, NULL, &kbs_fops);
	return 0;
}

static void __exit kbs_exit(void)
{
	debugfs_remove_recursive(kbs_dir);
	mutex_lock(&kbs_lock);
	kbs_release();
	mutex_unlock(&kbs_lock);
}

module_init(kbs_init);
module_exit(kbs_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmemscope benchmark: live allocations from many call sites");
