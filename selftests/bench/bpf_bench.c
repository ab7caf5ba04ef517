// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench, BPF part: what the BPF mode (sigilctl bpf load) costs an
 * exec on Debian's stock kernel, in one boot of that kernel.
 *
 * Usage: bpf_bench DIR [quick]
 *	DIR is selftests/bench/bpf-fixtures' OUTDIR: digest, allow.pol,
 *	one.pol, 100000.pol, sig.pol, prog.sig, cert.der, ipe.p7s
 *
 * The program is PROG (prog42, static), copied to the fs-verity disk with
 * fs-verity enabled and its fs-verity signature in user.sigil.fsverity.
 * Every policy but allow.pol is DEFAULT action=ALLOW, DEFAULT op=EXECUTE
 * action=DENY, the rules measured, then boot_verified=TRUE (so that
 * sigilctl and busybox, from the initramfs, still run): every exec of PROG
 * is decided by the rules measured.  Rows, in the format of sig_bench's
 * (times are medians of all runs in microseconds, the ratio the median of
 * the rounds' ratios; each round runs the case and its baseline, in this
 * boot):
 *   bpf allow-all            DEFAULT action=ALLOW alone (the hooks run and
 *			      decide by the default: no fact is fetched),
 *			      against no BPF mode (unloaded: nothing attached)
 *   bpf digest 1             one fsverity_digest rule, PROG's, against no
 *			      BPF mode
 *   bpf digest vs allow-all  the same rule against allow-all: the
 *			      decision's own cost
 *   bpf signature first      fsverity_signature=TRUE, each exec right after
 *			      a load or reload (a new generation: the verdict
 *			      cached in inode storage is stale), so each
 *			      verifies PROG's PKCS#7 signature in the kernel;
 *			      against no BPF mode
 *   bpf signature cached     the same policy, the execs after those: the
 *			      verdict cached in inode storage
 *   bpf digest 100000 vs 1   100,000 fsverity_digest rules (one indexed
 *			      run), PROG's last, against the one-rule policy
 * then what sigilctl took to load, reload and unload, the kernel memory
 * that "sigilctl bpf status" reports for the 100,000 digests, and why IPE
 * is not measured: Debian's kernel takes only IPE policies signed by a key
 * of its own keyrings, which the bench shows by offering it one signed by
 * the bench's key.  "quick" runs every case in two short rounds, to prove
 * the bench runs.  The guest is left with the BPF mode unloaded.
 */

#include <sys/utsname.h>
#include <sys/xattr.h>

#include "bench.h"
#include "sigilctl.h"

#define ROUNDS_MAX	15
#define RUNS_MAX	16
#define FIRST_RUNS	4
#define PROGFILE	DISK "/bpf-prog"
#define SIG_XATTR	"user.sigil.fsverity"
#define IPE_NEW		"/sys/kernel/security/ipe/new_policy"

static int rounds = ROUNDS_MAX, runs = RUNS_MAX, first_runs = FIRST_RUNS;
static int quick;
static const char *dir;
static char size[24];

/* What is in force: no BPF mode, or one of the fixtures' policies. */
enum state { NONE, ALLOW, ONE, MANY, SIG, __STATES };

static const char *const files[] = {
	[ALLOW] = "allow.pol", [ONE] = "one.pol", [MANY] = "100000.pol",
	[SIG] = "sig.pol",
};

static enum state in_force;

/*
 * What sigilctl took, from exec to exit, in ms: per policy, to replace
 * the one in force (reload), or to load the program with it (fresh), and
 * to unload.
 */
struct times {
	double ms[ROUNDS_MAX * (FIRST_RUNS + 2)];
	int n;
};
static struct times reload_ms[__STATES], fresh_ms, unload_ms;

static void add_time(struct times *t, double ms)
{
	if (t->n < (int)(sizeof(t->ms) / sizeof(t->ms[0])))
		t->ms[t->n++] = ms;
}

static int bpf_mode_loaded(void)
{
	return !access("/sys/fs/bpf/sigil/sigil_config", F_OK);
}

/* Run "sigilctl ARGS"; its time from exec to exit in ms; exits on failure. */
static double sigilctl(const char *args)
{
	double t = now_us();

	if (ctl("%s", args)) {
		fprintf(stderr, "bpf_bench: sigilctl %s: exit %d\n%s%s", args,
			r.status, r.out, r.err);
		exit(1);
	}
	return (now_us() - t) / 1e3;
}

/* Load the program with @s, or replace the policy in force by @s. */
static void load(enum state s, struct times *t)
{
	char args[512];

	snprintf(args, sizeof(args), "bpf load --cert %s/cert.der %s/%s", dir, dir,
		 files[s]);
	add_time(t, sigilctl(args));
	in_force = s;
}

/*
 * Put @s in force: unload, load the program with @s, or replace the
 * policy in force by @s (even by itself: a new generation).
 */
static void enter(enum state s)
{
	if (s != NONE) {
		load(s, in_force == NONE ? &fresh_ms : &reload_ms[s]);
	} else if (in_force != NONE) {
		add_time(&unload_ms, sigilctl("bpf unload"));
		in_force = NONE;
	}
}

/* A failed run leaves no BPF mode behind: its DENY default would stop init. */
static void unload_at_exit(void)
{
	if (in_force != NONE)
		ctl("bpf unload");
}

static void print_header(void)
{
	struct utsname u;

	uname(&u);
	printf("sigil bench: the BPF mode on %s %s: fork+execve+wait latency of a\n"
	       "%s static program on the fs-verity disk, median in microseconds;\n"
	       "ratio: against the case named, in this boot; the median of %d\n"
	       "rounds that alternate the two\n", u.sysname, u.release, size, rounds);
	printf("%-24s %-4s %-6s %5s %11s %11s %8s\n", "case", "size", "exec",
	       "runs", "median_us", "baseline_us", "ratio");
	fflush(stdout);
}

/* The execs of one state: @n a round, in rounds. */
struct series {
	double us[ROUNDS_MAX * RUNS_MAX];
	int n;
};

/* @s->n timed execs of PROGFILE into round @rr, after one untimed. */
static void execs(struct series *s, int rr)
{
	int i;

	timed_run(PROGFILE);
	for (i = 0; i < s->n; i++)
		s->us[rr * s->n + i] = timed_run(PROGFILE);
}

/* A row: @v against @b, the median of the rounds' ratios. */
static void row(const char *label, const char *exec, struct series *v,
		struct series *b)
{
	double ratio[ROUNDS_MAX];
	int rr;

	for (rr = 0; rr < rounds; rr++)
		ratio[rr] = median(v->us + rr * v->n, v->n) /
			    median(b->us + rr * b->n, b->n);
	printf("%-24s %-4s %-6s %5d %11.0f %11.0f %8.3f\n", label, size, exec,
	       rounds * v->n, median(v->us, rounds * v->n),
	       median(b->us, rounds * b->n), median(ratio, rounds));
	fflush(stdout);
}

/*
 * Rules and signatures against no BPF mode.  A round: load the program
 * with the signature policy and exec right after that load and after
 * each reload (a new generation: each exec verifies), then exec again
 * (cached); replace it by the allow-all policy, exec; by the one-digest
 * policy, exec; unload, exec.  Each case is within a second of its
 * baseline, where loading the program takes seconds.  Loading the
 * program marks the initramfs' files boot_verified; a reload marks
 * nothing, and an unload drops the marks.
 */
static void measure_rules(void)
{
	static struct series none, first, cached, allow, one;
	int rr, i;

	none.n = cached.n = allow.n = one.n = runs;
	first.n = first_runs;
	for (rr = 0; rr < rounds; rr++) {
		for (i = 0; i < first.n; i++) {
			enter(SIG);
			first.us[rr * first.n + i] = timed_run(PROGFILE);
		}
		execs(&cached, rr);
		enter(ALLOW);
		execs(&allow, rr);
		enter(ONE);
		execs(&one, rr);
		enter(NONE);
		execs(&none, rr);
	}
	row("bpf allow-all", "every", &allow, &none);
	row("bpf digest 1", "every", &one, &none);
	row("bpf digest vs allow-all", "every", &one, &allow);
	row("bpf signature", "first", &first, &none);
	row("bpf signature", "cached", &cached, &none);
}

/*
 * The index.  A round: load the program with the one-digest policy, exec;
 * replace it by the 100,000-digest one, exec; unload.  The 100,000
 * digests go into a slot that held none, and their unloading is not
 * followed by a baseline (the kernel frees them meanwhile).  What
 * replacing 100,000 digests by 100,000 costs is measured once, in main().
 */
static void measure_index(char *mem, size_t len)
{
	static struct series one, many;
	int rr;

	one.n = many.n = runs;
	for (rr = 0; rr < rounds; rr++) {
		enter(ONE);
		execs(&one, rr);
		enter(MANY);
		execs(&many, rr);
		if (rr == rounds - 1) {
			sigilctl("bpf status");
			snprintf(mem, len, "%s", r.out);
		}
		enter(NONE);
	}
	row("bpf digest 100000 vs 1", "every", &many, &one);
}

/* "key: value" in sigilctl's output @out, or "?". */
static const char *out_value(const char *out, const char *key, char *buf,
			     size_t len)
{
	const char *p = out;
	size_t klen = strlen(key);

	snprintf(buf, len, "?");
	while (p && *p) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			snprintf(buf, len, "%.*s", (int)strcspn(p + klen + 2, "\n"),
				 p + klen + 2);
			break;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return buf;
}

/*
 * IPE's new_policy takes a PKCS#7 message only, verified against the
 * secondary keyring (which holds the builtin keys and what they vouch
 * for) and then the platform keyring (firmware keys, read-only to root):
 * no key of the bench's can be there.  Offer it one all the same.
 */
static void ipe_probe(void)
{
	char path[256];
	size_t len;
	void *p7;
	int rc;

	if (access(IPE_NEW, W_OK)) {
		printf("ipe: not measured: this kernel has no %s\n", IPE_NEW);
		return;
	}
	snprintf(path, sizeof(path), "%s/ipe.p7s", dir);
	p7 = slurp(path, &len);
	if (!p7)
		must(-ENOENT, path);
	rc = write_file(IPE_NEW, p7, len);
	free(p7);
	if (!rc) {
		printf("ipe: new_policy took a policy signed by the bench's own key:\n"
		       "     measure IPE here (see selftests/bench/scale_bench.c)\n");
		exit(1);
	}
	printf("ipe: not measured: on this kernel IPE's new_policy takes only PKCS#7-signed\n"
	       "     policies that a key of the builtin, secondary or platform keyring\n"
	       "     vouches for (security/ipe/policy.c); one signed by the bench's key\n"
	       "     was refused: %s (%d)\n", strerror(-rc), rc);
	fflush(stdout);
}

/* PROGFILE: PROG with fs-verity, its digest checked, its signature set. */
static void make_progfile(void)
{
	char path[256], want[80] = "", have[65];
	struct stat st;
	size_t len;
	void *sig;
	int rc;

	unlink(PROGFILE);
	must(copy_file(PROG, PROGFILE, NULL), PROGFILE);
	rc = enable_verity(PROGFILE);
	must(rc, "enable fs-verity on " PROGFILE);
	must(verity_digest(PROGFILE, have), "measure " PROGFILE);
	snprintf(path, sizeof(path), "%s/digest", dir);
	must(read_file(path, want, sizeof(want)) > 0 ? 0 : -ENOENT, path);
	want[strcspn(want, "\n")] = '\0';
	if (strcmp(have, want)) {
		fprintf(stderr, "bpf_bench: %s has digest %s, the policies list %s\n",
			PROGFILE, have, want);
		exit(1);
	}
	snprintf(path, sizeof(path), "%s/prog.sig", dir);
	sig = slurp(path, &len);
	if (!sig)
		must(-ENOENT, path);
	must(setxattr(PROGFILE, SIG_XATTR, sig, len, 0) ? -errno : 0, SIG_XATTR);
	free(sig);
	must(stat(PROGFILE, &st) ? -errno : 0, PROGFILE);
	snprintf(size, sizeof(size), "%lldK", ((long long)st.st_size + 1023) / 1024);
	sync();
}

static void print_load(const char *label, const char *rules, struct times *t)
{
	if (t->n)
		printf("%-32s %7s %9.0f\n", label, rules, median(t->ms, t->n));
}

int main(int argc, char **argv)
{
	static char status[sizeof(r.out)];
	char digests[32], bytes[32], per[32];
	struct times over = { .n = 0 };

	if (argc == 3 && !strcmp(argv[2], "quick")) {
		quick = 1;
		rounds = 2;
		runs = 2;
		first_runs = 2;
	} else if (argc != 2) {
		fprintf(stderr, "usage: %s DIR [quick]\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	if (bpf_mode_loaded())
		sigilctl("bpf unload");
	atexit(unload_at_exit);
	make_progfile();
	print_header();

	measure_rules();
	measure_index(status, sizeof(status));
	/*
	 * Replacing 100,000 digests by 100,000: the load writes the slot not
	 * in force, which still holds the digests of the policy before.
	 */
	if (!quick) {
		enter(ONE);
		enter(MANY);
		enter(ONE);
		load(MANY, &over);
		enter(NONE);
	}

	printf("\n%-32s %7s %9s\n", "bpf load (sigilctl, median)", "rules", "load_ms");
	print_load("program and policy", "1", &fresh_ms);
	print_load("policy, replacing one", "1", &reload_ms[ONE]);
	print_load("policy, replacing one", "100000", &reload_ms[MANY]);
	print_load("policy, replacing 100000", "100000", &over);
	print_load("unload", "-", &unload_ms);
	out_value(status, "indexed_digests", digests, sizeof(digests));
	out_value(status, "digests_bytes", bytes, sizeof(bytes));
	out_value(status, "bytes_per_digest", per, sizeof(per));
	printf("bpf kernel memory: %s bytes for %s indexed digests, %s bytes per digest\n",
	       bytes, digests, per);
	fflush(stdout);
	ipe_probe();
	return 0;
}
