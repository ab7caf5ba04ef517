// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluation of one event against the active policy: gather the facts the
 * rules ask for, decide, count, log.  This is the exec hot path: it takes
 * no lock but RCU and allocates nothing.
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
 * @file: the event's file, or NULL
 * @inode: the inode that carries its data (through overlayfs), or NULL
 */
struct sigil_file_facts {
	struct sigil_facts facts;
	const struct file *file;
	struct inode *inode;
};

static int fetch_fact(struct sigil_facts *facts, enum sigil_prop_type type)
{
	const struct sigil_file_facts *ff =
		container_of(facts, struct sigil_file_facts, facts);
	const struct file *file = ff->file;

	/* Without a file every fact is absent, so every property is FALSE. */
	if (!file)
		return 0;

	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		if (sigil_sb(file->f_path.mnt->mnt_sb)->initramfs)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		return sigil_fsverity_digest(ff->inode, &facts->fsverity_digest);
	default:
		/* The parser refuses properties this build cannot evaluate. */
		return -EOPNOTSUPP;
	}
}

/**
 * sigil_evaluate() - decide an event with the active policy
 * @ev: the event
 *
 * With no active policy everything is allowed.  A denial, and with
 * success_audit an allow, is logged with the statement that decided.
 *
 * Return:
 * * %0		- allowed, or denied in permissive mode
 * * %-EACCES	- denied
 */
int sigil_evaluate(const struct sigil_event *ev)
{
	struct sigil_file_facts ff = {
		.facts.fetch = fetch_fact,
		.file = ev->file,
	};
	struct sigil_decision d;
	struct sigil_loaded *lp;
	bool enforcing, deny;

	/*
	 * The real inode, not an overlayfs one: it carries fs-verity.  Looked
	 * up before the RCU section, as d_real() may sleep in general.
	 */
	if (ev->file)
		ff.inode = d_real_inode(ev->file->f_path.dentry);

	rcu_read_lock();
	lp = rcu_dereference(sigil_active);
	if (!lp) {
		rcu_read_unlock();
		return 0;
	}

	sigil_policy_decide(lp->policy, ev->op, &ff.facts, &d);
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
		sigil_log_decision(ev, lp, &d, enforcing);
	rcu_read_unlock();

	return deny && enforcing ? -EACCES : 0;
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
