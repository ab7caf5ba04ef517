// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl bpf: the BPF mode, on a kernel without sigil built in.  Loads
 * bpf/sigil.bpf.c with libbpf (its skeleton), pins its links and maps
 * under SIGIL_BPF_PIN_DIR so that they outlive sigilctl, and writes the
 * policy that the shared parser (policy/) read and bpf_layout.c laid out.
 * Documentation/bpf.rst says what this mode does and does not do.
 */

#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <dirent.h>
#include <ftw.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>
#include <keyutils.h>

#include "bpf_image.h"
#include "manifest.h"
#include "mf.h"
#include "sigil.skel.h"
#include "verify.h"
#include "sigilctl.h"
#include "sigilbpf.h"

#ifndef BPF_FS_MAGIC
#define BPF_FS_MAGIC	0xcafe4a11
#endif
#define RAMFS_MAGIC_	0x858458f6
#define TMPFS_MAGIC_	0x01021994

/* The maps, as pinned: the skeleton's names. */
static const char *const map_names[] = {
	"sigil_config", "sigil_heads", "sigil_steps", "sigil_digests",
	"sigil_mfs", "sigil_mf_ents", "sigil_inodes", "sigil_stats",
	"sigil_log", "sigil_explain", "sigil_scratch", "sigil_pcpu", "sigil_dmv",
	"sigil_inflight",
};

static const char *pin_dir(void)
{
	const char *d = getenv("SIGIL_BPF_PIN_DIR");

	return d && *d ? d : SIGIL_BPF_PIN_DIR;
}

/* A pinned map's descriptor, or -errno. */
int bpf_pinned_map(const char *name)
{
	char path[512];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", pin_dir(), name);
	fd = bpf_obj_get(path);
	return fd < 0 ? -errno : fd;
}

bool bpf_mode_present(void)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof(path), "%s/sigil_config", pin_dir());
	return !stat(path, &st);
}

/* No sigil in the kernel's securityfs, and the BPF mode is loaded. */
bool bpf_instead(void)
{
	char path[512];
	struct stat st;

	sfs_path(path, sizeof(path), "status");
	return stat(path, &st) && bpf_mode_present();
}

/* Is bpf among the kernel's active LSMs?  Else its programs never run. */
static bool bpf_lsm_active(void)
{
	char buf[512], *tok, *save;
	ssize_t n;
	int fd = open("/sys/kernel/security/lsm", O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return true;	/* no securityfs to ask: the load will tell */
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	for (tok = strtok_r(buf, ",\n", &save); tok; tok = strtok_r(NULL, ",\n", &save))
		if (!strcmp(tok, "bpf"))
			return true;
	return false;
}

static int read_config(struct sigil_bpf_config *cfg, int *fdp)
{
	u32 zero = 0;
	int fd = bpf_pinned_map("sigil_config");

	if (fd < 0) {
		if (fd == -ENOENT)
			warnx("the BPF mode is not loaded (no %s/sigil_config)", pin_dir());
		else
			warnx("%s/sigil_config: %s", pin_dir(), strerror(-fd));
		return fd;
	}
	if (bpf_map_lookup_elem(fd, &zero, cfg)) {
		int rc = -errno;

		warnx("sigil_config: %s", strerror(errno));
		close(fd);
		return rc;
	}
	if (fdp)
		*fdp = fd;
	else
		close(fd);
	return 0;
}

static int write_config(int fd, const struct sigil_bpf_config *cfg)
{
	u32 zero = 0;

	if (bpf_map_update_elem(fd, &zero, cfg, BPF_ANY)) {
		warnx("sigil_config: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* ---- the policy ---- */

struct mf_names {
	int fd;		/* sigil_mfs */
	struct sigil_bpf_manifest m[SIGIL_BPF_MANIFESTS];
};

static int read_manifests(int fd, struct mf_names *n)
{
	u32 i;

	n->fd = fd;
	for (i = 0; i < SIGIL_BPF_MANIFESTS; i++)
		if (bpf_map_lookup_elem(fd, &i, &n->m[i]))
			return -errno;
	return 0;
}

/* The index of manifest @name in sigil_mfs, taking a free one if need be. */
static int manifest_index(void *ctx, const char *name, unsigned int len)
{
	struct mf_names *n = ctx;
	int i, free_i = -1;

	for (i = 0; i < SIGIL_BPF_MANIFESTS; i++) {
		if (!n->m[i].name[0]) {
			if (free_i < 0)
				free_i = i;
			continue;
		}
		if (strlen(n->m[i].name) == len && !memcmp(n->m[i].name, name, len))
			return i;
	}
	if (free_i < 0 || len > SIGIL_BPF_NAME_MAX)
		return -ENOSPC;
	memset(&n->m[free_i], 0, sizeof(n->m[free_i]));
	memcpy(n->m[free_i].name, name, len);
	if (bpf_map_update_elem(n->fd, &free_i, &n->m[free_i], BPF_ANY))
		return -errno;
	return free_i;
}

/*
 * Delete every digests entry of @slot: what an earlier policy left there.
 * The next key is taken before the current one goes, so that the walk is
 * one pass over the table, not one per deletion.
 */
static int clear_slot(int fd, u32 slot)
{
	struct sigil_bpf_digest_key cur, next;
	u32 lo = slot * SIGIL_BPF_STEPS_MAX, hi = lo + SIGIL_BPF_STEPS_MAX;
	bool more = !bpf_map_get_next_key(fd, NULL, &cur);

	while (more) {
		more = !bpf_map_get_next_key(fd, &cur, &next);
		if (cur.step >= lo && cur.step < hi && bpf_map_delete_elem(fd, &cur) &&
		    errno != ENOENT)
			return -errno;
		cur = next;
	}
	return 0;
}

/*
 * Wait until no decision walks @slot (the program counts them per CPU in
 * sigil_inflight), so that it can be rewritten: a decision that took the
 * slot before the last switch may still be walking it.
 */
static int wait_slot_idle(u32 slot)
{
	int fd = bpf_pinned_map("sigil_inflight"), n = libbpf_num_possible_cpus(), i, tries;
	long long *v;
	int rc = -EBUSY;

	if (fd == -ENOENT)
		return 0;	/* the first load: no decision yet */
	if (fd < 0 || n <= 0)
		return fd < 0 ? fd : -EINVAL;
	v = calloc(n, sizeof(*v));
	for (tries = 0; v && tries < 5000; tries++) {
		long long sum = 0;

		if (bpf_map_lookup_elem(fd, &slot, v))
			break;
		for (i = 0; i < n; i++)
			sum += v[i];
		if (sum <= 0) {
			rc = 0;
			break;
		}
		usleep(1000);
	}
	free(v);
	close(fd);
	return rc;
}

static int write_image(const struct sigil_bpf_image *img, u32 slot, int heads,
		       int steps, int digests)
{
	u32 i, key;
	int rc;

	rc = wait_slot_idle(slot);
	if (rc) {
		warnx("decisions still walk the policy loaded before the one in force: try again");
		return rc;
	}
	rc = clear_slot(digests, slot);
	if (rc)
		return rc;
	for (i = 0; i < img->nsteps; i++) {
		key = slot * SIGIL_BPF_STEPS_MAX + i;
		if (bpf_map_update_elem(steps, &key, &img->steps[i], BPF_ANY))
			return -errno;
	}
	if (img->ndigests) {
		__u32 n = img->ndigests;
		LIBBPF_OPTS(bpf_map_batch_opts, o);

		if (bpf_map_update_batch(digests, img->dkeys, img->dvals, &n, &o)) {
			/* Older kernels: one at a time. */
			for (i = 0; i < img->ndigests; i++)
				if (bpf_map_update_elem(digests, &img->dkeys[i],
							&img->dvals[i], BPF_ANY))
					return -errno;
		}
	}
	if (bpf_map_update_elem(heads, &slot, &img->head, BPF_ANY))
		return -errno;
	return 0;
}

/* ---- keys ---- */

/* The keyring of --keyring: a serial, or a name looked up in @u. */
static key_serial_t keyring_arg(const char *arg, bool create)
{
	char *end;
	long v;
	key_serial_t k;

	v = strtol(arg, &end, 0);
	if (*arg && !*end)
		return (key_serial_t)v;
	k = keyctl_search(KEY_SPEC_USER_KEYRING, "keyring", arg, 0);
	if (k < 0 && create)
		k = add_key("keyring", arg, NULL, 0, KEY_SPEC_USER_KEYRING);
	if (k < 0)
		warnx("keyring %s: %s", arg, strerror(errno));
	return k;
}

static int add_cert(key_serial_t ring, const char *file)
{
	u8 *buf;
	size_t len;
	int rc = read_all(file, &buf, &len);

	if (rc) {
		warnx("%s: %s", file, strerror(-rc));
		return rc;
	}
	if (add_key("asymmetric", NULL, buf, len, ring) < 0) {
		rc = -errno;
		warnx("%s: the kernel refused the certificate: %s (give a DER X.509 certificate)",
		      file, strerror(errno));
	}
	free(buf);
	return rc;
}

/* ---- boot_verified: the initramfs' files ---- */

static int boot_map = -1;
static dev_t boot_dev;
static unsigned long boot_marked;

static int mark_one(const char *path, const struct stat *st, int type,
		    struct FTW *ftw)
{
	struct sigil_bpf_inode ino = { .flags = SIGIL_BPF_INO_BOOT };
	int fd;

	if (type != FTW_F || !S_ISREG(st->st_mode) || st->st_dev != boot_dev)
		return 0;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return 0;
	if (!bpf_map_update_elem(boot_map, &fd, &ino, BPF_ANY))
		boot_marked++;
	close(fd);
	return 0;
}

/*
 * Mark every regular file of the root filesystem when it is the initramfs
 * (rootfs: ramfs or tmpfs).  Files created later are never marked, and a
 * write, truncation or xattr change unmarks one (bpf/sigil.bpf.c).
 */
static int mark_boot_files(int inodes, bool quiet)
{
	struct statfs sfs;
	struct stat st;

	if (statfs("/", &sfs) || stat("/", &st))
		return -errno;
	if (sfs.f_type != RAMFS_MAGIC_ && sfs.f_type != TMPFS_MAGIC_) {
		if (!quiet)
			warnx("note: / is not an initramfs: boot_verified holds for no file");
		return 0;
	}
	boot_map = inodes;
	boot_dev = st.st_dev;
	boot_marked = 0;
	if (nftw("/", mark_one, 32, FTW_PHYS | FTW_MOUNT))
		return -errno;
	return 1;
}

/* ---- load ---- */

static int libbpf_quiet(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_WARN || getenv("SIGIL_BPF_VERBOSE"))
		return vfprintf(stderr, fmt, ap);
	return 0;
}

static int ensure_bpffs(void)
{
	struct statfs sfs;

	if (!statfs("/sys/fs/bpf", &sfs) && sfs.f_type == BPF_FS_MAGIC)
		return 0;
	mkdir("/sys/fs/bpf", 0700);
	if (mount("bpf", "/sys/fs/bpf", "bpf", 0, "mode=0700")) {
		warnx("cannot mount bpffs at /sys/fs/bpf: %s", strerror(errno));
		return -errno;
	}
	return 0;
}

/* The maps a load writes: the skeleton's, or the pinned ones. */
struct maps {
	int config, heads, steps, digests, mfs, inodes;
};

static void close_maps(struct maps *m)
{
	int *fd;

	for (fd = &m->config; fd <= &m->inodes; fd++)
		if (*fd >= 0)
			close(*fd);
}

static int pinned_maps(struct maps *m)
{
	m->config = bpf_pinned_map("sigil_config");
	m->heads = bpf_pinned_map("sigil_heads");
	m->steps = bpf_pinned_map("sigil_steps");
	m->digests = bpf_pinned_map("sigil_digests");
	m->mfs = bpf_pinned_map("sigil_mfs");
	m->inodes = -1;
	if (m->config < 0 || m->heads < 0 || m->steps < 0 || m->digests < 0 || m->mfs < 0) {
		warnx("opening the maps pinned in %s: %s", pin_dir(),
		      strerror(errno));
		return -EIO;
	}
	return 0;
}

static void skel_maps(struct sigil_bpf *skel, struct maps *m)
{
	m->config = dup(bpf_map__fd(skel->maps.sigil_config));
	m->heads = dup(bpf_map__fd(skel->maps.sigil_heads));
	m->steps = dup(bpf_map__fd(skel->maps.sigil_steps));
	m->digests = dup(bpf_map__fd(skel->maps.sigil_digests));
	m->mfs = dup(bpf_map__fd(skel->maps.sigil_mfs));
	m->inodes = dup(bpf_map__fd(skel->maps.sigil_inodes));
}

/* Pin the attached program's maps and links. */
static int attach_and_pin(struct sigil_bpf *skel)
{
	struct bpf_program *prog;
	char path[512];
	int rc, i;

	if (mkdir(pin_dir(), 0700) && errno != EEXIST) {
		warnx("%s: %s", pin_dir(), strerror(errno));
		return -errno;
	}
	for (i = 0; i < (int)(sizeof(map_names) / sizeof(map_names[0])); i++) {
		struct bpf_map *m = bpf_object__find_map_by_name(skel->obj, map_names[i]);

		snprintf(path, sizeof(path), "%s/%s", pin_dir(), map_names[i]);
		rc = m ? bpf_map__pin(m, path) : -ENOENT;
		if (rc)
			goto unpin;
	}
	bpf_object__for_each_program(prog, skel->obj) {
		struct bpf_link *link = NULL;
		int k;

		for (k = 0; k < skel->skeleton->prog_cnt; k++)
			if (*skel->skeleton->progs[k].prog == prog)
				link = *skel->skeleton->progs[k].link;
		snprintf(path, sizeof(path), "%s/link_%s", pin_dir(),
			 bpf_program__name(prog));
		rc = link ? bpf_link__pin(link, path) : -ENOENT;
		if (rc)
			goto unpin;
	}
	return 0;
unpin:
	warnx("pinning under %s: %s", pin_dir(), strerror(-rc));
	bpf_object__unpin_maps(skel->obj, pin_dir());
	bpf_object__for_each_program(prog, skel->obj) {
		snprintf(path, sizeof(path), "%s/link_%s", pin_dir(),
			 bpf_program__name(prog));
		unlink(path);
	}
	rmdir(pin_dir());
	return rc;
}

static const struct option load_long[] = {
	{ "permissive", no_argument, NULL, 'p' },
	{ "keyring", required_argument, NULL, 'k' },
	{ "cert", required_argument, NULL, 'c' },
	{ "keys", required_argument, NULL, 'K' },
	{ "no-boot", no_argument, NULL, 'B' },
	{ "max-digests", required_argument, NULL, 'M' },
	OPTION_HELP, OPTION_JSON, { NULL },
};

/* Read @file (plain, or signed and verified against --keys) and parse it. */
static int read_policy(const char *file, struct mf_text *t,
		       struct sigil_policy **pol)
{
	struct sigil_parse_opts opts = {
		.props = sigil_bpf_props,
		.why_not = sigil_bpf_why_not,
	};
	struct sigil_parse_error err;
	char why[256];
	int rc;

	if (mf_read_text(file, t, why, sizeof(why))) {
		printf("%s: error: %s\n", file, why);
		return EXIT_FAIL;
	}
	rc = text_check_signature(file, t);
	if (rc)
		return rc;
	/* The parser compiles too: runs and their hash tables. */
	rc = sigil_policy_parse(t->text, t->text_len, &opts, pol, &err);
	if (rc) {
		mf_print_parse_error(stdout, file, &err);
		return EXIT_FAIL;
	}
	return EXIT_OK;
}

/*
 * A policy of the same name as the one in force must not be older: as the
 * built-in LSM refuses an update to a lower version (ESTALE).
 */
static int check_version(const struct maps *m, const struct sigil_bpf_config *cfg,
			 const struct sigil_policy *pol, const char *file)
{
	struct sigil_bpf_head h;
	u32 slot = cfg->slot;
	u64 old, new;

	if (!cfg->loaded || bpf_map_lookup_elem(m->heads, &slot, &h))
		return EXIT_OK;
	if (strcmp(h.name, pol->name))
		return EXIT_OK;
	old = (u64)h.version[0] << 32 | (u64)h.version[1] << 16 | h.version[2];
	new = (u64)pol->version[0] << 32 | (u64)pol->version[1] << 16 | pol->version[2];
	if (new >= old)
		return EXIT_OK;
	printf("%s:1: error: policy '%s' version %u.%u.%u is older than the one in force (%u.%u.%u): %s\n",
	       file, pol->name, pol->version[0], pol->version[1], pol->version[2],
	       h.version[0], h.version[1], h.version[2], strerror(ESTALE));
	return EXIT_FAIL;
}

/*
 * Unmark the marked files that some process has open for writing, or
 * mapped shared and writable, now that marking is done: writes through
 * those would not pass the hooks that unmark.
 */
static void unmark_open_for_write(int inodes)
{
	struct sigil_bpf_inode ino;
	char path[PATH_MAX], line[PATH_MAX + 128];
	struct dirent *p, *e;
	DIR *proc, *fds;

	proc = opendir("/proc");
	if (!proc)
		return;
	while ((p = readdir(proc))) {
		FILE *f;

		if (p->d_name[0] < '0' || p->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/fdinfo", p->d_name);
		fds = opendir(path);
		while (fds && (e = readdir(fds))) {
			unsigned int flags = 0;
			int fd;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fdinfo/%s", p->d_name, e->d_name);
			f = fopen(path, "re");
			if (!f)
				continue;
			while (fgets(line, sizeof(line), f))
				if (sscanf(line, "flags: %o", &flags) == 1)
					break;
			fclose(f);
			if (!(flags & (O_WRONLY | O_RDWR)))
				continue;
			snprintf(path, sizeof(path), "/proc/%s/fd/%s", p->d_name, e->d_name);
			fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			if (fd >= 0 && !bpf_map_lookup_elem(inodes, &fd, &ino)) {
				ino.flags &= ~SIGIL_BPF_INO_BOOT;
				bpf_map_update_elem(inodes, &fd, &ino, BPF_EXIST);
			}
			if (fd >= 0)
				close(fd);
		}
		if (fds)
			closedir(fds);
		/* Shared writable mappings: "rw-s" in maps. */
		snprintf(path, sizeof(path), "/proc/%s/maps", p->d_name);
		f = fopen(path, "re");
		while (f && fgets(line, sizeof(line), f)) {
			char perms[8], *file = strchr(line, '/');
			int fd;

			if (sscanf(line, "%*s %7s", perms) != 1 || perms[1] != 'w' ||
			    perms[3] != 's' || !file)
				continue;
			file[strcspn(file, "\n")] = '\0';
			fd = open(file, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
			if (fd >= 0 && !bpf_map_lookup_elem(inodes, &fd, &ino)) {
				ino.flags &= ~SIGIL_BPF_INO_BOOT;
				bpf_map_update_elem(inodes, &fd, &ino, BPF_EXIST);
			}
			if (fd >= 0)
				close(fd);
		}
		if (f)
			fclose(f);
	}
	closedir(proc);
}

/*
 * sigilctl bpf load [--permissive] [--keyring NAME|ID] [--cert FILE]...
 *		     [--keys FILE]... [--no-boot] POLICY
 *
 * The first load loads the program; later ones replace the policy, in the
 * slot not in force, then switch.  Nothing is attached until the policy is
 * in the maps, and a failure before the pins leaves nothing behind.
 */
int cmd_bpf_load(int argc, char **argv)
{
	struct sigil_bpf_config cfg = { 0 };
	struct maps m = { -1, -1, -1, -1, -1, -1 };
	struct sigil_policy *pol = NULL;
	struct sigil_bpf *skel = NULL;
	struct sigil_bpf_image img = { 0 };
	struct sigil_parse_error err;
	struct mf_names names;
	const char *keyring = "sigil-bpf", *certs[16];
	struct mf_text t = { 0 };
	bool permissive = false, boot = true, fresh;
	unsigned long max_digests = 0;
	int ncerts = 0, c, rc;
	char *end;
	u32 slot;
	key_serial_t ring;

	while ((c = cmd_getopt(argc, argv, "bpf load", ":h", load_long)) != -1) {
		switch (c) {
		case 'p':
			permissive = true;
			break;
		case 'k':
			keyring = optarg;
			break;
		case 'c':
			if (ncerts == 16)
				return usage_error("bpf load", "at most 16 --cert");
			certs[ncerts++] = optarg;
			break;
		case 'K':
			if (load_key_file(optarg))
				return EXIT_FAIL;
			text_keys_given = true;
			break;
		case 'B':
			boot = false;
			break;
		case 'M':
			max_digests = strtoul(optarg, &end, 10);
			if (*end || max_digests < 1024 || max_digests > (1u << 24))
				return usage_error("bpf load", "--max-digests: 1024 to 16777216");
			break;
		case OPT_JSON:
			opt_json = true;
			break;
		default:
			return cmd_exit(c);
		}
	}
	if (optind != argc - 1)
		return usage_error("bpf load", "which policy file?");
	libbpf_set_print(libbpf_quiet);
	rc = read_policy(argv[optind], &t, &pol);
	if (rc)
		goto out;

	fresh = !bpf_mode_present();
	if (fresh) {
		if (!bpf_lsm_active()) {
			warnx("bpf is not among this kernel's LSMs (/sys/kernel/security/lsm): "
			      "its programs would never run; boot with lsm=...,bpf");
			rc = EXIT_ENV;
			goto out;
		}
		if (ensure_bpffs()) {
			rc = EXIT_ENV;
			goto out;
		}
		skel = sigil_bpf__open();
		if (skel && max_digests)
			bpf_map__set_max_entries(skel->maps.sigil_digests, max_digests);
		if (!skel || (rc = sigil_bpf__load(skel))) {
			warnx("the kernel refused the BPF program: %s (does it have "
			      "CONFIG_BPF_LSM and bpf in lsm=? SIGIL_BPF_VERBOSE=1 "
			      "shows the verifier's log)", strerror(skel ? -rc : errno));
			rc = EXIT_ENV;
			goto out;
		}
		skel_maps(skel, &m);
		slot = 0;
	} else {
		if (pinned_maps(&m)) {
			rc = EXIT_ENV;
			goto out;
		}
		rc = read_config(&cfg, NULL);
		if (rc) {
			rc = EXIT_ENV;
			goto out;
		}
		if (cfg.locked) {
			warnx("the BPF mode is locked until reboot: the policy in force stays");
			rc = EXIT_FAIL;
			goto out;
		}
		if (max_digests)
			warnx("note: --max-digests counts at the first load only");
		slot = !cfg.slot;
		rc = check_version(&m, &cfg, pol, argv[optind]);
		if (rc)
			goto out;
	}
	if (read_manifests(m.mfs, &names)) {
		warnx("sigil_mfs: %s", strerror(errno));
		rc = EXIT_ENV;
		goto out;
	}
	ring = keyring_arg(keyring, true);
	if (ring < 0) {
		rc = EXIT_ENV;
		goto out;
	}
	for (c = 0; c < ncerts; c++)
		if (add_cert(ring, certs[c])) {
			rc = EXIT_FAIL;
			goto out;
		}
	rc = sigil_bpf_layout(pol, slot, manifest_index, &names, &img, &err);
	if (rc) {
		mf_print_parse_error(stdout, argv[optind], &err);
		rc = EXIT_FAIL;
		goto out;
	}
	/*
	 * The initramfs' files as the first load finds them, whatever this
	 * policy tests: a later policy may test boot_verified, and files
	 * created meanwhile must not count.  The program is attached first,
	 * deciding nothing until the policy is in (config.loaded is 0), so
	 * that a write from now on unmarks; files already open for writing
	 * are unmarked after marking.
	 */
	if (fresh && (rc = sigil_bpf__attach(skel))) {
		warnx("attaching the BPF program: %s", strerror(-rc));
		rc = EXIT_ENV;
		goto out;
	}
	if (fresh && boot) {
		rc = mark_boot_files(m.inodes, opt_json);
		if (rc < 0)
			warnx("marking the initramfs' files: %s", strerror(-rc));
		if (rc > 0)
			unmark_open_for_write(m.inodes);
		cfg.boot_marked = rc > 0;
	}
	rc = write_image(&img, slot, m.heads, m.steps, m.digests);
	if (rc == -E2BIG || rc == -ENOMEM)
		warnx("the digests map is full: it holds the indexed digests of the policy in "
		      "force and of the new one (%u); give a larger --max-digests at the first load",
		      img.ndigests);
	if (!rc) {
		cfg.slot = slot;
		cfg.loaded = 1;
		cfg.enforce = !permissive;
		cfg.keyring = (u32)ring;
		cfg.gen++;
		rc = write_config(m.config, &cfg);
	}
	if (rc) {
		warnx("writing the policy into the maps: %s%s", strerror(-rc),
		      fresh ? "" : " (the policy in force is unchanged)");
		rc = EXIT_FAIL;
		goto out;
	}
	if (fresh && attach_and_pin(skel)) {
		rc = EXIT_ENV;
		goto out;
	}
	if (!opt_json)
		printf("policy '%s' version %u.%u.%u in force (BPF mode, %s): %u rules, %u steps, %u indexed digests%s\n",
		       pol->name, pol->version[0], pol->version[1], pol->version[2],
		       permissive ? "permissive" : "enforce", pol->nrules,
		       img.nsteps, img.ndigests,
		       cfg.boot_marked && fresh ? ", initramfs files boot_verified" : "");
	rc = EXIT_OK;
out:
	sigil_bpf_image_free(&img);
	close_maps(&m);
	if (skel)
		sigil_bpf__destroy(skel);	/* the pins keep what was attached */
	if (pol)
		sigil_policy_free(pol);
	mf_text_free(&t);
	return rc;
}

/* ---- status ---- */

static long long map_memlock(int fd)
{
	char path[64], line[256];
	long long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	f = fopen(path, "re");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "memlock: %lld", &v) == 1)
			break;
	fclose(f);
	return v;
}

static unsigned long long stat_sum(int fd, u32 key)
{
	int n = libbpf_num_possible_cpus(), i;
	unsigned long long sum = 0;
	u64 *v;

	if (n <= 0)
		return 0;
	v = calloc(n, sizeof(*v));
	if (v && !bpf_map_lookup_elem(fd, &key, v))
		for (i = 0; i < n; i++)
			sum += v[i];
	free(v);
	return sum;
}

static void kv(const char *key, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static bool kv_first;

static void kv(const char *key, const char *fmt, ...)
{
	char val[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(val, sizeof(val), fmt, ap);
	va_end(ap);
	if (opt_json)
		json_kv_num_or_str(key, val, &kv_first);
	else
		printf("%s: %s\n", key, val);
}

static const char *const stat_names[__SIGIL_BPF_STAT_MAX] = {
	[SIGIL_BPF_STAT_ALLOWED] = "allowed",
	[SIGIL_BPF_STAT_DENIED] = "denied",
	[SIGIL_BPF_STAT_ERRORS] = "errors",
	[SIGIL_BPF_STAT_VERIFIED] = "signatures_verified",
	[SIGIL_BPF_STAT_LOG_LOST] = "log_lost",
	[SIGIL_BPF_STAT_REFUSED_TAMPER] = "tamper_refused",
};

int bpf_status(void)
{
	struct sigil_bpf_config cfg;
	struct sigil_bpf_head h;
	struct maps m = { -1, -1, -1, -1, -1, -1 };
	struct mf_names names;
	u32 i, nmf = 0, mf_entries = 0, other, both = 0;
	int stats, ents;
	long long steps_mem, dig_mem, ents_mem;

	if (read_config(&cfg, NULL))
		return EXIT_ENV;
	if (pinned_maps(&m))
		return EXIT_ENV;
	other = !cfg.slot;
	if (bpf_map_lookup_elem(m.heads, &other, &h) == 0)
		both = h.ndigests;
	if (bpf_map_lookup_elem(m.heads, &cfg.slot, &h) || read_manifests(m.mfs, &names)) {
		warnx("reading the maps: %s", strerror(errno));
		close_maps(&m);
		return EXIT_ENV;
	}
	for (i = 0; i < SIGIL_BPF_MANIFESTS; i++)
		if (names.m[i].epoch) {
			nmf++;
			mf_entries += names.m[i].entries;
		}
	stats = bpf_pinned_map("sigil_stats");
	ents = bpf_pinned_map("sigil_mf_ents");
	steps_mem = map_memlock(m.steps);
	dig_mem = map_memlock(m.digests);
	ents_mem = ents >= 0 ? map_memlock(ents) : -1;
	kv_first = true;
	if (opt_json)
		putchar('{');
	kv("mode", "%s", cfg.enforce ? "enforce" : "permissive");
	kv("backend", "bpf");
	kv("locked", "%s", cfg.locked ? "yes" : "no");
	if (cfg.loaded)
		kv("active_policy", "%s %u.%u.%u", h.name, h.version[0], h.version[1],
		   h.version[2]);
	kv("rules", "%u", h.nrules);
	kv("steps", "%u", h.nsteps);
	kv("indexed_digests", "%u", h.ndigests);
	kv("keyring", "%u", cfg.keyring);
	kv("boot_verified_marked", "%s", cfg.boot_marked ? "yes" : "no");
	kv("manifests_loaded", "%u", nmf);
	kv("manifest_entries", "%u", mf_entries);
	if (stats >= 0)
		for (i = 0; i < __SIGIL_BPF_STAT_MAX; i++)
			kv(stat_names[i], "%llu", stat_sum(stats, i));
	/*
	 * Kernel memory: what the maps charge (memlock), per rule, per
	 * indexed digest, per manifest entry; inode storage per cached inode.
	 */
	kv("steps_bytes", "%lld", steps_mem);
	kv("bytes_per_step", "%zu", sizeof(struct sigil_bpf_step));
	/* The map holds the slot in force and the one before it. */
	both += h.ndigests;
	kv("digests_bytes", "%lld", dig_mem);
	kv("digests_in_map", "%u", both);
	if (both)
		kv("bytes_per_digest", "%lld", dig_mem / both);
	kv("manifest_bytes", "%lld", ents_mem);
	if (mf_entries)
		kv("bytes_per_manifest_entry", "%lld", ents_mem / mf_entries);
	kv("bytes_per_cached_inode", "%zu", sizeof(struct sigil_bpf_inode));
	if (opt_json)
		puts("}");
	if (stats >= 0)
		close(stats);
	if (ents >= 0)
		close(ents);
	close_maps(&m);
	return EXIT_OK;
}

int cmd_bpf_status(int argc, char **argv)
{
	int rc = cmd_operands(argc, argv, "bpf status", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("bpf status", "no arguments");
	return bpf_status();
}

/* ---- mode, lock, unload ---- */

int cmd_bpf_mode(int argc, char **argv)
{
	struct sigil_bpf_config cfg;
	int rc = cmd_operands(argc, argv, "bpf mode", false), fd;

	if (rc)
		return cmd_exit(rc);
	if (optind != argc - 1 || (strcmp(argv[optind], "enforce") &&
				   strcmp(argv[optind], "permissive")))
		return usage_error("bpf mode", "enforce or permissive?");
	if (read_config(&cfg, &fd))
		return EXIT_ENV;
	if (cfg.locked) {
		warnx("the BPF mode is locked until reboot: its mode stays %s",
		      cfg.enforce ? "enforce" : "permissive");
		close(fd);
		return EXIT_FAIL;
	}
	cfg.enforce = !strcmp(argv[optind], "enforce");
	rc = write_config(fd, &cfg);
	close(fd);
	return rc ? EXIT_FAIL : EXIT_OK;
}

/* Does keyring @ring link other keyrings, whose keys signatures may use? */
static bool keyring_has_keyrings(key_serial_t ring)
{
	key_serial_t *ids = NULL;
	long n = keyctl_read_alloc(ring, (void **)&ids);
	bool found = false;
	long i;

	for (i = 0; i < n / (long)sizeof(*ids); i++) {
		char *desc = NULL;

		if (keyctl_describe_alloc(ids[i], &desc) >= 0 && !strncmp(desc, "keyring;", 8))
			found = true;
		free(desc);
	}
	free(ids);
	return found;
}

/*
 * Lock: mark the pin directory, freeze the maps that only sigilctl writes,
 * then set locked.  From then on the program refuses, even to root, what
 * would detach it, unpin it or write its maps (Documentation/bpf.rst).
 */
int cmd_bpf_lock(int argc, char **argv)
{
	static const char *const frozen[] = {
		"sigil_heads", "sigil_steps", "sigil_digests", "sigil_mfs",
		"sigil_mf_ents",
	};
	struct sigil_bpf_inode ino = { .flags = SIGIL_BPF_INO_PROTECT };
	struct sigil_bpf_config cfg;
	int rc = cmd_operands(argc, argv, "bpf lock", true), fd, dir, inodes;
	unsigned int i;

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("bpf lock", "no arguments");
	if (read_config(&cfg, &fd))
		return EXIT_ENV;
	if (cfg.locked) {
		if (!opt_json)
			printf("the BPF mode was already locked\n");
		close(fd);
		return EXIT_OK;
	}
	if (!cfg.loaded) {
		warnx("no policy is in force: load one before locking");
		close(fd);
		return EXIT_FAIL;
	}
	if (!cfg.enforce) {
		warnx("the BPF mode is permissive: switch to enforce (sigilctl bpf mode enforce) "
		      "before locking, or it stays permissive until reboot");
		close(fd);
		return EXIT_FAIL;
	}
	if (cfg.keyring && keyring_has_keyrings(cfg.keyring)) {
		warnx("the keyring %u holds keyrings: their keys count too, and the lock "
		      "cannot protect them; unlink them before locking", cfg.keyring);
		close(fd);
		return EXIT_FAIL;
	}
	inodes = bpf_pinned_map("sigil_inodes");
	dir = open(pin_dir(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (inodes < 0 || dir < 0 || bpf_map_update_elem(inodes, &dir, &ino, BPF_ANY)) {
		warnx("protecting %s: %s", pin_dir(), strerror(errno));
		close(fd);
		return EXIT_ENV;
	}
	close(dir);
	close(inodes);
	for (i = 0; i < sizeof(frozen) / sizeof(frozen[0]); i++) {
		int mfd = bpf_pinned_map(frozen[i]);

		if (mfd < 0 || bpf_map_freeze(mfd)) {
			warnx("freezing %s: %s", frozen[i], strerror(errno));
			close(fd);
			return EXIT_ENV;
		}
		close(mfd);
	}
	cfg.locked = 1;
	rc = write_config(fd, &cfg);
	if (!rc && bpf_map_freeze(fd))
		rc = -errno;
	close(fd);
	if (rc) {
		warnx("locking: %s", strerror(-rc));
		return EXIT_FAIL;
	}
	if (!opt_json)
		printf("the BPF mode is locked until reboot\n");
	return EXIT_OK;
}

int cmd_bpf_unload(int argc, char **argv)
{
	struct sigil_bpf_config cfg;
	char path[512];
	struct dirent *e;
	DIR *d;
	int rc = cmd_operands(argc, argv, "bpf unload", true), failed = 0;

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("bpf unload", "no arguments");
	if (read_config(&cfg, NULL))
		return EXIT_ENV;
	if (cfg.locked) {
		warnx("the BPF mode is locked until reboot: it stays");
		return EXIT_FAIL;
	}
	d = opendir(pin_dir());
	if (!d) {
		warnx("%s: %s", pin_dir(), strerror(errno));
		return EXIT_ENV;
	}
	/* Links first: the program stops deciding before its maps go. */
	while ((e = readdir(d)))
		if (!strncmp(e->d_name, "link_", 5)) {
			snprintf(path, sizeof(path), "%s/%s", pin_dir(), e->d_name);
			failed |= unlink(path);
		}
	rewinddir(d);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(path, sizeof(path), "%s/%s", pin_dir(), e->d_name);
			failed |= unlink(path);
		}
	closedir(d);
	if (failed || rmdir(pin_dir())) {
		warnx("unpinning %s: %s", pin_dir(), strerror(errno));
		return EXIT_FAIL;
	}
	if (!opt_json)
		printf("the BPF mode is unloaded\n");
	return EXIT_OK;
}

/* ---- records: log and explain ---- */

static const char *const hook_names[__SIGIL_BPF_HOOK_MAX] = {
	[SIGIL_BPF_HOOK_EXEC] = "bprm_check",
	[SIGIL_BPF_HOOK_MMAP] = "mmap",
	[SIGIL_BPF_HOOK_MPROTECT] = "mprotect",
	[SIGIL_BPF_HOOK_KERNEL_READ] = "kernel_read",
	[SIGIL_BPF_HOOK_KERNEL_LOAD] = "kernel_load",
	[SIGIL_BPF_HOOK_MMAP_ADDR] = "mmap_addr",
};

static const char *const mem_names[] = {
	"file", "anonymous", "writable", "copied",
};

static const char *const mf_state_names[] = {
	"untested", "match", "not_listed", "no_digest", "no_path",
};

static const char *name_of(const char *const *names, unsigned int n, unsigned int i)
{
	return i < n && names[i] ? names[i] : "?";
}

#define NAME(tab, i)	name_of(tab, sizeof(tab) / sizeof(tab[0]), i)

/* One decision as "key=value ..." (or a JSON object), as the log prints it. */
void bpf_print_record(const struct sigil_bpf_record *r)
{
	char digest[2 * SIGIL_BPF_DIGEST_MAX + 16] = "none", why[160] = "";
	bool first = true;

	if (r->algo != SIGIL_HASH_NONE && r->algo < __SIGIL_HASH_MAX &&
	    r->size <= SIGIL_BPF_DIGEST_MAX) {
		int n = snprintf(digest, sizeof(digest), "%s:",
				 sigil_hash_algos[r->algo].name);

		hex_str(digest + n, r->digest, r->size);
	}
	if (r->match == SIGIL_MATCH_ERROR)
		snprintf(why, sizeof(why), "%s: %s",
			 r->error_prop < __SIGIL_PROP_MAX ?
			 sigil_prop_names[r->error_prop] : "policy",
			 strerror(-r->error));
	if (opt_json) {
		putchar('{');
		json_kv_num("time_ns", (long long)r->time_ns, &first);
		json_kv_str("op", NAME(sigil_op_names, r->op), &first);
		json_kv_str("hook", NAME(hook_names, r->hook), &first);
		json_kv_str("memory", NAME(mem_names, r->mem), &first);
		json_kv_str("action", NAME(sigil_action_names, r->action), &first);
		json_kv_str("match", NAME(sigil_match_names, r->match), &first);
		json_kv_bool("enforce", r->enforce, &first);
		if (r->match != SIGIL_MATCH_ERROR)
			json_kv_num("line", r->line, &first);
		else
			json_kv_str("reason", why, &first);
		json_kv_num("pid", r->pid, &first);
		json_kv_str("comm", r->comm, &first);
		json_kv_str("path", r->path[0] ? r->path : "?", &first);
		json_kv_num("dev", r->dev, &first);
		json_kv_num("ino", (long long)r->ino, &first);
		json_kv_str("fsverity_digest", digest, &first);
		json_kv_bool("boot_verified", r->facts & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED), &first);
		json_kv_bool("fsverity_signature",
			     r->facts & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE), &first);
		if (r->sig_error)
			json_kv_num("fsverity_signature_errno", -r->sig_error, &first);
		json_kv_str("manifest", NAME(mf_state_names, r->mf_state), &first);
		if (r->dmv_algo != SIGIL_HASH_NONE && r->dmv_algo < __SIGIL_HASH_MAX &&
		    r->dmv_size <= SIGIL_BPF_DIGEST_MAX) {
			int n = snprintf(digest, sizeof(digest), "%s:",
					 sigil_hash_algos[r->dmv_algo].name);

			hex_str(digest + n, r->dmv_digest, r->dmv_size);
			json_kv_str("dmverity_roothash", digest, &first);
			json_kv_bool("dmverity_signature",
				     r->facts & SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE), &first);
		}
		puts("}");
		return;
	}
	printf("op=%s hook=%s memory=%s action=%s%s match=%s",
	       NAME(sigil_op_names, r->op), NAME(hook_names, r->hook),
	       NAME(mem_names, r->mem), NAME(sigil_action_names, r->action),
	       r->enforce ? "" : "(permissive)", NAME(sigil_match_names, r->match));
	if (r->match == SIGIL_MATCH_ERROR)
		printf(" error=%d reason=\"%s\"", r->error, why);
	else
		printf(" line=%u", r->line);
	printf(" pid=%u comm=%.16s path=%s dev=%u:%u ino=%llu fsverity_digest=%s",
	       r->pid, r->comm, r->path[0] ? r->path : "?", r->dev >> 20,
	       r->dev & 0xfffff, (unsigned long long)r->ino, digest);
	printf(" boot_verified=%s",
	       r->facts & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) ? "yes" : "no");
	if (r->facts & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE))
		printf(" fsverity_sig=valid");
	else if (r->sig_error)
		printf(" fsverity_sig=invalid(%d)", r->sig_error);
	else
		printf(" fsverity_sig=none");
	printf(" manifest=%s", NAME(mf_state_names, r->mf_state));
	if (r->dmv_algo != SIGIL_HASH_NONE && r->dmv_algo < __SIGIL_HASH_MAX &&
	    r->dmv_size <= SIGIL_BPF_DIGEST_MAX) {
		hex_str(digest, r->dmv_digest, r->dmv_size);
		printf(" dmverity_roothash=%s:%s dmverity_sig=%s",
		       sigil_hash_algos[r->dmv_algo].name, digest,
		       r->facts & SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE) ?
		       "valid" : "absent");
	} else {
		printf(" dmverity=none");
	}
	putchar('\n');
}

static int on_record(void *ctx, void *data, size_t size)
{
	if (size >= sizeof(struct sigil_bpf_record))
		bpf_print_record(data);
	return 0;
}

static volatile sig_atomic_t stop_log;

static void on_signal(int sig)
{
	stop_log = 1;
}

/* The denials (and permissive would-be denials) the ring buffer holds. */
int bpf_log(bool follow)
{
	struct ring_buffer *rb;
	int fd = bpf_pinned_map("sigil_log");

	if (fd < 0) {
		warnx("%s/sigil_log: %s", pin_dir(), strerror(-fd));
		return EXIT_ENV;
	}
	rb = ring_buffer__new(fd, on_record, NULL, NULL);
	if (!rb) {
		warnx("sigil_log: %s", strerror(errno));
		close(fd);
		return EXIT_FAIL;
	}
	if (follow) {
		signal(SIGINT, on_signal);
		signal(SIGTERM, on_signal);
		while (!stop_log) {
			if (ring_buffer__poll(rb, 250) < 0 && errno != EINTR)
				break;
			fflush(stdout);
		}
	} else {
		ring_buffer__consume(rb);
	}
	ring_buffer__free(rb);
	close(fd);
	return EXIT_OK;
}

int cmd_bpf_log(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "follow", no_argument, NULL, 'f' }, OPTION_HELP, OPTION_JSON, { NULL },
	};
	bool follow = false;
	int c;

	while ((c = cmd_getopt(argc, argv, "bpf log", ":fh", longopts)) != -1) {
		if (c != 'f')
			return cmd_exit(c);
		follow = true;
	}
	if (optind != argc)
		return usage_error("bpf log", "unknown argument %s", argv[optind]);
	return bpf_log(follow);
}

/*
 * Explain: arm this task's explain entry, then map the file executable
 * (EXECUTE) or hand it to finit_module() (KMODULE).  The program records
 * its decision there and refuses the event, whatever the decision, so
 * that explaining runs and loads nothing.
 */
int bpf_explain(const char *file, unsigned int op)
{
	struct sigil_bpf_explain x = { .armed = 1 };
	int fd, pidfd, map, rc = EXIT_FAIL;
	void *p;

	map = bpf_pinned_map("sigil_explain");
	if (map < 0) {
		warnx("%s/sigil_explain: %s", pin_dir(), strerror(-map));
		return EXIT_ENV;
	}
	fd = open(file, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		warnx("%s: %s", file, strerror(errno));
		close(map);
		return EXIT_FAIL;
	}
	pidfd = syscall(SYS_pidfd_open, getpid(), 0);
	if (pidfd < 0 || bpf_map_update_elem(map, &pidfd, &x, BPF_ANY)) {
		warnx("arming explain: %s", strerror(errno));
		goto out;
	}
	if (op == SIGIL_OP_KMODULE) {
		if (!syscall(SYS_finit_module, fd, "", 0))
			warnx("%s: the module was loaded: the program did not decide", file);
	} else {
		p = mmap(NULL, 1, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p != MAP_FAILED) {
			munmap(p, 1);
			warnx("%s: the mapping was allowed: the program did not decide", file);
		}
	}
	memset(&x, 0, sizeof(x));
	if (bpf_map_lookup_elem(map, &pidfd, &x) || !x.done) {
		warnx("%s: no decision recorded (is a policy in force, and the file "
		      "one that the hook sees?)", file);
		goto out;
	}
	bpf_map_delete_elem(map, &pidfd);
	if (!opt_json)
		printf("%s: ", file);
	bpf_print_record(&x.rec);
	rc = x.rec.action == SIGIL_ACTION_ALLOW ? EXIT_OK : EXIT_FAIL;
out:
	if (pidfd >= 0)
		close(pidfd);
	close(fd);
	close(map);
	return rc;
}

int cmd_bpf_explain(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "op", required_argument, NULL, 'o' }, OPTION_HELP, OPTION_JSON, { NULL },
	};
	unsigned int op = SIGIL_OP_EXECUTE;
	int c;

	while ((c = cmd_getopt(argc, argv, "bpf explain", ":h", longopts)) != -1) {
		if (c != 'o')
			return cmd_exit(c);
		if (!strcmp(optarg, "EXECUTE"))
			op = SIGIL_OP_EXECUTE;
		else if (!strcmp(optarg, "KMODULE"))
			op = SIGIL_OP_KMODULE;
		else
			return usage_error("bpf explain", "--op EXECUTE or KMODULE");
	}
	if (optind != argc - 1)
		return usage_error("bpf explain", "which file?");
	return bpf_explain(argv[optind], op);
}

/* ---- manifests ---- */

/* The line of the @idx-th entry of a manifest text (header excluded). */
static u32 entry_line(const char *text, size_t len, u32 idx)
{
	size_t pos = 0;
	u32 line = 1, seen = 0;
	bool header = false;

	while (pos < len) {
		size_t end = pos;

		while (end < len && text[end] != '\n')
			end++;
		while (pos < end && (text[pos] == ' ' || text[pos] == '\t'))
			pos++;
		if (pos < end && text[pos] != '#' && text[pos] != '\r') {
			if (!header)
				header = true;
			else if (seen++ == idx)
				return line;
		}
		pos = end + 1;
		line++;
	}
	return 0;
}

/* Keep the listings of live loads only; false when none is left. */
static bool prune(struct sigil_bpf_mf_val *v, const struct mf_names *n)
{
	u32 i, k = 0;

	for (i = 0; i < v->n && i < SIGIL_BPF_MF_LISTED; i++) {
		u32 m = v->by[i].manifest;

		if (m < SIGIL_BPF_MANIFESTS && n->m[m].epoch &&
		    n->m[m].epoch == v->by[i].epoch)
			v->by[k++] = v->by[i];
	}
	v->n = k;
	return k;
}

/* Drop every listing that no live load makes: what an update replaced. */
static int sweep(int ents, const struct mf_names *n)
{
	struct sigil_bpf_mf_key *k = calloc(2, sizeof(*k));
	struct sigil_bpf_mf_val v;
	void *prev = NULL;
	int rc = 0;

	if (!k)
		return -ENOMEM;
	while (!bpf_map_get_next_key(ents, prev, &k[1])) {
		k[0] = k[1];
		prev = &k[0];
		if (bpf_map_lookup_elem(ents, &k[0], &v))
			continue;
		if (prune(&v, n)) {
			if (bpf_map_update_elem(ents, &k[0], &v, BPF_EXIST))
				rc = -errno;
		} else if (bpf_map_delete_elem(ents, &k[0])) {
			rc = -errno;
		} else {
			prev = NULL;	/* deleted: start again */
		}
	}
	free(k);
	return rc;
}

/*
 * sigilctl bpf manifest [--keys FILE]... FILE: load a manifest, or update
 * the loaded one of that name to a higher version.  Its entries go in
 * under a new epoch, the manifest's epoch switches in one write, then the
 * old load's listings are swept.  Only fsverity= entries can be matched
 * here: the program cannot hash a file's content.
 */
int cmd_bpf_manifest(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keys", required_argument, NULL, 'K' }, OPTION_HELP, OPTION_JSON, { NULL },
	};
	struct sigil_bpf_config cfg;
	struct sigil_parse_error err;
	struct sigil_manifest *mf = NULL;
	struct sigil_bpf_mf_key *key = NULL;
	struct mf_text t = { 0 };
	struct mf_names names;
	const char *file;
	char why[256];
	int c, rc = EXIT_FAIL, mfs = -1, ents = -1, idx;
	u32 i, epoch = 0;
	u64 version;

	while ((c = cmd_getopt(argc, argv, "bpf manifest", ":h", longopts)) != -1) {
		if (c != 'K')
			return cmd_exit(c);
		if (load_key_file(optarg))
			return EXIT_FAIL;
		text_keys_given = true;
	}
	if (optind != argc - 1)
		return usage_error("bpf manifest", "which manifest file?");
	file = argv[optind];
	if (mf_read_text(file, &t, why, sizeof(why))) {
		printf("%s: error: %s\n", file, why);
		return EXIT_FAIL;
	}
	if (text_check_signature(file, &t))
		goto out;
	if (sigil_manifest_parse(t.text, t.text_len, &mf, &err)) {
		mf_print_parse_error(stdout, file, &err);
		goto out;
	}
	for (i = 0; i < mf->nentries; i++) {
		const struct sigil_manifest_entry *e = &mf->entries[i];
		const char *what = NULL;

		if (e->kind != SIGIL_MANIFEST_FSVERITY)
			what = "a content= entry cannot be matched in BPF mode: the program "
			       "cannot hash a file's content (list its fs-verity digest: fsverity=)";
		else if (e->path_len >= SIGIL_BPF_PATH_MAX)
			what = "a path of 256 bytes or more: longer than BPF mode compares";
		if (what) {
			printf("%s:%u: error: %s\n", file,
			       entry_line(t.text, t.text_len, i), what);
			goto out;
		}
	}
	if (read_config(&cfg, NULL)) {
		rc = EXIT_ENV;
		goto out;
	}
	if (cfg.locked) {
		warnx("the BPF mode is locked until reboot: its manifests stay");
		goto out;
	}
	mfs = bpf_pinned_map("sigil_mfs");
	ents = bpf_pinned_map("sigil_mf_ents");
	if (mfs < 0 || ents < 0 || read_manifests(mfs, &names)) {
		warnx("opening the manifest maps: %s", strerror(errno));
		rc = EXIT_ENV;
		goto out;
	}
	idx = manifest_index(&names, mf->name, strlen(mf->name));
	if (idx < 0) {
		printf("%s:1: error: manifest '%s': no room for another manifest (BPF mode knows %u)\n",
		       file, mf->name, SIGIL_BPF_MANIFESTS);
		goto out;
	}
	version = sigil_manifest_version(mf);
	if (names.m[idx].epoch && version <= names.m[idx].version) {
		printf("%s:1: error: manifest '%s' version %u.%u.%u is not newer than the one loaded (%llu.%llu.%llu): %s\n",
		       file, mf->name, mf->version[0], mf->version[1], mf->version[2],
		       (unsigned long long)(names.m[idx].version >> 32),
		       (unsigned long long)(names.m[idx].version >> 16 & 0xffff),
		       (unsigned long long)(names.m[idx].version & 0xffff),
		       strerror(ESTALE));
		goto out;
	}
	for (i = 0; i < SIGIL_BPF_MANIFESTS; i++)
		if (names.m[i].epoch > epoch)
			epoch = names.m[i].epoch;
	epoch++;
	key = calloc(1, sizeof(*key));
	if (!key)
		goto out;
	for (i = 0; i < mf->nentries; i++) {
		const struct sigil_manifest_entry *e = &mf->entries[i];
		struct sigil_bpf_mf_val v = { 0 };

		memset(key, 0, sizeof(*key));
		key->algo = SIGIL_HASH_SHA256;
		key->size = SIGIL_MANIFEST_DIGEST_SIZE;
		memcpy(key->digest, e->digest, SIGIL_MANIFEST_DIGEST_SIZE);
		memcpy(key->path, sigil_manifest_path(mf, e), e->path_len);
		if (!bpf_map_lookup_elem(ents, key, &v))
			prune(&v, &names);
		if (v.n == SIGIL_BPF_MF_LISTED) {
			printf("%s:%u: error: this path and digest are listed by %u manifests already: more than BPF mode holds\n",
			       file, entry_line(t.text, t.text_len, i), SIGIL_BPF_MF_LISTED);
			goto undo;
		}
		v.by[v.n].manifest = (u32)idx;
		v.by[v.n].epoch = epoch;
		v.n++;
		if (bpf_map_update_elem(ents, key, &v, BPF_ANY)) {
			warnx("%s: adding entry %u: %s (the manifest in force is unchanged)",
			      file, i + 1, strerror(errno));
			goto undo;
		}
	}
	names.m[idx].version = version;
	names.m[idx].epoch = epoch;
	names.m[idx].entries = mf->nentries;
	if (bpf_map_update_elem(mfs, &idx, &names.m[idx], BPF_ANY)) {
		warnx("%s: %s (the manifest in force is unchanged)", file, strerror(errno));
		goto undo;
	}
	sweep(ents, &names);
	if (!opt_json)
		printf("manifest '%s' version %u.%u.%u in force (BPF mode): %u entries\n",
		       mf->name, mf->version[0], mf->version[1], mf->version[2],
		       mf->nentries);
	rc = EXIT_OK;
	goto out;
undo:
	/* The new epoch never went live: sweeping drops what it added. */
	sweep(ents, &names);
out:
	free(key);
	if (mfs >= 0)
		close(mfs);
	if (ents >= 0)
		close(ents);
	if (mf)
		sigil_manifest_free(mf);
	mf_text_free(&t);
	return rc;
}
