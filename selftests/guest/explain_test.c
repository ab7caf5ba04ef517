// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigil/explain: the answer names the rule or DEFAULT that decides, with
 * its line, or the error and reason; it lists the facts the rules looked
 * at; it agrees with what the hook then does; and asking changes nothing
 * (counters, log, cache).  Refusals: EPERM without CAP_MAC_ADMIN, and
 * malformed queries and descriptors.
 */

#include <sys/xattr.h>
#include <time.h>

#include "common.h"
#include "kselftest_harness.h"

#define EXPLAIN	SFS "/explain"
#define WORK	DISK "/explain"
#define ALLOWED	WORK "/allowed"		/* fs-verity, digest in the policy */
#define UNLISTED WORK "/unlisted"	/* fs-verity, digest not listed */
#define PLAIN	WORK "/plain"		/* no fs-verity, no signature */
#define BROKEN	WORK "/broken"		/* a malformed security.ima */
#define IMA	WORK "/ima"		/* /sigs/files/a with its IMA v2 signature */
#define PGP	WORK "/pgp"		/* /sigs/files/a with its OpenPGP signature */

/* security.ima announcing a 256-byte signature of which 3 bytes follow */
static const unsigned char broken_ima[] = {
	0x03, 0x02, 0x04, 0x11, 0x22, 0x33, 0x44, 0x01, 0x00, 'a', 'b', 'c',
};

/*
 * Ask about @path opened read-only: the answer in @buf, or -errno of the
 * write.
 */
static int explain(const char *op, const char *path, char *buf, size_t size)
{
	char query[64];
	int fd, q, rc = 0;
	ssize_t n;

	buf[0] = '\0';
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	q = open(EXPLAIN, O_RDWR | O_CLOEXEC);
	if (q < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	snprintf(query, sizeof(query), "%s %d\n", op, fd);
	if (write(q, query, strlen(query)) < 0) {
		rc = -errno;
	} else {
		n = read(q, buf, size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	close(q);
	close(fd);
	return rc;
}

/* Write @query to a fresh open of the explain file: 0 or -errno. */
static int query(const char *q)
{
	int fd = open(EXPLAIN, O_RDWR | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = write(fd, q, strlen(q)) < 0 ? -errno : 0;
	close(fd);
	return rc;
}

/* The value of KEY in an answer, or "" when it has no such line. */
static const char *field(const char *answer, const char *key)
{
	static char vals[4][1024];
	static int next;
	char *v = vals[next++ % 4];
	size_t klen = strlen(key);
	const char *line;

	v[0] = '\0';
	for (line = answer; *line; line += strcspn(line, "\n") + !!line[strcspn(line, "\n")]) {
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(v, 1024, "%.*s", (int)strcspn(line + klen + 1, "\n"),
				 line + klen + 1);
			break;
		}
	}
	return v;
}

static int has_key(const char *answer, const char *key)
{
	char want[64];

	snprintf(want, sizeof(want), "\n%s=", key);
	return !strncmp(answer, want + 1, strlen(want + 1)) || strstr(answer, want);
}

static int set_xattr_from(const char *path, const char *xattr, const char *sig)
{
	size_t len;
	void *v = slurp(sig, &len);
	int rc;

	if (!v)
		return -ENOENT;
	rc = setxattr(path, xattr, v, len, 0) ? -errno : 0;
	free(v);
	return rc;
}

FIXTURE(explain) {
	char digest[65];
	char unlisted[65];
};

/*
 * Line numbers matter: tests check that the answer names them.
 *   2 the global DEFAULT, 3 EXECUTE's DEFAULT, 4 boot_verified,
 *   5 the digest of ALLOWED, 6 IMA by the RSA key, 7 OpenPGP,
 *   8 a FIRMWARE rule that denies ALLOWED's digest.
 */
FIXTURE_SETUP(explain)
{
	ASSERT_EQ(0, restore_baseline());
	mkdir(WORK, 0755);
	ASSERT_EQ(0, make_prog(ALLOWED, "explain allowed", 1));
	ASSERT_EQ(0, make_prog(UNLISTED, "explain unlisted", 1));
	ASSERT_EQ(0, make_prog(PLAIN, "explain plain", 0));
	ASSERT_EQ(0, make_prog(BROKEN, "explain broken", 0));
	ASSERT_EQ(0, setxattr(BROKEN, "security.ima", broken_ima, sizeof(broken_ima), 0));
	ASSERT_EQ(0, copy_file(SIGS "/files/a", IMA, NULL));
	ASSERT_EQ(0, set_xattr_from(IMA, "security.ima", SIGS "/files/a.ima2"));
	ASSERT_EQ(0, copy_file(SIGS "/files/a", PGP, NULL));
	ASSERT_EQ(0, set_xattr_from(PGP, "security.sigil", SIGS "/files/a.pgp2"));
	ASSERT_EQ(0, ensure_key(sigil_keyring_id(), "RSA_SKID", "rsa.der"));
	ASSERT_EQ(0, ensure_key(sigil_keyring_id(), "PGP_FPR", "pgp.pgp"));
	ASSERT_EQ(0, verity_digest(ALLOWED, self->digest));
	ASSERT_EQ(0, verity_digest(UNLISTED, self->unlisted));
	ASSERT_EQ(0, load_policy("policy_name=t_explain policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
				 "op=EXECUTE ima_signature=TRUE signer=%s action=ALLOW\n"
				 "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
				 "op=FIRMWARE fsverity_digest=sha256:%s action=DENY\n",
				 self->digest, sig_id("RSA_SKID"), self->digest));
	ASSERT_EQ(0, activate("t_explain"));
}

FIXTURE_TEARDOWN(explain)
{
	write_str(SFS "/success_audit", "0");
	set_enforce(1);
	drop_policy("t_explain");
}

/*
 * The hook decides as the answer said: the exec's result, and with
 * success_audit the log line names the same statement.
 */
static void expect_hook_agrees(struct __test_metadata *_metadata,
			       const char *path, const char *answer)
{
	char line[1024], want[64];
	int allow = !strcmp(field(answer, "action"), "ALLOW");

	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	EXPECT_EQ(allow ? PROG_EXIT : -EACCES, run(path)) TH_LOG("%s", path);
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	last_log_line(line, sizeof(line));
	snprintf(want, sizeof(want), " action=%s ", field(answer, "action"));
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s", line);
	if (has_key(answer, "line")) {
		snprintf(want, sizeof(want), " line=%s rule=", field(answer, "line"));
		EXPECT_NE(NULL, strstr(line, want)) TH_LOG("log: %s\nanswer:\n%s", line, answer);
	} else {
		snprintf(want, sizeof(want), " error=%s ", field(answer, "error"));
		EXPECT_NE(NULL, strstr(line, want)) TH_LOG("log: %s\nanswer:\n%s", line, answer);
	}
}

TEST_F(explain, allowed_file_names_its_rule_and_line)
{
	char a[4096], want[160];
	struct stat st;

	ASSERT_EQ(0, explain("EXECUTE", ALLOWED, a, sizeof(a)));
	TH_LOG("\n%s", a);
	ASSERT_EQ(0, stat(ALLOWED, &st));
	EXPECT_STREQ("EXECUTE", field(a, "op"));
	EXPECT_STREQ(ALLOWED, field(a, "path"));
	EXPECT_STREQ("vda", field(a, "dev"));
	EXPECT_EQ((long)st.st_ino, atol(field(a, "ino")));
	EXPECT_STREQ("t_explain", field(a, "policy"));
	EXPECT_STREQ(TEST_VERSION, field(a, "version"));
	EXPECT_STREQ("1", field(a, "enforce"));
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("rule", field(a, "match"));
	EXPECT_STREQ("5", field(a, "line"));
	snprintf(want, sizeof(want), "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW",
		 self->digest);
	EXPECT_STREQ(want, field(a, "rule"));
	EXPECT_STREQ("FALSE", field(a, "boot_verified"));
	snprintf(want, sizeof(want), "sha256:%s", self->digest);
	EXPECT_STREQ(want, field(a, "fsverity_digest"));
	/* The rule on line 5 decided: the signatures were not looked at. */
	EXPECT_FALSE(has_key(a, "ima_signature"));
	EXPECT_FALSE(has_key(a, "error"));
	expect_hook_agrees(_metadata, ALLOWED, a);
}

TEST_F(explain, denied_file_names_the_default_and_every_fact)
{
	char a[4096], want[160];

	ASSERT_EQ(0, explain("EXECUTE", UNLISTED, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("op_default", field(a, "match"));
	EXPECT_STREQ("3", field(a, "line"));
	EXPECT_STREQ("DEFAULT op=EXECUTE action=DENY", field(a, "rule"));
	EXPECT_STREQ("FALSE", field(a, "boot_verified"));
	snprintf(want, sizeof(want), "sha256:%s", self->unlisted);
	EXPECT_STREQ(want, field(a, "fsverity_digest"));
	EXPECT_STREQ("absent", field(a, "ima_signature"));
	EXPECT_STREQ("absent", field(a, "pgp_signature"));
	EXPECT_FALSE(has_key(a, "fsverity_signature"));
	expect_hook_agrees(_metadata, UNLISTED, a);
}

TEST_F(explain, global_default_and_another_operation)
{
	char a[4096], want[160];

	ASSERT_EQ(0, explain("KMODULE", UNLISTED, a, sizeof(a)));
	EXPECT_STREQ("KMODULE", field(a, "op"));
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("global_default", field(a, "match"));
	EXPECT_STREQ("2", field(a, "line"));
	EXPECT_STREQ("DEFAULT action=ALLOW", field(a, "rule"));
	EXPECT_FALSE(has_key(a, "fsverity_digest")) TH_LOG("\n%s", a);

	/* The same file EXECUTE allows, FIRMWARE's rule denies. */
	ASSERT_EQ(0, explain("FIRMWARE", ALLOWED, a, sizeof(a)));
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("rule", field(a, "match"));
	EXPECT_STREQ("8", field(a, "line"));
	snprintf(want, sizeof(want), "op=FIRMWARE fsverity_digest=sha256:%s action=DENY",
		 self->digest);
	EXPECT_STREQ(want, field(a, "rule"));
}

TEST_F(explain, boot_verified_file)
{
	char a[4096];

	ASSERT_EQ(0, explain("EXECUTE", PROG, a, sizeof(a)));
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("4", field(a, "line"));
	EXPECT_STREQ("op=EXECUTE boot_verified=TRUE action=ALLOW", field(a, "rule"));
	EXPECT_STREQ("TRUE", field(a, "boot_verified"));
	EXPECT_FALSE(has_key(a, "fsverity_digest")) TH_LOG("\n%s", a);
}

TEST_F(explain, signatures_with_their_signers)
{
	char a[4096], keyid[17];

	ASSERT_EQ(0, explain("EXECUTE", IMA, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("6", field(a, "line"));
	EXPECT_STREQ("valid", field(a, "ima_signature"));
	EXPECT_EQ(0, strcasecmp(sig_id("RSA_SKID"), field(a, "ima_signer")));
	EXPECT_FALSE(has_key(a, "pgp_signature"));
	expect_hook_agrees(_metadata, IMA, a);

	ASSERT_EQ(0, explain("EXECUTE", PGP, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("7", field(a, "line"));
	EXPECT_STREQ("absent", field(a, "ima_signature"));
	EXPECT_STREQ("valid", field(a, "pgp_signature"));
	/* The fingerprint, then the key ID: its last 16 hex digits. */
	snprintf(keyid, sizeof(keyid), "%s", sig_id("PGP_FPR") + 24);
	EXPECT_EQ(0, strncasecmp(sig_id("PGP_FPR"), field(a, "pgp_signer"), 40));
	EXPECT_EQ(',', field(a, "pgp_signer")[40]);
	EXPECT_EQ(0, strncasecmp(keyid, field(a, "pgp_signer") + 41, 16));
	expect_hook_agrees(_metadata, PGP, a);
}

/*
 * A refused signature's reason, which the log line does not carry: the
 * same answer before the hook has verified it and after, when only the
 * verdict is cached.  A text-mode OpenPGP signature; an fs-verity
 * signature with its certificate attached, which fs-verity accepts.
 */
TEST_F(explain, refused_signature_says_why)
{
	static const struct {
		const char *path, *prop, *reason;
	} cases[] = {
		{ WORK "/text", "pgp_signature",
		  "a text-mode (0x01) signature covers many byte strings" },
		{ WORK "/p7certs", "fsverity_signature",
		  "the PKCS#7 signature carries certificates" },
	};
	char a[4096], key[64];
	size_t i, len, round;
	void *sig;

	ASSERT_EQ(0, ensure_key(keyring_id(".fs-verity"), "RSA_SKID", "rsa.der"));
	unlink(cases[0].path);
	ASSERT_EQ(0, copy_file(SIGS "/files/script", cases[0].path, NULL));
	ASSERT_EQ(0, set_xattr_from(cases[0].path, "security.sigil",
				    SIGS "/files/script.pgp2text"));
	unlink(cases[1].path);
	ASSERT_EQ(0, copy_file(SIGS "/files/a", cases[1].path, NULL));
	sig = slurp(SIGS "/files/a.fsvcerts", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, enable_verity_sig(cases[1].path, sig, len));
	free(sig);
	ASSERT_EQ(0, load_policy("policy_name=t_explain_refused policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_explain_refused"));

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(key, sizeof(key), "%s_reason", cases[i].prop);
		for (round = 0; round < 2; round++) {
			ASSERT_EQ(0, explain("EXECUTE", cases[i].path, a, sizeof(a)));
			TH_LOG("%s, %s:\n%s", cases[i].path,
			       round ? "verdict cached" : "not yet verified", a);
			EXPECT_STREQ("DENY", field(a, "action"));
			EXPECT_STREQ("op_default", field(a, "match"));
			EXPECT_STREQ("refused", field(a, cases[i].prop));
			EXPECT_EQ(0, strncmp(cases[i].reason, field(a, key),
					     strlen(cases[i].reason)));
			/* The hook verifies, and caches the verdict. */
			EXPECT_EQ(-EACCES, run(cases[i].path));
		}
	}
	ASSERT_EQ(0, activate("t_explain"));
	drop_policy("t_explain_refused");
}

TEST_F(explain, failed_lookup_gives_error_and_reason)
{
	char a[4096];

	ASSERT_EQ(0, explain("EXECUTE", BROKEN, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("error", field(a, "match"));
	EXPECT_STREQ("-74", field(a, "error"));
	EXPECT_STREQ("ima_signature: security.ima announces a 256-byte signature, 3 bytes follow",
		     field(a, "reason"));
	EXPECT_STREQ("error", field(a, "ima_signature"));
	EXPECT_FALSE(has_key(a, "line"));
	EXPECT_FALSE(has_key(a, "rule"));
	expect_hook_agrees(_metadata, BROKEN, a);
}

TEST_F(explain, permissive_mode_is_reported)
{
	char a[4096];

	ASSERT_EQ(0, set_enforce(0));
	ASSERT_EQ(0, explain("EXECUTE", UNLISTED, a, sizeof(a)));
	EXPECT_STREQ("0", field(a, "enforce"));
	EXPECT_STREQ("DENY", field(a, "action"));
	ASSERT_EQ(0, set_enforce(1));
}

/*
 * Asking is not an event: no counter, no log line (even with
 * success_audit), no cache statistic moves, and a signature verified to
 * answer is not kept: the next exec verifies it.
 */
TEST_F(explain, asking_changes_nothing)
{
	static const char *const keys[] = {
		"allowed", "denied", "permissive_denials", "errors", "cache_hits",
		"cache_misses", "cache_verifications", "cache_entries", "cache_bytes",
	};
	static char log_before[64 * 1024], log_after[64 * 1024];
	long long before[sizeof(keys) / sizeof(keys[0])];
	const char *files[] = { ALLOWED, UNLISTED, BROKEN, IMA, PGP, PROG };
	char a[4096];
	size_t i;

	/* A fresh xattr write drops the cached verdict: IMA must be verified. */
	ASSERT_EQ(0, set_xattr_from(IMA, "security.ima", SIGS "/files/a.ima2"));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		before[i] = status_num(keys[i]);
	ASSERT_LE(0, read_file(SFS "/log", log_before, sizeof(log_before)));

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ASSERT_EQ(0, explain("EXECUTE", files[i], a, sizeof(a)));
		ASSERT_EQ(0, explain("KMODULE", files[i], a, sizeof(a)));
	}
	ASSERT_EQ(0, explain("EXECUTE", IMA, a, sizeof(a)));
	EXPECT_STREQ("valid", field(a, "ima_signature"));

	ASSERT_LE(0, read_file(SFS "/log", log_after, sizeof(log_after)));
	EXPECT_STREQ(log_before, log_after);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EXPECT_EQ(before[i], status_num(keys[i])) TH_LOG("%s", keys[i]);

	/* The exec that follows is the one that verifies, caches and logs. */
	EXPECT_EQ(PROG_EXIT, run(IMA));
	EXPECT_EQ(before[6] + 1, status_num("cache_verifications"));
	EXPECT_LT(before[0], status_num("allowed"));
	ASSERT_LE(0, read_file(SFS "/log", log_after, sizeof(log_after)));
	EXPECT_STRNE(log_before, log_after);
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
}

/* A cached verdict and a fresh verification give the same answer. */
TEST_F(explain, same_answer_before_and_after_caching)
{
	char a1[4096], a2[4096];

	ASSERT_EQ(0, set_xattr_from(PGP, "security.sigil", SIGS "/files/a.pgp2"));
	ASSERT_EQ(0, explain("EXECUTE", PGP, a1, sizeof(a1)));
	EXPECT_EQ(PROG_EXIT, run(PGP));
	ASSERT_EQ(0, explain("EXECUTE", PGP, a2, sizeof(a2)));
	EXPECT_STREQ(a1, a2);
}

TEST_F(explain, eperm_without_cap_mac_admin)
{
	int fd = open(PLAIN, O_RDONLY | O_CLOEXEC);
	int priv = open(EXPLAIN, O_RDWR | O_CLOEXEC);
	pid_t pid;
	int status;

	ASSERT_LE(0, fd);
	ASSERT_LE(0, priv);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char q[32];
		int own;

		snprintf(q, sizeof(q), "EXECUTE %d", fd);
		if (drop_mac_admin())
			_exit(10);
		/* Its own open, and one a privileged process made. */
		own = open(EXPLAIN, O_RDWR | O_CLOEXEC);
		if (own < 0)
			_exit(11);
		if (write(own, q, strlen(q)) >= 0 || errno != EPERM)
			_exit(12);
		if (write(priv, q, strlen(q)) >= 0 || errno != EPERM)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	close(priv);
	close(fd);
}

TEST_F(explain, malformed_queries_and_descriptors)
{
	char q[128], a[4096];
	int rd, wr, path_fd, dir, fd;
	ssize_t n;

	rd = open(PLAIN, O_RDONLY | O_CLOEXEC);
	wr = open(WORK "/plain-w", O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
	path_fd = open(PLAIN, O_PATH | O_CLOEXEC);
	dir = open(WORK, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	ASSERT_LE(0, rd);
	ASSERT_LE(0, wr);
	ASSERT_LE(0, path_fd);
	ASSERT_LE(0, dir);

	snprintf(q, sizeof(q), "EXECUTE %d", rd);
	EXPECT_EQ(0, query(q));
	snprintf(q, sizeof(q), "EXECUTE\t %d\n", rd);
	EXPECT_EQ(0, query(q));
	EXPECT_EQ(-EINVAL, query("EXECUTE"));
	EXPECT_EQ(-EINVAL, query("\n"));
	snprintf(q, sizeof(q), "execute %d", rd);
	EXPECT_EQ(-EINVAL, query(q));
	snprintf(q, sizeof(q), "EXEC %d", rd);
	EXPECT_EQ(-EINVAL, query(q));
	/* A second descriptor names the running program. */
	snprintf(q, sizeof(q), "EXECUTE %d %d", rd, rd);
	EXPECT_EQ(0, query(q));
	snprintf(q, sizeof(q), "EXECUTE anonymous %d", rd);
	EXPECT_EQ(0, query(q));
	EXPECT_EQ(0, query("EXECUTE anonymous"));
	snprintf(q, sizeof(q), "EXECUTE %d %d %d", rd, rd, rd);
	EXPECT_EQ(-EINVAL, query(q));
	snprintf(q, sizeof(q), "EXECUTE %d %d", rd, wr);
	EXPECT_EQ(-EBADF, query(q));
	snprintf(q, sizeof(q), "EXECUTE %d %d", rd, dir);
	EXPECT_EQ(-EINVAL, query(q));
	snprintf(q, sizeof(q), "EXECUTE %d\nEXECUTE %d\n", rd, rd);
	EXPECT_EQ(-EINVAL, query(q));
	EXPECT_EQ(-EINVAL, query("EXECUTE -1"));
	EXPECT_EQ(-EINVAL, query("EXECUTE 3x"));
	memset(q, ' ', sizeof(q));
	q[sizeof(q) - 1] = '\0';
	memcpy(q, "EXECUTE 3", 9);
	EXPECT_EQ(-EINVAL, query(q));
	EXPECT_EQ(-EBADF, query("EXECUTE 999"));
	snprintf(q, sizeof(q), "EXECUTE %d", wr);
	EXPECT_EQ(-EBADF, query(q));
	snprintf(q, sizeof(q), "EXECUTE %d", path_fd);
	EXPECT_EQ(-EBADF, query(q));
	snprintf(q, sizeof(q), "EXECUTE %d", dir);
	EXPECT_EQ(-EINVAL, query(q));

	/* A failed query leaves no answer behind, not even an earlier one. */
	fd = open(EXPLAIN, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(0, read(fd, a, sizeof(a)));
	snprintf(q, sizeof(q), "EXECUTE %d", rd);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	n = read(fd, a, sizeof(a) - 1);
	ASSERT_LT(0, n);
	a[n] = '\0';
	EXPECT_STREQ("DENY", field(a, "action"));
	/* Read again from the start: the same answer. */
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(n, read(fd, a, sizeof(a)));
	EXPECT_EQ(-1, write(fd, "EXECUTE 999", 11));
	EXPECT_EQ(EBADF, errno);
	ASSERT_EQ(0, lseek(fd, 0, SEEK_SET));
	EXPECT_EQ(0, read(fd, a, sizeof(a)));
	/* A second query on the same open replaces the answer. */
	snprintf(q, sizeof(q), "KMODULE %d", rd);
	ASSERT_EQ((ssize_t)strlen(q), write(fd, q, strlen(q)));
	n = read(fd, a, sizeof(a) - 1);
	ASSERT_LT(0, n);
	a[n] = '\0';
	EXPECT_STREQ("KMODULE", field(a, "op"));
	EXPECT_STREQ("ALLOW", field(a, "action"));
	close(fd);

	close(dir);
	close(path_fd);
	close(wr);
	close(rd);
}

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* Time @n queries for @path on one open; every answer must be the same. */
static double query_us(struct __test_metadata *_metadata, const char *path, int n)
{
	char q[32], first[4096], a[4096];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int e = open(EXPLAIN, O_RDWR | O_CLOEXEC);
	double t0, t1;
	ssize_t len;
	int i;

	snprintf(q, sizeof(q), "EXECUTE %d", fd);
	first[0] = '\0';
	t0 = now_us();
	for (i = 0; i < n; i++) {
		if (write(e, q, strlen(q)) < 0)
			break;
		len = pread(e, a, sizeof(a) - 1, 0);
		a[len > 0 ? len : 0] = '\0';
		if (!i)
			strcpy(first, a);
		else if (strcmp(first, a))
			break;
	}
	t1 = now_us();
	EXPECT_EQ(n, i) TH_LOG("%s: answer %d differs or failed", path, i);
	close(e);
	close(fd);
	return (t1 - t0) / n;
}

/*
 * What a query costs, beside an exec of the same file (figures only: under
 * TCG, times are not asserted).  IMA's signature is verified by every
 * query, as no query caches it; the exec after the first finds it cached.
 */
TEST_F(explain, query_cost)
{
	double digest_q, ima_q, exec_us, t0;
	int i;

	digest_q = query_us(_metadata, ALLOWED, 200);
	ima_q = query_us(_metadata, IMA, 20);
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	t0 = now_us();
	for (i = 0; i < 20; i++)
		ASSERT_EQ(PROG_EXIT, run(ALLOWED));
	exec_us = (now_us() - t0) / 20;
	TH_LOG("query, decided by a digest rule: %.0f us; by an IMA v2 signature, verified each time: %.0f us; fork+exec+wait of the same file: %.0f us",
	       digest_q, ima_q, exec_us);
}

/* A file name cannot add a line to the answer or forge a key. */
TEST_F(explain, file_names_are_escaped)
{
	static const char name[] = WORK "/x\nmatch=rule\\";
	char a[4096];

	ASSERT_EQ(0, make_prog(name, "hostile", 0));
	ASSERT_EQ(0, explain("EXECUTE", name, a, sizeof(a)));
	EXPECT_STREQ(WORK "/x\\x0amatch=rule\\x5c", field(a, "path")) TH_LOG("\n%s", a);
	EXPECT_STREQ("op_default", field(a, "match"));
	unlink(name);
}

TEST_HARNESS_MAIN
