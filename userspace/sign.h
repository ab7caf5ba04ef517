/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl sign: what the command (sign.c) and the signing of one file
 * (sign_file.c) share.
 */
#ifndef _SIGILCTL_SIGN_H
#define _SIGILCTL_SIGN_H

#include <openssl/evp.h>

#include "filesig.h"
#include "sigilctl.h"

enum sign_format { SIGN_NONE, SIGN_FSVERITY, SIGN_IMA, SIGN_PGP };
enum sign_result { RES_PENDING, RES_SIGNED, RES_SKIPPED, RES_FAILED };

struct sign_opts {
	enum sign_format format;
	bool v3;
	int kind;
	const char *key;
	const char *cert;
	const char *pgp_key;
	bool all;
	bool quiet;
	bool no_enable;
	int jobs;
	EVP_PKEY *pkey;		/* --ima: the private key */
	u8 keyid[4];		/* --ima: the end of the certificate's SKID */
	char signer[2 * PGP_FPR_SIZE + 24];	/* for the summary */
};

struct sign_file {
	char *path;
	enum sign_result result;
	int err;		/* errno of a failure */
	const char *why;	/* skipped: the reason; failed: what failed */
	char *msg;		/* failed: details, malloc()ed, or NULL */
};

/* sign_file.c */
void sign_file_init(void);
void sign_one(const struct sign_opts *o, struct sign_file *f);
void sign_thread_done(void);

#endif /* _SIGILCTL_SIGN_H */
