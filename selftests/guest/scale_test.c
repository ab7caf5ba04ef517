// SPDX-License-Identifier: GPL-2.0-only
/*
 * Large digest policies in the kernel: a policy of 1, 1,000 and 100,000
 * fs-verity digest rules, where the executed file's digest is the *last*
 * rule, decides by that rule, through the hash index, and costs at most 96
 * bytes per rule.  A digest rule after a rule that already matched loses,
 * as in a policy checked rule by rule.  (Speed is make bench's job.)
 */

#include "common.h"
#include "kselftest_harness.h"

#define DIR_	DISK "/scale"
#define LISTED	DIR_ "/listed"
#define OTHER	DIR_ "/other"

/* A policy of @n digest rules; the last is @hex, with @action. */
static char *digest_policy(unsigned int n, const char *hex, const char *head,
			   const char *action)
{
	size_t size = 256 + strlen(head) + (size_t)n * 128, off;
	char *text = malloc(size);
	unsigned int k;

	off = sprintf(text, "policy_name=t_scale policy_version=" TEST_VERSION
		      "\nDEFAULT action=ALLOW\n%s", head);
	for (k = 1; k < n; k++)
		off += sprintf(text + off,
			       "op=EXECUTE fsverity_digest=sha256:%064x action=ALLOW\n", k);
	off += sprintf(text + off, "op=EXECUTE fsverity_digest=sha256:%s action=%s\n",
		       hex, action);
	return text;
}

FIXTURE(scale) {
	char hex[65];
};

FIXTURE_SETUP(scale)
{
	mkdir(DIR_, 0755);
	ASSERT_EQ(0, make_prog(LISTED, "listed", 1));
	ASSERT_EQ(0, make_prog(OTHER, "other", 1));
	ASSERT_EQ(0, verity_digest(LISTED, self->hex));
	ASSERT_EQ(0, restore_baseline());
}

FIXTURE_TEARDOWN(scale)
{
	drop_policy("t_scale");
}

FIXTURE_VARIANT(scale) {
	unsigned int rules;
};

FIXTURE_VARIANT_ADD(scale, one) { .rules = 1 };
FIXTURE_VARIANT_ADD(scale, thousand) { .rules = 1000 };
FIXTURE_VARIANT_ADD(scale, hundred_thousand) { .rules = 100000 };

TEST_F(scale, last_rule_decides_through_the_index)
{
	char *text = digest_policy(variant->rules, self->hex, "", "DENY");
	char line[1024], want[64];
	long long per_rule;

	ASSERT_EQ(0, write_str(SFS "/new_policy", text));
	ASSERT_EQ(0, activate("t_scale"));
	EXPECT_EQ(variant->rules, status_num("active_rules"));
	/* Runs of fewer than 8 digest rules are checked one by one. */
	EXPECT_EQ(variant->rules >= 8 ? variant->rules : 0,
		  status_num("active_indexed_rules"));
	per_rule = status_num("active_bytes_per_rule");
	EXPECT_GE(96, per_rule);
	TH_LOG("%u rules: %lld bytes per rule", variant->rules, per_rule);

	EXPECT_EQ(-EACCES, run(LISTED));
	last_log_line(line, sizeof(line));
	snprintf(want, sizeof(want), " line=%u ", variant->rules + 2);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s", line);
	EXPECT_EQ(PROG_EXIT, run(OTHER));
	free(text);
}

/* First match wins over the index: an earlier rule decides. */
TEST_F(scale, earlier_rule_wins_over_indexed_digest)
{
	char *text = digest_policy(variant->rules, self->hex,
				   "op=EXECUTE boot_verified=FALSE action=ALLOW\n",
				   "DENY");

	ASSERT_EQ(0, write_str(SFS "/new_policy", text));
	ASSERT_EQ(0, activate("t_scale"));
	EXPECT_EQ(PROG_EXIT, run(LISTED));
	free(text);
}

TEST_HARNESS_MAIN
