// SPDX-License-Identifier: GPL-2.0-only
/*
 * Uploads of policies and manifests through securityfs.  Signed messages
 * are self-delimiting, so a large one may come in several writes: the
 * pieces are kept until the message is complete, and the write that
 * completes it decides.
 */

#include "sigil.h"
#include "fs.h"
#include "upload.h"

#include <linux/slab.h>
#include <linux/uaccess.h>

#include "signed.h"

/**
 * struct sigil_upload - a policy or manifest being written
 * @ops: what is uploaded
 * @lock: serializes writes through one open file
 * @buf: the bytes so far
 * @len: their number
 * @cap: the size of @buf
 * @need: what the signed message announced so far, at least
 */
struct sigil_upload {
	const struct sigil_upload_ops *ops;
	struct mutex lock;	/* protects the rest */
	u8 *buf;
	size_t len;
	size_t cap;
	size_t need;
};

/**
 * sigil_upload_open() - start an upload on a securityfs file
 * @file: the open file: new_policy, manifests/new, or an update file
 * @ops: what is uploaded
 *
 * Return: 0, or -ENOMEM.
 */
int sigil_upload_open(struct file *file, const struct sigil_upload_ops *ops)
{
	struct sigil_upload *up = kzalloc(sizeof(*up), GFP_KERNEL);

	if (!up)
		return -ENOMEM;
	up->ops = ops;
	mutex_init(&up->lock);
	file->private_data = up;
	return 0;
}

/* Forget the bytes so far.  Caller holds @up->lock, or is the last user. */
static void reset(struct sigil_upload *up)
{
	kvfree(up->buf);
	up->buf = NULL;
	up->len = 0;
	up->cap = 0;
	up->need = 0;
}

/**
 * sigil_upload_flush() - a descriptor of the upload file is closed
 * @file: the open file
 * @id: unused
 *
 * A signed message that is not finished when its writer closes the file
 * is discarded, and close() fails, so that a writer that lost bytes on
 * the way learns it there and not only from status.
 *
 * Return: 0, or -EBADMSG when a signed message was discarded.
 */
int sigil_upload_flush(struct file *file, fl_owner_t id)
{
	struct sigil_upload *up = file->private_data;
	int rc = 0;

	mutex_lock(&up->lock);
	if (up->len) {
		up->ops->discarded(up->len, up->need);
		reset(up);
		rc = -EBADMSG;
	}
	mutex_unlock(&up->lock);
	return rc;
}

/**
 * sigil_upload_release() - end an upload
 * @inode: the securityfs inode
 * @file: the open file
 *
 * sigil_upload_flush() has discarded what was not finished.
 *
 * Return: 0.
 */
int sigil_upload_release(struct inode *inode, struct file *file)
{
	struct sigil_upload *up = file->private_data;

	kvfree(up->buf);
	kfree(up);
	return 0;
}

/**
 * sigil_upload_write() - take the next piece of an upload
 * @file: new_policy, manifests/new, or an update file
 * @ubuf: the piece
 * @len: its length
 * @ppos: its offset: the pieces must come in order
 * @target: the policy or manifest to update, with a reference; NULL for a
 *	    new one
 *
 * Signed policies are self-delimiting: the pieces are kept until the
 * message is complete, and the write that completes it loads it.  An
 * unsigned text (test kernels only) is complete in its first write.
 * One open file takes one upload; later writes fail with -EINVAL.
 *
 * Return: @len, or a negative errno: -EPERM without CAP_MAC_ADMIN,
 * -EINVAL for a piece out of order, -EFBIG past the ops' @max, -EFAULT,
 * -ENOMEM, or what the ops' @submit returns.
 */
ssize_t sigil_upload_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos, void *target)
{
	struct sigil_upload *up = file->private_data;
	size_t max = up->ops->max;
	struct pgp_error err;
	struct sigil_msg m;
	size_t cap;
	ssize_t rc;
	u8 *grown;

	if (!sigil_may_admin(file))
		return -EPERM;
	mutex_lock(&up->lock);
	if (*ppos != up->len) {
		if (!up->len)
			rc = up->ops->refused(-EINVAL,
					      "one upload per open file: open the file again for the next one");
		else
			rc = up->ops->refused(-EINVAL,
					      "a piece written out of order: each write must start where the previous one ended");
		goto out_unlock;
	}
	if (len > max - up->len) {
		rc = up->ops->submit(NULL, up->len + len, target);
		goto out_reset;
	}
	if (up->len + len > up->cap || !up->buf) {
		/* Grow geometrically, or to what the message announced. */
		cap = max3(up->len + len, 2 * up->cap, up->need);
		cap = clamp_t(size_t, cap, 1, max);
		grown = kvrealloc(up->buf, cap, GFP_KERNEL);
		if (!grown) {
			rc = -ENOMEM;
			goto out_reset;
		}
		up->buf = grown;
		up->cap = cap;
	}
	if (copy_from_user(up->buf + up->len, ubuf, len)) {
		rc = -EFAULT;
		goto out_reset;
	}
	up->len += len;

	rc = sigil_msg_parse(up->buf, up->len, &m, &err);
	if (rc == -EAGAIN && m.size <= max) {
		up->need = m.size;
		*ppos += len;
		rc = len;
		goto out_unlock;
	}
	/* Complete, or refused: either way this write decides. */
	rc = up->ops->submit(up->buf, rc == -EAGAIN ? m.size : up->len, target);
	if (!rc)
		rc = len;
out_reset:
	reset(up);
	/*
	 * One upload per open file: a write after this one would have to
	 * start at offset 0 of a fresh upload.  An unsigned text written in
	 * pieces thus fails at its second piece instead of loading truncated.
	 */
	if (rc >= 0)
		*ppos += len;
out_unlock:
	mutex_unlock(&up->lock);
	return rc;
}
