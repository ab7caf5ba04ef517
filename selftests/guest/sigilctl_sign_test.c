// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl sign, then exec under a policy that requires that signature:
 * fs-verity builtin and IMA v2 and v3 signatures made in the guest on the
 * ext4 disk, and security.sigil kind 1 and 2 made on the host through gpg
 * (selftests/unit/sigilctl-sign-host: the guest has no gpg agent) and applied
 * here.  sigilctl verify then checks each file against key files and
 * against the live .sigil keyring.
 */

#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define WORK	DISK "/sigilctl-sign"
#define SIGILCTL "/bin/sigilctl"
/* security.sigil values that sigilctl sign --pgp made on the host */
#define HOST_SIGNED "/sign"
#define OUT	"/tmp/sigilctl.out"

/* Run sigilctl with @args (a shell word list); its exit status, or -1. */
static __printf(1, 2) int sigilctl(const char *fmt, ...)
{
	char args[1024], cmd[1200];
	va_list ap;
	int status;

	va_start(ap, fmt);
	vsnprintf(args, sizeof(args), fmt, ap);
	va_end(ap);
	snprintf(cmd, sizeof(cmd), SIGILCTL " %s > " OUT " 2>&1", args);
	status = system(cmd);
	return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* Does sigilctl's last output hold @s?  It is shown when it does not. */
static int output_has(const char *s)
{
	static char out[16384];
	char *line;

	if (read_file(OUT, out, sizeof(out)) < 0)
		return 0;
	if (strstr(out, s))
		return 1;
	printf("# want: %s\n", s);
	for (line = strtok(out, "\n"); line; line = strtok(NULL, "\n"))
		printf("# sigilctl: %s\n", line);
	return 0;
}

/*
 * The signers go into .sigil, the X.509 RSA key into .fs-verity too (it
 * checks builtin signatures before sigil does).  Keys other tests added
 * stay: adding them again would empty the verdict cache.
 */
static int ensure_keys(void)
{
	long ring = sigil_keyring_id(), fsv = keyring_id(".fs-verity");

	if (!ring || !fsv)
		return -ENOKEY;
	return ensure_key(ring, "RSA_SKID", "rsa.der") ?:
	       ensure_key(ring, "EC_SKID", "ec.der") ?:
	       ensure_key(ring, "PGP_FPR", "pgp.pgp") ?:
	       ensure_key(fsv, "RSA_SKID", "rsa.der");
}

FIXTURE(sign) {
	char path[128];
	char unsigned_path[128];
};

FIXTURE_VARIANT(sign) {
	const char *name;
	const char *prop;	/* the policy property that must be TRUE */
	const char *signer;	/* ids key of the signing key */
	const char *args;	/* sigilctl sign's options, or NULL: signed on the host */
	const char *host_sig;	/* security.sigil value made on the host */
	int verity;		/* a host signature needs fs-verity enabled here */
	int content;		/* it signs the content, which stays writable */
	const char *format;	/* what verify calls the signature */
};

FIXTURE_VARIANT_ADD(sign, fsverity) {
	.name = "fsverity", .prop = "fsverity_signature", .signer = "RSA_SKID",
	.args = "--fsverity --key " SIGS "/keys/rsa.key --cert " SIGS "/keys/rsa.pem",
	.format = "fsverity",
};

FIXTURE_VARIANT_ADD(sign, ima_v2) {
	.name = "ima2", .prop = "ima_signature", .signer = "RSA_SKID",
	.args = "--ima --key " SIGS "/keys/rsa.key --cert " SIGS "/keys/rsa.pem",
	.format = "ima-v2", .content = 1,
};

FIXTURE_VARIANT_ADD(sign, ima_v2_ecdsa) {
	.name = "ima2ec", .prop = "ima_signature", .signer = "EC_SKID",
	.args = "--ima --key " SIGS "/keys/ec.key --cert " SIGS "/keys/ec.pem",
	.format = "ima-v2", .content = 1,
};

FIXTURE_VARIANT_ADD(sign, ima_v3) {
	.name = "ima3", .prop = "ima_signature", .signer = "RSA_SKID",
	.args = "--ima --v3 --key " SIGS "/keys/rsa.key --cert " SIGS "/keys/rsa.pem",
	.format = "ima-v3",
};

FIXTURE_VARIANT_ADD(sign, pgp_kind1) {
	.name = "pgp1", .prop = "pgp_signature", .signer = "PGP_FPR",
	.host_sig = HOST_SIGNED "/a.pgp1", .verity = 1, .format = "pgp-kind1",
};

FIXTURE_VARIANT_ADD(sign, pgp_kind2) {
	.name = "pgp2", .prop = "pgp_signature", .signer = "PGP_FPR",
	.host_sig = HOST_SIGNED "/a.pgp2", .format = "pgp-kind2", .content = 1,
};

/* Only files whose signature of this kind, by this signer, verifies run. */
static int sign_policy(const FIXTURE_VARIANT(sign) *v)
{
	int rc;

	drop_policy("t_sigilctl_sign");
	rc = load_policy("policy_name=t_sigilctl_sign policy_version=" TEST_VERSION "\n"
			 "DEFAULT action=ALLOW\n"
			 "DEFAULT op=EXECUTE action=DENY\n"
			 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			 "op=EXECUTE %s=TRUE signer=%s action=ALLOW\n",
			 v->prop, sig_id(v->signer));
	return rc ? rc : activate("t_sigilctl_sign");
}

/* A copy of the signed fixture program a, signed as the variant says. */
static int place_signed(const FIXTURE_VARIANT(sign) *v, const char *path)
{
	size_t len;
	void *value;
	int rc;

	unlink(path);
	rc = copy_file(SIGS "/files/a", path, NULL);
	if (rc)
		return rc;
	if (v->args)
		return sigilctl("sign %s %s", v->args, path) ? -EBADMSG : 0;
	value = slurp(v->host_sig, &len);
	if (!value)
		return -ENOENT;
	rc = setxattr(path, "security.sigil", value, len, 0) ? -errno : 0;
	free(value);
	if (!rc && v->verity)
		rc = enable_verity(path);
	return rc;
}

FIXTURE_SETUP(sign)
{
	mkdir(WORK, 0755);
	snprintf(self->path, sizeof(self->path), WORK "/%s", variant->name);
	snprintf(self->unsigned_path, sizeof(self->unsigned_path), WORK "/%s-unsigned",
		 variant->name);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, ensure_keys());
}

FIXTURE_TEARDOWN(sign)
{
	drop_policy("t_sigilctl_sign");
}

TEST_F(sign, signed_file_runs_and_unsigned_is_denied)
{
	ASSERT_EQ(0, place_signed(variant, self->path));
	ASSERT_EQ(0, copy_file(SIGS "/files/a", self->unsigned_path, NULL));
	ASSERT_EQ(0, sign_policy(variant));
	EXPECT_EQ(PROG_EXIT, run(self->path));
	EXPECT_EQ(-EACCES, run(self->unsigned_path));
	unlink(self->unsigned_path);
}

TEST_F(sign, verify_with_key_files_and_keyring)
{
	char want[256];
	int fd;

	ASSERT_EQ(0, place_signed(variant, self->path));
	snprintf(want, sizeof(want), "%s: %s: valid: ", self->path, variant->format);

	EXPECT_EQ(0, sigilctl("verify --keys " SIGS "/keys/rsa.der --keys " SIGS
			      "/keys/ec.pem --keys " SIGS "/keys/pgp.pgp %s", self->path));
	EXPECT_TRUE(output_has(want));
	EXPECT_TRUE(output_has("1 files: 1 verified, 0 failed"));

	/* The same against the keys in .sigil, verified by the kernel. */
	EXPECT_EQ(0, sigilctl("verify --keyring %s", self->path));
	EXPECT_TRUE(output_has(want));
	EXPECT_TRUE(output_has("(.sigil key "));

	/* A key that did not sign it. */
	EXPECT_EQ(1, sigilctl("verify --keys " SIGS "/keys/stranger.pem %s", self->path));
	snprintf(want, sizeof(want), "%s: unknown-key", variant->format);
	EXPECT_TRUE(output_has(want));

	/* A signature over the content no longer verifies once it changed. */
	if (!variant->content)
		return;		/* fs-verity files cannot be written */
	fd = open(self->path, O_WRONLY | O_APPEND | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, write(fd, "Z", 1));
	close(fd);
	snprintf(want, sizeof(want), "%s: %s: bad-signature: ", self->path, variant->format);
	EXPECT_EQ(1, sigilctl("verify --keyring %s", self->path));
	EXPECT_TRUE(output_has(want));
	EXPECT_EQ(1, sigilctl("verify --keys " SIGS "/keys/rsa.der --keys " SIGS
			      "/keys/ec.pem --keys " SIGS "/keys/pgp.pgp %s", self->path));
	EXPECT_TRUE(output_has(want));
	ASSERT_EQ(0, sign_policy(variant));
	EXPECT_EQ(-EACCES, run(self->path));
}

/*
 * fs-verity's builtin signature can only be given as fs-verity is enabled:
 * signing a file that has it fails, and leaves it as it was.
 */
TEST(fsverity_sign_twice_fails_and_changes_nothing)
{
	const char *path = WORK "/fsverity-twice";
	const char *args = "--fsverity --key " SIGS "/keys/rsa.key --cert " SIGS "/keys/rsa.pem";
	char hex[65], again[65];

	mkdir(WORK, 0755);
	unlink(path);
	ASSERT_EQ(0, ensure_keys());
	ASSERT_EQ(0, copy_file(SIGS "/files/b", path, NULL));
	EXPECT_EQ(0, sigilctl("sign %s %s", args, path));
	ASSERT_TRUE(output_has("1 files: 1 signed (fsverity, skid:"));
	ASSERT_EQ(0, verity_digest(path, hex));
	EXPECT_EQ(1, sigilctl("sign %s %s", args, path));
	EXPECT_TRUE(output_has("1 files: 0 signed (fsverity, skid:"));
	EXPECT_TRUE(output_has("fs-verity is already enabled"));
	ASSERT_EQ(0, verity_digest(path, again));
	EXPECT_STREQ(hex, again);
	EXPECT_EQ(0, sigilctl("verify --keys " SIGS "/keys/rsa.der %s", path));
	EXPECT_TRUE(output_has(": fsverity: valid: skid:"));
}

TEST_HARNESS_MAIN
