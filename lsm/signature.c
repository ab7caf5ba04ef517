// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signature providers: the table of them, and the xattr-borne kinds, IMA
 * signatures in security.ima and OpenPGP signatures in security.sigil,
 * both verified against .sigil (fs-verity builtin signatures are in
 * fsverity.c).  They run on a cache miss only, so they may sleep, allocate
 * and read the file.
 */

#include "sigil.h"
#include "keyring.h"
#include "signature.h"

#include <crypto/hash.h>
#include <crypto/public_key.h>
#include <crypto/sha2.h>
#include <keys/asymmetric-type.h>
#include <linux/fsverity.h>
#include <linux/sched/signal.h>
#include <linux/sizes.h>
#include <linux/slab.h>
#include <linux/xattr.h>

#include "pgp_kernel.h"

const struct sigil_sig_provider sigil_sig_providers[__SIGIL_SIG_MAX] = {
	[SIGIL_SIG_FSVERITY] = {
		.verify = IS_ENABLED(CONFIG_FS_VERITY_BUILTIN_SIGNATURES) ?
			  sigil_verify_fsverity : NULL,
		.on_verity = true,
	},
	[SIGIL_SIG_IMA]	= { .verify = sigil_verify_ima },
	[SIGIL_SIG_PGP]	= { .verify = sigil_verify_pgp },
};

/**
 * sigil_sig_verify() - verify one kind of signature, and keep the result
 * @t: the file; with @t->quiet, the verification is neither counted nor
 *     kept
 * @kind: enum sigil_sig_kind
 * @res: the result
 * @err: why verification failed
 *
 * Context: process context; may sleep, allocate and read the file.
 * Return: 0 when @res holds the result, or a negative errno when it could
 * not be determined (the caller denies):
 * * %-ENOKEY	- the .sigil keyring does not exist
 * * %-EOPNOTSUPP	- this kernel cannot verify @kind
 * * others	- from the provider
 */
int sigil_sig_verify(const struct sigil_target *t, unsigned int kind,
		     struct sigil_sig_result *res, struct pgp_error *err)
{
	const struct sigil_sig_provider *p = &sigil_sig_providers[kind];
	struct sigil_cache_tag tag;
	int rc;

	if (!sigil_keyring)
		return pgp_fail(err, -ENOKEY, 0, "the .sigil keyring does not exist");
	if (!p->verify)
		return -EOPNOTSUPP;

	sigil_cache_begin(t, &tag);
	memset(res, 0, sizeof(*res));
	rc = p->verify(t, res, err);
	if (!rc && (!p->on_verity || IS_VERITY(t->inode)))
		sigil_cache_store(t, kind, res, &tag);
	return rc;
}

/**
 * sigil_sig_refused() - say why a signature was refused
 * @t: the file; with @t->quiet (an explanation), nothing is logged
 * @what: the signature, as the message names it
 * @err: why
 *
 * The log line of a decision says only "refused", and sigil/explain says
 * why when asked: the kernel log says it once per verification (the
 * verdict is cached).
 */
void sigil_sig_refused(const struct sigil_target *t, const char *what,
		       const struct pgp_error *err)
{
	if (!t->quiet)
		pr_notice_ratelimited("%s of %pD (inode %lu) refused: %s\n",
				      what, t->file, t->inode->i_ino, err->msg);
}

/**
 * sigil_signer_of_key() - the identifiers a signer= value can name
 * @key: a key from .sigil
 * @signer: its fingerprint, key ID and primary-key fingerprint for an
 *	    OpenPGP key; its subject key identifier for an X.509 one
 */
void sigil_signer_of_key(const struct key *key, struct sigil_signer *signer)
{
	const struct asymmetric_key_ids *kids = asymmetric_key_ids(key);
	const struct public_key *pub = asymmetric_key_public_key(key);
	bool pgp = pub && pub->id_type && !strcmp(pub->id_type, "PGP");
	unsigned int i;

	memset(signer, 0, sizeof(*signer));
	if (!kids)
		return;
	for (i = 0; i < ARRAY_SIZE(kids->id) && i < SIGIL_SIGNER_IDS; i++) {
		const struct asymmetric_key_id *id = kids->id[i];

		/* X.509: id[0] is issuer and serial, id[2] the subject. */
		if (!id || (!pgp && i != 1) || id->len > SIGIL_SIGNER_ID_MAX)
			continue;
		signer->len[signer->nids] = id->len;
		memcpy(signer->id[signer->nids], id->data, id->len);
		signer->nids++;
	}
}

/*
 * Read xattr @name into a new buffer of at most @max bytes.  Return its
 * length with *@out set, 0 with *@out NULL when the file has none, or an
 * error; an oversized value is malformed.
 */
static ssize_t read_xattr(const struct sigil_target *t, const char *name,
			  size_t max, u8 **out, struct pgp_error *err)
{
	struct dentry *dentry = t->xattr;
	ssize_t n;
	u8 *buf;

	*out = NULL;
	buf = kmalloc(max, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	n = __vfs_getxattr(dentry, d_inode(dentry), name, buf, max);
	if (n >= 0) {
		*out = buf;
		return n;
	}
	kfree(buf);
	if (n == -ENODATA || n == -EOPNOTSUPP)
		return 0;
	if (n == -ERANGE)
		return pgp_fail(err, -EBADMSG, 0, "%s is larger than %zu bytes",
				name, max);
	return pgp_fail(err, n, 0, "reading %s failed", name);
}

/**
 * sigil_read_content() - pass a file's whole content to a consumer
 * @t: the file
 * @consume: called with each chunk, in order; a non-zero return stops
 * @ctx: its context
 * @err: why reading failed
 *
 * The content is only vouched for where every change to it is seen:
 *
 * * not while the file is open for writing.  Write opens raise
 *   i_writecount before they bump the inode's cache generation (see
 *   hook_file_open()), and the caller read the generation before this
 *   check, so a writer that slips in afterwards makes the result stale;
 * * not on internal mounts (memfd, SysV shm), whose files are written
 *   without a write open;
 * * not on filesystems that cannot promise it (FUSE mounted by an
 *   unprivileged user), as IMA refuses them.
 *
 * Nor is it read under the mmap lock that mprotect() holds: reading could
 * take locks that nest the other way round.  And what is read through an
 * overlayfs file counts only if its real file stayed the same throughout.
 *
 * Return: 0, or a negative errno.
 */
int sigil_read_content(const struct sigil_target *t,
		       int (*consume)(void *ctx, const u8 *data, size_t len),
		       void *ctx, struct pgp_error *err)
{
	const struct super_block *sb = t->inode->i_sb;
	size_t size = SZ_64K;
	loff_t pos = 0;
	ssize_t n;
	u8 *buf;
	int rc = 0;

	if (t->no_content)
		return pgp_fail(err, -EDEADLK, 0,
				"the content cannot be read under mprotect(); map the file executable first");
	if (sb->s_flags & SB_KERNMOUNT)
		return pgp_fail(err, -EPERM, 0,
				"content signatures are not trusted on an internal mount (memfd, shm): its writes are not tracked");
	if ((sb->s_iflags & SB_I_IMA_UNVERIFIABLE_SIGNATURE) &&
	    (sb->s_iflags & SB_I_UNTRUSTED_MOUNTER))
		return pgp_fail(err, -EPERM, 0,
				"content signatures are not trusted on a filesystem an unprivileged user mounted");
	if (atomic_read(&t->inode->i_writecount) > 0)
		return pgp_fail(err, -ETXTBSY, 0,
				"the file is open for writing, so its content cannot be verified");
	buf = kmalloc(size, GFP_KERNEL | __GFP_NOWARN);
	if (!buf) {
		size = PAGE_SIZE;
		buf = kmalloc(size, GFP_KERNEL);
		if (!buf)
			return -ENOMEM;
	}
	for (;;) {
		/* As IMA reads: no permission check, no fanotify event. */
		n = __kernel_read(t->file, buf, size, &pos);
		if (n <= 0) {
			if (n < 0)
				rc = pgp_fail(err, n, 0, "reading the file failed at byte %lld",
					      pos);
			break;
		}
		rc = consume(ctx, buf, n);
		if (rc)
			break;
		if (fatal_signal_pending(current)) {
			rc = -EINTR;
			break;
		}
		cond_resched();
	}
	kfree(buf);
	/*
	 * Reads of an overlayfs file go to its real file of the moment: a
	 * copy-up while reading hashed the upper file's bytes, which must not
	 * be taken, or cached, as the inode's that @t names.
	 */
	if (!rc && d_real_inode(t->file->f_path.dentry) != t->inode)
		rc = pgp_fail(err, -ESTALE, 0,
			      "the file was copied up while it was read");
	return rc;
}

/* The file's fs-verity digest, as filesig_check() takes it. */
static void get_verity(const struct sigil_target *t, struct filesig_verity *v)
{
	u8 alg = 0;
	int size;

	static_assert(sizeof(v->digest) >= FS_VERITY_MAX_DIGEST_SIZE);
	size = fsverity_get_digest(t->inode, v->digest, &alg, NULL);
	v->alg = size > 0 ? alg : 0;
	v->size = size > 0 ? size : 0;
}

/*
 * Read signature xattr @name and parse it with filesig_check().  Return 0
 * with @c->state set (and *@value to free), or a negative errno.
 */
static int read_check(const struct sigil_target *t, const char *name,
		      size_t max, enum filesig_xattr xattr, u8 **value,
		      struct filesig_check *c, struct pgp_error *err)
{
	struct filesig_verity verity;
	ssize_t n;
	int rc;

	c->state = SIGIL_SIG_ABSENT;
	n = read_xattr(t, name, max, value, err);
	if (n < 0)
		return n;
	get_verity(t, &verity);
	rc = filesig_check(xattr, *value, n, &verity, c, err);
	if (!rc && c->state == SIGIL_SIG_REFUSED)
		sigil_sig_refused(t, name, err);
	return rc;
}

/* ---- the content's sha256, for manifests' content= entries ---- */

static int sha256_consume(void *ctx, const u8 *data, size_t len)
{
	struct sha256_state *st = ctx;

	while (len) {
		unsigned int n = min_t(size_t, len, SZ_1G);

		sha256_update(st, data, n);
		data += n;
		len -= n;
	}
	return 0;
}

/**
 * sigil_content_sha256() - hash a file's content, and cache the digest
 * @t: the file
 * @digest: receives the %SIGIL_CONTENT_DIGEST_SIZE bytes
 * @err: why the content could not be read
 *
 * The content is read as for content signatures (sigil_read_content()),
 * and the digest kept on the inode until its content changes, as IMA
 * keeps its measurement: a file is hashed once, at its first use.
 *
 * Context: process context, outside RCU; sleeps.
 * Return: 0, or the -errno of sigil_read_content().
 */
int sigil_content_sha256(const struct sigil_target *t, u8 *digest,
			 struct pgp_error *err)
{
	struct sigil_cache_tag tag;
	struct sha256_state st;
	int rc;

	static_assert(SHA256_DIGEST_SIZE == SIGIL_CONTENT_DIGEST_SIZE);
	sigil_cache_begin(t, &tag);
	sha256_init(&st);
	rc = sigil_read_content(t, sha256_consume, &st, err);
	if (rc)
		return rc;
	sha256_final(&st, digest);
	sigil_cache_store_content(t, digest, &tag);
	return 0;
}

/* ---- security.ima ---- */

struct hash_ctx {
	struct shash_desc *desc;
};

static int hash_consume(void *ctx, const u8 *data, size_t len)
{
	struct hash_ctx *h = ctx;

	return crypto_shash_update(h->desc, data, len);
}

/* Hash @data, or the file's content when @data is NULL. */
static int ima_digest(const struct sigil_target *t, const char *alg,
		      const u8 *data, size_t len, u8 *digest,
		      struct pgp_error *err)
{
	struct crypto_shash *tfm;
	struct hash_ctx h;
	int rc;

	tfm = crypto_alloc_shash(alg, 0, 0);
	if (IS_ERR(tfm))
		return pgp_fail(err, PTR_ERR(tfm), 2, "no %s in this kernel", alg);
	h.desc = kzalloc(sizeof(*h.desc) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!h.desc) {
		crypto_free_shash(tfm);
		return -ENOMEM;
	}
	h.desc->tfm = tfm;
	rc = crypto_shash_init(h.desc);
	if (!rc && data)
		rc = crypto_shash_update(h.desc, data, len);
	else if (!rc)
		rc = sigil_read_content(t, hash_consume, &h, err);
	if (!rc)
		rc = crypto_shash_final(h.desc, digest);
	kfree_sensitive(h.desc);
	crypto_free_shash(tfm);
	return rc;
}

/* The key whose identifier ends with the 4-byte IMA key ID. */
static struct key *ima_key(const u8 keyid[4])
{
	struct asymmetric_key_id *id;
	struct key *key;

	id = asymmetric_key_generate_id(keyid, 4, NULL, 0);
	if (IS_ERR(id))
		return ERR_CAST(id);
	key = find_asymmetric_key(sigil_keyring, id, NULL, NULL, true);
	kfree(id);
	return key;
}

/**
 * sigil_verify_ima() - verify the IMA signature in security.ima
 * @t: the file
 * @res: the result
 * @err: why it could not be verified
 *
 * v2 (type 3) signs the hash of the content; v3 (type 6) the hash of
 * struct ima_file_id over the fs-verity digest (see filesig_check()).  The
 * key is looked up in .sigil by the 4-byte key ID, as IMA does: the end of
 * an X.509 subject key identifier or of an OpenPGP fingerprint.
 *
 * Return: 0 with @res->state set, or a negative errno: a malformed value
 * (-EBADMSG), an unsupported hash (-EOPNOTSUPP), content that cannot be
 * vouched for (see sigil_read_content()), an I/O or memory error.
 */
int sigil_verify_ima(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err)
{
	struct public_key_signature pks = { };
	const struct public_key *pub;
	u8 digest[SHA512_DIGEST_SIZE];
	struct filesig_check c;
	const struct ima_sig *sig = &c.ima;
	struct key *key;
	u8 *value;
	int rc;

	rc = read_check(t, XATTR_NAME_IMA, IMA_XATTR_MAX, FILESIG_XATTR_IMA,
			&value, &c, err);
	res->state = rc ? SIGIL_SIG_ABSENT : c.state;
	if (rc || c.state != SIGIL_SIG_UNVERIFIED)
		goto out;

	key = ima_key(sig->keyid);
	if (IS_ERR(key)) {
		rc = PTR_ERR(key);
		if (rc == -ENOKEY) {
			res->state = SIGIL_SIG_UNKNOWN_KEY;
			rc = 0;
		} else {
			pgp_fail(err, rc, 3, "looking up key %*phN failed", 4, sig->keyid);
		}
		goto out;
	}

	rc = ima_digest(t, ima_hash_name(sig->hash_algo),
			c.content ? NULL : c.msg, c.msg_len, digest, err);
	if (rc)
		goto out_put_key;

	pub = asymmetric_key_public_key(key);
	pks.pkey_algo = pub->pkey_algo;
	pks.hash_algo = ima_hash_name(sig->hash_algo);
	pks.encoding = strncmp(pub->pkey_algo, "ecdsa-", 6) ? "pkcs1" : "x962";
	pks.digest = digest;
	pks.digest_size = ima_hash_size(sig->hash_algo);
	pks.s = (u8 *)sig->sig;
	pks.s_size = sig->sig_len;
	rc = verify_signature(key, &pks);
	if (sigil_rejection(rc))
		rc = verify_signature(key, &pks);
	if (!rc) {
		res->state = SIGIL_SIG_VALID;
		sigil_signer_of_key(key, &res->signer);
	} else if (rc == -EKEYREJECTED || rc == -EBADMSG || rc == -EINVAL) {
		res->state = SIGIL_SIG_BAD;
		rc = 0;
	} else {
		pgp_fail(err, rc, IMA_SIG_HDR_SIZE, "verifying the signature failed");
	}
out_put_key:
	key_put(key);
out:
	kfree(value);
	return rc;
}

/* ---- security.sigil ---- */

static int pgp_consume(void *ctx, const u8 *data, size_t len)
{
	return sigil_pgp_verify_update(ctx, data, len);
}

/**
 * sigil_verify_pgp() - verify the OpenPGP signature in security.sigil
 * @t: the file
 * @res: the result
 * @err: why it could not be verified
 *
 * Kind 1 signs the fs-verity formatted digest, kind 2 the whole content
 * (see filesig_check()).
 *
 * Return: 0 with @res->state set, or a negative errno: a malformed value
 * (-EBADMSG), an unsupported algorithm (-EOPNOTSUPP), content that cannot
 * be vouched for (see sigil_read_content()), an I/O or memory error.
 */
int sigil_verify_pgp(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err)
{
	struct sigil_pgp_verifier *v;
	struct filesig_check c;
	struct key *key;
	u8 *value;
	int rc;

	rc = read_check(t, SIGIL_XATTR_NAME, SIGIL_XATTR_MAX,
			FILESIG_XATTR_SIGIL, &value, &c, err);
	res->state = rc ? SIGIL_SIG_ABSENT : c.state;
	if (rc || c.state != SIGIL_SIG_UNVERIFIED)
		goto out;

	v = sigil_pgp_verify_begin(sigil_keyring, c.sigil.packet, c.sigil.len,
				   err);
	if (IS_ERR(v)) {
		rc = PTR_ERR(v);
		if (rc == -ENOKEY)
			res->state = SIGIL_SIG_UNKNOWN_KEY;
		else if (rc == -EKEYREJECTED)
			res->state = SIGIL_SIG_REFUSED;
		if (rc == -EKEYREJECTED)
			sigil_sig_refused(t, SIGIL_XATTR_NAME, err);
		if (rc == -ENOKEY || rc == -EKEYREJECTED)
			rc = 0;
		goto out;
	}
	if (c.content)
		rc = sigil_read_content(t, pgp_consume, v, err);
	else
		rc = sigil_pgp_verify_update(v, c.msg, c.msg_len);
	if (rc) {
		sigil_pgp_verify_abort(v);
		goto out;
	}
	rc = sigil_pgp_verify_final(v, &key, err);
	if (!rc) {
		res->state = SIGIL_SIG_VALID;
		sigil_signer_of_key(key, &res->signer);
		key_put(key);
	} else if (rc == -EKEYREJECTED) {
		res->state = SIGIL_SIG_BAD;
		rc = 0;
	}
out:
	kfree(value);
	return rc;
}
