// SPDX-License-Identifier: GPL-2.0-only
/*
 * Audit records: each test registers itself as the audit daemon, makes
 * sigil decide or change something, and checks the record's type and
 * fields; nothing is recorded while auditing is disabled.  The keyring
 * lock's record is checked in keyring_lock_test, where the lock happens.
 */

#include "audit.h"
#include "kselftest_harness.h"

#define ALLOWED		DISK "/audit_allowed"	/* digest in the policy */
#define UNLISTED	DISK "/audit_unlisted"	/* fs-verity, not listed */
/* A name that would forge fields if it were not encoded. */
#define HOSTILE		DISK "/audit \"x\" res=1"

#define HDR(name, ver) "policy_name=" name " policy_version=" ver "\n"

/* Line 3 is the EXECUTE default, line 5 the digest rule. */
#define EXEC_DEFAULT	"DEFAULT op=EXECUTE action=DENY"
#define DIGEST_RULE	"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW"

FIXTURE(audit) {
	struct audit_daemon ad;
	char digest[65];
};

FIXTURE_SETUP(audit)
{
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	ASSERT_EQ(0, make_prog(ALLOWED, "audit-allowed", 1));
	ASSERT_EQ(0, make_prog(UNLISTED, "audit-unlisted", 1));
	ASSERT_EQ(0, verity_digest(ALLOWED, self->digest));
	ASSERT_EQ(0, load_policy(HDR("t_audit", TEST_VERSION)
				 "DEFAULT action=ALLOW\n"
				 EXEC_DEFAULT "\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 DIGEST_RULE "\n", self->digest));
	ASSERT_EQ(0, activate("t_audit"));
	/* Last, so that the set-up leaves no records. */
	ASSERT_EQ(0, audit_register(&self->ad));
}

FIXTURE_TEARDOWN(audit)
{
	static const char *const names[] = { "t_audit", "t_audit2", "t_old" };
	size_t i;

	audit_unregister(&self->ad);
	write_str(SFS "/success_audit", "0");
	restore_baseline();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		delete_policy(names[i]);
}

TEST_F(audit, denial_is_recorded_with_every_field)
{
	char want[512], hex[256];
	const char *r;
	struct stat st;

	ASSERT_EQ(0, stat(UNLISTED, &st));
	ASSERT_EQ(-EACCES, run(UNLISTED));
	ASSERT_LE(1, audit_collect(&self->ad));
	EXPECT_EQ(1, audit_count(&self->ad, AUDIT_INTEGRITY_DATA));
	r = audit_find(&self->ad, AUDIT_INTEGRITY_DATA,
		       "): lsm=sigil decision=DENY enforcing=1 op=EXECUTE sigil_hook=BPRM_CHECK pid=");
	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	snprintf(want, sizeof(want),
		 " comm=\"audit_test\" path=\"" UNLISTED "\" dev=\"vda\" ino=%lu policy=\"t_audit\" version=" TEST_VERSION " line=3 rule=%s res=0",
		 (unsigned long)st.st_ino, audit_hex(EXEC_DEFAULT, hex, sizeof(hex)));
	EXPECT_TRUE(audit_ends_with(r, want)) TH_LOG("want ...%s", want);
}

TEST_F(audit, allow_is_recorded_only_with_success_audit)
{
	char want[600], rule[256], hex[512];
	const char *r;

	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	ASSERT_EQ(PROG_EXIT, run(ALLOWED));
	ASSERT_LE(2, audit_collect(&self->ad));
	r = audit_find(&self->ad, AUDIT_MAC_CONFIG_CHANGE, "lsm=sigil bool=success_audit");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil bool=success_audit val=1 old_val=0 pid="));
	EXPECT_TRUE(audit_ends_with(r, " res=1")) TH_LOG("%s", r);

	r = audit_find(&self->ad, AUDIT_INTEGRITY_DATA, "sigil_hook=BPRM_CHECK");
	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil decision=ALLOW enforcing=1 op=EXECUTE sigil_hook=BPRM_CHECK pid="));
	snprintf(rule, sizeof(rule), DIGEST_RULE, self->digest);
	snprintf(want, sizeof(want), " path=\"" ALLOWED "\" dev=\"vda\" ino=");
	EXPECT_NE(NULL, strstr(r, want));
	snprintf(want, sizeof(want), " line=5 rule=%s res=1",
		 audit_hex(rule, hex, sizeof(hex)));
	EXPECT_TRUE(audit_ends_with(r, want)) TH_LOG("want ...%s", want);

	/* Turned off: the switch is recorded, the allow is not. */
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	ASSERT_EQ(PROG_EXIT, run(ALLOWED));
	ASSERT_LE(0, audit_collect(&self->ad));
	EXPECT_EQ(0, audit_count(&self->ad, AUDIT_INTEGRITY_DATA));
	EXPECT_NE(NULL, audit_find(&self->ad, AUDIT_MAC_CONFIG_CHANGE,
				   "lsm=sigil bool=success_audit val=0 old_val=1 "));
}

TEST_F(audit, enforce_changes_and_permissive_denials)
{
	const char *r;

	ASSERT_EQ(0, set_enforce(0));
	ASSERT_EQ(PROG_EXIT, run(UNLISTED));
	ASSERT_EQ(0, set_enforce(0));	/* no change, no record */
	ASSERT_EQ(0, set_enforce(1));
	ASSERT_LE(3, audit_collect(&self->ad));

	EXPECT_EQ(2, audit_count(&self->ad, AUDIT_MAC_STATUS));
	r = audit_find(&self->ad, AUDIT_MAC_STATUS, "enforcing=0");
	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil enforcing=0 old_enforcing=1 enabled=1 old-enabled=1 pid="));
	EXPECT_NE(NULL, strstr(r, " comm=\"audit_test\" auid="));
	EXPECT_TRUE(audit_ends_with(r, " res=1"));
	EXPECT_NE(NULL, audit_find(&self->ad, AUDIT_MAC_STATUS,
				   "): lsm=sigil enforcing=1 old_enforcing=0 "));

	/* Denied by the policy, let through: res=1. */
	r = audit_find(&self->ad, AUDIT_INTEGRITY_DATA, "sigil_hook=BPRM_CHECK");
	ASSERT_NE(NULL, r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil decision=DENY enforcing=0 op=EXECUTE "));
	EXPECT_TRUE(audit_ends_with(r, " res=1")) TH_LOG("%s", r);
}

TEST_F(audit, load_activate_delete_are_recorded)
{
	const char *r;

	ASSERT_EQ(0, load_policy(HDR("t_audit2", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_audit2"));
	ASSERT_EQ(0, activate("t_audit"));
	ASSERT_EQ(0, delete_policy("t_audit2"));
	ASSERT_EQ(4, audit_collect(&self->ad));
	EXPECT_EQ(4, audit_count(&self->ad, AUDIT_MAC_POLICY_LOAD));

	r = self->ad.rec[0].text;
	TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, "): lsm=sigil op=load policy=\"t_audit2\" version=" TEST_VERSION " signer=\"unsigned\" pid="));
	EXPECT_NE(NULL, strstr(r, " comm=\"audit_test\" auid="));
	EXPECT_TRUE(audit_ends_with(r, " res=1"));
	EXPECT_EQ(NULL, strstr(r, " error="));
	EXPECT_NE(NULL, strstr(self->ad.rec[1].text,
			       "): lsm=sigil op=activate policy=\"t_audit2\" version=" TEST_VERSION " "));
	EXPECT_TRUE(audit_ends_with(self->ad.rec[1].text, " res=1"));
	EXPECT_NE(NULL, strstr(self->ad.rec[2].text,
			       "): lsm=sigil op=activate policy=\"t_audit\" "));
	EXPECT_NE(NULL, strstr(self->ad.rec[3].text,
			       "): lsm=sigil op=delete policy=\"t_audit2\" version=" TEST_VERSION " "));
	EXPECT_TRUE(audit_ends_with(self->ad.rec[3].text, " res=1"));
}

/* A failure carries the errno, and the message that status shows. */
static void expect_failure(struct __test_metadata *_metadata,
			   const char *r, const char *head, int err)
{
	char msg[512], hex[1024], want[1100];

	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	EXPECT_NE(NULL, strstr(r, head));
	status_get("last_policy_error", msg, sizeof(msg));
	snprintf(want, sizeof(want), " error=%d reason=%s res=0", err,
		 audit_hex(msg, hex, sizeof(hex)));
	EXPECT_TRUE(audit_ends_with(r, want)) TH_LOG("want ...%s", want);
}

TEST_F(audit, failed_load_has_errno_and_message)
{
	ASSERT_EQ(-EBADMSG, load_policy(HDR("t_bad", TEST_VERSION)
					"DEFAULT action=DENY\n"
					"op=EXECUTE bogus=1 action=ALLOW\n"));
	ASSERT_EQ(1, audit_collect(&self->ad));
	expect_failure(_metadata, audit_find(&self->ad, AUDIT_MAC_POLICY_LOAD, "op=load"),
		       "): lsm=sigil op=load policy=? version=? signer=? pid=", -EBADMSG);

	ASSERT_EQ(-EEXIST, load_policy(HDR("t_audit", TEST_VERSION) "DEFAULT action=DENY\n"));
	ASSERT_EQ(1, audit_collect(&self->ad));
	expect_failure(_metadata, audit_find(&self->ad, AUDIT_MAC_POLICY_LOAD, "op=load"),
		       "): lsm=sigil op=load policy=\"t_audit\" version=" TEST_VERSION " ",
		       -EEXIST);
}

TEST_F(audit, refused_activation_and_deletion_are_recorded)
{
	ASSERT_EQ(0, load_policy(HDR("t_old", "0.9.0") "DEFAULT action=DENY\n"));
	ASSERT_EQ(-ESTALE, activate("t_old"));
	ASSERT_EQ(2, audit_collect(&self->ad));
	expect_failure(_metadata, audit_find(&self->ad, AUDIT_MAC_POLICY_LOAD, "op=activate"),
		       "): lsm=sigil op=activate policy=\"t_old\" version=0.9.0 ", -ESTALE);

	ASSERT_EQ(-EBUSY, delete_policy("t_audit"));
	ASSERT_EQ(1, audit_collect(&self->ad));
	expect_failure(_metadata, audit_find(&self->ad, AUDIT_MAC_POLICY_LOAD, "op=delete"),
		       "): lsm=sigil op=delete policy=\"t_audit\" ", -EBUSY);
}

/* Quotes, spaces and '=' in a path are hex-encoded: no forged field. */
TEST_F(audit, hostile_path_cannot_forge_fields)
{
	char want[512], hex[256];
	const char *r;

	ASSERT_EQ(0, make_prog(HOSTILE, "audit-hostile", 1));
	ASSERT_EQ(-EACCES, run(HOSTILE));
	ASSERT_LE(1, audit_collect(&self->ad));
	r = audit_find(&self->ad, AUDIT_INTEGRITY_DATA, "decision=DENY");
	ASSERT_NE(NULL, r);
	TH_LOG("%s", r);
	snprintf(want, sizeof(want), " path=%s dev=", audit_hex(HOSTILE, hex, sizeof(hex)));
	EXPECT_NE(NULL, strstr(r, want));
	EXPECT_EQ(NULL, strstr(r, "res=1"));
	EXPECT_TRUE(audit_ends_with(r, " res=0"));
	unlink(HOSTILE);
}

/* Without auditing, sigil/log still has the decision; audit gets nothing. */
TEST_F(audit, nothing_is_recorded_while_auditing_is_disabled)
{
	char line[1024];

	ASSERT_EQ(0, audit_set_enabled(&self->ad, 0));
	ASSERT_EQ(-EACCES, run(UNLISTED));
	ASSERT_EQ(0, set_enforce(0));
	ASSERT_EQ(0, set_enforce(1));
	ASSERT_EQ(0, load_policy(HDR("t_audit2", TEST_VERSION) "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, delete_policy("t_audit2"));
	EXPECT_EQ(0, audit_collect(&self->ad));
	EXPECT_NE(NULL, strstr(last_log_line(line, sizeof(line)),
			       " action=DENY enforce=1 op=EXECUTE hook=BPRM_CHECK "));
	EXPECT_NE(NULL, strstr(line, " path=\"" UNLISTED "\" "));
}

TEST_HARNESS_MAIN
