"""Signed certificates: an employer can check the signature with the public key alone."""

import base64
import copy
import hashlib
from datetime import UTC, datetime

import base58
import pytest
import rfc8785
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from learning.credentials import (
    open_badge,
    public_key_from_multibase,
    sign_credential,
    signing_key,
    verify_credential,
)

ISSUED = datetime(2026, 11, 30, 14, 5, 7, 123456, tzinfo=UTC)


def _badge() -> dict:
    return open_badge(
        credential_id="https://dataschool.example/certificates/ABC123/credential.json",
        issuer_url="https://dataschool.example/",
        issuer_name="Data School",
        learner_name="Ada Lovelace",
        achievement_id="https://dataschool.example/courses/sql-basics/",
        achievement_name="SQL Basics",
        achievement_description="Query relational data with SQL.",
        issued_at=ISSUED,
        criteria="Completed every lesson and passed every graded quiz.",
    )


def test_a_signed_badge_verifies_with_its_public_key():
    signed = sign_credential(_badge(), created=ISSUED)
    assert signed["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert signed["validFrom"] == "2026-11-30T14:05:07Z"
    assert signed["proof"]["cryptosuite"] == "eddsa-jcs-2022"
    assert verify_credential(signed, public_key=signing_key().public_key())


def test_the_signature_checks_out_without_our_code():
    """Redo eddsa-jcs-2022 verification by hand, as a third party would."""
    signed = sign_credential(_badge(), created=ISSUED)
    document = copy.deepcopy(signed)
    proof = document.pop("proof")
    signature = base58.b58decode(proof.pop("proofValue")[1:])
    proof["@context"] = document["@context"]
    data = hashlib.sha256(rfc8785.dumps(proof)).digest()
    data += hashlib.sha256(rfc8785.dumps(document)).digest()
    multibase = proof["verificationMethod"].split("#")[1]
    public_key = public_key_from_multibase(multibase)
    public_key.verify(signature, data)  # raises if invalid
    assert signed["issuer"]["id"] == f"did:key:{multibase}"


@pytest.mark.parametrize(
    "tamper",
    [
        lambda c: c["credentialSubject"].update(name="Mallory"),
        lambda c: c["credentialSubject"]["achievement"].update(name="Advanced SQL"),
        lambda c: c.update(validFrom="2020-01-01T00:00:00Z"),
        lambda c: c["proof"].update(created="2020-01-01T00:00:00Z"),
    ],
)
def test_a_changed_credential_no_longer_verifies(tamper):
    signed = sign_credential(_badge(), created=ISSUED)
    tamper(signed)
    assert not verify_credential(signed)


def test_a_credential_signed_by_another_key_is_refused():
    forged = sign_credential(_badge(), key=Ed25519PrivateKey.generate(), created=ISSUED)
    assert verify_credential(forged)  # internally consistent…
    assert not verify_credential(forged, public_key=signing_key().public_key())  # …not ours


def test_the_key_comes_from_the_environment(settings):
    seed = bytes(range(32))
    settings.CREDENTIALS_SIGNING_KEY = base64.urlsafe_b64encode(seed).decode().rstrip("=")
    assert signing_key().private_bytes_raw() == seed
    settings.CREDENTIALS_SIGNING_KEY = base64.b64encode(b"short").decode()
    with pytest.raises(ValueError, match="32 bytes"):
        signing_key()


def test_a_garbled_proof_is_refused_not_an_error():
    signed = sign_credential(_badge(), created=ISSUED)
    signed["proof"]["proofValue"] = "z0OIl"  # not base58
    assert not verify_credential(signed)
    signed["proof"] = "nonsense"
    assert not verify_credential(signed)
