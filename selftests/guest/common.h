/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Helpers shared by the guest selftests: securityfs access, fs-verity
 * set-up, and running a program to see whether sigil lets it execute.
 */
#ifndef _SIGIL_SELFTEST_COMMON_H
#define _SIGIL_SELFTEST_COMMON_H

#include <errno.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/dm-ioctl.h>
#include <linux/fsverity.h>
#include <linux/keyctl.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#define SFS	"/sys/kernel/security/sigil"
/* The program tests execute: a static binary that exits with 42. */
#define PROG	"/bin/prog42"
#define PROG_EXIT 42
/* The ext4 disk with fs-verity. */
#define DISK	"/mnt"

/* Every test policy has this version, so that tests can swap freely. */
#define TEST_VERSION "1.0.0"

/* Write @len bytes to @path in one write(); 0 or -errno. */
static inline int write_file(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	err = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	close(fd);
	return err;
}

static inline int write_str(const char *path, const char *s)
{
	return write_file(path, s, strlen(s));
}

/* Read up to @size - 1 bytes of @path, NUL-terminated; length or -errno. */
static inline ssize_t read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -errno;
	while (len < size - 1 && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	buf[len] = '\0';
	close(fd);
	return len;
}

static inline int policy_path(char *buf, size_t size, const char *name,
			      const char *file)
{
	return snprintf(buf, size, SFS "/policies/%s/%s", name, file);
}

/* Load a policy text written with printf-style arguments; 0 or -errno. */
static inline int __attribute__((format(printf, 1, 2)))
load_policy(const char *fmt, ...)
{
	char *text;
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = vasprintf(&text, fmt, ap);
	va_end(ap);
	if (rc < 0)
		return -ENOMEM;
	rc = write_str(SFS "/new_policy", text);
	free(text);
	return rc;
}

static inline int policy_write(const char *name, const char *file,
			       const char *value)
{
	char path[512];

	policy_path(path, sizeof(path), name, file);
	return write_str(path, value);
}

/* The first line of policies/@name/@file, without its newline; "" if none. */
static inline const char *policy_line(const char *name, const char *file,
				      char *buf, size_t size)
{
	char path[512];

	policy_path(path, sizeof(path), name, file);
	if (read_file(path, buf, size) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return buf;
}

static inline int activate(const char *name)
{
	return policy_write(name, "active", "1");
}

static inline int delete_policy(const char *name)
{
	return policy_write(name, "delete", "1");
}

static inline int set_enforce(int on)
{
	return write_str(SFS "/enforce", on ? "1" : "0");
}

/*
 * Every test ends by handing control back to this allow-all policy, so that
 * its own policy can be deleted and the next test starts from a known state.
 */
static inline int restore_baseline(void)
{
	int rc = load_policy("policy_name=baseline policy_version=" TEST_VERSION "\n"
			     "DEFAULT action=ALLOW\n");

	if (rc && rc != -EEXIST)
		return rc;
	set_enforce(1);
	return activate("baseline");
}

/* Activate the baseline, then delete @name if it is loaded. */
static inline void drop_policy(const char *name)
{
	restore_baseline();
	delete_policy(name);
}

/* The value of "key: value" in sigil/status, or "" when absent. */
static inline const char *status_get(const char *key, char *buf, size_t size)
{
	static char status[8192];
	size_t klen = strlen(key);
	char *line;

	buf[0] = '\0';
	if (read_file(SFS "/status", status, sizeof(status)) < 0)
		return buf;
	for (line = strtok(status, "\n"); line; line = strtok(NULL, "\n")) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			snprintf(buf, size, "%s", line + klen + 2);
			break;
		}
	}
	return buf;
}

static inline long long status_num(const char *key)
{
	char v[64];

	return atoll(status_get(key, v, sizeof(v)));
}

/* The last line of sigil/log, or "" when it is empty. */
static inline const char *last_log_line(char *buf, size_t size)
{
	static char log[64 * 1024];
	ssize_t n = read_file(SFS "/log", log, sizeof(log));
	char *end, *start;

	buf[0] = '\0';
	if (n <= 0)
		return buf;
	end = log + n;
	if (end[-1] == '\n')
		*--end = '\0';
	start = strrchr(log, '\n');
	start = start ? start + 1 : log;
	n = end - start < (ssize_t)size ? end - start : (ssize_t)size - 1;
	memcpy(buf, start, n);
	buf[n] = '\0';
	return buf;
}

/* Does the last line of sigil/log hold @s?  It is shown when it does not. */
static inline int log_has(const char *s)
{
	char line[1024];

	last_log_line(line, sizeof(line));
	if (strstr(line, s))
		return 1;
	printf("# log: %s\n# want: %s\n", line, s);
	return 0;
}

/* Drop CAP_MAC_ADMIN from this (forked) test process; 0 or -errno. */
static inline int drop_mac_admin(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];

	if (syscall(SYS_capget, &h, d))
		return -errno;
	d[CAP_TO_INDEX(CAP_MAC_ADMIN)].effective &= ~CAP_TO_MASK(CAP_MAC_ADMIN);
	d[CAP_TO_INDEX(CAP_MAC_ADMIN)].permitted &= ~CAP_TO_MASK(CAP_MAC_ADMIN);
	return syscall(SYS_capset, &h, d) ? -errno : 0;
}

/* The serial number of keyring @name, from /proc/keys; 0 if absent. */
static inline long keyring_id(const char *name)
{
	char line[512], want[64];
	long id = 0;
	FILE *f = fopen("/proc/keys", "r");

	if (!f)
		return 0;
	snprintf(want, sizeof(want), " %s:", name);
	while (fgets(line, sizeof(line), f))
		if (strstr(line, " keyring ") && strstr(line, want))
			id = strtol(line, NULL, 16);
	fclose(f);
	return id;
}

static inline long sigil_keyring_id(void)
{
	return keyring_id(".sigil");
}

static inline long add_key(const char *type, const char *desc,
			   const void *data, size_t len, long ring)
{
	return syscall(SYS_add_key, type, desc, data, len, ring);
}

static inline long keyctl(int op, long a, long b, long c, long d)
{
	return syscall(SYS_keyctl, op, a, b, c, d);
}

/* The asymmetric key in @ring with ID @id (hex), or -1. */
static inline long search(long ring, const char *id)
{
	return keyctl(KEYCTL_SEARCH, ring, (long)"asymmetric", (long)id, 0);
}

/* Remove a key from .sigil by its ID in hex; 0 or -errno. */
static inline int keyring_remove(const char *id)
{
	return write_str(SFS "/keyring_remove", id);
}

/* Read a whole file into a malloc()ed buffer. */
static inline void *slurp(const char *path, size_t *len)
{
	struct stat st;
	void *buf;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return NULL;
	if (fstat(fd, &st) || !(buf = malloc(st.st_size + 1))) {
		close(fd);
		return NULL;
	}
	*len = read(fd, buf, st.st_size);
	close(fd);
	return buf;
}

/* The signed files and keys of selftests/fixtures/sig-fixtures. */
#define SIGS	"/sigs"

/* A value from /sigs/ids: a key identifier in hex. */
#define sig_id(key) ids_value(SIGS "/ids", key)

/*
 * The value of KEY=VALUE in a fixture's @file of such lines, or "".  The
 * last four values stay valid.
 */
static inline const char *ids_value(const char *file, const char *key)
{
	static char ids[4][80];
	static int next;
	char line[256], *v = ids[next++ % 4];
	size_t klen = strlen(key);
	FILE *f = fopen(file, "r");

	v[0] = '\0';
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, key, klen) && line[klen] == '=')
			snprintf(v, 80, "%.*s", (int)strcspn(line + klen + 1, "\n"),
				 line + klen + 1);
	if (f)
		fclose(f);
	return v;
}

/* Add the key in the file @path to keyring @ring: its serial, or -1. */
static inline long add_key_file(const char *path, long ring)
{
	size_t len;
	void *buf = slurp(path, &len);
	long rc;

	if (!buf)
		return -1;
	rc = add_key("asymmetric", "", buf, len, ring);
	free(buf);
	return rc;
}

/*
 * Add /sigs/keys/@file to @ring unless the key named @id_key in /sigs/ids
 * is there already: adding a key again would empty the verdict cache.
 */
static inline int ensure_key(long ring, const char *id_key, const char *file)
{
	char id[96], path[128];

	snprintf(id, sizeof(id), "id:%s", sig_id(id_key));
	if (search(ring, id) >= 0)
		return 0;
	snprintf(path, sizeof(path), SIGS "/keys/%s", file);
	return add_key_file(path, ring) < 0 ? -errno : 0;
}

/* Copy @src to @dst, then append @extra bytes so that digests differ. */
static inline int copy_file(const char *src, const char *dst, const char *extra)
{
	char buf[65536];
	int in, out;
	ssize_t n;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0755);
	if (out < 0) {
		close(in);
		return -errno;
	}
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(out, buf, n) != n)
			n = -1;
	if (extra && write(out, extra, strlen(extra)) < 0)
		n = -1;
	close(in);
	if (close(out) || n < 0)
		return -EIO;
	return 0;
}

/*
 * Enable fs-verity on @path (sha256, 4 KiB blocks), with the builtin
 * signature @sig of @len bytes, or none; 0 or -errno.
 */
static inline int enable_verity_sig(const char *path, const void *sig,
				    size_t len)
{
	struct fsverity_enable_arg arg = {
		.version = 1,
		.hash_algorithm = FS_VERITY_HASH_ALG_SHA256,
		.block_size = 4096,
		.sig_size = len,
		.sig_ptr = (unsigned long)sig,
	};
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return -errno;
	rc = ioctl(fd, FS_IOC_ENABLE_VERITY, &arg) ? -errno : 0;
	close(fd);
	return rc;
}

static inline int enable_verity(const char *path)
{
	return enable_verity_sig(path, NULL, 0);
}

/* The fs-verity digest of @path as lower-case hex; 0 or -errno. */
static inline int verity_digest(const char *path, char hex[65])
{
	struct {
		struct fsverity_digest d;
		unsigned char buf[64];
	} m = { .d.digest_size = 64 };
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	int rc, i;

	if (fd < 0)
		return -errno;
	rc = ioctl(fd, FS_IOC_MEASURE_VERITY, &m) ? -errno : 0;
	close(fd);
	if (rc)
		return rc;
	if (m.d.digest_size != 32)
		return -EINVAL;
	for (i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", m.d.digest[i]);
	return 0;
}

/* Copy PROG to @dst, with fs-verity when @verity; idempotent. */
static inline int make_prog(const char *dst, const char *extra, int verity)
{
	struct stat st;
	int rc;

	if (!stat(dst, &st))
		return 0;
	rc = copy_file(PROG, dst, extra);
	if (!rc && verity)
		rc = enable_verity(dst);
	return rc;
}

/* mmap @path with PROT_EXEC; 0 or -errno. */
static inline int map_exec(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;
	int rc = 0;

	if (fd < 0)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED)
		rc = -errno;
	else
		munmap(p, 4096);
	close(fd);
	return rc;
}

/* Write byte @c at offset 100 of @path, in an open, write, close. */
static inline int poke(const char *path, unsigned char c)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (pwrite(fd, &c, 1, 100) != 1)
		rc = -EIO;
	close(fd);
	return rc;
}

/**
 * struct race_result - what map_while_written() saw
 * @allowed: mappings allowed
 * @refused: mappings refused
 * @wrong: allowed mappings that held the writer's byte
 */
struct race_result {
	int allowed;
	int refused;
	int wrong;
};

/*
 * @rounds times: restore byte 100 of @path to @good (a write open, so no
 * verdict or digest stays cached and the mapping hashes the file again),
 * then map @path PROT_EXEC while a child changes that byte in an open,
 * write, close of its own, 0 to 22 ms after the mapping began: while the
 * content is being read, behind the part already read.  A mapping allowed
 * keeps writers out while its file is open, so the byte it holds is the
 * one it was allowed on.  Returns 0, or -errno when the setup failed.
 */
static inline int map_while_written(const char *path, unsigned char good,
				    int rounds, struct race_result *res)
{
	int i, fd, go[2], status;
	unsigned char *p, byte;
	pid_t writer;

	memset(res, 0, sizeof(*res));
	for (i = 0; i < rounds; i++) {
		if (poke(path, good) || pipe2(go, O_CLOEXEC))
			return -errno;
		writer = fork();
		if (writer < 0)
			return -errno;
		if (!writer) {
			close(go[1]);
			if (read(go[0], &byte, 1) != 1)
				_exit(1);
			usleep(2000 * (i % 12));
			_exit(poke(path, good ^ 0xff) ? 2 : 0);
		}
		close(go[0]);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0 || write(go[1], "g", 1) != 1)
			return -EIO;
		close(go[1]);
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED) {
			res->refused++;
		} else {
			res->allowed++;
			if (p[100] != good)
				res->wrong++;
			munmap(p, 4096);
		}
		close(fd);
		waitpid(writer, &status, 0);
	}
	return poke(path, good);
}

/*
 * In a child, execveat(@dirfd, @path, @argv, no environment, @flags).
 * Returns its exit status (0-255), or -errno when the exec itself failed,
 * as reported through a pipe.
 */
static inline int run_argv_at(int dirfd, const char *path, char *const argv[],
			      int flags)
{
	int pipefd[2], status, err = 0;
	pid_t pid;

	if (pipe2(pipefd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		char *envp[] = { NULL };

		syscall(SYS_execveat, dirfd, path, argv, envp, flags);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) < 0)
			_exit(254);
		_exit(255);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -errno;
	if (err)
		return -err;
	return WIFEXITED(status) ? WEXITSTATUS(status) : -ECHILD;
}

/* As run_argv_at(), with @arg as the one argument, or none when NULL. */
static inline int run_at(int dirfd, const char *path, const char *arg,
			 int flags)
{
	char *argv[] = { (char *)path, (char *)arg, NULL };

	return run_argv_at(dirfd, path, argv, flags);
}

/* Execute @path with @arg as its one argument, or none: as run_at(). */
static inline int run_arg(const char *path, const char *arg)
{
	return run_at(AT_FDCWD, path, arg, 0);
}

/* Execute @path with no arguments: as run_at(). */
static inline int run(const char *path)
{
	return run_at(AT_FDCWD, path, NULL, 0);
}

/*
 * dm-verity volumes from selftests/fixtures/dmverity-fixtures: read-only
 * disks with serials dmv-a and dmv-b, and their parameters in PARAMS.  They
 * are opened through the device-mapper ioctls, as veritysetup opens them,
 * and mounted on VOL/<name>.
 */
#define PARAMS	"/dmv/params"
#define VOL	"/vol"

/*
 * The value of KEY in /dmv/params, or "" when absent; in a static buffer
 * that the next call overwrites.
 */
static inline const char *param(const char *key)
{
	static char text[4096], value[256];
	size_t klen = strlen(key);
	char *line;

	value[0] = '\0';
	if (read_file(PARAMS, text, sizeof(text)) < 0)
		return value;
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		if (!strncmp(line, key, klen) && line[klen] == '=')
			snprintf(value, sizeof(value), "%s", line + klen + 1);
	return value;
}

/* Volume @vol's parameter @what (A_ROOTHASH: 'A', "ROOTHASH") in @buf. */
static inline char *vol_param(char vol, const char *what, char *buf, size_t size)
{
	char key[32];

	snprintf(key, sizeof(key), "%c_%s", vol, what);
	snprintf(buf, size, "%s", param(key));
	return buf;
}

/* "MAJOR:MINOR" of the virtio disk whose serial is @serial; 0 or -errno. */
static inline int disk_by_serial(const char *serial, char *dev, size_t size)
{
	char path[64], buf[64];
	int i;

	for (i = 0; i < 26; i++) {
		snprintf(path, sizeof(path), "/sys/block/vd%c/serial", 'a' + i);
		if (read_file(path, buf, sizeof(buf)) < 0)
			continue;
		buf[strcspn(buf, "\n")] = '\0';
		if (strcmp(buf, serial))
			continue;
		snprintf(path, sizeof(path), "/sys/block/vd%c/dev", 'a' + i);
		if (read_file(path, dev, size) < 0)
			return -errno;
		dev[strcspn(dev, "\n")] = '\0';
		return 0;
	}
	return -ENODEV;
}

/* One device-mapper ioctl with @params as its only target's table line. */
static inline int dm_ioctl(unsigned long cmd, const char *name, unsigned int flags,
		    unsigned long long sectors, const char *params,
		    dev_t *dev)
{
	struct {
		struct dm_ioctl io;
		struct dm_target_spec spec;
		char params[1024];
	} req;
	int fd, rc;

	memset(&req, 0, sizeof(req));
	req.io.version[0] = DM_VERSION_MAJOR;
	req.io.data_size = sizeof(req);
	req.io.data_start = offsetof(typeof(req), spec);
	req.io.flags = flags;
	snprintf(req.io.name, sizeof(req.io.name), "%s", name);
	if (params) {
		req.io.target_count = 1;
		req.spec.length = sectors;
		snprintf(req.spec.target_type, sizeof(req.spec.target_type), "verity");
		snprintf(req.params, sizeof(req.params), "%s", params);
	}
	fd = open("/dev/mapper/control", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	rc = ioctl(fd, cmd, &req) ? -errno : 0;
	close(fd);
	if (!rc && dev)
		*dev = req.io.dev;
	return rc;
}

/*
 * Load volume @vol's verity table into device @name, with the signature
 * file @sig (or none), and make it live.  The signature goes to dm-verity
 * as veritysetup passes it: a "user" key named in the table.
 */
static inline int verity_table(const char *name, char vol, const char *sig, int create)
{
	char disk[32], serial[16], table[640], desc[64] = "";
	char start[32], alg[32], root[160], salt[160], nblocks[32];
	unsigned long long blocks;
	long keyid = 0;
	size_t len;
	void *blob;
	int rc;

	snprintf(serial, sizeof(serial), "dmv-%c", vol - 'A' + 'a');
	rc = disk_by_serial(serial, disk, sizeof(disk));
	if (rc)
		return rc;
	blocks = strtoull(vol_param(vol, "DATA_BLOCKS", nblocks, sizeof(nblocks)), NULL, 10);
	vol_param(vol, "HASH_START", start, sizeof(start));
	vol_param(vol, "ROOTHASH", root, sizeof(root));
	vol_param(vol, "SALT", salt, sizeof(salt));
	snprintf(alg, sizeof(alg), "%s", param("HASH_ALG"));
	if (sig) {
		blob = slurp(sig, &len);
		if (!blob)
			return -ENOENT;
		snprintf(desc, sizeof(desc), "sigil-test:%s", name);
		keyid = add_key("user", desc, blob, len, KEY_SPEC_THREAD_KEYRING);
		free(blob);
		if (keyid < 0)
			return -errno;
	}
	snprintf(table, sizeof(table),
		 "1 %s %s 4096 4096 %llu %s %s %s %s%s%s", disk, disk, blocks,
		 start, alg, root, salt,
		 sig ? " 2 root_hash_sig_key_desc " : "", desc);
	if (create)
		rc = dm_ioctl(DM_DEV_CREATE, name, 0, 0, NULL, NULL);
	if (!rc)
		rc = dm_ioctl(DM_TABLE_LOAD, name, DM_READONLY_FLAG, blocks * 8,
			      table, NULL);
	if (!rc)	/* resume: the loaded table goes live */
		rc = dm_ioctl(DM_DEV_SUSPEND, name, 0, 0, NULL, NULL);
	if (rc && create)
		dm_ioctl(DM_DEV_REMOVE, name, 0, 0, NULL, NULL);
	if (keyid > 0)
		keyctl(KEYCTL_REVOKE, keyid, 0, 0, 0);
	return rc;
}

/* Open volume @vol as device @name and mount it on VOL/@name. */
static inline int open_volume(const char *name, char vol, const char *sig)
{
	char node[64], dir[64];
	struct stat st;
	dev_t dev = 0;
	int rc;

	snprintf(dir, sizeof(dir), VOL "/%s", name);
	snprintf(node, sizeof(node), "/dev/sigil-%s", name);
	if (!stat(node, &st))
		return 0;	/* opened by an earlier test of this boot */
	rc = verity_table(name, vol, sig, 1);
	if (rc)
		return rc;
	rc = dm_ioctl(DM_DEV_STATUS, name, 0, 0, NULL, &dev);
	if (rc)
		return rc;
	mkdir(VOL, 0755);
	mkdir(dir, 0755);
	if (mknod(node, S_IFBLK | 0600, dev) ||
	    mount(node, dir, "ext4", MS_RDONLY, NULL))
		return -errno;
	return 0;
}

#endif /* _SIGIL_SELFTEST_COMMON_H */
