// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl key lock.  The lock lasts until reboot, so this suite runs with
 * the other *_lock_test suites, after every other one (selftests/run-check);
 * keyring_lock_test, which sorts before it, may have locked .sigil already.
 */

#include "sigilctl.h"
#include "kselftest_harness.h"

TEST(key_lock_locks_sigil_until_reboot)
{
	long long before = status_num("keyring_locked");
	long long keys = status_num("keyring_keys");
	const char *late = ctl_fix_id("LATE_SKID");
	char v[16], id[96];

	ASSERT_NE(0, strlen(late));
	snprintf(id, sizeof(id), "id:%s", late);
	TH_LOG(".sigil was %s before this suite", before ? "locked" : "unlocked");

	/* Not without CAP_MAC_ADMIN: exit status 3, nothing changed. */
	EXPECT_EQ(3, ctl_as(true, "key lock"));
	EXPECT_NE(NULL, strstr(r.err, "keyring_locked: Operation not permitted"));
	EXPECT_EQ(before, status_num("keyring_locked"));

	EXPECT_EQ(0, ctl("key lock"));
	EXPECT_STREQ(".sigil is locked until reboot\n", r.out);
	EXPECT_EQ(2, read_file(SFS "/keyring_locked", v, sizeof(v)));
	EXPECT_STREQ("1\n", v);
	EXPECT_EQ(0, ctl("--json status"));
	ASSERT_TRUE(json_doc(r.out));
	EXPECT_EQ(1, atoi(json_get(r.out, "keyring_locked")));

	/* Locked: a new key is refused, as not allowed, and nothing changes. */
	EXPECT_EQ(3, ctl("key add " CTL_FIX "/keys/late.pem"));
	TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "refused by .sigil: Operation not permitted"));
	EXPECT_NE(NULL, strstr(r.out, "0 loaded, 1 refused"));
	EXPECT_GT(0, search(sigil_keyring_id(), id));
	EXPECT_EQ(keys, status_num("keyring_keys"));

	/* Locking again changes nothing and succeeds. */
	EXPECT_EQ(0, ctl("key lock"));
	EXPECT_EQ(1, status_num("keyring_locked"));
}

/*
 * What key lock writes, seen in a stand-in for securityfs: in the full
 * suite, keyring_lock_test has locked .sigil before this runs.
 */
TEST(key_lock_writes_1_to_keyring_locked)
{
	char v[16];

	ASSERT_EQ(0, system("mkdir -p /tmp/sfs && echo 'keyring_locked: 0' > /tmp/sfs/status && "
			    ": > /tmp/sfs/keyring_locked"));
	EXPECT_EQ(0, system("SIGIL_SECURITYFS=/tmp/sfs " CTL " key lock >/dev/null"));
	EXPECT_EQ(1, read_file("/tmp/sfs/keyring_locked", v, sizeof(v)));
	EXPECT_STREQ("1", v);
	/* It takes no arguments. */
	EXPECT_EQ(2, ctl("key lock now"));
}

TEST_HARNESS_MAIN
