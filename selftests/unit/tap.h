/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Minimal TAP output for the host unit tests: one "ok"/"not ok" line per
 * table row, diagnostics as "#" lines, and a kselftest-style totals line.
 */
#ifndef _SIGIL_TAP_H
#define _SIGIL_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>

static int tap_count, tap_failed;
static bool tap_case_ok;

/* Start a test case; tap_check() failures mark it failed. */
static inline void tap_begin(void)
{
	tap_case_ok = true;
}

#define tap_check(cond, ...)						\
	do {								\
		if (!(cond)) {						\
			tap_case_ok = false;				\
			printf("#   %s:%d: check failed: %s\n#   ",	\
			       __FILE__, __LINE__, #cond);		\
			printf(__VA_ARGS__);				\
			printf("\n");					\
		}							\
	} while (0)

static inline void tap_end(const char *fmt, ...)
{
	va_list ap;

	tap_count++;
	if (!tap_case_ok)
		tap_failed++;
	printf("%sok %d ", tap_case_ok ? "" : "not ", tap_count);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static inline int tap_finish(void)
{
	printf("1..%d\n", tap_count);
	printf("# Totals: pass:%d fail:%d xfail:0 xpass:0 skip:0 error:0\n",
	       tap_count - tap_failed, tap_failed);
	return tap_failed ? 1 : 0;
}

#endif /* _SIGIL_TAP_H */
