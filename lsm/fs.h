/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * securityfs: sigil's files (fs.c) and each loaded policy's directory
 * (policy_fs.c).
 */
#ifndef _SIGIL_FS_H
#define _SIGIL_FS_H

#include <linux/fs.h>

struct sigil_loaded;

/**
 * struct sigil_fs_file - one securityfs file to create
 * @name: file name
 * @mode: permissions
 * @fops: its operations
 */
struct sigil_fs_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

bool sigil_may_admin(const struct file *file);
int sigil_admin_bool(struct file *file, const char __user *buf, size_t len,
		     bool *value, bool one,
		     int (*refused)(int err, const char *msg));
int sigil_create_files(struct dentry *dir, const struct sigil_fs_file *files,
		       size_t n);
struct dentry *sigil_create_dir(struct dentry *parent, const char *name,
				const struct sigil_fs_file *files, size_t n);
ssize_t sigil_read_version(char __user *buf, size_t len, loff_t *ppos,
			   const u16 version[3]);
ssize_t sigil_read_line(char __user *buf, size_t len, loff_t *ppos,
			const char *s);
int sigil_policyfs_add(struct sigil_loaded *lp);
void sigil_policyfs_publish(struct sigil_loaded *lp, struct sigil_loaded *to);
void sigil_policyfs_remove(struct sigil_loaded *lp);
int __init sigil_policyfs_init(struct dentry *root);

#endif /* _SIGIL_FS_H */
