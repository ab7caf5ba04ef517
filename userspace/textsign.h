/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signing a text in a form the kernel takes (policy_sign.c): the options
 * and the signers that policy sign and manifest sign share; and checking
 * one against given keys (text_verify.c).
 */
#ifndef _SIGILCTL_TEXTSIGN_H
#define _SIGILCTL_TEXTSIGN_H

#include "signed.h"
#include "sigilctl.h"

/**
 * struct sign_opts - what to sign, how, and where to
 * @cmd: the command, "policy sign", for messages
 * @what: what it signs, "policy", for messages
 * @file: the text to sign
 * @out: where the signed message goes; "-" for standard output
 * @key: --key: the X.509 private key (PKCS#7)
 * @cert: --cert: its certificate
 * @pgp_key: --pgp-key: the secret key gpg signs with, or NULL
 * @pkcs7: sign with OpenSSL
 * @pgp: sign with gpg
 * @container: --detached-container: the SIGILP7 container, whatever the size
 */
struct sign_opts {
	const char *cmd;
	const char *what;
	const char *file;
	const char *out;
	const char *key;
	const char *cert;
	const char *pgp_key;
	bool pkcs7;
	bool pgp;
	bool container;
};

/**
 * struct signed_out - a signed message that was made
 * @buf: the message, malloc()ed
 * @len: its length
 * @form: its envelope
 * @signer: the signer, as policies/<name>/signer shows it
 */
struct signed_out {
	u8 *buf;
	size_t len;
	enum sigil_msg_form form;
	char signer[2 * 64 + 16];
};

int parse_sign_opts(int argc, char **argv, struct sign_opts *o);
int text_sign(const struct sign_opts *o, const u8 *text, size_t len,
	      struct signed_out *res);

/*
 * text_verify.c: checking a signed policy or manifest against the keys of
 * --keys (load_key_file()), set when some were given.
 */
struct mf_text;
extern bool text_keys_given;
int text_check_signature(const char *file, const struct mf_text *t);

#endif /* _SIGILCTL_TEXTSIGN_H */
