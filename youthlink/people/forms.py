from django import forms
from django.utils.translation import gettext_lazy as _

from youthlink.orgs.selectors import nodes_for

from .models import Gender, Sector, Tag


class PersonForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    gender = forms.ChoiceField(label=_("性别"), choices=Gender.choices, initial=Gender.UNKNOWN)
    birth_date = forms.DateField(label=_("出生日期"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    mobile = forms.CharField(label=_("手机号"), required=False, max_length=30,
                             widget=forms.TextInput(attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off"}))
    id_number = forms.CharField(label=_("身份证号"), required=False, max_length=30,
                                widget=forms.TextInput(attrs={"autocomplete": "off"}))
    home_node = forms.ModelChoiceField(label=_("所属节点"), queryset=None)
    tags = forms.MultipleChoiceField(label=_("标签"), choices=Tag.choices, required=False,
                                     widget=forms.CheckboxSelectMultiple)
    sector = forms.ChoiceField(label=_("青联委员界别"), choices=[("", "—")] + list(Sector.choices), required=False)
    health_notes = forms.CharField(label=_("健康情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    hardship_notes = forms.CharField(label=_("困难情况"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, viewer=None, editing=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["home_node"].queryset = nodes_for(viewer)
        if editing:
            # Sensitive values are never sent to the browser pre-filled; blank means "unchanged".
            for name in ("mobile", "id_number", "health_notes", "hardship_notes"):
                self.fields[name].help_text = _("留空表示不修改")

    def tag_pairs(self):
        sector = self.cleaned_data.get("sector") or ""
        return [(t, sector if t == Tag.FEDERATION else "") for t in self.cleaned_data.get("tags", [])]


class RevealForm(forms.Form):
    reason = forms.CharField(label=_("查看事由"), max_length=300)
