/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signed policies: the envelopes a policy arrives in on sigil/new_policy
 * and policies/<name>/update.  This finds the text and the signature and
 * says when a message written in pieces is complete; the kernel verifies.
 * Plain C shared by the kernel, sigilctl, the host tests and the fuzzer.
 */
#ifndef _SIGIL_SIGNED_H
#define _SIGIL_SIGNED_H

#include "pgp.h"

/* The container for PKCS#7 with detached content. */
#define SIGIL_P7_MAGIC		"SIGILP7\n"
#define SIGIL_P7_MAGIC_LEN	8
#define SIGIL_P7_HDR_LEN	(SIGIL_P7_MAGIC_LEN + 4)

/**
 * enum sigil_msg_form - what a policy write holds
 * @SIGIL_MSG_TEXT: plain policy text, unsigned
 * @SIGIL_MSG_PKCS7: DER PKCS#7 SignedData with the text attached
 * @SIGIL_MSG_PKCS7_DETACHED: "SIGILP7\n", le32 text length, the text, then
 *	DER PKCS#7 SignedData over the text, without content
 * @SIGIL_MSG_PGP: an OpenPGP signed message: one-pass signature, literal
 *	data, signature (RFC 4880 section 11.3), uncompressed
 */
enum sigil_msg_form {
	SIGIL_MSG_TEXT,
	SIGIL_MSG_PKCS7,
	SIGIL_MSG_PKCS7_DETACHED,
	SIGIL_MSG_PGP,
};

/**
 * struct sigil_msg - a parsed policy envelope; pointers are into the input
 * @form: the envelope
 * @size: bytes the message takes; with -EAGAIN, the bytes needed so far
 *	  (a lower bound, 0 when not yet known)
 * @sig: the DER PKCS#7 message (for %SIGIL_MSG_PKCS7, the whole input), or
 *	 the OpenPGP signature packet, header included
 * @sig_len: its length
 * @text: the policy text when it is one piece (%SIGIL_MSG_TEXT,
 *	  %SIGIL_MSG_PKCS7_DETACHED, an OpenPGP literal packet without partial
 *	  lengths); NULL for %SIGIL_MSG_PKCS7, whose content the kernel's
 *	  PKCS#7 parser extracts, and for chunked literal data
 * @text_len: the length of the text; 0 for %SIGIL_MSG_PKCS7
 * @lit_offset: %SIGIL_MSG_PGP: offset of the literal data packet
 * @lit_format: %SIGIL_MSG_PGP: its format octet ('b', 't', 'u', ...)
 * @psig: %SIGIL_MSG_PGP: the parsed signature
 */
struct sigil_msg {
	enum sigil_msg_form form;
	size_t size;
	const u8 *sig;
	size_t sig_len;
	const u8 *text;
	size_t text_len;
	size_t lit_offset;
	u8 lit_format;
	struct pgp_sig psig;
};

int sigil_msg_parse(const u8 *buf, size_t len, struct sigil_msg *m,
		    struct pgp_error *err);
void sigil_msg_text(const u8 *buf, const struct sigil_msg *m,
		    pgp_update_fn fn, void *ctx);
size_t sigil_msg_text_copy(const u8 *buf, const struct sigil_msg *m, u8 *out);
const char *sigil_msg_form_name(enum sigil_msg_form form);

#endif /* _SIGIL_SIGNED_H */
