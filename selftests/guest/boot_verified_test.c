// SPDX-License-Identifier: GPL-2.0-only
/*
 * boot_verified: the regular files that unpacking the initramfs created,
 * as long as nobody wrote them since.  Not whatever sits on the rootfs
 * superblock: a file copied there after boot, a device node made there,
 * an initramfs file opened for writing, truncated or given new xattrs.
 *
 * The initramfs has copies of prog42 under VICTIMS for the tests that
 * change them (selftests/run-check adds them); PROG itself stays intact.
 */

#include <sys/mman.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define VICTIMS	"/boot-victims"

FIXTURE(boot) {
};

FIXTURE_SETUP(boot)
{
	ASSERT_EQ(0, restore_baseline());
	ASSERT_EQ(0, load_policy("policy_name=t_boot policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_boot"));
}

FIXTURE_TEARDOWN(boot)
{
	drop_policy("t_boot");
}

TEST_F(boot, initramfs_program_runs)
{
	EXPECT_EQ(PROG_EXIT, run(PROG));
	EXPECT_EQ(0, map_exec(PROG));
}

TEST_F(boot, file_copied_into_rootfs_after_boot_is_denied)
{
	unlink("/copied-prog");
	ASSERT_EQ(0, copy_file(PROG, "/copied-prog", NULL));
	EXPECT_EQ(-EACCES, run("/copied-prog"));
	EXPECT_TRUE(log_has(" path=\"/copied-prog\" dev=\"rootfs\" "));
	EXPECT_EQ(-EACCES, map_exec("/copied-prog"));
	unlink("/copied-prog");
}

/* The same inode under another name is the same unpacked bytes. */
TEST_F(boot, hard_link_and_rename_keep_the_mark)
{
	unlink("/linked-prog");
	ASSERT_EQ(0, link(VICTIMS "/renamed", "/linked-prog"));
	EXPECT_EQ(PROG_EXIT, run("/linked-prog"));
	ASSERT_EQ(0, rename("/linked-prog", VICTIMS "/renamed-again"));
	EXPECT_EQ(PROG_EXIT, run(VICTIMS "/renamed-again"));
	ASSERT_EQ(0, rename(VICTIMS "/renamed-again", VICTIMS "/renamed-2"));
	unlink(VICTIMS "/renamed-2");
}

/* A /dev/zero twin made in rootfs: executable anonymous memory. */
TEST_F(boot, device_node_made_in_rootfs_is_not_boot_verified)
{
	int fd;
	void *p;

	unlink("/zero-twin");
	ASSERT_EQ(0, mknod("/zero-twin", S_IFCHR | 0600, makedev(1, 5)));
	fd = open("/zero-twin", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" path=\"/zero-twin\" "));
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	unlink("/zero-twin");
}

/* Opening for writing is enough: the writer could have changed anything. */
TEST_F(boot, initramfs_file_opened_for_writing_loses_the_mark)
{
	int fd;

	ASSERT_EQ(PROG_EXIT, run(VICTIMS "/written"));
	fd = open(VICTIMS "/written", O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(-EACCES, run(VICTIMS "/written"));
	EXPECT_TRUE(log_has(" path=\"" VICTIMS "/written\" "));
	/* For good: the mark does not come back. */
	EXPECT_EQ(-EACCES, run(VICTIMS "/written"));
}

TEST_F(boot, truncated_initramfs_file_loses_the_mark)
{
	struct stat st;

	ASSERT_EQ(0, stat(VICTIMS "/truncated", &st));
	ASSERT_EQ(PROG_EXIT, run(VICTIMS "/truncated"));
	ASSERT_EQ(0, truncate(VICTIMS "/truncated", st.st_size));
	EXPECT_EQ(-EACCES, run(VICTIMS "/truncated"));
}

TEST_F(boot, initramfs_file_with_changed_xattrs_loses_the_mark)
{
	ASSERT_EQ(PROG_EXIT, run(VICTIMS "/xattr"));
	ASSERT_EQ(0, setxattr(VICTIMS "/xattr", "trusted.sigil-test", "1", 1, 0));
	EXPECT_EQ(-EACCES, run(VICTIMS "/xattr"));
}

/* Only the initramfs superblock: the same program on the disk is not. */
TEST_F(boot, file_on_another_filesystem_is_not_boot_verified)
{
	ASSERT_EQ(0, make_prog(DISK "/boot-disk-prog", NULL, 0));
	EXPECT_EQ(-EACCES, run(DISK "/boot-disk-prog"));
}

TEST_HARNESS_MAIN
