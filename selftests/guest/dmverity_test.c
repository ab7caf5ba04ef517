// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmverity_roothash and dmverity_signature on real dm-verity volumes: the
 * host made them with veritysetup and signed A's root hash with openssl
 * (selftests/fixtures/dmverity-fixtures); here they are opened through the
 * device-mapper ioctls, as veritysetup opens them, and mounted.
 *
 *   /vol/a-signed  volume A, opened with its root hash signature
 *   /vol/a         volume A again, without the signature
 *   /vol/b         volume B, another root hash, unsigned
 */

#include <sys/mman.h>
#include <sys/mount.h>

#include "common.h"
#include "kselftest_harness.h"

#define A_SIGNED	VOL "/a-signed/prog"
#define A_UNSIGNED	VOL "/a/prog"
#define B_UNSIGNED	VOL "/b/prog"
#define PLAIN		DISK "/dmv-plain"	/* ext4 on vda, no dm-verity */
#define TMPFS		"/tmp/dmv-prog"
#define OVL		"/ovl"			/* overlayfs, lower /vol/a */

/* The sigil log line of the last decision, after running @path. */
static int run_logged(const char *path, char *line, size_t size)
{
	int rc = run(path);

	last_log_line(line, size);
	return rc;
}

FIXTURE(dmv) {
	char a[80], b[80];	/* "sha256:<hex>" */
};

FIXTURE_SETUP(dmv)
{
	ASSERT_EQ(0, restore_baseline());
	ASSERT_NE(0, strlen(param("A_ROOTHASH"))) TH_LOG("no " PARAMS);
	snprintf(self->a, sizeof(self->a), "%s:", param("HASH_ALG"));
	strcat(self->a, param("A_ROOTHASH"));
	snprintf(self->b, sizeof(self->b), "%s:", param("HASH_ALG"));
	strcat(self->b, param("B_ROOTHASH"));
	ASSERT_EQ(0, open_volume("a-signed", 'A', "/dmv/a.sig"));
	ASSERT_EQ(0, open_volume("a", 'A', NULL));
	ASSERT_EQ(0, open_volume("b", 'B', NULL));
	ASSERT_EQ(0, make_prog(PLAIN, "plain", 0));
	ASSERT_EQ(0, make_prog(TMPFS, "tmpfs", 0));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
}

FIXTURE_TEARDOWN(dmv)
{
	write_str(SFS "/success_audit", "0");
	drop_policy("t_dmv");
}

/* Load and activate t_dmv: DEFAULT op=EXECUTE DENY, then @rules. */
static int dmv_policy(const char *rules)
{
	int rc = load_policy("policy_name=t_dmv policy_version=" TEST_VERSION "\n"
			     "DEFAULT action=ALLOW\n"
			     "DEFAULT op=EXECUTE action=DENY\n"
			     "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			     "%s", rules);

	return rc ? rc : activate("t_dmv");
}

TEST_F(dmv, roothash_match_allows_exec)
{
	char rules[256], line[1024], want[128];

	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(PROG_EXIT, run_logged(A_UNSIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " action=ALLOW ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " line=5 rule=")) TH_LOG("%s", line);
	snprintf(want, sizeof(want), " dmverity_roothash=%s dmverity_sig=absent", self->a);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s", line);
	/* The same root hash, opened with its signature. */
	EXPECT_EQ(PROG_EXIT, run(A_SIGNED));
}

TEST_F(dmv, other_roothash_is_denied)
{
	char rules[256], line[1024], want[128];

	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(-EACCES, run_logged(B_UNSIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " action=DENY ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " line=3 rule=\"DEFAULT op=EXECUTE action=DENY\""))
		TH_LOG("%s", line);
	/* The log shows B's root hash: what a policy would need to allow it. */
	snprintf(want, sizeof(want), " dmverity_roothash=%s ", self->b);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s", line);
}

TEST_F(dmv, revoked_roothash_before_signature_is_denied)
{
	char rules[256];

	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=DENY\n"
		 "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(-EACCES, run(A_SIGNED));
}

TEST_F(dmv, signed_volume_satisfies_signature_true)
{
	char line[1024];

	ASSERT_EQ(0, dmv_policy("op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run_logged(A_SIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " dmverity_sig=valid")) TH_LOG("%s", line);
}

TEST_F(dmv, unsigned_volume_does_not)
{
	char line[1024];

	ASSERT_EQ(0, dmv_policy("op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"));
	/* Same root hash as the signed one, opened without the signature. */
	EXPECT_EQ(-EACCES, run_logged(A_UNSIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " dmverity_sig=absent")) TH_LOG("%s", line);
	EXPECT_EQ(-EACCES, run(B_UNSIGNED));
}

TEST_F(dmv, plain_ext4_and_tmpfs_match_neither)
{
	char rules[256], line[1024];

	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=ALLOW\n"
		 "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(-EACCES, run_logged(PLAIN, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " dmverity=none")) TH_LOG("%s", line);
	EXPECT_EQ(-EACCES, run_logged(TMPFS, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " dmverity=none")) TH_LOG("%s", line);
}

/* As in IPE, FALSE holds wherever there is no verified signature. */
TEST_F(dmv, signature_false_holds_off_signed_volumes)
{
	ASSERT_EQ(0, dmv_policy("op=EXECUTE dmverity_signature=FALSE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run(PLAIN));
	EXPECT_EQ(PROG_EXIT, run(TMPFS));
	EXPECT_EQ(PROG_EXIT, run(A_UNSIGNED));
	EXPECT_EQ(-EACCES, run(A_SIGNED));
}

TEST_F(dmv, mmap_and_mprotect_exec_are_covered)
{
	char rules[256];
	void *p;
	int fd;

	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));

	fd = open(A_UNSIGNED, O_RDONLY);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);

	fd = open(B_UNSIGNED, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	munmap(p, 4096);
	close(fd);
}

TEST_F(dmv, combined_with_other_properties_all_must_hold)
{
	char rules[512], line[1024];

	/* A file on a volume has no IMA signature: the first rule fails. */
	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s ima_signature=TRUE action=ALLOW\n"
		 "op=EXECUTE dmverity_signature=TRUE dmverity_roothash=%s action=ALLOW\n",
		 self->a, self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(-EACCES, run_logged(A_UNSIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " ima_sig=absent")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " dmverity_sig=absent")) TH_LOG("%s", line);
	EXPECT_EQ(PROG_EXIT, run_logged(A_SIGNED, line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " line=6 rule=")) TH_LOG("%s", line);
	EXPECT_EQ(-EACCES, run(B_UNSIGNED));
}

/*
 * Under overlayfs the layer that holds the data decides, as in IPE: a file
 * still on the dm-verity lower layer matches; once copied up to tmpfs, it
 * does not.
 */
TEST_F(dmv, overlayfs_lower_file_matches_until_copied_up)
{
	char rules[256], line[1024];
	struct stat st;
	int fd;

	if (stat(OVL "/prog", &st)) {
		mkdir("/tmp/ovl-up", 0755);
		mkdir("/tmp/ovl-work", 0755);
		mkdir(OVL, 0755);
		ASSERT_EQ(0, mount("overlay", OVL, "overlay", 0,
				   "lowerdir=" VOL "/a,upperdir=/tmp/ovl-up,workdir=/tmp/ovl-work"))
			TH_LOG("mount overlay: %s", strerror(errno));
		ASSERT_EQ(0, copy_file(PROG, OVL "/other", NULL));
	}
	snprintf(rules, sizeof(rules),
		 "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", self->a);
	ASSERT_EQ(0, dmv_policy(rules));
	EXPECT_EQ(PROG_EXIT, run(OVL "/prog"));
	/* A file created in the overlay lives on its tmpfs upper layer. */
	EXPECT_EQ(-EACCES, run_logged(OVL "/other", line, sizeof(line)));
	EXPECT_NE(NULL, strstr(line, " dmverity=none")) TH_LOG("%s", line);

	/* Appending copies the file up: its data leaves the volume. */
	fd = open(OVL "/prog", O_WRONLY | O_APPEND);
	ASSERT_LE(0, fd);
	EXPECT_EQ(1, write(fd, "\n", 1));
	close(fd);
	EXPECT_EQ(-EACCES, run(OVL "/prog"));
}

/*
 * A new table replaces what dm-verity reported: the same volume, reloaded
 * without its signature and then with it, while mounted.
 */
TEST_F(dmv, table_reload_replaces_the_report)
{
	ASSERT_EQ(0, open_volume("reload", 'A', "/dmv/a.sig"));
	ASSERT_EQ(0, dmv_policy("op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run(VOL "/reload/prog"));
	ASSERT_EQ(0, verity_table("reload", 'A', NULL, 0));
	EXPECT_EQ(-EACCES, run(VOL "/reload/prog"));
	ASSERT_EQ(0, verity_table("reload", 'A', "/dmv/a.sig", 0));
	EXPECT_EQ(PROG_EXIT, run(VOL "/reload/prog"));
}

/*
 * dm-verity checks the signature against the kernel's trusted keys, not
 * .sigil: a stranger's signature, or one with the root hash attached
 * rather than detached, does not open the volume at all.
 */
TEST_F(dmv, untrusted_or_attached_signature_is_refused_by_dm_verity)
{
	EXPECT_NE(0, verity_table("stranger", 'A', "/dmv/a.sig-stranger", 1));
	EXPECT_NE(0, verity_table("attached", 'A', "/dmv/a.sig-attached", 1));
}

TEST_F(dmv, status_reports_dmverity_memory)
{
	long long volumes = status_num("dmverity_volumes");

	EXPECT_EQ((long long)sizeof(void *), status_num("bdev_blob_bytes"));
	/* a-signed, a and b at least; each report holds a digest. */
	EXPECT_LE(3, volumes);
	EXPECT_LT(64 * volumes, status_num("dmverity_bytes"));
}

TEST_HARNESS_MAIN
