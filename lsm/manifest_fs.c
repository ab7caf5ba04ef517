// SPDX-License-Identifier: GPL-2.0-only
/*
 * securityfs manifests/: new, and one directory per loaded manifest with
 * its version, entries, signer, update and delete files.
 */

#include "sigil.h"
#include "fs.h"
#include "manifests.h"
#include "upload.h"

#include <linux/security.h>
#include <linux/seq_file.h>

static struct dentry *sigil_manifests_dir __ro_after_init;

/*
 * The manifest behind a file in manifests/<name>/, with a reference that
 * the caller drops with sigil_manifest_put(), or NULL once deleted.
 */
static struct sigil_manifest_loaded *get_manifest(const struct file *file)
{
	struct sigil_manifest_loaded *ml;

	mutex_lock(&sigil_policy_mutex);
	ml = d_inode(file->f_path.dentry->d_parent)->i_private;
	if (ml)
		kref_get(&ml->ref);
	mutex_unlock(&sigil_policy_mutex);
	return ml;
}

static ssize_t version_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct sigil_manifest_loaded *ml = get_manifest(file);
	ssize_t rc;

	if (!ml)
		return -ENOENT;
	rc = sigil_read_version(buf, len, ppos, ml->m->version);
	sigil_manifest_put(ml);
	return rc;
}

static ssize_t signer_read(struct file *file, char __user *buf, size_t len,
			   loff_t *ppos)
{
	struct sigil_manifest_loaded *ml = get_manifest(file);
	ssize_t rc;

	if (!ml)
		return -ENOENT;
	rc = sigil_read_line(buf, len, ppos, ml->signer);
	sigil_manifest_put(ml);
	return rc;
}

/* ---- entries: one canonical line per entry ---- */

static void *entries_start(struct seq_file *sf, loff_t *pos)
{
	struct sigil_manifest_loaded *ml = sf->private;

	return *pos < ml->m->nentries ? &ml->m->entries[*pos] : NULL;
}

static void *entries_next(struct seq_file *sf, void *v, loff_t *pos)
{
	++*pos;
	return entries_start(sf, pos);
}

static void entries_stop(struct seq_file *sf, void *v)
{
}

static int entries_show(struct seq_file *sf, void *v)
{
	struct sigil_manifest_loaded *ml = sf->private;
	char *buf;
	size_t size = seq_get_buf(sf, &buf);
	int n;

	n = sigil_manifest_format_entry(buf, size, ml->m, v);
	/* Too long for the buffer: seq_file retries with a larger one. */
	seq_commit(sf, n >= 0 && (size_t)n < size ? n : -1);
	return 0;
}

static const struct seq_operations entries_seq = {
	.start = entries_start,
	.next = entries_next,
	.stop = entries_stop,
	.show = entries_show,
};

static int entries_open(struct inode *inode, struct file *file)
{
	struct sigil_manifest_loaded *ml = get_manifest(file);
	int rc;

	if (!ml)
		return -ENOENT;
	rc = seq_open(file, &entries_seq);
	if (rc) {
		sigil_manifest_put(ml);
		return rc;
	}
	((struct seq_file *)file->private_data)->private = ml;
	return 0;
}

static int entries_release(struct inode *inode, struct file *file)
{
	struct seq_file *sf = file->private_data;

	sigil_manifest_put(sf->private);
	return seq_release(inode, file);
}

/* ---- changes ---- */

static int upload_open(struct inode *inode, struct file *file)
{
	return sigil_upload_open(file, &sigil_manifest_upload);
}

static ssize_t new_write(struct file *file, const char __user *buf,
			 size_t len, loff_t *ppos)
{
	return sigil_upload_write(file, buf, len, ppos, NULL);
}

static ssize_t update_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	struct sigil_manifest_loaded *ml = get_manifest(file);
	ssize_t rc;

	if (!ml)
		return -ENOENT;
	rc = sigil_upload_write(file, buf, len, ppos, ml);
	sigil_manifest_put(ml);
	return rc;
}

/* Writing "1" to manifests/<name>/delete unloads the manifest. */
static ssize_t delete_write(struct file *file, const char __user *buf,
			    size_t len, loff_t *ppos)
{
	struct sigil_manifest_loaded *ml;
	bool value;
	int rc;

	rc = sigil_admin_bool(file, buf, len, &value, true,
			      sigil_manifest_refused);
	if (rc)
		return rc;
	ml = get_manifest(file);
	if (!ml)
		return -ENOENT;
	rc = sigil_manifest_delete(ml);
	sigil_manifest_put(ml);
	return rc ? rc : len;
}

static const struct file_operations version_fops = {
	.read = version_read,
	.llseek = generic_file_llseek,
};

static const struct file_operations signer_fops = {
	.read = signer_read,
	.llseek = generic_file_llseek,
};

static const struct file_operations entries_fops = {
	.open = entries_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = entries_release,
};

static const struct file_operations new_fops = {
	.open = upload_open,
	.write = new_write,
	.flush = sigil_upload_flush,
	.release = sigil_upload_release,
};

static const struct file_operations update_fops = {
	.open = upload_open,
	.write = update_write,
	.flush = sigil_upload_flush,
	.release = sigil_upload_release,
};

static const struct file_operations delete_fops = {
	.write = delete_write,
};

static const struct sigil_fs_file manifest_files[] = {
	{ "version",	0444, &version_fops },
	{ "entries",	0444, &entries_fops },
	{ "signer",	0444, &signer_fops },
	{ "update",	0200, &update_fops },
	{ "delete",	0200, &delete_fops },
};

/**
 * sigil_manifestfs_add() - create manifests/<name>/ for a manifest
 * @ml: the manifest
 *
 * Its files answer -ENOENT until sigil_manifestfs_publish() links them.
 *
 * Context: caller holds the manifest mutex, not sigil_policy_mutex.
 * Return: 0, or the -errno from securityfs.
 */
int sigil_manifestfs_add(struct sigil_manifest_loaded *ml)
{
	struct dentry *dir = sigil_create_dir(sigil_manifests_dir, ml->m->name,
					      manifest_files,
					      ARRAY_SIZE(manifest_files));

	if (IS_ERR(dir))
		return PTR_ERR(dir);
	ml->dir = dir;
	return 0;
}

/**
 * sigil_manifestfs_publish() - link manifests/<name>/ to a manifest
 * @ml: the manifest whose directory it is
 * @to: @ml to make its files work, NULL to make them answer -ENOENT
 *
 * Context: caller holds sigil_policy_mutex.
 */
void sigil_manifestfs_publish(struct sigil_manifest_loaded *ml,
			      struct sigil_manifest_loaded *to)
{
	lockdep_assert_held(&sigil_policy_mutex);
	d_inode(ml->dir)->i_private = to;
}

/**
 * sigil_manifestfs_remove() - remove manifests/<name>/
 * @ml: the manifest, already unpublished
 *
 * Context: caller holds the manifest mutex, not sigil_policy_mutex.
 */
void sigil_manifestfs_remove(struct sigil_manifest_loaded *ml)
{
	securityfs_recursive_remove(ml->dir);
	ml->dir = NULL;
}

static const struct sigil_fs_file manifests_files[] = {
	{ "new",	0200, &new_fops },
};

/**
 * sigil_manifestfs_init() - create manifests/ and manifests/new
 * @root: sigil's securityfs directory
 *
 * Return: 0, or the -errno from securityfs.
 */
int __init sigil_manifestfs_init(struct dentry *root)
{
	struct dentry *d = securityfs_create_dir("manifests", root);
	int rc;

	if (IS_ERR(d))
		return PTR_ERR(d);
	rc = sigil_create_files(d, manifests_files, ARRAY_SIZE(manifests_files));
	if (rc)
		return rc;
	sigil_manifests_dir = d;
	sigil_manifest_root_init();
	return 0;
}
