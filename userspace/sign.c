// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl sign: sign files and whole trees in place, for an image being
 * built, with an fs-verity builtin signature (libfsverity), security.ima v2
 * or v3 (OpenSSL) or security.sigil kind 1 or 2 (GPGME), on a small pool
 * of worker threads.  Each file is signed completely or not at all (see
 * sign_file.c); this file reads the options and the keys, hands the files
 * to the threads, and reports progress and the summary.
 */

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <gpgme.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "sign.h"

struct sign_run {
	const struct sign_opts *o;
	struct sign_file *files;
	size_t nfiles;
	size_t next;		/* the next file a worker takes */
	size_t done;
	size_t counts[4];	/* by enum sign_result */
	pthread_mutex_t lock;
	bool tty;
	struct timespec last_draw;
};

/* ---- progress ---- */

static const char *const result_name[] = { "?", "signed", "skipped", "FAILED" };

/* Called with run->lock held, after file @f is done. */
static void progress(struct sign_run *run, const struct sign_file *f)
{
	struct timespec now;
	int width = 30, fill;

	if (run->o->quiet)
		return;
	if (!run->tty) {
		fprintf(stderr, "sign: [%zu/%zu] %s: %s%s%s\n", run->done, run->nfiles,
			f->path, result_name[f->result],
			f->result == RES_SIGNED ? "" : ": ",
			f->result == RES_SIGNED ? "" : f->why);
		return;
	}
	/* A bar, redrawn at most every 50 ms, and at the end. */
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (run->done != run->nfiles &&
	    (now.tv_sec - run->last_draw.tv_sec) * 1000000000L +
	    (now.tv_nsec - run->last_draw.tv_nsec) < 50000000L)
		return;
	run->last_draw = now;
	fill = run->nfiles ? (int)(width * run->done / run->nfiles) : width;
	fprintf(stderr, "\r\033[K[%.*s%*s] %zu/%zu  %zu signed, %zu skipped, %zu failed",
		fill, "##############################", width - fill, "",
		run->done, run->nfiles, run->counts[RES_SIGNED],
		run->counts[RES_SKIPPED], run->counts[RES_FAILED]);
	if (run->done == run->nfiles)
		fputc('\n', stderr);
}

static void *worker(void *arg)
{
	struct sign_run *run = arg;

	for (;;) {
		struct sign_file *f;

		pthread_mutex_lock(&run->lock);
		if (run->next == run->nfiles) {
			pthread_mutex_unlock(&run->lock);
			break;
		}
		f = &run->files[run->next++];
		pthread_mutex_unlock(&run->lock);

		sign_one(run->o, f);

		pthread_mutex_lock(&run->lock);
		run->done++;
		run->counts[f->result]++;
		progress(run, f);
		pthread_mutex_unlock(&run->lock);
	}
	sign_thread_done();
	return NULL;
}

/* ---- set-up and summary ---- */

static int load_x509(struct sign_opts *o)
{
	const ASN1_OCTET_STRING *skid;
	X509 *x = NULL;
	FILE *fp;

	fp = fopen(o->key, "r");
	if (fp) {
		o->pkey = PEM_read_PrivateKey(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (!o->pkey) {
		warnx("%s: cannot read a PEM private key", o->key);
		return -1;
	}
	fp = fopen(o->cert, "r");
	if (fp) {
		x = PEM_read_X509(fp, NULL, NULL, NULL);
		fclose(fp);
	}
	if (!x) {
		warnx("%s: cannot read a PEM certificate", o->cert);
		return -1;
	}
	if (X509_check_private_key(x, o->pkey) != 1) {
		warnx("%s does not hold the private key of %s", o->key, o->cert);
		X509_free(x);
		return -1;
	}
	/* IMA's key ID: the end of the subject key identifier. */
	skid = X509_get0_subject_key_id(x);
	if (!skid || ASN1_STRING_length(skid) < 4 || ASN1_STRING_length(skid) > 20) {
		warnx("%s has no subject key identifier, which IMA names keys by", o->cert);
		X509_free(x);
		return -1;
	}
	memcpy(o->keyid, ASN1_STRING_get0_data(skid) + ASN1_STRING_length(skid) - 4, 4);
	strcpy(o->signer, "skid:");
	hex_str(o->signer + 5, ASN1_STRING_get0_data(skid), ASN1_STRING_length(skid));
	X509_free(x);
	return 0;
}

/* Check the OpenPGP secret key once, so that a wrong ID stops everything. */
static int check_pgp_key(struct sign_opts *o)
{
	gpgme_ctx_t ctx;
	gpgme_key_t key = NULL;
	gpgme_error_t e;

	gpgme_check_version(NULL);
	e = gpgme_engine_check_version(GPGME_PROTOCOL_OpenPGP);
	if (!e)
		e = gpgme_new(&ctx);
	if (e) {
		warnx("GPGME: %s", gpgme_strerror(e));
		return -1;
	}
	if (o->pgp_key) {
		e = gpgme_get_key(ctx, o->pgp_key, &key, 1);
	} else {
		e = gpgme_op_keylist_start(ctx, NULL, 1);
		if (!e)
			e = gpgme_op_keylist_next(ctx, &key);
		gpgme_op_keylist_end(ctx);
	}
	if (e || !key || !key->subkeys) {
		warnx("no OpenPGP secret key %s%s(GNUPGHOME=%s): %s",
		      o->pgp_key ? o->pgp_key : "", o->pgp_key ? " " : "",
		      getenv("GNUPGHOME") ? getenv("GNUPGHOME") : "~/.gnupg",
		      e ? gpgme_strerror(e) : "none found");
		gpgme_release(ctx);
		return -1;
	}
	snprintf(o->signer, sizeof(o->signer), "openpgp:%s",
		 o->pgp_key ? key->subkeys->fpr : "gpg's default key");
	gpgme_key_unref(key);
	gpgme_release(ctx);
	return 0;
}

static const char *format_name(const struct sign_opts *o)
{
	switch (o->format) {
	case SIGN_FSVERITY:
		return "fsverity";
	case SIGN_IMA:
		return o->v3 ? "ima-v3" : "ima-v2";
	default:
		return o->kind == SIGIL_XATTR_VERITY ? "pgp-kind1" : "pgp-kind2";
	}
}

/* Skip reasons, counted, in order of first appearance. */
static void summary_text(const struct sign_run *run)
{
	const char *reasons[8] = { 0 };
	size_t nreasons = 0, counts[8] = { 0 }, i, j;

	printf("%zu files: %zu signed (%s, %s), %zu skipped, %zu failed\n",
	       run->nfiles, run->counts[RES_SIGNED], format_name(run->o), run->o->signer,
	       run->counts[RES_SKIPPED], run->counts[RES_FAILED]);
	for (i = 0; i < run->nfiles; i++) {
		const struct sign_file *f = &run->files[i];

		if (f->result != RES_SKIPPED)
			continue;
		for (j = 0; j < nreasons && strcmp(reasons[j], f->why); j++)
			;
		if (j == nreasons && nreasons < 8)
			reasons[nreasons++] = f->why;
		if (j < 8)
			counts[j]++;
	}
	for (j = 0; j < nreasons; j++)
		printf("skipped: %zu %s\n", counts[j], reasons[j]);
	for (i = 0; i < run->nfiles; i++) {
		const struct sign_file *f = &run->files[i];

		if (f->result == RES_FAILED)
			printf("failed: %s: %s: %s%s%s%s\n", f->path, f->why, strerror(f->err),
			       f->msg ? " (" : "", f->msg ? f->msg : "", f->msg ? ")" : "");
	}
}

static void summary_json(const struct sign_run *run)
{
	bool first = true, f1;
	size_t i;
	int pass;

	putchar('{');
	json_kv_str("format", format_name(run->o), &first);
	json_kv_str("signer", run->o->signer, &first);
	json_kv_num("files", run->nfiles, &first);
	json_kv_num("signed", run->counts[RES_SIGNED], &first);
	json_kv_num("skipped", run->counts[RES_SKIPPED], &first);
	json_kv_num("failed", run->counts[RES_FAILED], &first);
	for (pass = RES_SKIPPED; pass <= RES_FAILED; pass++) {
		bool firstf = true;

		json_key(pass == RES_SKIPPED ? "skipped_files" : "failed_files", &first);
		putchar('[');
		for (i = 0; i < run->nfiles; i++) {
			const struct sign_file *f = &run->files[i];

			if ((int)f->result != pass)
				continue;
			if (!firstf)
				putchar(',');
			firstf = false;
			f1 = true;
			putchar('{');
			json_kv_str("path", f->path, &f1);
			json_kv_str("reason", f->why, &f1);
			if (pass == RES_FAILED) {
				json_kv_num("errno", f->err, &f1);
				json_kv_str("error", strerror(f->err), &f1);
				json_kv_str("detail", f->msg, &f1);
			}
			putchar('}');
		}
		putchar(']');
	}
	puts("}");
}

enum {
	OPT_FSVERITY = OPT_LONG, OPT_IMA, OPT_PGP, OPT_V3, OPT_KIND, OPT_KEY, OPT_CERT,
	OPT_PGP_KEY, OPT_JOBS, OPT_ALL, OPT_NO_ENABLE,
};

static const struct option sign_longopts[] = {
	{ "fsverity", no_argument, NULL, OPT_FSVERITY },
	{ "ima", no_argument, NULL, OPT_IMA },
	{ "v3", no_argument, NULL, OPT_V3 },
	{ "pgp", no_argument, NULL, OPT_PGP },
	{ "kind", required_argument, NULL, OPT_KIND },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "cert", required_argument, NULL, OPT_CERT },
	{ "pgp-key", required_argument, NULL, OPT_PGP_KEY },
	{ "all", no_argument, NULL, OPT_ALL },
	{ "jobs", required_argument, NULL, OPT_JOBS },
	{ "quiet", no_argument, NULL, 'q' },
	{ "no-enable", no_argument, NULL, OPT_NO_ENABLE },
	OPTION_JSON,
	OPTION_HELP,
	{ NULL },
};

/*
 * Options come before the paths: the first path ends them.  0; EXIT_USAGE
 * after a usage error; CMD_HELP or CMD_USAGE from cmd_getopt().
 */
static int parse_args(int argc, char **argv, struct sign_opts *o, int *first_path)
{
	enum sign_format fmt;
	int c;

	while ((c = cmd_getopt(argc, argv, "sign", "+:hq", sign_longopts)) != -1) {
		switch (c) {
		case OPT_FSVERITY:
		case OPT_IMA:
		case OPT_PGP:
			fmt = c == OPT_FSVERITY ? SIGN_FSVERITY :
			      c == OPT_IMA ? SIGN_IMA : SIGN_PGP;
			if (o->format && o->format != fmt)
				return usage_error("sign", "one of --fsverity, --ima and --pgp");
			o->format = fmt;
			break;
		case OPT_V3:
			o->v3 = true;
			break;
		case OPT_KIND:
			o->kind = atoi(optarg);
			if (o->kind != 1 && o->kind != 2)
				return usage_error("sign", "--kind is 1 or 2");
			break;
		case OPT_KEY:
			o->key = optarg;
			break;
		case OPT_CERT:
			o->cert = optarg;
			break;
		case OPT_PGP_KEY:
			o->pgp_key = optarg;
			break;
		case OPT_JOBS:
			o->jobs = atoi(optarg);
			if (o->jobs < 1 || o->jobs > 256)
				return usage_error("sign", "--jobs is 1 to 256");
			break;
		case OPT_ALL:
			o->all = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case OPT_NO_ENABLE:
			o->no_enable = true;
			break;
		default:
			return c;	/* CMD_HELP or CMD_USAGE */
		}
	}
	*first_path = optind;
	if (optind == argc)
		return usage_error("sign", "which files or directories?");
	if (!o->format)
		return usage_error("sign", "which signature: --fsverity, --ima or --pgp?");
	if (o->v3 && o->format != SIGN_IMA)
		return usage_error("sign", "--v3 goes with --ima");
	if (o->kind && o->format != SIGN_PGP)
		return usage_error("sign", "--kind goes with --pgp");
	if (o->format == SIGN_PGP && (o->key || o->cert))
		return usage_error("sign", "--pgp signs through gpg: name the key with --pgp-key");
	if (o->format != SIGN_PGP && (!o->key || !o->cert || o->pgp_key))
		return usage_error("sign",
				   "--fsverity and --ima need --key KEY.pem --cert CERT.pem");
	if (o->no_enable && !o->v3 && o->kind != SIGIL_XATTR_VERITY)
		return usage_error("sign", "--no-enable goes with --ima --v3 or --pgp --kind 1");
	if (!o->kind)
		o->kind = SIGIL_XATTR_CONTENT;
	return 0;
}

int cmd_sign(int argc, char **argv)
{
	struct sign_opts o = { 0 };
	struct sign_run run = { .o = &o, .lock = PTHREAD_MUTEX_INITIALIZER };
	struct walk_entry *entries;
	pthread_t threads[256];
	int i, first = 0, rc, nthreads;
	size_t k;

	rc = parse_args(argc, argv, &o, &first);
	if (rc)
		return rc < 0 ? cmd_exit(rc) : rc;
	if (!o.jobs) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);

		o.jobs = n < 1 ? 1 : n > 16 ? 16 : (int)n;
	}
	if (o.format == SIGN_IMA && load_x509(&o))
		return EXIT_FAIL;
	if (o.format == SIGN_FSVERITY) {
		/* libfsverity reads them for each file: check them once. */
		if (load_x509(&o))
			return EXIT_FAIL;
		EVP_PKEY_free(o.pkey);
		o.pkey = NULL;
	}
	if (o.format == SIGN_PGP && check_pgp_key(&o))
		return EXIT_FAIL;
	sign_file_init();

	if (walk_list_files(argv + first, argc - first, &entries, &run.nfiles))
		return EXIT_FAIL;
	run.files = calloc(run.nfiles ? run.nfiles : 1, sizeof(*run.files));
	if (!run.files) {
		warnx("out of memory");
		return EXIT_FAIL;
	}
	for (k = 0; k < run.nfiles; k++)
		run.files[k].path = entries[k].path;
	free(entries);
	run.tty = isatty(STDERR_FILENO);

	nthreads = (size_t)o.jobs < run.nfiles ? o.jobs : (int)run.nfiles;
	for (i = 0; i < nthreads; i++)
		if (pthread_create(&threads[i], NULL, worker, &run))
			break;
	nthreads = i;
	if (!nthreads)
		worker(&run);
	for (i = 0; i < nthreads; i++)
		pthread_join(threads[i], NULL);

	if (opt_json)
		summary_json(&run);
	else
		summary_text(&run);
	for (k = 0; k < run.nfiles; k++) {
		free(run.files[k].path);
		free(run.files[k].msg);
	}
	free(run.files);
	EVP_PKEY_free(o.pkey);
	return run.counts[RES_FAILED] ? EXIT_FAIL : EXIT_OK;
}
