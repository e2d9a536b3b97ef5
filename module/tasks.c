// SPDX-License-Identifier: GPL-2.0
/*
 * tasks.c - the tasks and task_sites files: live kernel memory by the
 * task that allocated it.  tasks has one row per task, task_sites one per
 * task and call site; both by live bytes.
 *
 * Each record keeps the pid and comm of the task it was allocated in
 * (store.c; pid 0 and "[hardirq]", "[softirq]" or "[atomic]" outside task
 * context).  open() walks the records in batches (ks_store_copy_records():
 * one bucket lock at a time, never held while this file aggregates) and
 * sums them per (pid, comm), and for task_sites per site too, in an
 * open-addressing table of KS_TASKS_MAX rows (task_sites:
 * KS_TASK_SITES_MAX).  A task still running with that pid and comm is
 * "running", else "exited"; the exited ones are folded by comm into one
 * row (pid "-"): a hundred short-lived "cat"s are one row.  Allocations
 * past the last row are counted, not listed.
 * The rows are sorted and handed to seqtable.c, so reads format the open
 * file's own copy.
 *
 * Locking: none of its own; the store's bucket locks inside
 * ks_store_copy_records(), and RCU to look a pid up.
 */
#include <linux/ctype.h>
#include <linux/fs.h>
#include <linux/hash.h>
#include <linux/mm.h>
#include <linux/overflow.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>
#include <linux/stringhash.h>

#include "tasks.h"
#include "versions.h"
#include "state.h"
#include "format.h"
#include "seqtable.h"

/*
 * Rows a table holds (tasks, task_sites); hash slots are twice as many (at
 * most half full).  A row is about 120 bytes: an open file of tasks holds
 * about 256 kB, of task_sites about 1 MB, until it is closed.
 */
#define KS_TASKS_MAX		2048
#define KS_TASK_SITES_MAX	8192
#define KS_TASKS_BATCH		64

enum ks_task_state { KS_TASK_RUNNING, KS_TASK_EXITED, KS_TASK_NONE };

static const char * const ks_task_states[] = {
	[KS_TASK_RUNNING]	= "running",
	[KS_TASK_EXITED]	= "exited",
	[KS_TASK_NONE]		= "no_task",
};

struct ks_task_row {
	pid_t pid;			/* -1: exited tasks of this comm */
	u32 site;			/* task_sites: the store's site index */
	u8 state;
	u8 kind;			/* task_sites: of the site */
	u8 retired;			/* task_sites: of the site */
	char comm[TASK_COMM_LEN];
	unsigned long call_site;	/* task_sites */
	const char *site_name;		/* task_sites: of a retired site */
	long live_bytes[KS_NR_KINDS];
	long total;
	long live_count;
	unsigned int tasks;		/* tasks folded into the row */
};

struct ks_tasks {
	struct ks_table t;		/* first: seqtable.c kvfree()s it */
	bool by_site;
	long not_listed_count;
	long not_listed_bytes;
	struct ks_site_label label;	/* task_sites: scratch for show */
	unsigned int max;		/* rows */
	u16 *slot;			/* 2 * max: row index + 1; 0: empty */
	struct ks_task_row rows[];	/* max, then the slots */
};

static bool ks_task_same(const struct ks_tasks *ts,
			 const struct ks_task_row *r, pid_t pid,
			 const char *comm, u32 site)
{
	return r->pid == pid && !strncmp(r->comm, comm, TASK_COMM_LEN) &&
	       (!ts->by_site || r->site == site);
}

/*
 * The hash slot of (pid, comm[, site]): the one holding its row, or the
 * empty one where it goes.  There are twice as many slots as rows, so a
 * probe always ends at one or the other.
 */
static u16 *ks_task_slot(struct ks_tasks *ts, pid_t pid, const char *comm,
			 u32 site)
{
	unsigned int slots = 2 * ts->max;
	unsigned int i;

	i = (full_name_hash(NULL, comm, strnlen(comm, TASK_COMM_LEN)) ^
	     hash_32(pid, 32) ^ hash_32(site, 32)) % slots;
	while (ts->slot[i] &&
	       !ks_task_same(ts, &ts->rows[ts->slot[i] - 1], pid, comm, site))
		i = (i + 1) % slots;
	return &ts->slot[i];
}

/* The row of (pid, comm[, site]) for record @s, added if new; NULL: full. */
static struct ks_task_row *ks_task_row(struct ks_tasks *ts,
				       const struct ks_record_snap *s)
{
	u32 site = ts->by_site ? s->site : 0;
	u16 *slot = ks_task_slot(ts, s->pid, s->comm, site);
	struct ks_task_row *r;

	if (*slot)
		return &ts->rows[*slot - 1];
	if (ts->t.n == ts->max)
		return NULL;
	r = &ts->rows[ts->t.n++];
	r->pid = s->pid;
	strscpy(r->comm, s->comm, sizeof(r->comm));
	r->site = site;
	r->kind = s->kind;
	r->retired = s->retired;
	r->call_site = s->call_site;
	r->site_name = s->site_name;
	r->tasks = 1;
	*slot = ts->t.n;
	return r;
}

/* Whether the task @pid (in the initial namespace) still runs as @comm. */
static bool ks_task_running(pid_t pid, const char *comm)
{
	struct task_struct *p;
	char now[TASK_COMM_LEN];
	bool same = false;

	rcu_read_lock();
	p = pid_task(find_pid_ns(pid, &init_pid_ns), PIDTYPE_PID);
	if (p) {
		memcpy(now, p->comm, sizeof(now));
		now[sizeof(now) - 1] = '\0';
		same = !strcmp(now, comm);
	}
	rcu_read_unlock();
	return same;
}

/*
 * Decide each row's state, then fold the exited rows by comm (and site)
 * into the first exited row of that comm: the hash slots are emptied and
 * filled again with the rows kept, an exited row under pid -1, so that
 * each fold is one lookup.  Rows are compacted in place.
 */
static void ks_tasks_fold_exited(struct ks_tasks *ts)
{
	unsigned int i, n = 0;
	int k;

	for (i = 0; i < ts->t.n; i++) {
		struct ks_task_row *r = &ts->rows[i];

		if (!r->pid)
			r->state = KS_TASK_NONE;
		else if (ks_task_running(r->pid, r->comm))
			r->state = KS_TASK_RUNNING;
		else
			r->state = KS_TASK_EXITED;
		if (!(i % 256))
			cond_resched();
	}
	memset(ts->slot, 0, 2 * ts->max * sizeof(*ts->slot));
	for (i = 0; i < ts->t.n; i++) {
		struct ks_task_row *r = &ts->rows[i];
		u16 *slot;

		if (r->state == KS_TASK_EXITED)
			r->pid = -1;
		slot = ks_task_slot(ts, r->pid, r->comm, r->site);
		if (*slot) {
			struct ks_task_row *into = &ts->rows[*slot - 1];

			for (k = 0; k < KS_NR_KINDS; k++)
				into->live_bytes[k] += r->live_bytes[k];
			into->total += r->total;
			into->live_count += r->live_count;
			into->tasks += r->tasks;
			continue;
		}
		if (n != i)
			ts->rows[n] = *r;
		*slot = ++n;
	}
	ts->t.n = n;
}

static int ks_task_cmp(const void *a, const void *b)
{
	const struct ks_task_row *x = a, *y = b;

	if (x->total != y->total)
		return x->total > y->total ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->site != y->site)
		return x->site < y->site ? -1 : 1;
	return strcmp(x->comm, y->comm);
}

static struct ks_table *ks_tasks_build(bool by_site)
{
	unsigned int max = by_site ? KS_TASK_SITES_MAX : KS_TASKS_MAX;
	struct ks_record_cursor cur = {};
	struct ks_record_snap *buf;
	struct ks_tasks *ts;
	unsigned int n, i;

	BUILD_BUG_ON(2 * KS_TASK_SITES_MAX > U16_MAX);
	ts = kvzalloc(struct_size(ts, rows, max) + 2 * max * sizeof(u16),
		      GFP_KERNEL);
	buf = kmalloc_array(KS_TASKS_BATCH, sizeof(*buf), GFP_KERNEL);
	if (!ts || !buf) {
		kvfree(ts);
		kfree(buf);
		return NULL;
	}
	ts->t.size = sizeof(struct ks_task_row);
	ts->t.rows = ts->rows;
	ts->by_site = by_site;
	ts->max = max;
	ts->slot = (u16 *)&ts->rows[max];
	while ((n = ks_store_copy_records(&ks_store, &cur, buf,
					  KS_TASKS_BATCH))) {
		for (i = 0; i < n; i++) {
			const struct ks_record_snap *s = &buf[i];
			struct ks_task_row *r = ks_task_row(ts, s);

			if (!r) {
				ts->not_listed_count++;
				ts->not_listed_bytes += s->bytes_alloc;
				continue;
			}
			if (s->kind < KS_NR_KINDS)
				r->live_bytes[s->kind] += s->bytes_alloc;
			r->total += s->bytes_alloc;
			r->live_count++;
		}
		cond_resched();
	}
	kfree(buf);
	ks_tasks_fold_exited(ts);
	sort(ts->rows, ts->t.n, sizeof(ts->rows[0]), ks_task_cmp, NULL);
	return &ts->t;
}

static void ks_task_show_head(struct seq_file *m, const char *file,
			      const char *version)
{
	const struct ks_tasks *ts = m->private;

	seq_printf(m, "kmemscope %s - version: %s\n", file, version);
	seq_printf(m, "not_listed_over_cap: %ld allocations, %ld bytes\n",
		   ts->not_listed_count, ts->not_listed_bytes);
}

/* " pid state comm" of a row; a blank in comm prints as '_'. */
static void ks_task_show_task(struct seq_file *m, const struct ks_task_row *r)
{
	char comm[TASK_COMM_LEN];
	unsigned int i;

	strscpy(comm, r->comm, sizeof(comm));
	for (i = 0; comm[i]; i++)
		if (isspace(comm[i]))
			comm[i] = '_';
	if (r->pid < 0)
		seq_puts(m, " -");
	else
		seq_printf(m, " %d", r->pid);
	seq_printf(m, " %s %s", ks_task_states[r->state], comm[0] ? comm : "-");
}

static int ks_tasks_show(struct seq_file *m, void *v)
{
	const struct ks_task_row *r = v;
	int k;

	if (v == SEQ_START_TOKEN) {
		ks_task_show_head(m, "tasks", KS_TASKS_VERSION);
		seq_puts(m, "# total_bytes");
		for (k = 0; k < KS_NR_KINDS; k++)
			seq_printf(m, " %s_bytes", ks_kind_names[k]);
		seq_puts(m, " live_count tasks pid state comm\n");
		return 0;
	}
	seq_printf(m, "%ld", r->total);
	for (k = 0; k < KS_NR_KINDS; k++)
		seq_printf(m, " %ld", r->live_bytes[k]);
	seq_printf(m, " %ld %u", r->live_count, r->tasks);
	ks_task_show_task(m, r);
	seq_putc(m, '\n');
	return 0;
}

static int ks_task_sites_show(struct seq_file *m, void *v)
{
	struct ks_tasks *ts = m->private;
	const struct ks_task_row *r = v;

	if (v == SEQ_START_TOKEN) {
		ks_task_show_head(m, "task_sites", KS_TASK_SITES_VERSION);
		seq_puts(m, "# live_bytes live_count tasks pid state comm allocator module call_site\n");
		return 0;
	}
	ks_label(&ts->label, r->call_site, r->site_name, r->retired);
	seq_printf(m, "%ld %ld %u", r->total, r->live_count, r->tasks);
	ks_task_show_task(m, r);
	seq_printf(m, " %s %s %s\n", ks_kind_name(r->kind), ts->label.module,
		   ts->label.name);
	return 0;
}

KS_DEFINE_TABLE_VIEW(ks_tasks, ks_tasks_build(false), ks_tasks_show);
KS_DEFINE_TABLE_VIEW(ks_task_sites, ks_tasks_build(true), ks_task_sites_show);
