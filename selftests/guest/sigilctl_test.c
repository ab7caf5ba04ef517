// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl in the guest, as an administrator runs it: key add and list,
 * every policy command on policies that "sigilctl policy sign" signed on
 * the host (selftests/fixtures/sigilctl-fixtures, at /sigilctl), gpg's
 * compressed and armored messages, status, and the log, followed.  --json
 * output is parsed.  key lock is in sigilctl_lock_test, which runs last.
 */

#include <poll.h>
#include <signal.h>

#include "sigilctl.h"
#include "kselftest_harness.h"

#define POL	CTL_FIX "/policies"
#define KEYS	CTL_FIX "/keys"

static long key_by_id(const char *ring_name, const char *id)
{
	char want[96];

	snprintf(want, sizeof(want), "id:%s", id);
	return search(keyring_id(ring_name), want);
}

/*
 * Is key @serial linked in keyring @ring_name?  Read, not searched: a
 * process that does not possess a key in .fs-verity may not search for it.
 */
static bool in_keyring(const char *ring_name, long serial)
{
	int32_t ids[256];
	long n = keyctl(KEYCTL_READ, keyring_id(ring_name), (long)ids, sizeof(ids), 0);
	long i;

	for (i = 0; i < n / 4 && i < 256; i++)
		if (ids[i] == serial)
			return true;
	return false;
}

/* The contents of @path, trailing newlines dropped. */
static const char *text_of(const char *path)
{
	static char buf[8192];
	ssize_t n = read_file(path, buf, sizeof(buf));

	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return buf;
}

static const char *policy_value(const char *name, const char *file)
{
	static char buf[256];
	char path[256];

	policy_path(path, sizeof(path), name, file);
	snprintf(buf, sizeof(buf), "%.255s", text_of(path));
	return buf;
}

/* An unsigned policy, ctlplain 1.0.0, in /tmp/ctlplain.pol. */
static int write_plain_policy(void)
{
	static const char text[] = "policy_name=ctlplain policy_version=1.0.0\n"
				   "DEFAULT action=ALLOW\n";
	int fd = open("/tmp/ctlplain.pol", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc;

	if (fd < 0)
		return -errno;
	rc = write(fd, text, sizeof(text) - 1) == sizeof(text) - 1 ? 0 : -EIO;
	close(fd);
	return rc;
}

/* ---- key add, key list ---- */

TEST(key_add_openpgp_keyring_adds_each_key_by_fingerprint)
{
	const char *a = ctl_fix_id("CTL_A_FPR"), *b = ctl_fix_id("CTL_B_FPR"), *e;
	char line[256];

	ASSERT_EQ(40, strlen(a));
	ASSERT_EQ(40, strlen(b));

	/* Armored: both keys, each on its own line, found in .sigil by ID. */
	ASSERT_EQ(0, ctl("key add " KEYS "/two.asc"));
	TH_LOG("%s", r.out);
	snprintf(line, sizeof(line), KEYS "/two.asc: openpgp %s -> .sigil (key ", a);
	EXPECT_NE(NULL, strstr(r.out, line));
	snprintf(line, sizeof(line), KEYS "/two.asc: openpgp %s -> .sigil (key ", b);
	EXPECT_NE(NULL, strstr(r.out, line));
	EXPECT_NE(NULL, strstr(r.out, "\n2 loaded, 0 refused\n"));
	EXPECT_LT(0, key_by_id(".sigil", a));
	EXPECT_LT(0, key_by_id(".sigil", b));
	EXPECT_EQ(0, keyring_remove(a));
	EXPECT_EQ(0, keyring_remove(b));
	EXPECT_GT(0, key_by_id(".sigil", a));

	/* Binary, --json: one object per key, with the serial the kernel gave. */
	ASSERT_EQ(0, ctl("--json key add " KEYS "/two.pgp"));
	ASSERT_TRUE(json_doc(r.out));
	ASSERT_EQ(2, json_len(r.out));
	e = json_find(r.out, "id", a);
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is(json_get(e, "type"), "openpgp"));
	EXPECT_TRUE(json_is(json_get(e, "keyring"), ".sigil"));
	EXPECT_EQ(0, strncmp(json_get(e, "loaded"), "true", 4));
	EXPECT_EQ(key_by_id(".sigil", a), atol(json_get(e, "serial")));
	e = json_find(r.out, "id", b);
	ASSERT_NE(NULL, e);
	EXPECT_EQ(key_by_id(".sigil", b), atol(json_get(e, "serial")));
	EXPECT_EQ(0, keyring_remove(a));
	EXPECT_EQ(0, keyring_remove(b));
}

TEST(key_add_x509_pem_der_and_also_fsverity)
{
	const char *rsa = ctl_fix_id("RSA_SKID"), *ec = ctl_fix_id("EC_SKID");
	const char *der = ctl_fix_id("DER_SKID"), *fsv = ctl_fix_id("FSV_SKID"), *e;
	char line[256];

	ASSERT_NE(0, strlen(rsa));
	/* PEM with two certificates. */
	ASSERT_EQ(0, ctl("key add " KEYS "/two.pem"));
	TH_LOG("%s", r.out);
	snprintf(line, sizeof(line), "two.pem: x509 skid:%s -> .sigil (key ", rsa);
	EXPECT_NE(NULL, strstr(r.out, line));
	snprintf(line, sizeof(line), "two.pem: x509 skid:%s -> .sigil (key ", ec);
	EXPECT_NE(NULL, strstr(r.out, line));
	EXPECT_NE(NULL, strstr(r.out, "\n2 loaded, 0 refused\n"));
	EXPECT_LT(0, key_by_id(".sigil", rsa));
	EXPECT_LT(0, key_by_id(".sigil", ec));

	/* DER. */
	ASSERT_EQ(0, ctl("key add " KEYS "/one.der"));
	snprintf(line, sizeof(line), "one.der: x509 skid:%s -> .sigil (key ", der);
	EXPECT_NE(NULL, strstr(r.out, line));
	EXPECT_LT(0, key_by_id(".sigil", der));

	/* --also-fsverity: the same certificate in both keyrings. */
	ASSERT_EQ(0, ctl("--json key add --also-fsverity " KEYS "/fsv.pem"));
	TH_LOG("%s", r.out);
	ASSERT_TRUE(json_doc(r.out));
	ASSERT_EQ(2, json_len(r.out));
	e = json_find(r.out, "keyring", ".sigil");
	ASSERT_NE(NULL, e);
	EXPECT_EQ(key_by_id(".sigil", fsv), atol(json_get(e, "serial")));
	e = json_find(r.out, "keyring", ".fs-verity");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is(json_get(e, "id"), strcat(strcpy(line, "skid:"), fsv)));
	EXPECT_TRUE(in_keyring(".fs-verity", atol(json_get(e, "serial"))));
	EXPECT_EQ(0, keyctl(KEYCTL_UNLINK, atol(json_get(e, "serial")),
			    keyring_id(".fs-verity"), 0, 0));

	/* Something that is no key at all. */
	EXPECT_EQ(1, ctl("key add " POL "/bad.pol"));
	EXPECT_NE(NULL, strstr(r.out, "0 loaded, 1 refused"));

	EXPECT_EQ(0, keyring_remove(rsa));
	EXPECT_EQ(0, keyring_remove(ec));
	EXPECT_EQ(0, keyring_remove(der));
	EXPECT_EQ(0, keyring_remove(fsv));
}

TEST(key_list_shows_the_keys_added)
{
	const char *rsa = ctl_fix_id("RSA_SKID"), *ec = ctl_fix_id("EC_SKID"), *e;
	long s1, s2;
	char want[32];

	ASSERT_EQ(0, ctl("--json key add " KEYS "/two.pem"));
	ASSERT_EQ(2, json_len(r.out));
	s1 = atol(json_get(json_at(r.out, 0), "serial"));
	s2 = atol(json_get(json_at(r.out, 1), "serial"));
	ASSERT_LT(0, s1);
	ASSERT_LT(0, s2);

	ASSERT_EQ(0, ctl("key list"));
	TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "%-10ld ", s1);
	EXPECT_NE(NULL, strstr(r.out, want));
	snprintf(want, sizeof(want), "%-10ld ", s2);
	EXPECT_NE(NULL, strstr(r.out, want));

	ASSERT_EQ(0, ctl("--json key list"));
	ASSERT_TRUE(json_doc(r.out));
	/* Every key in .sigil, the compiled-in ones included. */
	EXPECT_EQ(status_num("keyring_keys"), json_len(r.out));
	for (int i = 0; (e = json_at(r.out, i)); i++) {
		long serial = atol(json_get(e, "serial"));
		char desc[256];

		json_str(json_get(e, "description"), desc, sizeof(desc));
		EXPECT_NE(0, strlen(desc));
		if (serial == s1)
			s1 = 0;
		else if (serial == s2)
			s2 = 0;
	}
	EXPECT_EQ(0, s1);
	EXPECT_EQ(0, s2);
	EXPECT_EQ(0, keyring_remove(rsa));
	EXPECT_EQ(0, keyring_remove(ec));
}

/* ---- policy commands ---- */

TEST(policy_check_prints_file_line_column)
{
	const char *line2;

	EXPECT_EQ(1, ctl("policy check " POL "/bad.pol"));
	EXPECT_EQ(0, strncmp(r.out, POL "/bad.pol:3:12: error: unknown property 'bogus'",
			     strlen(POL "/bad.pol:3:12: error: unknown property 'bogus'")));
	EXPECT_EQ(0, ctl("policy check " POL "/ctl-1.0.pol " POL "/ctl-1.0.pgp"));
	EXPECT_NE(NULL, strstr(r.out, "ctl-1.0.pol: ok: policy 'ctl' version 1.0.0, 1 rules\n"));
	EXPECT_NE(NULL, strstr(r.out, "ctl-1.0.pgp: ok: policy 'ctl' version 1.0.0, 1 rules\n"));

	/* JSON lines: one object per file. */
	EXPECT_EQ(1, ctl("--json policy check " POL "/bad.pol " POL "/ctl-1.0.pol"));
	TH_LOG("%s", r.out);
	ASSERT_TRUE(json_doc(r.out));
	EXPECT_EQ(0, strncmp(json_get(r.out, "ok"), "false", 5));
	EXPECT_EQ(3, atoi(json_get(r.out, "line")));
	EXPECT_EQ(12, atoi(json_get(r.out, "column")));
	EXPECT_EQ(EBADMSG, atoi(json_get(r.out, "errno")));
	line2 = strchr(r.out, '\n');
	ASSERT_NE(NULL, line2);
	ASSERT_TRUE(json_doc(line2 + 1));
	EXPECT_EQ(0, strncmp(json_get(line2 + 1, "ok"), "true", 4));
	EXPECT_TRUE(json_is(json_get(line2 + 1, "name"), "ctl"));
	EXPECT_TRUE(json_is(json_get(line2 + 1, "version"), "1.0.0"));
}

/*
 * The life of a signed policy: loaded from the SIGILP7 container, updated
 * from attached PKCS#7 and then from an OpenPGP message, all three made by
 * sigilctl policy sign; activated, shown, listed, and deleted.
 */
TEST(policy_signed_load_update_activate_show_list_delete)
{
	const char *signer = ctl_fix_id("SIGNER_SKID"), *a = ctl_fix_id("CTL_A_FPR"), *e;
	char want[256], pgp_signer[64], text[8192];

	ASSERT_EQ(0, ctl("key add " KEYS "/signer.pem " KEYS "/two.asc"));
	delete_policy("ctl");

	ASSERT_EQ(0, ctl("policy load " POL "/ctl-0.8.p7d"));
	EXPECT_NE(NULL, strstr(r.out, "loaded " POL "/ctl-0.8.p7d"));
	ASSERT_EQ(0, ctl("--json policy list"));
	TH_LOG("%s", r.out);
	ASSERT_TRUE(json_doc(r.out));
	e = json_find(r.out, "name", "ctl");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is(json_get(e, "version"), "0.8.0"));
	EXPECT_EQ(0, strncmp(json_get(e, "active"), "false", 5));
	snprintf(want, sizeof(want), "x509-skid:%s", signer);
	EXPECT_TRUE(json_is(json_get(e, "signer"), want));

	ASSERT_EQ(0, ctl("policy update ctl " POL "/ctl-0.9.p7"));
	EXPECT_STREQ("0.9.0", policy_value("ctl", "version"));
	ASSERT_EQ(0, ctl("policy update ctl " POL "/ctl-1.0.pgp"));
	EXPECT_STREQ("1.0.0", policy_value("ctl", "version"));
	snprintf(pgp_signer, sizeof(pgp_signer), "openpgp:%s", a);
	EXPECT_STREQ(pgp_signer, policy_value("ctl", "signer"));

	/* An older version: refused, with the kernel's reason. */
	EXPECT_EQ(1, ctl("policy update ctl " POL "/ctl-0.9.p7"));
	TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, strerror(ESTALE)));
	EXPECT_NE(NULL, strstr(r.err, "update rejected: 'ctl' 0.9.0 is not newer than "
			      "the loaded 1.0.0"));
	EXPECT_STREQ("1.0.0", policy_value("ctl", "version"));

	ASSERT_EQ(0, ctl("policy activate ctl"));
	EXPECT_STREQ("1", policy_value("ctl", "active"));
	ASSERT_EQ(0, ctl("policy list"));
	TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "\n%-24s %-10s %-7s %s\n", "ctl", "1.0.0",
		 "active", pgp_signer);
	EXPECT_NE(NULL, strstr(r.out, want));
	EXPECT_EQ(0, strncmp(r.out, "NAME ", 5));
	/* The active policy stays. */
	EXPECT_EQ(1, ctl("policy delete ctl"));
	EXPECT_NE(NULL, strstr(r.err, strerror(EBUSY)));

	ASSERT_EQ(0, ctl("policy show ctl"));
	EXPECT_EQ(0, strncmp(r.out, "# ctl ", 6));
	EXPECT_NE(NULL, strstr(r.out, text_of(POL "/ctl-1.0.pol")));
	ASSERT_EQ(0, ctl("--json policy show ctl"));
	ASSERT_TRUE(json_doc(r.out));
	EXPECT_STREQ(text_of(POL "/ctl-1.0.pol"),
		     json_str(json_get(r.out, "text"), text, sizeof(text)));
	EXPECT_EQ(0, strncmp(json_get(r.out, "active"), "true", 4));
	EXPECT_TRUE(json_is(json_get(r.out, "signer"), pgp_signer));

	ASSERT_EQ(0, ctl("policy activate baseline"));
	ASSERT_EQ(0, ctl("policy delete ctl"));
	EXPECT_EQ(1, ctl("policy show ctl"));
	EXPECT_NE(NULL, strstr(r.err, "no policy 'ctl' is loaded"));
	EXPECT_EQ(1, ctl("policy activate ctl"));
	EXPECT_EQ(1, ctl("policy update ctl " POL "/ctl-1.0.pgp"));

	keyring_remove(signer);
	keyring_remove(a);
	keyring_remove(ctl_fix_id("CTL_B_FPR"));
}

/*
 * gpg compresses what it signs unless told not to, and --armor writes
 * text: policy load writes what the kernel takes, and leaves what it
 * cannot convert to the kernel, whose reason it shows.
 */
TEST(policy_load_converts_gpg_compressed_and_armored_messages)
{
	const char *a = ctl_fix_id("CTL_A_FPR");
	char want[128];

	ASSERT_EQ(0, ctl("key add " KEYS "/two.asc"));
	delete_policy("gz");
	delete_policy("asc");
	snprintf(want, sizeof(want), "openpgp:%s", a);

	EXPECT_EQ(0, ctl("policy load " POL "/gz.gpg"));
	TH_LOG("%s%s", r.out, r.err);
	EXPECT_STREQ(want, policy_value("gz", "signer"));
	EXPECT_STREQ(text_of(POL "/gz.pol"), text_of(SFS "/policies/gz/policy"));
	EXPECT_EQ(0, ctl("policy load " POL "/asc.asc"));
	EXPECT_STREQ(want, policy_value("asc", "signer"));

	EXPECT_EQ(1, ctl("policy load " POL "/bz.gpg"));
	TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, "BZip2"));
	EXPECT_NE(NULL, strstr(r.err, "the message is compressed"));
	EXPECT_NE(NULL, strstr(r.err, strerror(EOPNOTSUPP)));
	EXPECT_EQ(-ENOENT, access(SFS "/policies/bz", F_OK) ? -errno : 0);

	EXPECT_EQ(0, delete_policy("gz"));
	EXPECT_EQ(0, delete_policy("asc"));
	keyring_remove(a);
	keyring_remove(ctl_fix_id("CTL_B_FPR"));
}

TEST(policy_load_unsigned_and_the_kernels_reasons)
{
	const char *e;

	delete_policy("ctlplain");
	ASSERT_EQ(0, write_plain_policy());
	ASSERT_EQ(0, ctl("policy load /tmp/ctlplain.pol"));
	ASSERT_EQ(0, ctl("--json policy list"));
	e = json_find(r.out, "name", "ctlplain");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is(json_get(e, "signer"), "unsigned"));
	EXPECT_EQ(1, ctl("policy load /tmp/ctlplain.pol"));
	EXPECT_NE(NULL, strstr(r.err, strerror(EEXIST)));

	/* A policy that does not parse: the kernel's line, column and token. */
	EXPECT_EQ(1, ctl("policy load " POL "/bad.pol"));
	TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, strerror(EBADMSG)));
	EXPECT_NE(NULL, strstr(r.err, "line 3, column 12: unknown property 'bogus'"));
	EXPECT_EQ(0, delete_policy("ctlplain"));

	/* Usage errors. */
	EXPECT_EQ(2, ctl("policy load"));
	EXPECT_EQ(2, ctl("policy nosuchcommand"));
	EXPECT_EQ(0, ctl("policy load --help"));
	EXPECT_NE(NULL, strstr(r.out, "usage: sigilctl policy load FILE"));
}

/*
 * sigilctl manifest against the kernel: create with fs-verity enabled on
 * the way (the digest it writes is the one the kernel measures), load,
 * list, a policy that names the manifest, revoke one file and update, and
 * explain naming the version that listed it.
 */
TEST(manifest_create_load_revoke_update_explain)
{
	char mf[8192], want[200], hex[65];
	const char *e;

	ASSERT_EQ(0, mkdir(DISK "/ctlmf", 0755) && errno != EEXIST ? -errno : 0);
	ASSERT_EQ(0, make_prog(DISK "/ctlmf/a", "ctlmf a\n", 0));
	ASSERT_EQ(0, make_prog(DISK "/ctlmf/b", "ctlmf b\n", 0));
	ASSERT_EQ(0, ctl("manifest create --fsverity --enable-verity --name ctlmf --version 1.0.0 -o /tmp/ctlmf.mf " DISK "/ctlmf"))
		TH_LOG("%s", r.err);
	ASSERT_LT(0, read_file("/tmp/ctlmf.mf", mf, sizeof(mf)));
	ASSERT_EQ(0, verity_digest(DISK "/ctlmf/a", hex));
	snprintf(want, sizeof(want), DISK "/ctlmf/a fsverity=sha256:%s\n", hex);
	EXPECT_NE(NULL, strstr(mf, want)) TH_LOG("%s", mf);

	ASSERT_EQ(0, ctl("manifest load /tmp/ctlmf.mf")) TH_LOG("%s", r.err);
	ASSERT_EQ(0, ctl("--json manifest list"));
	e = json_find(r.out, "name", "ctlmf");
	ASSERT_NE(NULL, e);
	EXPECT_TRUE(json_is(json_get(e, "version"), "1.0.0"));

	delete_policy("ctlmf");
	ASSERT_EQ(0, load_policy("policy_name=ctlmf policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE manifest=ctlmf action=ALLOW\n"));
	ASSERT_EQ(0, activate("ctlmf"));
	EXPECT_EQ(PROG_EXIT, run(DISK "/ctlmf/a"));
	EXPECT_EQ(PROG_EXIT, run(DISK "/ctlmf/b"));

	EXPECT_EQ(0, ctl("manifest revoke -o /tmp/ctlmf2.mf /tmp/ctlmf.mf " DISK "/ctlmf/b"))
		TH_LOG("%s", r.err);
	EXPECT_EQ(0, ctl("manifest update ctlmf /tmp/ctlmf2.mf")) TH_LOG("%s", r.err);
	EXPECT_EQ(PROG_EXIT, run(DISK "/ctlmf/a"));
	EXPECT_EQ(-EACCES, run(DISK "/ctlmf/b"));
	EXPECT_EQ(1, ctl("explain " DISK "/ctlmf/b"));
	EXPECT_NE(NULL, strstr(r.out, "manifest: superseded: 'ctlmf' 1.0.0")) TH_LOG("%s", r.out);
	/* The old version back: the kernel's reason, through sigilctl. */
	EXPECT_EQ(1, ctl("manifest update ctlmf /tmp/ctlmf.mf"));
	EXPECT_NE(NULL, strstr(r.err, "not newer")) TH_LOG("%s", r.err);
	/* The active policy names it. */
	EXPECT_EQ(1, ctl("manifest delete ctlmf"));

	EXPECT_EQ(0, restore_baseline());
	EXPECT_EQ(0, delete_policy("ctlmf"));
	EXPECT_EQ(0, ctl("manifest delete ctlmf")) TH_LOG("%s", r.err);
}

TEST(writes_need_cap_mac_admin)
{
	delete_policy("ctlplain");
	ASSERT_EQ(0, write_plain_policy());
	EXPECT_EQ(3, ctl_as(true, "policy load /tmp/ctlplain.pol"));
	TH_LOG("%s", r.err);
	/* Refused before sigil looked: no older reason from status. */
	EXPECT_STREQ("sigilctl: /tmp/ctlplain.pol: Operation not permitted\n", r.err);
	EXPECT_EQ(-ENOENT, access(SFS "/policies/ctlplain", F_OK) ? -errno : 0);
	EXPECT_EQ(3, ctl_as(true, "policy activate baseline"));
	EXPECT_EQ(3, ctl_as(true, "key add " KEYS "/two.pem"));
	EXPECT_GT(0, key_by_id(".sigil", ctl_fix_id("RSA_SKID")));
	/* Reading is allowed. */
	EXPECT_EQ(0, ctl_as(true, "status"));
}

/* ---- status, log ---- */

TEST(status_as_text_and_json)
{
	char mode[32], want[64];
	const char *v;

	status_get("mode", mode, sizeof(mode));
	ASSERT_NE(0, strlen(mode));
	ASSERT_EQ(0, ctl("status"));
	snprintf(want, sizeof(want), "\n%-26s %s\n", "mode", mode);
	EXPECT_NE(NULL, strstr(r.out, want));
	ASSERT_EQ(0, ctl("--json status"));
	TH_LOG("%.300s", r.out);
	ASSERT_TRUE(json_doc(r.out));
	EXPECT_TRUE(json_is(json_get(r.out, "mode"), mode));
	EXPECT_TRUE(json_is(json_get(r.out, "active_policy"), "baseline"));
	v = json_get(r.out, "keyring_keys");
	ASSERT_NE(NULL, v);
	EXPECT_TRUE(isdigit((unsigned char)*v));
	EXPECT_EQ(status_num("keyring_keys"), atoll(v));
	EXPECT_EQ(1, atoi(json_get(r.out, "abi")));
}

/* Deny EXECUTE of what is not in the initramfs, as policy @name. */
static int deny_disk(const char *name)
{
	int rc = load_policy("policy_name=%s policy_version=" TEST_VERSION "\n"
			     "DEFAULT action=ALLOW\n"
			     "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			     "DEFAULT op=EXECUTE action=DENY\n", name);

	return rc ? rc : activate(name);
}

TEST(log_names_the_deciding_rule)
{
	long long seq, prev = -1, found = -1;
	const char *line, *hit, *p;
	char text[2048];

	ASSERT_EQ(0, make_prog(DISK "/ctl-denied", "ctl-denied", 0));
	ASSERT_EQ(0, deny_disk("ctllog"));
	EXPECT_EQ(-EACCES, run(DISK "/ctl-denied"));
	drop_policy("ctllog");

	ASSERT_EQ(0, ctl("log"));
	hit = strstr(r.out, "path=\"" DISK "/ctl-denied\"");
	ASSERT_NE(NULL, hit);
	line = hit;
	while (line > r.out && line[-1] != '\n')
		line--;
	TH_LOG("%.*s", (int)strcspn(line, "\n"), line);
	EXPECT_EQ(0, strncmp(line, "seq=", 4));
	EXPECT_NE(NULL, strstr(line, " action=DENY enforce=1 op=EXECUTE hook=BPRM_CHECK "));
	EXPECT_NE(NULL, strstr(line, " policy=\"ctllog\" line=4 "
			       "rule=\"DEFAULT op=EXECUTE action=DENY\""));
	seq = atoll(line + 4);

	/* JSON lines: each parses, seq as in the text, in order. */
	ASSERT_EQ(0, ctl("--json log"));
	for (p = r.out; *p; p = strchr(p, '\n') + 1) {
		long long s;

		ASSERT_TRUE(json_doc(p));
		s = atoll(json_get(p, "seq"));
		EXPECT_LT(prev, s);
		prev = s;
		json_str(json_get(p, "line"), text, sizeof(text));
		if (strstr(text, "path=\"" DISK "/ctl-denied\""))
			found = s;
		if (!strchr(p, '\n'))
			break;
	}
	EXPECT_EQ(seq, found);
}

/* Read @fd until a line holding @want arrives; false at EOF or after 60 s. */
static bool read_until(int fd, char *buf, size_t size, size_t *len, const char *want)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };

	while (!strstr(buf, want)) {
		ssize_t n;

		/* Not a timed assertion: only a bound on a hung follower. */
		if (poll(&pfd, 1, 60000) != 1 || *len + 1 >= size)
			return false;
		n = read(fd, buf + *len, size - 1 - *len);
		if (n <= 0)
			return false;
		*len += n;
		buf[*len] = '\0';
	}
	return true;
}

TEST(log_follow_prints_decisions_as_they_come)
{
	static char buf[256 * 1024];
	char last[1024], want[64];
	size_t len = 0;
	int fds[2], st;
	pid_t pid;

	ASSERT_EQ(0, make_prog(DISK "/ctl-follow", "ctl-follow", 0));
	/* A decision to start from, so that the follower's first read shows. */
	ASSERT_EQ(0, make_prog(DISK "/ctl-before", "ctl-before", 0));
	ASSERT_EQ(0, deny_disk("ctlfollow"));
	EXPECT_EQ(-EACCES, run(DISK "/ctl-before"));
	last_log_line(last, sizeof(last));
	ASSERT_EQ(0, strncmp(last, "seq=", 4));
	snprintf(want, sizeof(want), "seq=%lld ", atoll(last + 4));

	ASSERT_EQ(0, pipe(fds));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(CTL, CTL, "log", "--follow", (char *)NULL);
		_exit(98);
	}
	close(fds[1]);
	buf[0] = '\0';
	/* What was logged before it started... */
	EXPECT_TRUE(read_until(fds[0], buf, sizeof(buf), &len, want));
	/* ...then what comes after. */
	EXPECT_EQ(-EACCES, run(DISK "/ctl-follow"));
	EXPECT_TRUE(read_until(fds[0], buf, sizeof(buf), &len,
			       "path=\"" DISK "/ctl-follow\""));
	/* Still running: it follows until it is stopped. */
	EXPECT_EQ(0, waitpid(pid, &st, WNOHANG));
	kill(pid, SIGTERM);
	EXPECT_EQ(pid, waitpid(pid, &st, 0));
	EXPECT_TRUE(WIFSIGNALED(st));
	close(fds[0]);
	drop_policy("ctlfollow");
}

TEST_HARNESS_MAIN
