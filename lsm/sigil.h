/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Private interfaces between the parts of the sigil LSM.  Include this
 * first: it sets the log prefix.
 */
#ifndef _SIGIL_LSM_H
#define _SIGIL_LSM_H

#define pr_fmt(fmt) "sigil: " fmt

#include <linux/blk_types.h>
#include <linux/fs.h>
#include <linux/kref.h>
#include <linux/lsm_hooks.h>
#include <linux/mutex.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>

#include "policy.h"
#include "filesig.h"

struct key;

/* Version of the securityfs interface; bumped on incompatible changes. */
#define SIGIL_ABI_VERSION	1

extern const struct lsm_id sigil_lsmid;
extern struct lsm_blob_sizes sigil_blob_sizes;
extern bool sigil_enabled;
extern bool sigil_enforce;
extern bool sigil_success_audit;

/* ---- superblock blob ---- */

/**
 * struct sigil_superblock - sigil's part of a super_block's security blob
 * @initramfs: this is the rootfs that the kernel unpacked the initramfs
 *	       into; the regular files that the unpacking created, and that
 *	       nobody wrote since, are boot_verified
 */
struct sigil_superblock {
	bool initramfs;
};

static inline struct sigil_superblock *sigil_sb(const struct super_block *sb)
{
	return sb->s_security + sigil_blob_sizes.lbs_superblock;
}

/* ---- events and evaluation (eval.c) ---- */

enum sigil_hook {
	SIGIL_HOOK_BPRM_CHECK,
	SIGIL_HOOK_MMAP,
	SIGIL_HOOK_MMAP_BACKING,
	SIGIL_HOOK_MPROTECT,
	SIGIL_HOOK_KERNEL_READ,
	SIGIL_HOOK_KERNEL_LOAD,
	__SIGIL_HOOK_MAX
};

extern const char *const sigil_hook_names[__SIGIL_HOOK_MAX];

/*
 * What memory an EXECUTE event makes executable, when no file vouches for
 * its bytes; the index of sigil_memory_names.
 */
enum sigil_memory {
	SIGIL_MEM_FILE,		/* a file's bytes: decided on the file */
	SIGIL_MEM_ANONYMOUS,	/* no file: anonymous memory, a buffer */
	SIGIL_MEM_WRITABLE,	/* a private file mapping, writable too */
	SIGIL_MEM_COPIED,	/* a private file mapping with copied pages */
	__SIGIL_MEM_MAX
};

extern const char *const sigil_memory_names[__SIGIL_MEM_MAX];

/**
 * struct sigil_event - one access to decide
 * @op: enum sigil_op, or %SIGIL_OP_INVALID
 * @hook: the LSM hook that asked
 * @file: the file, or NULL for anonymous memory and kernel_load_data; for
 *	  a mapping through overlayfs, the real file that is mapped
 * @mem: enum sigil_memory; anything but %SIGIL_MEM_FILE is decided as an
 *	 event without a file, and @file, when set, only names the mapping
 *	 in the log
 * @program_given: sigil/explain names the running program: @program, or
 *		   none when that is NULL; hooks leave it false, and the
 *		   running program is current's executable
 * @program: the program an explanation takes as running
 */
struct sigil_event {
	unsigned int op;
	enum sigil_hook hook;
	struct file *file;
	enum sigil_memory mem;
	bool program_given;
	struct file *program;
};

int sigil_evaluate(const struct sigil_event *ev);
void sigil_prepare(const struct sigil_event *ev);
int sigil_check_read(struct file *file, unsigned int op);

/**
 * struct sigil_counters - decision counters, summed over CPUs for status
 * @allowed: events allowed by the policy
 * @denied: events denied and refused
 * @permissive: events the policy denied but permissive mode allowed
 * @errors: events decided by a failed lookup (always a denial)
 */
struct sigil_counters {
	u64 allowed;
	u64 denied;
	u64 permissive;
	u64 errors;
};

void sigil_read_counters(struct sigil_counters *sum);

/* ---- per-inode verdict cache (cache.c) ---- */

/* What became of one kind of signature on one file. */
enum sigil_sig_state {
	SIGIL_SIG_VALID,	/* verified by a key in .sigil */
	SIGIL_SIG_ABSENT,	/* the file has no signature of this kind */
	SIGIL_SIG_NO_VERITY,	/* the signature signs fs-verity, which is off */
	SIGIL_SIG_UNKNOWN_KEY,	/* its key is not in .sigil */
	SIGIL_SIG_BAD,		/* it does not verify: file or signature changed */
	SIGIL_SIG_REFUSED,	/* refused: SHA-1, MD5, or not a data signature */
	__SIGIL_SIG_STATE_MAX
};

extern const char *const sigil_sig_state_names[__SIGIL_SIG_STATE_MAX];
extern const char *const sigil_sig_kind_names[__SIGIL_SIG_MAX];

/**
 * struct sigil_sig_result - one verified (or refused) signature
 * @state: enum sigil_sig_state
 * @signer: for %SIGIL_SIG_VALID, the key that verified it
 */
struct sigil_sig_result {
	u8 state;
	struct sigil_signer signer;
};

/**
 * struct sigil_blob - a refcounted copy of bytes the kernel handed over
 * @ref: references
 * @size: bytes in @data
 * @data: the bytes
 */
struct sigil_blob {
	refcount_t ref;
	u32 size;
	u8 data[];
};

struct sigil_verdict;

/* Bits of sigil_inode.flags. */
enum sigil_inode_flag {
	/* created while the initramfs was unpacked, and unchanged since */
	SIGIL_INODE_BOOT,
};

/**
 * struct sigil_inode - sigil's part of an inode's security blob
 * @lock: serializes changes to @verdict and @fsverity_sig
 * @gen: bumped after each change to the content or signatures
 * @verdict: the cached verification results, or NULL
 * @fsverity_sig: the fs-verity builtin signature, NULL, or
 *		  ERR_PTR(-ENOMEM) when it could not be kept
 * @flags: enum sigil_inode_flag bits
 */
struct sigil_inode {
	spinlock_t lock;	/* protects verdict and fsverity_sig updates */
	atomic64_t gen;
	struct sigil_verdict __rcu *verdict;
	struct sigil_blob *fsverity_sig;
	unsigned long flags;
};

static inline struct sigil_inode *sigil_inode(const struct inode *inode)
{
	return inode->i_security + sigil_blob_sizes.lbs_inode;
}

/* Bits of sigil_file.flags. */
enum sigil_file_flag {
	/* holds a deny_write_access() on its inode: see sigil_evaluate() */
	SIGIL_FILE_DENIES_WRITE,
};

/**
 * struct sigil_file - sigil's part of a file's security blob
 * @flags: enum sigil_file_flag bits
 */
struct sigil_file {
	unsigned long flags;
};

static inline struct sigil_file *sigil_file(const struct file *file)
{
	return file->f_security + sigil_blob_sizes.lbs_file;
}

/**
 * struct sigil_task - sigil's part of a task's security blob
 * @read_inode: the inode whose data a kernel_read_file() of this task was
 *		allowed on, while the read runs; NULL otherwise
 * @read_gen: its generation when it was decided
 */
struct sigil_task {
	struct inode *read_inode;
	u64 read_gen;
};

static inline struct sigil_task *sigil_task(const struct task_struct *task)
{
	return task->security + sigil_blob_sizes.lbs_task;
}

extern bool sigil_boot_done;

/**
 * struct sigil_cache_stats - what status reports about the cache
 * @hits: lookups answered by a current verdict
 * @misses: lookups that found none
 * @verifications: signatures verified (each a miss that was filled)
 * @entries: inodes with a verdict
 * @entry_bytes: kernel memory of one verdict
 * @blob_bytes: kernel memory of kept fs-verity signatures
 * @bytes: kernel memory of the cache: verdicts and signatures
 * @inode_bytes: sigil's part of every inode's security blob
 */
struct sigil_cache_stats {
	unsigned long hits;
	unsigned long misses;
	unsigned long verifications;
	unsigned long entries;
	size_t entry_bytes;
	size_t blob_bytes;
	size_t bytes;
	size_t inode_bytes;
};

/**
 * struct sigil_target - the file whose signature is verified
 * @file: the file, open for reading: a regular file
 * @inode: the inode with its data: under overlayfs the real one, which
 *	   carries fs-verity and is what is mapped
 * @xattr: the dentry whose signature xattrs count: the one the user opened
 *	   (for an overlayfs backing file, the overlay's)
 * @meta: the inode those xattrs are read from; a signature that is not on
 *	  @inode itself (overlayfs metacopy, or a descriptor opened before a
 *	  copy-up) is verified on every use, never cached
 * @gen: @inode's generation when the event began
 * @no_content: the caller holds the mm's mmap lock (mprotect, and mmap of
 *		an overlayfs file's real file), under which the file must not
 *		be read: content signatures fail with -EDEADLK
 * @quiet: an explanation (sigil/explain), not an event: the cache counts
 *	   nothing and keeps no verdict verified for it
 */
struct sigil_target {
	struct file *file;
	struct inode *inode;
	struct dentry *xattr;
	struct inode *meta;
	u64 gen;
	bool no_content;
	bool quiet;
};

bool sigil_target_set(struct sigil_target *t, struct file *file);

void sigil_cache_invalidate_all(void);
void sigil_cache_invalidate(const struct inode *inode);
const struct sigil_sig_result *sigil_cache_lookup(const struct sigil_target *t,
						  unsigned int kind);
int sigil_cache_fill(const struct sigil_target *t, unsigned int kind,
		     struct sigil_sig_result *res, struct pgp_error *err);
void sigil_cache_stats(struct sigil_cache_stats *st);
struct sigil_blob *sigil_fsverity_sig_get(struct sigil_inode *si);
void sigil_fsverity_sig_put(struct sigil_blob *b);

/* ---- signature providers (signature.c, fsverity.c) ---- */

int sigil_verify_ima(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err);
int sigil_verify_pgp(const struct sigil_target *t,
		     struct sigil_sig_result *res, struct pgp_error *err);
int sigil_read_content(const struct sigil_target *t,
		       int (*consume)(void *ctx, const u8 *data, size_t len),
		       void *ctx, struct pgp_error *err);
void sigil_signer_of_key(const struct key *key, struct sigil_signer *signer);

/* ---- fs-verity (fsverity.c, built with CONFIG_FS_VERITY) ---- */

#ifdef CONFIG_FS_VERITY
int sigil_fsverity_digest(struct inode *inode, struct sigil_digest *digest);
#else
static inline int sigil_fsverity_digest(struct inode *inode,
					struct sigil_digest *digest)
{
	digest->algo = SIGIL_HASH_NONE;
	return 0;
}
#endif

#ifdef CONFIG_FS_VERITY_BUILTIN_SIGNATURES
int sigil_verify_fsverity(const struct sigil_target *t,
			  struct sigil_sig_result *res, struct pgp_error *err);
#else
static inline int sigil_verify_fsverity(const struct sigil_target *t,
					struct sigil_sig_result *res,
					struct pgp_error *err)
{
	return -EOPNOTSUPP;	/* the parser refuses fsverity_signature */
}
#endif

/* ---- block devices and dm-verity (dmverity.c, with CONFIG_DM_VERITY) ---- */

struct sigil_dmverity;

/**
 * struct sigil_bdev - sigil's part of a block device's security blob
 * @dmverity: what dm-verity last reported about the device, or NULL
 */
struct sigil_bdev {
	struct sigil_dmverity __rcu *dmverity;
};

static inline struct sigil_bdev *sigil_bdev(const struct block_device *bdev)
{
	return bdev->bd_security + sigil_blob_sizes.lbs_bdev;
}

/* What a file's volume came to, for the log. */
enum sigil_dmv_state {
	SIGIL_DMV_NOT_LOOKED,	/* no rule asked */
	SIGIL_DMV_NONE,		/* not on a dm-verity volume */
	SIGIL_DMV_UNSIGNED,	/* on one whose root hash had no signature */
	SIGIL_DMV_SIGNED,	/* on one whose root hash signature verified */
};

/**
 * struct sigil_dmverity_stats - what status reports about dm-verity
 * @bdev_bytes: sigil's part of every block device's security blob
 * @volumes: dm-verity devices that reported a root hash
 * @bytes: kernel memory of what they reported
 */
struct sigil_dmverity_stats {
	size_t bdev_bytes;
	unsigned long volumes;
	size_t bytes;
};

/*
 * The dm-verity properties this kernel can evaluate: the conditions are
 * IPE's (CONFIG_IPE_PROP_DM_VERITY and _SIGNATURE).
 */
static inline u32 sigil_dmverity_props(void)
{
	u32 props = 0;

	if (IS_ENABLED(CONFIG_DM_VERITY))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH);
	if (IS_ENABLED(CONFIG_DM_VERITY) &&
	    IS_ENABLED(CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
	return props;
}

#if IS_ENABLED(CONFIG_DM_VERITY)
void __init sigil_add_dmverity_hooks(void);
u8 sigil_dmverity_facts(const struct inode *inode, struct sigil_facts *facts);
void sigil_dmverity_stats(struct sigil_dmverity_stats *st);
#else
static inline void sigil_add_dmverity_hooks(void)
{
}

static inline u8 sigil_dmverity_facts(const struct inode *inode,
				      struct sigil_facts *facts)
{
	return SIGIL_DMV_NONE;	/* the parser refuses the properties */
}

static inline void sigil_dmverity_stats(struct sigil_dmverity_stats *st)
{
	memset(st, 0, sizeof(*st));
}
#endif

/* ---- loaded policies (policy.c) ---- */

/* "openpgp:" and a fingerprint, "x509-skid:" and an identifier... */
#define SIGIL_SIGNER_STR_MAX	80

/**
 * struct sigil_policy_text - a verified policy write
 * @text: the policy text, kvmalloc()ed, owned by the holder
 * @len: its length
 * @form: enum sigil_msg_form: how it was signed
 * @signer: who signed it, as policies/<name>/signer shows it
 * @why: why it was refused, when it was
 */
struct sigil_policy_text {
	char *text;
	size_t len;
	int form;
	char signer[SIGIL_SIGNER_STR_MAX];
	char why[SIGIL_ERR_MSG_MAX + 64];
};

int sigil_policy_open(const u8 *buf, size_t len, struct sigil_policy_text *pt);

/**
 * struct sigil_loaded - a policy loaded into the kernel
 * @policy: the compiled policy
 * @text: the policy text as written, which rules are quoted from
 * @textlen: length of @text
 * @dir: its securityfs directory, policies/<name>/
 * @node: entry in the list of loaded policies; empty once deleted
 * @ref: references: the list's, and securityfs handlers' while they run
 * @signer: who signed it: "openpgp:<fingerprint>", "x509-skid:<hex>",
 *	    "x509-serial:<hex>", "unsigned" or "built-in"
 */
struct sigil_loaded {
	struct kref ref;
	struct sigil_policy *policy;
	char *text;
	size_t textlen;
	struct dentry *dir;
	struct list_head node;
	char signer[SIGIL_SIGNER_STR_MAX];
};

extern struct sigil_loaded __rcu *sigil_active;
extern struct mutex sigil_policy_mutex;

/* Largest policy accepted through securityfs: room for ~500,000 digests. */
#define SIGIL_POLICY_MAX_BYTES	(64u << 20)

int sigil_policy_submit(const u8 *buf, size_t len,
			struct sigil_loaded *update_of);
void sigil_policy_discarded(size_t got, size_t need);
/* lsm/boot_policy.c, which scripts/polgen generates and checks */
extern const char sigil_boot_policy[];
extern const size_t sigil_boot_policy_len;
int __init sigil_boot_policy_init(void);
int sigil_upload_open(struct inode *inode, struct file *file);
int sigil_upload_release(struct inode *inode, struct file *file);
ssize_t sigil_upload_write(struct file *file, const char __user *ubuf,
			   size_t len, loff_t *ppos,
			   struct sigil_loaded *update_of);
int __init sigil_boot_policy_publish(void);
int sigil_policy_activate(struct sigil_loaded *lp);
int sigil_policy_delete(struct sigil_loaded *lp);
void sigil_policy_put(struct sigil_loaded *lp);
u32 sigil_parse_props(void);
size_t sigil_loaded_bytes(const struct sigil_loaded *lp);

/**
 * struct sigil_policy_stats - what status reports about policies
 * @loaded: number of loaded policies
 * @bytes: kernel memory of every loaded policy, text included
 * @rules: rules of every loaded policy
 * @rule_bytes: kernel memory of their compiled rules
 * @load_failures: failed loads since boot
 */
struct sigil_policy_stats {
	unsigned int loaded;
	size_t bytes;
	size_t rules;
	size_t rule_bytes;
	unsigned long load_failures;
};

void sigil_policy_stats(struct sigil_policy_stats *st, char *last_error,
			size_t size);

/* ---- securityfs (fs.c, policy_fs.c) ---- */

/**
 * struct sigil_fs_file - one securityfs file to create
 * @name: file name
 * @mode: permissions
 * @fops: its operations
 */
struct sigil_fs_file {
	const char *name;
	umode_t mode;
	const struct file_operations *fops;
};

bool sigil_may_admin(const struct file *file);
int sigil_admin_bool(struct file *file, const char __user *buf, size_t len,
		     bool *value);
int sigil_create_files(struct dentry *dir, const struct sigil_fs_file *files,
		       size_t n);
int sigil_policyfs_add(struct sigil_loaded *lp);
void sigil_policyfs_publish(struct sigil_loaded *lp, struct sigil_loaded *to);
void sigil_policyfs_remove(struct sigil_loaded *lp);
int __init sigil_policyfs_init(struct dentry *root);

/* ---- decision log (log.c) ---- */

/**
 * struct sigil_sig_report - what an event's signatures came to, for the log
 * @looked: BIT() of each enum sigil_sig_kind that a rule looked at
 * @state: per kind looked at, its enum sigil_sig_state
 * @error_kind: the kind whose verification failed, or -1
 * @why: for @error_kind, what failed; for an error with no property
 *	 (a file that changed while the kernel read it), the whole reason
 * @dmverity: enum sigil_dmv_state: the file's dm-verity volume, when a rule
 *	      looked at it
 * @roothash: for a dm-verity volume, its root hash
 * @program_looked: as @looked, for the running program's executable
 * @program_state: as @state, for the running program's executable
 * @program_error: the failed verification was the program's
 * @program: the running program's executable, when a rule looked at it
 */
struct sigil_sig_report {
	u8 looked;
	u8 state[__SIGIL_SIG_MAX];
	int error_kind;
	const char *why;
	u8 dmverity;
	const struct sigil_digest *roothash;
	u8 program_looked;
	u8 program_state[__SIGIL_SIG_MAX];
	bool program_error;
	const struct file *program;
};

/* Room for a decision's reason: a property name and what failed. */
#define SIGIL_REASON_MAX	(PGP_ERR_MSG_MAX + 32)

void sigil_log_decision(const struct sigil_event *ev,
			const struct sigil_loaded *lp,
			const struct sigil_decision *d,
			const struct sigil_sig_report *sigs, bool enforcing);
void sigil_decision_reason(char *buf, size_t size,
			   const struct sigil_decision *d,
			   const struct sigil_sig_report *sigs);
int sigil_log_show(struct seq_file *m);
size_t sigil_quote(char *buf, size_t size, const char *s, size_t n);

/* ---- explanations: sigil/explain (eval.c, explain.c) ---- */

/**
 * struct sigil_explanation - one decision and what it rested on
 * @lp: the policy that decided, with a reference that the caller drops
 *	with sigil_policy_put(); NULL when no policy is active, and then
 *	everything is allowed
 * @d: the decision; @d.src points into @lp's policy
 * @enforcing: whether a denial would have been enforced
 * @known: SIGIL_PROP_BIT() of each property whose fact the rules looked at
 * @truths: SIGIL_PROP_BIT() of each boolean property among them that held
 * @fsverity_digest: the file's fs-verity digest, when looked at
 * @dmverity_roothash: its volume's root hash, when looked at
 * @signers: per enum sigil_sig_kind whose signature verified, its signer
 * @program_fsverity_digest: the running program's fs-verity digest, when
 *			     looked at
 * @program_signers: per kind, the running program's signer
 * @seen: what the signatures came to, as the log reports them; its
 *	  pointers point into this structure, and @seen.program is NULL
 * @why: what failed, for @seen.why
 */
struct sigil_explanation {
	struct sigil_loaded *lp;
	struct sigil_decision d;
	bool enforcing;
	u32 known;
	u32 truths;
	struct sigil_digest fsverity_digest;
	struct sigil_digest dmverity_roothash;
	struct sigil_signer signers[__SIGIL_SIG_MAX];
	struct sigil_digest program_fsverity_digest;
	struct sigil_signer program_signers[__SIGIL_SIG_MAX];
	struct sigil_sig_report seen;
	char why[PGP_ERR_MSG_MAX];
};

void sigil_explain(const struct sigil_event *ev, struct sigil_explanation *x);
extern const struct file_operations sigil_explain_fops;

/* ---- audit records (audit.c, built with CONFIG_AUDIT) ---- */

/* What happened to a policy; the index of sigil_audit_op_names. */
enum sigil_audit_op {
	SIGIL_AUDIT_LOAD,
	SIGIL_AUDIT_UPDATE,
	SIGIL_AUDIT_ACTIVATE,
	SIGIL_AUDIT_DELETE,
	__SIGIL_AUDIT_OP_MAX
};

/* A switch in securityfs whose changes are audited. */
enum sigil_audit_switch {
	SIGIL_AUDIT_ENFORCE,
	SIGIL_AUDIT_SUCCESS_AUDIT,
	SIGIL_AUDIT_KEYRING_LOCKED,
	__SIGIL_AUDIT_SWITCH_MAX
};

#ifdef CONFIG_AUDIT
void sigil_audit_decision(const struct sigil_event *ev,
			  const struct sigil_loaded *lp,
			  const struct sigil_decision *d,
			  const struct sigil_sig_report *sigs, bool enforcing,
			  const char *path);
void sigil_audit_policy(enum sigil_audit_op op, const char *name,
			const u16 *version, const char *signer, int err,
			const char *msg);
void sigil_audit_switch(enum sigil_audit_switch sw, bool old, bool value);
#else
static inline void sigil_audit_decision(const struct sigil_event *ev,
					const struct sigil_loaded *lp,
					const struct sigil_decision *d,
					const struct sigil_sig_report *sigs,
					bool enforcing, const char *path)
{
}

static inline void sigil_audit_policy(enum sigil_audit_op op,
				      const char *name, const u16 *version,
				      const char *signer, int err,
				      const char *msg)
{
}

static inline void sigil_audit_switch(enum sigil_audit_switch sw, bool old,
				      bool value)
{
}
#endif

/* ---- the .sigil keyring (keyring.c) ---- */

extern struct key *sigil_keyring;

/* Compiled-in keys (keys/builtin.S), freed with the rest of init memory. */
extern const u8 sigil_builtin_pgp[], sigil_builtin_pgp_end[];
extern const u8 sigil_builtin_x509[], sigil_builtin_x509_end[];

void sigil_keyring_lock(void);
int sigil_keyring_remove(const char *id);
void sigil_keyring_status(unsigned long *keys, bool *locked);

/* ---- hooks ---- */

void __init sigil_add_event_hooks(void);
void __init sigil_add_cache_hooks(void);
void __init sigil_add_keyring_hooks(void);

#endif /* _SIGIL_LSM_H */
