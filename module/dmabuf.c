// SPDX-License-Identifier: GPL-2.0
/*
 * dmabuf.c - the DMA API buffers drivers hold now, by device and by what
 * served them: the table the dma file (dma.c) copies out.
 *
 * The store keeps each DMA buffer's record (its bytes, call site and
 * module: callers, modules, leaks, the account).  This file keeps what
 * the store does not: the device the buffer was taken for and its driver
 * (their names, copied when the buffer is taken: the device may be gone
 * when the file is read), what served it (enum ks_dma_source, and a CMA
 * area's name), and its module and call site as text, so that a buffer
 * an unloaded module left behind still names them.
 *
 * Data: a table of KS_DMA_BUFFERS entries set aside at load; a free entry
 * has addr 0.  A buffer is looked for by a walk of the table: DMA
 * buffers are taken and given back seldom (at probe, open and remove), and
 * the walk is bounded.  A buffer that finds the table full is counted
 * (not_listed) and is in no figure of the dma file (its record is in the
 * store's views).  Per source, over the listed buffers: live bytes and
 * count, allocations, frees and the peak, since load or reset.
 *
 * Locking: ks_dma_lock, a raw spinlock, taken with interrupts off (from
 * the DMA hooks, inside their ks_enter(), and by readers with
 * raw_spin_lock_irqsave()).  In NMI context (x86 kprobes that are int3s)
 * it is only tried; a free that finds it busy leaves the entry (counted:
 * frees_missed).  Readers copy KS_DMABUF_COPY_BATCH entries a lock hold,
 * then format with no lock held (ks_dmabuf_copy()).
 */
#include <linux/kallsyms.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <linux/vmalloc.h>

#include "dmabuf.h"
#include "owner.h"
#include "state.h"

static DEFINE_RAW_SPINLOCK(ks_dma_lock);
static struct ks_dma_buf *ks_dma_bufs;
static unsigned int ks_dma_used;
static struct ks_dma_src_stats ks_dma_stats[KS_DMA_NR_SOURCES];
static unsigned long ks_dma_not_listed;
static unsigned long ks_dma_frees_missed;
static DEFINE_PER_CPU(char [KSYM_SYMBOL_LEN], ks_dma_symbuf);

/* Context: process, at load, before the hooks. */
int ks_dmabuf_init(void)
{
	ks_dma_bufs = vzalloc(array_size(KS_DMA_BUFFERS, sizeof(*ks_dma_bufs)));
	return ks_dma_bufs ? 0 : -ENOMEM;
}

/* Context: process, after the hooks are gone. */
void ks_dmabuf_exit(void)
{
	vfree(ks_dma_bufs);
	ks_dma_bufs = NULL;
}

/* The memory the table takes. */
size_t ks_dmabuf_table_bytes(void)
{
	return KS_DMA_BUFFERS * sizeof(*ks_dma_bufs);
}

/* Context: process, while the probes are paused (reset.c). */
void ks_dmabuf_reset(void)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ks_dma_lock, flags);
	memset(ks_dma_bufs, 0, ks_dmabuf_table_bytes());
	memset(ks_dma_stats, 0, sizeof(ks_dma_stats));
	ks_dma_used = 0;
	ks_dma_not_listed = 0;
	ks_dma_frees_missed = 0;
	raw_spin_unlock_irqrestore(&ks_dma_lock, flags);
}

/*
 * "func+0x1c/0x50 [mod]" into @b's site ("func+0x1c") and module.  The
 * module is named by owner.h, as in every view.
 */
static void ks_dma_name_site(struct ks_dma_buf *b, unsigned long call_site)
{
	char *sym = this_cpu_ptr(ks_dma_symbuf);
	char *end;

	sprint_symbol(sym, call_site);
	/* No symbol: a bare address, which this file never prints. */
	if (!strchr(sym, '+')) {
		strscpy(b->mod, "unknown", sizeof(b->mod));
		strscpy(b->site, "[unknown]", sizeof(b->site));
		return;
	}
	ks_owner_of(sym, b->mod, sizeof(b->mod));
	end = strpbrk(sym, "/ ");
	if (end)
		*end = '\0';
	strscpy(b->site, sym, sizeof(b->site));
}

/**
 * ks_dmabuf_note - a DMA buffer was taken
 * @addr: what the driver frees it with (CPU address or struct page *)
 * @dev: the device it was taken for (may be NULL)
 * @src: what served it (enum ks_dma_source)
 * @area: the CMA area's name, or NULL
 * @phys: a device pool's buffer: its physical address (its pool's name is
 *	found from it when the file is read); else 0
 * @call_site: the driver's call site (past the wrappers)
 * @bytes: what served it holds
 * @size: what the driver asked for
 *
 * The entry is made before the lock is taken; the lock covers the walk.
 * Context: a DMA hook, inside ks_enter() (interrupts off, not NMI).
 */
void ks_dmabuf_note(unsigned long addr, struct device *dev, u8 src,
		    const char *area, u64 phys, unsigned long call_site,
		    size_t bytes, size_t size)
{
	struct ks_dma_buf nb = {
		.addr = addr, .ts = ks_store_stamp(&ks_store), .bytes = bytes,
		.size = size, .src = src, .area = area, .phys = phys,
	};
	struct ks_dma_src_stats *st;
	struct ks_dma_buf *b = NULL;
	unsigned int i;

	if (!ks_dma_bufs || src >= KS_DMA_NR_SOURCES)
		return;
	strscpy(nb.dev, dev ? dev_name(dev) : "-", sizeof(nb.dev));
	strscpy(nb.drv, dev && dev->driver ? dev->driver->name : "-",
		sizeof(nb.drv));
	ks_dma_name_site(&nb, call_site);

	raw_spin_lock(&ks_dma_lock);
	for (i = 0; i < KS_DMA_BUFFERS; i++) {
		/* An entry a missed free left at this address: replaced. */
		if (ks_dma_bufs[i].addr == addr) {
			b = &ks_dma_bufs[i];
			st = &ks_dma_stats[b->src];
			st->live_count--;
			st->live_bytes -= b->bytes;
			ks_dma_used--;
			break;
		}
		if (!b && !ks_dma_bufs[i].addr)
			b = &ks_dma_bufs[i];
	}
	if (b) {
		*b = nb;
		ks_dma_used++;
		st = &ks_dma_stats[src];
		st->allocs++;
		st->live_count++;
		st->live_bytes += bytes;
		st->peak_bytes = max(st->peak_bytes, st->live_bytes);
	} else {
		ks_dma_not_listed++;
	}
	raw_spin_unlock(&ks_dma_lock);
}

/**
 * ks_dmabuf_forget - a DMA buffer was given back
 * @addr: what the driver freed it with
 *
 * Context: a DMA hook, inside ks_enter(); in NMI context the lock is only
 * tried.
 */
void ks_dmabuf_forget(unsigned long addr)
{
	struct ks_dma_src_stats *st;
	unsigned int i;

	if (!ks_dma_bufs)
		return;
	if (in_nmi()) {
		if (!raw_spin_trylock(&ks_dma_lock)) {
			ks_dma_frees_missed++;	/* racy: a hint only */
			return;
		}
	} else {
		raw_spin_lock(&ks_dma_lock);
	}
	for (i = 0; i < KS_DMA_BUFFERS && ks_dma_used; i++) {
		struct ks_dma_buf *b = &ks_dma_bufs[i];

		if (b->addr != addr)
			continue;
		st = &ks_dma_stats[b->src];
		st->frees++;
		st->live_count--;
		st->live_bytes -= b->bytes;
		b->addr = 0;
		ks_dma_used--;
		break;
	}
	raw_spin_unlock(&ks_dma_lock);
}

/**
 * ks_dmabuf_stats - the per-source figures and the table's counters
 * @stats: output, KS_DMA_NR_SOURCES entries
 * @not_listed: output, buffers that found the table full
 * @frees_missed: output, frees given up in NMI context
 *
 * Context: process.
 */
void ks_dmabuf_stats(struct ks_dma_src_stats *stats, unsigned long *not_listed,
		     unsigned long *frees_missed)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&ks_dma_lock, flags);
	memcpy(stats, ks_dma_stats, sizeof(ks_dma_stats));
	*not_listed = ks_dma_not_listed;
	*frees_missed = ks_dma_frees_missed;
	raw_spin_unlock_irqrestore(&ks_dma_lock, flags);
}

/**
 * ks_dmabuf_area_of - the CMA area or device pool that served a buffer
 * @b: a buffer copied out of the table
 * @a: the areas (ks_physmem_dma_areas())
 * @n: how many
 *
 * A CMA buffer by its area's name (the only CMA area when the kernel's
 * event named none, 5.10); a device pool's by its address.
 * Return: the area's index in @a; -1 for none (the page allocator), or
 * one kmemscope cannot name (a CMA area not in @a, an address outside
 * every pool).  Context: any.
 */
int ks_dmabuf_area_of(const struct ks_dma_buf *b, const struct ks_dma_area *a,
		      int n)
{
	int i, found = -1, cma = 0;

	for (i = 0; i < n; i++) {
		if (b->src == KS_DMA_CMA && a[i].kind == KS_AREA_CMA) {
			if (b->area && !strcmp(b->area, a[i].name))
				return i;
			cma++;
			found = i;
		}
		if (b->src == KS_DMA_DEVICE_POOL &&
		    a[i].kind == KS_AREA_DEVICE_POOL && b->phys >= a[i].base &&
		    b->phys - a[i].base < a[i].size)
			return i;
	}
	/* The kernel's event named no area (5.10): the only one. */
	return b->src == KS_DMA_CMA && !b->area && cma == 1 ? found : -1;
}

/**
 * ks_dmabuf_copy - copy table entries out, used or not
 * @start: the first entry
 * @out: room for @max entries
 * @max: at most KS_DMABUF_COPY_BATCH: one lock hold
 *
 * Context: process.  Return: entries copied (0 past the end).
 */
unsigned int ks_dmabuf_copy(unsigned int start, struct ks_dma_buf *out,
			    unsigned int max)
{
	unsigned long flags;
	unsigned int n;

	if (!ks_dma_bufs || start >= KS_DMA_BUFFERS)
		return 0;
	n = min3(max, (unsigned int)KS_DMABUF_COPY_BATCH, KS_DMA_BUFFERS - start);
	raw_spin_lock_irqsave(&ks_dma_lock, flags);
	memcpy(out, &ks_dma_bufs[start], n * sizeof(*out));
	raw_spin_unlock_irqrestore(&ks_dma_lock, flags);
	return n;
}
