// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl explain --policy: the policy evaluated here, with the shared
 * evaluator, on the facts userspace can gather: fs-verity digests are
 * measured, signatures are read and parsed with the kernel's parsers but
 * not verified, and what cannot be known is said in notes.  The answer
 * has the kernel's keys, so that explain.c prints both alike.
 */

#include <errno.h>
#include <linux/fsverity.h>
#include <linux/magic.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "explain.h"
#include "filesig.h"
#include "pgp.h"
#include "policy.h"
#include "signed.h"

/**
 * struct offline - one offline evaluation
 * @facts: what the shared evaluator reads; its ctx points here
 * @fd: the file, or -1 for memory without a file
 * @st: its fstat()
 * @pfd: the program to take as running, or -1 for none
 * @program: its path
 * @pol: the policy
 * @optimistic: take every signature that is present to verify
 * @looked: BIT() of each signature kind the rules looked at
 * @seen: per kind, its enum sigil_sig_state
 * @signer: per kind, who the signature says made it
 * @error_kind: the kind whose reading failed, or -1
 * @why: what failed
 * @notes: what offline evaluation had to assume
 */
struct offline {
	struct sigil_facts facts;
	int fd;
	struct stat st;
	int pfd;
	const char *program;
	const struct sigil_policy *pol;
	bool optimistic;
	u8 looked;
	u8 seen[__SIGIL_SIG_MAX];
	struct sigil_signer signer[__SIGIL_SIG_MAX];
	int error_kind;
	char why[PGP_ERR_MSG_MAX];
	char refused[__SIGIL_SIG_MAX][PGP_ERR_MSG_MAX];
	struct answer *notes;
};

static int fail(struct offline *o, unsigned int kind, int err, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

/* @kind's signature is refused, for @err's reason, as the kernel says. */
static void refuse(struct offline *o, unsigned int kind,
		   const struct pgp_error *err)
{
	o->seen[kind] = SIGIL_SIG_REFUSED;
	snprintf(o->refused[kind], sizeof(o->refused[kind]), "%s", err->msg);
}

static int fail(struct offline *o, unsigned int kind, int err, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	o->error_kind = kind;
	o->seen[kind] = SIGIL_SIG_ERROR;
	return err;
}

static void signer_add(struct sigil_signer *s, const u8 *id, unsigned int len)
{
	if (s->nids >= SIGIL_SIGNER_IDS || len > SIGIL_SIGNER_ID_MAX)
		return;
	s->len[s->nids] = len;
	memcpy(s->id[s->nids], id, len);
	s->nids++;
}

static int measure(int fd, struct sigil_digest *dg)
{
	struct {
		struct fsverity_digest d;
		u8 buf[SIGIL_DIGEST_MAX];
	} m = { .d.digest_size = SIGIL_DIGEST_MAX };

	dg->algo = SIGIL_HASH_NONE;
	if (ioctl(fd, FS_IOC_MEASURE_VERITY, &m)) {
		/* Not fs-verity, or a filesystem without it. */
		if (errno == ENODATA || errno == ENOTTY || errno == EOPNOTSUPP ||
		    errno == EINVAL)
			return 0;
		return -errno;
	}
	if (m.d.digest_algorithm == FS_VERITY_HASH_ALG_SHA256)
		dg->algo = SIGIL_HASH_SHA256;
	else if (m.d.digest_algorithm == FS_VERITY_HASH_ALG_SHA512)
		dg->algo = SIGIL_HASH_SHA512;
	else
		return -EOPNOTSUPP;	/* as the kernel: refuse, never guess */
	dg->size = m.d.digest_size;
	memcpy(dg->bytes, m.d.digest, dg->size);
	return 0;
}

/* Read xattr @name: its length with *@out malloc()ed, 0 when absent. */
static ssize_t read_xattr(int fd, const char *name, size_t max, u8 **out)
{
	ssize_t n;

	*out = malloc(max);
	if (!*out)
		return -ENOMEM;
	n = fgetxattr(fd, name, *out, max);
	if (n >= 0)
		return n;
	n = errno == ENODATA || errno == EOPNOTSUPP ? 0 :
	    errno == ERANGE ? -EBADMSG : -errno;
	free(*out);
	*out = NULL;
	return n;
}

static int probe_fsverity(struct offline *o)
{
	struct fsverity_read_metadata_arg arg = {
		.metadata_type = FS_VERITY_METADATA_TYPE_SIGNATURE,
		.length = 16384,
	};
	struct pkcs7_signer_id sid;
	struct pgp_error err = { 0 };
	u8 *buf = malloc(arg.length);
	ssize_t n;
	int rc = 0;

	o->seen[SIGIL_SIG_FSVERITY] = SIGIL_SIG_ABSENT;
	if (!buf)
		return -ENOMEM;
	arg.buf_ptr = (unsigned long)buf;
	n = ioctl(o->fd, FS_IOC_READ_VERITY_METADATA, &arg);
	if (n <= 0)
		goto out;	/* not fs-verity, or no builtin signature */
	rc = pkcs7_signer_id(buf, n, &sid, &err);
	if (rc) {
		rc = fail(o, SIGIL_SIG_FSVERITY, rc, "%s", err.msg);
	} else if (pkcs7_file_signer_check(&sid, &err)) {
		refuse(o, SIGIL_SIG_FSVERITY, &err);
	} else {
		o->seen[SIGIL_SIG_FSVERITY] = SIGIL_SIG_UNVERIFIED;
		if (sid.skid)
			signer_add(&o->signer[SIGIL_SIG_FSVERITY], sid.skid,
				   sid.skid_len);
	}
out:
	free(buf);
	return rc;
}

/*
 * An IMA signature names its key by the last 4 bytes of its identifier:
 * it is taken to be by each signer= value of the policy that ends so.
 */
static void ima_signers(struct offline *o, const u8 keyid[4])
{
	const struct sigil_policy *pol = o->pol;
	u32 i;

	for (i = 0; i < pol->nprops; i++) {
		const struct sigil_prop *p = &pol->props[i];
		const u8 *v = pol->values + p->off;

		if (p->type == SIGIL_PROP_SIGNER && p->size >= 4 &&
		    !memcmp(v + p->size - 4, keyid, 4))
			signer_add(&o->signer[SIGIL_SIG_IMA], v, p->size);
	}
}

/*
 * Read signature xattr @name and parse it with filesig_check(), as the
 * kernel does: 0 with @c->state set (*@v to free), or a failure recorded
 * for @kind.
 */
static int read_check(struct offline *o, unsigned int kind, const char *name,
		      size_t max, enum filesig_xattr xattr,
		      const struct filesig_verity *verity, u8 **v,
		      struct filesig_check *c, struct pgp_error *err)
{
	ssize_t n;
	int rc;

	o->seen[kind] = SIGIL_SIG_ABSENT;
	n = read_xattr(o->fd, name, max, v);
	if (n < 0)
		return fail(o, kind, n, "reading %s failed: %s", name, strerror(-n));
	rc = filesig_check(xattr, *v, n, verity, c, err);
	if (rc)
		return fail(o, kind, rc, "%s", err->msg);
	o->seen[kind] = c->state;
	if (c->state == SIGIL_SIG_REFUSED)
		refuse(o, kind, err);
	return 0;
}

static int probe_ima(struct offline *o, const struct filesig_verity *verity)
{
	struct pgp_error err = { 0 };
	struct filesig_check c;
	u8 *v = NULL;
	int rc;

	rc = read_check(o, SIGIL_SIG_IMA, "security.ima", IMA_XATTR_MAX,
			FILESIG_XATTR_IMA, verity, &v, &c, &err);
	if (!rc && c.state == SIGIL_SIG_UNVERIFIED)
		ima_signers(o, c.ima.keyid);
	free(v);
	return rc;
}

static int probe_pgp(struct offline *o, const struct filesig_verity *verity)
{
	struct pgp_error err = { 0 };
	struct filesig_check c;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	size_t pos = 0;
	u8 *v = NULL;
	int rc;

	rc = read_check(o, SIGIL_SIG_PGP, SIGIL_XATTR_NAME, SIGIL_XATTR_MAX,
			FILESIG_XATTR_SIGIL, verity, &v, &c, &err);
	if (rc || c.state != SIGIL_SIG_UNVERIFIED)
		goto out;
	rc = pgp_read_packet(c.sigil.packet, c.sigil.len, &pos, &pkt, &err);
	if (!rc)
		rc = pgp_parse_sig(pkt.body, pkt.len, &sig, &err);
	if (!rc)
		rc = pgp_check_data_sig(&sig, &err);
	if (rc == -EKEYREJECTED) {
		refuse(o, SIGIL_SIG_PGP, &err);
		rc = 0;
	} else if (rc) {
		rc = fail(o, SIGIL_SIG_PGP, rc, "%s", err.msg);
	} else {
		if (sig.has_issuer_fpr)
			signer_add(&o->signer[SIGIL_SIG_PGP], sig.issuer_fpr,
				   PGP_FPR_SIZE);
		if (sig.has_issuer)
			signer_add(&o->signer[SIGIL_SIG_PGP], sig.issuer,
				   PGP_KEYID_SIZE);
		else if (sig.has_issuer_fpr)
			signer_add(&o->signer[SIGIL_SIG_PGP],
				   sig.issuer_fpr + PGP_FPR_SIZE - PGP_KEYID_SIZE,
				   PGP_KEYID_SIZE);
	}
out:
	free(v);
	return rc;
}

static int fetch_signature(struct offline *o, unsigned int kind)
{
	struct filesig_verity fv = { 0 };
	struct sigil_digest dg;
	bool verity;
	int rc;

	memset(&o->signer[kind], 0, sizeof(o->signer[kind]));
	rc = measure(o->fd, &dg);
	if (rc)
		return fail(o, kind, rc, "measuring fs-verity failed: %s",
			    strerror(-rc));
	verity = dg.algo != SIGIL_HASH_NONE;
	if (verity) {
		/* FS_VERITY_HASH_ALG_SHA256 and _SHA512 */
		fv.alg = dg.algo == SIGIL_HASH_SHA256 ? 1 : 2;
		fv.size = dg.size;
		memcpy(fv.digest, dg.bytes, dg.size);
	}
	if (kind == SIGIL_SIG_FSVERITY)
		rc = verity ? probe_fsverity(o) : 0;
	else if (kind == SIGIL_SIG_IMA)
		rc = probe_ima(o, &fv);
	else
		rc = probe_pgp(o, &fv);
	if (kind == SIGIL_SIG_FSVERITY && !verity)
		o->seen[kind] = SIGIL_SIG_ABSENT;
	if (rc)
		return rc;
	o->looked |= 1u << kind;
	if (o->seen[kind] == SIGIL_SIG_UNVERIFIED && o->optimistic) {
		o->facts.truths |= SIGIL_PROP_BIT(sigil_sig_props[kind]);
		o->facts.signers[kind] = &o->signer[kind];
	}
	return 0;
}

/*
 * boot_verified means "unpacked from the initramfs into the root
 * filesystem".  Offline, a file is taken to be so when it is on the root
 * filesystem and that is a ramfs or tmpfs, as an initramfs root is.
 */
static bool on_initramfs_root(const struct offline *o)
{
	struct statfs sfs;
	struct stat root;

	if (stat("/", &root) || statfs("/", &sfs))
		return false;
	return root.st_dev == o->st.st_dev &&
	       (sfs.f_type == RAMFS_MAGIC || sfs.f_type == TMPFS_MAGIC);
}

static void dmverity_note(struct offline *o)
{
	char path[128], uuid[160] = "";
	FILE *f;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/dm/uuid",
		 major(o->st.st_dev), minor(o->st.st_dev));
	f = fopen(path, "r");
	if (!f)
		return;		/* not on a device-mapper device */
	if (!fgets(uuid, sizeof(uuid), f))
		uuid[0] = '\0';
	fclose(f);
	uuid[strcspn(uuid, "\n")] = '\0';
	answer_addf(o->notes, "note",
		    "the file is on device-mapper device %u:%u%s%s; offline explain cannot read a dm-verity root hash or its signature, and takes the file to be on no dm-verity volume",
		    major(o->st.st_dev), minor(o->st.st_dev), *uuid ? ", uuid " : "",
		    uuid);
}

static int offline_fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	struct offline *o = facts->ctx;
	bool boot;

	switch (type) {
	case SIGIL_PROP_ANONYMOUS:
		if (o->fd < 0)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		if (o->pfd >= 0)
			return measure(o->pfd, &facts->program_fsverity_digest);
		return 0;
	case SIGIL_PROP_PROGRAM_SIGNER:
		if (!o->optimistic)
			answer_addf(o->notes, "note",
				    "program_signer: offline explain does not verify the program's signatures, and takes it as holding for no key; ask the kernel");
		return 0;
	case SIGIL_PROP_MANIFEST:
		/*
		 * The manifests are the kernel's: offline explain loads none,
		 * so the file is listed in no manifest and manifest= never
		 * holds here.  The kernel's sigil/explain says which manifest
		 * lists the file and why one does not.
		 */
		facts->nmanifests = 0;
		if (!o->optimistic)
			answer_addf(o->notes, "note",
				    "manifest: offline explain loads no manifests, and takes the file to be listed in none; ask the kernel");
		return 0;
	default:
		break;
	}
	/* Memory without a file has no file facts. */
	if (o->fd < 0)
		return 0;

	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		boot = on_initramfs_root(o);
		if (boot)
			facts->truths |= SIGIL_PROP_BIT(type);
		if (!o->optimistic)
			answer_addf(o->notes, "note",
				    "boot_verified is taken as %s: the file is %son a ramfs or tmpfs root filesystem, as files unpacked from an initramfs are",
				    boot ? "TRUE" : "FALSE", boot ? "" : "not ");
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		return measure(o->fd, &facts->fsverity_digest);
	case SIGIL_PROP_DMVERITY_ROOTHASH:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		facts->dmverity_roothash.algo = SIGIL_HASH_NONE;
		facts->known |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
				SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
		if (!o->optimistic)
			dmverity_note(o);
		return 0;
	case SIGIL_PROP_FSVERITY_SIGNATURE:
		return fetch_signature(o, SIGIL_SIG_FSVERITY);
	case SIGIL_PROP_IMA_SIGNATURE:
		return fetch_signature(o, SIGIL_SIG_IMA);
	case SIGIL_PROP_PGP_SIGNATURE:
		return fetch_signature(o, SIGIL_SIG_PGP);
	default:
		return -EOPNOTSUPP;
	}
}

static void decide_offline(struct offline *o, unsigned int op,
			   struct sigil_decision *d)
{
	memset(&o->facts, 0, sizeof(o->facts));
	o->facts.fetch = offline_fetch;
	o->facts.ctx = o;
	o->looked = 0;
	o->error_kind = -1;
	o->why[0] = '\0';
	sigil_policy_decide(o->pol, op, &o->facts, d);
}

static void add_digest(struct answer *a, const char *key,
		       const struct sigil_digest *dg)
{
	char hex[2 * SIGIL_DIGEST_MAX + 1];

	if (dg->algo == SIGIL_HASH_NONE) {
		answer_add(a, key, "none");
		return;
	}
	hex_str(hex, dg->bytes, dg->size);
	answer_addf(a, key, "%s:%s", sigil_hash_algos[dg->algo].name, hex);
}

static void add_signer(struct answer *a, unsigned int kind,
		       const struct sigil_signer *s)
{
	static const char *const kinds[] = { "fsverity", "ima", "pgp" };
	char key[32], val[SIGIL_SIGNER_IDS * (2 * SIGIL_SIGNER_ID_MAX + 1)];
	size_t len = 0;
	unsigned int i;

	if (!s->nids)
		return;
	for (i = 0; i < s->nids; i++) {
		if (i)
			val[len++] = ',';
		hex_str(val + len, s->id[i], s->len[i]);
		len += 2 * s->len[i];
	}
	snprintf(key, sizeof(key), "%s_signer", kinds[kind]);
	answer_add(a, key, val);
}

/* The decision and the facts behind it, as the kernel would say them. */
static void add_decision(struct answer *a, const struct offline *o,
			 const char *text, const struct sigil_decision *d)
{
	const u32 known = o->facts.known, truths = o->facts.truths;
	unsigned int k;

	answer_add(a, "action", d->action == SIGIL_ACTION_ALLOW ? "ALLOW" : "DENY");
	answer_add(a, "match", sigil_match_names[d->match]);
	if (d->match == SIGIL_MATCH_ERROR) {
		answer_addf(a, "error", "%d", d->error);
		if (o->error_kind >= 0 &&
		    d->error_prop == sigil_sig_props[o->error_kind])
			answer_addf(a, "reason", "%s: %s", sigil_prop_names[d->error_prop],
				    o->why);
		else if (d->error_prop < __SIGIL_PROP_MAX)
			answer_addf(a, "reason", "%s lookup failed",
				    sigil_prop_names[d->error_prop]);
		else
			answer_add(a, "reason", "no DEFAULT for this operation");
	} else {
		answer_addf(a, "line", "%u", d->src->line);
		answer_addf(a, "rule", "%.*s", (int)d->src->len, text + d->src->off);
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED))
		answer_add(a, "boot_verified",
			   truths & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) ? "TRUE" : "FALSE");
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH)) {
		answer_add(a, "dmverity_roothash", "none");
		answer_add(a, "dmverity_signature", "FALSE");
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))
		add_digest(a, "fsverity_digest", &o->facts.fsverity_digest);
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		const char *prop = sigil_prop_names[sigil_sig_props[k]];

		if (o->error_kind == (int)k) {
			answer_add(a, prop, "error");
		} else if (o->looked & (1u << k)) {
			answer_add(a, prop, sigil_sig_state_names[o->seen[k]]);
			if (o->seen[k] == SIGIL_SIG_UNVERIFIED)
				add_signer(a, k, &o->signer[k]);
			if (o->refused[k][0]) {
				char key[48];

				snprintf(key, sizeof(key), "%s_reason", prop);
				answer_add(a, key, o->refused[k]);
			}
		}
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS))
		answer_add(a, "anonymous",
			   truths & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS) ? "TRUE" : "FALSE");
	if (known & SIGIL_PROPS_PROGRAM)
		answer_add(a, "program", o->pfd >= 0 ? o->program : "none");
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_PROGRAM_FSVERITY_DIGEST))
		add_digest(a, "program_fsverity_digest",
			   &o->facts.program_fsverity_digest);
}

/* The text of a plain or signed policy file, malloc()ed; NULL on error. */
static char *policy_text(const char *file, size_t *tlen)
{
	struct pgp_error perr;
	struct sigil_msg m;
	char *text;
	size_t len;
	u8 *buf;
	int rc;

	rc = read_all(file, &buf, &len);
	if (rc) {
		warnx("%s: %s", file, strerror(-rc));
		return NULL;
	}
	rc = sigil_msg_parse(buf, len, &m, &perr);
	if (rc || m.form == SIGIL_MSG_TEXT) {
		*tlen = len;
		return (char *)buf;
	}
	if (m.form == SIGIL_MSG_PKCS7) {
		warnx("%s: attached PKCS#7: give the policy text itself", file);
		free(buf);
		return NULL;
	}
	text = malloc(m.text_len + 1);
	if (text) {
		*tlen = sigil_msg_text_copy(buf, &m, (u8 *)text);
		text[*tlen] = '\0';
	}
	free(buf);
	return text;
}

/*
 * Decide offline with the policy in @file; EXIT_*.  @fd < 0: memory
 * without a file; @pfd: the running program's file, or -1 for none.
 */
int explain_offline(const char *file, int fd, int pfd, const char *path,
		    const char *program, unsigned int op, struct answer *a)
{
	struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
	struct sigil_decision d, alt;
	struct sigil_parse_error err;
	struct answer notes = { 0 };
	struct sigil_policy *pol;
	struct offline o = { .fd = fd, .pfd = pfd, .program = program };
	size_t len = 0;
	char *text;
	int i, rc;

	text = policy_text(file, &len);
	if (!text)
		return EXIT_USAGE;
	rc = sigil_policy_parse(text, len, &opts, &pol, &err);
	if (rc) {
		if (err.col)
			fprintf(stderr, "%s:%u:%u: error: %s\n", file, err.line,
				err.col, err.msg);
		else
			fprintf(stderr, "%s:%u: error: %s\n", file, err.line, err.msg);
		free(text);
		return EXIT_USAGE;
	}
	if (fd >= 0 && fstat(fd, &o.st)) {
		warnx("%s: %s", path, strerror(errno));
		rc = EXIT_ENV;
		goto out;
	}
	o.pol = pol;
	o.notes = &notes;

	/* Whether the signatures present would verify, only the kernel knows. */
	o.optimistic = true;
	decide_offline(&o, op, &alt);
	o.optimistic = false;
	decide_offline(&o, op, &d);

	answer_add(a, "op", sigil_op_names[op]);
	answer_add(a, "path", fd < 0 ? "none" : path);
	if (fd >= 0)
		answer_addf(a, "ino", "%llu", (unsigned long long)o.st.st_ino);
	answer_add(a, "policy", pol->name);
	answer_addf(a, "version", "%u.%u.%u", pol->version[0], pol->version[1],
		    pol->version[2]);
	add_decision(a, &o, text, &d);
	if (alt.action != d.action || alt.match != d.match || alt.src != d.src) {
		answer_add(a, "if_verified_action",
			   alt.action == SIGIL_ACTION_ALLOW ? "ALLOW" : "DENY");
		answer_add(a, "if_verified_match", sigil_match_names[alt.match]);
		if (alt.src) {
			answer_addf(a, "if_verified_line", "%u", alt.src->line);
			answer_addf(a, "if_verified_rule", "%.*s", (int)alt.src->len,
				    text + alt.src->off);
		}
	}
	for (i = 0; i < notes.n; i++)
		answer_add(a, "note", notes.kv[i].value);
	for (i = 0; i < __SIGIL_SIG_MAX; i++)
		if ((o.looked & (1u << i)) && o.seen[i] == SIGIL_SIG_UNVERIFIED)
			break;
	if (i < __SIGIL_SIG_MAX)
		answer_add(a, "note",
			   "offline explain does not verify signatures: \"unverified\" means present and well-formed, and is taken as not verifying; the kernel, or sigilctl verify, checks them");
	rc = EXIT_OK;
out:
	answer_free(&notes);
	sigil_policy_free(pol);
	free(text);
	return rc;
}
