/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * File signature formats: the security.ima and security.sigil xattrs, the
 * fs-verity formatted digest, IMA's v3 file ID, and the signer of a PKCS#7
 * message.  Plain C shared by the kernel, sigilctl, the host tests and the
 * fuzzer.
 */
#ifndef _SIGIL_FILESIG_H
#define _SIGIL_FILESIG_H

#include "pgp.h"

/**
 * enum sigil_sig_state - what became of one kind of signature on one file
 * @SIGIL_SIG_VALID: verified by a key in .sigil
 * @SIGIL_SIG_ABSENT: the file has no signature of this kind
 * @SIGIL_SIG_NO_VERITY: the signature signs fs-verity, which is off
 * @SIGIL_SIG_UNKNOWN_KEY: its key is not in .sigil
 * @SIGIL_SIG_BAD: it does not verify: the file or the signature changed
 * @SIGIL_SIG_REFUSED: refused: SHA-1, MD5, text mode, or not a data
 *		       signature
 * @SIGIL_SIG_UNVERIFIED: present and well formed, but not verified:
 *			  sigilctl explaining without the kernel's keyring
 * @SIGIL_SIG_ERROR: verification failed: an I/O, memory or format error
 * @__SIGIL_SIG_STATE_MAX: the number of states
 *
 * The kernel's log, sigil/explain and sigilctl name them with
 * sigil_sig_state_names[]; the kernel never reports the last two as a
 * state (an error has its own field).
 */
enum sigil_sig_state {
	SIGIL_SIG_VALID,
	SIGIL_SIG_ABSENT,
	SIGIL_SIG_NO_VERITY,
	SIGIL_SIG_UNKNOWN_KEY,
	SIGIL_SIG_BAD,
	SIGIL_SIG_REFUSED,
	SIGIL_SIG_UNVERIFIED,
	SIGIL_SIG_ERROR,
	__SIGIL_SIG_STATE_MAX
};

extern const char *const sigil_sig_state_names[__SIGIL_SIG_STATE_MAX];

/* ---- security.sigil: u8 version, u8 kind, one OpenPGP signature packet ---- */

#define SIGIL_XATTR_NAME	"security.sigil"
#define SIGIL_XATTR_VERSION	1
/* Largest security.sigil value read: an RSA-4096 signature is ~550 bytes. */
#define SIGIL_XATTR_MAX		4096

enum sigil_xattr_kind {
	SIGIL_XATTR_VERITY = 1,		/* signs the fs-verity formatted digest */
	SIGIL_XATTR_CONTENT = 2,	/* signs the whole content */
};

/**
 * struct sigil_xattr - a parsed security.sigil value
 * @kind: enum sigil_xattr_kind
 * @packet: the signature packet, header included
 * @len: its length
 */
struct sigil_xattr {
	u8 kind;
	const u8 *packet;
	size_t len;
};

int sigil_xattr_parse(const u8 *value, size_t len, struct sigil_xattr *x,
		      struct pgp_error *err);

/* ---- security.ima: struct signature_v2_hdr ---- */

enum ima_xattr_type {
	IMA_XATTR_DIGSIG = 3,		/* EVM_IMA_XATTR_DIGSIG: v2 */
	IMA_XATTR_VERITY_DIGSIG = 6,	/* IMA_VERITY_DIGSIG: v3 */
};

/* enum hash_algo of include/uapi/linux/hash_info.h, as IMA stores it */
enum ima_hash_algo {
	IMA_HASH_MD5 = 1,
	IMA_HASH_SHA1 = 2,
	IMA_HASH_SHA256 = 4,
	IMA_HASH_SHA384 = 5,
	IMA_HASH_SHA512 = 6,
};

#define IMA_SIG_HDR_SIZE	9
/* Largest security.ima value read: the header and an RSA-4096 signature. */
#define IMA_XATTR_MAX		(IMA_SIG_HDR_SIZE + 512)
#define IMA_FILE_ID_MAX		(2 + 64)

/**
 * struct ima_sig - a parsed IMA signature
 * @type: enum ima_xattr_type
 * @version: 2 or 3
 * @hash_algo: enum ima_hash_algo of the signed digest
 * @keyid: the last 4 bytes of the signing key's identifier
 * @sig: the signature: PKCS#1 v1.5 for RSA, DER (r, s) for ECDSA
 * @sig_len: its length
 */
struct ima_sig {
	u8 type;
	u8 version;
	u8 hash_algo;
	u8 keyid[4];
	const u8 *sig;
	u16 sig_len;
};

int ima_xattr_parse(const u8 *value, size_t len, struct ima_sig *sig,
		    struct pgp_error *err);
const char *ima_hash_name(u8 hash_algo);
unsigned int ima_hash_size(u8 hash_algo);
size_t ima_file_id(u8 verity_hash_algo, const u8 *digest, unsigned int size,
		   u8 out[IMA_FILE_ID_MAX]);

/* ---- fs-verity ---- */

#define FSVERITY_FORMATTED_MAX	(12 + 64)

size_t fsverity_formatted_digest(u16 fsverity_alg, const u8 *digest,
				 unsigned int size,
				 u8 out[FSVERITY_FORMATTED_MAX]);

/* ---- parsing a signature xattr and checking what can be checked ---- */

/**
 * struct filesig_verity - a file's fs-verity digest, for what signs it
 * @alg: FS_VERITY_HASH_ALG_SHA256 (1) or _SHA512 (2); 0 without fs-verity
 * @size: bytes in @digest
 * @digest: the digest
 */
struct filesig_verity {
	u16 alg;
	unsigned int size;
	u8 digest[64];
};

/* The signature xattrs sigil reads. */
enum filesig_xattr {
	FILESIG_XATTR_IMA,	/* security.ima */
	FILESIG_XATTR_SIGIL,	/* security.sigil */
};

/* The larger of FSVERITY_FORMATTED_MAX and IMA_FILE_ID_MAX. */
#define FILESIG_MSG_MAX	FSVERITY_FORMATTED_MAX

/**
 * struct filesig_check - what a signature xattr leaves to the key
 * @state: enum sigil_sig_state: %SIGIL_SIG_UNVERIFIED when a key must now
 *	   verify the signature over @msg or the content; otherwise the
 *	   signature's final state, decided without a key
 * @content: the signature covers the file's whole content (IMA v2,
 *	     security.sigil kind 2), which the caller reads and hashes
 * @msg: otherwise, the bytes it covers: the fs-verity formatted digest
 *	 (security.sigil kind 1) or IMA's v3 file ID
 * @msg_len: bytes in @msg
 * @ima: for security.ima, the parsed signature: key ID, hash, bytes; an
 *	 IMA signature signs the hash of @msg or of the content, with
 *	 @ima.hash_algo
 * @sigil: for security.sigil, the OpenPGP signature packet
 */
struct filesig_check {
	u8 state;
	bool content;
	u8 msg[FILESIG_MSG_MAX];
	size_t msg_len;
	struct ima_sig ima;
	struct sigil_xattr sigil;
};

int filesig_check(enum filesig_xattr xattr, const u8 *value, size_t len,
		  const struct filesig_verity *verity, struct filesig_check *c,
		  struct pgp_error *err);

/* ---- PKCS#7 ---- */

/**
 * struct pkcs7_signer_id - who signed a PKCS#7 SignedData message
 * @issuer: the issuer Name's contents (issuerAndSerialNumber), or NULL
 * @issuer_len: its length
 * @serial: the serial number's contents
 * @serial_len: its length
 * @skid: the subject key identifier (subjectKeyIdentifier), or NULL
 * @skid_len: its length
 * @signers: the number of SignerInfos
 * @certs: the message carries certificates
 * @content: the message carries the signed content (it is not detached)
 *
 * The contents, without tag and length, are what the kernel's X.509 and
 * PKCS#7 parsers derive key IDs from.
 */
struct pkcs7_signer_id {
	const u8 *issuer;
	size_t issuer_len;
	const u8 *serial;
	size_t serial_len;
	const u8 *skid;
	size_t skid_len;
	unsigned int signers;
	bool certs;
	bool content;
};

int pkcs7_signer_id(const u8 *der, size_t len, struct pkcs7_signer_id *id,
		    struct pgp_error *err);
int pkcs7_file_signer_check(const struct pkcs7_signer_id *id,
			    struct pgp_error *err);

#endif /* _SIGIL_FILESIG_H */
