"""Secrets shown once: generated here, stored only as their SHA-256."""
import hashlib
import secrets


def new_key(prefix: str) -> str:
    return prefix + secrets.token_urlsafe(32)


def key_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def display_prefix(raw: str) -> str:
    """Enough of the key to tell keys apart in a list, far too little to guess the rest."""
    return raw[:10]
