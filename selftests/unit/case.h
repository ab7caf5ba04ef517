/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host unit tests report through the kernel's kselftest API
 * (tools/testing/selftests/kselftest.h): one result per table row or case,
 * diagnostics as "#" lines, and kselftest's totals line.  All this adds is
 * a result made of several checks:
 *
 *	case_begin();
 *	case_check(cond, fmt, ...);	a check that fails says why, and fails
 *	case_check(cond, fmt, ...);	the case; the next checks still run
 *	case_end(fmt, ...);		"ok N <name>" or "not ok N <name>"
 *
 * and cases_done(), which prints the plan (how many cases run is known
 * only at the end: some come from the fixtures) and the totals, and exits
 * 0 if every case passed, 1 if one failed.
 */
#ifndef _SIGIL_CASE_H
#define _SIGIL_CASE_H

#include <stdbool.h>

/*
 * kselftest.h defines __printf() unconditionally, and compat.h spells it
 * differently: whichever of the two comes first keeps its definition.
 */
#pragma push_macro("__printf")
#undef __printf
#include "kselftest.h"
#undef __printf
#pragma pop_macro("__printf")

/* Whether every check of the current case has held so far. */
static bool case_ok;

static inline void case_begin(void)
{
	case_ok = true;
}

#define case_check(cond, fmt, ...)					\
	do {								\
		if (!(cond)) {						\
			case_ok = false;				\
			ksft_print_msg("  %s:%d: check failed: %s\n",	\
				       __FILE__, __LINE__, #cond);	\
			ksft_print_msg("  " fmt "\n", ##__VA_ARGS__);	\
		}							\
	} while (0)

#define case_end(fmt, ...) ksft_test_result(case_ok, fmt "\n", ##__VA_ARGS__)

static inline __attribute__((__noreturn__)) void cases_done(void)
{
	ksft_set_plan(ksft_test_num());
	ksft_finished();
}

#endif /* _SIGIL_CASE_H */
