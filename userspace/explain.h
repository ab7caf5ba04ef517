/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl explain: the answer, as the kernel gives it (explain.c) or as
 * offline evaluation makes it (explain_offline.c).
 */
#ifndef _SIGILCTL_EXPLAIN_H
#define _SIGILCTL_EXPLAIN_H

#include "sigilctl.h"

/* ---- an answer: key=value pairs, in the kernel's order ---- */

struct kv {
	char *key;
	char *value;
};

struct answer {
	struct kv *kv;
	int n;
	int cap;
};

void answer_add(struct answer *a, const char *key, const char *value);
void answer_addf(struct answer *a, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void answer_free(struct answer *a);

/* explain_offline.c */
int explain_offline(const char *file, int fd, int pfd, const char *path,
		    const char *program, unsigned int op, struct answer *a);

#endif /* _SIGILCTL_EXPLAIN_H */
