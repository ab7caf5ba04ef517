/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The routes to executable memory, as one table that both modes run: the
 * built-in LSM (wx_test.c) and the BPF mode (bpf_mode.c).  Each case maps
 * an allowed file, or no file, some way and says whether the kernel let
 * the memory become executable; the policy in force must allow @allowed
 * by its digest and nothing without a file.
 */
#ifndef _SIGIL_SELFTEST_MEMORY_CASES_H
#define _SIGIL_SELFTEST_MEMORY_CASES_H

#include <stdbool.h>
#include <sys/mman.h>
#include <sys/personality.h>

#include "common.h"

/**
 * struct mem_case - one route to executable memory
 * @name: what it does
 * @try: does it, on @path; 0 when the memory became executable, else
 *	 -errno of the step that was refused
 * @want: 0, or -EACCES
 */
struct mem_case {
	const char *name;
	int (*try)(const char *path);
	int want;
};

static inline void *mc_map(const char *path, int prot, int flags)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	void *p;

	if (fd < 0)
		return MAP_FAILED;
	p = mmap(NULL, 4096, prot, flags, fd, 0);
	close(fd);
	return p;
}

/* The result of an mmap() that should give executable memory. */
static inline int mc_mapped(void *p)
{
	if (p == MAP_FAILED)
		return -errno;
	munmap(p, 4096);
	return 0;
}

/* The result of an mprotect() on @p, which is unmapped afterwards. */
static inline int mc_protect(void *p, int prot)
{
	int rc;

	if (p == MAP_FAILED)
		return -errno;
	rc = mprotect(p, 4096, prot) ? -errno : 0;
	munmap(p, 4096);
	return rc;
}

static inline int mc_rx_private(const char *path)
{
	return mc_mapped(mc_map(path, PROT_READ | PROT_EXEC, MAP_PRIVATE));
}

static inline int mc_rx_shared(const char *path)
{
	return mc_mapped(mc_map(path, PROT_READ | PROT_EXEC, MAP_SHARED));
}

static inline int mc_r_then_rx(const char *path)
{
	return mc_protect(mc_map(path, PROT_READ, MAP_PRIVATE), PROT_READ | PROT_EXEC);
}

static inline int mc_rwx_private(const char *path)
{
	return mc_mapped(mc_map(path, PROT_READ | PROT_WRITE | PROT_EXEC, MAP_PRIVATE));
}

static inline int mc_written_then_rx(const char *path)
{
	char *p = mc_map(path, PROT_READ | PROT_WRITE, MAP_PRIVATE);

	if (p != MAP_FAILED)
		p[64] = (char)0xc3;
	return mc_protect(p, PROT_READ | PROT_EXEC);
}

static inline int mc_rx_then_rwx(const char *path)
{
	return mc_protect(mc_map(path, PROT_READ | PROT_EXEC, MAP_PRIVATE),
			  PROT_READ | PROT_WRITE | PROT_EXEC);
}

/* Exec dropped and restored over the file's own, unwritten pages. */
static inline int mc_rx_r_rx(const char *path)
{
	void *p = mc_map(path, PROT_READ | PROT_EXEC, MAP_PRIVATE);

	if (p != MAP_FAILED && mprotect(p, 4096, PROT_READ)) {
		munmap(p, 4096);
		return -errno;
	}
	return mc_protect(p, PROT_READ | PROT_EXEC);
}

static inline int mc_anon_rwx(const char *path)
{
	return mc_mapped(mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
			      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0));
}

static inline int mc_anon_rw_then_rx(const char *path)
{
	char *p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p != MAP_FAILED)
		p[0] = (char)0xc3;
	return mc_protect(p, PROT_READ | PROT_EXEC);
}

/* personality(READ_IMPLIES_EXEC): a readable mapping is executable too. */
static inline int mc_read_implies_exec(const char *path)
{
	unsigned long old = personality(0xffffffff);
	void *p;

	if (personality(old | READ_IMPLIES_EXEC) == -1)
		return -errno;
	p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	personality(old);
	return mc_mapped(p);
}

/* Is some heap mapping of this process executable? */
static inline bool mc_heap_exec(void)
{
	char line[256];
	bool x = false;
	FILE *f = fopen("/proc/self/maps", "r");

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[heap]") && strchr(line, 'x'))
			x = true;
	if (f)
		fclose(f);
	return x;
}

/* The heap that brk() grows under READ_IMPLIES_EXEC is executable. */
static inline int mc_brk_read_implies_exec(const char *path)
{
	unsigned long old = personality(0xffffffff);
	char *start = sbrk(0), *top;
	int rc;

	/* Past the current break, so that the heap grows by a new mapping. */
	top = (char *)(((unsigned long)start + 8191) & ~4095UL);
	if (personality(old | READ_IMPLIES_EXEC) == -1)
		return -errno;
	rc = brk(top + 4096) ? -EACCES : 0;
	personality(old);
	if (!rc && !mc_heap_exec())
		rc = -ENOEXEC;	/* grew, but not executable: not this kernel's way */
	brk(start);
	return rc;
}

/*
 * The vDSO, which the kernel maps executable without a hook, and writable
 * on request (VM_MAYWRITE, for debuggers' breakpoints): made RWX, its
 * pages would be copies the process writes and runs.  The whole mapping:
 * a special mapping cannot be split (EINVAL).
 */
static inline int mc_vdso_rwx(const char *path)
{
	unsigned long start = 0, end = 0;
	char line[256];
	FILE *f = fopen("/proc/self/maps", "r");
	int rc;

	while (f && fgets(line, sizeof(line), f))
		if (strstr(line, "[vdso]"))
			sscanf(line, "%lx-%lx", &start, &end);
	if (f)
		fclose(f);
	if (!start || end <= start)
		return -ENOENT;
	rc = mprotect((void *)start, end - start,
		      PROT_READ | PROT_WRITE | PROT_EXEC) ? -errno : 0;
	if (!rc)
		mprotect((void *)start, end - start, PROT_READ | PROT_EXEC);
	return rc;
}

static const struct mem_case mem_cases[] = {
	{ "the allowed file, mapped RX private", mc_rx_private, 0 },
	{ "the allowed file, mapped RX shared", mc_rx_shared, 0 },
	{ "the allowed file, mapped R then made RX", mc_r_then_rx, 0 },
	{ "the allowed file, RX, R, RX again over unwritten pages", mc_rx_r_rx, 0 },
	{ "the allowed file, mapped RWX private", mc_rwx_private, -EACCES },
	{ "the allowed file, RW private, written, made RX", mc_written_then_rx, -EACCES },
	{ "the allowed file, RX private, made RWX", mc_rx_then_rwx, -EACCES },
	{ "anonymous memory, mapped RWX", mc_anon_rwx, -EACCES },
	{ "anonymous memory, RW, written, made RX", mc_anon_rw_then_rx, -EACCES },
	{ "anonymous memory, readable under READ_IMPLIES_EXEC", mc_read_implies_exec, -EACCES },
	{ "the heap grown by brk() under READ_IMPLIES_EXEC", mc_brk_read_implies_exec, -EACCES },
	{ "the vDSO, made RWX", mc_vdso_rwx, -EACCES },
};

/*
 * Run every case on @allowed; the number that did not get what they
 * want, each named in @log (a TH_LOG-like printf), or 0.
 */
static inline int run_mem_cases(const char *allowed,
				void (*log)(const char *name, int want, int got))
{
	unsigned int i;
	int bad = 0, got;

	for (i = 0; i < sizeof(mem_cases) / sizeof(mem_cases[0]); i++) {
		got = mem_cases[i].try(allowed);
		if (got != mem_cases[i].want) {
			log(mem_cases[i].name, mem_cases[i].want, got);
			bad++;
		}
	}
	return bad;
}

#endif /* _SIGIL_SELFTEST_MEMORY_CASES_H */
