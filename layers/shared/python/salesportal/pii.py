"""Personal identifiers (SSNs): masking in anything written from raw input, and field-level
envelope encryption under a KMS key where the number itself must be kept.

Masking: nothing derived from raw input (a quarantined row, a reason, a log line) may hold
nine digits in a row, with or without separators, wherever in the text they stand: a row
with the SSN in the wrong column, or a line too broken to know its columns, is still an SSN.

Encryption: one data key per sealer (per sync run) from ``kms:GenerateDataKey``; each value is sealed
with AES-256-GCM under it, and the KMS-encrypted data key is stored beside the ciphertext.
One KMS call per run instead of one per row (a 200,000-row file), and nothing here can
decrypt: opening a value needs ``kms:Decrypt``, which no function holds.
"""

from __future__ import annotations

import base64
import os
import re
from collections.abc import Mapping
from typing import Any

ALGORITHM = "AES-256-GCM/KMS-envelope"

# Nine or more digits, each next to the following one or apart from it by one separator:
# 123-45-6789, 123 45 6789, 123.45.6789, 123456789 — and any longer run holding one.
_RUN = re.compile(r"\d(?:[\s._/-]?\d){8,}")


def holds_ssn(text: str) -> bool:
    """Whether ``text`` holds nine digits in a row (what an SSN could be)."""
    return _RUN.search(text) is not None


def _mask_run(match: re.Match[str]) -> str:
    run = match.group()
    cut = [i for i, ch in enumerate(run) if ch.isdigit()][-4]  # the last four stay, as ssnLast4
    return "".join("*" if ch.isdigit() else ch for ch in run[:cut]) + run[cut:]


def mask(text: str) -> str:
    """``text`` with every digit of a nine-digit run but the last four starred out."""
    return _RUN.sub(_mask_run, text)


def redacted(value: Any) -> Any:
    """``value`` (text, numbers, lists, mappings; keys too) with every SSN-shaped run masked."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int | float):
        text = str(value)
        return mask(text) if holds_ssn(text) else value
    if isinstance(value, Mapping):
        return {redacted(str(k)): redacted(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [redacted(v) for v in value]
    return mask(str(value))


class SsnSealer:
    def __init__(self, key_id: str) -> None:
        from salesportal import aws  # here, so the pure masking above imports no boto3

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
