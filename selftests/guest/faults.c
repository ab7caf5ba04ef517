// SPDX-License-Identifier: GPL-2.0-only
/*
 * Fault injection on every load path and on first verification.
 *
 * For each securityfs write that changes sigil's state (policy load,
 * update, activate and delete; key add and remove; manifest load, update
 * and delete; the keyring lock) and for the first executable mapping and
 * the first exec of a file under each kind of signature, fail the 1st,
 * 2nd, ... allocation of the call through /proc/self/fail-nth until the
 * call completes without reaching the injected failure.  Each injected
 * failure must:
 *
 * - return an errno (or, where the code tolerates the failure, succeed
 *   with the same result as without it);
 * - leave sigil's state exactly as it was: the status figures, the
 *   policies and their versions, the manifests and their versions, the
 *   keys of .sigil;
 * - on the exec path in enforce mode, never allow a file that must be
 *   denied, and deny a signed file only with a logged reason (error=).
 *
 * After each call that succeeded, the test undoes it and checks that the
 * memory figures of sigil/status are back where they were.  On a kernel
 * with kmemleak (make check-debug), it then scans for leaks whose
 * allocation backtrace passes through sigil.
 *
 * Not a *_test: it runs in a boot of its own (selftests/run-check), after
 * selftests/guest/stress.c, because locking the keyring lasts until
 * reboot.  Prints TAP; the number of injection points exercised is on the
 * "# injection points" line.
 */

#include <dirent.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <sys/xattr.h>

#include "common.h"
#include "manifest.h"

#define WORK	DISK "/faults"
#define DEBUGFS	"/sys/kernel/debug"
#define XATTR_IMA	"security.ima"
#define XATTR_SIGIL	"security.sigil"

static int failed;
static unsigned int total_points, total_tolerated, total_paths;

static void tap(int ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s - ", ok ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		failed = 1;
}

/* ---- /proc/self/fail-nth ---- */

static int fail_fd = -1;

/* Fail the @n-th fault-injection site this task reaches from now on. */
static void inject(unsigned int n)
{
	char s[16];
	int len = snprintf(s, sizeof(s), "%u", n);

	if (pwrite(fail_fd, s, len, 0) != len) {
		perror("fail-nth");
		exit(2);
	}
}

/*
 * Was the failure injected?  Reading 0 means it was; a positive count
 * means the call ended before reaching it, and the count is cleared.
 */
static int injected(void)
{
	char s[16] = "";

	if (pread(fail_fd, s, sizeof(s) - 1, 0) <= 0)
		return 0;
	if (atoi(s) == 0)
		return 1;
	inject(0);
	return 0;
}

static int setup_injection(void)
{
	static const char *const knobs[][2] = {
		/* GFP_KERNEL allocations may fail too, not only atomic ones. */
		{ DEBUGFS "/failslab/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-wait", "N" },
		{ DEBUGFS "/fail_page_alloc/ignore-gfp-highmem", "N" },
		{ DEBUGFS "/fail_page_alloc/min-order", "0" },
		/* No stack dump per injected failure. */
		{ DEBUGFS "/failslab/verbose", "0" },
		{ DEBUGFS "/fail_page_alloc/verbose", "0" },
	};
	size_t i;

	mount("none", DEBUGFS, "debugfs", 0, NULL);
	for (i = 0; i < sizeof(knobs) / sizeof(knobs[0]); i++)
		if (write_str(knobs[i][0], knobs[i][1])) {
			printf("# cannot set %s\n", knobs[i][0]);
			return -1;
		}
	fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
	return fail_fd < 0 ? -1 : 0;
}

/* ---- the state that a failed call must leave as it was ---- */

struct state {
	char text[16384];
};

static const char *const status_keys[] = {
	"mode", "active_policy", "active_version", "active_rules",
	"active_policy_bytes", "active_rule_bytes", "active_text_bytes",
	"policies_loaded", "policies_bytes", "policies_rules",
	"manifests_loaded", "manifest_entries", "manifest_superseded",
	"manifest_bytes", "keyring_keys", "keyring_locked",
};

static void append(struct state *s, const char *fmt, ...)
{
	size_t len = strlen(s->text);
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(s->text + len, sizeof(s->text) - len, fmt, ap);
	va_end(ap);
}

/* Each directory of @dir with its version, and "active" where there is one. */
static void list_dir(struct state *s, const char *dir)
{
	char path[512], buf[64];
	struct dirent *d;
	DIR *dp = opendir(dir);

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		if (d->d_name[0] == '.' || d->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s/version", dir, d->d_name);
		if (read_file(path, buf, sizeof(buf)) < 0)
			buf[0] = '\0';
		buf[strcspn(buf, "\n")] = '\0';
		append(s, "%s %s", d->d_name, buf);
		snprintf(path, sizeof(path), "%s/%s/active", dir, d->d_name);
		if (read_file(path, buf, sizeof(buf)) > 0)
			append(s, " active=%c", buf[0]);
		append(s, "\n");
	}
	closedir(dp);
}

static void snapshot(struct state *s)
{
	int32_t keys[256];
	char v[256];
	long n, i;
	size_t k;

	s->text[0] = '\0';
	for (k = 0; k < sizeof(status_keys) / sizeof(status_keys[0]); k++)
		append(s, "%s: %s\n", status_keys[k],
		       status_get(status_keys[k], v, sizeof(v)));
	list_dir(s, SFS "/policies");
	list_dir(s, MANIFESTS);
	n = keyctl(KEYCTL_READ, sigil_keyring_id(), (long)keys, sizeof(keys), 0);
	for (i = 0; i < n / 4 && i < 256; i++)
		append(s, "key %d\n", keys[i]);
}

/* Print the lines that differ between @a and @b. */
static void show_diff(const struct state *a, const struct state *b)
{
	char x[sizeof(a->text)], y[sizeof(b->text)], *l, *save;

	memcpy(x, a->text, sizeof(x));
	memcpy(y, b->text, sizeof(y));
	for (l = strtok_r(x, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strstr(b->text, l))
			printf("#   before: %s\n", l);
	for (l = strtok_r(y, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
		if (!strstr(a->text, l))
			printf("#   after:  %s\n", l);
}

/* ---- the paths ---- */

/*
 * A path: @setup (not injected) brings the state where @run can be
 * called; @run is the one call whose allocations are failed; @undo (not
 * injected) takes back what a @run that succeeded did, and what @setup
 * did.  @run returns 0 or -errno.
 */
struct path {
	const char *name;
	int (*setup)(void);
	int (*run)(void);
	void (*undo)(int rc);
	int lasting;	/* what @run did cannot be undone */
	int want;	/* what @run returns with nothing failed */
};

static int nop(void)
{
	return 0;
}

static void nop_undo(int rc)
{
}

/* Write @len bytes of @buf to @file in one write() of an already open file. */
static int write_open(const char *file, const void *buf, size_t len, int inj,
		      unsigned int n)
{
	int fd = open(file, O_WRONLY | O_CLOEXEC);
	ssize_t w;
	int rc;

	if (fd < 0)
		return -errno;
	if (inj)
		inject(n);
	w = write(fd, buf, len);
	rc = w == (ssize_t)len ? 0 : w < 0 ? -errno : -EIO;
	/* What close() frees is not part of the call. */
	close(fd);
	return rc;
}

/*
 * The current path's injection point, or 0 for none: every write through
 * put() injects it, once it is opened.
 */
static unsigned int cur_n;

static int put(const char *file, const void *buf, size_t len)
{
	return write_open(file, buf, len, cur_n != 0, cur_n);
}

static int put_str(const char *file, const char *s)
{
	return put(file, s, strlen(s));
}

static void *fixture(const char *path, size_t *len)
{
	void *buf = slurp(path, len);

	if (!buf) {
		printf("# missing fixture %s\n", path);
		exit(2);
	}
	return buf;
}

/* -- policies -- */

#define POL_HDR(name, ver) "policy_name=" name " policy_version=" ver "\n"

/* A policy with a rule of each kind that allocates when it is compiled. */
static const char big_policy[] = POL_HDR("f_pol", "1.0.0")
	"DEFAULT action=ALLOW\n"
	"DEFAULT op=EXECUTE action=ALLOW\n"
	"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
	"op=EXECUTE fsverity_digest=sha256:"
	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef action=ALLOW\n"
	"op=EXECUTE fsverity_digest=sha256:"
	"1123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef action=ALLOW\n"
	"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
	"op=EXECUTE ima_signature=TRUE action=ALLOW\n"
	"op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
	"op=EXECUTE manifest=ANY action=ALLOW\n"
	"op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:"
	"2123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef action=ALLOW\n"
	"op=KMODULE fsverity_signature=TRUE action=ALLOW\n";

static const char small_v2[] = POL_HDR("f_pol", "1.0.1")
	"DEFAULT action=ALLOW\n"
	"op=EXECUTE boot_verified=TRUE action=ALLOW\n";

static void drop_f_pol(int rc)
{
	restore_baseline();
	delete_policy("f_pol");
}

static int load_text(void)
{
	return put(SFS "/new_policy", big_policy, sizeof(big_policy) - 1);
}

static const char *signed_file;

static int load_signed(void)
{
	size_t len;
	void *buf = fixture(signed_file, &len);
	int rc = put(SFS "/new_policy", buf, len);

	free(buf);
	return rc;
}

static void drop_signed(int rc)
{
	restore_baseline();
	delete_policy("signed");
}

static int setup_f_pol(void)
{
	return load_policy("%s", big_policy);
}

static int update(void)
{
	char path[256];

	policy_path(path, sizeof(path), "f_pol", "update");
	return put(path, small_v2, sizeof(small_v2) - 1);
}

static int activate_f_pol(void)
{
	char path[256];

	policy_path(path, sizeof(path), "f_pol", "active");
	return put_str(path, "1");
}

static int delete_f_pol(void)
{
	char path[256];

	policy_path(path, sizeof(path), "f_pol", "delete");
	return put_str(path, "1");
}

static int enforce_off(void)
{
	return put_str(SFS "/enforce", "0");
}

static void enforce_on(int rc)
{
	set_enforce(1);
}

/* -- keys -- */

static const char *key_file, *key_id_name;

static int add_one_key(void)
{
	size_t len;
	void *buf = fixture(key_file, &len);
	long ring = sigil_keyring_id();
	long rc;

	if (cur_n)
		inject(cur_n);
	rc = add_key("asymmetric", "", buf, len, ring);
	rc = rc < 0 ? -errno : 0;
	free(buf);
	return rc;
}

static void remove_one_key(int rc)
{
	keyring_remove(sig_id(key_id_name));
}

static int setup_key(void)
{
	unsigned int n = cur_n;
	int rc;

	cur_n = 0;
	rc = add_one_key();
	cur_n = n;
	return rc;
}

static int remove_key(void)
{
	return put_str(SFS "/keyring_remove", sig_id(key_id_name));
}

static int lock_keyring(void)
{
	return put_str(SFS "/keyring_locked", "1");
}

/* -- manifests -- */

#define MF_HDR(name, ver) "manifest_name=" name " manifest_version=" ver "\n"

/*
 * A manifest's name keeps its highest version after the manifest is
 * deleted: each round takes a new name, f_mfN.
 */
static char mf_digest[65], mf_name[32], mf_text[4096];
static unsigned int mf_round;

static void mf_make(const char *version, int both)
{
	snprintf(mf_text, sizeof(mf_text),
		 "manifest_name=%s manifest_version=%s\n"
		 WORK "/listed content=sha256:%s\n%s%s%s", mf_name, version,
		 mf_digest, both ? WORK "/other\\x20name content=sha256:" : "",
		 both ? mf_digest : "", both ? "\n" : "");
}

static int mf_next(void)
{
	snprintf(mf_name, sizeof(mf_name), "f_mf%u", mf_round++);
	mf_make("1.0.0", 1);
	return 0;
}

static int load_manifest(void)
{
	return put(MANIFESTS "/new", mf_text, strlen(mf_text));
}

static void drop_manifest(int rc)
{
	manifest_delete(mf_name);
}

static int setup_manifest(void)
{
	mf_next();
	return manifest_new(mf_text, strlen(mf_text));
}

static int update_manifest(void)
{
	char path[256];

	mf_make("1.0.1", 0);
	manifest_path(path, sizeof(path), mf_name, "update");
	return put(path, mf_text, strlen(mf_text));
}

static int delete_manifest(void)
{
	char path[256];

	manifest_path(path, sizeof(path), mf_name, "delete");
	return put_str(path, "1");
}

static int load_signed_manifest(void)
{
	size_t len;
	void *buf = fixture(signed_file, &len);
	int rc = put(MANIFESTS "/new", buf, len);

	free(buf);
	return rc;
}

static void drop_signed_manifest(int rc)
{
	manifest_delete("signed-p7");
	manifest_delete("signed-p7d");
	manifest_delete("signed-gpg");
	manifest_delete("signed-sq");
}

/*
 * Run @p with the 1st, 2nd, ... injection point failed until a call ends
 * before reaching it.  Returns the number of points where a failure was
 * injected.
 */
static unsigned int walk(const struct path *p)
{
	struct state before, after, base;
	unsigned int n, points = 0, tolerated = 0, bad = 0;
	int rc, hit;

	snapshot(&base);
	for (n = 1; n < 5000; n++) {
		cur_n = 0;
		rc = p->setup();
		if (rc) {
			tap(0, "%s: setup failed: %s", p->name, strerror(-rc));
			return points;
		}
		snapshot(&before);
		cur_n = n;
		rc = p->run();
		hit = injected();
		cur_n = 0;
		if (!hit) {
			/* The call never reached point n: it ran whole. */
			if (rc != p->want) {
				tap(0, "%s: returns %s without an injected failure",
				    p->name, strerror(-rc));
				bad++;
			}
			p->undo(rc);
			break;
		}
		points++;
		if (rc == p->want)
			/* The failure was tolerated: the call did its job. */
			tolerated++;
		if (rc) {
			snapshot(&after);
			if (strcmp(before.text, after.text)) {
				if (bad++ < 5) {
					printf("# %s: failure %u (%s) changed the state:\n",
					       p->name, n, strerror(-rc));
					show_diff(&before, &after);
				}
			}
		}
		p->undo(rc);
	}
	snapshot(&after);
	if (!p->lasting && strcmp(base.text, after.text)) {
		printf("# %s: not back where it started:\n", p->name);
		show_diff(&base, &after);
		bad++;
	}
	total_points += points;
	total_tolerated += tolerated;
	total_paths++;
	tap(!bad, "%s: %u injection points, %u tolerated, each failure left the state as it was",
	    p->name, points, tolerated);
	return points;
}

/* ---- first verification: executable mmap and exec ---- */

/*
 * How each kind of signature is put on a file: as signed_test.c does it,
 * from the files of /sigs signed on the host.
 */
struct kind {
	const char *name;
	const char *prop;	/* the rule's property */
	const char *xattr;	/* where the signature goes; NULL: fs-verity */
	const char *sig;	/* fixture suffix */
	int verity;
};

static const struct kind kinds[] = {
	{ "fsverity_signature", "fsverity_signature=TRUE", NULL, "fsv", 1 },
	{ "ima_signature v2", "ima_signature=TRUE", XATTR_IMA, "ima2", 0 },
	{ "ima_signature v2 ecdsa", "ima_signature=TRUE", XATTR_IMA, "ima2ec", 0 },
	{ "ima_signature v3", "ima_signature=TRUE", XATTR_IMA, "ima3", 1 },
	{ "pgp_signature gpg", "pgp_signature=TRUE", XATTR_SIGIL, "pgp2", 0 },
	{ "pgp_signature sq", "pgp_signature=TRUE", XATTR_SIGIL, "sq2", 0 },
	{ "pgp_signature verity", "pgp_signature=TRUE", XATTR_SIGIL, "pgp1", 1 },
	{ "manifest content=", "manifest=f_exec", NULL, NULL, 0 },
};

/* Put /sigs/files/a at @dst, signed as @k says with @sig ("" for none). */
static int place(const struct kind *k, const char *dst, const char *sig)
{
	char from[256];
	void *buf = NULL;
	size_t len = 0;
	int rc;

	unlink(dst);
	rc = copy_file(SIGS "/files/a", dst, NULL);
	if (rc || !k->sig)
		return rc;
	snprintf(from, sizeof(from), SIGS "/files/a.%s", sig);
	buf = slurp(from, &len);
	if (!buf)
		return -ENOENT;
	if (k->xattr && setxattr(dst, k->xattr, buf, len, 0))
		rc = -errno;
	if (!rc && k->verity)
		rc = k->xattr ? enable_verity(dst) : enable_verity_sig(dst, buf, len);
	free(buf);
	return rc;
}

static const struct kind *cur_kind;
static char good_path[256], bad_path[256];
static int policy_flip;

/*
 * Forget what was verified: switch between two copies of the policy (a
 * new global generation), and open the files for writing (a new inode
 * generation: content digests are kept across policy changes).
 */
static int forget(void)
{
	char name[16];

	snprintf(name, sizeof(name), "f_exec%d", policy_flip);
	policy_flip ^= 1;
	close(open(good_path, O_WRONLY | O_CLOEXEC));
	close(open(bad_path, O_WRONLY | O_CLOEXEC));
	return activate(name);
}

static int exec_policies(const struct kind *k)
{
	int i, rc;

	for (i = 0; i < 2; i++) {
		restore_baseline();
		delete_policy(i ? "f_exec1" : "f_exec0");
		rc = load_policy("policy_name=f_exec%d policy_version=" TEST_VERSION "\n"
				 "DEFAULT action=ALLOW\n"
				 "DEFAULT op=EXECUTE action=DENY\n"
				 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
				 "op=EXECUTE %s action=ALLOW\n", i, k->prop);
		if (rc)
			return rc;
	}
	return 0;
}

/* The manifest f_exec listing the good file by its content. */
static int exec_manifest(void)
{
	char hex[65], text[1024];

	manifest_delete("f_exec");
	if (content_digest(good_path, hex))
		return -EIO;
	snprintf(text, sizeof(text), MF_HDR("f_exec", "1.0.0")
		 "%s content=sha256:%s\n", good_path, hex);
	return manifest_new(text, strlen(text));
}

static char last_log[1024];

/* Has the log a new last line since last time, and what is it? */
static const char *new_log_line(void)
{
	static char prev[1024];

	last_log_line(last_log, sizeof(last_log));
	if (!strcmp(prev, last_log))
		return NULL;
	memcpy(prev, last_log, sizeof(prev));
	return last_log;
}

/*
 * Map @path executable, with the n-th point failed (0: none).  The
 * descriptor is opened first: only the mapping is injected.
 */
static int map_injected(const char *path, unsigned int n, int *hit)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;
	int rc = 0;

	if (fd < 0)
		return -errno;
	if (n)
		inject(n);
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		rc = -errno;
	*hit = n ? injected() : 0;
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	return rc;
}

/*
 * Exec @path in a child whose n-th point fails.  fail-nth outlives
 * execve(): the parent reads it from the child, dead but not yet reaped.
 * Returns the exit status (42: prog ran), -errno of a failed execve(), or
 * 128 + signal.
 */
static int exec_injected(const char *path, unsigned int n, int *hit)
{
	char proc[64], s[16] = "";
	siginfo_t si;
	int pipefd[2], err = 0, fd;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid == 0) {
		char *const argv[] = { (char *)path, NULL };
		int e;

		close(pipefd[0]);
		/* The parent's descriptor names the parent's task. */
		fail_fd = open("/proc/thread-self/fail-nth", O_RDWR | O_CLOEXEC);
		inject(n);
		execve(path, argv, (char *[]){ NULL });
		e = errno;
		write(pipefd[1], &e, sizeof(e));
		_exit(0);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	memset(&si, 0, sizeof(si));
	waitid(P_PID, pid, &si, WEXITED | WNOWAIT);
	snprintf(proc, sizeof(proc), "/proc/%d/fail-nth", pid);
	fd = open(proc, O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, s, sizeof(s) - 1) < 0)
			s[0] = '\0';
		close(fd);
	}
	waitpid(pid, NULL, 0);
	*hit = s[0] && atoi(s) == 0;
	if (err)
		return -err;
	if (si.si_code == CLD_EXITED)
		return si.si_status;
	return 128 + si.si_status;
}

/*
 * The first decision on a file signed as @k says, by mmap or exec
 * (@exec), with each point failed in turn: the good file is allowed or
 * denied with a logged error, the file signed by a stranger is never
 * allowed.
 */
static void verify_path(const struct kind *k, int exec)
{
	const char *how = exec ? "exec" : "mmap";
	unsigned int n, points = 0, tolerated = 0, bad = 0, outside = 0;
	int file, rc, hit, allowed;
	const char *line;

	for (file = 0; file < 2; file++) {
		const char *path = file ? bad_path : good_path;

		for (n = 1; n < 5000; n++) {
			if (forget()) {
				tap(0, "%s %s: cannot switch policies", k->name, how);
				return;
			}
			new_log_line();
			rc = exec ? exec_injected(path, n, &hit) :
				    map_injected(path, n, &hit);
			allowed = exec ? rc == PROG_EXIT : rc == 0;
			if (file && allowed) {
				printf("# %s %s: failure %u allowed a file signed by a stranger\n",
				       k->name, how, n);
				bad++;
			}
			if (!hit) {
				if (!file && !allowed) {
					printf("# %s %s: the signed file is refused without a failure (%d)\n",
					       k->name, how, rc);
					bad++;
				}
				break;
			}
			points++;
			line = new_log_line();
			/*
			 * A failure is not remembered as a verdict: the same
			 * call, with nothing failed and nothing forgotten,
			 * decides as it should.
			 */
			if (!exec && !file && map_injected(path, 0, &hit)) {
				printf("# %s %s: after failure %u the signed file stays refused\n",
				       k->name, how, n);
				bad++;
			}
			if (allowed) {
				tolerated++;
				continue;
			}
			if (rc == -EACCES || rc == -EPERM) {
				/*
				 * sigil denied: the signed file only for an
				 * error, and the log says which.
				 */
				if (!line) {
					printf("# %s %s: failure %u denied without a log line\n",
					       k->name, how, n);
					bad++;
				} else if (!file && !strstr(line, "error=")) {
					printf("# %s %s: failure %u denied the signed file with no error logged: %s\n",
					       k->name, how, n, line);
					bad++;
				}
			} else {
				/* Refused elsewhere: ENOMEM from the mm, a killed exec. */
				outside++;
			}
		}
	}
	total_points += points;
	total_tolerated += tolerated;
	total_paths++;
	tap(!bad, "first %s under %s: %u injection points (%u refused outside sigil, %u tolerated), never a wrong allow, every sigil denial logged with its error",
	    how, k->name, points, outside, tolerated);
}

static void verification(void)
{
	size_t i;

	mkdir(WORK, 0755);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		const struct kind *k = &kinds[i];
		char stranger[64];
		int rc;

		cur_kind = k;
		snprintf(good_path, sizeof(good_path), WORK "/good%zu", i);
		snprintf(bad_path, sizeof(bad_path), WORK "/bad%zu", i);
		snprintf(stranger, sizeof(stranger), "%s-stranger", k->sig ? k->sig : "");
		rc = place(k, good_path, k->sig) ?:
		     (k->sig ? place(k, bad_path, stranger) :
		      copy_file(SIGS "/files/b", bad_path, NULL)) ?:
		     (k->sig ? 0 : exec_manifest()) ?:
		     exec_policies(k);
		if (rc) {
			tap(0, "%s: cannot set up: %s", k->name, strerror(-rc));
			continue;
		}
		verify_path(k, 0);
		verify_path(k, 1);
		restore_baseline();
		delete_policy("f_exec0");
		delete_policy("f_exec1");
		if (!k->sig)
			manifest_delete("f_exec");
	}
}

/* ---- kmemleak ---- */

static void leaks(void)
{
	static char report[1 << 20];
	char *rec, *next;
	unsigned int total = 0, ours = 0;
	ssize_t n;

	if (access(DEBUGFS "/kmemleak", F_OK)) {
		printf("# no kmemleak in this kernel: the status figures above are the leak check\n");
		return;
	}
	/* Two scans: an object is reported once it stays unreferenced. */
	write_str(DEBUGFS "/kmemleak", "scan");
	sleep(1);
	write_str(DEBUGFS "/kmemleak", "scan");
	n = read_file(DEBUGFS "/kmemleak", report, sizeof(report));
	if (n < 0)
		n = 0;
	report[n] = '\0';
	for (rec = strstr(report, "unreferenced object"); rec; rec = next) {
		next = strstr(rec + 1, "unreferenced object");
		if (next)
			next[-1] = '\0';
		total++;
		if (strstr(rec, "sigil")) {
			if (ours++ < 3)
				printf("# %s\n", rec);
		}
	}
	tap(!ours, "kmemleak: no leak allocated through sigil (%u suspected objects in all, %u through sigil)",
	    total, ours);
}

/* ---- main ---- */

int main(void)
{
	static const char *const signed_policies[] = {
		"/policies/v1.p7", "/policies/v1.p7d", "/policies/v1.gpg",
		"/policies/v1.sq",
	};
	static const char *const signed_manifests[] = {
		"/manifests/signed-p7.p7", "/manifests/signed-p7d.p7d",
		"/manifests/signed-gpg.gpg",
		"/manifests/signed-sq.sq",
	};
	static const struct path policy_paths[] = {
		{ .name = "policy update", .setup = setup_f_pol, .run = update,
		  .undo = drop_f_pol },
		{ .name = "policy activate", .setup = setup_f_pol,
		  .run = activate_f_pol, .undo = drop_f_pol },
		{ .name = "policy delete", .setup = setup_f_pol,
		  .run = delete_f_pol, .undo = drop_f_pol },
		{ .name = "enforce off", .setup = nop, .run = enforce_off,
		  .undo = enforce_on },
	};
	static const struct {
		const char *file, *id, *kind;
	} keys[] = {
		{ SIGS "/keys/stranger.der", "STRANGER_SKID", "X.509" },
		{ SIGS "/keys/pgp-stranger.pgp", "PGP_STRANGER_FPR", "OpenPGP" },
	};
	long ring = sigil_keyring_id(), fsv = keyring_id(".fs-verity");
	char name[128];
	size_t i;

	setvbuf(stdout, NULL, _IOLBF, 0);
	printf("# faults: fail-nth on every load path and on first verification\n");
	if (setup_injection()) {
		tap(0, "fault injection: no /proc/thread-self/fail-nth or debugfs knobs");
		return 1;
	}
	if (!ring || !fsv || restore_baseline() ||
	    ensure_key(ring, "RSA_SKID", "rsa.der") ||
	    ensure_key(ring, "EC_SKID", "ec.der") ||
	    ensure_key(ring, "PGP_FPR", "pgp.pgp") ||
	    ensure_key(ring, "SQ_SIGNER_FPR", "sq.pgp") ||
	    ensure_key(fsv, "RSA_SKID", "rsa.der") ||
	    ensure_key(fsv, "STRANGER_SKID", "stranger.der")) {
		tap(0, "fault injection: cannot set up keys and the baseline");
		return 1;
	}
	if (access(WORK, F_OK))
		mkdir(WORK, 0755);
	copy_file(PROG, WORK "/listed", NULL);
	if (content_digest(WORK "/listed", mf_digest)) {
		tap(0, "fault injection: cannot hash " WORK "/listed");
		return 1;
	}
	/*
	 * The first manifest makes the lookup tables, which stay: make them
	 * before any figure is compared.
	 */
	setup_manifest();
	drop_manifest(0);

	/* Policies. */
	walk(&(struct path){ .name = "policy load (text)", .setup = nop,
			     .run = load_text, .undo = drop_f_pol });
	for (i = 0; i < sizeof(signed_policies) / sizeof(signed_policies[0]); i++) {
		signed_file = signed_policies[i];
		snprintf(name, sizeof(name), "policy load (signed, %s)",
			 strrchr(signed_file, '/') + 1);
		walk(&(struct path){ .name = name, .setup = nop,
				     .run = load_signed, .undo = drop_signed });
	}
	for (i = 0; i < sizeof(policy_paths) / sizeof(policy_paths[0]); i++)
		walk(&policy_paths[i]);

	/* Keys: an X.509 certificate and an OpenPGP key that .sigil lacks. */
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		key_file = keys[i].file;
		key_id_name = keys[i].id;
		snprintf(name, sizeof(name), "key add (%s)", keys[i].kind);
		walk(&(struct path){ .name = name, .setup = nop,
				     .run = add_one_key, .undo = remove_one_key });
		snprintf(name, sizeof(name), "keyring_remove (%s)", keys[i].kind);
		walk(&(struct path){ .name = name, .setup = setup_key,
				     .run = remove_key, .undo = remove_one_key });
	}

	/* Manifests. */
	walk(&(struct path){ .name = "manifest load (text)", .setup = mf_next,
			     .run = load_manifest, .undo = drop_manifest });
	/*
	 * A signed manifest loads once per boot: its name keeps its version
	 * after it is deleted.  Loaded and deleted first, it is verified
	 * whole and then refused as stale, every time.
	 */
	for (i = 0; i < sizeof(signed_manifests) / sizeof(signed_manifests[0]); i++) {
		signed_file = signed_manifests[i];
		snprintf(name, sizeof(name), "manifest load (signed, %s, then stale)",
			 strrchr(signed_file, '/') + 1);
		load_signed_manifest();
		drop_signed_manifest(0);
		walk(&(struct path){ .name = name, .setup = nop,
				     .run = load_signed_manifest,
				     .undo = drop_signed_manifest, .want = -ESTALE });
	}
	walk(&(struct path){ .name = "manifest update", .setup = setup_manifest,
			     .run = update_manifest, .undo = drop_manifest });
	walk(&(struct path){ .name = "manifest delete", .setup = setup_manifest,
			     .run = delete_manifest, .undo = drop_manifest });

	/* First verification, by executable mmap and by exec. */
	verification();

	leaks();

	/* Last: locking the keyring lasts until reboot. */
	walk(&(struct path){ .name = "keyring lock", .setup = nop,
			     .run = lock_keyring, .undo = nop_undo, .lasting = 1 });

	restore_baseline();
	printf("# injection points: %u over %u paths (%u failures tolerated)\n",
	       total_points, total_paths, total_tolerated);
	return failed;
}
