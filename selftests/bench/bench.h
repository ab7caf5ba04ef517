/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What the make bench programs share: a clock, medians, timed execs, and
 * giving up on a failed step.
 */
#ifndef _SIGIL_BENCH_H
#define _SIGIL_BENCH_H

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "common.h"

static inline double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* One exec of @path, in microseconds; exits on a failed run. */
static inline double timed_run(const char *path)
{
	double t = now_us();
	int rc = run(path);

	if (rc != PROG_EXIT) {
		fprintf(stderr, "%s: %s: exec gave %d\n",
			program_invocation_short_name, path, rc);
		exit(1);
	}
	return now_us() - t;
}

static inline int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static inline double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static inline void must(int rc, const char *what)
{
	if (rc) {
		fprintf(stderr, "%s: %s: %s\n", program_invocation_short_name,
			what, strerror(-rc));
		exit(1);
	}
}

#endif /* _SIGIL_BENCH_H */
