// SPDX-License-Identifier: GPL-2.0-only
/*
 * Laying a compiled policy out as the BPF mode's map records
 * (bpf_layout.h): the same runs that the built-in LSM walks, an indexed
 * run becoming one step whose digests go into a hash map.  Also what the
 * BPF mode can evaluate, and why not the rest, for the parser to say.
 */

#include "policy.h"
#include "bpf_layout.h"
#include "bpf_image.h"

/* The properties the BPF program evaluates. */
const u32 sigil_bpf_props = SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) |
			    SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST) |
			    SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE) |
			    SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS) |
			    SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST) |
			    SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
			    SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);

/* Why not the others: completes "property 'NAME' ..." (parser.c). */
const char *const sigil_bpf_why_not[__SIGIL_PROP_MAX] = {
	[SIGIL_PROP_IMA_SIGNATURE] =
		"cannot be evaluated in BPF mode: a BPF program can read only user.* xattrs and cannot hash a file's content, so security.ima cannot be checked (sign with fsverity sign: fsverity_signature)",
	[SIGIL_PROP_PGP_SIGNATURE] =
		"cannot be evaluated in BPF mode: the kernel verifies only PKCS#7 for BPF programs (sign with fsverity sign: fsverity_signature)",
	[SIGIL_PROP_SIGNER] =
		"cannot be evaluated in BPF mode: the kernel tells a BPF program whether a key of the keyring made a signature, not which key",
	[SIGIL_PROP_PROGRAM_FSVERITY_DIGEST] =
		"cannot be evaluated in BPF mode: the BPF program does not keep the facts of the running program's executable (use the built-in LSM)",
	[SIGIL_PROP_PROGRAM_SIGNER] =
		"cannot be evaluated in BPF mode: the BPF program does not keep the facts of the running program's executable (use the built-in LSM)",
};

static int too_big(struct sigil_parse_error *err, const struct sigil_src *src,
		   const char *what)
{
	err->err = -E2BIG;
	err->line = src->line;
	err->col = 1;
	snprintf(err->msg, sizeof(err->msg), "%s", what);
	return -E2BIG;
}

static int add_step(struct sigil_bpf_image *img, const struct sigil_src *src,
		    struct sigil_parse_error *err)
{
	if (img->nsteps >= SIGIL_BPF_STEPS_MAX) {
		char msg[128];

		snprintf(msg, sizeof(msg),
			 "more than %u rules checked one by one (indexed runs of digests count as one): more than BPF mode holds",
			 SIGIL_BPF_STEPS_MAX);
		return too_big(err, src, msg);
	}
	img->nsteps++;
	return 0;
}

static int layout_rule(const struct sigil_policy *pol, u32 r,
		       struct sigil_bpf_step *st,
		       int (*manifest_index)(void *ctx, const char *name,
					     unsigned int len),
		       void *ctx, struct sigil_parse_error *err)
{
	const struct sigil_rule *rule = &pol->rules[r];
	u32 i;

	if (rule->nprops > SIGIL_BPF_RULE_PROPS) {
		char msg[96];

		snprintf(msg, sizeof(msg),
			 "a rule with more than %u properties: more than BPF mode holds",
			 SIGIL_BPF_RULE_PROPS);
		return too_big(err, &rule->src, msg);
	}
	st->kind = SIGIL_BPF_STEP_RULE;
	st->action = rule->action;
	st->nprops = (u8)rule->nprops;
	st->line = rule->src.line;
	st->rule = r;
	for (i = 0; i < rule->nprops; i++) {
		const struct sigil_prop *p = pol->props + rule->first_prop + i;
		struct sigil_bpf_prop *b = &st->props[i];

		b->type = p->type;
		b->value = p->value;
		if (p->type == SIGIL_PROP_FSVERITY_DIGEST ||
		    p->type == SIGIL_PROP_DMVERITY_ROOTHASH) {
			b->size = p->size;
			memcpy(b->digest, pol->values + p->off, p->size);
		} else if (p->type == SIGIL_PROP_MANIFEST) {
			int idx;

			b->has_min = p->value;
			memcpy(&b->min_version, pol->values + p->off,
			       sizeof(b->min_version));
			if (!p->size) {
				b->manifest = SIGIL_BPF_ANY;
				continue;
			}
			idx = manifest_index(ctx, (const char *)pol->values + p->off + 8,
					     p->size);
			if (idx < 0) {
				err->err = idx;
				err->line = rule->src.line;
				err->col = 1;
				snprintf(err->msg, sizeof(err->msg),
					 "manifest '%.*s': no room for another manifest (BPF mode knows %u)",
					 (int)p->size,
					 (const char *)pol->values + p->off + 8,
					 SIGIL_BPF_MANIFESTS);
				return idx;
			}
			b->manifest = (u32)idx;
		}
	}
	return 0;
}

/**
 * sigil_bpf_layout() - lay a compiled policy out as BPF map records
 * @pol: a parsed, compiled policy, parsed with sigil_bpf_props
 * @slot: the slot it goes into (0 or 1): indexes of ``steps`` and keys of
 *	  ``digests`` include it
 * @manifest_index: gives the ``manifests`` map index of a manifest name,
 *		    assigning one if need be, or a negative errno
 * @ctx: for @manifest_index
 * @img: filled in; sigil_bpf_image_free() it
 * @err: why the policy does not fit, and the line at fault
 *
 * Return: 0, -E2BIG when the policy is larger than BPF mode holds, or
 * -ENOMEM.
 */
int sigil_bpf_layout(const struct sigil_policy *pol, u32 slot,
		     int (*manifest_index)(void *ctx, const char *name,
					   unsigned int len),
		     void *ctx, struct sigil_bpf_image *img,
		     struct sigil_parse_error *err)
{
	u32 op, ndigests = 0, i;
	int rc;

	memset(img, 0, sizeof(*img));
	memset(err, 0, sizeof(*err));
	snprintf(img->head.name, sizeof(img->head.name), "%s", pol->name);
	memcpy(img->head.version, pol->version, sizeof(img->head.version));
	img->head.global_default = pol->global_default;
	img->head.global_default_line = pol->global_default_src.line;
	img->head.nrules = pol->nrules;
	for (i = 0; i < pol->nruns; i++)
		if (pol->runs[i].mask)
			ndigests += pol->runs[i].count;
	img->steps = sigil_zalloc((size_t)(pol->nruns + pol->nrules) * sizeof(*img->steps));
	img->dkeys = sigil_zalloc((size_t)ndigests * sizeof(*img->dkeys));
	img->dvals = sigil_zalloc((size_t)ndigests * sizeof(*img->dvals));
	if (!img->steps || !img->dkeys || !img->dvals) {
		sigil_bpf_image_free(img);
		return -ENOMEM;
	}
	for (op = 0; op < __SIGIL_OP_MAX; op++) {
		const struct sigil_op_rules *o = &pol->ops[op];
		struct sigil_bpf_op *bop = &img->head.ops[op];

		bop->first_step = img->nsteps;
		bop->default_action = o->default_action;
		bop->default_line = o->default_src.line;
		for (i = o->first_run; i < o->first_run + o->nruns; i++) {
			const struct sigil_run *run = &pol->runs[i];
			u32 r, d, step = img->nsteps;

			if (run->mask) {
				rc = add_step(img, &pol->rules[run->first].src, err);
				if (rc)
					goto fail;
				img->steps[step].kind = SIGIL_BPF_STEP_INDEX;
				img->steps[step].index_type = run->type;
				img->steps[step].line = pol->rules[run->first].src.line;
				img->steps[step].rule = run->first;
				bop->props |= SIGIL_PROP_BIT(run->type);
				/* The run's table holds the first rule of each digest. */
				for (d = 0; d <= run->mask; d++) {
					u32 slotv = pol->slots[run->slot + d];
					const struct sigil_rule *rule;
					const struct sigil_prop *p;
					struct sigil_bpf_digest_key *k;

					if (!slotv)
						continue;
					r = slotv - 1;
					rule = &pol->rules[r];
					p = pol->props + rule->first_prop;
					k = &img->dkeys[img->ndigests];
					k->step = slot * SIGIL_BPF_STEPS_MAX + step;
					k->algo = p->value;
					k->size = p->size;
					memcpy(k->digest, pol->values + p->off, p->size);
					img->dvals[img->ndigests].line = rule->src.line;
					img->dvals[img->ndigests].rule = r;
					img->dvals[img->ndigests].action = rule->action;
					img->ndigests++;
				}
				continue;
			}
			for (r = run->first; r < run->first + run->count; r++) {
				u32 p;

				rc = add_step(img, &pol->rules[r].src, err);
				if (rc)
					goto fail;
				rc = layout_rule(pol, r, &img->steps[img->nsteps - 1],
						 manifest_index, ctx, err);
				if (rc)
					goto fail;
				for (p = 0; p < pol->rules[r].nprops; p++) {
					u32 at = pol->rules[r].first_prop + p;

					bop->props |= SIGIL_PROP_BIT(pol->props[at].type);
				}
			}
		}
		bop->nsteps = img->nsteps - bop->first_step;
	}
	img->head.nsteps = img->nsteps;
	img->head.ndigests = img->ndigests;
	return 0;
fail:
	sigil_bpf_image_free(img);
	return rc;
}

/**
 * sigil_bpf_image_free() - free what sigil_bpf_layout() allocated
 * @img: the image; its arrays are NULL afterwards
 */
void sigil_bpf_image_free(struct sigil_bpf_image *img)
{
	sigil_free(img->steps);
	sigil_free(img->dkeys);
	sigil_free(img->dvals);
	img->steps = NULL;
	img->dkeys = NULL;
	img->dvals = NULL;
}
