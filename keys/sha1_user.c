// SPDX-License-Identifier: GPL-2.0-only
/*
 * SHA-1 for the shared OpenPGP parser in userspace (sigilctl, the host
 * tests, the fuzzers), through OpenSSL; the kernel's is in keys/crypto.c.
 * Only v4 fingerprints use it: RFC 4880 defines them with SHA-1.
 */

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

#include "pgp.h"

/**
 * pgp_sha1() - SHA-1 over a sequence of spans
 * @spans: the input, in order
 * @nspans: number of @spans
 * @digest: the 20-byte digest
 *
 * SHA-1 in OpenSSL fails only when memory does; a fingerprint cannot be
 * left wrong, so that ends the program.
 */
void pgp_sha1(const struct pgp_span *spans, unsigned int nspans, u8 digest[20])
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	unsigned int i, len = 0;
	int ok;

	ok = ctx && EVP_DigestInit_ex(ctx, EVP_sha1(), NULL);
	for (i = 0; ok && i < nspans; i++)
		ok = EVP_DigestUpdate(ctx, spans[i].data, spans[i].len);
	ok = ok && EVP_DigestFinal_ex(ctx, digest, &len) && len == 20;
	EVP_MD_CTX_free(ctx);
	if (!ok) {
		fprintf(stderr, "%s: OpenSSL could not compute SHA-1\n", __func__);
		abort();
	}
}
