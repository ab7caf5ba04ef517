// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl manifest from-deb and from-rpm: a manifest of the regular files
 * a package installs, read from the package itself.  A .deb is read with
 * libarchive (the ar archive, then control.tar.* for Package: and Version:
 * and data.tar.* for the files, streamed); an .rpm with librpm (the header
 * for the name, version and file digests, the payload through
 * rpmfiNewArchiveReader()).  Package signatures are not checked here:
 * the manifest's own signature is what sigil trusts.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <archive.h>
#include <archive_entry.h>
#include <rpm/rpmfiles.h>
#include <rpm/rpmpgp.h>
#include <rpm/rpmfi.h>
#include <rpm/rpmlib.h>
#include <rpm/rpmlog.h>
#include <rpm/rpmio.h>
#include <rpm/rpmts.h>
#include <rpm/header.h>

#include "mf.h"

struct pkg_opts {
	const char *cmd;
	const char *file;
	const char *out;
	const char *name;
	const char *version;
	const char *prefix;
	int kind;
};

enum { OPT_FSVERITY = OPT_LONG, OPT_CONTENT, OPT_NAME, OPT_VERSION, OPT_PREFIX };

static const struct option pkg_longopts[] = {
	{ "fsverity", no_argument, NULL, OPT_FSVERITY },
	{ "content", no_argument, NULL, OPT_CONTENT },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "version", required_argument, NULL, OPT_VERSION },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "output", required_argument, NULL, 'o' },
	OPTION_HELP,
	{ NULL },
};

/* 0; EXIT_USAGE after a message; CMD_HELP or CMD_USAGE. */
static int pkg_opts(int argc, char **argv, struct pkg_opts *o)
{
	bool fsv = false, content = false;
	int c;

	while ((c = cmd_getopt(argc, argv, o->cmd, ":ho:", pkg_longopts)) != -1) {
		switch (c) {
		case OPT_FSVERITY:
			fsv = true;
			break;
		case OPT_CONTENT:
			content = true;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_VERSION:
			o->version = optarg;
			break;
		case OPT_PREFIX:
			o->prefix = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return c;
		}
	}
	if (fsv && content)
		return usage_error(o->cmd, "--fsverity or --content, not both");
	o->kind = content ? SIGIL_MANIFEST_CONTENT : SIGIL_MANIFEST_FSVERITY;
	if (o->prefix && o->prefix[0] != '/')
		return usage_error(o->cmd, "--prefix '%s': an absolute path", o->prefix);
	if (o->name && mf_name_arg(o->cmd, o->name))
		return EXIT_USAGE;
	if (argc - optind != 1)
		return usage_error(o->cmd, "one package file");
	o->file = argv[optind];
	return 0;
}

/*
 * MAJOR.MINOR.PATCH from a package version: Debian's [EPOCH:]UPSTREAM[-REV]
 * or RPM's VERSION, when the upstream part is exactly that.  0, or -EINVAL.
 */
static int pkg_version(const char *v, u16 version[3])
{
	char buf[64], *dash;
	const char *colon = strchr(v, ':');

	if (colon)
		v = colon + 1;
	snprintf(buf, sizeof(buf), "%s", v);
	dash = strrchr(buf, '-');
	if (dash)
		*dash = '\0';
	return mf_parse_version(buf, version) ? -EINVAL : 0;
}

/* The manifest of @l, named and versioned from the options or the package. */
static int pkg_write(const struct pkg_opts *o, struct mf_list *l,
		     const char *pname, const char *pversion, size_t skipped)
{
	const char *name = o->name ? o->name : pname;
	char *text = NULL;
	u16 version[3];
	size_t len;
	int rc;

	if (!name || !sigil_manifest_name_valid(name, strlen(name))) {
		warnx("%s: package name '%s' is not a manifest name; give --name", o->file,
		      name ? name : "");
		return EXIT_FAIL;
	}
	if (o->version) {
		rc = mf_version_arg(o->cmd, o->version, version);
		if (rc)
			return rc;
	} else if (!pversion || pkg_version(pversion, version)) {
		warnx("%s: package version '%s' is not MAJOR.MINOR.PATCH; give --version X.Y.Z",
		      o->file, pversion ? pversion : "");
		return EXIT_FAIL;
	}
	mf_list_sort(l);
	if (mf_list_text(l, name, version, &text, &len)) {
		warnx("out of memory");
		return EXIT_FAIL;
	}
	rc = mf_checked_write(o->cmd, o->out, text, len);
	if (!rc)
		fprintf(stderr, "manifest '%s' %u.%u.%u: %zu files of %s, %zu skipped (not regular files)\n",
			name, version[0], version[1], version[2], l->n, o->file, skipped);
	free(text);
	return rc;
}

/* PREFIX + @path, with @path made absolute ("./usr/bin/x" -> "/usr/bin/x"). */
static char *pkg_path(const struct pkg_opts *o, const char *path)
{
	size_t pl = o->prefix ? strlen(o->prefix) : 0;
	char *out, why[128];

	while (path[0] == '.' && path[1] == '/')
		path++;
	while (path[0] == '/')
		path++;
	while (pl && o->prefix[pl - 1] == '/')
		pl--;
	if (asprintf(&out, "%.*s/%s", (int)pl, o->prefix ? o->prefix : "", path) < 0)
		return NULL;
	if (!mf_check_path(out, why, sizeof(why))) {
		warnx("%s: cannot list '%s': %s", o->file, out, why);
		free(out);
		return NULL;
	}
	return out;
}

static int digest_of(int kind, const void *buf, size_t len, u8 *digest)
{
	return kind == SIGIL_MANIFEST_CONTENT ? mf_sha256(buf, len, digest) :
	       mf_fsverity_mem(buf, len, digest);
}

/* ---- .deb ---- */

/* The inner tar reads from the ar member being read. */
static la_ssize_t outer_read(struct archive *a, void *ctx, const void **buf)
{
	static char block[1 << 16];
	la_ssize_t n = archive_read_data(ctx, block, sizeof(block));

	*buf = block;
	if (n < 0)
		archive_set_error(a, EIO, "%s", archive_error_string(ctx));
	return n;
}

static struct archive *inner_open(struct archive *outer)
{
	struct archive *a = archive_read_new();

	archive_read_support_filter_all(a);
	archive_read_support_format_tar(a);
	if (archive_read_open(a, outer, NULL, outer_read, NULL) != ARCHIVE_OK) {
		warnx("%s", archive_error_string(a));
		archive_read_free(a);
		return NULL;
	}
	return a;
}

/* The whole data of the current entry of @a, malloc()ed, NUL after it. */
static u8 *entry_data(struct archive *a, size_t *len)
{
	size_t cap = 1 << 16, n = 0;
	u8 *buf = malloc(cap + 1);
	la_ssize_t r = 0;

	while (buf && (r = archive_read_data(a, buf + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			u8 *g = realloc(buf, (cap *= 2) + 1);

			if (!g) {
				free(buf);
				return NULL;
			}
			buf = g;
		}
	}
	if (buf && r < 0) {
		free(buf);
		return NULL;
	}
	if (buf)
		buf[n] = '\0';
	*len = n;
	return buf;
}

/* Package: and Version: of the control file in control.tar.*. */
static int deb_control(struct archive *outer, char **pname, char **pversion)
{
	struct archive *a = inner_open(outer);
	struct archive_entry *e;
	int rc = -EBADMSG;

	if (!a)
		return -EBADMSG;
	while (archive_read_next_header(a, &e) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);
		char *text, *line, *save;
		size_t len;

		if (strcmp(p, "./control") && strcmp(p, "control"))
			continue;
		text = (char *)entry_data(a, &len);
		if (!text)
			break;
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			if (!strncmp(line, "Package:", 8))
				*pname = strdup(line + 8 + strspn(line + 8, " \t"));
			else if (!strncmp(line, "Version:", 8))
				*pversion = strdup(line + 8 + strspn(line + 8, " \t"));
		}
		free(text);
		rc = 0;
		break;
	}
	archive_read_free(a);
	return rc;
}

/* Each regular file of data.tar.* into @l; hard links take their target's digest. */
static int deb_data(const struct pkg_opts *o, struct archive *outer,
		    struct mf_list *l, size_t *skipped)
{
	struct archive *a = inner_open(outer);
	struct archive_entry *e;
	int r, rc = 0;

	if (!a)
		return -EBADMSG;
	while (!rc && (r = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *link = archive_entry_hardlink(e);
		u8 digest[SIGIL_MANIFEST_DIGEST_SIZE], *data;
		char *path;
		size_t len, i;

		if (archive_entry_filetype(e) == AE_IFDIR)
			continue;
		if (archive_entry_filetype(e) != AE_IFREG && !link) {
			(*skipped)++;
			continue;
		}
		path = pkg_path(o, archive_entry_pathname(e));
		if (!path) {
			rc = -EINVAL;
			break;
		}
		if (link) {
			char *target = pkg_path(o, link);

			for (i = 0; target && i < l->n; i++)
				if (!strcmp(l->items[i].path, target))
					break;
			if (!target || i == l->n) {
				warnx("%s: %s: a hard link to %s, which is not a regular file before it",
				      o->file, path, link);
				(*skipped)++;
				free(target);
				free(path);
				continue;
			}
			free(target);
			memcpy(digest, l->items[i].digest, sizeof(digest));
		} else {
			data = entry_data(a, &len);
			if (!data) {
				warnx("%s: %s: %s", o->file, path, archive_error_string(a) ?
				      archive_error_string(a) : "cannot read it");
				free(path);
				rc = -EIO;
				break;
			}
			rc = digest_of(o->kind, data, len, digest);
			free(data);
		}
		if (!rc && mf_list_add(l, path, o->kind, digest))
			rc = -ENOMEM;
		free(path);
	}
	if (!rc && r != ARCHIVE_EOF) {
		warnx("%s: data.tar: %s", o->file, archive_error_string(a));
		rc = -EBADMSG;
	}
	archive_read_free(a);
	return rc;
}

int cmd_manifest_from_deb(int argc, char **argv)
{
	struct pkg_opts o = { .cmd = "manifest from-deb" };
	struct archive *outer = NULL;
	struct archive_entry *e;
	struct mf_list l = { 0 };
	char *pname = NULL, *pversion = NULL;
	bool control = false, data = false;
	size_t skipped = 0;
	int rc;

	rc = pkg_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? cmd_exit(rc) : rc;
	outer = archive_read_new();
	archive_read_support_format_ar(outer);
	if (archive_read_open_filename(outer, o.file, 1 << 16) != ARCHIVE_OK) {
		warnx("%s: %s", o.file, archive_error_string(outer));
		rc = EXIT_FAIL;
		goto out;
	}
	rc = EXIT_FAIL;
	while (archive_read_next_header(outer, &e) == ARCHIVE_OK) {
		const char *p = archive_entry_pathname(e);

		if (!strncmp(p, "control.tar", 11) && !control) {
			control = true;
			if (deb_control(outer, &pname, &pversion)) {
				warnx("%s: %s: no control file", o.file, p);
				goto out;
			}
		} else if (!strncmp(p, "data.tar", 8) && !data) {
			data = true;
			if (deb_data(&o, outer, &l, &skipped))
				goto out;
		}
	}
	if (!control || !data) {
		warnx("%s: not a Debian package: no %s", o.file,
		      control ? "data.tar" : "control.tar");
		goto out;
	}
	rc = pkg_write(&o, &l, pname, pversion, skipped);
out:
	archive_read_free(outer);
	mf_list_free(&l);
	free(pname);
	free(pversion);
	return rc;
}

/* ---- .rpm ---- */

/* Read the header; leaves @fd at the payload. */
static Header rpm_header(const char *file, FD_t fd)
{
	rpmts ts = rpmtsCreate();
	Header h = NULL;
	rpmRC r;

	/* The manifest's signature is what counts: no keyring, no checks here. */
	rpmtsSetVSFlags(ts, _RPMVSF_NOSIGNATURES | _RPMVSF_NODIGESTS);
	r = rpmReadPackageFile(ts, fd, file, &h);
	rpmtsFree(ts);
	if (r != RPMRC_OK && r != RPMRC_NOTTRUSTED && r != RPMRC_NOKEY) {
		headerFree(h);
		return NULL;
	}
	return h;
}

static bool rpm_skip(rpmfi fi)
{
	return !S_ISREG(rpmfiFMode(fi)) || (rpmfiFFlags(fi) & RPMFILE_GHOST);
}

/* content= from the header's own sha256 file digests. */
static int rpm_content(const struct pkg_opts *o, rpmfiles files, struct mf_list *l,
		       size_t *skipped)
{
	rpmfi fi = rpmfilesIter(files, RPMFI_ITER_FWD);
	int rc = 0;

	while (!rc && rpmfiNext(fi) >= 0) {
		const unsigned char *d;
		size_t dlen = 0;
		int algo = 0;
		char *path;

		if (rpm_skip(fi)) {
			(*skipped)++;
			continue;
		}
		d = rpmfiFDigest(fi, &algo, &dlen);
		if (!d || algo != PGPHASHALGO_SHA256 || dlen != SIGIL_MANIFEST_DIGEST_SIZE) {
			warnx("%s: %s: the package has no sha256 digest of it", o->file, rpmfiFN(fi));
			rc = -EINVAL;
			break;
		}
		path = pkg_path(o, rpmfiFN(fi));
		if (!path || mf_list_add(l, path, SIGIL_MANIFEST_CONTENT, d))
			rc = -EINVAL;
		free(path);
	}
	rpmfiFree(fi);
	return rc;
}

/* fsverity= from the payload: each file's bytes, through libfsverity. */
static int rpm_fsverity(const struct pkg_opts *o, Header h, FD_t fd, rpmfiles files,
			struct mf_list *l, size_t *skipped)
{
	const char *compr = headerGetString(h, RPMTAG_PAYLOADCOMPRESSOR);
	int nfiles = rpmfilesFC(files), rc = 0, r, i;
	u8 (*digests)[SIGIL_MANIFEST_DIGEST_SIZE] = calloc(nfiles + 1, sizeof(*digests));
	bool *have = calloc(nfiles + 1, sizeof(*have));
	char mode[32];
	FD_t payload;
	rpmfi fi;

	if (!digests || !have) {
		free(digests);
		free(have);
		return -ENOMEM;
	}
	snprintf(mode, sizeof(mode), "r.%s", compr ? compr : "gzip");
	payload = Fdopen(fd, mode);
	fi = payload ? rpmfiNewArchiveReader(payload, files, RPMFI_ITER_READ_ARCHIVE) : NULL;
	if (!fi) {
		warnx("%s: cannot read the payload (%s)", o->file, mode);
		rc = -EBADMSG;
		goto out;
	}
	while (!rc && (r = rpmfiNext(fi)) >= 0) {
		const int *links = NULL;
		u8 *buf;
		size_t size;
		int n;

		if (rpm_skip(fi) || !rpmfiArchiveHasContent(fi))
			continue;
		size = rpmfiFSize(fi);
		buf = malloc(size ? size : 1);
		if (!buf || rpmfiArchiveRead(fi, buf, size) != (ssize_t)size) {
			warnx("%s: %s: cannot read it from the payload", o->file, rpmfiFN(fi));
			free(buf);
			rc = -EIO;
			break;
		}
		rc = digest_of(SIGIL_MANIFEST_FSVERITY, buf, size, digests[rpmfiFX(fi)]);
		free(buf);
		have[rpmfiFX(fi)] = true;
		/* The other names of a hard-linked file have its content. */
		n = rpmfiFLinks(fi, &links);
		for (i = 0; links && i < n; i++) {
			memcpy(digests[links[i]], digests[rpmfiFX(fi)], SIGIL_MANIFEST_DIGEST_SIZE);
			have[links[i]] = true;
		}
	}
	if (!rc && r != RPMERR_ITER_END) {
		warnx("%s: the payload does not read to its end (%d)", o->file, r);
		rc = -EBADMSG;
	}
	for (i = 0; !rc && i < nfiles; i++) {
		rpmfi f = rpmfilesIter(files, RPMFI_ITER_FWD);
		char *path;

		rpmfiSetFX(f, i);
		if (rpm_skip(f)) {
			(*skipped)++;
		} else if (!have[i]) {
			warnx("%s: %s: not in the payload", o->file, rpmfiFN(f));
			rc = -EBADMSG;
		} else {
			path = pkg_path(o, rpmfiFN(f));
			if (!path || mf_list_add(l, path, SIGIL_MANIFEST_FSVERITY, digests[i]))
				rc = -EINVAL;
			free(path);
		}
		rpmfiFree(f);
	}
out:
	rpmfiFree(fi);
	free(digests);
	free(have);
	return rc;
}

int cmd_manifest_from_rpm(int argc, char **argv)
{
	struct pkg_opts o = { .cmd = "manifest from-rpm" };
	struct mf_list l = { 0 };
	rpmfiles files = NULL;
	size_t skipped = 0;
	Header h = NULL;
	FD_t fd;
	int rc;

	rc = pkg_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? cmd_exit(rc) : rc;
	rpmlogSetMask(RPMLOG_UPTO(RPMLOG_ERR));
	if (rpmReadConfigFiles(NULL, NULL)) {
		warnx("librpm: cannot read its configuration");
		return EXIT_FAIL;
	}
	fd = Fopen(o.file, "r.ufdio");
	if (!fd || Ferror(fd)) {
		warnx("%s: %s", o.file, fd ? Fstrerror(fd) : strerror(errno));
		if (fd)
			Fclose(fd);
		return EXIT_FAIL;
	}
	rc = EXIT_FAIL;
	h = rpm_header(o.file, fd);
	if (!h) {
		warnx("%s: not an RPM package librpm can read", o.file);
		goto out;
	}
	files = rpmfilesNew(NULL, h, RPMTAG_BASENAMES, RPMFI_KEEPHEADER);
	if (!files) {
		warnx("%s: the package lists no files", o.file);
		goto out;
	}
	if (o.kind == SIGIL_MANIFEST_CONTENT ? rpm_content(&o, files, &l, &skipped) :
	    rpm_fsverity(&o, h, fd, files, &l, &skipped))
		goto out;
	rc = pkg_write(&o, &l, headerGetString(h, RPMTAG_NAME),
		       headerGetString(h, RPMTAG_VERSION), skipped);
out:
	rpmfilesFree(files);
	headerFree(h);
	Fclose(fd);
	mf_list_free(&l);
	return rc;
}
