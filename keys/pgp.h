/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * OpenPGP (RFC 4880) for sigil: packets, v4 public keys and signatures,
 * transferable public keys, and the conversions the kernel's public-key
 * code needs.  Plain C shared by the kernel, sigilctl, the host tests and
 * the fuzzer; cryptography is supplied by the caller through callbacks.
 */
#ifndef _SIGIL_PGP_H
#define _SIGIL_PGP_H

#include "compat.h"

#define PGP_FPR_SIZE		20	/* v4 fingerprint: SHA-1 */
#define PGP_KEYID_SIZE		8	/* low 64 bits of the fingerprint */
#define PGP_MAX_SUBKEYS		32
#define PGP_MAX_SIGS		8	/* signatures kept per key or subkey */
#define PGP_ERR_MSG_MAX		160
#define PGP_RSA_MIN_BITS	2048
#define PGP_RSA_MAX_BITS	4096
/* Largest signature in kernel form: an RSA-4096 signature. */
#define PGP_SIG_MAX		(PGP_RSA_MAX_BITS / 8)

enum pgp_tag {
	PGP_TAG_SIGNATURE	= 2,
	PGP_TAG_SECRET_KEY	= 5,
	PGP_TAG_PUBLIC_KEY	= 6,
	PGP_TAG_SECRET_SUBKEY	= 7,
	PGP_TAG_MARKER		= 10,
	PGP_TAG_TRUST		= 12,
	PGP_TAG_USER_ID		= 13,
	PGP_TAG_PUBLIC_SUBKEY	= 14,
	PGP_TAG_USER_ATTR	= 17,
};

enum pgp_pk_algo {
	PGP_PK_RSA		= 1,
	PGP_PK_RSA_ENCRYPT	= 2,
	PGP_PK_RSA_SIGN		= 3,
	PGP_PK_ELGAMAL		= 16,
	PGP_PK_DSA		= 17,
	PGP_PK_ECDH		= 18,
	PGP_PK_ECDSA		= 19,
	PGP_PK_ELGAMAL_OLD	= 20,
	PGP_PK_EDDSA		= 22,
	PGP_PK_X25519		= 25,
	PGP_PK_X448		= 26,
	PGP_PK_ED25519		= 27,
	PGP_PK_ED448		= 28,
};

enum pgp_hash_algo {
	PGP_HASH_MD5		= 1,
	PGP_HASH_SHA1		= 2,
	PGP_HASH_RIPEMD160	= 3,
	PGP_HASH_SHA256		= 8,
	PGP_HASH_SHA384		= 9,
	PGP_HASH_SHA512		= 10,
	PGP_HASH_SHA224		= 11,
};

enum pgp_sig_type {
	PGP_SIG_BINARY		= 0x00,
	PGP_SIG_TEXT		= 0x01,
	PGP_SIG_SUBKEY_BINDING	= 0x18,
	PGP_SIG_PRIMARY_BINDING	= 0x19,
	PGP_SIG_DIRECT_KEY	= 0x1f,
	PGP_SIG_KEY_REVOCATION	= 0x20,
	PGP_SIG_SUBKEY_REVOCATION = 0x28,
};

#define PGP_KEYFLAG_CERTIFY	0x01
#define PGP_KEYFLAG_SIGN	0x02

enum pgp_curve {
	PGP_CURVE_NONE,
	PGP_CURVE_P256,
	PGP_CURVE_P384,
};

/**
 * struct pgp_error - why input was refused, and where
 * @err: negative errno: -EBADMSG for malformed input, -EOPNOTSUPP for
 *	 well-formed input sigil does not support, -EKEYREJECTED for keys and
 *	 signatures that are refused on their merits
 * @offset: byte offset of the offending packet or field in the input
 * @msg: what was wrong, NUL-terminated
 */
struct pgp_error {
	int err;
	u32 offset;
	char msg[PGP_ERR_MSG_MAX];
};

/**
 * struct pgp_packet - one packet
 * @tag: enum pgp_tag
 * @body: its body
 * @len: length of @body
 * @start: offset of the packet header in the input
 * @body_start: offset of @body in the input
 */
struct pgp_packet {
	u8 tag;
	const u8 *body;
	size_t len;
	size_t start;
	size_t body_start;
};

/**
 * struct pgp_key - a v4 public key or subkey
 * @body: the key packet body, which fingerprints and bindings hash
 * @body_len: its length (at most 65535)
 * @created: creation time, seconds since the epoch
 * @algo: enum pgp_pk_algo
 * @curve: enum pgp_curve, for ECDSA
 * @bits: RSA modulus size, or curve size, in bits
 * @n: RSA modulus, without leading zero bytes
 * @n_len: its length
 * @e: RSA public exponent, without leading zero bytes
 * @e_len: its length
 * @point: ECDSA public point, uncompressed (0x04 || x || y)
 * @point_len: its length
 * @fpr: v4 fingerprint
 * @keyid: 64-bit key ID (the last 8 bytes of @fpr)
 * @unusable: NULL when sigil can verify signatures made with this key;
 *	      otherwise why it cannot
 */
struct pgp_key {
	const u8 *body;
	u32 body_len;
	u32 created;
	u8 algo;
	u8 curve;
	u16 bits;
	const u8 *n;
	u16 n_len;
	const u8 *e;
	u16 e_len;
	const u8 *point;
	u16 point_len;
	u8 fpr[PGP_FPR_SIZE];
	u8 keyid[PGP_KEYID_SIZE];
	const char *unusable;
};

/**
 * struct pgp_sig - a v4 signature
 * @body: the signature packet body
 * @body_len: its length
 * @type: enum pgp_sig_type
 * @pk_algo: enum pgp_pk_algo of the signing key
 * @hash_algo: enum pgp_hash_algo
 * @hashed_len: length of the hashed subpacket area; the hashed part of the
 *		packet is its first 6 + @hashed_len bytes
 * @quick: the first two bytes of the hash, stored in clear
 * @created: signature creation time
 * @expires: seconds after @created when it expires; 0 for never
 * @has_key_flags: a key flags subpacket is in the hashed area
 * @key_flags: its first byte
 * @has_issuer: an issuer key ID is known
 * @issuer: issuer key ID
 * @has_issuer_fpr: an issuer fingerprint is known
 * @issuer_fpr: issuer fingerprint
 * @embedded: body of the first embedded signature (subpacket 32), or NULL
 * @embedded_len: its length
 * @mpi: the signature's integers, leading zeros stripped: RSA s; ECDSA r, s
 * @mpi_len: their lengths
 */
struct pgp_sig {
	const u8 *body;
	u32 body_len;
	u8 type;
	u8 pk_algo;
	u8 hash_algo;
	u16 hashed_len;
	u8 quick[2];
	u32 created;
	u32 expires;
	bool has_key_flags;
	u8 key_flags;
	bool has_issuer;
	u8 issuer[PGP_KEYID_SIZE];
	bool has_issuer_fpr;
	u8 issuer_fpr[PGP_FPR_SIZE];
	const u8 *embedded;
	u32 embedded_len;
	const u8 *mpi[2];
	u16 mpi_len[2];
};

/**
 * struct pgp_sigref - a signature packet kept for later verification
 * @body: its body
 * @len: its length
 * @offset: offset of the packet in the input, for messages
 */
struct pgp_sigref {
	const u8 *body;
	u32 len;
	u32 offset;
};

/**
 * struct pgp_subkey - a subkey and the signatures that follow it
 * @key: the subkey
 * @sigs: its binding and revocation signatures
 * @nsigs: number of @sigs
 * @offset: offset of the subkey packet in the input
 * @skipped: why the subkey cannot sign, once pgp_select_signer() ran
 */
struct pgp_subkey {
	struct pgp_key key;
	struct pgp_sigref sigs[PGP_MAX_SIGS];
	u8 nsigs;
	u32 offset;
	const char *skipped;
};

/**
 * struct pgp_cert - a transferable public key (RFC 4880 section 11.1)
 * @primary: the primary key
 * @sigs: direct-key and key revocation signatures on it
 * @nsigs: number of @sigs
 * @uid: the first user ID, not NUL-terminated, or NULL
 * @uid_len: its length
 * @sub: the subkeys, in input order
 * @nsub: number of @sub
 * @len: bytes of input the certificate spans; a keyring holds several
 */
struct pgp_cert {
	struct pgp_key primary;
	struct pgp_sigref sigs[PGP_MAX_SIGS];
	u8 nsigs;
	const u8 *uid;
	u32 uid_len;
	struct pgp_subkey sub[PGP_MAX_SUBKEYS];
	u8 nsub;
	size_t len;
};

/**
 * struct pgp_span - bytes to hash, one of a sequence
 * @data: the bytes
 * @len: their number
 */
struct pgp_span {
	const u8 *data;
	size_t len;
};

/**
 * typedef pgp_verify_fn - check a signature cryptographically
 * @ctx: the caller's context
 * @key: the key that supposedly made @sig
 * @sig: the signature, already parsed and checked for form
 * @spans: what was signed, trailer included, in order
 * @nspans: number of @spans
 *
 * Hash @spans with @sig->hash_algo, compare the quick-check bytes, and
 * verify the signature with @key.
 *
 * Return: 0 when the signature is good, or a negative errno.
 */
typedef int (*pgp_verify_fn)(void *ctx, const struct pgp_key *key,
			     const struct pgp_sig *sig,
			     const struct pgp_span *spans, unsigned int nspans);

/* packet.c: parsing */
__printf(4, 5) int pgp_fail(struct pgp_error *err, int code, size_t offset,
			    const char *fmt, ...);
int pgp_read_packet(const u8 *buf, size_t len, size_t *pos,
		    struct pgp_packet *pkt, struct pgp_error *err);
int pgp_parse_key(const u8 *body, size_t len, struct pgp_key *key,
		  struct pgp_error *err);
int pgp_parse_sig(const u8 *body, size_t len, struct pgp_sig *sig,
		  struct pgp_error *err);
bool pgp_is_cert(const u8 *buf, size_t len);
size_t pgp_cert_end(const u8 *buf, size_t len, size_t pos);
int pgp_parse_cert(const u8 *buf, size_t len, struct pgp_cert *cert,
		   struct pgp_error *err);

/**
 * typedef pgp_update_fn - receive bytes to hash
 * @ctx: the caller's context
 * @data: the bytes
 * @len: their number
 */
typedef void (*pgp_update_fn)(void *ctx, const u8 *data, size_t len);

/**
 * struct pgp_text_state - canonicalization of text data across calls
 * @pending_cr: CRs seen but not yet passed on: an LF may follow
 */
struct pgp_text_state {
	size_t pending_cr;
};

/* cert.c: choosing the key that signs, and checking signatures for form */
void pgp_hash_text(const u8 *data, size_t len, struct pgp_text_state *st,
		   pgp_update_fn update, void *ctx);
void pgp_hash_text_end(struct pgp_text_state *st, pgp_update_fn update,
		       void *ctx);
int pgp_select_signer(struct pgp_cert *cert, pgp_verify_fn verify, void *ctx,
		      const struct pgp_key **signer, struct pgp_error *err);
int pgp_check_data_sig(const struct pgp_sig *sig, struct pgp_error *err);
bool pgp_sig_by(const struct pgp_sig *sig, const struct pgp_key *key);
void pgp_sig_trailer(const struct pgp_sig *sig, u8 trailer[6]);
bool pgp_quick_check(const struct pgp_sig *sig, const u8 *digest);

/* convert.c: the forms crypto/asymmetric_keys/public_key.c expects */
const char *pgp_hash_name(u8 hash_algo);
unsigned int pgp_hash_size(u8 hash_algo);
const char *pgp_key_algo_name(const struct pgp_key *key);
int pgp_key_to_kernel(const struct pgp_key *key, u8 *out, size_t size);
int pgp_sig_to_kernel(const struct pgp_sig *sig, const struct pgp_key *key,
		      u8 *out, size_t size);
void pgp_fpr_hex(const u8 *bytes, unsigned int n, char *hex);

/* armor.c: ASCII armor and PEM */
int pgp_dearmor(const char *in, size_t len, size_t *pos, const char *label,
		u8 *out, size_t size, size_t *out_len, struct pgp_error *err);

/*
 * v4 fingerprints: the kernel's sha1_transform() (crypto.c), OpenSSL in
 * userspace (keys/sha1_user.c)
 */
void pgp_sha1(const struct pgp_span *spans, unsigned int nspans,
	      u8 digest[20]);

#endif /* _SIGIL_PGP_H */
