"""Pydantic's validation errors of a policy document, said in Chinese with the path of
the parameter as the office sees it (section and parameter titles)."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ValidationError

MESSAGES = {
    "missing": "缺少此项",
    "extra_forbidden": "不认识的参数（请检查拼写）",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文字",
    "list_type": "应为列表",
    "dict_type": "应为对象",
    "model_type": "应为对象",
    "tuple_type": "应为两个元素的列表",
    "too_short": "元素太少",
    "too_long": "元素太多",
}


def _title(model: type[BaseModel] | None, loc: tuple[Any, ...]) -> str:
    parts: list[str] = []
    current: Any = model
    for item in loc:
        if isinstance(item, int):
            parts.append(f"第{item + 1}项")
            continue
        title = str(item)
        if current is not None and hasattr(current, "model_fields") and item in current.model_fields:
            info = current.model_fields[item]
            title = f"{info.title}（{item}）" if info.title else str(item)
            annotation = info.annotation
            args = getattr(annotation, "__args__", ())
            nested = next((a for a in (annotation, *args) if isinstance(a, type) and issubclass(a, BaseModel)), None)
            current = nested
        parts.append(title)
    return " → ".join(parts) or "文档"


def explain(error: ValidationError, model: type[BaseModel]) -> list[str]:
    out = []
    for item in error.errors():
        kind = item["type"]
        ctx = item.get("ctx") or {}
        if kind in MESSAGES:
            message = MESSAGES[kind]
        elif kind == "greater_than_equal":
            message = f"应不小于 {ctx.get('ge')}"
        elif kind == "greater_than":
            message = f"应大于 {ctx.get('gt')}"
        elif kind == "less_than_equal":
            message = f"应不大于 {ctx.get('le')}"
        elif kind == "less_than":
            message = f"应小于 {ctx.get('lt')}"
        elif kind == "literal_error":
            message = f"应为以下之一：{ctx.get('expected')}"
        elif kind == "value_error":
            message = str(ctx.get("error") or item["msg"]).removeprefix("Value error, ")
        else:
            message = item["msg"]
        out.append(f"{_title(model, tuple(item['loc']))}：{message}")
    return out
