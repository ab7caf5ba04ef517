// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cryptography for OpenPGP keys and signatures, through the kernel's crypto
 * API and public-key code: hashing, and verification with
 * public_key_verify_signature().
 */

#define pr_fmt(fmt) "pgp: " fmt

#include <crypto/hash.h>
#include <crypto/sha1.h>
#include <linux/oid_registry.h>
#include <linux/slab.h>
#include <linux/unaligned.h>

#include "pgp_kernel.h"

/**
 * pgp_sha1() - SHA-1 over a sequence of spans, for v4 fingerprints
 * @spans: the input, in order
 * @nspans: number of @spans
 * @digest: the 20-byte digest
 *
 * RFC 4880 defines v4 fingerprints with SHA-1; signatures hashed with it
 * are refused elsewhere.  The blocks go through the kernel's
 * sha1_transform(), which cannot fail; this adds the buffering and the
 * padding.
 */
void pgp_sha1(const struct pgp_span *spans, unsigned int nspans,
	      u8 digest[SHA1_DIGEST_SIZE])
{
	u32 h[SHA1_DIGEST_WORDS], ws[SHA1_WORKSPACE_WORDS];
	u8 block[SHA1_BLOCK_SIZE];
	size_t used = 0, n, len;
	u64 bytes = 0;
	const u8 *p;
	unsigned int i;

	sha1_init(h);
	for (i = 0; i < nspans; i++) {
		p = spans[i].data;
		len = spans[i].len;
		bytes += len;
		while (len) {
			n = min(sizeof(block) - used, len);
			memcpy(block + used, p, n);
			used += n;
			p += n;
			len -= n;
			if (used == sizeof(block)) {
				sha1_transform(h, block, ws);
				used = 0;
			}
		}
	}
	block[used++] = 0x80;
	if (used > sizeof(block) - 8) {
		memset(block + used, 0, sizeof(block) - used);
		sha1_transform(h, block, ws);
		used = 0;
	}
	memset(block + used, 0, sizeof(block) - 8 - used);
	put_unaligned_be64(bytes * 8, block + sizeof(block) - 8);
	sha1_transform(h, block, ws);
	for (i = 0; i < SHA1_DIGEST_WORDS; i++)
		put_unaligned_be32(h[i], digest + 4 * i);
	memzero_explicit(ws, sizeof(ws));
}

/**
 * sigil_pgp_public_key() - a struct public_key for a usable OpenPGP key
 * @key: the key
 *
 * Return: the public key, freed with public_key_free(), or an ERR_PTR:
 * -EINVAL for an unusable key, -ENOMEM.
 */
struct public_key *sigil_pgp_public_key(const struct pgp_key *key)
{
	struct public_key *pub;
	int n = pgp_key_to_kernel(key, NULL, 0);

	if (n < 0)
		return ERR_PTR(n);
	pub = kzalloc(sizeof(*pub), GFP_KERNEL);
	if (!pub)
		return ERR_PTR(-ENOMEM);
	pub->key = kmalloc(n, GFP_KERNEL);
	if (!pub->key) {
		kfree(pub);
		return ERR_PTR(-ENOMEM);
	}
	pgp_key_to_kernel(key, pub->key, n);
	pub->keylen = n;
	pub->id_type = "PGP";
	pub->pkey_algo = pgp_key_algo_name(key);
	pub->algo = key->algo == PGP_PK_ECDSA ? OID_id_ecPublicKey :
						 OID_rsaEncryption;
	return pub;
}

/**
 * sigil_pgp_digest() - hash a sequence of spans
 * @hash_algo: enum pgp_hash_algo; SHA-256, SHA-384 or SHA-512
 * @spans: the input
 * @nspans: number of @spans
 * @digest: room for the digest (64 bytes)
 *
 * Return: 0, -EOPNOTSUPP for another algorithm, or the crypto API's error.
 */
int sigil_pgp_digest(u8 hash_algo, const struct pgp_span *spans,
		     unsigned int nspans, u8 *digest)
{
	const char *name = pgp_hash_name(hash_algo);
	struct crypto_shash *tfm;
	unsigned int i;
	int rc;

	if (!name)
		return -EOPNOTSUPP;
	tfm = crypto_alloc_shash(name, 0, 0);
	if (IS_ERR(tfm))
		return PTR_ERR(tfm);
	{
		SHASH_DESC_ON_STACK(desc, tfm);

		desc->tfm = tfm;
		rc = crypto_shash_init(desc);
		for (i = 0; !rc && i < nspans; i++)
			rc = crypto_shash_update(desc, spans[i].data, spans[i].len);
		if (!rc)
			rc = crypto_shash_final(desc, digest);
		shash_desc_zero(desc);
	}
	crypto_free_shash(tfm);
	return rc;
}

/**
 * sigil_pgp_verify_digest() - verify a signature over a digest
 * @pub: the public key
 * @shape: the key's algorithm, curve and RSA modulus size, which shape the
 *	   signature for the kernel
 * @sig: the signature
 * @digest: the digest of what it signs, trailer included
 *
 * Return: 0 when the signature verifies; -EKEYREJECTED when it does not;
 * -EBADMSG when its values cannot belong to the key; -ENOMEM.
 */
int sigil_pgp_verify_digest(const struct public_key *pub,
			    const struct pgp_key *shape,
			    const struct pgp_sig *sig, const u8 *digest)
{
	struct public_key_signature pks = {
		.digest = (u8 *)digest,
		.digest_size = pgp_hash_size(sig->hash_algo),
		.hash_algo = pgp_hash_name(sig->hash_algo),
	};
	int n, rc;

	if (!pks.hash_algo)
		return -EOPNOTSUPP;
	if (shape->algo == PGP_PK_ECDSA) {
		pks.pkey_algo = "ecdsa";
		pks.encoding = "x962";
	} else {
		pks.pkey_algo = "rsa";
		pks.encoding = "pkcs1";
	}
	n = pgp_sig_to_kernel(sig, shape, NULL, 0);
	if (n < 0)
		return n;
	pks.s = kmalloc(n, GFP_KERNEL);
	if (!pks.s)
		return -ENOMEM;
	pgp_sig_to_kernel(sig, shape, pks.s, n);
	pks.s_size = n;
	rc = public_key_verify_signature(pub, &pks);
	if (sigil_rejection(rc))
		rc = public_key_verify_signature(pub, &pks);
	kfree(pks.s);
	/* A wrong signature and a malformed one both mean "does not verify". */
	return rc == -EBADMSG || rc == -EINVAL ? -EKEYREJECTED : rc;
}

/**
 * sigil_pgp_check_spans() - pgp_verify_fn through the kernel's crypto
 * @ctx: unused
 * @key: the key that supposedly made @sig
 * @sig: the signature
 * @spans: what it signs, trailer included
 * @nspans: number of @spans
 *
 * Return: 0 when the signature verifies, or a negative errno.
 */
int sigil_pgp_check_spans(void *ctx, const struct pgp_key *key,
			  const struct pgp_sig *sig,
			  const struct pgp_span *spans, unsigned int nspans)
{
	struct public_key *pub;
	u8 digest[64];
	int rc;

	rc = sigil_pgp_digest(sig->hash_algo, spans, nspans, digest);
	if (rc)
		return rc;
	if (!pgp_quick_check(sig, digest))
		return -EKEYREJECTED;
	pub = sigil_pgp_public_key(key);
	if (IS_ERR(pub))
		return PTR_ERR(pub);
	rc = sigil_pgp_verify_digest(pub, key, sig, digest);
	public_key_free(pub);
	return rc;
}
