"""Makes a document code with Debian's own CBOR, zlib and Ed25519 libraries, not the server's code.

usage: make_code.py SEED_HEX
Prints the code of a building permit for Hebron, signed with the Ed25519 key of the 32-byte seed.
"""
import hashlib
import sys
import zlib

import cbor2
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"


def base45_encode(data):
    """RFC 9285."""
    out = []
    for i in range(0, len(data) - 1, 2):
        n = data[i] * 256 + data[i + 1]
        out += [ALPHABET[n % 45], ALPHABET[n // 45 % 45], ALPHABET[n // 2025]]
    if len(data) % 2:
        out += [ALPHABET[data[-1] % 45], ALPHABET[data[-1] // 45]]
    return "".join(out)


def main():
    key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(sys.argv[1]))
    public = key.public_key().public_bytes(serialization.Encoding.Raw,
                                           serialization.PublicFormat.Raw)
    protected = cbor2.dumps({1: -8, 4: hashlib.sha256(public).digest()[:8]})
    payload = cbor2.dumps({
        1: "hebron", 2: "HEBD-26-000001-9", 4: 1836637200, 6: 1773565200,
        -70001: {1: 2, 2: "سلمى خليل", 3: "4*****562", 4: ["حوض 34 قطعة 112", "new_building"]},
    })
    signature = key.sign(cbor2.dumps(["Signature1", protected, b"", payload]))
    sign1 = cbor2.dumps(cbor2.CBORTag(18, [protected, {}, payload, signature]))
    print("BL1:" + base45_encode(zlib.compress(sign1, 9)))


if __name__ == "__main__":
    main()
