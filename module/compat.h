/* SPDX-License-Identifier: GPL-2.0 */
/*
 * compat.h - every kernel-version difference kmemscope depends on.
 *
 * Supported: 6.1 to 6.12.  Code outside this file never tests
 * LINUX_VERSION_CODE; it calls the ks_compat_* wrappers below.  This is
 * the one file checkpatch's LINUX_VERSION_CODE rule is waived for.
 */
#ifndef _KMEMSCOPE_COMPAT_H
#define _KMEMSCOPE_COMPAT_H

#include <linux/version.h>
#include <linux/slab.h>

/* True when the kernel is at least a.b (the only version test allowed). */
#define KS_KERNEL_AT_LEAST(a, b) \
	(KERNEL_VERSION(a, b, 0) <= LINUX_VERSION_CODE)

#if !KS_KERNEL_AT_LEAST(6, 1)
#error "kmemscope needs Linux 6.1 or newer (kmem tracepoints with a kmem_cache argument)"
#endif

/*
 * Size of a kmem_cache object as the caller sees it.  struct kmem_cache is
 * private to mm/ from 6.2 on; kmem_cache_size() (exported) returns the
 * object size on every supported version.
 */
static inline size_t ks_compat_cache_obj_size(struct kmem_cache *s)
{
	return kmem_cache_size(s);
}

#endif /* _KMEMSCOPE_COMPAT_H */
