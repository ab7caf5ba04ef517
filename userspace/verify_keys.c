// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl verify: the keys signatures are checked against.  Key files
 * (X.509 certificates, OpenPGP keyrings) are read with OpenSSL and the
 * shared parsers, and checked with OpenSSL; keys of the live .sigil
 * keyring (--keyring) are found as sigil finds them and checked by the
 * kernel, with keyctl_pkey_verify().
 */

#include <errno.h>
#include <keyutils.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pgp_evp.h"
#include "verify.h"

struct vkey *keys;
size_t nkeys;
key_serial_t sigil_ring;

/* ---- keys from files ---- */

static struct vkey *new_key(void)
{
	struct vkey *k = realloc(keys, (nkeys + 1) * sizeof(*keys));

	if (!k)
		return NULL;
	keys = k;
	k = &keys[nkeys++];
	memset(k, 0, sizeof(*k));
	return k;
}

/* The DER contents (no tag or length) of a DER element, malloc()ed. */
static u8 *der_contents(const u8 *der, size_t len, size_t *out_len)
{
	size_t n, hl = 2, i;
	u8 *out;

	if (len < 2)
		return NULL;
	n = der[1];
	if (n & 0x80) {
		hl += n & 0x7f;
		if (hl > len || hl > 6)
			return NULL;
		for (n = 0, i = 2; i < hl; i++)
			n = n << 8 | der[i];
	}
	if (hl + n > len)
		return NULL;
	out = malloc(n ? n : 1);
	if (out)
		memcpy(out, der + hl, n);
	*out_len = n;
	return out;
}

static int add_x509(X509 *x)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(x);
	struct vkey *k = new_key();
	unsigned char *der = NULL;
	int len;

	if (!k)
		return -ENOMEM;
	k->x509 = x;
	k->pkey = X509_get0_pubkey(x);
	if (skid) {
		k->skid = ASN1_STRING_get0_data(skid);
		k->skid_len = ASN1_STRING_length(skid);
	}
	len = i2d_X509_NAME(X509_get_issuer_name(x), &der);
	if (len > 0)
		k->issuer = der_contents(der, len, &k->issuer_len);
	OPENSSL_free(der);
	der = NULL;
	len = i2d_ASN1_INTEGER(X509_get_serialNumber(x), &der);
	if (len > 0)
		k->serial = der_contents(der, len, &k->serial_len);
	OPENSSL_free(der);
	if (k->skid && k->skid_len <= 256) {
		strcpy(k->id, "skid:");
		hex_str(k->id + 5, k->skid, k->skid_len);
	} else {
		X509_NAME_oneline(X509_get_subject_name(x), k->id, sizeof(k->id));
	}
	return 0;
}

/* Check @digest against @sig with an OpenSSL key: 0, or -EKEYREJECTED. */
static int evp_verify(EVP_PKEY *pkey, const char *hash, const u8 *digest,
		      size_t dlen, const u8 *sig, size_t slen)
{
	EVP_PKEY_CTX *pc = EVP_PKEY_CTX_new(pkey, NULL);
	const EVP_MD *md = EVP_get_digestbyname(hash);
	int ok = 0;

	if (pc && md && EVP_PKEY_verify_init(pc) > 0 &&
	    EVP_PKEY_CTX_set_signature_md(pc, md) > 0) {
		if (EVP_PKEY_get_base_id(pkey) == EVP_PKEY_RSA)
			EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING);
		ok = EVP_PKEY_verify(pc, sig, slen, digest, dlen) == 1;
	}
	EVP_PKEY_CTX_free(pc);
	return ok ? 0 : -EKEYREJECTED;
}

int hash_spans(const char *hash, const struct pgp_span *spans,
	       unsigned int nspans, u8 *digest, unsigned int *dlen)
{
	const EVP_MD *md = hash ? EVP_get_digestbyname(hash) : NULL;
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	unsigned int i;
	int ok;

	ok = md && m && EVP_DigestInit_ex(m, md, NULL) > 0;
	for (i = 0; ok && i < nspans; i++)
		ok = EVP_DigestUpdate(m, spans[i].data, spans[i].len) > 0;
	ok = ok && EVP_DigestFinal_ex(m, digest, dlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -EOPNOTSUPP;
}

/* pgp_verify_fn for the key bindings pgp_select_signer() checks. */
static int pgp_verify_spans(void *ctx, const struct pgp_key *key,
			    const struct pgp_sig *sig, const struct pgp_span *spans,
			    unsigned int nspans)
{
	u8 digest[EVP_MAX_MD_SIZE], s[PGP_SIG_MAX + 16];
	unsigned int dlen;
	EVP_PKEY *pkey;
	int n, rc;

	rc = hash_spans(pgp_hash_name(sig->hash_algo), spans, nspans, digest, &dlen);
	if (rc)
		return rc;
	if (!pgp_quick_check(sig, digest))
		return -EKEYREJECTED;
	n = pgp_sig_to_kernel(sig, key, s, sizeof(s));
	if (n < 0)
		return n;
	pkey = pgp_evp_key(key);
	if (!pkey)
		return -EINVAL;
	rc = evp_verify(pkey, pgp_hash_name(sig->hash_algo), digest, dlen, s, n);
	EVP_PKEY_free(pkey);
	return rc;
}

static int add_pgp_cert(const char *file, const u8 *buf, size_t len)
{
	struct pgp_error err = { 0 };
	struct vkey *k;
	int rc;

	k = new_key();
	if (!k)
		return -ENOMEM;
	k->buf = malloc(len);
	k->cert = malloc(sizeof(*k->cert));
	if (!k->buf || !k->cert)
		return -ENOMEM;
	memcpy(k->buf, buf, len);
	rc = pgp_parse_cert(k->buf, len, k->cert, &err);
	if (!rc)
		rc = pgp_select_signer(k->cert, pgp_verify_spans, NULL, &k->signer, &err);
	if (!rc && k->signer->unusable)
		rc = pgp_fail(&err, -EOPNOTSUPP, 0, "%s", k->signer->unusable);
	if (!rc)
		k->pkey = pgp_evp_key(k->signer);
	if (!rc && !k->pkey)
		rc = pgp_fail(&err, -EINVAL, 0, "OpenSSL cannot use this key");
	if (rc) {
		warnx("%s: OpenPGP key refused: %s", file, err.msg);
		free(k->buf);
		free(k->cert);
		nkeys--;
		return 0;
	}
	strcpy(k->id, "openpgp:");
	pgp_fpr_hex(k->signer->fpr, PGP_FPR_SIZE, k->id + 8);
	return 0;
}

/* X.509 (PEM, several; or DER) or OpenPGP (armored or binary, a keyring). */
int load_key_file(const char *file)
{
	size_t len, pos = 0, blen, before = nkeys;
	struct pgp_error err = { 0 };
	const unsigned char *p;
	u8 *buf, *bin;
	X509 *x;
	int rc;

	rc = read_all(file, &buf, &len);
	if (rc) {
		warnx("%s: %s", file, strerror(-rc));
		return -1;
	}
	if (strstr((char *)buf, "-----BEGIN CERTIFICATE-----")) {
		BIO *bio = BIO_new_mem_buf(buf, (int)len);

		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL)))
			add_x509(x);
		BIO_free(bio);
		goto out;
	}
	p = buf;
	x = d2i_X509(NULL, &p, (long)len);
	if (x && p == buf + len) {
		add_x509(x);
		goto out;
	}
	X509_free(x);
	if (strstr((char *)buf, "-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
		bin = malloc(len);
		if (!bin || pgp_dearmor((char *)buf, len, &pos, "PGP PUBLIC KEY BLOCK", bin,
					len, &blen, &err)) {
			warnx("%s: %s", file, err.msg);
			free(bin);
			free(buf);
			return -1;
		}
		free(buf);
		buf = bin;
		len = blen;
	}
	/* Each certificate, from one primary key packet to the next. */
	for (pos = 0; pos < len;) {
		size_t end = pgp_cert_end(buf, len, pos);

		if (end == pos) {
			struct pgp_packet pkt;

			memset(&err, 0, sizeof(err));
			pgp_read_packet(buf, len, &end, &pkt, &err);
			warnx("%s: byte %u: %s", file, err.offset, err.msg);
			break;
		}
		if (add_pgp_cert(file, buf + pos, end - pos))
			break;
		pos = end;
	}
out:
	free(buf);
	if (nkeys == before) {
		warnx("%s: no key sigil can use", file);
		return -1;
	}
	return 0;
}

/* Free the keys of the key files. */
void free_keys(void)
{
	size_t k;

	for (k = 0; k < nkeys; k++) {
		if (keys[k].x509) {
			X509_free(keys[k].x509);
		} else {
			EVP_PKEY_free(keys[k].pkey);
			free(keys[k].cert);
			free(keys[k].buf);
		}
		free(keys[k].issuer);
		free(keys[k].serial);
	}
	free(keys);
}

/* ---- keys in .sigil ---- */

key_serial_t find_sigil_ring(void)
{
	char line[512];
	FILE *f = fopen("/proc/keys", "r");
	key_serial_t id = 0;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, " keyring ") && strstr(line, " .sigil:"))
			id = (key_serial_t)strtoul(line, NULL, 16);
	if (f)
		fclose(f);
	return id;
}

/*
 * The signature encoding the kernel wants depends on the key's algorithm,
 * which /proc/keys shows after the description: "X509.ecdsa", "PGP.rsa".
 */
static bool key_is_ecdsa(key_serial_t serial)
{
	char line[1024], want[16];
	FILE *f = fopen("/proc/keys", "r");
	bool ecdsa = false;

	snprintf(want, sizeof(want), "%08x ", serial);
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, want, strlen(want)))
			ecdsa = strstr(line, ".ecdsa");
	if (f)
		fclose(f);
	return ecdsa;
}

/* The key in .sigil whose identifier is, or ends with, @id; NULL if none. */
struct vkey *ring_key(const u8 *id, size_t len)
{
	static __thread struct vkey k;
	struct keyctl_pkey_query q;
	char desc[ID_MAX + 3];
	char *d = NULL, *name;
	long serial;

	if (len > 256)
		return NULL;
	strcpy(desc, "id:");
	hex_str(desc + 3, id, len);
	serial = keyctl_search(sigil_ring, "asymmetric", desc, 0);
	if (serial < 0)
		return NULL;
	memset(&k, 0, sizeof(k));
	k.serialno = serial;
	k.ecdsa = key_is_ecdsa(serial);
	/* The kernel refuses queries without an encoding its algorithm takes. */
	if (keyctl_pkey_query(serial, k.ecdsa ? "enc=x962 hash=sha256" :
			      "enc=pkcs1 hash=sha256", &q) < 0)
		return NULL;
	k.key_bits = q.key_size;
	if (keyctl_describe_alloc(serial, &d) >= 0) {
		name = d;
		/* "type;uid;gid;perm;description" */
		for (int semi = 0; *name && semi < 4; name++)
			semi += *name == ';';
		snprintf(k.id, sizeof(k.id), "%s (.sigil key %ld)", name, serial);
		free(d);
	}
	return &k;
}

/* Check @digest against @sig with @k, in OpenSSL or in the kernel. */
int key_verify(const struct vkey *k, const char *hash, const u8 *digest,
	       size_t dlen, const u8 *sig, size_t slen)
{
	char info[64];
	u8 padded[PGP_SIG_MAX];
	size_t n = k->key_bits / 8;

	if (!k->serialno)
		return evp_verify(k->pkey, hash, digest, dlen, sig, slen);
	snprintf(info, sizeof(info), "enc=%s hash=%s", k->ecdsa ? "x962" : "pkcs1", hash);
	/* The kernel takes RSA signatures padded to the modulus size. */
	if (!k->ecdsa && slen < n && n <= sizeof(padded)) {
		memset(padded, 0, n - slen);
		memcpy(padded + n - slen, sig, slen);
		sig = padded;
		slen = n;
	}
	return keyctl_pkey_verify(k->serialno, info, digest, dlen, sig, slen) < 0 ?
	       -EKEYREJECTED : 0;
}
