// SPDX-License-Identifier: GPL-2.0-only
/*
 * Evaluation of one event against the active policy: gather the facts the
 * rules ask for, decide, count, log; or, for sigil/explain, the same
 * decision with the facts it rested on.  This is the exec hot path: once the
 * file's signatures are in the verdict cache it takes no lock but RCU and
 * allocates nothing.
 */

#include "sigil.h"
#include "eval.h"
#include "cache.h"
#include "signature.h"
#include "dmverity.h"
#include "lifecycle.h"
#include "manifests.h"
#include "log.h"
#include "audit.h"

#include <linux/dcache.h>
#include <linux/file.h>
#include <linux/mm.h>
#include <linux/mount.h>
#include <linux/percpu.h>
#include <linux/slab.h>

const char *const sigil_hook_names[__SIGIL_HOOK_MAX] = {
	[SIGIL_HOOK_BPRM_CHECK]		= "BPRM_CHECK",
	[SIGIL_HOOK_MMAP]		= "MMAP",
	[SIGIL_HOOK_MMAP_ADDR]		= "MMAP_ADDR",
	[SIGIL_HOOK_MMAP_BACKING]	= "MMAP_BACKING",
	[SIGIL_HOOK_MPROTECT]		= "MPROTECT",
	[SIGIL_HOOK_KERNEL_READ]	= "KERNEL_READ",
	[SIGIL_HOOK_KERNEL_LOAD]	= "KERNEL_LOAD",
};

const char *const sigil_memory_names[__SIGIL_MEM_MAX] = {
	[SIGIL_MEM_FILE]	= "file",
	[SIGIL_MEM_ANONYMOUS]	= "anonymous",
	[SIGIL_MEM_WRITABLE]	= "writable-private",
	[SIGIL_MEM_COPIED]	= "copied-private",
};

static DEFINE_PER_CPU(struct sigil_counters, sigil_counters);

/**
 * sigil_target_set() - point a verification target at a file
 * @t: the target; its @no_content and @quiet are left as they are
 * @file: the file
 *
 * Only a regular file open for reading has facts: anything else (a device
 * node, a descriptor opened for writing only) is decided as if it had no
 * file, without being read.
 *
 * Context: process context, outside RCU: d_real() may sleep.
 * Return: true when @t now describes @file, false when @file has no facts.
 */
bool sigil_target_set(struct sigil_target *t, struct file *file)
{
	t->file = NULL;
	if (!S_ISREG(file_inode(file)->i_mode) || !(file->f_mode & FMODE_READ))
		return false;
	t->file = file;
	t->inode = d_real_inode(file->f_path.dentry);
	t->xattr = file_user_path(file)->dentry;
	t->meta = d_inode(d_real(t->xattr, D_REAL_METADATA));
	t->gen = atomic64_read_acquire(&sigil_inode(t->inode)->gen);
	return true;
}

/* The subjects of an event: its file, and the running program. */
enum sigil_subject_id {
	SIGIL_SUBJ_FILE,
	SIGIL_SUBJ_PROGRAM,
	__SIGIL_SUBJ_MAX
};

/**
 * struct sigil_subject - a file whose facts an event looks at, and what its
 *			  signatures came to during the event
 * @target: the file; a NULL file when there is none
 * @id: enum sigil_subject_id
 * @filled: BIT() of each signature kind verified during this event
 * @failed: BIT() of each signature kind whose verification failed
 */
struct sigil_subject {
	struct sigil_target target;
	u8 id;
	u8 filled;
	u8 failed;
};

/**
 * struct sigil_verified - what verifying during an event produced
 * @local: per subject and kind, the result verified during this event
 * @why: what failed
 *
 * A result verified during the event is used even when a concurrent change
 * kept it out of the cache: it was true at a moment within the event.
 * Only an event that verifies needs this, and verifying allocates anyway:
 * it is allocated then, and an event answered from the cache has none.
 */
struct sigil_verified {
	struct sigil_sig_result local[__SIGIL_SUBJ_MAX][__SIGIL_SIG_MAX];
	struct pgp_error why;
};

/**
 * struct sigil_file_facts - facts about an event, and where they come from
 * @facts: what the shared evaluator reads; its @fetch fills it in
 * @file: the event's file; no file for an event without one
 * @program: the running program's executable, once @program_found
 * @program_found: @program was looked up (it may have none: a kernel thread)
 * @exe: the reference to the executable that @program holds
 * @need: the subject whose signature kind @need_kind a fetch found missing
 * @need_kind: that kind
 * @need_program: a fetch needs @program looked up first
 * @error: the errno of the failed verification
 * @verified: the results of verifications during the event, or NULL
 * @mf: the content digest that manifests' content= entries compare with
 * @seen: what the rules looked at, for the log
 *
 * The caller ends the event with end_event(), after rcu_read_unlock().
 */
struct sigil_file_facts {
	struct sigil_facts facts;
	struct sigil_subject file;
	struct sigil_subject program;
	bool program_found;
	struct file *exe;
	struct sigil_subject *need;
	unsigned int need_kind;
	bool need_program;
	int error;
	struct sigil_verified *verified;
	struct sigil_manifest_file mf;
	struct sigil_sig_report seen;
};

static void end_event(struct sigil_file_facts *ff)
{
	if (ff->exe)
		fput(ff->exe);
	kfree(ff->verified);
}

static int fetch_signature(struct sigil_file_facts *ff,
			   struct sigil_subject *subj, unsigned int kind)
{
	bool program = subj == &ff->program;
	const struct sigil_sig_result *res;

	if (subj->failed & BIT(kind))
		return ff->error;
	if (subj->filled & BIT(kind)) {
		res = &ff->verified->local[subj->id][kind];
	} else {
		res = sigil_cache_lookup(&subj->target, kind);
		if (!res) {
			ff->need = subj;
			ff->need_kind = kind;
			return -EAGAIN;
		}
	}
	if (program) {
		ff->seen.program_looked |= BIT(kind);
		ff->seen.program_state[kind] = res->state;
		if (res->state == SIGIL_SIG_VALID)
			ff->facts.program_signers[kind] = &res->signer;
		return 0;
	}
	ff->seen.looked |= BIT(kind);
	ff->seen.state[kind] = res->state;
	if (res->state == SIGIL_SIG_VALID) {
		ff->facts.truths |= SIGIL_PROP_BIT(sigil_sig_props[kind]);
		ff->facts.signers[kind] = &res->signer;
	}
	return 0;
}

/* The running program's facts: its fs-verity digest, its signers. */
static int fetch_program(struct sigil_file_facts *ff,
			 enum sigil_prop_type type)
{
	unsigned int k;
	int rc;

	if (!ff->program_found) {
		ff->need_program = true;
		return -EAGAIN;
	}
	if (!ff->program.target.file)
		return 0;	/* no program: its facts are absent */
	ff->seen.program = ff->exe;
	if (type == SIGIL_PROP_PROGRAM_FSVERITY_DIGEST)
		return sigil_fsverity_digest(ff->program.target.inode,
					     &ff->facts.program_fsverity_digest);
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		rc = fetch_signature(ff, &ff->program, k);
		if (rc)
			return rc;
	}
	return 0;
}

static int fetch_fact(struct sigil_facts *facts, enum sigil_prop_type type)
{
	struct sigil_file_facts *ff =
		container_of(facts, struct sigil_file_facts, facts);
	const struct sigil_target *t = &ff->file.target;

	switch (type) {
	case SIGIL_PROP_ANONYMOUS:
		if (!t->file)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
	case SIGIL_PROP_PROGRAM_SIGNER:
		return fetch_program(ff, type);
	default:
		break;
	}

	/* Without a file every fact is absent, so every property is FALSE. */
	if (!t->file)
		return 0;

	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		if (sigil_sb(t->inode->i_sb)->initramfs &&
		    test_bit(SIGIL_INODE_BOOT, &sigil_inode(t->inode)->flags))
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		return sigil_fsverity_digest(t->inode, &facts->fsverity_digest);
	case SIGIL_PROP_FSVERITY_SIGNATURE:
		return fetch_signature(ff, &ff->file, SIGIL_SIG_FSVERITY);
	case SIGIL_PROP_IMA_SIGNATURE:
		return fetch_signature(ff, &ff->file, SIGIL_SIG_IMA);
	case SIGIL_PROP_PGP_SIGNATURE:
		return fetch_signature(ff, &ff->file, SIGIL_SIG_PGP);
	case SIGIL_PROP_MANIFEST:
		return sigil_manifest_fetch(facts, t, &ff->mf, &ff->seen.manifest);
	case SIGIL_PROP_DMVERITY_ROOTHASH:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		/* One report answers both, so that they describe one table. */
		ff->seen.dmverity = sigil_dmverity_facts(t->inode, facts);
		ff->seen.roothash = &facts->dmverity_roothash;
		facts->known |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
				SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
		return 0;
	default:
		/* The parser refuses properties this build cannot evaluate. */
		return -EOPNOTSUPP;
	}
}

/*
 * Look up the running program's executable, outside RCU: current's, or the
 * one an explanation names.  current's is mm->exe_file while its real
 * inode is the one current's last execve() ran (see
 * hook_bprm_committing_creds()): not after prctl(PR_SET_MM) named another
 * file, nor after an overlayfs copy-up gave the overlay file another real
 * inode than the one running.  A kernel thread has none, and neither has a
 * program whose file has no facts.
 */
static void find_program(const struct sigil_event *ev,
			 struct sigil_file_facts *ff)
{
	struct sigil_target *t = &ff->program.target;

	ff->program_found = true;
	if (ev->program_given)
		ff->exe = ev->program ? get_file(ev->program) : NULL;
	else if (current->mm)
		ff->exe = get_mm_exe_file(current->mm);
	if (!ff->exe)
		return;
	if (!sigil_target_set(t, ff->exe)) {
		ff->seen.program = ff->exe;
	} else if (!ev->program_given &&
		   sigil_inode(t->inode)->id != sigil_task(current)->exe_id) {
		t->file = NULL;
		fput(ff->exe);
		ff->exe = NULL;
	}
}

/* Verify the signature kind a fetch found missing, outside RCU. */
static void fill(struct sigil_file_facts *ff)
{
	struct sigil_subject *subj = ff->need;
	unsigned int kind = ff->need_kind;
	struct pgp_error *why;
	int rc;

	if (!ff->verified)
		ff->verified = kmalloc(sizeof(*ff->verified), GFP_KERNEL);
	if (ff->verified) {
		why = &ff->verified->why;
		/* A fresh record: pgp_fail() keeps the first error it is given. */
		memset(why, 0, sizeof(*why));
		rc = sigil_sig_verify(&subj->target, kind,
				      &ff->verified->local[subj->id][kind], why);
		if (!rc) {
			subj->filled |= BIT(kind);
			return;
		}
		if (!why->msg[0])
			pgp_fail(why, rc, 0, "verification failed");
		ff->seen.why = why->msg;
	} else {
		rc = -ENOMEM;
		ff->seen.why = "out of memory";
	}
	subj->failed |= BIT(kind);
	ff->error = rc;
	if (subj == &ff->program)
		ff->seen.program_error = true;
	else
		ff->seen.error_kind = kind;
}

/*
 * The content's sha256, which a manifest's content= entry for the file's
 * path needs, outside RCU: from the cache, else by reading the file.
 */
static void fill_content(struct sigil_file_facts *ff)
{
	struct sigil_target *t = &ff->file.target;
	const u8 *cached;
	int rc;

	ff->mf.need_content = false;
	rcu_read_lock();
	cached = sigil_cache_content(t);
	if (cached) {
		memcpy(ff->mf.content, cached, sizeof(ff->mf.content));
		ff->mf.have_content = true;
	}
	rcu_read_unlock();
	if (ff->mf.have_content)
		return;

	if (!ff->verified)
		ff->verified = kmalloc(sizeof(*ff->verified), GFP_KERNEL);
	if (!ff->verified) {
		ff->mf.content_error = -ENOMEM;
		ff->seen.why = "out of memory";
		return;
	}
	memset(&ff->verified->why, 0, sizeof(ff->verified->why));
	rc = sigil_content_sha256(t, ff->mf.content, &ff->verified->why);
	if (!rc) {
		ff->mf.have_content = true;
		return;
	}
	if (!ff->verified->why.msg[0])
		pgp_fail(&ff->verified->why, rc, 0, "hashing the content failed");
	ff->mf.content_error = rc;
	ff->seen.why = ff->verified->why.msg;
}

/*
 * Decide @ev with the active policy: the one evaluation behind both the
 * hooks and sigil/explain.  Returns with the RCU read lock held, which
 * keeps the policy and every fact that @ff points to alive, and with the
 * policy that decided, or NULL when none is active.  The caller drops
 * @ff->exe with fput() after rcu_read_unlock().
 *
 * A rule that needs a fact which takes work outside RCU (a signature that
 * is not in the per-inode cache, the running program's executable, the
 * content's sha256 for a manifest's content= entry) stops the evaluation;
 * the work is done outside the RCU section, where it may sleep, and the
 * evaluation starts again.  Each kind is verified, and the content hashed,
 * at most once per subject and event, so it starts again a bounded number
 * of times.  When every result is cached, nothing here sleeps or allocates.
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
	/* Under the mmap lock the content of no file may be read. */
	ff->file.target.no_content = ev->hook == SIGIL_HOOK_MPROTECT ||
				     ev->hook == SIGIL_HOOK_MMAP_BACKING ||
				     ev->hook == SIGIL_HOOK_MMAP_ADDR;
	ff->file.target.quiet = quiet;
	ff->program.target = ff->file.target;
	ff->file.id = SIGIL_SUBJ_FILE;
	ff->program.id = SIGIL_SUBJ_PROGRAM;
	ff->seen.error_kind = -1;
	if (ev->file && ev->mem == SIGIL_MEM_FILE)
		sigil_target_set(&ff->file.target, ev->file);
	/*
	 * A policy that tests the running program would otherwise send most
	 * events round the loop below once more, to look it up: a JIT
	 * toggling its memory would pay for it on every toggle.
	 */
	rcu_read_lock();
	lp = rcu_dereference(sigil_active);
	if (lp && (lp->policy->props_used & SIGIL_PROPS_PROGRAM)) {
		rcu_read_unlock();
		find_program(ev, ff);
	} else {
		rcu_read_unlock();
	}

	for (;;) {
		memset(&ff->facts, 0, sizeof(ff->facts));
		ff->facts.fetch = fetch_fact;
		ff->need = NULL;
		ff->need_program = false;
		ff->seen.looked = 0;
		ff->seen.program_looked = 0;
		ff->seen.dmverity = SIGIL_DMV_NOT_LOOKED;
		/* A report of an earlier round points into freed indexes. */
		memset(&ff->seen.manifest, 0, sizeof(ff->seen.manifest));

		rcu_read_lock();
		lp = rcu_dereference(sigil_active);
		if (!lp)
			return NULL;
		sigil_policy_decide(lp->policy, ev->op, &ff->facts, d);
		if (d->match != SIGIL_MATCH_ERROR || d->error != -EAGAIN ||
		    (!ff->need && !ff->need_program && !ff->mf.need_content))
			return lp;
		rcu_read_unlock();
		if (ff->need_program)
			find_program(ev, ff);
		else if (ff->mf.need_content)
			fill_content(ff);
		else
			fill(ff);
	}
}

/*
 * An executable mapping allowed on what a file's content is now (a content
 * signature, boot_verified) would run whatever is written to the file
 * later: shut writers out for as long as the mapping's file is open, as
 * the kernel does for a running program.  Files with fs-verity cannot be
 * written, and need nothing.  Returns 0, -ETXTBSY when the file is open
 * for writing, or -ESTALE when it was written since the event began.
 */
static int deny_writes(const struct sigil_event *ev,
		       const struct sigil_file_facts *ff)
{
	const struct sigil_target *t = &ff->file.target;
	struct sigil_file *sf = sigil_file(ev->file);
	bool took = false;
	int rc;

	if (IS_VERITY(t->inode))
		return 0;
	if (!test_bit(SIGIL_FILE_DENIES_WRITE, &sf->flags)) {
		rc = deny_write_access(ev->file);
		if (rc)
			return rc;
		/* A concurrent mapping of the same file may have got there first. */
		if (test_and_set_bit(SIGIL_FILE_DENIES_WRITE, &sf->flags))
			allow_write_access(ev->file);
		else
			took = true;
	}
	/*
	 * A writer that opened, wrote and closed the file after the content
	 * was read and before writers were shut out changed the bytes that
	 * are mapped, not the ones decided on.  Every write open bumps the
	 * generation read when the event began: refuse then.
	 */
	if (atomic64_read_acquire(&sigil_inode(t->inode)->gen) != t->gen) {
		if (took && test_and_clear_bit(SIGIL_FILE_DENIES_WRITE, &sf->flags))
			allow_write_access(ev->file);
		return -ESTALE;
	}
	return 0;
}

/*
 * What an allowed event needs so that the facts it was allowed on stay
 * true while it lasts.  A mapping keeps its file from being written; a
 * kernel read is checked again once read (sigil_check_read()).  Returns 0,
 * or the errno that turns the allow into a denial.
 */
static int hold_facts(const struct sigil_event *ev,
		      const struct sigil_file_facts *ff, u32 relied)
{
	struct sigil_task *st;

	switch (ev->hook) {
	case SIGIL_HOOK_MMAP:
	case SIGIL_HOOK_MMAP_BACKING:
	case SIGIL_HOOK_MPROTECT:
		if (!ff->file.target.file || !(relied & SIGIL_PROPS_MUTABLE))
			return 0;
		return deny_writes(ev, ff);
	case SIGIL_HOOK_KERNEL_READ:
		if (!ff->file.target.file || !relied)
			return 0;
		st = sigil_task(current);
		st->read_inode = ff->file.target.inode;
		st->read_gen = ff->file.target.gen;
		return 0;
	default:
		return 0;
	}
}

/* Count @d, and log it when it is a denial or success_audit is on. */
static int conclude(const struct sigil_event *ev,
		    const struct sigil_loaded *lp,
		    const struct sigil_decision *d,
		    const struct sigil_sig_report *seen)
{
	bool enforcing = READ_ONCE(sigil_enforce);
	bool deny = d->action != SIGIL_ACTION_ALLOW;

	if (d->match == SIGIL_MATCH_ERROR)
		this_cpu_inc(sigil_counters.errors);
	if (!deny)
		this_cpu_inc(sigil_counters.allowed);
	else if (enforcing)
		this_cpu_inc(sigil_counters.denied);
	else
		this_cpu_inc(sigil_counters.permissive);

	if (deny || READ_ONCE(sigil_success_audit))
		sigil_log_decision(ev, lp, d, seen, enforcing);
	return deny && enforcing ? -EACCES : 0;
}

static const char why_writers[] =
	"the file is open for writing; a mapping allowed on its content must keep writers out";
static const char why_written[] =
	"the file was written while it was decided: what would be mapped is not what was checked";
static const char why_changed[] =
	"the file changed between decision and read (a copy-up, or a write to the real file)";

/* Turn @d into a denial for @err, whose reason is in @seen->why. */
static void deny_for(struct sigil_decision *d, int err)
{
	d->action = SIGIL_ACTION_DENY;
	d->match = SIGIL_MATCH_ERROR;
	d->src = NULL;
	d->error = err;
	d->error_prop = __SIGIL_PROP_MAX;
}

/**
 * sigil_evaluate() - decide an event with the active policy
 * @ev: the event
 *
 * With no active policy everything is allowed.  A denial, and with
 * success_audit an allow, is logged with the statement that decided.
 * An allow in enforce mode also holds what it rested on: see hold_facts().
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
	int rc;

	if (ev->hook == SIGIL_HOOK_KERNEL_READ)
		sigil_task(current)->read_inode = NULL;
	lp = decide(ev, &ff, &d, false);
	if (!lp) {
		rcu_read_unlock();
		rc = 0;
		goto out;
	}
	if (d.action == SIGIL_ACTION_ALLOW && READ_ONCE(sigil_enforce)) {
		rc = hold_facts(ev, &ff, sigil_rule_props(lp->policy, &d));
		if (rc) {
			deny_for(&d, rc);
			ff.seen.why = rc == -ESTALE ? why_written : why_writers;
		}
	}
	rc = conclude(ev, lp, &d, &ff.seen);
	rcu_read_unlock();
out:
	end_event(&ff);
	return rc;
}

/**
 * sigil_prepare() - verify what deciding an event will need, and decide
 *		     nothing
 * @ev: the event
 *
 * For a mapping of an overlayfs file, which is decided on the real file
 * under the mmap lock, where content cannot be read: verify the signatures
 * the rules need now, so that the verdicts are cached when the real file
 * is decided.  Nothing is counted, logged or refused.
 */
void sigil_prepare(const struct sigil_event *ev)
{
	struct sigil_file_facts ff;
	struct sigil_decision d;

	decide(ev, &ff, &d, false);
	rcu_read_unlock();
	end_event(&ff);
}

/**
 * sigil_check_read() - after a whole-file kernel read, check that the
 *			file read is the one that was allowed
 * @file: the file read
 * @op: the operation it was read for
 *
 * kernel_read_file() keeps @file from being written while it reads, but
 * under overlayfs that is the overlay inode: the real file can be copied
 * up, or written directly, between the decision and the read.  The read
 * stands only if the real inode is the one decided on and unchanged.
 *
 * Return: 0, or -EACCES when it changed (in enforce mode).
 */
int sigil_check_read(struct file *file, unsigned int op)
{
	struct sigil_task *st = sigil_task(current);
	struct sigil_event ev = {
		.op = op,
		.hook = SIGIL_HOOK_KERNEL_READ,
		.file = file,
	};
	struct sigil_sig_report seen = { .error_kind = -1 };
	struct inode *inode = st->read_inode;
	struct sigil_decision d;
	struct sigil_loaded *lp;
	int rc;

	st->read_inode = NULL;
	if (!inode)
		return 0;	/* nothing about the file was relied on */
	if (inode == d_real_inode(file->f_path.dentry) &&
	    st->read_gen == atomic64_read_acquire(&sigil_inode(inode)->gen))
		return 0;

	rcu_read_lock();
	lp = rcu_dereference(sigil_active);
	if (!lp) {
		rcu_read_unlock();
		return 0;
	}
	deny_for(&d, -ESTALE);
	seen.why = why_changed;
	rc = conclude(&ev, lp, &d, &seen);
	rcu_read_unlock();
	return rc;
}

/*
 * Why @t's signature of @kind is refused, into @why (PGP_ERR_MSG_MAX
 * bytes).  A cached verdict keeps only the state, so verify again, as
 * quietly as the explanation's target asks: a refusal is found before any
 * content is read or any signature checked.
 */
static void refusal(const struct sigil_target *t, unsigned int kind,
		    char *why)
{
	struct pgp_error err = {};
	struct sigil_sig_result res;

	if (!sigil_sig_verify(t, kind, &res, &err) &&
	    res.state == SIGIL_SIG_REFUSED)
		strscpy(why, err.msg, PGP_ERR_MSG_MAX);
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
		end_event(&ff);
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
	x->program_fsverity_digest = ff.facts.program_fsverity_digest;
	/* Cached verdicts are only valid under RCU: copy their signers. */
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		if (ff.facts.signers[k])
			x->signers[k] = *ff.facts.signers[k];
		if (ff.facts.program_signers[k])
			x->program_signers[k] = *ff.facts.program_signers[k];
	}
	if (ff.seen.manifest.state != SIGIL_MF_NOT_LOOKED && ff.seen.manifest.e) {
		const struct sigil_manifest *m = ff.seen.manifest.m;
		const struct sigil_manifest_entry *e = ff.seen.manifest.e;

		memcpy(x->manifest_version, m->version, sizeof(m->version));
		strscpy(x->manifest_name, m->name, sizeof(x->manifest_name));
		memcpy(x->manifest_entry, sigil_manifest_path(m, e), e->path_len);
		x->manifest_entry_len = e->path_len;
		e = ff.seen.manifest.other_e;
		if (e) {
			memcpy(x->manifest_other,
			       sigil_manifest_path(ff.seen.manifest.other_m, e),
			       e->path_len);
			x->manifest_other_len = e->path_len;
		}
	}
	rcu_read_unlock();

	x->seen = ff.seen;
	x->seen.program = NULL;
	x->seen.manifest.m = NULL;
	x->seen.manifest.e = NULL;
	x->seen.manifest.other_m = NULL;
	x->seen.manifest.other_e = NULL;
	x->seen.roothash = &x->dmverity_roothash;
	if (ff.seen.why) {
		strscpy(x->why, ff.seen.why, sizeof(x->why));
		x->seen.why = x->why;
	}
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if ((x->seen.looked & BIT(k)) &&
		    x->seen.state[k] == SIGIL_SIG_REFUSED)
			refusal(&ff.file.target, k, x->refused[k]);
	end_event(&ff);
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
