// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl policy check|load|update|activate|delete|list|show.  check uses
 * the kernel's own parser (policy/parser.c), so what it accepts the kernel
 * accepts; the others drive sigil/new_policy and policies/<name>/.
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "bpf_image.h"
#include "mf.h"
#include "policy.h"
#include "signed.h"
#include "sigilctl.h"
#include "textsign.h"
#include "verify.h"

/* ---- check ---- */

/* --bpf: check against what the BPF mode evaluates. */
static bool check_bpf;

static int check_one(const char *file)
{
	struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	struct pgp_error perr;
	struct sigil_msg m;
	const char *text;
	size_t len, tlen;
	u8 *buf, *gathered = NULL;
	struct mf_text signed_text;
	char why[256];
	int rc;

	if (check_bpf) {
		opts.props = sigil_bpf_props;
		opts.why_not = sigil_bpf_why_not;
	}
	/*
	 * --keys: the signature first, checked against those keys (as the
	 * BPF mode's loader checks it), then the text inside.
	 */
	if (text_keys_given) {
		if (mf_read_text(file, &signed_text, why, sizeof(why))) {
			printf("%s: error: %s\n", file, why);
			return EXIT_FAIL;
		}
		rc = text_check_signature(file, &signed_text);
		if (!rc) {
			rc = sigil_policy_parse(signed_text.text, signed_text.text_len,
						&opts, &pol, &err);
			if (rc) {
				mf_print_parse_error(stdout, file, &err);
			} else {
				printf("%s: ok: signature valid, policy '%s' version %u.%u.%u, %u rules\n",
				       file, pol->name, pol->version[0], pol->version[1],
				       pol->version[2], pol->nrules);
				sigil_policy_free(pol);
			}
		}
		mf_text_free(&signed_text);
		return rc ? EXIT_FAIL : EXIT_OK;
	}

	/* As policy load would write it: armor and compression undone. */
	rc = load_bytes(file, &buf, &len);
	if (rc)
		return EXIT_FAIL;
	policy_uncompress(file, &buf, &len);
	/* A signed policy is checked by its text. */
	text = (const char *)buf;
	tlen = len;
	rc = sigil_msg_parse(buf, len, &m, &perr);
	if (rc) {
		const char *why = perr.msg[0] ? perr.msg : "an incomplete signed message";

		if (opt_json) {
			bool first = true;

			putchar('{');
			json_kv_str("file", file, &first);
			json_kv_bool("ok", false, &first);
			json_kv_num("errno", rc == -EAGAIN ? EBADMSG : -rc, &first);
			json_kv_str("message", why, &first);
			puts("}");
		} else {
			printf("%s: error: %s\n", file, why);
		}
		free(buf);
		return EXIT_FAIL;
	}
	if (m.form == SIGIL_MSG_PKCS7) {
		fprintf(stderr, "%s: attached PKCS#7: check the policy text before signing it\n",
			file);
		free(buf);
		return EXIT_FAIL;
	}
	if (m.form != SIGIL_MSG_TEXT) {
		gathered = malloc(m.text_len + 1);
		if (!gathered) {
			free(buf);
			return EXIT_FAIL;
		}
		tlen = sigil_msg_text_copy(buf, &m, gathered);
		text = (const char *)gathered;
	}
	rc = sigil_policy_parse(text, tlen, &opts, &pol, &err);
	if (opt_json) {
		bool first = true;

		putchar('{');
		json_kv_str("file", file, &first);
		json_kv_bool("ok", !rc, &first);
		if (rc) {
			json_kv_num("line", err.line, &first);
			json_kv_num("column", err.col, &first);
			json_kv_num("errno", -rc, &first);
			json_kv_str("message", err.msg, &first);
		} else {
			char v[32];

			snprintf(v, sizeof(v), "%u.%u.%u", pol->version[0],
				 pol->version[1], pol->version[2]);
			json_kv_str("name", pol->name, &first);
			json_kv_str("version", v, &first);
			json_kv_num("rules", pol->nrules, &first);
			json_kv_num("indexed_rules", sigil_indexed_rules(pol), &first);
		}
		puts("}");
	} else if (rc) {
		if (err.col)
			printf("%s:%u:%u: error: %s\n", file, err.line, err.col, err.msg);
		else
			printf("%s:%u: error: %s\n", file, err.line, err.msg);
	} else {
		printf("%s: ok: policy '%s' version %u.%u.%u, %u rules\n", file,
		       pol->name, pol->version[0], pol->version[1],
		       pol->version[2], pol->nrules);
	}
	if (!rc)
		sigil_policy_free(pol);
	free(gathered);
	free(buf);
	return rc ? EXIT_FAIL : EXIT_OK;
}

int cmd_policy_check(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "keys", required_argument, NULL, 'K' },
		{ "bpf", no_argument, NULL, 'B' },
		OPTION_HELP, OPTION_JSON, { NULL },
	};
	int i, c, rc = 0;

	while ((c = cmd_getopt(argc, argv, "policy check", ":h", longopts)) != -1) {
		if (c == 'K') {
			if (load_key_file(optarg))
				return EXIT_FAIL;
			text_keys_given = true;
		} else if (c == 'B') {
			check_bpf = true;
		} else {
			return cmd_exit(c);
		}
	}
	if (text_keys_given && opt_json)
		return usage_error("policy check", "--keys prints text only");
	if (optind == argc)
		return usage_error("policy check", "which policy files?");
	for (i = optind; i < argc; i++)
		if (check_one(argv[i]) != EXIT_OK)
			rc = EXIT_FAIL;
	return rc;
}

/* ---- writes to securityfs ---- */

/*
 * The bytes to write for @file: as they are, or, for an armored OpenPGP
 * message, its binary form, which is what the kernel takes.
 */
int load_bytes(const char *file, u8 **out, size_t *out_len)
{
	struct pgp_error perr = { 0 };
	size_t len, pos = 0;
	u8 *buf, *bin;
	int rc;

	rc = read_all(file, &buf, &len);
	if (rc) {
		warnx("%s: %s", file, strerror(-rc));
		return EXIT_FAIL;
	}
	if (len > 27 && !memcmp(buf, "-----BEGIN PGP MESSAGE-----", 27)) {
		bin = malloc(len);
		rc = pgp_dearmor((const char *)buf, len, &pos, "PGP MESSAGE", bin,
				 len, out_len, &perr);
		free(buf);
		if (rc) {
			warnx("%s: %s", file, perr.msg[0] ? perr.msg : "cannot dearmor");
			free(bin);
			return EXIT_FAIL;
		}
		*out = bin;
		return EXIT_OK;
	}
	*out = buf;
	*out_len = len;
	return EXIT_OK;
}

static int write_policy(const char *target, const char *file)
{
	long long errors;
	char path[512];
	size_t len;
	u8 *buf;
	int rc;

	if (!sigil_present())
		return EXIT_ENV;
	rc = load_bytes(file, &buf, &len);
	if (rc)
		return rc;
	policy_uncompress(file, &buf, &len);
	sfs_path(path, sizeof(path), "%s", target);
	errors = status_count("policy_errors");
	rc = write_once(path, buf, len);
	free(buf);
	if (rc == -ENOENT && strcmp(target, "new_policy"))
		warnx("%s: no such policy is loaded", target);
	return rc ? refused_write(file, rc, "policy", errors) : EXIT_OK;
}

int cmd_policy_load(int argc, char **argv)
{
	int rc = cmd_operands(argc, argv, "policy load", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error("policy load", "one policy file");
	rc = write_policy("new_policy", argv[optind]);
	if (!rc && !opt_json)
		printf("loaded %s; activate it with 'sigilctl policy activate NAME'\n",
		       argv[optind]);
	return rc;
}

int cmd_policy_update(int argc, char **argv)
{
	char target[300];
	int rc = cmd_operands(argc, argv, "policy update", false);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 2)
		return usage_error("policy update", "a policy name and a file");
	snprintf(target, sizeof(target), "policies/%s/update", argv[optind]);
	return write_policy(target, argv[optind + 1]);
}

static int policy_switch(int argc, char **argv, const char *cmd,
			 const char *file)
{
	long long errors;
	char path[512];
	const char *name;
	int rc = cmd_operands(argc, argv, cmd, false);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error(cmd, "one policy name");
	name = argv[optind];
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "policies/%s/%s", name, file);
	errors = status_count("policy_errors");
	rc = write_once(path, "1", 1);
	if (rc == -ENOENT) {
		warnx("no policy '%s' is loaded", name);
		return EXIT_FAIL;
	}
	return rc ? refused_write(name, rc, "policy", errors) : EXIT_OK;
}

int cmd_policy_activate(int argc, char **argv)
{
	return policy_switch(argc, argv, "policy activate", "active");
}

int cmd_policy_delete(int argc, char **argv)
{
	return policy_switch(argc, argv, "policy delete", "delete");
}

/* ---- list, show ---- */

static char *policy_file(const char *name, const char *file)
{
	char path[512];
	size_t len;
	u8 *buf;

	sfs_path(path, sizeof(path), "policies/%s/%s", name, file);
	if (read_all(path, &buf, &len))
		return NULL;
	while (len && buf[len - 1] == '\n')
		buf[--len] = '\0';
	return (char *)buf;
}

static void print_policy(const char *name, bool *first_obj)
{
	char *version = policy_file(name, "version");
	char *active = policy_file(name, "active");
	char *signer = policy_file(name, "signer");

	if (opt_json) {
		bool first = true;

		if (!*first_obj)
			putchar(',');
		*first_obj = false;
		putchar('{');
		json_kv_str("name", name, &first);
		json_kv_str("version", version, &first);
		json_kv_bool("active", active && !strcmp(active, "1"), &first);
		json_kv_str("signer", signer, &first);
		putchar('}');
	} else {
		printf("%-24s %-10s %-7s %s\n", name, version ? version : "?",
		       active && !strcmp(active, "1") ? "active" : "-",
		       signer ? signer : "?");
	}
	free(version);
	free(active);
	free(signer);
}

int cmd_policy_list(int argc, char **argv)
{
	char path[512];
	struct dirent *e;
	bool first = true;
	DIR *d;
	int rc = cmd_operands(argc, argv, "policy list", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("policy list", "no arguments");
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "policies");
	d = opendir(path);
	if (!d) {
		warnx("%s: %s", path, strerror(errno));
		return EXIT_ENV;
	}
	if (opt_json)
		putchar('[');
	else
		printf("%-24s %-10s %-7s %s\n", "NAME", "VERSION", "STATE", "SIGNER");
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			print_policy(e->d_name, &first);
	if (opt_json)
		puts("]");
	closedir(d);
	return EXIT_OK;
}

int cmd_policy_show(int argc, char **argv)
{
	const char *name;
	char *text;
	bool first = true;
	int rc = cmd_operands(argc, argv, "policy show", true);

	if (rc)
		return cmd_exit(rc);
	if (argc - optind != 1)
		return usage_error("policy show", "one policy name");
	name = argv[optind];
	if (!sigil_present())
		return EXIT_ENV;
	text = policy_file(name, "policy");
	if (!text) {
		warnx("no policy '%s' is loaded", name);
		return EXIT_FAIL;
	}
	if (opt_json) {
		char *version = policy_file(name, "version");
		char *active = policy_file(name, "active");
		char *signer = policy_file(name, "signer");

		putchar('{');
		json_kv_str("name", name, &first);
		json_kv_str("version", version, &first);
		json_kv_bool("active", active && !strcmp(active, "1"), &first);
		json_kv_str("signer", signer, &first);
		json_kv_str("text", text, &first);
		puts("}");
		free(version);
		free(active);
		free(signer);
	} else {
		printf("# ");
		print_policy(name, &first);
		printf("%s\n", text);
	}
	free(text);
	return EXIT_OK;
}
