// SPDX-License-Identifier: GPL-2.0-only
/*
 * The .sigil keyring: compiled-in keys, OpenPGP keys made by gpg and sq
 * (the host's fixtures, in /keys), X.509 certificates, refusals, and who
 * may change it.  Locking is in keyring_lock_test, which runs last.
 */

#include "common.h"
#include "kselftest_harness.h"

#define KEYS	"/keys"
/* selftests/fixtures/keys/README */
#define BUILTIN_PGP_KEYID	"2D06BF8E276E5749"
#define BUILTIN_X509_SKID	"2ffdf2c62268b742c43b9827096fe9913fc4d4bb"

static long add_file(const char *name, long ring)
{
	char path[256];
	size_t len;
	void *buf;
	long rc;

	snprintf(path, sizeof(path), KEYS "/%s", name);
	buf = slurp(path, &len);
	if (!buf)
		return -2;
	rc = add_key("asymmetric", "", buf, len, ring);
	free(buf);
	return rc;
}

/* Field @n (0-based) of the manifest line named @name, or "". */
static const char *manifest_field(const char *name, int n)
{
	static char field[160];
	char line[512], *tok, *save;
	FILE *m = fopen(KEYS "/manifest", "r");
	int i;

	field[0] = '\0';
	while (m && fgets(line, sizeof(line), m)) {
		tok = strtok_r(line, " \n", &save);
		tok = strtok_r(NULL, " \n", &save);
		if (!tok || strcmp(tok, name))
			continue;
		for (i = 2; i <= n && (tok = strtok_r(NULL, " \n", &save)); i++)
			;
		if (tok && i > n)
			snprintf(field, sizeof(field), "%s", tok);
		break;
	}
	if (m)
		fclose(m);
	return field;
}

static int describe(long key, char *buf, size_t size)
{
	long n = keyctl(KEYCTL_DESCRIBE, key, (long)buf, size, 0);

	if (n < 0)
		return -errno;
	buf[size - 1] = '\0';
	return 0;
}

TEST(compiled_in_keys_are_present_at_boot)
{
	long ring = sigil_keyring_id();
	char desc[512];
	long key;

	ASSERT_NE(0, ring);
	key = search(ring, "id:" BUILTIN_PGP_KEYID);
	ASSERT_LT(0, key) TH_LOG("compiled-in OpenPGP key not found: %s", strerror(errno));
	ASSERT_EQ(0, describe(key, desc, sizeof(desc)));
	EXPECT_NE(NULL, strstr(desc, "sigil compiled-in test key <builtin@sigil.test>: "
			       BUILTIN_PGP_KEYID)) TH_LOG("%s", desc);
	EXPECT_LT(0, search(ring, "id:" BUILTIN_X509_SKID));
	EXPECT_LE(2, status_num("keyring_keys"));
	EXPECT_EQ(0, status_num("keyring_locked"));
}

/*
 * Every certificate gpg and sq made on the host loads, as the key that
 * signs: for sq keys and the *-sub-* keys that is a subkey, chosen only
 * after the kernel verified its binding and back-signature.
 */
TEST(fixture_keys_load_as_their_signing_key)
{
	long ring = sigil_keyring_id();
	char line[512], kind[8], name[128], file[128], fpr[64], signer[64];
	char id[80], desc[512];
	FILE *m = fopen(KEYS "/manifest", "r");
	int loaded = 0;

	ASSERT_NE(NULL, m);
	while (fgets(line, sizeof(line), m)) {
		long key;

		if (sscanf(line, "%7s %127s %127s %63s %63s", kind, name, file, fpr,
			   signer) != 5 || strcmp(kind, "key"))
			continue;
		key = add_file(file, ring);
		EXPECT_LT(0, key) TH_LOG("%s: %s", name, strerror(errno));
		if (key <= 0)
			continue;
		snprintf(id, sizeof(id), "id:%s", signer + 24);
		EXPECT_EQ(key, search(ring, id)) TH_LOG("%s: key ID %s", name, signer + 24);
		snprintf(id, sizeof(id), "ex:%s", signer);
		EXPECT_EQ(key, search(ring, id)) TH_LOG("%s: fingerprint %s", name, signer);
		describe(key, desc, sizeof(desc));
		EXPECT_NE(NULL, strstr(desc, signer + 24)) TH_LOG("%s", desc);
		EXPECT_EQ(0, keyring_remove(signer));
		EXPECT_EQ(-1, search(ring, id)) TH_LOG("%s still present", name);
		loaded++;
	}
	fclose(m);
	EXPECT_LE(9, loaded);
}

TEST(refused_keys_get_their_errno)
{
	static const struct { const char *kind; int err; } errs[] = {
		{ "EOPNOTSUPP", EOPNOTSUPP }, { "EKEYREJECTED", EKEYREJECTED },
		{ "EKEYREVOKED", EKEYREVOKED }, { "EBADMSG", EBADMSG },
	};
	long ring = sigil_keyring_id();
	char line[512], kind[8], name[128], file[128], err[32];
	FILE *m = fopen(KEYS "/manifest", "r");
	int refused = 0;
	size_t i;

	ASSERT_NE(NULL, m);
	while (fgets(line, sizeof(line), m)) {
		if (sscanf(line, "%7s %127s %127s %31s", kind, name, file, err) != 4 ||
		    strcmp(kind, "bad"))
			continue;
		EXPECT_EQ(-1, add_file(file, ring)) TH_LOG("%s loaded", name);
		for (i = 0; i < sizeof(errs) / sizeof(errs[0]); i++)
			if (!strcmp(errs[i].kind, err))
				EXPECT_EQ(errs[i].err, errno) TH_LOG("%s: %s", name, strerror(errno));
		refused++;
	}
	fclose(m);
	EXPECT_LE(6, refused);
}

TEST(refusal_reason_is_logged)
{
	char log[65536];
	int fd;
	ssize_t n;

	EXPECT_EQ(-1, add_file("sq-ed25519.pgp", sigil_keyring_id()));
	fd = open("/dev/kmsg", O_RDONLY | O_NONBLOCK);
	ASSERT_LE(0, fd);
	/* /dev/kmsg yields one record per read. */
	log[0] = '\0';
	while ((n = read(fd, log, sizeof(log) - 1)) > 0) {
		log[n] = '\0';
		if (strstr(log, "pgp: key refused: primary key: EdDSA"))
			break;
	}
	close(fd);
	EXPECT_NE(NULL, strstr(log, "EdDSA (Ed25519/Ed448) keys are not supported"))
		TH_LOG("last record: %s", log);
}

/* The commands the documentation gives, with the keyctl tool. */
TEST(keyctl_padd_and_search_by_key_id)
{
	char line[512], kind[8], name[128], file[128], fpr[64], signer[64], cmd[512];
	FILE *m = fopen(KEYS "/manifest", "r");
	int found = 0;

	ASSERT_NE(NULL, m);
	while (fgets(line, sizeof(line), m))
		if (sscanf(line, "%7s %127s %127s %63s %63s", kind, name, file, fpr,
			   signer) == 5 && !strcmp(name, "sq-rsa3k")) {
			found = 1;
			break;
		}
	fclose(m);
	ASSERT_TRUE(found);
	snprintf(cmd, sizeof(cmd),
		 "keyctl padd asymmetric '' %%keyring:.sigil < " KEYS "/%s >/dev/null && "
		 "keyctl search %%keyring:.sigil asymmetric id:%s >/dev/null", file, signer + 24);
	EXPECT_EQ(0, system(cmd)) TH_LOG("%s", cmd);
	EXPECT_EQ(0, keyring_remove(signer + 24));
}

TEST(armored_key_converted_to_binary_loads)
{
	long ring = sigil_keyring_id(), key;
	size_t len;
	char *armored = slurp(KEYS "/gpg-nistp256.asc", &len);

	ASSERT_NE(NULL, armored);
	/* The armored text itself is not a key... */
	EXPECT_EQ(-1, add_key("asymmetric", "", armored, len, ring));
	EXPECT_EQ(EBADMSG, errno);
	free(armored);
	/* ...its binary form is. */
	key = add_file("gpg-nistp256-dearmored.pgp", ring);
	EXPECT_LT(0, key) TH_LOG("%s", strerror(errno));
	if (key > 0)
		EXPECT_EQ(0, keyring_remove(manifest_field("gpg-nistp256", 4)));
}

TEST(x509_certificate_loads_and_is_removed_by_skid)
{
	long ring = sigil_keyring_id(), before = status_num("keyring_keys");
	const char *skid = manifest_field("x509", 3);
	long key = add_file("x509.der", ring);
	char id[160];

	EXPECT_LT(0, key) TH_LOG("%s", strerror(errno));
	ASSERT_NE(0, strlen(skid));
	snprintf(id, sizeof(id), "id:%s", skid);
	EXPECT_EQ(key, search(ring, id));
	EXPECT_EQ(before + 1, status_num("keyring_keys"));
	EXPECT_EQ(0, keyring_remove(skid));
	EXPECT_EQ(before, status_num("keyring_keys"));
	EXPECT_EQ(-ENOKEY, keyring_remove(skid));
	EXPECT_EQ(-EINVAL, keyring_remove("not hex"));
}

/*
 * Nothing can take a key out of .sigil through keyctl, whatever the
 * capabilities: the keyring and its keys are KEY_FLAG_KEEP.
 */
TEST(keyctl_cannot_revoke_invalidate_unlink_or_clear)
{
	long ring = sigil_keyring_id();
	long key = search(ring, "id:" BUILTIN_PGP_KEYID);

	ASSERT_LT(0, key);
	EXPECT_EQ(-1, keyctl(KEYCTL_UNLINK, key, ring, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_INVALIDATE, key, 0, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_REVOKE, key, 0, 0, 0));
	EXPECT_EQ(-1, keyctl(KEYCTL_SET_TIMEOUT, key, 1, 0, 0));
	EXPECT_EQ(-1, keyctl(KEYCTL_INVALIDATE, ring, 0, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_CLEAR, ring, 0, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(key, search(ring, "id:" BUILTIN_PGP_KEYID));
}

TEST(only_asymmetric_keys)
{
	EXPECT_EQ(-1, add_key("user", "note", "data", 4, sigil_keyring_id()));
	EXPECT_EQ(EOPNOTSUPP, errno);
}

TEST(changes_need_cap_mac_admin)
{
	long ring = sigil_keyring_id();
	long before = status_num("keyring_keys");
	long builtin = search(ring, "id:" BUILTIN_PGP_KEYID);

	ASSERT_LT(0, builtin);
	ASSERT_EQ(0, drop_mac_admin());
	EXPECT_EQ(-1, add_file("gpg-rsa2048.pgp", ring));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_UNLINK, builtin, ring, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, keyctl(KEYCTL_CLEAR, ring, 0, 0, 0));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, write_str(SFS "/keyring_locked", "1"));
	EXPECT_EQ(-EPERM, keyring_remove(BUILTIN_PGP_KEYID));
	EXPECT_EQ(before, status_num("keyring_keys"));
	EXPECT_EQ(builtin, search(ring, "id:" BUILTIN_PGP_KEYID));
	EXPECT_EQ(0, status_num("keyring_locked"));
}

TEST_HARNESS_MAIN
