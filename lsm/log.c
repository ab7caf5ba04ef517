// SPDX-License-Identifier: GPL-2.0-only
/*
 * The decision log: one line per logged decision, kept in a fixed ring that
 * sigil/log shows, and sent to the kernel log, ratelimited.  Nothing here
 * allocates: the hot path may log a denial.
 */

#include "sigil.h"

#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/ratelimit.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/spinlock.h>

#define SIGIL_LOG_ENTRIES	64
#define SIGIL_LOG_LINE		512

static_assert((SIGIL_LOG_ENTRIES & (SIGIL_LOG_ENTRIES - 1)) == 0);

struct log_entry {
	u16 len;
	char line[SIGIL_LOG_LINE];
};

/* The ring and the path buffer are protected by sigil_log_lock. */
static DEFINE_SPINLOCK(sigil_log_lock);
static struct log_entry sigil_log[SIGIL_LOG_ENTRIES];
static u64 sigil_log_next;
static char sigil_log_path[PATH_MAX];

/* Separate limits, so that success_audit noise cannot hide denials. */
static DEFINE_RATELIMIT_STATE(sigil_deny_rs, 5 * HZ, 10);
static DEFINE_RATELIMIT_STATE(sigil_allow_rs, 5 * HZ, 10);

struct line {
	char *buf;
	size_t len;
};

static __printf(2, 3) void put(struct line *l, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	l->len += vscnprintf(l->buf + l->len, SIGIL_LOG_LINE - l->len, fmt, ap);
	va_end(ap);
}

/*
 * Append untrusted bytes as a quoted string.  Anything that could end the
 * string, the line or the field early, or forge one (quotes, backslashes,
 * control and non-ASCII bytes), is written as \xHH.
 */
static void put_quoted(struct line *l, const char *s, size_t n)
{
	size_t i;

	put(l, "\"");
	for (i = 0; i < n && l->len < SIGIL_LOG_LINE - 6; i++) {
		u8 c = s[i];

		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
			l->buf[l->len++] = c;
		else
			put(l, "\\x%02x", c);
	}
	l->buf[l->len] = '\0';
	put(l, "\"");
}

static void put_file(struct line *l, const struct file *file)
{
	const char *path;

	if (!file) {
		put(l, " path=none");
		return;
	}
	path = d_path(&file->f_path, sigil_log_path, sizeof(sigil_log_path));
	put(l, " path=");
	if (IS_ERR(path))
		put(l, "?");
	else
		put_quoted(l, path, strlen(path));
	put(l, " dev=");
	put_quoted(l, file->f_path.mnt->mnt_sb->s_id,
		   strlen(file->f_path.mnt->mnt_sb->s_id));
	put(l, " ino=%lu", file_inode(file)->i_ino);
}

static void put_reason(struct line *l, const struct sigil_loaded *lp,
		       const struct sigil_decision *d)
{
	if (d->match == SIGIL_MATCH_ERROR) {
		put(l, " error=%d reason=", d->error);
		if (d->error_prop < __SIGIL_PROP_MAX)
			put(l, "\"%s lookup failed\"",
			    sigil_prop_names[d->error_prop]);
		else
			put(l, "\"no DEFAULT for this operation\"");
		return;
	}
	put(l, " line=%u rule=", d->src->line);
	put_quoted(l, lp->text + d->src->off, d->src->len);
}

/**
 * sigil_log_decision() - log one decision
 * @ev: the event
 * @lp: the policy that decided
 * @d: the decision
 * @enforcing: whether a denial was enforced
 *
 * Context: RCU read side, which keeps @lp alive.  Does not sleep.
 */
void sigil_log_decision(const struct sigil_event *ev,
			const struct sigil_loaded *lp,
			const struct sigil_decision *d, bool enforcing)
{
	bool deny = d->action != SIGIL_ACTION_ALLOW;
	struct log_entry *e;
	struct line l;

	spin_lock(&sigil_log_lock);
	e = &sigil_log[sigil_log_next & (SIGIL_LOG_ENTRIES - 1)];
	l.buf = e->line;
	l.len = 0;
	put(&l, "seq=%llu action=%s enforce=%d op=%s hook=%s pid=%d comm=",
	    sigil_log_next++, deny ? "DENY" : "ALLOW", enforcing,
	    ev->op < __SIGIL_OP_MAX ? sigil_op_names[ev->op] : "UNKNOWN",
	    sigil_hook_names[ev->hook], task_tgid_nr(current));
	put_quoted(&l, current->comm, strnlen(current->comm, TASK_COMM_LEN));
	put_file(&l, ev->file);
	put(&l, " policy=");
	put_quoted(&l, lp->policy->name, strlen(lp->policy->name));
	put_reason(&l, lp, d);
	e->len = l.len;

	if (__ratelimit(deny ? &sigil_deny_rs : &sigil_allow_rs))
		pr_notice("%s\n", e->line);
	spin_unlock(&sigil_log_lock);
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
