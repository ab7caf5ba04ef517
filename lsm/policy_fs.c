// SPDX-License-Identifier: GPL-2.0-only
/*
 * securityfs policies/<name>/: one directory per loaded policy, with its
 * text, version, activation switch and delete switch.
 */

#include "sigil.h"
#include "fs.h"
#include "lifecycle.h"
#include "upload.h"

#include <linux/security.h>
#include <linux/slab.h>

static struct dentry *sigil_policies_dir __ro_after_init;

/*
 * The policy behind a file in policies/<name>/, with a reference that the
 * caller drops with sigil_policy_put(), or NULL once it has been deleted.
 */
static struct sigil_loaded *get_policy(const struct file *file)
{
	struct sigil_loaded *lp;

	mutex_lock(&sigil_policy_mutex);
	lp = d_inode(file->f_path.dentry->d_parent)->i_private;
	if (lp)
		kref_get(&lp->ref);
	mutex_unlock(&sigil_policy_mutex);
	return lp;
}

static ssize_t policy_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct sigil_loaded *lp = get_policy(file);
	ssize_t rc;

	if (!lp)
		return -ENOENT;
	rc = simple_read_from_buffer(buf, len, ppos, lp->text, lp->textlen);
	sigil_policy_put(lp);
	return rc;
}

static ssize_t version_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct sigil_loaded *lp = get_policy(file);
	ssize_t rc;

	if (!lp)
		return -ENOENT;
	rc = sigil_read_version(buf, len, ppos, lp->policy->version);
	sigil_policy_put(lp);
	return rc;
}

static ssize_t active_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct sigil_loaded *lp = get_policy(file);
	bool active;

	if (!lp)
		return -ENOENT;
	active = lp == rcu_access_pointer(sigil_active);
	sigil_policy_put(lp);
	return simple_read_from_buffer(buf, len, ppos, active ? "1\n" : "0\n",
				       2);
}

/*
 * Writing "1" to policies/<name>/active or delete applies @action to the
 * policy.  "0" means nothing: a policy is deactivated by activating another.
 */
static ssize_t policy_action(struct file *file, const char __user *buf,
			     size_t len, int (*action)(struct sigil_loaded *lp))
{
	struct sigil_loaded *lp;
	bool value;
	int rc;

	rc = sigil_admin_bool(file, buf, len, &value, true,
			      sigil_policy_refused);
	if (rc)
		return rc;
	lp = get_policy(file);
	if (!lp)
		return -ENOENT;
	rc = action(lp);
	sigil_policy_put(lp);
	return rc ? rc : len;
}

static ssize_t active_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	return policy_action(file, buf, len, sigil_policy_activate);
}

static ssize_t delete_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	return policy_action(file, buf, len, sigil_policy_delete);
}

static ssize_t signer_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct sigil_loaded *lp = get_policy(file);
	ssize_t rc;

	if (!lp)
		return -ENOENT;
	rc = sigil_read_line(buf, len, ppos, lp->signer);
	sigil_policy_put(lp);
	return rc;
}

/* A policy's update is a policy upload whose target is the policy. */
static int policy_update_open(struct inode *inode, struct file *file)
{
	return sigil_upload_open(file, &sigil_policy_upload);
}

static ssize_t update_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	struct sigil_loaded *lp = get_policy(file);
	ssize_t rc;

	if (!lp)
		return -ENOENT;
	rc = sigil_upload_write(file, buf, len, ppos, lp);
	sigil_policy_put(lp);
	return rc;
}

static const struct file_operations policy_fops = {
	.read = policy_read,
	.llseek = generic_file_llseek,
};

static const struct file_operations version_fops = {
	.read = version_read,
	.llseek = generic_file_llseek,
};

static const struct file_operations active_fops = {
	.read = active_read,
	.write = active_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations delete_fops = {
	.write = delete_write,
};

static const struct file_operations signer_fops = {
	.read = signer_read,
	.llseek = generic_file_llseek,
};

static const struct file_operations update_fops = {
	.open = policy_update_open,
	.write = update_write,
	.flush = sigil_upload_flush,
	.release = sigil_upload_release,
};

static const struct sigil_fs_file policy_files[] = {
	{ "policy",	0444, &policy_fops },
	{ "version",	0444, &version_fops },
	{ "active",	0600, &active_fops },
	{ "delete",	0200, &delete_fops },
	{ "signer",	0444, &signer_fops },
	{ "update",	0200, &update_fops },
};

/**
 * sigil_policyfs_add() - create policies/<name>/ for a policy
 * @lp: the policy
 *
 * Its files answer -ENOENT until sigil_policyfs_publish() links them to
 * @lp.
 *
 * Context: caller holds sigil_fs_mutex, not sigil_policy_mutex.
 * Return: 0, or the -errno from securityfs.
 */
int sigil_policyfs_add(struct sigil_loaded *lp)
{
	struct dentry *dir = sigil_create_dir(sigil_policies_dir,
					      lp->policy->name, policy_files,
					      ARRAY_SIZE(policy_files));

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	lp->dir = dir;
	return 0;
}

/**
 * sigil_policyfs_publish() - link the files of policies/<name>/ to a policy
 * @lp: the policy whose directory it is
 * @to: @lp to make its files work, NULL to make them answer -ENOENT
 *
 * Context: caller holds sigil_policy_mutex.
 */
void sigil_policyfs_publish(struct sigil_loaded *lp, struct sigil_loaded *to)
{
	lockdep_assert_held(&sigil_policy_mutex);
	d_inode(lp->dir)->i_private = to;
}

/**
 * sigil_policyfs_remove() - remove policies/<name>/ of a policy
 * @lp: the policy, already unpublished
 *
 * Context: caller holds sigil_fs_mutex, not sigil_policy_mutex.
 */
void sigil_policyfs_remove(struct sigil_loaded *lp)
{
	securityfs_recursive_remove(lp->dir);
	lp->dir = NULL;
}

/**
 * sigil_policyfs_init() - create the policies/ directory
 * @root: sigil's securityfs directory
 *
 * Return: 0, or the -errno from securityfs.
 */
int __init sigil_policyfs_init(struct dentry *root)
{
	struct dentry *d = securityfs_create_dir("policies", root);

	if (IS_ERR(d))
		return PTR_ERR(d);
	sigil_policies_dir = d;
	return 0;
}
