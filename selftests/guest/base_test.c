// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigil's user-visible ABI: the securityfs layout, the status keys, the
 * LSM ID and the mode switches.  A change here is a change of ABI.
 */

#include <sys/syscall.h>

#include "common.h"
#include "kselftest_harness.h"

#ifndef __NR_lsm_list_modules
#define __NR_lsm_list_modules 461
#endif
#define LSM_ID_SIGIL 190

TEST(securityfs_layout)
{
	static const struct {
		const char *path;
		mode_t mode;
	} files[] = {
		{ SFS "/enforce", S_IFREG | 0600 },
		{ SFS "/success_audit", S_IFREG | 0600 },
		{ SFS "/new_policy", S_IFREG | 0200 },
		{ SFS "/status", S_IFREG | 0444 },
		{ SFS "/log", S_IFREG | 0400 },
		{ SFS "/keyring_locked", S_IFREG | 0600 },
		{ SFS "/keyring_remove", S_IFREG | 0200 },
		{ SFS "/explain", S_IFREG | 0600 },
		{ SFS "/policies", S_IFDIR | 0755 },
	};
	struct stat st;
	size_t i;

	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		ASSERT_EQ(0, stat(files[i].path, &st)) TH_LOG("%s", files[i].path);
		EXPECT_EQ(files[i].mode, st.st_mode) TH_LOG("%s", files[i].path);
	}
}

TEST(status_keys)
{
	static const char *const keys[] = {
		"abi", "mode", "success_audit", "active_policy",
		"policies_loaded", "policies_bytes", "policies_rules",
		"policies_bytes_per_rule", "allowed", "denied",
		"permissive_denials", "errors", "policy_errors",
		"last_policy_error", "keyring_keys", "keyring_locked",
		"inode_blob_bytes", "file_blob_bytes", "task_blob_bytes",
	};
	char v[256];
	size_t i;

	EXPECT_STREQ("1", status_get("abi", v, sizeof(v)));
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		EXPECT_NE(0, strlen(status_get(keys[i], v, sizeof(v))))
			TH_LOG("status has no '%s'", keys[i]);
}

TEST(lsm_is_listed_with_its_id)
{
	unsigned long long ids[32];
	unsigned int size = sizeof(ids), i;
	char lsms[256];
	long n;

	ASSERT_LT(0, read_file("/sys/kernel/security/lsm", lsms, sizeof(lsms)));
	EXPECT_NE(NULL, strstr(lsms, "sigil")) TH_LOG("lsm list: %s", lsms);

	n = syscall(__NR_lsm_list_modules, ids, &size, 0);
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++)
		if (ids[i] == LSM_ID_SIGIL)
			break;
	EXPECT_LT(i, n) TH_LOG("LSM ID %d not listed", LSM_ID_SIGIL);
}

TEST(enforce_switch)
{
	char v[16];

	ASSERT_EQ(0, set_enforce(0));
	EXPECT_EQ(2, read_file(SFS "/enforce", v, sizeof(v)));
	EXPECT_STREQ("0\n", v);
	EXPECT_STREQ("permissive", status_get("mode", v, sizeof(v)));
	ASSERT_EQ(0, set_enforce(1));
	read_file(SFS "/enforce", v, sizeof(v));
	EXPECT_STREQ("1\n", v);
	EXPECT_STREQ("enforce", status_get("mode", v, sizeof(v)));
	EXPECT_EQ(-EINVAL, write_str(SFS "/enforce", "maybe"));
}

TEST(success_audit_switch)
{
	char v[16];

	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	EXPECT_STREQ("1", status_get("success_audit", v, sizeof(v)));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	read_file(SFS "/success_audit", v, sizeof(v));
	EXPECT_STREQ("0\n", v);
}

TEST_HARNESS_MAIN
