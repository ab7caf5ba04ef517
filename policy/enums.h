/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The numbers that a compiled policy is made of: operations, actions,
 * properties, hash algorithms, what decided.  No includes and no types
 * but enums, so that the BPF program (bpf/) shares them with the kernel
 * LSM and sigilctl.
 */
#ifndef _SIGIL_ENUMS_H
#define _SIGIL_ENUMS_H

/*
 * The enums below each index a name table in parser.c.  Adding an operation
 * or a property means adding one row to the enum and one to its table.
 */

enum sigil_op {
	SIGIL_OP_EXECUTE,
	SIGIL_OP_FIRMWARE,
	SIGIL_OP_KMODULE,
	SIGIL_OP_KEXEC_IMAGE,
	SIGIL_OP_KEXEC_INITRAMFS,
	SIGIL_OP_POLICY,
	SIGIL_OP_X509_CERT,
	__SIGIL_OP_MAX,
	/* An event that maps to no operation: only a global DEFAULT decides. */
	SIGIL_OP_INVALID = __SIGIL_OP_MAX,
};

enum sigil_action {
	SIGIL_ACTION_NONE,	/* no DEFAULT given */
	SIGIL_ACTION_ALLOW,
	SIGIL_ACTION_DENY,
	__SIGIL_ACTION_MAX
};

enum sigil_prop_type {
	SIGIL_PROP_BOOT_VERIFIED,
	SIGIL_PROP_DMVERITY_ROOTHASH,
	SIGIL_PROP_DMVERITY_SIGNATURE,
	SIGIL_PROP_FSVERITY_DIGEST,
	SIGIL_PROP_FSVERITY_SIGNATURE,
	SIGIL_PROP_IMA_SIGNATURE,
	SIGIL_PROP_PGP_SIGNATURE,
	SIGIL_PROP_SIGNER,
	SIGIL_PROP_ANONYMOUS,
	SIGIL_PROP_PROGRAM_FSVERITY_DIGEST,
	SIGIL_PROP_PROGRAM_SIGNER,
	SIGIL_PROP_MANIFEST,
	__SIGIL_PROP_MAX
};

#define SIGIL_PROP_BIT(type)	(1u << (type))

enum sigil_hash_algo {
	SIGIL_HASH_NONE,
	SIGIL_HASH_SHA256,
	SIGIL_HASH_SHA384,
	SIGIL_HASH_SHA512,
	SIGIL_HASH_SHA3_224,
	SIGIL_HASH_SHA3_256,
	SIGIL_HASH_SHA3_384,
	SIGIL_HASH_SHA3_512,
	SIGIL_HASH_BLAKE2B_512,
	SIGIL_HASH_BLAKE2S_256,
	SIGIL_HASH_SM3,
	SIGIL_HASH_RMD160,
	__SIGIL_HASH_MAX
};

enum sigil_match {
	SIGIL_MATCH_RULE,
	SIGIL_MATCH_OP_DEFAULT,
	SIGIL_MATCH_GLOBAL_DEFAULT,
	SIGIL_MATCH_ERROR,
	__SIGIL_MATCH_MAX
};

#endif /* _SIGIL_ENUMS_H */
