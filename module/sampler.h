/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sampler.h - the growth sampler.  See sampler.c.
 */
#ifndef _KMEMSCOPE_SAMPLER_H
#define _KMEMSCOPE_SAMPLER_H

#include <linux/types.h>

#include "trend.h"

extern unsigned long ks_sample_interval_s;
extern unsigned int ks_sample_window;

/* A site whose last window of samples is growing. */
struct ks_growing {
	unsigned int row;		/* its slot in the site table */
	struct ks_trend t;
	long live;			/* its last sample */
};

void ks_sampler_init(void);
void ks_sampler_exit(void);
int ks_sampler_set(unsigned long interval, unsigned int window);
void ks_sampler_reset(void);
size_t ks_sampler_bytes(void);
u32 ks_sampler_samples(void);
unsigned int ks_find_growing(struct ks_growing *out, unsigned int max);

#endif /* _KMEMSCOPE_SAMPLER_H */
