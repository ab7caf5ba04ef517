// SPDX-License-Identifier: GPL-2.0-only
/*
 * The BPF mode on Debian's stock kernel (no sigil built in): sigilctl bpf
 * loads the program, and every route that the built-in LSM's tests try is
 * tried here: exec, executable mmap, mprotect adding PROT_EXEC, memory
 * without a file, module loads, fs-verity signatures in a user xattr,
 * boot_verified, manifests, permissive mode, refused policies, explain,
 * and, last, what root can no longer do once the mode is locked.
 *
 * The BPF mode is one global state: the tests run in order, each loading
 * the policy it needs (a load replaces the one in force).  Fixtures
 * (selftests/fixtures/bpf-fixtures) are at /bpf: a certificate the tests
 * trust and one they do not, and fs-verity signatures of signed.bin.
 */

#include <linux/bpf.h>
#include <sys/mount.h>
#include <sys/syscall.h>
#include <sys/xattr.h>

#include "exec_cases.h"
#include "kselftest_harness.h"
#include "memory_cases.h"
#include "sigilctl.h"

#ifndef KEYCTL_REVOKE
#define KEYCTL_REVOKE	3
#endif

#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE	(1 << 1)
#endif

#define FIX		"/bpf"
#define PIN		"/sys/fs/bpf/sigil"
#define ALLOWED		DISK "/allowed"
#define OTHER		DISK "/other"
#define SIGNED		DISK "/signed"
#define BADSIG		DISK "/badsig"
#define NOSIG		DISK "/nosig"
#define POL		"/tmp/bpf.pol"
#define SIG_XATTR	"user.sigil.fsverity"

static char allowed_hex[65];

/* Write a policy: the header, then @rules (each ending in \n). */
static int __attribute__((format(printf, 1, 2))) policy(const char *fmt, ...)
{
	char *rules;
	va_list ap;
	FILE *f;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&rules, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -1;
	f = fopen(POL, "w");
	if (!f)
		return -1;
	fprintf(f, "policy_name=bpf policy_version=1.0.0\n%s", rules);
	free(rules);
	return fclose(f);
}

/* Set up the files once: /mnt/allowed and /mnt/other with fs-verity. */
static void files(void)
{
	static bool done;
	size_t len;
	void *sig;

	if (done)
		return;
	done = true;
	make_prog(ALLOWED, "allowed", 1);
	make_prog(OTHER, "other", 1);
	verity_digest(ALLOWED, allowed_hex);
	/* signed.bin's signatures were made on the host for its content. */
	copy_file(FIX "/signed.bin", SIGNED, NULL);
	copy_file(FIX "/signed.bin", BADSIG, NULL);
	copy_file(FIX "/signed.bin", NOSIG, NULL);
	enable_verity(SIGNED);
	enable_verity(BADSIG);
	enable_verity(NOSIG);
	sig = slurp(FIX "/signed.sig", &len);
	if (sig)
		setxattr(SIGNED, SIG_XATTR, sig, len, 0);
	free(sig);
	sig = slurp(FIX "/untrusted.sig", &len);
	if (sig)
		setxattr(BADSIG, SIG_XATTR, sig, len, 0);
	free(sig);
}

/* The standard policy: boot files and ALLOWED's digest may run. */
static int load_allowlist(const char *extra_opts)
{
	files();
	if (policy("DEFAULT action=ALLOW\n"
		   "DEFAULT op=EXECUTE action=DENY\n"
		   "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
		   "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n",
		   allowed_hex))
		return -1;
	return ctl("bpf load %s " POL, extra_opts ? extra_opts : "");
}

static int map_then_mprotect(const char *path, int flags, int prot)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;
	int rc = 0;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ | (prot & PROT_WRITE), flags, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	if (prot & PROT_WRITE)
		*(volatile char *)p = 0;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC | (prot & PROT_WRITE)))
		rc = -errno;
	munmap(p, 4096);
	return rc;
}

static int finit(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = syscall(SYS_finit_module, fd, "", 0) ? -errno : 0;
	close(fd);
	return rc;
}

/* Does what sigilctl bpf log printed contain @s? (Reading consumes it.) */
static bool logged(const char *s)
{
	return ctl("bpf log") == 0 && strstr(r.out, s);
}

TEST(unsupported_property_refused_with_line_and_nothing_loaded)
{
	struct stat st;

	/* The header is line 1: ima_signature is on line 4, column 12. */
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "op=EXECUTE ima_signature=TRUE action=ALLOW\n"));
	EXPECT_EQ(1, ctl("bpf load " POL));
	EXPECT_NE(NULL, strstr(r.out, POL ":4:12: error: property 'ima_signature' cannot be evaluated in BPF mode"))
		TH_LOG("%s", r.out);
	EXPECT_NE(0, stat(PIN "/sigil_config", &st));

	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "op=EXECUTE program_signer=openpgp:0123 action=ALLOW\n"));
	EXPECT_EQ(1, ctl("bpf load " POL));
	EXPECT_NE(NULL, strstr(r.out, POL ":3:12: error: property 'program_signer' cannot"))
		TH_LOG("%s", r.out);
}

TEST(exec_allowed_by_digest_or_boot_and_denied_otherwise)
{
	/* Open for writing across the first load: its writes pass no hook. */
	int held = open("/victim3", O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, held);
	ASSERT_EQ(0, load_allowlist(NULL)) TH_LOG("%s%s", r.out, r.err);
	/* (execve() refuses a file open for writing: map it instead.) */
	EXPECT_EQ(-EACCES, map_exec("/victim3"));
	EXPECT_EQ(0, map_exec(PROG));
	close(held);
	EXPECT_EQ(PROG_EXIT, run(PROG));		/* in the initramfs */
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	EXPECT_EQ(-EACCES, run(OTHER));
	/* Created after the load: not boot_verified, though on rootfs. */
	ASSERT_EQ(0, copy_file(PROG, "/tmp/copy", NULL));
	EXPECT_EQ(-EACCES, run("/tmp/copy"));
	EXPECT_TRUE(logged("path=" OTHER)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "action=DENY match=op_default line=3"));
}

static void exec_case_ran(const char *name, int got)
{
	fprintf(stderr, "# %s: the unlisted program ran (%d)\n", name, got);
}

/* The routes from a file to running code, as the built-in LSM's test runs them. */
TEST(exec_routes)
{
	ASSERT_EQ(0, load_allowlist(NULL));
	mkdir(DISK "/routes", 0755);
	ASSERT_EQ(0, make_prog(DISK "/routes/unlisted", "unlisted route", 0));
	if (access(DISK "/routes/dynamic", F_OK))
		ASSERT_EQ(0, copy_file("/bin/sigilctl", DISK "/routes/dynamic", NULL));
	EXPECT_EQ(0, run_exec_cases(DISK "/routes/unlisted", DISK "/routes/dynamic",
				    DISK "/routes", exec_case_ran));
}

TEST(initramfs_file_loses_boot_verified_when_written)
{
	int fd;

	ASSERT_EQ(0, load_allowlist(NULL));
	EXPECT_EQ(PROG_EXIT, run("/victim"));
	fd = open("/victim", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EACCES, run("/victim"));
	/* Truncation too. */
	EXPECT_EQ(PROG_EXIT, run("/victim2"));
	ASSERT_EQ(0, truncate("/victim2", 4096));
	EXPECT_EQ(-EACCES, run("/victim2"));
}

static void mem_case_failed(const char *name, int want, int got)
{
	fprintf(stderr, "# %s: want %d, got %d\n", name, want, got);
}

/* The routes to executable memory, as the built-in LSM's wx_test runs them. */
TEST(mmap_and_mprotect)
{
	void *p;

	ASSERT_EQ(0, load_allowlist(NULL));
	EXPECT_EQ(0, run_mem_cases(ALLOWED, mem_case_failed));
	/* And a file the policy does not allow, mapped or made executable. */
	EXPECT_EQ(-EACCES, map_exec(OTHER));
	EXPECT_EQ(-EACCES, map_then_mprotect(OTHER, MAP_PRIVATE, 0));
	/* A rule for memory without a file allows it. */
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "op=EXECUTE anonymous=TRUE action=ALLOW\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "DEFAULT op=EXECUTE action=DENY\n"));
	ASSERT_EQ(0, ctl("bpf load " POL));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_NE(MAP_FAILED, p);
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

TEST(module_allowed_by_digest_and_denied_otherwise)
{
	char hex[65];
	void *buf;
	size_t len;

	ASSERT_EQ(0, copy_file("/lib/modules-extra/crc8.ko", DISK "/crc8.ko", NULL));
	ASSERT_EQ(0, copy_file("/lib/modules-extra/dummy.ko", DISK "/dummy.ko", NULL));
	ASSERT_EQ(0, enable_verity(DISK "/crc8.ko"));
	ASSERT_EQ(0, verity_digest(DISK "/crc8.ko", hex));
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "DEFAULT op=KMODULE action=DENY\n"
			    "op=KMODULE fsverity_digest=sha256:%s action=ALLOW\n", hex));
	ASSERT_EQ(0, ctl("bpf load " POL)) TH_LOG("%s%s", r.out, r.err);
	EXPECT_EQ(-EACCES, finit(DISK "/dummy.ko"));
	EXPECT_EQ(0, finit(DISK "/crc8.ko"));
	/* From a buffer: no file, only a DEFAULT decides. */
	buf = slurp(DISK "/dummy.ko", &len);
	ASSERT_NE(NULL, buf);
	EXPECT_EQ(-1, syscall(SYS_init_module, buf, len, ""));
	EXPECT_EQ(EACCES, errno);
	free(buf);
	EXPECT_TRUE(logged("op=KMODULE hook=kernel_read")) TH_LOG("%s", r.out);
}

TEST(fsverity_signature_in_user_xattr)
{
	size_t len;
	void *sig;

	files();
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "DEFAULT op=EXECUTE action=DENY\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, ctl("bpf load --keyring sigil-test --cert " FIX "/trusted.der " POL))
		TH_LOG("%s%s", r.out, r.err);
	EXPECT_EQ(PROG_EXIT, run(SIGNED));
	EXPECT_EQ(-EACCES, run(BADSIG));	/* a key the keyring lacks */
	EXPECT_EQ(-EACCES, run(NOSIG));
	EXPECT_EQ(-EACCES, run(OTHER));
	EXPECT_TRUE(logged("path=" BADSIG)) TH_LOG("%s", r.out);
	/* A changed signature is verified again, not taken from the cache. */
	sig = slurp(FIX "/untrusted.sig", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, setxattr(SIGNED, SIG_XATTR, sig, len, 0));
	free(sig);
	EXPECT_EQ(-EACCES, run(SIGNED));
	sig = slurp(FIX "/signed.sig", &len);
	ASSERT_EQ(0, setxattr(SIGNED, SIG_XATTR, sig, len, 0));
	free(sig);
	EXPECT_EQ(PROG_EXIT, run(SIGNED));
	/* A garbage signature denies. */
	ASSERT_EQ(0, setxattr(NOSIG, SIG_XATTR, "garbage", 7, 0));
	EXPECT_EQ(-EACCES, run(NOSIG));
}

/* An error while verifying denies, and the log says why. */
TEST(verification_error_fails_closed)
{
	size_t len;
	void *sig;
	long ring;

	files();
	ASSERT_EQ(0, copy_file(FIX "/signed.bin", DISK "/signed2", NULL));
	ASSERT_EQ(0, enable_verity(DISK "/signed2"));
	sig = slurp(FIX "/signed.sig", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, setxattr(DISK "/signed2", SIG_XATTR, sig, len, 0));
	free(sig);
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "DEFAULT op=EXECUTE action=DENY\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, ctl("bpf load --keyring sigil-gone --cert " FIX "/trusted.der " POL));
	ring = keyring_id("sigil-gone");
	ASSERT_LT(0, ring);
	logged("");
	/* The keyring is revoked: the signature cannot be checked. */
	ASSERT_EQ(0, keyctl(KEYCTL_REVOKE, ring, 0, 0, 0));
	EXPECT_EQ(-EACCES, run(DISK "/signed2"));
	EXPECT_TRUE(logged("match=error error=-128 reason=\"fsverity_signature: Key has been revoked\"")) TH_LOG("%s", r.out);
}

TEST(permissive_logs_and_allows)
{
	ASSERT_EQ(0, load_allowlist("--permissive"));
	logged("");
	EXPECT_EQ(PROG_EXIT, run(OTHER));
	EXPECT_TRUE(logged("action=DENY(permissive)")) TH_LOG("%s", r.out);
	/* Locking a permissive mode would keep it permissive: refused. */
	EXPECT_EQ(1, ctl("bpf lock"));
	EXPECT_NE(NULL, strstr(r.err, "permissive")) TH_LOG("%s", r.err);
	ASSERT_EQ(0, ctl("bpf mode enforce"));
	EXPECT_EQ(-EACCES, run(OTHER));
}

TEST(failed_load_keeps_the_policy_in_force)
{
	ASSERT_EQ(0, load_allowlist(NULL));
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"));
	EXPECT_EQ(1, ctl("bpf load " POL));
	EXPECT_EQ(-EACCES, run(OTHER));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	/* An older version of the policy in force: rollback, refused. */
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, system("sed -i 's/policy_version=1.0.0/policy_version=0.9.0/' " POL));
	EXPECT_EQ(1, ctl("bpf load " POL));
	EXPECT_NE(NULL, strstr(r.out, "older than the one in force")) TH_LOG("%s", r.out);
	EXPECT_EQ(-EACCES, run(OTHER));
	/* A signed policy without --keys: sigilctl checks signatures here. */
	EXPECT_EQ(1, ctl("bpf load " FIX "/allow-all.p7"));
	EXPECT_NE(NULL, strstr(r.out, "give --keys")) TH_LOG("%s", r.out);
	EXPECT_EQ(1, ctl("bpf load --keys " FIX "/untrusted.pem " FIX "/allow-all.p7"));
	EXPECT_EQ(-EACCES, run(OTHER));
	EXPECT_EQ(0, ctl("bpf load --keys " FIX "/trusted.pem " FIX "/allow-all.p7"))
		TH_LOG("%s%s", r.out, r.err);
	EXPECT_EQ(PROG_EXIT, run(OTHER));
	/* OpenPGP, from gpg --sign, checked with the same code. */
	ASSERT_EQ(0, load_allowlist(NULL));
	EXPECT_EQ(0, ctl("bpf load --keys " FIX "/pgp.pgp " FIX "/allow-all.gpg"))
		TH_LOG("%s%s", r.out, r.err);
	EXPECT_EQ(PROG_EXIT, run(OTHER));
	EXPECT_EQ(1, ctl("bpf load --keys " FIX "/trusted.pem " FIX "/allow-all.gpg"));
}

TEST(manifest_binds_digest_to_path)
{
	FILE *f;

	files();
	f = fopen("/tmp/base.mf", "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "manifest_name=base manifest_version=1.0.0\n"
		   ALLOWED " fsverity=sha256:%s\n", allowed_hex);
	fclose(f);
	ASSERT_EQ(0, ctl("bpf manifest /tmp/base.mf")) TH_LOG("%s%s", r.out, r.err);
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "DEFAULT op=EXECUTE action=DENY\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "op=EXECUTE manifest=base@1.0.0 action=ALLOW\n"));
	ASSERT_EQ(0, ctl("bpf load " POL));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	/* The same bytes under another name: a swap. */
	unlink(DISK "/renamed");
	ASSERT_EQ(0, link(ALLOWED, DISK "/renamed"));
	EXPECT_EQ(-EACCES, run(DISK "/renamed"));
	EXPECT_TRUE(logged("manifest=not_listed")) TH_LOG("%s", r.out);
	/* From a chroot, a path cannot be trusted: no_path. */
	EXPECT_EQ(0, system("mkdir -p /mnt/root/mnt && mount --bind /mnt /mnt/root/mnt"));
	EXPECT_NE(0, system("chroot /mnt/root /mnt/allowed"));
	EXPECT_TRUE(logged("manifest=no_path")) TH_LOG("%s", r.out);
	umount("/mnt/root/mnt");
	/* Revocation: v2 without the entry. */
	f = fopen("/tmp/base2.mf", "w");
	ASSERT_NE(NULL, f);
	fprintf(f, "manifest_name=base manifest_version=2.0.0\n"
		   OTHER " fsverity=sha256:%064d\n", 0);
	fclose(f);
	ASSERT_EQ(0, ctl("bpf manifest /tmp/base2.mf"));
	EXPECT_EQ(-EACCES, run(ALLOWED));
	/* Rollback to v1. */
	EXPECT_EQ(1, ctl("bpf manifest /tmp/base.mf"));
	EXPECT_NE(NULL, strstr(r.out, "not newer")) TH_LOG("%s", r.out);
	EXPECT_EQ(-EACCES, run(ALLOWED));
	/* content= entries cannot be matched here: refused with their line. */
	f = fopen("/tmp/content.mf", "w");
	fprintf(f, "manifest_name=c manifest_version=1.0.0\n# comment\n"
		   "/bin/x content=sha256:%064d\n", 0);
	fclose(f);
	EXPECT_EQ(1, ctl("bpf manifest /tmp/content.mf"));
	EXPECT_NE(NULL, strstr(r.out, "content.mf:3: error: a content= entry")) TH_LOG("%s", r.out);
}

TEST(explain_says_why_and_maps_nothing)
{
	ASSERT_EQ(0, load_allowlist(NULL));
	EXPECT_EQ(1, ctl("bpf explain " OTHER));
	EXPECT_NE(NULL, strstr(r.out, "action=DENY match=op_default line=3")) TH_LOG("%s", r.out);
	EXPECT_EQ(0, ctl("bpf explain " ALLOWED));
	EXPECT_NE(NULL, strstr(r.out, "action=ALLOW match=rule line=5")) TH_LOG("%s", r.out);
	/* Explaining refused the mapping: the file was never mapped. */
	EXPECT_NE(NULL, strstr(r.out, "hook=mmap")) TH_LOG("%s", r.out);
	EXPECT_EQ(0, ctl("--json bpf status"));
	EXPECT_NE(NULL, strstr(r.out, "\"backend\":\"bpf\"")) TH_LOG("%s", r.out);
	/* Without sigil in the kernel, status, log and explain ask the BPF mode. */
	EXPECT_EQ(0, ctl("status"));
	EXPECT_NE(NULL, strstr(r.out, "backend: bpf")) TH_LOG("%s", r.out);
	EXPECT_EQ(1, ctl("explain " OTHER));
	EXPECT_NE(NULL, strstr(r.out, "match=op_default line=3")) TH_LOG("%s", r.out);
}

/*
 * dm-verity reports a volume's root hash through bdev_setintegrity, which
 * the program hooks: volumes opened after the load are known.  (A signed
 * root hash cannot be tested here: Debian's kernel checks it against its
 * own keyrings.)
 */
TEST(dmverity_roothash_from_bdev_setintegrity)
{
	char a[160], b[160];

	/* param() returns a buffer that its next call overwrites. */
	ASSERT_NE(0, strlen(param("A_ROOTHASH"))) TH_LOG("no " PARAMS);
	snprintf(a, sizeof(a), "%s:", param("HASH_ALG"));
	strcpy(b, a);
	strcat(a, param("A_ROOTHASH"));
	strcat(b, param("B_ROOTHASH"));
	ASSERT_EQ(0, policy("DEFAULT action=ALLOW\n"
			    "DEFAULT op=EXECUTE action=DENY\n"
			    "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			    "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"
			    "op=EXECUTE dmverity_roothash=%s action=ALLOW\n", a));
	ASSERT_EQ(0, ctl("bpf load " POL)) TH_LOG("%s%s", r.out, r.err);
	ASSERT_EQ(0, open_volume("a", 'A', NULL));
	ASSERT_EQ(0, open_volume("b", 'B', NULL));
	logged("");
	EXPECT_EQ(PROG_EXIT, run(VOL "/a/prog"));
	EXPECT_EQ(-EACCES, run(VOL "/b/prog"));
	EXPECT_EQ(-EACCES, run(OTHER));
	EXPECT_TRUE(logged("path=" VOL "/b/prog")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, b)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "dmverity_sig=absent")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "dmverity=none")) TH_LOG("%s", r.out);
}

/* ---- last: lock ---- */

static long sys_bpf(int cmd, union bpf_attr *attr)
{
	return syscall(__NR_bpf, cmd, attr, sizeof(*attr));
}

/*
 * Walk every map ID and ask for a descriptor of each: the number refused
 * with EPERM.  Once locked, only the maps the program writes and decides
 * by are refused (sigil_inodes, _scratch, _pcpu, _dmv, _inflight), and
 * nothing else on the system.
 */
static int maps_refused(void)
{
	union bpf_attr a;
	__u32 id = 0;
	int fd, refused = 0;

	for (;;) {
		memset(&a, 0, sizeof(a));
		a.start_id = id;
		if (sys_bpf(BPF_MAP_GET_NEXT_ID, &a))
			return refused;
		id = a.next_id;
		memset(&a, 0, sizeof(a));
		a.map_id = id;
		fd = sys_bpf(BPF_MAP_GET_FD_BY_ID, &a);
		if (fd >= 0)
			close(fd);
		else if (errno == EPERM)
			refused++;
	}
}

/* BPF_PROG_LOAD of "r0 = 0; exit" as @type; the descriptor or -errno. */
static int load_trivial(__u32 type, __u32 attach_type)
{
	struct bpf_insn insns[] = {
		{ .code = BPF_ALU64 | BPF_MOV | BPF_K, .dst_reg = BPF_REG_0 },
		{ .code = BPF_JMP | BPF_EXIT },
	};
	union bpf_attr a;
	int fd;

	memset(&a, 0, sizeof(a));
	a.prog_type = type;
	a.expected_attach_type = attach_type;
	a.insns = (unsigned long)insns;
	a.insn_cnt = 2;
	a.license = (unsigned long)"GPL";
	fd = sys_bpf(BPF_PROG_LOAD, &a);
	return fd < 0 ? -errno : fd;
}

TEST(lock_then_root_cannot_detach_unpin_or_rewrite)
{
	union bpf_attr a;
	__u32 zero = 0;
	char val[64] = { 0 };
	size_t len;
	void *der;
	int fd;
	long ring;

	ASSERT_EQ(0, load_allowlist("--keyring sigil-test"));
	ASSERT_EQ(0, ctl("bpf lock")) TH_LOG("%s%s", r.out, r.err);
	EXPECT_EQ(1, ctl("bpf unload"));
	EXPECT_EQ(1, ctl("bpf load " POL));
	EXPECT_EQ(1, ctl("bpf mode permissive"));
	EXPECT_EQ(-1, unlink(PIN "/link_sigil_bprm_check"));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, rename(PIN, "/sys/fs/bpf/elsewhere"));
	EXPECT_EQ(-1, umount2("/sys/fs/bpf", MNT_DETACH));
	EXPECT_EQ(EPERM, errno);
	EXPECT_EQ(-1, umount2("/sys/fs/bpf", 0));
	EXPECT_EQ(EPERM, errno);
	/* Lazily unmounting what holds it would drop it as surely. */
	EXPECT_EQ(-1, umount2("/sys", MNT_DETACH));
	EXPECT_EQ(EPERM, errno);
	/* Exchanging another directory with the pins' would hide them. */
	ASSERT_EQ(0, mkdir("/sys/fs/bpf/decoy", 0700));
	EXPECT_EQ(-1, syscall(SYS_renameat2, AT_FDCWD, "/sys/fs/bpf/decoy", AT_FDCWD, PIN,
			      RENAME_EXCHANGE));
	EXPECT_EQ(EPERM, errno);
	/* Detaching a link, by its pin. */
	memset(&a, 0, sizeof(a));
	a.pathname = (unsigned long)PIN "/link_sigil_bprm_check";
	fd = sys_bpf(BPF_OBJ_GET, &a);
	ASSERT_LE(0, fd);
	memset(&a, 0, sizeof(a));
	a.link_detach.link_fd = fd;
	EXPECT_EQ(-1, sys_bpf(BPF_LINK_DETACH, &a));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	/* The policy maps are frozen; the program's own refuse descriptors. */
	memset(&a, 0, sizeof(a));
	a.pathname = (unsigned long)PIN "/sigil_config";
	fd = sys_bpf(BPF_OBJ_GET, &a);
	ASSERT_LE(0, fd);
	memset(&a, 0, sizeof(a));
	a.map_fd = fd;
	a.key = (unsigned long)&zero;
	a.value = (unsigned long)val;
	EXPECT_EQ(-1, sys_bpf(BPF_MAP_UPDATE_ELEM, &a));
	EXPECT_EQ(EPERM, errno);
	close(fd);
	memset(&a, 0, sizeof(a));
	a.pathname = (unsigned long)PIN "/sigil_inodes";
	EXPECT_EQ(-1, sys_bpf(BPF_OBJ_GET, &a));
	EXPECT_EQ(5, maps_refused());
	/*
	 * No program that could run before this one on a hook and skip it:
	 * LSM, tracing (fentry, fmod_ret) and extension programs are refused
	 * before the verifier sees them; a socket filter still loads.
	 */
	EXPECT_EQ(-EPERM, load_trivial(BPF_PROG_TYPE_LSM, BPF_LSM_MAC));
	EXPECT_EQ(-EPERM, load_trivial(BPF_PROG_TYPE_TRACING, BPF_MODIFY_RETURN));
	EXPECT_EQ(-EPERM, load_trivial(BPF_PROG_TYPE_EXT, 0));
	fd = load_trivial(BPF_PROG_TYPE_SOCKET_FILTER, 0);
	EXPECT_LE(0, fd);
	if (fd >= 0)
		close(fd);
	/* The keyring takes no new key. */
	ring = keyring_id("sigil-test");
	ASSERT_LT(0, ring);
	der = slurp(FIX "/untrusted.der", &len);
	ASSERT_NE(NULL, der);
	EXPECT_GT(0, add_key("asymmetric", "", der, len, ring));
	free(der);
	/* And after all that, the policy still decides. */
	EXPECT_EQ(-EACCES, run(OTHER));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	EXPECT_EQ(0, ctl("bpf status"));
	EXPECT_NE(NULL, strstr(r.out, "locked: yes"));
	/* Its counters can still be read, and they counted the attempts. */
	EXPECT_EQ(NULL, strstr(r.out, "tamper_refused: 0\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "tamper_refused: ")) TH_LOG("%s", r.out);
}

TEST_HARNESS_MAIN
