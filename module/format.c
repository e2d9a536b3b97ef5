// SPDX-License-Identifier: GPL-2.0
/*
 * format.c - text the views print: call-site labels ("symbol+0xoff
 * [module]", the module and its state), gfp flags decoded, a field of
 * /proc/meminfo, and the one-line report of what an unloaded module still
 * holds.  No locks, no globals; only ks_format_site() and
 * ks_format_frame() (and so ks_label()) ask kallsyms.  The KUnit suite
 * drives them directly.
 *
 * An address with no symbol is printed with %pK, so it follows
 * kptr_restrict in the reader's context as the allocations' addresses do
 * (zeros, a hash or the address); the unload report and ks_label_log()
 * (the OOM report), whose text goes to the kernel log, name no such
 * address at all.
 */
#include <linux/gfp.h>
#include <linux/kallsyms.h>
#include <linux/kernel.h>
#include <linux/string.h>

#include "attrib.h"
#include "format.h"
#include "owner.h"

/**
 * ks_site_tidy - make a symbol printed by sprint_symbol() a site name
 * @sym: "func+0x1c/0x50 [mod]", changed in place to "func+0x1c [mod]"
 * @size: its buffer's size
 *
 * Drops the function size; names the module of core kernel code
 * ("[kernel]") and of an address with no symbol, printed as bare hex
 * ("[unknown]").  Context: any.
 */
void ks_site_tidy(char *sym, size_t size)
{
	char *slash, *end;

	slash = strchr(sym, '/');
	if (slash) {
		end = strchr(slash, ' ');
		if (end)
			memmove(slash, end, strlen(end) + 1);
		else
			*slash = '\0';
	}
	/* An unresolved address prints as bare hex, with no '+'. */
	if (!strchr(sym, '['))
		strlcat(sym, strchr(sym, '+') ? " [kernel]" : " [unknown]", size);
}

/* sprint_symbol() prints an address it has no symbol for as bare hex. */
static bool ks_sym_resolved(const char *sym)
{
	return strchr(sym, '+');
}

/*
 * A site name given to an address with no symbol: "<address> [unknown]"
 * (or, before, "0x... [unknown]"); not the "(...) [unknown]" placeholders.
 */
static bool ks_site_unresolved(const char *name)
{
	size_t n = strlen(name), u = strlen(" [unknown]");

	return name[0] != '(' && n > u && !strcmp(name + n - u, " [unknown]");
}

/* The unresolved site name of text that goes to the kernel log. */
#define KS_NO_SYMBOL	"(no-symbol) [unknown]"

/* ks_format_site(); @log: an address with no symbol is KS_NO_SYMBOL. */
static int ks_format_site_as(char *buf, size_t len, unsigned long key,
			     bool log)
{
	char sym[KSYM_SYMBOL_LEN];

	if (key == KS_UNKNOWN_CALLER)
		return strscpy(buf, "(caller not found) [unknown]", len);
	sprint_symbol(sym, key);
	if (ks_sym_resolved(sym))
		ks_site_tidy(sym, sizeof(sym));
	else if (log)
		strscpy(sym, KS_NO_SYMBOL, sizeof(sym));
	else
		snprintf(sym, sizeof(sym), "%pK [unknown]", (void *)key);
	return strscpy(buf, sym, len);
}

/**
 * ks_format_site - name a call site as "symbol+0xoff [module]"
 * @buf: output
 * @len: its size (KSYM_SYMBOL_LEN is best)
 * @key: the call site address
 *
 * An address with no symbol is "<%pK of it> [unknown]".
 * Context: process, in the reader's (%pK).  Return: the length written.
 */
int ks_format_site(char *buf, size_t len, unsigned long key)
{
	return ks_format_site_as(buf, len, key, false);
}

/**
 * ks_format_frame - a backtrace entry, as %pS prints it
 * @buf: output, KSYM_SYMBOL_LEN bytes
 * @addr: the return address
 *
 * "func+0x1c/0x50 [mod]"; an address with no symbol prints with %pK.
 * Context: process, in the reader's (%pK).
 */
void ks_format_frame(char *buf, unsigned long addr)
{
	sprint_symbol(buf, addr);
	if (!ks_sym_resolved(buf))
		snprintf(buf, KSYM_SYMBOL_LEN, "%pK", (void *)addr);
}

/* The state column: "unloaded", "builtin", "unknown" or "loaded". */
const char *ks_site_state(const char *module, u8 retired)
{
	if (retired == KS_RETIRED_UNLOAD)
		return "unloaded";
	if (!strcmp(module, KS_OWNER_KERNEL))
		return "builtin";
	if (!strcmp(module, KS_OWNER_UNKNOWN))
		return "unknown";
	return "loaded";
}

static void ks_label_as(struct ks_site_label *l, unsigned long key,
			const char *retired_name, u8 retired, bool log)
{
	/*
	 * A retired site keeps the name it had, but one with no symbol is
	 * printed again for this reader: it was formatted in the unloading
	 * task's context.
	 */
	if (retired && retired_name && ks_site_unresolved(retired_name) && log)
		strscpy(l->name, KS_NO_SYMBOL, sizeof(l->name));
	else if (retired && retired_name && ks_site_unresolved(retired_name))
		snprintf(l->name, sizeof(l->name), "%pK [unknown]", (void *)key);
	else if (retired)
		strscpy(l->name, retired_name ? retired_name : "(unloaded code) [unknown]",
			sizeof(l->name));
	else
		ks_format_site_as(l->name, sizeof(l->name), key, log);
	ks_owner_of(l->name, l->module, sizeof(l->module));
	l->state = ks_site_state(l->module, retired);
}

void ks_label(struct ks_site_label *l, unsigned long key,
	      const char *retired_name, u8 retired)
{
	ks_label_as(l, key, retired_name, retired, false);
}

/**
 * ks_label_log - ks_label() for text that outlives its reader
 * @l: output
 * @key: the call site
 * @retired_name: the name a retired site kept, or NULL
 * @retired: enum ks_retire
 *
 * The same label, except that an address with no symbol is
 * "(no-symbol) [unknown]": the text goes to the kernel log and is kept
 * for later readers (the OOM report), where %pK cannot follow the reader.
 * Context: any; never formats a pointer.
 */
void ks_label_log(struct ks_site_label *l, unsigned long key,
		  const char *retired_name, u8 retired)
{
	ks_label_as(l, key, retired_name, retired, true);
}

/*
 * Names of the common gfp sets, in the order the kernel prints them
 * (trace/events/mmflags.h): the first set wholly present is named, so a
 * set comes before the smaller sets inside it (GFP_NOFS before GFP_NOIO).
 */
static const struct {
	u32 mask;
	const char *name;
} ks_gfp_names[] = {
	{ (__force u32)GFP_KERNEL, "GFP_KERNEL" },
	{ (__force u32)GFP_NOFS, "GFP_NOFS" },
	{ (__force u32)GFP_ATOMIC, "GFP_ATOMIC" },
	{ (__force u32)GFP_NOIO, "GFP_NOIO" },
	{ (__force u32)GFP_NOWAIT, "GFP_NOWAIT" },
};

static const struct {
	u32 bit;
	const char *name;
} ks_gfp_bits[] = {
	{ (__force u32)__GFP_ZERO, "__GFP_ZERO" },
	{ (__force u32)__GFP_COMP, "__GFP_COMP" },
	{ (__force u32)__GFP_NOWARN, "__GFP_NOWARN" },
	{ (__force u32)__GFP_RETRY_MAYFAIL, "__GFP_RETRY_MAYFAIL" },
	{ (__force u32)__GFP_NOFAIL, "__GFP_NOFAIL" },
	{ (__force u32)__GFP_NORETRY, "__GFP_NORETRY" },
	{ (__force u32)__GFP_ACCOUNT, "__GFP_ACCOUNT" },
	{ (__force u32)__GFP_DMA, "__GFP_DMA" },
	{ (__force u32)__GFP_DMA32, "__GFP_DMA32" },
	{ (__force u32)__GFP_HIGHMEM, "__GFP_HIGHMEM" },
	{ (__force u32)__GFP_MOVABLE, "__GFP_MOVABLE" },
	{ (__force u32)__GFP_RECLAIMABLE, "__GFP_RECLAIMABLE" },
	{ (__force u32)__GFP_HARDWALL, "__GFP_HARDWALL" },
	{ (__force u32)__GFP_THISNODE, "__GFP_THISNODE" },
	{ (__force u32)__GFP_MEMALLOC, "__GFP_MEMALLOC" },
	{ (__force u32)__GFP_NOMEMALLOC, "__GFP_NOMEMALLOC" },
	{ (__force u32)__GFP_HIGH, "__GFP_HIGH" },
	{ (__force u32)__GFP_IO, "__GFP_IO" },
	{ (__force u32)__GFP_FS, "__GFP_FS" },
	{ (__force u32)__GFP_DIRECT_RECLAIM, "__GFP_DIRECT_RECLAIM" },
	{ (__force u32)__GFP_KSWAPD_RECLAIM, "__GFP_KSWAPD_RECLAIM" },
};

/**
 * ks_format_gfp - decode gfp flags as "GFP_KERNEL|__GFP_ZERO"
 * @buf: output, KS_GFP_STR_LEN bytes hold any value
 * @len: its size (at least 1)
 * @gfp: the flags
 *
 * A named set first, then the remaining bits by name, then what is left
 * in hex; "0" for none; "n/a" for KS_GFP_UNKNOWN (not reported by the
 * kernel).  Context: any.  Return: the length written.
 */
size_t ks_format_gfp(char *buf, size_t len, u32 gfp)
{
	const char *sep = "";
	unsigned int i;
	size_t n = 0;

	buf[0] = '\0';
	if (gfp == KS_GFP_UNKNOWN)
		return scnprintf(buf, len, "n/a");
	for (i = 0; i < ARRAY_SIZE(ks_gfp_names); i++)
		if ((gfp & ks_gfp_names[i].mask) == ks_gfp_names[i].mask) {
			n += scnprintf(buf + n, len - n, "%s",
				       ks_gfp_names[i].name);
			gfp &= ~ks_gfp_names[i].mask;
			sep = "|";
			break;
		}
	for (i = 0; i < ARRAY_SIZE(ks_gfp_bits); i++)
		if (gfp & ks_gfp_bits[i].bit) {
			n += scnprintf(buf + n, len - n, "%s%s", sep,
				       ks_gfp_bits[i].name);
			gfp &= ~ks_gfp_bits[i].bit;
			sep = "|";
		}
	if (gfp)
		n += scnprintf(buf + n, len - n, "%s%#x", sep, gfp);
	else if (!*sep)
		n += scnprintf(buf + n, len - n, "0");
	return n;
}

/**
 * ks_meminfo_field - a value of /proc/meminfo's text
 * @buf: the text, NUL-terminated
 * @key: "\nName:" (the newline keeps "Slab:" from matching "XSlab:")
 *
 * Context: any.  Return: the number after the key (kB), or -1.
 */
long ks_meminfo_field(const char *buf, const char *key)
{
	const char *p = strstr(buf, key);
	long v;

	if (!p || sscanf(p + strlen(key), " %ld", &v) != 1)
		return -1;
	return v;
}

/* A site of unloaded @module's that still holds memory: a report counts it. */
bool ks_report_holds(const struct ks_site_snap *s, const char *module)
{
	return s->retired == KS_RETIRED_UNLOAD && s->live_count > 0 &&
	       ks_owner_is(s->name, module);
}

/**
 * ks_format_report - what an unloaded module still holds, as one line
 * @s: the store's sites, copied out, or what one load of the module holds
 *     per site (live_bytes and live_count of its records only)
 * @n: how many
 * @module: the module's name
 * @all_bytes: what all its loads hold, when @s is one load's; else 0
 * @all_count: the same, in allocations
 * @buf: output
 * @len: its size
 *
 * Sums the module's retired-at-unload sites that hold memory, and names
 * the KS_REPORT_TOP largest: "M unloaded holding B bytes in N
 * allocations; top: func+0x1c B/N, ...".  When earlier loads of the
 * module hold memory too (@all_count above N), "(all its loads: B2 bytes
 * in N2)" follows N.  A site with no symbol is
 * "(no-symbol)": the line goes to the kernel log, where %pK cannot follow
 * the reader.
 * Context: any.  Return: false (and @buf untouched) when it holds nothing.
 */
bool ks_format_report(const struct ks_site_snap *s, unsigned int n,
		      const char *module, long all_bytes, long all_count,
		      char *buf, size_t len)
{
	struct { long bytes; long count; u32 idx; } top[KS_REPORT_TOP] = {};
	long bytes = 0, count = 0;
	unsigned int i, j;
	size_t used;

	for (i = 0; i < n; i++) {
		if (!ks_report_holds(&s[i], module))
			continue;
		bytes += s[i].live_bytes;
		count += s[i].live_count;
		for (j = 0; j < KS_REPORT_TOP; j++)
			if (s[i].live_bytes > top[j].bytes) {
				memmove(&top[j + 1], &top[j],
					(KS_REPORT_TOP - j - 1) * sizeof(top[0]));
				top[j].bytes = s[i].live_bytes;
				top[j].count = s[i].live_count;
				top[j].idx = i;
				break;
			}
	}
	if (!count)
		return false;
	used = scnprintf(buf, len, "%s unloaded holding %ld bytes in %ld allocations",
			 module, bytes, count);
	if (all_count > count)
		used += scnprintf(buf + used, len - used,
				  " (all its loads: %ld bytes in %ld)",
				  all_bytes, all_count);
	used += scnprintf(buf + used, len - used, "; top:");
	for (j = 0; j < KS_REPORT_TOP && top[j].bytes; j++) {
		char site[KSYM_SYMBOL_LEN];
		char *sp;

		strscpy(site, s[top[j].idx].name, sizeof(site));
		sp = strchr(site, ' ');
		if (sp)
			*sp = '\0';	/* the module is named already */
		if (ks_site_unresolved(s[top[j].idx].name))
			strscpy(site, "(no-symbol)", sizeof(site));
		used += scnprintf(buf + used, len - used, "%s %s %ld/%ld",
				  j ? "," : "", site, top[j].bytes,
				  top[j].count);
	}
	return true;
}
