// SPDX-License-Identifier: GPL-2.0
/*
 * procfs.c - the one place kmemscope reads a /proc file (meminfo, iomem),
 * from a procfs instance of its own (ks_read_proc() says why).
 *
 * No locks, no globals.  Context: process (mounts, sleeps, allocates).
 */
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mount.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "procfs.h"
#include "format.h"
#include "compat.h"

/**
 * ks_read_proc - read a procfs file whole, from a procfs kmemscope mounts
 * @name: the file's path below the procfs root ("meminfo", "iomem")
 * @buf: where to put it; always NUL-terminated
 * @size: bytes in @buf (at least 1)
 *
 * The one place kmemscope opens a /proc file.  It does not open "/proc/..."
 * by path: that path resolves in the reader's mount namespace, where /proc
 * or a file in it may be another filesystem (LXCFS and other FUSE servers
 * mount their own meminfo over it) that lies about the numbers or blocks
 * the reader.  Instead each call mounts a private procfs instance
 * (vfs_kern_mount(), SB_KERNMOUNT: attached to no namespace, so nothing
 * can be mounted over it) and opens the file from its root with
 * file_open_root_mnt(); the mount goes with its last reference after the
 * read.  A mount per read costs a superblock, which is cheap next to
 * formatting a view, and leaves no state to tear down at unload.  The file
 * is opened with the caller's credentials: /proc/iomem shows addresses only
 * to CAP_SYS_ADMIN, so account.c takes its snapshot with the kernel's and
 * decides itself what the opener sees.  The instance belongs to the reader's
 * pid namespace, which neither file depends on.
 *
 * Returns the bytes read (at most @size - 1; @size - 1 may mean the file
 * was longer), or a negative errno if nothing could be read.
 * Context: process (mounts, sleeps, allocates).
 */
ssize_t ks_read_proc(const char *name, char *buf, size_t size)
{
	struct file_system_type *proc;
	struct vfsmount *mnt;
	struct file *f;
	loff_t pos = 0;
	size_t len = 0;
	ssize_t n = 0;

	buf[0] = '\0';
	proc = get_fs_type("proc");
	if (!proc)
		return -ENOENT;
	mnt = vfs_kern_mount(proc, SB_KERNMOUNT, proc->name, NULL);
	module_put(proc->owner);	/* get_fs_type()'s; procfs is built in */
	if (IS_ERR(mnt))
		return PTR_ERR(mnt);
	f = ks_compat_file_open_root_mnt(mnt, name, O_RDONLY, 0);
	if (IS_ERR(f)) {
		mntput(mnt);
		return PTR_ERR(f);
	}
	while (len < size - 1) {
		n = kernel_read(f, buf + len, size - 1 - len, &pos);
		if (n <= 0)
			break;
		len += n;
	}
	filp_close(f, NULL);
	mntput(mnt);
	buf[len] = '\0';
	return (n < 0 && !len) ? n : len;
}

/*
 * Read /proc/meminfo from kmemscope's own procfs (ks_read_proc() says why),
 * for the summary's cross-check and the account: VmallocUsed, Percpu and
 * Hugetlb have no exported counter to read instead.  Context: process.
 */
void ks_read_meminfo(struct ks_meminfo *mi)
{
	char *buf;

	memset(mi, 0, sizeof(*mi));
	buf = kmalloc(PAGE_SIZE, GFP_KERNEL);
	if (!buf)
		return;
	if (ks_read_proc("meminfo", buf, PAGE_SIZE) > 0) {
		mi->slab = ks_meminfo_field(buf, "\nSlab:");
		mi->vmalloc_used = ks_meminfo_field(buf, "\nVmallocUsed:");
		mi->percpu = ks_meminfo_field(buf, "\nPercpu:");
		mi->hugetlb = ks_meminfo_field(buf, "\nHugetlb:");
		mi->swap_cached = ks_meminfo_field(buf, "\nSwapCached:");
		mi->cma_total = ks_meminfo_field(buf, "\nCmaTotal:");
		mi->ok = true;
	}
	kfree(buf);
}
