/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The operation of a kernel file read, for the two places that see the
 * kernel's enum kernel_read_file_id: the built-in LSM (lsm/hooks.c, after
 * <linux/kernel_read_file.h>) and the BPF program (bpf/, after
 * vmlinux.h).  Not for userspace, which has no such enum.
 */
#ifndef _SIGIL_READ_OP_H
#define _SIGIL_READ_OP_H

#include "enums.h"

/**
 * sigil_read_file_op() - the operation of a kernel file read
 * @id: its enum kernel_read_file_id; an enum kernel_load_data_id works
 *	too, whose LOADING_* values are the READING_* ones
 *
 * Return: the enum sigil_op, or %SIGIL_OP_INVALID for a read no operation
 * names (only a global DEFAULT decides it).
 */
static inline unsigned int sigil_read_file_op(int id)
{
	switch (id) {
	case READING_FIRMWARE:
		return SIGIL_OP_FIRMWARE;
	case READING_MODULE:
		return SIGIL_OP_KMODULE;
	case READING_KEXEC_IMAGE:
		return SIGIL_OP_KEXEC_IMAGE;
	case READING_KEXEC_INITRAMFS:
		return SIGIL_OP_KEXEC_INITRAMFS;
	case READING_POLICY:
		return SIGIL_OP_POLICY;
	case READING_X509_CERTIFICATE:
		return SIGIL_OP_X509_CERT;
	default:
		return SIGIL_OP_INVALID;
	}
}

#endif /* _SIGIL_READ_OP_H */
