// SPDX-License-Identifier: GPL-2.0-only
/*
 * Manifests: lists that bind file digests to the paths the files must run
 * from, written to sigil/manifests/new and named by policies with
 * manifest=NAME, manifest=NAME@MIN and manifest=ANY.
 *
 * The manifests are plain text (the test kernel takes unsigned ones), with
 * digests made here: fs-verity digests measured on the ext4 disk, content
 * digests by sha256 in manifest.h.  The signed forms come from the host
 * (selftests/fixtures/manifest-fixtures, at /manifests).
 *
 * Covered: exec, mmap and mprotect of listed files; the swaps (rename,
 * hardlink, bind mount) denied with a log line saying why; an update
 * drops what only the old version listed; replays (ESTALE) even after
 * delete; content= entries and a one-byte change; tmpfs; overlayfs
 * (the overlay path is compared); chroot (the path from the global root
 * is compared); minimum versions and ANY; delete while named (EBUSY); the
 * securityfs files, status lines, explain answers; unprivileged writes;
 * and a table of malformed manifests, each refused without disturbing the
 * manifest in force.
 *
 * A manifest's version high-water mark outlives its deletion, so every
 * test takes fresh names (mf-TAG-PID) and deletes them when it ends.
 */

#include <sched.h>
#include <sys/mman.h>

#include "common.h"
#include "manifest.h"
#include "kselftest_harness.h"

#define POL	"t_manifest"
#define FSV	"fsverity"
#define CON	"content"
#define END	((const char *)NULL)
/* A digest of no file here. */
#define HEX64	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

/* ---- building and loading manifests ---- */

/*
 * A manifest text: the header, then one entry per (KIND, LISTED, FILE)
 * argument triple, FILE's digest of that kind listed under the path LISTED
 * (FILE NULL: LISTED's own), up to a NULL KIND.  malloc()ed; NULL when a
 * digest could not be taken.
 */
static char *vmf_text(const char *name, const char *version, va_list ap)
{
	size_t size = 65536;
	char *t = malloc(size);
	int n;

	if (!t)
		return NULL;
	n = snprintf(t, size, "manifest_name=%s manifest_version=%s\n", name, version);
	for (;;) {
		const char *kind = va_arg(ap, const char *), *listed, *file;
		char hex[65];

		if (!kind)
			break;
		listed = va_arg(ap, const char *);
		file = va_arg(ap, const char *);
		if (entry_digest(kind, file ? file : listed, hex)) {
			printf("# no %s digest of %s\n", kind, file ? file : listed);
			free(t);
			return NULL;
		}
		n += snprintf(t + n, size - n, "%s %s=sha256:%s\n", listed, kind, hex);
	}
	return t;
}

/* Load a manifest built as by vmf_text(); 0 or -errno. */
static int mf_load(const char *name, const char *version, ...)
{
	va_list ap;
	char *t;
	int rc;

	va_start(ap, version);
	t = vmf_text(name, version, ap);
	va_end(ap);
	if (!t)
		return -ENODATA;
	rc = manifest_new(t, strlen(t));
	free(t);
	return rc;
}

/* Write a manifest built as by vmf_text() to @name's update; 0 or -errno. */
static int mf_update(const char *target, const char *name, const char *version, ...)
{
	va_list ap;
	char *t;
	int rc;

	va_start(ap, version);
	t = vmf_text(name, version, ap);
	va_end(ap);
	if (!t)
		return -ENODATA;
	rc = manifest_update(target, t, strlen(t));
	free(t);
	return rc;
}

/*
 * Make POL, which lets the initramfs run (boot_verified) and files that
 * manifest=@spec vouches for, and nothing else, the active policy.
 */
static int use_policy(const char *spec)
{
	int rc = restore_baseline();

	if (rc)
		return rc;
	delete_policy(POL);
	rc = load_policy("policy_name=" POL " policy_version=" TEST_VERSION "\n"
			 "DEFAULT action=ALLOW\n"
			 "DEFAULT op=EXECUTE action=DENY\n"
			 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			 "op=EXECUTE manifest=%s action=ALLOW\n", spec);
	if (rc) {
		char v[512];

		printf("# policy with manifest=%s: %s\n", spec,
		       status_get("last_policy_error", v, sizeof(v)));
		return rc;
	}
	return activate(POL);
}

/* ---- the log and explain ---- */

/* Does the last log line hold @want? */
static int last_log_has(const char *want)
{
	char line[2048];

	last_log_line(line, sizeof(line));
	if (strstr(line, want))
		return 1;
	printf("# log: %s\n# want: %s\n", line, want);
	return 0;
}

/*
 * Does the last log line deny with manifest=@state and, when @entry is
 * given, name @entry of manifest @name?  It is shown when it does not.
 */
static int denied_because(const char *name, const char *state, const char *entry)
{
	char line[2048], want[640];
	int ok = 1;

	last_log_line(line, sizeof(line));
	if (!strstr(line, " action=DENY "))
		ok = 0;
	snprintf(want, sizeof(want), " manifest=%s", state);
	if (!strstr(line, want))
		ok = 0;
	if (entry) {
		snprintf(want, sizeof(want), " manifest_name=%s manifest_entry=\"%s\"",
			 name, entry);
		if (!strstr(line, want))
			ok = 0;
	}
	if (!ok)
		printf("# log: %s\n# want: DENY manifest=%s manifest_name=%s manifest_entry=\"%s\"\n",
		       line, state, name ? name : "", entry ? entry : "");
	return ok;
}

/*
 * A swapped file, run as @same: its path is listed with another digest
 * (digest_differs, naming @same) and its digest under @other (elsewhere,
 * naming @other).  Either explains the denial, with the right path.
 */
static int swap_denied(const char *name, const char *same, const char *other)
{
	char line[2048], want[300];

	last_log_line(line, sizeof(line));
	if (strstr(line, " manifest=digest_differs")) {
		/* The path's entry, and where the file's bytes belong. */
		snprintf(want, sizeof(want), " manifest_elsewhere=\"%s\"", other);
		return denied_because(name, "digest_differs", same) &&
		       last_log_has(want);
	}
	return denied_because(name, "elsewhere", other);
}

/* Ask sigil/explain about @fd for @op: the answer in @buf; 0 or -errno. */
static int explain_fd(const char *op, int fd, char *buf, size_t size)
{
	char query[64];
	int q, rc = 0;
	ssize_t n;

	buf[0] = '\0';
	q = open(SFS "/explain", O_RDWR | O_CLOEXEC);
	if (q < 0)
		return -errno;
	snprintf(query, sizeof(query), "%s %d\n", op, fd);
	if (write(q, query, strlen(query)) < 0) {
		rc = -errno;
	} else {
		n = read(q, buf, size - 1);
		buf[n > 0 ? n : 0] = '\0';
	}
	close(q);
	return rc;
}

static int explain(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = explain_fd("EXECUTE", fd, buf, size);
	close(fd);
	return rc;
}

/* The value of KEY in an answer, or "" when it has no such line. */
static const char *field(const char *answer, const char *key)
{
	static char vals[4][1024];
	static int next;
	char *v = vals[next++ % 4];
	size_t klen = strlen(key);
	const char *line;

	v[0] = '\0';
	for (line = answer; *line; line += strcspn(line, "\n") + !!line[strcspn(line, "\n")]) {
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(v, 1024, "%.*s", (int)strcspn(line + klen + 1, "\n"),
				 line + klen + 1);
			break;
		}
	}
	return v;
}

static int has_key(const char *answer, const char *key)
{
	char want[64];

	snprintf(want, sizeof(want), "\n%s=", key);
	return !strncmp(answer, want + 1, strlen(want + 1)) || strstr(answer, want);
}

/* ---- running ---- */

/*
 * In a child chrooted to @root, execve(@path): its exit status, or
 * -errno when the chroot or the exec failed.
 */
static int run_chrooted(const char *root, const char *path)
{
	int pipefd[2], status, err = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		char *argv[] = { (char *)path, NULL }, *envp[] = { NULL };

		if (!chroot(root) && !chdir("/"))
			execve(path, argv, envp);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(254);
		_exit(255);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (err)
		return -err;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

/* mmap(@path, PROT_READ), then mprotect() it to add PROT_EXEC: 0 or -errno. */
static int protect_exec(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;
	void *p;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED)
		return -errno;
	if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
		rc = -errno;
	munmap(p, 4096);
	return rc;
}

/* Overwrite the last byte of @path with @c; 0 or -errno. */
static int poke_last_byte(const char *path, char c)
{
	struct stat st;
	int fd, rc = 0;

	if (stat(path, &st))
		return -errno;
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (pwrite(fd, &c, 1, st.st_size - 1) != 1)
		rc = -EIO;
	close(fd);
	return rc;
}

/* ---- the fixture ---- */

#define MAX_NAMES	8
#define MAX_MOUNTS	4

FIXTURE(mf) {
	char dir[64];
	char a[96], b[96];	/* fs-verity, listed by most tests */
	char u[96];		/* fs-verity, never listed */
	char p[96];		/* no fs-verity: content= entries */
	char names[MAX_NAMES][64];
	int nnames;
	char mounts[MAX_MOUNTS][160];
	int nmounts;
};

/* A manifest name no earlier test of this boot took: mf-@tag-PID. */
static const char *fresh(FIXTURE_DATA(mf) *self, const char *tag)
{
	char *n = self->names[self->nnames < MAX_NAMES ? self->nnames++ : MAX_NAMES - 1];

	snprintf(n, 64, "mf-%s-%d", tag, getpid());
	return n;
}

static int bind_mount(FIXTURE_DATA(mf) *self, const char *src, const char *dst)
{
	if (mount(src, dst, NULL, MS_BIND, NULL))
		return -errno;
	snprintf(self->mounts[self->nmounts++], 160, "%s", dst);
	return 0;
}

static void in_dir(FIXTURE_DATA(mf) *self, char *buf, size_t size, const char *file)
{
	snprintf(buf, size, "%s/%s", self->dir, file);
}

FIXTURE_SETUP(mf)
{
	ASSERT_EQ(0, restore_baseline());
	snprintf(self->dir, sizeof(self->dir), DISK "/mf-%d", getpid());
	ASSERT_EQ(0, mkdir(self->dir, 0755) && errno != EEXIST ? -errno : 0);
	in_dir(self, self->a, sizeof(self->a), "a");
	in_dir(self, self->b, sizeof(self->b), "b");
	in_dir(self, self->u, sizeof(self->u), "u");
	in_dir(self, self->p, sizeof(self->p), "p");
	ASSERT_EQ(0, make_prog(self->a, "manifest a\n", 1));
	ASSERT_EQ(0, make_prog(self->b, "manifest b\n", 1));
	ASSERT_EQ(0, make_prog(self->u, "manifest u\n", 1));
	ASSERT_EQ(0, make_prog(self->p, "manifest p\n", 0));
	self->nnames = 0;
	self->nmounts = 0;
}

FIXTURE_TEARDOWN(mf)
{
	int i;

	while (self->nmounts > 0)
		umount2(self->mounts[--self->nmounts], MNT_DETACH);
	write_str(SFS "/success_audit", "0");
	restore_baseline();
	delete_policy(POL);
	for (i = 0; i < self->nnames; i++)
		manifest_delete(self->names[i]);
}

/* ---- allowed execs ---- */

TEST_F(mf, fsverity_entry_runs_unlisted_file_does_not)
{
	const char *m = fresh(self, "fsv");

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(-EACCES, run(self->u));
	EXPECT_TRUE(denied_because(m, "not_listed", NULL));
	/* The initramfs still runs: boot_verified. */
	EXPECT_EQ(PROG_EXIT, run(PROG));
}

TEST_F(mf, content_entry_runs_and_the_log_names_the_entry)
{
	const char *m = fresh(self, "con");
	char line[2048], want[256];

	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	EXPECT_EQ(PROG_EXIT, run(self->p));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	last_log_line(line, sizeof(line));
	EXPECT_NE(NULL, strstr(line, " action=ALLOW ")) TH_LOG("%s", line);
	snprintf(want, sizeof(want), " manifest=match manifest_name=%s manifest_entry=\"%s\"",
		 m, self->p);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s\nwant: %s", line, want);
}

/* ---- swaps ---- */

/*
 * a and b are listed.  a renamed to an unlisted name: its digest is listed
 * elsewhere.  Then renamed over b: b's path is listed with b's digest.
 */
TEST_F(mf, swap_by_rename_is_denied)
{
	const char *m = fresh(self, "rename");
	char c[128];

	in_dir(self, c, sizeof(c), "c");
	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, FSV, self->b, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(PROG_EXIT, run(self->b));

	ASSERT_EQ(0, rename(self->a, c));
	EXPECT_EQ(-EACCES, run(c));
	EXPECT_TRUE(denied_because(m, "elsewhere", self->a));

	ASSERT_EQ(0, rename(c, self->b));
	EXPECT_EQ(-EACCES, run(self->b));
	EXPECT_TRUE(swap_denied(m, self->b, self->a));
	EXPECT_EQ(-EACCES, map_exec(self->b));
}

/* A hardlink is the same inode under another path: run the listed one first. */
TEST_F(mf, swap_by_hardlink_is_denied)
{
	const char *m = fresh(self, "link");
	char c[128];

	in_dir(self, c, sizeof(c), "c");
	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, FSV, self->b, NULL, END));
	ASSERT_EQ(0, use_policy(m));

	ASSERT_EQ(0, link(self->a, c));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(-EACCES, run(c));
	EXPECT_TRUE(denied_because(m, "elsewhere", self->a));
	EXPECT_EQ(PROG_EXIT, run(self->a));

	ASSERT_EQ(0, unlink(self->b));
	ASSERT_EQ(0, link(self->a, self->b));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(-EACCES, run(self->b));
	EXPECT_TRUE(swap_denied(m, self->b, self->a));
}

/* b bound over a: running a runs b's bytes from a's path. */
TEST_F(mf, swap_by_bind_mount_is_denied)
{
	const char *m = fresh(self, "bind");

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, FSV, self->b, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	ASSERT_EQ(0, bind_mount(self, self->b, self->a));
	EXPECT_EQ(PROG_EXIT, run(self->b));
	EXPECT_EQ(-EACCES, run(self->a));
	EXPECT_TRUE(swap_denied(m, self->a, self->b));
	EXPECT_EQ(-EACCES, map_exec(self->a));
	EXPECT_EQ(PROG_EXIT, run(self->b));

	ASSERT_EQ(0, umount2(self->a, 0));
	self->nmounts--;
	EXPECT_EQ(PROG_EXIT, run(self->a));
}

/* ---- versions: update, replay, revocation ---- */

TEST_F(mf, file_only_in_v1_is_denied_after_update)
{
	const char *m = fresh(self, "upd");
	char buf[4096], want[256], hex[65];

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(-EACCES, run(self->b));

	/* Updated while the active policy names it. */
	ASSERT_EQ(0, mf_update(m, m, "1.1.0", FSV, self->b, NULL, END));
	EXPECT_STREQ("1.1.0\n", (manifest_read(m, "version", buf, sizeof(buf)), buf));
	ASSERT_EQ(0, verity_digest(self->b, hex));
	snprintf(want, sizeof(want), "%s fsverity=sha256:%s\n", self->b, hex);
	EXPECT_STREQ(want, (manifest_read(m, "entries", buf, sizeof(buf)), buf));
	EXPECT_EQ(-EACCES, run(self->a));
	/* Only the version it replaced listed a: the log says which. */
	EXPECT_TRUE(denied_because(m, "superseded", self->a));
	EXPECT_TRUE(last_log_has(" manifest_version=1.0.0"));
	EXPECT_EQ(PROG_EXIT, run(self->b));
}

TEST_F(mf, reload_of_an_older_or_equal_version_is_estale)
{
	const char *m = fresh(self, "stale"), *other = fresh(self, "stale-other");
	char buf[64];

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	/* The name is loaded: EEXIST, whatever the version. */
	EXPECT_EQ(-EEXIST, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	EXPECT_EQ(-EEXIST, mf_load(m, "2.0.0", FSV, self->a, NULL, END));

	EXPECT_EQ(0, mf_update(m, m, "1.1.0", FSV, self->b, NULL, END));
	EXPECT_EQ(-ESTALE, mf_update(m, m, "1.0.0", FSV, self->a, NULL, END));
	EXPECT_EQ(-ESTALE, mf_update(m, m, "1.1.0", FSV, self->a, NULL, END));
	/* Another name's text: EINVAL. */
	EXPECT_EQ(-EINVAL, mf_update(m, other, "9.0.0", FSV, self->a, NULL, END));
	EXPECT_FALSE(manifest_loaded(other));
	EXPECT_STREQ("1.1.0\n", (manifest_read(m, "version", buf, sizeof(buf)), buf));

	/* Deleted: the high-water mark stays for the rest of the boot. */
	ASSERT_EQ(0, manifest_delete(m));
	EXPECT_FALSE(manifest_loaded(m));
	EXPECT_EQ(-ESTALE, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	EXPECT_EQ(-ESTALE, mf_load(m, "1.1.0", FSV, self->a, NULL, END));
	EXPECT_FALSE(manifest_loaded(m));
	EXPECT_EQ(0, mf_load(m, "1.1.1", FSV, self->a, NULL, END));
	EXPECT_STREQ("1.1.1\n", (manifest_read(m, "version", buf, sizeof(buf)), buf));
}

/*
 * v2 is v1 without a, as "sigilctl manifest revoke" writes it (the patch
 * level bumped): a is denied, the other entries still run.
 */
TEST_F(mf, revoked_file_is_denied_while_the_rest_runs)
{
	const char *m = fresh(self, "revoke");
	char v1[4096], v2[4096];
	long long superseded;

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, FSV, self->b, NULL,
			     CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(PROG_EXIT, run(self->b));
	EXPECT_EQ(PROG_EXIT, run(self->p));
	ASSERT_LT(0, manifest_read(m, "entries", v1, sizeof(v1)));
	superseded = status_num("manifest_superseded");

	ASSERT_EQ(0, mf_update(m, m, "1.0.1", FSV, self->b, NULL, CON, self->p, NULL, END));
	EXPECT_EQ(-EACCES, run(self->a));
	EXPECT_TRUE(denied_because(m, "superseded", self->a));
	EXPECT_TRUE(last_log_has(" manifest_version=1.0.0"));
	EXPECT_EQ(1, status_num("manifest_superseded") - superseded);
	EXPECT_EQ(PROG_EXIT, run(self->b));
	EXPECT_EQ(PROG_EXIT, run(self->p));
	/* The entries are v1's without a's line, in the same order. */
	ASSERT_LT(0, manifest_read(m, "entries", v2, sizeof(v2)));
	EXPECT_STREQ(strchr(v1, '\n') + 1, v2);
}

/* ---- content=, tmpfs, overlayfs ---- */

TEST_F(mf, content_entry_on_a_plain_file_is_denied_after_a_one_byte_change)
{
	const char *m = fresh(self, "byte");

	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(self->p));
	EXPECT_EQ(PROG_EXIT, run(self->p));	/* from the cache */

	ASSERT_EQ(0, poke_last_byte(self->p, '!'));
	EXPECT_EQ(-EACCES, run(self->p));
	EXPECT_TRUE(denied_because(m, "digest_differs", self->p));
	EXPECT_EQ(-EACCES, map_exec(self->p));

	/* The listed bytes again: the digest is taken again, and matches. */
	ASSERT_EQ(0, poke_last_byte(self->p, '\n'));
	EXPECT_EQ(PROG_EXIT, run(self->p));
}

/*
 * tmpfs has no fs-verity: a content= entry runs, a changed byte is
 * denied; an fsverity= entry cannot match there.
 */
TEST_F(mf, tmpfs_content_entry)
{
	const char *m = fresh(self, "tmpfs");
	char dir[64], t[96], v[96], e[128];

	snprintf(dir, sizeof(dir), "/tmp/mf-%d", getpid());
	snprintf(t, sizeof(t), "%s/t", dir);
	snprintf(v, sizeof(v), "%s/v", dir);
	in_dir(self, e, sizeof(e), "tmpfs-twin");
	ASSERT_EQ(0, mkdir(dir, 0755) && errno != EEXIST ? -errno : 0);
	ASSERT_EQ(0, make_prog(t, "manifest tmpfs\n", 0));
	/* v's bytes are e's: e has fs-verity on the disk, v cannot. */
	ASSERT_EQ(0, make_prog(v, "manifest tmpfs v\n", 0));
	ASSERT_EQ(0, make_prog(e, "manifest tmpfs v\n", 1));
	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, t, NULL, FSV, v, e, END));
	ASSERT_EQ(0, use_policy(m));

	EXPECT_EQ(PROG_EXIT, run(t));
	EXPECT_EQ(0, map_exec(t));
	EXPECT_EQ(-EACCES, run(v));

	ASSERT_EQ(0, poke_last_byte(t, '!'));
	EXPECT_EQ(-EACCES, run(t));
	EXPECT_TRUE(denied_because(m, "digest_differs", t));
	ASSERT_EQ(0, poke_last_byte(t, '\n'));
	EXPECT_EQ(PROG_EXIT, run(t));
}

/*
 * The path compared is the overlay path that was opened; the lower file
 * (the same real inode) is another path.  The digest is the real file's.
 */
TEST_F(mf, overlay_path_is_the_one_compared)
{
	const char *m = fresh(self, "ovl"), *m2 = fresh(self, "ovl-lower");
	char lower[128], upper[128], work[128], merged[128], lf[160], mf[160];
	char data[640];

	in_dir(self, lower, sizeof(lower), "ovl-lower");
	in_dir(self, upper, sizeof(upper), "ovl-upper");
	in_dir(self, work, sizeof(work), "ovl-work");
	in_dir(self, merged, sizeof(merged), "ovl-merged");
	snprintf(lf, sizeof(lf), "%s/f", lower);
	snprintf(mf, sizeof(mf), "%s/f", merged);
	ASSERT_EQ(0, mkdir(lower, 0755));
	ASSERT_EQ(0, mkdir(upper, 0755));
	ASSERT_EQ(0, mkdir(work, 0755));
	ASSERT_EQ(0, mkdir(merged, 0755));
	ASSERT_EQ(0, make_prog(lf, "manifest overlay\n", 1));
	snprintf(data, sizeof(data), "lowerdir=%s,upperdir=%s,workdir=%s", lower, upper, work);
	ASSERT_EQ(0, mount("overlay", merged, "overlay", 0, data));
	snprintf(self->mounts[self->nmounts++], 160, "%s", merged);

	/* The overlay path listed, with the lower file's digest. */
	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, mf, lf, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(PROG_EXIT, run(mf));
	EXPECT_EQ(0, map_exec(mf));
	EXPECT_EQ(-EACCES, run(lf));
	EXPECT_TRUE(denied_because(m, "elsewhere", mf));
	EXPECT_EQ(PROG_EXIT, run(mf));

	/* The lower path listed instead: through the overlay, denied. */
	ASSERT_EQ(0, mf_load(m2, "1.0.0", FSV, lf, NULL, END));
	ASSERT_EQ(0, use_policy(m2));
	ASSERT_EQ(0, manifest_delete(m));
	EXPECT_EQ(PROG_EXIT, run(lf));
	EXPECT_EQ(-EACCES, run(mf));
	EXPECT_TRUE(denied_because(m2, "elsewhere", lf));
}

/* ---- mmap and mprotect ---- */

TEST_F(mf, mmap_and_mprotect_exec_follow_the_manifest)
{
	const char *m = fresh(self, "mmap");
	char c[128];

	in_dir(self, c, sizeof(c), "c");
	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));

	EXPECT_EQ(0, map_exec(self->a));
	EXPECT_EQ(0, protect_exec(self->a));
	EXPECT_EQ(0, map_exec(self->p));
	EXPECT_EQ(0, protect_exec(self->p));

	EXPECT_EQ(-EACCES, map_exec(self->u));
	EXPECT_TRUE(log_has(" hook=MMAP "));
	EXPECT_TRUE(denied_because(m, "not_listed", NULL));
	EXPECT_EQ(-EACCES, protect_exec(self->u));
	EXPECT_TRUE(log_has(" hook=MPROTECT "));
	EXPECT_TRUE(denied_because(m, "not_listed", NULL));

	/* A listed file's bytes under an unlisted name: mapped, denied. */
	ASSERT_EQ(0, link(self->a, c));
	EXPECT_EQ(-EACCES, map_exec(c));
	EXPECT_TRUE(denied_because(m, "elsewhere", self->a));
	EXPECT_EQ(-EACCES, protect_exec(c));
	EXPECT_TRUE(denied_because(m, "elsewhere", self->a));
}

/* ---- chroot ---- */

/*
 * The path is written from the global root: in a chroot at R, R/bin/f is
 * run as /bin/f but compared as R/bin/f.  A manifest that lists /bin/f
 * (the chroot's view) does not vouch for it; one that lists R/bin/f does.
 */
/*
 * A mapping allowed on a content= entry rests on the content as it is:
 * writers are kept out while the mapping's file is open.  And a content
 * that cannot be hashed (the file is open for writing) denies, with the
 * reason in the log: fail closed.
 */
TEST_F(mf, content_entry_keeps_writers_out_and_fails_closed)
{
	const char *m = fresh(self, "write");
	void *map;
	int fd, w;

	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));

	/* Open for writing first: the content cannot be vouched for. */
	w = open(self->p, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, w);
	EXPECT_EQ(-EACCES, map_exec(self->p));
	EXPECT_TRUE(last_log_has(" manifest=error"));
	EXPECT_TRUE(last_log_has("open for writing"));
	close(w);

	/* Mapped executable: now writers are refused until it is closed. */
	fd = open(self->p, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	map = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	ASSERT_NE(MAP_FAILED, map);
	EXPECT_EQ(-1, open(self->p, O_WRONLY | O_CLOEXEC));
	EXPECT_EQ(ETXTBSY, errno);
	munmap(map, 4096);
	close(fd);
	w = open(self->p, O_WRONLY | O_CLOEXEC);
	EXPECT_LE(0, w);
	if (w >= 0)
		close(w);
}

/*
 * The content's sha256 rests on the content alone: a policy switch (which
 * makes every signature verdict stale) keeps it, so mprotect(), which
 * cannot read the file under the mmap lock, still finds it.
 */
TEST_F(mf, content_digest_outlives_a_policy_switch)
{
	const char *m = fresh(self, "switch");

	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	ASSERT_EQ(0, map_exec(self->p));
	/* Baseline, then a fresh policy: the global generation moves. */
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(0, protect_exec(self->p));
	EXPECT_EQ(PROG_EXIT, run(self->p));
}

/*
 * A writer that opens, writes and closes a content= file while its content
 * is being hashed, behind the part already read, must not get its bytes
 * mapped: every mapping that is allowed maps the listed bytes.  The file
 * is 8 MiB, so that hashing takes a while; in each round the writer
 * changes one byte of the first page a little later.  (Before
 * deny_writes() checked the generation, every round mapped the writer's
 * byte.)
 */
TEST_F(mf, content_entry_mapping_races_a_writer)
{
	const char *m = fresh(self, "race");
	struct race_result res;
	unsigned char good;
	char big[256];
	int fd;

	in_dir(self, big, sizeof(big), "big");
	ASSERT_EQ(0, copy_file(self->p, big, NULL));
	ASSERT_EQ(0, truncate(big, 8 << 20));
	ASSERT_EQ(0, mf_load(m, "1.0.0", CON, big, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	fd = open(big, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(1, pread(fd, &good, 1, 100));
	close(fd);

	ASSERT_EQ(0, map_while_written(big, good, 24, &res));
	TH_LOG("%d mappings allowed, %d refused, %d with the writer's byte",
	       res.allowed, res.refused, res.wrong);
	EXPECT_EQ(0, res.wrong);
	/* Quiet, with the listed bytes back, it maps again. */
	EXPECT_EQ(0, map_exec(big));
}

TEST_F(mf, chroot_does_not_change_the_compared_path)
{
	const char *in = fresh(self, "chroot-in"), *out = fresh(self, "chroot-out");
	char root[128], bin[160], f[192], line[2048], want[320];

	in_dir(self, root, sizeof(root), "root");
	snprintf(bin, sizeof(bin), "%s/bin", root);
	snprintf(f, sizeof(f), "%s/f", bin);
	ASSERT_EQ(0, mkdir(root, 0755));
	ASSERT_EQ(0, mkdir(bin, 0755));
	ASSERT_EQ(0, make_prog(f, "manifest chroot\n", 1));

	ASSERT_EQ(0, mf_load(in, "1.0.0", FSV, "/bin/f", f, END));
	ASSERT_EQ(0, use_policy(in));
	EXPECT_EQ(-EACCES, run_chrooted(root, "/bin/f"));
	EXPECT_TRUE(denied_because(in, "elsewhere", "/bin/f"));

	ASSERT_EQ(0, mf_load(out, "1.0.0", FSV, f, NULL, END));
	ASSERT_EQ(0, use_policy(out));
	ASSERT_EQ(0, manifest_delete(in));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "1"));
	EXPECT_EQ(PROG_EXIT, run_chrooted(root, "/bin/f"));
	ASSERT_EQ(0, write_str(SFS "/success_audit", "0"));
	last_log_line(line, sizeof(line));
	snprintf(want, sizeof(want), " manifest=match manifest_name=%s manifest_entry=\"%s\"",
		 out, f);
	EXPECT_NE(NULL, strstr(line, want)) TH_LOG("%s\nwant: %s", line, want);
	EXPECT_EQ(PROG_EXIT, run(f));
}

/* ---- the policy's side: NAME@MIN, ANY ---- */

TEST_F(mf, minimum_version_is_enforced)
{
	static const struct {
		const char *min;
		int runs;
	} cases[] = {
		{ "0.9.9", 1 }, { "1.1.65535", 1 }, { "1.2.0", 1 },
		{ "1.2.1", 0 }, { "1.3.0", 0 }, { "2.0.0", 0 },
	};
	const char *m = fresh(self, "min");
	char spec[128];
	size_t i;

	ASSERT_EQ(0, mf_load(m, "1.2.0", FSV, self->a, NULL, END));
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(spec, sizeof(spec), "%s@%s", m, cases[i].min);
		ASSERT_EQ(0, use_policy(spec));
		EXPECT_EQ(cases[i].runs ? PROG_EXIT : -EACCES, run(self->a))
			TH_LOG("manifest=%s with version 1.2.0 loaded", spec);
	}
	/* The update brings the version the policy asks for. */
	ASSERT_EQ(0, mf_update(m, m, "2.0.0", FSV, self->a, NULL, END));
	EXPECT_EQ(PROG_EXIT, run(self->a));
}

TEST_F(mf, any_manifest_vouches)
{
	const char *m1 = fresh(self, "any1"), *m2 = fresh(self, "any2");

	ASSERT_EQ(0, mf_load(m1, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_EQ(0, mf_load(m2, "1.0.0", CON, self->p, NULL, END));
	ASSERT_EQ(0, use_policy("ANY"));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(PROG_EXIT, run(self->p));
	EXPECT_EQ(-EACCES, run(self->u));
	EXPECT_TRUE(denied_because(NULL, "not_listed", NULL));
	/* manifest=m1 vouches only for m1's entries. */
	ASSERT_EQ(0, use_policy(m1));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(-EACCES, run(self->p));
}

/* ---- delete ---- */

TEST_F(mf, delete_of_a_manifest_the_active_policy_names_is_ebusy)
{
	const char *m = fresh(self, "busy");
	char spec[128];

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_EQ(0, use_policy(m));
	EXPECT_EQ(-EBUSY, manifest_delete(m));
	EXPECT_TRUE(manifest_loaded(m));
	EXPECT_EQ(PROG_EXIT, run(self->a));

	snprintf(spec, sizeof(spec), "%s@1.0.0", m);
	ASSERT_EQ(0, use_policy(spec));
	EXPECT_EQ(-EBUSY, manifest_delete(m));
	EXPECT_TRUE(manifest_loaded(m));

	/*
	 * A deny list by manifest=ANY covers every manifest: deleting one
	 * would let its files run.
	 */
	ASSERT_EQ(0, restore_baseline());
	delete_policy(POL);
	ASSERT_EQ(0, load_policy("policy_name=" POL " policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "op=EXECUTE manifest=ANY action=DENY\n"));
	ASSERT_EQ(0, activate(POL));
	EXPECT_EQ(-EACCES, run(self->a));
	EXPECT_EQ(-EBUSY, manifest_delete(m));
	EXPECT_TRUE(manifest_loaded(m));
	EXPECT_EQ(-EACCES, run(self->a));

	/* ANY in an ALLOW rule: deleting takes a's entry away. */
	ASSERT_EQ(0, use_policy("ANY"));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	EXPECT_EQ(0, manifest_delete(m));
	EXPECT_FALSE(manifest_loaded(m));
	EXPECT_EQ(-EACCES, run(self->a));
	EXPECT_TRUE(denied_because(NULL, "not_listed", NULL));
}

/* ---- securityfs files and status ---- */

/*
 * version, entries (canonical: lower-case hex; \xHH for bytes <= 0x20,
 * 0x7f, and \\ for a backslash, nothing else escaped; comments, blanks,
 * CRs gone) and signer, with their modes.
 */
TEST_F(mf, securityfs_files)
{
	const char *m = fresh(self, "files");
	static const char *const modes[][2] = {
		{ "version", "444" }, { "entries", "444" }, { "signer", "444" },
		{ "update", "200" }, { "delete", "200" },
	};
	char text[4096], want[4096], buf[4096], path[512];
	struct stat st;
	size_t i;

	snprintf(text, sizeof(text),
		 "# leading comment\r\n"
		 "\r\n"
		 " \t \n"
		 "  manifest_name=%s\tmanifest_version=1.2.3  \r\n"
		 "\t/mnt/mf-x/with\\x20space  content=sha256:ABCDEF0123456789ABCDEF0123456789abcdef0123456789ABCDEF0123456789 \r\n"
		 "   # a comment between entries\n"
		 "/mnt/mf-x/\\x61bc fsverity=sha256:" HEX64 "\n"
		 "/mnt/mf-x/tab\\x09and\\\\back fsverity=sha256:" HEX64 "\n"
		 "/mnt/mf-x/caf\xc3\xa9 content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/del\\x7F content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/#hash content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/raw\\x2e content=sha256:" HEX64 "\n", m);
	snprintf(want, sizeof(want),
		 "/mnt/mf-x/with\\x20space content=sha256:abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789\n"
		 "/mnt/mf-x/abc fsverity=sha256:" HEX64 "\n"
		 "/mnt/mf-x/tab\\x09and\\\\back fsverity=sha256:" HEX64 "\n"
		 "/mnt/mf-x/caf\xc3\xa9 content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/del\\x7f content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/#hash content=sha256:" HEX64 "\n"
		 "/mnt/mf-x/raw. content=sha256:" HEX64 "\n");
	ASSERT_EQ(0, manifest_new(text, strlen(text)))
		TH_LOG("%s", status_get("last_manifest_error", buf, sizeof(buf)));
	EXPECT_STREQ("1.2.3\n", (manifest_read(m, "version", buf, sizeof(buf)), buf));
	EXPECT_STREQ(want, (manifest_read(m, "entries", buf, sizeof(buf)), buf));
	EXPECT_STREQ("unsigned\n", (manifest_read(m, "signer", buf, sizeof(buf)), buf));

	ASSERT_EQ(0, stat(MANIFESTS "/new", &st));
	EXPECT_EQ(0200, st.st_mode & 0777);
	for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
		manifest_path(path, sizeof(path), m, modes[i][0]);
		ASSERT_EQ(0, stat(path, &st)) TH_LOG("%s", path);
		EXPECT_EQ(strtol(modes[i][1], NULL, 8), st.st_mode & 0777) TH_LOG("%s", path);
	}
}

TEST_F(mf, status_counts_manifests_entries_and_bytes)
{
	const char *m = fresh(self, "status");
	long long loaded = status_num("manifests_loaded");
	long long entries = status_num("manifest_entries");
	long long bytes = status_num("manifest_bytes");
	char v[64];

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, FSV, self->b, NULL,
			     CON, self->p, NULL, END));
	EXPECT_EQ(loaded + 1, status_num("manifests_loaded"));
	EXPECT_EQ(entries + 3, status_num("manifest_entries"));
	EXPECT_LT(bytes, status_num("manifest_bytes"));
	EXPECT_LT(0, status_num("manifest_bytes_per_entry"))
		TH_LOG("manifest_bytes_per_entry: %s",
		       status_get("manifest_bytes_per_entry", v, sizeof(v)));
	EXPECT_NE('\0', status_get("manifest_errors", v, sizeof(v))[0]);
	ksft_print_msg("manifest_bytes %lld for %lld entries, %lld per entry\n",
		       status_num("manifest_bytes"), status_num("manifest_entries"),
		       status_num("manifest_bytes_per_entry"));

	ASSERT_EQ(0, manifest_delete(m));
	EXPECT_EQ(loaded, status_num("manifests_loaded"));
	EXPECT_EQ(entries, status_num("manifest_entries"));
	EXPECT_EQ(bytes, status_num("manifest_bytes"));
}

/* ---- explain ---- */

/*
 * The manifest that the explain tests ask about: a listed with its
 * digest, b listed with a digest that is no file's, p by content.
 */
static int explain_manifest(FIXTURE_DATA(mf) *self, const char **name)
{
	char text[1024], a[65], p[65];
	int rc;

	*name = fresh(self, "explain");
	rc = verity_digest(self->a, a) ?: content_digest(self->p, p);
	if (rc)
		return rc;
	snprintf(text, sizeof(text),
		 "manifest_name=%s manifest_version=1.0.0\n"
		 "%s fsverity=sha256:%s\n"
		 "%s fsverity=sha256:" HEX64 "\n"
		 "%s content=sha256:%s\n", *name, self->a, a, self->b, self->p, p);
	return manifest_new(text, strlen(text)) ?: use_policy(*name);
}

TEST_F(mf, explain_match)
{
	const char *m;
	char a[4096];

	ASSERT_EQ(0, explain_manifest(self, &m));
	ASSERT_EQ(0, explain(self->a, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("ALLOW", field(a, "action"));
	EXPECT_STREQ("match", field(a, "manifest"));
	EXPECT_STREQ(m, field(a, "manifest_name"));
	EXPECT_STREQ("1.0.0", field(a, "manifest_version"));
	EXPECT_STREQ(self->a, field(a, "manifest_entry"));
	EXPECT_STREQ(self->a, field(a, "manifest_path"));

	ASSERT_EQ(0, explain(self->p, a, sizeof(a)));
	EXPECT_STREQ("match", field(a, "manifest")) TH_LOG("\n%s", a);
	EXPECT_STREQ(self->p, field(a, "manifest_entry"));
	EXPECT_EQ(PROG_EXIT, run(self->a));
}

TEST_F(mf, explain_not_listed)
{
	const char *m;
	char a[4096];

	ASSERT_EQ(0, explain_manifest(self, &m));
	ASSERT_EQ(0, explain(self->u, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("not_listed", field(a, "manifest"));
	EXPECT_STREQ(self->u, field(a, "manifest_path"));
	EXPECT_FALSE(has_key(a, "manifest_name"));
	EXPECT_FALSE(has_key(a, "manifest_entry"));
	EXPECT_EQ(-EACCES, run(self->u));
	EXPECT_TRUE(denied_because(m, "not_listed", NULL));
}

TEST_F(mf, explain_digest_differs)
{
	const char *m;
	char a[4096];

	ASSERT_EQ(0, explain_manifest(self, &m));
	ASSERT_EQ(0, explain(self->b, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("digest_differs", field(a, "manifest"));
	EXPECT_STREQ(m, field(a, "manifest_name"));
	EXPECT_STREQ("1.0.0", field(a, "manifest_version"));
	EXPECT_STREQ(self->b, field(a, "manifest_entry"));
	EXPECT_STREQ(self->b, field(a, "manifest_path"));
	EXPECT_EQ(-EACCES, run(self->b));
	EXPECT_TRUE(denied_because(m, "digest_differs", self->b));
}

/* A copy of a, with fs-verity: the same digest, under an unlisted path. */
TEST_F(mf, explain_elsewhere)
{
	const char *m;
	char a[4096], c[128];

	in_dir(self, c, sizeof(c), "copy-of-a");
	ASSERT_EQ(0, make_prog(c, "manifest a\n", 1));
	ASSERT_EQ(0, explain_manifest(self, &m));
	ASSERT_EQ(0, explain(c, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("elsewhere", field(a, "manifest"));
	EXPECT_STREQ(m, field(a, "manifest_name"));
	EXPECT_STREQ("1.0.0", field(a, "manifest_version"));
	EXPECT_STREQ(self->a, field(a, "manifest_entry"));
	EXPECT_STREQ(c, field(a, "manifest_path"));
	EXPECT_EQ(-EACCES, run(c));
	EXPECT_TRUE(denied_because(m, "elsewhere", self->a));
}

/*
 * No path from the global root: a memfd, an unlinked file, and a file on
 * a mount of another mount namespace, though it has p's listed bytes.
 */
TEST_F(mf, explain_no_path)
{
	const char *m;
	char a[4096], gone[128];
	int fd, status;
	size_t len;
	void *bytes;
	pid_t pid;

	ASSERT_EQ(0, explain_manifest(self, &m));

	fd = memfd_create("manifest", MFD_CLOEXEC);
	ASSERT_LE(0, fd);
	bytes = slurp(self->p, &len);
	ASSERT_NE(NULL, bytes);
	ASSERT_EQ((ssize_t)len, write(fd, bytes, len));
	free(bytes);
	ASSERT_EQ(0, explain_fd("EXECUTE", fd, a, sizeof(a)));
	TH_LOG("\n%s", a);
	EXPECT_STREQ("DENY", field(a, "action"));
	EXPECT_STREQ("no_path", field(a, "manifest"));
	EXPECT_FALSE(has_key(a, "manifest_path"));
	EXPECT_FALSE(has_key(a, "manifest_entry"));
	EXPECT_EQ(-EACCES, run_at(fd, "", NULL, AT_EMPTY_PATH));
	EXPECT_TRUE(denied_because(m, "no_path", NULL));
	close(fd);

	/* a's bytes and digest, unlinked once opened. */
	in_dir(self, gone, sizeof(gone), "gone");
	ASSERT_EQ(0, make_prog(gone, "manifest a\n", 1));
	fd = open(gone, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, unlink(gone));
	ASSERT_EQ(0, explain_fd("EXECUTE", fd, a, sizeof(a)));
	EXPECT_STREQ("no_path", field(a, "manifest")) TH_LOG("\n%s", a);
	EXPECT_FALSE(has_key(a, "manifest_path"));
	EXPECT_EQ(-EACCES, run_at(fd, "", NULL, AT_EMPTY_PATH));
	EXPECT_TRUE(denied_because(m, "no_path", NULL));
	close(fd);

	/* A tmpfs mounted in another mount namespace only. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		char dir[64], f[96];

		snprintf(dir, sizeof(dir), "/tmp/mf-ns-%d", getpid());
		snprintf(f, sizeof(f), "%s/p", dir);
		if (unshare(CLONE_NEWNS) || mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL))
			_exit(10);
		if (mkdir(dir, 0755) || mount("tmpfs", dir, "tmpfs", 0, NULL))
			_exit(11);
		if (copy_file(self->p, f, NULL))
			_exit(12);
		_exit(run(f) == -EACCES ? 0 : 13);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_TRUE(denied_because(m, "no_path", NULL));
}

/* ---- refusals ---- */

TEST_F(mf, unprivileged_writes_are_eperm)
{
	const char *m = fresh(self, "priv"), *other = fresh(self, "priv-new");
	char buf[4096], before[4096];
	int status;
	pid_t pid;

	ASSERT_EQ(0, mf_load(m, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_LT(0, manifest_read(m, "entries", before, sizeof(before)));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (drop_mac_admin())
			_exit(10);
		if (mf_load(other, "1.0.0", FSV, self->a, NULL, END) != -EPERM)
			_exit(11);
		if (mf_update(m, m, "1.1.0", FSV, self->b, NULL, END) != -EPERM)
			_exit(12);
		if (manifest_delete(m) != -EPERM)
			_exit(13);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_FALSE(manifest_loaded(other));
	EXPECT_STREQ("1.0.0\n", (manifest_read(m, "version", buf, sizeof(buf)), buf));
	EXPECT_STREQ(before, (manifest_read(m, "entries", buf, sizeof(buf)), buf));
	/* Nothing was recorded for the refused names: they load now. */
	EXPECT_EQ(0, mf_load(other, "1.0.0", FSV, self->a, NULL, END));
}

/*
 * Malformed manifests, each refused with its errno; status'
 * last_manifest_error names the line and, where a token is at fault, a
 * column inside that token (@at on line @line; the column just after it
 * counts too, for a token that is missing after it) and quotes @quote.
 * @line 0: an error about the text as a whole, whose line is not checked.
 */
struct bad_manifest {
	const char *what;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int err;
	unsigned int line;
	const char *at;
	size_t at_len;		/* 0: strlen(at) */
	const char *quote;
};

#define BAD_NAME	"manifest_name=mfbad"
#define HDR		BAD_NAME " manifest_version=1.0.0\n"
#define DIG		"fsverity=sha256:" HEX64
#define NUL_HEADER	"manifest_name=mf\0bad manifest_version=1.0.0\n/x/a " DIG "\n"
#define NUL_PATH	HDR "/x/a\0b " DIG "\n"
#define HEX63		"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"

/* Filled by long_cases(): a name, a path and a component over their limits. */
static char long_name[512], long_path[4400], long_component[512];

static struct bad_manifest bad[] = {
	/* the header */
	{ "version before name", "manifest_version=1.0.0 manifest_name=mfbad\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_version=1.0.0", 0, "manifest_version=1.0.0" },
	{ "no version", BAD_NAME "\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, BAD_NAME, 0, NULL },
	{ "third header token", BAD_NAME " manifest_version=1.0.0 extra\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "extra", 0, "extra" },
	{ "name given twice", BAD_NAME " manifest_name=other\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=other", 0, "manifest_name=other" },
	{ "empty name", "manifest_name= manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=", 0, NULL },
	{ "slash in name", "manifest_name=a/b manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=a/b", 0, "a/b" },
	{ "space in name", "manifest_name=a\\x20b manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=a\\x20b", 0, "a\\x20b" },
	{ "name .", "manifest_name=. manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=.", 0, NULL },
	{ "name ..", "manifest_name=.. manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=..", 0, NULL },
	{ "name ANY (reserved)", "manifest_name=ANY manifest_version=1.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_name=ANY", 0, "ANY" },
	{ "name of 256 bytes", long_name, 0,
	  ENAMETOOLONG, 1, "manifest_name=", 0, NULL },
	{ "two version components", BAD_NAME " manifest_version=1.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_version=1.0", 0, "1.0" },
	{ "four version components", BAD_NAME " manifest_version=1.0.0.0\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_version=1.0.0.0", 0, "1.0.0.0" },
	{ "version not a number", BAD_NAME " manifest_version=1.x.0\n/x/a " DIG "\n", 0,
	  EINVAL, 1, "manifest_version=1.x.0", 0, "1.x.0" },
	{ "negative version", BAD_NAME " manifest_version=-1.0.0\n/x/a " DIG "\n", 0,
	  EINVAL, 1, "manifest_version=-1.0.0", 0, "-1.0.0" },
	{ "major over 65535", BAD_NAME " manifest_version=65536.0.0\n/x/a " DIG "\n", 0,
	  ERANGE, 1, "manifest_version=65536.0.0", 0, "65536" },
	{ "patch over 65535", BAD_NAME " manifest_version=1.0.99999\n/x/a " DIG "\n", 0,
	  ERANGE, 1, "manifest_version=1.0.99999", 0, "99999" },
	{ "empty version", BAD_NAME " manifest_version=\n/x/a " DIG "\n", 0,
	  EBADMSG, 1, "manifest_version=", 0, NULL },
	{ "entry before the header", "/x/a " DIG "\n" HDR, 0,
	  EBADMSG, 1, "/x/a", 0, "/x/a" },
	{ "a second header", HDR "/x/a " DIG "\n" BAD_NAME " manifest_version=1.0.1\n", 0,
	  EBADMSG, 3, BAD_NAME, 0, BAD_NAME },
	{ "NUL in the header", NUL_HEADER, sizeof(NUL_HEADER) - 1,
	  EBADMSG, 1, "manifest_name=mf\0bad", 20, NULL },
	{ "nothing but comments", "# nothing\n\n   \n", 0,
	  EBADMSG, 0, NULL, 0, NULL },
	/* paths */
	{ "relative path", HDR "x/a " DIG "\n", 0,
	  EBADMSG, 2, "x/a", 0, "x/a" },
	{ "root alone", HDR "/ " DIG "\n", 0,
	  EBADMSG, 2, "/", 0, NULL },
	{ "trailing slash", HDR "/x/a/ " DIG "\n", 0,
	  EBADMSG, 2, "/x/a/", 0, "/x/a/" },
	{ "empty component", HDR "//x/a " DIG "\n", 0,
	  EBADMSG, 2, "//x/a", 0, "//x/a" },
	{ "dot component", HDR "/x/./a " DIG "\n", 0,
	  EBADMSG, 2, "/x/./a", 0, "/x/./a" },
	{ "dot-dot component", HDR "/x/../a " DIG "\n", 0,
	  EBADMSG, 2, "/x/../a", 0, "/x/../a" },
	{ "escape \\n", HDR "/x/a\\nb " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\nb", 0, "/x/a" },
	{ "escape \\x00", HDR "/x/a\\x00b " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\x00b", 0, "/x/a" },
	{ "escape with one hex digit", HDR "/x/a\\x4 " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\x4", 0, "/x/a" },
	{ "escape with non-hex digits", HDR "/x/a\\xzzb " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\xzzb", 0, "/x/a" },
	{ "escape \\X41", HDR "/x/a\\X41 " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\X41", 0, "/x/a" },
	{ "backslash at the end of the path", HDR "/x/a\\ " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\", 0, "/x/a" },
	{ "escaped slash: empty component", HDR "/x\\x2f/a " DIG "\n", 0,
	  EBADMSG, 2, "/x\\x2f/a", 0, NULL },
	{ "escaped dots: dot-dot component", HDR "/x/\\x2e\\x2e/a " DIG "\n", 0,
	  EBADMSG, 2, "/x/\\x2e\\x2e/a", 0, NULL },
	{ "escaped slash: trailing slash", HDR "/x/a\\x2f " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\\x2f", 0, NULL },
	{ "NUL in a path", NUL_PATH, sizeof(NUL_PATH) - 1,
	  EBADMSG, 2, "/x/a\0b", 6, NULL },
	{ "raw CR inside a path", HDR "/x/a\rb " DIG "\n", 0,
	  EBADMSG, 2, "/x/a\rb", 0, NULL },
	{ "raw space inside a path", HDR "/x/a b " DIG "\n", 0,
	  EBADMSG, 2, "b " DIG, 0, NULL },
	{ "path of 4096 bytes", long_path, 0,
	  ENAMETOOLONG, 2, long_path + sizeof(HDR) - 1, 4096, NULL },
	{ "component of 256 bytes", long_component, 0,
	  ENAMETOOLONG, 2, long_component + sizeof(HDR) - 1, 259, NULL },
	{ "path listed twice", HDR "/x/a " DIG "\n/x/b " DIG "\n/x/a content=sha256:" HEX64 "\n", 0,
	  EBADMSG, 4, "/x/a", 0, "/x/a" },
	{ "path listed twice, once escaped", HDR "/x/a " DIG "\n/x/\\x61 " DIG "\n", 0,
	  EBADMSG, 3, "/x/\\x61", 0, NULL },
	/* digests */
	{ "path without a digest", HDR "/x/a\n", 0,
	  EBADMSG, 2, "/x/a", 0, "/x/a" },
	{ "third entry token", HDR "/x/a " DIG " extra\n", 0,
	  EBADMSG, 2, "extra", 0, "extra" },
	{ "comment after an entry", HDR "/x/a " DIG " # c\n", 0,
	  EBADMSG, 2, "#", 0, "#" },
	{ "unknown kind", HDR "/x/a sha256=sha256:" HEX64 "\n", 0,
	  EBADMSG, 2, "sha256=sha256:" HEX64, 0, "sha256=sha256:" },
	{ "kind in capitals", HDR "/x/a FSVERITY=sha256:" HEX64 "\n", 0,
	  EBADMSG, 2, "FSVERITY=sha256:" HEX64, 0, "FSVERITY=" },
	{ "kind without '='", HDR "/x/a content sha256:" HEX64 "\n", 0,
	  EBADMSG, 2, "content sha256:" HEX64, 0, NULL },
	{ "sha512", HDR "/x/a fsverity=sha512:" HEX64 HEX64 "\n", 0,
	  EBADMSG, 2, "fsverity=sha512:" HEX64 HEX64, 0, "sha512" },
	{ "algorithm in capitals", HDR "/x/a fsverity=SHA256:" HEX64 "\n", 0,
	  EBADMSG, 2, "fsverity=SHA256:" HEX64, 0, "SHA256" },
	{ "no algorithm", HDR "/x/a fsverity=" HEX64 "\n", 0,
	  EBADMSG, 2, "fsverity=" HEX64, 0, NULL },
	{ "63 hex digits", HDR "/x/a fsverity=sha256:" HEX63 "\n", 0,
	  EBADMSG, 2, "fsverity=sha256:" HEX63, 0, "fsverity=:" },
	{ "65 hex digits", HDR "/x/a fsverity=sha256:" HEX64 "0\n", 0,
	  EBADMSG, 2, "fsverity=sha256:" HEX64 "0", 0, "fsverity=:" },
	{ "a digit that is not hex", HDR "/x/a fsverity=sha256:" HEX63 "g\n", 0,
	  EBADMSG, 2, "fsverity=sha256:" HEX63 "g", 0, "fsverity=:" },
	{ "empty digest", HDR "/x/a content=sha256:\n", 0,
	  EBADMSG, 2, "content=sha256:", 0, "content=:" },
	/* line numbers count comments, blank lines and CRLF lines */
	{ "line 7 after comments and CRLFs",
	  "# c\r\n\r\n  \t\r\n" HDR "# c\r\n/x/a " DIG "\r\n/x/b fsverity=sha256:zz\r\n", 0,
	  EBADMSG, 7, "fsverity=sha256:zz", 0, "fsverity=sha256:zz" },
	{ "line 3 after leading blanks",
	  HDR "\t /x/a " DIG "\n  \t/x/b fsverity=sha256:" HEX63 "\n", 0,
	  EBADMSG, 3, "fsverity=sha256:" HEX63, 0, NULL },
};

static void long_cases(void)
{
	size_t n;
	int i;

	/* manifest_name= and 256 bytes */
	n = snprintf(long_name, sizeof(long_name), "manifest_name=");
	memset(long_name + n, 'n', 256);
	snprintf(long_name + n + 256, sizeof(long_name) - n - 256,
		 " manifest_version=1.0.0\n/x/a " DIG "\n");

	/* 16 components of 255 bytes: 4096 bytes */
	n = snprintf(long_path, sizeof(long_path), HDR);
	for (i = 0; i < 16; i++) {
		long_path[n++] = '/';
		memset(long_path + n, 'p', 255);
		n += 255;
	}
	snprintf(long_path + n, sizeof(long_path) - n, " " DIG "\n");

	/* /x/ and 256 bytes */
	n = snprintf(long_component, sizeof(long_component), HDR "/x/");
	memset(long_component + n, 'c', 256);
	snprintf(long_component + n + 256, sizeof(long_component) - n - 256, " " DIG "\n");
}

/*
 * Where in @b's text the token @b->at starts on line @b->line: its 1-based
 * column, or 0 when it is not there.
 */
static unsigned int token_column(const struct bad_manifest *b, size_t len)
{
	const char *line = b->text, *end = b->text + len, *nl, *hit;
	size_t at_len = b->at_len ? b->at_len : strlen(b->at);
	unsigned int l;

	for (l = 1; l < b->line; l++) {
		nl = memchr(line, '\n', end - line);
		if (!nl)
			return 0;
		line = nl + 1;
	}
	nl = memchr(line, '\n', end - line);
	hit = memmem(line, (nl ? nl : end) - line, b->at, at_len);
	return hit ? hit - line + 1 : 0;
}

/* Check status' last_manifest_error against @b; 1 when it is right. */
/*
 * Does message @msg quote @want: contain it, or quote ('...') a part of
 * it, as a message naming the bad part of a token does?
 */
static int quotes(const char *msg, const char *want)
{
	const char *q, *end;
	char part[256];

	if (strstr(msg, want))
		return 1;
	for (q = strchr(msg, '\''); q; q = strchr(end + 1, '\'')) {
		end = strchr(q + 1, '\'');
		if (!end)
			return 0;
		if (end > q + 1 && (size_t)(end - q - 1) < sizeof(part)) {
			memcpy(part, q + 1, end - q - 1);
			part[end - q - 1] = '\0';
			if (strstr(want, part) || strstr(part, want))
				return 1;
		}
	}
	return 0;
}

/* The length of the token of @b's text at line b->line, column @col. */
static size_t token_rest(const struct bad_manifest *b, size_t len,
			 unsigned int col)
{
	const char *t = b->text, *end = b->text + len;
	unsigned int line = 1;
	size_t n = 0;

	while (t < end && line < b->line)
		if (*t++ == '\n')
			line++;
	t += col - 1;
	while (t + n < end && t[n] != ' ' && t[n] != '\t' && t[n] != '\n' &&
	       t[n] != '\r')
		n++;
	return n;
}

static int error_is_right(const struct bad_manifest *b, size_t len, const char *e)
{
	unsigned int line = 0, col = 0, want;
	size_t at_len;
	int n = 0;

	if (sscanf(e, "manifest rejected: line %u, column %u: %n", &line, &col, &n) == 2 && n) {
		/* line and column */
	} else if (sscanf(e, "manifest rejected: line %u: %n", &line, &n) == 1 && n) {
		col = 0;
	} else {
		return 0;
	}
	if (b->line && line != b->line)
		return 0;
	if (b->quote && !quotes(e + n, b->quote))
		return 0;
	if (!b->at)
		return 1;
	want = token_column(b, len);
	at_len = b->at_len ? b->at_len : strlen(b->at);
	/* The column may point into the token: at the bad digit. */
	if (want && col > want + at_len)
		at_len = token_rest(b, len, want);
	return want && col >= want && col <= want + at_len;
}

TEST_F(mf, malformed_manifests_are_refused_and_change_nothing)
{
	const char *g = fresh(self, "good");
	char before[4096], buf[4096], e[1024], target[512];
	long long errors, loaded;
	size_t i, len;

	long_cases();
	ASSERT_LE(40, (int)(sizeof(bad) / sizeof(bad[0])));
	ASSERT_EQ(0, mf_load(g, "1.0.0", FSV, self->a, NULL, END));
	ASSERT_EQ(0, use_policy(g));
	ASSERT_LT(0, manifest_read(g, "entries", before, sizeof(before)));
	loaded = status_num("manifests_loaded");

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		const struct bad_manifest *b = &bad[i];

		len = b->len ? b->len : strlen(b->text);
		errors = status_num("manifest_errors");
		EXPECT_EQ(-b->err, manifest_new(b->text, len)) TH_LOG("%s", b->what);
		status_get("last_manifest_error", e, sizeof(e));
		EXPECT_TRUE(error_is_right(b, len, e))
			TH_LOG("%s: line %u, at '%.40s', quoting '%s'; status: %s",
			       b->what, b->line, b->at ? b->at : "", b->quote ? b->quote : "", e);
		EXPECT_EQ(errors + 1, status_num("manifest_errors")) TH_LOG("%s", b->what);
		EXPECT_FALSE(manifest_loaded("mfbad")) TH_LOG("%s", b->what);
		EXPECT_EQ(loaded, status_num("manifests_loaded")) TH_LOG("%s", b->what);
		EXPECT_STREQ(before, (manifest_read(g, "entries", buf, sizeof(buf)), buf))
			TH_LOG("%s", b->what);
		EXPECT_EQ(PROG_EXIT, run(self->a)) TH_LOG("%s", b->what);
	}

	/* A malformed update leaves the manifest as it was, too. */
	snprintf(buf, sizeof(buf), "manifest_name=%s manifest_version=1.1.0\n"
		 "/x/a fsverity=sha256:zz\n", g);
	EXPECT_EQ(-EBADMSG, manifest_update(g, buf, strlen(buf)));
	EXPECT_NE(NULL, strstr(status_get("last_manifest_error", e, sizeof(e)),
			       "line 2, column 22: ")) TH_LOG("%s", e);
	EXPECT_STREQ("1.0.0\n", (manifest_read(g, "version", buf, sizeof(buf)), buf));
	EXPECT_STREQ(before, (manifest_read(g, "entries", buf, sizeof(buf)), buf));
	EXPECT_EQ(PROG_EXIT, run(self->a));
	manifest_path(target, sizeof(target), g, "update");
	/* The name of manifests/new itself is refused by the kernel. */
	snprintf(buf, sizeof(buf), "manifest_name=new manifest_version=1.0.0\n");
	EXPECT_EQ(-EINVAL, manifest_new(buf, strlen(buf)));
	EXPECT_NE(NULL, strstr(status_get("last_manifest_error", e, sizeof(e)),
			       "manifests/new")) TH_LOG("%s", e);
	/* ...and so does one that parses but names another manifest. */
	snprintf(buf, sizeof(buf), "manifest_name=mfbad manifest_version=1.1.0\n"
		 "%s " DIG "\n", self->a);
	EXPECT_EQ(-EINVAL, write_str(target, buf));
	EXPECT_STREQ(before, (manifest_read(g, "entries", buf, sizeof(buf)), buf));
	EXPECT_FALSE(manifest_loaded("mfbad"));
	EXPECT_EQ(PROG_EXIT, run(self->a));
}

/* ---- signed manifests, from selftests/fixtures/manifest-fixtures ---- */

#define MF_FIX	"/manifests"
#define SIGNED42 "/mf/signed42"

/*
 * The keys that sign the fixtures; SIGNED42, a copy of PROG made now, so
 * that it is not boot_verified: only a manifest lets it run; and POL with
 * manifest=@spec.
 */
static int signed_setup(const char *spec)
{
	long ring = sigil_keyring_id();

	if (!ring)
		return -ENOKEY;
	if (mkdir("/mf", 0755) && errno != EEXIST)
		return -errno;
	return ensure_key(ring, "RSA_SKID", "rsa.der") ?:
	       ensure_key(ring, "PGP_FPR", "pgp.pgp") ?:
	       ensure_key(ring, "SQ_SIGNER_FPR", "sq.pgp") ?:
	       make_prog(SIGNED42, NULL, 0) ?:
	       use_policy(spec);
}

FIXTURE(signed_mf) {
};

FIXTURE_VARIANT(signed_mf) {
	const char *name;	/* the manifest's name; MF_FIX/NAME.FORM is its file */
	const char *form;
	const char *signer;	/* prefix of manifests/NAME/signer */
};

FIXTURE_VARIANT_ADD(signed_mf, pkcs7) {
	.name = "signed-p7", .form = "p7", .signer = "x509-skid:",
};

FIXTURE_VARIANT_ADD(signed_mf, pkcs7_detached) {
	.name = "signed-p7d", .form = "p7d", .signer = "x509-skid:",
};

FIXTURE_VARIANT_ADD(signed_mf, gpg) {
	.name = "signed-gpg", .form = "gpg", .signer = "openpgp:",
};

FIXTURE_VARIANT_ADD(signed_mf, sq) {
	.name = "signed-sq", .form = "sq", .signer = "openpgp:",
};

FIXTURE_SETUP(signed_mf)
{
	ASSERT_EQ(0, signed_setup(variant->name));
}

static void manifest_delete_pieces(const char *name)
{
	char pieces[128];

	snprintf(pieces, sizeof(pieces), "%s-pieces", name);
	manifest_delete(pieces);
}

FIXTURE_TEARDOWN(signed_mf)
{
	restore_baseline();
	delete_policy(POL);
	manifest_delete(variant->name);
	manifest_delete_pieces(variant->name);
}

/*
 * Accepted with its signer; the entry is the host's sha256 of prog42,
 * which must be the guest's of SIGNED42; SIGNED42 runs.  The names and
 * versions are fixed: this runs once per boot.
 */
TEST_F(signed_mf, loads_with_its_signer_and_runs)
{
	char path[256], buf[512], want[256], host[80] = "", guest[65];

	EXPECT_EQ(-EACCES, run(SIGNED42));
	snprintf(path, sizeof(path), MF_FIX "/%s.%s", variant->name, variant->form);
	ASSERT_EQ(0, write_pieces(path, MANIFESTS "/new", SIZE_MAX))
		TH_LOG("%s: %s", path, status_get("last_manifest_error", buf, sizeof(buf)));
	manifest_read(variant->name, "signer", buf, sizeof(buf));
	EXPECT_EQ(0, strncmp(buf, variant->signer, strlen(variant->signer)))
		TH_LOG("signer: %s", buf);
	EXPECT_STREQ("1.0.0\n", (manifest_read(variant->name, "version", buf, sizeof(buf)), buf));

	ASSERT_LT(0, read_file(MF_FIX "/prog42.sha256", host, sizeof(host)));
	host[strcspn(host, "\n")] = '\0';
	ASSERT_EQ(0, content_digest(SIGNED42, guest));
	EXPECT_STREQ(host, guest);
	snprintf(want, sizeof(want), SIGNED42 " content=sha256:%s\n", host);
	EXPECT_STREQ(want, (manifest_read(variant->name, "entries", buf, sizeof(buf)), buf));

	EXPECT_EQ(PROG_EXIT, run(SIGNED42));
}

/* In pieces of 7 bytes, as for policies: every header is split. */
TEST_F(signed_mf, loads_in_pieces)
{
	char path[256], name[128], buf[512];

	snprintf(name, sizeof(name), "%s-pieces", variant->name);
	snprintf(path, sizeof(path), MF_FIX "/%s.%s", name, variant->form);
	ASSERT_EQ(0, write_pieces(path, MANIFESTS "/new", 7))
		TH_LOG("%s: %s", path, status_get("last_manifest_error", buf, sizeof(buf)));
	EXPECT_TRUE(manifest_loaded(name));
	manifest_delete(name);
}

/*
 * Each refusal: its errno, manifest_errors counts it, nothing is loaded,
 * SIGNED42 stays denied.
 */
TEST(signed_manifest_tampered_or_by_unknown_keys_is_refused)
{
	static const struct {
		const char *file;
		int err;
	} refusals[] = {
		{ "signed-bad.p7tamper",	EKEYREJECTED },
		{ "signed-bad.p7dtamper",	EKEYREJECTED },
		{ "signed-bad.gpgtamper",	EKEYREJECTED },
		{ "signed-bad.sqtamper",	EKEYREJECTED },
		{ "signed-bad.p7stranger",	ENOKEY },
		{ "signed-bad.gpgstranger",	ENOKEY },
		{ "signed-bad.sqstranger",	ENOKEY },
	};
	char path[256], buf[512];
	size_t i;

	ASSERT_EQ(0, signed_setup("ANY"));
	for (i = 0; i < sizeof(refusals) / sizeof(refusals[0]); i++) {
		long long errors = status_num("manifest_errors");

		snprintf(path, sizeof(path), MF_FIX "/%s", refusals[i].file);
		EXPECT_EQ(-refusals[i].err, write_pieces(path, MANIFESTS "/new", SIZE_MAX))
			TH_LOG("%s: %s", refusals[i].file,
			       status_get("last_manifest_error", buf, sizeof(buf)));
		EXPECT_EQ(errors + 1, status_num("manifest_errors")) TH_LOG("%s", refusals[i].file);
		EXPECT_FALSE(manifest_loaded("signed-bad")) TH_LOG("%s", refusals[i].file);
		EXPECT_EQ(-EACCES, run(SIGNED42)) TH_LOG("%s", refusals[i].file);
	}
	restore_baseline();
	delete_policy(POL);
	manifest_delete("signed-bad");
}

TEST_HARNESS_MAIN
