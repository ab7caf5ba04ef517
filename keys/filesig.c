// SPDX-License-Identifier: GPL-2.0-only
/*
 * Parsing of the signature xattrs sigil reads, and the exact bytes that IMA
 * v3 and fs-verity builtin signatures sign.
 */

#include "filesig.h"

const char *const sigil_sig_state_names[__SIGIL_SIG_STATE_MAX] = {
	[SIGIL_SIG_VALID]	= "valid",
	[SIGIL_SIG_ABSENT]	= "absent",
	[SIGIL_SIG_NO_VERITY]	= "no-fsverity",
	[SIGIL_SIG_UNKNOWN_KEY]	= "unknown-key",
	[SIGIL_SIG_BAD]		= "bad-signature",
	[SIGIL_SIG_REFUSED]	= "refused",
	[SIGIL_SIG_UNVERIFIED]	= "unverified",
	[SIGIL_SIG_ERROR]	= "error",
};

/**
 * sigil_xattr_parse() - parse a security.sigil value
 * @value: the value
 * @len: its length
 * @x: the parsed value
 * @err: why it was refused
 *
 * The format is version 1, a kind (1: the signature covers the fs-verity
 * formatted digest; 2: the whole content), and one OpenPGP signature
 * packet, not armored, filling the rest of the value.
 *
 * The signature must be a binary one (type 0x00).  A text-mode signature
 * (0x01) covers the data with its line endings canonicalized: LF, CR LF
 * and any run of CRs before an LF hash alike, so it would vouch for every
 * file that differs from the signed one only there, such as a script with
 * a CR added to a line.  Only the type of a v4 signature is read here;
 * pgp_parse_sig() and pgp_check_data_sig() check the rest.
 *
 * Return:
 * * %0		- @x is filled in
 * * %-EKEYREJECTED	- a text-mode signature
 * * %-EBADMSG	- malformed: truncated, an unknown version or kind, not a
 *		  signature packet, or bytes after it
 */
int sigil_xattr_parse(const u8 *value, size_t len, struct sigil_xattr *x,
		      struct pgp_error *err)
{
	struct pgp_packet pkt;
	size_t pos = 2;
	int rc;

	if (len < 3)
		return pgp_fail(err, -EBADMSG, 0, "security.sigil is %zu bytes long", len);
	if (value[0] != SIGIL_XATTR_VERSION)
		return pgp_fail(err, -EBADMSG, 0, "security.sigil version %u is unknown (1 is)",
				value[0]);
	if (value[1] != SIGIL_XATTR_VERITY && value[1] != SIGIL_XATTR_CONTENT)
		return pgp_fail(err, -EBADMSG, 1,
				"security.sigil kind %u is unknown (1: fs-verity digest, 2: content)",
				value[1]);
	rc = pgp_read_packet(value, len, &pos, &pkt, err);
	if (rc)
		return rc;
	if (pkt.tag != PGP_TAG_SIGNATURE)
		return pgp_fail(err, -EBADMSG, 2,
				"security.sigil holds a packet with tag %u, not a signature",
				pkt.tag);
	if (pos != len)
		return pgp_fail(err, -EBADMSG, pos,
				"%zu bytes after the signature in security.sigil", len - pos);
	if (pkt.len >= 2 && pkt.body[0] == 4 && pkt.body[1] == PGP_SIG_TEXT)
		return pgp_fail(err, -EKEYREJECTED, pkt.body_start + 1,
				"a text-mode (0x01) signature covers many byte strings; file signatures must be binary (0x00)");
	x->kind = value[1];
	x->packet = value + 2;
	x->len = len - 2;
	return 0;
}

/**
 * ima_hash_name() - the crypto API name of an IMA hash algorithm
 * @hash_algo: enum ima_hash_algo
 *
 * Return: "sha256", "sha384" or "sha512", or NULL.
 */
const char *ima_hash_name(u8 hash_algo)
{
	switch (hash_algo) {
	case IMA_HASH_SHA256:
		return "sha256";
	case IMA_HASH_SHA384:
		return "sha384";
	case IMA_HASH_SHA512:
		return "sha512";
	default:
		return NULL;
	}
}

/**
 * ima_hash_size() - digest size of an accepted IMA hash algorithm
 * @hash_algo: enum ima_hash_algo
 *
 * Return: bytes, or 0.
 */
unsigned int ima_hash_size(u8 hash_algo)
{
	switch (hash_algo) {
	case IMA_HASH_SHA256:
		return 32;
	case IMA_HASH_SHA384:
		return 48;
	case IMA_HASH_SHA512:
		return 64;
	default:
		return 0;
	}
}

/**
 * ima_xattr_parse() - parse a security.ima value holding a signature
 * @value: the value
 * @len: its length
 * @sig: the signature
 * @err: why it was refused
 *
 * Return:
 * * %0		- a v2 (type 3) or v3 (type 6) signature
 * * %-ENODATA	- an IMA value that is not a signature (a bare hash)
 * * %-EKEYREJECTED	- a signature over SHA-1 or MD5
 * * %-EOPNOTSUPP	- another hash algorithm sigil does not verify
 * * %-EBADMSG	- malformed: truncated, wrong version, sizes that disagree
 */
int ima_xattr_parse(const u8 *value, size_t len, struct ima_sig *sig,
		    struct pgp_error *err)
{
	if (!len)
		return pgp_fail(err, -EBADMSG, 0, "security.ima is empty");
	if (value[0] != IMA_XATTR_DIGSIG && value[0] != IMA_XATTR_VERITY_DIGSIG)
		return -ENODATA;
	if (len <= IMA_SIG_HDR_SIZE)
		return pgp_fail(err, -EBADMSG, 0, "security.ima signature is %zu bytes long",
				len);
	sig->type = value[0];
	sig->version = value[1];
	sig->hash_algo = value[2];
	memcpy(sig->keyid, value + 3, 4);
	sig->sig_len = (u16)(value[7] << 8 | value[8]);
	sig->sig = value + IMA_SIG_HDR_SIZE;
	if (sig->version != (sig->type == IMA_XATTR_DIGSIG ? 2 : 3))
		return pgp_fail(err, -EBADMSG, 1,
				"security.ima type %u with signature version %u (type 3 is v2, type 6 is v3)",
				sig->type, sig->version);
	if (sig->sig_len != len - IMA_SIG_HDR_SIZE)
		return pgp_fail(err, -EBADMSG, 7,
				"security.ima announces a %u-byte signature, %zu bytes follow",
				sig->sig_len, len - IMA_SIG_HDR_SIZE);
	if (sig->hash_algo == IMA_HASH_SHA1 || sig->hash_algo == IMA_HASH_MD5)
		return pgp_fail(err, -EKEYREJECTED, 2,
				"security.ima signs a %s digest, which is refused: collisions are practical",
				sig->hash_algo == IMA_HASH_SHA1 ? "SHA-1" : "MD5");
	if (!ima_hash_name(sig->hash_algo))
		return pgp_fail(err, -EOPNOTSUPP, 2,
				"security.ima hash algorithm %u is not supported (SHA-256, SHA-384 and SHA-512 are)",
				sig->hash_algo);
	return 0;
}

/**
 * ima_file_id() - what an IMA v3 signature signs the hash of
 * @verity_hash_algo: enum ima_hash_algo of the fs-verity digest
 * @digest: the fs-verity digest
 * @size: its size
 * @out: struct ima_file_id, up to the end of the digest
 *
 * Return: the number of bytes in @out.
 */
size_t ima_file_id(u8 verity_hash_algo, const u8 *digest, unsigned int size,
		   u8 out[IMA_FILE_ID_MAX])
{
	out[0] = IMA_XATTR_VERITY_DIGSIG;
	out[1] = verity_hash_algo;
	memcpy(out + 2, digest, size);
	return 2 + size;
}

/**
 * fsverity_formatted_digest() - what fs-verity builtin signatures sign
 * @fsverity_alg: FS_VERITY_HASH_ALG_SHA256 (1) or _SHA512 (2)
 * @digest: the fs-verity digest
 * @size: its size
 * @out: "FSVerity", le16 algorithm, le16 size, digest
 *
 * Return: the number of bytes in @out.
 */
size_t fsverity_formatted_digest(u16 fsverity_alg, const u8 *digest,
				 unsigned int size,
				 u8 out[FSVERITY_FORMATTED_MAX])
{
	memcpy(out, "FSVerity", 8);
	out[8] = (u8)fsverity_alg;
	out[9] = (u8)(fsverity_alg >> 8);
	out[10] = (u8)size;
	out[11] = (u8)(size >> 8);
	memcpy(out + 12, digest, size);
	return 12 + size;
}

static_assert(IMA_FILE_ID_MAX <= FILESIG_MSG_MAX, "FILESIG_MSG_MAX is too small");

/* The IMA hash algorithm of a fs-verity digest, or 0. */
static u8 verity_ima_hash(u16 fsverity_alg)
{
	switch (fsverity_alg) {
	case 1:
		return IMA_HASH_SHA256;
	case 2:
		return IMA_HASH_SHA512;
	default:
		return 0;
	}
}

static int check_ima(const u8 *value, size_t len,
		     const struct filesig_verity *verity,
		     struct filesig_check *c, struct pgp_error *err)
{
	int rc = ima_xattr_parse(value, len, &c->ima, err);

	/* A bare hash is no signature; SHA-1 and MD5 are refused. */
	if (rc == -ENODATA) {
		c->state = SIGIL_SIG_ABSENT;
		return 0;
	}
	if (rc == -EKEYREJECTED) {
		c->state = SIGIL_SIG_REFUSED;
		return 0;
	}
	if (rc)
		return rc;
	if (c->ima.type == IMA_XATTR_DIGSIG) {
		c->content = true;
		return 0;
	}
	if (!verity->alg) {
		c->state = SIGIL_SIG_NO_VERITY;
		return 0;
	}
	/* As IMA: the file ID is hashed with the fs-verity digest's algorithm. */
	if (verity_ima_hash(verity->alg) != c->ima.hash_algo) {
		c->state = SIGIL_SIG_BAD;
		return 0;
	}
	c->msg_len = ima_file_id(c->ima.hash_algo, verity->digest, verity->size,
				 c->msg);
	return 0;
}

static int check_sigil(const u8 *value, size_t len,
		       const struct filesig_verity *verity,
		       struct filesig_check *c, struct pgp_error *err)
{
	int rc = sigil_xattr_parse(value, len, &c->sigil, err);

	/* A text-mode signature is refused, not malformed. */
	if (rc == -EKEYREJECTED) {
		c->state = SIGIL_SIG_REFUSED;
		return 0;
	}
	if (rc)
		return rc;
	if (c->sigil.kind == SIGIL_XATTR_CONTENT) {
		c->content = true;
		return 0;
	}
	if (!verity->alg) {
		c->state = SIGIL_SIG_NO_VERITY;
		return 0;
	}
	c->msg_len = fsverity_formatted_digest(verity->alg, verity->digest,
					       verity->size, c->msg);
	return 0;
}

/**
 * filesig_check() - parse a signature xattr, and check what needs no key
 * @xattr: which xattr @value is
 * @value: its value; NULL when the file has none
 * @len: its length
 * @verity: the file's fs-verity digest, @verity->alg 0 when it has none
 * @c: what is left for a key to verify, or the final state
 * @err: why the value is malformed
 *
 * The one place that turns a signature xattr into a state or into the
 * bytes a key must verify, shared by the kernel and sigilctl.  A value
 * that holds no signature (an IMA hash) is %SIGIL_SIG_ABSENT; one over
 * SHA-1, MD5 or in OpenPGP text mode is %SIGIL_SIG_REFUSED; one that signs
 * fs-verity on a file without it is %SIGIL_SIG_NO_VERITY; an IMA v3
 * signature whose hash differs from fs-verity's is %SIGIL_SIG_BAD.
 *
 * Return:
 * * %0		- @c->state is set: %SIGIL_SIG_UNVERIFIED or final
 * * %-EBADMSG	- malformed (see ima_xattr_parse(), sigil_xattr_parse())
 * * %-EOPNOTSUPP	- an IMA hash algorithm sigil does not verify
 */
int filesig_check(enum filesig_xattr xattr, const u8 *value, size_t len,
		  const struct filesig_verity *verity, struct filesig_check *c,
		  struct pgp_error *err)
{
	memset(c, 0, sizeof(*c));
	c->state = SIGIL_SIG_UNVERIFIED;
	if (!value) {
		c->state = SIGIL_SIG_ABSENT;
		return 0;
	}
	if (xattr == FILESIG_XATTR_IMA)
		return check_ima(value, len, verity, c, err);
	return check_sigil(value, len, verity, c, err);
}
