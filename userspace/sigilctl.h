/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl: the command table, exit codes, output helpers (text and JSON)
 * and the securityfs paths that every command shares.
 */
#ifndef _SIGILCTL_H
#define _SIGILCTL_H

#include <err.h>
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "compat.h"

/* Exit codes, documented in sigilctl(8). */
#define EXIT_OK		0	/* done; for check/verify/explain: all good */
#define EXIT_FAIL	1	/* done, and something failed or was refused */
#define EXIT_USAGE	2	/* bad command line */
#define EXIT_ENV	3	/* no sigil in this kernel, or not allowed */

/* The largest policy the kernel takes: lsm/lifecycle.h, SIGIL_POLICY_MAX_BYTES. */
#define KERNEL_POLICY_MAX	(64u << 20)

/**
 * struct sigilctl_opt - one option of a command, as its --help lists it
 * @name: "--keys FILE", "-q, --quiet"
 * @help: what it does, in one line
 */
struct sigilctl_opt {
	const char *name;
	const char *help;
};

/**
 * struct sigilctl_cmd - one command
 * @group: "policy", "key", or NULL for a top-level command
 * @name: the command's name
 * @fn: runs it; argv[0] is the command's name, options follow
 * @args: its arguments, for usage lines
 * @summary: one line for the command list
 * @opts: its options but --help, for its --help; NULL-terminated, or NULL
 */
struct sigilctl_cmd {
	const char *group;
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *args;
	const char *summary;
	const struct sigilctl_opt *opts;
};

/* Set by --json, before the command or as one of its options. */
extern bool opt_json;

/*
 * Options.  Each command reads its own with cmd_getopt(), from a struct
 * option table for getopt_long(): short options by their letter, long
 * options without one from OPT_LONG up.  Every command takes -h and
 * --help ('h'); those that print JSON take --json (OPT_JSON).  Long
 * options are taken only when spelled out, not abbreviated.
 */
#define OPT_JSON	0x100
#define OPT_LONG	0x101
#define OPTION_HELP	{ "help", no_argument, NULL, 'h' }
#define OPTION_JSON	{ "json", no_argument, NULL, OPT_JSON }

/* What cmd_getopt() returns when the command is done with. */
#define CMD_HELP	(-2)	/* --help: the command's help went to stdout */
#define CMD_USAGE	(-3)	/* a bad option: one line went to stderr */

int cmd_getopt(int argc, char **argv, const char *cmd, const char *shortopts,
	       const struct option *longopts);
int cmd_operands(int argc, char **argv, const char *cmd, bool json);

/* The exit status after cmd_getopt() returned CMD_HELP or CMD_USAGE. */
static inline int cmd_exit(int c)
{
	return c == CMD_HELP ? EXIT_OK : EXIT_USAGE;
}

/* Where sigil's securityfs files are: $SIGIL_SECURITYFS, for tests. */
const char *sfs_dir(void);
int sfs_path(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
bool sigil_present(void);

/*
 * Messages: "sigilctl: ..." on stderr, with <err.h>'s warnx(); a usage
 * error adds the command's usage line, and returns EXIT_USAGE.
 */
int usage_error(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Files. */
int read_all(const char *path, u8 **buf, size_t *len);
int write_once(const char *path, const void *buf, size_t len);
/* policy_sign.c: @buf to @path ("-": stdout), whole or not at all */
int write_output(const char *path, const u8 *buf, size_t len);
/* policy.c: a file as load writes it, an armored OpenPGP message in binary */
int load_bytes(const char *file, u8 **out, size_t *out_len);
char *status_value(const char *key);
long long status_count(const char *key);
int refused_write(const char *what, int rc, const char *kind, long long before);

/* Lower-case hex of @n bytes, and a NUL: 2 * @n + 1 bytes at @out. */
void hex_str(char *out, const u8 *bytes, size_t n);

/* json.c: JSON output, written to stdout. */
void json_str(const char *s);
void json_key(const char *key, bool *first);
void json_kv_str(const char *key, const char *val, bool *first);
void json_kv_num(const char *key, long long val, bool *first);
void json_kv_bool(const char *key, bool val, bool *first);
void json_kv_num_or_str(const char *key, const char *val, bool *first);

/* Commands, by file. */
int cmd_policy_check(int argc, char **argv);
int cmd_policy_load(int argc, char **argv);
int cmd_policy_update(int argc, char **argv);
int cmd_policy_activate(int argc, char **argv);
int cmd_policy_delete(int argc, char **argv);
int cmd_policy_list(int argc, char **argv);
int cmd_policy_show(int argc, char **argv);
/* policy_sign.c */
int cmd_policy_sign(int argc, char **argv);
/* pgp_inflate.c */
int pgp_msg_uncompress(const u8 *buf, size_t len, u8 **out, size_t *out_len,
		       char *why, size_t why_size);
void policy_uncompress(const char *file, u8 **buf, size_t *len);
int cmd_key_add(int argc, char **argv);
int cmd_key_list(int argc, char **argv);
int cmd_key_lock(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_log(int argc, char **argv);
int cmd_explain(int argc, char **argv);

/* manifest*.c */
int cmd_manifest_create(int argc, char **argv);
int cmd_manifest_sign(int argc, char **argv);
int cmd_manifest_check(int argc, char **argv);
int cmd_manifest_show(int argc, char **argv);
int cmd_manifest_revoke(int argc, char **argv);
int cmd_manifest_load(int argc, char **argv);
int cmd_manifest_update(int argc, char **argv);
int cmd_manifest_list(int argc, char **argv);
int cmd_manifest_delete(int argc, char **argv);
int cmd_manifest_from_deb(int argc, char **argv);
int cmd_manifest_from_rpm(int argc, char **argv);

/* sign.c and verify.c */
int cmd_sign(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* walk.c: the files sign and verify work on */
struct stat;

/**
 * struct walk_entry - a file to sign or verify
 * @path: its path, malloc()ed
 * @named: named on the command line, rather than found in a tree
 */
struct walk_entry {
	char *path;
	bool named;
};

int walk_list_files(char **paths, int n, struct walk_entry **out, size_t *count);
const char *walk_skip_reason(int fd, const struct stat *st, bool all);

/* sign_file.c: what sign and verify both measure */
int sign_measure_verity(int fd, u16 *alg, u8 *digest, unsigned int *size);

extern const struct sigilctl_cmd sigilctl_cmds[];

#endif /* _SIGILCTL_H */
