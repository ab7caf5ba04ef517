/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl manifest: what its commands share.  A manifest is made as a
 * list of entries (struct mf_list), sorted by path for reproducible output
 * and written in the canonical text; a manifest file is read back, signed
 * or not, into its text (mf_read_text()) for the shared parser.
 */
#ifndef _SIGILCTL_MF_H
#define _SIGILCTL_MF_H

#include "manifest.h"	/* policy/manifest.h: the shared parser */
#include "signed.h"
#include "sigilctl.h"

/**
 * struct mf_item - one entry being made
 * @path: the path, unescaped, NUL-terminated (manifest paths hold no NUL)
 * @kind: enum sigil_manifest_kind
 * @digest: its sha256 digest
 */
struct mf_item {
	char *path;
	u8 kind;
	u8 digest[SIGIL_MANIFEST_DIGEST_SIZE];
};

/**
 * struct mf_list - the entries of a manifest being made
 * @items: the entries
 * @n: their number
 * @cap: room in @items
 */
struct mf_list {
	struct mf_item *items;
	size_t n;
	size_t cap;
};

int mf_list_add(struct mf_list *l, const char *path, int kind, const u8 *digest);
void mf_list_sort(struct mf_list *l);
void mf_list_free(struct mf_list *l);
int mf_list_text(const struct mf_list *l, const char *name, const u16 version[3],
		 char **text, size_t *len);
int mf_write(const char *cmd, const char *out, const char *text, size_t len);
int mf_checked_write(const char *cmd, const char *out, const char *text, size_t len);
int mf_check_path(const char *path, char *why, size_t size);

int mf_parse_version(const char *s, u16 version[3]);
int mf_version_arg(const char *cmd, const char *s, u16 version[3]);
int mf_name_arg(const char *cmd, const char *name);

/**
 * struct mf_text - a manifest file's text, out of its envelope
 * @buf: the file's bytes, as read (armor and compression undone)
 * @len: their length
 * @text: the manifest text: into @buf, or @gathered
 * @text_len: its length
 * @gathered: the text when it had to be copied out, or NULL
 * @form: the envelope
 * @signer: who signed it, as manifests/<name>/signer shows it ("unsigned"
 *	    for plain text); "?" when the envelope does not say
 */
struct mf_text {
	u8 *buf;
	size_t len;
	const char *text;
	size_t text_len;
	u8 *gathered;
	enum sigil_msg_form form;
	char signer[2 * 64 + 16];
};

int mf_read_text(const char *file, struct mf_text *t, char *why, size_t size);
void mf_text_free(struct mf_text *t);
void mf_print_parse_error(FILE *f, const char *file, const struct sigil_parse_error *err);

/* Digests: sha256, and the fs-verity digest of bytes in memory. */
int mf_sha256(const void *buf, size_t len, u8 *digest);
int mf_fsverity_mem(const void *buf, size_t len, u8 *digest);

#endif /* _SIGILCTL_MF_H */
