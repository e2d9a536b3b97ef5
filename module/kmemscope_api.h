/* SPDX-License-Identifier: GPL-2.0 */
/*
 * kmemscope_api.h - what other modules may call while kmemscope is loaded,
 * typically from their KUnit tests: take a mark, run the code under test,
 * then ask what a module allocated since the mark and still holds.
 *
 *	struct kmemscope_mark mark;
 *	unsigned long bytes, count;
 *
 *	kmemscope_mark(&mark);
 *	run_the_case();
 *	kmemscope_live_since(&mark, "my_driver", &bytes, &count);
 *	KUNIT_EXPECT_EQ(test, bytes, 0UL);
 *
 * A module that calls these depends on kmemscope.ko (modprobe loads it
 * first; insmod needs it loaded).  See kunit-tests/example_mark_kunit.c.
 */
#ifndef _KMEMSCOPE_API_H
#define _KMEMSCOPE_API_H

#include <linux/types.h>

struct kmemscope_mark {
	u64 stamp;	/* opaque: when the mark was taken */
};

/**
 * kmemscope_mark - take a mark: allocations from now on are "since" it
 * @mark: filled in
 *
 * Exact, not to the kernel's tick: an allocation recorded once this has
 * returned is since the mark, one recorded before is not.
 * Marks are private to their caller: taking one does not change the
 * control file's "mark" (since_mark).  Context: any.
 */
void kmemscope_mark(struct kmemscope_mark *mark);

/**
 * kmemscope_live_since - what a module allocated since a mark and holds
 * @mark: from kmemscope_mark()
 * @module: module name, "kernel" for core kernel code, NULL for all
 * @bytes: live bytes (allocated size) of those allocations
 * @count: how many
 *
 * Counts the recorded allocations only: while tracking is disabled, or
 * when the pool was full (see the summary), some may be missing.
 * Context: process; may sleep.  Return: 0, or -ENOMEM.
 */
int kmemscope_live_since(const struct kmemscope_mark *mark,
			 const char *module, unsigned long *bytes,
			 unsigned long *count);

#endif /* _KMEMSCOPE_API_H */
