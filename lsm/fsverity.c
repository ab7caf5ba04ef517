// SPDX-License-Identifier: GPL-2.0-only
/*
 * fs-verity facts: a file's fs-verity digest, read from the verity info
 * that fs-verity set up when the file was opened.  The file is never read.
 */

#include "sigil.h"

#include <linux/fsverity.h>

static_assert(FS_VERITY_MAX_DIGEST_SIZE <= SIGIL_DIGEST_MAX);

/**
 * sigil_fsverity_digest() - the fs-verity digest of an open file's inode
 * @inode: the inode
 * @digest: set to the digest, or to %SIGIL_HASH_NONE without fs-verity
 *
 * Return:
 * * %0			- @digest is set
 * * %-EOPNOTSUPP	- fs-verity used a hash sigil does not know; the
 *			  caller denies rather than guess
 */
int sigil_fsverity_digest(struct inode *inode, struct sigil_digest *digest)
{
	enum hash_algo halg;
	int size;

	digest->algo = SIGIL_HASH_NONE;
	size = fsverity_get_digest(inode, digest->bytes, NULL, &halg);
	if (size <= 0)
		return 0;

	switch (halg) {
	case HASH_ALGO_SHA256:
		digest->algo = SIGIL_HASH_SHA256;
		break;
	case HASH_ALGO_SHA512:
		digest->algo = SIGIL_HASH_SHA512;
		break;
	default:
		return -EOPNOTSUPP;
	}
	digest->size = size;
	return 0;
}
