// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signed policies: verify what was written to new_policy or update, and
 * hand back the policy text with the identity of the key that signed it.
 * PKCS#7 (attached, or detached in the SIGILP7 container) is checked by
 * the kernel's PKCS#7 code against the keyrings chosen in Kconfig;
 * OpenPGP messages against .sigil, where OpenPGP keys live.
 */

#include "sigil.h"
#include "lifecycle.h"
#include "keyring.h"
#include "signature.h"

#include <keys/asymmetric-type.h>
#include <linux/slab.h>
#include <linux/verification.h>

#include "pgp_kernel.h"
#include "signed.h"

/* The kernel's ASN.1 decoder takes at most this much (lib/asn1_decoder.c). */
#define SIGIL_ASN1_MAX		65535

static __printf(3, 4) int why(struct sigil_policy_text *pt, int rc,
			      const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(pt->why, sizeof(pt->why), fmt, ap);
	va_end(ap);
	return rc;
}

static void hex_id(char *out, size_t size, const char *label, const u8 *id,
		   size_t len)
{
	size_t n = scnprintf(out, size, "%s:", label);

	while (len-- && n + 3 <= size)
		n += scnprintf(out + n, size - n, "%02x", *id++);
}

/* ---- PKCS#7 ---- */

#ifdef CONFIG_SYSTEM_DATA_VERIFICATION

static int keep_content(void *ctx, const void *data, size_t len,
			size_t asn1hdrlen)
{
	struct sigil_policy_text *pt = ctx;

	pt->text = kvmemdup(data, len, GFP_KERNEL);
	if (!pt->text)
		return -ENOMEM;
	pt->len = len;
	return 0;
}

/**
 * struct pkcs7_keyring - a keyring that Kconfig trusts for PKCS#7 policies
 * @ring: the keyring as verify_pkcs7_signature() takes it
 * @sigil: .sigil, whose pointer is known only at run time
 * @name: its name, for messages
 */
struct pkcs7_keyring {
	struct key *ring;
	bool sigil;
	const char *name;
};

/* The keyrings Kconfig trusts for PKCS#7, in the order they are tried. */
static const struct pkcs7_keyring pkcs7_keyrings[] = {
#ifdef CONFIG_SIGIL_POLICY_KEYRING_SIGIL
	{ .sigil = true, .name = ".sigil" },
#endif
#ifdef CONFIG_SIGIL_POLICY_KEYRING_SECONDARY
	/* builtin and secondary */
	{ .ring = VERIFY_USE_SECONDARY_KEYRING, .name = ".secondary_trusted_keys" },
#elif defined(CONFIG_SIGIL_POLICY_KEYRING_BUILTIN)
	{ .ring = NULL, .name = ".builtin_trusted_keys" },
#endif
};

/* Who signed: the key in .sigil when it is there, else what the message says. */
static void pkcs7_signer(const u8 *der, size_t len, bool in_sigil,
			 struct sigil_policy_text *pt)
{
	struct asymmetric_key_id *id;
	struct pkcs7_signer_id sid;
	struct sigil_signer s;
	struct pgp_error err = { 0 };
	struct key *key;

	if (pkcs7_signer_id(der, len, &sid, &err))
		return;
	if (sid.skid)
		id = asymmetric_key_generate_id(sid.skid, sid.skid_len, NULL, 0);
	else
		id = asymmetric_key_generate_id(sid.serial, sid.serial_len,
						sid.issuer, sid.issuer_len);
	if (in_sigil && !IS_ERR(id)) {
		key = find_asymmetric_key(sigil_keyring, id, NULL, NULL, false);
		if (!IS_ERR(key)) {
			sigil_signer_of_key(key, &s);
			key_put(key);
			if (s.nids) {
				hex_id(pt->signer, sizeof(pt->signer), "x509-skid",
				       s.id[0], s.len[0]);
				kfree(id);
				return;
			}
		}
	}
	if (!IS_ERR(id)) {
		hex_id(pt->signer, sizeof(pt->signer),
		       sid.skid ? "x509-skid" : "x509-serial",
		       sid.skid ? sid.skid : sid.serial,
		       sid.skid ? sid.skid_len : sid.serial_len);
		kfree(id);
	}
}

static int open_pkcs7(const struct sigil_msg *m, struct sigil_policy_text *pt)
{
	struct pgp_error err = { 0 };
	struct pkcs7_signer_id sid;
	const void *data = NULL;
	size_t data_len = 0;
	unsigned int i;
	int rc = -ENOKEY;

	if (!ARRAY_SIZE(pkcs7_keyrings))
		return why(pt, -ENOKEY,
			   "this kernel trusts no keyring for PKCS#7-signed %ss",
			   pt->what);
	if (m->sig_len > SIGIL_ASN1_MAX && m->form == SIGIL_MSG_PKCS7)
		return why(pt, -EMSGSIZE,
			   "a PKCS#7 message of %zu bytes: the kernel parses at most %u; use the SIGILP7 container (detached signature) or OpenPGP",
			   m->sig_len, SIGIL_ASN1_MAX);
	if (m->sig_len > SIGIL_ASN1_MAX)
		return why(pt, -EMSGSIZE,
			   "a PKCS#7 signature of %zu bytes: the kernel parses at most %u",
			   m->sig_len, SIGIL_ASN1_MAX);
	/*
	 * The kernel trusts a message when any one signer verifies; with one
	 * signer, the signer shown is the one that verified.
	 */
	rc = pkcs7_signer_id(m->sig, m->sig_len, &sid, &err);
	if (rc)
		return why(pt, rc, "PKCS#7: %s", err.msg);
	if (sid.signers != 1)
		return why(pt, -EOPNOTSUPP,
			   "a PKCS#7 message with %u signers: sign with one key",
			   sid.signers);
	if (m->form == SIGIL_MSG_PKCS7_DETACHED && sid.content)
		return why(pt, -EBADMSG,
			   "the PKCS#7 signature in the SIGILP7 container is not detached: it carries a %s of its own (sign without -nodetach)",
			   pt->what);
	if (m->form == SIGIL_MSG_PKCS7_DETACHED) {
		data = m->text;
		data_len = m->text_len;
	}

	for (i = 0; i < ARRAY_SIZE(pkcs7_keyrings); i++) {
		const struct pkcs7_keyring *k = &pkcs7_keyrings[i];
		bool in_sigil = k->sigil;
		struct key *ring = in_sigil ? sigil_keyring : k->ring;

		if (in_sigil && !ring)
			continue;
		rc = verify_pkcs7_signature(data, data_len, m->sig, m->sig_len,
					    ring, VERIFYING_UNSPECIFIED_SIGNATURE,
					    data ? NULL : keep_content, pt);
		if (!rc) {
			pkcs7_signer(m->sig, m->sig_len, in_sigil, pt);
			if (data) {
				pt->text = kvmemdup(data, data_len, GFP_KERNEL);
				if (!pt->text)
					return -ENOMEM;
				pt->len = data_len;
			}
			return 0;
		}
		kvfree(pt->text);
		pt->text = NULL;
		if (rc != -ENOKEY)
			break;
	}
	switch (rc) {
	case -ENOKEY:
		return why(pt, rc, "the PKCS#7 signer is not in %s%s",
			   pkcs7_keyrings[0].name,
			   ARRAY_SIZE(pkcs7_keyrings) > 1 ?
			   " nor the kernel's trusted keyrings" : "");
	case -EKEYREJECTED:
	case -EBADMSG:
	case -EINVAL:
		/*
		 * The kernel's RSA code answers -EINVAL, and its padding
		 * check -EBADMSG, for a signature value that was changed.
		 */
		return why(pt, -EKEYREJECTED,
			   "the PKCS#7 signature does not verify: the %s or its signature was changed",
			   pt->what);
	case -ENODATA:
		return why(pt, -EBADMSG,
			   "the PKCS#7 message carries no %s: sign with -nodetach, or use the SIGILP7 container",
			   pt->what);
	default:
		return why(pt, rc, "the PKCS#7 message was refused (%d)", rc);
	}
}

#else

static int open_pkcs7(const struct sigil_msg *m, struct sigil_policy_text *pt)
{
	return why(pt, -EOPNOTSUPP,
		   "PKCS#7 needs CONFIG_SYSTEM_DATA_VERIFICATION in this kernel");
}

#endif /* CONFIG_SYSTEM_DATA_VERIFICATION */

/* ---- OpenPGP ---- */

struct pgp_gather {
	struct sigil_pgp_verifier *v;
	char *out;
	size_t len;
	int rc;
};

static void pgp_piece(void *ctx, const u8 *data, size_t len)
{
	struct pgp_gather *g = ctx;

	memcpy(g->out + g->len, data, len);
	g->len += len;
	if (!g->rc)
		g->rc = sigil_pgp_verify_update(g->v, data, len);
}

static int open_pgp(const u8 *buf, const struct sigil_msg *m,
		    struct sigil_policy_text *pt)
{
	struct pgp_gather g = { 0 };
	struct sigil_signer s;
	struct pgp_error err = { 0 };
	struct key *key;
	int rc;

	if (!IS_ENABLED(CONFIG_SIGIL_POLICY_KEYRING_SIGIL) || !sigil_keyring)
		return why(pt, -ENOKEY,
			   "OpenPGP-signed %ss are verified against .sigil, which this kernel does not trust for them",
			   pt->what);
	g.v = sigil_pgp_verify_begin(sigil_keyring, m->sig, m->sig_len, &err);
	if (IS_ERR(g.v))
		return why(pt, PTR_ERR(g.v), "OpenPGP signature: %s",
			   err.msg[0] ? err.msg : "cannot start verifying");
	g.out = kvmalloc(m->text_len ? m->text_len : 1, GFP_KERNEL);
	if (!g.out) {
		sigil_pgp_verify_abort(g.v);
		return -ENOMEM;
	}
	sigil_msg_text(buf, m, pgp_piece, &g);
	if (g.rc) {
		sigil_pgp_verify_abort(g.v);
		kvfree(g.out);
		return why(pt, g.rc, "OpenPGP signature: hashing failed (%d)", g.rc);
	}
	rc = sigil_pgp_verify_final(g.v, &key, &err);
	if (rc) {
		kvfree(g.out);
		if (rc == -EKEYREJECTED)
			return why(pt, rc,
				   "the OpenPGP signature does not verify: the %s or its signature was changed (%s)",
				   pt->what, err.msg);
		return why(pt, rc, "OpenPGP signature: %s", err.msg);
	}
	sigil_signer_of_key(key, &s);
	key_put(key);
	pt->text = g.out;
	pt->len = g.len;
	if (s.nids)
		hex_id(pt->signer, sizeof(pt->signer), "openpgp", s.id[0], s.len[0]);
	return 0;
}

/**
 * sigil_policy_open() - verify a policy or manifest write and take out
 *			 its text
 * @buf: the complete write
 * @len: its length
 * @what: "policy" or "manifest", for messages
 * @pt: the text, in a kvmalloc()ed buffer the caller owns, the signer,
 *	or why it was refused
 *
 * Return:
 * * %0			- @pt->text holds the policy, signed by @pt->signer
 * * %-EBADMSG		- malformed, or unsigned on a kernel that takes only
 *			  signed policies
 * * %-EOPNOTSUPP	- a form sigil does not take (compressed, armored...)
 * * %-ENOKEY		- the signer is in no trusted keyring
 * * %-EKEYREJECTED	- the signature does not verify
 * * %-EMSGSIZE		- an attached PKCS#7 message over 64 KiB
 * * %-ENOMEM		- out of memory
 * * %-errno		- other errors from the kernel's crypto and keys
 *
 * On every error, @pt->why says what was wrong and where.
 */
int sigil_policy_open(const u8 *buf, size_t len, const char *what,
		      struct sigil_policy_text *pt)
{
	struct pgp_error err;
	struct sigil_msg m;
	int rc;

	memset(pt, 0, sizeof(*pt));
	pt->what = what;
	rc = sigil_msg_parse(buf, len, &m, &err);
	if (rc == -EAGAIN)
		return why(pt, -EBADMSG,
			   "the signed %s is incomplete: %zu bytes, at least %zu expected",
			   what, len, m.size);
	if (rc)
		return why(pt, rc, "byte %u: %s", err.offset, err.msg);
	pt->form = m.form;

	switch (m.form) {
	case SIGIL_MSG_TEXT:
		if (!IS_ENABLED(CONFIG_SIGIL_UNSIGNED_POLICY))
			return why(pt, -EBADMSG,
				   "it is not signed, and this kernel was built without CONFIG_SIGIL_UNSIGNED_POLICY");
		pt->text = kvmemdup(buf, len, GFP_KERNEL);
		if (!pt->text)
			return -ENOMEM;
		pt->len = len;
		strscpy(pt->signer, "unsigned", sizeof(pt->signer));
		return 0;
	case SIGIL_MSG_PKCS7:
	case SIGIL_MSG_PKCS7_DETACHED:
		return open_pkcs7(&m, pt);
	case SIGIL_MSG_PGP:
		return open_pgp(buf, &m, pt);
	}
	return -EINVAL;
}
