"""Uploads are checked against their content and size, and hashed."""

import hashlib
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from core.uploads import XLSX, check_upload
from core.xlsx import build_workbook

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100


def test_accepts_a_real_png_and_hashes_it() -> None:
    checked = check_upload(SimpleUploadedFile("photo.png", PNG, "image/png"), ("image",))
    assert checked.kind == "image" and checked.content_type == "image/png"
    assert checked.sha256 == hashlib.sha256(PNG).hexdigest() and checked.size == len(PNG)


def test_refuses_content_that_is_not_what_it_claims() -> None:
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile("photo.jpg", b"MZ\x90\x00 not an image", "image/jpeg"), ("image",))
    assert "内容不是允许的类型" in info.value.messages[0]


def test_refuses_an_extension_that_lies() -> None:
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile("photo.mp4", PNG, "video/mp4"), ("image", "video"))
    assert "扩展名与其实际内容" in info.value.messages[0]


def test_refuses_a_file_over_the_limit(settings) -> None:
    settings.XN_UPLOAD_LIMITS = {**settings.XN_UPLOAD_LIMITS, "image": 50}
    with pytest.raises(ValidationError) as info:
        check_upload(SimpleUploadedFile("photo.png", PNG, "image/png"), ("image",))
    assert "太大" in info.value.messages[0]


def test_refuses_empty_files() -> None:
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("x.png", b"", "image/png"), ("image",))


def test_tells_xlsx_from_docx_and_zip() -> None:
    data = build_workbook([("表", ["a"], [[1]])])
    assert check_upload(SimpleUploadedFile("a.xlsx", data, XLSX), ("spreadsheet",)).content_type == XLSX
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as package:
        package.writestr("hello.txt", "hi")
    with pytest.raises(ValidationError):
        check_upload(SimpleUploadedFile("a.xlsx", buffer.getvalue(), XLSX), ("spreadsheet",))
