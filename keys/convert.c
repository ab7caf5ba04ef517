// SPDX-License-Identifier: GPL-2.0-only
/*
 * OpenPGP keys and signatures in the forms the kernel's public-key code
 * takes (crypto/asymmetric_keys/public_key.c): RSA keys as DER
 * RSAPublicKey, ECDSA keys as uncompressed points, RSA signatures padded
 * to the modulus size, ECDSA signatures as DER (r, s) ("x962").
 */

#include "pgp.h"

/**
 * pgp_hash_name() - the crypto API name of an OpenPGP hash algorithm
 * @hash_algo: enum pgp_hash_algo
 *
 * SHA-1 is named for checking revocations only.
 *
 * Return: "sha1", "sha256", "sha384" or "sha512", or NULL for any other.
 */
const char *pgp_hash_name(u8 hash_algo)
{
	switch (hash_algo) {
	case PGP_HASH_SHA1:
		return "sha1";
	case PGP_HASH_SHA256:
		return "sha256";
	case PGP_HASH_SHA384:
		return "sha384";
	case PGP_HASH_SHA512:
		return "sha512";
	default:
		return NULL;
	}
}

/**
 * pgp_hash_size() - digest size of an accepted hash algorithm
 * @hash_algo: enum pgp_hash_algo
 *
 * Return: bytes, or 0 for an algorithm pgp_hash_name() does not name.
 */
unsigned int pgp_hash_size(u8 hash_algo)
{
	switch (hash_algo) {
	case PGP_HASH_SHA1:
		return 20;
	case PGP_HASH_SHA256:
		return 32;
	case PGP_HASH_SHA384:
		return 48;
	case PGP_HASH_SHA512:
		return 64;
	default:
		return 0;
	}
}

/**
 * pgp_key_algo_name() - the kernel's name for a usable key's algorithm
 * @key: the key
 *
 * Return: "rsa", "ecdsa-nist-p256" or "ecdsa-nist-p384".
 */
const char *pgp_key_algo_name(const struct pgp_key *key)
{
	if (key->algo != PGP_PK_ECDSA)
		return "rsa";
	return key->curve == PGP_CURVE_P256 ? "ecdsa-nist-p256" :
					       "ecdsa-nist-p384";
}

static size_t der_len_size(size_t n)
{
	return n < 0x80 ? 1 : n < 0x100 ? 2 : 3;
}

static u8 *put_der_len(u8 *p, size_t n)
{
	if (n >= 0x100) {
		*p++ = 0x82;
		*p++ = (u8)(n >> 8);
	} else if (n >= 0x80) {
		*p++ = 0x81;
	}
	*p++ = (u8)n;
	return p;
}

/* Content length of a DER INTEGER for an unsigned big-endian magnitude. */
static size_t der_int_content(const u8 *v, size_t n)
{
	return !n ? 1 : n + (v[0] & 0x80 ? 1 : 0);
}

static size_t der_int_size(const u8 *v, size_t n)
{
	size_t c = der_int_content(v, n);

	return 1 + der_len_size(c) + c;
}

static u8 *put_der_int(u8 *p, const u8 *v, size_t n)
{
	size_t c = der_int_content(v, n);

	*p++ = 0x02;
	p = put_der_len(p, c);
	if (c > n)
		*p++ = 0;
	memcpy(p, v, n);
	return p + n;
}

/* Encode SEQUENCE { INTEGER a, INTEGER b }; returns its length. */
static int der_pair(const u8 *a, size_t alen, const u8 *b, size_t blen,
		    u8 *out, size_t size)
{
	size_t content = der_int_size(a, alen) + der_int_size(b, blen);
	size_t total = 1 + der_len_size(content) + content;
	u8 *p = out;

	if (content > 0xffff)
		return -E2BIG;
	if (!out)
		return (int)total;
	if (total > size)
		return -ENOSPC;
	*p++ = 0x30;
	p = put_der_len(p, content);
	p = put_der_int(p, a, alen);
	put_der_int(p, b, blen);
	return (int)total;
}

/**
 * pgp_key_to_kernel() - a usable key as struct public_key's key bytes
 * @key: the key
 * @out: output buffer, or NULL to ask for the size
 * @size: size of @out
 *
 * Return: the length of the encoding, -ENOSPC when @out is too small, or
 * -EINVAL for a key that is not usable.
 */
int pgp_key_to_kernel(const struct pgp_key *key, u8 *out, size_t size)
{
	if (key->unusable)
		return -EINVAL;
	if (key->algo == PGP_PK_ECDSA) {
		if (out) {
			if (size < key->point_len)
				return -ENOSPC;
			memcpy(out, key->point, key->point_len);
		}
		return key->point_len;
	}
	return der_pair(key->n, key->n_len, key->e, key->e_len, out, size);
}

/**
 * pgp_sig_to_kernel() - a signature as struct public_key_signature's bytes
 * @sig: the signature
 * @key: the key that made it
 * @out: output buffer, or NULL to ask for the size
 * @size: size of @out
 *
 * RSA signatures are left-padded with zeros to the modulus size; ECDSA
 * signatures become DER SEQUENCE { r INTEGER, s INTEGER }.
 *
 * Return: the length of the encoding, -ENOSPC when @out is too small, or
 * -EBADMSG when the signature's values do not fit the key.
 */
int pgp_sig_to_kernel(const struct pgp_sig *sig, const struct pgp_key *key,
		      u8 *out, size_t size)
{
	unsigned int n;

	if (key->algo == PGP_PK_ECDSA) {
		n = key->curve == PGP_CURVE_P256 ? 32 : 48;
		if (!sig->mpi_len[0] || !sig->mpi_len[1] ||
		    sig->mpi_len[0] > n || sig->mpi_len[1] > n)
			return -EBADMSG;
		return der_pair(sig->mpi[0], sig->mpi_len[0], sig->mpi[1],
				sig->mpi_len[1], out, size);
	}
	n = key->n_len;
	if (!sig->mpi_len[0] || sig->mpi_len[0] > n)
		return -EBADMSG;
	if (out) {
		if (size < n)
			return -ENOSPC;
		memset(out, 0, n - sig->mpi_len[0]);
		memcpy(out + n - sig->mpi_len[0], sig->mpi[0], sig->mpi_len[0]);
	}
	return (int)n;
}

/**
 * pgp_fpr_hex() - upper-case hex, as gpg prints fingerprints and key IDs
 * @bytes: the bytes
 * @n: their number
 * @hex: output of 2 * @n + 1 bytes
 */
void pgp_fpr_hex(const u8 *bytes, unsigned int n, char *hex)
{
	static const char digits[] = "0123456789ABCDEF";
	unsigned int i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[bytes[i] >> 4];
		hex[2 * i + 1] = digits[bytes[i] & 15];
	}
	hex[2 * n] = '\0';
}
