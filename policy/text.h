/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the policy parser and the manifest parser share: quoting untrusted
 * tokens in messages, MAJOR.MINOR.PATCH versions, and growing arrays.
 * Internal to policy/.
 */
#ifndef _SIGIL_TEXT_H
#define _SIGIL_TEXT_H

#include "compat.h"

/* Longest token quoted in an error message. */
#define SIGIL_QUOTE_MAX	48

void sigil_text_quote(char *buf, size_t size, const char *s, size_t len);
int sigil_version_parse(const char *s, size_t len, u16 version[3],
			const char *key, const char *form, char *msg,
			size_t size);

int sigil_array_grow(void **arr, u32 *cap, u32 need, size_t elem, u32 first);

#endif /* _SIGIL_TEXT_H */
