// SPDX-License-Identifier: GPL-2.0-only
/*
 * The signature of a policy or manifest, checked against the keys of
 * --keys: by policy check --keys, and by sigilctl bpf load and bpf
 * manifest, for in the BPF mode no kernel code checks it: sigilctl does,
 * here, before anything reaches the maps.  The envelopes are the ones
 * the built-in LSM takes (keys/signed.c finds text and signature); PKCS#7
 * is verified by OpenSSL, OpenPGP by the same steps as sigilctl verify.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/pkcs7.h>

#include "mf.h"
#include "textsign.h"
#include "signed.h"
#include "verify.h"

bool text_keys_given;

static void md_update(void *ctx, const u8 *buf, size_t len)
{
	EVP_DigestUpdate(ctx, buf, len);
}

/* 0 when an OpenPGP key of --keys made the signature over the text. */
static int pgp_holds(const struct mf_text *t, const struct sigil_msg *m,
		     char *signer, size_t ssize, char *why, size_t wsize)
{
	const struct pgp_sig *sig = &m->psig;
	struct pgp_error perr = { 0 };
	u8 md[EVP_MAX_MD_SIZE], sigbytes[1024], trailer[6];
	unsigned int mdlen;
	const struct vkey *k = NULL;
	EVP_MD_CTX *c;
	size_t i;
	int n;

	if (pgp_check_data_sig(sig, &perr)) {
		snprintf(why, wsize, "%s", perr.msg);
		return -EKEYREJECTED;
	}
	for (i = 0; i < nkeys && !k; i++)
		if (keys[i].signer && pgp_sig_by(sig, keys[i].signer))
			k = &keys[i];
	if (!k) {
		snprintf(why, wsize, "no OpenPGP key of --keys made the signature");
		return -ENOKEY;
	}
	c = EVP_MD_CTX_new();
	if (!c || EVP_DigestInit_ex(c, EVP_get_digestbyname(pgp_hash_name(sig->hash_algo)),
				    NULL) <= 0) {
		EVP_MD_CTX_free(c);
		snprintf(why, wsize, "OpenSSL has no %s", pgp_hash_name(sig->hash_algo));
		return -ENOPKG;
	}
	sigil_msg_text(t->buf, m, md_update, c);
	pgp_sig_trailer(sig, trailer);
	EVP_DigestUpdate(c, sig->body, 6u + sig->hashed_len);
	EVP_DigestUpdate(c, trailer, sizeof(trailer));
	EVP_DigestFinal_ex(c, md, &mdlen);
	EVP_MD_CTX_free(c);
	n = pgp_sig_to_kernel(sig, k->signer, sigbytes, sizeof(sigbytes));
	if (!pgp_quick_check(sig, md) || n < 0 ||
	    key_verify(k, pgp_hash_name(sig->hash_algo), md, mdlen, sigbytes, n)) {
		snprintf(why, wsize, "the OpenPGP signature does not verify with %.150s", k->id);
		return -EKEYREJECTED;
	}
	snprintf(signer, ssize, "%s", k->id);
	return 0;
}

/* 0 when a certificate of --keys made the PKCS#7 signature over the text. */
static int pkcs7_holds(const struct mf_text *t, const struct sigil_msg *m,
		       char *signer, size_t ssize, char *why, size_t wsize)
{
	const unsigned char *p = m->sig;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)m->sig_len);
	STACK_OF(X509) *certs = sk_X509_new_null();
	BIO *content = NULL, *out = BIO_new(BIO_s_mem());
	unsigned long e;
	size_t i;
	int rc = -EKEYREJECTED;

	for (i = 0; i < nkeys && certs; i++)
		if (keys[i].x509)
			sk_X509_push(certs, keys[i].x509);
	if (!certs || !sk_X509_num(certs)) {
		snprintf(why, wsize, "no X.509 certificate in --keys to check a PKCS#7 signature");
		rc = -ENOKEY;
		goto out;
	}
	if (m->form == SIGIL_MSG_PKCS7_DETACHED)
		content = BIO_new_mem_buf(t->text, (int)t->text_len);
	/* The signer must be one of --keys: the message's own are not trusted. */
	if (p7 && out && PKCS7_verify(p7, certs, NULL, content, out,
				      PKCS7_BINARY | PKCS7_NOVERIFY | PKCS7_NOINTERN) == 1) {
		rc = 0;
		snprintf(signer, ssize, "pkcs7");
	} else {
		e = ERR_peek_last_error();
		snprintf(why, wsize, "the PKCS#7 signature does not verify with the certificates of --keys: %s",
			 e ? ERR_reason_error_string(e) : "?");
	}
	ERR_clear_error();
out:
	BIO_free(out);
	BIO_free(content);
	PKCS7_free(p7);
	sk_X509_free(certs);
	return rc;
}

/**
 * text_check_signature() - check the signature of a policy or manifest file
 * @file: its name, for messages
 * @t: its text and envelope, from mf_read_text()
 *
 * A signed file needs --keys, and must verify against one of them; with
 * --keys, an unsigned file is refused.
 *
 * Return: EXIT_OK, or EXIT_FAIL after saying why on standard output.
 */
int text_check_signature(const char *file, const struct mf_text *t)
{
	struct pgp_error perr = { 0 };
	struct sigil_msg m;
	char why[256] = "", signer[ID_MAX] = "";
	int rc;

	if (t->form == SIGIL_MSG_TEXT) {
		if (!text_keys_given)
			return EXIT_OK;
		printf("%s: error: not signed, and --keys asks for a signature: %s\n",
		       file, strerror(EBADMSG));
		return EXIT_FAIL;
	}
	if (!text_keys_given) {
		printf("%s: error: signed (%s): give --keys with the keys to check it against; "
		       "in BPF mode sigilctl, not the kernel, checks signatures: %s\n",
		       file, sigil_msg_form_name(t->form), strerror(ENOKEY));
		return EXIT_FAIL;
	}
	rc = sigil_msg_parse(t->buf, t->len, &m, &perr);
	if (rc) {
		printf("%s: error: %s\n", file, perr.msg[0] ? perr.msg : "an incomplete signed message");
		return EXIT_FAIL;
	}
	if (m.form == SIGIL_MSG_PGP)
		rc = pgp_holds(t, &m, signer, sizeof(signer), why, sizeof(why));
	else
		rc = pkcs7_holds(t, &m, signer, sizeof(signer), why, sizeof(why));
	if (rc) {
		printf("%s: error: %s: %s\n", file, why, strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}
