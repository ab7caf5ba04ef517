/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The decision log (log.c): sigil/log and the kernel log.
 */
#ifndef _SIGIL_LOG_H
#define _SIGIL_LOG_H

#include "policy.h"
#include "filesig.h"
#include "manifests.h"

struct sigil_event;
struct sigil_loaded;
struct seq_file;

/**
 * struct sigil_sig_report - what an event's signatures came to, for the log
 * @looked: BIT() of each enum sigil_sig_kind that a rule looked at
 * @state: per kind looked at, its enum sigil_sig_state
 * @error_kind: the kind whose verification failed, or -1
 * @why: for @error_kind, what failed; for an error with no property
 *	 (a file that changed while the kernel read it), the whole reason
 * @dmverity: enum sigil_dmv_state: the file's dm-verity volume, when a rule
 *	      looked at it
 * @roothash: for a dm-verity volume, its root hash
 * @program_looked: as @looked, for the running program's executable
 * @program_state: as @state, for the running program's executable
 * @program_error: the failed verification was the program's
 * @program: the running program's executable, when a rule looked at it
 * @manifest: what the manifest= fact came to, when a rule looked at it
 */
struct sigil_sig_report {
	u8 looked;
	u8 state[__SIGIL_SIG_MAX];
	int error_kind;
	const char *why;
	u8 dmverity;
	const struct sigil_digest *roothash;
	u8 program_looked;
	u8 program_state[__SIGIL_SIG_MAX];
	bool program_error;
	const struct file *program;
	struct sigil_manifest_report manifest;
};

/* Room for a decision's reason: a property name and what failed. */
#define SIGIL_REASON_MAX	(PGP_ERR_MSG_MAX + 32)

void sigil_log_decision(const struct sigil_event *ev,
			const struct sigil_loaded *lp,
			const struct sigil_decision *d,
			const struct sigil_sig_report *sigs, bool enforcing);
void sigil_decision_reason(char *buf, size_t size,
			   const struct sigil_decision *d,
			   const struct sigil_sig_report *sigs);
int sigil_log_show(struct seq_file *m);
size_t sigil_quote(char *buf, size_t size, const char *s, size_t n);

#endif /* _SIGIL_LOG_H */
