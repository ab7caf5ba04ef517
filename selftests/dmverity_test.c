// SPDX-License-Identifier: GPL-2.0-only
/*
 * dmverity_roothash and dmverity_signature on real dm-verity volumes: the
 * host made them with veritysetup and signed A's root hash with openssl
 * (selftests/dmverity-fixtures); here they are opened through the
 * device-mapper ioctls, as veritysetup opens them, and mounted.
 *
 *   /vol/a-signed  volume A, opened with its root hash signature
 *   /vol/a         volume A again, without the signature
 *   /vol/b         volume B, another root hash, unsigned
 */

#include <linux/dm-ioctl.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/sysmacros.h>

#include "common.h"
#include "kselftest_harness.h"

#define PARAMS		"/dmv/params"
#define VOL		"/vol"
#define A_SIGNED	VOL "/a-signed/prog"
#define A_UNSIGNED	VOL "/a/prog"
#define B_UNSIGNED	VOL "/b/prog"
#define PLAIN		DISK "/dmv-plain"	/* ext4 on vda, no dm-verity */
#define TMPFS		"/tmp/dmv-prog"
#define OVL		"/ovl"			/* overlayfs, lower /vol/a */

/* The value of KEY in /dmv/params, or "" when absent. */
static const char *param(const char *key)
{
	static char text[4096], value[256];
	size_t klen = strlen(key);
	char *line;

	value[0] = '\0';
	if (read_file(PARAMS, text, sizeof(text)) < 0)
		return value;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, klen) && line[klen] == '=')
			snprintf(value, sizeof(value), "%s", line + klen + 1);
	return value;
}

/* Volume @vol's parameter @what (A_ROOTHASH: 'A', "ROOTHASH") in @buf. */
static char *vol_param(char vol, const char *what, char *buf, size_t size)
{
	char key[32];

	snprintf(key, sizeof(key), "%c_%s", vol, what);
	snprintf(buf, size, "%s", param(key));
	return buf;
}

/* "MAJOR:MINOR" of the virtio disk whose serial is @serial; 0 or -errno. */
static int disk_by_serial(const char *serial, char *dev, size_t size)
{
	char path[64], buf[64];
	int i;

	for (i = 0; i < 26; i++) {
		snprintf(path, sizeof(path), "/sys/block/vd%c/serial", 'a' + i);
		if (read_file(path, buf, sizeof(buf)) < 0)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, serial))
			continue;
		snprintf(path, sizeof(path), "/sys/block/vd%c/dev", 'a' + i);
		if (read_file(path, dev, size) < 0)
			return -errno;
		dev[strcspn(dev, "\n")] = '\0';
		return 0;
	}
	return -ENODEV;
}

/* One device-mapper ioctl with @params as its only target's table line. */
static int dm_ioctl(unsigned long cmd, const char *name, unsigned int flags,
		    unsigned long long sectors, const char *params,
		    dev_t *dev)
{
	struct {
		struct dm_ioctl io;
		struct dm_target_spec spec;
		char params[1024];
	} req;
	int fd, rc;

	memset(&req, 0, sizeof(req));
	req.io.version[0] = DM_VERSION_MAJOR;
	req.io.data_size = sizeof(req);
	req.io.data_start = offsetof(typeof(req), spec);
	req.io.flags = flags;
	snprintf(req.io.name, sizeof(req.io.name), "%s", name);
	if (params) {
		req.io.target_count = 1;
		req.spec.length = sectors;
		snprintf(req.spec.target_type, sizeof(req.spec.target_type), "verity");
		snprintf(req.params, sizeof(req.params), "%s", params);
	}
	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = ioctl(fd, cmd, &req) ? -errno : 0;
	close(fd);
	if (!rc && dev)
		*dev = req.io.dev;
	return rc;
}

/*
 * Load volume @vol's verity table into device @name, with the signature
 * file @sig (or none), and make it live.  The signature goes to dm-verity
 * as veritysetup passes it: a "user" key named in the table.
 */
static int verity_table(const char *name, char vol, const char *sig, int create)
{
	char disk[32], serial[16], table[640], desc[64] = "";
	char start[32], alg[32], root[160], salt[160], nblocks[32];
	unsigned long long blocks;
	long keyid = 0;
	size_t len;
	void *blob;
	dev_t dev;
	int rc;

	snprintf(serial, sizeof(serial), "dmv-%c", vol - 'A' + 'a');
	rc = disk_by_serial(serial, disk, sizeof(disk));
	if (rc)
		return rc;
	blocks = strtoull(vol_param(vol, "DATA_BLOCKS", nblocks, sizeof(nblocks)), NULL, 10);
	vol_param(vol, "HASH_START", start, sizeof(start));
	vol_param(vol, "ROOTHASH", root, sizeof(root));
	vol_param(vol, "SALT", salt, sizeof(salt));
	snprintf(alg, sizeof(alg), "%s", param("HASH_ALG"));
	if (sig) {
		blob = slurp(sig, &len);
		if (!blob)
			return -ENOENT;
		snprintf(desc, sizeof(desc), "sigil-test:%s", name);
		keyid = add_key("user", desc, blob, len, KEY_SPEC_THREAD_KEYRING);
		free(blob);
		if (keyid < 0)
			return -errno;
	}
	snprintf(table, sizeof(table),
		 "1 %s %s 4096 4096 %llu %s %s %s %s%s%s", disk, disk, blocks,
		 start, alg, root, salt,
		 sig ? " 2 root_hash_sig_key_desc " : "", desc);
	if (create)
		rc = dm_ioctl(DM_DEV_CREATE, name, 0, 0, NULL, NULL);
	if (!rc)
		rc = dm_ioctl(DM_TABLE_LOAD, name, DM_READONLY_FLAG, blocks * 8,
			      table, NULL);
	if (!rc)	/* resume: the loaded table goes live */
		rc = dm_ioctl(DM_DEV_SUSPEND, name, 0, 0, NULL, &dev);
	if (rc && create)
		dm_ioctl(DM_DEV_REMOVE, name, 0, 0, NULL, NULL);
	if (keyid > 0)
		keyctl(KEYCTL_REVOKE, keyid, 0, 0, 0);
	return rc;
}

/* Open volume @vol as device @name and mount it on VOL/@name. */
static int open_volume(const char *name, char vol, const char *sig)
{
	char node[64], dir[64];
	struct stat st;
	dev_t dev;
	int rc;

	snprintf(dir, sizeof(dir), VOL "/%s", name);
	snprintf(node, sizeof(node), "/dev/sigil-%s", name);
	if (!stat(node, &st))
		return 0;	/* opened by an earlier test of this boot */
	rc = verity_table(name, vol, sig, 1);
	if (rc)
		return rc;
	rc = dm_ioctl(DM_DEV_STATUS, name, 0, 0, NULL, &dev);
	if (rc)
		return rc;
	mkdir(VOL, 0755);
	mkdir(dir, 0755);
	if (mknod(node, S_IFBLK | 0600, dev) ||
	    mount(node, dir, "ext4", MS_RDONLY, NULL))
		return -errno;
	return 0;
}

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
