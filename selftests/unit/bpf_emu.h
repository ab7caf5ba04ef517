/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF mode's program (bpf/sigil.bpf.c), emulated over a policy laid
 * out by policy/bpf_layout.c, for the host tests (bpf_layout_test.c) and
 * the differential fuzzer (selftests/fuzz/differential_fuzz.c).  It
 * mirrors decide(), walk_step(), walk_index() and prop_holds() of the
 * program and the facts its gather() collects (fs-verity, the manifests,
 * and the dm-verity volume that bdev_setintegrity reported); the
 * ``digests`` hash map is looked up by the bytes of its key, as the kernel
 * does.  Beside it, one model of a file (struct emu_file) that both the
 * emulated gather() and the reference evaluator's fetch read, so that the
 * two see the same file.
 *
 * A change to the program's walk or facts belongs here too.
 */
#ifndef _SIGIL_BPF_EMU_H
#define _SIGIL_BPF_EMU_H

#include <string.h>

#include "policy.h"
#include "manifest.h"
#include "bpf_image.h"

#define EMU_BIT_D	SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST)
#define EMU_BIT_S	SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE)
#define EMU_BIT_M	SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST)
#define EMU_BIT_B	SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED)
#define EMU_BIT_A	SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS)
#define EMU_BIT_R	SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH)
#define EMU_BIT_V	SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE)

/* The most manifests a struct emu_mfs holds: what one file can match. */
#define EMU_MF_MAX	SIGIL_MANIFEST_MATCHES

/**
 * struct emu_mfs - the loaded manifests, as each side sees them
 * @n: number of @mf
 * @mf: the manifests as the reference sees them (name and version)
 * @index: per @mf, its index in the ``manifests`` map
 * @version: per index of the ``manifests`` map, sigil_mfs[i].version
 */
struct emu_mfs {
	unsigned int n;
	struct sigil_manifest mf[EMU_MF_MAX];
	int index[EMU_MF_MAX];
	u64 version[SIGIL_BPF_MANIFESTS];
};

/*
 * The program's struct facts: what gather() found, what the walk reads.
 * @dmv stands for dmv_dev and the ``sigil_dmv`` entry that prop_holds()
 * and walk_index() look up with it: NULL when fetch_dmv() found none.
 * @mf_version: the ``manifests`` map's versions, by index (NULL: none).
 */
struct emu_facts {
	u32 truths, failed;
	u8 algo, size;
	u64 manifests;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
	const struct sigil_bpf_dmv *dmv;
	const u64 *mf_version;
};

/* The program's struct outcome, and how it came about. */
struct emu_outcome {
	u8 action, match;
	u32 line;
	s32 rule;
	bool bad;		/* the walk read a step outside the image */
	bool indexed;		/* an indexed step decided */
	u8 index_type;		/* its step's index_type */
	u8 nprops;		/* properties of the rule step that decided */
	u32 positive;		/* its properties that required a fact to hold */
};

/* bpf_map_lookup_elem(&sigil_digests, k): every byte of the key counts. */
static inline const struct sigil_bpf_digest_val *
emu_digests(const struct sigil_bpf_image *img, const struct sigil_bpf_digest_key *k)
{
	u32 i;

	for (i = 0; i < img->ndigests; i++)
		if (!memcmp(&img->dkeys[i], k, sizeof(*k)))
			return &img->dvals[i];
	return NULL;
}

/* prop_holds(): 1 holds, 0 does not, -1 its fact could not be found. */
static inline int emu_prop_holds(const struct sigil_bpf_prop *p,
				 const struct emu_facts *f)
{
	if (p->type < 32 && (f->failed & SIGIL_PROP_BIT(p->type)))
		return -1;
	switch (p->type) {
	case SIGIL_PROP_BOOT_VERIFIED:
	case SIGIL_PROP_ANONYMOUS:
	case SIGIL_PROP_FSVERITY_SIGNATURE:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		return !!(f->truths & SIGIL_PROP_BIT(p->type)) == !!p->value;
	case SIGIL_PROP_FSVERITY_DIGEST:
		return f->algo != SIGIL_HASH_NONE && f->algo == p->value &&
		       f->size == p->size && !memcmp(f->digest, p->digest, sizeof(f->digest));
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		return f->dmv && f->dmv->algo == p->value && f->dmv->size == p->size &&
		       !memcmp(f->dmv->digest, p->digest, sizeof(f->dmv->digest));
	case SIGIL_PROP_MANIFEST:
		if (p->manifest == SIGIL_BPF_ANY)
			return f->manifests != 0;
		if (p->manifest >= 64 || !(f->manifests & (1ull << p->manifest)))
			return 0;
		/* sigil_mfs is an array: every index has an entry. */
		return !p->has_min ||
		       (f->mf_version ? f->mf_version[p->manifest] : 0) >= p->min_version;
	default:
		return -1;
	}
}

/*
 * decide() over @img in @slot: walk_step() for each step of the
 * operation, first match, walk_index() for an indexed one; then its
 * DEFAULT, then the global DEFAULT.
 */
static inline struct emu_outcome emu_decide(const struct sigil_bpf_image *img, u32 slot,
					    unsigned int opi, const struct emu_facts *f)
{
	const struct sigil_bpf_head *h = &img->head;
	const struct sigil_bpf_op *op = opi < __SIGIL_OP_MAX ? &h->ops[opi] : NULL;
	struct emu_outcome o = { .rule = -1 };
	u32 i, j;

	for (i = 0; op && i < op->nsteps; i++) {
		struct sigil_bpf_digest_key k = {};
		const struct sigil_bpf_digest_val *v;
		const struct sigil_bpf_step *st;
		int r = 1;

		if (op->first_step + i >= img->nsteps) {
			o.bad = true;
			return o;
		}
		st = &img->steps[op->first_step + i];
		if (st->kind == SIGIL_BPF_STEP_INDEX) {
			/* A run of root hashes does not need the file's digest. */
			if (st->index_type != SIGIL_PROP_DMVERITY_ROOTHASH &&
			    (f->failed & EMU_BIT_D))
				goto error;
			k.step = slot * SIGIL_BPF_STEPS_MAX + op->first_step + i;
			if (st->index_type == SIGIL_PROP_DMVERITY_ROOTHASH) {
				if (!f->dmv)
					continue;
				k.algo = f->dmv->algo;
				k.size = f->dmv->size;
				memcpy(k.digest, f->dmv->digest, sizeof(k.digest));
			} else {
				if (f->algo == SIGIL_HASH_NONE)
					continue;
				k.algo = f->algo;
				k.size = f->size;
				memcpy(k.digest, f->digest, sizeof(k.digest));
			}
			v = emu_digests(img, &k);
			if (!v)
				continue;
			o.action = v->action;
			o.line = v->line;
			o.rule = (s32)v->rule;
			o.indexed = true;
			o.index_type = st->index_type;
			return o;	/* SIGIL_MATCH_RULE */
		}
		for (j = 0; j < SIGIL_BPF_RULE_PROPS && j < st->nprops && r > 0; j++)
			r = emu_prop_holds(&st->props[j], f);
		if (r < 0)
			goto error;
		if (!r)
			continue;
		o.action = st->action;
		o.line = st->line;
		o.rule = (s32)st->rule;
		o.nprops = st->nprops;
		for (j = 0; j < SIGIL_BPF_RULE_PROPS && j < st->nprops; j++)
			if (st->props[j].value || st->props[j].type == SIGIL_PROP_MANIFEST)
				o.positive |= SIGIL_PROP_BIT(st->props[j].type);
		return o;
	}
	if (op && op->default_action != SIGIL_ACTION_NONE) {
		o.action = op->default_action;
		o.match = SIGIL_MATCH_OP_DEFAULT;
		o.line = op->default_line;
		return o;
	}
	if (h->global_default != SIGIL_ACTION_NONE) {
		o.action = h->global_default;
		o.match = SIGIL_MATCH_GLOBAL_DEFAULT;
		o.line = h->global_default_line;
		return o;
	}
error:
	return (struct emu_outcome){ SIGIL_ACTION_DENY, SIGIL_MATCH_ERROR, 0, -1 };
}

/* ---- a file, and the facts each evaluator learns about it ---- */

/**
 * struct emu_file - one event's file as the program can see it
 * @anon: no file (anonymous memory, a buffer): every file fact absent
 * @boot: marked boot_verified in inode storage
 * @sig_ok: its fs-verity signature verified
 * @dg: its fs-verity digest; algo %SIGIL_HASH_NONE without fs-verity
 * @listed: bit i: manifest @mfs->mf[i] lists it under its path
 * @vol: what ``sigil_dmv`` holds for the device of its filesystem: algo
 *	 %SIGIL_HASH_NONE for no entry (not on dm-verity, a volume that went
 *	 live before the program, a root hash of an algorithm dmv_algo()
 *	 does not know); else the root hash and whether a signature of it
 *	 verified (signed_).  It is read, never fails.
 * @fail: EMU_BIT_D, EMU_BIT_S, EMU_BIT_M: facts whose lookup fails (an
 *	  unreadable digest, a signature that mprotect cannot verify, no
 *	  file to take a path from), closed as gather() closes them: a
 *	  failed digest fails the signature, and manifest= too
 *	  (fetch_manifests() cannot tell which manifests list a digest it
 *	  could not read)
 * @mfs: the loaded manifests
 *
 * emu_file_settle() makes a file one that the program can meet.
 */
struct emu_file {
	bool anon, boot, sig_ok;
	struct sigil_digest dg;
	struct sigil_bpf_dmv vol;
	u32 listed, fail;
	const struct emu_mfs *mfs;
};

/* The failures the program can meet, as combinations of EMU_BIT_*. */
static const u32 emu_fails[] = {
	EMU_BIT_D | EMU_BIT_S | EMU_BIT_M, EMU_BIT_S | EMU_BIT_M, EMU_BIT_M,
	EMU_BIT_D | EMU_BIT_S, EMU_BIT_S,
};

/* Is @algo one that dmv_algo() knows, so that a volume of it has an entry? */
static inline bool emu_dmv_algo(u8 algo)
{
	return algo == SIGIL_HASH_SHA256 || algo == SIGIL_HASH_SHA384 ||
	       algo == SIGIL_HASH_SHA512;
}

/*
 * Make @fm a file the program can meet: no file has no facts; an
 * unreadable digest lists in no manifest; no fs-verity, no signature to
 * fail; a volume of an algorithm dmv_algo() does not know has no entry.
 */
static inline void emu_file_settle(struct emu_file *fm)
{
	if (fm->anon) {
		*fm = (struct emu_file){ .anon = true, .mfs = fm->mfs };
		return;
	}
	if (fm->vol.algo != SIGIL_HASH_NONE &&
	    (!emu_dmv_algo(fm->vol.algo) || fm->vol.size > SIGIL_BPF_DIGEST_MAX))
		memset(&fm->vol, 0, sizeof(fm->vol));
	if (fm->fail & EMU_BIT_D) {
		fm->dg.algo = SIGIL_HASH_NONE;
		fm->listed = 0;
	} else if (fm->dg.algo == SIGIL_HASH_NONE) {
		fm->fail &= ~EMU_BIT_S;	/* no fs-verity: nothing to verify */
	}
}

/* gather(): what the program collects for an operation testing @needed. */
static inline void emu_gather(const struct emu_file *fm, u32 needed, struct emu_facts *f)
{
	const u32 dmv_props = EMU_BIT_R | EMU_BIT_V;
	unsigned int i;

	memset(f, 0, sizeof(*f));
	f->algo = SIGIL_HASH_NONE;
	f->mf_version = fm->mfs ? fm->mfs->version : NULL;
	if (fm->anon) {
		f->truths |= EMU_BIT_A;
		return;
	}
	if (!(needed & (EMU_BIT_D | EMU_BIT_S | EMU_BIT_M | EMU_BIT_B | dmv_props)))
		return;
	/* fetch_dmv() */
	if ((needed & dmv_props) && fm->vol.algo != SIGIL_HASH_NONE &&
	    fm->vol.size <= SIGIL_BPF_DIGEST_MAX) {
		f->dmv = &fm->vol;
		if (fm->vol.signed_)
			f->truths |= EMU_BIT_V;
	}
	f->truths |= fm->boot ? EMU_BIT_B : 0;
	if (needed & (EMU_BIT_D | EMU_BIT_S | EMU_BIT_M)) {
		if (fm->fail & EMU_BIT_D) {
			f->failed |= EMU_BIT_D;
		} else if (fm->dg.algo != SIGIL_HASH_NONE) {
			f->algo = fm->dg.algo;
			f->size = fm->dg.size;
			memcpy(f->digest, fm->dg.bytes, sizeof(f->digest));
		}
	}
	if ((needed & EMU_BIT_S) && (f->algo != SIGIL_HASH_NONE || (f->failed & EMU_BIT_D))) {
		if (fm->fail & (EMU_BIT_S | EMU_BIT_D))
			f->failed |= EMU_BIT_S;
		else if (fm->sig_ok)
			f->truths |= EMU_BIT_S;
	}
	if (needed & EMU_BIT_M) {
		if (fm->fail & EMU_BIT_M)		/* no trusted file: gather() */
			f->failed |= EMU_BIT_M;
		else if (f->failed & EMU_BIT_D)		/* fetch_manifests() */
			f->failed |= EMU_BIT_M;
		else if (f->algo != SIGIL_HASH_NONE && fm->mfs)
			for (i = 0; i < fm->mfs->n; i++)
				if (fm->listed & (1u << i))
					f->manifests |= 1ull << fm->mfs->index[i];
	}
}

/*
 * The reference's fetch of @fm's fact @type (a sigil_fetch_fn's work):
 * the same file, one fact at a time, on demand.  The manifests that list
 * a file are those that bind its digest to its path: when the digest
 * cannot be read, neither can they be known.  Properties the program
 * does not evaluate are -EINVAL.
 */
static inline int emu_fetch(const struct emu_file *fm, struct sigil_facts *facts,
			    enum sigil_prop_type type)
{
	unsigned int i;

	if ((fm->fail & SIGIL_PROP_BIT(type)) ||
	    (type == SIGIL_PROP_MANIFEST && (fm->fail & EMU_BIT_D)))
		return -EIO;
	if (fm->anon) {
		facts->truths |= type == SIGIL_PROP_ANONYMOUS ? EMU_BIT_A : 0;
		return 0;
	}
	switch (type) {
	case SIGIL_PROP_ANONYMOUS:
		break;
	case SIGIL_PROP_BOOT_VERIFIED:
		facts->truths |= fm->boot ? EMU_BIT_B : 0;
		break;
	case SIGIL_PROP_FSVERITY_DIGEST:
		facts->fsverity_digest = fm->dg;
		break;
	case SIGIL_PROP_FSVERITY_SIGNATURE:
		facts->truths |= fm->sig_ok && fm->dg.algo != SIGIL_HASH_NONE ? EMU_BIT_S : 0;
		break;
	case SIGIL_PROP_MANIFEST:
		for (i = 0; fm->mfs && i < fm->mfs->n && fm->dg.algo != SIGIL_HASH_NONE; i++)
			if ((fm->listed & (1u << i)) &&
			    facts->nmanifests < SIGIL_MANIFEST_MATCHES)
				facts->manifests[facts->nmanifests++] = &fm->mfs->mf[i];
		break;
	case SIGIL_PROP_DMVERITY_ROOTHASH:
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		/* One report answers both, as in the built-in LSM. */
		if (fm->vol.algo != SIGIL_HASH_NONE) {
			facts->dmverity_roothash.algo = fm->vol.algo;
			facts->dmverity_roothash.size = fm->vol.size;
			memcpy(facts->dmverity_roothash.bytes, fm->vol.digest, fm->vol.size);
			facts->truths |= fm->vol.signed_ ? EMU_BIT_V : 0;
		}
		facts->known |= EMU_BIT_R | EMU_BIT_V;
		break;
	default:
		return -EINVAL;
	}
	return 0;
}

#endif /* _SIGIL_BPF_EMU_H */
