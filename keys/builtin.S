/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Keys compiled into the kernel for .sigil: CONFIG_SIGIL_PGP_KEYS (an
 * OpenPGP keyring, binary or armored) and CONFIG_SIGIL_X509_KEYS (PEM).
 * The files are copied next to this object by the Kbuild rules.
 */
#include <linux/init.h>

	__INITRODATA

	.align 8
	.globl sigil_builtin_pgp
sigil_builtin_pgp:
	.incbin SIGIL_PGP_KEYS_BIN
	.globl sigil_builtin_pgp_end
sigil_builtin_pgp_end:

	.align 8
	.globl sigil_builtin_x509
sigil_builtin_x509:
	.incbin SIGIL_X509_KEYS_BIN
	.globl sigil_builtin_x509_end
sigil_builtin_x509_end:
