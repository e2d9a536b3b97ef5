// SPDX-License-Identifier: GPL-2.0
/*
 * control.c - /sys/kernel/debug/kmemscope/control: write a command (see
 * parse.c), read the current settings.
 *
 * Notes on locking: ks_control_lock (a mutex; writers are processes)
 * serialises commands; ks_reset_lock serialises resets with the one the
 * self-test makes at load (the files are created after it, in any case).
 * Settings the probes read (ks_enabled, ks_stacks_on, ks_stack_depth,
 * ks_min_size) are written with WRITE_ONCE() and read with READ_ONCE(); a
 * probe racing with a command follows the old or the new setting.  reset pauses the probes
 * (ks_paused, then synchronize_rcu(): probes run with preemption off) so
 * that the store and the stack table can be cleared.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/sched/clock.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "kmemscope.h"
#include "attrib.h"
#include "parse.h"

#define KS_CONTROL_VERSION	"1.1"

static DEFINE_MUTEX(ks_control_lock);
/* One reset at a time: the control file's, the self-test's at load. */
static DEFINE_MUTEX(ks_reset_lock);

/* Pause the probes, clear the store and the stack table.  Context: process. */
void ks_reset(void)
{
	mutex_lock(&ks_reset_lock);
	WRITE_ONCE(ks_paused, true);
	synchronize_rcu();
	ks_store_reset(&ks_store);
	ks_stacks_reset(&ks_stacks);
	ks_sampler_reset();
	atomic_long_set(&ks_filtered_small, 0);
	atomic_long_set(&ks_unknown_callers, 0);
	atomic_long_set(&ks_user_pages, 0);
	atomic_long_set(&ks_vfree_deferred, 0);
	atomic_long_set(&ks_vfree_twice, 0);
	ks_loaded_ns = local_clock();
	ks_mark_ns = ks_loaded_ns;
	WRITE_ONCE(ks_paused, false);
	mutex_unlock(&ks_reset_lock);
}

static int ks_apply(const struct ks_cmd *c)
{
	switch (c->op) {
	case KS_CMD_ENABLE:
		WRITE_ONCE(ks_enabled, true);
		break;
	case KS_CMD_DISABLE:
		WRITE_ONCE(ks_enabled, false);
		break;
	case KS_CMD_RESET:
		ks_reset();
		break;
	case KS_CMD_STACKS_ON:
		WRITE_ONCE(ks_stacks_on, true);
		break;
	case KS_CMD_STACKS_OFF:
		WRITE_ONCE(ks_stacks_on, false);
		break;
	case KS_CMD_STACKS_DEPTH:
		WRITE_ONCE(ks_stack_depth, c->value);
		break;
	case KS_CMD_FILTER_MODULE:
		ks_attrib_set_module_filter(c->module);
		ks_store_reclassify(&ks_store);
		break;
	case KS_CMD_FILTER_MIN_SIZE:
		WRITE_ONCE(ks_min_size, c->value);
		break;
	case KS_CMD_FILTER_OFF:
		ks_attrib_set_module_filter("");
		ks_store_reclassify(&ks_store);
		WRITE_ONCE(ks_min_size, 0);
		break;
	case KS_CMD_MARK:
		ks_mark();
		break;
	case KS_CMD_MIN_AGE:
		WRITE_ONCE(ks_min_age_s, c->value);
		break;
	case KS_CMD_SAMPLE_INTERVAL:
		return ks_sampler_set(c->value, ks_sample_window);
	case KS_CMD_SAMPLE_WINDOW:
		return ks_sampler_set(ks_sample_interval_s, c->value);
	}
	return 0;
}

static ssize_t ks_control_write(struct file *file, const char __user *ubuf,
				size_t len, loff_t *ppos)
{
	char buf[KS_CMD_MAX];
	struct ks_cmd cmd;
	int ret;

	if (len == 0 || len > KS_CMD_MAX) {
		pr_info("control: command of %zu bytes rejected (1..%d)\n", len,
			KS_CMD_MAX);
		return -EINVAL;
	}
	if (copy_from_user(buf, ubuf, len))
		return -EFAULT;
	if (ks_parse_cmd(buf, len, &cmd, KS_STACK_MAX_DEPTH)) {
		pr_info("control: unknown or malformed command rejected\n");
		return -EINVAL;
	}
	mutex_lock(&ks_control_lock);
	ret = ks_apply(&cmd);
	mutex_unlock(&ks_control_lock);
	return ret ? ret : len;
}

static int ks_control_show(struct seq_file *m, void *v)
{
	const char *filter;

	mutex_lock(&ks_control_lock);
	filter = ks_attrib_module_filter();
	seq_printf(m, "kmemscope control - version: %s\n", KS_CONTROL_VERSION);
	seq_printf(m, "tracking: %s\n", READ_ONCE(ks_enabled) ? "enabled" : "disabled");
	seq_printf(m, "stacks: %s\n", READ_ONCE(ks_stacks_on) ? "on" : "off");
	seq_printf(m, "stack_depth: %u\n", READ_ONCE(ks_stack_depth));
	seq_printf(m, "filter_module: %s\n", filter[0] ? filter : "off");
	seq_printf(m, "filter_min_size: %lu\n", READ_ONCE(ks_min_size));
	seq_printf(m, "min_age: %lu\n", READ_ONCE(ks_min_age_s));
	seq_printf(m, "marks: %lu\n", READ_ONCE(ks_marks));
	seq_printf(m, "sample_interval: %lu\n", ks_sample_interval_s);
	seq_printf(m, "sample_window: %u\n", ks_sample_window);
	mutex_unlock(&ks_control_lock);
	return 0;
}

static int ks_control_open(struct inode *inode, struct file *file)
{
	return single_open(file, ks_control_show, NULL);
}

static const struct file_operations ks_control_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_control_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.write		= ks_control_write,
	.release	= single_release,
};

int ks_control_create(struct dentry *dir)
{
	debugfs_create_file("control", 0600, dir, NULL, &ks_control_fops);
	return 0;
}
