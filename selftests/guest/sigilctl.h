/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers for guest tests that run /bin/sigilctl: run it with or without
 * CAP_MAC_ADMIN and keep what it printed, and a small JSON reader to check
 * its --json output.
 */
#ifndef _SIGIL_SELFTEST_SIGILCTL_H
#define _SIGIL_SELFTEST_SIGILCTL_H

#include <ctype.h>
#include <stdbool.h>
#include <sys/prctl.h>

#include "common.h"

#define CTL	"/bin/sigilctl"
/*
 * selftests/fixtures/sigilctl-fixtures: keys, ids, policies signed by
 * sigilctl.
 */
#define CTL_FIX	"/sigilctl"

/* A fingerprint or SKID, in lower-case hex, from /sigilctl/ids. */
#define ctl_fix_id(key) ids_value(CTL_FIX "/ids", key)

/* ---- running sigilctl ---- */

struct ctl_result {
	int status;
	char out[65536];
	char err[8192];
};

/* The last run: one per test process. */
static struct ctl_result r;

/*
 * Run "sigilctl ARGS" through the shell, without CAP_MAC_ADMIN when
 * @unprivileged; its exit status, stdout and stderr are left in r.
 */
static inline int __attribute__((format(printf, 2, 3)))
ctl_as(bool unprivileged, const char *fmt, ...)
{
	char *args, *cmd;
	va_list ap;
	pid_t pid;
	int st;

	va_start(ap, fmt);
	if (vasprintf(&args, fmt, ap) < 0)
		args = NULL;
	va_end(ap);
	if (!args || asprintf(&cmd, CTL " %s >/tmp/ctl.out 2>/tmp/ctl.err", args) < 0)
		return -1;
	free(args);
	pid = fork();
	if (!pid) {
		/* Out of the bounding set too, or exec as root brings it back. */
		if (unprivileged && (prctl(PR_CAPBSET_DROP, CAP_MAC_ADMIN, 0, 0, 0) ||
				     drop_mac_admin()))
			_exit(99);
		execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
		_exit(98);
	}
	free(cmd);
	if (pid < 0 || waitpid(pid, &st, 0) != pid)
		return -1;
	r.status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	if (read_file("/tmp/ctl.out", r.out, sizeof(r.out)) < 0)
		r.out[0] = '\0';
	if (read_file("/tmp/ctl.err", r.err, sizeof(r.err)) < 0)
		r.err[0] = '\0';
	return r.status;
}

#define ctl(...) ctl_as(false, __VA_ARGS__)

/* ---- a small JSON reader: enough to check sigilctl's output ---- */

static inline const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		p++;
	return p;
}

/* Skip the JSON value at @p: its end, or NULL when it is not valid JSON. */
static inline const char *json_skip(const char *p)
{
	char close;
	int i;

	p = json_ws(p);
	switch (*p) {
	case '"':
		for (p++; *p != '"'; p++) {
			if (!*p || (unsigned char)*p < 0x20)
				return NULL;
			if (*p != '\\')
				continue;
			p++;
			if (*p == 'u') {
				for (i = 0; i < 4; i++)
					if (!isxdigit((unsigned char)*++p))
						return NULL;
			} else if (!*p || !strchr("\"\\/bfnrt", *p)) {
				return NULL;
			}
		}
		return p + 1;
	case '{':
	case '[':
		close = *p == '{' ? '}' : ']';
		p = json_ws(p + 1);
		if (*p == close)
			return p + 1;
		for (;;) {
			if (close == '}') {
				if (*p != '"')
					return NULL;
				p = json_skip(p);
				if (!p)
					return NULL;
				p = json_ws(p);
				if (*p++ != ':')
					return NULL;
			}
			p = json_skip(p);
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p == close)
				return p + 1;
			if (*p++ != ',')
				return NULL;
			p = json_ws(p);
		}
	case 't':
		return strncmp(p, "true", 4) ? NULL : p + 4;
	case 'f':
		return strncmp(p, "false", 5) ? NULL : p + 5;
	case 'n':
		return strncmp(p, "null", 4) ? NULL : p + 4;
	default: {
		char *end;

		if (*p != '-' && !isdigit((unsigned char)*p))
			return NULL;
		strtod(p, &end);
		return end;
	}
	}
}

/* Is @s one JSON value and nothing else (a line of JSON lines: up to \n)? */
static inline bool json_doc(const char *s)
{
	const char *e = json_skip(s);

	while (e && (*e == ' ' || *e == '\t' || *e == '\r'))
		e++;
	return e && (!*e || *e == '\n');
}

/* The value of @key in the object at @obj, or NULL. */
static inline const char *json_get(const char *obj, const char *key)
{
	const char *p = json_ws(obj), *k, *v;
	size_t klen = strlen(key);

	if (*p != '{')
		return NULL;
	p = json_ws(p + 1);
	while (*p == '"') {
		k = p + 1;
		p = json_skip(p);
		if (!p)
			return NULL;
		bool match = (size_t)(p - 1 - k) == klen && !memcmp(k, key, klen);

		p = json_ws(p);
		if (*p++ != ':')
			return NULL;
		v = json_ws(p);
		if (match)
			return v;
		p = json_skip(v);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p != ',')
			break;
		p = json_ws(p + 1);
	}
	return NULL;
}

/* Element @i of the array at @arr, or NULL. */
static inline const char *json_at(const char *arr, int i)
{
	const char *p = json_ws(arr);

	if (*p != '[')
		return NULL;
	p = json_ws(p + 1);
	if (*p == ']')
		return NULL;
	while (i--) {
		p = json_skip(p);
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p != ',')
			return NULL;
		p = json_ws(p + 1);
	}
	return p;
}

static inline int json_len(const char *arr)
{
	int n = 0;

	while (json_at(arr, n))
		n++;
	return n;
}

/* The string at @v, unescaped into @buf ("" when @v is not a string). */
static inline const char *json_str(const char *v, char *buf, size_t size)
{
	size_t n = 0;

	buf[0] = '\0';
	if (!v || *v != '"')
		return buf;
	for (v++; *v && *v != '"' && n + 1 < size; v++) {
		if (*v == '\\') {
			v++;
			if (*v == 'u') {
				buf[n++] = (char)strtol((char[]){ v[1], v[2], v[3], v[4], 0 },
							NULL, 16);
				v += 4;
				continue;
			}
			buf[n++] = *v == 'n' ? '\n' : *v == 't' ? '\t' : *v;
			continue;
		}
		buf[n++] = *v;
	}
	buf[n] = '\0';
	return buf;
}

static inline bool json_is(const char *v, const char *want)
{
	static char buf[256];

	return v && !strcmp(json_str(v, buf, sizeof(buf)), want);
}

/* The element of the array @arr whose @key is the string @val, or NULL. */
static inline const char *json_find(const char *arr, const char *key, const char *val)
{
	const char *e;
	int i;

	for (i = 0; (e = json_at(arr, i)); i++)
		if (json_is(json_get(e, key), val))
			return e;
	return NULL;
}

#endif /* _SIGIL_SELFTEST_SIGILCTL_H */
