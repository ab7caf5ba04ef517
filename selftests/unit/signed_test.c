// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for keys/signed.c: the policy envelopes that openssl, gpg and sq
 * write (see selftests/fixtures/policy-fixtures) yield exactly the policy
 * text, every proper prefix of them asks for more bytes, and what sigil does
 * not take is refused with the errno and a message saying how to fix it.
 */

#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "signed.h"
#include "case.h"

static const char *dir;

static u8 *slurp(const char *name, size_t *len)
{
	u8 *buf = read_fixture(dir, name, len);

	if (!buf) {
		printf("# cannot read %s/%s; run selftests/fixtures/policy-fixtures\n", dir, name);
		exit(2);
	}
	return buf;
}

struct gather {
	u8 *buf;
	size_t len;
	unsigned int pieces;
};

static void gather(void *ctx, const u8 *data, size_t len)
{
	struct gather *g = ctx;

	g->buf = realloc(g->buf, g->len + len);
	memcpy(g->buf + g->len, data, len);
	g->len += len;
	g->pieces++;
}

/* ---- the tools' output ---- */

static const struct {
	const char *file;
	const char *text;
	enum sigil_msg_form form;
	bool chunked;		/* literal data in partial-length chunks */
} forms[] = {
	{ "v1.p7",		"v1.pol",	SIGIL_MSG_PKCS7 },
	{ "v1.p7d",		"v1.pol",	SIGIL_MSG_PKCS7_DETACHED },
	{ "v1.gpg",		"v1.pol",	SIGIL_MSG_PGP },
	{ "v1.gpgpipe",		"v1.pol",	SIGIL_MSG_PGP },
	{ "v1.sq",		"v1.pol",	SIGIL_MSG_PGP },
	{ "v1.pol",		"v1.pol",	SIGIL_MSG_TEXT },
	{ "big.p7d",		"big.pol",	SIGIL_MSG_PKCS7_DETACHED },
	{ "big.gpg",		"big.pol",	SIGIL_MSG_PGP },
	{ "big.gpgpipe",	"big.pol",	SIGIL_MSG_PGP,	true },
	{ "big.sq",		"big.pol",	SIGIL_MSG_PGP,	true },
	{ "v1.gpgtamper",	NULL,		SIGIL_MSG_PGP },
	{ "v1.p7dtamper",	NULL,		SIGIL_MSG_PKCS7_DETACHED },
};

static void test_forms(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
		struct gather g = { 0 };
		struct pgp_error err;
		struct sigil_msg m;
		size_t len, tlen = 0, n, step;
		u8 *buf, *text = NULL;
		int rc;

		case_begin();
		buf = slurp(forms[i].file, &len);
		if (forms[i].text)
			text = slurp(forms[i].text, &tlen);
		rc = sigil_msg_parse(buf, len, &m, &err);
		case_check(rc == 0, "rc %d: %s at %u", rc, err.msg, err.offset);
		case_check(m.form == forms[i].form, "form %s",
			  sigil_msg_form_name(m.form));
		case_check(m.size == len, "size %zu of %zu", m.size, len);
		if (!rc && m.form != SIGIL_MSG_PKCS7) {
			sigil_msg_text(buf, &m, gather, &g);
			case_check(g.len == m.text_len, "text %zu, announced %zu",
				  g.len, m.text_len);
			if (text)
				case_check(g.len == tlen && !memcmp(g.buf, text, tlen),
					  "the text differs from %s", forms[i].text);
			else
				case_check(memmem(g.buf, g.len, "pOlicy", 6),
					  "the tampered text is not what was parsed");
			case_check((g.pieces > 1) == forms[i].chunked,
				  "%u pieces", g.pieces);
			case_check((m.text != NULL) == !forms[i].chunked,
				  "contiguous text pointer");
		}
		if (!rc && m.form == SIGIL_MSG_PKCS7)
			case_check(m.sig == buf && m.sig_len == len, "the whole DER");
		if (!rc && m.form == SIGIL_MSG_PGP)
			case_check(m.psig.type == 0 && m.sig + m.sig_len == buf + len,
				  "signature type %u, packet at the end", m.psig.type);

		/* Every proper prefix wants more, and never more than it has. */
		if (m.form != SIGIL_MSG_TEXT) {
			step = len > 65536 ? 4093 : 1;
			for (n = 0; n < len; n += step) {
				rc = sigil_msg_parse(buf, n, &m, &err);
				if (rc != -EAGAIN || m.size > len ||
				    (m.size && m.size <= n)) {
					case_check(0, "prefix %zu: rc %d, size %zu: %s",
						  n, rc, m.size, err.msg);
					break;
				}
			}
			/* One byte too many is an error, not a new message. */
			buf = realloc(buf, len + 1);
			buf[len] = 0;
			rc = sigil_msg_parse(buf, len + 1, &m, &err);
			case_check(rc == -EBADMSG && strstr(err.msg, "after"),
				  "trailing byte: rc %d: %s", rc, err.msg);
		}
		case_end("%s parses as %s", forms[i].file,
			sigil_msg_form_name(forms[i].form));
		free(g.buf);
		free(text);
		free(buf);
	}
}

/* ---- refusals ---- */

static const struct {
	const char *file;
	int rc;
	const char *msg;
} refused[] = {
	{ "v1.gpgz",	-EOPNOTSUPP,	"--compress-algo none" },
	{ "v1.asc",	-EOPNOTSUPP,	"armored" },
	{ "v1.clear",	-EOPNOTSUPP,	"cleartext-signed" },
	{ "v1.smime",	-EOPNOTSUPP,	"-outform der" },
	{ "v1.gpgtext",	-EOPNOTSUPP,	"binary signature" },
};

static void test_refused(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
		struct pgp_error err;
		struct sigil_msg m;
		size_t len;
		u8 *buf;
		int rc;

		case_begin();
		buf = slurp(refused[i].file, &len);
		rc = sigil_msg_parse(buf, len, &m, &err);
		case_check(rc == refused[i].rc, "rc %d", rc);
		case_check(strstr(err.msg, refused[i].msg), "message: %s", err.msg);
		case_end("%s is refused: %s", refused[i].file, err.msg);
		free(buf);
	}
}

/* ---- malformed messages, made from gpg's ---- */

/*
 * v1.gpg is: one-pass signature (2-byte header, 13-byte body), literal
 * data, signature.  Each case edits a copy.
 */
enum edit {
	ONEPASS_TYPE, ONEPASS_HASH, ONEPASS_KEYID, ONEPASS_NESTED,
	ONEPASS_VERSION, NO_ONEPASS, TWO_ONEPASS, MARKER_FIRST, SIG_ONLY,
	LITERAL_TWICE, OLD_INDETERMINATE, PARTIAL_SMALL, PARTIAL_SIG,
	LITERAL_SHORT,
};

static const struct {
	enum edit edit;
	int rc;
	const char *msg;
} edits[] = {
	{ ONEPASS_TYPE,		-EBADMSG,	"does not match its one-pass" },
	{ ONEPASS_HASH,		-EBADMSG,	"does not match its one-pass" },
	{ ONEPASS_KEYID,	-EBADMSG,	"not the key its one-pass" },
	{ ONEPASS_NESTED,	-EOPNOTSUPP,	"exactly one signature" },
	{ ONEPASS_VERSION,	-EOPNOTSUPP,	"version 3" },
	{ NO_ONEPASS,		-EBADMSG,	"expected a one-pass" },
	{ TWO_ONEPASS,		-EOPNOTSUPP,	"second one-pass" },
	{ MARKER_FIRST,		0,		"" },
	{ SIG_ONLY,		-EBADMSG,	"expected a one-pass" },
	{ LITERAL_TWICE,	-EBADMSG,	"expected the signature" },
	{ OLD_INDETERMINATE,	-EOPNOTSUPP,	"indeterminate" },
	{ PARTIAL_SMALL,	-EBADMSG,	"at least 512" },
	{ PARTIAL_SIG,		-EBADMSG,	"partial body length" },
	{ LITERAL_SHORT,	-EBADMSG,	"truncated literal" },
};

static const char *const edit_names[] = {
	"one-pass type differs", "one-pass hash differs",
	"one-pass key ID differs", "one-pass not the last (nested)",
	"one-pass version 4", "literal data without one-pass",
	"two one-pass packets", "a marker packet first",
	"a bare signature packet", "two literal data packets",
	"old-format indeterminate length", "first partial length below 512",
	"partial length on the signature", "literal data header cut short",
};

static void test_edits(void)
{
	size_t len, lit_at, sig_at;
	u8 *orig, *b;
	unsigned int i;

	orig = slurp("v1.gpg", &len);
	/* gpg writes old-format headers: 0xac LEN for this literal packet. */
	lit_at = 15;
	if (orig[0] != 0x90 || orig[lit_at] != 0xac) {
		case_begin();
		case_check(0, "v1.gpg: unexpected packet headers %02x %02x",
			  orig[0], orig[lit_at]);
		case_end("malformed messages");
		return;
	}
	sig_at = lit_at + 2 + orig[lit_at + 1];

	for (i = 0; i < sizeof(edits) / sizeof(edits[0]); i++) {
		struct pgp_error err;
		struct sigil_msg m;
		size_t n = len;
		int rc;

		case_begin();
		b = malloc(len * 2 + 1024);
		memcpy(b, orig, len);
		switch (edits[i].edit) {
		case ONEPASS_TYPE:
			b[3] ^= 1;
			break;
		case ONEPASS_HASH:
			b[4] ^= 2;
			break;
		case ONEPASS_KEYID:
			b[10] ^= 1;
			break;
		case ONEPASS_NESTED:
			b[14] = 0;
			break;
		case ONEPASS_VERSION:
			b[2] = 4;
			break;
		case NO_ONEPASS:
			memmove(b, b + 15, len - 15);
			n = len - 15;
			break;
		case TWO_ONEPASS:
			memmove(b + 15, b, len);
			n = len + 15;
			break;
		case MARKER_FIRST:
			memmove(b + 5, b, len);
			memcpy(b, "\xa8\x03PGP", 5);
			n = len + 5;
			break;
		case SIG_ONLY:
			memmove(b, b + sig_at, len - sig_at);
			n = len - sig_at;
			break;
		case LITERAL_TWICE:
			memmove(b + sig_at + (sig_at - lit_at), b + sig_at, len - sig_at);
			memcpy(b + sig_at, orig + lit_at, sig_at - lit_at);
			n = len + sig_at - lit_at;
			break;
		case OLD_INDETERMINATE:
			/* Old format, tag 11, length type 3. */
			memmove(b + lit_at + 1, b + lit_at + 2, len - lit_at - 2);
			b[lit_at] = 0x80 | 11 << 2 | 3;
			n = len - 1;
			break;
		case PARTIAL_SMALL:
			b[lit_at] = 0xcb;
			b[lit_at + 1] = 0xe0 | 8;	/* 256 */
			break;
		case PARTIAL_SIG:
			b[sig_at] = 0xc2;
			b[sig_at + 1] = 0xe0 | 10;
			break;
		case LITERAL_SHORT:
			/* A literal packet of one byte: the format only. */
			memmove(b + lit_at + 3, b + sig_at, len - sig_at);
			b[lit_at] = 0xcb;
			b[lit_at + 1] = 1;
			b[lit_at + 2] = 'b';
			n = lit_at + 3 + len - sig_at;
			break;
		}
		rc = sigil_msg_parse(b, n, &m, &err);
		case_check(rc == edits[i].rc, "rc %d: %s", rc, err.msg);
		case_check(strstr(err.msg, edits[i].msg), "message: %s", err.msg);
		case_end("%s: %s", edit_names[edits[i].edit],
			rc ? err.msg : "accepted");
		free(b);
	}
	free(orig);
}

/* ---- PKCS#7 framing ---- */

static void test_pkcs7_framing(void)
{
	static const u8 indefinite[] = { 0x30, 0x80, 0x06, 0x09 };
	static const u8 long_len[] = { 0x30, 0x85, 1, 2, 3, 4, 5 };
	static const u8 not_der[] = { 'S', 'I', 'G', 'I', 'L', 'P', '7', '\n',
				      4, 0, 0, 0, 'a', 'b', 'c', 'd', 0x31, 0 };
	u8 hdr[SIGIL_P7_HDR_LEN + 2] = "SIGILP7\n";
	struct pgp_error err;
	struct sigil_msg m;
	int rc;

	case_begin();
	rc = sigil_msg_parse(indefinite, sizeof(indefinite), &m, &err);
	case_check(rc == -EOPNOTSUPP && strstr(err.msg, "indefinite"),
		  "indefinite: rc %d: %s", rc, err.msg);
	rc = sigil_msg_parse(long_len, sizeof(long_len), &m, &err);
	case_check(rc == -EBADMSG, "5-octet length: rc %d", rc);
	rc = sigil_msg_parse(not_der, sizeof(not_der), &m, &err);
	case_check(rc == -EBADMSG && err.offset == 16,
		  "container with a non-DER signature: rc %d at %u", rc, err.offset);
	/* A container announcing 4 GiB of text waits for it: the caller caps. */
	memset(hdr + 8, 0xff, 4);
	rc = sigil_msg_parse(hdr, SIGIL_P7_HDR_LEN, &m, &err);
	case_check(rc == -EAGAIN && m.size > 0xffffffffu, "rc %d size %zu", rc, m.size);
	rc = sigil_msg_parse((const u8 *)"SIGIL", 5, &m, &err);
	case_check(rc == -EAGAIN, "a prefix of the magic: rc %d", rc);
	rc = sigil_msg_parse((const u8 *)"SIGILX", 6, &m, &err);
	case_check(rc == 0 && m.form == SIGIL_MSG_TEXT, "not the magic: text");
	case_end("PKCS#7 framing: indefinite lengths, long lengths, the container");
}

int main(int argc, char **argv)
{
	if (argc < 4) {
		fprintf(stderr, "usage: %s PGP_FIXTURES SIG_FIXTURES POLICY_FIXTURES\n",
			argv[0]);
		return 2;
	}
	dir = argv[3];
	ksft_print_header();
	test_forms();
	test_refused();
	test_edits();
	test_pkcs7_framing();
	cases_done();
}
