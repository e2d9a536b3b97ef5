/* SPDX-License-Identifier: GPL-2.0 */
/*
 * marks.h - marks: "what was allocated since then?".  See marks.c.
 */
#ifndef _KMEMSCOPE_MARKS_H
#define _KMEMSCOPE_MARKS_H

#include <linux/types.h>

#include "store.h"

extern u64 ks_mark_stamp;
extern unsigned long ks_marks;

void ks_mark(void);
void ks_marks_reset(void);
int ks_pick_since(const struct ks_record_snap *r, u64 now, void *arg);

#endif /* _KMEMSCOPE_MARKS_H */
