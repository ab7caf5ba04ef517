// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl's JSON writer: strings escaped, and key-value pairs written to
 * stdout one after another, the caller writing the braces and brackets.
 * *@first says whether a pair is the first of its object (no comma).
 */

#include <errno.h>
#include <stdlib.h>

#include "sigilctl.h"

void json_str(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20 || c == 0x7f)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

void json_key(const char *key, bool *first)
{
	if (!*first)
		putchar(',');
	*first = false;
	json_str(key);
	putchar(':');
}

void json_kv_str(const char *key, const char *val, bool *first)
{
	json_key(key, first);
	if (val)
		json_str(val);
	else
		fputs("null", stdout);
}

void json_kv_num(const char *key, long long val, bool *first)
{
	json_key(key, first);
	printf("%lld", val);
}

void json_kv_bool(const char *key, bool val, bool *first)
{
	json_key(key, first);
	fputs(val ? "true" : "false", stdout);
}

/* @val as a number when it is one, else as a string. */
void json_kv_num_or_str(const char *key, const char *val, bool *first)
{
	char *end;
	long long n;

	errno = 0;
	n = strtoll(val, &end, 10);
	if (*val && !*end && !errno)
		json_kv_num(key, n, first);
	else
		json_kv_str(key, val, first);
}
