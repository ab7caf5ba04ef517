// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness that decides every operation with three evaluators
 * and treats any disagreement as a crash: the compiled evaluator
 * (sigil_policy_decide(): runs, hash tables), the reference that checks
 * every rule in order (sigil_policy_decide_linear()), and, for a policy
 * that the BPF mode accepts, the BPF program's walk over the laid-out maps
 * (policy/bpf_layout.c), emulated by selftests/unit/bpf_emu.h as the
 * layout's unit test does.
 *
 * An input is either
 *
 *  - a policy text, then optionally a NUL and bytes that shape the files'
 *    facts; or
 *  - a NUL, then bytes that a generator turns into a policy text (runs of
 *    digest rules long enough to be indexed, digests that differ in one
 *    byte or only in their algorithm, manifests with minimum versions,
 *    signer key IDs that end fingerprints, mostly properties the BPF mode
 *    evaluates), the rest shaping the facts.
 *
 * When the bytes run out, a generator seeded by the whole input goes on.
 * The files take their digests, root hashes, signers and manifests from
 * the policy's own properties, so that hash tables and rules are hit, and
 * near misses of them; some lookups fail.  Built with ASan and UBSan.
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"
#include "manifest.h"
#include "bpf_image.h"
#include "bpf_emu.h"

/*
 * The generator's own branches are not what is being fuzzed: keeping
 * coverage out of them spends the time on the evaluators.
 */
#define HARNESS	__attribute__((no_sanitize("coverage")))

#ifndef __noreturn
#define __noreturn	__attribute__((noreturn))
#endif

#ifndef ARRAY_SIZE
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#endif

/* ---- bytes of the input, then a generator ---- */

struct reader {
	const u8 *p;
	size_t n, i;
	u64 rng;
};

static HARNESS u8 rd_byte(struct reader *r)
{
	if (r->i < r->n)
		return r->p[r->i++];
	r->rng ^= r->rng >> 12;
	r->rng ^= r->rng << 25;
	r->rng ^= r->rng >> 27;
	return (u8)((r->rng * 0x2545f4914f6cdd1dull) >> 56);
}

/* 0 .. @n - 1, for @n up to 256. */
static HARNESS unsigned int rd_below(struct reader *r, unsigned int n)
{
	return rd_byte(r) % n;
}

static HARNESS u32 rd_u32(struct reader *r)
{
	u32 v = rd_byte(r);

	v = v << 8 | rd_byte(r);
	v = v << 8 | rd_byte(r);
	return v << 8 | rd_byte(r);
}

static HARNESS void rd_init(struct reader *r, const u8 *p, size_t n, const u8 *all, size_t len)
{
	u64 h = 0xcbf29ce484222325ull;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ all[i]) * 0x100000001b3ull;
	r->p = p;
	r->n = n;
	r->i = 0;
	r->rng = h | 1;
}

/* ---- the generator's values ---- */

#define NPOOL	16
#define NNAMES	10

static const char *const op_names[__SIGIL_OP_MAX] = {
	"EXECUTE", "FIRMWARE", "KMODULE", "KEXEC_IMAGE", "KEXEC_INITRAMFS",
	"POLICY", "X509_CERT",
};

static const char *const mf_names[NNAMES] = {
	"base", "apps", "tools", "vendor", "extra", "m5", "m6", "m7", "m8", "m9",
};

/*
 * Digest @j of @size bytes: a common prefix and @j last, so that digests
 * differ in one byte; @pad: sha256 digest @j zero-padded, so that digests
 * of different sizes share their bytes.
 */
static HARNESS void pool_digest(u8 *out, unsigned int size, unsigned int j, bool pad)
{
	unsigned int k;

	memset(out, 0, size);
	for (k = 0; k < size; k++)
		out[k] = (u8)(0x5a ^ (k * 29));
	if (pad && size > 32) {
		memset(out + 32, 0, size - 32);
		out[31] = (u8)j;
	} else {
		out[size - 1] = (u8)j;
	}
}

/* Key ID @j (8 bytes), the fingerprint that ends with it (20), a SKID (32). */
static HARNESS void pool_key(u8 *out, unsigned int size, unsigned int j)
{
	unsigned int k;

	for (k = 0; k < size; k++)
		out[k] = (u8)(0x10 + k);
	out[size - 1] = (u8)j;
}

static HARNESS int put_hex(char *out, const u8 *b, unsigned int n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		out[2 * i] = hex[b[i] >> 4];
		out[2 * i + 1] = hex[b[i] & 15];
	}
	out[2 * n] = 0;
	return 2 * n;
}

/*
 * A digest property: fsverity_digest (@type 0), dmverity_roothash (1),
 * program_fsverity_digest (2).
 */
static HARNESS int gen_digest(struct reader *r, char *out, unsigned int type)
{
	static const u8 fsv_algos[] = { SIGIL_HASH_SHA256, SIGIL_HASH_SHA256, SIGIL_HASH_SHA512 };
	static const u8 dmv_algos[] = {
		SIGIL_HASH_SHA256, SIGIL_HASH_SHA256, SIGIL_HASH_SHA512, SIGIL_HASH_SHA384,
		SIGIL_HASH_SHA3_256, SIGIL_HASH_RMD160,
	};
	static const char *const names[] = {
		"fsverity_digest", "dmverity_roothash", "program_fsverity_digest",
	};
	u8 b = rd_byte(r), d[SIGIL_DIGEST_MAX];
	u8 a = type == 1 ? dmv_algos[b % ARRAY_SIZE(dmv_algos)] :
			   fsv_algos[b % ARRAY_SIZE(fsv_algos)];
	unsigned int size = sigil_hash_algos[a].size;
	int n;

	pool_digest(d, size, (b >> 4) % NPOOL, b & 8);
	n = sprintf(out, " %s=%s:", names[type], sigil_hash_algos[a].name);
	return n + put_hex(out + n, d, size);
}

static HARNESS int gen_prop(struct reader *r, char *out, bool bpf_only)
{
	static const char *const bools[] = {
		"boot_verified", "fsverity_signature", "anonymous", "dmverity_signature",
		"ima_signature", "pgp_signature",
	};
	static const u8 key_sizes[] = { 8, 20, 32 };
	unsigned int k = rd_below(r, bpf_only ? 9 : 14), size;
	u8 key[SIGIL_SIGNER_ID_MAX];
	int n;

	switch (k) {
	case 0:
		return gen_digest(r, out, 0);
	case 1:
		return gen_digest(r, out, 1);
	case 2 ... 5:
		return sprintf(out, " %s=%s", bools[rd_below(r, 4)],
			       rd_below(r, 2) ? "TRUE" : "FALSE");
	case 6:
		return sprintf(out, " manifest=ANY");
	case 7:
		return sprintf(out, " manifest=%s", mf_names[rd_below(r, NNAMES)]);
	case 8:
		return sprintf(out, " manifest=%s@%u.%u.%u", mf_names[rd_below(r, NNAMES)],
			       rd_below(r, 3), rd_below(r, 3), rd_below(r, 3));
	case 9 ... 10:
		return sprintf(out, " %s=%s", bools[4 + rd_below(r, 2)],
			       rd_below(r, 2) ? "TRUE" : "FALSE");
	case 11:
		return gen_digest(r, out, 2);
	default:
		size = key_sizes[rd_below(r, ARRAY_SIZE(key_sizes))];
		pool_key(key, size, rd_below(r, NPOOL));
		n = sprintf(out, " %s=", k == 12 ? "signer" : "program_signer");
		return n + put_hex(out + n, key, size);
	}
}

#define TEXT_MAX	(1 << 16)
#define LINE_MAX_	1024

/*
 * A policy from the bytes: DEFAULTs, then rules: runs of digest-only
 * rules (of fs-verity digests, of root hashes, or both), and rules of 0 to
 * 7 other properties, mostly those the BPF mode evaluates.
 */
static HARNESS size_t gen_policy(struct reader *r, char *out)
{
	u8 flags = rd_byte(r);
	bool global = flags & 1, bpf_only = (flags & 6) != 6;
	unsigned int nrules = rd_below(r, 24), i = 0, j, k;
	size_t n = sprintf(out, "policy_name=fuzz policy_version=1.0.0\n");

	if (global)
		n += sprintf(out + n, "DEFAULT action=%s\n", flags & 8 ? "ALLOW" : "DENY");
	for (j = 0; j < __SIGIL_OP_MAX; j++)
		if (!global || (flags & 0x10 && rd_below(r, 4) == 0))
			n += sprintf(out + n, "DEFAULT op=%s action=%s\n", op_names[j],
				     rd_below(r, 2) ? "ALLOW" : "DENY");
	while (i < nrules && n < TEXT_MAX - 40 * LINE_MAX_) {
		u8 b = rd_byte(r);
		const char *op = op_names[b & 0x80 ? rd_below(r, __SIGIL_OP_MAX) : 0];
		unsigned int burst = 0, kind = rd_below(r, 5);

		if ((b & 3) == 0)
			burst = b & 4 ? 1 + rd_below(r, 8) : 8 + rd_below(r, 6);
		for (j = 0; j < burst; j++, i++) {
			n += sprintf(out + n, "op=%s", op);
			n += gen_digest(r, out + n, kind == 4 ? rd_below(r, 2) : kind >= 2);
			n += sprintf(out + n, " action=%s\n", rd_below(r, 2) ? "ALLOW" : "DENY");
		}
		if (burst)
			continue;
		n += sprintf(out + n, "op=%s", op);
		for (k = rd_below(r, SIGIL_BPF_RULE_PROPS + 2); k; k--)
			n += gen_prop(r, out + n, bpf_only);
		n += sprintf(out + n, " action=%s\n", b & 8 ? "ALLOW" : "DENY");
		i++;
	}
	return n;
}

/* ---- the manifests, and their indexes in the BPF mode's map ---- */

struct world {
	struct emu_mfs mfs;
	/* Every name given an index, in order: the index is a permutation. */
	unsigned int nnames;
	const u8 *names[SIGIL_BPF_MANIFESTS];
	u8 lens[SIGIL_BPF_MANIFESTS];
};

static int name_index(void *ctx, const char *name, unsigned int len)
{
	struct world *w = ctx;
	unsigned int i;

	for (i = 0; i < w->nnames; i++)
		if (w->lens[i] == len && !memcmp(w->names[i], name, len))
			return (int)((i * 37 + 11) % SIGIL_BPF_MANIFESTS);
	if (w->nnames >= SIGIL_BPF_MANIFESTS || len > SIGIL_MANIFEST_NAME_MAX)
		return -ENOSPC;
	w->names[w->nnames] = (const u8 *)name;
	w->lens[w->nnames] = (u8)len;
	return (int)((w->nnames++ * 37 + 11) % SIGIL_BPF_MANIFESTS);
}

static HARNESS void set_version(struct world *w, unsigned int i, u64 v)
{
	struct sigil_manifest *m = &w->mfs.mf[i];

	m->version[0] = (u16)(v >> 32);
	m->version[1] = (u16)(v >> 16);
	m->version[2] = (u16)v;
	w->mfs.version[w->mfs.index[i]] = sigil_manifest_version(m);
}

/*
 * The loaded manifests: the first names that the policy's manifest=
 * properties give (a file matches at most %SIGIL_MANIFEST_MATCHES), and
 * one that no rule names.
 */
static HARNESS void make_world(struct world *w, const struct sigil_policy *pol, struct reader *r)
{
	static const char spare[] = "unnamed";
	unsigned int i;

	memset(w, 0, sizeof(*w));
	for (i = 0; i < pol->nprops && w->mfs.n < EMU_MF_MAX - 1; i++) {
		const struct sigil_prop *p = &pol->props[i];
		unsigned int before = w->nnames;
		const char *name;
		int idx;

		if (p->type != SIGIL_PROP_MANIFEST || !p->size)
			continue;
		name = (const char *)pol->values + p->off + sizeof(u64);
		idx = name_index(w, name, p->size);
		if (idx < 0 || w->nnames == before)
			continue;
		memcpy(w->mfs.mf[w->mfs.n].name, name, p->size);
		w->mfs.index[w->mfs.n++] = idx;
	}
	i = w->mfs.n;
	w->mfs.index[i] = name_index(w, spare, sizeof(spare) - 1);
	if (w->mfs.index[i] >= 0) {
		memcpy(w->mfs.mf[i].name, spare, sizeof(spare));
		w->mfs.n++;
	}
	for (i = 0; i < w->mfs.n; i++)
		set_version(w, i, (u64)rd_below(r, 3) << 32 | (u64)rd_below(r, 3) << 16 |
			    rd_below(r, 3));
}

/* ---- a file: what the BPF mode sees, and what only the LSM does ---- */

/**
 * struct file - one event's file
 * @fm: the facts the BPF program can see too (bpf_emu.h)
 * @xfail: other properties whose lookup fails (the BPF program never
 *	   fails these: a file with any is not decided by it)
 * @xtruths: ima_signature and pgp_signature that hold
 * @signer: the key of each signature that verified
 * @prog_dg: the running program's fs-verity digest
 * @prog_signed: bit k: the program's signature of kind k verified, by
 *		 @prog_signer
 */
struct file {
	struct emu_file fm;
	u32 xfail, xtruths;
	struct sigil_signer signer;
	struct sigil_digest prog_dg;
	u8 prog_signed;
	struct sigil_signer prog_signer;
};

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	const struct file *f = facts->ctx;
	unsigned int k;
	int rc;

	if (f->xfail & SIGIL_PROP_BIT(type))
		return -EIO;
	switch (type) {
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		facts->program_fsverity_digest = f->prog_dg;
		return 0;
	case SIGIL_PROP_PROGRAM_SIGNER:
		for (k = 0; k < __SIGIL_SIG_MAX; k++)
			if (f->prog_signed & (1u << k))
				facts->program_signers[k] = &f->prog_signer;
		return 0;
	case SIGIL_PROP_IMA_SIGNATURE:
	case SIGIL_PROP_PGP_SIGNATURE:
		if (!f->fm.anon)
			facts->truths |= f->xtruths & SIGIL_PROP_BIT(type);
		rc = 0;
		break;
	default:
		rc = emu_fetch(&f->fm, facts, type);
		break;
	}
	/* A signature that verified has a signer. */
	for (k = 0; !rc && k < __SIGIL_SIG_MAX; k++)
		if (sigil_sig_props[k] == type && (facts->truths & SIGIL_PROP_BIT(type)))
			facts->signers[k] = &f->signer;
	return rc;
}

/* A signer with @id, or the fingerprint ending with it (@fpr), and others. */
static HARNESS void make_signer(struct sigil_signer *s, struct reader *r,
				const u8 *id, unsigned int len)
{
	u8 b = rd_byte(r);
	unsigned int i, at = b % SIGIL_SIGNER_IDS;

	memset(s, 0, sizeof(*s));
	s->nids = 1 + b % SIGIL_SIGNER_IDS;
	for (i = 0; i < s->nids; i++) {
		s->len[i] = i ? 8 : 20;
		pool_key(s->id[i], s->len[i], rd_below(r, NPOOL));
	}
	if (!id || at >= s->nids)
		return;
	if (len == 8 && (b & 0x40)) {
		/* A key ID matches the fingerprint it ends. */
		s->len[at] = 20;
		pool_key(s->id[at], 20, 0);
		memcpy(s->id[at] + 12, id, 8);
	} else {
		s->len[at] = (u8)len;
		memcpy(s->id[at], id, len);
	}
}

static HARNESS void pool_pick(struct sigil_digest *d, struct reader *r, bool fsv)
{
	static const u8 algos[] = {
		SIGIL_HASH_SHA256, SIGIL_HASH_SHA512, SIGIL_HASH_SHA384, SIGIL_HASH_SHA3_256,
	};
	u8 b = rd_byte(r);

	memset(d, 0, sizeof(*d));
	d->algo = algos[b % (fsv ? 2 : ARRAY_SIZE(algos))];
	d->size = sigil_hash_algos[d->algo].size;
	pool_digest(d->bytes, d->size, (b >> 4) % NPOOL, b & 4);
}

/* A file with facts from the bytes; @p, when not NULL, the property it meets. */
static HARNESS void make_file(struct file *f, struct world *w,
			      const struct sigil_policy *pol,
			      const struct sigil_prop *p, struct reader *r)
{
	u32 bits = rd_u32(r);
	u8 b = rd_byte(r);
	const u8 *val = p && pol->values ? pol->values + p->off : NULL;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->fm.mfs = &w->mfs;
	f->fm.anon = (bits & 7) == 0;
	f->fm.boot = bits & 8;
	f->fm.sig_ok = bits & 16;
	f->fm.listed = (bits >> 8) & 0xff & ((1u << w->mfs.n) - 1);
	if (bits & 32)
		pool_pick(&f->fm.dg, r, true);
	if (bits & 64) {
		struct sigil_digest d;

		pool_pick(&d, r, false);
		f->fm.vol.algo = d.algo;
		f->fm.vol.size = d.size;
		memcpy(f->fm.vol.digest, d.bytes, sizeof(f->fm.vol.digest));
		f->fm.vol.signed_ = b & 1;
		if ((b & 6) == 6 && f->fm.dg.algo) {
			/* Its root hash is the file's fs-verity digest. */
			memset(&f->fm.vol, 0, sizeof(f->fm.vol));
			f->fm.vol.algo = f->fm.dg.algo;
			f->fm.vol.size = f->fm.dg.size;
			memcpy(f->fm.vol.digest, f->fm.dg.bytes, f->fm.dg.size);
		}
	}
	if ((bits >> 16 & 7) < ARRAY_SIZE(emu_fails))
		f->fm.fail = (bits >> 16) & 8 ? emu_fails[bits >> 16 & 7] : 0;
	if ((bits >> 19 & 0x1f) == 0x1f)
		f->xfail = SIGIL_PROP_BIT(b >> 4 & 0xf) & SIGIL_PROPS_PARSEABLE;
	f->xtruths = (bits >> 24 & 3) << SIGIL_PROP_IMA_SIGNATURE;
	f->prog_signed = bits >> 26 & 7;
	if (bits & 0x20000000)
		pool_pick(&f->prog_dg, r, true);
	make_signer(&f->signer, r, NULL, 0);
	make_signer(&f->prog_signer, r, NULL, 0);
	if (!p)
		return;
	switch (p->type) {
	case SIGIL_PROP_FSVERITY_DIGEST:
		memset(&f->fm.dg, 0, sizeof(f->fm.dg));
		f->fm.dg.algo = p->value;
		f->fm.dg.size = p->size;
		memcpy(f->fm.dg.bytes, val, p->size);
		if (f->fm.fail & EMU_BIT_D)
			f->fm.fail = 0;
		break;
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		memset(f->fm.vol.digest, 0, sizeof(f->fm.vol.digest));
		f->fm.vol.algo = p->value;
		f->fm.vol.size = p->size;
		memcpy(f->fm.vol.digest, val, p->size);
		break;
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		memset(&f->prog_dg, 0, sizeof(f->prog_dg));
		f->prog_dg.algo = p->value;
		f->prog_dg.size = p->size;
		memcpy(f->prog_dg.bytes, val, p->size);
		break;
	case SIGIL_PROP_SIGNER:
		make_signer(&f->signer, r, val, p->size);
		/* The signatures its rule requires, verified. */
		f->fm.sig_ok |= p->value & 1;
		f->xtruths |= (u32)(p->value >> 1 & 3) << SIGIL_PROP_IMA_SIGNATURE;
		break;
	case SIGIL_PROP_PROGRAM_SIGNER:
		make_signer(&f->prog_signer, r, val, p->size);
		f->prog_signed |= 1u << (b & 3) % __SIGIL_SIG_MAX;
		break;
	case SIGIL_PROP_MANIFEST:
		for (i = 0; i < w->mfs.n; i++) {
			const struct sigil_manifest *m = &w->mfs.mf[i];
			u64 min;

			if (p->size && (strlen(m->name) != p->size ||
					memcmp(m->name, val + sizeof(u64), p->size)))
				continue;
			f->fm.listed |= 1u << i;
			memcpy(&min, val, sizeof(min));
			/* At its minimum, or one below. */
			if (p->value)
				set_version(w, i, min - ((b & 0x30) == 0x30 && min));
			break;
		}
		if (!f->fm.dg.algo)
			pool_pick(&f->fm.dg, r, true);
		break;
	default:
		break;
	}
}

/* The same file, one byte of what it met changed: a near miss. */
static HARNESS void near_miss(struct file *f, const struct sigil_prop *p, struct reader *r)
{
	u8 b = rd_byte(r);
	u8 *bytes = NULL;
	unsigned int size = 0;

	switch (p->type) {
	case SIGIL_PROP_FSVERITY_DIGEST:
		bytes = f->fm.dg.bytes;
		size = f->fm.dg.size;
		break;
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		bytes = f->fm.vol.digest;
		size = f->fm.vol.size;
		break;
	case SIGIL_PROP_PROGRAM_FSVERITY_DIGEST:
		bytes = f->prog_dg.bytes;
		size = f->prog_dg.size;
		break;
	case SIGIL_PROP_SIGNER:
		bytes = f->signer.id[0];
		size = f->signer.len[0];
		break;
	case SIGIL_PROP_PROGRAM_SIGNER:
		bytes = f->prog_signer.id[0];
		size = f->prog_signer.len[0];
		break;
	default:
		return;
	}
	if (!size)
		return;
	if (b & 0x80)
		bytes[size - 1] ^= 1 + (b & 0x7f);
	else
		bytes[b % size] ^= 1 + (b >> 3 & 0xf);
}

/* ---- deciding ---- */

struct bpf_side {
	const struct sigil_bpf_image *img;
	u32 slot;
};

/* The policy text being decided, for the report of a disagreement. */
static const char *cur_text;
static size_t cur_len;

static void print_hex(const char *what, const u8 *b, unsigned int n)
{
	unsigned int i;

	fprintf(stderr, " %s=", what);
	for (i = 0; i < n; i++)
		fprintf(stderr, "%02x", b[i]);
}

/* The policy and the file, then abort: a finding. */
static void __noreturn disagree(const struct file *f)
{
	const struct emu_file *fm = &f->fm;
	unsigned int i;

	fprintf(stderr, "policy:\n%.*s\n", (int)cur_len, cur_text);
	fprintf(stderr, "file: anon=%d boot=%d sig_ok=%d fail=%#x xfail=%#x",
		fm->anon, fm->boot, fm->sig_ok, fm->fail, f->xfail);
	fprintf(stderr, " xtruths=%#x listed=%#x prog_signed=%#x",
		f->xtruths, fm->listed, f->prog_signed);
	fprintf(stderr, " dg.algo=%u", fm->dg.algo);
	print_hex("dg", fm->dg.bytes, fm->dg.size);
	fprintf(stderr, " vol.algo=%u signed=%u", fm->vol.algo, fm->vol.signed_);
	print_hex("vol", fm->vol.digest, fm->vol.size);
	fprintf(stderr, " prog.algo=%u", f->prog_dg.algo);
	print_hex("prog", f->prog_dg.bytes, f->prog_dg.size);
	for (i = 0; i < f->signer.nids; i++)
		print_hex("signer", f->signer.id[i], f->signer.len[i]);
	for (i = 0; i < f->prog_signer.nids; i++)
		print_hex("prog_signer", f->prog_signer.id[i], f->prog_signer.len[i]);
	for (i = 0; fm->mfs && i < fm->mfs->n; i++)
		fprintf(stderr, " manifest %s=%u.%u.%u index %d", fm->mfs->mf[i].name,
			fm->mfs->mf[i].version[0], fm->mfs->mf[i].version[1],
			fm->mfs->mf[i].version[2], fm->mfs->index[i]);
	fprintf(stderr, "\n");
	abort();
}

/*
 * Decide @f for every operation (and none): the compiled evaluator and
 * the reference must agree on everything; the BPF walk, when @bpf is set
 * and the file is one the program can meet, on the action, what decided,
 * its line and its rule.
 */
static void decide_all(const struct sigil_policy *pol, const struct bpf_side *bpf,
		       struct file *f)
{
	unsigned int op;
	bool walk = bpf && !f->xfail;

	if (walk)
		emu_file_settle(&f->fm);
	for (op = 0; op <= SIGIL_OP_INVALID; op++) {
		struct sigil_facts fa = { .fetch = fetch, .ctx = f };
		struct sigil_facts fb = { .fetch = fetch, .ctx = f };
		struct sigil_decision a, b;
		int rca = sigil_policy_decide(pol, op, &fa, &a);
		int rcb = sigil_policy_decide_linear(pol, op, &fb, &b);
		struct emu_facts ef;
		struct emu_outcome o;
		s32 rule = -1;

		if (rca != rcb || a.action != b.action || a.match != b.match ||
		    a.src != b.src || a.error != b.error ||
		    a.error_prop != b.error_prop || fa.known != fb.known ||
		    sigil_rule_props(pol, &a) != sigil_rule_props(pol, &b)) {
			fprintf(stderr,
				"op %u: compiled %u/%u line %u error %d/%u, linear %u/%u line %u error %d/%u\n",
				op, a.action, a.match, a.src ? a.src->line : 0, a.error,
				a.error_prop, b.action, b.match, b.src ? b.src->line : 0,
				b.error, b.error_prop);
			disagree(f);
		}
		if (!walk)
			continue;
		emu_gather(&f->fm, op < __SIGIL_OP_MAX ? bpf->img->head.ops[op].props : 0, &ef);
		o = emu_decide(bpf->img, bpf->slot, op, &ef);
		if (b.match == SIGIL_MATCH_RULE)
			rule = container_of(b.src, struct sigil_rule, src) - pol->rules;
		if (o.bad || o.action != b.action || o.match != b.match ||
		    o.line != (b.src ? b.src->line : 0) || o.rule != rule) {
			fprintf(stderr,
				"op %u: BPF %u/%u line %u rule %d%s, linear %u/%u line %u rule %d\n",
				op, o.action, o.match, o.line, o.rule,
				o.bad ? " (outside the image)" : "", b.action, b.match,
				b.src ? b.src->line : 0, rule);
			disagree(f);
		}
	}
}

/*
 * The BPF mode's parse (sigilctl's, with its properties only) refuses
 * exactly the policies it cannot evaluate, and gives the others whole.
 */
static void check_bpf_parse(const struct sigil_policy *pol, const char *text, size_t len)
{
	struct sigil_parse_opts opts = {
		.props = sigil_bpf_props, .why_not = sigil_bpf_why_not,
	};
	struct sigil_parse_error err;
	struct sigil_policy *bpol;
	int rc = sigil_policy_parse(text, len, &opts, &bpol, &err);

	if ((pol->props_used & ~sigil_bpf_props) != 0) {
		if (rc != -EOPNOTSUPP || !err.line)
			abort();
		return;
	}
	if (rc || bpol->nrules != pol->nrules || bpol->nprops != pol->nprops ||
	    bpol->nvalues != pol->nvalues)
		abort();
	sigil_policy_free(bpol);
}

/*
 * Lay @pol out for the BPF mode in @slot; check the records' limits.
 * Return whether @img holds it.
 */
static bool layout(const struct sigil_policy *pol, u32 slot, struct world *w,
		   struct sigil_bpf_image *img)
{
	struct sigil_parse_error err;
	int rc;
	u32 i;

	if (pol->props_used & ~sigil_bpf_props)
		return false;
	rc = sigil_bpf_layout(pol, slot, name_index, w, img, &err);
	if (rc) {
		if (!err.line || !err.msg[0])
			abort();	/* a refusal names its line */
		return false;
	}
	if (img->nsteps > SIGIL_BPF_STEPS_MAX || img->ndigests > sigil_indexed_rules(pol))
		abort();
	for (i = 0; i < img->nsteps; i++)
		if (img->steps[i].nprops > SIGIL_BPF_RULE_PROPS)
			abort();
	for (i = 0; i < img->ndigests; i++)
		if (img->dkeys[i].step / SIGIL_BPF_STEPS_MAX != slot ||
		    img->dkeys[i].size > SIGIL_BPF_DIGEST_MAX)
			abort();
	return true;
}

/* Files made to meet a property of the policy, per input. */
#define PROBES	6

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sigil_parse_opts opts = { .props = SIGIL_PROPS_PARSEABLE };
	static char gen[TEXT_MAX];
	struct sigil_parse_error err;
	struct sigil_bpf_image img;
	struct sigil_policy *pol;
	struct bpf_side side, *bpf = NULL;
	struct reader r;
	struct world w;
	struct file f;
	const u8 *nul;
	char *text;
	u8 b;
	size_t len;
	u32 i;

	if (size && !data[0]) {
		/* A generated policy; the bytes it leaves shape the files. */
		rd_init(&r, data + 1, size - 1, data, size);
		len = gen_policy(&r, gen);
		text = malloc(len);
		memcpy(text, gen, len);
		r.p += r.i;
		r.n -= r.i;
		r.i = 0;
	} else {
		nul = memchr(data, 0, size);
		len = nul ? (size_t)(nul - data) : size;
		text = malloc(len ? len : 1);
		memcpy(text, data, len);
		rd_init(&r, nul ? nul + 1 : NULL, nul ? size - len - 1 : 0, data, size);
	}
	if (sigil_policy_parse(text, len, &opts, &pol, &err)) {
		free(text);
		return 0;
	}
	cur_text = text;
	cur_len = len;
	make_world(&w, pol, &r);
	b = rd_byte(&r);
	/* Parsing is most of the cost: check the BPF mode's once in a while. */
	if ((b & 0x1e) == 0)
		check_bpf_parse(pol, text, len);
	side.slot = b & 1;
	side.img = &img;
	if (layout(pol, side.slot, &w, &img))
		bpf = &side;

	/*
	 * Files from the bytes alone, then files that meet properties of the
	 * policy (each of a small one, else some the bytes pick), and their
	 * near misses.
	 */
	for (i = 0; i < 2; i++) {
		make_file(&f, &w, pol, NULL, &r);
		decide_all(pol, bpf, &f);
	}
	for (i = 0; i < pol->nprops && i < PROBES; i++) {
		const struct sigil_prop *p = &pol->props[pol->nprops <= PROBES ? i :
							 rd_u32(&r) % pol->nprops];

		make_file(&f, &w, pol, p, &r);
		decide_all(pol, bpf, &f);
		near_miss(&f, p, &r);
		decide_all(pol, bpf, &f);
	}
	if (bpf)
		sigil_bpf_image_free(&img);
	sigil_policy_free(pol);
	free(text);
	return 0;
}
