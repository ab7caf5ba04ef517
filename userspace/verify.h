/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl verify: the keys signatures are checked against (verify_keys.c)
 * and what the checks of each format (verify.c) use of them.
 */
#ifndef _SIGILCTL_VERIFY_H
#define _SIGILCTL_VERIFY_H

#include <keyutils.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "filesig.h"
#include "sigilctl.h"

#define ID_MAX	(2 * 256 + 16)

/**
 * struct vkey - a key signatures are checked against
 * @id: how it is shown: "skid:HEX", "openpgp:FPR", or the kernel's description
 * @pkey: the public key (key files)
 * @x509: the certificate (X.509 key files)
 * @skid: its subject key identifier (X.509), or NULL
 * @skid_len: its length
 * @issuer: its issuer Name, DER contents (X.509)
 * @issuer_len: its length
 * @serial: its serial number, DER contents (X.509)
 * @serial_len: its length
 * @cert: the certificate (OpenPGP key files)
 * @buf: the bytes @cert points into
 * @signer: the key of @cert that signs, as the kernel chooses it
 * @serialno: the key in .sigil (--keyring), or 0
 * @ecdsa: a .sigil key is ECDSA (else RSA)
 * @key_bits: its size
 */
struct vkey {
	char id[ID_MAX];
	EVP_PKEY *pkey;
	X509 *x509;
	const u8 *skid;
	size_t skid_len;
	u8 *issuer;
	size_t issuer_len;
	u8 *serial;
	size_t serial_len;
	struct pgp_cert *cert;
	u8 *buf;
	const struct pgp_key *signer;
	key_serial_t serialno;
	bool ecdsa;
	unsigned int key_bits;
};

/* The keys of --keys FILE, and .sigil with --keyring (or 0). */
extern struct vkey *keys;
extern size_t nkeys;
extern key_serial_t sigil_ring;

/* verify_keys.c */
int load_key_file(const char *file);
void free_keys(void);
key_serial_t find_sigil_ring(void);
struct vkey *ring_key(const u8 *id, size_t len);
int key_verify(const struct vkey *k, const char *hash, const u8 *digest,
	       size_t dlen, const u8 *sig, size_t slen);
int hash_spans(const char *hash, const struct pgp_span *spans,
	       unsigned int nspans, u8 *digest, unsigned int *dlen);

#endif /* _SIGILCTL_VERIFY_H */
