// SPDX-License-Identifier: GPL-2.0-only
/*
 * Policy text to struct sigil_policy.  The grammar is IPE's (every IPE
 * policy parses and means the same), with every error reported as an errno
 * plus the line, column and token that caused it.
 */

#include "policy.h"
#include "manifest.h"
#include "text.h"

const char *const sigil_op_names[__SIGIL_OP_MAX] = {
	[SIGIL_OP_EXECUTE]		= "EXECUTE",
	[SIGIL_OP_FIRMWARE]		= "FIRMWARE",
	[SIGIL_OP_KMODULE]		= "KMODULE",
	[SIGIL_OP_KEXEC_IMAGE]		= "KEXEC_IMAGE",
	[SIGIL_OP_KEXEC_INITRAMFS]	= "KEXEC_INITRAMFS",
	[SIGIL_OP_POLICY]		= "POLICY",
	[SIGIL_OP_X509_CERT]		= "X509_CERT",
};

const char *const sigil_action_names[__SIGIL_ACTION_MAX] = {
	[SIGIL_ACTION_NONE]	= "NONE",
	[SIGIL_ACTION_ALLOW]	= "ALLOW",
	[SIGIL_ACTION_DENY]	= "DENY",
};

const char *const sigil_match_names[__SIGIL_MATCH_MAX] = {
	[SIGIL_MATCH_RULE]		= "rule",
	[SIGIL_MATCH_OP_DEFAULT]	= "op_default",
	[SIGIL_MATCH_GLOBAL_DEFAULT]	= "global_default",
	[SIGIL_MATCH_ERROR]		= "error",
};

const char *const sigil_prop_names[__SIGIL_PROP_MAX] = {
	[SIGIL_PROP_BOOT_VERIFIED]	= "boot_verified",
	[SIGIL_PROP_DMVERITY_ROOTHASH]	= "dmverity_roothash",
	[SIGIL_PROP_DMVERITY_SIGNATURE]	= "dmverity_signature",
	[SIGIL_PROP_FSVERITY_DIGEST]	= "fsverity_digest",
	[SIGIL_PROP_FSVERITY_SIGNATURE]	= "fsverity_signature",
	[SIGIL_PROP_IMA_SIGNATURE]	= "ima_signature",
	[SIGIL_PROP_PGP_SIGNATURE]	= "pgp_signature",
	[SIGIL_PROP_SIGNER]		= "signer",
	[SIGIL_PROP_ANONYMOUS]		= "anonymous",
	[SIGIL_PROP_PROGRAM_FSVERITY_DIGEST] = "program_fsverity_digest",
	[SIGIL_PROP_PROGRAM_SIGNER]	= "program_signer",
	[SIGIL_PROP_MANIFEST]		= "manifest",
};

/* Names as the kernel crypto API spells them, which dm-verity reports. */
const struct sigil_hash_info sigil_hash_algos[__SIGIL_HASH_MAX] = {
	[SIGIL_HASH_NONE]	 = { "none", 0 },
	[SIGIL_HASH_SHA256]	 = { "sha256", 32 },
	[SIGIL_HASH_SHA384]	 = { "sha384", 48 },
	[SIGIL_HASH_SHA512]	 = { "sha512", 64 },
	[SIGIL_HASH_SHA3_224]	 = { "sha3-224", 28 },
	[SIGIL_HASH_SHA3_256]	 = { "sha3-256", 32 },
	[SIGIL_HASH_SHA3_384]	 = { "sha3-384", 48 },
	[SIGIL_HASH_SHA3_512]	 = { "sha3-512", 64 },
	[SIGIL_HASH_BLAKE2B_512] = { "blake2b-512", 64 },
	[SIGIL_HASH_BLAKE2S_256] = { "blake2s-256", 32 },
	[SIGIL_HASH_SM3]	 = { "sm3", 32 },
	[SIGIL_HASH_RMD160]	 = { "rmd160", 20 },
};

#define HASH_BIT(algo)	(1u << (algo))

enum prop_kind {
	PROP_BOOL,	/* TRUE | FALSE */
	PROP_DIGEST,	/* ALGORITHM:HEX */
	PROP_KEY_ID,	/* [0x]HEX: a fingerprint, key ID or SKID */
	PROP_MANIFEST,	/* NAME | ANY | NAME@MAJOR.MINOR.PATCH */
};

/* Per property: how its value is written, and which algorithms it takes. */
static const struct {
	u8 kind;
	u32 algos;
} prop_syntax[__SIGIL_PROP_MAX] = {
	[SIGIL_PROP_BOOT_VERIFIED]	= { PROP_BOOL },
	[SIGIL_PROP_DMVERITY_ROOTHASH]	= { PROP_DIGEST,
		HASH_BIT(SIGIL_HASH_SHA256) | HASH_BIT(SIGIL_HASH_SHA384) |
		HASH_BIT(SIGIL_HASH_SHA512) | HASH_BIT(SIGIL_HASH_SHA3_224) |
		HASH_BIT(SIGIL_HASH_SHA3_256) | HASH_BIT(SIGIL_HASH_SHA3_384) |
		HASH_BIT(SIGIL_HASH_SHA3_512) |
		HASH_BIT(SIGIL_HASH_BLAKE2B_512) |
		HASH_BIT(SIGIL_HASH_BLAKE2S_256) | HASH_BIT(SIGIL_HASH_SM3) |
		HASH_BIT(SIGIL_HASH_RMD160) },
	[SIGIL_PROP_DMVERITY_SIGNATURE]	= { PROP_BOOL },
	/* fs-verity supports exactly these two (fs/verity/hash_algs.c). */
	[SIGIL_PROP_FSVERITY_DIGEST]	= { PROP_DIGEST,
		HASH_BIT(SIGIL_HASH_SHA256) | HASH_BIT(SIGIL_HASH_SHA512) },
	[SIGIL_PROP_FSVERITY_SIGNATURE]	= { PROP_BOOL },
	[SIGIL_PROP_IMA_SIGNATURE]	= { PROP_BOOL },
	[SIGIL_PROP_PGP_SIGNATURE]	= { PROP_BOOL },
	[SIGIL_PROP_SIGNER]		= { PROP_KEY_ID },
	[SIGIL_PROP_ANONYMOUS]		= { PROP_BOOL },
	[SIGIL_PROP_PROGRAM_FSVERITY_DIGEST] = { PROP_DIGEST,
		HASH_BIT(SIGIL_HASH_SHA256) | HASH_BIT(SIGIL_HASH_SHA512) },
	[SIGIL_PROP_PROGRAM_SIGNER]	= { PROP_KEY_ID },
	[SIGIL_PROP_MANIFEST]		= { PROP_MANIFEST },
};

struct token {
	const char *s;
	u32 len;
	u32 col;	/* 1-based */
};

/* The tokens of one statement, read one at a time: nothing is allocated. */
struct tokens {
	const char *line;
	u32 len;	/* comment and trailing blanks excluded */
	u32 pos;
};

struct parser {
	const char *text;
	const struct sigil_parse_opts *opts;
	struct sigil_parse_error *err;
	struct sigil_policy *pol;
	bool have_header;
	struct sigil_src line;	/* the statement being parsed */
	u32 cap_rules;
	u32 cap_props;
	u32 cap_values;
};

static bool tok_eq(const struct token *t, const char *s)
{
	size_t n = strlen(s);

	return t->len == n && !memcmp(t->s, s, n);
}

static bool tok_prefix(const struct token *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->len >= n && !memcmp(t->s, prefix, n);
}

/*
 * Record the first error only: later failures while unwinding must not
 * overwrite the message that names the cause.
 */
static int fail(struct parser *p, int err, u32 col, const char *fmt, ...)
{
	va_list ap;

	if (p->err->err)
		return p->err->err;
	p->err->err = err;
	p->err->line = p->line.line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return err;
}

/* Grow *@arr so that it holds @need elements of @elem bytes. */
static int grow(struct parser *p, void **arr, u32 *cap, u32 need, size_t elem)
{
	int rc = sigil_array_grow(arr, cap, need, elem, 16);

	if (rc)
		return fail(p, rc, 0, rc == -ENOMEM ? "out of memory" :
			    "policy is too large");
	return 0;
}

/* ---- tokens ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * What IPE strips from the end of a line: the kernel's isspace(), which
 * includes 0xa0 (Latin-1 no-break space).
 */
static bool is_trailing_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' ||
	       c == '\f' || c == '\r' || (u8)c == 0xa0;
}

/*
 * The next token of a statement.  Tokens are separated by blanks and tabs
 * only, as in IPE.
 */
static bool next_token(struct tokens *ts, struct token *t)
{
	while (ts->pos < ts->len && is_blank(ts->line[ts->pos]))
		ts->pos++;
	if (ts->pos == ts->len)
		return false;
	t->s = ts->line + ts->pos;
	t->col = ts->pos + 1;
	while (ts->pos < ts->len && !is_blank(ts->line[ts->pos]))
		ts->pos++;
	t->len = (u32)(ts->line + ts->pos - t->s);
	return true;
}

/* The last token of a non-empty statement, which ends in a non-blank. */
static void last_token(const struct tokens *ts, struct token *t)
{
	u32 start = ts->len;

	while (start > 0 && !is_blank(ts->line[start - 1]))
		start--;
	t->s = ts->line + start;
	t->len = ts->len - start;
	t->col = start + 1;
}

/* ---- header: policy_name=NAME policy_version=MAJOR.MINOR.REVISION ---- */

static int parse_version(struct parser *p, const struct token *t)
{
	const char *s = t->s + strlen("policy_version=");
	char msg[SIGIL_ERR_MSG_MAX];
	int rc;

	rc = sigil_version_parse(s, t->len - strlen("policy_version="),
				 p->pol->version, "policy_version",
				 "MAJOR.MINOR.REVISION", msg, sizeof(msg));
	if (rc)
		return fail(p, rc, t->col, "%s", msg);
	return 0;
}

static int parse_name(struct parser *p, const struct token *t)
{
	const char *s = t->s + strlen("policy_name=");
	u32 i, len = t->len - strlen("policy_name=");

	if (!len)
		return fail(p, -EBADMSG, t->col, "policy_name is empty");
	if (len > SIGIL_POLICY_NAME_MAX)
		return fail(p, -ENAMETOOLONG, t->col,
			    "policy_name is %u bytes long; the limit is %u",
			    len, SIGIL_POLICY_NAME_MAX);
	/* The name becomes a securityfs directory. */
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return fail(p, -EBADMSG, t->col,
			    "policy_name cannot be '.' or '..'");
	for (i = 0; i < len; i++) {
		if (s[i] == '/' || (u8)s[i] < 0x20 || s[i] == 0x7f)
			return fail(p, -EBADMSG, t->col + strlen("policy_name=") + i,
				    "policy_name contains '%s', which a directory name cannot hold",
				    s[i] == '/' ? "/" : "a control character");
	}
	memcpy(p->pol->name, s, len);
	p->pol->name[len] = '\0';
	return 0;
}

static int parse_header(struct parser *p, struct tokens *ts)
{
	struct token name, version, extra;
	char q[SIGIL_QUOTE_MAX + 1];
	int rc;

	next_token(ts, &name);
	if (!tok_prefix(&name, "policy_name=")) {
		sigil_text_quote(q, sizeof(q), name.s, name.len);
		return fail(p, -EBADMSG, name.col,
			    "expected the header 'policy_name=NAME policy_version=MAJOR.MINOR.REVISION' first, got '%s'",
			    q);
	}
	rc = parse_name(p, &name);
	if (rc)
		return rc;
	if (!next_token(ts, &version))
		return fail(p, -EBADMSG, name.col + name.len,
			    "header has no policy_version= after policy_name=");
	if (!tok_prefix(&version, "policy_version=")) {
		sigil_text_quote(q, sizeof(q), version.s, version.len);
		return fail(p, -EBADMSG, version.col,
			    "expected policy_version= after policy_name=, got '%s'",
			    q);
	}
	rc = parse_version(p, &version);
	if (rc)
		return rc;
	if (next_token(ts, &extra)) {
		sigil_text_quote(q, sizeof(q), extra.s, extra.len);
		return fail(p, -EBADMSG, extra.col,
			    "unexpected '%s' after policy_version", q);
	}
	p->have_header = true;
	return 0;
}

/* ---- rules: [DEFAULT] op=OP [property=value]... action=ALLOW|DENY ---- */

static int parse_digest(struct parser *p, const struct token *t,
			enum sigil_prop_type type, const char *val,
			u32 vlen, struct sigil_prop *prop)
{
	struct sigil_policy *pol = p->pol;
	const char *colon = memchr(val, ':', vlen);
	const char *name = sigil_prop_names[type];
	u32 vcol = t->col + (u32)(val - t->s);
	char q[SIGIL_QUOTE_MAX + 1];
	u32 i, alen, hlen;
	unsigned int a;
	int rc;

	if (!colon) {
		sigil_text_quote(q, sizeof(q), val, vlen);
		return fail(p, -EBADMSG, vcol,
			    "%s takes ALGORITHM:HEX (as in sha256:...), got '%s'",
			    name, q);
	}
	alen = colon - val;
	for (a = SIGIL_HASH_NONE + 1; a < __SIGIL_HASH_MAX; a++) {
		if (strlen(sigil_hash_algos[a].name) == alen &&
		    !memcmp(sigil_hash_algos[a].name, val, alen))
			break;
	}
	if (a == __SIGIL_HASH_MAX || !(prop_syntax[type].algos & HASH_BIT(a))) {
		char list[128] = "";
		size_t used = 0;
		unsigned int b;

		for (b = SIGIL_HASH_NONE + 1; b < __SIGIL_HASH_MAX; b++) {
			if (prop_syntax[type].algos & HASH_BIT(b))
				used += snprintf(list + used, sizeof(list) - used,
						 "%s%s", used ? " " : "",
						 sigil_hash_algos[b].name);
			if (used >= sizeof(list))
				break;
		}
		sigil_text_quote(q, sizeof(q), val, alen);
		return fail(p, -EBADMSG, vcol,
			    "%s: unknown hash algorithm '%s' (expected one of: %s)",
			    name, q, list);
	}
	hlen = vlen - alen - 1;
	if (hlen != 2u * sigil_hash_algos[a].size)
		return fail(p, -EBADMSG, vcol + alen + 1,
			    "%s: a %s digest is %u hex digits, got %u",
			    name, sigil_hash_algos[a].name,
			    2u * sigil_hash_algos[a].size, hlen);

	rc = grow(p, (void **)&pol->values, &p->cap_values,
		  pol->nvalues + sigil_hash_algos[a].size, 1);
	if (rc)
		return rc;
	for (i = 0; i < hlen; i += 2) {
		int hi = hex_to_bin(colon[1 + i]), lo = hex_to_bin(colon[2 + i]);

		if (hi < 0 || lo < 0) {
			u32 bad = hi < 0 ? i : i + 1;

			sigil_text_quote(q, sizeof(q), colon + 1 + bad, 1);
			return fail(p, -EBADMSG, vcol + alen + 1 + bad,
				    "%s: '%s' is not a hex digit", name, q);
		}
		pol->values[pol->nvalues + i / 2] = (u8)(hi << 4 | lo);
	}
	prop->value = (u8)a;
	prop->size = sigil_hash_algos[a].size;
	prop->off = pol->nvalues;
	pol->nvalues += prop->size;
	return 0;
}

/* signer=[0x]HEX: 8 to 32 bytes (key ID, fingerprint, SKID). */
static int parse_key_id(struct parser *p, const struct token *t,
			const char *val, u32 vlen, struct sigil_prop *prop)
{
	const char *name = sigil_prop_names[prop->type];
	struct sigil_policy *pol = p->pol;
	u32 vcol = t->col + (u32)(val - t->s), i;
	char q[SIGIL_QUOTE_MAX + 1];
	int rc;

	if (vlen > 2 && val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
		val += 2;
		vlen -= 2;
		vcol += 2;
	}
	for (i = 0; i < vlen; i++) {
		if (hex_to_bin(val[i]) < 0) {
			sigil_text_quote(q, sizeof(q), val + i, 1);
			return fail(p, -EBADMSG, vcol + i,
				    "%s: '%s' is not a hex digit", name, q);
		}
	}
	if (vlen % 2 || vlen < 16 || vlen > 2 * SIGIL_SIGNER_ID_MAX)
		return fail(p, -EBADMSG, vcol,
			    "%s takes a key ID (16 hex digits), a fingerprint (40) or a subject key identifier (16 to 64), got %u digits",
			    name, vlen);
	rc = grow(p, (void **)&pol->values, &p->cap_values,
		  pol->nvalues + vlen / 2, 1);
	if (rc)
		return rc;
	for (i = 0; i < vlen; i += 2)
		pol->values[pol->nvalues + i / 2] =
			(u8)(hex_to_bin(val[i]) << 4 | hex_to_bin(val[i + 1]));
	prop->size = (u8)(vlen / 2);
	prop->off = pol->nvalues;
	pol->nvalues += prop->size;
	return 0;
}

/*
 * manifest=NAME, manifest=ANY or manifest=NAME@MAJOR.MINOR.PATCH: the
 * minimum version (0 without one) as a u64, then the name (none for ANY).
 */
static int parse_manifest(struct parser *p, const struct token *t,
			  const char *val, u32 vlen, struct sigil_prop *prop)
{
	struct sigil_policy *pol = p->pol;
	const char *at = memchr(val, '@', vlen);
	u32 vcol = t->col + (u32)(val - t->s);
	u32 nlen = at ? (u32)(at - val) : vlen;
	char q[SIGIL_QUOTE_MAX + 1];
	char msg[SIGIL_ERR_MSG_MAX];
	u16 version[3] = { 0 };
	bool any;
	u64 min;
	int rc;

	sigil_text_quote(q, sizeof(q), val, nlen);
	any = nlen == 3 && !memcmp(val, "ANY", 3);
	if (!nlen)
		return fail(p, -EBADMSG, vcol,
			    "manifest takes NAME, ANY or NAME@MAJOR.MINOR.PATCH, got '%s'",
			    q);
	if (any && at) {
		sigil_text_quote(q, sizeof(q), val, vlen);
		return fail(p, -EBADMSG, vcol,
			    "manifest=ANY takes no minimum version, got '%s': a version belongs to one manifest name",
			    q);
	}
	if (!any && nlen > SIGIL_MANIFEST_NAME_MAX)
		return fail(p, -ENAMETOOLONG, vcol,
			    "manifest: the name '%s' is %u bytes long; the limit is %u",
			    q, nlen, SIGIL_MANIFEST_NAME_MAX);
	if (!any && !sigil_manifest_name_valid(val, nlen))
		return fail(p, -EBADMSG, vcol,
			    "manifest: '%s' is not a manifest name (A-Z a-z 0-9 . _ + : -, not '.' or '..')",
			    q);
	if (at) {
		rc = sigil_version_parse(at + 1, vlen - nlen - 1, version,
					 "manifest minimum version",
					 "MAJOR.MINOR.PATCH", msg, sizeof(msg));
		if (rc)
			return fail(p, rc, vcol + nlen + 1, "%s", msg);
	}
	rc = grow(p, (void **)&pol->values, &p->cap_values,
		  pol->nvalues + sizeof(min) + (any ? 0 : nlen), 1);
	if (rc)
		return rc;
	min = (u64)version[0] << 32 | (u64)version[1] << 16 | version[2];
	memcpy(pol->values + pol->nvalues, &min, sizeof(min));
	if (!any)
		memcpy(pol->values + pol->nvalues + sizeof(min), val, nlen);
	prop->value = at ? 1 : 0;
	prop->size = any ? 0 : (u8)nlen;
	prop->off = pol->nvalues;
	pol->nvalues += sizeof(min) + prop->size;
	return 0;
}

static int parse_property(struct parser *p, const struct token *t,
			  struct sigil_rule *r)
{
	struct sigil_policy *pol = p->pol;
	const char *eq = memchr(t->s, '=', t->len);
	struct sigil_prop prop = { 0 };
	char q[SIGIL_QUOTE_MAX + 1];
	const char *val;
	u32 nlen, vlen;
	unsigned int type;
	int rc;

	sigil_text_quote(q, sizeof(q), t->s, t->len);
	if (!eq)
		return fail(p, -EBADMSG, t->col,
			    "expected property=value, got '%s'", q);
	nlen = eq - t->s;
	val = eq + 1;
	vlen = t->len - nlen - 1;

	for (type = 0; type < __SIGIL_PROP_MAX; type++) {
		if (strlen(sigil_prop_names[type]) == nlen &&
		    !memcmp(sigil_prop_names[type], t->s, nlen))
			break;
	}
	if (type == __SIGIL_PROP_MAX) {
		if (tok_prefix(t, "op="))
			return fail(p, -EBADMSG, t->col,
				    "op= appears twice in one rule ('%s')", q);
		if (tok_prefix(t, "action="))
			return fail(p, -EBADMSG, t->col,
				    "action= must be the last token of a rule, got '%s' earlier",
				    q);
		sigil_text_quote(q, sizeof(q), t->s, nlen);
		return fail(p, -EBADMSG, t->col, "unknown property '%s'", q);
	}
	if (!(p->opts->props & SIGIL_PROP_BIT(type)))
		return fail(p, -EOPNOTSUPP, t->col, "property '%s' %s",
			    sigil_prop_names[type],
			    p->opts->why_not && p->opts->why_not[type] ?
			    p->opts->why_not[type] :
			    "is not supported by this build");

	prop.type = (u8)type;
	if (prop_syntax[type].kind == PROP_BOOL) {
		struct token v = { val, vlen, 0 };

		if (tok_eq(&v, "TRUE")) {
			prop.value = 1;
		} else if (!tok_eq(&v, "FALSE")) {
			sigil_text_quote(q, sizeof(q), val, vlen);
			return fail(p, -EBADMSG, t->col + nlen + 1,
				    "%s takes TRUE or FALSE, got '%s'",
				    sigil_prop_names[type], q);
		}
	} else if (prop_syntax[type].kind == PROP_DIGEST) {
		rc = parse_digest(p, t, type, val, vlen, &prop);
		if (rc)
			return rc;
	} else if (prop_syntax[type].kind == PROP_MANIFEST) {
		rc = parse_manifest(p, t, val, vlen, &prop);
		if (rc)
			return rc;
	} else {
		rc = parse_key_id(p, t, val, vlen, &prop);
		if (rc)
			return rc;
	}

	if (r->nprops == 0xffff)
		return fail(p, -E2BIG, t->col, "too many properties in one rule");
	rc = grow(p, (void **)&pol->props, &p->cap_props, pol->nprops + 1,
		  sizeof(prop));
	if (rc)
		return rc;
	if (!r->nprops)
		r->first_prop = pol->nprops;
	pol->props[pol->nprops++] = prop;
	pol->props_used |= SIGIL_PROP_BIT(type);
	r->nprops++;
	return 0;
}

static int lookup_op(struct parser *p, const struct token *t)
{
	char q[SIGIL_QUOTE_MAX + 1];
	unsigned int op;

	sigil_text_quote(q, sizeof(q), t->s, t->len);
	if (tok_prefix(t, "policy_name="))
		return fail(p, -EBADMSG, t->col,
			    "a second header '%s': a policy has exactly one header line",
			    q);
	if (!tok_prefix(t, "op="))
		return fail(p, -EBADMSG, t->col,
			    "a rule starts with op= (or DEFAULT), got '%s'", q);
	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		if (t->len == 3 + strlen(sigil_op_names[op]) &&
		    !memcmp(t->s + 3, sigil_op_names[op], t->len - 3))
			return (int)op;
	}
	return fail(p, -EBADMSG, t->col,
		    "unknown operation '%s' (expected EXECUTE, FIRMWARE, KMODULE, KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY or X509_CERT)",
		    q);
}

static int lookup_action(struct parser *p, const struct token *t)
{
	char q[SIGIL_QUOTE_MAX + 1];

	if (tok_eq(t, "action=ALLOW"))
		return SIGIL_ACTION_ALLOW;
	if (tok_eq(t, "action=DENY"))
		return SIGIL_ACTION_DENY;
	sigil_text_quote(q, sizeof(q), t->s, t->len);
	if (tok_prefix(t, "action="))
		return fail(p, -EBADMSG, t->col,
			    "unknown action '%s' (expected action=ALLOW or action=DENY)",
			    q);
	return fail(p, -EBADMSG, t->col,
		    "a rule ends with action=ALLOW or action=DENY, got '%s'",
		    q);
}

static int set_default(struct parser *p, int op, int action)
{
	struct sigil_policy *pol = p->pol;
	u8 *slot = op < 0 ? &pol->global_default :
			    &pol->ops[op].default_action;
	struct sigil_src *src = op < 0 ? &pol->global_default_src :
					 &pol->ops[op].default_src;

	if (*slot != SIGIL_ACTION_NONE) {
		if (op < 0)
			return fail(p, -EBADMSG, 1,
				    "a second global DEFAULT (the first is on line %u)",
				    src->line);
		return fail(p, -EBADMSG, 1,
			    "a second DEFAULT for op=%s (the first is on line %u)",
			    sigil_op_names[op], src->line);
	}
	*slot = (u8)action;
	*src = p->line;
	return 0;
}

/*
 * A signer= property names the key of the signatures its rule requires:
 * record which kinds those are, whatever the order of the properties.
 */
static void bind_signers(struct sigil_policy *pol, const struct sigil_rule *r)
{
	struct sigil_prop *props;
	unsigned int kinds = 0, i;

	if (!r->nprops)
		return;		/* pol->props may still be NULL */
	props = pol->props + r->first_prop;

	for (i = 0; i < r->nprops; i++) {
		if (!props[i].value)
			continue;
		if (props[i].type == SIGIL_PROP_FSVERITY_SIGNATURE)
			kinds |= 1u << SIGIL_SIG_FSVERITY;
		else if (props[i].type == SIGIL_PROP_IMA_SIGNATURE)
			kinds |= 1u << SIGIL_SIG_IMA;
		else if (props[i].type == SIGIL_PROP_PGP_SIGNATURE)
			kinds |= 1u << SIGIL_SIG_PGP;
	}
	for (i = 0; i < r->nprops; i++)
		if (props[i].type == SIGIL_PROP_SIGNER)
			props[i].value = (u8)kinds;
}

static int parse_rule(struct parser *p, struct tokens *ts)
{
	struct sigil_policy *pol = p->pol;
	struct sigil_rule r = { .src = p->line };
	bool is_default = false;
	struct token t, last;
	int op = -1, action;
	int rc;

	last_token(ts, &last);
	next_token(ts, &t);
	if (t.s != last.s && tok_eq(&t, "DEFAULT")) {
		is_default = true;
		next_token(ts, &t);
	}
	if (t.s != last.s) {
		op = lookup_op(p, &t);
		if (op < 0)
			return op;
		next_token(ts, &t);
	}
	if (is_default && t.s != last.s) {
		char q[SIGIL_QUOTE_MAX + 1];

		sigil_text_quote(q, sizeof(q), t.s, t.len);
		return fail(p, -EBADMSG, t.col,
			    "DEFAULT takes only op= and action=, got '%s'", q);
	}
	for (; t.s != last.s; next_token(ts, &t)) {
		rc = parse_property(p, &t, &r);
		if (rc)
			return rc;
	}
	action = lookup_action(p, &last);
	if (action < 0)
		return action;
	if (is_default)
		return set_default(p, op, action);
	if (op < 0)
		return fail(p, -EBADMSG, last.col,
			    "rule has no op= (a rule is 'op=OPERATION [property=value]... action=ALLOW|DENY')");

	r.op = (u8)op;
	r.action = (u8)action;
	bind_signers(pol, &r);
	rc = grow(p, (void **)&pol->rules, &p->cap_rules, pol->nrules + 1,
		  sizeof(r));
	if (rc)
		return rc;
	pol->rules[pol->nrules++] = r;
	return 0;
}

/* Stable regrouping of rules by operation, keeping policy order inside. */
static int group_rules(struct parser *p)
{
	struct sigil_policy *pol = p->pol;
	u32 next[__SIGIL_OP_MAX], i, first = 0;
	struct sigil_rule *sorted;
	unsigned int op;

	for (i = 0; i < pol->nrules; i++)
		pol->ops[pol->rules[i].op].count++;
	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		pol->ops[op].first = first;
		next[op] = first;
		first += pol->ops[op].count;
	}
	if (!pol->nrules)
		return 0;
	sorted = sigil_alloc((size_t)pol->nrules * sizeof(*sorted));
	if (!sorted)
		return fail(p, -ENOMEM, 0, "out of memory");
	for (i = 0; i < pol->nrules; i++)
		sorted[next[pol->rules[i].op]++] = pol->rules[i];
	sigil_free(pol->rules);
	pol->rules = sorted;
	return 0;
}

static int validate(struct parser *p)
{
	struct sigil_policy *pol = p->pol;
	unsigned int op;

	if (!p->have_header)
		return fail(p, -EBADMSG, 0,
			    "policy is empty: expected the header 'policy_name=NAME policy_version=MAJOR.MINOR.REVISION'");
	if (pol->global_default != SIGIL_ACTION_NONE)
		return 0;
	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		if (pol->ops[op].default_action == SIGIL_ACTION_NONE)
			return fail(p, -EBADMSG, 0,
				    "end of policy: op=%s has no DEFAULT and there is no global DEFAULT ('DEFAULT action=ALLOW|DENY')",
				    sigil_op_names[op]);
	}
	return 0;
}

/* Trim the arrays to their final size and account for the memory. */
static void shrink(struct sigil_policy *pol)
{
	void *n;

	if (pol->nrules) {
		n = sigil_realloc(pol->rules, pol->nrules * sizeof(*pol->rules));
		if (n)
			pol->rules = n;
	}
	if (pol->nprops) {
		n = sigil_realloc(pol->props, pol->nprops * sizeof(*pol->props));
		if (n)
			pol->props = n;
	}
	if (pol->nvalues) {
		n = sigil_realloc(pol->values, pol->nvalues);
		if (n)
			pol->values = n;
	}
	pol->rule_bytes = (size_t)pol->nrules * sizeof(*pol->rules) +
			  (size_t)pol->nprops * sizeof(*pol->props) +
			  pol->nvalues;
	pol->mem_bytes = sizeof(*pol) + pol->rule_bytes;
}

static int parse_lines(struct parser *p, const char *text, size_t len)
{
	size_t pos = 0;
	int rc;

	p->line.line = 1;
	while (pos < len) {
		size_t start = pos, end, stmt;
		struct tokens ts;
		struct token first;
		const char *hash;

		while (pos < len && text[pos] != '\n' && text[pos] != '\r') {
			if (!text[pos]) {
				p->line.off = start;
				return fail(p, -EBADMSG, (u32)(pos - start + 1),
					    "NUL byte in policy text");
			}
			pos++;
		}
		end = pos;
		hash = memchr(text + start, '#', end - start);
		stmt = hash ? (size_t)(hash - text) : end;
		while (stmt > start && is_trailing_space(text[stmt - 1]))
			stmt--;

		ts.line = text + start;
		ts.len = (u32)(stmt - start);
		ts.pos = 0;
		if (next_token(&ts, &first)) {
			/* Statements are quoted from their first token. */
			p->line.off = (u32)start + first.col - 1;
			p->line.len = ts.len - (first.col - 1);
			ts.pos = 0;
			rc = p->have_header ? parse_rule(p, &ts) :
					      parse_header(p, &ts);
			if (rc)
				return rc;
		}

		/* CR LF, LF and a lone CR each end one line. */
		if (pos < len) {
			if (text[pos] == '\r' && pos + 1 < len && text[pos + 1] == '\n')
				pos++;
			pos++;
			if (pos < len)
				p->line.line++;
		}
		sigil_cond_resched();
	}
	return 0;
}

/**
 * sigil_policy_parse() - parse and validate a policy text
 * @text: the policy; it need not be NUL-terminated
 * @len: length of @text in bytes
 * @opts: what the caller can evaluate
 * @out: on success, the new policy; free it with sigil_policy_free()
 * @err: on failure, the errno, location and message
 *
 * Return:
 * * %0			- @out holds the policy
 * * %-EBADMSG		- syntax error, unknown name, malformed value or
 *			  missing DEFAULT; @err says which
 * * %-EINVAL		- policy_version component, or one of a manifest=
 *			  minimum version, is not a number
 * * %-ERANGE		- such a component is larger than 65535
 * * %-ENAMETOOLONG	- policy_name is longer than %SIGIL_POLICY_NAME_MAX,
 *			  or a manifest= name than %SIGIL_MANIFEST_NAME_MAX
 * * %-EOPNOTSUPP	- a property that @opts does not allow
 * * %-E2BIG		- more rules or properties than the format holds
 * * %-ENOMEM		- out of memory
 */
int sigil_policy_parse(const char *text, size_t len,
		       const struct sigil_parse_opts *opts,
		       struct sigil_policy **out,
		       struct sigil_parse_error *err)
{
	struct parser p = { .text = text, .opts = opts, .err = err };
	int rc;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	if (len > 0xffffffffu) {
		p.line.line = 1;
		return fail(&p, -E2BIG, 0, "policy is larger than 4 GiB");
	}
	p.pol = sigil_zalloc(sizeof(*p.pol));
	if (!p.pol)
		return fail(&p, -ENOMEM, 0, "out of memory");

	rc = parse_lines(&p, text, len);
	if (!rc)
		rc = validate(&p);
	if (!rc)
		rc = group_rules(&p);
	if (rc) {
		sigil_policy_free(p.pol);
		return rc;
	}
	shrink(p.pol);
	rc = sigil_policy_compile(p.pol);
	if (rc) {
		sigil_policy_free(p.pol);
		return fail(&p, rc, 0, "out of memory");
	}
	*out = p.pol;
	return 0;
}

/**
 * sigil_policy_free() - free a policy from sigil_policy_parse()
 * @pol: the policy; NULL is allowed
 */
void sigil_policy_free(struct sigil_policy *pol)
{
	if (!pol)
		return;
	sigil_free(pol->rules);
	sigil_free(pol->props);
	sigil_free(pol->values);
	sigil_free(pol->runs);
	sigil_free(pol->slots);
	sigil_free(pol);
}

/**
 * sigil_parse_error_format() - render a parse error as one line
 * @err: the error
 * @buf: output buffer
 * @size: size of @buf
 *
 * The form is "line L, column C: message" ("line L: message" without a
 * column), which is what the kernel logs and sigil/status shows.
 *
 * Return: the length of the full text, as snprintf() returns it.
 */
int sigil_parse_error_format(const struct sigil_parse_error *err, char *buf,
			     size_t size)
{
	if (err->col)
		return snprintf(buf, size, "line %u, column %u: %s", err->line,
				err->col, err->msg);
	return snprintf(buf, size, "line %u: %s", err->line, err->msg);
}

/**
 * sigil_policy_version() - a policy's version as one comparable number
 * @pol: the policy
 *
 * Return: major << 32 | minor << 16 | revision.
 */
u64 sigil_policy_version(const struct sigil_policy *pol)
{
	return (u64)pol->version[0] << 32 | (u64)pol->version[1] << 16 |
	       pol->version[2];
}
