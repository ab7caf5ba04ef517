/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The per-inode verdict cache (cache.c): what one verification of one kind
 * of signature came to, kept on the inode until something it rests on
 * changes.
 */
#ifndef _SIGIL_CACHE_H
#define _SIGIL_CACHE_H

#include <linux/refcount.h>

#include "policy.h"
#include "filesig.h"

/**
 * struct sigil_sig_result - one verified (or refused) signature
 * @state: enum sigil_sig_state
 * @signer: for %SIGIL_SIG_VALID, the key that verified it
 */
struct sigil_sig_result {
	u8 state;
	struct sigil_signer signer;
};

/**
 * struct sigil_blob - a refcounted copy of bytes the kernel handed over
 * @ref: references
 * @size: bytes in @data
 * @data: the bytes
 */
struct sigil_blob {
	refcount_t ref;
	u32 size;
	u8 data[];
};

/**
 * struct sigil_cache_stats - what status reports about the cache
 * @hits: lookups answered by a current verdict
 * @misses: lookups that found none
 * @verifications: signatures verified (each a miss that was filled)
 * @entries: inodes with a verdict
 * @entry_bytes: kernel memory of one verdict
 * @blob_bytes: kernel memory of kept fs-verity signatures
 * @bytes: kernel memory of the cache: verdicts and signatures
 * @inode_bytes: sigil's part of every inode's security blob
 */
struct sigil_cache_stats {
	unsigned long hits;
	unsigned long misses;
	unsigned long verifications;
	unsigned long entries;
	size_t entry_bytes;
	size_t blob_bytes;
	size_t bytes;
	size_t inode_bytes;
};

/**
 * struct sigil_target - the file whose signature is verified
 * @file: the file, open for reading: a regular file
 * @inode: the inode with its data: under overlayfs the real one, which
 *	   carries fs-verity and is what is mapped
 * @xattr: the dentry whose signature xattrs count: the one the user opened
 *	   (for an overlayfs backing file, the overlay's)
 * @meta: the inode those xattrs are read from; a signature that is not on
 *	  @inode itself (overlayfs metacopy, or a descriptor opened before a
 *	  copy-up) is verified on every use, never cached
 * @gen: @inode's generation when the event began
 * @no_content: the caller holds the mm's mmap lock (mprotect, and mmap of
 *		an overlayfs file's real file), under which the file must not
 *		be read: content signatures fail with -EDEADLK
 * @quiet: an explanation (sigil/explain), not an event: the cache counts
 *	   nothing and keeps no verdict verified for it
 */
struct sigil_target {
	struct file *file;
	struct inode *inode;
	struct dentry *xattr;
	struct inode *meta;
	u64 gen;
	bool no_content;
	bool quiet;
};

bool sigil_target_set(struct sigil_target *t, struct file *file);

void sigil_cache_invalidate_all(void);
void sigil_cache_invalidate(const struct inode *inode);
const struct sigil_sig_result *sigil_cache_lookup(const struct sigil_target *t,
						  unsigned int kind);

/* The size of a content digest that the cache keeps: sha256. */
#define SIGIL_CONTENT_DIGEST_SIZE	32

const u8 *sigil_cache_content(const struct sigil_target *t);

/**
 * struct sigil_cache_tag - the generations a verdict is tagged with
 * @global: sigil's, bumped when the keyring or the active policy changes
 * @inode: the data inode's
 * @xattr: the inode whose signature xattrs are read; @inode when the same
 */
struct sigil_cache_tag {
	u64 global;
	u64 inode;
	u64 xattr;
};

void sigil_cache_begin(const struct sigil_target *t,
		       struct sigil_cache_tag *tag);
void sigil_cache_store(const struct sigil_target *t, unsigned int kind,
		       const struct sigil_sig_result *res,
		       const struct sigil_cache_tag *tag);
void sigil_cache_store_content(const struct sigil_target *t, const u8 *digest,
			       const struct sigil_cache_tag *tag);
void sigil_cache_stats(struct sigil_cache_stats *st);
struct sigil_blob *sigil_fsverity_sig_get(struct sigil_inode *si);
void sigil_fsverity_sig_put(struct sigil_blob *b);

void __init sigil_add_cache_hooks(void);

#endif /* _SIGIL_CACHE_H */
