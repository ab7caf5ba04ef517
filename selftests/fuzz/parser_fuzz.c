// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for policy/parser.c: one input is a policy text, parsed
 * with every property allowed and with none.  A refusal must say where and
 * why; an accepted policy must be internally consistent: every rule's
 * properties and digests inside their arrays, the operations' rules
 * covering the rule array exactly.  Built with ASan and UBSan.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "manifest.h"

static void check(const struct sigil_policy *pol, size_t len)
{
	u32 next = 0, i, j, op;

	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		if (pol->ops[op].first != next)
			abort();
		next += pol->ops[op].count;
		for (i = 0; i < pol->ops[op].count; i++) {
			const struct sigil_rule *r = &pol->rules[pol->ops[op].first + i];

			if (r->op != op || r->first_prop + r->nprops > pol->nprops ||
			    r->src.off + r->src.len > len || !r->src.line)
				abort();
			for (j = 0; j < r->nprops; j++) {
				const struct sigil_prop *p = &pol->props[r->first_prop + j];

				if (p->type >= __SIGIL_PROP_MAX ||
				    p->off + p->size > pol->nvalues)
					abort();
				/* manifest=: a u64 minimum version, then the name. */
				if (p->type == SIGIL_PROP_MANIFEST &&
				    (p->off + 8 + p->size > pol->nvalues ||
				     (p->size && !sigil_manifest_name_valid(
					(const char *)pol->values + p->off + 8, p->size))))
					abort();
			}
		}
	}
	if (next != pol->nrules)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigil_parse_opts all = { .props = SIGIL_PROPS_PARSEABLE };
	struct sigil_parse_opts none = { .props = 0 };
	char *copy = malloc(size ? size : 1), line[SIGIL_ERR_MSG_MAX + 64];
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	int rc;

	/* An exact-size copy, not NUL-terminated: reads past the end are caught. */
	memcpy(copy, data, size);
	rc = sigil_policy_parse(copy, size, &all, &pol, &err);
	if (rc) {
		if (rc != err.err || !err.msg[0] || !err.line)
			abort();
		sigil_parse_error_format(&err, line, sizeof(line));
	} else {
		check(pol, size);
		sigil_policy_free(pol);
	}
	rc = sigil_policy_parse(copy, size, &none, &pol, &err);
	if (!rc)
		sigil_policy_free(pol);
	free(copy);
	return 0;
}
