# SPDX-License-Identifier: GPL-2.0
#
# Signing helpers for selftests/sig-fixtures and selftests/bench-fixtures:
# each writes the value of one signature xattr to stdout, made with the
# tools people use.  Sourced, not run.

unhex() { perl -e 'print pack("H*", shift)' "$1"; }

# security.ima v2 (type 3) by evmctl ima_sign: FILE KEY [KEYID]
evm() {
	evmctl ima_sign --sigfile -a sha256 --key "$2" ${3:+--keyid "$3"} "$1" >/dev/null 2>&1
	cat "$1.sig"
	rm "$1.sig"
}

# security.ima v3 (type 6), the evmctl 1.4 recipe: FILE KEY SKID
# Sign struct ima_file_id { u8 hash_type = 6, u8 hash_algorithm = 4 (sha256),
# the fs-verity digest } with openssl, then prepend the signature_v2_hdr:
# type 6, version 3, hash 4, the SKID's last 4 bytes, be16 signature size.
ima3() {
	local d sig
	d=$(fsverity digest --compact "$1")
	{ printf '\x06\x04'; unhex "$d"; } > "$1.fileid"
	openssl dgst -sha256 -sign "$2" -out "$1.ima3sig" "$1.fileid"
	printf '\x06\x03\x04'
	unhex "${3: -8}"
	unhex "$(printf '%04x' "$(stat -c %s "$1.ima3sig")")"
	cat "$1.ima3sig"
	rm "$1.fileid" "$1.ima3sig"
}

# security.sigil by sq sign --detached: KIND(1|2) FILE SQKEY
# Kind 1 signs the fs-verity formatted digest, kind 2 the file.
sq_sig() {
	local input=$2
	if [ "$1" = 1 ]; then
		unhex "$(fsverity digest --for-builtin-sig --compact "$2")" > "$2.fmt"
		input=$2.fmt
	fi
	printf '\x01\x0'"$1"
	sq sign --detached --signer-key "$3" "$input" 2>/dev/null | sq dearmor 2>/dev/null
	rm -f "$2.fmt"
}
