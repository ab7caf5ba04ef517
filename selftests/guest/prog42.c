// SPDX-License-Identifier: GPL-2.0-only
/*
 * The program the selftests execute: no libc, no dynamic loader, exit(42).
 * Its exit status proves that it ran; its size keeps fs-verity set-up fast.
 */

void _start(void)
{
	__asm__ volatile("mov $60, %eax\n\t"	/* __NR_exit */
			 "mov $42, %edi\n\t"
			 "syscall");
	__builtin_unreachable();
}
