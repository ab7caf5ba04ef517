// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for policy/manifest.c: one input is a manifest text.
 * A refusal must say where and why.  An accepted manifest must be
 * consistent; indexed (twice, with an empty manifest between), every
 * entry must be found by its path and by its digest; and its entries,
 * written back in canonical form under the same header, must parse to
 * the same manifest.  Built with ASan and UBSan; "make fuzz" runs it.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "manifest.h"

struct want {
	const struct sigil_manifest *m;
	const struct sigil_manifest_entry *e;
	unsigned int found;
	unsigned int visits;
};

static int visit(void *ctx, const struct sigil_manifest *m,
		 const struct sigil_manifest_entry *e)
{
	struct want *w = ctx;

	w->visits++;
	if (m == w->m && e == w->e)
		w->found++;
	return 0;
}

static void check(const struct sigil_manifest *m)
{
	u32 i;

	if (!sigil_manifest_name_valid(m->name, strlen(m->name)))
		abort();
	for (i = 0; i < m->nentries; i++) {
		const struct sigil_manifest_entry *e = &m->entries[i];
		const char *p = sigil_manifest_path(m, e);

		if (e->path_off + e->path_len > m->npaths || e->path_len < 2 ||
		    e->path_len > SIGIL_MANIFEST_PATH_MAX || p[0] != '/' ||
		    p[e->path_len - 1] == '/' || memchr(p, '\0', e->path_len) ||
		    e->kind >= __SIGIL_MANIFEST_KIND_MAX || e->reserved ||
		    !(m->kinds & (1u << e->kind)) ||
		    e->path_hash != sigil_path_hash(p, e->path_len))
			abort();
	}
}

/* Index @m twice: every entry is found twice by path and by digest. */
static void lookups(struct sigil_manifest *m)
{
	static const char empty_text[] = "manifest_name=e manifest_version=0.0.0\n";
	struct sigil_manifest *empty, *d, *ms[3];
	struct sigil_manifest_set *s;
	struct sigil_parse_error err;
	u32 i;

	if (sigil_manifest_parse(empty_text, sizeof(empty_text) - 1, &empty, &err))
		abort();
	ms[0] = m;
	ms[1] = empty;
	ms[2] = m;
	if (sigil_manifest_set_build(ms, 3, &s))
		abort();
	if (s->nentries != 2 * m->nentries)
		abort();
	for (i = 0; i < m->nentries; i++) {
		const struct sigil_manifest_entry *e = &m->entries[i];
		struct want w = { m, e };

		sigil_manifest_by_path(s, sigil_manifest_path(m, e), e->path_len,
				       visit, &w);
		/* Paths are unique within a manifest: one hit per copy. */
		if (w.found != 2 || w.visits != 2)
			abort();
		w.found = 0;
		w.visits = 0;
		sigil_manifest_by_digest(s, e->digest, visit, &w);
		if (w.found != 2 || w.visits < 2)
			abort();
	}
	sigil_manifest_set_free(s);
	/* A version drops nothing of itself, and all of itself for none. */
	if (sigil_manifest_dropped(m, m, &d))
		abort();
	if (d->nentries)
		abort();
	sigil_manifest_free(d);
	if (sigil_manifest_dropped(m, empty, &d))
		abort();
	if (d->nentries != m->nentries || d->npaths != m->npaths ||
	    (m->nentries && memcmp(d->paths, m->paths, m->npaths)))
		abort();
	sigil_manifest_free(d);
	sigil_manifest_free(empty);
}

/* Write @m back in canonical form, parse that, compare. */
static void round_trip(const struct sigil_manifest *m)
{
	size_t cap = 128 + SIGIL_MANIFEST_NAME_MAX +
		     (size_t)m->nentries * (16 + 80) + 4 * (size_t)m->npaths;
	struct sigil_parse_error err;
	struct sigil_manifest *again;
	char *text = malloc(cap);
	size_t len;
	u32 i;

	len = snprintf(text, cap, "manifest_name=%s manifest_version=%u.%u.%u\n",
		       m->name, m->version[0], m->version[1], m->version[2]);
	if (len >= cap)
		abort();
	for (i = 0; i < m->nentries; i++) {
		int n = sigil_manifest_format_entry(text + len, cap - len, m,
						    &m->entries[i]);

		if (n < 0 || (size_t)n >= cap - len)
			abort();
		len += n;
	}
	if (sigil_manifest_parse(text, len, &again, &err))
		abort();
	if (strcmp(again->name, m->name) ||
	    memcmp(again->version, m->version, sizeof(m->version)) ||
	    again->nentries != m->nentries || again->npaths != m->npaths ||
	    again->kinds != m->kinds ||
	    (m->npaths && memcmp(again->paths, m->paths, m->npaths)) ||
	    (m->nentries && memcmp(again->entries, m->entries,
				   m->nentries * sizeof(*m->entries))))
		abort();
	sigil_manifest_free(again);
	free(text);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *copy = malloc(size ? size : 1), line[SIGIL_ERR_MSG_MAX + 64];
	struct sigil_parse_error err;
	struct sigil_manifest *m;
	int rc;

	/* An exact-size copy, not NUL-terminated: reads past the end are caught. */
	memcpy(copy, data, size);
	rc = sigil_manifest_parse(copy, size, &m, &err);
	if (rc) {
		if (m || rc != err.err || !err.msg[0] || !err.line)
			abort();
		sigil_parse_error_format(&err, line, sizeof(line));
	} else {
		check(m);
		lookups(m);
		round_trip(m);
		sigil_manifest_free(m);
	}
	free(copy);
	return 0;
}
