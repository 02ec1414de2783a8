"""Checks of uploaded files: the content must be the type it claims and within the size
limit for its kind; every accepted file is hashed (SHA-256)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# kind -> {content type: extensions}
KINDS: dict[str, dict[str, tuple[str, ...]]] = {
    "image": {
        "image/jpeg": (".jpg", ".jpeg"),
        "image/png": (".png",),
        "image/webp": (".webp",),
        "image/heic": (".heic",),
        "image/gif": (".gif",),
    },
    "video": {"video/mp4": (".mp4",), "video/quicktime": (".mov",), "video/webm": (".webm",), "video/3gpp": (".3gp",)},
    "audio": {
        "audio/mpeg": (".mp3",),
        "audio/mp4": (".m4a",),
        "audio/x-wav": (".wav",),
        "audio/ogg": (".ogg",),
        "audio/amr": (".amr",),
        "video/webm": (".webm",),  # browsers record audio as WebM
    },
    "document": {"application/pdf": (".pdf",), DOCX: (".docx",), XLSX: (".xlsx",)},
    "spreadsheet": {XLSX: (".xlsx",)},
}
KIND_LABELS = {"image": "图片", "video": "视频", "audio": "录音", "document": "文档", "spreadsheet": "Excel表格(.xlsx)"}


@dataclass(frozen=True)
class CheckedFile:
    kind: str
    content_type: str
    size: int
    sha256: str
    name: str


def sniff(upload: UploadedFile) -> str | None:
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    guess = filetype.guess(head)
    if guess is None:
        return None
    mime = guess.mime
    if mime in ("application/zip", XLSX, DOCX):
        return _office_type(upload) or mime
    return mime


def _office_type(upload: UploadedFile) -> str | None:
    """Tell .xlsx from .docx (both are zip packages) by their content types part."""
    import zipfile

    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as package:
            names = set(package.namelist())
    except (zipfile.BadZipFile, OSError):
        return None
    finally:
        upload.seek(0)
    if "xl/workbook.xml" in names:
        return XLSX
    if "word/document.xml" in names:
        return DOCX
    return "application/zip"


def check_upload(upload: UploadedFile, kinds: tuple[str, ...]) -> CheckedFile:
    """Accept the file if its real content is one of ``kinds`` and within the size limit;
    otherwise raise ValidationError with a message in Chinese."""
    name = (upload.name or "").rsplit("/", 1)[-1]
    allowed_labels = "、".join(KIND_LABELS[k] for k in kinds)
    if not upload.size:
        raise ValidationError(_("文件“%(name)s”是空文件。") % {"name": name})
    mime = sniff(upload)
    kind = next((k for k in kinds if mime in KINDS[k]), None)
    if kind is None:
        raise ValidationError(_("文件“%(name)s”的内容不是允许的类型（只接受：%(allowed)s）。") % {"name": name, "allowed": allowed_labels})
    assert mime is not None  # a kind was found for it
    extension = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension and extension not in KINDS[kind][mime] and not (kind == "image" and mime == "image/jpeg"):
        raise ValidationError(_("文件“%(name)s”的扩展名与其实际内容（%(mime)s）不符。") % {"name": name, "mime": mime})
    limit = settings.XN_UPLOAD_LIMITS[kind]
    if upload.size > limit:
        raise ValidationError(
            _("文件“%(name)s”太大（%(size).1f MB），%(kind)s最大 %(limit).0f MB。")
            % {"name": name, "size": upload.size / 1048576, "kind": KIND_LABELS[kind], "limit": limit / 1048576}
        )
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(kind=kind, content_type=mime, size=upload.size, sha256=digest.hexdigest(), name=name)
