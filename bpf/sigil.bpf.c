// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigil's BPF LSM program: the same policies as the built-in LSM, on a
 * stock kernel with CONFIG_BPF_LSM.  sigilctl compiles the policy text
 * with the shared C in policy/ into the maps below (policy/bpf_layout.h),
 * loads this program with libbpf and pins it; see Documentation/bpf.rst.
 *
 * Every decision is first-match over the steps of its operation: a rule
 * checked on its own, or a run of digest rules looked up in one hash
 * table, so that 100,000 digests cost what one does.  Facts about the
 * file (its fs-verity digest, whether its signature verified, whether the
 * initramfs unpacked it, the manifests that list it under its path) are
 * gathered before the walk, only those that the operation's rules test.
 */

#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>
#include <bpf/bpf_core_read.h>

#include "bpf_layout.h"
#include "read_op.h"

char LICENSE[] SEC("license") = "GPL";

#define EPERM		1
#define ENOMEM		12
#define EACCES		13
#define EINVAL		22
#define ERANGE		34
#define ENODATA		61
#define EBADMSG		74
#define ENOKEY		126
#define ENOENT		2
#define EOPNOTSUPP	95
#define ENOPKG		65
#define EMSGSIZE	90
#define EKEYREJECTED	129
#define EAGAIN		11

#define PROT_WRITE	0x2
#define PROT_EXEC	0x4
#define MAP_TYPE	0x0f
#define MAP_PRIVATE	0x02
#define VM_WRITE	0x2
#define VM_EXEC		0x4
#define VM_SHARED	0x8
#define FMODE_WRITE	0x2
#define ATTR_SIZE	0x8
#define S_IFMT		00170000
#define S_IFREG		0100000
#define BPF_FS_MAGIC	0xcafe4a11
#define MNT_DETACH	0x2
#define READ_IMPLIES_EXEC	0x0400000

#ifndef container_of
#define container_of(ptr, type, member) \
	((type *)((void *)(ptr) - __builtin_offsetof(type, member)))
#endif

/* fs-verity's hash algorithm numbers (FS_VERITY_HASH_ALG_*). */
#define FSV_SHA256	1
#define FSV_SHA512	2

#include "kfuncs.h"

/* ---- Maps: the policy, written by sigilctl, read-only here ---- */

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, struct sigil_bpf_config);
} sigil_config SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SIGIL_BPF_SLOTS);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, struct sigil_bpf_head);
} sigil_heads SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SIGIL_BPF_SLOTS * SIGIL_BPF_STEPS_MAX);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, struct sigil_bpf_step);
} sigil_steps SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SIGIL_BPF_DIGESTS_DEFAULT);
	__uint(map_flags, BPF_F_RDONLY_PROG | BPF_F_NO_PREALLOC);
	__type(key, struct sigil_bpf_digest_key);
	__type(value, struct sigil_bpf_digest_val);
} sigil_digests SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, SIGIL_BPF_MANIFESTS);
	__uint(map_flags, BPF_F_RDONLY_PROG);
	__type(key, u32);
	__type(value, struct sigil_bpf_manifest);
} sigil_mfs SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, SIGIL_BPF_MF_ENTRIES_DEFAULT);
	__uint(map_flags, BPF_F_RDONLY_PROG | BPF_F_NO_PREALLOC);
	__type(key, struct sigil_bpf_mf_key);
	__type(value, struct sigil_bpf_mf_val);
} sigil_mf_ents SEC(".maps");

/* ---- Maps the program writes ---- */

/* Decisions walking each slot, per CPU (enter_slot()). */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, SIGIL_BPF_SLOTS);
	__type(key, u32);
	__type(value, u64);
} sigil_inflight SEC(".maps");

/* What dm-verity reported of each volume, by the block device's dev_t. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(max_entries, 4096);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, u32);
	__type(value, struct sigil_bpf_dmv);
} sigil_dmv SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_INODE_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sigil_bpf_inode);
} sigil_inodes SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, __SIGIL_BPF_STAT_MAX);
	__type(key, u32);
	__type(value, u64);
} sigil_stats SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 256 * 1024);
} sigil_log SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct sigil_bpf_explain);
} sigil_explain SEC(".maps");

/*
 * Buffers that must stay put while a verification sleeps: a task's own,
 * freed when the verification ends, so that no other task's event can
 * write into them meanwhile (a per-CPU buffer could be reused by a task
 * that ran on that CPU while this one slept).
 */
struct scratch {
	u8 formatted[8 + 4 + SIGIL_BPF_DIGEST_MAX];
	u8 sig[SIGIL_BPF_SIG_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct scratch);
} sigil_scratch SEC(".maps");

struct fsv_digest {
	u16 algo;
	u16 size;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
};

/*
 * Per-CPU buffers for what a kfunc must write into map memory: the
 * fs-verity digest, the manifest key.  Used with preemption disabled only,
 * so that no other event on this CPU can write them meanwhile.
 */
struct pcpu_buf {
	struct fsv_digest d;
	u8 reserved[4];
	struct sigil_bpf_mf_key k;
	struct sigil_bpf_digest_key dk;
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct pcpu_buf);
} sigil_pcpu SEC(".maps");

/* ---- Facts ---- */

struct facts {
	u32 needed;		/* SIGIL_PROP_BIT()s the operation tests */
	u32 truths;		/* boolean properties that hold */
	u32 failed;		/* properties whose fact could not be found */
	s32 error;		/* the first such failure */
	u8 error_prop;
	u8 algo;		/* SIGIL_HASH_NONE: no fs-verity digest */
	u8 size;
	u8 mf_state;
	s32 sig_error;
	u64 manifests;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
	/* The device of the file's dm-verity volume, 0 when none is known. */
	u32 dmv_dev;
};

struct event {
	struct file *file;	/* trusted, or NULL */
	struct inode *inode;	/* the file's inode, trusted or not; or NULL */
	u32 op;
	u8 hook;
	u8 mem;
	u8 sleepable;
};

static __always_inline void count(u32 stat)
{
	u64 *c = bpf_map_lookup_elem(&sigil_stats, &stat);

	if (c)
		*c += 1;
}

static __always_inline void fact_failed(struct facts *f, u32 prop, s32 err)
{
	if (!f->failed) {
		f->error = err;
		f->error_prop = prop;
	}
	f->failed |= SIGIL_PROP_BIT(prop);
}

static __always_inline u8 hash_algo(u16 fsv)
{
	if (fsv == FSV_SHA256)
		return SIGIL_HASH_SHA256;
	if (fsv == FSV_SHA512)
		return SIGIL_HASH_SHA512;
	return SIGIL_HASH_NONE;
}

/*
 * Read @file's fs-verity digest into @f.  Its own frame, so that the
 * dynptr's stack slot dies with it (the verifier refuses any later write
 * to a slot that held a dynptr).  Returns 0, -ENODATA without fs-verity.
 */
static __noinline int read_digest(struct file *file, struct facts *f)
{
	struct bpf_dynptr dp;
	struct fsv_digest *d;
	struct pcpu_buf *pc;
	u32 zero = 0;
	int ret;

	if (!file || !f)
		return -EINVAL;
	bpf_preempt_disable();
	pc = bpf_map_lookup_elem(&sigil_pcpu, &zero);
	if (!pc) {
		bpf_preempt_enable();
		return -ENOMEM;
	}
	d = &pc->d;
	bpf_dynptr_from_mem(d, sizeof(*d), 0, &dp);
	ret = bpf_get_fsverity_digest(file, &dp);
	if (ret >= 0) {
		if (hash_algo(d->algo) && d->size <= SIGIL_BPF_DIGEST_MAX) {
			f->algo = hash_algo(d->algo);
			f->size = d->size;
			__builtin_memcpy(f->digest, d->digest, sizeof(f->digest));
		} else {
			ret = -EINVAL;
		}
	}
	bpf_preempt_enable();
	return ret;
}

/* The fs-verity digest, from the file or, without one, the inode's cache. */
static __always_inline void fetch_digest(struct event *ev, struct facts *f,
					 struct sigil_bpf_inode *ino)
{
	int ret;

	if (ev->file) {
		ret = read_digest(ev->file, f);
		if (ret == -ENODATA) {
			if (ino)
				ino->flags |= SIGIL_BPF_INO_NODIGEST;
			return;
		}
		if (ret < 0) {
			fact_failed(f, SIGIL_PROP_FSVERITY_DIGEST, ret);
			return;
		}
		if (ino) {
			ino->algo = f->algo;
			ino->size = f->size;
			__builtin_memcpy(ino->digest, f->digest, sizeof(ino->digest));
			ino->flags |= SIGIL_BPF_INO_DIGEST;
		}
		return;
	}
	/* mprotect: no trusted file, only what an earlier mapping measured. */
	if (ino && (ino->flags & SIGIL_BPF_INO_DIGEST)) {
		f->algo = ino->algo;
		f->size = ino->size;
		__builtin_memcpy(f->digest, ino->digest, sizeof(f->digest));
	} else if (!ino || !(ino->flags & SIGIL_BPF_INO_NODIGEST)) {
		fact_failed(f, SIGIL_PROP_FSVERITY_DIGEST, -EAGAIN);
	}
}

/*
 * Verify the file's fs-verity signature (the PKCS#7 that "fsverity sign"
 * writes, kept in SIGIL_BPF_SIG_XATTR) over its formatted digest, against
 * the keyring sigilctl named.  Sleeps; the buffers are the task's own.
 */
static __noinline int verify_sig(struct file *file, u32 keyring, u8 size)
{
	struct bpf_dynptr data, sig;
	struct bpf_key *key;
	struct scratch *s;
	int len, ret;
	u64 n;

	if (!file || !keyring)
		return -ENOKEY;
	s = bpf_task_storage_get(&sigil_scratch, bpf_get_current_task_btf(), 0,
				 BPF_LOCAL_STORAGE_GET_F_CREATE);
	if (!s)
		return -ENOMEM;
	__builtin_memcpy(s->formatted, "FSVerity", 8);
	bpf_dynptr_from_mem(s->formatted + 8, sizeof(s->formatted) - 8, 0, &data);
	ret = bpf_get_fsverity_digest(file, &data);
	if (ret < 0)
		goto out;
	bpf_dynptr_from_mem(s->sig, sizeof(s->sig), 0, &sig);
	len = bpf_get_file_xattr(file, SIGIL_BPF_SIG_XATTR, &sig);
	if (len < 0) {
		ret = len;
		goto out;
	}
	n = len;
	asm volatile("" : "+r"(n));
	if (n == 0 || n > SIGIL_BPF_SIG_MAX) {
		ret = -EBADMSG;
		goto out;
	}
	if (size > SIGIL_BPF_DIGEST_MAX) {
		ret = -EINVAL;
		goto out;
	}
	bpf_dynptr_from_mem(s->formatted, 8 + 4 + size, 0, &data);
	bpf_dynptr_from_mem(s->sig, n, 0, &sig);
	key = bpf_lookup_user_key(keyring, 0);
	if (!key) {
		ret = -ENOENT;	/* the keyring is gone: not an answer */
		goto out;
	}
	ret = bpf_verify_pkcs7_signature(&data, &sig, key);
	bpf_key_put(key);
out:
	bpf_task_storage_delete(&sigil_scratch, bpf_get_current_task_btf());
	return ret;
}

/*
 * Is @err an answer about the signature (none, malformed, not by a key of
 * the keyring, not over this digest), which holds until the signature or
 * the keyring changes?  Anything else (out of memory, the keyring gone, an
 * I/O error) is a failure to answer: the decision is an error, and the
 * next event tries again.
 */
static __always_inline bool sig_answer(int err)
{
	switch (-err) {
	case 0:
	case ENODATA:
	case EOPNOTSUPP:
	case EBADMSG:
	case EKEYREJECTED:
	case ENOKEY:
	case ENOPKG:
	case EINVAL:
	case ERANGE:
	case EMSGSIZE:
		return true;
	default:
		return false;
	}
}

static __always_inline void fetch_sig(struct event *ev, struct facts *f,
				      struct sigil_bpf_inode *ino,
				      const struct sigil_bpf_config *cfg)
{
	int ret;

	if (f->algo == SIGIL_HASH_NONE) {
		if (f->failed & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))
			fact_failed(f, SIGIL_PROP_FSVERITY_SIGNATURE, f->error);
		return;		/* no fs-verity, no fs-verity signature */
	}
	if (ino && ino->sig_gen == cfg->gen) {
		ret = ino->sig_error;
	} else if (ev->sleepable && ev->file) {
		ret = verify_sig(ev->file, cfg->keyring, f->size);
		count(SIGIL_BPF_STAT_VERIFIED);
		if (!sig_answer(ret)) {
			f->sig_error = ret;
			fact_failed(f, SIGIL_PROP_FSVERITY_SIGNATURE, ret);
			return;
		}
		if (ino) {
			ino->sig_gen = cfg->gen;
			ino->sig_error = ret;
		}
	} else {
		/* Not verified yet, and this hook cannot sleep to do it. */
		fact_failed(f, SIGIL_PROP_FSVERITY_SIGNATURE, -EAGAIN);
		return;
	}
	f->sig_error = ret;
	if (!ret)
		f->truths |= SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE);
}

/*
 * Whether d_path() of @file is a global path: the task's root is pid 1's,
 * and the file's mount is in pid 1's mount namespace (not a detached
 * mount, nor one of another namespace reached through /proc/PID/root).
 */
static __always_inline bool path_is_global(struct file *file)
{
	struct task_struct *init, *cur = bpf_get_current_task_btf();
	struct vfsmount *vmnt = BPF_CORE_READ(file, f_path.mnt);
	struct mount *mnt = container_of(vmnt, struct mount, mnt);
	bool same;

	init = bpf_task_from_pid(1);
	if (!init)
		return false;
	same = BPF_CORE_READ(init, fs, root.mnt) == BPF_CORE_READ(cur, fs, root.mnt) &&
	       BPF_CORE_READ(init, fs, root.dentry) == BPF_CORE_READ(cur, fs, root.dentry) &&
	       BPF_CORE_READ(init, nsproxy, mnt_ns) == BPF_CORE_READ(mnt, mnt_ns);
	bpf_task_release(init);
	return same;
}

struct mf_ctx {
	struct sigil_bpf_mf_val *val;
	u64 found;
};

static long mf_listed(u32 i, void *data)
{
	struct mf_ctx *c = data;
	struct sigil_bpf_manifest *m;
	u32 idx, epoch;

	u64 j = i;

	/* Make clang index with the register the bound was checked on. */
	asm volatile("" : "+r"(j));
	if (j >= SIGIL_BPF_MF_LISTED || j >= c->val->n)
		return 1;
	idx = c->val->by[j].manifest;
	epoch = c->val->by[j].epoch;
	m = bpf_map_lookup_elem(&sigil_mfs, &idx);
	if (m && m->epoch && m->epoch == epoch && idx < 64)
		c->found |= 1ull << idx;
	return 0;
}

/*
 * The manifests that list the file's fs-verity digest under the path it is
 * used through.  The path is d_path() from the task's root, compared only
 * when that root is pid 1's (Documentation/bpf.rst).
 */
static __always_inline void fetch_manifests(struct event *ev, struct facts *f)
{
	struct sigil_bpf_mf_key *k;
	struct sigil_bpf_mf_val *v;
	struct mf_ctx c = {};
	struct pcpu_buf *pc;
	u32 zero = 0;
	int len, i;

	if (!ev->file || ev->mem != SIGIL_BPF_MEM_FILE)
		return;
	if (f->failed & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST)) {
		fact_failed(f, SIGIL_PROP_MANIFEST, f->error);
		return;
	}
	if (f->algo == SIGIL_HASH_NONE) {
		f->mf_state = SIGIL_BPF_MF_NO_DIGEST;
		return;
	}
	if (!path_is_global(ev->file)) {
		f->mf_state = SIGIL_BPF_MF_NO_PATH;
		return;
	}
	bpf_preempt_disable();
	pc = bpf_map_lookup_elem(&sigil_pcpu, &zero);
	if (!pc) {
		bpf_preempt_enable();
		fact_failed(f, SIGIL_PROP_MANIFEST, -ENOMEM);
		return;
	}
	k = &pc->k;
	__builtin_memset(k, 0, sizeof(*k));
	len = bpf_path_d_path(&ev->file->f_path, k->path, sizeof(k->path));
	if (len <= 0 || len > SIGIL_BPF_PATH_MAX) {
		bpf_preempt_enable();
		f->mf_state = SIGIL_BPF_MF_NO_PATH;
		return;
	}
	/* d_path leaves bytes after the NUL: the key is NUL-padded. */
	for (i = 0; i < SIGIL_BPF_PATH_MAX; i++)
		if (i >= len)
			k->path[i] = 0;
	k->algo = f->algo;
	k->size = f->size;
	__builtin_memcpy(k->digest, f->digest, sizeof(k->digest));
	v = bpf_map_lookup_elem(&sigil_mf_ents, k);
	if (v) {
		c.val = v;
		bpf_loop(SIGIL_BPF_MF_LISTED, mf_listed, &c, 0);
	}
	bpf_preempt_enable();
	f->manifests = c.found;
	f->mf_state = c.found ? SIGIL_BPF_MF_MATCH : SIGIL_BPF_MF_NOT_LISTED;
}

/* The root hash of the dm-verity volume holding the file, if one is known. */
static __always_inline void fetch_dmv(struct event *ev, struct facts *f)
{
	struct inode *inode = ev->inode;
	struct sigil_bpf_dmv *v;
	u32 dev = BPF_CORE_READ(inode, i_sb, s_dev);

	v = bpf_map_lookup_elem(&sigil_dmv, &dev);
	if (!v || !v->algo || v->size > SIGIL_BPF_DIGEST_MAX)
		return;
	f->dmv_dev = dev;
	if (v->signed_)
		f->truths |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
}

static __always_inline void gather(struct event *ev, struct facts *f,
				   const struct sigil_bpf_config *cfg)
{
	struct sigil_bpf_inode *ino = NULL;
	u32 dmv_props = SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH) |
			SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
	u32 file_props = SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST) |
			 SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE) |
			 SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST) |
			 SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) | dmv_props;

	f->algo = SIGIL_HASH_NONE;
	if (!ev->inode || ev->mem != SIGIL_BPF_MEM_FILE) {
		f->truths |= SIGIL_PROP_BIT(SIGIL_PROP_ANONYMOUS);
		return;
	}
	if (!(f->needed & file_props))
		return;
	if (f->needed & dmv_props)
		fetch_dmv(ev, f);
	ino = bpf_inode_storage_get(&sigil_inodes, ev->inode, 0,
				    ev->file ? BPF_LOCAL_STORAGE_GET_F_CREATE : 0);
	if (ino && (ino->flags & SIGIL_BPF_INO_BOOT))
		f->truths |= SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED);
	if (f->needed & (SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST) |
			 SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE) |
			 SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST)))
		fetch_digest(ev, f, ino);
	if (f->needed & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE))
		fetch_sig(ev, f, ino, cfg);
	if (f->needed & SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST)) {
		if (ev->file)
			fetch_manifests(ev, f);
		else
			fact_failed(f, SIGIL_PROP_MANIFEST, -EAGAIN);
	}
}

/* ---- Evaluation ---- */

struct walk {
	struct facts *f;
	u32 base;		/* slot * SIGIL_BPF_STEPS_MAX + the op's first step */
	u32 nsteps;
	/* outcome */
	u8 matched;
	u8 action;
	u8 errored;
	u32 line;
	s32 rule;
};

static __always_inline bool same_digest(const u8 *a, const u8 *b)
{
	const u64 *x = (const u64 *)a, *y = (const u64 *)b;
	int i;

	for (i = 0; i < SIGIL_BPF_DIGEST_MAX / 8; i++)
		if (x[i] != y[i])
			return false;
	return true;
}

/* 1: holds, 0: does not, -1: its fact could not be found. */
static __always_inline int prop_holds(const struct sigil_bpf_prop *p,
				      struct facts *f)
{
	struct sigil_bpf_dmv *dmv;
	struct sigil_bpf_manifest *m;
	u32 idx;

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
		       f->size == p->size && same_digest(f->digest, p->digest);
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		dmv = f->dmv_dev ? bpf_map_lookup_elem(&sigil_dmv, &f->dmv_dev) : NULL;
		return dmv && dmv->algo == p->value && dmv->size == p->size &&
		       same_digest(dmv->digest, p->digest);
	case SIGIL_PROP_MANIFEST:
		if (p->manifest == SIGIL_BPF_ANY)
			return f->manifests != 0;
		idx = p->manifest;
		if (idx >= 64 || !(f->manifests & (1ull << idx)))
			return 0;
		if (!p->has_min)
			return 1;
		m = bpf_map_lookup_elem(&sigil_mfs, &idx);
		return m && m->version >= p->min_version;
	default:
		/* sigilctl refuses every other property: never match one. */
		return -1;
	}
}

/* Look @st's digest up in its indexed run; 1 when a rule matched. */
static __always_inline long walk_index(struct walk *w, struct sigil_bpf_step *st,
				       u32 key)
{
	struct sigil_bpf_digest_key *k;
	struct sigil_bpf_digest_val *v;
	struct sigil_bpf_dmv *dmv;
	struct pcpu_buf *pc;
	u32 zero = 0;

	if (st->index_type != SIGIL_PROP_DMVERITY_ROOTHASH &&
	    (w->f->failed & SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))) {
		w->errored = 1;
		return 1;
	}
	bpf_preempt_disable();
	pc = bpf_map_lookup_elem(&sigil_pcpu, &zero);
	if (!pc) {
		bpf_preempt_enable();
		w->errored = 1;
		return 1;
	}
	k = &pc->dk;
	__builtin_memset(k, 0, sizeof(*k));
	k->step = key;
	if (st->index_type == SIGIL_PROP_DMVERITY_ROOTHASH) {
		dmv = w->f->dmv_dev ?
		      bpf_map_lookup_elem(&sigil_dmv, &w->f->dmv_dev) : NULL;
		if (!dmv) {
			bpf_preempt_enable();
			return 0;
		}
		k->algo = dmv->algo;
		k->size = dmv->size;
		__builtin_memcpy(k->digest, dmv->digest, sizeof(k->digest));
	} else {
		if (w->f->algo == SIGIL_HASH_NONE) {
			bpf_preempt_enable();
			return 0;
		}
		k->algo = w->f->algo;
		k->size = w->f->size;
		__builtin_memcpy(k->digest, w->f->digest, sizeof(k->digest));
	}
	v = bpf_map_lookup_elem(&sigil_digests, k);
	if (v) {
		w->matched = 1;
		w->action = v->action;
		w->line = v->line;
		w->rule = v->rule;
	}
	bpf_preempt_enable();
	return v ? 1 : 0;
}

static long walk_step(u32 i, void *data)
{
	struct walk *w = data;
	struct sigil_bpf_step *st;
	u32 key = w->base + (u32)i;
	int j, r;

	if (i >= w->nsteps)
		return 1;
	st = bpf_map_lookup_elem(&sigil_steps, &key);
	if (!st) {
		w->errored = 1;
		w->f->error = -EINVAL;
		w->f->error_prop = __SIGIL_PROP_MAX;
		return 1;
	}
	if (st->kind == SIGIL_BPF_STEP_INDEX)
		return walk_index(w, st, key);
	for (j = 0; j < SIGIL_BPF_RULE_PROPS; j++) {
		if (j >= st->nprops)
			break;
		r = prop_holds(&st->props[j], w->f);
		if (r < 0) {
			w->errored = 1;
			if (!w->f->failed) {
				w->f->error = -EINVAL;
				w->f->error_prop = st->props[j].type;
			}
			return 1;
		}
		if (!r)
			return 0;
	}
	w->matched = 1;
	w->action = st->action;
	w->line = st->line;
	w->rule = st->rule;
	return 1;
}

struct outcome {
	u8 action;
	u8 match;
	u32 line;
	s32 rule;
	s32 error;
	u8 error_prop;
};

/*
 * Decisions in progress, per slot: sigilctl writes a slot only once none
 * is walking it, so a decision sees one policy whole, even one that sleeps
 * verifying a signature across two loads.
 */
static __always_inline u32 enter_slot(const struct sigil_bpf_config *cfg)
{
	u32 slot = cfg->slot & 1, again;
	u64 *n = bpf_map_lookup_elem(&sigil_inflight, &slot);

	if (n)
		__sync_fetch_and_add(n, 1);
	/* Switched meanwhile: sigilctl may not have seen us; take the new. */
	again = cfg->slot & 1;
	if (again != slot) {
		if (n)
			__sync_fetch_and_add(n, -1);
		slot = again;
		n = bpf_map_lookup_elem(&sigil_inflight, &slot);
		if (n)
			__sync_fetch_and_add(n, 1);
	}
	return slot;
}

static __always_inline void leave_slot(u32 slot)
{
	u64 *n = bpf_map_lookup_elem(&sigil_inflight, &slot);

	if (n)
		__sync_fetch_and_add(n, -1);
}

static __always_inline void decide(struct event *ev,
				   const struct sigil_bpf_config *cfg,
				   struct facts *f, struct outcome *o, u32 slot)
{
	struct sigil_bpf_head *h;
	struct sigil_bpf_op *op = NULL;
	struct walk w = {};
	u64 opi;

	o->rule = -1;
	h = bpf_map_lookup_elem(&sigil_heads, &slot);
	if (!h) {
		o->action = SIGIL_ACTION_DENY;
		o->match = SIGIL_MATCH_ERROR;
		o->error = -EINVAL;
		o->error_prop = __SIGIL_PROP_MAX;
		return;
	}
	opi = ev->op;
	asm volatile("" : "+r"(opi));
	if (opi < __SIGIL_OP_MAX) {
		op = &h->ops[opi];
		f->needed = op->props;
	}
	gather(ev, f, cfg);
	/*
	 * Every way through gather() leaves other known values in @f; the
	 * verifier would walk the rules once for each.  Copying @f onto itself
	 * as a kernel read makes its bytes unknown to the verifier (not to the
	 * program), so that those ways meet here.
	 */
	bpf_probe_read_kernel(f, sizeof(*f), f);
	if (op && op->nsteps) {
		w.f = f;
		w.base = slot * SIGIL_BPF_STEPS_MAX + op->first_step;
		w.nsteps = op->nsteps;
		bpf_loop(SIGIL_BPF_STEPS_MAX, walk_step, &w, 0);
		if (w.errored) {
			o->action = SIGIL_ACTION_DENY;
			o->match = SIGIL_MATCH_ERROR;
			o->error = f->error ? f->error : -EINVAL;
			o->error_prop = f->error_prop;
			return;
		}
		if (w.matched) {
			o->action = w.action;
			o->match = SIGIL_MATCH_RULE;
			o->line = w.line;
			o->rule = w.rule;
			return;
		}
	}
	if (op && op->default_action != SIGIL_ACTION_NONE) {
		o->action = op->default_action;
		o->match = SIGIL_MATCH_OP_DEFAULT;
		o->line = op->default_line;
		return;
	}
	if (h->global_default != SIGIL_ACTION_NONE) {
		o->action = h->global_default;
		o->match = SIGIL_MATCH_GLOBAL_DEFAULT;
		o->line = h->global_default_line;
		return;
	}
	/* The parser refuses a policy without a global DEFAULT. */
	o->action = SIGIL_ACTION_DENY;
	o->match = SIGIL_MATCH_ERROR;
	o->error = -EINVAL;
	o->error_prop = __SIGIL_PROP_MAX;
}

static __always_inline void fill(struct sigil_bpf_record *r, struct event *ev,
				 struct facts *f, struct outcome *o,
				 const struct sigil_bpf_config *cfg)
{
	struct inode *inode = ev->inode;
	struct sigil_bpf_dmv *dmv;

	r->time_ns = bpf_ktime_get_boot_ns();
	r->ino = inode ? BPF_CORE_READ(inode, i_ino) : 0;
	r->dev = inode ? BPF_CORE_READ(inode, i_sb, s_dev) : 0;
	r->pid = bpf_get_current_pid_tgid() >> 32;
	r->line = o->line;
	r->rule = o->rule;
	r->error = o->error;
	r->sig_error = f->sig_error;
	r->manifests = f->manifests;
	r->op = ev->op;
	r->action = o->action;
	r->match = o->match;
	r->hook = ev->hook;
	r->mem = ev->mem;
	r->enforce = cfg->enforce;
	r->error_prop = o->error_prop;
	r->mf_state = f->mf_state;
	r->facts = f->truths;
	r->algo = f->algo;
	r->size = f->size;
	__builtin_memcpy(r->digest, f->digest, sizeof(r->digest));
	dmv = f->dmv_dev ? bpf_map_lookup_elem(&sigil_dmv, &f->dmv_dev) : NULL;
	if (dmv) {
		r->dmv_algo = dmv->algo;
		r->dmv_size = dmv->size;
		__builtin_memcpy(r->dmv_digest, dmv->digest, sizeof(r->dmv_digest));
	} else {
		r->dmv_algo = SIGIL_HASH_NONE;
	}
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	r->path[0] = 0;
	if (ev->file && bpf_path_d_path(&ev->file->f_path, r->path, sizeof(r->path)) < 0)
		r->path[0] = 0;
}

/*
 * Decide one event.  Returns 0 to allow, -EACCES to refuse.  A task that
 * sigilctl armed for explain gets the decision recorded and is refused,
 * whatever it was, so that explaining a file never maps or loads it.
 */
static __always_inline int evaluate(struct event *ev)
{
	struct sigil_bpf_config *cfg;
	struct sigil_bpf_explain *x;
	struct sigil_bpf_record *r;
	struct facts f = {};
	struct outcome o = {};
	u32 zero = 0, slot;
	bool deny;

	cfg = bpf_map_lookup_elem(&sigil_config, &zero);
	if (!cfg || !cfg->loaded)
		return 0;
	slot = enter_slot(cfg);
	decide(ev, cfg, &f, &o, slot);
	leave_slot(slot);
	/* As in decide(): the ways through it meet here for the verifier. */
	bpf_probe_read_kernel(&o, sizeof(o), &o);
	deny = o.action != SIGIL_ACTION_ALLOW;

	x = bpf_task_storage_get(&sigil_explain, bpf_get_current_task_btf(), 0, 0);
	if (x && x->armed) {
		fill(&x->rec, ev, &f, &o, cfg);
		x->armed = 0;
		x->done = 1;
		return -EACCES;
	}

	count(o.match == SIGIL_MATCH_ERROR ? SIGIL_BPF_STAT_ERRORS :
	      deny ? SIGIL_BPF_STAT_DENIED : SIGIL_BPF_STAT_ALLOWED);
	if (deny) {
		r = bpf_ringbuf_reserve(&sigil_log, sizeof(*r), 0);
		if (r) {
			fill(r, ev, &f, &o, cfg);
			bpf_ringbuf_submit(r, 0);
		} else {
			count(SIGIL_BPF_STAT_LOG_LOST);
		}
	}
	return deny && cfg->enforce ? -EACCES : 0;
}

/* ---- Hooks ---- */

/*
 * The verifier takes LSM hook arguments as trusted and so never NULL,
 * and would drop a NULL test on one; mmap_file's file is NULL for
 * anonymous memory.  Read the argument as a plain number to test it.
 */
static __always_inline bool arg_null(unsigned long long *ctx, int i)
{
	u64 v = 0;

	bpf_probe_read_kernel(&v, sizeof(v), &ctx[i]);
	return !v;
}

SEC("lsm.s/bprm_check_security")
int BPF_PROG(sigil_bprm_check, struct linux_binprm *bprm)
{
	struct event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_BPF_HOOK_EXEC,
		.sleepable = 1,
	};

	ev.file = bprm->file;
	ev.inode = ev.file->f_inode;
	return evaluate(&ev);
}

/*
 * Executable mappings are EXECUTE.  Memory whose bytes no file vouches
 * for is decided as an event without a file, as the built-in LSM does:
 * anonymous memory, and a private file mapping that is writable too.
 * Every other mapping of a regular file measures it, so that a later
 * mprotect(PROT_EXEC), which cannot sleep, finds its facts.
 */
/*
 * Record a mapped file's facts for a later mprotect(PROT_EXEC), when the
 * policy's EXECUTE rules test them.  A frame of its own: the verifier
 * walks it apart from the decision.
 */
static __noinline int measure(struct file *file)
{
	struct event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_BPF_HOOK_MMAP,
		.sleepable = 1,
	};
	struct sigil_bpf_config *cfg;
	struct sigil_bpf_head *h;
	struct facts f = {};
	u32 zero = 0, slot;

	if (!file)
		return 0;
	ev.file = file;
	ev.inode = file->f_inode;
	if ((BPF_CORE_READ(file, f_inode, i_mode) & S_IFMT) != S_IFREG)
		return 0;
	cfg = bpf_map_lookup_elem(&sigil_config, &zero);
	if (!cfg || !cfg->loaded)
		return 0;
	slot = cfg->slot & 1;
	h = bpf_map_lookup_elem(&sigil_heads, &slot);
	if (!h)
		return 0;
	f.needed = h->ops[SIGIL_OP_EXECUTE].props &
		   (SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST) |
		    SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_SIGNATURE));
	if (f.needed)
		gather(&ev, &f, cfg);
	return 0;
}

SEC("lsm.s/mmap_file")
int BPF_PROG(sigil_mmap_file, struct file *file, unsigned long reqprot,
	     unsigned long prot, unsigned long flags)
{
	struct event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_BPF_HOOK_MMAP,
		.sleepable = 1,
	};

	if (arg_null(ctx, 0)) {
		if (!(prot & PROT_EXEC))
			return 0;
		ev.mem = SIGIL_BPF_MEM_ANONYMOUS;
		return evaluate(&ev);
	}
	ev.file = file;
	ev.inode = file->f_inode;
	if (!(prot & PROT_EXEC))
		return measure(file);
	if ((flags & MAP_TYPE) == MAP_PRIVATE && (prot & PROT_WRITE))
		ev.mem = SIGIL_BPF_MEM_WRITABLE;
	return evaluate(&ev);
}

/*
 * Under personality(READ_IMPLIES_EXEC) every readable mapping is
 * executable, and so is the heap that brk() grows, which reaches no other
 * hook: each new mapping or heap of such a task asks for memory that no
 * file vouches for.
 */
SEC("lsm/mmap_addr")
int BPF_PROG(sigil_mmap_addr, unsigned long addr)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_BPF_HOOK_MMAP_ADDR,
		.mem = SIGIL_BPF_MEM_ANONYMOUS,
	};

	if (!(task->personality & READ_IMPLIES_EXEC))
		return 0;
	return evaluate(&ev);
}

/*
 * A change that adds execution is a new decision, and so is one that
 * adds writing to an executable private mapping (see the built-in LSM's
 * hook_file_mprotect()).  This hook cannot sleep: a file mapping is
 * decided on the facts its mmap recorded in inode storage.
 */
SEC("lsm/file_mprotect")
int BPF_PROG(sigil_file_mprotect, struct vm_area_struct *vma,
	     unsigned long reqprot, unsigned long prot)
{
	struct event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_BPF_HOOK_MPROTECT,
	};
	unsigned long vm_flags = vma->vm_flags;
	struct file *file = vma->vm_file;
	bool private = !(vm_flags & VM_SHARED);

	if (!(prot & PROT_EXEC))
		return 0;
	if (vm_flags & VM_EXEC) {
		/* Of a file or not: the vDSO is executable without a hook. */
		if (!(prot & PROT_WRITE) || (vm_flags & VM_WRITE) || !private)
			return 0;
		ev.mem = file ? SIGIL_BPF_MEM_WRITABLE : SIGIL_BPF_MEM_ANONYMOUS;
	} else if (!file) {
		ev.mem = SIGIL_BPF_MEM_ANONYMOUS;
	} else if (private && (prot & PROT_WRITE)) {
		ev.mem = SIGIL_BPF_MEM_WRITABLE;
	} else if (private && vma->anon_vma) {
		ev.mem = SIGIL_BPF_MEM_COPIED;
	}
	if (file)
		ev.inode = file->f_inode;
	return evaluate(&ev);
}

SEC("lsm.s/kernel_read_file")
int BPF_PROG(sigil_kernel_read_file, struct file *file,
	     enum kernel_read_file_id id, bool contents)
{
	struct event ev = {
		.op = sigil_read_file_op(id),
		.hook = SIGIL_BPF_HOOK_KERNEL_READ,
		.sleepable = 1,
	};

	if (arg_null(ctx, 0))
		return evaluate(&ev);
	ev.file = file;
	ev.inode = file->f_inode;
	return evaluate(&ev);
}

/* Data from a userspace buffer has no file: only DEFAULTs can allow it. */
SEC("lsm/kernel_load_data")
int BPF_PROG(sigil_kernel_load_data, enum kernel_load_data_id id,
	     bool contents)
{
	struct event ev = {
		.op = sigil_read_file_op(id),	/* LOADING_* numbers READING_*'s */
		.hook = SIGIL_BPF_HOOK_KERNEL_LOAD,
	};

	return evaluate(&ev);
}

/* ---- What makes a file lose boot_verified, or its verdict ---- */

static __always_inline void lose_boot(struct inode *inode)
{
	struct sigil_bpf_inode *ino;

	ino = bpf_inode_storage_get(&sigil_inodes, inode, 0, 0);
	if (ino)
		ino->flags &= ~SIGIL_BPF_INO_BOOT;
}

SEC("lsm/file_open")
int BPF_PROG(sigil_file_open, struct file *file)
{
	if (BPF_CORE_READ(file, f_mode) & FMODE_WRITE)
		lose_boot(file->f_inode);
	return 0;
}

SEC("lsm/inode_setattr")
int BPF_PROG(sigil_inode_setattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, struct iattr *attr)
{
	if (BPF_CORE_READ(attr, ia_valid) & ATTR_SIZE)
		lose_boot(dentry->d_inode);
	return 0;
}

/* A changed xattr may be a changed signature: verify it again. */
static __always_inline int xattr_changed(struct dentry *dentry)
{
	struct sigil_bpf_inode *ino;

	ino = bpf_inode_storage_get(&sigil_inodes, dentry->d_inode, 0, 0);
	if (ino) {
		ino->flags &= ~SIGIL_BPF_INO_BOOT;
		ino->sig_gen = 0;
	}
	return 0;
}

SEC("lsm/inode_setxattr")
int BPF_PROG(sigil_inode_setxattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *name, const void *value,
	     size_t size, int flags)
{
	return xattr_changed(dentry);
}

SEC("lsm/inode_removexattr")
int BPF_PROG(sigil_inode_removexattr, struct mnt_idmap *idmap,
	     struct dentry *dentry, const char *name)
{
	return xattr_changed(dentry);
}

/* ---- dm-verity: what it reports when a volume goes live ---- */

static __always_inline u8 dmv_algo(const char *name)
{
	char a[8] = {};

	bpf_probe_read_kernel_str(a, sizeof(a), name);
	if (a[0] != 's' || a[1] != 'h' || a[2] != 'a')
		return SIGIL_HASH_NONE;
	if (a[3] == '2' && a[4] == '5' && a[5] == '6' && !a[6])
		return SIGIL_HASH_SHA256;
	if (a[3] == '3' && a[4] == '8' && a[5] == '4' && !a[6])
		return SIGIL_HASH_SHA384;
	if (a[3] == '5' && a[4] == '1' && a[5] == '2' && !a[6])
		return SIGIL_HASH_SHA512;
	return SIGIL_HASH_NONE;
}

/*
 * dm-verity reports a volume's root hash, then whether a signature of it
 * verified, each time a verity table goes live (verity_preresume()); the
 * target is immutable, so a live volume cannot become another kind.  A
 * NULL root hash withdraws the report.  Volumes that went live before the
 * program was loaded are not known (Documentation/bpf.rst).
 */
SEC("lsm/bdev_setintegrity")
int sigil_bdev_setintegrity(unsigned long long *ctx)
{
	struct block_device *bdev = (void *)ctx[0];
	struct sigil_bpf_dmv v = {}, *old;
	struct dm_verity_digest d;
	u64 type = ctx[1], size = ctx[3], n, value = 0;
	long err;
	u32 dev = bdev->bd_dev;

	/* value is a void *: read it as a number. */
	bpf_probe_read_kernel(&value, sizeof(value), &ctx[2]);

	if (type == LSM_INT_DMVERITY_ROOTHASH) {
		if (!value) {
			bpf_map_delete_elem(&sigil_dmv, &dev);
			return 0;
		}
		if (bpf_probe_read_kernel(&d, sizeof(d), (void *)value))
			return 0;
		n = d.digest_len;
		v.algo = dmv_algo(d.alg);
		/* The sizes of the algorithms dmv_algo() knows, as constants. */
		if (n == 32)
			err = bpf_probe_read_kernel(v.digest, 32, d.digest);
		else if (n == 48)
			err = bpf_probe_read_kernel(v.digest, 48, d.digest);
		else if (n == 64)
			err = bpf_probe_read_kernel(v.digest, 64, d.digest);
		else
			err = -EINVAL;
		if (!v.algo || err) {
			/* A root hash sigil cannot compare: none known. */
			bpf_map_delete_elem(&sigil_dmv, &dev);
			return 0;
		}
		v.size = n;
		bpf_map_update_elem(&sigil_dmv, &dev, &v, BPF_ANY);
	} else if (type == LSM_INT_DMVERITY_SIG_VALID) {
		old = bpf_map_lookup_elem(&sigil_dmv, &dev);
		if (old)
			old->signed_ = value && size;
	}
	return 0;
}

SEC("lsm/bdev_free_security")
int BPF_PROG(sigil_bdev_free_security, struct block_device *bdev)
{
	u32 dev = bdev->bd_dev;

	bpf_map_delete_elem(&sigil_dmv, &dev);
	return 0;
}

/* ---- Self-protection after lock ---- */

static __always_inline bool locked(void)
{
	struct sigil_bpf_config *cfg;
	u32 zero = 0;

	cfg = bpf_map_lookup_elem(&sigil_config, &zero);
	return cfg && cfg->locked;
}

static __always_inline int refuse(void)
{
	count(SIGIL_BPF_STAT_REFUSED_TAMPER);
	return -EPERM;
}

/*
 * Once locked, no BPF program that could stand between a hook and this
 * program: another LSM program attached later runs first, and one that
 * returns a value with high bits set makes the trampoline skip every
 * program after it, this one included; an fmod_ret or fentry program on
 * a security_*() function, or an extension program, can do the like.  So
 * none of those is loaded or attached, by anyone, until reboot; nor is
 * any link detached or replaced (this program's could be one).  Other
 * program types (networking, cgroups, kprobes, tracepoints) are not
 * touched.
 */
SEC("lsm/bpf")
int BPF_PROG(sigil_bpf, int cmd, union bpf_attr *attr, unsigned int size)
{
	u32 t;

	if (!locked())
		return 0;
	switch (cmd) {
	case BPF_LINK_DETACH:
	case BPF_LINK_UPDATE:
	case BPF_RAW_TRACEPOINT_OPEN:
		return refuse();
	case BPF_PROG_LOAD:
		t = BPF_CORE_READ(attr, prog_type);
		if (t == BPF_PROG_TYPE_LSM || t == BPF_PROG_TYPE_TRACING ||
		    t == BPF_PROG_TYPE_EXT)
			return refuse();
		return 0;
	case BPF_LINK_CREATE:
		t = BPF_CORE_READ(attr, link_create.attach_type);
		if (t == BPF_LSM_MAC || t == BPF_LSM_CGROUP || t == BPF_TRACE_FENTRY ||
		    t == BPF_TRACE_FEXIT || t == BPF_MODIFY_RETURN)
			return refuse();
		return 0;
	case BPF_PROG_ATTACH:
		if (BPF_CORE_READ(attr, attach_type) == BPF_LSM_CGROUP)
			return refuse();
		return 0;
	default:
		return 0;
	}
}

/*
 * Once locked, no new descriptor of a map the program writes and decides
 * by: another program loaded with one could write it.  The policy maps
 * are frozen and read-only to programs, so reading them stays allowed;
 * so do the counters, the log and explain, which decide nothing.
 */
SEC("lsm/bpf_map")
int BPF_PROG(sigil_bpf_map, struct bpf_map *map, fmode_t fmode)
{
	if (!locked())
		return 0;
	if (map == (struct bpf_map *)&sigil_inodes ||
	    map == (struct bpf_map *)&sigil_scratch || map == (struct bpf_map *)&sigil_pcpu ||
	    map == (struct bpf_map *)&sigil_dmv || map == (struct bpf_map *)&sigil_inflight)
		return refuse();
	return 0;
}

static __always_inline bool protected(struct inode *inode)
{
	struct sigil_bpf_inode *ino;

	if (!inode)
		return false;
	ino = bpf_inode_storage_get(&sigil_inodes, inode, 0, 0);
	return ino && (ino->flags & SIGIL_BPF_INO_PROTECT);
}

SEC("lsm/inode_unlink")
int BPF_PROG(sigil_inode_unlink, struct inode *dir, struct dentry *dentry)
{
	if (locked() && (protected(dir) || protected(dentry->d_inode)))
		return refuse();
	return 0;
}

SEC("lsm/inode_rmdir")
int BPF_PROG(sigil_inode_rmdir, struct inode *dir, struct dentry *dentry)
{
	if (locked() && (protected(dir) || protected(dentry->d_inode)))
		return refuse();
	return 0;
}

SEC("lsm/inode_rename")
int BPF_PROG(sigil_inode_rename, struct inode *old_dir,
	     struct dentry *old_dentry, struct inode *new_dir,
	     struct dentry *new_dentry)
{
	if (locked() && (protected(old_dir) || protected(new_dir) ||
			 protected(old_dentry->d_inode) ||
			 protected(new_dentry->d_inode)))
		return refuse();
	return 0;
}

/*
 * Unmounting a bpffs would drop its pins, and with them the program; so
 * would a lazy unmount of any mount above it (umount -l /sys), which the
 * hook cannot see: once locked, no bpffs is unmounted, and nothing lazily.
 */
SEC("lsm/sb_umount")
int BPF_PROG(sigil_sb_umount, struct vfsmount *mnt, int flags)
{
	if (!locked())
		return 0;
	if ((flags & MNT_DETACH) || BPF_CORE_READ(mnt, mnt_sb, s_magic) == BPF_FS_MAGIC)
		return refuse();
	return 0;
}

/* The keyring that signatures are checked against takes no new key. */
SEC("lsm/key_permission")
int sigil_key_permission(unsigned long long *ctx)
{
	struct sigil_bpf_config *cfg;
	u64 need = ctx[2], ref = 0;
	struct key *key;
	u32 zero = 0;

	if (need != KEY_NEED_WRITE && need != KEY_NEED_SETATTR &&
	    need != KEY_NEED_UNLINK)
		return 0;
	cfg = bpf_map_lookup_elem(&sigil_config, &zero);
	if (!cfg || !cfg->locked || !cfg->keyring)
		return 0;
	/* key_ref_t is a pointer to an opaque type: read it as a number. */
	bpf_probe_read_kernel(&ref, sizeof(ref), &ctx[0]);
	key = (struct key *)(ref & ~1UL);
	if (BPF_CORE_READ(key, serial) == cfg->keyring)
		return refuse();
	return 0;
}
