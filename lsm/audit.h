/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Audit records (audit.c, built with CONFIG_AUDIT): decisions, policy
 * changes and switches.
 */
#ifndef _SIGIL_AUDIT_H
#define _SIGIL_AUDIT_H

#include "policy.h"

struct sigil_event;
struct sigil_loaded;
struct sigil_sig_report;

/* What happened to a policy; the index of sigil_audit_op_names. */
enum sigil_audit_op {
	SIGIL_AUDIT_LOAD,
	SIGIL_AUDIT_UPDATE,
	SIGIL_AUDIT_ACTIVATE,
	SIGIL_AUDIT_DELETE,
	__SIGIL_AUDIT_OP_MAX
};

/* A switch in securityfs whose changes are audited. */
enum sigil_audit_switch {
	SIGIL_AUDIT_ENFORCE,
	SIGIL_AUDIT_SUCCESS_AUDIT,
	SIGIL_AUDIT_KEYRING_LOCKED,
	__SIGIL_AUDIT_SWITCH_MAX
};

#ifdef CONFIG_AUDIT
void sigil_audit_decision(const struct sigil_event *ev,
			  const struct sigil_loaded *lp,
			  const struct sigil_decision *d,
			  const struct sigil_sig_report *sigs, bool enforcing,
			  const char *path);
void sigil_audit_policy(enum sigil_audit_op op, const char *name,
			const u16 *version, const char *signer, int err,
			const char *msg);
void sigil_audit_manifest(enum sigil_audit_op op, const char *name,
			  const u16 *version, const char *signer, int err,
			  const char *msg);
void sigil_audit_switch(enum sigil_audit_switch sw, bool old, bool value);
#else
static inline void sigil_audit_decision(const struct sigil_event *ev,
					const struct sigil_loaded *lp,
					const struct sigil_decision *d,
					const struct sigil_sig_report *sigs,
					bool enforcing, const char *path)
{
}

static inline void sigil_audit_policy(enum sigil_audit_op op,
				      const char *name, const u16 *version,
				      const char *signer, int err,
				      const char *msg)
{
}

static inline void sigil_audit_manifest(enum sigil_audit_op op,
					const char *name, const u16 *version,
					const char *signer, int err,
					const char *msg)
{
}

static inline void sigil_audit_switch(enum sigil_audit_switch sw, bool old,
				      bool value)
{
}
#endif

#endif /* _SIGIL_AUDIT_H */
