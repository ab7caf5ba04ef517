// SPDX-License-Identifier: GPL-2.0-only
/*
 * ASCII armor (RFC 4880 section 6) and PEM: base64 between BEGIN and END
 * lines, with optional armor headers and an optional CRC-24 checksum.
 */

#include "pgp.h"

static int b64_value(char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

static u32 crc24(const u8 *p, size_t len)
{
	u32 crc = 0xb704ce;
	unsigned int i;

	while (len--) {
		crc ^= (u32)*p++ << 16;
		for (i = 0; i < 8; i++) {
			crc <<= 1;
			if (crc & 0x1000000)
				crc ^= 0x1864cfb;
		}
	}
	return crc & 0xffffff;
}

/* The line at *@pos, without its ending; *@pos moves to the next line. */
static const char *next_line(const char *in, size_t len, size_t *pos,
			     size_t *line_len)
{
	const char *line = in + *pos;
	size_t n = 0;

	while (*pos + n < len && in[*pos + n] != '\n')
		n++;
	*pos += n < len - *pos ? n + 1 : n;
	while (n && (line[n - 1] == '\r' || line[n - 1] == ' ' || line[n - 1] == '\t'))
		n--;
	*line_len = n;
	return line;
}

static bool is_marker(const char *line, size_t n, const char *kind,
		      const char *label)
{
	size_t kl = strlen(kind), ll = strlen(label);

	return n == 5 + kl + 1 + ll + 5 && !memcmp(line, "-----", 5) &&
	       !memcmp(line + 5, kind, kl) && line[5 + kl] == ' ' &&
	       !memcmp(line + 6 + kl, label, ll) &&
	       !memcmp(line + 6 + kl + ll, "-----", 5);
}

/*
 * Decode base64 from @line into @out at *@out_len.  @bits and @nbits carry
 * partial bytes across lines.
 */
static int decode_b64(const char *line, size_t n, u8 *out, size_t size,
		      size_t *out_len, u32 *bits, unsigned int *nbits,
		      bool *padded)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int v;

		if (line[i] == '=') {
			*padded = true;
			continue;
		}
		v = b64_value(line[i]);
		if (v < 0 || *padded)
			return -EBADMSG;
		*bits = (*bits << 6) | (u32)v;
		*nbits += 6;
		if (*nbits >= 8) {
			*nbits -= 8;
			if (*out_len == size)
				return -ENOSPC;
			out[(*out_len)++] = (u8)(*bits >> *nbits);
		}
	}
	return 0;
}

/**
 * pgp_dearmor() - decode the next armored block with a given label
 * @in: the text
 * @len: its length
 * @pos: where to start looking; moved past the block's END line
 * @label: what follows "BEGIN ", as "PGP PUBLIC KEY BLOCK" or "CERTIFICATE"
 * @out: the decoded bytes
 * @size: size of @out; the input length is always enough
 * @out_len: number of decoded bytes
 * @err: why the block was refused
 *
 * Armor headers ("Version: ...") are skipped.  When a "=XXXX" checksum
 * line is present, the CRC-24 must match.
 *
 * Return:
 * * %0		- one block decoded
 * * %-ENOENT	- no further block with @label
 * * %-ENOSPC	- @out is too small
 * * %-EBADMSG	- a malformed block; @err says where
 */
int pgp_dearmor(const char *in, size_t len, size_t *pos, const char *label,
		u8 *out, size_t size, size_t *out_len, struct pgp_error *err)
{
	bool headers = true, padded = false, have_crc = false;
	unsigned int nbits = 0;
	size_t n, begin;
	const char *line;
	u32 bits = 0, crc = 0;
	int rc;

	*out_len = 0;
	for (;;) {
		if (*pos >= len)
			return -ENOENT;
		begin = *pos;
		line = next_line(in, len, pos, &n);
		if (is_marker(line, n, "BEGIN", label))
			break;
	}
	for (;;) {
		if (*pos >= len)
			return pgp_fail(err, -EBADMSG, begin,
					"armor block without an END line");
		line = next_line(in, len, pos, &n);
		if (is_marker(line, n, "END", label))
			break;
		if (headers && n && memchr(line, ':', n))
			continue;		/* an armor header */
		headers = false;
		if (!n)
			continue;
		if (line[0] == '=' && n == 5) {
			u32 v = 0;
			size_t i;

			for (i = 1; i < 5; i++) {
				int d = b64_value(line[i]);

				if (d < 0)
					return pgp_fail(err, -EBADMSG, *pos - n,
							"malformed armor checksum");
				v = v << 6 | (u32)d;
			}
			crc = v;
			have_crc = true;
			continue;
		}
		rc = decode_b64(line, n, out, size, out_len, &bits, &nbits,
				&padded);
		if (rc == -ENOSPC)
			return rc;
		if (rc)
			return pgp_fail(err, -EBADMSG, begin,
					"invalid base64 in the armored block");
	}
	if (have_crc && crc24(out, *out_len) != crc)
		return pgp_fail(err, -EBADMSG, begin,
				"armor checksum mismatch: the block is damaged");
	return 0;
}
