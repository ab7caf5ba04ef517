/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Signature providers (signature.c, fsverity.c): one per enum
 * sigil_sig_kind, each verifying its kind of file signature against .sigil.
 */
#ifndef _SIGIL_SIGNATURE_H
#define _SIGIL_SIGNATURE_H

#include "cache.h"

struct key;

/**
 * struct sigil_sig_provider - how one kind of file signature is verified
 * @verify: verify @t's signature of this kind against .sigil; 0 with
 *	    @res->state set, or a negative errno (the event is denied)
 * @on_verity: the result rests on the file's fs-verity, whose enabling
 *	       bumps no generation: keep it only for a file that has it
 *
 * sigil_sig_providers[] is indexed by enum sigil_sig_kind, as are
 * sigil_sig_props[] and sigil_sig_kind_names[] in the shared policy code:
 * a new kind is a row in each.
 */
struct sigil_sig_provider {
	int (*verify)(const struct sigil_target *t,
		      struct sigil_sig_result *res, struct pgp_error *err);
	bool on_verity;
};

extern const struct sigil_sig_provider sigil_sig_providers[__SIGIL_SIG_MAX];

int sigil_sig_verify(const struct sigil_target *t, unsigned int kind,
		     struct sigil_sig_result *res, struct pgp_error *err);
int sigil_verify_ima(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err);
int sigil_verify_pgp(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err);
int sigil_read_content(const struct sigil_target *t,
		       int (*consume)(void *ctx, const u8 *data, size_t len),
		       void *ctx, struct pgp_error *err);
void sigil_signer_of_key(const struct key *key, struct sigil_signer *signer);
void sigil_sig_refused(const struct sigil_target *t, const char *what,
		       const struct pgp_error *err);
int sigil_content_sha256(const struct sigil_target *t, u8 *digest,
			 struct pgp_error *err);

#ifdef CONFIG_FS_VERITY
int sigil_fsverity_digest(struct inode *inode, struct sigil_digest *digest);
#else
static inline int sigil_fsverity_digest(struct inode *inode,
					struct sigil_digest *digest)
{
	digest->algo = SIGIL_HASH_NONE;
	return 0;
}
#endif

/* NULL without CONFIG_FS_VERITY_BUILTIN_SIGNATURES: the parser refuses it. */
int sigil_verify_fsverity(const struct sigil_target *t,
			  struct sigil_sig_result *res, struct pgp_error *err);

#endif /* _SIGIL_SIGNATURE_H */
