/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A policy laid out for the BPF mode's maps (bpf_layout.c), in memory, for
 * sigilctl to write and the host tests to check.
 */
#ifndef _SIGIL_BPF_IMAGE_H
#define _SIGIL_BPF_IMAGE_H

#include "policy.h"
#include "bpf_layout.h"

/**
 * struct sigil_bpf_image - the records of one policy, for one slot
 * @head: the ``heads`` entry
 * @steps: the ``steps`` entries, from the slot's first
 * @nsteps: their number
 * @dkeys: the ``digests`` keys
 * @dvals: their values
 * @ndigests: their number
 */
struct sigil_bpf_image {
	struct sigil_bpf_head head;
	struct sigil_bpf_step *steps;
	u32 nsteps;
	struct sigil_bpf_digest_key *dkeys;
	struct sigil_bpf_digest_val *dvals;
	u32 ndigests;
};

extern const u32 sigil_bpf_props;
extern const char *const sigil_bpf_why_not[__SIGIL_PROP_MAX];

int sigil_bpf_layout(const struct sigil_policy *pol, u32 slot,
		     int (*manifest_index)(void *ctx, const char *name,
					   unsigned int len),
		     void *ctx, struct sigil_bpf_image *img,
		     struct sigil_parse_error *err);
void sigil_bpf_image_free(struct sigil_bpf_image *img);

#endif /* _SIGIL_BPF_IMAGE_H */
