// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl manifest check, show, sign and revoke: manifest files, offline.
 * A manifest file is plain text or one of the signed envelopes policies
 * come in (keys/signed.c); its text is parsed by the kernel's own parser
 * (policy/manifest.c), so that what check accepts the kernel accepts.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <gpgme.h>
#include <openssl/err.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "mf.h"
#include "textsign.h"

/* ---- a manifest file's text ---- */

/* The signer of a DER PKCS#7 message: its certificate's SKID, or serial. */
static void p7_signer(PKCS7 *p7, char *out, size_t size)
{
	STACK_OF(X509) *certs = p7 && PKCS7_type_is_signed(p7) ? p7->d.sign->cert : NULL;
	X509 *x = certs && sk_X509_num(certs) ? sk_X509_value(certs, 0) : NULL;
	const ASN1_OCTET_STRING *skid = x ? X509_get0_subject_key_id(x) : NULL;
	STACK_OF(PKCS7_SIGNER_INFO) *si = p7 ? PKCS7_get_signer_info(p7) : NULL;
	const ASN1_INTEGER *serial = NULL;

	snprintf(out, size, "x509");
	if (skid && ASN1_STRING_length(skid) <= 64) {
		strcpy(out, "x509-skid:");
		hex_str(out + 10, ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
		return;
	}
	if (si && sk_PKCS7_SIGNER_INFO_num(si))
		serial = sk_PKCS7_SIGNER_INFO_value(si, 0)->issuer_and_serial->serial;
	if (serial && ASN1_STRING_length(serial) <= 64) {
		strcpy(out, "x509-serial:");
		hex_str(out + 12, ASN1_STRING_get0_data(serial), ASN1_STRING_length(serial));
	}
}

/**
 * mf_read_text() - the manifest text of a file, signed or not
 * @file: the file ("-": standard input)
 * @t: the text and what is known of the envelope; free with mf_text_free()
 * @why: why it cannot be read
 * @size: room at @why
 *
 * As policy check reads policies: an armored or compressed OpenPGP message
 * is undone first; plain text, PKCS#7 (attached, or in the SIGILP7
 * container) and OpenPGP signed messages give their text.
 *
 * Return: 0, or a negative errno with @why set.
 */
int mf_read_text(const char *file, struct mf_text *t, char *why, size_t size)
{
	struct pgp_error perr = { 0 };
	struct sigil_msg m;
	const unsigned char *p;
	PKCS7 *p7 = NULL;
	int rc;

	memset(t, 0, sizeof(*t));
	rc = read_all(file, &t->buf, &t->len);
	if (rc) {
		snprintf(why, size, "%s", strerror(-rc));
		return rc;
	}
	if (t->len > 27 && !memcmp(t->buf, "-----BEGIN PGP MESSAGE-----", 27)) {
		free(t->buf);
		t->buf = NULL;
		if (load_bytes(file, &t->buf, &t->len)) {
			snprintf(why, size, "not an OpenPGP message sigilctl can read");
			return -EBADMSG;
		}
	}
	policy_uncompress(file, &t->buf, &t->len);
	rc = sigil_msg_parse(t->buf, t->len, &m, &perr);
	if (rc) {
		snprintf(why, size, "%s", perr.msg[0] ? perr.msg : "an incomplete signed message");
		mf_text_free(t);
		return rc == -EAGAIN ? -EBADMSG : rc;
	}
	t->form = m.form;
	t->text = (const char *)t->buf;
	t->text_len = t->len;
	strcpy(t->signer, "unsigned");
	switch (m.form) {
	case SIGIL_MSG_TEXT:
		return 0;
	case SIGIL_MSG_PKCS7:
	case SIGIL_MSG_PKCS7_DETACHED:
		p = m.sig;
		p7 = d2i_PKCS7(NULL, &p, (long)m.sig_len);
		if (!p7 || !PKCS7_type_is_signed(p7)) {
			ERR_clear_error();
			PKCS7_free(p7);
			snprintf(why, size, "a PKCS#7 message OpenSSL cannot read");
			mf_text_free(t);
			return -EBADMSG;
		}
		p7_signer(p7, t->signer, sizeof(t->signer));
		if (m.form == SIGIL_MSG_PKCS7_DETACHED) {
			t->text = (const char *)m.text;
			t->text_len = m.text_len;
		} else {
			ASN1_OCTET_STRING *c = PKCS7_type_is_data(p7->d.sign->contents) ?
					       p7->d.sign->contents->d.data : NULL;

			if (!c) {
				PKCS7_free(p7);
				snprintf(why, size, "a PKCS#7 message without its text");
				mf_text_free(t);
				return -EBADMSG;
			}
			t->text_len = ASN1_STRING_length(c);
			t->gathered = malloc(t->text_len + 1);
			if (t->gathered)
				memcpy(t->gathered, ASN1_STRING_get0_data(c), t->text_len);
		}
		PKCS7_free(p7);
		break;
	case SIGIL_MSG_PGP:
		if (m.psig.has_issuer_fpr) {
			strcpy(t->signer, "openpgp:");
			hex_str(t->signer + 8, m.psig.issuer_fpr, PGP_FPR_SIZE);
		} else if (m.psig.has_issuer) {
			strcpy(t->signer, "openpgp-keyid:");
			hex_str(t->signer + 14, m.psig.issuer, PGP_KEYID_SIZE);
		} else {
			strcpy(t->signer, "openpgp");
		}
		t->gathered = malloc(m.text_len + 1);
		if (t->gathered)
			t->text_len = sigil_msg_text_copy(t->buf, &m, t->gathered);
		break;
	}
	if (m.form != SIGIL_MSG_PKCS7_DETACHED) {
		if (!t->gathered) {
			snprintf(why, size, "out of memory");
			mf_text_free(t);
			return -ENOMEM;
		}
		t->text = (const char *)t->gathered;
	}
	return 0;
}

void mf_text_free(struct mf_text *t)
{
	free(t->gathered);
	free(t->buf);
	memset(t, 0, sizeof(*t));
}

/* "FILE:LINE:COL: error: msg", as compilers print it. */
void mf_print_parse_error(FILE *f, const char *file, const struct sigil_parse_error *err)
{
	if (err->col)
		fprintf(f, "%s:%u:%u: error: %s\n", file, err->line, err->col, err->msg);
	else
		fprintf(f, "%s:%u: error: %s\n", file, err->line, err->msg);
}

/* ---- signatures, checked offline ---- */

/*
 * Does the signature hold over the text?  PKCS#7 is checked by OpenSSL
 * against the certificate the message carries (integrity: whether that
 * key is trusted is for .sigil to say); OpenPGP by gpg, when its keyring
 * (GNUPGHOME) has the key.  0: it verifies; 1: it could not be checked
 * (@why says why); -1: it does not verify (@why says why).
 */
static int sig_holds(const struct mf_text *t, char *why, size_t size)
{
	struct pgp_error perr = { 0 };
	struct sigil_msg m;
	int rc = -1;

	if (t->form == SIGIL_MSG_TEXT)
		return 1;
	if (sigil_msg_parse(t->buf, t->len, &m, &perr))
		return -1;
	if (t->form == SIGIL_MSG_PKCS7 || t->form == SIGIL_MSG_PKCS7_DETACHED) {
		const unsigned char *p = m.sig;
		PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)m.sig_len);
		BIO *content = t->form == SIGIL_MSG_PKCS7_DETACHED ?
			       BIO_new_mem_buf(t->text, (int)t->text_len) : NULL;
		BIO *out = BIO_new(BIO_s_mem());
		unsigned long e;

		if (p7 && out && PKCS7_verify(p7, NULL, NULL, content, out,
					      PKCS7_BINARY | PKCS7_NOVERIFY) == 1)
			rc = 0;
		e = ERR_peek_last_error();
		snprintf(why, size, "the PKCS#7 signature does not verify: %s",
			 e ? ERR_reason_error_string(e) : "?");
		ERR_clear_error();
		BIO_free(out);
		BIO_free(content);
		PKCS7_free(p7);
		return rc;
	}
	/* OpenPGP: gpg checks the message as it is. */
	{
		gpgme_ctx_t ctx = NULL;
		gpgme_data_t sig = NULL, plain = NULL;
		gpgme_verify_result_t vr;
		gpgme_error_t ge;

		gpgme_check_version(NULL);
		if (gpgme_new(&ctx)) {
			snprintf(why, size, "gpgme is not usable");
			return 1;
		}
		gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
		ge = gpgme_data_new_from_mem(&sig, (const char *)t->buf, t->len, 0);
		if (!ge)
			ge = gpgme_data_new(&plain);
		if (!ge)
			ge = gpgme_op_verify(ctx, sig, NULL, plain);
		vr = ge ? NULL : gpgme_op_verify_result(ctx);
		if (!vr || !vr->signatures) {
			snprintf(why, size, "gpg cannot read the signature: %s",
				 ge ? gpgme_strerror(ge) : "no signature");
			rc = -1;
		} else if (gpgme_err_code(vr->signatures->status) == GPG_ERR_NO_PUBKEY) {
			snprintf(why, size, "not verified: gpg has no key %s", vr->signatures->fpr);
			rc = 1;
		} else if (vr->signatures->status) {
			snprintf(why, size, "the OpenPGP signature does not verify: %s",
				 gpgme_strerror(vr->signatures->status));
			rc = -1;
		} else {
			rc = 0;
		}
		gpgme_data_release(sig);
		gpgme_data_release(plain);
		gpgme_release(ctx);
	}
	return rc;
}

/* ---- check ---- */

static void kinds_str(char *out, size_t size, u32 kinds)
{
	int k;

	out[0] = '\0';
	for (k = 0; k < __SIGIL_MANIFEST_KIND_MAX; k++)
		if (kinds & (1u << k))
			snprintf(out + strlen(out), size - strlen(out), "%s%s",
				 out[0] ? "," : "", sigil_manifest_kind_names[k]);
	if (!out[0])
		snprintf(out, size, "none");
}

static int check_one(const char *file)
{
	struct sigil_parse_error err = { 0 };
	struct sigil_manifest *m = NULL;
	struct mf_text t;
	char why[256], sigwhy[256] = "", kinds[64], v[32];
	int rc, sig = 1;
	bool first = true;

	rc = mf_read_text(file, &t, why, sizeof(why));
	if (rc) {
		if (opt_json) {
			putchar('{');
			json_kv_str("file", file, &first);
			json_kv_bool("ok", false, &first);
			json_kv_num("errno", -rc, &first);
			json_kv_str("message", why, &first);
			puts("}");
		} else {
			printf("%s: error: %s\n", file, why);
		}
		return EXIT_FAIL;
	}
	sig = sig_holds(&t, sigwhy, sizeof(sigwhy));
	if (sig >= 0)
		rc = sigil_manifest_parse(t.text, t.text_len, &m, &err);
	if (opt_json) {
		putchar('{');
		json_kv_str("file", file, &first);
		json_kv_bool("ok", sig >= 0 && !rc, &first);
		json_kv_str("form", sigil_msg_form_name(t.form), &first);
		json_kv_str("signer", t.signer, &first);
		if (t.form != SIGIL_MSG_TEXT)
			json_kv_str("signature", sig == 0 ? "valid" : sig > 0 ? "unchecked" : "bad",
				    &first);
		if (sig)
			json_kv_str("signature_detail", sigwhy, &first);
		if (sig < 0) {
			json_kv_num("errno", EKEYREJECTED, &first);
			json_kv_str("message", sigwhy, &first);
		} else if (rc) {
			json_kv_num("line", err.line, &first);
			json_kv_num("column", err.col, &first);
			json_kv_num("errno", -rc, &first);
			json_kv_str("message", err.msg, &first);
		} else {
			snprintf(v, sizeof(v), "%u.%u.%u", m->version[0], m->version[1],
				 m->version[2]);
			json_kv_str("name", m->name, &first);
			json_kv_str("version", v, &first);
			json_kv_num("entries", m->nentries, &first);
			json_key("kinds", &first);
			putchar('[');
			for (int k = 0, f = 1; k < __SIGIL_MANIFEST_KIND_MAX; k++)
				if (m->kinds & (1u << k)) {
					printf("%s", f ? "" : ",");
					json_str(sigil_manifest_kind_names[k]);
					f = 0;
				}
			putchar(']');
		}
		puts("}");
	} else if (sig < 0) {
		printf("%s: error: %s\n", file, sigwhy);
	} else if (rc) {
		mf_print_parse_error(stdout, file, &err);
	} else {
		kinds_str(kinds, sizeof(kinds), m->kinds);
		printf("%s: ok: manifest '%s' version %u.%u.%u, %u entries (%s), %s%s%s%s\n",
		       file, m->name, m->version[0], m->version[1], m->version[2],
		       m->nentries, kinds, t.form == SIGIL_MSG_TEXT ? "" : "signed by ",
		       t.signer, sig > 0 && t.form != SIGIL_MSG_TEXT ? "; " : "",
		       sig > 0 && t.form != SIGIL_MSG_TEXT ? sigwhy : "");
	}
	sigil_manifest_free(m);
	mf_text_free(&t);
	return sig < 0 || rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_manifest_check(int argc, char **argv)
{
	int i, rc = cmd_operands(argc, argv, "manifest check", true);

	if (rc)
		return cmd_exit(rc);
	if (optind == argc)
		return usage_error("manifest check", "which manifest files?");
	for (i = optind; i < argc; i++)
		if (check_one(argv[i]) != EXIT_OK)
			rc = EXIT_FAIL;
	return rc;
}

/* ---- show ---- */

/* The text of @m as sigil_manifest_format_entry() writes each entry. */
static int show_text(const struct sigil_manifest *m)
{
	size_t cap = 4 * SIGIL_MANIFEST_PATH_MAX + 128;
	char *line = malloc(cap);
	u32 i;

	if (!line)
		return -ENOMEM;
	printf("manifest_name=%s manifest_version=%u.%u.%u\n", m->name,
	       m->version[0], m->version[1], m->version[2]);
	for (i = 0; i < m->nentries; i++) {
		sigil_manifest_format_entry(line, cap, m, &m->entries[i]);
		fputs(line, stdout);
	}
	free(line);
	return 0;
}

static int show_json(const struct sigil_manifest *m, const struct mf_text *t)
{
	size_t cap = 4 * SIGIL_MANIFEST_PATH_MAX + 1;
	char *path = malloc(cap), hex[2 * SIGIL_MANIFEST_DIGEST_SIZE + 1], v[32];
	bool first = true;
	u32 i;

	if (!path)
		return -ENOMEM;
	snprintf(v, sizeof(v), "%u.%u.%u", m->version[0], m->version[1], m->version[2]);
	putchar('{');
	json_kv_str("name", m->name, &first);
	json_kv_str("version", v, &first);
	json_kv_str("form", sigil_msg_form_name(t->form), &first);
	json_kv_str("signer", t->signer, &first);
	json_key("entries", &first);
	putchar('[');
	for (i = 0; i < m->nentries; i++) {
		const struct sigil_manifest_entry *e = &m->entries[i];
		bool f = true;

		/* The escaped path: a JSON string holds no NUL, a path no control bytes. */
		sigil_manifest_escape(path, cap, sigil_manifest_path(m, e), e->path_len);
		hex_str(hex, e->digest, SIGIL_MANIFEST_DIGEST_SIZE);
		printf("%s{", i ? "," : "");
		json_kv_str("path", path, &f);
		json_kv_str("kind", sigil_manifest_kind_names[e->kind], &f);
		json_kv_str("digest", hex, &f);
		putchar('}');
	}
	puts("]}");
	free(path);
	return 0;
}

int cmd_manifest_show(int argc, char **argv)
{
	struct sigil_parse_error err = { 0 };
	struct sigil_manifest *m = NULL;
	struct mf_text t;
	char why[256];
	const char *file;
	int rc = cmd_operands(argc, argv, "manifest show", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error("manifest show", "one manifest file");
	file = argv[optind];
	rc = mf_read_text(file, &t, why, sizeof(why));
	if (rc) {
		warnx("%s: %s", file, why);
		return EXIT_FAIL;
	}
	rc = sigil_manifest_parse(t.text, t.text_len, &m, &err);
	if (rc) {
		mf_print_parse_error(stderr, file, &err);
		mf_text_free(&t);
		return EXIT_FAIL;
	}
	rc = opt_json ? show_json(m, &t) : show_text(m);
	sigil_manifest_free(m);
	mf_text_free(&t);
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* ---- sign ---- */

int cmd_manifest_sign(int argc, char **argv)
{
	struct sign_opts o = { .cmd = "manifest sign", .what = "manifest" };
	struct sigil_parse_error err = { 0 };
	struct sigil_manifest *m = NULL;
	struct signed_out res = { 0 };
	struct pgp_error perr;
	struct sigil_msg msg;
	char v[32], kinds[64];
	size_t len;
	u8 *text;
	int rc;

	rc = parse_sign_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? cmd_exit(rc) : rc;
	rc = read_all(o.file, &text, &len);
	if (rc) {
		warnx("%s: %s", o.file, strerror(-rc));
		return EXIT_FAIL;
	}
	rc = sigil_msg_parse(text, len, &msg, &perr);
	if (rc != -EAGAIN && (rc || msg.form != SIGIL_MSG_TEXT)) {
		warnx("%s: not a manifest text: %s", o.file,
		      rc ? perr.msg : "it is already signed");
		rc = EXIT_FAIL;
		goto out;
	}
	/* Never sign what the kernel would refuse to parse. */
	rc = sigil_manifest_parse((const char *)text, len, &m, &err);
	if (rc) {
		mf_print_parse_error(stderr, o.file, &err);
		warnx("%s: not signed: the manifest does not parse", o.file);
		rc = EXIT_FAIL;
		goto out;
	}
	rc = text_sign(&o, text, len, &res);
	if (rc)
		goto out;
	rc = write_output(o.out, res.buf, res.len);
	if (rc) {
		warnx("%s: %s", o.out, strerror(-rc));
		rc = EXIT_FAIL;
		goto out;
	}
	snprintf(v, sizeof(v), "%u.%u.%u", m->version[0], m->version[1], m->version[2]);
	kinds_str(kinds, sizeof(kinds), m->kinds);
	if (opt_json) {
		bool first = true;

		if (strcmp(o.out, "-")) {
			putchar('{');
			json_kv_str("file", o.file, &first);
			json_kv_str("output", o.out, &first);
			json_kv_str("form", sigil_msg_form_name(res.form), &first);
			json_kv_num("bytes", res.len, &first);
			json_kv_str("name", m->name, &first);
			json_kv_str("version", v, &first);
			json_kv_num("entries", m->nentries, &first);
			json_kv_str("signer", res.signer, &first);
			puts("}");
		}
	} else {
		FILE *f = strcmp(o.out, "-") ? stdout : stderr;

		fprintf(f, "%s: manifest '%s' version %s, %u entries (%s), signed by %s\n",
			o.file, m->name, v, m->nentries, kinds, res.signer);
		fprintf(f, "%s: %s, %zu bytes%s\n", o.out, sigil_msg_form_name(res.form),
			res.len, res.form == SIGIL_MSG_PKCS7_DETACHED && !o.container ?
			" (attached PKCS#7 would pass the kernel's 64 KiB limit)" : "");
	}
out:
	sigil_manifest_free(m);
	free(res.buf);
	free(text);
	return rc;
}

/* ---- revoke ---- */

enum { OPT_VERSION = OPT_LONG };

static const struct option revoke_longopts[] = {
	{ "version", required_argument, NULL, OPT_VERSION },
	{ "output", required_argument, NULL, 'o' },
	OPTION_HELP,
	{ NULL },
};

#define REVOKE "manifest revoke"

int cmd_manifest_revoke(int argc, char **argv)
{
	struct sigil_parse_error err = { 0 };
	struct sigil_manifest *m = NULL;
	struct mf_list l = { 0 };
	struct mf_text t;
	const char *version = NULL, *out = NULL, *file;
	char why[256], *text = NULL;
	bool *drop = NULL;
	u16 next[3];
	size_t len;
	int c, i, npaths, ndrop = 0, rc;
	u32 e;

	while ((c = cmd_getopt(argc, argv, REVOKE, ":ho:", revoke_longopts)) != -1) {
		switch (c) {
		case OPT_VERSION:
			version = optarg;
			break;
		case 'o':
			out = optarg;
			break;
		default:
			return cmd_exit(c);
		}
	}
	if (argc - optind < 2)
		return usage_error(REVOKE, "a manifest file and the paths to revoke");
	if (version && mf_version_arg(REVOKE, version, next))
		return EXIT_USAGE;
	file = argv[optind];
	npaths = argc - optind - 1;
	rc = mf_read_text(file, &t, why, sizeof(why));
	if (rc) {
		warnx("%s: %s", file, why);
		return EXIT_FAIL;
	}
	rc = sigil_manifest_parse(t.text, t.text_len, &m, &err);
	if (rc) {
		mf_print_parse_error(stderr, file, &err);
		rc = EXIT_FAIL;
		goto out;
	}
	rc = EXIT_FAIL;
	drop = calloc(m->nentries + 1, sizeof(*drop));
	if (!drop)
		goto out;
	/* Each path must be listed: a typo must not go unnoticed. */
	for (i = 0; i < npaths; i++) {
		const char *p = argv[optind + 1 + i];
		size_t plen = strlen(p);

		for (e = 0; e < m->nentries; e++)
			if (m->entries[e].path_len == plen &&
			    !memcmp(sigil_manifest_path(m, &m->entries[e]), p, plen))
				break;
		if (e == m->nentries) {
			warnx("%s: '%s' is not listed in manifest '%s'", file, p, m->name);
			goto out;
		}
		ndrop += !drop[e];
		drop[e] = true;
	}
	if (!version) {
		if (m->version[2] == 65535) {
			warnx("%s: version %u.%u.%u: the patch number cannot grow; give --version",
			      file, m->version[0], m->version[1], m->version[2]);
			goto out;
		}
		next[0] = m->version[0];
		next[1] = m->version[1];
		next[2] = m->version[2] + 1;
	} else if (((u64)next[0] << 32 | (u64)next[1] << 16 | next[2]) <=
		   sigil_manifest_version(m)) {
		warnx("--version %s is not newer than %u.%u.%u: the kernel would refuse the update",
		      version, m->version[0], m->version[1], m->version[2]);
		rc = EXIT_USAGE;
		goto out;
	}
	for (e = 0; e < m->nentries; e++) {
		const struct sigil_manifest_entry *en = &m->entries[e];
		char *p;

		if (drop[e])
			continue;
		p = strndup(sigil_manifest_path(m, en), en->path_len);
		if (!p || mf_list_add(&l, p, en->kind, en->digest)) {
			free(p);
			goto out;
		}
		free(p);
	}
	if (mf_list_text(&l, m->name, next, &text, &len))
		goto out;
	rc = mf_checked_write(REVOKE, out, text, len);
	if (!rc)
		fprintf(stderr, "manifest '%s' %u.%u.%u: %u entries, %d revoked; sign it, then 'sigilctl manifest update %s FILE'\n",
			m->name, next[0], next[1], next[2], m->nentries - ndrop, ndrop,
			m->name);
out:
	free(text);
	free(drop);
	mf_list_free(&l);
	sigil_manifest_free(m);
	mf_text_free(&t);
	return rc;
}
