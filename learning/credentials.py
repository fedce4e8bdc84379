"""Certificates as signed Open Badges 3.0 credentials (W3C Verifiable Credentials 2.0).

The proof is a W3C Data Integrity proof with the ``eddsa-jcs-2022`` cryptosuite: the
credential and the proof options are canonicalised with JCS (RFC 8785), hashed with SHA-256
and signed with Ed25519. The verification method is a ``did:key``, so anyone holding the JSON
can check the signature with the public key alone, without trusting our pages.
"""

from __future__ import annotations

import base64
import copy
import hashlib
from datetime import UTC, datetime

import base58
import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

CONTEXTS = [
    "https://www.w3.org/ns/credentials/v2",
    "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
]
ED25519_PUB_MULTICODEC = b"\xed\x01"


def signing_key() -> Ed25519PrivateKey:
    """The Ed25519 key from CREDENTIALS_SIGNING_KEY (base64 of a 32-byte seed).

    Without one (development), a key is derived from SECRET_KEY so that local certificates
    still verify; production sets its own key so that rotating SECRET_KEY keeps them valid.
    """
    configured = settings.CREDENTIALS_SIGNING_KEY
    if configured:
        seed = base64.urlsafe_b64decode(configured + "=" * (-len(configured) % 4))
        if len(seed) != 32:
            raise ValueError("CREDENTIALS_SIGNING_KEY must be 32 bytes, base64-encoded.")
    else:
        seed = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=None, info=b"dataschool-credentials"
        ).derive(settings.SECRET_KEY.encode())
    return Ed25519PrivateKey.from_private_bytes(seed)


def public_key_multibase(public_key: Ed25519PublicKey) -> str:
    raw = public_key.public_bytes(
        encoding=serialization.Encoding.Raw, format=serialization.PublicFormat.Raw
    )
    return "z" + base58.b58encode(ED25519_PUB_MULTICODEC + raw).decode()


def public_key_from_multibase(value: str) -> Ed25519PublicKey:
    if not value.startswith("z"):
        raise ValueError("Only base58btc multibase keys are supported.")
    decoded = base58.b58decode(value[1:])
    if decoded[:2] != ED25519_PUB_MULTICODEC or len(decoded) != 34:
        raise ValueError("Not an Ed25519 public key.")
    return Ed25519PublicKey.from_public_bytes(decoded[2:])


def did_key(public_key: Ed25519PublicKey) -> str:
    return f"did:key:{public_key_multibase(public_key)}"


def verification_method(public_key: Ed25519PublicKey) -> str:
    multibase = public_key_multibase(public_key)
    return f"did:key:{multibase}#{multibase}"


def _hash_data(document: dict, proof_options: dict) -> bytes:
    # eddsa-jcs-2022: hash(canonical proof config) || hash(canonical document).
    return (
        hashlib.sha256(rfc8785.dumps(proof_options)).digest()
        + hashlib.sha256(rfc8785.dumps(document)).digest()
    )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign_credential(
    credential: dict, *, key: Ed25519PrivateKey | None = None, created: datetime
) -> dict:
    """Return a copy of the credential with an eddsa-jcs-2022 DataIntegrityProof."""
    key = key or signing_key()
    document = copy.deepcopy(credential)
    document.pop("proof", None)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": "eddsa-jcs-2022",
        "created": _iso(created),
        "verificationMethod": verification_method(key.public_key()),
        "proofPurpose": "assertionMethod",
        "@context": document["@context"],
    }
    signature = key.sign(_hash_data(document, proof))
    del proof["@context"]
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    return {**document, "proof": proof}


def verify_credential(credential: dict, *, public_key: Ed25519PublicKey | None = None) -> bool:
    """True when the proof is a valid eddsa-jcs-2022 signature by the given (or named) key."""
    document = copy.deepcopy(credential)
    proof = document.pop("proof", None)
    if not isinstance(proof, dict) or proof.get("cryptosuite") != "eddsa-jcs-2022":
        return False
    proof_value = proof.pop("proofValue", "")
    method = str(proof.get("verificationMethod", ""))
    try:
        named_key = public_key_from_multibase(method.rsplit("#", 1)[-1])
        if public_key is not None and public_key_multibase(public_key) != public_key_multibase(
            named_key
        ):
            return False
        signature = base58.b58decode(proof_value[1:]) if proof_value.startswith("z") else b""
        options = {**proof, "@context": document.get("@context")}
        named_key.verify(signature, _hash_data(document, options))
    except (InvalidSignature, ValueError):
        return False
    return True


def open_badge(
    *,
    credential_id: str,
    issuer_url: str,
    issuer_name: str,
    learner_name: str,
    achievement_id: str,
    achievement_name: str,
    achievement_description: str,
    issued_at: datetime,
    criteria: str,
) -> dict:
    """An unsigned OpenBadgeCredential for one completed course."""
    return {
        "@context": CONTEXTS,
        "id": credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "issuer": {
            "id": did_key(signing_key().public_key()),
            "type": ["Profile"],
            "name": issuer_name,
            "url": issuer_url,
        },
        "validFrom": _iso(issued_at),
        "name": f"{achievement_name}: certificate of completion",
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "name": learner_name,
            "achievement": {
                "id": achievement_id,
                "type": ["Achievement"],
                "name": achievement_name,
                "description": achievement_description,
                "criteria": {"narrative": criteria},
            },
        },
    }
