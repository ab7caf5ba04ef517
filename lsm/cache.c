// SPDX-License-Identifier: GPL-2.0-only
/*
 * The per-inode verdict cache: each kind of file signature is verified at
 * most once per inode, and the verdict is reused until something it
 * depends on changes.
 *
 * A verdict is tagged with generations read before verification started:
 * the global one, bumped when the .sigil keyring or the active policy
 * changes, and the inode's own, changed after every change to the content
 * or the signature xattrs (a write open, a truncate, setxattr, removexattr,
 * a new fs-verity signature).  The verdict lives on the inode with the
 * data; when the signature xattrs are another inode's (overlayfs metacopy,
 * or an overlay descriptor opened before a copy-up), that inode's
 * generation is a third tag.  A verdict is used only while every tag is
 * current, so a change that lands during a verification makes its result
 * stale instead of wrong.  Content hashing also refuses files that are
 * open for writing (see sigil_read_content()).
 *
 * Inode generations are unique across inodes and time (new_inode_gen()):
 * a tag names one state of one inode, even after that inode is freed and
 * its memory reused, so a verdict can name another inode's state safely.
 *
 * Verdicts are immutable and RCU-freed: the exec path reads them under
 * rcu_read_lock() without taking a lock or allocating.
 */

#include "sigil.h"
#include "cache.h"

#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/xattr.h>

static atomic64_t sigil_cache_gen = ATOMIC64_INIT(1);
static struct kmem_cache *sigil_verdict_cache __ro_after_init;

/*
 * Inode generations: a per-CPU count above the CPU's number, so that no
 * two are ever equal, with no shared cache line written.
 */
#define SIGIL_GEN_CPU_BITS	16
static DEFINE_PER_CPU(u64, sigil_inode_gen_next);

static u64 new_inode_gen(void)
{
	u64 n = get_cpu_var(sigil_inode_gen_next)++;
	u64 gen = (n + 1) << SIGIL_GEN_CPU_BITS | smp_processor_id();

	put_cpu_var(sigil_inode_gen_next);
	return gen;
}

static_assert(CONFIG_NR_CPUS <= 1 << SIGIL_GEN_CPU_BITS);

/* Statistics for sigil/status. */
static DEFINE_PER_CPU(unsigned long, sigil_cache_hits);
static DEFINE_PER_CPU(unsigned long, sigil_cache_misses);
static atomic_long_t sigil_cache_verifications;
static atomic_long_t sigil_cache_entries;
static atomic_long_t sigil_cache_blob_bytes;

/**
 * struct sigil_verdict - the verified signatures of one inode
 * @rcu: frees the verdict after readers are done
 * @global_gen: sigil_cache_gen when verification started
 * @inode_gen: the inode's generation when verification started
 * @xattr_gen: the generation of the inode whose signature xattrs were
 *	       read, when verification started; @inode_gen when it is the
 *	       same inode
 * @have: BIT() of each enum sigil_sig_kind whose result is in @sig, and
 *	  BIT(%SIGIL_CACHE_CONTENT) when @content is known
 * @sig: per kind, its result
 * @content_gen: the inode's generation when @content was read: @content
 *		 rests on the content alone, not on the keyring or the
 *		 policy, so it outlives a change to the global generation
 * @content: the sha256 of the content, for manifests' content= entries
 */
struct sigil_verdict {
	struct rcu_head rcu;
	u64 global_gen;
	u64 inode_gen;
	u64 xattr_gen;
	u8 have;
	struct sigil_sig_result sig[__SIGIL_SIG_MAX];
	u64 content_gen;
	u8 content[SIGIL_CONTENT_DIGEST_SIZE];
};

/* The bit of sigil_verdict.have that says @content is known. */
#define SIGIL_CACHE_CONTENT	__SIGIL_SIG_MAX
static_assert(SIGIL_CACHE_CONTENT < 8);

/**
 * sigil_cache_invalidate_all() - make every cached verdict stale
 *
 * Called after the .sigil keyring or the active policy changed.
 */
void sigil_cache_invalidate_all(void)
{
	atomic64_inc_return(&sigil_cache_gen);
}

static void verdict_free(struct sigil_verdict *v)
{
	if (!v)
		return;
	atomic_long_dec(&sigil_cache_entries);
	kfree_rcu(v, rcu);
}

/**
 * sigil_cache_invalidate() - drop an inode's verdict after a change
 * @inode: the inode whose content or signatures changed
 *
 * Called after the change is visible: a verification that read the old
 * state holds the old generation, and its result will not be used.
 */
void sigil_cache_invalidate(const struct inode *inode)
{
	struct sigil_inode *si = sigil_inode(inode);
	struct sigil_verdict *old;

	/* Fully ordered, as the verdict's readers and fillers expect. */
	atomic64_xchg(&si->gen, new_inode_gen());
	if (!rcu_access_pointer(si->verdict))
		return;
	spin_lock(&si->lock);
	old = rcu_replace_pointer(si->verdict, NULL, lockdep_is_held(&si->lock));
	spin_unlock(&si->lock);
	verdict_free(old);
}

/* The generations that a verdict for @t must carry to be current. */
static void read_gens(const struct sigil_target *t, struct sigil_cache_tag *g)
{
	g->global = atomic64_read_acquire(&sigil_cache_gen);
	g->inode = atomic64_read_acquire(&sigil_inode(t->inode)->gen);
	g->xattr = t->meta == t->inode ? g->inode :
		   atomic64_read_acquire(&sigil_inode(t->meta)->gen);
}

/* The current verdict of @t that has @bit, counted as a hit or a miss. */
static const struct sigil_verdict *lookup(const struct sigil_target *t,
					  unsigned int bit)
{
	struct sigil_inode *si = sigil_inode(t->inode);
	const struct sigil_verdict *v = rcu_dereference(si->verdict);
	struct sigil_cache_tag g;

	if (v && (v->have & BIT(bit))) {
		read_gens(t, &g);
		if (bit == SIGIL_CACHE_CONTENT ? v->content_gen != g.inode :
		    v->global_gen != g.global || v->inode_gen != g.inode ||
		    v->xattr_gen != g.xattr)
			v = NULL;
	} else {
		v = NULL;
	}
	if (!t->quiet) {
		if (v)
			this_cpu_inc(sigil_cache_hits);
		else
			this_cpu_inc(sigil_cache_misses);
	}
	return v;
}

/**
 * sigil_cache_lookup() - the cached result of one signature kind
 * @t: the file; with @t->quiet, the lookup is not counted
 * @kind: enum sigil_sig_kind
 *
 * Context: RCU read side; the result is valid until rcu_read_unlock().
 * Return: the result, or NULL when there is no current one.
 */
const struct sigil_sig_result *sigil_cache_lookup(const struct sigil_target *t,
						  unsigned int kind)
{
	const struct sigil_verdict *v = lookup(t, kind);

	return v ? &v->sig[kind] : NULL;
}

/**
 * sigil_cache_content() - the cached sha256 of a file's content
 * @t: the file; with @t->quiet, the lookup is not counted
 *
 * The digest is current while the inode's generation is: a change to the
 * keyring or the active policy leaves it be.
 *
 * Context: RCU read side; the digest is valid until rcu_read_unlock().
 * Return: the %SIGIL_CONTENT_DIGEST_SIZE bytes, or NULL when there is no
 * current one.
 */
const u8 *sigil_cache_content(const struct sigil_target *t)
{
	const struct sigil_verdict *v = lookup(t, SIGIL_CACHE_CONTENT);

	return v ? v->content : NULL;
}

/**
 * sigil_cache_begin() - start a verification whose result may be kept
 * @t: the file
 * @tag: the generations to tag the result with
 *
 * Read the tags before anything they protect: the acquires order the
 * keyring, xattr, i_writecount and content reads after them (see
 * sigil_read_content()).  With @t->quiet the verification is not counted.
 */
void sigil_cache_begin(const struct sigil_target *t,
		       struct sigil_cache_tag *tag)
{
	read_gens(t, tag);
	if (!t->quiet)
		atomic_long_inc(&sigil_cache_verifications);
}

/* Keep @res for @kind, or the @content digest, in @t's verdict. */
static void store(const struct sigil_target *t, unsigned int bit,
		  const struct sigil_sig_result *res, const u8 *content,
		  const struct sigil_cache_tag *tag)
{
	struct sigil_inode *si = sigil_inode(t->inode);
	struct sigil_verdict *v, *old;
	struct sigil_cache_tag now;

	if (t->quiet ||
	    (t->inode->i_sb->s_iflags & SB_I_IMA_UNVERIFIABLE_SIGNATURE))
		return;
	v = kmem_cache_zalloc(sigil_verdict_cache, GFP_KERNEL);
	if (!v)
		return;
	v->global_gen = tag->global;
	v->inode_gen = tag->inode;
	v->xattr_gen = tag->xattr;

	spin_lock(&si->lock);
	old = rcu_dereference_protected(si->verdict, lockdep_is_held(&si->lock));
	read_gens(t, &now);
	if (memcmp(tag, &now, sizeof(now))) {
		spin_unlock(&si->lock);
		kmem_cache_free(sigil_verdict_cache, v);
		return;
	}
	if (old && old->global_gen == tag->global &&
	    old->inode_gen == tag->inode && old->xattr_gen == tag->xattr) {
		v->have = old->have & ~BIT(SIGIL_CACHE_CONTENT);
		memcpy(v->sig, old->sig, sizeof(v->sig));
	}
	/* The content's digest stays while the content does. */
	if (old && (old->have & BIT(SIGIL_CACHE_CONTENT)) &&
	    old->content_gen == tag->inode) {
		v->have |= BIT(SIGIL_CACHE_CONTENT);
		v->content_gen = old->content_gen;
		memcpy(v->content, old->content, sizeof(v->content));
	}
	v->have |= BIT(bit);
	if (res) {
		v->sig[bit] = *res;
	} else {
		v->content_gen = tag->inode;
		memcpy(v->content, content, sizeof(v->content));
	}
	rcu_assign_pointer(si->verdict, v);
	spin_unlock(&si->lock);

	if (old)
		kfree_rcu(old, rcu);
	else
		atomic_long_inc(&sigil_cache_entries);
}

/**
 * sigil_cache_store() - keep a verification's result
 * @t: the file; with @t->quiet nothing is kept
 * @kind: enum sigil_sig_kind
 * @res: the result
 * @tag: what sigil_cache_begin() read before the verification
 *
 * The result is dropped when something changed since @tag was read, when
 * it rests on fs-verity being off (enabling it bumps no generation), or on
 * a filesystem whose content can change with no hook seeing it (FUSE:
 * SB_I_IMA_UNVERIFIABLE_SIGNATURE, as IMA treats them); or when memory is
 * short, and then it is verified again next time.
 *
 * Context: process context; takes the inode's blob lock.
 */
void sigil_cache_store(const struct sigil_target *t, unsigned int kind,
		       const struct sigil_sig_result *res,
		       const struct sigil_cache_tag *tag)
{
	if (res->state == SIGIL_SIG_NO_VERITY)
		return;
	store(t, kind, res, NULL, tag);
}

/**
 * sigil_cache_store_content() - keep the sha256 of a file's content
 * @t: the file; with @t->quiet nothing is kept
 * @digest: the %SIGIL_CONTENT_DIGEST_SIZE bytes
 * @tag: what sigil_cache_begin() read before the content was read
 *
 * Kept, or dropped, as sigil_cache_store() keeps a verdict.
 *
 * Context: process context; takes the inode's blob lock.
 */
void sigil_cache_store_content(const struct sigil_target *t, const u8 *digest,
			       const struct sigil_cache_tag *tag)
{
	store(t, SIGIL_CACHE_CONTENT, NULL, digest, tag);
}

/**
 * sigil_cache_stats() - what sigil/status reports about the cache
 * @st: the figures
 */
void sigil_cache_stats(struct sigil_cache_stats *st)
{
	int cpu;

	memset(st, 0, sizeof(*st));
	for_each_possible_cpu(cpu) {
		st->hits += READ_ONCE(*per_cpu_ptr(&sigil_cache_hits, cpu));
		st->misses += READ_ONCE(*per_cpu_ptr(&sigil_cache_misses, cpu));
	}
	st->verifications = atomic_long_read(&sigil_cache_verifications);
	st->entries = atomic_long_read(&sigil_cache_entries);
	st->entry_bytes = kmem_cache_size(sigil_verdict_cache);
	st->blob_bytes = atomic_long_read(&sigil_cache_blob_bytes);
	st->bytes = st->entries * st->entry_bytes + st->blob_bytes;
	st->inode_bytes = sizeof(struct sigil_inode);
}

/* ---- fs-verity builtin signatures ---- */

static void blob_put(struct sigil_blob *b)
{
	if (b && refcount_dec_and_test(&b->ref)) {
		atomic_long_sub(b->size, &sigil_cache_blob_bytes);
		kfree(b);
	}
}

/**
 * sigil_fsverity_sig_get() - the fs-verity builtin signature of an inode
 * @si: the inode's blob
 *
 * Return: the signature with a reference, NULL when there is none, or
 * ERR_PTR(-ENOMEM) when it arrived but could not be kept.
 */
struct sigil_blob *sigil_fsverity_sig_get(struct sigil_inode *si)
{
	struct sigil_blob *b;

	spin_lock(&si->lock);
	b = si->fsverity_sig;
	if (!IS_ERR_OR_NULL(b))
		refcount_inc(&b->ref);
	spin_unlock(&si->lock);
	return b;
}

/**
 * sigil_fsverity_sig_put() - drop a reference from sigil_fsverity_sig_get()
 * @b: the signature, or NULL
 */
void sigil_fsverity_sig_put(struct sigil_blob *b)
{
	blob_put(b);
}

/*
 * fs-verity accepted the file's builtin signature against .fs-verity: keep
 * a copy, to verify it against .sigil when a rule asks.  An allocation
 * failure is remembered, so that the file is denied with -ENOMEM rather
 * than taken for unsigned; opening the file still works.
 */
static int hook_inode_setintegrity(const struct inode *inode,
				   enum lsm_integrity_type type,
				   const void *value, size_t size)
{
	struct sigil_inode *si = sigil_inode(inode);
	struct sigil_blob *b, *old;

	if (type != LSM_INT_FSVERITY_BUILTINSIG_VALID || !value || !size)
		return 0;
	b = kmalloc(struct_size(b, data, size), GFP_KERNEL);
	if (b) {
		refcount_set(&b->ref, 1);
		b->size = size;
		memcpy(b->data, value, size);
		atomic_long_add(size, &sigil_cache_blob_bytes);
	} else {
		b = ERR_PTR(-ENOMEM);
	}
	spin_lock(&si->lock);
	old = si->fsverity_sig;
	si->fsverity_sig = b;
	spin_unlock(&si->lock);
	if (!IS_ERR(old))
		blob_put(old);
	sigil_cache_invalidate(inode);
	return 0;
}

/* ---- invalidation ---- */

/*
 * Set once the initramfs is unpacked: see hook_initramfs_populated().  No
 * barrier is needed: the unpacking sets it in program order, and userspace
 * starts only after waiting for the unpacking to finish.
 */
bool sigil_boot_done;

/*
 * Until the initramfs is unpacked, every new inode may be one of its files:
 * mark it.  boot_verified also asks for the initramfs superblock, so marks
 * on other filesystems mean nothing.
 */
static int hook_inode_alloc_security(struct inode *inode)
{
	struct sigil_inode *si = sigil_inode(inode);

	spin_lock_init(&si->lock);
	si->id = new_inode_gen();
	atomic64_set(&si->gen, si->id);
	if (!READ_ONCE(sigil_boot_done))
		__set_bit(SIGIL_INODE_BOOT, &si->flags);
	return 0;
}

/*
 * A file from the initramfs that is written after boot holds what the
 * writer put there: it is no longer boot_verified, ever.  Unpacking itself
 * writes every file, and keeps the mark.
 */
static void boot_file_changed(struct inode *inode)
{
	if (READ_ONCE(sigil_boot_done))
		clear_bit(SIGIL_INODE_BOOT, &sigil_inode(inode)->flags);
}

/* The blob goes away after a grace period: no reader can hold it. */
static void hook_inode_free_security_rcu(void *inode_security)
{
	struct sigil_inode *si = inode_security + sigil_blob_sizes.lbs_inode;
	struct sigil_verdict *v = rcu_dereference_protected(si->verdict, true);

	if (v) {
		atomic_long_dec(&sigil_cache_entries);
		kmem_cache_free(sigil_verdict_cache, v);
	}
	if (!IS_ERR(si->fsverity_sig))
		blob_put(si->fsverity_sig);
}

/* get_write_access() came first: see sigil_read_content(). */
static int hook_file_open(struct file *file)
{
	struct inode *inode = file_inode(file);

	if ((file->f_mode & FMODE_WRITE) && S_ISREG(inode->i_mode)) {
		boot_file_changed(inode);
		sigil_cache_invalidate(inode);
	}
	return 0;
}

/* An executable mapping's file lets writers in again: see deny_writes(). */
static void hook_file_release(struct file *file)
{
	if (test_bit(SIGIL_FILE_DENIES_WRITE, &sigil_file(file)->flags))
		allow_write_access(file);
}

static void hook_inode_post_setattr(struct mnt_idmap *idmap,
				    struct dentry *dentry, int ia_valid)
{
	if (ia_valid & ATTR_SIZE) {
		boot_file_changed(d_inode(dentry));
		sigil_cache_invalidate(d_inode(dentry));
	}
}

static bool is_signature_xattr(const char *name)
{
	return !strcmp(name, XATTR_NAME_IMA) ||
	       !strcmp(name, SIGIL_XATTR_NAME);
}

/*
 * A verdict that read this inode's xattrs names its generation, whichever
 * inode holds the data (see struct sigil_verdict): changing it is enough.
 */
static void signature_changed(struct dentry *dentry, const char *name)
{
	if (is_signature_xattr(name))
		sigil_cache_invalidate(d_inode(dentry));
}

static void hook_inode_post_setxattr(struct dentry *dentry, const char *name,
				     const void *value, size_t size, int flags)
{
	boot_file_changed(d_inode(dentry));
	signature_changed(dentry, name);
}

static void hook_inode_post_removexattr(struct dentry *dentry,
					const char *name)
{
	boot_file_changed(d_inode(dentry));
	signature_changed(dentry, name);
}

static struct security_hook_list sigil_cache_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(inode_alloc_security, hook_inode_alloc_security),
	LSM_HOOK_INIT(inode_free_security_rcu, hook_inode_free_security_rcu),
	LSM_HOOK_INIT(inode_setintegrity, hook_inode_setintegrity),
	LSM_HOOK_INIT(file_open, hook_file_open),
	LSM_HOOK_INIT(file_release, hook_file_release),
	LSM_HOOK_INIT(inode_post_setattr, hook_inode_post_setattr),
	LSM_HOOK_INIT(inode_post_setxattr, hook_inode_post_setxattr),
	LSM_HOOK_INIT(inode_post_removexattr, hook_inode_post_removexattr),
};

/**
 * sigil_add_cache_hooks() - register the hooks that keep the cache true
 */
void __init sigil_add_cache_hooks(void)
{
	sigil_verdict_cache = KMEM_CACHE(sigil_verdict, SLAB_PANIC);
	security_add_hooks(sigil_cache_hooks, ARRAY_SIZE(sigil_cache_hooks),
			   &sigil_lsmid);
}
