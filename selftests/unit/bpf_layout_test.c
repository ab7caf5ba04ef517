// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for BPF mode's policy layout (policy/bpf_layout.c): the
 * properties it refuses to parse, the limits of its maps, and, the main
 * part, a differential test: the BPF program's walk over the laid-out
 * records must decide every event as the reference evaluator,
 * sigil_policy_decide_linear(), does.  The walk is emulated by bpf_emu.h,
 * which the differential fuzzer (selftests/fuzz/differential_fuzz.c)
 * shares: it mirrors decide(), walk_step(), walk_index() and prop_holds()
 * of bpf/sigil.bpf.c and the facts its gather() collects.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "manifest.h"
#include "bpf_image.h"
#include "bpf_emu.h"
#include "case.h"

#define HDR	"policy_name=t policy_version=1.0.0\n"
#define BIT_D	EMU_BIT_D
#define BIT_S	EMU_BIT_S
#define BIT_M	EMU_BIT_M
#define BIT_B	EMU_BIT_B
#define BIT_A	EMU_BIT_A
#define BIT_R	EMU_BIT_R
#define BIT_V	EMU_BIT_V

#include "rng.h"

/* ---- manifests: the names policies use, their ``manifests`` indexes ---- */

#define NMF 5
static const char *const mf_names[NMF] = { "base", "apps", "tools", "vendor", "spare" };
/* Not the identity, so that a slip between a name and its index shows. */
static const int mf_index[NMF] = { 17, 3, 63, 0, 40 };
/* The manifests as the reference sees them, and sigil_mfs[i].version. */
static struct emu_mfs mfs;

/* The layout's manifest_index callback, as sigilctl's: a name's index. */
static int manifest_index(void *ctx, const char *name, unsigned int len)
{
	unsigned int i;

	for (i = 0; i < NMF; i++)
		if (strlen(mf_names[i]) == len && !memcmp(mf_names[i], name, len))
			return mf_index[i];
	return -ENOSPC;
}

/* As sigilctl parses for BPF mode (set in main(): not constants in C). */
static struct sigil_parse_opts bpf_opts;

/* Parse @text for BPF mode and lay it out in @slot: 0 or the errno. */
static int parse_layout(const char *text, u32 slot, struct sigil_policy **pol,
			struct sigil_bpf_image *img, struct sigil_parse_error *err)
{
	int rc = sigil_policy_parse(text, strlen(text), &bpf_opts, pol, err);

	if (rc)
		return rc;
	rc = sigil_bpf_layout(*pol, slot, manifest_index, NULL, img, err);
	if (rc)
		sigil_policy_free(*pol);
	return rc;
}

static void free_both(struct sigil_policy *pol, struct sigil_bpf_image *img)
{
	sigil_bpf_image_free(img);
	sigil_policy_free(pol);
}

/* ---- the file model's facts, as the reference fetches them ---- */

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	return emu_fetch(facts->ctx, facts, type);
}

/* ---- random policies and files that meet ---- */

/*
 * Digests of each algorithm: fs-verity's two, and for root hashes also
 * sha384 (which dmv_algo() knows) and sha3-256, which it does not: no
 * volume has that root hash, and its digests are sha256's own bytes, so
 * that a key that lost its algorithm would match.  Files' digests and
 * volumes' root hashes are drawn from the same digests.
 */
#define POOL 24
#define NALGO 4
static u8 pool[NALGO][POOL][64];
static const u8 pool_algo[NALGO] = {
	SIGIL_HASH_SHA256, SIGIL_HASH_SHA512, SIGIL_HASH_SHA384, SIGIL_HASH_SHA3_256,
};
static const u8 pool_size[NALGO] = { 32, 64, 48, 32 };

static const char *const op_names[__SIGIL_OP_MAX] = {
	"EXECUTE", "FIRMWARE", "KMODULE", "KEXEC_IMAGE", "KEXEC_INITRAMFS",
	"POLICY", "X509_CERT",
};

static void fill_pool(void)
{
	unsigned int k, i, j;

	for (k = 0; k < 3; k++)
		for (i = 0; i < POOL; i++)
			for (j = 0; j < pool_size[k]; j++)
				/* Half the pool differs only in the last byte. */
				pool[k][i][j] = i < POOL / 2 && j + 1u < pool_size[k] ?
						0xab : (u8)rnd();
	/* A sha512 and a sha384 digest that are a sha256 one, zero-padded. */
	memset(pool[1][0], 0, 64);
	memcpy(pool[1][0], pool[0][0], 32);
	memset(pool[2][0], 0, 64);
	memcpy(pool[2][0], pool[0][0], 32);
	memcpy(pool[3], pool[0], sizeof(pool[0]));
	mfs.n = NMF;
	for (i = 0; i < NMF; i++) {
		snprintf(mfs.mf[i].name, sizeof(mfs.mf[i].name), "%s", mf_names[i]);
		mfs.index[i] = mf_index[i];
	}
}

static const char *action(void)
{
	return below(2) ? "ALLOW" : "DENY";
}

/* fsverity_digest= (sha256 mostly, sha512), or dmverity_roothash= (@dmv). */
static int put_digest(char *out, bool dmv)
{
	unsigned int k = dmv ? (below(2) ? 0 : 1 + below(NALGO - 1)) : below(6) ? 0 : 1;
	unsigned int i, j = below(POOL);
	int n = sprintf(out, " %s=%s:", dmv ? "dmverity_roothash" : "fsverity_digest",
			sigil_hash_algos[pool_algo[k]].name);

	for (i = 0; i < pool_size[k]; i++)
		n += sprintf(out + n, "%02x", pool[k][j][i]);
	return n;
}

static int put_prop(char *out)
{
	static const char *const bools[] = {
		"boot_verified", "fsverity_signature", "anonymous", "dmverity_signature",
	};

	switch (below(9)) {
	case 0:
		return put_digest(out, false);
	case 1:
		return put_digest(out, true);
	case 2 ... 5:
		return sprintf(out, " %s=%s", bools[below(ARRAY_SIZE(bools))],
			       below(2) ? "TRUE" : "FALSE");
	case 6:
		return sprintf(out, " manifest=ANY");
	case 7:
		return sprintf(out, " manifest=%s", mf_names[below(NMF - 1)]);
	default:
		return sprintf(out, " manifest=%s@%u.%u.%u", mf_names[below(NMF - 1)],
			       below(3), below(3), below(3));
	}
}

/*
 * A random BPF-mode policy of about @nrules rules: runs of digest-only
 * rules (a third of them 8 or more long: indexed), of fs-verity digests,
 * of dm-verity root hashes, or of both mixed (cut into runs where the
 * property changes); rules of 0 to 6 other properties; a global DEFAULT
 * or a DEFAULT for every operation.
 */
static void random_policy(char *out, unsigned int nrules)
{
	size_t n = sprintf(out, HDR);
	unsigned int i = 0, j, k, burst, kind;
	bool global = below(4);

	if (global)
		n += sprintf(out + n, "DEFAULT action=%s\n", action());
	for (j = 0; j < __SIGIL_OP_MAX; j++)
		if (!global || !below(4))
			n += sprintf(out + n, "DEFAULT op=%s action=%s\n",
				     op_names[j], action());
	while (i < nrules) {
		const char *op = op_names[below(4) ? 0 : below(__SIGIL_OP_MAX)];

		burst = below(2) ? 0 : below(3) ? 1 + below(7) : 8 + below(30);
		kind = below(5);	/* fs-verity, dm-verity, 4: mixed */
		for (j = 0; j < burst; j++, i++) {
			n += sprintf(out + n, "op=%s", op);
			n += put_digest(out + n, kind == 4 ? below(2) : kind >= 2);
			n += sprintf(out + n, " action=%s\n", action());
		}
		if (burst)
			continue;
		n += sprintf(out + n, "op=%s", op);
		for (k = below(SIGIL_BPF_RULE_PROPS + 1); k; k--)
			n += put_prop(out + n);
		n += sprintf(out + n, " action=%s\n", action());
		i++;
	}
}

static void random_file(struct emu_file *fm)
{
	unsigned int k = below(5) ? 0 : 1, v, i;

	memset(fm, 0, sizeof(*fm));
	fm->anon = !below(8);
	fm->boot = below(2);
	fm->sig_ok = below(2);
	fm->listed = (u32)rnd() & (u32)rnd() & ((1u << NMF) - 1);
	if (below(6)) {
		fm->dg.algo = pool_algo[k];
		fm->dg.size = pool_size[k];
		memcpy(fm->dg.bytes, pool[k][below(POOL)], pool_size[k]);
		/* Sometimes a near miss: one byte differs, often the last. */
		if (!below(5))
			fm->dg.bytes[below(2) ? pool_size[k] - 1u : below(pool_size[k])] ^=
				(u8)(1 + below(255));
	}
	if (below(3)) {
		/* On a dm-verity volume: sha256 mostly, sha512, sha384. */
		v = below(2) ? 0 : 1 + below(2);
		fm->vol.algo = pool_algo[v];
		fm->vol.size = pool_size[v];
		memcpy(fm->vol.digest, pool[v][below(POOL)], pool_size[v]);
		if (!below(6))
			fm->vol.digest[below(2) ? pool_size[v] - 1u : below(pool_size[v])] ^=
				(u8)(1 + below(255));
		/* Sometimes its root hash is the file's fs-verity digest. */
		if (!below(8) && fm->dg.algo != SIGIL_HASH_NONE) {
			memset(fm->vol.digest, 0, sizeof(fm->vol.digest));
			fm->vol.algo = fm->dg.algo;
			fm->vol.size = fm->dg.size;
			memcpy(fm->vol.digest, fm->dg.bytes, fm->dg.size);
		}
		fm->vol.signed_ = below(2);
	}
	fm->fail = below(8) ? 0 : emu_fails[below(ARRAY_SIZE(emu_fails))];
	fm->mfs = &mfs;
	emu_file_settle(fm);
	for (i = 0; i < NMF; i++) {
		mfs.mf[i].version[0] = (u16)below(3);
		mfs.mf[i].version[1] = (u16)below(3);
		mfs.mf[i].version[2] = (u16)below(3);
		mfs.version[mf_index[i]] = sigil_manifest_version(&mfs.mf[i]);
	}
}

static void print_file(const struct emu_file *fm)
{
	unsigned int i;

	ksft_print_msg("file: anon=%d boot=%d sig_ok=%d fail=%#x listed=%#x algo=%u digest=",
		       fm->anon, fm->boot, fm->sig_ok, fm->fail, fm->listed, fm->dg.algo);
	for (i = 0; i < fm->dg.size; i++)
		printf("%02x", fm->dg.bytes[i]);
	printf(" volume: algo=%u signed=%u roothash=", fm->vol.algo, fm->vol.signed_);
	for (i = 0; i < fm->vol.size; i++)
		printf("%02x", fm->vol.digest[i]);
	for (i = 0; i < NMF; i++)
		printf(" %s=%u.%u.%u", mf_names[i], mfs.mf[i].version[0],
		       mfs.mf[i].version[1], mfs.mf[i].version[2]);
	printf("\n");
}

/* ---- refusals ---- */

#define D256 "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"
#define KEYID "0123456789abcdef0123456789abcdef01234567"

/* What BPF mode cannot evaluate is refused where it stands; the rest parses. */
static void test_properties(void)
{
	static const char *const props[] = {
		"ima_signature=TRUE", "pgp_signature=FALSE", "signer=" KEYID,
		"program_fsverity_digest=sha256:" D256, "program_signer=" KEYID,
		/* supported */
		"boot_verified=TRUE", "fsverity_digest=sha256:" D256,
		"fsverity_signature=FALSE", "anonymous=TRUE", "manifest=base",
		"manifest=ANY", "manifest=apps@1.2.3",
		"dmverity_roothash=sha256:" D256, "dmverity_roothash=sha3-256:" D256,
		"dmverity_signature=TRUE", "dmverity_signature=FALSE",
	};
	const unsigned int refused = 5;
	const char *rule = "op=EXECUTE boot_verified=TRUE ";
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	char text[512], name[32];
	unsigned int i;
	int rc;

	for (i = 0; i < ARRAY_SIZE(props); i++) {
		snprintf(text, sizeof(text), HDR "DEFAULT action=DENY\n%s%s action=ALLOW\n",
			 rule, props[i]);
		snprintf(name, sizeof(name), "%.*s", (int)strcspn(props[i], "="), props[i]);
		case_begin();
		rc = sigil_policy_parse(text, strlen(text), &bpf_opts, &pol, &err);
		if (i >= refused) {
			case_check(rc == 0, "line %u: %s", err.line, err.msg);
			if (!rc)
				sigil_policy_free(pol);
			case_end("BPF mode parses %s", props[i]);
			continue;
		}
		case_check(rc == -EOPNOTSUPP && err.err == -EOPNOTSUPP, "rc %d", rc);
		case_check(err.line == 3 && err.col == strlen(rule) + 1, "at %u:%u",
			   err.line, err.col);
		case_check(strstr(err.msg, "cannot be evaluated in BPF mode") &&
			   strstr(err.msg, name), "message: %s", err.msg);
		if (!rc)
			sigil_policy_free(pol);
		case_end("BPF mode refuses %s at 3:%zu", name, strlen(rule) + 1);
	}
}

/* manifest=: the callback's index, ANY, the minimum version; no index. */
static void test_manifest_props(void)
{
	struct sigil_bpf_image img;
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	const struct sigil_bpf_prop *p;
	int rc;

	case_begin();
	rc = parse_layout(HDR "DEFAULT action=DENY\nop=EXECUTE manifest=tools@1.2.3 manifest=ANY action=ALLOW\n",
			  0, &pol, &img, &err);
	case_check(rc == 0 && img.nsteps == 1, "line %u: %s", err.line, err.msg);
	if (!rc) {
		p = img.steps[0].props;
		case_check(p[0].manifest == 63 && p[0].has_min &&
			   p[0].min_version == (1ull << 32 | 2 << 16 | 3) &&
			   p[1].manifest == SIGIL_BPF_ANY && !p[1].has_min &&
			   img.head.ops[SIGIL_OP_EXECUTE].props == BIT_M, "manifest props");
		free_both(pol, &img);
	}
	rc = parse_layout(HDR "DEFAULT action=DENY\nop=EXECUTE boot_verified=TRUE action=ALLOW\n"
			  "op=EXECUTE manifest=unknown action=ALLOW\n", 0, &pol, &img, &err);
	case_check(rc == -ENOSPC && err.err == -ENOSPC && err.line == 4 &&
		   strstr(err.msg, "'unknown'") && !img.steps,
		   "rc %d line %u: %s", rc, err.line, err.msg);
	case_end("manifest= laid out with its index, ANY, its minimum version; no index: its line");
}

/* ---- limits ---- */

/* Append @n rules of @op with @nprops properties each. */
static size_t put_rules(char *text, size_t off, unsigned int n, const char *op,
			unsigned int nprops)
{
	unsigned int k;

	while (n--) {
		off += sprintf(text + off, "op=%s", op);
		for (k = 0; k < nprops; k++)
			off += sprintf(text + off, " boot_verified=TRUE");
		off += sprintf(text + off, " action=ALLOW\n");
	}
	return off;
}

/*
 * Append EXECUTE rules of the sha256 digests @first..@first + @n - 1:
 * fsverity_digest=, or dmverity_roothash= when @dmv.
 */
static size_t put_hashes(char *text, size_t off, bool dmv, unsigned int first,
			 unsigned int n, const char *act)
{
	for (; n--; first++)
		off += sprintf(text + off, "op=EXECUTE %s=sha256:%064x action=%s\n",
			       dmv ? "dmverity_roothash" : "fsverity_digest", first, act);
	return off;
}

static size_t put_digests(char *text, size_t off, unsigned int first, unsigned int n,
			  const char *act)
{
	return put_hashes(text, off, false, first, n, act);
}

static void test_step_limits(void)
{
	char *text = malloc(1 << 20);
	struct sigil_bpf_image img;
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	size_t off;
	int rc;

	case_begin();
	off = sprintf(text, HDR "DEFAULT action=DENY\n");
	off = put_rules(text, off, 1, "EXECUTE", 1);
	off = put_rules(text, off, 1, "EXECUTE", SIGIL_BPF_RULE_PROPS);
	rc = parse_layout(text, 0, &pol, &img, &err);
	case_check(rc == 0 && img.nsteps == 2 && img.steps[1].nprops == SIGIL_BPF_RULE_PROPS,
		   "rc %d: %s", rc, err.msg);
	if (!rc)
		free_both(pol, &img);
	put_rules(text, off, 1, "KMODULE", SIGIL_BPF_RULE_PROPS + 1);
	rc = parse_layout(text, 0, &pol, &img, &err);
	case_check(rc == -E2BIG && err.err == -E2BIG && err.line == 5 && !img.steps,
		   "rc %d line %u: %s", rc, err.line, err.msg);
	case_end("a rule of %u properties fits; one of %u is refused with its line",
		 SIGIL_BPF_RULE_PROPS, SIGIL_BPF_RULE_PROPS + 1);

	/* An indexed run of 20 digests is one step: 1 + 1000 + 23 = 1024. */
	case_begin();
	off = sprintf(text, HDR "DEFAULT action=DENY\n");
	off = put_digests(text, off, 1, 20, "ALLOW");
	off = put_rules(text, off, 1000, "EXECUTE", 1);
	off = put_rules(text, off, 23, "KMODULE", 1);
	rc = parse_layout(text, 1, &pol, &img, &err);
	case_check(rc == 0 && img.nsteps == SIGIL_BPF_STEPS_MAX && img.ndigests == 20 &&
		   img.head.ops[SIGIL_OP_KMODULE].first_step == 1001 &&
		   img.head.ops[SIGIL_OP_KMODULE].nsteps == 23,
		   "rc %d: %u steps: %s", rc, img.nsteps, err.msg);
	if (!rc)
		free_both(pol, &img);
	/* One more, on line 2 + 20 + 1000 + 23 + 1. */
	put_rules(text, off, 1, "KMODULE", 1);
	rc = parse_layout(text, 1, &pol, &img, &err);
	case_check(rc == -E2BIG && err.line == 1046 && strstr(err.msg, "more than BPF mode holds"),
		   "rc %d line %u: %s", rc, err.line, err.msg);
	/* The step beyond is an indexed run: its first line. */
	off = sprintf(text, HDR "DEFAULT action=DENY\n");
	off = put_rules(text, off, SIGIL_BPF_STEPS_MAX, "EXECUTE", 1);
	put_digests(text, off, 1, 9, "DENY");
	rc = parse_layout(text, 0, &pol, &img, &err);
	case_check(rc == -E2BIG && err.line == 3 + SIGIL_BPF_STEPS_MAX,
		   "rc %d line %u: %s", rc, err.line, err.msg);
	case_end("%u steps fit, an indexed run counting as one; the first line beyond is refused",
		 SIGIL_BPF_STEPS_MAX);
	free(text);
}

/*
 * 100,000 digests after a rule checked on its own, 1,000 of them listed
 * again (DENY): one step, one entry per digest, each the first rule of
 * its digest, each keyed by the slot and the step.
 */
static void test_100k_digests(void)
{
	const unsigned int n = 100000, dups = 1000, slot = 1, step = slot * SIGIL_BPF_STEPS_MAX + 1;
	char *text = malloc((size_t)(n + dups + 3) * 128);
	struct emu_facts f = { .algo = SIGIL_HASH_SHA256, .size = 32 };
	const struct sigil_bpf_digest_key *k;
	static const u8 zero[SIGIL_BPF_DIGEST_MAX];
	u8 *seen = calloc(n + 1, 1);
	unsigned int i, bad = 0, badkey = 0, d, line;
	struct sigil_bpf_image img;
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	struct emu_outcome o;
	size_t off;
	int rc;

	off = sprintf(text, HDR "DEFAULT action=DENY\nop=EXECUTE anonymous=TRUE action=DENY\n");
	/* Digests 100j+1..100j+100, then digest 100j+51 again. */
	for (i = 1; i <= n; i += 100) {
		off = put_digests(text, off, i, 100, "ALLOW");
		off = put_digests(text, off, i + 50, 1, "DENY");
	}
	case_begin();
	rc = parse_layout(text, slot, &pol, &img, &err);
	case_check(rc == 0, "line %u: %s", err.line, err.msg);
	if (rc)
		goto out;
	case_check(img.nsteps == 2 && img.head.nsteps == 2 && img.head.nrules == n + dups + 1 &&
		   img.steps[1].kind == SIGIL_BPF_STEP_INDEX && img.steps[1].line == 4,
		   "%u steps", img.nsteps);
	case_check(img.ndigests == n && img.head.ndigests == n, "%u digests", img.ndigests);
	case_check(img.head.ops[SIGIL_OP_EXECUTE].props == (BIT_A | BIT_D), "props %#x",
		   img.head.ops[SIGIL_OP_EXECUTE].props);
	for (i = 0; i < img.ndigests; i++) {
		k = &img.dkeys[i];
		d = (unsigned int)k->digest[28] << 24 | k->digest[29] << 16 |
		    k->digest[30] << 8 | k->digest[31];
		/* Digest d is first on line 3 + d + (d - 1) / 100. */
		line = 3 + d + (d - 1) / 100;
		badkey += k->step != step || k->algo != SIGIL_HASH_SHA256 || k->size != 32 ||
			  k->reserved[0] || k->reserved[1] || memcmp(k->digest, zero, 28) ||
			  memcmp(k->digest + 32, zero, 32) || !d || d > n || seen[d]++;
		bad += img.dvals[i].line != line || img.dvals[i].action != SIGIL_ACTION_ALLOW ||
		       pol->rules[img.dvals[i].rule].src.line != line;
	}
	case_check(!badkey, "%u keys not {%u, sha256, 32, a digest of its own}", badkey, step);
	case_check(!bad, "%u entries not the first rule of their digest", bad);
	/* A digest listed twice, walked: its first rule. */
	f.digest[31] = 51;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.indexed && o.action == SIGIL_ACTION_ALLOW && o.line == 3 + 51,
		   "digest 51: %u/%u line %u", o.action, o.match, o.line);
	free_both(pol, &img);
out:
	case_end("%u digest rules (%u repeats) in slot %u: 1 indexed step, %u entries keyed %u",
		 n + dups, dups, slot, n, step);
	free(seen);
	free(text);
}

/* ---- dm-verity ---- */

/*
 * dmverity_roothash= and dmverity_signature= in a rule checked on its own,
 * and runs of root hashes and of fs-verity digests, each its own indexed
 * step of its own index_type; walked with and without a known volume.
 */
static void test_dmverity_layout(void)
{
	static const u8 zero[SIGIL_BPF_DIGEST_MAX];
	const unsigned int slot = 1;
	const struct sigil_bpf_step *st;
	const struct sigil_bpf_prop *p;
	struct sigil_bpf_dmv vol = { .algo = SIGIL_HASH_SHA384, .size = 48 };
	struct emu_facts f = { .algo = SIGIL_HASH_NONE };
	struct sigil_bpf_image img;
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	struct emu_outcome o;
	unsigned int i, bad = 0, nr = 0, nd = 0;
	char *text = malloc(1 << 16);
	size_t off;
	int rc;

	off = sprintf(text, HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha384:");
	for (i = 0; i < 48; i++)
		off += sprintf(text + off, "%02x", 0xc0 + i);
	off += sprintf(text + off, " dmverity_signature=TRUE action=ALLOW\n");
	/* Lines 4-12 root hashes 1..9, 13-20 digests 1..8, 21 root hash 10. */
	off = put_hashes(text, off, true, 1, 9, "ALLOW");
	off = put_hashes(text, off, false, 1, 8, "DENY");
	put_hashes(text, off, true, 10, 1, "DENY");
	case_begin();
	rc = parse_layout(text, slot, &pol, &img, &err);
	case_check(rc == 0, "line %u: %s", err.line, err.msg);
	if (rc)
		goto out;
	case_check(img.nsteps == 4 && img.ndigests == 17 &&
		   img.head.ops[SIGIL_OP_EXECUTE].props == (BIT_R | BIT_V | BIT_D),
		   "%u steps, %u digests, props %#x", img.nsteps, img.ndigests,
		   img.head.ops[SIGIL_OP_EXECUTE].props);
	if (img.nsteps != 4)
		goto done;
	st = img.steps;
	p = st[0].props;
	for (i = 0; i < 48; i++)
		bad += p[0].digest[i] != 0xc0 + i;
	case_check(st[0].kind == SIGIL_BPF_STEP_RULE && st[0].nprops == 2 &&
		   p[0].type == SIGIL_PROP_DMVERITY_ROOTHASH &&
		   p[0].value == SIGIL_HASH_SHA384 && p[0].size == 48 && !bad &&
		   !memcmp(p[0].digest + 48, zero, 16) &&
		   p[1].type == SIGIL_PROP_DMVERITY_SIGNATURE && p[1].value == 1,
		   "the rule's root hash and signature");
	bad = 0;
	case_check(st[1].kind == SIGIL_BPF_STEP_INDEX &&
		   st[1].index_type == SIGIL_PROP_DMVERITY_ROOTHASH && st[1].line == 4 &&
		   st[2].kind == SIGIL_BPF_STEP_INDEX &&
		   st[2].index_type == SIGIL_PROP_FSVERITY_DIGEST && st[2].line == 13 &&
		   st[3].kind == SIGIL_BPF_STEP_RULE && st[3].nprops == 1 &&
		   st[3].props[0].type == SIGIL_PROP_DMVERITY_ROOTHASH &&
		   st[3].props[0].size == 32 && st[3].props[0].digest[31] == 10,
		   "steps: %u/%u %u/%u %u", st[1].kind, st[1].index_type, st[2].kind,
		   st[2].index_type, st[3].kind);
	for (i = 0; i < img.ndigests; i++) {
		const struct sigil_bpf_digest_key *k = &img.dkeys[i];

		nr += k->step == slot * SIGIL_BPF_STEPS_MAX + 1;
		nd += k->step == slot * SIGIL_BPF_STEPS_MAX + 2;
		bad += k->algo != SIGIL_HASH_SHA256 || k->size != 32 ||
		       !k->digest[31] || memcmp(k->digest + 32, zero, 32);
	}
	case_check(nr == 9 && nd == 8 && !bad, "%u root hashes, %u digests, %u bad keys",
		   nr, nd, bad);

	/* The signed sha384 volume: the rule checked on its own. */
	memcpy(vol.digest, p[0].digest, 48);
	vol.signed_ = 1;
	f.dmv = &vol;
	f.truths = BIT_V;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.action == SIGIL_ACTION_ALLOW && o.line == 3 && !o.indexed,
		   "signed volume: %u line %u", o.action, o.line);
	f.truths = 0;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.match == SIGIL_MATCH_GLOBAL_DEFAULT, "unsigned volume: %u line %u",
		   o.match, o.line);
	/* Root hash 5, fs-verity digest 2: the run of root hashes first. */
	memset(&vol, 0, sizeof(vol));
	vol.algo = SIGIL_HASH_SHA256;
	vol.size = 32;
	vol.digest[31] = 5;
	f.algo = SIGIL_HASH_SHA256;
	f.size = 32;
	f.digest[31] = 2;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.indexed && o.index_type == SIGIL_PROP_DMVERITY_ROOTHASH &&
		   o.action == SIGIL_ACTION_ALLOW && o.line == 8,
		   "root hash 5: %u line %u", o.action, o.line);
	/* No volume known: the run of digests. */
	f.dmv = NULL;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.indexed && o.index_type == SIGIL_PROP_FSVERITY_DIGEST &&
		   o.action == SIGIL_ACTION_DENY && o.line == 14,
		   "digest 2: %u line %u", o.action, o.line);
	/* An unreadable digest fails the digests' run, not the root hashes'. */
	f.failed = BIT_D | BIT_M;
	f.algo = SIGIL_HASH_NONE;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.match == SIGIL_MATCH_ERROR, "no volume, no digest: %u", o.match);
	f.dmv = &vol;
	vol.digest[31] = 10;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.match == SIGIL_MATCH_ERROR, "root hash 10, no digest: %u", o.match);
	vol.digest[31] = 9;
	o = emu_decide(&img, slot, SIGIL_OP_EXECUTE, &f);
	case_check(o.indexed && o.action == SIGIL_ACTION_ALLOW && o.line == 12,
		   "root hash 9, no digest: %u/%u line %u", o.action, o.match, o.line);
done:
	free_both(pol, &img);
out:
	case_end("dm-verity: a rule's root hash and signature; runs of root hashes and of digests indexed apart, keyed by the root hash");
	free(text);
}

/* ---- the differential test ---- */

/*
 * Random policies, each laid out in slot 0 or 1, and random files: for
 * every operation (and none), the emulated program and the reference must
 * agree on the action, on what decided, on its line and on the rule.
 */
static void test_differential(void)
{
	static char text[1 << 18];
	const unsigned int policies = 2500, files = 40;
	unsigned long pairs = 0, decisions = 0, indexed = 0, by_index = 0, multi = 0;
	unsigned long indexed_dmv = 0, by_dmv_index = 0, by_roothash = 0, by_dmv_sig = 0;
	unsigned long by_match[__SIGIL_MATCH_MAX] = { 0 };
	unsigned int i, j, s, op;

	case_begin();
	for (i = 0; i < policies && case_ok; i++) {
		struct sigil_bpf_image img;
		struct sigil_parse_error err;
		struct sigil_policy *pol;
		u32 slot = i & 1;

		random_policy(text, below(i % 10 ? 40 : 200));
		if (parse_layout(text, slot, &pol, &img, &err)) {
			case_check(0, "policy %u: line %u: %s\n%s", i, err.line, err.msg, text);
			break;
		}
		for (s = 0; s < img.nsteps; s++) {
			indexed += img.steps[s].kind == SIGIL_BPF_STEP_INDEX;
			indexed_dmv += img.steps[s].kind == SIGIL_BPF_STEP_INDEX &&
				       img.steps[s].index_type == SIGIL_PROP_DMVERITY_ROOTHASH;
		}
		for (j = 0; j < files && case_ok; j++, pairs++) {
			struct emu_file fm;

			random_file(&fm);
			for (op = 0; op <= SIGIL_OP_INVALID; op++) {
				struct sigil_facts facts = { .fetch = fetch, .ctx = &fm };
				struct sigil_decision d;
				struct emu_facts ef;
				struct emu_outcome o;
				s32 rule = -1;
				u32 line;

				emu_gather(&fm, op < __SIGIL_OP_MAX ? img.head.ops[op].props : 0, &ef);
				o = emu_decide(&img, slot, op, &ef);
				sigil_policy_decide_linear(pol, op, &facts, &d);
				line = d.src ? d.src->line : 0;
				if (d.match == SIGIL_MATCH_RULE)
					rule = container_of(d.src, struct sigil_rule, src) - pol->rules;
				decisions++;
				by_match[d.match]++;
				by_index += o.indexed;
				by_dmv_index += o.indexed &&
						o.index_type == SIGIL_PROP_DMVERITY_ROOTHASH;
				by_roothash += !!(o.positive & BIT_R);
				by_dmv_sig += !!(o.positive & BIT_V);
				multi += o.nprops >= 2;
				if (!o.bad && o.action == d.action && o.match == d.match &&
				    o.line == line && o.rule == rule)
					continue;
				case_check(0, "policy %u, file %u, op %u: BPF %u/%u line %u rule %d outside %d, linear %u/%u line %u rule %d\n%s",
					   i, j, op, o.action, o.match, o.line, o.rule, o.bad,
					   d.action, d.match, line, rule, text);
				print_file(&fm);
				break;
			}
		}
		free_both(pol, &img);
	}
	case_check(indexed > 1000 && by_index > 1000 && multi > 1000,
		   "too few indexed steps (%lu), decisions through them (%lu) or by rules of 2+ properties (%lu)",
		   indexed, by_index, multi);
	case_check(indexed_dmv > 500 && by_dmv_index > 500 && by_roothash > 500 &&
		   by_dmv_sig > 500,
		   "too few indexed runs of root hashes (%lu), decisions through them (%lu), by a rule's root hash (%lu) or dmverity_signature=TRUE (%lu)",
		   indexed_dmv, by_dmv_index, by_roothash, by_dmv_sig);
	ksft_print_msg("decided by a rule %lu (indexed %lu, of root hashes %lu; of 2+ properties %lu; by a rule's root hash %lu, dmverity_signature=TRUE %lu), op DEFAULT %lu, global DEFAULT %lu, error %lu\n",
		       by_match[SIGIL_MATCH_RULE], by_index, by_dmv_index, multi,
		       by_roothash, by_dmv_sig,
		       by_match[SIGIL_MATCH_OP_DEFAULT], by_match[SIGIL_MATCH_GLOBAL_DEFAULT],
		       by_match[SIGIL_MATCH_ERROR]);
	case_end("BPF walk and linear evaluation agree: %u policies, %lu policy/file pairs, %lu decisions, %lu indexed steps (%lu of root hashes)",
		 policies, pairs, decisions, indexed, indexed_dmv);
}

int main(int argc, char **argv)
{
	bpf_opts.props = sigil_bpf_props;
	bpf_opts.why_not = sigil_bpf_why_not;
	ksft_print_header();
	fill_pool();
	test_properties();
	test_manifest_props();
	test_dmverity_layout();
	test_step_limits();
	test_100k_digests();
	test_differential();
	cases_done();
}
