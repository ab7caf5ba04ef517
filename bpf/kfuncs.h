/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The kfuncs of Linux 6.12 that sigil's BPF program calls: fs-verity
 * digests (fs/verity/measure.c), user xattrs and d_path (fs/bpf_fs_kfuncs.c),
 * keys and PKCS#7 (kernel/trace/bpf_trace.c), tasks and preemption
 * (kernel/bpf/helpers.c).
 */
#ifndef _SIGIL_BPF_KFUNCS_H
#define _SIGIL_BPF_KFUNCS_H

int bpf_get_fsverity_digest(struct file *file, struct bpf_dynptr *digest_ptr) __ksym;
int bpf_get_file_xattr(struct file *file, const char *name,
		       struct bpf_dynptr *value_ptr) __ksym;
struct bpf_key *bpf_lookup_user_key(u32 serial, u64 flags) __ksym;
void bpf_key_put(struct bpf_key *key) __ksym;
int bpf_verify_pkcs7_signature(struct bpf_dynptr *data_ptr,
			       struct bpf_dynptr *sig_ptr,
			       struct bpf_key *trusted_keyring) __ksym;
int bpf_path_d_path(struct path *path, char *buf, size_t buf__sz) __ksym;
struct task_struct *bpf_task_from_pid(s32 pid) __ksym;
void bpf_task_release(struct task_struct *p) __ksym;
void __ksym bpf_preempt_disable(void);
void __ksym bpf_preempt_enable(void);

#endif /* _SIGIL_BPF_KFUNCS_H */
