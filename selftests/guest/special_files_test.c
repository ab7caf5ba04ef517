// SPDX-License-Identifier: GPL-2.0-only
/*
 * Only a regular file open for reading has facts.  A device node is never
 * read for a content signature, whatever xattr it carries (a /dev/urandom
 * twin would be hashed forever), and neither is a descriptor opened for
 * writing only (reading through it is a kernel bug: run-vm fails the run
 * on the WARNING it gives).  Both are decided as memory without a file.
 */

#include <signal.h>
#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define WORK	DISK "/special"

/* Give @path the valid IMA v2 signature of the fixture program a. */
static int sign_like_a(const char *path)
{
	size_t len;
	void *v = slurp(SIGS "/files/a.ima2", &len);
	int rc;

	if (!v)
		return -ENOENT;
	rc = setxattr(path, "security.ima", v, len, 0) ? -errno : 0;
	free(v);
	return rc;
}

/*
 * In a child with a deadline: map @path PROT_EXEC through a descriptor
 * opened with @flags.  0 when the mapping was refused with EACCES; the
 * child is killed (SIGALRM) if the decision does not come back.
 */
static int map_refused(const char *path, int flags)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return -errno;
	if (!pid) {
		int fd = open(path, flags);
		void *p;

		if (fd < 0)
			_exit(2);
		alarm(20);
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		_exit(p == MAP_FAILED && errno == EACCES ? 0 : 1);
	}
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (WIFSIGNALED(status))
		return -WTERMSIG(status);
	return WEXITSTATUS(status);
}

FIXTURE(special) {
};

FIXTURE_SETUP(special)
{
	long ring = sigil_keyring_id();

	mkdir(WORK, 0755);
	ASSERT_EQ(0, restore_baseline());
	ASSERT_NE(0, ring);
	ASSERT_EQ(0, ensure_key(ring, "RSA_SKID", "rsa.der"));
	ASSERT_EQ(0, load_policy("policy_name=t_special policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE ima_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_special"));
}

FIXTURE_TEARDOWN(special)
{
	drop_policy("t_special");
}

TEST_F(special, signed_urandom_twin_is_refused_without_reading_it)
{
	unlink(WORK "/urandom");
	ASSERT_EQ(0, mknod(WORK "/urandom", S_IFCHR | 0600, makedev(1, 9)));
	ASSERT_EQ(0, sign_like_a(WORK "/urandom"));
	EXPECT_EQ(0, map_refused(WORK "/urandom", O_RDONLY));
	EXPECT_TRUE(log_has(" path=\"" WORK "/urandom\" "));
	EXPECT_TRUE(log_has(" rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

TEST_F(special, write_only_device_descriptor_is_not_read)
{
	unlink(WORK "/null");
	ASSERT_EQ(0, mknod(WORK "/null", S_IFCHR | 0600, makedev(1, 3)));
	ASSERT_EQ(0, sign_like_a(WORK "/null"));
	EXPECT_EQ(0, map_refused(WORK "/null", O_WRONLY));
	EXPECT_TRUE(log_has(" rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

TEST_F(special, write_only_regular_descriptor_is_not_read)
{
	unlink(WORK "/a");
	ASSERT_EQ(0, copy_file(SIGS "/files/a", WORK "/a", NULL));
	ASSERT_EQ(0, sign_like_a(WORK "/a"));
	EXPECT_EQ(PROG_EXIT, run(WORK "/a"));
	/* No facts through it, so no rule but the DEFAULT: no error either. */
	EXPECT_EQ(0, map_refused(WORK "/a", O_WRONLY));
	EXPECT_TRUE(log_has(" rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

/* A FIFO with a signature: refused at once, never read. */
TEST_F(special, signed_fifo_is_refused)
{
	unlink(WORK "/fifo");
	ASSERT_EQ(0, mkfifo(WORK "/fifo", 0600));
	ASSERT_EQ(0, sign_like_a(WORK "/fifo"));
	/* O_RDWR: a FIFO opened for reading alone waits for a writer. */
	EXPECT_EQ(0, map_refused(WORK "/fifo", O_RDWR | O_NONBLOCK));
	EXPECT_TRUE(log_has(" rule=\"DEFAULT op=EXECUTE action=DENY\""));
}

TEST_HARNESS_MAIN
