// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loaded manifests: load, update and delete, the index over all of them,
 * and the manifest= fact.
 *
 * Every loaded manifest is in one index (struct sigil_manifest_set, built
 * by the shared code), which the exec path reads under RCU.  A change
 * builds a whole new index beside the old one and switches the pointer:
 * an event sees the manifests as they were before the change or after it,
 * never a mix, and the moment an update is in, the entries it dropped
 * match nothing.  Changes serialize on sigil_manifest_mutex, and take
 * sigil_policy_mutex only to publish; the hot path takes neither.
 *
 * A manifest's name keeps the highest version loaded since boot, even
 * after the manifest is deleted: loading an older or equal version again
 * is refused (-ESTALE), so a deleted manifest cannot come back rolled
 * back.  A signed policy's manifest=NAME@MIN carries the floor across
 * reboots.
 */

#include "sigil.h"
#include "manifests.h"
#include "fs.h"
#include "cache.h"
#include "signature.h"
#include "upload.h"
#include "audit.h"

#include <linux/fs_struct.h>
#include <linux/init_task.h>
#include <linux/mount.h>
#include <linux/namei.h>
#include <linux/percpu.h>
#include <linux/slab.h>

const char *const sigil_manifest_state_names[__SIGIL_MF_MAX] = {
	[SIGIL_MF_NOT_LOOKED]		= "not_looked",
	[SIGIL_MF_MATCH]		= "match",
	[SIGIL_MF_NOT_LISTED]		= "not_listed",
	[SIGIL_MF_DIGEST_DIFFERS]	= "digest_differs",
	[SIGIL_MF_ELSEWHERE]		= "elsewhere",
	[SIGIL_MF_SUPERSEDED]		= "superseded",
	[SIGIL_MF_NO_PATH]		= "no_path",
	[SIGIL_MF_ERROR]		= "error",
};

/* An update keeps what the last few versions dropped, to explain misses. */
#define SIGIL_MANIFEST_SUPERSEDED_MAX	8

/**
 * struct sigil_manifest_indexes - what the exec path reads, switched as one
 * @live: the index of every loaded manifest's entries
 * @superseded: the index of what their updates dropped, which only
 *		explains a miss ("listed only in a superseded version")
 * @retired: dropped entries that no index holds once these indexes are
 *	     replaced, freed with them
 * @nretired: number of @retired
 */
struct sigil_manifest_indexes {
	struct sigil_manifest_set *live;
	struct sigil_manifest_set *superseded;
	struct sigil_manifest **retired;
	u32 nretired;
};

/* NULL before the first load. */
static struct sigil_manifest_indexes __rcu *sigil_manifest_indexes;

/*
 * Serializes changes to the loaded manifests and their securityfs
 * directories.  Taken before sigil_policy_mutex, which guards the list
 * for readers (status, securityfs handlers) and publishes.
 */
static DEFINE_MUTEX(sigil_manifest_mutex);

/* Protected by sigil_policy_mutex; changed under both mutexes. */
static LIST_HEAD(sigil_manifest_list);
static LIST_HEAD(sigil_manifest_marks);
static unsigned long sigil_manifest_failures;
static char sigil_manifest_last_error[SIGIL_ERR_MSG_MAX + 64];

/**
 * struct sigil_manifest_mark - the highest version of a name since boot
 * @node: entry in sigil_manifest_marks
 * @version: as sigil_manifest_version() gives it
 * @name: the manifest's name
 */
struct sigil_manifest_mark {
	struct list_head node;
	u64 version;
	char name[];
};

/* The root of the initial mount namespace, which paths are written from. */
static struct path sigil_global_root __ro_after_init;

/* Where a path is written on the exec path, which must not allocate. */
struct sigil_path_buf {
	char b[PATH_MAX];
};

static DEFINE_PER_CPU(struct sigil_path_buf, sigil_path_bufs);

/* ---- the manifest= fact ---- */

/**
 * sigil_file_global_path() - the path a file is used through, from the
 *			      global root
 * @file: the file; for an overlayfs backing file, the overlay path counts
 * @buf: where to write it
 * @size: size of @buf
 * @path: set to the start of the path, NUL-terminated, within @buf
 *
 * The path is written from the root of the initial mount namespace, so
 * neither chroot nor a mount namespace can change it; a bind mount of one
 * file over another counts as the mount point's path.  A file on a mount
 * that is not reachable from there (another namespace's own mounts, a
 * detached mount, memfd and other internal mounts), or one that was
 * unlinked, has none.
 *
 * Context: any; takes no lock that sleeps and allocates nothing.
 * Return: the length of the path, -ENOENT when there is none, or
 * -ENAMETOOLONG when it does not fit.
 */
int sigil_file_global_path(struct file *file, char *buf, size_t size,
			   const char **path)
{
	const struct path *p = file_user_path(file);
	char *s;

	if (!sigil_global_root.mnt || d_unlinked(p->dentry))
		return -ENOENT;
	/*
	 * One walk up under the dcache and mount seqlocks, without taking
	 * mount_lock: NULL when the walk does not end at the global root.
	 */
	s = __d_path(p, &sigil_global_root, buf, size);
	if (!s)
		return -ENOENT;
	if (IS_ERR(s))
		return PTR_ERR(s);
	*path = s;
	return buf + size - 1 - s;
}

/**
 * struct fetch - one manifest= fact being gathered
 * @facts: where the matching manifests go
 * @t: the file
 * @mf: its content digest, when known
 * @rep: what it came to
 * @verity: the file's fs-verity digest, once @have_verity
 * @have_verity: @verity was read
 * @err: a digest that could not be had, or -EAGAIN for the content's
 * @first_err: the first digest of an entry of the path that could not be
 *	       had; the fact fails with it when no entry matches
 */
struct fetch {
	struct sigil_facts *facts;
	const struct sigil_target *t;
	struct sigil_manifest_file *mf;
	struct sigil_manifest_report *rep;
	struct sigil_digest verity;
	bool have_verity;
	int err;
	int first_err;
};

/*
 * The file's digest of an entry's @kind: NULL when it has none (no
 * fs-verity, or fs-verity with another hash), or an errno in @f->err.
 */
static const u8 *file_digest(struct fetch *f, unsigned int kind)
{
	int rc;

	if (kind == SIGIL_MANIFEST_CONTENT) {
		if (f->mf->have_content)
			return f->mf->content;
		if (f->mf->content_error) {
			f->err = f->mf->content_error;
			return NULL;
		}
		f->mf->need_content = true;
		f->err = -EAGAIN;
		return NULL;
	}
	if (!f->have_verity) {
		rc = sigil_fsverity_digest(f->t->inode, &f->verity);
		if (rc) {
			f->err = rc;
			return NULL;
		}
		f->have_verity = true;
	}
	if (f->verity.algo != SIGIL_HASH_SHA256)
		return NULL;
	return f->verity.bytes;
}

/* An entry listing the file's path: does the file have its digest? */
static int visit_path(void *ctx, const struct sigil_manifest *m,
		      const struct sigil_manifest_entry *e)
{
	struct fetch *f = ctx;
	struct sigil_facts *facts = f->facts;
	const u8 *have = file_digest(f, e->kind);

	if (f->err == -EAGAIN)
		return f->err;
	/*
	 * A digest that cannot be had (a content= entry under mprotect(),
	 * a file open for writing) fails the fact only if no other entry
	 * of the path matches: see sigil_manifest_fetch().
	 */
	if (f->err) {
		if (!f->first_err)
			f->first_err = f->err;
		f->err = 0;
		return 0;
	}
	if (!have || memcmp(have, e->digest, SIGIL_MANIFEST_DIGEST_SIZE)) {
		/* Listed, with another digest: the first one explains. */
		if (!f->rep->e) {
			f->rep->m = m;
			f->rep->e = e;
		}
		return 0;
	}
	if (facts->nmanifests < SIGIL_MANIFEST_MATCHES)
		facts->manifests[facts->nmanifests++] = m;
	if (f->rep->state != SIGIL_MF_MATCH) {
		f->rep->state = SIGIL_MF_MATCH;
		f->rep->m = m;
		f->rep->e = e;
	}
	return 0;
}

/* An entry with one of the file's digests, under another path. */
static int visit_digest(void *ctx, const struct sigil_manifest *m,
			const struct sigil_manifest_entry *e)
{
	struct fetch *f = ctx;
	const u8 *have;

	if (e->kind == SIGIL_MANIFEST_CONTENT && !f->mf->have_content)
		return 0;
	have = e->kind == SIGIL_MANIFEST_CONTENT ? f->mf->content :
	       f->have_verity && f->verity.algo == SIGIL_HASH_SHA256 ?
	       f->verity.bytes : NULL;
	if (!have || memcmp(have, e->digest, SIGIL_MANIFEST_DIGEST_SIZE))
		return 0;
	if (f->rep->state == SIGIL_MF_DIGEST_DIFFERS) {
		f->rep->other_m = m;
		f->rep->other_e = e;
	} else {
		f->rep->state = SIGIL_MF_ELSEWHERE;
		f->rep->m = m;
		f->rep->e = e;
	}
	return 1;
}

/* A dropped entry of the file's path: did it have the file's digest? */
static int visit_superseded(void *ctx, const struct sigil_manifest *m,
			    const struct sigil_manifest_entry *e)
{
	struct fetch *f = ctx;
	const u8 *have = e->kind == SIGIL_MANIFEST_CONTENT ?
			 (f->mf->have_content ? f->mf->content : NULL) :
			 (f->have_verity && f->verity.algo == SIGIL_HASH_SHA256 ?
			  f->verity.bytes : NULL);

	if (!have || memcmp(have, e->digest, SIGIL_MANIFEST_DIGEST_SIZE))
		return 0;
	f->rep->state = SIGIL_MF_SUPERSEDED;
	f->rep->m = m;
	f->rep->e = e;
	return 1;
}

/*
 * Why no manifest lists the file under its path: an update dropped this
 * path with this digest, the path is listed with another digest, or one
 * of the file's digests that is already known is listed elsewhere.  Only
 * events that match no entry pay for these lookups.
 */
static void explain_miss(struct fetch *f, const struct sigil_manifest_set *s,
			 const struct sigil_manifest_set *old,
			 const char *path, size_t len)
{
	const u8 *cached;
	u32 i;

	if (!f->have_verity &&
	    !sigil_fsverity_digest(f->t->inode, &f->verity))
		f->have_verity = true;
	if (!f->mf->have_content && !f->mf->content_error) {
		cached = sigil_cache_content(f->t);
		if (cached) {
			memcpy(f->mf->content, cached, sizeof(f->mf->content));
			f->mf->have_content = true;
		}
	}
	if (old->nentries &&
	    sigil_manifest_by_path(old, path, len, visit_superseded, f))
		return;
	/* A swap is both: the path's entry, and where the bytes belong. */
	f->rep->state = f->rep->e ? SIGIL_MF_DIGEST_DIFFERS : SIGIL_MF_NOT_LISTED;
	if (f->have_verity && f->verity.algo == SIGIL_HASH_SHA256 &&
	    sigil_manifest_by_digest(s, f->verity.bytes, visit_digest, f))
		return;
	if (!f->mf->have_content && !f->mf->content_error &&
	    f->rep->state == SIGIL_MF_NOT_LISTED) {
		if (f->t->quiet) {
			/*
			 * An explanation may hash the content to find it
			 * under another path; an event never does only to
			 * say why.
			 */
			for (i = 0; i < s->nmanifests; i++) {
				if (s->manifests[i]->kinds &
				    BIT(SIGIL_MANIFEST_CONTENT)) {
					f->mf->need_content = true;
					f->err = -EAGAIN;
					return;
				}
			}
		}
	}
	if (f->mf->have_content)
		sigil_manifest_by_digest(s, f->mf->content, visit_digest, f);
}

/**
 * sigil_manifest_fetch() - the loaded manifests that list a file under
 *			    the path it is used through
 * @facts: receives the manifests (sigil_facts.manifests)
 * @t: the file; a target without a file has no entry
 * @mf: the sha256 of its content when known; @mf->need_content is set
 *	when a content= entry needs it
 * @rep: what the lookup came to, for the log and explanations
 *
 * An entry matches when its path is the file's path from the global root
 * (sigil_file_global_path()) and the file has its digest: the fs-verity
 * digest for fsverity=, the content's sha256 for content=.  The path is
 * written into a per-CPU buffer, with preemption off: nothing here sleeps
 * or allocates.
 *
 * Context: RCU read side; the manifests and @rep's pointers are valid
 * until rcu_read_unlock().
 * Return: 0 when the fact is known; -EAGAIN when the content's sha256 is
 * needed first (@mf->need_content); another -errno when a digest could
 * not be had (the event is denied).
 */
int sigil_manifest_fetch(struct sigil_facts *facts,
			 const struct sigil_target *t,
			 struct sigil_manifest_file *mf,
			 struct sigil_manifest_report *rep)
{
	const struct sigil_manifest_indexes *ix;
	const struct sigil_manifest_set *s;
	struct fetch f = {
		.facts = facts, .t = t, .mf = mf, .rep = rep,
	};
	struct sigil_path_buf *buf;
	const char *path;
	int len;

	memset(rep, 0, sizeof(*rep));
	facts->nmanifests = 0;
	mf->need_content = false;
	ix = rcu_dereference(sigil_manifest_indexes);
	if (!t->file) {
		rep->state = SIGIL_MF_NO_PATH;
		return 0;
	}
	if (!ix || (!ix->live->nentries && !ix->superseded->nentries)) {
		rep->state = SIGIL_MF_NOT_LISTED;
		return 0;
	}
	s = ix->live;

	buf = get_cpu_ptr(&sigil_path_bufs);
	len = sigil_file_global_path(t->file, buf->b, sizeof(buf->b), &path);
	if (len < 0) {
		rep->state = SIGIL_MF_NO_PATH;
	} else {
		sigil_manifest_by_path(s, path, len, visit_path, &f);
		if (!f.err && rep->state != SIGIL_MF_MATCH)
			f.err = f.first_err;
		if (!f.err && rep->state != SIGIL_MF_MATCH)
			explain_miss(&f, s, ix->superseded, path, len);
	}
	put_cpu_ptr(&sigil_path_bufs);

	if (f.err) {
		facts->nmanifests = 0;
		memset(rep, 0, sizeof(*rep));
		rep->state = f.err == -EAGAIN ? SIGIL_MF_NOT_LOOKED : SIGIL_MF_ERROR;
		return f.err;
	}
	return 0;
}

/* ---- lifecycle ---- */

/*
 * Record why operation @op on manifest @m (NULL when not known) failed,
 * for status, the kernel log and audit.  Caller holds sigil_policy_mutex.
 */
static __printf(4, 5) int report(enum sigil_audit_op op,
				 const struct sigil_manifest *m, int err,
				 const char *fmt, ...)
{
	va_list ap;

	lockdep_assert_held(&sigil_policy_mutex);
	va_start(ap, fmt);
	vsnprintf(sigil_manifest_last_error, sizeof(sigil_manifest_last_error),
		  fmt, ap);
	va_end(ap);
	sigil_manifest_failures++;
	pr_warn_ratelimited("%s (%d)\n", sigil_manifest_last_error, err);
	sigil_audit_manifest(op, m ? m->name : NULL, m ? m->version : NULL,
			     NULL, err, sigil_manifest_last_error);
	return err;
}

/* report() for a caller that does not hold sigil_policy_mutex. */
#define report_unlocked(op, m, err, fmt, ...) ({		\
	int __rc;						\
	mutex_lock(&sigil_policy_mutex);			\
	__rc = report(op, m, err, fmt, ##__VA_ARGS__);		\
	mutex_unlock(&sigil_policy_mutex);			\
	__rc;							\
})

static void free_loaded(struct sigil_manifest_loaded *ml)
{
	u32 i;

	for (i = 0; i < ml->nsuperseded; i++)
		sigil_manifest_free(ml->superseded[i]);
	kvfree(ml->superseded);
	sigil_manifest_free(ml->m);
	kfree(ml);
}

static void release_loaded(struct kref *ref)
{
	free_loaded(container_of(ref, struct sigil_manifest_loaded, ref));
}

/**
 * sigil_manifest_put() - drop a reference to a loaded manifest
 * @ml: the manifest
 */
void sigil_manifest_put(struct sigil_manifest_loaded *ml)
{
	kref_put(&ml->ref, release_loaded);
}

static struct sigil_manifest_loaded *find_loaded(const char *name)
{
	struct sigil_manifest_loaded *ml;

	list_for_each_entry(ml, &sigil_manifest_list, node)
		if (!strcmp(ml->m->name, name))
			return ml;
	return NULL;
}

static struct sigil_manifest_mark *find_mark(const char *name)
{
	struct sigil_manifest_mark *mk;

	list_for_each_entry(mk, &sigil_manifest_marks, node)
		if (!strcmp(mk->name, name))
			return mk;
	return NULL;
}

static void version_str(char *buf, size_t size, u64 v)
{
	scnprintf(buf, size, "%llu.%llu.%llu", v >> 32, (v >> 16) & 0xffff,
		  v & 0xffff);
}

static void free_indexes(struct sigil_manifest_indexes *ix)
{
	u32 i;

	if (!ix)
		return;
	sigil_manifest_set_free(ix->live);
	sigil_manifest_set_free(ix->superseded);
	for (i = 0; i < ix->nretired; i++)
		sigil_manifest_free(ix->retired[i]);
	kvfree(ix->retired);
	kfree(ix);
}

/*
 * Build the indexes of the loaded manifests, with @drop left out and @add
 * in its place (or at the end when @drop is NULL).  Caller holds
 * sigil_manifest_mutex, under which the list does not change.
 */
static int build_index(struct sigil_manifest_loaded *drop,
		       struct sigil_manifest_loaded *add,
		       struct sigil_manifest_indexes **out)
{
	struct sigil_manifest_loaded *ml, *use;
	struct sigil_manifest_indexes *ix;
	struct sigil_manifest **ms, **old;
	u32 n = 0, nold = 0, i;
	int rc;

	lockdep_assert_held(&sigil_manifest_mutex);
	*out = NULL;
	list_for_each_entry(ml, &sigil_manifest_list, node) {
		n++;
		nold += ml->nsuperseded;
	}
	if (add)
		nold += add->nsuperseded;
	ix = kzalloc(sizeof(*ix), GFP_KERNEL);
	ms = kvcalloc(n + 1, sizeof(*ms), GFP_KERNEL);
	old = kvcalloc(nold + 1, sizeof(*old), GFP_KERNEL);
	if (!ix || !ms || !old) {
		rc = -ENOMEM;
		goto out;
	}
	n = 0;
	nold = 0;
	list_for_each_entry(ml, &sigil_manifest_list, node) {
		use = ml != drop ? ml : add;
		if (!use)
			continue;
		ms[n++] = use->m;
		for (i = 0; i < use->nsuperseded; i++)
			old[nold++] = use->superseded[i];
	}
	if (add && !drop) {
		ms[n++] = add->m;
		for (i = 0; i < add->nsuperseded; i++)
			old[nold++] = add->superseded[i];
	}
	rc = sigil_manifest_set_build(ms, n, &ix->live);
	if (!rc)
		rc = sigil_manifest_set_build(old, nold, &ix->superseded);
	if (!rc) {
		*out = ix;
		ix = NULL;
	}
out:
	free_indexes(ix);
	kvfree(ms);
	kvfree(old);
	return rc;
}

/*
 * Switch to @ix in one pointer update.  Returns the indexes replaced,
 * which the caller frees after a grace period.
 */
static struct sigil_manifest_indexes *
publish(struct sigil_manifest_indexes *ix)
{
	lockdep_assert_held(&sigil_policy_mutex);
	return rcu_replace_pointer(sigil_manifest_indexes, ix,
				   lockdep_is_held(&sigil_policy_mutex));
}

/*
 * Give @ml, the update of @old, @dropped (what the update drops; freed now
 * when it is empty) in front of @old's superseded entries, the newest
 * %SIGIL_MANIFEST_SUPERSEDED_MAX in all.  The older ones go to @retired,
 * to be freed once no index holds them.  On failure nothing changed.
 */
static int take_superseded(struct sigil_manifest_loaded *ml,
			   struct sigil_manifest_loaded *old,
			   struct sigil_manifest *dropped,
			   struct sigil_manifest ***retired, u32 *nretired)
{
	u32 keep = old->nsuperseded, first = dropped->nentries ? 1 : 0;
	struct sigil_manifest **all, **gone = NULL;

	if (keep + first > SIGIL_MANIFEST_SUPERSEDED_MAX)
		keep = SIGIL_MANIFEST_SUPERSEDED_MAX - first;
	all = kvcalloc(keep + first + 1, sizeof(*all), GFP_KERNEL);
	if (old->nsuperseded > keep)
		gone = kvcalloc(old->nsuperseded - keep, sizeof(*gone),
				GFP_KERNEL);
	if (!all || (old->nsuperseded > keep && !gone)) {
		kvfree(all);
		kvfree(gone);
		return -ENOMEM;
	}
	if (first)
		all[0] = dropped;
	else
		sigil_manifest_free(dropped);
	memcpy(all + first, old->superseded, keep * sizeof(*all));
	if (gone)
		memcpy(gone, old->superseded + keep,
		       (old->nsuperseded - keep) * sizeof(*gone));
	ml->superseded = all;
	ml->nsuperseded = keep + first;
	*retired = gone;
	*nretired = old->nsuperseded - keep;
	return 0;
}

/* @old gave its superseded entries to its update: it frees none of them. */
static void give_superseded(struct sigil_manifest_loaded *old)
{
	kvfree(old->superseded);
	old->superseded = NULL;
	old->nsuperseded = 0;
}

/* Raise @m's name's mark to its version; @spare is used when it has none. */
static void set_mark(const struct sigil_manifest *m,
		     struct sigil_manifest_mark **spare)
{
	struct sigil_manifest_mark *mk = find_mark(m->name);
	u64 v = sigil_manifest_version(m);

	if (!mk) {
		mk = *spare;
		*spare = NULL;
		strscpy(mk->name, m->name, strlen(m->name) + 1);
		list_add_tail(&mk->node, &sigil_manifest_marks);
	}
	if (v > mk->version)
		mk->version = v;
}

static void log_loaded(const char *what, const struct sigil_manifest_loaded *ml,
		       enum sigil_audit_op op)
{
	const struct sigil_manifest *m = ml->m;

	sigil_audit_manifest(op, m->name, m->version, ml->signer, 0, NULL);
	pr_info("manifest '%s' version %u.%u.%u %s: %u entries, %zu bytes, signer %s\n",
		m->name, m->version[0], m->version[1], m->version[2], what,
		m->nentries, m->mem_bytes, ml->signer);
}

/*
 * Update @old to @ml, which drops @dropped of @old's entries (consumed).
 * Caller holds sigil_manifest_mutex.
 */
static int replace(struct sigil_manifest_loaded *old,
		   struct sigil_manifest_loaded *ml,
		   struct sigil_manifest *dropped,
		   struct sigil_manifest_mark **spare,
		   struct sigil_manifest_indexes **stale)
{
	const struct sigil_manifest *o = old->m, *m = ml->m;
	struct sigil_manifest **retired = NULL;
	struct sigil_manifest_indexes *x;
	u32 nretired = 0;
	bool took;
	int rc;

	mutex_lock(&sigil_policy_mutex);
	if (list_empty(&old->node))
		rc = report(SIGIL_AUDIT_UPDATE, m, -ENOENT,
			    "manifest update rejected: '%s' was deleted meanwhile",
			    o->name);
	else if (strcmp(o->name, m->name))
		rc = report(SIGIL_AUDIT_UPDATE, m, -EINVAL,
			    "manifest update rejected: manifests/%s/update received manifest '%s'; an update keeps the name",
			    o->name, m->name);
	else if (sigil_manifest_version(m) <= sigil_manifest_version(o))
		rc = report(SIGIL_AUDIT_UPDATE, m, -ESTALE,
			    "manifest update rejected: '%s' %u.%u.%u is not newer than the loaded %u.%u.%u",
			    m->name, m->version[0], m->version[1],
			    m->version[2], o->version[0], o->version[1],
			    o->version[2]);
	else
		rc = 0;
	mutex_unlock(&sigil_policy_mutex);
	if (rc) {
		sigil_manifest_free(dropped);
		return rc;
	}

	took = dropped->nentries;
	rc = take_superseded(ml, old, dropped, &retired, &nretired);
	if (rc) {
		sigil_manifest_free(dropped);
	} else {
		rc = build_index(old, ml, &x);
		if (rc) {
			/* Only what this update dropped is @ml's. */
			if (took)
				sigil_manifest_free(dropped);
			kvfree(ml->superseded);
			ml->superseded = NULL;
			ml->nsuperseded = 0;
			kvfree(retired);
		}
	}
	if (rc) {
		return report_unlocked(SIGIL_AUDIT_UPDATE, m, rc,
				       "manifest update rejected: out of memory indexing '%s'",
				       m->name);
	}
	mutex_lock(&sigil_policy_mutex);
	list_replace_init(&old->node, &ml->node);
	ml->dir = old->dir;
	old->dir = NULL;
	give_superseded(old);
	sigil_manifestfs_publish(ml, ml);
	*stale = publish(x);
	if (*stale) {
		(*stale)->retired = retired;
		(*stale)->nretired = nretired;
	}
	set_mark(m, spare);
	log_loaded("updated", ml, SIGIL_AUDIT_UPDATE);
	mutex_unlock(&sigil_policy_mutex);
	return 0;
}

/* Add @ml as a new manifest.  Caller holds sigil_manifest_mutex. */
static int add(struct sigil_manifest_loaded *ml,
	       struct sigil_manifest_mark **spare,
	       struct sigil_manifest_indexes **stale)
{
	const struct sigil_manifest *m = ml->m;
	const struct sigil_manifest_mark *mk;
	struct sigil_manifest_indexes *x;
	char v[24];
	int rc = 0;

	mutex_lock(&sigil_policy_mutex);
	mk = find_mark(m->name);
	if (!strcmp(m->name, "new")) {
		rc = report(SIGIL_AUDIT_LOAD, m, -EINVAL,
			    "manifest rejected: the name 'new' is taken by manifests/new");
	} else if (find_loaded(m->name)) {
		rc = report(SIGIL_AUDIT_LOAD, m, -EEXIST,
			    "manifest rejected: a manifest named '%s' is loaded; write to manifests/%s/update",
			    m->name, m->name);
	} else if (mk && mk->version >= sigil_manifest_version(m)) {
		version_str(v, sizeof(v), mk->version);
		rc = report(SIGIL_AUDIT_LOAD, m, -ESTALE,
			    "manifest rejected: '%s' %u.%u.%u is not newer than %s, loaded before",
			    m->name, m->version[0], m->version[1],
			    m->version[2], v);
	}
	mutex_unlock(&sigil_policy_mutex);
	if (rc)
		return rc;

	rc = build_index(NULL, ml, &x);
	if (rc)
		return report_unlocked(SIGIL_AUDIT_LOAD, m, rc,
				       "manifest rejected: out of memory indexing '%s'",
				       m->name);
	rc = sigil_manifestfs_add(ml);
	if (rc) {
		free_indexes(x);
		return report_unlocked(SIGIL_AUDIT_LOAD, m, rc,
				       "manifest rejected: cannot create manifests/%s in securityfs",
				       m->name);
	}
	mutex_lock(&sigil_policy_mutex);
	list_add_tail(&ml->node, &sigil_manifest_list);
	sigil_manifestfs_publish(ml, ml);
	*stale = publish(x);
	set_mark(m, spare);
	log_loaded("loaded", ml, SIGIL_AUDIT_LOAD);
	mutex_unlock(&sigil_policy_mutex);
	return 0;
}

/* Parse a verified text, which this consumes; on error, say where. */
static noinline int parse(enum sigil_audit_op op,
			  struct sigil_policy_text *pt,
			  struct sigil_manifest **m)
{
	char where[SIGIL_ERR_MSG_MAX + 32];
	struct sigil_parse_error perr;
	int rc;

	rc = sigil_manifest_parse(pt->text, pt->len, m, &perr);
	kvfree(pt->text);
	pt->text = NULL;
	if (rc) {
		sigil_parse_error_format(&perr, where, sizeof(where));
		return report_unlocked(op, NULL, rc, "manifest rejected: %s",
				       where);
	}
	return 0;
}

/**
 * sigil_manifest_submit() - load a manifest written to manifests/new or
 *			     manifests/<name>/update
 * @buf: the complete write: a signed message, or plain text where
 *	 CONFIG_SIGIL_UNSIGNED_POLICY allows it
 * @len: its length
 * @update_of: for an update, the manifest to replace; NULL for a new one
 *
 * The signature is verified as a policy's is, then the text is parsed.  A
 * new manifest is in force as soon as this returns: manifest= rules see
 * its entries.  An update replaces @update_of's entries in one switch.
 * On failure nothing changes and status says why.
 *
 * Return:
 * * %0		- loaded
 * * %-EFBIG	- larger than %SIGIL_MANIFEST_MAX_BYTES
 * * %-EEXIST	- a manifest of that name is loaded (new)
 * * %-ESTALE	- not newer than the loaded one (update), or than the
 *		  highest version of that name since boot (new)
 * * %-EINVAL	- an update with another name
 * * %-ENOENT	- @update_of was deleted meanwhile
 * * %-ENOMEM	- out of memory
 * * %-errno	- from the signature or the parser: status has the reason
 */
int sigil_manifest_submit(const u8 *buf, size_t len,
			  struct sigil_manifest_loaded *update_of)
{
	enum sigil_audit_op op = update_of ? SIGIL_AUDIT_UPDATE : SIGIL_AUDIT_LOAD;
	struct sigil_manifest *dropped = NULL;
	struct sigil_manifest_indexes *stale = NULL;
	struct sigil_manifest_mark *spare;
	struct sigil_manifest_loaded *ml;
	struct sigil_policy_text pt;
	struct sigil_manifest *m;
	int rc;

	if (len > SIGIL_MANIFEST_MAX_BYTES)
		return report_unlocked(op, NULL, -EFBIG,
				       "manifest rejected: %zu bytes; the limit is %u",
				       len, SIGIL_MANIFEST_MAX_BYTES);
	rc = sigil_policy_open(buf, len, "manifest", &pt);
	if (rc) {
		kvfree(pt.text);
		if (pt.why[0])
			return report_unlocked(op, NULL, rc,
					       "manifest rejected: %s", pt.why);
		return report_unlocked(op, NULL, rc,
				       "manifest rejected: error %d while verifying it",
				       rc);
	}
	rc = parse(op, &pt, &m);
	if (rc)
		return rc;
	/* An update's old entries do not change: compare outside the locks. */
	if (update_of && sigil_manifest_dropped(update_of->m, m, &dropped)) {
		rc = report_unlocked(op, m, -ENOMEM,
				     "manifest update rejected: out of memory comparing '%s' with the loaded version",
				     m->name);
		sigil_manifest_free(m);
		return rc;
	}

	ml = kzalloc(sizeof(*ml), GFP_KERNEL);
	spare = kzalloc(struct_size(spare, name, strlen(m->name) + 1),
			GFP_KERNEL);
	if (!ml || !spare) {
		kfree(ml);
		kfree(spare);
		sigil_manifest_free(dropped);
		rc = report_unlocked(op, m, -ENOMEM,
				     "manifest rejected: out of memory loading '%s'",
				     m->name);
		sigil_manifest_free(m);
		return rc;
	}
	kref_init(&ml->ref);
	INIT_LIST_HEAD(&ml->node);
	ml->m = m;
	strscpy(ml->signer, pt.signer, sizeof(ml->signer));

	rc = mutex_lock_killable(&sigil_manifest_mutex);
	if (rc) {
		sigil_manifest_free(dropped);
		report_unlocked(op, m, rc,
				"manifest rejected: killed while waiting for another change");
		goto out_free;
	}
	if (update_of)
		rc = replace(update_of, ml, dropped, &spare, &stale);
	else
		rc = add(ml, &spare, &stale);
	mutex_unlock(&sigil_manifest_mutex);
	if (rc)
		goto out_free;
	kfree(spare);
	/* An event may still read the old indexes, and the replaced entries. */
	synchronize_rcu();
	free_indexes(stale);
	if (update_of)
		sigil_manifest_put(update_of);
	return 0;

out_free:
	kfree(spare);
	free_loaded(ml);
	return rc;
}

/**
 * sigil_manifest_discarded() - record a signed manifest never finished
 * @got: the bytes written
 * @need: the bytes its envelope announced, at least
 */
void sigil_manifest_discarded(size_t got, size_t need)
{
	report_unlocked(SIGIL_AUDIT_LOAD, NULL, -EBADMSG,
			"manifest discarded: the file was closed after %zu bytes of a signed manifest of at least %zu",
			got, need);
}

/**
 * sigil_manifest_refused() - record why a write to a manifest file did
 *			      nothing
 * @err: the negative errno the write returns
 * @msg: why
 *
 * Return: @err.
 */
int sigil_manifest_refused(int err, const char *msg)
{
	return report_unlocked(SIGIL_AUDIT_LOAD, NULL, err,
			       "manifest write refused: %s", msg);
}

static int manifest_submit(const u8 *buf, size_t len, void *target)
{
	return sigil_manifest_submit(buf, len, target);
}

/* Writes to manifests/new and manifests/<name>/update. */
const struct sigil_upload_ops sigil_manifest_upload = {
	.submit = manifest_submit,
	.discarded = sigil_manifest_discarded,
	.refused = sigil_manifest_refused,
	.max = SIGIL_MANIFEST_MAX_BYTES,
};

/*
 * Does deleting manifest @name change what @pol decides other than by
 * taking permission away?  Return how, or NULL.  It does when a rule
 * tests manifest=@name, and when a DENY rule tests manifest=ANY (its name
 * is empty): a deny list of every manifest's files would lose that
 * manifest's.  ALLOW rules with manifest=ANY only lose the deleted
 * manifest's files, as a package removal or a revocation means them to.
 */
static const char *policy_names(const struct sigil_policy *pol,
				const char *name)
{
	size_t len = strlen(name);
	u32 r, i;

	for (r = 0; r < pol->nrules; r++) {
		const struct sigil_rule *rule = &pol->rules[r];

		for (i = rule->first_prop; i < rule->first_prop + rule->nprops; i++) {
			const struct sigil_prop *p = &pol->props[i];

			if (p->type != SIGIL_PROP_MANIFEST)
				continue;
			if (!p->size && rule->action == SIGIL_ACTION_DENY)
				return "denies by manifest=ANY, which covers manifest";
			if (p->size == len &&
			    !memcmp(pol->values + p->off + sizeof(u64), name, len))
				return "names manifest";
		}
	}
	return NULL;
}

/**
 * sigil_manifest_delete() - unload a manifest
 * @ml: the manifest; the caller holds a reference, which it still drops
 *
 * Return:
 * * %0		- gone: its entries match nothing any more
 * * %-EBUSY	- the active policy names it; nothing changed
 * * %-ENOENT	- deleted meanwhile
 * * %-EINTR	- killed while waiting for another change
 * * %-ENOMEM	- out of memory
 */
int sigil_manifest_delete(struct sigil_manifest_loaded *ml)
{
	struct sigil_manifest_indexes *x = NULL;
	const struct sigil_loaded *lp;
	const char *uses = NULL;
	int rc;

	rc = mutex_lock_killable(&sigil_manifest_mutex);
	if (rc)
		return report_unlocked(SIGIL_AUDIT_DELETE, ml->m, rc,
				       "manifest delete refused: killed while waiting for another change");
	if (!list_empty(&ml->node))
		rc = build_index(ml, NULL, &x);
	mutex_lock(&sigil_policy_mutex);
	lp = rcu_dereference_protected(sigil_active,
				       lockdep_is_held(&sigil_policy_mutex));
	if (lp)
		uses = policy_names(lp->policy, ml->m->name);
	if (list_empty(&ml->node)) {
		rc = report(SIGIL_AUDIT_DELETE, ml->m, -ENOENT,
			    "manifest delete refused: '%s' was deleted meanwhile",
			    ml->m->name);
	} else if (uses) {
		rc = report(SIGIL_AUDIT_DELETE, ml->m, -EBUSY,
			    "manifest delete refused: the active policy '%s' %s '%s'",
			    lp->policy->name, uses, ml->m->name);
	} else if (rc) {
		rc = report(SIGIL_AUDIT_DELETE, ml->m, rc,
			    "manifest delete refused: out of memory indexing");
	} else {
		list_del_init(&ml->node);
		sigil_manifestfs_publish(ml, NULL);
		x = publish(x);
		pr_info("manifest '%s' deleted\n", ml->m->name);
		sigil_audit_manifest(SIGIL_AUDIT_DELETE, ml->m->name,
				     ml->m->version, ml->signer, 0, NULL);
	}
	mutex_unlock(&sigil_policy_mutex);
	if (!rc)
		sigil_manifestfs_remove(ml);
	mutex_unlock(&sigil_manifest_mutex);
	if (rc) {
		free_indexes(x);
		return rc;
	}
	/* @x now holds the indexes replaced. */
	synchronize_rcu();
	free_indexes(x);
	sigil_manifest_put(ml);
	return 0;
}

/**
 * sigil_manifest_stats() - figures about the loaded manifests, for status
 * @st: the figures
 * @last_error: receives the reason of the last failed change
 * @size: size of @last_error
 */
void sigil_manifest_stats(struct sigil_manifest_stats *st, char *last_error,
			  size_t size)
{
	const struct sigil_manifest_indexes *ix;
	struct sigil_manifest_loaded *ml;
	u32 i;

	memset(st, 0, sizeof(*st));
	mutex_lock(&sigil_policy_mutex);
	list_for_each_entry(ml, &sigil_manifest_list, node) {
		st->loaded++;
		st->entries += ml->m->nentries;
		st->bytes += sizeof(*ml) + ml->m->mem_bytes;
		for (i = 0; i < ml->nsuperseded; i++) {
			st->superseded += ml->superseded[i]->nentries;
			st->bytes += ml->superseded[i]->mem_bytes;
		}
	}
	ix = rcu_dereference_protected(sigil_manifest_indexes,
				       lockdep_is_held(&sigil_policy_mutex));
	if (ix)
		st->bytes += sizeof(*ix) + ix->live->mem_bytes +
			     ix->superseded->mem_bytes;
	st->failures = sigil_manifest_failures;
	strscpy(last_error, sigil_manifest_last_error[0] ?
		sigil_manifest_last_error : "none", size);
	mutex_unlock(&sigil_policy_mutex);
}

/**
 * sigil_manifest_root_init() - note the global root
 *
 * Called at fs_initcall time, before any user space runs: the initial
 * task's root is then the root of the initial mount namespace (later
 * switch_root or chroot by init move the root that init's tasks see, not
 * this one).
 */
void __init sigil_manifest_root_init(void)
{
	get_fs_root(init_task.fs, &sigil_global_root);
}
