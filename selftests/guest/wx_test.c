// SPDX-License-Identifier: GPL-2.0-only
/*
 * Memory that no file vouches for: anonymous executable memory, and the
 * routes that make an allowed file's private mapping run other bytes (write
 * and exec together, exec over copied pages, write added to an executable
 * mapping).  Each is decided as an event without a file; anonymous=TRUE
 * with a property of the running program (program_fsverity_digest,
 * program_signer) allows it for one program only: a JIT.
 *
 * The program is this test itself, copied to the disk with fs-verity and
 * run as "wx_test --jit", which tries each kind of executable memory and
 * reports what it got in its exit status.
 */

#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/personality.h>
#include <sys/stat.h>

#include "common.h"
#include "kselftest_harness.h"
#include "memory_cases.h"

#define WORK	DISK "/wx"
#define ALLOWED	WORK "/allowed"		/* fs-verity, digest in the policy */
#define JIT	WORK "/jit"		/* a copy of this test, fs-verity */
#define SIGILCTL "/bin/sigilctl"
#define LDSO	"/lib64/ld-linux-x86-64.so.2"
#define SWAP	"/bin/exe_swap"		/* selftests/guest/exe_swap.c */

/* mov eax, 42; ret */
static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };

/* What the JIT child reports: each failing step has its own status. */
enum jit_status {
	JIT_OK		= 0,
	JIT_RWX_DENIED	= 11,	/* mmap(RWX, anonymous) was refused */
	JIT_RWX_OTHER	= 12,
	JIT_RWX_WRONG	= 13,	/* the code ran but did not return 42 */
	JIT_RX_DENIED	= 21,	/* mprotect(RX) of written anonymous memory */
	JIT_RX_OTHER	= 22,
	JIT_RX_WRONG	= 23,
};

static int jit_child(void)
{
	int (*fn)(void);
	void *p;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return errno == EACCES ? JIT_RWX_DENIED : JIT_RWX_OTHER;
	memcpy(p, code, sizeof(code));
	fn = (int (*)(void))p;
	if (fn() != 42)
		return JIT_RWX_WRONG;
	munmap(p, 4096);

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS,
		 -1, 0);
	if (p == MAP_FAILED)
		return JIT_RX_OTHER;
	memcpy(p, code, sizeof(code));
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		return errno == EACCES ? JIT_RX_DENIED : JIT_RX_OTHER;
	fn = (int (*)(void))p;
	if (fn() != 42)
		return JIT_RX_WRONG;
	return JIT_OK;
}

/*
 * Run from an overlayfs as SELF, a program that may not JIT: copy itself
 * up (a setattr does), turn the upper copy into the JIT program (its
 * bytes, then fs-verity), and try what the JIT tries.  The lower file
 * still runs; the overlay file's real file is now the JIT program's twin.
 */
static int copyup_jit(const char *self, const char *upper)
{
	if (utimensat(AT_FDCWD, self, NULL, 0))
		return 40;
	if (copy_file(JIT, upper, NULL))
		return 41;
	if (enable_verity(upper))
		return 43;
	return jit_child();
}

FIXTURE(wx) {
	char digest[65];
	char jit_digest[65];
};

FIXTURE_SETUP(wx)
{
	mkdir(WORK, 0755);
	/* A test that stopped at an assertion left its policies behind. */
	drop_policy("t_wx");
	drop_policy("t_wx_jit");
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, make_prog(ALLOWED, "wx-allowed", 1));
	ASSERT_EQ(0, verity_digest(ALLOWED, self->digest));
	if (access(JIT, F_OK)) {
		ASSERT_EQ(0, copy_file("/proc/self/exe", JIT, NULL));
		ASSERT_EQ(0, enable_verity(JIT));
	}
	ASSERT_EQ(0, verity_digest(JIT, self->jit_digest));
	ASSERT_EQ(0, load_policy("policy_name=t_wx policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n",
				 self->digest, self->jit_digest));
	ASSERT_EQ(0, activate("t_wx"));
}

FIXTURE_TEARDOWN(wx)
{
	drop_policy("t_wx");
	drop_policy("t_wx_jit");
}

/* The policy of t_wx, plus @rule before the others. */
static int jit_policy(FIXTURE_DATA(wx) *self, const char *rule)
{
	int rc = load_policy("policy_name=t_wx_jit policy_version=" TEST_VERSION "\n"
			     "DEFAULT action=ALLOW\n"
			     "DEFAULT op=EXECUTE action=DENY\n"
			     "%s\n"
			     "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			     "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			     "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n",
			     rule, self->digest, self->jit_digest);

	return rc ? rc : activate("t_wx_jit");
}

static void mem_case_failed(const char *name, int want, int got)
{
	fprintf(stderr, "# %s: want %d, got %d\n", name, want, got);
}

/* The routes to executable memory that the BPF mode's test runs too. */
TEST_F(wx, shared_memory_cases)
{
	EXPECT_EQ(0, run_mem_cases(ALLOWED, mem_case_failed));
}

TEST_F(wx, allowed_file_maps_executable)
{
	void *p = mc_map(ALLOWED, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	p = mc_map(ALLOWED, PROT_READ | PROT_EXEC, MAP_SHARED);
	ASSERT_NE(MAP_FAILED, p);
	munmap(p, 4096);
}

/* Write and exec together: the process can put anything there. */
TEST_F(wx, writable_private_exec_mapping_is_eacces)
{
	EXPECT_EQ(MAP_FAILED, mc_map(ALLOWED, PROT_READ | PROT_WRITE | PROT_EXEC,
				       MAP_PRIVATE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" hook=MMAP pid="));
	EXPECT_TRUE(log_has(" path=\"" ALLOWED "\" "));
	EXPECT_TRUE(log_has(" memory=writable-private "));
	EXPECT_TRUE(log_has(" line=3 rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

/* Copy-on-write pages are the process's, not the file's. */
TEST_F(wx, written_private_copy_made_executable_is_eacces)
{
	char *p = mc_map(ALLOWED, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	ASSERT_NE(MAP_FAILED, p);
	memcpy(p + 64, code, sizeof(code));
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" hook=MPROTECT "));
	EXPECT_TRUE(log_has(" memory=copied-private "));
	munmap(p, 4096);
}

TEST_F(wx, write_added_to_executable_private_mapping_is_eacces)
{
	char *p = mc_map(ALLOWED, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_WRITE | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" hook=MPROTECT "));
	EXPECT_TRUE(log_has(" memory=writable-private "));
	munmap(p, 4096);
}

/* The file's own bytes may be made executable again: nothing was copied. */
TEST_F(wx, exec_restored_over_unwritten_pages_works)
{
	char *p = mc_map(ALLOWED, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mprotect(p, 4096, PROT_READ));
	EXPECT_EQ(0, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	munmap(p, 4096);
}

TEST_F(wx, exec_restored_over_written_pages_is_eacces)
{
	char *p = mc_map(ALLOWED, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, mprotect(p, 4096, PROT_READ | PROT_WRITE));
	memcpy(p + 64, code, sizeof(code));
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" memory=copied-private "));
	munmap(p, 4096);
}

/* personality(READ_IMPLIES_EXEC) makes a readable mapping executable. */
TEST_F(wx, read_implies_exec_mapping_is_eacces)
{
	unsigned long old = personality(0xffffffff);
	void *p;

	ASSERT_NE(-1, personality(old | READ_IMPLIES_EXEC));
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	personality(old);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" memory=anonymous "));
	if (p != MAP_FAILED)
		munmap(p, 4096);
}

/* Without a rule for it, no program gets executable anonymous memory. */
TEST_F(wx, jit_is_denied_without_a_rule)
{
	EXPECT_EQ(JIT_RWX_DENIED, run_arg(JIT, "--jit"));
	EXPECT_TRUE(log_has(" memory=anonymous "));
	EXPECT_TRUE(log_has(" path=none "));
}

/* anonymous=TRUE alone is every program's JIT, and no file's pass. */
TEST_F(wx, anonymous_rule_allows_memory_not_files)
{
	char *p;

	ASSERT_EQ(0, jit_policy(self, "op=EXECUTE anonymous=TRUE action=ALLOW"));
	EXPECT_EQ(JIT_OK, run_arg(JIT, "--jit"));
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	/* A writable private mapping of a file is anonymous memory too. */
	p = mc_map(ALLOWED, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	/*
	 * So is shared anonymous memory, also once it has its shmem file:
	 * written, then made executable.
	 */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, p);
	p[0] = (char)0xc3;
	EXPECT_EQ(0, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	munmap(p, 4096);
	/* An unlisted file is still a file: anonymous=TRUE does not hold. */
	ASSERT_EQ(0, make_prog(WORK "/unlisted", "wx-unlisted", 0));
	EXPECT_EQ(-EACCES, run(WORK "/unlisted"));
}

/* "The signed browser may JIT, nothing else may": one rule. */
TEST_F(wx, program_fsverity_digest_allows_one_programs_jit)
{
	char rule[256];
	void *p;

	snprintf(rule, sizeof(rule),
		 "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:%s action=ALLOW",
		 self->jit_digest);
	ASSERT_EQ(0, jit_policy(self, rule));
	EXPECT_EQ(JIT_OK, run_arg(JIT, "--jit"));
	/* This test runs from the initramfs: another program. */
	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" program=\"/selftests/wx_test\""));
	EXPECT_TRUE(log_has(" line=3 rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

/*
 * The running program is the file execve() ran.  exe_swap, run through the
 * dynamic loader, unmaps the loader and makes the JIT program its
 * executable (prctl(PR_SET_MM_EXE_FILE), which /proc/self/exe then shows):
 * it is no program at all, and gets no executable memory.
 */
TEST_F(wx, program_is_what_execve_ran_not_what_prctl_names)
{
	char *argv[] = { LDSO, SWAP, JIT, NULL };
	char rule[256], line[1024];

	snprintf(rule, sizeof(rule),
		 "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:%s action=ALLOW",
		 self->jit_digest);
	ASSERT_EQ(0, jit_policy(self, rule));
	ASSERT_EQ(JIT_OK, run_arg(JIT, "--jit"));
	/* 33 would say that prctl() failed, and proved nothing. */
	EXPECT_EQ(JIT_RWX_DENIED, run_argv_at(AT_FDCWD, LDSO, argv, 0));
	EXPECT_TRUE(log_has(" line=3 rule=\"DEFAULT op=EXECUTE action=DENY\""));
	last_log_line(line, sizeof(line));
	EXPECT_EQ(NULL, strstr(line, " program=")) TH_LOG("%s", line);
}

/*
 * A program that overlayfs copies up while it runs keeps the real file it
 * ran: its upper copy, made the JIT program's twin, does not make it the
 * JIT.
 */
TEST_F(wx, program_stays_the_lower_file_after_a_copy_up)
{
	char *argv[] = { WORK "/ovl/merged/other", "--copyup-jit",
			 WORK "/ovl/upper/other", NULL };
	char rule[512], other[65], data[256];

	umount2(WORK "/ovl/merged", MNT_DETACH);
	ASSERT_EQ(0, system("rm -rf " WORK "/ovl"));
	ASSERT_EQ(0, system("mkdir -p " WORK "/ovl/lower " WORK "/ovl/upper "
			    WORK "/ovl/work " WORK "/ovl/merged"));
	/* This test with one byte more: another program, not the JIT. */
	ASSERT_EQ(0, copy_file(JIT, WORK "/ovl/lower/other", "!"));
	ASSERT_EQ(0, enable_verity(WORK "/ovl/lower/other"));
	ASSERT_EQ(0, verity_digest(WORK "/ovl/lower/other", other));
	ASSERT_STRNE(other, self->jit_digest);
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s",
		 WORK "/ovl/lower", WORK "/ovl/upper", WORK "/ovl/work");
	ASSERT_EQ(0, mount("overlay", WORK "/ovl/merged", "overlay", 0, data));
	snprintf(rule, sizeof(rule),
		 "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:%s action=ALLOW\n"
		 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW",
		 self->jit_digest, other);
	ASSERT_EQ(0, jit_policy(self, rule));
	/* Copied up, made the twin (not 40, 41, 43), and refused. */
	EXPECT_EQ(JIT_RWX_DENIED, run_argv_at(AT_FDCWD, argv[0], argv, 0));
	umount2(WORK "/ovl/merged", MNT_DETACH);
}

/* The program's digest decides, not its file's: the same rule for a file. */
TEST_F(wx, program_property_does_not_allow_the_programs_files)
{
	char rule[256];

	snprintf(rule, sizeof(rule),
		 "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:%s action=ALLOW",
		 self->digest);
	ASSERT_EQ(0, jit_policy(self, rule));
	EXPECT_EQ(JIT_RWX_DENIED, run_arg(JIT, "--jit"));
}

static int sign_jit(void)
{
	long ring = sigil_keyring_id(), fsv = keyring_id(".fs-verity");
	int status;

	if (!ring || !fsv)
		return -ENOKEY;
	if (ensure_key(ring, "RSA_SKID", "rsa.der") || ensure_key(fsv, "RSA_SKID", "rsa.der"))
		return -ENOKEY;
	unlink(WORK "/jit-signed");
	if (copy_file("/proc/self/exe", WORK "/jit-signed", "signed"))
		return -EIO;
	status = system(SIGILCTL " sign --fsverity --key " SIGS "/keys/rsa.key --cert "
			SIGS "/keys/rsa.pem " WORK "/jit-signed > /dev/null 2>&1");
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

TEST_F(wx, program_signer_allows_signed_programs_jit)
{
	char rule[512], policy[1024];

	ASSERT_EQ(0, sign_jit());
	snprintf(rule, sizeof(rule),
		 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
		 "op=EXECUTE anonymous=TRUE program_signer=%s action=ALLOW",
		 sig_id("RSA_SKID"));
	ASSERT_EQ(0, jit_policy(self, rule));
	EXPECT_EQ(JIT_OK, run_arg(WORK "/jit-signed", "--jit"));
	/* The same bytes, fs-verity without a signature: no signer. */
	EXPECT_EQ(JIT_RWX_DENIED, run_arg(JIT, "--jit"));
	EXPECT_TRUE(log_has(" program=\"" JIT "\" program_fsverity_sig=absent"));

	/* Another signer named: denied. */
	snprintf(policy, sizeof(policy),
		 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
		 "op=EXECUTE anonymous=TRUE program_signer=%s action=ALLOW",
		 sig_id("EC_SKID"));
	drop_policy("t_wx_jit");
	ASSERT_EQ(0, jit_policy(self, policy));
	EXPECT_EQ(JIT_RWX_DENIED, run_arg(WORK "/jit-signed", "--jit"));
	EXPECT_TRUE(log_has(" program_fsverity_sig=valid"));
}

/*
 * sigil/explain for memory without a file: "EXECUTE anonymous [PFD]",
 * with @program as the running program, or none.  The answer in @buf.
 */
static int explain_anonymous(const char *program, char *buf, size_t size)
{
	char query[64];
	int pfd = -1, q, rc = 0;
	ssize_t n;

	buf[0] = '\0';
	if (program) {
		pfd = open(program, O_RDONLY | O_CLOEXEC);
		if (pfd < 0)
			return -errno;
		snprintf(query, sizeof(query), "EXECUTE anonymous %d\n", pfd);
	} else {
		snprintf(query, sizeof(query), "EXECUTE anonymous\n");
	}
	q = open(SFS "/explain", O_RDWR | O_CLOEXEC);
	if (q < 0) {
		rc = -errno;
	} else if (write(q, query, strlen(query)) < 0) {
		rc = -errno;
	} else {
		n = read(q, buf, size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	if (q >= 0)
		close(q);
	if (pfd >= 0)
		close(pfd);
	return rc;
}

/* "May this program JIT?": the kernel answers, naming the rule and facts. */
TEST_F(wx, explain_answers_for_a_named_program)
{
	char rule[256], a[4096], want[128];

	snprintf(rule, sizeof(rule),
		 "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:%s action=ALLOW",
		 self->jit_digest);
	ASSERT_EQ(0, jit_policy(self, rule));
	ASSERT_EQ(0, explain_anonymous(JIT, a, sizeof(a)));
	EXPECT_NE(NULL, strstr(a, "path=none\n")) TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "action=ALLOW\nmatch=rule\nline=4\n")) TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "anonymous=TRUE\n")) TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "program=" JIT "\n")) TH_LOG("\n%s", a);
	snprintf(want, sizeof(want), "program_fsverity_digest=sha256:%s\n", self->jit_digest);
	EXPECT_NE(NULL, strstr(a, want)) TH_LOG("\n%s", a);
	/* No program named: none runs, and the rule does not hold. */
	ASSERT_EQ(0, explain_anonymous(NULL, a, sizeof(a)));
	EXPECT_NE(NULL, strstr(a, "action=DENY\nmatch=op_default\nline=3\n")) TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "program=none\n")) TH_LOG("\n%s", a);
	/* Another program: its digest is not the one named. */
	ASSERT_EQ(0, explain_anonymous(ALLOWED, a, sizeof(a)));
	EXPECT_NE(NULL, strstr(a, "action=DENY\n")) TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "program=" ALLOWED "\n")) TH_LOG("\n%s", a);

	/* sigilctl asks the same question, and exits 0 for ALLOW. */
	EXPECT_EQ(0, system(SIGILCTL " explain --anonymous --program " JIT
			    " > /tmp/wx-explain.out"));
	ASSERT_LT(0, read_file("/tmp/wx-explain.out", a, sizeof(a)));
	EXPECT_NE(NULL, strstr(a, "ALLOW by line 4: op=EXECUTE anonymous=TRUE program_fsverity_digest="))
		TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "  file:    none: memory or data without a file\n"))
		TH_LOG("\n%s", a);
	EXPECT_NE(NULL, strstr(a, "    program              " JIT "\n")) TH_LOG("\n%s", a);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--jit"))
		return jit_child();
	if (argc == 3 && !strcmp(argv[1], "--copyup-jit"))
		return copyup_jit(argv[0], argv[2]);
	return test_harness_run(argc, argv);
}
