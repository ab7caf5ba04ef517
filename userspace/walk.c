// SPDX-License-Identifier: GPL-2.0-only
/*
 * The files that sign and verify work on: the files named, and those in
 * the trees named, walked without following symbolic links; and, of them,
 * the ones that are taken (programs and shared objects, or with --all any
 * regular file) or why one is skipped.
 */

#include <errno.h>
#include <ftw.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sigilctl.h"

static struct walk_entry *walk_files;
static size_t walk_n, walk_cap;

static int add_entry(const char *path, bool named)
{
	if (walk_n == walk_cap) {
		size_t cap = walk_cap ? 2 * walk_cap : 256;
		struct walk_entry *f = realloc(walk_files, cap * sizeof(*f));

		if (!f)
			return -ENOMEM;
		walk_files = f;
		walk_cap = cap;
	}
	walk_files[walk_n] = (struct walk_entry){ .path = strdup(path), .named = named };
	return walk_files[walk_n++].path ? 0 : -ENOMEM;
}

static int walk_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	if (type == FTW_D || type == FTW_DP)
		return 0;
	return add_entry(path, false) ? FTW_STOP : 0;
}

/**
 * walk_list_files() - the files named, and those in the trees named
 * @paths: files and directories
 * @n: their number
 * @out: the files, malloc()ed; free each path, then the array
 * @count: their number
 *
 * Trees are walked without following symbolic links; everything in them
 * but directories is listed, for the caller to sign, verify or skip.
 *
 * Return: 0, or -1 after a message.
 */
int walk_list_files(char **paths, int n, struct walk_entry **out, size_t *count)
{
	int i, rc;

	walk_files = NULL;
	walk_n = 0;
	walk_cap = 0;
	for (i = 0; i < n; i++) {
		struct stat st;

		errno = 0;
		if (!stat(paths[i], &st) && S_ISDIR(st.st_mode))
			rc = nftw(paths[i], walk_one, 32, FTW_PHYS);
		else	/* a name that does not exist fails later, saying so */
			rc = add_entry(paths[i], true);
		if (rc) {
			warnx("%s: cannot list the files: %s", paths[i],
			      strerror(errno ? errno : ENOMEM));
			return -1;
		}
	}
	*out = walk_files;
	*count = walk_n;
	return 0;
}

/* Does @fd hold an ELF shared object (ET_DYN)? */
static bool is_elf_dso(int fd)
{
	u8 h[18];

	if (pread(fd, h, sizeof(h), 0) != sizeof(h) || memcmp(h, "\177ELF", 4))
		return false;
	/* e_type at offset 16, in the file's byte order (EI_DATA). */
	return (h[5] == 2 ? (h[16] << 8 | h[17]) : (h[17] << 8 | h[16])) == 3;
}

/**
 * walk_skip_reason() - why a file is not signed
 * @fd: the file, open for reading, or -1 when it is not a regular file
 * @st: its lstat()
 * @all: --all: every regular file
 *
 * Return: NULL when the file is signed: a regular file that is executable
 * or an ELF shared object (or any regular file, with @all); else why not.
 */
const char *walk_skip_reason(int fd, const struct stat *st, bool all)
{
	if (S_ISLNK(st->st_mode))
		return "symbolic link";
	if (!S_ISREG(st->st_mode))
		return "not a regular file";
	if (!all && !(st->st_mode & 0111) && !is_elf_dso(fd))
		return "not executable";
	return NULL;
}
