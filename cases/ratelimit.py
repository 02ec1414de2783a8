"""Rate limits of the public pages, counted in the cache (shared by every web process in
production through Redis). The rates are the API's throttle rates in settings
(``public_submit``, ``tracking``), so that the page and the API hold people to the same
numbers."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache

_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def rate(scope: str) -> tuple[int, int]:
    """(requests, seconds) of a throttle scope, e.g. "10/hour" → (10, 3600)."""
    text = settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"][scope]
    number, period = text.split("/")
    return int(number), _PERIODS[period.strip()[0]]


def _key(scope: str, key: str) -> str:
    return f"cases:rl:{scope}:{hashlib.sha256(key.encode()).hexdigest()[:32]}"


def hit(scope: str, key: str) -> bool:
    """Count one request; False once the key has used up its rate in the window."""
    limit, seconds = rate(scope)
    name = _key(scope, key)
    if cache.add(name, 1, seconds):
        return True
    try:
        count = cache.incr(name)
    except ValueError:  # expired between add and incr
        cache.set(name, 1, seconds)
        return True
    return count <= limit


def exhausted(scope: str, key: str) -> bool:
    """Whether the key has used up its rate (without counting a request)."""
    limit, _seconds = rate(scope)
    return (cache.get(_key(scope, key)) or 0) >= limit
