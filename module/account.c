// SPDX-License-Identifier: GPL-2.0
/*
 * account.c - where the RAM went: the reserved, memblock and account
 * files under /sys/kernel/debug/kmemscope/.
 *
 *   reserved   device-tree reserved-memory regions, then the resource
 *              tree's reserved ranges; totals per kind
 *   memblock   memblock's memory and reserved regions with flags and
 *              derived owners, or, where the kernel keeps no memblock,
 *              why not and the resource tree's RAM map instead
 *   account    physical RAM down to the last page: no-map, boot
 *              reservations, managed pages and who holds them, and an
 *              "unexplained" remainder, each line naming its source
 *
 * Each open() takes a snapshot (physmem.c) that the file's reads format;
 * the snapshot is the open file's and is freed at release().  No lock is
 * held while formatting.  Files are root-only (0400).  Physical addresses
 * follow /proc/iomem's rule: decided once at open() from the opener's
 * credentials, they print as 0 unless the opener has CAP_SYS_ADMIN in the
 * initial user namespace; sizes always print.  So that sizes stay right,
 * the snapshot reads /proc/iomem with the kernel's credentials, not the
 * opener's (which /proc/iomem would give zeros).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sched/task.h>
#include <linux/string.h>
#include <linux/user_namespace.h>

#include "account.h"
#include "versions.h"
#include "physmem.h"
#include "compat.h"

#define KS_PAGES_KB(p)	((p) << (PAGE_SHIFT - 10))

/* The resource tree's names for the kernel image's sections. */
static bool ks_is_kernel_section(const char *name)
{
	return !strncmp(name, "Kernel ", 7);
}

static bool ks_is_system_ram(const struct ks_iomem *e)
{
	return e->depth == 0 && !strcmp(e->name, "System RAM");
}

static struct ks_range ks_io_range(const struct ks_iomem *e)
{
	struct ks_range r = { .base = e->start, .size = e->end - e->start + 1 };

	return r;
}

/* One past the highest System RAM address (0: none known). */
static u64 ks_ram_end(const struct ks_physmem *pm)
{
	u64 end = 0;
	unsigned int i;

	for (i = 0; i < pm->n_mem; i++)
		end = max(end, pm->mem[i].base + pm->mem[i].size);
	for (i = 0; i < pm->n_io; i++)
		if (ks_is_system_ram(&pm->io[i]))
			end = max(end, pm->io[i].end + 1);
	return end;
}

/* Whether @e lies wholly in memblock memory flagged no-map. */
static bool ks_iomem_nomap(const struct ks_physmem *pm, const struct ks_iomem *e)
{
	struct ks_range r = ks_io_range(e);
	u64 in = 0;
	unsigned int i;

	for (i = 0; i < pm->n_mem; i++)
		if (pm->mem[i].flags & KS_MB_NOMAP) {
			struct ks_range x = { pm->mem[i].base, pm->mem[i].size };

			in += ks_range_overlap(&r, &x);
		}
	return in && in == r.size;
}

/*
 * Kinds of reserved resource-tree entries: the kernel's sections, its
 * boot reservations inside System RAM, memory outside System RAM that
 * is no-map RAM (arm64 lists it as a top-level "reserved") or belongs to
 * the firmware (x86's e820 reserved, ACPI, ROMs).
 */
static const char *ks_iomem_kind(const struct ks_physmem *pm,
				 const struct ks_iomem *e)
{
	if (ks_is_kernel_section(e->name))
		return "kernel";
	if (!strcasecmp(e->name, "reserved") && e->depth)
		return "reserved";
	if (!strcasecmp(e->name, "reserved") && ks_iomem_nomap(pm, e))
		return "no-map";
	if (strstr(e->name, "ACPI") || strstr(e->name, "ROM") ||
	    !strcmp(e->name, "Soft Reserved") ||
	    !strcmp(e->name, "Persistent Memory") ||
	    !strncmp(e->name, "Unknown E820", 12) ||
	    !strcasecmp(e->name, "reserved"))
		return e->start < ks_ram_end(pm) ? "firmware" : "firmware-above-ram";
	if (!strcmp(e->name, "Crash kernel"))
		return "crashkernel";
	return NULL;
}

/* RAM as the best source has it, normalised into @r; returns the count. */
static unsigned int ks_ram_ranges(const struct ks_physmem *pm,
				  struct ks_range *r, unsigned int max,
				  const char **source)
{
	unsigned int i, n = 0;

	if (pm->n_mem) {
		for (i = 0; i < pm->n_mem && n < max; i++) {
			r[n].base = pm->mem[i].base;
			r[n++].size = pm->mem[i].size;
		}
		*source = "memblock.memory";
	} else {
		for (i = 0; i < pm->n_io && n < max; i++)
			if (ks_is_system_ram(&pm->io[i]))
				r[n++] = ks_io_range(&pm->io[i]);
		*source = "resource tree System RAM";
	}
	return ks_ranges_normalize(r, n);
}

/* ---- open/release shared by the three files --------------------------- */

/* A physical address as this open file may print it (see the top). */
static u64 ks_pa(const struct ks_physmem *pm, u64 addr)
{
	return pm->show_addrs ? addr : 0;
}

static int ks_physmem_open(struct inode *inode, struct file *file,
			   int (*show)(struct seq_file *, void *))
{
	struct cred *kcred = prepare_kernel_cred(&init_task);
	const struct cred *old;
	struct ks_physmem *pm;
	int ret;

	if (!kcred)
		return -ENOMEM;
	old = override_creds(kcred);
	pm = ks_physmem_snapshot();
	revert_creds(old);
	put_cred(kcred);
	if (!pm)
		return -ENOMEM;
	pm->show_addrs = file_ns_capable(file, &init_user_ns, CAP_SYS_ADMIN);
	pm->n_ram = ks_ram_ranges(pm, pm->ram, KS_MAX_RAM, &pm->ram_source);
	ret = single_open(file, show, pm);
	if (ret)
		kvfree(pm);
	return ret;
}

static int ks_physmem_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	kvfree(m->private);
	return single_release(inode, file);
}

#define KS_PHYSMEM_FOPS(name)						\
static int name##_open(struct inode *inode, struct file *file)		\
{									\
	return ks_physmem_open(inode, file, name##_show);		\
}									\
const struct file_operations name##_fops = {				\
	.owner		= THIS_MODULE,					\
	.open		= name##_open,					\
	.read		= seq_read,					\
	.llseek		= seq_lseek,					\
	.release	= ks_physmem_release,				\
}

/* ---- reserved --------------------------------------------------------- */

static void ks_dt_flags(char *buf, size_t len, const struct ks_dt_region *r)
{
	static const char * const names[] = {
		"no-map", "reusable", "default", "dynamic", "disabled",
		"not-reserved", "not-set-up",
	};
	bool on[ARRAY_SIZE(names)] = {
		r->nomap, r->reusable, r->cma_default, r->dynamic,
		r->disabled, !r->reserved,
		r->reserved && !r->set_up &&
		!strcmp(r->compatible, "shared-dma-pool"),
	};
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (on[i])
			at += scnprintf(buf + at, len - at, "%s%s",
					at ? "," : "", names[i]);
	if (!at)
		strscpy(buf, "-", len);
}

static const char * const ks_where_names[] = {
	[KS_IN_RAM]		= "in-ram",
	[KS_PARTLY_IN_RAM]	= "partly-in-ram",
	[KS_OUTSIDE_RAM]	= "outside-ram",
};

struct ks_kind_total {
	const char *src;	/* "dt" or "res" */
	const char *kind;
	unsigned int count;
	u64 bytes;
};

static void ks_add_total(struct ks_kind_total *t, unsigned int max,
			 const char *src, const char *kind, u64 bytes)
{
	unsigned int i;

	for (i = 0; i < max && t[i].kind; i++)
		if (t[i].src == src && !strcmp(t[i].kind, kind))
			break;
	if (i == max)
		return;
	t[i].src = src;
	t[i].kind = kind;
	t[i].count++;
	t[i].bytes += bytes;
}

#define KS_KINDS	16

static int ks_reserved_show(struct seq_file *m, void *v)
{
	const struct ks_physmem *pm = m->private;
	struct ks_kind_total tot[KS_KINDS] = {};
	unsigned int i;
	char flags[64];
	int where;

	seq_printf(m, "kmemscope reserved - version: %s\n", KS_RESERVED_VERSION);

	seq_puts(m, "\n# device tree /reserved-memory: base and size as the kernel reserved them\n");
	if (!pm->dt) {
		seq_puts(m, "dt: none (this machine's device tree has no /reserved-memory, or it has no device tree)\n");
	} else {
		seq_puts(m, "# dt: name base size kind flags compatible device driver where\n");
		for (i = 0; i < pm->n_dt; i++) {
			const struct ks_dt_region *r = &pm->dtr[i];
			struct ks_range rr = { r->base, r->size };

			if (!r->reserved) {
				rr.base = r->dt_base;
				rr.size = r->dt_size;
			}
			ks_dt_flags(flags, sizeof(flags), r);
			where = pm->n_ram ? ks_range_where(&rr, pm->ram, pm->n_ram) : -1;
			seq_printf(m, "dt: %s %#llx %#llx %s %s %s %s %s %s\n",
				   r->name, ks_pa(pm, rr.base), rr.size, ks_dt_kind(r),
				   flags, r->compatible, r->device, r->driver,
				   where < 0 ? "-" : ks_where_names[where]);
			if (!r->reserved || r->disabled)
				continue;
			ks_add_total(tot, KS_KINDS, "dt", ks_dt_kind(r), r->size);
			if (r->nomap)
				ks_add_total(tot, KS_KINDS, "dt", "all-no-map", r->size);
		}
		if (pm->dt_truncated)
			seq_printf(m, "dt: truncated after %d regions\n", KS_MAX_DT_REGIONS);
	}

	seq_puts(m, "\n# resource tree (/proc/iomem): firmware ranges and the reserved ranges inside System RAM\n");
	if (pm->iomem_err) {
		seq_printf(m, "res: unavailable (/proc/iomem: error %d)\n", pm->iomem_err);
	} else {
		seq_puts(m, "# res: base size kind depth name\n");
		for (i = 0; i < pm->n_io; i++) {
			const struct ks_iomem *e = &pm->io[i];
			const char *kind = ks_iomem_kind(pm, e);
			u64 size = e->end - e->start + 1;

			if (!kind)
				continue;
			seq_printf(m, "res: %#llx %#llx %s %u %s\n", ks_pa(pm, e->start),
				   size, kind, e->depth, e->name);
			/* A firmware entry's children lie inside it. */
			if (e->depth && !strncmp(kind, "firmware", 8))
				continue;
			ks_add_total(tot, KS_KINDS, "res", kind, size);
		}
		if (pm->io_truncated)
			seq_puts(m, "res: truncated (the resource tree is larger than kmemscope reads)\n");
	}

	seq_puts(m, "\n# totals per kind: source (dt: regions the kernel reserved; res: resource tree) kind count bytes kB\n");
	seq_puts(m, "# dt all-no-map: every no-map region, dma pools included\n");
	for (i = 0; i < KS_KINDS && tot[i].kind; i++)
		seq_printf(m, "total: %s %s %u %llu %llu\n", tot[i].src, tot[i].kind,
			   tot[i].count, tot[i].bytes, tot[i].bytes >> 10);
	return 0;
}

KS_PHYSMEM_FOPS(ks_reserved);

/* ---- memblock --------------------------------------------------------- */

static void ks_mb_flags(char *buf, size_t len, u32 flags)
{
	static const struct { u32 bit; const char *name; } names[] = {
		{ KS_MB_HOTPLUG, "hotplug" }, { KS_MB_MIRROR, "mirror" },
		{ KS_MB_NOMAP, "nomap" }, { KS_MB_DRIVER_MANAGED, "driver-managed" },
		{ KS_MB_RSRV_NOINIT, "noinit" },
	};
	size_t i, at = 0;

	buf[0] = '\0';
	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (flags & names[i].bit) {
			at += scnprintf(buf + at, len - at, "%s%s",
					at ? "," : "", names[i].name);
			flags &= ~names[i].bit;
		}
	if (flags)
		at += scnprintf(buf + at, len - at, "%s%#x", at ? "," : "", flags);
	if (!at)
		strscpy(buf, "-", len);
}

/* Append @label to @buf if @r overlaps @owner. */
static size_t ks_owner(char *buf, size_t len, size_t at,
		       const struct ks_range *r, const struct ks_range *owner,
		       const char *label)
{
	if (!ks_range_overlap(r, owner) || strstr(buf, label))
		return at;
	return at + scnprintf(buf + at, len - at, "%s%s", at ? "," : "", label);
}

/* Owners of @r that can be derived: never guessed. */
static void ks_mb_owner(char *buf, size_t len, const struct ks_physmem *pm,
			const struct ks_range *r)
{
	struct ks_range o;
	size_t at = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < pm->n_io; i++)
		if (ks_is_kernel_section(pm->io[i].name)) {
			o = ks_io_range(&pm->io[i]);
			at = ks_owner(buf, len, at, r, &o, "kernel-image");
		}
	for (i = 0; i < pm->n_dt; i++) {
		if (!pm->dtr[i].reserved)
			continue;
		o.base = pm->dtr[i].base;
		o.size = pm->dtr[i].size;
		at = ks_owner(buf, len, at, r, &o, pm->dtr[i].name);
	}
	if (pm->initrd_end > pm->initrd_start) {
		o.base = pm->initrd_start;
		o.size = pm->initrd_end - pm->initrd_start;
		at = ks_owner(buf, len, at, r, &o, "initrd");
	}
	for (i = 0; i < pm->n_memmap; i++) {
		o.base = pm->memmap_phys[i];
		o.size = 1;
		at = ks_owner(buf, len, at, r, &o, "struct-pages");
	}
	for (i = 0; i < pm->n_pcpu; i++) {
		o.base = pm->pcpu_phys[i];
		o.size = 1;
		at = ks_owner(buf, len, at, r, &o, "percpu-first-chunk");
	}
	if (!at)
		strscpy(buf, "-", len);
}

static void ks_mb_rows(struct seq_file *m, const struct ks_physmem *pm,
		       const char *what, const struct ks_mb_region *regs,
		       unsigned int n)
{
	char flags[64], owner[160], nid[12];
	u64 sum = 0, nomap = 0;
	unsigned int i;

	seq_printf(m, "\n# %s: index base size flags nid owner\n", what);
	for (i = 0; i < n; i++) {
		struct ks_range r = { regs[i].base, regs[i].size };

		ks_mb_flags(flags, sizeof(flags), regs[i].flags);
		/* Memory regions have owners only where they are no-map. */
		if (regs == pm->res || (regs[i].flags & KS_MB_NOMAP))
			ks_mb_owner(owner, sizeof(owner), pm, &r);
		else
			strscpy(owner, "-", sizeof(owner));
		if (regs[i].nid >= 0 && regs[i].nid < MAX_NUMNODES)
			snprintf(nid, sizeof(nid), "%d", regs[i].nid);
		else
			strscpy(nid, "-", sizeof(nid));
		seq_printf(m, "%s: %u %#llx %#llx %s %s %s\n", what, i, ks_pa(pm, r.base),
			   r.size, flags, nid, owner);
		sum += r.size;
		if (regs[i].flags & KS_MB_NOMAP)
			nomap += r.size;
	}
	seq_printf(m, "total: %s %u regions %llu bytes %llu kB, nomap %llu kB\n",
		   what, n, sum, sum >> 10, nomap >> 10);
}

static int ks_memblock_show(struct seq_file *m, void *v)
{
	const struct ks_physmem *pm = m->private;
	unsigned int i;

	seq_printf(m, "kmemscope memblock - version: %s\n", KS_MEMBLOCK_VERSION);
	if (!pm->mb_missing) {
		seq_puts(m, "source: memblock (kept after boot)\n");
		seq_puts(m, "# owners: kernel-image (resource tree Kernel sections), device-tree region names,\n");
		seq_puts(m, "# initrd (/chosen), struct-pages (where a boot memory section's struct pages start),\n");
		seq_puts(m, "# percpu-first-chunk (where each CPU's static percpu data lies); - : not derivable\n");
		ks_mb_rows(m, pm, "memory", pm->mem, pm->n_mem);
		ks_mb_rows(m, pm, "reserved", pm->res, pm->n_res);
		if (pm->mb_truncated)
			seq_printf(m, "note: truncated to %d regions per table\n",
				   KS_MAX_MEMBLOCK);
		if (pm->mb_changed)
			seq_puts(m, "note: memblock changed while it was copied (memory hotplug); the regions may mix two moments\n");
		if (pm->sections && !pm->memmap_located)
			seq_puts(m, "note: struct page array: not located (boot memory can be hot-removed on this kernel and its page tables cannot be walked safely from a module)\n");
		return 0;
	}
	seq_printf(m, "source: unavailable: %s\n", pm->mb_missing);
	seq_puts(m, "# closest truth: the resource tree's RAM map (/proc/iomem), which the firmware's\n");
	seq_puts(m, "# memory map and the kernel's boot reservations populated; no memblock region is shown\n");
	if (pm->iomem_err) {
		seq_printf(m, "iomem: unavailable (/proc/iomem: error %d)\n", pm->iomem_err);
		return 0;
	}
	seq_puts(m, "# iomem: base size depth name\n");
	for (i = 0; i < pm->n_io; i++) {
		const struct ks_iomem *e = &pm->io[i];

		if (!ks_is_system_ram(e) && !ks_iomem_kind(pm, e) &&
		    !(e->depth && !strcmp(e->name, "System RAM")))
			continue;
		seq_printf(m, "iomem: %#llx %#llx %u %s\n", ks_pa(pm, e->start),
			   e->end - e->start + 1, e->depth, e->name);
	}
	return 0;
}

KS_PHYSMEM_FOPS(ks_memblock);

/* ---- account ---------------------------------------------------------- */

static __printf(4, 5)
void ks_line(struct seq_file *m, const char *name, long pages,
	     const char *fmt, ...)
{
	va_list ap;

	seq_printf(m, "%-34s %9ld %10ld  ", name, pages, KS_PAGES_KB(pages));
	va_start(ap, fmt);
	seq_vprintf(m, fmt, ap);
	va_end(ap);
	seq_putc(m, '\n');
}

struct ks_ram_figures {
	long physical, nomap, kernel_image, dt_nomap_kb;
	const char *source;
	unsigned int regions;
};

static void ks_ram_figures(const struct ks_physmem *pm,
			   struct ks_ram_figures *f)
{
	struct ks_range k[16];
	unsigned int i, nk = 0;

	memset(f, 0, sizeof(*f));
	f->source = pm->ram_source;
	f->regions = pm->n_mem;
	for (i = 0; !pm->n_mem && i < pm->n_io; i++)
		f->regions += ks_is_system_ram(&pm->io[i]);
	/* Summed from the source, not from pm->ram, which may be truncated. */
	for (i = 0; i < pm->n_mem; i++) {
		struct ks_range x = { pm->mem[i].base, pm->mem[i].size };

		f->physical += ks_range_whole_pages(&x, PAGE_SHIFT);
	}
	for (i = 0; !pm->n_mem && i < pm->n_io; i++)
		if (ks_is_system_ram(&pm->io[i])) {
			struct ks_range x = ks_io_range(&pm->io[i]);

			f->physical += ks_range_whole_pages(&x, PAGE_SHIFT);
		}
	if (!f->physical) {
		f->source = "zones' present pages";
		for (i = 0; i < pm->n_zones; i++)
			f->physical += pm->zones[i].present;
	}
	for (i = 0; i < pm->n_mem; i++)
		if (pm->mem[i].flags & KS_MB_NOMAP) {
			struct ks_range x = { pm->mem[i].base, pm->mem[i].size };

			f->nomap += ks_range_whole_pages(&x, PAGE_SHIFT);
		}
	for (i = 0; i < pm->n_dt; i++)
		if (pm->dtr[i].reserved && pm->dtr[i].nomap && !pm->dtr[i].disabled)
			f->dt_nomap_kb += pm->dtr[i].size >> 10;
	for (i = 0; i < pm->n_io && nk < ARRAY_SIZE(k); i++)
		if (ks_is_kernel_section(pm->io[i].name))
			k[nk++] = ks_io_range(&pm->io[i]);
	nk = ks_ranges_normalize(k, nk);
	for (i = 0; i < nk; i++)
		f->kernel_image += ks_range_whole_pages(&k[i], PAGE_SHIFT);
}

/* The managed.* lines read from counters, in the order printed. */
enum {
	KS_M_FREE, KS_M_PCP, KS_M_SLAB_R, KS_M_SLAB_U, KS_M_VMALLOC,
	KS_M_PERCPU, KS_M_STACKS, KS_M_PGTABLES, KS_M_ANON, KS_M_FILE,
	KS_M_SHMEM, KS_M_SWAPCACHE, KS_M_HUGETLB, KS_NR_M,
};

struct ks_managed_line {
	const char *name;
	long pages;
	const char *source;
};

static long ks_kb_pages(long kb)
{
	return kb < 0 ? 0 : kb >> (PAGE_SHIFT - 10);
}

static void ks_managed_lines(const struct ks_physmem *pm,
			     struct ks_managed_line *l)
{
	long free = 0, pcp = 0, vmalloc = ks_kb_pages(pm->vmalloc_kb);
	unsigned int i;

	for (i = 0; i < pm->n_zones; i++) {
		free += pm->zones[i].free;
		pcp += pm->zones[i].pcp;
	}
	if (IS_ENABLED(CONFIG_VMAP_STACK))
		vmalloc -= pm->kernel_stack;
#define KS_M(i, n, p, s) (l[i] = (struct ks_managed_line){ "managed." n, p, s })
	KS_M(KS_M_FREE, "free", free, "zones' NR_FREE_PAGES (includes free CMA pages)");
	KS_M(KS_M_PCP, "free_pcp", pcp, "zones' per-CPU free lists");
	KS_M(KS_M_SLAB_R, "slab_reclaimable", pm->slab_reclaimable,
	     "NR_SLAB_RECLAIMABLE_B");
	KS_M(KS_M_SLAB_U, "slab_unreclaimable", pm->slab_unreclaimable,
	     "NR_SLAB_UNRECLAIMABLE_B (includes large kmalloc)");
	KS_M(KS_M_VMALLOC, "vmalloc", vmalloc, pm->vmalloc_kb < 0 ?
	     "unknown: /proc/meminfo has no VmallocUsed" :
	     IS_ENABLED(CONFIG_VMAP_STACK) ?
	     "/proc/meminfo VmallocUsed less kernel stacks (vmapped: counted below)" :
	     "/proc/meminfo VmallocUsed");
	KS_M(KS_M_PERCPU, "percpu", ks_kb_pages(pm->percpu_kb),
	     "/proc/meminfo Percpu (includes the first chunk, which boot_reserved holds: unexplained reads low by it)");
	KS_M(KS_M_STACKS, "kernel_stacks", pm->kernel_stack, "NR_KERNEL_STACK_KB");
	KS_M(KS_M_PGTABLES, "page_tables", pm->page_tables,
	     KS_COMPAT_PAGETABLE_SOURCE);
	KS_M(KS_M_ANON, "anon", pm->anon, "NR_ANON_MAPPED");
	KS_M(KS_M_FILE, "file_cache", pm->file - pm->shmem - pm->swapcache,
	     KS_COMPAT_HAS_NR_SWAPCACHE ?
	     "NR_FILE_PAGES - NR_SHMEM - NR_SWAPCACHE" :
	     "NR_FILE_PAGES - NR_SHMEM - /proc/meminfo SwapCached");
	KS_M(KS_M_SHMEM, "shmem", pm->shmem, "NR_SHMEM (tmpfs, shared anonymous memory)");
	KS_M(KS_M_SWAPCACHE, "swapcache", pm->swapcache,
	     KS_COMPAT_HAS_NR_SWAPCACHE ? "NR_SWAPCACHE" :
	     "/proc/meminfo SwapCached (no NR_SWAPCACHE on this kernel)");
	KS_M(KS_M_HUGETLB, "hugetlb", ks_kb_pages(pm->hugetlb_kb), "/proc/meminfo Hugetlb");
#undef KS_M
}

/*
 * The CMA areas and device pools inside the lines above: where each one's
 * pages are counted, and what the DMA buffers kmemscope lists hold of it.
 */
static void ks_account_pools(struct seq_file *m, const struct ks_physmem *pm)
{
	unsigned int i, j;

	if (!pm->n_pools)
		return;
	seq_puts(m, "\n# pool: name kind inside pages held free holders (pages; holders: module:pages of the listed DMA buffers)\n");
	for (i = 0; i < pm->n_pools; i++) {
		const struct ks_pool *p = &pm->pools[i];
		long pages = p->area.size >> PAGE_SHIFT;
		long free = p->area.free_pages >= 0 ? p->area.free_pages :
			    pages - (long)p->held_pages;

		seq_printf(m, "pool: %s %s %s %ld %lu %ld ", p->area.name,
			   p->area.kind == KS_AREA_CMA ? "cma" : "device_pool",
			   p->inside, pages, p->held_pages, free);
		if (!p->n_holders)
			seq_puts(m, "-");
		for (j = 0; j < p->n_holders; j++)
			seq_printf(m, "%s%s:%lu", j ? "," : "",
				   p->holders[j].module, p->holders[j].pages);
		seq_putc(m, '\n');
	}
	if (pm->pools_truncated)
		seq_printf(m, "note: pools: more than %d areas; the rest are not listed\n",
			   KS_MAX_POOLS);
}

static int ks_account_show(struct seq_file *m, void *v)
{
	const struct ks_physmem *pm = m->private;
	struct ks_ram_figures f;
	struct ks_managed_line rows[KS_NR_M];
	long managed = 0, present = 0, cma = 0, sum, boot, kernel_ram;
	bool cma_na = false;
	unsigned int i;

	ks_ram_figures(pm, &f);
	for (i = 0; i < pm->n_zones; i++) {
		managed += pm->zones[i].managed;
		present += pm->zones[i].present;
		if (pm->zones[i].cma < 0)
			cma_na = true;
		else
			cma += pm->zones[i].cma;
	}
	kernel_ram = f.physical - f.nomap;
	boot = kernel_ram - managed;

	seq_printf(m, "kmemscope account - version: %s\n", KS_ACCOUNT_VERSION);
	seq_printf(m, "page_size: %lu\n", PAGE_SIZE);
	seq_printf(m, "# %-32s %9s %10s  %s\n", "line", "pages", "kB", "source");

	seq_puts(m, "# physical RAM = nomap_reserved + kernel_ram\n");
	ks_line(m, "physical_ram", f.physical, "%s: %u range(s), whole pages",
		f.source, f.regions);
	if (pm->n_mem)
		ks_line(m, "nomap_reserved", f.nomap,
			"memblock.memory regions flagged nomap (device tree declares %ld kB no-map)",
			f.dt_nomap_kb);
	else if (pm->dt)
		ks_line(m, "nomap_reserved", 0,
			"unknown: no memblock here; device tree declares %ld kB no-map (see reserved)",
			f.dt_nomap_kb);
	else
		ks_line(m, "nomap_reserved", 0,
			"none: no device-tree no-map regions; firmware-reserved ranges lie outside System RAM (see reserved)");
	ks_line(m, "kernel_ram", kernel_ram, "= physical_ram - nomap_reserved");

	seq_puts(m, "# kernel_ram = boot_reserved + managed\n");
	ks_line(m, "boot_reserved", boot,
		"= kernel_ram - managed (never handed to the page allocator)");
	ks_line(m, "boot.kernel_image", f.kernel_image,
		"resource tree Kernel sections (code, rodata, data, bss; init is freed)");
	if (pm->sections)
		ks_line(m, "boot.struct_pages", pm->memmap_pages,
			"computed: %lu present sections x %lu pages x %zu bytes",
			pm->sections, pm->pages_per_section, sizeof(struct page));
	else
		ks_line(m, "boot.struct_pages", 0,
			"unknown: not a sparse vmemmap kernel (inside boot.other)");
	ks_line(m, "boot.other", boot - f.kernel_image - (long)pm->memmap_pages,
		"= boot_reserved - the lines above: percpu first chunk, early page tables, hash tables, log buffer, ...");

	seq_puts(m, "# managed = the managed.* lines\n");
	ks_line(m, "managed", managed, "zones' managed pages (%u zones)", pm->n_zones);
	ks_managed_lines(pm, rows);
	sum = 0;
	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ks_line(m, rows[i].name, rows[i].pages, "%s", rows[i].source);
		sum += rows[i].pages;
	}
	for (i = 0; i < pm->n_direct; i++) {
		char name[KS_NAME_LEN + 16];

		if (!pm->direct[i].pages)
			continue;
		snprintf(name, sizeof(name), "managed.direct.%s", pm->direct[i].module);
		ks_line(m, name, pm->direct[i].pages,
			"kmemscope: live alloc_pages() pages, allocated since load (%llu s ago)",
			pm->since_load_s);
		sum += pm->direct[i].pages;
	}
	for (i = 0; i < pm->n_direct; i++) {
		char name[KS_NAME_LEN + 16];

		if (!pm->direct[i].dma_pages)
			continue;
		snprintf(name, sizeof(name), "managed.dma.%s", pm->direct[i].module);
		ks_line(m, name, pm->direct[i].dma_pages,
			"kmemscope: live DMA API buffers from the page allocator and CMA, allocated since load");
		sum += pm->direct[i].dma_pages;
	}
	ks_line(m, "managed.unexplained", managed - sum,
		"= managed - the lines above: direct pages from before load, pages in flight, ...");

	seq_puts(m, "\n# zone: node name spanned present managed free free_pcp cma (pages)\n");
	for (i = 0; i < pm->n_zones; i++) {
		const struct ks_zone_info *z = &pm->zones[i];

		seq_printf(m, "zone: %d %s %lu %lu %lu %lu %lu ", z->nid,
			   z->name, z->spanned, z->present, z->managed, z->free,
			   z->pcp);
		if (z->cma < 0)
			seq_puts(m, "n/a\n");
		else
			seq_printf(m, "%ld\n", z->cma);
	}
	seq_puts(m, "\n# checks\n");
	seq_printf(m, "check: zones_present %ld vs physical_ram %ld: %s\n",
		   present, f.physical, present == f.physical ? "equal" : "differ");
	if (pm->n_mem && pm->dt)
		seq_printf(m, "check: nomap memblock %ld kB vs device tree %ld kB: %s\n",
			   KS_PAGES_KB(f.nomap), f.dt_nomap_kb,
			   KS_PAGES_KB(f.nomap) == f.dt_nomap_kb ? "equal" : "differ");
	if (cma_na)
		seq_puts(m, "note: cma n/a on this kernel (its zones do not count CMA pages)\n");
	else
		seq_printf(m, "note: cma %ld pages, inside managed (free CMA pages are in managed.free)\n",
			   cma);
	if (pm->direct_truncated)
		seq_puts(m, "note: direct pages of more modules than listed are in the last direct line\n");
	ks_account_pools(m, pm);
	return 0;
}

KS_PHYSMEM_FOPS(ks_account);
