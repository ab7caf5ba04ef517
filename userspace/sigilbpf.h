/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * sigilctl's BPF mode (bpf.c, bpf_verify.c), and what status, log and
 * explain use of it when the kernel has no sigil built in.
 */
#ifndef _SIGILCTL_BPF_H
#define _SIGILCTL_BPF_H

#include <stdbool.h>

#include "bpf_layout.h"
#include "textsign.h"

struct mf_text;

/* bpf.c */
bool bpf_mode_present(void);
bool bpf_instead(void);
int bpf_pinned_map(const char *name);
int bpf_status(void);
int bpf_log(bool follow);
int bpf_explain(const char *file, unsigned int op);
void bpf_print_record(const struct sigil_bpf_record *r);

int cmd_bpf_load(int argc, char **argv);
int cmd_bpf_status(int argc, char **argv);
int cmd_bpf_mode(int argc, char **argv);
int cmd_bpf_lock(int argc, char **argv);
int cmd_bpf_unload(int argc, char **argv);
int cmd_bpf_log(int argc, char **argv);
int cmd_bpf_explain(int argc, char **argv);
int cmd_bpf_manifest(int argc, char **argv);

#endif /* _SIGILCTL_BPF_H */
