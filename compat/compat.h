/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The few kernel/libc differences that the shared plain C sees: fixed-width
 * types, errno values, allocation and string formatting.  policy/ and the
 * freestanding parsers in keys/ include no other kernel or libc header;
 * this folder depends on nothing of sigil's.
 */
#ifndef _SIGIL_COMPAT_H
#define _SIGIL_COMPAT_H

#ifdef __KERNEL__

#include <linux/errno.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stdarg.h>
#include <linux/string.h>
#include <linux/types.h>

static inline void *sigil_alloc(size_t n)
{
	return kvmalloc(n, GFP_KERNEL);
}

static inline void *sigil_zalloc(size_t n)
{
	return kvzalloc(n, GFP_KERNEL);
}

static inline void *sigil_realloc(void *p, size_t n)
{
	return kvrealloc(p, n, GFP_KERNEL);
}

static inline void sigil_free(const void *p)
{
	kvfree(p);
}

/* Long parses run in process context: let others in between lines. */
static inline void sigil_cond_resched(void)
{
	cond_resched();
}

#else /* !__KERNEL__ */

#include <assert.h>	/* static_assert */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>	/* vsnprintf only: no I/O happens in policy/ */
#include <stdlib.h>
#include <string.h>

typedef __UINT8_TYPE__ u8;
typedef __UINT16_TYPE__ u16;
typedef __UINT32_TYPE__ u32;
typedef __UINT64_TYPE__ u64;
typedef __INT32_TYPE__ s32;

#ifndef EBADMSG
#define EBADMSG 74
#endif

static inline void *sigil_alloc(size_t n)
{
	return malloc(n ? n : 1);
}

static inline void *sigil_zalloc(size_t n)
{
	return calloc(1, n ? n : 1);
}

static inline void *sigil_realloc(void *p, size_t n)
{
	return realloc(p, n ? n : 1);
}

static inline void sigil_free(const void *p)
{
	free((void *)p);
}

static inline void sigil_cond_resched(void)
{
}

#define __sigil_format(a, b)	__format__(__printf__, a, b)
#define __printf(a, b)		__attribute__((__sigil_format(a, b)))
#define fallthrough	__attribute__((__fallthrough__))
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))

/* The kernel's hex_to_bin(): a hex digit's value, or -1. */
static inline int hex_to_bin(unsigned char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	ch |= 0x20;	/* lower case */
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	return -1;
}

#endif /* __KERNEL__ */

#endif /* _SIGIL_COMPAT_H */
