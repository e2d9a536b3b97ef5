// SPDX-License-Identifier: GPL-2.0
/*
 * parse.c - parse one command written to the control file.  Pure: no
 * state, no locks, no allocation; the KUnit suite drives it directly.
 *
 * Grammar (words separated by spaces or tabs, one trailing newline):
 *   enable | disable | reset
 *   stacks on | stacks off | stacks depth N        (1 <= N <= max_depth)
 *   stacks on module=NAME     backtraces for NAME's call sites only (NAME
 *                             as for filter module)
 *   filter module NAME        NAME: [A-Za-z0-9_-], or "kernel"; '-' reads as '_'
 *   filter min_size N         bytes, 0 <= N <= 2^31 - 1
 *   filter off
 *   mark                      start a new generation (since_mark)
 *   min_age N                 seconds, 0 <= N <= 2^31 - 1 (leaks)
 *   sample interval N         seconds between growth samples, 0 (off) to 3600
 *   sample window N           samples the growth test looks at, 4 to 64
 * Anything else, a NUL, control or non-ASCII byte, more than KS_CMD_MAX
 * bytes, extra words or a number with a sign, spaces or trailing garbage
 * is -EINVAL.
 */
#include <linux/ctype.h>
#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/limits.h>
#include <linux/string.h>

#include "parse.h"
#include "trend.h"

#define KS_MAX_WORDS	4

static int ks_words(char *s, char **w, unsigned int max)
{
	unsigned int n = 0;

	while (*s) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			break;
		if (n == max)
			return -EINVAL;
		w[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	return n;
}

static int ks_number(const char *s, unsigned long min, unsigned long max,
		     unsigned long *v)
{
	/* kstrtoul() takes a leading '+': numbers here are digits only. */
	if (!isdigit(*s))
		return -EINVAL;
	if (kstrtoul(s, 10, v) || *v < min || *v > max)
		return -EINVAL;
	return 0;
}

static int ks_module_name(const char *s, char *out, size_t len)
{
	size_t i, n = strlen(s);

	if (!n || n >= len)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (!isalnum(s[i]) && s[i] != '_' && s[i] != '-')
			return -EINVAL;
		out[i] = s[i] == '-' ? '_' : s[i];
	}
	out[n] = '\0';
	return 0;
}

/**
 * ks_parse_cmd - parse one control command
 * @buf: the bytes written (not NUL-terminated)
 * @len: how many
 * @cmd: the result, written only on success
 * @max_depth: the largest stack depth accepted
 *
 * Context: any.  Return: 0, or -EINVAL for anything malformed.
 */
int ks_parse_cmd(const char *buf, size_t len, struct ks_cmd *cmd,
		 unsigned int max_depth)
{
	char s[KS_CMD_MAX + 1], *w[KS_MAX_WORDS];
	struct ks_cmd c = {};
	size_t i;
	int n;

	if (!len || len > KS_CMD_MAX)
		return -EINVAL;
	memcpy(s, buf, len);
	s[len] = '\0';
	if (s[len - 1] == '\n')
		s[--len] = '\0';
	/*
	 * The kernel's isprint() and isalnum() take Latin-1 letters and
	 * symbols (0xa0..0xff): the language is ASCII, refuse them first.
	 */
	for (i = 0; i < len; i++)
		if (!isascii(s[i]) || (!isprint(s[i]) && s[i] != '\t'))
			return -EINVAL;
	n = ks_words(s, w, KS_MAX_WORDS);
	if (n <= 0)
		return -EINVAL;

	if (n == 1 && !strcmp(w[0], "enable")) {
		c.op = KS_CMD_ENABLE;
	} else if (n == 1 && !strcmp(w[0], "disable")) {
		c.op = KS_CMD_DISABLE;
	} else if (n == 1 && !strcmp(w[0], "reset")) {
		c.op = KS_CMD_RESET;
	} else if (n == 1 && !strcmp(w[0], "mark")) {
		c.op = KS_CMD_MARK;
	} else if (n == 2 && !strcmp(w[0], "min_age") &&
		   !ks_number(w[1], 0, INT_MAX, &c.value)) {
		c.op = KS_CMD_MIN_AGE;
	} else if (!strcmp(w[0], "stacks")) {
		if (n == 2 && !strcmp(w[1], "on"))
			c.op = KS_CMD_STACKS_ON;
		else if (n == 3 && !strcmp(w[1], "on") &&
			 !strncmp(w[2], "module=", 7) &&
			 !ks_module_name(w[2] + 7, c.module, sizeof(c.module)))
			c.op = KS_CMD_STACKS_MODULE;
		else if (n == 2 && !strcmp(w[1], "off"))
			c.op = KS_CMD_STACKS_OFF;
		else if (n == 3 && !strcmp(w[1], "depth") &&
			 !ks_number(w[2], 1, max_depth, &c.value))
			c.op = KS_CMD_STACKS_DEPTH;
		else
			return -EINVAL;
	} else if (!strcmp(w[0], "sample")) {
		if (n == 3 && !strcmp(w[1], "interval") &&
		    !ks_number(w[2], 0, KS_SAMPLE_MAX_INTERVAL, &c.value))
			c.op = KS_CMD_SAMPLE_INTERVAL;
		else if (n == 3 && !strcmp(w[1], "window") &&
			 !ks_number(w[2], KS_TREND_MIN_WINDOW,
				    KS_TREND_MAX_WINDOW, &c.value))
			c.op = KS_CMD_SAMPLE_WINDOW;
		else
			return -EINVAL;
	} else if (!strcmp(w[0], "filter")) {
		if (n == 2 && !strcmp(w[1], "off"))
			c.op = KS_CMD_FILTER_OFF;
		else if (n == 3 && !strcmp(w[1], "module") &&
			 !ks_module_name(w[2], c.module, sizeof(c.module)))
			c.op = KS_CMD_FILTER_MODULE;
		else if (n == 3 && !strcmp(w[1], "min_size") &&
			 !ks_number(w[2], 0, INT_MAX, &c.value))
			c.op = KS_CMD_FILTER_MIN_SIZE;
		else
			return -EINVAL;
	} else {
		return -EINVAL;
	}
	*cmd = c;
	return 0;
}
