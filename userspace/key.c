// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl key add|list|lock.  OpenPGP keyrings (armored or binary) are
 * split into their certificates with the shared parser and each is added
 * on its own; X.509 certificates come in PEM (several per file) or DER.
 * Keys go in through the kernel's add_key(2), with libkeyutils.
 */

#include <errno.h>
#include <keyutils.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "pgp.h"
#include "sigilctl.h"

static key_serial_t find_keyring(const char *name)
{
	char line[512];
	FILE *f = fopen("/proc/keys", "r");
	key_serial_t id = -1;

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		const char *at = strstr(line, name);

		/* "... keyring   .sigil: 3": the description ends with ':'. */
		if (strstr(line, " keyring ") && at && at[-1] == ' ' &&
		    at[strlen(name)] == ':') {
			id = (key_serial_t)strtoul(line, NULL, 16);
			break;
		}
	}
	fclose(f);
	return id;
}

/* key add --dry-run: parse and report, add nothing. */
static bool dry_run;

struct added {
	bool *first;
	int failed;
	int denied;	/* of them, refused for want of permission */
	int loaded;
};

static void report(struct added *a, const char *file, const char *kind,
		   const char *id, const char *ring, long serial, int err,
		   const char *why)
{
	if (opt_json) {
		bool first = true;

		if (!*a->first)
			putchar(',');
		*a->first = false;
		putchar('{');
		json_kv_str("file", file, &first);
		json_kv_str("type", kind, &first);
		json_kv_str("id", id, &first);
		json_kv_str("keyring", ring, &first);
		json_kv_bool("loaded", !err && !dry_run, &first);
		if (err) {
			json_kv_num("errno", err, &first);
			json_kv_str("error", why, &first);
		} else if (!dry_run) {
			json_kv_num("serial", serial, &first);
		}
		putchar('}');
	} else if (err) {
		printf("%s: %s %s: refused by %s: %s%s%s\n", file, kind, id, ring,
		       strerror(err), why && *why ? ": " : "", why ? why : "");
	} else if (dry_run) {
		printf("%s: %s %s -> %s (dry run: not added)\n", file, kind, id, ring);
	} else {
		printf("%s: %s %s -> %s (key %ld)\n", file, kind, id, ring, serial);
	}
	if (err)
		a->failed++;
	else
		a->loaded++;
	if (err == EPERM || err == EACCES)
		a->denied++;
}

static void add_one(struct added *a, const char *file, const char *kind,
		    const char *id, const void *data, size_t len,
		    key_serial_t ring, const char *ring_name)
{
	long serial = dry_run ? 0 : add_key("asymmetric", "", data, len, ring);
	int err = serial < 0 ? errno : 0;

	/* The kernel logs why it refused a key; see dmesg. */
	report(a, file, kind, id, ring_name, serial, err,
	       err == EPERM || err == EACCES ?
	       "the keyring is locked, or CAP_MAC_ADMIN is missing" :
	       err ? "the kernel log says why" : NULL);
}

/* X.509: one DER certificate. */
static void add_x509(struct added *a, const char *file, X509 *x, bool fsverity,
		     key_serial_t sigil, key_serial_t fsv)
{
	const ASN1_OCTET_STRING *skid = X509_get0_subject_key_id(x);
	unsigned char *der = NULL;
	char id[2 * 64 + 8] = "skid:?";
	int len = i2d_X509(x, &der);

	if (skid && ASN1_STRING_length(skid) <= 64) {
		strcpy(id, "skid:");
		hex_str(id + 5, ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
	}
	if (len <= 0) {
		report(a, file, "x509", id, ".sigil", 0, EINVAL, "cannot encode");
		return;
	}
	add_one(a, file, "x509", id, der, len, sigil, ".sigil");
	if (fsverity)
		add_one(a, file, "x509", id, der, len, fsv, ".fs-verity");
	OPENSSL_free(der);
}

static int add_file(struct added *a, const char *file, bool fsverity,
		    key_serial_t sigil, key_serial_t fsv)
{
	struct pgp_error err = { 0 };
	size_t len, pos = 0, blen;
	const unsigned char *p;
	u8 *buf, *bin = NULL;
	X509 *x;
	int rc;

	rc = read_all(file, &buf, &len);
	if (rc) {
		warnx("%s: %s", file, strerror(-rc));
		a->failed++;
		return -1;
	}
	/* X.509, PEM: every certificate in the file. */
	if (strstr((char *)buf, "-----BEGIN CERTIFICATE-----")) {
		BIO *bio = BIO_new_mem_buf(buf, (int)len);
		int n = 0;

		while ((x = PEM_read_bio_X509(bio, NULL, NULL, NULL))) {
			add_x509(a, file, x, fsverity, sigil, fsv);
			X509_free(x);
			n++;
		}
		BIO_free(bio);
		free(buf);
		if (!n) {
			warnx("%s: no readable certificate", file);
			a->failed++;
		}
		return 0;
	}
	/* X.509, DER. */
	p = buf;
	x = d2i_X509(NULL, &p, (long)len);
	if (x && p == buf + len) {
		add_x509(a, file, x, fsverity, sigil, fsv);
		X509_free(x);
		free(buf);
		return 0;
	}
	X509_free(x);
	/* OpenPGP, armored: the binary keyring inside. */
	if (strstr((char *)buf, "-----BEGIN PGP PUBLIC KEY BLOCK-----")) {
		bin = malloc(len);
		if (pgp_dearmor((char *)buf, len, &pos, "PGP PUBLIC KEY BLOCK", bin,
				len, &blen, &err)) {
			warnx("%s: %s", file, err.msg);
			free(bin);
			free(buf);
			a->failed++;
			return -1;
		}
		free(buf);
		buf = bin;
		len = blen;
	}
	if (fsverity)
		warnx("%s: --also-fsverity takes X.509 certificates; OpenPGP keys go into .sigil only",
		      file);
	/* A keyring: each certificate, from one public-key packet to the next. */
	for (pos = 0; pos < len;) {
		struct pgp_packet pkt;
		struct pgp_cert cert;
		char id[2 * PGP_FPR_SIZE + 9];
		size_t end = pgp_cert_end(buf, len, pos);

		memset(&err, 0, sizeof(err));
		if (end == pos) {
			pgp_read_packet(buf, len, &end, &pkt, &err);
			warnx("%s: byte %u: %s", file, err.offset, err.msg);
			a->failed++;
			break;
		}
		if (pgp_parse_cert(buf + pos, end - pos, &cert, &err)) {
			report(a, file, "openpgp", "?", ".sigil", 0, EBADMSG, err.msg);
		} else {
			strcpy(id, "openpgp:");
			hex_str(id + 8, cert.primary.fpr, PGP_FPR_SIZE);
			add_one(a, file, "openpgp", id + 8, buf + pos, end - pos,
				sigil, ".sigil");
		}
		pos = end;
	}
	free(buf);
	return 0;
}

enum { OPT_ALSO_FSVERITY = OPT_LONG, OPT_DRY_RUN };

static const struct option key_add_opts[] = {
	{ "also-fsverity", no_argument, NULL, OPT_ALSO_FSVERITY },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

int cmd_key_add(int argc, char **argv)
{
	bool fsverity = false, first = true;
	struct added a = { .first = &first };
	key_serial_t sigil, fsv = -1;
	int i, c;

	while ((c = cmd_getopt(argc, argv, "key add", ":h", key_add_opts)) != -1) {
		switch (c) {
		case OPT_ALSO_FSVERITY:
			fsverity = true;
			break;
		case OPT_DRY_RUN:
			dry_run = true;
			break;
		default:
			return cmd_exit(c);
		}
	}
	if (optind == argc)
		return usage_error("key add", "which key files?");
	if (!dry_run && !sigil_present())
		return EXIT_ENV;
	sigil = dry_run ? 0 : find_keyring(".sigil");
	if (fsverity && !dry_run)
		fsv = find_keyring(".fs-verity");
	if (sigil < 0 || (fsverity && !dry_run && fsv < 0)) {
		warnx("cannot find the %s keyring in /proc/keys",
		      sigil < 0 ? ".sigil" : ".fs-verity");
		return EXIT_ENV;
	}
	if (opt_json)
		putchar('[');
	for (i = optind; i < argc; i++)
		add_file(&a, argv[i], fsverity, sigil, fsv);
	if (opt_json)
		puts("]");
	else if (dry_run)
		printf("%d readable, %d unreadable (dry run: nothing added)\n",
		       a.loaded, a.failed);
	else
		printf("%d loaded, %d refused\n", a.loaded, a.failed);
	if (a.failed && a.denied == a.failed)
		return EXIT_ENV;
	return a.failed ? EXIT_FAIL : EXIT_OK;
}

int cmd_key_list(int argc, char **argv)
{
	key_serial_t sigil, *ids = NULL;
	bool first = true;
	long n, i;
	int rc = cmd_operands(argc, argv, "key list", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("key list", "no arguments");
	if (!sigil_present())
		return EXIT_ENV;
	sigil = find_keyring(".sigil");
	if (sigil < 0) {
		warnx("cannot find the .sigil keyring in /proc/keys");
		return EXIT_ENV;
	}
	n = keyctl_read_alloc(sigil, (void **)&ids);
	if (n < 0) {
		warnx(".sigil: %s", strerror(errno));
		return EXIT_ENV;
	}
	n /= sizeof(*ids);
	if (opt_json)
		putchar('[');
	for (i = 0; i < n; i++) {
		char *desc = NULL;

		if (keyctl_describe_alloc(ids[i], &desc) < 0)
			continue;
		/* "type;uid;gid;perm;description" */
		{
			char *d = desc;
			int semi = 0;

			while (*d && semi < 4)
				if (*d++ == ';')
					semi++;
			if (opt_json) {
				bool f = true;

				if (!first)
					putchar(',');
				first = false;
				putchar('{');
				json_kv_num("serial", ids[i], &f);
				json_kv_str("description", d, &f);
				putchar('}');
			} else {
				printf("%-10d %s\n", ids[i], d);
			}
		}
		free(desc);
	}
	if (opt_json)
		puts("]");
	free(ids);
	return EXIT_OK;
}

int cmd_key_lock(int argc, char **argv)
{
	char path[512];
	int rc = cmd_operands(argc, argv, "key lock", true);

	if (rc)
		return cmd_exit(rc);
	if (optind != argc)
		return usage_error("key lock", "no arguments");
	if (!sigil_present())
		return EXIT_ENV;
	sfs_path(path, sizeof(path), "keyring_locked");
	rc = write_once(path, "1", 1);
	if (rc) {
		warnx("keyring_locked: %s", strerror(-rc));
		return rc == -EPERM ? EXIT_ENV : EXIT_FAIL;
	}
	if (!opt_json)
		printf(".sigil is locked until reboot\n");
	return EXIT_OK;
}
