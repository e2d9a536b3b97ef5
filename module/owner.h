/* SPDX-License-Identifier: GPL-2.0 */
/*
 * owner.h - which module a call site belongs to: the one place that reads
 * it from a site's name.
 *
 * A site is named as sprint_symbol() names it, "func+0x1c/0x50 [mod]" or,
 * tidied (format.c), "func+0x1c [mod]": the module is the bracketed word
 * that ends the name.  Core kernel code has no brackets (or, once tidied, "[kernel]");
 * an address with no symbol is "[unknown]".  The views, the store's fold
 * of unloaded modules' sites, the module filter and the exported API all
 * ask here.  No state; context: any.
 */
#ifndef _KMEMSCOPE_OWNER_H
#define _KMEMSCOPE_OWNER_H

#include <linux/kernel.h>
#include <linux/string.h>
#include <linux/types.h>

/* The owner of core kernel (and built-in) code, and of unknown code. */
#define KS_OWNER_KERNEL		"kernel"
#define KS_OWNER_UNKNOWN	"unknown"

/*
 * The module named in @site: the "[...]" word that ends it.  Returns its
 * start in @site and sets *@len, or returns NULL for core kernel code.
 */
static inline const char *ks_owner_find(const char *site, size_t *len)
{
	const char *b = site ? strrchr(site, '[') : NULL;
	const char *e = b ? strchr(b, ']') : NULL;

	if (!e || e[1])
		return NULL;
	*len = e - b - 1;
	return b + 1;
}

/**
 * ks_owner_of - the module a call site's name says it belongs to
 * @site: "func+0x1c [mod]" (or with no module: the kernel)
 * @mod: output, KS_OWNER_KERNEL for core kernel code; truncated to @size
 * @size: its size (at least 1)
 */
static inline void ks_owner_of(const char *site, char *mod, size_t size)
{
	size_t n;
	const char *m = ks_owner_find(site, &n);

	if (!m)
		strscpy(mod, KS_OWNER_KERNEL, size);
	else
		strscpy(mod, m, min(size, n + 1));
}

/**
 * ks_owner_is - does a site's name say it is @module's code?
 * @site: a site name, or NULL (a site with no name: false)
 * @module: a module name
 */
static inline bool ks_owner_is(const char *site, const char *module)
{
	size_t n;
	const char *m = ks_owner_find(site, &n);

	return m && n == strlen(module) && !strncmp(m, module, n);
}

#endif /* _KMEMSCOPE_OWNER_H */
