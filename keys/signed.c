// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy envelopes: plain text, PKCS#7 with attached or detached content,
 * and OpenPGP signed messages.  Every form is self-delimiting except plain
 * text, so a message written in pieces is known to be complete when its
 * last byte arrives.  Nothing is verified here.
 */

#include "signed.h"

#define PGP_TAG_ONE_PASS	4
#define PGP_TAG_COMPRESSED	8
#define PGP_TAG_LITERAL		11
/* RFC 4880 4.2.2.4: the first partial body length is at least 512. */
#define PGP_PARTIAL_MIN		512

/* What an incomplete message needs: more bytes, at least @need in all. */
static int more(struct sigil_msg *m, size_t need)
{
	m->size = need;
	return -EAGAIN;
}

/**
 * sigil_msg_form_name() - a form's name, for messages
 * @form: the form
 *
 * Return: a static string.
 */
const char *sigil_msg_form_name(enum sigil_msg_form form)
{
	switch (form) {
	case SIGIL_MSG_TEXT:
		return "unsigned";
	case SIGIL_MSG_PKCS7:
		return "pkcs7";
	case SIGIL_MSG_PKCS7_DETACHED:
		return "pkcs7-detached";
	case SIGIL_MSG_PGP:
		return "openpgp";
	}
	return "unknown";
}

/* ---- PKCS#7 ---- */

/*
 * The size of the DER element at @buf: its header and contents.  When more
 * bytes are needed to tell, *@size is 0 and *@need how many at least.
 */
static int der_size(const u8 *buf, size_t len, size_t base, size_t *size,
		    size_t *need, struct pgp_error *err)
{
	size_t n, i, clen = 0;

	*size = 0;
	*need = 2;
	if (len < 2)
		return 0;
	if (buf[0] != 0x30)
		return pgp_fail(err, -EBADMSG, base,
				"not a DER PKCS#7 message: it does not start with a SEQUENCE");
	n = buf[1];
	if (n == 0x80)
		return pgp_fail(err, -EOPNOTSUPP, base,
				"PKCS#7 in BER with indefinite lengths: sign with 'openssl smime -sign -binary -outform der' (no -stream)");
	if (n < 0x80) {
		*size = 2 + n;
		return 0;
	}
	n &= 0x7f;
	if (n > 4)
		return pgp_fail(err, -EBADMSG, base,
				"PKCS#7 length of %zu octets is too long", n);
	*need = 2 + n;
	if (len < 2 + n)
		return 0;
	for (i = 0; i < n; i++)
		clen = clen << 8 | buf[2 + i];
	if (clen > (size_t)-1 / 2)
		return pgp_fail(err, -EFBIG, base,
				"a PKCS#7 message of %zu bytes", clen);
	*size = 2 + n + clen;
	return 0;
}

static int parse_pkcs7(const u8 *buf, size_t len, struct sigil_msg *m,
		       struct pgp_error *err)
{
	size_t size, need;
	int rc;

	rc = der_size(buf, len, 0, &size, &need, err);
	if (rc)
		return rc;
	if (!size || len < size)
		return more(m, size ? size : need);
	if (len > size)
		return pgp_fail(err, -EBADMSG, size,
				"%zu bytes after the end of the PKCS#7 message",
				len - size);
	m->form = SIGIL_MSG_PKCS7;
	m->size = size;
	m->sig = buf;
	m->sig_len = size;
	return 0;
}

static int parse_pkcs7_detached(const u8 *buf, size_t len,
				struct sigil_msg *m, struct pgp_error *err)
{
	size_t text_len, at, size, need;
	int rc;

	if (len < SIGIL_P7_HDR_LEN)
		return more(m, SIGIL_P7_HDR_LEN);
	text_len = (size_t)buf[8] | (size_t)buf[9] << 8 |
		   (size_t)buf[10] << 16 | (size_t)buf[11] << 24;
	/* Where size_t is 32 bits, a 4 GiB announcement must not wrap. */
	if (text_len > (size_t)-1 - SIGIL_P7_HDR_LEN - 8)
		return pgp_fail(err, -EFBIG, 8,
				"the container announces %zu bytes of text", text_len);
	at = SIGIL_P7_HDR_LEN + text_len;
	if (len < at + 2)
		return more(m, at + 2);
	rc = der_size(buf + at, len - at, at, &size, &need, err);
	if (rc)
		return rc;
	if (!size || len < at + size)
		return more(m, at + (size ? size : need));
	if (len > at + size)
		return pgp_fail(err, -EBADMSG, at + size,
				"%zu bytes after the end of the PKCS#7 signature",
				len - at - size);
	m->form = SIGIL_MSG_PKCS7_DETACHED;
	m->size = at + size;
	m->text = buf + SIGIL_P7_HDR_LEN;
	m->text_len = text_len;
	m->sig = buf + at;
	m->sig_len = size;
	return 0;
}

/* ---- OpenPGP ---- */

/*
 * A body length at *@pos (new format), advancing past it.  Return 1 when
 * more input is needed, at least *@need bytes in all; 0 with @blen and
 * @partial set.
 */
static int new_len(const u8 *buf, size_t len, size_t *pos, size_t *blen,
		   bool *partial, size_t *need)
{
	size_t p = *pos;
	u8 b;

	*need = p + 1;
	if (p >= len)
		return 1;
	b = buf[p++];
	*partial = false;
	if (b < 192) {
		*blen = b;
	} else if (b < 224) {
		*need = p + 1;
		if (p >= len)
			return 1;
		*blen = ((size_t)(b - 192) << 8) + buf[p++] + 192;
	} else if (b == 255) {
		*need = p + 4;
		if (len - p < 4)
			return 1;
		*blen = (size_t)buf[p] << 24 | (size_t)buf[p + 1] << 16 |
			(size_t)buf[p + 2] << 8 | buf[p + 3];
		p += 4;
	} else {
		*blen = (size_t)1 << (b & 0x1f);
		*partial = true;
	}
	*pos = p;
	return 0;
}

/**
 * struct pgp_hdr - a packet header, and where its body lies
 * @tag: the packet tag
 * @start: offset of the header
 * @body: offset of the body, or of its first chunk
 * @first: length of the body, or of its first chunk
 * @end: offset just past the packet, all chunks included
 * @chunked: the body uses partial lengths
 */
struct pgp_hdr {
	unsigned int tag;
	size_t start;
	size_t body;
	size_t first;
	size_t end;
	bool chunked;
};

static const char *packet_name(unsigned int tag)
{
	switch (tag) {
	case PGP_TAG_SIGNATURE:
		return "signature";
	case PGP_TAG_ONE_PASS:
		return "one-pass signature";
	case PGP_TAG_COMPRESSED:
		return "compressed data";
	case PGP_TAG_MARKER:
		return "marker";
	case PGP_TAG_LITERAL:
		return "literal data";
	default:
		return "unexpected";
	}
}

/*
 * Read the packet at @pos, walking the chunks of a partial-length body.
 * Return 1 when more input is needed (m->size then says how much at
 * least), 0 with @h set, or an error.
 */
static int read_hdr(const u8 *buf, size_t len, size_t pos, struct pgp_hdr *h,
		    struct sigil_msg *m, struct pgp_error *err)
{
	size_t p = pos, blen, need;
	bool partial;
	u8 b;

	memset(h, 0, sizeof(*h));
	h->start = pos;
	m->size = pos + 2;
	if (p >= len)
		return 1;
	b = buf[p++];
	if (!(b & 0x80))
		return pgp_fail(err, -EBADMSG, pos,
				"not an OpenPGP packet (header byte 0x%02x)", b);
	h->tag = b & 0x40 ? b & 0x3f : (b >> 2) & 0x0f;
	if (h->tag == PGP_TAG_COMPRESSED)
		return pgp_fail(err, -EOPNOTSUPP, pos,
				"the message is compressed: sign with 'gpg --sign --compress-algo none', or let sigilctl convert it");
	if (b & 0x40) {
		if (new_len(buf, len, &p, &blen, &partial, &need)) {
			m->size = need;
			return 1;
		}
	} else {
		unsigned int n = b & 3;

		partial = false;
		if (n == 3)
			return pgp_fail(err, -EOPNOTSUPP, pos,
					"%s packet of indeterminate length: write the message to a file, not a pipe",
					packet_name(h->tag));
		n = 1u << n;
		if (len - p < n) {
			m->size = p + n;
			return 1;
		}
		for (blen = 0; n--; )
			blen = blen << 8 | buf[p++];
	}
	if (partial && h->tag != PGP_TAG_LITERAL)
		return pgp_fail(err, -EBADMSG, pos,
				"%s packet uses a partial body length, which only data packets may",
				packet_name(h->tag));
	if (partial && blen < PGP_PARTIAL_MIN)
		return pgp_fail(err, -EBADMSG, pos,
				"the first partial body length is %zu; RFC 4880 requires at least %u",
				blen, PGP_PARTIAL_MIN);
	h->body = p;
	h->first = blen;
	h->chunked = partial;
	/* Walk the chunks: each is followed by the next one's length. */
	while (partial) {
		if (blen > len - p) {
			m->size = p + blen + 1;
			return 1;
		}
		p += blen;
		if (new_len(buf, len, &p, &blen, &partial, &need)) {
			m->size = need;
			return 1;
		}
	}
	if (blen > len - p) {
		m->size = p + blen;
		return 1;
	}
	h->end = p + blen;
	return 0;
}

/* The one-pass signature must announce the signature that follows. */
static int check_one_pass(const u8 *op, size_t op_off, const struct pgp_sig *sig,
			  size_t sig_off, struct pgp_error *err)
{
	const u8 *issuer = NULL;

	if (op[0] != 3)
		return pgp_fail(err, -EOPNOTSUPP, op_off,
				"one-pass signature version %u; only version 3 is supported",
				op[0]);
	if (op[1] != sig->type || op[2] != sig->hash_algo || op[3] != sig->pk_algo)
		return pgp_fail(err, -EBADMSG, sig_off,
				"the signature does not match its one-pass signature packet (type, hash or algorithm)");
	if (sig->has_issuer_fpr)
		issuer = sig->issuer_fpr + PGP_FPR_SIZE - PGP_KEYID_SIZE;
	else if (sig->has_issuer)
		issuer = sig->issuer;
	if (issuer && memcmp(issuer, op + 4, PGP_KEYID_SIZE))
		return pgp_fail(err, -EBADMSG, sig_off,
				"the signature's issuer is not the key its one-pass signature packet names");
	if (op[12] != 1)
		return pgp_fail(err, -EOPNOTSUPP, op_off,
				"nested one-pass signatures: the message must carry exactly one signature");
	return 0;
}

static int parse_pgp(const u8 *buf, size_t len, struct sigil_msg *m,
		     struct pgp_error *err)
{
	struct pgp_hdr h, onepass = { 0 }, lit = { 0 };
	size_t pos = 0, hdr;
	u8 name_len;
	int rc;

	for (;;) {
		rc = read_hdr(buf, len, pos, &h, m, err);
		if (rc == 1)
			return -EAGAIN;
		if (rc)
			return rc;
		if (h.tag == PGP_TAG_MARKER && !onepass.end) {
			pos = h.end;
			continue;
		}
		if (!onepass.end) {
			if (h.tag != PGP_TAG_ONE_PASS)
				return pgp_fail(err, -EBADMSG, h.start,
						"expected a one-pass signature packet, found a %s packet (tag %u): only signed messages are accepted",
						packet_name(h.tag), h.tag);
			if (h.end - h.body != 13)
				return pgp_fail(err, -EBADMSG, h.start,
						"one-pass signature packet of %zu bytes; 13 expected",
						h.end - h.body);
			onepass = h;
		} else if (!lit.end) {
			if (h.tag == PGP_TAG_ONE_PASS)
				return pgp_fail(err, -EOPNOTSUPP, h.start,
						"a second one-pass signature: the message must carry exactly one signature");
			if (h.tag != PGP_TAG_LITERAL)
				return pgp_fail(err, -EBADMSG, h.start,
						"expected a literal data packet, found a %s packet (tag %u)",
						packet_name(h.tag), h.tag);
			lit = h;
		} else {
			if (h.tag != PGP_TAG_SIGNATURE)
				return pgp_fail(err, -EBADMSG, h.start,
						"expected the signature packet, found a %s packet (tag %u)",
						packet_name(h.tag), h.tag);
			break;
		}
		pos = h.end;
	}
	if (h.end != len)
		return pgp_fail(err, -EBADMSG, h.end,
				"%zu bytes after the signature packet", len - h.end);

	/* Literal data: format, file name, date, then the content. */
	if (lit.first < 2 || lit.first < 6u + buf[lit.body + 1])
		return pgp_fail(err, -EBADMSG, lit.start, "truncated literal data header");
	name_len = buf[lit.body + 1];
	hdr = 6u + name_len;

	rc = pgp_parse_sig(buf + h.body, h.end - h.body, &m->psig, err);
	if (rc) {
		err->offset += (u32)h.body;
		return rc;
	}
	rc = check_one_pass(buf + onepass.body, onepass.start, &m->psig,
			    h.start, err);
	if (rc)
		return rc;
	/*
	 * A text signature (0x01) covers the text with its line endings
	 * rewritten, so bytes that were never signed could be kept.
	 */
	if (m->psig.type != PGP_SIG_BINARY)
		return pgp_fail(err, -EOPNOTSUPP, h.start,
				"a signature of type 0x%02x: policies need a binary signature (0x00), as 'gpg --sign' without --textmode makes",
				m->psig.type);

	m->form = SIGIL_MSG_PGP;
	m->size = len;
	m->sig = buf + h.start;
	m->sig_len = h.end - h.start;
	m->lit_offset = lit.start;
	m->lit_format = buf[lit.body];
	m->text_len = 0;
	sigil_msg_text(buf, m, NULL, &m->text_len);
	if (!lit.chunked)
		m->text = buf + lit.body + hdr;
	return 0;
}

/**
 * sigil_msg_text() - pass the policy text of a message to @fn, in pieces
 * @buf: the message
 * @m: what sigil_msg_parse() found in it
 * @fn: called with each piece; NULL to add the pieces' lengths to the
 *	size_t that @ctx points to
 * @ctx: for @fn
 *
 * Not for %SIGIL_MSG_PKCS7, whose content only the PKCS#7 parser knows.
 */
void sigil_msg_text(const u8 *buf, const struct sigil_msg *m,
		    pgp_update_fn fn, void *ctx)
{
	size_t p, blen, skip, need;
	bool partial = true;

	if (m->form != SIGIL_MSG_PGP) {
		if (!fn)
			*(size_t *)ctx += m->text_len;
		else if (m->text_len)
			fn(ctx, m->text, m->text_len);
		return;
	}
	/* The message was walked once already: every length is in bounds. */
	p = m->lit_offset;
	if (buf[p++] & 0x40) {
		new_len(buf, m->size, &p, &blen, &partial, &need);
	} else {
		unsigned int n = 1u << (buf[p - 1] & 3);

		for (blen = 0; n--; )
			blen = blen << 8 | buf[p++];
		partial = false;
	}
	skip = 6u + buf[p + 1];
	for (;;) {
		if (blen > skip) {
			if (fn)
				fn(ctx, buf + p + skip, blen - skip);
			else
				*(size_t *)ctx += blen - skip;
		}
		p += blen;
		skip = 0;
		if (!partial)
			break;
		new_len(buf, m->size, &p, &blen, &partial, &need);
	}
}

struct text_copy {
	u8 *out;
	size_t len;
};

static void copy_piece(void *ctx, const u8 *data, size_t len)
{
	struct text_copy *c = ctx;

	memcpy(c->out + c->len, data, len);
	c->len += len;
}

/**
 * sigil_msg_text_copy() - copy the policy text of a message in one piece
 * @buf: the message
 * @m: what sigil_msg_parse() found in it
 * @out: room for @m->text_len bytes
 *
 * Not for %SIGIL_MSG_PKCS7, whose content only the PKCS#7 parser knows.
 *
 * Return: the number of bytes copied, @m->text_len.
 */
size_t sigil_msg_text_copy(const u8 *buf, const struct sigil_msg *m, u8 *out)
{
	struct text_copy c = { out, 0 };

	sigil_msg_text(buf, m, copy_piece, &c);
	return c.len;
}

/* ---- dispatch ---- */

static bool starts(const u8 *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	return len >= n && !memcmp(buf, s, n);
}

/**
 * sigil_msg_parse() - find the text and signature of a policy write
 * @buf: what was written so far
 * @len: its length
 * @m: the result
 * @err: why the input was refused
 *
 * The first byte decides the form: 0x30 is DER PKCS#7, a byte with the top
 * bit set is OpenPGP, "SIGILP7\n" is the detached PKCS#7 container, and
 * anything else is plain text (complete as it is).  Armored, cleartext
 * signed, S/MIME and compressed inputs are refused with a message saying
 * how to produce an accepted form.
 *
 * Return:
 * * %0		  - @m describes a complete message of exactly @len bytes
 * * %-EAGAIN	  - @buf is the start of a message; @m->size is a lower
 *		    bound on its full size, or 0
 * * %-EBADMSG	  - malformed, or bytes after the end of the message
 * * %-EOPNOTSUPP - a well-formed input sigil does not take
 * * %-EFBIG	  - a length that cannot be represented
 */
int sigil_msg_parse(const u8 *buf, size_t len, struct sigil_msg *m,
		    struct pgp_error *err)
{
	memset(m, 0, sizeof(*m));
	memset(err, 0, sizeof(*err));
	if (!len)
		return more(m, 1);
	if (buf[0] == 0x30)
		return parse_pkcs7(buf, len, m, err);
	if (buf[0] & 0x80)
		return parse_pgp(buf, len, m, err);
	if (len < SIGIL_P7_MAGIC_LEN &&
	    !memcmp(buf, SIGIL_P7_MAGIC, len))
		return more(m, SIGIL_P7_HDR_LEN);
	if (starts(buf, len, SIGIL_P7_MAGIC))
		return parse_pkcs7_detached(buf, len, m, err);
	if (starts(buf, len, "-----BEGIN PGP SIGNED MESSAGE-----"))
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"a cleartext-signed message: sign with 'gpg --sign --compress-algo none' instead");
	if (starts(buf, len, "-----BEGIN PGP"))
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"an armored OpenPGP message: write the binary form ('gpg --dearmor', or sigilctl)");
	if (starts(buf, len, "-----BEGIN") || starts(buf, len, "MIME-Version:"))
		return pgp_fail(err, -EOPNOTSUPP, 0,
				"a PEM or S/MIME message: write DER ('openssl smime -sign -nodetach -binary -outform der')");
	m->form = SIGIL_MSG_TEXT;
	m->size = len;
	m->text = buf;
	m->text_len = len;
	return 0;
}
