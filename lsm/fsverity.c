// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs-verity facts: a file's fs-verity digest, read from the verity info
 * that fs-verity set up when the file was opened, and its builtin
 * signature, verified against .sigil.  The file is never read.
 */

#include "sigil.h"
#include "signature.h"
#include "keyring.h"
#include "pgp_kernel.h"

#include <keys/asymmetric-type.h>
#include <linux/fsverity.h>
#include <linux/slab.h>
#include <linux/verification.h>

static_assert(FS_VERITY_MAX_DIGEST_SIZE <= SIGIL_DIGEST_MAX);

/**
 * sigil_fsverity_digest() - the fs-verity digest of an open file's inode
 * @inode: the inode
 * @digest: set to the digest, or to %SIGIL_HASH_NONE without fs-verity
 *
 * Return:
 * * %0			- @digest is set
 * * %-EOPNOTSUPP	- fs-verity used a hash sigil does not know; the
 *			  caller denies rather than guess
 */
int sigil_fsverity_digest(struct inode *inode, struct sigil_digest *digest)
{
	enum hash_algo halg;
	int size;

	digest->algo = SIGIL_HASH_NONE;
	size = fsverity_get_digest(inode, digest->bytes, NULL, &halg);
	if (size <= 0)
		return 0;

	switch (halg) {
	case HASH_ALGO_SHA256:
		digest->algo = SIGIL_HASH_SHA256;
		break;
	case HASH_ALGO_SHA512:
		digest->algo = SIGIL_HASH_SHA512;
		break;
	default:
		return -EOPNOTSUPP;
	}
	digest->size = size;
	return 0;
}

#ifdef CONFIG_FS_VERITY_BUILTIN_SIGNATURES

/*
 * The key in .sigil that the PKCS#7 message names as its signer.  Only a
 * message with one signer and no certificates is accepted: the kernel
 * trusts a message when any signer verifies, possibly through a
 * certificate chain it carries, and then the key that signer= sees must be
 * the one that verified.
 */
static int pkcs7_signer(const struct sigil_blob *sig,
			struct sigil_sig_result *res, struct pgp_error *err)
{
	struct asymmetric_key_id *id;
	struct pkcs7_signer_id sid;
	struct key *key;
	int rc;

	rc = pkcs7_signer_id(sig->data, sig->size, &sid, err);
	if (rc)
		return rc;
	if (pkcs7_file_signer_check(&sid, err)) {
		res->state = SIGIL_SIG_REFUSED;
		return 1;
	}
	if (sid.skid)
		id = asymmetric_key_generate_id(sid.skid, sid.skid_len, NULL, 0);
	else
		id = asymmetric_key_generate_id(sid.serial, sid.serial_len,
						sid.issuer, sid.issuer_len);
	if (IS_ERR(id))
		return PTR_ERR(id);
	key = find_asymmetric_key(sigil_keyring, id, NULL, NULL, false);
	kfree(id);
	if (IS_ERR(key)) {
		if (PTR_ERR(key) != -ENOKEY)
			return pgp_fail(err, PTR_ERR(key), 0, "looking up the signer failed");
		res->state = SIGIL_SIG_UNKNOWN_KEY;
		return 1;
	}
	sigil_signer_of_key(key, &res->signer);
	key_put(key);
	return 0;
}

/**
 * sigil_verify_fsverity() - verify an fs-verity builtin signature
 * @t: the file
 * @res: the result
 * @err: why it could not be verified
 *
 * fs-verity checked the PKCS#7 signature against .fs-verity when it set
 * the file up.  That is not trusted here: the same signature must verify
 * over the file's formatted digest against .sigil, made by the key it
 * names.  Only the digest is read, never the content, so the cost does not
 * depend on the file size.
 *
 * Return: 0 with @res->state set, or a negative errno.
 */
int sigil_verify_fsverity(const struct sigil_target *t,
			  struct sigil_sig_result *res, struct pgp_error *err)
{
	u8 raw[FS_VERITY_MAX_DIGEST_SIZE], fmt[FSVERITY_FORMATTED_MAX];
	struct sigil_blob *sig;
	size_t n;
	int size, rc;
	u8 alg;

	res->state = SIGIL_SIG_ABSENT;
	size = fsverity_get_digest(t->inode, raw, &alg, NULL);
	if (size <= 0)
		return 0;
	sig = sigil_fsverity_sig_get(sigil_inode(t->inode));
	if (IS_ERR(sig))
		return pgp_fail(err, PTR_ERR(sig), 0,
				"the fs-verity signature could not be kept");
	if (!sig)
		return 0;

	rc = pkcs7_signer(sig, res, err);
	if (res->state == SIGIL_SIG_REFUSED)
		sigil_sig_refused(t, "the fs-verity signature", err);
	if (rc)
		goto out;
	n = fsverity_formatted_digest(alg, raw, size, fmt);
	rc = verify_pkcs7_signature(fmt, n, sig->data, sig->size, sigil_keyring,
				    VERIFYING_UNSPECIFIED_SIGNATURE, NULL, NULL);
	if (sigil_rejection(rc))
		rc = verify_pkcs7_signature(fmt, n, sig->data, sig->size,
					    sigil_keyring,
					    VERIFYING_UNSPECIFIED_SIGNATURE,
					    NULL, NULL);
	switch (rc) {
	case 0:
		res->state = SIGIL_SIG_VALID;
		break;
	case -ENOKEY:
		res->state = SIGIL_SIG_UNKNOWN_KEY;
		rc = 0;
		break;
	case -EKEYREJECTED:
	case -EBADMSG:
		res->state = SIGIL_SIG_BAD;
		rc = 0;
		break;
	default:
		pgp_fail(err, rc, 0, "verifying the PKCS#7 signature failed");
	}
out:
	if (rc == 1)
		rc = 0;
	if (res->state != SIGIL_SIG_VALID)
		memset(&res->signer, 0, sizeof(res->signer));
	sigil_fsverity_sig_put(sig);
	return rc;
}

#endif /* CONFIG_FS_VERITY_BUILTIN_SIGNATURES */
