/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the policy parser and the manifest parser share: quoting untrusted
 * tokens in messages, and MAJOR.MINOR.PATCH versions.  Internal to
 * policy/.
 */
#ifndef _SIGIL_TEXT_H
#define _SIGIL_TEXT_H

#include "compat.h"

/* Longest token quoted in an error message. */
#define SIGIL_QUOTE_MAX	48

void sigil_quote(char *buf, size_t size, const char *s, size_t len);
int sigil_version_parse(const char *s, size_t len, u16 version[3],
			const char *key, const char *form, char *msg,
			size_t size);

#endif /* _SIGIL_TEXT_H */
