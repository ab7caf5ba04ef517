// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigil/explain: why the active policy allows or denies an operation on a
 * file, or on memory without a file.  The caller writes "OP FD" or
 * "OP anonymous", optionally followed by the descriptor of a program to
 * take as the running one; sigil decides as its hook would, and the caller
 * reads the decision and the facts it rested on as key=value lines
 * (Documentation/admin-guide.rst lists the keys).
 */

#include "sigil.h"
#include "eval.h"
#include "fs.h"
#include "lifecycle.h"
#include "log.h"
#include "dmverity.h"

#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/mount.h>
#include <linux/mutex.h>
#include <linux/seq_buf.h>
#include <linux/slab.h>
#include <linux/string.h>

/* Longest query: an operation's name, blanks and two descriptors. */
#define EXPLAIN_QUERY_MAX	64
/* Room for every line but those with untrusted text, which come on top. */
#define EXPLAIN_FIXED_BYTES	2048

/**
 * struct explain_answer - one open file's latest answer
 * @lock: serializes replacing @text against reading it
 * @text: the answer, kvmalloc()ed; NULL until a query succeeds
 * @len: its length
 */
struct explain_answer {
	struct mutex lock;	/* protects text and len */
	char *text;
	size_t len;
};

/*
 * "KEY=VALUE\n" with VALUE's bytes as they are, except that a byte which
 * could end the line early or confuse a parser (control bytes, DEL, a
 * backslash, anything above 0x7e) is written as \xHH: at most 4n bytes.
 */
static void put_escaped(struct seq_buf *a, const char *key, const char *s,
			size_t n)
{
	size_t i;

	seq_buf_printf(a, "%s=", key);
	for (i = 0; i < n; i++) {
		u8 c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '\\')
			seq_buf_putc(a, c);
		else
			seq_buf_printf(a, "\\x%02x", c);
	}
	seq_buf_printf(a, "\n");
}

static void put_digest(struct seq_buf *a, const char *key,
		       const struct sigil_digest *dg)
{
	if (dg->algo == SIGIL_HASH_NONE)
		seq_buf_printf(a, "%s=none\n", key);
	else
		seq_buf_printf(a, "%s=%s:%*phN\n", key, sigil_hash_algos[dg->algo].name,
			       dg->size, dg->bytes);
}

static void put_decision(struct seq_buf *a, const struct sigil_explanation *x)
{
	const struct sigil_policy *p = x->lp->policy;
	const struct sigil_decision *d = &x->d;
	char why[SIGIL_REASON_MAX];

	put_escaped(a, "policy", p->name, strlen(p->name));
	seq_buf_printf(a, "version=%u.%u.%u\n", p->version[0], p->version[1],
		       p->version[2]);
	seq_buf_printf(a, "enforce=%d\n", x->enforcing);
	seq_buf_printf(a, "action=%s\n", d->action == SIGIL_ACTION_ALLOW ? "ALLOW" : "DENY");
	seq_buf_printf(a, "match=%s\n", sigil_match_names[d->match]);
	if (d->match == SIGIL_MATCH_ERROR) {
		sigil_decision_reason(why, sizeof(why), d, &x->seen);
		seq_buf_printf(a, "error=%d\n", d->error);
		put_escaped(a, "reason", why, strlen(why));
		return;
	}
	seq_buf_printf(a, "line=%u\n", d->src->line);
	put_escaped(a, "rule", x->lp->text + d->src->off, d->src->len);
}

/* "[PREFIX]KIND_signer=ID,ID...", when the signature verified. */
static void put_signer(struct seq_buf *a, const char *prefix, unsigned int kind,
		       const struct sigil_signer *s)
{
	unsigned int i;

	if (!s->nids)
		return;
	seq_buf_printf(a, "%s%s_signer=", prefix, sigil_sig_kind_names[kind]);
	for (i = 0; i < s->nids; i++)
		seq_buf_printf(a, "%s%*phN", i ? "," : "", s->len[i], s->id[i]);
	seq_buf_printf(a, "\n");
}

static void put_signature(struct seq_buf *a, const struct sigil_explanation *x,
			  unsigned int kind)
{
	const char *prop = sigil_prop_names[sigil_sig_props[kind]];

	if (x->seen.error_kind == kind) {
		seq_buf_printf(a, "%s=error\n", prop);
		return;
	}
	if (!(x->seen.looked & BIT(kind)))
		return;
	seq_buf_printf(a, "%s=%s\n", prop, sigil_sig_state_names[x->seen.state[kind]]);
	put_signer(a, "", kind, &x->signers[kind]);
	if (x->refused[kind][0]) {
		char key[48];	/* "fsverity_signature_reason" */

		snprintf(key, sizeof(key), "%s_reason", prop);
		put_escaped(a, key, x->refused[kind], strlen(x->refused[kind]));
	}
}

/* The facts the rules looked at, in the order of enum sigil_prop_type. */
static void put_facts(struct seq_buf *a, const struct sigil_explanation *x)
{
	const u32 dmv = SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH);
	unsigned int k;

	if (x->known & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED))
		seq_buf_printf(a, "boot_verified=%s\n",
			       x->truths & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) ?
			       "TRUE" : "FALSE");
	if (x->known & dmv) {
		if (x->seen.dmverity == SIGIL_DMV_NONE)
			seq_buf_printf(a, "dmverity_roothash=none\n");
		else if (x->dmverity_roothash.algo == SIGIL_HASH_NONE)
			seq_buf_printf(a, "dmverity_roothash=unknown\n");
		else
			put_digest(a, "dmverity_roothash", &x->dmverity_roothash);
		seq_buf_printf(a, "dmverity_signature=%s\n",
			       x->truths & SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE) ?
			       "TRUE" : "FALSE");
	}
	if (x->known & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))
		put_digest(a, "fsverity_digest", &x->fsverity_digest);
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		put_signature(a, x, k);
	if (x->known & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS))
		seq_buf_printf(a, "anonymous=%s\n",
			       x->truths & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS) ?
			       "TRUE" : "FALSE");
}

/*
 * The manifest= fact, when a rule looked at it: what it came to, the
 * entry that matched or explains the miss, and the path compared.
 */
static void put_manifest(struct seq_buf *a, const struct sigil_explanation *x,
			 const char *mpath, int mlen)
{
	u8 state = x->seen.manifest.state;

	if (state == SIGIL_MF_NOT_LOOKED)
		return;
	seq_buf_printf(a, "manifest=%s\n", sigil_manifest_state_names[state]);
	if (x->manifest_name[0]) {
		put_escaped(a, "manifest_name", x->manifest_name,
			    strlen(x->manifest_name));
		seq_buf_printf(a, "manifest_version=%u.%u.%u\n",
			       x->manifest_version[0], x->manifest_version[1],
			       x->manifest_version[2]);
		put_escaped(a, "manifest_entry", x->manifest_entry,
			    x->manifest_entry_len);
	}
	if (x->manifest_other_len)
		put_escaped(a, "manifest_elsewhere", x->manifest_other,
			    x->manifest_other_len);
	if (mlen >= 0)
		put_escaped(a, "manifest_path", mpath, mlen);
}

/* The running program's facts, when a rule looked at them. */
static void put_program_facts(struct seq_buf *a,
			      const struct sigil_explanation *x,
			      const char *program)
{
	unsigned int k;

	if (!(x->known & SIGIL_PROPS_PROGRAM))
		return;
	put_escaped(a, "program", program, strlen(program));
	if (x->known & SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_FSVERITY_DIGEST))
		put_digest(a, "program_fsverity_digest",
			   &x->program_fsverity_digest);
	if (x->seen.program_error)
		seq_buf_printf(a, "program_signature=error\n");
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		if (!(x->seen.program_looked & BIT(k)))
			continue;
		seq_buf_printf(a, "program_%s=%s\n", sigil_prop_names[sigil_sig_props[k]],
			       sigil_sig_state_names[x->seen.program_state[k]]);
		put_signer(a, "program_", k, &x->program_signers[k]);
	}
}

/* d_path() of @file into @buf, "none" without one, "?" when it fails. */
static const char *path_of(const struct file *file, char *buf)
{
	const char *path;

	if (!file)
		return "none";
	path = d_path(&file->f_path, buf, PATH_MAX);
	return IS_ERR(path) ? "?" : path;
}

/* Format the answer into a new buffer sized for its untrusted parts. */
static int format_answer(const struct sigil_event *ev,
			 const struct sigil_explanation *x, char **text,
			 size_t *len)
{
	const struct super_block *sb = ev->file ? ev->file->f_path.mnt->mnt_sb : NULL;
	const char *path, *program, *mpath = NULL;
	struct seq_buf a;
	size_t size;
	char *pathbuf, *buf;
	int mlen = -1;
	int rc = 0;

	pathbuf = kmalloc(3 * PATH_MAX, GFP_KERNEL);
	if (!pathbuf)
		return -ENOMEM;
	path = path_of(ev->file, pathbuf);
	program = path_of(ev->program, pathbuf + PATH_MAX);
	if (ev->file && x->seen.manifest.state != SIGIL_MF_NOT_LOOKED)
		mlen = sigil_file_global_path(ev->file, pathbuf + 2 * PATH_MAX,
					      PATH_MAX, &mpath);

	size = EXPLAIN_FIXED_BYTES + 4 * (strlen(path) + strlen(program) +
					  (sb ? strlen(sb->s_id) : 0));
	if (x->lp)
		size += 4 * (strlen(x->lp->policy->name) + SIGIL_REASON_MAX +
			     (x->d.src ? x->d.src->len : 0));
	size += 4 * sizeof(x->refused);
	size += 4 * (strlen(x->manifest_name) + x->manifest_entry_len +
		     x->manifest_other_len + max(mlen, 0)) + 160;
	buf = kvmalloc(size, GFP_KERNEL);
	if (!buf) {
		rc = -ENOMEM;
		goto out_free_path;
	}
	seq_buf_init(&a, buf, size);

	seq_buf_printf(&a, "op=%s\n", sigil_op_names[ev->op]);
	put_escaped(&a, "path", path, strlen(path));
	if (sb) {
		put_escaped(&a, "dev", sb->s_id, strlen(sb->s_id));
		seq_buf_printf(&a, "ino=%lu\n", file_inode(ev->file)->i_ino);
	}
	if (x->lp) {
		put_decision(&a, x);
		put_facts(&a, x);
		put_manifest(&a, x, mpath, mlen);
		put_program_facts(&a, x, program);
	} else {
		seq_buf_printf(&a, "policy=none\nenforce=%d\naction=ALLOW\nmatch=no_policy\n",
			       x->enforcing);
	}
	/* The size above has room for everything: a cut answer is a bug. */
	if (WARN_ON_ONCE(seq_buf_has_overflowed(&a))) {
		kvfree(buf);
		rc = -EOVERFLOW;
		goto out_free_path;
	}
	*text = buf;
	*len = seq_buf_used(&a);
out_free_path:
	kfree(pathbuf);
	return rc;
}

/*
 * The file of descriptor @word, which the caller fput()s: a regular file
 * open for reading, as the hooks would read it.
 */
static int query_file(const char *word, struct file **out)
{
	struct file *file;
	unsigned int fd;

	if (kstrtouint(word, 10, &fd))
		return -EINVAL;
	/* fget() does not return O_PATH descriptors. */
	file = fget(fd);
	if (!file)
		return -EBADF;
	/* What read(2) asks: the caller opened it for reading. */
	if (!(file->f_mode & FMODE_READ)) {
		fput(file);
		return -EBADF;
	}
	if (!S_ISREG(file_inode(file)->i_mode)) {
		fput(file);
		return -EINVAL;
	}
	*out = file;
	return 0;
}

/*
 * Parse "OP FD|anonymous [PROGRAM_FD]" into an event whose files the caller
 * drops with put_query().  Without PROGRAM_FD the running program is none:
 * the one asking is not the one whose access is explained.
 */
static int parse_query(const char __user *ubuf, size_t len,
		       struct sigil_event *ev)
{
	char query[EXPLAIN_QUERY_MAX], *p, *op, *what, *program;
	unsigned int i;
	int rc;

	memset(ev, 0, sizeof(*ev));
	if (!len || len >= sizeof(query))
		return -EINVAL;
	if (copy_from_user(query, ubuf, len))
		return -EFAULT;
	query[len] = '\0';
	p = strim(query);
	/* One line: "EXECUTE 3\n", "EXECUTE anonymous 4", not two lines. */
	if (strchr(p, '\n'))
		return -EINVAL;
	op = strsep(&p, " \t");
	if (!p)
		return -EINVAL;
	p = skip_spaces(p);
	what = strsep(&p, " \t");
	program = p ? skip_spaces(p) : NULL;
	if (!*what || (program && strpbrk(program, " \t")))
		return -EINVAL;
	for (i = 0; i < __SIGIL_OP_MAX; i++)
		if (!strcmp(op, sigil_op_names[i]))
			break;
	if (i == __SIGIL_OP_MAX)
		return -EINVAL;
	ev->op = i;
	ev->program_given = true;

	if (!strcmp(what, "anonymous")) {
		ev->mem = SIGIL_MEM_ANONYMOUS;
		/* Memory for EXECUTE, a buffer for the kernel's reads. */
		ev->hook = i == SIGIL_OP_EXECUTE ? SIGIL_HOOK_MMAP :
			   SIGIL_HOOK_KERNEL_LOAD;
	} else {
		rc = query_file(what, &ev->file);
		if (rc)
			return rc;
		/* The hook that would decide: execve() for EXECUTE, else a read. */
		ev->hook = i == SIGIL_OP_EXECUTE ? SIGIL_HOOK_BPRM_CHECK :
			   SIGIL_HOOK_KERNEL_READ;
	}
	if (program) {
		rc = query_file(program, &ev->program);
		if (rc) {
			if (ev->file)
				fput(ev->file);
			return rc;
		}
	}
	return 0;
}

static void put_query(struct sigil_event *ev)
{
	if (ev->file)
		fput(ev->file);
	if (ev->program)
		fput(ev->program);
}

static int explain(const char __user *ubuf, size_t len, char **text,
		   size_t *tlen)
{
	struct sigil_explanation *x;
	struct sigil_event ev;
	int rc;

	rc = parse_query(ubuf, len, &ev);
	if (rc)
		return rc;
	x = kmalloc(sizeof(*x), GFP_KERNEL);
	if (!x) {
		rc = -ENOMEM;
		goto out_fput;
	}
	sigil_explain(&ev, x);
	rc = format_answer(&ev, x, text, tlen);
	if (x->lp)
		sigil_policy_put(x->lp);
	kfree(x);
out_fput:
	put_query(&ev);
	return rc;
}

static int explain_open(struct inode *inode, struct file *file)
{
	struct explain_answer *ans = kzalloc(sizeof(*ans), GFP_KERNEL);

	if (!ans)
		return -ENOMEM;
	mutex_init(&ans->lock);
	file->private_data = ans;
	return 0;
}

/*
 * A query replaces the answer, or on failure removes it, so that a reader
 * never takes an earlier answer for this one; the next read starts at its
 * beginning.
 */
static ssize_t explain_write(struct file *file, const char __user *buf,
			     size_t len, loff_t *ppos)
{
	struct explain_answer *ans = file->private_data;
	size_t tlen = 0;
	char *text = NULL;
	int rc;

	if (!sigil_may_admin(file))
		return -EPERM;
	rc = explain(buf, len, &text, &tlen);
	mutex_lock(&ans->lock);
	kvfree(ans->text);
	ans->text = text;
	ans->len = tlen;
	mutex_unlock(&ans->lock);
	if (rc)
		return rc;
	*ppos = 0;
	return len;
}

static ssize_t explain_read(struct file *file, char __user *buf, size_t len,
			    loff_t *ppos)
{
	struct explain_answer *ans = file->private_data;
	ssize_t n;

	mutex_lock(&ans->lock);
	n = simple_read_from_buffer(buf, len, ppos, ans->text, ans->len);
	mutex_unlock(&ans->lock);
	return n;
}

static int explain_release(struct inode *inode, struct file *file)
{
	struct explain_answer *ans = file->private_data;

	kvfree(ans->text);
	mutex_destroy(&ans->lock);
	kfree(ans);
	return 0;
}

const struct file_operations sigil_explain_fops = {
	.open = explain_open,
	.write = explain_write,
	.read = explain_read,
	.release = explain_release,
	.llseek = generic_file_llseek,
};
