// SPDX-License-Identifier: GPL-2.0
/*
 * dma.c - the dma file: the DMA API buffers drivers hold, per source, per
 * device and one row each.
 *
 * open() copies the table out (dmabuf.c: a batch of entries per lock hold)
 * and sums it; the reads format the copy (seqtable.c).  No lock of its
 * own.
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/sort.h>
#include <linux/string.h>

#include "dma.h"
#include "dmabuf.h"
#include "seqtable.h"
#include "state.h"
#include "versions.h"

enum ks_dma_row_type { KS_DMA_ROW_SOURCE, KS_DMA_ROW_DEVICE, KS_DMA_ROW_BUFFER };

/* One row of the file: a source, a device's totals, or one buffer. */
struct ks_dma_row {
	u8 type;			/* enum ks_dma_row_type */
	bool first;			/* the first of its type: its header */
	u8 src;
	long live_bytes, live_count;
	struct ks_dma_src_stats stats;	/* a source's */
	u64 age_ms;			/* a buffer's */
	size_t size;			/* a buffer's */
	const char *area;
	char dev[KS_DMA_NAME];
	char drv[KS_DMA_NAME];
	char mod[MODULE_NAME_LEN];
	char site[KS_DMA_SITE];
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

static struct ks_table *ks_dma_build(void)
{
	unsigned int max = KS_DMA_NR_SOURCES + 2 * KS_DMA_BUFFERS;
	u64 now = ks_store_stamp(&ks_store);
	struct ks_dma_src_stats stats[KS_DMA_NR_SOURCES];
	struct ks_dma_buf *batch;
	struct ks_dma_view *v;
	unsigned int i, j, k, n;

	v = kvzalloc(struct_size(v, rows, max), GFP_KERNEL);
	batch = kmalloc_array(KS_DMABUF_COPY_BATCH, sizeof(*batch), GFP_KERNEL);
	if (!v || !batch) {
		kvfree(v);
		kfree(batch);
		return NULL;
	}
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

			if (!b->addr)
				continue;
			d = ks_dma_device_row(v, b);
			d->live_bytes += b->bytes;
			d->live_count++;
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
	default:
		if (r->first)
			seq_puts(m, "\n# buffer: bytes size age_ms source device driver module call_site\n");
		seq_printf(m, "buffer: %ld %zu %llu %s %s %s %s %s\n",
			   r->live_bytes, r->size, r->age_ms, src, r->dev,
			   r->drv, r->mod, r->site);
		break;
	}
	return 0;
}

KS_DEFINE_TABLE_VIEW(ks_dma, ks_dma_build(), ks_dma_show);
