// SPDX-License-Identifier: GPL-2.0-only
/*
 * stress [SECONDS]: decisions under concurrent change, each checked against
 * an oracle.
 *
 * Worker processes exec, mmap PROT_EXEC, mprotect(+PROT_EXEC) and explain a
 * fixed set of files on the fs-verity disk, in loops.  Each file (a "slot")
 * is allowed or denied by what it is at that moment: fs-verity with a
 * builtin signature, IMA v2 or v3 and OpenPGP kind 1 or 2 signatures, an
 * fs-verity digest the policy names, a manifest entry for its path, or
 * nothing (unsigned, tampered, signed by keys not in .sigil).  Meanwhile
 * mutator processes load, update, activate and delete policies that all
 * mean the same, add and remove the signing keys, rewrite files and their
 * signatures, enable fs-verity, drop caches, toggle permissive mode and
 * update the manifest with and without entries.
 *
 * The oracle: every fact a verdict depends on (a slot's content and
 * signatures, a key's presence in .sigil, the manifest's entries, the
 * mode) has a sequence count in shared memory.  A mutator makes it odd
 * before it changes the fact and even, with the new fact recorded, after
 * the change took effect in the kernel.  A worker reads the counts a slot
 * depends on before and after a decision, and checks the decision only
 * when none moved and none was odd: the fact it read was the one in force
 * throughout.  The others are counted as unchecked.  A checked decision
 * that disagrees with the oracle is wrong; any error but a denial
 * (EACCES, EPERM) is unexpected.  Either fails the test.
 *
 * It runs in a boot of its own (see Documentation/testing.rst): it uses
 * policy versions 0.x.y and manifest versions 0.x.y, and ends with the
 * allow-all "baseline" 1.0.0 active, in enforce mode, its own policies,
 * manifest, keys and files removed.
 *
 * SIGIL_STRESS_SABOTAGE makes the test deliberately wrong, to show that
 * the oracle can fail: "keys" makes the oracle believe that removing a key
 * changes nothing (what a kernel that kept stale verdicts would do);
 * "policy" makes the policy mutator load some policies without the
 * pgp_signature rule; "enforce" hides permissive spells from the oracle,
 * so that denied files are seen allowed.  Each must report wrong
 * decisions.
 */

#include <ctype.h>
#include <dirent.h>
#include <signal.h>
#include <stdint.h>
#include <sys/xattr.h>
#include <time.h>

#include "common.h"
#include "manifest.h"

#define WORK		DISK "/stress"
#define MANIFEST	"stress"
#define XATTR_IMA	"security.ima"
#define XATTR_SIGIL	"security.sigil"

#define NWORKERS	3
#define NPATHMUT	2
#define MAX_REPORTS	20

/* ---- the facts ---- */

/* The keys that come and go in .sigil, with their fixture and ids name. */
enum { K_RSA, K_EC, K_PGP, NKEYS };

static const struct {
	const char *file;
	const char *ids;
} key_def[NKEYS] = {
	[K_RSA] = { "rsa.der", "RSA_SKID" },
	[K_EC]	= { "ec.der", "EC_SKID" },
	[K_PGP] = { "pgp.pgp", "PGP_FPR" },
};

/* Content: /sigs/files/a, a with a byte appended (tampered), or b. */
enum { C_A, C_AT, C_B };
/* fs-verity: off, on without a signature, on with a builtin signature. */
enum { V_NONE, V_PLAIN, V_FSV, V_FSV_STRANGER };
/* security.ima */
enum { X_NONE, X_IMA2, X_IMA2EC, X_IMA3, X_IMA2_STRANGER, X_IMA3_STRANGER };
/* security.sigil */
enum { P_NONE, P_PGP1, P_PGP2, P_PGP1_STRANGER, P_PGP2_STRANGER };

static const char *const content_name[] = { "a", "a+tampered", "b" };
static const char *const verity_name[] = { "", "+verity", "+verity(fsv)",
					    "+verity(fsv-stranger)" };
static const char *const ima_file[] = { NULL, "a.ima2", "a.ima2ec", "a.ima3",
					"a.ima2-stranger", "a.ima3-stranger" };
static const char *const pgp_file[] = { NULL, "a.pgp1", "a.pgp2",
					"a.pgp1-stranger", "a.pgp2-stranger" };

struct fstate {
	unsigned char content, verity, ima, pgp;
};

#define ST(c, v, x, p)	{ C_##c, V_##v, X_##x, P_##p }
#define MAX_STATES	4

/*
 * The slots: a path under WORK each, and the states a mutator moves it
 * between (the first is the initial one).  A slot with one state is only
 * rewritten: a new inode, the same facts.
 */
enum {
	S_FSV, S_IMA2, S_IMA2EC, S_IMA3, S_PGP1, S_PGP2, S_DIGEST, S_MAN,
	S_MANV, S_UNSIGNED, S_UNLISTED, S_TAMPERED, S_STRANGER, S_BOOT, NSLOTS
};

static const struct slot_def {
	const char *name;
	int nstates;
	struct fstate states[MAX_STATES];
} slot_def[NSLOTS] = {
	[S_FSV] = { "fsv", 3, { ST(A, FSV, NONE, NONE), ST(A, PLAIN, NONE, NONE),
				ST(A, NONE, NONE, NONE) } },
	[S_IMA2] = { "ima2", 4, { ST(A, NONE, IMA2, NONE), ST(A, NONE, NONE, NONE),
				  ST(A, NONE, IMA2_STRANGER, NONE),
				  ST(AT, NONE, IMA2, NONE) } },
	[S_IMA2EC] = { "ima2ec", 2, { ST(A, NONE, IMA2EC, NONE),
				      ST(A, NONE, NONE, NONE) } },
	/* The last: an IMA v3 signature on a file without fs-verity. */
	[S_IMA3] = { "ima3", 4, { ST(A, PLAIN, IMA3, NONE), ST(A, PLAIN, NONE, NONE),
				  ST(A, PLAIN, IMA3_STRANGER, NONE),
				  ST(A, NONE, IMA3, NONE) } },
	[S_PGP1] = { "pgp1", 4, { ST(A, PLAIN, NONE, PGP1), ST(A, PLAIN, NONE, NONE),
				  ST(A, NONE, NONE, PGP1),
				  ST(A, PLAIN, NONE, PGP1_STRANGER) } },
	[S_PGP2] = { "pgp2", 4, { ST(A, NONE, NONE, PGP2), ST(AT, NONE, NONE, PGP2),
				  ST(A, NONE, NONE, NONE),
				  ST(A, NONE, NONE, PGP2_STRANGER) } },
	/* b with fs-verity is allowed by its digest; a with it is not. */
	[S_DIGEST] = { "digest", 3, { ST(B, PLAIN, NONE, NONE),
				      ST(B, NONE, NONE, NONE),
				      ST(A, PLAIN, NONE, NONE) } },
	/* Listed with a's content digest while the manifest has the entry. */
	[S_MAN] = { "man", 2, { ST(A, NONE, NONE, NONE), ST(AT, NONE, NONE, NONE) } },
	/* Listed with a's fs-verity digest while the manifest has the entry. */
	[S_MANV] = { "manv", 2, { ST(A, PLAIN, NONE, NONE), ST(A, NONE, NONE, NONE) } },
	[S_UNSIGNED] = { "unsigned", 1, { ST(A, NONE, NONE, NONE) } },
	/* The bytes manv is listed with, under a path no manifest lists. */
	[S_UNLISTED] = { "unlisted", 1, { ST(A, PLAIN, NONE, NONE) } },
	[S_TAMPERED] = { "tampered", 1, { ST(AT, NONE, IMA2, PGP2) } },
	[S_STRANGER] = { "stranger", 1, { ST(A, FSV_STRANGER, IMA3_STRANGER,
					     PGP1_STRANGER) } },
	/* /bin/prog42, from the initramfs: boot_verified, never changed. */
	[S_BOOT] = { "boot", 0, { ST(A, NONE, NONE, NONE) } },
};

/* The manifest entries a mutator adds and drops: one bit per slot. */
#define MAN_BITS	(1u << S_MAN | 1u << S_MANV)

/* What a verdict depends on, beyond the slot's own state and the mode. */
#define DEP_KEY(k)	(1u << (k))
#define DEP_MANIFEST	(1u << NKEYS)

/* ---- shared state ---- */

enum { OP_EXEC, OP_MMAP, OP_MPROTECT, OP_EXPLAIN, NOPS };
static const char *const op_name[NOPS] = { "exec", "mmap", "mprotect", "explain" };

enum {
	M_POLICY_LOAD, M_POLICY_UPDATE, M_POLICY_ACTIVATE, M_POLICY_DELETE,
	M_STALE_REFUSED, M_BUSY_REFUSED, M_KEY_ADD, M_KEY_REMOVE,
	M_FILE_REWRITE, M_XATTR_SET, M_XATTR_REMOVE, M_VERITY,
	M_VERITY_SIG, M_DROP_CACHES, M_ENFORCE, M_MANIFEST_UPDATE, NMUTS
};
static const char *const mut_name[NMUTS] = {
	"policy_load", "policy_update", "policy_activate", "policy_delete",
	"activate_stale_refused", "delete_active_refused", "key_add",
	"key_remove", "file_rewrite", "xattr_set", "xattr_remove",
	"verity_enable", "verity_enable_signed", "drop_caches",
	"enforce_toggle", "manifest_update",
};

struct shared {
	/* Sequence counts: odd while the fact changes. */
	unsigned long seq_slot[NSLOTS];
	unsigned long seq_key[NKEYS];
	unsigned long seq_enforce;
	unsigned long seq_manifest;
	/*
	 * Changes that empty the verdict cache (keys, policy activations):
	 * an mprotect() allowed on a content signature relies on the
	 * verdict that the mmap() before it cached.
	 */
	unsigned long seq_cache;
	/* The facts, written between an odd and an even count. */
	struct fstate cur[NSLOTS];
	int key_present[NKEYS];
	int enforce;
	unsigned int manifest_bits;
	int stop;
	/* Results. */
	unsigned long ops[NOPS];
	unsigned long checked[NOPS], checked_allowed[NOPS], unchecked[NOPS];
	unsigned long wrong[NOPS], unexpected[NOPS];
	unsigned long slot_checked[NSLOTS], slot_allowed[NSLOTS];
	unsigned long muts[NMUTS];
	unsigned long mut_errors;
	unsigned long reports;
};

static struct shared *sh;

/* Fixed at setup, inherited by every process. */
static char dig_a[65], dig_b[65], dig_b_upper[65], sha_a[65];
static char key_id[NKEYS][80];
static long sigil_ring, fsv_ring;
static const char *sabotage = "";
static char slot_path[NSLOTS][128];
static unsigned int pol_version;	/* the policy mutator's own */
static unsigned int man_version = 1;	/* the manifest mutator's own */

#define COUNT(field)	__atomic_fetch_add(&(field), 1, __ATOMIC_RELAXED)

static unsigned long seq_read(unsigned long *seq)
{
	return __atomic_load_n(seq, __ATOMIC_SEQ_CST);
}

/* Make @seq odd: the fact it guards is about to change. */
static void seq_begin(unsigned long *seq)
{
	__atomic_fetch_add(seq, 1, __ATOMIC_SEQ_CST);
}

/* Make @seq even: the change is done and recorded. */
static void seq_end(unsigned long *seq)
{
	__atomic_fetch_add(seq, 1, __ATOMIC_SEQ_CST);
}

static unsigned int rnd(unsigned int *s)
{
	*s ^= *s << 13;
	*s ^= *s >> 17;
	*s ^= *s << 5;
	return *s;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* One line to stdout in one write(), so that processes do not interleave. */
static void __attribute__((format(printf, 1, 2))) say(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(line, sizeof(line) - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (n > (int)sizeof(line) - 2)
		n = sizeof(line) - 2;
	line[n++] = '\n';
	if (write(STDOUT_FILENO, line, n) < 0)
		return;
}

/* Report a problem, the first MAX_REPORTS times. */
#define report(fmt, ...) do {						\
	if (COUNT(sh->reports) < MAX_REPORTS)				\
		say("# " fmt, ##__VA_ARGS__);				\
} while (0)

/* ---- the oracle ---- */

/*
 * Does every policy the test loads allow EXECUTE of slot @slot in state
 * @s, with the keys @key and the manifest entries @man?  @deps gets what
 * the answer depends on; @content is set when the file is allowed only
 * through a digest of its content (IMA v2, OpenPGP kind 2, a content=
 * entry), which mprotect() cannot compute.
 */
static int oracle(int slot, const struct fstate *s, const int *key,
		  unsigned int man, unsigned int *deps, int *content)
{
	int a = s->content == C_A, verity = s->verity != V_NONE;
	int allow = 0;

	*deps = 0;
	*content = 0;
	if (slot == S_BOOT)
		return 1;		/* boot_verified=TRUE */
	if (verity && s->content == C_B)
		allow = 1;		/* fsverity_digest= of b */
	if (s->verity == V_FSV && a) {
		*deps |= DEP_KEY(K_RSA);
		allow |= key[K_RSA];
	}
	if (s->ima == X_IMA2 && a) {
		*deps |= DEP_KEY(K_RSA);
		if (key[K_RSA])
			allow = *content = 1;
	} else if (s->ima == X_IMA2EC && a) {
		*deps |= DEP_KEY(K_EC);
		if (key[K_EC])
			allow = *content = 1;
	} else if (s->ima == X_IMA3 && a && verity) {
		*deps |= DEP_KEY(K_RSA);
		allow |= key[K_RSA];
	}
	if (s->pgp == P_PGP1 && a && verity) {
		*deps |= DEP_KEY(K_PGP);
		allow |= key[K_PGP];
	} else if (s->pgp == P_PGP2 && a) {
		*deps |= DEP_KEY(K_PGP);
		if (key[K_PGP])
			allow = *content = 1;
	}
	if (slot == S_MAN || slot == S_MANV) {
		*deps |= DEP_MANIFEST;
		if ((man & 1u << slot) && a && (slot == S_MAN || verity)) {
			allow = 1;
			*content |= slot == S_MAN;
		}
	}
	return allow;
}

static void state_name(const struct fstate *s, char *buf, size_t size)
{
	snprintf(buf, size, "%s%s%s%s%s%s", content_name[s->content],
		 verity_name[s->verity], s->ima ? " ima=" : "",
		 s->ima ? ima_file[s->ima] : "", s->pgp ? " sigil=" : "",
		 s->pgp ? pgp_file[s->pgp] : "");
}

/* ---- workers ---- */

/* The counts a decision is checked against, read before and after it. */
struct snap {
	unsigned long slot, key[NKEYS], enforce, manifest, cache;
};

static void snap_take(struct snap *s, int slot)
{
	int k;

	s->slot = seq_read(&sh->seq_slot[slot]);
	for (k = 0; k < NKEYS; k++)
		s->key[k] = seq_read(&sh->seq_key[k]);
	s->enforce = seq_read(&sh->seq_enforce);
	s->manifest = seq_read(&sh->seq_manifest);
	s->cache = seq_read(&sh->seq_cache);
}

static int seq_stable(unsigned long a, unsigned long b)
{
	return a == b && !(a & 1);
}

/* Did nothing that @deps names change between @a and @b? */
static int snap_stable(const struct snap *a, const struct snap *b,
		       unsigned int deps, int cache)
{
	int k;

	if (!seq_stable(a->slot, b->slot) || !seq_stable(a->enforce, b->enforce))
		return 0;
	for (k = 0; k < NKEYS; k++)
		if ((deps & DEP_KEY(k)) && !seq_stable(a->key[k], b->key[k]))
			return 0;
	if ((deps & DEP_MANIFEST) && !seq_stable(a->manifest, b->manifest))
		return 0;
	return !cache || seq_stable(a->cache, b->cache);
}

/* The outcome of one decision: allowed, denied, or an unexpected errno. */
enum { R_ALLOW, R_DENY, R_OTHER };

static int outcome_errno(int err)
{
	return err == EACCES || err == EPERM ? R_DENY : R_OTHER;
}

/* The facts as a worker saw them, with the oracle's answer. */
struct view {
	struct fstate st;
	int enforce;
	int keys[NKEYS];
	unsigned int man;
	unsigned int deps;
	int allow;		/* the policy allows it */
	int content;
};

static void view_take(struct view *v, int slot)
{
	const int *keys = sh->key_present;
	static const int all[NKEYS] = { 1, 1, 1 };
	int k;

	v->st = sh->cur[slot];
	v->enforce = __atomic_load_n(&sh->enforce, __ATOMIC_SEQ_CST);
	/* Sabotage: permissive spells go unnoticed. */
	if (!strcmp(sabotage, "enforce"))
		v->enforce = 1;
	for (k = 0; k < NKEYS; k++)
		v->keys[k] = __atomic_load_n(&keys[k], __ATOMIC_SEQ_CST);
	v->man = __atomic_load_n(&sh->manifest_bits, __ATOMIC_SEQ_CST);
	/* Sabotage: a key once added counts as present for good. */
	v->allow = oracle(slot, &v->st, !strcmp(sabotage, "keys") ? all : v->keys,
			  v->man, &v->deps, &v->content);
}

/*
 * Count one decision, and check it when @stable: @got is R_ALLOW, R_DENY
 * or R_OTHER (errno @err), @expect whether it must be allowed.
 */
static void check(int op, int slot, const struct view *v, int stable,
		  int got, int err, int expect, const char *what)
{
	char st[128];

	if (!stable) {
		COUNT(sh->unchecked[op]);
		return;
	}
	COUNT(sh->checked[op]);
	COUNT(sh->slot_checked[slot]);
	if (got == R_ALLOW) {
		COUNT(sh->checked_allowed[op]);
		COUNT(sh->slot_allowed[slot]);
	}
	state_name(&v->st, st, sizeof(st));
	if (got == R_OTHER) {
		COUNT(sh->unexpected[op]);
		report("UNEXPECTED %s %s: %s (%s; enforce=%d keys rsa=%d ec=%d pgp=%d manifest=%#x)",
		       what, slot_path[slot], strerror(err), st, v->enforce,
		       v->keys[K_RSA], v->keys[K_EC], v->keys[K_PGP], v->man);
		return;
	}
	if ((got == R_ALLOW) == expect)
		return;
	COUNT(sh->wrong[op]);
	report("WRONG %s %s: %s, expected %s (%s; enforce=%d keys rsa=%d ec=%d pgp=%d manifest=%#x)",
	       what, slot_path[slot], got == R_ALLOW ? "allowed" : "denied",
	       expect ? "allowed" : "denied", st, v->enforce, v->keys[K_RSA],
	       v->keys[K_EC], v->keys[K_PGP], v->man);
}

static void do_exec(int slot)
{
	struct snap a, b;
	struct view v;
	int rc, got;

	snap_take(&a, slot);
	view_take(&v, slot);
	rc = run(slot_path[slot]);
	snap_take(&b, slot);
	COUNT(sh->ops[OP_EXEC]);
	/*
	 * -ECHILD: the program was killed after the point of no return,
	 * which the ELF loader's mmap() of a file that lost its verdict
	 * half-way through the exec would do.
	 */
	got = rc == PROG_EXIT ? R_ALLOW : rc < 0 ? outcome_errno(-rc) : R_OTHER;
	check(OP_EXEC, slot, &v, snap_stable(&a, &b, v.deps, 0), got,
	      rc < 0 ? -rc : ECHILD, v.allow || !v.enforce, "exec");
}

/*
 * An mmap() with PROT_EXEC, and when it was allowed, an mprotect() that
 * takes PROT_EXEC away and one that gives it back; when it was denied, an
 * mprotect() adding PROT_EXEC to a read-only mapping.  The second decision
 * of a file allowed on its content rests on the verdict the first cached.
 */
static void do_map(int slot, int mprot)
{
	struct snap a, b;
	struct view v;
	int fd, got, got2 = R_OTHER, err = 0, err2 = 0;
	void *p;

	snap_take(&a, slot);
	view_take(&v, slot);
	fd = open(slot_path[slot], O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		COUNT(sh->ops[OP_MMAP]);
		check(OP_MMAP, slot, &v, 1, R_OTHER, errno, 0, "open");
		return;
	}
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	err = errno;
	got = p != MAP_FAILED ? R_ALLOW : outcome_errno(err);
	if (mprot && got != R_OTHER) {
		if (p == MAP_FAILED)
			p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
		else if (mprotect(p, 4096, PROT_READ))
			p = MAP_FAILED;
		if (p == MAP_FAILED) {
			err2 = errno;
		} else {
			got2 = mprotect(p, 4096, PROT_READ | PROT_EXEC) ?
			       outcome_errno(err2 = errno) : R_ALLOW;
		}
	}
	if (p != MAP_FAILED)
		munmap(p, 4096);
	close(fd);
	snap_take(&b, slot);
	COUNT(sh->ops[OP_MMAP]);
	check(OP_MMAP, slot, &v, snap_stable(&a, &b, v.deps, 0), got, err,
	      v.allow || !v.enforce, "mmap");
	if (!mprot || got == R_OTHER)
		return;
	COUNT(sh->ops[OP_MPROTECT]);
	check(OP_MPROTECT, slot, &v,
	      snap_stable(&a, &b, v.deps, v.content && got == R_ALLOW),
	      got2, err2, v.allow || !v.enforce, "mprotect");
}

/* explain answers with the policy's action, whatever the mode. */
static void do_explain(int slot)
{
	char q[64], ans[4096], *act;
	struct snap a, b;
	struct view v;
	int fd, xfd, got = R_OTHER, err = EPROTO;
	ssize_t n;

	snap_take(&a, slot);
	view_take(&v, slot);
	fd = open(slot_path[slot], O_RDONLY | O_CLOEXEC);
	xfd = open(SFS "/explain", O_RDWR | O_CLOEXEC);
	if (fd < 0 || xfd < 0) {
		err = errno;
	} else {
		snprintf(q, sizeof(q), "EXECUTE %d\n", fd);
		if (write(xfd, q, strlen(q)) < 0) {
			err = errno;
		} else if ((n = pread(xfd, ans, sizeof(ans) - 1, 0)) > 0) {
			ans[n] = '\0';
			act = strstr(ans, "\naction=");
			if (act && !strncmp(act + 8, "ALLOW\n", 6))
				got = R_ALLOW;
			else if (act && !strncmp(act + 8, "DENY\n", 5))
				got = R_DENY;
		}
	}
	if (fd >= 0)
		close(fd);
	if (xfd >= 0)
		close(xfd);
	snap_take(&b, slot);
	COUNT(sh->ops[OP_EXPLAIN]);
	check(OP_EXPLAIN, slot, &v, snap_stable(&a, &b, v.deps, 0), got, err,
	      v.allow, "explain");
}

static void worker(unsigned int seed)
{
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		int slot = rnd(&seed) % NSLOTS, r = rnd(&seed) % 10;

		if (r < 3)
			do_exec(slot);
		else if (r < 5)
			do_map(slot, 0);
		else if (r < 8)
			do_map(slot, 1);
		else
			do_explain(slot);
	}
}

/* ---- files ---- */

static void *sig_blob[16];
static size_t sig_len[16];
static const char *const sig_names[] = {
	"a.fsv", "a.fsv-stranger", "a.ima2", "a.ima2ec", "a.ima3",
	"a.ima2-stranger", "a.ima3-stranger", "a.pgp1", "a.pgp2",
	"a.pgp1-stranger", "a.pgp2-stranger",
};

static int sig_get(const char *name, void **blob, size_t *len)
{
	size_t i;

	for (i = 0; i < sizeof(sig_names) / sizeof(sig_names[0]); i++) {
		if (strcmp(sig_names[i], name))
			continue;
		*blob = sig_blob[i];
		*len = sig_len[i];
		return 0;
	}
	return -ENOENT;
}

static int set_sig(const char *path, const char *xattr, const char *name)
{
	void *blob;
	size_t len;

	if (sig_get(name, &blob, &len))
		return -ENOENT;
	return setxattr(path, xattr, blob, len, 0) ? -errno : 0;
}

/* Make a file in state @s at @tmp: content, xattrs, fs-verity. */
static int build(const char *tmp, const struct fstate *s)
{
	const char *src = s->content == C_B ? SIGS "/files/b" : SIGS "/files/a";
	void *blob;
	size_t len;
	int rc;

	unlink(tmp);
	rc = copy_file(src, tmp, s->content == C_AT ? "T" : NULL);
	if (!rc && s->ima)
		rc = set_sig(tmp, XATTR_IMA, ima_file[s->ima]);
	if (!rc && s->pgp)
		rc = set_sig(tmp, XATTR_SIGIL, pgp_file[s->pgp]);
	if (rc || s->verity == V_NONE)
		return rc;
	if (s->verity == V_PLAIN) {
		COUNT(sh->muts[M_VERITY]);
		return enable_verity(tmp);
	}
	if (sig_get(s->verity == V_FSV ? "a.fsv" : "a.fsv-stranger", &blob, &len))
		return -ENOENT;
	COUNT(sh->muts[M_VERITY_SIG]);
	return enable_verity_sig(tmp, blob, len);
}

/* Write a new file in state @s and rename() it over slot @slot's path. */
static int rewrite(int slot, const struct fstate *s)
{
	char tmp[160];
	int rc;

	snprintf(tmp, sizeof(tmp), WORK "/.new-%s-%d", slot_def[slot].name, getpid());
	rc = build(tmp, s);
	if (!rc && rename(tmp, slot_path[slot]))
		rc = -errno;
	if (rc)
		unlink(tmp);
	else
		COUNT(sh->muts[M_FILE_REWRITE]);
	return rc;
}

/* Change one signature xattr of slot @slot in place. */
static int change_xattr(int slot, const char *xattr, const char *sig)
{
	if (sig) {
		COUNT(sh->muts[M_XATTR_SET]);
		return set_sig(slot_path[slot], xattr, sig);
	}
	COUNT(sh->muts[M_XATTR_REMOVE]);
	return removexattr(slot_path[slot], xattr) ? -errno : 0;
}

/*
 * Move a slot to another of its states: in place when only the xattrs
 * differ (half of the time), else by a new file renamed over the path.
 */
static void path_mutator(unsigned int seed)
{
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		int slot = rnd(&seed) % NSLOTS, rc = 0;
		const struct slot_def *d = &slot_def[slot];
		unsigned long seq = seq_read(&sh->seq_slot[slot]);
		struct fstate cur, to;

		if (!d->nstates || (seq & 1) ||
		    !__atomic_compare_exchange_n(&sh->seq_slot[slot], &seq, seq + 1, 0,
						 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST))
			continue;	/* the other mutator has it */
		cur = sh->cur[slot];
		to = d->states[rnd(&seed) % d->nstates];
		if (to.content == cur.content && to.verity == cur.verity &&
		    (to.ima != cur.ima || to.pgp != cur.pgp) && rnd(&seed) % 2) {
			if (to.ima != cur.ima)
				rc = change_xattr(slot, XATTR_IMA, ima_file[to.ima]);
			if (!rc && to.pgp != cur.pgp)
				rc = change_xattr(slot, XATTR_SIGIL, pgp_file[to.pgp]);
		} else {
			rc = rewrite(slot, &to);
		}
		if (rc) {
			/*
			 * What the file is now is unknown: its count stays
			 * odd, so that no decision about it is checked, and
			 * the test stops.
			 */
			COUNT(sh->mut_errors);
			report("mutator: %s: %s", slot_path[slot], strerror(-rc));
			__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
			break;
		}
		sh->cur[slot] = to;
		seq_end(&sh->seq_slot[slot]);
		sleep_ms(5 + rnd(&seed) % 30);
	}
}

/* ---- keys ---- */

static int key_add(int k)
{
	char path[128];

	snprintf(path, sizeof(path), SIGS "/keys/%s", key_def[k].file);
	return add_key_file(path, sigil_ring) < 0 ? -errno : 0;
}

/*
 * Remove a present key or add an absent one.  Keys stay away for short
 * spells only, so that most decisions about their files can allow.
 */
static void key_mutator(unsigned int seed)
{
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		int k = rnd(&seed) % NKEYS, rc;
		int present = sh->key_present[k];

		seq_begin(&sh->seq_key[k]);
		seq_begin(&sh->seq_cache);
		rc = present ? keyring_remove(key_id[k]) : key_add(k);
		seq_end(&sh->seq_cache);
		COUNT(sh->muts[present ? M_KEY_REMOVE : M_KEY_ADD]);
		if (rc) {
			/* As for files: the key's count stays odd. */
			COUNT(sh->mut_errors);
			report("mutator: %s key %s: %s", present ? "removing" : "adding",
			       key_def[k].ids, strerror(-rc));
			__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
			break;
		}
		sh->key_present[k] = !present;
		seq_end(&sh->seq_key[k]);
		sleep_ms(present ? 20 + rnd(&seed) % 60 : 80 + rnd(&seed) % 150);
	}
}

/* ---- policies ---- */

/*
 * Every variant allows EXECUTE of the same files: boot_verified, b's
 * fs-verity digest, any valid file signature and the manifest's entries.
 * They differ in rule order, names, redundant rules and DEFAULT lines.
 * The signer= rules are equivalent here because each kind of signature
 * the test makes has one key in .sigil that could verify it.
 */
static char *policy_text(const char *name, unsigned int ver, int variant)
{
	const char *rsa = key_id[K_RSA], *ec = key_id[K_EC], *pgp = key_id[K_PGP];
	int no_pgp = !strcmp(sabotage, "policy") && variant == 2;
	char *text = NULL;
	int rc = -1;

	switch (variant) {
	case 0:
		rc = asprintf(&text,
			"policy_name=%s policy_version=0.%u.%u\n"
			"DEFAULT action=ALLOW\n"
			"DEFAULT op=EXECUTE action=DENY\n"
			"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE action=ALLOW\n"
			"op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
			"op=EXECUTE manifest=" MANIFEST " action=ALLOW\n",
			name, ver >> 16, ver & 0xffff, dig_b);
		break;
	case 1:		/* reversed, the DEFAULTs last */
		rc = asprintf(&text,
			"policy_name=%s policy_version=0.%u.%u\n"
			"op=EXECUTE manifest=ANY action=ALLOW\n"
			"op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			"DEFAULT op=EXECUTE action=DENY\n"
			"DEFAULT action=ALLOW\n",
			name, ver >> 16, ver & 0xffff, dig_b);
		break;
	case 2:		/* by signer, with a revocation that matches nothing */
		rc = asprintf(&text,
			"policy_name=%s policy_version=0.%u.%u\n"
			"# variant 2: signer= rules\n"
			"DEFAULT op=EXECUTE action=DENY\n"
			"op=EXECUTE fsverity_digest=sha256:%064d action=DENY\n"
			"op=EXECUTE anonymous=TRUE action=DENY\n"
			"op=EXECUTE fsverity_signature=TRUE signer=%s action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE signer=0x%s action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE signer=%s action=ALLOW\n"
			"%s%s%s"
			"op=EXECUTE manifest=" MANIFEST "@0.0.1 action=ALLOW\n"
			"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			"DEFAULT action=ALLOW\n",
			name, ver >> 16, ver & 0xffff, 1, rsa, rsa, ec,
			no_pgp ? "" : "op=EXECUTE pgp_signature=TRUE signer=",
			no_pgp ? "" : pgp, no_pgp ? "" : " action=ALLOW\n", dig_b);
		break;
	case 3:		/* no EXECUTE default: a catch-all DENY rule */
		rc = asprintf(&text,
			"policy_name=%s policy_version=0.%u.%u\n"
			"DEFAULT action=ALLOW\n"
			"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE action=ALLOW\n"
			"op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
			"op=EXECUTE manifest=" MANIFEST " action=ALLOW\n"
			"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			"op=EXECUTE boot_verified=FALSE action=DENY\n"
			"op=EXECUTE action=DENY\n",
			name, ver >> 16, ver & 0xffff, dig_b);
		break;
	default:	/* a DEFAULT per operation, none global */
		rc = asprintf(&text,
			"policy_name=%s policy_version=0.%u.%u\n"
			"DEFAULT op=FIRMWARE action=ALLOW\n"
			"DEFAULT op=KMODULE action=ALLOW\n"
			"DEFAULT op=KEXEC_IMAGE action=ALLOW\n"
			"DEFAULT op=KEXEC_INITRAMFS action=ALLOW\n"
			"DEFAULT op=POLICY action=ALLOW\n"
			"DEFAULT op=X509_CERT action=ALLOW\n"
			"DEFAULT op=EXECUTE action=DENY\n"
			"op=EXECUTE pgp_signature=TRUE action=ALLOW\n"
			"op=EXECUTE manifest=" MANIFEST " action=ALLOW\n"
			"op=EXECUTE ima_signature=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_digest=sha256:%s action=ALLOW\n"
			"op=EXECUTE boot_verified=TRUE action=ALLOW\n"
			"op=EXECUTE fsverity_signature=TRUE action=ALLOW\n",
			name, ver >> 16, ver & 0xffff, dig_b_upper);
		break;
	}
	return rc < 0 ? NULL : text;
}

#define NVARIANTS	5

static int policy_load(const char *name, int update, int variant)
{
	char path[256], *text = policy_text(name, ++pol_version, variant);
	int rc;

	if (!text)
		return -ENOMEM;
	if (update)
		policy_path(path, sizeof(path), name, "update");
	rc = write_str(update ? path : SFS "/new_policy", text);
	free(text);
	COUNT(sh->muts[update ? M_POLICY_UPDATE : M_POLICY_LOAD]);
	return rc;
}

static int policy_activate(const char *name)
{
	int rc;

	seq_begin(&sh->seq_cache);
	rc = activate(name);
	seq_end(&sh->seq_cache);
	COUNT(sh->muts[M_POLICY_ACTIVATE]);
	return rc;
}

static void mut_fail(const char *what, const char *name, int rc)
{
	char why[512];

	COUNT(sh->mut_errors);
	report("mutator: %s %s: %s (last_policy_error: %s)", what, name,
	       strerror(-rc), status_get("last_policy_error", why, sizeof(why)));
}

/*
 * Load a policy, maybe update it, activate it and delete the one it
 * replaced; now and then update the active one in place, try to bring
 * back the older one (ESTALE) and to delete the active one (EBUSY).
 */
static void policy_mutator(unsigned int seed, unsigned int n)
{
	char active[64], next[64];
	int rc;

	snprintf(active, sizeof(active), "stress-%u", n);
	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		unsigned int r = rnd(&seed) % 8;

		if (r == 0) {
			seq_begin(&sh->seq_cache);
			rc = policy_load(active, 1, rnd(&seed) % NVARIANTS);
			seq_end(&sh->seq_cache);
			if (rc)
				mut_fail("updating", active, rc);
			goto pause;
		}
		snprintf(next, sizeof(next), "stress-%u", ++n);
		rc = policy_load(next, 0, rnd(&seed) % NVARIANTS);
		if (!rc && r < 3)
			rc = policy_load(next, 1, rnd(&seed) % NVARIANTS);
		if (rc) {
			mut_fail("loading", next, rc);
			goto pause;
		}
		if (r == 3) {
			rc = delete_policy(next);
			COUNT(sh->muts[M_POLICY_DELETE]);
			if (rc)
				mut_fail("deleting", next, rc);
			goto pause;
		}
		rc = policy_activate(next);
		if (rc) {
			mut_fail("activating", next, rc);
			goto pause;
		}
		if (r == 4) {
			rc = policy_activate(active);
			if (rc == -ESTALE)
				COUNT(sh->muts[M_STALE_REFUSED]);
			else
				mut_fail("re-activating the older", active, rc ?: -EINVAL);
		}
		if (r == 5) {
			rc = delete_policy(next);
			if (rc == -EBUSY)
				COUNT(sh->muts[M_BUSY_REFUSED]);
			else
				mut_fail("deleting the active", next, rc ?: -EINVAL);
		}
		rc = delete_policy(active);
		COUNT(sh->muts[M_POLICY_DELETE]);
		if (rc)
			mut_fail("deleting", active, rc);
		snprintf(active, sizeof(active), "%s", next);
pause:
		sleep_ms(5 + rnd(&seed) % 30);
	}
}

/* ---- the manifest, the mode, the caches ---- */

static int manifest_write(unsigned int bits, int update)
{
	char text[1024];
	int n;

	/* The last entry lists a's bytes under a path that has no file. */
	n = snprintf(text, sizeof(text),
		     "manifest_name=" MANIFEST " manifest_version=0.%u.%u\n"
		     "# entries come and go with the test\n"
		     WORK "/elsewhere content=sha256:%s\n",
		     man_version >> 16, man_version & 0xffff, sha_a);
	if (bits & 1u << S_MAN)
		n += snprintf(text + n, sizeof(text) - n, "%s content=sha256:%s\n",
			      slot_path[S_MAN], sha_a);
	if (bits & 1u << S_MANV)
		n += snprintf(text + n, sizeof(text) - n, "%s fsverity=sha256:%s\n",
			      slot_path[S_MANV], dig_a);
	man_version++;
	return update ? manifest_update(MANIFEST, text, n) :
			manifest_new(text, n);
}

static void misc_mutator(unsigned int seed)
{
	int rc;

	while (!__atomic_load_n(&sh->stop, __ATOMIC_RELAXED)) {
		unsigned int r = rnd(&seed) % 20;

		if (r < 11) {
			/* A new manifest version, with or without each entry. */
			unsigned int bits = rnd(&seed) % 4 ? MAN_BITS : 0;

			if (rnd(&seed) % 2)
				bits = rnd(&seed) & MAN_BITS;
			seq_begin(&sh->seq_manifest);
			rc = manifest_write(bits, 1);
			if (!rc)
				sh->manifest_bits = bits;
			seq_end(&sh->seq_manifest);
			COUNT(sh->muts[M_MANIFEST_UPDATE]);
			if (rc)
				mut_fail("updating manifest", MANIFEST, rc);
		} else if (r < 18) {
			rc = write_str("/proc/sys/vm/drop_caches", "3");
			COUNT(sh->muts[M_DROP_CACHES]);
			if (rc)
				mut_fail("writing", "drop_caches", rc);
		} else {
			/* Permissive for a short spell. */
			int mode;

			for (mode = 0; mode <= 1; mode++) {
				seq_begin(&sh->seq_enforce);
				rc = set_enforce(mode);
				if (!rc)
					sh->enforce = mode;
				seq_end(&sh->seq_enforce);
				COUNT(sh->muts[M_ENFORCE]);
				if (rc)
					mut_fail("setting enforce", mode ? "1" : "0", rc);
				if (!mode)
					sleep_ms(10 + rnd(&seed) % 40);
			}
		}
		sleep_ms(5 + rnd(&seed) % 30);
	}
}

/* ---- set-up, report, clean-up ---- */

static int read_digests(void)
{
	char name[32], d[80], f[200];
	FILE *fp = fopen(SIGS "/digests", "r");
	int got = 0, i;

	if (!fp)
		return -errno;
	while (fscanf(fp, "%31s %79s %199s", name, d, f) == 3) {
		if (!strcmp(name, "a") && strlen(d) == 64)
			got |= 1, strcpy(dig_a, d);
		if (!strcmp(name, "b") && strlen(d) == 64)
			got |= 2, strcpy(dig_b, d);
	}
	fclose(fp);
	if (got != 3)
		return -ENOENT;
	for (i = 0; i < 64; i++)
		dig_b_upper[i] = toupper(dig_b[i]);
	return content_digest(SIGS "/files/a", sha_a);
}

static int key_in(long ring, int k)
{
	char id[96];

	snprintf(id, sizeof(id), "id:%.80s", key_id[k]);
	return search(ring, id) >= 0;
}

static int key_was_there[NKEYS];
static char fsv_added[2][96];	/* "id:..." of keys added to .fs-verity */

static int setup(void)
{
	char path[128];
	size_t i;
	int k, rc, s;

	rc = read_digests();
	if (rc) {
		say("# cannot read the fixtures in " SIGS ": %s", strerror(-rc));
		return rc;
	}
	for (i = 0; i < sizeof(sig_names) / sizeof(sig_names[0]); i++) {
		snprintf(path, sizeof(path), SIGS "/files/%s", sig_names[i]);
		sig_blob[i] = slurp(path, &sig_len[i]);
		if (!sig_blob[i]) {
			say("# cannot read %s", path);
			return -ENOENT;
		}
	}
	sigil_ring = sigil_keyring_id();
	fsv_ring = keyring_id(".fs-verity");
	if (!sigil_ring || !fsv_ring) {
		say("# no .sigil or .fs-verity keyring");
		return -ENOKEY;
	}
	for (k = 0; k < NKEYS; k++) {
		snprintf(key_id[k], sizeof(key_id[k]), "%s", sig_id(key_def[k].ids));
		key_was_there[k] = key_in(sigil_ring, k);
		if (!key_was_there[k] && (rc = key_add(k))) {
			say("# adding %s: %s", key_def[k].file, strerror(-rc));
			return rc;
		}
		sh->key_present[k] = 1;
	}
	/* fs-verity checks builtin signatures against its own keyring. */
	snprintf(fsv_added[0], sizeof(fsv_added[0]), "id:%.80s", key_id[K_RSA]);
	snprintf(fsv_added[1], sizeof(fsv_added[1]), "id:%.80s", sig_id("STRANGER_SKID"));
	for (k = 0; k < 2; k++)
		if (search(fsv_ring, fsv_added[k]) >= 0)
			fsv_added[k][0] = '\0';
	rc = ensure_key(fsv_ring, "RSA_SKID", "rsa.der") ?:
	     ensure_key(fsv_ring, "STRANGER_SKID", "stranger.der");
	if (rc) {
		say("# adding keys to .fs-verity: %s", strerror(-rc));
		return rc;
	}
	mkdir(WORK, 0755);
	for (s = 0; s < NSLOTS; s++) {
		if (s == S_BOOT)
			continue;
		sh->cur[s] = slot_def[s].states[0];
		rc = rewrite(s, &sh->cur[s]);
		if (rc) {
			say("# making %s: %s", slot_path[s], strerror(-rc));
			return rc;
		}
	}
	sh->manifest_bits = MAN_BITS;
	rc = manifest_write(MAN_BITS, 0);
	if (rc) {
		say("# loading manifest " MANIFEST ": %s (a manifest of that name was loaded since boot?)",
		    strerror(-rc));
		return rc;
	}
	sh->enforce = 1;
	rc = set_enforce(1) ?: policy_load("stress-0", 0, 0) ?: activate("stress-0");
	if (rc) {
		say("# loading and activating the first policy: %s (a policy of version 1.0.0 or higher active?)",
		    strerror(-rc));
		return rc;
	}
	return 0;
}

/* The name of a loaded policy of this test in @name; 0 if none is left. */
static int next_stress_policy(char name[256])
{
	DIR *dir = opendir(SFS "/policies");
	struct dirent *de;
	int found = 0;

	while (dir && !found && (de = readdir(dir)))
		if (!strncmp(de->d_name, "stress-", 7)) {
			snprintf(name, 256, "%s", de->d_name);
			found = 1;
		}
	if (dir)
		closedir(dir);
	return found;
}

/* Back to the allow-all baseline in enforce mode; remove what was added. */
static int cleanup(void)
{
	char path[300], name[256];
	struct dirent *de;
	int k, s, rc, failed = 0;
	DIR *dir;

	rc = restore_baseline();
	if (rc) {
		say("# restoring the baseline policy: %s", strerror(-rc));
		failed = 1;
	}
	/* One at a time: deleting changes the directory being read. */
	while (!failed && next_stress_policy(name)) {
		rc = delete_policy(name);
		if (rc) {
			say("# deleting policy %s: %s", name, strerror(-rc));
			failed = 1;
		}
	}
	if (manifest_loaded(MANIFEST) && (rc = manifest_delete(MANIFEST))) {
		say("# deleting manifest " MANIFEST ": %s", strerror(-rc));
		failed = 1;
	}
	for (k = 0; k < NKEYS; k++) {
		int there = key_in(sigil_ring, k);

		if (there && !key_was_there[k])
			rc = keyring_remove(key_id[k]);
		else if (!there && key_was_there[k])
			rc = key_add(k);
		else
			rc = 0;
		if (rc) {
			say("# restoring key %s: %s", key_def[k].ids, strerror(-rc));
			failed = 1;
		}
	}
	/* Best effort: .fs-verity may not let its keys go. */
	for (k = 0; k < 2; k++)
		if (fsv_added[k][0])
			keyctl(KEYCTL_UNLINK, search(fsv_ring, fsv_added[k]), fsv_ring, 0, 0);
	for (s = 0; s < NSLOTS; s++)
		if (s != S_BOOT)
			unlink(slot_path[s]);
	dir = opendir(WORK);
	while (dir && (de = readdir(dir))) {
		if (de->d_name[0] == '.' && strncmp(de->d_name, ".new-", 5))
			continue;
		snprintf(path, sizeof(path), WORK "/%s", de->d_name);
		unlink(path);
	}
	if (dir)
		closedir(dir);
	rmdir(WORK);
	return failed;
}

static void print_status(void)
{
	static const char *const keys[] = {
		"mode", "active_policy", "allowed", "denied", "permissive_denials",
		"errors", "policy_errors", "manifest_errors", "policies_loaded",
		"manifests_loaded", "keyring_keys", "cache_hits", "cache_misses",
		"cache_verifications", "cache_entries", "cache_bytes",
	};
	char line[1024] = "", v[128];
	size_t i, n = 0;

	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		n += snprintf(line + n, sizeof(line) - n, " %s=%s", keys[i],
			      status_get(keys[i], v, sizeof(v)));
	say("# status:%s", line);
}

static pid_t spawn(void (*fn)(unsigned int), unsigned int seed)
{
	pid_t pid = fork();

	if (!pid) {
		fn(seed);
		_exit(0);
	}
	return pid;
}

static void policy_mutator_main(unsigned int seed)
{
	policy_mutator(seed, 0);
}

int main(int argc, char **argv)
{
	const char *env = getenv("SIGIL_STRESS_SECONDS");
	unsigned long checked = 0, unchecked = 0, wrong = 0, unexpected = 0;
	unsigned int seconds = 60, seed = time(NULL) ^ getpid();
	pid_t pids[NWORKERS + NPATHMUT + 3];
	int i, s, npids = 0, status, died = 0, failed;
	char line[1024], *end;
	size_t n;

	if (argc > 1)
		env = argv[1];
	if (env && (!(seconds = strtoul(env, &end, 10)) || *end)) {
		fprintf(stderr, "usage: stress [SECONDS] (default 60, or SIGIL_STRESS_SECONDS)\n");
		return 2;
	}
	if (getenv("SIGIL_STRESS_SABOTAGE"))
		sabotage = getenv("SIGIL_STRESS_SABOTAGE");
	setvbuf(stdout, NULL, _IONBF, 0);
	say("TAP version 13");
	say("1..1");
	say("# stress: %u s, %d workers, seed %u%s%s", seconds, NWORKERS, seed,
	    *sabotage ? ", sabotage " : "", sabotage);

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED) {
		say("not ok 1 stress # mmap: %s", strerror(errno));
		return 1;
	}
	for (s = 0; s < NSLOTS; s++)
		snprintf(slot_path[s], sizeof(slot_path[s]), WORK "/%s",
			 slot_def[s].name);
	snprintf(slot_path[S_BOOT], sizeof(slot_path[S_BOOT]), PROG);
	print_status();
	if (setup()) {
		cleanup();
		say("not ok 1 stress # set-up failed");
		return 1;
	}

	for (i = 0; i < NWORKERS; i++)
		pids[npids++] = spawn(worker, rnd(&seed) | 1);
	for (i = 0; i < NPATHMUT; i++)
		pids[npids++] = spawn(path_mutator, rnd(&seed) | 1);
	pids[npids++] = spawn(key_mutator, rnd(&seed) | 1);
	pids[npids++] = spawn(policy_mutator_main, rnd(&seed) | 1);
	pids[npids++] = spawn(misc_mutator, rnd(&seed) | 1);
	for (i = 0; i < (int)seconds && !__atomic_load_n(&sh->stop, __ATOMIC_SEQ_CST); i++)
		sleep(1);
	__atomic_store_n(&sh->stop, 1, __ATOMIC_SEQ_CST);
	for (i = 0; i < npids; i++) {
		if (pids[i] < 0 || waitpid(pids[i], &status, 0) < 0) {
			died++;
			continue;
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status))
			died++;
	}

	for (i = 0; i < NOPS; i++) {
		say("# %-8s ops=%lu checked=%lu (allowed %lu, denied %lu) unchecked=%lu wrong=%lu unexpected=%lu",
		    op_name[i], sh->ops[i], sh->checked[i], sh->checked_allowed[i],
		    sh->checked[i] - sh->checked_allowed[i], sh->unchecked[i],
		    sh->wrong[i], sh->unexpected[i]);
		checked += sh->checked[i];
		unchecked += sh->unchecked[i];
		wrong += sh->wrong[i];
		unexpected += sh->unexpected[i];
	}
	n = 0;
	for (s = 0; s < NSLOTS; s++) {
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu/%lu",
			      slot_def[s].name, sh->slot_allowed[s],
			      sh->slot_checked[s]);
		if (n > 60 || s == NSLOTS - 1) {
			say("# allowed/checked:%s", line);
			n = 0;
		}
	}
	for (i = 0; i < NMUTS; i++) {
		n += snprintf(line + n, sizeof(line) - n, " %s=%lu", mut_name[i],
			      sh->muts[i]);
		if (n > 60 || i == NMUTS - 1) {
			say("# mutations:%s", line);
			n = 0;
		}
	}
	say("# decisions checked=%lu unchecked=%lu wrong=%lu unexpected=%lu mutator_errors=%lu processes_failed=%d",
	    checked, unchecked, wrong, unexpected, sh->mut_errors, died);
	print_status();
	failed = cleanup();
	print_status();
	if (wrong || unexpected || sh->mut_errors || died || failed || !checked) {
		say("not ok 1 stress");
		return 1;
	}
	say("ok 1 stress");
	return 0;
}
