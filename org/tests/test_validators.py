"""Unified social credit codes (GB 32100-2015) and phone numbers."""

import pytest
from django.core.exceptions import ValidationError

from org.validators import uscc_check_char, validate_mobile, validate_phone, validate_uscc

# Published codes of well-known companies (their check digits are right by construction).
REAL = ["91350100M000100Y43", "914403001922038216", "91110000100017643K"]


@pytest.mark.parametrize("code", REAL)
def test_real_codes_pass(code: str) -> None:
    validate_uscc(code)
    assert uscc_check_char(code[:17]) == code[17]


@pytest.mark.parametrize(
    ("code", "message"),
    [
        ("91350100M000100Y4", "应为18位"),
        ("91350100M000100Y44", "第18位应为“3”"),
        ("91350100M00010OY43", "不允许的字符“O”"),
        ("9135A100M000100Y43", "行政区划代码"),
    ],
)
def test_wrong_codes_are_refused_with_a_clear_message(code: str, message: str) -> None:
    with pytest.raises(ValidationError) as info:
        validate_uscc(code)
    assert message in info.value.messages[0]


def test_phones() -> None:
    validate_mobile("13812341234")
    validate_phone("0750-3501234")
    validate_phone("+86 138 1234 1234")
    for bad in ("12812341234", "1381234123", "abc", "010-12"):
        with pytest.raises(ValidationError):
            validate_phone(bad)
