// SPDX-License-Identifier: GPL-2.0-only
/*
 * Every route from a file to running code reaches a decision: execveat()
 * of a descriptor, /proc/self/fd, fexecve() of a memfd, a symlink or hard
 * link, the dynamic loader run by hand, a #! script's interpreter.  The
 * policy lets the initramfs run and nothing else; each route tries to run
 * the same unlisted program, and must be refused and logged with the file
 * it would have run.
 */

#include <sys/mman.h>

#include "common.h"
#include "exec_cases.h"
#include "kselftest_harness.h"

#define WORK		DISK "/routes"
#define UNLISTED	WORK "/unlisted"	/* a copy of PROG, not allowed */
#define DYN		WORK "/dynamic"		/* a dynamic program, not allowed */
#define LDSO		"/lib64/ld-linux-x86-64.so.2"

FIXTURE(routes) {
};

FIXTURE_SETUP(routes)
{
	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, make_prog(UNLISTED, "unlisted route", 0));
	if (access(DYN, F_OK))
		ASSERT_EQ(0, copy_file("/bin/sigilctl", DYN, NULL));
	ASSERT_EQ(0, load_policy("policy_name=t_routes policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_routes"));
}

FIXTURE_TEARDOWN(routes)
{
	drop_policy("t_routes");
}

static void exec_case_ran(const char *name, int got)
{
	fprintf(stderr, "# %s: the unlisted program ran (%d)\n", name, got);
}

/* The routes that the BPF mode's test runs too: each is refused. */
TEST_F(routes, shared_exec_cases)
{
	EXPECT_EQ(0, run_exec_cases(UNLISTED, DYN, WORK, exec_case_ran));
}

TEST_F(routes, execve_is_refused)
{
	EXPECT_EQ(-EACCES, run(UNLISTED));
	EXPECT_TRUE(log_has(" hook=BPRM_CHECK "));
	EXPECT_TRUE(log_has(" path=\"" UNLISTED "\" "));
}

TEST_F(routes, execveat_of_a_descriptor_is_refused)
{
	int fd = open(UNLISTED, O_RDONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(-EACCES, run_at(fd, "", NULL, AT_EMPTY_PATH));
	EXPECT_TRUE(log_has(" path=\"" UNLISTED "\" "));
	close(fd);
	fd = open(UNLISTED, O_PATH | O_CLOEXEC);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-EACCES, run_at(fd, "", NULL, AT_EMPTY_PATH));
	close(fd);
}

TEST_F(routes, execveat_relative_to_a_directory_is_refused)
{
	int dir = open(WORK, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	ASSERT_LE(0, dir);
	EXPECT_EQ(-EACCES, run_at(dir, "unlisted", NULL, 0));
	close(dir);
}

TEST_F(routes, proc_self_fd_is_refused)
{
	char path[64];
	int fd = open(UNLISTED, O_RDONLY);

	ASSERT_LE(0, fd);
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	EXPECT_EQ(-EACCES, run(path));
	EXPECT_TRUE(log_has(" path=\"" UNLISTED "\" "));
	close(fd);
}

TEST_F(routes, symlink_and_hard_link_are_refused)
{
	unlink(WORK "/symlink");
	unlink(WORK "/hardlink");
	ASSERT_EQ(0, symlink(UNLISTED, WORK "/symlink"));
	ASSERT_EQ(0, link(UNLISTED, WORK "/hardlink"));
	EXPECT_EQ(-EACCES, run(WORK "/symlink"));
	EXPECT_EQ(-EACCES, run(WORK "/hardlink"));
	EXPECT_TRUE(log_has(" path=\"" WORK "/hardlink\" "));
}

/* A memfd has no file on disk: the same bytes, no fact vouches for them. */
TEST_F(routes, memfd_is_refused)
{
	size_t len;
	void *prog = slurp(PROG, &len);
	int fd;

	ASSERT_NE(NULL, prog);
	fd = memfd_create("route", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)len, write(fd, prog, len));
	EXPECT_EQ(-EACCES, run_at(fd, "", NULL, AT_EMPTY_PATH));
	EXPECT_TRUE(log_has(" path=\"/memfd:route (deleted)\" "));
	EXPECT_EQ(MAP_FAILED, mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0));
	EXPECT_EQ(EACCES, errno);
	close(fd);
	free(prog);
}

/*
 * The dynamic loader, which the initramfs lets run, maps the program
 * itself: that mapping is decided on the program.
 */
TEST_F(routes, dynamic_loader_run_by_hand_cannot_map_the_program)
{
	char *argv[] = { LDSO, DYN, "--version", NULL }, *envp[] = { NULL };
	int status;
	pid_t pid;

	ASSERT_EQ(0, access(LDSO, X_OK));
	EXPECT_EQ(-EACCES, run(DYN));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execve(LDSO, argv, envp);
		_exit(255);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) != 0);
	EXPECT_TRUE(log_has(" hook=MMAP "));
	EXPECT_TRUE(log_has(" path=\"" DYN "\" "));
}

/* #! names an interpreter, which is executed, and decided, in turn. */
TEST_F(routes, script_with_an_unlisted_interpreter_is_refused)
{
	char digest[65];
	int fd;

	if (access(WORK "/script", F_OK)) {
		fd = open(WORK "/script", O_WRONLY | O_CREAT | O_TRUNC, 0755);
		ASSERT_LE(0, fd);
		ASSERT_LT(0, dprintf(fd, "#!" UNLISTED "\n"));
		close(fd);
		ASSERT_EQ(0, enable_verity(WORK "/script"));
	}
	ASSERT_EQ(0, verity_digest(WORK "/script", digest));
	EXPECT_EQ(-EACCES, run(WORK "/script"));
	EXPECT_TRUE(log_has(" path=\"" WORK "/script\" "));
	/* The script allowed, its interpreter is what is refused. */
	ASSERT_EQ(0, load_policy("policy_name=t_routes_script policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n", digest));
	ASSERT_EQ(0, activate("t_routes_script"));
	EXPECT_EQ(-EACCES, run(WORK "/script"));
	EXPECT_TRUE(log_has(" path=\"" UNLISTED "\" "));
	drop_policy("t_routes_script");
}

/*
 * An allowed interpreter reads its script as data: sigil decides the
 * interpreter, not the script (see the limits in the admin guide).
 */
TEST_F(routes, interpreter_reading_a_script_is_the_documented_limit)
{
	int fd;

	unlink(WORK "/plain.sh");
	fd = open(WORK "/plain.sh", O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_LT(0, dprintf(fd, "exit 42\n"));
	close(fd);
	EXPECT_EQ(-EACCES, run(WORK "/plain.sh"));
	EXPECT_EQ(42, run_arg("/bin/sh", WORK "/plain.sh"));
}

TEST_HARNESS_MAIN
