/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loaded manifests (manifests.c): their lifecycle, the index over all of
 * them that the exec path reads under RCU, and the manifest= fact;
 * securityfs manifests/ (manifest_fs.c).
 */
#ifndef _SIGIL_LSM_MANIFESTS_H
#define _SIGIL_LSM_MANIFESTS_H

#include <linux/kref.h>
#include <linux/list.h>

#include "manifest.h"
#include "lifecycle.h"

struct sigil_target;

/* Largest manifest accepted through securityfs: ~900,000 entries. */
#define SIGIL_MANIFEST_MAX_BYTES	(128u << 20)

/**
 * struct sigil_manifest_loaded - a manifest loaded into the kernel
 * @ref: references: the list's, and securityfs handlers' while they run
 * @m: the parsed manifest
 * @dir: its securityfs directory, manifests/<name>/
 * @node: entry in the list of loaded manifests; empty once deleted
 * @signer: who signed it, as for policies
 * @superseded: newest first, the entries that each update since the
 *		manifest was loaded dropped, as manifests named and versioned
 *		as the version that listed them last; owned
 * @nsuperseded: number of @superseded
 */
struct sigil_manifest_loaded {
	struct kref ref;
	struct sigil_manifest *m;
	struct dentry *dir;
	struct list_head node;
	char signer[SIGIL_SIGNER_STR_MAX];
	struct sigil_manifest **superseded;
	u32 nsuperseded;
};

/*
 * What the manifest= fact came to, for the log and sigil/explain; the
 * index of sigil_manifest_state_names.
 */
enum sigil_manifest_state {
	SIGIL_MF_NOT_LOOKED,
	SIGIL_MF_MATCH,		/* listed under this path, with this digest */
	SIGIL_MF_NOT_LISTED,	/* neither the path nor the digest is listed */
	SIGIL_MF_DIGEST_DIFFERS, /* the path is listed, with another digest */
	SIGIL_MF_ELSEWHERE,	/* the digest is listed, under another path */
	SIGIL_MF_SUPERSEDED,	/* only an older version listed this path and digest */
	SIGIL_MF_NO_PATH,	/* no path from the global root: matches nothing */
	SIGIL_MF_ERROR,		/* the file's digest could not be had */
	__SIGIL_MF_MAX
};

extern const char *const sigil_manifest_state_names[__SIGIL_MF_MAX];

/**
 * struct sigil_manifest_report - the manifest= fact of one event
 * @state: enum sigil_manifest_state
 * @m: for a match, the first manifest that lists the file; for
 *     digest_differs and elsewhere, the manifest of @e; for superseded,
 *     the entries an update dropped, named and versioned as the version
 *     that listed them last
 * @e: the entry that matched, or that lists the path or the digest
 * @other_m: for digest_differs, the manifest of @other_e
 * @other_e: for digest_differs, an entry that lists the file's digest under
 *	     another path: where the bytes of a swapped file belong
 *
 * @m and @e point into the manifest index: valid under the RCU read lock
 * of the evaluation only.
 */
struct sigil_manifest_report {
	u8 state;
	const struct sigil_manifest *m;
	const struct sigil_manifest_entry *e;
	const struct sigil_manifest *other_m;
	const struct sigil_manifest_entry *other_e;
};

/**
 * struct sigil_manifest_file - what the manifest= fact needs of a file
 * @content: the sha256 of its content, when @have_content
 * @have_content: @content is known
 * @need_content: set by sigil_manifest_fetch() when an entry of the file's
 *		  path is a content= entry and @content is not known: the
 *		  caller hashes the content outside RCU and asks again
 * @content_error: hashing the content failed with this errno: a content=
 *		   entry of the file's path makes the fact fail with it
 */
struct sigil_manifest_file {
	u8 content[SIGIL_MANIFEST_DIGEST_SIZE];
	bool have_content;
	bool need_content;
	int content_error;
};

int sigil_manifest_fetch(struct sigil_facts *facts,
			 const struct sigil_target *t,
			 struct sigil_manifest_file *mf,
			 struct sigil_manifest_report *rep);
int sigil_file_global_path(struct file *file, char *buf, size_t size,
			   const char **path);
void __init sigil_manifest_root_init(void);

int sigil_manifest_submit(const u8 *buf, size_t len,
			  struct sigil_manifest_loaded *update_of);
void sigil_manifest_discarded(size_t got, size_t need);
int sigil_manifest_refused(int err, const char *msg);
int sigil_manifest_delete(struct sigil_manifest_loaded *ml);
void sigil_manifest_put(struct sigil_manifest_loaded *ml);

/**
 * struct sigil_manifest_stats - what status reports about manifests
 * @loaded: number of loaded manifests
 * @entries: their entries
 * @superseded: entries that updates dropped, kept to explain misses
 * @bytes: kernel memory of the manifests, what updates dropped, and the
 *	   indexes
 * @failures: failed loads, updates and deletes since boot
 */
struct sigil_manifest_stats {
	unsigned int loaded;
	size_t entries;
	size_t superseded;
	size_t bytes;
	unsigned long failures;
};

void sigil_manifest_stats(struct sigil_manifest_stats *st, char *last_error,
			  size_t size);

/* manifest_fs.c */
int sigil_manifestfs_add(struct sigil_manifest_loaded *ml);
void sigil_manifestfs_publish(struct sigil_manifest_loaded *ml,
			      struct sigil_manifest_loaded *to);
void sigil_manifestfs_remove(struct sigil_manifest_loaded *ml);
int __init sigil_manifestfs_init(struct dentry *root);

#endif /* _SIGIL_LSM_MANIFESTS_H */
