// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signed files: fs-verity builtin signatures, IMA v2 and v3 signatures and
 * OpenPGP signatures in security.sigil, made on the host by fsverity sign,
 * openssl, evmctl, gpg and sq (selftests/fixtures/sig-fixtures, in /sigs),
 * checked against .sigil on exec and on executable mmap; the per-inode
 * verdict cache, failing closed, and text-mode OpenPGP signatures refused.
 */

#include <sys/mman.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define WORK	DISK "/signed"

#define XATTR_IMA	"security.ima"
#define XATTR_SIGIL	"security.sigil"

/*
 * The signers go into .sigil; .fs-verity takes the X.509 signer and the
 * stranger, so that fs-verity accepts a file that sigil must still refuse.
 * Keys already present (other tests add some) are not added again: that
 * would empty the cache.
 */
static int load_keys(void)
{
	long sigil = sigil_keyring_id(), fsv = keyring_id(".fs-verity");

	if (!sigil || !fsv)
		return -ENOKEY;
	return ensure_key(sigil, "RSA_SKID", "rsa.der") ?:
	       ensure_key(sigil, "EC_SKID", "ec.der") ?:
	       ensure_key(sigil, "PGP_FPR", "pgp.pgp") ?:
	       ensure_key(sigil, "SQ_SIGNER_FPR", "sq.pgp") ?:
	       ensure_key(fsv, "RSA_SKID", "rsa.der") ?:
	       ensure_key(fsv, "STRANGER_SKID", "stranger.der");
}

/* How a signature is damaged before it is applied. */
enum damage { INTACT, TRUNCATED, BITFLIP };

static void *load_sig(const char *name, size_t *len, enum damage damage)
{
	char path[256];
	unsigned char *sig;

	snprintf(path, sizeof(path), SIGS "/files/%s", name);
	sig = slurp(path, len);
	if (!sig)
		return NULL;
	/* The signature value ends every format: damage it there. */
	if (damage == TRUNCATED)
		(*len)--;
	else if (damage == BITFLIP)
		sig[*len - 8] ^= 0x10;
	return sig;
}

static int set_xattr_from(const char *path, const char *xattr, const char *sig,
			  enum damage damage)
{
	size_t len;
	void *v = load_sig(sig, &len, damage);
	int rc;

	if (!v)
		return -ENOENT;
	rc = setxattr(path, xattr, v, len, 0) ? -errno : 0;
	free(v);
	return rc;
}

/*
 * How each kind of signature is put on a file.  @sig names the fixture
 * suffix; a file F is signed by /sigs/files/F.<sig>.
 */
FIXTURE(signed) {
	char path[128];
	char lib[128];
};

FIXTURE_VARIANT(signed) {
	const char *prop;	/* the policy property */
	const char *kind;	/* its name in the log: <kind>_sig= */
	const char *xattr;	/* where the signature goes, or NULL: fs-verity */
	const char *sig;	/* fixture suffix */
	const char *stranger;	/* suffix of the same by a key not in .sigil */
	int verity;		/* the file needs fs-verity */
	int content;		/* the signature covers the content itself */
	const char *signer;	/* ids key of the signer */
	const char *other;	/* ids key of another key in .sigil */
};

FIXTURE_VARIANT_ADD(signed, fsverity) {
	.prop = "fsverity_signature", .kind = "fsverity", .sig = "fsv",
	.stranger = "fsv-stranger", .verity = 1,
	.signer = "RSA_SKID", .other = "EC_SKID",
};

FIXTURE_VARIANT_ADD(signed, fsverity_by_skid) {
	.prop = "fsverity_signature", .kind = "fsverity", .sig = "fsvskid",
	.stranger = "fsvskid-stranger",
	.verity = 1, .signer = "RSA_SKID", .other = "PGP_FPR",
};

FIXTURE_VARIANT_ADD(signed, ima_v2_rsa) {
	.prop = "ima_signature", .kind = "ima", .xattr = XATTR_IMA,
	.sig = "ima2", .stranger = "ima2-stranger", .content = 1,
	.signer = "RSA_SKID", .other = "EC_SKID",
};

FIXTURE_VARIANT_ADD(signed, ima_v2_ecdsa) {
	.prop = "ima_signature", .kind = "ima", .xattr = XATTR_IMA,
	.sig = "ima2ec", .stranger = "ima2ec-stranger", .content = 1,
	.signer = "EC_SKID", .other = "RSA_SKID",
};

FIXTURE_VARIANT_ADD(signed, ima_v2_openpgp_key) {
	.prop = "ima_signature", .kind = "ima", .xattr = XATTR_IMA,
	.sig = "ima2pgp", .stranger = "ima2pgp-stranger", .content = 1,
	.signer = "PGP_FPR", .other = "RSA_SKID",
};

FIXTURE_VARIANT_ADD(signed, ima_v3) {
	.prop = "ima_signature", .kind = "ima", .xattr = XATTR_IMA,
	.sig = "ima3", .stranger = "ima3-stranger", .verity = 1,
	.signer = "RSA_SKID", .other = "PGP_FPR",
};

FIXTURE_VARIANT_ADD(signed, pgp_verity_gpg) {
	.prop = "pgp_signature", .kind = "pgp", .xattr = XATTR_SIGIL,
	.sig = "pgp1", .stranger = "pgp1-stranger", .verity = 1,
	.signer = "PGP_FPR", .other = "SQ_SIGNER_FPR",
};

FIXTURE_VARIANT_ADD(signed, pgp_content_gpg) {
	.prop = "pgp_signature", .kind = "pgp", .xattr = XATTR_SIGIL,
	.sig = "pgp2", .stranger = "pgp2-stranger", .content = 1,
	.signer = "PGP_FPR", .other = "RSA_SKID",
};

FIXTURE_VARIANT_ADD(signed, pgp_content_sq) {
	.prop = "pgp_signature", .kind = "pgp", .xattr = XATTR_SIGIL,
	.sig = "sq2", .stranger = "sq2-stranger", .content = 1,
	.signer = "SQ_SIGNER_FPR", .other = "PGP_FPR",
};

/*
 * Put a copy of /sigs/files/@src at @dst, signed with @sigfile (NULL: not
 * signed), damaged as asked.  Returns what applying the signature returned:
 * fs-verity refuses damaged builtin signatures itself.
 */
static int place(const FIXTURE_VARIANT(signed) *v, const char *dst,
		 const char *src, const char *sigfile, enum damage damage)
{
	char from[256];
	size_t len;
	void *sig;
	int rc;

	snprintf(from, sizeof(from), SIGS "/files/%s", src);
	unlink(dst);
	rc = copy_file(from, dst, NULL);
	if (rc)
		return rc;
	if (v->xattr && sigfile) {
		rc = set_xattr_from(dst, v->xattr, sigfile, damage);
		if (rc)
			return rc;
	}
	if (!v->verity)
		return 0;
	if (v->xattr || !sigfile)
		return enable_verity(dst);
	sig = load_sig(sigfile, &len, damage);
	if (!sig)
		return -ENOENT;
	rc = enable_verity_sig(dst, sig, len);
	free(sig);
	return rc;
}

static char *sigfile(const char *file, const char *suffix)
{
	static char name[4][64];
	static int next;
	char *n = name[next++ % 4];

	snprintf(n, 64, "%s.%s", file, suffix);
	return n;
}

/* Allow EXECUTE only for files whose signature of this kind verifies. */
static int signature_policy(const FIXTURE_VARIANT(signed) *v, const char *signer)
{
	int rc;

	drop_policy("t_signed");
	rc = load_policy("policy_name=t_signed policy_version=" TEST_VERSION "\n"
			 "DEFAULT action=ALLOW\n"
			 "DEFAULT op=EXECUTE action=DENY\n"
			 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			 "op=EXECUTE %s=TRUE%s%s action=ALLOW\n",
			 v->prop, signer ? " signer=" : "", signer ? signer : "");
	return rc ? rc : activate("t_signed");
}

/* The last log line says "<kind>_sig=@state". */
static int logged_state(const char *kind, const char *state)
{
	char line[1024], want[64];

	last_log_line(line, sizeof(line));
	snprintf(want, sizeof(want), " %s_sig=%s", kind, state);
	if (strstr(line, want))
		return 1;
	printf("# log: %s\n# want: %s\n", line, want);
	return 0;
}

FIXTURE_SETUP(signed)
{
	mkdir(WORK, 0755);
	snprintf(self->path, sizeof(self->path), WORK "/%s", variant->sig);
	snprintf(self->lib, sizeof(self->lib), WORK "/%s.so", variant->sig);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_keys());
	ASSERT_EQ(0, signature_policy(variant, NULL));
}

FIXTURE_TEARDOWN(signed)
{
	drop_policy("t_signed");
}

TEST_F(signed, signed_program_runs)
{
	ASSERT_EQ(0, place(variant, self->path, "a", sigfile("a", variant->sig), INTACT));
	EXPECT_EQ(PROG_EXIT, run(self->path));
	/* The second exec is answered from the cache, and allowed again. */
	EXPECT_EQ(PROG_EXIT, run(self->path));
}

TEST_F(signed, signed_library_maps_executable)
{
	ASSERT_EQ(0, place(variant, self->lib, "lib.so", sigfile("lib.so", variant->sig),
			   INTACT));
	EXPECT_EQ(0, map_exec(self->lib));
	ASSERT_EQ(0, place(variant, self->lib, "lib.so", NULL, INTACT));
	EXPECT_EQ(-EACCES, map_exec(self->lib));
}

TEST_F(signed, unsigned_copy_is_denied)
{
	ASSERT_EQ(0, place(variant, self->path, "a", NULL, INTACT));
	EXPECT_EQ(-EACCES, run(self->path));
	EXPECT_TRUE(logged_state(variant->kind, "absent"));
}

/* The race the cache must not lose: sign, run, rewrite, run. */
TEST_F(signed, content_changed_after_signing_is_denied)
{
	int fd;

	ASSERT_EQ(0, place(variant, self->path, "a", sigfile("a", variant->sig), INTACT));
	ASSERT_EQ(PROG_EXIT, run(self->path));
	fd = open(self->path, O_WRONLY | O_CLOEXEC);
	if (variant->verity) {
		/* fs-verity files are read-only: the content cannot change. */
		EXPECT_EQ(-1, fd);
		EXPECT_EQ(EPERM, errno);
		EXPECT_EQ(PROG_EXIT, run(self->path));
		return;
	}
	ASSERT_LE(0, fd);
	/* Same size, one byte different, in the appended text. */
	ASSERT_EQ(1, pwrite(fd, "Z", 1, lseek(fd, 0, SEEK_END) - 3));
	close(fd);
	EXPECT_EQ(-EACCES, run(self->path));
	EXPECT_TRUE(logged_state(variant->kind, "bad-signature"));
}

TEST_F(signed, signature_of_another_file_is_denied)
{
	int rc = place(variant, self->path, "a", sigfile("b", variant->sig), INTACT);

	/* fs-verity itself refuses a builtin signature of another digest. */
	if (!variant->xattr) {
		EXPECT_EQ(-EKEYREJECTED, rc);
	} else {
		ASSERT_EQ(0, rc);
	}
	EXPECT_EQ(-EACCES, run(self->path));
	if (variant->xattr)
		EXPECT_TRUE(logged_state(variant->kind, "bad-signature"));
}

TEST_F(signed, truncated_signature_is_denied)
{
	int rc = place(variant, self->path, "a", sigfile("a", variant->sig), TRUNCATED);

	if (!variant->xattr) {
		EXPECT_NE(0, rc);
	} else {
		ASSERT_EQ(0, rc);
	}
	EXPECT_EQ(-EACCES, run(self->path));
}

TEST_F(signed, flipped_bit_in_signature_is_denied)
{
	int rc = place(variant, self->path, "a", sigfile("a", variant->sig), BITFLIP);

	if (!variant->xattr) {
		EXPECT_NE(0, rc);
	} else {
		ASSERT_EQ(0, rc);
	}
	EXPECT_EQ(-EACCES, run(self->path));
	if (variant->xattr)
		EXPECT_TRUE(logged_state(variant->kind, "bad-signature"));
}

TEST_F(signed, key_not_in_sigil_is_denied)
{
	/* For fs-verity the stranger is in .fs-verity: fs-verity accepts it. */
	ASSERT_EQ(0, place(variant, self->path, "a", sigfile("a", variant->stranger), INTACT));
	EXPECT_EQ(-EACCES, run(self->path));
	EXPECT_TRUE(logged_state(variant->kind, "unknown-key"));
}

TEST_F(signed, signer_must_match)
{
	ASSERT_EQ(0, place(variant, self->path, "a", sigfile("a", variant->sig), INTACT));
	ASSERT_EQ(0, signature_policy(variant, sig_id(variant->other)));
	EXPECT_EQ(-EACCES, run(self->path));
	ASSERT_EQ(0, signature_policy(variant, sig_id(variant->signer)));
	EXPECT_EQ(PROG_EXIT, run(self->path));
}

TEST_F(signed, fsverity_without_signature_is_denied)
{
	char from[256];

	snprintf(from, sizeof(from), SIGS "/files/a");
	unlink(self->path);
	ASSERT_EQ(0, copy_file(from, self->path, NULL));
	ASSERT_EQ(0, enable_verity(self->path));
	EXPECT_EQ(-EACCES, run(self->path));
	EXPECT_TRUE(logged_state(variant->kind, "absent"));
}

/* ---- properties together ---- */

static int mixed_policy(const char *rules)
{
	int rc;

	drop_policy("t_mixed");
	rc = load_policy("policy_name=t_mixed policy_version=" TEST_VERSION "\n"
			     "DEFAULT action=ALLOW\n"
			     "DEFAULT op=EXECUTE action=DENY\n"
			     "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			     "%s", rules);

	return rc ? rc : activate("t_mixed");
}

/* A file with fs-verity, its builtin signature and IMA v3 and pgp kind 1. */
static int place_all(const char *dst, const char *src)
{
	char from[256];
	size_t len;
	void *sig;
	int rc;

	snprintf(from, sizeof(from), SIGS "/files/%s", src);
	unlink(dst);
	rc = copy_file(from, dst, NULL);
	if (!rc)
		rc = set_xattr_from(dst, XATTR_IMA, sigfile(src, "ima3"), INTACT);
	if (!rc)
		rc = set_xattr_from(dst, XATTR_SIGIL, sigfile(src, "pgp1"), INTACT);
	if (rc)
		return rc;
	sig = load_sig(sigfile(src, "fsv"), &len, INTACT);
	rc = enable_verity_sig(dst, sig, len);
	free(sig);
	return rc;
}

FIXTURE(mixed) {
	int unused;
};

FIXTURE_SETUP(mixed)
{
	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_keys());
}

FIXTURE_TEARDOWN(mixed)
{
	drop_policy("t_mixed");
}

TEST_F(mixed, every_signature_required)
{
	ASSERT_EQ(0, place_all(WORK "/all", "a"));
	unlink(WORK "/two");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/two", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/two", XATTR_SIGIL, "a.pgp1", INTACT));
	ASSERT_EQ(0, set_xattr_from(WORK "/two", XATTR_IMA, "a.ima3", INTACT));
	ASSERT_EQ(0, enable_verity(WORK "/two"));
	ASSERT_EQ(0, mixed_policy("op=EXECUTE fsverity_signature=TRUE ima_signature=TRUE "
				  "pgp_signature=TRUE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/all"));
	EXPECT_EQ(-EACCES, run(WORK "/two"));
}

TEST_F(mixed, revoked_digest_before_signature_rule)
{
	char digest[65], rules[512];

	ASSERT_EQ(0, place_all(WORK "/revoked", "a"));
	ASSERT_EQ(0, place_all(WORK "/good", "b"));
	ASSERT_EQ(0, verity_digest(WORK "/revoked", digest));
	snprintf(rules, sizeof(rules),
		 "op=EXECUTE fsverity_digest=sha256:%s action=DENY\n"
		 "op=EXECUTE pgp_signature=TRUE action=ALLOW\n", digest);
	ASSERT_EQ(0, mixed_policy(rules));
	EXPECT_EQ(-EACCES, run(WORK "/revoked"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/good"));
}

/* signer= alone: any kind of signature, as long as this key made it. */
TEST_F(mixed, signer_without_signature_property)
{
	char rules[256];

	ASSERT_EQ(0, place_all(WORK "/all", "a"));
	snprintf(rules, sizeof(rules), "op=EXECUTE signer=%s action=ALLOW\n",
		 sig_id("SQ_PRIMARY_FPR"));
	ASSERT_EQ(0, mixed_policy(rules));
	EXPECT_EQ(-EACCES, run(WORK "/all"));
	/* The primary key's fingerprint names a signature by its subkey. */
	unlink(WORK "/sq");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/sq", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/sq", XATTR_SIGIL, "a.sq2", INTACT));
	EXPECT_EQ(PROG_EXIT, run(WORK "/sq"));
	/* A 16-hex key ID works like the fingerprint it ends. */
	snprintf(rules, sizeof(rules), "op=EXECUTE signer=%s action=ALLOW\n",
		 sig_id("PGP_FPR") + 24);
	ASSERT_EQ(0, mixed_policy(rules));
	EXPECT_EQ(PROG_EXIT, run(WORK "/all"));
}

/*
 * fs-verity accepts these, and the key signed them, but sigil cannot tell
 * which key verified: a certificate travels along, or a second signer.
 */
TEST_F(mixed, pkcs7_with_certificates_or_two_signers_is_refused)
{
	static const char *const sigs[] = { "a.fsvcerts", "a.fsv2signers" };
	unsigned int i;
	size_t len;
	void *sig;

	ASSERT_EQ(0, mixed_policy("op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	for (i = 0; i < 2; i++) {
		unlink(WORK "/p7");
		ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/p7", NULL));
		sig = load_sig(sigs[i], &len, INTACT);
		ASSERT_NE(NULL, sig);
		EXPECT_EQ(0, enable_verity_sig(WORK "/p7", sig, len));
		free(sig);
		EXPECT_EQ(-EACCES, run(WORK "/p7"));
		EXPECT_TRUE(logged_state("fsverity", "refused"));
	}
}

TEST_F(mixed, signature_false_rule)
{
	ASSERT_EQ(0, place_all(WORK "/all", "a"));
	unlink(WORK "/plain");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/plain", NULL));
	ASSERT_EQ(0, mixed_policy("op=EXECUTE ima_signature=FALSE action=DENY\n"
				  "op=EXECUTE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/all"));
	EXPECT_EQ(-EACCES, run(WORK "/plain"));
}

/* ---- the verdict cache ---- */

FIXTURE(cache) {
	int unused;
};

FIXTURE_SETUP(cache)
{
	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_keys());
	ASSERT_EQ(0, mixed_policy("op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				  "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"));
}

FIXTURE_TEARDOWN(cache)
{
	drop_policy("t_mixed");
}

/* One verification per inode; then hits, and no more verifications. */
TEST_F(cache, verified_once_then_hits)
{
	long long v0, v1, v2, h1, h2;

	unlink(WORK "/c");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/c", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/c", XATTR_IMA, "a.ima2", INTACT));
	v0 = status_num("cache_verifications");
	ASSERT_EQ(PROG_EXIT, run(WORK "/c"));
	v1 = status_num("cache_verifications");
	h1 = status_num("cache_hits");
	ASSERT_EQ(PROG_EXIT, run(WORK "/c"));
	ASSERT_EQ(PROG_EXIT, run(WORK "/c"));
	v2 = status_num("cache_verifications");
	h2 = status_num("cache_hits");
	EXPECT_EQ(v0 + 1, v1);
	EXPECT_EQ(v1, v2);
	EXPECT_LE(h1 + 2, h2);
	EXPECT_LT(0, status_num("cache_entries"));
	EXPECT_LT(0, status_num("cache_bytes"));
	EXPECT_LT(0, status_num("cache_bytes_per_entry"));
	EXPECT_LT(0, status_num("inode_blob_bytes"));
}

TEST_F(cache, xattr_change_and_removal_are_seen)
{
	unlink(WORK "/x");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/x", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/x", XATTR_SIGIL, "a.pgp2", INTACT));
	ASSERT_EQ(PROG_EXIT, run(WORK "/x"));
	ASSERT_EQ(0, set_xattr_from(WORK "/x", XATTR_SIGIL, "b.pgp2", INTACT));
	EXPECT_EQ(-EACCES, run(WORK "/x"));
	ASSERT_EQ(0, set_xattr_from(WORK "/x", XATTR_SIGIL, "a.pgp2", INTACT));
	EXPECT_EQ(PROG_EXIT, run(WORK "/x"));
	ASSERT_EQ(0, removexattr(WORK "/x", XATTR_SIGIL));
	EXPECT_EQ(-EACCES, run(WORK "/x"));
}

TEST_F(cache, truncate_is_seen)
{
	struct stat st;

	unlink(WORK "/t");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/t", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/t", XATTR_IMA, "a.ima2", INTACT));
	ASSERT_EQ(PROG_EXIT, run(WORK "/t"));
	ASSERT_EQ(0, stat(WORK "/t", &st));
	ASSERT_EQ(0, truncate(WORK "/t", st.st_size - 1));
	EXPECT_EQ(-EACCES, run(WORK "/t"));
}

/* A write open alone drops the verdict, even before anything is written. */
TEST_F(cache, write_open_drops_the_verdict)
{
	long long v;
	int fd;

	unlink(WORK "/w");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/w", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/w", XATTR_IMA, "a.ima2", INTACT));
	ASSERT_EQ(PROG_EXIT, run(WORK "/w"));
	fd = open(WORK "/w", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	v = status_num("cache_verifications");
	EXPECT_EQ(PROG_EXIT, run(WORK "/w"));
	EXPECT_EQ(v + 1, status_num("cache_verifications"));
}

/* While a writer holds the file, its content is not vouched for. */
TEST_F(cache, open_writer_fails_closed)
{
	char line[1024];
	int fd;

	unlink(WORK "/busy.so");
	ASSERT_EQ(0, copy_file(SIGS "/files/lib.so", WORK "/busy.so", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/busy.so", XATTR_IMA, "lib.so.ima2", INTACT));
	fd = open(WORK "/busy.so", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EACCES, map_exec(WORK "/busy.so"));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " error=-26 reason=\"ima_signature: the file is open for writing"));
	close(fd);
	EXPECT_EQ(0, map_exec(WORK "/busy.so"));
}

/* mprotect(PROT_READ | PROT_EXEC) of a fresh read-only mapping of @path. */
static int mprotect_exec(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;
	void *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	rc = mprotect(p, 4096, PROT_READ | PROT_EXEC) ? -errno : 0;
	munmap(p, 4096);
	return rc;
}

/*
 * mprotect() holds the mmap lock, under which the file is not read: a
 * signature over the fs-verity digest is verified there, a signature over
 * the content only once an mmap() has verified it.
 */
TEST_F(cache, mprotect_verifies_without_reading_the_file)
{
	char line[1024];

	unlink(WORK "/mp.so");
	ASSERT_EQ(0, copy_file(SIGS "/files/lib.so", WORK "/mp.so", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/mp.so", XATTR_SIGIL, "lib.so.pgp2", INTACT));
	EXPECT_EQ(-EACCES, mprotect_exec(WORK "/mp.so"));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " hook=MPROTECT "));
	EXPECT_NE(NULL, strstr(line, " error=-35 reason=\"pgp_signature: the content cannot be read under mprotect()"));
	EXPECT_EQ(0, map_exec(WORK "/mp.so"));
	EXPECT_EQ(0, mprotect_exec(WORK "/mp.so"));
	/* Another file's signature is refused, from mprotect() too. */
	ASSERT_EQ(0, set_xattr_from(WORK "/mp.so", XATTR_SIGIL, "a.pgp2", INTACT));
	EXPECT_EQ(-EACCES, map_exec(WORK "/mp.so"));
	EXPECT_EQ(-EACCES, mprotect_exec(WORK "/mp.so"));

	unlink(WORK "/mpv.so");
	ASSERT_EQ(0, copy_file(SIGS "/files/lib.so", WORK "/mpv.so", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/mpv.so", XATTR_SIGIL, "lib.so.pgp1", INTACT));
	ASSERT_EQ(0, enable_verity(WORK "/mpv.so"));
	EXPECT_EQ(0, mprotect_exec(WORK "/mpv.so"));
}

/* Enabling fs-verity bumps nothing: a "no fs-verity" verdict is not kept. */
TEST_F(cache, enabling_fsverity_is_seen)
{
	unlink(WORK "/v3");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/v3", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/v3", XATTR_IMA, "a.ima3", INTACT));
	EXPECT_EQ(-EACCES, run(WORK "/v3"));
	EXPECT_TRUE(logged_state("ima", "no-fsverity"));
	ASSERT_EQ(0, enable_verity(WORK "/v3"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/v3"));
}

TEST_F(cache, keyring_and_policy_changes_invalidate)
{
	long long v;

	unlink(WORK "/k");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/k", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/k", XATTR_IMA, "a.ima2", INTACT));
	ASSERT_EQ(PROG_EXIT, run(WORK "/k"));
	v = status_num("cache_verifications");
	/* Adding a key again replaces it: the keyring changed. */
	ASSERT_LT(0, add_key_file(SIGS "/keys/ec.der", sigil_keyring_id()));
	EXPECT_EQ(PROG_EXIT, run(WORK "/k"));
	EXPECT_EQ(v + 1, status_num("cache_verifications"));
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, activate("t_mixed"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/k"));
	EXPECT_EQ(v + 2, status_num("cache_verifications"));
}

/* Removing the signer's key takes effect on the next exec. */
TEST_F(cache, removed_key_denies_a_cached_file)
{
	char skid[96];

	unlink(WORK "/r");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/r", NULL));
	ASSERT_EQ(0, set_xattr_from(WORK "/r", XATTR_IMA, "a.ima2ec", INTACT));
	ASSERT_EQ(PROG_EXIT, run(WORK "/r"));
	snprintf(skid, sizeof(skid), "%s", sig_id("EC_SKID"));
	ASSERT_EQ(0, keyring_remove(skid));
	EXPECT_EQ(-EACCES, run(WORK "/r"));
	EXPECT_LT(0, add_key_file(SIGS "/keys/ec.der", sigil_keyring_id()));
	EXPECT_EQ(PROG_EXIT, run(WORK "/r"));
}

/* ---- failing closed ---- */

FIXTURE(closed) {
	int unused;
};

FIXTURE_SETUP(closed)
{
	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_keys());
	ASSERT_EQ(0, mixed_policy("op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				  "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"));
}

FIXTURE_TEARDOWN(closed)
{
	set_enforce(1);
	drop_policy("t_mixed");
}

static int run_with_xattr(const char *xattr, const void *v, size_t len)
{
	unlink(WORK "/m");
	if (copy_file(SIGS "/files/a", WORK "/m", NULL) ||
	    setxattr(WORK "/m", xattr, v, len, 0))
		return -EIO;
	return run(WORK "/m");
}

TEST_F(closed, malformed_sigil_xattr)
{
	static const unsigned char bad[] = { 2, 2, 0xc2, 0x01, 0x04 };
	char line[1024];
	long long errors = status_num("errors");

	EXPECT_EQ(-EACCES, run_with_xattr(XATTR_SIGIL, bad, sizeof(bad)));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " error=-74 reason=\"pgp_signature: security.sigil version 2 is unknown"));
	EXPECT_EQ(errors + 1, status_num("errors"));
}

TEST_F(closed, unknown_ima_hash_algorithm)
{
	size_t len;
	unsigned char *v = load_sig("a.ima2", &len, INTACT);
	char line[1024];

	ASSERT_NE(NULL, v);
	v[2] = 17;	/* HASH_ALGO_SM3_256 */
	EXPECT_EQ(-EACCES, run_with_xattr(XATTR_IMA, v, len));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " error=-95 reason=\"ima_signature: security.ima hash algorithm 17"));
	free(v);
}

TEST_F(closed, sha1_ima_signature_is_refused)
{
	size_t len;
	unsigned char *v = load_sig("a.ima2", &len, INTACT);

	ASSERT_NE(NULL, v);
	v[2] = 2;	/* HASH_ALGO_SHA1 */
	EXPECT_EQ(-EACCES, run_with_xattr(XATTR_IMA, v, len));
	free(v);
	EXPECT_TRUE(logged_state("ima", "refused"));
}

TEST_F(closed, truncated_ima_header)
{
	size_t len;
	unsigned char *v = load_sig("a.ima2", &len, TRUNCATED);
	char line[1024];

	ASSERT_NE(NULL, v);
	EXPECT_EQ(-EACCES, run_with_xattr(XATTR_IMA, v, len));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " error=-74 reason=\"ima_signature: security.ima announces"));
	free(v);
}

/*
 * A memfd is written without a write open: nothing would see its content
 * change after a verification, so content signatures on it are refused.
 */
TEST_F(closed, memfd_content_signature_is_refused)
{
	char *argv[] = { "memfd", NULL }, *envp[] = { NULL };
	size_t len;
	void *prog = slurp(SIGS "/files/a", &len);
	void *sig;
	size_t siglen;
	char line[1024];
	int fd, status;
	pid_t pid;

	sig = load_sig("a.ima2", &siglen, INTACT);
	ASSERT_NE(NULL, prog);
	ASSERT_NE(NULL, sig);
	fd = memfd_create("signed", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, prog, len));
	ASSERT_EQ(0, fsetxattr(fd, XATTR_IMA, sig, siglen, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		syscall(SYS_execveat, fd, "", argv, envp, AT_EMPTY_PATH);
		_exit(errno == EACCES ? 13 : 1);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(13, WEXITSTATUS(status));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " error=-1 reason=\"ima_signature: content signatures are not trusted on an internal mount"));
	close(fd);
	free(prog);
	free(sig);
}

/* Permissive mode logs the error and lets the file run. */
TEST_F(closed, permissive_mode_logs_the_error)
{
	static const unsigned char bad[] = { 1, 9, 0xc2, 0x01, 0x04 };
	char line[1024];

	ASSERT_EQ(0, set_enforce(0));
	EXPECT_EQ(PROG_EXIT, run_with_xattr(XATTR_SIGIL, bad, sizeof(bad)));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, "action=DENY enforce=0 "));
	EXPECT_NE(NULL, strstr(line, " error=-74 reason=\"pgp_signature: security.sigil kind 9"));
}

/* ---- text-mode OpenPGP signatures ---- */

/*
 * A text-mode (0x01) signature covers the text with its line endings
 * canonicalized, so script.pgp2text vouches for script-cr as well as for
 * script: the same script with a CR before its last LF, which does
 * something else (gpg verifies it; see sig-fixtures).  sigil refuses these
 * signatures on any file, of either kind; the binary signature of the
 * script lets it run.  The interpreter, /bin/sh, is boot_verified.
 */
FIXTURE(textmode) {
	int unused;
};

FIXTURE_SETUP(textmode)
{
	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_keys());
	ASSERT_EQ(0, mixed_policy("op=EXECUTE pgp_signature=TRUE action=ALLOW\n"));
}

FIXTURE_TEARDOWN(textmode)
{
	drop_policy("t_mixed");
}

/* /sigs/files/@src at @dst, its security.sigil /sigs/files/@sig. */
static int place_sigil(const char *dst, const char *src, const char *sig,
		       int verity)
{
	char from[256];
	int rc;

	snprintf(from, sizeof(from), SIGS "/files/%s", src);
	unlink(dst);
	rc = copy_file(from, dst, NULL);
	if (!rc)
		rc = set_xattr_from(dst, XATTR_SIGIL, sig, INTACT);
	if (!rc && verity)
		rc = enable_verity(dst);
	return rc;
}

TEST_F(textmode, binary_signature_covers_only_its_bytes)
{
	ASSERT_EQ(0, place_sigil(WORK "/script", "script", "script.pgp2", 0));
	EXPECT_EQ(PROG_EXIT, run(WORK "/script"));
	ASSERT_EQ(0, place_sigil(WORK "/script-cr", "script-cr", "script.pgp2", 0));
	EXPECT_EQ(-EACCES, run(WORK "/script-cr"));
	EXPECT_TRUE(logged_state("pgp", "bad-signature"));
}

TEST_F(textmode, content_signature_is_refused)
{
	ASSERT_EQ(0, place_sigil(WORK "/text2", "script", "script.pgp2text", 0));
	EXPECT_EQ(-EACCES, run(WORK "/text2"));
	EXPECT_TRUE(logged_state("pgp", "refused"));
}

/* What the signature was made for: the same text, other bytes. */
TEST_F(textmode, content_signature_with_cr_added_is_refused)
{
	ASSERT_EQ(0, place_sigil(WORK "/text2cr", "script-cr", "script.pgp2text", 0));
	EXPECT_EQ(-EACCES, run(WORK "/text2cr"));
	EXPECT_TRUE(logged_state("pgp", "refused"));
}

/* Refused for what it is, before fs-verity is looked at. */
TEST_F(textmode, verity_signature_is_refused)
{
	ASSERT_EQ(0, place_sigil(WORK "/text1", "script", "script.pgp1text", 1));
	EXPECT_EQ(-EACCES, run(WORK "/text1"));
	EXPECT_TRUE(logged_state("pgp", "refused"));
	ASSERT_EQ(0, place_sigil(WORK "/text1nv", "script", "script.pgp1text", 0));
	EXPECT_EQ(-EACCES, run(WORK "/text1nv"));
	EXPECT_TRUE(logged_state("pgp", "refused"));
}

TEST_HARNESS_MAIN
