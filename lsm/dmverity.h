/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * dm-verity facts (dmverity.c, built with CONFIG_DM_VERITY): what the
 * device-mapper told the bdev_setintegrity hook about a block device.
 */
#ifndef _SIGIL_DMVERITY_H
#define _SIGIL_DMVERITY_H

#include "policy.h"

/* What a file's volume came to, for the log. */
enum sigil_dmv_state {
	SIGIL_DMV_NOT_LOOKED,	/* no rule asked */
	SIGIL_DMV_NONE,		/* not on a dm-verity volume */
	SIGIL_DMV_UNSIGNED,	/* on one whose root hash had no signature */
	SIGIL_DMV_SIGNED,	/* on one whose root hash signature verified */
};

/**
 * struct sigil_dmverity_stats - what status reports about dm-verity
 * @bdev_bytes: sigil's part of every block device's security blob
 * @volumes: dm-verity devices that reported a root hash
 * @bytes: kernel memory of what they reported
 */
struct sigil_dmverity_stats {
	size_t bdev_bytes;
	unsigned long volumes;
	size_t bytes;
};

/*
 * The dm-verity properties this kernel can evaluate: the conditions are
 * IPE's (CONFIG_IPE_PROP_DM_VERITY and _SIGNATURE).
 */
static inline u32 sigil_dmverity_props(void)
{
	u32 props = 0;

	if (IS_ENABLED(CONFIG_DM_VERITY))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_ROOTHASH);
	if (IS_ENABLED(CONFIG_DM_VERITY) &&
	    IS_ENABLED(CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG))
		props |= SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE);
	return props;
}

#if IS_ENABLED(CONFIG_DM_VERITY)
void __init sigil_add_dmverity_hooks(void);
u8 sigil_dmverity_facts(const struct inode *inode, struct sigil_facts *facts);
void sigil_dmverity_stats(struct sigil_dmverity_stats *st);
#else
static inline void sigil_add_dmverity_hooks(void)
{
}

static inline u8 sigil_dmverity_facts(const struct inode *inode,
				      struct sigil_facts *facts)
{
	return SIGIL_DMV_NONE;	/* the parser refuses the properties */
}

static inline void sigil_dmverity_stats(struct sigil_dmverity_stats *st)
{
	memset(st, 0, sizeof(*st));
}
#endif

#endif /* _SIGIL_DMVERITY_H */
