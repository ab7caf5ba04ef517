// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy lifecycle: load, activate and delete.  Writers serialize on
 * sigil_policy_mutex; the hot path reads sigil_active under RCU only.  A
 * failed operation changes nothing and leaves its reason in status.
 */

#include "sigil.h"
#include "lifecycle.h"
#include "upload.h"
#include "fs.h"
#include "cache.h"
#include "audit.h"
#include "log.h"
#include "dmverity.h"

#include <linux/list.h>
#include <linux/slab.h>

struct sigil_loaded __rcu *sigil_active;
/*
 * Serializes every change to the loaded policies, sigil_active and modes.
 * It is never held across a copy to user memory or a securityfs change, so
 * a stalled reader cannot keep an administrator from switching policies.
 */
DEFINE_MUTEX(sigil_policy_mutex);
/*
 * Serializes the creation and removal of policies/<name>/ directories, which
 * wait on securityfs inode locks.  Taken before sigil_policy_mutex.
 */
static DEFINE_MUTEX(sigil_fs_mutex);

/* Protected by sigil_policy_mutex. */
static LIST_HEAD(sigil_policies);
static unsigned long sigil_load_failures;
static char sigil_last_error[SIGIL_ERR_MSG_MAX + 64];

/**
 * sigil_parse_props() - the properties this kernel can evaluate
 *
 * Kbuild's polgen-without, which checks the boot policy at build time,
 * follows the same conditions.
 *
 * Return: SIGIL_PROP_BIT()s for sigil_parse_opts.
 */
u32 sigil_parse_props(void)
{
	u32 props = SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) |
		    SIGIL_PROP_BIT(SIGIL_PROP_IMA_SIGNATURE) |
		    SIGIL_PROP_BIT(SIGIL_PROP_PGP_SIGNATURE) |
		    SIGIL_PROP_BIT(SIGIL_PROP_SIGNER) |
		    SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS) |
		    SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_SIGNER) |
		    SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST);

	if (IS_ENABLED(CONFIG_FS_VERITY))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST) |
			 SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_FSVERITY_DIGEST);
	if (IS_ENABLED(CONFIG_FS_VERITY_BUILTIN_SIGNATURES))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE);
	props |= sigil_dmverity_props();
	return props;
}

/*
 * Record why operation @op on policy @pol (NULL when not known) failed, for
 * status, the kernel log and audit.  Caller holds sigil_policy_mutex.
 */
static __printf(4, 5) int report(enum sigil_audit_op op,
				 const struct sigil_policy *pol, int err,
				 const char *fmt, ...)
{
	va_list ap;

	lockdep_assert_held(&sigil_policy_mutex);
	va_start(ap, fmt);
	vsnprintf(sigil_last_error, sizeof(sigil_last_error), fmt, ap);
	va_end(ap);
	sigil_load_failures++;
	pr_warn_ratelimited("%s (%d)\n", sigil_last_error, err);
	sigil_audit_policy(op, pol ? pol->name : NULL,
			   pol ? pol->version : NULL, NULL, err,
			   sigil_last_error);
	return err;
}

static struct sigil_loaded *find_policy(const char *name)
{
	struct sigil_loaded *lp;

	list_for_each_entry(lp, &sigil_policies, node)
		if (!strcmp(lp->policy->name, name))
			return lp;
	return NULL;
}

static void free_loaded(struct sigil_loaded *lp)
{
	sigil_policy_free(lp->policy);
	kvfree(lp->text);
	kfree(lp);
}

static void release_loaded(struct kref *ref)
{
	free_loaded(container_of(ref, struct sigil_loaded, ref));
}

/**
 * sigil_policy_put() - drop a reference to a loaded policy
 * @lp: the policy
 *
 * The list of loaded policies holds one reference; securityfs handlers take
 * one while they use a policy outside sigil_policy_mutex.
 */
void sigil_policy_put(struct sigil_loaded *lp)
{
	kref_put(&lp->ref, release_loaded);
}

/**
 * sigil_loaded_bytes() - kernel memory held by a loaded policy
 * @lp: the policy
 *
 * Return: bytes of its compiled form, its text and its bookkeeping.
 */
size_t sigil_loaded_bytes(const struct sigil_loaded *lp)
{
	return sizeof(*lp) + lp->policy->mem_bytes + lp->textlen;
}

static struct sigil_loaded *new_loaded(char *text, size_t len,
				       struct sigil_policy *pol,
				       const char *signer)
{
	struct sigil_loaded *lp = kzalloc(sizeof(*lp), GFP_KERNEL);

	if (!lp)
		return NULL;
	kref_init(&lp->ref);
	INIT_LIST_HEAD(&lp->node);
	lp->policy = pol;
	lp->text = text;
	lp->textlen = len;
	strscpy(lp->signer, signer, sizeof(lp->signer));
	return lp;
}

static void log_loaded(const char *what, const struct sigil_loaded *lp,
		       enum sigil_audit_op op)
{
	const struct sigil_policy *pol = lp->policy;

	sigil_audit_policy(op, pol->name, pol->version, lp->signer, 0, NULL);
	pr_info("policy '%s' version %u.%u.%u %s: %u rules, %zu bytes, signer %s\n",
		pol->name, pol->version[0], pol->version[1], pol->version[2],
		what, pol->nrules, sigil_loaded_bytes(lp), lp->signer);
}

/*
 * Replace @old by @lp, in the list, in securityfs and, when @old is the
 * active policy, as the enforced one.  Caller holds sigil_policy_mutex;
 * it drops the list's reference to @old after a grace period.
 */
static int replace_policy(struct sigil_loaded *old, struct sigil_loaded *lp)
{
	const struct sigil_policy *o = old->policy, *p = lp->policy;

	lockdep_assert_held(&sigil_policy_mutex);
	if (list_empty(&old->node))
		return report(SIGIL_AUDIT_UPDATE, p, -ENOENT,
			      "update rejected: policy '%s' was deleted meanwhile",
			      o->name);
	if (strcmp(o->name, p->name))
		return report(SIGIL_AUDIT_UPDATE, p, -EINVAL,
			      "update rejected: policies/%s/update received policy '%s'; an update keeps the name",
			      o->name, p->name);
	if (sigil_policy_version(p) <= sigil_policy_version(o))
		return report(SIGIL_AUDIT_UPDATE, p, -ESTALE,
			      "update rejected: '%s' %u.%u.%u is not newer than the loaded %u.%u.%u",
			      p->name, p->version[0], p->version[1], p->version[2],
			      o->version[0], o->version[1], o->version[2]);
	list_replace_init(&old->node, &lp->node);
	lp->dir = old->dir;
	old->dir = NULL;
	sigil_policyfs_publish(lp, lp);
	if (rcu_access_pointer(sigil_active) == old) {
		rcu_assign_pointer(sigil_active, lp);
		sigil_cache_invalidate_all();
		log_loaded("updated and active", lp, SIGIL_AUDIT_UPDATE);
	} else {
		log_loaded("updated", lp, SIGIL_AUDIT_UPDATE);
	}
	return 0;
}

/*
 * Parse a verified text and add it to the loaded policies, inactive, or
 * put it in the place of @update_of.  @pt->text is consumed.  Caller does
 * not hold sigil_policy_mutex.
 */
static int add_policy(struct sigil_policy_text *pt,
		      struct sigil_loaded *update_of)
{
	enum sigil_audit_op op = update_of ? SIGIL_AUDIT_UPDATE : SIGIL_AUDIT_LOAD;
	struct sigil_parse_opts opts = { .props = sigil_parse_props() };
	char where[SIGIL_ERR_MSG_MAX + 32];
	struct sigil_parse_error perr;
	struct sigil_policy *pol;
	struct sigil_loaded *lp;
	int rc;

	/* Parse outside the lock: a large policy takes a while. */
	rc = sigil_policy_parse(pt->text, pt->len, &opts, &pol, &perr);
	if (rc) {
		sigil_parse_error_format(&perr, where, sizeof(where));
		mutex_lock(&sigil_policy_mutex);
		report(op, NULL, rc, "policy rejected: %s", where);
		mutex_unlock(&sigil_policy_mutex);
		kvfree(pt->text);
		return rc;
	}

	lp = new_loaded(pt->text, pt->len, pol, pt->signer);
	if (!lp) {
		sigil_policy_free(pol);
		kvfree(pt->text);
		return -ENOMEM;
	}

	if (update_of) {
		mutex_lock(&sigil_policy_mutex);
		rc = replace_policy(update_of, lp);
		mutex_unlock(&sigil_policy_mutex);
		if (rc)
			goto out_free;
		/* An event that read the old one as active may still run. */
		synchronize_rcu();
		sigil_policy_put(update_of);
		return 0;
	}

	rc = mutex_lock_killable(&sigil_fs_mutex);
	if (rc)
		goto out_free;
	mutex_lock(&sigil_policy_mutex);
	if (find_policy(pol->name)) {
		rc = report(SIGIL_AUDIT_LOAD, pol, -EEXIST,
			    "policy rejected: a policy named '%s' is already loaded; delete it first, or write to policies/%s/update",
			    pol->name, pol->name);
		goto out_unlock;
	}
	mutex_unlock(&sigil_policy_mutex);

	/* Holding sigil_fs_mutex, no other load can take the name meanwhile. */
	rc = sigil_policyfs_add(lp);

	mutex_lock(&sigil_policy_mutex);
	if (rc) {
		report(SIGIL_AUDIT_LOAD, pol, rc,
		       "policy rejected: cannot create policies/%s in securityfs",
		       pol->name);
		goto out_unlock;
	}
	list_add_tail(&lp->node, &sigil_policies);
	sigil_policyfs_publish(lp, lp);
	log_loaded("loaded", lp, SIGIL_AUDIT_LOAD);
	mutex_unlock(&sigil_policy_mutex);
	mutex_unlock(&sigil_fs_mutex);
	return 0;

out_unlock:
	mutex_unlock(&sigil_policy_mutex);
	mutex_unlock(&sigil_fs_mutex);
out_free:
	free_loaded(lp);
	return rc;
}

/**
 * sigil_policy_submit() - load a policy written to new_policy or update
 * @buf: the complete write: policy text, or a signed message holding it
 * @len: its length
 * @update_of: for policies/<name>/update, the policy to replace; NULL
 *	       for new_policy
 *
 * The signature is verified (see sigil_policy_open()), then the text is
 * parsed.  A new policy is loaded but not active; activating it is a
 * separate step.  An update takes the place of @update_of, and when that
 * is the active policy the update is enforced from then on, in one RCU
 * switch.  On failure nothing changes and status says why.
 *
 * Return:
 * * %0		- loaded; policies/<name>/ exists
 * * %-EFBIG	- larger than %SIGIL_POLICY_MAX_BYTES
 * * %-EEXIST	- a policy with the same name is loaded (new_policy)
 * * %-EINVAL	- an update whose policy has another name
 * * %-ESTALE	- an update whose version is not higher
 * * %-ENOENT	- @update_of was deleted meanwhile
 * * %-ENOMEM	- out of memory
 * * %-errno	- from sigil_policy_open(): the signature; or from
 *		  sigil_policy_parse(): status has the line and token
 */
int sigil_policy_submit(const u8 *buf, size_t len,
			struct sigil_loaded *update_of)
{
	enum sigil_audit_op op = update_of ? SIGIL_AUDIT_UPDATE : SIGIL_AUDIT_LOAD;
	struct sigil_policy_text pt;
	int rc;

	if (len > SIGIL_POLICY_MAX_BYTES) {
		mutex_lock(&sigil_policy_mutex);
		rc = report(op, NULL, -EFBIG,
			    "policy rejected: %zu bytes; the limit is %u",
			    len, SIGIL_POLICY_MAX_BYTES);
		mutex_unlock(&sigil_policy_mutex);
		return rc;
	}
	rc = sigil_policy_open(buf, len, "policy", &pt);
	if (rc) {
		mutex_lock(&sigil_policy_mutex);
		if (pt.why[0])
			report(op, NULL, rc, "policy rejected: %s", pt.why);
		else
			report(op, NULL, rc,
			       "policy rejected: error %d while verifying it", rc);
		mutex_unlock(&sigil_policy_mutex);
		kvfree(pt.text);
		return rc;
	}
	return add_policy(&pt, update_of);
}

static int policy_submit(const u8 *buf, size_t len, void *target)
{
	return sigil_policy_submit(buf, len, target);
}

/**
 * sigil_policy_discarded() - record a signed policy that was never finished
 * @got: the bytes written
 * @need: the bytes its envelope announced, at least
 *
 * A writer closed new_policy or update in the middle of a signed message;
 * nothing was loaded, and status says so.
 */
void sigil_policy_discarded(size_t got, size_t need)
{
	mutex_lock(&sigil_policy_mutex);
	report(SIGIL_AUDIT_LOAD, NULL, -EBADMSG,
	       "policy discarded: the file was closed after %zu bytes of a signed policy of at least %zu",
	       got, need);
	mutex_unlock(&sigil_policy_mutex);
}

/**
 * sigil_policy_refused() - record why a write to a policy file did nothing
 * @err: the negative errno the write returns
 * @msg: why
 *
 * For writes refused before anything was parsed: a value that is not 0 or
 * 1, a piece of an upload out of order.
 *
 * Return: @err.
 */
int sigil_policy_refused(int err, const char *msg)
{
	mutex_lock(&sigil_policy_mutex);
	report(SIGIL_AUDIT_LOAD, NULL, err, "policy write refused: %s", msg);
	mutex_unlock(&sigil_policy_mutex);
	return err;
}

/* Writes to new_policy and policies/<name>/update. */
const struct sigil_upload_ops sigil_policy_upload = {
	.submit = policy_submit,
	.discarded = sigil_policy_discarded,
	.refused = sigil_policy_refused,
	.max = SIGIL_POLICY_MAX_BYTES,
};

/**
 * sigil_policy_activate() - make a loaded policy the enforced one
 * @lp: the policy
 *
 * The switch is a single RCU pointer update: every event is decided by
 * either the old policy or the new one, never by none.
 *
 * Return:
 * * %0		- @lp is active
 * * %-ESTALE	- the active policy has a higher version than @lp
 * * %-ENOENT	- @lp was deleted meanwhile
 */
int sigil_policy_activate(struct sigil_loaded *lp)
{
	const struct sigil_policy *p = lp->policy;
	struct sigil_loaded *old;
	int rc = 0;

	mutex_lock(&sigil_policy_mutex);
	old = rcu_dereference_protected(sigil_active,
					lockdep_is_held(&sigil_policy_mutex));
	if (list_empty(&lp->node)) {
		rc = -ENOENT;
	} else if (old == lp) {
		rc = 0;
	} else if (old && sigil_policy_version(old->policy) > sigil_policy_version(p)) {
		rc = report(SIGIL_AUDIT_ACTIVATE, p, -ESTALE,
			    "activation refused: '%s' %u.%u.%u is older than the active '%s' %u.%u.%u",
			    p->name, p->version[0], p->version[1],
			    p->version[2], old->policy->name,
			    old->policy->version[0], old->policy->version[1],
			    old->policy->version[2]);
	} else {
		rcu_assign_pointer(sigil_active, lp);
		sigil_cache_invalidate_all();
		pr_info("policy '%s' version %u.%u.%u activated\n", p->name,
			p->version[0], p->version[1], p->version[2]);
		sigil_audit_policy(SIGIL_AUDIT_ACTIVATE, p->name, p->version,
				   lp->signer, 0, NULL);
	}
	mutex_unlock(&sigil_policy_mutex);
	return rc;
}

/**
 * sigil_policy_delete() - unload a policy that is not active
 * @lp: the policy; the caller holds a reference, which it still drops
 *
 * Return:
 * * %0		- @lp is gone from the loaded policies and from securityfs
 * * %-EBUSY	- @lp is the active policy; nothing changed
 * * %-ENOENT	- @lp was deleted meanwhile
 * * %-EINTR	- killed while waiting for another load or delete
 */
int sigil_policy_delete(struct sigil_loaded *lp)
{
	int rc;

	rc = mutex_lock_killable(&sigil_fs_mutex);
	if (rc)
		return rc;
	mutex_lock(&sigil_policy_mutex);
	if (list_empty(&lp->node)) {
		rc = -ENOENT;
	} else if (lp == rcu_access_pointer(sigil_active)) {
		rc = report(SIGIL_AUDIT_DELETE, lp->policy, -EBUSY,
			    "delete refused: '%s' is the active policy; activate another first",
			    lp->policy->name);
	} else {
		list_del_init(&lp->node);
		sigil_policyfs_publish(lp, NULL);
		pr_info("policy '%s' deleted\n", lp->policy->name);
		sigil_audit_policy(SIGIL_AUDIT_DELETE, lp->policy->name,
				   lp->policy->version, lp->signer, 0, NULL);
	}
	mutex_unlock(&sigil_policy_mutex);
	if (!rc)
		sigil_policyfs_remove(lp);
	mutex_unlock(&sigil_fs_mutex);
	if (rc)
		return rc;

	/* An event that read it as active before the last switch may run. */
	synchronize_rcu();
	sigil_policy_put(lp);
	return 0;
}

/* ---- the boot policy ---- */

static const char sigil_deny_all[] __initconst =
	"policy_name=boot_failed policy_version=0.0.0\nDEFAULT action=DENY\n";

/* Parse @text into an active policy.  Caller holds sigil_policy_mutex. */
static int __init enforce_builtin(const char *text, size_t len,
				  const char *signer)
{
	struct sigil_parse_opts opts = { .props = sigil_parse_props() };
	struct sigil_parse_error perr;
	struct sigil_policy *pol;
	struct sigil_loaded *lp;
	char *copy;
	int rc;

	copy = kvmemdup(text, len, GFP_KERNEL);
	if (!copy)
		return -ENOMEM;
	rc = sigil_policy_parse(copy, len, &opts, &pol, &perr);
	if (rc) {
		char where[SIGIL_ERR_MSG_MAX + 32];

		sigil_parse_error_format(&perr, where, sizeof(where));
		report(SIGIL_AUDIT_LOAD, NULL, rc, "boot policy rejected: %s",
		       where);
		kvfree(copy);
		return rc;
	}
	lp = new_loaded(copy, len, pol, signer);
	if (!lp) {
		sigil_policy_free(pol);
		kvfree(copy);
		return -ENOMEM;
	}
	list_add_tail(&lp->node, &sigil_policies);
	rcu_assign_pointer(sigil_active, lp);
	log_loaded("compiled in and active", lp, SIGIL_AUDIT_LOAD);
	return 0;
}

/**
 * sigil_boot_policy_init() - enforce the compiled-in boot policy
 *
 * Runs when sigil is initialized, before the first exec.  The policy was
 * checked at build time; if it still cannot be set up (no memory), the
 * machine panics or, without CONFIG_SIGIL_BOOT_POLICY_PANIC, denies
 * everything.  It never runs without the policy it was built with.
 *
 * Return: 0; failures do not return.
 */
int __init sigil_boot_policy_init(void)
{
	int rc;

	if (!sigil_boot_policy_len)
		return 0;
	mutex_lock(&sigil_policy_mutex);
	rc = enforce_builtin(sigil_boot_policy, sigil_boot_policy_len,
			     "built-in");
	if (rc && !IS_ENABLED(CONFIG_SIGIL_BOOT_POLICY_PANIC)) {
		pr_crit("boot policy failed (%d): denying everything\n", rc);
		rc = enforce_builtin(sigil_deny_all, strlen(sigil_deny_all),
				     "built-in");
	}
	mutex_unlock(&sigil_policy_mutex);
	if (rc)
		panic("sigil: cannot set up the boot policy (%d): %s\n", rc,
		      sigil_last_error);
	return 0;
}

/**
 * sigil_boot_policy_publish() - create policies/<name>/ for the boot policy
 *
 * Called once securityfs exists.  The policy is enforced already.
 *
 * Return: 0, or the -errno from securityfs.
 */
int __init sigil_boot_policy_publish(void)
{
	struct sigil_loaded *lp;
	int rc = 0;

	mutex_lock(&sigil_fs_mutex);
	list_for_each_entry(lp, &sigil_policies, node) {
		if (lp->dir)
			continue;
		rc = sigil_policyfs_add(lp);
		if (rc)
			break;
		mutex_lock(&sigil_policy_mutex);
		sigil_policyfs_publish(lp, lp);
		mutex_unlock(&sigil_policy_mutex);
	}
	mutex_unlock(&sigil_fs_mutex);
	return rc;
}

/**
 * sigil_policy_stats() - figures about the loaded policies, for status
 * @st: the figures
 * @last_error: receives the reason for the last failed policy operation
 * @size: size of @last_error
 */
void sigil_policy_stats(struct sigil_policy_stats *st, char *last_error,
			size_t size)
{
	struct sigil_loaded *lp;

	memset(st, 0, sizeof(*st));
	mutex_lock(&sigil_policy_mutex);
	list_for_each_entry(lp, &sigil_policies, node) {
		st->loaded++;
		st->bytes += sigil_loaded_bytes(lp);
		st->rules += lp->policy->nrules;
		st->rule_bytes += lp->policy->rule_bytes;
	}
	st->load_failures = sigil_load_failures;
	strscpy(last_error, sigil_last_error[0] ? sigil_last_error : "none",
		size);
	mutex_unlock(&sigil_policy_mutex);
}
