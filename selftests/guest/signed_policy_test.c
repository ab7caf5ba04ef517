// SPDX-License-Identifier: GPL-2.0-only
/*
 * Signed policies: PKCS#7 (attached and in the SIGILP7 container) and
 * OpenPGP messages from gpg and sq, signed on the host at test time (see
 * selftests/fixtures/policy-fixtures, at /policies here).  Loads, updates,
 * replays, tampering, unknown signers, forms that are refused, writes in
 * pieces, a policy over 4 MiB, and the boot policy.
 */

#include <time.h>

#include "common.h"
#include "kselftest_harness.h"

#define FIX	"/policies"

/* Write @path to @target (new_policy, or a policy's update) in pieces. */
static int load_pieces(const char *path, const char *target, size_t piece)
{
	size_t len, off = 0;
	int fd, rc = 0;
	u_int8_t *buf = slurp(path, &len);

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

static int load(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), FIX "/%s", name);
	return load_pieces(path, SFS "/new_policy", SIZE_MAX);
}

static int update(const char *policy, const char *name)
{
	char path[256], target[256];

	snprintf(path, sizeof(path), FIX "/%s", name);
	policy_path(target, sizeof(target), policy, "update");
	return load_pieces(path, target, SIZE_MAX);
}

static const char *last_error(char *buf, size_t size)
{
	return status_get("last_policy_error", buf, size);
}

static const char *const names[] = { "signed", "other", "low", "big", "mid" };

static int setup(void)
{
	/* The keys that sign the fixtures, unless other tests added them. */
	long ring = sigil_keyring_id();

	return ensure_key(ring, "RSA_SKID", "rsa.der") ?:
	       ensure_key(ring, "PGP_FPR", "pgp.pgp") ?:
	       ensure_key(ring, "SQ_SIGNER_FPR", "sq.pgp") ?:
	       restore_baseline();
}

static void teardown(void)
{
	size_t i;

	restore_baseline();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		delete_policy(names[i]);
}

/* ---- each form, from each tool ---- */

FIXTURE(form) {
};

FIXTURE_VARIANT(form) {
	const char *file;
	const char *signer;	/* prefix of policies/<name>/signer */
};

FIXTURE_VARIANT_ADD(form, pkcs7) {
	.file = "v1.p7", .signer = "x509-skid:",
};

FIXTURE_VARIANT_ADD(form, pkcs7_detached) {
	.file = "v1.p7d", .signer = "x509-skid:",
};

FIXTURE_VARIANT_ADD(form, gpg) {
	.file = "v1.gpg", .signer = "openpgp:",
};

FIXTURE_VARIANT_ADD(form, gpg_pipe) {
	.file = "v1.gpgpipe", .signer = "openpgp:",
};

FIXTURE_VARIANT_ADD(form, sq) {
	.file = "v1.sq", .signer = "openpgp:",
};

FIXTURE_SETUP(form)
{
	ASSERT_EQ(0, setup());
}

FIXTURE_TEARDOWN(form)
{
	teardown();
}

TEST_F(form, loads_with_its_signer)
{
	char buf[512], text[512];
	size_t len;
	char *want = slurp(FIX "/v1.pol", &len);

	ASSERT_NE(NULL, want);
	want[len] = '\0';
	ASSERT_EQ(0, load(variant->file));
	EXPECT_STREQ("1.0.0", policy_line("signed", "version", buf, sizeof(buf)));
	policy_line("signed", "signer", buf, sizeof(buf));
	EXPECT_EQ(0, strncmp(buf, variant->signer, strlen(variant->signer)))
		TH_LOG("signer: %s", buf);
	/* The text is what was signed, byte for byte. */
	{
		char path[256];

		policy_path(path, sizeof(path), "signed", "policy");
		ASSERT_EQ((ssize_t)len, read_file(path, text, sizeof(text)));
		EXPECT_STREQ(want, text);
	}
	EXPECT_EQ(0, activate("signed"));
	EXPECT_STREQ("signed", status_get("active_policy", buf, sizeof(buf)));
	free(want);
}

FIXTURE(signed_policy) {
};

FIXTURE_SETUP(signed_policy)
{
	ASSERT_EQ(0, setup());
}

FIXTURE_TEARDOWN(signed_policy)
{
	teardown();
}

/* As cat writes: in pieces.  A piece of 7 bytes splits every header. */
TEST_F(signed_policy, loads_in_pieces)
{
	char buf[64];

	ASSERT_EQ(0, load_pieces(FIX "/" "v1.gpg", SFS "/new_policy", 7));
	EXPECT_STREQ("1.0.0", policy_line("signed", "version", buf, sizeof(buf)));
	ASSERT_EQ(0, delete_policy("signed"));
	ASSERT_EQ(0, load_pieces(FIX "/" "v1.p7d", SFS "/new_policy", 100));
	EXPECT_STREQ("1.0.0", policy_line("signed", "version", buf, sizeof(buf)));
	ASSERT_EQ(0, delete_policy("signed"));
}

/* ---- refusals ---- */

static const struct {
	const char *file;
	int err;
	const char *why;	/* in status' last_error */
} refusals[] = {
	{ "v1.p7tamper",	EKEYREJECTED,	"does not verify" },
	{ "v1.p7dtamper",	EKEYREJECTED,	"does not verify" },
	{ "v1.gpgtamper",	EKEYREJECTED,	"does not verify" },
	{ "v1.sqtamper",	EKEYREJECTED,	"does not verify" },
	{ "v1.p7stranger",	ENOKEY,		"not in .sigil" },
	{ "v1.gpgstranger",	ENOKEY,		"is not in the keyring" },
	{ "v1.gpgz",		EOPNOTSUPP,	"--compress-algo none" },
	{ "v1.asc",		EOPNOTSUPP,	"armored" },
	{ "v1.clear",		EOPNOTSUPP,	"cleartext" },
	{ "v1.smime",		EOPNOTSUPP,	"-outform der" },
	{ "mid.p7",		EMSGSIZE,	"SIGILP7 container" },
	{ "v1.p7two",		EOPNOTSUPP,	"2 signers" },
	{ "v1.gpgtext",		EOPNOTSUPP,	"binary signature" },
};

TEST_F(signed_policy, refused_with_errno_and_reason)
{
	char buf[512];
	size_t i;

	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		long failures = status_num("policy_errors");

		EXPECT_EQ(-refusals[i].err, load(refusals[i].file))
			TH_LOG("%s", refusals[i].file);
		EXPECT_NE(NULL, strstr(last_error(buf, sizeof(buf)),
				       refusals[i].why))
			TH_LOG("%s: %s", refusals[i].file, buf);
		EXPECT_EQ(failures + 1, status_num("policy_errors"));
		EXPECT_FALSE(policy_line("signed", "version", buf, sizeof(buf))[0]);
	}
}

TEST_F(signed_policy, unprivileged_writes_are_refused)
{
	pid_t pid;
	int status;

	ASSERT_EQ(0, load("v1.gpg"));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char target[256];

		if (drop_mac_admin())
			_exit(10);
		if (load("other.gpg") != -EPERM)
			_exit(11);
		policy_path(target, sizeof(target), "signed", "update");
		if (load_pieces(FIX "/v2.gpg", target, SIZE_MAX) != -EPERM)
			_exit(12);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(-ENOENT, update("other", "other.gpg"));
}

/* A writer that stops in the middle loads nothing, and status says so. */
TEST_F(signed_policy, unfinished_message_is_discarded)
{
	char buf[512];
	size_t len;
	void *msg = slurp(FIX "/v1.gpg", &len);
	int fd = open(SFS "/new_policy", O_WRONLY);

	ASSERT_NE(NULL, msg);
	ASSERT_LE(0, fd);
	EXPECT_EQ((ssize_t)(len / 2), write(fd, msg, len / 2));
	close(fd);
	EXPECT_NE(NULL, strstr(last_error(buf, sizeof(buf)), "discarded"))
		TH_LOG("%s", buf);
	EXPECT_FALSE(policy_line("signed", "version", buf, sizeof(buf))[0]);
	free(msg);
}

/* ---- update, replay, rollback ---- */

/*
 * An update of an inactive policy; updating the active one raises the
 * version floor for the rest of the boot, so policy_rollback_lock_test
 * does that, last.
 */
TEST_F(signed_policy, update_needs_same_name_and_higher_version)
{
	char buf[128];

	ASSERT_EQ(0, load("v1.gpg"));

	/* A newer version, from another tool and form. */
	EXPECT_EQ(0, update("signed", "v2.p7"));
	EXPECT_STREQ("1.1.0", policy_line("signed", "version", buf, sizeof(buf)));
	policy_line("signed", "signer", buf, sizeof(buf));
	EXPECT_EQ(0, strncmp(buf, "x509-skid:", 10));
	EXPECT_STREQ("baseline", status_get("active_policy", buf, sizeof(buf)));

	/* Replaying the older signed policy, or the same version: ESTALE. */
	EXPECT_EQ(-ESTALE, update("signed", "v1.gpg"));
	EXPECT_NE(NULL, strstr(last_error(buf, sizeof(buf)), "not newer"));
	EXPECT_EQ(-ESTALE, update("signed", "v2.sq"));
	/* Another policy's text: refused, the name stays. */
	EXPECT_EQ(-EINVAL, update("signed", "other.gpg"));
	EXPECT_NE(NULL, strstr(last_error(buf, sizeof(buf)), "keeps the name"));
	/* A bad signature on the update: refused. */
	EXPECT_EQ(-EKEYREJECTED, update("signed", "v1.gpgtamper"));
	EXPECT_STREQ("1.1.0", policy_line("signed", "version", buf, sizeof(buf)));

	/* In pieces too. */
	policy_path(buf, sizeof(buf), "signed", "update");
	EXPECT_EQ(0, load_pieces(FIX "/v3.sq", buf, 50));
	EXPECT_STREQ("1.2.0", policy_line("signed", "version", buf, sizeof(buf)));
	policy_line("signed", "signer", buf, sizeof(buf));
	EXPECT_EQ(0, strncmp(buf, "openpgp:", 8));
}

/* ---- size ---- */

static double ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1e3 + (t1.tv_nsec - t0->tv_nsec) / 1e6;
}

TEST_F(signed_policy, policy_over_4_mib_loads)
{
	static const char *const files[] = { "big.gpg", "big.gpgpipe", "big.p7d" };
	struct timespec t0;
	char buf[128];
	size_t i, len = 0;

	free(slurp(FIX "/big.pol", &len));
	ASSERT_LT(4u << 20, len);
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		char path[256];

		snprintf(path, sizeof(path), FIX "/%s", files[i]);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		/* 64 KiB pieces, as a pipe into the file would bring them. */
		ASSERT_EQ(0, load_pieces(path, SFS "/new_policy", 65536))
			TH_LOG("%s: %s", files[i], last_error(buf, sizeof(buf)));
		ksft_print_msg("%s: %zu-byte policy, 45,000 rules, loaded in %.0f ms\n",
			       files[i], len, ms_since(&t0));
		EXPECT_STREQ("1.0.0", policy_line("big", "version", buf, sizeof(buf)));
		ASSERT_EQ(0, delete_policy("big"));
	}
}

/* ---- the boot policy ---- */

/* run-check saved status before any test ran, at /tmp/status-at-boot. */
TEST_F(signed_policy, boot_policy_was_active_from_the_start)
{
	char buf[8192];

	ASSERT_LT(0, read_file("/tmp/status-at-boot", buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, "active_policy: boot\n")) TH_LOG("%s", buf);
	EXPECT_STREQ("built-in", policy_line("boot", "signer", buf, sizeof(buf)));
	EXPECT_STREQ("0.0.0", policy_line("boot", "version", buf, sizeof(buf)));
}

TEST_HARNESS_MAIN
