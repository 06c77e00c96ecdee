"""The audit key: the secret that seals the audit chain. It is never stored in the database, so someone
who can rewrite the audit table cannot recompute hashes that verify.

Production takes it from BRUGWERK_AUDIT_KEY (or BRUGWERK_AUDIT_KEY_FILE) and refuses to start without
it; the tests use a fixed key; the demo and development make a random one in VAR_DIR on first use.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import secrets
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def audit_key() -> bytes:
    configured = settings.BRUGWERK_AUDIT_KEY
    if configured:
        return configured.encode("utf-8")
    if settings.PRODUCTION:  # settings already refuse this; never fall back to a key on disk here
        raise ImproperlyConfigured("BRUGWERK_AUDIT_KEY must be set in production.")
    return _key_from_file(str(settings.BRUGWERK_AUDIT_KEY_PATH))


@functools.cache
def _key_from_file(path: str) -> bytes:
    """Read the development key, making it the first time. The new key is written to a temporary file
    and linked into place, so two processes starting at once agree on one complete key."""
    key_path = Path(path)
    if not key_path.exists():
        key_path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=key_path.parent, prefix=".audit-key-")
        try:
            with os.fdopen(fd, "w", encoding="utf-8") as handle:  # mkstemp makes it readable by us only
                handle.write(secrets.token_urlsafe(48) + "\n")
            os.link(tmp, key_path)
        except FileExistsError:
            pass
        finally:
            os.unlink(tmp)
    key = key_path.read_text(encoding="utf-8").strip()
    if not key:
        raise ImproperlyConfigured(f"The audit key file {key_path} is empty.")
    return key.encode("utf-8")


def keyed_hash(text: str, *, key: bytes | None = None) -> str:
    """HMAC-SHA256 of `text` under the audit key, in hex."""
    return hmac.new(key if key is not None else audit_key(), text.encode("utf-8"), hashlib.sha256).hexdigest()
