"""Model fields shared by the apps: personal data encrypted at rest (RULES.md §9)."""

from __future__ import annotations

import base64
import hashlib
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.db import models


@lru_cache(maxsize=1)
def _fernet() -> MultiFernet:
    keys = list(settings.XN_FIELD_KEYS)
    if not keys:
        derived = base64.urlsafe_b64encode(hashlib.sha256(f"fields:{settings.SECRET_KEY}".encode()).digest())
        keys = [derived.decode()]
    return MultiFernet([Fernet(k.encode() if isinstance(k, str) else k) for k in keys])


class EncryptedCharField(models.TextField):
    """Stores text encrypted with Fernet (keys from XN_FIELD_KEYS, newest first). Not
    searchable; keep a keyed digest beside it where lookups are needed."""

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> str | None:
        if value is None or value == "":
            return value
        try:
            return _fernet().decrypt(value.encode()).decode()
        except InvalidToken:
            return "[无法解密]"

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return _fernet().encrypt(str(value).encode()).decode()


def keyed_digest(value: str) -> str:
    """A stable keyed digest of personal data, for equality lookups without decrypting."""
    import hmac

    return hmac.new(f"digest:{settings.SECRET_KEY}".encode(), value.encode(), hashlib.sha256).hexdigest()
