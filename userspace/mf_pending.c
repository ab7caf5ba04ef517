// SPDX-License-Identifier: GPL-2.0-only
/*
 * Until policy/manifest.c is in: the three functions of policy/manifest.h
 * that manifest create uses, with the header's semantics.
 */

#include <string.h>

#include "mf.h"

const char *const sigil_manifest_kind_names[__SIGIL_MANIFEST_KIND_MAX] = {
	[SIGIL_MANIFEST_FSVERITY] = "fsverity",
	[SIGIL_MANIFEST_CONTENT] = "content",
};

bool sigil_manifest_name_valid(const char *name, size_t len)
{
	size_t i;

	if (!len || len > SIGIL_MANIFEST_NAME_MAX || (len == 3 && !memcmp(name, "ANY", 3)) ||
	    (len == 1 && name[0] == '.') || (len == 2 && !memcmp(name, "..", 2)))
		return false;
	for (i = 0; i < len; i++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._+:-",
			    name[i]) || !name[i])
			return false;
	return true;
}

size_t sigil_manifest_escape(char *buf, size_t size, const char *path, size_t len)
{
	static const char hex[] = "0123456789abcdef";
	size_t i, n = 0;

	for (i = 0; i < len; i++) {
		unsigned char c = path[i];
		char e[4];
		size_t el, j;

		if (c == '\\') {
			e[0] = e[1] = '\\';
			el = 2;
		} else if (c <= 0x20 || c == 0x7f) {
			e[0] = '\\';
			e[1] = 'x';
			e[2] = hex[c >> 4];
			e[3] = hex[c & 15];
			el = 4;
		} else {
			e[0] = c;
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
