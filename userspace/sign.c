// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl sign: sign files and whole trees in place, for an image being
 * built, with an fs-verity builtin signature (libfsverity), security.ima v2
 * or v3 (OpenSSL) or security.sigil kind 1 or 2 (GPGME), on a small pool
 * of worker threads.  Each file is signed completely or not at all.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/xattr.h>
#include <time.h>
#include <unistd.h>

#include <gpgme.h>
#include <libfsverity.h>
#include <linux/fsverity.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "filesig.h"
#include "sigilctl.h"

enum sign_format { SIGN_NONE, SIGN_FSVERITY, SIGN_IMA, SIGN_PGP };
enum sign_result { RES_PENDING, RES_SIGNED, RES_SKIPPED, RES_FAILED };

struct sign_opts {
	enum sign_format format;
	bool v3;
	int kind;
	const char *key;
	const char *cert;
	const char *pgp_key;
	bool all;
	bool quiet;
	bool no_enable;
	int jobs;
	EVP_PKEY *pkey;		/* --ima: the private key */
	u8 keyid[4];		/* --ima: the end of the certificate's SKID */
	char signer[2 * PGP_FPR_SIZE + 24];	/* for the summary */
};

struct sign_file {
	char *path;
	enum sign_result result;
	int err;		/* errno of a failure */
	const char *why;	/* skipped: the reason; failed: what failed */
	char *msg;		/* failed: details, malloc()ed, or NULL */
};

struct sign_run {
	const struct sign_opts *o;
	struct sign_file *files;
	size_t nfiles;
	size_t next;		/* the next file a worker takes */
	size_t done;
	size_t counts[4];	/* by enum sign_result */
	pthread_mutex_t lock;
	bool tty;
	struct timespec last_draw;
};

/* ---- helpers ---- */

/* Record a failure: @why names the step, @fmt details it (or NULL). */
static __printf(4, 5) int fail(struct sign_file *f, int err, const char *why, const char *fmt, ...)
{
	va_list ap;

	f->result = RES_FAILED;
	f->err = err;
	f->why = why;
	if (fmt) {
		va_start(ap, fmt);
		if (vasprintf(&f->msg, fmt, ap) < 0)
			f->msg = NULL;
		va_end(ap);
		if (f->msg && !f->msg[0]) {	/* a library that said nothing */
			free(f->msg);
			f->msg = NULL;
		}
	}
	return -1;
}

/**
 * sign_measure_verity() - the fs-verity digest of a file
 * @fd: the file
 * @alg: its algorithm, FS_VERITY_HASH_ALG_*
 * @digest: the digest, up to 64 bytes
 * @size: its size
 *
 * Return: 0, or -ENODATA when fs-verity is not enabled, or another -errno
 * (-EOPNOTSUPP, -ENOTTY: the filesystem has no fs-verity).
 */
int sign_measure_verity(int fd, u16 *alg, u8 *digest, unsigned int *size)
{
	struct {
		struct fsverity_digest d;
		u8 buf[64];
	} m = { .d.digest_size = 64 };

	if (ioctl(fd, FS_IOC_MEASURE_VERITY, &m))
		return -errno;
	*alg = m.d.digest_algorithm;
	*size = m.d.digest_size;
	memcpy(digest, m.d.digest, m.d.digest_size);
	return 0;
}

static int read_fd(void *fd, void *buf, size_t count)
{
	while (count) {
		ssize_t n = read(*(int *)fd, buf, count);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf = (u8 *)buf + n;
		count -= n;
	}
	return 0;
}

static __thread char fsverity_msg[256];

static void fsverity_error(const char *msg)
{
	snprintf(fsverity_msg, sizeof(fsverity_msg), "%s", msg);
}

/* SHA-256 fs-verity digest with 4 KiB blocks, as the kernel would compute it. */
static int compute_verity(int fd, const struct stat *st,
			  struct libfsverity_digest **d)
{
	struct libfsverity_merkle_tree_params p = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.file_size = st->st_size,
		.block_size = 4096,
	};
	int rc;

	if (lseek(fd, 0, SEEK_SET) < 0)
		return -errno;
	rc = libfsverity_compute_digest(&fd, read_fd, &p, d);
	return rc < 0 ? rc : 0;
}

/*
 * The fs-verity digest the file has, or will have once fs-verity is enabled;
 * *@enabled says which.
 */
static int verity_digest(struct sign_file *f, int fd, const struct stat *st,
			 u16 *alg, u8 *digest, unsigned int *size, bool *enabled)
{
	struct libfsverity_digest *d = NULL;
	int rc = sign_measure_verity(fd, alg, digest, size);

	*enabled = !rc;
	if (!rc)
		return 0;
	if (rc != -ENODATA && rc != -EOPNOTSUPP && rc != -ENOTTY)
		return fail(f, -rc, "cannot measure fs-verity", NULL);
	fsverity_msg[0] = '\0';
	rc = compute_verity(fd, st, &d);
	if (rc)
		return fail(f, -rc, "cannot compute the fs-verity digest", "%s", fsverity_msg);
	*alg = d->digest_algorithm;
	*size = d->digest_size;
	memcpy(digest, d->digest, d->digest_size);
	free(d);
	return 0;
}

/*
 * Set @name to @value, then, when @enable, enable fs-verity (without a
 * builtin signature).  If enabling fails, the xattr's old value (or its
 * absence) comes back: the file is never left half-signed.
 */
static int set_and_enable(struct sign_file *f, int fd, const char *name,
			  const u8 *value, size_t len, bool enable)
{
	struct libfsverity_merkle_tree_params p = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.block_size = 4096,
	};
	u8 old[SIGIL_XATTR_MAX];
	ssize_t old_len = -1;
	int rc;

	if (enable) {
		old_len = fgetxattr(fd, name, old, sizeof(old));
		if (old_len < 0 && errno == ERANGE)
			return fail(f, ERANGE, "cannot keep the old xattr to restore it", "%s", name);
	}
	if (fsetxattr(fd, name, value, len, 0))
		return fail(f, errno, "cannot set the xattr", "%s", name);
	if (!enable)
		return 0;
	rc = libfsverity_enable(fd, &p);
	if (!rc)
		return 0;
	if (old_len >= 0)
		fsetxattr(fd, name, old, old_len, 0);
	else
		fremovexattr(fd, name);
	return fail(f, -rc, "cannot enable fs-verity",
		    "%s was not changed; --no-enable signs without enabling it", name);
}

/* ---- the formats ---- */

static int sign_fsverity(const struct sign_opts *o, struct sign_file *f, int fd,
			 const struct stat *st)
{
	struct libfsverity_signature_params sp = { .keyfile = o->key, .certfile = o->cert };
	struct libfsverity_merkle_tree_params p = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.block_size = 4096,
	};
	struct libfsverity_digest *d = NULL;
	u8 digest[64], *sig = NULL;
	unsigned int size;
	size_t sig_len;
	u16 alg;
	int rc;

	fsverity_msg[0] = '\0';
	if (!sign_measure_verity(fd, &alg, digest, &size))
		return fail(f, EEXIST, "fs-verity is already enabled",
			    "its builtin signature can only be given when it is enabled");
	rc = compute_verity(fd, st, &d);
	if (rc)
		return fail(f, -rc, "cannot compute the fs-verity digest", "%s", fsverity_msg);
	rc = libfsverity_sign_digest(d, &sp, &sig, &sig_len);
	free(d);
	if (rc)
		return fail(f, -rc, "cannot sign", "%s", fsverity_msg);
	/* Atomic: the file has fs-verity with this signature, or is unchanged. */
	rc = libfsverity_enable_with_sig(fd, &p, sig, sig_len);
	free(sig);
	/* fs-verity checks the signature against its own keyring first. */
	if (rc == -ENOKEY)
		return fail(f, ENOKEY, "cannot enable fs-verity",
			    "the certificate is not in .fs-verity: add it with 'sigilctl key add --also-fsverity %s'",
			    o->cert);
	if (rc)
		return fail(f, -rc, "cannot enable fs-verity", "%s", fsverity_msg);
	return 0;
}

static int ima_sign(const struct sign_opts *o, struct sign_file *f, int fd,
		    const struct stat *st)
{
	u8 value[IMA_XATTR_MAX + 64], digest[64], fileid[IMA_FILE_ID_MAX];
	EVP_MD_CTX *c = EVP_MD_CTX_new();
	size_t sig_len = sizeof(value) - IMA_SIG_HDR_SIZE;
	bool enabled = false;
	unsigned int size;
	u16 alg;
	int rc = -1;

	if (!c)
		return fail(f, ENOMEM, "out of memory", NULL);
	if (EVP_DigestSignInit(c, NULL, EVP_sha256(), NULL, o->pkey) <= 0) {
		fail(f, EINVAL, "OpenSSL cannot sign with this key", NULL);
		goto out;
	}
	if (o->v3) {
		if (verity_digest(f, fd, st, &alg, digest, &size, &enabled))
			goto out;
		if (alg != FS_VERITY_HASH_ALG_SHA256) {
			fail(f, EOPNOTSUPP, "fs-verity uses SHA-512",
			     "an IMA v3 signature here is over SHA-256");
			goto out;
		}
		size = ima_file_id(IMA_HASH_SHA256, digest, size, fileid);
		if (EVP_DigestSignUpdate(c, fileid, size) <= 0) {
			fail(f, EINVAL, "OpenSSL cannot sign", NULL);
			goto out;
		}
	} else {
		u8 buf[65536];
		ssize_t n;

		while ((n = read(fd, buf, sizeof(buf))) > 0)
			EVP_DigestSignUpdate(c, buf, n);
		if (n < 0) {
			fail(f, errno, "cannot read", NULL);
			goto out;
		}
	}
	if (EVP_DigestSignFinal(c, value + IMA_SIG_HDR_SIZE, &sig_len) <= 0 ||
	    sig_len > IMA_XATTR_MAX - IMA_SIG_HDR_SIZE) {
		fail(f, EINVAL, "OpenSSL cannot sign", NULL);
		goto out;
	}
	/* struct signature_v2_hdr, as evmctl ima_sign writes it */
	value[0] = o->v3 ? IMA_XATTR_VERITY_DIGSIG : IMA_XATTR_DIGSIG;
	value[1] = o->v3 ? 3 : 2;
	value[2] = IMA_HASH_SHA256;
	memcpy(value + 3, o->keyid, 4);
	value[7] = (u8)(sig_len >> 8);
	value[8] = (u8)sig_len;
	rc = set_and_enable(f, fd, "security.ima", value, IMA_SIG_HDR_SIZE + sig_len,
			    o->v3 && !enabled && !o->no_enable);
out:
	EVP_MD_CTX_free(c);
	return rc;
}

/* One GPGME context per worker thread, made on first use. */
static __thread gpgme_ctx_t pgp_ctx;

static int pgp_context(const struct sign_opts *o, gpgme_ctx_t *ctx, char *why,
		       size_t size)
{
	gpgme_key_t key = NULL;
	gpgme_error_t e;

	if (pgp_ctx) {
		*ctx = pgp_ctx;
		return 0;
	}
	e = gpgme_new(ctx);
	if (e) {
		snprintf(why, size, "GPGME: %s", gpgme_strerror(e));
		return -1;
	}
	gpgme_set_protocol(*ctx, GPGME_PROTOCOL_OpenPGP);
	gpgme_set_armor(*ctx, 0);
	/* A binary signature: the kernel refuses text-mode ones. */
	gpgme_set_textmode(*ctx, 0);
	if (o->pgp_key) {
		e = gpgme_get_key(*ctx, o->pgp_key, &key, 1);
		if (!e)
			e = gpgme_signers_add(*ctx, key);
		gpgme_key_unref(key);
		if (e) {
			snprintf(why, size, "secret key %s: %s", o->pgp_key, gpgme_strerror(e));
			gpgme_release(*ctx);
			return -1;
		}
	}
	pgp_ctx = *ctx;
	return 0;
}

static int pgp_sign(const struct sign_opts *o, struct sign_file *f, int fd,
		    const struct stat *st)
{
	u8 digest[64], fmt[FSVERITY_FORMATTED_MAX], *value = NULL;
	gpgme_data_t in = NULL, out = NULL;
	struct pgp_error perr = { 0 };
	struct sigil_xattr x;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	bool enabled = false;
	gpgme_ctx_t ctx;
	gpgme_error_t e;
	unsigned int size;
	char why[256];
	size_t len, pos = 0;
	char *sigbuf;
	u16 alg;
	int rc = -1;

	if (pgp_context(o, &ctx, why, sizeof(why)))
		return fail(f, EINVAL, "GPGME", "%s", why);
	if (o->kind == SIGIL_XATTR_VERITY) {
		if (verity_digest(f, fd, st, &alg, digest, &size, &enabled))
			return -1;
		len = fsverity_formatted_digest(alg, digest, size, fmt);
		e = gpgme_data_new_from_mem(&in, (const char *)fmt, len, 1);
	} else {
		e = gpgme_data_new_from_fd(&in, fd);
	}
	if (!e)
		e = gpgme_data_new(&out);
	if (!e)
		e = gpgme_op_sign(ctx, in, out, GPGME_SIG_MODE_DETACH);
	if (e) {
		fail(f, EIO, "gpg cannot sign", "%s", gpgme_strerror(e));
		goto out;
	}
	sigbuf = gpgme_data_release_and_get_mem(out, &len);
	out = NULL;
	value = malloc(len + 2);
	if (!value || !sigbuf) {
		gpgme_free(sigbuf);
		fail(f, ENOMEM, "out of memory", NULL);
		goto out;
	}
	value[0] = SIGIL_XATTR_VERSION;
	value[1] = (u8)o->kind;
	memcpy(value + 2, sigbuf, len);
	gpgme_free(sigbuf);
	/*
	 * What the kernel will refuse is refused here, before anything is
	 * set: a text-mode signature too, which gpg makes whatever GPGME asks
	 * when gpg.conf says "textmode".
	 */
	if (sigil_xattr_parse(value, len + 2, &x, &perr) ||
	    pgp_read_packet(x.packet, x.len, &pos, &pkt, &perr) ||
	    pgp_parse_sig(pkt.body, pkt.len, &sig, &perr) ||
	    pgp_check_data_sig(&sig, &perr)) {
		fail(f, EKEYREJECTED, "gpg made a signature sigil refuses", "%s", perr.msg);
		goto out;
	}
	rc = set_and_enable(f, fd, SIGIL_XATTR_NAME, value, len + 2,
			    o->kind == SIGIL_XATTR_VERITY && !enabled && !o->no_enable);
out:
	gpgme_data_release(in);
	gpgme_data_release(out);
	free(value);
	return rc;
}

/* ---- one file ---- */

static void sign_one(const struct sign_opts *o, struct sign_file *f)
{
	struct stat st;
	int fd;

	if (lstat(f->path, &st)) {
		fail(f, errno, "cannot stat", NULL);
		return;
	}
	if (!S_ISREG(st.st_mode)) {
		f->result = RES_SKIPPED;
		f->why = walk_skip_reason(-1, &st, o->all);
		return;
	}
	fd = open(f->path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		fail(f, errno, "cannot open", NULL);
		return;
	}
	f->why = walk_skip_reason(fd, &st, o->all);
	if (f->why) {
		f->result = RES_SKIPPED;
		close(fd);
		return;
	}
	if (!(o->format == SIGN_FSVERITY ? sign_fsverity :
	      o->format == SIGN_IMA ? ima_sign : pgp_sign)(o, f, fd, &st))
		f->result = RES_SIGNED;
	close(fd);
}

/* ---- progress ---- */

static const char *const result_name[] = { "?", "signed", "skipped", "FAILED" };

/* Called with run->lock held, after file @f is done. */
static void progress(struct sign_run *run, const struct sign_file *f)
{
	struct timespec now;
	int width = 30, fill;

	if (run->o->quiet)
		return;
	if (!run->tty) {
		fprintf(stderr, "sign: [%zu/%zu] %s: %s%s%s\n", run->done, run->nfiles,
			f->path, result_name[f->result],
			f->result == RES_SIGNED ? "" : ": ",
			f->result == RES_SIGNED ? "" : f->why);
		return;
	}
	/* A bar, redrawn at most every 50 ms, and at the end. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (run->done != run->nfiles &&
	    (now.tv_sec - run->last_draw.tv_sec) * 1000000000L +
	    (now.tv_nsec - run->last_draw.tv_nsec) < 50000000L)
		return;
	run->last_draw = now;
	fill = run->nfiles ? (int)(width * run->done / run->nfiles) : width;
	fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu  %zu signed, %zu skipped, %zu failed",
		fill, "##############################", width - fill, "",
		run->done, run->nfiles, run->counts[RES_SIGNED],
		run->counts[RES_SKIPPED], run->counts[RES_FAILED]);
	if (run->done == run->nfiles)
		fputc('\n', stderr);
}

static void *worker(void *arg)
{
	struct sign_run *run = arg;

	for (;;) {
		struct sign_file *f;

		pthread_mutex_lock(&run->lock);
		if (run->next == run->nfiles) {
			pthread_mutex_unlock(&run->lock);
			break;
		}
		f = &run->files[run->next++];
		pthread_mutex_unlock(&run->lock);

		sign_one(run->o, f);

		pthread_mutex_lock(&run->lock);
		run->done++;
		run->counts[f->result]++;
		progress(run, f);
		pthread_mutex_unlock(&run->lock);
	}
	if (pgp_ctx) {
		gpgme_release(pgp_ctx);
		pgp_ctx = NULL;
	}
	return NULL;
}

/* ---- set-up and summary ---- */

static int load_x509(struct sign_opts *o)
{
	const ASN1_OCTET_STRING *skid;
	X509 *x = NULL;
	FILE *fp;

	fp = fopen(o->key, "r");
	if (fp) {
		o->pkey = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (!o->pkey) {
		warnx("%s: cannot read a PEM private key", o->key);
		return -1;
	}
	fp = fopen(o->cert, "r");
	if (fp) {
		x = PEM_read_X509(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (!x) {
		warnx("%s: cannot read a PEM certificate", o->cert);
		return -1;
	}
	if (X509_check_private_key(x, o->pkey) != 1) {
		warnx("%s does not hold the private key of %s", o->key, o->cert);
		X509_free(x);
		return -1;
	}
	/* IMA's key ID: the end of the subject key identifier. */
	skid = X509_get0_subject_key_id(x);
	if (!skid || ASN1_STRING_length(skid) < 4 || ASN1_STRING_length(skid) > 20) {
		warnx("%s has no subject key identifier, which IMA names keys by", o->cert);
		X509_free(x);
		return -1;
	}
	memcpy(o->keyid, ASN1_STRING_get0_data(skid) + ASN1_STRING_length(skid) - 4, 4);
	strcpy(o->signer, "skid:");
	hex_str(o->signer + 5, ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
	X509_free(x);
	return 0;
}

/* Check the OpenPGP secret key once, so that a wrong ID stops everything. */
static int check_pgp_key(struct sign_opts *o)
{
	gpgme_ctx_t ctx;
	gpgme_key_t key = NULL;
	gpgme_error_t e;

	gpgme_check_version(NULL);
	e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (!e)
		e = gpgme_new(&ctx);
	if (e) {
		warnx("GPGME: %s", gpgme_strerror(e));
		return -1;
	}
	if (o->pgp_key) {
		e = gpgme_get_key(ctx, o->pgp_key, &key, 1);
	} else {
		e = gpgme_op_keylist_start(ctx, NULL, 1);
		if (!e)
			e = gpgme_op_keylist_next(ctx, &key);
		gpgme_op_keylist_end(ctx);
	}
	if (e || !key || !key->subkeys) {
		warnx("no OpenPGP secret key %s%s(GNUPGHOME=%s): %s",
		      o->pgp_key ? o->pgp_key : "", o->pgp_key ? " " : "",
		      getenv("GNUPGHOME") ? getenv("GNUPGHOME") : "~/.gnupg",
		      e ? gpgme_strerror(e) : "none found");
		gpgme_release(ctx);
		return -1;
	}
	snprintf(o->signer, sizeof(o->signer), "openpgp:%s",
		 o->pgp_key ? key->subkeys->fpr : "gpg's default key");
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return 0;
}

static const char *format_name(const struct sign_opts *o)
{
	switch (o->format) {
	case SIGN_FSVERITY:
		return "fsverity";
	case SIGN_IMA:
		return o->v3 ? "ima-v3" : "ima-v2";
	default:
		return o->kind == SIGIL_XATTR_VERITY ? "pgp-kind1" : "pgp-kind2";
	}
}

/* Skip reasons, counted, in order of first appearance. */
static void summary_text(const struct sign_run *run)
{
	const char *reasons[8] = { 0 };
	size_t nreasons = 0, counts[8] = { 0 }, i, j;

	printf("%zu files: %zu signed (%s, %s), %zu skipped, %zu failed\n",
	       run->nfiles, run->counts[RES_SIGNED], format_name(run->o), run->o->signer,
	       run->counts[RES_SKIPPED], run->counts[RES_FAILED]);
	for (i = 0; i < run->nfiles; i++) {
		const struct sign_file *f = &run->files[i];

		if (f->result != RES_SKIPPED)
			continue;
		for (j = 0; j < nreasons && strcmp(reasons[j], f->why); j++)
			;
		if (j == nreasons && nreasons < 8)
			reasons[nreasons++] = f->why;
		if (j < 8)
			counts[j]++;
	}
	for (j = 0; j < nreasons; j++)
		printf("skipped: %zu %s\n", counts[j], reasons[j]);
	for (i = 0; i < run->nfiles; i++) {
		const struct sign_file *f = &run->files[i];

		if (f->result == RES_FAILED)
			printf("failed: %s: %s: %s%s%s%s\n", f->path, f->why, strerror(f->err),
			       f->msg ? " (" : "", f->msg ? f->msg : "", f->msg ? ")" : "");
	}
}

static void summary_json(const struct sign_run *run)
{
	bool first = true, f1;
	size_t i;
	int pass;

	putchar('{');
	json_kv_str("format", format_name(run->o), &first);
	json_kv_str("signer", run->o->signer, &first);
	json_kv_num("files", run->nfiles, &first);
	json_kv_num("signed", run->counts[RES_SIGNED], &first);
	json_kv_num("skipped", run->counts[RES_SKIPPED], &first);
	json_kv_num("failed", run->counts[RES_FAILED], &first);
	for (pass = RES_SKIPPED; pass <= RES_FAILED; pass++) {
		bool firstf = true;

		json_key(pass == RES_SKIPPED ? "skipped_files" : "failed_files", &first);
		putchar('[');
		for (i = 0; i < run->nfiles; i++) {
			const struct sign_file *f = &run->files[i];

			if ((int)f->result != pass)
				continue;
			if (!firstf)
				putchar(',');
			firstf = false;
			f1 = true;
			putchar('{');
			json_kv_str("path", f->path, &f1);
			json_kv_str("reason", f->why, &f1);
			if (pass == RES_FAILED) {
				json_kv_num("errno", f->err, &f1);
				json_kv_str("error", strerror(f->err), &f1);
				json_kv_str("detail", f->msg, &f1);
			}
			putchar('}');
		}
		putchar(']');
	}
	puts("}");
}

static int parse_args(int argc, char **argv, struct sign_opts *o, int *first_path)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		bool has_val = i + 1 < argc;

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (!strcmp(a, "--fsverity") || !strcmp(a, "--ima") || !strcmp(a, "--pgp")) {
			enum sign_format fmt = a[2] == 'f' ? SIGN_FSVERITY :
					       a[2] == 'i' ? SIGN_IMA : SIGN_PGP;

			if (o->format && o->format != fmt)
				return usage_error("sign", "one of --fsverity, --ima and --pgp");
			o->format = fmt;
		} else if (!strcmp(a, "--v3")) {
			o->v3 = true;
		} else if (!strcmp(a, "--kind") && has_val) {
			o->kind = atoi(argv[++i]);
			if (o->kind != 1 && o->kind != 2)
				return usage_error("sign", "--kind is 1 or 2");
		} else if (!strcmp(a, "--key") && has_val) {
			o->key = argv[++i];
		} else if (!strcmp(a, "--cert") && has_val) {
			o->cert = argv[++i];
		} else if (!strcmp(a, "--pgp-key") && has_val) {
			o->pgp_key = argv[++i];
		} else if (!strcmp(a, "--jobs") && has_val) {
			o->jobs = atoi(argv[++i]);
			if (o->jobs < 1 || o->jobs > 256)
				return usage_error("sign", "--jobs is 1 to 256");
		} else if (!strcmp(a, "--all")) {
			o->all = true;
		} else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
			o->quiet = true;
		} else if (!strcmp(a, "--no-enable")) {
			o->no_enable = true;
		} else if (a[0] != '-' || !a[1]) {
			break;
		} else {
			return usage_error("sign", "unknown option %s, or it lacks its value", a);
		}
	}
	*first_path = i;
	if (i == argc)
		return usage_error("sign", "which files or directories?");
	if (!o->format)
		return usage_error("sign", "which signature: --fsverity, --ima or --pgp?");
	if (o->v3 && o->format != SIGN_IMA)
		return usage_error("sign", "--v3 goes with --ima");
	if (o->kind && o->format != SIGN_PGP)
		return usage_error("sign", "--kind goes with --pgp");
	if (o->format == SIGN_PGP && (o->key || o->cert))
		return usage_error("sign", "--pgp signs through gpg: name the key with --pgp-key");
	if (o->format != SIGN_PGP && (!o->key || !o->cert || o->pgp_key))
		return usage_error("sign",
				   "--fsverity and --ima need --key KEY.pem --cert CERT.pem");
	if (o->no_enable && !o->v3 && o->kind != SIGIL_XATTR_VERITY)
		return usage_error("sign", "--no-enable goes with --ima --v3 or --pgp --kind 1");
	if (!o->kind)
		o->kind = SIGIL_XATTR_CONTENT;
	return 0;
}

int cmd_sign(int argc, char **argv)
{
	struct sign_opts o = { 0 };
	struct sign_run run = { .o = &o, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct walk_entry *entries;
	pthread_t threads[256];
	int i, first = 0, rc, nthreads;
	size_t k;

	if (help_requested(argc, argv, "sign"))
		return EXIT_OK;
	rc = parse_args(argc, argv, &o, &first);
	if (rc)
		return rc;
	if (!o.jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		o.jobs = n < 1 ? 1 : n > 16 ? 16 : (int)n;
	}
	if (o.format == SIGN_IMA && load_x509(&o))
		return EXIT_FAIL;
	if (o.format == SIGN_FSVERITY) {
		/* libfsverity reads them for each file: check them once. */
		if (load_x509(&o))
			return EXIT_FAIL;
		EVP_PKEY_free(o.pkey);
		o.pkey = NULL;
	}
	if (o.format == SIGN_PGP && check_pgp_key(&o))
		return EXIT_FAIL;
	libfsverity_set_error_callback(fsverity_error);

	if (walk_list_files(argv + first, argc - first, &entries, &run.nfiles))
		return EXIT_FAIL;
	run.files = calloc(run.nfiles ? run.nfiles : 1, sizeof(*run.files));
	if (!run.files) {
		warnx("out of memory");
		return EXIT_FAIL;
	}
	for (k = 0; k < run.nfiles; k++)
		run.files[k].path = entries[k].path;
	free(entries);
	run.tty = isatty(STDERR_FILENO);

	nthreads = (size_t)o.jobs < run.nfiles ? o.jobs : (int)run.nfiles;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &run))
			break;
	nthreads = i;
	if (!nthreads)
		worker(&run);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);

	if (opt_json)
		summary_json(&run);
	else
		summary_text(&run);
	for (k = 0; k < run.nfiles; k++) {
		free(run.files[k].path);
		free(run.files[k].msg);
	}
	free(run.files);
	EVP_PKEY_free(o.pkey);
	return run.counts[RES_FAILED] ? EXIT_FAIL : EXIT_OK;
}
