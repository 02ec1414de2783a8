"""What a unit receives of a photo: the picture without its camera metadata (EXIF: device
make and model, owner fields, sometimes GPS tracks of the day), which could point to the
supervisor who took it. The stored original — the evidence, with its SHA-256 — is never
touched; the office and the supervisor get it as recorded."""

from __future__ import annotations

import io
import logging

from inspections.models import Evidence

log = logging.getLogger(__name__)
FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP"}


def without_metadata(evidence: Evidence) -> bytes | None:
    """The photo re-encoded without metadata (upright, as the camera meant it), or None
    for a file this cannot do (video, audio, HEIC, a document)."""
    fmt = FORMATS.get(evidence.content_type)
    if fmt is None:
        return None
    from PIL import Image, ImageOps  # reportlab's own dependency

    try:
        with evidence.file.open("rb") as handle, Image.open(handle) as image:
            clean = ImageOps.exif_transpose(image)
            out = io.BytesIO()
            params = {"quality": 92} if fmt in ("JPEG", "WEBP") else {}
            clean.save(out, fmt, **params)  # no exif=…: nothing of the camera goes along
    except (OSError, ValueError):
        log.warning("evidence %s: could not remove metadata", evidence.pk)
        return None
    return out.getvalue()
