// SPDX-License-Identifier: GPL-2.0-only
/*
 * sigil LSM registration: identity, blob sizes and the hook sets.
 */

#include "sigil.h"
#include "eval.h"
#include "cache.h"
#include "keyring.h"
#include "dmverity.h"
#include "lifecycle.h"

#include <linux/init.h>
#include <linux/moduleparam.h>
#include <uapi/linux/lsm.h>

const struct lsm_id sigil_lsmid = {
	.name = "sigil",
	.id = LSM_ID_SIGIL,
};

struct lsm_blob_sizes sigil_blob_sizes __ro_after_init = {
	.lbs_superblock = sizeof(struct sigil_superblock),
	.lbs_inode = sizeof(struct sigil_inode),
	.lbs_file = sizeof(struct sigil_file),
	.lbs_task = sizeof(struct sigil_task),
	.lbs_bdev = IS_ENABLED(CONFIG_DM_VERITY) ? sizeof(struct sigil_bdev) : 0,
};

bool sigil_enabled __ro_after_init;

/* sigil.enforce=0 on the command line starts in permissive mode. */
bool sigil_enforce = true;
module_param_named(enforce, sigil_enforce, bool, 0400);
MODULE_PARM_DESC(enforce, "Start in enforce (1) or permissive (0) mode");

bool sigil_success_audit;
module_param_named(success_audit, sigil_success_audit, bool, 0400);
MODULE_PARM_DESC(success_audit, "Log allowed decisions too");

static int __init sigil_init(void)
{
	sigil_add_event_hooks();
	sigil_add_cache_hooks();
	sigil_add_keyring_hooks();
	sigil_add_dmverity_hooks();
	sigil_boot_policy_init();
	sigil_enabled = true;
	pr_info("initialized in %s mode\n",
		sigil_enforce ? "enforce" : "permissive");
	return 0;
}

DEFINE_LSM(sigil) = {
	.name = "sigil",
	.init = sigil_init,
	.blobs = &sigil_blob_sizes,
};
