// SPDX-License-Identifier: GPL-2.0-only
/*
 * The programs of "make demo": a kiosk application and a dropped-in tool.
 * Static, no libc; MESSAGE is set at build time.
 */

static const char message[] = MESSAGE "\n";

void _start(void)
{
	long ret;

	__asm__ volatile("syscall"		/* write(1, message, len) */
			 : "=a"(ret)
			 : "a"(1), "D"(1), "S"(message), "d"(sizeof(message) - 1)
			 : "rcx", "r11", "memory");
	__asm__ volatile("syscall"		/* exit(0) */
			 : : "a"(60), "D"(0));
	__builtin_unreachable();
}
