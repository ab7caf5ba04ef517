/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Events and their evaluation (eval.c), the hooks that raise them (hooks.c)
 * and explanations of them (sigil/explain: eval.c, explain.c).
 */
#ifndef _SIGIL_EVAL_H
#define _SIGIL_EVAL_H

#include "policy.h"
#include "log.h"

struct sigil_loaded;

enum sigil_hook {
	SIGIL_HOOK_BPRM_CHECK,
	SIGIL_HOOK_MMAP,
	SIGIL_HOOK_MMAP_BACKING,
	SIGIL_HOOK_MPROTECT,
	SIGIL_HOOK_KERNEL_READ,
	SIGIL_HOOK_KERNEL_LOAD,
	SIGIL_HOOK_MMAP_ADDR,
	__SIGIL_HOOK_MAX
};

extern const char *const sigil_hook_names[__SIGIL_HOOK_MAX];

/*
 * What memory an EXECUTE event makes executable, when no file vouches for
 * its bytes; the index of sigil_memory_names.
 */
enum sigil_memory {
	SIGIL_MEM_FILE,		/* a file's bytes: decided on the file */
	SIGIL_MEM_ANONYMOUS,	/* no file: anonymous memory, a buffer */
	SIGIL_MEM_WRITABLE,	/* a private file mapping, writable too */
	SIGIL_MEM_COPIED,	/* a private file mapping with copied pages */
	__SIGIL_MEM_MAX
};

extern const char *const sigil_memory_names[__SIGIL_MEM_MAX];

/**
 * struct sigil_event - one access to decide
 * @op: enum sigil_op, or %SIGIL_OP_INVALID
 * @hook: the LSM hook that asked
 * @file: the file, or NULL for anonymous memory and kernel_load_data; for
 *	  a mapping through overlayfs, the real file that is mapped
 * @mem: enum sigil_memory; anything but %SIGIL_MEM_FILE is decided as an
 *	 event without a file, and @file, when set, only names the mapping
 *	 in the log
 * @program_given: sigil/explain names the running program: @program, or
 *		   none when that is NULL; hooks leave it false, and the
 *		   running program is current's executable
 * @program: the program an explanation takes as running
 */
struct sigil_event {
	unsigned int op;
	enum sigil_hook hook;
	struct file *file;
	enum sigil_memory mem;
	bool program_given;
	struct file *program;
};

int sigil_evaluate(const struct sigil_event *ev);
void sigil_prepare(const struct sigil_event *ev);
int sigil_check_read(struct file *file, unsigned int op);

/**
 * struct sigil_counters - decision counters, summed over CPUs for status
 * @allowed: events allowed by the policy
 * @denied: events denied and refused
 * @permissive: events the policy denied but permissive mode allowed
 * @errors: events decided by a failed lookup (always a denial)
 */
struct sigil_counters {
	u64 allowed;
	u64 denied;
	u64 permissive;
	u64 errors;
};

void sigil_read_counters(struct sigil_counters *sum);

/**
 * struct sigil_explanation - one decision and what it rested on
 * @lp: the policy that decided, with a reference that the caller drops
 *	with sigil_policy_put(); NULL when no policy is active, and then
 *	everything is allowed
 * @d: the decision; @d.src points into @lp's policy
 * @enforcing: whether a denial would have been enforced
 * @known: SIGIL_PROP_BIT() of each property whose fact the rules looked at
 * @truths: SIGIL_PROP_BIT() of each boolean property among them that held
 * @fsverity_digest: the file's fs-verity digest, when looked at
 * @dmverity_roothash: its volume's root hash, when looked at
 * @signers: per enum sigil_sig_kind whose signature verified, its signer
 * @program_fsverity_digest: the running program's fs-verity digest, when
 *			     looked at
 * @program_signers: per kind, the running program's signer
 * @seen: what the signatures came to, as the log reports them; its
 *	  pointers point into this structure, and @seen.program is NULL
 * @why: what failed, for @seen.why
 * @refused: per kind whose signature was refused, why; "" when the
 *	     reason could not be found again
 * @manifest_version: for @seen.manifest's entry, its manifest's version
 * @manifest_name: and its name
 * @manifest_entry: and the entry's path, unescaped, @manifest_entry_len
 *		    bytes
 * @manifest_entry_len: its length; @seen.manifest's pointers are not
 *			valid outside the evaluation, these copies are
 * @manifest_other: for digest_differs, the path under which the file's
 *		    digest is listed, when it is; @manifest_other_len bytes
 * @manifest_other_len: its length, 0 when there is none
 */
struct sigil_explanation {
	struct sigil_loaded *lp;
	struct sigil_decision d;
	bool enforcing;
	u32 known;
	u32 truths;
	struct sigil_digest fsverity_digest;
	struct sigil_digest dmverity_roothash;
	struct sigil_signer signers[__SIGIL_SIG_MAX];
	struct sigil_digest program_fsverity_digest;
	struct sigil_signer program_signers[__SIGIL_SIG_MAX];
	struct sigil_sig_report seen;
	char why[PGP_ERR_MSG_MAX];
	char refused[__SIGIL_SIG_MAX][PGP_ERR_MSG_MAX];
	u16 manifest_version[3];
	char manifest_name[SIGIL_MANIFEST_NAME_MAX + 1];
	char manifest_entry[SIGIL_MANIFEST_PATH_MAX + 1];
	u16 manifest_entry_len;
	char manifest_other[SIGIL_MANIFEST_PATH_MAX + 1];
	u16 manifest_other_len;
};

void sigil_explain(const struct sigil_event *ev, struct sigil_explanation *x);

/* explain.c */
extern const struct file_operations sigil_explain_fops;

/* hooks.c */
void __init sigil_add_event_hooks(void);

#endif /* _SIGIL_EVAL_H */
