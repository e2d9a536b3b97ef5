/* SPDX-License-Identifier: GPL-2.0 */
/*
 * format.h - text the views print: call-site labels, gfp flags, fields of
 * /proc/meminfo and unload reports.  See format.c.
 */
#ifndef _KMEMSCOPE_FORMAT_H
#define _KMEMSCOPE_FORMAT_H

#include <linux/kallsyms.h>
#include <linux/module.h>
#include <linux/types.h>

#include "store.h"

/* Name, module and state of a site, for printing. */
struct ks_site_label {
	char name[KSYM_SYMBOL_LEN];
	char module[MODULE_NAME_LEN];
	const char *state;
};

/* Room for any decoded gfp value: one set, every bit, a hex rest. */
#define KS_GFP_STR_LEN		384
/* Call sites named in an unload report. */
#define KS_REPORT_TOP		3

void ks_site_tidy(char *sym, size_t size);
int ks_format_site(char *buf, size_t len, unsigned long key);
void ks_format_frame(char *buf, unsigned long addr);
const char *ks_site_state(const char *module, u8 retired);
void ks_label(struct ks_site_label *l, unsigned long key,
	      const char *retired_name, u8 retired);
void ks_label_log(struct ks_site_label *l, unsigned long key,
		  const char *retired_name, u8 retired);
size_t ks_format_gfp(char *buf, size_t len, u32 gfp);
long ks_meminfo_field(const char *buf, const char *key);
bool ks_report_holds(const struct ks_site_snap *s, const char *module);
bool ks_format_report(const struct ks_site_snap *s, unsigned int n,
		      const char *module, long all_bytes, long all_count,
		      char *buf, size_t len);

#endif /* _KMEMSCOPE_FORMAT_H */
