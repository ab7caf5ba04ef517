// SPDX-License-Identifier: GPL-2.0-only
/*
 * dm-verity facts: the root hash of the dm-verity volume that holds a
 * file, and whether dm-verity verified a signature of that root hash, as
 * the device-mapper reports them through bdev_setintegrity.
 */

#include "sigil.h"
#include "dmverity.h"

#include <linux/atomic.h>
#include <linux/blkdev.h>
#include <linux/security.h>
#include <linux/slab.h>

/**
 * struct sigil_dmverity - what dm-verity reported about one mapped device
 * @rcu: frees it once no evaluation can see it
 * @roothash: the root hash of the device's table; %SIGIL_HASH_NONE when
 *	      policies cannot name its algorithm, so that no rule matches it
 * @is_signed: dm-verity verified a signature of the root hash
 *
 * Never changed once published: a new table, or a signature report,
 * publishes a new copy, so that an evaluation sees the root hash and the
 * signature of one table.
 */
struct sigil_dmverity {
	struct rcu_head rcu;
	struct sigil_digest roothash;
	bool is_signed;
};

/*
 * Reports arrive while the device is suspended: reclaim must not wait for
 * I/O, which could be I/O to that device.
 */
#define SIGIL_DMV_GFP	GFP_NOIO

/*
 * Serializes the updates of every device's report.  The device-mapper
 * already serializes those of one device (md->suspend_lock); this lock
 * makes the read-modify-write below safe without relying on that.
 */
static DEFINE_MUTEX(sigil_dmverity_mutex);
static atomic_long_t sigil_dmverity_volumes;

/*
 * The policy's name for dm-verity's algorithm.  dm-verity reports the
 * crypto API's cra_name ("sha256", "sha3-256", "blake2b-512"), which is
 * how policies spell them too; the digest length must agree.
 */
static void name_roothash(struct sigil_digest *d,
			  const struct dm_verity_digest *v)
{
	unsigned int a;

	d->algo = SIGIL_HASH_NONE;
	d->size = 0;
	if (!v->alg || v->digest_len > SIGIL_DIGEST_MAX)
		return;
	for (a = SIGIL_HASH_NONE + 1; a < __SIGIL_HASH_MAX; a++) {
		if (!strcmp(v->alg, sigil_hash_algos[a].name) &&
		    v->digest_len == sigil_hash_algos[a].size) {
			d->algo = a;
			d->size = v->digest_len;
			memcpy(d->bytes, v->digest, v->digest_len);
			return;
		}
	}
}

/* Replace @bdev's report with @dv (NULL: none).  Caller holds the mutex. */
static void publish(struct block_device *bdev, struct sigil_dmverity *dv)
{
	struct sigil_dmverity *old;

	old = rcu_replace_pointer(sigil_bdev(bdev)->dmverity, dv,
				  lockdep_is_held(&sigil_dmverity_mutex));
	if (!old && dv)
		atomic_long_inc(&sigil_dmverity_volumes);
	else if (old && !dv)
		atomic_long_dec(&sigil_dmverity_volumes);
	if (old)
		kfree_rcu(old, rcu);
}

/*
 * A new table's root hash, or NULL when a resume failed after reporting
 * it.  The signature report follows; until it comes the table counts as
 * unsigned, never as signed by its predecessor's signature.  The new table
 * is already bound when this runs, so a failure drops the old report too.
 */
static int set_roothash(struct block_device *bdev,
			const struct dm_verity_digest *v)
{
	struct sigil_dmverity *dv = NULL;

	if (v) {
		dv = kzalloc(sizeof(*dv), SIGIL_DMV_GFP);
		if (dv)
			name_roothash(&dv->roothash, v);
	}
	mutex_lock(&sigil_dmverity_mutex);
	publish(bdev, dv);
	mutex_unlock(&sigil_dmverity_mutex);
	return v && !dv ? -ENOMEM : 0;
}

/*
 * dm-verity reports its table's signature, NULL when it has none; it
 * refuses a table whose signature does not verify, so a signature
 * reported here has verified.
 */
static int set_signed(struct block_device *bdev, bool is_signed)
{
	struct sigil_dmverity *cur, *dv;
	int rc = 0;

	mutex_lock(&sigil_dmverity_mutex);
	cur = rcu_dereference_protected(sigil_bdev(bdev)->dmverity,
					lockdep_is_held(&sigil_dmverity_mutex));
	/* A signature without a root hash signs nothing sigil can see. */
	if (!cur || cur->is_signed == is_signed)
		goto out_unlock;
	dv = kmemdup(cur, sizeof(*cur), SIGIL_DMV_GFP);
	if (dv)
		dv->is_signed = is_signed;
	else
		rc = -ENOMEM;	/* and no report: fail closed */
	publish(bdev, dv);
out_unlock:
	mutex_unlock(&sigil_dmverity_mutex);
	return rc;
}

static int hook_bdev_alloc_security(struct block_device *bdev)
{
	RCU_INIT_POINTER(sigil_bdev(bdev)->dmverity, NULL);
	return 0;
}

/*
 * Called when the block device's inode is freed, after an RCU grace
 * period and possibly from softirq context: no lock, no reader left.  An
 * evaluation reaches the report only through a mounted filesystem, which
 * holds the device open.
 */
static void hook_bdev_free_security(struct block_device *bdev)
{
	struct sigil_dmverity *dv;

	dv = rcu_dereference_protected(sigil_bdev(bdev)->dmverity, true);
	if (dv) {
		atomic_long_dec(&sigil_dmverity_volumes);
		kfree(dv);
	}
}

/*
 * dm-verity calls this before it resumes a device with a new table: the
 * root hash, then the signature.  A verity device stays a verity device
 * (DM_TARGET_IMMUTABLE), so a report lasts until the next table's.  An
 * error fails the resume.
 */
static int hook_bdev_setintegrity(struct block_device *bdev,
				  enum lsm_integrity_type type,
				  const void *value, size_t size)
{
	switch (type) {
	case LSM_INT_DMVERITY_ROOTHASH:
		return set_roothash(bdev, value);
	case LSM_INT_DMVERITY_SIG_VALID:
		return set_signed(bdev, value && size);
	default:
		/* Nothing sigil evaluates: ignoring it makes nothing TRUE. */
		return 0;
	}
}

/**
 * sigil_dmverity_facts() - the dm-verity facts of a file
 * @inode: the inode that holds the file's data: under overlayfs, the one
 *	   on the layer the data comes from, as in IPE
 * @facts: receives the volume's root hash in @facts->dmverity_roothash,
 *	   and dmverity_signature in @facts->truths
 *
 * A file on a filesystem without a block device (tmpfs, proc), or on a
 * device that is not dm-verity, has no root hash and no signature.
 *
 * Context: RCU read side.  Neither sleeps nor allocates.
 * Return: the enum sigil_dmv_state of the file's volume.
 */
u8 sigil_dmverity_facts(const struct inode *inode, struct sigil_facts *facts)
{
	const struct block_device *bdev = inode->i_sb->s_bdev;
	const struct sigil_dmverity *dv;

	facts->dmverity_roothash.algo = SIGIL_HASH_NONE;
	if (!bdev || !bdev->bd_security)
		return SIGIL_DMV_NONE;
	dv = rcu_dereference(sigil_bdev(bdev)->dmverity);
	if (!dv)
		return SIGIL_DMV_NONE;
	facts->dmverity_roothash = dv->roothash;
	if (!dv->is_signed)
		return SIGIL_DMV_UNSIGNED;
	facts->truths |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
	return SIGIL_DMV_SIGNED;
}

/**
 * sigil_dmverity_stats() - dm-verity's memory figures, for status
 * @st: the figures
 */
void sigil_dmverity_stats(struct sigil_dmverity_stats *st)
{
	st->bdev_bytes = sizeof(struct sigil_bdev);
	st->volumes = max(atomic_long_read(&sigil_dmverity_volumes), 0L);
	st->bytes = st->volumes * sizeof(struct sigil_dmverity);
}

static struct security_hook_list sigil_dmverity_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bdev_alloc_security, hook_bdev_alloc_security),
	LSM_HOOK_INIT(bdev_free_security, hook_bdev_free_security),
	LSM_HOOK_INIT(bdev_setintegrity, hook_bdev_setintegrity),
};

/**
 * sigil_add_dmverity_hooks() - register the block device hooks
 */
void __init sigil_add_dmverity_hooks(void)
{
	security_add_hooks(sigil_dmverity_hooks,
			   ARRAY_SIZE(sigil_dmverity_hooks), &sigil_lsmid);
}
