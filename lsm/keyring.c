// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .sigil keyring: the keys that may vouch for code.  It takes X.509
 * certificates and OpenPGP keys; changing it needs CAP_MAC_ADMIN, and once
 * locked it cannot change until reboot.
 */

#include "sigil.h"
#include "keyring.h"
#include "cache.h"
#include "audit.h"

#include <keys/asymmetric-type.h>
#include <linux/cred.h>
#include <linux/key-type.h>
#include <linux/slab.h>

#include "pgp_kernel.h"

/*
 * Keys in .sigil are public keys: their owner may look them up (keyctl
 * search does so without possessing them).  Nobody may write to them or
 * change their attributes.
 */
#define SIGIL_KEY_PERM	(KEY_POS_VIEW | KEY_POS_READ | KEY_POS_SEARCH | \
			 KEY_USR_VIEW | KEY_USR_READ | KEY_USR_SEARCH)

struct key *sigil_keyring __ro_after_init;
/* Serializes removals with locking.  Set once, never cleared. */
static DEFINE_MUTEX(sigil_keyring_mutex);
static bool sigil_keyring_locked;

/* Called with the keyring's semaphore held: see sigil_keyring_lock(). */
static int restrict_link_to_sigil(struct key *keyring,
				  const struct key_type *type,
				  const union key_payload *payload,
				  struct key *restriction_key)
{
	if (type != &key_type_asymmetric)
		return -EOPNOTSUPP;
	if (READ_ONCE(sigil_keyring_locked))
		return -EPERM;
	/*
	 * A key is about to be linked.  Verdicts are invalidated again once
	 * it is (hook_key_post_create_or_update()); a key linked with
	 * keyctl link has no later hook, and a verdict taken in between can
	 * only lack the new key, so it errs towards denial.
	 */
	sigil_cache_invalidate_all();
	return 0;
}

/*
 * Adding and linking need write permission on the keyring; changing its
 * attributes needs setattr.  Unlinking, clearing, revoking and invalidating
 * are refused to everyone by KEY_FLAG_KEEP.
 */
static int hook_key_permission(key_ref_t key_ref, const struct cred *cred,
			       enum key_need_perm need_perm)
{
	if (key_ref_to_ptr(key_ref) != sigil_keyring)
		return 0;
	if (need_perm != KEY_NEED_WRITE && need_perm != KEY_NEED_SETATTR &&
	    need_perm != KEY_NEED_LINK)
		return 0;
	if (READ_ONCE(sigil_keyring_locked)) {
		pr_notice_ratelimited("keyring .sigil is locked: change refused (pid=%d)\n",
				      task_tgid_nr(current));
		return -EPERM;
	}
	if (security_capable(cred, &init_user_ns, CAP_MAC_ADMIN, CAP_OPT_NONE))
		return -EPERM;
	return 0;
}

/* Give keys created in .sigil the keyring's permissions for keys. */
static void hook_key_post_create_or_update(struct key *keyring,
					   struct key *key,
					   const void *payload,
					   size_t payload_len,
					   unsigned long flags, bool create)
{
	if (keyring != sigil_keyring)
		return;
	sigil_cache_invalidate_all();
	if (!create)
		return;
	down_write(&key->sem);
	WRITE_ONCE(key->perm, SIGIL_KEY_PERM);
	up_write(&key->sem);
}

/**
 * sigil_keyring_lock() - refuse every later change to .sigil until reboot
 *
 * Holding the keyring's semaphore waits out an add already past its
 * checks, so that nothing lands after the lock is reported.
 */
void sigil_keyring_lock(void)
{
	bool was;

	mutex_lock(&sigil_keyring_mutex);
	down_write(&sigil_keyring->sem);
	was = sigil_keyring_locked;
	WRITE_ONCE(sigil_keyring_locked, true);
	up_write(&sigil_keyring->sem);
	sigil_cache_invalidate_all();
	mutex_unlock(&sigil_keyring_mutex);
	if (!was) {
		pr_notice("keyring .sigil locked by pid=%d\n",
			  task_tgid_nr(current));
		sigil_audit_switch(SIGIL_AUDIT_KEYRING_LOCKED, false, true);
	}
}

/**
 * sigil_keyring_remove() - remove a key from .sigil
 * @id: the key's ID in hex: an OpenPGP fingerprint or key ID, or an X.509
 *	subject key identifier; it may match the end of a longer ID
 *
 * The keyring and its keys are KEY_FLAG_KEEP, so that nobody can revoke,
 * invalidate or unlink them through keyctl; this is the one way out.
 *
 * Context: caller has checked CAP_MAC_ADMIN.
 * Return: 0, -EINVAL for a malformed @id, -ENOKEY when no key matches,
 * -EPERM when the keyring is locked, or key_unlink()'s error.
 */
int sigil_keyring_remove(const char *id)
{
	size_t hexlen = strlen(id);
	struct asymmetric_key_id *kid;
	struct key *key;
	int rc;

	if (!hexlen || hexlen % 2 || hexlen > 128)
		return -EINVAL;
	kid = kmalloc(sizeof(*kid) + hexlen / 2, GFP_KERNEL);
	if (!kid)
		return -ENOMEM;
	kid->len = hexlen / 2;
	if (hex2bin(kid->data, id, kid->len)) {
		kfree(kid);
		return -EINVAL;
	}

	mutex_lock(&sigil_keyring_mutex);
	if (sigil_keyring_locked) {
		rc = -EPERM;
		goto out;
	}
	key = find_asymmetric_key(sigil_keyring, kid, NULL, NULL, true);
	if (IS_ERR(key)) {
		rc = PTR_ERR(key);
		goto out;
	}
	rc = key_unlink(sigil_keyring, key);
	/* After the unlink: a verification that found the key is now stale. */
	sigil_cache_invalidate_all();
	if (!rc)
		pr_notice("key '%s' removed from .sigil by pid=%d\n",
			  key->description, task_tgid_nr(current));
	key_put(key);
out:
	mutex_unlock(&sigil_keyring_mutex);
	kfree(kid);
	return rc;
}

/**
 * sigil_keyring_status() - what status reports about .sigil
 * @keys: number of keys in it
 * @locked: whether it is locked
 */
void sigil_keyring_status(unsigned long *keys, bool *locked)
{
	*keys = sigil_keyring ? READ_ONCE(sigil_keyring->keys.nr_leaves_on_tree) : 0;
	*locked = READ_ONCE(sigil_keyring_locked);
}

static void __init add_builtin(const u8 *data, size_t len, const char *what)
{
	key_ref_t key;

	key = key_create_or_update(make_key_ref(sigil_keyring, 1), "asymmetric",
				   NULL, data, len, SIGIL_KEY_PERM,
				   KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_BUILT_IN |
				   KEY_ALLOC_BYPASS_RESTRICTION);
	if (IS_ERR(key)) {
		pr_err("compiled-in %s not loaded: %ld\n", what, PTR_ERR(key));
		return;
	}
	pr_info("compiled-in %s loaded: %s\n", what,
		key_ref_to_ptr(key)->description);
	key_ref_put(key);
}

/* Each certificate of a binary OpenPGP keyring, one at a time. */
static void __init add_builtin_pgp_binary(const u8 *p, size_t len)
{
	struct pgp_error err = { 0 };
	struct pgp_cert *cert;

	cert = kmalloc(sizeof(*cert), GFP_KERNEL);
	if (!cert)
		return;
	while (len) {
		if (pgp_parse_cert(p, len, cert, &err)) {
			pr_err("compiled-in OpenPGP keys: %s (byte %u)\n", err.msg,
			       err.offset);
			break;
		}
		add_builtin(p, cert->len, "OpenPGP key");
		p += cert->len;
		len -= cert->len;
	}
	kfree(cert);
}

/* Decode each armored block labelled @label and pass it to @add. */
static void __init add_builtin_armored(const u8 *text, size_t len,
				       const char *label,
				       void (*add)(const u8 *, size_t))
{
	struct pgp_error err = { 0 };
	size_t pos = 0, n;
	u8 *buf;
	int rc;

	buf = kmalloc(len, GFP_KERNEL);
	if (!buf)
		return;
	while (!(rc = pgp_dearmor((const char *)text, len, &pos, label, buf,
				  len, &n, &err)))
		add(buf, n);
	if (rc != -ENOENT)
		pr_err("compiled-in keys: %s\n", err.msg);
	kfree(buf);
}

static void __init add_builtin_cert(const u8 *der, size_t len)
{
	add_builtin(der, len, "X.509 certificate");
}

static void __init load_builtin_keys(void)
{
	size_t len = sigil_builtin_pgp_end - sigil_builtin_pgp;

	if (len && pgp_is_cert(sigil_builtin_pgp, len))
		add_builtin_pgp_binary(sigil_builtin_pgp, len);
	else if (len)
		add_builtin_armored(sigil_builtin_pgp, len, "PGP PUBLIC KEY BLOCK",
				    add_builtin_pgp_binary);
	len = sigil_builtin_x509_end - sigil_builtin_x509;
	if (len)
		add_builtin_armored(sigil_builtin_x509, len, "CERTIFICATE",
				    add_builtin_cert);
}

static int __init sigil_keyring_init(void)
{
	struct key_restriction *restriction;
	int rc;

	if (!sigil_enabled)
		return 0;
	rc = sigil_pgp_parser_init();
	if (rc)
		pr_err("cannot register the OpenPGP key parser: %d\n", rc);

	restriction = kzalloc(sizeof(*restriction), GFP_KERNEL);
	if (!restriction)
		return -ENOMEM;
	restriction->check = restrict_link_to_sigil;
	/*
	 * KEY_ALLOC_SET_KEEP: neither the keyring nor any key created in it
	 * can be revoked, invalidated, cleared or unlinked through keyctl.
	 */
	sigil_keyring = keyring_alloc(".sigil", GLOBAL_ROOT_UID, GLOBAL_ROOT_GID,
				      current_cred(),
				      (KEY_POS_ALL & ~KEY_POS_SETATTR) |
				      KEY_USR_VIEW | KEY_USR_READ |
				      KEY_USR_WRITE | KEY_USR_SEARCH,
				      KEY_ALLOC_NOT_IN_QUOTA | KEY_ALLOC_SET_KEEP,
				      restriction, NULL);
	if (IS_ERR(sigil_keyring)) {
		rc = PTR_ERR(sigil_keyring);
		sigil_keyring = NULL;
		kfree(restriction);
		pr_err("cannot create the .sigil keyring: %d\n", rc);
		return rc;
	}
	load_builtin_keys();
	return 0;
}

/* After the asymmetric key type (device_initcall) is registered. */
late_initcall(sigil_keyring_init);

static struct security_hook_list sigil_keyring_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(key_permission, hook_key_permission),
	LSM_HOOK_INIT(key_post_create_or_update, hook_key_post_create_or_update),
};

/**
 * sigil_add_keyring_hooks() - register the hooks that guard .sigil
 */
void __init sigil_add_keyring_hooks(void)
{
	security_add_hooks(sigil_keyring_hooks, ARRAY_SIZE(sigil_keyring_hooks),
			   &sigil_lsmid);
}
