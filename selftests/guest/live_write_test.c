// SPDX-License-Identifier: GPL-2.0-only
/*
 * Writes under a live executable mapping.  A file allowed on what its
 * content is now (an IMA v2 or OpenPGP content signature, boot_verified)
 * cannot be opened for writing while a mapping allowed on it lives, as a
 * running program cannot: the mapping would run whatever was written, and
 * only the next decision would see it.  (overlay_test checks the real
 * inodes under overlayfs.)
 */

#include <sys/mman.h>
#include <sys/xattr.h>

#include "common.h"
#include "kselftest_harness.h"

#define WORK	DISK "/live-write"
#define VICTIM	"/boot-victims/mapped"

FIXTURE(live) {
	char ima[128], pgp[128], plain[128];
};

static int place(const char *dst, const char *xattr, const char *sig)
{
	size_t len;
	void *v;
	int rc;

	unlink(dst);
	rc = copy_file(SIGS "/files/lib.so", dst, NULL);
	if (rc || !sig)
		return rc;
	v = slurp(sig, &len);
	if (!v)
		return -ENOENT;
	rc = setxattr(dst, xattr, v, len, 0) ? -errno : 0;
	free(v);
	return rc;
}

/* A PROT_EXEC mapping of @path, the descriptor closed; NULL on failure. */
static void *map_x(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

/* open(@path, @flags): 0 when it opened, else -errno. */
static int try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	close(fd);
	return 0;
}

FIXTURE_SETUP(live)
{
	long ring = sigil_keyring_id();

	mkdir(WORK, 0755);
	snprintf(self->ima, sizeof(self->ima), WORK "/ima2.so");
	snprintf(self->pgp, sizeof(self->pgp), WORK "/pgp2.so");
	snprintf(self->plain, sizeof(self->plain), WORK "/plain.so");
	ASSERT_EQ(0, restore_baseline());
	ASSERT_NE(0, ring);
	ASSERT_EQ(0, ensure_key(ring, "RSA_SKID", "rsa.der"));
	ASSERT_EQ(0, ensure_key(ring, "PGP_FPR", "pgp.pgp"));
	ASSERT_EQ(0, place(self->ima, "security.ima", SIGS "/files/lib.so.ima2"));
	ASSERT_EQ(0, place(self->pgp, "security.sigil", SIGS "/files/lib.so.pgp2"));
	ASSERT_EQ(0, place(self->plain, NULL, NULL));
	ASSERT_EQ(0, load_policy("policy_name=t_live policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE ima_signature=TRUE action=ALLOW\n"
				 "op=EXECUTE pgp_signature=TRUE action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_live"));
}

FIXTURE_TEARDOWN(live)
{
	drop_policy("t_live");
	drop_policy("t_live_open");
}

static void writers_kept_out(struct __test_metadata *_metadata, const char *path)
{
	void *p = map_x(path);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-ETXTBSY, try_open(path, O_WRONLY));
	EXPECT_EQ(-ETXTBSY, try_open(path, O_RDWR));
	EXPECT_EQ(-1, truncate(path, 0));
	EXPECT_EQ(ETXTBSY, errno);
	/* The mapping still holds the signed bytes, and still runs them. */
	EXPECT_EQ(0, map_exec(path));
	munmap(p, 4096);
	/* Unmapped: writers are let in again. */
	EXPECT_EQ(0, try_open(path, O_WRONLY));
}

TEST_F(live, ima_v2_mapping_keeps_writers_out)
{
	writers_kept_out(_metadata, self->ima);
}

TEST_F(live, pgp_content_mapping_keeps_writers_out)
{
	writers_kept_out(_metadata, self->pgp);
}

TEST_F(live, boot_verified_mapping_keeps_writers_out)
{
	void *p = map_x(VICTIM);

	ASSERT_NE(NULL, p);
	EXPECT_EQ(-ETXTBSY, try_open(VICTIM, O_WRONLY));
	munmap(p, 4096);
	/* Now it may be written, and is boot_verified no more. */
	EXPECT_EQ(0, try_open(VICTIM, O_WRONLY));
	EXPECT_EQ(NULL, map_x(VICTIM));
}

/* A child's copy of the mapping keeps writers out after the parent's goes. */
TEST_F(live, forked_mapping_keeps_writers_out_until_it_goes)
{
	int pipefd[2], status;
	void *p = map_x(self->ima);
	char c;
	pid_t pid;

	ASSERT_NE(NULL, p);
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		close(pipefd[1]);
		/* Wait for the parent, holding the inherited mapping. */
		_exit(read(pipefd[0], &c, 1) < 0);
	}
	close(pipefd[0]);
	munmap(p, 4096);
	EXPECT_EQ(-ETXTBSY, try_open(self->ima, O_WRONLY));
	close(pipefd[1]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, try_open(self->ima, O_WRONLY));
}

/* A file open for writing cannot be mapped on its content signature. */
TEST_F(live, file_open_for_writing_is_not_mapped)
{
	int fd = open(self->ima, O_WRONLY | O_CLOEXEC);

	ASSERT_LE(0, fd);
	EXPECT_EQ(NULL, map_x(self->ima));
	close(fd);
	EXPECT_EQ(0, map_exec(self->ima));
}

/* Files the policy does not vouch for by content keep today's behaviour. */
TEST_F(live, mapping_allowed_by_default_lets_writers_in)
{
	void *p;

	ASSERT_EQ(0, load_policy("policy_name=t_live_open policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"));
	ASSERT_EQ(0, activate("t_live_open"));
	p = map_x(self->plain);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, try_open(self->plain, O_WRONLY));
	munmap(p, 4096);
}

/* Permissive mode enforces nothing, not even this. */
TEST_F(live, permissive_mode_lets_writers_in)
{
	void *p;

	ASSERT_EQ(0, set_enforce(0));
	p = map_x(self->ima);
	ASSERT_NE(NULL, p);
	EXPECT_EQ(0, try_open(self->ima, O_WRONLY));
	munmap(p, 4096);
	ASSERT_EQ(0, set_enforce(1));
}

/*
 * A writer that opens, writes and closes a file while its IMA v2 content
 * signature is being verified, behind the part already hashed, must not
 * get its bytes mapped.  The file is 8 MiB, signed in the guest by
 * sigilctl; in each round the writer changes one byte of the first page a
 * little later.  (Before deny_writes() checked the inode's generation,
 * the decision used the hash of the old bytes and every round mapped the
 * writer's byte.)
 */
TEST_F(live, ima_v2_mapping_races_a_writer)
{
	const char *big = WORK "/ima2-big";
	struct race_result res;
	unsigned char good;
	int fd;

	unlink(big);
	ASSERT_EQ(0, copy_file(SIGS "/files/lib.so", big, NULL));
	ASSERT_EQ(0, truncate(big, 8 << 20));
	ASSERT_EQ(0, system("/bin/sigilctl sign --ima --key " SIGS "/keys/rsa.key --cert "
			    SIGS "/keys/rsa.pem " WORK "/ima2-big >/dev/null 2>&1"));
	fd = open(big, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pread(fd, &good, 1, 100));
	close(fd);
	ASSERT_EQ(0, map_exec(big));

	ASSERT_EQ(0, map_while_written(big, good, 24, &res));
	TH_LOG("%d mappings allowed, %d refused, %d with the writer's byte",
	       res.allowed, res.refused, res.wrong);
	EXPECT_EQ(0, res.wrong);
	/* Quiet, it maps again. */
	EXPECT_EQ(0, map_exec(big));
	unlink(big);
}

TEST_HARNESS_MAIN
