// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl manifest create, and what the manifest commands share: the list
 * of entries being made, written in the canonical text sorted by path, and
 * the checks of names, versions and paths.  A manifest binds the digest of
 * each file to the path it must be run from; see Documentation/manifests.rst.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libfsverity.h>
#include <linux/fsverity.h>
#include <openssl/evp.h>

#include "mf.h"

/* ---- the list of entries ---- */

int mf_list_add(struct mf_list *l, const char *path, int kind, const u8 *digest)
{
	struct mf_item *it;

	if (l->n == l->cap) {
		size_t cap = l->cap ? 2 * l->cap : 256;

		it = realloc(l->items, cap * sizeof(*it));
		if (!it)
			return -ENOMEM;
		l->items = it;
		l->cap = cap;
	}
	it = &l->items[l->n];
	it->path = strdup(path);
	if (!it->path)
		return -ENOMEM;
	it->kind = kind;
	memcpy(it->digest, digest, SIGIL_MANIFEST_DIGEST_SIZE);
	l->n++;
	return 0;
}

static int item_cmp(const void *a, const void *b)
{
	const struct mf_item *x = a, *y = b;

	/* By path bytes: strcmp() compares as unsigned char. */
	return strcmp(x->path, y->path);
}

/* Sort by path bytes, so that the same files always give the same text. */
void mf_list_sort(struct mf_list *l)
{
	if (l->n)
		qsort(l->items, l->n, sizeof(*l->items), item_cmp);
}

void mf_list_free(struct mf_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		free(l->items[i].path);
	free(l->items);
	l->items = NULL;
	l->n = l->cap = 0;
}

/*
 * The canonical line of an entry: the path escaped by sigil_manifest_escape()
 * (bytes <= 0x20, 0x7f as \xHH, a backslash as \\), then the digest.
 */
static int put_entry(FILE *f, const char *path, int kind, const u8 *digest)
{
	size_t len = strlen(path), need = 4 * len + 1;
	char *esc = malloc(need), hex[2 * SIGIL_MANIFEST_DIGEST_SIZE + 1];

	if (!esc)
		return -ENOMEM;
	sigil_manifest_escape(esc, need, path, len);
	hex_str(hex, digest, SIGIL_MANIFEST_DIGEST_SIZE);
	fprintf(f, "%s %s=sha256:%s\n", esc, sigil_manifest_kind_names[kind], hex);
	free(esc);
	return 0;
}

/**
 * mf_list_text() - the canonical text of a manifest
 * @l: its entries, in the order they are written
 * @name: manifest_name
 * @version: manifest_version
 * @text: the text, malloc()ed
 * @len: its length
 *
 * Return: 0 or -ENOMEM.
 */
int mf_list_text(const struct mf_list *l, const char *name, const u16 version[3],
		 char **text, size_t *len)
{
	FILE *f = open_memstream(text, len);
	size_t i;
	int rc = 0;

	if (!f)
		return -ENOMEM;
	fprintf(f, "manifest_name=%s manifest_version=%u.%u.%u\n", name,
		version[0], version[1], version[2]);
	for (i = 0; i < l->n && !rc; i++)
		rc = put_entry(f, l->items[i].path, l->items[i].kind,
			       l->items[i].digest);
	if (fclose(f) || rc) {
		if (!rc)
			free(*text);
		return -ENOMEM;
	}
	return 0;
}

/* Write a manifest to @out ("-": standard output), whole or not at all. */
int mf_write(const char *cmd, const char *out, const char *text, size_t len)
{
	int rc = write_output(out ? out : "-", (const u8 *)text, len);

	if (rc) {
		warnx("%s: %s: %s", cmd, out ? out : "standard output", strerror(-rc));
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * Parse what was made with the kernel's parser, then write it: a manifest
 * the kernel would refuse is never written.
 */
int mf_checked_write(const char *cmd, const char *out, const char *text, size_t len)
{
	struct sigil_parse_error err = { 0 };
	struct sigil_manifest *m = NULL;

	if (sigil_manifest_parse(text, len, &m, &err)) {
		mf_print_parse_error(stderr, out ? out : "-", &err);
		warnx("%s: the manifest made does not parse; nothing written", cmd);
		return EXIT_FAIL;
	}
	sigil_manifest_free(m);
	return mf_write(cmd, out, text, len);
}

/**
 * mf_check_path() - is @path one a manifest may list?
 * @path: the path, unescaped
 * @why: why not
 * @size: room at @why
 *
 * As the parser wants it: absolute, no empty, "." or ".." component, no
 * trailing '/', not "/" alone, at most %SIGIL_MANIFEST_PATH_MAX bytes and
 * %SIGIL_MANIFEST_COMPONENT_MAX per component.
 *
 * Return: true when it may.
 */
int mf_check_path(const char *path, char *why, size_t size)
{
	size_t len = strlen(path);
	const char *c = path, *e;

	if (path[0] != '/' || len < 2) {
		snprintf(why, size, "not an absolute path to a file");
		return false;
	}
	if (len > SIGIL_MANIFEST_PATH_MAX) {
		snprintf(why, size, "a path of %zu bytes; manifests take at most %u",
			 len, SIGIL_MANIFEST_PATH_MAX);
		return false;
	}
	while (*c == '/') {
		c++;
		e = strchrnul(c, '/');
		if (e == c || (e - c == 1 && c[0] == '.') ||
		    (e - c == 2 && c[0] == '.' && c[1] == '.')) {
			snprintf(why, size, "an empty, '.' or '..' component");
			return false;
		}
		if (e - c > SIGIL_MANIFEST_COMPONENT_MAX) {
			snprintf(why, size, "a component of %zu bytes; manifests take at most %u",
				 (size_t)(e - c), SIGIL_MANIFEST_COMPONENT_MAX);
			return false;
		}
		c = e;
	}
	return true;
}

/* ---- names and versions ---- */

/**
 * mf_parse_version() - MAJOR.MINOR.PATCH, each a decimal 0..65535
 * @s: the text
 * @version: the three numbers
 *
 * Return: 0, -EINVAL (not a number), -ERANGE (over 65535) or -EBADMSG
 * (not three components), as the parser says.
 */
int mf_parse_version(const char *s, u16 version[3])
{
	int i;

	for (i = 0; i < 3; i++) {
		unsigned long v = 0;
		const char *p = s;

		if (*s < '0' || *s > '9')
			return *s && *s != '.' ? -EINVAL : -EBADMSG;
		while (*s >= '0' && *s <= '9') {
			v = v * 10 + (*s++ - '0');
			if (v > 65535 || s - p > 5)
				return -ERANGE;
		}
		version[i] = v;
		if (i < 2 && *s++ != '.')
			return s[-1] ? -EINVAL : -EBADMSG;
	}
	return *s == '.' ? -EBADMSG : *s ? -EINVAL : 0;
}

/* --version's value: 0, or EXIT_USAGE after a message. */
int mf_version_arg(const char *cmd, const char *s, u16 version[3])
{
	int rc = mf_parse_version(s, version);

	if (!rc)
		return 0;
	return usage_error(cmd, "--version '%s': %s", s,
			   rc == -ERANGE ? "each number is at most 65535" :
			   rc == -EBADMSG ? "MAJOR.MINOR.PATCH, three numbers" :
			   "MAJOR.MINOR.PATCH, in decimal digits");
}

/* --name's value: 0, or EXIT_USAGE after a message. */
int mf_name_arg(const char *cmd, const char *name)
{
	if (sigil_manifest_name_valid(name, strlen(name)))
		return 0;
	return usage_error(cmd, "--name '%s': 1 to %u bytes of A-Z a-z 0-9 . _ + : -, not '.', '..' or 'ANY'",
			   name, SIGIL_MANIFEST_NAME_MAX);
}

/* ---- digests ---- */

int mf_sha256(const void *buf, size_t len, u8 *digest)
{
	unsigned int n;

	return EVP_Digest(buf, len, digest, &n, EVP_sha256(), NULL) == 1 ? 0 : -EIO;
}

static int read_fd(void *fd, void *buf, size_t count)
{
	while (count) {
		ssize_t n = read(*(int *)fd, buf, count);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		buf = (u8 *)buf + n;
		count -= n;
	}
	return 0;
}

struct mem_reader {
	const u8 *buf;
	size_t left;
};

static int read_mem(void *ctx, void *buf, size_t count)
{
	struct mem_reader *r = ctx;

	if (count > r->left)
		return -EIO;
	memcpy(buf, r->buf, count);
	r->buf += count;
	r->left -= count;
	return 0;
}

/* SHA-256 with 4 KiB blocks: what "fsverity digest" and "fsverity enable" use. */
static int verity_digest(void *ctx, int (*rd)(void *, void *, size_t),
			 u64 size, u8 *digest)
{
	struct libfsverity_merkle_tree_params p = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.file_size = size,
		.block_size = 4096,
	};
	struct libfsverity_digest *d = NULL;
	int rc = libfsverity_compute_digest(ctx, rd, &p, &d);

	if (rc)
		return rc < 0 ? rc : -EIO;
	if (d->digest_size != SIGIL_MANIFEST_DIGEST_SIZE) {
		free(d);
		return -EIO;
	}
	memcpy(digest, d->digest, SIGIL_MANIFEST_DIGEST_SIZE);
	free(d);
	return 0;
}

/* The fs-verity digest of @len bytes at @buf, as if they were a file. */
int mf_fsverity_mem(const void *buf, size_t len, u8 *digest)
{
	struct mem_reader r = { buf, len };

	return verity_digest(&r, read_mem, len, digest);
}

/* sha256 of the content of @fd, read from its start. */
static int content_digest(int fd, u8 *digest)
{
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	static __thread u8 buf[1 << 16];
	ssize_t n;
	int rc = -EIO;

	if (!ctx || EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) != 1)
		goto out;
	while ((n = read(fd, buf, sizeof(buf))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			rc = -errno;
			goto out;
		}
		if (EVP_DigestUpdate(ctx, buf, n) != 1)
			goto out;
	}
	rc = EVP_DigestFinal_ex(ctx, digest, NULL) == 1 ? 0 : -EIO;
out:
	EVP_MD_CTX_free(ctx);
	return rc;
}

/* ---- create ---- */

struct create_opts {
	const char *root;	/* NULL: "/" */
	const char *prefix;	/* NULL: "/" */
	const char *out;
	const char *name;
	u16 version[3];
	int kind;
	bool enable;
};

/* One file met by the walk. */
struct cfile {
	char *src;		/* the path to open */
	char *path;		/* the path written, unescaped */
	off_t size;
	const char *skip;	/* why it is not listed, or NULL */
};

/*
 * @in made absolute (from the working directory) and lexically clean: no
 * ".", "..", empty components or trailing '/'.  malloc()ed, or NULL.
 */
static char *clean_path(const char *in)
{
	char cwd[PATH_MAX], *s, *out, *o, *c, *save;

	if (in[0] == '/') {
		s = strdup(in);
	} else {
		if (!getcwd(cwd, sizeof(cwd)) || asprintf(&s, "%s/%s", cwd, in) < 0)
			return NULL;
	}
	out = s ? malloc(strlen(s) + 2) : NULL;
	if (!out) {
		free(s);
		return NULL;
	}
	o = out;
	for (c = strtok_r(s, "/", &save); c; c = strtok_r(NULL, "/", &save)) {
		if (!strcmp(c, "."))
			continue;
		if (!strcmp(c, "..")) {
			while (o > out && *--o != '/')
				;
			continue;
		}
		*o++ = '/';
		strcpy(o, c);
		o += strlen(c);
	}
	if (o == out)
		*o++ = '/';
	*o = '\0';
	free(s);
	return out;
}

/*
 * The path written for @abs, a clean absolute path: PREFIX followed by
 * @abs relative to ROOT (@root, clean).  NULL when @abs is not under ROOT.
 */
static char *map_path(const char *abs, const char *root, const char *prefix)
{
	size_t rl = strcmp(root, "/") ? strlen(root) : 0;
	size_t pl = strlen(prefix);
	char *out;

	if (strncmp(abs, root, rl) || (abs[rl] != '/' && abs[rl]))
		return NULL;
	abs += rl;
	while (pl && prefix[pl - 1] == '/')
		pl--;
	if (asprintf(&out, "%.*s%s", (int)pl, prefix, abs) < 0)
		return NULL;
	return out;
}

/* Bytes for people: "12.3 MiB". */
static void human(char *buf, size_t size, double b)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (b >= 1024 && u < 4) {
		b /= 1024;
		u++;
	}
	snprintf(buf, size, u ? "%.1f %s" : "%.0f %s", b, unit[u]);
}

static double now_s(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* The progress bar, on a terminal: at most every 100 ms, and at the end. */
static void draw(size_t done, size_t total, u64 bytes, u64 total_bytes, bool last)
{
	static double last_draw;
	char b1[32], b2[32];
	int width = 30, fill;
	double t = now_s();

	if (!last && t - last_draw < 0.1)
		return;
	last_draw = t;
	fill = total_bytes ? (int)(width * (double)bytes / total_bytes) :
	       total ? (int)(width * done / total) : width;
	human(b1, sizeof(b1), bytes);
	human(b2, sizeof(b2), total_bytes);
	fprintf(stderr, "\rmanifest: [%.*s%*s] %zu/%zu files, %s/%s ", fill,
		"##############################", width - fill, "", done, total, b1, b2);
	if (last)
		fputc('\n', stderr);
}

/* Measure one file into @l.  0, or -1 after a message. */
static int measure(const struct create_opts *o, struct cfile *f, struct mf_list *l)
{
	u8 digest[SIGIL_MANIFEST_DIGEST_SIZE], got[64];
	unsigned int size;
	struct stat st;
	u16 alg;
	int fd, rc;

	fd = open(f->src, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0) {
		warnx("%s: %s", f->src, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		warnx("%s: changed while it was listed", f->src);
		close(fd);
		return -1;
	}
	if (o->kind == SIGIL_MANIFEST_CONTENT) {
		rc = content_digest(fd, digest);
		if (rc)
			warnx("%s: cannot read it: %s", f->src, strerror(-rc));
		goto out;
	}
	if (o->enable) {
		struct libfsverity_merkle_tree_params p = {
			.version = 1,
			.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
			.block_size = 4096,
		};

		rc = libfsverity_enable(fd, &p);
		if (rc && rc != -EEXIST) {
			warnx("%s: cannot enable fs-verity: %s", f->src, strerror(-rc));
			goto out;
		}
	}
	rc = verity_digest(&fd, read_fd, st.st_size, digest);
	if (rc) {
		warnx("%s: cannot compute its fs-verity digest: %s", f->src, strerror(-rc));
		goto out;
	}
	/* What the kernel will compare: the file's own fs-verity digest. */
	rc = sign_measure_verity(fd, &alg, got, &size);
	if (rc == -ENODATA || rc == -EOPNOTSUPP || rc == -ENOTTY) {
		rc = 0;
		if (o->enable) {
			warnx("%s: fs-verity was enabled, yet the file has none", f->src);
			rc = -EIO;
		}
		goto out;
	}
	if (rc) {
		warnx("%s: cannot measure its fs-verity digest: %s", f->src, strerror(-rc));
		goto out;
	}
	if (alg != FS_VERITY_HASH_ALG_SHA256 || size != sizeof(digest) ||
	    memcmp(got, digest, sizeof(digest))) {
		warnx("%s: its fs-verity digest is not sha256 over 4096-byte blocks (enabled with other parameters?)",
		      f->src);
		rc = -EBADMSG;
	}
out:
	close(fd);
	if (rc)
		return -1;
	if (mf_list_add(l, f->path, o->kind, digest)) {
		warnx("out of memory");
		return -1;
	}
	return 0;
}

enum {
	OPT_ROOT = OPT_LONG, OPT_PREFIX, OPT_FSVERITY, OPT_CONTENT, OPT_ENABLE,
	OPT_NAME, OPT_VERSION,
};

static const struct option create_longopts[] = {
	{ "root", required_argument, NULL, OPT_ROOT },
	{ "prefix", required_argument, NULL, OPT_PREFIX },
	{ "fsverity", no_argument, NULL, OPT_FSVERITY },
	{ "content", no_argument, NULL, OPT_CONTENT },
	{ "enable-verity", no_argument, NULL, OPT_ENABLE },
	{ "name", required_argument, NULL, OPT_NAME },
	{ "version", required_argument, NULL, OPT_VERSION },
	{ "output", required_argument, NULL, 'o' },
	OPTION_HELP,
	{ NULL },
};

#define CREATE "manifest create"

static int create_opts(int argc, char **argv, struct create_opts *o)
{
	const char *version = NULL;
	bool fsv = false, content = false;
	int c, rc;

	while ((c = cmd_getopt(argc, argv, CREATE, ":ho:", create_longopts)) != -1) {
		switch (c) {
		case OPT_ROOT:
			o->root = optarg;
			break;
		case OPT_PREFIX:
			o->prefix = optarg;
			break;
		case OPT_FSVERITY:
			fsv = true;
			break;
		case OPT_CONTENT:
			content = true;
			break;
		case OPT_ENABLE:
			o->enable = true;
			break;
		case OPT_NAME:
			o->name = optarg;
			break;
		case OPT_VERSION:
			version = optarg;
			break;
		case 'o':
			o->out = optarg;
			break;
		default:
			return c;	/* CMD_HELP or CMD_USAGE */
		}
	}
	if (fsv && content)
		return usage_error(CREATE, "--fsverity or --content, not both");
	if (content && o->enable)
		return usage_error(CREATE, "--enable-verity is for fsverity= entries");
	o->kind = content ? SIGIL_MANIFEST_CONTENT : SIGIL_MANIFEST_FSVERITY;
	if (!o->name)
		return usage_error(CREATE, "which manifest name? --name NAME");
	rc = mf_name_arg(CREATE, o->name);
	if (rc)
		return rc;
	if (!version)
		return usage_error(CREATE, "which version? --version MAJOR.MINOR.PATCH");
	rc = mf_version_arg(CREATE, version, o->version);
	if (rc)
		return rc;
	if (o->prefix && o->prefix[0] != '/')
		return usage_error(CREATE, "--prefix '%s': an absolute path", o->prefix);
	if (optind == argc && !o->root)
		return usage_error(CREATE, "which files? PATH...");
	return 0;
}

/* Counts of skipped files, by reason. */
struct skips {
	const char *why[8];
	size_t n[8];
	size_t total;
};

static void skipped(struct skips *s, const char *why)
{
	int i;

	s->total++;
	for (i = 0; i < 8 && s->why[i]; i++)
		if (!strcmp(s->why[i], why))
			break;
	if (i == 8)
		i = 7;
	s->why[i] = why;
	s->n[i]++;
}

int cmd_manifest_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct walk_entry *w = NULL;
	struct cfile *files = NULL;
	struct mf_list l = { 0 };
	struct skips sk = { 0 };
	char *root = NULL, *text = NULL, **paths, *whole[1];
	size_t nw = 0, i, len, nfiles = 0, done = 0;
	u64 total_bytes = 0, bytes = 0;
	double t0 = now_s();
	bool tty = isatty(STDERR_FILENO);
	int npaths, rc;

	rc = create_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? cmd_exit(rc) : rc;
	root = clean_path(o.root ? o.root : "/");
	if (!root)
		return EXIT_FAIL;
	if (o.root) {
		struct stat st;

		if (stat(root, &st) || !S_ISDIR(st.st_mode)) {
			warnx("--root %s: not a directory", o.root);
			free(root);
			return EXIT_FAIL;
		}
	}
	/* Operands are under ROOT: relative ones from it; none: all of it. */
	npaths = argc - optind;
	paths = calloc(npaths ? npaths : 1, sizeof(*paths));
	if (!paths) {
		free(root);
		return EXIT_FAIL;
	}
	for (i = 0; i < (size_t)npaths; i++) {
		const char *a = argv[optind + i];

		if (o.root && a[0] != '/' && asprintf(&paths[i], "%s/%s", root, a) < 0)
			paths[i] = NULL;
		else if (!o.root || a[0] == '/')
			paths[i] = strdup(a);
		if (!paths[i]) {
			rc = EXIT_FAIL;
			goto out;
		}
		if (o.root) {
			char *abs = clean_path(paths[i]), *m;

			m = abs ? map_path(abs, root, "/") : NULL;
			if (!m) {
				warnx("%s: not under --root %s", a, o.root);
				rc = EXIT_USAGE;
			}
			free(m);
			free(abs);
		}
	}
	if (rc)
		goto out;
	whole[0] = root;
	rc = walk_list_files(npaths ? paths : whole, npaths ? npaths : 1, &w, &nw);
	if (rc) {
		rc = EXIT_FAIL;
		goto out;
	}
	files = calloc(nw ? nw : 1, sizeof(*files));
	if (!files) {
		rc = EXIT_FAIL;
		goto out;
	}
	rc = EXIT_OK;
	for (i = 0; i < nw; i++) {
		struct cfile *f = &files[nfiles];
		char *abs = clean_path(w[i].path), why[128];
		struct stat st;

		if (!abs) {
			rc = EXIT_FAIL;
			goto out;
		}
		if (lstat(w[i].path, &st)) {
			warnx("%s: %s", w[i].path, strerror(errno));
			free(abs);
			rc = EXIT_FAIL;
			continue;
		}
		f->src = w[i].path;
		f->path = map_path(abs, root, o.prefix ? o.prefix : "/");
		free(abs);
		if (!f->path) {
			warnx("%s: not under --root %s", w[i].path, o.root);
			rc = EXIT_FAIL;
			continue;
		}
		f->skip = S_ISLNK(st.st_mode) ? "symbolic link" :
			  !S_ISREG(st.st_mode) ? "not a regular file" : NULL;
		if (!f->skip && !mf_check_path(f->path, why, sizeof(why))) {
			warnx("%s: cannot be listed as %s: %s", f->src, f->path, why);
			free(f->path);
			rc = EXIT_FAIL;
			continue;
		}
		f->size = st.st_size;
		if (!f->skip)
			total_bytes += st.st_size;
		nfiles++;
	}
	if (rc)
		goto out;
	for (i = 0; i < nfiles; i++) {
		if (files[i].skip) {
			skipped(&sk, files[i].skip);
			continue;
		}
		if (measure(&o, &files[i], &l))
			rc = EXIT_FAIL;
		done++;
		bytes += files[i].size;
		if (tty)
			draw(done, nfiles - sk.total, bytes, total_bytes, false);
	}
	if (tty)
		draw(done, nfiles - sk.total, bytes, total_bytes, true);
	if (rc) {
		warnx("%s: nothing written", CREATE);
		goto out;
	}
	/* One entry per path: a file named twice, or under two trees named. */
	mf_list_sort(&l);
	for (i = 1, len = l.n ? 1 : 0; i < l.n; i++) {
		if (!strcmp(l.items[i].path, l.items[len - 1].path)) {
			free(l.items[i].path);
			continue;
		}
		l.items[len++] = l.items[i];
	}
	l.n = len;
	if (mf_list_text(&l, o.name, o.version, &text, &len)) {
		warnx("out of memory");
		rc = EXIT_FAIL;
		goto out;
	}
	rc = mf_checked_write(CREATE, o.out, text, len);
	if (rc)
		goto out;
	fprintf(stderr, "manifest '%s' %u.%u.%u: %zu files, %llu bytes, %zu skipped",
		o.name, o.version[0], o.version[1], o.version[2], l.n,
		(unsigned long long)bytes, sk.total);
	for (i = 0; i < 8 && sk.why[i]; i++)
		fprintf(stderr, "%s%zu %s", i ? ", " : " (", sk.n[i], sk.why[i]);
	fprintf(stderr, "%s, %.2f s\n", sk.total ? ")" : "", now_s() - t0);
out:
	free(text);
	mf_list_free(&l);
	for (i = 0; i < nfiles; i++)
		free(files[i].path);
	free(files);
	for (i = 0; i < nw; i++)
		free(w[i].path);
	free(w);
	for (i = 0; i < (size_t)npaths; i++)
		free(paths[i]);
	free(paths);
	free(root);
	return rc;
}
