// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl explain: which rule decides an operation on a file, and on what
 * facts.  On a sigil kernel the kernel answers through sigil/explain; with
 * --policy, or without sigil, the policy is evaluated here with the shared
 * evaluator, on the facts userspace can gather (signatures are seen, not
 * verified: see explain_offline.c).  This file asks the kernel, prints the
 * answer and runs the command.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "explain.h"
#include "manifest.h"
#include "policy.h"
#include "sigilbpf.h"

/* ---- an answer: key=value pairs, in the kernel's order ---- */

void answer_add(struct answer *a, const char *key, const char *value)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? 2 * a->cap : 32;
		a->kv = realloc(a->kv, a->cap * sizeof(*a->kv));
		if (!a->kv) {
			warnx("out of memory");
			exit(EXIT_ENV);
		}
	}
	a->kv[a->n].key = strdup(key);
	a->kv[a->n].value = strdup(value);
	a->n++;
}

void answer_addf(struct answer *a, const char *key, const char *fmt, ...)
{
	char *v;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0)
		v = NULL;
	va_end(ap);
	answer_add(a, key, v ? v : "");
	free(v);
}

static const char *get(const struct answer *a, const char *key)
{
	int i;

	for (i = 0; i < a->n; i++)
		if (!strcmp(a->kv[i].key, key))
			return a->kv[i].value;
	return NULL;
}

void answer_free(struct answer *a)
{
	int i;

	for (i = 0; i < a->n; i++) {
		free(a->kv[i].key);
		free(a->kv[i].value);
	}
	free(a->kv);
}

/* Keys about the event and the decision; every other key is a fact. */
static const char *const header_keys[] = {
	"op", "path", "dev", "ino", "policy", "version", "enforce", "action",
	"match", "line", "rule", "error", "reason", "note", "if_verified_action",
	"if_verified_match", "if_verified_line", "if_verified_rule",
	"manifest", "manifest_name", "manifest_version", "manifest_entry",
	"manifest_elsewhere", "manifest_path", NULL,
};

static bool is_fact(const char *key)
{
	int i;

	for (i = 0; header_keys[i]; i++)
		if (!strcmp(key, header_keys[i]))
			return false;
	return true;
}

/* ---- asking the kernel ---- */

/* Undo the kernel's \xHH escapes, in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'x' && hex_to_bin(s[2]) >= 0 &&
		    hex_to_bin(s[3]) >= 0) {
			*out++ = (char)(hex_to_bin(s[2]) << 4 | hex_to_bin(s[3]));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static int parse_answer(char *text, struct answer *a)
{
	char *line, *save, *eq;

	for (line = strtok_r(text, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		eq = strchr(line, '=');
		if (!eq)
			return -EBADMSG;
		*eq = '\0';
		unescape(eq + 1);
		answer_add(a, line, eq + 1);
	}
	return get(a, "action") ? 0 : -EBADMSG;
}

/*
 * Write "OP FD|anonymous [PROGRAM_FD]" to sigil/explain and read the
 * answer; EXIT_*.  @fd < 0: memory without a file; @pfd < 0: no program.
 */
static int ask_kernel(const char *path, int fd, int pfd, const char *op,
		      struct answer *a)
{
	char sfs[512], query[64], what[16], *text;
	size_t cap = 8192, len = 0;
	ssize_t n;
	int q, rc;

	sfs_path(sfs, sizeof(sfs), "explain");
	q = open(sfs, O_RDWR | O_CLOEXEC);
	if (q < 0) {
		rc = errno;
		if (rc == ENOENT)
			warnx("%s: this kernel's sigil has no explain file; give --policy FILE to explain offline",
			      sfs);
		else if (rc == EACCES || rc == EPERM)
			warnx("%s: %s: explain needs root with CAP_MAC_ADMIN; give --policy FILE to explain offline",
			      sfs, strerror(rc));
		else
			warnx("%s: %s", sfs, strerror(rc));
		return EXIT_ENV;
	}
	if (fd < 0)
		snprintf(what, sizeof(what), "anonymous");
	else
		snprintf(what, sizeof(what), "%d", fd);
	if (pfd < 0)
		snprintf(query, sizeof(query), "%s %s\n", op, what);
	else
		snprintf(query, sizeof(query), "%s %s %d\n", op, what, pfd);
	if (write(q, query, strlen(query)) < 0) {
		rc = errno;
		if (rc == EPERM)
			warnx("%s: explain needs CAP_MAC_ADMIN; give --policy FILE (such as %s/policies/NAME/policy) to explain offline",
			      path, sfs_dir());
		else
			warnx("%s: %s: %s", path, sfs, strerror(rc));
		close(q);
		return EXIT_ENV;
	}
	text = malloc(cap + 1);
	while (text && (n = read(q, text + len, cap - len)) > 0) {
		len += n;
		if (len == cap) {
			cap *= 2;
			text = realloc(text, cap + 1);
		}
	}
	close(q);
	if (!text) {
		warnx("out of memory");
		return EXIT_ENV;
	}
	text[len] = '\0';
	rc = parse_answer(text, a);
	free(text);
	if (rc) {
		warnx("%s: the kernel's answer is not what this sigilctl understands", sfs);
		return EXIT_ENV;
	}
	return EXIT_OK;
}

/* ---- output ---- */

static const char *match_why(const struct answer *a)
{
	const char *m = get(a, "match"), *op = get(a, "op");
	static char buf[160];

	if (!m)
		return "";
	if (!strcmp(m, "rule"))
		snprintf(buf, sizeof(buf),
			 "the first %s rule whose properties all hold; no rule before it matched",
			 op);
	else if (!strcmp(m, "op_default"))
		snprintf(buf, sizeof(buf),
			 "no %s rule matched, so the operation's DEFAULT decided", op);
	else if (!strcmp(m, "global_default"))
		snprintf(buf, sizeof(buf),
			 "no %s rule matched and %s has no DEFAULT of its own, so the policy's DEFAULT decided",
			 op, op);
	else if (!strcmp(m, "error"))
		snprintf(buf, sizeof(buf),
			 "a fact a rule needs could not be determined, and sigil fails closed");
	else if (!strcmp(m, "no_policy"))
		snprintf(buf, sizeof(buf),
			 "no policy is active, and sigil allows everything until one is");
	else
		snprintf(buf, sizeof(buf), "%s", m);
	return buf;
}

/* A path as manifests write it: control bytes and backslashes escaped. */
static const char *esc(const char *path)
{
	static char buf[4 * 4096 + 1];

	sigil_manifest_escape(buf, sizeof(buf), path, strlen(path));
	return buf;
}

/* The same, in a buffer of its own: for a second path in one message. */
static const char *esc2(const char *path)
{
	static char buf[4 * 4096 + 1];

	sigil_manifest_escape(buf, sizeof(buf), path, strlen(path));
	return buf;
}

/*
 * What a manifest= rule found: the state, and the entry it is about
 * (match, digest_differs, elsewhere, superseded), with the path the
 * kernel compared.
 */
static void print_manifest(const struct answer *a)
{
	const char *state = get(a, "manifest"), *name = get(a, "manifest_name");
	const char *ver = get(a, "manifest_version"), *entry = get(a, "manifest_entry");
	const char *path = get(a, "manifest_path");
	const char *other = get(a, "manifest_elsewhere");
	char m[300] = "";

	if (!state)
		return;
	if (name)
		snprintf(m, sizeof(m), "'%s' %s", name, ver ?: "?");
	if (!strcmp(state, "match"))
		printf("  manifest: match: %s lists %s with this file's digest\n", m,
		       esc(entry ?: "?"));
	else if (!strcmp(state, "digest_differs") && other)
		printf("  manifest: digest_differs: %s lists %s with another digest; this file's digest is listed under %s (a swap)\n",
		       m, esc(entry ?: "?"), esc2(other));
	else if (!strcmp(state, "digest_differs"))
		printf("  manifest: digest_differs: %s lists %s with another digest (the file changed, or is another one)\n",
		       m, esc(entry ?: "?"));
	else if (!strcmp(state, "elsewhere"))
		printf("  manifest: elsewhere: %s lists this digest under %s, not under the path run\n",
		       m, esc(entry ?: "?"));
	else if (!strcmp(state, "superseded"))
		printf("  manifest: superseded: %s, a version since replaced, listed %s with this digest; the loaded version does not (revoked, or rolled back)\n",
		       m, esc(entry ?: "?"));
	else if (!strcmp(state, "not_listed"))
		printf("  manifest: not_listed: no loaded manifest lists this path or digest\n");
	else if (!strcmp(state, "no_path"))
		printf("  manifest: no_path: the file has no path from the global root (another mount namespace, a detached mount, memfd, or unlinked)\n");
	else
		printf("  manifest: %s\n", state);
	if (path)
		printf("  manifest path compared: %s\n", esc(path));
}

static void print_decision(const char *action, const char *line,
			   const char *rule)
{
	if (line)
		printf("%s by line %s: %s\n", action, line, rule ? rule : "");
	else
		printf("%s\n", action);
}

static void print_text(const struct answer *a, bool offline,
		       const char *policy_file)
{
	const char *action = get(a, "action"), *enforce = get(a, "enforce");
	const char *dev = get(a, "dev"), *err = get(a, "error");
	const char *pol = get(a, "policy"), *ver = get(a, "version");
	bool deny = action && !strcmp(action, "DENY");
	int i;

	if (err) {
		printf("%s: %s (%s)\n", action, get(a, "reason") ?: "",
		       strerror(-atoi(err)));
	} else {
		print_decision(action, get(a, "line"), get(a, "rule"));
	}
	if (get(a, "ino"))
		printf("  file:    %s (%s%s%sinode %s)\n", get(a, "path") ?: "?",
		       dev ? "dev " : "", dev ?: "", dev ? ", " : "", get(a, "ino"));
	else
		printf("  file:    none: memory or data without a file\n");
	printf("  op:      %s\n", get(a, "op") ?: "?");
	if (offline)
		printf("  policy:  %s %s, from %s (offline)\n", pol, ver, policy_file);
	else if (pol && strcmp(pol, "none"))
		printf("  policy:  %s %s, active\n", pol, ver ?: "?");
	else
		printf("  policy:  none active\n");
	if (enforce)
		printf("  mode:    %s\n",
		       !strcmp(enforce, "1") ?
		       (deny ? "enforce: the operation fails with EACCES" : "enforce") :
		       (deny ? "permissive: the denial is logged, the operation proceeds" :
			"permissive"));
	printf("  why:     %s\n", match_why(a));
	for (i = 0; i < a->n && !is_fact(a->kv[i].key); i++)
		;
	if (i < a->n)
		printf("  facts the rules looked at:\n");
	for (; i < a->n; i++) {
		const char *key = a->kv[i].key;
		size_t n = strlen(key);

		if (!is_fact(key))
			continue;
		/* "PROP_reason": why PROP's signature, just above, was refused. */
		if (n > 7 && !strcmp(key + n - 7, "_reason"))
			printf("      %-18s %s\n", "why refused:", a->kv[i].value);
		else
			printf("    %-20s %s\n", key, a->kv[i].value);
	}
	print_manifest(a);
	if (get(a, "if_verified_action")) {
		printf("  if the signatures present verify: ");
		print_decision(get(a, "if_verified_action"),
			       get(a, "if_verified_line"), get(a, "if_verified_rule"));
	}
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->kv[i].key, "note"))
			printf("  note: %s\n", a->kv[i].value);
}

static void print_json(const struct answer *a, bool offline,
		       const char *policy_file)
{
	static const char *const top[] = {
		"op", "path", "dev", "ino", "policy", "version", "action",
		"match", "line", "rule", "error", "reason", NULL,
	};
	bool first = true, f2;
	const char *v;
	int i;

	putchar('{');
	json_kv_str("source", offline ? "offline" : "kernel", &first);
	if (offline)
		json_kv_str("policy_file", policy_file, &first);
	for (i = 0; top[i]; i++) {
		v = get(a, top[i]);
		if (!v)
			continue;
		if (!strcmp(top[i], "ino") || !strcmp(top[i], "line") ||
		    !strcmp(top[i], "error"))
			json_kv_num_or_str(top[i], v, &first);
		else
			json_kv_str(top[i], v, &first);
	}
	v = get(a, "enforce");
	if (v)
		json_kv_bool("enforce", !strcmp(v, "1"), &first);
	json_key("facts", &first);
	putchar('{');
	f2 = true;
	for (i = 0; i < a->n; i++)
		if (is_fact(a->kv[i].key))
			json_kv_str(a->kv[i].key, a->kv[i].value, &f2);
	putchar('}');
	if ((v = get(a, "manifest"))) {
		static const char *const mkeys[][2] = {
			{ "manifest_name", "name" }, { "manifest_version", "version" },
			{ "manifest_entry", "entry" }, { "manifest_path", "path" },
			{ "manifest_elsewhere", "elsewhere" },
		};

		json_key("manifest", &first);
		putchar('{');
		f2 = true;
		json_kv_str("state", v, &f2);
		for (i = 0; i < (int)(sizeof(mkeys) / sizeof(mkeys[0])); i++)
			if ((v = get(a, mkeys[i][0])))
				json_kv_str(mkeys[i][1], v, &f2);
		putchar('}');
	}
	if (get(a, "if_verified_action")) {
		json_key("if_signatures_verify", &first);
		putchar('{');
		f2 = true;
		json_kv_str("action", get(a, "if_verified_action"), &f2);
		json_kv_str("match", get(a, "if_verified_match"), &f2);
		if ((v = get(a, "if_verified_line")))
			json_kv_num_or_str("line", v, &f2);
		if ((v = get(a, "if_verified_rule")))
			json_kv_str("rule", v, &f2);
		putchar('}');
	}
	json_key("notes", &first);
	putchar('[');
	f2 = true;
	for (i = 0; i < a->n; i++)
		if (!strcmp(a->kv[i].key, "note")) {
			if (!f2)
				putchar(',');
			f2 = false;
			json_str(a->kv[i].value);
		}
	puts("]}");
}

/* ---- the command ---- */

/* Open @path for a query: a regular file, as sigil decides on; -1 on error. */
static int open_regular(const char *path)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		warnx("%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		warnx("%s: not a regular file: sigil decides only on regular files", path);
		close(fd);
		return -1;
	}
	return fd;
}

enum { OPT_OP = OPT_LONG, OPT_POLICY, OPT_PROGRAM, OPT_ANONYMOUS };

static const struct option explain_longopts[] = {
	{ "anonymous", no_argument, NULL, OPT_ANONYMOUS },
	{ "op", required_argument, NULL, OPT_OP },
	{ "program", required_argument, NULL, OPT_PROGRAM },
	{ "policy", required_argument, NULL, OPT_POLICY },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

int cmd_explain(int argc, char **argv)
{
	const char *path = NULL, *policy = NULL, *op_name = "EXECUTE";
	const char *program = NULL;
	struct answer a = { 0 };
	bool anonymous = false;
	int c, fd = -1, pfd = -1, rc;
	unsigned int op;

	while ((c = cmd_getopt(argc, argv, "explain", ":h", explain_longopts)) != -1) {
		switch (c) {
		case OPT_OP:
			op_name = optarg;
			break;
		case OPT_POLICY:
			policy = optarg;
			break;
		case OPT_PROGRAM:
			program = optarg;
			break;
		case OPT_ANONYMOUS:
			anonymous = true;
			break;
		default:
			return cmd_exit(c);
		}
	}
	if (argc - optind > 1)
		return usage_error("explain", "one PATH at a time");
	if (optind < argc)
		path = argv[optind];
	if (!path && !anonymous)
		return usage_error("explain", "which file? (or --anonymous)");
	if (path && anonymous)
		return usage_error("explain", "a PATH or --anonymous, not both");
	for (op = 0; op < __SIGIL_OP_MAX; op++)
		if (!strcmp(op_name, sigil_op_names[op]))
			break;
	if (op == __SIGIL_OP_MAX)
		return usage_error("explain",
				   "unknown operation '%s' (EXECUTE, FIRMWARE, KMODULE, KEXEC_IMAGE, KEXEC_INITRAMFS, POLICY, X509_CERT)",
				   op_name);
	/* No sigil in this kernel, but the BPF mode: ask its program. */
	if (!policy && !program && path && bpf_instead() &&
	    (op == SIGIL_OP_EXECUTE || op == SIGIL_OP_KMODULE))
		return bpf_explain(path, op);
	if (!policy && !sigil_present()) {
		warnx("give --policy FILE to explain offline");
		return EXIT_ENV;
	}

	if (path) {
		fd = open_regular(path);
		if (fd < 0)
			return EXIT_ENV;
	}
	if (program) {
		pfd = open_regular(program);
		if (pfd < 0) {
			if (fd >= 0)
				close(fd);
			return EXIT_ENV;
		}
	}
	rc = policy ? explain_offline(policy, fd, pfd, path, program, op, &a) :
		      ask_kernel(path ?: "anonymous memory", fd, pfd,
				 sigil_op_names[op], &a);
	if (fd >= 0)
		close(fd);
	if (pfd >= 0)
		close(pfd);
	if (rc == EXIT_OK) {
		if (opt_json)
			print_json(&a, policy != NULL, policy);
		else
			print_text(&a, policy != NULL, policy);
		rc = strcmp(get(&a, "action"), "ALLOW") ? EXIT_FAIL : EXIT_OK;
	}
	answer_free(&a);
	return rc;
}
