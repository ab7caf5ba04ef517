// SPDX-License-Identifier: GPL-2.0-only
/*
 * gpg's compressed messages, turned into the uncompressed form the kernel
 * takes (zlib undoes ZIP and ZLIB), for policy sign, policy check and
 * policy load.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <zlib.h>

#include "signed.h"
#include "sigilctl.h"

#define PGP_TAG_COMPRESSED	8
#define PGP_ZIP			1	/* RFC 1951 raw deflate */
#define PGP_ZLIB		2	/* RFC 1950 */
#define PGP_BZIP2		3

/* Append @n bytes to a growing buffer; false when out of memory. */
static bool append(u8 **buf, size_t *len, size_t *cap, const u8 *data, size_t n)
{
	if (*len + n > *cap) {
		size_t c = *cap ? *cap : 4096;
		u8 *b;

		while (c < *len + n)
			c *= 2;
		b = realloc(*buf, c);
		if (!b)
			return false;
		*buf = b;
		*cap = c;
	}
	memcpy(*buf + *len, data, n);
	*len += n;
	return true;
}

/*
 * The body of the compressed data packet at @buf, chunks joined.  The
 * packet must be the last in the input: gpg writes it with an old-format
 * indeterminate length, which runs to the end.  1: not a compressed data
 * packet; 0: @body set; <0: malformed.
 */
static int compressed_body(const u8 *buf, size_t len, u8 **body,
			   size_t *body_len, char *why, size_t why_size)
{
	size_t p = 0, cap = 0, blen;
	bool partial = false;
	u8 b;

	*body = NULL;
	*body_len = 0;
	/* Marker packets ("PGP") may come first. */
	while (len - p >= 5 && (buf[p] == 0xca || buf[p] == 0xa8) &&
	       buf[p + 1] == 3 && !memcmp(buf + p + 2, "PGP", 3))
		p += 5;
	if (p >= len || !(buf[p] & 0x80))
		return 1;
	b = buf[p++];
	if (!(b & 0x40)) {
		unsigned int n = b & 3, i;

		if (((b >> 2) & 0x0f) != PGP_TAG_COMPRESSED)
			return 1;
		if (n == 3) {
			blen = len - p;
		} else {
			n = 1u << n;
			if (len - p < n)
				goto truncated;
			for (blen = 0, i = 0; i < n; i++)
				blen = blen << 8 | buf[p++];
		}
	} else {
		if ((b & 0x3f) != PGP_TAG_COMPRESSED)
			return 1;
		for (;;) {
			if (p >= len)
				goto truncated;
			b = buf[p++];
			partial = false;
			if (b < 192) {
				blen = b;
			} else if (b < 224) {
				if (p >= len)
					goto truncated;
				blen = ((size_t)(b - 192) << 8) + buf[p++] + 192;
			} else if (b == 255) {
				if (len - p < 4)
					goto truncated;
				blen = (size_t)buf[p] << 24 | (size_t)buf[p + 1] << 16 |
				       (size_t)buf[p + 2] << 8 | buf[p + 3];
				p += 4;
			} else {
				blen = (size_t)1 << (b & 0x1f);
				partial = true;
			}
			if (blen > len - p)
				goto truncated;
			if (!partial)
				break;
			if (!append(body, body_len, &cap, buf + p, blen))
				goto nomem;
			p += blen;
		}
	}
	if (blen > len - p)
		goto truncated;
	if (p + blen != len) {
		snprintf(why, why_size, "%zu bytes follow the compressed data packet",
			 len - p - blen);
		free(*body);
		return -EBADMSG;
	}
	if (!append(body, body_len, &cap, buf + p, blen))
		goto nomem;
	return 0;
truncated:
	snprintf(why, why_size, "the compressed data packet is truncated");
	free(*body);
	return -EBADMSG;
nomem:
	free(*body);
	return -ENOMEM;
}

/* Inflate deflate (@wbits -15) or zlib (15) data, up to @max bytes. */
static int inflate_all(const u8 *in, size_t len, int wbits, size_t max,
		       u8 **out, size_t *out_len, char *why, size_t why_size)
{
	size_t cap = len * 4 + 4096, n = 0;
	z_stream z = { 0 };
	u8 *buf;
	int rc;

	if (inflateInit2(&z, wbits) != Z_OK)
		return -ENOMEM;
	buf = malloc(cap);
	if (!buf) {
		inflateEnd(&z);
		return -ENOMEM;
	}
	z.next_in = (u8 *)in;
	z.avail_in = len;
	do {
		if (n == cap) {
			u8 *g;

			if (cap > max) {
				snprintf(why, why_size,
					 "it inflates to more than the kernel's %zu bytes", max);
				rc = -EFBIG;
				goto out;
			}
			g = realloc(buf, cap * 2);
			if (!g) {
				rc = -ENOMEM;
				goto out;
			}
			buf = g;
			cap *= 2;
		}
		z.next_out = buf + n;
		z.avail_out = cap - n;
		rc = inflate(&z, Z_NO_FLUSH);
		n = cap - z.avail_out;
	} while (rc == Z_OK);
	if (rc != Z_STREAM_END || z.avail_in) {
		snprintf(why, why_size, "the compressed data is corrupt (%s)",
			 z.msg ? z.msg : rc == Z_STREAM_END ? "data after its end" :
			 "truncated");
		rc = -EBADMSG;
		goto out;
	}
	inflateEnd(&z);
	*out = buf;
	*out_len = n;
	return 0;
out:
	inflateEnd(&z);
	free(buf);
	return rc;
}

/**
 * pgp_msg_uncompress() - the uncompressed form of a compressed signed message
 * @buf: an OpenPGP message, binary
 * @len: its length
 * @out: the message inside the compression, malloc()ed
 * @out_len: its length
 * @why: why it could not be converted
 * @why_size: size of @why
 *
 * gpg compresses what it signs unless told not to; the kernel takes only
 * the uncompressed message, one-pass signature, literal data, signature.
 * A signature covers the literal data alone, so taking the message out of
 * its compression packet changes nothing that was signed.  Only ZIP and
 * ZLIB (what gpg writes) are undone, and only when what is inside is
 * itself a message the kernel takes.
 *
 * Return: 1 with @out set; 0 when @buf is not a compressed message;
 * -EOPNOTSUPP, -EBADMSG, -EFBIG or -ENOMEM with @why set when it is one
 * that cannot be converted.
 */
int pgp_msg_uncompress(const u8 *buf, size_t len, u8 **out, size_t *out_len,
		       char *why, size_t why_size)
{
	struct pgp_error perr;
	struct sigil_msg m;
	size_t blen, ilen;
	u8 *body, *inner;
	int rc;

	why[0] = '\0';
	rc = compressed_body(buf, len, &body, &blen, why, why_size);
	if (rc)
		return rc > 0 ? 0 : rc;
	if (!blen) {
		free(body);
		snprintf(why, why_size, "an empty compressed data packet");
		return -EBADMSG;
	}
	switch (body[0]) {
	case 0:
		inner = malloc(blen);
		rc = inner ? 0 : -ENOMEM;
		if (inner) {
			memcpy(inner, body + 1, blen - 1);
			ilen = blen - 1;
		}
		break;
	case PGP_ZIP:
	case PGP_ZLIB:
		rc = inflate_all(body + 1, blen - 1, body[0] == PGP_ZIP ? -15 : 15,
				 KERNEL_POLICY_MAX + 65536, &inner, &ilen, why,
				 why_size);
		break;
	case PGP_BZIP2:
		snprintf(why, why_size,
			 "BZip2 compression, which sigilctl does not undo: sign with 'gpg --compress-algo none'");
		rc = -EOPNOTSUPP;
		break;
	default:
		snprintf(why, why_size, "compression algorithm %u is unknown", body[0]);
		rc = -EOPNOTSUPP;
	}
	free(body);
	if (rc)
		return rc;
	rc = sigil_msg_parse(inner, ilen, &m, &perr);
	if (!rc && m.form != SIGIL_MSG_PGP)
		rc = -EBADMSG;
	if (rc) {
		snprintf(why, why_size, "%s",
			 perr.msg[0] ? perr.msg : "not a complete signed message");
		free(inner);
		return rc == -EAGAIN ? -EBADMSG : rc;
	}
	*out = inner;
	*out_len = ilen;
	return 1;
}

/**
 * policy_uncompress() - what policy load writes for a compressed message
 * @file: where the message came from, for messages
 * @buf: the message; replaced by its uncompressed form when there is one
 * @len: its length, updated with @buf
 *
 * A compressed message that cannot be converted is left as it is, for the
 * kernel to refuse with its own reason.
 */
void policy_uncompress(const char *file, u8 **buf, size_t *len)
{
	char why[256];
	size_t n;
	u8 *inner;
	int rc = pgp_msg_uncompress(*buf, *len, &inner, &n, why, sizeof(why));

	if (rc > 0) {
		free(*buf);
		*buf = inner;
		*len = n;
	} else if (rc < 0) {
		warnx("%s: a compressed message sigilctl does not convert: %s", file, why);
	}
}
