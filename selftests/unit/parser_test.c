// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests for the policy parser: one table row per policy, each
 * with the errno, line and message that sigil must give it.
 */

#include <errno.h>
#include <string.h>

#include "policy.h"
#include "case.h"

/* A build that evaluates only these: it must refuse every other property. */
#define MINIMAL_PROPS (SIGIL_PROP_BIT(SIGIL_PROP_BOOT_VERIFIED) | \
		      SIGIL_PROP_BIT(SIGIL_PROP_FSVERITY_DIGEST))

/* CONFIG_DM_VERITY without CONFIG_DM_VERITY_VERIFY_ROOTHASH_SIG. */
#define NO_DMV_SIG_PROPS (SIGIL_PROPS_PARSEABLE & \
			  ~SIGIL_PROP_BIT(SIGIL_PROP_DMVERITY_SIGNATURE))

#define HDR "policy_name=t policy_version=0.0.0\n"
#define D64 "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"

struct parse_case {
	const char *desc;
	const char *text;
	size_t len;		/* 0: strlen(text) */
	u32 props;		/* 0: every parseable property */
	int err;
	u32 line;		/* checked when err != 0 */
	u32 col;		/* checked when non-zero */
	const char *msg;	/* substring of the message, when err != 0 */
};

#define IPE "IPE KUnit: "
#define IPEDOC "IPE doc: "

static const struct parse_case cases[] = {
	/* ---- security/ipe/policy_tests.c (Linux 6.12), same inputs ---- */
	{ IPE "basic",
	  "policy_name=allowall policy_version=0.0.0\nDEFAULT action=ALLOW" },
	{ IPE "trailing comment",
	  "policy_name=trailing_comment policy_version=152.0.0 #This is comment\n"
	  "DEFAULT action=ALLOW" },
	{ IPE "trailing newline",
	  "policy_name=allowallnewline policy_version=0.2.0\nDEFAULT action=ALLOW\n\n" },
	{ IPE "crlf newline",
	  "policy_name=carriagereturnlinefeed policy_version=0.0.1\n"
	  "DEFAULT action=ALLOW\n\r\n" },
	{ IPE "various whitespaces and nested default",
	  "policy_name=whitespace policy_version=0.0.0\n"
	  "DEFAULT\taction=ALLOW\n"
	  "     \t     DEFAULT \t    op=EXECUTE      action=DENY\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
	  "# this is a\tcomment\t\t\t\t\n"
	  "DEFAULT \t op=KMODULE\t\t\t  action=DENY\r\n"
	  "op=KMODULE boot_verified=TRUE action=ALLOW\n" },
	{ IPE "negative version",
	  "policy_name=boot_verified policy_version=-1236.0.0\nDEFAULT\taction=ALLOW\n",
	  0, 0, -EINVAL, 1, 27, "decimal number" },
	{ IPE "special characters",
	  "policy_name=$@!*&^%%\\:;{}() policy_version=0.0.0\nDEFAULT action=ALLOW" },
	{ IPE "overflow version",
	  "policy_name=test policy_version=999999.0.0\nDEFAULT action=ALLOW",
	  0, 0, -ERANGE, 1, 18, "at most 65535" },
	{ IPE "incomplete version",
	  "policy_name=test policy_version=255.0\nDEFAULT action=ALLOW",
	  0, 0, -EBADMSG, 1, 18, "three components" },
	{ IPE "extra version",
	  "policy_name=test policy_version=111.0.0.0\nDEFAULT action=ALLOW",
	  0, 0, -EBADMSG, 1, 18, "more than three" },
	{ IPE "0-length policy", "", 0, 0, -EBADMSG, 1, 0, "policy is empty" },
	/*
	 * IPE's test passes strlen(), so a NUL ends the policy early.  sigil
	 * gets the full length and refuses the NUL: text after it would be
	 * signed but silently ignored.
	 */
	{ IPE "random null in header",
	  "policy_name=test\0policy_version=0.0.0\nDEFAULT action=ALLOW", 58,
	  0, -EBADMSG, 1, 17, "NUL byte" },
	{ IPE "incomplete policy from NULL",
	  "policy_name=test policy_version=0.0.0\n\0DEFAULT action=ALLOW", 59,
	  0, -EBADMSG, 2, 1, "NUL byte" },
	{ IPE "NULL truncates policy (sigil refuses the NUL)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=DENY\n\0"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n", 107,
	  0, -EBADMSG, 3, 1, "NUL byte" },
	{ IPE "invalid property type",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=abc action=ALLOW",
	  0, 0, -EBADMSG, 3, 31, "takes TRUE or FALSE, got 'abc'" },
	{ IPE "missing policy header", "DEFAULT action=ALLOW",
	  0, 0, -EBADMSG, 1, 1, "expected the header" },
	{ IPE "missing default definition", "policy_name=test policy_version=0.0.0\n",
	  0, 0, -EBADMSG, 1, 0, "op=EXECUTE has no DEFAULT" },
	{ IPE "invalid rule ordering",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "dmverity_signature=TRUE op=EXECUTE action=ALLOW",
	  0, 0, -EBADMSG, 3, 1, "a rule starts with op=" },
	{ IPE "invalid rule ordering (2)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "action=ALLOW op=EXECUTE dmverity_signature=TRUE",
	  0, 0, -EBADMSG, 3, 1, "got 'action=ALLOW'" },
	{ IPE "invalid version",
	  "policy_name=test policy_version=0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW",
	  0, 0, -EBADMSG, 1, 18, "three components" },
	{ IPE "unknown operation",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=UNKNOWN dmverity_signature=TRUE action=ALLOW",
	  0, 0, -EBADMSG, 3, 1, "unknown operation 'op=UNKNOWN'" },
	{ IPE "missing space after policy name",
	  "policy_name=asdvpolicy_version=0.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 37, "no policy_version=" },
	{ IPE "expanded ascii",
	  "policy_name=test\xFF\xEF policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW" },
	{ IPE "invalid property value (2)",
	  "policy_name=test\xFF\xEF policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_roothash=GOOD_DOG action=ALLOW",
	  0, 0, -EBADMSG, 3, 30, "ALGORITHM:HEX" },
	{ IPE "double header",
	  "policy_name=test policy_version=0.0.0\n"
	  "policy_name=test policy_version=0.1.0\nDEFAULT action=ALLOW",
	  0, 0, -EBADMSG, 2, 1, "exactly one header" },
	{ IPE "double default",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "DEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 0, "second global DEFAULT (the first is on line 2)" },
	{ IPE "double operation default",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "DEFAULT op=EXECUTE action=DENY\nDEFAULT op=EXECUTE action=ALLOW\n",
	  0, 0, -EBADMSG, 4, 0, "second DEFAULT for op=EXECUTE (the first is on line 3)" },
	{ IPE "invalid action value",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "DEFAULT op=EXECUTE action=DEN\n",
	  0, 0, -EBADMSG, 3, 20, "unknown action 'action=DEN'" },
	{ IPE "invalid action value (2)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "DEFAULT op=EXECUTE action\n",
	  0, 0, -EBADMSG, 3, 20, "a rule ends with action=" },
	{ IPE "unrecognized statement",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "UNKNOWN value=true\n",
	  0, 0, -EBADMSG, 3, 1, "a rule starts with op=" },
	{ IPE "old-style digest (dmverity_roothash)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE dmverity_roothash=1c0d7ee1f8343b7fbe418378e8eb22c061d7dec7 action=DENY\n",
	  0, 0, -EBADMSG, 3, 30, "ALGORITHM:HEX" },
	{ IPE "old-style digest (fsverity_digest)",
	  "policy_name=test policy_version=0.0.0\nDEFAULT action=ALLOW\n"
	  "op=EXECUTE fsverity_digest=1c0d7ee1f8343b7fbe418378e8eb22c061d7dec7 action=DENY\n",
	  0, 0, -EBADMSG, 3, 28, "ALGORITHM:HEX" },
	{ IPE "wide-string policy",
	  "p\0o\0l\0i\0c\0y\0_\0n\0a\0m\0e\0=\0T\0", 26, 0, -EBADMSG, 1, 2, "NUL byte" },

	/* ---- Documentation/admin-guide/LSM/ipe.rst (Linux 6.12) ---- */
	{ IPEDOC "Allow_All",
	  "policy_name=Allow_All policy_version=0.0.0\nDEFAULT action=ALLOW\n" },
	{ IPEDOC "Allow_Initramfs",
	  "policy_name=Allow_Initramfs policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n" },
	{ IPEDOC "Allow_Signed_DMV_And_Initramfs",
	  "policy_name=Allow_Signed_DMV_And_Initramfs policy_version=0.0.0\n"
	  "DEFAULT action=DENY\n\nop=EXECUTE boot_verified=TRUE action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n" },
	{ IPEDOC "Deny_DMV_By_Roothash",
	  "policy_name=Deny_DMV_By_Roothash policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE dmverity_roothash=sha256:cd2c5bae7c6c579edaae4353049d58eb5f2e8be0244bf05345bc8e5ed257baff action=DENY\n\n"
	  "op=EXECUTE boot_verified=TRUE action=ALLOW\n"
	  "op=EXECUTE dmverity_signature=TRUE action=ALLOW\n" },
	/* The documented exception: a 28-byte "sha256" digest never matches. */
	{ IPEDOC "Allow_DMV_By_Roothash (short sha256 digest refused)",
	  "policy_name=Allow_DMV_By_Roothash policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE dmverity_roothash=sha256:401fcec5944823ae12f62726e8184407a5fa9599783f030dec146938 action=ALLOW\n",
	  0, 0, -EBADMSG, 4, 37, "a sha256 digest is 64 hex digits, got 56" },
	{ IPEDOC "Allow_Signed_And_Validated_FSVerity",
	  "policy_name=Allow_Signed_And_Validated_FSVerity policy_version=0.0.0\n"
	  "DEFAULT action=DENY\n\nop=EXECUTE fsverity_signature=TRUE action=ALLOW\n" },
	{ IPEDOC "ALLOW_FSV_By_Digest",
	  "policy_name=ALLOW_FSV_By_Digest policy_version=0.0.0\nDEFAULT action=DENY\n\n"
	  "op=EXECUTE fsverity_digest=sha256:" D64 " action=ALLOW\n" },
	{ IPEDOC "Ex_Policy header with per-op defaults",
	  "policy_name=Ex_Policy policy_version=0.0.0\n"
	  "# Global\nDEFAULT action=ALLOW\n\n# Operation Specific\n"
	  "DEFAULT op=EXECUTE action=ALLOW\n" },

	/* ---- sigil: valid policies ---- */
	{ "all seven operations with their own DEFAULTs",
	  HDR "DEFAULT op=EXECUTE action=DENY\nDEFAULT op=FIRMWARE action=ALLOW\n"
	  "DEFAULT op=KMODULE action=ALLOW\nDEFAULT op=KEXEC_IMAGE action=DENY\n"
	  "DEFAULT op=KEXEC_INITRAMFS action=DENY\nDEFAULT op=POLICY action=ALLOW\n"
	  "DEFAULT op=X509_CERT action=ALLOW\n" },
	{ "rule without properties", HDR "DEFAULT action=DENY\nop=EXECUTE action=ALLOW\n" },
	{ "upper-case hex and sha512",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha512:"
	  "FD88F2B8824E197F850BF4C5109BEA5CF0EE38104F710843BB72DA796BA5AF9E"
	  "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e action=ALLOW\n" },
	{ "version with leading plus and zeros, as kstrtou16 takes it",
	  "policy_name=p policy_version=+1.007.65535\nDEFAULT action=ALLOW\n" },
	{ "only comments and blank lines around the header",
	  "# leading comment\n\n   \t\n" HDR "# c\nDEFAULT action=ALLOW # trailing\n" },
	{ "lone CR separates lines", "policy_name=t policy_version=1.2.3\rDEFAULT action=ALLOW\r" },
	{ "minimal build: boot_verified and fsverity_digest",
	  HDR "DEFAULT action=DENY\nop=EXECUTE boot_verified=TRUE action=ALLOW\n"
	  "op=EXECUTE fsverity_digest=sha256:" D64 " action=ALLOW\n", 0, MINIMAL_PROPS },

	/* ---- sigil: malformed policies ---- */
	{ "minimal build: fsverity_signature not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_signature=TRUE action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12,
	  "property 'fsverity_signature' is not supported by this build" },
	{ "minimal build: dmverity_roothash not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" D64 " action=DENY\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "not supported by this build" },
	{ "dm-verity without signatures: dmverity_roothash supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" D64 " action=ALLOW\n",
	  0, NO_DMV_SIG_PROPS },
	{ "dm-verity without signatures: dmverity_signature=FALSE not supported either",
	  HDR "DEFAULT action=DENY\nop=EXECUTE dmverity_roothash=sha256:" D64
	  " dmverity_signature=FALSE action=ALLOW\n",
	  0, NO_DMV_SIG_PROPS, -EOPNOTSUPP, 3, 102,
	  "property 'dmverity_signature' is not supported by this build" },
	{ "minimal build: ima_signature not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE ima_signature=TRUE action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "'ima_signature' is not supported" },
	{ "minimal build: pgp_signature not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE pgp_signature=TRUE action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "'pgp_signature' is not supported" },
	{ "signer= with a 0x key ID, as DESIGN.md writes it",
	  HDR "DEFAULT action=DENY\nop=EXECUTE ima_signature=TRUE signer=0x9A3C5F01E2D4B678 action=ALLOW\n" },
	{ "signer= with a fingerprint, before its signature property",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=824A14CE6A04B1B3D224FA766851A2E4A9934371 "
	  "pgp_signature=TRUE action=ALLOW\n" },
	{ "signer= too short", HDR "DEFAULT action=DENY\nop=EXECUTE signer=0x12345678 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "signer takes a key ID (16 hex digits)" },
	{ "signer= odd length", HDR "DEFAULT action=DENY\nop=EXECUTE signer=123456789012345678901 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 19, "got 21 digits" },
	{ "signer= not hex", HDR "DEFAULT action=DENY\nop=EXECUTE signer=9A3C5F01E2D4B67G action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 34, "'G' is not a hex digit" },
	{ "anonymous and program properties",
	  HDR "DEFAULT action=DENY\nop=EXECUTE anonymous=TRUE program_signer=0x9A3C5F01E2D4B678 action=ALLOW\n"
	  "op=EXECUTE anonymous=TRUE program_fsverity_digest=sha256:" D64 " action=ALLOW\n" },
	{ "anonymous takes TRUE or FALSE", HDR "DEFAULT action=DENY\nop=EXECUTE anonymous=YES action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 22, "anonymous takes TRUE or FALSE, got 'YES'" },
	{ "program_signer= too short, named in the message",
	  HDR "DEFAULT action=DENY\nop=EXECUTE anonymous=TRUE program_signer=0x1234 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 44, "program_signer takes a key ID (16 hex digits)" },
	{ "program_fsverity_digest= takes fs-verity's algorithms",
	  HDR "DEFAULT action=DENY\nop=EXECUTE program_fsverity_digest=sha384:" D64 D64 " action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 36, "program_fsverity_digest: unknown hash algorithm 'sha384'" },
	{ "minimal build: anonymous not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE anonymous=TRUE action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "'anonymous' is not supported" },
	{ "minimal build: signer not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE signer=0x9A3C5F01E2D4B678 action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "'signer' is not supported" },
	{ "unknown property", HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digst=sha256:00 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 12, "unknown property 'fsverity_digst'" },
	{ "misspelled hash algorithm",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha265:" D64 " action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 28, "unknown hash algorithm 'sha265' (expected one of: sha256 sha512)" },
	{ "algorithm fs-verity does not use",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha384:" D64 D64 " action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 28, "unknown hash algorithm 'sha384'" },
	{ "digest one hex digit short",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha256:"
	  "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 35, "a sha256 digest is 64 hex digits, got 63" },
	{ "digest with a non-hex digit",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha256:"
	  "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9g action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 98, "'g' is not a hex digit" },
	{ "digest too long",
	  HDR "DEFAULT action=DENY\nop=EXECUTE fsverity_digest=sha256:" D64 "00 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 35, "64 hex digits, got 66" },
	{ "boolean in lower case", HDR "DEFAULT action=DENY\nop=EXECUTE boot_verified=true action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 26, "boot_verified takes TRUE or FALSE, got 'true'" },
	{ "DEFAULT with a property",
	  HDR "DEFAULT op=EXECUTE boot_verified=TRUE action=ALLOW\nDEFAULT action=DENY\n",
	  0, 0, -EBADMSG, 2, 20, "DEFAULT takes only op= and action=" },
	{ "op= twice", HDR "DEFAULT action=DENY\nop=EXECUTE op=KMODULE action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 12, "op= appears twice" },
	{ "action= not last", HDR "DEFAULT action=DENY\nop=EXECUTE action=ALLOW boot_verified=TRUE\n",
	  0, 0, -EBADMSG, 3, 12, "action= must be the last token" },
	{ "rule without op=", HDR "DEFAULT action=DENY\naction=ALLOW\n",
	  0, 0, -EBADMSG, 3, 1, "rule has no op=" },
	{ "operation in lower case", HDR "DEFAULT action=DENY\nop=execute action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 1, "unknown operation 'op=execute'" },
	{ "token without '='", HDR "DEFAULT action=DENY\nop=EXECUTE signed action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 12, "expected property=value, got 'signed'" },
	{ "missing per-operation DEFAULT", HDR "DEFAULT op=EXECUTE action=DENY\n",
	  0, 0, -EBADMSG, 2, 0, "op=FIRMWARE has no DEFAULT" },
	{ "header only", HDR, 0, 0, -EBADMSG, 1, 0, "no global DEFAULT" },
	{ "header with an extra token", "policy_name=a policy_version=1.0.0 extra\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 36, "unexpected 'extra' after policy_version" },
	{ "header in the wrong order", "policy_version=1.0.0 policy_name=a\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 1, "expected the header" },
	{ "empty policy_name", "policy_name= policy_version=1.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 1, "policy_name is empty" },
	{ "policy_name with a slash", "policy_name=a/b policy_version=1.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 14, "policy_name contains '/'" },
	{ "policy_name '..'", "policy_name=.. policy_version=1.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 1, "cannot be '.' or '..'" },
	{ "policy_name with a control character",
	  "policy_name=a\x01z policy_version=1.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 14, "control character" },
	{ "empty version component", "policy_name=a policy_version=1..0\nDEFAULT action=ALLOW\n",
	  0, 0, -EINVAL, 1, 15, "decimal number" },
	{ "version with trailing garbage", "policy_name=a policy_version=70000x.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -EINVAL, 1, 15, "decimal number" },
	{ "trailing 0xa0 is stripped, as the kernel's isspace() does for IPE",
	  HDR "DEFAULT action=ALLOW\xa0\xa0\n" },
	{ "empty policy_version (IPE: no match for policy_version=%s)",
	  "policy_name=a policy_version=\nDEFAULT action=ALLOW\n",
	  0, 0, -EBADMSG, 1, 15, "policy_version is empty" },
	{ "u64 overflow before trailing garbage is ERANGE, as in kstrtou16",
	  "policy_name=a policy_version=99999999999999999999x.0.0\nDEFAULT action=ALLOW\n",
	  0, 0, -ERANGE, 1, 15, "at most 65535" },
	{ "line number after CR LF endings",
	  HDR "DEFAULT action=DENY\r\n\r\n# c\r\nop=EXECUTE boot_verified=maybe action=ALLOW\r\n",
	  0, 0, -EBADMSG, 5, 26, "got 'maybe'" },
	{ "NUL inside a comment", HDR "DEFAULT action=DENY # a\0b\n", 62,
	  0, -EBADMSG, 2, 24, "NUL byte" },
	/* ---- manifest= ---- */
	{ "manifest=NAME, manifest=ANY, manifest=NAME@MIN",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=base action=ALLOW\n"
	  "op=EXECUTE manifest=ANY action=ALLOW\n"
	  "op=KMODULE manifest=base-1.x_y+z:w@1.2.65535 action=ALLOW\n" },
	{ "manifest= empty", HDR "DEFAULT action=DENY\nop=EXECUTE manifest= action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "manifest takes NAME, ANY or NAME@MAJOR.MINOR.PATCH, got ''" },
	{ "manifest=@1.0.0: no name", HDR "DEFAULT action=DENY\nop=EXECUTE manifest=@1.0.0 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "manifest takes NAME" },
	{ "manifest=ANY@1.0.0 refused",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=ANY@1.0.0 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "manifest=ANY takes no minimum version, got 'ANY@1.0.0'" },
	{ "manifest= name with a slash",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=a/b action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "'a/b' is not a manifest name" },
	{ "manifest= name '..'",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=..@1.0.0 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 21, "'..' is not a manifest name" },
	{ "manifest= name of 256 bytes",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=" D64 D64 D64 D64 "x action=ALLOW\n",
	  0, 0, -ENAMETOOLONG, 3, 21, "is 257 bytes long; the limit is 255" },
	{ "manifest= minimum version with two components",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=base@1.2 action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 26, "manifest minimum version '1.2' must have three components" },
	{ "manifest= minimum version not a number",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=base@1.x.0 action=ALLOW\n",
	  0, 0, -EINVAL, 3, 26, "'1.x.0': each component must be a decimal number" },
	{ "manifest= minimum version too big",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=base@1.65536.0 action=ALLOW\n",
	  0, 0, -ERANGE, 3, 26, "'1.65536.0': each component must be at most 65535" },
	{ "manifest= empty minimum version",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=base@ action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 26, "manifest minimum version is empty" },
	{ "minimal build: manifest not supported",
	  HDR "DEFAULT action=DENY\nop=EXECUTE manifest=ANY action=ALLOW\n",
	  0, MINIMAL_PROPS, -EOPNOTSUPP, 3, 12, "'manifest' is not supported" },
	{ "long token is shortened in the message",
	  HDR "DEFAULT action=DENY\nop=EXECUTE " D64 D64 " action=ALLOW\n",
	  0, 0, -EBADMSG, 3, 12, "..." },
};

static void run_case(const struct parse_case *c)
{
	struct sigil_parse_opts opts = {
		.props = c->props ? c->props : SIGIL_PROPS_PARSEABLE,
	};
	size_t len = c->len ? c->len : strlen(c->text);
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	int rc;

	case_begin();
	rc = sigil_policy_parse(c->text, len, &opts, &pol, &err);
	case_check(rc == c->err, "rc %d, want %d (%s)", rc, c->err, err.msg);
	case_check(err.err == rc, "err.err %d, rc %d", err.err, rc);
	if (c->err) {
		case_check(!pol, "policy returned on error");
		case_check(err.line == c->line, "line %u, want %u (%s)", err.line,
			  c->line, err.msg);
		if (c->col)
			case_check(err.col == c->col, "column %u, want %u (%s)",
				  err.col, c->col, err.msg);
		case_check(strstr(err.msg, c->msg), "message '%s' lacks '%s'",
			  err.msg, c->msg);
		case_check(err.msg[0], "empty message");
	} else {
		case_check(pol, "no policy");
	}
	sigil_policy_free(pol);
	case_end("- parse: %s", c->desc);
}

/* Checks on the parsed structure, beyond accept/refuse. */
static void test_structure(void)
{
	static const char text[] =
		"policy_name=shape policy_version=1.2.3\n"
		"DEFAULT action=DENY\n"
		"op=KMODULE action=ALLOW\n"
		"  op=EXECUTE boot_verified=TRUE fsverity_digest=sha256:" D64 " action=ALLOW   # c\n"
		"DEFAULT op=KMODULE action=DENY\n"
		"op=EXECUTE boot_verified=FALSE action=DENY\n";
	struct sigil_parse_opts opts = { SIGIL_PROPS_PARSEABLE };
	const struct sigil_rule *r;
	struct sigil_parse_error err;
	struct sigil_policy *pol;

	case_begin();
	case_check(!sigil_policy_parse(text, sizeof(text) - 1, &opts, &pol, &err),
		  "%s", err.msg);
	if (!pol) {
		case_end("- structure: parse");
		return;
	}
	case_check(!strcmp(pol->name, "shape"), "name %s", pol->name);
	case_check(sigil_policy_version(pol) == (1ull << 32 | 2 << 16 | 3),
		  "version");
	case_check(pol->nrules == 3 && pol->nprops == 3 && pol->nvalues == 32,
		  "counts %u %u %u", pol->nrules, pol->nprops, pol->nvalues);
	case_check(pol->ops[SIGIL_OP_EXECUTE].count == 2 &&
		  pol->ops[SIGIL_OP_KMODULE].count == 1, "grouping");
	r = &pol->rules[pol->ops[SIGIL_OP_EXECUTE].first];
	case_check(r->src.line == 4 && r->nprops == 2 &&
		  r->action == SIGIL_ACTION_ALLOW, "first EXECUTE rule");
	case_check(r->src.len == strlen("op=EXECUTE boot_verified=TRUE fsverity_digest=sha256:" D64
					 " action=ALLOW") &&
		  !memcmp(text + r->src.off, "op=EXECUTE boot", 15),
		  "rule source span");
	case_check(r[1].src.line == 6, "policy order within EXECUTE");
	case_check(pol->values[0] == 0xfd && pol->values[31] == 0x9e, "digest bytes");
	case_check(pol->global_default == SIGIL_ACTION_DENY &&
		  pol->global_default_src.line == 2, "global default");
	case_check(pol->ops[SIGIL_OP_KMODULE].default_action == SIGIL_ACTION_DENY &&
		  pol->ops[SIGIL_OP_KMODULE].default_src.line == 5, "KMODULE default");
	case_check(pol->mem_bytes >= sizeof(*pol) + 3 * sizeof(struct sigil_rule),
		  "memory accounted");
	sigil_policy_free(pol);
	case_end("- structure: rules grouped by operation, sources and values kept");
}

/* manifest=: the minimum version as a u64, then the name; none for ANY. */
static void test_manifest_values(void)
{
	static const char text[] = HDR "DEFAULT action=DENY\n"
		"op=EXECUTE manifest=base@1.2.3 action=ALLOW\n"
		"op=EXECUTE manifest=ANY action=ALLOW\n"
		"op=EXECUTE manifest=x action=ALLOW\n";
	struct sigil_parse_opts opts = { SIGIL_PROPS_PARSEABLE };
	const struct sigil_prop *pr;
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	u64 v;

	case_begin();
	case_check(!sigil_policy_parse(text, sizeof(text) - 1, &opts, &pol, &err),
		  "%s", err.msg);
	if (pol && pol->nprops == 3) {
		pr = pol->props;
		memcpy(&v, pol->values + pr[0].off, sizeof(v));
		case_check(pr[0].type == SIGIL_PROP_MANIFEST && pr[0].value == 1 &&
			  pr[0].size == 4 && v == (1ull << 32 | 2 << 16 | 3) &&
			  !memcmp(pol->values + pr[0].off + 8, "base", 4),
			  "base@1.2.3: value %u size %u version %#llx", pr[0].value,
			  pr[0].size, (unsigned long long)v);
		memcpy(&v, pol->values + pr[1].off, sizeof(v));
		case_check(pr[1].value == 0 && pr[1].size == 0 && v == 0, "ANY");
		memcpy(&v, pol->values + pr[2].off, sizeof(v));
		case_check(pr[2].value == 0 && pr[2].size == 1 && v == 0 &&
			  pol->values[pr[2].off + 8] == 'x', "x");
		case_check(pol->nvalues == 8 + 4 + 8 + 8 + 1, "nvalues %u", pol->nvalues);
		case_check(pol->props_used == SIGIL_PROP_BIT(SIGIL_PROP_MANIFEST),
			  "props_used %#x", pol->props_used);
	} else {
		case_check(0, "three properties expected");
	}
	sigil_policy_free(pol);
	case_end("- parse: manifest= values: minimum version, then the name");
}

static void test_error_format(void)
{
	struct sigil_parse_opts opts = { SIGIL_PROPS_PARSEABLE };
	static const char text[] = HDR "DEFAULT action=DENY\nop=EXECUTE bogus=1 action=ALLOW\n";
	struct sigil_parse_error err;
	struct sigil_policy *pol;
	char buf[300];

	case_begin();
	sigil_policy_parse(text, sizeof(text) - 1, &opts, &pol, &err);
	sigil_parse_error_format(&err, buf, sizeof(buf));
	case_check(!strcmp(buf, "line 3, column 12: unknown property 'bogus'"),
		  "got '%s'", buf);
	case_end("- parse: error renders as 'line L, column C: message'");
}

int main(void)
{
	size_t i;

	ksft_print_header();
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		run_case(&cases[i]);
	test_structure();
	test_manifest_values();
	test_error_format();
	cases_done();
}
