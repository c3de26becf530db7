"""Field-level encryption of personal identifiers (SSNs): envelope encryption under a KMS key.

One data key per sealer (per sync run) from ``kms:GenerateDataKey``; each value is sealed
with AES-256-GCM under it, and the KMS-encrypted data key is stored beside the ciphertext.
One KMS call per run instead of one per row (a 200,000-row file), and nothing here can
decrypt: opening a value needs ``kms:Decrypt``, which no function holds.
"""

from __future__ import annotations

import base64
import os
from typing import Any

from salesportal import aws

ALGORITHM = "AES-256-GCM/KMS-envelope"


class SsnSealer:
    def __init__(self, key_id: str) -> None:
        response = aws.client("kms").generate_data_key(KeyId=key_id, KeySpec="AES_256")
        self._plaintext_key: bytes = response["Plaintext"]
        self._encrypted_key = base64.b64encode(response["CiphertextBlob"]).decode()
        self._key_id = str(response.get("KeyId", key_id))

    def seal(self, value: str, *, context: str) -> dict[str, Any]:
        """``value`` encrypted; ``context`` (e.g. the beneficiary id) is bound as associated data,
        so a ciphertext copied onto another record does not open there."""
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM  # only the sync needs it

        nonce = os.urandom(12)
        sealed = AESGCM(self._plaintext_key).encrypt(nonce, value.encode(), context.encode())
        return {
            "algorithm": ALGORITHM,
            "keyId": self._key_id,
            "dataKey": self._encrypted_key,
            "ciphertext": base64.b64encode(nonce + sealed).decode(),
        }
