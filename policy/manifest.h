/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigil manifests: signed lists that bind file digests to the paths the
 * files must be run from.  The parser (manifest text to struct
 * sigil_manifest) and the index over every loaded manifest (struct
 * sigil_manifest_set) are shared, unchanged, by the kernel, sigilctl, the
 * host unit tests and the fuzzers.  Documentation/manifests.rst is the ABI.
 *
 * The text:
 *
 *	manifest_name=NAME manifest_version=MAJOR.MINOR.PATCH
 *	/usr/bin/ping fsverity=sha256:HEX
 *	/usr/lib/libfoo.so.1 content=sha256:HEX
 *
 * One entry per line: an absolute path, blanks, a digest.  In a path, a
 * space, a tab, a carriage return, a newline and a backslash are written
 * \xHH (\\ for a backslash); any other byte but NUL may be written \xHH
 * too.  Lines that are empty or whose first non-blank byte is '#' are
 * comments; an entry line has no trailing comment (a path may hold '#').
 */
#ifndef _SIGIL_MANIFEST_H
#define _SIGIL_MANIFEST_H

#include "compat.h"
#include "policy.h"

/* Longest manifest_name: it names a securityfs directory. */
#define SIGIL_MANIFEST_NAME_MAX		255
/* Longest path, unescaped: PATH_MAX less its NUL. */
#define SIGIL_MANIFEST_PATH_MAX		4095
/* Longest component of a path, unescaped: NAME_MAX. */
#define SIGIL_MANIFEST_COMPONENT_MAX	255
/* Entries are sha256 digests. */
#define SIGIL_MANIFEST_DIGEST_SIZE	32
/* Most entries in one manifest. */
#define SIGIL_MANIFEST_ENTRIES_MAX	16777216u	/* 2^24 */

/* What an entry's digest is of; the index of sigil_manifest_kind_names. */
enum sigil_manifest_kind {
	SIGIL_MANIFEST_FSVERITY,	/* fsverity=: the fs-verity digest */
	SIGIL_MANIFEST_CONTENT,		/* content=: sha256 of the whole content */
	__SIGIL_MANIFEST_KIND_MAX
};

/* "fsverity", "content": as entries spell them before '='. */
extern const char *const sigil_manifest_kind_names[__SIGIL_MANIFEST_KIND_MAX];

/**
 * struct sigil_manifest_entry - one path and the digest its file must have
 * @digest: the sha256 digest
 * @path_off: offset of the path in sigil_manifest.paths
 * @path_hash: sigil_path_hash() of the path
 * @path_len: length of the path, unescaped, not NUL-terminated
 * @kind: enum sigil_manifest_kind
 * @reserved: zero
 */
struct sigil_manifest_entry {
	u8 digest[SIGIL_MANIFEST_DIGEST_SIZE];
	u32 path_off;
	u32 path_hash;
	u16 path_len;
	u8 kind;
	u8 reserved;
};

/**
 * struct sigil_manifest - a parsed, validated manifest
 * @name: manifest_name, NUL-terminated
 * @version: manifest_version as major, minor, patch
 * @entries: the entries, in the order of the text
 * @paths: the unescaped paths, one after another, without separators
 * @nentries: number of @entries
 * @npaths: bytes in @paths
 * @kinds: BIT() of each enum sigil_manifest_kind that some entry has
 * @mem_bytes: bytes allocated for this structure, @entries and @paths
 *
 * Paths are unique within a manifest.  The manifest does not keep its text.
 */
struct sigil_manifest {
	char name[SIGIL_MANIFEST_NAME_MAX + 1];
	u16 version[3];
	struct sigil_manifest_entry *entries;
	char *paths;
	u32 nentries;
	u32 npaths;
	u32 kinds;
	size_t mem_bytes;
};

/**
 * sigil_manifest_parse() - parse and validate a manifest text
 * @text: the text; it need not be NUL-terminated
 * @len: its length in bytes
 * @out: on success, the manifest; free it with sigil_manifest_free()
 * @err: on failure, the errno, the line, the column and a message that
 *	 quotes the offending token
 *
 * Return: 0; -EBADMSG for a malformed header, entry, path or digest, or a
 * path listed twice; -EINVAL, -ERANGE as for policy_version; -ENAMETOOLONG
 * for a name, path or component over its limit; -E2BIG for more than
 * %SIGIL_MANIFEST_ENTRIES_MAX entries; -ENOMEM.
 */
int sigil_manifest_parse(const char *text, size_t len,
			 struct sigil_manifest **out,
			 struct sigil_parse_error *err);
void sigil_manifest_free(struct sigil_manifest *m);
u64 sigil_manifest_version(const struct sigil_manifest *m);
bool sigil_manifest_name_valid(const char *name, size_t len);

/* The path of @e, unescaped and not NUL-terminated: e->path_len bytes. */
static inline const char *sigil_manifest_path(const struct sigil_manifest *m,
					      const struct sigil_manifest_entry *e)
{
	return m->paths + e->path_off;
}

int sigil_manifest_dropped(const struct sigil_manifest *old,
			   const struct sigil_manifest *new,
			   struct sigil_manifest **out);
u32 sigil_path_hash(const char *path, size_t len);
size_t sigil_manifest_escape(char *buf, size_t size, const char *path,
			     size_t len);
int sigil_manifest_format_entry(char *buf, size_t size,
				const struct sigil_manifest *m,
				const struct sigil_manifest_entry *e);

/**
 * struct sigil_manifest_set - every loaded manifest, indexed by path and
 *			       by digest
 * @manifests: the manifests, in the order given to the builder; the set
 *	       does not own them
 * @first: per manifest, the ordinal of its first entry; @first[n] is the
 *	   total.  Ordinal o is entry o - @first[i] of the manifest i for
 *	   which @first[i] <= o < @first[i + 1].
 * @path_slots: open-addressed table by sigil_path_hash(): an ordinal plus
 *		one, 0 for an empty slot
 * @digest_slots: by digest: one slot per distinct digest, holding the
 *		  first of its entries (ordinal plus one)
 * @digest_next: per ordinal, the next entry with the same digest (ordinal
 *		 plus one), 0 at the end of the chain
 * @mask: number of slots of each table, minus one (a power of two less one)
 * @nmanifests: number of @manifests
 * @nentries: entries of every manifest
 * @mem_bytes: bytes allocated for this structure and its arrays
 */
struct sigil_manifest_set {
	struct sigil_manifest **manifests;
	u32 *first;
	u32 *path_slots;
	u32 *digest_slots;
	u32 *digest_next;
	u32 mask;
	u32 nmanifests;
	u32 nentries;
	size_t mem_bytes;
};

int sigil_manifest_set_build(struct sigil_manifest *const *m, u32 n,
			     struct sigil_manifest_set **out);
void sigil_manifest_set_free(struct sigil_manifest_set *s);

/**
 * typedef sigil_manifest_visit_fn - called for each entry a lookup finds
 * @ctx: the caller's context
 * @m: the manifest that holds the entry
 * @e: the entry
 *
 * Return: 0 to go on, anything else to stop the lookup and return it.
 */
typedef int (*sigil_manifest_visit_fn)(void *ctx,
				       const struct sigil_manifest *m,
				       const struct sigil_manifest_entry *e);

int sigil_manifest_by_path(const struct sigil_manifest_set *s,
			   const char *path, size_t len,
			   sigil_manifest_visit_fn fn, void *ctx);
int sigil_manifest_by_digest(const struct sigil_manifest_set *s,
			     const u8 *digest, sigil_manifest_visit_fn fn,
			     void *ctx);

#endif /* _SIGIL_MANIFEST_H */
