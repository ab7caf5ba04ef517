// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl key lock.  The lock lasts until reboot, so this suite runs with
 * the other *_lock_test suites, after every other one (selftests/run-check);
 * keyring_lock_test, which sorts before it, may have locked .sigil already.
 */

#include <sys/prctl.h>

#include "common.h"
#include "kselftest_harness.h"

#define CTL	"/bin/sigilctl"
#define FIX	"/sigilctl"

static char out[8192];

/* Run "sigilctl ARGS", stdout and stderr into out; its exit status. */
static int ctl(bool unprivileged, const char *args)
{
	char cmd[512];
	pid_t pid;
	int st;

	snprintf(cmd, sizeof(cmd), CTL " %s >/tmp/ctl.out 2>&1", args);
	pid = fork();
	if (!pid) {
		/* Out of the bounding set too, or exec as root brings it back. */
		if (unprivileged && (prctl(PR_CAPBSET_DROP, CAP_MAC_ADMIN, 0, 0, 0) ||
				     drop_mac_admin()))
			_exit(99);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(98);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	if (read_file("/tmp/ctl.out", out, sizeof(out)) < 0)
		out[0] = '\0';
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

/* "id:" and the SKID of the certificate only this suite adds. */
static const char *late_skid(void)
{
	static char v[80];
	char line[256];
	FILE *f = fopen(FIX "/ids", "r");

	v[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "LATE_SKID=", 10))
			snprintf(v, sizeof(v), "id:%.*s", (int)strcspn(line + 10, "\n"),
				 line + 10);
	if (f)
		fclose(f);
	return v;
}

TEST(key_lock_locks_sigil_until_reboot)
{
	long long before = status_num("keyring_locked");
	long long keys = status_num("keyring_keys");
	char v[16];

	ASSERT_NE(0, strlen(late_skid()));
	TH_LOG(".sigil was %s before this suite", before ? "locked" : "unlocked");

	/* Not without CAP_MAC_ADMIN: exit status 3, nothing changed. */
	EXPECT_EQ(3, ctl(true, "key lock"));
	EXPECT_NE(NULL, strstr(out, "keyring_locked: Operation not permitted"));
	EXPECT_EQ(before, status_num("keyring_locked"));

	EXPECT_EQ(0, ctl(false, "key lock"));
	EXPECT_STREQ(".sigil is locked until reboot\n", out);
	EXPECT_EQ(2, read_file(SFS "/keyring_locked", v, sizeof(v)));
	EXPECT_STREQ("1\n", v);
	EXPECT_EQ(0, ctl(false, "--json status"));
	EXPECT_NE(NULL, strstr(out, "\"keyring_locked\":1,"));

	/* Locked: a new key is refused, as not allowed, and nothing changes. */
	EXPECT_EQ(3, ctl(false, "key add " FIX "/keys/late.pem"));
	TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "refused by .sigil: Operation not permitted"));
	EXPECT_NE(NULL, strstr(out, "0 loaded, 1 refused"));
	EXPECT_GT(0, search(sigil_keyring_id(), late_skid()));
	EXPECT_EQ(keys, status_num("keyring_keys"));

	/* Locking again changes nothing and succeeds. */
	EXPECT_EQ(0, ctl(false, "key lock"));
	EXPECT_EQ(1, status_num("keyring_locked"));
}

/*
 * What key lock writes, seen in a stand-in for securityfs: in the full
 * suite, keyring_lock_test has locked .sigil before this runs.
 */
TEST(key_lock_writes_1_to_keyring_locked)
{
	char v[16];

	ASSERT_EQ(0, system("mkdir -p /tmp/sfs && echo 'keyring_locked: 0' > /tmp/sfs/status && "
			    ": > /tmp/sfs/keyring_locked"));
	EXPECT_EQ(0, system("SIGIL_SECURITYFS=/tmp/sfs " CTL " key lock >/dev/null"));
	EXPECT_EQ(1, read_file("/tmp/sfs/keyring_locked", v, sizeof(v)));
	EXPECT_STREQ("1", v);
	/* It takes no arguments. */
	EXPECT_EQ(2, ctl(false, "key lock now"));
}

TEST_HARNESS_MAIN
