// SPDX-License-Identifier: GPL-2.0-only
/*
 * Updating the active policy with a signed one, and refusing rollback.
 * Both raise the lowest version that can be activated until reboot, so
 * this runs after the other tests (run-check runs *_lock_test last).
 */

#include "common.h"
#include "kselftest_harness.h"

#define FIX	"/policies"

static int write_whole(const char *src, const char *target)
{
	size_t len;
	void *buf = slurp(src, &len);
	int rc;

	if (!buf)
		return -ENOENT;
	rc = write_file(target, buf, len);
	free(buf);
	return rc;
}

TEST(update_of_the_active_policy_is_enforced_and_rollback_refused)
{
	char buf[256], path[256];

	/* signed_policy_test added the signing keys to .sigil. */
	restore_baseline();
	delete_policy("signed");
	delete_policy("low");
	ASSERT_EQ(0, write_whole(FIX "/v1.gpg", SFS "/new_policy"));
	ASSERT_EQ(0, activate("signed"));
	EXPECT_STREQ("1.0.0", status_get("active_version", buf, sizeof(buf)));

	/* The update takes the active policy's place in one switch. */
	policy_path(path, sizeof(path), "signed", "update");
	ASSERT_EQ(0, write_whole(FIX "/v2.p7d", path));
	EXPECT_STREQ("signed", status_get("active_policy", buf, sizeof(buf)));
	EXPECT_STREQ("1.1.0", status_get("active_version", buf, sizeof(buf)));
	EXPECT_STREQ("1", policy_line("signed", "active", buf, sizeof(buf)));

	/* Replaying v1, as an update or as a new policy to activate: no. */
	EXPECT_EQ(-ESTALE, write_whole(FIX "/v1.p7", path));
	ASSERT_EQ(0, write_whole(FIX "/low.gpg", SFS "/new_policy"));
	EXPECT_EQ(-ESTALE, activate("low"));
	EXPECT_EQ(-ESTALE, activate("baseline"));
	EXPECT_STREQ("1.1.0", status_get("active_version", buf, sizeof(buf)));
	/* The active policy cannot be deleted; the inactive one can. */
	EXPECT_EQ(-EBUSY, delete_policy("signed"));
	EXPECT_EQ(0, delete_policy("low"));
}

TEST_HARNESS_MAIN
