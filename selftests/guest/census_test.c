// SPDX-License-Identifier: GPL-2.0-only
/*
 * A census of bad input: one table of malformed inputs in every format
 * sigil takes from untrusted hands (policy text, signed-policy envelopes,
 * keys for .sigil, signature xattrs, fs-verity signatures, manifests, and
 * writes by a process without CAP_MAC_ADMIN).  Each row gives the input,
 * where it goes, the errno expected, and a fragment of the message that
 * says what was wrong and where, with where that message is found.  After
 * each row the test checks that nothing changed: the active policy and
 * its version, the loaded policies and manifests and their versions, the
 * number of keys in .sigil, and the mode.
 *
 * "census_test --rst" prints the table as reStructuredText, without
 * running anything: Documentation/census.rst is that output (make
 * census-doc; scripts/check-census compares them).
 */

#include <dirent.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

/* Where the guest has the fixtures; the host check sets another root. */
#ifndef CENSUS_ROOT
#define CENSUS_ROOT ""
#endif
#define FIX_POL		CENSUS_ROOT "/policies/"
#define FIX_KEYS	CENSUS_ROOT "/keys/"
#define FIX_SIGS	CENSUS_ROOT "/sigs/"
#define FIX_MF		CENSUS_ROOT "/manifests/"

#define WORK		DISK "/census"
#define VICTIM		WORK "/f"

/* The policies and the manifest the fixture loads, so that rows can aim at them. */
#define POL		"census_pol"		/* inactive, 1.0.0: updates */
#define OLD		"census_old"		/* inactive, 0.9.0: activation */
#define SIG		"census_sig"		/* signatures decide EXECUTE */
#define MF		"census-mf"		/* 2.0.0 or the next free */
#define GONE		"census-gone"		/* loaded once, then deleted */

#define HDR(name)	"policy_name=" name " policy_version=1.0.0\n"
#define PHDR		HDR("census_bad")
#define ALLOW		"DEFAULT action=ALLOW\n"
#define HEX64		"0000000000000000000000000000000000000000000000000000000000000001"
#define HEX63		"000000000000000000000000000000000000000000000000000000000000001"
#define MHDR		"manifest_name=census-bad manifest_version=1.0.0\n"
#define MDIG		"fsverity=sha256:" HEX64

enum target {
	T_WRITE,	/* one write() of the input to @path */
	T_PIECES,	/* write() in pieces of @piece bytes */
	T_CLOSE,	/* one write(), which succeeds; close() discards it */
	T_PWRITE,	/* one pwrite() at offset @piece */
	T_TWICE,	/* the input twice through one open file */
	T_ADD_KEY,	/* add_key("asymmetric") to .sigil */
	T_EXEC,		/* the input as @xattr of a copy of @on, then exec */
	T_MMAP,		/* the same, then mmap(PROT_EXEC) */
	T_VERITY,	/* FS_IOC_ENABLE_VERITY on a copy of @on, the input as signature */
	T_VERITY_EXEC,	/* the same, then exec */
	T_NOCAP,	/* a child without CAP_MAC_ADMIN writes the input to @path */
	T_NOBODY,	/* a child as uid 65534 writes the input to @path */
	T_NOCAP_KEY,	/* a child without CAP_MAC_ADMIN adds the input to .sigil */
};

enum where {
	W_NONE,		/* no message: errno only (a finding when it should have one) */
	W_POLICY,	/* status: last_policy_error, policy_errors counts it */
	W_MANIFEST,	/* status: last_manifest_error, manifest_errors counts it */
	W_LOG,		/* the last line of sigil/log: the decision */
	W_KMSG,		/* the kernel log, /dev/kmsg */
	W_EXPLAIN,	/* sigil/explain's answer about the file, after the event */
};

struct input {
	unsigned char *buf;
	size_t len;
};

struct row;
typedef int (*build_fn)(const struct row *r, struct input *in);

/**
 * struct row - one malformed input
 * @format: the format, as the table groups rows
 * @what: a short description of the input
 * @target: what is done with it
 * @path: for writes, the file under sigil's securityfs directory
 * @text: the input itself, or NULL when @build makes it
 * @len: its length; 0 for strlen(@text)
 * @build: makes the input from @file, or NULL
 * @file: the fixture the input is made from
 * @keep: keep only the first @keep bytes; negative: drop -@keep at the end
 * @pokes: "OFF=HH,..." bytes to set (negative OFF counts from the end);
 *	   relative to packet @pkt's body for the OpenPGP builders
 * @extra: bytes appended, @extra_len of them (0: strlen)
 * @pkt: the packet the OpenPGP builders change
 * @skip: bytes before the first packet (2 in security.sigil)
 * @piece: write size for T_PIECES, offset for T_PWRITE
 * @on: the signed file (T_EXEC, T_MMAP, T_VERITY*), in /sigs/files
 * @xattr: the attribute that gets the input
 * @verity: the copy gets fs-verity before the attribute
 * @setup: prepares the row (a keyring's content), undone by the teardown
 * @err: the errno expected, 0 when the write succeeds (T_CLOSE)
 * @where: where the message is
 * @msg: the fragment the message must hold
 * @finding: what is wrong with the refusal itself, or NULL
 */
struct row {
	const char *format;
	const char *what;
	enum target target;
	const char *path;
	const char *text;
	size_t len;
	build_fn build;
	const char *file;
	int keep;
	const char *pokes;
	const char *extra;
	size_t extra_len;
	int pkt;
	int skip;
	size_t piece;
	const char *on;
	const char *xattr;
	int verity;
	int (*setup)(void);
	int err;
	enum where where;
	const char *msg;
	const char *finding;
};

/* ---- building inputs ---- */

static int in_set(struct input *in, const void *buf, size_t len)
{
	in->buf = malloc(len + 1);
	if (!in->buf)
		return -ENOMEM;
	memcpy(in->buf, buf, len);
	in->len = len;
	return 0;
}

static int in_append(struct input *in, const void *buf, size_t len)
{
	unsigned char *n = realloc(in->buf, in->len + len + 1);

	if (!n)
		return -ENOMEM;
	memcpy(n + in->len, buf, len);
	in->buf = n;
	in->len += len;
	return 0;
}

/* Apply "OFF=HH,..." to @buf of @len bytes. */
static int apply_pokes(const char *pokes, unsigned char *buf, size_t len)
{
	const char *p = pokes;

	while (p && *p) {
		char *end;
		long off = strtol(p, &end, 10);
		unsigned long v;

		if (*end != '=')
			return -EINVAL;
		v = strtoul(end + 1, &end, 16);
		if (off < 0)
			off += len;
		if (off < 0 || (size_t)off >= len || v > 0xff)
			return -EINVAL;
		buf[off] = v;
		p = *end == ',' ? end + 1 : end;
	}
	return 0;
}

static int load_fixture(const char *file, struct input *in)
{
	in->buf = slurp(file, &in->len);
	return in->buf ? 0 : -ENOENT;
}

static int cut_and_extend(const struct row *r, struct input *in)
{
	if (r->keep > 0 && (size_t)r->keep < in->len)
		in->len = r->keep;
	else if (r->keep < 0 && (size_t)-r->keep <= in->len)
		in->len += r->keep;
	if (r->extra)
		return in_append(in, r->extra, r->extra_len ? r->extra_len : strlen(r->extra));
	return 0;
}

/* A fixture, truncated, poked, extended as the row says. */
static int b_file(const struct row *r, struct input *in)
{
	int rc = load_fixture(r->file, in);

	if (!rc)
		rc = apply_pokes(r->pokes, in->buf, in->len);
	return rc ?: cut_and_extend(r, in);
}

/* The fixture twice in a row. */
static int b_twice(const struct row *r, struct input *in)
{
	struct input copy;
	int rc = load_fixture(r->file, in);

	if (rc)
		return rc;
	rc = in_set(&copy, in->buf, in->len);
	if (!rc)
		rc = in_append(in, copy.buf, copy.len);
	free(copy.buf);
	return rc;
}

/* OpenPGP packets: enough of RFC 4880 4.2 to take a message apart. */
struct pkt {
	unsigned int tag;
	size_t body;	/* offset of the body */
	size_t len;
};

#define MAX_PKTS 32

/* Split @buf after @skip bytes into packets; their number, or -1. */
static int packets(const unsigned char *buf, size_t len, size_t skip,
		   struct pkt *p)
{
	size_t pos = skip;
	int n = 0;

	while (pos < len && n < MAX_PKTS) {
		unsigned char b = buf[pos++];
		size_t blen = 0, i, nlen;

		if (!(b & 0x80))
			return -1;
		if (b & 0x40) {
			p[n].tag = b & 0x3f;
			if (buf[pos] < 192) {
				blen = buf[pos++];
			} else if (buf[pos] < 224) {
				blen = ((size_t)(buf[pos] - 192) << 8) + buf[pos + 1] + 192;
				pos += 2;
			} else if (buf[pos] == 255) {
				blen = (size_t)buf[pos + 1] << 24 | buf[pos + 2] << 16 |
				       buf[pos + 3] << 8 | buf[pos + 4];
				pos += 5;
			} else {
				return -1;	/* partial lengths: not taken apart */
			}
		} else {
			p[n].tag = (b >> 2) & 0x0f;
			if ((b & 3) == 3)
				return -1;
			nlen = 1u << (b & 3);
			for (i = 0; i < nlen; i++)
				blen = blen << 8 | buf[pos++];
		}
		p[n].body = pos;
		p[n].len = blen;
		pos += blen;
		n++;
	}
	return pos == len ? n : -1;
}

/* A new-format packet header for @tag and @len. */
static size_t pkt_header(unsigned char *h, unsigned int tag, size_t len)
{
	h[0] = 0xc0 | tag;
	if (len < 192) {
		h[1] = len;
		return 2;
	}
	if (len < 8384) {
		h[1] = ((len - 192) >> 8) + 192;
		h[2] = (len - 192) & 0xff;
		return 3;
	}
	h[1] = 255;
	h[2] = len >> 24;
	h[3] = len >> 16;
	h[4] = len >> 8;
	h[5] = len;
	return 6;
}

/*
 * The fixture with packet @pkt changed: its body poked (@pokes), cut to
 * @keep bytes (@keep > 0) or extended by @extra; the packet is written
 * again with a header of its new length.  @keep -1 drops the packet.
 */
static int b_pgp(const struct row *r, struct input *in)
{
	struct pkt p[MAX_PKTS];
	struct input src, out = { 0 };
	unsigned char h[6], *body;
	size_t blen;
	int n, i, rc;

	rc = load_fixture(r->file, &src);
	if (rc)
		return rc;
	n = packets(src.buf, src.len, r->skip, p);
	if (n <= r->pkt) {
		free(src.buf);
		return -EINVAL;
	}
	rc = in_set(&out, src.buf, r->skip);
	for (i = 0; i < n && !rc; i++) {
		if (i != r->pkt) {
			size_t start = i ? p[i - 1].body + p[i - 1].len : r->skip;

			rc = in_append(&out, src.buf + start, p[i].body + p[i].len - start);
			continue;
		}
		if (r->keep < 0)
			continue;
		body = src.buf + p[i].body;
		blen = p[i].len;
		rc = apply_pokes(r->pokes, body, blen);
		if (r->keep > 0 && (size_t)r->keep < blen)
			blen = r->keep;
		if (!rc)
			rc = in_append(&out, h, pkt_header(h, p[i].tag, blen +
				       (r->extra ? r->extra_len : 0)));
		if (!rc)
			rc = in_append(&out, body, blen);
		if (!rc && r->extra)
			rc = in_append(&out, r->extra, r->extra_len);
	}
	free(src.buf);
	if (rc) {
		free(out.buf);
		return rc;
	}
	*in = out;
	return 0;
}

/* The fixture followed by @extra, as its own packet of tag @pkt. */
static int b_pgp_add(const struct row *r, struct input *in)
{
	unsigned char h[6];
	int rc = load_fixture(r->file, in);

	if (!rc)
		rc = in_append(in, h, pkt_header(h, r->pkt, r->extra_len));
	return rc ?: in_append(in, r->extra, r->extra_len);
}

/* ---- the rows' setups ---- */

static long fsv_ring(void)
{
	return keyring_id(".fs-verity");
}

/* Was the stranger in .fs-verity before the test?  -1: not looked yet. */
static int stranger_was_there = -1;

/*
 * The keys of @ring whose description starts with @desc, as serials, in
 * @keys; their number.  Keys that fs-verity's keyring holds grant root
 * only VIEW (their owner's permissions): KEYCTL_SEARCH does not see them,
 * KEYCTL_READ and KEYCTL_DESCRIBE do.
 */
static int keys_described(long ring, const char *desc, int32_t *keys, int max)
{
	int32_t all[64];
	char d[256];
	long n, i;
	int found = 0;

	n = keyctl(KEYCTL_READ, ring, (long)all, sizeof(all), 0);
	for (i = 0; i < n / 4 && i < 64 && found < max; i++) {
		/* "type;uid;gid;perm;description" */
		if (keyctl(KEYCTL_DESCRIBE, all[i], (long)d, sizeof(d), 0) < 0)
			continue;
		d[sizeof(d) - 1] = '\0';
		if (strstr(d, desc))
			keys[found++] = all[i];
	}
	return found;
}

static int stranger_in_fsverity(int want)
{
	long ring = fsv_ring();
	int32_t keys[8];
	int n, i;

	if (!ring)
		return -ENOKEY;
	n = keys_described(ring, ";sigil test stranger:", keys, 8);
	if (stranger_was_there < 0)
		stranger_was_there = n > 0;
	if (want && !n)
		return add_key_file(FIX_SIGS "keys/stranger.der", ring) < 0 ? -errno : 0;
	/* Other tests may have linked more than one copy. */
	for (i = 0; !want && i < n; i++)
		if (keyctl(KEYCTL_UNLINK, keys[i], ring, 0, 0))
			return -errno;
	return 0;
}

static int stranger_absent(void)
{
	return stranger_in_fsverity(0);
}

static int stranger_present(void)
{
	return stranger_in_fsverity(1);
}

/* ---- the table ---- */

#define F_TEXT	"policy text"
#define F_P7	"PKCS#7 policy"
#define F_P7D	"SIGILP7 policy"
#define F_PGPM	"OpenPGP policy"
#define F_PGPK	"OpenPGP key"
#define F_X509	"X.509 key"
#define F_IMA	"security.ima"
#define F_SIGIL	"security.sigil"
#define F_FSV	"fs-verity signature"
#define F_MF	"manifest"
#define F_PRIV	"privilege"

/* A policy text to new_policy. */
#define TEXT(desc, t, e, m) \
	{ F_TEXT, desc, T_WRITE, "new_policy", t, 0, .err = e, .where = W_POLICY, .msg = m }
#define TEXTN(desc, t, e, m) \
	{ F_TEXT, desc, T_WRITE, "new_policy", t, sizeof(t) - 1, .err = e, .where = W_POLICY, .msg = m }
/* A manifest text to manifests/new. */
#define MTEXT(desc, t, e, m) \
	{ F_MF, desc, T_WRITE, "manifests/new", t, 0, .err = e, .where = W_MANIFEST, .msg = m }
#define MTEXTN(desc, t, e, m) \
	{ F_MF, desc, T_WRITE, "manifests/new", t, sizeof(t) - 1, .err = e, .where = W_MANIFEST, .msg = m }

static const struct row rows[] = {
	/* ---- policy text: the header ---- */
	TEXT("a blank line only", "\n", EBADMSG,
	     "policy rejected: line 1: policy is empty"),
	TEXT("comments only", "# nothing\n# at all\n", EBADMSG,
	     "policy rejected: line 2: policy is empty"),
	TEXT("a rule before the header", ALLOW PHDR, EBADMSG,
	     "line 1, column 1: expected the header 'policy_name=NAME policy_version=MAJOR.MINOR.REVISION' first, got 'DEFAULT'"),
	TEXT("header without policy_version", "policy_name=census_bad\n" ALLOW, EBADMSG,
	     "line 1, column 23: header has no policy_version= after policy_name="),
	TEXT("version before name", "policy_version=1.0.0 policy_name=census_bad\n" ALLOW, EBADMSG,
	     "line 1, column 1: expected the header"),
	TEXT("name twice", "policy_name=census_bad policy_name=x\n" ALLOW, EBADMSG,
	     "line 1, column 24: expected policy_version= after policy_name=, got 'policy_name=x'"),
	TEXT("third header token", "policy_name=census_bad policy_version=1.0.0 extra\n" ALLOW, EBADMSG,
	     "line 1, column 45: unexpected 'extra' after policy_version"),
	TEXT("empty name", "policy_name= policy_version=1.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 1: policy_name is empty"),
	TEXT("name '.'", "policy_name=. policy_version=1.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 1: policy_name cannot be '.' or '..'"),
	TEXT("name '..'", "policy_name=.. policy_version=1.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 1: policy_name cannot be '.' or '..'"),
	TEXT("name with '/'", "policy_name=a/b policy_version=1.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 14: policy_name contains '/'"),
	TEXT("name with a control character", "policy_name=a\033b policy_version=1.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 14: policy_name contains 'a control character'"),
	{ F_TEXT, "name of 256 bytes", T_WRITE, "new_policy", .build = b_file,
	  .file = NULL, .err = ENAMETOOLONG, .where = W_POLICY,
	  .msg = "line 1, column 1: policy_name is 256 bytes long; the limit is 255" },
	TEXT("name of the loaded baseline", HDR("baseline") ALLOW, EEXIST,
	     "a policy named 'baseline' is already loaded"),
	TEXT("version with two components", "policy_name=census_bad policy_version=1.0\n" ALLOW, EBADMSG,
	     "line 1, column 24: policy_version '1.0' must have three components"),
	TEXT("version with four components", "policy_name=census_bad policy_version=1.0.0.0\n" ALLOW, EBADMSG,
	     "line 1, column 24: policy_version '1.0.0.0' has more than three components"),
	TEXT("version not a number", "policy_name=census_bad policy_version=1.x.0\n" ALLOW, EINVAL,
	     "line 1, column 24: policy_version '1.x.0': each component must be a decimal number"),
	TEXT("negative version", "policy_name=census_bad policy_version=-1.0.0\n" ALLOW, EINVAL,
	     "line 1, column 24: policy_version '-1.0.0': each component must be a decimal number"),
	TEXT("version component over 65535", "policy_name=census_bad policy_version=1.65536.0\n" ALLOW, ERANGE,
	     "line 1, column 24: policy_version '1.65536.0': each component must be at most 65535"),
	TEXT("version component over 2^64", "policy_name=census_bad policy_version=1.0.99999999999999999999\n" ALLOW, ERANGE,
	     "line 1, column 24: policy_version '1.0.99999999999999999999': each component must be at most 65535"),
	TEXT("empty version", "policy_name=census_bad policy_version=\n" ALLOW, EBADMSG,
	     "line 1, column 24: policy_version is empty"),
	TEXT("a second header", PHDR ALLOW HDR("other"), EBADMSG,
	     "line 3, column 1: a second header 'policy_name=other'"),
	/* ---- policy text: rules ---- */
	TEXT("no DEFAULT at all", PHDR "op=EXECUTE boot_verified=TRUE action=ALLOW\n", EBADMSG,
	     "line 2: end of policy: op=EXECUTE has no DEFAULT and there is no global DEFAULT"),
	TEXT("DEFAULT for some operations only", PHDR "DEFAULT op=EXECUTE action=ALLOW\n", EBADMSG,
	     "end of policy: op=FIRMWARE has no DEFAULT"),
	TEXT("two global DEFAULTs", PHDR ALLOW "DEFAULT action=DENY\n", EBADMSG,
	     "line 3, column 1: a second global DEFAULT (the first is on line 2)"),
	TEXT("two DEFAULTs for one operation", PHDR ALLOW "DEFAULT op=KMODULE action=DENY\nDEFAULT op=KMODULE action=ALLOW\n", EBADMSG,
	     "line 4, column 1: a second DEFAULT for op=KMODULE (the first is on line 3)"),
	TEXT("DEFAULT with a property", PHDR "DEFAULT op=EXECUTE boot_verified=TRUE action=ALLOW\n" ALLOW, EBADMSG,
	     "line 2, column 20: DEFAULT takes only op= and action=, got 'boot_verified=TRUE'"),
	TEXT("unknown property", PHDR ALLOW "op=EXECUTE bogus=1 action=ALLOW\n", EBADMSG,
	     "line 3, column 12: unknown property 'bogus'"),
	TEXT("property in capitals", PHDR ALLOW "op=EXECUTE BOOT_VERIFIED=TRUE action=ALLOW\n", EBADMSG,
	     "line 3, column 12: unknown property 'BOOT_VERIFIED'"),
	TEXT("unknown operation", PHDR ALLOW "op=EXEC action=ALLOW\n", EBADMSG,
	     "line 3, column 1: unknown operation 'op=EXEC'"),
	TEXT("unknown action", PHDR ALLOW "op=EXECUTE action=AUDIT\n", EBADMSG,
	     "line 3, column 12: unknown action 'action=AUDIT'"),
	TEXT("rule without action", PHDR ALLOW "op=EXECUTE boot_verified=TRUE\n", EBADMSG,
	     "line 3, column 12: a rule ends with action=ALLOW or action=DENY, got 'boot_verified=TRUE'"),
	TEXT("rule without op=", PHDR ALLOW "boot_verified=TRUE action=ALLOW\n", EBADMSG,
	     "line 3, column 1: a rule starts with op= (or DEFAULT), got 'boot_verified=TRUE'"),
	TEXT("op= twice", PHDR ALLOW "op=EXECUTE op=KMODULE action=ALLOW\n", EBADMSG,
	     "line 3, column 12: op= appears twice in one rule"),
	TEXT("action= before a property", PHDR ALLOW "op=EXECUTE action=ALLOW boot_verified=TRUE\n", EBADMSG,
	     "line 3, column 12: action= must be the last token of a rule"),
	TEXT("a token without '='", PHDR ALLOW "op=EXECUTE boot_verified action=ALLOW\n", EBADMSG,
	     "line 3, column 12: expected property=value, got 'boot_verified'"),
	TEXT("boolean not TRUE or FALSE", PHDR ALLOW "op=EXECUTE boot_verified=yes action=ALLOW\n", EBADMSG,
	     "line 3, column 26: boot_verified takes TRUE or FALSE, got 'yes'"),
	TEXT("boolean in lower case", PHDR ALLOW "op=EXECUTE anonymous=true action=ALLOW\n", EBADMSG,
	     "line 3, column 22: anonymous takes TRUE or FALSE, got 'true'"),
	/* ---- policy text: digests and key IDs ---- */
	TEXT("digest without algorithm", PHDR ALLOW "op=EXECUTE fsverity_digest=" HEX64 " action=DENY\n", EBADMSG,
	     "line 3, column 28: fsverity_digest takes ALGORITHM:HEX (as in sha256:...)"),
	TEXT("unknown digest algorithm", PHDR ALLOW "op=EXECUTE fsverity_digest=sha1:" HEX64 " action=DENY\n", EBADMSG,
	     "line 3, column 28: fsverity_digest: unknown hash algorithm 'sha1'"),
	TEXT("digest one hex digit short", PHDR ALLOW "op=EXECUTE fsverity_digest=sha256:" HEX63 " action=DENY\n", EBADMSG,
	     "line 3, column 35: fsverity_digest: a sha256 digest is 64 hex digits, got 63"),
	TEXT("digest one hex digit long", PHDR ALLOW "op=EXECUTE fsverity_digest=sha256:" HEX64 "0 action=DENY\n", EBADMSG,
	     "line 3, column 35: fsverity_digest: a sha256 digest is 64 hex digits, got 65"),
	TEXT("a digit that is not hex", PHDR ALLOW "op=EXECUTE fsverity_digest=sha256:" HEX63 "g action=DENY\n", EBADMSG,
	     "line 3, column 98: fsverity_digest: 'g' is not a hex digit"),
	TEXT("empty digest", PHDR ALLOW "op=EXECUTE dmverity_roothash=sha256: action=DENY\n", EBADMSG,
	     "line 3, column 37: dmverity_roothash: a sha256 digest is 64 hex digits, got 0"),
	TEXT("signer of 15 hex digits", PHDR ALLOW "op=EXECUTE ima_signature=TRUE signer=0123456789abcde action=ALLOW\n", EBADMSG,
	     "line 3, column 38: signer takes a key ID (16 hex digits), a fingerprint (40) or a subject key identifier (16 to 64), got 15 digits"),
	TEXT("signer not hex", PHDR ALLOW "op=EXECUTE ima_signature=TRUE signer=0123456789abcdeZ action=ALLOW\n", EBADMSG,
	     "line 3, column 53: signer: 'Z' is not a hex digit"),
	TEXT("manifest= with a bad name", PHDR ALLOW "op=EXECUTE manifest=a/b action=ALLOW\n", EBADMSG,
	     "line 3, column 21: manifest: 'a/b' is not a manifest name"),
	TEXT("manifest=ANY with a version", PHDR ALLOW "op=EXECUTE manifest=ANY@1.0.0 action=ALLOW\n", EBADMSG,
	     "line 3, column 21: manifest=ANY takes no minimum version"),
	TEXT("manifest= minimum version not a number", PHDR ALLOW "op=EXECUTE manifest=base@1.a.0 action=ALLOW\n", EINVAL,
	     "line 3, column 26: manifest minimum version '1.a.0': each component must be a decimal number"),
	/* ---- policy text: bytes and sizes ---- */
	TEXTN("NUL byte in a rule", PHDR ALLOW "op=EXECUTE\0 action=ALLOW\n", EBADMSG,
	      "line 3, column 11: NUL byte in policy text"),
	TEXTN("NUL byte in a comment", PHDR ALLOW "# a\0b\n", EBADMSG,
	      "line 3, column 4: NUL byte in policy text"),
	TEXT("non-UTF-8 bytes in a property", PHDR ALLOW "op=EXECUTE \xff\xfe=1 action=ALLOW\n", EBADMSG,
	     "line 3, column 12: unknown property '\?\?'"),
	TEXT("Latin-1 operation", PHDR ALLOW "op=EX\xc9" "CUTE action=ALLOW\n", EBADMSG,
	     "line 3, column 1: unknown operation 'op=EX?CUTE'"),
	{ F_TEXT, "a 100 KiB token: the message quotes 45 bytes of it", T_WRITE, "new_policy",
	  .build = b_file, .err = EBADMSG, .where = W_POLICY,
	  .msg = "line 3, column 12: unknown property 'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...'" },
	{ F_TEXT, "one write over 64 MiB", T_WRITE, "new_policy", .build = b_file,
	  .err = EFBIG, .where = W_POLICY,
	  .msg = "policy rejected: 67108865 bytes; the limit is 67108864" },
	{ F_TEXT, "a text in two writes: the first is parsed alone", T_PIECES, "new_policy",
	  PHDR ALLOW, .piece = 20, .err = EBADMSG, .where = W_POLICY,
	  .msg = "line 1, column 21: header has no policy_version= after policy_name=" },
	{ F_TEXT, "a text written at offset 10", T_PWRITE, "new_policy", PHDR ALLOW,
	  .piece = 10, .err = EINVAL, .where = W_POLICY,
	  .msg = "policy write refused: one upload per open file: open the file again for the next one" },
	/* ---- policy text: versions and lifecycle ---- */
	{ F_TEXT, "update with the same version", T_WRITE, "policies/" POL "/update",
	  HDR(POL) ALLOW, .err = ESTALE, .where = W_POLICY,
	  .msg = "update rejected: 'census_pol' 1.0.0 is not newer than the loaded 1.0.0" },
	{ F_TEXT, "update with an older version", T_WRITE, "policies/" POL "/update",
	  "policy_name=" POL " policy_version=0.9.9\n" ALLOW, .err = ESTALE, .where = W_POLICY,
	  .msg = "update rejected: 'census_pol' 0.9.9 is not newer than the loaded 1.0.0" },
	{ F_TEXT, "update under another name", T_WRITE, "policies/" POL "/update",
	  "policy_name=census_bad policy_version=2.0.0\n" ALLOW, .err = EINVAL, .where = W_POLICY,
	  .msg = "policies/census_pol/update received policy 'census_bad'; an update keeps the name" },
	{ F_TEXT, "update that does not parse", T_WRITE, "policies/" POL "/update",
	  "policy_name=" POL " policy_version=2.0.0\nop=EXECUTE action=ALLOW\n", .err = EBADMSG,
	  .where = W_POLICY, .msg = "line 2: end of policy: op=EXECUTE has no DEFAULT" },
	{ F_TEXT, "activating an older version", T_WRITE, "policies/" OLD "/active", "1",
	  .err = ESTALE, .where = W_POLICY,
	  .msg = "activation refused: 'census_old' 0.9.0 is older than the active 'baseline' 1.0.0" },
	{ F_TEXT, "deleting the active policy", T_WRITE, "policies/baseline/delete", "1",
	  .err = EBUSY, .where = W_POLICY,
	  .msg = "delete refused: 'baseline' is the active policy; activate another first" },
	{ F_TEXT, "active: '0'", T_WRITE, "policies/" POL "/active", "0",
	  .err = EINVAL, .where = W_POLICY,
	  .msg = "policy write refused: " POL "/active: only 1 means something here" },
	{ F_TEXT, "active: 'maybe'", T_WRITE, "policies/" POL "/active", "maybe",
	  .err = EINVAL, .where = W_POLICY,
	  .msg = "policy write refused: " POL "/active: write 1" },
	{ F_TEXT, "enforce: '2'", T_WRITE, "enforce", "2", .err = EINVAL, .where = W_POLICY,
	  .msg = "policy write refused: sigil/enforce: write 0 or 1" },

	/* ---- PKCS#7, attached ---- */
	{ F_P7, "content changed after signing", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7tamper", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify: the policy or its signature was changed" },
	{ F_P7, "signature value changed", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7", .pokes = "-10=00,-11=00", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "policy rejected: the PKCS#7 signature does not verify: the policy or its signature was changed" },
	{ F_P7, "signed by a key in no trusted keyring", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7stranger", .err = ENOKEY, .where = W_POLICY,
	  .msg = "the PKCS#7 signer is not in .sigil" },
	{ F_P7, "two signers", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7two", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "a PKCS#7 message with 2 signers: sign with one key" },
	{ F_P7, "S/MIME (PEM) instead of DER", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.smime", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: a PEM or S/MIME message: write DER ('openssl smime -sign -nodetach -binary -outform der')" },
	{ F_P7, "over the 64 KiB the kernel's ASN.1 parser takes", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "mid.p7", .err = EMSGSIZE, .where = W_POLICY,
	  .msg = "use the SIGILP7 container (detached signature) or OpenPGP" },
	{ F_P7, "a byte after the message", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7", .extra = "\n", .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 1406: 1 bytes after the end of the PKCS#7 message" },
	{ F_P7, "BER with an indefinite length", T_WRITE, "new_policy",
	  "\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\x00\x00", 15,
	  .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: PKCS#7 in BER with indefinite lengths" },
	{ F_P7, "a length of 5 octets", T_WRITE, "new_policy", "\x30\x85\x01\x00\x00\x00\x00", 7,
	  .err = EBADMSG, .where = W_POLICY, .msg = "byte 0: PKCS#7 length of 5 octets is too long" },
	{ F_P7, "a SEQUENCE that is not PKCS#7 (an X.509 certificate)", T_WRITE, "new_policy",
	  .build = b_file, .file = FIX_SIGS "keys/rsa.der", .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy rejected: PKCS#7: " },
	{ F_P7, "a SEQUENCE holding one INTEGER", T_WRITE, "new_policy", "\x30\x03\x02\x01\x00", 5,
	  .err = EBADMSG, .where = W_POLICY, .msg = "policy rejected: PKCS#7: " },
	{ F_P7, "content type data, not signedData", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7", .pokes = "14=01", .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy rejected: PKCS#7: " },
	{ F_P7, "truncated by one byte, then closed", T_CLOSE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7", .keep = -1, .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy discarded: the file was closed after 1405 bytes of a signed policy of at least 1406" },
	{ F_P7, "changed, in 7-byte writes", T_PIECES, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7tamper", .piece = 7, .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify" },
	{ F_P7, "the message twice through one open file", T_TWICE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7", .err = EINVAL, .where = W_POLICY,
	  .msg = "policy write refused: one upload per open file: open the file again for the next one" },

	/* ---- the SIGILP7 container (detached PKCS#7) ---- */
	{ F_P7D, "text changed after signing", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7dtamper", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify: the policy or its signature was changed" },
	{ F_P7D, "one byte of the text changed", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7d", .pokes = "30=32", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify" },
	{ F_P7D, "the signature is not DER", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7d", .pokes = "208=31", .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 208: not a DER PKCS#7 message: it does not start with a SEQUENCE" },
	{ F_P7D, "a byte after the signature", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7d", .extra = "x", .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 1411: 1 bytes after the end of the PKCS#7 signature" },
	{ F_P7D, "the text length announces 4 GiB", T_WRITE, "new_policy",
	  "SIGILP7\n\xff\xff\xff\xff", 12, .err = EFBIG, .where = W_POLICY,
	  .msg = "policy rejected: 4294967309 bytes; the limit is 67108864" },
	{ F_P7D, "the text length one byte short", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7d", .pokes = "8=c3", .err = EBADMSG, .where = W_POLICY,
	  .msg = "not a DER PKCS#7 message" },
	{ F_P7D, "an attached PKCS#7 message in the container", T_WRITE, "new_policy",
	  .build = b_file, .file = NULL, .err = EBADMSG, .where = W_POLICY,
	  .msg = "the PKCS#7 signature in the SIGILP7 container is not detached: it carries a policy of its own" },
	{ F_P7D, "the magic alone, then closed", T_CLOSE, "new_policy", "SIGILP7\n", 8,
	  .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy discarded: the file was closed after 8 bytes of a signed policy of at least 12" },
	{ F_P7D, "half of it, then closed", T_CLOSE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7d", .keep = 700, .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy discarded: the file was closed after 700 bytes" },
	{ F_P7D, "text changed, in 100-byte writes", T_PIECES, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.p7dtamper", .piece = 100, .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify" },
	{ F_P7D, "another policy's signature over the text", T_WRITE, "new_policy",
	  .build = b_file, .file = NULL, .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the PKCS#7 signature does not verify" },

	/* ---- OpenPGP signed policies ---- */
	{ F_PGPM, "gpg: text changed after signing", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpgtamper", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the OpenPGP signature does not verify: the policy or its signature was changed" },
	{ F_PGPM, "sq: text changed after signing", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.sqtamper", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the OpenPGP signature does not verify" },
	{ F_PGPM, "gpg: signed by a key not in .sigil", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpgstranger", .err = ENOKEY, .where = W_POLICY,
	  .msg = "is not in the keyring" },
	{ F_PGPM, "gpg: compressed (the default)", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpgz", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: the message is compressed: sign with 'gpg --sign --compress-algo none'" },
	{ F_PGPM, "gpg: armored", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.asc", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: an armored OpenPGP message: write the binary form" },
	{ F_PGPM, "gpg: clear-signed", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.clear", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: a cleartext-signed message" },
	{ F_PGPM, "gpg: text mode (--textmode)", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpgtext", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "a signature of type 0x01: policies need a binary signature (0x00)" },
	{ F_PGPM, "gpg: a byte after the signature", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpg", .extra = "\xc2", .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 551: 1 bytes after the signature packet" },
	{ F_PGPM, "gpg: a marker packet after the signature", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpg", .extra = "\xca\x03PGP", .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 551: 5 bytes after the signature packet" },
	{ F_PGPM, "gpg: no one-pass signature packet", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .keep = -1, .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 0: expected a one-pass signature packet, found a literal data packet (tag 11)" },
	{ F_PGPM, "gpg: a literal data packet only", T_WRITE, "new_policy", "\xcb\x07" "b\0\0\0\0\0x", 9,
	  .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 0: expected a one-pass signature packet, found a literal data packet (tag 11)" },
	{ F_PGPM, "gpg: one-pass signature of 12 bytes", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .keep = 12, .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 0: one-pass signature packet of 12 bytes; 13 expected" },
	{ F_PGPM, "gpg: one-pass signature version 4", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .pokes = "0=04", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: one-pass signature version 4; only version 3 is supported" },
	{ F_PGPM, "gpg: one-pass names another hash algorithm", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .pokes = "2=08", .err = EBADMSG, .where = W_POLICY,
	  .msg = "the signature does not match its one-pass signature packet (type, hash or algorithm)" },
	{ F_PGPM, "gpg: one-pass names another key", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .pokes = "4=00", .err = EBADMSG, .where = W_POLICY,
	  .msg = "the signature's issuer is not the key its one-pass signature packet names" },
	{ F_PGPM, "gpg: one-pass announces a nested signature", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 0, .pokes = "12=00", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 0: nested one-pass signatures" },
	{ F_PGPM, "gpg: two one-pass signature packets", T_WRITE, "new_policy", .build = b_file,
	  .file = NULL, .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 15: a second one-pass signature: the message must carry exactly one signature" },
	{ F_PGPM, "gpg: signature version 3", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .pokes = "0=03", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "v3 signatures are not supported; sign with a v4 key" },
	{ F_PGPM, "gpg: signature version 5", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .pokes = "0=05", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "v5 signatures (LibrePGP) are not supported" },
	{ F_PGPM, "gpg: signature version 9", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .pokes = "0=09", .err = EBADMSG, .where = W_POLICY,
	  .msg = "unknown signature version 9" },
	{ F_PGPM, "gpg: signature packet of 7 bytes", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .keep = 7, .err = EBADMSG, .where = W_POLICY,
	  .msg = "truncated signature packet" },
	{ F_PGPM, "gpg: signature cut inside its hashed area", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .keep = 20, .err = EBADMSG, .where = W_POLICY,
	  .msg = "truncated hashed subpacket area" },
	{ F_PGPM, "gpg: signature with a byte after its value", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .extra = "\0", .extra_len = 1, .err = EBADMSG,
	  .where = W_POLICY, .msg = "1 bytes of trailing data in the signature packet" },
	{ F_PGPM, "gpg: signature algorithm 22 (EdDSA)", T_WRITE, "new_policy", .build = b_pgp,
	  .file = FIX_POL "v1.gpg", .pkt = 2, .pokes = "2=16", .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "signature algorithm 22: EdDSA" },
	{ F_PGPM, "gpg: signature type 0x13 (a key certification)", T_WRITE, "new_policy",
	  .build = b_pgp, .file = FIX_POL "v1.gpg", .pkt = 2, .pokes = "1=13", .err = EBADMSG,
	  .where = W_POLICY,
	  .msg = "the signature does not match its one-pass signature packet" },
	{ F_PGPM, "gpg: signature value changed", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpg", .pokes = "-3=00,-4=00", .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the OpenPGP signature does not verify" },
	{ F_PGPM, "gpg: a partial body length in the signature", T_WRITE, "new_policy",
	  "\x90\x0d\x03\x00\x0a\x01\xab\x0a\xaf\x59\xff\x3a\x0b\xb6\x01"
	  "\xcb\x07" "b\0\0\0\0\0x" "\xc2\xe9", 26, .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 24: signature packet uses a partial body length, which only data packets may" },
	{ F_PGPM, "gpg: a first partial length of 2 bytes", T_WRITE, "new_policy",
	  "\x90\x0d\x03\x00\x0a\x01\xab\x0a\xaf\x59\xff\x3a\x0b\xb6\x01" "\xcb\xe1", 17,
	  .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 15: the first partial body length is 2; RFC 4880 requires at least 512" },
	{ F_PGPM, "gpg: an indeterminate length (old format)", T_WRITE, "new_policy",
	  "\x90\x0d\x03\x00\x0a\x01\xab\x0a\xaf\x59\xff\x3a\x0b\xb6\x01" "\xaf" "b\0\0\0\0\0x", 23,
	  .err = EOPNOTSUPP, .where = W_POLICY,
	  .msg = "byte 15: literal data packet of indeterminate length: write the message to a file, not a pipe" },
	{ F_PGPM, "gpg: a byte without the packet bit", T_WRITE, "new_policy",
	  "\x90\x0d\x03\x00\x0a\x01\xab\x0a\xaf\x59\xff\x3a\x0b\xb6\x01" "\x4b", 16,
	  .err = EBADMSG, .where = W_POLICY, .msg = "byte 15: not an OpenPGP packet (header byte 0x4b)" },
	{ F_PGPM, "gpg: cut in the middle, then closed", T_CLOSE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpg", .keep = 300, .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy discarded: the file was closed after 300 bytes" },
	{ F_PGPM, "gpg from a pipe: cut in a chunk, then closed", T_CLOSE, "new_policy",
	  .build = b_file, .file = FIX_POL "v1.gpgpipe", .keep = 100, .err = EBADMSG, .where = W_POLICY,
	  .msg = "policy discarded: the file was closed after 100 bytes" },
	{ F_PGPM, "gpg: changed, in 7-byte writes", T_PIECES, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpgtamper", .piece = 7, .err = EKEYREJECTED, .where = W_POLICY,
	  .msg = "the OpenPGP signature does not verify" },
	{ F_PGPM, "sq: a byte after the signature", T_WRITE, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.sq", .extra = "\xc2\x00", .extra_len = 2, .err = EBADMSG, .where = W_POLICY,
	  .msg = "byte 730: 2 bytes after the signature packet" },
	{ F_PGPM, "sq: the signature's creation time removed", T_WRITE, "new_policy",
	  .build = b_file, .file = NULL, .err = EBADMSG, .where = W_POLICY,
	  .msg = "signature has no creation time in its hashed area" },

	/* ---- OpenPGP keys for .sigil ---- */
	{ F_PGPK, "Ed25519 (sq)", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "sq-ed25519.pgp",
	  .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: EdDSA (Ed25519/Ed448) keys are not supported" },
	{ F_PGPK, "Ed25519 (gpg)", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-ed25519.pgp",
	  .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: EdDSA (Ed25519/Ed448) keys are not supported" },
	{ F_PGPK, "DSA", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-dsa.pgp",
	  .err = EOPNOTSUPP, .where = W_KMSG, .msg = "pgp: key refused: primary key: DSA keys are not supported" },
	{ F_PGPK, "RSA 1024", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-rsa1024.pgp",
	  .err = EKEYREJECTED, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: RSA keys smaller than 2048 bits are too weak" },
	{ F_PGPK, "RSA 2560", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-rsa2560.pgp",
	  .err = EKEYREJECTED, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: RSA keys must have 2048, 3072 or 4096 bits" },
	{ F_PGPK, "revoked", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-revoked.pgp",
	  .err = EKEYREVOKED, .where = W_KMSG, .msg = "pgp: key refused: the key is revoked (byte 0)" },
	{ F_PGPK, "revoked with a SHA-1 revocation", T_ADD_KEY, .build = b_file,
	  .file = FIX_KEYS "gpg-revoked-sha1.pgp", .err = EKEYREVOKED, .where = W_KMSG,
	  .msg = "pgp: key refused: the key is revoked" },
	{ F_PGPK, "a secret key", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-rsa2048-secret.pgp",
	  .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: this is a secret key: load the public key" },
	{ F_PGPK, "armored", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-nistp256.asc",
	  .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: an armored OpenPGP key: add its binary form" },
	{ F_PGPK, "truncated to half", T_ADD_KEY, .build = b_file, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .keep = 400, .err = EBADMSG, .where = W_KMSG, .msg = "pgp: key refused: truncated " },
	{ F_PGPK, "cut inside the key packet", T_ADD_KEY, .build = b_file,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .keep = 100, .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: truncated public key packet: its header announces 269 bytes, 97 follow (byte 0)" },
	{ F_PGPK, "two keys in one payload", T_ADD_KEY, .build = b_twice,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: more than one key: add the keys of a keyring one at a time" },
	{ F_PGPK, "a zero byte after the key", T_ADD_KEY, .build = b_file,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .extra = "\0", .extra_len = 1, .err = EBADMSG,
	  .where = W_KMSG, .msg = "pgp: key refused: not an OpenPGP packet (header byte 0x00)" },
	{ F_PGPK, "key version 3", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "0=03", .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: v3 keys are not supported" },
	{ F_PGPK, "key version 5", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "0=05", .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: v5 keys (LibrePGP) are not supported" },
	{ F_PGPK, "key version 6", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "0=06", .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: v6 keys (RFC 9580) are not supported" },
	{ F_PGPK, "key version 7", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "0=07", .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: unknown key version 7 (byte 3)" },
	{ F_PGPK, "key packet of 5 bytes", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .keep = 5, .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: truncated key packet (byte 2)" },
	{ F_PGPK, "algorithm 99 (unknown)", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "5=63", .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: unknown public-key algorithm" },
	{ F_PGPK, "algorithm 2 (RSA encrypt-only)", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 0, .pokes = "5=02", .err = EOPNOTSUPP,
	  .where = W_KMSG, .msg = "pgp: key refused: primary key: RSA encrypt-only keys cannot sign" },
	{ F_PGPK, "algorithm 16 (ElGamal)", T_ADD_KEY, .build = b_pgp, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .pkt = 0, .pokes = "5=10", .err = EOPNOTSUPP, .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: ElGamal keys are not supported: ElGamal does not sign" },
	{ F_PGPK, "algorithm 18 (ECDH): no key that signs", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-nistp256.pgp", .pkt = 0, .pokes = "5=12", .err = EOPNOTSUPP,
	  .where = W_KMSG, .msg = "pgp: key refused: primary key: ECDH keys are for encryption and cannot sign" },
	{ F_PGPK, "RSA modulus announces 65535 bits", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 0, .pokes = "6=ff,7=ff", .err = EBADMSG,
	  .where = W_KMSG, .msg = "pgp: key refused: truncated RSA modulus: 8192 bytes announced, 261 follow" },
	{ F_PGPK, "RSA exponent cut off", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 0, .keep = 265, .err = EBADMSG,
	  .where = W_KMSG, .msg = "pgp: key refused: truncated RSA exponent" },
	{ F_PGPK, "RSA exponent even", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 0, .pokes = "-1=00", .err = EKEYREJECTED,
	  .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: RSA public exponent must be odd, at least 3 and at most 32 bits" },
	{ F_PGPK, "a byte after the RSA exponent", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 0, .extra = "\0", .extra_len = 1,
	  .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: 1 bytes of trailing data in the key packet" },
	{ F_PGPK, "ECDSA point compressed", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-nistp256.pgp", .pkt = 0, .pokes = "17=02", .err = EBADMSG,
	  .where = W_KMSG,
	  .msg = "pgp: key refused: ECDSA public point is not an uncompressed point on its curve" },
	{ F_PGPK, "ECDSA on an unknown curve", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-nistp256.pgp", .pkt = 0, .pokes = "14=08", .err = EOPNOTSUPP,
	  .where = W_KMSG,
	  .msg = "pgp: key refused: primary key: ECDSA on this curve is not supported (P-256 and P-384 are)" },
	{ F_PGPK, "ECDSA curve OID of length 0", T_ADD_KEY, .build = b_pgp,
	  .file = FIX_KEYS "gpg-nistp256.pgp", .pkt = 0, .pokes = "6=00", .err = EBADMSG,
	  .where = W_KMSG, .msg = "pgp: key refused: malformed curve OID" },
	{ F_PGPK, "a partial body length", T_ADD_KEY, NULL, "\xc6\xe1\x04\x00", 4, .err = EBADMSG,
	  .where = W_KMSG,
	  .msg = "pgp: key refused: public key packet uses a partial body length, which only data packets may (byte 0)" },
	{ F_PGPK, "a literal data packet in the key", T_ADD_KEY, .build = b_pgp_add,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 11, .extra = "b\0\0\0\0\0", .extra_len = 6,
	  .err = EBADMSG, .where = W_KMSG, .msg = "pgp: key refused: unexpected packet (tag 11) in a public key" },
	{ F_PGPK, "a secret subkey packet in the key", T_ADD_KEY, .build = b_pgp_add,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .pkt = 7, .extra = "\x04\0\0\0\0\x01", .extra_len = 6,
	  .err = EBADMSG, .where = W_KMSG,
	  .msg = "pgp: key refused: secret key material: load the public key" },
	{ F_PGPK, "a user ID after the subkey", T_ADD_KEY, .build = b_pgp_add,
	  .file = FIX_KEYS "gpg-rsa3072-sub-p256.pgp", .pkt = 13, .extra = "x <x@x>", .extra_len = 7,
	  .err = EBADMSG, .where = W_KMSG, .msg = "pgp: key refused: user ID after a subkey" },
	{ F_PGPK, "a packet with the reserved tag 0 in the key", T_ADD_KEY, .build = b_file,
	  .file = FIX_KEYS "gpg-rsa2048.pgp", .extra = "\xc0\x00", .extra_len = 2, .err = EBADMSG,
	  .where = W_KMSG, .msg = "pgp: key refused: packet with the reserved tag 0" },
	{ F_PGPK, "a user ID packet first", T_ADD_KEY, NULL, "\xcd\x03" "abc", 5, .err = EBADMSG,
	  .where = W_KMSG, .msg = "key refused: OpenPGP packets that start with a packet of tag 13, not a public key (tag 6)" },

	/* ---- X.509 certificates for .sigil ---- */
	{ F_X509, "truncated to half", T_ADD_KEY, .build = b_file, .file = FIX_SIGS "keys/rsa.der",
	  .keep = 400, .err = EBADMSG, .where = W_NONE,
	  .finding = "the kernel's X.509 parser refuses it without a message" },
	{ F_X509, "PEM instead of DER", T_ADD_KEY, .build = b_file, .file = FIX_SIGS "keys/rsa.pem",
	  .err = EBADMSG, .where = W_NONE,
	  .finding = "the kernel's X.509 parser refuses it without a message" },
	{ F_X509, "a byte after the certificate", T_ADD_KEY, .build = b_file,
	  .file = FIX_SIGS "keys/rsa.der", .extra = "\0", .extra_len = 1, .err = 0,
	  .where = W_NONE,
	  .finding = "accepted: the kernel's X.509 parser ignores bytes after the certificate (here it updates the key already in .sigil)" },
	{ F_X509, "self-signature changed", T_ADD_KEY, .build = b_file,
	  .file = FIX_SIGS "keys/rsa.der", .pokes = "-5=00,-6=00", .err = EINVAL,
	  .where = W_NONE,
	  .finding = "EINVAL, not EKEYREJECTED, and no message: the kernel checks the self-signature" },
	{ F_X509, "an empty payload", T_ADD_KEY, NULL, "", 0, .err = EINVAL, .where = W_NONE,
	  .finding = "the key type refuses it without a message" },
	{ F_X509, "garbage", T_ADD_KEY, NULL, "not a certificate", 0, .err = EBADMSG, .where = W_NONE,
	  .finding = "the kernel's X.509 parser refuses it without a message" },
	{ F_X509, "the private key (DER)", T_ADD_KEY, .build = b_file, .file = FIX_SIGS "keys/rsa.key",
	  .err = EBADMSG, .where = W_NONE,
	  .finding = "the kernel's X.509 parser refuses it without a message" },

	/* ---- security.ima, decided at exec and mmap ---- */
	{ F_IMA, "empty", T_EXEC, .text = "", .on = "a", .xattr = "security.ima",
	  .err = EACCES, .where = W_LOG, .msg = "reason=\"ima_signature: security.ima is empty\"" },
	{ F_IMA, "v2 header only (9 bytes)", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .keep = 9, .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima signature is 9 bytes long\"" },
	{ F_IMA, "type 3 with version 3", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "1=03", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima type 3 with signature version 3 (type 3 is v2, type 6 is v3)\"" },
	{ F_IMA, "type 6 with version 2", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima3",
	  .pokes = "1=02", .on = "a", .verity = 1, .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima type 6 with signature version 2" },
	{ F_IMA, "last byte missing", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .keep = -1, .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima announces a 256-byte signature, 255 bytes follow\"" },
	{ F_IMA, "a byte after the signature", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .extra = "\0", .extra_len = 1, .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima announces a 256-byte signature, 257 bytes follow\"" },
	{ F_IMA, "length field zero", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "7=00,8=00", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "security.ima announces a 0-byte signature, 256 bytes follow" },
	{ F_IMA, "over SHA-1", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "2=02", .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_EXPLAIN,
	  .msg = "ima_signature_reason=security.ima signs a SHA-1 digest, which is refused" },
	{ F_IMA, "over MD5", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "2=01", .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_EXPLAIN,
	  .msg = "ima_signature_reason=security.ima signs a MD5 digest, which is refused" },
	{ F_IMA, "hash algorithm 17 (SM3)", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "2=11", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"ima_signature: security.ima hash algorithm 17 is not supported (SHA-256, SHA-384 and SHA-512 are)\"" },
	{ F_IMA, "hash algorithm 200", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "2=c8", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = "security.ima hash algorithm 200 is not supported" },
	{ F_IMA, "claims SHA-512, signed SHA-256", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "2=06", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = " ima_sig=bad-signature" },
	{ F_IMA, "key ID of no key", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "3=00,4=00,5=00,6=00", .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_LOG, .msg = " ima_sig=unknown-key" },
	{ F_IMA, "by a key not in .sigil", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.ima2-stranger", .on = "a", .xattr = "security.ima",
	  .err = EACCES, .where = W_LOG, .msg = " ima_sig=unknown-key" },
	{ F_IMA, "signature value changed", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima2",
	  .pokes = "-8=00,-9=00", .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = " ima_sig=bad-signature" },
	{ F_IMA, "another file's signature", T_EXEC, .build = b_file, .file = FIX_SIGS "files/b.ima2",
	  .on = "a", .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = " ima_sig=bad-signature" },
	{ F_IMA, "another file's signature, by mmap", T_MMAP, .build = b_file,
	  .file = FIX_SIGS "files/b.ima2", .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_LOG, .msg = " ima_sig=bad-signature" },
	{ F_IMA, "ECDSA signature value changed, by mmap", T_MMAP, .build = b_file,
	  .file = FIX_SIGS "files/a.ima2ec", .pokes = "-4=00,-5=00", .on = "a",
	  .xattr = "security.ima", .err = EACCES, .where = W_LOG, .msg = " ima_sig=bad-signature" },
	{ F_IMA, "a bare hash (type 4), not a signature", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.ima2", .pokes = "0=04", .on = "a", .xattr = "security.ima",
	  .err = EACCES, .where = W_LOG, .msg = " ima_sig=absent",
	  .finding = "an IMA value of another type counts as no signature; the log does not say that one was there" },
	{ F_IMA, "v3 on a file without fs-verity", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.ima3", .on = "a", .xattr = "security.ima", .err = EACCES,
	  .where = W_LOG, .msg = " ima_sig=no-fsverity" },
	{ F_IMA, "v3 of another file", T_EXEC, .build = b_file, .file = FIX_SIGS "files/b.ima3",
	  .on = "a", .verity = 1, .xattr = "security.ima", .err = EACCES, .where = W_LOG,
	  .msg = " ima_sig=bad-signature" },
	{ F_IMA, "v3 with hash algorithm 17", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.ima3",
	  .pokes = "2=11", .on = "a", .verity = 1, .xattr = "security.ima", .err = EACCES,
	  .where = W_LOG, .msg = "security.ima hash algorithm 17 is not supported" },

	/* ---- security.sigil (OpenPGP), decided at exec and mmap ---- */
	{ F_SIGIL, "two bytes", T_EXEC, NULL, "\x01\x02", 2, .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: security.sigil is 2 bytes long\"" },
	{ F_SIGIL, "version 2", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.pgp2",
	  .pokes = "0=02", .on = "a", .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: security.sigil version 2 is unknown (1 is)\"" },
	{ F_SIGIL, "kind 9", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.pgp2",
	  .pokes = "1=09", .on = "a", .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: security.sigil kind 9 is unknown (1: fs-verity digest, 2: content)\"" },
	{ F_SIGIL, "kind 1 on a file without fs-verity", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.pgp1", .on = "a", .xattr = "security.sigil", .err = EACCES,
	  .where = W_LOG, .msg = " pgp_sig=no-fsverity" },
	{ F_SIGIL, "packet tag 13 (user ID)", T_EXEC, NULL, "\x01\x02\xcd\x03" "abc", 7, .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: security.sigil holds a packet with tag 13, not a signature\"" },
	{ F_SIGIL, "last byte missing", T_EXEC, .build = b_file, .file = FIX_SIGS "files/a.pgp2",
	  .keep = -1, .on = "a", .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: truncated signature packet: its header announces" },
	{ F_SIGIL, "a byte after the signature", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.pgp2", .extra = "\0", .extra_len = 1, .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "reason=\"pgp_signature: 1 bytes after the signature in security.sigil\"" },
	{ F_SIGIL, "a partial body length", T_EXEC, NULL, "\x01\x02\xc2\xe9\x04", 5, .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "signature packet uses a partial body length, which only data packets may" },
	{ F_SIGIL, "text mode (0x01)", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/script.pgp2text", .on = "a", .xattr = "security.sigil",
	  .err = EACCES,
	  .where = W_EXPLAIN,
	  .msg = "pgp_signature_reason=a text-mode (0x01) signature covers many byte strings" },
	{ F_SIGIL, "signature version 3", T_EXEC, .build = b_pgp, .file = FIX_SIGS "files/a.pgp2",
	  .skip = 2, .pkt = 0, .pokes = "0=03", .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_LOG, .msg = "v3 signatures are not supported" },
	{ F_SIGIL, "signature version 6", T_EXEC, .build = b_pgp, .file = FIX_SIGS "files/a.pgp2",
	  .skip = 2, .pkt = 0, .pokes = "0=06", .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_LOG, .msg = "v6 signatures (RFC 9580) are not supported" },
	{ F_SIGIL, "signature algorithm 22 (EdDSA)", T_EXEC, .build = b_pgp,
	  .file = FIX_SIGS "files/a.pgp2", .skip = 2, .pkt = 0, .pokes = "2=16", .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG, .msg = "signature algorithm 22: EdDSA" },
	{ F_SIGIL, "signature type 0x13", T_EXEC, .build = b_pgp, .file = FIX_SIGS "files/a.pgp2",
	  .skip = 2, .pkt = 0, .pokes = "1=13", .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_EXPLAIN,
	  .msg = "pgp_signature_reason=signature type 0x13 does not sign data" },
	{ F_SIGIL, "signature cut inside its hashed area", T_EXEC, .build = b_pgp,
	  .file = FIX_SIGS "files/a.pgp2", .skip = 2, .pkt = 0, .keep = 20, .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = "truncated hashed subpacket area" },
	{ F_SIGIL, "by a key not in .sigil (gpg)", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.pgp2-stranger", .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_LOG, .msg = " pgp_sig=unknown-key" },
	{ F_SIGIL, "by a key not in .sigil (sq)", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.sq2-stranger", .on = "a", .xattr = "security.sigil",
	  .err = EACCES, .where = W_LOG, .msg = " pgp_sig=unknown-key" },
	{ F_SIGIL, "another file's signature", T_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/b.pgp2", .on = "a", .xattr = "security.sigil", .err = EACCES,
	  .where = W_LOG, .msg = " pgp_sig=bad-signature" },
	{ F_SIGIL, "signature value changed, by mmap", T_MMAP, .build = b_file,
	  .file = FIX_SIGS "files/a.pgp2", .pokes = "-8=00,-9=00", .on = "a",
	  .xattr = "security.sigil", .err = EACCES, .where = W_LOG, .msg = " pgp_sig=bad-signature" },
	{ F_SIGIL, "kind 1 of another file", T_EXEC, .build = b_file, .file = FIX_SIGS "files/b.pgp1",
	  .on = "a", .verity = 1, .xattr = "security.sigil", .err = EACCES, .where = W_LOG,
	  .msg = " pgp_sig=bad-signature" },

	/* ---- fs-verity builtin signatures ---- */
	{ F_FSV, "garbage", T_VERITY, NULL, "not a signature", 0, .on = "a", .err = EBADMSG,
	  .where = W_KMSG, .msg = "Malformed file signature" },
	{ F_FSV, "truncated", T_VERITY, .build = b_file, .file = FIX_SIGS "files/a.fsv",
	  .keep = -20, .on = "a", .err = EBADMSG, .where = W_KMSG, .msg = "Malformed file signature" },
	{ F_FSV, "another file's signature", T_VERITY, .build = b_file, .file = FIX_SIGS "files/b.fsv",
	  .on = "a", .err = EKEYREJECTED, .where = W_KMSG, .msg = "Incorrect file signature" },
	{ F_FSV, "signature value changed", T_VERITY, .build = b_file, .file = FIX_SIGS "files/a.fsv",
	  .pokes = "-10=00,-11=00", .on = "a", .err = EKEYREJECTED, .where = W_KMSG,
	  .msg = "Incorrect file signature" },
	{ F_FSV, "by a key not in .fs-verity", T_VERITY, .build = b_file,
	  .file = FIX_SIGS "files/a.fsv-stranger", .on = "a", .setup = stranger_absent,
	  .err = ENOKEY, .where = W_KMSG, .msg = "File's signing cert isn't in the fs-verity keyring" },
	{ F_FSV, "accepted by .fs-verity, signer not in .sigil", T_VERITY_EXEC, .build = b_file,
	  .file = FIX_SIGS "files/a.fsv-stranger", .on = "a", .setup = stranger_present,
	  .err = EACCES, .where = W_LOG, .msg = " fsverity_sig=unknown-key" },
	{ F_FSV, "accepted by .fs-verity, signer not in .sigil (by subject key ID)", T_VERITY_EXEC,
	  .build = b_file, .file = FIX_SIGS "files/a.fsvskid-stranger", .on = "a",
	  .setup = stranger_present, .err = EACCES, .where = W_LOG, .msg = " fsverity_sig=unknown-key" },
	{ F_FSV, "accepted by .fs-verity, with its certificate attached", T_VERITY_EXEC,
	  .build = b_file, .file = FIX_SIGS "files/a.fsvcerts", .on = "a", .err = EACCES,
	  .where = W_EXPLAIN,
	  .msg = "fsverity_signature_reason=the PKCS#7 signature carries certificates" },
	{ F_FSV, "accepted by .fs-verity, with two signers", T_VERITY_EXEC,
	  .build = b_file, .file = FIX_SIGS "files/a.fsv2signers", .on = "a", .err = EACCES,
	  .where = W_EXPLAIN,
	  .msg = "fsverity_signature_reason=the PKCS#7 signature has 2 signers: sign with one key" },

	/* ---- manifests ---- */
	MTEXT("a blank line only", "\n", EBADMSG,
	      "manifest rejected: line 1: manifest is empty: expected the header 'manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH'"),
	MTEXT("an entry before the header", "/x/a " MDIG "\n" MHDR, EBADMSG,
	      "manifest rejected: line 1, column 1: expected the header 'manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH' first, got '/x/a'"),
	MTEXT("no version", "manifest_name=census-bad\n/x/a " MDIG "\n", EBADMSG,
	      "line 1, column 1: header 'manifest_name=census-bad' has no manifest_version= after manifest_name="),
	MTEXT("third header token", "manifest_name=census-bad manifest_version=1.0.0 extra\n", EBADMSG,
	      "line 1, column 49: unexpected 'extra' after manifest_version"),
	MTEXT("name with '/'", "manifest_name=a/b manifest_version=1.0.0\n", EBADMSG,
	      "line 1, column 16: manifest_name 'a/b' contains '/': a name is made of A-Z a-z 0-9 . _ + : -"),
	MTEXT("name 'ANY' (reserved)", "manifest_name=ANY manifest_version=1.0.0\n", EBADMSG,
	      "line 1, column 1: manifest_name cannot be 'ANY'"),
	MTEXT("name '..'", "manifest_name=.. manifest_version=1.0.0\n", EBADMSG,
	      "line 1, column 1: manifest_name cannot be '..'"),
	MTEXT("empty name", "manifest_name= manifest_version=1.0.0\n", EBADMSG,
	      "line 1, column 1: manifest_name is empty"),
	MTEXT("name 'new' (manifests/new)", "manifest_name=new manifest_version=1.0.0\n", EINVAL,
	      "manifest rejected: the name 'new' is taken by manifests/new"),
	MTEXT("version with two components", "manifest_name=census-bad manifest_version=1.0\n", EBADMSG,
	      "line 1, column 26: manifest_version '1.0' must have three components"),
	MTEXT("version component over 65535", "manifest_name=census-bad manifest_version=65536.0.0\n", ERANGE,
	      "line 1, column 26: manifest_version '65536.0.0': each component must be at most 65535"),
	MTEXT("version not a number", "manifest_name=census-bad manifest_version=1.x.0\n", EINVAL,
	      "line 1, column 26: manifest_version '1.x.0': each component must be a decimal number"),
	MTEXT("a second header", MHDR "/x/a " MDIG "\n" MHDR, EBADMSG,
	      "line 3, column 1: a second header 'manifest_name=census-bad'"),
	MTEXT("relative path", MHDR "x/a " MDIG "\n", EBADMSG,
	      "line 2, column 1: path 'x/a' is not absolute: it must start with '/'"),
	MTEXT("path '/'", MHDR "/ " MDIG "\n", EBADMSG, "line 2, column 1: path '/' names no file"),
	MTEXT("trailing slash", MHDR "/x/a/ " MDIG "\n", EBADMSG, "line 2, column 5: path '/x/a/' ends in '/'"),
	MTEXT("empty component", MHDR "//x/a " MDIG "\n", EBADMSG,
	      "line 2, column 2: path '//x/a' has an empty component ('//')"),
	MTEXT("'..' component", MHDR "/x/../a " MDIG "\n", EBADMSG,
	      "line 2, column 4: path '/x/../a' has a '..' component"),
	MTEXT("'.' component", MHDR "/x/./a " MDIG "\n", EBADMSG,
	      "line 2, column 4: path '/x/./a' has a '.' component"),
	MTEXT("escaped dots: '..'", MHDR "/x/\\x2e\\x2e/a " MDIG "\n", EBADMSG,
	      "line 2, column 4: path '/x/\\x2e\\x2e/a' has a '..' component"),
	MTEXT("escape \\n", MHDR "/x/a\\nb " MDIG "\n", EBADMSG,
	      "line 2, column 5: path '/x/a\\nb': '\\n' is not an escape (a backslash is written \\\\, a byte \\xHH)"),
	MTEXT("escape with one hex digit", MHDR "/x/a\\x4 " MDIG "\n", EBADMSG,
	      "line 2, column 5: path '/x/a\\x4': '\\x4' is not an escape (\\xHH takes two hex digits)"),
	MTEXT("escape \\x00", MHDR "/x/a\\x00b " MDIG "\n", EBADMSG,
	      "line 2, column 5: path '/x/a\\x00b': '\\x00' would be a NUL byte, which a path cannot hold"),
	MTEXT("raw CR inside a path", MHDR "/x/a\rb " MDIG "\n", EBADMSG,
	      "path '/x/a?b': a carriage return in a path is written \\x0d"),
	MTEXTN("NUL in a path", MHDR "/x/a\0b " MDIG "\n", EBADMSG,
	       "line 2, column 5: NUL byte in manifest text"),
	{ F_MF, "component of 256 bytes", T_WRITE, "manifests/new", .build = b_file,
	  .err = ENAMETOOLONG, .where = W_MANIFEST, .msg = "line 2, column 4: path '/x/cccccccccccccccc" },
	MTEXT("path listed twice", MHDR "/x/a " MDIG "\n/x/b " MDIG "\n/x/a content=sha256:" HEX64 "\n", EBADMSG,
	      "line 4, column 1: path '/x/a' is listed twice (first on line 2)"),
	MTEXT("path listed twice, once escaped", MHDR "/x/a " MDIG "\n/x/\\x61 " MDIG "\n", EBADMSG,
	      "line 3, column 1: path '/x/\\x61' is listed twice (first on line 2)"),
	MTEXT("no digest", MHDR "/x/a\n", EBADMSG,
	      "line 2, column 1: entry '/x/a' has no digest: an entry is 'PATH KIND=sha256:HEX'"),
	MTEXT("a comment after an entry", MHDR "/x/a " MDIG " # c\n", EBADMSG,
	      "line 2, column 87: unexpected '#' after the digest"),
	MTEXT("unknown digest kind", MHDR "/x/a sha256=sha256:" HEX64 "\n", EBADMSG,
	      "line 2, column 6: unknown digest kind 'sha256' (expected fsverity or content)"),
	MTEXT("sha512", MHDR "/x/a fsverity=sha512:" HEX64 HEX64 "\n", EBADMSG,
	      "line 2, column 15: fsverity= takes sha256:HEX, got 'sha512'"),
	MTEXT("63 hex digits", MHDR "/x/a fsverity=sha256:" HEX63 "\n", EBADMSG,
	      "line 2, column 22: fsverity=: a sha256 digest is 64 hex digits, got 63"),
	MTEXT("a digit that is not hex", MHDR "/x/a content=sha256:" HEX63 "g\n", EBADMSG,
	      "line 2, column 84: content=: 'g' is not a hex digit"),
	MTEXT("a bad line after comments and CRLFs", "# c\r\n\r\n" MHDR "/x/a fsverity=sha256:zz\r\n", EBADMSG,
	      "line 4, column 22: fsverity=: 'z' is not a hex digit"),
	{ F_MF, "signed (PKCS#7), changed", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.p7tamper", .err = EKEYREJECTED, .where = W_MANIFEST,
	  .msg = "manifest rejected: the PKCS#7 signature does not verify: the manifest or its signature was changed" },
	{ F_MF, "signed (SIGILP7), changed", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.p7dtamper", .err = EKEYREJECTED, .where = W_MANIFEST,
	  .msg = "manifest rejected: the PKCS#7 signature does not verify" },
	{ F_MF, "signed (gpg), changed", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.gpgtamper", .err = EKEYREJECTED, .where = W_MANIFEST,
	  .msg = "manifest rejected: the OpenPGP signature does not verify: the manifest or its signature was changed" },
	{ F_MF, "signed (sq), changed", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.sqtamper", .err = EKEYREJECTED, .where = W_MANIFEST,
	  .msg = "manifest rejected: the OpenPGP signature does not verify" },
	{ F_MF, "signed (PKCS#7) by a stranger", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.p7stranger", .err = ENOKEY, .where = W_MANIFEST,
	  .msg = "manifest rejected: the PKCS#7 signer is not in .sigil" },
	{ F_MF, "signed (gpg) by a stranger", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.gpgstranger", .err = ENOKEY, .where = W_MANIFEST,
	  .msg = "is not in the keyring" },
	{ F_MF, "signed (sq) by a stranger", T_WRITE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-bad.sqstranger", .err = ENOKEY, .where = W_MANIFEST,
	  .msg = "is not in the keyring" },
	{ F_MF, "signed (gpg), cut, then closed", T_CLOSE, "manifests/new", .build = b_file,
	  .file = FIX_MF "signed-gpg.gpg", .keep = 100, .err = EBADMSG, .where = W_MANIFEST,
	  .msg = "manifest discarded: the file was closed after 100 bytes of a signed manifest" },
	{ F_MF, "a name that is loaded", T_WRITE, "manifests/new",
	  "manifest_name=" MF " manifest_version=99.0.0\n", .err = EEXIST, .where = W_MANIFEST,
	  .msg = "manifest rejected: a manifest named 'census-mf' is loaded; write to manifests/census-mf/update" },
	{ F_MF, "a name loaded before, at the same version", T_WRITE, "manifests/new",
	  "manifest_name=" GONE " manifest_version=1.0.0\n", .err = ESTALE, .where = W_MANIFEST,
	  .msg = "manifest rejected: 'census-gone' 1.0.0 is not newer than" },
	{ F_MF, "update to an older version", T_WRITE, "manifests/" MF "/update",
	  "manifest_name=" MF " manifest_version=1.0.0\n", .err = ESTALE, .where = W_MANIFEST,
	  .msg = "manifest update rejected: 'census-mf' 1.0.0 is not newer than the loaded 2.0." },
	{ F_MF, "update under another name", T_WRITE, "manifests/" MF "/update",
	  "manifest_name=census-bad manifest_version=99.0.0\n", .err = EINVAL, .where = W_MANIFEST,
	  .msg = "manifest update rejected: manifests/census-mf/update received manifest 'census-bad'; an update keeps the name" },
	{ F_MF, "update that does not parse", T_WRITE, "manifests/" MF "/update",
	  "manifest_name=" MF " manifest_version=99.0.0\n/x/a fsverity=sha256:\n", .err = EBADMSG,
	  .where = W_MANIFEST, .msg = "line 2, column 22: fsverity=: a sha256 digest is 64 hex digits, got 0" },
	{ F_MF, "delete: '0'", T_WRITE, "manifests/" MF "/delete", "0", .err = EINVAL,
	  .where = W_MANIFEST, .msg = "manifest write refused: " MF "/delete: only 1 means something here" },

	/* ---- writes without CAP_MAC_ADMIN ---- */
	{ F_PRIV, "new_policy: a valid policy", T_NOCAP, "new_policy", HDR("census_cap") ALLOW,
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "new_policy: a signed policy", T_NOCAP, "new_policy", .build = b_file,
	  .file = FIX_POL "v1.gpg", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "policies/NAME/active", T_NOCAP, "policies/" POL "/active", "1",
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "policies/NAME/delete", T_NOCAP, "policies/" POL "/delete", "1",
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "policies/NAME/update", T_NOCAP, "policies/" POL "/update",
	  "policy_name=" POL " policy_version=2.0.0\n" ALLOW, .err = EPERM, .where = W_NONE },
	{ F_PRIV, "enforce", T_NOCAP, "enforce", "0", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "success_audit", T_NOCAP, "success_audit", "1", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "keyring_locked", T_NOCAP, "keyring_locked", "1", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "keyring_remove", T_NOCAP, "keyring_remove", "2D06BF8E276E5749",
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "explain", T_NOCAP, "explain", "/bin/prog42", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "manifests/new", T_NOCAP, "manifests/new",
	  "manifest_name=census-cap manifest_version=1.0.0\n", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "manifests/NAME/update", T_NOCAP, "manifests/" MF "/update",
	  "manifest_name=" MF " manifest_version=99.0.0\n", .err = EPERM, .where = W_NONE },
	{ F_PRIV, "manifests/NAME/delete", T_NOCAP, "manifests/" MF "/delete", "1",
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "add_key to .sigil", T_NOCAP_KEY, .build = b_file, .file = FIX_KEYS "gpg-rsa2048.pgp",
	  .err = EPERM, .where = W_NONE },
	{ F_PRIV, "new_policy as uid 65534", T_NOBODY, "new_policy", HDR("census_cap") ALLOW,
	  .err = EACCES, .where = W_NONE },
	{ F_PRIV, "enforce as uid 65534", T_NOBODY, "enforce", "0", .err = EACCES, .where = W_NONE },
	{ F_PRIV, "manifests/new as uid 65534", T_NOBODY, "manifests/new",
	  "manifest_name=census-cap manifest_version=1.0.0\n", .err = EACCES, .where = W_NONE },
	{ F_PRIV, "keyring_remove as uid 65534", T_NOBODY, "keyring_remove", "2D06BF8E276E5749",
	  .err = EACCES, .where = W_NONE },
};

#define NROWS	(sizeof(rows) / sizeof(rows[0]))

/*
 * Inputs that are too large or too fiddly for a literal: made here, for
 * the rows that have b_file without a fixture.
 */
static int special(const struct row *r, struct input *in)
{
	char buf[1024];
	size_t n;

	if (!strcmp(r->what, "name of 256 bytes")) {
		n = snprintf(buf, sizeof(buf), "policy_name=");
		memset(buf + n, 'n', 256);
		n += 256;
		n += snprintf(buf + n, sizeof(buf) - n, " policy_version=1.0.0\n" ALLOW);
		return in_set(in, buf, n);
	}
	if (!strcmp(r->what, "component of 256 bytes")) {
		n = snprintf(buf, sizeof(buf), MHDR "/x/");
		memset(buf + n, 'c', 256);
		n += 256;
		n += snprintf(buf + n, sizeof(buf) - n, " " MDIG "\n");
		return in_set(in, buf, n);
	}
	if (!strcmp(r->what, "a 100 KiB token: the message quotes 45 bytes of it")) {
		static const char head[] = PHDR ALLOW "op=EXECUTE ";
		size_t big = 100 << 10;

		if (in_set(in, head, sizeof(head) - 1))
			return -ENOMEM;
		in->buf = realloc(in->buf, in->len + big + 64);
		if (!in->buf)
			return -ENOMEM;
		memset(in->buf + in->len, 'x', big);
		in->len += big;
		memcpy(in->buf + in->len, "=1 action=ALLOW\n", 16);
		in->len += 16;
		return 0;
	}
	if (!strcmp(r->what, "one write over 64 MiB")) {
		/* Refused before a byte is copied: pages never touched. */
		in->len = (64u << 20) + 1;
		in->buf = mmap(NULL, in->len, PROT_READ,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
		if (in->buf == MAP_FAILED) {
			in->buf = NULL;
			return -ENOMEM;
		}
		return 1;	/* munmap, not free */
	}
	if (!strcmp(r->what, "an attached PKCS#7 message in the container") ||
	    !strcmp(r->what, "another policy's signature over the text")) {
		/* The container of v1.p7d with another signature. */
		struct input p7d, sig;
		int rc = load_fixture(FIX_POL "v1.p7d", &p7d);
		size_t text;

		if (rc)
			return rc;
		rc = load_fixture(r->what[1] == 'n' && r->what[2] == ' ' ?
				  FIX_POL "v1.p7" : FIX_POL "other.p7d", &sig);
		if (rc) {
			free(p7d.buf);
			return rc;
		}
		text = p7d.buf[8] | p7d.buf[9] << 8 | p7d.buf[10] << 16 | p7d.buf[11] << 24;
		if (sig.buf[0] == 'S') {	/* other.p7d: its signature only */
			size_t other = sig.buf[8] | sig.buf[9] << 8 |
				       sig.buf[10] << 16 | sig.buf[11] << 24;

			memmove(sig.buf, sig.buf + 12 + other, sig.len - 12 - other);
			sig.len -= 12 + other;
		}
		rc = in_set(in, p7d.buf, 12 + text) ?: in_append(in, sig.buf, sig.len);
		free(p7d.buf);
		free(sig.buf);
		return rc;
	}
	if (!strcmp(r->what, "gpg: two one-pass signature packets")) {
		int rc = load_fixture(FIX_POL "v1.gpg", in);
		unsigned char *n2;

		if (rc)
			return rc;
		/* The one-pass packet (15 bytes) twice, the first one nesting. */
		n2 = malloc(in->len + 15);
		if (!n2)
			return -ENOMEM;
		memcpy(n2, in->buf, 15);
		n2[14] = 0;
		memcpy(n2 + 15, in->buf, in->len);
		free(in->buf);
		in->buf = n2;
		in->len += 15;
		return 0;
	}
	if (!strcmp(r->what, "sq: the signature's creation time removed")) {
		/*
		 * Subpacket type 2 (creation time) renamed to 3 (expiration):
		 * the hashed area of the last packet, which starts after the
		 * signature packet's version, type, algorithms and length.
		 */
		struct pkt p[MAX_PKTS];
		int rc = load_fixture(FIX_POL "v1.sq", in), np;
		size_t pos, end;

		if (rc)
			return rc;
		np = packets(in->buf, in->len, 0, p);
		if (np < 3)
			return -EINVAL;
		pos = p[np - 1].body + 6;
		end = pos + (in->buf[pos - 2] << 8 | in->buf[pos - 1]);
		while (pos < end) {
			size_t l = in->buf[pos];

			if (l >= 192)
				return -EINVAL;
			if ((in->buf[pos + 1] & 0x7f) == 2)
				in->buf[pos + 1] = 3;
			pos += 1 + l;
		}
		return 0;
	}
	return -EINVAL;
}

/* Make @r's input: 0, 1 when it is to be munmap()ed, or -errno. */
static int build_input(const struct row *r, struct input *in)
{
	memset(in, 0, sizeof(*in));
	if (r->build == b_file && !r->file)
		return special(r, in);
	if (r->build)
		return r->build(r, in);
	return in_set(in, r->text ? r->text : "",
		      r->len ? r->len : strlen(r->text ? r->text : ""));
}

static void free_input(struct input *in, int mapped)
{
	if (mapped == 1)
		munmap(in->buf, in->len);
	else
		free(in->buf);
	in->buf = NULL;
}

/* ---- the table as reStructuredText ---- */

static const char *errno_name(int e)
{
	static const struct { int e; const char *name; } names[] = {
		{ 0, "0" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EACCES, "EACCES" },
		{ EBUSY, "EBUSY" }, { EEXIST, "EEXIST" }, { EINVAL, "EINVAL" },
		{ EFBIG, "EFBIG" }, { ERANGE, "ERANGE" }, { ENAMETOOLONG, "ENAMETOOLONG" },
		{ EBADMSG, "EBADMSG" }, { EMSGSIZE, "EMSGSIZE" }, { EOPNOTSUPP, "EOPNOTSUPP" },
		{ ESTALE, "ESTALE" }, { ENOKEY, "ENOKEY" }, { EKEYREVOKED, "EKEYREVOKED" },
		{ EKEYREJECTED, "EKEYREJECTED" }, { E2BIG, "E2BIG" }, { ENODATA, "ENODATA" },
	};
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	return "?";
}

static const char *const where_names[] = {
	[W_NONE]	= "none",
	[W_POLICY]	= "status: last_policy_error",
	[W_MANIFEST]	= "status: last_manifest_error",
	[W_LOG]		= "sigil/log",
	[W_KMSG]	= "kernel log",
	[W_EXPLAIN]	= "sigil/explain",
};

static const char *target_name(const struct row *r, char *buf, size_t size)
{
	switch (r->target) {
	case T_WRITE:
		snprintf(buf, size, "%s", r->path);
		break;
	case T_PIECES:
		snprintf(buf, size, "%s, in %zu-byte writes", r->path, r->piece);
		break;
	case T_CLOSE:
		snprintf(buf, size, "%s, then close()", r->path);
		break;
	case T_PWRITE:
		snprintf(buf, size, "%s, pwrite() at %zu", r->path, r->piece);
		break;
	case T_TWICE:
		snprintf(buf, size, "%s, twice through one open file", r->path);
		break;
	case T_ADD_KEY:
		snprintf(buf, size, "add_key() to .sigil");
		break;
	case T_EXEC:
	case T_MMAP:
		snprintf(buf, size, "%s%s, then %s", r->xattr, r->verity ? " (fs-verity file)" : "",
			 r->target == T_EXEC ? "execve()" : "mmap(PROT_EXEC)");
		break;
	case T_VERITY:
		snprintf(buf, size, "FS_IOC_ENABLE_VERITY");
		break;
	case T_VERITY_EXEC:
		snprintf(buf, size, "FS_IOC_ENABLE_VERITY, then execve()");
		break;
	case T_NOCAP:
		snprintf(buf, size, "%s, without CAP_MAC_ADMIN", r->path);
		break;
	case T_NOBODY:
		snprintf(buf, size, "%s, as uid 65534", r->path);
		break;
	case T_NOCAP_KEY:
		snprintf(buf, size, "add_key() to .sigil, without CAP_MAC_ADMIN");
		break;
	}
	return buf;
}

/*
 * @s as an inline literal, which cannot begin or end with a space:
 * those are dropped, and bytes that are not printable ASCII become '?'.
 */
static void rst_literal(const char *s)
{
	const char *end = s + strlen(s);

	while (*s == ' ')
		s++;
	while (end > s && end[-1] == ' ')
		end--;
	printf("``");
	for (; s < end; s++)
		putchar((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f ? '?' : *s);
	printf("``");
}

/* @s as text: the characters reStructuredText gives a meaning escaped. */
static void rst_text(const char *s)
{
	for (; *s; s++) {
		if (strchr("\\*`|_", *s))
			putchar('\\');
		putchar(*s);
	}
}

static int same_format(const char *a, const char *b)
{
	return !strcmp(a, b);
}

static void print_rst(void)
{
	char t[256];
	size_t i, j;
	int findings = 0;

	printf(".. list-table::\n   :header-rows: 1\n   :widths: 12 38 10 40\n\n");
	printf("   * - Format\n     - Input\n     - Errno\n     - Message (where)\n");
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];

		printf("   * - %s\n", r->format);
		printf("     - ");
		rst_text(r->what);
		printf(": ");
		rst_text(target_name(r, t, sizeof(t)));
		printf("\n");
		printf("     - %s\n", errno_name(r->err));
		printf("     - ");
		if (r->msg) {
			rst_literal(r->msg);
			printf(" (%s)", where_names[r->where]);
		} else {
			printf("none");
		}
		if (r->finding) {
			printf(" [F%d]", ++findings);
		}
		printf("\n");
	}
	printf("\nRows per format:\n\n");
	printf(".. list-table::\n   :header-rows: 1\n\n   * - Format\n     - Rows\n");
	for (i = 0; i < NROWS; i++) {
		int n = 0, seen = 0;

		for (j = 0; j < NROWS; j++) {
			if (same_format(rows[j].format, rows[i].format)) {
				if (j < i)
					seen = 1;
				n++;
			}
		}
		if (!seen)
			printf("   * - %s\n     - %d\n", rows[i].format, n);
	}
	printf("   * - all\n     - %zu\n", NROWS);
	if (!findings)
		return;
	printf("\nFindings: refusals whose errno or message falls short.\n\n");
	for (i = 0, findings = 0; i < NROWS; i++) {
		if (rows[i].finding) {
			printf("F%d\n   %s, ", ++findings, rows[i].format);
			rst_text(rows[i].what);
			printf(": ");
			rst_text(rows[i].finding);
			printf("\n\n");
		}
	}
}

#ifndef CENSUS_HOST

/* ---- the state that no row may change ---- */

struct state {
	char active[256];
	char mode[32];
	long long keys;
	char policies[8192];	/* NAME VERSION, one a line, sorted */
	char manifests[8192];
};

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "NAME VERSION\n" for each directory under @dir, sorted. */
static void list_versions(const char *dir, char *out, size_t size)
{
	char *names[512], path[512], v[64];
	struct dirent *d;
	size_t n = 0, i, len = 0;
	DIR *dp = opendir(dir);

	out[0] = '\0';
	if (!dp)
		return;
	while ((d = readdir(dp)) && n < 512) {
		if (d->d_name[0] == '.' || d->d_type != DT_DIR)
			continue;
		names[n++] = strdup(d->d_name);
	}
	closedir(dp);
	qsort(names, n, sizeof(names[0]), cmp_str);
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), "%s/%s/version", dir, names[i]);
		if (read_file(path, v, sizeof(v)) < 0)
			v[0] = '\0';
		v[strcspn(v, "\n")] = '\0';
		len += snprintf(out + len, len < size ? size - len : 0, "%s %s\n", names[i], v);
		free(names[i]);
	}
}

static void snapshot(struct state *s)
{
	char v[64];
	char name[128];

	status_get("active_policy", name, sizeof(name));
	snprintf(s->active, sizeof(s->active), "%s %s", name,
		 policy_line(name, "version", v, sizeof(v)));
	status_get("mode", s->mode, sizeof(s->mode));
	s->keys = status_num("keyring_keys");
	list_versions(SFS "/policies", s->policies, sizeof(s->policies));
	list_versions(SFS "/manifests", s->manifests, sizeof(s->manifests));
}

/* ---- the kernel log ---- */

static int kmsg_open(void)
{
	int fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd >= 0)
		lseek(fd, 0, SEEK_END);
	return fd;
}

/* The messages logged since kmsg_open(), one a line. */
static void kmsg_read(int fd, char *out, size_t size)
{
	char rec[2048];
	size_t len = 0;
	ssize_t n;

	out[0] = '\0';
	if (fd < 0)
		return;
	while ((n = read(fd, rec, sizeof(rec) - 1)) > 0 || (n < 0 && errno == EPIPE)) {
		char *msg, *end;

		if (n <= 0)
			continue;
		rec[n] = '\0';
		msg = strchr(rec, ';');
		if (!msg)
			continue;
		msg++;
		end = strchr(msg, '\n');
		if (end)
			*end = '\0';
		len += snprintf(out + len, len < size ? size - len : 0, "%s\n", msg);
	}
	close(fd);
}

/* ---- running a row ---- */

static int write_at(const char *rel, const struct input *in, enum target how,
		    size_t piece)
{
	char path[512];
	size_t off = 0;
	int fd, rc = 0;

	snprintf(path, sizeof(path), SFS "/%s", rel);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	switch (how) {
	case T_PIECES:
		while (off < in->len && !rc) {
			size_t n = in->len - off < piece ? in->len - off : piece;
			ssize_t w = write(fd, in->buf + off, n);

			if (w < 0)
				rc = -errno;
			else
				off += w;
		}
		break;
	case T_PWRITE:
		if (pwrite(fd, in->buf, in->len, piece) < 0)
			rc = -errno;
		break;
	case T_TWICE:
		if (write(fd, in->buf, in->len) < 0 || write(fd, in->buf, in->len) < 0)
			rc = -errno;
		break;
	default:
		if (write(fd, in->buf, in->len) < 0)
			rc = -errno;
		break;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* Prepare VICTIM: a copy of /sigs/files/@on, with fs-verity if @verity. */
static int victim(const char *on, int verity, const void *sig, size_t siglen)
{
	char src[256];
	int rc;

	snprintf(src, sizeof(src), FIX_SIGS "files/%s", on);
	unlink(VICTIM);
	rc = copy_file(src, VICTIM, NULL);
	if (!rc && (verity || sig))
		rc = enable_verity_sig(VICTIM, sig, siglen);
	return rc;
}

/* Run @fn in the policy that lets signatures decide EXECUTE. */
static int decide(int do_mmap)
{
	int rc = activate(SIG);

	if (rc)
		return rc == -EACCES ? -EIO : rc;
	rc = do_mmap ? map_exec(VICTIM) : run(VICTIM);
	activate("baseline");
	return rc;
}

/* In a child without CAP_MAC_ADMIN (or as nobody): the -errno of @fn. */
static int unprivileged(const struct row *r, const struct input *in)
{
	int status, rc;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		if (r->target == T_NOBODY)
			rc = setresuid(65534, 65534, 65534) ? -errno : 0;
		else
			rc = drop_mac_admin();
		if (rc)
			_exit(200);
		if (r->target == T_NOCAP_KEY)
			rc = add_key("asymmetric", "", in->buf, in->len, sigil_keyring_id()) < 0 ?
			     -errno : 0;
		else
			rc = write_at(r->path, in, T_WRITE, 0);
		_exit(-rc);
	}
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -ECHILD;
	return -WEXITSTATUS(status);
}

/* Take out a key that a row added although it should not have. */
static void remove_added_key(long key)
{
	char desc[512], *id;

	if (keyctl(KEYCTL_DESCRIBE, key, (long)desc, sizeof(desc), 0) < 0)
		return;
	desc[sizeof(desc) - 1] = '\0';
	id = strrchr(desc, ' ');
	if (id)
		keyring_remove(id + 1);
}

static int run_row(const struct row *r, const struct input *in)
{
	long key;
	int rc;

	switch (r->target) {
	case T_WRITE:
	case T_PIECES:
	case T_CLOSE:
	case T_PWRITE:
	case T_TWICE:
		rc = write_at(r->path, in, r->target, r->piece);
		if (r->target == T_TWICE)
			delete_policy("signed");
		return rc;
	case T_ADD_KEY: {
		long long before = status_num("keyring_keys");

		key = add_key("asymmetric", "", in->buf, in->len, sigil_keyring_id());
		if (key < 0)
			return -errno;
		/* Accepted: a key .sigil did not hold is taken out again. */
		if (status_num("keyring_keys") > before)
			remove_added_key(key);
		return 0;
	}
	case T_EXEC:
	case T_MMAP:
		rc = victim(r->on, r->verity, NULL, 0);
		if (!rc && setxattr(VICTIM, r->xattr, in->buf, in->len, 0))
			rc = -errno;
		return rc ?: decide(r->target == T_MMAP);
	case T_VERITY:
		return victim(r->on, 0, in->buf, in->len);
	case T_VERITY_EXEC:
		return victim(r->on, 0, in->buf, in->len) ?: decide(0);
	case T_NOCAP:
	case T_NOBODY:
	case T_NOCAP_KEY:
		return unprivileged(r, in);
	}
	return -EINVAL;
}

/* ---- the fixture ---- */

static const char *const formats[] = {
	F_TEXT, F_P7, F_P7D, F_PGPM, F_PGPK, F_X509, F_IMA, F_SIGIL, F_FSV, F_MF, F_PRIV,
};

/* The keys that sign the fixtures; those this test added are removed. */
static const struct { const char *id; const char *file; } keys[] = {
	{ "RSA_SKID", "rsa.der" }, { "EC_SKID", "ec.der" },
	{ "PGP_FPR", "pgp.pgp" }, { "SQ_SIGNER_FPR", "sq.pgp" },
};

FIXTURE(census) {
	int added[4];
	int rsa_in_fsv;		/* the RSA signer was added to .fs-verity */
};

FIXTURE_VARIANT(census) {
	const char *format;
};

FIXTURE_VARIANT_ADD(census, policy_text) { .format = F_TEXT };
FIXTURE_VARIANT_ADD(census, pkcs7) { .format = F_P7 };
FIXTURE_VARIANT_ADD(census, sigilp7) { .format = F_P7D };
FIXTURE_VARIANT_ADD(census, openpgp_policy) { .format = F_PGPM };
FIXTURE_VARIANT_ADD(census, openpgp_key) { .format = F_PGPK };
FIXTURE_VARIANT_ADD(census, x509_key) { .format = F_X509 };
FIXTURE_VARIANT_ADD(census, ima_xattr) { .format = F_IMA };
FIXTURE_VARIANT_ADD(census, sigil_xattr) { .format = F_SIGIL };
FIXTURE_VARIANT_ADD(census, fsverity) { .format = F_FSV };
FIXTURE_VARIANT_ADD(census, manifest) { .format = F_MF };
FIXTURE_VARIANT_ADD(census, privilege) { .format = F_PRIV };

/* Load manifest @name at the first version from @major.0.0 not refused as stale. */
static int load_manifest(const char *name, int major)
{
	char text[256];
	int i, rc = -ESTALE;

	for (i = 0; i < 100 && rc == -ESTALE; i++) {
		snprintf(text, sizeof(text), "manifest_name=%s manifest_version=%d.0.%d\n"
			 "/census/none " MDIG "\n", name, major, i);
		rc = write_str(SFS "/manifests/new", text);
	}
	return rc;
}

FIXTURE_SETUP(census)
{
	long ring = sigil_keyring_id(), fsv = fsv_ring();
	char id[96], path[256];
	size_t i;

	ASSERT_NE(0, ring);
	ASSERT_EQ(0, restore_baseline());
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		snprintf(id, sizeof(id), "id:%s", sig_id(keys[i].id));
		self->added[i] = search(ring, id) < 0;
		ASSERT_EQ(0, ensure_key(ring, keys[i].id, keys[i].file)) TH_LOG("%s", keys[i].file);
	}
	ASSERT_NE(0, fsv);
	snprintf(id, sizeof(id), "id:%s", sig_id("RSA_SKID"));
	self->rsa_in_fsv = search(fsv, id) < 0;
	if (self->rsa_in_fsv) {
		snprintf(path, sizeof(path), FIX_SIGS "keys/rsa.der");
		ASSERT_LT(0, add_key_file(path, fsv));
	}
	ASSERT_EQ(0, load_policy(HDR(POL) ALLOW));
	ASSERT_EQ(0, load_policy("policy_name=" OLD " policy_version=0.9.0\n" ALLOW));
	ASSERT_EQ(0, load_policy(HDR(SIG)
				 ALLOW
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, load_manifest(MF, 2));
	/* Loaded once since boot, then deleted: its name keeps its version. */
	load_manifest(GONE, 1);
	write_str(SFS "/manifests/" GONE "/delete", "1");
	mkdir(WORK, 0755);
}

FIXTURE_TEARDOWN(census)
{
	long fsv = fsv_ring(), key;
	char id[96];
	size_t i;

	restore_baseline();
	delete_policy(POL);
	delete_policy(OLD);
	delete_policy(SIG);
	write_str(SFS "/manifests/" MF "/delete", "1");
	unlink(VICTIM);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (self->added[i])
			keyring_remove(sig_id(keys[i].id));
	snprintf(id, sizeof(id), "id:%s", sig_id("RSA_SKID"));
	key = search(fsv, id);
	if (self->rsa_in_fsv && key >= 0)
		keyctl(KEYCTL_UNLINK, key, fsv, 0, 0);
	if (stranger_was_there >= 0)
		stranger_in_fsverity(stranger_was_there);
}

/* sigil/explain's answer about VICTIM's EXECUTE, on one line. */
static void explain_victim(char *buf, size_t size)
{
	int fd = open(VICTIM, O_RDONLY | O_CLOEXEC);
	int q = open(SFS "/explain", O_RDWR | O_CLOEXEC);
	char query[32];
	ssize_t n = -1;
	char *nl;

	snprintf(buf, size, "(no answer)");
	if (fd >= 0 && q >= 0) {
		snprintf(query, sizeof(query), "EXECUTE %d", fd);
		if (write(q, query, strlen(query)) > 0)
			n = read(q, buf, size - 1);
	}
	if (n > 0) {
		buf[n] = '\0';
		while ((nl = strchr(buf, '\n')))
			*nl = ' ';
	}
	if (q >= 0)
		close(q);
	if (fd >= 0)
		close(fd);
}

static int check_row(struct __test_metadata *_metadata, const struct row *r,
		     const struct state *before)
{
	long long perrs = status_num("policy_errors"), merrs = status_num("manifest_errors");
	char last[1024], line[1024], msg[1024];
	static char kmsg[32768];
	struct state after;
	struct input in;
	int fd, rc, mapped, ok = 1;

	if (r->setup) {
		rc = r->setup();
		EXPECT_EQ(0, rc) TH_LOG("%s: setup: %s", r->what, strerror(-rc));
	}
	mapped = build_input(r, &in);
	EXPECT_LE(0, mapped) TH_LOG("%s: cannot build the input: %s", r->what, strerror(-mapped));
	if (mapped < 0)
		return 0;
	last_log_line(last, sizeof(last));
	fd = kmsg_open();
	rc = run_row(r, &in);
	kmsg_read(fd, kmsg, sizeof(kmsg));
	free_input(&in, mapped);

	if (rc != -r->err) {
		TH_LOG("%s / %s: errno %d (%s), expected %d (%s)", r->format, r->what, -rc,
		       errno_name(-rc), r->err, errno_name(r->err));
		ok = 0;
	}
	msg[0] = '\0';
	switch (r->where) {
	case W_POLICY:
		status_get("last_policy_error", msg, sizeof(msg));
		if (status_num("policy_errors") != perrs + 1) {
			TH_LOG("%s: policy_errors did not count it", r->what);
			ok = 0;
		}
		break;
	case W_MANIFEST:
		status_get("last_manifest_error", msg, sizeof(msg));
		if (status_num("manifest_errors") != merrs + 1) {
			TH_LOG("%s: manifest_errors did not count it", r->what);
			ok = 0;
		}
		break;
	case W_LOG:
		last_log_line(line, sizeof(line));
		snprintf(msg, sizeof(msg), "%s", strcmp(line, last) ? line : "(nothing logged)");
		break;
	case W_KMSG:
		snprintf(msg, sizeof(msg), "%s", kmsg);
		break;
	case W_EXPLAIN:
		/* As the policy that decided sees it. */
		if (activate(SIG)) {
			snprintf(msg, sizeof(msg), "(cannot activate " SIG ")");
			break;
		}
		explain_victim(msg, sizeof(msg));
		activate("baseline");
		break;
	case W_NONE:
		break;
	}
	if (r->msg && !strstr(msg, r->msg)) {
		TH_LOG("%s / %s: message\n#   got:  %s\n#   want: %s", r->format, r->what, msg, r->msg);
		ok = 0;
	}
	if (r->where == W_NONE && kmsg[0])
		TH_LOG("%s: no message expected; the kernel logged: %s", r->what, kmsg);

	snapshot(&after);
	if (strcmp(before->active, after.active) || strcmp(before->mode, after.mode) ||
	    before->keys != after.keys || strcmp(before->policies, after.policies) ||
	    strcmp(before->manifests, after.manifests)) {
		TH_LOG("%s / %s: state changed: active '%s' -> '%s', mode %s -> %s, keys %lld -> %lld\n"
		       "policies:\n%s->\n%smanifests:\n%s->\n%s", r->format, r->what,
		       before->active, after.active, before->mode, after.mode,
		       before->keys, after.keys, before->policies, after.policies,
		       before->manifests, after.manifests);
		ok = 0;
		/* Put it back, so that the next rows are judged alone. */
		restore_baseline();
		set_enforce(1);
	}
	return ok;
}

TEST_F_TIMEOUT(census, rows, 900)
{
	struct state before;
	size_t i;
	int n = 0, bad = 0;

	snapshot(&before);
	for (i = 0; i < NROWS; i++) {
		if (!same_format(rows[i].format, variant->format))
			continue;
		n++;
		if (!check_row(_metadata, &rows[i], &before))
			bad++;
	}
	ksft_print_msg("%s: %d rows, %d wrong\n", variant->format, n, bad);
	EXPECT_LT(0, n);
	EXPECT_EQ(0, bad);
}

/* The table covers every format, 150 rows at least, each row complete. */
TEST(table_is_complete)
{
	size_t i, j;

	EXPECT_LE(150, (int)NROWS);
	for (i = 0; i < NROWS; i++) {
		const struct row *r = &rows[i];
		int known = 0;

		for (j = 0; j < sizeof(formats) / sizeof(formats[0]); j++)
			known |= same_format(r->format, formats[j]);
		EXPECT_TRUE(known) TH_LOG("%s: format %s", r->what, r->format);
		EXPECT_TRUE(r->msg || r->where == W_NONE) TH_LOG("%s", r->what);
		EXPECT_TRUE(r->msg || r->finding || r->target == T_NOCAP ||
			    r->target == T_NOBODY || r->target == T_NOCAP_KEY)
			TH_LOG("%s: a refusal without a message must say why", r->what);
	}
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--rst")) {
		print_rst();
		return 0;
	}
	return test_harness_run(argc, argv);
}

#endif /* !CENSUS_HOST */
