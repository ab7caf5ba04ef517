// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for the OpenPGP code in keys/: certificates and signatures
 * made by gpg and sq (see pgp-fixtures), checked against what those tools
 * print, and verified with OpenSSL from exactly the key and signature bytes
 * that the kernel would be given.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include "fixture.h"
#include "pgp.h"
#include "case.h"
#include "../../userspace/pgp_evp.h"

static const char *dir;

/* ---- helpers ---- */

static u8 *slurp(const char *name, size_t *len)
{
	return read_fixture(dir, name, len);
}

static int verify_calls;

/* The crypto callback: what the kernel does with its crypto API. */
static int ossl_verify(void *ctx, const struct pgp_key *key,
		       const struct pgp_sig *sig, const struct pgp_span *spans,
		       unsigned int nspans)
{
	const EVP_MD *md = EVP_get_digestbyname(pgp_hash_name(sig->hash_algo));
	u8 digest[EVP_MAX_MD_SIZE], s[PGP_SIG_MAX + 16];
	unsigned int dlen, i;
	EVP_PKEY_CTX *pc;
	EVP_MD_CTX *m;
	EVP_PKEY *pkey;
	int n, ok = 0;

	verify_calls++;
	if (!md)
		return -EOPNOTSUPP;
	m = EVP_MD_CTX_new();
	EVP_DigestInit_ex(m, md, NULL);
	for (i = 0; i < nspans; i++)
		EVP_DigestUpdate(m, spans[i].data, spans[i].len);
	EVP_DigestFinal_ex(m, digest, &dlen);
	EVP_MD_CTX_free(m);
	if (!pgp_quick_check(sig, digest))
		return -EBADMSG;

	n = pgp_sig_to_kernel(sig, key, s, sizeof(s));
	pkey = pgp_evp_key(key);
	if (n < 0 || !pkey)
		return -EINVAL;
	pc = EVP_PKEY_CTX_new(pkey, NULL);
	if (EVP_PKEY_verify_init(pc) > 0) {
		if (key->algo != PGP_PK_ECDSA) {
			EVP_PKEY_CTX_set_rsa_padding(pc, RSA_PKCS1_PADDING);
			EVP_PKEY_CTX_set_signature_md(pc, md);
		}
		ok = EVP_PKEY_verify(pc, s, n, digest, dlen) == 1;
	}
	EVP_PKEY_CTX_free(pc);
	EVP_PKEY_free(pkey);
	return ok ? 0 : -EKEYREJECTED;
}

static void hex_of(const u8 *b, unsigned int n, char *out)
{
	pgp_fpr_hex(b, n, out);
}

static struct {
	char name[128];
	struct pgp_cert cert;
	const struct pgp_key *signer;
	u8 *buf;
} keys[32];
static unsigned int nkeys;

static int key_index(const char *name)
{
	unsigned int i;

	for (i = 0; i < nkeys; i++)
		if (!strcmp(keys[i].name, name))
			return (int)i;
	return -1;
}

static const struct pgp_key *signer_of(const char *name)
{
	int i = key_index(name);

	return i < 0 ? NULL : keys[i].signer;
}

/* ---- manifest cases ---- */

static void key_case(const char *name, const char *file, const char *fpr,
		     const char *signer_fpr)
{
	struct pgp_error err = { 0 };
	char got[2 * PGP_FPR_SIZE + 1], kid[2 * PGP_KEYID_SIZE + 1];
	size_t len;
	u8 *buf = slurp(file, &len);
	struct pgp_cert *cert = &keys[nkeys].cert;
	const struct pgp_key *signer = NULL;
	int rc;

	case_begin();
	case_check(buf, "cannot read %s", file);
	if (buf) {
		rc = pgp_parse_cert(buf, len, cert, &err);
		case_check(!rc, "parse: %s (%d at %u)", err.msg, rc, err.offset);
		if (!rc) {
			case_check(cert->len == len, "certificate spans %zu of %zu bytes",
				  cert->len, len);
			hex_of(cert->primary.fpr, PGP_FPR_SIZE, got);
			case_check(!strcmp(got, fpr), "fingerprint %s, tool says %s", got, fpr);
			hex_of(cert->primary.keyid, PGP_KEYID_SIZE, kid);
			case_check(!strcmp(kid, fpr + 24), "key ID %s, tool's fingerprint %s",
				  kid, fpr);
			rc = pgp_select_signer(cert, ossl_verify, NULL, &signer, &err);
			case_check(!rc && signer, "select: %s", err.msg);
			if (signer) {
				hex_of(signer->fpr, PGP_FPR_SIZE, got);
				case_check(!strcmp(got, signer_fpr),
					  "signing key %s, tool says %s", got, signer_fpr);
			}
		}
	}
	snprintf(keys[nkeys].name, sizeof(keys[nkeys].name), "%s", name);
	keys[nkeys].signer = signer;
	keys[nkeys].buf = buf;
	nkeys++;
	case_end("- pgp: %s: fingerprint, key ID and signing key match the tool", name);
}

static int errno_of(const char *s)
{
	if (!strcmp(s, "EOPNOTSUPP"))
		return -EOPNOTSUPP;
	if (!strcmp(s, "EKEYREJECTED"))
		return -EKEYREJECTED;
	if (!strcmp(s, "EKEYREVOKED"))
		return -EKEYREVOKED;
	return -EBADMSG;
}

static void bad_case(const char *name, const char *file, const char *want,
		     const char *msg)
{
	static struct pgp_cert cert;
	struct pgp_error err = { 0 };
	const struct pgp_key *signer;
	size_t len;
	u8 *buf = slurp(file, &len);
	int rc;

	case_begin();
	case_check(buf, "cannot read %s", file);
	if (buf) {
		rc = pgp_parse_cert(buf, len, &cert, &err);
		if (!rc)
			rc = pgp_select_signer(&cert, ossl_verify, NULL, &signer, &err);
		case_check(rc == errno_of(want), "rc %d, want %s (%s)", rc, want, err.msg);
		case_check(strstr(err.msg, msg), "message '%s' lacks '%s'", err.msg, msg);
	}
	free(buf);
	case_end("- pgp: %s is refused: %s", name, msg);
}

struct growbuf {
	u8 *p;
	size_t n;
};

static void append(void *ctx, const u8 *data, size_t len)
{
	struct growbuf *g = ctx;

	memcpy(g->p + g->n, data, len);
	g->n += len;
}

/* The bytes a data signature covers: text mode gets CR LF endings. */
static u8 *canonical(const u8 *data, size_t len, bool text, size_t *out_len)
{
	struct growbuf g = { malloc(2 * len + 1), 0 };
	struct pgp_text_state st = { 0 };
	size_t i;

	if (text) {
		/* A byte at a time: every state crosses a call boundary. */
		for (i = 0; i < len; i++)
			pgp_hash_text(data + i, 1, &st, append, &g);
		pgp_hash_text_end(&st, append, &g);
	} else {
		append(&g, data, len);
	}
	*out_len = g.n;
	return g.p;
}

static int verify_data(const struct pgp_key *key, const u8 *sigbuf,
		       size_t siglen, const u8 *data, size_t len,
		       struct pgp_error *err)
{
	struct pgp_packet pkt;
	struct pgp_span spans[3];
	struct pgp_sig sig;
	size_t pos = 0, clen;
	u8 trailer[6], *c;
	int rc;

	rc = pgp_read_packet(sigbuf, siglen, &pos, &pkt, err);
	if (rc)
		return rc;
	if (pkt.tag != PGP_TAG_SIGNATURE)
		return -EBADMSG;
	rc = pgp_parse_sig(pkt.body, pkt.len, &sig, err);
	if (!rc)
		rc = pgp_check_data_sig(&sig, err);
	if (rc)
		return rc;
	if (!pgp_sig_by(&sig, key))
		return -ENOKEY;
	c = canonical(data, len, sig.type == PGP_SIG_TEXT, &clen);
	pgp_sig_trailer(&sig, trailer);
	spans[0] = (struct pgp_span){ c, clen };
	spans[1] = (struct pgp_span){ sig.body, 6u + sig.hashed_len };
	spans[2] = (struct pgp_span){ trailer, 6 };
	rc = ossl_verify(NULL, key, &sig, spans, 3);
	free(c);
	return rc;
}

static void sig_case(const char *name, const char *keyname, const char *datafile,
		     const char *sigfile, const char *type, const char *hash)
{
	const struct pgp_key *key = signer_of(keyname);
	struct pgp_error err = { 0 };
	size_t dlen, slen;
	u8 *data = slurp(datafile, &dlen), *sig = slurp(sigfile, &slen);
	struct pgp_packet pkt;
	struct pgp_sig parsed;
	size_t pos = 0;
	int rc;

	case_begin();
	case_check(key && data && sig, "fixture %s missing", name);
	if (key && data && sig) {
		pgp_read_packet(sig, slen, &pos, &pkt, &err);
		pgp_parse_sig(pkt.body, pkt.len, &parsed, &err);
		case_check(parsed.type == strtoul(type, NULL, 16), "type 0x%02x, want %s",
			  parsed.type, type);
		case_check(!strcmp(pgp_hash_name(parsed.hash_algo) + 3, hash + 3),
			  "hash %s, want %s", pgp_hash_name(parsed.hash_algo), hash);
		rc = verify_data(key, sig, slen, data, dlen, &err);
		case_check(rc == 0, "good signature: %d %s", rc, err.msg);
	}
	case_end("- pgp: %s (%s, type %s) verifies", name, hash, type);

	case_begin();
	if (key && data && sig) {
		u8 *d = malloc(dlen), *s = malloc(slen);
		size_t hashed_last;

		memcpy(d, data, dlen);
		d[dlen / 2] ^= 0x01;
		err.err = 0;
		case_check(verify_data(key, sig, slen, d, dlen, &err) != 0,
			  "flipped data bit verified");

		memcpy(s, sig, slen);
		s[slen - 1] ^= 0x01;
		err.err = 0;
		case_check(verify_data(key, s, slen, data, dlen, &err) != 0,
			  "flipped signature bit verified");

		/* The last byte of the hashed area: inside its last subpacket. */
		memcpy(s, sig, slen);
		hashed_last = (size_t)(pkt.body - sig) + 6 + parsed.hashed_len - 1;
		s[hashed_last] ^= 0x01;
		err.err = 0;
		case_check(verify_data(key, s, slen, data, dlen, &err) != 0,
			  "flipped hashed-subpacket bit verified");
		free(d);
		free(s);
	} else {
		case_check(0, "fixture missing");
	}
	case_end("- pgp: %s: flipped bits in data, signature and hashed subpackets fail", name);
	free(data);
	free(sig);
}

/* ---- cases built here, without the tools ---- */

/* RFC 9580 A.3: a v6 certificate. */
static const char v6_cert[] =
	"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
	"xioGY4d/4xsAAAAg+U2nu0jWCmHlZ3BqZYfQMxmZu52JGggkLq2EVD34laPCsQYf\n"
	"GwoAAABCBYJjh3/jAwsJBwUVCg4IDAIWAAKbAwIeCSIhBssYbE8GCaaX5NUt+mxy\n"
	"KwwfHifBilZwj2Ul7Ce62azJBScJAgcCAAAAAK0oIBA+LX0ifsDm185Ecds2v8lw\n"
	"gyU2kCcUmKfvBXbAf6rhRYWzuQOwEn7E/aLwIwRaLsdry0+VcallHhSu4RN6HWaE\n"
	"QsiPlR4zxP/TP7mhfVEe7XWPxtnMUMtf15OyA51YBM4qBmOHf+MZAAAAIIaTJINn\n"
	"+eUBXbki+PSAld2nhJh/LVmFsS+60WyvXkQ1wpsGGBsKAAAALAWCY4d/4wKbDCIh\n"
	"BssYbE8GCaaX5NUt+mxyKwwfHifBilZwj2Ul7Ce62azJAAAAAAQBIKbpGG2dWTX8\n"
	"j+VjFM21J0hqWlEg+bdiojWnKfA5AQpWUWtnNwDEM0g12vYxoWM8Y81W+bHBw805\n"
	"I8kWVkXU6vFOi+HWvv/ira7ofJu16NnoUkhclkUrk0mXubZvyl4GBg==\n"
	"-----END PGP PUBLIC KEY BLOCK-----\n";

/* RFC 9580 A.1: a v4 Ed25519 (legacy EdDSA) key and its fingerprint. */
static const char v4_ed25519[] =
	"-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n"
	"xjMEU/NfCxYJKwYBBAHaRw8BAQdAPwmJlL3ZFu1AUxl5NOSofIBzOhKA1i+AEJku\n"
	"Q+47JAY=\n"
	"-----END PGP PUBLIC KEY BLOCK-----\n";

static int dearmor(const char *text, u8 *out, size_t size, size_t *len,
		   struct pgp_error *err)
{
	size_t pos = 0;

	return pgp_dearmor(text, strlen(text), &pos, "PGP PUBLIC KEY BLOCK",
			   out, size, len, err);
}

static void test_rfc9580_vectors(void)
{
	static struct pgp_cert cert;
	struct pgp_error err = { 0 };
	struct pgp_key key;
	char hex[41];
	u8 buf[1024];
	size_t len;

	case_begin();
	case_check(!dearmor(v6_cert, buf, sizeof(buf), &len, &err), "dearmor: %s", err.msg);
	case_check(pgp_parse_cert(buf, len, &cert, &err) == -EOPNOTSUPP, "rc %d", err.err);
	case_check(strstr(err.msg, "v6 keys (RFC 9580) are not supported"), "%s", err.msg);
	case_end("- pgp: RFC 9580 v6 certificate is refused: v6 keys are not supported");

	case_begin();
	memset(&err, 0, sizeof(err));
	case_check(!dearmor(v4_ed25519, buf, sizeof(buf), &len, &err), "dearmor: %s", err.msg);
	case_check(!pgp_parse_key(buf + 2, len - 2, &key, &err), "%s", err.msg);
	pgp_fpr_hex(key.fpr, PGP_FPR_SIZE, hex);
	case_check(!strcmp(hex, "C959BDBAFA32A2F89A153B678CFDE12197965A9A"), "fpr %s", hex);
	case_check(key.unusable && strstr(key.unusable, "EdDSA"), "unusable %s",
		  key.unusable ? key.unusable : "(null)");
	case_end("- pgp: RFC 9580 v4 Ed25519 key: known fingerprint, marked unusable (EdDSA)");
}

/* Run a crafted certificate and expect @want with @msg. */
static void crafted(const char *desc, const u8 *buf, size_t len, int want,
		    const char *msg)
{
	static struct pgp_cert cert;
	struct pgp_error err = { 0 };

	case_begin();
	case_check(pgp_parse_cert(buf, len, &cert, &err) == want, "rc %d (%s)", err.err, err.msg);
	case_check(strstr(err.msg, msg), "message '%s' lacks '%s'", err.msg, msg);
	case_end("- pgp: %s", desc);
}

static void test_crafted(void)
{
	/* gpg-nistp256: one old-format header with a one-octet length. */
	int k = key_index("gpg-nistp256");
	const u8 *good = k < 0 ? NULL : keys[k].buf;
	size_t glen = k < 0 ? 0 : keys[k].cert.len, klen;
	static struct pgp_cert a, o;
	struct pgp_error err = { 0 };
	static u8 b[8192];
	u8 v3[] = { 0x99, 0x00, 0x06, 3, 0, 0, 0, 0, 1 };
	u8 v5[] = { 0xc6, 0x06, 5, 0, 0, 0, 0, 1 };
	u8 partial[] = { 0xc6, 0xe1, 4, 0 };
	u8 sub_in_cert[] = { 0xce, 0x01, 4 };

	crafted("v3 key is refused", v3, sizeof(v3), -EOPNOTSUPP, "v3 keys are not supported");
	crafted("v5 key is refused", v5, sizeof(v5), -EOPNOTSUPP, "v5 keys (LibrePGP)");
	crafted("partial body length in a key is refused", partial, sizeof(partial),
		-EBADMSG, "partial body length");
	crafted("a subkey without a primary key is refused", sub_in_cert,
		sizeof(sub_in_cert), -EBADMSG, "expected a public key packet");
	if (!good || good[0] != 0x98) {
		case_begin();
		case_check(0, "fixture gpg-nistp256 missing or not old-format");
		case_end("- pgp: crafted packets from gpg-nistp256");
		return;
	}
	klen = good[1];

	crafted("truncated certificate is refused", good, glen - 1, -EBADMSG, "truncated");

	/* Overlong: the key packet claims more than the input holds. */
	memcpy(b, good, klen + 2);
	b[1]++;
	crafted("overlong key packet is refused", b, klen + 2, -EBADMSG, "truncated");

	/* Trailing data inside the key packet. */
	b[klen + 2] = 0;
	crafted("trailing data in a key packet is refused", b, klen + 3, -EBADMSG,
		"trailing data in the key packet");

	/* The same key under every header form: the same fingerprint. */
	case_begin();
	case_check(!pgp_parse_cert(good, klen + 2, &a, &err), "%s", err.msg);
	b[0] = 0x99;			/* old format, two-octet length */
	b[1] = 0;
	b[2] = (u8)klen;
	memcpy(b + 3, good + 2, klen);
	case_check(!pgp_parse_cert(b, klen + 3, &o, &err), "%s", err.msg);
	case_check(!memcmp(a.primary.fpr, o.primary.fpr, PGP_FPR_SIZE), "old two-octet");
	b[0] = 0x9a;			/* old format, four-octet length */
	b[1] = b[2] = b[3] = 0;
	b[4] = (u8)klen;
	memcpy(b + 5, good + 2, klen);
	case_check(!pgp_parse_cert(b, klen + 5, &o, &err), "%s", err.msg);
	case_check(!memcmp(a.primary.fpr, o.primary.fpr, PGP_FPR_SIZE), "old four-octet");
	b[0] = 0x9b;			/* old format, indeterminate length */
	memcpy(b + 1, good + 2, klen);
	case_check(!pgp_parse_cert(b, klen + 1, &o, &err), "%s", err.msg);
	case_check(!memcmp(a.primary.fpr, o.primary.fpr, PGP_FPR_SIZE), "old indeterminate");
	b[0] = 0xc6;			/* new format, one-octet length */
	b[1] = (u8)klen;
	memcpy(b + 2, good + 2, klen);
	case_check(!pgp_parse_cert(b, klen + 2, &o, &err), "%s", err.msg);
	case_check(!memcmp(a.primary.fpr, o.primary.fpr, PGP_FPR_SIZE), "new one-octet");
	b[1] = 0xff;			/* new format, five-octet length */
	b[2] = b[3] = b[4] = 0;
	b[5] = (u8)klen;
	memcpy(b + 6, good + 2, klen);
	case_check(!pgp_parse_cert(b, klen + 6, &o, &err), "%s", err.msg);
	case_check(!memcmp(a.primary.fpr, o.primary.fpr, PGP_FPR_SIZE), "new five-octet");
	b[1] = 0xc0;			/* new format, two-octet length: 192 + ... */
	case_check(klen < 192, "fixture key is short");
	case_end("- pgp: a key parses to the same fingerprint under every header form");
}

/* Revocations cannot be hidden, and one that cannot be checked refuses. */
static void test_revocation_tricks(void)
{
	static struct pgp_cert cert;
	struct pgp_error err = { 0 };
	const struct pgp_key *signer;
	size_t len, klen, i;
	u8 *r = slurp("gpg-revoked.pgp", &len);
	static u8 b[16384];

	case_begin();
	case_check(r && r[0] == 0x99, "fixture gpg-revoked.pgp, old-format header");
	if (r && r[0] == 0x99) {
		/* Eight one-byte signature packets before the revocation. */
		klen = 3 + ((size_t)r[1] << 8 | r[2]);
		memcpy(b, r, klen);
		for (i = 0; i < 8; i++)
			memcpy(b + klen + 3 * i, "\xc2\x01\x04", 3);
		memcpy(b + klen + 24, r + klen, len - klen);
		case_check(pgp_parse_cert(b, len + 24, &cert, &err) == -EBADMSG,
			  "rc %d: %s", err.err, err.msg);
		case_check(strstr(err.msg, "more than 8 signatures"), "%s", err.msg);
	}
	case_end("- pgp: junk signatures cannot push a revocation out of sight");

	case_begin();
	memset(&err, 0, sizeof(err));
	if (r && r[0] == 0x99) {
		/* The revocation follows the key; make its first subpacket critical and unknown. */
		klen = 3 + ((size_t)r[1] << 8 | r[2]);
		memcpy(b, r, len);
		case_check(b[klen] == 0x89 && b[klen + 3] == 4 && b[klen + 4] == 0x20,
			  "revocation expected right after the key");
		b[klen + 3 + 7] = 0x80 | 100;
		case_check(!pgp_parse_cert(b, len, &cert, &err), "%s", err.msg);
		case_check(pgp_select_signer(&cert, ossl_verify, NULL, &signer, &err) ==
			  -EKEYREJECTED, "rc %d", err.err);
		case_check(strstr(err.msg, "revocation that sigil cannot check"), "%s", err.msg);
	}
	case_end("- pgp: a revocation that cannot be checked refuses the key");
	free(r);
}

/* The data signature checks that need no tool: hash and type refusals. */
static void test_sig_policy(void)
{
	struct pgp_error err = { 0 };
	struct pgp_packet pkt;
	struct pgp_sig sig;
	size_t slen, pos = 0;
	u8 *s = slurp("gpg-rsa2048-SHA256.sig", &slen);

	case_begin();
	case_check(s && !pgp_read_packet(s, slen, &pos, &pkt, &err), "fixture");
	if (s) {
		u8 *body = (u8 *)pkt.body;

		body[3] = PGP_HASH_SHA1;
		case_check(!pgp_parse_sig(body, pkt.len, &sig, &err), "%s", err.msg);
		case_check(pgp_check_data_sig(&sig, &err) == -EKEYREJECTED, "rc %d", err.err);
		case_check(strstr(err.msg, "SHA-1 signatures are refused"), "%s", err.msg);
		memset(&err, 0, sizeof(err));
		body[3] = PGP_HASH_MD5;
		pgp_parse_sig(body, pkt.len, &sig, &err);
		case_check(pgp_check_data_sig(&sig, &err) == -EKEYREJECTED, "MD5 accepted");
		memset(&err, 0, sizeof(err));
		body[3] = PGP_HASH_SHA256;
		body[1] = 0x13;		/* a certification, not a data signature */
		pgp_parse_sig(body, pkt.len, &sig, &err);
		case_check(pgp_check_data_sig(&sig, &err) == -EKEYREJECTED, "certification accepted");
		case_check(strstr(err.msg, "does not sign data"), "%s", err.msg);
	}
	case_end("- pgp: SHA-1, MD5 and non-data signature types are refused by name");
	free(s);

	/* Set the critical bit on the last hashed subpacket of an sq signature. */
	case_begin();
	memset(&err, 0, sizeof(err));
	pos = 0;
	s = slurp("sq-rsa3k.sig", &slen);
	case_check(s && !pgp_read_packet(s, slen, &pos, &pkt, &err), "fixture");
	if (s) {
		u8 *body = (u8 *)pkt.body;
		size_t p = 6, end = 6 + ((size_t)body[4] << 8 | body[5]), type_at = 0;

		while (p < end) {	/* every subpacket here has a one-octet length */
			if (body[p + 1] == 20)	/* the salt notation, non-critical */
				type_at = p + 1;
			p += 1 + body[p];
		}
		case_check(type_at, "sq signature has a notation subpacket");
		body[type_at] |= 0x80;
		case_check(pgp_parse_sig(body, pkt.len, &sig, &err) == -EKEYREJECTED,
			  "rc %d", err.err);
		case_check(strstr(err.msg, "unknown critical subpacket type 20"), "%s", err.msg);
	}
	case_end("- pgp: an unknown critical subpacket voids the signature");
	free(s);
}

/* A subkey grafted from another certificate must not become the signer. */
static void test_grafted_subkey(void)
{
	static struct pgp_cert victim, donor, grafted;
	char victim_signer[2 * PGP_FPR_SIZE + 1], expect[2 * PGP_FPR_SIZE + 1];
	const struct pgp_key *signer = signer_of("sq-rsa3k");
	struct pgp_error err = { 0 };
	size_t vlen, dlen, off;
	u8 *v = slurp("sq-rsa3k.pgp", &vlen), *d = slurp("gpg-rsa3072-sub-p256.pgp", &dlen);
	static u8 b[16384];

	case_begin();
	case_check(v && d && signer, "fixtures");
	if (signer)
		hex_of(signer->fpr, PGP_FPR_SIZE, expect);
	if (v && d && signer && !pgp_parse_cert(v, vlen, &victim, &err) &&
	    !pgp_parse_cert(d, dlen, &donor, &err)) {
		/* The donor's last subkey and its binding, appended to the victim. */
		off = donor.sub[donor.nsub - 1].offset;
		memcpy(b, v, vlen);
		memcpy(b + vlen, d + off, dlen - off);
		case_check(!pgp_parse_cert(b, vlen + dlen - off, &grafted, &err), "%s", err.msg);
		case_check(grafted.nsub == victim.nsub + 1, "subkeys %u", grafted.nsub);
		case_check(!pgp_select_signer(&grafted, ossl_verify, NULL, &signer, &err),
			  "%s", err.msg);
		case_check(signer && memcmp(signer->fpr, donor.sub[donor.nsub - 1].key.fpr,
					   PGP_FPR_SIZE),
			  "the grafted subkey was chosen");
		hex_of(signer->fpr, PGP_FPR_SIZE, victim_signer);
		case_check(!strcmp(victim_signer, expect), "signer %s, want the victim's %s",
			  victim_signer, expect);
		case_check(grafted.sub[grafted.nsub - 1].skipped &&
			  strstr(grafted.sub[grafted.nsub - 1].skipped, "no binding signature"),
			  "grafted subkey skipped for: %s",
			  grafted.sub[grafted.nsub - 1].skipped ?: "(nothing)");
	}
	case_end("- pgp: a subkey grafted from another key is not used (its binding does not verify)");
	free(v);
	free(d);
}

static void test_armor(void)
{
	struct pgp_error err = { 0 };
	size_t alen, blen, len, pos = 0;
	char *a = (char *)slurp("gpg-nistp256.asc", &alen);
	u8 *bin = slurp("gpg-nistp256.pgp", &blen), *out = malloc(alen + 1);

	case_begin();
	case_check(a && bin, "fixtures");
	if (a && bin) {
		case_check(!pgp_dearmor(a, alen, &pos, "PGP PUBLIC KEY BLOCK", out, alen,
				       &len, &err), "%s", err.msg);
		case_check(len == blen && !memcmp(out, bin, len), "armored and binary differ");
		case_check(pgp_dearmor(a, alen, &pos, "PGP PUBLIC KEY BLOCK", out, alen,
				      &len, &err) == -ENOENT, "a second block found");
		/* Damage one base64 character of the body: the CRC catches it. */
		pos = 0;
		a[strstr(a, "\n\n") - a + 10] ^= 0x01;
		case_check(pgp_dearmor(a, alen, &pos, "PGP PUBLIC KEY BLOCK", out, alen,
				      &len, &err) == -EBADMSG, "damage not detected");
	}
	case_end("- pgp: ASCII armor decodes to the binary export; a damaged block is caught");
	free(a);
	free(bin);
	free(out);
}

int main(int argc, char **argv)
{
	char path[1024], line[1024];
	FILE *m;

	if (argc < 2) {
		fprintf(stderr, "usage: %s PGP_FIXTURE_DIR [SIG_FIXTURE_DIR]\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	snprintf(path, sizeof(path), "%s/manifest", dir);
	m = fopen(path, "r");
	if (!m) {
		fprintf(stderr, "%s: no manifest; run selftests/fixtures/pgp-fixtures\n", path);
		return 2;
	}
	ksft_print_header();
	while (fgets(line, sizeof(line), m)) {
		char kind[8], a[128], b[128], c[128], d[128], e[128], f[128];
		int n = sscanf(line, "%7s %127s %127s %127s %127s %127s %127s",
			       kind, a, b, c, d, e, f);

		if (n == 5 && !strcmp(kind, "key")) {
			key_case(a, b, c, d);
		} else if (n >= 5 && !strcmp(kind, "bad")) {
			char *msg = strstr(line, d);

			msg[strcspn(msg, "\n")] = '\0';
			bad_case(a, b, c, msg);
		} else if (n == 7 && !strcmp(kind, "sig")) {
			sig_case(a, b, c, d, e, f);
		}
	}
	fclose(m);
	test_rfc9580_vectors();
	test_crafted();
	test_sig_policy();
	test_revocation_tricks();
	test_grafted_subkey();
	test_armor();
	case_begin();
	case_check(verify_calls > 0, "no signature was ever verified");
	case_end("- pgp: %d signatures were checked cryptographically", verify_calls);
	cases_done();
}
