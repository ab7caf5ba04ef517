// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy lifecycle: load, activate and delete.  Writers serialize on
 * sigil_policy_mutex; the hot path reads sigil_active under RCU only.  A
 * failed operation changes nothing and leaves its reason in status.
 */

#include "sigil.h"

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
 * Return: SIGIL_PROP_BIT()s for sigil_parse_opts.
 */
u32 sigil_parse_props(void)
{
	u32 props = SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) |
		    SIGIL_PROP_BIT(SIGIL_PROP_IMA_SIGNATURE) |
		    SIGIL_PROP_BIT(SIGIL_PROP_PGP_SIGNATURE) |
		    SIGIL_PROP_BIT(SIGIL_PROP_SIGNER);

	if (IS_ENABLED(CONFIG_FS_VERITY))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST);
	if (IS_ENABLED(CONFIG_FS_VERITY_BUILTIN_SIGNATURES))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE);
	props |= sigil_dmverity_props();
	return props;
}

/*
 * Record why a policy operation failed, for status and the kernel log.
 * Caller holds sigil_policy_mutex.
 */
static __printf(2, 3) int report(int err, const char *fmt, ...)
{
	va_list ap;

	lockdep_assert_held(&sigil_policy_mutex);
	va_start(ap, fmt);
	vsnprintf(sigil_last_error, sizeof(sigil_last_error), fmt, ap);
	va_end(ap);
	sigil_load_failures++;
	pr_warn_ratelimited("%s (%d)\n", sigil_last_error, err);
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

/*
 * Parse @text and add it to the loaded policies, inactive.  @text is
 * consumed.  Caller does not hold sigil_policy_mutex.
 */
static int add_policy(char *text, size_t len)
{
	struct sigil_parse_opts opts = { .props = sigil_parse_props() };
	char where[SIGIL_ERR_MSG_MAX + 32];
	struct sigil_parse_error perr;
	struct sigil_policy *pol;
	struct sigil_loaded *lp;
	int rc;

	/* Parse outside the lock: a large policy takes a while. */
	rc = sigil_policy_parse(text, len, &opts, &pol, &perr);
	if (rc) {
		sigil_parse_error_format(&perr, where, sizeof(where));
		mutex_lock(&sigil_policy_mutex);
		report(rc, "policy rejected: %s", where);
		mutex_unlock(&sigil_policy_mutex);
		kvfree(text);
		return rc;
	}

	lp = kzalloc(sizeof(*lp), GFP_KERNEL);
	if (!lp) {
		sigil_policy_free(pol);
		kvfree(text);
		return -ENOMEM;
	}
	kref_init(&lp->ref);
	INIT_LIST_HEAD(&lp->node);
	lp->policy = pol;
	lp->text = text;
	lp->textlen = len;

	rc = mutex_lock_killable(&sigil_fs_mutex);
	if (rc)
		goto out_free;
	mutex_lock(&sigil_policy_mutex);
	if (find_policy(pol->name)) {
		rc = report(-EEXIST,
			    "policy rejected: a policy named '%s' is already loaded; delete it first",
			    pol->name);
		goto out_unlock;
	}
	mutex_unlock(&sigil_policy_mutex);

	/* Holding sigil_fs_mutex, no other load can take the name meanwhile. */
	rc = sigil_policyfs_add(lp);

	mutex_lock(&sigil_policy_mutex);
	if (rc) {
		report(rc, "policy rejected: cannot create policies/%s in securityfs",
		       pol->name);
		goto out_unlock;
	}
	list_add_tail(&lp->node, &sigil_policies);
	sigil_policyfs_publish(lp, lp);
	pr_info("policy '%s' version %u.%u.%u loaded: %u rules, %zu bytes\n",
		pol->name, pol->version[0], pol->version[1], pol->version[2],
		pol->nrules, sigil_loaded_bytes(lp));
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
 * sigil_policy_load() - load a policy written to sigil/new_policy
 * @buf: the policy, in user memory
 * @len: its length
 *
 * The new policy is loaded but not active; activating it is a separate
 * step.  On failure nothing changes and status says why.
 *
 * Return:
 * * %0		- loaded; policies/<name>/ exists
 * * %-EFBIG	- larger than %SIGIL_POLICY_MAX_BYTES
 * * %-EBADMSG	- unsigned, and this kernel takes only signed policies
 * * %-EEXIST	- a policy with the same name is loaded
 * * %-EFAULT	- @buf is not readable
 * * %-ENOMEM	- out of memory
 * * %-errno	- from sigil_policy_parse(); status has the line and token
 */
int sigil_policy_load(const char __user *buf, size_t len)
{
	char *text = NULL;
	int rc = 0;

	mutex_lock(&sigil_policy_mutex);
	if (len > SIGIL_POLICY_MAX_BYTES)
		rc = report(-EFBIG, "policy rejected: %zu bytes; the limit is %u",
			    len, SIGIL_POLICY_MAX_BYTES);
	else if (!IS_ENABLED(CONFIG_SIGIL_UNSIGNED_POLICY))
		rc = report(-EBADMSG,
			    "policy rejected: it is not signed, and this kernel was built without CONFIG_SIGIL_UNSIGNED_POLICY");
	mutex_unlock(&sigil_policy_mutex);
	if (rc)
		return rc;

	if (len) {
		text = vmemdup_user(buf, len);
		if (IS_ERR(text))
			return PTR_ERR(text);
	}
	return add_policy(text, len);
}

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
		rc = report(-ESTALE,
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
		rc = report(-EBUSY,
			    "delete refused: '%s' is the active policy; activate another first",
			    lp->policy->name);
	} else {
		list_del_init(&lp->node);
		sigil_policyfs_publish(lp, NULL);
		pr_info("policy '%s' deleted\n", lp->policy->name);
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
	}
	st->load_failures = sigil_load_failures;
	strscpy(last_error, sigil_last_error[0] ? sigil_last_error : "none",
		size);
	mutex_unlock(&sigil_policy_mutex);
}
