// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for keys/filesig.c and keys/pkcs7.c: the signature formats
 * that fsverity sign, evmctl, gpg and sq produce (see sig-fixtures) parse
 * into exactly what those tools signed, and OpenSSL verifies the parsed
 * signatures over the bytes the kernel will hash.  Malformed values, and
 * text-mode OpenPGP signatures, are refused with the errno the kernel acts
 * on.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "filesig.h"
#include "fixture.h"
#include "case.h"

static const char *dir;

/* ---- helpers ---- */

/* A fixture that must exist. */
static u8 *slurp(const char *name, size_t *len)
{
	u8 *buf = read_fixture(dir, name, len);

	if (!buf) {
		printf("# cannot read %s/%s; run selftests/fixtures/sig-fixtures\n", dir, name);
		exit(2);
	}
	return buf;
}

static size_t unhex(const char *hex, u8 *out, size_t size)
{
	size_t n = 0;

	while (hex[0] && hex[1] && n < size) {
		sscanf(hex, "%2hhx", &out[n++]);
		hex += 2;
	}
	return n;
}

/* A value from OUTDIR/ids, as bytes. */
static size_t id_of(const char *key, u8 *out, size_t size)
{
	char line[256];
	size_t klen = strlen(key), n = 0;
	FILE *f;

	snprintf(line, sizeof(line), "%s/ids", dir);
	f = fopen(line, "r");
	if (!f)
		exit(2);
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == '=')
			n = unhex(line + klen + 1, out, size);
	fclose(f);
	return n;
}

static X509 *cert(const char *name)
{
	char path[1024];
	X509 *x = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/keys/%s.pem", dir, name);
	f = fopen(path, "r");
	if (f) {
		x = PEM_read_X509(f, NULL, NULL, NULL);
		fclose(f);
	}
	return x;
}

/* The public half of a PEM private key (keys/pgp.key has no certificate). */
static EVP_PKEY *private_key(const char *name)
{
	char path[1024];
	EVP_PKEY *k = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/keys/%s.key", dir, name);
	f = fopen(path, "r");
	if (f) {
		k = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
	}
	return k;
}

static bool verify_digest(EVP_PKEY *key, const u8 *data, size_t len,
			  const u8 *sig, size_t sig_len)
{
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	bool ok = c && EVP_DigestVerifyInit(c, NULL, EVP_sha256(), NULL, key) > 0 &&
		  EVP_DigestVerify(c, sig, sig_len, data, len) == 1;

	EVP_MD_CTX_free(c);
	return ok;
}

/* The DER contents (no tag or length) of an encoded element. */
static size_t der_contents(const u8 *der, size_t len, const u8 **out)
{
	size_t n = der[1], hl = 2, i;

	if (n & 0x80) {
		hl += n & 0x7f;
		for (n = 0, i = 2; i < hl; i++)
			n = n << 8 | der[i];
	}
	*out = der + hl;
	return hl + n <= len ? n : 0;
}

struct digests {
	u8 verity[32];
	u8 formatted[FSVERITY_FORMATTED_MAX];
	size_t formatted_len;
};

static void digests_of(const char *file, struct digests *d)
{
	char path[1024], name[64], v[160], fmt[200];
	FILE *f;

	snprintf(path, sizeof(path), "%s/digests", dir);
	f = fopen(path, "r");
	if (!f)
		exit(2);
	while (fscanf(f, "%63s %159s %199s", name, v, fmt) == 3) {
		if (strcmp(name, file))
			continue;
		unhex(v, d->verity, sizeof(d->verity));
		d->formatted_len = unhex(fmt, d->formatted, sizeof(d->formatted));
	}
	fclose(f);
}

/* ---- fs-verity ---- */

static void test_fsverity(const char *file)
{
	u8 out[FSVERITY_FORMATTED_MAX];
	struct digests d = { 0 };
	struct pkcs7_signer_id id;
	struct pgp_error err = { 0 };
	const u8 *want;
	size_t len, n, want_len;
	char name[64];
	X509 *x = cert("rsa");
	u8 *sig, *der = NULL;
	int der_len;

	case_begin();
	digests_of(file, &d);
	n = fsverity_formatted_digest(1, d.verity, 32, out);
	case_check(n == d.formatted_len && !memcmp(out, d.formatted, n),
		  "the formatted digest differs from fsverity digest --for-builtin-sig");
	case_end("fsverity: %s: formatted digest as fsverity-utils makes it", file);

	/* fsverity sign names the signer by issuer and serial number. */
	case_begin();
	snprintf(name, sizeof(name), "files/%s.fsv", file);
	sig = slurp(name, &len);
	case_check(!pkcs7_signer_id(sig, len, &id, &err), "%s", err.msg);
	der_len = i2d_X509_NAME(X509_get_issuer_name(x), &der);
	want_len = der_contents(der, der_len, &want);
	case_check(id.issuer && id.issuer_len == want_len &&
		  !memcmp(id.issuer, want, want_len), "issuer differs");
	OPENSSL_free(der);
	der = NULL;
	der_len = i2d_ASN1_INTEGER(X509_get_serialNumber(x), &der);
	want_len = der_contents(der, der_len, &want);
	case_check(id.serial && id.serial_len == want_len &&
		  !memcmp(id.serial, want, want_len), "serial differs");
	case_check(!id.skid, "a SKID was found in an issuer-and-serial signer");
	case_check(id.signers == 1 && !id.certs, "%u signers, certs %d", id.signers, id.certs);
	OPENSSL_free(der);
	{
		BIO *content = BIO_new_mem_buf(d.formatted, d.formatted_len);
		const u8 *p = sig;
		CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
		STACK_OF(X509) *certs = sk_X509_new_null();

		sk_X509_push(certs, x);
		case_check(cms && CMS_verify(cms, certs, NULL, content, NULL,
					    CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY) == 1,
			  "OpenSSL does not verify %s over the formatted digest", name);
		sk_X509_free(certs);
		CMS_ContentInfo_free(cms);
		BIO_free(content);
	}
	free(sig);
	case_end("fsverity: %s: signer by issuer and serial, signature over the formatted digest",
		file);

	/* openssl cms -keyid names it by subject key identifier. */
	case_begin();
	snprintf(name, sizeof(name), "files/%s.fsvskid", file);
	sig = slurp(name, &len);
	case_check(!pkcs7_signer_id(sig, len, &id, &err), "%s", err.msg);
	want_len = id_of("RSA_SKID", out, sizeof(out));
	case_check(id.skid && id.skid_len == want_len && !memcmp(id.skid, out, want_len),
		  "the SKID differs from the certificate's");
	case_check(!id.issuer && !id.serial, "issuer or serial in a SKID signer");
	case_check(id.signers == 1 && !id.certs, "%u signers, certs %d", id.signers, id.certs);
	free(sig);
	case_end("fsverity: %s: signer by subject key identifier", file);
	X509_free(x);
}

/* What sigil refuses though the kernel would verify it: see pkcs7_signer(). */
static void test_pkcs7_shapes(void)
{
	struct pkcs7_signer_id id;
	struct pgp_error err = { 0 };
	size_t len;
	u8 *sig;

	case_begin();
	sig = slurp("files/a.fsvcerts", &len);
	case_check(!pkcs7_signer_id(sig, len, &id, &err), "%s", err.msg);
	case_check(id.certs && id.signers == 1 && id.issuer, "certs %d, %u signers",
		  id.certs, id.signers);
	free(sig);
	sig = slurp("files/a.fsv2signers", &len);
	case_check(!pkcs7_signer_id(sig, len, &id, &err), "%s", err.msg);
	case_check(!id.certs && id.signers == 2 && id.issuer, "certs %d, %u signers",
		  id.certs, id.signers);
	free(sig);
	case_end("pkcs7: attached certificates and a second signer are seen");
}

static void test_pkcs7_malformed(void)
{
	struct pkcs7_signer_id id;
	struct pgp_error err;
	size_t len, cut, bad = 0;
	u8 *sig = slurp("files/a.fsv", &len), *copy;

	case_begin();
	for (cut = 0; cut < len; cut++) {
		copy = malloc(cut ? cut : 1);
		memcpy(copy, sig, cut);
		memset(&err, 0, sizeof(err));
		if (pkcs7_signer_id(copy, cut, &id, &err) == -EBADMSG && err.msg[0])
			bad++;
		else if (cut < len - 300)	/* the signature value may be cut */
			printf("# a %zu-byte prefix was accepted\n", cut);
		free(copy);
	}
	/* Every prefix that cuts into the signer's identity is refused. */
	case_check(bad >= len - 300, "%zu of %zu prefixes refused", bad, len);

	copy = malloc(len);
	memcpy(copy, sig, len);
	copy[8]++;		/* inside the signedData OID */
	memset(&err, 0, sizeof(err));
	case_check(pkcs7_signer_id(copy, len, &id, &err) == -EBADMSG, "another OID accepted");
	memcpy(copy, sig, len);
	copy[1] = 0x80;		/* BER indefinite length */
	memset(&err, 0, sizeof(err));
	case_check(pkcs7_signer_id(copy, len, &id, &err) == -EBADMSG, "BER accepted");
	memcpy(copy, sig, len);
	copy[1] = 0x85;		/* a 5-byte length */
	memset(&err, 0, sizeof(err));
	case_check(pkcs7_signer_id(copy, len, &id, &err) == -EBADMSG, "long length accepted");
	case_check(!id.issuer && !id.serial && !id.skid, "a refused message left an ID");
	free(copy);
	free(sig);
	case_end("pkcs7: truncated, BER and non-SignedData messages are refused");
}

/* ---- security.ima ---- */

/* Each call gets a fresh error: pgp_fail() keeps the first one. */
static int ima_parse(const u8 *v, size_t len, struct ima_sig *s, struct pgp_error *err)
{
	memset(err, 0, sizeof(*err));
	return ima_xattr_parse(v, len, s, err);
}

static void ima_case(const char *file, const char *suffix, const char *idkey,
		     EVP_PKEY *key, u8 type)
{
	struct digests d = { 0 };
	struct pgp_error err = { 0 };
	u8 want[64], fileid[IMA_FILE_ID_MAX];
	struct ima_sig s;
	size_t len, dlen, n;
	char name[64];
	u8 *value, *data;

	case_begin();
	snprintf(name, sizeof(name), "files/%s.%s", file, suffix);
	value = slurp(name, &len);
	case_check(!ima_xattr_parse(value, len, &s, &err), "%s", err.msg);
	case_check(s.type == type && s.version == (type == 3 ? 2 : 3),
		  "type %u version %u", s.type, s.version);
	case_check(s.hash_algo == IMA_HASH_SHA256 && ima_hash_size(s.hash_algo) == 32 &&
		  !strcmp(ima_hash_name(s.hash_algo), "sha256"), "hash %u", s.hash_algo);
	n = id_of(idkey, want, sizeof(want));
	case_check(n >= 4 && !memcmp(s.keyid, want + n - 4, 4),
		  "key ID is not the end of %s", idkey);
	if (type == IMA_XATTR_DIGSIG) {
		snprintf(name, sizeof(name), "files/%s", file);
		data = slurp(name, &dlen);
	} else {
		digests_of(file, &d);
		dlen = ima_file_id(IMA_HASH_SHA256, d.verity, 32, fileid);
		data = malloc(dlen);
		memcpy(data, fileid, dlen);
	}
	case_check(verify_digest(key, data, dlen, s.sig, s.sig_len),
		  "OpenSSL does not verify the parsed signature");
	free(data);
	free(value);
	case_end("ima: %s.%s: v%u signature by %s verifies", file, suffix,
		type == 3 ? 2 : 3, idkey);
}

static void test_ima_malformed(void)
{
	struct pgp_error err;
	struct ima_sig s;
	size_t len, cut;
	u8 *good = slurp("files/a.ima2", &len), *v = malloc(len + 1);
	bool prefixes = true;

	case_begin();
	for (cut = 0; cut < len; cut++) {
		if (ima_parse(good, cut, &s, &err) != -EBADMSG || !err.msg[0])
			prefixes = false;
	}
	case_check(prefixes, "a truncated value was not refused with EBADMSG");
	memcpy(v, good, len);
	v[len] = 0;
	case_check(ima_parse(v, len + 1, &s, &err) == -EBADMSG, "a trailing byte");
	case_check(strstr(err.msg, "announces"), "message: %s", err.msg);
	v[0] = 4;		/* IMA_XATTR_DIGEST_NG: a hash, not a signature */
	case_check(ima_parse(v, len, &s, &err) == -ENODATA, "a bare hash");
	v[0] = 3;
	v[1] = 3;
	case_check(ima_parse(v, len, &s, &err) == -EBADMSG, "type 3 with v3");
	v[1] = 2;
	v[2] = IMA_HASH_SHA1;
	case_check(ima_parse(v, len, &s, &err) == -EKEYREJECTED, "SHA-1");
	case_check(strstr(err.msg, "SHA-1"), "message: %s", err.msg);
	v[2] = IMA_HASH_MD5;
	case_check(ima_parse(v, len, &s, &err) == -EKEYREJECTED, "MD5");
	v[2] = 17;		/* HASH_ALGO_SM3_256 */
	case_check(ima_parse(v, len, &s, &err) == -EOPNOTSUPP, "SM3");
	v[2] = 200;
	case_check(ima_parse(v, len, &s, &err) == -EOPNOTSUPP, "algorithm 200");
	case_check(strstr(err.msg, "200"), "message: %s", err.msg);
	free(v);
	free(good);
	case_end("ima: truncated, padded, bare-hash, SHA-1 and unknown-hash values are told apart");
}

/* ---- security.sigil ---- */

static int sigil_parse(const u8 *v, size_t len, struct sigil_xattr *x,
		       struct pgp_error *err)
{
	memset(err, 0, sizeof(*err));
	return sigil_xattr_parse(v, len, x, err);
}

static void sigil_case(const char *file, const char *suffix, u8 kind,
		       const char *fprkey)
{
	struct digests d = { 0 };
	struct pgp_error err = { 0 };
	struct sigil_xattr x;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	u8 fpr[PGP_FPR_SIZE], trailer[6], md[64];
	size_t len, dlen, pos = 0;
	EVP_MD_CTX *c;
	char name[64];
	u8 *value, *data;

	case_begin();
	snprintf(name, sizeof(name), "files/%s.%s", file, suffix);
	value = slurp(name, &len);
	case_check(!sigil_xattr_parse(value, len, &x, &err), "%s", err.msg);
	case_check(x.kind == kind && x.packet == value + 2 && x.len == len - 2,
		  "kind %u", x.kind);
	case_check(!pgp_read_packet(x.packet, x.len, &pos, &pkt, &err) &&
		  !pgp_parse_sig(pkt.body, pkt.len, &sig, &err) &&
		  !pgp_check_data_sig(&sig, &err), "%s", err.msg);
	id_of(fprkey, fpr, sizeof(fpr));
	case_check(sig.has_issuer_fpr && !memcmp(sig.issuer_fpr, fpr, sizeof(fpr)),
		  "issuer is not %s", fprkey);

	/* The signature's hash prefix proves what the tool signed. */
	if (kind == SIGIL_XATTR_CONTENT) {
		snprintf(name, sizeof(name), "files/%s", file);
		data = slurp(name, &dlen);
	} else {
		digests_of(file, &d);
		data = malloc(d.formatted_len);
		memcpy(data, d.formatted, d.formatted_len);
		dlen = d.formatted_len;
	}
	pgp_sig_trailer(&sig, trailer);
	c = EVP_MD_CTX_new();
	EVP_DigestInit(c, EVP_get_digestbyname(pgp_hash_name(sig.hash_algo)));
	EVP_DigestUpdate(c, data, dlen);
	EVP_DigestUpdate(c, sig.body, 6u + sig.hashed_len);
	EVP_DigestUpdate(c, trailer, sizeof(trailer));
	EVP_DigestFinal(c, md, NULL);
	EVP_MD_CTX_free(c);
	case_check(pgp_quick_check(&sig, md), "the hash prefix differs: another input was signed");
	free(data);
	free(value);
	case_end("sigil: %s.%s: kind %u signature by %s", file, suffix, kind, fprkey);
}

static void test_sigil_malformed(void)
{
	struct pgp_error err;
	struct sigil_xattr x;
	size_t len, cut;
	u8 *good = slurp("files/a.pgp2", &len), *v = malloc(len + 1);
	bool prefixes = true;

	case_begin();
	for (cut = 0; cut < len; cut++) {
		if (sigil_parse(good, cut, &x, &err) != -EBADMSG || !err.msg[0])
			prefixes = false;
	}
	case_check(prefixes, "a truncated value was not refused with EBADMSG");
	memcpy(v, good, len);
	v[len] = 0xc2;
	case_check(sigil_parse(v, len + 1, &x, &err) == -EBADMSG &&
		  strstr(err.msg, "after the signature"), "trailing byte: %s", err.msg);
	v[0] = 2;
	case_check(sigil_parse(v, len, &x, &err) == -EBADMSG &&
		  strstr(err.msg, "version 2"), "version 2: %s", err.msg);
	v[0] = 1;
	v[1] = 3;
	case_check(sigil_parse(v, len, &x, &err) == -EBADMSG &&
		  strstr(err.msg, "kind 3"), "kind 3: %s", err.msg);
	v[1] = 2;
	v[2] = 0xc6;		/* new-format public key packet */
	case_check(sigil_parse(v, len, &x, &err) == -EBADMSG &&
		  strstr(err.msg, "not a signature"), "tag 6: %s", err.msg);
	free(v);
	free(good);
	case_end("sigil: truncated, padded, unknown version or kind, and non-signature values are refused");
}

/*
 * A text-mode (0x01) signature covers the text with its line endings
 * canonicalized: script.pgp2text covers script-cr, a script that does
 * something else, as well as script (see sig-fixtures).  Such signatures
 * are refused for what they are, whatever they sign, and the kernel and
 * sigilctl both give this reason; the binary signature of the same script
 * is taken.
 */
#define TEXT_MODE_REFUSED \
	"a text-mode (0x01) signature covers many byte strings; file signatures must be binary (0x00)"

static const struct text_case {
	const char *sig;	/* fixture in files/ */
	u8 kind;		/* enum sigil_xattr_kind */
	u8 type;		/* the signature type gpg wrote */
	int rc;			/* what sigil_xattr_parse() returns */
} text_cases[] = {
	{ "script.pgp2", SIGIL_XATTR_CONTENT, PGP_SIG_BINARY, 0 },
	{ "script.pgp1text", SIGIL_XATTR_VERITY, PGP_SIG_TEXT, -EKEYREJECTED },
	{ "script.pgp2text", SIGIL_XATTR_CONTENT, PGP_SIG_TEXT, -EKEYREJECTED },
};

static void text_case(const struct text_case *c)
{
	struct pgp_error err = { 0 };
	struct sigil_xattr x = { 0 };
	struct pgp_packet pkt = { 0 };
	struct pgp_sig sig = { 0 };
	size_t len, pos = 2;
	char name[64];
	u8 *value;
	int rc;

	case_begin();
	snprintf(name, sizeof(name), "files/%s", c->sig);
	value = slurp(name, &len);
	/* What gpg wrote, read without sigil_xattr_parse(). */
	case_check(len > 2 && value[1] == c->kind &&
		  !pgp_read_packet(value, len, &pos, &pkt, &err) &&
		  !pgp_parse_sig(pkt.body, pkt.len, &sig, &err) && sig.type == c->type,
		  "kind %u, signature type 0x%02x, want %u and 0x%02x (%s)",
		  value[1], sig.type, c->kind, c->type, err.msg);
	rc = sigil_parse(value, len, &x, &err);
	case_check(rc == c->rc, "rc %d, want %d (%s)", rc, c->rc, err.msg);
	if (c->rc) {
		case_check(!strcmp(err.msg, TEXT_MODE_REFUSED), "message: %s", err.msg);
		case_check(err.offset == pkt.body_start + 1 && value[err.offset] == PGP_SIG_TEXT,
			  "offset %u is not the signature type's", err.offset);
		case_check(!x.packet, "a refused value was filled in");
	} else {
		case_check(x.kind == c->kind && x.packet == value + 2 && x.len == len - 2,
			  "kind %u", x.kind);
		case_check(!pgp_check_data_sig(&sig, &err), "%s", err.msg);
	}
	free(value);
	case_end("sigil: %s: a kind %u %s signature by gpg is %s", c->sig, c->kind,
		c->type == PGP_SIG_TEXT ? "text-mode (0x01)" : "binary (0x00)",
		c->rc ? "refused (EKEYREJECTED)" : "taken");
}

/* ---- filesig_check(): the one parse-and-check of both xattrs ---- */

/* The file has fs-verity with SHA-256, with SHA-512, or none. */
enum verity_case { V_SHA256, V_SHA512, V_NONE };

/* What filesig_check() leaves for the key to verify. */
enum check_msg {
	M_NONE,		/* nothing: the state is final */
	M_CONTENT,	/* the whole content */
	M_FILE_ID,	/* IMA's v3 file ID over the fs-verity digest */
	M_FORMATTED,	/* the fs-verity formatted digest */
};

static const struct check_case {
	const char *value;	/* fixture in files/, NULL: no xattr, "=hex": bytes */
	u8 xattr;		/* enum filesig_xattr */
	u8 verity;		/* enum verity_case */
	int rc;
	u8 state;		/* enum sigil_sig_state, when rc is 0 */
	u8 msg;			/* enum check_msg */
} check_cases[] = {
	{ NULL, FILESIG_XATTR_IMA, V_SHA256, 0, SIGIL_SIG_ABSENT, M_NONE },
	{ NULL, FILESIG_XATTR_SIGIL, V_NONE, 0, SIGIL_SIG_ABSENT, M_NONE },
	{ "a.ima2", FILESIG_XATTR_IMA, V_SHA256, 0, SIGIL_SIG_UNVERIFIED, M_CONTENT },
	{ "a.ima2", FILESIG_XATTR_IMA, V_NONE, 0, SIGIL_SIG_UNVERIFIED, M_CONTENT },
	{ "a.ima3", FILESIG_XATTR_IMA, V_SHA256, 0, SIGIL_SIG_UNVERIFIED, M_FILE_ID },
	{ "a.ima3", FILESIG_XATTR_IMA, V_NONE, 0, SIGIL_SIG_NO_VERITY, M_NONE },
	/* IMA hashes the file ID with fs-verity's algorithm: they must agree. */
	{ "a.ima3", FILESIG_XATTR_IMA, V_SHA512, 0, SIGIL_SIG_BAD, M_NONE },
	/* A bare hash (IMA_XATTR_DIGEST_NG, SHA-256) is no signature. */
	{ "=0404" "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff",
	  FILESIG_XATTR_IMA, V_SHA256, 0, SIGIL_SIG_ABSENT, M_NONE },
	/* A v2 signature over SHA-1 is refused. */
	{ "=030202deadbeef0002abcd", FILESIG_XATTR_IMA, V_SHA256, 0,
	  SIGIL_SIG_REFUSED, M_NONE },
	{ "=0302", FILESIG_XATTR_IMA, V_SHA256, -EBADMSG, 0, M_NONE },
	{ "=030209deadbeef0002abcd", FILESIG_XATTR_IMA, V_SHA256, -EOPNOTSUPP, 0,
	  M_NONE },
	{ "a.pgp1", FILESIG_XATTR_SIGIL, V_SHA256, 0, SIGIL_SIG_UNVERIFIED, M_FORMATTED },
	{ "a.pgp1", FILESIG_XATTR_SIGIL, V_NONE, 0, SIGIL_SIG_NO_VERITY, M_NONE },
	{ "a.pgp2", FILESIG_XATTR_SIGIL, V_NONE, 0, SIGIL_SIG_UNVERIFIED, M_CONTENT },
	{ "a.sq2", FILESIG_XATTR_SIGIL, V_SHA256, 0, SIGIL_SIG_UNVERIFIED, M_CONTENT },
	{ "script.pgp1text", FILESIG_XATTR_SIGIL, V_SHA256, 0, SIGIL_SIG_REFUSED, M_NONE },
	{ "script.pgp2text", FILESIG_XATTR_SIGIL, V_NONE, 0, SIGIL_SIG_REFUSED, M_NONE },
	{ "=0101", FILESIG_XATTR_SIGIL, V_SHA256, -EBADMSG, 0, M_NONE },
};

static void check_case(const struct check_case *c)
{
	static const char *const msgs[] = { "nothing", "the content", "the v3 file ID",
					    "the formatted digest" };
	struct filesig_verity verity = { 0 };
	struct pgp_error err = { 0 };
	struct filesig_check out;
	u8 want[FILESIG_MSG_MAX], *value = NULL;
	size_t len = 0, want_len = 0;
	struct digests d = { 0 };
	char name[64];
	int rc;

	case_begin();
	digests_of("a", &d);
	if (c->verity != V_NONE) {
		verity.alg = c->verity == V_SHA256 ? 1 : 2;
		verity.size = c->verity == V_SHA256 ? 32 : 64;
		memcpy(verity.digest, d.verity, 32);
	}
	if (c->value && c->value[0] == '=') {
		value = malloc(strlen(c->value) / 2);
		len = unhex(c->value + 1, value, strlen(c->value) / 2);
	} else if (c->value) {
		snprintf(name, sizeof(name), "files/%s", c->value);
		value = slurp(name, &len);
	}
	rc = filesig_check(c->xattr, value, len, &verity, &out, &err);
	case_check(rc == c->rc, "returned %d, not %d: %s", rc, c->rc, err.msg);
	if (!rc && !c->rc) {
		case_check(out.state == c->state, "state %s, not %s",
			   sigil_sig_state_names[out.state],
			   sigil_sig_state_names[c->state]);
		case_check(out.content == (c->msg == M_CONTENT),
			   "content %d", out.content);
		if (c->msg == M_FILE_ID)
			want_len = ima_file_id(IMA_HASH_SHA256, d.verity, 32, want);
		if (c->msg == M_FORMATTED) {
			memcpy(want, d.formatted, d.formatted_len);
			want_len = d.formatted_len;
		}
		case_check(out.msg_len == want_len && !memcmp(out.msg, want, want_len),
			   "%zu bytes to verify, not %s", out.msg_len, msgs[c->msg]);
	}
	if (rc)
		case_check(err.msg[0], "no reason given for %d", rc);
	free(value);
	case_end("filesig_check: %s %s, fs-verity %s: %s", c->xattr ? "security.sigil" :
		 "security.ima", c->value ? c->value : "absent",
		 c->verity == V_NONE ? "off" : c->verity == V_SHA256 ? "sha256" : "sha512",
		 c->rc ? strerror(-c->rc) : sigil_sig_state_names[c->state]);
}

int main(int argc, char **argv)
{
	static const char *const files[] = { "a", "b", "lib.so" };
	EVP_PKEY *rsa, *ec, *pgp;
	X509 *x;
	unsigned int i;

	if (argc < 3) {
		fprintf(stderr, "usage: %s PGP_FIXTURE_DIR SIG_FIXTURE_DIR\n", argv[0]);
		return 2;
	}
	dir = argv[2];
	ksft_print_header();
	x = cert("rsa");
	rsa = X509_get_pubkey(x);
	X509_free(x);
	x = cert("ec");
	ec = X509_get_pubkey(x);
	X509_free(x);
	pgp = private_key("pgp");
	if (!rsa || !ec || !pgp) {
		printf("# %s: keys are missing; run selftests/fixtures/sig-fixtures\n", dir);
		return 2;
	}
	for (i = 0; i < 3; i++) {
		test_fsverity(files[i]);
		ima_case(files[i], "ima2", "RSA_SKID", rsa, IMA_XATTR_DIGSIG);
		ima_case(files[i], "ima2ec", "EC_SKID", ec, IMA_XATTR_DIGSIG);
		ima_case(files[i], "ima2pgp", "PGP_FPR", pgp, IMA_XATTR_DIGSIG);
		ima_case(files[i], "ima3", "RSA_SKID", rsa, IMA_XATTR_VERITY_DIGSIG);
		sigil_case(files[i], "pgp1", SIGIL_XATTR_VERITY, "PGP_FPR");
		sigil_case(files[i], "pgp2", SIGIL_XATTR_CONTENT, "PGP_FPR");
		sigil_case(files[i], "sq2", SIGIL_XATTR_CONTENT, "SQ_SIGNER_FPR");
	}
	test_pkcs7_shapes();
	test_pkcs7_malformed();
	test_ima_malformed();
	test_sigil_malformed();
	for (i = 0; i < sizeof(text_cases) / sizeof(text_cases[0]); i++)
		text_case(&text_cases[i]);
	for (i = 0; i < sizeof(check_cases) / sizeof(check_cases[0]); i++)
		check_case(&check_cases[i]);
	EVP_PKEY_free(rsa);
	EVP_PKEY_free(ec);
	EVP_PKEY_free(pgp);
	cases_done();
}
