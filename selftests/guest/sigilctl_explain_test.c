// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl explain in the guest: the rule text and line it prints for
 * allowed and denied files, its JSON and exit codes, and offline
 * evaluation of the same policy text agreeing with the kernel.
 */

#include <sys/prctl.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define SIGILCTL "/bin/sigilctl"
#define WORK	DISK "/sigilctl-explain"
#define ALLOWED	WORK "/allowed"
#define UNLISTED WORK "/unlisted"
#define BROKEN	WORK "/broken"
#define POLICY	"/tmp/sigilctl-explain.pol"

static const unsigned char broken_ima[] = {
	0x03, 0x02, 0x04, 0x11, 0x22, 0x33, 0x44, 0x01, 0x00, 'a', 'b', 'c',
};

/*
 * Run sigilctl with @argv (NULL-terminated, argv[0] excluded); its stdout
 * and stderr in @out, and its exit status, or -1.  With @drop, it runs
 * without CAP_MAC_ADMIN, which the bounding set keeps it from regaining.
 */
static int sigilctl(char *out, size_t size, int drop, const char *const *argv)
{
	const char *args[16] = { SIGILCTL };
	int pipefd[2], status, i;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	for (i = 0; argv[i] && i < 14; i++)
		args[i + 1] = argv[i];
	if (pipe2(pipefd, O_CLOEXEC))
		return -1;
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		char *envp[] = { "PATH=/bin", NULL };

		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		if (drop && (prctl(PR_CAPBSET_DROP, CAP_MAC_ADMIN) || drop_mac_admin()))
			_exit(120);
		execve(SIGILCTL, (char **)args, envp);
		_exit(121);
	}
	close(pipefd[1]);
	while (len < size - 1 && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int save(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

FIXTURE(sigilctl_explain) {
	char digest[65];
	char unlisted[65];
	char policy[1024];
};

FIXTURE_SETUP(sigilctl_explain)
{
	ASSERT_EQ(0, restore_baseline());
	mkdir(WORK, 0755);
	ASSERT_EQ(0, make_prog(ALLOWED, "sigilctl allowed", 1));
	ASSERT_EQ(0, make_prog(UNLISTED, "sigilctl unlisted", 1));
	ASSERT_EQ(0, make_prog(BROKEN, "sigilctl broken", 0));
	ASSERT_EQ(0, setxattr(BROKEN, "security.ima", broken_ima, sizeof(broken_ima), 0));
	ASSERT_EQ(0, verity_digest(ALLOWED, self->digest));
	ASSERT_EQ(0, verity_digest(UNLISTED, self->unlisted));
	/* sigilctl and its libraries come from the initramfs: line 4. */
	snprintf(self->policy, sizeof(self->policy),
		 "policy_name=t_sigilctl_explain policy_version=" TEST_VERSION "\n"
		 "DEFAULT action=ALLOW\n"
		 "DEFAULT op=EXECUTE action=DENY\n"
		 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
		 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
		 "op=EXECUTE ima_signature=TRUE action=ALLOW\n",
		 self->digest);
	ASSERT_EQ(0, load_policy("%s", self->policy));
	ASSERT_EQ(0, activate("t_sigilctl_explain"));
}

FIXTURE_TEARDOWN(sigilctl_explain)
{
	drop_policy("t_sigilctl_explain");
	unlink(POLICY);
}

TEST_F(sigilctl_explain, allowed_file_prints_its_rule)
{
	const char *argv[] = { "explain", ALLOWED, NULL };
	char out[8192], want[256];

	ASSERT_EQ(0, sigilctl(out, sizeof(out), 0, argv)) TH_LOG("%s", out);
	TH_LOG("\n%s", out);
	snprintf(want, sizeof(want),
		 "ALLOW by line 5: op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n",
		 self->digest);
	EXPECT_EQ(0, strncmp(out, want, strlen(want)));
	EXPECT_NE(NULL, strstr(out, "  policy:  t_sigilctl_explain " TEST_VERSION ", active\n"));
	EXPECT_NE(NULL, strstr(out, "    boot_verified        FALSE\n"));
	EXPECT_EQ(NULL, strstr(out, "ima_signature"));
}

TEST_F(sigilctl_explain, denied_file_prints_the_default_and_the_facts)
{
	const char *argv[] = { "explain", UNLISTED, NULL };
	char out[8192], want[256];

	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, argv)) TH_LOG("%s", out);
	TH_LOG("\n%s", out);
	EXPECT_EQ(0, strncmp(out, "DENY by line 3: DEFAULT op=EXECUTE action=DENY\n", 47));
	EXPECT_NE(NULL, strstr(out, "  mode:    enforce: the operation fails with EACCES\n"));
	EXPECT_NE(NULL, strstr(out, "no EXECUTE rule matched, so the operation's DEFAULT decided"));
	snprintf(want, sizeof(want), "    fsverity_digest      sha256:%s\n", self->unlisted);
	EXPECT_NE(NULL, strstr(out, want));
	EXPECT_NE(NULL, strstr(out, "    ima_signature        absent\n"));
}

TEST_F(sigilctl_explain, json)
{
	const char *argv[] = { "--json", "explain", UNLISTED, NULL };
	char out[8192], want[256];

	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, argv)) TH_LOG("%s", out);
	TH_LOG("%s", out);
	EXPECT_EQ('{', out[0]);
	EXPECT_NE(NULL, strstr(out, "\"source\":\"kernel\""));
	EXPECT_NE(NULL, strstr(out, "\"action\":\"DENY\",\"match\":\"op_default\",\"line\":3,"
				    "\"rule\":\"DEFAULT op=EXECUTE action=DENY\""));
	EXPECT_NE(NULL, strstr(out, "\"enforce\":true"));
	snprintf(want, sizeof(want), "\"fsverity_digest\":\"sha256:%s\"", self->unlisted);
	EXPECT_NE(NULL, strstr(out, want));
	EXPECT_NE(NULL, strstr(out, "\"ima_signature\":\"absent\""));
}

TEST_F(sigilctl_explain, other_operation_and_failed_lookup)
{
	const char *km[] = { "explain", "--op", "KMODULE", UNLISTED, NULL };
	const char *br[] = { "explain", BROKEN, NULL };
	char out[8192];

	ASSERT_EQ(0, sigilctl(out, sizeof(out), 0, km)) TH_LOG("%s", out);
	EXPECT_EQ(0, strncmp(out, "ALLOW by line 2: DEFAULT action=ALLOW\n", 38)) TH_LOG("%s", out);

	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, br)) TH_LOG("%s", out);
	TH_LOG("\n%s", out);
	EXPECT_NE(NULL, strstr(out,
			       "DENY: ima_signature: security.ima announces a 256-byte signature, 3 bytes follow (Bad message)\n"));
}

/*
 * An IMA signature over SHA-1 is refused: the kernel and the offline
 * evaluation both say why, under the fact, and JSON carries it as a fact.
 */
TEST_F(sigilctl_explain, refused_signature_says_why)
{
	const char *k[] = { "explain", WORK "/sha1", NULL };
	const char *o[] = { "explain", "--policy", POLICY, WORK "/sha1", NULL };
	const char *j[] = { "--json", "explain", WORK "/sha1", NULL };
	const char *want = "    ima_signature        refused\n"
			   "      why refused:       security.ima signs a SHA-1 digest, which is refused: "
			   "collisions are practical\n";
	char out[8192];
	unsigned char *v;
	size_t len;

	unlink(WORK "/sha1");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/sha1", NULL));
	v = slurp(SIGS "/files/a.ima2", &len);
	ASSERT_NE(NULL, v);
	ASSERT_LT(2, len);
	v[2] = 0x02;	/* the hash algorithm: SHA-1 */
	ASSERT_EQ(0, setxattr(WORK "/sha1", "security.ima", v, len, 0));
	free(v);
	ASSERT_EQ(0, save(POLICY, self->policy));

	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, k)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("kernel:\n%s", out);
	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, o)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("offline:\n%s", out);
	ASSERT_EQ(1, sigilctl(out, sizeof(out), 0, j)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"ima_signature\":\"refused\",\"ima_signature_reason\":"
				    "\"security.ima signs a SHA-1 digest, which is refused: collisions are practical\""))
		TH_LOG("%s", out);
}

/* The same text, evaluated offline, names the same statements. */
TEST_F(sigilctl_explain, offline_agrees_with_the_kernel)
{
	const char *files[] = { ALLOWED, UNLISTED, PROG };
	char kout[8192], oout[8192];
	size_t i;

	ASSERT_EQ(0, save(POLICY, self->policy));
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		const char *k[] = { "explain", files[i], NULL };
		const char *o[] = { "explain", "--policy", POLICY, files[i], NULL };
		int krc = sigilctl(kout, sizeof(kout), 0, k);

		EXPECT_EQ(krc, sigilctl(oout, sizeof(oout), 0, o)) TH_LOG("%s", files[i]);
		EXPECT_EQ(0, strncmp(kout, oout, strcspn(kout, "\n") + 1))
			TH_LOG("kernel:\n%s\noffline:\n%s", kout, oout);
		EXPECT_NE(NULL, strstr(oout, ", from " POLICY " (offline)\n")) TH_LOG("%s", oout);
	}
}

TEST_F(sigilctl_explain, exit_codes_for_usage_and_environment)
{
	const char *bad_op[] = { "explain", "--op", "EXEC", ALLOWED, NULL };
	const char *two[] = { "explain", ALLOWED, UNLISTED, NULL };
	const char *missing[] = { "explain", WORK "/no-such-file", NULL };
	const char *dir[] = { "explain", WORK, NULL };
	const char *unpriv[] = { "explain", ALLOWED, NULL };
	char out[8192];

	EXPECT_EQ(2, sigilctl(out, sizeof(out), 0, bad_op)) TH_LOG("%s", out);
	EXPECT_EQ(2, sigilctl(out, sizeof(out), 0, two)) TH_LOG("%s", out);
	EXPECT_EQ(3, sigilctl(out, sizeof(out), 0, missing)) TH_LOG("%s", out);
	EXPECT_EQ(3, sigilctl(out, sizeof(out), 0, dir)) TH_LOG("%s", out);
	EXPECT_EQ(3, sigilctl(out, sizeof(out), 1, unpriv)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "explain needs CAP_MAC_ADMIN")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "--policy FILE")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
