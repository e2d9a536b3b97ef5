// SPDX-License-Identifier: GPL-2.0
/*
 * control.c - /sys/kernel/debug/kmemscope/control: write a command (see
 * parse.c), read the current settings.
 *
 * Notes on locking: ks_control_lock (a mutex; writers are processes)
 * serialises commands and the settings' read-back.  Settings the probes
 * read (ks_sw.enabled, ks_sw.stacks_on, ks_sw.stacks_module_on, ks_stack_depth,
 * ks_min_size: state.c)
 * are written with WRITE_ONCE() and read with READ_ONCE(); a probe racing
 * with a command follows the old or the new setting.  "reset" is
 * reset.c's; the sampler takes its own lock inside this one.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "control.h"
#include "versions.h"
#include "state.h"
#include "attrib.h"
#include "hooks.h"
#include "parse.h"
#include "reset.h"
#include "marks.h"
#include "leaks.h"
#include "sampler.h"

static DEFINE_MUTEX(ks_control_lock);

static int ks_apply(const struct ks_cmd *c)
{
	switch (c->op) {
	case KS_CMD_ENABLE:
		WRITE_ONCE(ks_sw.enabled, true);
		break;
	case KS_CMD_DISABLE:
		WRITE_ONCE(ks_sw.enabled, false);
		break;
	case KS_CMD_RESET:
		ks_reset();
		break;
	case KS_CMD_STACKS_ON:
		WRITE_ONCE(ks_sw.stacks_on, true);
		WRITE_ONCE(ks_sw.stacks_module_on, false);
		ks_attrib_set_stacks_module("");
		break;
	case KS_CMD_STACKS_MODULE:
		/*
		 * Off while the sites are marked again: no allocation takes
		 * a backtrace by the old module's marks after this returns.
		 */
		WRITE_ONCE(ks_sw.stacks_module_on, false);
		WRITE_ONCE(ks_sw.stacks_on, false);
		ks_attrib_set_stacks_module(c->module);
		ks_store_reclassify(&ks_store);
		WRITE_ONCE(ks_sw.stacks_module_on, true);
		break;
	case KS_CMD_STACKS_OFF:
		WRITE_ONCE(ks_sw.stacks_on, false);
		WRITE_ONCE(ks_sw.stacks_module_on, false);
		ks_attrib_set_stacks_module("");
		break;
	case KS_CMD_STACKS_DEPTH:
		WRITE_ONCE(ks_stack_depth, c->value);
		break;
	case KS_CMD_FILTER_MODULE:
		ks_attrib_set_module_filter(c->module);
		ks_store_reclassify(&ks_store);
		break;
	case KS_CMD_FILTER_MIN_SIZE:
		ks_hooks_set_min_size(c->value);
		break;
	case KS_CMD_FILTER_OFF:
		ks_attrib_set_module_filter("");
		ks_store_reclassify(&ks_store);
		ks_hooks_set_min_size(0);
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
	char smod[MODULE_NAME_LEN];
	const char *filter;

	mutex_lock(&ks_control_lock);
	filter = ks_attrib_module_filter();
	seq_printf(m, "kmemscope control - version: %s\n", KS_CONTROL_VERSION);
	seq_printf(m, "tracking: %s\n", READ_ONCE(ks_sw.enabled) ? "enabled" : "disabled");
	ks_attrib_stacks_module(smod);
	if (READ_ONCE(ks_sw.stacks_module_on))
		seq_printf(m, "stacks: module=%s\n", smod);
	else
		seq_printf(m, "stacks: %s\n", READ_ONCE(ks_sw.stacks_on) ? "on" : "off");
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

const struct file_operations ks_control_fops = {
	.owner		= THIS_MODULE,
	.open		= ks_control_open,
	.read		= seq_read,
	.llseek		= seq_lseek,
	.write		= ks_control_write,
	.release	= single_release,
};
