/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Reading the fixtures that selftests/fixtures/pgp-fixtures and
 * selftests/fixtures/sig-fixtures write, for the host unit tests.
 */
#ifndef _SIGIL_FIXTURE_H
#define _SIGIL_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "compat.h"

/* The whole of @dir/@name in a malloc()ed buffer, or NULL. */
static inline u8 *read_fixture(const char *dir, const char *name, size_t *len)
{
	char path[1024];
	FILE *f;
	u8 *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc(n ? n : 1);
	if (fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

#endif /* _SIGIL_FIXTURE_H */
