// SPDX-License-Identifier: GPL-2.0-only
/*
 * Locking .sigil.  The lock lasts until reboot, so this suite runs after
 * every other one (selftests/run-check orders it last).
 */

#include "audit.h"
#include "kselftest_harness.h"

#define BUILTIN_PGP_KEYID	"2D06BF8E276E5749"

TEST(lock_refuses_every_later_change_and_keeps_the_keys)
{
	long ring = sigil_keyring_id(), added, builtin, before;
	struct audit_daemon ad;
	const char *r;
	char v[16];
	size_t len;
	void *x509 = slurp("/keys/x509.der", &len);

	ASSERT_NE(0, ring);
	ASSERT_NE(NULL, x509);
	/* A key added before the lock stays after it. */
	added = syscall(SYS_add_key, "asymmetric", "", x509, len, ring);
	ASSERT_LT(0, added);
	builtin = keyctl(KEYCTL_SEARCH, ring, (long)"asymmetric",
			 (long)"id:" BUILTIN_PGP_KEYID, 0);
	ASSERT_LT(0, builtin);
	before = status_num("keyring_keys");

	ASSERT_EQ(0, audit_register(&ad));
	ASSERT_EQ(0, write_str(SFS "/keyring_locked", "1"));
	/* Audited once, as a switch that went from 0 to 1. */
	ASSERT_EQ(0, write_str(SFS "/keyring_locked", "1"));
	EXPECT_EQ(1, audit_collect(&ad));
	r = audit_find(&ad, AUDIT_MAC_CONFIG_CHANGE, "bool=keyring_locked");
	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil bool=keyring_locked val=1 old_val=0 pid="));
	EXPECT_NE(NULL, strstr(r, " comm=\"keyring_lock_te\" auid="));
	EXPECT_TRUE(audit_ends_with(r, " res=1"));
	audit_unregister(&ad);

	EXPECT_EQ(2, read_file(SFS "/keyring_locked", v, sizeof(v)));
	EXPECT_STREQ("1\n", v);
	EXPECT_EQ(1, status_num("keyring_locked"));

	EXPECT_EQ(-EPERM, keyring_remove(BUILTIN_PGP_KEYID));
	EXPECT_EQ(-1, keyctl(KEYCTL_UNLINK, added, ring, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_CLEAR, ring, 0, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, syscall(SYS_add_key, "asymmetric", "", x509, len, ring));
	EXPECT_EQ(EPERM, errno);
	EXPECT_NE(0, system("keyctl padd asymmetric '' %keyring:.sigil "
			    "< /keys/gpg-rsa2048.pgp 2>/dev/null"));

	/* Everything that was there still is. */
	EXPECT_EQ(before, status_num("keyring_keys"));
	EXPECT_EQ(builtin, keyctl(KEYCTL_SEARCH, ring, (long)"asymmetric",
				  (long)"id:" BUILTIN_PGP_KEYID, 0));
	EXPECT_EQ(0, keyctl(KEYCTL_DESCRIBE, added, (long)v, sizeof(v), 0) < 0);

	/* There is no unlocking. */
	EXPECT_EQ(-EPERM, write_str(SFS "/keyring_locked", "0"));
	EXPECT_EQ(1, status_num("keyring_locked"));
	free(x509);
}

TEST_HARNESS_MAIN
