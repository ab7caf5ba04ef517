// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes below the filesystem: root writes a file's blocks through the
 * mounted block device, and no inode event follows.  A verdict on the
 * content (an IMA v2 signature) stays cached and the changed program runs:
 * the documented limit (admin-guide.rst, "Writes below the filesystem").
 * A signature over the fs-verity digest does not have it: fs-verity checks
 * each page it reads against the file's Merkle tree, and the changed page
 * does not come in.  (The disk is the guest's ext4 disk, mounted at DISK
 * from /dev/vda; the test kernel lets root write a mounted device, as
 * CONFIG_BLK_DEV_WRITE_MOUNTED=y kernels do.)
 */

#include <linux/fiemap.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define WORK	DISK "/below-fs"
#define BDEV	"/dev/vda"
#define BLOCK	4096

/* prog42's "mov $42, %edi" (selftests/guest/prog42.c). */
static const unsigned char mov42[] = { 0xbf, 42, 0, 0, 0 };

/* The byte offset of @pat in @path's first 16 KiB, or -1. */
static long find_in_file(const char *path, const unsigned char *pat, size_t n)
{
	unsigned char buf[4 * BLOCK];
	ssize_t len;
	size_t i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	len = pread(fd, buf, sizeof(buf), 0);
	close(fd);
	for (i = 0; len > 0 && i + n <= (size_t)len; i++)
		if (!memcmp(buf + i, pat, n))
			return i;
	return -1;
}

/* Where byte @off of @path is on its block device, or -1. */
static long long physical(const char *path, long off)
{
	struct {
		struct fiemap fm;
		struct fiemap_extent ext[1];
	} m = { .fm = { .fm_start = off, .fm_length = 1,
			.fm_flags = FIEMAP_FLAG_SYNC, .fm_extent_count = 1 } };
	const struct fiemap_extent *e = &m.ext[0];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -1;
	rc = ioctl(fd, FS_IOC_FIEMAP, &m);
	close(fd);
	if (rc || m.fm.fm_mapped_extents != 1 || e->fe_logical > (__u64)off ||
	    e->fe_logical + e->fe_length <= (__u64)off ||
	    (e->fe_flags & (FIEMAP_EXTENT_UNKNOWN | FIEMAP_EXTENT_DATA_INLINE |
			    FIEMAP_EXTENT_ENCODED)))
		return -1;
	return e->fe_physical + (off - e->fe_logical);
}

/*
 * Set the byte at offset @off of @path to @val by writing the block
 * device: 0 or -errno.
 */
static int poke_below(const char *path, long off, unsigned char val)
{
	long long at = physical(path, off), base;
	unsigned char *blk;
	int fd, rc = 0;

	if (at < 0)
		return -ENXIO;
	/* O_DIRECT: aligned, and past the device's page cache. */
	base = at & ~(long long)(BLOCK - 1);
	if (posix_memalign((void **)&blk, BLOCK, BLOCK))
		return -ENOMEM;
	fd = open(BDEV, O_RDWR | O_DIRECT | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
	} else {
		if (pread(fd, blk, BLOCK, base) != BLOCK) {
			rc = -EIO;
		} else {
			blk[at - base] = val;
			if (pwrite(fd, blk, BLOCK, base) != BLOCK || fsync(fd))
				rc = -EIO;
		}
		close(fd);
	}
	free(blk);
	if (rc)
		return rc;
	/*
	 * Drop cached pages, not inodes: the next read comes from the
	 * device, and the verdict cached on the inode stays.
	 */
	return write_str("/proc/sys/vm/drop_caches", "1");
}

FIXTURE(below) {
	int unused;
};

FIXTURE_SETUP(below)
{
	long sigil = sigil_keyring_id(), fsv = keyring_id(".fs-verity");

	mkdir(WORK, 0755);
	/* A test that stopped at an assertion left its policy behind. */
	drop_policy("t_below");
	ASSERT_EQ(0, restore_baseline());
	ASSERT_NE(0, sigil);
	ASSERT_NE(0, fsv);
	ASSERT_EQ(0, ensure_key(sigil, "RSA_SKID", "rsa.der"));
	ASSERT_EQ(0, ensure_key(fsv, "RSA_SKID", "rsa.der"));
	ASSERT_EQ(0, load_policy("policy_name=t_below policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_below"));
}

FIXTURE_TEARDOWN(below)
{
	drop_policy("t_below");
	unlink(WORK "/ima2");
	unlink(WORK "/fsv");
}

/* /sigs/files/a at @path with @xattr from /sigs/files/@sig, or verity. */
static int place(const char *path, const char *xattr, const char *sig)
{
	char from[128];
	size_t len;
	void *v;
	int rc;

	unlink(path);
	rc = copy_file(SIGS "/files/a", path, NULL);
	snprintf(from, sizeof(from), SIGS "/files/%s", sig);
	v = rc ? NULL : slurp(from, &len);
	if (!v)
		return rc ?: -ENOENT;
	if (xattr)
		rc = setxattr(path, xattr, v, len, 0) ? -errno : 0;
	else
		rc = enable_verity_sig(path, v, len);
	free(v);
	return rc;
}

TEST_F(below, content_signed_file_changed_on_the_device_runs_the_documented_limit)
{
	const char *path = WORK "/ima2";
	long off;

	ASSERT_EQ(0, place(path, "security.ima", "a.ima2"));
	ASSERT_EQ(PROG_EXIT, run(path));
	off = find_in_file(path, mov42, sizeof(mov42));
	ASSERT_LE(0, off);
	ASSERT_EQ(0, poke_below(path, off + 1, 43));
	/* The cached verdict stands, and the changed code runs. */
	EXPECT_EQ(43, run(path));
}

TEST_F(below, fsverity_signed_file_changed_on_the_device_does_not_run)
{
	const char *path = WORK "/fsv";
	long off;

	ASSERT_EQ(0, place(path, NULL, "a.fsv"));
	ASSERT_EQ(PROG_EXIT, run(path));
	off = find_in_file(path, mov42, sizeof(mov42));
	ASSERT_LE(0, off);
	ASSERT_EQ(0, poke_below(path, off + 1, 43));
	/*
	 * fs-verity refuses the changed page: the exec reads the first page,
	 * and the program dies of SIGBUS on the one it runs (run() says
	 * -ECHILD for a child killed by a signal).
	 */
	EXPECT_EQ(-ECHILD, run(path));
}

TEST_HARNESS_MAIN
