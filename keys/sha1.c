// SPDX-License-Identifier: GPL-2.0-only
/*
 * SHA-1, for OpenPGP v4 fingerprints only: RFC 4880 defines them with it.
 * Signatures hashed with SHA-1 are refused elsewhere.
 */

#include "pgp.h"

struct sha1_state {
	u32 h[5];
	u64 bytes;
	u8 block[64];
	unsigned int used;
};

static u32 sha1_rol(u32 v, unsigned int n)
{
	return (v << n) | (v >> (32 - n));
}

static void sha1_block(u32 h[5], const u8 *p)
{
	u32 w[80], a, b, c, d, e, f, k, t;
	unsigned int i;

	for (i = 0; i < 16; i++)
		w[i] = (u32)p[4 * i] << 24 | (u32)p[4 * i + 1] << 16 |
		       (u32)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (; i < 80; i++)
		w[i] = sha1_rol(w[i - 3] ^ w[i - 8] ^ w[i - 14] ^ w[i - 16], 1);

	a = h[0];
	b = h[1];
	c = h[2];
	d = h[3];
	e = h[4];
	for (i = 0; i < 80; i++) {
		if (i < 20) {
			f = (b & c) | (~b & d);
			k = 0x5a827999;
		} else if (i < 40) {
			f = b ^ c ^ d;
			k = 0x6ed9eba1;
		} else if (i < 60) {
			f = (b & c) | (b & d) | (c & d);
			k = 0x8f1bbcdc;
		} else {
			f = b ^ c ^ d;
			k = 0xca62c1d6;
		}
		t = sha1_rol(a, 5) + f + e + k + w[i];
		e = d;
		d = c;
		c = sha1_rol(b, 30);
		b = a;
		a = t;
	}
	h[0] += a;
	h[1] += b;
	h[2] += c;
	h[3] += d;
	h[4] += e;
}

static void sha1_update(struct sha1_state *s, const u8 *p, size_t len)
{
	s->bytes += len;
	while (len) {
		size_t n = 64 - s->used < len ? 64 - s->used : len;

		memcpy(s->block + s->used, p, n);
		s->used += n;
		p += n;
		len -= n;
		if (s->used == 64) {
			sha1_block(s->h, s->block);
			s->used = 0;
		}
	}
}

/**
 * pgp_sha1() - SHA-1 over a sequence of spans
 * @spans: the input, in order
 * @nspans: number of @spans
 * @digest: the 20-byte digest
 */
void pgp_sha1(const struct pgp_span *spans, unsigned int nspans, u8 digest[20])
{
	struct sha1_state s = {
		.h = { 0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476,
		       0xc3d2e1f0 },
	};
	u64 bits;
	unsigned int i;
	u8 pad = 0x80, len[8];

	for (i = 0; i < nspans; i++)
		sha1_update(&s, spans[i].data, spans[i].len);
	bits = s.bytes * 8;
	sha1_update(&s, &pad, 1);
	pad = 0;
	while (s.used != 56)
		sha1_update(&s, &pad, 1);
	for (i = 0; i < 8; i++)
		len[i] = (u8)(bits >> (56 - 8 * i));
	sha1_update(&s, len, 8);
	for (i = 0; i < 5; i++) {
		digest[4 * i] = (u8)(s.h[i] >> 24);
		digest[4 * i + 1] = (u8)(s.h[i] >> 16);
		digest[4 * i + 2] = (u8)(s.h[i] >> 8);
		digest[4 * i + 3] = (u8)s.h[i];
	}
}
