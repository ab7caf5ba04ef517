// SPDX-License-Identifier: GPL-2.0-only
/*
 * make bench: what signature checking costs an exec, measured in one guest
 * boot as a ratio against the same file, unsigned, under an allow-all
 * policy.
 *
 * Usage: sig_bench --make FILE SIZE PROG
 *		write the benchmark file: PROG, then a fixed pattern up to SIZE
 *		bytes; the host signs the same bytes that the guest recreates
 *	  sig_bench --jit N
 *		toggle a page of anonymous memory from writable to executable
 *		N times, as a JIT does, and print the mean microseconds per
 *		toggle
 *	  sig_bench DIR [dmverity|quick]
 *		in the guest: DIR holds rsa.der and sq.pgp, per size S (1M,
 *		64M) the signatures S.fsv, S.ima2, S.ima3, S.pgp1, S.pgp2, and
 *		boot-1M, which the initramfs holds (so it is boot_verified);
 *		with dm-verity volume A attached (PARAMS, common.h), the
 *		dm-verity properties are measured too; "dmverity" measures
 *		only them; "quick" runs every case but 64M in a few rounds, to
 *		prove the bench runs, not to measure
 *
 * Each case leaves the guest as it found it: the allow-all policy active.
 *
 * The baseline is the same file under a policy that never looks at its
 * signatures.  Each case runs in short rounds that alternate with it, so
 * that drift in the guest touches both alike; the ratio is the median of
 * the rounds' ratios, the times the medians of all runs.  "first" is an
 * exec right after the verdict cache was emptied (a policy activation), so
 * it pays for one verification; "cached" is every exec after that.  File
 * data stays in the page cache throughout: first-exec figures are CPU cost,
 * not disk reads.  dm-verity properties have no cache: "every" exec reads
 * what dm-verity reported about the volume.
 *
 * The last row is a JIT's cost: sig_bench, copied to the disk with its
 * fs-verity signature, toggles anonymous memory between writable and
 * executable under a policy that allows that for its signer only
 * (anonymous=TRUE program_signer=...), against the allow-all policy.
 */

#include <sys/xattr.h>

#include "bench.h"

#define ROUNDS_MAX	15
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))

/* Rounds per case, and runs per round at most: fewer with "quick". */
static int rounds = ROUNDS_MAX;
static int runs_max = 8;

static const struct {
	const char *name;
	unsigned long size;
} sizes[] = {
	{ "1M", 1ul << 20 },
	{ "64M", 64ul << 20 },
};

static int make_file(const char *path, unsigned long size, const char *prog)
{
	static unsigned char buf[65536];
	unsigned long off;
	int in, out;
	ssize_t n;

	in = open(prog, O_RDONLY | O_CLOEXEC);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (in < 0 || out < 0)
		return -1;
	off = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		if (write(out, buf, n) != n)
			return -1;
		off += n;
	}
	close(in);
	while (off < size) {
		size_t chunk = size - off < sizeof(buf) ? size - off : sizeof(buf);
		size_t i;

		for (i = 0; i < chunk; i++)
			buf[i] = (unsigned char)(((off + i) * 2654435761u) >> 24);
		if (write(out, buf, chunk) != (ssize_t)chunk)
			return -1;
		off += chunk;
	}
	return close(out);
}

static void policy(const char *name, const char *rule)
{
	char text[512];

	snprintf(text, sizeof(text),
		 "policy_name=%s policy_version=1.0.0\n"
		 "DEFAULT action=ALLOW\n%s", name, rule);
	must(write_str(SFS "/new_policy", text), name);
}

enum exec_kind { CACHED, FIRST, EVERY };

static const char *const exec_names[] = { "cached", "first", "every" };

/*
 * Median exec time of @path under @pol, and of @base under the allow-all
 * policy, @n runs per round.  FIRST: empty the cache before each run.
 */
static void measure(const char *label, const char *size, const char *path,
		    const char *base, const char *pol, enum exec_kind kind, int n)
{
	int first = kind == FIRST;
	double *v, *b, ratio[ROUNDS_MAX], mv, mb;
	int r, i;

	if (n > runs_max)
		n = runs_max;
	v = calloc(rounds * n, sizeof(double));
	b = calloc(rounds * n, sizeof(double));
	for (r = 0; r < rounds; r++) {
		must(activate("b_base"), "b_base");
		timed_run(base);
		for (i = 0; i < n; i++)
			b[r * n + i] = timed_run(base);
		must(activate(pol), pol);
		if (!first)
			timed_run(path);
		for (i = 0; i < n; i++) {
			if (first) {
				/* Each activation makes every verdict stale. */
				must(activate("b_base"), "b_base");
				must(activate(pol), pol);
			}
			v[r * n + i] = timed_run(path);
		}
		ratio[r] = median(v + r * n, n) / median(b + r * n, n);
	}
	mv = median(v, rounds * n);
	mb = median(b, rounds * n);
	printf("%-24s %-4s %-6s %5d %11.0f %11.0f %8.3f\n", label, size,
	       exec_names[kind], rounds * n, mv, mb,
	       median(ratio, rounds));
	fflush(stdout);
	free(v);
	free(b);
	/* The next case, or whatever runs after the bench, starts from here. */
	must(activate("b_base"), "b_base");
}

static void set_sig(const char *dir, const char *size, const char *suffix,
		    const char *path, const char *xattr)
{
	char name[256];
	size_t len;
	void *v;

	snprintf(name, sizeof(name), "%s/%s.%s", dir, size, suffix);
	v = slurp(name, &len);
	if (!v)
		must(-ENOENT, name);
	if (xattr) {
		must(setxattr(path, xattr, v, len, 0) ? -errno : 0, name);
	} else {
		must(enable_verity_sig(path, v, len), name);
	}
	free(v);
}

static void add_keys(const char *dir)
{
	static const char *const rings[] = { ".sigil", ".fs-verity" };
	char path[256];
	unsigned int i;
	size_t len;
	void *der, *pgp;

	snprintf(path, sizeof(path), "%s/rsa.der", dir);
	der = slurp(path, &len);
	for (i = 0; der && i < 2; i++)
		must(add_key("asymmetric", "", der, len, keyring_id(rings[i])) < 0 ?
		     -errno : 0, rings[i]);
	snprintf(path, sizeof(path), "%s/sq.pgp", dir);
	pgp = slurp(path, &len);
	must(!der || !pgp ? -ENOENT : 0, "keys");
	must(add_key("asymmetric", "", pgp, len, sigil_keyring_id()) < 0 ? -errno : 0,
	     ".sigil");
	free(der);
	free(pgp);
}

static void print_header(void)
{
	printf("sigil bench: fork+execve+wait latency, median in microseconds\n");
	printf("ratio: against the same file under an allow-all policy, in this boot;\n"
	       "       the median of %d rounds that alternate the two\n", rounds);
	printf("%-24s %-4s %-6s %5s %11s %11s %8s\n", "case", "size", "exec",
	       "runs", "median_us", "baseline_us", "ratio");
	fflush(stdout);
}

/* The mean microseconds of one RW -> RX toggle of anonymous memory. */
static int jit_toggles(unsigned long n)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long i;
	double t;

	if (p == MAP_FAILED)
		return 1;
	t = now_us();
	for (i = 0; i < n; i++) {
		if (mprotect(p, 4096, PROT_READ | PROT_WRITE))
			return 1;
		p[i % 4096] = (char)i;
		if (mprotect(p, 4096, PROT_READ | PROT_EXEC))
			return 1;
	}
	printf("%.3f\n", (now_us() - t) / n);
	return 0;
}

/* Run "@prog --jit N" and return the microseconds per toggle it printed. */
static double timed_jit(const char *prog, int n)
{
	char cmd[256], out[64];
	FILE *f;

	snprintf(cmd, sizeof(cmd), "%s --jit %d", prog, n);
	f = popen(cmd, "r");
	if (!f || !fgets(out, sizeof(out), f) || pclose(f)) {
		fprintf(stderr, "sig_bench: %s failed\n", cmd);
		exit(1);
	}
	return strtod(out, NULL);
}

/* A JIT under a rule for its signer, against the allow-all policy. */
static void measure_jit(const char *dir)
{
	double v[ROUNDS_MAX], b[ROUNDS_MAX], ratio[ROUNDS_MAX];
	char path[256], rule[512], skid[80] = "";
	const char *jit = DISK "/jit-bench";
	const int n = 200;
	size_t len;
	void *sig;
	int r;

	snprintf(path, sizeof(path), "%s/rsa.skid", dir);
	must(read_file(path, skid, sizeof(skid)) > 0 ? 0 : -ENOENT, path);
	skid[strcspn(skid, "\n")] = '\0';
	snprintf(path, sizeof(path), "%s/sig_bench.fsv", dir);
	sig = slurp(path, &len);
	if (!sig)
		must(-ENOENT, path);
	unlink(jit);
	must(copy_file("/proc/self/exe", jit, NULL), jit);
	must(enable_verity_sig(jit, sig, len), jit);
	free(sig);
	snprintf(rule, sizeof(rule), "DEFAULT op=EXECUTE action=DENY\n"
		 "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
		 "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n"
		 "op=EXECUTE anonymous=TRUE program_signer=%s action=ALLOW\n", skid);
	policy("b_jit", rule);

	for (r = 0; r < rounds; r++) {
		must(activate("b_base"), "b_base");
		timed_jit(jit, n);
		b[r] = timed_jit(jit, n);
		must(activate("b_jit"), "b_jit");
		timed_jit(jit, n);
		v[r] = timed_jit(jit, n);
		ratio[r] = v[r] / b[r];
	}
	printf("%-24s %-4s %-6s %5d %11.1f %11.1f %8.3f\n", "jit program_signer",
	       "page", "toggle", rounds * n, median(v, rounds), median(b, rounds),
	       median(ratio, rounds));
	fflush(stdout);
	must(activate("b_base"), "b_base");
}

/* A program on dm-verity volume A, opened with its signature. */
static void measure_dmverity(void)
{
	char rule[256], roothash[160];

	if (access(PARAMS, R_OK))
		return;
	must(open_volume("a-signed", 'A', "/dmv/a.sig"), "dm-verity volume A");
	vol_param('A', "ROOTHASH", roothash, sizeof(roothash));
	snprintf(rule, sizeof(rule), "DEFAULT op=EXECUTE action=DENY\n"
		 "op=EXECUTE dmverity_roothash=%s:%s action=ALLOW\n",
		 param("HASH_ALG"), roothash);
	policy("b_dmv_roothash", rule);
	policy("b_dmv_signature", "DEFAULT op=EXECUTE action=DENY\n"
				  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n");
	measure("dmverity_roothash", "vol", VOL "/a-signed/prog", VOL "/a-signed/prog",
		"b_dmv_roothash", EVERY, 8);
	measure("dmverity_signature", "vol", VOL "/a-signed/prog", VOL "/a-signed/prog",
		"b_dmv_signature", EVERY, 8);
}

int main(int argc, char **argv)
{
	static const struct {
		const char *label, *prop;
		int verity;
	} kinds[] = {
		{ "fsverity_signature",		"fsverity_signature", 1 },
		{ "ima_signature v3",		"ima_signature", 1 },
		{ "pgp_signature kind 1",	"pgp_signature", 1 },
		{ "ima_signature v2",		"ima_signature", 0 },
		{ "pgp_signature kind 2",	"pgp_signature", 0 },
	};
	char plain[2][64], verity[2][64], rule[128], name[32], boot[128];
	unsigned int s, k, nsizes = ARRAY_SIZE(sizes);
	const char *dir;
	int only_dmv, quick;

	if (argc == 5 && !strcmp(argv[1], "--make"))
		return make_file(argv[2], strtoul(argv[3], NULL, 0), argv[4]) ? 1 : 0;
	if (argc == 3 && !strcmp(argv[1], "--jit"))
		return jit_toggles(strtoul(argv[2], NULL, 0));
	only_dmv = argc == 3 && !strcmp(argv[2], "dmverity");
	quick = argc == 3 && !strcmp(argv[2], "quick");
	if (argc != 2 && !only_dmv && !quick) {
		fprintf(stderr, "usage: %s --make FILE SIZE PROG | %s DIR [dmverity|quick]\n",
			argv[0], argv[0]);
		return 2;
	}
	if (quick) {
		rounds = 2;
		runs_max = 2;
		nsizes = 1;
	}
	dir = argv[1];
	policy("b_base", "");
	must(activate("b_base"), "b_base");
	print_header();
	if (only_dmv) {
		measure_dmverity();
		return 0;
	}
	add_keys(dir);

	for (s = 0; s < nsizes; s++) {
		snprintf(plain[s], sizeof(plain[s]), DISK "/plain-%s", sizes[s].name);
		snprintf(verity[s], sizeof(verity[s]), DISK "/verity-%s", sizes[s].name);
		must(make_file(plain[s], sizes[s].size, PROG), plain[s]);
		must(make_file(verity[s], sizes[s].size, PROG), verity[s]);
		set_sig(dir, sizes[s].name, "ima2", plain[s], "security.ima");
		set_sig(dir, sizes[s].name, "pgp2", plain[s], "security.sigil");
		set_sig(dir, sizes[s].name, "ima3", verity[s], "security.ima");
		set_sig(dir, sizes[s].name, "pgp1", verity[s], "security.sigil");
		set_sig(dir, sizes[s].name, "fsv", verity[s], NULL);
	}
	/*
	 * A file of the initramfs: boot_verified.  One made here, after
	 * boot, would not be.
	 */
	snprintf(boot, sizeof(boot), "%s/boot-1M", dir);
	/* Background writeback of 130 MiB would compete with every run. */
	sync();

	policy("b_boot", "DEFAULT op=EXECUTE action=DENY\n"
			 "op=EXECUTE boot_verified=TRUE action=ALLOW\n");
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		snprintf(name, sizeof(name), "b_%u", k);
		snprintf(rule, sizeof(rule), "DEFAULT op=EXECUTE action=DENY\n"
			 "op=EXECUTE %s=TRUE action=ALLOW\n", kinds[k].prop);
		policy(name, rule);
	}

	measure("boot_verified", "1M", boot, boot, "b_boot", CACHED, 8);
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		snprintf(name, sizeof(name), "b_%u", k);
		for (s = 0; s < nsizes; s++) {
			const char *path = kinds[k].verity ? verity[s] : plain[s];
			/* Hashing 64 MiB per run is slow under TCG: fewer runs. */
			int nfirst = !kinds[k].verity && s ? 1 : 4;

			measure(kinds[k].label, sizes[s].name, path, path, name, FIRST, nfirst);
			measure(kinds[k].label, sizes[s].name, path, path, name, CACHED, 8);
		}
	}
	measure_dmverity();
	measure_jit(dir);
	return 0;
}
