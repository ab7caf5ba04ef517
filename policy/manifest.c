// SPDX-License-Identifier: GPL-2.0-only
/*
 * Manifest text to struct sigil_manifest, and the index over every loaded
 * manifest (struct sigil_manifest_set).  Every error is an errno plus the
 * line, column and token that caused it, as for policies.
 * Documentation/manifests.rst is the ABI.
 */

#include "manifest.h"
#include "text.h"

static_assert(sizeof(struct sigil_manifest_entry) == 44,
	      "struct sigil_manifest_entry is 44 bytes");

const char *const sigil_manifest_kind_names[__SIGIL_MANIFEST_KIND_MAX] = {
	[SIGIL_MANIFEST_FSVERITY]	= "fsverity",
	[SIGIL_MANIFEST_CONTENT]	= "content",
};

#define NAME_KEY	"manifest_name="
#define VERSION_KEY	"manifest_version="
#define HEADER_FORM	"'manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH'"

/* Lines between two sigil_cond_resched() calls. */
#define RESCHED_LINES	1024

struct mf_token {
	const char *s;
	u32 len;
	u32 col;	/* 1-based */
};

struct mf_parser {
	struct sigil_parse_error *err;
	struct sigil_manifest *m;
	bool have_header;
	u32 line;
	u32 cap_entries;
	u32 cap_paths;
	u32 cap_lines;
	/* The line of each entry, for "listed twice" messages. */
	u32 *lines;
	/* Duplicate detection: an entry index plus one, 0 for empty. */
	u32 *dup;
	u32 dup_mask;
	/* The path being unescaped. */
	char path[SIGIL_MANIFEST_PATH_MAX + 1];
};

static __printf(4, 5) int mf_fail(struct mf_parser *p, int err, u32 col,
			       const char *fmt, ...)
{
	va_list ap;

	if (p->err->err)
		return p->err->err;
	p->err->err = err;
	p->err->line = p->line;
	p->err->col = col;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return err;
}

static bool mf_is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static bool mf_next_token(const char *line, u32 len, u32 *pos, struct mf_token *t)
{
	while (*pos < len && mf_is_blank(line[*pos]))
		(*pos)++;
	if (*pos == len)
		return false;
	t->s = line + *pos;
	t->col = *pos + 1;
	while (*pos < len && !mf_is_blank(line[*pos]))
		(*pos)++;
	t->len = (u32)(line + *pos - t->s);
	return true;
}

static bool mf_tok_prefix(const struct mf_token *t, const char *prefix)
{
	size_t n = strlen(prefix);

	return t->len >= n && !memcmp(t->s, prefix, n);
}

/* ---- names ---- */

static bool mf_name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '+' ||
	       c == ':' || c == '-';
}

/*
 * 0 when @s is a manifest name; else -EBADMSG or -ENAMETOOLONG, with *@bad
 * the offset of a byte that may not be in a name, or @len when the name as
 * a whole is wrong.
 */
static int mf_name_check(const char *s, size_t len, size_t *bad)
{
	size_t i;

	*bad = len;
	if (!len)
		return -EBADMSG;
	if (len > SIGIL_MANIFEST_NAME_MAX)
		return -ENAMETOOLONG;
	for (i = 0; i < len; i++) {
		if (!mf_name_char(s[i])) {
			*bad = i;
			return -EBADMSG;
		}
	}
	if ((len == 1 && s[0] == '.') || (len == 2 && s[0] == '.' && s[1] == '.'))
		return -EBADMSG;
	if (len == 3 && !memcmp(s, "ANY", 3))
		return -EBADMSG;
	return 0;
}

/**
 * sigil_manifest_name_valid() - may this be a manifest_name?
 * @name: the name, not necessarily NUL-terminated
 * @len: its length
 *
 * A name is 1 to %SIGIL_MANIFEST_NAME_MAX bytes of ``[A-Za-z0-9._+:-]``,
 * not "." or "..", which would be no directory name, and not "ANY", which
 * the policy language reserves (``manifest=ANY``).
 *
 * Return: true when it is one.
 */
bool sigil_manifest_name_valid(const char *name, size_t len)
{
	size_t bad;

	return !mf_name_check(name, len, &bad);
}

/* ---- header: manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH ---- */

static int mf_parse_name(struct mf_parser *p, const struct mf_token *t)
{
	const char *s = t->s + strlen(NAME_KEY);
	size_t len = t->len - strlen(NAME_KEY), bad;
	char q[SIGIL_QUOTE_MAX + 1];
	int rc;

	rc = mf_name_check(s, len, &bad);
	sigil_text_quote(q, sizeof(q), s, len);
	if (rc == -ENAMETOOLONG)
		return mf_fail(p, rc, t->col,
			    "manifest_name '%s' is %zu bytes long; the limit is %u",
			    q, len, SIGIL_MANIFEST_NAME_MAX);
	if (rc && bad < len) {
		char c[SIGIL_QUOTE_MAX + 1];

		sigil_text_quote(c, sizeof(c), s + bad, 1);
		return mf_fail(p, rc, t->col + (u32)(strlen(NAME_KEY) + bad),
			    "manifest_name '%s' contains '%s': a name is made of A-Z a-z 0-9 . _ + : -",
			    q, c);
	}
	if (rc && !len)
		return mf_fail(p, rc, t->col, "manifest_name is empty in '%s'",
			    NAME_KEY);
	if (rc)
		return mf_fail(p, rc, t->col,
			    "manifest_name cannot be '%s' ('.' and '..' are no directory names; 'ANY' is reserved)",
			    q);
	memcpy(p->m->name, s, len);
	p->m->name[len] = '\0';
	return 0;
}

static int mf_parse_header(struct mf_parser *p, const char *line, u32 len)
{
	struct mf_token name, version, extra;
	char q[SIGIL_QUOTE_MAX + 1];
	char msg[SIGIL_ERR_MSG_MAX];
	u32 pos = 0;
	int rc;

	mf_next_token(line, len, &pos, &name);
	if (!mf_tok_prefix(&name, NAME_KEY)) {
		sigil_text_quote(q, sizeof(q), name.s, name.len);
		return mf_fail(p, -EBADMSG, name.col,
			    "expected the header " HEADER_FORM " first, got '%s'",
			    q);
	}
	rc = mf_parse_name(p, &name);
	if (rc)
		return rc;
	if (!mf_next_token(line, len, &pos, &version)) {
		sigil_text_quote(q, sizeof(q), name.s, name.len);
		return mf_fail(p, -EBADMSG, name.col,
			    "header '%s' has no manifest_version= after manifest_name=",
			    q);
	}
	if (!mf_tok_prefix(&version, VERSION_KEY)) {
		sigil_text_quote(q, sizeof(q), version.s, version.len);
		return mf_fail(p, -EBADMSG, version.col,
			    "expected manifest_version= after manifest_name=, got '%s'",
			    q);
	}
	rc = sigil_version_parse(version.s + strlen(VERSION_KEY),
				 version.len - strlen(VERSION_KEY),
				 p->m->version, "manifest_version",
				 "MAJOR.MINOR.PATCH", msg, sizeof(msg));
	if (rc)
		return mf_fail(p, rc, version.col, "%s", msg);
	if (mf_next_token(line, len, &pos, &extra)) {
		sigil_text_quote(q, sizeof(q), extra.s, extra.len);
		return mf_fail(p, -EBADMSG, extra.col,
			    "unexpected '%s' after manifest_version", q);
	}
	p->have_header = true;
	return 0;
}

/* ---- entries: PATH KIND=sha256:HEX ---- */

/*
 * Unescape the path token @t into p->path and check it: absolute, no empty,
 * "." or ".." component, no trailing '/', within the limits.  The length
 * of the path, or a negative errno.
 */
static int mf_parse_path(struct mf_parser *p, const struct mf_token *t)
{
	char q[SIGIL_QUOTE_MAX + 1], e[8];
	u32 i, n = 0, comp = 0, comp_col = t->col;

	sigil_text_quote(q, sizeof(q), t->s, t->len);
	for (i = 0; i < t->len; i++) {
		char c = t->s[i];
		u32 col = t->col + i;

		if (c == '\\') {
			int hi, lo;

			if (i + 1 < t->len && t->s[i + 1] == '\\') {
				i++;
			} else if (i + 1 < t->len && t->s[i + 1] == 'x') {
				hi = i + 2 < t->len ? hex_to_bin(t->s[i + 2]) : -1;
				lo = i + 3 < t->len ? hex_to_bin(t->s[i + 3]) : -1;
				if (hi < 0 || lo < 0) {
					sigil_text_quote(e, sizeof(e), t->s + i,
							 t->len - i < 4 ? t->len - i : 4);
					return mf_fail(p, -EBADMSG, col,
						    "path '%s': '%s' is not an escape (\\xHH takes two hex digits)",
						    q, e);
				}
				c = (char)(hi << 4 | lo);
				if (!c)
					return mf_fail(p, -EBADMSG, col,
						    "path '%s': '\\x00' would be a NUL byte, which a path cannot hold",
						    q);
				i += 3;
			} else {
				sigil_text_quote(e, sizeof(e), t->s + i,
						 i + 1 < t->len ? 2 : 1);
				return mf_fail(p, -EBADMSG, col,
					    "path '%s': '%s' is not an escape (a backslash is written \\\\, a byte \\xHH)",
					    q, e);
			}
		} else if (c == '\r') {
			return mf_fail(p, -EBADMSG, col,
				    "path '%s': a carriage return in a path is written \\x0d",
				    q);
		}

		if (!n && c != '/')
			return mf_fail(p, -EBADMSG, t->col,
				    "path '%s' is not absolute: it must start with '/'",
				    q);
		if (n == SIGIL_MANIFEST_PATH_MAX)
			return mf_fail(p, -ENAMETOOLONG, t->col,
				    "path '%s' is longer than %u bytes",
				    q, SIGIL_MANIFEST_PATH_MAX);
		if (c == '/' && n) {
			if (!comp)
				return mf_fail(p, -EBADMSG, col,
					    "path '%s' has an empty component ('//')",
					    q);
			if (comp <= 2 && p->path[n - 1] == '.' &&
			    (comp == 1 || p->path[n - 2] == '.'))
				return mf_fail(p, -EBADMSG, comp_col,
					    "path '%s' has a '%s' component",
					    q, comp == 1 ? "." : "..");
		}
		p->path[n++] = c;
		if (c == '/') {
			comp = 0;
			comp_col = t->col + i + 1;
		} else if (++comp > SIGIL_MANIFEST_COMPONENT_MAX) {
			return mf_fail(p, -ENAMETOOLONG, comp_col,
				    "path '%s' has a component longer than %u bytes",
				    q, SIGIL_MANIFEST_COMPONENT_MAX);
		}
	}
	if (n == 1)
		return mf_fail(p, -EBADMSG, t->col,
			    "path '/' names no file");
	if (!comp)
		return mf_fail(p, -EBADMSG, t->col + t->len - 1,
			    "path '%s' ends in '/'", q);
	if (comp <= 2 && p->path[n - 1] == '.' &&
	    (comp == 1 || p->path[n - 2] == '.'))
		return mf_fail(p, -EBADMSG, comp_col, "path '%s' has a '%s' component",
			    q, comp == 1 ? "." : "..");
	return (int)n;
}

/* KIND=sha256:HEX into @e's digest and kind. */
static int mf_parse_digest(struct mf_parser *p, const struct mf_token *t,
			   struct sigil_manifest_entry *e)
{
	const char *eq = memchr(t->s, '=', t->len), *val, *hex;
	char q[SIGIL_QUOTE_MAX + 1];
	u32 klen, vlen, i;
	unsigned int kind;

	sigil_text_quote(q, sizeof(q), t->s, t->len);
	if (!eq)
		return mf_fail(p, -EBADMSG, t->col,
			    "expected KIND=sha256:HEX after the path, got '%s' (a space in a path is written \\x20)",
			    q);
	klen = (u32)(eq - t->s);
	for (kind = 0; kind < __SIGIL_MANIFEST_KIND_MAX; kind++)
		if (strlen(sigil_manifest_kind_names[kind]) == klen &&
		    !memcmp(sigil_manifest_kind_names[kind], t->s, klen))
			break;
	if (kind == __SIGIL_MANIFEST_KIND_MAX) {
		sigil_text_quote(q, sizeof(q), t->s, klen);
		return mf_fail(p, -EBADMSG, t->col,
			    "unknown digest kind '%s' (expected fsverity or content)",
			    q);
	}
	val = eq + 1;
	vlen = t->len - klen - 1;
	if (vlen < 7 || memcmp(val, "sha256:", 7)) {
		const char *colon = memchr(val, ':', vlen);

		sigil_text_quote(q, sizeof(q), val, colon ? (size_t)(colon - val) : vlen);
		return mf_fail(p, -EBADMSG, t->col + klen + 1,
			    "%s= takes sha256:HEX, got '%s'",
			    sigil_manifest_kind_names[kind], q);
	}
	hex = val + 7;
	for (i = 0; i < vlen - 7; i++) {
		if (hex_to_bin(hex[i]) < 0) {
			sigil_text_quote(q, sizeof(q), hex + i, 1);
			return mf_fail(p, -EBADMSG, t->col + klen + 8 + i,
				    "%s=: '%s' is not a hex digit",
				    sigil_manifest_kind_names[kind], q);
		}
	}
	if (vlen - 7 != 2 * SIGIL_MANIFEST_DIGEST_SIZE) {
		sigil_text_quote(q, sizeof(q), hex, vlen - 7);
		return mf_fail(p, -EBADMSG, t->col + klen + 8,
			    "%s=: a sha256 digest is 64 hex digits, got %u ('%s')",
			    sigil_manifest_kind_names[kind], vlen - 7, q);
	}
	for (i = 0; i < SIGIL_MANIFEST_DIGEST_SIZE; i++)
		e->digest[i] = (u8)(hex_to_bin(hex[2 * i]) << 4 |
				    hex_to_bin(hex[2 * i + 1]));
	e->kind = (u8)kind;
	return 0;
}

/* Grow *@arr so that it holds @need elements of @elem bytes. */
static int mf_grow(struct mf_parser *p, void **arr, u32 *cap, u32 need,
		   size_t elem)
{
	int rc = sigil_array_grow(arr, cap, need, elem, 64);

	if (rc)
		return mf_fail(p, rc, 0, rc == -ENOMEM ? "out of memory" :
			       "manifest is too large");
	return 0;
}

/* Put entry @i in the duplicate table (which has room). */
static void mf_dup_insert(struct mf_parser *p, u32 i)
{
	u32 h = p->m->entries[i].path_hash;

	while (p->dup[h & p->dup_mask])
		h++;
	p->dup[h & p->dup_mask] = i + 1;
}

/* Keep the duplicate table at most half full for @n entries. */
static int mf_dup_grow(struct mf_parser *p, u32 n)
{
	u32 size = p->dup ? p->dup_mask + 1 : 0, i;

	if (2ull * n <= size)
		return 0;
	size = size ? 2 * size : 256;
	sigil_free(p->dup);
	p->dup = sigil_zalloc((size_t)size * sizeof(*p->dup));
	if (!p->dup)
		return mf_fail(p, -ENOMEM, 0, "out of memory");
	p->dup_mask = size - 1;
	for (i = 0; i < p->m->nentries; i++)
		mf_dup_insert(p, i);
	return 0;
}

/* The index plus one of the entry with the path in p->path, or 0. */
static u32 mf_dup_find(struct mf_parser *p, u32 hash, u32 len)
{
	const struct sigil_manifest *m = p->m;
	u32 h = hash, s;

	for (; (s = p->dup[h & p->dup_mask]); h++) {
		const struct sigil_manifest_entry *e = &m->entries[s - 1];

		if (e->path_hash == hash && e->path_len == len &&
		    !memcmp(m->paths + e->path_off, p->path, len))
			return s;
	}
	return 0;
}

static int mf_parse_entry(struct mf_parser *p, const char *line, u32 len)
{
	struct sigil_manifest *m = p->m;
	struct sigil_manifest_entry e = { 0 };
	struct mf_token path, digest, extra;
	char q[SIGIL_QUOTE_MAX + 1];
	u32 pos = 0, plen, first;
	int rc;

	mf_next_token(line, len, &pos, &path);
	sigil_text_quote(q, sizeof(q), path.s, path.len);
	if (mf_tok_prefix(&path, NAME_KEY))
		return mf_fail(p, -EBADMSG, path.col,
			    "a second header '%s': a manifest has exactly one header line",
			    q);
	if (!mf_next_token(line, len, &pos, &digest))
		return mf_fail(p, -EBADMSG, path.col,
			    "entry '%s' has no digest: an entry is 'PATH KIND=sha256:HEX'",
			    q);
	rc = mf_parse_path(p, &path);
	if (rc < 0)
		return rc;
	plen = (u32)rc;
	rc = mf_parse_digest(p, &digest, &e);
	if (rc)
		return rc;
	if (mf_next_token(line, len, &pos, &extra)) {
		sigil_text_quote(q, sizeof(q), extra.s, extra.len);
		return mf_fail(p, -EBADMSG, extra.col,
			    "unexpected '%s' after the digest (an entry line has no comment; a space in a path is written \\x20)",
			    q);
	}
	if (m->nentries == SIGIL_MANIFEST_ENTRIES_MAX)
		return mf_fail(p, -E2BIG, path.col,
			    "entry '%s' is one more than the %u a manifest may hold",
			    q, SIGIL_MANIFEST_ENTRIES_MAX);

	e.path_hash = sigil_path_hash(p->path, plen);
	e.path_len = (u16)plen;
	rc = mf_dup_grow(p, m->nentries + 1);
	if (rc)
		return rc;
	first = mf_dup_find(p, e.path_hash, plen);
	if (first)
		return mf_fail(p, -EBADMSG, path.col,
			    "path '%s' is listed twice (first on line %u)",
			    q, p->lines[first - 1]);

	rc = mf_grow(p, (void **)&m->entries, &p->cap_entries, m->nentries + 1,
		     sizeof(*m->entries));
	if (!rc)
		rc = mf_grow(p, (void **)&p->lines, &p->cap_lines,
			     m->nentries + 1, sizeof(*p->lines));
	if (rc)
		return rc;
	if (m->npaths > 0xffffffffu - plen)
		return mf_fail(p, -E2BIG, path.col, "manifest is too large");
	rc = mf_grow(p, (void **)&m->paths, &p->cap_paths, m->npaths + plen, 1);
	if (rc)
		return rc;
	memcpy(m->paths + m->npaths, p->path, plen);
	e.path_off = m->npaths;
	m->npaths += plen;
	m->kinds |= 1u << e.kind;
	m->entries[m->nentries] = e;
	p->lines[m->nentries] = p->line;
	mf_dup_insert(p, m->nentries);
	m->nentries++;
	return 0;
}

static int mf_parse_lines(struct mf_parser *p, const char *text, size_t len)
{
	size_t pos = 0;
	int rc;

	p->line = 1;
	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t end = nl ? (size_t)(nl - text) : len, start = pos;
		const char *nul = memchr(text + start, '\0', end - start);
		size_t first, last;

		if (nul)
			return mf_fail(p, -EBADMSG, (u32)(nul - (text + start)) + 1,
				    "NUL byte in manifest text");
		if (end - start > 0xffffffffu)
			return mf_fail(p, -E2BIG, 1, "line is longer than 4 GiB");
		last = end;
		if (nl && last > start && text[last - 1] == '\r')
			last--;
		first = start;
		while (first < last && mf_is_blank(text[first]))
			first++;
		while (last > first && mf_is_blank(text[last - 1]))
			last--;
		if (first < last && text[first] != '#') {
			/* Columns count from the start of the line. */
			rc = p->have_header ?
			     mf_parse_entry(p, text + start, (u32)(last - start)) :
			     mf_parse_header(p, text + start, (u32)(last - start));
			if (rc)
				return rc;
		}
		pos = nl ? end + 1 : len;
		if (pos < len)
			p->line++;
		if (!(p->line % RESCHED_LINES))
			sigil_cond_resched();
	}
	if (!p->have_header)
		return mf_fail(p, -EBADMSG, 0,
			    "manifest is empty: expected the header " HEADER_FORM);
	return 0;
}

/* Trim the arrays to their final size and account for the memory. */
static void mf_shrink(struct sigil_manifest *m)
{
	void *n;

	if (m->nentries) {
		n = sigil_realloc(m->entries, m->nentries * sizeof(*m->entries));
		if (n)
			m->entries = n;
	}
	if (m->npaths) {
		n = sigil_realloc(m->paths, m->npaths);
		if (n)
			m->paths = n;
	}
	m->mem_bytes = sizeof(*m) + (size_t)m->nentries * sizeof(*m->entries) +
		       m->npaths;
}

/**
 * sigil_manifest_parse() - parse and validate a manifest text
 * @text: the text; it need not be NUL-terminated
 * @len: its length in bytes
 * @out: on success, the manifest; free it with sigil_manifest_free()
 * @err: on failure, the errno, the line, the column and a message that
 *	 quotes the offending token
 *
 * The first error in the text is the one reported.  A manifest may have no
 * entries.
 *
 * Return:
 * * %0			- @out holds the manifest
 * * %-EBADMSG		- a malformed header, entry, path or digest, a NUL
 *			  byte, no header, or a path listed twice
 * * %-EINVAL		- a manifest_version component is not a number
 * * %-ERANGE		- a manifest_version component is over 65535
 * * %-ENAMETOOLONG	- a name, path or path component over its limit
 * * %-E2BIG		- more than %SIGIL_MANIFEST_ENTRIES_MAX entries
 * * %-ENOMEM		- out of memory
 */
int sigil_manifest_parse(const char *text, size_t len,
			 struct sigil_manifest **out,
			 struct sigil_parse_error *err)
{
	struct mf_parser *p;
	int rc;

	memset(err, 0, sizeof(*err));
	*out = NULL;
	p = sigil_zalloc(sizeof(*p));
	if (!p) {
		err->err = -ENOMEM;
		err->line = 1;
		snprintf(err->msg, sizeof(err->msg), "out of memory");
		return -ENOMEM;
	}
	p->err = err;
	p->line = 1;
	if (len > 0xffffffffu) {
		rc = mf_fail(p, -E2BIG, 0, "manifest is larger than 4 GiB");
		goto out;
	}
	p->m = sigil_zalloc(sizeof(*p->m));
	if (!p->m) {
		rc = mf_fail(p, -ENOMEM, 0, "out of memory");
		goto out;
	}
	rc = mf_parse_lines(p, text, len);
	if (rc) {
		sigil_manifest_free(p->m);
		goto out;
	}
	mf_shrink(p->m);
	*out = p->m;
out:
	sigil_free(p->dup);
	sigil_free(p->lines);
	sigil_free(p);
	return rc;
}

/**
 * sigil_manifest_free() - free a manifest from sigil_manifest_parse()
 * @m: the manifest; NULL is allowed
 */
void sigil_manifest_free(struct sigil_manifest *m)
{
	if (!m)
		return;
	sigil_free(m->entries);
	sigil_free(m->paths);
	sigil_free(m);
}

/**
 * sigil_manifest_version() - a manifest's version as one comparable number
 * @m: the manifest
 *
 * Return: major << 32 | minor << 16 | patch.
 */
u64 sigil_manifest_version(const struct sigil_manifest *m)
{
	return (u64)m->version[0] << 32 | (u64)m->version[1] << 16 |
	       m->version[2];
}

/* ---- canonical text ---- */

/**
 * sigil_path_hash() - the hash of a path, as entries and lookups use it
 * @path: the path, unescaped
 * @len: its length
 *
 * FNV-1a, then a final mix so that the low bits, which pick the slot,
 * depend on every byte.
 *
 * Return: 32 bits of hash.
 */
u32 sigil_path_hash(const char *path, size_t len)
{
	u32 h = 0x811c9dc5u;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ (u8)path[i]) * 0x01000193u;
	h ^= h >> 16;
	h *= 0x85ebca6bu;
	h ^= h >> 13;
	h *= 0xc2b2ae35u;
	h ^= h >> 16;
	return h;
}

/* Does the canonical writer escape byte @c? */
static bool mf_must_escape(u8 c)
{
	return c <= 0x20 || c == 0x7f || c == '\\';
}

/**
 * sigil_manifest_escape() - write a path as manifests spell it
 * @buf: output, NUL-terminated when @size is not 0
 * @size: size of @buf
 * @path: the path, unescaped
 * @len: its length
 *
 * The canonical form: a backslash is written ``\\``, a byte up to 0x20 and
 * 0x7f ``\xHH`` (lower-case hex), every other byte as it is.  The output
 * is cut to fit @buf, as snprintf() cuts.
 *
 * Return: the length of the whole escaped path, NUL excluded.
 */
size_t sigil_manifest_escape(char *buf, size_t size, const char *path,
			     size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		u8 c = (u8)path[i];
		char e[4];
		size_t el, j;

		if (c == '\\') {
			e[0] = '\\';
			e[1] = '\\';
			el = 2;
		} else if (mf_must_escape(c)) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			el = 4;
		} else {
			e[0] = (char)c;
			el = 1;
		}
		for (j = 0; j < el; j++, n++)
			if (n + 1 < size)
				buf[n] = e[j];
	}
	if (size)
		buf[n < size ? n : size - 1] = '\0';
	return n;
}

/**
 * sigil_manifest_format_entry() - one entry as a canonical manifest line
 * @buf: output, NUL-terminated when @size is not 0
 * @size: size of @buf
 * @m: the manifest
 * @e: one of its entries
 *
 * The line is ``ESCAPED_PATH KIND=sha256:HEX`` and a newline, HEX in lower
 * case: what sigil_manifest_parse() reads back as the same entry.
 *
 * Return: the length of the whole line, as snprintf() returns it.
 */
int sigil_manifest_format_entry(char *buf, size_t size,
				const struct sigil_manifest *m,
				const struct sigil_manifest_entry *e)
{
	char tail[1 + 8 + 8 + 2 * SIGIL_MANIFEST_DIGEST_SIZE + 2];
	size_t n, t, i;

	n = sigil_manifest_escape(buf, size, sigil_manifest_path(m, e),
				  e->path_len);
	t = snprintf(tail, sizeof(tail), " %s=sha256:",
		     e->kind < __SIGIL_MANIFEST_KIND_MAX ?
		     sigil_manifest_kind_names[e->kind] : "?");
	for (i = 0; i < SIGIL_MANIFEST_DIGEST_SIZE; i++)
		t += snprintf(tail + t, sizeof(tail) - t, "%02x", e->digest[i]);
	tail[t++] = '\n';
	for (i = 0; i < t; i++)
		if (n + i + 1 < size)
			buf[n + i] = tail[i];
	if (size)
		buf[n + t < size ? n + t : size - 1] = '\0';
	return (int)(n + t);
}

/* ---- the index over every loaded manifest ---- */

static u32 mf_digest_hash(const u8 *d)
{
	u32 h = 0, i;

	/* The digests are sha256: every byte already is random. */
	for (i = 0; i < SIGIL_MANIFEST_DIGEST_SIZE; i += 4)
		h = (h ^ ((u32)d[i] | (u32)d[i + 1] << 8 | (u32)d[i + 2] << 16 |
			  (u32)d[i + 3] << 24)) * 0x9e3779b1u;
	return h ^ h >> 15;
}

/* The manifest and entry of ordinal @o. */
static const struct sigil_manifest_entry *
mf_resolve(const struct sigil_manifest_set *s, u32 o,
	   const struct sigil_manifest **m)
{
	u32 lo = 0, hi = s->nmanifests;

	/* The last manifest i with first[i] <= o: one that has entries. */
	while (hi - lo > 1) {
		u32 mid = lo + (hi - lo) / 2;

		if (s->first[mid] <= o)
			lo = mid;
		else
			hi = mid;
	}
	*m = s->manifests[lo];
	return &(*m)->entries[o - s->first[lo]];
}

static void mf_insert(u32 *slots, u32 mask, u32 h, u32 o)
{
	while (slots[h & mask])
		h++;
	slots[h & mask] = o + 1;
}

/*
 * Put ordinal @o at the head of its digest's chain: a slot per distinct
 * digest, so that many entries with one digest (empty files, copies) cost
 * no longer probes.  Called in descending order, chains come out in
 * ascending order.
 */
static void mf_insert_digest(struct sigil_manifest_set *s,
			     const struct sigil_manifest_entry *e, u32 o)
{
	const struct sigil_manifest *m;
	u32 h, *slot;

	for (h = mf_digest_hash(e->digest);; h++) {
		slot = &s->digest_slots[h & s->mask];
		if (!*slot)
			break;
		if (!memcmp(mf_resolve(s, *slot - 1, &m)->digest, e->digest,
			    SIGIL_MANIFEST_DIGEST_SIZE))
			break;
	}
	s->digest_next[o] = *slot;
	*slot = o + 1;
}

/**
 * sigil_manifest_set_build() - index manifests by path and by digest
 * @m: the manifests, in the order lookups visit them
 * @n: their number; 0 builds an empty set
 * @out: on success, the set; free it with sigil_manifest_set_free()
 *
 * Each table has the next power of two at or above 1.5 times the entries
 * of every manifest, at least one slot.  The set keeps pointers to the
 * manifests, which must outlive it.
 *
 * Return: 0, -E2BIG when the manifests have more than 2^30 entries in all,
 * or -ENOMEM.
 */
int sigil_manifest_set_build(struct sigil_manifest *const *m, u32 n,
			     struct sigil_manifest_set **out)
{
	struct sigil_manifest_set *s;
	u64 total = 0, want;
	u32 i, j, size = 1, o = 0;

	*out = NULL;
	for (i = 0; i < n; i++)
		total += m[i]->nentries;
	if (total > 0x40000000ull)
		return -E2BIG;
	want = total + (total + 1) / 2;
	while (size < want)
		size *= 2;

	s = sigil_zalloc(sizeof(*s));
	if (!s)
		return -ENOMEM;
	s->manifests = sigil_alloc((size_t)(n ? n : 1) * sizeof(*s->manifests));
	s->first = sigil_alloc(((size_t)n + 1) * sizeof(*s->first));
	s->path_slots = sigil_zalloc((size_t)size * sizeof(*s->path_slots));
	s->digest_slots = sigil_zalloc((size_t)size * sizeof(*s->digest_slots));
	s->digest_next = sigil_alloc((size_t)(total ? total : 1) *
				     sizeof(*s->digest_next));
	if (!s->manifests || !s->first || !s->path_slots || !s->digest_slots ||
	    !s->digest_next) {
		sigil_manifest_set_free(s);
		return -ENOMEM;
	}
	s->mask = size - 1;
	s->nmanifests = n;
	s->nentries = (u32)total;
	s->mem_bytes = sizeof(*s) + (size_t)n * sizeof(*s->manifests) +
		       ((size_t)n + 1) * sizeof(*s->first) +
		       2 * (size_t)size * sizeof(*s->path_slots) +
		       (size_t)total * sizeof(*s->digest_next);

	for (i = 0; i < n; i++) {
		s->manifests[i] = m[i];
		s->first[i] = o;
		for (j = 0; j < m[i]->nentries; j++, o++) {
			mf_insert(s->path_slots, s->mask,
				  m[i]->entries[j].path_hash, o);
			if (!(o % 4096))
				sigil_cond_resched();
		}
	}
	s->first[n] = o;
	/* Digests last to first, so that each chain runs first to last. */
	for (i = n; i-- > 0;) {
		for (j = m[i]->nentries; j-- > 0;) {
			mf_insert_digest(s, &m[i]->entries[j], --o);
			if (!(o % 4096))
				sigil_cond_resched();
		}
	}
	*out = s;
	return 0;
}

/**
 * sigil_manifest_set_free() - free a set from sigil_manifest_set_build()
 * @s: the set; NULL is allowed
 *
 * The manifests are not freed: the set does not own them.
 */
void sigil_manifest_set_free(struct sigil_manifest_set *s)
{
	if (!s)
		return;
	sigil_free(s->manifests);
	sigil_free(s->first);
	sigil_free(s->path_slots);
	sigil_free(s->digest_slots);
	sigil_free(s->digest_next);
	sigil_free(s);
}

/**
 * sigil_manifest_by_path() - visit every entry listed under a path
 * @s: the set
 * @path: the path, unescaped
 * @len: its length
 * @fn: called for each entry with that path, in the order of the
 *	manifests given to sigil_manifest_set_build()
 * @ctx: passed to @fn
 *
 * Allocates nothing and does not sleep unless @fn does.
 *
 * Return: 0 when @fn returned 0 for every entry (or none matched), else
 * the first nonzero value @fn returned.
 */
int sigil_manifest_by_path(const struct sigil_manifest_set *s,
			   const char *path, size_t len,
			   sigil_manifest_visit_fn fn, void *ctx)
{
	u32 hash, h, o;
	int rc;

	if (len > SIGIL_MANIFEST_PATH_MAX)
		return 0;
	hash = sigil_path_hash(path, len);
	for (h = hash; (o = s->path_slots[h & s->mask]); h++) {
		const struct sigil_manifest *m;
		const struct sigil_manifest_entry *e = mf_resolve(s, o - 1, &m);

		if (e->path_hash != hash || e->path_len != len ||
		    memcmp(sigil_manifest_path(m, e), path, len))
			continue;
		rc = fn(ctx, m, e);
		if (rc)
			return rc;
	}
	return 0;
}

/**
 * sigil_manifest_by_digest() - visit every entry with a digest
 * @s: the set
 * @digest: the sha256 digest, %SIGIL_MANIFEST_DIGEST_SIZE bytes
 * @fn: called for each entry with that digest, whatever its kind, in the
 *	order of the manifests given to sigil_manifest_set_build() and then
 *	of their entries
 * @ctx: passed to @fn
 *
 * Allocates nothing and does not sleep unless @fn does.
 *
 * Return: 0 when @fn returned 0 for every entry (or none matched), else
 * the first nonzero value @fn returned.
 */
int sigil_manifest_by_digest(const struct sigil_manifest_set *s,
			     const u8 *digest, sigil_manifest_visit_fn fn,
			     void *ctx)
{
	const struct sigil_manifest *m;
	const struct sigil_manifest_entry *e;
	u32 h, o;
	int rc;

	for (h = mf_digest_hash(digest); (o = s->digest_slots[h & s->mask]); h++) {
		e = mf_resolve(s, o - 1, &m);
		if (memcmp(e->digest, digest, SIGIL_MANIFEST_DIGEST_SIZE))
			continue;
		/* The chain of every entry with this digest, in order. */
		for (; o; o = s->digest_next[o - 1]) {
			e = mf_resolve(s, o - 1, &m);
			rc = fn(ctx, m, e);
			if (rc)
				return rc;
		}
		return 0;
	}
	return 0;
}

struct mf_same {
	const struct sigil_manifest_entry *e;
};

/* Does the entry visited list the same digest, of the same kind? */
static int mf_same_visit(void *ctx, const struct sigil_manifest *m,
			 const struct sigil_manifest_entry *e)
{
	const struct sigil_manifest_entry *want = ((struct mf_same *)ctx)->e;

	return e->kind == want->kind &&
	       !memcmp(e->digest, want->digest, SIGIL_MANIFEST_DIGEST_SIZE);
}

/**
 * sigil_manifest_dropped() - what a new version of a manifest drops
 * @old: the version being replaced
 * @new: the version replacing it
 * @out: on success, a manifest named and versioned as @old that holds the
 *	 entries of @old which @new does not list with the same path, kind
 *	 and digest, in @old's order; free it with sigil_manifest_free()
 *
 * The kernel keeps these to say that a file is "listed only in a
 * superseded version"; they never match.
 *
 * Return: 0, or -ENOMEM.
 */
int sigil_manifest_dropped(const struct sigil_manifest *old,
			   const struct sigil_manifest *new,
			   struct sigil_manifest **out)
{
	struct sigil_manifest *nm = (struct sigil_manifest *)new;
	struct sigil_manifest_set *s;
	struct sigil_manifest *d;
	struct mf_same same;
	u32 i, n = 0, bytes = 0;
	u8 *drop;
	int rc;

	*out = NULL;
	rc = sigil_manifest_set_build(&nm, 1, &s);
	if (rc)
		return rc;
	drop = sigil_zalloc(old->nentries);
	d = sigil_zalloc(sizeof(*d));
	if (!drop || !d) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < old->nentries; i++) {
		const struct sigil_manifest_entry *e = &old->entries[i];

		same.e = e;
		if (sigil_manifest_by_path(s, sigil_manifest_path(old, e),
					   e->path_len, mf_same_visit, &same))
			continue;
		drop[i] = 1;
		n++;
		bytes += e->path_len;
		if (!(i % 4096))
			sigil_cond_resched();
	}
	memcpy(d->name, old->name, sizeof(d->name));
	memcpy(d->version, old->version, sizeof(d->version));
	d->entries = sigil_alloc((size_t)n * sizeof(*d->entries));
	d->paths = sigil_alloc(bytes);
	if (!d->entries || !d->paths) {
		rc = -ENOMEM;
		goto out;
	}
	for (i = 0; i < old->nentries; i++) {
		struct sigil_manifest_entry *e;

		if (!drop[i])
			continue;
		e = &d->entries[d->nentries++];
		*e = old->entries[i];
		e->path_off = d->npaths;
		memcpy(d->paths + d->npaths, sigil_manifest_path(old, &old->entries[i]),
		       e->path_len);
		d->npaths += e->path_len;
		d->kinds |= 1u << e->kind;
	}
	d->mem_bytes = sizeof(*d) + (size_t)n * sizeof(*d->entries) + bytes;
	*out = d;
	d = NULL;
out:
	sigil_manifest_free(d);
	sigil_free(drop);
	sigil_manifest_set_free(s);
	return rc;
}
