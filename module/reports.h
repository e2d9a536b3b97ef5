/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reports.h - what an unloaded module still held: one line to the kernel
 * log, the last KS_REPORTS kept.  See reports.c.
 */
#ifndef _KMEMSCOPE_REPORTS_H
#define _KMEMSCOPE_REPORTS_H

#define KS_REPORTS		16
#define KS_REPORT_LEN		320

int ks_reports_init(void);
void ks_reports_module_coming(const char *name);
void ks_reports_module_going(const char *name);
void ks_reports_exit(void);
unsigned int ks_reports_copy(char *out, unsigned int max);

#endif /* _KMEMSCOPE_REPORTS_H */
