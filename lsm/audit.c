// SPDX-License-Identifier: GPL-2.0-only
/*
 * Audit records for auditd: every logged decision, and every change to
 * sigil's policies and switches, failures included.  The record types and
 * their fields are described in Documentation/audit.rst.
 */

#include "sigil.h"
#include "audit.h"
#include "eval.h"
#include "log.h"
#include "lifecycle.h"

#include <linux/audit.h>
#include <linux/cred.h>
#include <linux/sched.h>

/*
 * Record types.  The numbers after AUDIT_MAC_CALIPSO_DEL belong to IPE and
 * Landlock, and any new one may be taken upstream next, so sigil uses the
 * generic types that every audit tool already names.
 */
#define SIGIL_AUDIT_DECISION	AUDIT_INTEGRITY_DATA
#define SIGIL_AUDIT_POLICY	AUDIT_MAC_POLICY_LOAD
#define SIGIL_AUDIT_STATUS	AUDIT_MAC_STATUS
#define SIGIL_AUDIT_CONFIG	AUDIT_MAC_CONFIG_CHANGE

static const char *const sigil_audit_op_names[__SIGIL_AUDIT_OP_MAX] = {
	[SIGIL_AUDIT_LOAD]	= "load",
	[SIGIL_AUDIT_UPDATE]	= "update",
	[SIGIL_AUDIT_ACTIVATE]	= "activate",
	[SIGIL_AUDIT_DELETE]	= "delete",
};

/* The securityfs file of each switch. */
static const char *const sigil_audit_switch_names[__SIGIL_AUDIT_SWITCH_MAX] = {
	[SIGIL_AUDIT_ENFORCE]		= "enforce",
	[SIGIL_AUDIT_SUCCESS_AUDIT]	= "success_audit",
	[SIGIL_AUDIT_KEYRING_LOCKED]	= "keyring_locked",
};

/* Anything a user chose is hex-encoded when it could forge a field. */
static void log_untrusted(struct audit_buffer *ab, const char *key,
			  const char *s, size_t n)
{
	audit_log_format(ab, " %s=", key);
	audit_log_n_untrustedstring(ab, s, n);
}

static void log_string(struct audit_buffer *ab, const char *key,
		       const char *s)
{
	if (s)
		log_untrusted(ab, key, s, strlen(s));
	else
		audit_log_format(ab, " %s=?", key);
}

/* current->comm is read without its lock, as the log does: no sleeping. */
static void log_task(struct audit_buffer *ab)
{
	audit_log_format(ab, " pid=%d", task_tgid_nr(current));
	log_untrusted(ab, "comm", current->comm,
		      strnlen(current->comm, TASK_COMM_LEN));
}

static void log_login(struct audit_buffer *ab)
{
	audit_log_format(ab, " auid=%u ses=%u",
			 from_kuid(&init_user_ns, audit_get_loginuid(current)),
			 audit_get_sessionid(current));
}

static void log_version(struct audit_buffer *ab, const u16 *version)
{
	if (version)
		audit_log_format(ab, " version=%u.%u.%u", version[0],
				 version[1], version[2]);
	else
		audit_log_format(ab, " version=?");
}

static void log_file(struct audit_buffer *ab, const struct file *file,
		     const char *path)
{
	const char *dev;

	if (!file) {
		audit_log_format(ab, " path=? dev=? ino=?");
		return;
	}
	log_string(ab, "path", IS_ERR_OR_NULL(path) ? NULL : path);
	dev = file->f_path.mnt->mnt_sb->s_id;
	log_untrusted(ab, "dev", dev, strlen(dev));
	audit_log_format(ab, " ino=%lu", file_inode(file)->i_ino);
}

static void log_reason(struct audit_buffer *ab, const struct sigil_loaded *lp,
		       const struct sigil_decision *d,
		       const struct sigil_sig_report *sigs)
{
	char why[SIGIL_REASON_MAX];

	if (d->match == SIGIL_MATCH_ERROR) {
		sigil_decision_reason(why, sizeof(why), d, sigs);
		audit_log_format(ab, " error=%d", d->error);
		log_string(ab, "reason", why);
		return;
	}
	audit_log_format(ab, " line=%u", d->src->line);
	log_untrusted(ab, "rule", lp->text + d->src->off, d->src->len);
}

/* What the manifest= fact came to, as the log reports it. */
static void log_manifest(struct audit_buffer *ab,
			 const struct sigil_manifest_report *r)
{
	if (r->state == SIGIL_MF_NOT_LOOKED)
		return;
	audit_log_format(ab, " manifest=%s", sigil_manifest_state_names[r->state]);
	if (!r->e)
		return;
	log_string(ab, "manifest_name", r->m->name);
	log_untrusted(ab, "manifest_entry", sigil_manifest_path(r->m, r->e),
		      r->e->path_len);
	if (r->other_e)
		log_untrusted(ab, "manifest_elsewhere",
			      sigil_manifest_path(r->other_m, r->other_e),
			      r->other_e->path_len);
}

/**
 * sigil_audit_decision() - audit one logged decision
 * @ev: the event
 * @lp: the policy that decided
 * @d: the decision
 * @sigs: the signatures the rules looked at
 * @enforcing: whether a denial was enforced
 * @path: the file's path from d_path(), an ERR_PTR() when it has none, or
 *	  NULL without a file
 *
 * Nothing is recorded while auditing is disabled: the decision log and the
 * kernel log already have it.
 *
 * Context: RCU read side, which keeps @lp alive.  Does not sleep.
 */
void sigil_audit_decision(const struct sigil_event *ev,
			  const struct sigil_loaded *lp,
			  const struct sigil_decision *d,
			  const struct sigil_sig_report *sigs, bool enforcing,
			  const char *path)
{
	bool deny = d->action != SIGIL_ACTION_ALLOW;
	const struct sigil_policy *p = lp->policy;
	struct audit_buffer *ab;
	unsigned int k;

	if (!audit_enabled)
		return;
	ab = audit_log_start(audit_context(), GFP_ATOMIC | __GFP_NOWARN,
			     SIGIL_AUDIT_DECISION);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=sigil decision=%s enforcing=%d op=%s sigil_hook=%s",
			 deny ? "DENY" : "ALLOW", enforcing,
			 ev->op < __SIGIL_OP_MAX ? sigil_op_names[ev->op] : "UNKNOWN",
			 sigil_hook_names[ev->hook]);
	log_task(ab);
	log_file(ab, ev->file, path);
	if (ev->op == SIGIL_OP_EXECUTE && ev->hook != SIGIL_HOOK_BPRM_CHECK)
		audit_log_format(ab, " memory=%s",
				 sigil_memory_names[ev->file ? ev->mem :
						    SIGIL_MEM_ANONYMOUS]);
	log_string(ab, "policy", p->name);
	log_version(ab, p->version);
	log_reason(ab, lp, d, sigs);
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (sigs->looked & BIT(k))
			audit_log_format(ab, " %s_sig=%s",
					 sigil_sig_kind_names[k],
					 sigil_sig_state_names[sigs->state[k]]);
	log_manifest(ab, &sigs->manifest);
	audit_log_format(ab, " res=%d", !(deny && enforcing));
	audit_log_end(ab);
}

/* A policy's or a manifest's change: @key names which. */
static void audit_change(enum sigil_audit_op op, const char *key,
			 const char *name, const u16 *version,
			 const char *signer, int err, const char *msg)
{
	struct audit_buffer *ab;

	if (!audit_enabled)
		return;
	ab = audit_log_start(audit_context(), GFP_KERNEL, SIGIL_AUDIT_POLICY);
	if (!ab)
		return;
	audit_log_format(ab, "lsm=sigil op=%s", sigil_audit_op_names[op]);
	log_string(ab, key, name);
	log_version(ab, version);
	log_string(ab, "signer", signer);
	log_task(ab);
	log_login(ab);
	if (err) {
		audit_log_format(ab, " error=%d", err);
		log_string(ab, "reason", msg);
	}
	audit_log_format(ab, " res=%d", !err);
	audit_log_end(ab);
}

/**
 * sigil_audit_policy() - audit the outcome of an operation on a policy
 * @op: what was done
 * @name: the policy's name, or NULL when it is not known (its text did
 *	  not parse)
 * @version: its version as major, minor, revision, or NULL
 * @signer: the key that signed it, as its ID in hex, or NULL
 * @err: 0 on success, else the negative errno the writer got
 * @msg: on failure, the reason, as status reports it
 *
 * Context: process context; may sleep while audit's backlog is full.
 */
void sigil_audit_policy(enum sigil_audit_op op, const char *name,
			const u16 *version, const char *signer, int err,
			const char *msg)
{
	audit_change(op, "policy", name, version, signer, err, msg);
}

/**
 * sigil_audit_manifest() - audit the outcome of an operation on a manifest
 * @op: what was done: load, update or delete
 * @name: the manifest's name, or NULL when it is not known
 * @version: its version as major, minor, patch, or NULL
 * @signer: the key that signed it, or NULL
 * @err: 0 on success, else the negative errno the writer got
 * @msg: on failure, the reason, as status reports it
 *
 * The record is a policy change's, with manifest= in place of policy=.
 *
 * Context: process context; may sleep while audit's backlog is full.
 */
void sigil_audit_manifest(enum sigil_audit_op op, const char *name,
			  const u16 *version, const char *signer, int err,
			  const char *msg)
{
	audit_change(op, "manifest", name, version, signer, err, msg);
}

/**
 * sigil_audit_switch() - audit a change to a securityfs switch
 * @sw: the switch
 * @old: its value before
 * @value: its value now
 *
 * enforce goes to an AUDIT_MAC_STATUS record with SELinux's and IPE's
 * fields; the other switches to AUDIT_MAC_CONFIG_CHANGE, as booleans.
 *
 * Context: process context; may sleep while audit's backlog is full.
 */
void sigil_audit_switch(enum sigil_audit_switch sw, bool old, bool value)
{
	struct audit_buffer *ab;

	if (!audit_enabled)
		return;
	ab = audit_log_start(audit_context(), GFP_KERNEL,
			     sw == SIGIL_AUDIT_ENFORCE ? SIGIL_AUDIT_STATUS :
			     SIGIL_AUDIT_CONFIG);
	if (!ab)
		return;
	if (sw == SIGIL_AUDIT_ENFORCE)
		audit_log_format(ab,
				 "lsm=sigil enforcing=%d old_enforcing=%d enabled=1 old-enabled=1",
				 value, old);
	else
		audit_log_format(ab, "lsm=sigil bool=%s val=%d old_val=%d",
				 sigil_audit_switch_names[sw], value, old);
	log_task(ab);
	log_login(ab);
	audit_log_format(ab, " res=1");
	audit_log_end(ab);
}
