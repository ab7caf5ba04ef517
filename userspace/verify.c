// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl verify: check offline the signatures a file carries (fs-verity
 * builtin, security.ima, security.sigil) against keys in files, with
 * OpenSSL, or against the keys of the live .sigil keyring, with the
 * kernel's keyctl_pkey_verify().  The formats are read by the parsers the
 * kernel uses (keys/filesig.c, keys/packet.c, keys/cert.c).
 */

#include <errno.h>
#include <fcntl.h>
#include <keyutils.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/fsverity.h>
#include <openssl/cms.h>
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "filesig.h"
#include "pgp_evp.h"
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

static struct vkey *keys;
static size_t nkeys;
static key_serial_t sigil_ring;	/* --keyring */

/* One signature found on a file, and what became of it. */
struct vsig {
	const char *format;
	const char *state;
	char signer[ID_MAX];
	char detail[PGP_ERR_MSG_MAX];
};

#define MAX_SIGS 3

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

static int hash_spans(const char *hash, const struct pgp_span *spans,
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
static int load_key_file(const char *file)
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

/* ---- keys in .sigil ---- */

static key_serial_t find_sigil_ring(void)
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
static struct vkey *ring_key(const u8 *id, size_t len)
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
static int key_verify(const struct vkey *k, const char *hash, const u8 *digest,
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

/* ---- the files ---- */

static int hash_fd(int fd, const char *hash, const u8 *prefix, size_t plen,
		   u8 *digest, unsigned int *dlen)
{
	const EVP_MD *md = EVP_get_digestbyname(hash);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	u8 buf[65536];
	ssize_t n = 0;
	int ok;

	ok = md && m && EVP_DigestInit_ex(m, md, NULL) > 0;
	if (ok && fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			EVP_DigestUpdate(m, buf, n);
	if (ok && prefix)
		EVP_DigestUpdate(m, prefix, plen);
	ok = ok && n == 0 && EVP_DigestFinal_ex(m, digest, dlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -EIO;
}

static __printf(3, 4) void set_state(struct vsig *s, const char *state, const char *fmt, ...)
{
	va_list ap;

	s->state = state;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
		va_end(ap);
	}
}

/*
 * A PKCS#7 signature checked by the kernel with a .sigil key: the raw
 * signature over the hash of the content, so only messages without signed
 * attributes (fsverity sign and libfsverity make none).
 */
static void ring_check_pkcs7(const struct vkey *k, const u8 *der, size_t len,
			     const u8 *content, size_t clen, struct vsig *s)
{
	const u8 *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
	STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	CMS_SignerInfo *si = sis ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
	struct pgp_span span = { content, clen };
	X509_ALGOR *dig = NULL;
	ASN1_OCTET_STRING *sv;
	const char *hash = NULL;
	unsigned int mdlen, i;
	char lower[16];
	u8 md[64];

	if (si)
		CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	if (dig)
		hash = OBJ_nid2sn(OBJ_obj2nid(dig->algorithm));
	if (!si || CMS_signed_get_attr_count(si) > 0 || !hash) {
		set_state(s, "unchecked", "--keyring checks messages without signed attributes");
		CMS_ContentInfo_free(cms);
		return;
	}
	/* OpenSSL's "SHA256" is the kernel's "sha256". */
	for (i = 0; hash[i] && i < sizeof(lower) - 1; i++)
		lower[i] = hash[i] >= 'A' && hash[i] <= 'Z' ? hash[i] + 32 : hash[i];
	lower[i] = '\0';
	sv = CMS_SignerInfo_get0_signature(si);
	if (hash_spans(lower, &span, 1, md, &mdlen) ||
	    key_verify(k, lower, md, mdlen, ASN1_STRING_get0_data(sv), ASN1_STRING_length(sv)))
		set_state(s, "bad-signature", NULL);
	else
		set_state(s, "valid", NULL);
	CMS_ContentInfo_free(cms);
}

/* The fs-verity builtin signature, over the formatted digest. */
static bool check_fsverity(int fd, struct vsig *s)
{
	u8 digest[64], fmt[FSVERITY_FORMATTED_MAX], sig[16384];
	struct fsverity_read_metadata_arg arg = {
		.metadata_type = FS_VERITY_METADATA_TYPE_SIGNATURE,
		.length = sizeof(sig),
		.buf_ptr = (unsigned long)sig,
	};
	struct pkcs7_signer_id id = { 0 };
	struct pgp_error err = { 0 };
	struct vkey *k = NULL;
	unsigned int size;
	size_t flen, i;
	long len;
	u16 alg;

	if (sign_measure_verity(fd, &alg, digest, &size))
		return false;
	len = ioctl(fd, FS_IOC_READ_VERITY_METADATA, &arg);
	if (len < 0)
		return false;	/* ENODATA: fs-verity without a signature */
	s->format = "fsverity";
	flen = fsverity_formatted_digest(alg, digest, size, fmt);
	if (pkcs7_signer_id(sig, len, &id, &err)) {
		set_state(s, "malformed", "%s", err.msg);
		return true;
	}
	if (id.skid && id.skid_len <= 256) {
		strcpy(s->signer, "skid:");
		hex_str(s->signer + 5, id.skid, id.skid_len);
	} else if (id.serial && id.serial_len <= 64) {
		strcpy(s->signer, "serial:");
		hex_str(s->signer + 7, id.serial, id.serial_len);
	}
	if (id.signers != 1 || id.certs) {
		set_state(s, "refused", "%u signers%s: sigil takes one signer and no certificates",
			  id.signers, id.certs ? " and certificates" : "");
		return true;
	}
	if (sigil_ring) {
		u8 kid[512];
		size_t n = 0;

		if (id.skid) {
			k = ring_key(id.skid, id.skid_len);
		} else if (id.serial_len + id.issuer_len <= sizeof(kid)) {
			/* The kernel's X.509 key ID: serial, then issuer */
			memcpy(kid, id.serial, id.serial_len);
			memcpy(kid + id.serial_len, id.issuer, id.issuer_len);
			n = id.serial_len + id.issuer_len;
			k = ring_key(kid, n);
		}
	} else {
		for (i = 0; i < nkeys && !k; i++) {
			struct vkey *c = &keys[i];
			bool match;

			if (!c->x509)
				continue;
			if (id.skid)
				match = c->skid && c->skid_len == id.skid_len &&
					!memcmp(c->skid, id.skid, id.skid_len);
			else
				match = c->issuer && c->issuer_len == id.issuer_len &&
					c->serial_len == id.serial_len &&
					!memcmp(c->issuer, id.issuer, id.issuer_len) &&
					!memcmp(c->serial, id.serial, id.serial_len);
			if (match)
				k = c;
		}
	}
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (k->serialno) {
		ring_check_pkcs7(k, sig, len, fmt, flen, s);
	} else {
		const u8 *p = sig;
		CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
		BIO *content = BIO_new_mem_buf(fmt, (int)flen);
		STACK_OF(X509) *certs = sk_X509_new_null();
		int ok;

		sk_X509_push(certs, k->x509);
		ok = cms && CMS_verify(cms, certs, NULL, content, NULL,
				       CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOINTERN) == 1;
		set_state(s, ok ? "valid" : "bad-signature", NULL);
		sk_X509_free(certs);
		BIO_free(content);
		CMS_ContentInfo_free(cms);
	}
	return true;
}

/* security.ima: v2 over the content, v3 over the fs-verity digest. */
static bool check_ima(int fd, struct vsig *s)
{
	u8 value[IMA_XATTR_MAX + 1], digest[64], md[64], id[IMA_FILE_ID_MAX];
	struct pgp_error err = { 0 };
	struct vkey *k = NULL;
	struct ima_sig sig;
	unsigned int size, mdlen;
	ssize_t len;
	size_t i;
	u16 alg;
	int rc;

	len = fgetxattr(fd, "security.ima", value, sizeof(value));
	if (len < 0 && errno == ERANGE) {
		s->format = "ima";
		set_state(s, "malformed", "security.ima is longer than %d bytes", IMA_XATTR_MAX);
		return true;
	}
	if (len < 0)
		return false;
	rc = ima_xattr_parse(value, len, &sig, &err);
	if (rc == -ENODATA)
		return false;	/* a hash, not a signature */
	s->format = len && value[0] == IMA_XATTR_VERITY_DIGSIG ? "ima-v3" : "ima-v2";
	if (rc) {
		set_state(s, rc == -EKEYREJECTED || rc == -EOPNOTSUPP ? "refused" : "malformed",
			  "%s", err.msg);
		return true;
	}
	strcpy(s->signer, "keyid:");
	hex_str(s->signer + 6, sig.keyid, 4);
	if (sigil_ring) {
		k = ring_key(sig.keyid, 4);
	} else {
		/* The first key whose identifier ends with the key ID, as IMA. */
		for (i = 0; i < nkeys && !k; i++) {
			struct vkey *c = &keys[i];
			const u8 *end = c->x509 ? (c->skid && c->skid_len >= 4 ?
					c->skid + c->skid_len - 4 : NULL) :
					c->signer->fpr + PGP_FPR_SIZE - 4;

			if (end && !memcmp(end, sig.keyid, 4))
				k = c;
			else if (c->cert && !memcmp(c->cert->primary.fpr + PGP_FPR_SIZE - 4,
						    sig.keyid, 4))
				k = c;
		}
	}
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (sig.type == IMA_XATTR_DIGSIG) {
		rc = hash_fd(fd, ima_hash_name(sig.hash_algo), NULL, 0, md, &mdlen);
		if (rc) {
			set_state(s, "error", "cannot read the file: %s", strerror(-rc));
			return true;
		}
	} else {
		if (sign_measure_verity(fd, &alg, digest, &size)) {
			set_state(s, "no-fsverity", NULL);
			return true;
		}
		/* As IMA: the file ID is hashed with the fs-verity digest's algorithm. */
		if ((alg == FS_VERITY_HASH_ALG_SHA256 ? IMA_HASH_SHA256 : IMA_HASH_SHA512) !=
		    sig.hash_algo) {
			set_state(s, "bad-signature", "signs another hash than fs-verity's");
			return true;
		}
		size = ima_file_id(sig.hash_algo, digest, size, id);
		hash_fd(-1, ima_hash_name(sig.hash_algo), id, size, md, &mdlen);
	}
	set_state(s, key_verify(k, ima_hash_name(sig.hash_algo), md, mdlen, sig.sig,
				sig.sig_len) ? "bad-signature" : "valid", NULL);
	return true;
}

static void pgp_update(void *ctx, const u8 *data, size_t len)
{
	EVP_DigestUpdate(ctx, data, len);
}

/* security.sigil: kind 1 over the formatted digest, kind 2 over the content. */
static bool check_pgp(int fd, struct vsig *s)
{
	u8 value[SIGIL_XATTR_MAX + 1], digest[64], fmt[FSVERITY_FORMATTED_MAX];
	u8 md[EVP_MAX_MD_SIZE], sigbytes[PGP_SIG_MAX + 16], trailer[6], buf[65536];
	struct pgp_text_state text = { 0 };
	struct pgp_error err = { 0 };
	struct pgp_key fake = { 0 };
	struct sigil_xattr x;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	const struct pgp_key *signer = NULL;
	struct vkey *k = NULL;
	unsigned int size, mdlen;
	size_t pos = 0, i, flen = 0;
	EVP_MD_CTX *m;
	ssize_t len, n;
	u16 alg;
	int rc;

	len = fgetxattr(fd, SIGIL_XATTR_NAME, value, sizeof(value));
	if (len < 0 && errno == ERANGE) {
		s->format = "pgp";
		set_state(s, "malformed", "security.sigil is longer than %d bytes",
			  SIGIL_XATTR_MAX);
		return true;
	}
	if (len < 0)
		return false;
	s->format = len >= 2 && value[1] == SIGIL_XATTR_VERITY ? "pgp-kind1" : "pgp-kind2";
	rc = sigil_xattr_parse(value, len, &x, &err);
	if (!rc)
		rc = pgp_read_packet(x.packet, x.len, &pos, &pkt, &err);
	if (!rc)
		rc = pgp_parse_sig(pkt.body, pkt.len, &sig, &err);
	if (!rc)
		rc = pgp_check_data_sig(&sig, &err);
	if (rc) {
		set_state(s, rc == -EBADMSG ? "malformed" : "refused", "%s", err.msg);
		return true;
	}
	if (sig.has_issuer_fpr) {
		strcpy(s->signer, "openpgp:");
		pgp_fpr_hex(sig.issuer_fpr, PGP_FPR_SIZE, s->signer + 8);
	} else if (sig.has_issuer) {
		strcpy(s->signer, "keyid:");
		pgp_fpr_hex(sig.issuer, PGP_KEYID_SIZE, s->signer + 6);
	}
	if (sigil_ring) {
		k = sig.has_issuer_fpr ? ring_key(sig.issuer_fpr, PGP_FPR_SIZE) :
		    sig.has_issuer ? ring_key(sig.issuer, PGP_KEYID_SIZE) : NULL;
		if (k) {
			fake.algo = k->ecdsa ? PGP_PK_ECDSA : PGP_PK_RSA;
			fake.curve = k->key_bits > 256 ? PGP_CURVE_P384 : PGP_CURVE_P256;
			fake.n_len = k->key_bits / 8;
			signer = &fake;
		}
	} else {
		for (i = 0; i < nkeys && !k; i++)
			if (keys[i].signer && pgp_sig_by(&sig, keys[i].signer))
				k = &keys[i];
		if (k)
			signer = k->signer;
	}
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (x.kind == SIGIL_XATTR_VERITY) {
		if (sign_measure_verity(fd, &alg, digest, &size)) {
			set_state(s, "no-fsverity", NULL);
			return true;
		}
		flen = fsverity_formatted_digest(alg, digest, size, fmt);
	}
	m = EVP_MD_CTX_new();
	if (!m || EVP_DigestInit_ex(m, EVP_get_digestbyname(pgp_hash_name(sig.hash_algo)),
				    NULL) <= 0) {
		EVP_MD_CTX_free(m);
		set_state(s, "error", "OpenSSL has no %s", pgp_hash_name(sig.hash_algo));
		return true;
	}
	/* What was signed, canonicalized for text signatures, then the trailer. */
	if (x.kind == SIGIL_XATTR_VERITY) {
		n = 0;
		if (sig.type == PGP_SIG_TEXT)
			pgp_hash_text(fmt, flen, &text, pgp_update, m);
		else
			EVP_DigestUpdate(m, fmt, flen);
	} else {
		lseek(fd, 0, SEEK_SET);
		while ((n = read(fd, buf, sizeof(buf))) > 0) {
			if (sig.type == PGP_SIG_TEXT)
				pgp_hash_text(buf, n, &text, pgp_update, m);
			else
				EVP_DigestUpdate(m, buf, n);
		}
	}
	if (sig.type == PGP_SIG_TEXT)
		pgp_hash_text_end(&text, pgp_update, m);
	pgp_sig_trailer(&sig, trailer);
	EVP_DigestUpdate(m, sig.body, 6u + sig.hashed_len);
	EVP_DigestUpdate(m, trailer, sizeof(trailer));
	EVP_DigestFinal_ex(m, md, &mdlen);
	EVP_MD_CTX_free(m);
	if (n < 0) {
		set_state(s, "error", "cannot read the file: %s", strerror(errno));
		return true;
	}
	rc = pgp_sig_to_kernel(&sig, signer, sigbytes, sizeof(sigbytes));
	if (!pgp_quick_check(&sig, md) || rc < 0 ||
	    key_verify(k, pgp_hash_name(sig.hash_algo), md, mdlen, sigbytes, rc))
		set_state(s, "bad-signature", NULL);
	else
		set_state(s, "valid", NULL);
	return true;
}

/* ---- output ---- */

struct vtotals {
	size_t files, verified, failed, skipped;
	bool first;
};

static void report(struct vtotals *t, const char *path, const struct vsig *sigs,
		   int nsigs, bool ok, const char *skipped, const char *error)
{
	int i;

	if (skipped)
		t->skipped++;
	else if (ok)
		t->verified++;
	else
		t->failed++;
	t->files++;
	if (opt_json) {
		bool first = true;

		if (!t->first)
			putchar(',');
		t->first = false;
		putchar('{');
		json_kv_str("path", path, &first);
		if (skipped) {
			json_kv_str("skipped", skipped, &first);
			putchar('}');
			return;
		}
		json_kv_bool("verified", ok, &first);
		if (error)
			json_kv_str("error", error, &first);
		json_key("signatures", &first);
		putchar('[');
		for (i = 0; i < nsigs; i++) {
			bool f = true;

			printf("%s{", i ? "," : "");
			json_kv_str("format", sigs[i].format, &f);
			json_kv_str("state", sigs[i].state, &f);
			json_kv_str("signer", sigs[i].signer[0] ? sigs[i].signer : NULL, &f);
			if (sigs[i].detail[0])
				json_kv_str("detail", sigs[i].detail, &f);
			putchar('}');
		}
		printf("]}");
		return;
	}
	if (skipped)
		return;
	if (error) {
		printf("%s: FAILED: %s\n", path, error);
		return;
	}
	if (!nsigs)
		printf("%s: FAILED: no signature\n", path);
	for (i = 0; i < nsigs; i++)
		printf("%s: %s: %s: %s%s%s\n", path, sigs[i].format,
		       sigs[i].state, sigs[i].signer[0] ? sigs[i].signer : "no signer named",
		       sigs[i].detail[0] ? ": " : "", sigs[i].detail);
}

static void verify_one(struct vtotals *t, const struct walk_entry *e, bool all)
{
	struct vsig sigs[MAX_SIGS];
	const char *skip;
	struct stat st;
	int fd, n = 0, i;
	bool ok = false;

	memset(sigs, 0, sizeof(sigs));
	fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (e->named ? 0 : O_NOFOLLOW));
	if (fd < 0 && !e->named && (errno == ELOOP || errno == ENXIO)) {
		report(t, e->path, NULL, 0, false, "symbolic link", NULL);
		return;
	}
	if (fd < 0) {
		report(t, e->path, NULL, 0, false, NULL, strerror(errno));
		return;
	}
	if (fstat(fd, &st)) {
		report(t, e->path, NULL, 0, false, NULL, strerror(errno));
		close(fd);
		return;
	}
	/* Trees are checked as sign signs them; files named are checked anyway. */
	skip = walk_skip_reason(fd, &st, all || e->named);
	if (skip) {
		report(t, e->path, NULL, 0, false, skip, NULL);
		close(fd);
		return;
	}
	n += check_fsverity(fd, &sigs[n]);
	n += check_ima(fd, &sigs[n]);
	n += check_pgp(fd, &sigs[n]);
	for (i = 0; i < n; i++)
		ok |= !strcmp(sigs[i].state, "valid");
	report(t, e->path, sigs, n, ok, NULL, NULL);
	close(fd);
}

int cmd_verify(int argc, char **argv)
{
	struct vtotals t = { .first = true };
	struct walk_entry *files;
	bool keyring = false, all = false;
	size_t nfiles, k;
	int i, nkeyfiles = 0;

	if (help_requested(argc, argv, "verify"))
		return EXIT_OK;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--keys") && i + 1 < argc) {
			if (load_key_file(argv[++i]))
				return EXIT_FAIL;
			nkeyfiles++;
		} else if (!strcmp(argv[i], "--keyring")) {
			keyring = true;
		} else if (!strcmp(argv[i], "--all")) {
			all = true;
		} else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("verify", "unknown option %s, or it lacks its value",
					   argv[i]);
		} else {
			break;
		}
	}
	if (i == argc)
		return usage_error("verify", "which files or directories?");
	if (keyring == !!nkeyfiles)
		return usage_error("verify", "check against --keys FILE or --keyring");
	if (keyring) {
		if (!sigil_present())
			return EXIT_ENV;
		sigil_ring = find_sigil_ring();
		if (!sigil_ring) {
			warnx("cannot find the .sigil keyring in /proc/keys");
			return EXIT_ENV;
		}
	}
	if (walk_list_files(argv + i, argc - i, &files, &nfiles))
		return EXIT_FAIL;
	if (opt_json)
		printf("{\"files\":[");
	for (k = 0; k < nfiles; k++) {
		verify_one(&t, &files[k], all);
		free(files[k].path);
	}
	free(files);
	if (opt_json) {
		bool first = false;

		putchar(']');
		json_kv_num("verified", t.verified, &first);
		json_kv_num("failed", t.failed, &first);
		json_kv_num("skipped", t.skipped, &first);
		puts("}");
	} else {
		printf("%zu files: %zu verified, %zu failed, %zu skipped\n", t.files - t.skipped,
		       t.verified, t.failed, t.skipped);
	}
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
	return t.failed || !t.verified ? EXIT_FAIL : EXIT_OK;
}
