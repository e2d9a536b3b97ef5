/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parse.h - the control file's command language.  See parse.c.
 */
#ifndef _KMEMSCOPE_PARSE_H
#define _KMEMSCOPE_PARSE_H

#include <linux/types.h>
#include <linux/module.h>

/* Longest interval between growth samples, in seconds. */
#define KS_SAMPLE_MAX_INTERVAL	3600

/* Longest command accepted, including the newline. */
#define KS_CMD_MAX	128

enum ks_cmd_op {
	KS_CMD_ENABLE,
	KS_CMD_DISABLE,
	KS_CMD_RESET,
	KS_CMD_STACKS_ON,
	KS_CMD_STACKS_OFF,
	KS_CMD_STACKS_DEPTH,
	KS_CMD_STACKS_MODULE,
	KS_CMD_FILTER_MODULE,
	KS_CMD_FILTER_MIN_SIZE,
	KS_CMD_FILTER_OFF,
	KS_CMD_MARK,
	KS_CMD_MIN_AGE,
	KS_CMD_SAMPLE_INTERVAL,
	KS_CMD_SAMPLE_WINDOW,
};

struct ks_cmd {
	enum ks_cmd_op op;
	unsigned long value;		/* depth, min_size, min_age, sample */
	char module[MODULE_NAME_LEN];	/* filter module, stacks module */
};

int ks_parse_cmd(const char *buf, size_t len, struct ks_cmd *cmd,
		 unsigned int max_depth);

#endif /* _KMEMSCOPE_PARSE_H */
