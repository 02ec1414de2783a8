"""Forms of the core app, and the styling mixin every app's forms use."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.models import CalendarDayKind


class StyledFormMixin:
    """Bootstrap classes on every widget, so templates stay plain."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput) or (
                isinstance(widget, forms.RadioSelect) and not isinstance(widget, forms.CheckboxSelectMultiple)
            ):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            elif isinstance(widget, forms.CheckboxSelectMultiple):
                continue
            else:
                css = "form-control"
            widget.attrs["class"] = (widget.attrs.get("class", "") + " " + css).strip()


class StyledForm(StyledFormMixin, forms.Form):
    pass


class StyledModelForm(StyledFormMixin, forms.ModelForm):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class CalendarDayForm(StyledForm):
    date = forms.DateField(label=_("日期"), widget=DateInput())
    kind = forms.ChoiceField(label=_("类型"), choices=CalendarDayKind.choices)
    name = forms.CharField(label=_("名称"), max_length=40, required=False)


class CalendarYearForm(StyledForm):
    year = forms.IntegerField(label=_("年份"), min_value=2000, max_value=2100)
    note = forms.CharField(label=_("依据"), max_length=200, required=False)


class PolicyEditForm(StyledForm):
    note = forms.CharField(label=_("修订说明"), max_length=200, required=True)
    document = forms.CharField(label=_("参数（JSON）"), widget=forms.Textarea(attrs={"class": "xn-json", "rows": 30}))

    def clean_document(self) -> Any:
        try:
            return json.loads(self.cleaned_data["document"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON 格式错误：第 %(line)s 行第 %(col)s 列附近。") % {"line": exc.lineno, "col": exc.colno}
            ) from exc


class PolicyPublishForm(StyledForm):
    effective_from = forms.DateField(label=_("生效日期"), widget=DateInput(), initial=timezone.localdate)


class PolicyCopyForm(StyledForm):
    code = forms.SlugField(label=_("代码"), max_length=50, help_text=_("字母、数字、连字符"))
    name = forms.CharField(label=_("名称"), max_length=100)


class FastSelect(forms.Select):
    """A <select> rendered in Python rather than one template per option: a unit picker
    over a city's thousands of units renders in milliseconds instead of a large share of a
    second (bench/run.py measures the list pages that carry one)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> Any:
        from django.utils.html import format_html, format_html_join
        from django.utils.safestring import mark_safe

        final = self.build_attrs(self.attrs, attrs)
        selected = {str(v) for v in (value if isinstance(value, (list, tuple)) else [value]) if v not in (None, "")}
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option_value, mark_safe(" selected") if str(option_value) in selected else "", label)
                for option_value, label in self._choices_flat()
            ),
        )
        attributes = format_html_join("", ' {}="{}"', ((k, v) for k, v in final.items() if v not in (None, False)))
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)

    def _choices_flat(self) -> Any:
        for option_value, label in self.choices:
            if isinstance(label, (list, tuple)):  # an optgroup: flatten it
                yield from label
            else:
                yield ("" if option_value is None else getattr(option_value, "value", option_value)), label
