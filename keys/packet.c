// SPDX-License-Identifier: GPL-2.0-only
/*
 * OpenPGP packet parsing: packet framing, v4 public keys and signatures,
 * and transferable public keys.  Every refusal names its reason and the
 * byte offset of the offending packet.
 */

#include "pgp.h"

/* Record the first error only, so that the cause is what gets reported. */
int pgp_fail(struct pgp_error *err, int code, size_t offset,
	     const char *fmt, ...)
{
	va_list ap;

	if (err->err)
		return err->err;
	err->err = code;
	err->offset = (u32)offset;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return code;
}

static u32 be32(const u8 *p)
{
	return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3];
}

static u16 be16(const u8 *p)
{
	return (u16)(p[0] << 8 | p[1]);
}

static const char *tag_name(unsigned int tag)
{
	switch (tag) {
	case PGP_TAG_SIGNATURE:
		return "signature";
	case PGP_TAG_SECRET_KEY:
		return "secret key";
	case PGP_TAG_PUBLIC_KEY:
		return "public key";
	case PGP_TAG_SECRET_SUBKEY:
		return "secret subkey";
	case PGP_TAG_USER_ID:
		return "user ID";
	case PGP_TAG_PUBLIC_SUBKEY:
		return "public subkey";
	default:
		return "OpenPGP";
	}
}

/**
 * pgp_read_packet() - read the packet at *@pos
 * @buf: the input
 * @len: its length
 * @pos: offset of the packet; advanced past it on success
 * @pkt: the packet
 * @err: why it was refused
 *
 * Old-format headers (one-, two-, four-octet and indeterminate lengths) and
 * new-format headers (one-, two- and five-octet lengths) are accepted.
 * Partial body lengths are refused: RFC 4880 allows them only for data
 * packets, never in keys or signatures.
 *
 * Return: 0, or -EBADMSG with @err set.
 */
int pgp_read_packet(const u8 *buf, size_t len, size_t *pos,
		    struct pgp_packet *pkt, struct pgp_error *err)
{
	size_t p = *pos, blen;
	unsigned int tag;
	u8 b;

	if (p >= len)
		return pgp_fail(err, -EBADMSG, p, "expected a packet, found the end of the input");
	b = buf[p++];
	if (!(b & 0x80))
		return pgp_fail(err, -EBADMSG, *pos,
				"not an OpenPGP packet (header byte 0x%02x)", b);
	if (b & 0x40) {
		tag = b & 0x3f;
		if (p >= len)
			goto truncated_header;
		b = buf[p++];
		if (b < 192) {
			blen = b;
		} else if (b < 224) {
			if (p >= len)
				goto truncated_header;
			blen = ((size_t)(b - 192) << 8) + buf[p++] + 192;
		} else if (b == 255) {
			if (len - p < 4)
				goto truncated_header;
			blen = be32(buf + p);
			p += 4;
		} else {
			return pgp_fail(err, -EBADMSG, *pos,
					"%s packet uses a partial body length, which only data packets may",
					tag_name(tag));
		}
	} else {
		tag = (b >> 2) & 0x0f;
		switch (b & 3) {
		case 0:
			if (p >= len)
				goto truncated_header;
			blen = buf[p++];
			break;
		case 1:
			if (len - p < 2)
				goto truncated_header;
			blen = be16(buf + p);
			p += 2;
			break;
		case 2:
			if (len - p < 4)
				goto truncated_header;
			blen = be32(buf + p);
			p += 4;
			break;
		default:
			/* Indeterminate: the packet runs to the end of the input. */
			blen = len - p;
			break;
		}
	}
	if (!tag)
		return pgp_fail(err, -EBADMSG, *pos, "packet with the reserved tag 0");
	if (blen > len - p)
		return pgp_fail(err, -EBADMSG, *pos,
				"truncated %s packet: its header announces %zu bytes, %zu follow",
				tag_name(tag), blen, len - p);
	pkt->tag = (u8)tag;
	pkt->body = buf + p;
	pkt->len = blen;
	pkt->start = *pos;
	pkt->body_start = p;
	*pos = p + blen;
	return 0;

truncated_header:
	return pgp_fail(err, -EBADMSG, *pos, "truncated packet header");
}

/* Read one MPI, stripping leading zero bytes. */
static int read_mpi(const u8 *body, size_t len, size_t *p, const u8 **out,
		    u16 *out_len, const char *what, struct pgp_error *err)
{
	size_t bytes;

	if (len - *p < 2)
		return pgp_fail(err, -EBADMSG, *p, "truncated %s", what);
	bytes = (be16(body + *p) + 7u) / 8;
	*p += 2;
	if (bytes > len - *p)
		return pgp_fail(err, -EBADMSG, *p,
				"truncated %s: %zu bytes announced, %zu follow",
				what, bytes, len - *p);
	*out = body + *p;
	*p += bytes;
	while (bytes && !**out) {
		(*out)++;
		bytes--;
	}
	*out_len = (u16)bytes;
	return 0;
}

static unsigned int bit_length(const u8 *p, unsigned int len)
{
	unsigned int bits;
	u8 top;

	if (!len)
		return 0;
	bits = (len - 1) * 8;
	for (top = p[0]; top; top >>= 1)
		bits++;
	return bits;
}

static const u8 oid_p256[] = { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07 };
static const u8 oid_p384[] = { 0x2b, 0x81, 0x04, 0x00, 0x22 };

static int parse_rsa(const u8 *body, size_t len, size_t *p,
		     struct pgp_key *key, struct pgp_error *err)
{
	int rc;

	rc = read_mpi(body, len, p, &key->n, &key->n_len, "RSA modulus", err);
	if (!rc)
		rc = read_mpi(body, len, p, &key->e, &key->e_len,
			      "RSA exponent", err);
	if (rc)
		return rc;
	key->bits = (u16)bit_length(key->n, key->n_len);
	if (key->algo == PGP_PK_RSA_ENCRYPT)
		key->unusable = "RSA encrypt-only keys cannot sign";
	else if (key->bits < PGP_RSA_MIN_BITS)
		key->unusable = "RSA keys smaller than 2048 bits are too weak";
	else if (key->bits != 2048 && key->bits != 3072 && key->bits != 4096)
		/* The sizes crypto/rsa.c accepts. */
		key->unusable =
			"RSA keys must have 2048, 3072 or 4096 bits; no other size verifies";
	else if (!key->e_len || key->e_len > 4 || !(key->e[key->e_len - 1] & 1) ||
		 (key->e_len == 1 && key->e[0] < 3))
		key->unusable = "RSA public exponent must be odd, at least 3 and at most 32 bits";
	return 0;
}

static int parse_ecdsa(const u8 *body, size_t len, size_t *p,
		       struct pgp_key *key, struct pgp_error *err)
{
	unsigned int oid_len, size;
	const u8 *oid;
	int rc;

	if (*p >= len)
		return pgp_fail(err, -EBADMSG, *p, "truncated curve OID");
	oid_len = body[(*p)++];
	if (!oid_len || oid_len == 255 || oid_len > len - *p)
		return pgp_fail(err, -EBADMSG, *p, "malformed curve OID");
	oid = body + *p;
	*p += oid_len;
	rc = read_mpi(body, len, p, &key->point, &key->point_len,
		      "ECDSA public point", err);
	if (rc)
		return rc;

	if (oid_len == sizeof(oid_p256) && !memcmp(oid, oid_p256, oid_len)) {
		key->curve = PGP_CURVE_P256;
		size = 32;
	} else if (oid_len == sizeof(oid_p384) && !memcmp(oid, oid_p384, oid_len)) {
		key->curve = PGP_CURVE_P384;
		size = 48;
	} else {
		key->unusable = "ECDSA on this curve is not supported (P-256 and P-384 are)";
		return 0;
	}
	key->bits = (u16)(size * 8);
	if (key->point_len != 1 + 2 * size || key->point[0] != 0x04)
		return pgp_fail(err, -EBADMSG, *p,
				"ECDSA public point is not an uncompressed point on its curve");
	return 0;
}

/*
 * Why sigil cannot use a key of algorithm @algo, or NULL when it can.
 * The kernel's crypto API is what limits it: Linux 6.12 verifies RSA and
 * ECDSA signatures, and nothing else OpenPGP uses.
 */
static const char *unsupported_algo(unsigned int algo)
{
	switch (algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_ENCRYPT:
	case PGP_PK_RSA_SIGN:
	case PGP_PK_ECDSA:
		return NULL;
	case PGP_PK_EDDSA:
	case PGP_PK_ED25519:
	case PGP_PK_ED448:
		return "EdDSA (Ed25519/Ed448) keys are not supported: Linux has no EdDSA verifier";
	case PGP_PK_DSA:
		return "DSA keys are not supported: Linux has no DSA verifier";
	case PGP_PK_ELGAMAL:
	case PGP_PK_ELGAMAL_OLD:
		return "ElGamal keys are not supported: ElGamal does not sign";
	case PGP_PK_ECDH:
	case PGP_PK_X25519:
	case PGP_PK_X448:
		return "ECDH keys are for encryption and cannot sign";
	default:
		return "unknown public-key algorithm";
	}
}

/**
 * pgp_parse_key() - parse a public key or public subkey packet body
 * @body: the packet body
 * @len: its length
 * @key: the key; @key->unusable says whether sigil can verify with it
 * @err: why it was refused; offsets are relative to @body
 *
 * A key whose algorithm sigil cannot use is parsed, fingerprinted and
 * marked unusable rather than refused, so that a certificate can carry
 * encryption subkeys.
 *
 * Return:
 * * %0		- @key is filled in
 * * %-EOPNOTSUPP	- not a v4 key (v3, v5 and v6 are refused by name)
 * * %-EBADMSG	- malformed packet
 */
int pgp_parse_key(const u8 *body, size_t len, struct pgp_key *key,
		  struct pgp_error *err)
{
	u8 hdr[3] = { 0x99, (u8)(len >> 8), (u8)len };
	struct pgp_span spans[2] = { { hdr, 3 }, { body, len } };
	size_t p = 6;
	int rc = 0;

	memset(key, 0, sizeof(*key));
	if (!len)
		return pgp_fail(err, -EBADMSG, 0, "empty key packet");
	switch (body[0]) {
	case 4:
		break;
	case 2:
	case 3:
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"v3 keys are not supported: RFC 4880 deprecates them (MD5 fingerprints)");
	case 5:
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"v5 keys (LibrePGP) are not supported; use a v4 key");
	case 6:
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"v6 keys (RFC 9580) are not supported; use a v4 key");
	default:
		return pgp_fail(err, -EBADMSG, 0, "unknown key version %u", body[0]);
	}
	if (len < 6)
		return pgp_fail(err, -EBADMSG, 0, "truncated key packet");
	if (len > 0xffff)
		return pgp_fail(err, -EBADMSG, 0, "key packet longer than 65535 bytes");

	key->body = body;
	key->body_len = (u32)len;
	key->created = be32(body + 1);
	key->algo = body[5];
	pgp_sha1(spans, 2, key->fpr);
	memcpy(key->keyid, key->fpr + PGP_FPR_SIZE - PGP_KEYID_SIZE, PGP_KEYID_SIZE);

	key->unusable = unsupported_algo(key->algo);
	switch (key->algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_ENCRYPT:
	case PGP_PK_RSA_SIGN:
		rc = parse_rsa(body, len, &p, key, err);
		break;
	case PGP_PK_ECDSA:
		rc = parse_ecdsa(body, len, &p, key, err);
		break;
	default:
		/* Material we cannot use is fingerprinted, not parsed. */
		return 0;
	}
	if (rc)
		return rc;
	if (p != len)
		return pgp_fail(err, -EBADMSG, p,
				"%zu bytes of trailing data in the key packet", len - p);
	return 0;
}

/*
 * Subpacket types whose meaning sigil knows, so that their critical bit
 * does not void a signature.  Preferences only matter to senders.
 */
static bool subpacket_known(unsigned int type)
{
	switch (type) {
	case 2:		/* signature creation time */
	case 3:		/* signature expiration time */
	case 9:		/* key expiration time */
	case 11:	/* preferred symmetric algorithms */
	case 16:	/* issuer key ID */
	case 21:	/* preferred hash algorithms */
	case 22:	/* preferred compression algorithms */
	case 23:	/* key server preferences */
	case 25:	/* primary user ID */
	case 27:	/* key flags */
	case 29:	/* reason for revocation */
	case 30:	/* features */
	case 32:	/* embedded signature */
	case 33:	/* issuer fingerprint */
	case 34:	/* preferred AEAD algorithms */
		return true;
	default:
		return false;
	}
}

static int parse_subpackets(const u8 *area, size_t len, bool hashed,
			    struct pgp_sig *sig, size_t base,
			    struct pgp_error *err)
{
	size_t p = 0;

	while (p < len) {
		size_t start = p, slen, dlen;
		unsigned int type;
		const u8 *data;
		u8 o = area[p];

		if (o < 192) {
			slen = o;
			p += 1;
		} else if (o < 255) {
			if (len - p < 2)
				goto truncated;
			slen = ((size_t)(o - 192) << 8) + area[p + 1] + 192;
			p += 2;
		} else {
			if (len - p < 5)
				goto truncated;
			slen = be32(area + p + 1);
			p += 5;
		}
		if (!slen || slen > len - p)
			goto truncated;
		type = area[p] & 0x7f;
		data = area + p + 1;
		dlen = slen - 1;
		if ((area[p] & 0x80) && !subpacket_known(type))
			return pgp_fail(err, -EKEYREJECTED, base + start,
					"unknown critical subpacket type %u", type);
		switch (type) {
		case 2:
			if (dlen != 4)
				goto malformed;
			if (hashed && !sig->created)
				sig->created = be32(data);
			break;
		case 3:
			if (dlen != 4)
				goto malformed;
			if (hashed)
				sig->expires = be32(data);
			break;
		case 16:
			if (dlen != PGP_KEYID_SIZE)
				goto malformed;
			memcpy(sig->issuer, data, PGP_KEYID_SIZE);
			sig->has_issuer = true;
			break;
		case 27:
			if (!dlen)
				goto malformed;
			if (hashed) {
				sig->key_flags = data[0];
				sig->has_key_flags = true;
			}
			break;
		case 32:
			if (!sig->embedded) {
				sig->embedded = data;
				sig->embedded_len = (u32)dlen;
			}
			break;
		case 33:
			if (!dlen)
				goto malformed;
			if (data[0] == 4) {
				if (dlen != 1 + PGP_FPR_SIZE)
					goto malformed;
				memcpy(sig->issuer_fpr, data + 1, PGP_FPR_SIZE);
				sig->has_issuer_fpr = true;
			}
			break;
		}
		p += slen;
		continue;
malformed:
		return pgp_fail(err, -EBADMSG, base + start,
				"malformed subpacket type %u (%zu data bytes)", type, dlen);
	}
	return 0;

truncated:
	return pgp_fail(err, -EBADMSG, base + p, "truncated signature subpacket");
}

/**
 * pgp_parse_sig() - parse a signature packet body
 * @body: the packet body
 * @len: its length
 * @sig: the signature
 * @err: why it was refused; offsets are relative to @body
 *
 * This checks the form only: version 4, well-formed subpacket areas, no
 * unknown critical subpacket, a creation time in the hashed area, and the
 * integers its algorithm needs.  Whether the hash and the signature type
 * are acceptable depends on the use; see pgp_check_data_sig().
 *
 * Return:
 * * %0		- @sig is filled in
 * * %-EOPNOTSUPP	- not a v4 signature, or an algorithm sigil cannot use
 * * %-EKEYREJECTED	- an unknown critical subpacket
 * * %-EBADMSG	- malformed packet
 */
int pgp_parse_sig(const u8 *body, size_t len, struct pgp_sig *sig,
		  struct pgp_error *err)
{
	unsigned int nmpi, i;
	size_t p, ulen;
	const char *why;
	int rc;

	memset(sig, 0, sizeof(*sig));
	if (!len)
		return pgp_fail(err, -EBADMSG, 0, "empty signature packet");
	switch (body[0]) {
	case 4:
		break;
	case 3:
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"v3 signatures are not supported; sign with a v4 key");
	case 5:
		return pgp_fail(err, -EOPNOTSUPP, 0, "v5 signatures (LibrePGP) are not supported");
	case 6:
		return pgp_fail(err, -EOPNOTSUPP, 0, "v6 signatures (RFC 9580) are not supported");
	default:
		return pgp_fail(err, -EBADMSG, 0, "unknown signature version %u", body[0]);
	}
	if (len < 8)
		return pgp_fail(err, -EBADMSG, 0, "truncated signature packet");
	sig->body = body;
	sig->body_len = (u32)len;
	sig->type = body[1];
	sig->pk_algo = body[2];
	sig->hash_algo = body[3];
	sig->hashed_len = be16(body + 4);
	if (len - 6 < (size_t)sig->hashed_len + 2)
		return pgp_fail(err, -EBADMSG, 4, "truncated hashed subpacket area");
	rc = parse_subpackets(body + 6, sig->hashed_len, true, sig, 6, err);
	if (rc)
		return rc;
	p = 6 + sig->hashed_len;
	ulen = be16(body + p);
	p += 2;
	if (len - p < ulen + 2)
		return pgp_fail(err, -EBADMSG, p - 2, "truncated unhashed subpacket area");
	rc = parse_subpackets(body + p, ulen, false, sig, p, err);
	if (rc)
		return rc;
	p += ulen;
	sig->quick[0] = body[p];
	sig->quick[1] = body[p + 1];
	p += 2;

	switch (sig->pk_algo) {
	case PGP_PK_RSA:
	case PGP_PK_RSA_SIGN:
		nmpi = 1;
		break;
	case PGP_PK_ECDSA:
		nmpi = 2;
		break;
	default:
		why = unsupported_algo(sig->pk_algo);
		return pgp_fail(err, -EOPNOTSUPP, 2, "signature algorithm %u: %s",
				sig->pk_algo, why ? why : "cannot sign");
	}
	for (i = 0; i < nmpi; i++) {
		rc = read_mpi(body, len, &p, &sig->mpi[i], &sig->mpi_len[i],
			      "signature value", err);
		if (rc)
			return rc;
	}
	if (p != len)
		return pgp_fail(err, -EBADMSG, p,
				"%zu bytes of trailing data in the signature packet", len - p);
	if (!sig->created)
		return pgp_fail(err, -EBADMSG, 6,
				"signature has no creation time in its hashed area");
	return 0;
}

/**
 * pgp_is_cert() - does the input start like a transferable public key?
 * @buf: the input
 * @len: its length
 *
 * Lets a caller with several parsers (X.509, OpenPGP) pick one without
 * reporting errors for input that is not OpenPGP at all.
 *
 * Return: true when the first packet header is a public key's.
 */
bool pgp_is_cert(const u8 *buf, size_t len)
{
	u8 b;

	if (!len || !(buf[0] & 0x80))
		return false;
	b = buf[0];
	if (b & 0x40)
		return (b & 0x3f) == PGP_TAG_PUBLIC_KEY;
	return ((b >> 2) & 0x0f) == PGP_TAG_PUBLIC_KEY;
}

static int parse_subkey(const struct pgp_packet *pkt, struct pgp_cert *cert,
			struct pgp_error *err)
{
	struct pgp_subkey *sub;
	int rc;

	if (cert->nsub == PGP_MAX_SUBKEYS)
		return pgp_fail(err, -EBADMSG, pkt->start,
				"more than %u subkeys", PGP_MAX_SUBKEYS);
	sub = &cert->sub[cert->nsub];
	memset(sub, 0, sizeof(*sub));
	rc = pgp_parse_key(pkt->body, pkt->len, &sub->key, err);
	if (rc) {
		err->offset += (u32)pkt->body_start;
		return rc;
	}
	sub->offset = (u32)pkt->start;
	cert->nsub++;
	return 0;
}

/*
 * Keep a signature on the primary key or a subkey.  Dropping one could hide
 * a revocation, so a key with more signatures than fit is refused.
 */
static int keep_sig(struct pgp_sigref *sigs, u8 *nsigs,
		    const struct pgp_packet *pkt, struct pgp_error *err)
{
	if (*nsigs == PGP_MAX_SIGS)
		return pgp_fail(err, -EBADMSG, pkt->start,
				"more than %u signatures on one key; export it with --export-options export-minimal",
				PGP_MAX_SIGS);
	sigs[*nsigs].body = pkt->body;
	sigs[*nsigs].len = (u32)pkt->len;
	sigs[*nsigs].offset = (u32)pkt->start;
	(*nsigs)++;
	return 0;
}

/**
 * pgp_cert_end() - where the certificate at @pos of a keyring ends
 * @buf: the keyring, binary
 * @len: its length
 * @pos: offset of the certificate's primary key packet
 *
 * For splitting a keyring into certificates: the walk stops at the next
 * public or secret primary key, at a packet that cannot be read, or at the
 * end.  The packets in between are not checked: pgp_parse_cert() does.
 *
 * Return: the offset just past the certificate; @pos when the packet at
 * @pos itself cannot be read.
 */
size_t pgp_cert_end(const u8 *buf, size_t len, size_t pos)
{
	struct pgp_error err = { 0 };
	struct pgp_packet pkt;
	size_t end = pos;

	if (pgp_read_packet(buf, len, &end, &pkt, &err))
		return pos;
	while (end < len) {
		size_t next = end;

		memset(&err, 0, sizeof(err));
		if (pgp_read_packet(buf, len, &next, &pkt, &err) ||
		    pkt.tag == PGP_TAG_PUBLIC_KEY || pkt.tag == PGP_TAG_SECRET_KEY)
			break;
		end = next;
	}
	return end;
}

/**
 * pgp_parse_cert() - parse one transferable public key
 * @buf: the input, which may hold further certificates after this one
 * @len: its length
 * @cert: the certificate; @cert->len is how much of @buf it spans
 * @err: why it was refused; offsets are relative to @buf
 *
 * The primary key must be usable by sigil.  Subkeys that are not (an ECDH
 * encryption subkey, say) are kept and marked; pgp_select_signer() decides
 * whether that matters.  Signatures are kept for later verification, not
 * verified here.
 *
 * Return:
 * * %0		- @cert is filled in
 * * %-EOPNOTSUPP	- a key version or primary-key algorithm sigil does not
 *			  support
 * * %-EKEYREJECTED	- a primary key sigil refuses (too weak, say)
 * * %-EBADMSG	- malformed input, or not a public key
 */
int pgp_parse_cert(const u8 *buf, size_t len, struct pgp_cert *cert,
		   struct pgp_error *err)
{
	enum { AFTER_PRIMARY, AFTER_UID, AFTER_SUBKEY } state = AFTER_PRIMARY;
	struct pgp_packet pkt;
	size_t pos = 0, save;
	int rc;

	memset(cert, 0, sizeof(*cert));
	rc = pgp_read_packet(buf, len, &pos, &pkt, err);
	if (rc)
		return rc;
	if (pkt.tag == PGP_TAG_SECRET_KEY)
		return pgp_fail(err, -EBADMSG, 0,
				"this is a secret key: load the public key (gpg --export, or sq key extract-cert)");
	if (pkt.tag != PGP_TAG_PUBLIC_KEY)
		return pgp_fail(err, -EBADMSG, 0,
				"expected a public key packet, found a %s packet (tag %u)",
				tag_name(pkt.tag), pkt.tag);
	rc = pgp_parse_key(pkt.body, pkt.len, &cert->primary, err);
	if (rc) {
		err->offset += (u32)pkt.body_start;
		return rc;
	}
	if (cert->primary.unusable)
		return pgp_fail(err, cert->primary.algo == PGP_PK_RSA ||
				cert->primary.algo == PGP_PK_RSA_SIGN ?
				-EKEYREJECTED : -EOPNOTSUPP, 0,
				"primary key: %s", cert->primary.unusable);

	while (pos < len) {
		save = pos;
		rc = pgp_read_packet(buf, len, &pos, &pkt, err);
		if (rc)
			return rc;
		switch (pkt.tag) {
		case PGP_TAG_PUBLIC_KEY:
			/* The next certificate of a keyring. */
			pos = save;
			goto out;
		case PGP_TAG_SIGNATURE:
			if (state == AFTER_PRIMARY)
				rc = keep_sig(cert->sigs, &cert->nsigs, &pkt, err);
			else if (state == AFTER_SUBKEY)
				rc = keep_sig(cert->sub[cert->nsub - 1].sigs,
					      &cert->sub[cert->nsub - 1].nsigs,
					      &pkt, err);
			if (rc)
				return rc;
			break;
		case PGP_TAG_USER_ID:
			if (!cert->uid) {
				cert->uid = pkt.body;
				cert->uid_len = (u32)pkt.len;
			}
			fallthrough;
		case PGP_TAG_USER_ATTR:
			if (state == AFTER_SUBKEY)
				return pgp_fail(err, -EBADMSG, pkt.start,
						"user ID after a subkey");
			state = AFTER_UID;
			break;
		case PGP_TAG_PUBLIC_SUBKEY:
			rc = parse_subkey(&pkt, cert, err);
			if (rc)
				return rc;
			state = AFTER_SUBKEY;
			break;
		case PGP_TAG_TRUST:
		case PGP_TAG_MARKER:
			break;
		case PGP_TAG_SECRET_KEY:
		case PGP_TAG_SECRET_SUBKEY:
			return pgp_fail(err, -EBADMSG, pkt.start,
					"secret key material: load the public key (gpg --export, or sq key extract-cert)");
		default:
			return pgp_fail(err, -EBADMSG, pkt.start,
					"unexpected packet (tag %u) in a public key", pkt.tag);
		}
	}
out:
	cert->len = pos;
	return 0;
}
