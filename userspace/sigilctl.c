// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl: keys, policies, signatures and explanations for sigil.  Git-
 * style commands ("sigilctl policy load FILE"); every command takes --help,
 * and those whose output a script would read take --json.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "sigilctl.h"

/* sigil's version, from SIGIL_VERSION in the Makefile. */
#ifndef SIGIL_VERSION
#error "SIGIL_VERSION is not defined: build sigilctl with make"
#endif

bool opt_json;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/*
 * Every command: dispatch, "sigilctl --help", "sigilctl GROUP --help",
 * "sigilctl COMMAND --help" and usage errors all read this table, and the
 * bash completion offers the same commands (the host test checks it).
 */
const struct sigilctl_cmd sigilctl_cmds[] = {
	{ "key", "add", cmd_key_add, "[--also-fsverity] [--dry-run] FILE...",
	  "load OpenPGP keys and X.509 certificates into .sigil" },
	{ "key", "list", cmd_key_list, "", "list the keys in .sigil" },
	{ "key", "lock", cmd_key_lock, "", "lock .sigil until reboot" },
	{ "policy", "check", cmd_policy_check, "FILE...",
	  "check policies offline, with the kernel's parser" },
	{ "policy", "load", cmd_policy_load, "FILE",
	  "load a policy (signed, or plain on test kernels)" },
	{ "policy", "update", cmd_policy_update, "NAME FILE",
	  "replace a loaded policy with a newer version" },
	{ "policy", "activate", cmd_policy_activate, "NAME",
	  "enforce a loaded policy" },
	{ "policy", "delete", cmd_policy_delete, "NAME",
	  "unload a policy that is not active" },
	{ "policy", "sign", cmd_policy_sign,
	  "[--pkcs7 --key KEY --cert CERT | --pgp [--pgp-key ID]] [--detached-container] -o OUT FILE",
	  "check a policy, then sign it in a form the kernel takes" },
	{ "policy", "list", cmd_policy_list, "", "list the loaded policies" },
	{ "policy", "show", cmd_policy_show, "NAME",
	  "print a loaded policy and what is known of it" },
	{ NULL, "status", cmd_status, "", "mode, active policy, keys, counters" },
	{ NULL, "log", cmd_log, "[--follow]", "the latest decisions" },
	{ NULL, "explain", cmd_explain,
	  "PATH|--anonymous [--op OP] [--program PROG] [--policy FILE]",
	  "which rule decides for a file, and on what facts" },
	{ NULL, "sign", cmd_sign,
	  "--fsverity|--ima [--v3]|--pgp [--kind 1|2] [--key KEY --cert CERT | --pgp-key ID] "
	  "[--all] [--jobs N] [--quiet] [--no-enable] PATH...",
	  "sign files and trees in place: fs-verity, security.ima, security.sigil" },
	{ NULL, "verify", cmd_verify, "[--keys FILE]... [--keyring] [--all] PATH...",
	  "check the signatures on files offline, against key files or .sigil" },
	{ NULL, "help", cmd_help, "[GROUP] [COMMAND]",
	  "list the commands, or describe one (also --help, -h)" },
	{ NULL, "version", cmd_version, "", "print sigilctl's version (also --version)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

static bool is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Is @c the first command of its group in the table? */
static bool first_of_group(const struct sigilctl_cmd *c)
{
	const struct sigilctl_cmd *p;

	for (p = sigilctl_cmds; p != c; p++)
		if (p->group && !strcmp(p->group, c->group))
			return false;
	return true;
}

/* The group named @word ("key"), as the table spells it, or NULL. */
static const char *find_group(const char *word)
{
	const struct sigilctl_cmd *c;

	for (c = sigilctl_cmds; c->name; c++)
		if (c->group && !strcmp(c->group, word))
			return c->group;
	return NULL;
}

/* Command @name of @group, or the top-level command @name when @group is NULL. */
static const struct sigilctl_cmd *find_cmd(const char *group, const char *name)
{
	const struct sigilctl_cmd *c;

	for (c = sigilctl_cmds; c->name; c++)
		if (!c->group == !group && (!group || !strcmp(c->group, group)) &&
		    !strcmp(c->name, name))
			return c;
	return NULL;
}

/* One line per command of @group, or of every command when @group is NULL. */
static void list_cmds(FILE *f, const char *group)
{
	const struct sigilctl_cmd *c;

	for (c = sigilctl_cmds; c->name; c++) {
		char name[64];

		if (group && (!c->group || strcmp(c->group, group)))
			continue;
		snprintf(name, sizeof(name), "%s%s%s",
			 !group && c->group ? c->group : "",
			 !group && c->group ? " " : "", c->name);
		fprintf(f, "  %-16s %s\n", name, c->summary);
	}
}

static void usage(FILE *f)
{
	const struct sigilctl_cmd *c;
	const char *sep = "";

	fprintf(f, "usage: sigilctl [--json] COMMAND [ARGS]\n\ncommands:\n");
	list_cmds(f, NULL);
	fprintf(f, "\n'sigilctl COMMAND --help' describes a command; 'sigilctl GROUP --help' lists\n"
		   "the commands of a GROUP (");
	for (c = sigilctl_cmds; c->name; c++)
		if (c->group && first_of_group(c)) {
			fprintf(f, "%s%s", sep, c->group);
			sep = ", ";
		}
	fprintf(f, "). See sigilctl(8).\n"
		   "exit status: 0 done, 1 failed or refused, 2 usage, 3 no sigil here\n");
}

/* "sigilctl key", "sigilctl key --help": the commands of @group. */
static void group_usage(FILE *f, const char *group)
{
	fprintf(f, "usage: sigilctl %s COMMAND [ARGS]\n\ncommands:\n", group);
	list_cmds(f, group);
	fprintf(f, "\n'sigilctl %s COMMAND --help' describes a command; see sigilctl(8).\n",
		group);
}

/* "usage: sigilctl key add [--also-fsverity] [--dry-run] FILE..." */
static void usage_line(FILE *f, const struct sigilctl_cmd *c)
{
	fprintf(f, "usage: sigilctl %s%s%s%s%s\n", c->group ? c->group : "",
		c->group ? " " : "", c->name, *c->args ? " " : "", c->args);
}

/* What "sigilctl COMMAND --help" prints, on stdout. */
static void describe(const struct sigilctl_cmd *c)
{
	usage_line(stdout, c);
	printf("  %s\nSee sigilctl(8) for the options and exit codes.\n", c->summary);
}

/* ---- shared helpers ---- */

const char *sfs_dir(void)
{
	const char *d = getenv("SIGIL_SECURITYFS");

	return d && *d ? d : "/sys/kernel/security/sigil";
}

int sfs_path(char *buf, size_t size, const char *fmt, ...)
{
	int n = snprintf(buf, size, "%s/", sfs_dir());
	va_list ap;

	va_start(ap, fmt);
	n += vsnprintf(buf + n, size - n, fmt, ap);
	va_end(ap);
	return n;
}

bool sigil_present(void)
{
	char path[512];
	struct stat st;

	sfs_path(path, sizeof(path), "status");
	if (!stat(path, &st))
		return true;
	warnx("%s: no sigil in this kernel (is securityfs mounted, and sigil in lsm=?)",
	      sfs_dir());
	return false;
}

/* Is @c the command @cmd names: "add" or "key add"? */
static bool is_cmd(const struct sigilctl_cmd *c, const char *cmd)
{
	size_t g = c->group ? strlen(c->group) : 0;

	if (g)
		return !strncmp(cmd, c->group, g) && cmd[g] == ' ' &&
		       !strcmp(cmd + g + 1, c->name);
	return !strcmp(cmd, c->name);
}

int usage_error(const char *cmd, const char *fmt, ...)
{
	const struct sigilctl_cmd *c;
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	for (c = sigilctl_cmds; c->name; c++)
		if (is_cmd(c, cmd))
			usage_line(stderr, c);
	return EXIT_USAGE;
}

/*
 * 1 when argv holds --help or -h: the usage of @cmd ("policy list", or
 * "status") went to stdout.
 */
int help_requested(int argc, char **argv, const char *cmd)
{
	const struct sigilctl_cmd *c;
	int i;

	for (i = 1; i < argc; i++)
		if (is_help(argv[i]))
			break;
	if (i == argc)
		return 0;
	for (c = sigilctl_cmds; c->name; c++)
		if (is_cmd(c, cmd))
			describe(c);
	return 1;
}

int read_all(const char *path, u8 **buf, size_t *len)
{
	size_t cap = 65536, n = 0;
	int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
	u8 *b;
	ssize_t r;

	if (fd < 0)
		return -errno;
	b = malloc(cap + 1);
	if (!b)
		return -ENOMEM;
	while ((r = read(fd, b + n, cap - n)) > 0) {
		n += r;
		if (n == cap) {
			u8 *g = realloc(b, 2 * cap + 1);

			if (!g) {
				free(b);
				return -ENOMEM;
			}
			b = g;
			cap *= 2;
		}
	}
	if (fd)
		close(fd);
	if (r < 0) {
		free(b);
		return -errno;
	}
	b[n] = '\0';
	*buf = b;
	*len = n;
	return 0;
}

/* Write @buf to @path in one write(), as sigil wants policies. */
int write_once(const char *path, const void *buf, size_t len)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int rc;

	if (fd < 0)
		return -errno;
	n = write(fd, buf, len);
	rc = n < 0 ? -errno : (size_t)n == len ? 0 : -EIO;
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}

/* A "key: value" of sigil/status, malloc()ed, or NULL. */
char *status_value(const char *key)
{
	char path[512], *line, *save, *val = NULL;
	size_t len, klen = strlen(key);
	u8 *buf;

	sfs_path(path, sizeof(path), "status");
	if (read_all(path, &buf, &len))
		return NULL;
	for (line = strtok_r((char *)buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			val = strdup(line + klen + (line[klen + 1] == ' ' ? 2 : 1));
			break;
		}
	free(buf);
	return val;
}

void hex_str(char *out, const u8 *bytes, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", bytes[i]);
	out[2 * n] = '\0';
}

/* ---- dispatch ---- */

/*
 * "unknown command 'key frob'; see 'sigilctl key --help'": one line, exit
 * status 2.  @group is NULL for a top-level word.
 */
static int unknown_cmd(const char *group, const char *word)
{
	bool opt = *word == '-';

	warnx("unknown %s '%s%s%s'; see 'sigilctl %s%s--help'",
	      opt ? "option" : "command", group && !opt ? group : "",
	      group && !opt ? " " : "", word, group ? group : "", group ? " " : "");
	return EXIT_USAGE;
}

/* help [GROUP] [COMMAND]: what --help prints, at each level. */
static int cmd_help(int argc, char **argv)
{
	const struct sigilctl_cmd *c;
	const char *group;

	if (help_requested(argc, argv, "help"))
		return EXIT_OK;
	if (argc < 2) {
		usage(stdout);
		return EXIT_OK;
	}
	group = find_group(argv[1]);
	if (argc > (group ? 3 : 2))
		return usage_error("help", "one command at a time");
	if (group && argc == 2) {
		group_usage(stdout, group);
		return EXIT_OK;
	}
	c = group ? find_cmd(group, argv[2]) : find_cmd(NULL, argv[1]);
	if (!c)
		return unknown_cmd(group, argv[group ? 2 : 1]);
	describe(c);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	if (help_requested(argc, argv, "version"))
		return EXIT_OK;
	if (argc > 1)
		return usage_error("version", "no arguments");
	printf("sigilctl %s\n", SIGIL_VERSION);
	return EXIT_OK;
}

int main(int argc, char **argv)
{
	const struct sigilctl_cmd *c;
	const char *word, *group;
	int i, j;

	/* Messages start "sigilctl: " however sigilctl was run. */
	program_invocation_short_name = (char *)"sigilctl";

	/* --json may come anywhere: take it out. */
	for (i = j = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json"))
			opt_json = true;
		else
			argv[j++] = argv[i];
	}
	argc = j;
	argv[argc] = NULL;

	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	/* sigilctl's own options are commands: --help is help, --version version. */
	word = argv[1];
	if (is_help(word))
		word = "help";
	else if (!strcmp(word, "--version"))
		word = "version";
	c = find_cmd(NULL, word);
	if (c)
		return c->fn(argc - 1, argv + 1);

	group = find_group(word);
	if (!group)
		return unknown_cmd(NULL, word);
	if (argc < 3) {
		group_usage(stderr, group);
		return EXIT_USAGE;
	}
	if (is_help(argv[2])) {
		group_usage(stdout, group);
		return EXIT_OK;
	}
	c = find_cmd(group, argv[2]);
	if (!c)
		return unknown_cmd(group, argv[2]);
	return c->fn(argc - 2, argv + 2);
}
