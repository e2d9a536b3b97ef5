// SPDX-License-Identifier: GPL-2.0
/*
 * physmem.c - gather what the kernel knows about physical memory into a
 * struct ks_physmem (physmem.h), for the reserved, memblock and account
 * files; and the CMA areas and device pools, for the dma file.
 *
 * Sources, and why each is read the way it is:
 *
 *   device tree   of_* helpers: /reserved-memory children (reg, no-map,
 *                 reusable, compatible), of_reserved_mem_lookup() for what
 *                 the kernel actually set aside (dynamic regions included),
 *                 the nodes whose memory-region names a region and their
 *                 bound driver (read under device_lock); /chosen for the
 *                 initrd.
 *   resource tree /proc/iomem, read with the kernel's credentials (account.c
 *                 takes the snapshot so) from a procfs kmemscope mounts
 *                 itself (procfs.c): the
 *                 tree's lock (resource_lock) is not exported, and walking
 *                 iomem_resource without it races with drivers that
 *                 request and release regions.
 *   memblock      the kernel's own arrays, where it keeps them after boot
 *                 (ARCH_KEEP_MEMBLOCK): memblock's debugfs files carry
 *                 &memblock.memory and &memblock.reserved as their private
 *                 data; the arrays are only changed by memory hotplug.
 *   struct pages  vmemmap addresses of boot sections translated through
 *                 the kernel's page tables, only where that is safe
 *                 (ks_memmap_where()).
 *   zones         NODE_DATA(): spanned, present and managed pages, free
 *                 pages, the per-CPU free lists, CMA pages.  Free pages
 *                 are read with the CPUs' pending counter deltas
 *                 (zone_page_state_snapshot(), as /proc/zoneinfo's
 *                 refresh does; the bare counter lags by up to a stat
 *                 threshold per CPU), and free and per-CPU lists
 *                 together until two reads in a row agree
 *                 (ks_zone_free()): a CPU draining its list into the
 *                 buddy lists between the two reads would otherwise be
 *                 missed or counted twice.
 *   counters      vm_node_stat (slab, stacks, page tables, user pages),
 *                 with the CPUs' pending deltas too
 *                 (ks_node_page_state_snapshot()), like free pages,
 *                 and read with them, again and again until two reads
 *                 in a row have one sum (ks_ram_moment()): a page that
 *                 changes hands between two counters' reads would be
 *                 on two lines or none;
 *                 /proc/meminfo (procfs.c) for VmallocUsed, Percpu
 *                 and Hugetlb, whose counters are not exported.
 *   kmemscope     live page-allocator pages per module (tally.c).
 *   DMA areas     the device tree's shared-dma-pool regions (CMA areas
 *                 when reusable, else device pools), and CmaTotal less
 *                 them: the kernel exports no CMA area.  A CMA area's
 *                 free pages are counted over its page frames (free
 *                 blocks' first pages, PageBuddy, hold the block's
 *                 order), without the zone lock, which is not for
 *                 modules: a moment's figure, like NR_FREE_CMA_PAGES.
 *                 The account's pools add what the DMA buffers listed
 *                 (dmabuf.c, copied a batch a lock hold) hold of each.
 *
 * Locking: none of kmemscope's own.  Zone and node counters are read
 * without locks, as /proc/zoneinfo reads them: each value is a moment's,
 * and the account closes its sums over these copied values.  A claiming
 * device's driver name is copied under device_lock() (ks_dt_driver()).
 * memblock's arrays are copied with no lock, as the kernel's own debugfs
 * file walks them: memory hotplug's lock is not exported; the copy reads
 * the array pointer and count once, is bounded, and is retried if they
 * changed (ks_copy_memblock_once()).  Context: process (mounts procfs,
 * reads files, sleeps, allocates).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/fs.h>
#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/mmzone.h>
#include <linux/module.h>
#include <linux/of.h>
#include <linux/of_address.h>
#include <linux/of_platform.h>
#include <linux/of_reserved_mem.h>
#include <linux/platform_device.h>
#include <linux/sched/clock.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include <linux/vmstat.h>

#include "physmem.h"
#include "compat.h"
#include "state.h"
#include "procfs.h"
#include "tally.h"
#include "dmabuf.h"

/* One byte of static percpu data: it lives in the first chunk's units. */
static DEFINE_PER_CPU(u8, ks_pcpu_probe);

/* ---- device tree ------------------------------------------------------ */

#if IS_ENABLED(CONFIG_OF)
/*
 * The name of the driver bound to @np's platform device, or "none".
 * of_find_device_by_node() returns the device with a reference, put here.
 * dev->driver is read and its name copied under device_lock(): unbinding
 * takes that lock and clears dev->driver under it, so the driver (and the
 * module holding its name) cannot go away while the name is copied.
 * device_lock() sleeps: fine, the snapshot is built in a view's open().
 */
static void ks_dt_driver(struct device_node *np, char *buf, size_t len)
{
	struct platform_device *pdev = of_find_device_by_node(np);

	strscpy(buf, "none", len);
	if (!pdev)
		return;
	device_lock(&pdev->dev);
	if (pdev->dev.driver)
		strscpy(buf, pdev->dev.driver->name, len);
	device_unlock(&pdev->dev);
	put_device(&pdev->dev);
}

static void ks_dt_users(struct device_node *rnp, struct ks_dt_region *r)
{
	struct device_node *np, *target;
	int i;

	strscpy(r->device, "-", sizeof(r->device));
	strscpy(r->driver, "-", sizeof(r->driver));
	for_each_node_with_property(np, "memory-region") {
		for (i = 0; (target = of_parse_phandle(np, "memory-region", i)); i++) {
			bool hit = target == rnp;

			of_node_put(target);
			if (!hit)
				continue;
			if (!r->users++) {
				snprintf(r->device, sizeof(r->device), "%pOF", np);
				ks_dt_driver(np, r->driver, sizeof(r->driver));
			}
		}
	}
}

static void ks_dt_region(struct device_node *np, struct ks_dt_region *r)
{
	struct resource res;
	const char *compat;

	strscpy(r->name, kbasename(np->full_name), sizeof(r->name));
	if (!of_property_read_string(np, "compatible", &compat))
		strscpy(r->compatible, compat, sizeof(r->compatible));
	else
		strscpy(r->compatible, "-", sizeof(r->compatible));
	r->nomap = of_property_read_bool(np, "no-map");
	r->reusable = of_property_read_bool(np, "reusable");
	r->cma_default = of_property_read_bool(np, "linux,cma-default");
	r->disabled = !of_device_is_available(np);
	if (!of_address_to_resource(np, 0, &res)) {
		r->dt_base = res.start;
		r->dt_size = resource_size(&res);
	} else {
		r->dynamic = of_property_read_bool(np, "size");
	}
#if IS_ENABLED(CONFIG_OF_RESERVED_MEM)
	{
		struct reserved_mem *rmem = of_reserved_mem_lookup(np);

		if (rmem) {
			r->reserved = true;
			/* Given only when rmem_cma_setup() or rmem_dma_setup() worked. */
			r->set_up = !!rmem->ops;
			r->base = rmem->base;
			r->size = rmem->size;
		}
	}
#endif
	ks_dt_users(np, r);
}

static u64 ks_dt_u64(struct device_node *np, const char *prop)
{
	const __be32 *p;
	int len;

	p = of_get_property(np, prop, &len);
	if (!p || (len != 4 && len != 8))
		return 0;
	return of_read_number(p, len / 4);
}

static void ks_gather_dt(struct ks_physmem *pm)
{
	struct device_node *rmem, *np;

	np = of_find_node_by_path("/chosen");
	if (np) {
		pm->initrd_start = ks_dt_u64(np, "linux,initrd-start");
		pm->initrd_end = ks_dt_u64(np, "linux,initrd-end");
		of_node_put(np);
	}
	rmem = of_find_node_by_path("/reserved-memory");
	if (!rmem)
		return;
	pm->dt = true;
	for_each_child_of_node(rmem, np) {
		if (pm->n_dt == KS_MAX_DT_REGIONS) {
			pm->dt_truncated = true;
			of_node_put(np);
			break;
		}
		ks_dt_region(np, &pm->dtr[pm->n_dt++]);
	}
	of_node_put(rmem);
}
#else
static void ks_gather_dt(struct ks_physmem *pm)
{
}
#endif

/* ---- resource tree ---------------------------------------------------- */

#define KS_IOMEM_MAX_BYTES	(256 * 1024)

static void ks_parse_iomem(struct ks_physmem *pm, char *buf)
{
	char *line;

	while ((line = strsep(&buf, "\n"))) {
		struct ks_iomem *e;
		unsigned long long s, en;
		unsigned int depth = 0;
		char *name;

		while (line[depth] == ' ')
			depth++;
		name = strstr(line, " : ");
		if (!name || sscanf(line + depth, "%llx-%llx", &s, &en) != 2)
			continue;
		if (pm->n_io == KS_MAX_IOMEM) {
			pm->io_truncated = true;
			return;
		}
		e = &pm->io[pm->n_io++];
		e->start = s;
		e->end = en;
		e->depth = min(depth / 2, 255U);
		strscpy(e->name, name + 3, sizeof(e->name));
	}
}

static void ks_gather_iomem(struct ks_physmem *pm)
{
	ssize_t len;
	char *buf;

	/*
	 * From the page allocator while it has the size in one piece: a
	 * vmalloc() buffer took a fresh address each read until vmalloc
	 * purged its freed areas, and the kernel page tables that mapped
	 * each new 2 MiB of them stay, on no counter: the account's own
	 * reads raised its managed.unexplained by a page every 8 reads.
	 */
	buf = kvmalloc(KS_IOMEM_MAX_BYTES, GFP_KERNEL);
	if (!buf) {
		pm->iomem_err = -ENOMEM;
		return;
	}
	len = ks_read_proc("iomem", buf, KS_IOMEM_MAX_BYTES);
	if (len < 0) {
		pm->iomem_err = len;
		kvfree(buf);
		return;
	}
	if (len == KS_IOMEM_MAX_BYTES - 1)
		pm->io_truncated = true;
	ks_parse_iomem(pm, buf);
	kvfree(buf);
}

/* ---- memblock --------------------------------------------------------- */

/*
 * Copy one memblock table.  memblock has no lock: after boot its tables
 * change only under memory hotplug's mem_hotplug_lock, whose read side
 * (get_online_mems()) is not exported to modules (6.1, 6.12).  Hotplug
 * can also replace a table's array (memblock_double_array() frees the
 * old one when it came from slab).  The kernel's own debugfs file
 * (mm/memblock.c, memblock_debug_show()) walks the same arrays with no
 * lock either.  What is done here to narrow the window: the count, the
 * capacity and the array pointer are read once, the walk is bounded by
 * all three and by our own table, and if any of them changed during the
 * copy it is taken again (a few times, then the last copy stands, marked
 * "changed").  A copy is a moment's; nothing here writes to memblock.
 */
static unsigned int ks_copy_memblock_once(struct memblock_type *type,
					  struct ks_mb_region *out,
					  bool *truncated, bool *changed)
{
	struct memblock_region *regions = READ_ONCE(type->regions);
	unsigned long i, cnt = READ_ONCE(type->cnt);
	unsigned long max = READ_ONCE(type->max);

	*changed = false;
	if (cnt > max)
		cnt = max;
	if (cnt > KS_MAX_MEMBLOCK) {
		*truncated = true;
		cnt = KS_MAX_MEMBLOCK;
	}
	for (i = 0; i < cnt; i++) {
		const struct memblock_region *r = &regions[i];

		out[i].base = r->base;
		out[i].size = r->size;
		out[i].flags = r->flags;
#ifdef CONFIG_NUMA
		out[i].nid = r->nid;
#else
		out[i].nid = 0;
#endif
	}
	smp_rmb();	/* the copy above, before checking it still holds */
	if (READ_ONCE(type->regions) != regions ||
	    READ_ONCE(type->cnt) != cnt || READ_ONCE(type->max) != max)
		*changed = true;
	/* An empty type still holds one region of size 0. */
	return (cnt == 1 && !out[0].size) ? 0 : cnt;
}

static unsigned int ks_copy_memblock(struct memblock_type *type,
				     struct ks_mb_region *out, bool *truncated,
				     bool *changed)
{
	unsigned int n, tries = 0;

	do {
		*truncated = false;
		n = ks_copy_memblock_once(type, out, truncated, changed);
	} while (*changed && ++tries < 3);
	return n;
}

static struct memblock_type *ks_memblock_type(struct dentry *dir,
					      const char *name)
{
	struct memblock_type *type = NULL;
	struct dentry *d = debugfs_lookup(name, dir);

	if (IS_ERR_OR_NULL(d))
		return NULL;
	if (d_inode(d))
		type = d_inode(d)->i_private;
	dput(d);
	/* The file is memblock's own: its data names itself. */
	if (type && type->name && !strcmp(type->name, name))
		return type;
	return NULL;
}

static void ks_gather_memblock(struct ks_physmem *pm)
{
	bool trunc_mem, trunc_res, changed_mem, changed_res;
	struct memblock_type *mem, *res;
	struct dentry *dir;

	if (!IS_ENABLED(CONFIG_ARCH_KEEP_MEMBLOCK)) {
		pm->mb_missing = "memblock's tables are freed after boot (no ARCH_KEEP_MEMBLOCK)";
		return;
	}
	dir = debugfs_lookup("memblock", NULL);
	if (IS_ERR_OR_NULL(dir)) {
		pm->mb_missing = "memblock has no debugfs directory on this kernel";
		return;
	}
	mem = ks_memblock_type(dir, "memory");
	res = ks_memblock_type(dir, "reserved");
	dput(dir);
	if (!mem || !res) {
		pm->mb_missing = "memblock's debugfs files do not carry its tables on this kernel";
		return;
	}
	pm->n_mem = ks_copy_memblock(mem, pm->mem, &trunc_mem, &changed_mem);
	pm->n_res = ks_copy_memblock(res, pm->res, &trunc_res, &changed_res);
	pm->mb_truncated = trunc_mem || trunc_res;
	pm->mb_changed = changed_mem || changed_res;
}

/* ---- zones and counters ----------------------------------------------- */

/*
 * Where section @nr's struct pages lie in physical memory, for memblock's
 * owner labels.  The vmemmap is mapped in the kernel's page tables
 * (init_mm), and the generic pgd/p4d/pud/pmd/pte helpers would walk them,
 * but init_mm is not exported to modules (6.1, 6.12), so a walker of our
 * own cannot be built.  The one exported walker of init_mm is
 * vmalloc_to_page(): it starts at pgd_offset_k(), follows p4d, pud and
 * pmd leaf (block) entries, and checks the address is in vmalloc space
 * only under CONFIG_DEBUG_VIRTUAL (VIRTUAL_BUG_ON), where we do not call
 * it.  Its contract is vmalloc addresses, so it is used here only where
 * the walk itself is known to be safe:
 *
 *   - early sections only: their struct pages came from memblock at boot,
 *     which is what the labels are for (a hot-added section's come from
 *     the page allocator and are in no memblock reservation);
 *   - and only where boot memory cannot be hot-removed, so the page tables
 *     mapping an early section's struct pages are never freed under the
 *     walk: without CONFIG_MEMORY_HOTREMOVE, or on arm64, which refuses to
 *     offline boot memory (arch/arm64/mm/mmu.c, prevent_bootmem_remove
 *     notifier) and frees a vmemmap page table only when nothing in it is
 *     mapped.  Elsewhere mem_hotplug_lock would be needed, and it is not
 *     exported; the struct page array is then left unlocated (the account
 *     still computes its size).
 *
 * The mappings of an early section never change after boot, so the walk
 * meets only present entries and none of vmalloc_to_page()'s warnings.
 */
#if defined(CONFIG_SPARSEMEM_VMEMMAP) && !defined(CONFIG_DEBUG_VIRTUAL) && \
	(defined(CONFIG_ARM64) || !defined(CONFIG_MEMORY_HOTREMOVE))
#define KS_MEMMAP_LOCATED	1
#else
#define KS_MEMMAP_LOCATED	0
#endif

static void ks_memmap_where(struct ks_physmem *pm, unsigned long nr)
{
#if KS_MEMMAP_LOCATED
	struct page *first = pfn_to_page(section_nr_to_pfn(nr));
	struct page *backing;

	if (!pm->n_res || pm->n_memmap == KS_MAX_MEMMAP ||
	    !early_section(__nr_to_section(nr)))
		return;
	backing = ks_compat_vmemmap_to_page(first);
	if (backing)
		pm->memmap_phys[pm->n_memmap++] = page_to_phys(backing) +
						  offset_in_page(first);
#endif
}

/* Reads of a zone's free pages before taking the last one as it is. */
#define KS_FREE_READS	8

static unsigned long ks_zone_pcp(struct zone *zone)
{
	unsigned long n = 0;
	int cpu;

	for_each_online_cpu(cpu)
		n += ks_compat_zone_pcp_count(zone, cpu);
	return n;
}

/*
 * A zone's free pages in the buddy lists and on the per-CPU lists, read
 * until two reads in a row agree: pages move between the two (a drain, a
 * refill, the periodic decay of a list's high mark) without changing
 * their sum, and a move between the two halves of one read would show as
 * a change of the sum.  Bounded: KS_FREE_READS reads at most.
 */
static void ks_zone_free(struct zone *zone, struct ks_zone_info *zi)
{
	unsigned long free, pcp;
	int i;

	free = zone_page_state_snapshot(zone, NR_FREE_PAGES);
	pcp = ks_zone_pcp(zone);
	for (i = 1; i < KS_FREE_READS; i++) {
		zi->free = free;
		zi->pcp = pcp;
		free = zone_page_state_snapshot(zone, NR_FREE_PAGES);
		pcp = ks_zone_pcp(zone);
		if (free == zi->free && pcp == zi->pcp)
			return;
	}
	zi->free = free;
	zi->pcp = pcp;
}

/*
 * The zone the account lists after @zone (NULL: its first), or NULL:
 * each online node's zones that span pages, in order.  ks_gather_zones()
 * fills pm->zones[] in this order, and ks_ram_read() reads their free
 * pages into it in the same order.
 */
static struct zone *ks_next_listed_zone(struct zone *zone)
{
	int nid = zone ? zone_to_nid(zone) : first_online_node;
	int z = zone ? zone_idx(zone) + 1 : 0;

	for (; nid < MAX_NUMNODES; nid = next_online_node(nid), z = 0)
		for (; z < MAX_NR_ZONES; z++)
			if (NODE_DATA(nid)->node_zones[z].spanned_pages)
				return &NODE_DATA(nid)->node_zones[z];
	return NULL;
}

static void ks_gather_zones(struct ks_physmem *pm)
{
	unsigned long first = ULONG_MAX, last = 0, nr __maybe_unused;
	struct zone *zone;

	for (zone = ks_next_listed_zone(NULL); zone;
	     zone = ks_next_listed_zone(zone)) {
		struct ks_zone_info *zi;

		if (pm->n_zones == KS_MAX_ZONES)
			continue;
		zi = &pm->zones[pm->n_zones++];
		strscpy(zi->name, zone->name, sizeof(zi->name));
		zi->nid = zone_to_nid(zone);
		zi->spanned = zone->spanned_pages;
		zi->present = zone->present_pages;
		zi->managed = zone_managed_pages(zone);
		zi->cma = ks_compat_zone_cma_pages(zone);
		first = min(first, zone->zone_start_pfn);
		last = max(last, zone_end_pfn(zone));
	}

#ifdef CONFIG_SPARSEMEM_VMEMMAP
	/* One struct page per page of every present section. */
	pm->memmap_located = KS_MEMMAP_LOCATED;
	pm->pages_per_section = PAGES_PER_SECTION;
	if (last > first)
		for (nr = pfn_to_section_nr(first);
		     nr <= pfn_to_section_nr(last - 1); nr++) {
			if (!present_section_nr(nr))
				continue;
			pm->sections++;
			ks_memmap_where(pm, nr);
		}
	pm->memmap_pages = DIV_ROUND_UP(pm->sections * PAGES_PER_SECTION *
					sizeof(struct page), PAGE_SIZE);
#endif
}

static unsigned long ks_node_pages(enum node_stat_item item)
{
	long v = ks_node_page_state_snapshot(item);

	return v > 0 ? v : 0;
}

/* The node counters of struct ks_ram_counters.  Context: any. */
static void ks_node_counters(struct ks_ram_counters *c)
{
	long v;

	c->slab_reclaimable = ks_node_pages(NR_SLAB_RECLAIMABLE_B);
	c->slab_unreclaimable = ks_node_pages(NR_SLAB_UNRECLAIMABLE_B);
	v = ks_node_page_state_snapshot(NR_KERNEL_STACK_KB);
	c->kernel_stack = v > 0 ? v >> (PAGE_SHIFT - 10) : 0;
	v = ks_compat_pagetable_pages();
	c->page_tables = v > 0 ? v : 0;
	c->anon = ks_node_pages(NR_ANON_MAPPED);
	c->file = ks_node_pages(NR_FILE_PAGES);
	c->shmem = ks_node_pages(NR_SHMEM);
#if KS_COMPAT_HAS_NR_SWAPCACHE
	c->swapcache = ks_node_pages(NR_SWAPCACHE);
#endif
}

/* What the account's managed lines sum, of the counters read together. */
static unsigned long ks_ram_sum(const struct ks_ram_counters *c)
{
	return c->free + c->pcp + c->slab_reclaimable + c->slab_unreclaimable +
	       c->kernel_stack + c->page_tables + c->anon + c->file;
}

/*
 * One read of the zones' free and per-CPU pages (into @zi[0..@n_zi), in
 * ks_gather_zones()'s order, when @zi is given) and of the node counters.
 */
static void ks_ram_read(struct ks_ram_counters *c, struct ks_zone_info *zi,
			unsigned int n_zi)
{
	struct ks_zone_info one, *out;
	struct zone *zone;
	unsigned int k = 0;

	memset(c, 0, sizeof(*c));
	for (zone = ks_next_listed_zone(NULL); zone;
	     zone = ks_next_listed_zone(zone)) {
		out = zi && k < n_zi ? &zi[k] : &one;
		k++;
		ks_zone_free(zone, out);
		c->managed += zone_managed_pages(zone);
		c->free += out->free;
		c->pcp += out->pcp;
	}
	ks_node_counters(c);
}

/*
 * The zones' free pages and the node counters as at one moment: read
 * together, and again until two reads in a row have the same sum.  A
 * page that changes hands between two of the counters while they are
 * read (a slab page freed after the slab counter was read and before
 * the free pages were) is otherwise on two lines or on none, and the
 * account's unexplained remainder moves by it: the debug kernel's
 * KASAN quarantine frees a few hundred slab pages at once.  Pages that
 * move within the sum (a slab page allocated) leave it unchanged; pages
 * that leave it (vmalloc, a driver's alloc_pages()) change it, so on a
 * board that allocates without pause the last read stands.  Bounded:
 * KS_FREE_READS reads at most.  Context: any; neither allocates nor
 * sleeps.
 */
static void ks_ram_moment(struct ks_ram_counters *c, struct ks_zone_info *zi,
			  unsigned int n_zi)
{
	unsigned long sum;
	int i;

	ks_ram_read(c, zi, n_zi);
	for (i = 1; i < KS_FREE_READS; i++) {
		sum = ks_ram_sum(c);
		ks_ram_read(c, zi, n_zi);
		if (ks_ram_sum(c) == sum)
			return;
	}
}

/**
 * ks_physmem_counters - the counters that need no allocation to read
 * @c: output
 *
 * Zones' managed, free and per-CPU free pages (ks_zone_free()) and the
 * node counters, as at one moment (ks_ram_moment()), as the account
 * reads them.  Context: process; neither allocates nor sleeps (the OOM
 * report calls it).
 */
void ks_physmem_counters(struct ks_ram_counters *c)
{
	ks_ram_moment(c, NULL, 0);
}

/*
 * The counters read once: /proc/meminfo's (a file read, which allocates
 * and sleeps, so before ks_gather_moment()), and the swap cache's where
 * the kernel has no counter of its own for it (5.10).
 */
static void ks_gather_counters(struct ks_physmem *pm)
{
	struct ks_meminfo mi;

	ks_read_meminfo(&mi);
#if !KS_COMPAT_HAS_NR_SWAPCACHE
	pm->swapcache = mi.ok && mi.swap_cached > 0 ?
			mi.swap_cached >> (PAGE_SHIFT - 10) : 0;
#endif
	pm->vmalloc_kb = mi.ok ? mi.vmalloc_used : -1;
	pm->percpu_kb = mi.ok ? mi.percpu : -1;
	pm->hugetlb_kb = mi.ok ? mi.hugetlb : -1;
}

/* The counters the managed lines sum, as at one moment (ks_ram_moment()). */
static void ks_gather_moment(struct ks_physmem *pm)
{
	struct ks_ram_counters c;

	ks_ram_moment(&c, pm->zones, pm->n_zones);
	pm->slab_reclaimable = c.slab_reclaimable;
	pm->slab_unreclaimable = c.slab_unreclaimable;
	pm->kernel_stack = c.kernel_stack;
	pm->page_tables = c.page_tables;
	pm->anon = c.anon;
	pm->file = c.file;
	/* Parts of file, read with it: file_cache is what is left. */
	pm->shmem = c.shmem;
#if KS_COMPAT_HAS_NR_SWAPCACHE
	pm->swapcache = c.swapcache;
#endif
}

static void ks_gather_percpu(struct ks_physmem *pm)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu) {
		void *p = per_cpu_ptr(&ks_pcpu_probe, cpu);

		if (pm->n_pcpu == KS_MAX_PERCPU_UNITS)
			break;
		if (virt_addr_valid(p))
			pm->pcpu_phys[pm->n_pcpu++] = __pa(p);
	}
}

static void ks_gather_direct(struct ks_physmem *pm)
{
	struct ks_modules *mods = ks_modules_build();
	unsigned int i;

	if (!mods)
		return;
	for (i = 0; i < mods->n; i++) {
		const struct ks_module_row *r = &mods->rows[i];
		struct ks_direct *d;

		long dma = r->live_bytes[KS_DMA] - r->dma_pool_bytes;

		if (!r->live_bytes[KS_PAGE] && dma <= 0)
			continue;
		if (pm->n_direct == KS_MAX_DIRECT) {
			pm->direct_truncated = true;
			/* The last row gathers the rest. */
			d = &pm->direct[KS_MAX_DIRECT - 1];
			strscpy(d->module, "other-modules", sizeof(d->module));
		} else {
			d = &pm->direct[pm->n_direct++];
			if (strcmp(r->state, "loaded") && strcmp(r->state, "builtin"))
				snprintf(d->module, sizeof(d->module), "%s(%s)",
					 r->name, r->state);
			else
				strscpy(d->module, r->name, sizeof(d->module));
		}
		d->pages += r->live_bytes[KS_PAGE] >> PAGE_SHIFT;
		if (dma > 0)
			d->dma_pages += dma >> PAGE_SHIFT;
	}
	kvfree(mods);
}

/* ---- DMA areas -------------------------------------------------------- */

/**
 * ks_dt_kind - what a /reserved-memory region is for
 * @r: the region
 *
 * Return: "cma" (shared-dma-pool, reusable), "dma-pool" (shared-dma-pool:
 * a device's coherent pool), "no-map", "reusable" or "reserved".
 */
const char *ks_dt_kind(const struct ks_dt_region *r)
{
	bool pool = !strcmp(r->compatible, "shared-dma-pool");

	if (pool && r->reusable)
		return "cma";
	if (pool)
		return "dma-pool";
	if (r->nomap)
		return "no-map";
	if (r->reusable)
		return "reusable";
	return "reserved";
}

/* Pages walked between two chances to reschedule. */
#define KS_WALK_BATCH		1024

/*
 * Free pages in the buddy lists among [@base, @base + @size): a free
 * block's first page is marked PageBuddy and holds the block's order.
 * Read without the zone's lock, as /proc/pagetypeinfo's counts are not:
 * a block split or merged meanwhile can be missed or seen twice, so the
 * figure is a moment's (an order read beyond the largest a block can have
 * counts the page alone).  Context: process; sleeps.
 */
static long ks_free_pages_in(u64 base, u64 size)
{
	unsigned long pfn = PHYS_PFN(base), end = PHYS_PFN(base + size);
	unsigned long walked = 0;
	long free = 0;

	while (pfn < end) {
		struct page *page = pfn_to_online_page(pfn);
		unsigned long n = 1;

		if (page && PageBuddy(page)) {
			unsigned long order = READ_ONCE(page_private(page));

			if (order < KS_COMPAT_BUDDY_ORDERS)
				n = min(1UL << order, end - pfn);
			free += n;
		}
		pfn += n;
		if (++walked % KS_WALK_BATCH == 0)
			cond_resched();
	}
	return free;
}

/* The CMA pages in the buddy lists, over every zone. */
static long ks_cma_free_pages(void)
{
	long free = 0;
	int nid, z;

	for_each_online_node(nid)
		for (z = 0; z < MAX_NR_ZONES; z++) {
			struct zone *zone = &NODE_DATA(nid)->node_zones[z];

			if (zone->spanned_pages)
				free += zone_page_state_snapshot(zone,
								 NR_FREE_CMA_PAGES);
		}
	return free;
}

/* The areas of @pm's device-tree regions, then the rest of CMA. */
static int ks_dma_areas_of(const struct ks_physmem *pm, struct ks_dma_area *a,
			   unsigned int max)
{
	long dt_pages = 0, dt_free = 0, total, rest;
	bool dt_default = false;
	struct ks_meminfo mi;
	unsigned int i, n = 0;

	for (i = 0; i < pm->n_dt && n < max; i++) {
		const struct ks_dt_region *r = &pm->dtr[i];
		const char *kind = ks_dt_kind(r);
		struct ks_dma_area *d = &a[n];
		bool cma = !strcmp(kind, "cma");

		if (!r->set_up || r->disabled ||
		    (!cma && strcmp(kind, "dma-pool")))
			continue;
		memset(d, 0, sizeof(*d));
		strscpy(d->name, r->name, sizeof(d->name));
		d->kind = cma ? KS_AREA_CMA : KS_AREA_DEVICE_POOL;
		d->nomap = r->nomap;
		d->base = r->base;
		d->size = r->size;
		d->free_pages = -1;
		if (cma) {
			d->free_pages = ks_free_pages_in(r->base, r->size);
			dt_pages += r->size >> PAGE_SHIFT;
			dt_free += d->free_pages;
			dt_default |= r->cma_default;
		}
		n++;
	}

	ks_read_meminfo(&mi);
	total = mi.ok && mi.cma_total > 0 ? mi.cma_total >> (PAGE_SHIFT - 10) : 0;
	rest = total - dt_pages;
	if (rest > 0 && n < max) {
		struct ks_dma_area *d = &a[n++];

		memset(d, 0, sizeof(*d));
		/* dma_contiguous_reserve() names the default area so. */
		strscpy(d->name, dt_default ? "other" : "reserved", sizeof(d->name));
		d->kind = KS_AREA_CMA;
		d->size = (u64)rest << PAGE_SHIFT;
		d->free_pages = max(ks_cma_free_pages() - dt_free, 0L);
	}
	return n;
}

/**
 * ks_physmem_dma_areas - the CMA areas and device pools, with CMA's free
 * pages
 * @a: filled with up to @max areas: the device tree's, in its order, then
 *     the CMA it does not declare (CmaTotal less the tree's CMA areas)
 * @max: room in @a
 *
 * Return: the number of areas, or -ENOMEM.  Context: process; sleeps.
 */
int ks_physmem_dma_areas(struct ks_dma_area *a, unsigned int max)
{
	struct ks_physmem *pm = kvzalloc(sizeof(*pm), GFP_KERNEL);
	int n;

	if (!pm)
		return -ENOMEM;
	ks_gather_dt(pm);
	n = ks_dma_areas_of(pm, a, max);
	kvfree(pm);
	return n;
}

/* The holder of @p named @mod (found, added, or the last one: "other"). */
static struct ks_pool_holder *ks_pool_holder(struct ks_pool *p, const char *mod)
{
	struct ks_pool_holder *h;
	unsigned int i;

	for (i = 0; i < p->n_holders; i++)
		if (!strcmp(p->holders[i].module, mod))
			return &p->holders[i];
	if (p->n_holders == KS_MAX_POOL_HOLDERS) {
		h = &p->holders[KS_MAX_POOL_HOLDERS - 1];
		strscpy(h->module, "other-modules", sizeof(h->module));
		return h;
	}
	h = &p->holders[p->n_holders++];
	strscpy(h->module, mod, sizeof(h->module));
	return h;
}

/*
 * The account's pools: each CMA area and device pool, where its pages lie
 * (a no-map pool in nomap_reserved, a mapped one in boot_reserved, CMA in
 * managed), and the pages the listed DMA buffers hold of it per module.
 */
static void ks_gather_pools(struct ks_physmem *pm)
{
	struct ks_dma_area *a = kcalloc(KS_MAX_DMA_AREAS, sizeof(*a), GFP_KERNEL);
	struct ks_dma_buf *batch = kmalloc_array(KS_DMABUF_COPY_BATCH,
						 sizeof(*batch), GFP_KERNEL);
	unsigned int i, j, k;
	int n;

	if (!a || !batch)
		goto out;
	n = ks_dma_areas_of(pm, a, KS_MAX_DMA_AREAS);
	if (n > KS_MAX_POOLS) {
		pm->pools_truncated = true;
		n = KS_MAX_POOLS;
	}
	for (k = 0; k < n; k++) {
		pm->pools[k].area = a[k];
		pm->pools[k].inside = a[k].kind == KS_AREA_CMA ? "managed" :
				      a[k].nomap ? "nomap_reserved" : "boot_reserved";
	}
	pm->n_pools = n;
	for (i = 0; (k = ks_dmabuf_copy(i, batch, KS_DMABUF_COPY_BATCH)); i += k) {
		for (j = 0; j < k; j++) {
			int at;

			if (!batch[j].addr)
				continue;
			at = ks_dmabuf_area_of(&batch[j], a, n);
			if (at < 0)
				continue;
			pm->pools[at].held_pages += batch[j].bytes >> PAGE_SHIFT;
			ks_pool_holder(&pm->pools[at], batch[j].mod)->pages +=
				batch[j].bytes >> PAGE_SHIFT;
		}
		cond_resched();
	}
out:
	kfree(batch);
	kfree(a);
}

/**
 * ks_physmem_snapshot - gather every source into a new snapshot
 *
 * Returns the snapshot (kvfree() it), or NULL without memory.  Sources
 * that this kernel lacks are marked missing in it, not failed.
 * Context: process.
 */
struct ks_physmem *ks_physmem_snapshot(void)
{
	struct ks_physmem *pm = kvzalloc(sizeof(*pm), GFP_KERNEL);

	if (!pm)
		return NULL;
	ks_gather_dt(pm);
	ks_gather_iomem(pm);
	ks_gather_memblock(pm);
	ks_gather_percpu(pm);
	ks_gather_direct(pm);
	ks_gather_pools(pm);
	ks_gather_counters(pm);
	ks_gather_zones(pm);
	/* Last, with nothing between its reads: see ks_ram_moment(). */
	ks_gather_moment(pm);
	pm->since_load_s = div_u64(local_clock() - ks_loaded_ns, NSEC_PER_SEC);
	return pm;
}
