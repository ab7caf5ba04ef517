/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers of the guest tests and benches of manifests: sha256 of a file
 * (the digest of content= entries; the guest binaries are static, without
 * a crypto library), writing manifests to securityfs, and reading back
 * their files and status.
 */
#ifndef _SIGIL_SELFTEST_MANIFEST_H
#define _SIGIL_SELFTEST_MANIFEST_H

#include <stdint.h>

#include "common.h"

#define MANIFESTS	SFS "/manifests"

/* ---- sha256 (FIPS 180-4) ---- */

struct sha256 {
	uint32_t h[8];
	uint64_t len;		/* bytes hashed so far */
	unsigned char buf[64];
	size_t nbuf;
};

static const uint32_t sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static inline uint32_t sha256_ror(uint32_t x, int n)
{
	return (x >> n) | (x << (32 - n));
}

static inline void sha256_block(struct sha256 *c, const unsigned char *p)
{
	uint32_t w[64], s[8], t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = w[i - 16] + w[i - 7] +
		       (sha256_ror(w[i - 15], 7) ^ sha256_ror(w[i - 15], 18) ^ (w[i - 15] >> 3)) +
		       (sha256_ror(w[i - 2], 17) ^ sha256_ror(w[i - 2], 19) ^ (w[i - 2] >> 10));
	memcpy(s, c->h, sizeof(s));
	for (i = 0; i < 64; i++) {
		t1 = s[7] + (sha256_ror(s[4], 6) ^ sha256_ror(s[4], 11) ^ sha256_ror(s[4], 25)) +
		     ((s[4] & s[5]) ^ (~s[4] & s[6])) + sha256_k[i] + w[i];
		t2 = (sha256_ror(s[0], 2) ^ sha256_ror(s[0], 13) ^ sha256_ror(s[0], 22)) +
		     ((s[0] & s[1]) ^ (s[0] & s[2]) ^ (s[1] & s[2]));
		memmove(s + 1, s, 7 * sizeof(s[0]));
		s[4] += t1;
		s[0] = t1 + t2;
	}
	for (i = 0; i < 8; i++)
		c->h[i] += s[i];
}

static inline void sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
	};

	memcpy(c->h, iv, sizeof(iv));
	c->len = 0;
	c->nbuf = 0;
}

static inline void sha256_update(struct sha256 *c, const void *data, size_t len)
{
	const unsigned char *p = data;

	c->len += len;
	while (len) {
		size_t n = 64 - c->nbuf < len ? 64 - c->nbuf : len;

		memcpy(c->buf + c->nbuf, p, n);
		c->nbuf += n;
		p += n;
		len -= n;
		if (c->nbuf == 64) {
			sha256_block(c, c->buf);
			c->nbuf = 0;
		}
	}
}

static inline void sha256_final(struct sha256 *c, unsigned char out[32])
{
	uint64_t bits = c->len * 8;
	unsigned char pad[8];
	int i;

	sha256_update(c, "\x80", 1);
	while (c->nbuf != 56)
		sha256_update(c, "", 1);
	for (i = 0; i < 8; i++)
		pad[i] = bits >> (56 - 8 * i);
	sha256_update(c, pad, 8);
	for (i = 0; i < 8; i++) {
		out[4 * i] = c->h[i] >> 24;
		out[4 * i + 1] = c->h[i] >> 16;
		out[4 * i + 2] = c->h[i] >> 8;
		out[4 * i + 3] = c->h[i];
	}
}

/* The sha256 of @path's content as lower-case hex; 0 or -errno. */
static inline int content_digest(const char *path, char hex[65])
{
	unsigned char buf[65536], d[32];
	struct sha256 c;
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC), i;

	if (fd < 0)
		return -errno;
	sha256_init(&c);
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		sha256_update(&c, buf, n);
	close(fd);
	if (n < 0)
		return -EIO;
	sha256_final(&c, d);
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", d[i]);
	return 0;
}

/* The digest that a KIND= entry ("fsverity" or "content") lists for @path. */
static inline int entry_digest(const char *kind, const char *path, char hex[65])
{
	if (!strcmp(kind, "fsverity"))
		return verity_digest(path, hex);
	if (!strcmp(kind, "content"))
		return content_digest(path, hex);
	return -EINVAL;
}

/* ---- securityfs ---- */

static inline int manifest_path(char *buf, size_t size, const char *name,
				const char *file)
{
	return snprintf(buf, size, MANIFESTS "/%s/%s", name, file);
}

/* Write @len bytes to manifests/new in one write(); 0 or -errno. */
static inline int manifest_new(const void *text, size_t len)
{
	return write_file(MANIFESTS "/new", text, len);
}

/* Write @len bytes to manifests/@name/update; 0 or -errno. */
static inline int manifest_update(const char *name, const void *text, size_t len)
{
	char path[512];

	manifest_path(path, sizeof(path), name, "update");
	return write_file(path, text, len);
}

static inline int manifest_delete(const char *name)
{
	char path[512];

	manifest_path(path, sizeof(path), name, "delete");
	return write_str(path, "1");
}

/* The whole of manifests/@name/@file in @buf ("" when absent); its length or -errno. */
static inline ssize_t manifest_read(const char *name, const char *file,
				    char *buf, size_t size)
{
	char path[512];
	ssize_t n;

	manifest_path(path, sizeof(path), name, file);
	n = read_file(path, buf, size);
	if (n < 0)
		buf[0] = '\0';
	return n;
}

/* Is manifest @name loaded: does its directory exist? */
static inline int manifest_loaded(const char *name)
{
	char path[512];
	struct stat st;

	manifest_path(path, sizeof(path), name, "version");
	return !stat(path, &st);
}

/* Write the file @path (a fixture) to @target in @piece-byte writes. */
static inline int write_pieces(const char *path, const char *target, size_t piece)
{
	size_t len, off = 0;
	int fd, rc = 0;
	unsigned char *buf = slurp(path, &len);

	if (!buf)
		return -ENOENT;
	fd = open(target, O_WRONLY | O_CLOEXEC);
	if (fd < 0) {
		free(buf);
		return -errno;
	}
	while (off < len) {
		size_t n = len - off < piece ? len - off : piece;
		ssize_t w = write(fd, buf + off, n);

		if (w < 0) {
			rc = -errno;
			break;
		}
		off += w;
	}
	close(fd);
	free(buf);
	return rc;
}

#endif /* _SIGIL_SELFTEST_MANIFEST_H */
