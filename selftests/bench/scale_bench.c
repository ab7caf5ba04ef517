// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench, second part: what a policy's size costs an exec, for sigil
 * and for IPE, in the same kernel and the same boot.
 *
 * Usage: scale_bench DIR [quick]
 *	DIR holds, per N (1, 250, 500, 1,000, 10,000, 100,000), N.pol: a policy
 *	of N fs-verity digest rules whose *last* rule is the digest of the
 *	program that "sig_bench --make FILE 65536 PROG" writes, and N.p7s:
 *	the same policy signed for IPE (see selftests/bench/bench-fixtures)
 *
 * The program runs from the fs-verity disk.  The baseline is the same exec
 * with sigil's policy and IPE's both reduced to "DEFAULT action=ALLOW",
 * which decides without looking at a rule.  Each case alternates short
 * rounds with the baseline; the ratio is the median of the rounds' ratios.
 * The sigil series loads each policy through sigil/new_policy; the IPE
 * series through IPE's securityfs, in IPE's own format and signed, as far
 * as IPE takes them: IPE refuses PKCS#7 messages over 64 KiB.  "quick"
 * runs 1 and 1,000 rules in a few rounds, to prove the bench runs.  Each
 * case leaves its allow-all baseline active.
 */


#include "bench.h"

#define ROUNDS_MAX	15
#define RUNS_MAX	8
#define PROGFILE DISK "/scale-prog"
#define IPE	"/sys/kernel/security/ipe"
/* The largest kmalloc() on x86-64: order MAX_PAGE_ORDER (10) pages. */
#define IPE_WRITE_MAX	(4 << 20)

static const unsigned int series[] = { 1, 250, 500, 1000, 10000, 100000 };
static const unsigned int quick_series[] = { 1, 1000 };
static int rounds = ROUNDS_MAX, runs = RUNS_MAX;

/* Write a whole file to @target; 0 or -errno; the time in @ms. */
static int load(const char *dir, const char *file, const char *target, double *ms)
{
	char path[256];
	size_t len;
	double t;
	void *buf;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf = slurp(path, &len);
	if (!buf)
		return -ENOENT;
	t = now_us();
	rc = write_file(target, buf, len);
	if (ms)
		*ms = (now_us() - t) / 1e3;
	free(buf);
	return rc;
}

static int ipe_activate(const char *name)
{
	char path[256];

	snprintf(path, sizeof(path), IPE "/policies/%s/active", name);
	return write_str(path, "1");
}

static int sigil_activate(const char *name)
{
	return activate(name);
}

/* Median ratio of exec under @pol to exec under @base, alternating. */
static void measure(const char *lsm, unsigned int n, double load_ms,
		    int (*act)(const char *), const char *base, const char *pol)
{
	double v[ROUNDS_MAX * RUNS_MAX], b[ROUNDS_MAX * RUNS_MAX];
	double ratio[ROUNDS_MAX];
	int r, i;

	for (r = 0; r < rounds; r++) {
		must(act(base), base);
		timed_run(PROGFILE);
		for (i = 0; i < runs; i++)
			b[r * runs + i] = timed_run(PROGFILE);
		must(act(pol), pol);
		timed_run(PROGFILE);
		for (i = 0; i < runs; i++)
			v[r * runs + i] = timed_run(PROGFILE);
		ratio[r] = median(v + r * runs, runs) / median(b + r * runs, runs);
	}
	printf("%-6s %7u %9.0f %11.0f %11.0f %8.3f\n", lsm, n, load_ms,
	       median(v, rounds * runs), median(b, rounds * runs),
	       median(ratio, rounds));
	fflush(stdout);
	must(act(base), base);
}

int main(int argc, char **argv)
{
	const unsigned int *sizes = series;
	unsigned int i, nsizes = sizeof(series) / sizeof(series[0]);
	char file[64], name[64], text[160];
	const char *dir;
	double ms;
	int rc;

	if (argc == 3 && !strcmp(argv[2], "quick")) {
		sizes = quick_series;
		nsizes = sizeof(quick_series) / sizeof(quick_series[0]);
		rounds = 2;
		runs = 2;
	} else if (argc != 2) {
		fprintf(stderr, "usage: %s DIR [quick]\n", argv[0]);
		return 2;
	}
	dir = argv[1];
	/* PROGFILE is "sig_bench --make PROGFILE 65536 PROG": the host's file. */
	rc = enable_verity(PROGFILE);
	must(rc == -EEXIST ? 0 : rc, "enable fs-verity on " PROGFILE);
	{
		char have[65], want[80] = "";

		must(verity_digest(PROGFILE, have), "measure " PROGFILE);
		snprintf(file, sizeof(file), "%s/digest", dir);
		must(read_file(file, want, sizeof(want)) > 0 ? 0 : -ENOENT, file);
		want[strcspn(want, "\n")] = '\0';
		if (strcmp(have, want)) {
			fprintf(stderr, "scale_bench: %s has digest %s, the policies list %s\n",
				PROGFILE, have, want);
			return 1;
		}
	}
	printf("sigil bench: exec latency against policy size; the executed file's\n"
	       "digest is the last of N fs-verity digest rules.\n"
	       "ratio: against the same exec with both LSMs' policies reduced to\n"
	       "       DEFAULT action=ALLOW, in this boot; median of %d rounds\n", rounds);
	printf("%-6s %7s %9s %11s %11s %8s\n", "lsm", "rules", "load_ms",
	       "median_us", "baseline_us", "ratio");
	fflush(stdout);

	snprintf(text, sizeof(text), "policy_name=s_base policy_version=1.0.0\n"
		 "DEFAULT action=ALLOW\n");
	rc = write_str(SFS "/new_policy", text);
	must(rc == -EEXIST ? 0 : rc, "s_base");

	for (i = 0; i < nsizes; i++) {
		snprintf(file, sizeof(file), "%u.pol", sizes[i]);
		must(load(dir, file, SFS "/new_policy", &ms), file);
		snprintf(name, sizeof(name), "scale_%u", sizes[i]);
		measure("sigil", sizes[i], ms, sigil_activate, "s_base", name);
		must(delete_policy(name), name);
	}

	rc = load(dir, "base.p7s", IPE "/new_policy", NULL);
	if (rc) {
		printf("ipe    IPE refuses its allow-all policy: %s\n", strerror(-rc));
		return 0;
	}
	for (i = 0; i < nsizes; i++) {
		char path[256];
		struct stat st;

		snprintf(file, sizeof(file), "%u.p7s", sizes[i]);
		snprintf(path, sizeof(path), "%s/%s", dir, file);
		/*
		 * IPE copies a write into one kmalloc() buffer: above the
		 * largest the page allocator gives (4 MiB), the kernel warns
		 * before IPE fails with ENOMEM, and a warning fails the run.
		 */
		if (!stat(path, &st) && st.st_size > IPE_WRITE_MAX) {
			printf("ipe    %7u not tried: %lld bytes; IPE takes one kmalloc() of at most %d (ENOMEM, and a kernel warning)\n",
			       sizes[i], (long long)st.st_size, IPE_WRITE_MAX);
			fflush(stdout);
			continue;
		}
		rc = load(dir, file, IPE "/new_policy", &ms);
		if (rc) {
			printf("ipe    %7u refused: %s (%d)\n", sizes[i],
			       strerror(-rc), rc);
			fflush(stdout);
			continue;
		}
		snprintf(name, sizeof(name), "scale_%u", sizes[i]);
		measure("ipe", sizes[i], ms, ipe_activate, "scale_base", name);
	}
	return 0;
}
