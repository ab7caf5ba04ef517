// SPDX-License-Identifier: GPL-2.0-only
/*
 * Helpers of the policy and manifest parsers: quoting untrusted tokens in
 * messages, and versions as IPE parses policy_version.
 */

#include "text.h"

/**
 * sigil_text_quote() - copy an untrusted token into a message
 * @buf: output, NUL-terminated
 * @size: size of @buf, at least 1
 * @s: the token
 * @len: its length
 *
 * Anything that is not printable ASCII becomes '?', and a token longer
 * than %SIGIL_QUOTE_MAX is cut and ends in "...".
 */
void sigil_text_quote(char *buf, size_t size, const char *s, size_t len)
{
	size_t i, n = len;

	if (n > SIGIL_QUOTE_MAX)
		n = SIGIL_QUOTE_MAX - 3;
	if (n >= size)
		n = size - 1;
	for (i = 0; i < n; i++)
		buf[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	buf[n] = '\0';
	if (n < len && n + 3 < size)
		memcpy(buf + n, "...", 4);
}

/**
 * sigil_version_parse() - parse a MAJOR.MINOR.PATCH version
 * @s: the version text
 * @len: its length
 * @version: on success, the three components
 * @key: what the version is called in messages ("policy_version")
 * @form: how its components are called in messages ("MAJOR.MINOR.PATCH")
 * @msg: on failure, the message, which quotes @s
 * @size: size of @msg
 *
 * Components are parsed left to right, each as kstrtou16() would (u64
 * overflow, then no digits, then trailing bytes, then range), so that
 * every malformed version gets the errno that IPE gives policy_version.
 *
 * Return: 0; -EBADMSG when empty or not three components; -EINVAL for a
 * component that is not a decimal number; -ERANGE for one over 65535.
 */
int sigil_version_parse(const char *s, size_t len, u16 version[3],
			const char *key, const char *form, char *msg,
			size_t size)
{
	const char *end = s + len;
	char q[SIGIL_QUOTE_MAX + 1];
	unsigned int n = 0;

	sigil_text_quote(q, sizeof(q), s, len);
	if (!len) {
		snprintf(msg, size, "%s is empty", key);
		return -EBADMSG;
	}
	for (;;) {
		bool digits = false, overflow = false;
		const char *c = s;
		u64 v = 0;

		if (n == 3) {
			snprintf(msg, size,
				 "%s '%s' has more than three components (%s)",
				 key, q, form);
			return -EBADMSG;
		}
		if (c < end && *c == '+')
			c++;
		for (; c < end && *c >= '0' && *c <= '9'; c++) {
			digits = true;
			if (v > (~0ull - 9) / 10)
				overflow = true;
			else
				v = v * 10 + (*c - '0');
		}
		if (!overflow && (!digits || (c < end && *c != '.'))) {
			snprintf(msg, size,
				 "%s '%s': each component must be a decimal number",
				 key, q);
			return -EINVAL;
		}
		if (overflow || v > 65535) {
			snprintf(msg, size,
				 "%s '%s': each component must be at most 65535",
				 key, q);
			return -ERANGE;
		}
		version[n++] = (u16)v;
		if (c == end)
			break;
		s = c + 1;
	}
	if (n != 3) {
		snprintf(msg, size, "%s '%s' must have three components (%s)",
			 key, q, form);
		return -EBADMSG;
	}
	return 0;
}

/**
 * sigil_array_grow() - grow an array so that it holds @need elements
 * @arr: the array, reallocated
 * @cap: its capacity in elements, updated
 * @need: the elements it must hold
 * @elem: the size of an element
 * @first: the capacity of a first allocation
 *
 * The capacity doubles, so that appending one element at a time costs
 * amortized O(1).
 *
 * Return: 0; -E2BIG when the array would pass 2^31 elements or the size
 * of memory; -ENOMEM.  On error *@arr is unchanged.
 */
int sigil_array_grow(void **arr, u32 *cap, u32 need, size_t elem, u32 first)
{
	u32 ncap = *cap ? *cap : first;
	size_t bytes;
	void *n;

	if (need <= *cap)
		return 0;
	while (ncap < need) {
		if (ncap > 0x7fffffffu)
			return -E2BIG;
		ncap *= 2;
	}
	if (__builtin_mul_overflow((size_t)ncap, elem, &bytes))
		return -E2BIG;
	n = sigil_realloc(*arr, bytes);
	if (!n)
		return -ENOMEM;
	*arr = n;
	*cap = ncap;
	return 0;
}
