// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigilctl explain: which rule decides an operation on a file, and on what
 * facts.  On a sigil kernel the kernel answers through sigil/explain; with
 * --policy, or without sigil, the policy is evaluated here with the shared
 * evaluator, on the facts userspace can gather (signatures are seen, not
 * verified).
 */

#include <errno.h>
#include <fcntl.h>
#include <linux/fsverity.h>
#include <linux/magic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include "filesig.h"
#include "pgp.h"
#include "policy.h"
#include "signed.h"
#include "sigilctl.h"

/* ---- an answer: key=value pairs, in the kernel's order ---- */

struct kv {
	char *key;
	char *value;
};

struct answer {
	struct kv *kv;
	int n;
	int cap;
};

static void add(struct answer *a, const char *key, const char *value)
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

static void __attribute__((format(printf, 3, 4)))
addf(struct answer *a, const char *key, const char *fmt, ...)
{
	char *v;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&v, fmt, ap) < 0)
		v = NULL;
	va_end(ap);
	add(a, key, v ? v : "");
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

static void answer_free(struct answer *a)
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
	"if_verified_match", "if_verified_line", "if_verified_rule", NULL,
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

static int unhex(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Undo the kernel's \xHH escapes, in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] == 'x' && unhex(s[2]) >= 0 &&
		    unhex(s[3]) >= 0) {
			*out++ = (char)(unhex(s[2]) << 4 | unhex(s[3]));
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
		add(a, line, eq + 1);
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

/* ---- offline ---- */

/* What userspace can tell of one signature without verifying it. */
enum seen {
	SEEN_ABSENT,
	SEEN_NO_VERITY,
	SEEN_REFUSED,
	SEEN_UNVERIFIED,
	SEEN_ERROR,
};

static const char *const seen_names[] = {
	[SEEN_ABSENT] = "absent",
	[SEEN_NO_VERITY] = "no-fsverity",
	[SEEN_REFUSED] = "refused",
	[SEEN_UNVERIFIED] = "unverified",
	[SEEN_ERROR] = "error",
};

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
 * @seen: per kind, what was found
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
	struct answer *notes;
};

static int fail(struct offline *o, unsigned int kind, int err, const char *fmt,
		...) __attribute__((format(printf, 4, 5)));

static int fail(struct offline *o, unsigned int kind, int err, const char *fmt,
		...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(o->why, sizeof(o->why), fmt, ap);
	va_end(ap);
	o->error_kind = kind;
	o->seen[kind] = SEEN_ERROR;
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

	o->seen[SIGIL_SIG_FSVERITY] = SEEN_ABSENT;
	if (!buf)
		return -ENOMEM;
	arg.buf_ptr = (unsigned long)buf;
	n = ioctl(o->fd, FS_IOC_READ_VERITY_METADATA, &arg);
	if (n <= 0)
		goto out;	/* not fs-verity, or no builtin signature */
	rc = pkcs7_signer_id(buf, n, &sid, &err);
	if (rc) {
		rc = fail(o, SIGIL_SIG_FSVERITY, rc, "%s", err.msg);
	} else if (sid.signers != 1 || sid.certs) {
		o->seen[SIGIL_SIG_FSVERITY] = SEEN_REFUSED;
	} else {
		o->seen[SIGIL_SIG_FSVERITY] = SEEN_UNVERIFIED;
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

static int probe_ima(struct offline *o, bool verity)
{
	struct pgp_error err = { 0 };
	struct ima_sig sig;
	ssize_t n;
	u8 *v;
	int rc;

	o->seen[SIGIL_SIG_IMA] = SEEN_ABSENT;
	n = read_xattr(o->fd, "security.ima", IMA_XATTR_MAX, &v);
	if (n < 0)
		return fail(o, SIGIL_SIG_IMA, n, "reading security.ima failed: %s",
			    strerror(-n));
	if (!v)
		return 0;
	rc = ima_xattr_parse(v, n, &sig, &err);
	if (rc == -ENODATA) {
		rc = 0;		/* a bare hash is no signature */
	} else if (rc == -EKEYREJECTED) {
		o->seen[SIGIL_SIG_IMA] = SEEN_REFUSED;
		rc = 0;
	} else if (rc) {
		rc = fail(o, SIGIL_SIG_IMA, rc, "%s", err.msg);
	} else if (sig.type == IMA_XATTR_VERITY_DIGSIG && !verity) {
		o->seen[SIGIL_SIG_IMA] = SEEN_NO_VERITY;
	} else {
		o->seen[SIGIL_SIG_IMA] = SEEN_UNVERIFIED;
		ima_signers(o, sig.keyid);
	}
	free(v);
	return rc;
}

static int probe_pgp(struct offline *o, bool verity)
{
	struct pgp_error err = { 0 };
	struct pgp_packet pkt;
	struct sigil_xattr x;
	struct pgp_sig sig;
	size_t pos = 0;
	ssize_t n;
	u8 *v;
	int rc;

	o->seen[SIGIL_SIG_PGP] = SEEN_ABSENT;
	n = read_xattr(o->fd, SIGIL_XATTR_NAME, SIGIL_XATTR_MAX, &v);
	if (n < 0)
		return fail(o, SIGIL_SIG_PGP, n, "reading %s failed: %s",
			    SIGIL_XATTR_NAME, strerror(-n));
	if (!v)
		return 0;
	rc = sigil_xattr_parse(v, n, &x, &err);
	if (!rc && x.kind == SIGIL_XATTR_VERITY && !verity) {
		o->seen[SIGIL_SIG_PGP] = SEEN_NO_VERITY;
		goto out;
	}
	if (!rc)
		rc = pgp_read_packet(x.packet, x.len, &pos, &pkt, &err);
	if (!rc)
		rc = pgp_parse_sig(pkt.body, pkt.len, &sig, &err);
	if (!rc)
		rc = pgp_check_data_sig(&sig, &err);
	if (rc == -EKEYREJECTED) {
		o->seen[SIGIL_SIG_PGP] = SEEN_REFUSED;
		rc = 0;
	} else if (rc) {
		rc = fail(o, SIGIL_SIG_PGP, rc, "%s", err.msg);
	} else {
		o->seen[SIGIL_SIG_PGP] = SEEN_UNVERIFIED;
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
	struct sigil_digest dg;
	bool verity;
	int rc;

	memset(&o->signer[kind], 0, sizeof(o->signer[kind]));
	rc = measure(o->fd, &dg);
	if (rc)
		return fail(o, kind, rc, "measuring fs-verity failed: %s",
			    strerror(-rc));
	verity = dg.algo != SIGIL_HASH_NONE;
	if (kind == SIGIL_SIG_FSVERITY)
		rc = verity ? probe_fsverity(o) : 0;
	else if (kind == SIGIL_SIG_IMA)
		rc = probe_ima(o, verity);
	else
		rc = probe_pgp(o, verity);
	if (kind == SIGIL_SIG_FSVERITY && !verity)
		o->seen[kind] = SEEN_ABSENT;
	if (rc)
		return rc;
	o->looked |= 1u << kind;
	if (o->seen[kind] == SEEN_UNVERIFIED && o->optimistic) {
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
	addf(o->notes, "note",
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
			addf(o->notes, "note",
			     "program_signer: offline explain does not verify the program's signatures, and takes it as holding for no key; ask the kernel");
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
			addf(o->notes, "note",
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
		add(a, key, "none");
		return;
	}
	hex_str(hex, dg->bytes, dg->size);
	addf(a, key, "%s:%s", sigil_hash_algos[dg->algo].name, hex);
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
	add(a, key, val);
}

/* The decision and the facts behind it, as the kernel would say them. */
static void add_decision(struct answer *a, const struct offline *o,
			 const char *text, const struct sigil_decision *d)
{
	const u32 known = o->facts.known, truths = o->facts.truths;
	unsigned int k;

	add(a, "action", d->action == SIGIL_ACTION_ALLOW ? "ALLOW" : "DENY");
	add(a, "match", sigil_match_names[d->match]);
	if (d->match == SIGIL_MATCH_ERROR) {
		addf(a, "error", "%d", d->error);
		if (o->error_kind >= 0 &&
		    d->error_prop == sigil_sig_props[o->error_kind])
			addf(a, "reason", "%s: %s", sigil_prop_names[d->error_prop],
			     o->why);
		else if (d->error_prop < __SIGIL_PROP_MAX)
			addf(a, "reason", "%s lookup failed",
			     sigil_prop_names[d->error_prop]);
		else
			add(a, "reason", "no DEFAULT for this operation");
	} else {
		addf(a, "line", "%u", d->src->line);
		addf(a, "rule", "%.*s", (int)d->src->len, text + d->src->off);
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED))
		add(a, "boot_verified",
		    truths & SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) ? "TRUE" : "FALSE");
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH)) {
		add(a, "dmverity_roothash", "none");
		add(a, "dmverity_signature", "FALSE");
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))
		add_digest(a, "fsverity_digest", &o->facts.fsverity_digest);
	for (k = 0; k < __SIGIL_SIG_MAX; k++) {
		const char *prop = sigil_prop_names[sigil_sig_props[k]];

		if (o->error_kind == (int)k) {
			add(a, prop, "error");
		} else if (o->looked & (1u << k)) {
			add(a, prop, seen_names[o->seen[k]]);
			if (o->seen[k] == SEEN_UNVERIFIED)
				add_signer(a, k, &o->signer[k]);
		}
	}
	if (known & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS))
		add(a, "anonymous",
		    truths & SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS) ? "TRUE" : "FALSE");
	if (known & SIGIL_PROPS_PROGRAM)
		add(a, "program", o->pfd >= 0 ? o->program : "none");
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
static int explain_offline(const char *file, int fd, int pfd,
			   const char *path, const char *program,
			   unsigned int op, struct answer *a)
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

	add(a, "op", sigil_op_names[op]);
	add(a, "path", fd < 0 ? "none" : path);
	if (fd >= 0)
		addf(a, "ino", "%llu", (unsigned long long)o.st.st_ino);
	add(a, "policy", pol->name);
	addf(a, "version", "%u.%u.%u", pol->version[0], pol->version[1],
	     pol->version[2]);
	add_decision(a, &o, text, &d);
	if (alt.action != d.action || alt.match != d.match || alt.src != d.src) {
		add(a, "if_verified_action",
		    alt.action == SIGIL_ACTION_ALLOW ? "ALLOW" : "DENY");
		add(a, "if_verified_match", sigil_match_names[alt.match]);
		if (alt.src) {
			addf(a, "if_verified_line", "%u", alt.src->line);
			addf(a, "if_verified_rule", "%.*s", (int)alt.src->len,
			     text + alt.src->off);
		}
	}
	for (i = 0; i < notes.n; i++)
		add(a, "note", notes.kv[i].value);
	for (i = 0; i < __SIGIL_SIG_MAX; i++)
		if ((o.looked & (1u << i)) && o.seen[i] == SEEN_UNVERIFIED)
			break;
	if (i < __SIGIL_SIG_MAX)
		add(a, "note",
		    "offline explain does not verify signatures: \"unverified\" means present and well-formed, and is taken as not verifying; the kernel, or sigilctl verify, checks them");
	rc = EXIT_OK;
out:
	answer_free(&notes);
	sigil_policy_free(pol);
	free(text);
	return rc;
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
	for (; i < a->n; i++)
		if (is_fact(a->kv[i].key))
			printf("    %-20s %s\n", a->kv[i].key, a->kv[i].value);
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

int cmd_explain(int argc, char **argv)
{
	const char *path = NULL, *policy = NULL, *op_name = "EXECUTE";
	const char *program = NULL;
	struct answer a = { 0 };
	bool anonymous = false;
	int i, fd = -1, pfd = -1, rc;
	unsigned int op;

	if (help_requested(argc, argv, "explain"))
		return EXIT_OK;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--op") || !strcmp(argv[i], "--policy") ||
		    !strcmp(argv[i], "--program")) {
			if (i + 1 == argc)
				return usage_error("explain", "%s needs a value", argv[i]);
			*(argv[i][2] == 'o' ? &op_name :
			  argv[i][4] == 'l' ? &policy : &program) = argv[i + 1];
			i++;
		} else if (!strncmp(argv[i], "--op=", 5)) {
			op_name = argv[i] + 5;
		} else if (!strncmp(argv[i], "--policy=", 9)) {
			policy = argv[i] + 9;
		} else if (!strncmp(argv[i], "--program=", 10)) {
			program = argv[i] + 10;
		} else if (!strcmp(argv[i], "--anonymous")) {
			anonymous = true;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("explain", "unknown option '%s'", argv[i]);
		} else if (path) {
			return usage_error("explain", "one PATH at a time");
		} else {
			path = argv[i];
		}
	}
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
