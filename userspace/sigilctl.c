// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl: keys, policies, signatures and explanations for sigil.  Git-
 * style commands ("sigilctl policy load FILE"); every command takes --help,
 * and those whose output a script would read take --json, as an option of
 * theirs or before the command ("sigilctl --json status").  Each command
 * reads its options with getopt_long() (cmd_getopt() below).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "sigilctl.h"
#include "sigilbpf.h"

/* sigil's version, from SIGIL_VERSION in the Makefile. */
#ifndef SIGIL_VERSION
#error "SIGIL_VERSION is not defined: build sigilctl with make"
#endif

bool opt_json;

static int cmd_help(int argc, char **argv);
static int cmd_version(int argc, char **argv);

/* --json, as the commands that print JSON list it. */
#define OPT_HELP_JSON	{ "--json", "print the result as JSON on standard output" }
/* --json for commands that print only a line of text when they succeed. */
#define OPT_HELP_QUIET	{ "--json", "print nothing on success, for scripts" }

static const struct sigilctl_opt key_add_opts[] = {
	{ "--also-fsverity", "also add each X.509 certificate to .fs-verity" },
	{ "--dry-run", "read the files and print what would be added; add nothing" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt json_opts[] = { OPT_HELP_JSON, { NULL } };
static const struct sigilctl_opt quiet_opts[] = { OPT_HELP_QUIET, { NULL } };

static const struct sigilctl_opt policy_sign_opts[] = {
	{ "--pkcs7", "sign with OpenSSL: PKCS#7 (--key and --cert imply it)" },
	{ "--key KEY", "the private key, PEM or DER (--pkcs7)" },
	{ "--cert CERT", "its X.509 certificate, PEM or DER (--pkcs7)" },
	{ "--pgp", "sign with gpg: an OpenPGP signed message (the default)" },
	{ "--pgp-key ID", "the secret key gpg signs with; without it, gpg's default" },
	{ "--detached-container", "write the SIGILP7 container, whatever the size" },
	{ "-o, --output OUT", "where the signed policy goes; - for standard output" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt manifest_create_opts[] = {
	{ "--root DIR", "take the PATHs under DIR, and list them relative to it" },
	{ "--prefix DIR", "list the files under DIR instead (default: /)" },
	{ "--fsverity", "fsverity= entries: the fs-verity digests (the default)" },
	{ "--content", "content= entries: the sha256 of each file's content" },
	{ "--enable-verity", "enable fs-verity on each file first, and check its digest" },
	{ "--name NAME", "manifest_name (required)" },
	{ "--version X.Y.Z", "manifest_version (required)" },
	{ "-o, --output FILE", "where the manifest goes (default: standard output)" },
	{ NULL },
};

static const struct sigilctl_opt manifest_sign_opts[] = {
	{ "--pkcs7", "sign with OpenSSL: PKCS#7 (--key and --cert imply it)" },
	{ "--key KEY", "the private key, PEM or DER (--pkcs7)" },
	{ "--cert CERT", "its X.509 certificate, PEM or DER (--pkcs7)" },
	{ "--pgp", "sign with gpg: an OpenPGP signed message (the default)" },
	{ "--pgp-key ID", "the secret key gpg signs with; without it, gpg's default" },
	{ "--detached-container", "write the SIGILP7 container, whatever the size" },
	{ "-o, --output OUT", "where the signed manifest goes; - for standard output" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt manifest_revoke_opts[] = {
	{ "--version X.Y.Z", "the new version (default: the patch number plus one)" },
	{ "-o, --output FILE", "where the new manifest goes (default: standard output)" },
	{ NULL },
};

static const struct sigilctl_opt manifest_pkg_opts[] = {
	{ "--fsverity", "fsverity= entries: fs-verity digests of the files (the default)" },
	{ "--content", "content= entries: the sha256 of each file's content" },
	{ "--name NAME", "manifest_name (default: the package's name)" },
	{ "--version X.Y.Z", "manifest_version (default: the package's, when it is X.Y.Z)" },
	{ "--prefix DIR", "list the files under DIR (default: /)" },
	{ "-o, --output FILE", "where the manifest goes (default: standard output)" },
	{ NULL },
};

static const struct sigilctl_opt log_opts[] = {
	{ "-f, --follow", "keep printing new decisions as they come, until interrupted" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt explain_opts[] = {
	{ "--anonymous", "ask about memory without a file, instead of PATH" },
	{ "--op OP", "the operation: EXECUTE (the default), FIRMWARE, KMODULE, ..." },
	{ "--program PROG", "take PROG as the running program" },
	{ "--policy FILE", "decide offline, with the policy in FILE" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt sign_opts[] = {
	{ "--fsverity", "enable fs-verity with a builtin signature (--key, --cert)" },
	{ "--ima", "write security.ima v2 (--key, --cert)" },
	{ "--v3", "with --ima: v3, over the fs-verity digest" },
	{ "--pgp", "write security.sigil, signed by gpg" },
	{ "--kind 1|2", "with --pgp: 1 over the fs-verity digest, 2 over the content" },
	{ "--key KEY", "the X.509 private key, PEM (--fsverity, --ima)" },
	{ "--cert CERT", "its certificate, PEM (--fsverity, --ima)" },
	{ "--pgp-key ID", "the secret key gpg signs with; without it, gpg's default" },
	{ "--all", "sign every regular file, not only programs and shared objects" },
	{ "--jobs N", "sign with N threads (1 to 256; default: the CPUs, at most 16)" },
	{ "-q, --quiet", "no progress output" },
	{ "--no-enable", "with --ima --v3 or --pgp --kind 1: do not enable fs-verity" },
	{ "--json", "print the summary as JSON on standard output" },
	{ NULL },
};

static const struct sigilctl_opt verify_opts[] = {
	{ "--keys FILE", "check against the keys in FILE (X.509 or OpenPGP); repeatable" },
	{ "--keyring", "check against the keys in .sigil, with the kernel" },
	{ "--all", "check every regular file of a tree, not only programs" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt policy_check_opts[] = {
	{ "--keys FILE", "check the signature against the keys in FILE (X.509 or OpenPGP), then the text; repeatable" },
	{ "--bpf", "check against what the BPF mode evaluates (sigilctl bpf load)" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt bpf_load_opts[] = {
	{ "--permissive", "log what would be refused, refuse nothing" },
	{ "--keyring NAME|ID", "check fs-verity signatures against this keyring (default: sigil-bpf in root's user keyring, made if need be)" },
	{ "--cert FILE", "add this DER X.509 certificate to the keyring; repeatable" },
	{ "--keys FILE", "the policy must be signed by a key in FILE (X.509 or OpenPGP); repeatable" },
	{ "--no-boot", "do not mark the initramfs' files boot_verified" },
	{ "--max-digests N", "at the first load: indexed digests the map holds, both slots (default 262144)" },
	OPT_HELP_QUIET,
	{ NULL },
};

static const struct sigilctl_opt bpf_explain_opts[] = {
	{ "--op OP", "EXECUTE (the default: an executable mapping) or KMODULE" },
	OPT_HELP_JSON,
	{ NULL },
};

static const struct sigilctl_opt bpf_manifest_opts[] = {
	{ "--keys FILE", "the manifest must be signed by a key in FILE; repeatable" },
	OPT_HELP_QUIET,
	{ NULL },
};

/*
 * Every command: dispatch, "sigilctl --help", "sigilctl GROUP --help",
 * "sigilctl COMMAND --help" and usage errors all read this table, and the
 * bash completion offers the same commands and options (the host test
 * checks it).
 */
const struct sigilctl_cmd sigilctl_cmds[] = {
	{ "key", "add", cmd_key_add, "[--also-fsverity] [--dry-run] FILE...",
	  "load OpenPGP keys and X.509 certificates into .sigil", key_add_opts },
	{ "key", "list", cmd_key_list, "", "list the keys in .sigil", json_opts },
	{ "key", "lock", cmd_key_lock, "", "lock .sigil until reboot", quiet_opts },
	{ "policy", "check", cmd_policy_check, "[--keys FILE]... [--bpf] FILE...",
	  "check policies offline, with the kernel's parser", policy_check_opts },
	{ "policy", "load", cmd_policy_load, "FILE",
	  "load a policy (signed, or plain on test kernels)", quiet_opts },
	{ "policy", "update", cmd_policy_update, "NAME FILE",
	  "replace a loaded policy with a newer version" },
	{ "policy", "activate", cmd_policy_activate, "NAME",
	  "enforce a loaded policy" },
	{ "policy", "delete", cmd_policy_delete, "NAME",
	  "unload a policy that is not active" },
	{ "policy", "sign", cmd_policy_sign,
	  "[--pkcs7 --key KEY --cert CERT | --pgp [--pgp-key ID]] [--detached-container] -o OUT FILE",
	  "check a policy, then sign it in a form the kernel takes", policy_sign_opts },
	{ "policy", "list", cmd_policy_list, "", "list the loaded policies", json_opts },
	{ "policy", "show", cmd_policy_show, "NAME",
	  "print a loaded policy and what is known of it", json_opts },
	{ "manifest", "create", cmd_manifest_create,
	  "[--root DIR] [--prefix DIR] [--fsverity|--content] [--enable-verity] "
	  "--name NAME --version X.Y.Z [-o FILE] PATH...",
	  "list files with their digests, in a manifest to sign", manifest_create_opts },
	{ "manifest", "sign", cmd_manifest_sign,
	  "[--pkcs7 --key KEY --cert CERT | --pgp [--pgp-key ID]] [--detached-container] -o OUT FILE",
	  "check a manifest, then sign it in a form the kernel takes", manifest_sign_opts },
	{ "manifest", "check", cmd_manifest_check, "FILE...",
	  "check manifests offline: the signature, then the kernel's parser", json_opts },
	{ "manifest", "show", cmd_manifest_show, "FILE",
	  "print a manifest file's text, signed or not, canonically", json_opts },
	{ "manifest", "revoke", cmd_manifest_revoke,
	  "[--version X.Y.Z] [-o FILE] MANIFEST PATH...",
	  "write the next version of a manifest without some paths", manifest_revoke_opts },
	{ "manifest", "load", cmd_manifest_load, "FILE",
	  "load a manifest (signed, or plain on test kernels)", quiet_opts },
	{ "manifest", "update", cmd_manifest_update, "NAME FILE",
	  "replace a loaded manifest with a newer version", quiet_opts },
	{ "manifest", "list", cmd_manifest_list, "",
	  "list the loaded manifests: version, entries, signer", json_opts },
	{ "manifest", "delete", cmd_manifest_delete, "NAME",
	  "unload a manifest that the active policy does not name", quiet_opts },
	{ "manifest", "from-deb", cmd_manifest_from_deb,
	  "[--fsverity|--content] [--name NAME] [--version X.Y.Z] [--prefix DIR] [-o FILE] FILE.deb",
	  "a manifest of the files a Debian package installs", manifest_pkg_opts },
	{ "manifest", "from-rpm", cmd_manifest_from_rpm,
	  "[--fsverity|--content] [--name NAME] [--version X.Y.Z] [--prefix DIR] [-o FILE] FILE.rpm",
	  "a manifest of the files an RPM package installs", manifest_pkg_opts },
	{ "bpf", "load", cmd_bpf_load,
	  "[--permissive] [--keyring NAME|ID] [--cert FILE]... [--keys FILE]... [--no-boot] POLICY",
	  "load the BPF mode, or replace its policy (stock kernels)", bpf_load_opts },
	{ "bpf", "manifest", cmd_bpf_manifest, "[--keys FILE]... FILE",
	  "load a manifest into the BPF mode, or update it to a newer version", bpf_manifest_opts },
	{ "bpf", "status", cmd_bpf_status, "", "the BPF mode: policy, counters, memory", json_opts },
	{ "bpf", "mode", cmd_bpf_mode, "enforce|permissive", "switch the BPF mode's mode" },
	{ "bpf", "log", cmd_bpf_log, "[--follow]", "the BPF mode's refusals, from its ring buffer", log_opts },
	{ "bpf", "explain", cmd_bpf_explain, "[--op OP] FILE",
	  "what the BPF program decides for a file, and on what facts", bpf_explain_opts },
	{ "bpf", "lock", cmd_bpf_lock, "", "lock the BPF mode until reboot", quiet_opts },
	{ "bpf", "unload", cmd_bpf_unload, "", "detach and unpin the BPF mode (not once locked)", quiet_opts },
	{ NULL, "status", cmd_status, "", "mode, active policy, keys, counters", json_opts },
	{ NULL, "log", cmd_log, "[--follow]", "the latest decisions", log_opts },
	{ NULL, "explain", cmd_explain,
	  "PATH|--anonymous [--op OP] [--program PROG] [--policy FILE]",
	  "which rule decides for a file, and on what facts", explain_opts },
	{ NULL, "sign", cmd_sign,
	  "--fsverity|--ima [--v3]|--pgp [--kind 1|2] [--key KEY --cert CERT | --pgp-key ID] "
	  "[--all] [--jobs N] [--quiet] [--no-enable] PATH...",
	  "sign files and trees in place: fs-verity, security.ima, security.sigil", sign_opts },
	{ NULL, "verify", cmd_verify, "[--keys FILE]... [--keyring] [--all] PATH...",
	  "check the signatures on files offline, against key files or .sigil", verify_opts },
	{ NULL, "help", cmd_help, "[GROUP] [COMMAND]",
	  "list the commands, or describe one (also --help, -h)" },
	{ NULL, "version", cmd_version, "", "print sigilctl's version (also --version)" },
	{ NULL, NULL, NULL, NULL, NULL },
};

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
		fprintf(f, "  %-18s %s\n", name, c->summary);
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

/* What "sigilctl COMMAND --help" prints, on stdout: one line per option. */
static void describe(const struct sigilctl_cmd *c)
{
	const struct sigilctl_opt *o;

	usage_line(stdout, c);
	printf("  %s\n\noptions:\n", c->summary);
	for (o = c->opts; o && o->name; o++)
		printf("  %-22s %s\n", o->name, o->help);
	printf("  %-22s %s\n", "-h, --help", "print this help");
	printf("\nSee sigilctl(8) for more, and the exit codes.\n");
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

/* The command "key add" or "status" names; NULL for a group or nothing. */
static const struct sigilctl_cmd *cmd_named(const char *cmd)
{
	const struct sigilctl_cmd *c;

	for (c = sigilctl_cmds; c->name; c++)
		if (is_cmd(c, cmd))
			return c;
	return NULL;
}

/* ---- options ---- */

/*
 * After getopt_long() returned '?' or ':': one line on what was wrong and
 * where the help is.  @where is "" (sigilctl's own options), "key " or
 * "key add ", for the help to point to.
 */
static int bad_option(const char *where, int c, char **argv,
		      const struct option *longopts)
{
	const char *word = argv[optind - 1];
	int len = (int)strcspn(word, "=");
	bool is_long = word[0] == '-' && word[1] == '-';
	const struct option *o;

	/* A long option given a value it does not take: "--all=1". */
	for (o = longopts; c == '?' && optopt && is_long && word[len] && o->name; o++)
		if (o->val == optopt && (int)strlen(o->name) == len - 2 &&
		    !strncmp(word + 2, o->name, len - 2)) {
			warnx("option '%.*s' takes no value; see 'sigilctl %s--help'",
			      len, word, where);
			return CMD_USAGE;
		}
	if (c == ':' && is_long)
		warnx("option '%.*s' needs a value; see 'sigilctl %s--help'", len, word,
		      where);
	else if (c == ':')
		warnx("option '-%c' needs a value; see 'sigilctl %s--help'", optopt, where);
	else if (optopt)
		warnx("unknown option '-%c'; see 'sigilctl %s--help'", optopt, where);
	else
		warnx("unknown option '%.*s'; see 'sigilctl %s--help'", len, word, where);
	return CMD_USAGE;
}

/*
 * getopt_long(), quiet, with long options taken only when spelled out:
 * the next option's value, -1 after the last, or CMD_USAGE after one line
 * on stderr.  @shortopts must start with ':' (after any '+').
 */
static int next_option(int argc, char **argv, const char *where,
		       const char *shortopts, const struct option *longopts)
{
	const struct option *o;
	const char *word;
	int c, i = -1;

	opterr = 0;
	c = getopt_long(argc, argv, shortopts, longopts, &i);
	if (c == '?' || c == ':')
		return bad_option(where, c, argv, longopts);
	if (c == -1 || i < 0)
		return c;
	/* getopt_long() takes "--al" for "--all": sigilctl does not. */
	o = &longopts[i];
	word = o->has_arg == required_argument && optarg == argv[optind - 1] ?
	       argv[optind - 2] : argv[optind - 1];
	if (strncmp(word + 2, o->name, strlen(o->name)) ||
	    (word[2 + strlen(o->name)] && word[2 + strlen(o->name)] != '=')) {
		warnx("unknown option '%.*s'; see 'sigilctl %s--help'",
		      (int)strcspn(word, "="), word, where);
		return CMD_USAGE;
	}
	return c;
}

/**
 * cmd_getopt() - the next option of a command
 * @argc: the command's arguments, as its function got them
 * @argv: the same; argv[0] is the command's name
 * @cmd: the command, "status" or "key add", for its help and messages
 * @shortopts: getopt()'s short options, ":h..." (or "+:h..." to stop at
 *	the first operand)
 * @longopts: getopt_long()'s table, with OPTION_HELP and, for a command
 *	that prints JSON, OPTION_JSON
 *
 * --help prints the command's help; --json sets opt_json.  Operands may
 * come among the options, unless @shortopts starts with '+'; after "--"
 * every argument is an operand.  At the end, optind is the first operand.
 *
 * Return: the next option's value; -1 after the last option; CMD_HELP
 * after --help, CMD_USAGE after a bad option (see cmd_exit()).
 */
int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *longopts)
{
	char where[32];
	int c;

	snprintf(where, sizeof(where), "%s ", cmd);
	for (;;) {
		c = next_option(argc, argv, where, shortopts, longopts);
		if (c == 'h') {
			describe(cmd_named(cmd));
			return CMD_HELP;
		}
		if (c != OPT_JSON)
			return c;
		opt_json = true;
	}
}

/*
 * For a command whose only options are --help and, with @json, --json:
 * 0 with optind at the first operand, or CMD_HELP or CMD_USAGE.
 */
int cmd_operands(int argc, char **argv, const char *cmd, bool json)
{
	static const struct option help_only[] = { OPTION_HELP, { NULL } };
	static const struct option help_json[] = { OPTION_HELP, OPTION_JSON, { NULL } };
	int c = cmd_getopt(argc, argv, cmd, ":h", json ? help_json : help_only);

	return c == -1 ? 0 : c;
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

int usage_error(const char *cmd, const char *fmt, ...)
{
	const struct sigilctl_cmd *c = cmd_named(cmd);
	va_list ap;

	va_start(ap, fmt);
	vwarnx(fmt, ap);
	va_end(ap);
	if (c)
		usage_line(stderr, c);
	return EXIT_USAGE;
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

/* The count that status reports under @key, or -1. */
long long status_count(const char *key)
{
	char *v = status_value(key);
	long long n = v ? atoll(v) : -1;

	free(v);
	return n;
}

/*
 * A write of a @kind ("policy", "manifest") that the kernel refused: the
 * errno's text, and the kernel's reason (status' last_KIND_error) when
 * this write recorded one, i.e. when KIND_errors moved from @before.
 */
int refused_write(const char *what, int rc, const char *kind, long long before)
{
	char key[64], *why = NULL;
	long long now;

	snprintf(key, sizeof(key), "%s_errors", kind);
	now = status_count(key);
	if (now != before || now < 0) {
		snprintf(key, sizeof(key), "last_%s_error", kind);
		why = status_value(key);
	}
	warnx("%s: %s%s%s", what, strerror(-rc), why ? ": " : "", why ? why : "");
	free(why);
	return rc == -EPERM || rc == -EACCES ? EXIT_ENV : EXIT_FAIL;
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
	warnx("unknown command '%s%s%s'; see 'sigilctl %s%s--help'",
	      group ? group : "", group ? " " : "", word, group ? group : "",
	      group ? " " : "");
	return EXIT_USAGE;
}

/* help [GROUP] [COMMAND]: what --help prints, at each level. */
static int cmd_help(int argc, char **argv)
{
	const struct sigilctl_cmd *c;
	const char *group;
	int rc = cmd_operands(argc, argv, "help", false);

	if (rc)
		return cmd_exit(rc);
	argc -= optind;
	argv += optind;
	if (!argc) {
		usage(stdout);
		return EXIT_OK;
	}
	group = find_group(argv[0]);
	if (argc > (group ? 2 : 1))
		return usage_error("help", "one command at a time");
	if (group && argc == 1) {
		group_usage(stdout, group);
		return EXIT_OK;
	}
	c = group ? find_cmd(group, argv[1]) : find_cmd(NULL, argv[0]);
	if (!c)
		return unknown_cmd(group, argv[group ? 1 : 0]);
	describe(c);
	return EXIT_OK;
}

static int cmd_version(int argc, char **argv)
{
	int rc = cmd_operands(argc, argv, "version", false);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("version", "no arguments");
	printf("sigilctl %s\n", SIGIL_VERSION);
	return EXIT_OK;
}

/* Run @c with its arguments: argv[0] is its name. */
static int run(const struct sigilctl_cmd *c, int argc, char **argv)
{
	optind = 0;	/* getopt_long() starts over, for the command */
	return c->fn(argc, argv);
}

/*
 * "sigilctl [OPTIONS] COMMAND ..." and "sigilctl [OPTIONS] GROUP [OPTIONS]
 * COMMAND ...": sigilctl's own options are --json, --help (the help
 * command) and --version (the version command); a group takes --json and
 * --help (its list of commands).
 */
int main(int argc, char **argv)
{
	static const struct option opts[] = {
		OPTION_HELP,
		OPTION_JSON,
		{ "version", no_argument, NULL, 'V' },
		{ NULL },
	};
	static const struct option group_opts[] = { OPTION_HELP, OPTION_JSON, { NULL } };
	const struct sigilctl_cmd *c;
	const char *word = NULL, *group;
	char where[32];
	int o;

	/* Messages start "sigilctl: " however sigilctl was run. */
	program_invocation_short_name = (char *)"sigilctl";

	while ((o = next_option(argc, argv, "", "+:h", opts)) != -1) {
		if (o == CMD_USAGE)
			return EXIT_USAGE;
		if (o == OPT_JSON)
			opt_json = true;
		else if (!word)
			word = o == 'h' ? "help" : "version";
	}
	/* --help and --version are commands; the operands left are theirs. */
	if (word) {
		argv[optind - 1] = (char *)word;
		return run(find_cmd(NULL, word), argc - optind + 1, argv + optind - 1);
	}
	if (optind == argc) {
		usage(stderr);
		return EXIT_USAGE;
	}
	argc -= optind;
	argv += optind;
	c = find_cmd(NULL, argv[0]);
	if (c)
		return run(c, argc, argv);

	group = find_group(argv[0]);
	if (!group)
		return unknown_cmd(NULL, argv[0]);
	snprintf(where, sizeof(where), "%s ", group);
	optind = 0;
	while ((o = next_option(argc, argv, where, "+:h", group_opts)) != -1) {
		if (o == CMD_USAGE)
			return EXIT_USAGE;
		if (o == 'h') {
			group_usage(stdout, group);
			return EXIT_OK;
		}
		opt_json = true;
	}
	if (optind == argc) {
		group_usage(stderr, group);
		return EXIT_USAGE;
	}
	c = find_cmd(group, argv[optind]);
	if (!c)
		return unknown_cmd(group, argv[optind]);
	return run(c, argc - optind, argv + optind);
}
