"""The styling every form gets: radio buttons are radio buttons, not text boxes."""

from django import forms

from core.forms import StyledForm


class Sample(StyledForm):
    verdict = forms.ChoiceField(choices=[("a", "甲"), ("b", "乙")], widget=forms.RadioSelect)
    name = forms.CharField()
    kind = forms.ChoiceField(choices=[("a", "甲")])
    tick = forms.BooleanField(required=False)


def test_each_widget_gets_its_bootstrap_class() -> None:
    fields = Sample().fields
    assert fields["verdict"].widget.attrs["class"] == "form-check-input"
    assert fields["name"].widget.attrs["class"] == "form-control"
    assert fields["kind"].widget.attrs["class"] == "form-select"
    assert fields["tick"].widget.attrs["class"] == "form-check-input"
