// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench, third part: what manifests cost, in the same boot as the
 * signature and policy-size tables.
 *
 * Usage: manifest_bench DIR [quick]
 *	DIR (selftests/bench/bench-fixtures' OUTDIR/manifest) holds
 *	  digest     the fs-verity digest of PROGFILE, the 64 KiB program
 *		     that "sig_bench --make PROGFILE 65536 PROG" writes
 *	  one.mf     manifest bench-one 1.0.0: PROGFILE, one entry
 *	  big.mf     manifest bench-big 1.0.0: 300,000 entries, PROGFILE last
 *	  big.sq     manifest bench-big 1.0.1, the same entries, signed by
 *		     sq (OpenPGP) with the key sq.pgp
 *	  sq.pgp     that key, which goes into .sigil
 *	  disk       KEY=VALUE lines the host measured on its /usr/bin: one
 *		     signed manifest against per-file IMA signatures
 *
 * Rows, in the format of sig_bench's (the ratio is the median of rounds
 * that alternate the policy with its baseline; times are medians of all
 * runs, in microseconds):
 *   manifest 1 entry        manifest=bench-one, only bench-one loaded,
 *			     against allow-all
 *   fsverity_digest         one fsverity_digest rule with the same digest
 *			     (digest only), against allow-all
 *   manifest vs digest      manifest=bench-one against that rule:
 *			     path + digest against digest only
 *   mprotect digest         the microseconds of one mprotect() that adds
 *			     PROT_EXEC to a mapping of the program, under
 *			     the fsverity_digest rule against allow-all
 *   mprotect manifest       the same under manifest=bench-one against the
 *			     fsverity_digest rule: one decision's cost of
 *			     binding the path, with no exec around it
 *   manifest 300000         manifest=bench-big with bench-big loaded too,
 *			     against allow-all
 *   manifest 300000 vs 1    the ratio of that row to "manifest 1 entry"
 *   manifest signed 300000  the same after bench-big 1.0.1, OpenPGP-signed,
 *			     replaced it
 * then the load times (one write() each), the kernel's bytes per entry
 * from status, and the bytes on disk per file.  "quick" runs every case
 * in two short rounds, to prove the bench runs.  The guest is left with
 * the allow-all policy active.
 */

#include "bench.h"
#include "manifest.h"

#define ROUNDS_MAX	15
#define RUNS_MAX	8
#define PROGFILE	DISK "/scale-prog"
#define BASE		"mb_base"

static int rounds = ROUNDS_MAX, runs = RUNS_MAX;

/*
 * Median ratio of exec under @pol to exec under @base, alternating;
 * printed, and returned.
 */
static double measure(const char *label, const char *base, const char *pol)
{
	double v[ROUNDS_MAX * RUNS_MAX], b[ROUNDS_MAX * RUNS_MAX];
	double ratio[ROUNDS_MAX];
	int r, i;

	for (r = 0; r < rounds; r++) {
		must(activate(base), base);
		timed_run(PROGFILE);
		for (i = 0; i < runs; i++)
			b[r * runs + i] = timed_run(PROGFILE);
		must(activate(pol), pol);
		timed_run(PROGFILE);
		for (i = 0; i < runs; i++)
			v[r * runs + i] = timed_run(PROGFILE);
		ratio[r] = median(v + r * runs, runs) / median(b + r * runs, runs);
	}
	printf("%-24s %-4s %-6s %5d %11.0f %11.0f %8.3f\n", label, "64K", "cached",
	       rounds * runs, median(v, rounds * runs), median(b, rounds * runs),
	       median(ratio, rounds));
	fflush(stdout);
	must(activate(BASE), BASE);
	return median(ratio, rounds);
}

/*
 * The mean microseconds of one mprotect() that adds PROT_EXEC to a
 * mapping of PROGFILE, over @n: one decision, with no exec around it.
 */
static double toggles(int n)
{
	int fd = open(PROGFILE, O_RDONLY | O_CLOEXEC), i;
	void *p;
	double t;

	must(fd < 0 ? -errno : 0, PROGFILE);
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE, fd, 0);
	must(p == MAP_FAILED ? -errno : 0, "mmap " PROGFILE);
	t = now_us();
	for (i = 0; i < n; i++) {
		must(mprotect(p, 4096, PROT_READ | PROT_EXEC) ? -errno : 0,
		     "mprotect PROT_EXEC");
		must(mprotect(p, 4096, PROT_READ) ? -errno : 0, "mprotect");
	}
	t = (now_us() - t) / n;
	munmap(p, 4096);
	close(fd);
	return t;
}

/*
 * The cost of one decision under @pol against @base: mprotect() toggles
 * of a mapping, which decide the file each time, alternating the two.
 */
static void measure_toggles(const char *label, const char *base,
			    const char *pol)
{
	double v[ROUNDS_MAX], b[ROUNDS_MAX], ratio[ROUNDS_MAX];
	const int n = 500;
	int r;

	for (r = 0; r < rounds; r++) {
		must(activate(base), base);
		toggles(n);
		b[r] = toggles(n);
		must(activate(pol), pol);
		toggles(n);
		v[r] = toggles(n);
		ratio[r] = v[r] / b[r];
	}
	printf("%-24s %-4s %-6s %5d %11.1f %11.1f %8.3f\n", label, "page",
	       "toggle", rounds * n, median(v, rounds), median(b, rounds),
	       median(ratio, rounds));
	fflush(stdout);
	must(activate(BASE), BASE);
}

/* Load policy @name, whose EXECUTE rule is @rule; EEXIST is fine. */
static void policy(const char *name, const char *rule)
{
	char what[64];
	int rc = load_policy("policy_name=%s policy_version=1.0.0\n"
			     "DEFAULT action=ALLOW\n"
			     "DEFAULT op=EXECUTE action=DENY\n"
			     "op=EXECUTE %s action=ALLOW\n", name, rule);

	snprintf(what, sizeof(what), "policy %s", name);
	must(rc == -EEXIST ? 0 : rc, what);
}

/* Write DIR/@file to manifests/new in one write(); the time in ms. */
static double load_manifest(const char *dir, const char *file)
{
	char path[256], e[512];
	size_t len;
	double t;
	void *buf;
	int rc;

	snprintf(path, sizeof(path), "%s/%s", dir, file);
	buf = slurp(path, &len);
	if (!buf)
		must(-ENOENT, path);
	t = now_us();
	rc = manifest_new(buf, len);
	t = now_us() - t;
	free(buf);
	if (rc)
		fprintf(stderr, "manifest_bench: %s: %s\n", file,
			status_get("last_manifest_error", e, sizeof(e)));
	must(rc, path);
	return t / 1e3;
}

static void print_load(const char *label, unsigned int entries, double ms)
{
	printf("%-24s %7u %9.0f\n", label, entries, ms);
	fflush(stdout);
}

int main(int argc, char **argv)
{
	double one_ms, big_ms, signed_ms, one, big;
	char path[256], want[80] = "", have[65], rule[128];
	const char *dir;
	long long files, text, sq, p7d, ima, imax;
	int rc;

	if (argc == 3 && !strcmp(argv[2], "quick")) {
		rounds = 2;
		runs = 2;
	} else if (argc != 2) {
		fprintf(stderr, "usage: %s DIR [quick]\n", argv[0]);
		return 2;
	}
	dir = argv[1];

	rc = enable_verity(PROGFILE);
	must(rc == -EEXIST ? 0 : rc, "enable fs-verity on " PROGFILE);
	must(verity_digest(PROGFILE, have), "measure " PROGFILE);
	snprintf(path, sizeof(path), "%s/digest", dir);
	must(read_file(path, want, sizeof(want)) > 0 ? 0 : -ENOENT, path);
	want[strcspn(want, "\n")] = '\0';
	if (strcmp(have, want)) {
		fprintf(stderr, "manifest_bench: %s has digest %s, the manifests list %s\n",
			PROGFILE, have, want);
		return 1;
	}
	snprintf(path, sizeof(path), "%s/sq.pgp", dir);
	must(add_key_file(path, sigil_keyring_id()) < 0 ? -errno : 0, path);

	printf("sigil bench: manifests; fork+execve+wait latency of a 64 KiB fs-verity\n"
	       "program, median in microseconds; ratio: against the second policy\n"
	       "named, in this boot; the median of %d rounds that alternate the two\n",
	       rounds);
	printf("%-24s %-4s %-6s %5s %11s %11s %8s\n", "case", "size", "exec",
	       "runs", "median_us", "baseline_us", "ratio");
	fflush(stdout);

	rc = load_policy("policy_name=" BASE " policy_version=1.0.0\n"
			 "DEFAULT action=ALLOW\n");
	must(rc == -EEXIST ? 0 : rc, BASE);
	must(activate(BASE), BASE);
	policy("mb_one", "manifest=bench-one");
	policy("mb_big", "manifest=bench-big");
	snprintf(rule, sizeof(rule), "fsverity_digest=sha256:%s", want);
	policy("mb_digest", rule);

	/* One entry: the only manifest loaded. */
	one_ms = load_manifest(dir, "one.mf");
	one = measure("manifest 1 entry", BASE, "mb_one");
	measure("fsverity_digest", BASE, "mb_digest");
	measure("manifest vs digest", "mb_digest", "mb_one");
	/* The same, one decision at a time: what binding the path costs. */
	measure_toggles("mprotect digest", BASE, "mb_digest");
	measure_toggles("mprotect manifest", "mb_digest", "mb_one");

	/* 300,000 entries, plain text, then OpenPGP-signed. */
	big_ms = load_manifest(dir, "big.mf");
	big = measure("manifest 300000", BASE, "mb_big");
	/*
	 * The index holds every loaded manifest: 300,000 entries against one
	 * is the ratio of the two rows, each against allow-all in this boot.
	 */
	printf("%-24s %-4s %-6s %5s %11s %11s %8.3f\n", "manifest 300000 vs 1",
	       "64K", "cached", "-", "-", "-", big / one);
	printf("manifest kernel memory: %lld bytes for %lld entries, %lld bytes per entry\n",
	       status_num("manifest_bytes"), status_num("manifest_entries"),
	       status_num("manifest_bytes_per_entry"));
	must(manifest_delete("bench-big"), "delete bench-big");
	signed_ms = load_manifest(dir, "big.sq");
	measure("manifest signed 300000", BASE, "mb_big");

	printf("\n%-24s %7s %9s\n", "manifest load", "entries", "load_ms");
	print_load("plain text", 1, one_ms);
	print_load("plain text", 300000, big_ms);
	print_load("OpenPGP (sq)", 300000, signed_ms);

	snprintf(path, sizeof(path), "%s/disk", dir);
	files = atoll(ids_value(path, "files"));
	text = atoll(ids_value(path, "manifest_text_bytes"));
	sq = atoll(ids_value(path, "manifest_sq_bytes"));
	p7d = atoll(ids_value(path, "manifest_p7d_bytes"));
	ima = atoll(ids_value(path, "ima_sig_bytes"));
	imax = atoll(ids_value(path, "ima_xattr_bytes"));
	if (files > 0) {
		printf("\non disk, the host's /usr/bin: %lld regular files\n", files);
		printf("%-32s %11s %9s\n", "form", "bytes", "per_file");
		printf("%-32s %11lld %9.1f\n", "manifest, text", text, (double)text / files);
		printf("%-32s %11lld %9.1f\n", "manifest, OpenPGP (sq)", sq, (double)sq / files);
		printf("%-32s %11lld %9.1f\n", "manifest, PKCS#7 (SIGILP7)", p7d,
		       (double)p7d / files);
		printf("%-32s %11lld %9.1f\n", "security.ima v2 (evmctl)", ima * files,
		       (double)ima);
		printf("%-32s %11lld %9.1f\n", "security.ima v2, ext4 entry", imax * files,
		       (double)imax);
	}
	fflush(stdout);

	must(activate(BASE), BASE);
	must(delete_policy("mb_big"), "mb_big");
	must(manifest_delete("bench-big"), "delete bench-big");
	must(manifest_delete("bench-one"), "delete bench-one");
	return 0;
}
