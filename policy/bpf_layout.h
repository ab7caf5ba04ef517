/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The BPF mode's maps: how a compiled policy is laid out for the BPF LSM
 * program (bpf/sigil.bpf.c), which reads them, and for sigilctl, which
 * fills them (policy/bpf_layout.c builds the records).  The includer
 * provides u8..u64: compat.h in C, vmlinux.h in the BPF program.
 *
 * A policy lives in one of two slots; loading writes the slot not in
 * force, then switches sigil_bpf_config.slot, so that an exec is decided
 * by the old policy or the new one, never by a mix.
 */
#ifndef _SIGIL_BPF_LAYOUT_H
#define _SIGIL_BPF_LAYOUT_H

#include "enums.h"

#define SIGIL_BPF_SLOTS		2
/* Steps (rules checked one by one, indexed runs) of one policy, all ops. */
#define SIGIL_BPF_STEPS_MAX	1024
/* Properties of a rule that is checked on its own. */
#define SIGIL_BPF_RULE_PROPS	6
#define SIGIL_BPF_DIGEST_MAX	64
/* Manifests known at once, and the longest path an entry may have. */
#define SIGIL_BPF_MANIFESTS	64
#define SIGIL_BPF_PATH_MAX	256
#define SIGIL_BPF_NAME_MAX	255
/* Largest fs-verity signature (user.sigil.fsverity) that is read. */
#define SIGIL_BPF_SIG_MAX	4096
/* The xattr that holds the bytes "fsverity sign" writes. */
#define SIGIL_BPF_SIG_XATTR	"user.sigil.fsverity"
/* Default number of indexed digests the digests map can hold. */
#define SIGIL_BPF_DIGESTS_DEFAULT	(2 * 131072)
#define SIGIL_BPF_MF_ENTRIES_DEFAULT	(2 * 262144)
/* manifest=ANY */
#define SIGIL_BPF_ANY		0xffffffffu

/* Where the BPF mode pins its program links and maps (bpffs). */
#define SIGIL_BPF_PIN_DIR	"/sys/fs/bpf/sigil"

/**
 * struct sigil_bpf_config - the one entry of the ``config`` map
 * @slot: the slot whose policy is in force
 * @loaded: a policy is in force
 * @enforce: 1 enforce, 0 permissive (denials are logged, not applied)
 * @locked: set by ``sigilctl bpf lock``: nothing may detach, unpin or
 *	    update the program or its maps until reboot
 * @keyring: serial of the keyring that fs-verity signatures are checked
 *	     against; 0 when none is named
 * @gen: bumps with each load: cached signature verdicts of an older @gen
 *	 are verified again
 * @boot_marked: the loader marked the initramfs' files (boot_verified)
 * @reserved: zero
 */
struct sigil_bpf_config {
	u32 slot;
	u32 loaded;
	u32 enforce;
	u32 locked;
	u32 keyring;
	u32 gen;
	u32 boot_marked;
	u32 reserved;
};

/**
 * struct sigil_bpf_prop - one property of a rule checked on its own
 * @type: enum sigil_prop_type
 * @value: TRUE/FALSE, or the enum sigil_hash_algo of @digest
 * @size: digest size
 * @has_min: manifest= names a minimum version
 * @manifest: manifest=: index in the ``manifests`` map, %SIGIL_BPF_ANY
 * @min_version: manifest=NAME@MIN: MIN as sigil_manifest_version() packs it
 * @digest: the digest, zero-padded
 */
struct sigil_bpf_prop {
	u8 type;
	u8 value;
	u8 size;
	u8 has_min;
	u32 manifest;
	u64 min_version;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
};

enum sigil_bpf_step_kind {
	SIGIL_BPF_STEP_RULE = 1,	/* one rule, its properties in @props */
	SIGIL_BPF_STEP_INDEX = 2,	/* a run of digest rules: ``digests`` */
};

/**
 * struct sigil_bpf_step - one entry of the ``steps`` map
 * @kind: enum sigil_bpf_step_kind
 * @action: the rule's action
 * @nprops: number of @props
 * @index_type: for an indexed run, the digest property it tests
 * @line: the rule's line in the policy text
 * @rule: the rule's index in the compiled policy's rules (grouped by
 *	  operation)
 * @reserved: zero
 * @props: the rule's properties
 */
struct sigil_bpf_step {
	u8 kind;
	u8 action;
	u8 nprops;
	u8 index_type;
	u32 line;
	u32 rule;
	u32 reserved;
	struct sigil_bpf_prop props[SIGIL_BPF_RULE_PROPS];
};

/**
 * struct sigil_bpf_digest_key - key of the ``digests`` map
 * @step: slot * %SIGIL_BPF_STEPS_MAX + the indexed run's step
 * @algo: enum sigil_hash_algo
 * @size: digest size
 * @reserved: zero
 * @digest: the digest, zero-padded
 */
struct sigil_bpf_digest_key {
	u32 step;
	u8 algo;
	u8 size;
	u8 reserved[2];
	u8 digest[SIGIL_BPF_DIGEST_MAX];
};

/**
 * struct sigil_bpf_digest_val - the first rule of a run with that digest
 * @line: its line
 * @rule: its index in the policy
 * @action: its action
 * @reserved: zero
 */
struct sigil_bpf_digest_val {
	u32 line;
	u32 rule;
	u8 action;
	u8 reserved[3];
};

/**
 * struct sigil_bpf_op - one operation of a policy
 * @first_step: its first step in the ``steps`` map, slot excluded
 * @nsteps: number of steps
 * @props: SIGIL_PROP_BIT() of each property its rules test
 * @default_line: line of its DEFAULT
 * @default_action: its DEFAULT, or %SIGIL_ACTION_NONE
 * @reserved: zero
 */
struct sigil_bpf_op {
	u32 first_step;
	u32 nsteps;
	u32 props;
	u32 default_line;
	u8 default_action;
	u8 reserved[3];
};

/**
 * struct sigil_bpf_head - one entry of the ``heads`` map: a slot's policy
 * @name: policy_name
 * @version: policy_version
 * @global_default: the global DEFAULT, or %SIGIL_ACTION_NONE
 * @reserved: zero
 * @global_default_line: its line
 * @nrules: rules in the policy
 * @nsteps: steps they became
 * @ndigests: entries they put in the ``digests`` map
 * @ops: per operation
 */
struct sigil_bpf_head {
	char name[SIGIL_BPF_NAME_MAX + 1];
	u16 version[3];
	u8 global_default;
	u8 reserved;
	u32 global_default_line;
	u32 nrules;
	u32 nsteps;
	u32 ndigests;
	struct sigil_bpf_op ops[__SIGIL_OP_MAX];
};

/* struct sigil_bpf_inode.flags */
#define SIGIL_BPF_INO_BOOT	0x01	/* unpacked from the initramfs, unwritten */
#define SIGIL_BPF_INO_DIGEST	0x02	/* @algo, @size, @digest hold its fs-verity digest */
#define SIGIL_BPF_INO_NODIGEST	0x04	/* it has no fs-verity digest */
#define SIGIL_BPF_INO_SIG_OK	0x08	/* its signature verified, at @sig_gen */
#define SIGIL_BPF_INO_PROTECT	0x10	/* the pin directory: no unlink or rename after lock */

/**
 * struct sigil_bpf_inode - what the program keeps per inode (inode storage)
 * @sig_gen: sigil_bpf_config.gen when the signature was last verified; 0
 *	     for never
 * @sig_error: that verification's result: 0, or the negative errno
 * @flags: SIGIL_BPF_INO_*
 * @algo: the fs-verity digest's enum sigil_hash_algo
 * @size: its size
 * @reserved: zero
 * @digest: the fs-verity digest
 */
struct sigil_bpf_inode {
	u32 sig_gen;
	s32 sig_error;
	u8 flags;
	u8 algo;
	u8 size;
	u8 reserved;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
};

/* What an event's hook was, in records. */
enum sigil_bpf_hook {
	SIGIL_BPF_HOOK_EXEC,
	SIGIL_BPF_HOOK_MMAP,
	SIGIL_BPF_HOOK_MPROTECT,
	SIGIL_BPF_HOOK_KERNEL_READ,
	SIGIL_BPF_HOOK_KERNEL_LOAD,
	SIGIL_BPF_HOOK_MMAP_ADDR,
	__SIGIL_BPF_HOOK_MAX
};

/* Why memory was decided without its file (struct sigil_bpf_record.mem). */
enum sigil_bpf_mem {
	SIGIL_BPF_MEM_FILE,		/* decided on its file */
	SIGIL_BPF_MEM_ANONYMOUS,	/* no file */
	SIGIL_BPF_MEM_WRITABLE,		/* private file mapping, writable too */
	SIGIL_BPF_MEM_COPIED,		/* private file mapping with copied pages */
};

/* Manifest match states, per struct sigil_bpf_record.mf_state. */
enum sigil_bpf_mf_state {
	SIGIL_BPF_MF_UNTESTED,		/* no rule tested manifest= */
	SIGIL_BPF_MF_MATCH,		/* path and digest are an entry */
	SIGIL_BPF_MF_NOT_LISTED,	/* no live manifest lists them */
	SIGIL_BPF_MF_NO_DIGEST,		/* the file has no fs-verity digest */
	SIGIL_BPF_MF_NO_PATH,		/* no global path: too long, or not pid 1's view */
};

/**
 * struct sigil_bpf_record - one decision, in the ``log`` ring buffer and
 *			     in ``sigilctl explain``'s answer
 * @time_ns: CLOCK_BOOTTIME
 * @ino: the file's inode number, 0 without a file
 * @dev: its superblock's device (kernel encoding)
 * @pid: the task (tgid)
 * @line: the deciding rule's or DEFAULT's line, 0 for an error
 * @rule: the deciding rule's index, or -1
 * @error: for an error, the negative errno
 * @sig_error: the fs-verity signature's verification result, when tested
 * @manifests: bit i: manifest i lists the file under its path
 * @op: enum sigil_op
 * @action: enum sigil_action applied (permissive: what would have been)
 * @match: enum sigil_match
 * @hook: enum sigil_bpf_hook
 * @mem: enum sigil_bpf_mem
 * @enforce: the mode at the time
 * @error_prop: for an error, the property being looked up
 * @facts: SIGIL_PROP_BIT() of each property that held
 * @mf_state: enum sigil_bpf_mf_state
 * @algo: fs-verity digest's algorithm, SIGIL_HASH_NONE when it has none
 * @size: its size
 * @reserved: zero
 * @digest: the fs-verity digest
 * @dmv_algo: the root hash of the file's dm-verity volume: its algorithm,
 *	      SIGIL_HASH_NONE when none is known
 * @dmv_size: its size
 * @reserved2: zero
 * @dmv_digest: the root hash
 * @comm: the task's name
 * @path: the file's path (d_path), empty when the hook cannot see it
 */
struct sigil_bpf_record {
	u64 time_ns;
	u64 ino;
	u32 dev;
	u32 pid;
	u32 line;
	s32 rule;
	s32 error;
	s32 sig_error;
	u64 manifests;
	u8 op;
	u8 action;
	u8 match;
	u8 hook;
	u8 mem;
	u8 enforce;
	u8 error_prop;
	u8 mf_state;
	u32 facts;
	u8 algo;
	u8 size;
	u8 reserved[2];
	u8 digest[SIGIL_BPF_DIGEST_MAX];
	u8 dmv_algo;
	u8 dmv_size;
	u8 reserved2[6];
	u8 dmv_digest[SIGIL_BPF_DIGEST_MAX];
	char comm[16];
	char path[SIGIL_BPF_PATH_MAX];
};

/**
 * struct sigil_bpf_explain - ``explain`` task storage: set by sigilctl
 * @armed: 1: the task's next event is recorded in @rec and refused,
 *	   whatever the policy says, so that explaining maps nothing
 * @done: the program filled @rec
 * @reserved: zero
 * @rec: the decision
 */
struct sigil_bpf_explain {
	u32 armed;
	u32 done;
	u64 reserved;
	struct sigil_bpf_record rec;
};

/**
 * struct sigil_bpf_mf_key - key of the ``mf_entries`` map: a path and the
 *			     fs-verity digest that a manifest binds to it
 * @algo: enum sigil_hash_algo of the digest
 * @size: its size
 * @reserved: zero
 * @digest: the digest, zero-padded
 * @path: the path, NUL-padded
 */
struct sigil_bpf_mf_key {
	u8 algo;
	u8 size;
	u8 reserved[2];
	u8 digest[SIGIL_BPF_DIGEST_MAX];
	char path[SIGIL_BPF_PATH_MAX];
};

/* Manifest loads that can list one path and digest at once. */
#define SIGIL_BPF_MF_LISTED	7

/**
 * struct sigil_bpf_mf_val - which manifest loads list a path and digest
 * @n: number of @by entries
 * @reserved: zero
 * @by: each a manifest (index in ``manifests``) and the load (epoch) that
 *	listed it; an entry counts only while that load is the manifest's
 *	live one, so that an update takes effect in one write
 */
struct sigil_bpf_mf_val {
	u32 n;
	u32 reserved;
	struct {
		u32 manifest;
		u32 epoch;
	} by[SIGIL_BPF_MF_LISTED];
};

/**
 * struct sigil_bpf_manifest - one entry of the ``manifests`` map
 * @name: manifest_name; empty for a free entry
 * @version: manifest_version, packed as sigil_manifest_version() does
 * @epoch: the load whose entries are live; 0 for none (not loaded)
 * @entries: number of entries
 */
struct sigil_bpf_manifest {
	char name[SIGIL_BPF_NAME_MAX + 1];
	u64 version;
	u32 epoch;
	u32 entries;
};

/**
 * struct sigil_bpf_dmv - what dm-verity reported of one volume (``dmv`` map,
 *			  keyed by the block device's dev_t)
 * @algo: the root hash's enum sigil_hash_algo
 * @size: its size
 * @signed_: dm-verity verified a signature of the root hash
 * @reserved: zero
 * @digest: the root hash
 */
struct sigil_bpf_dmv {
	u8 algo;
	u8 size;
	u8 signed_;
	u8 reserved;
	u8 digest[SIGIL_BPF_DIGEST_MAX];
};

/* Counters (``stats`` map, per CPU). */
enum sigil_bpf_stat {
	SIGIL_BPF_STAT_ALLOWED,
	SIGIL_BPF_STAT_DENIED,
	SIGIL_BPF_STAT_ERRORS,
	SIGIL_BPF_STAT_VERIFIED,	/* signatures verified (cache misses) */
	SIGIL_BPF_STAT_LOG_LOST,	/* records the ring buffer had no room for */
	SIGIL_BPF_STAT_REFUSED_TAMPER,	/* refused attempts on the program after lock */
	__SIGIL_BPF_STAT_MAX
};

#endif /* _SIGIL_BPF_LAYOUT_H */
