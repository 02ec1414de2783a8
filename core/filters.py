"""The base of every app's FilterSet: styled widgets, and a search box."""

from __future__ import annotations

import django_filters
from django import forms

from core.forms import StyledFormMixin


class StyledFilterForm(StyledFormMixin, forms.Form):
    pass


class BaseFilterSet(django_filters.FilterSet):
    class Meta:
        form = StyledFilterForm


class YesNoWidget(django_filters.widgets.BooleanWidget):
    """A yes/no select in Chinese (django-filter ships no zh-hans catalogue)."""

    def __init__(self, attrs: dict | None = None) -> None:
        from django.utils.translation import gettext_lazy as _

        super().__init__(attrs)
        self.choices = (("", _("全部")), ("true", _("是")), ("false", _("否")))
