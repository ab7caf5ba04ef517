// SPDX-License-Identifier: GPL-2.0-only
/*
 * A process that passes itself off as another program: run by the dynamic
 * loader by hand ("ld.so /bin/exe_swap PROGRAM"), so that its executable
 * is ld.so, it unmaps ld.so, makes PROGRAM its executable with
 * prctl(PR_SET_MM_EXE_FILE) and asks for anonymous executable memory.
 * wx_test runs it with PROGRAM the one program whose JIT the policy
 * allows.  The exit status says how far it got (the JIT statuses are
 * wx_test's).
 *
 * Dynamic, and linked with -z now: after the unmapping nothing may call
 * into ld.so, so every symbol is bound at start, and it leaves by _exit(),
 * without the atexit() handlers that ld.so registered.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <unistd.h>

enum {
	SWAP_JIT_OK		= 0,
	SWAP_JIT_RWX_DENIED	= 11,
	SWAP_JIT_RWX_OTHER	= 12,
	SWAP_JIT_RWX_WRONG	= 13,
	SWAP_USAGE		= 30,
	SWAP_NO_MAPS		= 31,	/* its executable's mappings not found */
	SWAP_UNMAP_FAILED	= 32,
	SWAP_PRCTL_FAILED	= 33,	/* the executable is still its own */
};

#define MAX_MAPS	16

/* mov eax, 42; ret */
static const unsigned char code[] = { 0xb8, 42, 0, 0, 0, 0xc3 };

int main(int argc, char **argv)
{
	unsigned long start[MAX_MAPS], end[MAX_MAPS];
	char exe[256], line[512];
	int n = 0, fd, i;
	ssize_t len;
	FILE *maps;
	void *p;

	if (argc != 2)
		_exit(SWAP_USAGE);
	fd = open(argv[1], O_RDONLY | O_CLOEXEC);
	len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	maps = fopen("/proc/self/maps", "r");
	if (fd < 0 || len <= 0 || !maps)
		_exit(SWAP_USAGE);
	exe[len] = '\0';
	while (n < MAX_MAPS && fgets(line, sizeof(line), maps)) {
		char *path = strchr(line, '/');

		if (path && !strncmp(path, exe, len) && path[len] == '\n' &&
		    sscanf(line, "%lx-%lx", &start[n], &end[n]) == 2)
			n++;
	}
	fclose(maps);
	if (!n)
		_exit(SWAP_NO_MAPS);

	for (i = 0; i < n; i++)
		if (munmap((void *)start[i], end[i] - start[i]))
			_exit(SWAP_UNMAP_FAILED);
	if (prctl(PR_SET_MM, PR_SET_MM_EXE_FILE, fd, 0, 0))
		_exit(SWAP_PRCTL_FAILED);

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE | PROT_EXEC,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		_exit(errno == EACCES ? SWAP_JIT_RWX_DENIED : SWAP_JIT_RWX_OTHER);
	memcpy(p, code, sizeof(code));
	_exit(((int (*)(void))p)() == 42 ? SWAP_JIT_OK : SWAP_JIT_RWX_WRONG);
}
