// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decision log: one line per logged decision, kept in a fixed ring that
 * sigil/log shows, sent to the kernel log, ratelimited, and to audit.
 * Nothing here sleeps, and only audit allocates, atomically: the hot path
 * may log a denial.
 */

#include "sigil.h"
#include "log.h"
#include "eval.h"
#include "lifecycle.h"
#include "audit.h"
#include "dmverity.h"

#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_buf.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#define SIGIL_LOG_ENTRIES	64
#define SIGIL_LOG_LINE		512
/* Room for "seq=N " before the rest of a line. */
#define SIGIL_LOG_SEQ		24

static_assert((SIGIL_LOG_ENTRIES & (SIGIL_LOG_ENTRIES - 1)) == 0);

struct log_entry {
	u16 len;
	char line[SIGIL_LOG_LINE];
};

/* The ring and its sequence counter are protected by sigil_log_lock. */
static DEFINE_SPINLOCK(sigil_log_lock);
static struct log_entry sigil_log[SIGIL_LOG_ENTRIES];
static u64 sigil_log_next;

/*
 * Lines are built in a per-CPU scratch area with preemption disabled, so
 * that the shared lock covers only a copy, never d_path() or printk().
 */
struct log_scratch {
	char line[SIGIL_LOG_LINE - SIGIL_LOG_SEQ];
	char path[PATH_MAX];
	char program[PATH_MAX];
};

static DEFINE_PER_CPU(struct log_scratch, sigil_log_scratch);

/* Separate limits, so that success_audit noise cannot hide denials. */
static DEFINE_RATELIMIT_STATE(sigil_deny_rs, 5 * HZ, 10);
static DEFINE_RATELIMIT_STATE(sigil_allow_rs, 5 * HZ, 10);

/**
 * sigil_quote() - quote untrusted bytes for a log line
 * @buf: output, always NUL-terminated
 * @size: size of @buf; at least 3
 * @s: the bytes
 * @n: their number
 *
 * Anything that could end the string, the line or the field early, or
 * forge one (quotes, backslashes, control and non-ASCII bytes), is written
 * as \xHH.  Output that does not fit is cut at a character boundary.
 *
 * Return: the length of the quoted string in @buf.
 */
size_t sigil_quote(char *buf, size_t size, const char *s, size_t n)
{
	size_t len = 0, i;

	buf[len++] = '"';
	for (i = 0; i < n && len + 6 <= size; i++) {
		u8 c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			buf[len++] = c;
		else
			len += scnprintf(buf + len, size - len, "\\x%02x", c);
	}
	buf[len++] = '"';
	buf[len] = '\0';
	return len;
}

/* Quote @s into @l, when there is room for at least the quotes. */
static void put_quoted(struct seq_buf *l, const char *s, size_t n)
{
	size_t size;
	char *buf;

	size = seq_buf_get_buf(l, &buf);
	if (size >= 3)
		seq_buf_commit(l, sigil_quote(buf, size, s, n));
}

/* The file's fields; returns its d_path(), NULL without a file. */
static const char *put_file(struct seq_buf *l, const struct file *file,
			    char *pathbuf)
{
	const char *path;

	if (!file) {
		seq_buf_printf(l, " path=none");
		return NULL;
	}
	/* An overlayfs file's real file is logged by the overlay's path. */
	path = d_path(file_user_path(file), pathbuf, PATH_MAX);
	seq_buf_printf(l, " path=");
	if (IS_ERR(path))
		seq_buf_printf(l, "?");
	else
		put_quoted(l, path, strlen(path));
	seq_buf_printf(l, " dev=");
	put_quoted(l, file->f_path.mnt->mnt_sb->s_id,
		   strlen(file->f_path.mnt->mnt_sb->s_id));
	seq_buf_printf(l, " ino=%lu", file_inode(file)->i_ino);
	return path;
}

/**
 * sigil_decision_reason() - why a lookup failed, for a decision's reason
 * @buf: output, always NUL-terminated
 * @size: size of @buf
 * @d: a decision with match %SIGIL_MATCH_ERROR
 * @sigs: the signatures the rules looked at
 *
 * For a signature, the property and what failed: "ima_signature: ...".
 */
void sigil_decision_reason(char *buf, size_t size,
			   const struct sigil_decision *d,
			   const struct sigil_sig_report *sigs)
{
	if ((sigs->error_kind >= 0 &&
	     d->error_prop == sigil_sig_props[sigs->error_kind]) ||
	    (sigs->program_error && d->error_prop == SIGIL_PROP_PROGRAM_SIGNER) ||
	    (d->error_prop == SIGIL_PROP_MANIFEST && sigs->why))
		scnprintf(buf, size, "%s: %s", sigil_prop_names[d->error_prop],
			  sigs->why);
	else if (d->error_prop == __SIGIL_PROP_MAX && sigs->why)
		strscpy(buf, sigs->why, size);
	else if (d->error_prop < __SIGIL_PROP_MAX)
		scnprintf(buf, size, "%s lookup failed",
			  sigil_prop_names[d->error_prop]);
	else
		strscpy(buf, "no DEFAULT for this operation", size);
}

static void put_reason(struct seq_buf *l, const struct sigil_loaded *lp,
		       const struct sigil_decision *d,
		       const struct sigil_sig_report *sigs)
{
	char why[SIGIL_REASON_MAX];

	if (d->match == SIGIL_MATCH_ERROR) {
		sigil_decision_reason(why, sizeof(why), d, sigs);
		seq_buf_printf(l, " error=%d reason=", d->error);
		put_quoted(l, why, strlen(why));
		return;
	}
	seq_buf_printf(l, " line=%u rule=", d->src->line);
	put_quoted(l, lp->text + d->src->off, d->src->len);
}

/*
 * The state of each signature the rules looked at: "ima_sig=valid"; and
 * the running program's, when a rule looked at it: "program=PATH
 * program_ima_sig=valid".
 */
static void put_signatures(struct seq_buf *l, const struct sigil_sig_report *sigs,
			   char *pathbuf)
{
	const char *path;
	unsigned int k;

	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (sigs->looked & BIT(k))
			seq_buf_printf(l, " %s_sig=%s", sigil_sig_kind_names[k],
				       sigil_sig_state_names[sigs->state[k]]);
	if (!sigs->program)
		return;
	path = d_path(file_user_path(sigs->program), pathbuf, PATH_MAX);
	seq_buf_printf(l, " program=");
	if (IS_ERR(path))
		seq_buf_printf(l, "?");
	else
		put_quoted(l, path, strlen(path));
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (sigs->program_looked & BIT(k))
			seq_buf_printf(l, " program_%s_sig=%s", sigil_sig_kind_names[k],
				       sigil_sig_state_names[sigs->program_state[k]]);
}

/*
 * The file's dm-verity volume, when a rule looked at it: "dmverity=none",
 * or its root hash and, when the kernel checks root hash signatures,
 * "dmverity_sig=valid" or "absent".  A root hash whose algorithm policies
 * cannot name shows as "unknown".
 */
static void put_dmverity(struct seq_buf *l, const struct sigil_sig_report *sigs)
{
	const struct sigil_digest *rh = sigs->roothash;

	if (sigs->dmverity == SIGIL_DMV_NOT_LOOKED)
		return;
	if (sigs->dmverity == SIGIL_DMV_NONE) {
		seq_buf_printf(l, " dmverity=none");
		return;
	}
	if (rh->algo == SIGIL_HASH_NONE)
		seq_buf_printf(l, " dmverity_roothash=unknown");
	else
		seq_buf_printf(l, " dmverity_roothash=%s:%*phN",
			       sigil_hash_algos[rh->algo].name, rh->size, rh->bytes);
	if (IS_ENABLED(CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG))
		seq_buf_printf(l, " dmverity_sig=%s",
			       sigil_sig_state_names[sigs->dmverity == SIGIL_DMV_SIGNED ?
			       SIGIL_SIG_VALID : SIGIL_SIG_ABSENT]);
}

/*
 * What the manifest= fact came to, when a rule looked at it:
 * "manifest=match manifest_name=base manifest_entry="/usr/bin/ping"
 * manifest_version=1.0.0"; the entry is the one that matched, or
 * that lists the path with another digest, or the digest under another
 * path; for a swap, "manifest_elsewhere" also names where the file's
 * bytes are listed.
 */
static void put_manifest(struct seq_buf *l, const struct sigil_sig_report *sigs)
{
	const struct sigil_manifest_report *r = &sigs->manifest;

	if (r->state == SIGIL_MF_NOT_LOOKED)
		return;
	seq_buf_printf(l, " manifest=%s", sigil_manifest_state_names[r->state]);
	if (!r->e)
		return;
	/* Manifest names hold no blank, quote or control byte. */
	seq_buf_printf(l, " manifest_name=%s manifest_entry=", r->m->name);
	put_quoted(l, sigil_manifest_path(r->m, r->e), r->e->path_len);
	seq_buf_printf(l, " manifest_version=%u.%u.%u", r->m->version[0],
		       r->m->version[1], r->m->version[2]);
	if (r->other_e) {
		seq_buf_printf(l, " manifest_elsewhere=");
		put_quoted(l, sigil_manifest_path(r->other_m, r->other_e),
			   r->other_e->path_len);
	}
}

/**
 * sigil_log_decision() - log one decision
 * @ev: the event
 * @lp: the policy that decided
 * @d: the decision
 * @sigs: the signatures the rules looked at
 * @enforcing: whether a denial was enforced
 *
 * Context: RCU read side, which keeps @lp alive.  Does not sleep.
 */
void sigil_log_decision(const struct sigil_event *ev,
			const struct sigil_loaded *lp,
			const struct sigil_decision *d,
			const struct sigil_sig_report *sigs, bool enforcing)
{
	bool deny = d->action != SIGIL_ACTION_ALLOW;
	struct log_scratch *sc;
	struct log_entry *e;
	const char *path, *line;
	struct seq_buf l;
	u64 seq;

	sc = get_cpu_ptr(&sigil_log_scratch);
	seq_buf_init(&l, sc->line, sizeof(sc->line));
	seq_buf_printf(&l, "action=%s enforce=%d op=%s hook=%s pid=%d comm=",
		       deny ? "DENY" : "ALLOW", enforcing,
		       ev->op < __SIGIL_OP_MAX ? sigil_op_names[ev->op] : "UNKNOWN",
		       sigil_hook_names[ev->hook], task_tgid_nr(current));
	put_quoted(&l, current->comm, strnlen(current->comm, TASK_COMM_LEN));
	path = put_file(&l, ev->file, sc->path);
	if (ev->op == SIGIL_OP_EXECUTE && ev->hook != SIGIL_HOOK_BPRM_CHECK)
		seq_buf_printf(&l, " memory=%s", sigil_memory_names[ev->file ? ev->mem :
			       SIGIL_MEM_ANONYMOUS]);
	seq_buf_printf(&l, " policy=");
	put_quoted(&l, lp->policy->name, strlen(lp->policy->name));
	put_reason(&l, lp, d, sigs);
	put_signatures(&l, sigs, sc->program);
	put_dmverity(&l, sigs);
	put_manifest(&l, sigs);
	line = seq_buf_str(&l);

	spin_lock(&sigil_log_lock);
	seq = sigil_log_next++;
	e = &sigil_log[seq & (SIGIL_LOG_ENTRIES - 1)];
	e->len = scnprintf(e->line, sizeof(e->line), "seq=%llu %s", seq,
			   line);
	spin_unlock(&sigil_log_lock);

	if (__ratelimit(deny ? &sigil_deny_rs : &sigil_allow_rs))
		pr_notice("seq=%llu %s\n", seq, line);
	/* Not ratelimited: audit has its own rate and backlog limits. */
	sigil_audit_decision(ev, lp, d, sigs, enforcing, path);
	put_cpu_ptr(&sigil_log_scratch);
}

/**
 * sigil_log_show() - print the logged decisions, oldest first
 * @m: the seq_file of sigil/log
 *
 * Return: 0.
 */
int sigil_log_show(struct seq_file *m)
{
	u64 seq;

	spin_lock(&sigil_log_lock);
	seq = sigil_log_next > SIGIL_LOG_ENTRIES ?
	      sigil_log_next - SIGIL_LOG_ENTRIES : 0;
	for (; seq < sigil_log_next; seq++) {
		const struct log_entry *e =
			&sigil_log[seq & (SIGIL_LOG_ENTRIES - 1)];

		seq_write(m, e->line, e->len);
		seq_putc(m, '\n');
	}
	spin_unlock(&sigil_log_lock);
	return 0;
}
