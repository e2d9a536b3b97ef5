// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - the dma file: the DMA API buffers drivers hold, per source, per
 * device and one row each; then the CMA areas and device pools they come
 * from, with what is free in them and who holds them.
 *
 * open() copies the table out (dmabuf.c: a batch of entries per lock hold)
 * and sums it, reads the areas (physmem.c) and gives each buffer its area:
 * a CMA buffer by the area's name (the only CMA area when the kernel's
 * event names none, 5.10), a device pool's by its address.  The reads
 * format the copy (seqtable.c).  No lock of its own.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "dma.h"
#include "dmabuf.h"
#include "physmem.h"
#include "seqtable.h"
#include "state.h"
#include "versions.h"

enum ks_dma_row_type {
	KS_DMA_ROW_SOURCE, KS_DMA_ROW_DEVICE, KS_DMA_ROW_BUFFER,
	KS_DMA_ROW_AREA, KS_DMA_ROW_HOLDER,
};

/*
 * One row of the file: a source, a device's totals, one buffer, an area,
 * or what one module holds of an area through one device.
 */
struct ks_dma_row {
	u8 type;			/* enum ks_dma_row_type */
	bool first;			/* the first of its type: its header */
	u8 src;
	u8 kind;			/* an area's: enum ks_dma_area_kind */
	int area_idx;			/* an area's, a holder's: its order */
	u64 area_size;			/* an area's */
	long free_pages;		/* an area's, -1: not known */
	long live_bytes, live_count;
	struct ks_dma_src_stats stats;	/* a source's */
	u64 age_ms;			/* a buffer's */
	size_t size;			/* a buffer's */
	const char *area;
	char dev[KS_DMA_NAME];
	char drv[KS_DMA_NAME];
	char mod[MODULE_NAME_LEN];
	char site[KS_DMA_SITE];		/* a buffer's; an area's name */
};

struct ks_dma_view {
	struct ks_table t;		/* first: seqtable.h */
	unsigned int n;
	unsigned int listed;
	unsigned long not_listed, frees_missed;
	struct ks_dma_row rows[];
};

/* Devices by live bytes; buffers by bytes, then by device. */
static int ks_dma_row_cmp(const void *a, const void *b)
{
	const struct ks_dma_row *x = a, *y = b;

	if (x->type != y->type)
		return x->type - y->type;
	if (x->type == KS_DMA_ROW_SOURCE)
		return x->src - y->src;
	if (x->type == KS_DMA_ROW_AREA)
		return x->area_idx - y->area_idx;
	if (x->type == KS_DMA_ROW_HOLDER && x->area_idx != y->area_idx)
		return x->area_idx - y->area_idx;
	if (x->live_bytes != y->live_bytes)
		return x->live_bytes < y->live_bytes ? 1 : -1;
	return strcmp(x->dev, y->dev);
}

static const char *ks_dma_src_name(u8 src, const char *area, char *buf,
				   size_t len)
{
	if (src == KS_DMA_CMA && area) {
		snprintf(buf, len, "cma:%s", area);
		return buf;
	}
	return src < KS_DMA_NR_SOURCES ? ks_dma_source_names[src] : "?";
}

/* The device row of @b in @v (found or added; there is always room). */
static struct ks_dma_row *ks_dma_device_row(struct ks_dma_view *v,
					    const struct ks_dma_buf *b)
{
	struct ks_dma_row *r;
	unsigned int i;

	for (i = 0; i < v->n; i++) {
		r = &v->rows[i];
		if (r->type == KS_DMA_ROW_DEVICE && r->src == b->src &&
		    r->area == b->area && !strcmp(r->dev, b->dev) &&
		    !strcmp(r->drv, b->drv) && !strcmp(r->mod, b->mod))
			return r;
	}
	r = &v->rows[v->n++];
	memset(r, 0, sizeof(*r));
	r->type = KS_DMA_ROW_DEVICE;
	r->src = b->src;
	r->area = b->area;
	strscpy(r->dev, b->dev, sizeof(r->dev));
	strscpy(r->drv, b->drv, sizeof(r->drv));
	strscpy(r->mod, b->mod, sizeof(r->mod));
	return r;
}

/* The holder row of @b in area @idx (found or added). */
static struct ks_dma_row *ks_dma_holder_row(struct ks_dma_view *v,
					    const struct ks_dma_buf *b, int idx)
{
	struct ks_dma_row *r;
	unsigned int i;

	for (i = 0; i < v->n; i++) {
		r = &v->rows[i];
		if (r->type == KS_DMA_ROW_HOLDER && r->area_idx == idx &&
		    !strcmp(r->dev, b->dev) && !strcmp(r->mod, b->mod))
			return r;
	}
	r = &v->rows[v->n++];
	memset(r, 0, sizeof(*r));
	r->type = KS_DMA_ROW_HOLDER;
	r->area_idx = idx;
	strscpy(r->site, v->rows[idx].site, sizeof(r->site));
	strscpy(r->dev, b->dev, sizeof(r->dev));
	strscpy(r->mod, b->mod, sizeof(r->mod));
	return r;
}

/* The area rows (their index is their order), before any buffer. */
static void ks_dma_area_rows(struct ks_dma_view *v, const struct ks_dma_area *a,
			     int n)
{
	int i;

	for (i = 0; i < n; i++) {
		struct ks_dma_row *r = &v->rows[v->n++];

		memset(r, 0, sizeof(*r));
		r->type = KS_DMA_ROW_AREA;
		r->kind = a[i].kind;
		r->area_idx = i;
		r->area_size = a[i].size;
		r->free_pages = a[i].free_pages;
		strscpy(r->site, a[i].name, sizeof(r->site));
	}
}

static struct ks_table *ks_dma_build(void)
{
	unsigned int max = KS_DMA_NR_SOURCES + 3 * KS_DMA_BUFFERS +
			   KS_MAX_DMA_AREAS;
	u64 now = ks_store_stamp(&ks_store);
	struct ks_dma_src_stats stats[KS_DMA_NR_SOURCES];
	struct ks_dma_area *areas;
	struct ks_dma_buf *batch;
	struct ks_dma_view *v;
	unsigned int i, j, k, n;
	int n_areas = -ENOMEM;

	v = kvzalloc(struct_size(v, rows, max), GFP_KERNEL);
	batch = kmalloc_array(KS_DMABUF_COPY_BATCH, sizeof(*batch), GFP_KERNEL);
	areas = kvcalloc(KS_MAX_DMA_AREAS, sizeof(*areas), GFP_KERNEL);
	if (areas)
		n_areas = ks_physmem_dma_areas(areas, KS_MAX_DMA_AREAS);
	if (!v || !batch || n_areas < 0) {
		kvfree(v);
		kfree(batch);
		kvfree(areas);
		return NULL;
	}
	ks_dma_area_rows(v, areas, n_areas);
	ks_dmabuf_stats(stats, &v->not_listed, &v->frees_missed);
	for (k = 0; k < KS_DMA_NR_SOURCES; k++) {
		struct ks_dma_row *r = &v->rows[v->n++];

		r->type = KS_DMA_ROW_SOURCE;
		r->src = k;
		r->stats = stats[k];
	}
	for (i = 0; (n = ks_dmabuf_copy(i, batch, KS_DMABUF_COPY_BATCH)); i += n) {
		for (j = 0; j < n; j++) {
			const struct ks_dma_buf *b = &batch[j];
			struct ks_dma_row *r, *d;
			int a;

			if (!b->addr)
				continue;
			d = ks_dma_device_row(v, b);
			d->live_bytes += b->bytes;
			d->live_count++;
			a = ks_dmabuf_area_of(b, areas, n_areas);
			if (a >= 0) {
				v->rows[a].live_bytes += b->bytes;
				v->rows[a].live_count++;
				d = ks_dma_holder_row(v, b, a);
				d->live_bytes += b->bytes;
				d->live_count++;
			}
			r = &v->rows[v->n++];
			memset(r, 0, sizeof(*r));
			r->type = KS_DMA_ROW_BUFFER;
			r->src = b->src;
			r->area = b->area;
			r->live_bytes = b->bytes;
			r->live_count = 1;
			r->size = b->size;
			r->age_ms = ks_stamp_ms(b->ts, now);
			strscpy(r->dev, b->dev, sizeof(r->dev));
			strscpy(r->drv, b->drv, sizeof(r->drv));
			strscpy(r->mod, b->mod, sizeof(r->mod));
			strscpy(r->site, b->site, sizeof(r->site));
			v->listed++;
		}
		cond_resched();
	}
	kfree(batch);
	kvfree(areas);
	sort(v->rows, v->n, sizeof(v->rows[0]), ks_dma_row_cmp, NULL);
	for (i = 0; i < v->n; i++)
		v->rows[i].first = !i || v->rows[i].type != v->rows[i - 1].type;
	v->t.n = v->n;
	v->t.size = sizeof(v->rows[0]);
	v->t.rows = v->rows;
	return &v->t;
}

static int ks_dma_show(struct seq_file *m, void *v)
{
	const struct ks_dma_row *r = v;
	struct ks_dma_view *dv;
	char buf[KS_DMA_NAME + 8];
	const char *src;

	if (v == SEQ_START_TOKEN) {
		dv = container_of(((struct seq_file *)m)->private,
				  struct ks_dma_view, t);
		seq_printf(m, "kmemscope dma - version: %s\n", KS_DMA_VERSION);
		seq_printf(m, "buffers: %u listed, %lu not listed (the table holds %u), %lu frees missed\n",
			   dv->listed, dv->not_listed, KS_DMA_BUFFERS,
			   dv->frees_missed);
		return 0;
	}
	src = ks_dma_src_name(r->src, r->area, buf, sizeof(buf));
	switch (r->type) {
	case KS_DMA_ROW_SOURCE:
		if (r->first)
			seq_puts(m, "\n# source: name live_bytes live_count allocs frees peak_bytes\n");
		seq_printf(m, "source: %s %ld %ld %ld %ld %ld\n", src,
			   r->stats.live_bytes, r->stats.live_count,
			   r->stats.allocs, r->stats.frees,
			   r->stats.peak_bytes);
		break;
	case KS_DMA_ROW_DEVICE:
		if (r->first)
			seq_puts(m, "\n# device: live_bytes live_count source device driver module\n");
		seq_printf(m, "device: %ld %ld %s %s %s %s\n", r->live_bytes,
			   r->live_count, src, r->dev, r->drv, r->mod);
		break;
	case KS_DMA_ROW_BUFFER:
		if (r->first)
			seq_puts(m, "\n# buffer: bytes size age_ms source device driver module call_site\n");
		seq_printf(m, "buffer: %ld %zu %llu %s %s %s %s %s\n",
			   r->live_bytes, r->size, r->age_ms, src, r->dev,
			   r->drv, r->mod, r->site);
		break;
	case KS_DMA_ROW_AREA:
		if (r->first)
			seq_puts(m, "\n# area: name kind size_bytes free_bytes held_bytes held_count other_bytes\n");
		seq_printf(m, "area: %s %s %llu ", r->site,
			   r->kind == KS_AREA_CMA ? "cma" : "device_pool",
			   r->area_size);
		if (r->free_pages >= 0)
			/* CMA: the buddy lists'; the rest lent or unseen */
			seq_printf(m, "%llu %ld %ld %lld\n",
				   (u64)r->free_pages << PAGE_SHIFT,
				   r->live_bytes, r->live_count,
				   (s64)r->area_size - r->live_bytes -
				   ((s64)r->free_pages << PAGE_SHIFT));
		else
			/* a pool: what no listed buffer holds */
			seq_printf(m, "%lld %ld %ld -\n",
				   (s64)r->area_size - r->live_bytes,
				   r->live_bytes, r->live_count);
		break;
	default:
		if (r->first)
			seq_puts(m, "\n# holder: area module device live_bytes live_count\n");
		seq_printf(m, "holder: %s %s %s %ld %ld\n",
			   r->site, r->mod, r->dev,
			   r->live_bytes, r->live_count);
		break;
	}
	return 0;
}

KS_DEFINE_TABLE_VIEW(ks_dma, ks_dma_build(), ks_dma_show);
