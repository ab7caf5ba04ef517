// SPDX-License-Identifier: GPL-2.0-only
/*
 * IPE's documented policies (selftests/fixtures/ipe-examples, in
 * /ipe-examples) loaded as they are into the running sigil, activated, and
 * shown to have their documented effect on each operation the guest can
 * trigger: exec and executable mmap (EXECUTE), finit_module() and
 * init_module() (KMODULE), lib/test_firmware (FIRMWARE), kexec_file_load()
 * (KEXEC_IMAGE, KEXEC_INITRAMFS) and IMA reading a policy file
 * (POLICY).  X509_CERT reads happen only at boot, before any policy can be
 * loaded.
 *
 * IPE's examples have version 0.0.0, so this suite must run before any test
 * activates a higher version; selftests/run-check runs it first.  Every test
 * hands back to Allow_All, the last one to sigil's 1.0.0 baseline.
 *
 * Most tests are a table of cases: an operation on a file, what it returns,
 * and the decision it logged under the example's policy (check_cases()).
 */

#include <linux/kexec.h>
#include <sys/syscall.h>

#include "common.h"
#include "kselftest_harness.h"

#define EXAMPLES	"/ipe-examples"
/* The test kernel itself, in the initramfs (selftests/run-check). */
#define BZIMAGE		"/boot/bzImage"
/*
 * Files of the initramfs (selftests/fixtures/ipe-boot, which run-check
 * adds), and so boot_verified.  A file made at run time in rootfs would be
 * too in IPE, but not in sigil: only what the initramfs unpacking created
 * counts.
 */
#define BOOT_DIR	"/ipe-boot"
/* On the ext4 disk: not boot_verified. */
#define WORK		DISK "/ipe"
#define DISK_PROG	WORK "/prog"
#define FW_NAME		"ipe-example.fw"
#define FW_TEXT		"firmware for IPE's FIRMWARE operation\n"
#define FW_SYSFS	"/sys/devices/virtual/misc/test_firmware"
/* Reads back what the last trigger_request loaded. */
#define FW_DEV		"/dev/test_firmware"
#define FW_PATH_PARAM	"/sys/module/firmware_class/parameters/path"
#define IMA_POLICY	"/sys/kernel/security/ima/policy"
/* A rule that changes nothing IMA does: /proc is never measured anyway. */
#define IMA_TEXT	"dont_measure fsmagic=0x9fa0\n"

/* Every policy name the examples load, for the teardown. */
static const char *const example_names[] = {
	"Allow_Initramfs", "Allow_Signed_DMV_And_Initramfs", "Deny_DMV_By_Roothash",
	"Allow_DMV_By_Roothash", "Allow_Signed_And_Validated_FSVerity",
	"ALLOW_FSV_By_Digest", "Ex_Policy", "Minimal_Rule", "Prop_Boot_Verified",
	"Op_EXECUTE", "Op_FIRMWARE", "Op_KMODULE", "Op_KEXEC_IMAGE",
	"Op_KEXEC_INITRAMFS", "Op_POLICY", "Op_X509_CERT",
};

/* Load /ipe-examples/@file as it is, in one write; 0 or -errno. */
static int load_example(const char *file)
{
	char path[256];
	size_t len;
	void *text;
	int rc;

	snprintf(path, sizeof(path), EXAMPLES "/%s", file);
	text = slurp(path, &len);
	if (!text)
		return -ENOENT;
	rc = write_file(SFS "/new_policy", text, len);
	free(text);
	return rc;
}

static int use_example(const char *file, const char *name)
{
	int rc = load_example(file);

	return rc ? rc : activate(name);
}

static int policy_exists(const char *name)
{
	char path[512];
	struct stat st;

	policy_path(path, sizeof(path), name, "policy");
	return !stat(path, &st);
}

static int write_text(const char *path, const char *text)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (write(fd, text, strlen(text)) != (ssize_t)strlen(text))
		rc = -EIO;
	if (close(fd))
		rc = -errno;
	return rc;
}

/* ---- the decision log ---- */

/* A log line starts with "seq=N ". */
static long long line_seq(const char *line)
{
	return strtoll(line + 4, NULL, 10);
}

/* The sequence number of the last logged decision; -1 when there is none. */
static long long log_seq(void)
{
	char line[1024];

	last_log_line(line, sizeof(line));
	return line[0] ? line_seq(line) : -1;
}

/*
 * Was the first decision logged after @seq for operation @op on @path
 * ("none": no file) an @action by line @line, @rule, of @policy?  Prints
 * what it found when not.
 */
static bool decided(long long seq, const char *op, const char *path,
		    const char *action, const char *policy, unsigned int line,
		    const char *rule)
{
	static char log[64 * 1024];
	char want_op[64], want_path[256], want_action[32], want[512];
	char *l, *save = NULL;

	snprintf(want_op, sizeof(want_op), " op=%s hook=", op);
	if (!strcmp(path, "none"))
		snprintf(want_path, sizeof(want_path), " path=none ");
	else
		snprintf(want_path, sizeof(want_path), " path=\"%s\" ", path);
	if (read_file(SFS "/log", log, sizeof(log)) < 0)
		return false;
	for (l = strtok_r(log, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (line_seq(l) <= seq)
			continue;
		if (!strstr(l, want_op) || !strstr(l, want_path))
			continue;
		snprintf(want_action, sizeof(want_action), " action=%s ", action);
		snprintf(want, sizeof(want), " policy=\"%s\" line=%u rule=\"%s\"", policy,
			 line, rule);
		if (strstr(l, want_action) == strchr(l, ' ') && strstr(l, want))
			return true;
		printf("# log:  %s\n# want:%s...%s\n", l, want_action, want);
		return false;
	}
	printf("# no decision for op=%s on %s after seq=%lld\n", op, path, seq);
	return false;
}

/* ---- one trigger per operation ---- */

static int map_exec_anon(void)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 4096);
	return 0;
}

/*
 * finit_module(): a file, which the module loader refuses with ENOEXEC
 * when it gets it: none of these files is a module.
 */
static int load_module_file(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return rc;
}

/* init_module(): a buffer, no file. */
static int load_module_buffer(void)
{
	static char image[64] = "\x7f" "ELF";

	return syscall(SYS_init_module, image, sizeof(image), "") ? -errno : 0;
}

/*
 * request_firmware() of FW_NAME through lib/test_firmware, looked up first
 * in @dir (firmware_class.path).  Returns 0 when the firmware loaded and is
 * FW_TEXT, or -errno.
 */
static int load_firmware(const char *dir)
{
	char buf[256];
	int rc;

	rc = write_str(FW_PATH_PARAM, dir);
	if (!rc)
		rc = write_str(FW_SYSFS "/trigger_request", FW_NAME);
	if (!rc && (read_file(FW_DEV, buf, sizeof(buf)) < 0 || strcmp(buf, FW_TEXT)))
		rc = -EBADMSG;
	return rc;
}

static int kexec_unload(void)
{
	return syscall(SYS_kexec_file_load, -1, -1, 0, NULL, KEXEC_FILE_UNLOAD) ? -errno : 0;
}

/*
 * The kexec image @kernel, and the initramfs @initrd unless NULL; 0 when
 * loaded (and then unloaded again), or -errno.
 */
static int load_kexec(const char *kernel, const char *initrd)
{
	int kfd = open(kernel, O_RDONLY | O_CLOEXEC);
	int ifd = initrd ? open(initrd, O_RDONLY | O_CLOEXEC) : -1;
	char loaded[8] = "";
	int rc;

	if (kfd < 0 || (initrd && ifd < 0)) {
		rc = -ENOENT;
		goto out;
	}
	rc = syscall(SYS_kexec_file_load, kfd, ifd, 0, NULL,
		     initrd ? 0 : KEXEC_FILE_NO_INITRAMFS) ? -errno : 0;
	if (!rc) {
		read_file("/sys/kernel/kexec_loaded", loaded, sizeof(loaded));
		if (strcmp(loaded, "1\n"))
			rc = -ENOTRECOVERABLE;
		kexec_unload();
	}
out:
	if (kfd >= 0)
		close(kfd);
	if (ifd >= 0)
		close(ifd);
	return rc;
}

/* IMA reads a policy file when its path is written to ima/policy. */
static int load_ima_policy(const char *path)
{
	int fd = open(IMA_POLICY, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc;

	if (fd < 0)
		return -errno;
	n = write(fd, path, strlen(path));
	rc = n < 0 ? -errno : n == (ssize_t)strlen(path) ? 0 : -EIO;
	close(fd);
	return rc;
}

/* ---- a table of cases ---- */

/* What a case does. */
enum ipe_action {
	DO_EXEC,		/* run(@file) */
	DO_MMAP,		/* map_exec(@file) */
	DO_MMAP_ANON,		/* map_exec_anon() */
	DO_FINIT_MODULE,	/* load_module_file(@file) */
	DO_INIT_MODULE,		/* load_module_buffer() */
	DO_FIRMWARE,		/* load_firmware(@file), a directory */
	DO_KEXEC,		/* load_kexec(@file, @initrd) */
	DO_IMA_POLICY,		/* load_ima_policy(@file) */
};

static const char *const action_names[] = {
	[DO_EXEC] = "exec", [DO_MMAP] = "mmap", [DO_MMAP_ANON] = "anonymous mmap",
	[DO_FINIT_MODULE] = "finit_module", [DO_INIT_MODULE] = "init_module",
	[DO_FIRMWARE] = "firmware from", [DO_KEXEC] = "kexec_file_load",
	[DO_IMA_POLICY] = "IMA policy",
};

/* A decision in the log, as decided() looks for it. */
struct logged {
	const char *op;		/* NULL: none to look for */
	const char *path;	/* "none": no file */
	const char *action;
	unsigned int line;
	const char *rule;
};

struct ipe_case {
	enum ipe_action how;
	const char *file;
	const char *initrd;	/* DO_KEXEC: the initramfs, or NULL */
	int ret;		/* what it returns */
	/*
	 * The decisions it logged: one, two (a kexec image and its
	 * initramfs), or none to check.
	 */
	struct logged logged[2];
	const char *hook;	/* if set, what the last log line has */
};

static int do_case(const struct ipe_case *c)
{
	switch (c->how) {
	case DO_EXEC:
		return run(c->file);
	case DO_MMAP:
		return map_exec(c->file);
	case DO_MMAP_ANON:
		return map_exec_anon();
	case DO_FINIT_MODULE:
		return load_module_file(c->file);
	case DO_INIT_MODULE:
		return load_module_buffer();
	case DO_FIRMWARE:
		return load_firmware(c->file);
	case DO_KEXEC:
		return load_kexec(c->file, c->initrd);
	case DO_IMA_POLICY:
		return load_ima_policy(c->file);
	}
	return -EINVAL;
}

/*
 * Each case in turn, under the active policy @policy: what it does returns
 * what the case says, and the first decision logged after it for each of
 * its operations is the one the case names.
 */
static void check_cases(struct __test_metadata *_metadata, const char *policy,
			const struct ipe_case *cases, size_t n)
{
	char line[1024];
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct ipe_case *c = &cases[i];
		long long seq = log_seq();

		EXPECT_EQ(c->ret, do_case(c))
			TH_LOG("%s case %zu: %s %s%s%s", policy, i, action_names[c->how],
			       c->file ?: "", c->initrd ? " with " : "", c->initrd ?: "");
		for (j = 0; j < ARRAY_SIZE(c->logged) && c->logged[j].op; j++) {
			const struct logged *l = &c->logged[j];

			EXPECT_TRUE(decided(seq, l->op, l->path, l->action, policy, l->line,
					    l->rule))
				TH_LOG("%s case %zu: %s %s", policy, i, l->op, l->path);
		}
		if (c->hook)
			EXPECT_NE(NULL, strstr(last_log_line(line, sizeof(line)), c->hook))
				TH_LOG("%s case %zu: no \"%s\" in %s", policy, i, c->hook, line);
	}
}

#define ALLOW_DEFAULT	"DEFAULT action=ALLOW"
#define DENY_DEFAULT	"DEFAULT action=DENY"

/* ---- the fixture ---- */

FIXTURE(ipe) {
	char fw_path[256];
	bool added_rsa;
};

FIXTURE_SETUP(ipe)
{
	char v[64];
	int rc;

	/* An active policy of a higher version would refuse every example. */
	status_get("active_version", v, sizeof(v));
	ASSERT_TRUE(!v[0] || !strcmp(v, "0.0.0"))
		TH_LOG("active policy version %s: IPE's examples are 0.0.0, so this suite must run before any test activates a higher version",
		       v);
	rc = load_example("allow-all.pol");
	ASSERT_TRUE(!rc || rc == -EEXIST) TH_LOG("Allow_All: %d", rc);
	ASSERT_EQ(0, activate("Allow_All"));
	ASSERT_EQ(0, set_enforce(1));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	read_file(FW_PATH_PARAM, self->fw_path, sizeof(self->fw_path));
	self->fw_path[strcspn(self->fw_path, "\n")] = '\0';

	mkdir(WORK, 0755);
	ASSERT_EQ(0, make_prog(DISK_PROG, NULL, 0));
	ASSERT_EQ(0, access(BOOT_DIR "/" FW_NAME, R_OK));
	ASSERT_EQ(0, access(BOOT_DIR "/ima.policy", R_OK));
	ASSERT_EQ(0, access(BOOT_DIR "/initrd", R_OK));
	ASSERT_EQ(0, write_text(WORK "/" FW_NAME, FW_TEXT));
	ASSERT_EQ(0, write_text(WORK "/ima.policy", IMA_TEXT));
}

FIXTURE_TEARDOWN(ipe)
{
	size_t i;

	set_enforce(1);
	activate("Allow_All");
	for (i = 0; i < ARRAY_SIZE(example_names); i++)
		delete_policy(example_names[i]);
	write_str(SFS "/success_audit", "0");
	/* A lone NUL sets the parameter back to empty. */
	if (self->fw_path[0])
		write_str(FW_PATH_PARAM, self->fw_path);
	else
		write_file(FW_PATH_PARAM, "", 1);
	if (self->added_rsa)
		keyring_remove(sig_id("RSA_SKID"));
}

/* ---- Policy Examples ---- */

/* "Allow all": DEFAULT action=ALLOW, for every operation. */
static const struct ipe_case allow_all[] = {
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", DISK_PROG, "ALLOW", 2, ALLOW_DEFAULT } } },
	{ .how = DO_MMAP_ANON, .ret = 0 },
	{ .how = DO_FINIT_MODULE, .file = DISK_PROG, .ret = -ENOEXEC,
	  .logged = { { "KMODULE", DISK_PROG, "ALLOW", 2, ALLOW_DEFAULT } } },
	{ .how = DO_FIRMWARE, .file = WORK, .ret = 0,
	  .logged = { { "FIRMWARE", WORK "/" FW_NAME, "ALLOW", 2, ALLOW_DEFAULT } } },
	/* The kexec loader gets the file, and finds no bzImage in it. */
	{ .how = DO_KEXEC, .file = DISK_PROG, .ret = -ENOEXEC,
	  .logged = { { "KEXEC_IMAGE", DISK_PROG, "ALLOW", 2, ALLOW_DEFAULT } } },
	{ .how = DO_KEXEC, .file = BZIMAGE, .initrd = DISK_PROG, .ret = 0,
	  .logged = { { "KEXEC_INITRAMFS", DISK_PROG, "ALLOW", 2, ALLOW_DEFAULT } } },
	{ .how = DO_IMA_POLICY, .file = WORK "/ima.policy", .ret = 0,
	  .logged = { { "POLICY", WORK "/ima.policy", "ALLOW", 2, ALLOW_DEFAULT } } },
};

TEST_F(ipe, allow_all_allows_every_operation)
{
	check_cases(_metadata, "Allow_All", allow_all, ARRAY_SIZE(allow_all));
}

/* "Allow only initramfs": exec from the initramfs, nothing else at all. */
static const struct ipe_case allow_initramfs_exec[] = {
	{ .how = DO_EXEC, .file = PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", PROG, "ALLOW", 4,
			"op=EXECUTE boot_verified=TRUE action=ALLOW" } } },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "EXECUTE", DISK_PROG, "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_MMAP, .file = PROG, .ret = 0 },
};

TEST_F(ipe, allow_initramfs_runs_only_initramfs_programs)
{
	ASSERT_EQ(0, use_example("allow-initramfs.pol", "Allow_Initramfs"));
	check_cases(_metadata, "Allow_Initramfs", allow_initramfs_exec,
		    ARRAY_SIZE(allow_initramfs_exec));
}

/*
 * IPE's two audit examples (admin-guide/LSM/ipe.rst lines 337 and 341): an
 * executable mmap of a file, and of anonymous memory, denied by "DEFAULT
 * action=DENY".
 */
static const struct ipe_case allow_initramfs_mmap[] = {
	{ .how = DO_MMAP, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "EXECUTE", DISK_PROG, "DENY", 2, DENY_DEFAULT } },
	  .hook = " hook=MMAP " },
	{ .how = DO_MMAP_ANON, .ret = -EACCES,
	  .logged = { { "EXECUTE", "none", "DENY", 2, DENY_DEFAULT } },
	  .hook = " hook=MMAP " },
};

TEST_F(ipe, allow_initramfs_denies_mmap_as_in_the_audit_examples)
{
	ASSERT_EQ(0, use_example("allow-initramfs.pol", "Allow_Initramfs"));
	check_cases(_metadata, "Allow_Initramfs", allow_initramfs_mmap,
		    ARRAY_SIZE(allow_initramfs_mmap));
}

/* Its rule is for EXECUTE: every kernel read falls to DEFAULT action=DENY. */
static const struct ipe_case allow_initramfs_reads[] = {
	{ .how = DO_FINIT_MODULE, .file = PROG, .ret = -EACCES,
	  .logged = { { "KMODULE", PROG, "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_INIT_MODULE, .ret = -EACCES,
	  .logged = { { "KMODULE", "none", "DENY", 2, DENY_DEFAULT } } },
	/* The loader goes on to the next directory, and finds nothing. */
	{ .how = DO_FIRMWARE, .file = BOOT_DIR, .ret = -ENOENT,
	  .logged = { { "FIRMWARE", BOOT_DIR "/" FW_NAME, "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_KEXEC, .file = BZIMAGE, .ret = -EACCES,
	  .logged = { { "KEXEC_IMAGE", BZIMAGE, "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_IMA_POLICY, .file = BOOT_DIR "/ima.policy", .ret = -EACCES,
	  .logged = { { "POLICY", BOOT_DIR "/ima.policy", "DENY", 2, DENY_DEFAULT } } },
};

TEST_F(ipe, allow_initramfs_denies_every_kernel_read)
{
	ASSERT_EQ(0, use_example("allow-initramfs.pol", "Allow_Initramfs"));
	check_cases(_metadata, "Allow_Initramfs", allow_initramfs_reads,
		    ARRAY_SIZE(allow_initramfs_reads));
}

/*
 * The dm-verity examples load when the kernel evaluates dm-verity
 * properties, and are otherwise refused as not supported by this build,
 * naming the first such property: the test follows the kernel's answer.
 */
static void dmverity_example(struct __test_metadata *_metadata, const char *file,
			     const char *name, const char *first_prop, unsigned int line)
{
	char want[256], v[512], path[512], *text;
	size_t len;
	int rc;

	rc = load_example(file);
	if (rc == -EOPNOTSUPP) {
		snprintf(want, sizeof(want),
			 "line %u, column 12: property '%s' is not supported by this build",
			 line, first_prop);
		EXPECT_NE(NULL, strstr(status_get("last_policy_error", v, sizeof(v)), want))
			TH_LOG("%s", v);
		EXPECT_FALSE(policy_exists(name));
		return;
	}
	ASSERT_EQ(0, rc) TH_LOG("%s: neither loaded nor EOPNOTSUPP", file);
	snprintf(path, sizeof(path), EXAMPLES "/%s", file);
	text = slurp(path, &len);
	ASSERT_NE(NULL, text);
	text[len] = '\0';
	policy_path(path, sizeof(path), name, "policy");
	read_file(path, v, sizeof(v));
	EXPECT_STREQ(text, v);
	free(text);
	/* Not on dm-verity, the disk falls to the DEFAULT; the initramfs runs. */
	ASSERT_EQ(0, activate(name));
	EXPECT_EQ(PROG_EXIT, run(PROG));
	EXPECT_EQ(-EACCES, run(DISK_PROG));
}

TEST_F(ipe, allow_signed_dmv_and_initramfs_loads_if_supported)
{
	dmverity_example(_metadata, "allow-signed-dmv-and-initramfs.pol",
			 "Allow_Signed_DMV_And_Initramfs", "dmverity_signature", 5);
}

TEST_F(ipe, deny_dmv_by_roothash_loads_if_supported)
{
	dmverity_example(_metadata, "deny-dmv-by-roothash.pol", "Deny_DMV_By_Roothash",
			 "dmverity_roothash", 4);
}

/* The one exception: a 28-byte "sha256" root hash, which IPE loads. */
TEST_F(ipe, allow_dmv_by_roothash_is_refused)
{
	int rc = load_example("allow-dmv-by-roothash.pol");
	char v[512];

	/* Without dm-verity properties, the property is refused first. */
	const char *want = rc == -EOPNOTSUPP ?
		"line 4, column 12: property 'dmverity_roothash' is not supported by this build" :
		"line 4, column 37: dmverity_roothash: a sha256 digest is 64 hex digits, got 56";

	if (rc != -EOPNOTSUPP)
		EXPECT_EQ(-EBADMSG, rc);
	status_get("last_policy_error", v, sizeof(v));
	EXPECT_NE(NULL, strstr(v, want)) TH_LOG("%s", v);
	EXPECT_FALSE(policy_exists("Allow_DMV_By_Roothash"));
}

/* "Allow any fs-verity file with a valid built-in signature". */
static const struct ipe_case signed_fsverity[] = {
	{ .how = DO_EXEC, .file = WORK "/signed", .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", WORK "/signed", "ALLOW", 4,
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW" } } },
	{ .how = DO_EXEC, .file = WORK "/verity", .ret = -EACCES,
	  .logged = { { "EXECUTE", WORK "/verity", "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_EXEC, .file = PROG, .ret = -EACCES },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = -EACCES },
};

TEST_F(ipe, allow_signed_and_validated_fsverity)
{
	long sigil = sigil_keyring_id(), fsv = keyring_id(".fs-verity");
	char id[96], path[256];
	struct stat st;
	size_t len;
	void *sig;

	/*
	 * The signer goes into .sigil for this test only.  .fs-verity, which
	 * must accept the signature for fs-verity to enable it, gets what
	 * signed_test gives it: the signer and a stranger.
	 */
	snprintf(id, sizeof(id), "id:%s", sig_id("RSA_SKID"));
	ASSERT_NE(0, sigil);
	ASSERT_NE(0, fsv);
	if (search(sigil, id) < 0) {
		ASSERT_LT(0, add_key_file(SIGS "/keys/rsa.der", sigil));
		self->added_rsa = true;
	}
	if (search(fsv, id) < 0) {
		ASSERT_LT(0, add_key_file(SIGS "/keys/rsa.der", fsv));
		ASSERT_LT(0, add_key_file(SIGS "/keys/stranger.der", fsv));
	}
	if (stat(WORK "/signed", &st)) {
		ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/signed", NULL));
		snprintf(path, sizeof(path), SIGS "/files/a.fsv");
		sig = slurp(path, &len);
		ASSERT_NE(NULL, sig);
		ASSERT_EQ(0, enable_verity_sig(WORK "/signed", sig, len));
		free(sig);
	}
	ASSERT_EQ(0, make_prog(WORK "/verity", "unsigned", 1));

	ASSERT_EQ(0, use_example("allow-signed-and-validated-fsverity.pol",
				 "Allow_Signed_And_Validated_FSVerity"));
	check_cases(_metadata, "Allow_Signed_And_Validated_FSVerity", signed_fsverity,
		    ARRAY_SIZE(signed_fsverity));
}

/*
 * "Allow execution of a specific fs-verity file": no file here has that
 * digest (the host test shows that one would run); everything else is
 * denied, the initramfs included.
 */
static const struct ipe_case fsv_by_digest[] = {
	{ .how = DO_EXEC, .file = WORK "/verity", .ret = -EACCES,
	  .logged = { { "EXECUTE", WORK "/verity", "DENY", 2, DENY_DEFAULT } } },
	{ .how = DO_EXEC, .file = PROG, .ret = -EACCES },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = -EACCES },
};

TEST_F(ipe, allow_fsv_by_digest_runs_nothing_else)
{
	char digest[65];

	ASSERT_EQ(0, make_prog(WORK "/verity", "unsigned", 1));
	ASSERT_EQ(0, verity_digest(WORK "/verity", digest));
	ASSERT_STRNE("fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e", digest);
	ASSERT_EQ(0, use_example("allow-fsv-by-digest.pol", "ALLOW_FSV_By_Digest"));
	check_cases(_metadata, "ALLOW_FSV_By_Digest", fsv_by_digest, ARRAY_SIZE(fsv_by_digest));
}

/* ---- Policy: deploying Ex_Policy, and the minimal rule ---- */

static const struct ipe_case ex_policy[] = {
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", DISK_PROG, "ALLOW", 6,
			"DEFAULT op=EXECUTE action=ALLOW" } } },
	{ .how = DO_FINIT_MODULE, .file = DISK_PROG, .ret = -ENOEXEC,
	  .logged = { { "KMODULE", DISK_PROG, "ALLOW", 3, ALLOW_DEFAULT } } },
};

/*
 * The deployment steps of "Deploying Policies", through sigil's files:
 * write the policy to new_policy, "echo 1" to active, then to delete.
 */
TEST_F(ipe, ex_policy_deploys_activates_and_deletes)
{
	char path[512], buf[512], *text;
	size_t len;

	ASSERT_EQ(0, load_example("ex-policy.pol"));
	EXPECT_TRUE(policy_exists("Ex_Policy"));
	text = slurp(EXAMPLES "/ex-policy.pol", &len);
	ASSERT_NE(NULL, text);
	text[len] = '\0';
	policy_path(path, sizeof(path), "Ex_Policy", "policy");
	read_file(path, buf, sizeof(buf));
	EXPECT_STREQ(text, buf);
	free(text);
	policy_path(path, sizeof(path), "Ex_Policy", "version");
	read_file(path, buf, sizeof(buf));
	EXPECT_STREQ("0.0.0\n", buf);
	/* "a file exists error": the same name again. */
	EXPECT_EQ(-EEXIST, load_example("ex-policy.pol"));

	ASSERT_EQ(0, policy_write("Ex_Policy", "active", "1\n"));
	EXPECT_STREQ("Ex_Policy", status_get("active_policy", buf, sizeof(buf)));
	check_cases(_metadata, "Ex_Policy", ex_policy, ARRAY_SIZE(ex_policy));

	/* The active policy cannot go (IPE: EPERM; sigil: EBUSY). */
	EXPECT_EQ(-EBUSY, policy_write("Ex_Policy", "delete", "1\n"));
	ASSERT_EQ(0, activate("Allow_All"));
	EXPECT_EQ(0, policy_write("Ex_Policy", "delete", "1\n"));
	EXPECT_FALSE(policy_exists("Ex_Policy"));
}

/* "This example will allow any execution." */
static const struct ipe_case minimal_rule[] = {
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", DISK_PROG, "ALLOW", 6, "op=EXECUTE action=ALLOW" } } },
	{ .how = DO_EXEC, .file = PROG, .ret = PROG_EXIT },
	{ .how = DO_MMAP_ANON, .ret = 0 },
	{ .how = DO_FINIT_MODULE, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "KMODULE", DISK_PROG, "DENY", 4, DENY_DEFAULT } } },
};

TEST_F(ipe, minimal_rule_allows_any_execution)
{
	ASSERT_EQ(0, use_example("minimal-rule.pol", "Minimal_Rule"));
	check_cases(_metadata, "Minimal_Rule", minimal_rule, ARRAY_SIZE(minimal_rule));
}

/* ---- Properties: boot_verified, both values ---- */

static const struct ipe_case boot_verified[] = {
	{ .how = DO_EXEC, .file = PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", PROG, "ALLOW", 7,
			"op=EXECUTE boot_verified=TRUE action=ALLOW" } } },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "EXECUTE", DISK_PROG, "DENY", 8,
			"op=EXECUTE boot_verified=FALSE action=DENY" } } },
	{ .how = DO_MMAP_ANON, .ret = -EACCES,
	  .logged = { { "EXECUTE", "none", "DENY", 8,
			"op=EXECUTE boot_verified=FALSE action=DENY" } } },
};

TEST_F(ipe, prop_boot_verified_true_and_false)
{
	ASSERT_EQ(0, use_example("prop-boot-verified.pol", "Prop_Boot_Verified"));
	check_cases(_metadata, "Prop_Boot_Verified", boot_verified, ARRAY_SIZE(boot_verified));
}

/*
 * ---- Properties / op: each operation the guest can trigger, in the
 * derived op-*.pol policies.  Line 12 allows the initramfs, line 11 denies
 * the rest, line 8 allows the other operations.
 */

#define OP_RULE(op)	"op=" op " boot_verified=TRUE action=ALLOW"
#define OP_DEFAULT(op)	"DEFAULT op=" op " action=DENY"

static const struct ipe_case op_execute[] = {
	{ .how = DO_EXEC, .file = PROG, .ret = PROG_EXIT,
	  .logged = { { "EXECUTE", PROG, "ALLOW", 12, OP_RULE("EXECUTE") } } },
	{ .how = DO_MMAP, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "EXECUTE", DISK_PROG, "DENY", 11, OP_DEFAULT("EXECUTE") } } },
	{ .how = DO_FINIT_MODULE, .file = DISK_PROG, .ret = -ENOEXEC,
	  .logged = { { "KMODULE", DISK_PROG, "ALLOW", 8, ALLOW_DEFAULT } } },
};

TEST_F(ipe, op_execute)
{
	ASSERT_EQ(0, use_example("op-execute.pol", "Op_EXECUTE"));
	check_cases(_metadata, "Op_EXECUTE", op_execute, ARRAY_SIZE(op_execute));
}

static const struct ipe_case op_kmodule[] = {
	{ .how = DO_FINIT_MODULE, .file = PROG, .ret = -ENOEXEC,
	  .logged = { { "KMODULE", PROG, "ALLOW", 12, OP_RULE("KMODULE") } } },
	{ .how = DO_FINIT_MODULE, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "KMODULE", DISK_PROG, "DENY", 11, OP_DEFAULT("KMODULE") } } },
	{ .how = DO_INIT_MODULE, .ret = -EACCES,
	  .logged = { { "KMODULE", "none", "DENY", 11, OP_DEFAULT("KMODULE") } } },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = PROG_EXIT },
};

TEST_F(ipe, op_kmodule)
{
	ASSERT_EQ(0, use_example("op-kmodule.pol", "Op_KMODULE"));
	check_cases(_metadata, "Op_KMODULE", op_kmodule, ARRAY_SIZE(op_kmodule));
}

static const struct ipe_case op_firmware[] = {
	{ .how = DO_FIRMWARE, .file = BOOT_DIR, .ret = 0,
	  .logged = { { "FIRMWARE", BOOT_DIR "/" FW_NAME, "ALLOW", 12,
			OP_RULE("FIRMWARE") } } },
	{ .how = DO_FIRMWARE, .file = WORK, .ret = -ENOENT,
	  .logged = { { "FIRMWARE", WORK "/" FW_NAME, "DENY", 11,
			OP_DEFAULT("FIRMWARE") } } },
	{ .how = DO_EXEC, .file = DISK_PROG, .ret = PROG_EXIT },
};

TEST_F(ipe, op_firmware)
{
	ASSERT_EQ(0, use_example("op-firmware.pol", "Op_FIRMWARE"));
	check_cases(_metadata, "Op_FIRMWARE", op_firmware, ARRAY_SIZE(op_firmware));
}

/*
 * The kernel's own bzImage from the initramfs loads; the disk's file is
 * refused before the kexec loader sees it.
 */
static const struct ipe_case op_kexec_image[] = {
	{ .how = DO_KEXEC, .file = BZIMAGE, .ret = 0,
	  .logged = { { "KEXEC_IMAGE", BZIMAGE, "ALLOW", 12, OP_RULE("KEXEC_IMAGE") } } },
	{ .how = DO_KEXEC, .file = DISK_PROG, .ret = -EACCES,
	  .logged = { { "KEXEC_IMAGE", DISK_PROG, "DENY", 11,
			OP_DEFAULT("KEXEC_IMAGE") } } },
};

TEST_F(ipe, op_kexec_image)
{
	ASSERT_EQ(0, use_example("op-kexec-image.pol", "Op_KEXEC_IMAGE"));
	check_cases(_metadata, "Op_KEXEC_IMAGE", op_kexec_image, ARRAY_SIZE(op_kexec_image));
}

/*
 * The initramfs is read only after the image passed the kexec loader's
 * checks: this needs a real bzImage.
 */
static const struct ipe_case op_kexec_initramfs[] = {
	{ .how = DO_KEXEC, .file = BZIMAGE, .initrd = BOOT_DIR "/initrd", .ret = 0,
	  .logged = { { "KEXEC_IMAGE", BZIMAGE, "ALLOW", 8, ALLOW_DEFAULT },
		      { "KEXEC_INITRAMFS", BOOT_DIR "/initrd", "ALLOW", 12,
			OP_RULE("KEXEC_INITRAMFS") } } },
	{ .how = DO_KEXEC, .file = BZIMAGE, .initrd = DISK_PROG, .ret = -EACCES,
	  .logged = { { "KEXEC_INITRAMFS", DISK_PROG, "DENY", 11,
			OP_DEFAULT("KEXEC_INITRAMFS") } } },
};

TEST_F(ipe, op_kexec_initramfs)
{
	ASSERT_EQ(0, use_example("op-kexec-initramfs.pol", "Op_KEXEC_INITRAMFS"));
	check_cases(_metadata, "Op_KEXEC_INITRAMFS", op_kexec_initramfs,
		    ARRAY_SIZE(op_kexec_initramfs));
}

static const struct ipe_case op_policy[] = {
	{ .how = DO_IMA_POLICY, .file = BOOT_DIR "/ima.policy", .ret = 0,
	  .logged = { { "POLICY", BOOT_DIR "/ima.policy", "ALLOW", 12,
			OP_RULE("POLICY") } } },
	{ .how = DO_IMA_POLICY, .file = WORK "/ima.policy", .ret = -EACCES,
	  .logged = { { "POLICY", WORK "/ima.policy", "DENY", 11,
			OP_DEFAULT("POLICY") } } },
};

TEST_F(ipe, op_policy)
{
	ASSERT_EQ(0, use_example("op-policy.pol", "Op_POLICY"));
	check_cases(_metadata, "Op_POLICY", op_policy, ARRAY_SIZE(op_policy));
}

/*
 * X509_CERT: the kernel reads IMA's and EVM's certificates once, before
 * /init; a policy loaded from userspace never sees such a read.
 */
TEST_F(ipe, op_x509_cert_loads)
{
	ASSERT_EQ(0, load_example("op-x509-cert.pol"));
	EXPECT_TRUE(policy_exists("Op_X509_CERT"));
	EXPECT_EQ(0, delete_policy("Op_X509_CERT"));
}

/*
 * Last (fixtures run in the order they are declared): hand the guest to the
 * tests that follow, as they expect it.
 */
FIXTURE(handback) {
};

FIXTURE_SETUP(handback)
{
}

FIXTURE_TEARDOWN(handback)
{
}

TEST_F(handback, to_the_baseline)
{
	char v[64];
	size_t i;

	ASSERT_EQ(0, restore_baseline());
	EXPECT_STREQ("baseline", status_get("active_policy", v, sizeof(v)));
	/* Versions only go up: IPE's 0.0.0 cannot come back over 1.0.0. */
	EXPECT_EQ(-ESTALE, activate("Allow_All"));
	EXPECT_EQ(0, delete_policy("Allow_All"));
	for (i = 0; i < ARRAY_SIZE(example_names); i++)
		EXPECT_FALSE(policy_exists(example_names[i])) TH_LOG("%s", example_names[i]);
	EXPECT_STREQ("0", status_get("success_audit", v, sizeof(v)));
	read_file(FW_PATH_PARAM, v, sizeof(v));
	EXPECT_STREQ("\n", v);
}

TEST_HARNESS_MAIN
