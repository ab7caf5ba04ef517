// SPDX-License-Identifier: GPL-2.0-only
/*
 * Compiling a parsed policy for evaluation: each operation's rules are cut
 * into runs.  A run of rules that each test one exact digest and nothing
 * else gets a hash table, so that 100,000 allowlisted digests cost one
 * lookup; every other rule is checked in order, as written.
 */

#include "policy.h"

/* A rule that tests exactly one digest property: the property, else NULL. */
static const struct sigil_prop *digest_only(const struct sigil_policy *pol,
					    const struct sigil_rule *r)
{
	const struct sigil_prop *prop;

	if (r->nprops != 1)
		return NULL;
	prop = pol->props + r->first_prop;
	if (prop->type != SIGIL_PROP_FSVERITY_DIGEST &&
	    prop->type != SIGIL_PROP_DMVERITY_ROOTHASH)
		return NULL;
	return prop;
}

/**
 * sigil_digest_hash() - the hash table key of a digest
 * @type: the property, enum sigil_prop_type
 * @algo: the digest's enum sigil_hash_algo
 * @bytes: the digest
 * @size: its size
 *
 * FNV-1a over every byte, then a final mix: policy digests need not be
 * random (test policies count 1, 2, 3...), so no part of them is trusted
 * to spread the keys alone.
 *
 * Return: 32 bits of hash.
 */
u32 sigil_digest_hash(u8 type, u8 algo, const u8 *bytes, unsigned int size)
{
	u64 h = 0xcbf29ce484222325ull;
	unsigned int i;

	h = (h ^ type) * 0x100000001b3ull;
	h = (h ^ algo) * 0x100000001b3ull;
	for (i = 0; i < size; i++)
		h = (h ^ bytes[i]) * 0x100000001b3ull;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return (u32)h;
}

/* Does rule @r test the same digest as @prop? */
static bool same_digest(const struct sigil_policy *pol, u32 r,
			const struct sigil_prop *prop)
{
	const struct sigil_prop *other = pol->props + pol->rules[r].first_prop;

	return other->value == prop->value && other->size == prop->size &&
	       !memcmp(pol->values + other->off, pol->values + prop->off,
		       prop->size);
}

/* Fill the hash table of @run.  Only the first rule of each digest goes in. */
static void fill_table(struct sigil_policy *pol, const struct sigil_run *run)
{
	u32 *slots = pol->slots + run->slot;
	u32 i;

	for (i = run->first; i < run->first + run->count; i++) {
		const struct sigil_prop *prop = pol->props + pol->rules[i].first_prop;
		u32 h = sigil_digest_hash(prop->type, prop->value,
					  pol->values + prop->off, prop->size);

		for (;; h++) {
			u32 *s = &slots[h & run->mask];

			if (!*s) {
				*s = i + 1;
				break;
			}
			if (same_digest(pol, *s - 1, prop))
				break;	/* a later duplicate can never match first */
		}
	}
}

static u32 table_slots(u32 count)
{
	u32 n = 16;

	/* At most half full: short probes whatever the file's digest. */
	while (n < 2 * count)
		n <<= 1;
	return n;
}

/*
 * Cut the rules of @op into runs, appending to @runs when it is not NULL.
 * Return the number of runs; *@nslots grows by the slots they need.
 */
static u32 cut_runs(const struct sigil_policy *pol, unsigned int op,
		    struct sigil_run *runs, u32 *nslots)
{
	const struct sigil_op_rules *o = &pol->ops[op];
	u32 i = o->first, end = o->first + o->count, n = 0;

	while (i < end) {
		const struct sigil_prop *prop = digest_only(pol, &pol->rules[i]);
		u32 j = i + 1;
		struct sigil_run run = { .first = i };

		if (prop) {
			while (j < end) {
				const struct sigil_prop *next =
					digest_only(pol, &pol->rules[j]);

				if (!next || next->type != prop->type)
					break;
				j++;
			}
		}
		if (prop && j - i >= SIGIL_RUN_INDEX_MIN) {
			run.count = j - i;
			run.type = prop->type;
			run.slot = *nslots;
			run.mask = table_slots(run.count) - 1;
			*nslots += run.mask + 1;
		} else {
			/* Checked in order, up to the next indexable run. */
			for (j = i + 1; j < end; j++) {
				const struct sigil_prop *p = digest_only(pol, &pol->rules[j]);
				u32 k = j + 1;

				if (!p)
					continue;
				while (k < end && k - j < SIGIL_RUN_INDEX_MIN) {
					const struct sigil_prop *q =
						digest_only(pol, &pol->rules[k]);

					if (!q || q->type != p->type)
						break;
					k++;
				}
				if (k - j >= SIGIL_RUN_INDEX_MIN)
					break;
			}
			run.count = j - i;
		}
		if (runs)
			runs[n] = run;
		n++;
		i += run.count;
	}
	return n;
}

/**
 * sigil_policy_compile() - build the runs and hash tables of a policy
 * @pol: a policy from the parser; its rules are grouped by operation
 *
 * Runs in time linear in the number of rules.  The memory is accounted in
 * @pol->rule_bytes and @pol->mem_bytes.
 *
 * Return: 0, or -ENOMEM (the policy is then unusable).
 */
int sigil_policy_compile(struct sigil_policy *pol)
{
	u32 nruns = 0, nslots = 0, counted = 0;
	unsigned int op;

	for (op = 0; op < __SIGIL_OP_MAX; op++)
		nruns += cut_runs(pol, op, NULL, &counted);
	if (!nruns)
		return 0;	/* no rules: DEFAULTs only */
	pol->runs = sigil_alloc((size_t)nruns * sizeof(*pol->runs));
	if (!pol->runs)
		return -ENOMEM;
	if (counted) {
		pol->slots = sigil_zalloc((size_t)counted * sizeof(*pol->slots));
		if (!pol->slots)
			return -ENOMEM;
	}
	pol->nruns = 0;
	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		u32 i;

		pol->ops[op].first_run = pol->nruns;
		pol->ops[op].nruns = cut_runs(pol, op, pol->runs + pol->nruns,
					      &nslots);
		for (i = 0; i < pol->ops[op].nruns; i++)
			if (pol->runs[pol->nruns + i].mask)
				fill_table(pol, &pol->runs[pol->nruns + i]);
		pol->nruns += pol->ops[op].nruns;
		sigil_cond_resched();
	}
	pol->nslots = nslots;
	pol->rule_bytes += (size_t)pol->nruns * sizeof(*pol->runs) +
			   (size_t)pol->nslots * sizeof(*pol->slots);
	pol->mem_bytes += (size_t)pol->nruns * sizeof(*pol->runs) +
			  (size_t)pol->nslots * sizeof(*pol->slots);
	return 0;
}

/**
 * sigil_indexed_rules() - how many rules a hash lookup decides
 * @pol: a compiled policy
 *
 * Return: the number of rules in indexed runs.
 */
u32 sigil_indexed_rules(const struct sigil_policy *pol)
{
	u32 i, n = 0;

	for (i = 0; i < pol->nruns; i++)
		if (pol->runs[i].mask)
			n += pol->runs[i].count;
	return n;
}
