// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hook entry points: each turns an LSM hook into a sigil_event and asks
 * the policy.  Nothing here decides anything.
 */

#include "sigil.h"
#include "eval.h"
#include "read_op.h"

#include <linux/binfmts.h>
#include <linux/fs_struct.h>
#include <linux/kernel_read_file.h>
#include <linux/magic.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/personality.h>
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
 * Whether mapping @file maps another file: overlayfs maps the real file it
 * opened when @file was opened, which mmap_backing_file decides on.
 */
static bool maps_backing_file(const struct file *file)
{
	return file_inode(file)->i_sb->s_magic == OVERLAYFS_SUPER_MAGIC;
}

/*
 * Executable mappings are EXECUTE, as in IPE: a file mapped PROT_EXEC runs
 * as surely as one passed to execve().  Memory whose bytes no file vouches
 * for is decided as an event without a file, as SELinux's execmem draws
 * the line: anonymous memory, and a private file mapping that is writable
 * as well, whose pages the process can rewrite.
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
	if (!file) {
		ev.mem = SIGIL_MEM_ANONYMOUS;
	} else if ((flags & MAP_TYPE) == MAP_PRIVATE && (prot & PROT_WRITE)) {
		ev.mem = SIGIL_MEM_WRITABLE;
	} else if (maps_backing_file(file)) {
		/*
		 * Decided under the mmap lock, where no content can be read:
		 * verify what the decision will need now.
		 */
		sigil_prepare(&ev);
		return 0;
	}
	return sigil_evaluate(&ev);
}

/*
 * Under personality(READ_IMPLIES_EXEC) every readable mapping is
 * executable, and so is the heap that brk() grows, which reaches no other
 * hook: each new mapping or heap of such a task asks for memory that no
 * file vouches for, under the mmap lock (no content is read).
 */
static int hook_mmap_addr(unsigned long addr)
{
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_MMAP_ADDR,
		.mem = SIGIL_MEM_ANONYMOUS,
	};

	if (!(current->personality & READ_IMPLIES_EXEC))
		return 0;
	return sigil_evaluate(&ev);
}

/*
 * The file that an overlayfs (or FUSE passthrough) mapping really maps,
 * which may be another than the one its descriptor shows now: a copy-up
 * since the open changes the overlay's real file, not the mapped one.
 */
static int hook_mmap_backing_file(struct vm_area_struct *vma,
				  struct file *backing_file,
				  struct file *user_file)
{
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_MMAP_BACKING,
		.file = backing_file,
	};

	if (!(vma->vm_flags & VM_EXEC))
		return 0;
	/* Writable and private: decided without its file, in mmap_file. */
	if (!(vma->vm_flags & VM_SHARED) && (vma->vm_flags & VM_WRITE))
		return 0;
	return sigil_evaluate(&ev);
}

/*
 * A change that adds execution is a new decision, and so is one that adds
 * writing to an executable private mapping, of a file or not: the kernel
 * makes some executable mappings that no hook decided (the vDSO, which is
 * VM_MAYWRITE so that debuggers can set breakpoints in it).  Memory whose
 * pages are not all a file's (anonymous memory, shared anonymous memory,
 * copy-on-write pages, a writable private mapping) is decided without its
 * file, as in hook_mmap_file().
 */
static int hook_file_mprotect(struct vm_area_struct *vma,
			      unsigned long reqprot, unsigned long prot)
{
	bool private = !(vma->vm_flags & VM_SHARED);
	bool anon = !vma->vm_file || vma_is_anon_shmem(vma);
	struct sigil_event ev = {
		.op = SIGIL_OP_EXECUTE,
		.hook = SIGIL_HOOK_MPROTECT,
		.file = vma->vm_file,
	};

	if (!(prot & PROT_EXEC))
		return 0;
	if (vma->vm_flags & VM_EXEC) {
		if (!(prot & PROT_WRITE) || (vma->vm_flags & VM_WRITE) || !private)
			return 0;
		ev.mem = anon ? SIGIL_MEM_ANONYMOUS : SIGIL_MEM_WRITABLE;
	} else if (anon) {
		ev.mem = SIGIL_MEM_ANONYMOUS;
	} else if (private && (prot & PROT_WRITE)) {
		ev.mem = SIGIL_MEM_WRITABLE;
	} else if (private && vma->anon_vma) {
		ev.mem = SIGIL_MEM_COPIED;
	}
	return sigil_evaluate(&ev);
}

static int hook_kernel_read_file(struct file *file,
				 enum kernel_read_file_id id, bool contents)
{
	struct sigil_event ev = {
		.op = sigil_read_file_op(id),
		.hook = SIGIL_HOOK_KERNEL_READ,
		.file = file,
	};

	return sigil_evaluate(&ev);
}

static int hook_kernel_post_read_file(struct file *file, char *buf,
				      loff_t size,
				      enum kernel_read_file_id id)
{
	return sigil_check_read(file, sigil_read_file_op(id));
}

/* Data from a userspace buffer has no file: only DEFAULTs can allow it. */
/* sigil_read_file_op() takes LOADING_* as the READING_* of the same name. */
static_assert((int)LOADING_FIRMWARE == (int)READING_FIRMWARE &&
	      (int)LOADING_MODULE == (int)READING_MODULE &&
	      (int)LOADING_KEXEC_IMAGE == (int)READING_KEXEC_IMAGE &&
	      (int)LOADING_KEXEC_INITRAMFS == (int)READING_KEXEC_INITRAMFS &&
	      (int)LOADING_POLICY == (int)READING_POLICY &&
	      (int)LOADING_X509_CERTIFICATE == (int)READING_X509_CERTIFICATE);

static int hook_kernel_load_data(enum kernel_load_data_id id, bool contents)
{
	struct sigil_event ev = {
		.op = sigil_read_file_op(id),
		.hook = SIGIL_HOOK_KERNEL_LOAD,
	};

	return sigil_evaluate(&ev);
}

/*
 * Called once, right after the initramfs was unpacked into rootfs.  The
 * inodes created until now carry SIGIL_INODE_BOOT (see cache.c); those
 * created from now on never do.
 */
static void hook_initramfs_populated(void)
{
	sigil_sb(current->fs->root.mnt->mnt_sb)->initramfs = true;
	WRITE_ONCE(sigil_boot_done, true);
}

/*
 * Which file execve() ran, by its real inode's id, kept per task: a
 * process that has unmapped its own executable can make any executable
 * file its mm->exe_file (PR_SET_MM_EXE_FILE with CAP_SYS_RESOURCE, or
 * PR_SET_MM_MAP's exe_fd with CAP_CHECKPOINT_RESTORE in its own user
 * namespace), and a copy-up gives an overlayfs executable a new real file
 * while the old one runs; either would pass for another program (see
 * find_program()).  An id, not a reference: the file goes when the
 * process exits, not when its task is freed.
 */
static void hook_bprm_committing_creds(const struct linux_binprm *bprm)
{
	struct inode *real = d_real_inode(bprm->file->f_path.dentry);

	sigil_task(current)->exe_id = sigil_inode(real)->id;
}

static int hook_task_alloc(struct task_struct *task, unsigned long clone_flags)
{
	sigil_task(task)->exe_id = sigil_task(current)->exe_id;
	return 0;
}

static struct security_hook_list sigil_event_hooks[] __ro_after_init = {
	LSM_HOOK_INIT(bprm_check_security, hook_bprm_check_security),
	LSM_HOOK_INIT(bprm_committing_creds, hook_bprm_committing_creds),
	LSM_HOOK_INIT(task_alloc, hook_task_alloc),
	LSM_HOOK_INIT(mmap_file, hook_mmap_file),
	LSM_HOOK_INIT(mmap_addr, hook_mmap_addr),
	LSM_HOOK_INIT(mmap_backing_file, hook_mmap_backing_file),
	LSM_HOOK_INIT(file_mprotect, hook_file_mprotect),
	LSM_HOOK_INIT(kernel_read_file, hook_kernel_read_file),
	LSM_HOOK_INIT(kernel_post_read_file, hook_kernel_post_read_file),
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
