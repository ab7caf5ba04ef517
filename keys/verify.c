// SPDX-License-Identifier: GPL-2.0-only
/*
 * Verification of OpenPGP signatures over data against a kernel keyring:
 * the signature names its issuer, the issuer's key is looked up by
 * fingerprint or key ID, and the data is hashed as it arrives.
 */

#include <crypto/hash.h>
#include <keys/asymmetric-type.h>
#include <linux/slab.h>

#include "pgp_kernel.h"

/**
 * struct sigil_pgp_verifier - a verification in progress
 * @sig: the parsed signature; it points into @body
 * @body: a copy of the signature packet body
 * @key: the issuer's key, with a reference
 * @tfm: the hash
 * @shape: algorithm, curve and modulus size of @key
 * @text: a text (0x01) signature: line endings are canonicalized
 * @text_state: for @text, what canonicalization carries between calls
 * @err: the first error while hashing
 * @desc: the hash state; allocated with the structure
 */
struct sigil_pgp_verifier {
	struct pgp_sig sig;
	u8 *body;
	struct key *key;
	struct crypto_shash *tfm;
	struct pgp_key shape;
	bool text;
	struct pgp_text_state text_state;
	int err;
	struct shash_desc desc;		/* must be last */
};

/* Read a DER length at *@p, within @end; -1 when malformed. */
static long der_len(const u8 **p, const u8 *end)
{
	unsigned int n, i;
	long len = 0;

	if (*p >= end)
		return -1;
	n = *(*p)++;
	if (n < 0x80)
		return n;
	n &= 0x7f;
	if (!n || n > 2 || end - *p < n)
		return -1;
	for (i = 0; i < n; i++)
		len = len << 8 | *(*p)++;
	return len;
}

/* The algorithm, curve and modulus size of a key from a keyring. */
static int key_shape(const struct public_key *pub, struct pgp_key *shape)
{
	const u8 *p = pub->key, *end = p + pub->keylen;
	long len;

	memset(shape, 0, sizeof(*shape));
	if (!strcmp(pub->pkey_algo, "ecdsa-nist-p256")) {
		shape->algo = PGP_PK_ECDSA;
		shape->curve = PGP_CURVE_P256;
		return 0;
	}
	if (!strcmp(pub->pkey_algo, "ecdsa-nist-p384")) {
		shape->algo = PGP_PK_ECDSA;
		shape->curve = PGP_CURVE_P384;
		return 0;
	}
	if (strcmp(pub->pkey_algo, "rsa"))
		return -EKEYREJECTED;

	/* DER RSAPublicKey: SEQUENCE { INTEGER n, ... }: n's length. */
	if (p >= end || *p++ != 0x30 || der_len(&p, end) < 0 ||
	    p >= end || *p++ != 0x02)
		return -EBADMSG;
	len = der_len(&p, end);
	if (len <= 0 || len > end - p)
		return -EBADMSG;
	if (!p[0]) {		/* the sign byte */
		p++;
		len--;
	}
	shape->algo = PGP_PK_RSA;
	shape->n_len = (u16)len;
	return 0;
}

static struct key *find_issuer(struct key *keyring, const struct pgp_sig *sig,
			       struct pgp_error *err)
{
	struct asymmetric_key_id *id;
	struct key *key;

	if (sig->has_issuer_fpr)
		id = asymmetric_key_generate_id(sig->issuer_fpr, PGP_FPR_SIZE,
						NULL, 0);
	else if (sig->has_issuer)
		id = asymmetric_key_generate_id(sig->issuer, PGP_KEYID_SIZE,
						NULL, 0);
	else
		return ERR_PTR(pgp_fail(err, -ENOKEY, 0,
					"the signature names no issuer"));
	if (IS_ERR(id))
		return ERR_CAST(id);
	key = find_asymmetric_key(keyring, id, NULL, NULL, false);
	kfree(id);
	/* An X.509 key whose identifier happens to match is not the issuer. */
	if (!IS_ERR(key) && strcmp(asymmetric_key_public_key(key)->id_type, "PGP")) {
		key_put(key);
		key = ERR_PTR(-ENOKEY);
	}
	if (IS_ERR(key) && PTR_ERR(key) == -ENOKEY) {
		char hex[2 * PGP_FPR_SIZE + 1];

		pgp_fpr_hex(sig->has_issuer_fpr ? sig->issuer_fpr : sig->issuer,
			    sig->has_issuer_fpr ? PGP_FPR_SIZE : PGP_KEYID_SIZE,
			    hex);
		pgp_fail(err, -ENOKEY, 0, "signing key %s is not in the keyring",
			 hex);
	}
	return key;
}

/**
 * sigil_pgp_verify_begin() - start verifying a detached signature
 * @keyring: where to find the signer's key
 * @packet: one OpenPGP signature packet, header included
 * @len: its length
 * @err: why verification cannot start
 *
 * Return: the verifier, or an ERR_PTR: -EBADMSG for a malformed packet,
 * -EOPNOTSUPP or -EKEYREJECTED for a signature sigil does not accept (see
 * pgp_check_data_sig()), -ENOKEY when the signer's key is not in
 * @keyring, -ENOMEM.
 */
struct sigil_pgp_verifier *sigil_pgp_verify_begin(struct key *keyring,
						  const u8 *packet, size_t len,
						  struct pgp_error *err)
{
	struct sigil_pgp_verifier *v, *grown;
	struct crypto_shash *tfm;
	struct pgp_packet pkt;
	size_t pos = 0;
	bool sig_ecdsa, key_ecdsa;
	int rc;

	rc = pgp_read_packet(packet, len, &pos, &pkt, err);
	if (!rc && pkt.tag != PGP_TAG_SIGNATURE)
		rc = pgp_fail(err, -EBADMSG, 0, "not a signature packet");
	if (!rc && pos != len)
		rc = pgp_fail(err, -EBADMSG, pos, "data after the signature packet");
	if (rc)
		return ERR_PTR(rc);

	v = kzalloc(sizeof(*v), GFP_KERNEL);
	if (!v)
		return ERR_PTR(-ENOMEM);
	v->body = kmemdup(pkt.body, pkt.len, GFP_KERNEL);
	if (!v->body) {
		rc = -ENOMEM;
		goto out_free;
	}
	rc = pgp_parse_sig(v->body, pkt.len, &v->sig, err);
	if (!rc)
		rc = pgp_check_data_sig(&v->sig, err);
	if (rc)
		goto out_free;

	v->key = find_issuer(keyring, &v->sig, err);
	if (IS_ERR(v->key)) {
		rc = PTR_ERR(v->key);
		v->key = NULL;
		goto out_free;
	}
	rc = key_shape(asymmetric_key_public_key(v->key), &v->shape);
	sig_ecdsa = v->sig.pk_algo == PGP_PK_ECDSA;
	key_ecdsa = v->shape.algo == PGP_PK_ECDSA;
	if (!rc && sig_ecdsa != key_ecdsa)
		rc = -EKEYREJECTED;
	if (rc) {
		pgp_fail(err, rc, 2, "the signature's algorithm does not match its key's");
		goto out_free;
	}

	/* The hash state follows the structure, sized for this hash. */
	tfm = crypto_alloc_shash(pgp_hash_name(v->sig.hash_algo), 0, 0);
	if (IS_ERR(tfm)) {
		rc = PTR_ERR(tfm);
		goto out_free;
	}
	grown = krealloc(v, sizeof(*v) + crypto_shash_descsize(tfm), GFP_KERNEL);
	if (!grown) {
		crypto_free_shash(tfm);
		rc = -ENOMEM;
		goto out_free;
	}
	v = grown;
	v->tfm = tfm;
	v->desc.tfm = tfm;
	rc = crypto_shash_init(&v->desc);
	if (rc)
		goto out_free;
	v->text = v->sig.type == PGP_SIG_TEXT;
	return v;

out_free:
	sigil_pgp_verify_abort(v);
	return ERR_PTR(rc);
}

static void hash_update(void *ctx, const u8 *data, size_t len)
{
	struct sigil_pgp_verifier *v = ctx;

	if (!v->err && len)
		v->err = crypto_shash_update(&v->desc, data, len);
}

/**
 * sigil_pgp_verify_update() - hash the next bytes of the signed data
 * @v: the verifier
 * @data: the bytes
 * @len: their number
 *
 * Return: 0, or the crypto API's error.
 */
int sigil_pgp_verify_update(struct sigil_pgp_verifier *v, const void *data,
			    size_t len)
{
	if (v->text)
		pgp_hash_text(data, len, &v->text_state, hash_update, v);
	else
		hash_update(v, data, len);
	return v->err;
}

/**
 * sigil_pgp_verify_final() - finish, and free the verifier
 * @v: the verifier
 * @signer: on success, the key that made the signature, with a reference
 *	    that the caller drops with key_put(); may be NULL
 * @err: why the signature does not verify
 *
 * Return: 0 when the signature verifies; -EKEYREJECTED when it does not;
 * other errors from the crypto API.
 */
int sigil_pgp_verify_final(struct sigil_pgp_verifier *v, struct key **signer,
			   struct pgp_error *err)
{
	u8 trailer[6], digest[64];
	int rc;

	if (v->text)
		pgp_hash_text_end(&v->text_state, hash_update, v);
	pgp_sig_trailer(&v->sig, trailer);
	hash_update(v, v->sig.body, 6u + v->sig.hashed_len);
	hash_update(v, trailer, sizeof(trailer));
	if (!v->err)
		v->err = crypto_shash_final(&v->desc, digest);
	rc = v->err;
	if (rc)
		goto out;

	if (!pgp_quick_check(&v->sig, digest)) {
		rc = pgp_fail(err, -EKEYREJECTED, 0,
			      "the data does not match the signature (hash prefix differs)");
		goto out;
	}
	rc = sigil_pgp_verify_digest(asymmetric_key_public_key(v->key),
				     &v->shape, &v->sig, digest);
	if (rc) {
		pgp_fail(err, rc, 0, "the signature does not verify (%d)", rc);
		goto out;
	}

	if (signer)
		*signer = key_get(v->key);
out:
	sigil_pgp_verify_abort(v);
	return rc;
}

/**
 * sigil_pgp_verify_abort() - free a verifier without finishing
 * @v: the verifier; NULL is allowed
 */
void sigil_pgp_verify_abort(struct sigil_pgp_verifier *v)
{
	if (!v)
		return;
	if (v->tfm)
		shash_desc_zero(&v->desc);
	crypto_free_shash(v->tfm);
	key_put(v->key);
	kfree(v->body);
	kfree(v);
}
