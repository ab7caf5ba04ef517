// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host tests of sigilctl explain --policy: offline evaluation of a policy file
 * on files carrying the signatures of selftests/fixtures/sig-fixtures (seen,
 * not verified), the answer it prints as text and JSON, signed policy files,
 * and the exit codes.  One table row per run of build/sigilctl.
 */

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "fixture.h"
#include "case.h"

static char sigilctl[PATH_MAX], work[PATH_MAX], sigs[PATH_MAX], pols[PATH_MAX];

/* The files, by their name in @work; each is a copy of files/a. */
struct test_file {
	const char *name;
	const char *xattr;	/* NULL: none */
	const char *fixture;	/* the xattr's value: files/<fixture> */
	const u8 *value;	/* or these bytes */
	size_t len;
};

/* security.ima announcing a 256-byte signature of which 3 bytes follow */
static const u8 broken_ima[] = {
	0x03, 0x02, 0x04, 0x11, 0x22, 0x33, 0x44, 0x01, 0x00, 'a', 'b', 'c',
};
/* A well-formed IMA v2 signature over SHA-1, which sigil refuses. */
static const u8 sha1_ima[] = {
	0x03, 0x02, 0x02, 0x11, 0x22, 0x33, 0x44, 0x00, 0x03, 'a', 'b', 'c',
};
/* An IMA hash (IMA_XATTR_DIGEST_NG, sha256), which is no signature. */
static const u8 bare_ima[2 + 32] = { 0x04, 0x04 };

static const struct test_file files[] = {
	{ "plain" },
	{ "ima", "security.ima", "a.ima2" },
	{ "ima3", "security.ima", "a.ima3" },
	{ "pgp", "security.sigil", "a.pgp2" },
	{ "pgp1", "security.sigil", "a.pgp1" },
	{ "broken", "security.ima", NULL, broken_ima, sizeof(broken_ima) },
	{ "sha1", "security.ima", NULL, sha1_ima, sizeof(sha1_ima) },
	{ "bare", "security.ima", NULL, bare_ima, sizeof(bare_ima) },
};

/*
 * Lines: 2 global DEFAULT, 3 EXECUTE's DEFAULT, 4 a digest no file has,
 * 5 IMA by the RSA key, 6 OpenPGP by the gpg key, 7 and 8 KMODULE rules.
 */
static const char policy_fmt[] =
	"policy_name=t_offline policy_version=1.2.3\n"
	"DEFAULT action=ALLOW\n"
	"DEFAULT op=EXECUTE action=DENY\n"
	"op=EXECUTE fsverity_digest=sha256:0000000000000000000000000000000000000000000000000000000000000001 action=ALLOW\n"
	"op=EXECUTE ima_signature=TRUE signer=%s action=ALLOW # RSA\n"
	"op=EXECUTE pgp_signature=TRUE signer=%s action=ALLOW\n"
	"op=KMODULE anonymous=TRUE action=ALLOW\n"
	"op=KMODULE boot_verified=FALSE action=DENY\n";

struct run_case {
	const char *desc;
	const char *args[8];	/* after "sigilctl"; @P is the policy, @W/ the work dir */
	int exit;
	const char *want[6];	/* substrings of the output; @R, @K, @G, @I expand */
	const char *unwanted;	/* a substring that must not appear */
};

#define T "@P"
static const struct run_case cases[] = {
	{ "unsigned file: EXECUTE's DEFAULT, every fact listed",
	  { "explain", "--policy", T, "@W/plain" }, 1,
	  { "DENY by line 3: DEFAULT op=EXECUTE action=DENY\n",
	    "  policy:  t_offline 1.2.3, from ",
	    "why:     no EXECUTE rule matched, so the operation's DEFAULT decided\n",
	    "    fsverity_digest      none\n", "    ima_signature        absent\n",
	    "    pgp_signature        absent\n" },
	  "if the signatures" },
	{ "IMA v2: unverified, by the policy's signer=, and the answer if it verifies",
	  { "explain", "--policy", T, "@W/ima" }, 1,
	  { "DENY by line 3: DEFAULT op=EXECUTE action=DENY\n",
	    "    ima_signature        unverified\n", "    ima_signer           @R\n",
	    "  if the signatures present verify: ALLOW by line 5: op=EXECUTE ima_signature=TRUE signer=@R action=ALLOW\n",
	    "note: offline explain does not verify signatures" },
	  "boot_verified" },
	{ "IMA v3 without fs-verity",
	  { "explain", "--policy", T, "@W/ima3" }, 1,
	  { "DENY by line 3: ", "    ima_signature        no-fsverity\n" },
	  "if the signatures" },
	{ "OpenPGP kind 2: its issuer fingerprint and key ID",
	  { "explain", "--policy", T, "@W/pgp" }, 1,
	  { "    pgp_signature        unverified\n", "    pgp_signer           @G,@K\n",
	    "  if the signatures present verify: ALLOW by line 6: op=EXECUTE pgp_signature=TRUE signer=@G action=ALLOW\n",
	    "    ima_signature        absent\n" } },
	{ "OpenPGP kind 1 without fs-verity",
	  { "explain", "--policy", T, "@W/pgp1" }, 1,
	  { "    pgp_signature        no-fsverity\n" }, "if the signatures" },
	{ "malformed security.ima: error and reason, as the kernel gives them",
	  { "explain", "--policy", T, "@W/broken" }, 1,
	  { "DENY: ima_signature: security.ima announces a 256-byte signature, 3 bytes follow (Bad message)\n",
	    "why:     a fact a rule needs could not be determined, and sigil fails closed\n",
	    "    ima_signature        error\n" },
	  "by line" },
	{ "IMA over SHA-1 is refused",
	  { "explain", "--policy", T, "@W/sha1" }, 1,
	  { "    ima_signature        refused\n" }, "if the signatures" },
	{ "an IMA hash is no signature",
	  { "explain", "--policy", T, "@W/bare" }, 1,
	  { "    ima_signature        absent\n" } },
	{ "another operation: its rule, boot_verified assumed from the file system",
	  { "explain", "--policy", T, "--op", "KMODULE", "@W/plain" }, 1,
	  { "DENY by line 8: op=KMODULE boot_verified=FALSE action=DENY\n",
	    "    anonymous            FALSE\n", "    boot_verified        FALSE\n",
	    "note: boot_verified is taken as FALSE: the file is not on a ramfs or tmpfs root" },
	  "fsverity_digest" },
	{ "--anonymous: a module from a buffer",
	  { "explain", "--policy", T, "--op", "KMODULE", "--anonymous" }, 0,
	  { "ALLOW by line 7: op=KMODULE anonymous=TRUE action=ALLOW\n",
	    "  file:    none: memory or data without a file\n",
	    "    anonymous            TRUE\n" },
	  "boot_verified" },
	{ "--anonymous: executable memory has no file facts",
	  { "explain", "--policy", T, "--anonymous" }, 1,
	  { "DENY by line 3: DEFAULT op=EXECUTE action=DENY\n",
	    "    fsverity_digest      none\n" },
	  "ima_signature" },
	{ "a PATH and --anonymous", { "explain", "--policy", T, "--anonymous", "@W/plain" }, 2,
	  { "a PATH or --anonymous, not both" } },
	{ "global DEFAULT, --op=",
	  { "explain", "--op=FIRMWARE", "--policy=@P", "@W/ima" }, 0,
	  { "ALLOW by line 2: DEFAULT action=ALLOW\n",
	    "no FIRMWARE rule matched and FIRMWARE has no DEFAULT of its own" },
	  "facts the rules looked at" },
	{ "JSON",
	  { "--json", "explain", "--policy", T, "@W/ima" }, 1,
	  { "{\"source\":\"offline\",\"policy_file\":\"",
	    "\"op\":\"EXECUTE\",\"path\":\"",
	    "\"policy\":\"t_offline\",\"version\":\"1.2.3\",\"action\":\"DENY\",\"match\":\"op_default\",\"line\":3,\"rule\":\"DEFAULT op=EXECUTE action=DENY\",\"facts\":{\"fsverity_digest\":\"none\",\"ima_signature\":\"unverified\",\"ima_signer\":\"@R\",\"pgp_signature\":\"absent\"}",
	    "\"if_signatures_verify\":{\"action\":\"ALLOW\",\"match\":\"rule\",\"line\":5,\"rule\":\"op=EXECUTE ima_signature=TRUE signer=@R action=ALLOW\"}",
	    "\"notes\":[\"offline explain does not verify signatures" } },
	{ "JSON error",
	  { "explain", "--json", "--policy", T, "@W/broken" }, 1,
	  { "\"action\":\"DENY\",\"match\":\"error\",\"error\":-74,\"reason\":\"ima_signature: security.ima announces" } },
	{ "plain policy text", { "explain", "--policy", "@S/v1.pol", "@W/plain" }, 0,
	  { "ALLOW by line 3: DEFAULT action=ALLOW\n", "  policy:  signed 1.0.0, from ",
	    "    fsverity_digest      none\n" } },
	{ "policy signed by gpg", { "explain", "--policy", "@S/v1.gpg", "@W/plain" }, 0,
	  { "ALLOW by line 3: DEFAULT action=ALLOW\n" } },
	{ "policy signed by sq", { "explain", "--policy", "@S/v1.sq", "@W/plain" }, 0,
	  { "ALLOW by line 3: DEFAULT action=ALLOW\n" } },
	{ "policy in a SIGILP7 container", { "explain", "--policy", "@S/v1.p7d", "@W/plain" }, 0,
	  { "ALLOW by line 3: DEFAULT action=ALLOW\n" } },
	{ "attached PKCS#7 is refused", { "explain", "--policy", "@S/v1.p7", "@W/plain" }, 2,
	  { "attached PKCS#7: give the policy text itself" } },
	{ "a policy that does not parse: FILE:LINE:COL",
	  { "explain", "--policy", "@W/bad.pol", "@W/plain" }, 2,
	  { "/bad.pol:3:12: error: unknown property 'bogus'" } },
	{ "unknown operation", { "explain", "--policy", T, "--op", "EXEC", "@W/plain" }, 2,
	  { "unknown operation 'EXEC'", "usage: sigilctl explain PATH" } },
	{ "two files", { "explain", "--policy", T, "@W/plain", "@W/ima" }, 2,
	  { "one PATH at a time" } },
	{ "unknown option", { "explain", "--policy", T, "--keys", "@W/plain" }, 2,
	  { "unknown option '--keys'" } },
	{ "no such file", { "explain", "--policy", T, "@W/none" }, 3,
	  { "@W/none: No such file or directory" } },
	{ "not a regular file", { "explain", "--policy", T, "@W" }, 3,
	  { "not a regular file" } },
	{ "no sigil here and no --policy", { "explain", "@W/plain" }, 3,
	  { "give --policy FILE to explain offline" } },
	{ "--help", { "explain", "--help" }, 0,
	  { "usage: sigilctl explain PATH|--anonymous [--op OP] [--program PROG] [--policy FILE]\n" } },
};

static char rsa[64], fpr[64], keyid[64];

/* @s with @P, @W, @S, @R, @G and @K expanded, in a static buffer. */
static const char *expand(const char *s, int slot)
{
	static char out[8][8192];
	char *o = out[slot];
	size_t n = 0;

	for (; *s && n + PATH_MAX < sizeof(out[0]); s++) {
		const char *v = NULL;

		if (s[0] == '@') {
			switch (s[1]) {
			case 'P': v = work; break;
			case 'W': v = work; break;
			case 'S': v = pols; break;
			case 'R': v = rsa; break;
			case 'G': v = fpr; break;
			case 'K': v = keyid; break;
			}
		}
		if (!v) {
			o[n++] = *s;
			continue;
		}
		n += snprintf(o + n, sizeof(out[0]) - n, "%s%s", v,
			      s[1] == 'P' ? "/t.pol" : "");
		s++;
	}
	o[n] = '\0';
	return o;
}

/* Run sigilctl with @args; its output in @out, its exit status. */
static int run(const char *const *args, char *out, size_t size)
{
	char *argv[10] = { sigilctl };
	int pipefd[2], status, i;
	size_t len = 0;
	ssize_t n;
	pid_t pid;

	for (i = 0; i < 8 && args[i]; i++)
		argv[i + 1] = strdup(expand(args[i], i));
	if (pipe(pipefd))
		return -1;
	pid = fork();
	if (!pid) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		/* No sigil here, whatever the host runs. */
		setenv("SIGIL_SECURITYFS", "/nonexistent/sigil", 1);
		execv(sigilctl, argv);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < size - 1 && (n = read(pipefd[0], out + len, size - 1 - len)) > 0)
		len += n;
	out[len] = '\0';
	close(pipefd[0]);
	for (i = 1; argv[i]; i++)
		free(argv[i]);
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

static int write_text(const char *dir, const char *name, const char *text)
{
	char path[PATH_MAX + 64];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fputs(text, f);
	return fclose(f) ? -errno : 0;
}

static int make_files(void)
{
	size_t i, alen, vlen;
	char path[PATH_MAX + 64];
	u8 *a, *v;
	int rc = 0;

	a = read_fixture(sigs, "files/a", &alen);
	if (!a)
		return -ENOENT;
	for (i = 0; i < sizeof(files) / sizeof(files[0]) && !rc; i++) {
		const struct test_file *f = &files[i];
		int fd;

		snprintf(path, sizeof(path), "%s/%s", work, f->name);
		fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0755);
		if (fd < 0 || write(fd, a, alen) != (ssize_t)alen || close(fd))
			rc = -EIO;
		if (rc || !f->xattr)
			continue;
		if (f->fixture) {
			char name[64];

			snprintf(name, sizeof(name), "files/%s", f->fixture);
			v = read_fixture(sigs, name, &vlen);
			if (!v)
				return -ENOENT;
			rc = setxattr(path, f->xattr, v, vlen, 0) ? -errno : 0;
			free(v);
		} else {
			rc = setxattr(path, f->xattr, f->value, f->len, 0) ? -errno : 0;
		}
	}
	free(a);
	return rc;
}

/* KEY=VALUE of the fixtures' ids file, lower-cased. */
static int id_of(const char *key, char *out, size_t size)
{
	size_t len, klen = strlen(key), i;
	u8 *ids = read_fixture(sigs, "ids", &len);
	char *line, *save;
	int rc = -ENOENT;

	if (!ids)
		return rc;
	ids = realloc(ids, len + 1);
	ids[len] = '\0';
	for (line = strtok_r((char *)ids, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save))
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(out, size, "%s", line + klen + 1);
			rc = 0;
		}
	for (i = 0; out[i]; i++)
		if (out[i] >= 'A' && out[i] <= 'F')
			out[i] += 'a' - 'A';
	free(ids);
	return rc;
}

int main(int argc, char **argv)
{
	char self[PATH_MAX], policy[2048], out[16384], *dir;
	size_t i, j;
	int rc;

	if (argc < 4) {
		fprintf(stderr, "usage: %s PGP_FIXTURES SIG_FIXTURES POLICY_FIXTURES\n", argv[0]);
		return 2;
	}
	snprintf(sigs, sizeof(sigs), "%s", argv[2]);
	snprintf(pols, sizeof(pols), "%s", argv[3]);
	/* build/host/explain_test: sigilctl is build/sigilctl. */
	if (!realpath(argv[0], self))
		return 2;
	dir = dirname(self);
	snprintf(sigilctl, sizeof(sigilctl), "%s/../sigilctl", dir);
	snprintf(work, sizeof(work), "%s/explain-test.d", dir);

	ksft_print_header();
	case_begin();
	mkdir(work, 0755);
	rc = id_of("RSA_SKID", rsa, sizeof(rsa)) ?: id_of("PGP_FPR", fpr, sizeof(fpr));
	snprintf(keyid, sizeof(keyid), "%s", fpr + 24);
	case_check(!rc, "ids: %s", strerror(-rc));
	snprintf(policy, sizeof(policy), policy_fmt, rsa, fpr);
	rc = rc ?: write_text(work, "t.pol", policy) ?:
	     write_text(work, "bad.pol",
			"policy_name=bad policy_version=1.0.0\nDEFAULT action=DENY\n"
			"op=EXECUTE bogus=1 action=ALLOW\n") ?:
	     make_files();
	case_check(!rc, "set-up in %s: %s", work, strerror(-rc));
	case_check(access(sigilctl, X_OK) == 0, "%s: %s", sigilctl, strerror(errno));
	case_end("explain: set-up: %s, the policy and %zu signed files",
		sigilctl, sizeof(files) / sizeof(files[0]));
	if (rc)
		cases_done();

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct run_case *c = &cases[i];
		int got;

		case_begin();
		got = run(c->args, out, sizeof(out));
		case_check(got == c->exit, "exit %d, want %d; output:\n%s", got, c->exit, out);
		for (j = 0; j < 6 && c->want[j]; j++) {
			const char *w = expand(c->want[j], 7);

			case_check(strstr(out, w), "missing \"%s\" in:\n%s", w, out);
		}
		if (c->unwanted)
			case_check(!strstr(out, c->unwanted), "unexpected \"%s\" in:\n%s",
				  c->unwanted, out);
		case_end("explain: %s", c->desc);
	}
	cases_done();
}
