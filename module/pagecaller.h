/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pagecaller.h - a page allocation's caller from entry callbacks.  See
 * pagecaller.c.
 */
#ifndef _KMEMSCOPE_PAGECALLER_H
#define _KMEMSCOPE_PAGECALLER_H

#include <linux/atomic.h>
#include <linux/module.h>

#include "compat.h"

/* Page allocations whose caller the callbacks could not give. */
extern atomic_long_t ks_page_caller_unwound;
/* The callbacks are hooked and calibrated. */
extern bool ks_pagecaller_on;

/* The stack pointer ks_pagecaller_take() measures from. */
static __always_inline unsigned long ks_pagecaller_sp(void)
{
#if KS_COMPAT_PAGE_FTRACE
	return current_stack_pointer;
#else
	return 0;
#endif
}

#if KS_COMPAT_PAGE_FTRACE
unsigned long ks_pagecaller_take(unsigned long sp, bool page);
int ks_pagecaller_register(const unsigned long *entries, unsigned int n,
			   struct module *self);
void ks_pagecaller_learn_begin(void);
bool ks_pagecaller_learn_end(struct module *caller);
void ks_pagecaller_unregister(void);
#else
static inline unsigned long ks_pagecaller_take(unsigned long sp, bool page)
{
	return 0;
}

static inline int ks_pagecaller_register(const unsigned long *entries,
					 unsigned int n, struct module *self)
{
	return -EOPNOTSUPP;
}

static inline void ks_pagecaller_learn_begin(void)
{
}

static inline bool ks_pagecaller_learn_end(struct module *caller)
{
	return false;
}

static inline void ks_pagecaller_unregister(void)
{
}
#endif

#endif /* _KMEMSCOPE_PAGECALLER_H */
