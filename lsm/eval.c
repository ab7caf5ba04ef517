// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluation of one event against the active policy: gather the facts the
 * rules ask for, decide, count, log; or, for sigil/explain, the same
 * decision with the facts it rested on.  This is the exec hot path: once the
 * file's signatures are in the verdict cache it takes no lock but RCU and
 * allocates nothing.
 */

#include "sigil.h"

#include <linux/dcache.h>
#include <linux/mount.h>
#include <linux/percpu.h>

const char *const sigil_hook_names[__SIGIL_HOOK_MAX] = {
	[SIGIL_HOOK_BPRM_CHECK]		= "BPRM_CHECK",
	[SIGIL_HOOK_MMAP]		= "MMAP",
	[SIGIL_HOOK_MPROTECT]		= "MPROTECT",
	[SIGIL_HOOK_KERNEL_READ]	= "KERNEL_READ",
	[SIGIL_HOOK_KERNEL_LOAD]	= "KERNEL_LOAD",
};

static DEFINE_PER_CPU(struct sigil_counters, sigil_counters);

/**
 * struct sigil_file_facts - facts about an event's file, and where they
 *			     come from
 * @facts: what the shared evaluator reads; its @fetch fills it in
 * @target: the event's file, the inode that carries its data (through
 *	    overlayfs), and whether it may be read; NULL file and inode
 *	    when the event has no file
 * @need: the signature kind whose verification a fetch found missing,
 *	  or -1
 * @filled: BIT() of each signature kind verified during this event
 * @failed: BIT() of each signature kind whose verification failed
 * @error: the errno of the failed verification
 * @why: what failed
 * @local: per kind, the result verified during this event
 * @seen: per kind, what the rules looked at, for the log
 *
 * A result verified during the event is used even when a concurrent change
 * kept it out of the cache: it was true at a moment within the event.
 */
struct sigil_file_facts {
	struct sigil_facts facts;
	struct sigil_target target;
	int need;
	u8 filled;
	u8 failed;
	int error;
	struct pgp_error why;
	struct sigil_sig_result local[__SIGIL_SIG_MAX];
	struct sigil_sig_report seen;
};

static int fetch_signature(struct sigil_file_facts *ff, unsigned int kind)
{
	const struct sigil_sig_result *res;

	if (ff->failed & BIT(kind))
		return ff->error;
	if (ff->filled & BIT(kind)) {
		res = &ff->local[kind];
	} else {
		res = sigil_cache_lookup(&ff->target, kind);
		if (!res) {
			ff->need = kind;
			return -EAGAIN;
		}
	}
	ff->seen.looked |= BIT(kind);
	ff->seen.state[kind] = res->state;
	if (res->state == SIGIL_SIG_VALID) {
		ff->facts.truths |= SIGIL_PROP_BIT(sigil_sig_props[kind]);
		ff->facts.signers[kind] = &res->signer;
	}
	return 0;
}

static int fetch_fact(struct sigil_facts *facts, enum sigil_prop_type type)
{
	struct sigil_file_facts *ff =
		container_of(facts, struct sigil_file_facts, facts);
	const struct file *file = ff->target.file;

	/* Without a file every fact is absent, so every property is FALSE. */
	if (!file)
		return 0;

	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		if (sigil_sb(file->f_path.mnt->mnt_sb)->initramfs)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		return sigil_fsverity_digest(ff->target.inode, &facts->fsverity_digest);
	case SIGIL_PROP_FSVERITY_SIGNATURE:
		return fetch_signature(ff, SIGIL_SIG_FSVERITY);
	case SIGIL_PROP_IMA_SIGNATURE:
		return fetch_signature(ff, SIGIL_SIG_IMA);
	case SIGIL_PROP_PGP_SIGNATURE:
		return fetch_signature(ff, SIGIL_SIG_PGP);
	case SIGIL_PROP_DMVERITY_ROOTHASH:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		/* One report answers both, so that they describe one table. */
		ff->seen.dmverity = sigil_dmverity_facts(ff->target.inode, facts);
		ff->seen.roothash = &facts->dmverity_roothash;
		facts->known |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
				SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
		return 0;
	default:
		/* The parser refuses properties this build cannot evaluate. */
		return -EOPNOTSUPP;
	}
}

/* Verify signature kind ff->need, outside RCU; remember an error. */
static void fill(struct sigil_file_facts *ff)
{
	unsigned int kind = ff->need;
	int rc;

	/* A fresh record: pgp_fail() keeps the first error it is given. */
	memset(&ff->why, 0, sizeof(ff->why));
	rc = sigil_cache_fill(&ff->target, kind, &ff->local[kind], &ff->why);
	if (!rc) {
		ff->filled |= BIT(kind);
		return;
	}
	ff->failed |= BIT(kind);
	ff->error = rc;
	ff->seen.error_kind = kind;
	if (!ff->why.msg[0])
		pgp_fail(&ff->why, rc, 0, "verification failed");
	ff->seen.why = ff->why.msg;
}

/*
 * Decide @ev with the active policy: the one evaluation behind both the
 * hooks and sigil/explain.  Returns with the RCU read lock held, which
 * keeps the policy and every fact that @ff points to alive, and with the
 * policy that decided, or NULL when none is active.
 *
 * A rule that needs a signature which is not in the per-inode cache stops
 * the evaluation; the signature is verified outside the RCU section, where
 * that may sleep, and the evaluation starts again.  Each kind is verified
 * at most once per event, so it starts at most once per kind.  When every
 * result is cached, nothing here sleeps or allocates.
 *
 * @quiet asks the cache to count nothing and keep nothing (an explanation
 * is not an event); it changes no decision.
 */
static struct sigil_loaded *decide(const struct sigil_event *ev,
				   struct sigil_file_facts *ff,
				   struct sigil_decision *d, bool quiet)
	__acquires(RCU)
{
	struct sigil_loaded *lp;

	memset(ff, 0, sizeof(*ff));
	ff->target.file = ev->file;
	ff->target.no_content = ev->hook == SIGIL_HOOK_MPROTECT;
	ff->target.quiet = quiet;
	ff->seen.error_kind = -1;
	/*
	 * The real inode, not an overlayfs one: it carries fs-verity.  Looked
	 * up before the RCU section, as d_real() may sleep in general.
	 */
	if (ev->file)
		ff->target.inode = d_real_inode(ev->file->f_path.dentry);

	for (;;) {
		memset(&ff->facts, 0, sizeof(ff->facts));
		ff->facts.fetch = fetch_fact;
		ff->need = -1;
		ff->seen.looked = 0;
		ff->seen.dmverity = SIGIL_DMV_NOT_LOOKED;

		rcu_read_lock();
		lp = rcu_dereference(sigil_active);
		if (!lp)
			return NULL;
		sigil_policy_decide(lp->policy, ev->op, &ff->facts, d);
		if (d->match != SIGIL_MATCH_ERROR || d->error != -EAGAIN ||
		    ff->need < 0)
			return lp;
		rcu_read_unlock();
		fill(ff);
	}
}

/**
 * sigil_evaluate() - decide an event with the active policy
 * @ev: the event
 *
 * With no active policy everything is allowed.  A denial, and with
 * success_audit an allow, is logged with the statement that decided.
 * Once the file's signatures are in the verdict cache, nothing here
 * sleeps or allocates (see decide()).
 *
 * Return:
 * * %0		- allowed, or denied in permissive mode
 * * %-EACCES	- denied
 */
int sigil_evaluate(const struct sigil_event *ev)
{
	struct sigil_file_facts ff;
	struct sigil_decision d;
	struct sigil_loaded *lp;
	bool enforcing, deny;

	lp = decide(ev, &ff, &d, false);
	if (!lp) {
		rcu_read_unlock();
		return 0;
	}

	deny = d.action != SIGIL_ACTION_ALLOW;
	enforcing = READ_ONCE(sigil_enforce);

	if (d.match == SIGIL_MATCH_ERROR)
		this_cpu_inc(sigil_counters.errors);
	if (!deny)
		this_cpu_inc(sigil_counters.allowed);
	else if (enforcing)
		this_cpu_inc(sigil_counters.denied);
	else
		this_cpu_inc(sigil_counters.permissive);

	if (deny || READ_ONCE(sigil_success_audit))
		sigil_log_decision(ev, lp, &d, &ff.seen, enforcing);
	rcu_read_unlock();

	return deny && enforcing ? -EACCES : 0;
}

/**
 * sigil_explain() - decide an event as sigil_evaluate() would, and say why
 * @ev: the event
 * @x: the decision, the policy that made it and the facts the rules
 *     looked at, copied out of the RCU section
 *
 * The same evaluation as sigil_evaluate(), with nothing enforced, counted
 * or logged, and with signature verdicts neither counted nor stored in the
 * cache.  The caller drops @x->lp with sigil_policy_put() when it is set.
 *
 * Context: process context; may sleep to verify a signature.
 */
void sigil_explain(const struct sigil_event *ev, struct sigil_explanation *x)
{
	struct sigil_file_facts ff;
	unsigned int k;

	memset(x, 0, sizeof(*x));
	x->lp = decide(ev, &ff, &x->d, true);
	x->enforcing = READ_ONCE(sigil_enforce);
	if (!x->lp) {
		rcu_read_unlock();
		return;
	}
	/*
	 * The active policy's reference from the list of loaded policies
	 * outlives this RCU section: deleting or replacing a policy waits for
	 * readers (synchronize_rcu()) before dropping it.
	 */
	kref_get(&x->lp->ref);
	x->known = ff.facts.known;
	x->truths = ff.facts.truths;
	x->fsverity_digest = ff.facts.fsverity_digest;
	x->dmverity_roothash = ff.facts.dmverity_roothash;
	/* Cached verdicts are only valid under RCU: copy their signers. */
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (ff.facts.signers[k])
			x->signers[k] = *ff.facts.signers[k];
	rcu_read_unlock();

	x->seen = ff.seen;
	x->seen.roothash = &x->dmverity_roothash;
	if (ff.seen.why) {
		strscpy(x->why, ff.seen.why, sizeof(x->why));
		x->seen.why = x->why;
	}
}

/**
 * sigil_read_counters() - sum the per-CPU decision counters
 * @sum: the totals
 */
void sigil_read_counters(struct sigil_counters *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct sigil_counters *c = per_cpu_ptr(&sigil_counters, cpu);

		sum->allowed += READ_ONCE(c->allowed);
		sum->denied += READ_ONCE(c->denied);
		sum->permissive += READ_ONCE(c->permissive);
		sum->errors += READ_ONCE(c->errors);
	}
}
