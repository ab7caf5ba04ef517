// SPDX-License-Identifier: GPL-2.0-only
/*
 * Deciding with a compiled policy: first matching rule of the operation,
 * else the operation's DEFAULT, else the global DEFAULT.  Facts about the
 * file are fetched lazily, and an error while fetching one denies.
 */

#include "policy.h"
#include "manifest.h"

/* Fetch the fact behind property @type unless it is already known. */
static int need_fact(struct sigil_facts *facts, enum sigil_prop_type type)
{
	int rc;

	if (facts->known & SIGIL_PROP_BIT(type))
		return 0;
	if (!facts->fetch)
		return -ENODATA;
	rc = facts->fetch(facts, type);
	if (rc)
		return rc;
	facts->known |= SIGIL_PROP_BIT(type);
	return 0;
}

/* The property of each signature kind. */
const u8 sigil_sig_props[__SIGIL_SIG_MAX] = {
	[SIGIL_SIG_FSVERITY]	= SIGIL_PROP_FSVERITY_SIGNATURE,
	[SIGIL_SIG_IMA]		= SIGIL_PROP_IMA_SIGNATURE,
	[SIGIL_SIG_PGP]		= SIGIL_PROP_PGP_SIGNATURE,
};

/* The name of each signature kind, in "ima_sig=valid" and "ima_signer=". */
const char *const sigil_sig_kind_names[__SIGIL_SIG_MAX] = {
	[SIGIL_SIG_FSVERITY]	= "fsverity",
	[SIGIL_SIG_IMA]		= "ima",
	[SIGIL_SIG_PGP]		= "pgp",
};

/**
 * sigil_signer_matches() - does a signer= value name this key?
 * @signer: the key that made a signature
 * @id: the value: a fingerprint, a key ID, or a subject key identifier
 * @len: its length
 *
 * A value matches an identifier it equals.  An 8-byte value, a key ID,
 * also matches the end of a 20-byte fingerprint.
 *
 * Return: true when it matches.
 */
bool sigil_signer_matches(const struct sigil_signer *signer, const u8 *id,
			  unsigned int len)
{
	unsigned int i;

	for (i = 0; i < signer->nids && i < SIGIL_SIGNER_IDS; i++) {
		if (signer->len[i] == len && !memcmp(signer->id[i], id, len))
			return true;
		if (len == 8 && signer->len[i] == 20 &&
		    !memcmp(signer->id[i] + 12, id, 8))
			return true;
	}
	return false;
}

/* Does any of @signers, per enum sigil_sig_kind, name key @id? */
static bool any_signer_matches(const struct sigil_signer *const *signers,
			       const u8 *id, unsigned int len)
{
	unsigned int k;

	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (signers[k] && sigil_signer_matches(signers[k], id, len))
			return true;
	return false;
}

/*
 * signer=ID holds when the signatures its rule requires were all made by
 * ID; in a rule that requires none, when any signature of the file was.
 */
static int signer_holds(const struct sigil_policy *pol,
			const struct sigil_prop *prop,
			struct sigil_facts *facts)
{
	bool any = !prop->value;
	unsigned int k;
	int rc;

	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		bool made;

		if (!any && !(prop->value & (1u << k)))
			continue;
		rc = need_fact(facts, sigil_sig_props[k]);
		if (rc)
			return rc;
		made = facts->signers[k] &&
		       sigil_signer_matches(facts->signers[k],
					    pol->values + prop->off, prop->size);
		if (any && made)
			return 1;
		if (!any && !made)
			return 0;
	}
	return !any;
}

static bool digest_matches(const struct sigil_policy *pol,
			   const struct sigil_prop *prop,
			   const struct sigil_digest *have)
{
	return have->algo == prop->value && have->size == prop->size &&
	       !memcmp(pol->values + prop->off, have->bytes, prop->size);
}

/*
 * manifest=NAME[@MIN] holds when one of the manifests that list the file
 * (under the path it is used through, with its digest) has that name and
 * a version of at least MIN; manifest=ANY when there is one.
 */
static int manifest_holds(const struct sigil_policy *pol,
			  const struct sigil_prop *prop,
			  struct sigil_facts *facts)
{
	const u8 *name = pol->values + prop->off + sizeof(u64);
	u32 i, n;
	u64 min;
	int rc;

	rc = need_fact(facts, SIGIL_PROP_MANIFEST);
	if (rc)
		return rc;
	n = facts->nmanifests;
	memcpy(&min, pol->values + prop->off, sizeof(min));
	if (n > SIGIL_MANIFEST_MATCHES)
		n = SIGIL_MANIFEST_MATCHES;
	for (i = 0; i < n; i++) {
		const struct sigil_manifest *m = facts->manifests[i];

		if (!m)
			continue;
		if (prop->size && (strlen(m->name) != prop->size ||
				   memcmp(m->name, name, prop->size)))
			continue;
		if (prop->value && sigil_manifest_version(m) < min)
			continue;
		return 1;
	}
	return 0;
}

/*
 * Return 1 when @prop holds for the file, 0 when it does not, or a negative
 * errno when the fact behind it could not be determined.
 */
static int prop_holds(const struct sigil_policy *pol,
		      const struct sigil_prop *prop, struct sigil_facts *facts)
{
	int rc;

	if (prop->type == SIGIL_PROP_SIGNER)
		return signer_holds(pol, prop, facts);
	if (prop->type == SIGIL_PROP_MANIFEST)
		return manifest_holds(pol, prop, facts);
	rc = need_fact(facts, prop->type);
	if (rc)
		return rc;
	switch (prop->type) {
	case SIGIL_PROP_FSVERITY_DIGEST:
		return digest_matches(pol, prop, &facts->fsverity_digest);
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		return digest_matches(pol, prop, &facts->dmverity_roothash);
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		return digest_matches(pol, prop, &facts->program_fsverity_digest);
	case SIGIL_PROP_PROGRAM_SIGNER:
		return any_signer_matches(facts->program_signers,
					  pol->values + prop->off, prop->size);
	case SIGIL_PROP_ANONYMOUS:
	case SIGIL_PROP_BOOT_VERIFIED:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
	case SIGIL_PROP_FSVERITY_SIGNATURE:
	case SIGIL_PROP_IMA_SIGNATURE:
	case SIGIL_PROP_PGP_SIGNATURE:
		return !!(facts->truths & SIGIL_PROP_BIT(prop->type)) ==
		       !!prop->value;
	default:
		/* The parser produces no other type: refuse, never allow. */
		return -EINVAL;
	}
}

static void decide_default(const struct sigil_policy *pol, unsigned int op,
			   struct sigil_decision *d)
{
	if (op < __SIGIL_OP_MAX &&
	    pol->ops[op].default_action != SIGIL_ACTION_NONE) {
		d->action = pol->ops[op].default_action;
		d->match = SIGIL_MATCH_OP_DEFAULT;
		d->src = &pol->ops[op].default_src;
	} else if (pol->global_default != SIGIL_ACTION_NONE) {
		d->action = pol->global_default;
		d->match = SIGIL_MATCH_GLOBAL_DEFAULT;
		d->src = &pol->global_default_src;
	} else {
		/* Only an unknown operation gets here: validation saw to it. */
		d->action = SIGIL_ACTION_DENY;
		d->match = SIGIL_MATCH_ERROR;
		d->error = -EINVAL;
		d->error_prop = __SIGIL_PROP_MAX;
	}
}

/* Fill @d with the denial for a fact that could not be fetched. */
static int decide_error(struct sigil_decision *d, int err, u8 prop)
{
	d->action = SIGIL_ACTION_DENY;
	d->match = SIGIL_MATCH_ERROR;
	d->error = err;
	d->error_prop = prop;
	return err;
}

/*
 * Does rule @r match?  1 or 0; on an error, fill @d with the denial and
 * return the negative errno.
 */
static int rule_matches(const struct sigil_policy *pol,
			const struct sigil_rule *r, struct sigil_facts *facts,
			struct sigil_decision *d)
{
	const struct sigil_prop *prop, *last;
	int holds = 1;

	if (!r->nprops)
		return 1;	/* pol->props may be NULL */
	prop = pol->props + r->first_prop;
	last = prop + r->nprops;
	for (; prop < last; prop++) {
		holds = prop_holds(pol, prop, facts);
		if (holds < 0)
			return decide_error(d, holds, prop->type);
		if (!holds)
			return 0;
	}
	return 1;
}

static void decide_rule(const struct sigil_rule *r, struct sigil_decision *d)
{
	d->action = r->action;
	d->match = SIGIL_MATCH_RULE;
	d->src = &r->src;
}

/*
 * Check rules [@r, @end) in order: 1 when one matched and decided @d, 0
 * when none did, or the negative errno of a failed fetch (@d is the denial).
 */
static int first_match(const struct sigil_policy *pol,
		       const struct sigil_rule *r, const struct sigil_rule *end,
		       struct sigil_facts *facts, struct sigil_decision *d)
{
	int rc;

	for (; r < end; r++) {
		rc = rule_matches(pol, r, facts, d);
		if (rc) {
			if (rc > 0)
				decide_rule(r, d);
			return rc;
		}
	}
	return 0;
}

/*
 * The first rule of an indexed run that tests the file's digest, or NULL.
 * The run's property was tested by the caller: its fact is known.
 */
static const struct sigil_rule *lookup(const struct sigil_policy *pol,
				       const struct sigil_run *run,
				       const struct sigil_facts *facts)
{
	const struct sigil_digest *have = run->type == SIGIL_PROP_FSVERITY_DIGEST ?
					  &facts->fsverity_digest :
					  &facts->dmverity_roothash;
	const u32 *slots = pol->slots + run->slot;
	u32 h;

	if (have->algo == SIGIL_HASH_NONE)
		return NULL;
	h = sigil_digest_hash(run->type, have->algo, have->bytes, have->size);
	for (;; h++) {
		u32 s = slots[h & run->mask];
		const struct sigil_rule *r;

		if (!s)
			return NULL;
		r = pol->rules + s - 1;
		if (digest_matches(pol, pol->props + r->first_prop, have))
			return r;
	}
}

/**
 * sigil_policy_decide() - decide one event
 * @pol: the policy, compiled (sigil_policy_parse() compiles it)
 * @op: the event's enum sigil_op, or %SIGIL_OP_INVALID when it maps to none
 * @facts: what is known about the event's file; completed on demand
 * @decision: the outcome, always filled in
 *
 * The first matching rule decides, as if every rule were checked in order;
 * a run of digest rules costs one hash lookup, whatever its length.
 * Allocates nothing and does not sleep unless @facts->fetch does.
 *
 * Return:
 * * %0		- @decision holds the deciding rule or DEFAULT
 * * %-errno	- a fact could not be fetched, or @op has no DEFAULT;
 *		  @decision is a denial with %SIGIL_MATCH_ERROR
 */
int sigil_policy_decide(const struct sigil_policy *pol, unsigned int op,
			struct sigil_facts *facts,
			struct sigil_decision *decision)
{
	const struct sigil_run *run, *runs_end;

	memset(decision, 0, sizeof(*decision));
	if (op >= __SIGIL_OP_MAX || !pol->ops[op].nruns) {
		decide_default(pol, op, decision);
		return decision->error;
	}

	run = pol->runs + pol->ops[op].first_run;
	runs_end = run + pol->ops[op].nruns;
	for (; run < runs_end; run++) {
		const struct sigil_rule *r = pol->rules + run->first;
		const struct sigil_rule *end = r + run->count;
		int rc;

		if (run->mask) {
			/* What the run's first rule would fetch, and fail on. */
			rc = need_fact(facts, run->type);
			if (rc)
				return decide_error(decision, rc, run->type);
			r = lookup(pol, run, facts);
			if (r) {
				decide_rule(r, decision);
				return 0;
			}
			continue;
		}
		rc = first_match(pol, r, end, facts, decision);
		if (rc)
			return rc < 0 ? rc : 0;
	}
	decide_default(pol, op, decision);
	return 0;
}

/**
 * sigil_rule_props() - what the deciding rule required of the file
 * @pol: the policy that decided
 * @decision: a decision that @pol made
 *
 * Return: SIGIL_PROP_BIT() of each property that the deciding rule
 * requires to hold positively (a boolean TRUE, a digest, a signer, a
 * manifest); 0 when a DEFAULT or an error decided.
 */
u32 sigil_rule_props(const struct sigil_policy *pol,
		     const struct sigil_decision *decision)
{
	const struct sigil_rule *r;
	const struct sigil_prop *prop;
	u32 props = 0, i;

	if (decision->match != SIGIL_MATCH_RULE)
		return 0;
	r = container_of(decision->src, struct sigil_rule, src);
	for (i = 0; i < r->nprops; i++) {
		prop = pol->props + r->first_prop + i;
		if (prop->value || prop->size ||
		    prop->type == SIGIL_PROP_MANIFEST)
			props |= SIGIL_PROP_BIT(prop->type);
	}
	return props;
}

#ifndef __KERNEL__
/**
 * sigil_policy_decide_linear() - decide one event, every rule in order
 * @pol: the policy
 * @op: the event's operation
 * @facts: what is known about the event's file
 * @decision: the outcome
 *
 * The reference that sigil_policy_decide() must agree with: no runs, no
 * index.  Built for the host tests and the fuzzers only.
 *
 * Return: as sigil_policy_decide().
 */
int sigil_policy_decide_linear(const struct sigil_policy *pol, unsigned int op,
			       struct sigil_facts *facts,
			       struct sigil_decision *decision)
{
	const struct sigil_rule *r;
	int rc;

	memset(decision, 0, sizeof(*decision));
	if (op >= __SIGIL_OP_MAX || !pol->ops[op].count) {
		decide_default(pol, op, decision);
		return decision->error;
	}
	r = pol->rules + pol->ops[op].first;
	rc = first_match(pol, r, r + pol->ops[op].count, facts, decision);
	if (rc)
		return rc < 0 ? rc : 0;
	decide_default(pol, op, decision);
	return 0;
}
#endif /* !__KERNEL__ */
