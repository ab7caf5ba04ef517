// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests for policy/compile.c: the compiled evaluator, with its hash
 * tables of digest rules, decides every event exactly as the reference
 * that checks every rule in order (sigil_policy_decide_linear()).  Random
 * policies and random files, differentially, then the cases that matter
 * by name, and the memory of a 100,000-digest policy.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "case.h"

#define RNG_SEED 0x9e3779b97f4a7c15ull
#include "rng.h"

/* ---- pools the policies and the files draw from, so that they meet ---- */

#define POOL 24

struct digest_pool {
	const char *algo;
	u8 algo_id;
	u8 size;
	u8 bytes[POOL][64];
};

static struct digest_pool fsv[2] = {
	{ "sha256", SIGIL_HASH_SHA256, 32 },
	{ "sha512", SIGIL_HASH_SHA512, 64 },
};
static struct digest_pool dmv[2] = {
	{ "sha256", SIGIL_HASH_SHA256, 32 },
	{ "sha384", SIGIL_HASH_SHA384, 48 },
};
static u8 signer_ids[4][20];

static void fill_pools(void)
{
	unsigned int i, j, k;

	for (k = 0; k < 2; k++)
		for (i = 0; i < POOL; i++)
			for (j = 0; j < 64; j++) {
				/* Half the pool differs only in the last byte. */
				fsv[k].bytes[i][j] = i < POOL / 2 && j + 1u < fsv[k].size ?
						     0xab : (u8)rnd();
				dmv[k].bytes[i][j] = (u8)rnd();
			}
	for (i = 0; i < 4; i++)
		for (j = 0; j < 20; j++)
			signer_ids[i][j] = (u8)rnd();
}

static int put_hex(char *out, const u8 *b, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", b[i]);
	return 2 * n;
}

static const char *const ops[] = { "EXECUTE", "KMODULE", "FIRMWARE" };
static const char *const bools[] = {
	"boot_verified", "fsverity_signature", "ima_signature",
	"pgp_signature", "dmverity_signature",
};

/* One property, appended to @out. */
static int put_prop(char *out, unsigned int kind)
{
	struct digest_pool *d;
	int n;

	switch (kind) {
	case 0:		/* fs-verity digest */
		d = &fsv[below(8) ? 0 : 1];
		n = sprintf(out, " fsverity_digest=%s:", d->algo);
		return n + put_hex(out + n, d->bytes[below(POOL)], d->size);
	case 1:		/* dm-verity root hash */
		d = &dmv[below(4) ? 0 : 1];
		n = sprintf(out, " dmverity_roothash=%s:", d->algo);
		return n + put_hex(out + n, d->bytes[below(POOL)], d->size);
	case 2:
		return sprintf(out, " %s=%s", bools[below(5)],
			       below(2) ? "TRUE" : "FALSE");
	default:	/* signer */
		n = sprintf(out, " signer=");
		return n + put_hex(out + n, signer_ids[below(4)], below(3) ? 20 : 8);
	}
}

/* A random policy text with runs of digest rules among other rules. */
static size_t random_policy(char *out, unsigned int nrules)
{
	size_t n = sprintf(out, "policy_name=rnd policy_version=1.0.0\n");
	unsigned int i = 0, j, burst;

	if (below(3)) {
		n += sprintf(out + n, "DEFAULT action=%s\n", below(2) ? "ALLOW" : "DENY");
		if (below(4) == 0)
			n += sprintf(out + n, "DEFAULT op=EXECUTE action=%s\n",
				     below(2) ? "ALLOW" : "DENY");
	} else {
		for (j = 0; j < 7; j++)
			n += sprintf(out + n, "DEFAULT op=%s action=%s\n",
				     (const char *[]){ "EXECUTE", "FIRMWARE", "KMODULE",
						       "KEXEC_IMAGE", "KEXEC_INITRAMFS",
						       "POLICY", "X509_CERT" }[j],
				     below(2) ? "ALLOW" : "DENY");
	}
	while (i < nrules) {
		const char *op = ops[below(8) ? 0 : 1 + below(2)];
		unsigned int shape = below(10);

		/* Bursts of digest-only rules, long enough to be indexed. */
		burst = shape < 5 ? 1 + below(40) : 1;
		for (j = 0; j < burst && i < nrules; j++, i++) {
			n += sprintf(out + n, "op=%s", op);
			if (shape < 4) {
				n += put_prop(out + n, 0);
			} else if (shape == 4) {
				n += put_prop(out + n, 1);
			} else if (shape < 9) {
				unsigned int k, np = below(4);

				for (k = 0; k < np; k++)
					n += put_prop(out + n, below(4));
			}
			n += sprintf(out + n, " action=%s\n", below(2) ? "ALLOW" : "DENY");
			if (below(20) == 0)
				op = ops[below(3)];
		}
	}
	return n;
}

/* ---- random files ---- */

struct file_model {
	struct sigil_digest fsv, dmv;
	u32 truths;
	u32 failing;		/* SIGIL_PROP_BIT()s whose fetch fails */
	struct sigil_signer signers[__SIGIL_SIG_MAX];
	bool signed_by[__SIGIL_SIG_MAX];
};

static void random_digest(struct sigil_digest *dst, struct digest_pool *pools)
{
	struct digest_pool *d = &pools[below(4) ? 0 : 1];

	if (!below(6)) {
		dst->algo = SIGIL_HASH_NONE;
		return;
	}
	dst->algo = d->algo_id;
	dst->size = d->size;
	if (below(5))
		memcpy(dst->bytes, d->bytes[below(POOL)], d->size);
	else
		for (unsigned int i = 0; i < d->size; i++)
			dst->bytes[i] = (u8)rnd();
}

static void random_file(struct file_model *f)
{
	unsigned int k;

	memset(f, 0, sizeof(*f));
	random_digest(&f->fsv, fsv);
	random_digest(&f->dmv, dmv);
	f->truths = (u32)rnd() & SIGIL_PROPS_PARSEABLE;
	if (!below(10))
		f->failing = SIGIL_PROP_BIT(below(__SIGIL_PROP_MAX));
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		f->signed_by[k] = below(2);
		f->signers[k].nids = 1;
		f->signers[k].len[0] = 20;
		memcpy(f->signers[k].id[0], signer_ids[below(4)], 20);
	}
}

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	const struct file_model *f = facts->ctx;
	unsigned int k;

	if (f->failing & SIGIL_PROP_BIT(type))
		return -EIO;
	switch (type) {
	case SIGIL_PROP_FSVERITY_DIGEST:
		facts->fsverity_digest = f->fsv;
		break;
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		facts->dmverity_roothash = f->dmv;
		break;
	default:
		facts->truths |= f->truths & SIGIL_PROP_BIT(type);
		for (k = 0; k < __SIGIL_SIG_MAX; k++)
			if (sigil_sig_props[k] == type)
				facts->signers[k] = (f->truths & SIGIL_PROP_BIT(type)) &&
						    f->signed_by[k] ? &f->signers[k] : NULL;
	}
	return 0;
}

static void init_facts(struct sigil_facts *facts, struct file_model *f)
{
	memset(facts, 0, sizeof(*facts));
	facts->fetch = fetch;
	facts->ctx = f;
}

/* ---- the differential test ---- */

static bool same_decision(const struct sigil_decision *a, int rca,
			  const struct sigil_decision *b, int rcb)
{
	return rca == rcb && a->action == b->action && a->match == b->match &&
	       a->src == b->src && a->error == b->error &&
	       a->error_prop == b->error_prop;
}

static void test_differential(void)
{
	static char text[1 << 20];
	const unsigned int policies = 3000, files = 60;
	unsigned long decisions = 0, indexed = 0, by_index = 0;
	unsigned int i, j, op;

	case_begin();
	for (i = 0; i < policies && case_ok; i++) {
		struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
		struct sigil_parse_error err;
		struct sigil_policy *pol;
		size_t len = random_policy(text, below(i % 10 ? 60 : 400));
		int rc;

		rc = sigil_policy_parse(text, len, &opts, &pol, &err);
		case_check(rc == 0, "policy %u: line %u: %s", i, err.line, err.msg);
		if (rc)
			break;
		for (j = 0; j < pol->nruns; j++)
			indexed += pol->runs[j].mask != 0;
		for (j = 0; j < files && case_ok; j++) {
			struct file_model f;

			random_file(&f);
			for (op = 0; op <= __SIGIL_OP_MAX; op++) {
				struct sigil_facts fa, fb;
				struct sigil_decision a, b;
				int rca, rcb;

				init_facts(&fa, &f);
				init_facts(&fb, &f);
				rca = sigil_policy_decide(pol, op, &fa, &a);
				rcb = sigil_policy_decide_linear(pol, op, &fb, &b);
				decisions++;
				if (a.match == SIGIL_MATCH_RULE && b.match == SIGIL_MATCH_RULE &&
				    a.src == b.src) {
					const struct sigil_rule *r =
						(const struct sigil_rule *)((const char *)a.src -
						offsetof(struct sigil_rule, src));
					unsigned int k;

					for (k = 0; k < pol->nruns; k++)
						if (pol->runs[k].mask &&
						    r >= pol->rules + pol->runs[k].first &&
						    r < pol->rules + pol->runs[k].first +
							pol->runs[k].count)
							by_index++;
				}
				if (!same_decision(&a, rca, &b, rcb) ||
				    fa.known != fb.known) {
					case_check(0, "policy %u, file %u, op %u: compiled %d/%u/%u line %u, linear %d/%u/%u line %u; fetched %#x vs %#x\n%s",
						  i, j, op, rca, a.action, a.match,
						  a.src ? a.src->line : 0, rcb, b.action,
						  b.match, b.src ? b.src->line : 0,
						  fa.known, fb.known, text);
					break;
				}
			}
		}
		sigil_policy_free(pol);
	}
	case_check(indexed > 1000 && by_index > 1000,
		  "too few indexed runs (%lu) or decisions through them (%lu)",
		  indexed, by_index);
	case_end("compiled and linear evaluation agree: %u random policies, %lu decisions, %lu indexed runs, %lu decided through an index",
		policies, decisions, indexed, by_index);
}

/* ---- named cases ---- */

static struct sigil_policy *parse_or_die(const char *text)
{
	struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
	struct sigil_parse_error err;
	struct sigil_policy *pol;

	if (sigil_policy_parse(text, strlen(text), &opts, &pol, &err)) {
		printf("# cannot parse: line %u: %s\n", err.line, err.msg);
		exit(2);
	}
	return pol;
}

/* A policy of @n digest rules after @head; rule k has digest k. */
static char *digest_policy(const char *head, unsigned int n, const char *action)
{
	size_t size = strlen(head) + (size_t)n * 120 + 1, off;
	char *text = malloc(size);
	unsigned int k;

	off = sprintf(text, "%s", head);
	for (k = 1; k <= n; k++)
		off += sprintf(text + off,
			       "op=EXECUTE fsverity_digest=sha256:%064x action=%s\n",
			       k, action);
	return text;
}

static void file_with_digest(struct file_model *f, unsigned int k)
{
	memset(f, 0, sizeof(*f));
	f->fsv.algo = SIGIL_HASH_SHA256;
	f->fsv.size = 32;
	f->fsv.bytes[28] = (u8)(k >> 24);
	f->fsv.bytes[29] = (u8)(k >> 16);
	f->fsv.bytes[30] = (u8)(k >> 8);
	f->fsv.bytes[31] = (u8)k;
}

static void test_order_is_kept(void)
{
	char *text = digest_policy("policy_name=p policy_version=1.0.0\n"
				   "DEFAULT action=DENY\n"
				   "op=EXECUTE fsverity_signature=TRUE action=ALLOW\n",
				   100, "DENY");
	struct sigil_policy *pol = parse_or_die(text);
	struct sigil_decision d;
	struct sigil_facts facts;
	struct file_model f;

	case_begin();
	case_check(pol->nruns == 2 && pol->runs[1].mask, "runs %u", pol->nruns);
	/* Signed and listed: the earlier ALLOW wins over the DENY digest. */
	file_with_digest(&f, 77);
	f.truths = SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE);
	init_facts(&facts, &f);
	sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(d.action == SIGIL_ACTION_ALLOW && d.src->line == 3,
		  "action %u line %u", d.action, d.src ? d.src->line : 0);
	/* Unsigned and listed: the digest rule, found by the index. */
	f.truths = 0;
	init_facts(&facts, &f);
	sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(d.action == SIGIL_ACTION_DENY && d.match == SIGIL_MATCH_RULE &&
		  d.src->line == 3 + 77, "action %u line %u", d.action,
		  d.src ? d.src->line : 0);
	/* Unsigned, not listed: the DEFAULT. */
	file_with_digest(&f, 1000);
	init_facts(&facts, &f);
	sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(d.match == SIGIL_MATCH_GLOBAL_DEFAULT, "match %u", d.match);
	case_end("a DENY digest rule after an ALLOW fsverity_signature rule loses to it");
	sigil_policy_free(pol);
	free(text);
}

static void test_duplicates_and_errors(void)
{
	struct sigil_policy *pol;
	struct sigil_decision d;
	struct sigil_facts facts;
	struct file_model f;
	char *text;
	int rc;

	/* The same digest twice in one run: the first one decides. */
	text = digest_policy("policy_name=p policy_version=1.0.0\nDEFAULT action=ALLOW\n"
			     "op=EXECUTE fsverity_digest=sha256:"
			     "0000000000000000000000000000000000000000000000000000000000000005"
			     " action=DENY\n", 20, "ALLOW");
	pol = parse_or_die(text);
	case_begin();
	file_with_digest(&f, 5);
	init_facts(&facts, &f);
	sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(d.action == SIGIL_ACTION_DENY && d.src->line == 3,
		  "action %u line %u", d.action, d.src ? d.src->line : 0);
	/* A digest that cannot be read denies, naming the property. */
	f.failing = SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST);
	init_facts(&facts, &f);
	rc = sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(rc == -EIO && d.match == SIGIL_MATCH_ERROR &&
		  d.error_prop == SIGIL_PROP_FSVERITY_DIGEST, "rc %d", rc);
	/* A file without fs-verity matches no digest rule. */
	memset(&f, 0, sizeof(f));
	init_facts(&facts, &f);
	sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
	case_check(d.match == SIGIL_MATCH_GLOBAL_DEFAULT, "match %u", d.match);
	case_end("duplicate digests, fetch errors and files without fs-verity");
	sigil_policy_free(pol);
	free(text);
}

/* The budget: 96 bytes per sha256 digest rule, table included. */
static void test_memory(void)
{
	static const unsigned int sizes[] = { 1, 1000, 10000, 100000 };
	unsigned int i;

	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		char *text = digest_policy("policy_name=big policy_version=1.0.0\n"
					   "DEFAULT action=DENY\n", sizes[i], "ALLOW");
		struct sigil_policy *pol = parse_or_die(text);
		struct sigil_decision d;
		struct sigil_facts facts;
		struct file_model f;
		double per_rule = (double)pol->rule_bytes / pol->nrules;

		case_begin();
		case_check(per_rule <= 96, "%.1f bytes per rule", per_rule);
		file_with_digest(&f, sizes[i]);
		init_facts(&facts, &f);
		sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &facts, &d);
		case_check(d.action == SIGIL_ACTION_ALLOW &&
			  d.src->line == 2 + sizes[i], "the last rule decides");
		case_end("%u sha256 digest rules: %.1f bytes per rule, %zu in all",
			sizes[i], per_rule, pol->rule_bytes);
		sigil_policy_free(pol);
		free(text);
	}
}

int main(int argc, char **argv)
{
	ksft_print_header();
	fill_pools();
	test_order_is_kept();
	test_duplicates_and_errors();
	test_memory();
	test_differential();
	cases_done();
}
