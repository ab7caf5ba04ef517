// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl policy sign: check a policy with the kernel's parser, then sign
 * it in a form the kernel takes, checked before it is written.  The
 * signing itself (options, PKCS#7 with OpenSSL, OpenPGP through GPGME, the
 * output) is shared with manifest sign, which signs manifests in the same
 * envelopes: see textsign.h.
 */

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gpgme.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs7.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "policy.h"
#include "textsign.h"

/* lsm/policy_sig.c: SIGIL_ASN1_MAX. */
#define KERNEL_ASN1_MAX		65535

/* ---- options ---- */

static int sign_usage(const struct sign_opts *o, const char *fmt, const char *arg)
{
	return usage_error(o->cmd, fmt, arg);
}

enum { OPT_PKCS7 = OPT_LONG, OPT_PGP, OPT_CONTAINER, OPT_KEY, OPT_CERT, OPT_PGP_KEY };

static const struct option sign_longopts[] = {
	{ "pkcs7", no_argument, NULL, OPT_PKCS7 },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "pgp", no_argument, NULL, OPT_PGP },
	{ "pgp-key", required_argument, NULL, OPT_PGP_KEY },
	{ "detached-container", no_argument, NULL, OPT_CONTAINER },
	{ "output", required_argument, NULL, 'o' },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

/**
 * parse_sign_opts() - the options of policy sign and manifest sign
 * @argc: the command's arguments
 * @argv: the same
 * @o: the options; o->cmd ("policy sign") and o->what ("policy") set
 *
 * Return: 0; EXIT_USAGE after a usage error; CMD_HELP or CMD_USAGE from
 * cmd_getopt().
 */
int parse_sign_opts(int argc, char **argv, struct sign_opts *o)
{
	int c;

	while ((c = cmd_getopt(argc, argv, o->cmd, ":ho:", sign_longopts)) != -1) {
		switch (c) {
		case OPT_PKCS7:
			o->pkcs7 = true;
			break;
		case OPT_PGP:
			o->pgp = true;
			break;
		case OPT_CONTAINER:
			o->container = true;
			break;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_CERT:
			o->cert = optarg;
			break;
		case OPT_PGP_KEY:
			o->pgp_key = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return c;	/* CMD_HELP or CMD_USAGE */
		}
	}
	if (argc - optind > 1)
		return usage_error(o->cmd, "one %s file, not also %s", o->what,
				   argv[optind + 1]);
	if (optind < argc)
		o->file = argv[optind];
	if ((o->key || o->cert) && !o->pgp)
		o->pkcs7 = true;
	if (!o->pkcs7 && !o->pgp)
		o->pgp = true;
	if (o->pkcs7 && o->pgp)
		return sign_usage(o, "%s", "--pkcs7 or --pgp, not both");
	if (o->pkcs7 && (!o->key || !o->cert))
		return sign_usage(o, "%s", "--pkcs7 needs --key KEY and --cert CERT");
	if (o->pgp && o->container)
		return sign_usage(o, "%s", "--detached-container is for PKCS#7; OpenPGP messages have no size limit");
	if (o->pkcs7 && o->pgp_key)
		return sign_usage(o, "%s", "--pgp-key is for --pgp");
	if (!o->out)
		return sign_usage(o, "%s", "where to? -o OUT");
	if (!o->file)
		return usage_error(o->cmd, "which %s file?", o->what);
	return 0;
}

/* ---- PKCS#7, with OpenSSL ---- */

static void ssl_error(const char *what)
{
	unsigned long e = ERR_get_error();
	char buf[256];

	if (e) {
		ERR_error_string_n(e, buf, sizeof(buf));
		warnx("%s: %s", what, buf);
	} else {
		warnx("%s", what);
	}
	ERR_clear_error();
}

static X509 *read_cert(const char *path)
{
	BIO *bio = BIO_new_file(path, "rb");
	X509 *x;

	if (!bio)
		return NULL;
	x = PEM_read_bio_X509(bio, NULL, NULL, NULL);
	if (!x) {
		ERR_clear_error();
		BIO_reset(bio);
		x = d2i_X509_bio(bio, NULL);
	}
	BIO_free(bio);
	return x;
}

static EVP_PKEY *read_key(const char *path)
{
	BIO *bio = BIO_new_file(path, "rb");
	EVP_PKEY *k;

	if (!bio)
		return NULL;
	k = PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL);
	if (!k) {
		ERR_clear_error();
		BIO_reset(bio);
		k = d2i_PrivateKey_bio(bio, NULL);
	}
	BIO_free(bio);
	return k;
}

/* Keys the kernel verifies: RSA 2048-4096, ECDSA P-256 and P-384. */
static bool kernel_key(EVP_PKEY *k, char *why, size_t size)
{
	char curve[64] = "";
	int bits = EVP_PKEY_get_bits(k);

	if (EVP_PKEY_is_a(k, "RSA")) {
		if (bits >= 2048 && bits <= 4096)
			return true;
		snprintf(why, size, "an RSA key of %d bits; sigil takes 2048 to 4096", bits);
		return false;
	}
	if (EVP_PKEY_is_a(k, "EC")) {
		EVP_PKEY_get_utf8_string_param(k, "group", curve, sizeof(curve), NULL);
		if (!strcmp(curve, "prime256v1") || !strcmp(curve, "secp384r1"))
			return true;
		snprintf(why, size, "an EC key on curve %s; sigil takes P-256 and P-384",
			 curve[0] ? curve : "?");
		return false;
	}
	snprintf(why, size, "a %s key; sigil takes RSA and ECDSA (P-256, P-384)",
		 EVP_PKEY_get0_type_name(k) ? EVP_PKEY_get0_type_name(k) : "?");
	return false;
}

static void x509_signer(X509 *x, char *out, size_t size)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(x);
	const ASN1_INTEGER *serial = X509_get0_serialNumber(x);

	if (skid && ASN1_STRING_length(skid) <= 64) {
		strcpy(out, "x509-skid:");
		hex_str(out + 10, ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
	} else if (serial && ASN1_STRING_length(serial) <= 64) {
		strcpy(out, "x509-serial:");
		hex_str(out + 12, ASN1_STRING_get0_data(serial),
			ASN1_STRING_length(serial));
	} else {
		snprintf(out, size, "x509");
	}
}

/*
 * DER PKCS#7 SignedData over @text, attached or detached, with the signer's
 * certificate, no signed attributes, SHA-256: what 'openssl smime -sign
 * -binary -noattr -outform der' makes.
 */
static int pkcs7_der(const u8 *text, size_t len, X509 *cert, EVP_PKEY *key,
		     bool detached, u8 **der, size_t *der_len)
{
	int flags = PKCS7_BINARY | PKCS7_NOATTR | PKCS7_NOSMIMECAP | PKCS7_PARTIAL;
	BIO *in = BIO_new_mem_buf(text, (int)len);
	unsigned char *d = NULL;
	PKCS7 *p7;
	int n = -1;

	if (detached)
		flags |= PKCS7_DETACHED;
	p7 = in ? PKCS7_sign(NULL, NULL, NULL, NULL, flags) : NULL;
	if (p7 && PKCS7_sign_add_signer(p7, cert, key, EVP_sha256(), flags) &&
	    PKCS7_final(p7, in, flags))
		n = i2d_PKCS7(p7, &d);
	PKCS7_free(p7);
	BIO_free(in);
	if (n <= 0) {
		ssl_error("PKCS#7 signing failed");
		return -1;
	}
	*der = malloc(n);
	if (*der)
		memcpy(*der, d, n);
	*der_len = n;
	OPENSSL_free(d);
	return *der ? 0 : -1;
}

/* Verify what was made over @text with @cert, as the kernel will. */
static bool pkcs7_verifies(const u8 *der, size_t der_len, const u8 *text,
			   size_t len, bool detached, X509 *cert)
{
	const unsigned char *p = der;
	PKCS7 *p7 = d2i_PKCS7(NULL, &p, (long)der_len);
	BIO *content = detached ? BIO_new_mem_buf(text, (int)len) : NULL;
	BIO *out = BIO_new(BIO_s_mem());
	STACK_OF(X509) *certs = sk_X509_new_null();
	bool ok = false;
	char *got;
	long n;

	if (p7 && out && certs && sk_X509_push(certs, cert) &&
	    PKCS7_verify(p7, certs, NULL, content, out,
			 PKCS7_BINARY | PKCS7_NOVERIFY | PKCS7_NOINTERN) == 1) {
		n = BIO_get_mem_data(out, &got);
		ok = n >= 0 && (size_t)n == len && !memcmp(got, text, len);
	}
	if (!ok)
		ssl_error("the PKCS#7 signature just made does not verify");
	sk_X509_free(certs);
	BIO_free(out);
	BIO_free(content);
	PKCS7_free(p7);
	return ok;
}

static int sign_pkcs7_text(const struct sign_opts *o, const u8 *text, size_t len,
		      struct signed_out *res)
{
	EVP_PKEY *key = read_key(o->key);
	X509 *cert = read_cert(o->cert);
	bool detached = o->container;
	u8 *der = NULL;
	size_t der_len;
	char why[160];
	int rc = EXIT_FAIL;

	if (!key) {
		ssl_error(o->key);
		warnx("%s: no private key in PEM or DER here", o->key);
		goto out;
	}
	if (!cert) {
		ssl_error(o->cert);
		warnx("%s: no X.509 certificate in PEM or DER here", o->cert);
		goto out;
	}
	if (X509_check_private_key(cert, key) != 1) {
		ERR_clear_error();
		warnx("%s is not the private key of %s", o->key, o->cert);
		goto out;
	}
	if (!kernel_key(key, why, sizeof(why))) {
		warnx("%s: %s", o->key, why);
		goto out;
	}
	if (!detached) {
		if (pkcs7_der(text, len, cert, key, false, &der, &der_len))
			goto out;
		/* Past the kernel's ASN.1 limit: the container instead. */
		if (der_len > KERNEL_ASN1_MAX) {
			free(der);
			der = NULL;
			detached = true;
		}
	}
	if (detached && pkcs7_der(text, len, cert, key, true, &der, &der_len))
		goto out;
	if (der_len > KERNEL_ASN1_MAX) {
		warnx("a PKCS#7 signature of %zu bytes: the kernel parses at most %u",
		      der_len, KERNEL_ASN1_MAX);
		goto out;
	}
	if (!pkcs7_verifies(der, der_len, text, len, detached, cert))
		goto out;
	x509_signer(cert, res->signer, sizeof(res->signer));
	if (!detached) {
		res->buf = der;
		res->len = der_len;
		res->form = SIGIL_MSG_PKCS7;
		der = NULL;
		rc = EXIT_OK;
		goto out;
	}
	res->len = SIGIL_P7_HDR_LEN + len + der_len;
	res->buf = malloc(res->len);
	if (!res->buf) {
		warnx("out of memory");
		goto out;
	}
	memcpy(res->buf, SIGIL_P7_MAGIC, SIGIL_P7_MAGIC_LEN);
	res->buf[8] = len;
	res->buf[9] = len >> 8;
	res->buf[10] = len >> 16;
	res->buf[11] = len >> 24;
	memcpy(res->buf + SIGIL_P7_HDR_LEN, text, len);
	memcpy(res->buf + SIGIL_P7_HDR_LEN + len, der, der_len);
	res->form = SIGIL_MSG_PKCS7_DETACHED;
	rc = EXIT_OK;
out:
	free(der);
	X509_free(cert);
	EVP_PKEY_free(key);
	return rc;
}

/* ---- OpenPGP, through GPGME ---- */

static int gpgme_failed(const char *what, gpgme_error_t e)
{
	warnx("%s: %s <%s>", what, gpgme_strerror(e), gpgme_strsource(e));
	return EXIT_FAIL;
}

/* The one secret key that @name (as gpg -u takes it) names, or NULL. */
static gpgme_key_t secret_key(gpgme_ctx_t ctx, const char *name)
{
	gpgme_key_t key = NULL, other = NULL;
	gpgme_error_t e;

	e = gpgme_op_keylist_start(ctx, name, 1);
	if (!e)
		e = gpgme_op_keylist_next(ctx, &key);
	if (!e && !gpgme_op_keylist_next(ctx, &other)) {
		warnx("%s names more than one secret key: give a fingerprint", name);
		gpgme_key_unref(other);
		gpgme_key_unref(key);
		key = NULL;
	} else if (e) {
		warnx("%s: no secret key by that name in %s%s%s; 'gpg -K' lists them",
		      name, getenv("GNUPGHOME") ? getenv("GNUPGHOME") : "~/.gnupg",
		      gpgme_err_code(e) == GPG_ERR_EOF ? "" : ": ",
		      gpgme_err_code(e) == GPG_ERR_EOF ? "" : gpgme_strerror(e));
	}
	gpgme_op_keylist_end(ctx);
	return key;
}

/*
 * gpg signs through its agent, so keys on a smartcard or behind a
 * passphrase work; GNUPGHOME chooses the key store as for gpg itself.
 */
static int sign_pgp_text(const struct sign_opts *o, const u8 *text, size_t len,
		    struct signed_out *res)
{
	gpgme_data_t in = NULL, out = NULL;
	gpgme_sign_result_t sr;
	gpgme_key_t key = NULL;
	gpgme_ctx_t ctx = NULL;
	gpgme_error_t e;
	struct pgp_error perr;
	struct sigil_msg m;
	char why[256], *raw;
	size_t raw_len;
	int rc = EXIT_FAIL, u;
	u8 *msg = NULL, *signed_text;

	gpgme_check_version(NULL);
	e = gpgme_new(&ctx);
	if (e)
		return gpgme_failed("gpgme", e);
	gpgme_set_protocol(ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_armor(ctx, 0);
	gpgme_set_textmode(ctx, 0);
	if (o->pgp_key) {
		key = secret_key(ctx, o->pgp_key);
		if (!key)
			goto out;
		e = gpgme_signers_add(ctx, key);
		if (e) {
			gpgme_failed(o->pgp_key, e);
			goto out;
		}
	}
	e = gpgme_data_new_from_mem(&in, (const char *)text, len, 0);
	if (!e)
		e = gpgme_data_new(&out);
	if (e) {
		gpgme_failed("gpgme data", e);
		goto out;
	}
	e = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_NORMAL);
	sr = gpgme_op_sign_result(ctx);
	if (e || !sr || !sr->signatures || sr->signatures->next || sr->invalid_signers) {
		if (sr && sr->invalid_signers)
			warnx("gpg cannot sign with %s: %s", sr->invalid_signers->fpr ?
			      sr->invalid_signers->fpr : "the key",
			      gpgme_strerror(sr->invalid_signers->reason));
		gpgme_failed("gpg --sign", e ? e : gpg_error(GPG_ERR_GENERAL));
		goto out;
	}
	snprintf(res->signer, sizeof(res->signer), "openpgp:%s", sr->signatures->fpr);
	for (raw = res->signer + 8; *raw; raw++)
		*raw = *raw >= 'A' && *raw <= 'F' ? *raw - 'A' + 'a' : *raw;
	raw = gpgme_data_release_and_get_mem(out, &raw_len);
	out = NULL;
	if (!raw) {
		warnx("gpg made no output");
		goto out;
	}

	/* gpg compresses unless its configuration says not to. */
	u = pgp_msg_uncompress((u8 *)raw, raw_len, &msg, &res->len, why, sizeof(why));
	if (u < 0) {
		warnx("gpg made a message the kernel would refuse: %s", why);
		gpgme_free(raw);
		goto out;
	}
	if (!u) {
		msg = malloc(raw_len);
		if (msg)
			memcpy(msg, raw, raw_len);
		res->len = raw_len;
	}
	gpgme_free(raw);
	if (!msg) {
		warnx("out of memory");
		goto out;
	}
	/* What the kernel will check, checked here first. */
	if (sigil_msg_parse(msg, res->len, &m, &perr) || m.form != SIGIL_MSG_PGP) {
		warnx("gpg made a message the kernel would refuse: %s", perr.msg);
		goto out;
	}
	if (m.psig.hash_algo != PGP_HASH_SHA256 && m.psig.hash_algo != PGP_HASH_SHA384 &&
	    m.psig.hash_algo != PGP_HASH_SHA512) {
		warnx("gpg signed with %s; the kernel takes SHA-256, SHA-384 or SHA-512 (gpg --personal-digest-preferences SHA512)",
		      pgp_hash_name(m.psig.hash_algo) ? pgp_hash_name(m.psig.hash_algo) :
		      "an unknown digest");
		goto out;
	}
	/* Whole, even when gpg cut the literal data into partial lengths. */
	signed_text = m.text_len == len ? malloc(len + 1) : NULL;
	if (!signed_text || sigil_msg_text_copy(msg, &m, signed_text) != len ||
	    memcmp(signed_text, text, len)) {
		free(signed_text);
		warnx("gpg signed something other than the %s text", o->what);
		goto out;
	}
	free(signed_text);
	res->buf = msg;
	res->form = SIGIL_MSG_PGP;
	msg = NULL;
	rc = EXIT_OK;
out:
	free(msg);
	gpgme_data_release(in);
	gpgme_data_release(out);
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return rc;
}

/* ---- output ---- */

/**
 * text_sign() - sign a text as the options say, in a form the kernel takes
 * @o: the options, from parse_sign_opts()
 * @text: the text
 * @len: its length
 * @res: what was made: the signed message, its form and the signer
 *
 * The result is checked before it is returned: its signature verifies and
 * its text is @text.
 *
 * Return: EXIT_OK, or EXIT_FAIL after a message.
 */
int text_sign(const struct sign_opts *o, const u8 *text, size_t len,
	      struct signed_out *res)
{
	return o->pkcs7 ? sign_pkcs7_text(o, text, len, res) :
	       sign_pgp_text(o, text, len, res);
}

/* Write @buf to @path whole or not at all: a temporary file, then rename. */
int write_output(const char *path, const u8 *buf, size_t len)
{
	char *tmp;
	size_t off = 0;
	int fd;

	if (!strcmp(path, "-")) {
		if (fwrite(buf, 1, len, stdout) != len || fflush(stdout))
			return -EIO;
		return 0;
	}
	if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
		return -ENOMEM;
	fd = mkstemp(tmp);
	if (fd < 0) {
		free(tmp);
		return -errno;
	}
	while (off < len) {
		ssize_t n = write(fd, buf + off, len - off);

		if (n < 0)
			break;
		off += n;
	}
	if (off < len || fchmod(fd, 0644) || close(fd) || rename(tmp, path)) {
		int err = errno;

		unlink(tmp);
		free(tmp);
		return -err;
	}
	free(tmp);
	return 0;
}

static void report(const struct sign_opts *o, const struct sigil_policy *pol,
		   const struct signed_out *res)
{
	char v[32];
	FILE *f = strcmp(o->out, "-") ? stdout : stderr;

	snprintf(v, sizeof(v), "%u.%u.%u", pol->version[0], pol->version[1],
		 pol->version[2]);
	if (opt_json) {
		bool first = true;

		if (!strcmp(o->out, "-"))
			return;
		putchar('{');
		json_kv_str("file", o->file, &first);
		json_kv_str("output", o->out, &first);
		json_kv_str("form", sigil_msg_form_name(res->form), &first);
		json_kv_num("bytes", res->len, &first);
		json_kv_str("name", pol->name, &first);
		json_kv_str("version", v, &first);
		json_kv_num("rules", pol->nrules, &first);
		json_kv_str("signer", res->signer, &first);
		puts("}");
		return;
	}
	fprintf(f, "%s: policy '%s' version %s, %u rules, signed by %s\n",
		o->file, pol->name, v, pol->nrules, res->signer);
	fprintf(f, "%s: %s, %zu bytes%s\n", o->out, sigil_msg_form_name(res->form),
		res->len, res->form == SIGIL_MSG_PKCS7_DETACHED && !o->container ?
		" (attached PKCS#7 would pass the kernel's 64 KiB limit)" : "");
}

int cmd_policy_sign(int argc, char **argv)
{
	struct sigil_parse_opts popts = { .props = SIGIL_PROPS_PARSEABLE };
	struct signed_out res = { 0 };
	struct sign_opts o = { .cmd = "policy sign", .what = "policy" };
	struct sigil_parse_error err;
	struct sigil_policy *pol = NULL;
	struct pgp_error perr;
	struct sigil_msg m;
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
	rc = sigil_msg_parse(text, len, &m, &perr);
	if (rc != -EAGAIN && (rc || m.form != SIGIL_MSG_TEXT)) {
		warnx("%s: not a policy text: %s", o.file,
		      rc ? perr.msg : "it is already signed");
		rc = EXIT_FAIL;
		goto out;
	}
	if (len > KERNEL_POLICY_MAX) {
		warnx("%s: %zu bytes; the kernel takes policies of at most %u",
		      o.file, len, KERNEL_POLICY_MAX);
		rc = EXIT_FAIL;
		goto out;
	}
	/* Never sign what the kernel would refuse to parse. */
	rc = sigil_policy_parse((const char *)text, len, &popts, &pol, &err);
	if (rc) {
		if (err.col)
			fprintf(stderr, "%s:%u:%u: error: %s\n", o.file, err.line,
				err.col, err.msg);
		else
			fprintf(stderr, "%s:%u: error: %s\n", o.file, err.line, err.msg);
		warnx("%s: not signed: the policy does not parse", o.file);
		pol = NULL;
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
	report(&o, pol, &res);
out:
	if (pol)
		sigil_policy_free(pol);
	free(res.buf);
	free(text);
	return rc;
}
