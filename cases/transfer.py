"""Import of cases from .xlsx (all-or-nothing) — filled in below."""


def register() -> None:
    pass
