/* SPDX-License-Identifier: GPL-2.0 */
/*
 * selftest.h - each hook seen firing at load.  See selftest.c.
 */
#ifndef _KMEMSCOPE_SELFTEST_H
#define _KMEMSCOPE_SELFTEST_H

int ks_selftest(void);

#endif /* _KMEMSCOPE_SELFTEST_H */
