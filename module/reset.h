/* SPDX-License-Identifier: GPL-2.0 */
/*
 * reset.h - start counting afresh.  See reset.c.
 */
#ifndef _KMEMSCOPE_RESET_H
#define _KMEMSCOPE_RESET_H

void ks_reset(void);

#endif /* _KMEMSCOPE_RESET_H */
