// SPDX-License-Identifier: GPL-2.0
/*
 * ks_stress.c - load for kmemscope's stress test, with exact bookkeeping.
 *
 * On each online CPU (the first KSS_MAX_CPUS) three contexts allocate and
 * free through every allocator that is legal there:
 *
 *   process  a kernel thread bound to the CPU   kmalloc kmem_cache vmalloc page percpu   GFP_KERNEL
 *   softirq  a pinned timer, every jiffy        kmalloc kmem_cache page percpu           GFP_ATOMIC
 *   hardirq  a pinned hrtimer, hard irq mode    kmalloc kmem_cache page                  GFP_ATOMIC
 *
 * Each context allocates into slots of its own, from one function per
 * context (kss_alloc_process(), kss_alloc_softirq(), kss_alloc_hardirq()),
 * so that kmemscope's call sites in that function are that context's.
 * Slot i of an allocator always gets the same size, so a free knows what
 * it frees.  A step picks an allocator and a slot: an empty slot of the
 * context's own is filled, a full one freed.  One step in KSS_FOREIGN
 * frees a slot of any context on any CPU instead (xchg() decides who
 * frees), so that objects are also freed on other CPUs and in other
 * contexts than they were allocated in; vmalloc areas are freed in
 * process context only, percpu objects never in hardirq context.  The
 * timers space their runs out when a run takes long (slow emulators), so
 * that interrupts never take more than about a quarter of a CPU.
 *
 * Bookkeeping, per context and allocator: atomic counts of allocations,
 * frees, failed allocations, and live objects, bytes requested and bytes
 * allocated as kmemscope counts them (the kmalloc size class, the cache's
 * object size, the pages of a vmalloc area, PAGE_SIZE << order).  For
 * percpu only the request is known, size x possible CPUs: the kernel adds
 * per-object overhead of its own.  Once every context is stopped the
 * counts are exact.
 *
 * /sys/kernel/debug/ks_stress/
 *   control  write one command:
 *              start      start every context
 *              stop       stop every context and wait for it; objects stay
 *              drain      stop, then free every object
 *              hold N     N x kmalloc(64) from the writer (kss_hold()),
 *                         kept until unhold (N <= KSS_MAX_HOLD in all)
 *              unhold     free them
 *              check      (stopped) count the slots again and compare
 *                         with the bookkeeping: EIO when they differ
 *              pause US   threads sleep US microseconds (0..100000)
 *                         between two runs of steps, instead of only
 *                         yielding: less load, timers unchanged
 *   stats    the bookkeeping (see kss_stats_show())
 *
 * Notes on locking: kss_lock (a mutex) serialises commands.  Each CPU's
 * thread runs its steps under that CPU's mutex, which stop takes to wait
 * for it (and to arm or cancel that CPU's timers); stop cancels the timers
 * synchronously.  A slot is filled only by its owner (one context on one
 * CPU, never running twice at once) and emptied with xchg(), so each
 * object is freed once.  The held objects are under kss_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/debugfs.h>
#include <linux/delay.h>
#include <linux/fs.h>
#include <linux/gfp.h>
#include <linux/hrtimer.h>
#include <linux/jiffies.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/prandom.h>
#include <linux/sched.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/timer.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <linux/wait.h>

#include "../../module/compat.h"

#define KSS_MAX_CPUS	8
#define KSS_SLOTS	32		/* per CPU, context and allocator */
#define KSS_FOREIGN	8		/* one step in 8 frees anywhere */
#define KSS_MAX_HOLD	16384
#define KSS_HOLD_SIZE	64
#define KSS_CACHE_OBJ	184
#define KSS_LARGE	12000		/* a large kmalloc (pages), process only */
#define KSS_CMD_MAX	32

static unsigned int process_steps = 32;
module_param(process_steps, uint, 0444);
MODULE_PARM_DESC(process_steps, "steps a thread takes between two cond_resched() (1..1024)");

static unsigned int softirq_steps = 8;
module_param(softirq_steps, uint, 0444);
MODULE_PARM_DESC(softirq_steps, "steps per timer run (1..256)");

static unsigned int hardirq_steps = 2;
module_param(hardirq_steps, uint, 0444);
MODULE_PARM_DESC(hardirq_steps, "steps per hrtimer run (1..64)");

static bool nowarn;
module_param(nowarn, bool, 0444);
MODULE_PARM_DESC(nowarn, "no allocation failure warnings from the threads either (__GFP_NOWARN: for fault injection)");

static unsigned int hardirq_period_us = 1000;
module_param(hardirq_period_us, uint, 0444);
MODULE_PARM_DESC(hardirq_period_us, "hrtimer period, microseconds (100..1000000)");

enum kss_ctx {
	KSS_PROCESS,
	KSS_SOFTIRQ,
	KSS_HARDIRQ,
	KSS_NR_RUN_CTX,			/* the contexts with slots */
	KSS_HOLD = KSS_NR_RUN_CTX,	/* kss_hold(), the writer's */
	KSS_NR_CTX,
};

enum kss_kind {
	KSS_KMALLOC,
	KSS_CACHE,
	KSS_VMALLOC,
	KSS_PAGE,
	KSS_PERCPU,
	KSS_NR_KINDS,
};

static const char * const kss_ctx_names[KSS_NR_CTX] = {
	[KSS_PROCESS] = "process",
	[KSS_SOFTIRQ] = "softirq",
	[KSS_HARDIRQ] = "hardirq",
	[KSS_HOLD] = "hold",
};

/* As kmemscope names them. */
static const char * const kss_kind_names[KSS_NR_KINDS] = {
	[KSS_KMALLOC] = "kmalloc",
	[KSS_CACHE] = "kmem_cache",
	[KSS_VMALLOC] = "vmalloc",
	[KSS_PAGE] = "page",
	[KSS_PERCPU] = "percpu",
};

/* The allocators each context allocates from, and may free to. */
static const u8 kss_kinds[KSS_NR_CTX][KSS_NR_KINDS + 1] = {
	[KSS_PROCESS] = { 5, KSS_KMALLOC, KSS_CACHE, KSS_VMALLOC, KSS_PAGE,
			  KSS_PERCPU },
	[KSS_SOFTIRQ] = { 4, KSS_KMALLOC, KSS_CACHE, KSS_PAGE, KSS_PERCPU },
	[KSS_HARDIRQ] = { 3, KSS_KMALLOC, KSS_CACHE, KSS_PAGE },
	[KSS_HOLD] = { 1, KSS_KMALLOC },
};

static const unsigned int kss_kmalloc_sizes[] = {
	8, 24, 40, 64, 100, 128, 192, 256, 500, 1024, 2000, 4096,
};

static const unsigned int kss_vmalloc_sizes[] = { 1000, 4096, 10000, 20000 };
static const unsigned int kss_percpu_sizes[] = { 8, 16, 64, 128, 256 };
#define KSS_MAX_ORDER	2

struct kss_count {
	atomic_long_t allocs;
	atomic_long_t frees;
	atomic_long_t failed;
	atomic_long_t live;
	atomic_long_t live_req;
	atomic_long_t live_bytes;
};

struct kss_cpu {
	unsigned int cpu;
	struct task_struct *thread;
	struct mutex lock;		/* the thread's steps; armed */
	bool armed;			/* timer and hrtimer started */
	struct timer_list timer;
	struct hrtimer hrtimer;
	struct rnd_state rnd[KSS_NR_RUN_CTX];
	unsigned long slots[KSS_NR_RUN_CTX][KSS_NR_KINDS][KSS_SLOTS];
};

static struct kss_cpu kss_cpus[KSS_MAX_CPUS];
static unsigned int kss_nr_cpus;
static struct kss_count kss_counts[KSS_NR_CTX][KSS_NR_KINDS];
static struct kmem_cache *kss_cache;
static struct dentry *kss_dir;
static DEFINE_MUTEX(kss_lock);
static DECLARE_WAIT_QUEUE_HEAD(kss_wq);
static bool kss_running;
static unsigned int kss_pause_us;
static u64 kss_started_ns;		/* under kss_lock */
static u64 kss_run_ns;			/* time spent running, before now */
static void *kss_held[KSS_MAX_HOLD];	/* under kss_lock */
static unsigned int kss_nr_held;
static int kss_check_result = -1;	/* -1: not run, 0: ok, else failed */

/* What slot idx of (ctx, kind) holds: the size to ask for and its bytes. */
struct kss_size {
	unsigned int arg;		/* size, or order for pages */
	unsigned long req;
	unsigned long bytes;
};

static struct kss_size kss_size(enum kss_ctx ctx, enum kss_kind kind,
				unsigned int idx)
{
	struct kss_size s = {};

	switch (kind) {
	case KSS_KMALLOC:
		if (ctx == KSS_HOLD)
			s.arg = KSS_HOLD_SIZE;
		else if (ctx == KSS_PROCESS && idx % 16 == 15)
			s.arg = KSS_LARGE;
		else
			s.arg = kss_kmalloc_sizes[idx % ARRAY_SIZE(kss_kmalloc_sizes)];
		s.req = s.arg;
		s.bytes = ks_compat_kmalloc_size_roundup(s.arg);
		break;
	case KSS_CACHE:
		s.arg = kmem_cache_size(kss_cache);
		s.req = s.arg;
		s.bytes = s.arg;
		break;
	case KSS_VMALLOC:
		s.arg = kss_vmalloc_sizes[idx % ARRAY_SIZE(kss_vmalloc_sizes)];
		s.req = s.arg;
		s.bytes = PAGE_ALIGN(s.arg);
		break;
	case KSS_PAGE:
		s.arg = idx % (KSS_MAX_ORDER + 1);
		s.req = PAGE_SIZE << s.arg;
		s.bytes = s.req;
		break;
	case KSS_PERCPU:
		s.arg = kss_percpu_sizes[idx % ARRAY_SIZE(kss_percpu_sizes)];
		s.req = s.arg * num_possible_cpus();
		s.bytes = 0;		/* not known here */
		break;
	default:
		break;
	}
	return s;
}

static void kss_account(enum kss_ctx ctx, enum kss_kind kind,
			unsigned int idx, bool alloc)
{
	struct kss_count *c = &kss_counts[ctx][kind];
	struct kss_size s = kss_size(ctx, kind, idx);

	if (alloc) {
		atomic_long_inc(&c->allocs);
		atomic_long_inc(&c->live);
		atomic_long_add(s.req, &c->live_req);
		atomic_long_add(s.bytes, &c->live_bytes);
	} else {
		atomic_long_inc(&c->frees);
		atomic_long_dec(&c->live);
		atomic_long_sub(s.req, &c->live_req);
		atomic_long_sub(s.bytes, &c->live_bytes);
	}
}

/*
 * Allocate into an empty slot of its owner.  Inlined into one function
 * per context: the call sites kmemscope sees are in that function, and no
 * allocator call is a tail call (the slot is written after it).
 */
static __always_inline void kss_fill(struct kss_cpu *c, enum kss_ctx ctx,
				     enum kss_kind kind, unsigned int idx,
				     gfp_t gfp)
{
	struct kss_size s = kss_size(ctx, kind, idx);
	unsigned long p = 0;
	struct page *page;
	void *v;

	switch (kind) {
	case KSS_KMALLOC:
		v = kmalloc(s.arg, gfp);
		if (v)
			*(u8 *)v = idx;
		p = (unsigned long)v;
		break;
	case KSS_CACHE:
		v = kmem_cache_alloc(kss_cache, gfp);
		if (v)
			*(u8 *)v = idx;
		p = (unsigned long)v;
		break;
	case KSS_VMALLOC:
		/* vmalloc() warns when it fails; __vmalloc() takes gfp. */
		v = gfp & __GFP_NOWARN ? __vmalloc(s.arg, gfp) : vmalloc(s.arg);
		if (v)
			*(u8 *)v = idx;
		p = (unsigned long)v;
		break;
	case KSS_PAGE:
		page = alloc_pages(gfp, s.arg);
		if (page)
			*(u8 *)page_address(page) = idx;
		p = (unsigned long)page;
		break;
	case KSS_PERCPU:
		p = (__force unsigned long)__alloc_percpu_gfp(s.arg, 8, gfp);
		break;
	default:
		break;
	}
	if (!p) {
		atomic_long_inc(&kss_counts[ctx][kind].failed);
		return;
	}
	WRITE_ONCE(c->slots[ctx][kind][idx], p);
	kss_account(ctx, kind, idx, true);
}

static noinline void kss_alloc_process(struct kss_cpu *c, enum kss_kind kind,
				       unsigned int idx)
{
	kss_fill(c, KSS_PROCESS, kind, idx,
		 GFP_KERNEL | (nowarn ? __GFP_NOWARN : 0));
}

static noinline void kss_alloc_softirq(struct kss_cpu *c, enum kss_kind kind,
				       unsigned int idx)
{
	kss_fill(c, KSS_SOFTIRQ, kind, idx, GFP_ATOMIC | __GFP_NOWARN);
}

static noinline void kss_alloc_hardirq(struct kss_cpu *c, enum kss_kind kind,
				       unsigned int idx)
{
	kss_fill(c, KSS_HARDIRQ, kind, idx, GFP_ATOMIC | __GFP_NOWARN);
}

/* Free what slot idx of (ctx, kind) on c holds, if anything. */
static void kss_free_slot(struct kss_cpu *c, enum kss_ctx ctx,
			  enum kss_kind kind, unsigned int idx)
{
	unsigned long p = xchg(&c->slots[ctx][kind][idx], 0);

	if (!p)
		return;
	switch (kind) {
	case KSS_KMALLOC:
		kfree((void *)p);
		break;
	case KSS_CACHE:
		kmem_cache_free(kss_cache, (void *)p);
		break;
	case KSS_VMALLOC:
		vfree((void *)p);
		break;
	case KSS_PAGE:
		__free_pages((struct page *)p, kss_size(ctx, kind, idx).arg);
		break;
	case KSS_PERCPU:
		free_percpu((void __percpu __force *)p);
		break;
	default:
		break;
	}
	kss_account(ctx, kind, idx, false);
}

static void kss_step(struct kss_cpu *c, enum kss_ctx ctx)
{
	struct rnd_state *rnd = &c->rnd[ctx];
	const u8 *kinds = kss_kinds[ctx];
	enum kss_kind kind = kinds[1 + prandom_u32_state(rnd) % kinds[0]];
	unsigned int idx = prandom_u32_state(rnd) % KSS_SLOTS;

	if (prandom_u32_state(rnd) % KSS_FOREIGN == 0) {
		struct kss_cpu *o = &kss_cpus[prandom_u32_state(rnd) % kss_nr_cpus];
		enum kss_ctx oc = prandom_u32_state(rnd) % KSS_NR_RUN_CTX;

		/* Slots of a context that does not use kind stay empty. */
		kss_free_slot(o, oc, kind, idx);
		return;
	}
	if (READ_ONCE(c->slots[ctx][kind][idx])) {
		kss_free_slot(c, ctx, kind, idx);
		return;
	}
	switch (ctx) {
	case KSS_PROCESS:
		kss_alloc_process(c, kind, idx);
		break;
	case KSS_SOFTIRQ:
		kss_alloc_softirq(c, kind, idx);
		break;
	case KSS_HARDIRQ:
		kss_alloc_hardirq(c, kind, idx);
		break;
	default:
		break;
	}
}

/* Run steps; return how long to wait before the next run: 3x the run. */
static u64 kss_run_steps(struct kss_cpu *c, enum kss_ctx ctx,
			 unsigned int steps)
{
	u64 t0 = local_clock();
	unsigned int i;

	for (i = 0; i < steps; i++)
		kss_step(c, ctx);
	return 3 * (local_clock() - t0);
}

static void kss_timer_fn(struct timer_list *t)
{
	struct kss_cpu *c = ks_compat_timer_container_of(c, t, timer);
	u64 pause;

	if (!READ_ONCE(kss_running))
		return;
	pause = kss_run_steps(c, KSS_SOFTIRQ, softirq_steps);
	mod_timer(&c->timer, jiffies + max(1UL, nsecs_to_jiffies(pause)));
}

static enum hrtimer_restart kss_hrtimer_fn(struct hrtimer *h)
{
	struct kss_cpu *c = container_of(h, struct kss_cpu, hrtimer);
	u64 period = (u64)hardirq_period_us * NSEC_PER_USEC, pause;

	if (!READ_ONCE(kss_running))
		return HRTIMER_NORESTART;
	pause = kss_run_steps(c, KSS_HARDIRQ, hardirq_steps);
	hrtimer_forward_now(h, ns_to_ktime(max(pause, period)));
	return HRTIMER_RESTART;
}

/* Context: the CPU's own thread, c->lock held; the timers stay on it. */
static void kss_arm(struct kss_cpu *c)
{
	mod_timer(&c->timer, jiffies + 1);
	/*
	 * PREEMPT_RT: the slab and page allocators take sleeping locks, so
	 * nothing may allocate in hard interrupt context; there is no
	 * hardirq load on such a kernel.
	 */
	if (!IS_ENABLED(CONFIG_PREEMPT_RT))
		hrtimer_start(&c->hrtimer,
			      ns_to_ktime(hardirq_period_us * NSEC_PER_USEC),
			      HRTIMER_MODE_REL_PINNED_HARD);
	c->armed = true;
}

static int kss_thread(void *arg)
{
	struct kss_cpu *c = arg;

	while (!kthread_should_stop()) {
		unsigned int pause;
		bool ran = false;

		mutex_lock(&c->lock);
		if (READ_ONCE(kss_running)) {
			if (!c->armed)
				kss_arm(c);
			kss_run_steps(c, KSS_PROCESS, process_steps);
			ran = true;
		}
		mutex_unlock(&c->lock);
		pause = READ_ONCE(kss_pause_us);
		if (ran && pause)
			usleep_range(pause, pause + pause / 2);
		else if (ran)
			cond_resched();
		else
			wait_event_interruptible(kss_wq, READ_ONCE(kss_running) ||
						 kthread_should_stop());
	}
	return 0;
}

/* Context: kss_lock held.  Return: 0. */
static int kss_start(void)
{
	if (kss_running)
		return 0;
	kss_started_ns = local_clock();
	WRITE_ONCE(kss_running, true);
	wake_up_all(&kss_wq);
	return 0;
}

/*
 * Stop every context and wait until none runs.
 * Context: kss_lock held.  Return: 0.
 */
static int kss_stop(void)
{
	unsigned int i;

	if (!kss_running)
		return 0;
	WRITE_ONCE(kss_running, false);
	for (i = 0; i < kss_nr_cpus; i++) {
		struct kss_cpu *c = &kss_cpus[i];

		/* The thread sees kss_running false once it has the lock. */
		mutex_lock(&c->lock);
		if (c->armed) {
			timer_delete_sync(&c->timer);
			hrtimer_cancel(&c->hrtimer);
			c->armed = false;
		}
		mutex_unlock(&c->lock);
	}
	kss_run_ns += local_clock() - kss_started_ns;
	return 0;
}

static noinline int kss_hold(unsigned int n)
{
	void *p;

	if (n > KSS_MAX_HOLD - kss_nr_held)
		return -EINVAL;
	while (n--) {
		p = kmalloc(KSS_HOLD_SIZE, GFP_KERNEL);
		if (!p) {
			atomic_long_inc(&kss_counts[KSS_HOLD][KSS_KMALLOC].failed);
			return -ENOMEM;
		}
		*(u8 *)p = n;
		kss_held[kss_nr_held++] = p;
		kss_account(KSS_HOLD, KSS_KMALLOC, 0, true);
	}
	return 0;
}

/* Context: kss_lock held.  Return: 0. */
static int kss_unhold(void)
{
	while (kss_nr_held) {
		kfree(kss_held[--kss_nr_held]);
		kss_account(KSS_HOLD, KSS_KMALLOC, 0, false);
	}
	return 0;
}

/* Stop, then free every slot.  Context: kss_lock held.  Return: 0. */
static int kss_drain(void)
{
	unsigned int i, ctx, kind, idx;

	kss_stop();
	for (i = 0; i < kss_nr_cpus; i++) {
		for (ctx = 0; ctx < KSS_NR_RUN_CTX; ctx++)
			for (kind = 0; kind < KSS_NR_KINDS; kind++)
				for (idx = 0; idx < KSS_SLOTS; idx++)
					kss_free_slot(&kss_cpus[i], ctx, kind, idx);
		cond_resched();
	}
	return 0;
}

/*
 * Count the live objects again from the slots and compare them with the
 * bookkeeping.  Context: kss_lock held, stopped.  Return: 0 or -EIO.
 */
static int kss_check(void)
{
	long live[KSS_NR_CTX][KSS_NR_KINDS] = {};
	long req[KSS_NR_CTX][KSS_NR_KINDS] = {};
	long bytes[KSS_NR_CTX][KSS_NR_KINDS] = {};
	unsigned int i, ctx, kind, idx;
	int ret = 0;

	for (i = 0; i < kss_nr_cpus; i++)
		for (ctx = 0; ctx < KSS_NR_RUN_CTX; ctx++)
			for (kind = 0; kind < KSS_NR_KINDS; kind++)
				for (idx = 0; idx < KSS_SLOTS; idx++) {
					struct kss_size s = kss_size(ctx, kind, idx);

					if (!kss_cpus[i].slots[ctx][kind][idx])
						continue;
					live[ctx][kind]++;
					req[ctx][kind] += s.req;
					bytes[ctx][kind] += s.bytes;
				}
	live[KSS_HOLD][KSS_KMALLOC] = kss_nr_held;
	req[KSS_HOLD][KSS_KMALLOC] = kss_nr_held * kss_size(KSS_HOLD, KSS_KMALLOC, 0).req;
	bytes[KSS_HOLD][KSS_KMALLOC] = kss_nr_held * kss_size(KSS_HOLD, KSS_KMALLOC, 0).bytes;

	for (ctx = 0; ctx < KSS_NR_CTX; ctx++)
		for (kind = 0; kind < KSS_NR_KINDS; kind++) {
			struct kss_count *c = &kss_counts[ctx][kind];
			long a = atomic_long_read(&c->allocs);
			long f = atomic_long_read(&c->frees);

			if (atomic_long_read(&c->live) == live[ctx][kind] &&
			    atomic_long_read(&c->live_req) == req[ctx][kind] &&
			    atomic_long_read(&c->live_bytes) == bytes[ctx][kind] &&
			    a - f == live[ctx][kind])
				continue;
			pr_err("check: %s %s: counted %ld live (%ld, %ld bytes; %ld - %ld), slots hold %ld (%ld, %ld bytes)\n",
			       kss_ctx_names[ctx], kss_kind_names[kind],
			       atomic_long_read(&c->live),
			       atomic_long_read(&c->live_req),
			       atomic_long_read(&c->live_bytes), a, f,
			       live[ctx][kind], req[ctx][kind], bytes[ctx][kind]);
			ret = -EIO;
		}
	return ret;
}

static int kss_check_stopped(void)
{
	if (kss_running)
		return -EBUSY;
	kss_check_result = kss_check();
	return kss_check_result;
}

static const struct {
	const char *name;
	int (*fn)(void);
} kss_cmds[] = {
	{ "start", kss_start },
	{ "stop", kss_stop },
	{ "drain", kss_drain },
	{ "unhold", kss_unhold },
	{ "check", kss_check_stopped },
};

/* Context: kss_lock held. */
static int kss_command(char *cmd)
{
	unsigned int i, n;

	for (i = 0; i < ARRAY_SIZE(kss_cmds); i++)
		if (!strcmp(cmd, kss_cmds[i].name))
			return kss_cmds[i].fn();
	if (!strncmp(cmd, "hold ", 5) && !kstrtouint(cmd + 5, 10, &n))
		return kss_hold(n);
	if (!strncmp(cmd, "pause ", 6) && !kstrtouint(cmd + 6, 10, &n) &&
	    n <= 100000) {
		WRITE_ONCE(kss_pause_us, n);
		return 0;
	}
	return -EINVAL;
}

static ssize_t kss_control_write(struct file *file, const char __user *ubuf,
				 size_t len, loff_t *ppos)
{
	char buf[KSS_CMD_MAX];
	int ret;

	if (len == 0 || len >= sizeof(buf))
		return -EINVAL;
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	buf[len] = '\0';
	strim(buf);
	mutex_lock(&kss_lock);
	ret = kss_command(buf);
	mutex_unlock(&kss_lock);
	return ret ? ret : len;
}

static const struct file_operations kss_control_fops = {
	.owner = THIS_MODULE,
	.write = kss_control_write,
};

/*
 * ks_stress stats - version: 1.0
 * running: 0|1
 * cpus: N                CPUs with a thread and timers
 * run_ms: T              time spent running, in total
 * check: ok|failed|-     the last check
 * # context allocator live_count live_req live_bytes allocs frees failed
 * then one row per context and allocator it uses; live_bytes is "-" for
 * percpu.
 */
static int kss_stats_show(struct seq_file *m, void *v)
{
	unsigned int ctx, k;
	u64 run_ns;

	mutex_lock(&kss_lock);
	run_ns = kss_run_ns + (kss_running ? local_clock() - kss_started_ns : 0);
	seq_puts(m, "ks_stress stats - version: 1.0\n");
	seq_printf(m, "running: %d\n", kss_running);
	seq_printf(m, "cpus: %u\n", kss_nr_cpus);
	seq_printf(m, "run_ms: %llu\n", div_u64(run_ns, NSEC_PER_MSEC));
	seq_printf(m, "check: %s\n", kss_check_result < 0 ? "-" :
		   kss_check_result ? "failed" : "ok");
	seq_puts(m, "# context allocator live_count live_req live_bytes allocs frees failed\n");
	for (ctx = 0; ctx < KSS_NR_CTX; ctx++)
		for (k = 1; k <= kss_kinds[ctx][0]; k++) {
			enum kss_kind kind = kss_kinds[ctx][k];
			struct kss_count *c = &kss_counts[ctx][kind];

			seq_printf(m, "%s %s %ld %ld ", kss_ctx_names[ctx],
				   kss_kind_names[kind],
				   atomic_long_read(&c->live),
				   atomic_long_read(&c->live_req));
			if (kind == KSS_PERCPU)
				seq_puts(m, "-");
			else
				seq_printf(m, "%ld", atomic_long_read(&c->live_bytes));
			seq_printf(m, " %ld %ld %ld\n", atomic_long_read(&c->allocs),
				   atomic_long_read(&c->frees),
				   atomic_long_read(&c->failed));
		}
	mutex_unlock(&kss_lock);
	return 0;
}

static int kss_stats_open(struct inode *inode, struct file *file)
{
	return single_open(file, kss_stats_show, NULL);
}

static const struct file_operations kss_stats_fops = {
	.owner = THIS_MODULE,
	.open = kss_stats_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static void kss_stop_threads(void)
{
	unsigned int i;

	for (i = 0; i < kss_nr_cpus; i++)
		kthread_stop(kss_cpus[i].thread);
}

static int __init kss_init(void)
{
	unsigned int cpu, i;

	if (!process_steps || process_steps > 1024 || !softirq_steps ||
	    softirq_steps > 256 || !hardirq_steps || hardirq_steps > 64 ||
	    hardirq_period_us < 100 || hardirq_period_us > 1000000)
		return -EINVAL;
	kss_cache = kmem_cache_create("ks_stress_obj", KSS_CACHE_OBJ, 0, 0, NULL);
	if (!kss_cache)
		return -ENOMEM;
	for_each_online_cpu(cpu) {
		struct kss_cpu *c = &kss_cpus[kss_nr_cpus];
		struct task_struct *t;

		if (kss_nr_cpus == KSS_MAX_CPUS)
			break;
		c->cpu = cpu;
		mutex_init(&c->lock);
		timer_setup(&c->timer, kss_timer_fn, TIMER_PINNED);
		ks_compat_hrtimer_setup(&c->hrtimer, kss_hrtimer_fn,
					CLOCK_MONOTONIC,
					HRTIMER_MODE_REL_PINNED_HARD);
		for (i = 0; i < KSS_NR_RUN_CTX; i++)
			prandom_seed_state(&c->rnd[i], cpu * KSS_NR_RUN_CTX + i + 1);
		t = kthread_create(kss_thread, c, "ks_stress/%u", cpu);
		if (IS_ERR(t)) {
			kss_stop_threads();
			kmem_cache_destroy(kss_cache);
			return PTR_ERR(t);
		}
		kthread_bind(t, cpu);
		c->thread = t;
		kss_nr_cpus++;
		wake_up_process(t);
	}
	kss_dir = debugfs_create_dir("ks_stress", NULL);
	debugfs_create_file("control", 0600, kss_dir, NULL, &kss_control_fops);
	debugfs_create_file("stats", 0400, kss_dir, NULL, &kss_stats_fops);
	pr_info("%u CPUs, %u slots per CPU, context and allocator\n",
		kss_nr_cpus, KSS_SLOTS);
	return 0;
}

static void __exit kss_exit(void)
{
	debugfs_remove_recursive(kss_dir);
	mutex_lock(&kss_lock);
	kss_drain();
	kss_unhold();
	mutex_unlock(&kss_lock);
	kss_stop_threads();
	kmem_cache_destroy(kss_cache);
}

module_init(kss_init);
module_exit(kss_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("kmemscope stress load: every allocator from process, softirq and hardirq context, with exact bookkeeping");
