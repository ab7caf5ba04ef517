// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl sign: one file, signed completely or not at all, with an
 * fs-verity builtin signature (libfsverity), security.ima v2 or v3
 * (OpenSSL) or security.sigil kind 1 or 2 (GPGME).  Called from the
 * worker threads of sign.c.
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

#include <gpgme.h>
#include <libfsverity.h>
#include <linux/fsverity.h>
#include <openssl/evp.h>

#include "sign.h"

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

/* Sign @f as @o says, or record why not. */

void sign_one(const struct sign_opts *o, struct sign_file *f)
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

/* libfsverity's messages go to the file that failed, not to stderr. */
void sign_file_init(void)
{
	libfsverity_set_error_callback(fsverity_error);
}

/* A worker thread is done: its GPGME context goes. */
void sign_thread_done(void)
{
	if (pgp_ctx) {
		gpgme_release(pgp_ctx);
		pgp_ctx = NULL;
	}
}
