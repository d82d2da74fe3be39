"""Secrets never land in a file the app writes: one scrub for every text writer.

A hostile or buggy LLM server can echo the request's ``Authorization`` header into its
answer, and from there the key would reach project.json, its backup, the script
history, the SRT and the export report. Every text the app writes goes through
``scrub_text`` (``storage.atomic_write_text``, the AI log, the crash log), which replaces:

- the values of environment variables whose names look like credentials
  (``STUDIO_LLM_API_KEY``, ``OPENAI_API_KEY``, ``*_TOKEN``...), and the LLM key from
  the OS keyring;
- ``Bearer <token>`` and ``sk-...`` style keys, whatever their source.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable

REDACTED = "[disembunyikan]"
SECRET_NAME_WORDS = ("KEY", "TOKEN", "SECRET", "PASSWORD", "PASSWD", "CREDENTIAL", "AUTH")
MIN_SECRET_CHARS = 8
"""Shorter values are not treated as secrets (they would match ordinary words)."""

_PATTERNS = re.compile(
    r"(?:(?<=Bearer )|(?<=bearer ))[A-Za-z0-9._~+/=-]{8,}"
    r"|\b(?:sk|gsk|hf)[-_](?:proj[-_])?[A-Za-z0-9_-]{16,}")

_keyring_cache: list[str] | None = None


def _keyring_secret() -> list[str]:
    global _keyring_cache
    if _keyring_cache is None:
        found: list[str] = []
        try:
            import keyring  # optional

            value = keyring.get_password("studio-lokal", "llm")
            if value:
                found.append(value)
        except Exception:  # noqa: BLE001 - no keyring backend is a normal situation
            pass
        _keyring_cache = found
    return _keyring_cache


def secret_values(extra: Iterable[str] = ()) -> list[str]:
    """Known secret values (longest first): credential-like environment variables, the keyring key."""
    found = [v for v in extra if v and len(v) >= MIN_SECRET_CHARS]
    for name, value in os.environ.items():
        upper = name.upper()
        # SSH_AUTH_SOCK, XAUTHORITY and the like hold paths, not secrets.
        if len(value) >= MIN_SECRET_CHARS and any(word in upper for word in SECRET_NAME_WORDS) \
                and not os.path.exists(value):
            found.append(value)
    found += _keyring_secret()
    return sorted(set(found), key=len, reverse=True)


def scrub_text(text: str, extra: Iterable[str] = ()) -> str:
    """``text`` with every known secret and key-shaped token replaced by ``REDACTED``."""
    for value in secret_values(extra):
        if value in text:
            text = text.replace(value, REDACTED)
    if "earer " in text or "sk-" in text or "sk_" in text or "hf_" in text:
        text = _PATTERNS.sub(REDACTED, text)
    return text


def has_secret(text: str) -> bool:
    """True if ``scrub_text`` would change ``text``."""
    return scrub_text(text) != text
