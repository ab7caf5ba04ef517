// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl verify: check offline the signatures a file carries (fs-verity
 * builtin, security.ima, security.sigil) against keys in files, with
 * OpenSSL, or against the keys of the live .sigil keyring, with the
 * kernel's keyctl_pkey_verify().  The formats are read by the parsers the
 * kernel uses (keys/filesig.c, keys/packet.c, keys/cert.c); the keys are
 * read and used in verify_keys.c.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <linux/fsverity.h>
#include <openssl/cms.h>
#include <openssl/evp.h>
#include <openssl/x509.h>

#include "verify.h"

/* One signature found on a file, and what became of it. */
struct vsig {
	const char *format;
	const char *state;
	char signer[ID_MAX];
	char detail[PGP_ERR_MSG_MAX];
};

#define MAX_SIGS 3

/* ---- the files ---- */

static int hash_fd(int fd, const char *hash, const u8 *prefix, size_t plen,
		   u8 *digest, unsigned int *dlen)
{
	const EVP_MD *md = EVP_get_digestbyname(hash);
	EVP_MD_CTX *m = EVP_MD_CTX_new();
	u8 buf[65536];
	ssize_t n = 0;
	int ok;

	ok = md && m && EVP_DigestInit_ex(m, md, NULL) > 0;
	if (ok && fd >= 0 && lseek(fd, 0, SEEK_SET) == 0)
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			EVP_DigestUpdate(m, buf, n);
	if (ok && prefix)
		EVP_DigestUpdate(m, prefix, plen);
	ok = ok && n == 0 && EVP_DigestFinal_ex(m, digest, dlen) > 0;
	EVP_MD_CTX_free(m);
	return ok ? 0 : -EIO;
}

static __printf(3, 4) void set_state(struct vsig *s, const char *state, const char *fmt, ...)
{
	va_list ap;

	s->state = state;
	if (fmt) {
		va_start(ap, fmt);
		vsnprintf(s->detail, sizeof(s->detail), fmt, ap);
		va_end(ap);
	}
}

/*
 * A PKCS#7 signature checked by the kernel with a .sigil key: the raw
 * signature over the hash of the content, so only messages without signed
 * attributes (fsverity sign and libfsverity make none).
 */
static void ring_check_pkcs7(const struct vkey *k, const u8 *der, size_t len,
			     const u8 *content, size_t clen, struct vsig *s)
{
	const u8 *p = der;
	CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
	STACK_OF(CMS_SignerInfo) *sis = cms ? CMS_get0_SignerInfos(cms) : NULL;
	CMS_SignerInfo *si = sis ? sk_CMS_SignerInfo_value(sis, 0) : NULL;
	struct pgp_span span = { content, clen };
	X509_ALGOR *dig = NULL;
	ASN1_OCTET_STRING *sv;
	const char *hash = NULL;
	unsigned int mdlen, i;
	char lower[16];
	u8 md[64];

	if (si)
		CMS_SignerInfo_get0_algs(si, NULL, NULL, &dig, NULL);
	if (dig)
		hash = OBJ_nid2sn(OBJ_obj2nid(dig->algorithm));
	if (!si || CMS_signed_get_attr_count(si) > 0 || !hash) {
		set_state(s, "unchecked", "--keyring checks messages without signed attributes");
		CMS_ContentInfo_free(cms);
		return;
	}
	/* OpenSSL's "SHA256" is the kernel's "sha256". */
	for (i = 0; hash[i] && i < sizeof(lower) - 1; i++)
		lower[i] = hash[i] >= 'A' && hash[i] <= 'Z' ? hash[i] + 32 : hash[i];
	lower[i] = '\0';
	sv = CMS_SignerInfo_get0_signature(si);
	if (hash_spans(lower, &span, 1, md, &mdlen) ||
	    key_verify(k, lower, md, mdlen, ASN1_STRING_get0_data(sv), ASN1_STRING_length(sv)))
		set_state(s, "bad-signature", NULL);
	else
		set_state(s, "valid", NULL);
	CMS_ContentInfo_free(cms);
}

/* The fs-verity builtin signature, over the formatted digest. */
static bool check_fsverity(int fd, struct vsig *s)
{
	u8 digest[64], fmt[FSVERITY_FORMATTED_MAX], sig[16384];
	struct fsverity_read_metadata_arg arg = {
		.metadata_type = FS_VERITY_METADATA_TYPE_SIGNATURE,
		.length = sizeof(sig),
		.buf_ptr = (unsigned long)sig,
	};
	struct pkcs7_signer_id id = { 0 };
	struct pgp_error err = { 0 };
	struct vkey *k = NULL;
	unsigned int size;
	size_t flen, i;
	long len;
	u16 alg;

	if (sign_measure_verity(fd, &alg, digest, &size))
		return false;
	len = ioctl(fd, FS_IOC_READ_VERITY_METADATA, &arg);
	if (len < 0)
		return false;	/* ENODATA: fs-verity without a signature */
	s->format = "fsverity";
	flen = fsverity_formatted_digest(alg, digest, size, fmt);
	if (pkcs7_signer_id(sig, len, &id, &err)) {
		set_state(s, "malformed", "%s", err.msg);
		return true;
	}
	if (id.skid && id.skid_len <= 256) {
		strcpy(s->signer, "skid:");
		hex_str(s->signer + 5, id.skid, id.skid_len);
	} else if (id.serial && id.serial_len <= 64) {
		strcpy(s->signer, "serial:");
		hex_str(s->signer + 7, id.serial, id.serial_len);
	}
	if (id.signers != 1 || id.certs) {
		set_state(s, "refused", "%u signers%s: sigil takes one signer and no certificates",
			  id.signers, id.certs ? " and certificates" : "");
		return true;
	}
	if (sigil_ring) {
		u8 kid[512];
		size_t n = 0;

		if (id.skid) {
			k = ring_key(id.skid, id.skid_len);
		} else if (id.serial_len + id.issuer_len <= sizeof(kid)) {
			/* The kernel's X.509 key ID: serial, then issuer */
			memcpy(kid, id.serial, id.serial_len);
			memcpy(kid + id.serial_len, id.issuer, id.issuer_len);
			n = id.serial_len + id.issuer_len;
			k = ring_key(kid, n);
		}
	} else {
		for (i = 0; i < nkeys && !k; i++) {
			struct vkey *c = &keys[i];
			bool match;

			if (!c->x509)
				continue;
			if (id.skid)
				match = c->skid && c->skid_len == id.skid_len &&
					!memcmp(c->skid, id.skid, id.skid_len);
			else
				match = c->issuer && c->issuer_len == id.issuer_len &&
					c->serial_len == id.serial_len &&
					!memcmp(c->issuer, id.issuer, id.issuer_len) &&
					!memcmp(c->serial, id.serial, id.serial_len);
			if (match)
				k = c;
		}
	}
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (k->serialno) {
		ring_check_pkcs7(k, sig, len, fmt, flen, s);
	} else {
		const u8 *p = sig;
		CMS_ContentInfo *cms = d2i_CMS_ContentInfo(NULL, &p, len);
		BIO *content = BIO_new_mem_buf(fmt, (int)flen);
		STACK_OF(X509) *certs = sk_X509_new_null();
		int ok;

		sk_X509_push(certs, k->x509);
		ok = cms && CMS_verify(cms, certs, NULL, content, NULL,
				       CMS_NO_SIGNER_CERT_VERIFY | CMS_BINARY | CMS_NOINTERN) == 1;
		set_state(s, ok ? "valid" : "bad-signature", NULL);
		sk_X509_free(certs);
		BIO_free(content);
		CMS_ContentInfo_free(cms);
	}
	return true;
}

/* The file's fs-verity digest, as filesig_check() takes it. */
static void file_verity(int fd, struct filesig_verity *v)
{
	memset(v, 0, sizeof(*v));
	if (sign_measure_verity(fd, &v->alg, v->digest, &v->size))
		v->alg = 0;
}

/*
 * Report what filesig_check() (or the packet parsers after it) decided
 * without a key; false when a key must verify the signature.
 */
static bool checked(const struct filesig_check *c, int rc,
		    const struct pgp_error *err, struct vsig *s)
{
	if (rc) {
		set_state(s, rc == -EBADMSG ? "malformed" : "refused", "%s", err->msg);
		return true;
	}
	switch (c->state) {
	case SIGIL_SIG_UNVERIFIED:
		return false;
	case SIGIL_SIG_REFUSED:
		set_state(s, "refused", "%s", err->msg);
		return true;
	case SIGIL_SIG_BAD:
		set_state(s, sigil_sig_state_names[c->state],
			  "signs another hash than fs-verity's");
		return true;
	default:
		set_state(s, sigil_sig_state_names[c->state], NULL);
		return true;
	}
}

/* security.ima: v2 over the content, v3 over the fs-verity digest. */
static bool check_ima(int fd, struct vsig *s)
{
	u8 value[IMA_XATTR_MAX + 1], md[64];
	struct filesig_verity verity;
	struct pgp_error err = { 0 };
	struct filesig_check c;
	const struct ima_sig *sig = &c.ima;
	struct vkey *k = NULL;
	unsigned int mdlen;
	ssize_t len;
	size_t i;
	int rc;

	len = fgetxattr(fd, "security.ima", value, sizeof(value));
	if (len < 0 && errno == ERANGE) {
		s->format = "ima";
		set_state(s, "malformed", "security.ima is longer than %d bytes", IMA_XATTR_MAX);
		return true;
	}
	if (len < 0)
		return false;
	file_verity(fd, &verity);
	rc = filesig_check(FILESIG_XATTR_IMA, value, len, &verity, &c, &err);
	if (!rc && c.state == SIGIL_SIG_ABSENT)
		return false;	/* a hash, not a signature */
	s->format = len && value[0] == IMA_XATTR_VERITY_DIGSIG ? "ima-v3" : "ima-v2";
	if (!rc && c.state != SIGIL_SIG_REFUSED) {
		strcpy(s->signer, "keyid:");
		hex_str(s->signer + 6, sig->keyid, 4);
	}
	if (rc || c.state == SIGIL_SIG_REFUSED)
		return checked(&c, rc, &err, s);
	/* The key, to name the signer even when no key is needed to decide. */
	if (sigil_ring) {
		k = ring_key(sig->keyid, 4);
	} else {
		/* The first key whose identifier ends with the key ID, as IMA. */
		for (i = 0; i < nkeys && !k; i++) {
			struct vkey *c = &keys[i];
			const u8 *end = c->x509 ? (c->skid && c->skid_len >= 4 ?
					c->skid + c->skid_len - 4 : NULL) :
					c->signer->fpr + PGP_FPR_SIZE - 4;

			if (end && !memcmp(end, sig->keyid, 4))
				k = c;
			else if (c->cert && !memcmp(c->cert->primary.fpr + PGP_FPR_SIZE - 4,
						    sig->keyid, 4))
				k = c;
		}
	}
	if (k)
		snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (checked(&c, rc, &err, s))
		return true;
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	rc = hash_fd(c.content ? fd : -1, ima_hash_name(sig->hash_algo),
		     c.content ? NULL : c.msg, c.msg_len, md, &mdlen);
	if (rc) {
		set_state(s, "error", "cannot read the file: %s", strerror(-rc));
		return true;
	}
	set_state(s, key_verify(k, ima_hash_name(sig->hash_algo), md, mdlen, sig->sig,
				sig->sig_len) ? "bad-signature" : "valid", NULL);
	return true;
}

/* security.sigil: kind 1 over the formatted digest, kind 2 over the content. */
static bool check_pgp(int fd, struct vsig *s)
{
	u8 value[SIGIL_XATTR_MAX + 1], md[EVP_MAX_MD_SIZE];
	u8 sigbytes[PGP_SIG_MAX + 16], trailer[6], buf[65536];
	struct filesig_verity verity;
	struct pgp_error err = { 0 };
	struct pgp_key fake = { 0 };
	struct filesig_check c;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	const struct pgp_key *signer = NULL;
	struct vkey *k = NULL;
	unsigned int mdlen;
	size_t pos = 0, i;
	EVP_MD_CTX *m;
	ssize_t len, n = 0;
	int rc;

	len = fgetxattr(fd, SIGIL_XATTR_NAME, value, sizeof(value));
	if (len < 0 && errno == ERANGE) {
		s->format = "pgp";
		set_state(s, "malformed", "security.sigil is longer than %d bytes",
			  SIGIL_XATTR_MAX);
		return true;
	}
	if (len < 0)
		return false;
	s->format = len >= 2 && value[1] == SIGIL_XATTR_VERITY ? "pgp-kind1" : "pgp-kind2";
	file_verity(fd, &verity);
	rc = filesig_check(FILESIG_XATTR_SIGIL, value, len, &verity, &c, &err);
	if (!rc && c.state != SIGIL_SIG_REFUSED)
		rc = pgp_read_packet(c.sigil.packet, c.sigil.len, &pos, &pkt, &err);
	if (!rc && c.state != SIGIL_SIG_REFUSED)
		rc = pgp_parse_sig(pkt.body, pkt.len, &sig, &err);
	if (!rc && c.state != SIGIL_SIG_REFUSED)
		rc = pgp_check_data_sig(&sig, &err);
	if (rc == -EKEYREJECTED) {
		set_state(s, "refused", "%s", err.msg);
		return true;
	}
	if (!rc && c.state != SIGIL_SIG_REFUSED) {
		if (sig.has_issuer_fpr) {
			strcpy(s->signer, "openpgp:");
			pgp_fpr_hex(sig.issuer_fpr, PGP_FPR_SIZE, s->signer + 8);
		} else if (sig.has_issuer) {
			strcpy(s->signer, "keyid:");
			pgp_fpr_hex(sig.issuer, PGP_KEYID_SIZE, s->signer + 6);
		}
	}
	if (rc || c.state == SIGIL_SIG_REFUSED)
		return checked(&c, rc, &err, s);
	/* The key, to name the signer even when no key is needed to decide. */
	if (sigil_ring) {
		k = sig.has_issuer_fpr ? ring_key(sig.issuer_fpr, PGP_FPR_SIZE) :
		    sig.has_issuer ? ring_key(sig.issuer, PGP_KEYID_SIZE) : NULL;
		if (k) {
			fake.algo = k->ecdsa ? PGP_PK_ECDSA : PGP_PK_RSA;
			fake.curve = k->key_bits > 256 ? PGP_CURVE_P384 : PGP_CURVE_P256;
			fake.n_len = k->key_bits / 8;
			signer = &fake;
		}
	} else {
		for (i = 0; i < nkeys && !k; i++)
			if (keys[i].signer && pgp_sig_by(&sig, keys[i].signer))
				k = &keys[i];
		if (k)
			signer = k->signer;
	}
	if (k)
		snprintf(s->signer, sizeof(s->signer), "%s", k->id);
	if (checked(&c, rc, &err, s))
		return true;
	if (!k) {
		set_state(s, "unknown-key", NULL);
		return true;
	}
	m = EVP_MD_CTX_new();
	if (!m || EVP_DigestInit_ex(m, EVP_get_digestbyname(pgp_hash_name(sig.hash_algo)),
				    NULL) <= 0) {
		EVP_MD_CTX_free(m);
		set_state(s, "error", "OpenSSL has no %s", pgp_hash_name(sig.hash_algo));
		return true;
	}
	/* What was signed (binary: filesig_check() refuses text), then the trailer. */
	if (c.content) {
		lseek(fd, 0, SEEK_SET);
		while ((n = read(fd, buf, sizeof(buf))) > 0)
			EVP_DigestUpdate(m, buf, n);
	} else {
		EVP_DigestUpdate(m, c.msg, c.msg_len);
	}
	pgp_sig_trailer(&sig, trailer);
	EVP_DigestUpdate(m, sig.body, 6u + sig.hashed_len);
	EVP_DigestUpdate(m, trailer, sizeof(trailer));
	EVP_DigestFinal_ex(m, md, &mdlen);
	EVP_MD_CTX_free(m);
	if (n < 0) {
		set_state(s, "error", "cannot read the file: %s", strerror(errno));
		return true;
	}
	rc = pgp_sig_to_kernel(&sig, signer, sigbytes, sizeof(sigbytes));
	if (!pgp_quick_check(&sig, md) || rc < 0 ||
	    key_verify(k, pgp_hash_name(sig.hash_algo), md, mdlen, sigbytes, rc))
		set_state(s, "bad-signature", NULL);
	else
		set_state(s, "valid", NULL);
	return true;
}

/* ---- output ---- */

struct vtotals {
	size_t files, verified, failed, skipped;
	bool first;
};

static void report(struct vtotals *t, const char *path, const struct vsig *sigs,
		   int nsigs, bool ok, const char *skipped, const char *error)
{
	int i;

	if (skipped)
		t->skipped++;
	else if (ok)
		t->verified++;
	else
		t->failed++;
	t->files++;
	if (opt_json) {
		bool first = true;

		if (!t->first)
			putchar(',');
		t->first = false;
		putchar('{');
		json_kv_str("path", path, &first);
		if (skipped) {
			json_kv_str("skipped", skipped, &first);
			putchar('}');
			return;
		}
		json_kv_bool("verified", ok, &first);
		if (error)
			json_kv_str("error", error, &first);
		json_key("signatures", &first);
		putchar('[');
		for (i = 0; i < nsigs; i++) {
			bool f = true;

			printf("%s{", i ? "," : "");
			json_kv_str("format", sigs[i].format, &f);
			json_kv_str("state", sigs[i].state, &f);
			json_kv_str("signer", sigs[i].signer[0] ? sigs[i].signer : NULL, &f);
			if (sigs[i].detail[0])
				json_kv_str("detail", sigs[i].detail, &f);
			putchar('}');
		}
		printf("]}");
		return;
	}
	if (skipped)
		return;
	if (error) {
		printf("%s: FAILED: %s\n", path, error);
		return;
	}
	if (!nsigs)
		printf("%s: FAILED: no signature\n", path);
	for (i = 0; i < nsigs; i++)
		printf("%s: %s: %s: %s%s%s\n", path, sigs[i].format,
		       sigs[i].state, sigs[i].signer[0] ? sigs[i].signer : "no signer named",
		       sigs[i].detail[0] ? ": " : "", sigs[i].detail);
}

static void verify_one(struct vtotals *t, const struct walk_entry *e, bool all)
{
	struct vsig sigs[MAX_SIGS];
	const char *skip;
	struct stat st;
	int fd, n = 0, i;
	bool ok = false;

	memset(sigs, 0, sizeof(sigs));
	fd = open(e->path, O_RDONLY | O_CLOEXEC | O_NOCTTY | (e->named ? 0 : O_NOFOLLOW));
	if (fd < 0 && !e->named && (errno == ELOOP || errno == ENXIO)) {
		report(t, e->path, NULL, 0, false, "symbolic link", NULL);
		return;
	}
	if (fd < 0) {
		report(t, e->path, NULL, 0, false, NULL, strerror(errno));
		return;
	}
	if (fstat(fd, &st)) {
		report(t, e->path, NULL, 0, false, NULL, strerror(errno));
		close(fd);
		return;
	}
	/* Trees are checked as sign signs them; files named are checked anyway. */
	skip = walk_skip_reason(fd, &st, all || e->named);
	if (skip) {
		report(t, e->path, NULL, 0, false, skip, NULL);
		close(fd);
		return;
	}
	n += check_fsverity(fd, &sigs[n]);
	n += check_ima(fd, &sigs[n]);
	n += check_pgp(fd, &sigs[n]);
	for (i = 0; i < n; i++)
		ok |= !strcmp(sigs[i].state, "valid");
	report(t, e->path, sigs, n, ok, NULL, NULL);
	close(fd);
}

enum { OPT_KEYS = OPT_LONG, OPT_KEYRING, OPT_ALL };

static const struct option verify_longopts[] = {
	{ "keys", required_argument, NULL, OPT_KEYS },
	{ "keyring", no_argument, NULL, OPT_KEYRING },
	{ "all", no_argument, NULL, OPT_ALL },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

int cmd_verify(int argc, char **argv)
{
	struct vtotals t = { .first = true };
	struct walk_entry *files;
	bool keyring = false, all = false;
	size_t nfiles, k;
	int c, nkeyfiles = 0;

	/* Options come before the paths: the first path ends them. */
	while ((c = cmd_getopt(argc, argv, "verify", "+:h", verify_longopts)) != -1) {
		switch (c) {
		case OPT_KEYS:
			if (load_key_file(optarg))
				return EXIT_FAIL;
			nkeyfiles++;
			break;
		case OPT_KEYRING:
			keyring = true;
			break;
		case OPT_ALL:
			all = true;
			break;
		default:
			return cmd_exit(c);
		}
	}
	if (optind == argc)
		return usage_error("verify", "which files or directories?");
	if (keyring == !!nkeyfiles)
		return usage_error("verify", "check against --keys FILE or --keyring");
	if (keyring) {
		if (!sigil_present())
			return EXIT_ENV;
		sigil_ring = find_sigil_ring();
		if (!sigil_ring) {
			warnx("cannot find the .sigil keyring in /proc/keys");
			return EXIT_ENV;
		}
	}
	if (walk_list_files(argv + optind, argc - optind, &files, &nfiles))
		return EXIT_FAIL;
	if (opt_json)
		printf("{\"files\":[");
	for (k = 0; k < nfiles; k++) {
		verify_one(&t, &files[k], all);
		free(files[k].path);
	}
	free(files);
	if (opt_json) {
		bool first = false;

		putchar(']');
		json_kv_num("verified", t.verified, &first);
		json_kv_num("failed", t.failed, &first);
		json_kv_num("skipped", t.skipped, &first);
		puts("}");
	} else {
		printf("%zu files: %zu verified, %zu failed, %zu skipped\n", t.files - t.skipped,
		       t.verified, t.failed, t.skipped);
	}
	free_keys();
	return t.failed || !t.verified ? EXIT_FAIL : EXIT_OK;
}
