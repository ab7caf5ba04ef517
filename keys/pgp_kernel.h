/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kernel side of sigil's OpenPGP support: cryptography for the shared
 * parser, the "pgp" asymmetric key parser, and verification of OpenPGP
 * signatures against a keyring.
 */
#ifndef _SIGIL_PGP_KERNEL_H
#define _SIGIL_PGP_KERNEL_H

#include <crypto/public_key.h>
#include <linux/key.h>

#include "pgp.h"

/* crypto.c */
struct public_key *sigil_pgp_public_key(const struct pgp_key *key);
int sigil_pgp_digest(u8 hash_algo, const struct pgp_span *spans,
		     unsigned int nspans, u8 *digest);
int sigil_pgp_verify_digest(const struct public_key *pub,
			    const struct pgp_key *shape,
			    const struct pgp_sig *sig, const u8 *digest);
int sigil_pgp_check_spans(void *ctx, const struct pgp_key *key,
			  const struct pgp_sig *sig,
			  const struct pgp_span *spans, unsigned int nspans);

/* pgp_parser.c, when built into sigil */
int __init sigil_pgp_parser_init(void);

/* verify.c */

struct sigil_pgp_verifier;

struct sigil_pgp_verifier *sigil_pgp_verify_begin(struct key *keyring,
						  const u8 *packet, size_t len,
						  struct pgp_error *err);
int sigil_pgp_verify_update(struct sigil_pgp_verifier *v, const void *data,
			    size_t len);
int sigil_pgp_verify_final(struct sigil_pgp_verifier *v, struct key **signer,
			   struct pgp_error *err);
void sigil_pgp_verify_abort(struct sigil_pgp_verifier *v);

/**
 * sigil_rejection() - does @rc say that a signature does not verify?
 * @rc: what verify_signature(), verify_pkcs7_signature() or
 *	public_key_verify_signature() returned
 *
 * The kernel's RSA arithmetic (lib/crypto/mpi in 6.12) can lose a failed
 * allocation and go on with a wrong value, which the padding check then
 * reports as -EBADMSG or -EKEYREJECTED: failing each allocation in turn
 * shows it (selftests/guest/faults.c).  A rejection is therefore checked
 * once more before it is believed, so that a transient allocation failure
 * is not cached as the bad signature of a validly signed file.  The
 * second check costs one public-key operation, and only for signatures
 * that do not verify.
 *
 * Return: true for a rejection, which the caller checks again.
 */
static inline bool sigil_rejection(int rc)
{
	return rc == -EKEYREJECTED || rc == -EBADMSG || rc == -EINVAL;
}

#endif /* _SIGIL_PGP_KERNEL_H */
