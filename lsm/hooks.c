// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook entry points: each turns an LSM hook into a sigil_event and asks
 * the policy.  Nothing here decides anything.
 */

#include "sigil.h"

#include <linux/binfmts.h>
#include <linux/fs_struct.h>
#include <linux/kernel_read_file.h>
#include <linux/mman.h>
#include <linux/sched.h>

static int hook_bprm_check_security(struct linux_binprm *bprm)
{
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_BPRM_CHECK,
		.file = bprm->file,
	};

	return sigil_evaluate(&ev);
}

/*
 * Executable mappings are EXECUTE, as in IPE: a file mapped PROT_EXEC runs
 * as surely as one passed to execve().  Anonymous executable memory has no
 * file, so only file-less rules and the DEFAULTs can allow it.
 */
static int hook_mmap_file(struct file *file, unsigned long reqprot,
			  unsigned long prot, unsigned long flags)
{
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_MMAP,
		.file = file,
	};

	if (!(prot & PROT_EXEC))
		return 0;
	return sigil_evaluate(&ev);
}

static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_MPROTECT,
		.file = vma->vm_file,
	};

	/* Only a change that adds execution is a new decision. */
	if (!(prot & PROT_EXEC) || (vma->vm_flags & VM_EXEC))
		return 0;
	return sigil_evaluate(&ev);
}

static unsigned int read_file_op(enum kernel_read_file_id id)
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

static unsigned int load_data_op(enum kernel_load_data_id id)
{
	switch (id) {
	case LOADING_FIRMWARE:
		return SIGIL_OP_FIRMWARE;
	case LOADING_MODULE:
		return SIGIL_OP_KMODULE;
	case LOADING_KEXEC_IMAGE:
		return SIGIL_OP_KEXEC_IMAGE;
	case LOADING_KEXEC_INITRAMFS:
		return SIGIL_OP_KEXEC_INITRAMFS;
	case LOADING_POLICY:
		return SIGIL_OP_POLICY;
	case LOADING_X509_CERTIFICATE:
		return SIGIL_OP_X509_CERT;
	default:
		return SIGIL_OP_INVALID;
	}
}

static int hook_kernel_read_file(struct file *file,
				 enum kernel_read_file_id id, bool contents)
{
	struct sigil_event ev = {
		.op = read_file_op(id),
		.hook = SIGIL_HOOK_KERNEL_READ,
		.file = file,
	};

	return sigil_evaluate(&ev);
}

/* Data from a userspace buffer has no file: only DEFAULTs can allow it. */
static int hook_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	struct sigil_event ev = {
		.op = load_data_op(id),
		.hook = SIGIL_HOOK_KERNEL_LOAD,
	};

	return sigil_evaluate(&ev);
}

/* Called once, right after the initramfs was unpacked into rootfs. */
static void hook_initramfs_populated(void)
{
	sigil_sb(current->fs->root.mnt->mnt_sb)->initramfs = true;
}

static struct security_hook_list sigil_event_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bprm_check_security, hook_bprm_check_security),
	LSM_HOOK_INIT(mmap_file, hook_mmap_file),
	LSM_HOOK_INIT(file_mprotect, hook_file_mprotect),
	LSM_HOOK_INIT(kernel_read_file, hook_kernel_read_file),
	LSM_HOOK_INIT(kernel_load_data, hook_kernel_load_data),
	LSM_HOOK_INIT(initramfs_populated, hook_initramfs_populated),
};

/**
 * sigil_add_event_hooks() - register the hooks that produce events
 */
void __init sigil_add_event_hooks(void)
{
	security_add_hooks(sigil_event_hooks, ARRAY_SIZE(sigil_event_hooks),
			   &sigil_lsmid);
}
