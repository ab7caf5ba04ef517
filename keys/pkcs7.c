// SPDX-License-Identifier: GPL-2.0-only
/*
 * The signer identifier of a PKCS#7 SignedData message (RFC 2315, 5652):
 * just enough DER to find the first SignerInfo's sid.  The kernel verifies
 * the message itself; this only tells which key it used.
 */

#include "filesig.h"

static const u8 oid_signed_data[] = {
	0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

struct tlv {
	u8 tag;
	const u8 *val;
	size_t len;
};

/* Read the element at *@p, definite lengths only; advance past it. */
static int next(const u8 **p, const u8 *end, struct tlv *t)
{
	size_t n, len = 0;

	if (end - *p < 2)
		return -EBADMSG;
	t->tag = *(*p)++;
	n = *(*p)++;
	if (n & 0x80) {
		n &= 0x7f;
		if (!n || n > 4 || (size_t)(end - *p) < n)
			return -EBADMSG;	/* indefinite, or too long */
		while (n--)
			len = len << 8 | *(*p)++;
	} else {
		len = n;
	}
	if (len > (size_t)(end - *p))
		return -EBADMSG;
	t->val = *p;
	t->len = len;
	*p += len;
	return 0;
}

/* Enter element @want of the current level: *@p and *@end become its value. */
static int enter(const u8 **p, const u8 **end, u8 want)
{
	struct tlv t;

	if (next(p, *end, &t) || t.tag != want)
		return -EBADMSG;
	*p = t.val;
	*end = t.val + t.len;
	return 0;
}

/**
 * pkcs7_signer_id() - find who signed a DER PKCS#7 SignedData message
 * @der: the message
 * @len: its length
 * @id: the first signer's identifier, the number of signers, and whether
 *	certificates and content are attached
 * @err: why it was refused
 *
 * Return: 0, or -EBADMSG for anything but DER SignedData with a signer.
 */
int pkcs7_signer_id(const u8 *der, size_t len, struct pkcs7_signer_id *id,
		    struct pgp_error *err)
{
	const u8 *p = der, *end = der + len, *name_end, *first, *set_end;
	unsigned int signers = 0;
	bool certs = false;
	struct tlv t, c;
	const u8 *q;

	memset(id, 0, sizeof(*id));
	/* ContentInfo { contentType, [0] EXPLICIT SignedData } */
	if (enter(&p, &end, 0x30) || next(&p, end, &t) || t.tag != 0x06 ||
	    t.len != sizeof(oid_signed_data) ||
	    memcmp(t.val, oid_signed_data, sizeof(oid_signed_data)) ||
	    enter(&p, &end, 0xa0) || enter(&p, &end, 0x30))
		goto malformed;
	/* SignedData { version, digestAlgorithms, encapContentInfo,
	 * [0] certificates OPTIONAL, [1] crls OPTIONAL, signerInfos }
	 */
	if (next(&p, end, &t) || t.tag != 0x02 ||
	    next(&p, end, &t) || t.tag != 0x31 ||
	    next(&p, end, &t) || t.tag != 0x30)
		goto malformed;
	/* encapContentInfo { eContentType, [0] EXPLICIT eContent OPTIONAL } */
	q = t.val;
	if (next(&q, t.val + t.len, &c) || c.tag != 0x06)
		goto malformed;
	id->content = q < t.val + t.len;
	do {
		if (next(&p, end, &t))
			goto malformed;
		certs |= t.tag == 0xa0;
	} while (t.tag == 0xa0 || t.tag == 0xa1);
	if (t.tag != 0x31)
		goto malformed;
	/* Count the SignerInfos, then read the first. */
	first = t.val;
	set_end = t.val + t.len;
	for (p = first; p < set_end; signers++)
		if (next(&p, set_end, &t) || t.tag != 0x30)
			goto malformed;
	if (!signers)
		goto malformed;
	id->signers = signers;
	id->certs = certs;
	/* SignerInfo { version, sid, ... } */
	p = first;
	end = set_end;
	if (enter(&p, &end, 0x30) || next(&p, end, &t) || t.tag != 0x02 ||
	    next(&p, end, &t))
		goto malformed;
	if (t.tag == 0x80) {
		id->skid = t.val;
		id->skid_len = t.len;
		return 0;
	}
	if (t.tag != 0x30)
		goto malformed;
	/* IssuerAndSerialNumber { issuer Name, serialNumber INTEGER } */
	p = t.val;
	name_end = t.val + t.len;
	if (next(&p, name_end, &t) || t.tag != 0x30)
		goto malformed;
	id->issuer = t.val;
	id->issuer_len = t.len;
	if (next(&p, name_end, &t) || t.tag != 0x02)
		goto malformed;
	id->serial = t.val;
	id->serial_len = t.len;
	return 0;

malformed:
	memset(id, 0, sizeof(*id));
	return pgp_fail(err, -EBADMSG, 0,
			"not a DER PKCS#7 SignedData message with a signer");
}

/**
 * pkcs7_file_signer_check() - may @id sign a file?
 * @id: from pkcs7_signer_id()
 * @err: why not
 *
 * The kernel trusts a PKCS#7 message when any of its signers verifies,
 * possibly through a certificate it carries; a file's signer= must be the
 * key that verified, so only one signer and no certificates are taken.
 *
 * Return: 0, or -EKEYREJECTED.
 */
int pkcs7_file_signer_check(const struct pkcs7_signer_id *id,
			    struct pgp_error *err)
{
	if (id->signers != 1)
		return pgp_fail(err, -EKEYREJECTED, 0,
				"the PKCS#7 signature has %u signers: sign with one key",
				id->signers);
	if (id->certs)
		return pgp_fail(err, -EKEYREJECTED, 0,
				"the PKCS#7 signature carries certificates: sign without them (the key must be in .sigil)");
	return 0;
}
