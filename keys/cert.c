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

static void emit_crs(size_t n, pgp_update_fn update, void *ctx)
{
	static const u8 crs[16] = "\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r";

	while (n) {
		size_t k = n < sizeof(crs) ? n : sizeof(crs);

		update(ctx, crs, k);
		n -= k;
	}
}

/**
 * pgp_hash_text() - feed data of a text (0x01) signature to a hash
 * @data: the next bytes of the data
 * @len: their number
 * @st: state carried between calls; zero it before the first
 * @update: receives the canonical bytes, in order
 * @ctx: passed to @update
 *
 * Text signatures are made over the data with every line ending turned
 * into CR LF.  As gpg does it, the CRs that precede an LF are dropped and
 * replaced by one.  Call pgp_hash_text_end() after the last bytes.
 */
void pgp_hash_text(const u8 *data, size_t len, struct pgp_text_state *st,
		   pgp_update_fn update, void *ctx)
{
	size_t start = 0, i;

	for (i = 0; i < len; i++) {
		u8 c = data[i];

		if (c != '\r' && c != '\n') {
			/* CRs not followed by LF are data. */
			if (st->pending_cr) {
				emit_crs(st->pending_cr, update, ctx);
				st->pending_cr = 0;
			}
			continue;
		}
		if (i > start)
			update(ctx, data + start, i - start);
		if (c == '\r') {
			st->pending_cr++;
		} else {
			st->pending_cr = 0;
			update(ctx, (const u8 *)"\r\n", 2);
		}
		start = i + 1;
	}
	if (len > start)
		update(ctx, data + start, len - start);
}

/**
 * pgp_hash_text_end() - finish text-mode data: CRs at the very end stay
 * @st: the state of pgp_hash_text()
 * @update: receives the canonical bytes
 * @ctx: passed to @update
 */
void pgp_hash_text_end(struct pgp_text_state *st, pgp_update_fn update,
		       void *ctx)
{
	emit_crs(st->pending_cr, update, ctx);
	st->pending_cr = 0;
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

/*
 * The hash algorithms sigil accepts.  A revocation only ever takes trust
 * away, so one made with SHA-1, as older gpg versions made them, still
 * counts: forging it would gain nothing.
 */
static int check_hash(const struct pgp_sig *sig, size_t offset,
		      bool revocation, struct pgp_error *err)
{
	switch (sig->hash_algo) {
	case PGP_HASH_SHA256:
	case PGP_HASH_SHA384:
	case PGP_HASH_SHA512:
		return 0;
	case PGP_HASH_SHA1:
		if (revocation)
			return 0;
		break;
	default:
		break;
	}
	switch (sig->hash_algo) {
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
	return check_hash(sig, 3, false, err);
}

enum key_sig {
	KEY_SIG_GOOD,		/* it verifies */
	KEY_SIG_OTHER,		/* another type, or another signer's */
	KEY_SIG_BAD,		/* it does not verify */
	KEY_SIG_UNCHECKABLE,	/* it cannot be checked: malformed, odd hash */
};

/* The signature type of a v3 or v4 signature body, or -1. */
static int peek_type(const struct pgp_sigref *ref)
{
	if (ref->len > 1 && ref->body[0] == 4)
		return ref->body[1];
	if (ref->len > 2 && ref->body[0] == 3)
		return ref->body[2];
	return -1;
}

/*
 * Check @ref, a signature of type @type that @signer made over @primary
 * and, for subkey bindings and revocations, @subkey.  Fills in @sig.
 */
static enum key_sig check_key_sig(const struct pgp_sigref *ref,
				  unsigned int type,
				  const struct pgp_key *primary,
				  const struct pgp_key *subkey,
				  const struct pgp_key *signer,
				  struct pgp_sig *sig, pgp_verify_fn verify,
				  void *ctx)
{
	bool revocation = type == PGP_SIG_KEY_REVOCATION ||
			  type == PGP_SIG_SUBKEY_REVOCATION;
	u8 hp[3], hs[3], trailer[6];
	struct pgp_error err = { 0 };
	struct pgp_span spans[6];
	unsigned int n = 0;
	int rc;

	if (peek_type(ref) != (int)type)
		return KEY_SIG_OTHER;
	if (pgp_parse_sig(ref->body, ref->len, sig, &err))
		return KEY_SIG_UNCHECKABLE;
	if (!pgp_sig_by(sig, signer) || !same_family(sig->pk_algo, signer->algo))
		return KEY_SIG_OTHER;
	if (check_hash(sig, 0, revocation, &err))
		return KEY_SIG_UNCHECKABLE;

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
	rc = verify(ctx, signer, sig, spans, n);
	if (!rc)
		return KEY_SIG_GOOD;
	return rc == -EKEYREJECTED ? KEY_SIG_BAD : KEY_SIG_UNCHECKABLE;
}

/*
 * Is there a revocation of @type by the primary key?  A revocation that
 * does not verify revokes nothing; one that cannot be checked at all is
 * reported, so that the caller refuses rather than guess.
 */
static enum key_sig revoked(const struct pgp_sigref *sigs, unsigned int nsigs,
			    unsigned int type, const struct pgp_key *primary,
			    const struct pgp_key *subkey, pgp_verify_fn verify,
			    void *ctx)
{
	enum key_sig result = KEY_SIG_OTHER;
	struct pgp_sig sig;
	unsigned int i;

	for (i = 0; i < nsigs; i++) {
		switch (check_key_sig(&sigs[i], type, primary, subkey, primary,
				      &sig, verify, ctx)) {
		case KEY_SIG_GOOD:
			return KEY_SIG_GOOD;
		case KEY_SIG_UNCHECKABLE:
			result = KEY_SIG_UNCHECKABLE;
			break;
		default:
			break;
		}
	}
	return result;
}

/*
 * Check that subkey @sub may sign for @cert.  Returns NULL when it may, or
 * why not.  A valid signing subkey that sigil cannot use is an error in
 * @err.
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
		if (check_key_sig(&sub->sigs[i], PGP_SIG_SUBKEY_BINDING,
				  &cert->primary, &sub->key, &cert->primary,
				  &binding, verify, ctx) != KEY_SIG_GOOD)
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
	switch (revoked(sub->sigs, sub->nsigs, PGP_SIG_SUBKEY_REVOCATION,
			&cert->primary, &sub->key, verify, ctx)) {
	case KEY_SIG_GOOD:
		return "revoked";
	case KEY_SIG_UNCHECKABLE:
		return "it carries a revocation sigil cannot check";
	default:
		break;
	}
	if (sub->key.unusable) {
		char id[2 * PGP_KEYID_SIZE + 1];

		pgp_fpr_hex(sub->key.keyid, PGP_KEYID_SIZE, id);
		pgp_fail(err, -EOPNOTSUPP, sub->offset,
			 "signing subkey %s: %s; export the key without it", id,
			 sub->key.unusable);
		return sub->key.unusable;
	}

	/* A signing subkey must also vouch for the primary (RFC 4880 5.2.1). */
	if (!best.embedded)
		return "no primary-key binding signature (back-signature)";
	embedded.body = best.embedded;
	embedded.len = best.embedded_len;
	embedded.offset = sub->offset;
	if (check_key_sig(&embedded, PGP_SIG_PRIMARY_BINDING, &cert->primary,
			  &sub->key, &sub->key, &back, verify, ctx) != KEY_SIG_GOOD)
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
 * * %-EKEYREJECTED	- it carries a revocation that cannot be checked
 * * %-EOPNOTSUPP	- a valid signing subkey uses an algorithm sigil cannot
 *			  verify, so signatures it makes would never verify
 */
int pgp_select_signer(struct pgp_cert *cert, pgp_verify_fn verify, void *ctx,
		      const struct pgp_key **signer, struct pgp_error *err)
{
	unsigned int order[PGP_MAX_SUBKEYS], i, j, n = cert->nsub;

	*signer = NULL;
	switch (revoked(cert->sigs, cert->nsigs, PGP_SIG_KEY_REVOCATION,
			&cert->primary, NULL, verify, ctx)) {
	case KEY_SIG_GOOD:
		return pgp_fail(err, -EKEYREVOKED, 0, "the key is revoked");
	case KEY_SIG_UNCHECKABLE:
		return pgp_fail(err, -EKEYREJECTED, 0,
				"the key carries a revocation that sigil cannot check");
	default:
		break;
	}

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
