// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for the evaluator: one table row per (policy, event,
 * file facts), with the action, the kind of match and the deciding line.
 */

#include <errno.h>
#include <string.h>

#include <stdio.h>

#include "policy.h"
#include "manifest.h"
#include "case.h"

#define D1 "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"
#define D2 "0000000000000000000000000000000000000000000000000000000000000001"
#define D3 "abababababababababababababababababababababababababababababababab"

/* Two keys: K1's fingerprint, and an X.509 subject key identifier K2. */
#define K1_FPR	"824A14CE6A04B1B3D224FA766851A2E4A9934371"
#define K1_ID	"6851A2E4A9934371"
#define K2_SKID	"2FFDF2C62268B742C43B9827096FE9913FC4D4BB"

/* A file as the evaluator may see it. */
struct file_model {
	bool boot;		/* from the initramfs */
	const char *fsv;	/* "sha256:<hex>" or "sha512:<hex>", NULL for none */
	int fail;		/* errno that every fetch returns, or 0 */
	const char *dmv;	/* its volume's root hash, "<alg>:<hex>", or NULL */
	bool dmv_signed;	/* dm-verity verified the root hash's signature */
	const char *signers[__SIGIL_SIG_MAX];	/* hex ID per verified kind */
	bool anon;		/* no file: anonymous memory, a buffer */
	const char *prog_fsv;	/* the running program's fs-verity digest */
	const char *prog_signer;	/* hex ID of the program's verified signer */
	const char *manifests;	/* "NAME@X.Y.Z ..." that list the file, or NULL */
};

struct eval_case {
	const char *desc;
	const char *policy;
	unsigned int op;
	struct file_model file;
	int action;
	int match;
	u32 line;		/* deciding statement; 0 for an error */
};

#define HDR "policy_name=t policy_version=1.0.0\n"
#define EX SIGIL_OP_EXECUTE
#define KM SIGIL_OP_KMODULE
#define A SIGIL_ACTION_ALLOW
#define D SIGIL_ACTION_DENY
#define RULE SIGIL_MATCH_RULE
#define OPDEF SIGIL_MATCH_OP_DEFAULT
#define GLOB SIGIL_MATCH_GLOBAL_DEFAULT
#define ERR SIGIL_MATCH_ERROR

static const char digest_policy[] =
	HDR
	"DEFAULT action=ALLOW\n"				/* 2 */
	"DEFAULT op=EXECUTE action=DENY\n"			/* 3 */
	"op=EXECUTE fsverity_digest=sha256:" D2 " action=DENY\n"	/* 4 */
	"op=EXECUTE boot_verified=TRUE action=ALLOW\n"		/* 5 */
	"op=EXECUTE fsverity_digest=sha256:" D1 " action=ALLOW\n"	/* 6 */
	"op=KMODULE boot_verified=FALSE action=DENY\n";		/* 7 */

static const char dmv_policy[] =
	HDR
	"DEFAULT action=DENY\n"						/* 2 */
	"op=EXECUTE dmverity_roothash=sha256:" D2 " action=DENY\n"	/* 3 */
	"op=EXECUTE dmverity_signature=TRUE action=ALLOW\n"		/* 4 */
	"op=EXECUTE dmverity_roothash=sha256:" D1 " action=ALLOW\n";	/* 5 */

static const char jit_policy[] =
	HDR
	"DEFAULT action=ALLOW\n"					/* 2 */
	"DEFAULT op=EXECUTE action=DENY\n"				/* 3 */
	"op=EXECUTE anonymous=TRUE program_signer=" K1_ID " action=ALLOW\n"	/* 4 */
	"op=EXECUTE program_fsverity_digest=sha256:" D1 " anonymous=TRUE action=ALLOW\n" /* 5 */
	"op=EXECUTE boot_verified=TRUE action=ALLOW\n"			/* 6 */
	"op=KMODULE anonymous=TRUE action=DENY\n";			/* 7 */

static const char manifest_policy[] =
	HDR
	"DEFAULT action=DENY\n"					/* 2 */
	"op=EXECUTE manifest=base@1.2.0 action=ALLOW\n"			/* 3 */
	"op=EXECUTE manifest=extra action=ALLOW\n"			/* 4 */
	"op=EXECUTE boot_verified=TRUE manifest=ANY action=ALLOW\n"	/* 5 */
	"op=KMODULE manifest=ANY action=ALLOW\n";			/* 6 */

static const struct eval_case cases[] = {
	{ "manifest=NAME@MIN: listed at the minimum version", manifest_policy,
	  EX, { .manifests = "base@1.2.0" }, A, RULE, 3 },
	{ "manifest=NAME@MIN: a newer patch", manifest_policy,
	  EX, { .manifests = "base@1.2.1" }, A, RULE, 3 },
	{ "manifest=NAME@MIN: a newer major, older minor", manifest_policy,
	  EX, { .manifests = "base@2.0.0" }, A, RULE, 3 },
	{ "manifest=NAME@MIN: an older version does not hold", manifest_policy,
	  EX, { .manifests = "base@1.1.65535" }, D, GLOB, 2 },
	{ "manifest=NAME@MIN: another name with the same prefix", manifest_policy,
	  EX, { .manifests = "base2@9.0.0 bas@9.0.0" }, D, GLOB, 2 },
	{ "manifest=NAME: any version, even 0.0.0", manifest_policy,
	  EX, { .manifests = "extra@0.0.0" }, A, RULE, 4 },
	{ "manifest=NAME@MIN: the second of two manifests", manifest_policy,
	  EX, { .manifests = "old@1.0.0 base@1.3.0" }, A, RULE, 3 },
	{ "manifest=: listed in no manifest", manifest_policy,
	  EX, { 0 }, D, GLOB, 2 },
	{ "manifest=ANY with another property", manifest_policy,
	  EX, { .boot = true, .manifests = "zzz@0.0.1" }, A, RULE, 5 },
	{ "manifest=ANY: listed in any manifest", manifest_policy,
	  KM, { .manifests = "zzz@0.0.1" }, A, RULE, 6 },
	{ "manifest=ANY: listed in none", manifest_policy,
	  KM, { 0 }, D, GLOB, 2 },
	{ "manifest=: the fact cannot be fetched", manifest_policy,
	  EX, { .fail = EIO, .manifests = "base@1.2.0" }, D, ERR, 0 },
	{ "anonymous memory of a program signed by the named key", jit_policy, EX,
	  { .anon = true, .prog_signer = K1_FPR }, A, RULE, 4 },
	{ "anonymous memory of a program signed by another key", jit_policy, EX,
	  { .anon = true, .prog_signer = K2_SKID }, D, OPDEF, 3 },
	{ "anonymous memory of a program with the named digest", jit_policy, EX,
	  { .anon = true, .prog_fsv = "sha256:" D1 }, A, RULE, 5 },
	{ "anonymous memory of an unsigned program", jit_policy, EX,
	  { .anon = true, .boot = false }, D, OPDEF, 3 },
	{ "a file run by the signed program: anonymous does not hold", jit_policy, EX,
	  { .prog_signer = K1_FPR, .prog_fsv = "sha256:" D1 }, D, OPDEF, 3 },
	{ "an initramfs file is still a file", jit_policy, EX,
	  { .boot = true, .prog_signer = K1_FPR }, A, RULE, 6 },
	{ "a module from a buffer is anonymous", jit_policy, KM,
	  { .anon = true }, D, RULE, 7 },
	{ "a module from a file is not", jit_policy, KM, { 0 }, A, GLOB, 2 },
	{ "listed digest is allowed by its rule", digest_policy, EX,
	  { .fsv = "sha256:" D1 }, A, RULE, 6 },
	{ "unlisted digest falls to the op DEFAULT", digest_policy, EX,
	  { .fsv = "sha256:" D3 }, D, OPDEF, 3 },
	{ "no fs-verity falls to the op DEFAULT", digest_policy, EX,
	  { 0 }, D, OPDEF, 3 },
	{ "revocation before the allow wins", digest_policy, EX,
	  { .boot = true, .fsv = "sha256:" D2 }, D, RULE, 4 },
	{ "boot_verified=TRUE matches initramfs files", digest_policy, EX,
	  { .boot = true }, A, RULE, 5 },
	{ "same bytes under sha512 do not match a sha256 rule", digest_policy, EX,
	  { .fsv = "sha512:" D1 D1 }, D, OPDEF, 3 },
	{ "boot_verified=FALSE matches files from disk", digest_policy, KM,
	  { 0 }, D, RULE, 7 },
	{ "op without rules or DEFAULT uses the global DEFAULT", digest_policy,
	  SIGIL_OP_FIRMWARE, { 0 }, A, GLOB, 2 },
	{ "event without an operation uses the global DEFAULT", digest_policy,
	  SIGIL_OP_INVALID, { 0 }, A, GLOB, 2 },
	{ "failed lookup denies", digest_policy, EX,
	  { .fail = EIO }, D, ERR, 0 },
	{ "lookup failure on an op with no rules cannot matter", digest_policy,
	  SIGIL_OP_X509_CERT, { .fail = EIO }, A, GLOB, 2 },
	{ "rule without properties matches everything",
	  HDR "DEFAULT action=DENY\nop=EXECUTE action=ALLOW\n", EX,
	  { 0 }, A, RULE, 3 },
	{ "properties are ANDed",
	  HDR "DEFAULT action=DENY\nop=EXECUTE boot_verified=TRUE fsverity_digest=sha256:" D1
	  " action=ALLOW\n", EX, { .fsv = "sha256:" D1 }, D, GLOB, 2 },
	{ "properties are ANDed (all hold)",
	  HDR "DEFAULT action=DENY\nop=EXECUTE boot_verified=TRUE fsverity_digest=sha256:" D1
	  " action=ALLOW\n", EX, { .boot = true, .fsv = "sha256:" D1 }, A, RULE, 3 },
	{ "no global DEFAULT: unknown operation is denied",
	  HDR "DEFAULT op=EXECUTE action=ALLOW\nDEFAULT op=FIRMWARE action=ALLOW\n"
	  "DEFAULT op=KMODULE action=ALLOW\nDEFAULT op=KEXEC_IMAGE action=ALLOW\n"
	  "DEFAULT op=KEXEC_INITRAMFS action=ALLOW\nDEFAULT op=POLICY action=ALLOW\n"
	  "DEFAULT op=X509_CERT action=ALLOW\n", SIGIL_OP_INVALID, { 0 }, D, ERR, 0 },
	{ "IPE Allow_Initramfs denies a file from disk",
	  "policy_name=Allow_Initramfs policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n", EX, { 0 }, D, GLOB, 2 },
	{ "IPE Allow_Initramfs allows the initramfs",
	  "policy_name=Allow_Initramfs policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n", EX, { .boot = true }, A, RULE, 4 },
	{ "fsverity_signature=FALSE holds for a file without fs-verity",
	  HDR "DEFAULT action=ALLOW\nop=EXECUTE fsverity_signature=FALSE action=DENY\n",
	  EX, { 0 }, D, RULE, 3 },
	{ "signer= follows the signature of its rule",
	  HDR "DEFAULT action=DENY\nop=EXECUTE ima_signature=TRUE signer=" K1_ID " action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_IMA] = K1_FPR } }, A, RULE, 3 },
	{ "signer= of another kind's signature does not count",
	  HDR "DEFAULT action=DENY\nop=EXECUTE ima_signature=TRUE signer=" K1_ID " action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_IMA] = K2_SKID, [SIGIL_SIG_PGP] = K1_FPR } }, D, GLOB, 2 },
	{ "signer= by fingerprint, SKID in the same rule as pgp and fs-verity",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=" K2_SKID " fsverity_signature=TRUE "
	  "pgp_signature=TRUE action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_FSVERITY] = K2_SKID, [SIGIL_SIG_PGP] = K2_SKID } }, A, RULE, 3 },
	{ "signer= needs every required signature by that key",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=" K2_SKID " fsverity_signature=TRUE "
	  "pgp_signature=TRUE action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_FSVERITY] = K2_SKID, [SIGIL_SIG_PGP] = K1_FPR } }, D, GLOB, 2 },
	{ "signer= alone: any signature by that key",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=" K1_FPR " action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_PGP] = K1_FPR } }, A, RULE, 3 },
	{ "signer= alone: no signature by that key",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=" K1_FPR " action=ALLOW\n",
	  EX, { .signers = { [SIGIL_SIG_IMA] = K2_SKID } }, D, GLOB, 2 },
	{ "unsigned file: signature properties are FALSE",
	  HDR "DEFAULT action=ALLOW\nop=EXECUTE pgp_signature=FALSE action=DENY\n",
	  EX, { 0 }, D, RULE, 3 },
	{ "dmverity_signature=TRUE does not hold without dm-verity",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_signature=TRUE action=ALLOW\n",
	  EX, { 0 }, D, GLOB, 2 },
	{ "dmverity_signature=FALSE holds without dm-verity, as in IPE",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_signature=FALSE action=ALLOW\n",
	  EX, { 0 }, A, RULE, 3 },
	{ "dmverity_roothash matches the volume's root hash",
	  dmv_policy, EX, { .dmv = "sha256:" D1 }, A, RULE, 5 },
	{ "dmverity_roothash: another root hash does not match",
	  dmv_policy, EX, { .dmv = "sha256:" D3 }, D, GLOB, 2 },
	{ "dmverity_roothash: same bytes, another algorithm does not match",
	  dmv_policy, EX, { .dmv = "sha3-256:" D1 }, D, GLOB, 2 },
	{ "dmverity_roothash: a revoked root hash is denied even when signed",
	  dmv_policy, EX, { .dmv = "sha256:" D2, .dmv_signed = true }, D, RULE, 3 },
	{ "dmverity_signature=TRUE with the same root hash, signed",
	  dmv_policy, EX, { .dmv = "sha256:" D3, .dmv_signed = true }, A, RULE, 4 },
	{ "dmverity_* with fsverity_digest in one rule: all must hold",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" D1
	  " fsverity_digest=sha256:" D2 " dmverity_signature=TRUE action=ALLOW\n",
	  EX, { .dmv = "sha256:" D1, .dmv_signed = true, .fsv = "sha256:" D2 }, A, RULE, 3 },
	{ "dmverity_* with fsverity_digest in one rule: unsigned volume",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" D1
	  " fsverity_digest=sha256:" D2 " dmverity_signature=TRUE action=ALLOW\n",
	  EX, { .dmv = "sha256:" D1, .fsv = "sha256:" D2 }, D, GLOB, 2 },
};

struct model_facts {
	struct sigil_facts facts;
	const struct file_model *file;
	unsigned int fetches[__SIGIL_PROP_MAX];
	struct sigil_signer signers[__SIGIL_SIG_MAX];
	struct sigil_signer prog_signer;
	struct sigil_manifest manifests[SIGIL_MANIFEST_MATCHES];
};

static const u8 kind_prop[__SIGIL_SIG_MAX] = {
	SIGIL_PROP_FSVERITY_SIGNATURE, SIGIL_PROP_IMA_SIGNATURE, SIGIL_PROP_PGP_SIGNATURE,
};

static int parse_hex_digest(const char *s, struct sigil_digest *d)
{
	size_t i, n;

	const char *colon = strchr(s, ':');
	unsigned int a;

	d->algo = SIGIL_HASH_NONE;
	for (a = 1; a < __SIGIL_HASH_MAX; a++)
		if (strlen(sigil_hash_algos[a].name) == (size_t)(colon - s) &&
		    !strncmp(s, sigil_hash_algos[a].name, colon - s))
			d->algo = a;
	s = colon + 1;
	n = strlen(s) / 2;
	if (n > SIGIL_DIGEST_MAX)
		n = SIGIL_DIGEST_MAX;
	for (i = 0; i < n; i++)
		sscanf(s + 2 * i, "%2hhx", &d->bytes[i]);
	d->size = (u8)n;
	return 0;
}

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	struct model_facts *m = (struct model_facts *)facts;
	unsigned int k;

	m->fetches[type]++;
	if (m->file->fail)
		return -m->file->fail;
	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		if (m->file->boot)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		if (m->file->fsv)
			parse_hex_digest(m->file->fsv, &facts->fsverity_digest);
		return 0;
	case SIGIL_PROP_ANONYMOUS:
		if (m->file->anon)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		if (m->file->prog_fsv)
			parse_hex_digest(m->file->prog_fsv, &facts->program_fsverity_digest);
		return 0;
	case SIGIL_PROP_PROGRAM_SIGNER:
		if (m->file->prog_signer) {
			struct sigil_signer *sg = &m->prog_signer;
			size_t i;

			sg->nids = 1;
			sg->len[0] = (u8)(strlen(m->file->prog_signer) / 2);
			for (i = 0; i < sg->len[0]; i++)
				sscanf(m->file->prog_signer + 2 * i, "%2hhx", &sg->id[0][i]);
			facts->program_signers[SIGIL_SIG_IMA] = sg;
		}
		return 0;
	case SIGIL_PROP_MANIFEST: {
		const char *s = m->file->manifests;
		int used;

		while (s && facts->nmanifests < SIGIL_MANIFEST_MATCHES) {
			struct sigil_manifest *mf = &m->manifests[facts->nmanifests];
			unsigned int v[3];

			if (sscanf(s, " %255[^@]@%u.%u.%u%n", mf->name, &v[0], &v[1],
				   &v[2], &used) != 4)
				break;
			mf->version[0] = (u16)v[0];
			mf->version[1] = (u16)v[1];
			mf->version[2] = (u16)v[2];
			facts->manifests[facts->nmanifests++] = mf;
			s += used;
		}
		return 0;
	}
	case SIGIL_PROP_DMVERITY_ROOTHASH:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		/* As the kernel does: one report answers both. */
		if (m->file->dmv)
			parse_hex_digest(m->file->dmv, &facts->dmverity_roothash);
		if (m->file->dmv_signed)
			facts->truths |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
		facts->known |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
				SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
		return 0;
	default:
		break;
	}
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		const char *hex = m->file->signers[k];
		struct sigil_signer *sg = &m->signers[k];
		size_t i;

		if (type != kind_prop[k] || !hex)
			continue;
		/* A key's fingerprint, as the kernel records it. */
		sg->nids = 1;
		sg->len[0] = (u8)(strlen(hex) / 2);
		for (i = 0; i < sg->len[0]; i++)
			sscanf(hex + 2 * i, "%2hhx", &sg->id[0][i]);
		facts->signers[k] = sg;
		facts->truths |= SIGIL_PROP_BIT(type);
	}
	return 0;
}

static struct sigil_policy *parse(const char *text)
{
	struct sigil_parse_opts opts = { SIGIL_PROPS_PARSEABLE };
	struct sigil_parse_error err;
	struct sigil_policy *pol;

	if (sigil_policy_parse(text, strlen(text), &opts, &pol, &err))
		printf("#   parse failed: line %u: %s\n", err.line, err.msg);
	return pol;
}

static void run_case(const struct eval_case *c)
{
	struct model_facts m = { .facts.fetch = fetch, .file = &c->file };
	struct sigil_decision d;
	struct sigil_policy *pol;
	unsigned int i;
	int rc;

	case_begin();
	pol = parse(c->policy);
	case_check(pol, "policy did not parse");
	if (pol) {
		rc = sigil_policy_decide(pol, c->op, &m.facts, &d);
		case_check(d.action == c->action, "action %d, want %d", d.action, c->action);
		case_check(d.match == c->match, "match %d, want %d", d.match, c->match);
		if (c->match == SIGIL_MATCH_ERROR) {
			case_check(rc < 0 && d.error == rc && !d.src, "rc %d error %d", rc, d.error);
		} else {
			case_check(rc == 0, "rc %d", rc);
			case_check(d.src && d.src->line == c->line, "line %u, want %u",
				  d.src ? d.src->line : 0, c->line);
		}
		for (i = 0; i < __SIGIL_PROP_MAX; i++)
			case_check(m.fetches[i] <= 1, "fact %u fetched %u times", i, m.fetches[i]);
	}
	sigil_policy_free(pol);
	case_end("- eval: %s", c->desc);
}

/* Facts that no rule of the operation needs are never fetched. */
static void test_lazy_fetch(void)
{
	struct file_model file = { .boot = true };
	struct model_facts m = { .facts.fetch = fetch, .file = &file };
	struct sigil_policy *pol = parse(digest_policy);
	struct sigil_decision d;

	case_begin();
	case_check(pol, "parse");
	if (pol) {
		sigil_policy_decide(pol, SIGIL_OP_KMODULE, &m.facts, &d);
		case_check(m.fetches[SIGIL_PROP_FSVERITY_DIGEST] == 0,
			  "fs-verity digest fetched for KMODULE");
		case_check(m.fetches[SIGIL_PROP_BOOT_VERIFIED] == 1, "boot fetched %u",
			  m.fetches[SIGIL_PROP_BOOT_VERIFIED]);
		sigil_policy_decide(pol, SIGIL_OP_EXECUTE, &m.facts, &d);
		case_check(m.fetches[SIGIL_PROP_BOOT_VERIFIED] == 1,
			  "known fact fetched again");
		case_check(m.fetches[SIGIL_PROP_FSVERITY_DIGEST] == 1, "digest fetched %u",
			  m.fetches[SIGIL_PROP_FSVERITY_DIGEST]);
	}
	sigil_policy_free(pol);
	case_end("- eval: facts are fetched lazily and at most once");
}

/* What the deciding rule required: the properties it tests positively. */
static void test_rule_props(void)
{
	static const char policy[] =
		HDR
		"DEFAULT action=ALLOW\n"
		"op=EXECUTE boot_verified=FALSE ima_signature=TRUE signer=" K1_ID " action=ALLOW\n"
		"op=EXECUTE fsverity_digest=sha256:" D1 " action=ALLOW\n";
	struct file_model content = { .signers = { [SIGIL_SIG_IMA] = K1_FPR } };
	struct file_model verity = { .fsv = "sha256:" D1 };
	struct file_model none = { 0 };
	struct model_facts m = { .facts.fetch = fetch, .file = &content };
	struct sigil_policy *pol = parse(policy);
	struct sigil_decision d;
	u32 props;

	case_begin();
	case_check(pol, "parse");
	if (pol) {
		sigil_policy_decide(pol, EX, &m.facts, &d);
		props = sigil_rule_props(pol, &d);
		case_check(props == (SIGIL_PROP_BIT(SIGIL_PROP_IMA_SIGNATURE) |
				    SIGIL_PROP_BIT(SIGIL_PROP_SIGNER)),
			  "content rule: props %#x", props);
		memset(&m, 0, sizeof(m));
		m.facts.fetch = fetch;
		m.file = &verity;
		sigil_policy_decide(pol, EX, &m.facts, &d);
		props = sigil_rule_props(pol, &d);
		case_check(props == SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST),
			  "digest rule: props %#x", props);
		memset(&m, 0, sizeof(m));
		m.facts.fetch = fetch;
		m.file = &none;
		sigil_policy_decide(pol, EX, &m.facts, &d);
		case_check(d.match == GLOB && !sigil_rule_props(pol, &d),
			  "a DEFAULT requires nothing");
	}
	sigil_policy_free(pol);
	case_end("- eval: sigil_rule_props() names what the deciding rule required");
}

/* manifest= counts as required, with or without a name or version. */
static void test_manifest_rule_props(void)
{
	static const char policy[] =
		HDR
		"DEFAULT action=DENY\n"
		"op=EXECUTE manifest=ANY action=ALLOW\n"
		"op=KMODULE manifest=base boot_verified=FALSE action=ALLOW\n";
	struct file_model listed = { .manifests = "base@1.0.0" };
	struct model_facts m = { .facts.fetch = fetch, .file = &listed };
	struct sigil_policy *pol = parse(policy);
	struct sigil_decision d;
	u32 props;

	case_begin();
	case_check(pol, "parse");
	if (pol) {
		sigil_policy_decide(pol, EX, &m.facts, &d);
		props = sigil_rule_props(pol, &d);
		case_check(d.match == RULE && props == SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST),
			  "manifest=ANY: props %#x", props);
		memset(&m, 0, sizeof(m));
		m.facts.fetch = fetch;
		m.file = &listed;
		sigil_policy_decide(pol, KM, &m.facts, &d);
		props = sigil_rule_props(pol, &d);
		case_check(d.match == RULE && props == SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST),
			  "manifest=base: props %#x", props);
		case_check(SIGIL_PROPS_MUTABLE & SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST),
			  "manifest is mutable");
	}
	sigil_policy_free(pol);
	case_end("- eval: sigil_rule_props() counts manifest= as required");
}

int main(void)
{
	size_t i;

	ksft_print_header();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_lazy_fetch();
	test_rule_props();
	test_manifest_rule_props();
	cases_done();
}
