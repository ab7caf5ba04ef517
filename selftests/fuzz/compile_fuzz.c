// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for policy/compile.c and policy/eval.c: parse the
 * input as a policy, compile it, and decide a set of files with both the
 * compiled evaluator and the reference that checks every rule in order.
 * A crash and a disagreement are both findings.  The files take their
 * digests from the policy itself, so that the hash tables are hit, and
 * from the last bytes of the input.  A policy that the BPF mode can
 * evaluate is also laid out for its maps (policy/bpf_layout.c), whose
 * limits are checked.  Built with ASan and UBSan.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "bpf_image.h"

struct file {
	struct sigil_digest fsv, dmv;
	u32 truths;
	u32 failing;
	struct sigil_signer signer;
};

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	const struct file *f = facts->ctx;
	unsigned int k;

	if (f->failing & SIGIL_PROP_BIT(type))
		return -EIO;
	if (type == SIGIL_PROP_FSVERITY_DIGEST)
		facts->fsverity_digest = f->fsv;
	else if (type == SIGIL_PROP_PROGRAM_FSVERITY_DIGEST)
		facts->program_fsverity_digest = f->fsv;
	else if (type == SIGIL_PROP_DMVERITY_ROOTHASH)
		facts->dmverity_roothash = f->dmv;
	else if (type == SIGIL_PROP_PROGRAM_SIGNER && (f->truths & SIGIL_PROP_BIT(type)))
		facts->program_signers[SIGIL_SIG_PGP] = &f->signer;
	facts->truths |= f->truths & SIGIL_PROP_BIT(type);
	for (k = 0; k < __SIGIL_SIG_MAX; k++)
		if (sigil_sig_props[k] == type && (f->truths & SIGIL_PROP_BIT(type)))
			facts->signers[k] = &f->signer;
	return 0;
}

static void decide_both(const struct sigil_policy *pol, struct file *f)
{
	unsigned int op;

	for (op = 0; op <= __SIGIL_OP_MAX; op++) {
		struct sigil_facts fa = { .fetch = fetch, .ctx = f };
		struct sigil_facts fb = { .fetch = fetch, .ctx = f };
		struct sigil_decision a, b;
		int rca = sigil_policy_decide(pol, op, &fa, &a);
		int rcb = sigil_policy_decide_linear(pol, op, &fb, &b);

		if (rca != rcb || a.action != b.action || a.match != b.match ||
		    a.src != b.src || a.error != b.error ||
		    a.error_prop != b.error_prop || fa.known != fb.known ||
		    sigil_rule_props(pol, &a) != sigil_rule_props(pol, &b))
			abort();
	}
}

/* A file whose digest is property @p's digest, with @seed's other facts. */
static void file_from(struct file *f, const struct sigil_policy *pol,
		      const struct sigil_prop *p, u32 seed)
{
	struct sigil_digest *d = p->type == SIGIL_PROP_DMVERITY_ROOTHASH ?
				 &f->dmv : &f->fsv;

	memset(f, 0, sizeof(*f));
	f->truths = seed & SIGIL_PROPS_PARSEABLE;
	f->failing = seed >> 28 == 0xf ? SIGIL_PROP_BIT((seed >> 8) % __SIGIL_PROP_MAX) : 0;
	if (!p->size)
		return;
	f->signer.nids = 1;
	f->signer.len[0] = p->size < SIGIL_SIGNER_ID_MAX ? p->size : SIGIL_SIGNER_ID_MAX;
	memcpy(f->signer.id[0], pol->values + p->off, f->signer.len[0]);
	if (p->type == SIGIL_PROP_FSVERITY_DIGEST ||
	    p->type == SIGIL_PROP_PROGRAM_FSVERITY_DIGEST ||
	    p->type == SIGIL_PROP_DMVERITY_ROOTHASH) {
		d->algo = p->value;
		d->size = p->size;
		memcpy(d->bytes, pol->values + p->off, p->size);
	}
}

/* Manifest names get indexes 0, 1, ... up to the BPF mode's limit. */
static int name_index(void *ctx, const char *name, unsigned int len)
{
	unsigned int *n = ctx;

	return *n < SIGIL_BPF_MANIFESTS ? (int)(*n)++ : -ENOSPC;
}

static void layout(const struct sigil_policy *pol, u32 slot)
{
	struct sigil_parse_error err;
	struct sigil_bpf_image img;
	unsigned int names = 0;
	u32 i;

	if (pol->props_used & ~sigil_bpf_props)
		return;
	if (sigil_bpf_layout(pol, slot, name_index, &names, &img, &err)) {
		if (!err.line || !err.msg[0])
			abort();	/* a refusal names its line */
		return;
	}
	if (img.nsteps > SIGIL_BPF_STEPS_MAX || img.ndigests > sigil_indexed_rules(pol))
		abort();
	for (i = 0; i < img.nsteps; i++)
		if (img.steps[i].nprops > SIGIL_BPF_RULE_PROPS)
			abort();
	for (i = 0; i < img.ndigests; i++)
		if (img.dkeys[i].step / SIGIL_BPF_STEPS_MAX != slot ||
		    img.dkeys[i].size > SIGIL_BPF_DIGEST_MAX)
			abort();
	sigil_bpf_image_free(&img);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
	char *copy = malloc(size ? size : 1);
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	struct file f;
	u32 seed = 0, i;

	memcpy(copy, data, size);
	if (sigil_policy_parse(copy, size, &opts, &pol, &err)) {
		free(copy);
		return 0;
	}
	for (i = 0; i < 4 && i < size; i++)
		seed = seed << 8 | (u8)data[size - 1 - i];

	/* A file with nothing, then one per property value in the policy. */
	memset(&f, 0, sizeof(f));
	f.truths = seed & SIGIL_PROPS_PARSEABLE;
	decide_both(pol, &f);
	for (i = 0; i < pol->nprops && i < 64; i++) {
		file_from(&f, pol, &pol->props[i], seed + i);
		decide_both(pol, &f);
		/* The same digest with its last byte changed: a near miss. */
		if (f.fsv.size)
			f.fsv.bytes[f.fsv.size - 1] ^= 1;
		decide_both(pol, &f);
	}
	layout(pol, seed & 1);
	sigil_policy_free(pol);
	free(copy);
	return 0;
}
