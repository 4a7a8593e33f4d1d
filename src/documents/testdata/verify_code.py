"""Checks a document code with Debian's own CBOR and Ed25519 libraries, not the server's code.

usage: verify_code.py CODE PUBLIC_KEY_HEX
Prints the issuer, the number and the holder, and exits 0 when the signature holds; exits 1
with the reason otherwise.
"""
import sys
import zlib

import cbor2
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_decode(text):
    """RFC 9285."""
    out = bytearray()
    for i in range(0, len(text), 3):
        chunk = [ALPHABET.index(c) for c in text[i:i + 3]]
        n = sum(v * 45 ** k for k, v in enumerate(chunk))
        out += n.to_bytes(2 if len(chunk) == 3 else 1, "big")
    return bytes(out)


def main():
    code, key = sys.argv[1], bytes.fromhex(sys.argv[2])
    if not code.startswith("BL1:"):
        sys.exit("no BL1: prefix")
    sign1 = cbor2.loads(zlib.decompress(base45_decode(code[4:])))
    if not isinstance(sign1, cbor2.CBORTag) or sign1.tag != 18:
        sys.exit("not a COSE_Sign1")
    protected, _unprotected, payload, signature = sign1.value
    header = cbor2.loads(protected)
    if header[1] != -8:
        sys.exit("not EdDSA")
    to_be_signed = cbor2.dumps(["Signature1", protected, b"", payload])
    try:
        Ed25519PublicKey.from_public_bytes(key).verify(signature, to_be_signed)
    except InvalidSignature:
        sys.exit("bad signature")
    claims = cbor2.loads(payload)
    print(claims[1], claims[2], claims[-70001][2], sep="\n")


if __name__ == "__main__":
    main()
