// SPDX-License-Identifier: GPL-2.0-only
/*
 * securityfs root, /sys/kernel/security/sigil/: mode switches, policy
 * loading, status, the decision log and the explain query.  Every write
 * needs CAP_MAC_ADMIN.
 */

#include "sigil.h"
#include "fs.h"
#include "log.h"
#include "eval.h"
#include "cache.h"
#include "lifecycle.h"
#include "upload.h"
#include "manifests.h"
#include "keyring.h"
#include "dmverity.h"
#include "audit.h"

#include <linux/capability.h>
#include <linux/security.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

/**
 * sigil_may_admin() - may the writer change sigil's state?
 * @file: the securityfs file being written
 *
 * Both whoever opened @file and whoever writes to it need CAP_MAC_ADMIN in
 * the initial user namespace, so a descriptor passed to an unprivileged
 * process is of no use to it.
 *
 * Return: true when the write may proceed.
 */
bool sigil_may_admin(const struct file *file)
{
	return file_ns_capable(file, &init_user_ns, CAP_MAC_ADMIN) &&
	       capable(CAP_MAC_ADMIN);
}

/**
 * sigil_admin_bool() - check the writer, then parse a 0/1 write
 * @file: the securityfs file being written
 * @buf: what was written
 * @len: its length
 * @value: the parsed value
 * @one: only 1 means something; 0 is refused
 * @refused: records why @buf was refused, for status and the kernel log
 *
 * Return: 0, -EPERM without CAP_MAC_ADMIN, or -EINVAL when @buf is not a
 * boolean, or is 0 and @one is set.
 */
int sigil_admin_bool(struct file *file, const char __user *buf, size_t len,
		     bool *value, bool one, int (*refused)(int err, const char *msg))
{
	char msg[128];
	int rc;

	if (!sigil_may_admin(file))
		return -EPERM;
	rc = kstrtobool_from_user(buf, len, value);
	if (rc == -EINVAL) {
		scnprintf(msg, sizeof(msg), "%pD2: write %s", file,
			  one ? "1" : "0 or 1");
		return refused(rc, msg);
	}
	if (rc)
		return rc;
	if (one && !*value) {
		scnprintf(msg, sizeof(msg), "%pD2: only 1 means something here",
			  file);
		return refused(-EINVAL, msg);
	}
	return 0;
}

static ssize_t read_bool(char __user *buf, size_t len, loff_t *ppos, bool v)
{
	return simple_read_from_buffer(buf, len, ppos, v ? "1\n" : "0\n", 2);
}

static ssize_t enforce_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	return read_bool(buf, len, ppos, READ_ONCE(sigil_enforce));
}

static ssize_t enforce_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	char comm[TASK_COMM_LEN * 4 + 3];
	bool old, value;
	int rc;

	rc = sigil_admin_bool(file, buf, len, &value, false,
			      sigil_policy_refused);
	if (rc)
		return rc;

	mutex_lock(&sigil_policy_mutex);
	old = sigil_enforce;
	WRITE_ONCE(sigil_enforce, value);
	if (old != value)
		sigil_audit_switch(SIGIL_AUDIT_ENFORCE, old, value);
	mutex_unlock(&sigil_policy_mutex);
	if (old != value) {
		sigil_quote(comm, sizeof(comm), current->comm,
			    strnlen(current->comm, TASK_COMM_LEN));
		pr_notice("mode changed to %s by pid=%d comm=%s\n",
			  value ? "enforce" : "permissive",
			  task_tgid_nr(current), comm);
	}
	return len;
}

static ssize_t success_audit_read(struct file *file, char __user *buf,
				  size_t len, loff_t *ppos)
{
	return read_bool(buf, len, ppos, READ_ONCE(sigil_success_audit));
}

static ssize_t success_audit_write(struct file *file, const char __user *buf,
				   size_t len, loff_t *ppos)
{
	bool old, value;
	int rc;

	rc = sigil_admin_bool(file, buf, len, &value, false,
			      sigil_policy_refused);
	if (rc)
		return rc;
	/* The mutex orders the audit records as the changes. */
	mutex_lock(&sigil_policy_mutex);
	old = sigil_success_audit;
	WRITE_ONCE(sigil_success_audit, value);
	if (old != value)
		sigil_audit_switch(SIGIL_AUDIT_SUCCESS_AUDIT, old, value);
	mutex_unlock(&sigil_policy_mutex);
	return len;
}

static int new_policy_open(struct inode *inode, struct file *file)
{
	return sigil_upload_open(file, &sigil_policy_upload);
}

static ssize_t new_policy_write(struct file *file, const char __user *buf,
				size_t len, loff_t *ppos)
{
	return sigil_upload_write(file, buf, len, ppos, NULL);
}

static ssize_t keyring_locked_read(struct file *file, char __user *buf,
				   size_t len, loff_t *ppos)
{
	unsigned long keys;
	bool locked;

	sigil_keyring_status(&keys, &locked);
	return read_bool(buf, len, ppos, locked);
}

/* Only "1" is accepted: the lock holds until reboot. */
static ssize_t keyring_locked_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	bool value;
	int rc;

	rc = sigil_admin_bool(file, buf, len, &value, false,
			      sigil_policy_refused);
	if (rc)
		return rc;
	if (!value)
		return sigil_policy_refused(-EPERM,
					    "keyring_locked: 0 is refused: the lock holds until reboot");
	sigil_keyring_lock();
	return len;
}

/* A key ID in hex, as keyctl shows it; one line. */
static ssize_t keyring_remove_write(struct file *file, const char __user *buf,
				    size_t len, loff_t *ppos)
{
	char id[130];
	int rc;

	if (!sigil_may_admin(file))
		return -EPERM;
	if (len >= sizeof(id))
		return -EINVAL;
	if (copy_from_user(id, buf, len))
		return -EFAULT;
	id[len] = '\0';
	strim(id);
	rc = sigil_keyring_remove(id);
	return rc ? rc : len;
}

/* The last errors, off the stack: KASAN's redzones would double them. */
struct status_errors {
	char policy[SIGIL_ERR_MSG_MAX + 64];
	char manifest[SIGIL_ERR_MSG_MAX + 64];
};

static int status_show(struct seq_file *m, void *v)
{
	struct status_errors *e = kmalloc(sizeof(*e), GFP_KERNEL);
	struct sigil_policy_stats st;
	struct sigil_manifest_stats ms;
	struct sigil_dmverity_stats ds;
	struct sigil_cache_stats cs;
	struct sigil_counters c;
	struct sigil_loaded *lp;
	unsigned long keys;
	bool locked;

	if (!e)
		return -ENOMEM;
	sigil_policy_stats(&st, e->policy, sizeof(e->policy));
	sigil_read_counters(&c);
	sigil_keyring_status(&keys, &locked);
	sigil_cache_stats(&cs);
	sigil_dmverity_stats(&ds);
	sigil_manifest_stats(&ms, e->manifest, sizeof(e->manifest));

	seq_printf(m, "abi: %d\n", SIGIL_ABI_VERSION);
	seq_printf(m, "mode: %s\n",
		   READ_ONCE(sigil_enforce) ? "enforce" : "permissive");
	seq_printf(m, "success_audit: %d\n", READ_ONCE(sigil_success_audit));

	rcu_read_lock();
	lp = rcu_dereference(sigil_active);
	if (lp) {
		const struct sigil_policy *p = lp->policy;

		seq_printf(m, "active_policy: %s\n", p->name);
		seq_printf(m, "active_version: %u.%u.%u\n", p->version[0],
			   p->version[1], p->version[2]);
		seq_printf(m, "active_rules: %u\n", p->nrules);
		seq_printf(m, "active_policy_bytes: %zu\n",
			   sigil_loaded_bytes(lp));
		seq_printf(m, "active_rule_bytes: %zu\n", p->rule_bytes);
		seq_printf(m, "active_bytes_per_rule: %zu\n",
			   p->nrules ? p->rule_bytes / p->nrules : 0);
		seq_printf(m, "active_text_bytes: %zu\n", lp->textlen);
		seq_printf(m, "active_indexed_rules: %u\n",
			   sigil_indexed_rules(p));
	} else {
		seq_puts(m, "active_policy: none\n");
	}
	rcu_read_unlock();

	seq_printf(m, "policies_loaded: %u\n", st.loaded);
	seq_printf(m, "policies_bytes: %zu\n", st.bytes);
	seq_printf(m, "policies_rules: %zu\n", st.rules);
	seq_printf(m, "policies_bytes_per_rule: %zu\n",
		   st.rules ? st.rule_bytes / st.rules : 0);
	seq_printf(m, "allowed: %llu\n", c.allowed);
	seq_printf(m, "denied: %llu\n", c.denied);
	seq_printf(m, "permissive_denials: %llu\n", c.permissive);
	seq_printf(m, "errors: %llu\n", c.errors);
	seq_printf(m, "policy_errors: %lu\n", st.load_failures);
	seq_printf(m, "last_policy_error: %s\n", e->policy);
	seq_printf(m, "manifests_loaded: %u\n", ms.loaded);
	seq_printf(m, "manifest_entries: %zu\n", ms.entries);
	seq_printf(m, "manifest_superseded: %zu\n", ms.superseded);
	seq_printf(m, "manifest_bytes: %zu\n", ms.bytes);
	seq_printf(m, "manifest_bytes_per_entry: %zu\n",
		   ms.entries ? ms.bytes / ms.entries : 0);
	seq_printf(m, "manifest_errors: %lu\n", ms.failures);
	seq_printf(m, "last_manifest_error: %s\n", e->manifest);
	seq_printf(m, "keyring_keys: %lu\n", keys);
	seq_printf(m, "keyring_locked: %d\n", locked);
	seq_printf(m, "cache_hits: %lu\n", cs.hits);
	seq_printf(m, "cache_misses: %lu\n", cs.misses);
	seq_printf(m, "cache_verifications: %lu\n", cs.verifications);
	seq_printf(m, "cache_entries: %lu\n", cs.entries);
	seq_printf(m, "cache_bytes: %zu\n", cs.bytes);
	seq_printf(m, "cache_bytes_per_entry: %zu\n", cs.entry_bytes);
	seq_printf(m, "cache_signature_bytes: %zu\n", cs.blob_bytes);
	seq_printf(m, "inode_blob_bytes: %zu\n", cs.inode_bytes);
	seq_printf(m, "file_blob_bytes: %zu\n", sizeof(struct sigil_file));
	seq_printf(m, "task_blob_bytes: %zu\n", sizeof(struct sigil_task));
	seq_printf(m, "bdev_blob_bytes: %zu\n", ds.bdev_bytes);
	seq_printf(m, "dmverity_volumes: %lu\n", ds.volumes);
	seq_printf(m, "dmverity_bytes: %zu\n", ds.bytes);
	kfree(e);
	return 0;
}

DEFINE_SHOW_ATTRIBUTE(status);

static int log_show(struct seq_file *m, void *v)
{
	return sigil_log_show(m);
}

DEFINE_SHOW_ATTRIBUTE(log);

static const struct file_operations enforce_fops = {
	.read = enforce_read,
	.write = enforce_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations success_audit_fops = {
	.read = success_audit_read,
	.write = success_audit_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations keyring_locked_fops = {
	.read = keyring_locked_read,
	.write = keyring_locked_write,
	.llseek = generic_file_llseek,
};

static const struct file_operations keyring_remove_fops = {
	.write = keyring_remove_write,
};

static const struct file_operations new_policy_fops = {
	.open = new_policy_open,
	.write = new_policy_write,
	.flush = sigil_upload_flush,
	.release = sigil_upload_release,
};

static const struct sigil_fs_file sigil_files[] = {
	{ "enforce",		0600, &enforce_fops },
	{ "success_audit",	0600, &success_audit_fops },
	{ "new_policy",		0200, &new_policy_fops },
	{ "status",		0444, &status_fops },
	{ "log",		0400, &log_fops },
	{ "keyring_locked",	0600, &keyring_locked_fops },
	{ "keyring_remove",	0200, &keyring_remove_fops },
	{ "explain",		0600, &sigil_explain_fops },
};

/**
 * sigil_create_files() - create a table of securityfs files in a directory
 * @dir: the directory
 * @files: the files
 * @n: number of @files
 *
 * Return: 0, or the -errno of the first file that could not be created;
 * the caller removes @dir.
 */
int sigil_create_files(struct dentry *dir, const struct sigil_fs_file *files,
		       size_t n)
{
	struct dentry *d;
	size_t i;

	for (i = 0; i < n; i++) {
		d = securityfs_create_file(files[i].name, files[i].mode, dir,
					   NULL, files[i].fops);
		if (IS_ERR(d))
			return PTR_ERR(d);
	}
	return 0;
}

/**
 * sigil_create_dir() - create a directory of securityfs files
 * @parent: where
 * @name: its name
 * @files: the files it holds
 * @n: number of @files
 *
 * Return: the directory, or an ERR_PTR(); on error nothing is left.
 */
struct dentry *sigil_create_dir(struct dentry *parent, const char *name,
				const struct sigil_fs_file *files, size_t n)
{
	struct dentry *dir = securityfs_create_dir(name, parent);
	int rc;

	if (IS_ERR(dir))
		return dir;
	rc = sigil_create_files(dir, files, n);
	if (rc) {
		securityfs_recursive_remove(dir);
		return ERR_PTR(rc);
	}
	return dir;
}

/**
 * sigil_read_version() - read a MAJOR.MINOR.PATCH version file
 * @buf: the reader's buffer
 * @len: its size
 * @ppos: the file position
 * @version: the version
 *
 * Return: as simple_read_from_buffer().
 */
ssize_t sigil_read_version(char __user *buf, size_t len, loff_t *ppos,
			   const u16 version[3])
{
	char v[sizeof("65535.65535.65535\n")];
	int n = scnprintf(v, sizeof(v), "%u.%u.%u\n", version[0], version[1],
			  version[2]);

	return simple_read_from_buffer(buf, len, ppos, v, n);
}

/**
 * sigil_read_line() - read a file that holds one line
 * @buf: the reader's buffer
 * @len: its size
 * @ppos: the file position
 * @s: the line, without its newline
 *
 * Return: as simple_read_from_buffer().
 */
ssize_t sigil_read_line(char __user *buf, size_t len, loff_t *ppos,
			const char *s)
{
	char line[SIGIL_SIGNER_STR_MAX + 1];
	int n = scnprintf(line, sizeof(line), "%s\n", s);

	return simple_read_from_buffer(buf, len, ppos, line, n);
}

static int __init sigil_init_securityfs(void)
{
	struct dentry *root;
	int rc;

	if (!sigil_enabled)
		return 0;

	root = securityfs_create_dir("sigil", NULL);
	if (IS_ERR(root))
		return PTR_ERR(root);
	rc = sigil_create_files(root, sigil_files, ARRAY_SIZE(sigil_files));
	if (!rc)
		rc = sigil_policyfs_init(root);
	if (!rc)
		rc = sigil_manifestfs_init(root);
	if (!rc)
		rc = sigil_boot_policy_publish();
	if (rc)
		goto out_remove;
	return 0;

out_remove:
	securityfs_recursive_remove(root);
	pr_err("cannot create securityfs files: %d\n", rc);
	return rc;
}

fs_initcall(sigil_init_securityfs);
