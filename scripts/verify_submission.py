#!/usr/bin/env python3
"""Verifies a signed Article 32 submission, or a hand-off request or part (docs/submission-format.md,
docs/handoff-format.md): its Ed25519 signature over the RFC 8785 form. Needs: pip install cryptography rfc8785"""
import base64, hashlib, json, sys
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def no_duplicates(pairs):
    if len({k for k, _ in pairs}) != len(pairs): raise ValueError("a member name appears twice")
    return dict(pairs)

def b64url(s):  # unpadded base64url only
    if not isinstance(s, str) or any(c in s for c in "=+/"): raise ValueError("not unpadded base64url")
    return base64.b64decode(s.replace("-", "+").replace("_", "/") + "=" * (-len(s) % 4), validate=True)

try:
    doc = json.loads(open(sys.argv[1], "rb").read().decode("utf-8"), object_pairs_hook=no_duplicates)
    sig = doc["signature"]
    value, key = b64url(sig.pop("value")), b64url(sig["public_key"])
    if (sig["algorithm"], sig["canonicalization"]) != ("Ed25519", "RFC8785"): raise ValueError("unsupported algorithm")
    if sig["key_id"] != hashlib.sha256(key).hexdigest(): raise ValueError("key_id does not match the public key")
    Ed25519PublicKey.from_public_bytes(key).verify(value, rfc8785.dumps(doc))
except Exception as e:
    sys.exit(f"FAIL {sys.argv[1]}: {type(e).__name__} {e}")
what = f"state={doc['state']}" if doc.get("format") == "untoc-art32-submission" else f"format={doc.get('format')}"
print(f"OK {sys.argv[1]} {what} key_id={sig['key_id']} signed_at={sig['signed_at']}")
