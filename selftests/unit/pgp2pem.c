// SPDX-License-Identifier: GPL-2.0-only
/*
 * Test helper: turn an unprotected OpenPGP v4 RSA secret key (gpg
 * --export-secret-keys, no passphrase) into a PEM private key, so that
 * evmctl can make an IMA signature with a key that is in .sigil as an
 * OpenPGP key.
 *
 * Usage: pgp2pem < secret.pgp > key.pem
 */

#include <stdio.h>
#include <stdlib.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>

#include "pgp.h"

static BIGNUM *mpi(const u8 *body, size_t len, size_t *p)
{
	size_t bytes;
	BIGNUM *bn;

	if (len - *p < 2)
		return NULL;
	bytes = (((size_t)body[*p] << 8 | body[*p + 1]) + 7) / 8;
	*p += 2;
	if (bytes > len - *p)
		return NULL;
	bn = BN_bin2bn(body + *p, (int)bytes, NULL);
	*p += bytes;
	return bn;
}

int main(void)
{
	static u8 buf[65536];
	size_t len = fread(buf, 1, sizeof(buf), stdin), pos = 0, p;
	BIGNUM *n, *e, *d, *pp, *q, *u, *dp, *dq, *qinv, *one;
	struct pgp_error err = { 0 };
	struct pgp_packet pkt;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY_CTX *ctx;
	EVP_PKEY *key = NULL;
	OSSL_PARAM *params;
	BN_CTX *bnctx;

	if (pgp_read_packet(buf, len, &pos, &pkt, &err) || pkt.tag != PGP_TAG_SECRET_KEY ||
	    pkt.len < 6 || pkt.body[0] != 4 || pkt.body[5] != PGP_PK_RSA) {
		fprintf(stderr, "pgp2pem: not a v4 RSA secret key: %s\n", err.msg);
		return 1;
	}
	p = 6;
	n = mpi(pkt.body, pkt.len, &p);
	e = mpi(pkt.body, pkt.len, &p);
	if (!n || !e || p >= pkt.len || pkt.body[p++] != 0) {
		fprintf(stderr, "pgp2pem: the secret key is protected or malformed\n");
		return 1;
	}
	d = mpi(pkt.body, pkt.len, &p);
	pp = mpi(pkt.body, pkt.len, &p);
	q = mpi(pkt.body, pkt.len, &p);
	u = mpi(pkt.body, pkt.len, &p);
	if (!d || !pp || !q || !u)
		return 1;

	/* OpenSSL wants d mod (p-1), d mod (q-1) and q^-1 mod p. */
	bnctx = BN_CTX_new();
	one = BN_new();
	dp = BN_new();
	dq = BN_new();
	BN_one(one);
	BN_sub(dp, pp, one);
	BN_mod(dp, d, dp, bnctx);
	BN_sub(dq, q, one);
	BN_mod(dq, d, dq, bnctx);
	qinv = BN_mod_inverse(NULL, q, pp, bnctx);

	bld = OSSL_PARAM_BLD_new();
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, pp);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dp);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dq);
	OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1, qinv);
	params = OSSL_PARAM_BLD_to_param(bld);
	ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	if (EVP_PKEY_fromdata_init(ctx) <= 0 ||
	    EVP_PKEY_fromdata(ctx, &key, EVP_PKEY_KEYPAIR, params) <= 0 ||
	    !PEM_write_PrivateKey(stdout, key, NULL, NULL, 0, NULL, NULL)) {
		fprintf(stderr, "pgp2pem: OpenSSL refused the key\n");
		return 1;
	}
	EVP_PKEY_free(key);
	EVP_PKEY_CTX_free(ctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_CTX_free(bnctx);
	BN_free(n);
	BN_free(e);
	BN_free(d);
	BN_free(pp);
	BN_free(q);
	BN_free(u);
	BN_free(one);
	BN_free(dp);
	BN_free(dq);
	BN_free(qinv);
	return fflush(stdout) ? 1 : 0;
}
