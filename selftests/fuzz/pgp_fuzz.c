// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for keys/: keyrings, certificates with signer
 * selection, signature packets, conversions and ASCII armor, all from one
 * input.  Built with ASan and UBSan; "make fuzz" runs it.
 */

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "pgp.h"

/*
 * Stand-in for the cryptography: a deterministic verdict from the input,
 * so that both outcomes of every signature check get explored.
 */
static int fake_verify(void *ctx, const struct pgp_key *key,
		       const struct pgp_sig *sig, const struct pgp_span *spans,
		       unsigned int nspans)
{
	u8 out[PGP_SIG_MAX + 16], kout[1200];
	size_t total = 0;
	unsigned int i;

	for (i = 0; i < nspans; i++) {
		total += spans[i].len;
		if (spans[i].len)	/* touch both ends of every span */
			total += spans[i].data[0] ^ spans[i].data[spans[i].len - 1];
	}
	pgp_sig_to_kernel(sig, key, out, sizeof(out));
	pgp_key_to_kernel(key, kout, sizeof(kout));
	return ((total + sig->quick[0]) & 1) ? -EKEYREJECTED : 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct pgp_cert cert;
	struct pgp_error err = { 0 };
	const struct pgp_key *signer;
	struct pgp_packet pkt;
	struct pgp_sig sig;
	struct pgp_key key;
	size_t pos = 0, len;
	u8 *out;

	/* A keyring: certificates one after another. */
	while (pos < size && pgp_is_cert(data + pos, size - pos)) {
		memset(&err, 0, sizeof(err));
		if (pgp_parse_cert(data + pos, size - pos, &cert, &err) || !cert.len)
			break;
		memset(&err, 0, sizeof(err));
		if (!pgp_select_signer(&cert, fake_verify, NULL, &signer, &err))
			pgp_key_to_kernel(signer, NULL, 0);
		pos += cert.len;
	}

	/* A detached signature: one signature packet. */
	pos = 0;
	memset(&err, 0, sizeof(err));
	if (!pgp_read_packet(data, size, &pos, &pkt, &err) &&
	    pkt.tag == PGP_TAG_SIGNATURE &&
	    !pgp_parse_sig(pkt.body, pkt.len, &sig, &err)) {
		u8 trailer[6];

		pgp_check_data_sig(&sig, &err);
		pgp_sig_trailer(&sig, trailer);
		if (sig.embedded)
			pgp_parse_sig(sig.embedded, sig.embedded_len, &sig, &err);
	}

	/* Bare packet bodies. */
	memset(&err, 0, sizeof(err));
	pgp_parse_sig(data, size, &sig, &err);
	memset(&err, 0, sizeof(err));
	if (!pgp_parse_key(data, size, &key, &err) && !key.unusable)
		pgp_key_to_kernel(&key, NULL, 0);

	/* ASCII armor and PEM. */
	out = malloc(size + 1);
	pos = 0;
	memset(&err, 0, sizeof(err));
	while (!pgp_dearmor((const char *)data, size, &pos, "PGP PUBLIC KEY BLOCK",
			    out, size, &len, &err))
		;
	pos = 0;
	memset(&err, 0, sizeof(err));
	pgp_dearmor((const char *)data, size, &pos, "CERTIFICATE", out, size, &len, &err);
	free(out);
	return 0;
}
