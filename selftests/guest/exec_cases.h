/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The routes from a file to running code, as one table that both modes
 * run: the built-in LSM (exec_routes_test.c) and the BPF mode
 * (bpf_mode.c).  Each tries to run an unlisted program some way; the
 * policy in force lets the initramfs run and not the program, so every
 * route must be refused.
 */
#ifndef _SIGIL_SELFTEST_EXEC_CASES_H
#define _SIGIL_SELFTEST_EXEC_CASES_H

#include <sys/mman.h>
#include <sys/wait.h>

#include "common.h"

#define EC_LDSO	"/lib64/ld-linux-x86-64.so.2"

/**
 * struct exec_case - one route to running an unlisted program
 * @name: what it does
 * @try: does it with @prog (static) and @dyn (a dynamic program), both
 *	 unlisted, in directory @dir; 0 when the program ran, else the
 *	 -errno that refused it (-ECHILD: the loader failed to run it)
 */
struct exec_case {
	const char *name;
	int (*try)(const char *prog, const char *dyn, const char *dir);
};

static inline int ec_status(int rc)
{
	return rc < 0 ? rc : 0;
}

static inline int ec_execve(const char *prog, const char *dyn, const char *dir)
{
	return ec_status(run(prog));
}

static inline int ec_execveat_fd(const char *prog, const char *dyn, const char *dir)
{
	int fd = open(prog, O_RDONLY | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = run_at(fd, "", NULL, AT_EMPTY_PATH);
	close(fd);
	return ec_status(rc);
}

static inline int ec_execveat_opath(const char *prog, const char *dyn, const char *dir)
{
	int fd = open(prog, O_PATH | O_CLOEXEC), rc;

	if (fd < 0)
		return -errno;
	rc = run_at(fd, "", NULL, AT_EMPTY_PATH);
	close(fd);
	return ec_status(rc);
}

static inline int ec_execveat_dir(const char *prog, const char *dyn, const char *dir)
{
	const char *base = strrchr(prog, '/');
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0 || !base)
		return -EINVAL;
	rc = run_at(fd, base + 1, NULL, 0);
	close(fd);
	return ec_status(rc);
}

static inline int ec_proc_fd(const char *prog, const char *dyn, const char *dir)
{
	char path[64];
	int fd = open(prog, O_RDONLY), rc;

	if (fd < 0)
		return -errno;
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	rc = run(path);
	close(fd);
	return ec_status(rc);
}

static inline int ec_links(const char *prog, const char *dyn, const char *dir)
{
	char sym[256], hard[256];
	int rc;

	snprintf(sym, sizeof(sym), "%s/ec-symlink", dir);
	snprintf(hard, sizeof(hard), "%s/ec-hardlink", dir);
	unlink(sym);
	unlink(hard);
	if (symlink(prog, sym) || link(prog, hard))
		return -EINVAL;
	rc = run(sym);
	if (rc != -EACCES)
		return ec_status(rc);
	return ec_status(run(hard));
}

static inline int ec_memfd(const char *prog, const char *dyn, const char *dir)
{
	size_t len;
	void *bytes = slurp(prog, &len), *p;
	int fd = memfd_create("exec-case", MFD_CLOEXEC), rc;

	if (!bytes || fd < 0 || write(fd, bytes, len) != (ssize_t)len) {
		free(bytes);
		return -EINVAL;
	}
	free(bytes);
	rc = run_at(fd, "", NULL, AT_EMPTY_PATH);
	if (rc == -EACCES) {
		p = mmap(NULL, 4096, PROT_READ | PROT_EXEC, MAP_SHARED, fd, 0);
		rc = p == MAP_FAILED ? -errno : 0;
		if (p != MAP_FAILED)
			munmap(p, 4096);
	}
	close(fd);
	return ec_status(rc);
}

/* The loader, which the initramfs lets run, maps the program itself. */
static inline int ec_ldso(const char *prog, const char *dyn, const char *dir)
{
	char *argv[] = { EC_LDSO, (char *)dyn, "--version", NULL }, *envp[] = { NULL };
	int status;
	pid_t pid;

	if (access(EC_LDSO, X_OK) || access(dyn, R_OK))
		return -ENOENT;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		dup2(null, 2);
		execve(EC_LDSO, argv, envp);
		_exit(255);
	}
	if (waitpid(pid, &status, 0) != pid)
		return -EINVAL;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -ECHILD;
}

static const struct exec_case exec_cases[] = {
	{ "execve()", ec_execve },
	{ "execveat() of a descriptor", ec_execveat_fd },
	{ "execveat() of an O_PATH descriptor", ec_execveat_opath },
	{ "execveat() relative to a directory", ec_execveat_dir },
	{ "/proc/self/fd/N", ec_proc_fd },
	{ "a symlink and a hard link", ec_links },
	{ "a memfd with the same bytes, run and mapped", ec_memfd },
	{ "the dynamic loader run by hand", ec_ldso },
};

/* Run every route; the number that ran the program, each named in @log. */
static inline int run_exec_cases(const char *prog, const char *dyn, const char *dir,
				 void (*log)(const char *name, int got))
{
	unsigned int i;
	int bad = 0, got;

	for (i = 0; i < sizeof(exec_cases) / sizeof(exec_cases[0]); i++) {
		got = exec_cases[i].try(prog, dyn, dir);
		if (got != -EACCES && got != -ECHILD) {
			log(exec_cases[i].name, got);
			bad++;
		}
	}
	return bad;
}

#endif /* _SIGIL_SELFTEST_EXEC_CASES_H */
