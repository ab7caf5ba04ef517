// SPDX-License-Identifier: GPL-2.0-only
/*
 * The "pgp" asymmetric key parser: an OpenPGP transferable public key
 * becomes a kernel key holding the key that signs, so that
 *   keyctl padd asymmetric "" %keyring:.sigil < key.pgp
 * works.  Built into sigil, or as the module sigil_pgp for other kernels.
 */

#define pr_fmt(fmt) "pgp: " fmt

#include <crypto/public_key.h>
#include <keys/asymmetric-parser.h>
#include <keys/asymmetric-subtype.h>
#include <linux/module.h>
#include <linux/slab.h>

#include "pgp_kernel.h"

/* "user ID: KEYID", with anything but printable ASCII in the ID dropped. */
static char *describe(const struct pgp_cert *cert, const struct pgp_key *signer)
{
	char id[2 * PGP_KEYID_SIZE + 1], uid[65];
	unsigned int i, n = 0;

	pgp_fpr_hex(signer->keyid, PGP_KEYID_SIZE, id);
	for (i = 0; i < cert->uid_len && n < sizeof(uid) - 1; i++)
		if (cert->uid[i] >= 0x20 && cert->uid[i] < 0x7f)
			uid[n++] = cert->uid[i];
	uid[n] = '\0';
	return n ? kasprintf(GFP_KERNEL, "%s: %s", uid, id) :
		   kasprintf(GFP_KERNEL, "PGP key %s", id);
}

static struct asymmetric_key_ids *key_ids(const struct pgp_cert *cert,
					  const struct pgp_key *signer)
{
	struct asymmetric_key_ids *kids = kzalloc(sizeof(*kids), GFP_KERNEL);
	unsigned int i;

	if (!kids)
		return NULL;
	kids->id[0] = asymmetric_key_generate_id(signer->fpr, PGP_FPR_SIZE,
						 NULL, 0);
	kids->id[1] = asymmetric_key_generate_id(signer->keyid, PGP_KEYID_SIZE,
						 NULL, 0);
	if (signer != &cert->primary)
		kids->id[2] = asymmetric_key_generate_id(cert->primary.fpr,
							 PGP_FPR_SIZE, NULL, 0);
	for (i = 0; i < ARRAY_SIZE(kids->id); i++) {
		if (IS_ERR(kids->id[i])) {
			kids->id[i] = NULL;
			goto out_free;
		}
	}
	if (kids->id[0] && kids->id[1])
		return kids;
out_free:
	for (i = 0; i < ARRAY_SIZE(kids->id); i++)
		kfree(kids->id[i]);
	kfree(kids);
	return NULL;
}

static void log_skipped(const struct pgp_cert *cert)
{
	char id[2 * PGP_KEYID_SIZE + 1];
	unsigned int i;

	for (i = 0; i < cert->nsub; i++) {
		const struct pgp_subkey *sub = &cert->sub[i];

		if (!sub->skipped || !strcmp(sub->skipped, "not a signing subkey"))
			continue;
		pgp_fpr_hex(sub->key.keyid, PGP_KEYID_SIZE, id);
		pr_notice("subkey %s is not used: %s\n", id, sub->skipped);
	}
}

/*
 * Say why OpenPGP input that is no public key is refused: an OpenPGP secret
 * key, an armored key, packets that do not start with a key.  Anything
 * else may be X.509, which the next parser tries.
 */
static void log_not_cert(const u8 *data, size_t len)
{
	static const char armor[] = "-----BEGIN PGP ";
	u8 b = len ? data[0] : 0;
	unsigned int tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;

	if ((b & 0x80) && tag == PGP_TAG_SECRET_KEY)
		pr_warn("key refused: this is a secret key: load the public key (gpg --export, or sq key extract-cert) (byte 0)\n");
	else if (len >= sizeof(armor) - 1 && !memcmp(data, armor, sizeof(armor) - 1))
		pr_warn("key refused: an armored OpenPGP key: add its binary form (gpg --dearmor) (byte 0)\n");
	else if ((b & 0x80) && tag != PGP_TAG_PUBLIC_KEY)
		/* DER starts with 0x30: a set top bit is an OpenPGP packet. */
		pr_warn("key refused: OpenPGP packets that start with a packet of tag %u, not a public key (tag 6) (byte 0)\n",
			tag);
}

/*
 * Parse an add_key() payload.  Input that does not start with a public key
 * packet is not OpenPGP: -EBADMSG lets the next parser (X.509) try it.
 * OpenPGP input that is refused says why in the kernel log.
 */
static int pgp_key_parse(struct key_preparsed_payload *prep)
{
	struct asymmetric_key_ids *kids = NULL;
	const struct pgp_key *signer;
	struct pgp_error err = { 0 };
	struct public_key *pub = NULL;
	struct pgp_cert *cert;
	char *desc = NULL;
	int rc;

	if (!pgp_is_cert(prep->data, prep->datalen)) {
		log_not_cert(prep->data, prep->datalen);
		return -EBADMSG;
	}
	cert = kmalloc(sizeof(*cert), GFP_KERNEL);
	if (!cert)
		return -ENOMEM;

	rc = pgp_parse_cert(prep->data, prep->datalen, cert, &err);
	if (!rc && cert->len != prep->datalen)
		rc = pgp_fail(&err, -EBADMSG, cert->len,
			      "more than one key: add the keys of a keyring one at a time");
	if (!rc)
		rc = pgp_select_signer(cert, sigil_pgp_check_spans, NULL,
				       &signer, &err);
	if (rc) {
		pr_warn("key refused: %s (byte %u)\n", err.msg, err.offset);
		goto out;
	}
	log_skipped(cert);

	pub = sigil_pgp_public_key(signer);
	if (IS_ERR(pub)) {
		rc = PTR_ERR(pub);
		pub = NULL;
		goto out;
	}
	kids = key_ids(cert, signer);
	desc = describe(cert, signer);
	if (!kids || !desc) {
		rc = -ENOMEM;
		goto out;
	}

	__module_get(public_key_subtype.owner);
	prep->payload.data[asym_subtype] = &public_key_subtype;
	prep->payload.data[asym_key_ids] = kids;
	prep->payload.data[asym_crypto] = pub;
	prep->payload.data[asym_auth] = NULL;
	prep->description = desc;
	prep->quotalen = 100;
	kids = NULL;
	pub = NULL;
	desc = NULL;
out:
	kfree(desc);
	if (kids) {
		kfree(kids->id[0]);
		kfree(kids->id[1]);
		kfree(kids->id[2]);
		kfree(kids);
	}
	public_key_free(pub);
	kfree(cert);
	return rc;
}

static struct asymmetric_key_parser pgp_key_parser = {
	.owner = THIS_MODULE,
	.name = "pgp",
	.parse = pgp_key_parse,
};

#ifdef MODULE
static int __init pgp_key_parser_init(void)
{
	return register_asymmetric_key_parser(&pgp_key_parser);
}

static void __exit pgp_key_parser_exit(void)
{
	unregister_asymmetric_key_parser(&pgp_key_parser);
}

module_init(pgp_key_parser_init);
module_exit(pgp_key_parser_exit);
MODULE_DESCRIPTION("OpenPGP public key parser for asymmetric keys (sigil)");
MODULE_LICENSE("GPL");
#else
/**
 * sigil_pgp_parser_init() - register the parser when built into sigil
 *
 * Return: 0, or -EEXIST when a parser named "pgp" is already registered.
 */
int __init sigil_pgp_parser_init(void)
{
	return register_asymmetric_key_parser(&pgp_key_parser);
}
#endif
