// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for keys/filesig.c and keys/pkcs7.c: one input is
 * tried as a security.sigil value (and its signature packet), a
 * security.ima value, each through filesig_check() with and without
 * fs-verity too, and a PKCS#7 message whose signer is looked for.
 * Built with ASan and UBSan; "make fuzz" runs it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "filesig.h"

/* Touch every byte of a span the parser returned, so ASan checks it. */
static unsigned int touch(const u8 *p, size_t len)
{
	unsigned int sum = 0;

	while (len--)
		sum += *p++;
	return sum;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy = malloc(size ? size : 1);
	struct pkcs7_signer_id id;
	struct pgp_error err;
	struct sigil_xattr x;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	struct ima_sig ima;
	struct filesig_check check;
	struct filesig_verity verity = { .alg = 1, .size = 32 };
	volatile unsigned int sum = 0;
	unsigned int v, xattr;
	size_t pos = 0;

	/* An exact-size copy: reads past the end are caught. */
	memcpy(copy, data, size);

	memset(&err, 0, sizeof(err));
	if (!sigil_xattr_parse(copy, size, &x, &err)) {
		sum += touch(x.packet, x.len);
		memset(&err, 0, sizeof(err));
		if (!pgp_read_packet(x.packet, x.len, &pos, &pkt, &err)) {
			memset(&err, 0, sizeof(err));
			if (!pgp_parse_sig(pkt.body, pkt.len, &sig, &err))
				pgp_check_data_sig(&sig, &err);
		}
	}

	memset(&err, 0, sizeof(err));
	if (!ima_xattr_parse(copy, size, &ima, &err))
		sum += touch(ima.sig, ima.sig_len) + ima_hash_size(ima.hash_algo);

	/* Both xattrs, on a file with fs-verity (SHA-256) and on one without. */
	for (xattr = FILESIG_XATTR_IMA; xattr <= FILESIG_XATTR_SIGIL; xattr++) {
		for (v = 0; v < 2; v++) {
			verity.alg = v ? 1 : 0;
			memset(&err, 0, sizeof(err));
			if (filesig_check(xattr, copy, size, &verity, &check, &err))
				continue;
			sum += touch(check.msg, check.msg_len) + check.state;
			if (check.state == SIGIL_SIG_UNVERIFIED &&
			    xattr == FILESIG_XATTR_SIGIL)
				sum += touch(check.sigil.packet, check.sigil.len);
			if (check.state == SIGIL_SIG_UNVERIFIED &&
			    xattr == FILESIG_XATTR_IMA)
				sum += touch(check.ima.sig, check.ima.sig_len);
		}
	}

	memset(&err, 0, sizeof(err));
	if (!pkcs7_signer_id(copy, size, &id, &err)) {
		sum += touch(id.issuer, id.issuer_len);
		sum += touch(id.serial, id.serial_len);
		sum += touch(id.skid, id.skid_len);
		sum += id.signers + id.certs;
	}
	(void)sum;
	free(copy);
	return 0;
}
