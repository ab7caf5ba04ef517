// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for policy/manifest.c: manifests that parse, one table
 * row per malformed manifest with the errno, line, column and quoted token
 * sigil must give it, the limits, the canonical writer (escapes round trip
 * through the parser), and the index against a naive scan of random sets
 * of manifests.
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"
#include "case.h"

#define HDR "manifest_name=m manifest_version=1.0.0\n"
#define D64 "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"
#define D63 "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9"
#define DUP "FD88F2B8824E197F850BF4C5109BEA5CF0EE38104F710843BB72DA796BA5AF9E"
#define FSV " fsverity=sha256:" D64
#define CON " content=sha256:" D64
#define N64 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"

#include "rng.h"

/* ---- manifests that parse ---- */

struct good_case {
	const char *desc;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	const char *name;
	u16 version[3];
	u32 nentries;
	u32 kinds;
	const char *path0;	/* the first entry's path, unescaped */
	size_t path0_len;	/* 0: strlen(path0) */
};

#define FS (1u << SIGIL_MANIFEST_FSVERITY)
#define CT (1u << SIGIL_MANIFEST_CONTENT)

static const struct good_case good[] = {
	{ "header only, no entries", "manifest_name=base manifest_version=1.2.0",
	  0, "base", { 1, 2, 0 }, 0, 0 },
	{ "header and newline, no entries", HDR, 0, "m", { 1, 0, 0 }, 0, 0 },
	{ "comments, blank lines and blanks around everything",
	  "# a comment\n\n   \t\n  \t# indented comment\n"
	  "\t manifest_name=base.x_y+z:w-1 \t manifest_version=+1.007.65535 \t\n"
	  "# c\n\n  /usr/bin/ping\t \t" "fsverity=sha256:" D64 "   \n\n# end",
	  0, "base.x_y+z:w-1", { 1, 7, 65535 }, 1, FS, "/usr/bin/ping" },
	{ "CR LF line ends",
	  "manifest_name=crlf manifest_version=0.0.1\r\n/a" FSV "\r\n\r\n/b" CON "\r\n",
	  0, "crlf", { 0, 0, 1 }, 2, FS | CT, "/a" },
	{ "both kinds, upper- and lower-case hex",
	  HDR "/usr/lib/libfoo.so.1 content=sha256:" DUP "\n/usr/bin/x" FSV "\n",
	  0, "m", { 1, 0, 0 }, 2, FS | CT, "/usr/lib/libfoo.so.1" },
	{ "escapes: space, tab, backslash, upper- and lower-case hex",
	  HDR "/opt/with\\x20space/a\\x09b\\\\c\\x7F\\x0a" FSV "\n",
	  0, "m", { 1, 0, 0 }, 1, FS, "/opt/with space/a\tb\\c\x7f\n" },
	{ "escaped bytes that need no escape, and an escaped slash",
	  HDR "/\\x61\\x2fb" FSV "\n", 0, "m", { 1, 0, 0 }, 1, FS, "/a/b" },
	{ "raw bytes >= 0x80 and raw control bytes",
	  HDR "/caf\xc3\xa9/\x01\x1b\x7f" FSV "\n", 0, "m", { 1, 0, 0 }, 1, FS,
	  "/caf\xc3\xa9/\x01\x1b\x7f" },
	{ "a '#' inside a path, dots inside components",
	  HDR "/a#b/.c/..d/e." FSV "\n", 0, "m", { 1, 0, 0 }, 1, FS, "/a#b/.c/..d/e." },
	{ "the same digest under several paths",
	  HDR "/a" FSV "\n/b" FSV "\n/c" CON "\n", 0, "m", { 1, 0, 0 }, 3, FS | CT, "/a" },
	{ "paths that differ by one byte, or are prefixes of others",
	  HDR "/a" FSV "\n/ab" FSV "\n/a/b" FSV "\n/b" FSV "\n",
	  0, "m", { 1, 0, 0 }, 4, FS, "/a" },
	{ "last line without LF", HDR "/a" FSV, 0, "m", { 1, 0, 0 }, 1, FS, "/a" },
	{ "a name of 255 bytes",
	  "manifest_name=" N64 N64 N64 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn"
	  " manifest_version=65535.65535.65535\n",
	  0, N64 N64 N64 "nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn",
	  { 65535, 65535, 65535 }, 0, 0 },
};

static void run_good(const struct good_case *c)
{
	size_t len = c->len ? c->len : strlen(c->text);
	struct sigil_parse_error err;
	struct sigil_manifest *m;
	int rc;

	case_begin();
	rc = sigil_manifest_parse(c->text, len, &m, &err);
	case_check(rc == 0, "rc %d: line %u, column %u: %s", rc, err.line, err.col,
		   err.msg);
	if (m) {
		const struct sigil_manifest_entry *e = m->entries;

		case_check(!strcmp(m->name, c->name), "name '%s'", m->name);
		case_check(!memcmp(m->version, c->version, sizeof(m->version)),
			   "version %u.%u.%u", m->version[0], m->version[1], m->version[2]);
		case_check(m->nentries == c->nentries, "%u entries, want %u",
			   m->nentries, c->nentries);
		case_check(m->kinds == c->kinds, "kinds %#x, want %#x", m->kinds, c->kinds);
		case_check(m->mem_bytes == sizeof(*m) + m->nentries * sizeof(*e) + m->npaths,
			   "mem_bytes %zu", m->mem_bytes);
		if (c->path0 && m->nentries) {
			size_t plen = c->path0_len ? c->path0_len : strlen(c->path0);

			case_check(e->path_len == plen &&
				   !memcmp(sigil_manifest_path(m, e), c->path0, plen),
				   "first path '%.*s'", e->path_len, sigil_manifest_path(m, e));
			case_check(e->path_hash == sigil_path_hash(c->path0, plen),
				   "path hash");
			case_check(e->digest[0] == 0xfd && e->digest[31] == 0x9e,
				   "digest bytes");
			case_check(!e->reserved, "reserved");
		}
	}
	sigil_manifest_free(m);
	case_end("- manifest parse: %s", c->desc);
}

/* ---- manifests that do not ---- */

struct bad_case {
	const char *desc;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	int err;
	u32 line;
	u32 col;
	const char *msg;	/* must be in the message: it quotes the token */
};

static const struct bad_case bad[] = {
	/* header */
	{ "empty text", "", 0, -EBADMSG, 1, 0, "manifest is empty" },
	{ "only comments", "# only a comment\n\n", 0, -EBADMSG, 2, 0, "manifest is empty" },
	{ "an entry before the header", "/usr/bin/a" FSV "\n" HDR, 0,
	  -EBADMSG, 1, 1, "expected the header 'manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH' first, got '/usr/bin/a'" },
	{ "header tokens in the wrong order", "manifest_version=1.0.0 manifest_name=m\n", 0,
	  -EBADMSG, 1, 1, "got 'manifest_version=1.0.0'" },
	{ "policy header", "policy_name=m policy_version=1.0.0\n", 0,
	  -EBADMSG, 1, 1, "got 'policy_name=m'" },
	{ "empty name", "manifest_name= manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 1, "manifest_name is empty in 'manifest_name='" },
	{ "name with a slash", "manifest_name=a/b manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 16, "manifest_name 'a/b' contains '/'" },
	{ "name with a byte >= 0x80", "manifest_name=caf\xc3\xa9 manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 18, "manifest_name 'caf?" "?' contains '?'" },
	{ "name '.'", "manifest_name=. manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 1, "manifest_name cannot be '.'" },
	{ "name '..'", "manifest_name=.. manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 1, "manifest_name cannot be '..'" },
	{ "name 'ANY', which the policy language reserves",
	  "manifest_name=ANY manifest_version=1.0.0\n", 0,
	  -EBADMSG, 1, 1, "manifest_name cannot be 'ANY'" },
	{ "name of 256 bytes", "manifest_name=" N64 N64 N64 N64 " manifest_version=1.0.0\n", 0,
	  -ENAMETOOLONG, 1, 1, "manifest_name 'nnnnnnnnn" },
	{ "no version", "manifest_name=m\n/a" FSV "\n", 0,
	  -EBADMSG, 1, 1, "header 'manifest_name=m' has no manifest_version=" },
	{ "misspelled version key", "manifest_name=m version=1.0.0\n", 0,
	  -EBADMSG, 1, 17, "expected manifest_version= after manifest_name=, got 'version=1.0.0'" },
	{ "version with two components", "manifest_name=m manifest_version=1.0\n", 0,
	  -EBADMSG, 1, 17, "manifest_version '1.0' must have three components (MAJOR.MINOR.PATCH)" },
	{ "version with four components", "manifest_name=m manifest_version=1.0.0.0\n", 0,
	  -EBADMSG, 1, 17, "manifest_version '1.0.0.0' has more than three components" },
	{ "version not a number", "manifest_name=m manifest_version=1.x.0\n", 0,
	  -EINVAL, 1, 17, "manifest_version '1.x.0': each component must be a decimal number" },
	{ "negative version", "manifest_name=m manifest_version=-1.0.0\n", 0,
	  -EINVAL, 1, 17, "manifest_version '-1.0.0'" },
	{ "version component over 65535", "manifest_name=m manifest_version=1.65536.0\n", 0,
	  -ERANGE, 1, 17, "manifest_version '1.65536.0': each component must be at most 65535" },
	{ "version overflowing u64", "manifest_name=m manifest_version=99999999999999999999.0.0\n", 0,
	  -ERANGE, 1, 17, "manifest_version '99999999999999999999.0.0'" },
	{ "empty version", "manifest_name=m manifest_version=\n", 0,
	  -EBADMSG, 1, 17, "manifest_version is empty" },
	{ "a token after the version", "manifest_name=m manifest_version=1.0.0 extra\n", 0,
	  -EBADMSG, 1, 40, "unexpected 'extra' after manifest_version" },
	{ "a lone CR does not end a line", "manifest_name=m manifest_version=1.0.0\r/a" FSV, 0,
	  -EINVAL, 1, 17, "manifest_version '1.0.0?/a'" },
	{ "a second header", HDR "/a" FSV "\nmanifest_name=n manifest_version=2.0.0\n", 0,
	  -EBADMSG, 3, 1, "a second header 'manifest_name=n'" },
	/* entry shape */
	{ "entry without digest", HDR "/usr/bin/a\n", 0,
	  -EBADMSG, 2, 1, "entry '/usr/bin/a' has no digest" },
	{ "a space in a path not escaped", HDR "/opt/with space/run" FSV "\n", 0,
	  -EBADMSG, 2, 11, "expected KIND=sha256:HEX after the path, got 'space/run'" },
	{ "digest without kind", HDR "/a sha256:" D64 "\n", 0,
	  -EBADMSG, 2, 4, "expected KIND=sha256:HEX after the path, got 'sha256:fd88" },
	{ "unknown kind", HDR "/a ima=sha256:" D64 "\n", 0,
	  -EBADMSG, 2, 4, "unknown digest kind 'ima' (expected fsverity or content)" },
	{ "kind in upper case", HDR "/a FSVERITY=sha256:" D64 "\n", 0,
	  -EBADMSG, 2, 4, "unknown digest kind 'FSVERITY'" },
	{ "not sha256", HDR "/a fsverity=sha512:" D64 D64 "\n", 0,
	  -EBADMSG, 2, 13, "fsverity= takes sha256:HEX, got 'sha512'" },
	{ "no algorithm", HDR "/a content=" D64 "\n", 0,
	  -EBADMSG, 2, 12, "content= takes sha256:HEX, got 'fd88f2b8" },
	{ "hex one digit short", HDR "/a fsverity=sha256:" D63 "\n", 0,
	  -EBADMSG, 2, 20, "a sha256 digest is 64 hex digits, got 63 ('fd88f2b8" },
	{ "hex two digits long", HDR "/a content=sha256:" D64 "00\n", 0,
	  -EBADMSG, 2, 19, "got 66" },
	{ "empty hex", HDR "/a content=sha256:\n", 0,
	  -EBADMSG, 2, 19, "got 0 ('')" },
	{ "a non-hex digit", HDR "/a fsverity=sha256:" D63 "g\n", 0,
	  -EBADMSG, 2, 83, "fsverity=: 'g' is not a hex digit" },
	{ "a comment after an entry", HDR "/a" FSV " # c\n", 0,
	  -EBADMSG, 2, 85, "unexpected '#' after the digest" },
	{ "a CR not before a LF", HDR "/a" FSV "\r", 0,
	  -EBADMSG, 2, 84, "fsverity=: '?' is not a hex digit" },
	/* paths */
	{ "relative path", HDR "usr/bin/a" FSV "\n", 0,
	  -EBADMSG, 2, 1, "path 'usr/bin/a' is not absolute" },
	{ "'/' alone", HDR "/" FSV "\n", 0, -EBADMSG, 2, 1, "path '/' names no file" },
	{ "'//' at the start", HDR "//a" FSV "\n", 0,
	  -EBADMSG, 2, 2, "path '//a' has an empty component" },
	{ "'//' inside", HDR "/a//b" FSV "\n", 0,
	  -EBADMSG, 2, 4, "path '/a//b' has an empty component" },
	{ "trailing '/'", HDR "/a/" FSV "\n", 0, -EBADMSG, 2, 3, "path '/a/' ends in '/'" },
	{ "'.' component", HDR "/a/./b" FSV "\n", 0,
	  -EBADMSG, 2, 4, "path '/a/./b' has a '.' component" },
	{ "'..' component at the end", HDR "/a/.." FSV "\n", 0,
	  -EBADMSG, 2, 4, "path '/a/..' has a '..' component" },
	{ "'..' first", HDR "/../etc/passwd" FSV "\n", 0,
	  -EBADMSG, 2, 2, "path '/../etc/passwd' has a '..' component" },
	{ "'..' written with escapes", HDR "/a/\\x2e\\x2e/b" FSV "\n", 0,
	  -EBADMSG, 2, 4, "path '/a/\\x2e\\x2e/b' has a '..' component" },
	{ "an empty component made by an escaped slash", HDR "/a\\x2f/b" FSV "\n", 0,
	  -EBADMSG, 2, 7, "path '/a\\x2f/b' has an empty component" },
	{ "unknown escape", HDR "/a\\q" FSV "\n", 0,
	  -EBADMSG, 2, 3, "path '/a\\q': '\\q' is not an escape" },
	{ "\\x with one hex digit", HDR "/a\\x4" FSV "\n", 0,
	  -EBADMSG, 2, 3, "'\\x4' is not an escape (\\xHH takes two hex digits)" },
	{ "\\x with non-hex digits", HDR "/a\\xzz" FSV "\n", 0,
	  -EBADMSG, 2, 3, "'\\xzz' is not an escape" },
	{ "\\x00", HDR "/a\\x00b" FSV "\n", 0,
	  -EBADMSG, 2, 3, "path '/a\\x00b': '\\x00' would be a NUL byte" },
	{ "a backslash at the end", HDR "/a\\" FSV "\n", 0,
	  -EBADMSG, 2, 3, "path '/a\\': '\\' is not an escape" },
	{ "raw CR in a path", HDR "/a\rb" FSV "\n", 0,
	  -EBADMSG, 2, 3, "path '/a?b': a carriage return in a path is written \\x0d" },
	{ "NUL in a path", HDR "/a\0b" FSV "\n", sizeof(HDR "/a\0b" FSV "\n") - 1,
	  -EBADMSG, 2, 3, "NUL byte" },
	{ "NUL in a comment", "# a\0b\n" HDR, sizeof("# a\0b\n" HDR) - 1,
	  -EBADMSG, 1, 4, "NUL byte" },
	{ "component of 256 bytes",
	  HDR "/usr/" N64 N64 N64 N64 "/x" FSV "\n", 0,
	  -ENAMETOOLONG, 2, 6, "path '/usr/nnnn" },
	/* duplicates */
	{ "a path listed twice", HDR "/a" FSV "\n/b" FSV "\n\n/a" FSV "\n", 0,
	  -EBADMSG, 5, 1, "path '/a' is listed twice (first on line 2)" },
	{ "a path listed twice with both kinds", HDR "/x/y" CON "\n/x/y" FSV "\n", 0,
	  -EBADMSG, 3, 1, "path '/x/y' is listed twice (first on line 2)" },
	{ "a path listed twice, once escaped", HDR "/ab" FSV "\n  /a\\x62" CON "\n", 0,
	  -EBADMSG, 3, 3, "path '/a\\x62' is listed twice (first on line 2)" },
	{ "the first error wins: a duplicate before a bad line",
	  HDR "/a" FSV "\n/a" FSV "\n/b bad\n", 0,
	  -EBADMSG, 3, 1, "listed twice" },
	{ "the first error wins: a bad line before a duplicate",
	  HDR "/a" FSV "\n/b bad\n/a" FSV "\n", 0,
	  -EBADMSG, 3, 4, "got 'bad'" },
};

static void run_bad(const struct bad_case *c)
{
	size_t len = c->len ? c->len : strlen(c->text);
	struct sigil_parse_error err;
	struct sigil_manifest *m = (void *)1;
	char line[SIGIL_ERR_MSG_MAX + 64];
	int rc;

	case_begin();
	rc = sigil_manifest_parse(c->text, len, &m, &err);
	case_check(rc == c->err, "rc %d, want %d (%s)", rc, c->err, err.msg);
	case_check(err.err == rc, "err.err %d, rc %d", err.err, rc);
	case_check(!m, "manifest returned on error");
	case_check(err.line == c->line, "line %u, want %u (%s)", err.line, c->line,
		   err.msg);
	case_check(err.col == c->col, "column %u, want %u (%s)", err.col, c->col,
		   err.msg);
	case_check(strstr(err.msg, c->msg), "message '%s' lacks '%s'", err.msg, c->msg);
	sigil_parse_error_format(&err, line, sizeof(line));
	case_check(strstr(line, "line "), "formatted '%s'", line);
	case_end("- manifest refused: %s", c->desc);
}

/* ---- limits built at run time ---- */

static int parse_path_line(const char *path, struct sigil_parse_error *err,
			   struct sigil_manifest **m)
{
	size_t n = strlen(HDR) + strlen(path) + strlen(FSV) + 2;
	char *text = malloc(n);
	int rc;

	snprintf(text, n, HDR "%s" FSV "\n", path);
	rc = sigil_manifest_parse(text, strlen(text), m, err);
	free(text);
	return rc;
}

static void test_limits(void)
{
	char path[SIGIL_MANIFEST_PATH_MAX + 8];
	struct sigil_parse_error err;
	struct sigil_manifest *m;
	int rc, i;

	case_begin();
	/* 15 components of 255 bytes, then one of 254: 4095 bytes. */
	for (i = 0; i < 15; i++) {
		path[i * 256] = '/';
		memset(path + i * 256 + 1, 'a' + i, 255);
	}
	path[15 * 256] = '/';
	memset(path + 15 * 256 + 1, 'z', 254);
	path[SIGIL_MANIFEST_PATH_MAX] = '\0';
	rc = parse_path_line(path, &err, &m);
	case_check(rc == 0, "4095 bytes: rc %d (%s)", rc, err.msg);
	case_check(m && m->nentries == 1 && m->entries[0].path_len == 4095 &&
		   !memcmp(m->paths, path, 4095), "4095-byte path kept");
	sigil_manifest_free(m);

	strcat(path, "z");
	rc = parse_path_line(path, &err, &m);
	case_check(rc == -ENAMETOOLONG && err.line == 2 && err.col == 1 &&
		   strstr(err.msg, "longer than 4095 bytes") && strstr(err.msg, "'/aaaa"),
		   "4096 bytes: rc %d col %u (%s)", rc, err.col, err.msg);

	/* An escaped byte counts once. */
	memcpy(path + 15 * 256 + 1, "\\x7a", 4);
	memset(path + 15 * 256 + 5, 'z', 253);
	path[SIGIL_MANIFEST_PATH_MAX + 3] = '\0';
	rc = parse_path_line(path, &err, &m);
	case_check(rc == 0 && m->entries[0].path_len == 4095,
		   "4095 bytes with an escape: rc %d (%s)", rc, err.msg);
	sigil_manifest_free(m);

	/* A component of exactly 255 bytes. */
	path[0] = '/';
	memset(path + 1, 'c', 255);
	path[256] = '\0';
	rc = parse_path_line(path, &err, &m);
	case_check(rc == 0, "255-byte component: rc %d (%s)", rc, err.msg);
	sigil_manifest_free(m);
	case_end("- manifest limits: 4095-byte paths, 255-byte components");
}

/* ---- names ---- */

static void test_names(void)
{
	static const struct {
		const char *name;
		bool valid;
	} names[] = {
		{ "base", true }, { "a", true }, { "A-Z.a_z+0:9", true },
		{ "...", true }, { ".a", true }, { "any", true }, { "ANY1", true },
		{ "", false }, { ".", false }, { "..", false }, { "ANY", false },
		{ "a/b", false }, { "a b", false }, { "a\tb", false }, { "caf\xc3\xa9", false },
		{ "a@1", false }, { "a=b", false }, { "a\\b", false },
	};
	char longname[SIGIL_MANIFEST_NAME_MAX + 2];
	size_t i;

	case_begin();
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		case_check(sigil_manifest_name_valid(names[i].name, strlen(names[i].name)) ==
			   names[i].valid, "'%s'", names[i].name);
	memset(longname, 'x', sizeof(longname));
	case_check(sigil_manifest_name_valid(longname, SIGIL_MANIFEST_NAME_MAX), "255 bytes");
	case_check(!sigil_manifest_name_valid(longname, SIGIL_MANIFEST_NAME_MAX + 1),
		   "256 bytes");
	case_check(!strcmp(sigil_manifest_kind_names[SIGIL_MANIFEST_FSVERITY], "fsverity") &&
		   !strcmp(sigil_manifest_kind_names[SIGIL_MANIFEST_CONTENT], "content"),
		   "kind names");
	case_end("- manifest names: sigil_manifest_name_valid()");
}

/* ---- the canonical writer ---- */

static void test_format(void)
{
	static const char text[] =
		"manifest_name=f manifest_version=3.2.1\n"
		"/opt/a\\x20b/\\x5cc\\x7f\xc3\xa9\\x01" CON "\n"
		"/usr/bin/ping fsverity=sha256:" DUP "\n";
	static const char line0[] =
		"/opt/a\\x20b/\\\\c\\x7f\xc3\xa9\\x01" CON "\n";
	static const char line1[] = "/usr/bin/ping" FSV "\n";
	struct sigil_parse_error err;
	struct sigil_manifest *m;
	char buf[512], small[8];
	size_t n;
	int len;

	case_begin();
	case_check(!sigil_manifest_parse(text, sizeof(text) - 1, &m, &err), "%s", err.msg);
	if (m) {
		len = sigil_manifest_format_entry(buf, sizeof(buf), m, &m->entries[0]);
		case_check(len == (int)strlen(line0) && !strcmp(buf, line0),
			   "line 0 (%d): '%s'", len, buf);
		len = sigil_manifest_format_entry(buf, sizeof(buf), m, &m->entries[1]);
		case_check(len == (int)strlen(line1) && !strcmp(buf, line1),
			   "line 1 (%d): '%s'", len, buf);
		/* Cut as snprintf() cuts, with the full length returned. */
		len = sigil_manifest_format_entry(small, sizeof(small), m, &m->entries[1]);
		case_check(len == (int)strlen(line1) && !strcmp(small, "/usr/bi"),
			   "cut line: %d '%s'", len, small);
		len = sigil_manifest_format_entry(NULL, 0, m, &m->entries[1]);
		case_check(len == (int)strlen(line1), "size 0: %d", len);
		len = sigil_manifest_format_entry(buf, strlen(line1), m, &m->entries[1]);
		case_check(len == (int)strlen(line1) && strlen(buf) == strlen(line1) - 1 &&
			   !memcmp(buf, line1, strlen(line1) - 1), "cut before the newline");
		case_check(sigil_manifest_version(m) == (3ull << 32 | 2 << 16 | 1),
			   "version %#llx", (unsigned long long)sigil_manifest_version(m));
	}
	sigil_manifest_free(m);

	n = sigil_manifest_escape(small, sizeof(small), "/a\\b c", 6);
	case_check(n == 10 && !strcmp(small, "/a\\\\b\\x"), "escape cut: %zu '%s'", n, small);
	n = sigil_manifest_escape(small, 1, "/abc", 4);
	case_check(n == 4 && !small[0], "escape into 1 byte");
	case_end("- manifest format: canonical lines, cut as snprintf() cuts");
}

/* ---- escapes round trip: random bytes -> escape -> parse -> the same ---- */

static size_t random_path(char *p, size_t max)
{
	size_t n = 0;
	unsigned int comps = 1 + below(6), c, i, len;

	for (c = 0; c < comps && n + 2 < max; c++) {
		len = 1 + below(c == 0 && below(8) == 0 ? 255 : 12);
		if (n + 1 + len > max)
			len = (unsigned int)(max - n - 1);
		p[n++] = '/';
		for (i = 0; i < len; i++) {
			u8 b;

			do
				b = (u8)rnd();
			while (!b || b == '/');
			p[n++] = (char)b;
		}
		/* "." and ".." are not components a manifest takes. */
		if ((len == 1 && p[n - 1] == '.') ||
		    (len == 2 && p[n - 1] == '.' && p[n - 2] == '.'))
			p[n - 1] = 'x';
	}
	return n;
}

static void test_escape_round_trip(void)
{
	static char path[SIGIL_MANIFEST_PATH_MAX], esc[4 * SIGIL_MANIFEST_PATH_MAX + 1];
	static char text[4 * SIGIL_MANIFEST_PATH_MAX + 256], line[4 * SIGIL_MANIFEST_PATH_MAX + 128];
	unsigned int round, bad = 0, i;

	case_begin();
	for (round = 0; round < 3000 && bad < 5; round++) {
		size_t n = random_path(path, round % 100 == 0 ? sizeof(path) : 200);
		size_t elen = sigil_manifest_escape(esc, sizeof(esc), path, n);
		struct sigil_parse_error err;
		struct sigil_manifest *m;
		int tlen, rc;

		for (i = 0; i < elen; i++) {
			u8 b = (u8)esc[i];

			if (b <= 0x20 || b == 0x7f) {
				case_check(0, "raw byte %#x in escaped path", b);
				bad++;
			}
		}
		tlen = snprintf(text, sizeof(text), HDR "%s" CON "\n", esc);
		rc = sigil_manifest_parse(text, tlen, &m, &err);
		if (rc) {
			case_check(0, "round %u: %s", round, err.msg);
			bad++;
			continue;
		}
		if (m->nentries != 1 || m->entries[0].path_len != n ||
		    memcmp(m->paths, path, n)) {
			case_check(0, "round %u: path differs", round);
			bad++;
		}
		tlen = sigil_manifest_format_entry(line, sizeof(line), m, &m->entries[0]);
		if ((size_t)tlen != elen + strlen(CON) + 1 || memcmp(line, esc, elen)) {
			case_check(0, "round %u: format_entry differs", round);
			bad++;
		}
		sigil_manifest_free(m);
	}
	case_end("- manifest escapes: %u random paths round trip", round);
}

/* ---- the index against a naive scan ---- */

#define PATHS	300
#define DIGESTS	40
#define SETS_MAX 6

struct pool {
	char path[PATHS][64];
	u8 plen[PATHS];
	u8 digest[DIGESTS][SIGIL_MANIFEST_DIGEST_SIZE];
};

static void fill_pool(struct pool *pl)
{
	static const char *const prefix[] = {
		"/usr/bin/", "/usr/lib/x86_64-linux-gnu/", "/opt/a b/", "/", "/usr/lib/",
	};
	unsigned int i, j;

	for (i = 0; i < PATHS; i++) {
		const char *pre = prefix[below(5)];
		size_t n = strlen(pre);
		unsigned int len = 1 + below(4);

		memcpy(pl->path[i], pre, n);
		for (j = 0; j < len; j++) {
			/* A small alphabet: paths collide and share prefixes. */
			static const char abc[] = "ab\t\\\xe9.#";

			pl->path[i][n++] = abc[below(sizeof(abc) - 1)];
		}
		if (pl->path[i][n - 1] == '.')
			pl->path[i][n - 1] = 'z';
		pl->plen[i] = (u8)n;
		/* Distinct paths: a manifest lists each once. */
		for (j = 0; j < i; j++)
			if (pl->plen[j] == n && !memcmp(pl->path[j], pl->path[i], n))
				break;
		if (j < i)
			i--;
	}
	for (i = 0; i < DIGESTS; i++)
		for (j = 0; j < SIGIL_MANIFEST_DIGEST_SIZE; j++)
			/* Half of them differ only in their last byte. */
			pl->digest[i][j] = i < DIGESTS / 2 && j < 31 ? 0x5a : (u8)rnd();
}

/* Write a manifest text, escaping as a careless writer might. */
static size_t write_entry(char *out, const char *path, size_t len, const u8 *digest,
			  unsigned int kind)
{
	size_t n = 0, i;

	for (i = 0; i < len; i++) {
		u8 b = (u8)path[i];

		if (b == '\\' && below(2))
			n += sprintf(out + n, "\\\\");
		else if (b <= 0x20 || b == '\\' || b == 0x7f || below(10) == 0)
			n += sprintf(out + n, below(2) ? "\\x%02x" : "\\x%02X", b);
		else
			out[n++] = (char)b;
	}
	n += sprintf(out + n, below(3) ? " " : " \t ");
	n += sprintf(out + n, "%s=sha256:", sigil_manifest_kind_names[kind]);
	for (i = 0; i < SIGIL_MANIFEST_DIGEST_SIZE; i++)
		n += sprintf(out + n, below(4) ? "%02x" : "%02X", digest[i]);
	out[n++] = '\n';
	return n;
}

struct visit {
	u32 man;
	u32 entry;
};

struct visits {
	struct sigil_manifest *const *ms;
	u32 n;
	u32 nvisits;
	u32 stop_after;		/* 0: never stop */
	struct visit v[SETS_MAX * PATHS];
};

static int record(void *ctx, const struct sigil_manifest *m,
		  const struct sigil_manifest_entry *e)
{
	struct visits *vs = ctx;
	u32 i;

	for (i = 0; i < vs->n && vs->ms[i] != m; i++)
		;
	vs->v[vs->nvisits].man = i;
	vs->v[vs->nvisits].entry = (u32)(e - m->entries);
	vs->nvisits++;
	if (vs->stop_after && vs->nvisits == vs->stop_after)
		return 7;
	return 0;
}

static void naive(struct sigil_manifest *const *ms, u32 n, const char *path, size_t len,
		  const u8 *digest, struct visits *out)
{
	u32 i, j;

	out->nvisits = 0;
	for (i = 0; i < n; i++)
		for (j = 0; j < ms[i]->nentries; j++) {
			const struct sigil_manifest_entry *e = &ms[i]->entries[j];
			bool hit = path ? e->path_len == len &&
					  !memcmp(sigil_manifest_path(ms[i], e), path, len) :
					  !memcmp(e->digest, digest, SIGIL_MANIFEST_DIGEST_SIZE);

			if (hit) {
				out->v[out->nvisits].man = i;
				out->v[out->nvisits].entry = j;
				out->nvisits++;
			}
		}
}

static bool same_visits(const struct visits *a, const struct visits *b)
{
	return a->nvisits == b->nvisits &&
	       !memcmp(a->v, b->v, a->nvisits * sizeof(a->v[0]));
}

static u32 expected_slots(u32 total)
{
	u32 size = 1;

	while (size < total + (total + 1) / 2)
		size *= 2;
	return size;
}

static void test_index(void)
{
	static struct pool pl;
	static struct visits got, want;
	static char text[PATHS * 400];
	unsigned int round, bad = 0, queries = 0, hits = 0, multi = 0;

	fill_pool(&pl);
	case_begin();
	for (round = 0; round < 300 && bad < 5; round++) {
		struct sigil_manifest *ms[SETS_MAX] = { 0 };
		struct sigil_manifest_set *s;
		u32 n = below(SETS_MAX + 1), i, total = 0, q;
		int rc;

		for (i = 0; i < n; i++) {
			/* Some manifests are empty; most share paths and digests. */
			u32 want_entries = below(4) == 0 ? 0 : below(round % 10 == 0 ? PATHS : 40);
			bool used[PATHS] = { 0 };
			struct sigil_parse_error err;
			size_t len;
			u32 k;

			len = sprintf(text, "manifest_name=m%u manifest_version=%u.%u.%u\n",
				      i, below(3), below(3), below(3));
			for (k = 0; k < want_entries; k++) {
				u32 p = below(PATHS);

				if (used[p])
					continue;
				used[p] = true;
				if (below(8) == 0)
					len += sprintf(text + len, "# comment\n\n");
				len += write_entry(text + len, pl.path[p], pl.plen[p],
						   pl.digest[below(DIGESTS)], below(2));
			}
			rc = sigil_manifest_parse(text, len, &ms[i], &err);
			if (rc) {
				case_check(0, "round %u: manifest %u: line %u: %s", round, i,
					   err.line, err.msg);
				bad++;
				n = i;
				break;
			}
			total += ms[i]->nentries;
		}
		rc = sigil_manifest_set_build(ms, n, &s);
		if (rc) {
			case_check(0, "round %u: build %d", round, rc);
			bad++;
			goto next;
		}
		if (s->nentries != total || s->nmanifests != n ||
		    s->mask + 1 != expected_slots(total) || s->first[n] != total ||
		    s->mem_bytes != sizeof(*s) + n * sizeof(*s->manifests) +
				    (n + 1) * sizeof(u32) + 2 * (s->mask + 1) * sizeof(u32) +
				    total * sizeof(u32)) {
			case_check(0, "round %u: set shape: %u entries, mask %u, mem %zu",
				   round, s->nentries, s->mask, s->mem_bytes);
			bad++;
		}
		got.ms = ms;
		got.n = n;
		/* Every pool path and digest, present or not, and some absent. */
		for (q = 0; q < PATHS + DIGESTS + 40; q++) {
			char absent[80];
			const char *path = NULL;
			const u8 *digest = NULL;
			u8 dg[SIGIL_MANIFEST_DIGEST_SIZE];
			size_t len = 0;

			if (q < PATHS) {
				path = pl.path[q];
				len = pl.plen[q];
			} else if (q < PATHS + DIGESTS) {
				digest = pl.digest[q - PATHS];
			} else if (q % 2) {
				u32 p = below(PATHS);

				/* A prefix of a path, or a path with a byte more. */
				len = q % 4 == 1 ? pl.plen[p] - 1u : pl.plen[p] + 1u;
				memcpy(absent, pl.path[p], pl.plen[p]);
				absent[pl.plen[p]] = 'q';
				path = absent;
			} else {
				memcpy(dg, pl.digest[below(DIGESTS)], sizeof(dg));
				dg[below(32)] ^= 0x80;
				digest = dg;
			}
			naive(ms, n, path, len, digest, &want);
			got.nvisits = 0;
			got.stop_after = 0;
			rc = path ? sigil_manifest_by_path(s, path, len, record, &got) :
				    sigil_manifest_by_digest(s, digest, record, &got);
			queries++;
			hits += want.nvisits;
			multi += want.nvisits > 1;
			if (rc || !same_visits(&got, &want)) {
				case_check(0, "round %u query %u: rc %d, %u visits, want %u",
					   round, q, rc, got.nvisits, want.nvisits);
				bad++;
				continue;
			}
			/* Stopping: the callback's value comes back, no more visits. */
			if (want.nvisits >= 1) {
				got.nvisits = 0;
				got.stop_after = 1 + below(want.nvisits);
				rc = path ? sigil_manifest_by_path(s, path, len, record, &got) :
					    sigil_manifest_by_digest(s, digest, record, &got);
				if (rc != 7 || got.nvisits != got.stop_after) {
					case_check(0, "round %u query %u: stop: rc %d after %u",
						   round, q, rc, got.nvisits);
					bad++;
				}
			}
		}
		sigil_manifest_set_free(s);
next:
		for (i = 0; i < n; i++)
			sigil_manifest_free(ms[i]);
	}
	case_check(hits > 1000 && multi > 100, "too few matches: %u, %u several", hits, multi);
	case_end("- manifest index: %u rounds, %u queries, %u entries found, %u with several",
		 round, queries, hits, multi);
}

/* Sets of nothing: no manifests, and manifests without entries. */
static void test_empty_sets(void)
{
	static const u8 zero[SIGIL_MANIFEST_DIGEST_SIZE];
	struct sigil_manifest *ms[3] = { 0 };
	struct sigil_parse_error err;
	struct sigil_manifest_set *s;
	struct visits vs = { 0 };
	int rc, i;

	case_begin();
	rc = sigil_manifest_set_build(ms, 0, &s);
	case_check(!rc && s && s->nentries == 0 && s->mask == 0, "no manifests: %d", rc);
	if (s) {
		vs.ms = ms;
		case_check(!sigil_manifest_by_path(s, "/a", 2, record, &vs) &&
			   !sigil_manifest_by_digest(s, zero, record, &vs) && !vs.nvisits,
			   "lookups in an empty set");
	}
	sigil_manifest_set_free(s);

	for (i = 0; i < 3; i++)
		sigil_manifest_parse(i == 1 ? HDR "/a" FSV "\n" : HDR, strlen(HDR) +
				     (i == 1 ? strlen("/a" FSV "\n") : 0), &ms[i], &err);
	rc = sigil_manifest_set_build(ms, 3, &s);
	case_check(!rc && s && s->nentries == 1 && s->mask == 1 &&
		   s->first[0] == 0 && s->first[1] == 0 && s->first[2] == 1 && s->first[3] == 1,
		   "empty manifests around one entry: %d", rc);
	if (s) {
		vs.ms = ms;
		vs.n = 3;
		rc = sigil_manifest_by_path(s, "/a", 2, record, &vs);
		case_check(!rc && vs.nvisits == 1 && vs.v[0].man == 1 && vs.v[0].entry == 0,
			   "found in the middle manifest");
		vs.nvisits = 0;
		rc = sigil_manifest_by_digest(s, ms[1]->entries[0].digest, record, &vs);
		case_check(!rc && vs.nvisits == 1 && vs.v[0].man == 1, "by digest");
		vs.nvisits = 0;
		rc = sigil_manifest_by_path(s, "/b", 2, record, &vs);
		case_check(!rc && !vs.nvisits, "absent path");
	}
	sigil_manifest_set_free(s);
	for (i = 0; i < 3; i++)
		sigil_manifest_free(ms[i]);
	case_end("- manifest index: no manifests, and manifests without entries");
}

/* ---- what an update drops ---- */

#define D(c)	"sha256:" c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c \
		c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c c

static void test_dropped(void)
{
	static const char v1[] =
		"manifest_name=base manifest_version=1.0.0\n"
		"/a fsverity=" D("1") "\n"	/* kept */
		"/b fsverity=" D("2") "\n"	/* dropped */
		"/c content=" D("3") "\n"	/* new digest in v2 */
		"/d fsverity=" D("4") "\n"	/* same digest, other kind in v2 */
		"/sp\\x20ace content=" D("5") "\n";	/* dropped */
	static const char v2[] =
		"manifest_name=base manifest_version=1.1.0\n"
		"/a fsverity=" D("1") "\n"
		"/c content=" D("6") "\n"
		"/d content=" D("4") "\n"
		"/e content=" D("2") "\n";
	static const char *const want[] = { "/b", "/c", "/d", "/sp ace" };
	struct sigil_manifest *a, *b, *d = NULL;
	struct sigil_parse_error err;
	u32 i;

	case_begin();
	case_check(!sigil_manifest_parse(v1, strlen(v1), &a, &err), "v1: %s", err.msg);
	case_check(!sigil_manifest_parse(v2, strlen(v2), &b, &err), "v2: %s", err.msg);
	if (case_ok) {
		case_check(!sigil_manifest_dropped(a, b, &d), "dropped");
	}
	if (d) {
		case_check(!strcmp(d->name, "base") && d->version[1] == 0,
			   "named and versioned as the old version");
		case_check(d->nentries == 4, "%u entries dropped, want 4", d->nentries);
		for (i = 0; i < d->nentries && i < 4; i++)
			case_check(d->entries[i].path_len == strlen(want[i]) &&
				   !memcmp(sigil_manifest_path(d, &d->entries[i]), want[i],
					   strlen(want[i])) &&
				   d->entries[i].path_hash ==
				   sigil_path_hash(want[i], strlen(want[i])),
				   "entry %u is %s", i, want[i]);
		case_check(d->kinds == (1u << SIGIL_MANIFEST_FSVERITY |
					1u << SIGIL_MANIFEST_CONTENT), "kinds");
		sigil_manifest_free(d);
		d = NULL;
		case_check(!sigil_manifest_dropped(b, b, &d) && d && !d->nentries,
			   "a version drops nothing of itself");
		sigil_manifest_free(d);
	}
	sigil_manifest_free(a);
	sigil_manifest_free(b);
	case_end("- sigil_manifest_dropped(): what an update drops, in order");
}

/*
 * Many entries with one digest (empty files, copies) take one slot of the
 * digest table, so that neither building nor looking up walks a cluster
 * of them; a lookup still visits each, in order.
 */
static int count_visit(void *ctx, const struct sigil_manifest *m,
		       const struct sigil_manifest_entry *e)
{
	u32 *n = ctx;

	if (e != &m->entries[*n])
		return -1;
	++*n;
	return 0;
}

static void test_same_digest(void)
{
	const u32 n = 5000;
	struct sigil_manifest_set *s = NULL;
	struct sigil_parse_error err;
	struct sigil_manifest *m = NULL;
	size_t cap = (size_t)n * 100 + 100, len = 0;
	char *t = malloc(cap);
	u32 i, used = 0, visits = 0;

	case_begin();
	len += snprintf(t + len, cap - len, "manifest_name=same manifest_version=1.0.0\n");
	for (i = 0; i < n; i++)
		len += snprintf(t + len, cap - len, "/e/%u content=" D("e") "\n", i);
	case_check(!sigil_manifest_parse(t, len, &m, &err), "parse: %s", err.msg);
	if (m)
		case_check(!sigil_manifest_set_build(&m, 1, &s), "build");
	if (s) {
		for (i = 0; i <= s->mask; i++)
			used += !!s->digest_slots[i];
		case_check(used == 1, "%u digest slots used for one digest", used);
		case_check(!sigil_manifest_by_digest(s, m->entries[0].digest,
						     count_visit, &visits) &&
			   visits == n, "%u of %u visited in order", visits, n);
	}
	sigil_manifest_set_free(s);
	sigil_manifest_free(m);
	free(t);
	case_end("- index: 5000 entries with one digest take one digest slot, visited in order");
}

int main(void)
{
	size_t i;

	ksft_print_header();
	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		run_good(&good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		run_bad(&bad[i]);
	test_limits();
	test_names();
	test_format();
	test_escape_round_trip();
	test_index();
	test_empty_sets();
	test_dropped();
	test_same_digest();
	cases_done();
}
