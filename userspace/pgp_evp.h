/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * An OpenPGP public key as an OpenSSL key, through the same conversion the
 * kernel is given (pgp_key_to_kernel()).  For sigilctl verify, and for the
 * host tests that check OpenPGP signatures with OpenSSL.
 */
#ifndef _SIGIL_PGP_EVP_H
#define _SIGIL_PGP_EVP_H

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "pgp.h"

/* The key, or NULL when OpenSSL cannot take it. */
static inline EVP_PKEY *pgp_evp_key(const struct pgp_key *key)
{
	u8 der[1200];
	int n = pgp_key_to_kernel(key, der, sizeof(der));
	EVP_PKEY *pkey = NULL;

	if (n < 0)
		return NULL;
	if (key->algo == PGP_PK_ECDSA) {
		OSSL_PARAM params[] = {
			OSSL_PARAM_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME,
					       key->curve == PGP_CURVE_P256 ?
					       "prime256v1" : "secp384r1", 0),
			OSSL_PARAM_octet_string(OSSL_PKEY_PARAM_PUB_KEY, der, n),
			OSSL_PARAM_END,
		};
		EVP_PKEY_CTX *c = EVP_PKEY_CTX_new_from_name(NULL, "EC", NULL);

		if (c && EVP_PKEY_fromdata_init(c) > 0)
			EVP_PKEY_fromdata(c, &pkey, EVP_PKEY_PUBLIC_KEY, params);
		EVP_PKEY_CTX_free(c);
	} else {
		const u8 *p = der;

		pkey = d2i_PublicKey(EVP_PKEY_RSA, NULL, &p, n);
	}
	return pkey;
}

#endif /* _SIGIL_PGP_EVP_H */
