"""A learner's seed and the variant name shown to people: both derived from the course's secret."""
from __future__ import annotations

import hashlib
import hmac
import unicodedata


def _message(student: str, assignment: str) -> bytes:
    # NFC and a separator no id contains: « ab » + « c » never collides with « a » + « bc »
    return "\x1f".join(unicodedata.normalize("NFC", part) for part in (student, assignment)).encode("utf-8")


def _mac(secret: bytes, student: str, assignment: str) -> bytes:
    return hmac.new(secret, _message(student, assignment), hashlib.sha256).digest()


def variant_seed(secret: bytes, student: str, assignment: str) -> int:
    """The learner's seed: HMAC-SHA256(secret, learner id, assignment), first 8 bytes."""
    return int.from_bytes(_mac(secret, student, assignment)[:8], "big")


def variant_name(secret: bytes, student: str, assignment: str) -> str:
    """A short public name of the learner's variant (« V-3F9A2C »), for reports and feedback.

    It is taken from other bytes of the MAC than the seed: knowing it tells nothing of the data."""
    return "V-" + _mac(secret, student, assignment)[-3:].hex().upper()
