// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer harness for keys/signed.c: one input is parsed as a policy
 * write, whole and as a prefix.  A complete message must yield as many
 * text bytes as it announces, every piece inside the input; a prefix must
 * never be taken for a complete message of another size.  Built with ASan
 * and UBSan; "make fuzz" runs it.
 */

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "signed.h"

struct sum {
	const u8 *buf;
	size_t len;
	size_t total;
	unsigned int bytes;
};

static void add(void *ctx, const u8 *data, size_t len)
{
	struct sum *s = ctx;

	if (data < s->buf || data + len > s->buf + s->len)
		abort();
	s->total += len;
	while (len--)
		s->bytes += *data++;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	u8 *copy = malloc(size ? size : 1);
	struct pgp_error err;
	struct sigil_msg m;
	struct sum s = { 0 };
	int rc;

	/* An exact-size copy: reads past the end are caught. */
	memcpy(copy, data, size);
	s.buf = copy;
	s.len = size;

	rc = sigil_msg_parse(copy, size, &m, &err);
	if (!rc) {
		if (m.size != size)
			abort();
		if (m.form != SIGIL_MSG_PKCS7) {
			sigil_msg_text(copy, &m, add, &s);
			if (s.total != m.text_len)
				abort();
		}
		if (m.sig && (m.sig < copy || m.sig + m.sig_len > copy + size))
			abort();
	} else if (rc == -EAGAIN) {
		if (m.size && m.size <= size)
			abort();
	} else if (!err.msg[0]) {
		abort();	/* every refusal says why */
	}

	/* The same input cut short is a prefix or an error, never complete. */
	if (size > 1 && !rc && m.form != SIGIL_MSG_TEXT) {
		rc = sigil_msg_parse(copy, size - 1, &m, &err);
		if (!rc)
			abort();
	}
	free(copy);
	return 0;
}
