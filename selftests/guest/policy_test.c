// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy lifecycle through securityfs: load, read back, activate, swap,
 * delete, and every way a load or a change can be refused without
 * disturbing what was working.
 */

#include "common.h"
#include "kselftest_harness.h"

#define HDR(name, ver) "policy_name=" name " policy_version=" ver "\n"

static int exists(const char *name, const char *file)
{
	char path[512];
	struct stat st;

	policy_path(path, sizeof(path), name, file);
	return !stat(path, &st);
}

static const char *policy_read(const char *name, const char *file,
			       char *buf, size_t size)
{
	char path[512];

	policy_path(path, sizeof(path), name, file);
	if (read_file(path, buf, size) < 0)
		buf[0] = '\0';
	return buf;
}

FIXTURE(lifecycle) {
};

FIXTURE_SETUP(lifecycle)
{
	ASSERT_EQ(0, restore_baseline());
}

FIXTURE_TEARDOWN(lifecycle)
{
	static const char *const names[] = {
		"t_load", "t_a", "t_b", "t_old", "t_cap", "t_good",
	};
	size_t i;

	restore_baseline();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		delete_policy(names[i]);
}

TEST_F(lifecycle, load_creates_directory)
{
	static const char text[] = HDR("t_load", "1.2.3")
		"DEFAULT action=ALLOW # a comment, kept verbatim\n";
	char buf[512];

	ASSERT_EQ(0, write_str(SFS "/new_policy", text));
	EXPECT_TRUE(exists("t_load", "policy"));
	EXPECT_TRUE(exists("t_load", "version"));
	EXPECT_TRUE(exists("t_load", "active"));
	EXPECT_TRUE(exists("t_load", "delete"));
	EXPECT_STREQ(text, policy_read("t_load", "policy", buf, sizeof(buf)));
	EXPECT_STREQ("1.2.3\n", policy_read("t_load", "version", buf, sizeof(buf)));
	EXPECT_STREQ("0\n", policy_read("t_load", "active", buf, sizeof(buf)));
	EXPECT_STREQ("baseline", status_get("active_policy", buf, sizeof(buf)));
}

TEST_F(lifecycle, same_name_twice_is_eexist)
{
	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	EXPECT_EQ(-EEXIST, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=DENY\n"));
}

TEST_F(lifecycle, garbage_rejected_old_policy_stays)
{
	long long before = status_num("policy_errors");
	char v[512];

	ASSERT_EQ(0, load_policy(HDR("t_good", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_good"));

	EXPECT_EQ(-EBADMSG, write_str(SFS "/new_policy", "\x7f" "ELF\x02\x01\x01 garbage\n"));
	EXPECT_EQ(-EBADMSG, load_policy(HDR("t_bad", TEST_VERSION) "DEFAULT action=ALLOW\nop=EXECUTE\n"));

	EXPECT_STREQ("t_good", status_get("active_policy", v, sizeof(v)));
	EXPECT_STREQ("1\n", policy_read("t_good", "active", v, sizeof(v)));
	EXPECT_FALSE(exists("t_bad", "policy"));
	EXPECT_EQ(before + 2, status_num("policy_errors"));
}

TEST_F(lifecycle, parse_error_names_line_column_and_token)
{
	char v[512];

	EXPECT_EQ(-EBADMSG, load_policy(HDR("t_bad", TEST_VERSION)
					"DEFAULT action=DENY\n"
					"# comment\n"
					"op=EXECUTE bogus=1 action=ALLOW\n"));
	EXPECT_STREQ("policy rejected: line 4, column 12: unknown property 'bogus'",
		     status_get("last_policy_error", v, sizeof(v)));
}

/*
 * The test kernel evaluates every property, so a property it cannot
 * evaluate (EOPNOTSUPP) is tested by the host's parser_test, with the
 * property sets of smaller builds.  Here: the last two to arrive load.
 */
TEST_F(lifecycle, every_property_is_supported)
{
	char v[512];

	EXPECT_EQ(0, load_policy(HDR("t_a", TEST_VERSION)
				 "DEFAULT action=DENY\n"
				 "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE dmverity_roothash=sha256:%064d action=ALLOW\n", 0))
		TH_LOG("%s", status_get("last_policy_error", v, sizeof(v)));
	EXPECT_EQ(0, delete_policy("t_a"));
}

TEST_F(lifecycle, delete_active_refused_inactive_deleted)
{
	char v[512];

	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_a"));
	EXPECT_EQ(-EBUSY, delete_policy("t_a"));
	EXPECT_TRUE(exists("t_a", "policy"));
	EXPECT_STREQ("t_a", status_get("active_policy", v, sizeof(v)));

	ASSERT_EQ(0, activate("baseline"));
	EXPECT_EQ(0, delete_policy("t_a"));
	EXPECT_FALSE(exists("t_a", "policy"));
	EXPECT_EQ(-EINVAL, policy_write("baseline", "delete", "0"));
}

TEST_F(lifecycle, files_held_open_across_delete_are_enoent)
{
	char path[512], buf[64];
	int text_fd, active_fd;

	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	policy_path(path, sizeof(path), "t_a", "policy");
	text_fd = open(path, O_RDONLY);
	policy_path(path, sizeof(path), "t_a", "active");
	active_fd = open(path, O_RDWR);
	ASSERT_LE(0, text_fd);
	ASSERT_LE(0, active_fd);

	ASSERT_EQ(0, delete_policy("t_a"));
	EXPECT_EQ(-1, read(text_fd, buf, sizeof(buf)));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(-1, write(active_fd, "1", 1));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_STREQ("baseline", status_get("active_policy", buf, sizeof(buf)));

	/* The name is free again, and the old descriptors stay dead. */
	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=DENY\n"));
	EXPECT_EQ(-1, read(text_fd, buf, sizeof(buf)));
	EXPECT_EQ(ENOENT, errno);
	close(text_fd);
	close(active_fd);
}

TEST_F(lifecycle, activating_an_older_version_is_estale)
{
	char v[512];

	ASSERT_EQ(0, load_policy(HDR("t_old", "0.9.0") "DEFAULT action=DENY\n"));
	EXPECT_EQ(-ESTALE, activate("t_old"));
	EXPECT_STREQ("baseline", status_get("active_policy", v, sizeof(v)));
	EXPECT_NE(NULL, strstr(status_get("last_policy_error", v, sizeof(v)),
			       "'t_old' 0.9.0 is older than the active 'baseline' 1.0.0"))
		TH_LOG("%s", v);
}

TEST_F(lifecycle, swap_between_two_policies)
{
	char v[512];

	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, load_policy(HDR("t_b", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_a"));
	EXPECT_STREQ("t_a", status_get("active_policy", v, sizeof(v)));
	ASSERT_EQ(0, activate("t_b"));
	EXPECT_STREQ("t_b", status_get("active_policy", v, sizeof(v)));
	EXPECT_STREQ("0\n", policy_read("t_a", "active", v, sizeof(v)));
	EXPECT_STREQ("1\n", policy_read("t_b", "active", v, sizeof(v)));
	ASSERT_EQ(0, activate("t_a"));
	EXPECT_STREQ("t_a", status_get("active_policy", v, sizeof(v)));
	EXPECT_EQ(-EINVAL, policy_write("t_a", "active", "0"));
}

TEST_F(lifecycle, writes_without_cap_mac_admin_are_eperm)
{
	char v[512];

	ASSERT_EQ(0, load_policy(HDR("t_cap", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, drop_mac_admin());

	EXPECT_EQ(-EPERM, load_policy(HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	EXPECT_EQ(-EPERM, activate("t_cap"));
	EXPECT_EQ(-EPERM, delete_policy("t_cap"));
	EXPECT_EQ(-EPERM, set_enforce(0));
	EXPECT_EQ(-EPERM, write_str(SFS "/success_audit", "1"));

	EXPECT_FALSE(exists("t_a", "policy"));
	EXPECT_TRUE(exists("t_cap", "policy"));
	EXPECT_STREQ("baseline", status_get("active_policy", v, sizeof(v)));
	EXPECT_STREQ("enforce", status_get("mode", v, sizeof(v)));
}

TEST_F(lifecycle, policy_must_arrive_in_one_write)
{
	static const char text[] = HDR("t_a", TEST_VERSION) "DEFAULT action=ALLOW\n";
	int fd = open(SFS "/new_policy", O_WRONLY);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, pwrite(fd, text, sizeof(text) - 1, 10));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
	EXPECT_FALSE(exists("t_a", "policy"));
}

/* The memory budget: a sha256 digest rule costs at most 96 bytes. */
TEST_F(lifecycle, memory_per_rule_is_reported)
{
	ASSERT_EQ(0, load_policy(HDR("t_a", TEST_VERSION)
				 "DEFAULT action=DENY\n"
				 "op=EXECUTE fsverity_digest=sha256:%064x action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%064x action=ALLOW\n",
				 1, 2));
	ASSERT_EQ(0, activate("t_a"));
	EXPECT_EQ(2, status_num("active_rules"));
	EXPECT_EQ(status_num("active_rule_bytes") / 2, status_num("active_bytes_per_rule"));
	EXPECT_LE(32, status_num("active_bytes_per_rule"));
	EXPECT_GE(96, status_num("active_bytes_per_rule"));
	EXPECT_LT(status_num("active_rule_bytes") + status_num("active_text_bytes"),
		  status_num("active_policy_bytes"));
	EXPECT_LE(status_num("active_policy_bytes"), status_num("policies_bytes"));
}

TEST_HARNESS_MAIN
