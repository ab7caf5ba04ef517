/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What every unit of the sigil LSM needs: the LSM's identity, its mode
 * switches and its parts of the kernel objects' security blobs.  Each unit
 * declares its own interface in its own header (eval.h, cache.h, ...).
 * Include this first: it sets the log prefix.
 */
#ifndef _SIGIL_LSM_H
#define _SIGIL_LSM_H

#define pr_fmt(fmt) "sigil: " fmt

#include <linux/blk_types.h>
#include <linux/fs.h>
#include <linux/lsm_hooks.h>
#include <linux/sched.h>
#include <linux/spinlock.h>

/* Version of the securityfs interface; bumped on incompatible changes. */
#define SIGIL_ABI_VERSION	1

extern const struct lsm_id sigil_lsmid;
extern struct lsm_blob_sizes sigil_blob_sizes;
extern bool sigil_enabled;
extern bool sigil_enforce;
extern bool sigil_success_audit;

/* ---- security blobs ---- */

/**
 * struct sigil_superblock - sigil's part of a super_block's security blob
 * @initramfs: this is the rootfs that the kernel unpacked the initramfs
 *	       into; the regular files that the unpacking created, and that
 *	       nobody wrote since, are boot_verified
 */
struct sigil_superblock {
	bool initramfs;
};

static inline struct sigil_superblock *sigil_sb(const struct super_block *sb)
{
	return sb->s_security + sigil_blob_sizes.lbs_superblock;
}

struct sigil_verdict;
struct sigil_blob;

/* Bits of sigil_inode.flags. */
enum sigil_inode_flag {
	/* created while the initramfs was unpacked, and unchanged since */
	SIGIL_INODE_BOOT,
};

/**
 * struct sigil_inode - sigil's part of an inode's security blob
 * @lock: serializes changes to @verdict and @fsverity_sig
 * @id: names this inode, and no other, ever (its first generation)
 * @gen: bumped after each change to the content or signatures
 * @verdict: the cached verification results, or NULL
 * @fsverity_sig: the fs-verity builtin signature, NULL, or
 *		  ERR_PTR(-ENOMEM) when it could not be kept
 * @flags: enum sigil_inode_flag bits
 */
struct sigil_inode {
	spinlock_t lock;	/* protects verdict and fsverity_sig updates */
	u64 id;
	atomic64_t gen;
	struct sigil_verdict __rcu *verdict;
	struct sigil_blob *fsverity_sig;
	unsigned long flags;
};

static inline struct sigil_inode *sigil_inode(const struct inode *inode)
{
	return inode->i_security + sigil_blob_sizes.lbs_inode;
}

/* Bits of sigil_file.flags. */
enum sigil_file_flag {
	/* holds a deny_write_access() on its inode: see sigil_evaluate() */
	SIGIL_FILE_DENIES_WRITE,
};

/**
 * struct sigil_file - sigil's part of a file's security blob
 * @flags: enum sigil_file_flag bits
 */
struct sigil_file {
	unsigned long flags;
};

static inline struct sigil_file *sigil_file(const struct file *file)
{
	return file->f_security + sigil_blob_sizes.lbs_file;
}

/**
 * struct sigil_task - sigil's part of a task's security blob
 * @read_inode: the inode whose data a kernel_read_file() of this task was
 *		allowed on, while the read runs; NULL otherwise
 * @read_gen: its generation when it was decided
 * @exe_id: the sigil_inode.id of the real inode of the file its last
 *	    execve() ran, inherited from its parent; 0 before any.
 *	    mm->exe_file is the running program of program_* properties
 *	    only while its real inode is that one.
 */
struct sigil_task {
	struct inode *read_inode;
	u64 read_gen;
	u64 exe_id;
};

static inline struct sigil_task *sigil_task(const struct task_struct *task)
{
	return task->security + sigil_blob_sizes.lbs_task;
}

struct sigil_dmverity;

/**
 * struct sigil_bdev - sigil's part of a block device's security blob
 * @dmverity: what dm-verity last reported about the device, or NULL
 */
struct sigil_bdev {
	struct sigil_dmverity __rcu *dmverity;
};

static inline struct sigil_bdev *sigil_bdev(const struct block_device *bdev)
{
	return bdev->bd_security + sigil_blob_sizes.lbs_bdev;
}

/*
 * Set once the initramfs is unpacked: inodes allocated before are marked
 * SIGIL_INODE_BOOT (cache.c).
 */
extern bool sigil_boot_done;

#endif /* _SIGIL_LSM_H */
