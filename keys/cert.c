// SPDX-License-Identifier: GPL-2.0-only
/*
 * Which key of a certificate signs, and which signatures sigil accepts.
 * Subkeys count only when their bindings verify: anyone can append a
 * subkey to a published key, and only the key's owner can bind one.
 */

#include "pgp.h"

/**
 * pgp_sig_trailer() - the final bytes hashed for a v4 signature
 * @sig: the signature
 * @trailer: 0x04 0xff and the big-endian length of the hashed part
 */
void pgp_sig_trailer(const struct pgp_sig *sig, u8 trailer[6])
{
	u32 n = 6u + sig->hashed_len;

	trailer[0] = 0x04;
	trailer[1] = 0xff;
	trailer[2] = (u8)(n >> 24);
	trailer[3] = (u8)(n >> 16);
	trailer[4] = (u8)(n >> 8);
	trailer[5] = (u8)n;
}

/**
 * pgp_quick_check() - compare a digest with the signature's clear prefix
 * @sig: the signature
 * @digest: the digest of what it signs
 *
 * A mismatch means the wrong data or a damaged signature; a match proves
 * nothing by itself.
 *
 * Return: true when the first two bytes agree.
 */
bool pgp_quick_check(const struct pgp_sig *sig, const u8 *digest)
{
	return digest[0] == sig->quick[0] && digest[1] == sig->quick[1];
}

/**
 * pgp_hash_text() - feed data of a text (0x01) signature to a hash
 * @data: the next bytes of the data
 * @len: their number
 * @last_cr: whether the previous call ended with CR; start with false
 * @update: receives the canonical bytes, in order
 * @ctx: passed to @update
 *
 * Text signatures are made over the data with every line ending turned
 * into CR LF: a CR goes before each LF that does not already follow one.
 */
void pgp_hash_text(const u8 *data, size_t len, bool *last_cr,
		   pgp_update_fn update, void *ctx)
{
	static const u8 cr = '\r';
	size_t start = 0, i;

	for (i = 0; i < len; i++) {
		if (data[i] == '\n' && !(i ? data[i - 1] == '\r' : *last_cr)) {
			update(ctx, data + start, i - start);
			update(ctx, &cr, 1);
			start = i;
		}
	}
	update(ctx, data + start, len - start);
	if (len)
		*last_cr = data[len - 1] == '\r';
}

/**
 * pgp_sig_by() - could @key have made @sig, judging by its issuer?
 * @sig: the signature
 * @key: the key
 *
 * Return: false when the signature names another issuer; true when it
 * names @key or names none (then only verification can tell).
 */
bool pgp_sig_by(const struct pgp_sig *sig, const struct pgp_key *key)
{
	if (sig->has_issuer_fpr)
		return !memcmp(sig->issuer_fpr, key->fpr, PGP_FPR_SIZE);
	if (sig->has_issuer)
		return !memcmp(sig->issuer, key->keyid, PGP_KEYID_SIZE);
	return true;
}

/* The hash algorithms sigil accepts, for data and for key bindings. */
static int check_hash(const struct pgp_sig *sig, size_t offset,
		      struct pgp_error *err)
{
	switch (sig->hash_algo) {
	case PGP_HASH_SHA256:
	case PGP_HASH_SHA384:
	case PGP_HASH_SHA512:
		return 0;
	case PGP_HASH_MD5:
		return pgp_fail(err, -EKEYREJECTED, offset,
				"MD5 signatures are refused: MD5 is broken");
	case PGP_HASH_SHA1:
		return pgp_fail(err, -EKEYREJECTED, offset,
				"SHA-1 signatures are refused: SHA-1 collisions are practical");
	default:
		return pgp_fail(err, -EOPNOTSUPP, offset,
				"hash algorithm %u is not supported (SHA-256, SHA-384 and SHA-512 are)",
				sig->hash_algo);
	}
}

static bool same_family(unsigned int sig_algo, unsigned int key_algo)
{
	if (sig_algo == PGP_PK_ECDSA || key_algo == PGP_PK_ECDSA)
		return sig_algo == key_algo;
	return sig_algo == PGP_PK_RSA || sig_algo == PGP_PK_RSA_SIGN;
}

/**
 * pgp_check_data_sig() - is this a signature sigil accepts over data?
 * @sig: a parsed signature
 * @err: why not
 *
 * Return:
 * * %0		- a binary (0x00) or text (0x01) signature with SHA-256/384/512
 * * %-EKEYREJECTED	- another signature type, or SHA-1 or MD5
 * * %-EOPNOTSUPP	- another hash algorithm
 */
int pgp_check_data_sig(const struct pgp_sig *sig, struct pgp_error *err)
{
	if (sig->type != PGP_SIG_BINARY && sig->type != PGP_SIG_TEXT)
		return pgp_fail(err, -EKEYREJECTED, 1,
				"signature type 0x%02x does not sign data (binary 0x00 and text 0x01 do)",
				sig->type);
	return check_hash(sig, 3, err);
}

/*
 * Verify @sigref, a signature of type @type that @signer made over
 * @primary and, for bindings, @subkey.  Returns 0 when it verifies, and
 * fills in @sig.
 */
static int verify_key_sig(const struct pgp_sigref *sigref, unsigned int type,
			  const struct pgp_key *primary,
			  const struct pgp_key *subkey,
			  const struct pgp_key *signer, struct pgp_sig *sig,
			  pgp_verify_fn verify, void *ctx)
{
	u8 hp[3], hs[3], trailer[6];
	struct pgp_span spans[6];
	struct pgp_error err = { 0 };
	unsigned int n = 0;

	if (pgp_parse_sig(sigref->body, sigref->len, sig, &err) ||
	    sig->type != type || check_hash(sig, 0, &err) ||
	    !same_family(sig->pk_algo, signer->algo) || !pgp_sig_by(sig, signer))
		return -EINVAL;

	hp[0] = 0x99;
	hp[1] = (u8)(primary->body_len >> 8);
	hp[2] = (u8)primary->body_len;
	spans[n++] = (struct pgp_span){ hp, 3 };
	spans[n++] = (struct pgp_span){ primary->body, primary->body_len };
	if (subkey) {
		hs[0] = 0x99;
		hs[1] = (u8)(subkey->body_len >> 8);
		hs[2] = (u8)subkey->body_len;
		spans[n++] = (struct pgp_span){ hs, 3 };
		spans[n++] = (struct pgp_span){ subkey->body, subkey->body_len };
	}
	pgp_sig_trailer(sig, trailer);
	spans[n++] = (struct pgp_span){ sig->body, 6u + sig->hashed_len };
	spans[n++] = (struct pgp_span){ trailer, 6 };
	return verify(ctx, signer, sig, spans, n);
}

/* Is there a revocation of @type by the primary that verifies? */
static bool revoked(const struct pgp_sigref *sigs, unsigned int nsigs,
		    unsigned int type, const struct pgp_key *primary,
		    const struct pgp_key *subkey, pgp_verify_fn verify,
		    void *ctx)
{
	struct pgp_sig sig;
	unsigned int i;

	for (i = 0; i < nsigs; i++)
		if (sigs[i].len > 1 && sigs[i].body[1] == type &&
		    !verify_key_sig(&sigs[i], type, primary, subkey, primary,
				    &sig, verify, ctx))
			return true;
	return false;
}

/*
 * Check that subkey @sub may sign for @cert.  Returns NULL when it may, or
 * why not.  An unusable signing subkey is an error in @err.
 */
static const char *check_subkey(const struct pgp_cert *cert,
				const struct pgp_subkey *sub,
				pgp_verify_fn verify, void *ctx,
				struct pgp_error *err)
{
	struct pgp_sig binding, best = { 0 }, back;
	struct pgp_sigref embedded;
	bool found = false, signs;
	unsigned int i;

	/* The newest binding by the primary key that verifies. */
	for (i = 0; i < sub->nsigs; i++) {
		if (verify_key_sig(&sub->sigs[i], PGP_SIG_SUBKEY_BINDING,
				   &cert->primary, &sub->key, &cert->primary,
				   &binding, verify, ctx))
			continue;
		if (!found || binding.created > best.created)
			best = binding;
		found = true;
	}
	if (!found)
		return "no binding signature by the primary key verifies";

	if (best.has_key_flags)
		signs = best.key_flags & PGP_KEYFLAG_SIGN;
	else
		signs = sub->key.algo != PGP_PK_RSA_ENCRYPT &&
			sub->key.algo != PGP_PK_ECDH &&
			sub->key.algo != PGP_PK_ELGAMAL &&
			sub->key.algo != PGP_PK_X25519 &&
			sub->key.algo != PGP_PK_X448;
	if (!signs)
		return "not a signing subkey";
	if (sub->key.unusable) {
		char id[2 * PGP_KEYID_SIZE + 1];

		pgp_fpr_hex(sub->key.keyid, PGP_KEYID_SIZE, id);
		pgp_fail(err, -EOPNOTSUPP, sub->offset,
			 "signing subkey %s: %s; export the key without it", id,
			 sub->key.unusable);
		return sub->key.unusable;
	}
	if (revoked(sub->sigs, sub->nsigs, PGP_SIG_SUBKEY_REVOCATION,
		    &cert->primary, &sub->key, verify, ctx))
		return "revoked";

	/* A signing subkey must also vouch for the primary (RFC 4880 5.2.1). */
	if (!best.embedded)
		return "no primary-key binding signature (back-signature)";
	embedded.body = best.embedded;
	embedded.len = best.embedded_len;
	embedded.offset = sub->offset;
	if (verify_key_sig(&embedded, PGP_SIG_PRIMARY_BINDING, &cert->primary,
			   &sub->key, &sub->key, &back, verify, ctx))
		return "its primary-key binding signature (back-signature) does not verify";
	return NULL;
}

/**
 * pgp_select_signer() - the key of a certificate that signs
 * @cert: the certificate; each subkey's @skipped says why it was passed over
 * @verify: checks key signatures cryptographically
 * @ctx: passed to @verify
 * @signer: the key that signs: the newest signing subkey whose binding and
 *	    back-signature verify and which is not revoked, or else the
 *	    primary key.  This is the key gpg and sq sign with by default.
 * @err: why the certificate was refused
 *
 * Return:
 * * %0		- *@signer is set
 * * %-EKEYREVOKED	- the primary key is revoked
 * * %-EOPNOTSUPP	- a valid signing subkey uses an algorithm sigil cannot
 *			  verify, so signatures it makes would never verify
 */
int pgp_select_signer(struct pgp_cert *cert, pgp_verify_fn verify, void *ctx,
		      const struct pgp_key **signer, struct pgp_error *err)
{
	unsigned int order[PGP_MAX_SUBKEYS], i, j, n = cert->nsub;

	*signer = NULL;
	if (revoked(cert->sigs, cert->nsigs, PGP_SIG_KEY_REVOCATION,
		    &cert->primary, NULL, verify, ctx))
		return pgp_fail(err, -EKEYREVOKED, 0, "the key is revoked");

	/* Newest first; among equals, the later one in the certificate. */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 &&
		     cert->sub[order[j - 1]].key.created < cert->sub[n - 1 - i].key.created;
		     j--)
			order[j] = order[j - 1];
		order[j] = n - 1 - i;
	}
	for (i = 0; i < n; i++) {
		struct pgp_subkey *sub = &cert->sub[order[i]];

		sub->skipped = check_subkey(cert, sub, verify, ctx, err);
		if (err->err)
			return err->err;
		if (!sub->skipped) {
			*signer = &sub->key;
			return 0;
		}
	}
	*signer = &cert->primary;
	return 0;
}
