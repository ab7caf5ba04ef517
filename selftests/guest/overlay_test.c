// SPDX-License-Identifier: GPL-2.0-only
/*
 * overlayfs: decisions rest on the real file whose bytes are mapped or
 * read, not on the one the overlay shows now.  A descriptor opened before
 * a copy-up maps the lower file; a metacopy file's signature is the
 * upper's xattr over the lower's data; a mapping keeps writers out of the
 * real inode, whichever layer holds it.  The attacks are run as root and,
 * for the stale descriptor, as an unprivileged user in a user namespace.
 */

#include <sched.h>
#include <sys/prctl.h>
#include <sys/mman.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define XATTR_IMA	"security.ima"
#define EVIL_MARK	"ovl-evil"
#define GOOD_MARK	"ovl-good"

FIXTURE(ovl) {
	char dir[64];
	char lower[96], upper[96], work[96], merged[96];
	char lf[128], uf[128], mf[128];	/* the file f in each */
	char good_digest[65];
	int mounted;
};

/* The directories of a new overlay under /mnt/ovl-N, not yet mounted. */
static int make_overlay(FIXTURE_DATA(ovl) *self)
{
	static int n;

	snprintf(self->dir, sizeof(self->dir), DISK "/ovl-%d-%d", getpid(), n++);
	snprintf(self->lower, sizeof(self->lower), "%s/lower", self->dir);
	snprintf(self->upper, sizeof(self->upper), "%s/upper", self->dir);
	snprintf(self->work, sizeof(self->work), "%s/work", self->dir);
	snprintf(self->merged, sizeof(self->merged), "%s/merged", self->dir);
	snprintf(self->lf, sizeof(self->lf), "%s/f", self->lower);
	snprintf(self->uf, sizeof(self->uf), "%s/f", self->upper);
	snprintf(self->mf, sizeof(self->mf), "%s/f", self->merged);
	if (mkdir(self->dir, 0755) || mkdir(self->lower, 0755) ||
	    mkdir(self->upper, 0755) || mkdir(self->work, 0755) ||
	    mkdir(self->merged, 0755))
		return -errno;
	self->mounted = 0;
	return 0;
}

static int mount_overlay(FIXTURE_DATA(ovl) *self, const char *opts)
{
	char data[512];

	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s%s%s",
		 self->lower, self->upper, self->work, opts ? "," : "",
		 opts ? opts : "");
	if (mount("overlay", self->merged, "overlay", 0, data))
		return -errno;
	self->mounted = 1;
	return 0;
}

/* Write PROG's bytes and @mark to the open descriptor @fd. */
static int write_prog(int fd, const char *mark)
{
	char buf[65536];
	ssize_t n;
	int in = open(PROG, O_RDONLY | O_CLOEXEC);

	if (in < 0)
		return -errno;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, n) != n)
			n = -1;
	close(in);
	if (n < 0 || write(fd, mark, strlen(mark)) < 0)
		return -EIO;
	return 0;
}

/*
 * Do the bytes that @fd maps end, at the size of @real, with @mark?  1, 0,
 * or -errno.  The overlay reports the size of the file it shows now, not
 * of the one a stale descriptor maps: @real is that one.
 */
static int mapped_mark(int fd, const char *real, const char *mark)
{
	struct stat st;
	char *p;
	int rc;

	if (stat(real, &st))
		return -errno;
	p = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		return -errno;
	rc = !memcmp(p + st.st_size - strlen(mark), mark, strlen(mark));
	munmap(p, st.st_size);
	return rc;
}

static int map_exec_fd(int fd)
{
	void *p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);

	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 4096);
	return 0;
}

static long finit_module(int fd)
{
	return syscall(SYS_finit_module, fd, "", 0);
}

FIXTURE_SETUP(ovl)
{
	long ring = sigil_keyring_id();

	ASSERT_EQ(0, restore_baseline());
	ASSERT_NE(0, ring);
	ASSERT_EQ(0, ensure_key(ring, "RSA_SKID", "rsa.der"));
	/* The digest that copying PROG plus GOOD_MARK gives, with fs-verity. */
	ASSERT_EQ(0, make_prog(DISK "/ovl-good", GOOD_MARK, 1));
	ASSERT_EQ(0, verity_digest(DISK "/ovl-good", self->good_digest));
	ASSERT_EQ(0, make_overlay(self));
	ASSERT_EQ(0, load_policy("policy_name=t_ovl policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "DEFAULT op=KMODULE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
				 "op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				 "op=KMODULE fsverity_digest=sha256:%s action=ALLOW\n",
				 self->good_digest, self->good_digest));
	ASSERT_EQ(0, activate("t_ovl"));
}

FIXTURE_TEARDOWN(ovl)
{
	if (self->mounted)
		umount2(self->merged, MNT_DETACH);
	drop_policy("t_ovl");
}

/*
 * The lower f holds unlisted code; a descriptor is opened on the overlay;
 * then f is rewritten through the overlay (a copy-up) with the allowed
 * bytes, and the upper copy gets fs-verity, so that the overlay now shows
 * an allowed file.  The old descriptor still maps the lower code.
 */
static int stale_descriptor(FIXTURE_DATA(ovl) *self, const char *opts,
			    int *stale)
{
	int fd, rc;

	fd = open(self->lf, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	if (fd < 0)
		return -errno;
	rc = write_prog(fd, EVIL_MARK);
	close(fd);
	if (rc)
		return rc;
	rc = mount_overlay(self, opts);
	if (rc)
		return rc;
	*stale = open(self->mf, O_RDONLY | O_CLOEXEC);
	if (*stale < 0)
		return -errno;
	fd = open(self->mf, O_WRONLY | O_TRUNC);
	if (fd < 0)
		return -errno;
	rc = write_prog(fd, GOOD_MARK);
	close(fd);
	return rc ?: enable_verity(self->uf);
}

TEST_F(ovl, stale_descriptor_maps_the_lower_file_and_is_denied)
{
	char want[160];
	int stale;

	ASSERT_EQ(0, stale_descriptor(self, NULL, &stale));
	/* The overlay shows the allowed file now: a new open runs it. */
	EXPECT_EQ(PROG_EXIT, run(self->mf));
	EXPECT_EQ(0, map_exec(self->mf));
	/* The old descriptor maps what it opened: the lower, unlisted code. */
	ASSERT_EQ(1, mapped_mark(stale, self->lf, EVIL_MARK));
	EXPECT_EQ(-EACCES, map_exec_fd(stale));
	EXPECT_TRUE(log_has(" hook=MMAP_BACKING "));
	snprintf(want, sizeof(want), " path=\"%s\" ", self->mf);
	EXPECT_TRUE(log_has(want));
	close(stale);
}

/* The same with a content signature: the upper's xattr, the lower's bytes. */
TEST_F(ovl, stale_descriptor_with_ima_signature_is_denied)
{
	int fd, stale;
	size_t len;
	void *sig;

	fd = open(self->lf, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_prog(fd, EVIL_MARK));
	close(fd);
	ASSERT_EQ(0, mount_overlay(self, NULL));
	stale = open(self->mf, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, stale);
	/*
	 * A signed program's bytes, written through the overlay (a copy-up of
	 * the same file), then its signature on the upper copy.
	 */
	ASSERT_EQ(0, copy_file(SIGS "/files/a", self->mf, NULL));
	sig = slurp(SIGS "/files/a.ima2", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, setxattr(self->uf, XATTR_IMA, sig, len, 0));
	free(sig);
	EXPECT_EQ(PROG_EXIT, run(self->mf));
	ASSERT_EQ(1, mapped_mark(stale, self->lf, EVIL_MARK));
	EXPECT_EQ(-EACCES, map_exec_fd(stale));
	close(stale);
}

/* The stale descriptor, set up by an unprivileged user in a user namespace. */
TEST_F(ovl, stale_descriptor_from_a_user_namespace_is_denied)
{
	int status;
	pid_t pid;

	ASSERT_EQ(0, chown(self->dir, 1000, 1000));
	ASSERT_EQ(0, chown(self->lower, 1000, 1000));
	ASSERT_EQ(0, chown(self->upper, 1000, 1000));
	ASSERT_EQ(0, chown(self->work, 1000, 1000));
	ASSERT_EQ(0, chown(self->merged, 1000, 1000));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char map[32];
		int stale, rc;

		if (setgid(1000) || setuid(1000))
			_exit(10);
		/* setuid() made it undumpable: its /proc files root's. */
		prctl(PR_SET_DUMPABLE, 1);
		if (unshare(CLONE_NEWUSER | CLONE_NEWNS))
			_exit(11);
		snprintf(map, sizeof(map), "0 1000 1");
		if (write_str("/proc/self/setgroups", "deny") ||
		    write_str("/proc/self/uid_map", map) ||
		    write_str("/proc/self/gid_map", map))
			_exit(12);
		/* Not root outside: trusted.* xattrs are out of reach. */
		rc = stale_descriptor(self, "userxattr", &stale);
		if (rc)
			_exit(13);
		if (mapped_mark(stale, self->lf, EVIL_MARK) != 1)
			_exit(14);
		_exit(map_exec_fd(stale) == -EACCES ? 0 : 15);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	self->mounted = 0;	/* it went with the child's namespace */
}

/* Exec reads and maps through the overlay: the layer that holds f decides. */
TEST_F(ovl, exec_follows_the_real_file)
{
	int fd;

	fd = open(self->lf, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_prog(fd, EVIL_MARK));
	close(fd);
	ASSERT_EQ(0, mount_overlay(self, NULL));
	EXPECT_EQ(-EACCES, run(self->mf));
	fd = open(self->mf, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_prog(fd, GOOD_MARK));
	close(fd);
	EXPECT_EQ(-EACCES, run(self->mf));	/* no fs-verity yet */
	ASSERT_EQ(0, enable_verity(self->uf));
	EXPECT_EQ(PROG_EXIT, run(self->mf));
}

/*
 * A kernel read goes through the overlay to the real file it has now: the
 * decision is taken on that file, even through a descriptor opened before
 * a copy-up.
 */
TEST_F(ovl, kernel_read_decides_on_the_file_it_reads)
{
	int fd, stale;

	fd = open(self->lf, O_WRONLY | O_CREAT | O_TRUNC, 0755);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_prog(fd, GOOD_MARK));
	close(fd);
	ASSERT_EQ(0, enable_verity(self->lf));
	ASSERT_EQ(0, mount_overlay(self, NULL));
	stale = open(self->mf, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, stale);
	/* Allowed: the module loader reads the file and finds no module. */
	EXPECT_EQ(-1, finit_module(stale));
	EXPECT_NE(EACCES, errno);
	/* Copy-up by rewriting through another descriptor: other bytes. */
	fd = open(self->mf, O_WRONLY | O_TRUNC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, write_prog(fd, EVIL_MARK));
	close(fd);
	EXPECT_EQ(-1, finit_module(stale));
	EXPECT_EQ(EACCES, errno);
	EXPECT_TRUE(log_has(" op=KMODULE hook=KERNEL_READ "));
	close(stale);
}

/*
 * metacopy: a chmod copies up only the metadata, xattrs included; the data
 * stays below.  The signature that counts is the upper's, so a change to
 * it, made on the upper layer directly, changes the decision.
 */
TEST_F(ovl, metacopy_signature_changed_on_the_upper_layer_is_seen)
{
	size_t len;
	char *sig;

	ASSERT_EQ(0, copy_file(SIGS "/files/a", self->lf, NULL));
	sig = slurp(SIGS "/files/a.ima2", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, setxattr(self->lf, XATTR_IMA, sig, len, 0));
	ASSERT_EQ(0, mount_overlay(self, "metacopy=on"));
	EXPECT_EQ(PROG_EXIT, run(self->mf));
	ASSERT_EQ(0, chmod(self->mf, 0700));
	ASSERT_EQ(0, access(self->uf, F_OK));
	EXPECT_EQ(PROG_EXIT, run(self->mf));
	EXPECT_EQ(PROG_EXIT, run(self->mf));

	/* Damage the upper's copy of the signature, below the overlay. */
	sig[len - 8] ^= 0x10;
	ASSERT_EQ(0, setxattr(self->uf, XATTR_IMA, sig, len, 0));
	EXPECT_EQ(-EACCES, run(self->mf));
	EXPECT_TRUE(log_has(" ima_sig=bad-signature"));
	/* The lower file, with its own signature, still runs. */
	EXPECT_EQ(PROG_EXIT, run(self->lf));
	EXPECT_EQ(-EACCES, run(self->mf));

	ASSERT_EQ(0, removexattr(self->uf, XATTR_IMA));
	EXPECT_EQ(-EACCES, run(self->mf));
	EXPECT_TRUE(log_has(" ima_sig=absent"));
	free(sig);
}

/*
 * A mapping allowed on a content signature keeps writers out of the real
 * inode it maps, on whichever layer; writing through the overlay is kept
 * out too.
 */
TEST_F(ovl, mapping_keeps_writers_out_of_the_real_file)
{
	size_t len;
	void *sig, *p;
	int fd;

	ASSERT_EQ(0, copy_file(SIGS "/files/lib.so", self->lf, NULL));
	sig = slurp(SIGS "/files/lib.so.ima2", &len);
	ASSERT_NE(NULL, sig);
	ASSERT_EQ(0, setxattr(self->lf, XATTR_IMA, sig, len, 0));
	ASSERT_EQ(0, mount_overlay(self, NULL));

	/* Mapped from the lower layer. */
	fd = open(self->mf, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, open(self->lf, O_WRONLY));
	EXPECT_EQ(ETXTBSY, errno);
	munmap(p, 4096);
	fd = open(self->lf, O_WRONLY);
	EXPECT_LE(0, fd);
	close(fd);

	/* Copied up (chown keeps the data), then mapped from the upper. */
	ASSERT_EQ(0, chown(self->mf, 0, 0));
	ASSERT_EQ(0, access(self->uf, F_OK));
	fd = open(self->mf, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, open(self->uf, O_WRONLY));
	EXPECT_EQ(ETXTBSY, errno);
	EXPECT_EQ(-1, open(self->mf, O_WRONLY));
	EXPECT_EQ(ETXTBSY, errno);
	munmap(p, 4096);
	fd = open(self->mf, O_WRONLY);
	EXPECT_LE(0, fd);
	close(fd);
	free(sig);
}

TEST_HARNESS_MAIN
