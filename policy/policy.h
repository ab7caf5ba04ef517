/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigil policy: the compiled form of a policy text, the parser that builds
 * it and the evaluator that decides with it.  Shared, unchanged, by the
 * kernel, sigilctl, the host unit tests and the fuzzers.
 */
#ifndef _SIGIL_POLICY_H
#define _SIGIL_POLICY_H

#include "compat.h"

/* Longest policy_name: it names a securityfs directory. */
#define SIGIL_POLICY_NAME_MAX	255
/* Largest digest a property can hold (sha512, sha3-512, blake2b-512). */
#define SIGIL_DIGEST_MAX	64
/* Size of a parse error message, location excluded. */
#define SIGIL_ERR_MSG_MAX	256

#include "enums.h"

/* Every property whose value the parser understands. */
#define SIGIL_PROPS_PARSEABLE	(SIGIL_PROP_BIT(__SIGIL_PROP_MAX) - 1)
/* Properties of the running program rather than of the event's file. */
#define SIGIL_PROPS_PROGRAM	(SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_FSVERITY_DIGEST) | \
				 SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_SIGNER))
/*
 * Properties whose truth rests on a file's content as it is now, which a
 * write could change under a live mapping: see sigil_rule_props().
 */
#define SIGIL_PROPS_MUTABLE	(SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) | \
				 SIGIL_PROP_BIT(SIGIL_PROP_IMA_SIGNATURE) | \
				 SIGIL_PROP_BIT(SIGIL_PROP_PGP_SIGNATURE) | \
				 SIGIL_PROP_BIT(SIGIL_PROP_SIGNER) | \
				 SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST))

/* The kinds of file signature, each with a property and a signer. */
enum sigil_sig_kind {
	SIGIL_SIG_FSVERITY,	/* fsverity_signature */
	SIGIL_SIG_IMA,		/* ima_signature */
	SIGIL_SIG_PGP,		/* pgp_signature */
	__SIGIL_SIG_MAX
};

/* The property and the name (as logs show it) of each enum sigil_sig_kind. */
extern const u8 sigil_sig_props[__SIGIL_SIG_MAX];
extern const char *const sigil_sig_kind_names[__SIGIL_SIG_MAX];

#define SIGIL_SIGNER_IDS	3
#define SIGIL_SIGNER_ID_MAX	32

/**
 * struct sigil_hash_info - a hash algorithm as policies name it
 * @name: the name used in ``ALGORITHM:HEX`` property values
 * @size: digest size in bytes
 */
struct sigil_hash_info {
	const char *name;
	u8 size;
};

extern const char *const sigil_op_names[__SIGIL_OP_MAX];
extern const char *const sigil_action_names[__SIGIL_ACTION_MAX];
extern const char *const sigil_prop_names[__SIGIL_PROP_MAX];
extern const struct sigil_hash_info sigil_hash_algos[__SIGIL_HASH_MAX];

/**
 * struct sigil_src - where a statement sits in the policy text
 * @line: 1-based line number
 * @off: byte offset of the statement in the text
 * @len: length of the statement, comment and trailing blanks excluded
 */
struct sigil_src {
	u32 line;
	u32 off;
	u32 len;
};

/**
 * struct sigil_prop - one property of a rule
 * @type: enum sigil_prop_type
 * @value: TRUE (1) or FALSE (0) for boolean properties; the
 *	   enum sigil_hash_algo of a digest; for signer, the BIT() of each
 *	   enum sigil_sig_kind that the same rule requires TRUE; for
 *	   manifest, 1 when it names a minimum version
 * @size: size of the value bytes at @off (digests and signer IDs); for
 *	  manifest, the length of the name (0 for ANY), which follows the
 *	  minimum version at @off as a u64 in host order (see
 *	  sigil_manifest_version())
 * @reserved: zero; keeps @off aligned
 * @off: offset of the value bytes in sigil_policy.values
 */
struct sigil_prop {
	u8 type;
	u8 value;
	u8 size;
	u8 reserved;
	u32 off;
};

/**
 * struct sigil_rule - one rule: all its properties must hold for it to match
 * @src: the rule's text
 * @first_prop: index of its first property in sigil_policy.props
 * @nprops: number of properties; 0 matches every event of @op
 * @op: enum sigil_op
 * @action: enum sigil_action taken when the rule matches
 */
struct sigil_rule {
	struct sigil_src src;
	u32 first_prop;
	u16 nprops;
	u8 op;
	u8 action;
};

/**
 * struct sigil_run - consecutive rules of one operation, evaluated together
 * @first: index of the first rule in sigil_policy.rules
 * @count: number of rules
 * @slot: for an indexed run, the offset of its hash table in
 *	  sigil_policy.slots
 * @mask: for an indexed run, its number of slots minus one (a power of two
 *	  minus one); 0 for a run checked rule by rule
 * @type: for an indexed run, the one property its rules have, an exact
 *	  digest: %SIGIL_PROP_FSVERITY_DIGEST or %SIGIL_PROP_DMVERITY_ROOTHASH
 *
 * An indexed run's rules each test only that digest, so at most the first
 * rule with the file's digest can match: one hash lookup finds it, and
 * first-match order across runs is kept by walking the runs in order.
 */
struct sigil_run {
	u32 first;
	u32 count;
	u32 slot;
	u32 mask;
	u8 type;
};

/**
 * struct sigil_op_rules - the rules of one operation, in policy order
 * @first: index of the first rule in sigil_policy.rules
 * @count: number of rules
 * @first_run: index of the operation's first run in sigil_policy.runs
 * @nruns: number of runs
 * @default_action: the operation's DEFAULT, or %SIGIL_ACTION_NONE
 * @default_src: the DEFAULT statement, when there is one
 */
struct sigil_op_rules {
	u32 first;
	u32 count;
	u32 first_run;
	u32 nruns;
	u8 default_action;
	struct sigil_src default_src;
};

/* Shortest run of digest rules worth a hash table. */
#define SIGIL_RUN_INDEX_MIN	8

/**
 * struct sigil_policy - a parsed, validated policy
 * @name: policy_name from the header, NUL-terminated
 * @version: policy_version as major, minor, revision
 * @global_default: the global DEFAULT, or %SIGIL_ACTION_NONE
 * @global_default_src: the global DEFAULT statement, when there is one
 * @ops: per operation, its rules and DEFAULT
 * @rules: every rule, grouped by operation, in policy order within a group
 * @props: every property, referenced by the rules
 * @values: digest bytes, referenced by the properties
 * @runs: per operation, its rules cut into runs (see struct sigil_run)
 * @slots: the hash tables of indexed runs: a rule index plus one, 0 for
 *	   an empty slot
 * @nrules: number of @rules
 * @nprops: number of @props
 * @nvalues: bytes in @values
 * @nruns: number of @runs
 * @nslots: number of @slots
 * @rule_bytes: bytes of @rules, @props, @values, @runs and @slots: what
 *		the rules cost
 * @mem_bytes: bytes allocated for this structure and its arrays
 * @props_used: SIGIL_PROP_BIT() of each property some rule tests
 *
 * The policy does not keep its source text; @src offsets refer to the text
 * it was parsed from, which the owner keeps if it wants to quote rules.
 */
struct sigil_policy {
	char name[SIGIL_POLICY_NAME_MAX + 1];
	u16 version[3];
	u8 global_default;
	struct sigil_src global_default_src;
	struct sigil_op_rules ops[__SIGIL_OP_MAX];
	struct sigil_rule *rules;
	struct sigil_prop *props;
	u8 *values;
	struct sigil_run *runs;
	u32 *slots;
	u32 nrules;
	u32 nprops;
	u32 nvalues;
	u32 nruns;
	u32 nslots;
	size_t rule_bytes;
	size_t mem_bytes;
	u32 props_used;
};

/**
 * struct sigil_parse_opts - what the caller's build can evaluate
 * @props: SIGIL_PROP_BIT() of each property that may appear in a rule; any
 *	   other known property is refused with -EOPNOTSUPP
 * @why_not: NULL, or per enum sigil_prop_type the reason a property outside
 *	     @props is refused, completing "property 'NAME' ..." in the
 *	     error message (NULL entries: "is not supported by this build")
 */
struct sigil_parse_opts {
	u32 props;
	const char *const *why_not;
};

/**
 * struct sigil_parse_error - why a policy was refused, and where
 * @err: negative errno, 0 when the policy parsed
 * @line: 1-based line of the error; for an error about the policy as a
 *	  whole (a missing DEFAULT), the last line
 * @col: 1-based byte column of the offending token, 0 when there is none
 * @msg: what was wrong, naming the token; NUL-terminated
 */
struct sigil_parse_error {
	int err;
	u32 line;
	u32 col;
	char msg[SIGIL_ERR_MSG_MAX];
};

int sigil_policy_parse(const char *text, size_t len,
		       const struct sigil_parse_opts *opts,
		       struct sigil_policy **out,
		       struct sigil_parse_error *err);
void sigil_policy_free(struct sigil_policy *pol);
int sigil_parse_error_format(const struct sigil_parse_error *err, char *buf,
			     size_t size);
u64 sigil_policy_version(const struct sigil_policy *pol);

/* ---- Evaluation ---- */

/**
 * struct sigil_digest - a digest that a file or its volume carries
 * @algo: enum sigil_hash_algo; %SIGIL_HASH_NONE when there is none
 * @size: digest size in bytes
 * @bytes: the digest
 */
struct sigil_digest {
	u8 algo;
	u8 size;
	u8 bytes[SIGIL_DIGEST_MAX];
};

struct sigil_facts;
struct sigil_manifest;

/* The most manifests whose entries one file can match at once. */
#define SIGIL_MANIFEST_MATCHES	8

/**
 * typedef sigil_fetch_fn - fill in one fact about the event's file
 * @facts: the facts to complete
 * @type: the property whose fact is wanted
 *
 * Return: 0 when the fact is now known (absent counts as known: a file
 * without fs-verity has no fs-verity digest), or a negative errno when it
 * could not be determined; the evaluator then denies.
 */
typedef int (*sigil_fetch_fn)(struct sigil_facts *facts,
			      enum sigil_prop_type type);

/**
 * struct sigil_signer - the key that made a signature which verified
 * @nids: number of @id entries
 * @len: length of each ID
 * @id: the key's identifiers that fit: an OpenPGP key's fingerprint, key
 *	ID and primary-key fingerprint; an X.509 certificate's subject key
 *	identifier
 */
struct sigil_signer {
	u8 nids;
	u8 len[SIGIL_SIGNER_IDS];
	u8 id[SIGIL_SIGNER_IDS][SIGIL_SIGNER_ID_MAX];
};

bool sigil_signer_matches(const struct sigil_signer *signer, const u8 *id,
			  unsigned int len);

/**
 * struct sigil_facts - what is known about the file of one event
 * @known: SIGIL_PROP_BIT() of each property whose fact is filled in
 * @fetch: called once for a fact that a rule needs and that is not @known
 * @ctx: caller's context for @fetch
 * @truths: SIGIL_PROP_BIT() of each boolean property that is TRUE
 * @fsverity_digest: the file's fs-verity digest
 * @dmverity_roothash: root hash of the dm-verity volume holding the file
 * @signers: per enum sigil_sig_kind, the key that made the file's signature
 *	     of that kind when it verified, else NULL
 * @program_fsverity_digest: the fs-verity digest of the running program's
 *			     executable
 * @program_signers: per enum sigil_sig_kind, the key that made the running
 *		     program's signature of that kind when it verified
 * @nmanifests: number of @manifests
 * @manifests: the loaded manifests that list the file under the path it is
 *	       used through, with its digest; when more than
 *	       %SIGIL_MANIFEST_MATCHES do, the first ones (so a rule may
 *	       fail to match, never match wrongly)
 *
 * Facts are fetched lazily, so an event pays only for the properties that
 * the rules of its operation test, and for each at most once.  An event
 * without a file (anonymous memory, data from a buffer) has every file
 * fact absent and %SIGIL_PROP_ANONYMOUS true; the program facts describe
 * the task that caused the event, whatever the event.
 */
struct sigil_facts {
	u32 known;
	sigil_fetch_fn fetch;
	void *ctx;
	u32 truths;
	struct sigil_digest fsverity_digest;
	struct sigil_digest dmverity_roothash;
	const struct sigil_signer *signers[__SIGIL_SIG_MAX];
	struct sigil_digest program_fsverity_digest;
	const struct sigil_signer *program_signers[__SIGIL_SIG_MAX];
	u32 nmanifests;
	const struct sigil_manifest *manifests[SIGIL_MANIFEST_MATCHES];
};

/* As sigil/explain and sigilctl explain name them: "rule", "op_default"... */
extern const char *const sigil_match_names[__SIGIL_MATCH_MAX];

/**
 * struct sigil_decision - the outcome of one evaluation
 * @action: %SIGIL_ACTION_ALLOW or %SIGIL_ACTION_DENY
 * @match: what decided (enum sigil_match)
 * @src: the deciding rule or DEFAULT statement; NULL for an error
 * @error: for %SIGIL_MATCH_ERROR, the negative errno
 * @error_prop: for %SIGIL_MATCH_ERROR, the property being looked up, or
 *		%__SIGIL_PROP_MAX when the event had no operation to decide
 */
struct sigil_decision {
	u8 action;
	u8 match;
	const struct sigil_src *src;
	int error;
	u8 error_prop;
};

int sigil_policy_decide(const struct sigil_policy *pol, unsigned int op,
			struct sigil_facts *facts,
			struct sigil_decision *decision);
u32 sigil_rule_props(const struct sigil_policy *pol,
		     const struct sigil_decision *decision);

/* compile.c */
int sigil_policy_compile(struct sigil_policy *pol);
u32 sigil_indexed_rules(const struct sigil_policy *pol);
u32 sigil_digest_hash(u8 type, u8 algo, const u8 *bytes, unsigned int size);

#ifndef __KERNEL__
/* The reference: every rule in order, no index.  For tests and fuzzers. */
int sigil_policy_decide_linear(const struct sigil_policy *pol, unsigned int op,
			       struct sigil_facts *facts,
			       struct sigil_decision *decision);
#endif

#endif /* _SIGIL_POLICY_H */
