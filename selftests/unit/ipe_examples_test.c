// SPDX-License-Identifier: GPL-2.0-only
/*
 * Host unit tests: every policy of IPE's documentation
 * (selftests/fixtures/ipe-examples) is the text of the kernel tree's
 * ipe.rst, parses, and decides each event as IPE's documentation says.
 *
 * Arguments: PGP_FIXTURES SIG_FIXTURES IPE_EXAMPLES_DIR KERNEL_SOURCE_DIR
 * (the first two are those of every host test, unused here).
 */

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "policy.h"
#include "case.h"

/* A file, or no file at all, as IPE's documentation describes them. */
struct file_model {
	bool boot;		/* on the initramfs */
	const char *fsv;	/* fs-verity digest "ALG:HEX", NULL: no fs-verity */
	bool fsv_sig;		/* fs-verity builtin signature that verified */
	const char *dmv;	/* root hash "ALG:HEX" of its dm-verity volume */
	bool dmv_sig;		/* that root hash's signature verified */
};

/* Anonymous memory and kernel_load_data buffers: every property is FALSE. */
#define NO_FILE		{ 0 }
#define DISK		{ 0 }
#define BOOT		{ .boot = true }

struct event {
	const char *desc;
	unsigned int op;
	struct file_model file;
	int action;
	int match;
	u32 line;		/* of the deciding statement in the file */
};

#define MAX_EVENTS	16

struct example {
	const char *file;
	const char *name;	/* policy_name, when it loads */
	int err;		/* 0: IPE loads it and so does sigil */
	u32 line;
	u32 col;
	const char *msg;
	struct event events[MAX_EVENTS];
};

#define EX SIGIL_OP_EXECUTE
#define FW SIGIL_OP_FIRMWARE
#define KM SIGIL_OP_KMODULE
#define KI SIGIL_OP_KEXEC_IMAGE
#define KR SIGIL_OP_KEXEC_INITRAMFS
#define PO SIGIL_OP_POLICY
#define XC SIGIL_OP_X509_CERT
#define A SIGIL_ACTION_ALLOW
#define D SIGIL_ACTION_DENY
#define RULE SIGIL_MATCH_RULE
#define OPDEF SIGIL_MATCH_OP_DEFAULT
#define GLOB SIGIL_MATCH_GLOBAL_DEFAULT

/* Digests in the documentation's examples. */
#define DOC_FSV	"sha256:fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"
#define DOC_DMV_HEX "cd2c5bae7c6c579edaae4353049d58eb5f2e8be0244bf05345bc8e5ed257baff"
#define DOC_DMV "sha256:" DOC_DMV_HEX
/* Others, in no policy. */
#define OTHER_HEX "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define OTHER	"sha256:" OTHER_HEX
/* fs-verity digests of an empty file, as in prop-fsverity-digest.pol. */
#define EMPTY_FSV256 "sha256:3d248ca542a24fc62d1c43b916eae5016878e2533c88238480b26128a1f1af95"
#define EMPTY_FSV512 "sha512:ccf9e5aea1c2a64efa2f2354a6024b90dffde6bbc017825045dce374474e13d1" \
		     "0adb9dadcc6ca8e17a3c075fbd31336e8f266ae6fa93a6c3bed66f9e784e5abf"
/* Digests of the empty string, as in prop-dmverity-roothash.pol. */
#define E_BLAKE2B "786a02f742015903c6c6fd852552d272912f4740e15847618a86e217f71f5419" \
		  "d25e1031afee585313896444934eb04b903a685b1448b755d56f701afe9be2ce"
#define E_BLAKE2S "69217a3079908094e11121d042354a7c1f55b6482ca1a51e1b250dfd1ed0eef9"
#define E_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
#define E_SHA384 "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da" \
		 "274edebfe76f65fbd51ad2f14898b95b"
#define E_SHA512 "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce" \
		 "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e"
#define E_SHA3_224 "6b4e03423667dbb73b6e15454f0eb1abd4597f9a1b078e3f5b5a6bc7"
#define E_SHA3_256 "a7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a"
#define E_SHA3_384 "0c63a75b845e4f7d01107d852e4c2485c51a50aaaa94fc61995e71bbee983a2a" \
		   "c3713831264adb47fb6bd1e058d5f004"
#define E_SHA3_512 "a69f73cca23a9ac5c8b567dc185a756e97c982164fe25859e0d1dcc1475c80a6" \
		   "15b2123af1f5f94c11e3e9402c3ac558f500199d95b6d3e301758586281dcd26"
#define E_SM3 "1ab21d8355cfa17f8e61194831e81a8f22bec8c728fefb747ed035eb5082aa2b"
#define E_RMD160 "9c1185a5c5e9fc54612808977ee8f548b2258d31"

/*
 * The derived op-*.pol files: Ex_Policy's global DEFAULT action=ALLOW on
 * line 8, DEFAULT op=<op> action=DENY on line 11, and the boot_verified
 * rule for <op> on line 12.
 */
#define OP_EVENTS(op, other)							\
	{ "a file from the initramfs: the rule allows", op, BOOT, A, RULE, 12 },\
	{ "a file from disk: the operation's DEFAULT denies", op, DISK, D, OPDEF, 11 }, \
	{ "no file (a buffer): the operation's DEFAULT denies", op, NO_FILE, D, OPDEF, 11 }, \
	{ "another operation: the global DEFAULT allows", other, DISK, A, GLOB, 8 }

static const struct example examples[] = {
	/* ---- Policy Examples ---- */
	{ "allow-all.pol", "Allow_All", 0, 0, 0, NULL, {
		{ "exec of a file from disk", EX, DISK, A, GLOB, 2 },
		{ "anonymous executable memory", EX, NO_FILE, A, GLOB, 2 },
		{ "firmware from disk", FW, DISK, A, GLOB, 2 },
		{ "module from disk", KM, DISK, A, GLOB, 2 },
		{ "module from a buffer", KM, NO_FILE, A, GLOB, 2 },
		{ "kexec image from disk", KI, DISK, A, GLOB, 2 },
		{ "kexec initramfs from disk", KR, DISK, A, GLOB, 2 },
		{ "IMA policy from disk", PO, DISK, A, GLOB, 2 },
		{ "IMA certificate from disk", XC, DISK, A, GLOB, 2 },
		{ "a kernel read of no known kind", SIGIL_OP_INVALID, DISK, A, GLOB, 2 },
	} },
	{ "allow-initramfs.pol", "Allow_Initramfs", 0, 0, 0, NULL, {
		{ "exec from the initramfs", EX, BOOT, A, RULE, 4 },
		{ "exec from disk", EX, DISK, D, GLOB, 2 },
		{ "exec of a signed fs-verity file from disk", EX,
		  { .fsv = DOC_FSV, .fsv_sig = true }, D, GLOB, 2 },
		{ "exec from a signed dm-verity volume", EX,
		  { .dmv = OTHER, .dmv_sig = true }, D, GLOB, 2 },
		{ "anonymous executable memory", EX, NO_FILE, D, GLOB, 2 },
		{ "firmware from the initramfs: the rule is for EXECUTE", FW, BOOT, D, GLOB, 2 },
		{ "module from the initramfs", KM, BOOT, D, GLOB, 2 },
		{ "kexec image from the initramfs", KI, BOOT, D, GLOB, 2 },
		{ "kexec initramfs from the initramfs", KR, BOOT, D, GLOB, 2 },
		{ "IMA policy from the initramfs", PO, BOOT, D, GLOB, 2 },
		{ "IMA certificate from the initramfs", XC, BOOT, D, GLOB, 2 },
	} },
	{ "allow-signed-dmv-and-initramfs.pol", "Allow_Signed_DMV_And_Initramfs", 0, 0, 0, NULL, {
		{ "exec from the initramfs", EX, BOOT, A, RULE, 4 },
		{ "exec from a signed dm-verity volume", EX,
		  { .dmv = OTHER, .dmv_sig = true }, A, RULE, 5 },
		{ "exec from an unsigned dm-verity volume", EX, { .dmv = OTHER }, D, GLOB, 2 },
		{ "exec from disk", EX, DISK, D, GLOB, 2 },
		{ "exec of a signed fs-verity file", EX,
		  { .fsv = DOC_FSV, .fsv_sig = true }, D, GLOB, 2 },
		{ "anonymous executable memory", EX, NO_FILE, D, GLOB, 2 },
		{ "module from a signed dm-verity volume", KM,
		  { .dmv = OTHER, .dmv_sig = true }, D, GLOB, 2 },
	} },
	{ "deny-dmv-by-roothash.pol", "Deny_DMV_By_Roothash", 0, 0, 0, NULL, {
		{ "the revoked volume, signed: the revocation comes first", EX,
		  { .dmv = DOC_DMV, .dmv_sig = true }, D, RULE, 4 },
		{ "the revoked volume, unsigned", EX, { .dmv = DOC_DMV }, D, RULE, 4 },
		{ "another signed volume", EX, { .dmv = OTHER, .dmv_sig = true }, A, RULE, 7 },
		{ "same bytes as the revoked hash under sha3-256: not revoked", EX,
		  { .dmv = "sha3-256:" DOC_DMV_HEX, .dmv_sig = true }, A, RULE, 7 },
		{ "another unsigned volume", EX, { .dmv = OTHER }, D, GLOB, 2 },
		{ "exec from the initramfs", EX, BOOT, A, RULE, 6 },
		{ "exec from disk", EX, DISK, D, GLOB, 2 },
		{ "module from the revoked volume: the rules are for EXECUTE", KM,
		  { .dmv = DOC_DMV, .dmv_sig = true }, D, GLOB, 2 },
	} },
	/* The one exception (DESIGN.md section 2): IPE loads it, sigil does not. */
	{ "allow-dmv-by-roothash.pol", NULL, -EBADMSG, 4, 37,
	  "dmverity_roothash: a sha256 digest is 64 hex digits, got 56" },
	{ "allow-signed-and-validated-fsverity.pol", "Allow_Signed_And_Validated_FSVerity",
	  0, 0, 0, NULL, {
		{ "a signed fs-verity file", EX, { .fsv = OTHER, .fsv_sig = true }, A, RULE, 4 },
		{ "an fs-verity file without a signature", EX, { .fsv = OTHER }, D, GLOB, 2 },
		{ "a file without fs-verity", EX, DISK, D, GLOB, 2 },
		{ "exec from the initramfs", EX, BOOT, D, GLOB, 2 },
		{ "exec from a signed dm-verity volume", EX,
		  { .dmv = OTHER, .dmv_sig = true }, D, GLOB, 2 },
		{ "anonymous executable memory", EX, NO_FILE, D, GLOB, 2 },
		{ "a signed fs-verity module", KM, { .fsv = OTHER, .fsv_sig = true }, D, GLOB, 2 },
	} },
	{ "allow-fsv-by-digest.pol", "ALLOW_FSV_By_Digest", 0, 0, 0, NULL, {
		{ "the file with that digest", EX, { .fsv = DOC_FSV }, A, RULE, 4 },
		{ "the file with that digest, signed too", EX,
		  { .fsv = DOC_FSV, .fsv_sig = true }, A, RULE, 4 },
		{ "another digest", EX, { .fsv = OTHER }, D, GLOB, 2 },
		{ "another digest, signed", EX, { .fsv = OTHER, .fsv_sig = true }, D, GLOB, 2 },
		{ "the same bytes twice under sha512", EX,
		  { .fsv = "sha512:fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e"
			   "fd88f2b8824e197f850bf4c5109bea5cf0ee38104f710843bb72da796ba5af9e" },
		  D, GLOB, 2 },
		{ "a file without fs-verity", EX, DISK, D, GLOB, 2 },
		{ "exec from the initramfs", EX, BOOT, D, GLOB, 2 },
		{ "a module with that digest", KM, { .fsv = DOC_FSV }, D, GLOB, 2 },
	} },

	/* ---- Policy: the header and the DEFAULT statements; a minimal rule ---- */
	{ "ex-policy.pol", "Ex_Policy", 0, 0, 0, NULL, {
		{ "exec: the operation's DEFAULT", EX, DISK, A, OPDEF, 6 },
		{ "anonymous executable memory", EX, NO_FILE, A, OPDEF, 6 },
		{ "module: the global DEFAULT", KM, DISK, A, GLOB, 3 },
		{ "firmware", FW, BOOT, A, GLOB, 3 },
		{ "a kernel read of no known kind", SIGIL_OP_INVALID, DISK, A, GLOB, 3 },
	} },
	{ "minimal-rule.pol", "Minimal_Rule", 0, 0, 0, NULL, {
		{ "\"will allow any execution\": from disk", EX, DISK, A, RULE, 6 },
		{ "from the initramfs", EX, BOOT, A, RULE, 6 },
		{ "anonymous executable memory", EX, NO_FILE, A, RULE, 6 },
		{ "a module: no rule, the DEFAULT", KM, DISK, D, GLOB, 4 },
	} },

	/* ---- Properties / op, each operation in a derived policy ---- */
	{ "op-execute.pol", "Op_EXECUTE", 0, 0, 0, NULL, { OP_EVENTS(EX, KM) } },
	{ "op-firmware.pol", "Op_FIRMWARE", 0, 0, 0, NULL, { OP_EVENTS(FW, EX) } },
	{ "op-kmodule.pol", "Op_KMODULE", 0, 0, 0, NULL, { OP_EVENTS(KM, EX) } },
	{ "op-kexec-image.pol", "Op_KEXEC_IMAGE", 0, 0, 0, NULL, { OP_EVENTS(KI, KR) } },
	{ "op-kexec-initramfs.pol", "Op_KEXEC_INITRAMFS", 0, 0, 0, NULL, { OP_EVENTS(KR, KI) } },
	{ "op-policy.pol", "Op_POLICY", 0, 0, 0, NULL, { OP_EVENTS(PO, XC) } },
	{ "op-x509-cert.pol", "Op_X509_CERT", 0, 0, 0, NULL, { OP_EVENTS(XC, PO) } },

	/* ---- Properties: every value of each property's format ---- */
	{ "prop-boot-verified.pol", "Prop_Boot_Verified", 0, 0, 0, NULL, {
		{ "TRUE: from the initramfs", EX, BOOT, A, RULE, 7 },
		{ "FALSE: from disk", EX, DISK, D, RULE, 8 },
		{ "FALSE: anonymous memory", EX, NO_FILE, D, RULE, 8 },
		{ "FALSE: a signed fs-verity file", EX, { .fsv = OTHER, .fsv_sig = true }, D, RULE, 8 },
		{ "a module: no rule for it", KM, DISK, A, GLOB, 6 },
	} },
	{ "prop-dmverity-signature.pol", "Prop_Dmverity_Signature", 0, 0, 0, NULL, {
		{ "TRUE: a signed volume", EX, { .dmv = OTHER, .dmv_sig = true }, A, RULE, 7 },
		{ "FALSE: an unsigned volume", EX, { .dmv = OTHER }, D, RULE, 8 },
		{ "FALSE: not on dm-verity", EX, DISK, D, RULE, 8 },
		{ "FALSE: from the initramfs", EX, BOOT, D, RULE, 8 },
		{ "FALSE: anonymous memory", EX, NO_FILE, D, RULE, 8 },
	} },
	{ "prop-fsverity-signature.pol", "Prop_Fsverity_Signature", 0, 0, 0, NULL, {
		{ "TRUE: a signed fs-verity file", EX, { .fsv = OTHER, .fsv_sig = true }, A, RULE, 7 },
		{ "FALSE: fs-verity without a signature", EX, { .fsv = OTHER }, D, RULE, 8 },
		{ "FALSE: no fs-verity", EX, DISK, D, RULE, 8 },
		{ "FALSE: anonymous memory", EX, NO_FILE, D, RULE, 8 },
	} },
	{ "prop-fsverity-digest.pol", "Prop_Fsverity_Digest", 0, 0, 0, NULL, {
		{ "sha256", EX, { .fsv = EMPTY_FSV256 }, A, RULE, 10 },
		{ "sha512", EX, { .fsv = EMPTY_FSV512 }, A, RULE, 11 },
		{ "another digest", EX, { .fsv = OTHER }, D, GLOB, 9 },
		{ "no fs-verity", EX, DISK, D, GLOB, 9 },
	} },
	{ "prop-dmverity-roothash.pol", "Prop_Dmverity_Roothash", 0, 0, 0, NULL, {
		{ "blake2b-512", EX, { .dmv = "blake2b-512:" E_BLAKE2B }, A, RULE, 19 },
		{ "blake2s-256", EX, { .dmv = "blake2s-256:" E_BLAKE2S }, A, RULE, 20 },
		{ "sha256", EX, { .dmv = "sha256:" E_SHA256 }, A, RULE, 21 },
		{ "sha384", EX, { .dmv = "sha384:" E_SHA384 }, A, RULE, 22 },
		{ "sha512", EX, { .dmv = "sha512:" E_SHA512 }, A, RULE, 23 },
		{ "sha3-224", EX, { .dmv = "sha3-224:" E_SHA3_224 }, A, RULE, 24 },
		{ "sha3-256", EX, { .dmv = "sha3-256:" E_SHA3_256 }, A, RULE, 25 },
		{ "sha3-384", EX, { .dmv = "sha3-384:" E_SHA3_384 }, A, RULE, 26 },
		{ "sha3-512", EX, { .dmv = "sha3-512:" E_SHA3_512 }, A, RULE, 27 },
		{ "sm3", EX, { .dmv = "sm3:" E_SM3 }, A, RULE, 28 },
		{ "rmd160", EX, { .dmv = "rmd160:" E_RMD160 }, A, RULE, 29 },
		{ "sha3-256's digest labelled sha256", EX, { .dmv = "sha256:" E_SHA3_256 }, D, GLOB, 18 },
		{ "blake2s-256's digest labelled sha256", EX, { .dmv = "sha256:" E_BLAKE2S }, D, GLOB, 18 },
		{ "not on dm-verity", EX, DISK, D, GLOB, 18 },
	} },

	/*
	 * ---- security/ipe.rst, Implicit Actions: an operation and properties
	 * that IPE does not have.  IPE refuses them (EBADMSG); so does sigil.
	 */
	{ "implicit-deny.pol", NULL, -EBADMSG, 7, 12, "unknown property 'integrity_verified'" },
	{ "implicit-deny-reads.pol", NULL, -EBADMSG, 6, 12, "unknown property 'integrity_verified'" },
	{ "implicit-allow.pol", NULL, -EBADMSG, 6, 1, "unknown operation 'op=READ'" },
	{ "implicit-allow-exec.pol", NULL, -EBADMSG, 6, 12, "unknown property 'integrity_verified'" },
	{ "explicit-defaults.pol", NULL, -EBADMSG, 7, 12, "unknown property 'integrity_verified'" },
};

#define NEXAMPLES (sizeof(examples) / sizeof(examples[0]))

static const char *examples_dir, *ksrc;

/* ---- facts ---- */

struct model_facts {
	struct sigil_facts facts;
	const struct file_model *file;
};

/* "ALG:HEX" into @d; false when ALG is unknown or HEX does not fit. */
static bool parse_digest(const char *s, struct sigil_digest *d)
{
	const char *colon = strchr(s, ':');
	size_t i, n;
	unsigned int a;

	if (!colon)
		return false;
	for (a = SIGIL_HASH_NONE + 1; a < __SIGIL_HASH_MAX; a++)
		if (strlen(sigil_hash_algos[a].name) == (size_t)(colon - s) &&
		    !strncmp(sigil_hash_algos[a].name, s, colon - s))
			break;
	n = strlen(colon + 1) / 2;
	if (a == __SIGIL_HASH_MAX || n != sigil_hash_algos[a].size)
		return false;
	for (i = 0; i < n; i++)
		if (sscanf(colon + 1 + 2 * i, "%2hhx", &d->bytes[i]) != 1)
			return false;
	d->algo = (u8)a;
	d->size = (u8)n;
	return true;
}

static int fetch(struct sigil_facts *facts, enum sigil_prop_type type)
{
	struct model_facts *m = (struct model_facts *)facts;
	const struct file_model *f = m->file;

	switch (type) {
	case SIGIL_PROP_BOOT_VERIFIED:
		if (f->boot)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_FSVERITY_DIGEST:
		if (f->fsv && !parse_digest(f->fsv, &facts->fsverity_digest))
			return -EINVAL;
		return 0;
	case SIGIL_PROP_FSVERITY_SIGNATURE:
		if (f->fsv_sig)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	case SIGIL_PROP_DMVERITY_ROOTHASH:
		if (f->dmv && !parse_digest(f->dmv, &facts->dmverity_roothash))
			return -EINVAL;
		return 0;
	case SIGIL_PROP_DMVERITY_SIGNATURE:
		if (f->dmv_sig)
			facts->truths |= SIGIL_PROP_BIT(type);
		return 0;
	default:
		/* IPE's policies use no other property. */
		return -EINVAL;
	}
}

/* ---- the files against the kernel tree's text ---- */

/* One row of the README's table. */
struct readme_row {
	char file[64];
	char kind[16];
	char src;
	char lines[64];
};

static int read_readme(struct readme_row *rows, int max)
{
	size_t len;
	char *text = (char *)read_fixture(examples_dir, "README", &len);
	char *line, *save = NULL;
	int n = 0;

	if (!text)
		return -1;
	text = realloc(text, len + 1);
	text[len] = '\0';
	for (line = strtok_r(text, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		struct readme_row *r = &rows[n];

		/* Rows start in the first column; prose is indented. */
		if (line[0] != ' ' &&
		    sscanf(line, "%63s %15s %c %63s", r->file, r->kind, &r->src, r->lines) == 4 &&
		    strlen(r->file) > 4 && !strcmp(r->file + strlen(r->file) - 4, ".pol"))
			n++;
	}
	free(text);
	return n;
}

/* The lines of @text, split in place, as a malloc()ed array. */
static char **split_lines(char *text, int *nlines)
{
	char **lines = NULL;
	int n = 0;
	char *p = text, *nl;

	while (*p) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = p;
		nl = strchr(p, '\n');
		if (!nl)
			break;
		*nl = '\0';
		p = nl + 1;
	}
	*nlines = n;
	return lines;
}

/*
 * The literal block at lines @first..@last as reStructuredText renders it:
 * without the indentation common to its non-blank lines.  Appended to @out,
 * each line ending in a newline.
 */
static void append_block(char **lines, int first, int last, char *out, size_t size)
{
	size_t indent = (size_t)-1;
	int i;

	for (i = first; i <= last; i++) {
		size_t n = strspn(lines[i - 1], " ");

		if (lines[i - 1][n] && n < indent)
			indent = n;
	}
	for (i = first; i <= last; i++) {
		const char *l = lines[i - 1];

		snprintf(out + strlen(out), size - strlen(out), "%s\n",
			 strlen(l) > indent ? l + indent : "");
	}
}

static const char *doc_path(char src)
{
	if (src == 'A')
		return "Documentation/admin-guide/LSM/ipe.rst";
	if (src == 'S')
		return "Documentation/security/ipe.rst";
	return "(unknown source)";
}

static void check_source(const struct readme_row *r)
{
	const char *doc = doc_path(r->src);
	char *rst = NULL, *pol = NULL, *spec, *tok, *save = NULL;
	char want[8192] = "";
	size_t rlen, plen;
	char **lines = NULL;
	int nlines = 0;

	case_begin();
	case_check(r->src == 'A' || r->src == 'S', "unknown source '%c'", r->src);
	if (r->src == 'A' || r->src == 'S')
		rst = (char *)read_fixture(ksrc, doc, &rlen);
	pol = (char *)read_fixture(examples_dir, r->file, &plen);
	case_check(rst, "cannot read %s in %s", doc, ksrc);
	case_check(pol, "cannot read %s", r->file);
	if (!rst || !pol)
		goto out;
	rst = realloc(rst, rlen + 1);
	rst[rlen] = '\0';
	pol = realloc(pol, plen + 1);
	pol[plen] = '\0';
	lines = split_lines(rst, &nlines);

	spec = strdup(r->lines);
	for (tok = strtok_r(spec, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int first, last;

		if (sscanf(tok, "%d-%d", &first, &last) != 2)
			last = first = atoi(tok);
		case_check(first >= 1 && last >= first && last <= nlines, "bad lines '%s'", tok);
		if (first < 1 || last < first || last > nlines)
			continue;
		if (!strcmp(r->kind, "verbatim") || !strcmp(r->kind, "wrapped")) {
			append_block(lines, first, last, want, sizeof(want));
			continue;
		}
		/* expanded, derived: the file quotes each source line. */
		for (; first <= last; first++) {
			const char *l = lines[first - 1] + strspn(lines[first - 1], " ");

			case_check(!*l || strstr(pol, l), "%s does not quote line %d: '%s'",
				  r->file, first, l);
		}
	}
	free(spec);

	if (!strcmp(r->kind, "verbatim")) {
		case_check(!strcmp(pol, want), "%s is not lines %s of %s:\n%s", r->file,
			  r->lines, doc, want);
	} else if (!strcmp(r->kind, "wrapped")) {
		size_t wl = strlen(want);

		case_check(plen > wl && !strcmp(pol + plen - wl, want) && pol[plen - wl - 1] == '\n',
			  "%s does not end with lines %s of %s:\n%s", r->file, r->lines,
			  doc, want);
	} else {
		case_check(!strcmp(r->kind, "expanded") || !strcmp(r->kind, "derived"),
			  "unknown kind '%s'", r->kind);
	}
out:
	free(lines);
	free(rst);
	free(pol);
	case_end("- source: %s is %s from %s, lines %s", r->file, r->kind, doc, r->lines);
}

/* Every file is in the README and in the table above, and the other way round. */
static void check_index(const struct readme_row *rows, int nrows)
{
	DIR *d = opendir(examples_dir);
	struct dirent *e;
	int files = 0, i;
	size_t j;

	case_begin();
	case_check(d, "cannot open %s", examples_dir);
	while (d && (e = readdir(d))) {
		size_t n = strlen(e->d_name);
		bool in_readme = false, in_table = false;

		if (n < 5 || strcmp(e->d_name + n - 4, ".pol"))
			continue;
		files++;
		for (i = 0; i < nrows; i++)
			in_readme |= !strcmp(rows[i].file, e->d_name);
		for (j = 0; j < NEXAMPLES; j++)
			in_table |= !strcmp(examples[j].file, e->d_name);
		case_check(in_readme, "%s is not in the README", e->d_name);
		case_check(in_table, "%s has no events in %s", e->d_name, __FILE__);
	}
	if (d)
		closedir(d);
	case_check(files == nrows, "%d files, %d README rows", files, nrows);
	case_check((size_t)files == NEXAMPLES, "%d files, %zu table rows", files, NEXAMPLES);
	case_end("- index: %d policy files, each in the README and with a table of events",
		files);
}

/* ---- parse and decide ---- */

static const char *const match_names[] = { "rule", "op DEFAULT", "global DEFAULT", "error" };

static void run_example(const struct example *ex)
{
	struct sigil_parse_opts opts = { SIGIL_PROPS_PARSEABLE };
	struct sigil_parse_error err;
	struct sigil_policy *pol = NULL;
	size_t len;
	char *text = (char *)read_fixture(examples_dir, ex->file, &len);
	int rc, i;

	case_begin();
	case_check(text, "cannot read %s", ex->file);
	if (!text) {
		case_end("- parse: %s", ex->file);
		return;
	}
	rc = sigil_policy_parse(text, len, &opts, &pol, &err);
	case_check(rc == ex->err, "rc %d, want %d (line %u, column %u: %s)", rc, ex->err,
		  err.line, err.col, err.msg);
	if (ex->err) {
		case_check(err.line == ex->line && err.col == ex->col,
			  "line %u column %u, want %u %u", err.line, err.col, ex->line, ex->col);
		case_check(strstr(err.msg, ex->msg), "message '%s' lacks '%s'", err.msg, ex->msg);
	} else if (pol) {
		case_check(!strcmp(pol->name, ex->name), "name '%s', want '%s'", pol->name, ex->name);
		case_check(sigil_policy_version(pol) == 0, "version is not 0.0.0");
	}
	case_end("- parse: %s %s", ex->file, ex->err ? "is refused, as documented" : "loads");

	for (i = 0; pol && i < MAX_EVENTS && ex->events[i].desc; i++) {
		const struct event *ev = &ex->events[i];
		struct model_facts m = {
			.facts.fetch = fetch,
			.file = &ev->file,
		};
		struct sigil_decision d;

		case_begin();
		rc = sigil_policy_decide(pol, ev->op, &m.facts, &d);
		case_check(rc == 0, "decide: %d", rc);
		case_check(d.action == ev->action && d.match == ev->match,
			  "%s by the %s, want %s by the %s",
			  sigil_action_names[d.action], match_names[d.match],
			  sigil_action_names[ev->action], match_names[ev->match]);
		case_check(d.src && d.src->line == ev->line, "decided by line %u, want %u",
			  d.src ? d.src->line : 0, ev->line);
		case_end("- decide: %s: %s: %s, line %u", ex->name,
			ev->op < __SIGIL_OP_MAX ? sigil_op_names[ev->op] : "(no operation)",
			ev->desc, ev->line);
	}
	sigil_policy_free(pol);
	free(text);
}

int main(int argc, char **argv)
{
	struct readme_row rows[64];
	int nrows, i;
	size_t j;

	ksft_print_header();
	if (argc < 6) {
		printf("# usage: %s PGP_FIXTURES SIG_FIXTURES POLICY_FIXTURES IPE_EXAMPLES_DIR KERNEL_SOURCE_DIR\n",
		       argv[0]);
		case_begin();
		case_check(0, "missing arguments");
		case_end("- arguments");
		cases_done();
	}
	examples_dir = argv[4];
	ksrc = argv[5];

	nrows = read_readme(rows, 64);
	case_begin();
	case_check(nrows > 0, "no table in %s/README", examples_dir);
	case_end("- README lists %d files", nrows);
	check_index(rows, nrows);
	for (i = 0; i < nrows; i++)
		check_source(&rows[i]);
	for (j = 0; j < NEXAMPLES; j++)
		run_example(&examples[j]);
	cases_done();
}
