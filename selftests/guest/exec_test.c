// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enforcement: execve(), executable mmap() and mprotect(), and kernel file
 * reads, decided by fsverity_digest and boot_verified rules, with every
 * denial logged with the rule that decided it.
 */

#include <sys/mman.h>
#include <sys/syscall.h>

#include "common.h"
#include "kselftest_harness.h"

#define ALLOWED	DISK "/allowed"		/* fs-verity, digest in the policy */
#define UNLISTED DISK "/unlisted"	/* fs-verity, digest not listed */
#define PLAIN	DISK "/plain"		/* same bytes as ALLOWED, no fs-verity */

FIXTURE(exec) {
	char digest[65];
};

/*
 * Line 3 is the EXECUTE default, line 5 the digest rule; tests check that
 * the log names them.
 */
FIXTURE_SETUP(exec)
{
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, make_prog(ALLOWED, "allowed", 1));
	ASSERT_EQ(0, make_prog(UNLISTED, "unlisted", 1));
	ASSERT_EQ(0, make_prog(PLAIN, "allowed", 0));
	ASSERT_EQ(0, verity_digest(ALLOWED, self->digest));
	ASSERT_EQ(0, load_policy("policy_name=t_exec policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n",
				 self->digest));
	ASSERT_EQ(0, activate("t_exec"));
}

FIXTURE_TEARDOWN(exec)
{
	drop_policy("t_exec");
	drop_policy("t_other");
}

TEST_F(exec, allowed_digest_runs)
{
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
}

TEST_F(exec, unlisted_digest_is_eacces)
{
	EXPECT_EQ(-EACCES, run(UNLISTED));
}

TEST_F(exec, copy_without_fsverity_is_eacces)
{
	EXPECT_EQ(-EACCES, run(PLAIN));
}

TEST_F(exec, boot_verified_allows_initramfs)
{
	EXPECT_EQ(PROG_EXIT, run(PROG));
}

TEST_F(exec, denial_is_logged_with_the_deciding_rule)
{
	char line[1024], want[256];
	struct stat st;

	ASSERT_EQ(0, stat(UNLISTED, &st));
	ASSERT_EQ(-EACCES, run(UNLISTED));
	last_log_line(line, sizeof(line));
	TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " action=DENY enforce=1 op=EXECUTE hook=BPRM_CHECK pid="));
	EXPECT_NE(NULL, strstr(line, " comm=\"exec_test\""));
	snprintf(want, sizeof(want), " path=\"/mnt/unlisted\" dev=\"vda\" ino=%lu ",
		 (unsigned long)st.st_ino);
	EXPECT_NE(NULL, strstr(line, want));
	EXPECT_NE(NULL, strstr(line, " policy=\"t_exec\" line=3 rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

/* A file name must not be able to end the log line or forge a field. */
TEST_F(exec, log_escapes_hostile_file_names)
{
	static const char name[] = DISK "/x\" action=ALLOW\nseq=0 y";
	char line[1024];

	ASSERT_EQ(0, make_prog(name, "hostile", 0));
	EXPECT_EQ(-EACCES, run(name));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " path=\"/mnt/x\\x22 action=ALLOW\\x0aseq=0 y\" "))
		TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " action=DENY ")) TH_LOG("%s", line);
}

TEST_F(exec, allow_logged_only_with_success_audit)
{
	char line[1024];

	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " action=ALLOW ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " line=5 rule=\"op=EXECUTE fsverity_digest=sha256:"))
		TH_LOG("%s", line);
}

TEST_F(exec, counters_count_decisions)
{
	long long denied = status_num("denied");

	EXPECT_EQ(-EACCES, run(UNLISTED));
	EXPECT_EQ(denied + 1, status_num("denied"));
}

TEST_F(exec, mmap_exec_of_unlisted_file_is_eacces)
{
	int fd = open(UNLISTED, O_RDONLY);
	void *p;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0));
	EXPECT_EQ(EACCES, errno);
	close(fd);
}

TEST_F(exec, mmap_exec_of_allowed_file_works)
{
	int fd = open(ALLOWED, O_RDONLY);
	void *p;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	EXPECT_NE(MAP_FAILED, p);
	munmap(p, 4096);
	close(fd);
}

TEST_F(exec, mprotect_adding_exec_to_unlisted_file_is_eacces)
{
	char line[1024];
	int fd = open(UNLISTED, O_RDONLY);
	void *p;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	EXPECT_EQ(EACCES, errno);
	EXPECT_NE(NULL, strstr(last_log_line(line, sizeof(line)), " hook=MPROTECT "));
	munmap(p, 4096);
	close(fd);
}

TEST_F(exec, mprotect_adding_exec_to_allowed_file_works)
{
	int fd = open(ALLOWED, O_RDONLY);
	void *p;

	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(0, mprotect(p, 4096, PROT_READ | PROT_EXEC));
	munmap(p, 4096);
	close(fd);
}

/* As in IPE: anonymous executable memory has no file to vouch for it. */
TEST_F(exec, anonymous_exec_mapping_falls_to_default)
{
	char line[1024];

	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_EXEC,
				   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
	EXPECT_EQ(EACCES, errno);
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " hook=MMAP ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " path=none ")) TH_LOG("%s", line);
}

TEST_F(exec, permissive_mode_allows_and_logs)
{
	long long before = status_num("permissive_denials");
	char line[1024];

	ASSERT_EQ(0, set_enforce(0));
	EXPECT_EQ(PROG_EXIT, run(UNLISTED));
	ASSERT_EQ(0, set_enforce(1));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " action=DENY enforce=0 op=EXECUTE ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " path=\"/mnt/unlisted\" ")) TH_LOG("%s", line);
	/*
	 * Two would-be denials: execve() itself, then the ELF loader's
	 * PROT_EXEC mapping of the program's one text segment, which
	 * enforce mode never reaches.
	 */
	EXPECT_EQ(before + 2, status_num("permissive_denials"));
	EXPECT_EQ(-EACCES, run(UNLISTED));
}

TEST_F(exec, first_match_wins_revocation_before_allow)
{
	char line[1024];

	ASSERT_EQ(0, load_policy("policy_name=t_other policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=DENY\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n",
				 self->digest, self->digest));
	ASSERT_EQ(0, activate("t_other"));
	EXPECT_EQ(-EACCES, run(ALLOWED));
	EXPECT_NE(NULL, strstr(last_log_line(line, sizeof(line)), " line=4 rule=\"op=EXECUTE"))
		TH_LOG("%s", line);
	EXPECT_EQ(PROG_EXIT, run(PROG));
}

TEST_F(exec, switching_policies_changes_decisions)
{
	ASSERT_EQ(0, load_policy("policy_name=t_other policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
	ASSERT_EQ(0, activate("t_other"));
	EXPECT_EQ(-EACCES, run(ALLOWED));
	EXPECT_EQ(PROG_EXIT, run(PROG));
	ASSERT_EQ(0, activate("t_exec"));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
}

TEST_F(exec, failed_load_keeps_enforcing_the_old_policy)
{
	EXPECT_EQ(-EBADMSG, load_policy("policy_name=t_other policy_version=" TEST_VERSION "\n"
					"DEFAULT action=ALLOW\nop=EXECUTE action=MAYBE\n"));
	EXPECT_EQ(-EACCES, run(UNLISTED));
	EXPECT_EQ(PROG_EXIT, run(ALLOWED));
}

static long finit_module(int fd)
{
	return syscall(SYS_finit_module, fd, "", 0);
}

/* kernel_read_file: a module read from a file is op=KMODULE. */
TEST_F(exec, kmodule_read_follows_its_default)
{
	char line[1024];
	int fd;

	ASSERT_EQ(0, load_policy("policy_name=t_other policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=KMODULE action=DENY\n"));
	fd = open(PLAIN, O_RDONLY);
	ASSERT_LE(0, fd);

	/* Allowed: the module loader gets the file and finds no ELF module. */
	EXPECT_EQ(-1, finit_module(fd));
	EXPECT_NE(EACCES, errno);

	ASSERT_EQ(0, activate("t_other"));
	EXPECT_EQ(-1, finit_module(fd));
	EXPECT_EQ(EACCES, errno);
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " op=KMODULE hook=KERNEL_READ ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " line=3 rule=\"DEFAULT op=KMODULE action=DENY\""))
		TH_LOG("%s", line);
	close(fd);
}

/* kernel_load_data: a module from a user buffer has no file at all. */
TEST_F(exec, kmodule_from_buffer_follows_its_default)
{
	static char image[64] = "\x7f" "ELF";
	char line[1024];

	ASSERT_EQ(0, load_policy("policy_name=t_other policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=KMODULE action=DENY\n"));
	ASSERT_EQ(0, activate("t_other"));
	EXPECT_EQ(-1, syscall(SYS_init_module, image, sizeof(image), ""));
	EXPECT_EQ(EACCES, errno);
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " op=KMODULE hook=KERNEL_LOAD ")) TH_LOG("%s", line);
	EXPECT_NE(NULL, strstr(line, " path=none ")) TH_LOG("%s", line);
}

TEST_HARNESS_MAIN
