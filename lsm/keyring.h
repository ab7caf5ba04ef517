/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The .sigil keyring (keyring.c): its compiled-in keys, its lock, and the
 * key restriction that keeps X.509 and OpenPGP keys apart.
 */
#ifndef _SIGIL_KEYRING_H
#define _SIGIL_KEYRING_H

#include <linux/types.h>

struct key;

extern struct key *sigil_keyring;

/* Compiled-in keys (keys/builtin.S), freed with the rest of init memory. */
extern const u8 sigil_builtin_pgp[], sigil_builtin_pgp_end[];
extern const u8 sigil_builtin_x509[], sigil_builtin_x509_end[];

void sigil_keyring_lock(void);
int sigil_keyring_remove(const char *id);
void sigil_keyring_status(unsigned long *keys, bool *locked);

void __init sigil_add_keyring_hooks(void);

#endif /* _SIGIL_KEYRING_H */
