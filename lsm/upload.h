/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Uploads (upload.c): a policy or a manifest written to securityfs in one
 * piece or several, handed over whole once its signed message is complete.
 */
#ifndef _SIGIL_UPLOAD_H
#define _SIGIL_UPLOAD_H

#include <linux/fs.h>

/**
 * struct sigil_upload_ops - what is uploaded, and what takes it
 * @submit: verify and load the complete write @buf of @len bytes, for
 *	    @target (the object an update replaces; NULL for a new one)
 * @discarded: a writer closed the file in the middle of a signed message
 *	       of at least @need bytes, after @got
 * @refused: record why a write loaded nothing before reaching @submit
 * @max: the largest upload
 */
struct sigil_upload_ops {
	int (*submit)(const u8 *buf, size_t len, void *target);
	void (*discarded)(size_t got, size_t need);
	int (*refused)(int err, const char *why);
	size_t max;
};

extern const struct sigil_upload_ops sigil_policy_upload;
extern const struct sigil_upload_ops sigil_manifest_upload;

int sigil_upload_open(struct file *file, const struct sigil_upload_ops *ops);
int sigil_upload_flush(struct file *file, fl_owner_t id);
int sigil_upload_release(struct inode *inode, struct file *file);
ssize_t sigil_upload_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos, void *target);

#endif /* _SIGIL_UPLOAD_H */
