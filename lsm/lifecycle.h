/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loaded policies and their lifecycle (policy.c): load, update, activate,
 * delete; the boot policy; and the opening of signed policy writes
 * (policy_sig.c).
 */
#ifndef _SIGIL_LIFECYCLE_H
#define _SIGIL_LIFECYCLE_H

#include <linux/kref.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>

#include "policy.h"

/* "openpgp:" and a fingerprint, "x509-skid:" and an identifier... */
#define SIGIL_SIGNER_STR_MAX	80

/**
 * struct sigil_policy_text - a verified policy write
 * @text: the policy text, kvmalloc()ed, owned by the holder
 * @len: its length
 * @form: enum sigil_msg_form: how it was signed
 * @signer: who signed it, as policies/<name>/signer shows it
 * @what: "policy" or "manifest", for messages
 * @why: why it was refused, when it was
 */
struct sigil_policy_text {
	const char *what;
	char *text;
	size_t len;
	int form;
	char signer[SIGIL_SIGNER_STR_MAX];
	char why[SIGIL_ERR_MSG_MAX + 64];
};

int sigil_policy_open(const u8 *buf, size_t len, const char *what,
		      struct sigil_policy_text *pt);

/**
 * struct sigil_loaded - a policy loaded into the kernel
 * @policy: the compiled policy
 * @text: the policy text as written, which rules are quoted from
 * @textlen: length of @text
 * @dir: its securityfs directory, policies/<name>/
 * @node: entry in the list of loaded policies; empty once deleted
 * @ref: references: the list's, and securityfs handlers' while they run
 * @signer: who signed it: "openpgp:<fingerprint>", "x509-skid:<hex>",
 *	    "x509-serial:<hex>", "unsigned" or "built-in"
 */
struct sigil_loaded {
	struct kref ref;
	struct sigil_policy *policy;
	char *text;
	size_t textlen;
	struct dentry *dir;
	struct list_head node;
	char signer[SIGIL_SIGNER_STR_MAX];
};

extern struct sigil_loaded __rcu *sigil_active;
extern struct mutex sigil_policy_mutex;

/* Largest policy accepted through securityfs: room for ~500,000 digests. */
#define SIGIL_POLICY_MAX_BYTES	(64u << 20)

int sigil_policy_submit(const u8 *buf, size_t len,
			struct sigil_loaded *update_of);
void sigil_policy_discarded(size_t got, size_t need);
int sigil_policy_refused(int err, const char *msg);
/* lsm/boot_policy.c, which scripts/polgen generates and checks */
extern const char sigil_boot_policy[];
extern const size_t sigil_boot_policy_len;
int __init sigil_boot_policy_init(void);
int __init sigil_boot_policy_publish(void);
int sigil_policy_activate(struct sigil_loaded *lp);
int sigil_policy_delete(struct sigil_loaded *lp);
void sigil_policy_put(struct sigil_loaded *lp);
u32 sigil_parse_props(void);
size_t sigil_loaded_bytes(const struct sigil_loaded *lp);

/**
 * struct sigil_policy_stats - what status reports about policies
 * @loaded: number of loaded policies
 * @bytes: kernel memory of every loaded policy, text included
 * @rules: rules of every loaded policy
 * @rule_bytes: kernel memory of their compiled rules
 * @load_failures: failed loads since boot
 */
struct sigil_policy_stats {
	unsigned int loaded;
	size_t bytes;
	size_t rules;
	size_t rule_bytes;
	unsigned long load_failures;
};

void sigil_policy_stats(struct sigil_policy_stats *st, char *last_error,
			size_t size);

#endif /* _SIGIL_LIFECYCLE_H */
