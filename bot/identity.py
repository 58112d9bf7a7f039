"""Pseudonymous identifiers: phone numbers and chat ids never leave the channel adapter."""

from __future__ import annotations

import hashlib
import hmac


def user_key(channel: str, user_id: str, salt: str) -> str:
    """A stable, salted hash of a channel user id, safe to store and log."""
    digest = hmac.new(salt.encode(), f"{channel}:{user_id}".encode(), hashlib.sha256)
    return digest.hexdigest()[:32]
