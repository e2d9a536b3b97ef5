// SPDX-License-Identifier: GPL-2.0
/*
 * sampler.c - the growth sampler: off by default; when on, it records
 * every site's live bytes each interval into a bounded history (sites x
 * window), and trend.c's test finds the sites that keep growing (the
 * `growing:` rows of the leaks file).
 *
 * Locking: ks_sampler_lock (a mutex) protects the history and the
 * settings; the sampler is a delayed work (process context).  The history
 * is allocated when the sampler is turned on and freed when it is turned
 * off.  ks_sample_interval_s and ks_sample_window are written under the
 * lock; control.c reads them under its own lock (every change comes
 * through it), the views with READ_ONCE() (a moment's value).  Lock order:
 * control.c's ks_control_lock, then reset.c's ks_reset_lock, then
 * ks_sampler_lock.
 */
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/vmalloc.h>
#include <linux/workqueue.h>

#include "sampler.h"
#include "state.h"

unsigned long ks_sample_interval_s;
unsigned int ks_sample_window = 16;

static DEFINE_MUTEX(ks_sampler_lock);
static struct delayed_work ks_sampler_work;
static u32 *ks_hist;			/* rows x window live bytes (clamped) */
static unsigned long *ks_hist_key;	/* per row: the site's key when seen */
static u32 *ks_hist_first;		/* per row: sample when the key came */
static unsigned int ks_hist_rows;	/* = site table slots */
static unsigned int ks_hist_window;
static u32 ks_samples;			/* taken since (re)start or reset */

size_t ks_sampler_bytes(void)
{
	return (size_t)ks_hist_rows * (ks_hist_window * sizeof(*ks_hist) +
		sizeof(*ks_hist_key) + sizeof(*ks_hist_first));
}

u32 ks_sampler_samples(void)
{
	return READ_ONCE(ks_samples);
}

static void ks_sampler_free(void)
{
	vfree(ks_hist);
	vfree(ks_hist_key);
	vfree(ks_hist_first);
	ks_hist = NULL;
	ks_hist_key = NULL;
	ks_hist_first = NULL;
	ks_hist_rows = 0;
	ks_hist_window = 0;
	ks_samples = 0;
}

/* One sample of every site.  Context: process, ks_sampler_lock held. */
static void ks_sample_once(void)
{
	unsigned int i, pos = ks_samples % ks_hist_window;
	struct ks_site_snap s;

	ks_store_settle(&ks_store);
	for (i = 0; i < ks_hist_rows; i++) {
		u32 v = 0;

		if (ks_store_read_site(&ks_store, i, &s) &&
		    s.class == KS_CLASS_OBJECT) {
			if (ks_hist_key[i] != s.key) {
				ks_hist_key[i] = s.key;
				ks_hist_first[i] = ks_samples;
			}
			v = clamp_val(s.live_bytes, 0, U32_MAX);
		} else {
			ks_hist_key[i] = 0;
		}
		ks_hist[i * ks_hist_window + pos] = v;
	}
	ks_samples++;
}

static void ks_sampler_fn(struct work_struct *w)
{
	unsigned long interval;

	mutex_lock(&ks_sampler_lock);
	interval = ks_sample_interval_s;
	if (ks_hist && interval)
		ks_sample_once();
	mutex_unlock(&ks_sampler_lock);
	if (interval)
		schedule_delayed_work(&ks_sampler_work, interval * HZ);
}

/**
 * ks_sampler_set - start, stop or reconfigure the growth sampler
 * @interval: seconds between samples, 0 to stop (and free the history)
 * @window: samples the trend test looks at
 *
 * A new window starts a new history.  Context: process.
 * Return: 0, or -ENOMEM (the sampler is then off).
 */
int ks_sampler_set(unsigned long interval, unsigned int window)
{
	unsigned int rows = 1U << ks_store.site_bits;
	int ret = 0;

	cancel_delayed_work_sync(&ks_sampler_work);
	mutex_lock(&ks_sampler_lock);
	if (!interval || window != ks_hist_window)
		ks_sampler_free();
	if (interval && !ks_hist) {
		ks_hist = vzalloc(array3_size(rows, window, sizeof(*ks_hist)));
		ks_hist_key = vzalloc(array_size(rows, sizeof(*ks_hist_key)));
		ks_hist_first = vzalloc(array_size(rows, sizeof(*ks_hist_first)));
		if (!ks_hist || !ks_hist_key || !ks_hist_first) {
			ks_sampler_free();
			interval = 0;
			ret = -ENOMEM;
		} else {
			ks_hist_rows = rows;
			ks_hist_window = window;
		}
	}
	ks_sample_interval_s = interval;
	ks_sample_window = window;
	if (interval)
		ks_sample_once();
	mutex_unlock(&ks_sampler_lock);
	if (interval)
		schedule_delayed_work(&ks_sampler_work, interval * HZ);
	return ret;
}

/* Forget the history (the store was reset).  Context: process. */
void ks_sampler_reset(void)
{
	mutex_lock(&ks_sampler_lock);
	if (ks_hist) {
		memset(ks_hist, 0, array3_size(ks_hist_rows, ks_hist_window,
					       sizeof(*ks_hist)));
		memset(ks_hist_key, 0, ks_hist_rows * sizeof(*ks_hist_key));
		ks_samples = 0;
	}
	mutex_unlock(&ks_sampler_lock);
}

/*
 * The sites whose last window of samples is growing, into out[max].
 * Context: process.  Return: how many (at most max).
 */
unsigned int ks_find_growing(struct ks_growing *out, unsigned int max)
{
	long x[KS_TREND_MAX_WINDOW];
	unsigned int i, k, n = 0, w;

	mutex_lock(&ks_sampler_lock);
	w = ks_hist_window;
	for (i = 0; ks_hist && i < ks_hist_rows && n < max; i++) {
		struct ks_trend t;

		if (!ks_hist_key[i] || ks_samples < w ||
		    ks_hist_first[i] > ks_samples - w)
			continue;
		for (k = 0; k < w; k++)
			x[k] = ks_hist[i * w + (ks_samples - w + k) % w];
		ks_trend_test(x, w, &t);
		if (!t.growing)
			continue;
		out[n].row = i;
		out[n].t = t;
		out[n].live = x[w - 1];
		n++;
	}
	mutex_unlock(&ks_sampler_lock);
	return n;
}

/* Context: module init, before anything can start the sampler. */
void ks_sampler_init(void)
{
	INIT_DELAYED_WORK(&ks_sampler_work, ks_sampler_fn);
}

/* Stop the sampler and free its history.  Context: process. */
void ks_sampler_exit(void)
{
	ks_sampler_set(0, ks_sample_window);
}
