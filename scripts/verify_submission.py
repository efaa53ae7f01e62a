#!/usr/bin/env python3
"""Verifies a signed Article 32 submission, or a hand-off request or part (docs/submission-format.md,
docs/handoff-format.md): its Ed25519 signature over the RFC 8785 form. With --trust LIST --secretariat
KEY_ID, also whether the key is registered to its State (docs/trust-list.md): exit 0 if so, 3 if not.
Needs: pip install cryptography rfc8785"""
import base64, hashlib, json, sys
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

def no_duplicates(pairs):
    if len({k for k, _ in pairs}) != len(pairs): raise ValueError("a member name appears twice")
    return dict(pairs)

def b64url(s):  # unpadded base64url only
    if not isinstance(s, str) or any(c in s for c in "=+/"): raise ValueError("not unpadded base64url")
    return base64.b64decode(s.replace("-", "+").replace("_", "/") + "=" * (-len(s) % 4), validate=True)

def load(path):
    return json.loads(open(path, "rb").read().decode("utf-8"), object_pairs_hook=no_duplicates)

def check(doc):  # verifies a signed document; returns its signature member, less the value
    sig = doc["signature"]
    value, key = b64url(sig.pop("value")), b64url(sig["public_key"])
    if (sig["algorithm"], sig["canonicalization"]) != ("Ed25519", "RFC8785"): raise ValueError("unsupported algorithm")
    if sig["key_id"] != hashlib.sha256(key).hexdigest(): raise ValueError("key_id does not match the public key")
    Ed25519PublicKey.from_public_bytes(key).verify(value, rfc8785.dumps(doc))
    return sig

def standing(doc, sig, trust):  # (exit status, words): is the key registered to the file's State?
    regs = {r["key_id"]: (state, r) for state, rs in trust["states"].items() for r in rs}
    def in_force(r, day, rotated):  # an end by rotation on the day of a statement still counts
        e = r.get("ended")
        return r["since"] <= day and (e is None or day < e["since"] or (rotated and e["reason"] == "rotated" and day <= e["since"]))
    rotations = [r for r in doc.get("rotations", [])]
    for r in rotations:
        if check(r)["key_id"] != r["old_key_id"] or r["state"] != doc["state"]: raise ValueError("a rotation statement is not its old key's")
    key, before, through = sig["key_id"], sig["signed_at"], 0
    while key not in regs:
        earlier = [r for r in rotations if r["new_key_id"] == key and r["rotated_at"] <= before]
        if not earlier or through == 16: return 3, "not registered"
        r = max(earlier, key=lambda r: r["rotated_at"])
        key, before, through = r["old_key_id"], r["rotated_at"], through + 1
    state, r = regs[key]
    if state != doc["state"]: return 3, f"registered to {state}, not to {doc['state']}"
    if not in_force(r, before[:10], through > 0): return 3, "its registration was not in force"
    return 0, f"registered to {state}" + (f" through {through} key rotation(s)" if through else "")

args = sys.argv[1:]
try:
    doc = load(args[0])
    sig = check(doc)
    if "--trust" in args:
        trust = load(args[args.index("--trust") + 1])
        if check(trust)["key_id"] != args[args.index("--secretariat") + 1]: raise ValueError("the list is not signed by the secretariat's key")
        status, words = standing(doc, sig, trust)
        print(f"{'OK' if status == 0 else 'UNREGISTERED'} {args[0]} state={doc['state']} key_id={sig['key_id']}: {words}")
        sys.exit(status)
except Exception as e:
    sys.exit(f"FAIL {args[0] if args else '(no file)'}: {type(e).__name__} {e}")
what = f"state={doc['state']}" if doc.get("format") == "untoc-art32-submission" else f"format={doc.get('format')}"
print(f"OK {args[0]} {what} key_id={sig['key_id']} signed_at={sig['signed_at']}")
