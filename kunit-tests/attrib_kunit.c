// SPDX-License-Identifier: GPL-2.0
/*
 * attrib_kunit.c - KUnit suite for the pure parts of attribution
 * (module/attrib.c).
 */
#include "../module/attrib.c"

#include <kunit/test.h>
#include <linux/hardirq.h>
#include <linux/kprobes.h>

static const struct ks_text_range test_ranges[] = {
	{ 0x1000, 0x1100, KS_RANGE_PAGE_CORE },
	{ 0x1100, 0x1180, KS_RANGE_PAGE_CORE },	/* adjacent */
	{ 0x2000, 0x2040, KS_RANGE_WRAPPER },
	{ 0x9000, 0x9001, KS_RANGE_WRAPPER },
};

static void attrib_range_find(struct kunit *test)
{
	const struct ks_text_range *r = test_ranges;
	unsigned int n = ARRAY_SIZE(test_ranges);

	KUNIT_EXPECT_PTR_EQ(test, ks_text_range_find(r, n, 0x1000), &r[0]);
	KUNIT_EXPECT_PTR_EQ(test, ks_text_range_find(r, n, 0x10ff), &r[0]);
	KUNIT_EXPECT_PTR_EQ(test, ks_text_range_find(r, n, 0x1100), &r[1]);
	KUNIT_EXPECT_NULL(test, ks_text_range_find(r, n, 0x1180));
	KUNIT_EXPECT_NULL(test, ks_text_range_find(r, n, 0xfff));
	KUNIT_EXPECT_NULL(test, ks_text_range_find(r, n, 0x3000));
	KUNIT_EXPECT_PTR_EQ(test, ks_text_range_find(r, n, 0x9000), &r[3]);
	KUNIT_EXPECT_NULL(test, ks_text_range_find(r, n, 0x9001));
	KUNIT_EXPECT_NULL(test, ks_text_range_find(r, 0, 0x1000));
}

struct class_case {
	const char *func;
	u8 class;
};

static const struct class_case class_cases[] = {
	{ "allocate_slab", KS_CLASS_SLAB },
	{ "kmalloc_large", KS_CLASS_SLAB },
	{ "__kmalloc_large_node_noprof", KS_CLASS_SLAB },
	{ "__vmalloc_area_node", KS_CLASS_VMALLOC },
	{ "pcpu_populate_chunk", KS_CLASS_PERCPU },
	{ "__pte_alloc", KS_CLASS_PAGETABLE },
	{ "vma_alloc_folio", KS_CLASS_USER },
	{ "filemap_alloc_folio", KS_CLASS_USER },
	{ "my_driver_probe", KS_CLASS_OBJECT },
	{ "allocate_slab_extra", KS_CLASS_OBJECT },
	{ "", KS_CLASS_OBJECT },
	{ "new_slab", KS_CLASS_SLAB },
	{ "vm_area_alloc_pages", KS_CLASS_VMALLOC },
	{ "pcpu_alloc_pages", KS_CLASS_PERCPU },
	{ "pagetable_alloc_noprof", KS_CLASS_PAGETABLE },
	{ "shmem_alloc_folio", KS_CLASS_USER },
	{ "do_cow_fault", KS_CLASS_USER },
	{ "__dma_direct_alloc_pages", KS_CLASS_DMA },
	{ "dma_direct_alloc", KS_CLASS_DMA },
	{ "__iommu_dma_alloc_pages", KS_CLASS_DMA },
	{ "dma_common_alloc_pages", KS_CLASS_DMA },
	{ "__do_fault", KS_CLASS_PAGETABLE },
	{ "copy_process", KS_CLASS_STACK },
	{ "dma_alloc_coherent", KS_CLASS_OBJECT },	/* a driver's call */
	/* near misses: names are whole and case matters */
	{ "allocate_sla", KS_CLASS_OBJECT },
	{ "Allocate_slab", KS_CLASS_OBJECT },
	{ "allocate_slab ", KS_CLASS_OBJECT },
	{ "_allocate_slab", KS_CLASS_OBJECT },
	{ "allocate_slab.isra.0", KS_CLASS_OBJECT },
};

static void class_case_desc(const struct class_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->func);
}

KUNIT_ARRAY_PARAM(class, class_cases, class_case_desc);

static void attrib_class_of_name(struct kunit *test)
{
	const struct class_case *c = test->param_value;

	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name(c->func), c->class);
}

struct func_name_case {
	const char *sym;
	const char *func;
};

static const struct func_name_case func_name_cases[] = {
	{ "func.isra.0+0x1c/0x50 [mod]", "func" },
	{ "func+0x1c/0x50 [mod]", "func" },
	{ "func+0x1c/0x50", "func" },
	{ "func [mod]", "func" },
	{ "func", "func" },
	{ "func.cold+0x5/0x9", "func" },
	{ ".cold+0x0", "" },
	{ "0xffffffffc0001234", "0xffffffffc0001234" },
	{ "", "" },
};

static void func_name_case_desc(const struct func_name_case *c, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "'%s'", c->sym);
}

KUNIT_ARRAY_PARAM(func_name, func_name_cases, func_name_case_desc);

/* "func.isra.0+0x1c/0x50 [mod]" to "func", as page classes are looked up. */
static void attrib_func_name(struct kunit *test)
{
	const struct func_name_case *c = test->param_value;
	char sym[KSYM_SYMBOL_LEN];

	strscpy(sym, c->sym, sizeof(sym));
	ks_func_name(sym);
	KUNIT_EXPECT_STREQ(test, sym, c->func);
}

/* Function sizes, from the running kernel's symbols. */
static void attrib_func_size(struct kunit *test)
{
	unsigned long a = (unsigned long)&kstrtouint;

	KUNIT_EXPECT_GT(test, ks_attrib_func_size(a), 0UL);
	/* Any address inside gives the whole function's size. */
	KUNIT_EXPECT_EQ(test, ks_attrib_func_size(a + 1), ks_attrib_func_size(a));
	/* No symbol: no size. */
	KUNIT_EXPECT_EQ(test, ks_attrib_func_size(0), 0UL);
}

/* The wrapper skipping, against the ranges of the running kernel. */
static void attrib_skip(struct kunit *test)
{
	unsigned long wrapper, core, e[6];
	const unsigned long *entry;
	unsigned int nentry;
	bool bulk;

	ks_attrib_init();
	/*
	 * A page allocator entry point of the kernel's own (alloc_pages() is
	 * inline without NUMA: its address here would be this module's copy).
	 */
	entry = ks_compat_page_core(&nentry);
	KUNIT_ASSERT_GT(test, nentry, 0U);
	wrapper = (unsigned long)&kstrdup + 4;
	core = (unsigned long)&__get_free_pages + 4;
	/* kmalloc-type: start at the call site, skip wrappers. */
	e[0] = 0x10; e[1] = 0x20; e[2] = wrapper; e[3] = 0x1234; e[4] = 0x40;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, wrapper, false), 3U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, 0x20, false), 1U);
	/* Call site not in the stack: from the first wrapper on. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 5, 0x77, false), 3U);
	/* Nothing past the wrappers: n. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, wrapper, false), 3U);
	/* Pages: start at the page allocator, then skip the wrappers. */
	e[0] = 0x10; e[1] = 0x20; e[2] = entry[0] + 8;
	e[3] = core; e[4] = 0x5555; e[5] = 0x6666;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 6, 0, true), 4U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 2, 0, true), 2U);
	/* No bulk allocator frame passed: not a bulk fallback's page. */
	bulk = false;
	KUNIT_EXPECT_EQ(test, __ks_attrib_skip(e, 6, 0, true, &bulk), 4U);
	KUNIT_EXPECT_FALSE(test, bulk);
	/* The bulk allocator between the page allocator and the caller. */
	if (KS_COMPAT_PAGES_BULK_FN) {
		e[3] = KS_COMPAT_PAGES_BULK_FN + 4;
		KUNIT_EXPECT_EQ(test, __ks_attrib_skip(e, 6, 0, true, &bulk), 4U);
		KUNIT_EXPECT_TRUE(test, bulk);
		/* Past the caller it does not count. */
		bulk = false;
		e[3] = core; e[5] = KS_COMPAT_PAGES_BULK_FN + 4;
		KUNIT_EXPECT_EQ(test, __ks_attrib_skip(e, 6, 0, true, &bulk), 4U);
		KUNIT_EXPECT_FALSE(test, bulk);
		e[5] = 0x6666;
	}
	/* An empty backtrace. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 0, 0x10, false), 0U);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 0, 0, true), 0U);
	/* Wrappers only: nothing past them. */
	e[0] = wrapper; e[1] = core; e[2] = wrapper + 1;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, wrapper, false), 3U);
	/* The call site itself, not a wrapper, is the caller. */
	e[0] = 0x10; e[1] = 0x4444; e[2] = 0x5555;
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, 0x4444, false), 1U);
	/* Pages with no page allocator frame: no caller. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 3, 0, true), 3U);
	KUNIT_EXPECT_TRUE(test, ks_attrib_in(wrapper, KS_RANGE_WRAPPER));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(wrapper, KS_RANGE_PAGE_CORE));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(0x10, KS_RANGE_WRAPPER));
}

/*
 * No range lies in kmemscope's own text, not even an entry point the
 * kernel has inline (its copy here): module code stays outside the
 * ranges' span, and a probe tells so without a search.
 */
static void attrib_own_text(struct kunit *test)
{
	struct ks_text_range_set *set = kunit_kzalloc(test, sizeof(*set),
						      GFP_KERNEL);
	unsigned long own = (unsigned long)&attrib_own_text + 4;

	KUNIT_ASSERT_NOT_NULL(test, set);
	ks_add_range(set, own, KS_RANGE_WRAPPER);
	KUNIT_EXPECT_EQ(test, set->n, 0U);
	ks_add_range(set, (unsigned long)&kstrdup + 4, KS_RANGE_WRAPPER);
	KUNIT_EXPECT_EQ(test, set->n, 1U);

	ks_attrib_init();
	KUNIT_EXPECT_TRUE(test, ks_attrib_outside(own));
	KUNIT_EXPECT_FALSE(test, ks_attrib_outside((unsigned long)&kstrdup + 4));
	KUNIT_EXPECT_TRUE(test, ks_attrib_in_fast((unsigned long)&kstrdup + 4,
						  KS_RANGE_WRAPPER));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in_fast(own, KS_RANGE_WRAPPER));
}

/* Learning the page allocator's inner functions from one backtrace. */
static void attrib_learn_page_path(struct kunit *test)
{
	unsigned long inner = (unsigned long)&kstrtouint + 4, e[4];
	unsigned long self = (unsigned long)&attrib_learn_page_path + 4;
	unsigned long fired = (unsigned long)&kstrtoint + 4;
	const unsigned long *core;
	unsigned int n;

	ks_attrib_init();
	core = ks_compat_page_core(&n);
	KUNIT_ASSERT_GT(test, n, 0U);
	KUNIT_ASSERT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
	/* No known entry point in the backtrace: nothing learnt. */
	e[0] = 0x10; e[1] = inner; e[2] = self;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 3, THIS_MODULE), 0);
	/* The caller is not in it: nothing learnt, nothing published. */
	e[0] = 0x10; e[1] = core[0] + 4; e[2] = inner;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 3, THIS_MODULE), 0);
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
	/* Entry point, an inner function, the caller: one function learnt. */
	e[3] = self;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 4, THIS_MODULE), 1);
	KUNIT_EXPECT_TRUE(test, ks_attrib_in(inner + 1, KS_RANGE_PAGE_CORE));
	/* Learnt once: a second calibration changes nothing. */
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 4, THIS_MODULE), 0);
	/* Pages: the learnt function is skipped like the entry points. */
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 4, 0, true), 3U);
	/* A frame with no symbol first: the entry point is the core. */
	KUNIT_EXPECT_EQ(test, ks_page_core_fn, core[0]);
	ks_attrib_init();
	KUNIT_EXPECT_FALSE(test, ks_attrib_in(inner, KS_RANGE_PAGE_CORE));
	/*
	 * The function that fired the event before the first known entry
	 * point (6.15's __alloc_frozen_pages_noprof()): learnt too, and kept
	 * as the core the entry callbacks hook (pagecaller.c).
	 */
	e[0] = fired; e[1] = core[0] + 4; e[2] = inner; e[3] = self;
	KUNIT_EXPECT_EQ(test, ks_attrib_learn_page_path(e, 4, THIS_MODULE), 2);
	KUNIT_EXPECT_TRUE(test, ks_attrib_in(fired, KS_RANGE_PAGE_CORE));
	KUNIT_EXPECT_EQ(test, ks_page_core_fn, fired - 4);
	KUNIT_EXPECT_EQ(test, ks_attrib_skip(e, 4, 0, true), 3U);
	ks_attrib_init();
	KUNIT_EXPECT_EQ(test, ks_page_core_fn, 0UL);
}

/* Calibration takes the task's own page allocation, not an interrupt's. */
static void attrib_calib_context(struct kunit *test)
{
	unsigned long flags;
	bool in_irq;

	KUNIT_EXPECT_TRUE(test, ks_attrib_calib_wants(current));
	KUNIT_EXPECT_FALSE(test, ks_attrib_calib_wants(NULL));
	local_irq_save(flags);
	__irq_enter_raw();
	in_irq = ks_attrib_calib_wants(current);
	__irq_exit_raw();
	local_irq_restore(flags);
	KUNIT_EXPECT_FALSE(test, in_irq);
}

/* Movable pages: a driver's are recorded, unlisted core ones are user. */
static void attrib_classify_movable(struct kunit *test)
{
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	unsigned long flags;
	u8 c[2];

	ks_attrib_init();
	ks_attrib_set_module_filter("");
	local_irq_save(flags);
	c[0] = ks_attrib_classify(core_site, KS_PAGE, KS_HINT_MOVABLE, NULL);
	c[1] = ks_attrib_classify(core_site, KS_PAGE, 0, NULL);
	local_irq_restore(flags);
	KUNIT_EXPECT_EQ(test, c[0], (u8)KS_CLASS_USER);
	KUNIT_EXPECT_EQ(test, c[1], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name("alloc_zspage"),
			(u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, ks_attrib_class_of_name("alloc_migration_target"),
			(u8)KS_CLASS_USER);
	/*
	 * A function listed for page tables that takes a movable page too
	 * (without NUMA, do_huge_pmd_anonymous_page() takes the huge page
	 * itself): that page is a user page, not a page table.
	 */
	KUNIT_EXPECT_EQ(test, ks_attrib_page_class("do_huge_pmd_anonymous_page",
						   true, 0),
			(u8)KS_CLASS_PAGETABLE);
	KUNIT_EXPECT_EQ(test, ks_attrib_page_class("do_huge_pmd_anonymous_page",
						   true, KS_HINT_MOVABLE),
			(u8)KS_CLASS_USER);
	KUNIT_EXPECT_EQ(test, ks_attrib_page_class("copy_process", true,
						   KS_HINT_MOVABLE),
			(u8)KS_CLASS_USER);
	KUNIT_EXPECT_EQ(test, ks_attrib_page_class("copy_process", true, 0),
			(u8)KS_CLASS_STACK);
	/* A module's movable page stays its own. */
	KUNIT_EXPECT_EQ(test, ks_attrib_page_class("my_driver_probe", false,
						   KS_HINT_MOVABLE),
			(u8)KS_CLASS_OBJECT);
}

/* The module filter, as the classifier applies it. */
static void attrib_classify_filter(struct kunit *test)
{
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	char longname[MODULE_NAME_LEN + 8];
	unsigned long flags;
	u8 c[6];

	ks_attrib_init();
	local_irq_save(flags);
	c[0] = ks_attrib_classify(core_site, KS_KMALLOC, 0, NULL);
	c[1] = ks_attrib_classify(KS_UNKNOWN_CALLER, KS_PAGE, 0, NULL);
	c[2] = ks_attrib_classify(core_site, KS_PAGE, 0, NULL);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("null_blk");
	local_irq_save(flags);
	c[3] = ks_attrib_classify(core_site, KS_KMALLOC, 0, NULL);
	c[4] = ks_attrib_classify(KS_UNKNOWN_CALLER, KS_PAGE, 0, NULL);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("kernel");
	local_irq_save(flags);
	c[5] = ks_attrib_classify(core_site, KS_KMALLOC, 0, NULL);
	local_irq_restore(flags);
	KUNIT_EXPECT_STREQ(test, ks_attrib_module_filter(), "kernel");

	KUNIT_EXPECT_EQ(test, c[0], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[1], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[2], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_EQ(test, c[3], (u8)KS_CLASS_EXCLUDED);
	KUNIT_EXPECT_EQ(test, c[4], (u8)KS_CLASS_EXCLUDED);
	KUNIT_EXPECT_EQ(test, c[5], (u8)KS_CLASS_OBJECT);

	/* A name too long for a module is cut, not overrun. */
	memset(longname, 'm', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	ks_attrib_set_module_filter(longname);
	KUNIT_EXPECT_EQ(test, strlen(ks_attrib_module_filter()),
			(size_t)MODULE_NAME_LEN - 1);
	ks_attrib_set_module_filter("");
	KUNIT_EXPECT_STREQ(test, ks_attrib_module_filter(), "");
}

/*
 * vmalloc's page sites keep their class under a module filter that leaves
 * the core kernel out (the vmalloc hook counts their pages per area, as
 * filtered: ks_attrib_core_filtered()), where other core page sites are
 * filtered out.
 */
static void attrib_classify_filter_vmalloc(struct kunit *test)
{
	static const char *const names[] = {
		"__vmalloc_node_range_noprof", "__vmalloc_node_range",
	};
	/* filter, whether it leaves the core out, vmalloc's class, core's */
	static const struct {
		const char *filter;
		bool core_out;
		u8 vmalloc, core;
	} cases[] = {
		{ "", false, KS_CLASS_VMALLOC, KS_CLASS_OBJECT },
		{ "null_blk", true, KS_CLASS_VMALLOC, KS_CLASS_EXCLUDED },
		{ "kernel", false, KS_CLASS_VMALLOC, KS_CLASS_OBJECT },
	};
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	unsigned long vsite = 0, flags;
	struct kprobe kp = {};
	unsigned int i;
	u8 c[2];

	/* The range function is not exported: its address from kprobes. */
	for (i = 0; i < ARRAY_SIZE(names) && !vsite; i++) {
		memset(&kp, 0, sizeof(kp));
		kp.symbol_name = names[i];
		if (!register_kprobe(&kp)) {
			vsite = (unsigned long)kp.addr + 16;
			unregister_kprobe(&kp);
		}
	}
	KUNIT_ASSERT_NE(test, vsite, 0UL);

	ks_attrib_init();
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ks_attrib_set_module_filter(cases[i].filter);
		KUNIT_EXPECT_EQ(test, ks_attrib_core_filtered(),
				cases[i].core_out);
		local_irq_save(flags);
		c[0] = ks_attrib_classify(vsite, KS_PAGE, 0, NULL);
		c[1] = ks_attrib_classify(core_site, KS_PAGE, 0, NULL);
		local_irq_restore(flags);
		KUNIT_EXPECT_EQ_MSG(test, c[0], cases[i].vmalloc, "filter '%s'",
				    cases[i].filter);
		KUNIT_EXPECT_EQ_MSG(test, c[1], cases[i].core, "filter '%s'",
				    cases[i].filter);
	}
	ks_attrib_set_module_filter("");
	KUNIT_EXPECT_FALSE(test, ks_attrib_core_filtered());
}

/*
 * "stacks on module=NAME": a site gets backtraces when NAME owns it; the
 * module filter still decides first, and a caller that asks nothing
 * (NULL) is not told.
 */
static void attrib_classify_stacks(struct kunit *test)
{
	unsigned long core_site = (unsigned long)&kstrtouint + 4;
	unsigned long own_site = (unsigned long)&attrib_classify_filter + 4;
	unsigned long flags;
	bool st[6] = { true, true, true, true, false, true };
	char name[MODULE_NAME_LEN];
	u8 c[6];

	ks_attrib_init();
	ks_attrib_set_module_filter("");
	ks_attrib_set_stacks_module("kernel");
	ks_attrib_stacks_module(name);
	KUNIT_EXPECT_STREQ(test, name, "kernel");
	local_irq_save(flags);
	c[0] = ks_attrib_classify(core_site, KS_KMALLOC, 0, &st[0]);
	c[1] = ks_attrib_classify(KS_UNKNOWN_CALLER, KS_PAGE, 0, &st[1]);
	local_irq_restore(flags);
	ks_attrib_set_stacks_module(module_name(THIS_MODULE));
	local_irq_save(flags);
	c[2] = ks_attrib_classify(core_site, KS_KMALLOC, 0, &st[2]);
	c[3] = ks_attrib_classify(own_site, KS_KMEM_CACHE, 0, &st[3]);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("null_blk");
	local_irq_save(flags);
	c[4] = ks_attrib_classify(own_site, KS_KMALLOC, 0, &st[4]);
	local_irq_restore(flags);
	ks_attrib_set_module_filter("");
	ks_attrib_set_stacks_module("");
	local_irq_save(flags);
	c[5] = ks_attrib_classify(own_site, KS_KMALLOC, 0, &st[5]);
	local_irq_restore(flags);
	ks_attrib_stacks_module(name);
	KUNIT_EXPECT_STREQ(test, name, "");

	KUNIT_EXPECT_EQ(test, c[0], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_TRUE(test, st[0]);
	KUNIT_EXPECT_EQ(test, c[1], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_FALSE(test, st[1]);
	KUNIT_EXPECT_FALSE(test, st[2]);
	KUNIT_EXPECT_EQ(test, c[3], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_TRUE(test, st[3]);
	KUNIT_EXPECT_EQ(test, c[4], (u8)KS_CLASS_EXCLUDED);
	KUNIT_EXPECT_FALSE(test, st[4]);
	KUNIT_EXPECT_EQ(test, c[5], (u8)KS_CLASS_OBJECT);
	KUNIT_EXPECT_FALSE(test, st[5]);
}

/*
 * The granule map (ks_attrib_map): every range's first and last byte is
 * found, by the map or by the search: inside the map's window, in its
 * last granule, straddling its end, past it and below its base.
 */
static void attrib_map(struct kunit *test)
{
	const unsigned long win = (unsigned long)KS_ATTRIB_MAP_BITS <<
				  KS_ATTRIB_GRANULE_SHIFT;
	struct ks_text_range_set *cur, *set;
	unsigned long base;
	unsigned int i;

	ks_attrib_init();
	cur = rcu_dereference_protected(ks_ranges, true);
	base = ks_attrib_map_base;
	KUNIT_ASSERT_NOT_NULL(test, cur);
	KUNIT_ASSERT_GT(test, cur->n, 0U);
	KUNIT_EXPECT_NE(test, base, 0UL);
	for (i = 0; i < cur->n; i++) {
		KUNIT_EXPECT_EQ(test, ks_attrib_type_of(cur->r[i].start),
				(int)cur->r[i].type);
		KUNIT_EXPECT_EQ(test, ks_attrib_type_of(cur->r[i].end - 1),
				(int)cur->r[i].type);
		KUNIT_EXPECT_FALSE(test, ks_attrib_unmapped(cur->r[i].end - 1));
	}

	set = kunit_kzalloc(test, sizeof(*set), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, set);
	set->r[0] = (struct ks_text_range){ base - 0x1000, base - 0xf00,
					    KS_RANGE_WRAPPER };
	set->r[1] = (struct ks_text_range){ base + win - 0x300,
					    base + win - 0x2ff,
					    KS_RANGE_WRAPPER };
	set->r[2] = (struct ks_text_range){ base + win - 0x80, base + win + 0x80,
					    KS_RANGE_WRAPPER };
	set->r[3] = (struct ks_text_range){ base + win + 0x10000,
					    base + win + 0x10100,
					    KS_RANGE_WRAPPER };
	set->n = 4;
	set->lo = set->r[0].start;
	set->hi = set->r[3].end;
	ks_ranges_publish(set);
	for (i = 0; i < set->n; i++) {
		KUNIT_EXPECT_TRUE(test, ks_attrib_in_fast(set->r[i].start,
							  KS_RANGE_WRAPPER));
		KUNIT_EXPECT_TRUE(test, ks_attrib_in_fast(set->r[i].end - 1,
							  KS_RANGE_WRAPPER));
	}
	/* A one-byte range marks its granule; so does the window's end. */
	KUNIT_EXPECT_FALSE(test, ks_attrib_unmapped(base + win - 0x300));
	KUNIT_EXPECT_FALSE(test, ks_attrib_unmapped(base + win - 1));
	/* Past the window: searched, and found outside every range. */
	KUNIT_EXPECT_FALSE(test, ks_attrib_unmapped(base + win + 0x1000));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in_fast(base + win + 0x1000,
						   KS_RANGE_WRAPPER));
	KUNIT_EXPECT_FALSE(test, ks_attrib_unmapped(base - 0x800));
	KUNIT_EXPECT_FALSE(test, ks_attrib_in_fast(base - 0x800,
						   KS_RANGE_WRAPPER));
	ks_attrib_init();
}

static struct kunit_case ks_attrib_cases[] = {
	KUNIT_CASE(attrib_range_find),
	KUNIT_CASE_PARAM(attrib_class_of_name, class_gen_params),
	KUNIT_CASE_PARAM(attrib_func_name, func_name_gen_params),
	KUNIT_CASE(attrib_func_size),
	KUNIT_CASE(attrib_skip),
	KUNIT_CASE(attrib_own_text),
	KUNIT_CASE(attrib_learn_page_path),
	KUNIT_CASE(attrib_classify_filter),
	KUNIT_CASE(attrib_classify_filter_vmalloc),
	KUNIT_CASE(attrib_classify_stacks),
	KUNIT_CASE(attrib_calib_context),
	KUNIT_CASE(attrib_classify_movable),
	KUNIT_CASE(attrib_map),
	{}
};

static struct kunit_suite ks_attrib_suite = {
	.name = "kmemscope_attribution",
	.test_cases = ks_attrib_cases,
};

kunit_test_suite(ks_attrib_suite);
